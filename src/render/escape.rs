//! Escaping: text and attribute values as Tera writes them into a page, and JSON inside a
//! `<script>` element (JSON-LD, the search files).

/// HTML escaping for text and attribute values, as Tera writes them out. Tera's default also
/// escapes '/', which is safe but makes every relative link unreadable in the page source.
pub(crate) fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_runs(input, true, |piece| out.write_all(piece.as_bytes()))
}

/// Hands `emit` the escaped text piece by piece: runs without a character to escape (most of
/// the text) whole, each escaped character as its entity.
fn escape_runs(input: &str, quotes: bool, mut emit: impl FnMut(&str) -> std::io::Result<()>) -> std::io::Result<()> {
    let mut start = 0;
    for (i, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if quotes => "&quot;",
            b'\'' if quotes => "&#x27;",
            _ => continue,
        };
        // The escaped characters are ASCII, so `i` is a character boundary.
        emit(&input[start..i])?;
        emit(entity)?;
        start = i + 1;
    }
    emit(&input[start..])
}

/// JSON that cannot end the `<script>` element it sits in (JSON-LD, the search files). `<`, `>`
/// and `&` can only occur inside JSON strings, where `\u003c` means the same, so the value is
/// unchanged for any parser while `</script>` and `<!--` cannot appear; the two line separators
/// are escaped for readers that evaluate the script as code.
pub fn script_safe(json: &str) -> String {
    // Copied a run at a time between the characters replaced (search files are megabytes).
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len());
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let (with, len) = match b {
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            // U+2028 and U+2029 in UTF-8.
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => ("\\u2028", 3),
            0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => ("\\u2029", 3),
            _ => continue,
        };
        out.push_str(&json[last..i]);
        out.push_str(with);
        last = i + len;
    }
    out.push_str(&json[last..]);
    out
}
