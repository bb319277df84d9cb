//! Web page furniture by shape: the lines copying a page's text brings along with the article
//! (link prompts, shop buttons, social prompts, disclosures, photo captions and file names,
//! bylines, time stamps). The phrases are knowledge, in `data/web_furniture.toml`; this module
//! holds the shapes that make a line one of them, so that an unseen site's "READ MORE | …" or
//! "Jane Doe Follow" is recognised without listing its strings.

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Lists {
    link_labels: Vec<String>,
    prompts: Vec<String>,
    notices: Vec<String>,
    caption_openers: Vec<String>,
    credit_marks: Vec<String>,
    credit_openers: Vec<String>,
    stamp_openers: Vec<String>,
}

/// The lists, lower-cased where they match case-insensitively.
struct Shapes {
    link_labels: Vec<String>,
    prompts: Vec<String>,
    /// One automaton for all the notice phrases: every paragraph of every article is searched.
    notices: aho_corasick::AhoCorasick,
    caption_openers: Vec<String>,
    credit_marks: Vec<String>,
    credit_openers: Vec<String>,
    stamp_openers: Vec<String>,
}

fn shapes() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let l: Lists = toml::from_str(include_str!("../../data/web_furniture.toml")).expect("data/web_furniture.toml is valid");
        let lower = |v: Vec<String>| v.into_iter().map(|s| s.to_lowercase()).collect();
        Shapes {
            link_labels: lower(l.link_labels),
            prompts: lower(l.prompts),
            notices: aho_corasick::AhoCorasick::builder().ascii_case_insensitive(true).build(&l.notices).expect("notice phrases build an automaton"),
            caption_openers: lower(l.caption_openers),
            credit_marks: l.credit_marks,
            credit_openers: lower(l.credit_openers),
            stamp_openers: lower(l.stamp_openers),
        }
    })
}

/// Why a whole line is web page furniture, or `None` for a line of the article. `line` is
/// trimmed. A line that is a dateline is the caller's to keep.
pub fn why(line: &str) -> Option<&'static str> {
    let words = line.split_whitespace().count();
    // Every shape below is of a line of at most 60 words; most paragraphs are longer or fail
    // the first test of each shape, so this costs little per paragraph.
    if words == 0 || words > 60 {
        return None;
    }
    let s = shapes();
    // Only the start of a line is compared case-insensitively: a short lower-cased copy.
    let head: String = line.chars().take(48).flat_map(char::to_lowercase).collect();
    if words <= 4 && line.split_whitespace().any(is_image_file) {
        return Some("an image's file name");
    }
    if s.link_labels.iter().any(|l| label_then_separator(&head, l)) {
        return Some("a link to another page");
    }
    if words <= 25 && s.prompts.iter().any(|p| opens_with(&head, p)) {
        return Some("a call to action: shop, share, follow or subscribe");
    }
    if s.caption_openers.iter().any(|o| opens_with(&head, o)) || ends_with_credit(line, &s.credit_marks) {
        return Some("a photo caption or credit");
    }
    if is_byline(line, &head, &s.credit_openers) {
        return Some("a byline or the story's credits");
    }
    if words <= 12 && s.stamp_openers.iter().any(|o| opens_with(&head, o)) && looks_like_time(line) {
        return Some("a time stamp");
    }
    if s.notices.is_match(line) {
        return Some("a notice or disclosure: affiliate links, copyright, cookies, newsletters");
    }
    None
}

/// `head` starts with `phrase` and the phrase ends on a word boundary.
fn opens_with(head: &str, phrase: &str) -> bool {
    head.strip_prefix(phrase).is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()))
}

/// "Read more: …", "RELATED » …", "See also — …": a label, then a separator (and any text).
fn label_then_separator(head: &str, label: &str) -> bool {
    let Some(rest) = head.strip_prefix(label) else { return false };
    let rest = rest.trim_start();
    rest.starts_with([':', '\u{bb}', '|', '>', '\u{2014}', '\u{2013}', '-', '\u{203a}'])
}

fn is_image_file(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase();
    let Some((stem, ext)) = w.rsplit_once('.') else { return false };
    !stem.is_empty() && matches!(ext, "jpg" | "jpeg" | "png" | "gif" | "webp" | "svg" | "tif" | "tiff" | "bmp" | "heic" | "avif")
}

/// A credit in the last 60 characters of the line, right after a bracket, a slash, a bar, a
/// colon, a dash or a full stop, with at most four words after it: "… on Monday. (AP Photo/Jane
/// Doe)", "Jane Doe/Getty Images", "Protesters in Hong Kong | Photo: Reuters".
fn ends_with_credit(line: &str, marks: &[String]) -> bool {
    let tail_start = line.char_indices().rev().nth(59).map_or(0, |(i, _)| i);
    let tail = &line[tail_start..];
    marks.iter().any(|m| {
        tail.match_indices(m.as_str()).any(|(i, _)| {
            let at = tail_start + i;
            let before = line[..at].trim_end_matches(' ');
            let after = &line[at + m.len()..];
            let fenced = before.is_empty() || before.ends_with(['(', '/', '|', ':', '.', '\u{2014}', '\u{2013}', '-', '[']);
            let word_ends = m.ends_with(|c: char| !c.is_alphanumeric()) || !after.starts_with(|c: char| c.is_alphanumeric());
            fenced && word_ends && after.split_whitespace().count() <= 4 && !after.contains(". ")
        })
    })
}

/// "By Jane Doe", "By Jane Doe and John Roe, Reuters", "Reporting by Jane Doe; Editing by John
/// Roe", and the name-and-button line of a copied author box: "Jane Doe Follow".
fn is_byline(line: &str, head: &str, openers: &[String]) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    if (3..=7).contains(&words.len()) && words.last() == Some(&"Follow") && words[..words.len() - 1].iter().all(|w| w.starts_with(|c: char| c.is_uppercase())) {
        return true;
    }
    let sentence_end = line.ends_with(['.', '!', '?']) && !line.ends_with(" Jr.") && !line.ends_with(" Sr.");
    openers.iter().any(|o| {
        opens_with(head, o) && {
            let rest = line[o.len()..].trim_start();
            let n = rest.split_whitespace().count();
            (1..=12).contains(&n) && rest.starts_with(|c: char| c.is_uppercase()) && (!sentence_end || o != "by")
        }
    })
}

/// A date or a time is in the line: a month name, a clock time, "ago", or a numeric date
/// ("2020-03-02", "3/2/2020"); a bare year is not enough ("Published in 1999, the book…").
fn looks_like_time(line: &str) -> bool {
    if !line.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let bytes = line.as_bytes();
    let clock = bytes.windows(3).any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit());
    clock
        || line.split(|c: char| !c.is_alphanumeric()).any(|w| super::dateline::month_number(w).is_some() || w.eq_ignore_ascii_case("ago"))
        || bytes.windows(5).any(|w| w[..4].iter().all(u8::is_ascii_digit) && w[4] == b'-')
        || bytes.windows(3).any(|w| w[0].is_ascii_digit() && w[1] == b'/' && w[2].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::why;

    #[test]
    fn web_copy_furniture_is_recognised_by_shape() {
        for line in [
            "Read more: Ministers agree to meet again in Vienna",
            "RELATED | Storm hits the coast as thousands flee",
            "See also \u{2014} Markets fall on trade worries",
            "ADD TO CART",
            "Follow us on Twitter for the latest news",
            "Sign up now for our daily briefing",
            "This article contains affiliate links; we may earn a commission if you buy through them.",
            "google.JPG",
            "Protesters gather outside parliament on Monday. (AP Photo/Jane Doe)",
            "Rescue workers search the rubble in the town. REUTERS/John Roe",
            "Photo: Jane Doe",
            "Michael Russell Follow",
            "By Jane Doe and John Roe, Example Wire",
            "Reporting by Jane Doe; Editing by John Roe",
            "Updated 10:32 AM EST, Mon March 2, 2020",
            "Published 3 hours ago",
        ] {
            assert!(why(line).is_some(), "{line}");
        }
    }

    #[test]
    fn news_prose_is_not_furniture() {
        for line in [
            "Read the full statement, the minister told reporters, and you will see why.",
            "Related talks are planned for next month in Geneva, officials said.",
            "By Monday, the troops had left the town.",
            "By the end of the year the ministry expects to finish the work.",
            "Follow-up talks are planned for next week.",
            "A Reuters/Ipsos poll found that most voters backed the plan.",
            "Getty Images reported higher revenue on Tuesday.",
            "Published in 1999, the book sold a million copies.",
            "The minister said the talks had been difficult.",
            "NEW YORK (AP) \u{2014} The mayor said on Tuesday that the city would open new shelters.",
            "Shopping centres reopened on Monday.",
        ] {
            assert_eq!(why(line), None, "{line}");
        }
    }
}
