//! The `dossier` command line.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

use dossier::annotate;
use dossier::config::{Config, DEFAULT_MAX_FILE_MB};
use dossier::pipeline::{self, Options};
use dossier::text::CharMap;
use dossier::source;
use dossier::tagger;

/// glibc's allocator spent a third of a 10,000-article build in `malloc`/`free` (perf: `_int_malloc`
/// 18%, `cfree` 7%, `malloc_consolidate` 4.5%): the build makes many small, short-lived strings and
/// JSON values on two threads at once. mimalloc's per-thread free lists are made for that load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "dossier", version, about = "Build an annotated, browsable site from a folder of news articles")]
struct Cli {
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// Where the archive is and where its site goes (`build` and `serve`).
#[derive(clap::Args)]
struct SiteArgs {
    /// Folder of articles [default: seeds/, or `input` in dossier.toml]
    #[arg(long, short)]
    input: Option<PathBuf>,
    /// Folder to write the site to [default: site/, or `output` in dossier.toml]
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Settings file [default: dossier.toml if present]
    #[arg(long, short)]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from a folder of articles (.txt, .md).
    Build {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Build, serve the site on 127.0.0.1, rebuild on changes and reload open pages.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port on 127.0.0.1 (0 picks a free one)
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
    },
    /// Write a synthetic archive for benchmarks, made from the seeds and the data/ lists.
    BenchCorpus {
        /// Number of articles
        #[arg(long)]
        articles: usize,
        /// Folder to write to (new or empty)
        #[arg(long)]
        out: PathBuf,
        /// Seed of the random choices: the same seed and number give the same bytes
        #[arg(long, default_value_t = 20261123)]
        seed: u64,
        /// Also write the same articles as a Hugo site to this folder (new or empty)
        #[arg(long)]
        hugo: Option<PathBuf>,
    },
    /// Print the annotations of article files, one JSON object per file.
    Annotate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Train the entity tagger on CoNLL-2003 data and write the model file.
    Train {
        /// Training data in CoNLL-2003 format (eng.train)
        #[arg(long)]
        train: PathBuf,
        /// Development data for choosing the number of passes (eng.testa)
        #[arg(long)]
        dev: PathBuf,
        /// Where to write the model [the shipped model is data/ner/model.bin]
        #[arg(long)]
        out: PathBuf,
        /// Most passes over the training data
        #[arg(long, default_value_t = 12)]
        epochs: usize,
    },
    /// Score the annotator against CoNLL-2003 gold data (precision, recall, F1 per type).
    Eval {
        /// Gold data in CoNLL-2003 format
        #[arg(long)]
        conll: PathBuf,
        /// A model file to use instead of the built-in one
        #[arg(long)]
        model: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    // How long freed memory stays with the allocator: see `dossier::memory` (a build sets it
    // again once it knows the archive's size).
    dossier::memory::tune_default();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build { site: SiteArgs { input, output, config } } => {
            let config = Config::load(config.as_deref(), input, output)?;
            let report = pipeline::build(&config, &Options { quiet: cli.quiet })?;
            if report.failed.is_empty() {
                if !cli.quiet {
                    eprintln!("built {} articles, {} entities, {} files", report.articles, report.entities, report.pages);
                }
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("built {} articles; {} file(s) failed: {}", report.articles, report.failed.len(), report.failed.iter().map(|e| e.path.display().to_string()).collect::<Vec<_>>().join(", "));
                Ok(ExitCode::from(1))
            }
        }
        Command::Serve { site: SiteArgs { input, output, config }, port } => {
            let config = Config::load(config.as_deref(), input, output)?;
            dossier::serve::serve(config, port, cli.quiet)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchCorpus { articles, out, seed, hugo } => {
            let w = dossier::corpus::write(&out, articles, seed, hugo.as_deref())?;
            if !cli.quiet {
                eprintln!("wrote {} articles ({:.1} MB) to {}", w.files, w.bytes as f64 / 1e6, out.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Train { train, dev, out, epochs } => {
            let quiet = cli.quiet;
            let log = move |m: String| {
                if !quiet {
                    eprintln!("{m}");
                }
            };
            let train_docs = tagger::conll::read(&train)?;
            let dev_docs = tagger::conll::read(&dev)?;
            log(format!("training on {} documents, choosing on {} documents", train_docs.len(), dev_docs.len()));
            let opts = tagger::train::Options { max_epochs: epochs, ..Default::default() };
            let t = tagger::train::train(&train_docs, &dev_docs, &opts, &log);
            let bytes = tagger::model_file::save(&t);
            std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            log(format!("wrote {} ({:.1} MB)", out.display(), bytes.len() as f64 / 1e6));
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { conll, model } => {
            let docs = tagger::conll::read(&conll)?;
            let loaded;
            let t0 = std::time::Instant::now();
            let model: &tagger::Tagger = match model {
                Some(p) => {
                    loaded = tagger::model_file::load(&std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?).with_context(|| format!("in {}", p.display()))?;
                    &loaded
                }
                None => tagger::Tagger::embedded(),
            };
            println!("model loaded in {:.0} ms", t0.elapsed().as_secs_f64() * 1000.0);
            let report = dossier::evaluate::evaluate(&docs, model);
            print!("{report}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Annotate { files } => {
            let annotator = annotate::default_annotator();
            let mut failed = 0;
            for path in files {
                let file = source::ArticleFile::at(&path);
                let rel = &file.rel;
                match source::read(&file, DEFAULT_MAX_FILE_MB * 1024 * 1024) {
                    Ok(src) => {
                        let (cleaned, mentions, dates) = pipeline::annotate_source(&src, annotator.as_ref());
                        let map = CharMap::new(&src.text);
                        let mentions: Vec<_> = mentions
                            .iter()
                            .map(|m| {
                                serde_json::json!({
                                    "start": map.char_offset(m.span.start), "end": map.char_offset(m.span.end),
                                    "text": m.span.get(&src.text), "type": m.kind.as_str(), "score": m.score, "rule": m.rule,
                                })
                            })
                            .collect();
                        let dates: Vec<_> = dates
                            .iter()
                            .map(|d| dossier::site::export::date_json(d, &src.text, &map))
                            .collect();
                        println!("{}", serde_json::json!({ "source": rel, "title": cleaned.title, "mentions": mentions, "dates": dates }));
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        failed += 1;
                    }
                }
            }
            Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
    }
}
