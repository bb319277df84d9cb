//! For publishers, and only when `base_url` is set: Atom feeds (the archive's newest articles,
//! and one per entity) and the sitemap. Both need absolute addresses, which a site opened from
//! disk does not have, so without `base_url` none of these files is written.
//!
//! The XML comes from the templates `atom.xml` and `sitemap.xml`; Tera escapes every value
//! in them as it does in HTML (`&`, `<`, `>`, `"`, `'` are all XML-safe references).

use anyhow::Result;
use serde::Serialize;
use serde_json::json;

use crate::index::article::{full_date, ArticleSummary};
use crate::index::urls::{absolute, article_url};
use crate::render::tera_error;
use crate::output::Page;
use crate::model::{Article, Entity};

/// Entries per feed: the newest, as feed readers only look at the top.
pub const FEED_ENTRIES: usize = 50;
/// URLs per sitemap file, the sitemaps.org limit; beyond it `sitemap.xml` becomes an index.
pub const SITEMAP_URLS: usize = 50_000;

/// The feed beside an entity page: `locations/raqqa.html` → `locations/raqqa.xml`. Only an
/// entity with a page has a feed (`Feeds::plan`).
pub fn entity_feed_path(e: &Entity) -> String {
    let url = e.page_url();
    format!("{}.xml", url.strip_suffix(".html").unwrap_or(&url))
}

/// XML 1.0 forbids most C0 controls and U+FFFE/U+FFFF even as character references, and a few
/// can reach the text (the reader accepts a file with a handful of them). Dropping them from the
/// finished document catches every path, the templates' own text included.
pub fn strip_xml_illegal(s: &str) -> String {
    s.chars().filter(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)).collect()
}

#[derive(Serialize)]
pub struct FeedLink {
    /// Relative to the site root, as every other link.
    pub url: String,
    pub title: String,
}

/// Which articles each feed lists, decided once so that the pages' autodiscovery links and
/// the feed files agree.
pub struct Feeds {
    base: Option<String>,
    /// Article indices of the archive feed, newest first.
    site: Vec<usize>,
    /// The same for each entity (indexed like `entities`).
    entity: Vec<Vec<usize>>,
}

impl Feeds {
    /// `order` is the site's article order (newest first, then unknown year, then undated).
    pub fn plan(articles: &[Article], entities: &[Entity], order: &[usize], base: Option<&str>) -> Feeds {
        let Some(base) = base else { return Feeds { base: None, site: Vec::new(), entity: vec![Vec::new(); entities.len()] } };
        // An Atom entry must have an `updated` time; an article without a whole published date
        // has none we could give without inventing it, so it is left out of the feeds.
        let dated: Vec<usize> = order.iter().copied().filter(|i| full_date(articles[*i].published.as_deref()).is_some()).collect();
        let mut rank = vec![usize::MAX; articles.len()];
        for (r, i) in dated.iter().enumerate() {
            rank[*i] = r;
        }
        let entity = entities
            .iter()
            .map(|e| {
                // A feed sits beside its entity's page: no page, no feed.
                if !e.has_page() {
                    return Vec::new();
                }
                let mut list: Vec<usize> = e.articles.iter().copied().filter(|i| rank[*i] != usize::MAX).collect();
                list.sort_by_key(|i| rank[*i]);
                list.dedup();
                list.truncate(FEED_ENTRIES);
                list
            })
            .collect();
        Feeds { base: Some(base.to_string()), site: dated.into_iter().take(FEED_ENTRIES).collect(), entity }
    }

    /// An empty feed would need an `updated` time of its own invention, so it is not written.
    fn site_feed(&self) -> bool {
        self.base.is_some() && !self.site.is_empty()
    }

    /// Autodiscovery for the home page.
    pub fn home_links(&self, site_title: &str) -> Vec<FeedLink> {
        let mut out = Vec::new();
        if self.site_feed() {
            out.push(FeedLink { url: "feed.xml".into(), title: site_title.to_string() });
        }
        out
    }

    /// Autodiscovery for an entity page: its own feed, then the archive's.
    pub fn entity_links(&self, i: usize, e: &Entity, site_title: &str) -> Vec<FeedLink> {
        let mut out = Vec::new();
        if self.base.is_some() && !self.entity[i].is_empty() {
            out.push(FeedLink { url: entity_feed_path(e), title: format!("{} · {}", e.name, site_title) });
        }
        out.extend(self.home_links(site_title));
        out
    }

    /// `feed.xml` and `FOLDER/SLUG.xml` for each entity with a dated article.
    pub fn render(&self, tera: &tera::Tera, articles: &[Article], entities: &[Entity], summaries: &[ArticleSummary], site_title: &str) -> Result<Vec<Page>> {
        let Some(base) = self.base.as_deref() else { return Ok(Vec::new()) };
        let feed = |path: &str, title: &str, subtitle: &str, page: &str, list: &[usize]| -> Result<Page> {
            let entries: Vec<_> = list
                .iter()
                .map(|i| {
                    let (a, s) = (&articles[*i], &summaries[*i]);
                    let day = full_date(a.published.as_deref()).expect("feeds list dated articles only");
                    json!({
                        "id": absolute(base, &article_url(a)),
                        "url": absolute(base, &article_url(a)),
                        "title": a.title,
                        "updated": format!("{}T00:00:00Z", day.format("%Y-%m-%d")),
                        "author": s.agency(),
                        "summary": s.snippet(),
                    })
                })
                .collect();
            let mut ctx = tera::Context::new();
            ctx.insert(
                "feed",
                &json!({
                    "id": absolute(base, path),
                    "self_url": absolute(base, path),
                    "alternate": absolute(base, page),
                    "title": title,
                    "subtitle": subtitle,
                    "author": site_title,
                    // Newest entry's date, not the build time: same input, same bytes.
                    "updated": entries[0]["updated"],
                }),
            );
            ctx.insert("entries", &entries);
            render_xml(tera, "atom.xml", path, &ctx)
        };
        let mut pages = Vec::new();
        if self.site_feed() {
            pages.push(feed("feed.xml", site_title, "The newest articles of the archive", "index.html", &self.site)?);
        }
        for (i, e) in entities.iter().enumerate() {
            if !self.entity[i].is_empty() {
                let title = format!("{} · {}", e.name, site_title);
                let subtitle = format!("Articles that mention {} ({})", e.name, e.kind.label().to_lowercase());
                pages.push(feed(&entity_feed_path(e), &title, &subtitle, &e.url(), &self.entity[i])?);
            }
        }
        Ok(pages)
    }
}

fn render_xml(tera: &tera::Tera, template: &str, path: &str, ctx: &tera::Context) -> Result<Page> {
    let xml = tera.render(template, ctx).map_err(|e| anyhow::anyhow!("rendering {path} with {template}: {}", tera_error(&e)))?;
    Ok(Page { path: path.to_string(), bytes: strip_xml_illegal(&xml).into_bytes() })
}

/// `sitemap.xml` listing every HTML page, by path. Over `max` pages it is an index of
/// `sitemap-1.xml`, `sitemap-2.xml`… (`max` is `SITEMAP_URLS` except in tests).
pub fn sitemaps(tera: &tera::Tera, base: Option<&str>, pages: &[String], max: usize) -> Result<Vec<Page>> {
    let Some(base) = base else { return Ok(Vec::new()) };
    let mut paths: Vec<&str> = pages.iter().map(String::as_str).filter(|p| p.ends_with(".html")).collect();
    paths.sort_unstable();
    let chunks: Vec<Vec<String>> = paths.chunks(max.max(1)).map(|c| c.iter().map(|p| absolute(base, p)).collect()).collect();
    if chunks.len() <= 1 {
        let mut ctx = tera::Context::new();
        ctx.insert("urls", &chunks.into_iter().next().unwrap_or_default());
        return Ok(vec![render_xml(tera, "sitemap.xml", "sitemap.xml", &ctx)?]);
    }
    let mut out = Vec::new();
    let mut parts = Vec::new();
    for (n, urls) in chunks.into_iter().enumerate() {
        let path = format!("sitemap-{}.xml", n + 1);
        let mut ctx = tera::Context::new();
        ctx.insert("urls", &urls);
        out.push(render_xml(tera, "sitemap.xml", &path, &ctx)?);
        parts.push(absolute(base, &path));
    }
    let mut ctx = tera::Context::new();
    ctx.insert("sitemaps", &parts);
    out.insert(0, render_xml(tera, "sitemap.xml", "sitemap.xml", &ctx)?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_illegal_in_xml_are_dropped() {
        assert_eq!(strip_xml_illegal("a\u{0}b\u{1}\u{b}\u{c}c\t\n\r\u{FFFE}\u{FFFF}é😀"), "abc\t\n\ré😀");
    }

    #[test]
    fn a_large_site_gets_a_sitemap_index() {
        let (tera, _) = crate::render::templates(std::path::Path::new("/nonexistent")).unwrap();
        let pages: Vec<String> = ["b.html", "a.html", "c.html", "static/x.css"].iter().map(|p| p.to_string()).collect();
        let out = sitemaps(&tera, Some("https://a.example"), &pages, 2).unwrap();
        let names: Vec<&str> = out.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        let index = String::from_utf8(out[0].bytes.clone()).unwrap();
        assert!(index.contains("<sitemapindex") && index.contains("<loc>https://a.example/sitemap-2.xml</loc>"), "{index}");
        let first = String::from_utf8(out[1].bytes.clone()).unwrap();
        assert!(first.contains("<loc>https://a.example/a.html</loc>") && first.contains("b.html") && !first.contains("c.html"), "{first}");
        assert!(sitemaps(&tera, None, &pages, 2).unwrap().is_empty());
    }
}
