//! The text around quotes: words, paragraphs, quoted pieces and sentences, with the
//! full stops of abbreviations and initials that do not end one.

use crate::text::Span;

/// A word of the text: a run of letters, digits, apostrophes and inner hyphens.
#[derive(Debug, Clone, Copy)]
pub(super) struct Word {
    pub(super) span: Span,
}

pub(super) fn words_of(text: &str, region: Span) -> Vec<Word> {
    let mut out = Vec::with_capacity(region.end().saturating_sub(region.start()) / 6 + 1);
    out.extend(words(text, region));
    out
}

/// The words of `region` one by one, for callers that stop at the first that tells them
/// what they need (`only_time`, a count below a few): most never look past the first words.
pub(super) fn words(text: &str, region: Span) -> Words<'_> {
    let (start, end) = if region.start() < region.end() { (region.start(), region.end()) } else { (0, 0) };
    Words { s: &text[start..end], base: start, i: 0 }
}

/// See `words`.
pub(super) struct Words<'a> {
    s: &'a str,
    base: usize,
    i: usize,
}

impl Iterator for Words<'_> {
    type Item = Word;

    fn next(&mut self) -> Option<Word> {
        // Bytes, decoding only non-ASCII characters: this runs over every sentence that may
        // hold an attribution.
        let (s, b) = (self.s, self.s.as_bytes());
        let mut i = self.i;
        while i < b.len() {
            // Spaces and ASCII punctuation, most of what lies between words, a byte at a time.
            if b[i] < 0x80 && ASCII_WORD[b[i] as usize] != 2 {
                i += 1;
                continue;
            }
            let (width, starts, _) = word_char(s, i);
            if !starts {
                i += width;
                continue;
            }
            let from = i;
            i += width;
            while i < b.len() {
                if b[i] < 0x80 {
                    if ASCII_WORD[b[i] as usize] == 0 {
                        break;
                    }
                    i += 1;
                    continue;
                }
                let (width, _, goes_on) = word_char(s, i);
                if !goes_on {
                    break;
                }
                i += width;
            }
            self.i = i;
            // Trailing apostrophes and hyphens are not part of a word ("Jones'"); a word that
            // ends in an ASCII letter or digit, nearly every one, has none to trim.
            let word = if b[i - 1].is_ascii_alphanumeric() { &s[from..i] } else { s[from..i].trim_end_matches(['\'', '’', '-']) };
            return Some(Word { span: Span::new(self.base + from, self.base + from + word.len()) });
        }
        self.i = i;
        None
    }
}

/// What each ASCII byte is to a word: 2 starts one (a letter or digit), 1 only goes on one
/// (an apostrophe or hyphen), 0 ends it. A table, not tests: every byte of a sentence that
/// may hold an attribution is looked up.
const ASCII_WORD: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if b.is_ascii_alphanumeric() {
            2
        } else if b == b'\'' || b == b'-' {
            1
        } else {
            0
        };
        c += 1;
    }
    t
};

/// The character at byte `i` of `s`: its length, whether it starts a word (a letter or
/// digit), and whether it goes on one (also an apostrophe or hyphen).
#[inline(always)]
fn word_char(s: &str, i: usize) -> (usize, bool, bool) {
    let c = s.as_bytes()[i];
    if c < 0x80 {
        let class = ASCII_WORD[c as usize];
        (1, class == 2, class != 0)
    } else {
        let ch = s[i..].chars().next().unwrap_or(' ');
        let alnum = ch.is_alphanumeric();
        (ch.len_utf8(), alnum, alnum || ch == '’')
    }
}

/// How many words `words_of` finds in `region`, without making them: most callers only
/// compare the count with a small number, once per quote or sentence.
pub(super) fn word_count(text: &str, region: Span) -> usize {
    words(text, region).count()
}

/// The first word of `region` as `words_of` would find it, without the others.
pub(super) fn first_word(text: &str, region: Span) -> Option<&str> {
    let s = region.get(text);
    let start = s.find(char::is_alphanumeric)?;
    let len = s[start..].char_indices().find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | '-'))).map_or(s.len() - start, |(i, _)| i);
    Some(s[start..start + len].trim_end_matches(['\'', '’', '-']))
}

/// The paragraphs (lines) of the text from `start`.
pub(super) fn lines(text: &str, start: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = start;
    for line in text[start..].split_inclusive('\n') {
        let end = at + line.trim_end_matches(['\n', '\r']).len();
        if end > at {
            out.push(Span::new(at, end));
        }
        at += line.len();
    }
    out
}

/// The quoted pieces of one line, quotation marks included.
pub(super) fn pieces(text: &str, line: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let b = text[line.start()..line.end()].as_bytes();
    // Only the bytes that can be part of a mark are looked at: '"', '\'' and the lead byte of
    // '“' and '”' (E2 80 9C, E2 80 9D). Every line of every article is asked.
    let mut from = 0;
    while let Some(k) = memchr::memchr3(b'"', b'\'', 0xE2, &b[from..]) {
        let i = from + k;
        let at = line.start() + i;
        let (mark, width) = match b[i] {
            b'"' => ('"', 1),
            // Two apostrophes stand for a double quotation mark in some newspapers' copy.
            b'\'' if b.get(i + 1) == Some(&b'\'') => ('"', 2),
            0xE2 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x9C) => ('“', 3),
            0xE2 if b.get(i + 1) == Some(&0x80) && b.get(i + 2) == Some(&0x9D) => ('”', 3),
            _ => (' ', 1),
        };
        match (mark, open) {
            ('“', _) => open = Some(at),
            ('"', None) => open = Some(at),
            ('"' | '”', Some(s)) => {
                out.push(Span::new(s, at + width));
                open = None;
            }
            _ => {}
        }
        from = i + width;
    }
    if let Some(s) = open {
        out.push(Span::new(s, line.end()));
    }
    out
}

/// Abbreviations whose full stop does not end a sentence: "Mr. Bennett said", "Sen. Cruz".
pub(super) const ABBREVIATIONS: &[&str] = &["Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Sgt", "Capt", "Adm", "Maj", "St", "Jr", "Sr", "Prof", "Rev", "Hon", "Atty", "Supt", "Mt", "No", "U.S", "U.N", "U.K", "Calif", "Fla", "Ill", "Mass", "Pa", "Va", "Ky", "Tenn", "Wash", "Conn", "Mich", "Wis", "Minn", "Ariz", "Colo", "Ga", "Md", "La", "Ala", "Okla", "Ore", "Nev", "Del", "Vt", "Ind", "Ark", "Kan", "Neb", "Miss", "Mo", "Tex", "Inc", "Corp", "Co", "Ltd", "vs", "Jan", "Feb", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec"];

/// True when the full stop at byte `dot` of `text` ends an abbreviation or an initial
/// ("Mr.", "Richard J. Durbin"), so a sentence does not end there: names are where
/// speakers are, and a title's full stop would cut the speaker off its cue.
pub(super) fn abbreviation_at(text: &str, dot: usize) -> bool {
    let head = &text[..dot];
    let word_start = head.rfind(|c: char| !(c.is_alphanumeric() || c == '.')).map_or(0, |i| i + head[i..].chars().next().map_or(1, char::len_utf8));
    let word = &head[word_start..];
    // Every entry of the list is at most five bytes; longer words can only be initials.
    if word.len() > 5 && !word.contains('.') {
        return false;
    }
    // Initials and dotted abbreviations: "J.", "N.C.", "D.C.".
    let initials = !word.is_empty() && word.split('.').all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase));
    initials || ABBREVIATIONS.contains(&word)
}

/// Where the stretch of `text[from..to]` after its last mark in `marks` starts (a full stop
/// of an abbreviation does not count), or `from`.
pub(super) fn clause_start(text: &str, from: usize, to: usize, marks: &[char]) -> usize {
    let head = &text[from..to];
    head.rmatch_indices(marks).find(|&(i, m)| m != "." || !abbreviation_at(text, from + i)).map_or(from, |(i, m)| from + i + m.len())
}

/// The sentences of a line: ends at ".", "!" or "?" followed by a space and a capital or a
/// quotation mark, not after an abbreviation.
pub(super) fn sentences(text: &str, line: Span) -> Vec<Span> {
    let s = &text[line.start()..line.end()];
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    // The marks and the space are ASCII, so bytes are enough to find them; only the
    // character after the space is decoded.
    for i in memchr::memchr3_iter(b'.', b'!', b'?', b) {
        if b.get(i + 1) != Some(&b' ') {
            continue;
        }
        let next = s[i + 2..].chars().next();
        if next.is_some_and(|n| n.is_uppercase() || matches!(n, '"' | '“' | '\'')) && !(b[i] == b'.' && abbreviation_at(text, line.start() + i)) {
            out.push(Span::new(line.start() + start, line.start() + i + 1));
            start = i + 2;
        }
    }
    if start < s.len() {
        out.push(Span::new(line.start() + start, line.end()));
    }
    out
}

/// Content without surrounding spaces and commas, and without a sentence-final full stop.
pub(super) fn trim_content(text: &str, span: Span) -> Span {
    let s = span.get(text);
    let lead = s.len() - s.trim_start_matches([' ', ',', ':', '\u{a0}']).len();
    let mut t = s.trim_end_matches([' ', ',', '.', ':', ';', '\u{a0}']);
    // Content stopped by the next attribution ends before the word joining them: "A, but
    // Berg said B".
    for joint in [" and", " but", " while", " though", " although", " whereas", " yet", " as", " so", " even as"] {
        if let Some(head) = t.strip_suffix(joint) {
            t = head.trim_end_matches([' ', ',', ';', '\u{a0}']);
            break;
        }
    }
    Span::new(span.start() + lead, (span.start() + t.len()).max(span.start() + lead))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_first_words_agree_with_the_words() {
        for t in ["", "  ", "Jones' rally -- it's \u{201c}over\u{201d}, said O'Neil-Smith.", "a-b - c ’d e’", "Łódź 3-2 ½"] {
            let all = Span::new(0, t.len());
            let words = words_of(t, all);
            assert_eq!(word_count(t, all), words.len(), "{t:?}");
            assert_eq!(first_word(t, all), words.first().map(|w| w.span.get(t)), "{t:?}");
        }
    }
}
