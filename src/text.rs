//! Small text utilities shared by every stage.
//!
//! The pipeline works in byte offsets (what Rust slices want) and converts to Unicode
//! code-point offsets only at its edges (`archive.json`, `dossier annotate`), because readers
//! of those files index the text by code point, as Python does.

/// A half-open byte range into an article's source text.
///
/// Offsets are held as `u32`: an archive holds every article's mentions, statements and shown
/// spans until its pages are made, and at 100,000 articles half of each span's 16 bytes was
/// the zeros of a `usize`. A text is never 4 GB (`max_file_mb` is far below; `Span::new`
/// checks). Read them with `start()` and `end()`, as `usize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start: offset(start), end: offset(end) }
    }
    pub fn start(&self) -> usize {
        self.start as usize
    }
    pub fn end(&self) -> usize {
        self.end as usize
    }
    pub fn set_start(&mut self, start: usize) {
        self.start = offset(start);
    }
    pub fn set_end(&mut self, end: usize) {
        self.end = offset(end);
    }
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn get<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start()..self.end()]
    }
}

/// A byte offset as a span holds it.
fn offset(at: usize) -> u32 {
    u32::try_from(at).expect("an article's text is under 4 GB")
}

/// Converts byte offsets to code-point offsets in O(1) amortised time.
///
/// Keeps the code-point count at every 256th byte so that a 10 MB article does not need a
/// table as large as the text.
pub struct CharMap<'a> {
    text: &'a str,
    checkpoints: Vec<usize>,
}

const STRIDE: usize = 256;

impl<'a> CharMap<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let bytes = text.as_bytes();
        let mut count = 0usize;
        for (i, b) in bytes.iter().enumerate() {
            if i % STRIDE == 0 {
                checkpoints.push(count);
            }
            // Continuation bytes (10xxxxxx) do not start a code point.
            if b & 0xC0 != 0x80 {
                count += 1;
            }
        }
        CharMap { text, checkpoints }
    }

    /// Code-point offset of a byte offset that lies on a char boundary.
    pub fn char_offset(&self, byte: usize) -> usize {
        if byte == 0 || self.checkpoints.is_empty() {
            return 0;
        }
        let block = (byte / STRIDE).min(self.checkpoints.len() - 1);
        let base = block * STRIDE;
        let extra = self.text.as_bytes()[base..byte].iter().filter(|b| *b & 0xC0 != 0x80).count();
        self.checkpoints[block] + extra
    }
}

/// The dashes `fold_for_compare` prints as '-' (whose runs it then shortens to one).
pub fn folds_to_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}')
}

/// Folds the typographic variants web copy mixes freely (curly quotes, dashes, non-breaking
/// and repeated white space, case) so that two printings of one paragraph compare equal.
pub fn fold_for_compare(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        let ch = match ch {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => '"',
            c if folds_to_dash(c) => '-',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if ch == ' ' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        if ch.is_ascii() {
            out.push(ch.to_ascii_lowercase());
        } else {
            out.extend(ch.to_lowercase());
        }
    }
    // "--" and "-" are the same dash to a reader.
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out
}

/// Turns a name into a stable, readable URL slug: ASCII letters and digits joined by '-'.
/// Non-Latin names keep their letters (lower-cased) so that they still get distinct slugs.
pub fn slugify(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    let mut dash = false;
    for ch in s.nfkd() {
        if unicode_normalization::char::is_combining_mark(ch) {
            continue;
        }
        if ch.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            if ch.is_ascii() {
            out.push(ch.to_ascii_lowercase());
        } else {
            out.extend(ch.to_lowercase());
        }
        } else if ch != '\'' && ch != '\u{2019}' {
            dash = true;
        }
    }
    if out.len() > 80 {
        let mut cut = 80;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        while out.ends_with('-') {
            out.pop();
        }
    }
    if out.is_empty() { "untitled".to_string() } else { out }
}

/// Slugs the site keeps for its own pages: `index` is every folder's list page
/// (`articles/index.html`, `people/index.html`), so no article or entity may take it.
pub const RESERVED_SLUGS: [&str; 1] = ["index"];

/// `base`, or `base-2`, `base-3`… : the first that is not reserved and that `claim` accepts
/// (`claim` records the slug as taken and says whether it was free).
pub fn unique_slug(base: String, mut claim: impl FnMut(&str) -> bool) -> String {
    let mut slug = base.clone();
    let mut n = 2;
    while RESERVED_SLUGS.contains(&slug.as_str()) || !claim(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// Cuts text to at most `max` characters at a word boundary, marking the cut with '…'.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}\u{2026}", cut.trim_end_matches([',', ';', ':']))
}

/// Trims white space (including no-break spaces) from both ends of a span.
pub fn trim_span(text: &str, span: Span) -> Span {
    let s = span.get(text);
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead == s.len() {
        return Span::new(span.start(), span.start());
    }
    Span::new(span.start() + lead, span.end() - trail)
}

/// Spans in list order, to find in O(log n) the first that contains a given span.
///
/// The site asks this for every mention and date of an article (which paragraph holds it,
/// which code block, whether the body shows it); scanning the article's paragraphs each time
/// made a 12 MB article's pages take the square of its length. For spans sorted by start, the
/// ones that start at or before a span are a prefix, and the first of them to reach its end is
/// where the running maximum of their ends first does: both found by binary search. Spans not
/// sorted by start are scanned, as before.
#[derive(Debug, Default)]
pub struct SpanSet {
    spans: Box<[Span]>,
    reach: Reach,
}

/// What `SpanSet` knows of its spans' order. Held for every article while its pages are made,
/// the running maximum is kept only where it says more than the spans themselves.
#[derive(Debug, Default)]
enum Reach {
    /// Sorted by start, and by end too (paragraphs, runs): each span's end is the largest
    /// so far.
    #[default]
    Own,
    /// Sorted by start: the largest end among `spans[..=i]`.
    Held(Box<[u32]>),
    /// Not sorted by start: scanned.
    Unsorted,
}

impl SpanSet {
    pub fn new(spans: Vec<Span>) -> Self {
        let spans = spans.into_boxed_slice();
        let reach = if !spans.is_sorted_by_key(|s| s.start) {
            Reach::Unsorted
        } else if spans.is_sorted_by_key(|s| s.end) {
            Reach::Own
        } else {
            Reach::Held(spans.iter().scan(0, |max, s| {
                *max = (*max).max(s.end);
                Some(*max)
            }).collect())
        };
        SpanSet { spans, reach }
    }

    /// The same spans, in any order: for asking only whether one contains a span.
    pub fn unordered(mut spans: Vec<Span>) -> Self {
        spans.sort_unstable();
        Self::new(spans)
    }

    /// The index (in list order) of the first span that contains `s`.
    pub fn first_containing(&self, s: Span) -> Option<usize> {
        let starts_before = self.spans.partition_point(|k| k.start <= s.start);
        let first = match &self.reach {
            Reach::Unsorted => return self.spans.iter().position(|k| k.contains(s)),
            Reach::Own => self.spans[..starts_before].partition_point(|k| k.end < s.end),
            Reach::Held(reach) => reach[..starts_before].partition_point(|&end| end < s.end),
        };
        (first < starts_before).then_some(first)
    }

    pub fn any_contains(&self, s: Span) -> bool {
        self.first_containing(s).is_some()
    }

    pub fn get(&self, i: usize) -> Span {
        self.spans[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against the scan it replaces, on sorted, nested, unsorted and empty spans.
    #[test]
    fn span_set_finds_what_a_scan_finds() {
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for round in 0..300 {
            let len = next(12);
            let mut spans: Vec<Span> = (0..len).map(|_| { let a = next(40); Span::new(a, a + next(15)) }).collect();
            if round % 3 != 0 {
                spans.sort_by_key(|s| s.start);
            }
            let set = SpanSet::new(spans.clone());
            let any = SpanSet::unordered(spans.clone());
            for a in 0..50 {
                for b in a..a + 8 {
                    let q = Span::new(a, b);
                    let expected = spans.iter().position(|k| k.contains(q));
                    assert_eq!(set.first_containing(q), expected, "{spans:?} {q:?}");
                    assert_eq!(any.any_contains(q), expected.is_some());
                }
            }
        }
    }

    #[test]
    fn char_offsets_match_python_indexing() {
        let text = "Russia’s “air” task force — Ünïcödé ".repeat(40);
        let map = CharMap::new(&text);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(map.char_offset(bi), ci);
        }
        assert_eq!(map.char_offset(text.len()), text.chars().count());
    }

    #[test]
    fn folding_ignores_quotes_dashes_and_space() {
        assert_eq!(
            fold_for_compare("warning that ’jihadists’ could go \u{201C}very far\u{201D}  --  now"),
            fold_for_compare("Warning that 'jihadists' could go \"very far\" - now")
        );
        assert_ne!(fold_for_compare("a b"), fold_for_compare("a c"));
    }

    #[test]
    fn slugs_are_ascii_and_stable() {
        assert_eq!(slugify("Sergei Lavrov"), "sergei-lavrov");
        assert_eq!(slugify("Russia’s top diplomat: ‘IS’ will fall"), "russias-top-diplomat-is-will-fall");
        assert_eq!(slugify("Idleb Ünïon"), "idleb-union");
        assert_eq!(slugify("!!!"), "untitled");
    }
}

/// Deserialises a label the annotator writes as a `&'static str` (a rule name, a date
/// precision) when it comes back from the build cache. Labels are a small fixed set, so each
/// distinct one is leaked once and shared; the cache never holds free text in these fields.
pub fn intern<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    // The label is looked at where it lies in the cache entry (no string made for it), then
    // in this thread's labels, and only when new to the thread in the shared set, under its
    // lock: it is read for every mention and date of the archive, on all threads at once.
    struct Label;
    impl serde::de::Visitor<'_> for Label {
        type Value = &'static str;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a label")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<&'static str, E> {
            Ok(LOCAL.with_borrow_mut(|local| match local.get(s) {
                Some(v) => *v,
                None => {
                    let v = shared_label(s);
                    local.insert(v);
                    v
                }
            }))
        }
    }
    thread_local! {
        static LOCAL: std::cell::RefCell<rustc_hash::FxHashSet<&'static str>> = Default::default();
    }
    d.deserialize_str(Label)
}

/// The one leaked copy of a label, made the first time any thread meets it.
fn shared_label(s: &str) -> &'static str {
    use std::sync::Mutex;
    static SEEN: Mutex<Option<std::collections::HashSet<&'static str>>> = Mutex::new(None);
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let set = seen.get_or_insert_with(Default::default);
    if let Some(v) = set.get(s) {
        return v;
    }
    let v: &'static str = Box::leak(s.into());
    set.insert(v);
    v
}

/// A label (a rule name; see [`intern`]) as a number: what each resolved mention holds, as
/// every mention of the archive is held until its pages are made, and a `&'static str` was 16
/// of a mention's 40 bytes. The numbers are given out as labels are first met, so they differ
/// from run to run and are never written out: only `as_str` is (a `LabelId` serialises as its
/// label, and reads back through [`intern`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelId(u16);

impl serde::Serialize for LabelId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for LabelId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<LabelId, D::Error> {
        intern(d).map(LabelId::of)
    }
}

/// Labels are the annotator's rule names and a few more: a few hundred at most.
const MAX_LABELS: usize = 4096;

/// Each label by its number, set once and read without a lock.
static LABELS: [std::sync::OnceLock<&'static str>; MAX_LABELS] = [const { std::sync::OnceLock::new() }; MAX_LABELS];

impl LabelId {
    pub fn of(label: &'static str) -> LabelId {
        thread_local! {
            static IDS: std::cell::RefCell<rustc_hash::FxHashMap<&'static str, u16>> = Default::default();
        }
        IDS.with_borrow_mut(|ids| {
            if let Some(&id) = ids.get(label) {
                return LabelId(id);
            }
            static NUMBERED: std::sync::Mutex<Option<std::collections::HashMap<&'static str, u16>>> = std::sync::Mutex::new(None);
            let mut numbered = NUMBERED.lock().unwrap_or_else(|e| e.into_inner());
            let map = numbered.get_or_insert_with(Default::default);
            let next = map.len();
            let id = *map.entry(label).or_insert_with(|| {
                assert!(next < MAX_LABELS, "more than {MAX_LABELS} distinct rule labels");
                let _ = LABELS[next].set(label);
                next as u16
            });
            ids.insert(label, id);
            LabelId(id)
        })
    }

    pub fn as_str(self) -> &'static str {
        LABELS[self.0 as usize].get().expect("a label numbered by LabelId::of")
    }
}
