//! Markdown with front matter, the `annotate` command's offsets, and `entities.toml` overrides.

mod common;
use common::*;
use std::fs;

#[test]
fn markdown_front_matter_and_inline_styles_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(
        input.join("story.md"),
        "---\ntitle: Talks in Geneva\npublished: 2019-03-04\npublisher: Example Wire\ntags: [x]\n---\n# Talks in Geneva\n\nForeign Minister *Sergei Lavrov* met envoys in **Geneva** on Monday.\n\n## Next steps\n\n- A second round in Paris.\n",
    )
    .unwrap();
    let out = tmp.path().join("site");
    let o = build(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let a = &archive(&out)["articles"][0];
    assert_eq!(a["title"], "Talks in Geneva");
    assert_eq!(a["published"], "2019-03-04");
    let html = fs::read_to_string(out.join("articles/story.html")).unwrap();
    assert_eq!(html.matches("Talks in Geneva</h1>").count(), 1, "the Markdown H1 is the headline, shown once");
    assert!(html.contains("<em>"), "emphasis is kept");
    assert!(html.contains("Next steps</h"), "sub-heading kept");
    assert!(html.contains("keys ignored: tags"), "unknown front matter keys are noted");
    let texts: Vec<&str> = a["mentions"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert!(texts.contains(&"Geneva") && texts.contains(&"Paris"), "{texts:?}");
}

#[test]
fn annotate_prints_code_point_offsets() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("a.txt");
    let text = "Zürich’s “envoy” met officials in Moscow.\nRussia’s Foreign Minister Sergei Lavrov spoke in Paris.\n";
    fs::write(&f, text).unwrap();
    let o = dossier().arg("annotate").arg(&f).output().unwrap();
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let mentions = v["mentions"].as_array().unwrap();
    assert!(mentions.len() >= 4, "{mentions:?}");
    for m in mentions {
        let (s, e) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
        assert_eq!(chars[s..e].iter().collect::<String>(), m["text"].as_str().unwrap());
    }
    let find = |t: &str| mentions.iter().find(|m| m["text"] == t).map(|m| m["type"].as_str().unwrap().to_string());
    assert_eq!(find("Moscow").as_deref(), Some("location"));
    assert_eq!(find("Sergei Lavrov").as_deref(), Some("person"));
}

#[test]
fn annotate_prints_quotes_with_their_speakers() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("a.txt");
    let text = "Zürich talks end\n\nRussia’s Foreign Minister Sergei Lavrov spoke in Moscow on Monday.\n\n“We will not leave Syria,” Lavrov said, “whatever the coalition does.”\n";
    fs::write(&f, text).unwrap();
    let o = dossier().arg("annotate").arg(&f).output().unwrap();
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let quotes = v["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 1, "{quotes:?}");
    let q = &quotes[0];
    let span = |a: &str, b: &str| chars[q[a].as_u64().unwrap() as usize..q[b].as_u64().unwrap() as usize].iter().collect::<String>();
    assert_eq!(span("start", "end"), "“We will not leave Syria,” Lavrov said, “whatever the coalition does.”");
    assert_eq!(span("speaker_start", "speaker_end"), "Lavrov");
    assert_eq!((q["cue"].as_str(), q["direct"].as_bool()), (Some("said"), Some(true)));
}

#[test]
fn archive_json_lists_each_articles_statements_with_the_speakers_entity() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("a.txt"), "Talks end in Geneva\n\nRussia’s Foreign Minister Sergei Lavrov spoke in Geneva on Monday.\n\n“We will not leave Syria,” he said.\n").unwrap();
    let out = tmp.path().join("site");
    assert!(build(&input, &out).status.success());
    let v = archive(&out);
    let quotes = v["articles"][0]["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 1, "{quotes:?}");
    assert_eq!((quotes[0]["speaker"].as_str(), quotes[0]["entity"].as_str(), quotes[0]["direct"].as_bool()), (Some("he"), Some("person/sergei-lavrov"), Some(true)));
}

#[test]
fn entities_toml_ignores_merges_and_retypes() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("a.txt"), "Talks held in Moscow today\nPresident Vladimir Putin met the Peshmerga in Moscow.\n").unwrap();
    fs::write(input.join("b.txt"), "Another headline here\nPresident V. Putin spoke about Moscow again.\n").unwrap();
    let out = tmp.path().join("site");
    assert!(build(&input, &out).status.success());
    let before = archive(&out);
    let people = |v: &serde_json::Value| v["entities"].as_array().unwrap().iter().filter(|e| e["type"] == "person").count();
    assert_eq!(people(&before), 2, "without overrides the two spellings are two people");

    fs::write(input.join("entities.toml"), "ignore = [\"Peshmerga\"]\n\n[[entity]]\nname = \"Vladimir Putin\"\naliases = [\"V. Putin\"]\n\n[[entity]]\nname = \"Moscow city\"\ntype = \"organisation\"\naliases = [\"Moscow\"]\n").unwrap();
    assert!(build(&input, &out).status.success());
    let after = archive(&out);
    assert_eq!(people(&after), 1, "aliases merge");
    let all: Vec<&str> = after["articles"].as_array().unwrap().iter().flat_map(|a| a["mentions"].as_array().unwrap()).map(|m| m["text"].as_str().unwrap()).collect();
    assert!(!all.contains(&"Peshmerga"), "ignored names are not marked");
    let moscow = after["entities"].as_array().unwrap().iter().find(|e| e["name"] == "Moscow city").expect("forced name");
    assert_eq!(moscow["type"], "organisation", "forced type");

    // A typed entry is also marked where the annotator missed it (a reviewer's "missed entity"),
    // as whole words only.
    fs::write(input.join("c.txt"), "Third headline\nThe northern alliance met. Northern alliances differ.\n").unwrap();
    fs::write(input.join("entities.toml"), "[[entity]]\nname = \"northern alliance\"\ntype = \"organisation\"\n").unwrap();
    assert!(build(&input, &out).status.success());
    let c = archive(&out)["articles"].as_array().unwrap().iter().find(|a| a["source"].as_str().unwrap().ends_with("c.txt")).unwrap().clone();
    let marked: Vec<(&str, &str, &str)> = c["mentions"].as_array().unwrap().iter().map(|m| (m["text"].as_str().unwrap(), m["type"].as_str().unwrap(), m["rule"].as_str().unwrap())).collect();
    assert_eq!(marked, [("northern alliance", "organisation", "entities.toml")]);
    fs::remove_file(input.join("c.txt")).unwrap();

    fs::write(input.join("entities.toml"), "[[entity]]\nname = \"X\"\ntype = \"planet\"\n").unwrap();
    let o = build(&input, &out);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("entities.toml") && stderr(&o).contains("planet"), "{}", stderr(&o));
}

#[test]
fn an_archive_overrides_templates_and_static_files_one_by_one() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_seeds(&input);
    fs::create_dir_all(input.join("templates")).unwrap();
    fs::create_dir_all(input.join("static")).unwrap();
    fs::write(input.join("templates/home.html"), "{% extends \"base.html\" %}{% block content %}<p class=\"ours\">Newsroom archive of {{ counts.articles }}</p>{% endblock content %}").unwrap();
    fs::write(input.join("static/style.css"), "body { color: rebeccapurple; }\n").unwrap();
    fs::write(input.join("static/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n").unwrap();
    let out = tmp.path().join("site");
    let o = build(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("<p class=\"ours\">Newsroom archive of 5</p>"), "the archive's home template is used");
    assert!(home.contains("class=\"site-nav\""), "the built-in base template still frames it");
    assert_eq!(fs::read_to_string(out.join("static/style.css")).unwrap(), "body { color: rebeccapurple; }\n");
    assert!(out.join("static/logo.svg").is_file(), "new static files are added");
    assert!(fs::read(out.join("static/dossier.js")).unwrap().len() > 100, "built-in files not overridden stay");
    assert!(fs::read_to_string(out.join("articles/001-ba1013068994706c.html")).unwrap().contains("class=\"reader\""), "other templates are the built-in ones");
}
