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

use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

use crate::error::FileError;
use crate::model::EntityKind;

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
}

#[derive(Debug, Clone)]
pub struct Override {
    pub name: String,
    pub kind: Option<EntityKind>,
}

#[derive(Debug, Default)]
pub struct Overrides {
    ignore: Vec<String>,
    by_key: HashMap<String, Override>,
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
        let mut by_key = HashMap::new();
        for e in file.entity {
            let kind = match &e.kind {
                Some(k) => Some(EntityKind::parse(k).ok_or((None, format!("entity {:?}: type must be location, organisation or person, not {k:?}", e.name)))?),
                None => None,
            };
            let o = Override { name: e.name.clone(), kind };
            for n in std::iter::once(&e.name).chain(e.aliases.iter()) {
                by_key.insert(super::name_key(n), o.clone());
            }
        }
        Ok(Overrides { ignore: file.ignore.iter().map(|s| super::name_key(s)).collect(), by_key })
    }

    pub fn ignored(&self, name: &str) -> bool {
        let k = super::name_key(name);
        self.ignore.contains(&k)
    }

    pub fn entity_for(&self, name: &str) -> Option<&Override> {
        self.by_key.get(&super::name_key(name))
    }
}
