//! The marks of an article's text: its runs cut into segments at each mention, date and
//! statement (`segments`), and its blocks as the article page shows them (`block_ctx`).

use serde::Serialize;

use super::statements::seg_quote;
use crate::index::article::ArticleSpans;
use crate::model::{Article, Block, Entity};
use crate::text::Span;

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
    /// The statement this run of text is part of (`statements::seg_quote`).
    pub quote: Option<SegQuote>,
}

/// A statement marked in the text: the piece of it a segment holds.
#[derive(Serialize, Clone)]
pub struct SegQuote {
    /// `q3`, on the piece where the statement starts only (the anchor the panels link to).
    pub id: Option<String>,
    /// `q3` on every piece, so that a script can find all of one statement.
    pub n: String,
    /// Who said it, for the tooltip: the entity's name, the speaker's words, or "unattributed".
    pub speaker: String,
    /// Whether the speaker is an entity of the archive.
    pub resolved: bool,
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
    /// (see `syntax::highlight` for why it is safe to insert).
    pub html: Option<String>,
}

impl Segment {
    fn is_plain(&self) -> bool {
        self.mention.is_none() && self.date.is_none() && self.quote.is_none() && !self.em && !self.strong && !self.code && self.link.is_none()
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
        let mut st = ser.serialize_struct("Segment", 9)?;
        st.serialize_field("text", &self.text)?;
        st.serialize_field("quote", &self.quote)?;
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
pub fn segments(a: &Article, ix: &ArticleSpans, entities: &[Entity], span: Span, style: Option<&crate::model::Run>) -> Vec<Segment> {
    let text = a.text();
    let text: &str = &text;
    let mut out = Vec::new();
    let mut pos = span.start();
    let plain = |s: &str| Segment {
        text: s.to_string(),
        mention: None,
        date: None,
        em: style.is_some_and(|r| r.em),
        strong: style.is_some_and(|r| r.strong),
        code: style.is_some_and(|r| r.code),
        link: style.and_then(|r| r.link.clone()),
        quote: None,
    };
    // Text between marks is cut where a statement starts or ends, so that each piece lies in
    // one statement or none.
    let cut = |out: &mut Vec<Segment>, from: usize, to: usize| {
        let mut at = from;
        while at < to {
            let next = ix.quote_cut_after(at).min(to);
            let mut seg = plain(&text[at..next]);
            seg.quote = seg_quote(a, ix, entities, Span::new(at, next));
            out.push(seg);
            at = next;
        }
    };
    // Mentions and dates in this span, in text order; a date overlapping a mention is skipped.
    // Ties in place keep mentions first, each kind in number order.
    let mut marks: Vec<(Span, Option<usize>, Option<usize>)> = Vec::new();
    marks.extend(ix.mentions_in(a, span).map(|i| (a.mentions[i].span, Some(i), None)));
    marks.extend(ix.dates_in(a, span).filter(|&i| !ix.date_in_mention[i]).map(|i| (a.dates[i].span, None, Some(i))));
    marks.sort_by_key(|&(s, m, d)| (s.start(), s.end(), m.is_none(), m.or(d)));
    for (mspan, mention, date) in marks {
        if mspan.start() < pos {
            continue;
        }
        if mspan.start() > pos {
            cut(&mut out, pos, mspan.start());
        }
        let mut seg = plain(mspan.get(text));
        seg.quote = seg_quote(a, ix, entities, mspan);
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
        pos = mspan.end();
    }
    if pos < span.end() {
        cut(&mut out, pos, span.end());
    }
    out
}

pub fn block_ctx(a: &Article, ix: &ArticleSpans, entities: &[Entity], b: &Block, n: usize) -> BlockCtx {
    let mut segs = Vec::new();
    for r in &b.runs {
        segs.extend(segments(a, ix, entities, r.span, Some(r)));
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
            let text = a.text();
            let code: String = b.runs.iter().map(|r| r.span.get(&text)).collect();
            // Only the block's surrounding blank lines are layout: the first line's indent is code.
            crate::render::syntax::highlight(code.trim_start_matches(['\n', '\r']).trim_end(), lang)
        }
        _ => None,
    };
    BlockCtx { kind: b.kind, level: b.level, segments: segs, id: format!("p{n}"), lang: b.lang.clone(), html }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::article::{date_anchor, snippet, WORK};
    use crate::model::{Format, Source};

    /// A long article, annotated by the rules and resolved as a build does.
    fn long_article(paragraphs: usize) -> (Article, Vec<Entity>) {
        let mut text = String::from("Talks in Berlin\n\n");
        for i in 0..paragraphs {
            text.push_str(&format!(
                "On {} March 2014, President Zor{i}a Quel{i}o met officials of the Syrian Democratic Forces (SDF) in Berlin. Quel{i}o said on Monday that the SDF would meet again in April.\n\n",
                i % 28 + 1
            ));
        }
        let src = Source { path: "x/a.txt".into(), rel: "a.txt".into(), format: Format::Txt, text, body_start: 0, meta: Default::default(), meta_origin: None };
        let key = crate::cache::Cache::article_key(&src);
        let mut arts = vec![crate::pipeline::process(src, key, &crate::annotate::rules::RuleAnnotator)];
        crate::pipeline::assign_ids(&mut arts);
        let entities = crate::resolve::resolve(&mut arts, &Default::default(), None);
        (arts.pop().unwrap(), entities)
    }

    /// Where each mark goes, found by scanning every mention, date and span as the pages did
    /// before `ArticleSpans`: the reference the indexed queries must agree with.
    fn marks_reference(a: &Article, span: Span) -> Vec<(Span, Option<usize>, Option<usize>)> {
        let mut marks = Vec::new();
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
        marks.sort_by_key(|(s, _, _)| (s.start(), s.end()));
        marks
    }

    /// Every run's marks, every date's anchor and every mention's snippet, as the article,
    /// timeline and entity pages ask for them, take work in proportion to the article (before,
    /// each scanned all of the article's mentions or paragraphs), and agree with the scans.
    #[test]
    fn page_work_grows_with_the_length_of_the_article() {
        let (a, entities) = long_article(300);
        assert!(a.mentions.len() > 600 && a.dates.len() > 300, "{} mentions, {} dates", a.mentions.len(), a.dates.len());
        let blocks = a.detail.get().blocks;
        let ix = ArticleSpans::new(&a, &blocks);
        WORK.with(|w| w.set(0));
        let runs: Vec<Span> = blocks.iter().flat_map(|b| b.runs.iter().map(|r| r.span)).collect();
        let segs: Vec<Vec<Segment>> = runs.iter().map(|r| segments(&a, &ix, &entities, *r, None)).collect();
        let anchors: Vec<Option<String>> = (0..a.dates.len()).map(|i| date_anchor(&a, &ix, i)).collect();
        let snippets: Vec<Option<String>> = (0..a.mentions.len()).map(|i| snippet(&a, &ix, i).map(|s| s.anchor)).collect();
        let by_entity: Vec<Vec<usize>> = (0..entities.len()).map(|e| ix.mentions_of(&a, e).collect()).collect();
        let work = WORK.with(|w| w.get());
        let size = a.mentions.len() + a.dates.len() + runs.len();
        assert!(work <= 10 * size, "{work} steps for {size} mentions, dates and runs");
        agree_with_scans(&a, &blocks, &runs, &segs, &anchors, &snippets, &by_entity);
    }

    /// A short article's mentions of an entity are found by a scan instead of the sorted list
    /// (`ArticleSpans::mentions_of`): the same answers.
    #[test]
    fn a_short_articles_marks_and_mentions_agree_with_the_scans() {
        let (a, entities) = long_article(4);
        assert!(a.mentions.len() > 4 && a.mentions.len() <= 64, "{} mentions", a.mentions.len());
        let blocks = a.detail.get().blocks;
        let ix = ArticleSpans::new(&a, &blocks);
        let runs: Vec<Span> = blocks.iter().flat_map(|b| b.runs.iter().map(|r| r.span)).collect();
        let segs: Vec<Vec<Segment>> = runs.iter().map(|r| segments(&a, &ix, &entities, *r, None)).collect();
        let anchors: Vec<Option<String>> = (0..a.dates.len()).map(|i| date_anchor(&a, &ix, i)).collect();
        let snippets: Vec<Option<String>> = (0..a.mentions.len()).map(|i| snippet(&a, &ix, i).map(|s| s.anchor)).collect();
        let by_entity: Vec<Vec<usize>> = (0..entities.len()).map(|e| ix.mentions_of(&a, e).collect()).collect();
        agree_with_scans(&a, &blocks, &runs, &segs, &anchors, &snippets, &by_entity);
    }

    /// Each run's marks, each date's anchor, each mention's snippet and each entity's mentions
    /// are what scanning every mention and paragraph gives.
    fn agree_with_scans(a: &Article, blocks: &[crate::model::Block], runs: &[Span], segs: &[Vec<Segment>], anchors: &[Option<String>], snippets: &[Option<String>], by_entity: &[Vec<usize>]) {
        for (r, segs) in runs.iter().zip(segs) {
            let marked: Vec<(Option<String>, Option<String>)> = segs.iter().filter(|s| s.mention.is_some() || s.date.is_some()).map(|s| (s.mention.as_ref().map(|m| m.id.clone()), s.date.as_ref().map(|d| d.id.clone()))).collect();
            let expected: Vec<(Option<String>, Option<String>)> = marks_reference(a, *r).into_iter().map(|(_, m, d)| (m.map(|i| format!("m{}", i + 1)), d.map(|i| format!("d{}", i + 1)))).collect();
            assert_eq!(marked, expected);
        }
        let body = |s: Span| blocks.iter().flat_map(|b| b.runs.iter()).map(|r| r.span).chain(a.standfirst).any(|r| r.contains(s));
        for (i, d) in a.dates.iter().enumerate() {
            let expected = (body(d.span) && !a.mentions.iter().any(|m| m.span.overlaps(d.span))).then(|| format!("d{}", i + 1));
            assert_eq!(anchors[i], expected);
        }
        for (i, m) in a.mentions.iter().enumerate() {
            let shown = a.kept.iter().any(|k| k.contains(m.span));
            let expected = shown.then(|| if body(m.span) { format!("m{}", i + 1) } else { "article-title".to_string() });
            assert_eq!(snippets[i], expected);
            assert!(by_entity[m.entity].contains(&i));
            assert!(by_entity[m.entity].is_sorted(), "in text order");
        }
        assert_eq!(by_entity.iter().map(Vec::len).sum::<usize>(), a.mentions.len());
    }
}
