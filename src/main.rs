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
#[cfg(not(feature = "heap-stats"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
#[cfg(feature = "heap-stats")]
#[global_allocator]
static ALLOCATOR: dossier::memory::heap::Counting = dossier::memory::heap::Counting;

/// The commands for working on Dossier itself, listed apart from the archive's (clap has one
/// heading for subcommands, so these are hidden there and listed here).
const DEVELOPER_HELP: &str = "\
Developer commands (the annotator's training and measurement):
  eval          Score the annotator against CoNLL-2003 gold data
  train         Train the entity tagger on CoNLL-2003 data and write the model file
  bench-corpus  Write a synthetic archive for benchmarks
  (dossier help COMMAND for each)";

#[derive(Parser)]
#[command(name = "dossier", version, about = "Build an annotated, browsable site from a folder of news articles", after_help = DEVELOPER_HELP)]
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
    /// Also write an export the site does not need: `annotations`, the articles' W3C Web
    /// Annotations in data/annotations/ [default: `export` in dossier.toml]
    #[arg(long, value_name = "EXPORT", value_parser = clap::builder::PossibleValuesParser::new(dossier::config::EXPORTS))]
    export: Vec<String>,
}

impl SiteArgs {
    /// The settings: dossier.toml (or `--config`), with the folders and exports asked for here.
    fn config(self) -> anyhow::Result<Config> {
        let mut config = Config::load(self.config.as_deref(), self.input, self.output)?;
        config.web_annotations |= self.export.iter().any(|e| e == "annotations");
        Ok(config)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Make a new archive folder: dossier.toml, articles/ with an example, entities.toml.
    Init {
        /// Folder to make the archive in (made if missing; nothing in it is overwritten)
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Build the site from a folder of articles (.txt, .md).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Open the site in a browser when it is built (where there is one)
        #[arg(long)]
        open: bool,
    },
    /// Read and annotate every article and report problems, without writing a site.
    Check {
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
    #[command(hide = true)]
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
        /// Also write the same articles as a Zola site to this folder (new or empty)
        #[arg(long)]
        zola: Option<PathBuf>,
        /// The plain corpus: Markdown articles of common words naming a few entities each
        #[arg(long)]
        plain: bool,
    },
    /// Print the annotations of article files, one JSON object per file.
    Annotate {
        /// Article files (.txt, .md, .html) to annotate
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Train the entity tagger on CoNLL-2003 data and write the model file.
    #[command(hide = true)]
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
        /// Word clusters (made by data/build/clusters.py)
        #[arg(long, default_value = "data/lexicon/clusters.tsv")]
        clusters: PathBuf,
    },
    /// Score the annotator against CoNLL-2003 gold data (precision, recall, F1 per type).
    #[command(hide = true)]
    Eval {
        /// Gold data in CoNLL-2003 format
        #[arg(long)]
        conll: PathBuf,
        /// A model file to use instead of the built-in one
        #[arg(long)]
        model: Option<PathBuf>,
    },
}

/// The closing line of a build or check, and its exit code: 1 when any file failed.
fn summary(report: &pipeline::Report, done: &str, quiet: bool) -> ExitCode {
    if report.failed.is_empty() {
        if !quiet {
            let files = if report.pages > 0 { format!(", {} files", report.pages) } else { String::new() };
            eprintln!("{done} {} articles, {} entities{files}", report.articles, report.entities);
        }
        ExitCode::SUCCESS
    } else {
        let names: Vec<String> = report.failed.iter().map(|e| e.path.display().to_string()).collect();
        eprintln!("{done} {} articles; {} file(s) failed: {}", report.articles, report.failed.len(), names.join(", "));
        ExitCode::from(1)
    }
}

/// Opens `page` in the user's browser where there is one: `$BROWSER`, else the system's
/// opener (`open` on macOS, `start` on Windows, `xdg-open` under a desktop on Linux and BSD).
/// False on a machine without a display, or when the opener fails.
fn open_in_browser(page: &std::path::Path) -> bool {
    use std::process::{Command, Stdio};
    let run = |mut c: Command| c.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
    if let Some(browser) = std::env::var_os("BROWSER").filter(|b| !b.is_empty()) {
        let mut c = Command::new(browser);
        c.arg(page);
        return run(c);
    }
    let mut c = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        let desktop = ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
        if !desktop {
            return false;
        }
        Command::new("xdg-open")
    };
    c.arg(page);
    run(c)
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
        Command::Init { dir } => {
            let written = dossier::scaffold::init(&dir)?;
            if !cli.quiet {
                for path in &written {
                    eprintln!("wrote {}", path.display());
                }
                let cd = if dir == std::path::Path::new(".") { String::new() } else { format!("cd {} && ", dir.display()) };
                eprintln!("next: {cd}dossier build   (add your articles to articles/ first, or build the example)");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Build { site, open } => {
            let config = site.config()?;
            let report = pipeline::build(&config, &Options { quiet: cli.quiet, serving: false })?;
            // Where to look comes before the closing line, which stays the build's summary.
            let index = config.output.join("index.html");
            if open && !open_in_browser(&index) {
                eprintln!("no browser to open here (no display); open {} in a browser", index.display());
            } else if !cli.quiet && !open {
                eprintln!("open {} in a browser (or run: dossier serve)", index.display());
            }
            Ok(summary(&report, "built", cli.quiet))
        }
        Command::Check { site } => {
            let config = site.config()?;
            let report = pipeline::check(&config, &Options { quiet: cli.quiet, serving: false })?;
            Ok(summary(&report, "checked", cli.quiet))
        }
        Command::Serve { site, port } => {
            let config = site.config()?;
            dossier::serve::serve(config, port, cli.quiet)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchCorpus { articles, out, seed, hugo, zola, plain } => {
            let opts = dossier::corpus::Options { hugo: hugo.as_deref(), zola: zola.as_deref(), plain };
            let w = dossier::corpus::write(&out, articles, seed, &opts)?;
            if !cli.quiet {
                eprintln!("wrote {} articles ({:.1} MB) to {}", w.files, w.bytes as f64 / 1e6, out.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Train { train, dev, out, epochs, clusters } => {
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
            let text = std::fs::read_to_string(&clusters).with_context(|| format!("reading {}", clusters.display()))?;
            let clusters = tagger::features::Clusters::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", clusters.display()))?;
            let t = tagger::train::train(&train_docs, &dev_docs, clusters, &opts, &log);
            let bytes = tagger::model_file::save(&t);
            std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
            log(format!("wrote {} ({:.1} MB)", out.display(), bytes.len() as f64 / 1e6));
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { conll, model } => {
            let docs = tagger::conll::read(&conll)?;
            let t0 = std::time::Instant::now();
            let model: std::sync::Arc<tagger::Tagger> = match model {
                Some(p) => std::sync::Arc::new(tagger::model_file::load(&std::fs::read(&p).with_context(|| format!("reading {}", p.display()))?).with_context(|| format!("in {}", p.display()))?),
                None => tagger::Tagger::embedded(),
            };
            println!("model loaded in {:.0} ms", t0.elapsed().as_secs_f64() * 1000.0);
            let report = dossier::evaluate::evaluate(&docs, &model);
            print!("{report}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Annotate { files } => {
            let annotator = annotate::default_annotator();
            let mut failed = 0;
            for path in files {
                let file = source::ArticleFile::at(&path);
                // A web archive prints one line for each page captured in it.
                for read in source::read_all(&file, DEFAULT_MAX_FILE_MB * 1024 * 1024) {
                match read {
                    Ok(src) => {
                        let rel = &src.rel;
                        let (cleaned, raw, dates, quotes) = pipeline::annotate_source(&src, annotator.as_ref());
                        let map = CharMap::new(&src.text);
                        let mentions: Vec<_> = raw
                            .iter()
                            .map(|m| {
                                serde_json::json!({
                                    "start": map.char_offset(m.span.start()), "end": map.char_offset(m.span.end()),
                                    "text": m.span.get(&src.text), "type": m.kind.as_str(), "score": m.score, "rule": m.rule,
                                })
                            })
                            .collect();
                        let dates: Vec<_> = dates
                            .iter()
                            .map(|d| dossier::export::archive::date_json(d, &src.text, &map))
                            .collect();
                        let quotes: Vec<_> = quotes
                            .iter()
                            .map(|q| {
                                let at = |s: Option<dossier::text::Span>, f: fn(dossier::text::Span) -> usize| s.map(|s| map.char_offset(f(s)));
                                let entity = annotate::quotes::speaker_name(&src.text, q, &raw);
                                serde_json::json!({
                                    "start": map.char_offset(q.content.start()), "end": map.char_offset(q.content.end()),
                                    "speaker_start": at(q.speaker, |s| s.start()), "speaker_end": at(q.speaker, |s| s.end()),
                                    "speaker": entity.clone().or_else(|| q.speaker.map(|s| s.get(&src.text).to_string())),
                                    "entity": entity, "cue": q.cue.map(|c| c.get(&src.text)), "direct": q.direct,
                                })
                            })
                            .collect();
                        // `text` is what the offsets index: the file, or the article text
                        // extracted from a saved web page.
                        println!(
                            "{}",
                            serde_json::json!({
                                "source": rel, "title": cleaned.title, "published": src.meta.published, "authors": src.meta.authors,
                                "url": src.meta.url, "mentions": mentions, "dates": dates, "quotes": quotes, "text": src.text,
                            })
                        );
                    }
                    Err(e) => {
                        eprintln!("error: {e}");
                        failed += 1;
                    }
                }
                }
            }
            Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every argument of every command says what it is for in `--help`.
    #[test]
    fn every_argument_has_a_description() {
        let cli = Cli::command();
        cli.clone().debug_assert();
        for cmd in std::iter::once(&cli).chain(cli.get_subcommands()) {
            for arg in cmd.get_arguments() {
                let builtin = ["help", "version"].contains(&arg.get_id().as_str());
                assert!(builtin || arg.get_help().is_some(), "{} {} has no description", cmd.get_name(), arg.get_id());
            }
        }
    }
}
