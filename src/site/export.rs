//! The archive's data for tools and reviewers: every article and entity as JSON. Offsets are
//! Unicode code points into the source file's text, so `text[start:end]` holds in Python.
//!
//! `data/archive.json` is the entry point a tool opens first, small and the same from build to
//! build while the archive's size stays: its format and version, the counts, and for the
//! articles and the entities the shards that hold them, in order, each with its path (relative
//! to `archive.json` itself), the place of its first item and how many it holds:
//!
//! ```json
//! {"format": "dossier-archive", "version": 2, "offsets": "unicode code points",
//!  "articles": {"count": 250, "per_shard": 100, "shards": [{"path": "archive/articles/0000.jsonl", "first": 0, "count": 100}, …]},
//!  "entities": {"count": 1200, "per_shard": 1000, "shards": [{"path": "archive/entities/0000.jsonl", "first": 0, "count": 1000}, …]}}
//! ```
//!
//! The shards are JSON Lines, one compact object a line: `data/archive/articles/NNNN.jsonl`
//! holds `ARTICLES_PER_SHARD` articles in input order (`article_json`), so an article's archive
//! shard has the number of its Web Annotation shard (`annotations.rs`), and
//! `data/archive/entities/NNNN.jsonl` `ENTITIES_PER_SHARD` entities in the archive's entity
//! order (`entities_json`). Concatenated in the index's order, the lines of each kind are the
//! whole list. Shards rather than one file: the single `archive.json` grew with the archive
//! (87 MB at 10,000 articles) and an edit of one article rewrote all of it; now every file is
//! bounded and an edit rewrites the shard of the article (and of the entities whose lines
//! changed), and the index only when a count changes.

use serde::Serialize;

use super::context::article_url;
use crate::model::{Article, DateExpr, Entity, NoteKind};
use crate::text::CharMap;

// The shapes of the archive's lines. Typed rather than `json!` values: building a map per mention
// for every article was a tenth of an incremental build. Fields are in alphabetical order, the
// order the lines have always had (serde_json's maps sort their keys).

/// A date expression as the archive and `dossier annotate` give it.
#[derive(Serialize)]
pub struct DateJson<'a> {
    anchor: &'a str,
    end: usize,
    exact: bool,
    note: &'a Option<String>,
    precision: &'a str,
    rule: &'a str,
    start: usize,
    text: &'a str,
    value: &'a str,
}

pub fn date_json<'a>(d: &'a DateExpr, text: &'a str, map: &CharMap) -> DateJson<'a> {
    DateJson {
        anchor: d.anchor,
        end: map.char_offset(d.span.end),
        exact: d.exact,
        note: &d.note,
        precision: d.precision,
        rule: d.rule,
        start: map.char_offset(d.span.start),
        text: d.span.get(text),
        value: &d.value,
    }
}

#[derive(Serialize)]
struct MentionJson<'a> {
    end: usize,
    entity: &'a str,
    rule: &'a str,
    score: f64,
    start: usize,
    text: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct NoteJson<'a> {
    kind: NoteKind,
    line: Option<usize>,
    message: &'a str,
}

/// One article as its line of an article shard gives it.
#[derive(Serialize)]
pub struct ArticleJson<'a> {
    dateline: Option<&'a str>,
    dates: Vec<DateJson<'a>>,
    id: &'a str,
    mentions: Vec<MentionJson<'a>>,
    notes: Vec<NoteJson<'a>>,
    published: &'a Option<String>,
    quotes: Vec<QuoteJson<'a>>,
    publisher: &'a Option<String>,
    /// The file's path from the input folder, with '/' between folders (never the local path).
    source: &'a str,
    title: &'a str,
    title_derived: bool,
    url: String,
}

/// One statement as an article's line lists it: offsets in code points, like the mentions.
#[derive(Serialize)]
struct QuoteJson<'a> {
    cue: Option<&'a str>,
    direct: bool,
    end: usize,
    /// The id of the entity the speaker stands for, or null when nothing says who it is.
    entity: Option<&'a str>,
    speaker: Option<&'a str>,
    speaker_end: Option<usize>,
    speaker_start: Option<usize>,
    start: usize,
}

/// The statements of an article, each with the entity its speaker stands for
/// (`statements::speaker`, which the site's pages use too).
fn quotes_json<'a>(a: &'a Article, entities: &'a [Entity], map: &CharMap) -> Vec<QuoteJson<'a>> {
    let text = &a.source.text;
    a.quotes
        .iter()
        .map(|q| {
            let entity = super::statements::speaker(a, q).map(|e| entities[e].id.as_str());
            QuoteJson {
                cue: q.cue.map(|c| c.get(text)),
                direct: q.direct,
                end: map.char_offset(q.content.end),
                entity,
                speaker: q.speaker.map(|s| s.get(text)),
                speaker_end: q.speaker.map(|s| map.char_offset(s.end)),
                speaker_start: q.speaker.map(|s| map.char_offset(s.start)),
                start: map.char_offset(q.content.start),
            }
        })
        .collect()
}

pub fn article_json<'a>(a: &'a Article, entities: &'a [Entity]) -> ArticleJson<'a> {
    let text = &a.source.text;
    let map = CharMap::new(text);
    let mentions = a
        .mentions
        .iter()
        .map(|m| MentionJson {
            end: map.char_offset(m.span.end),
            entity: &entities[m.entity].id,
            rule: m.rule,
            score: (f64::from(m.score) * 100.0).round() / 100.0,
            start: map.char_offset(m.span.start),
            text: m.span.get(text),
            kind: m.kind.as_str(),
        })
        .collect();
    ArticleJson {
        dateline: a.dateline.as_ref().map(|d| d.text.as_str()),
        dates: a.dates.iter().map(|d| date_json(d, text, &map)).collect(),
        id: &a.id,
        mentions,
        notes: a.notes.iter().map(|n| NoteJson { kind: n.kind, line: n.line, message: &n.message }).collect(),
        published: &a.published,
        quotes: quotes_json(a, entities, &map),
        publisher: &a.source.meta.publisher,
        source: &a.source.rel,
        title: &a.title,
        title_derived: a.title_derived,
        url: article_url(a),
    }
}

/// One entity as its line of an entity shard gives it.
#[derive(Serialize)]
struct EntityJson<'a> {
    aliases: &'a [String],
    articles: Vec<&'a str>,
    id: &'a str,
    mentions: usize,
    name: &'a str,
    /// A map rather than the struct, for its keys in alphabetical order like the rest.
    place: serde_json::Value,
    #[serde(rename = "type")]
    kind: &'static str,
    url: String,
}

/// The entities' lines of the entity shards, each compact JSON, in the entities' order.
pub fn entities_json(articles: &[Article], entities: &[Entity]) -> Vec<String> {
    use rayon::prelude::*;
    entities
        .par_iter()
        .map(|e| {
            let item = EntityJson {
                aliases: &e.aliases,
                articles: e.articles.iter().map(|i| articles[*i].id.as_str()).collect(),
                id: &e.id,
                mentions: e.mention_count,
                name: &e.name,
                place: serde_json::to_value(&e.place).expect("a place serialises"),
                kind: e.kind.as_str(),
                url: e.url(),
            };
            serde_json::to_string(&item).expect("an entity serialises")
        })
        .collect()
}

/// Articles per shard of `data/archive/articles/`: the same as the Web Annotation shards, so
/// that article `i` is in shard `i / ARTICLES_PER_SHARD` of both (about 1 MB with 100
/// articles of the bench corpus).
pub const ARTICLES_PER_SHARD: usize = super::annotations::SHARD;

/// Entities per shard of `data/archive/entities/`: an entity's line is small (its articles' ids
/// are most of it), and an archive names about two entities an article.
pub const ENTITIES_PER_SHARD: usize = 1000;

/// The site path of the index, the file a tool opens first.
pub const INDEX: &str = "data/archive.json";

/// What the index says its format is, and its version (1 was the single `archive.json` that
/// held every article and entity itself).
const FORMAT: &str = "dossier-archive";
const VERSION: u32 = 2;

/// The site path of article shard `k`.
pub fn article_shard_path(k: usize) -> String {
    format!("data/archive/articles/{k:04}.jsonl")
}

/// The site path of entity shard `k`.
pub fn entity_shard_path(k: usize) -> String {
    format!("data/archive/entities/{k:04}.jsonl")
}

/// The site path of the shard that holds the article at `i` in input order.
pub fn article_shard_of(i: usize) -> String {
    article_shard_path(i / ARTICLES_PER_SHARD)
}

/// The items of shard `k` of `len` items in shards of `per_shard`.
pub fn shard_range(k: usize, per_shard: usize, len: usize) -> std::ops::Range<usize> {
    k * per_shard..((k + 1) * per_shard).min(len)
}

/// An article shard: the line of each article, in order, each ended by a line break.
pub fn article_shard(articles: &[Article], entities: &[Entity]) -> Vec<u8> {
    let mut out = Vec::with_capacity(articles.len() * 8 * 1024);
    for a in articles {
        serde_json::to_writer(&mut out, &article_json(a, entities)).expect("an article serialises");
        out.push(b'\n');
    }
    out
}

/// An entity shard: the lines `entities_json` made, each ended by a line break.
pub fn entity_shard(lines: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for line in lines {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

/// One shard as the index lists it.
#[derive(Serialize)]
struct ShardEntry {
    /// Relative to `archive.json`, with '/' between folders.
    path: String,
    /// The place of its first item in the whole list, from 0.
    first: usize,
    count: usize,
}

/// The shards of `count` items, `per_shard` a shard, as the index lists them.
fn shard_entries(count: usize, per_shard: usize, path: fn(usize) -> String) -> Vec<ShardEntry> {
    (0..count.div_ceil(per_shard))
        .map(|k| {
            let range = shard_range(k, per_shard, count);
            // Site paths start `data/`, the index's own folder.
            let path = path(k).strip_prefix("data/").expect("shards are under data/").to_string();
            ShardEntry { path, first: range.start, count: range.len() }
        })
        .collect()
}

/// `data/archive.json`, ending in a line break. Indented for people finding their way, but a
/// shard a line: the list of shards is the only part that grows with the archive (about 60
/// bytes a hundred articles). It depends on the counts alone, so an edit leaves it as it was.
pub fn index_json(articles: usize, entities: usize) -> Vec<u8> {
    let mut out = format!("{{\n  \"format\": {},\n  \"version\": {VERSION},\n  \"offsets\": \"unicode code points\",\n", compact(FORMAT));
    let kinds = [("articles", articles, ARTICLES_PER_SHARD, article_shard_path as fn(usize) -> String), ("entities", entities, ENTITIES_PER_SHARD, entity_shard_path)];
    for (n, (kind, count, per_shard, path)) in kinds.into_iter().enumerate() {
        out.push_str(&format!("  \"{kind}\": {{\n    \"count\": {count},\n    \"per_shard\": {per_shard},\n    \"shards\": ["));
        let shards = shard_entries(count, per_shard, path);
        for (k, shard) in shards.iter().enumerate() {
            out.push_str(if k == 0 { "\n      " } else { ",\n      " });
            out.push_str(&compact(shard));
        }
        out.push_str(if shards.is_empty() { "]\n  }" } else { "\n    ]\n  }" });
        out.push_str(if n == 0 { ",\n" } else { "\n}\n" });
    }
    out.into_bytes()
}

/// A part of the index as compact JSON.
fn compact<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("the index serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_lists_every_shard_relative_to_itself() {
        let index: serde_json::Value = serde_json::from_slice(&index_json(250, 1000)).unwrap();
        assert_eq!(index["format"], "dossier-archive");
        let shards = index["articles"]["shards"].as_array().unwrap();
        let listed: Vec<(&str, u64, u64)> = shards.iter().map(|s| (s["path"].as_str().unwrap(), s["first"].as_u64().unwrap(), s["count"].as_u64().unwrap())).collect();
        assert_eq!(listed, [("archive/articles/0000.jsonl", 0, 100), ("archive/articles/0001.jsonl", 100, 100), ("archive/articles/0002.jsonl", 200, 50)]);
        assert_eq!(index["entities"]["shards"].as_array().unwrap().len(), 1, "a full last shard and no empty one");
        let empty: serde_json::Value = serde_json::from_slice(&index_json(0, 0)).unwrap();
        assert_eq!(empty["articles"]["shards"], serde_json::json!([]), "an empty archive has no shards");
    }
}
