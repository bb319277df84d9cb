//! The addresses the later stages share: an article's page and the file of its source text,
//! and any site path made absolute with `base_url` (JSON-LD, Web Annotations, feeds, sitemap).
//! The other pages' addresses are made beside what lists them (`lists.rs`, `entities.rs`,
//! `dates.rs`); an entity's by `Entity::url`.

use crate::model::Article;

pub fn article_url(a: &Article) -> String {
    format!("articles/{}.html", a.id)
}

/// The article's source text as a file of the site (`articles/ID.txt`), published only when
/// the page does not show all of it: cleaning took something out (furniture, a repeat, the
/// markup of Markdown or HTML), which the source notes point to by line. Otherwise the page
/// shows every word of it and a copy would be the same text twice (and a second file for
/// every article).
pub fn original_text_path(a: &Article) -> Option<String> {
    (!shows_whole_text(a)).then(|| format!("articles/{}.txt", a.id))
}

/// Whether everything in the source text after its front matter (metadata, which the page
/// shows as such) but white space is inside the spans the page shows.
fn shows_whole_text(a: &Article) -> bool {
    let text = a.text();
    let text = text.as_bytes();
    let mut at = a.source.body_start.min(text.len());
    for k in a.kept.iter().chain([&crate::text::Span::new(text.len(), text.len())]) {
        if k.start() > at && !text[at..k.start()].iter().all(u8::is_ascii_whitespace) {
            return false;
        }
        at = at.max(k.end());
    }
    true
}

/// `base` joined with a site path, percent-encoded: slugs keep non-ASCII letters, and sitemap
/// readers want RFC 3986 URLs. A fragment (`people/index.html#e-jadidah`, the row of an entity
/// without a page) stays a fragment, its own characters encoded as the path's.
pub fn absolute(base: &str, path: &str) -> String {
    let mut out = String::with_capacity(base.len() + path.len() + 1);
    out.push_str(base.trim_end_matches('/'));
    out.push('/');
    let (path, fragment) = path.split_once('#').map_or((path, None), |(p, f)| (p, Some(f)));
    encode_into(&mut out, path);
    if let Some(f) = fragment {
        out.push('#');
        encode_into(&mut out, f);
    }
    out
}

/// Appends `s` percent-encoded but for RFC 3986's unreserved characters, sub-delims, ':', '@'
/// and '/'.
fn encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_are_percent_encoded() {
        assert_eq!(absolute("https://a.example/x/", "locations/raqqa.html"), "https://a.example/x/locations/raqqa.html");
        assert_eq!(absolute("https://a.example", "people/ä b.html"), "https://a.example/people/%C3%A4%20b.html");
    }
}
