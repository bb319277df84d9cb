//! Features for the sequence tagger, in the tradition of the strong CoNLL-2003 systems (Florian
//! et al. 2003; Ratinov and Roth 2009): the word, its lower case and shape, prefixes and
//! suffixes, a window of neighbouring words and shapes, sentence position, membership in the
//! gazetteer and the name lists, and document-level ("non-local") evidence: how the same word
//! is written elsewhere in the article, and, in the second stage, how the first stage tagged it
//! elsewhere.
//!
//! Every feature is a 64-bit hash of a template number and its strings, so extraction makes no
//! allocation per feature and the model stores integers, not strings.

use rustc_hash::FxHashMap as HashMap;

/// Which list a phrase is in; a phrase can be in several.
pub mod list {
    pub const PLACE: u8 = 1;
    pub const ORG: u8 = 2;
    pub const GIVEN_NAME: u8 = 4;
    pub const DEMONYM: u8 = 8;
    pub const PERSON_TITLE: u8 = 16;
    pub const ORG_HEAD: u8 = 32;
    pub const COUNTRY: u8 = 64;
    pub const COUNT: usize = 7;
}

/// Lower-case phrases (tokens joined by single spaces) and the lists they are in. Built from
/// `data/` when the model is trained and stored inside the model, so that tagging needs no
/// other file and the features are exactly those the weights were learnt with.
#[derive(Debug, Default, Clone)]
pub struct Phrases {
    pub map: HashMap<String, u8>,
    pub max_tokens: usize,
}

impl Phrases {
    pub fn add(&mut self, phrase: &str, flags: u8) {
        let toks = super::tokens::tokenize(phrase, 0, phrase.len());
        if toks.is_empty() || toks.len() > 8 {
            return;
        }
        let key = toks.iter().map(|t| t.span.get(phrase).to_lowercase()).collect::<Vec<_>>().join(" ");
        self.max_tokens = self.max_tokens.max(toks.len());
        *self.map.entry(key).or_insert(0) |= flags;
    }
}

/// Word clusters (`data/lexicon/clusters.tsv`, made by `data/build/clusters.py` from the GloVe
/// vectors): words used alike in a large amount of news share a cluster, at three nested
/// granularities. Stored inside the model like the phrases.
#[derive(Debug, Default, Clone)]
pub struct Clusters {
    /// Lower-case word → fine cluster.
    pub fine: HashMap<String, u16>,
    /// By fine cluster: its mid and coarse cluster.
    pub mid: Vec<u16>,
    pub coarse: Vec<u16>,
}

/// No cluster: the word is not among the clustered words.
pub const NO_CLUSTER: u16 = u16::MAX;

impl Clusters {
    /// Reads the TSV written by `data/build/clusters.py` (header `word, fine, mid, coarse`).
    pub fn parse(tsv: &str) -> Result<Clusters, String> {
        let mut c = Clusters::default();
        for (n, line) in tsv.lines().enumerate().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            let num = |i: usize| f.get(i).and_then(|v| v.parse::<u16>().ok()).ok_or_else(|| format!("line {}: expected word, fine, mid, coarse", n + 1));
            let (fine, mid, coarse) = (num(1)?, num(2)?, num(3)?);
            let at = usize::from(fine);
            if c.mid.len() <= at {
                c.mid.resize(at + 1, NO_CLUSTER);
                c.coarse.resize(at + 1, NO_CLUSTER);
            }
            c.mid[at] = mid;
            c.coarse[at] = coarse;
            c.fine.insert(f[0].to_string(), fine);
        }
        Ok(c)
    }

    fn of(&self, lower: &str) -> u16 {
        self.fine.get(lower).copied().unwrap_or(NO_CLUSTER)
    }

    /// (fine, mid, coarse) of a fine cluster id.
    #[inline]
    pub fn levels(&self, fine: u16) -> (u16, u16, u16) {
        if fine == NO_CLUSTER { (fine, fine, fine) } else { (fine, self.mid[usize::from(fine)], self.coarse[usize::from(fine)]) }
    }
}

/// FNV-1a with a final mix: small, fast on short strings and the same on every platform, so
/// a trained model means the same thing everywhere.
#[derive(Clone, Copy)]
pub struct Fh(u64);

impl Fh {
    #[inline]
    pub fn new(template: u8) -> Fh {
        Fh(0xcbf2_9ce4_8422_2325).b(template)
    }
    #[inline]
    fn b(mut self, b: u8) -> Fh {
        self.0 ^= u64::from(b);
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        self
    }
    #[inline]
    pub fn s(mut self, s: &str) -> Fh {
        for b in s.bytes() {
            self = self.b(b);
        }
        self.b(0xff)
    }
    #[inline]
    pub fn n(self, v: u8) -> Fh {
        self.b(v).b(0xfe)
    }
    /// A cluster id.
    #[inline]
    pub fn c(self, v: u16) -> Fh {
        let [lo, hi] = v.to_le_bytes();
        self.b(lo).b(hi).b(0xfd)
    }
    #[inline]
    pub fn get(self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// How a word is capitalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Lower,
    Title,
    Upper,
    Other,
}

fn case_of(w: &str) -> Case {
    let mut letters = w.chars().filter(|c| c.is_alphabetic());
    let Some(first) = letters.next() else { return Case::Other };
    let rest_lower = letters.clone().all(char::is_lowercase);
    let rest_upper = letters.all(char::is_uppercase);
    if first.is_uppercase() && rest_upper && w.chars().filter(|c| c.is_alphabetic()).count() > 1 {
        Case::Upper
    } else if first.is_uppercase() && rest_lower {
        Case::Title
    } else if first.is_uppercase() {
        Case::Upper
    } else if first.is_lowercase() && rest_lower {
        Case::Lower
    } else {
        Case::Other
    }
}

/// The word's shape with runs collapsed: "Moscow" → "Xx", "U.S." → "X.X.", "1996-08-22" → "d-d-d".
fn shape(w: &str) -> String {
    let mut s = String::with_capacity(8);
    let mut last = '\0';
    for c in w.chars() {
        let m = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'x'
        } else {
            c
        };
        if m != last {
            s.push(m);
            last = m;
        }
    }
    s
}

/// What is known about one token before features are drawn from it.
pub struct Tok {
    pub word: String,
    pub lower: String,
    pub shape: String,
    pub case: Case,
    /// For each list in [`list`], the token's place in the longest listed phrase covering it:
    /// 0 none, 1 begin, 2 inside, 3 last, 4 a one-word phrase.
    pub lists: [u8; list::COUNT],
    /// The word's clusters (fine, mid, coarse), [`NO_CLUSTER`] for a word not clustered.
    pub cluster: (u16, u16, u16),
}

/// How a word is written elsewhere in the document, in ordinary sentences and not first in
/// one: evidence for words in all-capital headlines and at sentence starts.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocForms {
    pub lower: bool,
    pub title: bool,
    pub upper: bool,
}

impl DocForms {
    fn code(self) -> u8 {
        u8::from(self.lower) | (u8::from(self.title) << 1) | (u8::from(self.upper) << 2)
    }
}

/// A document prepared for feature extraction.
pub struct DocFeatures {
    pub toks: Vec<Tok>,
    /// Sentences as token ranges.
    pub sents: Vec<(usize, usize)>,
    /// For each sentence, whether it is written all in capitals (a headline).
    pub caps_sent: Vec<bool>,
    /// For each token, the number of its lower-case form in this document (0, 1, ... in order
    /// of first occurrence), so that what the document says about a word is found by index
    /// rather than by hashing the word again at every use.
    pub lower_id: Vec<u32>,
    /// By lower-case form: how the word is written elsewhere in the document.
    pub forms: Vec<DocForms>,
    /// Sentence index of each token.
    pub sent_of: Vec<u32>,
    /// Context aggregation (Ratinov and Roth 2009), by lower-case form: for each capitalised
    /// word, the words around all its occurrences in the document, as feature hashes.
    pub contexts: Vec<Vec<u64>>,
}

impl DocFeatures {
    pub fn new<S: AsRef<str>>(words: &[S], sents: &[(usize, usize)], phrases: &Phrases, clusters: &Clusters) -> DocFeatures {
        let mut toks: Vec<Tok> = words
            .iter()
            .map(|w| {
                let w = w.as_ref();
                Tok { word: w.to_string(), lower: w.to_lowercase(), shape: shape(w), case: case_of(w), lists: [0; list::COUNT], cluster: (NO_CLUSTER, NO_CLUSTER, NO_CLUSTER) }
            })
            .collect();
        let lower_id: Vec<u32> = {
            let mut ids: HashMap<&str, u32> = HashMap::default();
            toks.iter()
                .map(|t| {
                    let next = ids.len() as u32;
                    *ids.entry(t.lower.as_str()).or_insert(next)
                })
                .collect()
        };
        let forms_count = lower_id.iter().max().map_or(0, |m| *m as usize + 1);
        // Clusters looked up once per distinct word.
        let mut cluster_of = vec![None; forms_count];
        for (t, &id) in toks.iter_mut().zip(&lower_id) {
            t.cluster = *cluster_of[id as usize].get_or_insert_with(|| clusters.levels(clusters.of(&t.lower)));
        }
        let mut sent_of = vec![0u32; toks.len()];
        let mut caps_sent = Vec::with_capacity(sents.len());
        for (si, &(s, e)) in sents.iter().enumerate() {
            for x in &mut sent_of[s..e] {
                *x = si as u32;
            }
            let letters = toks[s..e].iter().filter(|t| t.case != Case::Other).count();
            let upper = toks[s..e].iter().filter(|t| t.case == Case::Upper).count();
            caps_sent.push(letters >= 2 && upper * 10 >= letters * 8);
            mark_lists(&mut toks[s..e], phrases);
        }
        let mut forms = vec![DocForms::default(); forms_count];
        for (si, &(s, e)) in sents.iter().enumerate() {
            if caps_sent[si] {
                continue;
            }
            for i in (s + 1).min(e)..e {
                let f = &mut forms[lower_id[i] as usize];
                match toks[i].case {
                    Case::Lower => f.lower = true,
                    Case::Title => f.title = true,
                    Case::Upper => f.upper = true,
                    Case::Other => {}
                }
            }
        }
        let mut contexts: Vec<Vec<u64>> = vec![Vec::new(); forms_count];
        for &(s, e) in sents {
            for i in s..e {
                let t = &toks[i];
                if !matches!(t.case, Case::Title | Case::Upper) {
                    continue;
                }
                let v = &mut contexts[lower_id[i] as usize];
                for k in [-2isize, -1, 1, 2] {
                    let j = i as isize + k;
                    if j >= s as isize && j < e as isize {
                        v.push(Fh::new(30).n(k as u8).s(&toks[j as usize].lower).get());
                    }
                }
            }
        }
        for v in &mut contexts {
            v.sort_unstable();
            v.dedup();
            v.truncate(12);
        }
        DocFeatures { toks, sents: sents.to_vec(), caps_sent, lower_id, forms, sent_of, contexts }
    }

    /// Local features of token `i` (all but the second-stage ones), appended to `out`: its
    /// word features, then its context features.
    pub fn local(&self, i: usize, out: &mut Vec<u64>) {
        word_features(&self.toks[i], self.in_caps(i), out);
        self.context_features(i, out);
    }

    /// Whether token `i` is in an all-capitals sentence (a headline).
    pub fn in_caps(&self, i: usize) -> bool {
        self.caps_sent[self.sent_of[i] as usize]
    }

    /// The local features of token `i` that depend on more than the word itself and whether
    /// its sentence is in capitals (see [`word_features`]).
    pub fn context_features(&self, i: usize, out: &mut Vec<u64>) {
        let (s, e) = self.sents[self.sent_of[i] as usize];
        let t = &self.toks[i];
        let caps = self.in_caps(i);
        let at = |k: isize| -> Option<&Tok> {
            let j = i as isize + k;
            (j >= s as isize && j < e as isize).then(|| &self.toks[j as usize])
        };
        let lower_at = |k: isize| at(k).map_or(if k < 0 { "<s>" } else { "</s>" }, |t| t.lower.as_str());
        let shape_at = |k: isize| at(k).map_or(if k < 0 { "<s>" } else { "</s>" }, |t| t.shape.as_str());

        out.push(Fh::new(6).s(lower_at(-1)).get());
        out.push(Fh::new(7).s(lower_at(1)).get());
        out.push(Fh::new(8).s(lower_at(-2)).get());
        out.push(Fh::new(9).s(lower_at(2)).get());
        out.push(Fh::new(10).s(shape_at(-1)).s(&t.shape).get());
        out.push(Fh::new(11).s(&t.shape).s(shape_at(1)).get());
        out.push(Fh::new(12).s(shape_at(-1)).s(&t.shape).s(shape_at(1)).get());
        out.push(Fh::new(13).s(lower_at(-1)).s(&t.lower).get());
        out.push(Fh::new(14).s(&t.lower).s(lower_at(1)).get());
        out.push(Fh::new(15).n(u8::from(i == s)).n(t.case as u8).n(u8::from(caps)).get());
        // How this word is written elsewhere in the document.
        let f = self.forms[self.lower_id[i] as usize];
        out.push(Fh::new(16).n(f.code()).n(t.case as u8).n(u8::from(i == s || caps)).get());
        // Membership in the lists, for the word and its neighbours.
        for (l, &pos) in t.lists.iter().enumerate() {
            if pos != 0 {
                out.push(Fh::new(17).n(l as u8).n(pos).get());
                out.push(Fh::new(18).n(l as u8).n(pos).n(t.case as u8).get());
            }
        }
        for k in [-1isize, 1] {
            if let Some(n) = at(k) {
                for (l, &pos) in n.lists.iter().enumerate() {
                    if pos != 0 {
                        out.push(Fh::new(19).n(k as u8).n(l as u8).n(pos).get());
                    }
                }
            }
        }
        out.push(Fh::new(20).s(shape_at(-1)).s(lower_at(-1)).s(&t.shape).get());
        // The clusters of the neighbours: what kind of word comes before and after.
        let cl = |k: isize| at(k).map_or(NO_CLUSTER - 1, |t| t.cluster.1);
        out.push(Fh::new(24).c(cl(-1)).get());
        out.push(Fh::new(25).c(cl(1)).get());
        out.push(Fh::new(26).n(t.case as u8).c(cl(-1)).c(t.cluster.2).get());
        if matches!(t.case, Case::Title | Case::Upper) {
            out.extend_from_slice(&self.contexts[self.lower_id[i] as usize]);
        }
    }

    /// Second-stage features of token `i`, from the first stage's tags (`prev`, one entity
    /// type or none per token): the tags around it, and how the same word was tagged
    /// elsewhere in the document ("extended prediction history", Ratinov and Roth 2009).
    pub fn second(&self, i: usize, prev: &[u8], types: &[[u16; 5]], out: &mut Vec<u64>) {
        let (s, e) = self.sents[self.sent_of[i] as usize];
        let t = &self.toks[i];
        let tag_at = |k: isize| {
            let j = i as isize + k;
            if j >= s as isize && j < e as isize { prev[j as usize] } else { 255 }
        };
        out.push(Fh::new(40).n(tag_at(0)).get());
        out.push(Fh::new(41).n(tag_at(-1)).n(tag_at(0)).get());
        out.push(Fh::new(42).n(tag_at(0)).n(tag_at(1)).get());
        if t.case == Case::Lower || t.case == Case::Other {
            return;
        }
        {
            // Counts elsewhere: remove this token's own vote (a capitalised token always has one).
            let mut c = types[self.lower_id[i] as usize];
            let own = type_of_tag(prev[i]);
            c[own] = c[own].saturating_sub(1);
            let total: u16 = c[1..].iter().sum();
            if total > 0 {
                let best = (1..5).max_by_key(|&k| (c[k], 5 - k)).unwrap();
                out.push(Fh::new(43).n(best as u8).get());
                out.push(Fh::new(44).n(best as u8).n(t.case as u8).n(u8::from(self.caps_sent[self.sent_of[i] as usize])).get());
                for (k, &n) in c.iter().enumerate().skip(1) {
                    if n > 0 {
                        out.push(Fh::new(45).n(k as u8).get());
                    }
                }
            }
        }
    }
}

/// The features of a token that depend only on its word and on whether its sentence is in
/// capitals: the bias, the word, its lower case and shape, prefixes and suffixes. They come
/// first in [`DocFeatures::local`], so the tagger can sum their weights once per distinct word
/// and get the same floating-point sums as feature by feature.
pub fn word_features(t: &Tok, caps: bool, out: &mut Vec<u64>) {
    out.push(Fh::new(0).get());
    // In an all-capitals headline the exact word says little about case; its lower case
    // and how the word is written elsewhere in the document say more.
    if !caps {
        out.push(Fh::new(1).s(&t.word).get());
    }
    out.push(Fh::new(2).s(&t.lower).get());
    out.push(Fh::new(3).s(&t.shape).n(u8::from(caps)).get());
    // The word's clusters, the coarse one with its case.
    let (fine, mid, coarse) = t.cluster;
    out.push(Fh::new(21).c(fine).get());
    out.push(Fh::new(22).c(mid).get());
    out.push(Fh::new(23).n(t.case as u8).n(u8::from(caps)).c(coarse).get());
    // Prefixes and suffixes of 1 to 4 characters, cut on character boundaries.
    let mut ends = t.lower.char_indices().map(|(b, _)| b).skip(1).chain(std::iter::once(t.lower.len()));
    let mut starts = t.lower.char_indices().rev().map(|(b, _)| b);
    for n in 1..=4u8 {
        match (ends.next(), starts.next()) {
            (Some(p), Some(q)) => {
                out.push(Fh::new(4).n(n).s(&t.lower[..p]).get());
                out.push(Fh::new(5).n(n).s(&t.lower[q..]).get());
            }
            _ => break,
        }
    }
}

/// 0 for O, else 1 + entity type index, from a BILOU tag index.
pub fn type_of_tag(tag: u8) -> usize {
    if tag == 0 { 0 } else { 1 + (tag as usize - 1) / 4 }
}

/// For each token of a sentence, its place in the longest listed phrase covering it.
fn mark_lists(toks: &mut [Tok], phrases: &Phrases) {
    let n = toks.len();
    let mut key = String::with_capacity(64);
    for i in 0..n {
        // Listed phrases start with a capital or a digit; the lower-case form is looked up.
        if !toks[i].word.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
            continue;
        }
        let max = phrases.max_tokens.min(n - i);
        let mut found: Vec<(usize, u8)> = Vec::new();
        key.clear();
        for len in 1..=max {
            if len > 1 {
                key.push(' ');
            }
            key.push_str(&toks[i + len - 1].lower);
            if let Some(&flags) = phrases.map.get(key.as_str()) {
                found.push((len, flags));
            }
        }
        for l in 0..list::COUNT {
            let bit = 1u8 << l;
            if let Some(&(len, _)) = found.iter().rev().find(|(_, f)| f & bit != 0) {
                if (i..i + len).any(|k| toks[k].lists[l] != 0) {
                    continue;
                }
                for k in 0..len {
                    toks[i + k].lists[l] = if len == 1 {
                        4
                    } else if k == 0 {
                        1
                    } else if k + 1 == len {
                        3
                    } else {
                        2
                    };
                }
            }
        }
    }
}

/// Counts of first-stage entity types of capitalised tokens, by lower-case form
/// ([`DocFeatures::lower_id`]): index 0 is O, then PER, LOC, ORG, MISC.
pub fn type_counts(doc: &DocFeatures, prev: &[u8]) -> Vec<[u16; 5]> {
    let mut m = vec![[0u16; 5]; doc.forms.len()];
    for ((t, &p), &id) in doc.toks.iter().zip(prev).zip(&doc.lower_id) {
        if t.case == Case::Title || t.case == Case::Upper {
            m[id as usize][type_of_tag(p)] += 1;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_cases() {
        assert_eq!(shape("Moscow"), "Xx");
        assert_eq!(shape("U.S."), "X.X.");
        assert_eq!(shape("1996-08-22"), "d-d-d");
        assert_eq!(case_of("MOSCOW"), Case::Upper);
        assert_eq!(case_of("Moscow"), Case::Title);
        assert_eq!(case_of("al-Nusra"), Case::Other);
        assert_eq!(case_of("1996"), Case::Other);
    }

    #[test]
    fn list_membership_prefers_the_longest_phrase() {
        let mut p = Phrases::default();
        p.add("New York", list::PLACE);
        p.add("York", list::PLACE);
        p.add("New York Times", list::ORG);
        let words = ["the", "New", "York", "Times", "in", "York"];
        let d = DocFeatures::new(&words, &[(0, 6)], &p, &Clusters::default());
        let places: Vec<u8> = d.toks.iter().map(|t| t.lists[0]).collect();
        let orgs: Vec<u8> = d.toks.iter().map(|t| t.lists[1]).collect();
        assert_eq!(places, [0, 1, 3, 0, 0, 4]);
        assert_eq!(orgs, [0, 1, 2, 3, 0, 0]);
    }
}
