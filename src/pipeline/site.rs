//! The site half of the build: from the resolved articles and entities to every file of the
//! site, through the stages after resolve (see `ARCHITECTURE.md`): `index` makes the
//! archive-wide views and each page's data, `render` turns pages into HTML through Tera,
//! `search` and `export` make the script and data files, and `output` writes all of them.
//! This module only orders them: which group of pages is made from what, side by side on the
//! cores.
//!
//! Rendering streams each page to the writer as soon as it is made, so no build holds the
//! whole site in memory. A page's inputs (its template and context) are hashed first: when they
//! match the last build's, the page already in the output is kept and not rendered again.
//! The writer stages new pages beside the output and makes them the site only once the build
//! is complete (`crate::output`).

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde_json::json;
use std::path::Path;

use super::{Jobs, Timings};
use crate::cache::{Cache, Hasher, Key};
use crate::config::Config;
use crate::export::{annotations, archive, parts, publish, tables};
use crate::index::article::{article_summary, entity_summary, ArticleSpans, ArticleSummary};
use crate::index::dates::{self, Calendar, ChartAxis};
use crate::index::entities::{EntityIndex, INDEX_ON_ONE_PAGE, INDEX_RANKED};
use crate::index::keys::{article_view_key, entity_link_key, entity_summary_part};
use crate::index::lists::{article_list_url, ArticleList, ARTICLE_PAGE};
use crate::index::urls::{article_url, original_text_path};
use crate::index::{map, statements, Indexes, PageData};
use crate::model::{Article, Entity, EntityKind};
use crate::output::{Page, SiteWriter};
use crate::render::{article::article_context, jsonld, syntax, Renderer};

/// Renders every page of the site into `out`. Parts of the articles that no page still to be
/// made shows are let go as the build goes (see archive.json below).
pub fn render(articles: &mut [Article], entities: &[Entity], config: &Config, out: &SiteWriter, cache: &Cache, clock: &Timings) -> Result<()> {
    let site = Site::new(articles, entities, config, out, cache, clock)?;
    // An article's JSON (its line of archive.json) is made from what `view`
    // stands for, so `view` stands for it too.
    let article_data: Vec<Key> = site.views.par_iter().map(|view| Hasher::new("article json").part(view).finish()).collect();
    // Whether archive.json is one file or parts, before the article pages that link to it.
    let layout = archive::layout(articles, entities, &article_data, &out.previous_pieces("data/"), parts::whole_limit());
    let timeline_links = site.article_group(articles, &article_data, layout)?;
    drop(article_data);
    clock.lap("  timeline, lists, article pages, archive.json");
    // The pages still to come need only an article's text, blocks, mentions, title and date, so
    // the rest is let go here (at 100,000 articles, about 140 MB of the build's peak).
    for a in articles.iter_mut() {
        a.dates = Vec::new();
        a.dateline = None;
        a.source.meta = Default::default();
    }
    let articles: &[Article] = articles;
    let facets = site.entity_group(articles, &timeline_links)?;
    clock.lap("  entity pages, dates, map, search");
    site.data_files(articles, facets)?;
    clock.lap("  data files");
    site.r.print_metrics();
    Ok(())
}

/// What every group of pages is made from: the indexes, the renderer, each article's summary
/// and spans, and the keys that stand for what pages show of each article and entity. The
/// articles themselves are handed to each group, as they are trimmed between groups.
struct Site<'a> {
    entities: &'a [Entity],
    config: &'a Config,
    out: &'a SiteWriter,
    cache: &'a Cache,
    /// The stages below make different files from the same data: each group runs side by side
    /// on the cores (a stage that is partly serial, like archive.json, no longer leaves one
    /// idle), each stage still parallel within.
    jobs: Jobs,
    r: Renderer<'a>,
    idx: Indexes,
    counts: serde_json::Value,
    summaries: Vec<ArticleSummary>,
    spans: Vec<ArticleSpans>,
    calendar: Calendar,
    axis: Option<ChartAxis>,
    feeds: publish::Feeds,
    /// Per entity: what an article's pages show of it (`entity_link_key`).
    entity_keys: Vec<Key>,
    /// Per article: what its own pages show (its text, file, metadata, title, and its mentions
    /// with the entities they link to: everything its page and JSON are made from),
    views: Vec<Key>,
    /// what lists show of it (its summary),
    summary_keys: Vec<Key>,
    /// and both together.
    with_summary: Vec<Key>,
}

impl<'a> Site<'a> {
    fn new(articles: &[Article], entities: &'a [Entity], config: &'a Config, out: &'a SiteWriter, cache: &'a Cache, clock: &Timings) -> Result<Site<'a>> {
        let idx = Indexes::build(articles, entities);
        let counts = json!({
            "articles": articles.len(),
            "location": idx.by_kind(EntityKind::Location).len(),
            "organisation": idx.by_kind(EntityKind::Organisation).len(),
            "person": idx.by_kind(EntityKind::Person).len(),
        });
        let r = Renderer::new(config)?;
        let (summaries, spans): (Vec<ArticleSummary>, Vec<ArticleSpans>) = articles
            .par_iter()
            .map(|a| {
                let blocks = a.detail.get().blocks;
                (article_summary(a, &blocks, entities), ArticleSpans::new(a, &blocks))
            })
            .unzip();
        let calendar = Calendar::build(articles, &idx.order);
        let axis = calendar.chart_axis();
        let feeds = publish::Feeds::plan(articles, entities, &idx.order, config.base_url.as_deref());
        clock.lap("  index");

        // Per article: what its own pages show (its text, file, metadata, title, and its mentions
        // with the entities they link to: everything its page and JSON are made from),
        // and that with its summary (what lists show of it).
        // An entity's place is serialised once here rather than at each of its mentions.
        let entity_keys: Vec<Key> = entities.par_iter().map(entity_link_key).collect();
        // What lists show of an article (`summary`) is keyed on its own too: an article page shows
        // its neighbours' summaries.
        let (views, (summary_keys, with_summary)): (Vec<Key>, (Vec<Key>, Vec<Key>)) = articles
            .par_iter()
            .zip(&summaries)
            .map(|(a, s)| {
                let view = article_view_key(a, &entity_keys);
                let summary = Hasher::new("article summary").json(s);
                (view, (summary, Hasher::new("article with summary").part(&view).part(&summary).finish()))
            })
            .unzip();
        clock.lap("  article keys");
        let jobs = clock.jobs();
        Ok(Site { entities, config, out, cache, jobs, r, idx, counts, summaries, spans, calendar, axis, feeds, entity_keys, views, summary_keys, with_summary })
    }

    /// The pages that need all of an article (its dates, notes, dateline and metadata): the
    /// timeline, home and the article list, the article pages with the Web Annotations, and
    /// archive.json. Returns what the entity pages need of the timeline (`Timeline::entity_links`).
    fn article_group(&self, articles: &[Article], article_data: &[Key], layout: archive::Layout) -> Result<Vec<(u32, u32)>> {
        let jobs = self.jobs;
        let ((timeline_links, lists), (pages, archive)) = rayon::join(
            || rayon::join(|| jobs.time("timeline", || self.timeline(articles)), || jobs.time("home, article list", || self.lists())),
            || {
                rayon::join(
                    || {
                        jobs.time("article pages", || {
                            self.article_pages(articles, layout)?;
                            if self.config.web_annotations {
                                self.annotation_shards(articles)?;
                            }
                            Ok::<(), anyhow::Error>(())
                        })
                    },
                    || jobs.time("archive.json", || self.archive_json(articles, article_data, layout)),
                )
            },
        );
        lists?;
        pages?;
        archive?;
        timeline_links
    }

    /// The timeline: every dated passage of the archive, a page of whole dates at a time.
    fn timeline(&self, articles: &[Article]) -> Result<Vec<(u32, u32)>> {
        let (r, out, entities) = (&self.r, self.out, self.entities);
        let timeline = dates::Timeline::build(articles, &self.spans, entities);
        (0..timeline.page_count()).into_par_iter().try_for_each(|p| {
            let (key, frame) = timeline.page_key(p, entities, &self.with_summary, &self.entity_keys);
            r.page_lazy(out, "timeline.html", &dates::timeline_url(p), &timeline.page_title(p), "dates", &[&key], || timeline.page_context(p, frame, articles, &self.spans, entities, &self.summaries))
        })?;
        Ok(timeline.entity_links(entities.len()))
    }

    /// Home, and the list of articles, newest first, a page at a time.
    fn lists(&self) -> Result<()> {
        let (r, out, idx, summaries) = (&self.r, self.out, &self.idx, &self.summaries);
        let mut ctx = PageData::new();
        ctx.insert("newest", &idx.order.iter().take(10).map(|i| &summaries[*i]).collect::<Vec<_>>());
        let top: serde_json::Map<String, serde_json::Value> = EntityKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), serde_json::to_value(idx.by_kind(*k).iter().take(8).map(|e| entity_summary(&self.entities[*e])).collect::<Vec<_>>()).unwrap()))
            .collect();
        ctx.insert("top", &top);
        ctx.insert("dates", &self.calendar.range(summaries));
        ctx.insert("feeds", &self.feeds.home_links(&self.config.title));
        ctx.insert("counts", &self.counts);
        r.page(out, "home.html", "index.html", "Home", "home", ctx)?;
        let list = ArticleList::new(&idx.order, summaries, ARTICLE_PAGE);
        (0..list.page_count()).into_par_iter().try_for_each(|p| {
            let frame = list.frame(p);
            let key = list.page_key(p, &frame, &self.with_summary);
            r.page_lazy(out, "articles.html", &article_list_url(p), &list.page_title(p), "articles", &[&key], || list.page_context(p, frame))
        })
    }

    /// Article pages and their original text, made only when what they show changed: `view`
    /// stands for the article and its links.
    fn article_pages(&self, articles: &[Article], layout: archive::Layout) -> Result<()> {
        let (r, out, idx, summaries, summary_keys) = (&self.r, self.out, &self.idx, &self.summaries, &self.summary_keys);
        let base = self.config.base_url.as_deref();
        (0..articles.len()).into_par_iter().try_for_each(|i| {
            let a = &articles[i];
            let view = self.views[i];
            let pos = idx.position[i];
            let prev = pos.checked_sub(1).map(|p| idx.order[p]);
            let next = idx.order.get(pos + 1).copied();
            // The page links to its annotations' shard, which depends on the article's place.
            // and to the file of archive.json that lists it.
            let annotations_url = if self.config.web_annotations { annotations::collection_url(a, i) } else { String::new() };
            let archive_url = layout.article_file(i);
            let key: [&[u8]; 6] = [&view, &summary_keys[i], prev.map_or(&[], |p| &summary_keys[p]), next.map_or(&[], |n| &summary_keys[n]), annotations_url.as_bytes(), archive_url.as_bytes()];
            let (prev, next) = (prev.map(|p| &summaries[p]), next.map(|n| &summaries[n]));
            r.page_lazy(out, "article.html", &article_url(a), &a.title, "articles", &key, || {
                let mut ctx = article_context(a, &self.spans[i], self.entities, &summaries[i], prev, next, &annotations_url, &archive_url);
                ctx.insert("jsonld", &jsonld::news_article(a, self.entities, &summaries[i], base));
                ctx
            })?;
            // The original text when the page does not show all of it, keyed by its file's
            // key rather than by hashing the text again.
            let Some(path) = original_text_path(a) else { return Ok(()) };
            let text_key = Hasher::new("article text").part(&a.key).finish();
            out.file_lazy(&path, text_key, || Ok(a.text().as_bytes().to_vec()))
        })
    }

    /// The Web Annotations, a shard of articles a file: made when one of its articles' `view`
    /// changed (or which articles it holds, or the base address).
    fn annotation_shards(&self, articles: &[Article]) -> Result<()> {
        let base = self.config.base_url.as_deref();
        (0..articles.len().div_ceil(annotations::SHARD)).into_par_iter().try_for_each(|k| {
            let range = k * annotations::SHARD..((k + 1) * annotations::SHARD).min(articles.len());
            let mut h = Hasher::new("annotation shard");
            h.part(base.unwrap_or("").as_bytes());
            for view in &self.views[range.clone()] {
                h.part(view);
            }
            self.out.file_lazy(&annotations::shard_path(k), h.finish(), || annotations::shard(k, &articles[range], self.entities, base))
        })
    }

    /// archive.json, the last page that shows an article's dates, notes, dateline and metadata:
    /// whole, or its parts and the list of them (`archive::Layout`).
    fn archive_json(&self, articles: &[Article], article_data: &[Key], layout: archive::Layout) -> Result<()> {
        let entity_data = &archive::entities_json(articles, self.entities);
        let key = |name: &str, article_keys: &[Key], entity_lines: &[String]| {
            let mut h = Hasher::new(name);
            for key in article_keys {
                h.part(key);
            }
            for item in entity_lines {
                h.part(item.as_bytes());
            }
            h.finish()
        };
        if layout == archive::Layout::Whole {
            return self.out.file_pieced("data/archive.json", key("archive.json", article_data, entity_data), |w| archive::write_archive_json(w, articles, self.entities, article_data, entity_data));
        }
        self.out.file("data/archive.json", &archive::parts_json(articles.len(), entity_data.len()))?;
        for (k, (part, part_keys)) in articles.chunks(parts::PART_ARTICLES).zip(article_data.chunks(parts::PART_ARTICLES)).enumerate() {
            self.out.file_pieced(&archive::article_part_path(k), key("archive articles", part_keys, &[]), |w| archive::write_article_part(w, part, self.entities, part_keys))?;
        }
        entity_data.par_chunks(parts::PART_ENTITIES).enumerate().try_for_each(|(k, part)| self.out.file_lazy(&archive::entity_part_path(k), key("archive entities", &[], part), || Ok(archive::entity_part(part))))
    }

    /// The pages made from the trimmed articles: the entity pages and indexes, the dates pages
    /// and the map, search and statements. Returns the facets' script, written with the data
    /// files.
    fn entity_group(&self, articles: &[Article], timeline_links: &[(u32, u32)]) -> Result<Page> {
        let jobs = self.jobs;
        let entity_pages = || -> Result<()> {
            // An entity without a page of its own is listed on its type's A–Z instead (below).
            (0..self.entities.len()).into_par_iter().filter(|i| self.entities[*i].has_page()).try_for_each(|i| self.entity_pages(articles, i, timeline_links[i]))?;
            self.entity_indexes()
        };
        // Search and dates first: they have serial parts (numbering the search terms, the dates
        // index), which then overlap the entity pages instead of ending the group on one core.
        let ((searched, dated), entity_pages) = rayon::join(|| rayon::join(|| jobs.time("search index", || self.searched(articles)), || jobs.time("dates, map", || self.dated())), || jobs.time("entity pages", entity_pages));
        entity_pages?;
        dated?;
        searched
    }

    /// Entity `i`'s pages. An entity page shows the entity, and snippets, dates and co-mentions
    /// from its articles, `entity_page_size` articles to a page (`lists::entity_page_url`). The
    /// first page also shows what is made from all of them (chart, statements, related
    /// entities): its key is the entity and each of its articles' keys, in page order. A later
    /// page shows the entity's heading, its own articles and the pager: its key is that, so an
    /// edit to an article remakes the first page and the page listing it, not every page of the
    /// entity.
    fn entity_pages(&self, articles: &[Article], i: usize, timeline_link: (u32, u32)) -> Result<()> {
        let (r, out, e) = (&self.r, self.out, &self.entities[i]);
        let arts = self.idx.entity_articles(e);
        let url = e.url();
        let list = ArticleList::of_entity(&arts, &self.summaries, self.config.entity_page_size, &url);
        let links = self.feeds.entity_links(i, e, &self.config.title);
        let heading = entity_heading_key(e, &links);
        (0..list.page_count()).into_par_iter().try_for_each(|p| {
            let frame = list.entity_frame(p);
            let mut h = Hasher::new("entity page articles");
            h.part(&heading);
            for a in list.page(p) {
                h.part(&self.with_summary[*a]);
            }
            let page_key = h.json(&frame);
            let title = if p == 0 { e.name.clone() } else { format!("{}, page {} of {}", e.name, p + 1, list.page_count()) };
            let context = || {
                let mut ctx = self.idx.entity_context(i, list.page(p), articles, &self.spans, self.entities, &self.summaries);
                ctx.insert("feeds", &links);
                for (key, value) in frame.as_object().expect("a frame is an object") {
                    ctx.insert(key.clone(), value);
                }
                ctx
            };
            if p > 0 {
                return r.page_lazy(out, "entity.html", &list.url(p), &title, e.kind.as_str(), &[&page_key], context);
            }
            self.entity_first_page(articles, i, &arts, &page_key, &title, timeline_link, context)
        })
    }

    /// The first page of entity `i`'s page: its own page's data (`context`) and what is made
    /// from all its articles `arts`: related entities, the charts, statements, the timeline link
    /// and the place's map.
    #[allow(clippy::too_many_arguments)]
    fn entity_first_page(&self, articles: &[Article], i: usize, arts: &[usize], page_key: &Key, title: &str, timeline_link: (u32, u32), context: impl FnOnce() -> tera::Context) -> Result<()> {
        let (e, axis) = (&self.entities[i], self.axis);
        let (timeline_events, timeline_url) = match timeline_link {
            (0, _) => (0, String::new()),
            (n, page) => (n as usize, dates::timeline_url(page as usize)),
        };
        let mut h = Hasher::new("entity first page");
        h.part(page_key);
        for a in arts {
            h.part(&self.with_summary[*a]);
        }
        let key = h.part(format!("{axis:?} {timeline_events} {timeline_url}").as_bytes()).finish();
        self.r.page_lazy(self.out, "entity.html", &e.url(), title, e.kind.as_str(), &[&key], || {
            let mut ctx = context();
            ctx.insert("related", &self.idx.entity_related(i, arts, self.entities));
            ctx.insert("chart", &axis.map(|axis| dates::mention_chart(i, e, articles, axis)));
            let (total, shown) = statements::of_entity(i, arts, articles, &self.spans, &self.summaries);
            ctx.insert("statements", &json!({ "total": total, "shown": shown, "limit": statements::ENTITY_STATEMENTS }));
            ctx.insert("statement_chart", &axis.and_then(|axis| dates::statement_chart(i, e, articles, axis)));
            ctx.insert("timeline_events", &timeline_events);
            ctx.insert("timeline_url", &timeline_url);
            ctx.insert("place_map", &map::place_map(e));
            ctx
        })
    }

    /// The three entity indexes and their letter pages. An index and its letter pages list the
    /// type's entities as `entity_summary` shows them: their summaries in rank order stand for
    /// all of them.
    fn entity_indexes(&self) -> Result<()> {
        let (r, out, entities, entity_keys) = (&self.r, self.out, self.entities, &self.entity_keys);
        EntityKind::ALL.par_iter().try_for_each(|&kind| {
            let ix = EntityIndex::new(&self.idx, kind, entities, &self.summaries, INDEX_ON_ONE_PAGE, INDEX_RANKED);
            let mut buf = Vec::new();
            for &i in self.idx.by_kind(kind) {
                entity_summary_part(&mut buf, entities, entity_keys, i);
                // Unsplit, the index's A–Z shows the articles of the entities without a page.
                if ix.letter_pages() == 0 {
                    ix.listed_part(&mut buf, i);
                }
            }
            let listed = Hasher::new("entity index").part(&buf).finish();
            r.page_lazy(out, "entity_index.html", &ix.path(), kind.plural(), kind.as_str(), &[&listed], || ix.index_context().into_context())?;
            // A letter page shows every letter's count and its own letter's entities.
            (0..ix.letter_pages()).into_par_iter().try_for_each(|k| {
                let (path, title) = ix.letter_page(k);
                let key = ix.letter_key(k, |buf, i| {
                    entity_summary_part(buf, entities, entity_keys, i);
                    ix.listed_part(buf, i);
                });
                r.page_lazy(out, "entity_letter.html", &path, &title, kind.as_str(), &[&key], || ix.letter_context(k).into_context())
            })
        })
    }

    /// Dates: the index and a page per year and month (the timeline is made with the article
    /// pages); the map.
    fn dated(&self) -> Result<()> {
        let (r, out, calendar, summaries, entities) = (&self.r, self.out, &self.calendar, &self.summaries, self.entities);
        let shape = calendar.shape_key();
        let tail = dates::ListTail::of(&self.idx.order, summaries);
        r.page_lazy(out, "dates.html", "dates/index.html", "Dates", "dates", &[&calendar.index_key(&shape, summaries, &tail)], || calendar.index_context(summaries, &tail).into_context())?;
        (0..calendar.period_page_count()).into_par_iter().try_for_each(|k| {
            let (path, title) = calendar.period_path_title(k);
            r.page_lazy(out, "date_period.html", &path, &title, "dates", &[&calendar.period_key(k, &shape, summaries)], || calendar.period_page(k, summaries).2.into_context())
        })?;
        // The map shows the places named in articles, as `entity_summary` shows them, and
        // where they are (`entity_keys` stand for the place).
        let mut places = Vec::new();
        for (i, e) in entities.iter().enumerate() {
            if e.kind == EntityKind::Location && !e.articles.is_empty() {
                entity_summary_part(&mut places, entities, &self.entity_keys, i);
            }
        }
        r.page_lazy(out, "map.html", "map/index.html", "Map", "map", &[&places], || map::map_context(entities).into_context())
    }

    /// Search: its page, the index files and the facets' script; the statements index and
    /// search files, and the research tables.
    fn searched(&self, articles: &[Article]) -> Result<Page> {
        let (r, out, entities, jobs) = (&self.r, self.out, self.entities, self.jobs);
        let mut ctx = PageData::new();
        ctx.insert("counts", &self.counts);
        r.page(out, "search.html", "search/index.html", "Search", "search", ctx)?;
        // Timed apart: the stage is named for the index, but the tables and statement files
        // it also writes take as long. The three are made side by side: after an edit, when
        // few pages change, this chain was the last thing running, on one core.
        let statement_files = || -> Result<()> {
            // The statements index: a cheap page, keyed by its whole context.
            let tally = statements::tally(articles, entities);
            r.page(out, "statements.html", "statements/index.html", "Statements", "statements", statements::index_context(&tally, entities))?;
            let (tables, search) = rayon::join(
                || jobs.time("research tables", || tables::research_tables(articles, entities, &self.summaries, &self.with_summary, &self.entity_keys, &tally, &self.config.title, out)),
                || jobs.time("statement search files", || crate::search::statements::search_files(articles, entities, &self.idx, &tally, out)),
            );
            tables?;
            search
        };
        let (terms, statement_files) = rayon::join(|| jobs.time("search terms", || crate::search::index_files(articles, entities, &self.idx, &self.summaries, &self.with_summary, out, self.cache)), statement_files);
        terms?;
        statement_files?;
        Ok(crate::search::facets::facets_js(articles, entities, &self.idx))
    }

    /// Data and static files, the facets' script, and the publishing files (only with
    /// base_url); the sitemap last, as it lists every page.
    fn data_files(&self, articles: &[Article], facets: Page) -> Result<()> {
        let (out, config) = (self.out, self.config);
        let mut files = vec![facets];
        files.extend(static_files(&config.input)?);
        files.extend(self.feeds.render(self.r.tera(), articles, self.entities, &self.summaries, &config.title)?);
        files.into_par_iter().try_for_each(|p| out.file(&p.path, &p.bytes))?;
        for p in publish::sitemaps(self.r.tera(), config.base_url.as_deref(), &out.paths(), publish::SITEMAP_URLS)? {
            out.file(&p.path, &p.bytes)?;
        }
        Ok(())
    }
}

/// Stands for what every page of entity `e` shows in its heading: the entity, its aliases and
/// place, how the archive's mentions of the name were tagged, and its feeds (`links`).
fn entity_heading_key(e: &Entity, links: &[publish::FeedLink]) -> Key {
    let mut h = Hasher::new("entity page");
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
    h.json(&links)
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
