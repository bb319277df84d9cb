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
    // The original text beside the page, when the page leaves part of it out, is the extracted
    // text, never the saved HTML; when the page shows all of it there is no copy and no link.
    match fs::read_to_string(out.join("articles/geneva.txt")) {
        Ok(original) => assert_eq!(original, text),
        Err(_) => assert!(!html.contains("geneva.txt"), "no link to a copy not written"),
    }
    assert!(!out.join("articles/geneva.html.orig").exists() && fs::read_dir(out.join("articles")).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".htm")));
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

/// Text copied from a web page into a `.txt` file keeps the page's furniture: link prompts,
/// buttons, a photo's file name and caption, the author box. None of it reaches the article.
#[test]
fn web_copy_in_a_text_file_loses_its_furniture() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    let paragraphs = body_paragraphs().replace("<p>", "").replace("</p>", "");
    let mut lines: Vec<&str> = paragraphs.lines().collect();
    let copied = [
        "Ministers agree to meet again after Geneva talks",
        "Harriet Quill Follow",
        "geneva-palace.JPG",
        "Delegates arrive at the palace in Geneva on Monday. (Photo: Example Agency/Jane Roe)",
    ];
    lines.splice(0..0, copied);
    lines.insert(6, "Read more: Markets fall on trade worries");
    lines.push("ADD TO CART");
    lines.push("Follow us on Facebook and Twitter for the latest news.");
    fs::write(input.join("copied.txt"), lines.join("\n\n")).unwrap();
    let out = tmp.path().join("site");
    let o = build(&input, &out);
    assert!(o.status.success(), "{}", stderr(&o));
    let article = &archive(&out)["articles"][0];
    assert_eq!(article["title"], "Ministers agree to meet again after Geneva talks");
    let names: Vec<&str> = article["mentions"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
    assert!(!names.iter().any(|n| n.contains("Harriet") || n.contains("Quill")), "the author box is no person: {names:?}");
    let page = page_of(&out, "articles/copied.html");
    let body = between(&page, "<div class=\"article-body\"", "</article>").expect("the article body");
    assert!(body.contains("Foreign ministers from twelve countries"));
    for furniture in ["Harriet Quill", "palace.JPG", "Delegates arrive", "Read more:", "ADD TO CART", "Follow us on"] {
        assert!(!body.contains(furniture), "{furniture} is in the article text");
    }
    let notes: Vec<&str> = article["notes"].as_array().unwrap().iter().map(|n| n["message"].as_str().unwrap()).collect();
    assert_eq!(notes.iter().filter(|n| n.starts_with("page furniture removed")).count(), 6, "each removal is noted: {notes:#?}");
    let list = page_of(&out, "articles/index.html");
    assert!(list.contains("Foreign ministers from twelve countries"), "the lead, not the caption, is the card's snippet");
}

/// One WARC record: headers, the block, and the two line breaks that end it.
fn warc_record(kind: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{:08x}-0000-4000-8000-000000000000>\r\nWARC-Date: 2021-03-04T05:06:07Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len(),
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_response(head: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 {head}\r\n\r\n").into_bytes();
    r.extend_from_slice(body);
    r
}

/// A crawl of two articles, as crawlers write it: a `warcinfo` record, a request and a response
/// for each page, one page sent in chunks in Latin-1 with a script in it, and an image and a
/// missing page, which are not articles. Each record is its own gzip member (`.warc.gz`).
fn crawl() -> Vec<u8> {
    const HTTP: &str = "application/http; msgtype=response";
    let first = page("<title>Ministers agree to meet again | Example Wire</title>", "<h1>Ministers agree to meet again</h1>");
    let second = page("<title>Caf\u{e9} owners protest in Geneva</title>", "<h1>Caf\u{e9} owners protest in Geneva</h1><script>alert('MARKER_WARC_4711')</script>");
    let latin: Vec<u8> = second.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')).collect();
    let mut chunked = Vec::new();
    for piece in latin.chunks(700) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let records = [
        warc_record("warcinfo", "", "application/warc-fields", b"software: a test\r\n"),
        warc_record("request", "https://example.com/world/2019/11/05/geneva-talks.html", "application/http; msgtype=request", b"GET /world/2019/11/05/geneva-talks.html HTTP/1.1\r\nHost: example.com\r\n\r\n"),
        warc_record("response", "https://example.com/world/2019/11/05/geneva-talks.html", HTTP, &http_response("200 OK\r\nContent-Type: text/html; charset=utf-8", first.as_bytes())),
        warc_record("response", "https://example.org/cafe-protest", HTTP, &http_response("200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\nTransfer-Encoding: chunked", &chunked)),
        warc_record("response", "https://example.org/logo.png", HTTP, &http_response("200 OK\r\nContent-Type: image/png", b"\x89PNG\r\n\x1a\n")),
        warc_record("response", "https://example.org/gone", HTTP, &http_response("404 Not Found\r\nContent-Type: text/html", b"<p>Not found</p>")),
    ];
    let mut out = Vec::new();
    for r in records {
        let mut gz = libflate::gzip::Encoder::new(Vec::new()).unwrap();
        std::io::Write::write_all(&mut gz, &r).unwrap();
        out.extend(gz.finish().into_result().unwrap());
    }
    out
}

#[test]
fn each_page_of_a_web_archive_is_an_article() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("crawl.warc.gz"), crawl()).unwrap();
    fs::write(input.join("broken.warc"), "this is not a web archive\n").unwrap();
    let out = tmp.path().join("site");
    let o = build(&input, &out);
    assert_eq!(o.status.code(), Some(1), "one file failed: {}", stderr(&o));
    assert!(stderr(&o).contains("broken.warc: not a WARC file"), "{}", stderr(&o));
    let archive = archive(&out);
    let mut articles: Vec<(String, String, String)> = archive["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["title"].as_str().unwrap().to_string(), a["published"].as_str().unwrap_or("none").to_string(), a["source"].as_str().unwrap().to_string()))
        .collect();
    articles.sort();
    assert_eq!(
        articles,
        [
            ("Café owners protest in Geneva".to_string(), "none".to_string(), "crawl/cafe-protest.html".to_string()),
            ("Ministers agree to meet again".to_string(), "2019-11-05".to_string(), "crawl/geneva-talks.html".to_string()),
        ],
        "two pages, the image and the missing page left out; the date from the address, never the capture date"
    );
    let cafe = page_of(&out, "articles/crawl-cafe-protest.html");
    assert!(cafe.contains("Foreign ministers from twelve countries"), "the chunked Latin-1 page is read");
    assert!(cafe.contains("https://example.org/cafe-protest captured on 2021-03-04"), "the address and the capture are in the source notes");
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            assert!(!String::from_utf8_lossy(&fs::read(entry.path()).unwrap()).contains("MARKER_WARC"), "{} holds the page's script", entry.path().display());
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
