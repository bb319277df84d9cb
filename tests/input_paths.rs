//! How the input folder's paths reach the site: only as paths relative to the input folder,
//! the same whichever way the folder was named, with each file's real name; and what the walk
//! cannot read or will not follow is reported per file, never the end of the build.

mod common;
use common::*;
use std::fs;
use std::path::Path;

const GOOD: &str = "A good headline here\nThis is the first paragraph of a fine article about Moscow.\n";
const OTHER: &str = "Talks in Geneva\n\nGENEVA, March 3. Foreign ministers of France and Germany met in Geneva on Friday.\n";

/// `TMP/in` with `good.txt` and the given files, and where its site goes, `TMP/site`.
fn archive_with(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("good.txt"), GOOD).unwrap();
    for (name, text) in files {
        let p = input.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    let out = tmp.path().join("site");
    (tmp, input, out)
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn relative_dot_and_absolute_input_give_the_same_site() {
    let (tmp, input, _) = archive_with(&[("sub/other.txt", OTHER), ("sub/other.toml", "published = \"2019-03-03\"\n")]);
    let root = tmp.path().canonicalize().unwrap();
    let absolute = root.join("in");
    let ways = [("in".to_string(), "s1"), ("./in".to_string(), "s2"), (absolute.to_string_lossy().into_owned(), "s3")];
    let mut sites = Vec::new();
    for (named, out) in &ways {
        let o = dossier().current_dir(&root).arg("build").args(["--input", named, "--output", out]).output().unwrap();
        assert!(o.status.success(), "--input {named}: {}", stderr(&o));
        sites.push(snapshot(&root.join(out)));
    }
    assert!(!sites[0].is_empty());
    for (i, site) in sites.iter().enumerate().skip(1) {
        let diff: Vec<&str> = site.iter().zip(&sites[0]).filter(|(a, b)| a != b).map(|(a, _)| a.0.as_str()).collect();
        assert!(diff.is_empty() && site.len() == sites[0].len(), "--input {} differs from --input in: {diff:?}", ways[i].0);
    }
    let needles = [absolute.to_string_lossy().into_owned(), input.to_string_lossy().into_owned(), root.to_string_lossy().into_owned()];
    for (named, out) in &ways {
        for (file, bytes) in snapshot(&root.join(out)) {
            for needle in &needles {
                assert!(!contains(&bytes, needle), "--input {named}: {out}/{file} contains the local path {needle}");
            }
        }
    }
    let site = root.join("s1");
    let sources: Vec<String> = archive(&site)["articles"].as_array().unwrap().iter().map(|a| a["source"].as_str().unwrap().to_string()).collect();
    assert_eq!(sources, ["good.txt", "sub/other.txt"], "archive.json names each file from the input folder");
    assert!(page(&site, "articles/sub-other.html").contains("<code>sub/other.txt</code>"), "the page shows the relative path");
}

#[test]
fn a_backslash_in_an_article_name_is_kept() {
    let (_tmp, input, out) = archive_with(&[("back\\slash.txt", OTHER)]);
    let o = build(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let arch = archive(&out);
    let a = arch["articles"].as_array().unwrap().iter().find(|a| a["title"] == "Talks in Geneva").expect("the article");
    assert_eq!(a["source"], "back\\slash.txt", "the file's real name, not a path through a folder 'back'");
    assert!(input.join(a["source"].as_str().unwrap()).is_file(), "the published path names the file");
    let html = page(&out, a["url"].as_str().unwrap());
    assert!(html.contains("<code>back\\slash.txt</code>"), "the page shows the real name");
}
