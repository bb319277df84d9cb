//! Datelines: the `PLACE, Month Day. /AGENCY/.` opening of a wire story.
//!
//! Recognised shapes (the place is always in capitals, which is what tells a dateline from a
//! sentence that starts with a name):
//! `MOSCOW, May 31. /TASS/.` · `DVORIKI VILLAGE /Vladimir region/, August 11. /TASS/.` ·
//! `MOSCOW:` · `WASHINGTON (Reuters) -` · `PARIS, Jan. 5 (AFP) —` · `SEOUL, Aug. 20 (Yonhap) --` ·
//! `BEIRUT, Lebanon (AP) —`.

use crate::model::Dateline;
use crate::text::Span;

pub const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
];

/// Month number of a full or abbreviated English month name ("Sept.", "Aug").
pub fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.');
    // Asked of every word of every article: most are ruled out by length or first letter.
    if w.len() < 3 || w.len() > 9 || !matches!(w.as_bytes()[0].to_ascii_lowercase(), b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd') {
        return None;
    }
    for (i, m) in MONTHS.iter().enumerate() {
        if m.eq_ignore_ascii_case(w) || (w.len() <= 4 && m.as_bytes().get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w.as_bytes())) && (w.len() == 3 || w.eq_ignore_ascii_case("sept"))) {
            return Some(i as u32 + 1);
        }
    }
    None
}

/// Parses a dateline at `start`, which must be the start of a line or paragraph.
/// Returns it and the offset where the article text resumes.
pub fn parse(text: &str, start: usize, line_end: usize) -> Option<(Dateline, usize)> {
    let s = &text[start..line_end];
    let mut p = Cursor { s, i: 0 };

    let place_end = p.caps_words()?;
    let place = Span::new(start, start + place_end);
    let mut region = None;
    let mut month_day = None;
    let mut date = None;
    let mut agency = None;
    let mut closed = false;

    // "/Vladimir region/" printed after the place.
    let save = p.i;
    p.spaces();
    if p.eat("/") {
        let from = p.i;
        if let Some(len) = s[from..].find('/') {
            if len > 0 && len < 60 && !s[from..from + len].contains('\n') {
                region = Some(Span::new(start + from, start + from + len));
                p.i = from + len + 1;
            } else {
                p.i = save;
            }
        } else {
            p.i = save;
        }
    } else {
        p.i = save;
    }

    if p.eat(":") {
        closed = true;
    } else {
        if p.eat(",") {
            p.spaces();
            // AP's "BEIRUT, Lebanon (AP) —", "ORLANDO, Fla. (AP) —": the state or country.
            if region.is_none() && p.month_day_ahead().is_none() {
                let r = p.title_words()?;
                region = Some(Span::new(start + r.start(), start + r.end()));
                if p.eat(",") {
                    p.spaces();
                } else if !p.agency_or_dash_ahead() {
                    return None;
                }
            }
            let d_start = p.i;
            if let Some((m, d)) = p.month_day() {
                month_day = Some((m, d));
                date = Some(Span::new(start + d_start, start + p.i));
                let save = p.i;
                p.eat(".");
                if !p.at_end() && !p.peek_space() {
                    p.i = save;
                }
            } else if region.is_none() {
                return None;
            }
        }
        // The agency: "/TASS/." or "(Reuters)".
        let save = p.i;
        p.spaces();
        if let Some(span) = p.delimited('/', '/').or_else(|| p.delimited('(', ')')) {
            agency = Some(Span::new(start + span.start(), start + span.end()));
            p.eat(".");
        } else {
            p.i = save;
        }
        let save = p.i;
        p.spaces();
        if p.dash() || p.eat(":") {
            closed = true;
        } else {
            p.i = save;
        }
    }
    if !(closed || date.is_some() || agency.is_some()) {
        return None;
    }
    // Something must follow a dateline, or it must stand on a line of its own.
    let end = start + p.i;
    let rest = &text[end..line_end];
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    // "CRICKET - ENGLISH COUNTY SCORES" is a headline in capitals, not "PLACE - text".
    if date.is_none() && agency.is_none() && !rest.trim().is_empty() && !rest.chars().any(char::is_lowercase) {
        return None;
    }
    let resume = end + (rest.len() - rest.trim_start().len());
    let dateline = Dateline {
        span: Span::new(start, end),
        text: text[start..end].to_string(),
        place: Some(place),
        region,
        month_day,
        date,
        agency,
    };
    Some((dateline, resume))
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.s[self.i..]
    }
    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }
    fn peek_space(&self) -> bool {
        self.rest().starts_with(char::is_whitespace)
    }
    fn eat(&mut self, lit: &str) -> bool {
        if self.rest().starts_with(lit) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }
    fn spaces(&mut self) {
        let r = self.rest();
        self.i += r.len() - r.trim_start_matches([' ', '\u{a0}', '\t']).len();
    }

    /// One or more words in capitals ("DVORIKI VILLAGE", "RAS AL-AIN"); returns the end offset.
    fn caps_words(&mut self) -> Option<usize> {
        let mut end = None;
        let mut letters = 0;
        loop {
            let word_start = self.i;
            let mut upper = 0;
            let mut j = self.i;
            for (k, ch) in self.s[self.i..].char_indices() {
                if ch.is_uppercase() {
                    upper += 1;
                } else if !matches!(ch, '-' | '\'' | '\u{2019}' | '.') {
                    j = self.i + k;
                    break;
                }
                j = self.i + k + ch.len_utf8();
            }
            // A word that continues in lower case ("US-led", "Russia") is not part of a place.
            let next = self.s[j..].chars().next();
            if upper == 0 || next.is_some_and(|c| c.is_alphanumeric()) {
                self.i = word_start;
                break;
            }
            letters += upper;
            self.i = j;
            end = Some(j);
            // Continue with the next capitalised word on a single space.
            if self.s[self.i..].starts_with(' ') && self.s[self.i + 1..].starts_with(|c: char| c.is_uppercase()) {
                self.i += 1;
            } else {
                break;
            }
        }
        let end = end?;
        self.i = end;
        (letters >= 2).then_some(end)
    }

    /// The dash that ends a dateline: a hyphen, two or three of them (how "—" is typed on a
    /// keyboard: "SEOUL, Aug. 20 (Yonhap) --"), an en or an em dash.
    fn dash(&mut self) -> bool {
        ["---", "--", "-", "\u{2014}", "\u{2013}"].iter().any(|d| self.eat(d))
    }

    /// Whether an agency in brackets or a dash comes next (after spaces), without moving.
    fn agency_or_dash_ahead(&self) -> bool {
        let r = self.rest().trim_start_matches([' ', '\u{a0}']);
        r.starts_with('(') || r.starts_with(['-', '\u{2014}', '\u{2013}'])
    }

    fn month_day_ahead(&self) -> Option<(u32, u32)> {
        Cursor { s: self.s, i: self.i }.month_day()
    }

    /// One to four capitalised words ("Lebanon", "Fla.", "South Korea", "N.Y."): a region
    /// printed after the place. Returns their span.
    fn title_words(&mut self) -> Option<Span> {
        let from = self.i;
        let mut end = None;
        for _ in 0..4 {
            let r = self.rest();
            let len = r.find(|c: char| !(c.is_alphabetic() || c == '.' || c == '-' || c == '\'')).unwrap_or(r.len());
            let word = &r[..len];
            if len == 0 || !word.starts_with(|c: char| c.is_uppercase()) || month_number(word).is_some() {
                break;
            }
            self.i += len;
            end = Some(self.i);
            if self.rest().starts_with(' ') && self.s[self.i + 1..].starts_with(|c: char| c.is_uppercase()) {
                self.i += 1;
            } else {
                break;
            }
        }
        let end = end?;
        self.i = end;
        Some(Span::new(from, end))
    }

    fn month_day(&mut self) -> Option<(u32, u32)> {
        let r = self.rest();
        let word_len = r.find(|c: char| !c.is_ascii_alphabetic() && c != '.').unwrap_or(r.len());
        let month = month_number(&r[..word_len])?;
        let after = &r[word_len..];
        let after_trim = after.trim_start_matches(' ');
        let gap = after.len() - after_trim.len();
        if gap == 0 {
            return None;
        }
        let digits = after_trim.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 2 {
            return None;
        }
        let day: u32 = after_trim[..digits].parse().ok()?;
        if day == 0 || day > 31 {
            return None;
        }
        self.i += word_len + gap + digits;
        Some((month, day))
    }

    fn delimited(&mut self, open: char, close: char) -> Option<Span> {
        let r = self.rest();
        if !r.starts_with(open) {
            return None;
        }
        let inner = &r[open.len_utf8()..];
        let len = inner.find(close)?;
        let name = &inner[..len];
        // An agency name is short and starts with a capital: "TASS", "Reuters", "AFP".
        if name.is_empty() || name.len() > 40 || !name.starts_with(|c: char| c.is_uppercase()) || name.contains(['\n', ',']) {
            return None;
        }
        let from = self.i + open.len_utf8();
        self.i = from + len + close.len_utf8();
        Some(Span::new(from, from + len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(line: &str) -> Option<(String, Option<String>, Option<(u32, u32)>, Option<String>, String)> {
        let (d, resume) = parse(line, 0, line.len())?;
        Some((
            d.place.map(|s| s.get(line).to_string()).unwrap(),
            d.region.map(|s| s.get(line).to_string()),
            d.month_day,
            d.agency.map(|s| s.get(line).to_string()),
            line[resume..].to_string(),
        ))
    }

    #[test]
    fn wire_datelines_split_into_parts() {
        let p = parts("MOSCOW, May 31. /TASS/. The exit by a group").unwrap();
        assert_eq!(p, ("MOSCOW".into(), None, Some((5, 31)), Some("TASS".into()), "The exit by a group".into()));
        let p = parts("DVORIKI VILLAGE /Vladimir region/, August 11. /TASS/. The Islamic State").unwrap();
        assert_eq!(p.0, "DVORIKI VILLAGE");
        assert_eq!(p.1.as_deref(), Some("Vladimir region"));
        assert_eq!(p.2, Some((8, 11)));
        assert_eq!(p.3.as_deref(), Some("TASS"));
        let p = parts("MOSCOW:").unwrap();
        assert_eq!((p.0.as_str(), p.4.as_str()), ("MOSCOW", ""));
        let p = parts("WASHINGTON (Reuters) - The U.S. said").unwrap();
        assert_eq!((p.3.as_deref(), p.4.as_str()), (Some("Reuters"), "The U.S. said"));
        let p = parts("PARIS, Sept. 5 (AFP) \u{2014} Talks").unwrap();
        assert_eq!((p.2, p.3.as_deref()), (Some((9, 5)), Some("AFP")));
    }

    #[test]
    fn typed_dashes_and_regions_after_the_place() {
        let p = parts("SEOUL, Aug. 20 (Yonhap) -- South Korea said").unwrap();
        assert_eq!((p.0.as_str(), p.2, p.3.as_deref(), p.4.as_str()), ("SEOUL", Some((8, 20)), Some("Yonhap"), "South Korea said"));
        let p = parts("WASHINGTON (CNN) \u{2014} The Senate").unwrap();
        assert_eq!((p.3.as_deref(), p.4.as_str()), (Some("CNN"), "The Senate"));
        let p = parts("BEIRUT, Lebanon (AP) \u{2014} Syrian troops").unwrap();
        assert_eq!((p.0.as_str(), p.1.as_deref(), p.3.as_deref(), p.4.as_str()), ("BEIRUT", Some("Lebanon"), Some("AP"), "Syrian troops"));
        let p = parts("ORLANDO, Fla. \u{2014} A storm").unwrap();
        assert_eq!((p.1.as_deref(), p.4.as_str()), (Some("Fla."), "A storm"));
        let p = parts("KABUL, Afghanistan, Oct. 3 (Reuters) - Gunmen").unwrap();
        assert_eq!((p.1.as_deref(), p.2, p.4.as_str()), (Some("Afghanistan"), Some((10, 3)), "Gunmen"));
    }

    #[test]
    fn sentences_are_not_datelines() {
        assert!(parts("US officials said on Monday").is_none());
        assert!(parts("NATO, the alliance, said").is_none());
        assert!(parts("NATO, Russia and China agreed").is_none());
        assert!(parts("Russia on Tuesday urged").is_none());
        assert!(parts("IS militants really exited Raqqa").is_none());
        assert!(parts("A source in Russia said").is_none());
    }
}
