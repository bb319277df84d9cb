//! Place pages: where the resolver put a place and why, the places it did not put on the map,
//! and places pinned in `entities.toml`, as a reader sees them.

mod common;
use common::*;
use std::fs;
use std::path::Path;

/// Three short articles: "Alexandria, Virginia" says which Alexandria; only small places are
/// called Brookville and nothing says which; Springfield is pinned by the archive's
/// entities.toml to Springfield, Illinois (GeoNames 4250542), not the most populous one.
fn archive_with_places(input: &Path, pin: bool) {
    fs::create_dir_all(input).unwrap();
    fs::write(input.join("a.txt"), "Court hearing in Alexandria\nA federal court in Alexandria, Virginia, heard the case on Monday.\n").unwrap();
    fs::write(input.join("b.txt"), "Fair opens in Brookville\nThe county fair opened in Brookville on Saturday, organisers said.\n").unwrap();
    fs::write(input.join("c.txt"), "Governor speaks in Springfield\nThe governor spoke in Springfield on Tuesday about the budget.\n").unwrap();
    if pin {
        fs::write(input.join("entities.toml"), "[[entity]]\nname = \"Springfield\"\ngeonames = 4250542\n").unwrap();
    }
}

fn built(pin: bool) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    archive_with_places(&input, pin);
    let out = tmp.path().join("site");
    let o = build_with_pages(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, out)
}

/// Builds with a page for every entity (`entity_page_min_articles = 1`): each place here is
/// named in one article, and these tests read their pages.
fn build_with_pages(input: &Path, out: &Path) -> std::process::Output {
    let config = input.parent().unwrap().join("dossier.toml");
    fs::write(&config, "entity_page_min_articles = 1\n").unwrap();
    dossier().arg("build").arg("--config").arg(&config).arg("--input").arg(input).arg("--output").arg(out).output().expect("dossier runs")
}

/// The place panel of an entity page.
fn place_panel(html: &str) -> &str {
    between(html, r#"<section class="panel place""#, "</section>").expect("a place panel")
}

#[test]
fn a_place_page_says_where_the_place_is_and_why() {
    let (_tmp, site) = built(false);
    let html = page(&site, "locations/alexandria.html");
    // Under the heading and among the facts: name, division, country.
    assert!(html.contains(r#"<p class="entity__where">Alexandria, Virginia, United States</p>"#), "{}", &html[html.find("<h1").unwrap()..][..400]);
    let panel = place_panel(&html);
    assert!(panel.contains("<dt>Division</dt>\n<dd>Virginia</dd>"), "{panel}");
    assert!(panel.contains("<dd>United States <span class=\"code\">US</span></dd>"), "{panel}");
    // Why here, in the resolver's words (the article names it with Virginia).
    let why = between(panel, r#"<p class="place__why">"#, "</p>").expect("a why-sentence");
    assert!(why.starts_with("Placed here: ") && why.contains("Virginia"), "{why}");
    // The other Alexandrias, collapsed, each with a point to look at online.
    let others = between(panel, r#"<details class="place__others">"#, "</details>").expect("other places of the name");
    assert!(others.contains("Other places of this name"));
    assert!(others.contains("Alexandria, Alexandria, Egypt") && others.contains("population 5,263,542"), "{others}");
    assert!(others.contains(r#"rel="nofollow">OpenStreetMap</a> <span class="muted">(online)</span>"#));
    // Review mode can pin it to one of them.
    assert!(html.contains(r#"data-review="place" data-geonames=""#), "a choice per other place");
    assert!(html.contains(r#"<script src="../static/review.js" defer></script>"#));
}

/// A place chosen over a rival of nearly its weight says so; one the text names outright
/// ("Alexandria, Virginia") does not.
#[test]
fn a_close_call_is_shown_as_uncertain() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    archive_with_places(&input, false);
    fs::write(input.join("d.txt"), "Storm in Gainesville\nThe storm hit Gainesville on Sunday, officials said.\n").unwrap();
    let site = tmp.path().join("site");
    let o = build_with_pages(&input, &site);
    assert!(o.status.success(), "{}", stderr(&o));
    let panel = place_panel(&page(&site, "locations/gainesville.html")).to_string();
    let close = between(&panel, r#"<p class="place__why place__why--uncertain">"#, "</p>").expect("a close call");
    assert_eq!(close, "A close call: Gainesville, Georgia, United States was nearly as likely.");
    assert!(!page(&site, "locations/alexandria.html").contains("place__why--uncertain"));
}

#[test]
fn a_place_without_a_point_is_listed_on_the_map_page_with_why() {
    let (_tmp, site) = built(false);
    let map = page(&site, "map/index.html");
    let without = between(&map, r#"<h2 id="unplaced-title" class="section-title">Places without a point</h2>"#, "</section>").expect("the list of places without a point");
    let item = between(without, r#"<a href="../locations/brookville.html">Brookville</a>"#, "</li>").expect("Brookville is listed, linked to its page");
    assert!(item.contains("only small places bear this name, and nothing in the article says which"), "{item}");
    assert!(!without.contains("alexandria.html"), "a placed place is on the map, not here");
    assert!(!between(&map, "<svg", "</svg>").unwrap().contains("brookville"), "no dot");

    // Its page says why too, and lists the places of that name it could be.
    let html = page(&site, "locations/brookville.html");
    let panel = place_panel(&html);
    assert!(panel.contains(r#"<p class="place__why">No point on the map: only small places bear this name, and nothing in the article says which.</p>"#), "{panel}");
    assert!(panel.contains("Places of this name"), "{panel}");
    assert!(!panel.contains("<dt>Coordinates</dt>"));
    assert!(!html.contains("<svg class=\"map"), "no map without coordinates");
}

/// With the default settings a place named in one article has no page: the map's list of
/// places without a point links its row on the index, which says which article names it.
#[test]
fn a_one_article_place_without_a_point_is_listed_and_linked_to_its_index_row() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    archive_with_places(&input, false);
    let site = tmp.path().join("site");
    let o = build(&input, &site);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!site.join("locations/brookville.html").exists());
    let map = page(&site, "map/index.html");
    let without = between(&map, r#"<h2 id="unplaced-title" class="section-title">Places without a point</h2>"#, "</section>").expect("the list of places without a point");
    let item = between(without, r#"<a href="../locations/index.html#e-brookville">Brookville</a>"#, "</li>").expect("Brookville is listed, linked to its row");
    assert!(item.contains("nothing in the article says which"), "{item}");
    let index = page(&site, "locations/index.html");
    assert!(index.contains(r#"<li id="e-brookville""#) && index.contains("Fair opens in Brookville"));
    // A placed place of one article is a dot on the map linking its row.
    assert!(between(&map, "<svg", "</svg>").unwrap().contains(r#"href="../locations/index.html#e-alexandria""#));
}

#[test]
fn a_geonames_pin_in_entities_toml_puts_the_place_at_that_entry() {
    let (_tmp, unpinned) = built(false);
    let before = page(&unpinned, "locations/springfield.html");
    assert!(!before.contains("Springfield, Illinois, United States</p>"), "without the pin another Springfield wins");

    let (_tmp2, site) = built(true);
    let html = page(&site, "locations/springfield.html");
    assert!(html.contains(r#"<p class="entity__where">Springfield, Illinois, United States</p>"#));
    let panel = place_panel(&html);
    assert!(panel.contains("<dd>Illinois</dd>"), "{panel}");
    assert!(panel.contains(r#"<span class="coords">39.8017° N, 89.6437° W</span>"#), "{panel}");
    assert!(panel.contains(r#"<a href="https://www.geonames.org/4250542" rel="nofollow">4250542</a>"#));
    assert!(panel.contains(r#"<p class="place__why">Placed here: pinned in entities.toml.</p>"#), "{panel}");
    // On the map, at Springfield, Illinois: x = (lon+180)/360*1000, y = (90-lat)/180*500.
    let map = page(&site, "map/index.html");
    let dot = between(&map, r#"<a href="../locations/springfield.html"><title>"#, "</a>").expect("a dot");
    assert!(dot.starts_with("Springfield, Illinois, United States: 1 article. Placed here: pinned in entities.toml</title>"), "{dot}");
    assert!(dot.contains(r#"cx="251""#), "{dot}");
    assert!(dot.contains(r#"cy="139.4""#), "{dot}");
}
