//! Index: the archive-wide views (order, per-type lists, co-occurrence) and the page contexts
//! built from them. The views by time are in `dates.rs`.

use serde_json::json;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

pub mod article;
pub mod dates;
pub mod map;
pub mod statements;

use article::*;
use crate::model::{Article, Entity, EntityKind};

/// An entity index lists every entity of its type on one page up to this many, ranked and A–Z.
pub const INDEX_ON_ONE_PAGE: usize = 2000;
/// Past that, how many the index ranks by number of articles; the A–Z is then a page per letter.
pub const INDEX_RANKED: usize = 500;
/// Articles per page of the article list (`articles/index.html`, `articles/page/2.html`, …).
pub const ARTICLE_PAGE: usize = 500;

pub struct Indexes {
    /// Article indices newest first; unknown-year next; undated last; ties by id.
    pub order: Vec<usize>,
    /// Position of each article in `order`.
    pub position: Vec<usize>,
    kinds: HashMap<EntityKind, Vec<usize>>,
    /// For each article, the entities it mentions, each once, in entity order: what an entity
    /// page counts its related entities from, made once rather than once per entity.
    mentioned: Vec<Box<[u32]>>,
    /// The same entities by name (then entity order): where an entity page finds the first
    /// by name of the entities that share just one article with it (`related`).
    by_name: Vec<Box<[u32]>>,
}

fn date_rank(p: &Option<String>) -> (u8, &str) {
    match p {
        Some(d) if !d.starts_with('X') => (0, d),
        Some(d) => (1, d),
        None => (2, ""),
    }
}

impl Indexes {
    pub fn build(articles: &[Article], entities: &[Entity]) -> Indexes {
        let mut order: Vec<usize> = (0..articles.len()).collect();
        order.sort_by(|a, b| {
            let (ra, da) = date_rank(&articles[*a].published);
            let (rb, db) = date_rank(&articles[*b].published);
            ra.cmp(&rb).then(db.cmp(&da)).then(articles[*a].id.cmp(&articles[*b].id))
        });
        let mut position = vec![0; articles.len()];
        for (p, i) in order.iter().enumerate() {
            position[*i] = p;
        }
        let mut kinds: HashMap<EntityKind, Vec<usize>> = HashMap::new();
        for (i, e) in entities.iter().enumerate() {
            kinds.entry(e.kind).or_default().push(i);
        }
        // Keys made once per entity: most entities tie on counts, and lower-casing names in
        // each comparison allocated two strings per comparison.
        for list in kinds.values_mut() {
            list.sort_by_cached_key(|i| {
                let e = &entities[*i];
                (std::cmp::Reverse(e.articles.len()), std::cmp::Reverse(e.mention_count), e.name.to_lowercase(), e.id.as_str())
            });
        }
        let mentioned: Vec<Box<[u32]>> = articles
            .iter()
            .map(|a| {
                let mut seen: Vec<u32> = a.mentions.iter().map(|m| m.entity as u32).collect();
                seen.sort_unstable();
                seen.dedup();
                seen.into_boxed_slice()
            })
            .collect();
        let by_name = mentioned
            .iter()
            .map(|seen: &Box<[u32]>| {
                let mut named = seen.clone();
                named.sort_unstable_by(|a, b| entities[*a as usize].name.cmp(&entities[*b as usize].name).then(a.cmp(b)));
                named
            })
            .collect();
        Indexes { order, position, kinds, mentioned, by_name }
    }

    /// Entities of one type, most articles first.
    pub fn by_kind(&self, kind: EntityKind) -> &[usize] {
        self.kinds.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// The entities article `i` mentions, each once, in entity order.
    pub fn mentioned(&self, i: usize) -> &[u32] {
        &self.mentioned[i]
    }

    /// An entity's articles in list order, as its page shows them.
    pub fn entity_articles(&self, e: &Entity) -> Vec<usize> {
        let mut arts = e.articles.clone();
        arts.sort_by_key(|a| self.position[*a]);
        arts
    }

    /// The context of a page of an entity's page (see `docs/template-context.md`): the entity
    /// and `shown`, the articles of this page in list order. What the first page shows about all
    /// of them is added by `entity_overview`.
    pub fn entity_context(&self, i: usize, shown: &[usize], articles: &[Article], spans: &[ArticleSpans], entities: &[Entity], summaries: &[ArticleSummary]) -> tera::Context {
        let e = &entities[i];
        let mut occurrences = Vec::new();
        for &ai in shown {
            let a = &articles[ai];
            let snippets: Vec<Snippet> = spans[ai].mentions_of(i).filter_map(|mi| snippet(a, &spans[ai], mi)).collect();
            occurrences.push(Occurrence { article: ArticleLink::from(&summaries[ai]), snippets });
        }
        let mut entity = serde_json::to_value(entity_summary(e)).unwrap();
        entity["aliases"] = json!(e.aliases);
        entity["tagged"] = json!(e.tagged.iter().map(|(k, n)| json!({"type": k.as_str(), "label": k.label().to_lowercase(), "mentions": n})).collect::<Vec<_>>());
        entity["place"] = match &e.place {
            Some(p) => {
                let mut v = serde_json::to_value(p).unwrap();
                v["geonames_url"] = json!(p.geonames_id.map(|id| format!("https://www.geonames.org/{id}")));
                v["label"] = json!(article::place_label(e));
                v
            }
            None => serde_json::Value::Null,
        };
        let mut ctx = tera::Context::new();
        ctx.insert("entity", &entity);
        ctx.insert("occurrences", &occurrences);
        ctx
    }

    /// The entities most often mentioned with entity `i` across all its articles `arts`, for
    /// the first page of its page.
    pub fn entity_related(&self, i: usize, arts: &[usize], entities: &[Entity]) -> Vec<Related> {
        let related = related(i, arts, &self.mentioned, &self.by_name, |o| entities[o].name.as_str());
        related.into_iter().map(|(o, shared)| Related { entity: entity_ref(&entities[o]), shared }).collect()
    }
}

#[cfg(test)]
thread_local! {
    /// Co-mentioned entities looked at by `related`, counted in tests.
    static WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[inline]
fn work(n: usize) {
    #[cfg(test)]
    WORK.with(|w| w.set(w.get() + n));
    let _ = n;
}

/// The `RELATED` entities that share most of entity `i`'s articles `arts`, with how many they
/// share, then by name; ties on both in entity order. `mentioned` and `by_name` are each
/// article's entities in entity and in name order (`Indexes`).
///
/// Counting every entity of every article made a long article naming n entities cost n steps
/// on each of their n pages (18 s for a 12 MB article). So the largest of the articles is not
/// counted: an entity found there and nowhere else shares one article, the fewest there can
/// be, and only the first `RELATED` of those by name can be chosen; the article's list by name
/// gives them. Entities counted in the other articles get one more if the largest names them.
fn related<'n>(i: usize, arts: &[usize], mentioned: &[Box<[u32]>], by_name: &[Box<[u32]>], name: impl Fn(usize) -> &'n str) -> Vec<(usize, usize)> {
    let Some((skip, &largest)) = arts.iter().enumerate().max_by_key(|(p, a)| (mentioned[**a].len(), std::cmp::Reverse(*p))) else { return Vec::new() };
    let mut together: rustc_hash::FxHashMap<usize, usize> = Default::default();
    for (_, &ai) in arts.iter().enumerate().filter(|(p, _)| *p != skip) {
        work(mentioned[ai].len());
        for &o in mentioned[ai].iter().filter(|o| **o as usize != i) {
            *together.entry(o as usize).or_default() += 1;
        }
    }
    for (o, n) in together.iter_mut() {
        *n += usize::from(mentioned[largest].binary_search(&(*o as u32)).is_ok());
    }
    let mut related: Vec<(usize, usize)> = together.iter().map(|(o, n)| (*o, *n)).collect();
    let only_there = by_name[largest].iter().map(|o| *o as usize).filter(|&o| o != i && !together.contains_key(&o)).inspect(|_| work(1));
    related.extend(only_there.take(RELATED).map(|o| (o, 1)));
    work(related.len());
    // A total order, so choosing the best before sorting them gives what sorting all would.
    let order = |a: &(usize, usize), b: &(usize, usize)| b.1.cmp(&a.1).then(name(a.0).cmp(name(b.0))).then(a.0.cmp(&b.0));
    if related.len() > RELATED {
        related.select_nth_unstable_by(RELATED - 1, order);
        related.truncate(RELATED);
    }
    related.sort_unstable_by(order);
    related
}

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

    fn base(&self) -> crate::render::PageData {
        let mut ctx = crate::render::PageData::new();
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

    pub fn index_context(&self) -> crate::render::PageData {
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

    pub fn letter_context(&self, k: usize) -> crate::render::PageData {
        let mut ctx = self.base();
        ctx.insert("letters", &(0..self.letters.len()).map(|j| self.letter_link(j, false)).collect::<Vec<_>>());
        ctx.insert("letter", &self.letter_link(k, true));
        ctx.insert("index_url", &self.path());
        ctx
    }
}

pub fn article_context(a: &Article, ix: &ArticleSpans, entities: &[Entity], summary: &ArticleSummary, prev: Option<&ArticleSummary>, next: Option<&ArticleSummary>, annotations_url: &'_ str) -> tera::Context {
    let text = &a.source.text;
    let meta = &a.source.meta;
    // Handed to Tera as structs: made as JSON first, each page's data was converted twice.
    let article = ArticleView {
        summary,
        standfirst: a.standfirst.map(|s| segments(a, ix, entities, crate::text::trim_span(text, s), None)),
        dateline: a.dateline.as_ref().map(|d| DatelineView {
            text: &d.text,
            segments: segments(a, ix, entities, d.span, None),
            place: d.place.map(|s| s.get(text)),
            date_display: d.date.map(|s| s.get(text)),
            agency: d.agency.map(|s| s.get(text)),
        }),
        publisher: meta.publisher.as_deref(),
        authors: &meta.authors,
        url_original: meta.url.as_deref(),
        language: meta.language.as_deref(),
        meta_notes: meta.notes.as_deref(),
        source_file: &a.source.rel,
        // Relative to the page, beside it.
        original_url: original_text_path(a).map(|p| p.trim_start_matches("articles/").to_string()),
        annotations_url,
    };

    let blocks: Vec<BlockCtx> = a.blocks.iter().enumerate().map(|(n, b)| block_ctx(a, ix, entities, b, n + 1)).collect();

    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for m in &a.mentions {
        *counts.entry(m.entity).or_default() += 1;
    }
    let mut in_article: BTreeMap<&str, Vec<InArticle>> = BTreeMap::new();
    for kind in EntityKind::ALL {
        let mut list: Vec<(usize, usize)> = counts.iter().filter(|(e, _)| entities[**e].kind == kind).map(|(e, n)| (*e, *n)).collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(entities[a.0].name.cmp(&entities[b.0].name)));
        in_article.insert(kind.as_str(), list.into_iter().map(|(e, count)| InArticle { entity: entity_ref(&entities[e]), count }).collect());
    }
    let notes: Vec<NoteCtx> = a.notes.iter().map(|n| NoteCtx { kind: n.kind, message: n.message.clone(), line: n.line }).collect();
    // Every date with the why of its value, for the reviewer; only those in the body are marked.
    let dates: Vec<DateView> = a
        .dates
        .iter()
        .enumerate()
        .map(|(i, d)| DateView { id: date_anchor(a, ix, i), text: d.span.get(text), value: &d.value, exact: d.exact, precision: d.precision, anchor: d.anchor, rule: d.rule, note: d.note.as_deref() })
        .collect();

    let mut ctx = tera::Context::new();
    ctx.insert("article", &article);
    ctx.insert("blocks", &blocks);
    ctx.insert("in_article", &in_article);
    ctx.insert("notes", &notes);
    ctx.insert("dates", &dates);
    ctx.insert("statements", &statements::article_panel(a, ix, entities));
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    ctx
}

/// An article as its page shows it: what lists show of it and the rest of its header and facts.
#[derive(Serialize)]
struct ArticleView<'a> {
    #[serde(flatten)]
    summary: &'a ArticleSummary,
    standfirst: Option<Vec<Segment>>,
    dateline: Option<DatelineView<'a>>,
    publisher: Option<&'a str>,
    /// The authors a saved web page names (empty for other articles).
    authors: &'a [String],
    url_original: Option<&'a str>,
    language: Option<&'a str>,
    meta_notes: Option<&'a str>,
    /// The file's path from the input folder (never the local path).
    source_file: &'a str,
    original_url: Option<String>,
    /// The site address of the article's Web Annotations, its shard and its collection's id
    /// there (the export that, with the page's own panels and `data/archive.json`, replaced the
    /// per-article data page).
    annotations_url: &'a str,
}

#[derive(Serialize)]
struct DatelineView<'a> {
    text: &'a str,
    /// The dateline with its mentions marked, so that they can be followed and corrected.
    segments: Vec<Segment>,
    place: Option<&'a str>,
    date_display: Option<&'a str>,
    agency: Option<&'a str>,
}

/// A date of an article with the why of its value, for the reviewer.
#[derive(Serialize)]
struct DateView<'a> {
    id: Option<String>,
    text: &'a str,
    value: &'a str,
    exact: bool,
    precision: &'static str,
    anchor: &'static str,
    rule: &'static str,
    note: Option<&'a str>,
}

/// An entity the article mentions, and how often.
#[derive(Serialize)]
struct InArticle {
    entity: EntityRef,
    count: usize,
}

/// How many entities an entity page lists as often mentioned with it.
const RELATED: usize = 12;

/// An entity often mentioned with the page's, and in how many articles.
#[derive(Serialize)]
pub struct Related {
    entity: EntityRef,
    shared: usize,
}

/// An article on an entity's page: where it is, and the entity's mentions in it.
#[derive(Serialize)]
struct Occurrence<'a> {
    article: ArticleLink<'a>,
    snippets: Vec<Snippet>,
}

/// The article list's year sections, in list order: `{ id, label, start, count }` with `id`
/// the section's anchor ("y2017", "year-unknown", "undated") and `start` its first position in
/// the list. The list is ordered by date (`Indexes::order`), so each year is one run.
pub fn year_groups<'a>(published: impl Iterator<Item = Option<&'a str>>) -> Vec<serde_json::Value> {
    let mut runs: Vec<(String, String, usize, usize)> = Vec::new();
    for (i, p) in published.enumerate() {
        let (id, label) = match p {
            None => ("undated".to_string(), "Undated".to_string()),
            Some(p) if p.starts_with("XXXX") => ("year-unknown".to_string(), "Year unknown".to_string()),
            Some(p) => {
                let y = p.split('-').next().unwrap_or(p);
                (format!("y{y}"), y.to_string())
            }
        };
        match runs.last_mut() {
            Some(run) if run.0 == id => run.3 += 1,
            _ => runs.push((id, label, i, 1)),
        }
    }
    runs.into_iter().map(|(id, label, start, count)| serde_json::json!({ "id": id, "label": label, "start": start, "count": count })).collect()
}

/// The article list, newest first, a page of `size` at a time: page `p` (from 0) shows the
/// articles at list positions `p * size ..`, so the facets script can tell every article's page.
pub struct ArticleList<'a> {
    order: &'a [usize],
    summaries: &'a [ArticleSummary],
    size: usize,
    /// None for the archive's list; for an entity's articles, the address of its page, where
    /// the first page stays (every link to the entity keeps working) and beside which the
    /// others go (`entity_page_url`).
    entity_url: Option<&'a str>,
}

/// The address of page `p` of the article list. Later pages go in a folder of their own, where
/// no article's page can be (article ids have no '/').
pub fn article_list_url(p: usize) -> String {
    if p == 0 { "articles/index.html".to_string() } else { format!("articles/page/{}.html", p + 1) }
}

/// The address of page `p` of an entity's page whose first page is at `url`
/// (`people/sergei-lavrov.html`): `people/sergei-lavrov/page/2.html`, … A folder of the
/// entity's own, as the article list's later pages are: a name beside it (`sergei-lavrov-2`)
/// could be another entity's, as slugs of one name are told apart that way; and no entity's
/// page can be in a folder, as slugs have no '/'.
pub fn entity_page_url(url: &str, p: usize) -> String {
    if p == 0 { url.to_string() } else { format!("{}/page/{}.html", url.strip_suffix(".html").unwrap_or(url), p + 1) }
}

/// How many numbered links the pager of an entity's pages shows at most around the current
/// page on each side (with the first and the last page always): a pager naming all of an
/// entity's pages would grow with the archive on each of them (500 pages of 500 links).
pub const ENTITY_PAGER_REACH: usize = 3;

impl<'a> ArticleList<'a> {
    pub fn new(order: &'a [usize], summaries: &'a [ArticleSummary], size: usize) -> ArticleList<'a> {
        ArticleList { order, summaries, size: size.max(1), entity_url: None }
    }

    /// The articles `arts` of an entity (in list order) on the pages of its page at `url`.
    pub fn of_entity(arts: &'a [usize], summaries: &'a [ArticleSummary], size: usize, url: &'a str) -> ArticleList<'a> {
        ArticleList { order: arts, summaries, size: size.max(1), entity_url: Some(url) }
    }

    /// The address of page `p`.
    pub fn url(&self, p: usize) -> String {
        match self.entity_url {
            None => article_list_url(p),
            Some(url) => entity_page_url(url, p),
        }
    }

    /// The articles on page `p`, in list order.
    pub fn page(&self, p: usize) -> &'a [usize] {
        self.on_page(p)
    }

    /// At least one page, so that an empty archive still has its (empty) list.
    pub fn page_count(&self) -> usize {
        self.order.len().div_ceil(self.size).max(1)
    }

    fn on_page(&self, p: usize) -> &'a [usize] {
        let start = (p * self.size).min(self.order.len());
        &self.order[start..(start + self.size).min(self.order.len())]
    }

    /// "Articles", then "Articles, page 2 of 9".
    pub fn page_title(&self, p: usize) -> String {
        if self.page_count() == 1 { "Articles".to_string() } else { format!("Articles, page {} of {}", p + 1, self.page_count()) }
    }

    /// A page as the pager shows it: number, address, and the dates of its first and last articles.
    fn page_link(&self, p: usize) -> serde_json::Value {
        let list = self.on_page(p);
        let date = |i: Option<&usize>| i.map_or(String::new(), |i| self.summaries[*i].published_display.clone());
        let (first, last) = (date(list.first()), date(list.last()));
        let label = if first == last { first } else { format!("{first} – {last}") };
        json!({ "number": p + 1, "url": self.url(p), "label": label })
    }

    /// What page `p` shows besides its cards: the archive's total, where the page starts in
    /// the whole list, its year sections (`year_groups`, positions within the page), whether
    /// the list ends with articles without a full date, and the pager over every page.
    pub fn frame(&self, p: usize) -> serde_json::Value {
        let undated_last = self.order.last().is_some_and(|i| self.summaries[*i].published.as_deref().is_none_or(|d| d.starts_with('X')));
        let count = self.page_count();
        json!({
            "total": self.order.len(),
            "first": p * self.size,
            "page_size": self.size,
            "undated_last": undated_last,
            "groups": year_groups(self.on_page(p).iter().map(|i| self.summaries[*i].published.as_deref())),
            "pager": self.pager(p, (0..count).collect()),
        })
    }

    /// The pager of page `p`: its number and dates (`label`), the page count, the previous and next pages, and
    /// the pages `shown` (every one on the archive's list, whose facets count matches on each)
    /// as links, with `{ gap: true }` where numbers are left out; no links for a single page.
    fn pager(&self, p: usize, shown: Vec<usize>) -> serde_json::Value {
        let count = self.page_count();
        let mut pages = Vec::new();
        for (k, &q) in shown.iter().enumerate() {
            if k > 0 && q > shown[k - 1] + 1 {
                pages.push(json!({ "gap": true }));
            }
            pages.push(self.page_link(q));
        }
        json!({
            "number": p + 1,
            "count": count,
            "label": self.page_link(p)["label"],
            "prev": p.checked_sub(1).map(|q| self.page_link(q)),
            "next": (p + 1 < count).then(|| self.page_link(p + 1)),
            "pages": if count > 1 { pages } else { Vec::new() },
        })
    }

    /// What page `p` of an entity's articles shows besides them: their total, where the page
    /// starts among them, the page size, and the pager (the first and last pages and
    /// `ENTITY_PAGER_REACH` on each side of this one).
    pub fn entity_frame(&self, p: usize) -> serde_json::Value {
        let last = self.page_count() - 1;
        // A gap of one page shows that page instead ("1 2 3", not "1 … 3").
        let lo = match p.saturating_sub(ENTITY_PAGER_REACH) {
            lo if lo <= 2 => 0,
            lo => lo,
        };
        let hi = match (p + ENTITY_PAGER_REACH).min(last) {
            hi if hi + 2 >= last => last,
            hi => hi,
        };
        let mut shown: Vec<usize> = std::iter::once(0).chain(lo..=hi).chain(std::iter::once(last)).collect();
        shown.dedup();
        json!({
            "total": self.order.len(),
            "first": p * self.size,
            "page_size": self.size,
            "pager": self.pager(p, shown),
        })
    }

    /// A key for page `p`: its frame and `article_keys` (each article with its summary) of the
    /// articles it lists, in order.
    pub fn page_key(&self, p: usize, frame: &serde_json::Value, article_keys: &[crate::cache::Key]) -> crate::cache::Key {
        let mut h = crate::cache::Hasher::new("article list page");
        for i in self.on_page(p) {
            h.part(&article_keys[*i]);
        }
        h.json(frame)
    }

    /// Page `p`'s context (`docs/template-context.md`): the frame's fields and its articles.
    pub fn page_context(&self, p: usize, frame: serde_json::Value) -> tera::Context {
        let mut ctx = tera::Context::from_serialize(&frame).expect("a frame is an object");
        ctx.insert("articles", &self.on_page(p).iter().map(|i| &self.summaries[*i]).collect::<Vec<_>>());
        ctx
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    /// The count as it was first written: every entity of every article of the entity.
    fn related_reference(i: usize, arts: &[usize], mentioned: &[Box<[u32]>], names: &[String]) -> Vec<(usize, usize)> {
        let mut together: rustc_hash::FxHashMap<usize, usize> = Default::default();
        for &ai in arts {
            for &o in mentioned[ai].iter().filter(|o| **o as usize != i) {
                *together.entry(o as usize).or_default() += 1;
            }
        }
        let mut related: Vec<(usize, usize)> = together.into_iter().collect();
        related.sort_by(|a, b| b.1.cmp(&a.1).then(names[a.0].cmp(&names[b.0])).then(a.0.cmp(&b.0)));
        related.truncate(RELATED);
        related
    }

    fn lists(articles: &[Vec<u32>], names: &[String]) -> (Vec<Box<[u32]>>, Vec<Box<[u32]>>) {
        let mentioned: Vec<Box<[u32]>> = articles
            .iter()
            .map(|a| {
                let mut a = a.clone();
                a.sort_unstable();
                a.dedup();
                a.into_boxed_slice()
            })
            .collect();
        let by_name = mentioned
            .iter()
            .map(|m| {
                let mut m = m.clone();
                m.sort_by(|a, b| names[*a as usize].cmp(&names[*b as usize]).then(a.cmp(b)));
                m
            })
            .collect();
        (mentioned, by_name)
    }

    fn summary(n: usize) -> ArticleSummary {
        ArticleSummary {
            id: format!("a{n}"),
            url: format!("articles/a{n}.html"),
            title: format!("Article {n}"),
            title_derived: false,
            published: Some(format!("2016-03-{:02}", 30 - n)),
            published_display: format!("{} March 2016", 30 - n),
            place: None,
            agency: None,
            snippet: String::new(),
            counts: Counts { location: 0, organisation: 0, person: 0 },
        }
    }

    /// The numbers an entity page's pager shows, 0 for a gap.
    fn numbers(frame: &serde_json::Value) -> Vec<u64> {
        frame["pager"]["pages"].as_array().unwrap().iter().map(|q| q["number"].as_u64().unwrap_or(0)).collect()
    }

    /// An entity's first page stays at its address and the others go in a folder of its own;
    /// each lists its share of the articles, and the pager names the first and last pages and
    /// three either side of the current one (a gap of one page shown as that page).
    #[test]
    fn entity_pages_split_the_articles_and_name_nearby_pages() {
        assert_eq!(entity_page_url("people/sergei-lavrov.html", 0), "people/sergei-lavrov.html");
        assert_eq!(entity_page_url("people/sergei-lavrov.html", 1), "people/sergei-lavrov/page/2.html");
        let summaries: Vec<ArticleSummary> = (0..25).map(summary).collect();
        let arts: Vec<usize> = (0..23).collect();
        let list = ArticleList::of_entity(&arts, &summaries, 2, "people/x.html");
        assert_eq!(list.page_count(), 12);
        let listed: Vec<usize> = (0..12).flat_map(|p| list.page(p).to_vec()).collect();
        assert_eq!(listed, arts, "every article once, in order");
        assert_eq!(list.page(11), &[22]);
        let first = list.entity_frame(0);
        assert_eq!(numbers(&first), [1, 2, 3, 4, 0, 12]);
        assert_eq!(first["pager"]["prev"], serde_json::Value::Null);
        assert_eq!(first["pager"]["next"]["url"], "people/x/page/2.html");
        assert_eq!(first["pager"]["label"], "30 March 2016 – 29 March 2016");
        assert_eq!((first["total"].as_u64(), first["first"].as_u64()), (Some(23), Some(0)));
        assert_eq!(numbers(&list.entity_frame(4)), [1, 2, 3, 4, 5, 6, 7, 8, 0, 12], "page 5: 2..8, 1 filling the gap");
        assert_eq!(numbers(&list.entity_frame(6)), [1, 0, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        let last = list.entity_frame(11);
        assert_eq!(numbers(&last), [1, 0, 9, 10, 11, 12]);
        assert_eq!(last["pager"]["next"], serde_json::Value::Null);
        assert_eq!(last["pager"]["prev"]["url"], "people/x/page/11.html");
        let one = ArticleList::of_entity(&arts[..2], &summaries, 2, "people/x.html");
        assert_eq!((one.page_count(), numbers(&one.entity_frame(0)).len()), (1, 0), "one page: no pager");
    }

    /// Related entities agree with counting everything, on random archives with repeated
    /// names and articles listed twice.
    #[test]
    fn related_entities_agree_with_counting_everything() {
        let mut seed = 11u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for _ in 0..200 {
            let n_entities = 1 + next(40);
            let names: Vec<String> = (0..n_entities).map(|_| format!("N{}", next(8))).collect();
            let articles: Vec<Vec<u32>> = (0..1 + next(6)).map(|_| (0..next(30)).map(|_| next(n_entities) as u32).collect()).collect();
            let (mentioned, by_name) = lists(&articles, &names);
            for i in 0..n_entities {
                let mut arts: Vec<usize> = (0..articles.len()).filter(|&a| mentioned[a].contains(&(i as u32)) || next(5) == 0).collect();
                if next(4) == 0 && !arts.is_empty() {
                    arts.push(arts[0]);
                }
                assert_eq!(related(i, &arts, &mentioned, &by_name, |o| names[o].as_str()), related_reference(i, &arts, &mentioned, &names));
            }
        }
    }

    /// One article naming n entities: their n pages take work in proportion to n (counting
    /// every co-mentioned entity took n on each page).
    #[test]
    fn related_work_grows_with_the_entities_of_an_article() {
        let n = 3000;
        let names: Vec<String> = (0..n).map(|e| format!("Name {}", (e * 7919) % n)).collect();
        let (mentioned, by_name) = lists(&[(0..n as u32).collect()], &names);
        WORK.with(|w| w.set(0));
        for i in 0..n {
            assert_eq!(related(i, &[0], &mentioned, &by_name, |o| names[o].as_str()).len(), RELATED);
        }
        let work = WORK.with(|w| w.get());
        assert!(work <= 40 * n, "{work} steps for {n} entities");
    }
}
