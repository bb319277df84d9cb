//! The build, stage by stage: read → clean → annotate → resolve → index → render, search,
//! export → output. The site half, from index on, is in `site.rs`.
//!
//! Per-article stages run in parallel; resolving entities needs the whole archive and runs once
//! in the middle, on spans and names only.

use anyhow::{Context, Result};
use std::collections::HashSet;
use std::io::IsTerminal;

use crate::annotate::{self, Annotator, Document};
use crate::cache::{self, Cache, Hasher, Key};
use crate::config::Config;
use crate::error::FileError;
use crate::model::{Article, DateExpr, Detail, Encoded, Quote, RawMention, Source};
use crate::resolve::{self, Overrides};
use crate::{clean, output, render, source};

pub mod site;

pub struct Options {
    pub quiet: bool,
    /// Whether more builds follow in this process (`dossier serve`): it keeps the tagger's
    /// model and the lexicon loaded for the next, rather than letting them go once used
    /// (`memory::lets_go_early`), which would cost each rebuild of a large archive a reload.
    pub serving: bool,
}

/// What a build did, for the summary line.
pub struct Report {
    pub articles: usize,
    pub entities: usize,
    pub failed: Vec<FileError>,
    pub skipped: Vec<source::Skipped>,
    pub pages: usize,
    pub stats: output::Stats,
}

/// Cleans a source and annotates its whole text: what `dossier annotate` prints, before the
/// build narrows it to the parts the page shows.
pub fn annotate_source(src: &Source, annotator: &dyn Annotator) -> (clean::Cleaned, Vec<RawMention>, Vec<DateExpr>, Vec<Quote>) {
    let cleaned = clean::clean(src);
    let doc = Document::new(&src.text, src.body_start, cleaned.dateline.as_ref());
    let mentions = annotator.annotate(&doc);
    let reference = annotate::dates::Reference::new(&src.meta, cleaned.dateline.as_ref());
    let dates = annotate::dates::find_in(&src.text, &doc.tokens, reference, cleaned.dateline.as_ref());
    let quotes = annotate::quotes::find(&src.text, src.body_start, &mentions, &crate::lexicon::Lexicon::get());
    (cleaned, mentions, dates, quotes)
}

#[cfg(test)]
thread_local! {
    /// Spans compared by `shown_dates`, counted in tests.
    static WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The dates inside a kept span. Each looked up by binary search: scanned, every date of a
/// long article was compared with every one of its paragraphs.
fn shown_dates(dates: Vec<DateExpr>, kept: &crate::text::SpanSet) -> Vec<DateExpr> {
    dates
        .into_iter()
        .filter(|d| {
            #[cfg(test)]
            WORK.with(|w| w.set(w.get() + 1));
            kept.any_contains(d.span)
        })
        .collect()
}

/// Cleans and annotates one source: everything about an article that needs only its own file.
pub fn process(src: Source, key: Key, annotator: &dyn Annotator) -> Article {
    let (cleaned, mut raw_mentions, dates, quotes) = annotate_source(&src, annotator);
    // Other names (nationalities, events) kept "Russian" from being read as a place; the site
    // has no pages for them.
    raw_mentions.retain(|m| m.kind != crate::model::EntityKind::Misc);
    let published = annotate::dates::published(&src.meta, cleaned.dateline.as_ref());
    let mut kept: Vec<_> = cleaned.blocks.iter().flat_map(|b| b.runs.iter().map(|r| r.span)).collect();
    kept.extend(cleaned.title_span);
    kept.extend(cleaned.standfirst);
    kept.extend(cleaned.dateline.as_ref().map(|d| d.span));
    kept.sort();
    // Dates in removed text (furniture, the second printing of a paragraph) are not the article's.
    let shown = crate::text::SpanSet::new(kept.clone());
    let dates = shown_dates(dates, &shown);
    // Statements whose first character is in removed text are not the article's.
    let mut quotes: Vec<_> = quotes.into_iter().filter(|q| shown.any_contains(crate::text::Span::new(q.content.start(), q.content.start() + 1))).collect();
    quotes.shrink_to_fit();
    // Every article is held until the pages are made: keep no spare capacity (the mention
    // lists alone had twice what they held, 10 KB an article).
    kept.shrink_to_fit();
    let detail = Detail { blocks: cleaned.blocks, notes: cleaned.notes };
    Article {
        id: String::new(),
        source: src,
        key,
        title: cleaned.title,
        title_derived: cleaned.title_derived,
        title_span: cleaned.title_span,
        standfirst: cleaned.standfirst,
        dateline: cleaned.dateline,
        detail: Encoded::new(&detail),
        kept,
        raw_mentions: Encoded::new(&raw_mentions),
        mentions: Vec::new(),
        dates,
        quotes,
        published,
        stored: None,
    }
}

/// Gives each article a URL slug from its file path; clashing slugs get -2, -3 in path order,
/// so two articles never share a page and a URL does not change when titles do. A file that
/// slugs to a name the site keeps for itself (`index.txt`, Hugo's `_index.md`) gets `index-2`.
pub fn assign_ids(articles: &mut [Article]) {
    let mut used = HashSet::new();
    for a in articles.iter_mut() {
        let stem = a.source.rel.rsplit_once('.').map_or(a.source.rel.as_str(), |(s, _)| s);
        a.id = crate::text::unique_slug(crate::text::slugify(stem), |id| used.insert(id.to_string()));
    }
}

pub fn build(config: &Config, opts: &Options) -> Result<Report> {
    // One build of an output at a time, held until the new site and its record are in place:
    // before the cache, the staging folder or the output is looked at (`dossier serve` builds
    // through here too). Told even with --quiet, as a build that waits looks hung otherwise.
    let _lock = output::OutputLock::take(&config.output, || eprintln!("waiting for another build of {} to finish", config.output.display()))?;
    output::check_output(&config.output, &config.input)?;
    let mut found = source::discover(&config.input, std::slice::from_ref(&config.output)).map_err(anyhow::Error::new)?;
    let overrides = Overrides::load(&config.entities).map_err(anyhow::Error::new)?;
    crate::memory::tune_for(found.articles.len());
    let log = |msg: String| {
        if !opts.quiet {
            eprintln!("{msg}");
        }
    };
    let total = found.articles.len();
    let bar = (!opts.quiet && std::io::stderr().is_terminal() && total > 20).then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(indicatif::ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {wide_msg}").unwrap().progress_chars("=> "));
        bar.set_prefix("articles");
        bar
    });
    if bar.is_none() {
        log(format!("reading {} article files from {}", total, config.input.display()));
    }

    let clock = Timings::start();
    // The gazetteer and lists take a moment to load and every build needs them to resolve
    // entities; load them while the files are read.
    rayon::spawn(|| {
        crate::lexicon::Lexicon::get().gazetteer.prepare();
    });
    let cache = Cache::for_output(&config.output)?;
    let annotator = annotate::EmbeddedAnnotator;
    // Each file is read and hashed; one whose key has a cache entry is not annotated again.
    let reused = std::sync::atomic::AtomicUsize::new(0);
    // The output as an absolute path: `--output site` and `--output /path/to/site` are the same
    // site, and naming it one way after the other must not rebuild every page.
    let output = std::path::absolute(&config.output).unwrap_or_else(|_| config.output.clone());
    let site_key = Hasher::new("site").part(output.to_string_lossy().as_bytes()).finish();
    // Each article's text goes to a file once it is annotated (`text_store`); without one
    // (the cache folder cannot be written) the texts stay in memory.
    let texts = crate::text_store::TextStore::create(cache.dir()).ok();
    let read_all = || -> Result<Vec<Result<Article, FileError>>> {
        let old = cache.articles();
        let mut pack = cache.new_articles(old.as_ref()).ok();
        let mut results = Vec::with_capacity(found.articles.len());
        let one = |src: Source| {
            let key = Cache::article_key(&src);
            match cache::load_article(old.as_ref(), &key, src) {
                Ok(cached) => {
                    reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    cached
                }
                Err(src) => {
                    let art = process(src, key, &annotator);
                    let entry = cache::article_entry(&art);
                    (art, entry)
                }
            }
        };
        // A web archive holds many articles: they are annotated on all threads too.
        let read = |file: &source::ArticleFile| {
            let sources = source::read_all(file, config.max_file_bytes);
            let r: Vec<_> = if sources.len() == 1 {
                sources.into_iter().map(|s| s.map(one)).collect()
            } else {
                use rayon::prelude::*;
                sources.into_par_iter().map(|s| s.map(one)).collect()
            };
            if let Some(b) = &bar {
                b.inc(1);
            }
            r
        };
        // Each chunk's entries go to the new pack, in archive order, while the next is read.
        crate::par::chunked(&found.articles, 256, read, |_, part| {
            for r in part.into_iter().flatten() {
                results.push(r.map(|(mut art, entry)| {
                    if pack.as_mut().is_some_and(|w| w.put(&art.key, &entry).is_err()) {
                        pack = None;
                    }
                    if let Some(store) = &texts {
                        art.store_text(store);
                    }
                    art
                }));
            }
        });
        // A pack that cannot be written only costs the next build time.
        if let Some(w) = pack {
            let _ = w.finish();
        }
        if let Some(store) = &texts {
            store.seal().with_context(|| format!("{}: cannot write the articles' texts", cache.dir().display()))?;
        }
        Ok(results)
    };
    // The page record of the last build (85,000 pages at 10,000 articles) is read meanwhile.
    let (previous, results) = rayon::join(|| cache.load_manifest(&site_key), read_all);
    let results = results?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let (mut articles, failed) = split_failures(std::mem::take(&mut found.failed), results);
    let early = !opts.serving && crate::memory::lets_go_early(articles.len());
    if early {
        crate::memory::drop_aside(crate::tagger::Tagger::release_embedded());
    }
    // An older version's cache layout is deleted while the site is made (once).
    let pruning = {
        let cache = cache.clone();
        std::thread::spawn(move || cache.remove_old_layout())
    };
    for s in &found.skipped {
        log(format!("skipped {s}"));
    }
    let reused = reused.into_inner();
    let (tokens, tag_secs) = crate::tagger::tag_stats();
    let per_core = if tag_secs > 0.0 { tokens as f64 / tag_secs } else { 0.0 };
    clock.lap_with(
        "read, clean, annotate",
        &format!("{} annotated, {} from the cache; tagger: {tokens} tokens, {per_core:.0} tokens/s per thread; statements: {:.3} s of CPU", articles.len() - reused, reused, annotate::quotes::seconds()),
    );
    if clock.on && !articles.is_empty() {
        clock.article_memory(&articles);
    }
    assign_ids(&mut articles);
    let mut entities = resolve::resolve(&mut articles, &overrides, Some(&cache));
    crate::index::entities::link_entities(&mut entities, config.entity_page_min_articles);
    if early {
        crate::memory::drop_aside(crate::lexicon::Lexicon::release());
    }
    clock.lap("resolve");
    log(format!("{} articles: {} annotated with the {} annotator, {reused} unchanged since the last build; {} entities", articles.len(), articles.len() - reused, annotator.name(), entities.len()));

    // The page record says which pages of the output are still right; it is dropped while the
    // new pages are committed, so that a build killed half-way never trusts it.
    let (writer, recovered) = output::SiteWriter::begin(&config.output, previous)?;
    if recovered {
        log(format!("finished the interrupted commit of an earlier build in {}", config.output.display()));
    }
    site::render(&mut articles, &entities, config, &writer, &cache, &clock)?;
    cache.clear_manifest();
    let (manifest, stats) = writer.commit().with_context(|| format!("writing the site to {}", config.output.display()))?;
    if let Err(e) = cache.store_manifest(&site_key, &manifest) {
        log(format!("warning: cannot record the pages in {}: {e} (the next build renders every page)", cache.dir().display()));
    }
    let _ = pruning.join();
    clock.lap("commit");
    log(format!(
        "wrote {} files to {} ({} unchanged, {} removed)",
        stats.written,
        config.output.display(),
        stats.kept,
        stats.deleted
    ));
    if !stats.carried.is_empty() {
        log(format!("kept {} file(s) and folder(s) of yours at the top of {}: {}", stats.carried.len(), config.output.display(), stats.carried.join(", ")));
    }
    let report = Report { articles: articles.len(), entities: entities.len(), failed, skipped: found.skipped, pages: manifest.len(), stats };
    // What the build held is let go on another thread, which the process does not wait for
    // when it ends: freeing it piece by piece took about a tenth of a second at 10,000
    // articles, a tenth of a rebuild after an edit. (`serve` lives on, and the thread finishes.)
    crate::memory::drop_aside((articles, entities, manifest));
    Ok(report)
}

/// The articles read, and the files that failed, each reported as it is met.
/// What the walk could not read (`walk_failed`) comes first, in the walk's order.
fn split_failures(walk_failed: Vec<FileError>, results: Vec<Result<Article, FileError>>) -> (Vec<Article>, Vec<FileError>) {
    let mut articles = Vec::with_capacity(results.len());
    let mut failed = walk_failed;
    for e in &failed {
        eprintln!("error: {e}");
    }
    for r in results {
        match r {
            Ok(a) => articles.push(a),
            Err(e) => {
                eprintln!("error: {e}");
                failed.push(e);
            }
        }
    }
    (articles, failed)
}

/// `dossier check`: everything a build reads and makes before it writes (settings, templates,
/// `entities.toml`, every article read, cleaned, annotated and resolved), with the same
/// per-file messages, but no site and no cache written (like `zola check`).
pub fn check(config: &Config, opts: &Options) -> Result<Report> {
    use rayon::prelude::*;
    let found = source::discover(&config.input, std::slice::from_ref(&config.output)).map_err(anyhow::Error::new)?;
    let overrides = Overrides::load(&config.entities).map_err(anyhow::Error::new)?;
    render::templates(&config.input)?;
    for s in &found.skipped {
        if !opts.quiet {
            eprintln!("skipped {s}");
        }
    }
    let annotator = annotate::EmbeddedAnnotator;
    let results: Vec<Result<Article, FileError>> = found
        .articles
        .par_iter()
        .flat_map_iter(|file| source::read_all(file, config.max_file_bytes))
        .map(|r| r.map(|src| {
            let key = Cache::article_key(&src);
            process(src, key, &annotator)
        }))
        .collect();
    let (mut articles, failed) = split_failures(found.failed, results);
    assign_ids(&mut articles);
    let entities = resolve::resolve(&mut articles, &overrides, None);
    Ok(Report { articles: articles.len(), entities: entities.len(), failed, skipped: found.skipped, pages: 0, stats: Default::default() })
}

/// Stage times on stderr when `DOSSIER_TIMINGS` is set: what the benchmark reports.
pub struct Timings {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
    last_cpu: std::cell::Cell<f64>,
}

impl Timings {
    pub fn start() -> Timings {
        let on = std::env::var_os("DOSSIER_TIMINGS").is_some();
        // /proc is read only when the timings are asked for.
        let cpu = if on { cpu_seconds().unwrap_or(0.0) } else { 0.0 };
        Timings { on, last: std::cell::Cell::new(std::time::Instant::now()), last_cpu: std::cell::Cell::new(cpu) }
    }

    /// A timer for stages that run side by side (one lap covers them all): each reports its
    /// own wall time, marked as overlapping.
    pub fn jobs(&self) -> Jobs {
        Jobs { on: self.on }
    }

    pub fn lap(&self, stage: &str) {
        self.lap_with(stage, "");
    }

    /// What the articles hold on the heap after annotation, per article and part
    /// (`memory::article_parts`): every article is held until its pages are made.
    fn article_memory(&self, articles: &[Article]) {
        let mut sums: Vec<(&str, usize)> = Vec::new();
        for a in articles {
            for (i, (name, n)) in crate::memory::article_parts(a).into_iter().enumerate() {
                match sums.get_mut(i) {
                    Some(s) => s.1 += n,
                    None => sums.push((name, n)),
                }
            }
        }
        let total: usize = sums.iter().map(|s| s.1).sum();
        let per = |n: usize| n as f64 / articles.len() as f64 / 1024.0;
        let parts: Vec<String> = sums.iter().map(|(name, n)| format!("{name} {:.2}", per(*n))).collect();
        eprintln!("timing articles held: {:.2} KB an article ({})", per(total), parts.join(", "));
    }

    fn lap_with(&self, stage: &str, detail: &str) {
        if self.on {
            let now = std::time::Instant::now();
            let detail = if detail.is_empty() { String::new() } else { format!(" ({detail})") };
            #[allow(unused_mut)]
            let mut peak = memory_mb().map_or(String::new(), |(peak, now)| format!(", peak {peak} MB, now {now} MB"));
            #[cfg(feature = "heap-stats")]
            {
                let (live, most) = crate::memory::heap::live_and_peak_mb();
                peak.push_str(&format!(", heap {live} MB (peak {most} MB)"));
            }
            // CPU time beside wall time: on 2 cores a stage that uses both shows about twice
            // its wall time, one that waits on a single thread about the same.
            let cpu = cpu_seconds().map_or(String::new(), |c| {
                let spent = c - self.last_cpu.get();
                self.last_cpu.set(c);
                format!(", cpu {spent:.3} s")
            });
            eprintln!("timing {stage}: {:.3} s{cpu}{peak}{detail}", (now - self.last.get()).as_secs_f64());
            self.last.set(now);
        }
    }
}

/// See [`Timings::jobs`].
#[derive(Clone, Copy)]
pub struct Jobs {
    on: bool,
}

impl Jobs {
    pub fn time<T>(self, stage: &str, f: impl FnOnce() -> T) -> T {
        // With heap-stats, the peak since the stage began (alone only on one thread:
        // RAYON_NUM_THREADS=1).
        #[cfg(feature = "heap-stats")]
        crate::memory::heap::live_and_peak_mb();
        let started = std::time::Instant::now();
        let out = f();
        if self.on {
            #[cfg(feature = "heap-stats")]
            let heap = {
                let (live, most) = crate::memory::heap::live_and_peak_mb();
                format!(", heap {live} MB (peak {most} MB)")
            };
            #[cfg(not(feature = "heap-stats"))]
            let heap = "";
            eprintln!("timing     {stage}: {:.3} s (beside other stages){heap}", started.elapsed().as_secs_f64());
        }
        out
    }
}

/// The process's user and system CPU time so far, from /proc/self/stat (in clock ticks of
/// 1/100 s, the value on every Linux this runs on); `None` where /proc is not there.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ');
    let utime: f64 = fields.nth(11)?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// The process's peak resident memory so far and its resident memory now (Linux's VmHWM and
/// VmRSS), so that the timings show which stage makes the build's peak and what each stage
/// keeps; `None` where /proc is not there.
fn memory_mb() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let kb: u64 = status.lines().find_map(|l| l.strip_prefix(name))?.trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kb / 1024)
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long article's dates are each checked once, and those outside the kept spans (here,
    /// a second printing of a paragraph) are dropped.
    #[test]
    fn dates_are_kept_in_work_proportional_to_the_article() {
        let mut text = String::from("Talks in Berlin\n\n");
        for i in 0..500 {
            text.push_str(&format!("Officials met on {} March 2014 in Berlin, and paragraph {i} says so.\n\n", i % 28 + 1));
        }
        text.push_str("Officials met on 1 March 2014 in Berlin, and paragraph 0 says so.\n\n");
        let src = Source { path: "x/a.txt".into(), rel: "a.txt".into(), format: crate::model::Format::Txt, text, body_start: 0, meta: Default::default(), meta_origin: None };
        let annotator = crate::annotate::rules::RuleAnnotator;
        let (_, _, all, _) = annotate_source(&src, &annotator);
        let key = crate::cache::Cache::article_key(&src);
        WORK.with(|w| w.set(0));
        let art = process(src, key, &annotator);
        let work = WORK.with(|w| w.get());
        assert!(all.len() > 500, "{} dates", all.len());
        assert_eq!(art.dates.len(), all.iter().filter(|d| art.kept.iter().any(|k| k.contains(d.span))).count());
        assert!(art.dates.len() < all.len(), "the second printing's date is dropped");
        assert!(work <= 2 * all.len(), "{work} steps for {} dates", all.len());
    }
}
