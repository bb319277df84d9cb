//! Read: find the archive's article files and turn each into a [`Source`].
//!
//! Everything that can be wrong with one file (not text, not UTF-8, empty, too large, broken
//! front matter) becomes a [`FileError`] for that file alone.

mod front_matter;
pub mod html;
pub mod warc;

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
    /// What was left out on purpose: files that are not articles (and are not sidecars or known
    /// archive files), symbolic links.
    pub skipped: Vec<Skipped>,
    /// Files and folders that could not be read or cannot be published as named, each its own
    /// error: the rest of the archive still builds.
    pub failed: Vec<FileError>,
}

/// A file the build leaves out, and why (shown as "skipped PATH: WHY").
#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: PathBuf,
    pub why: &'static str,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.why)
    }
}

const NOT_AN_ARTICLE: &str = "not an article (.txt, .md, .html, or a web archive .warc/.warc.gz)";
/// Neither walk follows links: a link can lead out of the archive (to a file that was never
/// meant to be published) or around in a loop, and the archive folder alone should say what
/// the site holds.
const A_LINK: &str = "a symbolic link (not followed)";

/// One article file of the archive.
#[derive(Debug, Clone)]
pub struct ArticleFile {
    pub path: PathBuf,
    /// The path from the input folder, with '/' separators. This, not `path`, is what the site
    /// shows: the same however the input folder was named, and no local folder is published.
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
/// (the output folder, when it lies inside the input) or hidden folders. A folder or file the
/// walk cannot read is an error for that path alone; the archive's `static/` folder is
/// checked here too ([`static_files`]), so its problems are reported with the articles'.
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
        // `static/` and `templates/` are read by the site, whether folders or links to them.
        let folder_or_link = e.file_type().is_dir() || e.file_type().is_symlink();
        if e.depth() == 1 && folder_or_link && NON_CONTENT_DIRS.contains(&name.as_ref()) {
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
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                found.failed.push(walk_error(input, e));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_type().is_symlink() {
            found.skipped.push(Skipped { path: path.to_path_buf(), why: A_LINK });
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = match rel_path(input, path) {
            Ok(rel) => rel,
            Err(why) => {
                found.failed.push(FileError::new(path, why));
                continue;
            }
        };
        let path = path.to_path_buf();
        match extension(&path).as_deref() {
            Some("txt") | Some("md") | Some("markdown") | Some("html") | Some("htm") | Some("warc") => found.articles.push(ArticleFile { path, rel, sidecar: None }),
            Some("gz") if is_warc(&path) => found.articles.push(ArticleFile { path, rel, sidecar: None }),
            // Sidecars, the archive's overrides and its config are read where they are used.
            Some("toml") => {
                tomls.insert(path);
            }
            _ => found.skipped.push(Skipped { path, why: NOT_AN_ARTICLE }),
        }
    }
    for a in &mut found.articles {
        a.sidecar = sidecar_of(&a.path).and_then(|side| tomls.take(&side));
    }
    found.articles.sort_by(|a, b| a.rel.cmp(&b.rel));
    let statics = static_files(input);
    found.skipped.extend(statics.skipped);
    found.failed.extend(statics.failed);
    Ok(found)
}

/// A walk error as the error of the path it happened at: which folder (or file) is left out
/// of the site, and the system's reason.
fn walk_error(input: &Path, e: walkdir::Error) -> FileError {
    let path = e.path().unwrap_or(input).to_path_buf();
    let why = match e.io_error() {
        Some(io) => io.to_string(),
        None => e.to_string(),
    };
    FileError::new(path, format!("cannot be read, left out of the site: {why}"))
}

/// `path`'s components below `input`, joined with '/'. Only real components are joined: a
/// backslash in a Unix file name is part of the name. A name that is not UTF-8 is refused
/// rather than published as a different (lossily decoded) name.
fn rel_path(input: &Path, path: &Path) -> Result<String, String> {
    let below = path.strip_prefix(input).unwrap_or(path);
    let parts: Option<Vec<&str>> = below.components().map(|c| c.as_os_str().to_str()).collect();
    parts.map(|p| p.join("/")).ok_or_else(|| "file name is not valid UTF-8 (rename the file)".to_string())
}

/// The archive's own `static/` files, as [`static_files`] finds them.
#[derive(Debug, Default)]
pub struct StaticFiles {
    /// (path in the site, e.g. `static/css/house.css`; file), sorted by site path.
    pub files: Vec<(String, PathBuf)>,
    pub skipped: Vec<Skipped>,
    pub failed: Vec<FileError>,
}

/// Lists the files of `INPUT/static/`, which the site copies under `static/` with the same
/// names. Links are not followed, `static/` itself included, as in the articles' walk. A name
/// that a URL path cannot hold as it is ([`url_name_problem`]) is an error for that file (or
/// folder): it is never published under another name.
pub fn static_files(input: &Path) -> StaticFiles {
    let own = input.join("static");
    let mut found = StaticFiles::default();
    match std::fs::symlink_metadata(&own) {
        Ok(m) if m.file_type().is_symlink() => {
            found.skipped.push(Skipped { path: own, why: A_LINK });
            return found;
        }
        Ok(m) if m.is_dir() => {}
        _ => return found,
    }
    let mut walker = walkdir::WalkDir::new(&own).follow_links(false).sort_by_file_name().into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                found.failed.push(walk_error(&own, e));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let kind = entry.file_type();
        if let Some(why) = url_name_problem(entry.file_name()) {
            let what = if kind.is_dir() { "folder" } else { "file" };
            found.failed.push(FileError::new(entry.path(), format!("{what} name {why}, so it cannot be published under static/ (rename it)")));
            if kind.is_dir() {
                walker.skip_current_dir();
            }
        } else if kind.is_symlink() {
            found.skipped.push(Skipped { path: entry.into_path(), why: A_LINK });
        } else if kind.is_file() {
            // Checked above: every component is UTF-8.
            let rel = rel_path(&own, entry.path()).expect("checked names");
            found.files.push((format!("static/{rel}"), entry.into_path()));
        }
    }
    found
}

/// Why a file name cannot be one segment of a URL path as it is, if it cannot: a browser
/// reads `\` as `/`, `?` and `#` end the path, `%` starts an escape, and control characters
/// are dropped or refused.
fn url_name_problem(name: &std::ffi::OsStr) -> Option<String> {
    let Some(name) = name.to_str() else {
        return Some("is not valid UTF-8".into());
    };
    let bad = name.chars().find(|c| c.is_control() || matches!(c, '\\' | '?' | '#' | '%'))?;
    Some(match bad {
        '\\' => "has a backslash, which browsers read as '/' in a URL".into(),
        c if c.is_control() => format!("has the control character U+{:04X}", c as u32),
        c => format!("has '{c}', which ends or escapes a URL path"),
    })
}

/// Where the sidecar of an article file would be: `NAME.toml` beside a `NAME.txt` or a saved
/// page `NAME.html` (Markdown files carry their metadata as front matter).
fn sidecar_of(path: &Path) -> Option<PathBuf> {
    matches!(extension(path).as_deref(), Some("txt" | "html" | "htm")).then(|| path.with_extension("toml"))
}

/// A web-archive file: `.warc`, or `.warc.gz` (one gzip member per record, as crawlers write).
pub fn is_warc(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    name.ends_with(".warc") || name.ends_with(".warc.gz")
}

fn extension(path: &Path) -> Option<String> {
    path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// Reads the articles of one file: one for a text, Markdown or HTML file, one for each HTML
/// page captured in a web-archive file, each with its own error (a broken record does not lose
/// the pages around it).
pub fn read_all(file: &ArticleFile, max_bytes: u64) -> Vec<Result<Source, FileError>> {
    if !is_warc(&file.path) {
        return vec![read(file, max_bytes)];
    }
    let path = file.path.as_path();
    let (captures, fatal) = warc::captures(path, max_bytes);
    let stem = file.rel.trim_end_matches(".gz").trim_end_matches(".GZ");
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let mut out: Vec<Result<Source, FileError>> = captures
        .into_iter()
        .map(|c| match c {
            Ok(c) => read_capture(file, stem, c),
            Err(u) => Err(FileError::new(path, format!("record {} ({}): {}", u.record, u.url, u.why))),
        })
        .collect();
    if out.is_empty() && fatal.is_none() {
        out.push(Err(FileError::new(path, "web archive holds no HTML page")));
    }
    if let Some(why) = fatal {
        out.push(Err(FileError::new(path, why)));
    }
    out
}

/// One captured page as an article. Its `rel` is a path inside the archive file named from the
/// page's address (`crawl/geneva-talks.html` for a page of `crawl.warc.gz`), so its URL on the
/// site is readable and stable; the record and the capture date go to the source notes.
fn read_capture(file: &ArticleFile, stem: &str, c: warc::Capture) -> Result<Source, FileError> {
    let path = file.path.as_path();
    let fail = |why: String| FileError::new(path, format!("record {} ({}): {why}", c.record, c.url));
    if c.html.iter().all(u8::is_ascii_whitespace) {
        return Err(fail("the page is empty".into()));
    }
    let (html, charset) = html::decode_declared(&c.html, c.charset.as_deref());
    let page = html::extract_from(&html, Some(c.url.as_str()).filter(|u| !u.is_empty())).map_err(fail)?;
    let mut origin = vec![format!("web archive {}, record {}: {} captured on {} (the capture date, not the publication date)", file.rel, c.record, c.url, c.captured)];
    origin.extend(page.notes);
    if let Some(c) = charset {
        origin.push(format!("text {c}"));
    }
    let rel = format!("{stem}/{}.html", warc::page_name(&c.url));
    Ok(Source { path: path.to_path_buf(), rel, format: Format::Html, text: page.text, body_start: 0, meta: page.meta, meta_origin: Some(origin.join("; ")) })
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
    let format = match extension(path).as_deref() {
        Some("txt") => Format::Txt,
        Some("html" | "htm") => return read_page(file, &bytes),
        _ => Format::Md,
    };
    let text = decode(path, bytes)?;

    let (meta, body_start, mut meta_origin) = match format {
        Format::Md => front_matter::split(path, &text)?,
        Format::Txt | Format::Html => {
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

/// Reads a saved web page: the article text the extractor finds is the source's text; the page's
/// metadata fills what a sidecar `NAME.toml` does not give.
fn read_page(file: &ArticleFile, bytes: &[u8]) -> Result<Source, FileError> {
    let path = file.path.as_path();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(FileError::new(path, "file is empty"));
    }
    let (html, charset) = html::decode(bytes);
    let page = html::extract(&html).map_err(|why| FileError::new(path, why))?;
    let mut meta = page.meta;
    let mut origin = vec![format!("saved web page ({})", if page.notes.is_empty() { "no metadata found".to_string() } else { page.notes.join("; ") })];
    if let Some(c) = charset {
        origin.push(format!("text {c}"));
    }
    if let Some(side) = file.sidecar.as_deref() {
        let (s, o) = front_matter::sidecar(side)?;
        let keep = |a: Option<String>, b: Option<String>| a.or(b);
        meta = Meta {
            title: keep(s.title, meta.title),
            published: keep(s.published, meta.published),
            publisher: keep(s.publisher, meta.publisher),
            url: keep(s.url, meta.url),
            language: keep(s.language, meta.language),
            notes: keep(s.notes, meta.notes),
            authors: meta.authors,
        };
        origin.insert(0, format!("{o}, which wins over the page's own"));
    }
    Ok(Source { path: path.to_path_buf(), rel: file.rel.clone(), format: Format::Html, text: page.text, body_start: 0, meta, meta_origin: Some(origin.join("; ")) })
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
    // A NUL byte further in is binary data (a file glued to another, a damaged copy) and would
    // reach the pages: refused wherever it is, with its line.
    // (`contains` is a word-at-a-time memchr; the position is only looked for when it is there.)
    if let Some(at) = bytes.contains(&0).then(|| bytes.iter().position(|b| *b == 0)).flatten() {
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        return Err(FileError::new(path, format!("NUL byte at byte {at}: binary data in a text file (remove it)")).at_line(Some(line)));
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
