//! Index, render and write: from resolved articles and entities to the files of the site.
//!
//! Rendering streams each page to the writer as soon as it is made, so no build holds the
//! whole site in memory. A page's inputs (its template and context) are hashed first: when they
//! match the last build's, the page already in the output is kept and not rendered again.
//! The writer stages new pages beside the output and makes them the site only once the build
//! is complete (`write.rs`).

pub mod article;
pub mod dedent;
pub mod escape;
pub mod jsonld;
pub mod marks;
pub mod statements;
pub mod syntax;
pub mod templates;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Config;
use crate::export::{annotations, publish, tables};
use crate::model::{Article, Entity, EntityKind};
use crate::index::article::*;
use crate::index::keys::{article_view_key, entity_link_key, entity_summary_part};
use crate::index::urls::{article_url, original_text_path};
use crate::index::{self, dates, map, PageData};
pub use templates::{templates, tera_error, TemplateKeys};
pub use escape::script_safe;
use crate::output::{Page, SiteWriter};


#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    base_url: Option<&'a str>,
    /// What review mode keeps the archive's corrections under (see `Config::archive_id`).
    archive_id: &'a str,
}

/// Static files: built-in ones and the generated `syntax.css`, overridden by the archive's own
/// `static/` as `source::static_files` lists it (names that are not URL paths and links were
/// reported by the build's walk and are left out here).
fn static_files(input: &Path) -> Result<Vec<Page>> {
    let mut files: Vec<Page> = crate::embedded::STATIC.iter().map(|(n, b)| Page { path: format!("static/{n}"), bytes: b.to_vec() }).collect();
    files.push(Page { path: syntax::STYLESHEET.into(), bytes: syntax::stylesheet() });
    for (rel, path) in crate::source::static_files(input).files {
        let bytes = std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
        files.retain(|p| p.path != rel);
        files.push(Page { path: rel, bytes });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Renders pages through Tera into the writer, skipping those whose inputs did not change.
pub(crate) struct Renderer<'a> {
    tera: tera::Tera,
    /// The key of each template (with those it draws on): a page's inputs are its context and
    /// its template's key.
    template_keys: TemplateKeys,
    config: &'a Config,
    /// With `DOSSIER_TIMINGS`, per template: pages rendered, seconds summed over threads, bytes
    /// (like Hugo's `--templateMetrics`), to show template authors where the time goes.
    metrics: Option<std::sync::Mutex<BTreeMap<String, (usize, f64, usize)>>>,
}

impl Renderer<'_> {
    /// Completes `data` with what every page gets (root, site, page) and renders it, unless the
    /// page with exactly this data is already in the output.
    fn page(&self, out: &SiteWriter, template: &str, path: &str, title: &str, section: &str, mut data: PageData) -> Result<()> {
        for (key, value) in self.frame(path, title, section) {
            data.insert_value(key, value);
        }
        let mut h = crate::cache::Hasher::new("page");
        h.part(self.template_keys.of(template)).part(template.as_bytes()).part(path.as_bytes());
        let inputs = h.json(data.as_map());
        if out.keep(path, &inputs) {
            return Ok(());
        }
        self.render(out, template, path, inputs, &data.into_context())
    }

    /// What every page's context holds besides its own data: the way to the root, the site, the page.
    fn frame(&self, path: &str, title: &str, section: &str) -> [(&'static str, serde_json::Value); 3] {
        [
            ("root", "../".repeat(path.matches('/').count()).into()),
            ("site", serde_json::to_value(SiteCtx { title: &self.config.title, base_url: self.config.base_url.as_deref(), archive_id: &self.config.archive_id }).expect("the site serialises")),
            ("page", json!({ "title": title, "section": section, "path": path })),
        ]
    }

    fn render(&self, out: &SiteWriter, template: &str, path: &str, inputs: crate::cache::Key, ctx: &tera::Context) -> Result<()> {
        let started = std::time::Instant::now();
        let html = self.tera.render(template, ctx).map_err(|e| anyhow::anyhow!("rendering {path} with {template}: {}", tera_error(&e)))?;
        let html = dedent::dedent(&html);
        if let Some(m) = &self.metrics {
            let mut m = m.lock().expect("metrics lock");
            let row = m.entry(template.to_string()).or_default();
            *row = (row.0 + 1, row.1 + started.elapsed().as_secs_f64(), row.2 + html.len());
        }
        out.write(path, inputs, html.as_bytes())
    }

    /// A page whose context is costly to make: `key` stands for everything it is made from, and
    /// the context is made only when the page must be rendered.
    /// `key` is given as parts (keys of what the page is made from, an absent one as no bytes),
    /// hashed as they are: as JSON, a 32-byte key was a hundred bytes of numbers to hash.
    fn page_lazy(&self, out: &SiteWriter, template: &str, path: &str, title: &str, section: &str, key: &[&[u8]], ctx: impl FnOnce() -> tera::Context) -> Result<()> {
        let mut h = crate::cache::Hasher::new("lazy page");
        h.part(self.template_keys.of(template)).part(template.as_bytes()).part(path.as_bytes()).part(title.as_bytes()).part(section.as_bytes());
        h.part(self.config.title.as_bytes()).part(self.config.base_url.as_deref().unwrap_or("").as_bytes()).part(self.config.archive_id.as_bytes());
        for part in key {
            h.part(part);
        }
        let inputs = h.finish();
        if out.keep(path, &inputs) {
            return Ok(());
        }
        let mut ctx = ctx();
        for (key, value) in self.frame(path, title, section) {
            ctx.insert(key, &value);
        }
        self.render(out, template, path, inputs, &ctx)
    }
}

/// Renders every page of the site into `out`. Parts of the articles that no page still to be
/// made shows are let go as the build goes (see archive.json below).
pub fn render(articles: &mut [Article], entities: &[Entity], config: &Config, out: &SiteWriter, cache: &crate::cache::Cache, clock: &crate::pipeline::Timings) -> Result<()> {
    let idx = index::Indexes::build(articles, entities);
    let counts = json!({
        "articles": articles.len(),
        "location": idx.by_kind(EntityKind::Location).len(),
        "organisation": idx.by_kind(EntityKind::Organisation).len(),
        "person": idx.by_kind(EntityKind::Person).len(),
    });
    let (tera, template_keys) = templates(&config.input)?;
    let metrics = std::env::var_os("DOSSIER_TIMINGS").map(|_| std::sync::Mutex::new(BTreeMap::new()));
    let r = Renderer { tera, template_keys, config, metrics };
    let summaries: Vec<ArticleSummary> = articles.par_iter().map(|a| article_summary(a, entities)).collect();
    let spans: Vec<ArticleSpans> = articles.par_iter().map(ArticleSpans::new).collect();
    let calendar = dates::Calendar::build(articles, &idx.order);
    let axis = calendar.chart_axis();
    let feeds = publish::Feeds::plan(articles, entities, &idx.order, config.base_url.as_deref());
    clock.lap("  index");

    // Per article: what its own pages show (its text, file, metadata, title, and its mentions
    // with the entities they link to: everything its page and JSON are made from),
    // and that with its summary (what lists show of it).
    // An entity's place is serialised once here rather than at each of its mentions.
    let entity_keys: Vec<crate::cache::Key> = entities.par_iter().map(entity_link_key).collect();
    // What lists show of an article (`summary`) is keyed on its own too: an article page shows
    // its neighbours' summaries.
    let (views, (summary_keys, with_summary)): (Vec<crate::cache::Key>, (Vec<crate::cache::Key>, Vec<crate::cache::Key>)) = articles
        .par_iter()
        .zip(&summaries)
        .map(|(a, s)| {
            let view = article_view_key(a, &entity_keys);
            let summary = crate::cache::Hasher::new("article summary").json(s);
            (view, (summary, crate::cache::Hasher::new("article with summary").part(&view).part(&summary).finish()))
        })
        .unzip();
    clock.lap("  article keys");

    // An article's JSON (its line of archive.json) is made from what `view`
    // stands for, so `view` stands for it too.
    let article_data: Vec<crate::cache::Key> = views.par_iter().map(|view| crate::cache::Hasher::new("article json").part(view).finish()).collect();

    // The stages below make different files from the same data: each group runs side by side
    // on the cores (a stage that is partly serial, like archive.json, no longer leaves one idle),
    // each stage still parallel within.
    let jobs = clock.jobs();
    let base = config.base_url.as_deref();
    let timeline_links = {
        let articles: &[Article] = articles;
        // The timeline: every dated passage of the archive, a page of whole dates at a time.
        let timeline = || -> Result<Vec<(u32, u32)>> {
            let timeline = dates::Timeline::build(articles, &spans, entities);
            (0..timeline.page_count()).into_par_iter().try_for_each(|p| {
                let (key, frame) = timeline.page_key(p, entities, &with_summary, &entity_keys);
                r.page_lazy(out, "timeline.html", &dates::timeline_url(p), &timeline.page_title(p), "dates", &[&key], || timeline.page_context(p, frame, articles, &spans, entities, &summaries))
            })?;
            Ok(timeline.entity_links(entities.len()))
        };
        // Home, and the list of articles, newest first, a page at a time.
        let lists = || -> Result<()> {
            let mut ctx = PageData::new();
            ctx.insert("newest", &idx.order.iter().take(10).map(|i| &summaries[*i]).collect::<Vec<_>>());
            let top: serde_json::Map<String, serde_json::Value> = EntityKind::ALL
                .iter()
                .map(|k| (k.as_str().to_string(), serde_json::to_value(idx.by_kind(*k).iter().take(8).map(|e| entity_summary(&entities[*e])).collect::<Vec<_>>()).unwrap()))
                .collect();
            ctx.insert("top", &top);
            ctx.insert("dates", &calendar.range(&summaries));
            ctx.insert("feeds", &feeds.home_links(&config.title));
            ctx.insert("counts", &counts);
            r.page(out, "home.html", "index.html", "Home", "home", ctx)?;
            let list = index::lists::ArticleList::new(&idx.order, &summaries, index::lists::ARTICLE_PAGE);
            (0..list.page_count()).into_par_iter().try_for_each(|p| {
                let frame = list.frame(p);
                let key = list.page_key(p, &frame, &with_summary);
                r.page_lazy(out, "articles.html", &index::lists::article_list_url(p), &list.page_title(p), "articles", &[&key], || list.page_context(p, frame))
            })
        };
        // Article pages and their original text, then the Web Annotations,
        // made only when what they show changed: `view` stands for the article and its links.
        let article_pages = || -> Result<()> {
            (0..articles.len()).into_par_iter().try_for_each(|i| {
                let a = &articles[i];
                let view = views[i];
                let pos = idx.position[i];
                let prev = pos.checked_sub(1).map(|p| idx.order[p]);
                let next = idx.order.get(pos + 1).copied();
                // The page links to its annotations' shard, which depends on the article's place.
                let annotations_url = annotations::collection_url(a, i);
                let key: [&[u8]; 5] = [&view, &summary_keys[i], prev.map_or(&[], |p| &summary_keys[p]), next.map_or(&[], |n| &summary_keys[n]), annotations_url.as_bytes()];
                let (prev, next) = (prev.map(|p| &summaries[p]), next.map(|n| &summaries[n]));
                r.page_lazy(out, "article.html", &article_url(a), &a.title, "articles", &key, || {
                    let mut ctx = article::article_context(a, &spans[i], entities, &summaries[i], prev, next, &annotations_url);
                    ctx.insert("jsonld", &jsonld::news_article(a, entities, &summaries[i], base));
                    ctx
                })?;
                // The original text when the page does not show all of it, keyed by its file's
                // key rather than by hashing the text again.
                let Some(path) = original_text_path(a) else { return Ok(()) };
                let text_key = crate::cache::Hasher::new("article text").part(&a.key).finish();
                out.file_lazy(&path, text_key, || Ok(a.source.text.as_bytes()))
            })?;
            // The Web Annotations, a shard of articles a file: made when one of its articles'
            // `view` changed (or which articles it holds, or the base address).
            (0..articles.len().div_ceil(annotations::SHARD)).into_par_iter().try_for_each(|k| {
                let range = k * annotations::SHARD..((k + 1) * annotations::SHARD).min(articles.len());
                let mut h = crate::cache::Hasher::new("annotation shard");
                h.part(base.unwrap_or("").as_bytes());
                for view in &views[range.clone()] {
                    h.part(view);
                }
                out.file_lazy(&annotations::shard_path(k), h.finish(), || annotations::shard(k, &articles[range], entities, base))
            })
        };
        // archive.json, the last page that shows an article's dates, notes, dateline and metadata.
        let archive = || -> Result<()> {
            let entity_data = crate::export::archive::entities_json(articles, entities);
            let mut h = crate::cache::Hasher::new("archive.json");
            for key in &article_data {
                h.part(key);
            }
            for item in &entity_data {
                h.part(item.as_bytes());
            }
            out.file_pieced("data/archive.json", h.finish(), |w| crate::export::archive::write_archive_json(w, articles, entities, &article_data, &entity_data))
        };
        let ((timeline_links, lists), (pages, archive)) = rayon::join(
            || rayon::join(|| jobs.time("timeline", timeline), || jobs.time("home, article list", lists)),
            || rayon::join(|| jobs.time("article pages", article_pages), || jobs.time("archive.json", archive)),
        );
        lists?;
        pages?;
        archive?;
        timeline_links?
    };
    drop(article_data);
    clock.lap("  timeline, lists, article pages, archive.json");
    // The pages still to come need only an article's text, blocks, mentions, title and date, so
    // the rest is let go here (at 100,000 articles, about 140 MB of the build's peak).
    for a in articles.iter_mut() {
        a.dates = Vec::new();
        a.notes = Vec::new();
        a.dateline = None;
        a.source.meta = Default::default();
    }
    let articles: &[Article] = articles;

    // Entity pages and the three entity indexes.
    // An entity page shows the entity, and snippets, dates and co-mentions from its articles,
    // `entity_page_size` articles to a page (`index::entity_page_url`). The first page also
    // shows what is made from all of them (chart, statements, related entities): its key is
    // the entity and each of its articles' keys, in page order. A later page shows the entity's
    // heading, its own articles and the pager: its key is that, so an edit to an article
    // remakes the first page and the page listing it, not every page of the entity.
    let entity_pages = || -> Result<()> {
        // An entity without a page of its own is listed on its type's A–Z instead (below).
        (0..entities.len()).into_par_iter().filter(|i| entities[*i].has_page()).try_for_each(|i| {
            let e = &entities[i];
            let arts = idx.entity_articles(e);
            let url = e.url();
            let list = index::lists::ArticleList::of_entity(&arts, &summaries, config.entity_page_size, &url);
            let mut h = crate::cache::Hasher::new("entity page");
            h.part(e.id.as_bytes()).part(e.name.as_bytes()).part(e.kind.as_str().as_bytes()).part(&(e.mention_count as u64).to_le_bytes());
            for alias in &e.aliases {
                h.part(alias.as_bytes());
            }
            h.part(&serde_json::to_vec(&e.place).expect("a place serialises"));
            // Every page's heading says how the archive's mentions of the name were tagged,
            // which articles on other pages decide.
            for (kind, n) in &e.tagged {
                h.part(kind.as_str().as_bytes()).part(&(*n as u64).to_le_bytes());
            }
            let links = feeds.entity_links(i, e, &config.title);
            let heading = h.json(&links);
            (0..list.page_count()).into_par_iter().try_for_each(|p| {
                let frame = list.entity_frame(p);
                let mut h = crate::cache::Hasher::new("entity page articles");
                h.part(&heading);
                for a in list.page(p) {
                    h.part(&with_summary[*a]);
                }
                let page_key = h.json(&frame);
                let title = if p == 0 { e.name.clone() } else { format!("{}, page {} of {}", e.name, p + 1, list.page_count()) };
                let context = || {
                    let mut ctx = idx.entity_context(i, list.page(p), articles, &spans, entities, &summaries);
                    ctx.insert("feeds", &links);
                    for (key, value) in frame.as_object().expect("a frame is an object") {
                        ctx.insert(key.clone(), value);
                    }
                    ctx
                };
                if p > 0 {
                    return r.page_lazy(out, "entity.html", &list.url(p), &title, e.kind.as_str(), &[&page_key], context);
                }
                let (timeline_events, timeline_url) = match timeline_links[i] {
                    (0, _) => (0, String::new()),
                    (n, page) => (n as usize, dates::timeline_url(page as usize)),
                };
                let mut h = crate::cache::Hasher::new("entity first page");
                h.part(&page_key);
                for a in &arts {
                    h.part(&with_summary[*a]);
                }
                let key = h.part(format!("{axis:?} {timeline_events} {timeline_url}").as_bytes()).finish();
                r.page_lazy(out, "entity.html", &url, &title, e.kind.as_str(), &[&key], || {
                    let mut ctx = context();
                    ctx.insert("related", &idx.entity_related(i, &arts, entities));
                    ctx.insert("chart", &axis.map(|axis| dates::mention_chart(i, e, articles, axis)));
                    let (total, shown) = crate::index::statements::of_entity(i, &arts, articles, &spans, &summaries);
                    ctx.insert("statements", &json!({ "total": total, "shown": shown, "limit": crate::index::statements::ENTITY_STATEMENTS }));
                    ctx.insert("statement_chart", &axis.and_then(|axis| dates::statement_chart(i, e, articles, axis)));
                    ctx.insert("timeline_events", &timeline_events);
                    ctx.insert("timeline_url", &timeline_url);
                    ctx.insert("place_map", &map::place_map(e));
                    ctx
                })
            })
        })?;
        // An index and its letter pages list the type's entities as `entity_summary` shows
        // them: their summaries in rank order stand for all of them.
        EntityKind::ALL.par_iter().try_for_each(|&kind| {
            let ix = index::entities::EntityIndex::new(&idx, kind, entities, &summaries, index::entities::INDEX_ON_ONE_PAGE, index::entities::INDEX_RANKED);
            let mut buf = Vec::new();
            for &i in idx.by_kind(kind) {
                entity_summary_part(&mut buf, entities, &entity_keys, i);
                // Unsplit, the index's A–Z shows the articles of the entities without a page.
                if ix.letter_pages() == 0 {
                    ix.listed_part(&mut buf, i);
                }
            }
            let listed = crate::cache::Hasher::new("entity index").part(&buf).finish();
            r.page_lazy(out, "entity_index.html", &ix.path(), kind.plural(), kind.as_str(), &[&listed], || ix.index_context().into_context())?;
            // A letter page shows every letter's count and its own letter's entities.
            (0..ix.letter_pages()).into_par_iter().try_for_each(|k| {
                let (path, title) = ix.letter_page(k);
                let key = ix.letter_key(k, |buf, i| {
                    entity_summary_part(buf, entities, &entity_keys, i);
                    ix.listed_part(buf, i);
                });
                r.page_lazy(out, "entity_letter.html", &path, &title, kind.as_str(), &[&key], || ix.letter_context(k).into_context())
            })
        })
    };
    // Dates: the index and a page per year and month (the timeline is made above); the map.
    let dated = || -> Result<()> {
        let shape = calendar.shape_key();
        r.page_lazy(out, "dates.html", "dates/index.html", "Dates", "dates", &[&calendar.index_key(&shape, &summaries)], || calendar.index_context(&summaries).into_context())?;
        (0..calendar.period_page_count()).into_par_iter().try_for_each(|k| {
            let (path, title) = calendar.period_path_title(k);
            r.page_lazy(out, "date_period.html", &path, &title, "dates", &[&calendar.period_key(k, &shape, &summaries)], || calendar.period_page(k, &summaries).2.into_context())
        })?;
        // The map shows the places named in articles, as `entity_summary` shows them, and
        // where they are (`entity_keys` stand for the place).
        let mut places = Vec::new();
        for (i, e) in entities.iter().enumerate() {
            if e.kind == EntityKind::Location && !e.articles.is_empty() {
                entity_summary_part(&mut places, entities, &entity_keys, i);
            }
        }
        r.page_lazy(out, "map.html", "map/index.html", "Map", "map", &[&places], || map::map_context(entities).into_context())
    };
    // Search: its page, the index files and the facets' script.
    let searched = || -> Result<Page> {
        let mut ctx = PageData::new();
        ctx.insert("counts", &counts);
        r.page(out, "search.html", "search/index.html", "Search", "search", ctx)?;
        // Timed apart: the stage is named for the index, but the tables and statement files
        // it also writes take as long.
        jobs.time("search terms", || crate::search::index_files(articles, entities, &idx, &summaries, &with_summary, out, cache))?;
        // The statements index: a cheap page, keyed by its whole context.
        let tally = crate::index::statements::tally(articles, entities);
        r.page(out, "statements.html", "statements/index.html", "Statements", "statements", crate::index::statements::index_context(&tally, entities))?;
        jobs.time("research tables", || tables::research_tables(articles, entities, &summaries, &with_summary, &entity_keys, &tally, &config.title, out))?;
        jobs.time("statement search files", || crate::search::statements::search_files(articles, entities, &idx, &tally, out))?;
        Ok(crate::search::facets::facets_js(articles, entities, &idx))
    };
    // Search and dates first: they have serial parts (numbering the search terms, the dates
    // index), which then overlap the entity pages instead of ending the group on one core.
    let ((searched, dated), entity_pages) = rayon::join(|| rayon::join(|| jobs.time("search index", searched), || jobs.time("dates, map", dated)), || jobs.time("entity pages", entity_pages));
    entity_pages?;
    dated?;
    let mut files = vec![searched?];
    clock.lap("  entity pages, dates, map, search");

    // Data and static files.
    files.extend(static_files(&config.input)?);
    // Publishing files (only with base_url); the sitemap last, as it lists every page.
    files.extend(feeds.render(&r.tera, articles, entities, &summaries, &config.title)?);
    files.into_par_iter().try_for_each(|p| out.file(&p.path, &p.bytes))?;
    for p in publish::sitemaps(&r.tera, config.base_url.as_deref(), &out.paths(), publish::SITEMAP_URLS)? {
        out.file(&p.path, &p.bytes)?;
    }
    clock.lap("  data files");
    if let Some(m) = r.metrics {
        for (template, (pages, secs, bytes)) in m.into_inner().expect("metrics lock") {
            eprintln!("template {template}: {pages} pages, {secs:.3} s over all threads, {} MB", bytes / 1_000_000);
        }
    }
    Ok(())
}
