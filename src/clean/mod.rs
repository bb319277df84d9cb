//! Clean: turn web copy into an article: headline, standfirst, dateline, body, and a note for
//! every decision.
//!
//! The rules are general shapes of news pages, not knowledge of any one site:
//! - page furniture: lines from a documented list (`data/cues.toml`), breadcrumb trails, the
//!   shapes of web copy's link prompts, buttons, captions, bylines and notices ([`furniture`],
//!   `data/web_furniture.toml`), and short labels above the headline or after the last sentence;
//! - the headline: the first short line that is not a sentence; without one, a title is derived
//!   from the lead sentence and marked as derived;
//! - the standfirst: a longer line without final punctuation right after the headline;
//! - the dateline: `PLACE, Month Day. /AGENCY/.` and its relatives (see [`dateline`]);
//! - sub-headings: short lines without final punctuation between paragraphs;
//! - duplicates: a paragraph equal to an earlier one once quote marks, dashes, case and white
//!   space are folded; the first printing is kept.
//!
//! Nothing is deleted from the source: removed lines stay in the original text published beside
//! the article, and the notes say what was removed and why.

pub mod dateline;
mod furniture;
mod markdown;

use rustc_hash::FxHashMap as HashMap;

use crate::lexicon::Lexicon;
use crate::model::{Block, BlockKind, Dateline, Format, NoteKind, Run, Source, SourceNote};
use crate::text::{fold_for_compare, shorten, trim_span, Span};

/// A block of the source before cleaning decided what it is.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub kind: BlockKind,
    pub level: u8,
    pub runs: Vec<Run>,
    pub line: usize,
    pub lang: Option<String>,
}

#[cfg(test)]
thread_local! {
    /// Bytes read to number lines, counted in tests.
    static WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts `n` bytes of work (in tests only).
#[inline]
fn work(n: usize) {
    #[cfg(test)]
    WORK.with(|w| w.set(w.get() + n));
    let _ = n;
}

/// The line numbers of a text: where its line breaks are, found once, so that each block's
/// line is a binary search instead of a count of every newline before it (which made
/// cleaning a long article take time in the square of its length).
pub(crate) struct Lines {
    breaks: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(text: &str) -> Lines {
        work(text.len());
        Lines { breaks: text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i).collect() }
    }

    /// The line (from 1) that holds byte `byte`, as [`crate::error::line_of`] counts it.
    pub(crate) fn line_of(&self, byte: usize) -> usize {
        self.breaks.partition_point(|&b| b < byte) + 1
    }
}

impl Candidate {
    fn new(kind: BlockKind, level: u8, start: usize, lines: &Lines) -> Self {
        Candidate { kind, level, runs: Vec::new(), line: lines.line_of(start), lang: None }
    }
    fn span(&self) -> Span {
        Span::new(self.runs.first().map_or(0, |r| r.span.start()), self.runs.last().map_or(0, |r| r.span.end()))
    }
    fn text(&self, src: &str) -> String {
        let mut s = String::new();
        for r in &self.runs {
            s.push_str(r.span.get(src));
        }
        s.trim().to_string()
    }
}

/// What cleaning made of one source.
#[derive(Debug, Clone)]
pub struct Cleaned {
    pub title: String,
    pub title_derived: bool,
    pub title_span: Option<Span>,
    pub standfirst: Option<Span>,
    pub dateline: Option<Dateline>,
    pub blocks: Vec<Block>,
    pub notes: Vec<SourceNote>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Body,
    Furniture,
    Headline,
    Standfirst,
    DatelineOnly,
    Duplicate,
    Heading,
}

/// Splits plain text into one candidate per non-empty line.
fn txt_candidates(text: &str, start: usize) -> Vec<Candidate> {
    let lines = Lines::new(text);
    let mut out = Vec::new();
    let mut pos = start;
    for raw in text[start..].split_inclusive('\n') {
        let span = trim_span(text, Span::new(pos, pos + raw.len()));
        pos += raw.len();
        if span.is_empty() {
            continue;
        }
        let mut c = Candidate::new(BlockKind::Paragraph, 0, span.start(), &lines);
        c.runs.push(Run { span, ..Run::default() });
        out.push(c);
    }
    out
}

/// Words in a line, counted roughly (runs of non-space).
fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// True when the line ends like a sentence: `.`, `!`, `?`, `…`, possibly inside quotes or brackets.
fn ends_as_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', ']', '\u{BB}']);
    t.ends_with(['.', '!', '?', '\u{2026}'])
}

/// Ends with any punctuation a heading never ends with.
fn ends_with_punctuation(s: &str) -> bool {
    s.ends_with(['.', '!', '?', ':', ';', ',', '"', '\u{201D}', '\u{2026}', '\'', '\u{2019}', '-', '\u{2014}'])
}

fn starts_lowercase(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_lowercase())
}

/// A headline: short, not a sentence, not a lead-in.
fn headline_shape(s: &str) -> bool {
    let words = word_count(s);
    (2..=24).contains(&words)
        && s.chars().count() <= 180
        && !starts_lowercase(s)
        && !s.ends_with(['.', ':', ';', ','])
        && !(s.ends_with(['?', '!']) && words > 14)
}

/// A breadcrumb trail such as "Home > World > Middle East".
fn breadcrumb_shape(s: &str) -> bool {
    // Every separator holds one of these bytes ('›' and '»' end in 0xBA and 0xBB): most
    // paragraphs have none, and are not scanned five times.
    if !s.bytes().any(|b| matches!(b, b'>' | b'/' | b'|' | 0xBA | 0xBB)) {
        return false;
    }
    let seps = s.matches(" > ").count() + s.matches(" › ").count() + s.matches(" » ").count() + s.matches(" / ").count() + s.matches(" | ").count();
    seps >= 1 && word_count(s) <= 12 && !ends_as_sentence(s)
}

/// A line of page furniture by the documented list or the breadcrumb shape.
fn furniture_by_list(lex: &Lexicon, s: &str) -> bool {
    lex.cues.is_furniture(s) || breadcrumb_shape(s)
}

pub fn clean(src: &Source) -> Cleaned {
    let lex = Lexicon::get();
        let lex: &Lexicon = &lex;
    let text = &src.text;
    // Plain text and the text extracted from a saved page: a line is a paragraph, and shape
    // alone says what is a headline or a sub-heading.
    let plain = matches!(src.format, Format::Txt | Format::Html);
    let cands = match src.format {
        Format::Txt | Format::Html => txt_candidates(text, src.body_start),
        Format::Md => markdown::candidates(text, src.body_start),
    };
    let texts: Vec<String> = cands.iter().map(|c| c.text(text)).collect();
    let mut roles = vec![Role::Body; cands.len()];
    let mut notes: Vec<SourceNote> = Vec::new();
    let note = |notes: &mut Vec<SourceNote>, kind, message: String, line| notes.push(SourceNote { kind, message, line: Some(line) });

    if let Some(origin) = &src.meta_origin {
        notes.push(SourceNote { kind: NoteKind::Metadata, message: format!("metadata read from the {origin}"), line: None });
    }

    let mut furniture_why: Vec<Option<&'static str>> = vec![None; cands.len()];
    for (i, t) in texts.iter().enumerate() {
        if cands[i].kind != BlockKind::Code && furniture_by_list(lex, t) {
            roles[i] = Role::Furniture;
        } else if cands[i].kind == BlockKind::Paragraph {
            let span = cands[i].span();
            furniture_why[i] = furniture::why(t).filter(|_| dateline::parse(text, span.start(), span.end()).is_none());
            if furniture_why[i].is_some() {
                roles[i] = Role::Furniture;
            }
        }
    }

    // The headline.
    let mut next = roles.iter().position(|r| *r == Role::Body);
    let mut title_span = None;
    let mut title = None;
    let meta_title = src.meta.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if let Some(h) = next {
        let is_md_title = src.format == Format::Md && cands[h].kind == BlockKind::Heading && cands[h].level == 1;
        let matches_meta = meta_title.is_some_and(|m| fold_for_compare(m) == fold_for_compare(&texts[h]));
        let mut h = h;
        // A short label above a longer headline ("World", "Live") is furniture too.
        let following = roles.iter().enumerate().skip(h + 1).find(|(_, r)| **r == Role::Body).map(|(j, _)| j);
        if !is_md_title && !matches_meta && plain {
            if let Some(j) = following {
                if word_count(&texts[h]) <= 2 && !ends_with_punctuation(&texts[h]) && headline_shape(&texts[j]) && word_count(&texts[j]) > word_count(&texts[h]) {
                    roles[h] = Role::Furniture;
                    h = j;
                }
            }
        }
        let shaped = plain && headline_shape(&texts[h]) && dateline::parse(text, cands[h].span().start(), cands[h].span().end()).is_none();
        if is_md_title || matches_meta || (meta_title.is_none() && shaped) {
            roles[h] = Role::Headline;
            title_span = Some(cands[h].span());
            title = Some(texts[h].clone());
            let why = if matches_meta { "headline (same as the metadata title)" } else { "headline" };
            note(&mut notes, NoteKind::Headline, format!("{why}: \u{201C}{}\u{201D}", texts[h]), cands[h].line);
            next = roles.iter().enumerate().skip(h + 1).find(|(_, r)| **r == Role::Body).map(|(j, _)| j);
        } else {
            next = Some(h);
        }
    }

    // The standfirst: right after the headline, longer than a heading, not a sentence.
    if let (Some(_), Some(s)) = (title_span, next) {
        let t = &texts[s];
        let span = cands[s].span();
        if cands[s].kind == BlockKind::Paragraph && word_count(t) >= 6 && t.chars().count() <= 400 && !ends_as_sentence(t) && !t.ends_with(':') && dateline::parse(text, span.start(), span.end()).is_none() {
            roles[s] = Role::Standfirst;
            note(&mut notes, NoteKind::Standfirst, "standfirst (summary under the headline)".to_string(), cands[s].line);
            next = roles.iter().enumerate().skip(s + 1).find(|(_, r)| **r == Role::Body).map(|(j, _)| j);
        }
    }
    let standfirst = roles.iter().position(|r| *r == Role::Standfirst).map(|i| cands[i].span());

    // The dateline opens the first body paragraph or stands on its own line.
    let mut dateline = None;
    let mut body_trim: Option<(usize, usize)> = None;
    if let Some(d) = next {
        let span = cands[d].span();
        if cands[d].kind == BlockKind::Paragraph {
            if let Some((dl, resume)) = dateline::parse(text, span.start(), span.end()) {
                let mut parts = Vec::new();
                if let Some(p) = dl.place {
                    parts.push(format!("place {}", p.get(text)));
                }
                if let Some(r) = dl.region {
                    parts.push(format!("region {}", r.get(text)));
                }
                if let Some(dt) = dl.date {
                    parts.push(format!("date {} (no year)", dt.get(text)));
                }
                if let Some(a) = dl.agency {
                    parts.push(format!("agency {}", a.get(text)));
                }
                note(&mut notes, NoteKind::Dateline, format!("dateline \u{201C}{}\u{201D}: {}", dl.text, parts.join(", ")), cands[d].line);
                if resume >= span.end() {
                    roles[d] = Role::DatelineOnly;
                } else {
                    body_trim = Some((d, resume));
                }
                dateline = Some(dl);
            }
        }
    }

    // Body: duplicates and sub-headings.
    let body_idx: Vec<usize> = (0..cands.len()).filter(|i| roles[*i] == Role::Body).collect();
    let last_sentence = body_idx.iter().rev().find(|i| ends_as_sentence(&texts[**i])).copied();
    let mut seen: HashMap<String, usize> = HashMap::default();
    if let Some(t) = &title {
        seen.insert(fold_for_compare(t), 0);
    }
    let mut number = 0usize;
    let mut numbers = vec![0usize; cands.len()];
    for (k, &i) in body_idx.iter().enumerate() {
        let t = match body_trim {
            Some((d, resume)) if d == i => text[resume..cands[i].span().end()].trim().to_string(),
            _ => texts[i].clone(),
        };
        // Short lines after the last sentence are page furniture ("Share", "Tags: Syria").
        if last_sentence.is_some_and(|l| i > l) && word_count(&t) <= 4 && !ends_as_sentence(&t) && plain {
            roles[i] = Role::Furniture;
            continue;
        }
        let folded = fold_for_compare(&t);
        if let Some(&first) = seen.get(&folded) {
            roles[i] = Role::Duplicate;
            let of = if first == 0 { "the headline".to_string() } else { format!("paragraph {first}") };
            note(&mut notes, NoteKind::Duplicate, format!("duplicate of {of} removed: \u{201C}{}\u{201D}", shorten(&t, 70)), cands[i].line);
            continue;
        }
        number += 1;
        numbers[i] = number;
        seen.insert(folded, number);
        let later_body = body_idx[k + 1..].iter().any(|j| roles[*j] == Role::Body);
        if plain && later_body && k > 0 && heading_shape(&t) {
            roles[i] = Role::Heading;
            note(&mut notes, NoteKind::Heading, format!("sub-heading: \u{201C}{t}\u{201D}"), cands[i].line);
        } else if starts_lowercase(&t) && cands[i].kind == BlockKind::Paragraph {
            let first_word = t.split_whitespace().next().unwrap_or("");
            note(&mut notes, NoteKind::Truncated, format!("paragraph {number} starts with a lower-case word (\u{201C}{first_word}\u{201D}): the source may have lost its start"), cands[i].line);
        }
    }
    for (i, r) in roles.iter().enumerate() {
        if *r == Role::Furniture {
            let why = furniture_why[i].map(|w| format!(" ({w})")).unwrap_or_default();
            note(&mut notes, NoteKind::Furniture, format!("page furniture removed{why}: \u{201C}{}\u{201D}", shorten(&texts[i], 60)), cands[i].line);
        }
    }

    let mut blocks = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        if !matches!(roles[i], Role::Body | Role::Heading) {
            continue;
        }
        let mut runs = c.runs.clone();
        if let Some((d, resume)) = body_trim {
            if d == i {
                runs.retain(|r| r.span.end() > resume);
                if let Some(first) = runs.first_mut() {
                    first.span.set_start(first.span.start().max(resume));
                }
            }
        }
        let (kind, level) = match roles[i] {
            Role::Heading => (BlockKind::Heading, 2),
            _ if c.kind == BlockKind::Heading => (BlockKind::Heading, c.level.clamp(2, 4)),
            _ => (c.kind, c.level),
        };
        blocks.push(Block { kind, level, runs, lang: c.lang.clone() });
    }

    let (title, title_derived) = match (meta_title, title) {
        (Some(m), _) => (m.to_string(), false),
        (None, Some(t)) => (t, false),
        (None, None) => {
            let lead = blocks.iter().find(|b| b.kind == BlockKind::Paragraph).map(|b| block_text(text, b)).unwrap_or_default();
            let derived = derive_title(&lead);
            notes.push(SourceNote { kind: NoteKind::TitleDerived, message: "the source has no headline: the title is derived from the lead sentence".to_string(), line: None });
            (derived, true)
        }
    };
    notes.sort_by_key(|n| n.line.unwrap_or(0));
    Cleaned { title, title_derived, title_span, standfirst, dateline, blocks, notes }
}

/// A sub-heading: a short line without final punctuation that is not a quotation.
fn heading_shape(s: &str) -> bool {
    let words = word_count(s);
    (1..=12).contains(&words)
        && s.chars().count() <= 100
        && !ends_with_punctuation(s)
        && !starts_lowercase(s)
        && !s.starts_with(['"', '\u{201C}', '\'', '\u{2018}', '(', '-', '\u{2014}'])
}

pub fn block_text(text: &str, b: &Block) -> String {
    b.runs.iter().map(|r| r.span.get(text)).collect::<String>().trim().to_string()
}


/// Words a derived title should not end on.
const WEAK_ENDINGS: [&str; 24] = [
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "and", "or", "but", "by", "from", "that", "which", "who", "their", "its", "his", "her", "as", "is",
];

/// A short title from the lead sentence: the whole first sentence when it is short, else the
/// sentence cut at a word boundary before 100 characters, never on a function word.
pub fn derive_title(lead: &str) -> String {
    let first = lead.split_inclusive(". ").next().unwrap_or(lead).trim();
    let first = first.trim_end_matches(['.', ' ']);
    if first.chars().count() <= 100 {
        return first.to_string();
    }
    let mut words: Vec<&str> = Vec::new();
    let mut len = 0;
    for w in first.split_whitespace() {
        let add = w.chars().count() + usize::from(!words.is_empty());
        if len + add > 96 {
            break;
        }
        len += add;
        words.push(w);
    }
    while words.len() > 3 && WEAK_ENDINGS.contains(&words.last().unwrap().trim_end_matches([',', ';', ':']).to_lowercase().as_str()) {
        words.pop();
    }
    let mut t = words.join(" ");
    t = t.trim_end_matches([',', ';', ':', ' ', '-']).to_string();
    t.push('\u{2026}');
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Meta;

    fn src(text: &str) -> Source {
        Source { path: "t.txt".into(), rel: "t.txt".into(), format: Format::Txt, text: text.into(), body_start: 0, meta: Meta::default(), meta_origin: None }
    }

    fn body(c: &Cleaned, s: &Source) -> Vec<String> {
        c.blocks.iter().map(|b| block_text(&s.text, b)).collect()
    }

    /// The quick rejections (length before folding, separator bytes) change no answer:
    /// folding still forgives case and spacing, and breadcrumbs of each
    /// separator are still seen.
    #[test]
    fn furniture_lines_are_found_however_printed_and_long_lines_are_not() {
        let lex = Lexicon::get();
        let lex: &Lexicon = &lex;
        for line in ["All news", "  ALL   NEWS ", "Read more", "Read\u{A0}more", "Skip to main content"] {
            assert!(furniture_by_list(lex, line), "{line:?} is furniture");
        }
        let long = format!("All news {}", "and more words ".repeat(20));
        assert!(!furniture_by_list(lex, &long));
        for line in ["Home > World > Europe", "Home \u{203A} World", "Home \u{BB} World", "News / Politics", "News | Politics"] {
            assert!(furniture_by_list(lex, line), "{line:?} is a breadcrumb");
        }
        assert!(!furniture_by_list(lex, "The ministers met in Geneva on Friday and agreed on a statement."));
    }

    #[test]
    fn furniture_headline_standfirst_dateline_heading() {
        let s = src("All news\n\nTalks end without a deal\n\nThe ministers failed to agree on the text of a joint statement after two days\n\nGENEVA, March 3. /TASS/. The talks ended late on Friday.\n\nWhat comes next\n\nA new round is planned.\nShare\n");
        let c = clean(&s);
        assert_eq!(c.title, "Talks end without a deal");
        assert!(!c.title_derived);
        assert!(c.standfirst.unwrap().get(&s.text).starts_with("The ministers failed"));
        let d = c.dateline.as_ref().unwrap();
        assert_eq!(d.month_day, Some((3, 3)));
        assert_eq!(body(&c, &s), ["The talks ended late on Friday.", "What comes next", "A new round is planned."]);
        assert_eq!(c.blocks[1].kind, BlockKind::Heading);
        assert!(c.notes.iter().any(|n| n.kind == NoteKind::Furniture && n.message.contains("All news")));
        assert!(c.notes.iter().any(|n| n.kind == NoteKind::Furniture && n.message.contains("Share")));
    }

    #[test]
    fn duplicates_fold_quotes_and_keep_the_first() {
        let s = src("He said \u{2018}no\u{2019} \u{2014} twice.\nHe said 'no' - twice.\nSomething else.\n");
        let c = clean(&s);
        assert_eq!(body(&c, &s), ["He said \u{2018}no\u{2019} \u{2014} twice.", "Something else."]);
        let dup = c.notes.iter().find(|n| n.kind == NoteKind::Duplicate).unwrap();
        assert!(dup.message.contains("paragraph 1"), "{}", dup.message);
        assert_eq!(dup.line, Some(2));
    }

    #[test]
    fn missing_headline_gives_a_short_derived_title() {
        let s = src("Russia on Tuesday urged a US-led coalition fighting against militants to coordinate their air raids with the Syrian government, warning of risks.\nMore text follows here.\n");
        let c = clean(&s);
        assert!(c.title_derived);
        assert!(c.title.chars().count() <= 100, "{}", c.title);
        assert!(c.title.starts_with("Russia on Tuesday urged"));
        assert!(c.title.ends_with('\u{2026}'));
        assert!(!c.title.trim_end_matches('\u{2026}').ends_with(" with"));
        assert_eq!(c.blocks.len(), 2);
    }

    #[test]
    fn truncated_paragraph_is_noted_not_changed() {
        let s = src("A headline here\nFirst paragraph is a sentence.\nvrov rejected the claims.\n");
        let c = clean(&s);
        assert!(c.notes.iter().any(|n| n.kind == NoteKind::Truncated && n.message.contains("vrov")));
        assert_eq!(body(&c, &s)[1], "vrov rejected the claims.");
    }

    /// Numbering the lines of a long article reads it about once, not once a paragraph.
    #[test]
    fn cleaning_reads_a_long_article_about_once() {
        let text: String = (0..5000).map(|i| format!("Paragraph {i} says something about the talks in Geneva.\n")).collect();
        let s = src(&text);
        WORK.with(|w| w.set(0));
        let c = clean(&s);
        let work = WORK.with(|w| w.get());
        assert_eq!(c.blocks.len(), 5000);
        assert!(work <= 2 * text.len(), "{work} bytes read for {} bytes", text.len());
    }

    #[test]
    fn line_numbers_are_the_newlines_before_plus_one() {
        let text = "a\n\nbb\nc\u{e9}\n\n";
        let lines = Lines::new(text);
        for byte in 0..=text.len() + 2 {
            assert_eq!(lines.line_of(byte), crate::error::line_of(text, byte), "byte {byte}");
        }
    }

    #[test]
    fn metadata_title_wins_and_matching_line_is_the_headline() {
        let mut s = src("Talks end\nThe talks ended.\n");
        s.meta.title = Some("Talks end".into());
        let c = clean(&s);
        assert_eq!(c.title, "Talks end");
        assert_eq!(body(&c, &s), ["The talks ended."]);
    }
}
