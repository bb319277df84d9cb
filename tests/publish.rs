//! Publishing with `base_url`: Atom feeds (RFC 4287), the sitemap (sitemaps.org 0.9), canonical
//! links, schema.org JSON-LD, and the W3C Web Annotation files; and none of the address-bound
//! files without `base_url`. No schema can be downloaded here, so the structure each format
//! requires is checked by hand on a real XML parse.

mod common;
use common::*;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

const BASE: &str = "https://archive.example.org/news";
const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
/// The markup a hostile article tries to smuggle into the page.
const HOSTILE: &str = "</script><script>alert(1)</script>";

/// The seeds plus a hostile article (script tags, `&`, XML-illegal controls), one whose year
/// is unknown and one with no date at all; built with `dossier build --config`.
fn build_archive(dir: &Path, base_url: Option<&str>) -> PathBuf {
    let input = dir.join("articles");
    copy_seeds(&input);
    fs::write(
        input.join("zz_hostile.txt"),
        format!("{HOSTILE} & \u{1}Lavrov\u{b} in Raqqa\n\nMOSCOW, May 31. /TASS/. Sergei Lavrov said {HOSTILE} about Raqqa and \u{1}Palmyra on Tuesday.\n\nSergei Lavrov spoke of Raqqa again.\n"),
    )
    .unwrap();
    fs::write(input.join("zz_hostile.toml"), format!("title = \"{HOSTILE} & \\u0001Lavrov\\u000B in Raqqa\"\npublished = \"2018-01-02\"\npublisher = \"</script> & Co\"\n")).unwrap();
    fs::write(input.join("zz_year_unknown.txt"), "Lavrov visits Raqqa front\n\nMOSCOW, May 30. /TASS/. Sergei Lavrov spoke about Raqqa.\n").unwrap();
    fs::write(input.join("zz_undated.txt"), "Talks about Raqqa continue\n\nSergei Lavrov spoke about Raqqa and Palmyra.\n").unwrap();
    let mut toml = String::from("title = \"Test & <archive>\"\ninput = \"articles\"\noutput = \"site\"\nexport = [\"annotations\"]\n");
    if let Some(b) = base_url {
        toml.push_str(&format!("base_url = \"{b}/\"\n"));
    }
    fs::write(dir.join("dossier.toml"), toml).unwrap();
    rebuild(dir)
}

fn rebuild(dir: &Path) -> PathBuf {
    let o = dossier().arg("build").arg("--config").arg(dir.join("dossier.toml")).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    dir.join("site")
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every HTML page of the site, by path from the root with '/' separators.
fn html_pages(site: &Path) -> Vec<String> {
    snapshot(site).into_iter().map(|(p, _)| p.replace('\\', "/")).filter(|p| p.ends_with(".html")).collect()
}

/// XML 1.0 `Char`: what may appear in a document at all.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn parse_xml(text: &str) -> roxmltree::Document<'_> {
    assert!(text.starts_with("<?xml version=\"1.0\""), "an XML declaration first");
    if let Some(c) = text.chars().find(|c| !xml_char(*c)) {
        panic!("character U+{:04X} is not allowed in XML 1.0", c as u32);
    }
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not well-formed: {e}\n{text}"))
}

fn elements<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str, ns: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.children().filter(|c| c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ns)).collect()
}

/// The one child `name`, with its text.
fn one<'a>(n: roxmltree::Node<'a, '_>, name: &str, ns: &str) -> &'a str {
    let found = elements(n, name, ns);
    assert_eq!(found.len(), 1, "<{}> needs exactly one <{name}>", n.tag_name().name());
    found[0].text().unwrap_or("")
}

/// RFC 3339 `date-time` in UTC, as `2017-05-31T00:00:00Z`.
fn rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20 && s.chars().enumerate().all(|(i, c)| match i {
        4 | 7 => c == '-',
        10 => c == 'T',
        13 | 16 => c == ':',
        19 => c == 'Z',
        _ => c.is_ascii_digit(),
    })
}

fn absolute(path: &str) -> String {
    format!("{BASE}/{path}")
}

struct Entry {
    id: String,
    title: String,
    updated: String,
}

/// Checks a feed against RFC 4287's required structure and returns its entries.
fn check_atom(site: &Path, path: &str) -> Vec<Entry> {
    let text = read(&site.join(path));
    let doc = parse_xml(&text);
    let feed = doc.root_element();
    assert_eq!((feed.tag_name().name(), feed.tag_name().namespace()), ("feed", Some(ATOM)), "{path}: root is atom:feed");
    assert!(one(feed, "id", ATOM).starts_with(BASE), "{path}: feed id is absolute");
    assert!(!one(feed, "title", ATOM).is_empty(), "{path}: feed title");
    let updated = one(feed, "updated", ATOM).to_string();
    assert!(rfc3339(&updated), "{path}: feed updated {updated:?}");
    let self_link = elements(feed, "link", ATOM).into_iter().find(|l| l.attribute("rel") == Some("self")).unwrap_or_else(|| panic!("{path}: rel=self link"));
    assert_eq!(self_link.attribute("href"), Some(absolute(path).as_str()), "{path}: self link");
    let feed_author = !elements(feed, "author", ATOM).is_empty();
    let mut entries = Vec::new();
    for e in elements(feed, "entry", ATOM) {
        let entry = Entry { id: one(e, "id", ATOM).to_string(), title: one(e, "title", ATOM).to_string(), updated: one(e, "updated", ATOM).to_string() };
        assert!(entry.id.starts_with(BASE), "{path}: entry id {}", entry.id);
        assert!(rfc3339(&entry.updated), "{path}: entry updated {:?}", entry.updated);
        let alternate: Vec<_> = elements(e, "link", ATOM).into_iter().filter(|l| l.attribute("rel").unwrap_or("alternate") == "alternate").collect();
        assert_eq!(alternate.len(), 1, "{path}: one alternate link per entry");
        let href = alternate[0].attribute("href").unwrap();
        assert!(site.join(href.strip_prefix(&format!("{BASE}/")).expect("absolute link")).is_file(), "{path}: {href} exists");
        for a in elements(e, "author", ATOM) {
            assert!(!one(a, "name", ATOM).is_empty());
        }
        assert!(feed_author || !elements(e, "author", ATOM).is_empty(), "{path}: an author for every entry");
        entries.push(entry);
    }
    assert!(!entries.is_empty() && entries.len() <= 50, "{path}: 1 to 50 entries");
    assert_eq!(updated, entries[0].updated, "{path}: the feed is as new as its newest entry");
    assert!(entries.windows(2).all(|w| w[0].updated >= w[1].updated), "{path}: newest first");
    assert_eq!(entries.iter().map(|e| &e.id).collect::<BTreeSet<_>>().len(), entries.len(), "{path}: entry ids unique");
    entries
}

fn is_full_date(p: &Value) -> bool {
    p.as_str().is_some_and(|d| d.len() == 10 && d.as_bytes()[0].is_ascii_digit())
}

#[test]
fn feeds_follow_rfc_4287_and_list_only_dated_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_archive(tmp.path(), Some(BASE));
    let archive = archive(&site);
    let articles = archive["articles"].as_array().unwrap();
    let dated: Vec<&Value> = articles.iter().filter(|a| is_full_date(&a["published"])).collect();
    assert!(dated.len() < articles.len(), "the test archive has articles without a full date");

    let entries = check_atom(&site, "feed.xml");
    let ids: BTreeSet<String> = entries.iter().map(|e| e.id.clone()).collect();
    let expected: BTreeSet<String> = dated.iter().map(|a| absolute(a["url"].as_str().unwrap())).collect();
    assert_eq!(ids, expected, "the feed lists exactly the articles with a full date");
    let hostile = entries.iter().find(|e| e.id.contains("zz-hostile")).expect("the hostile article is in the feed");
    assert_eq!(hostile.title, format!("{HOSTILE} & Lavrov in Raqqa"), "title escaped, illegal controls dropped");
    assert_eq!(hostile.updated, "2018-01-02T00:00:00Z");

    let home = read(&site.join("index.html"));
    assert!(home.contains(r#"<link rel="alternate" type="application/atom+xml" title="Test &amp; &lt;archive&gt;" href="feed.xml">"#), "autodiscovery on the home page");

    // One feed per entity with a dated article, beside its page and announced by it.
    let by_id: HashMap<&str, &Value> = articles.iter().map(|a| (a["id"].as_str().unwrap(), a)).collect();
    let mut feeds = 0;
    for e in archive["entities"].as_array().unwrap() {
        let url = e["url"].as_str().unwrap();
        if let Some((index, _)) = url.split_once('#') {
            // No page (named in one article): no feed beside the page it does not have.
            let (kind, slug) = e["id"].as_str().unwrap().split_once('/').unwrap();
            let folder = index.split('/').next().unwrap();
            assert!(["location", "person", "organisation"].contains(&kind));
            assert!(!site.join(format!("{folder}/{slug}.xml")).exists() && !site.join(format!("{folder}/{slug}.html")).exists(), "{url}: no page, no feed");
            continue;
        }
        let feed = url.replace(".html", ".xml");
        let page = read(&site.join(url));
        let mentioned: BTreeSet<String> = e["articles"].as_array().unwrap().iter().map(|id| by_id[id.as_str().unwrap()]).filter(|a| is_full_date(&a["published"])).map(|a| absolute(a["url"].as_str().unwrap())).collect();
        if mentioned.is_empty() {
            assert!(!site.join(&feed).exists(), "{feed}: no feed without a dated article");
            continue;
        }
        let ids: BTreeSet<String> = check_atom(&site, &feed).into_iter().map(|e| e.id).collect();
        assert_eq!(ids, mentioned, "{feed}: the dated articles that mention it");
        assert!(page.contains(&format!(r#"type="application/atom+xml" title="{} · Test &amp; &lt;archive&gt;" href="../{feed}">"#, e["name"].as_str().unwrap())), "{url}: autodiscovery of its feed");
        feeds += 1;
    }
    assert!(feeds > 10, "entity feeds written ({feeds})");
}

#[test]
fn sitemap_lists_every_page_and_canonical_links_are_absolute() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_archive(tmp.path(), Some(BASE));
    let text = read(&site.join("sitemap.xml"));
    let doc = parse_xml(&text);
    let root = doc.root_element();
    assert_eq!((root.tag_name().name(), root.tag_name().namespace()), ("urlset", Some(SITEMAP)));
    assert!(root.children().filter(|n| n.is_element()).all(|n| n.tag_name().name() == "url" && n.tag_name().namespace() == Some(SITEMAP)), "only <url> children");
    let locs: Vec<String> = elements(root, "url", SITEMAP).into_iter().map(|u| one(u, "loc", SITEMAP).to_string()).collect();
    assert!(!locs.is_empty() && locs.len() <= 50_000);
    for loc in &locs {
        assert!(loc.starts_with(BASE) && loc.len() < 2048 && loc.is_ascii() && !loc.contains(' '), "{loc}");
    }
    let mut sorted = locs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(locs, sorted, "unique and in a fixed order");

    let pages = html_pages(&site);
    assert_eq!(locs, pages.iter().map(|p| absolute(p)).collect::<Vec<_>>(), "every HTML page, nothing else");
    for p in &pages {
        let html = read(&site.join(p));
        let canonical: Vec<&str> = html.match_indices(r#"<link rel="canonical" href=""#).map(|(i, m)| html[i + m.len()..].split('"').next().unwrap()).collect();
        assert_eq!(canonical, [absolute(p).as_str()], "{p}: one canonical link, its own address");
    }
}

/// The JSON inside `<script type="application/ld+json">`, up to the first `</script>` as an
/// HTML parser would cut it.
fn json_ld(html: &str) -> (String, Value) {
    let start = html.find(r#"<script type="application/ld+json">"#).expect("a JSON-LD script") + r#"<script type="application/ld+json">"#.len();
    let body = &html[start..start + html[start..].find("</script>").unwrap()];
    let v = serde_json::from_str(body).unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{body}"));
    (body.to_string(), v)
}

#[test]
fn news_article_json_ld_is_complete_and_cannot_break_out() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_archive(tmp.path(), Some(BASE));
    let archive = archive(&site);
    let entities: HashMap<&str, &Value> = archive["entities"].as_array().unwrap().iter().map(|e| (e["id"].as_str().unwrap(), e)).collect();
    for a in archive["articles"].as_array().unwrap() {
        let url = a["url"].as_str().unwrap();
        let html = read(&site.join(url));
        let (raw, v) = json_ld(&html);
        assert!(!raw.contains('<') && !raw.contains('>'), "{url}: markup characters are escaped in the JSON");
        assert_eq!(v["@context"], "https://schema.org", "{url}");
        assert_eq!(v["@type"], "NewsArticle", "{url}");
        assert_eq!(v["headline"], a["title"], "{url}");
        assert_eq!(v["url"], absolute(url).as_str(), "{url}");
        assert_eq!(v["mainEntityOfPage"]["@id"], absolute(url).as_str(), "{url}");
        match is_full_date(&a["published"]) {
            true => assert_eq!(v["datePublished"], a["published"], "{url}"),
            false => assert!(v.get("datePublished").is_none(), "{url}: no datePublished without a full date"),
        }
        // Every entity the article mentions, with its page and, for places, GeoNames.
        let mentioned: BTreeSet<&str> = a["mentions"].as_array().unwrap().iter().map(|m| m["entity"].as_str().unwrap()).collect();
        let things = v["mentions"].as_array().unwrap();
        assert_eq!(things.len(), mentioned.len(), "{url}: one item per entity");
        for id in mentioned {
            let e = entities[id];
            let t = things.iter().find(|t| t["url"] == absolute(e["url"].as_str().unwrap()).as_str()).unwrap_or_else(|| panic!("{url}: {id} in mentions"));
            assert_eq!(t["name"], e["name"]);
            if let Some(g) = e["place"]["geonames_id"].as_u64() {
                assert_eq!(t["sameAs"], format!("https://sws.geonames.org/{g}/").as_str());
                assert!(t["geo"]["latitude"].is_number());
            }
        }
    }

    let hostile = read(&site.join("articles/zz-hostile.html"));
    assert_eq!(hostile.matches("<script").count(), 3, "only the JSON-LD, review.js and dossier.js scripts");
    assert_eq!(hostile.matches("<script src=").count(), 2);
    let (_, v) = json_ld(&hostile);
    assert_eq!(v["headline"], format!("{HOSTILE} & \u{1}Lavrov\u{b} in Raqqa"));
    assert_eq!(v["publisher"]["name"], "</script> & Co");
    // A place of `mentions` is named by reference to its node there.
    let id = v["spatialCoverage"]["@id"].as_str().expect("a reference to a node of mentions");
    let node = v["mentions"].as_array().unwrap().iter().find(|t| t["@id"] == id).expect("the node referred to");
    assert_eq!(node["name"], "Moscow", "the dateline's place");
    assert_eq!(node["sameAs"], id, "its GeoNames URI");
}

/// Resolves an address from an annotation shard to a file of the site.
fn site_file(site: &Path, from: &str, address: &str) -> PathBuf {
    match address.strip_prefix(&format!("{BASE}/")) {
        Some(path) => site.join(path.split('#').next().unwrap()),
        None => {
            assert!(!address.contains("://"), "{address}: absolute but not under base_url");
            site.join(Path::new(from).parent().unwrap()).join(address.split('#').next().unwrap())
        }
    }
}

/// Checks every annotation shard against the Web Annotation model, the positions and quotes
/// against the text, and the compact form: one line per article, each entity page described
/// once per line (later bodies name it by address).
fn check_annotations(site: &Path, absolute_addresses: bool) {
    let archive = archive(site);
    let lines = annotation_lines(site);
    let articles = archive["articles"].as_array().unwrap();
    assert_eq!(lines.len(), articles.len(), "one line per article");
    let mut checked = 0;
    for a in articles {
        let id = a["id"].as_str().unwrap();
        let (path, c) = lines.iter().find(|(_, c)| c["id"].as_str().unwrap().ends_with(&format!("#{id}"))).unwrap_or_else(|| panic!("{id}: a line"));
        assert_eq!(c["@context"], "http://www.w3.org/ns/anno.jsonld", "{path}");
        assert_eq!(c["type"], "AnnotationCollection", "{path}");
        assert_eq!(absolute_addresses, c["id"].as_str().unwrap().starts_with(&format!("{BASE}/{path}#")), "{path}: collection id {}", c["id"]);
        let items = c["first"]["items"].as_array().map(Vec::as_slice).unwrap_or_default();
        assert_eq!(c["total"], items.len(), "{path}: total");
        if !items.is_empty() {
            assert_eq!(c["first"]["type"], "AnnotationPage", "{path}");
        }
        let mut ids = BTreeSet::new();
        let mut described = BTreeSet::new();
        let mut mentions = 0;
        for an in items {
            let aid = an["id"].as_str().expect("annotation id");
            assert!(ids.insert(aid), "{path}: {aid} unique");
            assert!(aid.contains(&format!("#{id}/")), "{aid}: named after its article");
            assert_eq!(absolute_addresses, aid.starts_with(BASE), "{aid}");
            assert_eq!(an["type"], "Annotation", "{aid}");
            let motivation = an["motivation"].as_str().unwrap();
            assert!(["identifying", "describing", "quoting"].contains(&motivation), "{aid}: {motivation}");
            mentions += usize::from(motivation == "identifying");
            let bodies = match &an["body"] {
                Value::Array(b) => b.clone(),
                b @ Value::Object(_) => vec![b.clone()],
                // A statement without a known speaker has no body (the model allows none).
                Value::Null if motivation == "quoting" => Vec::new(),
                other => panic!("{aid}: body {other}"),
            };
            assert!(!bodies.is_empty() || motivation == "quoting", "{aid}: a body");
            for b in &bodies {
                match b["type"].as_str() {
                    Some("TextualBody") => assert!(b["value"].as_str().is_some_and(|v| !v.is_empty()), "{aid}: TextualBody value"),
                    Some("SpecificResource") => assert!(b["source"].is_string() || b["source"]["id"].is_string(), "{aid}: SpecificResource source"),
                    t => panic!("{aid}: body type {t:?}"),
                }
            }
            // An entity's page: described (format, label) the first time the line names it,
            // its address alone after that.
            if let Some(page) = bodies.first().filter(|b| b["type"] == "SpecificResource") {
                let (address, full) = match &page["source"] {
                    Value::String(s) => (s.clone(), false),
                    s => (s["id"].as_str().unwrap().to_string(), true),
                };
                assert_eq!(full, described.insert(address.clone()), "{aid}: {address} described once, at its first use");
                if full {
                    assert_eq!(page["source"]["format"], "text/html", "{aid}");
                    assert!(page["source"]["label"].as_str().is_some_and(|l| !l.is_empty()), "{aid}: label");
                }
                assert!(site_file(site, path, &address).is_file(), "{aid}: {address} exists");
            }

            let target = &an["target"];
            let source = target["source"].as_str().expect("target source");
            assert_eq!(absolute_addresses, source.starts_with(BASE), "{source}");
            assert!(source.ends_with(&format!("articles/{id}.html")), "{aid}: {source} is the article's page");
            let page = read(&site_file(site, path, source));
            let selectors = target["selector"].as_array().unwrap();
            let quote = selectors.iter().find(|s| s["type"] == "TextQuoteSelector").expect("TextQuoteSelector");
            let exact = quote["exact"].as_str().unwrap();
            assert!(!exact.is_empty(), "{aid}: exact");
            // The fragment is the passage's mark on the page, named as the annotation is; a
            // passage of the headline, shown unmarked, has none.
            match selectors.iter().find(|s| s["type"] == "FragmentSelector") {
                Some(fragment) => {
                    let mark = fragment["value"].as_str().unwrap();
                    assert!(aid.ends_with(&format!("/{mark}")), "{aid}: fragment {mark}");
                    assert!(page.contains(&format!(" id=\"{mark}\"")), "{aid}: the page has the mark {mark}");
                }
                None => assert!(a["title"].as_str().unwrap().contains(exact), "{aid}: no mark, so in the headline"),
            }
            // The quote's context is text the page shows around it.
            for side in ["prefix", "suffix"] {
                assert!(quote.get(side).is_none_or(|v| v.as_str().is_some_and(|t| !t.is_empty() && t.chars().count() <= 32)), "{aid}: {side}");
            }
            checked += 1;
        }
        assert_eq!(mentions, a["mentions"].as_array().unwrap().len(), "{path}: one identifying annotation per mention");
        // The mentions' annotations (`m1`, `m2`, … in archive.json's order, as the marks on the
        // page) select what archive.json says each mention is.
        for (k, m) in a["mentions"].as_array().unwrap().iter().enumerate() {
            let an = items.iter().find(|an| an["id"].as_str().unwrap().ends_with(&format!("#{id}/m{}", k + 1))).unwrap_or_else(|| panic!("{id}: an annotation for the mention {m}"));
            assert_eq!(an["motivation"], "identifying");
            assert_eq!(an["target"]["selector"][0]["exact"], m["text"], "{id}: the annotation of {m} quotes it");
        }
    }
    assert!(checked > 100, "annotations checked: {checked}");
}

#[test]
fn web_annotations_with_base_url_are_absolute_and_point_into_the_text() {
    let tmp = tempfile::tempdir().unwrap();
    check_annotations(&build_archive(tmp.path(), Some(BASE)), true);
}

#[test]
fn without_base_url_no_feed_sitemap_or_canonical_and_relative_data() {
    let tmp = tempfile::tempdir().unwrap();
    let site = build_archive(tmp.path(), None);
    let files = snapshot(&site);
    let xml: Vec<&String> = files.iter().map(|f| &f.0).filter(|p| p.ends_with(".xml")).collect();
    assert!(xml.is_empty(), "no feeds or sitemap: {xml:?}");
    for p in html_pages(&site) {
        let html = read(&site.join(&p));
        assert!(!html.contains("rel=\"canonical\"") && !html.contains("application/atom+xml"), "{p}: no canonical or feed link");
        assert!(!html.contains(BASE));
        if p.starts_with("articles/") && p != "articles/index.html" {
            let (_, v) = json_ld(&html);
            assert_eq!(v["@type"], "NewsArticle");
            assert!(v.get("url").is_none() && v.get("mainEntityOfPage").is_none(), "{p}: no address without base_url");
        }
    }
    check_annotations(&site, false);
}

#[test]
fn builds_with_base_url_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let a = snapshot(&build_archive(tmp.path(), Some(BASE)));
    let b = snapshot(&rebuild(tmp.path()));
    assert!(a.iter().any(|f| f.0 == "sitemap.xml"));
    assert_eq!(a.iter().map(|f| &f.0).collect::<Vec<_>>(), b.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((name, x), (_, y)) in a.iter().zip(b.iter()) {
        assert!(x == y, "{name} differs between two builds");
    }
}

#[test]
fn a_base_url_must_be_an_absolute_address() {
    let tmp = tempfile::tempdir().unwrap();
    copy_seeds(&tmp.path().join("articles"));
    fs::write(tmp.path().join("dossier.toml"), "base_url = \"archive.example.org\"\ninput = \"articles\"\n").unwrap();
    let o = dossier().arg("build").arg("--config").arg(tmp.path().join("dossier.toml")).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("https://"), "{}", stderr(&o));
    assert!(!tmp.path().join("site").exists());
}
