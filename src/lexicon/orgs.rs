//! The curated list of well-known organisations and their aliases (`data/organisations.toml`;
//! its inclusion rule is written at its top).

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;
use rustc_hash::FxHashMap as HashMap;

#[derive(Debug, Clone, Deserialize)]
pub struct OrgEntry {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub country: String,
}

#[derive(Deserialize)]
struct OrgFile {
    organisation: Vec<OrgEntry>,
}

pub struct OrgList {
    pub entries: Vec<OrgEntry>,
    patterns: Vec<u32>,
    matcher: AhoCorasick,
    by_lower: HashMap<String, u32>,
}

impl OrgList {
    pub fn load() -> OrgList {
        let file: OrgFile = toml::from_str(include_str!("../../data/organisations.toml")).expect("data/organisations.toml is valid");
        let mut names = Vec::new();
        let mut patterns = Vec::new();
        let mut by_lower = HashMap::default();
        for (i, e) in file.organisation.iter().enumerate() {
            for n in std::iter::once(&e.name).chain(e.aliases.iter()) {
                let n = n.trim();
                if n.chars().count() < 2 {
                    continue;
                }
                names.push(n.to_string());
                patterns.push(i as u32);
                by_lower.entry(n.to_lowercase()).or_insert(i as u32);
            }
        }
        let matcher = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&names).expect("organisation names build an automaton");
        OrgList { entries: file.organisation, patterns, matcher, by_lower }
    }

    /// Every listed name or alias in `text`, case-sensitive: (start, end, organisation index).
    pub fn find_iter<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, usize, u32)> + 'a {
        self.matcher.find_iter(text).map(|m| (m.start(), m.end(), self.patterns[m.pattern().as_usize()]))
    }

    pub fn lookup(&self, name: &str) -> Option<u32> {
        self.by_lower.get(&name.to_lowercase()).copied()
    }

    pub fn get(&self, id: u32) -> &OrgEntry {
        &self.entries[id as usize]
    }
}
