//! Index, render and write: from resolved articles and entities to the files of the site.
//!
//! Rendering is a pure function from the archive to a list of pages (path, bytes); writing
//! puts them in a fresh folder beside the output and swaps it in only once it is complete.

pub mod annotations;
pub mod context;
pub mod dates;
pub mod export;
pub mod facets;
pub mod index;
pub mod jsonld;
pub mod map;
pub mod publish;
pub mod search;
pub mod syntax;
pub mod write;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use std::path::Path;

use crate::config::Config;
use crate::model::{Article, Entity, EntityKind};
use context::*;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// One output file, its path relative to the site root with '/' separators.
pub struct Page {
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    base_url: Option<&'a str>,
    counts: serde_json::Value,
}

/// Loads the built-in templates, then the archive's own `templates/` over them, file by file.
pub fn templates(input: &Path) -> Result<tera::Tera> {
    let mut tera = tera::Tera::default();
    tera.set_escape_fn(escape_html);
    tera.register_filter("json_script", jsonld::JsonScript);
    let mut sources: Vec<(String, String)> = embedded::TEMPLATES
        .iter()
        .map(|(name, bytes)| (name.to_string(), String::from_utf8_lossy(bytes).into_owned()))
        .collect();
    let own = input.join("templates");
    if own.is_dir() {
        for entry in walkdir::WalkDir::new(&own).sort_by_file_name().into_iter().flatten() {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&own).unwrap().to_string_lossy().replace('\\', "/");
                let text = std::fs::read_to_string(entry.path()).with_context(|| format!("{}: cannot read template", entry.path().display()))?;
                sources.retain(|(n, _)| *n != rel);
                sources.push((rel, text));
            }
        }
    }
    tera.add_raw_templates(sources).map_err(|e| anyhow::anyhow!("templates: {}", tera_error(&e)))?;
    Ok(tera)
}

/// HTML escaping for text and attribute values. Tera's default also escapes '/', which is
/// safe but makes every relative link unreadable in the page source.
fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that cannot end the `<script>` element it sits in (JSON-LD, the search files). `<`, `>`
/// and `&` can only occur inside JSON strings, where `\u003c` means the same, so the value is
/// unchanged for any parser while `</script>` and `<!--` cannot appear; the two line separators
/// are escaped for readers that evaluate the script as code.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Tera nests the real cause; show the whole chain on one line.
pub fn tera_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

/// Static files: built-in ones and the generated `syntax.css`, overridden by the archive's own `static/`.
fn static_files(input: &Path) -> Result<Vec<Page>> {
    let mut files: Vec<Page> = embedded::STATIC.iter().map(|(n, b)| Page { path: format!("static/{n}"), bytes: b.to_vec() }).collect();
    files.push(Page { path: syntax::STYLESHEET.into(), bytes: syntax::stylesheet() });
    let own = input.join("static");
    if own.is_dir() {
        for entry in walkdir::WalkDir::new(&own).sort_by_file_name().into_iter().flatten() {
            if entry.file_type().is_file() {
                let rel = format!("static/{}", entry.path().strip_prefix(&own).unwrap().to_string_lossy().replace('\\', "/"));
                let bytes = std::fs::read(entry.path()).with_context(|| format!("{}: cannot read", entry.path().display()))?;
                files.retain(|p| p.path != rel);
                files.push(Page { path: rel, bytes });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

struct Renderer<'a> {
    tera: tera::Tera,
    config: &'a Config,
    counts: serde_json::Value,
}

impl Renderer<'_> {
    fn render(&self, template: &str, path: &str, title: &str, section: &str, mut ctx: tera::Context) -> Result<Page> {
        let depth = path.matches('/').count();
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert("site", &SiteCtx { title: &self.config.title, base_url: self.config.base_url.as_deref(), counts: self.counts.clone() });
        ctx.insert("page", &json!({ "title": title, "section": section, "path": path }));
        let html = self.tera.render(template, &ctx).map_err(|e| anyhow::anyhow!("rendering {path} with {template}: {}", tera_error(&e)))?;
        Ok(Page { path: path.to_string(), bytes: html.into_bytes() })
    }
}

/// Renders every page of the site.
pub fn render(articles: &[Article], entities: &[Entity], config: &Config) -> Result<Vec<Page>> {
    let idx = index::Indexes::build(articles, entities);
    let counts = json!({
        "articles": articles.len(),
        "location": idx.by_kind(EntityKind::Location).len(),
        "organisation": idx.by_kind(EntityKind::Organisation).len(),
        "person": idx.by_kind(EntityKind::Person).len(),
    });
    let r = Renderer { tera: templates(&config.input)?, config, counts };
    let summaries: Vec<ArticleSummary> = articles.iter().map(|a| article_summary(a, entities)).collect();
    let calendar = dates::Calendar::build(articles, &idx.order);
    let axis = calendar.chart_axis();
    let (timeline, on_timeline) = dates::timeline_context(articles, entities, &summaries);
    let feeds = publish::Feeds::plan(articles, entities, &idx.order, config.base_url.as_deref());

    let mut pages: Vec<Page> = Vec::new();

    // Home.
    let mut ctx = tera::Context::new();
    ctx.insert("newest", &idx.order.iter().take(10).map(|i| &summaries[*i]).collect::<Vec<_>>());
    let top: serde_json::Map<String, serde_json::Value> = EntityKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), serde_json::to_value(idx.by_kind(*k).iter().take(8).map(|e| entity_summary(&entities[*e])).collect::<Vec<_>>()).unwrap()))
        .collect();
    ctx.insert("top", &top);
    ctx.insert("dates", &calendar.range(&summaries));
    ctx.insert("feeds", &feeds.home_links(&config.title));
    pages.push(r.render("home.html", "index.html", "Home", "home", ctx)?);

    // The list of articles.
    let mut ctx = tera::Context::new();
    ctx.insert("articles", &idx.order.iter().map(|i| &summaries[*i]).collect::<Vec<_>>());
    pages.push(r.render("articles.html", "articles/index.html", "Articles", "articles", ctx)?);

    // Article pages and their original text.
    let article_data: Vec<serde_json::Value> = articles.par_iter().map(|a| export::article_json(a, entities)).collect();
    let article_pages: Vec<Result<Vec<Page>>> = (0..articles.len())
        .into_par_iter()
        .map(|i| {
            let a = &articles[i];
            let pos = idx.position[i];
            let prev = pos.checked_sub(1).map(|p| &summaries[idx.order[p]]);
            let next = idx.order.get(pos + 1).map(|n| &summaries[*n]);
            let mut ctx = index::article_context(a, entities, &summaries[i], prev, next);
            ctx.insert("jsonld", &jsonld::news_article(a, entities, &summaries[i], config.base_url.as_deref()));
            let page = r.render("article.html", &article_url(a), &a.title, "articles", ctx)?;
            let original = Page { path: format!("articles/{}.txt", a.id), bytes: a.source.text.as_bytes().to_vec() };
            let mut ctx = tera::Context::new();
            ctx.insert("article", &summaries[i]);
            ctx.insert("json", &syntax::json(&article_data[i]));
            let data = r.render("article_data.html", &data_url(a), &format!("Annotations of {}", a.title), "articles", ctx)?;
            Ok(vec![page, original, data])
        })
        .collect();
    for p in article_pages {
        pages.extend(p?);
    }

    // Entity pages and the three entity indexes.
    let entity_pages: Vec<Result<Page>> = (0..entities.len())
        .into_par_iter()
        .map(|i| {
            let e = &entities[i];
            let mut ctx = idx.entity_context(i, articles, entities, &summaries);
            ctx.insert("chart", &axis.map(|axis| dates::mention_chart(i, e, articles, axis)));
            ctx.insert("timeline_events", &on_timeline.get(&i).copied().unwrap_or(0));
            ctx.insert("place_map", &map::place_map(e));
            ctx.insert("feeds", &feeds.entity_links(i, e, &config.title));
            r.render("entity.html", &e.url(), &e.name, e.kind.as_str(), ctx)
        })
        .collect();
    for p in entity_pages {
        pages.push(p?);
    }
    for kind in EntityKind::ALL {
        let ctx = idx.entity_index_context(kind, entities);
        pages.push(r.render("entity_index.html", &format!("{}/index.html", kind.folder()), kind.plural(), kind.as_str(), ctx)?);
    }

    // Dates: the index, a page per year and month, the timeline.
    pages.push(r.render("dates.html", "dates/index.html", "Dates", "dates", calendar.index_context(&summaries))?);
    for (path, title, ctx) in calendar.period_pages(&summaries) {
        pages.push(r.render("date_period.html", &path, &title, "dates", ctx)?);
    }
    pages.push(r.render("timeline.html", "dates/timeline.html", "Timeline", "dates", timeline)?);

    pages.push(r.render("map.html", "map/index.html", "Map", "map", map::map_context(entities))?);

    pages.extend(search::pages(articles, entities, &idx, &summaries, &r)?);

    // Data and static files.
    pages.push(Page { path: "data/archive.json".into(), bytes: export::archive_json(article_data, articles, entities)? });
    pages.extend(annotations::files(articles, entities, config.base_url.as_deref())?);
    pages.extend(static_files(&config.input)?);
    // Publishing files (only with base_url); the sitemap last, as it lists every page.
    pages.extend(feeds.render(&r.tera, articles, entities, &summaries, &config.title)?);
    pages.extend(publish::sitemaps(&r.tera, config.base_url.as_deref(), &pages, publish::SITEMAP_URLS)?);
    Ok(pages)
}
