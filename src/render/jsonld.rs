//! schema.org `NewsArticle` for each article page, and the `json_script` filter that puts JSON
//! inside a `<script>` element safely.
//!
//! Without `base_url` the object is still written, for tools that read the page, but with no
//! `url`, `mainEntityOfPage` or entity `url`: schema.org consumers expect absolute addresses, and
//! a page opened from disk has none. GeoNames `sameAs` links are absolute anyway and stay.

use serde_json::{json, Value};
use std::collections::BTreeMap;

use crate::index::article::{full_date, ArticleSummary};
use crate::index::urls::{absolute, article_url};
use super::script_safe;
use crate::model::{Article, Entity, EntityKind};

/// How many entities `about` names at most; more would dilute "what this article is about".
const ABOUT: usize = 3;

fn schema_type(e: &Entity) -> &'static str {
    match e.kind {
        EntityKind::Person => "Person",
        EntityKind::Organisation => "Organization",
        EntityKind::Location => match e.place.as_ref().map(|p| p.feature) {
            Some("country") => "Country",
            Some("city") => "City",
            Some("continent") => "Continent",
            Some("region" | "subdivision") => "AdministrativeArea",
            _ => "Place",
        },
        EntityKind::Misc => "Thing",
    }
}

/// The GeoNames URI of a place: the Semantic Web form, which names the place itself.
pub fn geonames_uri(id: u64) -> String {
    format!("https://sws.geonames.org/{id}/")
}

fn thing(e: &Entity, base: Option<&str>) -> Value {
    let mut v = json!({ "@type": schema_type(e), "name": e.name });
    if let Some(base) = base {
        v["url"] = json!(absolute(base, &e.url()));
    }
    if let Some(p) = &e.place {
        if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
            v["geo"] = json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon });
        }
        if let Some(id) = p.geonames_id {
            v["sameAs"] = json!(geonames_uri(id));
        }
    }
    v
}

/// The node identifier of a place with a GeoNames id: its GeoNames URI, which names the place
/// itself.
fn place_id(e: &Entity) -> Option<String> {
    e.place.as_ref().and_then(|p| p.geonames_id).map(geonames_uri)
}

/// `about` and `spatialCoverage` name entities that `mentions` lists in full already: a place
/// with a GeoNames id is named by a reference to that node (`{"@id": URI}`, the node carrying
/// the `@id`) instead of a second copy of it; anything else is copied.
fn reference(e: &Entity, base: Option<&str>) -> Value {
    match place_id(e) {
        Some(id) => json!({ "@id": id }),
        None => thing(e, base),
    }
}

pub fn news_article(a: &Article, entities: &[Entity], summary: &ArticleSummary, base: Option<&str>) -> Value {
    let text = a.text();
    let text: &str = &text;
    let mut counts: BTreeMap<usize, usize> = BTreeMap::new();
    for m in &a.mentions {
        *counts.entry(m.entity).or_default() += 1;
    }
    let mut ranked: Vec<(usize, usize)> = counts.into_iter().collect();
    ranked.sort_by(|x, y| y.1.cmp(&x.1).then(entities[x.0].name.cmp(&entities[y.0].name)).then(x.0.cmp(&y.0)));

    // One mention is a passing reference, not a subject.
    let about: Vec<usize> = ranked.iter().filter(|(_, n)| *n >= 2).take(ABOUT).map(|(e, _)| *e).collect();
    // Where the story was filed says more than where it mentions most; the latter is the fallback.
    let dateline_place = a.dateline.as_ref().and_then(|d| d.place).and_then(|p| a.mentions.iter().find(|m| m.kind == EntityKind::Location && p.contains(m.span))).map(|m| m.entity);
    let most_mentioned_place = ranked.iter().map(|(e, _)| *e).find(|e| entities[*e].kind == EntityKind::Location);
    let place = dateline_place.or(most_mentioned_place);
    let referenced = |e: usize| about.contains(&e) || place == Some(e);
    let mentions: Vec<Value> = ranked
        .iter()
        .map(|(e, _)| {
            let mut t = thing(&entities[*e], base);
            if let Some(id) = place_id(&entities[*e]).filter(|_| referenced(*e)) {
                t["@id"] = json!(id);
            }
            t
        })
        .collect();
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "mentions": mentions,
    });
    if let Some(day) = full_date(a.published.as_deref()) {
        v["datePublished"] = json!(day.format("%Y-%m-%d").to_string());
    }
    let publisher = a.source.meta.publisher.clone().or_else(|| a.dateline.as_ref().and_then(|d| d.agency).map(|s| s.get(text).trim().to_string()));
    if let Some(name) = publisher.filter(|n| !n.is_empty()) {
        v["publisher"] = json!({ "@type": "Organization", "name": name });
    }
    if !a.source.meta.authors.is_empty() {
        v["author"] = a.source.meta.authors.iter().map(|n| json!({ "@type": "Person", "name": n })).collect();
    }
    if let Some(base) = base {
        let url = absolute(base, &article_url(a));
        v["url"] = json!(url);
        v["mainEntityOfPage"] = json!({ "@type": "WebPage", "@id": url });
    }
    if !summary.snippet().is_empty() {
        v["description"] = json!(summary.snippet());
    }
    if let Some(lang) = &a.source.meta.language {
        v["inLanguage"] = json!(lang);
    }
    if !about.is_empty() {
        v["about"] = about.iter().map(|&e| reference(&entities[e], base)).collect();
    }
    if let Some(place) = place {
        v["spatialCoverage"] = reference(&entities[place], base);
    }
    v
}

/// `{{ value | json_script }}`: the value as JSON that cannot end the `<script>` element it
/// sits in. `<`, `>` and `&` can only occur inside JSON strings, where `\u003c` means the
/// same, so the JSON is unchanged for any parser while `</script>` and `<!--` cannot appear.
/// Made through serde_json's value, whose maps sort their keys, so the output does not depend
/// on the order fields were inserted in.
pub fn json_script(value: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::TeraResult<tera::Value> {
    let v = serde_json::to_value(value).map_err(|e| tera::Error::message(format!("json_script: {e}")))?;
    Ok(tera::Value::safe_string(&script_safe(&v.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_end_cannot_appear() {
        let v = json!({ "headline": "</script><script>alert(1)</script> & <!-- \u{2028}\u{2029} é €" });
        let out = script_safe(&serde_json::to_string(&v).unwrap());
        assert!(!out.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "{out}");
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), v);
    }
}
