//! Render: pages through Tera, from the data `crate::index` makes of each page to HTML handed to
//! the writer (`crate::output`). A page's inputs (its template's key and its data, or for a
//! costly page a key of what its data is made from) are hashed first: when they match the last
//! build's, the page already in the output is kept and not rendered again (`Renderer`).
//!
//! Here too is what only the pages need: the templates and their keys (`templates.rs`), the
//! escaping Tera writes with (`escape.rs`), an article's page (`article.rs`) with its marked
//! text (`marks.rs`) and statements panel (`statements.rs`), syntax highlighting (`syntax.rs`),
//! JSON-LD (`jsonld.rs`), and template indentation taken out of each page (`dedent.rs`).

pub mod article;
pub mod dedent;
pub mod escape;
pub mod jsonld;
pub mod marks;
pub mod statements;
pub mod syntax;
pub mod templates;

use anyhow::Result;
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

use crate::config::Config;
use crate::index::PageData;
use crate::output::SiteWriter;
pub use escape::script_safe;
pub use templates::{templates, tera_error, TemplateKeys};

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    base_url: Option<&'a str>,
    /// What review mode keeps the archive's corrections under (see `Config::archive_id`).
    archive_id: &'a str,
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

impl<'a> Renderer<'a> {
    /// The templates of the archive at `config.input` (`templates`), and with
    /// `DOSSIER_TIMINGS` the metrics of each.
    pub fn new(config: &'a Config) -> Result<Renderer<'a>> {
        let (tera, template_keys) = templates(&config.input)?;
        let metrics = std::env::var_os("DOSSIER_TIMINGS").map(|_| std::sync::Mutex::new(BTreeMap::new()));
        Ok(Renderer { tera, template_keys, config, metrics })
    }

    /// The templates, for the files rendered outside pages (feeds, sitemap).
    pub fn tera(&self) -> &tera::Tera {
        &self.tera
    }

    /// With `DOSSIER_TIMINGS`, what each template took over the build, on stderr.
    pub fn print_metrics(self) {
        if let Some(m) = self.metrics {
            for (template, (pages, secs, bytes)) in m.into_inner().expect("metrics lock") {
                eprintln!("template {template}: {pages} pages, {secs:.3} s over all threads, {} MB", bytes / 1_000_000);
            }
        }
    }

    /// Completes `data` with what every page gets (root, site, page) and renders it, unless the
    /// page with exactly this data is already in the output.
    pub fn page(&self, out: &SiteWriter, template: &str, path: &str, title: &str, section: &str, mut data: PageData) -> Result<()> {
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
    pub fn page_lazy(&self, out: &SiteWriter, template: &str, path: &str, title: &str, section: &str, key: &[&[u8]], ctx: impl FnOnce() -> tera::Context) -> Result<()> {
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
