//! Incremental builds (issue 6): after every kind of change, a build that reuses the cache and
//! the previous site gives byte for byte the site a clean build gives; it really reuses (only
//! the changed pages are written); and a build killed at any point leaves the previous site
//! as it was, with the next build correct.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

struct Archive {
    _tmp: tempfile::TempDir,
    input: PathBuf,
    out: PathBuf,
    root: PathBuf,
    /// `DOSSIER_WHOLE_FILE_LIMIT` for the builds, when set: past it archive.json is in parts.
    limit: std::cell::Cell<Option<u64>>,
}

/// The seeds plus a small synthetic archive (sidecars, Markdown with front matter, furniture).
fn archive() -> Archive {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let input = root.join("in");
    copy_seeds(&input);
    let o = dossier().args(["bench-corpus", "--quiet", "--articles", "40", "--out"]).arg(input.join("bench")).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = root.join("site");
    let a = Archive { _tmp: tmp, input, out, root, limit: Default::default() };
    let o = a.build(&a.input, &a.out);
    assert!(o.status.success(), "{}", stderr(&o));
    a
}

/// (written, unchanged) from the build's summary line.
fn counts(o: &Output) -> (usize, usize) {
    let err = stderr(o);
    let line = err.lines().find(|l| l.starts_with("wrote ")).unwrap_or_else(|| panic!("no summary line: {err}"));
    let num = |s: &str| s.trim_start_matches(|c: char| !c.is_ascii_digit()).split(|c: char| !c.is_ascii_digit()).next().unwrap().parse::<usize>().unwrap();
    let written = num(line);
    let unchanged = num(line.split_once('(').unwrap().1);
    (written, unchanged)
}

impl Archive {
    /// Builds incrementally, then from nothing into another folder, and compares the two.
    /// Returns the incremental build's (written, unchanged) counts.
    fn rebuild_matches_clean(&self, what: &str) -> (usize, usize) {
        let o = self.build(&self.input, &self.out);
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        let c = counts(&o);
        let clean = self.root.join(format!("clean-{}", what.replace(' ', "-")));
        let o = self.build(&self.input, &clean);
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        let (inc, fresh) = (snapshot(&self.out), snapshot(&clean));
        let names = |s: &[(String, Vec<u8>)]| s.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&inc), names(&fresh), "{what}: the same files");
        for (a, b) in inc.iter().zip(&fresh) {
            assert!(a.1 == b.1, "{what}: {} differs from a clean build", a.0);
        }
        c
    }

    /// `dossier build`, with the Web Annotations (so that their shards are checked too) and
    /// the limit, if set.
    fn build(&self, input: &Path, output: &Path) -> Output {
        let mut cmd = dossier();
        if let Some(limit) = self.limit.get() {
            cmd.env("DOSSIER_WHOLE_FILE_LIMIT", limit.to_string());
        }
        cmd.arg("build").arg("--export").arg("annotations").arg("--input").arg(input).arg("--output").arg(output).output().unwrap()
    }

    fn first_bench_article(&self) -> PathBuf {
        let mut txt: Vec<PathBuf> = walkdir::WalkDir::new(self.input.join("bench")).into_iter().flatten().map(|e| e.into_path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
        txt.sort();
        txt.remove(0)
    }
}

fn append(path: &Path, text: &str) {
    let mut s = fs::read_to_string(path).unwrap();
    s.push_str(text);
    fs::write(path, s).unwrap();
}

/// The pages that list the whole archive (the dates index, the A-Z letter pages of a type
/// with more entities than one index page holds, the map) are made again only when their keys
/// say so: after edits that change what they show, the site is still the clean one.
#[test]
fn lists_of_a_large_archive_follow_its_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let input = root.join("in");
    let o = dossier().args(["bench-corpus", "--quiet", "--articles", "1100", "--out"]).arg(input.join("bench")).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let a = Archive { _tmp: tmp, input, out: root.join("site"), root, limit: Default::default() };
    a.rebuild_matches_clean("large baseline");
    let letters = a.out.join("people/a-z");
    assert!(letters.is_dir(), "the people have letter pages");
    let page_m = letters.join("m.html");

    // A new person under M and a place: the M page, the map and the indexes change.
    let art = a.first_bench_article();
    append(&art, "\nMargarethe Vandersloot said in Groningen on Tuesday that the statement stood.\n");
    let before = fs::metadata(&page_m).ok().map(|m| m.modified().unwrap());
    let shards = || -> Vec<(String, std::time::SystemTime)> {
        let mut s: Vec<_> = fs::read_dir(a.out.join("data/annotations")).unwrap().map(|e| e.unwrap()).map(|e| (e.file_name().into_string().unwrap(), e.metadata().unwrap().modified().unwrap())).collect();
        s.sort();
        s
    };
    let shards_before = shards();
    assert_eq!(shards_before.len(), 11, "1,100 articles in shards of 100");
    a.rebuild_matches_clean("large edited");
    // The edit rewrites the annotation shard that holds the article (the first), and beside it
    // only shards of articles whose mentions now name a changed entity: not the whole export.
    let rewritten: Vec<&str> = shards_before.iter().zip(&shards()).filter(|(x, y)| x != y).map(|(x, _)| x.0.as_str()).collect();
    assert!(rewritten.first() == Some(&"0000.jsonl") && rewritten.len() <= 3, "{rewritten:?}");
    assert!(fs::read_to_string(a.out.join("data/annotations/0000.jsonl")).unwrap().contains("Margarethe Vandersloot"));
    assert!(fs::read_to_string(&page_m).unwrap().contains("Margarethe Vandersloot"));
    assert_ne!(before, Some(fs::metadata(&page_m).unwrap().modified().unwrap()), "the M page was written again");

    // A sentence that names nobody and quotes nobody: the files made from the names and the
    // statements of the whole archive are not made again, nor the other articles' statements.
    let stamps = || -> Vec<(String, std::time::SystemTime)> {
        let mut paths = vec!["data/network.gexf".to_string(), "data/entities.csv".to_string()];
        paths.extend(fs::read_dir(a.out.join("search/s")).unwrap().map(|e| format!("search/s/{}", e.unwrap().file_name().into_string().unwrap())));
        paths.sort();
        paths.into_iter().map(|p| (p.clone(), fs::metadata(a.out.join(&p)).unwrap().modified().unwrap())).collect()
    };
    let before = stamps();
    assert!(before.len() > 10, "the statements are in several buckets: {before:?}");
    append(&art, "\nThe rest of the plan was not discussed at all.\n");
    a.rebuild_matches_clean("large edited without names");
    let rewritten: Vec<&str> = before.iter().zip(&stamps()).filter(|(x, y)| x != y).map(|(x, _)| x.0.as_str()).collect();
    // The edited article's own bucket may be made again (it is keyed on its articles' files).
    assert!(rewritten.len() <= 1 && rewritten.iter().all(|p| p.starts_with("search/s/")), "only the edited article's statement bucket, if any, is written again: {rewritten:?}");

    // A new headline: the article's year and month pages show it (the dates index of an
    // archive this large lists months, not articles).
    let text = fs::read_to_string(&art).unwrap();
    let (_, rest) = text.split_once('\n').unwrap();
    fs::write(&art, format!("Council approves the harbour plan\n{rest}")).unwrap();
    a.rebuild_matches_clean("large retitled");
    let showing: Vec<String> = fs::read_dir(a.out.join("dates"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.as_bytes()[0].is_ascii_digit() && fs::read_to_string(a.out.join("dates").join(n)).unwrap().contains("Council approves the harbour plan"))
        .collect();
    assert_eq!(showing.len(), 2, "its year's page and its month's page: {showing:?}");
}

#[test]
fn an_unchanged_archive_rewrites_nothing() {
    let a = archive();
    let (written, unchanged) = a.rebuild_matches_clean("nothing");
    assert_eq!(written, 0);
    assert!(unchanged > 100, "{unchanged}");
    // The output named by a relative path is the same site.
    let o = dossier().current_dir(&a.root).arg("build").args(["--export", "annotations"]).arg("--input").arg(&a.input).args(["--output", "./site"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(counts(&o), (0, unchanged), "the site named another way is not built again");
    // So is the input, named another way or moved: no article is annotated again.
    fs::rename(&a.input, a.root.join("moved")).unwrap();
    let o = dossier().current_dir(&a.root).args(["build", "--export", "annotations", "--input", "./moved", "--output", "site"]).output().unwrap();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(counts(&o), (0, unchanged), "the moved input gives the same site");
    let line = err.lines().find(|l| l.contains("unchanged since the last build")).unwrap_or_else(|| panic!("no article count: {err}"));
    assert!(line.contains(" 0 annotated with"), "every article comes from the cache: {line}");
}

#[test]
fn each_kind_of_change_gives_the_clean_site() {
    let a = archive();
    let total = a.rebuild_matches_clean("baseline").1;

    // Edited: a new sentence with a new person and place.
    let art = a.first_bench_article();
    append(&art, "\nMargarethe Vandersloot said in Groningen on Tuesday that the statement stood.\n");
    let (written, _) = a.rebuild_matches_clean("edited");
    assert!(written > 0 && written < total / 2, "an edit rewrites a few pages, not the site: {written} of {total}");

    // Edited inside a dated sentence, with no new name or date: only pages that show that
    // sentence change (the article's and the timeline page with the passage).
    let arch = common::archive(&a.out);
    let (path, at) = arch["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["source"].as_str().unwrap().contains("bench"))
        .find_map(|x| {
            let d = x["dates"].as_array().unwrap().iter().find(|d| d["rule"] != "dateline" && d["precision"] != "duration" && d["anchor"] == "published")?;
            Some((a.input.join(x["source"].as_str().unwrap()), d["start"].as_u64().unwrap() as usize))
        })
        .expect("a bench article with a dated sentence");
    let text = fs::read_to_string(&path).unwrap();
    let byte = text.char_indices().nth(at).unwrap().0;
    fs::write(&path, format!("{}reportedly {}", &text[..byte], &text[byte..])).unwrap();
    a.rebuild_matches_clean("edited in a dated sentence");

    // Added.
    fs::write(a.input.join("added.txt"), "Talks in Geneva\n\nGENEVA, March 3. Foreign ministers of France and Germany met in Geneva on Friday, the UN said.\n").unwrap();
    a.rebuild_matches_clean("added");

    // Deleted (a seed with its sidecar).
    let seed = fs::read_dir(&a.input).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).min().unwrap();
    fs::remove_file(&seed).unwrap();
    let _ = fs::remove_file(seed.with_extension("toml"));
    a.rebuild_matches_clean("deleted");

    // Renamed, with its sidecar.
    let art = a.first_bench_article();
    let renamed = art.with_file_name("renamed-article.txt");
    fs::rename(&art, &renamed).unwrap();
    if art.with_extension("toml").exists() {
        fs::rename(art.with_extension("toml"), renamed.with_extension("toml")).unwrap();
    }
    a.rebuild_matches_clean("renamed");

    // A template override added, then changed.
    fs::create_dir_all(a.input.join("templates")).unwrap();
    let builtin = fs::read_to_string(project().join("templates/article.html")).unwrap();
    fs::write(a.input.join("templates/article.html"), builtin.replace("{% block content %}", "{% block content %}<p class=\"house-note\">Reviewed copy</p>")).unwrap();
    let (written, _) = a.rebuild_matches_clean("template added");
    assert!(written > 40, "every article page is rendered again: {written}");
    fs::write(a.input.join("templates/article.html"), builtin.replace("{% block content %}", "{% block content %}<p class=\"house-note\">Second review</p>")).unwrap();
    a.rebuild_matches_clean("template changed");
    fs::remove_file(a.input.join("templates/article.html")).unwrap();
    a.rebuild_matches_clean("template removed");
    // A template that only the timeline uses: only its page is made again.
    let timeline = fs::read_to_string(project().join("templates/timeline.html")).unwrap();
    fs::write(a.input.join("templates/timeline.html"), timeline.replace("{% block content %}", "{% block content %}<p class=\"house-note\">Reviewed copy</p>")).unwrap();
    let (written, _) = a.rebuild_matches_clean("one page's template changed");
    assert_eq!(written, 1, "a template edit rewrites only the pages that use it");
    fs::remove_file(a.input.join("templates/timeline.html")).unwrap();
    a.rebuild_matches_clean("one page's template removed");

    // Static and entity overrides.
    fs::create_dir_all(a.input.join("static")).unwrap();
    fs::write(a.input.join("static/style.css"), "body { font-family: serif; }\n").unwrap();
    let (written, _) = a.rebuild_matches_clean("static override");
    assert!(written <= 2, "only the stylesheet changes: {written}");
    fs::write(a.input.join("entities.toml"), "ignore = [\"Tuesday\"]\n\n[[entity]]\nname = \"Margarethe Vandersloot\"\ntype = \"person\"\naliases = [\"Vandersloot\"]\n").unwrap();
    a.rebuild_matches_clean("entities override");
    fs::remove_file(a.input.join("static/style.css")).unwrap();
    a.rebuild_matches_clean("static override removed");
}

/// An archive.json in parts (a large archive's, here forced by a low limit) follows edits as
/// the whole one does, and builds that cross the limit either way give the clean site.
#[test]
fn archive_parts_follow_edits_and_the_limit() {
    let a = archive();
    let whole = common::archive(&a.out);
    let tables = ["statements", "mentions", "entities"].map(|t| table_rows(&a.out, t));
    // Up to the limit, the file is whole; a byte over, in parts.
    let size = fs::metadata(a.out.join("data/archive.json")).unwrap().len();
    a.limit.set(Some(size));
    a.rebuild_matches_clean("archive at the limit");
    assert!(common::archive(&a.out)["articles"].is_array(), "archive.json at the limit is whole");
    a.limit.set(Some(size - 1));
    a.rebuild_matches_clean("archive past the limit");
    assert_eq!(archive_from_parts(&a.out, 500), whole, "past the limit, archive.json lists parts that hold the whole archive");
    a.limit.set(Some(1000));
    a.rebuild_matches_clean("archive in parts");
    assert_eq!(archive_from_parts(&a.out, 500), whole, "the parts hold the whole archive");
    for (t, rows) in ["statements", "mentions", "entities"].iter().zip(&tables) {
        assert!(table_in_parts(&a.out, t), "{t}.csv is in parts");
        assert_eq!(&table_rows(&a.out, t), rows, "{t}: the parts hold the whole table's rows");
    }
    let art = a.first_bench_article();
    append(&art, "\nMargarethe Vandersloot said in Groningen on Tuesday that the statement stood.\n");
    a.rebuild_matches_clean("archive in parts, edited");
    let read = archive_from_parts(&a.out, 500);
    assert!(read["entities"].as_array().unwrap().iter().any(|e| e["name"] == "Margarethe Vandersloot"), "the edit is in the parts");
    a.limit.set(None);
    a.rebuild_matches_clean("archive whole again");
    assert!(common::archive(&a.out)["articles"].is_array());
    assert!(!a.out.join("data/archive").exists(), "the parts are gone");
    assert!(a.out.join("data/mentions.csv").exists() && a.out.join("data/statements.csv").exists() && a.out.join("data/entities.csv").exists());
}

/// The words of every term shard, as one text.
fn shard_text(site: &Path) -> String {
    let mut files: Vec<PathBuf> = fs::read_dir(site.join("search/t")).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().map(|f| fs::read_to_string(f).unwrap()).collect()
}

/// The search index is patched from the last build's after an edit: a word new to the archive
/// is found, a word gone from it is no longer, several articles edited at once, an article
/// removed; every time the index is the one a clean build makes.
#[test]
fn the_search_index_follows_edits_of_its_words() {
    let a = archive();
    let art = a.first_bench_article();
    let original = fs::read_to_string(&art).unwrap();
    append(&art, "\nThe Quillfeather committee met again.\n");
    a.rebuild_matches_clean("a new word");
    assert!(shard_text(&a.out).contains("\"quillfeather\""));
    fs::write(&art, &original).unwrap();
    a.rebuild_matches_clean("the word taken out");
    assert!(!shard_text(&a.out).contains("quillfeather"), "no article holds the word any more");
    // Two articles at once, one of them losing a word of its own text.
    let mut txt: Vec<PathBuf> = walkdir::WalkDir::new(a.input.join("bench")).into_iter().flatten().map(|e| e.into_path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
    txt.sort();
    append(&txt[3], "\nWyndmoor residents objected.\n");
    let second = fs::read_to_string(&txt[7]).unwrap();
    let last_line = second.trim_end().rsplit_once('\n').unwrap().0.to_string();
    fs::write(&txt[7], last_line + "\n").unwrap();
    a.rebuild_matches_clean("two articles edited");
    assert!(shard_text(&a.out).contains("\"wyndmoor\""));
    fs::remove_file(&txt[3]).unwrap();
    a.rebuild_matches_clean("an article removed");
    assert!(!shard_text(&a.out).contains("wyndmoor"));
}

#[test]
fn stale_or_damaged_cache_entries_are_not_trusted() {
    let a = archive();
    let cache = a.root.join(".site.dossier-cache");
    // Damage the annotation entries: a bit flipped in two of them (each would still decode,
    // into another annotation), then, after that build, the file cut short.
    let pack = cache.join("articles.bin");
    let mut bytes = fs::read(&pack).unwrap();
    assert!(bytes.len() > 40_000, "{}", bytes.len());
    for at in [bytes.len() / 3, bytes.len() * 2 / 3] {
        bytes[at] ^= 0x01;
    }
    fs::write(&pack, &bytes).unwrap();
    a.rebuild_matches_clean("damaged cache entries");
    let bytes = fs::read(&pack).unwrap();
    fs::write(&pack, &bytes[..bytes.len() / 2]).unwrap();
    // A page edited by hand in the output is put right too.
    let page = fs::read_dir(a.out.join("people")).unwrap().flatten().map(|e| e.path()).find(|p| p.extension().is_some_and(|e| e == "html")).unwrap();
    fs::write(&page, "defaced").unwrap();
    a.rebuild_matches_clean("damaged cache");

    // Each article's resolved entities kept in the cache: a bit flipped in the middle of the
    // store, then an article edited so that the build reads the others back.
    let resolved = cache.join("resolved.bin");
    let mut bytes = fs::read(&resolved).unwrap();
    assert!(bytes.len() > 10_000, "{}", bytes.len());
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    fs::write(&resolved, &bytes).unwrap();
    append(&a.first_bench_article(), "\nMargarethe Vandersloot spoke in Groningen.\n");
    a.rebuild_matches_clean("damaged resolved entries");

    // The search index kept in the cache: damaged (a bit flipped), then stale (the index of
    // the build before an edit, put back after it).
    let index = cache.join("search-index.bin");
    let mut bytes = fs::read(&index).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x01;
    fs::write(&index, &bytes).unwrap();
    append(&a.first_bench_article(), "\nThe Quillfeather committee met again.\n");
    a.rebuild_matches_clean("damaged search index");
    let stale = fs::read(&index).unwrap();
    append(&a.first_bench_article(), "\nWyndmoor residents objected.\n");
    a.rebuild_matches_clean("edited after the damaged index");
    fs::write(&index, &stale).unwrap();
    a.rebuild_matches_clean("stale search index");

    // Without the cache at all: the same site.
    fs::remove_dir_all(&cache).unwrap();
    a.rebuild_matches_clean("no cache");
}

/// Runs a build that aborts (as a kill would) at the Nth pass of a fault point.
fn build_killed(a: &Archive, fault: &str) {
    let o = dossier().args(["build", "--export", "annotations"]).arg("--input").arg(&a.input).arg("--output").arg(&a.out).env("DOSSIER_FAULT", fault).output().unwrap();
    assert!(!o.status.success(), "{fault}: the build was meant to stop: {}", stderr(&o));
    assert!(stderr(&o).contains("DOSSIER_FAULT"), "{fault}: {}", stderr(&o));
}

#[test]
fn a_build_killed_while_rendering_leaves_the_previous_site() {
    let a = archive();
    let before = snapshot(&a.out);
    append(&a.first_bench_article(), "\nA late paragraph about Rotterdam.\n");
    fs::write(a.input.join("added.txt"), "Talks in Geneva\n\nForeign ministers met in Geneva on Friday.\n").unwrap();
    // Incremental build, killed after three staged pages.
    build_killed(&a, "page:3");
    assert!(snapshot(&a.out) == before, "the previous site is intact");
    // A full build (no cache), killed half-way through its pages.
    fs::remove_dir_all(a.root.join(".site.dossier-cache")).unwrap();
    build_killed(&a, "page:200");
    assert!(snapshot(&a.out) == before, "the previous site is intact");
    a.rebuild_matches_clean("after kills while rendering");
}

#[test]
fn a_build_killed_while_committing_is_finished_by_the_next() {
    let a = archive();
    append(&a.first_bench_article(), "\nA late paragraph about Rotterdam and the Red Cross.\n");
    build_killed(&a, "commit:2");
    a.rebuild_matches_clean("after a kill during the commit");

    // Killed between the two renames of a full build's swap: the output is briefly absent and
    // the next build puts the complete new site in place before building.
    fs::remove_dir_all(a.root.join(".site.dossier-cache")).unwrap();
    append(&a.first_bench_article(), "\nAnother paragraph.\n");
    build_killed(&a, "swap:1");
    a.rebuild_matches_clean("after a kill during the swap");
}

#[test]
fn a_real_kill_leaves_a_whole_site() {
    let a = archive();
    let before = snapshot(&a.out);
    fs::remove_dir_all(a.root.join(".site.dossier-cache")).unwrap();
    let mut child = dossier().args(["build", "--quiet", "--export", "annotations"]).arg("--input").arg(&a.input).arg("--output").arg(&a.out).spawn().unwrap();
    // Kill it as soon as it has started staging pages (or whenever it gets there).
    let staging = a.root.join(".site.dossier-new");
    let start = std::time::Instant::now();
    while !staging.exists() && start.elapsed() < std::time::Duration::from_secs(60) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    let after = snapshot(&a.out);
    if status.success() {
        // It finished before the kill: then it must be the complete new site.
        assert!(!after.is_empty());
    } else {
        assert!(after == before, "killed mid-build: the previous site is intact");
    }
    a.rebuild_matches_clean("after a real kill");
}
