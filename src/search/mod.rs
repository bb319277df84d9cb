//! Full-text search that works from `file://`, where the browser refuses fetch() and XHR of
//! local files: the index is a set of JavaScript files that `static/search.js` loads with
//! `<script>` tags, each calling a global registration function.
//!
//! Under `search/`:
//! - `manifest.js`: document count, each document's length in terms, the BM25 constants, bucket
//!   size, the shard keys, the stop words.
//! - `t/KEY.js`: the postings of every term whose longest shard key is KEY, and the entities
//!   whose names or aliases hold the term. Keys are a term's first two characters, longer where
//!   a two-character shard would be too big, so a query loads a few small files at any archive size.
//! - `d/NNNN.js`: url, title, date and shown text of `DOC_BUCKET` documents, loaded only for the
//!   results on screen.
//! - `facets.js` (from `facets.rs`) for the article list.
//! - `speakers.js` and `s/NNNN.js`: who is quoted where, and the statements (`statements.rs`).
//!
//! Postings hold each document's weight for the term: a term counts once in the body,
//! `TITLE_BOOST` times in the title and `ENTITY_BOOST` times for each entity of the article
//! whose name or alias holds it. The browser turns weights into BM25 scores with the document
//! lengths of the manifest, so an edit changes only the shards of the words whose weights it
//! changed.

pub mod facets;
pub mod statements;

use rayon::prelude::*;
use std::hash::BuildHasher as _;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

use crate::index::article::ArticleSummary;
use crate::index::Indexes;
use crate::output::Page;
use crate::model::{Article, Entity};
use crate::numbering::FirstSeen;

/// Documents per `d/NNNN.js` file. Results are scattered over the archive, so a page of 20
/// may need 20 files: small buckets (about 50 kB of news text) keep that to a megabyte.
pub const DOC_BUCKET: usize = 32;
/// A shard over this many bytes is split on one more character of its terms.
const SHARD_BYTES: usize = 64 * 1024;
/// Keys grow to at most this many characters; beyond it a shard is mostly one term anyway.
const MAX_KEY_CHARS: usize = 4;
/// Longer "words" are URLs, hashes and glued junk nobody searches for.
const MAX_TERM_CHARS: usize = 32;
/// Entities listed per term; see `index_files`.
const ENTITIES_PER_TERM: usize = 50;
const TITLE_BOOST: u32 = 3;
const ENTITY_BOOST: u32 = 2;
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// Words too common to narrow anything; dropped from the index and from queries alike (the
/// browser gets this list in the manifest). They would make the largest shards of all.
pub const STOP_WORDS: [&str; 40] = [
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has", "have", "he", "her", "his", "i", "in", "is", "it", "its",
    "of", "on", "or", "s", "she", "that", "the", "their", "they", "this", "to", "was", "were", "which", "will", "with", "t",
];

/// Case and diacritics folded: NFKD, combining marks dropped, lower case. `static/search.js`
/// and `static/dossier.js` do the same with `normalize("NFKD")`, `\p{M}` and `toLowerCase()`.
///
/// Decomposing char by char skips NFKD's canonical reordering, which only moves marks, and
/// marks are dropped; ASCII, most of the text, needs no decomposition at all.
pub fn fold(s: &str) -> String {
    let mut stripped = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            stripped.push(c);
        } else {
            decompose_compatible(c, |d| {
                if !is_combining_mark(d) {
                    stripped.push(d);
                }
            });
        }
    }
    stripped.to_lowercase()
}

/// A word of at most eight bytes as one integer (zero bytes after it), so that a term is
/// checked against every stop word with integer compares rather than a string compare each.
const fn word_key(w: &[u8]) -> u64 {
    let mut key = [0u8; 8];
    let mut i = 0;
    while i < w.len() {
        key[i] = w[i];
        i += 1;
    }
    u64::from_le_bytes(key)
}

const STOP_KEYS: [u64; STOP_WORDS.len()] = {
    let mut keys = [0u64; STOP_WORDS.len()];
    let mut i = 0;
    while i < STOP_WORDS.len() {
        assert!(STOP_WORDS[i].len() <= 5);
        keys[i] = word_key(STOP_WORDS[i].as_bytes());
        i += 1;
    }
    keys
};

/// Stop words have at most five bytes: longer terms, most of them, skip the list. Terms never
/// hold a zero byte (it separates terms), so a key stands for one word only.
fn is_stop_word(t: &str) -> bool {
    t.len() <= 5 && STOP_KEYS.contains(&word_key(t.as_bytes()))
}

/// The index terms of a text: folded runs of letters and digits, without stop words.
pub fn terms(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(s, |t| out.push(t.to_string()));
    out
}

/// Calls `f` with each index term of `s`, in order. Folding leaves ASCII as it is, so ASCII
/// spaces and punctuation separate terms before folding as after: the text is cut there first,
/// and a word of ASCII letters and digits (most words) is only lower-cased, with no allocation.
/// Words with other characters are folded one at a time (so a Greek final sigma is judged
/// within its word, as a query word is).
fn each_term(s: &str, mut f: impl FnMut(&str)) {
    // A term of at most MAX_TERM_CHARS bytes has at most as many characters: most are not counted.
    let keep = |t: &str| !t.is_empty() && (t.len() <= MAX_TERM_CHARS || t.chars().count() <= MAX_TERM_CHARS) && !is_stop_word(t);
    let mut word = String::new();
    // Scanned as bytes: a separator is an ASCII byte that is not a letter or digit, and the
    // bytes of a non-ASCII character are all 0x80 and over, so a cut never falls inside one.
    let bytes = s.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] < 0x80 && !bytes[at].is_ascii_alphanumeric() {
            at += 1;
            continue;
        }
        let start = at;
        let mut ascii = true;
        while at < bytes.len() && (bytes[at] >= 0x80 || bytes[at].is_ascii_alphanumeric()) {
            ascii &= bytes[at] < 0x80;
            at += 1;
        }
        let chunk = &s[start..at];
        if ascii {
            word.clear();
            word.push_str(chunk);
            word.make_ascii_lowercase();
            if keep(&word) {
                f(&word);
            }
        } else {
            for t in fold(chunk).split(|c: char| !c.is_alphanumeric()) {
                if keep(t) {
                    f(t);
                }
            }
        }
    }
}

/// JSON made safe inside a script (see `render::script_safe`).
pub fn js_json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    crate::render::script_safe(&serde_json::to_string(v).expect("plain data serialises"))
}

/// The text the page shows below the headline, one block per line.
pub fn shown_text(a: &Article) -> String {
    shown_parts(a).into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n")
}

/// The standfirst and each block of the shown text, in page order.
fn shown_parts(a: &Article) -> Vec<String> {
    let text = a.text();
    let text: &str = &text;
    let blocks = a.detail.get().blocks;
    a.standfirst.map(|s| s.get(text).trim().to_string()).into_iter().chain(blocks.iter().map(|b| crate::clean::block_text(text, b))).collect()
}

/// One document's distinct terms with their weights, and its length in terms. The terms are
/// held in one string (`text`, each term at `spans[k].0..spans[k].1`), not a string each:
/// at 100,000 articles that was 30 million small allocations per build.
#[derive(serde::Serialize, serde::Deserialize)]
struct DocTerms {
    text: String,
    /// (start, end, weight) of each distinct term in `text`.
    spans: Vec<(u32, u32, u32)>,
    len: u32,
}

impl DocTerms {
    /// Terms read back from the cache are used only if every span is a slice of the text.
    fn from_cache(bytes: &[u8]) -> Option<DocTerms> {
        let d: DocTerms = postcard::from_bytes(bytes).ok()?;
        let fits = |&(s, e, _): &(u32, u32, u32)| s <= e && d.text.get(s as usize..e as usize).is_some();
        d.spans.iter().all(fits).then_some(d)
    }

    fn term(&self, k: usize) -> &str {
        let (s, e, _) = self.spans[k];
        &self.text[s as usize..e as usize]
    }
}

/// Stands for everything `document_terms` reads: the article's file (`a.key`, from which its
/// cleaning and title follow) and the terms of its entities (`mentioned`), in the order they
/// are added.
fn terms_key(a: &Article, mentioned: &[u32], entity_terms: &[Box<[Box<str>]>]) -> crate::cache::Key {
    let mut h = crate::cache::Hasher::new("document terms");
    h.part(&a.key);
    let mut names = String::new();
    for &e in mentioned {
        for t in entity_terms[e as usize].iter() {
            names.push_str(t);
            names.push(' ');
        }
        names.push('\n');
    }
    h.part(names.as_bytes()).finish()
}

/// Weighted term frequencies of one document: a term counts 1 in the body, `TITLE_BOOST` in the
/// title, `ENTITY_BOOST` for each distinct entity of the article whose name or alias holds it.
/// Weights are integers, so their sums are exact whatever the order of adding.
fn document_terms(a: &Article, mentioned: &[u32], entity_terms: &[Box<[Box<str>]>]) -> DocTerms {
    let mut doc = DocTerms { text: String::new(), spans: Vec::new(), len: 0 };
    // Each distinct term is stored once and met again through a table of (hash, index into
    // `spans`). The order of a document's terms does not matter: shards are made in term order.
    let mut seen: hashbrown::HashTable<(u64, u32)> = hashbrown::HashTable::new();
    let mut add = |doc: &mut DocTerms, t: &str, w: u32| {
        let hash = rustc_hash::FxBuildHasher.hash_one(t);
        let DocTerms { text, spans, .. } = doc;
        let same = |&(h, k): &(u64, u32)| h == hash && {
            let (s, e, _) = spans[k as usize];
            &text[s as usize..e as usize] == t
        };
        match seen.find(hash, same) {
            Some(&(_, k)) => spans[k as usize].2 += w,
            None => {
                let start = text.len() as u32;
                text.push_str(t);
                spans.push((start, text.len() as u32, w));
                seen.insert_unique(hash, (hash, spans.len() as u32 - 1), |&(h, _)| h);
            }
        }
    };
    // Part by part: the line breaks that join them in `shown_text` separate terms anyway.
    for part in shown_parts(a) {
        each_term(&part, |t| {
            doc.len += 1;
            add(&mut doc, t, 1);
        });
    }
    each_term(&a.title, |t| {
        doc.len += 1;
        add(&mut doc, t, TITLE_BOOST);
    });
    for &e in mentioned {
        for t in entity_terms[e as usize].iter() {
            add(&mut doc, t, ENTITY_BOOST);
        }
    }
    doc
}

/// The distinct terms of an entity's name and aliases, sorted. A boxed slice rather than a
/// set: the entities of 100,000 articles held their terms in sets of about 350 bytes each.
fn entity_terms(e: &Entity) -> Box<[Box<str>]> {
    let mut all: Vec<String> = std::iter::once(&e.name).chain(&e.aliases).flat_map(|n| terms(n)).collect();
    all.sort_unstable();
    all.dedup();
    all.into_iter().map(String::into_boxed_str).collect()
}

/// Where a term's postings live: its first `n` characters (all of it when shorter).
fn key_of(term: &str, n: usize) -> String {
    term.chars().take(n).collect()
}

/// The shard file name for a key; keys outside a-z0-9 are spelled as code points so that file
/// names stay portable (`_440-430` for "ра"). `static/search.js` computes the same.
pub fn shard_file(key: &str) -> String {
    if key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        key.to_string()
    } else {
        format!("_{}", key.chars().map(|c| format!("{:x}", c as u32)).collect::<Vec<_>>().join("-"))
    }
}

/// Groups terms (with their serialised sizes) into shards: by the first `depth` characters,
/// and a group that is too big again by one more character. Terms no longer than `depth`
/// stay at the shorter key, so a term's shard is always the longest key that is its prefix.
fn split<T>(terms: Vec<(&str, usize, T)>, depth: usize, out: &mut BTreeMap<String, Vec<T>>) {
    let mut groups: BTreeMap<String, Vec<(&str, usize, T)>> = BTreeMap::new();
    for (t, size, item) in terms {
        groups.entry(key_of(t, depth)).or_default().push((t, size, item));
    }
    for (key, group) in groups {
        let bytes: usize = group.iter().map(|g| g.1).sum();
        if bytes <= SHARD_BYTES || depth >= MAX_KEY_CHARS {
            out.insert(key, group.into_iter().map(|g| g.2).collect());
            continue;
        }
        let (short, long): (Vec<_>, Vec<_>) = group.into_iter().partition(|g| g.0.chars().count() <= depth);
        if !short.is_empty() {
            out.insert(key, short.into_iter().map(|g| g.2).collect());
        }
        split(long, depth + 1, out);
    }
}

/// A term's postings: (document, weight) pairs with documents ascending, stored as LEB128
/// varints of the document's distance from the previous one and of the weight. Most numbers
/// take a byte or two instead of four: at 100,000 articles, 30 million postings held as
/// (u32, u32) pairs made the build's peak memory.
///
/// The length of their JSON is kept as they are made: the shards are cut by it, and reading
/// it off every term's varints again was a scan of the whole index on every build.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Postings {
    #[serde(with = "byte_string")]
    bytes: Vec<u8>,
    count: u32,
    last: u32,
    /// `postings_json(self).len()` less its two brackets.
    json: u32,
}

/// Decimal digits of `n`.
fn digits(n: u32) -> u32 {
    n.checked_ilog10().map_or(1, |d| d + 1)
}

/// Bytes kept in the cache as one string of bytes: serde's default for a `Vec<u8>`, a sequence
/// of numbers, costs a call per byte, and the index's postings are megabytes.
mod byte_string {
    pub fn serialize<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
        }
        d.deserialize_byte_buf(Bytes)
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

impl Postings {
    fn push(&mut self, doc: u32, value: u32) {
        let delta = doc - self.last;
        self.json += u32::from(self.count > 0) + digits(delta) + 1 + digits(value);
        put_varint(&mut self.bytes, delta);
        put_varint(&mut self.bytes, value);
        self.last = doc;
        self.count += 1;
    }

    /// Postings made from (document, value) pairs in document order.
    fn from_pairs(pairs: &[(u32, u32)]) -> Postings {
        let mut list = Postings::default();
        pairs.iter().for_each(|&(doc, value)| list.push(doc, value));
        list
    }

    /// (document, value) pairs, in document order.
    fn pairs(&self) -> Vec<(u32, u32)> {
        let mut doc = 0;
        self.deltas().map(|(delta, value)| {
            doc += delta;
            (doc, value)
        }).collect()
    }

    /// The same postings with document `doc` given `value`, or left out (`None`).
    fn with(&self, doc: u32, value: Option<u32>) -> Postings {
        let mut pairs = self.pairs();
        match (pairs.binary_search_by_key(&doc, |p| p.0), value) {
            (Ok(at), Some(v)) => pairs[at].1 = v,
            (Ok(at), None) => {
                pairs.remove(at);
            }
            (Err(at), Some(v)) => pairs.insert(at, (doc, v)),
            (Err(_), None) => {}
        }
        Postings::from_pairs(&pairs)
    }

    /// (distance from the previous document, value) pairs, in document order.
    fn deltas(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            (at < self.bytes.len()).then(|| {
                let d = get_varint(&self.bytes, &mut at);
                (d, get_varint(&self.bytes, &mut at))
            })
        })
    }
}

/// The length of `postings_json(list)`, without making it.
fn postings_json_len(list: &Postings) -> usize {
    2 + list.json as usize
}

/// Postings `[first doc, weight, doc delta, weight, …]`.
fn postings_json(list: &Postings) -> String {
    let mut s = String::from("[");
    for (i, (delta, weight)) in list.deltas().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "{delta},{weight}");
    }
    s.push(']');
    s
}

/// The inverted index of a build: every document's terms key (`terms_key`, by document number)
/// and length in terms, and every term in name order with its postings. It is a function of
/// the keys alone, so the last build's index, kept in the cache (`search-index.bin`), is
/// patched where a few keys changed (an edit) instead of made again from every document.
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Inverted {
    docs: Vec<crate::cache::Key>,
    lens: Vec<u32>,
    names: Vec<String>,
    postings: Vec<Postings>,
}

/// A patch is tried when at most this many documents changed, or an eighth of them: past that,
/// making the index afresh costs about as much.
const PATCH_MAX: usize = 64;

impl Inverted {
    fn path(cache: &crate::cache::Cache) -> std::path::PathBuf {
        cache.dir().join("search-index.bin")
    }

    /// What an index file starts with: the program (`BUILD_ID`, in every `Hasher`) and format.
    fn tag() -> crate::cache::Key {
        crate::cache::Hasher::new("search index v1").finish()
    }

    /// The last build's index, if its file is of this program and its checksum holds.
    fn load(cache: &crate::cache::Cache) -> Option<Inverted> {
        let bytes = std::fs::read(Self::path(cache)).ok()?;
        let rest = bytes.strip_prefix(Self::tag().as_slice())?;
        let (sum, body) = rest.split_at_checked(32)?;
        if blake3::hash(body).as_bytes() != sum {
            return None;
        }
        let index: Inverted = postcard::from_bytes(body).ok()?;
        index.is_whole().then_some(index)
    }

    /// Whether the parts agree with each other: the index is used only then.
    fn is_whole(&self) -> bool {
        let n = self.docs.len() as u32;
        self.lens.len() == self.docs.len() && self.names.len() == self.postings.len() && self.names.windows(2).all(|w| w[0] < w[1]) && self.postings.iter().all(|p| p.count > 0 && p.last < n)
    }

    /// Keeps the index for the next build; a failure only costs that build time. The body is
    /// serialised behind room for the tag and checksum: one buffer, not a second copy of the
    /// postings (tens of megabytes at 100,000 articles).
    fn store(&self, cache: &crate::cache::Cache) {
        let mut bytes = postcard::to_extend(self, vec![0u8; 64]).expect("the index serialises");
        let sum = *blake3::hash(&bytes[64..]).as_bytes();
        bytes[..32].copy_from_slice(&Self::tag());
        bytes[32..64].copy_from_slice(&sum);
        let _ = crate::cache::write_atomic(&Self::path(cache), &bytes);
    }

    /// The index of documents with these keys and terms, made from all of them.
    fn make(docs: Vec<crate::cache::Key>, mut each: impl FnMut(&mut (dyn FnMut(&DocTerms) + Send))) -> Inverted {
        // Each document's terms become numbers as they are met, and go straight to their
        // term's postings with their weight: the archive's term frequencies are held once.
        let mut term_ids: FirstSeen<String> = FirstSeen::new();
        let mut postings: Vec<Postings> = Vec::new();
        let mut lens: Vec<u32> = Vec::with_capacity(docs.len());
        each(&mut |terms: &DocTerms| {
            let doc = lens.len() as u32;
            for k in 0..terms.spans.len() {
                let t = term_ids.id_of(terms.term(k)) as usize;
                if t == postings.len() {
                    postings.push(Postings::default());
                }
                postings[t].push(doc, terms.spans[k].2);
            }
            lens.push(terms.len);
        });
        // Terms in name order, as the shards and the next build's patch want them.
        let mut named: Vec<(String, Postings)> = term_ids.into_values().into_iter().zip(postings).collect();
        named.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (names, postings) = named.into_iter().unzip();
        Inverted { docs, lens, names, postings }
    }

    /// Where `docs` differ from this index's documents, if that is few enough to patch.
    fn changes(&self, docs: &[crate::cache::Key]) -> Option<Vec<usize>> {
        if self.docs.len() != docs.len() {
            return None;
        }
        let changed: Vec<usize> = (0..docs.len()).filter(|&d| self.docs[d] != docs[d]).collect();
        (changed.len() <= PATCH_MAX.max(docs.len() / 8)).then_some(changed)
    }

    /// The index with each edited document `d`'s terms `old` replaced by `new`, for documents
    /// with keys `docs`: what `make` gives from all the documents' terms.
    fn edited(mut self, docs: &[crate::cache::Key], edits: &[(usize, &DocTerms, &DocTerms)]) -> Inverted {
        let mut added = BTreeMap::new();
        for &(d, old, new) in edits {
            self.replace(d as u32, old, new, &mut added);
        }
        self.docs = docs.to_vec();
        self.merge(added)
    }

    /// Document `doc`'s terms become `new` where they were `old`.
    fn replace(&mut self, doc: u32, old: &DocTerms, new: &DocTerms, added: &mut BTreeMap<String, Postings>) {
        for k in 0..old.spans.len() {
            if let Ok(t) = self.names.binary_search_by(|n| n.as_str().cmp(old.term(k))) {
                self.postings[t] = self.postings[t].with(doc, None);
            }
        }
        for k in 0..new.spans.len() {
            let (term, weight) = (new.term(k), new.spans[k].2);
            match self.names.binary_search_by(|n| n.as_str().cmp(term)) {
                Ok(t) => self.postings[t] = self.postings[t].with(doc, Some(weight)),
                Err(_) => {
                    let list = added.entry(term.to_string()).or_default();
                    *list = list.with(doc, Some(weight));
                }
            }
        }
        self.lens[doc as usize] = new.len;
    }

    /// Terms left without postings dropped, `added` ones put in their places in name order.
    fn merge(self, added: BTreeMap<String, Postings>) -> Inverted {
        let Inverted { docs, lens, names, postings } = self;
        let mut kept = names.into_iter().zip(postings).filter(|t| t.1.count > 0).peekable();
        let mut added = added.into_iter().peekable();
        let (mut names, mut postings) = (Vec::new(), Vec::new());
        loop {
            let next = match (kept.peek(), added.peek()) {
                (Some(a), Some(b)) if a.0 < b.0 => kept.next(),
                (Some(_), Some(_)) | (None, Some(_)) => added.next(),
                (Some(_), None) => kept.next(),
                (None, None) => break,
            };
            let (name, list) = next.expect("one side has a term");
            names.push(name);
            postings.push(list);
        }
        Inverted { docs, lens, names, postings }
    }
}

/// This build's index: the last build's, patched for the documents whose keys changed when it
/// can be (their old terms read back from `old`), else made from every document's terms.
/// Each document's terms are kept in the cache (`search-terms.bin`) under its key, read back
/// instead of made again from its text, and needed again to take an edited document's old
/// terms out of the index; a failure to write them only costs the next build time.
fn inverted(articles: &[Article], idx: &Indexes, ent_terms: &[Box<[Box<str>]>], cache: &crate::cache::Cache) -> Inverted {
    let docs: Vec<crate::cache::Key> = idx.order.par_iter().map(|&i| terms_key(&articles[i], idx.mentioned(i), ent_terms)).collect();
    let old = cache.packed("search-terms");
    let mut new = cache.pack("search-terms", old.as_ref()).ok();
    let terms = |d: usize| {
        let i = idx.order[d];
        let cached = old.as_ref().and_then(|p| p.get(&docs[d])).and_then(|bytes| Some((DocTerms::from_cache(&bytes)?, bytes)));
        cached.unwrap_or_else(|| {
            let terms = document_terms(&articles[i], idx.mentioned(i), ent_terms);
            let bytes = postcard::to_stdvec(&terms).expect("terms serialise");
            (terms, bytes)
        })
    };
    let last = Inverted::load(cache);
    let patched = last.zip(old.as_ref()).and_then(|(last, old)| patch(last, &docs, old, &terms, &mut new));
    let (index, changed) = patched.unwrap_or_else(|| {
        let order: Vec<usize> = (0..docs.len()).collect();
        let index = Inverted::make(docs.clone(), |add| {
            // Read or made on all threads, numbered on one while the next chunk is read.
            crate::par::chunked(&order, 1024, |&d| (terms(d), d), |_, part| {
                for ((doc, bytes), d) in part {
                    if new.as_mut().is_some_and(|w| w.put(&docs[d], &bytes).is_err()) {
                        new = None;
                    }
                    add(&doc);
                }
            })
        });
        (index, true)
    });
    if let Some(w) = new {
        let _ = w.finish();
    }
    if changed {
        index.store(cache);
    }
    index
}

/// The last index patched for the documents whose keys changed (and whether any did), with
/// this build's terms entries listed in `new`; `None` when too many changed or an old
/// document's terms do not read back (then `new` is as it was).
fn patch(last: Inverted, docs: &[crate::cache::Key], old: &crate::cache::Packed, terms: &(dyn Fn(usize) -> (DocTerms, Vec<u8>) + Sync), new: &mut Option<crate::cache::PackedWriter<'_>>) -> Option<(Inverted, bool)> {
    let changed = last.changes(docs)?;
    let before: Vec<DocTerms> = changed.par_iter().map(|&d| old.get(&last.docs[d]).and_then(|b| DocTerms::from_cache(&b))).collect::<Option<_>>()?;
    let after: Vec<(DocTerms, Vec<u8>)> = changed.par_iter().map(|&d| terms(d)).collect();
    let edits: Vec<(usize, &DocTerms, &DocTerms)> = changed.iter().zip(&before).zip(&after).map(|((&d, was), (now, _))| (d, was, now)).collect();
    let index = last.edited(docs, &edits);
    // Every document's entry listed again: the unchanged ones where they are.
    let mut after = changed.iter().zip(after).peekable();
    for (d, key) in docs.iter().enumerate() {
        let done = match after.next_if(|(c, _)| **c == d) {
            Some((_, (_, bytes))) => new.as_mut().map(|w| w.put(key, &bytes)),
            None => new.as_mut().map(|w| w.keep(key).map(|_| ())),
        };
        if matches!(done, Some(Err(_))) {
            *new = None;
        }
    }
    Some((index, !changed.is_empty()))
}

/// `manifest.js`, the term shards and the document shards. Documents are numbered in list
/// order (newest first), so equal scores rank newer articles first.
///
/// Each file is written as soon as it is made: the document files hold the shown text of the
/// whole archive, which is not kept in memory at once. A document file is made only when one
/// of its articles changed: `doc_keys[article]` must stand for the article's text, cleaning and
/// summary. A term file is made only when its terms' postings or entities changed (the
/// postings are the last build's, patched where documents changed: see `inverted`).
#[allow(clippy::too_many_arguments)]
pub fn index_files(articles: &[Article], entities: &[Entity], idx: &Indexes, summaries: &[ArticleSummary], doc_keys: &[crate::cache::Key], out: &crate::output::SiteWriter, cache: &crate::cache::Cache) -> anyhow::Result<()> {
    let emit = |p: Page| out.file(&p.path, &p.bytes);
    let n_docs = idx.order.len();
    let ent_terms: Vec<Box<[Box<str>]>> = entities.par_iter().map(entity_terms).collect();
    let index = inverted(articles, idx, &ent_terms, cache);
    let by_term = entities_by_term(&ent_terms, entities);

    // Terms (in name order) with the size of their JSON, which decides the shards; the JSON is
    // made a shard at a time, so that the postings are the one copy of the index held.
    let sized: Vec<(&str, usize, u32)> = index.names.iter().zip(&index.postings).enumerate().map(|(t, (name, list))| (name.as_str(), name.len() + postings_json_len(list) + 4, t as u32)).collect();
    let mut shards: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    split(sized, 2, &mut shards);

    // The shard and document files are independent of each other: written on all threads.
    term_files(&shards, &index, &by_term, entities, out)?;
    // The postings are the largest part of the search stage's memory (over 100 MB at 100,000
    // bench articles): let go before the document files are made, as only the lengths are
    // still needed.
    let Inverted { lens, .. } = index;
    drop(by_term);
    drop(ent_terms);
    doc_files(articles, idx, summaries, doc_keys, out)?;

    // The scores are made in the browser from the weights and these lengths: a score depends on
    // its document's length and the archive's mean length, so scores made here would change in
    // every shard holding a word of an edited article (141 of 1,238 files at 10,000 articles).
    let manifest = serde_json::json!({
        "docs": n_docs,
        "lengths": lens,
        "bm25": {"k1": K1, "b": B},
        "bucket": DOC_BUCKET,
        "shards": shards.keys().collect::<Vec<_>>(),
        "stop": STOP_WORDS.as_slice(),
    });
    emit(Page { path: "search/manifest.js".into(), bytes: format!("DossierSearch.manifest({});\n", js_json(&manifest)).into_bytes() })
}

/// Entities by term, most articles first, for the "entities" line of the results and for
/// landing on an entity's mention. The browser shows a handful, so a common name word
/// ("john", "al") keeps only its first ENTITIES_PER_TERM instead of thousands of rows.
fn entities_by_term<'t>(ent_terms: &'t [Box<[Box<str>]>], entities: &[Entity]) -> rustc_hash::FxHashMap<&'t str, Vec<u32>> {
    let mut by_term: rustc_hash::FxHashMap<&str, Vec<u32>> = Default::default();
    for (i, names) in ent_terms.iter().enumerate() {
        for t in names.iter() {
            by_term.entry(t).or_default().push(i as u32);
        }
    }
    for list in by_term.values_mut() {
        list.sort_by(|&a, &b| {
            let (ea, eb) = (&entities[a as usize], &entities[b as usize]);
            eb.articles.len().cmp(&ea.articles.len()).then(ea.name.cmp(&eb.name)).then(a.cmp(&b))
        });
        list.truncate(ENTITIES_PER_TERM);
        list.shrink_to_fit();
    }
    by_term
}

/// `t/KEY.js`: each shard's terms with their postings and entities.
fn term_files(shards: &BTreeMap<String, Vec<u32>>, index: &Inverted, by_term: &rustc_hash::FxHashMap<&str, Vec<u32>>, entities: &[Entity], out: &crate::output::SiteWriter) -> anyhow::Result<()> {
    // A shard's file is made from its terms, their postings and their entities' rows,
    // so those (compact bytes, not the JSON) are its key: after an edit most shards are the
    // same and are kept without being made.
    let (term_names, postings) = (&index.names, &index.postings);
    let entity_row = |i: u32| {
        let e = &entities[i as usize];
        (&e.id, &e.name, e.url(), e.articles.len())
    };
    shards.par_iter().try_for_each(|(key, terms)| {
        let mut h = crate::cache::Hasher::new("search shard");
        h.part(key.as_bytes());
        for &id in terms {
            let list = &postings[id as usize];
            let rows = by_term.get(term_names[id as usize].as_str()).map_or(&[][..], Vec::as_slice);
            h.part(term_names[id as usize].as_bytes()).part(&list.count.to_le_bytes()).part(&list.bytes).part(&(rows.len() as u64).to_le_bytes());
            for &i in rows {
                let e = &entities[i as usize];
                h.part(e.id.as_bytes()).part(e.name.as_bytes()).part(e.url().as_bytes()).part(&(e.articles.len() as u64).to_le_bytes());
            }
        }
        out.file_lazy(&format!("search/t/{}.js", shard_file(key)), h.finish(), || {
            let mut t = String::new();
            let mut e = String::new();
            for &id in terms {
                let term = &term_names[id as usize];
                let sep = if t.is_empty() { "" } else { "," };
                let _ = write!(t, "{sep}{}:{}", js_json(term), postings_json(&postings[id as usize]));
                if let Some(list) = by_term.get(term.as_str()) {
                    let rows: Vec<_> = list.iter().map(|&i| entity_row(i)).collect();
                    let sep = if e.is_empty() { "" } else { "," };
                    let _ = write!(e, "{sep}{}:{}", js_json(term), js_json(&rows));
                }
            }
            Ok(format!("DossierSearch.shard({},{{\"t\":{{{t}}},\"e\":{{{e}}}}});\n", js_json(key)).into_bytes())
        })
    })
}

/// `d/NNNN.js`: the url, title, date and shown text of `DOC_BUCKET` documents a file, in list
/// order; a file is made only when one of its articles' `doc_keys` changed.
fn doc_files(articles: &[Article], idx: &Indexes, summaries: &[ArticleSummary], doc_keys: &[crate::cache::Key], out: &crate::output::SiteWriter) -> anyhow::Result<()> {
    idx.order.par_chunks(DOC_BUCKET).enumerate().try_for_each(|(bucket, chunk)| {
        let mut key = crate::cache::Hasher::new("search documents");
        key.part(&(bucket as u64).to_le_bytes());
        for &i in chunk {
            key.part(&doc_keys[i]);
        }
        out.file_lazy(&format!("search/d/{bucket:04}.js"), key.finish(), || {
            let rows: Vec<_> = chunk.iter().map(|&i| (summaries[i].url(), summaries[i].title(), summaries[i].published_display(), shown_text(&articles[i]))).collect();
            Ok(format!("DossierSearch.docs({bucket},{});\n", js_json(&rows)).into_bytes())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_fold_case_and_diacritics_and_drop_stop_words() {
        assert_eq!(terms("The Raqqa offensive: Łódź, Zürich & ÉCOLE"), ["raqqa", "offensive", "łodz", "zurich", "ecole"]);
        assert_eq!(terms("Russia’s SDF-led"), ["russia", "sdf", "led"]);
        // Folding can split a word ("½" is "1⁄2") or join nothing across ASCII punctuation.
        assert_eq!(terms("x½y 3-ΑΘΗΝΑ,Ångström's"), ["x1", "2y", "3", "αθηνα", "angstrom"]);
    }

    /// Cutting at ASCII separators first gives the terms of folding the whole text and
    /// splitting it, as the index did before.
    #[test]
    fn terms_match_folding_the_whole_text() {
        let text = "Łódź's mayor, Hanna Zdanowska, met ＴＯＫＹＯ officials in São Paulo on 3–4 May (ﬁnal talks); e\u{301}te\u{301} — 50% of İstanbul's ½-day «news»\nDon't.";
        let reference: Vec<String> = fold(text).split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty() && t.chars().count() <= MAX_TERM_CHARS && !is_stop_word(t)).map(str::to_string).collect();
        assert_eq!(terms(text), reference);
    }

    #[test]
    fn fold_is_nfkd_without_marks_lower_cased() {
        use unicode_normalization::UnicodeNormalization;
        let s = "Ærø Łódź Zürich ﬁnal Ｔｏｋｙｏ 한국 ΟΔΟΣ İstanbul e\u{301}\u{323}";
        let slow: String = s.nfkd().filter(|c| !is_combining_mark(*c)).collect::<String>().to_lowercase();
        assert_eq!(fold(s), slow);
    }

    #[test]
    fn stop_words_are_found_and_only_they() {
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w)));
        for t in ["", "x", "ane", "thei", "theirs", "wasn", "ofa", "th", "é"] {
            assert!(!is_stop_word(t), "{t}");
        }
    }

    #[test]
    fn shard_files_are_portable() {
        assert_eq!(shard_file("ra"), "ra");
        assert_eq!(shard_file("ра"), "_440-430");
    }

    #[test]
    fn big_groups_split_on_one_more_character() {
        let big = SHARD_BYTES;
        let mut out = BTreeMap::new();
        split(vec![("ra", 10, "ra"), ("raqqa", big, "raqqa"), ("rami", big, "rami"), ("so", 5, "so")], 2, &mut out);
        let keys: Vec<&String> = out.keys().collect();
        assert_eq!(keys, ["ra", "ram", "raq", "so"]);
        assert_eq!(out["ra"], ["ra"]);
    }

    #[test]
    fn postings_json_len_is_the_json_length() {
        for pairs in [vec![], vec![(0, 1)], vec![(0, 100), (9, 1), (10, 99), (1000, 12345)], vec![(7, 10), (17, 9)], vec![(3, 200_000), (70_000, 128)]] {
            let mut list = Postings::default();
            pairs.iter().for_each(|&(doc, weight)| list.push(doc, weight));
            assert_eq!(postings_json_len(&list), postings_json(&list).len(), "{pairs:?}");
        }
    }

    /// Postings keep every pair, however large the numbers.
    #[test]
    fn postings_round_trip() {
        let pairs = [(0u32, 1u32), (1, 127), (128, 128), (20_000, 16_383), (20_001, 16_384), (u32::MAX, u32::MAX)];
        let mut list = Postings::default();
        pairs.iter().for_each(|&(doc, v)| list.push(doc, v));
        assert_eq!(list.count, 6);
        let json = postings_json(&list);
        assert_eq!(json, format!("[0,1,1,127,127,128,19872,16383,1,16384,{},{}]", u32::MAX - 20_001, u32::MAX));
    }

    /// A document's terms from (term, weight) pairs.
    fn doc(terms: &[(&str, u32)]) -> DocTerms {
        let mut d = DocTerms { text: String::new(), spans: Vec::new(), len: 0 };
        for &(t, w) in terms {
            let start = d.text.len() as u32;
            d.text.push_str(t);
            d.spans.push((start, d.text.len() as u32, w));
            d.len += w;
        }
        d
    }

    fn made(docs: &[DocTerms]) -> Inverted {
        let keys = (0..docs.len()).map(|d| [d as u8; 32]).collect();
        Inverted::make(keys, |add| docs.iter().for_each(|d| add(d)))
    }

    /// Everything an index holds, to compare two.
    fn parts(i: &Inverted) -> (Vec<crate::cache::Key>, Vec<u32>, Vec<String>, Vec<(Vec<u8>, u32, u32, u32)>) {
        (i.docs.clone(), i.lens.clone(), i.names.clone(), i.postings.iter().map(|p| (p.bytes.clone(), p.count, p.last, p.json)).collect())
    }

    /// Patching the last index for edited documents gives the index made from every document:
    /// a word added (new to the archive or not), a weight changed, a word the archive no
    /// longer holds anywhere dropped, several documents at once.
    #[test]
    fn a_patched_index_is_the_index_made_afresh() {
        let vocabulary = ["raqqa", "kurds", "offensive", "geneva", "talks", "said", "2016", "łodz"];
        let pick = |d: usize| vocabulary.iter().enumerate().filter(|(k, _)| (d * 7 + k * 3) % 5 < 2).map(|(k, t)| (*t, 1 + (d + k) as u32 % 4)).collect::<Vec<_>>();
        let mut before: Vec<DocTerms> = (0..40).map(|d| doc(&pick(d))).collect();
        // A word only one document holds, which the edit takes away.
        before[5] = doc(&[("raqqa", 1), ("lonely", 2)]);
        let mut after: Vec<DocTerms> = (0..40).map(|d| doc(&pick(d))).collect();
        after[0] = doc(&[("raqqa", 9), ("zanzibarian", 1)]);
        after[17] = doc(&[("said", 1), ("zanzibarian", 3), ("aaa", 2)]);
        after[39] = doc(&[]);
        let last = made(&before);
        assert!(last.names.iter().any(|n| n == "lonely"));
        let keys: Vec<crate::cache::Key> = (0..40).map(|d| [d as u8 + 100; 32]).collect();
        let edits = [(0, &before[0], &after[0]), (5, &before[5], &after[5]), (17, &before[17], &after[17]), (39, &before[39], &after[39])];
        let patched = last.edited(&keys, &edits);
        let fresh = Inverted { docs: keys.clone(), ..made(&after) };
        assert!(patched.is_whole());
        assert_eq!(parts(&patched), parts(&fresh));
        assert!(!patched.names.iter().any(|n| n == "lonely"), "a word no document holds is gone");
        assert!(patched.names.iter().any(|n| n == "zanzibarian"));
        // Its postings are those of the two documents, in document order.
        let t = patched.names.iter().position(|n| n == "zanzibarian").unwrap();
        assert_eq!(patched.postings[t].pairs(), [(0, 1), (17, 3)]);
    }

    /// The index kept in the cache reads back as it was stored, and not at all when damaged,
    /// cut short or left by another program.
    #[test]
    fn a_stored_index_reads_back_only_whole() {
        let dir = tempfile::tempdir().unwrap();
        let cache = crate::cache::Cache::for_output(&dir.path().join("site")).unwrap();
        assert!(Inverted::load(&cache).is_none(), "nothing stored yet");
        let index = made(&[doc(&[("raqqa", 3), ("kurds", 1)]), doc(&[("raqqa", 1)])]);
        index.store(&cache);
        assert_eq!(parts(&Inverted::load(&cache).expect("reads back")), parts(&index));
        let path = Inverted::path(&cache);
        let bytes = std::fs::read(&path).unwrap();
        for at in [10, 40, bytes.len() - 1] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x01;
            std::fs::write(&path, &damaged).unwrap();
            assert!(Inverted::load(&cache).is_none(), "a bit flipped at {at}");
        }
        std::fs::write(&path, &bytes[..bytes.len() - 2]).unwrap();
        assert!(Inverted::load(&cache).is_none(), "cut short");
        // Whole but inconsistent (as a bug could leave it): not used either.
        let mut odd = made(&[doc(&[("raqqa", 3)])]);
        odd.lens.push(1);
        odd.store(&cache);
        assert!(Inverted::load(&cache).is_none());
    }

    #[test]
    fn script_breakers_are_escaped() {
        let s = js_json(&"</script><!-- \u{2028}");
        assert!(!s.contains('<') && !s.contains('\u{2028}'));
        assert_eq!(serde_json::from_str::<String>(&s).unwrap(), "</script><!-- \u{2028}");
    }
}
