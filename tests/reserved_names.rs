//! Names the site keeps for itself: an article or entity that slugs to `index` must not take a
//! list page (it stopped the whole build with "two pages at articles/index.html").

mod common;
use common::*;

#[test]
fn articles_and_entities_named_index_build_beside_the_list_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    // Index is named in both articles, so that it has a page of its own (an entity of one
    // article is a row of its index).
    std::fs::write(input.join("index.txt"), "Flood warning for the valley\n\nThe river rose two metres overnight in Lyon, officials said, citing Index.\n").unwrap();
    std::fs::write(input.join("_index.md"), "+++\ntitle = \"Budget talks resume\"\n+++\n\nAccording to Index, a London-based group, the talks in Geneva will resume on Monday.\n").unwrap();
    std::fs::write(input.join("entities.toml"), "[[entity]]\nname = \"Index\"\ntype = \"organisation\"\n").unwrap();
    let out = tmp.path().join("site");
    let o = build(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));

    // The list pages are still the site's own.
    let list = std::fs::read_to_string(out.join("articles/index.html")).unwrap();
    assert!(list.contains("Flood warning for the valley") && list.contains("Budget talks resume"), "the article list lists both articles");
    let orgs = std::fs::read_to_string(out.join("organisations/index.html")).unwrap();
    assert!(orgs.contains("organisations/index-2.html") || orgs.contains("index-2.html"), "the organisations index links the organisation called Index");

    // Both articles and the organisation have pages of their own.
    let ids: Vec<String> = archive(&out)["articles"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    for id in &ids {
        assert_ne!(id, "index");
        let page = std::fs::read_to_string(out.join(format!("articles/{id}.html"))).unwrap();
        assert!(page.contains("<article"), "articles/{id}.html is an article page");
    }
    let org = std::fs::read_to_string(out.join("organisations/index-2.html")).unwrap();
    assert!(org.contains(">Index<"), "the organisation's page names it");
}
