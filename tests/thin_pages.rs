//! Files per article (issue 32): an entity named in one article has no page of its own but a
//! row on its type's A–Z, where every link to it lands, with its article beside it; an entity
//! of two articles has a page; incremental builds equal clean ones as an entity goes from one
//! article to two and back; and an article whose page shows all of its file gets no copy of it
//! (`articles/ID.txt`), its Web Annotations selecting the text on the page instead.

mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};

struct Archive {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    input: PathBuf,
    config: PathBuf,
    out: PathBuf,
}

/// Sergei Lavrov is named by both articles; Maria Zakharova by the first only (and by the
/// second when `zakharova_twice`).
fn write_articles(input: &Path, zakharova_twice: bool) {
    let second = if zakharova_twice { " Maria Zakharova, the ministry's spokeswoman, said the same." } else { "" };
    fs::write(input.join("talks-01.txt"), "Talks in Geneva\n\nSergei Lavrov said in Geneva that the talks had ended. Maria Zakharova, the ministry's spokeswoman, agreed.\n").unwrap();
    fs::write(input.join("talks-01.toml"), "published = \"2016-03-01\"\n").unwrap();
    fs::write(input.join("talks-02.txt"), format!("Talks resume\n\nSergei Lavrov said in Geneva that the talks would resume.{second}\n")).unwrap();
    fs::write(input.join("talks-02.toml"), "published = \"2016-03-02\"\n").unwrap();
}

fn archive(settings: &str, zakharova_twice: bool) -> Archive {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let input = root.join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("entities.toml"), "[[entity]]\nname = \"Sergei Lavrov\"\ntype = \"person\"\n\n[[entity]]\nname = \"Maria Zakharova\"\ntype = \"person\"\n").unwrap();
    write_articles(&input, zakharova_twice);
    let config = root.join("dossier.toml");
    fs::write(&config, format!("title = \"Thin\"\nexport = [\"annotations\"]\n{settings}")).unwrap();
    let a = Archive { _tmp: tmp, out: root.join("site"), root, input, config };
    let o = a.build(&a.out);
    assert!(o.status.success(), "{}", stderr(&o));
    a
}

impl Archive {
    fn build(&self, out: &Path) -> std::process::Output {
        dossier().arg("build").arg("--config").arg(&self.config).arg("--input").arg(&self.input).arg("--output").arg(out).output().expect("dossier runs")
    }

    /// Builds incrementally, then from nothing into another folder; the two must be the same.
    fn rebuild_matches_clean(&self, what: &str) {
        let o = self.build(&self.out);
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        let clean = self.root.join(format!("clean-{}", what.replace(' ', "-")));
        let o = self.build(&clean);
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        let (inc, fresh) = (snapshot(&self.out), snapshot(&clean));
        let names = |s: &[(String, Vec<u8>)]| s.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&inc), names(&fresh), "{what}: the same files");
        for (a, b) in inc.iter().zip(&fresh) {
            assert!(a.1 == b.1, "{what}: {} differs from a clean build", a.0);
        }
    }
}

/// The entity of archive.json with this name.
fn entity<'a>(archive: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    archive["entities"].as_array().unwrap().iter().find(|e| e["name"] == name).unwrap_or_else(|| panic!("no entity {name}"))
}

/// The `<li>` of the A–Z with this id, from its start tag to its end tag.
fn row<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!("<li id=\"{id}\""))?;
    Some(&html[start..start + html[start..].find("</li>")?])
}

#[test]
fn a_one_article_entity_is_a_row_of_the_index_where_its_links_land_and_a_two_article_one_has_a_page() {
    let a = archive("", false);
    let data = common::archive(&a.out);
    let first = data["articles"].as_array().unwrap().iter().find(|x| x["title"] == "Talks in Geneva").unwrap();
    let first_url = first["url"].as_str().unwrap();

    // Two articles: a page, and links to it.
    let lavrov = entity(&data, "Sergei Lavrov");
    assert_eq!(lavrov["url"], "people/sergei-lavrov.html");
    assert!(a.out.join("people/sergei-lavrov.html").is_file());

    // One article: no page; its address is its row on the index.
    let zakharova = entity(&data, "Maria Zakharova");
    assert_eq!(zakharova["url"], "people/index.html#e-maria-zakharova", "archive.json gives the address links use");
    assert!(!a.out.join("people/maria-zakharova.html").exists(), "no page for an entity of one article");
    assert!(!a.out.join("people/maria-zakharova").exists());
    let index = page(&a.out, "people/index.html");
    let row = row(&index, "e-maria-zakharova").expect("the index has a row with the anchor the links use");
    assert!(row.contains("Maria Zakharova"), "{row}");
    assert!(row.contains(&format!("href=\"../{first_url}\"")), "the row links the entity's article: {row}");
    assert!(row.contains("Talks in Geneva"), "{row}");
    assert!(!row.contains("maria-zakharova.html"), "{row}");
    // Lavrov is listed as a link to his page, with no row id of his own.
    assert!(index.contains("href=\"../people/sergei-lavrov.html\""));
    assert!(!index.contains("id=\"e-sergei-lavrov\""));

    // The article's marks, "In this article" and the research tables all use the index address.
    let article = page(&a.out, first_url);
    assert!(article.contains("href=\"../people/index.html#e-maria-zakharova\""), "the mark links the index row");
    assert!(!article.contains("maria-zakharova.html"), "no link to a page that does not exist");
    let csv = fs::read_to_string(a.out.join("data/entities.csv")).unwrap();
    assert!(csv.lines().any(|l| l.starts_with("person/maria-zakharova,") && l.contains("people/index.html#e-maria-zakharova")), "{csv}");
    // Lavrov's page names her among the related entities, at her row.
    assert!(page(&a.out, "people/sergei-lavrov.html").contains("href=\"../people/index.html#e-maria-zakharova\""));
    // No file of the site names the page she does not have.
    for (path, bytes) in snapshot(&a.out) {
        assert!(!String::from_utf8_lossy(&bytes).contains("people/maria-zakharova.html"), "{path} links a page not written");
    }
}

#[test]
fn entity_page_min_articles_one_gives_every_entity_a_page() {
    let a = archive("entity_page_min_articles = 1\n", false);
    assert!(a.out.join("people/maria-zakharova.html").is_file());
    assert_eq!(entity(&common::archive(&a.out), "Maria Zakharova")["url"], "people/maria-zakharova.html");
    assert!(!page(&a.out, "people/index.html").contains("id=\"e-"));
}

#[test]
fn an_entity_going_from_one_article_to_two_and_back_gives_the_clean_site() {
    let a = archive("", false);
    assert!(!a.out.join("people/maria-zakharova.html").exists());
    write_articles(&a.input, true);
    a.rebuild_matches_clean("second article");
    assert!(a.out.join("people/maria-zakharova.html").is_file(), "two articles: a page");
    assert!(page(&a.out, "articles/talks-01.html").contains("href=\"../people/maria-zakharova.html\""), "an article not edited links the new page");
    assert!(!page(&a.out, "people/index.html").contains("id=\"e-maria-zakharova\""));
    write_articles(&a.input, false);
    a.rebuild_matches_clean("back to one");
    assert!(!a.out.join("people/maria-zakharova.html").exists(), "the page is deleted");
    assert!(page(&a.out, "articles/talks-01.html").contains("href=\"../people/index.html#e-maria-zakharova\""));
}

/// The text content of an HTML fragment: tags dropped, the few entities the pages use decoded.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#x27;", "'").replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
}

#[test]
fn a_page_that_shows_all_its_file_has_no_copy_and_the_annotations_select_the_text_on_the_page() {
    let a = archive("", false);
    let txt: Vec<String> = snapshot(&a.out).into_iter().map(|f| f.0).filter(|p| p.starts_with("articles/") && p.ends_with(".txt")).collect();
    assert!(txt.is_empty(), "no copy of a text the page shows whole: {txt:?}");
    let article = page(&a.out, "articles/talks-01.html");
    assert!(!article.contains(".txt\""), "no link to a copy");

    let lines = annotation_lines(&a.out);
    let (shard, line) = lines.iter().find(|(_, l)| l["id"] == "#talks-01").expect("the article's collection");
    let items = line["first"]["items"].as_array().unwrap();
    let mut checked = 0;
    for item in items.iter().filter(|i| i["motivation"] == "identifying") {
        let target = &item["target"];
        assert_eq!(target["source"], "../../articles/talks-01.html", "{shard}: the annotation targets the page");
        let selectors = target["selector"].as_array().unwrap();
        let quote = selectors.iter().find(|s| s["type"] == "TextQuoteSelector").expect("a quote selector");
        let exact = quote["exact"].as_str().unwrap();
        // Prefix, exact and suffix are consecutive text of the page.
        let whole = format!("{}{exact}{}", quote["prefix"].as_str().unwrap_or(""), quote["suffix"].as_str().unwrap_or(""));
        assert!(text_of(&article).contains(&whole), "{whole:?} is not the page's text");
        // The mark with the fragment's id holds exactly the quote's text; the headline's
        // passages are not marked, and have none.
        let Some(fragment) = selectors.iter().find(|s| s["type"] == "FragmentSelector") else {
            assert!(exact == "Geneva", "only the headline's Geneva is unmarked: {exact}");
            continue;
        };
        let id = fragment["value"].as_str().unwrap();
        let open = article.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no mark {id} on the page"));
        let mark = &article[open..];
        let mark = &mark[mark.find('>').unwrap() + 1..];
        let mark = &mark[..mark.find("</a>").or_else(|| mark.find("</mark>")).unwrap()];
        assert_eq!(text_of(mark).trim(), exact, "mark {id}");
        checked += 1;
    }
    assert!(checked >= 2, "Lavrov and Zakharova at least: {checked}");
    let zakharova = items.iter().find(|i| i["target"]["selector"][0]["exact"] == "Maria Zakharova").expect("Zakharova's mention");
    let quote = &zakharova["target"]["selector"][0];
    assert_eq!(quote["prefix"], " said in Geneva that the talks had ended. ".chars().rev().take(32).collect::<Vec<_>>().into_iter().rev().collect::<String>());
    assert_eq!(quote["suffix"], ", the ministry's spokeswoman, ag");
    assert_eq!(zakharova["body"][0]["source"]["id"], "../../people/index.html#e-maria-zakharova", "the body names the entity's row");
}

#[test]
fn a_page_that_leaves_part_of_its_file_out_links_its_copy() {
    let a = archive("", false);
    // Markdown: the markup is not shown, so the source is published beside the page.
    fs::write(a.input.join("notes.md"), "# Notes from Geneva\n\nSergei Lavrov **said** the talks had ended.\n").unwrap();
    let o = a.build(&a.out);
    assert!(o.status.success(), "{}", stderr(&o));
    let copy = a.out.join("articles/notes.txt");
    assert!(copy.is_file(), "the source beside the page");
    assert_eq!(fs::read_to_string(copy).unwrap(), fs::read_to_string(a.input.join("notes.md")).unwrap());
    assert!(page(&a.out, "articles/notes.html").contains("href=\"notes.txt\""), "the page links it");
    assert!(!a.out.join("articles/talks-01.txt").exists());
    // Front matter is metadata, which the page shows as such: a Markdown file of plain
    // paragraphs below it has no copy.
    fs::write(a.input.join("plain.md"), "+++\ntitle = \"Talks end\"\ndate = \"2016-03-03\"\n+++\n\nSergei Lavrov said the talks had ended.\n\nNothing else was said.\n").unwrap();
    let o = a.build(&a.out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(a.out.join("articles/plain.html").is_file());
    assert!(!a.out.join("articles/plain.txt").exists(), "front matter and paragraphs: all shown");
    assert!(a.out.join("articles/notes.txt").is_file());
}
