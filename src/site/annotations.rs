//! `data/annotations/ID.jsonld`: an article's mentions, dates and statements as W3C Web Annotations
//! (https://www.w3.org/TR/annotation-model/), one AnnotationCollection per article with its
//! annotations embedded in the first (only) page. A statement is a `quoting` annotation whose
//! target is what was said and whose body is the speaker's entity (as a mention's body), or the
//! speaker's words as text when they name no entity of the archive, or nothing at all.
//!
//! Each annotation targets the original text `articles/ID.txt` with a TextQuoteSelector and a
//! TextPositionSelector (Unicode code points, as `archive.json`). Addresses are absolute with
//! `base_url`; without it they are relative to the annotation file itself, which is how
//! JSON-LD resolves `id` and `source` values, so `../../articles/ID.txt` still names the text.

use serde::Serialize;

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

// The file's shapes. Typed rather than `serde_json::Value`: building and dropping a tree of maps
// per annotation was 9% of a 10,000-article build. Fields are in alphabetical order, the order
// in which the file has always listed them (serde_json's maps sort their keys).

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    first: Option<Page<'a>>,
    id: &'a str,
    label: String,
    total: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Page<'a> {
    id: String,
    items: Vec<Annotation<'a>>,
    #[serde(rename = "startIndex")]
    start_index: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Annotation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<Body<'a>>,
    id: String,
    motivation: &'static str,
    target: Target<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    /// What a mention names (`entity_body`).
    Entity(Vec<Resource<'a>>),
    /// A date's resolved value.
    Text(TextualBody<'a>),
}

#[derive(Serialize)]
struct Resource<'a> {
    purpose: &'static str,
    source: ResourceSource<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ResourceSource<'a> {
    Page(EntityPage<'a>),
    Uri(String),
}

#[derive(Serialize)]
struct EntityPage<'a> {
    format: &'static str,
    id: String,
    label: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct TextualBody<'a> {
    format: &'static str,
    purpose: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
struct Target<'a> {
    selector: (QuoteSelector<'a>, PositionSelector),
    source: &'a str,
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct PositionSelector {
    end: usize,
    start: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

fn target<'a>(text: &'a str, map: &CharMap, span: Span, source: &'a str) -> Target<'a> {
    // CONTEXT code points either side, cut on character boundaries.
    let before = &text[..span.start];
    let from = before.char_indices().rev().nth(CONTEXT - 1).map_or(0, |(i, _)| i);
    let after = &text[span.end..];
    let to = after.char_indices().nth(CONTEXT).map_or(after.len(), |(i, _)| i);
    Target {
        selector: (
            QuoteSelector { exact: span.get(text), prefix: &before[from..], suffix: &after[..to], kind: "TextQuoteSelector" },
            PositionSelector { end: map.char_offset(span.end), start: map.char_offset(span.start), kind: "TextPositionSelector" },
        ),
        source,
    }
}

/// The entity a mention names: its page here, its GeoNames entry for places, and its class.
fn entity_body<'a>(e: &'a Entity, at: &Addresses) -> Vec<Resource<'a>> {
    let resource = |purpose, source| Resource { purpose, source, kind: "SpecificResource" };
    let page = EntityPage { format: "text/html", id: at.of(&e.url()), label: &e.name, kind: "Text" };
    let mut body = vec![resource("identifying", ResourceSource::Page(page))];
    if let Some(id) = e.place.as_ref().and_then(|p| p.geonames_id) {
        body.push(resource("identifying", ResourceSource::Uri(geonames_uri(id))));
    }
    body.push(resource("classifying", ResourceSource::Uri(class(e.kind).to_string())));
    body
}

/// An article's annotations file. Compact JSON, one annotation per line: the files hold a
/// selector per mention, and indentation made up a third of their size.
pub fn file(a: &Article, entities: &[Entity], base: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let at = Addresses { base };
    let own = at.of(&annotation_path(a));
    let source = at.of(&format!("articles/{}.txt", a.id));
    let text = &a.source.text;
    let map = CharMap::new(text);
    // Fragments as on the article page (`m3`, `d2`), so an annotation and its mark share a name.
    // Sorted by place in the text; at one place, by id as text (so `d1` before `m1`).
    let mut items: Vec<(Span, Annotation)> = Vec::with_capacity(a.mentions.len() + a.dates.len() + a.quotes.len());
    for (i, m) in a.mentions.iter().enumerate() {
        let annotation = Annotation {
            body: Some(Body::Entity(entity_body(&entities[m.entity], &at))),
            id: format!("{own}#m{}", i + 1),
            motivation: "identifying",
            target: target(text, &map, m.span, &source),
            kind: "Annotation",
        };
        items.push((m.span, annotation));
    }
    for (i, d) in a.dates.iter().enumerate() {
        // TIMEX3-style value, resolved as the article page explains.
        let body = TextualBody { format: "text/plain", purpose: "describing", kind: "TextualBody", value: &d.value };
        let annotation = Annotation {
            body: Some(Body::Text(body)),
            id: format!("{own}#d{}", i + 1),
            motivation: "describing",
            target: target(text, &map, d.span, &source),
            kind: "Annotation",
        };
        items.push((d.span, annotation));
    }
    for (i, q) in a.quotes.iter().enumerate() {
        let body = match (super::statements::speaker(a, q), q.speaker) {
            (Some(e), _) => Some(Body::Entity(entity_body(&entities[e], &at))),
            (None, Some(s)) => Some(Body::Text(TextualBody { format: "text/plain", purpose: "describing", kind: "TextualBody", value: s.get(text) })),
            (None, None) => None,
        };
        let annotation = Annotation { body, id: format!("{own}#q{}", i + 1), motivation: "quoting", target: target(text, &map, q.content, &source), kind: "Annotation" };
        items.push((q.content, annotation));
    }
    items.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.id.cmp(&y.1.id)));
    let items: Vec<Annotation> = items.into_iter().map(|(_, v)| v).collect();
    let total = items.len();
    let mut collection = Collection {
        context: "http://www.w3.org/ns/anno.jsonld",
        first: None,
        id: &own,
        label: format!("People, organisations, places, dates and statements in \u{201c}{}\u{201d}", a.title),
        total,
        kind: "AnnotationCollection",
    };
    let mut out = Vec::with_capacity(1024 + 700 * total);
    if items.is_empty() {
        serde_json::to_writer(&mut out, &collection)?;
    } else {
        // The collection with its items written one per line: the head up to the items array,
        // each item, then the rest.
        collection.first = Some(Page { id: format!("{own}#page1"), items: Vec::new(), start_index: 0, kind: "AnnotationPage" });
        let head = serde_json::to_string(&collection)?;
        let (before, after) = head.split_once("\"items\":[]").expect("the items key is written");
        out.extend_from_slice(before.as_bytes());
        out.extend_from_slice(b"\"items\":[\n");
        for (i, item) in items.iter().enumerate() {
            serde_json::to_writer(&mut out, item)?;
            out.extend_from_slice(if i + 1 < total { b",\n" } else { b"\n" });
        }
        out.extend_from_slice(b"]");
        out.extend_from_slice(after.as_bytes());
    }
    out.push(b'\n');
    Ok(out)
}
