//! Saved web pages (`.html`, `.htm`): the article's text and the page's metadata.
//!
//! The body is found by `dom_smoothie` (a port of Mozilla's Readability.js); the metadata is
//! read here from the page's own declarations, in order of trust: JSON-LD (schema.org
//! `NewsArticle` and kin), Open Graph and other `<meta>` tags, the markup (`<h1>`,
//! `<time datetime>`, `<link rel=canonical>`, `<html lang>`), the `<title>` without its site
//! suffix, and the address. The page's HTML is read, never kept: what the site publishes is the
//! extracted text.

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};
use encoding_rs::Encoding;
use serde_json::Value;

use crate::model::Meta;

/// An article has at least this many words; a page with fewer is a home page, a login wall or
/// a page of links, and is reported rather than built as a page of menu text.
pub const MIN_WORDS: usize = 40;

/// What a saved page gave.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The article body: paragraphs and sub-headings, one per line, separated by blank lines.
    pub text: String,
    pub meta: Meta,
    /// Where each piece of metadata came from, and anything worth knowing about the reading
    /// (the charset), for the article's source notes.
    pub notes: Vec<String>,
}

/// Decodes a saved page's bytes: by a byte-order mark, else the charset the page declares
/// (`<meta charset>`, or `http-equiv` Content-Type), else UTF-8. Bytes that are not valid in
/// the encoding are replaced, and the returned note says so.
pub fn decode(bytes: &[u8]) -> (String, Option<String>) {
    decode_declared(bytes, None)
}

/// [`decode`] for a page whose HTTP response declared a charset (`Content-Type: text/html;
/// charset=…`), which, as in browsers, wins over the page's own `<meta>`.
pub fn decode_declared(bytes: &[u8], http_charset: Option<&str>) -> (String, Option<String>) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        let note = errors.then(|| format!("invalid {} bytes replaced (the page starts with its byte-order mark)", enc.name()));
        return (text.into_owned(), note);
    }
    let from_http = http_charset.filter(|l| Encoding::for_label(l.as_bytes()).is_some());
    let by = if from_http.is_some() { "by the server" } else { "in the page" };
    let declared = from_http.map(str::to_string).or_else(|| declared_charset(&bytes[..bytes.len().min(8192)]));
    // As browsers do: a page cannot declare UTF-16 in its own (ASCII) markup.
    let enc = declared.as_deref().and_then(|l| Encoding::for_label(l.as_bytes())).filter(|e| *e != encoding_rs::UTF_16LE && *e != encoding_rs::UTF_16BE);
    match enc {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            let (text, errors) = enc.decode_without_bom_handling(bytes);
            let label = declared.unwrap_or_default();
            let note = if errors {
                format!("read as {} (declared \u{201C}{label}\u{201D} {by}); bytes not valid in it replaced", enc.name())
            } else {
                format!("read as {} (declared \u{201C}{label}\u{201D} {by})", enc.name())
            };
            (text.into_owned(), Some(note))
        }
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), None),
            Err(e) => {
                let why = if declared.is_some() { "declared UTF-8" } else { "no charset declared" };
                let note = format!("not valid UTF-8 from byte {} ({why}): read as UTF-8 with the invalid bytes replaced", e.valid_up_to());
                (String::from_utf8_lossy(bytes).into_owned(), Some(note))
            }
        },
    }
}

/// The charset a page declares in a `<meta>` tag near its top, as written.
fn declared_charset(head: &[u8]) -> Option<String> {
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = find(&lower[start..], b">").map_or(lower.len(), |j| start + j);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let mut rest = &tag[c + b"charset".len()..];
            while rest.first().is_some_and(|b| b.is_ascii_whitespace()) {
                rest = &rest[1..];
            }
            if rest.first() == Some(&b'=') {
                rest = &rest[1..];
                while rest.first().is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'') {
                    rest = &rest[1..];
                }
                let len = rest.iter().position(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'/' | b'>')).unwrap_or(rest.len());
                if len > 0 {
                    return Some(String::from_utf8_lossy(&rest[..len]).into_owned());
                }
            }
        }
        from = end;
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Extracts the article from a decoded page. Err: why the page holds no article.
pub fn extract(html: &str) -> Result<Page, String> {
    extract_from(html, None)
}

/// [`extract`] for a page whose address is known from outside it (a WARC record's target URI):
/// that address is used where the page names none of its own.
pub fn extract_from(html: &str, address: Option<&str>) -> Result<Page, String> {
    let doc = Document::from(strip_inert(html).as_ref());
    let mut page = Page::default();
    let found = metadata(&doc, address);
    let byline = {
        remove_captions(&doc);
        let cfg = Config { text_mode: TextMode::Formatted, ..Config::default() };
        let mut reader = Readability::with_document(doc, None, Some(cfg)).map_err(|e| format!("the page could not be read: {e}"))?;
        match reader.parse() {
            Ok(article) => {
                page.text = tidy(&paragraphs(&article.text_content));
                article.byline
            }
            Err(_) => return Err("no article found in the page (a home page, a list of links or a login wall?)".into()),
        }
    };
    let words = word_count(&page.text);
    if words < MIN_WORDS {
        return Err(format!("no article found in the page: only {words} words of text outside its menus and links (an article has at least {MIN_WORDS})"));
    }
    let mut meta = Meta::default();
    let mut from = Vec::new();
    if let Some((t, how)) = found.title {
        meta.title = Some(t);
        from.push(format!("headline from {how}"));
    }
    if let Some((d, how)) = found.published {
        meta.published = Some(d);
        from.push(format!("date from {how}"));
    }
    let mut authors = found.authors;
    if authors.is_empty() {
        if let Some(b) = byline {
            authors = split_authors(&b);
            if !authors.is_empty() {
                from.push("authors from the byline".into());
            }
        }
    }
    meta.authors = authors;
    meta.publisher = found.site;
    meta.url = found.url;
    meta.language = found.language;
    page.meta = meta;
    if !from.is_empty() {
        page.notes.push(from.join(", "));
    }
    Ok(page)
}

/// The page without what no reader sees and the extractor throws away anyway: scripts (but
/// JSON-LD, which holds the metadata), style sheets, inline SVG and comments. On today's news
/// pages these are half the bytes or more, and parsing them into a tree was the largest cost of
/// reading a page; cutting them out first on bytes halves it.
fn strip_inert(html: &str) -> std::borrow::Cow<'_, str> {
    use aho_corasick::AhoCorasick;
    use std::sync::OnceLock;
    static OPEN: OnceLock<AhoCorasick> = OnceLock::new();
    static CLOSE: OnceLock<[AhoCorasick; 4]> = OnceLock::new();
    let ci = |pats: &[&str]| AhoCorasick::builder().ascii_case_insensitive(true).build(pats).expect("fixed patterns");
    let open = OPEN.get_or_init(|| ci(&["<script", "<style", "<svg", "<!--"]));
    let close = CLOSE.get_or_init(|| [ci(&["</script"]), ci(&["</style"]), ci(&["</svg"]), ci(&["-->"])]);
    let mut out = String::new();
    let mut copied = 0;
    let mut from = 0;
    while let Some(m) = open.find(&html[from..]) {
        let start = from + m.start();
        let after = from + m.end();
        // "<scripts>" or "<svgfoo" are other tags: the name must end here.
        if m.pattern().as_usize() < 3 && !html[after..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/') {
            from = after;
            continue;
        }
        if m.pattern().as_usize() == 0 {
            let tag_end = html[after..].find('>').map_or(html.len(), |i| after + i);
            if html[after..tag_end].to_ascii_lowercase().contains("ld+json") {
                from = tag_end;
                continue;
            }
        }
        let closer = &close[m.pattern().as_usize()];
        let end = match closer.find(&html[after..]) {
            // A comment ends at "-->"; an element after the ">" of its end tag.
            Some(c) if m.pattern().as_usize() == 3 => after + c.end(),
            Some(c) => html[after + c.end()..].find('>').map_or(html.len(), |i| after + c.end() + i + 1),
            None => html.len(),
        };
        out.push_str(&html[copied..start]);
        copied = end;
        from = end;
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    std::borrow::Cow::Owned(out)
}

/// Words in a text, for telling an article from a page of links: runs of non-space, or for
/// scripts written without spaces (Japanese, Chinese) one word for every six letters.
fn word_count(text: &str) -> usize {
    let letters = text.chars().filter(|c| c.is_alphanumeric()).count();
    text.split_whitespace().count().max(letters / 6)
}

/// Figure captions and photo credits: never the article's text.
fn remove_captions(doc: &Document) {
    doc.select("figcaption").remove();
    for n in doc.select("[class*='caption'], [class*='credit'], [id*='caption']").nodes() {
        if n.text().chars().count() < 400 {
            n.remove_from_parent();
        }
    }
}

fn ends_as_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', ']', '\u{BB}']);
    t.ends_with(['.', '!', '?', '\u{2026}', '\u{3002}'])
}

fn has_time(s: &str) -> bool {
    let b = s.as_bytes();
    (1..b.len().saturating_sub(2)).any(|i| b[i] == b':' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit() && b[i + 2].is_ascii_digit())
}

fn has_year(s: &str) -> bool {
    s.split(|c: char| !c.is_ascii_digit()).any(|w| w.len() == 4 && (w.starts_with("19") || w.starts_with("20")))
}

/// Lines of page furniture the extractor kept, by shape: a line that is only a date and time
/// ("Updated Nov 19, 9:41 AM"), a byline ("By Jane Doe - 11/18/19"), and a copyright notice at
/// the end. Measured on the
/// development pages: figure captions (`remove_captions`) and these raise body F1 from 0.962 to
/// 0.972; dropping repeated paragraphs, short labels above the article or lines that are not
/// sentences after it did not help (the cleaning stage still marks those for the page).
fn tidy(text: &str) -> String {
    let mut lines: Vec<&str> = text.split("\n\n").map(str::trim).filter(|l| !l.is_empty()).collect();
    let words = |l: &str| l.split_whitespace().count();
    let date_line = |l: &str| words(l) <= 14 && (has_time(l) || (has_year(l) && words(l) <= 8));
    // A byline, with the date and time it often carries ("By Staff | November 18, 2019 at
    // 2:26 PM - Updated 4:46 PM").
    let byline = |l: &str| {
        let n = words(l);
        ["By ", "by ", "BY ", "Posted by "].iter().any(|p| l.starts_with(p)) && (n <= 12 || (n <= 30 && (has_time(l) || has_year(l))))
    };
    lines.retain(|l| ends_as_sentence(l) || !(date_line(l) || byline(l)));
    // The page's copyright notice, which some extractors keep as the last paragraph.
    while lines.last().is_some_and(|l| words(l) <= 20 && (l.starts_with('\u{A9}') || l.starts_with("Copyright") || l.starts_with("(c) "))) {
        lines.pop();
    }
    let mut out = lines.join("\n\n");
    out.push('\n');
    out
}

/// The extracted text, one paragraph a line with a blank line between, spaces collapsed.
fn paragraphs(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for line in raw.lines() {
        let mut first = true;
        let mut any = false;
        for w in line.split_whitespace() {
            if !any && !out.is_empty() {
                out.push_str("\n\n");
            }
            any = true;
            if !first {
                out.push(' ');
            }
            first = false;
            out.push_str(w);
        }
    }
    out.push('\n');
    out
}

/// Metadata found in a page, each piece with where it came from.
#[derive(Debug, Default)]
struct Found {
    title: Option<(String, &'static str)>,
    published: Option<(String, &'static str)>,
    authors: Vec<String>,
    site: Option<String>,
    url: Option<String>,
    language: Option<String>,
}

/// The page's `<meta>` tags by `property`, `name` or `itemprop` (lower-cased), first one wins.
fn meta_tags(doc: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for n in doc.select("meta").nodes() {
        let Some(content) = n.attr("content") else { continue };
        let content = collapse(&content);
        if content.is_empty() {
            continue;
        }
        for key in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(k) = n.attr(key) {
                out.push((k.trim().to_ascii_lowercase(), content.clone()));
            }
        }
    }
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn metadata(doc: &Document, address: Option<&str>) -> Found {
    let metas = meta_tags(doc);
    let meta = |keys: &[&str]| keys.iter().find_map(|k| metas.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()));
    let ld = json_ld_article(doc);
    let ld_str = |key: &str| ld.as_ref().and_then(|v| v.get(key)).and_then(text_of);
    let mut found = Found::default();

    // Site name first: the title's suffix is often it.
    let publisher = ld.as_ref().and_then(|v| v.get("publisher")).and_then(|p| match p {
        Value::Array(a) => a.first().and_then(name_of),
        p => name_of(p),
    });
    // A name, not an address ("https://www.example.com" is no publisher's name).
    found.site = [meta(&["og:site_name"]), publisher, meta(&["application-name"])].into_iter().flatten().find(|n| !n.contains("://") && !n.starts_with("www."));

    let url = [
        doc.select("link[rel='canonical']").nodes().first().and_then(|n| n.attr("href")).map(|s| s.trim().to_string()),
        meta(&["og:url"]),
        ld_str("url"),
        ld.as_ref().and_then(|v| v.get("mainEntityOfPage")).and_then(|m| m.get("@id").and_then(text_of).or_else(|| text_of(m))),
        address.map(str::to_string),
    ];
    found.url = url.into_iter().flatten().find(|u| u.starts_with("http://") || u.starts_with("https://"));

    found.title = headline(doc, &meta(&["og:title"]), &meta(&["twitter:title"]), &ld_str("headline"), found.site.as_deref(), found.url.as_deref());

    let times = [
        (ld_str("datePublished"), "JSON-LD datePublished"),
        (meta(&["article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate", "publish-date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published"]), "a meta tag"),
        (doc.select("[itemprop='datePublished']").nodes().first().and_then(|n| n.attr("datetime").or_else(|| n.attr("content"))).map(|s| s.to_string()), "itemprop datePublished"),
        (doc.select("time[datetime]").nodes().first().and_then(|n| n.attr("datetime")).map(|s| s.to_string()), "the page's time element"),
    ];
    found.published = times.into_iter().find_map(|(v, how)| v.as_deref().and_then(iso_date).map(|d| (d, how)));
    if found.published.is_none() {
        found.published = found.url.as_deref().and_then(date_in_url).map(|d| (d, "the web address"));
    }

    let mut authors = Vec::new();
    if let Some(a) = ld.as_ref().and_then(|v| v.get("author").or_else(|| v.get("creator"))) {
        match a {
            Value::Array(list) => authors.extend(list.iter().filter_map(name_of)),
            a => authors.extend(name_of(a)),
        }
    }
    if authors.is_empty() {
        for (k, v) in &metas {
            if matches!(k.as_str(), "author" | "article:author" | "byl" | "dc.creator" | "parsely-author" | "sailthru.author") {
                authors.extend(split_authors(v));
            }
        }
    }
    let mut clean: Vec<String> = Vec::new();
    for a in authors.iter().flat_map(|a| split_authors(a)) {
        if !clean.iter().any(|c| c.eq_ignore_ascii_case(&a)) {
            clean.push(a);
        }
    }
    found.authors = clean;

    let lang = doc.select("html").nodes().first().and_then(|n| n.attr("lang")).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    found.language = lang.or_else(|| meta(&["content-language", "og:locale", "language"])).or_else(|| ld_str("inLanguage")).map(|l| l.replace('_', "-"));
    found
}

/// The first JSON-LD object of an article type (`NewsArticle`, `BlogPosting`…), looked for in
/// arrays and `@graph`s too.
fn json_ld_article(doc: &Document) -> Option<Value> {
    fn is_article(v: &Value) -> bool {
        let ty = |t: &str| t.ends_with("Article") || t.ends_with("BlogPosting") || t == "Report";
        match v.get("@type") {
            Some(Value::String(t)) => ty(t),
            Some(Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(ty)),
            _ => false,
        }
    }
    fn search(v: &Value, depth: usize) -> Option<&Value> {
        if depth > 4 {
            return None;
        }
        match v {
            Value::Array(a) => a.iter().find_map(|x| search(x, depth + 1)),
            Value::Object(o) if is_article(v) => Some(v).filter(|_| !o.is_empty()),
            Value::Object(o) => o.get("@graph").and_then(|g| search(g, depth + 1)),
            _ => None,
        }
    }
    for n in doc.select("script[type='application/ld+json']").nodes() {
        let raw = n.text();
        let raw = raw.trim().trim_start_matches("<![CDATA[").trim_end_matches("]]>").trim();
        let Ok(v) = serde_json::from_str::<Value>(raw) else { continue };
        if let Some(a) = search(&v, 0) {
            return Some(a.clone());
        }
    }
    None
}

/// A JSON-LD value as text: a string, or the first string of a list.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(collapse(&decode_entities(s))).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(text_of),
        _ => None,
    }
}

/// A person's or organisation's name: a string, or an object's `name`.
fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::Object(o) => o.get("name").and_then(text_of),
        v => text_of(v),
    }
}

/// The few entities JSON-LD and attribute values carry escaped twice.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&#039;", "'").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ")
}

/// Names from a byline: "By Jane Doe and John Roe", "Jane Doe, John Roe". A value that is an
/// address, or too long to be a name, is none.
fn split_authors(s: &str) -> Vec<String> {
    let s = collapse(s);
    // "Posted by X", "Analysis by X", "Text: X": the name is after the label.
    let s = match s.find("by ").or_else(|| s.find("By ")) {
        Some(i) if s[..i].split_whitespace().count() <= 2 && (i == 0 || s.as_bytes()[i - 1] == b' ') => &s[i + 3..],
        _ => s.split_once(": ").filter(|(l, _)| l.split_whitespace().count() == 1).map_or(s.as_str(), |(_, r)| r),
    };
    // The date that follows a name, glued or not ("Carrie ArnoldNovember 15", "X - 2019-04-10").
    let mut s = s.split(" - ").next().unwrap_or(s);
    for w in WHEN {
        if let Some(i) = s.find(w).filter(|i| *i > 0) {
            s = &s[..i];
        }
    }
    let s = unglue(s);
    let mut out = Vec::new();
    for part in s.split([',', ';', '|', '&', '\n']).flat_map(|p| p.split(" and ")) {
        let p = part.trim().trim_end_matches(['.', ':', '-']).trim();
        let words = p.split_whitespace().count();
        if p.is_empty() || p.contains("://") || p.contains('@') || p.chars().any(|c| c.is_ascii_digit()) || words > 5 || !p.chars().next().is_some_and(char::is_alphabetic) {
            continue;
        }
        out.push(p.to_string());
    }
    // "Chris Cillizza, CNN Editor-at-large", "Jill Disis, CNN Business": beside a person's name,
    // a role or the newsroom is what the byline says about them, not another author.
    if out.len() > 1 {
        let role = |p: &String| p.split_whitespace().any(|w| BYLINE_ROLES.contains(&w.to_ascii_lowercase().as_str())) || (!p.contains(' ') && p.len() <= 4 && p.chars().all(|c| c.is_ascii_uppercase()));
        let kept: Vec<String> = out.iter().filter(|p| !role(p)).cloned().collect();
        if !kept.is_empty() {
            out = kept;
        }
    }
    out
}

/// Words of a byline that name a role or a newsroom rather than a person.
const BYLINE_ROLES: [&str; 20] = [
    "writer", "editor", "editor-at-large", "correspondent", "reporter", "columnist", "contributor", "producer", "analyst", "staff",
    "press", "news", "business", "politics", "bureau", "desk", "agency", "wire", "media", "network",
];

/// Splits names whose text nodes were joined without a space: "ERIC TUCKERAssociated Press"
/// (a word in capitals run into a capitalised word) becomes two lines.
fn unglue(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let glued = i >= 2 && c.is_uppercase() && chars[i - 1].is_uppercase() && chars[i - 2].is_uppercase() && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        if glued {
            out.push('\n');
        }
        out.push(c);
    }
    out
}

/// Month and day names, which end a name in a byline.
const WHEN: [&str; 19] = [
    "January", "February", "March", "April", "May ", "June", "July", "August", "September", "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
];

/// `YYYY-MM-DD` from the start of an ISO date or date-time ("2019-11-05T10:00:00Z"), as
/// written (no time-zone shift: the day the publisher printed).
pub fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    // "0001-01-01" and the like are a CMS's empty value, not a date.
    if !s.get(..4).and_then(|y| y.parse::<u32>().ok()).is_some_and(|y| y >= 1800) {
        return None;
    }
    let b = s.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let d = &s[..10];
        return super::check_published(d).is_ok().then(|| d.to_string());
    }
    // Compact forms: "20191105".
    if b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit) && (b.len() == 8 || !b[8].is_ascii_digit()) {
        let d = format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..8]);
        return super::check_published(&d).is_ok().then_some(d);
    }
    None
}

/// A date in a web address: `/2019/11/05/`, `/2019-11-05`, `/20191105/`.
fn date_in_url(url: &str) -> Option<String> {
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    let parts: Vec<&str> = path.split(['/', '?', '#']).collect();
    for w in parts.windows(3) {
        let ok = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if ok(w[0], 4) && ok(w[1], 2) && (ok(w[2], 2) || (w[2].len() > 2 && w[2].as_bytes()[..2].iter().all(u8::is_ascii_digit) && !w[2].as_bytes()[2].is_ascii_digit())) {
            let d = format!("{}-{}-{}", w[0], w[1], &w[2][..2]);
            if super::check_published(&d).is_ok() && w[0].starts_with(['1', '2']) {
                return Some(d);
            }
        }
    }
    for p in &parts {
        for (i, _) in p.char_indices().filter(|(_, c)| c.is_ascii_digit()) {
            let rest = &p[i..];
            if i > 0 && p.as_bytes()[i - 1].is_ascii_digit() {
                continue;
            }
            if let Some(d) = iso_date(rest).filter(|_| rest.len() >= 10 && rest.as_bytes()[4] == b'-') {
                return Some(d);
            }
        }
    }
    None
}

/// Separators between a headline and a site name in `<title>` and `og:title`.
const SEPARATORS: [&str; 7] = [" | ", " - ", " \u{2013} ", " \u{2014} ", " :: ", " \u{00B7} ", " \u{2022} "];

fn fold(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The headline: the page's `<h1>` when it is also what the metadata calls the title, else the
/// JSON-LD headline, `og:title`, `twitter:title`, the `<title>` or the first `<h1>`, each
/// without a site suffix (" | CNN Politics", " - The Site").
fn headline(doc: &Document, og: &Option<String>, twitter: &Option<String>, ld: &Option<String>, site: Option<&str>, url: Option<&str>) -> Option<(String, &'static str)> {
    let title = doc.select("title").nodes().first().map(|n| collapse(&n.text())).filter(|t| !t.is_empty());
    let h1s: Vec<String> = doc.select("h1").nodes().iter().map(|n| collapse(&n.text())).filter(|t| !t.is_empty() && t.chars().count() <= 300).collect();
    let host = url.and_then(|u| u.split_once("://")).map(|(_, r)| r.split('/').next().unwrap_or("").trim_start_matches("www.").to_string());
    let metas: Vec<(String, &'static str)> = [(ld, "JSON-LD headline"), (og, "og:title"), (twitter, "twitter:title"), (&title, "the page title")]
        .into_iter()
        .filter_map(|(v, how)| v.as_deref().map(|v| (strip_site(&decode_entities(v), site, host.as_deref(), &h1s), how)))
        .filter(|(v, _)| !v.is_empty())
        .collect();
    for h in &h1s {
        let f = fold(h);
        // The h1 is the metadata's title, or the part of it after a section name
        // ("Opinion | Headline").
        if f.len() >= 12 && metas.iter().any(|(m, _)| fold(m) == f || (fold(m).ends_with(&f) && f.len() * 3 >= fold(m).len() * 2)) {
            return Some((h.clone(), "the page's main heading (h1)"));
        }
    }
    metas.into_iter().next().or_else(|| h1s.first().map(|h| (h.clone(), "the page's main heading (h1)")))
}

/// A title without the site's name at its end (or start): cut where a separator is followed
/// (or preceded) by the site name, the address's host, or, for a short last part, where the
/// page's `<h1>` is the rest.
/// One or two capitalised words: a site's name more often than the end of a headline.
fn short_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=2).contains(&words.len()) && words.iter().all(|w| w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()))
}

fn strip_site(t: &str, site: Option<&str>, host: Option<&str>, h1s: &[String]) -> String {
    let t = collapse(t);
    let site_f = site.map(fold).filter(|s| s.len() >= 2);
    let host_f = host.map(fold);
    let labels: Vec<String> = host.map(|h| h.split('.').map(fold).filter(|l| l.len() >= 3).collect()).unwrap_or_default();
    let is_site = |part: &str| {
        let p = fold(part);
        !p.is_empty()
            && (site_f.as_ref().is_some_and(|s| p == *s || p.contains(s.as_str()) || (s.contains(p.as_str()) && p.len() >= 3))
                || labels.contains(&p)
                || host_f.as_ref().is_some_and(|h| h.contains(p.as_str()) && p.len() >= 5))
    };
    let mut cur = t.clone();
    // Repeatedly: "Headline | Section | Site".
    for _ in 0..3 {
        let mut cut = None;
        for sep in SEPARATORS {
            if let Some(i) = cur.rfind(sep) {
                let (head, tail) = (&cur[..i], &cur[i + sep.len()..]);
                let h1_is_head = h1s.iter().any(|h| fold(h) == fold(head));
                if !head.trim().is_empty() && (is_site(tail) || h1_is_head || (sep == " | " && tail.split_whitespace().count() <= 4) || short_name(tail)) {
                    cut = Some(head.trim().to_string());
                    break;
                }
            }
            if let Some(i) = cur.find(sep) {
                let (head, tail) = (&cur[..i], &cur[i + sep.len()..]);
                if !tail.trim().is_empty() && is_site(head) {
                    cut = Some(tail.trim().to_string());
                    break;
                }
            }
        }
        match cut {
            Some(c) if c.split_whitespace().count() >= 2 || cur == t => cur = c,
            _ => break,
        }
    }
    cur
}

#[cfg(test)]
mod tests {
    #[test]
    fn scripts_styles_svg_and_comments_are_cut_before_parsing() {
        let page = "<head><script src=a.js></script><SCRIPT>var x = '<p>no</p>';</SCRIPT><script type=\"application/ld+json\">{\"headline\":\"H\"}</script><style>p{}</style></head><body><!-- a <p>comment</p> --><p>Text<svg viewBox=\"0 0 1 1\"><path d=\"M0\"/></svg> here</p><scripts>kept</scripts></body>";
        let out = super::strip_inert(page);
        assert_eq!(out, "<head><script type=\"application/ld+json\">{\"headline\":\"H\"}</script></head><body><p>Text here</p><scripts>kept</scripts></body>");
    }

    use super::*;

    #[test]
    fn site_suffixes_are_cut() {
        assert_eq!(strip_site("Senate votes on the bill | CNN Politics", Some("CNN"), None, &[]), "Senate votes on the bill");
        assert_eq!(strip_site("Senate votes on the bill - The Daily Planet", Some("The Daily Planet"), None, &[]), "Senate votes on the bill");
        assert_eq!(strip_site("Senate votes - a report - Planet", None, Some("planet.com"), &[]), "Senate votes - a report");
        assert_eq!(strip_site("War and peace - a review", None, None, &[]), "War and peace - a review");
        assert_eq!(strip_site("A quarrel in the courts - Entermedia", None, Some("entermedia.co.kr"), &[]), "A quarrel in the courts");
    }

    #[test]
    fn dates_from_metadata_and_addresses() {
        assert_eq!(iso_date("2019-11-05T23:10:00-05:00").as_deref(), Some("2019-11-05"));
        assert_eq!(iso_date("2019-02-30"), None);
        assert_eq!(iso_date("0001-01-01T00:00:00"), None);
        assert_eq!(date_in_url("https://example.com/2018/03/07/world/story.html").as_deref(), Some("2018-03-07"));
        assert_eq!(date_in_url("https://example.com/news/story-2018-03-07-x").as_deref(), Some("2018-03-07"));
        assert_eq!(date_in_url("https://example.com/news/12345"), None);
    }

    #[test]
    fn charsets_declared_in_meta_tags() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head><body>Caf\xe9</body></html>";
        let (text, note) = decode(page);
        assert!(text.contains("Caf\u{e9}"), "{text}");
        assert!(note.unwrap().contains("windows-1252"));
        let (text, note) = decode("<meta charset=utf-8><p>Caf\u{e9}</p>".as_bytes());
        assert!(text.contains("Caf\u{e9}") && note.is_none());
        let (text, note) = decode(b"<p>Caf\xe9</p>");
        assert!(text.contains('\u{FFFD}') && note.is_some());
    }

    #[test]
    fn date_lines_bylines_and_copyright_are_dropped() {
        let text = "By Staff | November 18, 2019 at 2:26 PM HST - Updated November 18 at 4:46 PM\n\nScientists found water.\n\nUpdated Nov 19, 9:41 AM\n\nBy the river, a town.\n\nCopyright 2019 Example News. All rights reserved.\n";
        assert_eq!(tidy(text), "Scientists found water.\n\nBy the river, a town.\n");
    }

    #[test]
    fn bylines_become_names() {
        assert_eq!(split_authors("By Jane Doe and John Roe"), vec!["Jane Doe", "John Roe"]);
        assert_eq!(split_authors("https://www.facebook.com/someone"), Vec::<String>::new());
        assert_eq!(split_authors("Carrie ArnoldNovember 15, 2019"), vec!["Carrie Arnold"]);
        assert_eq!(split_authors("Posted by Vortex"), vec!["Vortex"]);
        assert_eq!(split_authors("JANE DOE - 2019-04-10"), vec!["JANE DOE"]);
        assert_eq!(split_authors("JANE DOE, JOHN ROEExample Press"), vec!["JANE DOE", "JOHN ROE"]);
        assert_eq!(split_authors("Jane Doe, CNN Editor-at-large"), vec!["Jane Doe"]);
        assert_eq!(split_authors("Jane Doe, ABC"), vec!["Jane Doe"]);
        assert_eq!(split_authors("Example News Staff"), vec!["Example News Staff"], "a newsroom alone is the byline");
    }
}
