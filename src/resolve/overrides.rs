//! The archive's own corrections, `entities.toml`, so an archivist can fix the annotator
//! without touching code:
//!
//! ```toml
//! ignore = ["Breadcrumb", "Terra Scientia"]   # never mark these
//!
//! [[entity]]                                  # merge spellings, force a type or a name
//! name = "Sergei Lavrov"
//! type = "person"                             # optional
//! aliases = ["Lavrov", "S. Lavrov"]
//! ```
//!
//! An entity with a `type` is also marked wherever its name or an alias occurs as whole words
//! and the annotator missed it: that is how a reviewer's "missed entity" takes effect.
//!
//! A statement's speaker can be corrected:
//!
//! ```toml
//! [[speaker]]
//! article = "003-3f0041f714c9591c"   # the article's id (articles/ID.html); optional
//! speaker = "the minister"           # the speaker's words in the text; optional
//! quote = "We will discuss"          # the statement's first words; optional
//! entity = "Sergei Lavrov"           # who said it; "" = nobody the archive knows
//! ```
//!
//! Each statement that matches every field given (at least one) is said by `entity`: the
//! mention of that entity in the same article nearest before the statement (else the first
//! after) becomes its speaker's antecedent. An entity the article does not mention cannot be
//! its speaker, and the correction leaves such a statement alone.

use serde::Deserialize;
use rustc_hash::FxHashMap;
use std::path::Path;

use crate::error::FileError;
use crate::model::{Article, Entity, EntityKind, Quote};
use crate::text::Span;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    entity: Vec<EntityFile>,
    #[serde(default)]
    speaker: Vec<SpeakerFix>,
}

/// A `[[speaker]]` correction (see the module's documentation).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerFix {
    pub article: Option<String>,
    pub speaker: Option<String>,
    pub quote: Option<String>,
    pub entity: String,
}

impl SpeakerFix {
    /// Whether statement `q` of article `a` is one this correction is about.
    fn matches(&self, a: &Article, q: &Quote) -> bool {
        let text = a.text();
        let text: &str = &text;
        let words = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ");
        let said = q.speaker.map(|s| words(s.get(text)));
        let opening = || words(q.content.get(text).trim_start_matches(|c: char| !c.is_alphanumeric()));
        self.article.as_ref().is_none_or(|id| *id == a.id)
            && self.speaker.as_ref().is_none_or(|s| said.as_deref() == Some(words(s).as_str()))
            && self.quote.as_ref().is_none_or(|w| opening().starts_with(&words(w.trim_start_matches(|c: char| !c.is_alphanumeric()))))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityFile {
    name: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    /// A place's GeoNames id, or its coordinates, to pin it.
    geonames: Option<u64>,
    lat: Option<f64>,
    lon: Option<f64>,
}

/// Where an archivist pinned a place.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pin {
    GeoNames(u64),
    /// Latitude, longitude.
    Point(f64, f64),
}

#[derive(Debug, Clone)]
pub struct Override {
    pub name: String,
    pub kind: Option<EntityKind>,
    pub pin: Option<Pin>,
}

#[derive(Debug, Default)]
pub struct Overrides {
    ignore: Vec<String>,
    by_key: FxHashMap<String, Override>,
    /// Names and aliases of typed entities, to mark where the annotator missed them.
    typed: Vec<(String, EntityKind)>,
    matcher: Option<aho_corasick::AhoCorasick>,
    speakers: Vec<SpeakerFix>,
    /// A hash of the file's text (zeros for no file): what resolving an article from the cache
    /// is keyed on, beside the article (`super::Memo`).
    source: [u8; 32],
}

impl Overrides {
    /// Reads the overrides; a missing file means none.
    pub fn load(path: &Path) -> Result<Overrides, FileError> {
        if !path.is_file() {
            return Ok(Overrides::default());
        }
        let text = std::fs::read_to_string(path).map_err(|e| FileError::new(path, format!("cannot read: {e}")))?;
        Self::parse(&text).map_err(|(line, msg)| FileError::new(path, msg).at_line(line))
    }

    pub fn parse(text: &str) -> Result<Overrides, (Option<usize>, String)> {
        let file: File = toml::from_str(text).map_err(|e| (e.span().map(|s| crate::error::line_of(text, s.start)), e.message().trim().to_string()))?;
        let mut by_key = FxHashMap::default();
        let mut typed = Vec::new();
        for e in file.entity {
            let kind = match &e.kind {
                Some(k) => Some(EntityKind::parse(k).ok_or((None, format!("entity {:?}: type must be location, organisation or person, not {k:?}", e.name)))?),
                None => None,
            };
            let pin = match (e.geonames, e.lat, e.lon) {
                (Some(g), None, None) => Some(Pin::GeoNames(g)),
                (None, Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => Some(Pin::Point(lat, lon)),
                (None, None, None) => None,
                _ => return Err((None, format!("entity {:?}: pin a place with either geonames = ID or both lat and lon (latitude -90..90, longitude -180..180)", e.name))),
            };
            if pin.is_some() && kind.is_some_and(|k| k != EntityKind::Location) {
                return Err((None, format!("entity {:?}: only a location can be pinned to a place", e.name)));
            }
            let kind = if pin.is_some() { Some(EntityKind::Location) } else { kind };
            let o = Override { name: e.name.clone(), kind, pin };
            for n in std::iter::once(&e.name).chain(e.aliases.iter()) {
                by_key.insert(super::name_key(n), o.clone());
                if let Some(k) = kind.filter(|_| !n.trim().is_empty()) {
                    typed.push((n.trim().to_string(), k));
                }
            }
        }
        let matcher = (!typed.is_empty()).then(|| {
            aho_corasick::AhoCorasick::builder().match_kind(aho_corasick::MatchKind::LeftmostLongest).build(typed.iter().map(|(n, _)| n)).expect("override names build a matcher")
        });
        if let Some(f) = file.speaker.iter().find(|f| f.article.is_none() && f.speaker.is_none() && f.quote.is_none()) {
            return Err((None, format!("speaker {:?}: say which statements (article, speaker or quote), or it would change them all", f.entity)));
        }
        let source = *blake3::hash(text.as_bytes()).as_bytes();
        Ok(Overrides { ignore: file.ignore.iter().map(|s| super::name_key(s)).collect(), by_key, typed, matcher, speakers: file.speaker, source })
    }

    /// Stands for everything the overrides say (see `source`).
    pub fn source_hash(&self) -> &[u8; 32] {
        &self.source
    }

    /// Whole-word occurrences of typed override names in `text[span]`, with their kinds.
    pub fn occurrences(&self, text: &str, span: Span) -> Vec<(Span, EntityKind)> {
        let Some(m) = &self.matcher else { return Vec::new() };
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        m.find_iter(&text[span.start()..span.end()])
            .map(|f| (Span::new(span.start() + f.start(), span.start() + f.end()), self.typed[f.pattern().as_usize()].1))
            .filter(|(s, _)| !word(text[..s.start()].chars().next_back()) && !word(text[s.end()..].chars().next()))
            .collect()
    }

    // Both skip the name key (the costliest step of resolving) when the list they look in is
    // empty, as it is in most archives.
    pub fn ignored(&self, name: &str) -> bool {
        !self.ignore.is_empty() && self.ignore.contains(&super::name_key(name))
    }

    /// Applies the `[[speaker]]` corrections to the resolved articles, in file order (a later
    /// one wins): each matching statement's antecedent becomes a mention of the named entity
    /// in its article (the nearest before it, else the first), or none for `entity = ""`.
    pub fn correct_speakers(&self, articles: &mut [Article], entities: &[Entity]) {
        if self.speakers.is_empty() {
            return;
        }
        let named = |e: &Entity, key: &str| super::name_key(&e.name) == key || e.aliases.iter().any(|al| super::name_key(al) == key);
        for fix in &self.speakers {
            let key = super::name_key(&fix.entity);
            for a in articles.iter_mut().filter(|a| fix.article.as_ref().is_none_or(|id| *id == a.id)) {
                for i in 0..a.quotes.len() {
                    if !fix.matches(a, &a.quotes[i]) {
                        continue;
                    }
                    let start = a.quotes[i].content.start();
                    let of_entity = || a.mentions.iter().filter(|m| named(&entities[m.entity], &key));
                    let target = if fix.entity.trim().is_empty() {
                        None
                    } else {
                        match of_entity().filter(|m| m.span.start() < start).last().or_else(|| of_entity().next()) {
                            Some(m) => Some(m.span),
                            None => continue,
                        }
                    };
                    a.quotes[i].antecedent = target;
                }
            }
        }
    }

    pub fn entity_for(&self, name: &str) -> Option<&Override> {
        if self.by_key.is_empty() {
            return None;
        }
        self.by_key.get(&super::name_key(name))
    }
}
