//! Words and sentence starts with byte spans into the source text.
//!
//! Kept simple on purpose: the rule annotator needs words, their capitalisation and whether
//! they open a sentence. Hyphenated names (al-Nusra, US-led) and abbreviations (U.S.) stay one
//! word; a possessive ('s) is split off so that "Russia's" yields "Russia".

use crate::text::Span;

#[derive(Debug, Clone)]
pub struct Token {
    pub span: Span,
    pub word: bool,
    /// First word of a sentence, line or quotation.
    pub sent_start: bool,
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        self.span.get(src)
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

pub fn tokenize(text: &str, start: usize, end: usize) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let s = &text[start..end];
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    let mut sent_start = true;
    while i < chars.len() {
        let (b, c) = chars[i];
        if c == '\n' {
            sent_start = true;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            while j < chars.len() {
                let ch = chars[j].1;
                if ch.is_alphanumeric() {
                    j += 1;
                    continue;
                }
                let next_alnum = chars.get(j + 1).is_some_and(|(_, n)| n.is_alphanumeric());
                // Inner hyphens and apostrophes join (al-Nusra, O'Brien) but not a possessive 's.
                if (ch == '-' || ch == '\u{2011}') && next_alnum {
                    j += 1;
                    continue;
                }
                if is_apostrophe(ch) && next_alnum {
                    let after: String = chars[j + 1..].iter().take(2).map(|(_, c)| *c).collect();
                    let possessive = after.starts_with('s') && !after[1..].starts_with(char::is_alphanumeric);
                    if !possessive {
                        j += 1;
                        continue;
                    }
                }
                // An initial before a name ("V. Putin") keeps its dot and does not end a sentence.
                if ch == '.' && j - i == 1 && chars[i].1.is_uppercase() && chars.get(j + 1).is_some_and(|(_, n)| *n == ' ') && chars.get(j + 2).is_some_and(|(_, n)| n.is_uppercase()) {
                    j += 1;
                    break;
                }
                // Abbreviations: single letters joined by dots ("U.S.", "U.N.").
                if ch == '.' && j - i == 1 && chars[i].1.is_uppercase() && chars.get(j + 1).is_some_and(|(_, n)| n.is_uppercase()) && chars.get(j + 2).is_some_and(|(_, n)| *n == '.') {
                    j += 3;
                    while j + 1 < chars.len() && chars[j].1.is_uppercase() && chars[j + 1].1 == '.' {
                        j += 2;
                    }
                    break;
                }
                break;
            }
            let e = if j < chars.len() { chars[j].0 } else { s.len() };
            out.push(Token { span: Span::new(start + b, start + e), word: true, sent_start });
            sent_start = false;
            i = j;
            continue;
        }
        out.push(Token { span: Span::new(start + b, start + b + c.len_utf8()), word: false, sent_start: false });
        if matches!(c, '.' | '!' | '?' | ':' | '"' | '\u{201C}' | '\u{2026}' | '(' | '\u{2014}') {
            sent_start = true;
        } else if !matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201D}' | ')') {
            sent_start = false;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<(String, bool)> {
        tokenize(s, 0, s.len()).into_iter().filter(|t| t.word).map(|t| (t.text(s).to_string(), t.sent_start)).collect()
    }

    #[test]
    fn names_possessives_abbreviations() {
        let w = words("Russia’s al-Nusra and the US-led U.S. forces. \"Gaddafi is O'Brien's\" V. Putin");
        let texts: Vec<&str> = w.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["Russia", "s", "al-Nusra", "and", "the", "US-led", "U.S.", "forces", "Gaddafi", "is", "O'Brien", "s", "V.", "Putin"]);
        assert!(!w[13].1, "an initial does not end a sentence");
        assert!(w[0].1);
        assert!(w[8].1, "a word after a full stop and a quote opens a sentence");
        assert!(!w[2].1);
    }
}
