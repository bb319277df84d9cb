//! Index: the archive-wide views (order, per-type lists, co-occurrence) and the page contexts
//! built from them. The views by time are in `dates.rs`.

use serde_json::json;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

use super::context::*;
use crate::model::{Article, Entity, EntityKind};

pub struct Indexes {
    /// Article indices newest first; unknown-year next; undated last; ties by id.
    pub order: Vec<usize>,
    /// Position of each article in `order`.
    pub position: Vec<usize>,
    kinds: HashMap<EntityKind, Vec<usize>>,
}

fn date_rank(p: &Option<String>) -> (u8, String) {
    match p {
        Some(d) if !d.starts_with('X') => (0, d.clone()),
        Some(d) => (1, d.clone()),
        None => (2, String::new()),
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
        for list in kinds.values_mut() {
            list.sort_by(|a, b| {
                let (ea, eb) = (&entities[*a], &entities[*b]);
                eb.articles.len().cmp(&ea.articles.len()).then(eb.mention_count.cmp(&ea.mention_count)).then(ea.name.to_lowercase().cmp(&eb.name.to_lowercase())).then(ea.id.cmp(&eb.id))
            });
        }
        Indexes { order, position, kinds }
    }

    /// Entities of one type, most articles first.
    pub fn by_kind(&self, kind: EntityKind) -> &[usize] {
        self.kinds.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// An entity page's context (see `docs/template-context.md`).
    pub fn entity_context(&self, i: usize, articles: &[Article], entities: &[Entity], summaries: &[ArticleSummary]) -> tera::Context {
        let e = &entities[i];
        let mut occurrences = Vec::new();
        let mut together: BTreeMap<usize, usize> = BTreeMap::new();
        let mut arts = e.articles.clone();
        arts.sort_by_key(|a| self.position[*a]);
        for ai in arts {
            let a = &articles[ai];
            let snippets: Vec<Snippet> = a.mentions.iter().enumerate().filter(|(_, m)| m.entity == i).filter_map(|(mi, _)| snippet(a, mi)).collect();
            let mut seen: Vec<usize> = a.mentions.iter().map(|m| m.entity).filter(|x| *x != i).collect();
            seen.sort_unstable();
            seen.dedup();
            for o in seen {
                *together.entry(o).or_default() += 1;
            }
            occurrences.push(Occurrence { article: ArticleLink::from(&summaries[ai]), snippets });
        }
        let mut related: Vec<(usize, usize)> = together.into_iter().collect();
        related.sort_by(|a, b| b.1.cmp(&a.1).then(entities[a.0].name.cmp(&entities[b.0].name)));
        let related: Vec<_> = related.into_iter().take(12).map(|(o, n)| json!({ "entity": entity_ref(&entities[o]), "shared": n })).collect();
        let mut entity = serde_json::to_value(entity_summary(e)).unwrap();
        entity["aliases"] = json!(e.aliases);
        entity["place"] = match &e.place {
            Some(p) => {
                let mut v = serde_json::to_value(p).unwrap();
                v["geonames_url"] = json!(p.geonames_id.map(|id| format!("https://www.geonames.org/{id}")));
                v
            }
            None => serde_json::Value::Null,
        };
        let mut ctx = tera::Context::new();
        ctx.insert("entity", &entity);
        ctx.insert("occurrences", &occurrences);
        ctx.insert("related", &related);
        ctx
    }

    pub fn entity_index_context(&self, kind: EntityKind, entities: &[Entity]) -> tera::Context {
        let list = self.by_kind(kind);
        let mut letters: BTreeMap<String, Vec<EntitySummary>> = BTreeMap::new();
        let mut alpha: Vec<usize> = list.to_vec();
        alpha.sort_by(|a, b| entities[*a].name.to_lowercase().cmp(&entities[*b].name.to_lowercase()).then(entities[*a].id.cmp(&entities[*b].id)));
        for i in alpha {
            let first = crate::text::slugify(&entities[i].name).chars().next().filter(|c| c.is_ascii_alphabetic()).map(|c| c.to_ascii_uppercase().to_string()).unwrap_or_else(|| "#".into());
            letters.entry(first).or_default().push(entity_summary(&entities[i]));
        }
        let letters: Vec<_> = letters.into_iter().map(|(letter, entities)| json!({ "letter": letter, "entities": entities })).collect();
        let mut ctx = tera::Context::new();
        ctx.insert("type", kind.as_str());
        ctx.insert("type_label", kind.label());
        ctx.insert("type_plural", kind.plural());
        ctx.insert("letters", &letters);
        ctx.insert("by_count", &list.iter().map(|i| entity_summary(&entities[*i])).collect::<Vec<_>>());
        ctx
    }
}

pub fn article_context(a: &Article, entities: &[Entity], summary: &ArticleSummary, prev: Option<&ArticleSummary>, next: Option<&ArticleSummary>) -> tera::Context {
    let text = &a.source.text;
    let mut article = serde_json::to_value(summary).unwrap();
    article["standfirst"] = match a.standfirst {
        Some(s) => json!(segments(a, entities, crate::text::trim_span(text, s), None)),
        None => serde_json::Value::Null,
    };
    article["dateline"] = match &a.dateline {
        Some(d) => json!({
            "text": d.text,
            "place": d.place.map(|s| s.get(text)),
            "date_display": d.date.map(|s| s.get(text)),
            "agency": d.agency.map(|s| s.get(text)),
        }),
        None => serde_json::Value::Null,
    };
    let meta = &a.source.meta;
    article["publisher"] = json!(meta.publisher);
    article["url_original"] = json!(meta.url);
    article["language"] = json!(meta.language);
    article["meta_notes"] = json!(meta.notes);
    article["source_file"] = json!(a.source.path.to_string_lossy().replace('\\', "/"));
    article["original_url"] = json!(format!("{}.txt", a.id));
    article["data_url"] = json!(format!("{}.data.html", a.id));

    let blocks: Vec<BlockCtx> = a.blocks.iter().enumerate().map(|(n, b)| block_ctx(a, entities, b, n + 1)).collect();

    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for m in &a.mentions {
        *counts.entry(m.entity).or_default() += 1;
    }
    let mut in_article = serde_json::Map::new();
    for kind in EntityKind::ALL {
        let mut list: Vec<(usize, usize)> = counts.iter().filter(|(e, _)| entities[**e].kind == kind).map(|(e, n)| (*e, *n)).collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(entities[a.0].name.cmp(&entities[b.0].name)));
        in_article.insert(kind.as_str().into(), json!(list.into_iter().map(|(e, n)| json!({ "entity": entity_ref(&entities[e]), "count": n })).collect::<Vec<_>>()));
    }
    let notes: Vec<NoteCtx> = a.notes.iter().map(|n| NoteCtx { kind: n.kind, message: n.message.clone(), line: n.line }).collect();
    // Every date with the why of its value, for the reviewer; only those in the body are marked.
    let dates: Vec<_> = a
        .dates
        .iter()
        .enumerate()
        .map(|(i, d)| {
            json!({
                "id": date_anchor(a, i),
                "text": d.span.get(text), "value": d.value, "exact": d.exact, "precision": d.precision,
                "anchor": d.anchor, "rule": d.rule, "note": d.note,
            })
        })
        .collect();

    let mut ctx = tera::Context::new();
    ctx.insert("article", &article);
    ctx.insert("blocks", &blocks);
    ctx.insert("in_article", &in_article);
    ctx.insert("notes", &notes);
    ctx.insert("dates", &dates);
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    ctx
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
