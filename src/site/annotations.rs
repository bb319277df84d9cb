//! `data/annotations/ID.jsonld`: an article's mentions and dates as W3C Web Annotations
//! (https://www.w3.org/TR/annotation-model/), one AnnotationCollection per article with its
//! annotations embedded in the first (only) page.
//!
//! Each annotation targets the original text `articles/ID.txt` with a TextQuoteSelector and a
//! TextPositionSelector (Unicode code points, as `archive.json`). Addresses are absolute with
//! `base_url`; without it they are relative to the annotation file itself, which is how
//! JSON-LD resolves `id` and `source` values, so `../../articles/ID.txt` still names the text.

use serde_json::{json, Value};

use super::jsonld::geonames_uri;
use super::publish::absolute;
use crate::model::{Article, Entity, EntityKind};
use crate::text::{CharMap, Span};

/// Code points of context on each side of a quote: enough to place a short name
/// ("Assad") unambiguously, as the model suggests.
const CONTEXT: usize = 32;

/// Where a site path is, seen from `data/annotations/`.
struct Addresses<'a> {
    base: Option<&'a str>,
}

impl Addresses<'_> {
    fn of(&self, path: &str) -> String {
        match self.base {
            Some(base) => absolute(base, path),
            None => match path.strip_prefix("data/annotations/") {
                Some(own) => own.to_string(),
                None => format!("../../{path}"),
            },
        }
    }
}

fn class(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "https://schema.org/Person",
        EntityKind::Organisation => "https://schema.org/Organization",
        _ => "https://schema.org/Place",
    }
}

pub fn annotation_path(a: &Article) -> String {
    format!("data/annotations/{}.jsonld", a.id)
}

fn target(text: &str, map: &CharMap, span: Span, source: &str) -> Value {
    let prefix: String = {
        let mut back: Vec<char> = text[..span.start].chars().rev().take(CONTEXT).collect();
        back.reverse();
        back.into_iter().collect()
    };
    let suffix: String = text[span.end..].chars().take(CONTEXT).collect();
    json!({
        "source": source,
        "selector": [
            { "type": "TextQuoteSelector", "exact": span.get(text), "prefix": prefix, "suffix": suffix },
            { "type": "TextPositionSelector", "start": map.char_offset(span.start), "end": map.char_offset(span.end) },
        ],
    })
}

/// The entity a mention names: its page here, its GeoNames entry for places, and its class.
fn entity_body(e: &Entity, at: &Addresses) -> Vec<Value> {
    let mut body = vec![json!({
        "type": "SpecificResource",
        "purpose": "identifying",
        "source": { "id": at.of(&e.url()), "type": "Text", "format": "text/html", "label": e.name },
    })];
    if let Some(id) = e.place.as_ref().and_then(|p| p.geonames_id) {
        body.push(json!({ "type": "SpecificResource", "purpose": "identifying", "source": geonames_uri(id) }));
    }
    body.push(json!({ "type": "SpecificResource", "purpose": "classifying", "source": class(e.kind) }));
    body
}

pub fn collection(a: &Article, entities: &[Entity], base: Option<&str>) -> Value {
    let at = Addresses { base };
    let own = at.of(&annotation_path(a));
    let source = at.of(&format!("articles/{}.txt", a.id));
    let text = &a.source.text;
    let map = CharMap::new(text);
    // Fragments as on the article page (`m3`, `d2`), so an annotation and its mark share a name.
    let mut items: Vec<(Span, Value)> = Vec::new();
    for (i, m) in a.mentions.iter().enumerate() {
        items.push((
            m.span,
            json!({
                "id": format!("{own}#m{}", i + 1),
                "type": "Annotation",
                "motivation": "identifying",
                "body": entity_body(&entities[m.entity], &at),
                "target": target(text, &map, m.span, &source),
            }),
        ));
    }
    for (i, d) in a.dates.iter().enumerate() {
        items.push((
            d.span,
            json!({
                "id": format!("{own}#d{}", i + 1),
                "type": "Annotation",
                "motivation": "describing",
                // TIMEX3-style value, resolved as the article page explains.
                "body": { "type": "TextualBody", "purpose": "describing", "value": d.value, "format": "text/plain" },
                "target": target(text, &map, d.span, &source),
            }),
        ));
    }
    items.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1["id"].as_str().cmp(&y.1["id"].as_str())));
    let mut v = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": own,
        "type": "AnnotationCollection",
        "label": format!("People, organisations, places and dates in \u{201c}{}\u{201d}", a.title),
        "total": items.len(),
    });
    if !items.is_empty() {
        v["first"] = json!({
            "id": format!("{own}#page1"),
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        });
    }
    v
}

/// An article's annotations file. Compact JSON, one annotation per line: the files hold a
/// selector per mention, and indentation made up a third of their size.
pub fn file(a: &Article, entities: &[Entity], base: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let v = collection(a, entities, base);
    let mut out = Vec::with_capacity(16 * 1024);
    let items = v.get("first").and_then(|f| f.get("items")).and_then(Value::as_array);
    match items {
        Some(items) => {
            // The collection without its items, then the items one per line.
            let mut head = v.clone();
            head["first"]["items"] = Value::Array(Vec::new());
            let head = serde_json::to_string(&head)?;
            let (before, after) = head.split_once("\"items\":[]").expect("the items key is written");
            out.extend_from_slice(before.as_bytes());
            out.extend_from_slice(b"\"items\":[\n");
            for (i, item) in items.iter().enumerate() {
                serde_json::to_writer(&mut out, item)?;
                out.extend_from_slice(if i + 1 < items.len() { b",\n" } else { b"\n" });
            }
            out.extend_from_slice(b"]");
            out.extend_from_slice(after.as_bytes());
        }
        None => serde_json::to_writer(&mut out, &v)?,
    }
    out.push(b'\n');
    Ok(out)
}
