//! Page contexts: the plain data each template receives (documented in
//! `docs/template-context.md`). Article text goes in as plain strings; Tera escapes it.

use serde::Serialize;
use std::collections::BTreeMap;

use crate::clean::dateline::MONTHS;
use crate::model::{Article, Block, Entity, EntityKind, NoteKind};
use crate::text::{shorten, Span};

#[derive(Serialize, Clone)]
pub struct Counts {
    pub location: usize,
    pub organisation: usize,
    pub person: usize,
}

#[derive(Serialize, Clone)]
pub struct ArticleSummary {
    pub id: String,
    pub url: String,
    pub title: String,
    pub title_derived: bool,
    pub published: Option<String>,
    pub published_display: String,
    pub place: Option<String>,
    pub agency: Option<String>,
    pub snippet: String,
    pub counts: Counts,
}

/// What a passage or a mention elsewhere needs of its article: the link, the date and the
/// dateline's place and agency. The timeline and the entity pages list passages by the
/// thousand, and the full summary (snippet, counts) was repeated in each.
#[derive(Serialize)]
pub struct ArticleLink<'a> {
    url: &'a str,
    title: &'a str,
    title_derived: bool,
    published: Option<&'a str>,
    published_display: &'a str,
    place: Option<&'a str>,
    agency: Option<&'a str>,
}

impl ArticleLink<'_> {
    /// Appends everything the link shows, for the key of a page that lists it: each text
    /// length-prefixed, an absent one as u64::MAX. (Destructured, so that a field added to the
    /// link cannot be left out of its key.)
    pub fn key_part(&self, buf: &mut Vec<u8>) {
        let ArticleLink { url, title, title_derived, published, published_display, place, agency } = self;
        for text in [Some(*url), Some(*title), *published, Some(*published_display), *place, *agency] {
            match text {
                Some(t) => {
                    buf.extend_from_slice(&(t.len() as u64).to_le_bytes());
                    buf.extend_from_slice(t.as_bytes());
                }
                None => buf.extend_from_slice(&u64::MAX.to_le_bytes()),
            }
        }
        buf.push(u8::from(*title_derived));
    }
}

impl<'a> From<&'a ArticleSummary> for ArticleLink<'a> {
    fn from(s: &'a ArticleSummary) -> Self {
        ArticleLink {
            url: &s.url,
            title: &s.title,
            title_derived: s.title_derived,
            published: s.published.as_deref(),
            published_display: &s.published_display,
            place: s.place.as_deref(),
            agency: s.agency.as_deref(),
        }
    }
}

/// An entity as lists show it: its link and how often the archive mentions it.
#[derive(Serialize, Clone)]
pub struct EntitySummary {
    #[serde(flatten)]
    pub entity: EntityRef,
    pub article_count: usize,
    pub mention_count: usize,
}

#[derive(Serialize, Clone)]
pub struct SegMention {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub entity_id: String,
    pub entity_name: String,
    pub url: String,
    pub type_label: &'static str,
    pub uncertain: bool,
}

/// A date expression marked in the text.
#[derive(Serialize, Clone)]
pub struct SegDate {
    /// `d3`: the fragment the timeline links to.
    pub id: String,
    pub value: String,
    pub note: Option<String>,
    pub precision: &'static str,
    pub rule: &'static str,
    pub anchor: &'static str,
}

/// A run of text with one set of marks. A segment with no mark at all reaches templates as a
/// bare string, the rest as objects: most of an article is unmarked text, and Tera looks up
/// every field a template tests by name (the segment macro was 40% of the article pages' time
/// at 2,000 articles).
#[derive(Clone)]
pub struct Segment {
    pub text: String,
    pub mention: Option<SegMention>,
    pub date: Option<SegDate>,
    pub em: bool,
    pub strong: bool,
    pub code: bool,
    pub link: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct BlockCtx {
    pub kind: crate::model::BlockKind,
    pub level: u8,
    pub segments: Vec<Segment>,
    pub id: String,
    /// A code block's language, as the fence named it.
    pub lang: Option<String>,
    /// A code block in a language syntect knows, highlighted; the only HTML a context carries
    /// (see `site::syntax::highlight` for why it is safe to insert).
    pub html: Option<String>,
}

#[derive(Serialize)]
pub struct NoteCtx {
    pub kind: NoteKind,
    pub message: String,
    pub line: Option<usize>,
}

#[derive(Serialize)]
pub struct Snippet {
    pub before: String,
    pub text: String,
    pub after: String,
    pub anchor: String,
}

pub fn display_date(published: Option<&str>) -> String {
    let Some(p) = published else { return "date unknown".to_string() };
    let parts: Vec<&str> = p.split('-').collect();
    let month = |m: &str| m.parse::<usize>().ok().and_then(|m| MONTHS.get(m.wrapping_sub(1))).copied().unwrap_or("?");
    match parts.as_slice() {
        [y, m, d] if *y == "XXXX" => format!("{} {} (year unknown)", d.trim_start_matches('0'), month(m)),
        [y, m, d] => format!("{} {} {}", d.trim_start_matches('0'), month(m), y),
        [y, m] => format!("{} {}", month(m), y),
        [y] => y.to_string(),
        _ => p.to_string(),
    }
}

/// An entity as a link, without its counts: what article pages and "often mentioned with"
/// lists show. Counts change whenever any article mentioning the entity changes, and a page
/// that carried them would have to be rendered again each time.
#[derive(Serialize, Clone)]
pub struct EntityRef {
    pub id: String,
    pub url: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub type_label: &'static str,
}

pub fn entity_ref(e: &Entity) -> EntityRef {
    EntityRef { id: e.id.clone(), url: e.url(), name: e.name.clone(), kind: e.kind.as_str(), type_label: e.kind.label() }
}

pub fn entity_summary(e: &Entity) -> EntitySummary {
    EntitySummary { entity: entity_ref(e), article_count: e.articles.len(), mention_count: e.mention_count }
}

pub fn article_url(a: &Article) -> String {
    format!("articles/{}.html", a.id)
}

/// The article's annotations as highlighted JSON, beside its page.
pub fn data_url(a: &Article) -> String {
    format!("articles/{}.data.html", a.id)
}

pub fn article_summary(a: &Article, entities: &[Entity]) -> ArticleSummary {
    let text = &a.source.text;
    let mut distinct: BTreeMap<EntityKind, std::collections::BTreeSet<usize>> = BTreeMap::new();
    for m in &a.mentions {
        distinct.entry(entities[m.entity].kind).or_default().insert(m.entity);
    }
    let count = |k| distinct.get(&k).map_or(0, |s| s.len());
    let snippet = match a.standfirst {
        Some(s) => s.get(text).trim().to_string(),
        None => a.blocks.iter().find(|b| b.kind == crate::model::BlockKind::Paragraph).map(|b| shorten(&crate::clean::block_text(text, b), 220)).unwrap_or_default(),
    };
    let agency = a.dateline.as_ref().and_then(|d| d.agency).map(|s| s.get(text).to_string()).or_else(|| a.source.meta.publisher.clone());
    ArticleSummary {
        id: a.id.clone(),
        url: article_url(a),
        title: a.title.clone(),
        title_derived: a.title_derived,
        published: a.published.clone(),
        published_display: display_date(a.published.as_deref()),
        place: a.dateline.as_ref().and_then(|d| d.place).map(|s| s.get(text).to_string()),
        agency,
        snippet,
        counts: Counts { location: count(EntityKind::Location), organisation: count(EntityKind::Organisation), person: count(EntityKind::Person) },
    }
}


impl Segment {
    fn is_plain(&self) -> bool {
        self.mention.is_none() && self.date.is_none() && !self.em && !self.strong && !self.code && self.link.is_none()
    }
}

impl Serialize for Segment {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        if self.is_plain() {
            return ser.serialize_str(&self.text);
        }
        // Most marked segments are a mention or a date in unstyled text: `styled` lets the
        // template test one field instead of four, and the style fields come only with it.
        let styled = self.em || self.strong || self.code || self.link.is_some();
        let mut st = ser.serialize_struct("Segment", 8)?;
        st.serialize_field("text", &self.text)?;
        st.serialize_field("mention", &self.mention)?;
        st.serialize_field("date", &self.date)?;
        st.serialize_field("styled", &styled)?;
        if styled {
            st.serialize_field("em", &self.em)?;
            st.serialize_field("strong", &self.strong)?;
            st.serialize_field("code", &self.code)?;
            st.serialize_field("link", &self.link)?;
        }
        st.end()
    }
}

/// Splits a span of the source into segments at mention boundaries.
pub fn segments(a: &Article, entities: &[Entity], span: Span, style: Option<&crate::model::Run>) -> Vec<Segment> {
    let text = &a.source.text;
    let mut out = Vec::new();
    let mut pos = span.start;
    let plain = |s: &str| Segment {
        text: s.to_string(),
        mention: None,
        date: None,
        em: style.is_some_and(|r| r.em),
        strong: style.is_some_and(|r| r.strong),
        code: style.is_some_and(|r| r.code),
        link: style.and_then(|r| r.link.clone()),
    };
    // Mentions and dates in this span, in text order; a date overlapping a mention is skipped.
    let mut marks: Vec<(Span, Option<usize>, Option<usize>)> = Vec::new();
    for (i, m) in a.mentions.iter().enumerate() {
        if span.contains(m.span) {
            marks.push((m.span, Some(i), None));
        }
    }
    for (i, d) in a.dates.iter().enumerate() {
        if span.contains(d.span) && !a.mentions.iter().any(|m| m.span.overlaps(d.span)) {
            marks.push((d.span, None, Some(i)));
        }
    }
    marks.sort_by_key(|(s, _, _)| (s.start, s.end));
    for (mspan, mention, date) in marks {
        if mspan.start < pos {
            continue;
        }
        if mspan.start > pos {
            out.push(plain(&text[pos..mspan.start]));
        }
        let mut seg = plain(mspan.get(text));
        if let Some(i) = mention {
            let e = &entities[a.mentions[i].entity];
            seg.mention = Some(SegMention {
                id: format!("m{}", i + 1),
                kind: e.kind.as_str(),
                entity_id: e.id.clone(),
                entity_name: e.name.clone(),
                url: e.url(),
                type_label: e.kind.label(),
                uncertain: a.mentions[i].score < crate::model::UNCERTAIN_BELOW,
            });
        }
        if let Some(i) = date {
            let d = &a.dates[i];
            seg.date = Some(SegDate { id: format!("d{}", i + 1), value: d.value.clone(), note: d.note.clone(), precision: d.precision, rule: d.rule, anchor: d.anchor });
        }
        out.push(seg);
        pos = mspan.end;
    }
    if pos < span.end {
        out.push(plain(&text[pos..span.end]));
    }
    out
}

pub fn block_ctx(a: &Article, entities: &[Entity], b: &Block, n: usize) -> BlockCtx {
    let mut segs = Vec::new();
    for r in &b.runs {
        segs.extend(segments(a, entities, r.span, Some(r)));
    }
    // Leading and trailing white space of a block is layout, not text.
    if let Some(first) = segs.first_mut() {
        first.text = first.text.trim_start().to_string();
    }
    if let Some(last) = segs.last_mut() {
        last.text = last.text.trim_end().to_string();
    }
    let html = match (&b.kind, &b.lang) {
        (crate::model::BlockKind::Code, Some(lang)) => {
            let code: String = b.runs.iter().map(|r| r.span.get(&a.source.text)).collect();
            // Only the block's surrounding blank lines are layout: the first line's indent is code.
            super::syntax::highlight(code.trim_start_matches(['\n', '\r']).trim_end(), lang)
        }
        _ => None,
    };
    BlockCtx { kind: b.kind, level: b.level, segments: segs, id: format!("p{n}"), lang: b.lang.clone(), html }
}

/// The sentence around a span of the shown text, cut to a readable length: the kept span it
/// lies in (a paragraph, the standfirst…) and the text before, of and after the span.
pub fn sentence_around(a: &Article, span: Span) -> Option<(Span, (String, String, String))> {
    let text = &a.source.text;
    let container = *a.kept.iter().find(|k| k.contains(span))?;
    let region = &text[container.start..container.end];
    let rel_start = span.start - container.start;
    let rel_end = span.end - container.start;
    // A sentence starts after the last ". ", "? " or "! " before the span and ends at the first
    // ". " after it. Scanned as bytes: these run for every mention on every entity page, and a
    // substring search per pattern was a tenth of an entity page's time.
    let bytes = region.as_bytes();
    let sentence_start = (1..rel_start).rev().find(|&i| bytes[i] == b' ' && matches!(bytes[i - 1], b'.' | b'?' | b'!')).map_or(0, |i| i + 1);
    let sentence_end = (rel_end..region.len().saturating_sub(1)).find(|&i| bytes[i] == b'.' && bytes[i + 1] == b' ').map_or(region.len(), |i| i + 1);
    let before: String = region[sentence_start..rel_start].to_string();
    let after: String = region[rel_end..sentence_end].to_string();
    let before = if before.chars().count() > 160 {
        let tail: String = before.chars().rev().take(160).collect::<Vec<_>>().into_iter().rev().collect();
        format!("\u{2026}{}", tail.split_once(' ').map_or(tail.as_str(), |(_, r)| r))
    } else {
        before
    };
    Some((container, (before.trim_start().to_string(), span.get(text).to_string(), shorten(after.trim_end(), 160))))
}

/// The fragment of the code block that shows `span`, if one does: names and dates are not
/// marked inside code, so links to them land on the block instead.
pub fn code_block_at(a: &Article, span: Span) -> Option<String> {
    let n = a.blocks.iter().position(|b| b.kind == crate::model::BlockKind::Code && b.runs.iter().any(|r| r.span.contains(span)))?;
    Some(format!("p{}", n + 1))
}

/// Whether a span is in the text the page marks up (body blocks and standfirst), rather than
/// in the headline or dateline, which are shown without marks.
pub fn in_body(a: &Article, span: Span) -> bool {
    a.blocks.iter().flat_map(|b| b.runs.iter()).map(|r| r.span).chain(a.standfirst).any(|s| s.contains(span))
}

/// The fragment of date `i`'s mark on the article page: its code block (no marks inside code),
/// `d{i+1}`, or None where it is not marked (headline, dateline, or inside a mention).
pub fn date_anchor(a: &Article, i: usize) -> Option<String> {
    let span = a.dates[i].span;
    code_block_at(a, span).or_else(|| (in_body(a, span) && !a.mentions.iter().any(|m| m.span.overlaps(span))).then(|| format!("d{}", i + 1)))
}

/// The sentence around a mention, for entity pages, with the fragment that lands on it.
pub fn snippet(a: &Article, mention_index: usize) -> Option<Snippet> {
    let m = &a.mentions[mention_index];
    let (_, (before, text, after)) = sentence_around(a, m.span)?;
    // Mentions in the headline or dateline are not marked inside the page's text: point at the header.
    let anchor = match code_block_at(a, m.span) {
        Some(block) => block,
        None if in_body(a, m.span) => format!("m{}", mention_index + 1),
        None => "article-title".to_string(),
    };
    Some(Snippet { before, text, after, anchor })
}
