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
    assign_ids(&mut articles);
    let entities = resolve::resolve(&mut articles, &overrides);
    log(format!("annotated {} articles with the {} annotator: {} entities", articles.len(), annotator.name(), entities.len()));

    let pages = site::render(&articles, &entities, config)?;
    site::write::write_site(&config.output, &pages).with_context(|| format!("writing the site to {}", config.output.display()))?;
    log(format!("wrote {} files to {}", pages.len(), config.output.display()));
    Ok(Report { articles: articles.len(), entities: entities.len(), failed, skipped: found.skipped, pages: pages.len() })
}

/// `dossier eval`: scores the tagger on CoNLL-2003 gold data, twice: the tagger alone on the
/// gold tokens, and the whole annotator (`dossier annotate`) on each document's text as
/// `conll_docs.py` exports it, scored by code-point spans exactly as `ner_eval.py` scores it.
pub fn evaluate(docs: &[crate::tagger::conll::Doc], model: &crate::tagger::Tagger) -> String {
    use crate::tagger::eval::{Counts, score_chunks};
    use std::time::Instant;
    let tokens: usize = docs.iter().flat_map(|d| &d.sentences).map(|s| s.words.len()).sum();
    let mut out = String::new();

    // Tagging speed: the median of five passes over the whole file, so that one slow pass
    // (a busy machine) does not decide the figure; the scores come from the first pass.
    let prepared: Vec<(Vec<&str>, Vec<(usize, usize)>, Vec<(usize, usize, usize)>)> = docs
        .iter()
        .map(|d| {
            let words: Vec<&str> = d.sentences.iter().flat_map(|s| s.words.iter().map(String::as_str)).collect();
            let (mut sents, mut gold, mut at) = (Vec::new(), Vec::new(), 0);
            for s in &d.sentences {
                sents.push((at, at + s.words.len()));
                gold.extend(s.chunks.iter().map(|c| (at + c.start, at + c.end, c.kind as usize)));
                at += s.words.len();
            }
            (words, sents, gold)
        })
        .collect();
    let mut alone = Counts::default();
    let mut times = Vec::new();
    for pass in 0..5 {
        let t0 = Instant::now();
        for (words, sents, gold) in &prepared {
            let found: Vec<_> = model.tag(words, sents).into_iter().map(|f| (f.start, f.end, f.kind as usize)).collect();
            if pass == 0 {
                score_chunks(gold, &found, &mut alone);
            }
        }
        times.push(t0.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let secs = times[times.len() / 2];
    let alone_line = format!(
        "the tagger alone, on the gold tokens: {tokens} tokens in {secs:.3} s (median of 5 passes), {:.0} tokens/s (one thread)\n",
        tokens as f64 / secs
    );

    // The whole annotator on the exported text: what `dossier annotate` prints for
    // doc-NNNN.txt, scored as ner_eval.py scores it (code-point spans, exact match).
    let annotator = annotate::model::ModelAnnotator { tagger: model };
    let t0 = Instant::now();
    let mut full = Counts::default();
    for (n, d) in docs.iter().enumerate() {
        let (_, gold) = crate::tagger::eval::gold_spans(d);
        let src = Source {
            path: PathBuf::from(format!("doc-{n:04}.txt")),
            rel: format!("doc-{n:04}.txt"),
            format: crate::model::Format::Txt,
            text: d.text(),
            body_start: 0,
            meta: Default::default(),
            meta_origin: None,
        };
        let (_, mentions, _) = annotate_source(&src, &annotator);
        let map = crate::text::CharMap::new(&src.text);
        let pred: std::collections::HashSet<(usize, usize, usize)> = mentions
            .iter()
            .map(|m| {
                let k = match m.kind {
                    crate::model::EntityKind::Person => 0,
                    crate::model::EntityKind::Location => 1,
                    crate::model::EntityKind::Organisation => 2,
                    crate::model::EntityKind::Misc => 3,
                };
                (map.char_offset(m.span.start), map.char_offset(m.span.end), k)
            })
            .collect();
        full.add(&gold, &pred);
    }
    let secs = t0.elapsed().as_secs_f64();
    // How closely the tokenizer and sentence splitter reproduce the gold tokens and sentences
    // on the exported text (everything the tagger sees differently starts here).
    let (mut same_tok, mut same_sent, mut gold_sents) = (0usize, 0usize, 0usize);
    for d in docs {
        let text = d.text();
        let (spans, _) = crate::tagger::eval::gold_spans(d);
        let map = crate::text::CharMap::new(&text);
        let toks = crate::tagger::tokens::tokenize(&text, 0, text.len());
        let ours: std::collections::HashSet<(usize, usize)> = toks.iter().map(|t| (map.char_offset(t.span.start), map.char_offset(t.span.end))).collect();
        same_tok += spans.iter().filter(|s| ours.contains(s)).count();

        let our_sents: std::collections::HashSet<(usize, usize)> = crate::tagger::tokens::sentences(&text, &toks)
            .iter()
            .map(|s| (map.char_offset(toks[s.start].span.start), map.char_offset(toks[s.end - 1].span.end)))
            .collect();
        let mut at = 0;
        for s in &d.sentences {
            gold_sents += 1;
            if our_sents.contains(&(spans[at].0, spans[at + s.words.len() - 1].1)) {
                same_sent += 1;
            }
            at += s.words.len();
        }
    }
    out += &format!("tokenizer: {same_tok} of {tokens} gold tokens reproduced exactly, {same_sent} of {gold_sents} sentences\n");
    out += &format!(
        "dossier annotate on each document's text (as conll_docs.py exports it; ner_eval.py gives the same figures):\n{tokens} tokens in {secs:.2} s, {:.0} tokens/s (one thread, cleaning, rules and dates included)\n",
        tokens as f64 / secs
    );
    out += &full.table();
    out += &format!("\n{alone_line}");
    out += &alone.table();
    out += &format!("\nmicro-F1 {:.4}\n", full.micro_plo().2);
    out
}
