//! `data/archive.json`: every article and entity, for tools and reviewers. Offsets are Unicode
//! code points into the source file's text, so `text[start:end]` holds in Python.

use anyhow::Result;
use serde_json::json;

use super::context::article_url;
use crate::model::{Article, DateExpr, Entity};
use crate::text::CharMap;

/// A date expression as `archive.json` and `dossier annotate` give it.
pub fn date_json(d: &DateExpr, text: &str, map: &CharMap) -> serde_json::Value {
    json!({
        "text": d.span.get(text),
        "value": d.value,
        "exact": d.exact,
        "precision": d.precision,
        "anchor": d.anchor,
        "start": map.char_offset(d.span.start),
        "end": map.char_offset(d.span.end),
        "rule": d.rule,
        "note": d.note,
    })
}

/// One article as `archive.json` lists it; its data page shows the same object.
pub fn article_json(a: &Article, entities: &[Entity]) -> serde_json::Value {
    let map = CharMap::new(&a.source.text);
    let mentions: Vec<_> = a
        .mentions
        .iter()
        .map(|m| {
            json!({
                "entity": entities[m.entity].id,
                "type": m.kind.as_str(),
                "text": m.span.get(&a.source.text),
                "start": map.char_offset(m.span.start),
                "end": map.char_offset(m.span.end),
                "score": (f64::from(m.score) * 100.0).round() / 100.0,
                "rule": m.rule,
            })
        })
        .collect();
    let dates: Vec<_> = a.dates.iter().map(|d| date_json(d, &a.source.text, &map)).collect();
    json!({
        "id": a.id,
        "source": a.source.path.to_string_lossy().replace('\\', "/"),
        "url": article_url(a),
        "title": a.title,
        "title_derived": a.title_derived,
        "published": a.published,
        "publisher": a.source.meta.publisher,
        "dateline": a.dateline.as_ref().map(|d| d.text.clone()),
        "mentions": mentions,
        "dates": dates,
        "notes": a.notes,
    })
}

/// `arts` are the articles' `article_json` values as compact JSON, made once for the data pages
/// and this file; text rather than `serde_json::Value`s, which take several times the memory.
pub fn archive_json(arts: &[String], articles: &[Article], entities: &[Entity]) -> Result<Vec<u8>> {
    let ents: Vec<String> = entities
        .iter()
        .map(|e| {
            serde_json::to_string(&json!({
                "id": e.id,
                "type": e.kind.as_str(),
                "name": e.name,
                "aliases": e.aliases,
                "url": e.url(),
                "articles": e.articles.iter().map(|i| articles[*i].id.clone()).collect::<Vec<_>>(),
                "mentions": e.mention_count,
                "place": e.place,
            }))
        })
        .collect::<Result<_, _>>()?;
    // One article or entity per line: compact (the file grows with the archive) yet still
    // readable and diffable line by line.
    let mut out = Vec::with_capacity(arts.iter().chain(&ents).map(|s| s.len() + 2).sum::<usize>() + 64);
    for (i, (name, list)) in [("articles", arts), ("entities", &ents[..])].into_iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"{" } else { b",\n" });
        serde_json::to_writer(&mut out, name)?;
        out.extend_from_slice(b":[");
        for (j, item) in list.iter().enumerate() {
            out.extend_from_slice(if j == 0 { b"\n" } else { b",\n" });
            out.extend_from_slice(item.as_bytes());
        }
        out.extend_from_slice(b"\n]");
    }
    out.extend_from_slice(b"}\n");
    Ok(out)
}
