//! `data/archive.json`: every article and entity, for tools and reviewers. Offsets are Unicode
//! code points into the source file's text, so `text[start:end]` holds in Python.

use serde_json::json;
use std::io::Write;

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

/// The entities as `archive.json` lists them, each as one line of compact JSON.
pub fn entities_json(articles: &[Article], entities: &[Entity]) -> Vec<String> {
    entities
        .iter()
        .map(|e| {
            json!({
                "id": e.id,
                "type": e.kind.as_str(),
                "name": e.name,
                "aliases": e.aliases,
                "url": e.url(),
                "articles": e.articles.iter().map(|i| articles[*i].id.clone()).collect::<Vec<_>>(),
                "mentions": e.mention_count,
                "place": e.place,
            })
            .to_string()
        })
        .collect()
}

/// Streams `archive.json` from the articles' `article_json` and the entities' `entities_json`,
/// both compact JSON text: made once (the articles' also serve their data pages), and never
/// joined in memory, as the file grows with the archive. One article or entity per line keeps
/// it readable and diffable line by line.
pub fn write_archive_json(out: &mut dyn Write, arts: &[String], ents: &[String]) -> std::io::Result<()> {
    for (i, (name, list)) in [("articles", arts), ("entities", ents)].into_iter().enumerate() {
        out.write_all(if i == 0 { b"{" } else { b",\n" })?;
        write!(out, "\"{name}\":[")?;
        for (j, item) in list.iter().enumerate() {
            out.write_all(if j == 0 { b"\n" } else { b",\n" })?;
            out.write_all(item.as_bytes())?;
        }
        out.write_all(b"\n]")?;
    }
    out.write_all(b"}\n")
}
