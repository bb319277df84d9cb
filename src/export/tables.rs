//! Files for researchers beside `archive.json`: `data/statements.csv`, `data/entities.csv`,
//! `data/mentions.csv` (RFC 4180: comma-separated, a header row, a field quoted when it holds a
//! comma, a quotation mark or a line break, quotation marks doubled; UTF-8, lines ended by
//! CRLF as the RFC says) and `data/network.gexf`, the entities' co-occurrence network in GEXF
//! 1.3, which Gephi opens. Offsets are Unicode code points into the article's file, as in
//! `archive.json`. Each file is made from the articles and entities alone, in their order, so
//! the bytes are the same for the same archive.

use anyhow::Result;
use rayon::prelude::*;

use super::parts;
use crate::cache::Key;
use crate::index::article::ArticleSummary;
use crate::index::keys::entity_summary_part;
use crate::index::statements::{speaker, Tally};
use crate::model::{Article, Entity};
use crate::output::{PieceWriter, SiteWriter};
use crate::text::CharMap;

pub const STATEMENTS_CSV: &str = "data/statements.csv";
pub const ENTITIES_CSV: &str = "data/entities.csv";
pub const MENTIONS_CSV: &str = "data/mentions.csv";
pub const NETWORK_GEXF: &str = "data/network.gexf";

/// At most this many edges go into `network.gexf`: the heaviest (most shared articles), ties in
/// node order. Gephi slows past a few hundred thousand edges, and an archive of 100,000
/// articles has millions of pairs that share one article; those are what is left out.
pub const MAX_EDGES: usize = 100_000;

/// Only the entities an article mentions most, up to this many, make its edges: a long article
/// naming n entities would add n² pairs (a 12 MB article names thousands), most of them
/// passing names. The nodes' article counts are not affected.
pub const EDGE_ENTITIES_PER_ARTICLE: usize = 60;

/// Appends one CSV row (RFC 4180 quoting).
fn row(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}

/// The header row of `data/statements.csv`.
pub fn statements_header() -> Vec<u8> {
    let mut out = String::new();
    row(&mut out, &["article", "article_url", "published", "place", "start", "end", "direct", "cue", "speaker_text", "speaker_entity", "speaker_name", "text"]);
    out.into_bytes()
}

/// One article's rows of `data/statements.csv`, statements in text order. The file is the
/// header and every article's rows in archive order, written piece by piece (an article whose
/// rows did not change is copied from the last build's file).
pub fn statement_rows(a: &Article, s: &ArticleSummary, entities: &[Entity]) -> Vec<u8> {
    let mut out = String::new();
    let text = a.text();
    let text: &str = &text;
    let map = CharMap::new(text);
    for q in &a.quotes {
        let speaker = crate::index::statements::speaker(a, q).map(|e| &entities[e]);
        let (start, end) = (map.char_offset(q.content.start()).to_string(), map.char_offset(q.content.end()).to_string());
        row(
            &mut out,
            &[
                &a.id,
                s.url(),
                s.published().unwrap_or(""),
                s.place().unwrap_or(""),
                &start,
                &end,
                if q.direct { "true" } else { "false" },
                q.cue.map_or("", |c| c.get(text)),
                q.speaker.map_or("", |c| c.get(text)),
                speaker.map_or("", |e| e.id.as_str()),
                speaker.map_or("", |e| e.name.as_str()),
                q.content.get(text),
            ],
        );
    }
    out.into_bytes()
}

/// `data/entities.csv`: every entity in archive order, with its counts and, for a place, its point.
pub fn entities_csv(entities: &[Entity], statements: &[usize]) -> Vec<u8> {
    let mut out = String::new();
    row(&mut out, &["id", "type", "name", "articles", "mentions", "statements", "url", "aliases", "lat", "lon", "geonames_id"]);
    for (e, said) in entities.iter().zip(statements) {
        let place = e.place.as_ref();
        let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let geonames = place.and_then(|p| p.geonames_id).map(|g| g.to_string()).unwrap_or_default();
        row(
            &mut out,
            &[&e.id, e.kind.as_str(), &e.name, &e.articles.len().to_string(), &e.mention_count.to_string(), &said.to_string(), &e.url(), &e.aliases.join("; "), &num(place.and_then(|p| p.lat)), &num(place.and_then(|p| p.lon)), &geonames],
        );
    }
    out.into_bytes()
}

/// The header row of `data/mentions.csv`.
pub fn mentions_header() -> Vec<u8> {
    let mut out = String::new();
    row(&mut out, &["article", "start", "end", "text", "entity", "type", "rule", "score"]);
    out.into_bytes()
}

/// One article's rows of `data/mentions.csv`, mentions in text order (written piece by piece,
/// as `statement_rows`).
pub fn mention_rows(a: &Article, entities: &[Entity]) -> Vec<u8> {
    let mut out = String::new();
    let text = a.text();
    let text: &str = &text;
    let map = CharMap::new(text);
    for m in &a.mentions {
        let e = &entities[m.entity];
        let (start, end) = (map.char_offset(m.span.start()).to_string(), map.char_offset(m.span.end()).to_string());
        row(&mut out, &[&a.id, &start, &end, m.span.get(text), &e.id, e.kind.as_str(), m.rule.as_str(), &format!("{:.3}", m.score)]);
    }
    out.into_bytes()
}

/// Text for an XML attribute: the five special characters escaped and the characters XML 1.0
/// forbids (controls other than tab and line breaks, U+FFFE, U+FFFF) dropped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The network's edges: (weight, a, b) with a < b entity numbers, heaviest first, then in node
/// order, at most `max`.
///
/// The pairs are counted by sorting, not in a hash map: after an edit that adds a name the
/// network is made again from every article (two million pairs at 10,000 bench articles), and
/// hashing each pair was most of that. They are made one entity at a time (its pairs with
/// larger-numbered entities, from the articles that name it) and only the heaviest `max` are
/// kept as they go: all the archive's pairs at once were 200 MB at 100,000 bench articles, a
/// fifth of the build's peak.
pub fn edges(articles: &[Article], per_article: usize, max: usize) -> Vec<(usize, usize, usize)> {
    if max == 0 {
        return Vec::new();
    }
    let tops: Vec<Box<[u32]>> = articles.par_iter().map(|a| most_named(a, per_article)).collect();
    let (starts, holders) = holders(&tops);
    let order = |p: &(usize, usize, usize), q: &(usize, usize, usize)| q.0.cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2));
    // The heaviest `max` of a list (the order is total: no two edges join the same pair).
    let keep = |mut edges: Vec<(usize, usize, usize)>| {
        if edges.len() > max {
            edges.select_nth_unstable_by(max - 1, order);
            edges.truncate(max);
        }
        edges
    };
    let (mut edges, _) = (0..starts.len() - 1)
        .into_par_iter()
        .fold(
            || (Vec::new(), Vec::new()),
            |(mut edges, mut ys): (Vec<(usize, usize, usize)>, Vec<u32>), x| {
                ys.clear();
                for &a in &holders[starts[x] as usize..starts[x + 1] as usize] {
                    let top = &tops[a as usize];
                    ys.extend_from_slice(&top[top.partition_point(|&y| y as usize <= x)..]);
                }
                ys.sort_unstable();
                edges.extend(ys.chunk_by(|p, q| p == q).map(|run| (run.len(), x, run[0] as usize)));
                if edges.len() > 2 * max {
                    edges = keep(edges);
                }
                (edges, ys)
            },
        )
        .reduce(|| (Vec::new(), Vec::new()), |(mut a, ys), (b, _)| {
            a.extend(b);
            (if a.len() > 2 * max { keep(a) } else { a }, ys)
        });
    edges = keep(edges);
    edges.par_sort_unstable_by(order);
    edges
}

/// The entities an article names most (the `per_article` it names most, ties by number), in
/// number order.
fn most_named(a: &Article, per_article: usize) -> Box<[u32]> {
    let mut ids: Vec<u32> = a.mentions.iter().map(|m| m.entity as u32).collect();
    ids.sort_unstable();
    let mut named: Vec<(u32, usize)> = ids.chunk_by(|x, y| x == y).map(|run| (run[0], run.len())).collect();
    named.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    named.truncate(per_article);
    let mut ids: Vec<u32> = named.into_iter().map(|(e, _)| e).collect();
    ids.sort_unstable();
    ids.into()
}

/// For each entity number, the articles whose `tops` hold it: `holders[starts[x]..starts[x + 1]]`.
fn holders(tops: &[Box<[u32]>]) -> (Vec<u32>, Vec<u32>) {
    let n = tops.iter().flat_map(|t| t.iter()).max().map_or(0, |&m| m as usize + 1);
    let mut starts = vec![0u32; n + 1];
    for &x in tops.iter().flat_map(|t| t.iter()) {
        starts[x as usize + 1] += 1;
    }
    for i in 1..=n {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut holders = vec![0u32; starts[n] as usize];
    for (a, top) in tops.iter().enumerate() {
        for &x in top.iter() {
            holders[next[x as usize] as usize] = a as u32;
            next[x as usize] += 1;
        }
    }
    (starts, holders)
}

/// `data/network.gexf`: entities named in at least one article as nodes (id, label, type and
/// article count), an undirected edge between two that share articles, weighted by how many
/// (see `MAX_EDGES` and `EDGE_ENTITIES_PER_ARTICLE` for what large archives leave out).
pub fn network_gexf(articles: &[Article], entities: &[Entity], title: &str) -> Vec<u8> {
    network_gexf_up_to(articles, entities, title, MAX_EDGES)
}

/// `network_gexf` with at most `max` edges. A network that reaches them (a very large archive)
/// has as nodes only the entities of its edges: listing every entity named anywhere, it would
/// still grow with the archive (28,000 nodes at 10,000 bench articles, 14 MB; ten times that
/// at 100,000), and the others are in `entities.csv`.
fn network_gexf_up_to(articles: &[Article], entities: &[Entity], title: &str, max: usize) -> Vec<u8> {
    let edges = edges(articles, EDGE_ENTITIES_PER_ARTICLE, max);
    let mut in_edges = vec![edges.len() < max; entities.len()];
    for &(_, x, y) in &edges {
        in_edges[x] = true;
        in_edges[y] = true;
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<gexf xmlns=\"http://gexf.net/1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n");
    out.push_str(&format!("  <meta>\n    <creator>Dossier</creator>\n    <description>{}</description>\n  </meta>\n", xml(&format!("Entities of {title} that share articles"))));
    out.push_str("  <graph mode=\"static\" defaultedgetype=\"undirected\">\n");
    out.push_str("    <attributes class=\"node\">\n      <attribute id=\"type\" title=\"type\" type=\"string\"/>\n      <attribute id=\"articles\" title=\"articles\" type=\"integer\"/>\n    </attributes>\n");
    out.push_str("    <nodes>\n");
    for e in entities.iter().zip(&in_edges).filter(|(e, keep)| **keep && !e.articles.is_empty()).map(|(e, _)| e) {
        out.push_str(&format!(
            "      <node id=\"{}\" label=\"{}\"><attvalues><attvalue for=\"type\" value=\"{}\"/><attvalue for=\"articles\" value=\"{}\"/></attvalues></node>\n",
            xml(&e.id),
            xml(&e.name),
            e.kind.as_str(),
            e.articles.len()
        ));
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for (n, (w, x, y)) in edges.into_iter().enumerate() {
        out.push_str(&format!("      <edge id=\"{n}\" source=\"{}\" target=\"{}\" weight=\"{w}\"/>\n", xml(&entities[x].id), xml(&entities[y].id)));
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out.into_bytes()
}

/// Writes the researchers' files, each made only when what it lists changed. Each article's
/// `with_summary` key stands for its text, mentions, statements and summary (date, place);
/// `entity_keys` for each entity's id, name, type and place; the counts and aliases are added.
#[allow(clippy::too_many_arguments)]
pub fn research_tables(articles: &[Article], entities: &[Entity], summaries: &[ArticleSummary], with_summary: &[Key], entity_keys: &[Key], tally: &Tally, title: &str, out: &SiteWriter) -> Result<()> {
    // Every entity as the tables list it: link key, counts, statements, aliases.
    let mut buf = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        entity_summary_part(&mut buf, entities, entity_keys, i);
        buf.extend_from_slice(&(tally.by_entity[i] as u64).to_le_bytes());
        for alias in &e.aliases {
            buf.extend_from_slice(&(alias.len() as u64).to_le_bytes());
            buf.extend_from_slice(alias.as_bytes());
        }
    }
    let listed = crate::cache::Hasher::new("research entities").part(title.as_bytes()).part(&buf).finish();
    let mut h = crate::cache::Hasher::new("research tables");
    h.part(&listed);
    for key in with_summary {
        h.part(key);
    }
    let key = h.finish();
    let file_key = |path: &str| crate::cache::Hasher::new("research table").part(&key).part(path.as_bytes()).finish();
    // The network is made from the entities and which of them each article names how often
    // (`edges`): keyed on that alone, an edit that leaves an article's names as they
    // were does not make it again (pairing every article's entities was a twentieth of a rebuild).
    let network_key = {
        let mut h = crate::cache::Hasher::new("network");
        h.part(&listed);
        let mut named = Vec::new();
        for a in articles {
            named.clear();
            for m in &a.mentions {
                named.extend_from_slice(&(m.entity as u64).to_le_bytes());
            }
            h.part(&named);
        }
        h.finish()
    };
    // The two tables of per-article rows are written piece by piece: after an edit, only the
    // edited articles' rows are made again; the rest is copied from the last build's file.
    // Each is whole or in parts by its own size (`parts`).
    let (known, limit) = (out.previous_pieces("data/"), parts::whole_limit());
    let table = Table { out, articles, known: &known, limit };
    let (statements, mentions) = rayon::join(
        || {
            let keys = row_keys("statement rows", articles, with_summary, |a, h| {
                for q in &a.quotes {
                    let e = speaker(a, q).map(|e| &entities[e]);
                    h.part(e.map_or("", |e| e.id.as_str()).as_bytes()).part(e.map_or("", |e| e.name.as_str()).as_bytes());
                }
            });
            table.write(STATEMENTS_CSV, "statements", file_key(STATEMENTS_CSV), &statements_header(), &keys, |i| statement_rows(&articles[i], &summaries[i], entities))
        },
        || {
            let keys = row_keys("mention rows", articles, with_summary, |a, h| {
                for m in &a.mentions {
                    h.part(entities[m.entity].id.as_bytes()).part(entities[m.entity].kind.as_str().as_bytes());
                }
            });
            table.write(MENTIONS_CSV, "mentions", file_key(MENTIONS_CSV), &mentions_header(), &keys, |i| mention_rows(&articles[i], entities))
        },
    );
    statements?;
    mentions?;
    let entities_whole = entities_csv(entities, &tally.by_entity);
    if entities_whole.len() as u64 <= limit {
        out.file(ENTITIES_CSV, &entities_whole)?;
    } else {
        drop(entities_whole);
        let by_entity: Vec<&[usize]> = tally.by_entity.chunks(parts::PART_ENTITIES).collect();
        entities.par_chunks(parts::PART_ENTITIES).zip(by_entity).enumerate().try_for_each(|(k, (part, said))| out.file(&parts::part_path("entities", k, "csv"), &entities_csv(part, said)))?;
    }
    out.file_lazy(NETWORK_GEXF, network_key, || Ok(network_gexf(articles, entities, title)))
}

/// One key per article for a table of per-article rows: the article's id and `with_summary`
/// key, and what `entity_part` adds (the entities its rows name, which an article's own key
/// does not stand for).
fn row_keys(what: &str, articles: &[Article], with_summary: &[Key], entity_part: impl Fn(&Article, &mut crate::cache::Hasher) + Sync) -> Vec<Key> {
    articles
        .par_iter()
        .zip(with_summary)
        .map(|(a, key)| {
            let mut h = crate::cache::Hasher::new(what);
            h.part(a.id.as_bytes()).part(key);
            entity_part(a, &mut h);
            h.finish()
        })
        .collect()
}

/// Where a table of per-article rows goes: the output, the articles, and what decides whether
/// the table is whole or in parts (the last build's piece lengths, the limit).
struct Table<'a> {
    out: &'a SiteWriter,
    articles: &'a [Article],
    known: &'a rustc_hash::FxHashMap<Key, u64>,
    limit: u64,
}

impl Table<'_> {
    /// Writes the table at `path` (`whole_key` standing for all of it) when it holds at most
    /// the limit, else in parts (`data/archive/NAME-NNNN.csv`, the articles of the archive's
    /// parts, each with the header). `keys` are the articles' row keys, `rows` makes one
    /// article's rows.
    fn write(&self, path: &str, name: &str, whole_key: Key, header: &[u8], keys: &[Key], rows: impl Fn(usize) -> Vec<u8> + Sync) -> Result<()> {
        let articles = self.articles;
        let len = |i: usize| if has_rows(&articles[i]) { self.known.get(&keys[i]).copied().unwrap_or_else(|| rows(i).len() as u64) } else { 0 };
        if parts::fits(header.len() as u64, articles.len(), len, self.limit).is_some() {
            return self.out.file_pieced(path, whole_key, |w| write_rows(w, header, articles, keys, &rows));
        }
        for (k, (part, part_keys)) in articles.chunks(parts::PART_ARTICLES).zip(keys.chunks(parts::PART_ARTICLES)).enumerate() {
            let path = parts::part_path(name, k, "csv");
            let mut h = crate::cache::Hasher::new("table part");
            h.part(path.as_bytes());
            for key in part_keys {
                h.part(key);
            }
            self.out.file_pieced(&path, h.finish(), |w| write_rows(w, header, part, part_keys, |j| rows(k * parts::PART_ARTICLES + j)))?;
        }
        Ok(())
    }
}

/// Whether an article has rows in the tables (a mention or a statement); one without writes nothing.
fn has_rows(a: &Article) -> bool {
    !(a.quotes.is_empty() && a.mentions.is_empty())
}

/// Writes a header and each article's rows as a piece; an article without rows writes nothing.
fn write_rows(w: &mut PieceWriter, header: &[u8], articles: &[Article], keys: &[Key], rows: impl Fn(usize) -> Vec<u8> + Sync) -> std::io::Result<()> {
    use std::io::Write;
    w.write_all(header)?;
    for (c, part) in keys.chunks(1024).enumerate() {
        let made: Vec<Option<Vec<u8>>> = (0..part.len()).into_par_iter().map(|j| (!w.has(&part[j])).then(|| rows(c * 1024 + j))).collect();
        for (j, made) in made.into_iter().enumerate() {
            let i = c * 1024 + j;
            if !has_rows(&articles[i]) {
                continue;
            }
            w.piece(part[j], || made.unwrap_or_else(|| rows(i)))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_with_commas_quotes_and_line_breaks_are_quoted() {
        let mut out = String::new();
        row(&mut out, &["plain", "a, b", "say \"no\"", "two\nlines", ""]);
        assert_eq!(out, "plain,\"a, b\",\"say \"\"no\"\"\",\"two\nlines\",\r\n");
    }

    /// Articles naming entities given by number, a mention for each number listed.
    fn naming(lists: &[&[usize]]) -> Vec<Article> {
        lists
            .iter()
            .map(|ids| {
                let src = crate::model::Source { path: "x/a.txt".into(), rel: "a.txt".into(), format: crate::model::Format::Txt, text: String::new(), body_start: 0, meta: Default::default(), meta_origin: None };
                let mut a = crate::pipeline::process(src, [0; 32], &crate::annotate::rules::RuleAnnotator);
                a.mentions = ids.iter().map(|&e| crate::model::Mention { span: crate::text::Span::new(0, 0), kind: crate::model::EntityKind::Person, entity: e, score: 1.0, rule: crate::text::LabelId::of("test") }).collect();
                a
            })
            .collect()
    }

    #[test]
    fn edges_count_shared_articles_heaviest_first_and_keep_each_articles_most_named() {
        // Entity 7 is named twice in the first article, so with two entities an article it
        // is kept there over 9; 1 and 2 share three articles.
        let arts = naming(&[&[9, 7, 1, 7], &[2, 1], &[1, 2, 5], &[5, 2, 1, 2]]);
        assert_eq!(edges(&arts, 3, 100), [(3, 1, 2), (2, 1, 5), (2, 2, 5), (1, 1, 7), (1, 1, 9), (1, 7, 9)]);
        assert_eq!(edges(&arts, 2, 100), [(3, 1, 2), (1, 1, 7)]);
        assert_eq!(edges(&arts, 3, 2), [(3, 1, 2), (2, 1, 5)]);
        assert!(edges(&naming(&[&[4], &[4, 4]]), 3, 100).is_empty(), "one entity makes no pair");
    }

    /// Entities `0..n`, each with the articles of `arts` that name it.
    fn entities_of(arts: &[Article], n: usize) -> Vec<Entity> {
        (0..n)
            .map(|e| Entity {
                id: format!("person/e{e}"),
                kind: crate::model::EntityKind::Person,
                name: format!("E{e}"),
                aliases: Vec::new(),
                place: None,
                articles: (0..arts.len()).filter(|&i| arts[i].mentions.iter().any(|m| m.entity == e)).collect(),
                mention_count: 0,
                tagged: Vec::new(),
                listed_at: None,
            })
            .collect()
    }

    #[test]
    fn a_network_at_its_edge_limit_has_only_the_nodes_of_its_edges() {
        // 0 and 1 share two articles, 2 and 3 one; 4 is named alone; 5 in no article.
        let arts = naming(&[&[0, 1], &[0, 1], &[2, 3], &[4]]);
        let entities = entities_of(&arts, 6);
        let nodes = |max| {
            let xml = String::from_utf8(network_gexf_up_to(&arts, &entities, "t", max)).unwrap();
            (0..6).filter(|e| xml.contains(&format!("<node id=\"person/e{e}\""))).collect::<Vec<_>>()
        };
        assert_eq!(nodes(100), [0, 1, 2, 3, 4], "below the limit: every entity named in an article");
        assert_eq!(nodes(2), [0, 1, 2, 3], "at it: those of the edges");
        assert_eq!(nodes(1), [0, 1], "the heaviest edge's");
    }

    #[test]
    fn xml_text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(xml("A&B <x> \"q\" 'a'\u{1}\u{FFFF}"), "A&amp;B &lt;x&gt; &quot;q&quot; &apos;a&apos;");
    }
}
