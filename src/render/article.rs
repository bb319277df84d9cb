//! An article's page: its header, facts, marked text, entities, dates, notes and statements
//! (`article_context`, see `docs/template-context.md`).

use serde::Serialize;
use std::collections::BTreeMap;

use super::marks::{block_ctx, segments, BlockCtx, Segment};
use super::statements::article_panel;
use crate::index::article::{date_anchor, entity_ref, ArticleSpans, ArticleSummary, EntityRef};
use crate::index::urls::original_text_path;
use crate::model::{Article, Entity, EntityKind, NoteKind};

pub fn article_context(a: &Article, ix: &ArticleSpans, entities: &[Entity], summary: &ArticleSummary, prev: Option<&ArticleSummary>, next: Option<&ArticleSummary>, annotations_url: &'_ str, archive_url: &'_ str) -> tera::Context {
    let text = a.text();
    let text: &str = &text;
    let meta = &a.source.meta;
    let detail = a.detail.get();
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
        archive_url,
    };

    let blocks: Vec<BlockCtx> = detail.blocks.iter().enumerate().map(|(n, b)| block_ctx(a, ix, entities, b, n + 1)).collect();

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
    let notes: Vec<NoteCtx> = detail.notes.iter().map(|n| NoteCtx { kind: n.kind, message: n.message.clone(), line: n.line }).collect();
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
    ctx.insert("statements", &article_panel(a, ix, entities));
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    ctx
}

#[derive(Serialize)]
pub struct NoteCtx {
    pub kind: NoteKind,
    pub message: String,
    pub line: Option<usize>,
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
    /// The site address of the file of `data/archive.json` that lists the article: the
    /// archive itself, or its part (`archive::Layout`).
    archive_url: &'a str,
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
