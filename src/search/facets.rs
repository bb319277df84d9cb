//! `search/facets.js`: for each article of the list, in list order, its year and the entities
//! it mentions, so that `static/facets.js` can narrow the server-rendered list and count what
//! is left without a request (the page may be opened from `file://`).
//!
//! Shape: `DossierFacets.data({"types": [...], "entities": [[type, slug, name], ...],
//! "articles": [[year or null, [entity numbers]], ...]})`. Entities are numbered by type, most
//! articles first, so the browser's first ones are the ones to show.

use rayon::prelude::*;
use serde::Serialize;

use crate::index::Indexes;
use super::js_json;
use crate::output::Page;
use crate::model::{Article, Entity, EntityKind};

/// The file's data, its fields in the order the file has always had (alphabetical, as a JSON
/// map gave them); typed rather than made as JSON values, which took a tenth of a second of an
/// edit's build at 10,000 articles.
#[derive(Serialize)]
struct Facets<'a> {
    articles: Vec<(Option<&'a str>, Vec<usize>)>,
    entities: Vec<(usize, &'a str, &'a str)>,
    types: Vec<&'static str>,
}

pub fn facets_js(articles: &[Article], entities: &[Entity], idx: &Indexes) -> Page {
    let mut number = vec![usize::MAX; entities.len()];
    let mut table = Vec::new();
    for (t, kind) in EntityKind::ALL.iter().enumerate() {
        for &e in idx.by_kind(*kind) {
            number[e] = table.len();
            let slug = entities[e].id.split_once('/').map_or(entities[e].id.as_str(), |(_, s)| s);
            table.push((t, slug, entities[e].name.as_str()));
        }
    }
    let rows = idx
        .order
        .par_iter()
        .map(|&i| {
            let a = &articles[i];
            let year = a.published.as_deref().filter(|p| !p.starts_with('X')).and_then(|p| p.get(..4));
            let mut ents: Vec<usize> = a.mentions.iter().map(|m| number[m.entity]).filter(|n| *n != usize::MAX).collect();
            ents.sort_unstable();
            ents.dedup();
            (year, ents)
        })
        .collect();
    let data = Facets { articles: rows, entities: table, types: EntityKind::ALL.iter().map(|k| k.as_str()).collect() };
    Page { path: "search/facets.js".into(), bytes: format!("DossierFacets.data({});\n", js_json(&data)).into_bytes() }
}
