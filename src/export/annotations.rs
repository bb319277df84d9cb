//! `data/annotations/NNNN.jsonl`: the articles' mentions, dates and statements as W3C Web
//! Annotations (https://www.w3.org/TR/annotation-model/), in shards of `SHARD` articles in input
//! order, one line per article: an AnnotationCollection with its annotations embedded in the
//! first (only) page. Shards rather than a file per article keep the site's file count down,
//! and their bounded size keeps an edit's rewrite small (one shard) and every file small.
//!
//! A statement is a `quoting` annotation whose target is what was said and whose body is the
//! speaker's entity (as a mention's body), or the speaker's words as text when they name no
//! entity of the archive, or nothing at all.
//!
//! Compact, each fact once: no indentation; each annotation targets the article page
//! `articles/ID.html`, where the text is shown (the site has no other copy of it), with two
//! selectors of the same passage: a FragmentSelector naming its mark's id on the page (`m3`,
//! `d2`, `q1`), and a TextQuoteSelector with the passage (`exact`) and up to `CONTEXT`
//! characters of the shown text either side (`prefix`, `suffix`; cut at the end of the
//! paragraph, heading or line they are in, so they hold only text the page shows next to it),
//! which is what a W3C client that searches the page's text needs. Offsets into the source file
//! are in `archive.json`. An entity is described (`format`, `label`, `type`) at the first
//! annotation of the line that names it and named by its address alone after that, which
//! JSON-LD reads as the same resource. Addresses are absolute with `base_url`; without it they
//! are relative to the shard, which is how JSON-LD resolves `id` and `source` values:
//! `../../articles/ID.html` names the page, `#ID/m3` an annotation of the article `ID` in this
//! shard.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::render::jsonld::geonames_uri;
use crate::index::urls::{absolute, article_url};
use crate::model::{Article, Entity, EntityKind};
use crate::text::Span;

/// Articles per shard: an edit rewrites one shard of this many lines (about 0.5 MB with 100
/// articles of the bench corpus), and no shard grows with the archive.
pub const SHARD: usize = 100;

/// The site path of shard `k`.
pub fn shard_path(k: usize) -> String {
    format!("data/annotations/{k:04}.jsonl")
}

/// The shard of the article at `i` in input order.
pub fn shard_of(i: usize) -> usize {
    i / SHARD
}

/// The site address of an article's annotation collection: its shard, and its id there.
pub fn collection_url(a: &Article, i: usize) -> String {
    format!("{}#{}", shard_path(shard_of(i)), a.id)
}

/// Where a site path is, seen from `data/annotations/`.
struct Addresses<'a> {
    base: Option<&'a str>,
}

impl Addresses<'_> {
    fn of(&self, path: &str) -> String {
        match self.base {
            Some(base) => absolute(base, path),
            None => format!("../../{path}"),
        }
    }

    /// What ids within shard `k` start with: the shard's address, or nothing when relative
    /// (`#ID/m3` resolves against the shard itself).
    fn own(&self, k: usize) -> String {
        match self.base {
            Some(base) => absolute(base, &shard_path(k)),
            None => String::new(),
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

// The line's shapes. Typed rather than `serde_json::Value`: building and dropping a tree of
// maps per annotation was 9% of a 10,000-article build. Fields are in alphabetical order, the
// order in which the export has always listed them (serde_json's maps sort their keys).

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    first: Option<Page<'a>>,
    id: String,
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
    selector: Vec<Selector<'a>>,
    source: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Selector<'a> {
    Quote(QuoteSelector<'a>),
    Fragment(FragmentSelector),
}

#[derive(Serialize)]
struct FragmentSelector {
    #[serde(rename = "conformsTo")]
    conforms_to: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: String,
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    exact: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    prefix: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    suffix: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// Characters of context a TextQuoteSelector gives either side of its passage, at most: as
/// many as Hypothesis stores, enough to tell apart the repeats of a name in one article.
pub const CONTEXT: usize = 32;

/// The passage `span` of the article page `source`, whose mark there has the id `fragment`
/// when it has one (`marked`: the headline is shown without marks). `kept` are the spans of
/// the text the page shows, sorted.
fn target<'a>(text: &'a str, kept: &[Span], span: Span, fragment: &str, marked: bool, source: &'a str) -> Target<'a> {
    let (prefix, suffix) = context(text, kept, span);
    let mut selector = vec![Selector::Quote(QuoteSelector { exact: span.get(text), prefix, suffix, kind: "TextQuoteSelector" })];
    if marked {
        selector.push(Selector::Fragment(FragmentSelector { conforms_to: "http://tools.ietf.org/rfc/rfc3236", kind: "FragmentSelector", value: fragment.to_string() }));
    }
    Target { selector, source }
}

/// The shown text just before and just after `span`: up to `CONTEXT` characters each, within
/// the shown span (paragraph, heading, line) its start and its end are in. Empty where the
/// passage starts or ends its span, or is not inside one.
fn context<'a>(text: &'a str, kept: &[Span], span: Span) -> (&'a str, &'a str) {
    // The last shown span that starts at or before the offset and reaches it.
    let around = |at: usize| kept[..kept.partition_point(|k| k.start() <= at)].iter().rev().find(|k| k.end() >= at).copied();
    let prefix = around(span.start()).map_or("", |k| {
        let before = &text[k.start()..span.start()];
        let from = before.char_indices().rev().nth(CONTEXT - 1).map_or(0, |(i, _)| i);
        &before[from..]
    });
    let suffix = around(span.end()).map_or("", |k| {
        let after = &text[span.end()..k.end().max(span.end())];
        let to = after.char_indices().nth(CONTEXT).map_or(after.len(), |(i, _)| i);
        &after[..to]
    });
    (prefix, suffix)
}

/// The entity a mention names: its page here (described in full the first time the line names
/// it, `described` keeps count), its GeoNames entry for places, and its class.
fn entity_body<'a>(i: usize, entities: &'a [Entity], at: &Addresses, described: &mut BTreeSet<usize>) -> Vec<Resource<'a>> {
    let e = &entities[i];
    let resource = |purpose, source| Resource { purpose, source, kind: "SpecificResource" };
    let id = at.of(&e.url());
    let page = match described.insert(i) {
        true => ResourceSource::Page(EntityPage { format: "text/html", id, label: &e.name, kind: "Text" }),
        false => ResourceSource::Uri(id),
    };
    let mut body = vec![resource("identifying", page)];
    if let Some(id) = e.place.as_ref().and_then(|p| p.geonames_id) {
        body.push(resource("identifying", ResourceSource::Uri(geonames_uri(id))));
    }
    body.push(resource("classifying", ResourceSource::Uri(class(e.kind).to_string())));
    body
}

/// What an annotation is about, before it is written: the body depends on what the line
/// described before it, so the items are put in order first.
enum Item {
    Mention(usize),
    Date(usize),
    Quote(usize),
}

/// An article's items sorted by place in the text; at one place, by fragment as text (so `d1`
/// before `m1`). Fragments as on the article page (`m3`, `d2`), so an annotation and its mark
/// share a name.
fn items(a: &Article) -> Vec<(Span, String, Item)> {
    let mut items = Vec::with_capacity(a.mentions.len() + a.dates.len() + a.quotes.len());
    items.extend(a.mentions.iter().enumerate().map(|(i, m)| (m.span, format!("m{}", i + 1), Item::Mention(i))));
    items.extend(a.dates.iter().enumerate().map(|(i, d)| (d.span, format!("d{}", i + 1), Item::Date(i))));
    items.extend(a.quotes.iter().enumerate().map(|(i, q)| (q.content, format!("q{}", i + 1), Item::Quote(i))));
    items.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.cmp(&y.1)));
    items
}

/// An article's line: its collection, ids under `own` (the shard's address, or nothing).
fn line(out: &mut Vec<u8>, a: &Article, entities: &[Entity], at: &Addresses, own: &str) -> anyhow::Result<()> {
    let source = at.of(&article_url(a));
    let text = a.text();
    let text: &str = &text;
    let in_title = |s: Span| a.title_span.is_some_and(|t| t.start() <= s.start() && s.end() <= t.end());
    let mut described = BTreeSet::new();
    let annotations: Vec<Annotation> = items(a)
        .into_iter()
        .map(|(span, fragment, item)| {
            let (body, motivation) = match item {
                Item::Mention(i) => (Some(Body::Entity(entity_body(a.mentions[i].entity, entities, at, &mut described))), "identifying"),
                // TIMEX3-style value, resolved as the article page explains.
                Item::Date(i) => (Some(Body::Text(TextualBody { format: "text/plain", purpose: "describing", kind: "TextualBody", value: &a.dates[i].value })), "describing"),
                Item::Quote(i) => {
                    let q = &a.quotes[i];
                    let body = match (crate::index::statements::speaker(a, q), q.speaker) {
                        (Some(e), _) => Some(Body::Entity(entity_body(e, entities, at, &mut described))),
                        (None, Some(s)) => Some(Body::Text(TextualBody { format: "text/plain", purpose: "describing", kind: "TextualBody", value: s.get(text) })),
                        (None, None) => None,
                    };
                    (body, "quoting")
                }
            };
            Annotation { body, id: format!("{own}#{}/{fragment}", a.id), motivation, target: target(text, &a.kept, span, &fragment, !in_title(span), &source), kind: "Annotation" }
        })
        .collect();
    let total = annotations.len();
    let first = (total > 0).then(|| Page { id: format!("{own}#{}/page1", a.id), items: annotations, start_index: 0, kind: "AnnotationPage" });
    let collection = Collection {
        context: "http://www.w3.org/ns/anno.jsonld",
        first,
        id: format!("{own}#{}", a.id),
        label: format!("People, organisations, places, dates and statements in \u{201c}{}\u{201d}", a.title),
        total,
        kind: "AnnotationCollection",
    };
    // Compact JSON escapes every line break inside strings, so the collection is one line.
    serde_json::to_writer(&mut *out, &collection)?;
    out.push(b'\n');
    Ok(())
}

/// Shard `k`: a line for each of `articles` (the shard's articles, in input order).
pub fn shard(k: usize, articles: &[Article], entities: &[Entity], base: Option<&str>) -> anyhow::Result<Vec<u8>> {
    let at = Addresses { base };
    let own = at.own(k);
    let mut out = Vec::with_capacity(articles.len() * 8192);
    for a in articles {
        line(&mut out, a, entities, &at, &own)?;
    }
    Ok(out)
}
