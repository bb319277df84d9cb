//! Statements on an article's page: the piece of a statement each segment of the text shows
//! (`seg_quote`) and the article's "Statements" panel (`article_panel`). What the entity pages
//! and the statements index show of them is made in `crate::index::statements`.

use serde::Serialize;

use super::marks::SegQuote;
use crate::index::article::{entity_ref, ArticleSpans, EntityRef};
use crate::index::statements::{anchor, excerpt, speaker, speaker_label};
use crate::model::{Article, Entity};
use crate::text::Span;

/// What a segment covering `span` shows of the statement it lies in (see `marks::segments`).
pub fn seg_quote(a: &Article, ix: &ArticleSpans, entities: &[Entity], span: Span) -> Option<SegQuote> {
    let i = ix.quote_over(a, span)?;
    let q = &a.quotes[i];
    let (speaker, resolved) = speaker_label(a, q, entities);
    let starts_here = span.start() <= q.content.start() && q.content.start() < span.end();
    Some(SegQuote { id: starts_here.then(|| format!("q{}", i + 1)), n: format!("q{}", i + 1), speaker, resolved })
}

/// A statement of the article as its "Statements" panel lists it.
#[derive(Serialize)]
pub struct PanelItem {
    anchor: String,
    text: String,
    direct: bool,
    cue: Option<String>,
    /// The speaker's words in the text ("he", "the ministry"), or null.
    speaker_text: Option<String>,
    /// The entity the speaker is, when resolved.
    entity: Option<EntityRef>,
    /// The statement's first words, by which review mode's `[[speaker]]` correction finds it
    /// again (`quote = "…"` in entities.toml), only when they are not the first words of
    /// `text`: review.js reads them there otherwise (`opening` of the excerpt is the same words
    /// unless the excerpt was cut short), which keeps them out of every page.
    opening: Option<String>,
}

/// The article's statements, in text order, for its panel.
pub fn article_panel(a: &Article, ix: &ArticleSpans, entities: &[Entity]) -> Vec<PanelItem> {
    let text = a.text();
    let text: &str = &text;
    a.quotes
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let shown = excerpt(a, q);
            let first = opening(q.content.get(text));
            PanelItem {
                anchor: anchor(a, ix, i),
                opening: (opening(&shown) != first).then_some(first),
                text: shown,
                direct: q.direct,
                cue: q.cue.map(|c| c.get(text).to_string()),
                speaker_text: q.speaker.map(|s| s.get(text).to_string()),
                entity: speaker(a, q).map(|e| entity_ref(&entities[e])),
            }
        })
        .collect()
}

/// The first words of a statement, from its first letter or digit (the quotation mark is left
/// out, as `[[speaker]]` matching leaves it out). `static/review.js` (`opening`) does the same
/// to a panel item's text: change both together.
fn opening(content: &str) -> String {
    let words: Vec<&str> = content.trim_start_matches(|c: char| !c.is_alphanumeric()).split_whitespace().take(OPENING_WORDS).collect();
    words.join(" ")
}

/// How many words of a statement name it in a `[[speaker]]` correction: enough to tell the
/// statements of one speaker in one article apart.
const OPENING_WORDS: usize = 8;
