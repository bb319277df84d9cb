//! The keys that stand for what pages show of an article or an entity: a page whose inputs
//! hash to its last build's key is kept by the writer (`SiteWriter::keep`). Made once per
//! build from the resolved archive, shared by the pages, the search files and the exports.

use crate::cache::Key;
use crate::model::{Article, Entity};

/// Stands for what an article's pages show of an entity it mentions: name, address, kind, place.
pub fn entity_link_key(e: &Entity) -> Key {
    let mut h = crate::cache::Hasher::new("entity link");
    // The address too: it moves to the index when the entity drops below
    // `entity_page_min_articles`, and to a letter page when its type's A–Z splits.
    h.part(e.id.as_bytes()).part(e.name.as_bytes()).part(e.kind.as_str().as_bytes()).part(e.url().as_bytes());
    h.json(&e.place)
}

/// Stands for what lists of entities show of entity `i` (`entity_summary`): its link key and
/// its counts, as bytes to be hashed with others.
pub fn entity_summary_part(buf: &mut Vec<u8>, entities: &[Entity], entity_keys: &[Key], i: usize) {
    buf.extend_from_slice(&entity_keys[i]);
    buf.extend_from_slice(&(entities[i].articles.len() as u64).to_le_bytes());
    buf.extend_from_slice(&(entities[i].mention_count as u64).to_le_bytes());
}

/// Stands for everything an article's own pages show: its file (`a.key`: text, path, metadata,
/// from which cleaning and annotation follow), its id and title, and each mention with the
/// entity it links to (`entity_keys`, from `entity_link_key`). Not the entities' counts or
/// other articles.
pub fn article_view_key(a: &Article, entity_keys: &[Key]) -> Key {
    let mut h = crate::cache::Hasher::new("article view");
    h.part(&a.key).part(a.id.as_bytes()).part(a.title.as_bytes());
    // The mentions as one part of fixed-width fields (the rule and kind names ended by a zero
    // byte, as they hold none), each naming its entity by its place among the article's
    // entities in order of first mention; then those entities' keys, once each. A key per
    // mention made this the largest thing an edit hashed (40 MB at 10,000 articles).
    let mut linked: Vec<usize> = Vec::new();
    let mut buf = Vec::with_capacity(a.mentions.len() * 40);
    for m in &a.mentions {
        let slot = linked.iter().position(|&e| e == m.entity).unwrap_or_else(|| {
            linked.push(m.entity);
            linked.len() - 1
        });
        buf.extend_from_slice(&(m.span.start() as u64).to_le_bytes());
        buf.extend_from_slice(&(m.span.end() as u64).to_le_bytes());
        buf.extend_from_slice(&(slot as u64).to_le_bytes());
        buf.extend_from_slice(&m.score.to_le_bytes());
        for name in [m.rule.as_str(), m.kind.as_str()] {
            buf.extend_from_slice(name.as_bytes());
            buf.push(0);
        }
    }
    h.part(&buf);
    buf.clear();
    super::statements::key_part(a, &mut buf);
    h.part(&buf);
    buf.clear();
    for e in linked {
        buf.extend_from_slice(&entity_keys[e]);
    }
    h.part(&buf).finish()
}
