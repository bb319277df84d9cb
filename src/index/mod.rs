//! Index: the archive-wide views of the resolved archive and the data of the pages made from
//! them, the first stage of the site half of the build (`crate::pipeline::site`). Everything
//! here is plain data: later stages (`render`, `search`, `export`) read it, and nothing here
//! knows of them.
//!
//! - `Indexes` (here): the article order, the entities of each type, co-occurrence and related
//!   entities, an entity page's data;
//! - what every stage shares of each article and entity (`article.rs`), the keys that stand for
//!   it (`keys.rs`) and the shared addresses (`urls.rs`);
//! - the article lists (`lists.rs`), the entity indexes and which entities have a page
//!   (`entities.rs`), the views by time (`dates.rs`), the map (`map.rs`), statements
//!   (`statements.rs`).
//!
//! A page's data is `PageData` (JSON, hashed to tell whether the page changed) or, for the
//! costly pages, a Tera context made only when the page must be rendered; Tera's `Context` is
//! used as a plain map of values, and the templates are `render`'s.

use serde_json::json;
use serde::Serialize;
use std::collections::HashMap;

pub mod article;
pub mod dates;
pub mod entities;
pub mod keys;
pub mod lists;
pub mod map;
pub mod statements;
pub mod urls;

use article::*;
use crate::model::{Article, Entity, EntityKind};

/// The data of a page that is cheap to make, as JSON: it is hashed to tell whether the page
/// changed (a Tera context cannot be read back), then handed to Tera.
#[derive(Default)]
pub struct PageData(serde_json::Map<String, serde_json::Value>);

impl PageData {
    pub fn new() -> PageData {
        PageData::default()
    }

    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        self.0.insert(key.to_string(), serde_json::to_value(value).expect("page data serialises"));
    }

    /// The data as Tera's context, converted a field at a time, each JSON value let go once
    /// Tera has its copy: the dates index lists every article, and two whole copies of it made
    /// that stage's peak.
    pub fn into_context(self) -> tera::Context {
        let mut ctx = tera::Context::new();
        for (key, value) in self.0 {
            ctx.insert(key, &value);
        }
        ctx
    }

    /// The data as JSON, as a page's inputs are hashed.
    pub fn as_map(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.0
    }

    /// `insert` for data made as JSON already, moved in rather than copied.
    pub fn insert_value(&mut self, key: &str, value: serde_json::Value) {
        self.0.insert(key.to_string(), value);
    }
}

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
            let snippets: Vec<Snippet> = spans[ai].mentions_of(a, i).filter_map(|mi| snippet(a, &spans[ai], mi)).collect();
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
