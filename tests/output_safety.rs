//! Nothing lost, nobody let in (issue 27): two builds of one output at once do not corrupt it;
//! files the publisher put into the site (CNAME, .git/, notes) survive every kind of build; a
//! folder of the site replaced by a link to elsewhere is never written through.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};

struct Archive {
    _tmp: tempfile::TempDir,
    input: PathBuf,
    out: PathBuf,
    root: PathBuf,
}

/// A synthetic archive of `n` articles in `TMP/in` (not built yet).
fn archive(n: usize) -> Archive {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let input = root.join("in");
    let o = dossier().args(["bench-corpus", "--quiet", "--articles", &n.to_string(), "--out"]).arg(&input).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    Archive { _tmp: tmp, out: root.join("site"), input, root }
}

impl Archive {
    fn build(&self) -> std::process::Output {
        build(&self.input, &self.out)
    }

    fn build_ok(&self, what: &str) -> String {
        let o = self.build();
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        stderr(&o)
    }

    /// A clean build of the same input into another folder.
    fn clean(&self, name: &str) -> PathBuf {
        let clean = self.root.join(name);
        let o = build(&self.input, &clean);
        assert!(o.status.success(), "{}", stderr(&o));
        clean
    }

    fn first_article(&self) -> PathBuf {
        let mut txt: Vec<PathBuf> = walkdir::WalkDir::new(&self.input).into_iter().flatten().map(|e| e.into_path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
        txt.sort();
        txt.remove(0)
    }

    fn edit(&self, text: &str) {
        let art = self.first_article();
        let mut s = fs::read_to_string(&art).unwrap();
        s.push_str(text);
        fs::write(&art, s).unwrap();
    }

    fn remove_cache(&self) {
        fs::remove_dir_all(self.root.join(".site.dossier-cache")).unwrap();
    }
}

/// Relative paths of every file under `dir`.
fn names(dir: &Path) -> Vec<String> {
    snapshot(dir).into_iter().map(|f| f.0).collect()
}

/// Two builds of one archive into one output started together: the second waits for the
/// first, both succeed, and the site is whole (the file list of a clean build), first into a
/// new folder and then again over the existing site without its cache (two full builds).
#[test]
fn two_builds_of_one_output_at_once_both_succeed_and_leave_a_whole_site() {
    let a = archive(300);
    for round in ["new output", "existing site, no cache"] {
        let spawn = || dossier().arg("build").arg("--input").arg(&a.input).arg("--output").arg(&a.out).stderr(std::process::Stdio::piped()).spawn().unwrap();
        let (one, two) = (spawn(), spawn());
        for child in [one, two] {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "{round}: {}", stderr(&o));
        }
        let clean = a.clean(&format!("clean-{}", round.replace(' ', "-").replace(',', "")));
        assert_eq!(names(&a.out), names(&clean), "{round}: the site is whole");
        for leftover in ["dossier-new", "dossier-old"] {
            assert!(!a.root.join(format!(".site.{leftover}")).exists(), "{round}: no {leftover} left");
        }
        a.remove_cache();
    }
}

/// The publisher's files at the top of the site.
fn add_foreign(site: &Path) {
    fs::write(site.join("CNAME"), "news.example.org\n").unwrap();
    fs::write(site.join("notes.txt"), "my notes\n").unwrap();
    fs::create_dir_all(site.join(".git/refs")).unwrap();
    fs::write(site.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    fs::write(site.join(".nojekyll"), "").unwrap();
}

fn assert_foreign(site: &Path, what: &str) {
    assert_eq!(fs::read_to_string(site.join("CNAME")).ok().as_deref(), Some("news.example.org\n"), "{what}: CNAME kept");
    assert_eq!(fs::read_to_string(site.join("notes.txt")).ok().as_deref(), Some("my notes\n"), "{what}: notes.txt kept");
    assert_eq!(fs::read_to_string(site.join(".git/HEAD")).ok().as_deref(), Some("ref: refs/heads/gh-pages\n"), "{what}: .git/ kept");
    assert!(site.join(".git/refs").is_dir(), "{what}: .git/refs kept");
    assert!(site.join(".nojekyll").is_file(), "{what}: .nojekyll kept");
}

/// The site is the clean build's plus the publisher's files.
fn assert_clean_plus_foreign(a: &Archive, what: &str) {
    assert_foreign(&a.out, what);
    let clean = a.clean(&format!("clean-{}", what.replace(' ', "-")));
    let mut expected = names(&clean);
    expected.extend([".git/HEAD", ".nojekyll", "CNAME", "notes.txt"].map(String::from));
    expected.sort();
    assert_eq!(names(&a.out), expected, "{what}: Dossier's pages are the clean build's");
}

/// Runs a build that aborts (as a kill would) at the Nth pass of a fault point.
fn build_killed(a: &Archive, fault: &str) {
    let o = dossier().arg("build").arg("--input").arg(&a.input).arg("--output").arg(&a.out).env("DOSSIER_FAULT", fault).output().unwrap();
    assert!(!o.status.success() && stderr(&o).contains("DOSSIER_FAULT"), "{fault}: the build was meant to stop: {}", stderr(&o));
}

#[test]
fn the_publishers_files_in_the_site_survive_every_kind_of_build() {
    let a = archive(40);
    a.build_ok("first build");
    add_foreign(&a.out);

    // Incremental: an edit, committed page by page.
    a.edit("\nThe statement was read by Margarethe Vandersloot in Groningen on Tuesday.\n");
    a.build_ok("edit");
    assert_clean_plus_foreign(&a, "edit");

    // Full: the cache removed, the new site swapped in for the old one. The build says what it kept.
    a.remove_cache();
    a.edit("\nA late paragraph about Rotterdam.\n");
    let err = a.build_ok("full build");
    assert!(err.contains("kept") && err.contains("CNAME") && err.contains(".git") && err.contains("notes.txt"), "the kept files are named: {err}");
    assert_clean_plus_foreign(&a, "full build");

    // Full after a commit killed half-way: the next build finishes it, then builds afresh.
    a.edit("\nAnother paragraph about the Red Cross.\n");
    build_killed(&a, "commit:2");
    a.build_ok("after a killed commit");
    assert_clean_plus_foreign(&a, "after a killed commit");

    // Killed between the two renames of a full build's swap: the next build puts the new site
    // in place and still carries the publisher's files over from the old one.
    a.remove_cache();
    a.edit("\nA third paragraph.\n");
    build_killed(&a, "swap:1");
    assert!(a.root.join(".site.dossier-old").exists(), "killed with the old site set aside");
    a.build_ok("after a killed swap");
    assert_clean_plus_foreign(&a, "after a killed swap");
}

#[cfg(unix)]
#[test]
fn a_folder_of_the_site_linked_elsewhere_is_not_written_through() {
    let a = archive(40);
    a.build_ok("first build");
    // The site's articles/ replaced by a link to a folder outside the site.
    let outside = a.root.join("elsewhere");
    fs::create_dir_all(&outside).unwrap();
    fs::rename(a.out.join("articles"), outside.join("articles")).unwrap();
    std::os::unix::fs::symlink(outside.join("articles"), a.out.join("articles")).unwrap();
    let (site_before, outside_before) = (snapshot(&a.out), snapshot(&outside));

    a.edit("\nA late paragraph about Rotterdam.\n");
    let o = a.build();
    assert!(!o.status.success(), "the build is refused");
    let err = stderr(&o);
    assert!(err.contains("articles") && err.contains("link"), "the message names the linked folder: {err}");
    assert!(snapshot(&outside) == outside_before, "nothing written or deleted outside the site");
    assert!(snapshot(&a.out) == site_before, "the previous site is intact");
    assert!(fs::symlink_metadata(a.out.join("articles")).unwrap().file_type().is_symlink());

    // Put right, the next build gives the clean site.
    fs::remove_file(a.out.join("articles")).unwrap();
    fs::rename(outside.join("articles"), a.out.join("articles")).unwrap();
    a.build_ok("after the link was removed");
    let clean = a.clean("clean-after-link");
    assert!(snapshot(&a.out) == snapshot(&clean), "the clean site");
}

/// A page that would land where the publisher keeps a file of their own (`feed.xml`, once a
/// base URL makes Dossier write feeds) is refused, in an edit build and in a full one, with the
/// site left as it was; moved away, the build goes through.
#[test]
fn a_page_where_the_publisher_has_a_file_is_refused_not_written_over() {
    let a = archive(40);
    let config = a.root.join("dossier.toml");
    fs::write(&config, "input = \"in\"\noutput = \"site\"\n").unwrap();
    let build_with = || dossier().arg("build").arg("--config").arg(&config).output().unwrap();
    let o = build_with();
    assert!(o.status.success(), "{}", stderr(&o));
    fs::write(a.out.join("feed.xml"), "my own feed\n").unwrap();
    let before = snapshot(&a.out);
    fs::write(&config, "input = \"in\"\noutput = \"site\"\nbase_url = \"https://news.example.org/\"\n").unwrap();
    for what in ["edit build", "full build"] {
        if what == "full build" {
            a.remove_cache();
        }
        let o = build_with();
        assert!(!o.status.success(), "{what}: refused");
        assert!(stderr(&o).contains("feed.xml") && stderr(&o).contains("not Dossier's"), "{what}: {}", stderr(&o));
        assert!(snapshot(&a.out) == before, "{what}: the site is left as it was");
    }
    fs::rename(a.out.join("feed.xml"), a.root.join("my-feed.xml")).unwrap();
    let o = build_with();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(fs::read_to_string(a.out.join("feed.xml")).unwrap().contains("<feed"));

    // Dossier's feed.xml is its own from then on: gone with the base URL, and made again by a
    // build killed while committing, whose next build finishes the commit and builds afresh.
    let plain = "input = \"in\"\noutput = \"site\"\n";
    fs::write(&config, plain).unwrap();
    assert!(build_with().status.success());
    assert!(!a.out.join("feed.xml").exists());
    fs::write(&config, format!("{plain}base_url = \"https://news.example.org/\"\n")).unwrap();
    let o = dossier().arg("build").arg("--config").arg(&config).env("DOSSIER_FAULT", "commit:1").output().unwrap();
    assert!(!o.status.success() && stderr(&o).contains("DOSSIER_FAULT"), "{}", stderr(&o));
    let o = build_with();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(fs::read_to_string(a.out.join("feed.xml")).unwrap().contains("<feed"));
}
