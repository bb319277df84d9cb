//! Read: find the archive's article files and turn each into a [`Source`].
//!
//! Everything that can be wrong with one file (not text, not UTF-8, empty, too large, broken
//! front matter) becomes a [`FileError`] for that file alone.

mod front_matter;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::FileError;
use crate::model::{Format, Meta, Source};

pub use front_matter::toml_error;

/// What the walk found in the input folder.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Article files (`.txt`, `.md`), sorted by relative path.
    pub articles: Vec<ArticleFile>,
    /// Files that are not articles and are not sidecars or known archive files.
    pub skipped: Vec<PathBuf>,
}

/// One article file of the archive.
#[derive(Debug, Clone)]
pub struct ArticleFile {
    pub path: PathBuf,
    /// The path from the input folder, with '/' separators.
    pub rel: String,
    /// `NAME.toml` beside a `NAME.txt`: the article's metadata.
    pub sidecar: Option<PathBuf>,
}

impl ArticleFile {
    /// A file named on the command line rather than found by [`discover`].
    pub fn at(path: &Path) -> ArticleFile {
        let sidecar = sidecar_of(path).filter(|side| side.is_file());
        ArticleFile { path: path.to_path_buf(), rel: path.to_string_lossy().into_owned(), sidecar }
    }
}

/// Folders inside an archive that belong to the site's look, not its content.
const NON_CONTENT_DIRS: [&str; 2] = ["templates", "static"];

/// Lists the article files under `input`, in a stable order, never descending into `exclude`
/// (the output folder, when it lies inside the input) or hidden folders.
pub fn discover(input: &Path, exclude: &[PathBuf]) -> Result<Discovery, FileError> {
    if !input.is_dir() {
        let why = if input.exists() { "is not a folder" } else { "does not exist" };
        return Err(FileError::new(input, format!("input folder {why}")));
    }
    let exclude: Vec<PathBuf> = exclude.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut found = Discovery::default();
    // The walk sees every sidecar, so reading an article need not ask the file system for one.
    let mut tomls: HashSet<PathBuf> = HashSet::new();
    let walker = walkdir::WalkDir::new(input).follow_links(false).sort_by_file_name().into_iter();
    let walker = walker.filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        if e.depth() > 0 && name.starts_with('.') {
            return false;
        }
        if e.depth() == 1 && e.file_type().is_dir() && NON_CONTENT_DIRS.contains(&name.as_ref()) {
            return false;
        }
        if e.file_type().is_dir() {
            if let Ok(canon) = e.path().canonicalize() {
                if exclude.contains(&canon) {
                    return false;
                }
            }
        }
        true
    });
    for entry in walker {
        let entry = entry.map_err(|e| {
            FileError::new(e.path().map(Path::to_path_buf).unwrap_or_else(|| input.to_path_buf()), e.to_string())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let rel = path
            .strip_prefix(input)
            .unwrap_or(&path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        match extension(&path).as_deref() {
            Some("txt") | Some("md") | Some("markdown") => found.articles.push(ArticleFile { path, rel, sidecar: None }),
            // Sidecars, the archive's overrides and its config are read where they are used.
            Some("toml") => {
                tomls.insert(path);
            }
            _ => found.skipped.push(path),
        }
    }
    for a in &mut found.articles {
        a.sidecar = sidecar_of(&a.path).and_then(|side| tomls.take(&side));
    }
    found.articles.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(found)
}

/// Where the sidecar of an article file would be: `NAME.toml` beside a `NAME.txt` (Markdown
/// files carry their metadata as front matter).
fn sidecar_of(path: &Path) -> Option<PathBuf> {
    (extension(path).as_deref() == Some("txt")).then(|| path.with_extension("toml"))
}

fn extension(path: &Path) -> Option<String> {
    path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// Reads one article file and its metadata.
pub fn read(file: &ArticleFile, max_bytes: u64) -> Result<Source, FileError> {
    use std::io::Read;
    let path = file.path.as_path();
    let cannot = |e: std::io::Error| FileError::new(path, format!("cannot read: {e}"));
    // The size is asked of the open file: one lookup of the path, not two.
    let f = std::fs::File::open(path).map_err(cannot)?;
    let size = f.metadata().map_err(cannot)?.len();
    if size > max_bytes {
        return Err(FileError::new(
            path,
            format!(
                "file is {:.1} MB, larger than the {} MB limit for one article (raise max_file_mb in dossier.toml if it really is one article)",
                size as f64 / (1024.0 * 1024.0),
                max_bytes / (1024 * 1024)
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    // At most one byte past the limit: a file that grew since it was measured is still refused.
    f.take(max_bytes + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > max_bytes {
        return Err(FileError::new(path, format!("file grew past the {} MB limit for one article while it was read", max_bytes / (1024 * 1024))));
    }
    let text = decode(path, bytes)?;
    let format = if extension(path).as_deref() == Some("txt") { Format::Txt } else { Format::Md };

    let (meta, body_start, mut meta_origin) = match format {
        Format::Md => front_matter::split(path, &text)?,
        Format::Txt => {
            let bom = if text.starts_with('\u{FEFF}') { '\u{FEFF}'.len_utf8() } else { 0 };
            (Meta::default(), bom, None)
        }
    };
    if text[body_start..].trim().is_empty() {
        let what = if body_start > 0 { "has front matter but no article text" } else { "is empty" };
        return Err(FileError::new(path, format!("file {what}")));
    }
    let mut meta = meta;
    // Only a `.txt` file has a sidecar (`sidecar_of`).
    if let Some(side) = file.sidecar.as_deref() {
        let (sidecar_meta, origin) = front_matter::sidecar(side)?;
        meta = sidecar_meta;
        meta_origin = Some(origin);
    }
    Ok(Source { path: path.to_path_buf(), rel: file.rel.clone(), format, text, body_start, meta, meta_origin })
}

/// Decodes the bytes as UTF-8 text, refusing binary files with a message that says so.
fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, FileError> {
    // A NUL byte or a high share of control bytes never occurs in an article's text; checking
    // first gives "binary file" rather than a confusing UTF-8 position.
    let sample = &bytes[..bytes.len().min(8192)];
    let controls = sample.iter().filter(|b| matches!(b, 0..=8 | 14..=31 | 127)).count();
    if sample.contains(&0) || controls * 20 > sample.len().max(1) {
        return Err(FileError::new(path, "binary file, not text (expected UTF-8 plain text or Markdown)"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        FileError::new(path, format!("invalid UTF-8 at byte {at} (save the file as UTF-8)")).at_line(Some(line))
    })
}

/// Validates a `published` value: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, a real calendar date.
pub fn check_published(value: &str) -> Result<(), String> {
    let parts: Vec<&str> = value.split('-').collect();
    let num = |s: &str, len: usize| (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().unwrap());
    let bad = || format!("published = {value:?} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)");
    let year = parts.first().and_then(|y| num(y, 4)).ok_or_else(bad)?;
    if parts.len() >= 2 {
        let month = num(parts[1], 2).filter(|m| (1..=12).contains(m)).ok_or_else(bad)?;
        if parts.len() == 3 {
            let day = num(parts[2], 2).ok_or_else(bad)?;
            if day == 0 || day > days_in_month(year as i32, month) {
                return Err(format!("published = {value:?}: month {month} of {year} has no day {day}"));
            }
        }
    }
    if parts.len() > 3 {
        return Err(bad());
    }
    Ok(())
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}
