//! Bad input never stops the archive: each problem is reported with the file and the reason,
//! the other articles still build, and the exit code says something failed.

mod common;
use common::*;
use std::fs;

const GOOD: &str = "A good headline here\nThis is the first paragraph of a fine article about Moscow.\n";

fn archive_with(files: &[(&str, &[u8])]) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("good.txt"), GOOD).unwrap();
    for (name, bytes) in files {
        let p = input.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
    let out = tmp.path().join("site");
    (tmp, input, out)
}

/// Builds, expects exit code 1, an error naming `bad` with `reason`, and the good article built.
fn expect_failure(files: &[(&str, &[u8])], bad: &str, reason: &str) {
    let (_tmp, input, out) = archive_with(files);
    let o = build(&input, &out);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "exit code; stderr: {err}");
    let line = err.lines().find(|l| l.starts_with("error:") && l.contains(bad)).unwrap_or_else(|| panic!("no error naming {bad}: {err}"));
    assert!(line.contains(reason), "error line {line:?} does not say {reason:?}");
    assert!(out.join("articles/good.html").is_file(), "the good article must still build");
    assert!(err.lines().last().unwrap().contains("1 file(s) failed"), "summary line: {err}");
}

#[test]
fn invalid_utf8_is_reported_with_its_line() {
    expect_failure(&[("latin1.txt", b"Headline\nCaf\xe9 au lait in Paris.\n")], "latin1.txt:2", "invalid UTF-8");
}

#[test]
fn binary_file_is_reported() {
    expect_failure(&[("photo.txt", &[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0, 1, 2, 3])], "photo.txt", "binary file");
}

#[test]
fn empty_file_is_reported() {
    expect_failure(&[("empty.txt", b"  \n\n")], "empty.txt", "empty");
}

#[test]
fn broken_toml_front_matter_is_reported_with_its_line() {
    expect_failure(&[("broken.md", b"+++\ntitle = \"ok\"\npublished = = 2017\n+++\nText.\n")], "broken.md:3", "broken TOML");
}

#[test]
fn broken_yaml_front_matter_is_reported() {
    expect_failure(&[("broken.md", b"---\ntitle: [unclosed\n---\nText.\n")], "broken.md", "broken YAML");
}

#[test]
fn unclosed_front_matter_is_reported() {
    expect_failure(&[("open.md", b"---\ntitle: x\nText without a closing fence.\n")], "open.md", "never closed");
}

#[test]
fn impossible_published_date_is_reported() {
    expect_failure(&[("a.txt", b"Headline words here\nBody text here.\n"), ("a.toml", b"published = \"2017-02-30\"\n")], "a.toml", "no day 30");
}

#[test]
fn a_50_mb_file_is_refused_with_its_size() {
    let big = "All work and no play makes a long article. ".repeat(50 * 1024 * 1024 / 44 + 1);
    expect_failure(&[("huge.txt", big.as_bytes())], "huge.txt", "larger than the 16 MB limit");
}

#[test]
fn script_and_html_in_text_are_escaped() {
    let hostile = "Headline with <b>bold</b> claims\n<script>alert('x')</script> said the <img src=x onerror=alert(1)> man in Paris.\n";
    let md = "+++\ntitle = \"<script>alert(2)</script>\"\n+++\nInline <script>alert(3)</script> and <iframe src=\"http://evil\"></iframe> here.\n";
    let (_tmp, input, out) = archive_with(&[("hostile.txt", hostile.as_bytes()), ("hostile-md.md", md.as_bytes())]);
    let o = build(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    for page in ["articles/hostile.html", "articles/hostile-md.html", "index.html", "articles/index.html"] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        for bad in ["<script>alert", "<img src=x", "<iframe src=\"http://evil", "<b>bold"] {
            assert!(!html.contains(bad), "{page} contains raw {bad:?}");
        }
    }
    let html = fs::read_to_string(out.join("articles/hostile.html")).unwrap();
    assert!(html.contains("&lt;script&gt;alert("), "the text is shown escaped, not dropped");
}

#[test]
fn same_titles_get_distinct_stable_urls() {
    let (_tmp, input, out) = archive_with(&[("a/story.txt", GOOD.as_bytes()), ("b/story.txt", GOOD.as_bytes()), ("story.md", GOOD.as_bytes())]);
    let o = build(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = archive(&out);
    let urls: Vec<String> = first["articles"].as_array().unwrap().iter().map(|a| a["url"].as_str().unwrap().to_string()).collect();
    let mut unique = urls.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), urls.len(), "urls clash: {urls:?}");
    for u in &urls {
        assert!(out.join(u).is_file(), "{u} missing");
    }
    let o = build(&input, &out);
    assert!(o.status.success());
    let again: Vec<String> = archive(&out)["articles"].as_array().unwrap().iter().map(|a| a["url"].as_str().unwrap().to_string()).collect();
    assert_eq!(urls, again, "urls are stable across builds");
}

#[test]
fn odd_file_names_build() {
    let (_tmp, input, out) = archive_with(&[("with spaces & stuff.txt", GOOD.as_bytes()), ("Zürich – résumé.txt", GOOD.as_bytes()), ("日本.txt", GOOD.as_bytes())]);
    let o = build(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let a = archive(&out);
    let urls: Vec<&str> = a["articles"].as_array().unwrap().iter().map(|a| a["url"].as_str().unwrap()).collect();
    assert!(urls.contains(&"articles/with-spaces-stuff.html"), "{urls:?}");
    assert!(urls.contains(&"articles/zurich-resume.html"), "{urls:?}");
    for u in urls {
        assert!(out.join(u).is_file(), "{u}");
    }
}

#[test]
fn missing_input_folder_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let o = build(&tmp.path().join("nope"), &tmp.path().join("site"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope: input folder does not exist"), "{}", stderr(&o));
    assert!(!tmp.path().join("site").exists());
}

#[test]
fn output_folder_with_other_files_is_refused_and_left_alone() {
    let (_tmp, input, out) = archive_with(&[]);
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("thesis.docx"), b"precious").unwrap();
    let o = build(&input, &out);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("refusing to replace it"), "{}", stderr(&o));
    assert_eq!(fs::read(out.join("thesis.docx")).unwrap(), b"precious");
    // A previous Dossier output is replaced without complaint.
    fs::remove_file(out.join("thesis.docx")).unwrap();
    assert!(build(&input, &out).status.success());
    assert!(build(&input, &out).status.success());
}

#[test]
fn output_that_contains_the_input_is_refused() {
    let (tmp, _input, _out) = archive_with(&[]);
    let o = build(&tmp.path().join("in"), tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(tmp.path().join("in/good.txt").is_file());
}

#[test]
fn a_failed_build_leaves_the_previous_site_intact() {
    let (_tmp, input, out) = archive_with(&[]);
    assert!(build(&input, &out).status.success());
    let before = snapshot(&out);
    // A broken template override makes rendering fail after reading and annotating.
    fs::create_dir_all(input.join("templates")).unwrap();
    fs::write(input.join("templates/article.html"), "{% extends \"base.html\" %}{% block content %}{{ article.title | no_such_filter }}{% endblock %}").unwrap();
    fs::write(input.join("second.txt"), GOOD).unwrap();
    let o = build(&input, &out);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no_such_filter"), "the error names the problem: {}", stderr(&o));
    assert_eq!(before, snapshot(&out), "the previous site is untouched");
}

#[test]
fn a_nul_byte_past_the_first_8_kb_is_reported_with_its_line() {
    let mut text = String::from("A long headline here\n");
    while text.len() < 9000 {
        text.push_str("A plain sentence about the talks in Geneva that goes on for a while.\n");
    }
    let line = text.lines().count() + 1;
    text.push_str("Then a stray \0 byte in the text.\n");
    expect_failure(&[("late-nul.txt", text.as_bytes())], &format!("late-nul.txt:{line}"), "NUL byte");
}

/// Builds `good.txt` with `dossier.toml` holding `settings`; returns the output and whether a site was made.
fn build_with_settings(settings: &str) -> (std::process::Output, bool) {
    let (tmp, input, out) = archive_with(&[]);
    let config = tmp.path().join("dossier.toml");
    fs::write(&config, settings).unwrap();
    let o = dossier().arg("build").arg("--config").arg(&config).arg("--input").arg(&input).arg("--output").arg(&out).output().unwrap();
    (o, out.exists())
}

#[test]
fn a_huge_max_file_mb_is_refused_not_wrapped_to_zero() {
    // 2^44 MB is 2^64 bytes: multiplied out in a u64, the limit became 0 and every file too large.
    for value in ["17592186044416", "18446744073709551615", "100000", "0"] {
        let (o, built) = build_with_settings(&format!("max_file_mb = {value}\n"));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "max_file_mb = {value}: {err}");
        assert!(err.contains("dossier.toml") && err.contains(&format!("max_file_mb = {value}")), "the message names the file and the key: {err}");
        assert!(!built, "nothing is built");
    }
    let (o, _) = build_with_settings("max_file_mb = 64\n");
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_base_url_with_a_query_or_fragment_is_refused() {
    for url in ["https://example.org/archive?lang=en", "https://example.org/archive#top", "https://example.org/?"] {
        let (o, built) = build_with_settings(&format!("base_url = \"{url}\"\n"));
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "base_url = {url}: {err}");
        assert!(err.contains("dossier.toml") && err.contains("base_url") && err.contains(url), "the message names the file, key and value: {err}");
        assert!(!built, "nothing is built");
    }
    let (o, _) = build_with_settings("base_url = \"https://example.org/archive/\"\n");
    assert!(o.status.success(), "{}", stderr(&o));
}
