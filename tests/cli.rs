//! The commands a first-time user meets: `init`, `build` (and `--open` on a machine without a
//! desktop), `check`, and what a rebuild says it did.

mod common;
use common::*;
use std::path::Path;

/// `dossier ARGS` run in `dir` with no desktop and no browser setting.
fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    dossier().current_dir(dir).args(args).env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY").env_remove("BROWSER").output().expect("dossier runs")
}

#[test]
fn init_makes_an_archive_that_builds_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(tmp.path(), &["init", "news"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = tmp.path().join("news");
    for f in ["dossier.toml", "articles/harbour-reopens.txt", "articles/harbour-reopens.toml", "articles/entities.toml"] {
        assert!(dir.join(f).is_file(), "{f} written");
    }
    // The new archive builds as it is, from its own folder, and says where to open it.
    let o = run_in(&dir, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("open site/index.html in a browser"), "{}", stderr(&o));
    let page = std::fs::read_to_string(dir.join("site/articles/harbour-reopens.html")).unwrap();
    assert!(page.contains("Jane Holloway"), "the example article's page");

    // Each new archive has its own id, under which review mode keeps its corrections.
    let o = run_in(tmp.path(), &["init", "other"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let id = |d: &str| -> String {
        let t: toml::Table = toml::from_str(&std::fs::read_to_string(tmp.path().join(d).join("dossier.toml")).unwrap()).unwrap();
        t["archive_id"].as_str().expect("an archive_id").to_string()
    };
    assert_ne!(id("news"), id("other"));

    // A second init writes nothing over the archive.
    std::fs::write(dir.join("dossier.toml"), "title = \"Mine\"\n").unwrap();
    let o = run_in(tmp.path(), &["init", "news"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("exist already"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(dir.join("dossier.toml")).unwrap(), "title = \"Mine\"\n");
}

#[test]
fn build_open_without_a_desktop_succeeds_and_says_where_the_site_is() {
    let tmp = tempfile::tempdir().unwrap();
    copy_seeds(&tmp.path().join("seeds"));
    let o = run_in(tmp.path(), &["build", "--open"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("open site/index.html in a browser"), "{}", stderr(&o));
    assert!(tmp.path().join("site/index.html").is_file());
}

#[test]
fn check_reports_bad_files_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_seeds(&input);
    std::fs::write(input.join("broken.md"), "+++\ntitle = \n+++\nText.\n").unwrap();
    let o = run_in(tmp.path(), &["check", "--input", "in", "--output", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("broken.md"), "names the bad file: {}", stderr(&o));
    assert!(stderr(&o).contains("checked 5 articles"), "{}", stderr(&o));
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(left, ["in"], "no site, staging folder or cache written");
}

#[test]
fn a_rebuild_says_it_took_the_articles_from_the_last_build() {
    let tmp = tempfile::tempdir().unwrap();
    copy_seeds(&tmp.path().join("seeds"));
    let first = run_in(tmp.path(), &["build"]);
    assert!(stderr(&first).contains("5 annotated"), "{}", stderr(&first));
    let again = run_in(tmp.path(), &["build"]);
    assert!(again.status.success());
    assert!(stderr(&again).contains("0 annotated") && stderr(&again).contains("5 unchanged since the last build"), "{}", stderr(&again));
}

#[test]
fn help_lists_the_archive_commands_and_the_developer_ones_apart() {
    let o = run_in(Path::new("."), &["--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    let (main, dev) = help.split_once("Developer commands").expect("a developer section");
    for c in ["init", "build", "check", "serve", "annotate"] {
        assert!(main.contains(&format!("  {c} ")), "{c} listed: {help}");
    }
    for c in ["train", "eval", "bench-corpus"] {
        assert!(!main.contains(&format!("  {c} ")) && dev.contains(&format!("  {c} ")), "{c} only among developer commands: {help}");
    }
}
