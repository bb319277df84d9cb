//! Syntax highlighting at build time with syntect: code blocks of Markdown articles and the JSON
//! of the data pages become `<span class="hl-…">` runs, coloured by `static/syntax.css`, which is
//! generated from two of syntect's built-in themes. The page carries classes only, never inline
//! styles, so a reader's or archive's stylesheet stays in charge.

use std::sync::OnceLock;

use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{css_for_theme_with_class_style, ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The prefix of every class syntect writes: its scope names ("string", "keyword", "comment")
/// are common words that the site's own CSS or an archive's override could also use.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Built-in themes of syntect: one for light pages, one for `prefers-color-scheme: dark`.
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

/// The background code is shown on: `--paper-2` of `static/style.css`, light and dark. The themes
/// were made for other backgrounds and some of their colours (comments, numbers, `true`/`null`)
/// fall below WCAG's 4.5:1 there, so those are darkened or lightened until they reach it.
const LIGHT_BACKGROUND: Color = Color { r: 0xf3, g: 0xf1, b: 0xeb, a: 0xff };
const DARK_BACKGROUND: Color = Color { r: 0x1c, g: 0x1f, b: 0x23, a: 0xff };
const MIN_CONTRAST: f64 = 4.5;

/// The site path of the generated theme stylesheet.
pub const STYLESHEET: &str = "static/syntax.css";

/// Loading the syntax definitions takes tens of milliseconds, so it happens once per process
/// and only when something is highlighted.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// `code` as highlighted HTML for the language a fence named (`rust`, `py`, `json`…), or None
/// when syntect does not know the language, so the caller shows plain text instead. The text
/// is escaped by syntect (`& < > " '`); the result contains only `<span class="hl-…">` tags.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    let set = syntaxes();
    let syntax = set.find_syntax_by_token(lang)?;
    let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    for line in LinesWithEndings::from(code) {
        // A syntax that fails on some input is a display problem, not a build failure.
        html.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(html.finalize())
}

/// The JSON of a data page, laid out as `serde_json::to_string_pretty` lays it out, with keys,
/// strings, numbers and `true`/`false`/`null` marked by the four short classes of `JSON_TOKENS`,
/// which `syntax.css` colours as the themes colour those scopes. Written by hand rather than
/// through syntect's JSON grammar: the grammar nests a span per structure level (twenty times
/// the text's size on a data page) and took most of a build's rendering time, while JSON needs
/// no grammar to tokenise. Short classes because the marks were two thirds of a data page
/// (51 KB, the largest file of an article): data pages were 5.8 GB of the 100,000-article site.
/// Every string is escaped here (`& < >`; quotes need no escape outside attributes).
pub fn json(value: &serde_json::Value) -> String {
    let mut out = String::with_capacity(4096);
    json_value(value, 0, &mut out);
    out
}

fn json_value(v: &serde_json::Value, depth: usize, out: &mut String) {
    use serde_json::Value;
    let indent = |out: &mut String, d: usize| {
        out.push('\n');
        for _ in 0..d {
            out.push_str("  ");
        }
    };
    match v {
        Value::Null | Value::Bool(_) => span(out, "hl-c", &v.to_string()),
        Value::Number(n) => span(out, "hl-n", &n.to_string()),
        Value::String(s) => span(out, "hl-s", &serde_json::to_string(s).expect("a string serialises")),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                json_value(item, depth + 1, out);
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                span(out, "hl-k", &serde_json::to_string(k).expect("a string serialises"));
                out.push_str(": ");
                json_value(item, depth + 1, out);
            }
            indent(out, depth);
            out.push('}');
        }
    }
}

/// The classes of the data pages' JSON tokens and the theme scope each is coloured as.
const JSON_TOKENS: [(&str, &str); 4] = [("hl-k", "entity.name.tag"), ("hl-s", "string"), ("hl-n", "constant.numeric"), ("hl-c", "constant.language")];

fn span(out: &mut String, class: &str, text: &str) {
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
    super::push_escaped(out, text, false);
    out.push_str("</span>");
}

/// Rules for `JSON_TOKENS`: the colour and font style the theme gives each one's scope.
fn json_rules(theme: &Theme) -> String {
    use syntect::highlighting::{FontStyle, Highlighter};
    use syntect::parsing::Scope;
    let highlighter = Highlighter::new(theme);
    let mut css = String::new();
    for (class, scope) in JSON_TOKENS {
        let style = highlighter.style_for_stack(&[Scope::new(scope).expect("a valid scope")]);
        let c = style.foreground;
        css.push_str(&format!(".data-json .{class} {{ color: #{:02x}{:02x}{:02x};", c.r, c.g, c.b));
        if style.font_style.contains(FontStyle::BOLD) {
            css.push_str(" font-weight: bold;");
        }
        if style.font_style.contains(FontStyle::ITALIC) {
            css.push_str(" font-style: italic;");
        }
        css.push_str(" }\n");
    }
    css
}

/// `static/syntax.css`: each theme inside its own `prefers-color-scheme` query, as the site's
/// colours are. The light theme is scoped too (not left as the default) because the two themes
/// style different scopes: a light-only rule would otherwise leak dark-on-dark text into dark mode.
/// Generated on every build from the themes compiled into syntect, so its bytes change only
/// with syntect itself.
pub fn stylesheet() -> Vec<u8> {
    let themes = ThemeSet::load_defaults();
    let mut out = String::from("/* Syntax highlighting for code blocks and data pages, generated by Dossier from syntect's\n   built-in themes (colours below 4.5:1 on the page adjusted). Pages mark tokens with hl- classes only. */\n");
    let schemes = [("not all and (prefers-color-scheme: dark)", LIGHT_THEME, LIGHT_BACKGROUND), ("(prefers-color-scheme: dark)", DARK_THEME, DARK_BACKGROUND)];
    for (query, name, background) in schemes {
        let theme = readable(&themes.themes[name], background);
        let mut css = css_for_theme_with_class_style(&theme, STYLE).expect("built-in themes give valid CSS");
        css.push_str(&json_rules(&theme));
        out.push_str(&format!("\n@media {query} {{\n"));
        for line in css.lines() {
            if !line.is_empty() {
                out.push_str("  ");
            }
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("}\n");
    }
    out.into_bytes()
}

/// The theme with every token colour at least `MIN_CONTRAST` against what it is drawn on: the
/// rule's own background, else the page's.
fn readable(theme: &Theme, page: Color) -> Theme {
    let mut theme = theme.clone();
    for item in &mut theme.scopes {
        if let Some(fg) = item.style.foreground {
            item.style.foreground = Some(with_contrast(fg, item.style.background.unwrap_or(page)));
        }
    }
    theme
}

/// `fg` moved towards black or white, whichever `bg` contrasts with more, in small steps until
/// it reaches `MIN_CONTRAST` (keeping its hue as far as possible).
fn with_contrast(fg: Color, bg: Color) -> Color {
    let toward = if contrast(BLACK, bg) >= contrast(WHITE, bg) { BLACK } else { WHITE };
    let mix = |a: u8, b: u8, t: f64| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    (0..=20)
        .map(|step| {
            let t = step as f64 / 20.0;
            Color { r: mix(fg.r, toward.r, t), g: mix(fg.g, toward.g, t), b: mix(fg.b, toward.b, t), a: fg.a }
        })
        .find(|c| contrast(*c, bg) >= MIN_CONTRAST)
        .unwrap_or(toward)
}

const BLACK: Color = Color { r: 0, g: 0, b: 0, a: 0xff };
const WHITE: Color = Color { r: 0xff, g: 0xff, b: 0xff, a: 0xff };

/// WCAG 2 contrast ratio.
fn contrast(a: Color, b: Color) -> f64 {
    let lum = |c: Color| {
        let ch = |v: u8| {
            let v = v as f64 / 255.0;
            if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_prefixed_classes_and_unknown_ones_none() {
        let html = highlight("fn main() { let x = \"<b>\"; }\n", "rust").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("&lt;b&gt;") && !html.contains("<b>"), "{html}");
        assert!(highlight("x", "no-such-language").is_none());
    }

    #[test]
    fn the_stylesheet_has_both_themes_with_the_prefix() {
        let css = String::from_utf8(stylesheet()).unwrap();
        assert!(css.contains(".hl-") && css.contains("@media (prefers-color-scheme: dark)"));
        // The names the theme files give themselves.
        assert!(css.contains("theme \"GitHub\"") && css.contains("theme \"Base16 Ocean Dark\""), "{css}");
        assert_eq!(css.matches('{').count(), css.matches('}').count());
        // The data pages' four token classes, coloured in both themes.
        for (class, _) in JSON_TOKENS {
            assert_eq!(css.matches(&format!(".data-json .{class} {{ color: #")).count(), 2, "{class}");
        }
        assert_eq!(stylesheet(), stylesheet());
    }

    #[test]
    fn faint_colours_are_adjusted_to_reach_the_minimum_contrast() {
        let grey = Color { r: 0x96, g: 0x98, b: 0x96, a: 0xff };
        let fixed = with_contrast(grey, LIGHT_BACKGROUND);
        assert!(contrast(fixed, LIGHT_BACKGROUND) >= MIN_CONTRAST && fixed.r < grey.r);
        let fixed = with_contrast(Color { r: 0x4f, g: 0x5b, b: 0x66, a: 0xff }, DARK_BACKGROUND);
        assert!(contrast(fixed, DARK_BACKGROUND) >= MIN_CONTRAST && fixed.r > 0x4f);
        let ink = Color { r: 0x18, g: 0x36, b: 0x91, a: 0xff };
        assert_eq!(with_contrast(ink, LIGHT_BACKGROUND), ink, "readable colours are kept");
    }

    /// The highlighted JSON is the pretty-printed JSON, character for character, once the
    /// tags are taken out and the entities decoded; hostile text stays escaped.
    #[test]
    fn json_highlighting_keeps_the_text_and_escapes_it() {
        let v = serde_json::json!({
            "title": "<script>alert('x')</script> & \"quotes\"",
            "n": 3, "f": 1.5, "ok": true, "none": null, "empty": [], "obj": {},
            "list": [{"a": [1, 2]}, "é\n"],
        });
        let html = json(&v);
        assert!(!html.contains("<script") && html.contains("&lt;script&gt;"), "{html}");
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        assert_eq!(text, serde_json::to_string_pretty(&v).unwrap());
        assert!(html.contains("<span class=\"hl-k\">\"title\"</span>: <span class=\"hl-s\">"), "{html}");
        assert!(html.contains("<span class=\"hl-n\">3</span>") && html.contains("<span class=\"hl-c\">null</span>"));
    }
}
