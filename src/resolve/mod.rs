//! Resolve: link mentions to entities across the whole archive.
//!
//! One real-world entity gets one page whatever the spelling. Spellings are compared by a
//! [`name_key`] that folds case, quote marks, diacritics, Russian transliteration variants
//! (Sergey/Sergei), British/American spelling (defence/defense) and Arabic article particles
//! (al-Assad/Assad); places are compared by their GeoNames entry, so GeoNames alternate names
//! (Idleb/Idlib) meet on one page. The archive's `entities.toml` overrides win over all of it.

pub mod overrides;
pub mod places;
pub mod types;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use unicode_normalization::UnicodeNormalization;

use crate::cache::{Cache, Hasher, Packed, PackedWriter};
use crate::lexicon::Lexicon;
use crate::numbering::FirstSeen;
use crate::model::{Alternative, Article, Entity, EntityKind, LinkHint, Mention, Place, RawMention};
use crate::text::slugify;
pub use overrides::Overrides;

/// The comparison key of a name: two spellings with the same key name the same entity.
pub fn name_key(name: &str) -> String {
    let lex = Lexicon::get();
        let lex: &Lexicon = &lex;
    let folded = crate::text::fold_for_compare(name);
    // Most names are ASCII already and need no decomposition.
    let ascii: std::borrow::Cow<str> = if folded.is_ascii() {
        folded.as_str().into()
    } else {
        folded.nfkd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect::<String>().into()
    };
    // Words are borrowed until one must change: this runs for most mentions of the archive.
    let mut key = String::with_capacity(ascii.len());
    for w in ascii.split_whitespace() {
        if w.is_empty() || w == "the" {
            continue;
        }
        let mut w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
        for p in ["al-", "el-", "ad-", "as-", "ash-", "ar-"] {
            if let Some(rest) = w.strip_prefix(p) {
                w = rest;
            }
        }
        let mut w: std::borrow::Cow<str> = if w.contains('\'') { w.replace('\'', "").into() } else { w.into() };
        if let Some(b) = spelling_variants().get(w.as_ref()) {
            w = b.as_str().into();
        }
        for (a, b) in &lex.cues.file.transliteration {
            if w.len() > a.len() + 2 && w.ends_with(a.as_str()) {
                w = format!("{}{}", &w[..w.len() - a.len()], b).into();
                break;
            }
        }
        if !w.is_empty() {
            if !key.is_empty() {
                key.push(' ');
            }
            key.push_str(&w);
        }
    }
    key
}

/// British/American spelling pairs from the cue lists, lower-cased once per process.
fn spelling_variants() -> &'static FxHashMap<String, String> {
    static MAP: std::sync::OnceLock<FxHashMap<String, String>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = FxHashMap::default();
        for (a, b) in &Lexicon::get().cues.file.spelling_variants {
            // As the list is applied in order, an earlier pair wins over a later one.
            map.entry(a.to_lowercase()).or_insert_with(|| b.to_lowercase());
        }
        map
    })
}

/// What a mention resolves to, before entities are numbered.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
struct Key {
    kind: EntityKind,
    id: String,
}

#[derive(Default)]
struct Group {
    /// Each spelling with its number of mentions (0 for a full name the annotator gave for a
    /// short form): a list, as most entities have one to three spellings.
    forms: Vec<(String, usize)>,
    place: Option<u32>,
    org: Option<u32>,
    forced_name: Option<String>,
    qualifier: Option<String>,
    /// How the first article that names it placed it (or why it could not).
    placing: Option<Placing>,
    articles: Vec<usize>,
    mentions: usize,
    /// How the mentions of its name were tagged, when they were given different types.
    tagged: Vec<(EntityKind, usize)>,
}

/// Moves group `from` into group `to`: spellings and counts added, article lists united.
fn merge_group(groups: &mut [Group], from: u32, to: u32) {
    let g = std::mem::take(&mut groups[from as usize]);
    let t = &mut groups[to as usize];
    for (f, n) in g.forms {
        add_count(&mut t.forms, f, n);
    }
    t.mentions += g.mentions;
    t.articles.extend(g.articles);
    t.articles.sort_unstable();
    t.articles.dedup();
    if t.tagged.is_empty() {
        t.tagged = g.tagged;
    }
}

/// Why a location was placed where it is, from `places::Decision` or a pin.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Placing {
    why: String,
    margin: Option<f32>,
    alternatives: Vec<u32>,
    /// Coordinates pinned in `entities.toml` for a place the gazetteer lacks.
    point: Option<(f64, f64)>,
}

/// Links every article's mentions to archive entities, turning its `raw_mentions` into
/// `mentions` (the raw ones are left empty). Mentions outside the text the article shows
/// (furniture, removed duplicates) are dropped here, so every mention is on its page.
///
/// With a `cache`, what each article gave is kept there (`Memo`) and an article whose inputs
/// are unchanged is not resolved again.
pub fn resolve(articles: &mut [Article], overrides: &Overrides, cache: Option<&Cache>) -> Vec<Entity> {
    let lex = Lexicon::get();
    let lex: &Lexicon = &lex;
    let gaz = &lex.gazetteer;
    let old = cache.and_then(|c| c.packed(Memo::STORE));
    let recall = Recall { old: old.as_ref(), overrides: *overrides.source_hash() };
    let mut memo = Memo { new: cache.and_then(|c| c.pack(Memo::STORE, old.as_ref()).ok()) };
    // Groups are numbered as first seen, so that each pending mention holds a number rather
    // than a copy of its key (a string per mention of the archive).
    let mut ids: FirstSeen<Key> = FirstSeen::new();
    let mut groups: Vec<Group> = Vec::new();
    // Per article: (mention span, kind, group, score, rule) before numbering.
    let mut pending: Vec<Vec<(crate::text::Span, EntityKind, u32, f32, crate::text::LabelId)>> = Vec::with_capacity(articles.len());

    // Each article's raw mentions are decoded where they are used, a chunk of articles at a
    // time, and let go with the chunk: decoded all at once they were the build's largest
    // allocation (412 MB at 100,000 articles).
    let raw_of = |art: &Article| -> Vec<RawMention> {
        let mut raw = art.raw_mentions.get();
        // What reviewers said the annotator missed (typed names in entities.toml) is marked
        // wherever it occurs in the shown text and nothing else is marked.
        let text = art.text();
        let found: Vec<(crate::text::Span, EntityKind)> = art.kept.iter().flat_map(|k| overrides.occurrences(&text, *k)).collect();
        // Sorted first (a stable sort, so the order after is the same), so that each
        // occurrence is checked against the annotator's mentions by binary search.
        raw.sort_by_key(|m| (m.span.start(), m.span.end()));
        let marked = free_of(&raw, found);
        raw.extend(marked.into_iter().map(|(span, kind)| RawMention { span, kind, score: 1.0, link: LinkHint::None, rule: "entities.toml", canonical: None, qualifier: None }));
        raw.sort_by_key(|m| (m.span.start(), m.span.end()));
        raw
    };

    let mut fill = |first: usize, found: Vec<Resolved>| {
        for (ai, art) in (first..).zip(found) {
            let mut gids = Vec::with_capacity(art.locals.len());
            for l in art.locals {
                let gid = ids.id(l.key);
                if gid as usize == groups.len() {
                    groups.push(Group::default());
                }
                let g = &mut groups[gid as usize];
                for (form, n) in l.forms {
                    add_count(&mut g.forms, form, n);
                }
                g.place = g.place.or(l.place);
                g.org = g.org.or(l.org);
                g.forced_name = g.forced_name.take().or(l.forced_name);
                if g.placing.is_none() {
                    g.placing = l.placing;
                }
                if g.qualifier.is_none() {
                    g.qualifier = l.qualifier;
                }
                g.mentions += l.mentions;
                if g.articles.last() != Some(&ai) {
                    g.articles.push(ai);
                }
                gids.push(gid);
            }
            pending.push(art.mentions.into_iter().map(|(span, kind, local, score, rule)| (span, kind, gids[local as usize], score, rule)).collect());
        }
    };
    let shared: &[Article] = articles;
    // What the archive as a whole is about: a weak prior for placing names.
    let named: Vec<Recalled<Vec<Box<str>>>> = shared
        .par_iter()
        .map(|a| {
            recall.recall("countries", a, &[], || {
                let raw = raw_of(a);
                let text = a.text();
                places::countries_named(raw.iter().filter(|m| m.kind == EntityKind::Location).map(|m| m.canonical.as_deref().unwrap_or(m.span.get(&text))), gaz).into_iter().map(Box::from).collect()
            })
        })
        .collect();
    let prior = places::Prior::new(named.iter().flat_map(|r| r.value.iter().map(|c| &**c)));
    let named: Vec<_> = named.into_iter().map(|r| memo.keep(r)).collect();
    drop(named);
    let fingerprint = prior.fingerprint();
    // Each chunk's raw mentions are let go once its mentions are found: held to the end, they
    // were 125 MB of the stage's peak at 100,000 articles.
    crate::par::chunked_mut(articles, 1024, |_, a| recall.recall("resolved", a, &fingerprint, || resolve_article(a, &a.text(), &raw_of(a), overrides, &prior, lex)), |first, found, done| {
        fill(first, found.into_iter().map(|r| memo.keep(r)).collect());
        for art in done {
            art.raw_mentions = crate::model::Encoded::new(&Vec::new());
        }
    });
    memo.finish();
    let keys = ids.into_values();

    // One type per name: a page made of one name joins the page of the type most of the
    // archive's mentions of that name have (see `types`).
    let voters: Vec<types::Voter> = keys.iter().zip(&groups).map(|(k, g)| types::Voter { kind: k.kind, forms: &g.forms, fixed: g.forced_name.is_some() }).collect();
    let votes = types::decide(&voters, name_key, |n| gaz.is_large_place(n));
    drop(voters);
    let mut redirect: FxHashMap<u32, u32> = FxHashMap::default();
    for (&from, &to) in &votes.redirect {
        merge_group(&mut groups, from, to);
        redirect.insert(from, to);
    }
    for (to, tagged) in votes.tagged {
        groups[to as usize].tagged = tagged;
    }

    // A person named by surname alone joins the one person of the archive with that surname;
    // with two or more candidates nothing is merged (no evidence which one is meant).
    let persons: Vec<u32> = (0..keys.len() as u32).filter(|&g| keys[g as usize].kind == EntityKind::Person && !redirect.contains_key(&g)).collect();
    // Full names by their last word, so each surname finds its candidates without a scan.
    let mut by_last: FxHashMap<&str, Vec<u32>> = FxHashMap::default();
    for &g in &persons {
        if let Some((_, last)) = keys[g as usize].id.rsplit_once(' ') {
            by_last.entry(last).or_default().push(g);
        }
    }
    let mut by_surname: FxHashMap<u32, u32> = FxHashMap::default();
    for &g in &persons {
        let key = keys[g as usize].id.trim_start_matches("name:");
        if key.contains(' ') {
            continue;
        }
        let targets = by_last.get(key).map_or(&[][..], Vec::as_slice);
        let full_names: FxHashSet<&str> = targets.iter().map(|&t| keys[t as usize].id.as_str()).collect();
        if full_names.len() == 1 {
            by_surname.insert(g, targets[0]);
        }
    }
    // Merging adds counts and unites article lists, so the order of the redirects is free.
    for (&from, &to) in &by_surname {
        merge_group(&mut groups, from, to);
    }
    // A group the vote moved into one that then joined a full name goes there too.
    for to in redirect.values_mut() {
        if let Some(&further) = by_surname.get(to) {
            *to = further;
        }
    }
    redirect.extend(by_surname);

    // Each group's spellings in name order, as the pages list them.
    for g in &mut groups {
        g.forms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    }

    // Number the entities in key order and give each a stable, unique id. What an entity
    // shows depends on its group alone and is made in parallel; only the slugs, unique across
    // the archive, are given out in order.
    let mut order: Vec<u32> = (0..keys.len() as u32).filter(|g| !redirect.contains_key(g)).collect();
    order.sort_unstable_by(|a, b| keys[*a as usize].cmp(&keys[*b as usize]));
    let made: Vec<(String, Vec<String>, Option<Place>)> = order
        .par_iter()
        .map(|&gid| {
            let (key, g) = (&keys[gid as usize], &groups[gid as usize]);
            let name = display_name(key, g, lex);
            let mut aliases: Vec<String> = g.forms.iter().map(|f| &f.0).filter(|f| **f != name).cloned().collect();
            aliases.dedup();
            let place = if key.kind == EntityKind::Location { place_of(g, gaz) } else { None };
            (name, aliases, place)
        })
        .collect();
    // Places that share a name are told apart by their division or country: two pages
    // called "London" would leave the reader guessing.
    let mut made = made;
    let mut place_names: FxHashMap<String, usize> = FxHashMap::default();
    for (gid, (name, _, place)) in order.iter().zip(&made) {
        if keys[*gid as usize].kind == EntityKind::Location && place.is_some() {
            *place_names.entry(name.clone()).or_default() += 1;
        }
    }
    for (gid, (name, aliases, place)) in order.iter().zip(made.iter_mut()) {
        let Some(p) = place.as_ref().filter(|_| keys[*gid as usize].kind == EntityKind::Location) else { continue };
        let within = p.division.as_ref().or(p.country_name.as_ref()).filter(|w| p.feature != "country" && *w != name);
        if let Some(w) = within.filter(|_| place_names.get(name.as_str()).is_some_and(|&n| n > 1)) {
            aliases.push(name.clone());
            aliases.sort();
            aliases.dedup();
            *name = format!("{name}, {w}");
        }
    }
    let mut entities: Vec<Entity> = Vec::with_capacity(order.len());
    let mut index: Vec<usize> = vec![usize::MAX; keys.len()];
    let mut used: FxHashSet<String> = FxHashSet::default();
    for (gid, (name, aliases, place)) in order.into_iter().zip(made) {
        let (key, g) = (&keys[gid as usize], &mut groups[gid as usize]);
        // An entity named "Index" must not take its type's list page.
        let slug = crate::text::unique_slug(slugify(&name), |s| used.insert(format!("{}/{}", key.kind.as_str(), s)));
        index[gid as usize] = entities.len();
        entities.push(Entity {
            id: format!("{}/{}", key.kind.as_str(), slug),
            kind: key.kind,
            name,
            aliases,
            place: place.map(Box::new),
            articles: std::mem::take(&mut g.articles),
            mention_count: g.mentions,
            tagged: std::mem::take(&mut g.tagged),
            listed_at: None,
        });
    }
    articles.par_iter_mut().zip(pending).for_each(|(art, list)| {
        art.mentions = list
            .into_iter()
            .map(|(span, kind, gid, score, rule)| {
                // A mention moved to another type's page takes that type, so that its mark in
                // the article and its page agree.
                let (gid, kind) = match redirect.get(&gid) {
                    Some(&to) => (to, keys[to as usize].kind),
                    None => (gid, kind),
                };
                Mention { span, kind, entity: index[gid as usize], score, rule }
            })
            .collect();
    });
    overrides.correct_speakers(articles, &entities);
    entities
}

/// The last build's resolved articles (`Memo::STORE`), each under the hash of what it was made
/// from: the article (its key stands for its text, metadata and annotation, under this
/// program), the overrides, and for its resolved mentions the archive's place prior, which
/// changes only when an edit changes the countries the archive names. So a rebuild after an
/// edit resolves the edited articles again, and takes the others' results from the cache.
#[derive(Clone, Copy)]
struct Recall<'a> {
    old: Option<&'a Packed>,
    overrides: [u8; 32],
}

/// A result, from the cache or made now (then with the bytes to keep).
struct Recalled<T> {
    key: crate::cache::Key,
    value: T,
    made: Option<Vec<u8>>,
}

impl Recall<'_> {
    /// `what` for article `a` (and `also`, the other inputs): read back, or made by `make`.
    fn recall<T: Serialize + serde::de::DeserializeOwned>(self, what: &str, a: &Article, also: &[u8], make: impl FnOnce() -> T) -> Recalled<T> {
        let key = Hasher::new(what).part(&a.key).part(&self.overrides).part(also).finish();
        let kept = self.old.and_then(|p| p.get(&key)).and_then(|entry| postcard::from_bytes(crate::cache::checked(&entry)?).ok());
        if let Some(value) = kept {
            return Recalled { key, value, made: None };
        }
        let value = make();
        let made = crate::cache::sealed(&postcard::to_stdvec(&value).expect("a resolved article serialises"));
        Recalled { key, value, made: Some(made) }
    }
}

/// This build's entries of the store, listed in archive order as they are folded.
struct Memo<'a> {
    new: Option<PackedWriter<'a>>,
}

impl Memo<'_> {
    /// `resolved.bin` and `.idx` in the cache folder.
    const STORE: &'static str = "resolved";

    /// Lists `r` for the next build and gives its value. A store that cannot be written only
    /// costs the next build time.
    fn keep<T>(&mut self, r: Recalled<T>) -> T {
        if let Some(w) = &mut self.new {
            let done = match &r.made {
                Some(bytes) => w.put(&r.key, bytes),
                None => w.keep(&r.key).map(|_| ()),
            };
            if done.is_err() {
                self.new = None;
            }
        }
        r.value
    }

    fn finish(self) {
        if let Some(w) = self.new {
            let _ = w.finish();
        }
    }
}

/// The map data of a location group: its gazetteer place, else a pinned point, else (when
/// the resolver weighed candidates) a place without coordinates saying why.
fn place_of(g: &Group, gaz: &crate::lexicon::Gazetteer) -> Option<Place> {
    let country_name = |c: Option<&str>| c.and_then(|c| gaz.country(c)).map(|c| gaz.place(c).name.clone());
    let placing = g.placing.as_ref();
    let alternatives = placing.map(|p| p.alternatives.iter().map(|&a| alternative(a, gaz)).collect()).unwrap_or_default();
    let why = placing.map(|p| p.why.clone());
    let margin = placing.and_then(|p| p.margin);
    if let Some(id) = g.place {
        let p = gaz.place(id);
        let division = gaz.division_of(id).filter(|&d| d != id).map(|d| gaz.place(d).name.clone());
        return Some(Place {
            feature: p.feature.as_str(),
            country_code: p.country.clone(),
            country_name: country_name(p.country.as_deref()),
            division,
            lat: p.lat,
            lon: p.lon,
            geonames_id: p.geonames_id,
            population: (p.population > 0).then_some(p.population),
            why,
            margin,
            alternatives,
        });
    }
    let placing = placing?;
    let (lat, lon) = placing.point.map_or((None, None), |(a, b)| (Some(a), Some(b)));
    Some(Place { feature: if lat.is_some() { "point" } else { "" }, country_code: None, country_name: None, division: None, lat, lon, geonames_id: None, population: None, why, margin, alternatives })
}

/// "Paris, Texas, United States" and what a reviewer needs to pick it.
fn alternative(id: u32, gaz: &crate::lexicon::Gazetteer) -> Alternative {
    Alternative { label: place_label(id, gaz), feature: gaz.place(id).feature.as_str(), geonames_id: gaz.place(id).geonames_id, lat: gaz.place(id).lat, lon: gaz.place(id).lon, population: Some(gaz.place(id).population).filter(|&n| n > 0) }
}

/// A place's name with its division and country: "Alexandria, Virginia, United States".
pub fn place_label(id: u32, gaz: &crate::lexicon::Gazetteer) -> String {
    let p = gaz.place(id);
    let mut label = p.name.clone();
    if let Some(d) = gaz.division_of(id).filter(|&d| d != id) {
        label.push_str(", ");
        label.push_str(&gaz.place(d).name);
    }
    if p.feature != crate::lexicon::gazetteer::Feature::Country {
        if let Some(c) = p.country.as_deref().and_then(|c| gaz.country(c)) {
            label.push_str(", ");
            label.push_str(&gaz.place(c).name);
        }
    }
    label
}

/// One article's mentions, resolved, before entities are numbered.
#[derive(Serialize, Deserialize)]
struct Resolved {
    /// Each entity the article names, once, with its spellings here.
    locals: Vec<Local>,
    /// (span, kind, index in `locals`, score, rule) per mention, in text order.
    mentions: Vec<(crate::text::Span, EntityKind, u32, f32, crate::text::LabelId)>,
}

/// What an article says of one entity: all its mentions there, gathered.
#[derive(Serialize, Deserialize)]
struct Local {
    key: Key,
    /// Spellings with their number of mentions (a full name given for a short form with 0).
    forms: Vec<(String, usize)>,
    mentions: usize,
    // The first mention's, as in the archive-wide group: the first article's first wins.
    place: Option<u32>,
    org: Option<u32>,
    forced_name: Option<String>,
    qualifier: Option<String>,
    placing: Option<Placing>,
}

/// Resolves the mentions of one article that lie in its shown text.
/// The occurrences in `found` that overlap neither a mention of `raw` (sorted by start) nor
/// an occurrence taken before them, in order.
///
/// Each was compared with every mention: a long article's every occurrence of a listed name
/// took the article's length. A mention starting before the occurrence ends overlaps it iff
/// the furthest such mention reaches past its start. The occurrences taken overlap none of
/// each other, so in (start, end) order their ends never decrease, and only the last one
/// starting before an occurrence ends can overlap it.
fn free_of(raw: &[RawMention], found: Vec<(crate::text::Span, EntityKind)>) -> Vec<(crate::text::Span, EntityKind)> {
    let reach: Vec<usize> = raw.iter().scan(0, |max, m| {
        *max = (*max).max(m.span.end());
        Some(*max)
    }).collect();
    let mut taken: std::collections::BTreeSet<(usize, usize)> = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (span, kind) in found {
        work(1);
        let before = raw.partition_point(|m| m.span.start() < span.end());
        let on_mention = before > 0 && reach[before - 1] > span.start();
        let on_taken = taken.range(..(span.end(), 0)).next_back().is_some_and(|&(_, end)| end > span.start());
        if !on_mention && !on_taken {
            taken.insert((span.start(), span.end()));
            out.push((span, kind));
        }
    }
    out
}

/// `text` is the article's (`Article::text`), read by the caller.
fn resolve_article<'a>(art: &'a Article, text: &'a str, raw: &'a [RawMention], overrides: &'a Overrides, prior: &places::Prior, lex: &Lexicon) -> Resolved {
    let gaz = &lex.gazetteer;
    let mut out = Resolved { locals: Vec::new(), mentions: Vec::with_capacity(raw.len()) };
    // Looked up rather than scanned for each mention: a 12 MB article has some 30,000
    // paragraphs and 15,000 entities, and the scans made resolving it take the square.
    let kept = crate::text::SpanSet::new(art.kept.clone());
    // The article's places are decided together: each name's sense depends on the others.
    let shown = |m: &RawMention| {
        let surface = m.span.get(text);
        let form = m.canonical.as_deref().unwrap_or(surface);
        kept.any_contains(m.span) && !overrides.ignored(surface) && !overrides.ignored(form) && overrides.entity_for(form).or_else(|| overrides.entity_for(surface)).is_none()
    };
    let located: Vec<usize> = (0..raw.len()).filter(|&i| raw[i].kind == EntityKind::Location && shown(&raw[i])).collect();
    let input: Vec<places::Input> = located.iter().map(|&i| places::Input { span: raw[i].span, name: raw[i].canonical.as_deref().unwrap_or(raw[i].span.get(text)), surface: raw[i].span.get(text), score: raw[i].score }).collect();
    let surnames: Vec<&str> = raw.iter().filter(|m| m.kind == EntityKind::Person).filter_map(|m| m.canonical.as_deref().unwrap_or(m.span.get(text)).trim().rsplit_once(' ').map(|(_, last)| last)).collect();
    let (decisions, of_input) = places::place_article(text, art.dateline.as_ref().and_then(|d| d.place), &input, &surnames, prior, gaz);
    let mut decision_of: FxHashMap<usize, usize> = located.iter().copied().zip(of_input).collect();
    let mut local_of: FxHashMap<Key, usize> = FxHashMap::default();
    // A name is usually mentioned several times in an article: its key is worked out once.
    let mut keys: FxHashMap<&str, String> = FxHashMap::default();
    let mut key_of = |name: &'a str| keys.entry(name).or_insert_with(|| name_key(name)).clone();
    for (mi, m) in raw.iter().enumerate() {
        work(1);
        if !kept.any_contains(m.span) {
            continue;
        }
        let surface = m.span.get(text);
        let form = m.canonical.as_deref().unwrap_or(surface);
        if overrides.ignored(surface) || overrides.ignored(form) {
            continue;
        }
        let mut kind = m.kind;
        let mut forced_name = None;
        if let Some(o) = overrides.entity_for(form).or_else(|| overrides.entity_for(surface)) {
            kind = o.kind.unwrap_or(kind);
            forced_name = Some(o.name.clone());
        }
        let mut place = None;
        let mut org = None;
        let mut placing = None;
        let pin = overrides.entity_for(form).or_else(|| overrides.entity_for(surface)).and_then(|o| o.pin);
        let key_id = if let Some(name) = &forced_name {
            match pin {
                Some(overrides::Pin::GeoNames(g)) if gaz.by_geonames(g).is_some() => {
                    let id = gaz.by_geonames(g).expect("checked");
                    place = Some(id);
                    placing = Some(Placing { why: "pinned in entities.toml".into(), margin: None, alternatives: Vec::new(), point: None });
                    format!("place:{id}")
                }
                Some(overrides::Pin::Point(lat, lon)) => {
                    placing = Some(Placing { why: "pinned in entities.toml".into(), margin: None, alternatives: Vec::new(), point: Some((lat, lon)) });
                    format!("name:{}", name_key(name))
                }
                _ => format!("name:{}", name_key(name)),
            }
        } else {
            match kind {
                EntityKind::Location => match decision_of.remove(&mi).map(|d| &decisions[d]) {
                    Some(d) => {
                        placing = Some(Placing { why: d.why.clone(), margin: d.margin, alternatives: d.alternatives.clone(), point: None });
                        match d.place {
                            Some(id) => {
                                place = Some(id);
                                format!("place:{id}")
                            }
                            None => format!("name:{}", key_of(form)),
                        }
                    }
                    None => match m.link {
                        LinkHint::Place(id) => {
                            place = Some(id);
                            format!("place:{id}")
                        }
                        _ => format!("name:{}", key_of(form)),
                    },
                },
                EntityKind::Organisation => {
                    let listed = match m.link {
                        LinkHint::Org(id) => Some(id),
                        _ => lex.orgs.lookup(form),
                    };
                    match (listed, &m.qualifier) {
                        (Some(id), _) => {
                            org = Some(id);
                            format!("org:{id}")
                        }
                        (None, Some(q)) => format!("name:{}|{}", key_of(form), q),
                        (None, None) => format!("name:{}", key_of(form)),
                    }
                }
                EntityKind::Person | EntityKind::Misc => format!("name:{}", key_of(form)),
            }
        };
        let key = Key { kind, id: key_id };
        let local = match local_of.get(&key) {
            Some(&i) => i,
            None => {
                let qualifier = if kind == EntityKind::Organisation { m.qualifier.as_deref().map(str::to_string) } else { None };
                local_of.insert(key.clone(), out.locals.len());
                out.locals.push(Local { key, forms: Vec::new(), mentions: 0, place, org, forced_name, qualifier, placing });
                out.locals.len() - 1
            }
        };
        let l = &mut out.locals[local];
        l.mentions += 1;
        add_count(&mut l.forms, surface, 1);
        if m.canonical.is_some() {
            add_count(&mut l.forms, form, 0);
        }
        out.mentions.push((m.span, kind, local as u32, m.score, crate::text::LabelId::of(m.rule)));
    }
    out
}

#[cfg(test)]
thread_local! {
    /// Mentions, spans and names looked at while resolving, counted in tests.
    static WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts `n` steps of work (in tests only).
#[inline]
fn work(n: usize) {
    #[cfg(test)]
    WORK.with(|w| w.set(w.get() + n));
    let _ = n;
}

/// Adds `n` to the count of `form` in `forms`, taking the spelling only when it is new.
fn add_count<S: AsRef<str> + Into<String>>(forms: &mut Vec<(String, usize)>, form: S, n: usize) {
    work(forms.len());
    match forms.iter_mut().find(|f| f.0 == form.as_ref()) {
        Some(f) => f.1 += n,
        None => forms.push((form.into(), n)),
    }
}

/// The name a page shows: an override's name, the curated organisation name, else the most
/// frequent spelling among the fullest ones (so "Raqqa" rather than GeoNames' "Ar Raqqah").
fn display_name(key: &Key, g: &Group, lex: &Lexicon) -> String {
    if let Some(n) = &g.forced_name {
        return n.clone();
    }
    if let Some(id) = g.org {
        return lex.orgs.get(id).name.clone();
    }
    let words = |s: &str| s.split_whitespace().count();
    let most_words = g.forms.iter().map(|f| words(&f.0)).max().unwrap_or(0);
    // People by their fullest spellings only.
    let pool = g.forms.iter().filter(|(f, _)| key.kind != EntityKind::Person || words(f) == most_words);
    // Prefer mixed case over ALL CAPS (datelines), then frequency, then alphabetical order.
    let best = pool
        .max_by(|a, b| {
            let caps = |s: &str| s.chars().any(char::is_lowercase);
            let gazetteer_name = |s: &str| g.place.is_some_and(|id| lex.gazetteer.place(id).name == s);
            caps(&a.0)
                .cmp(&caps(&b.0))
                .then(a.1.cmp(&b.1))
                .then(a.0.chars().count().cmp(&b.0.chars().count()))
                .then(gazetteer_name(&a.0).cmp(&gazetteer_name(&b.0)))
                .then(b.0.cmp(&a.0))
        })
        .map(|(f, _)| f.clone())
        .unwrap_or_default();
    let best = if best.chars().any(char::is_lowercase) || best.chars().filter(|c| c.is_alphabetic()).count() <= 4 {
        best
    } else {
        // A name only ever printed in capitals (a dateline): the gazetteer's spelling or title case.
        g.place.map(|id| lex.gazetteer.place(id).name.clone()).unwrap_or_else(|| title_case(&best))
    };
    match (&g.qualifier, key.kind) {
        (Some(q), EntityKind::Organisation) => {
            let country = lex.gazetteer.country(q).map(|c| lex.gazetteer.place(c).name.clone()).unwrap_or_else(|| q.clone());
            format!("{} ({country})", capitalise_words(&best))
        }
        _ => best,
    }
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalise_words(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) if f.is_lowercase() => f.to_uppercase().collect::<String>() + c.as_str(),
                Some(f) => f.to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Span;

    /// Against the scan it replaces: every occurrence compared with every mention and every
    /// occurrence taken before it.
    #[test]
    fn free_of_takes_what_a_scan_takes() {
        let mut seed = 5u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mention = |span: Span| RawMention { span, kind: EntityKind::Person, score: 1.0, link: LinkHint::None, rule: "t", canonical: None, qualifier: None };
        for _ in 0..500 {
            let mut raw: Vec<RawMention> = (0..next(8)).map(|_| { let a = next(60); mention(Span::new(a, a + next(10))) }).collect();
            raw.sort_by_key(|m| (m.span.start(), m.span.end()));
            let found: Vec<(Span, EntityKind)> = (0..next(10)).map(|_| { let a = next(60); (Span::new(a, a + next(8)), EntityKind::Location) }).collect();
            let mut expected: Vec<Span> = raw.iter().map(|m| m.span).collect();
            let mut taken = Vec::new();
            for (span, _) in &found {
                if !expected.iter().any(|m| m.overlaps(*span)) {
                    expected.push(*span);
                    taken.push(*span);
                }
            }
            assert_eq!(free_of(&raw, found.clone()).into_iter().map(|f| f.0).collect::<Vec<_>>(), taken, "{:?} {found:?}", raw.iter().map(|m| m.span).collect::<Vec<_>>());
        }
    }

    /// A long article naming many entities in many paragraphs: resolving it looks at each
    /// mention a bounded number of times (each was checked against every paragraph and every
    /// entity the article had named so far).
    #[test]
    fn work_grows_with_the_length_of_the_article() {
        let mut text = String::from("Talks in Berlin\n\n");
        for i in 0..400 {
            text.push_str(&format!("President Zor{i}a Quel{i}o met officials of the Syrian Democratic Forces (SDF) in Berlin. Quel{i}o said the SDF would meet again.\n\n"));
        }
        let src = crate::model::Source { path: "x/a.txt".into(), rel: "a.txt".into(), format: crate::model::Format::Txt, text, body_start: 0, meta: Default::default(), meta_origin: None };
        let key = crate::cache::Cache::article_key(&src);
        let mut arts = vec![crate::pipeline::process(src, key, &crate::annotate::rules::RuleAnnotator)];
        let mut raw = arts[0].raw_mentions.take();
        raw.sort_by_key(|m| (m.span.start(), m.span.end()));
        // One article's mentions, on this thread (`resolve` spreads articles over threads).
        WORK.with(|w| w.set(0));
        let resolved = resolve_article(&arts[0], &arts[0].text(), &raw, &Default::default(), &Default::default(), &Lexicon::get());
        let work = WORK.with(|w| w.get());
        assert!(resolved.locals.len() > 400 && resolved.mentions.len() > 1000, "{} entities, {} mentions", resolved.locals.len(), resolved.mentions.len());
        assert!(work <= 10 * raw.len(), "{work} steps for {} mentions", raw.len());
    }

    /// Resolving with the cache gives what resolving without it gives, and reuses each
    /// article's result until what it depends on changes: the article, the overrides, or
    /// (for its places) the countries the archive names.
    #[test]
    fn articles_resolved_from_the_cache_match_a_fresh_resolve() {
        let texts = [
            "Talks in Paris\n\nOfficials met in Paris and Lyon on Monday, Pierre Dumont said.\n",
            "Storm in Victoria\n\nHeavy rain hit Victoria and Melbourne, the mayor of Geelong said.\n",
            "Springfield vote\n\nVoters in Springfield and Portland backed the plan, Dumont said.\n",
        ];
        let articles = |texts: &[&str]| -> Vec<Article> {
            texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let src = crate::model::Source { path: format!("x/{i}.txt").into(), rel: format!("{i}.txt"), format: crate::model::Format::Txt, text: t.to_string(), body_start: 0, meta: Default::default(), meta_origin: None };
                    let key = crate::cache::Cache::article_key(&src);
                    crate::pipeline::process(src, key, &crate::annotate::EmbeddedAnnotator)
                })
                .collect()
        };
        // Entities and each article's mentions, as text to compare.
        let outcome = |texts: &[&str], overrides: &Overrides, cache: Option<&Cache>| -> String {
            let mut arts = articles(texts);
            let entities = resolve(&mut arts, overrides, cache);
            let mentions: Vec<String> = arts.iter().flat_map(|a| a.mentions.iter().map(|m| format!("{:?} {:?} {} {} {}", m.span, m.kind, m.entity, m.score, m.rule.as_str()))).collect();
            format!("{entities:?}\n{mentions:?}")
        };
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::for_output(&dir.path().join("site")).unwrap();
        let store = cache.dir().join("resolved.bin");
        let size = || std::fs::metadata(&store).map_or(0, |m| m.len());
        let none = Overrides::default();

        let fresh = outcome(&texts, &none, None);
        assert!(fresh.contains("Paris") && fresh.contains("Dumont"), "{fresh}");
        assert_eq!(outcome(&texts, &none, Some(&cache)), fresh);
        let first = size();
        assert!(first > 0, "the results are kept");
        assert_eq!(outcome(&texts, &none, Some(&cache)), fresh, "read back from the cache");
        assert_eq!(size(), first, "nothing resolved again");

        // One article edited: only its results are made again.
        let mut edited = texts;
        edited[2] = "Springfield vote\n\nVoters in Springfield backed the plan, Dumont said.\n";
        assert_eq!(outcome(&edited, &none, Some(&cache)), outcome(&edited, &none, None));
        let after_edit = size();
        assert!(after_edit > first, "the edited article is resolved again");

        // An article that names a country changes the archive's prior: every article's places
        // are weighed again ("much of the archive is about France" is a reason only then),
        // and the result is still a fresh resolve's. (The store keeps the last build's
        // entries only, so this comes before the overrides change.)
        let mut more = edited.to_vec();
        more.push("Summit\n\nLeaders of Australia and France met in Canberra.\n");
        let before = size();
        let weighed = outcome(&more, &none, Some(&cache));
        assert!(weighed.contains("much of the archive is about France") && !fresh.contains("much of the archive"), "{weighed}");
        assert_eq!(weighed, outcome(&more, &none, None));
        assert!(size() > before);

        // Other overrides: every article again.
        let overrides = Overrides::parse("ignore = [\"Monday\"]\n\n[[entity]]\nname = \"Pierre Dumont\"\ntype = \"person\"\naliases = [\"Dumont\"]\n").unwrap();
        let before = size();
        assert_eq!(outcome(&edited, &overrides, Some(&cache)), outcome(&edited, &overrides, None));
        assert!(size() > before);
    }

    #[test]
    fn a_name_gets_one_page_and_the_type_most_of_its_mentions_have() {
        use crate::model::{EntityKind, LinkHint, RawMention};
        let made = |kind: EntityKind| {
            let text = "Quarnby left early on Monday.\n".to_string();
            let src = crate::model::Source { path: "x/a.txt".into(), rel: "a.txt".into(), format: crate::model::Format::Txt, text, body_start: 0, meta: Default::default(), meta_origin: None };
            let key = crate::cache::Cache::article_key(&src);
            let mut art = crate::pipeline::process(src, key, &crate::annotate::rules::RuleAnnotator);
            art.raw_mentions = crate::model::Encoded::new(&vec![RawMention { span: crate::text::Span::new(0, 7), kind, score: 0.9, link: LinkHint::None, rule: "tagger", canonical: None, qualifier: None }]);
            art
        };
        let mut arts = vec![made(EntityKind::Person), made(EntityKind::Organisation), made(EntityKind::Person)];
        let entities = resolve(&mut arts, &Overrides::default(), None);
        let named: Vec<&Entity> = entities.iter().filter(|e| e.name == "Quarnby").collect();
        assert_eq!(named.len(), 1, "one page: {entities:?}");
        assert_eq!((named[0].kind, named[0].mention_count), (EntityKind::Person, 3));
        assert_eq!(named[0].tagged, vec![(EntityKind::Person, 2), (EntityKind::Organisation, 1)]);
        assert_eq!(arts[1].mentions[0].kind, EntityKind::Person, "the moved mention is marked as its page's type");
    }

    /// `geonames = ID` puts a place at that GeoNames entry, `lat`/`lon` at a point the
    /// gazetteer lacks; both say so as the reason.
    #[test]
    fn entities_toml_pins_a_place() {
        let resolve_with = |toml: &str| {
            let text = "Springfield officials met on Monday.\n\nSpringfield officials said Camp Bastion would close.\n".to_string();
            let src = crate::model::Source { path: "x/a.txt".into(), rel: "a.txt".into(), format: crate::model::Format::Txt, text, body_start: 0, meta: Default::default(), meta_origin: None };
            let key = crate::cache::Cache::article_key(&src);
            let mut arts = vec![crate::pipeline::process(src, key, &crate::annotate::rules::RuleAnnotator)];
            resolve(&mut arts, &Overrides::parse(toml).expect("valid overrides"), None)
        };
        let pinned = resolve_with("[[entity]]\nname = \"Springfield\"\ngeonames = 4250542\n\n[[entity]]\nname = \"Camp Bastion\"\nlat = 31.86\nlon = 64.22\n");
        let place = |entities: &[Entity], name: &str| entities.iter().find(|e| e.name == name).and_then(|e| e.place.clone()).unwrap_or_else(|| panic!("{name} has a place: {entities:?}"));
        let spring = place(&pinned, "Springfield");
        assert_eq!((spring.geonames_id, spring.division.as_deref()), (Some(4250542), Some("Illinois")));
        assert_eq!(spring.why.as_deref(), Some("pinned in entities.toml"));
        let camp = place(&pinned, "Camp Bastion");
        assert_eq!((camp.lat, camp.lon, camp.feature), (Some(31.86), Some(64.22), "point"));
        // Unpinned, Springfield is the largest of its name, in Missouri.
        let free = resolve_with("[[entity]]\nname = \"Springfield\"\ntype = \"location\"\n");
        assert_ne!(free.iter().find(|e| e.name == "Springfield").and_then(|e| e.place.as_ref()).and_then(|p| p.geonames_id), Some(4250542));
        assert!(Overrides::parse("[[entity]]\nname = \"X\"\ngeonames = 1\nlat = 2.0\nlon = 3.0\n").is_err(), "a pin is an id or a point, not both");
        assert!(Overrides::parse("[[entity]]\nname = \"X\"\nlat = 91.0\nlon = 3.0\n").is_err(), "latitude out of range");
    }

    #[test]
    fn spelling_variants_share_a_key() {
        assert_eq!(name_key("Sergey Lavrov"), name_key("Sergei Lavrov"));
        assert_eq!(name_key("defence ministry"), name_key("Defense Ministry"));
        assert_eq!(name_key("Bashar al-Assad"), name_key("Bashar Assad"));
        assert_eq!(name_key("the \u{2018}Islamic State\u{2019}"), name_key("'Islamic State'"));
        assert_eq!(name_key("Zürich"), name_key("Zurich"));
        assert_ne!(name_key("Sergei Lavrov"), name_key("Sergei Shoigu"));
        assert_ne!(name_key("Ali"), name_key("Al"));
    }
}
