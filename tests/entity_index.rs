//! The entity indexes (`people/index.html` and its siblings) of an archive large enough that one
//! type outgrows a single page: that type's index ranks the most cited and sends the A–Z to a
//! page per letter; the others still list everything on one page. Either way every entity page
//! must be reachable from its index.

mod common;
use common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const ONE_PAGE: usize = 2000; // index::INDEX_ON_ONE_PAGE
const RANKED: usize = 500; // index::INDEX_RANKED

fn page(site: &Path, path: &str) -> String {
    std::fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The targets of `href="PREFIX…"` in a page, in order.
fn links<'a>(html: &'a str, prefix: &str) -> Vec<&'a str> {
    html.split(&format!("href=\"{prefix}")).skip(1).map(|s| &s[..s.find('"').unwrap()]).collect()
}

#[test]
fn a_large_index_ranks_the_most_cited_and_gives_each_letter_a_page() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, site) = (tmp.path().join("in"), tmp.path().join("site"));
    let o = dossier().args(["bench-corpus", "--quiet", "--articles", "800", "--out"]).arg(&input).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = build(&input, &site);
    assert!(o.status.success(), "{}", stderr(&o));

    let mut split_kinds = 0;
    for folder in ["people", "locations", "organisations"] {
        let on_disk: BTreeSet<String> = std::fs::read_dir(site.join(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".html") && n != "index.html")
            .collect();
        let index = page(&site, &format!("{folder}/index.html"));
        let ranked = index.matches("class=\"ranked__item\"").count();
        let letter_pages: Vec<&str> = links(&index, "../").into_iter().filter(|l| l.starts_with(&format!("{folder}/a-z/"))).collect();
        // Each entity page, by the index pages that link it from their A–Z.
        let mut listed: BTreeMap<String, usize> = BTreeMap::new();
        if on_disk.len() <= ONE_PAGE {
            assert!(letter_pages.is_empty() && !site.join(folder).join("a-z").exists(), "{folder}: {} entities fit on one page", on_disk.len());
            assert_eq!(ranked, on_disk.len(), "{folder}: every entity is ranked");
            // The A–Z view up to the end of the views (the site's footer follows).
            let az = &index[index.find("id=\"by-name\"").unwrap()..];
            let az = &az[..az.find("</section>\n</div>").unwrap()];
            for l in links(az, "../") {
                *listed.entry(l.trim_start_matches(&format!("{folder}/")).to_string()).or_default() += 1;
            }
        } else {
            split_kinds += 1;
            assert_eq!(ranked, RANKED, "{folder}: the index ranks the {RANKED} most cited");
            assert!(index.contains(&format!("All {} are listed", on_disk.len())), "{folder}: the index says where the rest are");
            let counts: Vec<usize> = index.split("class=\"ranked__count\">").skip(1).map(|s| s[..s.find(' ').unwrap()].parse().unwrap()).collect();
            assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{folder}: ranked by number of articles");
            let unique: BTreeSet<&str> = letter_pages.iter().copied().collect();
            let on_disk_letters = std::fs::read_dir(site.join(folder).join("a-z")).unwrap().count();
            assert_eq!(unique.len(), on_disk_letters, "{folder}: the index links every letter page");
            let mut total = 0;
            for l in unique {
                let html = page(&site, l);
                assert!(html.contains("aria-current=\"page\""), "{l}: its own letter is marked");
                let list = &html[html.find("class=\"letter__list\"").unwrap()..];
                let names: Vec<&str> = list.split("<li><a href=\"../../").skip(1).map(|s| &s[..s.find('"').unwrap()]).collect();
                total += names.len();
                for n in names {
                    *listed.entry(n.trim_start_matches(&format!("{folder}/")).to_string()).or_default() += 1;
                }
                // The letter's navigation leads to the other letters and back to the index.
                assert!(links(&html, "../../").contains(&format!("{folder}/index.html").as_str()), "{l}: links back to the index");
            }
            assert_eq!(total, on_disk.len(), "{folder}: the letter pages list each entity once");
        }
        let keys: BTreeSet<String> = listed.keys().cloned().collect();
        assert_eq!(keys.difference(&on_disk).collect::<Vec<_>>(), Vec::<&String>::new(), "{folder}: the A–Z links only entity pages");
        assert_eq!(on_disk.difference(&keys).collect::<Vec<_>>(), Vec::<&String>::new(), "{folder}: the A–Z reaches every entity page");
        assert!(listed.values().all(|n| *n == 1), "{folder}: no entity is listed twice in the A–Z");
    }
    assert!(split_kinds >= 1, "800 bench articles have more than {ONE_PAGE} entities of some type");
    assert!(split_kinds < 3, "and fewer of another, so both layouts are checked");
}
