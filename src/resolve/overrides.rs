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

use serde::Deserialize;
use rustc_hash::FxHashMap;
use std::path::Path;

use crate::error::FileError;
use crate::model::EntityKind;
use crate::text::Span;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    entity: Vec<EntityFile>,
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
        Ok(Overrides { ignore: file.ignore.iter().map(|s| super::name_key(s)).collect(), by_key, typed, matcher })
    }

    /// Whole-word occurrences of typed override names in `text[span]`, with their kinds.
    pub fn occurrences(&self, text: &str, span: Span) -> Vec<(Span, EntityKind)> {
        let Some(m) = &self.matcher else { return Vec::new() };
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        m.find_iter(&text[span.start..span.end])
            .map(|f| (Span::new(span.start + f.start(), span.start + f.end()), self.typed[f.pattern().as_usize()].1))
            .filter(|(s, _)| !word(text[..s.start].chars().next_back()) && !word(text[s.end..].chars().next()))
            .collect()
    }

    // Both skip the name key (the costliest step of resolving) when the list they look in is
    // empty, as it is in most archives.
    pub fn ignored(&self, name: &str) -> bool {
        !self.ignore.is_empty() && self.ignore.contains(&super::name_key(name))
    }

    pub fn entity_for(&self, name: &str) -> Option<&Override> {
        if self.by_key.is_empty() {
            return None;
        }
        self.by_key.get(&super::name_key(name))
    }
}
