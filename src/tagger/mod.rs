//! The trained entity tagger: a two-stage averaged perceptron over BILOU tags, trained on
//! CoNLL-2003 (`dossier train`), measured the way the field does (`dossier eval`), and used by
//! the annotator (`crate::annotate::model`).
//!
//! Stage one tags each sentence from local features. Stage two sees the same features plus
//! how stage one tagged the same word elsewhere in the document, which fixes the classic
//! errors of local taggers: a headline in capitals, a name first seen at a sentence start, the
//! same name tagged two ways in one story. In training, stage two learns from stage-one tags
//! made by models that never saw the document (five-fold jackknife), so it learns how far to
//! trust them.
//!
//! Module map: [`tokens`] tokenizer and sentence splitter, [`features`] feature templates and
//! list membership, [`perceptron`] weights, training and decoding, [`conll`] the data format,
//! [`model_file`] the compact file in `data/`, [`eval`] conlleval-style scoring.

pub mod conll;
pub mod eval;
pub mod features;
pub mod model_file;
pub mod perceptron;
pub mod tokens;
pub mod train;

use rustc_hash::FxHashMap as HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use features::{Clusters, DocFeatures, Phrases};
use perceptron::{KeyMap, TAGS, Weights, add_rows, decode_chunks};

pub use conll::EntType;

/// A trained tagger: the list phrases its features use and the weights of both stages.
pub struct Tagger {
    pub phrases: Phrases,
    pub clusters: Clusters,
    pub stage1: Weights,
    pub stage2: Weights,
    /// Where the model came from, as written by `dossier train`.
    pub provenance: String,
    /// Both stages' rows side by side under one key, so that each local feature is looked up
    /// once for the two stages (the lookups are most of the tagging time).
    joint_index: KeyMap,
    joint_rows: Vec<f32>,
    /// Each stage's transitions as decoding reads them, made once (`Weights::masked`).
    masked: [perceptron::Masked; 2],
    /// Tells this tagger's entries in the per-thread word cache from another tagger's.
    id: u64,
}

/// Both stages' summed weights of one word's word features ([`features::word_features`]).
type WordRow = [f32; 2 * TAGS];

/// Per thread, the summed word-feature weights of words already seen, one map for words in
/// ordinary sentences and one for words in headlines in capitals. Words repeat across an
/// archive (Zipf), so most tokens need one lookup here instead of a dozen in the weights,
/// which are too big for the processor's caches.
struct WordCache {
    tagger: u64,
    rows: [HashMap<Box<str>, WordRow>; 2],
}

/// Enough for the common words of a large archive at about 200 bytes each; the cache starts
/// again when full rather than growing with the archive's vocabulary.
const WORD_CACHE_LIMIT: usize = 1 << 16;

thread_local! {
    static WORD_CACHE: std::cell::RefCell<WordCache> = std::cell::RefCell::new(WordCache { tagger: u64::MAX, rows: Default::default() });
}

/// An entity the tagger found: tokens `start..end`, its type, and the smallest max-marginal
/// margin over its tokens (how sure the tagger is; 0 means a near tie).
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub kind: EntType,
    pub margin: f32,
}

/// The model file compiled into the binary (`data/ner/model.bin`, made by `dossier train`).
static MODEL_BYTES: &[u8] = include_bytes!("../../data/ner/model.bin");
static EMBEDDED: crate::memory::Loaded<Tagger> = crate::memory::Loaded::new(|| model_file::load(MODEL_BYTES).expect("data/ner/model.bin is a valid model (rebuild it with `dossier train`)"));

impl Tagger {
    pub fn new(phrases: Phrases, clusters: Clusters, stage1: Weights, stage2: Weights, provenance: String) -> Tagger {
        let mut joint_index = KeyMap::default();
        let mut keys: Vec<u64> = stage1.index.keys().chain(stage2.index.keys()).copied().collect();
        keys.sort_unstable();
        keys.dedup();
        let mut joint_rows = vec![0.0f32; keys.len() * 2 * TAGS];
        for (i, k) in keys.iter().enumerate() {
            joint_index.insert(*k, i as u32);
            for (w, off) in [(&stage1, 0), (&stage2, TAGS)] {
                if let Some(&r) = w.index.get(k) {
                    let r = r as usize;
                    joint_rows[i * 2 * TAGS + off..i * 2 * TAGS + off + TAGS].copy_from_slice(&w.rows[r * TAGS..(r + 1) * TAGS]);
                }
            }
        }
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let masked = [stage1.masked(), stage2.masked()];
        Tagger { phrases, clusters, stage1, stage2, provenance, joint_index, joint_rows, masked, id }
    }

    /// The model shipped with Dossier, loaded on first use.
    pub fn embedded() -> std::sync::Arc<Tagger> {
        EMBEDDED.get()
    }

    /// Lets the shipped model go once a large build has annotated its articles
    /// (`crate::memory::Loaded`); returns it, to be dropped off the build's path.
    pub fn release_embedded() -> Option<std::sync::Arc<Tagger>> {
        EMBEDDED.release()
    }

    /// Tags a document given as words and sentences (token ranges).
    pub fn tag<S: AsRef<str>>(&self, words: &[S], sents: &[(usize, usize)]) -> Vec<Found> {
        let started = std::time::Instant::now();
        let found = self.tag_inner(words, sents);
        STATS.tokens.fetch_add(words.len() as u64, Ordering::Relaxed);
        STATS.nanos.fetch_add(started.elapsed().as_nanos() as u64, Ordering::Relaxed);
        found
    }

    fn tag_inner<S: AsRef<str>>(&self, words: &[S], sents: &[(usize, usize)]) -> Vec<Found> {
        let doc = DocFeatures::new(words, sents, &self.phrases, &self.clusters);
        let n = doc.toks.len();
        // Emissions of both stages from the local features, in one pass.
        let mut em1 = vec![0.0f32; n * TAGS];
        let mut em2 = vec![0.0f32; n * TAGS];
        let mut buf: Vec<u64> = Vec::with_capacity(64);
        WORD_CACHE.with_borrow_mut(|cache| {
            if cache.tagger != self.id {
                cache.rows.iter_mut().for_each(HashMap::clear);
                cache.tagger = self.id;
            }
            for i in 0..n {
                // The word features come first in `local`, so their sum, made once per word
                // from zero in the same order, is bit for bit what summing them here would give.
                let tok = &doc.toks[i];
                let caps = doc.in_caps(i);
                let words = &mut cache.rows[usize::from(caps)];
                let sum = match words.get(tok.word.as_str()) {
                    Some(sum) => *sum,
                    None => {
                        buf.clear();
                        features::word_features(tok, caps, &mut buf);
                        let mut sum = [0.0f32; 2 * TAGS];
                        add_rows(&self.joint_index, &self.joint_rows, &buf, &mut sum);
                        if words.len() >= WORD_CACHE_LIMIT {
                            words.clear();
                        }
                        words.insert(tok.word.as_str().into(), sum);
                        sum
                    }
                };
                buf.clear();
                doc.context_features(i, &mut buf);
                let mut both = sum;
                add_rows(&self.joint_index, &self.joint_rows, &buf, &mut both);
                em1[i * TAGS..(i + 1) * TAGS].copy_from_slice(&both[..TAGS]);
                em2[i * TAGS..(i + 1) * TAGS].copy_from_slice(&both[TAGS..]);
            }
        });
        let mut first = vec![0u8; n];
        for &(s, e) in &doc.sents {
            first[s..e].copy_from_slice(&Weights::decode_with(&self.masked[0], &em1[s * TAGS..e * TAGS]).0);
        }
        let counts = features::type_counts(&doc, &first);
        for i in 0..n {
            buf.clear();
            doc.second(i, &first, &counts, &mut buf);
            add_rows(&self.stage2.index, &self.stage2.rows, &buf, &mut em2[i * TAGS..(i + 1) * TAGS]);
        }
        let mut out = Vec::new();
        for &(s, e) in &doc.sents {
            let em = &em2[s * TAGS..e * TAGS];
            let (tags, fwd) = Weights::decode_with(&self.masked[1], em);
            let chunks = decode_chunks(&tags);
            if chunks.is_empty() {
                continue;
            }
            let margins = Weights::margins_with(&self.masked[1], em, &tags, &fwd);
            for (a, b, k) in chunks {
                let margin = margins[a..b].iter().copied().fold(f32::INFINITY, f32::min);
                out.push(Found { start: s + a, end: s + b, kind: EntType::ALL[k], margin });
            }
        }
        out
    }
}

/// Tokens tagged and the time spent tagging them, summed over all threads, for the build
/// benchmark's "tokens per second" (`DOSSIER_TIMINGS`).
pub struct TagStats {
    tokens: AtomicU64,
    nanos: AtomicU64,
}

static STATS: TagStats = TagStats { tokens: AtomicU64::new(0), nanos: AtomicU64::new(0) };

/// (tokens tagged, seconds of tagging summed over threads) since the process started.
pub fn tag_stats() -> (u64, f64) {
    (STATS.tokens.load(Ordering::Relaxed), STATS.nanos.load(Ordering::Relaxed) as f64 / 1e9)
}

/// A confidence in 0..1 from a max-marginal margin (0.5 at a margin of `MARGIN_HALF`). On
/// eng.testa, tagger mentions scored under 0.5 were right 42% of the time (50 mentions),
/// 0.5-0.9 right 57% (104), 0.9 and over right 95% (4,708), measured by
/// `benches/confidence.py`; the page shows those under 0.5 as uncertain.
pub fn confidence(margin: f32) -> f32 {
    const MARGIN_HALF: f32 = 4.0;
    if margin.is_infinite() {
        return 0.99;
    }
    (1.0 - 0.5f32.powf(margin / MARGIN_HALF)).clamp(0.0, 0.99)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split(' ').collect()
    }

    /// The per-thread word cache must not change a single tag or margin: the same document
    /// tagged on a fresh thread and after other documents (some with the same words in a
    /// headline in capitals, whose word features differ) gives the same result.
    #[test]
    fn word_cache_changes_nothing() {
        let doc = words("PARIS TALKS STALL AS MINISTERS MEET Foreign ministers met in Paris on Monday , said Jean Dupont of the United Nations .");
        let sents = [(0, 6), (6, doc.len())];
        let other = words("PARIS TALKS : the United Nations said MINISTERS would MEET . JEAN DUPONT IN PARIS");
        let other_sents = [(0, 12), (12, other.len())];
        let tagger = Tagger::embedded();
        let fresh = std::thread::spawn(move || Tagger::embedded().tag(&doc, &sents)).join().unwrap();
        let doc = words("PARIS TALKS STALL AS MINISTERS MEET Foreign ministers met in Paris on Monday , said Jean Dupont of the United Nations .");
        let warm = std::thread::spawn(move || {
            tagger.tag(&other, &other_sents);
            let first = tagger.tag(&doc, &sents);
            let again = tagger.tag(&doc, &sents);
            assert_eq!(first, again);
            first
        })
        .join()
        .unwrap();
        assert!(!fresh.is_empty(), "the example has names to find");
        assert_eq!(fresh, warm);
    }
}
