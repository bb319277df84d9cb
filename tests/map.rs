//! The map page and the small maps on place pages, built from the seed archive.

mod common;
use common::*;


/// The `<svg …>…</svg>` elements of a page.
/// The maps of a page (other inline SVG, such as the mentions chart, is left out).
fn svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg class=\"map").map(|(i, _)| &html[i..i + html[i..].find("</svg>").expect("svg is closed") + 6]).collect()
}

#[test]
fn seed_places_are_on_the_map() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("seeds");
    copy_seeds(&input);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let out = build(&input, &a);
    assert!(out.status.success(), "{}", stderr(&out));

    let map = page(&a, "map/index.html");
    let world = svgs(&map)[0];
    assert!(world.contains(r#"viewBox="0 0 1000 420""#), "world map without Antarctica: {}", &world[..80]);
    // Raqqa (2 seed articles) is a dot linking to its page, named with its count.
    // Its title says where it is (division, country), its articles and why it is there.
    let raqqa = world.find(r#"<a href="../locations/raqqa.html"><title>Raqqa, Ar-Raqqah, Syria: 2 articles. Placed here: "#).expect("a dot for Raqqa");
    assert!(world[raqqa..].split("</title>").next().unwrap().len() > 80, "with the reason");
    let syria = world.find(r#"<a href="../locations/syria.html">"#).expect("a dot for Syria");
    assert!(syria < raqqa, "more articles, drawn first, so Raqqa stays clickable on top");
    // Listed under the map too, and places without coordinates are named rather than dropped.
    assert!(map.contains(r#"<a class="ranked__name" href="../locations/raqqa.html">Raqqa</a>"#));
    // Dvoriki, named in one article, has no page: it links its row on the index.
    assert!(map.contains(r#"<a href="../locations/index.html#e-dvoriki">Dvoriki</a>"#), "Dvoriki has no coordinates");
    let without = between(&map, "Places without a point</h2>", "</section>").expect("a list of places without a point");
    assert!(without.contains("index.html#e-dvoriki") && without.contains("no place of that name in the gazetteer"), "{without}");
    assert!(page(&a, "locations/index.html").contains(r#"<li id="e-dvoriki""#));
    assert!(!world.contains("dvoriki"));
    // The nav links the map from every page.
    assert!(page(&a, "index.html").contains(r#"<a href="map/index.html">Map</a>"#));

    // Raqqa's page has a small map around it, carrying only nearby outlines.
    let raqqa = page(&a, "locations/raqqa.html");
    let mini = svgs(&raqqa);
    assert_eq!(mini.len(), 1, "one place map");
    assert!(mini[0].contains(r#"class="map__here" cx="608.4" cy="150.1""#), "Raqqa, 35.95° N 39.01° E, at x = (lon+180)/360*1000, y = (90-lat)/180*500");
    assert!(mini[0].len() < 20_000, "cropped outlines, not the world ({} bytes)", mini[0].len());
    assert!(raqqa.contains(r#"<a href="../map/index.html">All places on the map</a>"#));
    assert!(!a.join("locations/dvoriki.html").exists(), "no page for a place of one article");
    assert!(svgs(&page(&a, "people/sergei-lavrov.html")).is_empty());

    // Same input, same bytes.
    assert!(build(&input, &b).status.success());
    for p in ["map/index.html", "locations/raqqa.html", "locations/syria.html"] {
        assert!(page(&a, p) == page(&b, p), "{p} differs between two builds");
    }
}
