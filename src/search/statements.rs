//! The statements the search page finds: who is quoted in which documents, and each
//! document's statements, in files the page loads a bucket at a time.

use crate::index::statements::{speaker, Tally};
use crate::index::Indexes;
use crate::model::{Article, Entity};
use crate::output::SiteWriter;
use crate::render::script_safe;

/// The search page's statement files (see `static/search.js`), documents numbered as the
/// search index numbers them (`Indexes::order`):
/// - `search/speakers.js`: `DossierSearch.speakers({s: [[entity id, name, url, [doc]]], docs: [doc]})`,
///   the speakers most quoted first with the documents that quote them, and every document
///   with a statement;
/// - `search/s/NNNN.js`: `DossierSearch.quotes(N, [[doc, anchor, speaker or -1, text]])`, the
///   statements of the documents of bucket N (`search::DOC_BUCKET` to a bucket, as `d/NNNN.js`),
///   written only for buckets that have one, loaded only for the documents a query keeps.
///
/// The page loads a query's buckets only; the speakers file is a few numbers per speaker.
///
/// A bucket's file is made only when what decides it changed: its articles (`Article::key`
/// stands for their text and statements) and the numbers of their statements' speakers, which
/// any change in who is quoted most can shift. After an edit most are kept as they are.
pub fn search_files(articles: &[Article], entities: &[Entity], idx: &Indexes, t: &Tally, out: &SiteWriter) -> anyhow::Result<()> {
    use rayon::prelude::*;
    let bucket = super::DOC_BUCKET;
    let mut speakers: Vec<usize> = (0..entities.len()).filter(|&e| t.by_entity[e] > 0).collect();
    speakers.sort_by(|&x, &y| t.by_entity[y].cmp(&t.by_entity[x]).then(entities[x].name.cmp(&entities[y].name)).then(x.cmp(&y)));
    let mut slot = vec![-1i64; entities.len()];
    for (n, &e) in speakers.iter().enumerate() {
        slot[e] = n as i64;
    }
    let mut docs_of: Vec<Vec<usize>> = vec![Vec::new(); speakers.len()];
    let mut with_any = Vec::new();
    // Each document's statements' speaker numbers, by document.
    let mut who: Vec<Vec<i64>> = Vec::with_capacity(idx.order.len());
    for (doc, &ai) in idx.order.iter().enumerate() {
        let a = &articles[ai];
        if !a.quotes.is_empty() {
            with_any.push(doc);
        }
        let slots: Vec<i64> = a.quotes.iter().map(|q| speaker(a, q).map_or(-1, |e| slot[e])).collect();
        for &s in &slots {
            if s >= 0 && docs_of[s as usize].last() != Some(&doc) {
                docs_of[s as usize].push(doc);
            }
        }
        who.push(slots);
    }
    idx.order.par_chunks(bucket).enumerate().try_for_each(|(b, chunk)| {
        let first = b * bucket;
        if chunk.iter().all(|&ai| articles[ai].quotes.is_empty()) {
            return Ok(());
        }
        let mut h = crate::cache::Hasher::new("statement bucket");
        h.part(&(b as u64).to_le_bytes());
        for (k, &ai) in chunk.iter().enumerate() {
            h.part(&articles[ai].key);
            h.part(&who[first + k].iter().flat_map(|s| s.to_le_bytes()).collect::<Vec<u8>>());
        }
        // Written bucket by bucket: all of them together are as large as the statements.
        out.file_lazy(&format!("search/s/{b:04}.js"), h.finish(), || {
            let mut rows: Vec<(usize, String, i64, String)> = Vec::new();
            for (k, &ai) in chunk.iter().enumerate() {
                let a = &articles[ai];
                let text = a.text();
                for (i, q) in a.quotes.iter().enumerate() {
                    let words: Vec<&str> = q.content.get(&text).split_whitespace().collect();
                    rows.push((first + k, format!("q{}", i + 1), who[first + k][i], words.join(" ")));
                }
            }
            let json = script_safe(&serde_json::to_string(&rows).expect("plain data serialises"));
            Ok(format!("DossierSearch.quotes({b},{json});\n").into_bytes())
        })
    })?;
    let list: Vec<(&str, &str, String, &[usize])> = speakers.iter().zip(&docs_of).map(|(&e, d)| (entities[e].id.as_str(), entities[e].name.as_str(), entities[e].url(), d.as_slice())).collect();
    // Serialised straight from the lists: made through `json!`, every document number became a
    // JSON value, about 35 MB at 20,000 articles for a 4 MB file.
    #[derive(serde::Serialize)]
    struct Speakers<'a> {
        docs: &'a [usize],
        s: &'a [(&'a str, &'a str, String, &'a [usize])],
    }
    let json = script_safe(&serde_json::to_string(&Speakers { docs: &with_any, s: &list }).expect("plain data serialises"));
    out.file("search/speakers.js", format!("DossierSearch.speakers({json});\n").as_bytes())
}
