//! Dates: the article's published date, and date expressions in the text.
//!
//! This first version knows the published date from metadata and the dateline's month and day;
//! it never invents a year. Finding and normalising every date expression in the text is the
//! next step and belongs here.

use crate::model::{DateExpr, Dateline, Meta};

/// The published date: from metadata, else the dateline's day and month with the year unknown.
pub fn published(meta: &Meta, dateline: Option<&Dateline>) -> Option<String> {
    if let Some(p) = &meta.published {
        return Some(p.clone());
    }
    let (m, d) = dateline?.month_day?;
    Some(format!("XXXX-{m:02}-{d:02}"))
}

/// Date expressions found so far: the dateline's date, anchored to the published year when
/// metadata gives one.
pub fn find(meta: &Meta, dateline: Option<&Dateline>) -> Vec<DateExpr> {
    let mut out = Vec::new();
    if let Some(d) = dateline {
        if let (Some(span), Some((m, day))) = (d.date, d.month_day) {
            let year = meta.published.as_deref().and_then(|p| p.get(..4)).filter(|y| y.bytes().all(|b| b.is_ascii_digit()));
            let (value, exact) = match year {
                Some(y) => (format!("{y}-{m:02}-{day:02}"), true),
                None => (format!("XXXX-{m:02}-{day:02}"), false),
            };
            out.push(DateExpr { span, value, exact, rule: "dateline" });
        }
    }
    out
}
