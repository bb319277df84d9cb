//! Markdown to candidate blocks, keeping every run of text as a span of the source file.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::Candidate;
use crate::model::{BlockKind, Run};
use crate::text::Span;

/// Splits the Markdown body (`text[start..]`) into blocks whose runs are source spans.
///
/// Raw HTML in the Markdown becomes plain text runs, so it is shown escaped, never executed;
/// an HTML block is a block of its own, as a paragraph would be there.
pub fn candidates(text: &str, start: usize) -> Vec<Candidate> {
    let body = &text[start..];
    let lines = super::Lines::new(text);
    let mut out = Vec::new();
    let mut current: Option<Candidate> = None;
    let (mut em, mut strong) = (0u32, 0u32);
    let mut link: Option<String> = None;
    let mut quote_depth = 0u32;
    let mut list_depth = 0u32;

    let parser = Parser::new_ext(body, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES);
    for (event, range) in parser.into_offset_iter() {
        let span = Span::new(start + range.start, start + range.end);
        match event {
            Event::Start(Tag::Paragraph | Tag::HtmlBlock) => {
                if current.is_none() {
                    let kind = if list_depth > 0 {
                        BlockKind::ListItem
                    } else if quote_depth > 0 {
                        BlockKind::Quote
                    } else {
                        BlockKind::Paragraph
                    };
                    current = Some(Candidate::new(kind, 0, span.start(), &lines));
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some(Candidate::new(BlockKind::Heading, level as u8, span.start(), &lines));
            }
            Event::Start(Tag::Item) => {
                current = Some(Candidate::new(BlockKind::ListItem, 0, span.start(), &lines));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut c = Candidate::new(BlockKind::Code, 0, span.start(), &lines);
                if let CodeBlockKind::Fenced(info) = kind {
                    c.lang = fence_lang(&info);
                }
                current = Some(c);
            }
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::List(_)) => {
                // A nested list ends the item's text so far.
                if let Some(c) = current.take() {
                    push(&mut out, c);
                }
                list_depth += 1
            }
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Emphasis) => em += 1,
            Event::End(TagEnd::Emphasis) => em = em.saturating_sub(1),
            Event::Start(Tag::Strong) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => link = None,
            Event::End(TagEnd::Paragraph | TagEnd::HtmlBlock | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock) => {
                if let Some(c) = current.take() {
                    push(&mut out, c);
                }
            }
            Event::Text(_) | Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) | Event::SoftBreak | Event::HardBreak => {
                let code = matches!(event, Event::Code(_));
                // Text events cover exactly their source; inline code includes its backticks,
                // which are trimmed so that only the code itself is shown.
                let span = if code { trim_ticks(text, span) } else { span };
                let c = current.get_or_insert_with(|| Candidate::new(BlockKind::Paragraph, 0, span.start(), &lines));
                c.runs.push(Run { span, em: em > 0, strong: strong > 0, code, link: link.clone() });
            }
            _ => {}
        }
    }
    if let Some(c) = current.take() {
        push(&mut out, c);
    }
    out
}

fn push(out: &mut Vec<Candidate>, mut c: Candidate) {
    // Escaped characters split text events; merge adjacent plain runs so that names stay whole.
    let mut merged: Vec<Run> = Vec::new();
    for r in c.runs.drain(..) {
        if let Some(last) = merged.last_mut() {
            if last.span.end() == r.span.start() && last.em == r.em && last.strong == r.strong && last.code == r.code && last.link == r.link {
                last.span.set_end(r.span.end());
                continue;
            }
        }
        merged.push(r);
    }
    c.runs = merged;
    if !c.runs.is_empty() {
        out.push(c);
    }
}

/// The language of a fence's info string: its first word, as CommonMark suggests. Rustdoc's
/// `rust,ignore` and Pandoc's `{.rust}` are common too, so commas and braces end the word.
fn fence_lang(info: &str) -> Option<String> {
    let word = info.trim_start().trim_start_matches(['{', '.']);
    let word = word.split(|c: char| c.is_whitespace() || c == ',' || c == '}').next().unwrap_or("");
    (!word.is_empty()).then(|| word.to_string())
}

fn trim_ticks(text: &str, span: Span) -> Span {
    let s = span.get(text);
    let lead = s.len() - s.trim_start_matches('`').len();
    let trail = s.len() - s.trim_end_matches('`').len();
    if lead + trail >= s.len() {
        return span;
    }
    Span::new(span.start() + lead, span.end() - trail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenced_blocks_keep_their_language() {
        let md = "Intro.\n\n```rust,ignore\nfn main() {}\n```\n\n~~~ {.python}\nx = 1\n~~~\n\n```\nplain\n```\n\n    indented\n";
        let langs: Vec<_> = candidates(md, 0).into_iter().filter(|c| c.kind == BlockKind::Code).map(|c| c.lang).collect();
        assert_eq!(langs, [Some("rust".to_string()), Some("python".to_string()), None, None]);
    }

    fn blocks(md: &str) -> Vec<(BlockKind, String)> {
        candidates(md, 0).into_iter().map(|c| (c.kind, c.text(md))).collect()
    }

    /// An HTML block is a block of its own, shown as text (the page escapes it), and the
    /// heading or code block after it is kept: the HTML's text was lost when the next block
    /// began before it was stored.
    #[test]
    fn html_blocks_are_kept_as_text_with_what_follows() {
        let own = |kind, s: &str| (kind, s.to_string());
        assert_eq!(
            blocks("<div>note</div>\n\n# Heading\n\nSome text.\n"),
            [own(BlockKind::Paragraph, "<div>note</div>"), own(BlockKind::Heading, "Heading"), own(BlockKind::Paragraph, "Some text.")]
        );
        assert_eq!(
            blocks("<div>note</div>\n\n```rust\nfn main() {}\n```\n\nAfter.\n"),
            [own(BlockKind::Paragraph, "<div>note</div>"), own(BlockKind::Code, "fn main() {}"), own(BlockKind::Paragraph, "After.")]
        );
        // Without a blank line, CommonMark reads all three lines as one HTML block: its text is kept.
        assert_eq!(blocks("<div>note</div>\n# Heading\ntext\n"), [own(BlockKind::Paragraph, "<div>note</div>\n# Heading\ntext")]);
        // In a list and a quote, the block is an item and a quote like a paragraph there.
        assert_eq!(blocks("> <div>quoted</div>\n"), [own(BlockKind::Quote, "<div>quoted</div>")]);
    }
}
