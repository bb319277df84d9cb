//! The search index and the facet data: what `static/search.js` and `static/facets.js` read.
//! Each file is one call `Global.function(args);`; its arguments are read here as a JSON
//! array, which is exactly what a JavaScript engine sees (JSON is a subset of JavaScript).

mod common;
use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The arguments of the one call a data script makes, e.g. `DossierSearch.shard("ra", {...});`.
fn call_args(js: &str, callee: &str) -> Vec<Value> {
    let body = js.strip_prefix(&format!("{callee}(")).unwrap_or_else(|| panic!("starts with {callee}(: {}", &js[..js.len().min(60)]));
    let body = body.strip_suffix(");\n").expect("ends with );\\n");
    match serde_json::from_str(&format!("[{body}]")).expect("the arguments are JSON") {
        Value::Array(a) => a,
        _ => unreachable!(),
    }
}


struct Index {
    manifest: Value,
    shards: BTreeMap<String, Value>,
    /// Document number -> article id (from the document's url).
    docs: Vec<String>,
    texts: Vec<String>,
}

fn shard_file(key: &str) -> String {
    if key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) { key.to_string() } else { format!("_{}", key.chars().map(|c| format!("{:x}", c as u32)).collect::<Vec<_>>().join("-")) }
}

fn load(site: &Path) -> Index {
    let manifest = call_args(&page(site, "search/manifest.js"), "DossierSearch.manifest").remove(0);
    let mut shards = BTreeMap::new();
    for key in manifest["shards"].as_array().unwrap() {
        let key = key.as_str().unwrap();
        let args = call_args(&page(site, &format!("search/t/{}.js", shard_file(key))), "DossierSearch.shard");
        assert_eq!(args[0], key, "a shard names its own key");
        shards.insert(key.to_string(), args[1].clone());
    }
    let n = manifest["docs"].as_u64().unwrap() as usize;
    let bucket = manifest["bucket"].as_u64().unwrap() as usize;
    let (mut docs, mut texts) = (Vec::new(), Vec::new());
    for b in 0..n.div_ceil(bucket) {
        let args = call_args(&page(site, &format!("search/d/{b:04}.js")), "DossierSearch.docs");
        assert_eq!(args[0], b);
        for row in args[1].as_array().unwrap() {
            let url = row[0].as_str().unwrap();
            docs.push(url.strip_prefix("articles/").unwrap().strip_suffix(".html").unwrap().to_string());
            texts.push(row[3].as_str().unwrap().to_string());
        }
    }
    assert_eq!(docs.len(), n);
    Index { manifest, shards, docs, texts }
}

impl Index {
    /// The shard of a term: the longest key that begins it.
    fn shard_of(&self, term: &str) -> &str {
        let chars: Vec<char> = term.chars().collect();
        (1..=chars.len()).rev().map(|n| chars[..n].iter().collect::<String>()).find_map(|k| self.shards.get_key_value(&k).map(|(k, _)| k.as_str())).expect("a shard for the term")
    }

    /// Article ids whose postings hold the term, with their BM25 scores made from the weights
    /// and the manifest's lengths as `static/search.js` makes them.
    fn postings(&self, term: &str) -> Vec<(String, f64)> {
        let list = self.shards[self.shard_of(term)]["t"][term].as_array().unwrap_or_else(|| panic!("{term} is indexed")).clone();
        let lengths: Vec<f64> = self.manifest["lengths"].as_array().unwrap().iter().map(|l| l.as_f64().unwrap()).collect();
        assert_eq!(lengths.len(), self.docs.len(), "a length for every document");
        let (k1, b) = (self.manifest["bm25"]["k1"].as_f64().unwrap(), self.manifest["bm25"]["b"].as_f64().unwrap());
        let avg = (lengths.iter().sum::<f64>() / lengths.len() as f64).max(1.0);
        let n = (list.len() / 2) as f64;
        let idf = (1.0 + (lengths.len() as f64 - n + 0.5) / (n + 0.5)).ln();
        let mut doc = 0;
        list.chunks(2)
            .map(|p| {
                doc += p[0].as_u64().unwrap() as usize;
                let w = p[1].as_f64().unwrap();
                (self.docs[doc].clone(), idf * w * (k1 + 1.0) / (w + k1 * (1.0 - b + b * lengths[doc] / avg)))
            })
            .collect()
    }
}

fn entity_articles(site: &Path, id: &str) -> BTreeSet<String> {
    let arch = archive(site);
    let e = arch["entities"].as_array().unwrap().iter().find(|e| e["id"] == id).unwrap_or_else(|| panic!("{id} in archive.json"));
    e["articles"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect()
}

#[test]
fn raqqa_postings_point_at_exactly_the_articles_that_mention_it() {
    let (_tmp, site) = seed_site();
    let idx = load(&site);
    assert_eq!(idx.shard_of("raqqa"), "ra");
    assert!(site.join("search/t/ra.js").is_file());

    let expected = entity_articles(&site, "location/raqqa");
    assert_eq!(expected.len(), 2, "the seeds mention Raqqa in two articles");
    let got: BTreeSet<String> = idx.postings("raqqa").into_iter().map(|p| p.0).collect();
    assert_eq!(got, expected);

    // The article about Raqqa (in its headline, eight times in the text) ranks first.
    let mut ranked = idx.postings("raqqa");
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    assert_eq!(ranked[0].0, "001-ba1013068994706c");

    // The shard names the entity, for the results' entity line and the landing on its mention.
    let ents = idx.shards["ra"]["e"]["raqqa"].as_array().unwrap();
    assert_eq!(ents[0][0], "location/raqqa");
    assert_eq!(ents[0][2], "locations/raqqa.html");

    // Aliases are searchable: "SDF" finds the article that names the Syrian Democratic Forces.
    let sdf: BTreeSet<String> = idx.postings("sdf").into_iter().map(|p| p.0).collect();
    assert_eq!(sdf, entity_articles(&site, "organisation/syrian-democratic-forces"));
}

#[test]
fn every_script_is_one_call_with_a_well_formed_payload() {
    let (_tmp, site) = seed_site();
    let idx = load(&site);
    let n = idx.docs.len() as u64;
    let stop: Vec<&str> = idx.manifest["stop"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect();
    let mut listed = 0;
    for (key, shard) in &idx.shards {
        for (term, list) in shard["t"].as_object().unwrap() {
            assert_eq!(idx.shard_of(term), key, "{term} is in the shard the browser will look in");
            assert!(!stop.contains(&term.as_str()), "stop word {term} indexed");
            assert_eq!(term, &term.to_lowercase());
            let list = list.as_array().unwrap();
            assert!(!list.is_empty() && list.len() % 2 == 0, "{term}: pairs of numbers");
            let mut doc = 0;
            for (i, p) in list.chunks(2).enumerate() {
                let delta = p[0].as_u64().unwrap();
                assert!(i == 0 || delta > 0, "{term}: documents ascend");
                doc += delta;
                assert!(doc < n && p[1].as_u64().unwrap() > 0);
            }
            listed += 1;
        }
        for (term, rows) in shard["e"].as_object().unwrap() {
            assert_eq!(idx.shard_of(term), key);
            for row in rows.as_array().unwrap() {
                // An entity's page, or its row on its type's index (with that id) when it has none.
                let url = row[2].as_str().unwrap();
                let (file, row_id) = url.split_once('#').map_or((url, None), |(f, r)| (f, Some(r)));
                assert!(site.join(file).is_file(), "entity page {row}");
                if let Some(r) = row_id {
                    assert!(std::fs::read_to_string(site.join(file)).unwrap().contains(&format!("<li id=\"{r}\"")), "entity row {row}");
                }
            }
        }
    }
    assert!(listed > 500, "the seeds give hundreds of terms ({listed})");
    // No file in search/ is left unlisted by the manifest.
    let files = fs::read_dir(site.join("search/t")).unwrap().count();
    assert_eq!(files, idx.shards.len());

    let facets = call_args(&page(&site, "search/facets.js"), "DossierFacets.data").remove(0);
    assert_eq!(facets["articles"].as_array().unwrap().len(), idx.docs.len());
    let raqqa = facets["entities"].as_array().unwrap().iter().position(|e| e[0] == 0 && e[1] == "raqqa").expect("Raqqa is a location facet");
    let with: BTreeSet<String> = facets["articles"].as_array().unwrap().iter().enumerate().filter(|(_, a)| a[1].as_array().unwrap().iter().any(|e| e == raqqa)).map(|(i, _)| idx.docs[i].clone()).collect();
    assert_eq!(with, entity_articles(&site, "location/raqqa"), "facet rows are in the list's (and the index's) order");
    let html = page(&site, "articles/index.html");
    assert!(html.contains(r#"data-doc="4""#) && html.contains("search/facets.js"));
}

/// Runs every data script in Node with stub globals, when Node is installed, and compares what
/// the registration functions received with the JSON reading above.
#[test]
fn node_reads_the_scripts_as_this_test_does() {
    if std::process::Command::new("node").arg("--version").output().is_err() {
        eprintln!("node not installed; skipped");
        return;
    }
    let (_tmp, site) = seed_site();
    let script = r#"
        const fs = require("fs"), path = require("path"), vm = require("vm");
        const got = [];
        const ctx = { DossierSearch: { manifest: m => got.push(m), shard: (k, d) => got.push([k, d]), docs: (b, r) => got.push([b, r]),
                                        speakers: d => got.push(d), quotes: (b, r) => got.push([b, r]) },
                      DossierFacets: { data: d => got.push(d) } };
        vm.createContext(ctx);
        const walk = d => fs.readdirSync(d).sort().flatMap(f => fs.statSync(path.join(d, f)).isDirectory() ? walk(path.join(d, f)) : [path.join(d, f)]);
        for (const f of walk(process.argv[1]).filter(f => f.endsWith(".js"))) vm.runInContext(fs.readFileSync(f, "utf8"), ctx, { filename: f });
        process.stdout.write(JSON.stringify(got));
    "#;
    let o = std::process::Command::new("node").arg("-e").arg(script).arg(site.join("search")).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let from_node: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();

    let mut files: Vec<_> = walkdir::WalkDir::new(site.join("search")).sort_by_file_name().into_iter().flatten().filter(|e| e.path().extension().is_some_and(|x| x == "js")).map(|e| e.into_path()).collect();
    files.sort();
    assert_eq!(from_node.len(), files.len());
    for (f, v) in files.iter().zip(&from_node) {
        let js = fs::read_to_string(f).unwrap();
        let callee = js.split('(').next().unwrap();
        let mut args = call_args(&js, callee);
        let ours = if args.len() == 1 { args.remove(0) } else { Value::Array(args) };
        assert_eq!(&ours, v, "{}", f.display());
    }
}

#[test]
fn hostile_text_cannot_leave_its_string() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    let evil = "</script><script>alert(1)</script> <!-- <SCRIPT>x</SCRIPT> \u{2028} \"quoted\" back\\slash";
    fs::write(input.join("evil.txt"), format!("Hostile </script> headline in Raqqa\nThe text says {evil} in Raqqa.\n")).unwrap();
    let out = tmp.path().join("site");
    let o = build(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));

    for e in walkdir::WalkDir::new(out.join("search")).into_iter().flatten().filter(|e| e.path().extension().is_some_and(|x| x == "js")) {
        let js = fs::read_to_string(e.path()).unwrap();
        let lower = js.to_lowercase();
        assert!(!lower.contains("</script") && !lower.contains("<!--") && !js.contains('\u{2028}'), "{} could break out of a script", e.path().display());
    }
    let idx = load(&out);
    assert!(idx.texts[0].contains(evil), "the text itself is intact: {:?}", idx.texts[0]);
    assert_eq!(idx.postings("alert").len(), 1, "and its words are searchable");

    let html = page(&out, "articles/evil.html");
    assert!(!html.contains("<script>alert") && html.contains("&lt;/script&gt;&lt;script&gt;alert(1)"));
}

#[test]
fn the_index_is_the_same_bytes_every_build() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_seeds(&input);
    fs::write(input.join("extra.md"), "---\ntitle: Ünïcödé in Zürich\npublished: 2018-01-02\n---\nTalks in Zürich and Raqqa; Łódź, Ærø and 東京 too.\n").unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(build(&input, &a).status.success());
    assert!(build(&input, &b).status.success());
    let (sa, sb) = (snapshot(&a.join("search")), snapshot(&b.join("search")));
    assert!(sa.len() > 100);
    assert_eq!(sa, sb);
    // Diacritics are folded in the index as in the browser: "zurich" finds "Zürich".
    assert_eq!(load(&a).postings("zurich").len(), 1);
}

/// Scores depend on every document's length, so they are made in the browser: an edit that adds
/// a sentence rewrites the shards of the sentence's words and no other (with scores in the
/// postings, every shard holding any word of the article changed).
#[test]
fn an_added_sentence_changes_only_the_shards_of_its_words() {
    let (tmp, site) = seed_site();
    let before = load(&site);
    let shard_files = |site: &Path| -> BTreeMap<String, Vec<u8>> { snapshot(&site.join("search/t")).into_iter().collect() };
    let old = shard_files(&site);
    let mut article = fs::read_dir(tmp.path().join("seeds")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect::<Vec<_>>();
    article.sort();
    let mut text = fs::read_to_string(&article[0]).unwrap();
    let sentence = "\nOfficials said the talks would continue.\n";
    text.push_str(sentence);
    fs::write(&article[0], text).unwrap();
    let o = build(&tmp.path().join("seeds"), &site);
    assert!(o.status.success(), "{}", stderr(&o));

    let after = load(&site);
    assert_eq!(after.manifest["shards"], before.manifest["shards"], "the same shards");
    let words: BTreeSet<String> = ["officials", "said", "talks", "would", "continue"].iter().map(|w| w.to_string()).collect();
    let allowed: BTreeSet<String> = words.iter().map(|w| shard_file(after.shard_of(w))).collect();
    let new = shard_files(&site);
    let changed: BTreeSet<String> = new.iter().filter(|(path, bytes)| old.get(*path) != Some(bytes)).map(|(path, _)| path.trim_end_matches(".js").to_string()).collect();
    assert!(!changed.is_empty(), "the words' postings changed");
    assert!(changed.is_subset(&allowed), "only the shards of {words:?} ({allowed:?}) change: {changed:?}");
    // The article's new length reaches the browser through the manifest.
    assert_ne!(after.manifest["lengths"], before.manifest["lengths"]);
}
