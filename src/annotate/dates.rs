//! Dates: find date expressions and normalise them to TIMEX3-style values against the
//! article's reference date, the way HeidelTime does for news.
//!
//! - The reference is the published date from metadata; without one, the dateline's month and
//!   day with the year unknown; without either, nothing relative can be resolved. A year is
//!   never invented: an unknown part stays `X` (`XXXX-05-31`).
//! - Resolution looks backwards by default: a bare weekday is the most recent such day on or
//!   before the reference; a day and month take the reference year, unless the sentence is in
//!   the past tense and the month lies after the reference month (then the year before), and
//!   the mirror rule for the future tense.
//! - Durations ("for 10 days") are durations (`P10D`), not dates.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::tokenize::Token;
use crate::clean::dateline::month_number;
use crate::model::{DateExpr, Dateline, Meta};
use crate::text::Span;

/// What relative expressions are resolved against.
#[derive(Debug, Clone, Copy)]
pub struct Reference {
    /// A full date (from metadata).
    pub date: Option<NaiveDate>,
    pub anchor: &'static str,
}

impl Reference {
    pub fn new(meta: &Meta, dateline: Option<&Dateline>) -> Reference {
        if let Some(d) = meta.published.as_deref().and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok()) {
            return Reference { date: Some(d), anchor: "published" };
        }
        // The dateline's month and day name the day, but without a year nothing relative resolves.
        let anchor = if dateline.and_then(|d| d.month_day).is_some() { "dateline" } else { "none" };
        Reference { date: None, anchor }
    }
}

/// The published date: from metadata, else the dateline's day and month with the year unknown.
pub fn published(meta: &Meta, dateline: Option<&Dateline>) -> Option<String> {
    if let Some(p) = &meta.published {
        return Some(p.clone());
    }
    let (m, d) = dateline?.month_day?;
    Some(format!("XXXX-{m:02}-{d:02}"))
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

const NUMBERS: [&str; 13] = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

const YEAR_PREPOSITIONS: [&str; 12] = ["in", "since", "until", "till", "by", "from", "of", "during", "before", "after", "early", "late"];

fn number(word: &str) -> Option<i64> {
    if let Some(i) = NUMBERS.iter().position(|n| lower_is(word, n)) {
        return Some(i as i64);
    }
    if lower_is(word, "a") || lower_is(word, "an") {
        return Some(1);
    }
    (word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit())).then(|| word.parse().ok()).flatten()
}

fn year_of(word: &str) -> Option<i32> {
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit())).then(|| word.parse().ok()).flatten().filter(|y| (1800..=2199).contains(y))
}

fn day_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[w.len()..];
    if !(suffix.is_empty() || ["st", "nd", "rd", "th"].contains(&suffix)) || w.is_empty() || w.len() > 2 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok().filter(|d| (1..=31).contains(d))
}

fn weekday_of(word: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(n, _)| lower_is(word, n)).map(|(_, d)| *d)
}

/// `word.to_lowercase() == lower`, without making the lower-case copy for an ASCII word (these
/// run on every word); a word with other letters is lower-cased in full, as some of them
/// lower-case to ASCII (the Kelvin sign to 'k').
fn lower_is(word: &str, lower: &str) -> bool {
    if word.is_ascii() {
        word.eq_ignore_ascii_case(lower)
    } else {
        word.to_lowercase() == lower
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Tense {
    Past,
    Future,
    Unknown,
}

/// The tense of the sentence a token is in, from a few unambiguous cues.
fn tense(text: &str, words: &[&Token], i: usize) -> Tense {
    let mut a = i;
    while a > 0 && !words[a].sent_start {
        a -= 1;
    }
    let mut b = i + 1;
    while b < words.len() && !words[b].sent_start {
        b += 1;
    }
    let mut past = false;
    for t in &words[a..b] {
        let w = t.text(text).to_lowercase();
        if ["will", "shall", "'ll", "tomorrow", "next", "upcoming", "scheduled", "plans", "going"].contains(&w.as_str()) {
            return Tense::Future;
        }
        if ["said", "was", "were", "had", "did", "told", "took", "came", "went", "made", "met", "began", "gave", "left", "ago", "last", "yesterday"].contains(&w.as_str()) || (w.len() > 4 && w.ends_with("ed")) {
            past = true;
        }
    }
    if past { Tense::Past } else { Tense::Unknown }
}

/// The year for a month (and day) without one, by the news rule.
fn infer_year(reference: NaiveDate, month: u32, tense: Tense) -> i32 {
    let y = reference.year();
    match tense {
        Tense::Past if month > reference.month() => y - 1,
        Tense::Future if month < reference.month() => y + 1,
        _ => y,
    }
}

fn iso_week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

struct Found {
    start: usize,
    /// Index of the last word consumed.
    end_word: usize,
    value: String,
    precision: &'static str,
    rule: &'static str,
    exact: bool,
    /// Whether the value needed the reference date (a year the text does not give, a weekday).
    relative: bool,
}

/// Every date expression in `text[start..]`, as byte spans with normalised values.
#[cfg(test)]
fn find(text: &str, start: usize, reference: Reference, dateline: Option<&Dateline>) -> Vec<DateExpr> {
    find_in(text, &super::tokenize::tokenize(text, start, text.len()), reference, dateline)
}

/// Every date expression in the text's tokens (from where the article starts), as byte spans
/// with normalised values.
pub fn find_in(text: &str, tokens: &[Token], reference: Reference, dateline: Option<&Dateline>) -> Vec<DateExpr> {
    let words: Vec<&Token> = tokens.iter().filter(|t| t.word).collect();
    let w = |i: usize| words.get(i).map(|t| t.text(text)).unwrap_or("");
    // Each word's lower case, made once: the rules look at every word and its neighbours.
    let lowers: Vec<String> = words.iter().map(|t| t.text(text).to_lowercase()).collect();
    let lw = |i: usize| lowers.get(i).map_or("", String::as_str);
    let gap = |i: usize| words.get(i + 1).map(|n| &text[words[i].span.end()..n.span.start()]).unwrap_or("");
    let mut out: Vec<DateExpr> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let found = expression(text, &words, i, reference, &w, &lw, &gap).map(|f| (f, reference.anchor)).or_else(|| {
            // "the next day" counts from the last full day the text named.
            let previous = out.iter().rev().find(|d| d.precision == "day" && d.value.len() == 10 && !d.value.contains("XX-XX"));
            following_day(&words, i, &lw, previous.map(|d| d.value.as_str())).map(|f| (f, "text"))
        });
        match found {
            Some((f, anchor)) => {
                let span = Span::new(f.start, words[f.end_word].span.end());
                let in_dateline = dateline.and_then(|d| d.date).is_some_and(|d| d.overlaps(span));
                out.push(DateExpr {
                    span,
                    value: f.value,
                    exact: f.exact,
                    precision: f.precision,
                    anchor: if f.relative { anchor } else { "none" },
                    rule: if in_dateline { "dateline" } else { f.rule },
                    note: None,
                });
                i = f.end_word + 1;
            }
            None => i += 1,
        }
    }
    weekday_notes(text, &mut out, dateline);
    out
}

/// "the next day", "the following day", "the day before", "two days later": a day counted
/// from the last full date the text gave (HeidelTime's anchoring to the previous date).
fn following_day<'l>(words: &[&Token], i: usize, lw: &dyn Fn(usize) -> &'l str, previous: Option<&str>) -> Option<Found> {
    let (offset, end_word) = match (lw(i), lw(i + 1), lw(i + 2)) {
        ("the", "next" | "following", "day") => (1, i + 2),
        ("the", "previous", "day") => (-1, i + 2),
        // "the day before the vote" counts from the vote, which is not a date.
        ("the", "day", "after" | "before") if !matches!(lw(i + 3), "the" | "a" | "an" | "his" | "her" | "their" | "its") => (if lw(i + 2) == "after" { 1 } else { -1 }, i + 2),
        (n, "day" | "days", "later" | "earlier") => {
            let n = number(n)?;
            (if lw(i + 2) == "later" { n } else { -n }, i + 2)
        }
        _ => return None,
    };
    let start = words[i].span.start();
    let base = previous.and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok());
    let (value, exact) = match (base, previous) {
        (Some(b), _) => ((b + Duration::days(offset)).format("%Y-%m-%d").to_string(), true),
        // A year-unknown day moves by calendar days only where no leap day could lie between.
        (None, Some(p)) => {
            let (m, d): (u32, u32) = (p[5..7].parse().ok()?, p[8..10].parse().ok()?);
            let shifted = NaiveDate::from_ymd_opt(2001, m, d).map(|x| x + Duration::days(offset)).filter(|x| !(x.month() == 2 && x.day() >= 28) && m != 2 && !(m == 3 && d <= 2));
            match shifted {
                Some(x) => (format!("XXXX-{:02}-{:02}", x.month(), x.day()), false),
                None => ("XXXX-XX-XX".into(), false),
            }
        }
        (None, None) => ("XXXX-XX-XX".into(), false),
    };
    Some(Found { start, end_word, value, precision: "day", rule: "day counted from an earlier date", exact, relative: true })
}

/// Years in which news web copy is likely to have been written, to say which years a weekday
/// and a day-month could agree in. A note only; never used as a date.
const NOTE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2035;

fn years_on_weekday(m: u32, d: u32, day: Weekday) -> Vec<i32> {
    NOTE_YEARS.filter(|y| NaiveDate::from_ymd_opt(*y, m, d).is_some_and(|x| x.weekday() == day)).collect()
}

fn year_list(years: &[i32]) -> String {
    match years {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.iter().map(i32::to_string).collect::<Vec<_>>().join(", ")),
    }
}

/// "Wednesday".
fn weekday_name(day: Weekday) -> String {
    let lower = WEEKDAYS[day.num_days_from_monday() as usize].0;
    format!("{}{}", lower[..1].to_uppercase(), &lower[1..])
}

fn month_day_name(m: u32, d: u32) -> String {
    format!("{} {d}", crate::clean::dateline::MONTHS[m as usize - 1])
}

/// Where a weekday and a day-month name the same day ("Wednesday, May 31", or a dateline's
/// "May 31" and "said on Wednesday" in the lead), say which years they agree in, or that they
/// disagree. Shown to reviewers; the value of either expression is left as it was.
fn weekday_notes(text: &str, dates: &mut [DateExpr], dateline: Option<&Dateline>) {
    let month_day = |d: &DateExpr| -> Option<(Option<i32>, u32, u32)> {
        if d.precision != "day" || d.value.len() != 10 || d.value.contains("XX-XX") || d.value.contains('W') {
            return None;
        }
        Some((d.value[..4].parse().ok(), d.value[5..7].parse().ok()?, d.value[8..10].parse().ok()?))
    };
    let weekday = |d: &DateExpr| weekday_of(d.span.get(text).rsplit(' ').next().unwrap_or(""));
    let note = |m: u32, d: u32, year: Option<i32>, day: Weekday, said: &str| -> String {
        let day_name = weekday_name(day);
        match year {
            Some(y) => {
                let actual = NaiveDate::from_ymd_opt(y, m, d).map(|x| x.weekday()).unwrap_or(day);
                if actual == day {
                    String::new()
                } else {
                    format!("{} {y} was a {}, but the text says {said}", month_day_name(m, d), weekday_name(actual))
                }
            }
            None => {
                let years = years_on_weekday(m, d, day);
                if years.is_empty() {
                    format!("{} never fell on a {day_name} in {}–{}", month_day_name(m, d), NOTE_YEARS.start(), NOTE_YEARS.end())
                } else {
                    format!("{} fell on a {day_name} in {} (years {}–{} checked)", month_day_name(m, d), year_list(&years), NOTE_YEARS.start(), NOTE_YEARS.end())
                }
            }
        }
    };
    // Side by side: "Wednesday, May 31", "Wednesday 31 May".
    for k in 1..dates.len() {
        let between = &text[dates[k - 1].span.end()..dates[k].span.start()];
        if !matches!(between, " " | ", " | " (") {
            continue;
        }
        if let (Some(day), Some((y, m, d))) = (weekday(&dates[k - 1]).filter(|_| dates[k - 1].rule == "weekday"), month_day(&dates[k])) {
            let said = dates[k - 1].span.get(text).to_string();
            let n = note(m, d, y, day, &said);
            if !n.is_empty() {
                dates[k].note = Some(n);
            }
        }
    }
    // A dateline without a year, and the first weekday of the lead after it.
    let Some(dl) = dateline else { return };
    let Some(di) = dates.iter().position(|d| dl.date.is_some_and(|s| s.overlaps(d.span))) else { return };
    let Some((None, m, d)) = month_day(&dates[di]) else { return };
    let lead_end = text[dl.span.end()..].find("\n\n").map_or(text.len(), |e| dl.span.end() + e);
    if let Some(day) = dates.iter().filter(|x| x.span.start() >= dl.span.end() && x.span.end() <= lead_end && x.rule == "weekday").find_map(|x| weekday(x)) {
        let said = weekday_name(day);
        let n = note(m, d, None, day, &said);
        dates[di].note = Some(format!("If the lead's {said} is the dateline's day: {n}"));
    }
}

#[allow(clippy::too_many_arguments)]
fn expression<'t, 'l>(
    text: &'t str,
    words: &[&Token],
    i: usize,
    r: Reference,
    w: &dyn Fn(usize) -> &'t str,
    lw: &dyn Fn(usize) -> &'l str,
    gap: &dyn Fn(usize) -> &'t str,
) -> Option<Found> {
    let s = words[i].span.start();
    let plain_gap = |k: usize| gap(k) == " " || gap(k) == "\u{a0}";
    // Values that name their own year are not anchored to anything.
    let found = |end_word: usize, value: String, precision: &'static str, rule: &'static str, exact: bool| {
        let relative = !matches!(rule, "ISO date" | "numeric date" | "full date" | "month and year" | "year" | "duration");
        Some(Found { start: s, end_word, value, precision, rule, exact, relative })
    };
    let word = w(i);
    let lower = lw(i);

    // ISO dates: 2017-05-31.
    if word.len() == 10 && word.as_bytes()[4] == b'-' {
        if let Ok(d) = NaiveDate::parse_from_str(word, "%Y-%m-%d") {
            return found(i, d.format("%Y-%m-%d").to_string(), "day", "ISO date", true);
        }
    }
    // Day/month/year with slashes, only when the order is unambiguous (a part above 12).
    if let (Some(a), "/", Some(b), "/", Some(y)) = (day_of(word), gap(i), day_of(w(i + 1)), gap(i + 1), year_of(w(i + 2))) {
        let (d, m) = if a > 12 && b <= 12 { (a, b) } else if b > 12 && a <= 12 { (b, a) } else { (0, 0) };
        if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
            return found(i + 2, date.format("%Y-%m-%d").to_string(), "day", "numeric date", true);
        }
    }
    let resolve_md = |m: u32, d: u32, end: usize, rule: &'static str| {
        let year = if plain_gap(end) || gap(end) == ", " { year_of(w(end + 1)) } else { None };
        match (year, r.date) {
            (Some(y), _) => NaiveDate::from_ymd_opt(y, m, d).map(|date| (end + 1, date.format("%Y-%m-%d").to_string(), true, "full date")),
            (None, Some(refd)) => {
                let y = infer_year(refd, m, tense(text, words, i));
                NaiveDate::from_ymd_opt(y, m, d).map(|date| (end, date.format("%Y-%m-%d").to_string(), true, rule))
            }
            (None, None) => (d <= crate::source::days_in_month(2000, m)).then(|| (end, format!("XXXX-{m:02}-{d:02}"), false, rule)),
        }
    };
    // 17 October [2016]
    if let (Some(d), Some(m)) = (day_of(word), month_number(w(i + 1))) {
        if plain_gap(i) && w(i + 1).chars().next().is_some_and(char::is_uppercase) {
            if let Some((end, value, exact, rule)) = resolve_md(m, d, i + 1, "day and month") {
                return found(end, value, "day", rule, exact);
            }
        }
    }
    // May 31[, 2017]; July 2014; July
    if let Some(m) = month_number(word).filter(|_| word.chars().next().is_some_and(char::is_uppercase) && word.len() >= 3) {
        if let Some(d) = day_of(w(i + 1)).filter(|_| plain_gap(i)) {
            if let Some((end, value, exact, rule)) = resolve_md(m, d, i + 1, "month and day") {
                return found(end, value, "day", rule, exact);
            }
        }
        if let Some(y) = year_of(w(i + 1)).filter(|_| plain_gap(i)) {
            return found(i + 1, format!("{y}-{m:02}"), "month", "month and year", true);
        }
        // A month alone; "May" is also a verb, so it needs a preposition before it.
        let before = if i > 0 { lw(i - 1) } else { "" };
        let abbreviation = !crate::clean::dateline::MONTHS.contains(&word);
        if !abbreviation && (word != "May" || ["in", "since", "until", "by", "from", "early", "late", "mid", "of", "during"].contains(&before)) {
            return match r.date {
                Some(refd) => found(i, format!("{}-{m:02}", infer_year(refd, m, tense(text, words, i))), "month", "month", true),
                None => found(i, format!("XXXX-{m:02}"), "month", "month", false),
            };
        }
    }
    // in 2014
    if let Some(y) = year_of(word) {
        if i > 0 && YEAR_PREPOSITIONS.contains(&lw(i - 1)) {
            return found(i, y.to_string(), "year", "year", true);
        }
    }
    // Weekdays: "Thursday", "last Tuesday", "next Tuesday".
    if let Some(day) = word.chars().next().is_some_and(char::is_uppercase).then(|| weekday_of(word)).flatten() {
        let before = if i > 0 { lw(i - 1) } else { "" };
        let forward = before == "next" || (before != "last" && tense(text, words, i) == Tense::Future);
        let start = if before == "next" || before == "last" { words[i - 1].span.start() } else { s };
        let rule = if before == "next" { "next weekday" } else if before == "last" { "last weekday" } else { "weekday" };
        let n = day.number_from_monday();
        let value = match r.date {
            Some(refd) => {
                let diff = (refd.weekday().num_days_from_monday() as i64 - day.num_days_from_monday() as i64).rem_euclid(7);
                let date = if forward {
                    let ahead = (day.num_days_from_monday() as i64 - refd.weekday().num_days_from_monday() as i64).rem_euclid(7);
                    refd + Duration::days(if ahead == 0 && before == "next" { 7 } else { ahead })
                } else {
                    refd - Duration::days(if diff == 0 && before == "last" { 7 } else { diff })
                };
                date.format("%Y-%m-%d").to_string()
            }
            None => format!("XXXX-WXX-{n}"),
        };
        return Some(Found { start, end_word: i, exact: r.date.is_some(), value, precision: "day", rule, relative: true });
    }
    // yesterday, today, tomorrow
    if let Some(offset) = match lower {
        "yesterday" => Some(-1),
        "today" => Some(0),
        "tomorrow" => Some(1),
        _ => None,
    } {
        return match r.date {
            Some(refd) => found(i, (refd + Duration::days(offset)).format("%Y-%m-%d").to_string(), "day", "relative day", true),
            None => found(i, "XXXX-XX-XX".into(), "day", "relative day", false),
        };
    }
    // last / this / next week, month, year; earlier this month; (over) the weekend
    let unit_at = |k: usize| match lw(k) {
        "week" => Some("week"),
        "month" => Some("month"),
        "year" => Some("year"),
        "weekend" => Some("weekend"),
        _ => None,
    };
    let shift = match lower {
        "last" | "past" | "previous" => Some(-1),
        "this" | "current" => Some(0),
        "next" | "coming" => Some(1),
        "earlier" | "later" if lw(i + 1) == "this" => Some(0),
        _ => None,
    };
    if let Some(shift) = shift {
        let unit_word = if lw(i + 1) == "this" { i + 2 } else { i + 1 };
        if let Some(unit) = unit_at(unit_word) {
            return relative_unit(r, unit, shift, s, unit_word);
        }
    }
    if lower == "weekend" && i >= 1 && lw(i - 1) == "the" {
        let start_word = if i >= 2 && ["over", "during", "at", "on"].contains(&lw(i - 2)) { i - 2 } else { i - 1 };
        let shift = if tense(text, words, i) == Tense::Future { 1 } else { -1 };
        let mut f = relative_unit(r, "weekend", shift, words[start_word].span.start(), i)?;
        f.rule = "the weekend";
        return Some(f);
    }
    // two days ago ("ago" first: it rules out nearly every word, and cheaply)
    if let Some(n) = (lw(i + 2) == "ago").then(|| number(word)).flatten() {
        let unit = lw(i + 1);
        let unit = unit.trim_end_matches('s');
        if ["day", "week", "month", "year"].contains(&unit) {
            let value = match (r.date, unit) {
                (Some(refd), "day") => (refd - Duration::days(n)).format("%Y-%m-%d").to_string(),
                (Some(refd), "week") => iso_week(refd - Duration::days(7 * n)),
                (Some(refd), "month") => {
                    let total = refd.year() * 12 + refd.month0() as i32 - n as i32;
                    format!("{}-{:02}", total.div_euclid(12), total.rem_euclid(12) + 1)
                }
                (Some(refd), _) => (refd.year() - n as i32).to_string(),
                (None, _) => "XXXX".into(),
            };
            let precision = match unit {
                "day" => "day",
                "week" => "week",
                "month" => "month",
                _ => "year",
            };
            return found(i + 2, value, precision, "ago", r.date.is_some());
        }
    }
    // for 10 days: a duration
    if lower == "for" {
        if let Some(n) = number(w(i + 1)) {
            let unit = lw(i + 2);
            let code = match unit.trim_end_matches('s') {
                "hour" => Some("TH"),
                "day" => Some("D"),
                "week" => Some("W"),
                "month" => Some("M"),
                "year" => Some("Y"),
                _ => None,
            };
            if let Some(code) = code {
                let value = match code.strip_prefix('T') {
                    Some(c) => format!("PT{n}{c}"),
                    None => format!("P{n}{code}"),
                };
                return found(i + 2, value, "duration", "duration", true);
            }
        }
    }
    None
}

fn relative_unit(r: Reference, unit: &str, shift: i64, start: usize, end_word: usize) -> Option<Found> {
    let Some(refd) = r.date else {
        let value = match unit {
            "week" => "XXXX-WXX".to_string(),
            "weekend" => "XXXX-WXX-WE".to_string(),
            "month" => "XXXX-XX".to_string(),
            _ => "XXXX".to_string(),
        };
        let precision = if unit == "weekend" { "week" } else { unit_precision(unit) };
        return Some(Found { start, end_word, value, precision, rule: "relative", exact: false, relative: true });
    };
    let value = match unit {
        "week" => iso_week(refd + Duration::days(7 * shift)),
        "weekend" => {
            // The weekend before the reference (or the one it is in, or the next one).
            let wd = refd.weekday().num_days_from_monday() as i64;
            let saturday = match shift {
                s if s < 0 && wd >= 5 => refd - Duration::days(wd - 5),
                s if s < 0 => refd - Duration::days(wd + 2),
                0 => refd + Duration::days(5 - wd),
                _ => refd + Duration::days(if wd >= 5 { 12 - wd } else { 5 - wd }),
            };
            format!("{}-WE", iso_week(saturday))
        }
        "month" => {
            let total = refd.year() * 12 + refd.month0() as i32 + shift as i32;
            format!("{}-{:02}", total.div_euclid(12), total.rem_euclid(12) + 1)
        }
        _ => (refd.year() + shift as i32).to_string(),
    };
    let precision = if unit == "weekend" { "week" } else { unit_precision(unit) };
    Some(Found { start, end_word, value, precision, rule: "relative", exact: true, relative: true })
}

fn unit_precision(unit: &str) -> &'static str {
    match unit {
        "week" => "week",
        "month" => "month",
        _ => "year",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str) -> Reference {
        let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        Reference { date: Some(d), anchor: "published" }
    }

    fn values(text: &str, r: Reference) -> Vec<(String, String)> {
        find(text, 0, r, None).into_iter().map(|d| (d.span.get(text).to_string(), d.value)).collect()
    }

    fn one(text: &str, date: &str) -> (String, String) {
        let v = values(text, at(date));
        assert_eq!(v.len(), 1, "{text}: {v:?}");
        v[0].clone()
    }

    #[test]
    fn full_dates() {
        assert_eq!(one("It began on 17 October 2016 in the north.", "2020-01-01").1, "2016-10-17");
        assert_eq!(one("Signed on May 31, 2017 in Moscow.", "2020-01-01"), ("May 31, 2017".into(), "2017-05-31".into()));
        assert_eq!(one("Filed 2017-05-31.", "2020-01-01").1, "2017-05-31");
        assert_eq!(one("Filed 31/05/2017.", "2020-01-01").1, "2017-05-31");
        assert!(values("Filed 05/06/2017.", at("2020-01-01")).is_empty(), "05/06 is ambiguous");
        assert!(values("Filed 2017-02-30.", at("2020-01-01")).is_empty(), "no such day");
    }

    #[test]
    fn day_and_month_take_the_news_year() {
        assert_eq!(one("The offensive, launched on 17 October, goes on.", "2016-10-28").1, "2016-10-17");
        assert_eq!(one("A source said on May 27 that a deal was reached.", "2017-05-31").1, "2017-05-27");
        // Past tense and a month after the reference month: the year before.
        assert_eq!(one("The talks were held on 20 December.", "2017-01-05").1, "2016-12-20");
        // Future tense and a month before it: the year after.
        assert_eq!(one("The summit will open on 10 January.", "2016-12-20").1, "2017-01-10");
        // Leap day and month ends.
        assert_eq!(one("He was elected on 29 February.", "2016-03-10").1, "2016-02-29");
        assert!(!values("He was elected on 29 February.", at("2017-03-10")).iter().any(|(_, v)| v == "2017-02-29"), "2017 has no 29 February");
        assert_eq!(one("It closed on 31 December.", "2016-12-31").1, "2016-12-31");
    }

    #[test]
    fn months_and_years() {
        assert_eq!(one("In July, Moscow announced deliveries.", "2014-09-15"), ("July".into(), "2014-07".into()));
        assert_eq!(one("The war began in 2014.", "2016-01-01"), ("2014".into(), "2014".into()));
        assert_eq!(one("Prices rose in March 2015.", "2016-01-01").1, "2015-03");
        assert!(values("You may go. May I?", at("2016-01-01")).is_empty(), "May the verb");
        assert_eq!(one("They met in May.", "2016-08-01").1, "2016-05");
        assert!(values("Some 2000 troops arrived.", at("2016-01-01")).is_empty(), "a number is not a year");
    }

    #[test]
    fn weekdays_resolve_backwards() {
        assert_eq!(one("The US said Thursday that 900 were killed.", "2016-10-28").1, "2016-10-27");
        assert_eq!(one("He repeated the denial on Friday.", "2016-10-28").1, "2016-10-28");
        assert_eq!(one("Shoigu informed Putin on Tuesday.", "2017-05-31").1, "2017-05-30");
        assert_eq!(one("Russia on Monday offered help.", "2014-09-15").1, "2014-09-15");
        assert_eq!(one("They will meet next Tuesday.", "2017-05-31"), ("next Tuesday".into(), "2017-06-06".into()));
        assert_eq!(one("They met last Wednesday.", "2017-05-31").1, "2017-05-24");
        // Across a year boundary.
        assert_eq!(one("It happened on Friday.", "2017-01-02").1, "2016-12-30");
    }

    #[test]
    fn relative_expressions() {
        assert_eq!(one("The ministry last week urged restraint.", "2016-10-28").1, "2016-W42");
        // "last week" said on a Monday is the whole previous ISO week.
        assert_eq!(one("Russia said last week that strikes would be wrong.", "2014-09-15").1, "2014-W37");
        // ISO weeks around New Year: 2021-01-04 is in 2021-W01, a week earlier is 2020-W53.
        assert_eq!(one("Officials said last week it was over.", "2021-01-04").1, "2020-W53");
        assert_eq!(one("Officials met last week.", "2019-01-07").1, "2019-W01");
        assert_eq!(one("It was beheaded over the weekend.", "2014-09-15"), ("over the weekend".into(), "2014-W37-WE".into()));
        assert_eq!(one("He arrived yesterday.", "2016-03-01").1, "2016-02-29");
        assert_eq!(one("Prices rose earlier this month.", "2016-03-20").1, "2016-03");
        assert_eq!(one("He left two days ago.", "2016-03-01").1, "2016-02-28");
        assert_eq!(one("Sales fell last year.", "2016-03-01").1, "2015");
        assert_eq!(one("Talks resume next month.", "2016-12-15").1, "2017-01");
    }

    #[test]
    fn durations_are_not_dates() {
        assert_eq!(one("No planes have bombed Aleppo for 10 days.", "2016-10-28"), ("for 10 days".into(), "P10D".into()));
        assert_eq!(one("The siege lasted for two weeks.", "2016-10-28").1, "P2W");
    }

    #[test]
    fn no_reference_means_no_year() {
        let none = Reference { date: None, anchor: "dateline" };
        let v = values("MOSCOW, May 31. A source said on May 27 and on Tuesday, last week, that in July it ended.", none);
        assert!(v.iter().all(|(_, val)| !val.chars().take(4).all(|c| c.is_ascii_digit())), "a year was invented: {v:?}");
        assert!(v.contains(&("May 31".into(), "XXXX-05-31".into())));
        assert!(v.contains(&("May 27".into(), "XXXX-05-27".into())));
        assert!(v.contains(&("Tuesday".into(), "XXXX-WXX-2".into())));
    }

    #[test]
    fn days_counted_from_an_earlier_date() {
        let text = "The talks opened on 28 February 2016. The next day the rebels withdrew, and two days later the truce held.";
        let d = find(text, 0, at("2016-03-10"), None);
        let got: Vec<_> = d.iter().map(|x| (x.span.get(text), x.value.as_str(), x.anchor)).collect();
        // 2016 is a leap year: the day after 28 February is the 29th; each count starts from
        // the last day named.
        assert_eq!(got, vec![("28 February 2016", "2016-02-28", "none"), ("The next day", "2016-02-29", "text"), ("two days later", "2016-03-02", "text")]);
        // "the day before the vote" counts from the vote, not from a date.
        assert!(values("On 3 May 2016 they met; the day before the vote was calm.", at("2016-06-01")).len() == 1);
        // Without a year, only days that cannot cross a leap day move.
        let none = Reference { date: None, anchor: "dateline" };
        let text = "It began on May 31. The following day it ended.";
        assert_eq!(find(text, 0, none, None)[1].value, "XXXX-06-01");
    }

    #[test]
    fn anchors_say_what_the_value_rests_on() {
        let text = "On 17 October 2016, and on Thursday, and in July.";
        let d = find(text, 0, at("2016-10-28"), None);
        let anchors: Vec<_> = d.iter().map(|x| (x.span.get(text), x.anchor)).collect();
        assert_eq!(anchors, vec![("17 October 2016", "none"), ("Thursday", "published"), ("July", "published")]);
    }

    #[test]
    fn weekday_and_day_month_notes() {
        // Agreeing with a known year: no note.
        let d = find("The vote on Wednesday, May 31, 2017 passed.", 0, at("2017-06-02"), None);
        assert!(d.iter().all(|x| x.note.is_none()), "{d:?}");
        // Disagreeing: a note, and the date keeps its value.
        let d = find("The vote on Tuesday, May 31, 2017 passed.", 0, at("2017-06-02"), None);
        let note = d.iter().find_map(|x| x.note.clone()).expect("a note");
        assert_eq!(note, "May 31 2017 was a Wednesday, but the text says Tuesday");
        assert_eq!(d.last().unwrap().value, "2017-05-31");
        // Year unknown: the years in which they agree, never a year in the value.
        let none = Reference { date: None, anchor: "none" };
        let d = find("The vote on Wednesday, May 31 passed.", 0, none, None);
        assert_eq!(d[1].value, "XXXX-05-31");
        assert_eq!(d[1].note.as_deref(), Some("May 31 fell on a Wednesday in 2000, 2006, 2017, 2023, 2028 and 2034 (years 2000–2035 checked)"));
        // A leap day agrees with a weekday in few years.
        let d = find("Monday 29 February was quiet.", 0, none, None);
        assert_eq!(d[1].note.as_deref(), Some("February 29 fell on a Monday in 2016 (years 2000–2035 checked)"));
    }

    #[test]
    fn the_datelines_date_is_one_of_them() {
        let text = "MOSCOW, May 31. /TASS/. Lavrov said on Wednesday that talks went well.";
        let dl = Dateline { span: Span::new(0, 22), text: "MOSCOW, May 31. /TASS/.".into(), place: Some(Span::new(0, 6)), region: None, month_day: Some((5, 31)), date: Some(Span::new(8, 14)), agency: Some(Span::new(17, 21)) };
        let with = find(text, 0, at("2017-05-31"), Some(&dl));
        assert_eq!((with[0].value.as_str(), with[0].rule, with[0].anchor), ("2017-05-31", "dateline", "published"));
        assert_eq!(with[1].value, "2017-05-31", "the lead's Wednesday is the publication day");
        assert!(with.iter().all(|d| d.note.is_none()), "a known year needs no note");
        let without = find(text, 0, Reference::new(&Meta::default(), Some(&dl)), Some(&dl));
        assert_eq!((without[0].value.as_str(), without[0].anchor), ("XXXX-05-31", "dateline"));
        assert_eq!(without[0].note.as_deref(), Some("If the lead's Wednesday is the dateline's day: May 31 fell on a Wednesday in 2000, 2006, 2017, 2023, 2028 and 2034 (years 2000–2035 checked)"));
        assert_eq!(published(&Meta::default(), Some(&dl)).as_deref(), Some("XXXX-05-31"));
    }
}
