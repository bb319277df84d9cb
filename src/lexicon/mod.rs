//! The project's knowledge: the gazetteer, the curated organisations, the cue words and the
//! token statistics, all from `data/` (each file's source and licence are in `data/README.md`).
//!
//! The files are compiled into the binary so that `dossier` works from any folder and a build
//! never depends on what happens to be beside it. They are parsed once, on first use.

pub mod gazetteer;
pub mod orgs;

use serde::Deserialize;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

pub use gazetteer::{Gazetteer, PlaceEntry};
pub use orgs::OrgList;

use crate::text::fold_for_compare;

/// Word lists the rule-based annotator and the cleaner use (`data/cues.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CueFile {
    pub person_titles: Vec<String>,
    pub org_heads: Vec<String>,
    pub org_lowercase: Vec<String>,
    pub location_heads: Vec<String>,
    pub place_words: Vec<String>,
    pub connectors: Vec<String>,
    pub not_names: Vec<String>,
    pub furniture: Vec<String>,
    pub agencies: Vec<String>,
    pub speech_verbs: Vec<String>,
    pub speech_participles: Vec<String>,
    pub speech_adverbs: Vec<String>,
    pub transliteration: Vec<(String, String)>,
    pub spelling_variants: Vec<(String, String)>,
}

#[derive(Debug)]
pub struct Cues {
    pub file: CueFile,
    furniture: HashSet<String>,
    /// The most characters of a folded furniture line.
    furniture_chars: usize,
    pub not_names: HashSet<String>,
    pub connectors: HashSet<String>,
    pub person_titles: HashSet<String>,
    pub org_heads: HashSet<String>,
    pub location_heads: HashSet<String>,
    /// `speech_verbs`, `speech_participles`, `speech_adverbs` as sets: looked up per word.
    pub speech_verbs: HashSet<String>,
    pub speech_participles: HashSet<String>,
    pub speech_adverbs: HashSet<String>,
    /// `org_lowercase` as one automaton, ASCII case-insensitive ("Defence Ministry", "defence ministry").
    pub org_phrases: aho_corasick::AhoCorasick,
    /// Every word that can open an attribution of reported speech (`speech_verbs`,
    /// `speech_participles`, "according", "asked", "poll" and "survey", "saying" and "calling"), ASCII
    /// case-insensitive: one pass over an article finds the sentences that may hold one, and
    /// the others are not cut into words at all (most sentences of news hold none).
    pub attribution_words: AsciiWords,
}

/// A set of short ASCII words looked up in any case by their bytes, each word packed into one
/// integer: a lookup is a shift per byte and one hash probe, with no string made. Faster over
/// a whole article than an automaton (a DFA of a few hundred words, searched at every byte,
/// was a sixth of the time spent finding statements).
#[derive(Debug)]
pub struct AsciiWords {
    keys: rustc_hash::FxHashSet<u128>,
    longest: usize,
}

impl AsciiWords {
    /// The words made only of ASCII letters and digits and at most 16 bytes long; others
    /// could never be found by `contains` and are left out.
    fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> AsciiWords {
        let kept: Vec<&str> = words.into_iter().filter(|w| !w.is_empty() && w.len() <= 16 && w.bytes().all(|b| b.is_ascii_alphanumeric())).collect();
        AsciiWords { keys: kept.iter().map(|w| Self::key(w.as_bytes())).collect(), longest: kept.iter().map(|w| w.len()).max().unwrap_or(0) }
    }

    fn key(word: &[u8]) -> u128 {
        word.iter().fold(0u128, |k, b| (k << 8) | u128::from(b.to_ascii_lowercase()))
    }

    /// True when `word` is one of the words, in any ASCII case.
    pub fn contains(&self, word: &[u8]) -> bool {
        word.len() <= self.longest && self.keys.contains(&Self::key(word))
    }
}

/// The words of `Cues::attribution_words`.
fn attribution_words(file: &CueFile) -> AsciiWords {
    let extra = ["according", "asked", "poll", "polls", "survey", "surveys", "saying", "calling"];
    AsciiWords::new(file.speech_verbs.iter().chain(&file.speech_participles).map(String::as_str).chain(extra))
}

impl Cues {
    fn new(file: CueFile) -> Cues {
        let set = |v: &[String]| v.iter().cloned().collect::<HashSet<_>>();
        let furniture: HashSet<String> = file.furniture.iter().map(|f| fold_for_compare(f)).collect();
        Cues {
            furniture_chars: furniture.iter().map(|f| f.chars().count()).max().unwrap_or(0),
            furniture,
            not_names: set(&file.not_names),
            connectors: set(&file.connectors),
            person_titles: set(&file.person_titles),
            org_heads: set(&file.org_heads),
            location_heads: set(&file.location_heads),
            speech_verbs: set(&file.speech_verbs),
            speech_participles: set(&file.speech_participles),
            speech_adverbs: set(&file.speech_adverbs),
            org_phrases: aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(&file.org_lowercase)
                .expect("org_lowercase phrases build an automaton"),
            attribution_words: attribution_words(&file),
            file,
        }
    }

    /// True when a whole line is a known piece of page furniture.
    pub fn is_furniture(&self, line: &str) -> bool {
        // Folding keeps every character but white space and dashes as at least one character,
        // so a line with more of them than the longest entry has cannot be one; every
        // paragraph of every article is asked, and folding a whole paragraph costs.
        let kept = line.chars().filter(|c| !c.is_whitespace() && !crate::text::folds_to_dash(*c)).take(self.furniture_chars + 1).count();
        kept <= self.furniture_chars && self.furniture.contains(&fold_for_compare(line))
    }
}

/// How often a capitalised token was tagged as each type in the CoNLL-2003 training data.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenCounts {
    pub per: u32,
    pub loc: u32,
    pub org: u32,
    pub misc: u32,
    pub o: u32,
}

impl TokenCounts {
    pub fn total(&self) -> u32 {
        self.per + self.loc + self.org + self.misc + self.o
    }
}

pub struct Lexicon {
    pub gazetteer: Gazetteer,
    pub orgs: OrgList,
    pub cues: Cues,
    pub tokens: HashMap<String, TokenCounts>,
    pub given_names: HashSet<String>,
    /// Given names of the 1990 US Census: evidence of a name for the annotator's checks, not a
    /// list the tagger's features use.
    pub census_given_names: HashSet<String>,
    /// Lower-case words and their counts: evidence that a capitalised word is an ordinary word.
    pub lowercase: HashMap<String, u32>,
    /// Common English words (wordfreq, Zipf frequency 3.5 and over) and their Zipf frequency
    /// times ten: how common a word is in ordinary writing of every kind.
    pub common: HashMap<String, u8>,
}

static LEXICON: crate::memory::Loaded<Lexicon> = crate::memory::Loaded::new(Lexicon::load);

impl Lexicon {
    /// The compiled-in knowledge, parsed on first use.
    pub fn get() -> std::sync::Arc<Lexicon> {
        LEXICON.get()
    }

    /// Lets the knowledge go once a large build has resolved its articles
    /// (`crate::memory::Loaded`); returns it, to be dropped off the build's path.
    pub fn release() -> Option<std::sync::Arc<Lexicon>> {
        LEXICON.release()
    }

    fn load() -> Lexicon {
        let cues: CueFile = toml::from_str(include_str!("../../data/cues.toml")).expect("data/cues.toml is valid TOML");
        let cues = Cues::new(cues);
        let gazetteer = Gazetteer::load();
        let orgs = OrgList::load();
        let mut tokens = HashMap::default();
        for line in include_str!("../../data/lexicon/tokens.tsv").lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 6 {
                continue;
            }
            let n = |i: usize| f[i].parse().unwrap_or(0);
            tokens.insert(f[0].to_string(), TokenCounts { per: n(1), loc: n(2), org: n(3), misc: n(4), o: n(5) });
        }
        let given_names = include_str!("../../data/lexicon/given_names.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        let census_given_names = include_str!("../../data/lexicon/census_given_names.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        let lowercase = include_str!("../../data/lexicon/lowercase.tsv")
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once('\t'))
            .map(|(w, c)| (w.to_string(), c.trim().parse().unwrap_or(0)))
            .collect();
        let common = include_str!("../../data/lexicon/common_words.tsv")
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once('\t'))
            .map(|(w, z)| (w.to_string(), (z.trim().parse::<f32>().unwrap_or(0.0) * 10.0).round() as u8))
            .collect();
        Lexicon { gazetteer, orgs, cues, tokens, given_names, census_given_names, lowercase, common }
    }

    /// How common a word is in lower case (0 when never seen so).
    pub fn lowercase_count(&self, word: &str) -> u32 {
        self.lowercase.get(&word.to_lowercase()).copied().unwrap_or(0)
    }

    /// The Zipf frequency of a word in ordinary writing, case folded (0 when under 3.5).
    pub fn zipf(&self, word: &str) -> f32 {
        let lower;
        let w = if word.chars().any(char::is_uppercase) {
            lower = word.to_lowercase();
            lower.as_str()
        } else {
            word
        };
        f32::from(self.common.get(w).copied().unwrap_or(0)) / 10.0
    }

    pub fn token(&self, word: &str) -> TokenCounts {
        self.tokens.get(word).copied().unwrap_or_default()
    }
}
