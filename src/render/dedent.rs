//! Template indentation taken out of rendered pages. Templates are indented for their readers;
//! in the site the spaces at the start of each line were 6-8% of an article or entity page
//! (1.3 KB of an article page's 21 KB on the plain corpus) and change nothing on screen: a
//! line break stays, so text that the indentation separated is still separated by a space.
//! Lines inside `<pre>` and `<textarea>` keep their spaces, which are shown there as written.
//! Every `<` of article text is escaped (`&lt;`), and JSON in scripts escapes it too, so each
//! `<pre` or `</pre` found here is a tag.

/// Elements whose text is shown with its spaces.
const KEEP: [&str; 2] = ["pre", "textarea"];

/// `html` with the leading spaces and tabs of every line removed, except on lines that start
/// inside a `KEEP` element.
pub fn dedent(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut depth = 0usize;
    for line in html.split_inclusive('\n') {
        out.push_str(if depth == 0 { line.trim_start_matches([' ', '\t']) } else { line });
        depth = depth_after(line, depth);
    }
    out
}

/// How many `KEEP` elements are open after `line`, given `depth` open before it.
fn depth_after(line: &str, mut depth: usize) -> usize {
    let mut rest = line;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let (closing, name_at) = match rest.strip_prefix('/') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        // Compared as bytes: the text after a `<` may be any character.
        let name = name_at.as_bytes();
        let is_keep = KEEP.iter().any(|k| name.len() > k.len() && name[..k.len()].eq_ignore_ascii_case(k.as_bytes()) && matches!(name[k.len()], b'>' | b' ' | b'\t' | b'\n' | b'/'));
        if is_keep {
            depth = if closing { depth.saturating_sub(1) } else { depth + 1 };
        }
    }
    depth
}

#[cfg(test)]
mod tests {
    use super::dedent;

    #[test]
    fn indentation_goes_and_line_breaks_stay() {
        assert_eq!(dedent("<ul>\n    <li>a</li>\n\t<li>b</li>\n</ul>\n"), "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
        assert_eq!(dedent("  <a>x</a>\n  <a>y</a>"), "<a>x</a>\n<a>y</a>", "inline elements still have a break between them");
    }

    #[test]
    fn preformatted_text_keeps_its_spaces() {
        let html = "  <pre id=\"p2\" class=\"block\"><code>fn main() {\n    let x = 1;\n  }</code></pre>\n    <p>after</p>\n";
        assert_eq!(dedent(html), "<pre id=\"p2\" class=\"block\"><code>fn main() {\n    let x = 1;\n  }</code></pre>\n<p>after</p>\n");
        let html = "  <textarea id=\"t\">\n  kept\n  </textarea>\n  <preview>\n  gone\n";
        assert_eq!(dedent(html), "<textarea id=\"t\">\n  kept\n  </textarea>\n<preview>\ngone\n", "<preview> is not <pre>");
        assert_eq!(dedent("<pre>a\n  <pre>b</pre>\n  c</pre>\n  d"), "<pre>a\n  <pre>b</pre>\n  c</pre>\nd", "nested");
    }

    #[test]
    fn escaped_text_is_not_a_tag() {
        assert_eq!(dedent("<p>&lt;pre&gt; x\n  y</p>"), "<p>&lt;pre&gt; x\ny</p>");
        assert_eq!(dedent("<a>x</a>’s <b>é</b>\n  <é\n  z"), "<a>x</a>’s <b>é</b>\n<é\nz", "any character after a <");
    }
}
