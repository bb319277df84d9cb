//! Statements on the built seed site: the speaker's pages, the statements index, the Web
//! Annotations, and the researchers' files (`data/statements.csv`, `entities.csv`,
//! `mentions.csv`, `network.gexf`), read as their readers read them (Python's csv module,
//! an XML parser).

mod common;
use common::*;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Every statement archive.json attributes to `entity`, as (article id, start offset).
fn statements_of(site: &Path, entity: &str) -> Vec<(String, u64)> {
    let archive = archive(site);
    let mut out = Vec::new();
    for a in archive["articles"].as_array().unwrap() {
        for q in a["quotes"].as_array().unwrap() {
            if q["entity"] == entity {
                out.push((a["id"].as_str().unwrap().to_string(), q["start"].as_u64().unwrap()));
            }
        }
    }
    out
}

#[test]
fn speakers_pages_list_their_statements_newest_first() {
    let (_tmp, site) = seed_site();
    for (entity, path) in [("person/sergei-lavrov", "people/sergei-lavrov.html"), ("organisation/defence-ministry-russia", "organisations/defence-ministry-russia.html")] {
        let expected = statements_of(&site, entity);
        assert!(!expected.is_empty(), "the seeds quote {entity}");
        let html = page(&site, path);
        let section = between(&html, "<section class=\"statements\"", "</section>").unwrap_or_else(|| panic!("{path} has a Statements section"));
        assert!(section.contains(&format!("Statements <span class=\"count\">{}</span>", expected.len())), "{path}: count");
        assert_eq!(section.matches("<li class=\"statement\">").count(), expected.len().min(100));
        assert!(section.contains("<svg class=\"chart__svg\""), "{path}: a chart of statements");
        // Each links to its passage on the article page, where that anchor exists.
        let links: Vec<&str> = section.match_indices("class=\"statement__text\" href=\"").map(|(i, m)| &section[i + m.len()..i + m.len() + section[i + m.len()..].find('"').unwrap()]).collect();
        let mut articles_seen = BTreeSet::new();
        for link in &links {
            let (url, anchor) = link.trim_start_matches("../").split_once('#').unwrap();
            articles_seen.insert(url.to_string());
            let article = page(&site, url);
            assert!(article.contains(&format!("id=\"{anchor}\"")), "{url}#{anchor} exists");
        }
        assert_eq!(articles_seen.len(), expected.iter().map(|(a, _)| a).collect::<BTreeSet<_>>().len());
        // Newest first: the dates of the list never go up.
        let dates: Vec<&str> = section.match_indices("<time datetime=\"").map(|(i, m)| &section[i + m.len()..i + m.len() + 10]).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{path}: {dates:?}");
    }
    // The index lists both speakers, linked, and is in the navigation.
    let index = page(&site, "statements/index.html");
    assert!(index.contains("href=\"../people/sergei-lavrov.html#statements\""));
    assert!(index.contains("href=\"../organisations/defence-ministry-russia.html#statements\""));
    assert!(page(&site, "index.html").contains("href=\"statements/index.html\""));
}

#[test]
fn statements_are_quoting_annotations_with_the_speaker_as_body() {
    let (_tmp, site) = seed_site_exporting(&["annotations"]);
    let archive = archive(&site);
    let a = archive["articles"].as_array().unwrap().iter().find(|a| a["quotes"].as_array().unwrap().iter().any(|q| q["entity"] == "person/sergei-lavrov")).unwrap();
    let id = a["id"].as_str().unwrap();
    let (_, file) = annotation_lines(&site).into_iter().find(|(_, c)| c["id"].as_str().unwrap().ends_with(&format!("#{id}"))).expect("the article's line");
    let items = file["first"]["items"].as_array().unwrap();
    let quoting: Vec<&serde_json::Value> = items.iter().filter(|i| i["motivation"] == "quoting").collect();
    assert_eq!(quoting.len(), a["quotes"].as_array().unwrap().len());
    // The entity page is described at the line's first annotation naming it, then named by address.
    let page = |q: &serde_json::Value| q["body"][0]["source"]["id"].as_str().or(q["body"][0]["source"].as_str()).map(str::to_string);
    let lavrov = quoting.iter().find(|q| page(q).is_some_and(|p| p.ends_with("people/sergei-lavrov.html"))).expect("a statement with Lavrov as its body");
    assert_eq!(lavrov["body"][0]["purpose"], "identifying");
    assert_eq!(lavrov["target"]["selector"][0]["type"], "TextQuoteSelector");
    assert!(lavrov["id"].as_str().unwrap().contains(&format!("#{id}/q")), "named after its article and as its mark");
    assert_eq!(file["total"].as_u64().unwrap() as usize, items.len());
}

#[test]
fn network_gexf_parses_as_gexf_1_3() {
    let (_tmp, site) = seed_site();
    let xml = std::fs::read_to_string(site.join("data/network.gexf")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("network.gexf is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "gexf");
    assert_eq!(root.tag_name().namespace(), Some("http://gexf.net/1.3"));
    assert_eq!(root.attribute("version"), Some("1.3"));
    let graph = root.children().find(|n| n.has_tag_name("graph")).unwrap();
    assert_eq!(graph.attribute("defaultedgetype"), Some("undirected"));
    let nodes: Vec<roxmltree::Node> = graph.descendants().filter(|n| n.has_tag_name("node")).collect();
    let edges: Vec<roxmltree::Node> = graph.descendants().filter(|n| n.has_tag_name("edge")).collect();
    let ids: BTreeSet<&str> = nodes.iter().map(|n| n.attribute("id").unwrap()).collect();
    assert_eq!(ids.len(), nodes.len(), "node ids are unique");
    // Nodes: every entity named in an article, with its type and article count.
    let archive = archive(&site);
    let named = archive["entities"].as_array().unwrap().iter().filter(|e| e["articles"].as_array().is_none_or(|a| !a.is_empty())).count();
    assert_eq!(nodes.len(), named);
    let lavrov = nodes.iter().find(|n| n.attribute("id") == Some("person/sergei-lavrov")).unwrap();
    let att = |n: &roxmltree::Node, key: &str| n.descendants().find(|a| a.has_tag_name("attvalue") && a.attribute("for") == Some(key)).and_then(|a| a.attribute("value")).map(str::to_string);
    assert_eq!(att(lavrov, "type").as_deref(), Some("person"));
    assert!(att(lavrov, "articles").unwrap().parse::<u32>().unwrap() >= 2);
    // Edges: between nodes, each pair once, weights whole and at least 1.
    assert!(!edges.is_empty());
    let mut pairs = BTreeSet::new();
    for e in &edges {
        let (s, t) = (e.attribute("source").unwrap(), e.attribute("target").unwrap());
        assert!(ids.contains(s) && ids.contains(t), "edge {s} – {t} joins nodes");
        assert_ne!(s, t);
        assert!(pairs.insert((s.min(t), s.max(t))), "one edge per pair");
        assert!(e.attribute("weight").unwrap().parse::<u32>().unwrap() >= 1);
    }
    // Lavrov and Russia share every article that names Lavrov here.
    let w = edges.iter().find(|e| [e.attribute("source"), e.attribute("target")].contains(&Some("person/sergei-lavrov")) && [e.attribute("source"), e.attribute("target")].contains(&Some("location/russia"))).unwrap();
    assert!(w.attribute("weight").unwrap().parse::<u32>().unwrap() >= 2);
}

/// Runs Python's csv module over the three tables and returns, per file, the header and the
/// number of rows (`python3` is on CI, as for the seed checks).
fn python_csv(site: &Path) -> serde_json::Value {
    let script = r#"
import csv, json, sys
out = {}
for name in ["statements", "entities", "mentions"]:
    with open(sys.argv[1] + "/data/" + name + ".csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    out[name] = {"header": rows[0], "rows": len(rows) - 1, "widths": sorted(set(len(r) for r in rows)), "texts": [r[-1] for r in rows[1:]] if name == "statements" else []}
print(json.dumps(out))
"#;
    let o = Command::new("python3").arg("-c").arg(script).arg(site).output().expect("python3 runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn the_csv_files_load_with_pythons_csv_module() {
    let (_tmp, site) = seed_site();
    let got = python_csv(&site);
    let archive = archive(&site);
    let articles = archive["articles"].as_array().unwrap();
    let quotes: usize = articles.iter().map(|a| a["quotes"].as_array().unwrap().len()).sum();
    let mentions: usize = articles.iter().map(|a| a["mentions"].as_array().unwrap().len()).sum();
    assert_eq!(got["statements"]["rows"], quotes);
    assert_eq!(got["mentions"]["rows"], mentions);
    assert_eq!(got["entities"]["rows"], archive["entities"].as_array().unwrap().len());
    assert_eq!(got["statements"]["header"][0], "article");
    assert_eq!(got["entities"]["header"][0], "id");
    assert_eq!(got["mentions"]["header"][0], "article");
    for name in ["statements", "entities", "mentions"] {
        assert_eq!(got[name]["widths"].as_array().unwrap().len(), 1, "{name}: every row as wide as the header");
    }
    // The statements' texts come back whole, quotation marks and commas included.
    let texts: Vec<&str> = got["statements"]["texts"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert!(texts.iter().any(|t| t.contains('"') && t.contains(',')), "a quote with quotation marks and commas survives");
}

#[test]
fn fields_with_commas_quotes_and_line_breaks_round_trip() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(
        input.join("a.txt"),
        "Talks, again\n\nMOSCOW, March 3 (TASS) - Foreign Minister Sergei Lavrov said on Monday: \"We will talk, and \"listen\", to everyone.\"\n\n\"Nothing is agreed,\" Lavrov told reporters in Moscow.\n",
    )
    .unwrap();
    let site = tmp.path().join("site");
    let o = build(&input, &site);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = python_csv(&site);
    let archive = archive(&site);
    let text = std::fs::read_to_string(input.join("a.txt")).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let expected: Vec<String> = archive["articles"][0]["quotes"].as_array().unwrap().iter().map(|q| chars[q["start"].as_u64().unwrap() as usize..q["end"].as_u64().unwrap() as usize].iter().collect()).collect();
    let texts: Vec<String> = got["statements"]["texts"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect();
    assert!(!expected.is_empty());
    assert_eq!(texts, expected);
}

/// The archive's statements of article `id` as (opening text, entity or null, speaker text).
fn quotes_of(site: &Path, id: &str, text: &str) -> Vec<(String, serde_json::Value, serde_json::Value)> {
    let archive = archive(site);
    let a = archive["articles"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap().clone();
    let chars: Vec<char> = text.chars().collect();
    a["quotes"].as_array().unwrap().iter().map(|q| (chars[q["start"].as_u64().unwrap() as usize..q["end"].as_u64().unwrap() as usize].iter().collect(), q["entity"].clone(), q["speaker"].clone())).collect()
}

#[test]
fn entities_toml_corrects_a_speaker() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("seeds");
    copy_seeds(&input);
    let site = tmp.path().join("site");
    assert!(build(&input, &site).status.success());
    // The article where "Russia says it wants to work with anti-IS forces…" and Lavrov is named.
    let archive = archive(&site);
    let a = archive["articles"].as_array().unwrap().iter().find(|a| a["quotes"].as_array().unwrap().iter().any(|q| q["speaker"] == "Russia") && a["quotes"].as_array().unwrap().iter().any(|q| q["entity"] == "person/sergei-lavrov")).expect("an article where Russia says something and Lavrov speaks");
    let id = a["id"].as_str().unwrap().to_string();
    let text = std::fs::read_to_string(input.join(a["source"].as_str().unwrap())).unwrap();
    let before = quotes_of(&site, &id, &text);
    let (russia, _, _) = before.iter().find(|(_, _, s)| *s == "Russia").unwrap().clone();
    let opening: String = russia.split_whitespace().take(4).collect::<Vec<_>>().join(" ");
    let he = before.iter().any(|(_, _, s)| *s == "he");
    std::fs::write(
        input.join("entities.toml"),
        format!("[[speaker]]\narticle = \"{id}\"\nquote = \"{opening}\"\nentity = \"Sergei Lavrov\"\n\n[[speaker]]\narticle = \"{id}\"\nspeaker = \"He\"\nentity = \"\"\n"),
    )
    .unwrap();
    // An incremental build over the first one, then a clean one: the same bytes.
    let o = build(&input, &site);
    assert!(o.status.success(), "{}", stderr(&o));
    let after = quotes_of(&site, &id, &text);
    assert_eq!(after.len(), before.len());
    for ((t, e, s), (t0, e0, _)) in after.iter().zip(&before) {
        assert_eq!(t, t0);
        if *t == russia {
            assert_eq!(e, "person/sergei-lavrov", "corrected to Lavrov");
        } else if *s == "he" {
            assert!(e.is_null(), "\"he\" is now unresolved");
        } else {
            assert_eq!(e, e0, "{t}: untouched");
        }
    }
    assert!(he, "the article has a statement by \"he\"");
    let html = page(&site, &format!("articles/{id}.html"));
    let panel = between(&html, "id=\"statements\"", "</section>").unwrap();
    let first = between(panel, "<li", "</li>").unwrap();
    assert!(first.contains("people/sergei-lavrov.html"), "{first}");
    assert!(page(&site, "people/sergei-lavrov.html").contains(&opening));
    let clean = tmp.path().join("clean");
    assert!(build(&input, &clean).status.success());
    let strip = |snap: Vec<(String, Vec<u8>)>| snap.into_iter().filter(|(p, _)| !p.starts_with('.')).collect::<Vec<_>>();
    assert!(strip(snapshot(&site)) == strip(snapshot(&clean)), "the incremental build is the clean one");
    // A correction must say which statements it is about.
    std::fs::write(input.join("entities.toml"), "[[speaker]]\nentity = \"Sergei Lavrov\"\n").unwrap();
    let o = build(&input, &tmp.path().join("bad"));
    assert!(!o.status.success() && stderr(&o).contains("say which statements"), "{}", stderr(&o));
}
