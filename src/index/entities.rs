//! The entities' own pages and lists: which entities have a page (`link_entities`), and the
//! index of each type with its A–Z (`EntityIndex`).

use serde_json::json;
use std::collections::{BTreeMap, HashMap};

use super::article::{entity_summary, ArticleLink, ArticleSummary, EntitySummary};
use super::Indexes;
use crate::model::{Entity, EntityKind};

/// An entity index lists every entity of its type on one page up to this many, ranked and A–Z.
pub const INDEX_ON_ONE_PAGE: usize = 2000;
/// Past that, how many the index ranks by number of articles; the A–Z is then a page per letter.
pub const INDEX_RANKED: usize = 500;

/// The first letter an entity is listed under on its type's A–Z: that of its name's slug,
/// upper case, or "#" for a name that starts with no letter.
fn letter_of(name: &str) -> String {
    crate::text::slugify(name).chars().next().filter(|c| c.is_ascii_alphabetic()).map(|c| c.to_ascii_uppercase().to_string()).unwrap_or_else(|| "#".into())
}

/// A letter's id on the index and, lower case, its page's name: "#" is `other`.
fn letter_anchor(letter: &str) -> String {
    if letter == "#" { "other".to_string() } else { letter.to_string() }
}

fn letter_page_url(kind: EntityKind, letter: &str) -> String {
    format!("{}/a-z/{}.html", kind.folder(), letter_anchor(letter).to_lowercase())
}

/// Whether a type of `count` entities lists its A–Z a page per letter.
fn split(count: usize, one_page: usize) -> bool {
    count > one_page
}

/// Decides which entities have a page of their own: those named in at least `min_articles`
/// articles. The others get `listed_at`, their row on the A–Z of their type (the index, or
/// their letter's page when the A–Z is split), so that every link to them (`Entity::url`)
/// lands on a page that is written. The row's id is the entity's slug after `e-`, apart from
/// the index's own ids (`by-name`, `other`).
pub fn link_entities(entities: &mut [Entity], min_articles: usize) {
    let mut counts: HashMap<EntityKind, usize> = HashMap::new();
    for e in entities.iter() {
        *counts.entry(e.kind).or_default() += 1;
    }
    for e in entities.iter_mut() {
        e.listed_at = (min_articles > 1 && e.articles.len() < min_articles).then(|| {
            let page = if split(counts[&e.kind], INDEX_ON_ONE_PAGE) { letter_page_url(e.kind, &letter_of(&e.name)) } else { format!("{}/index.html", e.kind.folder()) };
            format!("{page}#e-{}", e.slug())
        });
    }
}

/// The index of one entity type and, for a large archive, its A–Z letter pages
/// (`docs/template-context.md`). Up to `one_page` entities are all listed on the index, in both
/// orders; past that the index ranks the `ranked` most cited and each letter gets a page, so
/// that no index grows with the archive (the people of 100,000 articles had made one page of
/// about 100 MB). Contexts are made a page at a time, when rendered.
pub struct EntityIndex<'a> {
    kind: EntityKind,
    entities: &'a [Entity],
    /// Every article's summary: an entity without a page is listed with its articles.
    articles: &'a [ArticleSummary],
    /// The type's entities, most articles first.
    by_count: &'a [usize],
    ranked: usize,
    /// A–Z: first letter ("#" for others) and its entities, alphabetically.
    letters: Vec<(String, Vec<usize>)>,
    split: bool,
}

impl<'a> EntityIndex<'a> {
    pub fn new(idx: &'a Indexes, kind: EntityKind, entities: &'a [Entity], articles: &'a [ArticleSummary], one_page: usize, ranked: usize) -> EntityIndex<'a> {
        let by_count = idx.by_kind(kind);
        let mut alpha: Vec<usize> = by_count.to_vec();
        alpha.sort_by_cached_key(|i| (entities[*i].name.to_lowercase(), entities[*i].id.clone()));
        let mut letters: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for i in alpha {
            letters.entry(letter_of(&entities[i].name)).or_default().push(i);
        }
        EntityIndex { kind, entities, articles, by_count, ranked, letters: letters.into_iter().collect(), split: split(by_count.len(), one_page) }
    }

    pub fn path(&self) -> String {
        format!("{}/index.html", self.kind.folder())
    }

    fn anchor(letter: &str) -> String {
        letter_anchor(letter)
    }

    /// The page of letter `k`, when the letters have pages.
    fn letter_url(&self, k: usize) -> Option<String> {
        self.split.then(|| letter_page_url(self.kind, &self.letters[k].0))
    }

    fn base(&self) -> super::PageData {
        let mut ctx = super::PageData::new();
        ctx.insert("type", self.kind.as_str());
        ctx.insert("type_label", self.kind.label());
        ctx.insert("type_plural", self.kind.plural());
        ctx.insert("total", &self.by_count.len());
        ctx
    }

    /// Letter `k` as the navigation shows it: `{ letter, anchor, count, url }`, and with its
    /// `entities` when `listed` (the page shows them).
    fn letter_link(&self, k: usize, listed: bool) -> serde_json::Value {
        let (l, ids) = &self.letters[k];
        let mut link = json!({ "letter": l, "anchor": Self::anchor(l), "count": ids.len(), "url": self.letter_url(k) });
        if listed {
            link["entities"] = json!(ids.iter().map(|i| self.listed(&self.entities[*i])).collect::<Vec<_>>());
        }
        link
    }

    /// An entity as the A–Z lists it: its summary, and for one without a page of its own the
    /// `anchor` its links land on and the `articles` it is named in, linked beside it.
    fn listed(&self, e: &Entity) -> serde_json::Value {
        let mut v = serde_json::to_value(entity_summary(e)).expect("a summary serialises");
        if let Some(url) = &e.listed_at {
            v["anchor"] = json!(url.rsplit_once('#').map_or("", |(_, a)| a));
            v["articles"] = json!(e.articles.iter().map(|a| ArticleLink::from(&self.articles[*a])).collect::<Vec<_>>());
        }
        v
    }

    /// What the A–Z shows of entity `i` beyond its summary (`listed`), as bytes for a page key:
    /// the articles linked beside an entity without a page.
    pub fn listed_part(&self, buf: &mut Vec<u8>, i: usize) {
        let e = &self.entities[i];
        if e.has_page() {
            return;
        }
        buf.extend_from_slice(&(e.articles.len() as u64).to_le_bytes());
        for a in &e.articles {
            ArticleLink::from(&self.articles[*a]).key_part(buf);
        }
    }

    fn summaries(&self, ids: &[usize]) -> Vec<EntitySummary> {
        ids.iter().map(|i| entity_summary(&self.entities[*i])).collect()
    }

    pub fn index_context(&self) -> super::PageData {
        let mut ctx = self.base();
        // Split, the letters' entities are on their own pages, not here.
        let letters: Vec<_> = (0..self.letters.len()).map(|k| self.letter_link(k, !self.split)).collect();
        ctx.insert("letters", &letters);
        let shown = if self.split { self.ranked.min(self.by_count.len()) } else { self.by_count.len() };
        ctx.insert("by_count", &self.summaries(&self.by_count[..shown]));
        ctx
    }

    /// How many letter pages there are: none when everything is on the index.
    pub fn letter_pages(&self) -> usize {
        if self.split { self.letters.len() } else { 0 }
    }

    /// Path and title of letter page `k`.
    pub fn letter_page(&self, k: usize) -> (String, String) {
        let l = &self.letters[k].0;
        let label = if l == "#" { "other characters" } else { l.as_str() };
        (self.letter_url(k).expect("letter pages exist"), format!("{}: {label}", self.kind.plural()))
    }

    /// Stands for letter page `k` (`letter_context`): the type's count, every letter with its
    /// count, the page's number and its entities (`part` appends what one shows).
    pub fn letter_key(&self, k: usize, part: impl Fn(&mut Vec<u8>, usize)) -> Vec<u8> {
        let mut buf = Vec::new();
        for n in [self.by_count.len(), self.letters.len(), k] {
            buf.extend_from_slice(&(n as u64).to_le_bytes());
        }
        for (letter, ids) in &self.letters {
            buf.extend_from_slice(&(letter.len() as u64).to_le_bytes());
            buf.extend_from_slice(letter.as_bytes());
            buf.extend_from_slice(&(ids.len() as u64).to_le_bytes());
        }
        for &i in &self.letters[k].1 {
            part(&mut buf, i);
        }
        buf
    }

    pub fn letter_context(&self, k: usize) -> super::PageData {
        let mut ctx = self.base();
        ctx.insert("letters", &(0..self.letters.len()).map(|j| self.letter_link(j, false)).collect::<Vec<_>>());
        ctx.insert("letter", &self.letter_link(k, true));
        ctx.insert("index_url", &self.path());
        ctx
    }
}
