//! The tagger's tokenizer and sentence splitter, following the CoNLL-2003 (Penn Treebank)
//! conventions the model was trained on: "Russia's" is "Russia" + "'s", "don't" is "do" +
//! "n't", quotes and brackets stand alone, hyphenated words (al-Nusra, US-led) and
//! abbreviations (U.S., Gen., Corp.) stay whole. Spans are byte ranges into the source text;
//! callers convert them to code points with [`crate::text::CharMap`].
//!
//! Applied to text that is already tokenized this way (a CoNLL document joined by spaces),
//! it gives back exactly the original tokens: `tests` in this file and the `dossier eval`
//! agreement with `ner_eval.py` depend on that.

use crate::text::Span;

/// Words that end in a full stop which belongs to the word. Checked without the stop and
/// case-insensitively. Titles, company suffixes, months and common Reuters abbreviations.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "sgt", "adm", "gov", "sen", "rep", "rev", "st",
    "sr", "jr", "hon", "pres", "corp", "inc", "ltd", "co", "cos", "bros", "plc", "llc", "dept", "univ", "assn", "no", "nos",
    "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "ave",
    "blvd", "rd", "approx", "est", "fig", "pp", "vol", "ed", "eds", "mln", "bln", "pct", "govt",
];

/// Abbreviations that are also ordinary words ("ill.", "wash."), kept only when capitalised:
/// US states and a few more, as Reuters writes them ("Calif.", "Fla.").
const CAPITALISED_ABBREVIATIONS: &[&str] = &[
    "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Ky", "La", "Md", "Mass", "Mich",
    "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa", "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wyo", "Ont",
    "Que", "Man", "Sask", "Alta",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub span: Span,
}

/// A sentence: a range of indices into the token list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '`' | '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}' | '\u{00AB}' | '\u{00BB}')
}

fn is_open(c: char) -> bool {
    is_quote(c) || matches!(c, '(' | '[' | '{')
}

fn is_close(c: char) -> bool {
    is_quote(c) || matches!(c, ')' | ']' | '}' | ',' | ';' | ':' | '!' | '?')
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Whether `w` ends with `suffix`, ASCII letters compared without case. For the clitics and
/// abbreviations below (ASCII letters and apostrophes, no "k") this is exactly whether the
/// lower-cased word ends with it, without making the lower-cased copy: no other character
/// lower-cases to one of their letters.
fn ends_with_ignore_case(w: &str, suffix: &str) -> bool {
    w.len() >= suffix.len() && w.is_char_boundary(w.len() - suffix.len()) && w[w.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// Clitics split off the end of a word, as in the Penn Treebank.
fn clitic_len(w: &str) -> usize {
    for c in ["n't", "n\u{2019}t"] {
        if ends_with_ignore_case(w, c) && w.len() > c.len() {
            return c.len();
        }
    }
    for c in ["'s", "'re", "'ve", "'ll", "'d", "'m", "\u{2019}s", "\u{2019}re", "\u{2019}ve", "\u{2019}ll", "\u{2019}d", "\u{2019}m"] {
        if ends_with_ignore_case(w, c) && w.len() > c.len() {
            // The last character of the lower-cased word before the clitic ("İ" lower-cases
            // to two characters, the second not alphanumeric).
            let before = w[..w.len() - c.len()].chars().next_back().and_then(|b| b.to_lowercase().last());
            if before.is_some_and(char::is_alphanumeric) {
                return c.len();
            }
        }
    }
    // A plural possessive: "ministers'" -> "ministers" + "'".
    if w.len() > 2 && w.ends_with('\'') && w[..w.len() - 1].ends_with(['s', 'S']) && w.chars().filter(|c| c.is_alphabetic()).count() > 2 {
        return 1;
    }
    0
}

/// A word whose final full stop is part of it: an abbreviation with inner stops (U.S., p.m.),
/// a single-letter initial (J.), a listed abbreviation (Gen., Corp.), or a numbered item (1.).
fn keeps_stop(w: &str, line_start: bool) -> bool {
    let core = &w[..w.len() - 1];
    if core.is_empty() || core.ends_with('.') {
        return false;
    }
    // "1." opening a line numbers an item of a list or a table.
    if line_start && core.len() <= 3 && core.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if CAPITALISED_ABBREVIATIONS.contains(&core) {
        return true;
    }
    if core.contains('.') && core.chars().all(|c| c.is_alphabetic() || c == '.' || c == '-') {
        return true;
    }
    let letters = core.chars().count();
    if letters == 1 && core.chars().all(char::is_alphabetic) {
        return true;
    }
    ABBREVIATIONS.iter().any(|a| core.eq_ignore_ascii_case(a))
}

/// Splits one whitespace-free chunk into tokens, pushing byte spans offset by `base`.
/// `line_start` is true for the first chunk of a line.
fn split_chunk(chunk: &str, base: usize, line_start: bool, out: &mut Vec<Token>) {
    // A run of one punctuation mark ("...", "-----") is one token.
    let mut cs = chunk.chars();
    if let Some(first) = cs.next() {
        if !first.is_alphanumeric() && cs.all(|c| c == first) {
            out.push(Token { span: Span::new(base, base + chunk.len()) });
            return;
        }
    }
    let mut s = 0;
    let mut e = chunk.len();
    let mut tail: Vec<Span> = Vec::new();
    // Leading quotes and brackets, unless the chunk is a clitic ("'s") or a year ("'96").
    while s < e {
        let rest = &chunk[s..e];
        let c = rest.chars().next().unwrap();
        let clitic = is_apostrophe(c) && {
            let r = &rest[c.len_utf8()..];
            ["s", "re", "ve", "ll", "d", "m"].iter().any(|x| r.eq_ignore_ascii_case(x)) || (r.len() == 2 && r.bytes().all(|b| b.is_ascii_digit()))
        };
        if is_open(c) && !clitic && rest.chars().count() > 1 {
            out.push(Token { span: Span::new(base + s, base + s + c.len_utf8()) });
            s += c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing punctuation, clitics and full stops, innermost last.
    loop {
        if s >= e {
            break;
        }
        let rest = &chunk[s..e];
        let c = rest.chars().next_back().unwrap();
        let n = rest.chars().count();
        if n == 1 {
            break;
        }
        if rest.ends_with("...") && n > 3 {
            tail.push(Span::new(base + e - 3, base + e));
            e -= 3;
            continue;
        }
        if c == '.' {
            if keeps_stop(rest, line_start && s == 0) {
                break;
            }
            tail.push(Span::new(base + e - 1, base + e));
            e -= 1;
            continue;
        }
        let cl = clitic_len(rest);
        if cl > 0 {
            tail.push(Span::new(base + e - cl, base + e));
            e -= cl;
            continue;
        }
        if is_close(c) {
            tail.push(Span::new(base + e - c.len_utf8(), base + e));
            e -= c.len_utf8();
            continue;
        }
        break;
    }
    // Inner dashes ("word--word", "word—word") separate words; single hyphens do not.
    let mut p = s;
    let core = &chunk[s..e];
    // Most chunks have no dash at all: they are not walked character by character.
    if core.contains(['\u{2014}', '\u{2013}']) || core.contains("--") {
        let mut last = 0;
        let bytes: Vec<(usize, char)> = core.char_indices().collect();
        let mut k = 0;
        while k < bytes.len() {
            let (b, c) = bytes[k];
            let dash_len = if c == '\u{2014}' || c == '\u{2013}' && k > 0 && k + 1 < bytes.len() {
                c.len_utf8()
            } else if core[b..].starts_with("--") && b > 0 && b + 2 < core.len() {
                2
            } else {
                0
            };
            if dash_len > 0 && b > last {
                out.push(Token { span: Span::new(base + p, base + s + b) });
                out.push(Token { span: Span::new(base + s + b, base + s + b + dash_len) });
                last = b + dash_len;
                p = s + last;
                k = core[..last].chars().count();
                continue;
            }
            k += 1;
        }
    }
    if p < e {
        out.push(Token { span: Span::new(base + p, base + e) });
    }
    out.extend(tail.into_iter().rev().map(|span| Token { span }));
}

/// Tokens of `text[start..end]`.
pub fn tokenize(text: &str, start: usize, end: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let region = &text[start..end];
    let mut chunk_start: Option<usize> = None;
    let mut line_start = start == 0 || text[..start].ends_with('\n');
    for (i, c) in region.char_indices().chain(std::iter::once((region.len(), ' '))) {
        if c.is_whitespace() {
            if let Some(cs) = chunk_start.take() {
                split_chunk(&region[cs..i], start + cs, line_start, &mut out);
                line_start = false;
            }
            if c == '\n' {
                line_start = true;
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    out
}

/// Sentences over `tokens`: a line break always ends one (headlines, datelines and paragraphs
/// are lines); within a line a sentence ends after a stand-alone ".", "!" or "?" and any
/// closing quotes, when the next word starts with a capital, a digit or an opening quote.
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let n = tokens.len();
    let newline_after = |i: usize| i + 1 >= n || text[tokens[i].span.end()..tokens[i + 1].span.start()].contains('\n');
    let mut out = Vec::new();
    let mut s = 0;
    let mut i = 0;
    while i < n {
        let mut end = newline_after(i).then_some(i + 1);
        if end.is_none() && matches!(tokens[i].span.get(text), "." | "!" | "?") {
            let mut j = i + 1;
            while j < n && !newline_after(j - 1) && is_closing_quote(text, tokens, j) {
                j += 1;
            }
            if j >= n || newline_after(j - 1) {
                end = Some(j);
            } else {
                let next = tokens[j].span.get(text);
                if next.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || is_open(c)) {
                    end = Some(j);
                }
            }
        }
        match end {
            Some(e) => {
                out.push(Sentence { start: s, end: e });
                s = e;
                i = e;
            }
            None => i += 1,
        }
    }
    out
}

/// A quote that closes what came before: a typographic closing quote, or a straight one glued
/// to the word before it or standing last on its line.
fn is_closing_quote(text: &str, tokens: &[Token], j: usize) -> bool {
    let t = tokens[j].span.get(text);
    if !t.chars().all(is_quote) {
        return false;
    }
    if t.chars().all(|c| matches!(c, '\u{201D}' | '\u{2019}' | '\u{00BB}')) {
        return true;
    }
    let glued = j > 0 && tokens[j - 1].span.end() == tokens[j].span.start();
    let last_on_line = tokens.get(j + 1).is_none_or(|n| text[tokens[j].span.end()..n.span.start()].contains('\n'));
    glued || last_on_line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        tokenize(s, 0, s.len()).iter().map(|t| t.span.get(s)).collect()
    }

    #[test]
    fn treebank_conventions() {
        assert_eq!(toks("Russia's al-Nusra and US-led forces."), ["Russia", "'s", "al-Nusra", "and", "US-led", "forces", "."]);
        assert_eq!(toks("“Gaddafi,” he said (in U.S. terms)."), ["“", "Gaddafi", ",", "”", "he", "said", "(", "in", "U.S.", "terms", ")", "."]);
        assert_eq!(toks("Gen. Smith of Acme Corp. didn't go"), ["Gen.", "Smith", "of", "Acme", "Corp.", "did", "n't", "go"]);
        assert_eq!(toks("ministers' talks--again"), ["ministers", "'", "talks", "--", "again"]);
        assert_eq!(toks("J. Smith 's '96 1-0 3.5 p.m."), ["J.", "Smith", "'s", "'96", "1-0", "3.5", "p.m."]);
        assert_eq!(toks("1. Leeds 3.\n2. Sacramento, Calif. ... was ill. -----"), ["1.", "Leeds", "3", ".", "2.", "Sacramento", ",", "Calif.", "...", "was", "ill", ".", "-----"]);
    }

    #[test]
    fn sentences_end_at_lines_and_stops() {
        let s = "MOSCOW, May 31 (TASS).\nHe left. Then \"it ended.\" Gen. Smith came.";
        let t = tokenize(s, 0, s.len());
        let sents: Vec<String> = sentences(s, &t).iter().map(|x| t[x.start..x.end].iter().map(|k| k.span.get(s)).collect::<Vec<_>>().join(" ")).collect();
        assert_eq!(sents, ["MOSCOW , May 31 ( TASS ) .", "He left .", "Then \" it ended . \"", "Gen. Smith came ."]);
    }
}
