//! The archive by time: the dates index, a page per year and per month (by publication date),
//! the timeline (by the dates the articles mention) and each entity's mentions-over-time chart.
//!
//! Everything here is computed once from the resolved archive; templates only lay it out.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

use super::article::{date_anchor, sentence_around, ArticleLink, ArticleSpans, ArticleSummary};
use crate::clean::dateline::MONTHS;
use crate::model::{Article, DateExpr, Entity};

fn month_name(m: u32) -> &'static str {
    MONTHS.get((m as usize).wrapping_sub(1)).copied().unwrap_or("Month unknown")
}

pub fn year_url(y: i32) -> String {
    format!("dates/{y}.html")
}

pub fn month_url(y: i32, m: u32) -> String {
    format!("dates/{y}-{m:02}.html")
}

/// Articles by publication date. Lists keep the archive order (newest first).
pub struct Calendar {
    /// year → month → day → articles.
    years: BTreeMap<i32, BTreeMap<u32, BTreeMap<u32, Vec<usize>>>>,
    /// (month, day) → articles whose year is unknown.
    unknown_year: BTreeMap<(u32, u32), Vec<usize>>,
    undated: Vec<usize>,
}

/// `2017-05-31` → (Some(2017), 5, 31); `XXXX-05-31` → (None, 5, 31).
fn parse_published(p: &str) -> Option<(Option<i32>, u32, u32)> {
    let mut parts = p.split('-');
    let y = parts.next()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next().map_or(Some(0), |d| d.parse().ok())?;
    Some((y.parse().ok(), m, d))
}

/// Appends what the lines of articles `ids` show (their links), for a dates page's key.
fn links_part(buf: &mut Vec<u8>, ids: &[usize], summaries: &[ArticleSummary]) {
    for i in ids {
        ArticleLink::from(&summaries[*i]).key_part(buf);
    }
}

/// The dates index lists each day's articles up to this many articles with a known year, a
/// page of the article list (`ARTICLE_PAGE`). Past that it shows each year's months with their
/// counts, and the year and month pages list the articles: at 100,000 articles the index that
/// listed them all was a 22 MB page, and making it took 190 MB.
pub const DAYS_ON_INDEX: usize = super::lists::ARTICLE_PAGE;

/// Where the article list's sections of articles without a full date begin
/// (`lists::section_url`): the year unknown, and the undated.
pub struct ListTail {
    pub unknown_year: Option<String>,
    pub undated: Option<String>,
}

impl ListTail {
    pub fn of(order: &[usize], summaries: &[ArticleSummary]) -> ListTail {
        ListTail { unknown_year: super::lists::section_url(order, summaries, "year-unknown"), undated: super::lists::section_url(order, summaries, "undated") }
    }
}

impl Calendar {
    pub fn build(articles: &[Article], order: &[usize]) -> Calendar {
        let mut cal = Calendar { years: BTreeMap::new(), unknown_year: BTreeMap::new(), undated: Vec::new() };
        for &i in order {
            match articles[i].published.as_deref().and_then(parse_published) {
                Some((Some(y), m, d)) => cal.years.entry(y).or_default().entry(m).or_default().entry(d).or_default().push(i),
                Some((None, m, d)) => cal.unknown_year.entry((m, d)).or_default().push(i),
                None => cal.undated.push(i),
            }
        }
        cal
    }

    /// First and last known publication dates, for the home page.
    pub fn range(&self, summaries: &[ArticleSummary]) -> Option<serde_json::Value> {
        let newest = self.years.values().next_back()?.values().next_back()?.values().next_back()?.first()?;
        let oldest = self.years.values().next()?.values().next()?.values().next()?.last()?;
        Some(json!({ "first": summaries[*oldest].published_display(), "last": summaries[*newest].published_display() }))
    }

    fn months(&self) -> Vec<(i32, u32)> {
        self.years.iter().flat_map(|(y, ms)| ms.keys().map(move |m| (*y, *m))).collect()
    }

    fn count(days: &BTreeMap<u32, Vec<usize>>) -> usize {
        days.values().map(Vec::len).sum()
    }

    /// Stands for the shape of the calendar: every (year, month, day) with its number of
    /// articles, then the days of unknown year and the undated, as counts. With the summaries
    /// of the articles they list, it stands for every dates page (`index_key`, `period_key`).
    pub fn shape_key(&self) -> crate::cache::Key {
        let mut buf = Vec::new();
        for (y, months) in &self.years {
            for (m, days) in months {
                for (d, ids) in days {
                    for n in [*y as u64, u64::from(*m), u64::from(*d), ids.len() as u64] {
                        buf.extend_from_slice(&n.to_le_bytes());
                    }
                }
            }
        }
        buf.extend_from_slice(&u64::MAX.to_le_bytes());
        for ((m, d), ids) in &self.unknown_year {
            for n in [u64::from(*m), u64::from(*d), ids.len() as u64] {
                buf.extend_from_slice(&n.to_le_bytes());
            }
        }
        buf.extend_from_slice(&(self.undated.len() as u64).to_le_bytes());
        crate::cache::Hasher::new("calendar shape").part(&buf).finish()
    }

    /// Whether the dates index lists the articles of each day (`DAYS_ON_INDEX`).
    pub fn lists_days(&self) -> bool {
        self.years.values().flat_map(|ms| ms.values()).map(Self::count).sum::<usize>() <= DAYS_ON_INDEX
    }

    /// Stands for the dates index (`index_context`): the shape, each listed article's link
    /// (not its whole summary: an edit that leaves an article's title and date alone leaves the
    /// index as it was) and, for a large archive, where the article list's sections without a
    /// year begin (`tail`).
    pub fn index_key(&self, shape: &crate::cache::Key, summaries: &[ArticleSummary], tail: &ListTail) -> Vec<u8> {
        let mut buf = shape.to_vec();
        let listed = self.lists_days();
        buf.push(u8::from(listed));
        if listed {
            let days = self.years.values().flat_map(|ms| ms.values()).flat_map(|ds| ds.values());
            for ids in days.chain(self.unknown_year.values()).chain(std::iter::once(&self.undated)) {
                links_part(&mut buf, ids, summaries);
            }
        } else {
            for url in [&tail.unknown_year, &tail.undated] {
                buf.extend_from_slice(url.as_deref().unwrap_or("").as_bytes());
                buf.push(0);
            }
        }
        buf
    }

    /// Stands for period page `k` (`period_page`): the page's number, the shape (its neighbours
    /// and counts) and the links of the articles it lists.
    pub fn period_key(&self, k: usize, shape: &crate::cache::Key, summaries: &[ArticleSummary]) -> Vec<u8> {
        let mut buf = shape.to_vec();
        buf.extend_from_slice(&(k as u64).to_le_bytes());
        let months: Vec<&BTreeMap<u32, Vec<usize>>> = match self.period(k) {
            (y, None) => self.years[&y].values().collect(),
            (y, Some(m)) => vec![&self.years[&y][&m]],
        };
        for ids in months.into_iter().flat_map(|days| days.values()) {
            links_part(&mut buf, ids, summaries);
        }
        buf
    }

    /// Period page `k`: (year, None) for the year pages, then (year, Some(month)).
    fn period(&self, k: usize) -> (i32, Option<u32>) {
        match self.years.keys().nth(k) {
            Some(y) => (*y, None),
            None => {
                let (y, m) = self.months()[k - self.years.len()];
                (y, Some(m))
            }
        }
    }

    /// The dates index: years → months → days with counts, year unknown, undated. Past
    /// `DAYS_ON_INDEX` it lists no article: each month's page lists its own, and the articles
    /// of unknown year and the undated ones (an eighth of a large bench archive: the index of
    /// 100,000 articles was a 2.9 MB page of them) are counted, with a link to where the article
    /// list shows them (`tail`).
    pub fn index_context(&self, summaries: &[ArticleSummary], tail: &ListTail) -> super::PageData {
        // A line per article (`m::article_line`) needs its link, not its snippet and counts.
        let list = |ids: &[usize]| ids.iter().map(|i| ArticleLink::from(&summaries[*i])).collect::<Vec<_>>();
        let listed = self.lists_days();
        let years: Vec<_> = self
            .years
            .iter()
            .rev()
            .map(|(y, months)| {
                let months_ctx: Vec<_> = months
                    .iter()
                    .rev()
                    .map(|(m, days)| {
                        let days: Vec<_> = days.iter().rev().filter(|_| listed).map(|(d, ids)| json!({ "day": d, "count": ids.len(), "articles": list(ids) })).collect();
                        json!({ "month": format!("{m:02}"), "name": month_name(*m), "count": Self::count(&months[m]), "url": month_url(*y, *m), "days": days })
                    })
                    .collect();
                let count: usize = months.values().map(Self::count).sum();
                json!({ "year": y.to_string(), "count": count, "url": year_url(*y), "months": months_ctx })
            })
            .collect();
        let unknown: Vec<_> = self.unknown_year.iter().filter(|_| listed).map(|((m, d), ids)| json!({ "label": format!("{d} {}", month_name(*m)), "articles": list(ids) })).collect();
        let mut ctx = super::PageData::new();
        ctx.insert("years", &years);
        ctx.insert("days_listed", &listed);
        ctx.insert("unknown_year", &unknown);
        ctx.insert("undated", &if listed { list(&self.undated) } else { Vec::new() });
        ctx.insert("unknown_count", &self.unknown_year.values().map(Vec::len).sum::<usize>());
        ctx.insert("undated_count", &self.undated.len());
        if !listed {
            ctx.insert("unknown_url", &tail.unknown_year);
            ctx.insert("undated_url", &tail.undated);
        }
        ctx
    }

    /// How many year and month pages there are (`period_page`).
    pub fn period_page_count(&self) -> usize {
        self.years.len() + self.months().len()
    }

    /// The path and title of period page `k` (as `period_page` gives them).
    pub fn period_path_title(&self, k: usize) -> (String, String) {
        match self.period(k) {
            (y, None) => (year_url(y), y.to_string()),
            (y, Some(m)) => (month_url(y, m), format!("{} {y}", month_name(m))),
        }
    }

    /// Year page `k`, then (from `k` = the number of years) month pages: (path, title, context).
    /// One at a time, as they are rendered: together their contexts list every article twice.
    pub fn period_page(&self, k: usize, summaries: &[ArticleSummary]) -> (String, String, super::PageData) {
        let link = |url: String, label: String, count: usize| json!({ "url": url, "label": label, "count": count });
        let day_groups = |days: &BTreeMap<u32, Vec<usize>>, y: i32, m: u32| -> Vec<serde_json::Value> {
            days.iter().rev().map(|(d, ids)| json!({ "day": d, "label": format!("{d} {} {y}", month_name(m)), "articles": ids.iter().map(|i| ArticleLink::from(&summaries[*i])).collect::<Vec<_>>() })).collect()
        };
        let years: Vec<i32> = self.years.keys().copied().collect();
        if let Some(y) = years.get(k) {
            let months = &self.years[y];
            let count: usize = months.values().map(Self::count).sum();
            let strip: Vec<_> = (1..=12).map(|m| json!({ "name": &month_name(m)[..3], "full": month_name(m), "count": months.get(&m).map_or(0, Self::count), "url": month_url(*y, m) })).collect();
            let groups: Vec<_> = months.iter().rev().map(|(m, days)| json!({ "label": format!("{} {y}", month_name(*m)), "url": month_url(*y, *m), "count": Self::count(days), "days": day_groups(days, *y, *m) })).collect();
            let mut ctx = super::PageData::new();
            ctx.insert_value("period", json!({ "kind": "year", "label": y.to_string(), "count": count, "year": y, "year_url": year_url(*y) }));
            ctx.insert_value("months", strip.into());
            ctx.insert_value("groups", groups.into());
            ctx.insert("prev", &k.checked_sub(1).map(|p| link(year_url(years[p]), years[p].to_string(), self.years[&years[p]].values().map(Self::count).sum())));
            ctx.insert("next", &years.get(k + 1).map(|n| link(year_url(*n), n.to_string(), self.years[n].values().map(Self::count).sum())));
            return (year_url(*y), y.to_string(), ctx);
        }
        let months = self.months();
        let k = k - years.len();
        let (y, m) = &months[k];
        let days = &self.years[y][m];
        let label = |y: i32, m: u32| format!("{} {y}", month_name(m));
        let count_of = |y: i32, m: u32| Self::count(&self.years[&y][&m]);
        let groups = vec![json!({ "label": label(*y, *m), "url": month_url(*y, *m), "count": Self::count(days), "days": day_groups(days, *y, *m) })];
        let mut ctx = super::PageData::new();
        ctx.insert_value("period", json!({ "kind": "month", "label": label(*y, *m), "count": Self::count(days), "year": y, "year_url": year_url(*y) }));
        ctx.insert_value("months", Vec::<serde_json::Value>::new().into());
        ctx.insert_value("groups", groups.into());
        ctx.insert("prev", &k.checked_sub(1).map(|p| link(month_url(months[p].0, months[p].1), label(months[p].0, months[p].1), count_of(months[p].0, months[p].1))));
        ctx.insert("next", &months.get(k + 1).map(|(ny, nm)| link(month_url(*ny, *nm), label(*ny, *nm), count_of(*ny, *nm))));
        (month_url(*y, *m), label(*y, *m), ctx)
    }

    /// The span the entity charts share, so that two charts can be compared: months from the
    /// first to the last known publication month, or years when that is more than four years.
    pub fn chart_axis(&self) -> Option<ChartAxis> {
        let months = self.months();
        let (first, last) = (*months.first()?, *months.last()?);
        let span = (last.0 - first.0) * 12 + last.1 as i32 - first.1 as i32 + 1;
        Some(if span > 48 { ChartAxis::Years(first.0, last.0) } else { ChartAxis::Months(first, span as usize) })
    }
}

#[derive(Clone, Copy, Debug)]
pub enum ChartAxis {
    /// First (year, month) and the number of months.
    Months((i32, u32), usize),
    Years(i32, i32),
}

impl ChartAxis {
    fn len(&self) -> usize {
        match self {
            ChartAxis::Months(_, n) => *n,
            ChartAxis::Years(a, b) => (b - a + 1) as usize,
        }
    }
    fn bin(&self, y: i32, m: u32) -> usize {
        match self {
            ChartAxis::Months((fy, fm), _) => ((y - fy) * 12 + m as i32 - *fm as i32) as usize,
            ChartAxis::Years(a, _) => (y - a) as usize,
        }
    }
    fn label(&self, bin: usize) -> String {
        match self {
            ChartAxis::Months((fy, fm), _) => {
                let total = fy * 12 + (*fm as i32 - 1) + bin as i32;
                format!("{} {}", &month_name(total.rem_euclid(12) as u32 + 1)[..3], total.div_euclid(12))
            }
            ChartAxis::Years(a, _) => (a + bin as i32).to_string(),
        }
    }
}

#[derive(Serialize)]
pub struct Bar {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    label: String,
    mentions: usize,
    articles: usize,
}

/// The data of an entity's mentions-over-time chart (drawn as inline SVG by the template).
#[derive(Serialize)]
pub struct Chart {
    width: u32,
    height: u32,
    /// Height of the plot area; labels go below it.
    plot: u32,
    bars: Vec<Bar>,
    max: usize,
    first: String,
    last: String,
    by: &'static str,
    /// Mentions in articles whose publication year is unknown: not on the chart.
    unplaced: usize,
}

pub fn mention_chart(entity: usize, e: &Entity, articles: &[Article], axis: ChartAxis) -> Chart {
    let counts = e.articles.iter().map(|&ai| (articles[ai].published.as_deref(), articles[ai].mentions.iter().filter(|m| m.entity == entity).count()));
    bar_chart(counts, axis)
}

/// An entity's statements over time, on the same axis as its mentions (`mention_chart`; a
/// bar's `mentions` counts statements here). None when it made none.
pub fn statement_chart(entity: usize, e: &Entity, articles: &[Article], axis: ChartAxis) -> Option<Chart> {
    let counts = e.articles.iter().map(|&ai| {
        let a = &articles[ai];
        (a.published.as_deref(), a.quotes.iter().filter(|q| super::statements::speaker(a, q) == Some(entity)).count())
    });
    let chart = bar_chart(counts.filter(|(_, n)| *n > 0), axis);
    (!chart.bars.is_empty() || chart.unplaced > 0).then_some(chart)
}

/// Bars of counts by publication period: `counts` gives each article's date and its count.
fn bar_chart<'a>(counts: impl Iterator<Item = (Option<&'a str>, usize)>, axis: ChartAxis) -> Chart {
    let mut mentions = vec![0usize; axis.len()];
    let mut arts = vec![0usize; axis.len()];
    let mut unplaced = 0;
    for (published, n) in counts {
        match published.and_then(parse_published) {
            Some((Some(y), m, _)) => {
                let b = axis.bin(y, m);
                mentions[b] += n;
                arts[b] += 1;
            }
            _ => unplaced += n,
        }
    }
    let (width, plot) = (600u32, 80u32);
    let max = mentions.iter().copied().max().unwrap_or(0).max(1);
    let slot = width as f32 / axis.len() as f32;
    let gap = if slot > 4.0 { slot * 0.2 } else { 0.0 };
    let round = |v: f32| (v * 10.0).round() / 10.0;
    // Only periods with mentions get a bar: most entities are named in a few months of a long
    // axis, and the empty periods were most of the chart's data.
    let bars = mentions
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(b, &n)| {
            let h = (n as f32 / max as f32 * plot as f32).max(2.0);
            Bar { x: round(b as f32 * slot + gap / 2.0), y: round(plot as f32 - h), w: round(slot - gap), h: round(h), label: axis.label(b), mentions: n, articles: arts[b] }
        })
        .collect();
    Chart {
        width,
        height: plot + 18,
        plot,
        bars,
        max,
        first: axis.label(0),
        last: axis.label(axis.len() - 1),
        by: if matches!(axis, ChartAxis::Months(..)) { "month" } else { "year" },
        unplaced,
    }
}

/// Where a TIMEX value starts, for ordering the timeline, and how to say it.
fn value_start(v: &str) -> Option<(NaiveDate, String)> {
    let y: i32 = v.get(..4)?.parse().ok()?;
    let rest = &v[4..];
    if let Some(week) = rest.strip_prefix("-W") {
        let n: u32 = week.get(..2)?.parse().ok()?;
        let monday = NaiveDate::from_isoywd_opt(y, n, Weekday::Mon)?;
        return Some(if week.ends_with("-WE") {
            let sat = monday + Duration::days(5);
            let sun = sat + Duration::days(1);
            (sat, format!("Weekend of {}", day_range(sat, sun)))
        } else {
            (monday, format!("Week {n} of {y} ({})", day_range(monday, monday + Duration::days(6))))
        });
    }
    let parts: Vec<&str> = rest.split('-').skip(1).collect();
    match parts.as_slice() {
        [] => Some((NaiveDate::from_ymd_opt(y, 1, 1)?, y.to_string())),
        [m] => {
            let m: u32 = m.parse().ok()?;
            Some((NaiveDate::from_ymd_opt(y, m, 1)?, format!("{} {y}", month_name(m))))
        }
        [m, d] => {
            let date = NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?)?;
            Some((date, format!("{} {} {y}", date.day(), month_name(date.month()))))
        }
        _ => None,
    }
}

fn day_range(a: NaiveDate, b: NaiveDate) -> String {
    if a.month() == b.month() {
        format!("{}–{} {} {}", a.day(), b.day(), month_name(a.month()), a.year())
    } else if a.year() == b.year() {
        format!("{} {} – {} {} {}", a.day(), month_name(a.month()), b.day(), month_name(b.month()), a.year())
    } else {
        format!("{} {} {} – {} {} {}", a.day(), month_name(a.month()), a.year(), b.day(), month_name(b.month()), b.year())
    }
}

/// Precision order within one start day: a day before the week, month and year it opens.
fn precision_rank(p: &str) -> u8 {
    match p {
        "day" => 0,
        "week" => 1,
        "month" => 2,
        _ => 3,
    }
}

/// Passages per timeline page. A page lists whole dates, so it holds more only when one date
/// alone has more. One page for the whole archive was 32 MB of HTML at 10,000 articles: too
/// much for a browser, and its context was the largest of the build.
pub const TIMELINE_PAGE: usize = 500;

/// Page `p` (from 0) of the timeline: `dates/timeline.html`, then `dates/timeline-2.html`, …
pub fn timeline_url(p: usize) -> String {
    if p == 0 {
        "dates/timeline.html".to_string()
    } else {
        format!("dates/timeline-{}.html", p + 1)
    }
}

/// One passage, compactly: the timeline keeps these for the whole archive and makes the text
/// of a page's passages only when the page is rendered.
struct Passage {
    article: u32,
    /// Index into the article's dates.
    date: u32,
    /// The entities named in the passage's paragraph, ascending.
    entities: Box<[u32]>,
}

/// A date of the timeline and its passages, in archive order.
struct DateGroup<'a> {
    value: &'a str,
    label: String,
    known_year: bool,
    passages: Vec<Passage>,
}

/// Where a passage goes: dates with a year by start, precision and value; then those without.
type GroupKey<'a> = (bool, NaiveDate, u8, &'a str);

/// The timeline: every date the articles mention (durations and datelines aside), in date
/// order, each with its sentence and the entities of its paragraph, cut into pages of whole
/// dates. Dates whose year is unknown follow, by value.
pub struct Timeline<'a> {
    groups: Vec<DateGroup<'a>>,
    /// Per page, its groups.
    pages: Vec<std::ops::Range<usize>>,
    /// Per entity: how many passages name it, and the pages they are on (none for most).
    named: Vec<(usize, Vec<usize>)>,
    /// The years to jump to ("Year unknown" last), each with the pages its passages are on.
    years: Vec<(String, std::ops::RangeInclusive<usize>, usize)>,
    dated: usize,
    unknown: usize,
    /// Each entity's place in a page's filter: by type, then name ignoring case, then id.
    /// Ranked once here, as a page's filter of thousands of entities was sorted by lower-cased
    /// names made afresh at each comparison.
    filter_rank: Vec<u32>,
}

#[derive(Serialize)]
struct Group<'a> {
    value: &'a str,
    label: &'a str,
    events: Vec<Event<'a>>,
}

#[derive(Serialize)]
struct Event<'a> {
    article: ArticleLink<'a>,
    before: String,
    text: String,
    after: String,
    /// Fragment of the date mark on the article page.
    anchor: String,
    value: &'a str,
    exact: bool,
    /// Ids of the entities named in the same paragraph, space-separated (for the filter).
    entities: String,
    /// When the date is part of a statement: who made it (`statements::speaker_label`), and the
    /// statement's fragment on the article page.
    statement: Option<(String, String)>,
}

/// The entities of one type in a timeline page's filter.
#[derive(Serialize)]
struct FilterGroup<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    entities: Vec<FilterEntry<'a>>,
}

#[derive(Serialize)]
struct FilterEntry<'a> {
    /// The entity's number, for the page key; not shown.
    #[serde(skip)]
    entity: usize,
    id: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    type_label: &'static str,
    /// Passages on this page that name it, and on the whole timeline.
    events: usize,
    total: usize,
    /// The nearest earlier and later pages (numbered from 1) that name it, for the filtered pager.
    before: Option<usize>,
    after: Option<usize>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    label: String,
}

#[derive(Serialize)]
struct YearLink {
    label: String,
    url: String,
    events: usize,
    current: bool,
}

impl<'a> Timeline<'a> {
    pub fn build(articles: &'a [Article], spans: &[ArticleSpans], entities: &[Entity]) -> Timeline<'a> {
        use rayon::prelude::*;
        // Each article's passages are found in parallel, then filed in archive order.
        let found: Vec<Vec<(GroupKey<'a>, String, Passage)>> = articles.par_iter().enumerate().map(|(ai, a)| article_passages(ai, a, &spans[ai])).collect();
        let mut by_date: BTreeMap<GroupKey<'a>, (String, Vec<Passage>)> = BTreeMap::new();
        for (key, label, passage) in found.into_iter().flatten() {
            by_date.entry(key).or_insert_with(|| (label, Vec::new())).1.push(passage);
        }
        let groups: Vec<DateGroup> = by_date.into_iter().map(|((unknown, _, _, value), (label, passages))| DateGroup { value, label, known_year: !unknown, passages }).collect();
        let mut pages = Vec::new();
        let (mut first, mut filled) = (0, 0);
        for (g, group) in groups.iter().enumerate() {
            if filled > 0 && filled + group.passages.len() > TIMELINE_PAGE {
                pages.push(first..g);
                (first, filled) = (g, 0);
            }
            filled += group.passages.len();
        }
        if first < groups.len() || pages.is_empty() {
            pages.push(first..groups.len());
        }
        // Indexed by entity: a tree map here cost a tenth of the timeline stage after an edit.
        let mut named: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); entities.len()];
        for (p, range) in pages.iter().enumerate() {
            for passage in groups[range.clone()].iter().flat_map(|g| &g.passages) {
                for &e in passage.entities.iter() {
                    let entry = &mut named[e as usize];
                    entry.0 += 1;
                    if entry.1.last() != Some(&p) {
                        entry.1.push(p);
                    }
                }
            }
        }
        let mut years: Vec<(String, std::ops::RangeInclusive<usize>, usize)> = Vec::new();
        for (p, range) in pages.iter().enumerate() {
            for g in &groups[range.clone()] {
                let label = if g.known_year { g.value[..4].to_string() } else { "Year unknown".to_string() };
                match years.last_mut() {
                    Some((l, on, events)) if *l == label => {
                        *on = *on.start()..=p;
                        *events += g.passages.len();
                    }
                    _ => years.push((label, p..=p, g.passages.len())),
                }
            }
        }
        let count = |known: bool| groups.iter().filter(|g| g.known_year == known).map(|g| g.passages.len()).sum();
        let (dated, unknown) = (count(true), count(false));
        let mut by_filter_order: Vec<usize> = (0..entities.len()).collect();
        by_filter_order.par_sort_by_cached_key(|&e| (entities[e].kind, entities[e].name.to_lowercase(), &entities[e].id));
        let mut filter_rank = vec![0u32; entities.len()];
        for (rank, e) in by_filter_order.into_iter().enumerate() {
            filter_rank[e] = rank as u32;
        }
        Timeline { groups, pages, named, years, dated, unknown, filter_rank }
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// For every entity, how many passages name it and the first timeline page with one,
    /// (0, 0) for none: what the entity pages need of the timeline, so that the timeline itself
    /// (every dated passage of the archive) can be let go once its own pages are made.
    pub fn entity_links(&self, entities: usize) -> Vec<(u32, u32)> {
        let mut links = vec![(0, 0); entities];
        for (e, (n, pages)) in self.named.iter().enumerate() {
            if let Some(first) = pages.first() {
                links[e] = (*n as u32, *first as u32);
            }
        }
        links
    }

    /// "17 October 2016 – 31 May 2017": the dates a page runs from and to.
    fn page_label(&self, p: usize) -> String {
        let short = |g: &DateGroup| g.label.split(" (").next().unwrap_or("").to_string();
        let range = &self.groups[self.pages[p].clone()];
        match (range.first(), range.last()) {
            (Some(a), Some(b)) if a.value == b.value => short(a),
            (Some(a), Some(b)) => format!("{} – {}", short(a), short(b)),
            _ => String::new(),
        }
    }

    fn page_link(&self, p: usize) -> PageLink {
        PageLink { number: p + 1, url: timeline_url(p), label: self.page_label(p) }
    }

    /// The title of page `p`: "Timeline", then "Timeline, page 2 of 9".
    pub fn page_title(&self, p: usize) -> String {
        if self.pages.len() == 1 {
            "Timeline".to_string()
        } else {
            format!("Timeline, page {} of {}", p + 1, self.pages.len())
        }
    }

    /// What page `p` shows besides its passages' text: the filter of the entities its passages
    /// name, the totals, the years to jump to and the pager. Cheap to make, unlike the passages.
    fn frame(&self, p: usize, entities: &'a [Entity]) -> Frame<'a> {
        let mut on_page: BTreeMap<usize, usize> = BTreeMap::new();
        for passage in self.groups[self.pages[p].clone()].iter().flat_map(|g| &g.passages) {
            for &e in passage.entities.iter() {
                *on_page.entry(e as usize).or_default() += 1;
            }
        }
        let mut filter: Vec<_> = on_page.iter().map(|(e, n)| (*e, &entities[*e], *n)).collect();
        filter.sort_unstable_by_key(|(e, _, _)| self.filter_rank[*e]);
        let entries = filter
            .into_iter()
            .map(|(i, e, n)| {
                let (total, pages) = &self.named[i];
                let at = pages.binary_search(&p).expect("the entity is named on this page");
                FilterEntry {
                    entity: i,
                    id: &e.id,
                    name: &e.name,
                    kind: e.kind.as_str(),
                    type_label: e.kind.label(),
                    events: n,
                    total: *total,
                    before: at.checked_sub(1).map(|k| pages[k] + 1),
                    after: pages.get(at + 1).map(|k| k + 1),
                }
            });
        // Grouped here rather than with Tera's `filter`: a filtered list is a copy, and Tera
        // copies each item of a copied list again at every lookup (60% of the timeline's time).
        let mut filter: Vec<FilterGroup> = Vec::new();
        for entry in entries {
            match filter.last_mut() {
                Some(g) if g.kind == entry.kind => g.entities.push(entry),
                _ => filter.push(FilterGroup { kind: entry.kind, entities: vec![entry] }),
            }
        }
        let years = self.years.iter().map(|(label, on, events)| YearLink { label: label.clone(), url: timeline_url(*on.start()), events: *events, current: on.contains(&p) }).collect();
        let pager = json!({
            "number": p + 1,
            "count": self.pages.len(),
            "file": timeline_url(p).rsplit('/').next(),
            "label": self.page_label(p),
            "prev": p.checked_sub(1).map(|q| self.page_link(q)),
            "next": (p + 1 < self.pages.len()).then(|| self.page_link(p + 1)),
        });
        Frame { filter, totals: json!({ "dated": self.dated, "unknown": self.unknown }), years, pager }
    }

    /// Page `p`'s frame, and a key that stands for everything the page shows: the frame, and per
    /// passage its date, the entities of its paragraph and `article_keys[article]`, which must
    /// stand for the article's text, annotations, the names of its entities and its summary.
    pub fn page_key(&self, p: usize, entities: &'a [Entity], article_keys: &[crate::cache::Key], entity_keys: &[crate::cache::Key]) -> (crate::cache::Key, Frame<'a>) {
        // One part of fixed-width fields and length-prefixed strings: hashed part by part, and
        // with the frame's entity filter as JSON, the keys were most of an edit's timeline.
        // An entity stands as its link key (`entity_keys`: id, name, kind, place), not its
        // number, which changes when one first seen earlier appears.
        let mut buf: Vec<u8> = Vec::new();
        let text = |buf: &mut Vec<u8>, s: &str| {
            buf.extend_from_slice(&(s.len() as u64).to_le_bytes());
            buf.extend_from_slice(s.as_bytes());
        };
        for g in &self.groups[self.pages[p].clone()] {
            text(&mut buf, g.value);
            text(&mut buf, &g.label);
            buf.push(g.known_year as u8);
            buf.extend_from_slice(&(g.passages.len() as u64).to_le_bytes());
            for passage in &g.passages {
                buf.extend_from_slice(&article_keys[passage.article as usize]);
                buf.extend_from_slice(&passage.date.to_le_bytes());
                buf.extend_from_slice(&(passage.entities.len() as u64).to_le_bytes());
                for e in passage.entities.iter() {
                    buf.extend_from_slice(&entity_keys[*e as usize]);
                }
            }
        }
        let frame = self.frame(p, entities);
        // The filter: per entry what it shows besides the entity (its counts and neighbours),
        // in the order shown; its kind's label follows from the kind.
        for group in &frame.filter {
            text(&mut buf, group.kind);
            buf.extend_from_slice(&(group.entities.len() as u64).to_le_bytes());
            for entry in &group.entities {
                buf.extend_from_slice(&entity_keys[entry.entity]);
                for n in [entry.events, entry.total, entry.before.map_or(0, |k| k + 1), entry.after.map_or(0, |k| k + 1)] {
                    buf.extend_from_slice(&(n as u64).to_le_bytes());
                }
            }
        }
        let mut h = crate::cache::Hasher::new("timeline page");
        h.part(&buf);
        let key = h.json(&(&frame.totals, &frame.years, &frame.pager));
        (key, frame)
    }

    /// The context of page `p`: its dates with their passages, and its frame (from `page_key`).
    pub fn page_context(&self, p: usize, frame: Frame<'a>, articles: &[Article], spans: &[ArticleSpans], entities: &'a [Entity], summaries: &[ArticleSummary]) -> tera::Context {
        let mut dated = Vec::new();
        let mut unknown = Vec::new();
        for g in &self.groups[self.pages[p].clone()] {
            let events = g
                .passages
                .iter()
                .filter_map(|passage| {
                    let (ai, di) = (passage.article as usize, passage.date as usize);
                    let a = &articles[ai];
                    let (_, (before, text, after)) = sentence_around(a, &spans[ai], a.dates[di].span)?;
                    Some(Event {
                        article: ArticleLink::from(&summaries[ai]),
                        before,
                        text,
                        after,
                        anchor: date_anchor(a, &spans[ai], di).unwrap_or_else(|| "article-title".to_string()),
                        value: &a.dates[di].value,
                        exact: a.dates[di].exact,
                        entities: passage.entities.iter().map(|i| entities[*i as usize].id.as_str()).collect::<Vec<_>>().join(" "),
                        statement: super::statements::around(a, &spans[ai], entities, a.dates[di].span),
                    })
                })
                .collect();
            let group = Group { value: g.value, label: &g.label, events };
            if g.known_year {
                dated.push(group);
            } else {
                unknown.push(group);
            }
        }
        let mut ctx = tera::Context::new();
        ctx.insert("groups", &dated);
        ctx.insert("unknown_year", &unknown);
        ctx.insert("filter", &frame.filter);
        ctx.insert("totals", &frame.totals);
        ctx.insert("years", &frame.years);
        ctx.insert("pager", &frame.pager);
        ctx
    }
}

/// What a timeline page shows besides its passages (see `Timeline::page_key`).
#[derive(Serialize)]
pub struct Frame<'a> {
    filter: Vec<FilterGroup<'a>>,
    totals: serde_json::Value,
    years: Vec<YearLink>,
    pager: serde_json::Value,
}

/// An article's passages: one per date it mentions, with the entities of the paragraph.
fn article_passages<'a>(ai: usize, a: &'a Article, ix: &ArticleSpans) -> Vec<(GroupKey<'a>, String, Passage)> {
    let mut out = Vec::new();
    let mut seen: BTreeSet<(&str, String)> = BTreeSet::new();
    let listed = |d: &DateExpr| d.precision != "duration" && d.rule != "dateline";
    // How often each value is listed, counted once rather than for every date.
    let mut given: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for d in a.dates.iter().filter(|d| listed(d)) {
        *given.entry(d.value.as_str()).or_default() += 1;
    }
    for (di, d) in a.dates.iter().enumerate() {
        if !listed(d) {
            continue;
        }
        let Some(paragraph) = ix.kept_around(d.span) else { continue };
        // Web copy often prints a paragraph twice with a small change; one passage is enough.
        // Only a value the article gives twice can repeat a passage, so only then is the
        // passage's text made to compare (every build does this for every date).
        if given[d.value.as_str()] > 1 {
            let Some((_, (before, text, after))) = sentence_around(a, ix, d.span) else { continue };
            if !seen.insert((d.value.as_str(), format!("{before}{text}{after}").trim_end_matches(['.', ' ']).to_string())) {
                continue;
            }
        }
        let ids: BTreeSet<u32> = ix.mentions_in(a, paragraph).map(|i| a.mentions[i].entity as u32).collect();
        let passage = Passage { article: ai as u32, date: di as u32, entities: ids.into_iter().collect() };
        let (key, label) = match value_start(&d.value) {
            Some((start, label)) => ((false, start, precision_rank(d.precision), d.value.as_str()), label),
            None => ((true, NaiveDate::MIN, 0, d.value.as_str()), unknown_year_label(&d.value)),
        };
        out.push((key, label, passage));
    }
    out
}

/// `XXXX-05-31` → "31 May, year unknown"; a weekday or week with no year → what is known.
fn unknown_year_label(v: &str) -> String {
    let parts: Vec<&str> = v.split('-').collect();
    match parts.as_slice() {
        ["XXXX", m, d] if !m.starts_with('W') && *m != "XX" => match (m.parse::<u32>(), d.parse::<u32>()) {
            (Ok(m), Ok(d)) => format!("{d} {}, year unknown", month_name(m)),
            _ => v.to_string(),
        },
        ["XXXX", m] if *m != "XX" && !m.starts_with('W') => m.parse::<u32>().map_or(v.to_string(), |m| format!("{}, year unknown", month_name(m))),
        ["XXXX", "WXX", n] => n.parse::<usize>().ok().and_then(|n| ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].get(n.wrapping_sub(1))).map_or("A weekend, date unknown".to_string(), |d| format!("A {d}, date unknown")),
        _ => "Date unknown".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_order_and_labels() {
        let (d, l) = value_start("2014-W37-WE").unwrap();
        assert_eq!((d.to_string(), l.as_str()), ("2014-09-13".into(), "Weekend of 13–14 September 2014"));
        let (d, l) = value_start("2020-W53").unwrap();
        assert_eq!((d.to_string(), l.as_str()), ("2020-12-28".into(), "Week 53 of 2020 (28 December 2020 – 3 January 2021)"));
        assert_eq!(value_start("2016-10").unwrap().1, "October 2016");
        assert_eq!(value_start("2016-02-29").unwrap().1, "29 February 2016");
        assert!(value_start("XXXX-05-31").is_none());
        assert_eq!(unknown_year_label("XXXX-05-31"), "31 May, year unknown");
        assert_eq!(unknown_year_label("XXXX-WXX-3"), "A Wednesday, date unknown");
    }

    #[test]
    fn chart_axis_switches_to_years_past_four_years() {
        let axis = ChartAxis::Months((2016, 11), 3);
        assert_eq!((axis.bin(2017, 1), axis.label(2)), (2, "Jan 2017".to_string()));
        let axis = ChartAxis::Years(2014, 2017);
        assert_eq!((axis.len(), axis.bin(2016, 5), axis.label(3)), (4, 2, "2017".to_string()));
    }
}
