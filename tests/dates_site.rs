//! The archive by time: year and month pages, the dates index, the timeline and the charts on
//! entity pages, checked on the seed build.

mod common;
use common::*;

/// Article links in page order.
fn article_links(html: &str) -> Vec<String> {
    html.split("href=\"../articles/").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).filter(|s| s.ends_with(".html") && !s.contains('#') && s != "index.html").collect()
}

#[test]
fn every_year_and_month_has_a_page_newest_first_with_neighbours() {
    let (_tmp, site) = seed_site();
    let archive = archive(&site);
    // What the pages should hold, from archive.json.
    let mut by_year: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
    for a in archive["articles"].as_array().unwrap() {
        let p = a["published"].as_str().unwrap().to_string();
        by_year.entry(p[..4].to_string()).or_default().push((p, format!("{}.html", a["id"].as_str().unwrap())));
    }
    let years: Vec<&String> = by_year.keys().collect();
    for (k, (year, list)) in by_year.iter().enumerate() {
        let html = page(&site, &format!("dates/{year}.html"));
        let mut expected = list.clone();
        expected.sort_by(|a, b| b.0.cmp(&a.0));
        let expected: Vec<String> = expected.into_iter().map(|x| x.1).collect();
        let mut got = article_links(&html);
        got.dedup();
        assert_eq!(got, expected, "dates/{year}.html lists its articles newest first");
        let prev = k.checked_sub(1).map(|p| format!("<link rel=\"prev\" href=\"../dates/{}.html\">", years[p]));
        let next = years.get(k + 1).map(|n| format!("<link rel=\"next\" href=\"../dates/{n}.html\">"));
        assert_eq!(prev.is_some(), html.contains("rel=\"prev\""), "{year}");
        assert_eq!(next.is_some(), html.contains("rel=\"next\""), "{year}");
        for l in prev.iter().chain(next.iter()) {
            assert!(html.contains(l.as_str()), "{year}: {l}");
        }
    }
    // Month pages chain across years: May 2017's neighbours are October 2016 and August 2017.
    let may = page(&site, "dates/2017-05.html");
    assert!(may.contains("<link rel=\"prev\" href=\"../dates/2016-10.html\">"));
    assert!(may.contains("<link rel=\"next\" href=\"../dates/2017-08.html\">"));
    assert_eq!(article_links(&may).first().map(String::as_str), Some("001-ba1013068994706c.html"));
    // The index links every year and month page.
    let index = page(&site, "dates/index.html");
    for y in years {
        assert!(index.contains(&format!("href=\"../dates/{y}.html\"")), "{y}");
    }
    assert!(index.contains("href=\"../dates/2017-05.html\""));
}

#[test]
fn the_timeline_places_passages_by_the_dates_they_mention() {
    let (_tmp, site) = seed_site();
    let html = page(&site, "dates/timeline.html");
    // Dates in date order, not publication order: 17 October 2016 before 27 October 2016.
    let a = html.find("datetime=\"2016-10-17\"").expect("17 October 2016");
    let b = html.find("datetime=\"2016-10-27\"").expect("Thursday before publication");
    assert!(a < b);
    // "last week" said on Monday 15 September 2014 is week 37.
    assert!(html.contains("datetime=\"2014-W37\""));
    // Each passage links to its date mark in the article, which exists.
    let link = "../articles/001-ba1013068994706c.html#d";
    let at = html.find(link).expect("a passage from the Lavrov article");
    let frag = &html[at + link.len() - 1..];
    let id = &frag[..frag.find('"').unwrap()];
    assert!(page(&site, "articles/001-ba1013068994706c.html").contains(&format!("id=\"{id}\"")), "{id}");
    // Raqqa's filter value names the passages whose paragraph mentions it: May 27 names it.
    let may27 = html.find("datetime=\"2017-05-27\"").unwrap();
    let item = &html[may27..];
    let ents = &item[item.find("data-entities=\"").unwrap() + 15..];
    assert!(ents[..ents.find('"').unwrap()].split(' ').any(|e| e == "location/raqqa"));
    assert!(html.contains("<option value=\"location/raqqa\">Raqqa ("));
    // No durations, no fetch.
    assert!(!html.contains("for 10 days"));
    assert!(!page(&site, "static/timeline.js").contains("fetch("));
}

#[test]
fn entity_pages_chart_mentions_over_time() {
    let (_tmp, site) = seed_site();
    let archive = archive(&site);
    let raqqa = archive["entities"].as_array().unwrap().iter().find(|e| e["id"] == "location/raqqa").unwrap();
    let html = page(&site, "locations/raqqa.html");
    let svg = &html[html.find("<svg class=\"chart__svg\"").expect("a chart")..html.find("</svg>").unwrap()];
    // One bar per month with mentions, and the mentions add up.
    let total: usize = svg.split("<title>").skip(1).map(|t| t.split(": ").nth(1).unwrap().split(' ').next().unwrap().parse::<usize>().unwrap()).sum();
    assert_eq!(total, raqqa["mentions"].as_u64().unwrap() as usize, "{svg}");
    assert_eq!(svg.matches("<rect").count(), raqqa["articles"].as_array().unwrap().len(), "Raqqa's two articles are in different months");
    assert!(html.contains("href=\"../dates/timeline.html?entity=location/raqqa\""));
}

#[test]
fn a_long_timeline_is_cut_into_pages_of_whole_dates_that_the_filter_follows() {
    const PAGE: usize = 500; // dates::TIMELINE_PAGE
    let tmp = tempfile::tempdir().unwrap();
    let (input, site) = (tmp.path().join("in"), tmp.path().join("site"));
    let o = dossier().args(["bench-corpus", "--quiet", "--articles", "300", "--out"]).arg(&input).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = build(&input, &site);
    assert!(o.status.success(), "{}", stderr(&o));

    // Follow the pager from the first page: it must reach every timeline page, in order.
    let mut pages = vec![("dates/timeline.html".to_string(), page(&site, "dates/timeline.html"))];
    while let Some(next) = between(&pages.last().unwrap().1, "<link rel=\"next\" href=\"../", "\"") {
        let next = next.to_string();
        assert!(pages.iter().all(|(p, _)| *p != next), "the pager loops at {next}");
        let html = page(&site, &next);
        pages.push((next, html));
    }
    let on_disk = std::fs::read_dir(site.join("dates")).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("timeline")).count();
    assert!(pages.len() >= 3, "300 articles give several pages, got {}", pages.len());
    assert_eq!(pages.len(), on_disk, "the pager reaches every page");
    for (k, (path, _)) in pages.iter().enumerate().skip(1) {
        assert_eq!(*path, format!("dates/timeline-{}.html", k + 1));
    }

    // Every passage is on one page; a page is full only of whole dates.
    let lede = between(&pages[0].1, "with the sentence it comes from. ", " with a known year").unwrap();
    let mut total: usize = lede.split(' ').next().unwrap().replace(',', "").parse().unwrap();
    if let Some(unknown) = between(&pages[0].1, "with a known year, ", " without") {
        total += unknown.replace(',', "").parse::<usize>().unwrap();
    }
    let mut seen_dates = std::collections::BTreeSet::new();
    let mut sum = 0;
    for (path, html) in &pages {
        let events = html.matches("class=\"tl-event\"").count();
        let dates: Vec<&str> = html.split("<h2 class=\"tl-group__date\"><time datetime=\"").skip(1).map(|s| &s[..s.find('"').unwrap()]).chain(html.split("<h3 class=\"tl-group__date\">").skip(1).map(|s| &s[..s.find('<').unwrap()])).collect();
        assert!(events <= PAGE || dates.len() == 1, "{path}: {events} passages over {} dates", dates.len());
        for d in dates {
            assert!(seen_dates.insert(d.to_string()), "{d} is split across pages ({path})");
        }
        sum += events;
    }
    assert_eq!(sum, total, "the pages hold every passage the lede counts");

    // An entity's filter option says where its other passages are; the pages it points to
    // name it, and its own page links to the first page that does.
    let mut checked = 0;
    for (k, (path, html)) in pages.iter().enumerate() {
        for opt in html.split("<option value=\"").skip(2).take(40) {
            let id = &opt[..opt.find('"').unwrap()];
            let tag = &opt[..opt.find('>').unwrap()];
            for (attr, earlier) in [("data-before=\"", true), ("data-after=\"", false)] {
                let Some(n) = between(tag, attr, "\"") else { continue };
                let n: usize = n.parse().unwrap();
                assert!(if earlier { n < k + 1 } else { n > k + 1 }, "{path}: {id} {attr}{n}");
                let target = &pages[n - 1].1;
                assert!(target.contains(&format!("<option value=\"{id}\"")), "{path}: {id} points to page {n}, which does not name it");
                let passages = target.split("data-entities=\"").skip(1).filter(|s| s[..s.find('"').unwrap()].split(' ').any(|e| e == id)).count();
                assert!(passages > 0, "page {n} has no passage naming {id}");
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "entities recur across pages ({checked} links checked)");
    let archive = archive(&site);
    // Entities with a page of their own (the others' addresses are rows of their index).
    let first = archive["entities"].as_array().unwrap().iter().filter(|e| !e["url"].as_str().unwrap().contains('#')).find_map(|e| {
        let id = e["id"].as_str().unwrap();
        let html = page(&site, e["url"].as_str().unwrap());
        let link = between(&html, "href=\"../dates/timeline", "\"")?.to_string();
        (link.contains("?entity=")).then(|| (id.to_string(), format!("dates/timeline{}", link.split('?').next().unwrap())))
    });
    let (id, target) = first.expect("some entity page links to the timeline");
    let at = pages.iter().position(|(p, _)| *p == target).unwrap();
    assert!(pages[at].1.contains(&format!("<option value=\"{id}\"")), "{target} names {id}");
    assert!(pages[..at].iter().all(|(_, h)| !h.contains(&format!("<option value=\"{id}\""))), "{target} is the first page naming {id}");
}

/// A paragraph printed twice (web copy does this) gives one timeline passage for its date; the
/// same date in two different sentences gives two, and a date said once gives one.
#[test]
fn the_timeline_lists_a_repeated_paragraph_once_and_each_different_sentence() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let twice = "The ministers met in Geneva on 3 March 2015 to sign the accord.";
    let text = format!(
        "Talks in Geneva\n\n{twice}\n\nObservers from Oslo arrived on 3 March 2015 as well.\n\nA second round began on 9 April 2015.\n\n{twice}\n"
    );
    std::fs::write(input.join("talks.txt"), text).unwrap();
    let site = tmp.path().join("site");
    let out = build(&input, &site);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = page(&site, "dates/timeline.html");
    assert_eq!(html.matches("date-mark\">3 March 2015</mark>").count(), 2, "3 March: the repeated paragraph once, the other sentence once");
    assert_eq!(html.matches("date-mark\">9 April 2015</mark>").count(), 1);
    assert_eq!(html.matches("to sign the accord").count(), 1);
}
