//! `data/archive.json`: every article and entity, for tools and reviewers. Offsets are Unicode
//! code points into the source file's text, so `text[start:end]` holds in Python.

use serde::Serialize;
use std::io::Write;

use super::parts::{self, PART_ARTICLES, PART_ENTITIES};
use crate::output::PieceWriter;
use crate::cache::Key;
use crate::index::urls::article_url;
use crate::model::{Article, DateExpr, Entity, NoteKind, SourceNote};
use crate::text::CharMap;

// The shapes of `archive.json`. Typed rather than `json!` values: building a map per mention
// for every article was a tenth of an incremental build. Fields are in alphabetical order, the
// order the file has always had (serde_json's maps sort their keys).

/// A date expression as `archive.json` and `dossier annotate` give it.
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
        end: map.char_offset(d.span.end()),
        exact: d.exact,
        note: &d.note,
        precision: d.precision,
        rule: d.rule,
        start: map.char_offset(d.span.start()),
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

/// One article as `archive.json` lists it; its data page shows the same object.
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

/// One statement as `archive.json` lists it: offsets in code points, like the mentions.
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
/// (`index::statements::speaker`, which the site's pages use too).
fn quotes_json<'a>(a: &'a Article, text: &'a str, entities: &'a [Entity], map: &CharMap) -> Vec<QuoteJson<'a>> {
    a.quotes
        .iter()
        .map(|q| {
            let entity = crate::index::statements::speaker(a, q).map(|e| entities[e].id.as_str());
            QuoteJson {
                cue: q.cue.map(|c| c.get(text)),
                direct: q.direct,
                end: map.char_offset(q.content.end()),
                entity,
                speaker: q.speaker.map(|s| s.get(text)),
                speaker_end: q.speaker.map(|s| map.char_offset(s.end())),
                speaker_start: q.speaker.map(|s| map.char_offset(s.start())),
                start: map.char_offset(q.content.start()),
            }
        })
        .collect()
}

/// `text` is the article's (`Article::text`) and `notes` its cleaning notes
/// (`Detail::notes`), read by the caller.
pub fn article_json<'a>(a: &'a Article, text: &'a str, notes: &'a [SourceNote], entities: &'a [Entity]) -> ArticleJson<'a> {
    let map = CharMap::new(text);
    let mentions = a
        .mentions
        .iter()
        .map(|m| MentionJson {
            end: map.char_offset(m.span.end()),
            entity: &entities[m.entity].id,
            rule: m.rule.as_str(),
            score: (f64::from(m.score) * 100.0).round() / 100.0,
            start: map.char_offset(m.span.start()),
            text: m.span.get(text),
            kind: m.kind.as_str(),
        })
        .collect();
    ArticleJson {
        dateline: a.dateline.as_ref().map(|d| d.text.as_str()),
        dates: a.dates.iter().map(|d| date_json(d, text, &map)).collect(),
        id: &a.id,
        mentions,
        notes: notes.iter().map(|n| NoteJson { kind: n.kind, line: n.line, message: &n.message }).collect(),
        published: &a.published,
        quotes: quotes_json(a, text, entities, &map),
        publisher: &a.source.meta.publisher,
        source: &a.source.rel,
        title: &a.title,
        title_derived: a.title_derived,
        url: article_url(a),
    }
}

/// One entity as `archive.json` lists it.
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

/// The entities as `archive.json` lists them, each as one line of compact JSON.
pub fn entities_json(articles: &[Article], entities: &[Entity]) -> Vec<String> {
    use rayon::prelude::*;
    entities.par_iter().map(|e| serde_json::to_string(&entity_json(articles, e)).expect("an entity serialises")).collect()
}

fn entity_json<'a>(articles: &'a [Article], e: &'a Entity) -> EntityJson<'a> {
    EntityJson {
        aliases: &e.aliases,
        articles: e.articles.iter().map(|i| articles[*i].id.as_str()).collect(),
        id: &e.id,
        mentions: e.mention_count,
        name: &e.name,
        place: serde_json::to_value(&e.place).expect("a place serialises"),
        kind: e.kind.as_str(),
        url: e.url(),
    }
}

/// How the archive is written: `data/archive.json` whole, or as a list of parts
/// (`data/archive/articles-NNNN.json`, `data/archive/entities-NNNN.json`) when whole it would
/// pass `parts::whole_limit` (see `parts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Whole,
    Parts,
}

impl Layout {
    /// The file that lists the article at `i` (in input order), from the site root.
    pub fn article_file(self, i: usize) -> String {
        match self {
            Layout::Whole => "data/archive.json".to_string(),
            Layout::Parts => article_part_path(i / PART_ARTICLES),
        }
    }
}

pub fn article_part_path(k: usize) -> String {
    parts::part_path("articles", k, "json")
}

pub fn entity_part_path(k: usize) -> String {
    parts::part_path("entities", k, "json")
}

/// Items of a JSON array, one per line.
fn separator(i: usize) -> &'static [u8] {
    if i == 0 { b"\n" } else { b",\n" }
}

/// The key of the piece of a file's `i`th article, its line with the separator before it, so
/// that the pieces of unchanged articles lie end to end and are copied as one run. The first
/// article's separator differs: its piece has a key of its own (`key` with its last byte
/// flipped).
fn piece_key(i: usize, key: &Key) -> Key {
    let mut k = *key;
    if i == 0 {
        k[31] ^= 0xff;
    }
    k
}

fn article_line(a: &Article, entities: &[Entity]) -> Vec<u8> {
    serde_json::to_vec(&article_json(a, &a.text(), &a.detail.get().notes, entities))
        .expect("an article serialises")
}

/// Whether `data/archive.json` whole would hold at most `limit` bytes. An article's line is
/// measured from `known`, the lengths of the last build's pieces by key, else made and
/// counted; the entities' lines are counted only if the articles' fit (the lines themselves
/// are made later, by the stage that writes them: at 100,000 articles they are 75 MB).
pub fn layout(articles: &[Article], entities: &[Entity], keys: &[Key], known: &rustc_hash::FxHashMap<Key, u64>, limit: u64) -> Layout {
    const FRAME: usize = b"{\"articles\":[".len() + b"\n],\n\"entities\":[".len() + b"\n]}\n".len();
    let len = |i: usize| {
        // A piece holds its separator: a first article's is one byte shorter.
        let known = known.get(&keys[i]).copied().or_else(|| known.get(&piece_key(0, &keys[i])).map(|n| n + 1));
        let line = known.map(|n| n - 2).unwrap_or_else(|| {
            let a = &articles[i];
            let mut n = parts::Counter::default();
            serde_json::to_writer(&mut n, &article_json(a, &a.text(), &a.detail.get().notes, entities)).expect("an article serialises");
            n.0
        });
        separator(i).len() as u64 + line
    };
    let entity_len = |j: usize| {
        let mut n = parts::Counter::default();
        serde_json::to_writer(&mut n, &entity_json(articles, &entities[j])).expect("an entity serialises");
        (separator(j).len() as u64) + n.0
    };
    match parts::fits(FRAME as u64, articles.len(), len, limit).and_then(|total| parts::fits(total, entities.len(), entity_len, limit)) {
        Some(_) => Layout::Whole,
        None => Layout::Parts,
    }
}

/// Streams the articles as items of a JSON array, compact JSON, one item per line (readable
/// and diffable line by line), never joined in memory.
///
/// An article's line is a piece under `keys[i]`, which stands for everything it is made from:
/// the lines of unchanged articles are copied from the previous file, and the others are made
/// on all threads, a chunk at a time.
fn write_article_lines(
    out: &mut PieceWriter,
    articles: &[Article],
    entities: &[Entity],
    keys: &[Key],
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let piece = |i: usize, a: &Article| [separator(i), &article_line(a, entities)].concat();
    for (c, (part, part_keys)) in articles.chunks(1024).zip(keys.chunks(1024)).enumerate() {
        let made: Vec<Option<Vec<u8>>> = (0..part.len())
            .into_par_iter()
            .map(|j| {
                (!out.has(&piece_key(c * 1024 + j, &part_keys[j])))
                    .then(|| piece(c * 1024 + j, &part[j]))
            })
            .collect();
        for (j, ((a, key), made)) in part.iter().zip(part_keys).zip(made).enumerate() {
            let i = c * 1024 + j;
            out.piece(piece_key(i, key), || made.unwrap_or_else(|| piece(i, a)))?;
        }
    }
    Ok(())
}

/// Streams `archive.json` whole: the articles' lines (`write_article_lines`) and the entities'
/// (`entities_json`).
pub fn write_archive_json(
    out: &mut PieceWriter,
    articles: &[Article],
    entities: &[Entity],
    keys: &[Key],
    ents: &[String],
) -> std::io::Result<()> {
    out.write_all(b"{\"articles\":[")?;
    write_article_lines(out, articles, entities, keys)?;
    out.write_all(b"\n],\n\"entities\":[")?;
    for (j, item) in ents.iter().enumerate() {
        out.write_all(separator(j))?;
        out.write_all(item.as_bytes())?;
    }
    out.write_all(b"\n]}\n")
}

/// Streams one part of the articles (`article_part_path`): `{"articles": [...]}`, as whole.
pub fn write_article_part(
    out: &mut PieceWriter,
    articles: &[Article],
    entities: &[Entity],
    keys: &[Key],
) -> std::io::Result<()> {
    out.write_all(b"{\"articles\":[")?;
    write_article_lines(out, articles, entities, keys)?;
    out.write_all(b"\n]}\n")
}

/// One part of the entities (`entity_part_path`): `{"entities": [...]}`, as whole.
pub fn entity_part(ents: &[String]) -> Vec<u8> {
    let mut out = b"{\"entities\":[".to_vec();
    for (j, item) in ents.iter().enumerate() {
        out.extend_from_slice(separator(j));
        out.extend_from_slice(item.as_bytes());
    }
    out.extend_from_slice(b"\n]}\n");
    out
}

/// `archive.json` of an archive in parts: how many articles and entities there are, and the
/// parts that list them in order, each path from the folder of `archive.json`.
pub fn parts_json(articles: usize, entities: usize) -> Vec<u8> {
    let strip = |p: String| p.trim_start_matches("data/").to_string();
    let value = serde_json::json!({
        "counts": {"articles": articles, "entities": entities},
        "parts": {
            "articles": (0..articles.div_ceil(PART_ARTICLES)).map(|k| strip(article_part_path(k))).collect::<Vec<_>>(),
            "entities": (0..entities.div_ceil(PART_ENTITIES)).map(|k| strip(entity_part_path(k))).collect::<Vec<_>>(),
        },
    });
    let mut bytes = serde_json::to_vec_pretty(&value).expect("the parts serialise");
    bytes.push(b'\n');
    bytes
}
