//! The build, stage by stage: read → clean → annotate → resolve → index/render → write.
//!
//! Per-article stages run in parallel; resolving entities needs the whole archive and runs once
//! in the middle, on spans and names only.

use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::annotate::{self, Annotator, Document};
use crate::config::Config;
use crate::error::FileError;
use crate::model::{Article, DateExpr, RawMention, Source};
use crate::resolve::{self, Overrides};
use crate::{clean, site, source};

pub struct Options {
    pub quiet: bool,
}

/// What a build did, for the summary line.
pub struct Report {
    pub articles: usize,
    pub entities: usize,
    pub failed: Vec<FileError>,
    pub skipped: Vec<PathBuf>,
    pub pages: usize,
}

/// Cleans a source and annotates its whole text: what `dossier annotate` prints, before the
/// build narrows it to the parts the page shows.
pub fn annotate_source(src: &Source, annotator: &dyn Annotator) -> (clean::Cleaned, Vec<RawMention>, Vec<DateExpr>) {
    let cleaned = clean::clean(src);
    let mentions = annotator.annotate(&Document { text: &src.text, start: src.body_start, dateline: cleaned.dateline.as_ref() });
    let reference = annotate::dates::Reference::new(&src.meta, cleaned.dateline.as_ref());
    let dates = annotate::dates::find(&src.text, src.body_start, reference, cleaned.dateline.as_ref());
    (cleaned, mentions, dates)
}

/// Cleans and annotates one source: everything about an article that needs only its own file.
pub fn process(src: Source, annotator: &dyn Annotator) -> Article {
    let (cleaned, mut raw_mentions, dates) = annotate_source(&src, annotator);
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
    let dates = dates.into_iter().filter(|d| kept.iter().any(|k| k.contains(d.span))).collect();
    Article {
        id: String::new(),
        source: src,
        title: cleaned.title,
        title_derived: cleaned.title_derived,
        title_span: cleaned.title_span,
        standfirst: cleaned.standfirst,
        dateline: cleaned.dateline,
        blocks: cleaned.blocks,
        notes: cleaned.notes,
        kept,
        raw_mentions,
        mentions: Vec::new(),
        dates,
        published,
    }
}

/// Gives each article a URL slug from its file path; clashing slugs get -2, -3 in path order,
/// so two articles never share a page and a URL does not change when titles do.
pub fn assign_ids(articles: &mut [Article]) {
    let mut used = HashSet::new();
    for a in articles.iter_mut() {
        let stem = a.source.rel.rsplit_once('.').map_or(a.source.rel.as_str(), |(s, _)| s);
        let base = crate::text::slugify(stem);
        let mut id = base.clone();
        let mut n = 2;
        while !used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        a.id = id;
    }
}

pub fn build(config: &Config, opts: &Options) -> Result<Report> {
    site::write::check_output(&config.output, &config.input)?;
    let found = source::discover(&config.input, std::slice::from_ref(&config.output)).map_err(anyhow::Error::new)?;
    let overrides = Overrides::load(&config.entities).map_err(anyhow::Error::new)?;
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
    let annotator = annotate::default_annotator();
    let results: Vec<Result<Article, FileError>> = found
        .articles
        .par_iter()
        .map(|(path, rel)| {
            let r = source::read(path, rel, config.max_file_bytes).map(|src| process(src, annotator.as_ref()));
            if let Some(b) = &bar {
                b.inc(1);
            }
            r
        })
        .collect();
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let mut articles = Vec::new();
    let mut failed = Vec::new();
    for r in results {
        match r {
            Ok(a) => articles.push(a),
            Err(e) => {
                eprintln!("error: {e}");
                failed.push(e);
            }
        }
    }
    for s in &found.skipped {
        log(format!("skipped {}: not an article (.txt or .md)", s.display()));
    }
    clock.lap("read, clean, annotate");
    assign_ids(&mut articles);
    let entities = resolve::resolve(&mut articles, &overrides);
    clock.lap("resolve");
    log(format!("annotated {} articles with the {} annotator: {} entities", articles.len(), annotator.name(), entities.len()));

    let pages = site::render(&articles, &entities, config)?;
    clock.lap("index, render");
    site::write::write_site(&config.output, &pages).with_context(|| format!("writing the site to {}", config.output.display()))?;
    clock.lap("write");
    log(format!("wrote {} files to {}", pages.len(), config.output.display()));
    Ok(Report { articles: articles.len(), entities: entities.len(), failed, skipped: found.skipped, pages: pages.len() })
}

/// Stage times on stderr when `DOSSIER_TIMINGS` is set: what the benchmark reports.
struct Timings {
    on: bool,
    last: std::cell::Cell<std::time::Instant>,
}

impl Timings {
    fn start() -> Timings {
        Timings { on: std::env::var_os("DOSSIER_TIMINGS").is_some(), last: std::cell::Cell::new(std::time::Instant::now()) }
    }

    fn lap(&self, stage: &str) {
        if self.on {
            let now = std::time::Instant::now();
            eprintln!("timing {stage}: {:.3} s", (now - self.last.get()).as_secs_f64());
            self.last.set(now);
        }
    }
}
