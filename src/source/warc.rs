//! Web-archive files (`.warc`, `.warc.gz`): what crawlers and national libraries keep. Each
//! HTML page captured in one is an article, read like a saved page (see [`super::html`]).
//!
//! The records are streamed by the `warc` crate: a record that is not an HTML page (a request,
//! an image, the `warcinfo` header) is skipped without being held in memory, so a WARC of many
//! gigabytes is read in the memory of its largest page. What the crate leaves to its user is the
//! HTTP message inside a `response` record: its status, `Content-Type` (and charset), and the
//! transfer and content encodings a crawler stores as it received them; those are read here.

use std::io::{BufRead, Read};
use std::path::Path;

use warc::{RecordType, WarcHeader, WarcReader};

/// One HTML page captured in a WARC.
#[derive(Debug, Clone)]
pub struct Capture {
    /// 1-based number of the record in the file, for messages ("record 7").
    pub record: usize,
    /// `WARC-Target-URI`: the address the page was captured from.
    pub url: String,
    /// `WARC-Date` as an ISO date: when the page was captured, which is not when it was
    /// published.
    pub captured: String,
    /// The page's bytes, decoded from any transfer and content encoding.
    pub html: Vec<u8>,
    /// The charset the HTTP header declared, which a page's own `<meta>` does not overrule
    /// (as in browsers).
    pub charset: Option<String>,
}

/// A record that held a page but could not be read, with the reason.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub record: usize,
    pub url: String,
    pub why: String,
}

/// Reads every HTML page captured in the WARC at `path`, in record order. `max_bytes` bounds
/// one page, as it bounds one article file. An error that stops the reading of the file (not
/// a WARC, cut short) comes last, after the pages read before it.
pub fn captures(path: &Path, max_bytes: u64) -> (Vec<Result<Capture, Unreadable>>, Option<String>) {
    let gz = path.to_string_lossy().to_ascii_lowercase().ends_with(".gz");
    // Opened here, not with the crate's `from_path`, which asks for a file it may create.
    let opened = std::fs::File::open(path).and_then(|f| {
        let f = std::io::BufReader::with_capacity(1 << 20, f);
        let r: Box<dyn BufRead> = if gz { Box::new(std::io::BufReader::new(libflate::gzip::MultiDecoder::new(f)?)) } else { Box::new(f) };
        Ok(r)
    });
    match opened {
        Ok(r) => read_records(&mut WarcReader::new(r), max_bytes),
        Err(e) => (Vec::new(), Some(format!("cannot read: {e}"))),
    }
}

fn read_records<R: BufRead>(reader: &mut WarcReader<R>, max_bytes: u64) -> (Vec<Result<Capture, Unreadable>>, Option<String>) {
    let mut out = Vec::new();
    let mut records = reader.stream_records();
    let mut n = 0;
    while let Some(next) = records.next_item() {
        n += 1;
        let mut record = match next {
            Ok(r) => r,
            Err(e) if n == 1 => return (out, Some(format!("not a WARC file: {e}"))),
            Err(e) => return (out, Some(format!("record {n} cannot be read ({e}); the records after it are not read"))),
        };
        let is_page = matches!(record.warc_type(), RecordType::Response | RecordType::Resource);
        if !is_page {
            continue;
        }
        let url = record.header(WarcHeader::TargetURI).map(|u| u.trim_matches(['<', '>']).to_string()).unwrap_or_default();
        let captured = record.date().format("%Y-%m-%d").to_string();
        let http = record.header(WarcHeader::ContentType).is_some_and(|t| t.to_ascii_lowercase().starts_with("application/http"));
        let resource_type = record.header(WarcHeader::ContentType).map(|t| t.to_ascii_lowercase());
        let html_resource = resource_type.as_deref().is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/xhtml"));
        if !http && !html_resource {
            continue;
        }
        if record.content_length() > max_bytes + 64 * 1024 {
            out.push(Err(Unreadable { record: n, url, why: format!("the record is {:.1} MB, larger than the {} MB limit for one article", record.content_length() as f64 / 1048576.0, max_bytes / 1048576) }));
            continue;
        }
        let mut block = Vec::with_capacity(record.content_length() as usize);
        if let Err(e) = record.read_to_end(&mut block) {
            return (out, Some(format!("record {n} cannot be read ({e}); the records after it are not read")));
        }
        let page = if http { http_page(&block) } else { Ok(Some((block, resource_type))) };
        match page {
            Ok(Some((html, content_type))) => {
                let charset = content_type.as_deref().and_then(charset_of);
                out.push(Ok(Capture { record: n, url, captured, html, charset }));
            }
            Ok(None) => {}
            Err(why) => out.push(Err(Unreadable { record: n, url, why })),
        }
    }
    if n == 0 {
        return (out, Some("not a WARC file: no WARC record in it".into()));
    }
    (out, None)
}

/// The HTML page an HTTP response carries, with its `Content-Type`; `None` for a response that
/// is not a page (an image, a redirect, an error page).
fn http_page(block: &[u8]) -> Result<Option<(Vec<u8>, Option<String>)>, String> {
    let mut headers = [httparse::EMPTY_HEADER; 96];
    let mut response = httparse::Response::new(&mut headers);
    let head_len = match response.parse(block) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Err("the HTTP response is cut short in its headers".into()),
        Err(e) => return Err(format!("the HTTP response cannot be read: {e}")),
    };
    if response.code != Some(200) {
        return Ok(None);
    }
    let header = |name: &str| response.headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase());
    let content_type = header("content-type");
    if !content_type.as_deref().is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/xhtml")) {
        return Ok(None);
    }
    let mut body = block[head_len..].to_vec();
    if header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        body = dechunk(&body).ok_or("the page's chunked transfer encoding is broken")?;
    }
    match header("content-encoding").as_deref() {
        None | Some("identity") => {}
        Some("gzip" | "x-gzip") => body = gunzip(&body).map_err(|e| format!("the page is gzip-compressed and cannot be unpacked: {e}"))?,
        Some(other) => return Err(format!("the page is stored compressed as \u{201C}{other}\u{201D}, which Dossier does not read")),
    }
    Ok(Some((body, content_type)))
}

/// Undoes HTTP/1.1 chunked transfer encoding: hex size lines, each followed by that many bytes.
/// Written here as it is a dozen lines and no WARC or HTTP crate in use exposes it.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size..)?.strip_prefix(b"\r\n").unwrap_or(&data[size..]);
    }
}

fn gunzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    libflate::gzip::Decoder::new(data)?.read_to_end(&mut out)?;
    Ok(out)
}

/// The `charset` parameter of a `Content-Type` value.
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("charset").then(|| v.trim().trim_matches('"').to_string())
    })
}

/// A short, readable name for a captured page, from the last part of its address ("geneva-talks"
/// from `https://example.com/world/geneva-talks.html?x=1`), else its host.
pub fn page_name(url: &str) -> String {
    let no_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    let path = no_scheme.split(['?', '#']).next().unwrap_or("");
    let mut parts = path.split('/').filter(|p| !p.is_empty());
    let host = parts.next().unwrap_or("");
    let leaf = parts.next_back().map(|l| l.rsplit_once('.').map_or(l, |(stem, _)| stem)).filter(|l| !l.is_empty() && *l != "index");
    let name = leaf.unwrap_or(host);
    if name.is_empty() { "page".to_string() } else { name.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies_are_joined() {
        assert_eq!(dechunk(b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n").unwrap(), b"hello, world");
        assert!(dechunk(b"zz\r\nhello").is_none());
        assert!(dechunk(b"50\r\nshort\r\n0\r\n\r\n").is_none());
    }

    #[test]
    fn only_successful_html_responses_are_pages() {
        let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\nContent-Length: 5\r\n\r\n<p>x\n";
        let (body, ct) = http_page(page).unwrap().unwrap();
        assert_eq!(body, b"<p>x\n");
        assert_eq!(charset_of(&ct.unwrap()).as_deref(), Some("iso-8859-1"));
        assert!(http_page(b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n").unwrap().is_none());
        assert!(http_page(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG").unwrap().is_none());
        assert!(http_page(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: br\r\n\r\nxx").is_err());
    }

    #[test]
    fn pages_are_named_from_their_address() {
        assert_eq!(page_name("https://example.com/world/geneva-talks.html?x=1"), "geneva-talks");
        assert_eq!(page_name("https://example.com/"), "example.com");
        assert_eq!(page_name("https://example.com/news/index.html"), "example.com");
        assert_eq!(page_name(""), "page");
    }
}
