//! Front matter (`+++` TOML or `---` YAML at the top of a Markdown file) and `.toml` sidecars
//! beside plain-text files. Both give the same [`Meta`] keys.

use std::path::Path;

use crate::error::{line_of, FileError};
use crate::model::Meta;

const KEYS: [&str; 6] = ["title", "published", "publisher", "url", "language", "notes"];

/// Splits a Markdown file into its metadata and the byte offset where the body starts.
pub fn split(path: &Path, text: &str) -> Result<(Meta, usize, Option<String>), FileError> {
    let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let rest = &text[bom..];
    let fence = if rest.starts_with("+++") {
        "+++"
    } else if rest.starts_with("---") {
        "---"
    } else {
        return Ok((Meta::default(), bom, None));
    };
    let first_nl = match rest.find('\n') {
        Some(i) if rest[..i].trim_end() == fence => i + 1,
        // "---" followed by text on the same line is a Markdown rule or dash, not front matter.
        _ => return Ok((Meta::default(), bom, None)),
    };
    // Find the closing fence on a line of its own.
    let mut pos = first_nl;
    let close = loop {
        let line_end = rest[pos..].find('\n').map_or(rest.len(), |i| pos + i);
        if rest[pos..line_end].trim_end() == fence {
            break Some((pos, (line_end + 1).min(rest.len())));
        }
        if line_end >= rest.len() {
            break None;
        }
        pos = line_end + 1;
    };
    let Some((close_start, body)) = close else {
        return Err(FileError::new(path, format!("front matter opened with {fence} on line 1 is never closed")).at_line(Some(1)));
    };
    let raw = &rest[first_nl..close_start];
    let offset_line = line_of(text, bom + first_nl) - 1;
    let (meta, ignored) = if fence == "+++" {
        parse_toml(path, raw, offset_line)?
    } else {
        parse_yaml(path, raw, offset_line)?
    };
    let mut origin = "front matter".to_string();
    if !ignored.is_empty() {
        origin.push_str(&format!(" (keys ignored: {})", ignored.join(", ")));
    }
    Ok((meta, bom + body, Some(origin)))
}

/// Reads the sidecar `side` (`NAME.toml` beside `NAME.txt`).
pub fn sidecar(side: &Path) -> Result<(Meta, String), FileError> {
    let raw = std::fs::read_to_string(side).map_err(|e| FileError::new(side, format!("cannot read the sidecar: {e}")))?;
    let (meta, ignored) = parse_toml(side, &raw, 0)?;
    let name = side.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut origin = format!("sidecar {name}");
    if !ignored.is_empty() {
        origin.push_str(&format!(" (keys ignored: {})", ignored.join(", ")));
    }
    Ok((meta, origin))
}

/// A TOML error as "line N: message" (the toml crate's own text is multi-line).
pub fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let line = e.span().map(|s| line_of(text, s.start));
    let msg = e.message().trim().to_string();
    match line {
        Some(l) => format!("line {l}: {msg}"),
        None => msg,
    }
}

fn parse_toml(path: &Path, raw: &str, line_offset: usize) -> Result<(Meta, Vec<String>), FileError> {
    let table: toml::Table = raw.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map(|s| line_of(raw, s.start) + line_offset);
        FileError::new(path, format!("broken TOML metadata: {}", e.message().trim())).at_line(line)
    })?;
    let mut pairs = Vec::new();
    for (key, value) in table {
        let line = raw.find(&key).map(|i| line_of(raw, i) + line_offset);
        let text = match value {
            toml::Value::String(s) => Some(s),
            toml::Value::Datetime(d) => Some(d.to_string()),
            toml::Value::Integer(i) => Some(i.to_string()),
            other => {
                if KEYS.contains(&key.as_str()) {
                    return Err(FileError::new(path, format!("`{key}` must be text, not {}", other.type_str())).at_line(line));
                }
                None
            }
        };
        pairs.push((key, text, line));
    }
    build(path, pairs)
}

fn parse_yaml(path: &Path, raw: &str, line_offset: usize) -> Result<(Meta, Vec<String>), FileError> {
    if raw.trim().is_empty() {
        return Ok((Meta::default(), Vec::new()));
    }
    let value: serde_yaml::Value = serde_yaml::from_str(raw).map_err(|e| {
        let line = e.location().map(|l| l.line() + line_offset);
        FileError::new(path, format!("broken YAML front matter: {e}")).at_line(line)
    })?;
    let serde_yaml::Value::Mapping(map) = value else {
        return Err(FileError::new(path, "YAML front matter must be a mapping of keys to values").at_line(Some(line_offset + 1)));
    };
    let mut pairs = Vec::new();
    for (k, v) in map {
        let key = match k {
            serde_yaml::Value::String(s) => s,
            other => format!("{other:?}"),
        };
        let line = raw.find(&key).map(|i| line_of(raw, i) + line_offset);
        let text = match v {
            serde_yaml::Value::String(s) => Some(s),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            serde_yaml::Value::Null => None,
            _ if KEYS.contains(&key.as_str()) => {
                return Err(FileError::new(path, format!("`{key}` must be text")).at_line(line));
            }
            _ => None,
        };
        pairs.push((key, text, line));
    }
    build(path, pairs)
}

fn build(path: &Path, pairs: Vec<(String, Option<String>, Option<usize>)>) -> Result<(Meta, Vec<String>), FileError> {
    let mut meta = Meta::default();
    let mut ignored = Vec::new();
    for (key, value, line) in pairs {
        let value = value.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        match key.as_str() {
            "title" => meta.title = value,
            "published" => {
                if let Some(v) = &value {
                    super::check_published(v).map_err(|m| FileError::new(path, m).at_line(line))?;
                }
                meta.published = value;
            }
            "publisher" => meta.publisher = value,
            "url" => meta.url = value,
            "language" => meta.language = value,
            "notes" => meta.notes = value,
            _ => ignored.push(key),
        }
    }
    ignored.sort();
    Ok((meta, ignored))
}
