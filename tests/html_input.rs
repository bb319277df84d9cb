//! Saved web pages (`.html`) as articles: the text and metadata extracted, the charset, a page
//! with no article, and scripts that never reach the site. Every page is made here.

mod common;
use common::*;
use std::fs;
use std::path::Path;

/// Five paragraphs of an article about talks in Geneva, as `<p>` elements.
fn body_paragraphs() -> String {
    [
        "Foreign ministers from twelve countries met in Geneva on Monday to discuss a ceasefire in the region, the first such meeting in more than a year, officials said.",
        "Sergei Lavrov, the Russian foreign minister, told reporters after the session that the talks had been difficult but that all sides had agreed to meet again next month in Vienna.",
        "The United Nations envoy, who chaired the meeting, said the delegations had spent most of the day on the question of humanitarian corridors and the release of prisoners.",
        "Several delegations left the building without speaking to the press. A spokesman for the European Union said a joint statement would be published later in the week.",
        "The next round of talks is expected to include representatives of local councils, which had asked to take part since the first meeting in Paris last spring.",
    ]
    .iter()
    .map(|p| format!("<p>{p}</p>\n"))
    .collect()
}

/// A saved page with navigation, a share bar and a footer around the article.
fn page(head: &str, article_top: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">{head}</head><body>\n\
         <header><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World news</a></li><li><a href=\"/sport\">Sport pages</a></li><li><a href=\"/login\">Sign in to your account</a></li></ul></nav></header>\n\
         <main><article>{article_top}\n{}\n<figure><img src=\"a.jpg\" alt=\"\"><figcaption>Delegates arrive at the palace in Geneva. Photo: Example Agency</figcaption></figure></article>\n\
         <aside class=\"related\"><h3>Related stories</h3><ul><li><a href=\"/x\">Markets fall on trade worries</a></li><li><a href=\"/y\">Storm hits the coast</a></li></ul></aside></main>\n\
         <footer><p><a href=\"/terms\">Terms of use</a> <a href=\"/privacy\">Privacy policy</a> Copyright Example Media Group</p></footer>\n</body></html>\n",
        body_paragraphs()
    )
}

fn annotate(path: &Path) -> serde_json::Value {
    let o = dossier().arg("annotate").arg(path).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Every mention's offsets index "text", in code points.
fn offsets_index_text(v: &serde_json::Value) {
    let chars: Vec<char> = v["text"].as_str().unwrap().chars().collect();
    let mentions = v["mentions"].as_array().unwrap();
    assert!(!mentions.is_empty());
    for m in mentions {
        let (s, e) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
        assert_eq!(chars[s..e].iter().collect::<String>(), m["text"].as_str().unwrap());
    }
}

#[test]
fn a_page_with_json_ld_gives_its_text_and_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    let ld = r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Ministers agree to meet again after Geneva talks","datePublished":"2019-11-05T14:30:00+01:00","author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"John Roe"}],"publisher":{"@type":"Organization","name":"Example Wire"},"url":"https://example.com/world/geneva-talks"}</script>"#;
    let head = format!("<title>Ministers agree to meet again after Geneva talks | Example Wire</title>{ld}");
    let html = page(&head, "<h1>Ministers agree to meet again after Geneva talks</h1><p class=\"byline\">By Jane Doe and John Roe</p>");
    let file = input.join("geneva.html");
    fs::write(&file, &html).unwrap();

    let v = annotate(&file);
    assert_eq!(v["title"], "Ministers agree to meet again after Geneva talks");
    assert_eq!(v["published"], "2019-11-05");
    assert_eq!(v["authors"], serde_json::json!(["Jane Doe", "John Roe"]));
    assert_eq!(v["url"], "https://example.com/world/geneva-talks");
    let text = v["text"].as_str().unwrap();
    assert!(text.contains("Foreign ministers from twelve countries met in Geneva on Monday"), "{text}");
    assert!(text.contains("officials said.\n\nSergei Lavrov"), "paragraphs are separated by a blank line: {text}");
    for furniture in ["Sign in to your account", "Privacy policy", "Markets fall on trade worries", "Delegates arrive at the palace"] {
        assert!(!text.contains(furniture), "{furniture:?} is not the article's: {text}");
    }
    assert!(!text.contains('<'), "no markup in the text: {text}");
    offsets_index_text(&v);

    let out = tmp.path().join("site");
    let o = build(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let a = &archive(&out)["articles"][0];
    assert_eq!(a["title"], "Ministers agree to meet again after Geneva talks");
    assert_eq!(a["published"], "2019-11-05");
    let html = page_of(&out, "articles/geneva.html");
    assert!(html.contains("Jane Doe, John Roe"), "the authors are shown");
    assert!(html.contains("Example Wire"), "the publisher is shown");
    assert!(html.contains("https://example.com/world/geneva-talks"), "the address is shown");
    // The original text beside the page is the extracted text, never the saved HTML.
    let original = fs::read_to_string(out.join("articles/geneva.txt")).unwrap();
    assert_eq!(original, text);
}

fn page_of(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap()
}

#[test]
fn a_page_without_json_ld_uses_its_markup_and_title() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("talks.htm");
    let head = "<title>Ministers agree to meet again | CNN Politics</title><meta property=\"og:site_name\" content=\"CNN\"><link rel=\"canonical\" href=\"https://example.com/2019/11/05/politics/talks/index.html\"><meta name=\"author\" content=\"Jane Doe\">";
    fs::write(&f, page(head, "<h1>Ministers agree to meet again</h1><time datetime=\"2019-11-04T22:00:00Z\">Nov. 4</time>")).unwrap();
    let v = annotate(&f);
    assert_eq!(v["title"], "Ministers agree to meet again");
    assert_eq!(v["published"], "2019-11-04", "the <time> element's date");
    assert_eq!(v["authors"], serde_json::json!(["Jane Doe"]));
    assert_eq!(v["url"], "https://example.com/2019/11/05/politics/talks/index.html");
    offsets_index_text(&v);
}

#[test]
fn a_site_suffix_is_cut_from_the_title() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("suffix.html");
    // No h1, no Open Graph title: only the <title> names the article, with the site after it.
    let head = "<title>Ministers agree to meet again - The Daily Planet</title><meta property=\"og:site_name\" content=\"The Daily Planet\"><meta property=\"og:url\" content=\"https://planet.example/news/2018/03/07/talks\">";
    fs::write(&f, page(head, "")).unwrap();
    let v = annotate(&f);
    assert_eq!(v["title"], "Ministers agree to meet again");
    assert_eq!(v["published"], "2018-03-07", "the date in the address");
}

#[test]
fn a_latin_1_page_declared_in_a_meta_tag_is_decoded() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("latin.html");
    let html = page("<title>Caf\u{e9} talks in Z\u{fc}rich</title>", "<h1>Caf\u{e9} talks in Z\u{fc}rich</h1>")
        .replace("<meta charset=\"utf-8\">", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">")
        .replace("Vienna", "Z\u{fc}rich's caf\u{e9}s");
    // Written in Latin-1: one byte per character.
    let bytes: Vec<u8> = html.chars().map(|c| u8::try_from(u32::from(c)).expect("Latin-1")).collect();
    assert!(std::str::from_utf8(&bytes).is_err(), "the page is not UTF-8");
    fs::write(&f, &bytes).unwrap();
    let v = annotate(&f);
    assert_eq!(v["title"], "Caf\u{e9} talks in Z\u{fc}rich");
    assert!(v["text"].as_str().unwrap().contains("Z\u{fc}rich's caf\u{e9}s"), "{}", v["text"]);
    assert!(!v["text"].as_str().unwrap().contains('\u{FFFD}'));

    // The build says how the page was read.
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("latin.html"), &bytes).unwrap();
    let out = tmp.path().join("site");
    let o = build(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(page_of(&out, "articles/latin.html").contains("read as windows-1252"), "the charset is in the source notes");
}

#[test]
fn a_page_with_no_article_is_reported_and_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    let home = "<html><head><title>Example News | Home</title></head><body><nav><a href=\"/a\">World</a> <a href=\"/b\">Business</a> <a href=\"/c\">Sport</a> <a href=\"/d\">Sign in</a></nav><ul><li><a href=\"/1\">Markets fall</a></li><li><a href=\"/2\">Storm hits the coast</a></li></ul><footer>Copyright Example</footer></body></html>";
    fs::write(input.join("home.html"), home).unwrap();
    fs::write(input.join("story.txt"), "Talks in Geneva\nForeign ministers met in Geneva on Monday to discuss a ceasefire, officials said.\n").unwrap();
    let out = tmp.path().join("site");
    let o = build(&input, &out);
    assert_eq!(o.status.code(), Some(1), "a file failed: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("home.html") && err.contains("no article"), "{err}");
    let articles = archive(&out)["articles"].as_array().unwrap().clone();
    assert_eq!(articles.len(), 1, "the rest builds");
    assert_eq!(articles[0]["title"], "Talks in Geneva");
    assert!(!out.join("articles/home.html").exists());
}

#[test]
fn a_saved_pages_scripts_never_reach_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    let head = "<title>Ministers agree to meet again</title><script>window.MARKER_HEAD_4711 = 1; document.write('MARKER_WRITE_4711');</script>";
    let top = "<h1>Ministers agree to meet again</h1><script type=\"text/javascript\">alert('MARKER_BODY_4711')</script><noscript>MARKER_NOSCRIPT_4711</noscript><img src=\"x\" onerror=\"alert('MARKER_ONERROR_4711')\">";
    fs::write(input.join("scripted.html"), page(head, top)).unwrap();
    let out = tmp.path().join("site");
    let o = build(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(page_of(&out, "articles/scripted.html").contains("Foreign ministers from twelve countries"));
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("MARKER_"), "{} holds the saved page's script", entry.path().display());
        }
    }
}

/// Pages per second of extraction alone (decoding, metadata, body), over a folder of saved
/// pages: `DOSSIER_HTML_DIR=/tmp/pages cargo test --release --test html_input -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, over pages given in DOSSIER_HTML_DIR"]
fn extraction_speed() {
    let Ok(dir) = std::env::var("DOSSIER_HTML_DIR") else { return };
    let pages: Vec<Vec<u8>> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "html")).map(|p| fs::read(p).unwrap()).collect();
    let rounds = 5;
    let t0 = std::time::Instant::now();
    let mut ok = 0;
    for _ in 0..rounds {
        for bytes in &pages {
            let (html, _) = dossier::source::html::decode(bytes);
            ok += usize::from(dossier::source::html::extract(&html).is_ok());
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    let n = pages.len() * rounds;
    let mb = pages.iter().map(Vec::len).sum::<usize>() as f64 * rounds as f64 / 1e6;
    println!("{n} pages ({ok} with an article, {mb:.1} MB) in {secs:.2} s: {:.0} pages/s, {:.2} ms a page, one thread", n as f64 / secs, secs * 1000.0 / n as f64);
}
