//! Helpers shared by the integration tests: run the real `dossier` binary on temporary folders.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn dossier() -> Command {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
}

pub fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `dossier build --input IN --output OUT` and returns its output.
pub fn build(input: &Path, output: &Path) -> Output {
    dossier().arg("build").arg("--input").arg(input).arg("--output").arg(output).output().expect("dossier runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Copies the seed articles (and their sidecars) into `dir`.
pub fn copy_seeds(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for e in std::fs::read_dir(project().join("seeds")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
}

/// The seed articles copied to `TMP/seeds` and built to `TMP/site`; the build must succeed.
/// Keep the temporary folder alive while the site is read.
pub fn seed_site() -> (tempfile::TempDir, PathBuf) {
    seed_site_exporting(&[])
}

/// `seed_site`, built with these `--export`s (`annotations`).
pub fn seed_site_exporting(exports: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("seeds");
    copy_seeds(&input);
    let out = tmp.path().join("site");
    let mut cmd = dossier();
    cmd.arg("build").arg("--input").arg(&input).arg("--output").arg(&out);
    for e in exports {
        cmd.arg("--export").arg(e);
    }
    let o = cmd.output().expect("dossier runs");
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, out)
}

/// All files under `dir` with their bytes, sorted by relative path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            out.push((rel, std::fs::read(e.path()).unwrap()));
        }
    }
    out
}

pub fn archive(site: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(site.join("data/archive.json")).unwrap()).unwrap()
}

/// The rows of `data/NAME.csv`, or when the table is in parts (`data/archive/NAME-NNNN.csv`)
/// the rows of its parts in order; checks that the table is one or the other, and that each
/// part starts with the table's header. Rows are told apart by CRLF, which is how they end
/// (a line break inside a field is a bare LF).
pub fn table_rows(site: &Path, name: &str) -> (String, Vec<String>) {
    let whole = site.join(format!("data/{name}.csv"));
    let mut parts: Vec<PathBuf> = std::fs::read_dir(site.join("data/archive")).map(|d| d.flatten().map(|e| e.path()).filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("{name}-")) && p.extension().is_some_and(|e| e == "csv")).collect()).unwrap_or_default();
    parts.sort();
    let files = if parts.is_empty() { vec![whole] } else {
        assert!(!whole.exists(), "{name}.csv is whole or in parts, not both");
        parts
    };
    let mut header = None;
    let mut rows = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let mut lines = text.split_terminator("\r\n").map(str::to_string);
        let head = lines.next().unwrap();
        assert_eq!(header.get_or_insert_with(|| head.clone()), &head, "{}: the table's header", f.display());
        rows.extend(lines);
    }
    (header.unwrap(), rows)
}

/// Whether the table `data/NAME.csv` of a site is in parts.
pub fn table_in_parts(site: &Path, name: &str) -> bool {
    !site.join(format!("data/{name}.csv")).exists() && site.join(format!("data/archive/{name}-0000.csv")).exists()
}

/// `data/archive.json` of a site whose archive is in parts, read with its parts as one archive
/// (`{"articles": [...], "entities": [...]}`, as a whole archive.json); checks that each part
/// of articles holds `per_part`, the last at most that, and that the counts are right.
pub fn archive_from_parts(site: &Path, per_part: usize) -> serde_json::Value {
    let list = archive(site);
    assert!(list.get("articles").is_none(), "archive.json lists parts, not articles: {list}");
    let mut whole = serde_json::Map::new();
    for key in ["articles", "entities"] {
        let paths = list["parts"][key].as_array().unwrap_or_else(|| panic!("archive.json lists the parts of the {key}"));
        let mut items = Vec::new();
        for (k, p) in paths.iter().enumerate() {
            let part: serde_json::Value = serde_json::from_slice(&std::fs::read(site.join("data").join(p.as_str().unwrap())).unwrap()).unwrap();
            let part = part[key].as_array().unwrap_or_else(|| panic!("{p}: lists {key}"));
            assert!(!part.is_empty(), "{p}: no empty part");
            if key == "articles" {
                assert!(part.len() == per_part || (k + 1 == paths.len() && part.len() < per_part), "{p}: {} articles", part.len());
            }
            items.extend(part.iter().cloned());
        }
        assert_eq!(list["counts"][key].as_u64(), Some(items.len() as u64), "the count of the {key}");
        whole.insert(key.to_string(), serde_json::Value::Array(items));
    }
    serde_json::Value::Object(whole)
}

/// The lines of the annotation shards (`data/annotations/NNNN.jsonl`) in shard order, each with
/// its shard's site path; checks that every shard ends in a line break and holds at most 100
/// lines, all but the last exactly 100.
pub fn annotation_lines(site: &Path) -> Vec<(String, serde_json::Value)> {
    let dir = site.join("data/annotations");
    let mut names: Vec<String> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let mut lines = Vec::new();
    for (k, n) in names.iter().enumerate() {
        assert_eq!(n, &format!("{k:04}.jsonl"), "shards are numbered from 0000");
        let text = std::fs::read_to_string(dir.join(n)).unwrap();
        assert!(text.ends_with('\n'), "{n}: ends with a line break");
        let count = text.lines().count();
        assert!(count == 100 || (k + 1 == names.len() && (1..=100).contains(&count)), "{n}: {count} lines");
        for l in text.lines() {
            lines.push((format!("data/annotations/{n}"), serde_json::from_str(l).unwrap_or_else(|e| panic!("{n}: {e}: {l}"))));
        }
    }
    lines
}

/// A page of a built site as text; a missing page fails the test with its path.
pub fn page(site: &Path, path: &str) -> String {
    std::fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text between `start` and the next `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    Some(&html[from..from + html[from..].find(end)?])
}
