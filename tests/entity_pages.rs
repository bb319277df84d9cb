//! Entity pages in pages (issue 32): an entity named in more articles than `entity_page_size`
//! keeps its first page at its address and gets `FOLDER/SLUG/page/N.html` for the rest, each
//! linked to the others; every article is listed once across them; and incremental builds stay
//! the clean ones when an entity gains or loses a page.

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

/// An archive of `n` articles, each naming Sergei Lavrov once on its own day, the newest first
/// in the list being the highest number; Maria Zakharova is named by the first three only.
fn paged_archive(n: usize, page_size: usize) -> Archive {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let input = root.join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("entities.toml"), "[[entity]]\nname = \"Sergei Lavrov\"\ntype = \"person\"\n\n[[entity]]\nname = \"Maria Zakharova\"\ntype = \"person\"\n").unwrap();
    for k in 1..=n {
        write_article(&input, k);
    }
    let config = root.join("dossier.toml");
    fs::write(&config, format!("title = \"Paged\"\nentity_page_size = {page_size}\n")).unwrap();
    let a = Archive { _tmp: tmp, out: root.join("site"), root, input, config };
    let o = a.build(&a.out);
    assert!(o.status.success(), "{}", stderr(&o));
    a
}

fn write_article(input: &Path, k: usize) {
    let also = if k <= 3 { " Maria Zakharova, the ministry's spokeswoman, agreed." } else { "" };
    fs::write(input.join(format!("talks-{k:02}.txt")), format!("Talks, round {k}\n\nSergei Lavrov said in Geneva that round {k} of the talks had ended.{also}\n")).unwrap();
    fs::write(input.join(format!("talks-{k:02}.toml")), format!("published = \"2016-03-{k:02}\"\n")).unwrap();
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

    /// The pages of an entity's page that exist, in order, from its first page's path.
    fn pages_of(&self, first: &str) -> Vec<String> {
        let mut pages = vec![first.to_string()];
        let folder = first.strip_suffix(".html").unwrap();
        while self.out.join(format!("{folder}/page/{}.html", pages.len() + 1)).is_file() {
            pages.push(format!("{folder}/page/{}.html", pages.len() + 1));
        }
        pages
    }
}

/// `href` of the page at `from` (a site path) as a site path; None for other kinds of link.
fn resolve(from: &str, href: &str) -> Option<String> {
    if href.contains(':') || href.starts_with('#') || href.starts_with('/') {
        return None;
    }
    let href = href.split(['#', '?']).next().unwrap();
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for p in href.split('/') {
        match p {
            ".." => assert!(parts.pop().is_some(), "{href} from {from} leaves the site"),
            "." | "" => {}
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The `href`s of the elements of `html` that start with `start` (up to the next `href="`).
fn hrefs(html: &str, start: &str) -> Vec<String> {
    html.match_indices(start).filter_map(|(at, _)| between(&html[at..], "href=\"", "\"").map(str::to_string)).collect()
}

/// The site path a `<link rel>` or `<a rel>` of the page at `path` leads to.
fn rel(html: &str, path: &str, which: &str) -> Option<String> {
    let link = hrefs(html, &format!("<link rel=\"{which}\"")).pop().map(|h| resolve(path, &h).unwrap());
    let anchor: Vec<String> = html.match_indices(&format!("rel=\"{which}\">")).map(|(at, _)| {
        let tag = &html[html[..at].rfind("<a ").unwrap()..at];
        resolve(path, between(tag, "href=\"", "\"").unwrap()).unwrap()
    }).collect();
    assert!(anchor.len() <= 1, "{path}: one {which} link in the page: {anchor:?}");
    assert_eq!(link, anchor.first().cloned(), "{path}: <link rel={which}> and the pager's link agree");
    link
}

#[test]
fn an_entity_in_more_articles_than_a_page_has_linked_pages_listing_each_article_once() {
    let a = paged_archive(8, 3);
    let first = "people/sergei-lavrov.html";
    let pages = a.pages_of(first);
    assert_eq!(pages, vec![first.to_string(), "people/sergei-lavrov/page/2.html".into(), "people/sergei-lavrov/page/3.html".into()], "8 articles, 3 to a page");

    let mut listed = Vec::new();
    for (p, path) in pages.iter().enumerate() {
        let html = page(&a.out, path);
        assert!(html.contains("In 8 articles"), "{path}: the total");
        assert!(html.contains(&format!("this is page {} of 3", p + 1)), "{path}: says which page it is");
        // Previous and next, in the head and in the pager.
        assert_eq!(rel(&html, path, "prev"), p.checked_sub(1).map(|q| pages[q].clone()), "{path}: previous");
        assert_eq!(rel(&html, path, "next"), pages.get(p + 1).cloned(), "{path}: next");
        // The numbered links: every page, the current one marked, each leading to it.
        let nav = between(&html, "<nav class=\"list-pages\"", "</nav>").unwrap_or_else(|| panic!("{path}: numbered links"));
        let numbered: Vec<String> = hrefs(nav, "<a ").iter().map(|h| resolve(path, h).unwrap()).collect();
        assert_eq!(numbered, pages, "{path}: numbered links to every page");
        assert!(nav.contains(&format!("data-page=\"{}\" aria-current=\"page\"", p + 1)), "{path}: the current page marked");
        // Every link of the page leads to a file of the site.
        for h in hrefs(&html, "<a ").iter().chain(&hrefs(&html, "<link ")) {
            if let Some(target) = resolve(path, h) {
                assert!(a.out.join(&target).is_file(), "{path}: {h} leads nowhere");
            }
        }
        // The overview is on the first page only.
        assert_eq!(html.contains("Often mentioned with"), p == 0, "{path}: related entities on the first page");
        assert_eq!(html.contains("class=\"chart\""), p == 0, "{path}: the chart on the first page");
        let occ: Vec<String> = hrefs(&html, "<h3 class=\"occ__title\">").iter().map(|h| resolve(path, h).unwrap()).collect();
        assert_eq!(occ.len(), if p < 2 { 3 } else { 2 }, "{path}: its articles");
        listed.extend(occ);
    }
    let mut expected: Vec<String> = archive_articles(&a.out).into_iter().rev().collect();
    assert_eq!(listed, expected, "every article once, newest first, across the pages");
    expected.sort();
    expected.dedup();
    assert_eq!(expected.len(), 8);

    // An entity on one page has no pager, and no folder of pages.
    let one = page(&a.out, "people/maria-zakharova.html");
    assert!(one.contains("In 3 articles") && !one.contains("list-pages") && !one.contains("rel=\"next\""));
    assert!(!a.out.join("people/maria-zakharova").exists());
    // The sitemap of a site with a base address lists the later pages too.
    fs::write(&a.config, "title = \"Paged\"\nentity_page_size = 3\nbase_url = \"https://example.org\"\n").unwrap();
    let o = a.build(&a.out);
    assert!(o.status.success(), "{}", stderr(&o));
    let sitemap = page(&a.out, "sitemap.xml");
    assert!(sitemap.contains("https://example.org/people/sergei-lavrov/page/3.html"), "{sitemap}");
    assert!(page(&a.out, "people/sergei-lavrov/page/2.html").contains("<link rel=\"canonical\" href=\"https://example.org/people/sergei-lavrov/page/2.html\">"));
}

/// The articles' site paths, oldest first (the test's articles have one day each).
fn archive_articles(out: &Path) -> Vec<String> {
    let arch = archive(out);
    let mut arts: Vec<(String, String)> = arch["articles"].as_array().unwrap().iter().map(|x| (x["published"].as_str().unwrap().to_string(), format!("articles/{}.html", x["id"].as_str().unwrap()))).collect();
    arts.sort();
    arts.into_iter().map(|(_, u)| u).collect()
}

#[test]
fn entity_pages_gained_and_lost_give_the_clean_site() {
    let a = paged_archive(3, 3);
    let lavrov = "people/sergei-lavrov/page/2.html";
    assert!(!a.out.join(lavrov).exists(), "3 articles fit one page");
    a.rebuild_matches_clean("unchanged");

    // A fourth article: a second page.
    write_article(&a.input, 4);
    a.rebuild_matches_clean("one page to two");
    assert!(a.out.join(lavrov).is_file());
    assert!(page(&a.out, lavrov).contains("Talks, round 1"), "the oldest article moved to page 2");

    // An edit of the article on page 2 only.
    fs::write(a.input.join("talks-01.txt"), "Talks, round one\n\nSergei Lavrov said in Geneva that the first round had ended.\n").unwrap();
    a.rebuild_matches_clean("edited on page 2");
    assert!(page(&a.out, lavrov).contains("Talks, round one"));

    // Smaller pages, then larger ones: pages come and go with the setting.
    fs::write(&a.config, "title = \"Paged\"\nentity_page_size = 1\n").unwrap();
    a.rebuild_matches_clean("four pages");
    // (Maria Zakharova is named by two articles now: the edit above left her out of one.)
    assert!(a.out.join("people/sergei-lavrov/page/4.html").is_file() && a.out.join("people/maria-zakharova/page/2.html").is_file());
    fs::write(&a.config, "title = \"Paged\"\nentity_page_size = 3\n").unwrap();
    a.rebuild_matches_clean("back to two pages");
    assert!(!a.out.join("people/sergei-lavrov/page/3.html").exists() && !a.out.join("people/maria-zakharova").exists(), "stale pages and their folder are gone");

    // The article removed again: back to one page, the folder of pages gone.
    fs::remove_file(a.input.join("talks-04.txt")).unwrap();
    fs::remove_file(a.input.join("talks-04.toml")).unwrap();
    a.rebuild_matches_clean("two pages to one");
    assert!(!a.out.join("people/sergei-lavrov").exists(), "no folder of pages is left");
    assert!(a.out.join("people/sergei-lavrov.html").is_file());
}
