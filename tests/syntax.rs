//! Build-time syntax highlighting: fenced code in Markdown articles and the generated theme
//! stylesheet; and what replaced the per-article data page (the article page's own panels and
//! links to the annotation export and archive.json).

mod common;
use common::*;
use std::fs;

const CODE_MD: &str = "---\ntitle: \"Code & <script>alert(2)</script> in Moscow\"\npublished: 2019-03-04\n---\n# Code & <script>alert(2)</script> in Moscow\n\nForeign Minister Sergei Lavrov met envoys in Geneva on Monday to discuss the code below.\n\n```rust\nfn main() {\n    let city = \"Moscow\"; // Lavrov, 5 March 2019\n    println!(\"{city}\");\n}\n```\n\n```rust\nlet s = \"</code><script>alert(1)</script>\";\n```\n\n```nosuchlanguage\n<b>not bold</b>\n```\n\nThe talks in Paris ended on Tuesday.\n";

fn site_with_code() -> (tempfile::TempDir, std::path::PathBuf) {
    site_with_code_exporting(&[])
}

/// `site_with_code`, built with these `--export`s.
fn site_with_code_exporting(exports: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    copy_seeds(&input);
    fs::write(input.join("code.md"), CODE_MD).unwrap();
    let out = tmp.path().join("site");
    let mut cmd = dossier();
    cmd.arg("build").arg("--input").arg(&input).arg("--output").arg(&out);
    for e in exports {
        cmd.arg("--export").arg(e);
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, out)
}

/// The `<pre>` elements of a page, each from its start tag to `</pre>`.
fn pres(html: &str) -> Vec<&str> {
    html.match_indices("<pre").map(|(i, _)| &html[i..i + html[i..].find("</pre>").unwrap() + 6]).collect()
}

/// The text of an HTML fragment: tags dropped, the entities Tera and syntect write decoded.
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
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&amp;", "&")
}

#[test]
fn fenced_code_is_highlighted_with_prefixed_classes_and_stays_escaped() {
    let (_tmp, out) = site_with_code();
    let html = fs::read_to_string(out.join("articles/code.html")).unwrap();
    let blocks = pres(&html);
    assert_eq!(blocks.len(), 3, "{blocks:#?}");

    let rust = blocks[0];
    assert!(rust.contains("<code class=\"language-rust\">"), "{rust}");
    assert!(rust.contains("<span class=\"hl-source hl-rust\">"), "{rust}");
    assert!(rust.contains("hl-keyword") && rust.contains("hl-comment"), "{rust}");
    assert!(!rust.contains("class=\"mention"), "names inside code are not marked: {rust}");
    assert_eq!(text_of(rust), "fn main() {\n    let city = \"Moscow\"; // Lavrov, 5 March 2019\n    println!(\"{city}\");\n}", "the code reads as written");

    let hostile = blocks[1];
    assert!(hostile.contains("&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "{hostile}");
    assert_eq!(text_of(hostile), "let s = \"</code><script>alert(1)</script>\";");

    let unknown = blocks[2];
    assert!(!unknown.contains("hl-"), "an unknown language is shown as plain text: {unknown}");
    assert!(unknown.contains("&lt;b&gt;not bold&lt;/b&gt;"), "{unknown}");

    assert!(!html.contains("<script>alert"), "no text becomes a script");
    assert!(!html.contains("style="), "classes only, no inline styles");
    assert_eq!(html.matches("static/syntax.css").count(), 1);
    // Outside the article body the mentions are marked as usual.
    assert!(html.contains("class=\"mention mention--person"), "the prose around the code is still annotated");
    // Links to a name or date inside code land on the code block, as nothing inside it is marked.
    let moscow = fs::read_to_string(out.join("locations/moscow.html")).unwrap();
    assert!(moscow.contains("code.html#p2\""), "the entity page links to the block");
    assert!(html.contains("href=\"#p2\""), "the dates panel links to the block");
    let timeline = fs::read_to_string(out.join("dates/timeline.html")).unwrap();
    assert!(timeline.contains("code.html#p2\""), "the timeline links to the block");
    let seed = fs::read_to_string(out.join("articles/001-ba1013068994706c.html")).unwrap();
    assert!(!seed.contains("syntax.css"), "pages without highlighted code do not load the theme");
}

#[test]
fn the_theme_stylesheet_is_generated_prefixed_and_deterministic() {
    let (_tmp, a) = site_with_code();
    let (_tmp2, b) = site_with_code();
    let css = fs::read(a.join("static/syntax.css")).unwrap();
    assert_eq!(css, fs::read(b.join("static/syntax.css")).unwrap(), "same bytes on every build");
    let css = String::from_utf8(css).unwrap();
    assert!(css.contains("@media (prefers-color-scheme: dark)"), "a dark theme");
    assert!(css.contains("@media not all and (prefers-color-scheme: dark)"), "a light theme");
    let selectors: Vec<&str> = css.lines().filter(|l| l.trim_end().ends_with('{') && !l.contains("@media")).collect();
    assert!(selectors.len() > 50, "{}", selectors.len());
    for s in selectors {
        for class in s.split(['.', ' ', ',']).filter(|w| !w.is_empty() && *w != "{") {
            assert!(class.starts_with("hl-"), "every class is prefixed: {s}");
        }
    }
}

/// The data page (the article's archive.json entry as highlighted JSON) is gone: its facts are
/// on the article page (the dates with their values, the source notes) and in the files the
/// page links to (archive.json, and its Web Annotations when they are exported), which exist.
#[test]
fn articles_link_to_their_data_instead_of_a_data_page() {
    let (_tmp, out) = site_with_code_exporting(&["annotations"]);
    let archive = archive(&out);
    let articles = archive["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 6);
    let mut dates = 0;
    for entry in articles {
        let id = entry["id"].as_str().unwrap();
        assert!(!out.join(format!("articles/{id}.data.html")).exists(), "{id}: no data page");
        let article = fs::read_to_string(out.join(format!("articles/{id}.html"))).unwrap();
        assert!(!article.contains(".data.html"), "{id}: nothing links to a data page");
        let links: Vec<&str> = article.split("href=\"").skip(1).map(|h| &h[..h.find('"').unwrap()]).filter(|h| h.starts_with("../data/")).collect();
        assert!(links.contains(&"../data/archive.json"), "{id}: links to the whole archive: {links:?}");
        let annotations = links.iter().find(|h| h.starts_with("../data/annotations/")).unwrap_or_else(|| panic!("{id}: links to its annotations: {links:?}"));
        let file = out.join("articles").join(annotations.split('#').next().unwrap());
        let held = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{id}: {annotations}: {e}"));
        assert!(held.contains(&format!("\"source\":\"../../articles/{id}.html\"")), "{id}: {annotations} annotates the article's page");
        for d in entry["dates"].as_array().unwrap() {
            let value = d["value"].as_str().unwrap();
            assert!(article.contains(&format!(">{value}</code>")), "{id}: the dates panel shows {value}");
            dates += 1;
        }
        assert_eq!(article.matches("<li class=\"note note--").count(), entry["notes"].as_array().unwrap().len(), "{id}: every source note");
    }
    assert!(dates > 5, "dates checked: {dates}");
}

/// The Web Annotations restate what the pages and archive.json hold: they are written only on
/// request (`--export annotations`, or `export` in dossier.toml), and otherwise neither exist
/// nor are linked. An export Dossier does not know is refused, naming the settings file.
#[test]
fn web_annotations_are_written_only_on_request() {
    let (_tmp, out) = site_with_code();
    assert!(!out.join("data/annotations").exists(), "no annotations unless asked for");
    let archive = archive(&out);
    for entry in archive["articles"].as_array().unwrap() {
        let article = fs::read_to_string(out.join(entry["url"].as_str().unwrap())).unwrap();
        assert!(!article.contains("data/annotations/") && !article.contains("Web Annotations"), "{}: links no annotations", entry["id"]);
        assert!(article.contains("href=\"../data/archive.json\""), "{}: links the archive", entry["id"]);
    }
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("dossier.toml");
    fs::write(&config, "export = [\"annotation\"]\n").unwrap();
    let o = dossier().arg("build").arg("--config").arg(&config).arg("--input").arg(project().join("seeds")).arg("--output").arg(tmp.path().join("site")).output().unwrap();
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("dossier.toml") && err.contains("\"annotation\"") && err.contains("known: annotations"), "{err}");
    let o = dossier().arg("build").arg("--export").arg("nothing").arg("--input").arg(project().join("seeds")).arg("--output").arg(tmp.path().join("site")).output().unwrap();
    assert!(!o.status.success() && stderr(&o).contains("annotations"), "{}", stderr(&o));
}
