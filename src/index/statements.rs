//! Statements on the site: the quotes and reported speech `annotate::quotes` found, marked in
//! the article's text, listed in its "Statements" panel, on their speaker's page and on the
//! statements index. A speaker is shown as the entity only when the annotator resolved it to a
//! mention (`Quote::antecedent`); otherwise the page says "unresolved" or "unattributed" and
//! never guesses.
//!
//! Here: who made a statement (`speaker`), the tally of statements by speaker and the
//! statements index, an entity's statements, and where a statement is on its article's page.
//! The marks and the panel of the article page are in `render::statements`, the search
//! page's statement files in `search::statements`.

use serde::Serialize;
use super::article::{code_block_at, entity_ref, in_body, ArticleLink, ArticleSpans, ArticleSummary, EntityRef};
use crate::model::{Article, Entity, Quote};
use crate::text::{shorten, Span};

/// How many statements an entity page lists, newest first; the page says how many there are
/// in all. Entity pages stay bounded until they are paginated.
pub const ENTITY_STATEMENTS: usize = 100;

/// Characters of a statement shown in lists (the panel, entity pages).
const EXCERPT: usize = 240;

/// The entity the speaker of `q` stands for: the entity of the mention the annotator resolved
/// the speaker to. None when nothing says who it is. (Mentions are in text order, so the
/// mention is found by binary search, as `export::archive::quotes_json` does.)
pub fn speaker(a: &Article, q: &Quote) -> Option<usize> {
    let s = q.antecedent?;
    let i = a.mentions.binary_search_by_key(&(s.start(), s.end()), |m| (m.span.start(), m.span.end())).ok()?;
    Some(a.mentions[i].entity)
}

/// Who said `q`, in words: the entity's name; the speaker's own words when they name no entity
/// ("the spokesman"); or "unattributed".
pub fn speaker_label(a: &Article, q: &Quote, entities: &[Entity]) -> (String, bool) {
    match (speaker(a, q), q.speaker) {
        (Some(e), _) => (entities[e].name.clone(), true),
        (None, Some(s)) => (format!("\u{201c}{}\u{201d} (unresolved)", s.get(&a.text())), false),
        (None, None) => ("unattributed".to_string(), false),
    }
}

/// The statement marked around `span` (a date on the timeline), as (who made it, its fragment).
pub fn around(a: &Article, ix: &ArticleSpans, entities: &[Entity], span: Span) -> Option<(String, String)> {
    let i = ix.quote_over(a, span)?;
    Some((speaker_label(a, &a.quotes[i], entities).0, anchor(a, ix, i)))
}

/// The fragment that lands on statement `i` of the article: its mark where it starts, the code
/// block that holds it, or the article's text.
pub fn anchor(a: &Article, ix: &ArticleSpans, i: usize) -> String {
    let c = a.quotes[i].content;
    let first = Span::new(c.start(), (c.start() + 1).min(c.end()));
    if let Some(block) = code_block_at(ix, first) {
        return block;
    }
    // A statement inside another is not marked itself: its fragment is the outer one's.
    match ix.quote_over(a, first) {
        Some(j) if in_body(ix, Span::new(a.quotes[j].content.start(), a.quotes[j].content.start() + 1)) => format!("q{}", j + 1),
        _ => "article-body".to_string(),
    }
}

/// The words of a statement as lists show them, white space folded, cut to `EXCERPT`.
pub fn excerpt(a: &Article, q: &Quote) -> String {
    let text = a.text();
    let words: Vec<&str> = q.content.get(&text).split_whitespace().collect();
    shorten(&words.join(" "), EXCERPT)
}

/// A statement on its speaker's page.
#[derive(Serialize)]
pub struct EntityStatement<'a> {
    article: ArticleLink<'a>,
    anchor: String,
    text: String,
    direct: bool,
}

/// Entity `e`'s statements across the archive, newest article first (`arts` in list order),
/// in text order within an article: `(total, the first ENTITY_STATEMENTS)`.
pub fn of_entity<'a>(e: usize, arts: &[usize], articles: &[Article], spans: &[ArticleSpans], summaries: &'a [ArticleSummary]) -> (usize, Vec<EntityStatement<'a>>) {
    let mut total = 0;
    let mut shown = Vec::new();
    for &ai in arts {
        let a = &articles[ai];
        for (i, q) in a.quotes.iter().enumerate() {
            if speaker(a, q) != Some(e) {
                continue;
            }
            total += 1;
            if shown.len() < ENTITY_STATEMENTS {
                shown.push(EntityStatement { article: ArticleLink::from(&summaries[ai]), anchor: anchor(a, &spans[ai], i), text: excerpt(a, q), direct: q.direct });
            }
        }
    }
    (total, shown)
}

/// How many statements each entity made, and how many have no resolved speaker.
pub struct Tally {
    pub by_entity: Vec<usize>,
    pub unresolved: usize,
    pub unattributed: usize,
}

pub fn tally(articles: &[Article], entities: &[Entity]) -> Tally {
    let mut t = Tally { by_entity: vec![0; entities.len()], unresolved: 0, unattributed: 0 };
    for a in articles {
        for q in &a.quotes {
            match (speaker(a, q), q.speaker) {
                (Some(e), _) => t.by_entity[e] += 1,
                (None, Some(_)) => t.unresolved += 1,
                (None, None) => t.unattributed += 1,
            }
        }
    }
    t
}

/// A speaker on the statements index.
#[derive(Serialize)]
struct Speaker {
    entity: EntityRef,
    statements: usize,
}

/// How many speakers the statements index lists at most (the most quoted), so that the page
/// stays bounded in a huge archive.
pub const INDEX_SPEAKERS: usize = 2000;

/// The statements index's data (`statements/index.html`): speakers by number of statements
/// (then by name), the first `INDEX_SPEAKERS`, and the statements no entity is known to have made.
pub fn index_context(t: &Tally, entities: &[Entity]) -> super::PageData {
    let mut speakers: Vec<usize> = (0..entities.len()).filter(|&e| t.by_entity[e] > 0).collect();
    speakers.sort_by(|&x, &y| t.by_entity[y].cmp(&t.by_entity[x]).then(entities[x].name.cmp(&entities[y].name)).then(x.cmp(&y)));
    let listed = speakers.len();
    speakers.truncate(INDEX_SPEAKERS);
    let list: Vec<Speaker> = speakers.iter().map(|&e| Speaker { entity: entity_ref(&entities[e]), statements: t.by_entity[e] }).collect();
    let mut ctx = super::PageData::new();
    ctx.insert("total", &(t.by_entity.iter().sum::<usize>() + t.unresolved + t.unattributed));
    ctx.insert("shown", &list.len());
    ctx.insert("listed", &listed);
    ctx.insert("speakers", &list);
    ctx.insert("unresolved", &t.unresolved);
    ctx.insert("unattributed", &t.unattributed);
    ctx
}

/// Appends what an article's pages show of its statements to `buf`, for `article_view_key`:
/// each statement's spans and whether it is direct. The speaker's entity follows from the
/// antecedent's span and the mentions, which the key holds already.
pub fn key_part(a: &Article, buf: &mut Vec<u8>) {
    for q in &a.quotes {
        let spans = [Some(q.content), q.speaker, q.cue, q.antecedent];
        for s in spans {
            let (x, y) = s.map_or((u64::MAX, u64::MAX), |s| (s.start() as u64, s.end() as u64));
            buf.extend_from_slice(&x.to_le_bytes());
            buf.extend_from_slice(&y.to_le_bytes());
        }
        buf.push(u8::from(q.direct));
    }
}
