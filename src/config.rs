//! `dossier.toml`: the archive's settings.
//!
//! Paths in the file are relative to the file's own folder, so an archive folder can be moved
//! or built from anywhere (as Zola's `config.toml` works).

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    title: Option<String>,
    base_url: Option<String>,
    input: Option<PathBuf>,
    output: Option<PathBuf>,
    /// The archive's own entity overrides.
    entities: Option<PathBuf>,
    /// Largest article file accepted, in megabytes.
    max_file_mb: Option<u64>,
    /// What review mode keeps this archive's corrections under in the browser.
    archive_id: Option<String>,
    /// Articles listed on each page of an entity's page.
    entity_page_size: Option<usize>,
    /// Articles an entity must be named in to have a page of its own.
    entity_page_min_articles: Option<usize>,
    /// Exports built besides the site (`["annotations"]`), as `--export` asks.
    export: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub base_url: Option<String>,
    pub input: PathBuf,
    pub output: PathBuf,
    /// Path to `entities.toml`; absent file means no overrides.
    pub entities: PathBuf,
    pub max_file_bytes: u64,
    /// The settings file that was read, if any (`dossier serve` watches it).
    pub file: Option<PathBuf>,
    /// What review mode keeps this archive's corrections under in the browser: pages opened
    /// from file:// share one origin, so one localStorage, whatever archive they belong to.
    pub archive_id: String,
    /// Articles on each page of an entity's page: an entity named in more gets pages 2, 3…
    /// (`people/SLUG/page/2.html`), so that no page grows with the archive.
    pub entity_page_size: usize,
    /// Articles an entity must be named in to have a page of its own. One named in fewer is
    /// listed on its type's A–Z index beside its article, where its links go: a page listing
    /// one article says nothing the article does not (14,496 of the 17,800 entities of 10,000
    /// plain articles). 1 gives every entity a page.
    pub entity_page_min_articles: usize,
    /// Whether to write the articles' W3C Web Annotations (`data/annotations/`), on request
    /// (`--export annotations`, or `export = ["annotations"]`): they restate what the pages,
    /// `archive.json` and the tables hold, in the standard's words, and were the largest part
    /// of a site (45 KB an article of `dossier bench-corpus`, a third of its bytes).
    pub web_annotations: bool,
}

/// What `export` in dossier.toml and `--export` can ask for.
pub const EXPORTS: [&str; 1] = ["annotations"];

/// An entity's page lists its articles, each with the sentences that name it, this many to a
/// page: about 250 KB of page, where one list of all of them had made a 12 MB page for a name
/// of 5,000 articles.
pub const DEFAULT_ENTITY_PAGE_SIZE: usize = 100;

/// An entity needs two articles for a page (`Config::entity_page_min_articles`).
pub const DEFAULT_ENTITY_PAGE_MIN_ARTICLES: usize = 2;

pub const DEFAULT_MAX_FILE_MB: u64 = 16;
/// The largest `max_file_mb` accepted: one article of a gigabyte is already far past what a
/// page can show, and the limit in bytes must not overflow.
pub const MAX_MAX_FILE_MB: u64 = 1024;

impl Config {
    /// Reads the config file if given or if `dossier.toml` exists in the working folder;
    /// command-line folders override the file's.
    pub fn load(file: Option<&Path>, input: Option<PathBuf>, output: Option<PathBuf>) -> Result<Config> {
        let file = file.map(Path::to_path_buf).or_else(|| Path::new("dossier.toml").is_file().then(|| "dossier.toml".into()));
        let (parsed, base) = match &file {
            Some(path) => (Some(read(path)?), path.parent().map(Path::to_path_buf).unwrap_or_default()),
            None => (None, PathBuf::new()),
        };
        let parsed = parsed.unwrap_or(ConfigFile {
            title: None,
            base_url: None,
            input: None,
            output: None,
            entities: None,
            max_file_mb: None,
            archive_id: None,
            entity_page_size: None,
            entity_page_min_articles: None,
            export: None,
        });
        let rel = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };
        let input = input.unwrap_or_else(|| rel(parsed.input.clone().unwrap_or_else(|| "seeds".into())));
        let output = output.unwrap_or_else(|| rel(parsed.output.clone().unwrap_or_else(|| "site".into())));
        // Overrides live with the articles unless the config says otherwise.
        let entities = match parsed.entities {
            Some(p) => rel(p),
            None => input.join("entities.toml"),
        };
        let base_url = parsed.base_url.map(|u| u.trim_end_matches('/').to_string()).filter(|u| !u.is_empty());
        if let Some(u) = &base_url {
            check_base_url(u).map_err(|why| anyhow::anyhow!("{}: base_url = {u:?}: {why}", shown(&file)))?;
        }
        let max_file_bytes = max_file_bytes(parsed.max_file_mb).map_err(|why| anyhow::anyhow!("{}: {why}", shown(&file)))?;
        let title = parsed.title.unwrap_or_else(|| "Dossier archive".to_string());
        let archive_id = match parsed.archive_id.as_deref().map(str::trim) {
            Some("") => anyhow::bail!("{}: archive_id = \"\": give a name for the archive, or leave the setting out", shown(&file)),
            Some(id) => id.to_string(),
            None => derived_archive_id(&title, base_url.as_deref()),
        };
        let entity_page_size = match parsed.entity_page_size {
            Some(0) => anyhow::bail!("{}: entity_page_size = 0: give how many articles an entity's page lists on each of its pages, from 1", shown(&file)),
            size => size.unwrap_or(DEFAULT_ENTITY_PAGE_SIZE),
        };
        let entity_page_min_articles = match parsed.entity_page_min_articles {
            Some(0) => anyhow::bail!("{}: entity_page_min_articles = 0: give how many articles an entity must be named in to have a page, from 1 (every entity)", shown(&file)),
            n => n.unwrap_or(DEFAULT_ENTITY_PAGE_MIN_ARTICLES),
        };
        let export = parsed.export.unwrap_or_default();
        if let Some(unknown) = export.iter().find(|e| !EXPORTS.contains(&e.as_str())) {
            anyhow::bail!("{}: export = [{unknown:?}]: there is no such export (known: {})", shown(&file), EXPORTS.join(", "));
        }
        Ok(Config {
            title,
            base_url,
            input,
            output,
            entities,
            max_file_bytes,
            file,
            archive_id,
            entity_page_size,
            entity_page_min_articles,
            web_annotations: export.iter().any(|e| e == "annotations"),
        })
    }

    /// Settings for building `input` into `output` with everything else at its default.
    pub fn for_folders(input: &Path, output: &Path) -> Config {
        Config {
            title: "Dossier archive".to_string(),
            base_url: None,
            input: input.to_path_buf(),
            output: output.to_path_buf(),
            entities: input.join("entities.toml"),
            max_file_bytes: DEFAULT_MAX_FILE_MB * 1024 * 1024,
            file: None,
            archive_id: derived_archive_id("Dossier archive", None),
            entity_page_size: DEFAULT_ENTITY_PAGE_SIZE,
            entity_page_min_articles: DEFAULT_ENTITY_PAGE_MIN_ARTICLES,
            web_annotations: false,
        }
    }
}

/// An archive id made from what names the archive, its title and address: the same settings
/// give the same id on every build and machine (builds stay byte for byte the same), and two
/// archives with different titles keep their review corrections apart. Archives that share a
/// title and address set `archive_id` to tell them apart.
fn derived_archive_id(title: &str, base_url: Option<&str>) -> String {
    let mut h = blake3::Hasher::new();
    h.update(b"dossier archive id\0");
    h.update(title.as_bytes());
    h.update(b"\0");
    h.update(base_url.unwrap_or("").as_bytes());
    h.finalize().to_hex()[..16].to_string()
}

fn read(path: &Path) -> Result<ConfigFile> {
    let text = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read the config file", path.display()))?;
    toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {}", path.display(), crate::source::toml_error(&text, &e)))
}

/// The settings file as messages name it (only settings from a file reach the checks).
fn shown(file: &Option<PathBuf>) -> String {
    file.as_deref().map_or_else(|| "dossier.toml".to_string(), |f| f.display().to_string())
}

/// Feeds, the sitemap and canonical links append page paths to `base_url`, so it must be an
/// absolute address that a path can follow: no query or fragment, which would swallow it.
fn check_base_url(u: &str) -> std::result::Result<(), &'static str> {
    if !(u.starts_with("https://") || u.starts_with("http://")) || u.contains(char::is_whitespace) {
        return Err("give the site's public address, starting with https:// or http://");
    }
    if u.contains(['?', '#']) {
        return Err("a query (?) or fragment (#) would swallow the page paths added after it; give the address of the site's folder only");
    }
    Ok(())
}

/// `max_file_mb` in bytes, refusing 0 (no article could build) and values past
/// [`MAX_MAX_FILE_MB`] (in bytes these overflowed to 0 once).
fn max_file_bytes(mb: Option<u64>) -> std::result::Result<u64, String> {
    match mb.unwrap_or(DEFAULT_MAX_FILE_MB) {
        0 => Err("max_file_mb = 0: no article would fit; give a size in megabytes from 1".into()),
        mb if mb > MAX_MAX_FILE_MB => Err(format!("max_file_mb = {mb} is more than the {MAX_MAX_FILE_MB} MB allowed for one article file")),
        mb => Ok(mb * 1024 * 1024),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(toml: &str) -> Result<Config> {
        let dir = std::env::temp_dir().join(format!("dossier-config-{}-{}", std::process::id(), blake3::hash(toml.as_bytes()).to_hex()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("dossier.toml");
        std::fs::write(&file, toml).unwrap();
        let config = Config::load(Some(&file), None, None);
        std::fs::remove_dir_all(&dir).unwrap();
        config
    }

    /// The id review mode keys corrections by: the setting when given, else one made from the
    /// title and address, the same on every build.
    #[test]
    fn archive_id_is_the_setting_or_made_from_title_and_address() {
        assert_eq!(load("title = \"A\"\narchive_id = \" syria-2017 \"\n").unwrap().archive_id, "syria-2017");
        let a = load("title = \"Syria coverage\"\n").unwrap().archive_id;
        assert_eq!(a, load("title = \"Syria coverage\"\n").unwrap().archive_id);
        assert_ne!(a, load("title = \"Iraq coverage\"\n").unwrap().archive_id);
        assert_ne!(a, load("title = \"Syria coverage\"\nbase_url = \"https://example.org\"\n").unwrap().archive_id);
        let err = load("archive_id = \"\"\n").unwrap_err().to_string();
        assert!(err.contains("dossier.toml") && err.contains("archive_id"), "{err}");
    }

    /// Entity pages list 100 articles a page unless the file says otherwise; none is refused.
    #[test]
    fn entity_page_size_defaults_and_refuses_zero() {
        assert_eq!(load("title = \"A\"\n").unwrap().entity_page_size, DEFAULT_ENTITY_PAGE_SIZE);
        assert_eq!(load("entity_page_size = 25\n").unwrap().entity_page_size, 25);
        let err = load("entity_page_size = 0\n").unwrap_err().to_string();
        assert!(err.contains("dossier.toml") && err.contains("entity_page_size"), "{err}");
    }

    /// An entity needs two articles for a page unless the file says otherwise; 1 gives every
    /// entity a page, 0 is refused.
    #[test]
    fn entity_page_min_articles_defaults_to_two_and_refuses_zero() {
        assert_eq!(load("title = \"A\"\n").unwrap().entity_page_min_articles, 2);
        assert_eq!(load("entity_page_min_articles = 1\n").unwrap().entity_page_min_articles, 1);
        let err = load("entity_page_min_articles = 0\n").unwrap_err().to_string();
        assert!(err.contains("dossier.toml") && err.contains("entity_page_min_articles"), "{err}");
    }
}
