//! What the pages, search files and exports share of each article and entity, as plain data:
//! an article's summary (what lists show of it), its link, its dates as shown, an entity's
//! reference and summary, and the article's spans sorted once (`ArticleSpans`) with the queries
//! on them (the sentence around a span, the fragment that lands on it). The marks of the text
//! itself are made by `render::marks`. What templates receive is documented in
//! `docs/template-context.md`; article text goes in as plain strings, and Tera escapes it.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

use crate::clean::dateline::MONTHS;
use crate::model::{Article, Block, Entity, EntityKind};
use crate::text::{shorten, Span, SpanSet};
use super::urls::article_url;

#[derive(Serialize, Clone, Copy, Default, PartialEq, Debug)]
pub struct Counts {
    pub location: u32,
    pub organisation: u32,
    pub person: u32,
}

/// What lists show of an article: its link, date, dateline, snippet and how many entities of
/// each type it names. Every article's summary is held until the last page is made, so its
/// texts are one string (eight strings apiece, with their headers, were 701 bytes an article,
/// 70 MB at 100,000); `SummaryView` is what it stands for, and what it serialises as.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleSummary {
    /// id, url, title, published, published_display, place, agency and snippet, one after
    /// the other; `ends[k]` is where text `k` ends.
    texts: Box<str>,
    ends: [u32; 8],
    /// Whether published (bit 0), place (bit 1) and agency (bit 2) are given.
    given: u8,
    title_derived: bool,
    counts: Counts,
}

/// An article's summary, field by field (`ArticleSummary`).
#[derive(Serialize)]
pub struct SummaryView<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub title: &'a str,
    pub title_derived: bool,
    pub published: Option<&'a str>,
    pub published_display: &'a str,
    pub place: Option<&'a str>,
    pub agency: Option<&'a str>,
    pub snippet: &'a str,
    pub counts: Counts,
}

impl ArticleSummary {
    pub fn new(v: SummaryView) -> ArticleSummary {
        let SummaryView { id, url, title, title_derived, published, published_display, place, agency, snippet, counts } = v;
        let parts = [id, url, title, published.unwrap_or(""), published_display, place.unwrap_or(""), agency.unwrap_or(""), snippet];
        let mut texts = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        let mut ends = [0u32; 8];
        for (k, part) in parts.iter().enumerate() {
            texts.push_str(part);
            ends[k] = u32::try_from(texts.len()).expect("a summary is under 4 GB");
        }
        let given = u8::from(published.is_some()) | u8::from(place.is_some()) << 1 | u8::from(agency.is_some()) << 2;
        ArticleSummary { texts: texts.into_boxed_str(), ends, given, title_derived, counts }
    }

    fn text(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        &self.texts[start..self.ends[k] as usize]
    }

    fn given(&self, k: usize, bit: u8) -> Option<&str> {
        (self.given & bit != 0).then(|| self.text(k))
    }

    pub fn view(&self) -> SummaryView<'_> {
        SummaryView {
            id: self.id(),
            url: self.url(),
            title: self.title(),
            title_derived: self.title_derived,
            published: self.published(),
            published_display: self.published_display(),
            place: self.place(),
            agency: self.agency(),
            snippet: self.snippet(),
            counts: self.counts,
        }
    }

    pub fn id(&self) -> &str {
        self.text(0)
    }
    pub fn url(&self) -> &str {
        self.text(1)
    }
    pub fn title(&self) -> &str {
        self.text(2)
    }
    pub fn title_derived(&self) -> bool {
        self.title_derived
    }
    pub fn published(&self) -> Option<&str> {
        self.given(3, 1)
    }
    pub fn published_display(&self) -> &str {
        self.text(4)
    }
    pub fn place(&self) -> Option<&str> {
        self.given(5, 2)
    }
    pub fn agency(&self) -> Option<&str> {
        self.given(6, 4)
    }
    pub fn snippet(&self) -> &str {
        self.text(7)
    }
    pub fn counts(&self) -> Counts {
        self.counts
    }
}

impl Serialize for ArticleSummary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.view().serialize(serializer)
    }
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
            url: s.url(),
            title: s.title(),
            title_derived: s.title_derived,
            published: s.published(),
            published_display: s.published_display(),
            place: s.place(),
            agency: s.agency(),
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

#[derive(Serialize)]
pub struct Snippet {
    pub before: String,
    pub text: String,
    pub after: String,
    pub anchor: String,
}

/// The published date when it is a whole, real date; `XXXX-05-31`, `2017-05` and `2017` are not.
pub fn full_date(published: Option<&str>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(published?, "%Y-%m-%d").ok()
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

/// Where a place is, as a reader names it: "Alexandria, Virginia, United States" (the entity's
/// name, its first-level division and its country, each left out when it repeats an earlier
/// part or a part of the name, the country for a country or a continent). None when the
/// entity has no place.
pub fn place_label(e: &Entity) -> Option<String> {
    let p = e.place.as_ref()?;
    let mut parts: Vec<&str> = vec![e.name.as_str()];
    let country = match p.feature {
        "country" | "continent" => None,
        _ => p.country_name.as_deref(),
    };
    for part in [p.division.as_deref(), country].into_iter().flatten() {
        // A name told apart from a namesake already says where ("Edmonton, England").
        if !part.trim().is_empty() && !parts.iter().flat_map(|q| q.split(", ")).any(|q| q.eq_ignore_ascii_case(part)) {
            parts.push(part);
        }
    }
    Some(parts.join(", "))
}

/// `blocks` are the article's (`Detail::blocks`), decoded by the caller.
pub fn article_summary(a: &Article, blocks: &[Block], entities: &[Entity]) -> ArticleSummary {
    let text = a.text();
    let text: &str = &text;
    let mut distinct: BTreeMap<EntityKind, std::collections::BTreeSet<usize>> = BTreeMap::new();
    for m in &a.mentions {
        distinct.entry(entities[m.entity].kind).or_default().insert(m.entity);
    }
    let count = |k| distinct.get(&k).map_or(0, |s| s.len() as u32);
    let snippet = match a.standfirst {
        Some(s) => s.get(text).trim().to_string(),
        None => blocks.iter().find(|b| b.kind == crate::model::BlockKind::Paragraph).map(|b| shorten(&crate::clean::block_text(text, b), 220)).unwrap_or_default(),
    };
    let agency = a.dateline.as_ref().and_then(|d| d.agency).map(|s| s.get(text)).or(a.source.meta.publisher.as_deref());
    ArticleSummary::new(SummaryView {
        id: &a.id,
        url: &article_url(a),
        title: &a.title,
        title_derived: a.title_derived,
        published: a.published.as_deref(),
        published_display: &display_date(a.published.as_deref()),
        place: a.dateline.as_ref().and_then(|d| d.place).map(|s| s.get(text)),
        agency,
        snippet: &snippet,
        counts: Counts { location: count(EntityKind::Location), organisation: count(EntityKind::Organisation), person: count(EntityKind::Person) },
    })
}


#[cfg(test)]
thread_local! {
    /// Mentions and dates looked at by the queries below, counted in tests to show that an
    /// article's pages take work in proportion to it, not to its square.
    pub(crate) static WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts `n` steps of work (in tests only).
#[inline]
fn work(n: usize) {
    #[cfg(test)]
    WORK.with(|w| w.set(w.get() + n));
    let _ = n;
}

/// An article's mentions, dates and shown spans, sorted once so that the pages can ask where
/// each lies in O(log n). Each mention's snippet, each date's anchor and each run's marks had
/// scanned all of the article's mentions or paragraphs: a 12 MB article took 30 s for its
/// article and entity pages and timeline. Made once per article (`ArticleSpans::new`).
#[derive(Debug, Default)]
pub struct ArticleSpans {
    /// `a.kept`: the paragraph, headline… that holds a span.
    kept: SpanSet,
    /// Body runs and the standfirst: the text the page marks up (`in_body`).
    body: SpanSet,
    /// The runs of code blocks, with each one's block number.
    code: SpanSet,
    code_block: Box<[u32]>,
    /// Mention numbers by (start, number); dates likewise. Empty when that is their own
    /// order, as it nearly always is (`Order`).
    mentions: Order,
    dates: Order,
    /// Whether date `i` overlaps a mention (then it is not marked).
    pub(crate) date_in_mention: Box<[bool]>,
    /// (entity, mention number) for every mention, sorted; empty for an article of up to
    /// `SCAN_UP_TO` mentions, whose mentions of an entity are found by a scan.
    by_entity: Box<[(u32, u32)]>,
    /// The statements marked in the text: in text order, none overlapping the one before (a
    /// statement inside another is listed in the panel, not marked twice).
    marked_quotes: Box<[u32]>,
    /// Where a marked statement starts or ends, in order: where runs of text are cut.
    quote_cuts: Box<[u32]>,
}

impl ArticleSpans {
    /// `blocks` are the article's (`Detail::blocks`), decoded by the caller.
    pub fn new(a: &Article, blocks: &[Block]) -> Self {
        let mentions = Order::new(a.mentions.len(), |i| a.mentions[i].span.start());
        let dates = Order::new(a.dates.len(), |i| a.dates[i].span.start());
        // The largest mention end among those starting before each point: a date overlaps a
        // mention iff one starting before the date's end reaches past its start.
        let reach: Vec<usize> = (0..a.mentions.len()).map(|k| mentions.at(k)).scan(0, |max, i| {
            *max = (*max).max(a.mentions[i].span.end());
            Some(*max)
        }).collect();
        let date_in_mention = a
            .dates
            .iter()
            .map(|d| {
                let before = mentions.first(a.mentions.len(), |i| a.mentions[i].span.start() >= d.span.end());
                before > 0 && reach[before - 1] > d.span.start()
            })
            .collect();
        let body = SpanSet::unordered(blocks.iter().flat_map(|b| b.runs.iter()).map(|r| r.span).chain(a.standfirst).collect());
        let (code, code_block): (Vec<Span>, Vec<u32>) = blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.kind == crate::model::BlockKind::Code)
            .flat_map(|(n, b)| b.runs.iter().map(move |r| (r.span, n as u32)))
            .unzip();
        let mut by_entity: Vec<(u32, u32)> = Vec::new();
        if a.mentions.len() > SCAN_UP_TO {
            by_entity = a.mentions.iter().enumerate().map(|(i, m)| (m.entity as u32, i as u32)).collect();
            by_entity.sort_unstable();
        }
        let (marked_quotes, quote_cuts) = marked_quotes(a);
        ArticleSpans {
            kept: SpanSet::new(a.kept.clone()),
            body,
            code: SpanSet::new(code),
            code_block: code_block.into(),
            mentions,
            dates,
            date_in_mention,
            by_entity: by_entity.into(),
            marked_quotes: marked_quotes.into(),
            quote_cuts: quote_cuts.into(),
        }
    }

    /// The first place after `at` where a marked statement starts or ends (usize::MAX: none).
    pub fn quote_cut_after(&self, at: usize) -> usize {
        self.quote_cuts.get(self.quote_cuts.partition_point(|&c| c as usize <= at)).map_or(usize::MAX, |&c| c as usize)
    }

    /// The marked statement that overlaps `span`, if one does.
    pub fn quote_over(&self, a: &Article, span: Span) -> Option<usize> {
        work(1);
        let before = self.marked_quotes.partition_point(|&q| a.quotes[q as usize].content.start() < span.end());
        let q = *self.marked_quotes[..before].last()? as usize;
        (a.quotes[q].content.end() > span.start()).then_some(q)
    }

    /// The numbers of the mentions inside `span`, in text order.
    pub fn mentions_in<'s>(&'s self, a: &'s Article, span: Span) -> impl Iterator<Item = usize> + 's {
        let n = a.mentions.len();
        let from = self.mentions.first(n, |i| a.mentions[i].span.start() >= span.start());
        (from..n).map(|k| self.mentions.at(k)).take_while(move |&i| a.mentions[i].span.start() <= span.end()).inspect(|_| work(1)).filter(move |&i| span.contains(a.mentions[i].span))
    }

    /// The numbers of the dates inside `span`, in text order.
    pub fn dates_in<'s>(&'s self, a: &'s Article, span: Span) -> impl Iterator<Item = usize> + 's {
        let n = a.dates.len();
        let from = self.dates.first(n, |i| a.dates[i].span.start() >= span.start());
        (from..n).map(|k| self.dates.at(k)).take_while(move |&i| a.dates[i].span.start() <= span.end()).inspect(|_| work(1)).filter(move |&i| span.contains(a.dates[i].span))
    }

    /// The numbers of the mentions of entity `e` in article `a` (the one these spans are
    /// of), in order.
    pub fn mentions_of<'s>(&'s self, a: &'s Article, e: usize) -> impl Iterator<Item = usize> + 's {
        let indexed = !self.by_entity.is_empty();
        let range = if indexed {
            let from = self.by_entity.partition_point(|p| (p.0 as usize) < e);
            from..from + self.by_entity[from..].partition_point(|p| p.0 as usize == e)
        } else {
            0..a.mentions.len()
        };
        range.inspect(|_| work(1)).filter_map(move |k| if indexed { Some(self.by_entity[k].1 as usize) } else { (a.mentions[k].entity == e).then_some(k) })
    }

    /// The first kept span (`a.kept`) that holds `span`.
    pub fn kept_around(&self, span: Span) -> Option<Span> {
        work(1);
        self.kept.first_containing(span).map(|i| self.kept.get(i))
    }
}

/// Up to this many mentions, an article's mentions of an entity are found by looking at each
/// (`ArticleSpans::mentions_of`): the sorted list costs 8 bytes a mention, 40 MB at 100,000
/// bench articles, and is only worth it for a long article, named by many entity pages.
const SCAN_UP_TO: usize = 64;

/// A permutation of an article's mentions or dates into text order (by start, then number),
/// held only when it is not the identity: they are found in text order, so it nearly always
/// is, and at 100,000 articles the two lists were 20 MB.
#[derive(Debug, Default)]
struct Order(Box<[u32]>);

impl Order {
    /// The order of `n` items by `start(i)`, then `i`.
    fn new(n: usize, start: impl Fn(usize) -> usize) -> Order {
        if (1..n).all(|i| start(i - 1) <= start(i)) {
            return Order(Box::default());
        }
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by_key(|&i| (start(i as usize), i));
        Order(order.into())
    }

    /// The item at place `k` in text order.
    fn at(&self, k: usize) -> usize {
        if self.0.is_empty() { k } else { self.0[k] as usize }
    }

    /// The first place `k` of `n` whose item satisfies `past`, which is false for every item
    /// before some place and true from there (a binary search).
    fn first(&self, n: usize, past: impl Fn(usize) -> bool) -> usize {
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if past(self.at(mid)) { hi = mid } else { lo = mid + 1 }
        }
        lo
    }
}

/// The statements to mark (`ArticleSpans::marked_quotes`) and their ends (`quote_cuts`).
fn marked_quotes(a: &Article) -> (Vec<u32>, Vec<u32>) {
    let mut order: Vec<u32> = (0..a.quotes.len() as u32).collect();
    order.sort_by_key(|&q| (a.quotes[q as usize].content.start(), std::cmp::Reverse(a.quotes[q as usize].content.end()), q));
    let (mut marked, mut cuts, mut reach) = (Vec::new(), Vec::new(), 0);
    for q in order {
        let c = a.quotes[q as usize].content;
        if c.start() >= reach && !c.is_empty() {
            marked.push(q);
            cuts.extend([c.start() as u32, c.end() as u32]);
            reach = c.end();
        }
    }
    (marked, cuts)
}

/// The sentence around a span of the shown text, cut to a readable length: the kept span it
/// lies in (a paragraph, the standfirst…) and the text before, of and after the span.
pub fn sentence_around(a: &Article, ix: &ArticleSpans, span: Span) -> Option<(Span, (String, String, String))> {
    let text = a.text();
    let text: &str = &text;
    let container = ix.kept_around(span)?;
    let region = &text[container.start()..container.end()];
    let rel_start = span.start() - container.start();
    let rel_end = span.end() - container.start();
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
pub fn code_block_at(ix: &ArticleSpans, span: Span) -> Option<String> {
    work(1);
    let n = ix.code_block[ix.code.first_containing(span)?];
    Some(format!("p{}", n + 1))
}

/// Whether a span is in the text the page marks up (body blocks and standfirst), rather than
/// in the headline or dateline, which are shown without marks.
pub fn in_body(ix: &ArticleSpans, span: Span) -> bool {
    work(1);
    ix.body.any_contains(span)
}

/// The fragment of date `i`'s mark on the article page: its code block (no marks inside code),
/// `d{i+1}`, or None where it is not marked (headline, dateline, or inside a mention).
pub fn date_anchor(a: &Article, ix: &ArticleSpans, i: usize) -> Option<String> {
    let span = a.dates[i].span;
    code_block_at(ix, span).or_else(|| (in_body(ix, span) && !ix.date_in_mention[i]).then(|| format!("d{}", i + 1)))
}

/// The sentence around a mention, for entity pages, with the fragment that lands on it.
pub fn snippet(a: &Article, ix: &ArticleSpans, mention_index: usize) -> Option<Snippet> {
    let m = &a.mentions[mention_index];
    let (_, (before, text, after)) = sentence_around(a, ix, m.span)?;
    // Mentions in the headline or dateline are not marked inside the page's text: point at the header.
    let anchor = match code_block_at(ix, m.span) {
        Some(block) => block,
        None if in_body(ix, m.span) => format!("m{}", mention_index + 1),
        None => "article-title".to_string(),
    };
    Some(Snippet { before, text, after, anchor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_dates_are_feed_dates() {
        assert!(full_date(Some("2017-05-31")).is_some());
        for p in ["XXXX-05-31", "2017-05", "2017", "2017-02-30", ""] {
            assert!(full_date(Some(p)).is_none(), "{p}");
        }
    }

    #[test]
    fn a_place_label_says_each_part_once() {
        let place = |feature: &'static str, division: Option<&str>| crate::model::Place { feature, country_code: Some("GB".into()), country_name: Some("United Kingdom".into()), division: division.map(str::to_string), lat: None, lon: None, geonames_id: None, population: None, why: None, margin: None, alternatives: Vec::new() };
        let entity = |name: &str, p: crate::model::Place| Entity { id: "location/x".into(), kind: crate::model::EntityKind::Location, name: name.into(), aliases: Vec::new(), place: Some(Box::new(p)), articles: Vec::new(), mention_count: 1, tagged: Vec::new(), listed_at: None };
        assert_eq!(place_label(&entity("Edmonton", place("city", Some("England")))).as_deref(), Some("Edmonton, England, United Kingdom"));
        // Told apart from its namesakes by its division already.
        assert_eq!(place_label(&entity("Edmonton, England", place("city", Some("England")))).as_deref(), Some("Edmonton, England, United Kingdom"));
        assert_eq!(place_label(&entity("United Kingdom", place("country", None))).as_deref(), Some("United Kingdom"));
    }
}
