//! The pages that list the whole archive, on one large enough to need more than one page:
//! the article list comes in pages of 500, and an entity type with more than 2,000 entities gets
//! an index that ranks the most cited and an A–Z page per letter (the others still list
//! everything on one page); past 500 dated articles the dates index leaves each day's articles
//! to the month pages. Either way every article and entity page must be reachable.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ONE_PAGE: usize = 2000; // index::INDEX_ON_ONE_PAGE
const RANKED: usize = 500; // index::INDEX_RANKED
const LIST_PAGE: usize = 500; // index::ARTICLE_PAGE
const ARTICLES: usize = 1100;
const DAYS_ON_INDEX: usize = 500; // index::dates::DAYS_ON_INDEX
const ARCHIVE_PART: usize = 500; // export::parts::PART_ARTICLES

/// One build of 1,100 bench articles, shared by the tests of this file.
fn site() -> &'static Path {
    static SITE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("large_archive");
        let _ = std::fs::remove_dir_all(&dir);
        let (input, site) = (dir.join("in"), dir.join("site"));
        let o = dossier().args(["bench-corpus", "--quiet", "--articles", &ARTICLES.to_string(), "--out"]).arg(&input).output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let o = build(&input, &site);
        assert!(o.status.success(), "{}", stderr(&o));
        site
    })
}

/// The targets of `href="PREFIX…"` in a page, in order.
fn links<'a>(html: &'a str, prefix: &str) -> Vec<&'a str> {
    html.split(&format!("href=\"{prefix}")).skip(1).map(|s| &s[..s.find('"').unwrap()]).collect()
}

#[test]
fn the_article_list_comes_in_pages_that_together_list_every_article_once() {
    let site = site();
    // Follow rel="next" from the first page: it must reach every page of the list, in order.
    let mut pages = vec![("articles/index.html".to_string(), page(site, "articles/index.html"))];
    while let Some(next) = between(&pages.last().unwrap().1, "<link rel=\"next\" href=\"", "\"") {
        let root = "../".repeat(pages.last().unwrap().0.matches('/').count());
        let next = next.strip_prefix(&root).unwrap_or_else(|| panic!("{next}: relative to the root")).to_string();
        assert!(pages.iter().all(|(p, _)| *p != next), "the pager loops at {next}");
        let html = page(site, &next);
        pages.push((next, html));
    }
    assert_eq!(pages.len(), ARTICLES.div_ceil(LIST_PAGE));
    let on_disk = std::fs::read_dir(site.join("articles/page")).unwrap().count();
    assert_eq!(pages.len(), on_disk + 1, "rel=next reaches every page");

    let articles: BTreeSet<String> = std::fs::read_dir(site.join("articles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".html") && n != "index.html")
        .collect();
    let mut listed = Vec::new();
    let mut docs = Vec::new();
    for (k, (path, html)) in pages.iter().enumerate() {
        let cards: Vec<&str> = html.split("<article class=\"card\"").skip(1).collect();
        assert!(cards.len() == LIST_PAGE || k + 1 == pages.len(), "{path}: {} cards", cards.len());
        for c in cards {
            docs.push(between(c, "data-doc=\"", "\"").unwrap().parse::<usize>().unwrap());
            listed.push(between(c, "<a href=\"", "\"").unwrap().rsplit('/').next().unwrap().to_string());
        }
        // Every page lists every page, marks its own, and says how many articles there are.
        assert_eq!(html.matches("data-page=\"").count(), 2 * pages.len(), "{path}: the pager (top and bottom) lists every page");
        assert!(html.contains(&format!("data-page=\"{}\" aria-current=\"page\"", k + 1)), "{path}: its own page is marked");
        assert!(html.contains(&format!("All {ARTICLES} articles")), "{path}: the lede counts the whole archive");
    }
    // Cards are numbered by their place in the whole list, as the facets data is.
    assert_eq!(docs, (0..ARTICLES).collect::<Vec<_>>());
    let unique: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(unique.len(), listed.len(), "no article is listed twice");
    assert_eq!(unique, articles, "every article page is listed");
}

#[test]
fn a_large_index_ranks_the_most_cited_and_gives_each_letter_a_page() {
    let site = site();
    let archive = archive(site);

    let mut split_kinds = 0;
    for (folder, kind) in [("people", "person"), ("locations", "location"), ("organisations", "organisation")] {
        let on_disk: BTreeSet<String> = std::fs::read_dir(site.join(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".html") && n != "index.html")
            .collect();
        // The type's entities, by their address: a page, or a row of the A–Z (`…#e-SLUG`).
        let urls: Vec<String> = archive["entities"].as_array().unwrap().iter().filter(|e| e["type"] == kind).map(|e| e["url"].as_str().unwrap().to_string()).collect();
        let with_page: BTreeSet<String> = urls.iter().filter(|u| !u.contains('#')).map(|u| u.trim_start_matches(&format!("{folder}/")).to_string()).collect();
        let rows: BTreeSet<&str> = urls.iter().filter_map(|u| u.split_once('#')).map(|(_, r)| r).collect();
        assert_eq!(with_page, on_disk, "{folder}: a page for each entity whose address is a page, and no other");
        assert!(!rows.is_empty(), "{folder}: some entities of one article have no page");
        let index = page(site, &format!("{folder}/index.html"));
        let ranked = index.matches("class=\"ranked__item\"").count();
        // Letter pages, not the rows on them that the ranking links for entities without a page.
        let letter_pages: Vec<&str> = links(&index, "../").into_iter().filter(|l| l.starts_with(&format!("{folder}/a-z/")) && !l.contains('#')).collect();
        // Each entity page, by the index pages that link it from their A–Z; each row, by its id.
        let mut listed: BTreeMap<String, usize> = BTreeMap::new();
        let mut listed_rows: BTreeMap<String, usize> = BTreeMap::new();
        let mut count_az = |az: &str, prefix: &str, page_path: &str| {
            for l in az.split(&format!("<li><a href=\"{prefix}")).skip(1).map(|s| &s[..s.find('"').unwrap()]) {
                *listed.entry(l.trim_start_matches(&format!("{folder}/")).to_string()).or_default() += 1;
            }
            for r in az.split("<li id=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]) {
                *listed_rows.entry(r.to_string()).or_default() += 1;
                assert!(urls.contains(&format!("{page_path}#{r}")), "{page_path}: the row {r} is the address of its entity");
            }
        };
        if urls.len() <= ONE_PAGE {
            assert!(letter_pages.is_empty() && !site.join(folder).join("a-z").exists(), "{folder}: {} entities fit on one page", urls.len());
            assert_eq!(ranked, urls.len(), "{folder}: every entity is ranked");
            // The A–Z view up to the end of the views (the site's footer follows).
            let az = &index[index.find("id=\"by-name\"").unwrap()..];
            let az = &az[..az.find("</section>\n</div>").unwrap()];
            count_az(az, "../", &format!("{folder}/index.html"));
        } else {
            split_kinds += 1;
            assert_eq!(ranked, RANKED, "{folder}: the index ranks the {RANKED} most cited");
            assert!(index.contains(&format!("All {} are listed", urls.len())), "{folder}: the index says where the rest are");
            let counts: Vec<usize> = index.split("class=\"ranked__count\">").skip(1).map(|s| s[..s.find(' ').unwrap()].parse().unwrap()).collect();
            assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{folder}: ranked by number of articles");
            let unique: BTreeSet<&str> = letter_pages.iter().copied().collect();
            let on_disk_letters = std::fs::read_dir(site.join(folder).join("a-z")).unwrap().count();
            assert_eq!(unique.len(), on_disk_letters, "{folder}: the index links every letter page");
            for l in unique {
                let html = page(site, l);
                assert!(html.contains("aria-current=\"page\""), "{l}: its own letter is marked");
                let list = &html[html.find("class=\"letter__list\"").unwrap()..];
                count_az(list, "../../", l);
                // The letter's navigation leads to the other letters and back to the index.
                assert!(links(&html, "../../").contains(&format!("{folder}/index.html").as_str()), "{l}: links back to the index");
            }
        }
        let keys: BTreeSet<String> = listed.keys().cloned().collect();
        assert_eq!(keys.difference(&on_disk).collect::<Vec<_>>(), Vec::<&String>::new(), "{folder}: the A–Z links only entity pages");
        assert_eq!(on_disk.difference(&keys).collect::<Vec<_>>(), Vec::<&String>::new(), "{folder}: the A–Z reaches every entity page");
        assert_eq!(listed_rows.keys().map(String::as_str).collect::<BTreeSet<_>>(), rows, "{folder}: the A–Z has a row for every entity without a page");
        assert!(listed.values().chain(listed_rows.values()).all(|n| *n == 1), "{folder}: no entity is listed twice in the A–Z");
    }
    assert!(split_kinds >= 1, "1,100 bench articles have more than {ONE_PAGE} entities of some type");
    assert!(split_kinds < 3, "and fewer of another, so both layouts are checked");
}

#[test]
fn a_large_dates_index_links_each_month_and_the_undated_to_the_pages_that_list_them() {
    let site = site();
    let archive = archive(site);
    // Articles whose year is known, by the month page that should list them.
    let mut by_month: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for a in archive["articles"].as_array().unwrap() {
        let Some(p) = a["published"].as_str().filter(|p| p.len() >= 7 && p[..4].bytes().all(|b| b.is_ascii_digit())) else { continue };
        by_month.entry(format!("{}.html", &p[..7])).or_default().insert(format!("{}.html", a["id"].as_str().unwrap()));
    }
    let dated: usize = by_month.values().map(BTreeSet::len).sum();
    assert!(dated > DAYS_ON_INDEX, "the test archive has {dated} dated articles");
    let index = page(site, "dates/index.html");
    assert!(!index.contains("<section class=\"month\""), "past {DAYS_ON_INDEX} dated articles the index lists no month's days");
    assert!(index.contains("Each year's and month's page lists its articles."));
    let months: BTreeSet<&str> = links(&index, "../dates/").into_iter().filter(|l| l.len() == "2017-05.html".len()).collect();
    assert_eq!(months, by_month.keys().map(String::as_str).collect::<BTreeSet<_>>(), "the index links every month with articles");
    for (month, expected) in &by_month {
        let html = page(site, &format!("dates/{month}"));
        let listed: BTreeSet<String> = links(&html, "../articles/").into_iter().filter(|l| !l.contains('#') && *l != "index.html").map(str::to_string).collect();
        assert_eq!(&listed, expected, "dates/{month} lists its articles");
    }
    // The articles without a year, or without a date, are counted and not listed: the index
    // links to where the article list shows them, and that page opens their section.
    let articles = archive["articles"].as_array().unwrap();
    let without = |year_unknown: bool| articles.iter().filter(|a| a["published"].as_str().map_or(!year_unknown, |p| year_unknown && p.starts_with('X'))).count();
    for (anchor, n) in [("year-unknown", without(true)), ("undated", without(false))] {
        assert!(n > 0, "the test archive has articles in section {anchor}");
        assert!(index.contains(&format!("<span class=\"count\">{n} articles</span>")), "the index counts the {n} articles of {anchor}");
        let target = links(&index, "../articles/").into_iter().find(|l| l.ends_with(&format!("#{anchor}"))).unwrap_or_else(|| panic!("the index links to the article list's {anchor} section"));
        let list = page(site, &format!("articles/{}", target.split('#').next().unwrap()));
        assert!(list.contains(&format!("id=\"{anchor}\"")), "articles/{target} opens section {anchor}");
    }
    let listed_articles = links(&index, "../articles/").into_iter().filter(|l| !l.starts_with("page/") && !l.starts_with("index.html")).count();
    assert_eq!(listed_articles, 0, "the index lists no article");
}

/// Past a limit (20 MB; set lower here through `DOSSIER_WHOLE_FILE_LIMIT`) `data/archive.json`
/// lists parts instead of the articles and entities, so that no file grows with the archive:
/// read together they are the whole archive, and each article page links the part that lists
/// it.
#[test]
fn a_large_archive_comes_in_parts_that_together_are_the_whole() {
    let site = site();
    let whole = archive(site);
    // The limit just under the size of mentions.csv: it and archive.json, which is larger, in parts.
    let size = std::fs::metadata(site.join("data/mentions.csv")).unwrap().len();
    assert!(std::fs::metadata(site.join("data/archive.json")).unwrap().len() > size);
    let parts = site.parent().unwrap().join("parts");
    let _ = std::fs::remove_dir_all(&parts);
    let o = dossier().env("DOSSIER_WHOLE_FILE_LIMIT", (size - 1).to_string()).arg("build").arg("--input").arg(site.parent().unwrap().join("in")).arg("--output").arg(&parts).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let read = archive_from_parts(&parts, ARCHIVE_PART);
    assert_eq!(read["articles"], whole["articles"], "the parts list the articles of the whole archive, in its order");
    assert_eq!(read["entities"], whole["entities"], "and its entities");
    assert_eq!(archive(&parts)["parts"]["articles"].as_array().unwrap().len(), ARTICLES.div_ceil(ARCHIVE_PART));
    assert!(table_in_parts(&parts, "mentions"));
    for t in ["statements", "mentions", "entities"] {
        assert_eq!(table_rows(&parts, t), table_rows(site, t), "{t}: whole or in parts, the same rows");
    }
    let mentions = std::fs::read_dir(parts.join("data/archive")).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".csv") && e.as_ref().unwrap().file_name().to_string_lossy().starts_with("mentions-")).count();
    assert_eq!(mentions, ARTICLES.div_ceil(ARCHIVE_PART), "mentions.csv in parts of the archive's articles");
    for (i, a) in read["articles"].as_array().unwrap().iter().enumerate() {
        let html = page(&parts, a["url"].as_str().unwrap());
        let part = format!("href=\"../data/archive/articles-{:04}.json\"", i / ARCHIVE_PART);
        assert!(html.contains(&part), "{}: links {part}", a["url"]);
        assert!(!html.contains("href=\"../data/archive.json\""), "{}: no link to the list of parts as the archive", a["url"]);
    }
}
