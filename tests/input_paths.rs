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

#[test]
fn a_symlinked_article_is_skipped_with_a_message() {
    let (tmp, input, out) = archive_with(&[]);
    fs::write(tmp.path().join("outside.txt"), OTHER).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("outside.txt"), input.join("linked.txt")).unwrap();
    let o = build(&input, &out);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.lines().any(|l| l.starts_with("skipped") && l.contains("linked.txt: a symbolic link (not followed)")), "{err}");
    assert_eq!(archive(&out)["articles"].as_array().unwrap().len(), 1, "the link is not read");
}

/// Makes `levels` nested folders of 200-character names under `dir`, each made and opened
/// from the one above (the full path is longer than the system lets one path be).
fn nest(dir: &Path, levels: usize) {
    use rustix::fs::{mkdirat, openat, Mode, OFlags};
    let name = "d".repeat(200);
    let mut fd: std::os::fd::OwnedFd = fs::File::open(dir).unwrap().into();
    for _ in 0..levels {
        mkdirat(&fd, name.as_str(), Mode::from_raw_mode(0o755)).unwrap();
        fd = openat(&fd, name.as_str(), OFlags::DIRECTORY | OFlags::RDONLY, Mode::empty()).unwrap();
    }
    let art = openat(&fd, "deep.txt", OFlags::CREATE | OFlags::WRONLY, Mode::from_raw_mode(0o644)).unwrap();
    std::io::Write::write_all(&mut fs::File::from(art), GOOD.as_bytes()).unwrap();
}

#[test]
fn a_folder_nested_past_the_path_limit_is_one_file_error() {
    let (_tmp, input, out) = archive_with(&[("z.txt", OTHER)]);
    fs::create_dir(input.join("deep")).unwrap();
    nest(&input.join("deep"), 25);
    let o = build(&input, &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "exit code; stderr: {}", &err[..err.len().min(3000)]);
    let line = err.lines().find(|l| l.starts_with("error:") && l.contains("/deep/ddd")).expect("an error naming the deep folder");
    assert!(line.to_lowercase().contains("too long"), "the reason: {}", &line[line.len().saturating_sub(300)..]);
    assert!(out.join("articles/good.html").is_file() && out.join("articles/z.html").is_file(), "the other articles still build");
}

#[test]
fn static_file_names_that_are_not_url_paths_are_file_errors() {
    let (_tmp, input, out) = archive_with(&[("static/..\\evil.css", "body{}"), ("static/a\\b.css", "p{}"), ("static/tab\there.css", "p{}"), ("static/house.css", "h1{}")]);
    let o = build(&input, &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "a bad name fails that file, not the build: {err}");
    for bad in ["..\\evil.css", "a\\b.css", "tab\there.css"] {
        assert!(err.lines().any(|l| l.starts_with("error:") && l.contains(&format!("static/{bad}: "))), "no error naming {bad:?}: {err}");
    }
    assert!(err.contains("3 file(s) failed"), "{err}");
    assert!(out.join("articles/good.html").is_file());
    assert_eq!(fs::read_to_string(out.join("static/house.css")).unwrap(), "h1{}", "good static files are copied");
    let names: Vec<String> = snapshot(&out).into_iter().map(|(n, _)| n).collect();
    for n in &names {
        assert!(!n.contains("evil") && !n.contains("b.css") && !n.contains("here.css"), "{n} written");
    }
    assert!(!out.join("static/a").exists() && !out.join("evil.css").exists());
}

#[test]
fn symbolic_links_in_and_as_static_are_not_followed() {
    // A link inside `static/`.
    let (tmp, input, out) = archive_with(&[("static/house.css", "h1{}")]);
    fs::write(tmp.path().join("secret.css"), "secret{}").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("secret.css"), input.join("static/linked.css")).unwrap();
    let o = build(&input, &out);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.lines().any(|l| l.starts_with("skipped") && l.contains("static/linked.css: a symbolic link (not followed)")), "{err}");
    assert!(out.join("static/house.css").is_file() && !out.join("static/linked.css").exists());

    // `static/` itself a link: the same rule, the built-in files only.
    let (tmp, input, out) = archive_with(&[]);
    fs::create_dir(tmp.path().join("look")).unwrap();
    fs::write(tmp.path().join("look/house.css"), "h1{}").unwrap();
    std::os::unix::fs::symlink(tmp.path().join("look"), input.join("static")).unwrap();
    let o = build(&input, &out);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.lines().any(|l| l.starts_with("skipped") && l.ends_with("in/static: a symbolic link (not followed)")), "{err}");
    assert!(!out.join("static/house.css").exists(), "a linked static folder is not read");
    assert!(out.join("static/style.css").is_file() || fs::read_dir(out.join("static")).unwrap().count() > 0, "built-in static files");
}

#[test]
fn an_article_name_that_is_not_utf8_is_a_file_error_not_another_name() {
    use std::os::unix::ffi::OsStrExt;
    let (_tmp, input, out) = archive_with(&[]);
    fs::write(input.join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt")), OTHER).unwrap();
    let o = build(&input, &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.lines().any(|l| l.starts_with("error:") && l.contains(".txt: file name is not valid UTF-8")), "{err}");
    let sources: Vec<String> = archive(&out)["articles"].as_array().unwrap().iter().map(|a| a["source"].as_str().unwrap().to_string()).collect();
    assert_eq!(sources, ["good.txt"], "no article under a name the file does not have");
}
