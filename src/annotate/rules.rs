//! The first annotator: gazetteer, curated lists, cue words and token statistics.
//!
//! Candidates come from several sources and compete for the text: a candidate with strong
//! evidence (a dateline, a listed organisation, a cue word) beats one with weak evidence (a
//! gazetteer hit, token statistics), and among strong ones the longer span wins, so that
//! "Bloomberg Television" beats "Bloomberg" and "Peshmerga" beats "Kurdish Peshmerga".

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::tokenize::Token;
use super::{Annotator, Document};
use crate::lexicon::gazetteer::Feature;
use crate::lexicon::Lexicon;
use crate::model::{EntityKind, LinkHint, RawMention};
use crate::text::Span;

pub struct RuleAnnotator;

#[cfg(test)]
thread_local! {
    /// Spans compared, names looked at and candidates made, counted in tests to show that the
    /// work grows with the text, not with its square.
    static WORK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts `n` steps of work (in tests only).
#[inline]
fn work(n: usize) {
    #[cfg(test)]
    WORK.with(|w| w.set(w.get() + n));
    let _ = n;
}

/// How strong the evidence for a candidate is; lower is stronger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Evidence {
    /// The trained tagger's mentions, when there is one (see [`combine`]).
    Model = 0,
    /// Dateline parts, listed organisations, common-noun organisation phrases, cue words.
    Strong = 1,
    /// Gazetteer hits and token statistics.
    Weak = 2,
}

#[derive(Debug, Clone)]
struct Candidate {
    m: RawMention,
    evidence: Evidence,
}

fn cand(span: Span, kind: EntityKind, score: f32, rule: &'static str, link: LinkHint, evidence: Evidence) -> Candidate {
    Candidate { m: RawMention { span, kind, score, link, rule, canonical: None, qualifier: None }, evidence }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// True when `span` starts and ends on word boundaries (hyphens and apostrophes count as
/// boundaries, so "Russia's" and "anti-IS" still yield "Russia" and "IS").
fn on_word_boundaries(text: &str, span: Span) -> bool {
    let before = text[..span.start()].chars().next_back();
    let after = text[span.end()..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// A capitalised word, or a name word with a lower-case particle ("al-Assad").
fn capitalised(word: &str) -> bool {
    let w = ["al-", "el-", "ad-", "ash-", "as-", "ar-", "bin-"].iter().find_map(|p| word.strip_prefix(p)).unwrap_or(word);
    w.chars().next().is_some_and(char::is_uppercase)
}

fn all_caps(word: &str) -> bool {
    word.chars().any(char::is_alphabetic) && !word.chars().any(char::is_lowercase)
}

/// A listed acronym that is also an English word ("IS", "US") inside a line written in
/// capitals ("PEACE IS NEAR") says nothing: the word and the acronym look the same there.
fn word_in_capitals(text: &str, span: Span, lex: &Lexicon) -> bool {
    let name = span.get(text);
    if !all_caps(name) || lex.zipf(name) < 4.0 {
        return false;
    }
    let start = text[..span.start()].rfind('\n').map_or(0, |i| i + 1);
    let end = text[span.end()..].find('\n').map_or(text.len(), |i| span.end() + i);
    let line = &text[start..end];
    line.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() >= 3 && !line.chars().any(char::is_lowercase)
}

impl Annotator for RuleAnnotator {
    fn name(&self) -> &'static str {
        "rules"
    }

    fn annotate(&self, doc: &Document) -> Vec<RawMention> {
        rules(doc, None)
    }
}

/// The trained tagger's mentions completed by the rules: the tagger decides wherever it found
/// something, except where a rule with strong evidence (a listed organisation, "defence
/// ministry", a dateline, "Syrian Democratic Forces (SDF)") covers a longer span containing
/// the tagger's; rules fill the gaps the tagger left only with strong evidence; and short forms
/// and acronyms are linked to the full names as before. The gazetteer and token statistics do
/// not vote on their own: the tagger already used them as features.
pub fn combine(doc: &Document, model: Vec<RawMention>) -> Vec<RawMention> {
    rules(doc, Some(model))
}

fn rules(doc: &Document, model: Option<Vec<RawMention>>) -> Vec<RawMention> {
    let lex = Lexicon::get();
        let lex: &Lexicon = &lex;
    let with_model = model.is_some();
    let text = doc.text;
    let region = Span::new(doc.start, text.len());
    let body = region.get(text);
    let mut cands: Vec<Candidate> = Vec::new();

    // 1. The dateline: its place and region are locations, its agency an organisation.
    if let Some(d) = doc.dateline {
        if let Some(place) = d.place {
            let span = strip_generic_place_words(text, place);
            let link = lex.gazetteer.lookup(span.get(text)).map_or(LinkHint::None, |n| LinkHint::Place(lex.gazetteer.best(lex.gazetteer.places_for(n), &[])));
            cands.push(cand(span, EntityKind::Location, 0.9, "dateline place", link, Evidence::Strong));
        }
        if let Some(r) = d.region {
            cands.push(cand(r, EntityKind::Location, 0.85, "dateline region", LinkHint::None, Evidence::Strong));
        }
        if let Some(a) = d.agency {
            let link = lex.orgs.lookup(a.get(text)).map_or(LinkHint::None, LinkHint::Org);
            cands.push(cand(a, EntityKind::Organisation, 0.9, "dateline agency", link, Evidence::Strong));
        }
    }

    // 2. Listed organisations (case-sensitive, so "IS" never matches "is").
    for (s, e, id) in lex.orgs.find_iter(body) {
        let span = Span::new(region.start() + s, region.start() + e);
        if on_word_boundaries(text, span) && !word_in_capitals(text, span, lex) {
            cands.push(cand(span, EntityKind::Organisation, 0.95, "organisation list", LinkHint::Org(id), Evidence::Strong));
        }
    }

    // 3. Common-noun organisations ("defence ministry", "US-led coalition"), any case.
    for m in lex.cues.org_phrases.find_iter(body) {
        let span = Span::new(region.start() + m.start(), region.start() + m.end());
        if on_word_boundaries(text, span) {
            let mut c = cand(span, EntityKind::Organisation, 0.8, "organisation phrase", LinkHint::None, Evidence::Strong);
            c.m.qualifier = qualifier_before(text, span.start(), lex).map(String::into_boxed_str);
            cands.push(c);
        }
    }

    // 4. Gazetteer places (without a tagger only).
    let tokens = &doc.tokens[..];
    let sentence_starts: rustc_hash::FxHashSet<usize> = tokens.iter().filter(|t| t.sent_start).map(|t| t.span.start()).collect();
    for (s, e, name) in (!with_model).then(|| lex.gazetteer.find_iter(body)).into_iter().flatten() {
        let span = Span::new(region.start() + s, region.start() + e);
        if !on_word_boundaries(text, span) {
            continue;
        }
        let ids = lex.gazetteer.places_for(name);
        let word = span.get(text);
        let top = lex.gazetteer.place(ids[0]);
        // A single word that is also a common English word ("Split", "Of", "Police") needs
        // the token statistics to call it a place.
        if !word.contains(' ') && top.feature != Feature::Country {
            let stats = lex.token(word);
            let common = lex.lowercase_count(word) >= 10;
            let mostly_not_place = stats.total() >= 3 && stats.loc * 2 < stats.total();
            // At a sentence start the capital says nothing: "Split decisions followed."
            let opens_sentence = sentence_starts.contains(&span.start()) && lex.lowercase_count(word) >= 3;
            if common && stats.loc * 2 < stats.total().max(1) || mostly_not_place || opens_sentence {
                continue;
            }
        }
        cands.push(cand(span, EntityKind::Location, 0.75, "gazetteer", LinkHint::Place(ids[0]), Evidence::Weak));
    }

    // 5. Capitalised sequences, classified by cue words and statistics.
    let mut acronyms: Vec<(String, Candidate)> = Vec::new();
    let seqs = sequences(text, tokens, lex);
    let mut prev_person_end: Option<usize> = None;
    for seq in &seqs {
        for mut c in classify(text, tokens, seq, lex, prev_person_end) {
            if c.m.kind == EntityKind::Person && c.evidence == Evidence::Strong {
                prev_person_end = Some(seq.end);
            }
            // "Syrian Democratic Forces (SDF)": the acronym names the same entity.
            let after = text[c.m.span.end()..].trim_start_matches(' ');
            if let Some(inner) = after.strip_prefix('(') {
                if let Some(close) = inner.find(')') {
                    let acr = &inner[..close];
                    if acr.len() >= 2 && acr.len() <= 8 && all_caps(acr) && !acr.contains(' ') {
                        c.m.rule = if c.m.rule == "capitalised words" { "acronym definition" } else { c.m.rule };
                        c.evidence = Evidence::Strong;
                        acronyms.push((acr.to_string(), c.clone()));
                    }
                }
            }
            cands.push(c);
        }
    }
    cands.extend(acronym_uses(text, region, &acronyms));

    if let Some(model) = model {
        cands.retain(|c| c.evidence == Evidence::Strong);
        cands.extend(model.into_iter().map(|m| Candidate { m, evidence: Evidence::Model }));
    }
    let mut chosen = select(text, cands, lex);

    // 6. Short forms of people named in full ("Lavrov" after "Sergei Lavrov").
    let mut surnames: HashMap<String, String> = HashMap::default();
    let mut shared_surnames: rustc_hash::FxHashSet<String> = Default::default();
    // The full names that short forms point to, in the order the article first gives them:
    // the first that matches a partial name wins, so the order must not be the map's.
    let mut fulls: Vec<&str> = Vec::new();
    let mut listed: rustc_hash::FxHashSet<&str> = Default::default();
    for m in &chosen {
        if m.kind == EntityKind::Person {
            let full = m.span.get(text);
            let words: Vec<&str> = full.split_whitespace().collect();
            if words.len() >= 2 {
                let last = words[words.len() - 1];
                let bare = strip_particle(last);
                for key in [Some(last.to_string()), (bare != last).then_some(bare)].into_iter().flatten() {
                    match surnames.entry(key) {
                        std::collections::hash_map::Entry::Vacant(slot) => {
                            slot.insert(full.to_string());
                            if listed.insert(full) {
                                fulls.push(full);
                            }
                        }
                        // Two people of one surname: a surname alone could be either.
                        std::collections::hash_map::Entry::Occupied(slot) if slot.get() != full => {
                            shared_surnames.insert(slot.key().clone());
                        }
                        std::collections::hash_map::Entry::Occupied(_) => {}
                    }
                }
            }
        }
    }
    surnames.retain(|k, _| !shared_surnames.contains(k));
    let mut extra: Vec<RawMention> = Vec::new();
    // A partial name of a person named in full ("Bashar Assad" for "Bashar al-Assad").
    let full_names = FullNames::new(&fulls);
    // A several-word mention made only of the parts of a person's full name is that person,
    // whatever type the tagger gave it ("Bashar Assad" after "Bashar al-Assad").
    for m in chosen.iter_mut().filter(|m| m.kind != EntityKind::Person) {
        let words: Vec<String> = m.span.get(text).split_whitespace().map(strip_particle).collect();
        if words.len() >= 2 {
            if let Some(full) = full_names.first_with_all(&words, Some(m.span.get(text))) {
                m.kind = EntityKind::Person;
                m.rule = "short form";
                m.link = LinkHint::None;
                m.canonical = Some(full.into());
            }
        }
    }
    // A surname alone, of a person the article names in full, is that person whatever type
    // the tagger gave it ("Assange" after "Julian Assange"), unless the article says it is a
    // place there ("in Morales") or it names a large place or a listed body.
    // A surname the tagger already called a person is linked the same way ("Mr Trump" after
    // "Donald Trump").
    for m in chosen.iter_mut().filter(|m| m.kind != EntityKind::Misc && m.rule == "tagger" && m.canonical.is_none()) {
        let w = m.span.get(text);
        let Some(full) = surnames.get(w) else { continue };
        let before = text[..m.span.start()].trim_end().rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
        let big_place = lex.gazetteer.lookup(w).is_some_and(|n| lex.gazetteer.places_for(n).iter().any(|&id| lex.gazetteer.place(id).population >= 100_000));
        if m.kind != EntityKind::Person {
            if PLACE_PREPOSITIONS.contains(&before) || big_place || lex.orgs.lookup(w).is_some() {
                continue;
            }
            m.kind = EntityKind::Person;
            m.rule = "short form";
            m.link = LinkHint::None;
        }
        m.canonical = Some(full.as_str().into());
    }
    // The text the mentions so far take, to find in a few steps whether a span is free.
    let mut taken: Placed<()> = Placed::default();
    for m in &chosen {
        taken.insert(m.span, ());
    }
    for seq in &seqs {
        let span = Span::new(tokens[seq.start].span.start(), tokens[seq.end - 1].span.end());
        if seq.end - seq.start < 2 || taken.overlaps_any(span) {
            continue;
        }
        let words: Vec<String> = (seq.start..seq.end).map(|i| strip_particle(tokens[i].text(text))).collect();
        if let Some(full) = full_names.first_with_all(&words, None) {
            taken.insert(span, ());
            extra.push(RawMention { span, kind: EntityKind::Person, score: 0.75, link: LinkHint::None, rule: "short form", canonical: Some(full.into()), qualifier: None });
        }
    }
    for t in tokens.iter().filter(|t| t.word) {
        let w = t.text(text);
        if let Some(full) = surnames.get(w) {
            if !taken.overlaps_any(t.span) {
                taken.insert(t.span, ());
                extra.push(RawMention { span: t.span, kind: EntityKind::Person, score: 0.8, link: LinkHint::None, rule: "short form", canonical: Some(full.as_str().into()), qualifier: None });
            }
        }
    }
    chosen.extend(extra);

    // 7. Unqualified organisation phrases take the qualifier the article gives elsewhere
    //    ("the defence ministry" after "Russia's defence ministry"), else the dateline's country.
    let dateline_country = doc.dateline.and_then(|d| d.place).and_then(|p| lex.gazetteer.lookup(strip_generic_place_words(text, p).get(text))).and_then(|n| lex.gazetteer.place(lex.gazetteer.places_for(n)[0]).country.clone());
    let mut qualified: HashMap<String, Box<str>> = HashMap::default();
    for m in &chosen {
        if let (Some(q), "organisation phrase") = (&m.qualifier, m.rule) {
            qualified.entry(crate::resolve::name_key(m.span.get(text))).or_insert_with(|| q.clone());
        }
    }
    for m in chosen.iter_mut().filter(|m| m.rule == "organisation phrase" && m.qualifier.is_none()) {
        m.qualifier = qualified.get(&crate::resolve::name_key(m.span.get(text))).cloned().or_else(|| dateline_country.as_deref().map(Into::into));
    }
    chosen.sort_by_key(|m| (m.span.start(), m.span.end()));
    chosen
}

/// The uses of defined acronyms ("SDF" after "Syrian Democratic Forces (SDF)"), each standing
/// for its definition, in the order of the definitions and then of the text.
///
/// An article that defines an acronym in every paragraph needs it looked for once: a
/// definition that makes the same candidates as an earlier one adds nothing (its candidates
/// tie with the first's and lose to them in [`select`]), so it is skipped, and all acronyms are
/// found in one pass over the text instead of one pass each.
fn acronym_uses(text: &str, region: Span, acronyms: &[(String, Candidate)]) -> Vec<Candidate> {
    let mut seen: rustc_hash::FxHashSet<(&str, EntityKind, (u8, u32), Box<str>)> = Default::default();
    let mut patterns: Vec<&str> = Vec::new();
    let mut pattern_of: HashMap<&str, usize> = HashMap::default();
    // (pattern, kind, link, canonical) of each definition that makes new candidates.
    let mut defs: Vec<(usize, &RawMention, Box<str>)> = Vec::new();
    for (acr, def) in acronyms {
        let canonical = def.m.canonical.clone().unwrap_or_else(|| def.m.span.get(text).into());
        let link = match def.m.link {
            LinkHint::Place(i) => (1, i),
            LinkHint::Org(i) => (2, i),
            LinkHint::None => (0, 0),
        };
        if seen.insert((acr.as_str(), def.m.kind, link, canonical.clone())) {
            let p = *pattern_of.entry(acr.as_str()).or_insert_with(|| {
                patterns.push(acr.as_str());
                patterns.len() - 1
            });
            defs.push((p, &def.m, canonical));
        }
    }
    if patterns.is_empty() {
        return Vec::new();
    }
    let body = region.get(text);
    let matcher = aho_corasick::AhoCorasick::new(&patterns).expect("acronyms of 2 to 8 bytes build a matcher");
    // Each acronym's occurrences as `str::match_indices` gives them: from the left, each
    // search resuming where the last match ended.
    let mut starts: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
    for m in matcher.find_overlapping_iter(body) {
        let (p, at) = (m.pattern().as_usize(), &mut starts[m.pattern().as_usize()]);
        if at.last().is_none_or(|&last| m.start() >= last + patterns[p].len()) {
            at.push(m.start());
        }
    }
    let mut out = Vec::new();
    for (p, def, canonical) in defs {
        for &s in &starts[p] {
            let span = Span::new(region.start() + s, region.start() + s + patterns[p].len());
            if on_word_boundaries(text, span) {
                work(1);
                let mut c = cand(span, def.kind, 0.85, "acronym", def.link.clone(), Evidence::Strong);
                c.m.canonical = Some(canonical.clone());
                out.push(c);
            }
        }
    }
    out
}

fn strip_particle(w: &str) -> String {
    ["al-", "el-"].iter().find_map(|p| w.strip_prefix(p)).unwrap_or(w).to_string()
}

/// "DVORIKI VILLAGE" names the village Dvoriki.
fn strip_generic_place_words(text: &str, place: Span) -> Span {
    let s = place.get(text);
    for suffix in [" VILLAGE", " CITY", " TOWN", " SETTLEMENT"] {
        if let Some(stem) = s.strip_suffix(suffix) {
            return Span::new(place.start(), place.start() + stem.len());
        }
    }
    place
}

/// The country named just before an organisation phrase: "Russia's", "the Russian", "Iraqi".
fn qualifier_before(text: &str, start: usize, lex: &Lexicon) -> Option<String> {
    let before = text[..start].trim_end();
    let before = before.strip_suffix("the").map(str::trim_end).unwrap_or(before);
    let word_start = before.rfind(|c: char| c.is_whitespace() || c == '(' || c == '"').map_or(0, |i| i + 1);
    let word = &before[word_start..];
    let word = word.trim_end_matches("'s").trim_end_matches("\u{2019}s").trim_end_matches(['\'', '\u{2019}']);
    if let Some(iso) = lex.gazetteer.demonym(word) {
        return Some(iso.to_string());
    }
    let n = lex.gazetteer.lookup(word)?;
    let p = lex.gazetteer.place(lex.gazetteer.places_for(n)[0]);
    (p.feature == Feature::Country).then(|| p.country.clone()).flatten()
}

/// A run of capitalised words (with connectors inside), as token indices `start..end`.
#[derive(Debug, Clone)]
struct Seq {
    start: usize,
    end: usize,
}

fn sequences(text: &str, tokens: &[Token], lex: &Lexicon) -> Vec<Seq> {
    let mut out = Vec::new();
    let mut i = 0;
    let name_word = |t: &Token| {
        let w = t.text(text);
        t.word && capitalised(w) && !lex.cues.not_names.contains(w) && !w.chars().all(|c| c.is_ascii_digit())
    };
    while i < tokens.len() {
        if !name_word(&tokens[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        loop {
            // Next token must be separated by a single space (not punctuation).
            if end < tokens.len() && name_word(&tokens[end]) && gap_is_space(text, &tokens[end - 1], &tokens[end]) && !tokens[end].sent_start {
                end += 1;
                continue;
            }
            // A connector ("of", "for", "al") between two name words.
            if end + 1 < tokens.len()
                && tokens[end].word
                && lex.cues.connectors.contains(tokens[end].text(text))
                && name_word(&tokens[end + 1])
                && gap_is_space(text, &tokens[end - 1], &tokens[end])
                && gap_is_space(text, &tokens[end], &tokens[end + 1])
            {
                end += 2;
                continue;
            }
            break;
        }
        out.push(Seq { start, end });
        i = end;
    }
    out
}

fn gap_is_space(text: &str, a: &Token, b: &Token) -> bool {
    let gap = &text[a.span.end()..b.span.start()];
    !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{a0}')
}

/// Turns one capitalised sequence into candidates.
fn classify(text: &str, tokens: &[Token], seq: &Seq, lex: &Lexicon, prev_person_end: Option<usize>) -> Vec<Candidate> {
    let words: Vec<&str> = (seq.start..seq.end).map(|i| tokens[i].text(text)).collect();
    let span_of = |a: usize, b: usize| Span::new(tokens[seq.start + a].span.start(), tokens[seq.start + b - 1].span.end());
    let mut out = Vec::new();

    // The last word (or two) is an organisation head ("Forces", "News Agency") or a place
    // head ("River", "Air Base"), checked before titles so "General Assembly" stays whole.
    let last = *words.last().unwrap();
    let last_two = (words.len() >= 2).then(|| words[words.len() - 2..].join(" "));
    let is_head = |set: &rustc_hash::FxHashSet<String>| set.contains(last) || last_two.as_ref().is_some_and(|l| set.contains(l));
    if words.len() >= 2 && is_head(&lex.cues.org_heads) {
        out.push(cand(span_of(0, words.len()), EntityKind::Organisation, 0.8, "organisation head word", LinkHint::None, Evidence::Strong));
        return out;
    }
    if words.len() >= 2 && is_head(&lex.cues.location_heads) {
        out.push(cand(span_of(0, words.len()), EntityKind::Location, 0.75, "place head word", LinkHint::None, Evidence::Strong));
        return out;
    }
    // A person title inside or just before the sequence: "Foreign Minister Sergei Lavrov".
    let mut title_end = None;
    for k in 0..words.len() {
        for len in (1..=4).rev() {
            if k + len <= words.len() && lex.cues.person_titles.contains(&words[k..k + len].join(" ")) {
                title_end = Some(title_end.map_or(k + len, |t: usize| t.max(k + len)));
            }
        }
    }
    let before = seq.start.checked_sub(1).map(|i| tokens[i].text(text));
    let lower_title_before = before.is_some_and(|w| lex.cues.person_titles.contains(w));
    if let Some(t) = title_end {
        if t < words.len() && t + 4 >= words.len() {
            let mut c = cand(span_of(t, words.len()), EntityKind::Person, 0.85, "person title", LinkHint::None, Evidence::Strong);
            c.m.canonical = None;
            out.push(c);
            return out;
        }
    }
    if lower_title_before && words.len() <= 4 {
        out.push(cand(span_of(0, words.len()), EntityKind::Person, 0.8, "person title", LinkHint::None, Evidence::Strong));
        return out;
    }
    // "X and Y" after a titled person: "counterparts Mohammad Javad Zarif and Walid Muallem".
    if let Some(prev) = prev_person_end {
        if seq.start == prev + 1 && tokens.get(prev).is_some_and(|t| t.text(text) == "and") && words.len() <= 4 && words.len() >= 2 {
            out.push(cand(span_of(0, words.len()), EntityKind::Person, 0.7, "person list", LinkHint::None, Evidence::Strong));
            return out;
        }
    }

    // A place head in lower case after the name: "Vladimir region", "Idlib province".
    if let Some(next) = tokens.get(seq.end) {
        let w = next.text(text);
        // "Idlib province" is Idlib; "Syrian city" is no place at all.
        let known_place = lex.gazetteer.lookup(&words.join(" ")).is_some() || (words.len() == 1 && lex.gazetteer.demonym(words[0]).is_some());
        if !known_place && next.word && w.chars().next().is_some_and(char::is_lowercase) && lex.cues.location_heads.contains(w) && gap_is_space(text, &tokens[seq.end - 1], next) {
            let span = Span::new(tokens[seq.start].span.start(), next.span.end());
            out.push(cand(span, EntityKind::Location, 0.7, "place head word", LinkHint::None, Evidence::Weak));
            return out;
        }
    }

    // A known given name opens a person's name: "Sergei Lavrov", "Walid Muallem".
    if words.len() >= 2 && words.len() <= 4 && lex.given_names.contains(words[0]) && lex.gazetteer.lookup(&words.join(" ")).is_none() {
        out.push(cand(span_of(0, words.len()), EntityKind::Person, 0.75, "given name", LinkHint::None, Evidence::Strong));
        return out;
    }

    // Without a head word, "Mosul for Syria" is two names, not one: split at connectors.
    if let Some(k) = words.iter().position(|w| lex.cues.connectors.contains(*w)) {
        let left = Seq { start: seq.start, end: seq.start + k };
        let right = Seq { start: seq.start + k + 1, end: seq.end };
        let mut out = classify(text, tokens, &left, lex, prev_person_end);
        let left_person = out.iter().any(|c| c.m.kind == EntityKind::Person && c.evidence == Evidence::Strong);
        if right.start < right.end {
            out.extend(classify(text, tokens, &right, lex, left_person.then_some(left.end)));
        }
        return out;
    }

    // Token statistics from CoNLL-2003 training data: a weak vote.
    let sent_start = tokens[seq.start].sent_start;
    let (mut per, mut loc, mut org, mut misc, mut o) = (0u32, 0u32, 0u32, 0u32, 0u32);
    for w in &words {
        let c = lex.token(w);
        per += c.per;
        loc += c.loc;
        org += c.org;
        misc += c.misc;
        o += c.o;
    }
    let total = per + loc + org + misc + o;
    if total == 0 {
        return out;
    }
    let (kind, best) = [(EntityKind::Person, per), (EntityKind::Location, loc), (EntityKind::Organisation, org)].into_iter().max_by_key(|(_, n)| *n).unwrap();
    let share = best as f32 / total as f32;
    let single = words.len() == 1;
    // A lone capitalised word that opens a sentence and is a common word is not a name.
    if single && sent_start && lex.lowercase_count(words[0]) >= 3 {
        return out;
    }
    if best > misc && share >= if single { 0.6 } else { 0.5 } && best >= 2 {
        let score = (0.35 + share * 0.4).min(0.75);
        out.push(cand(span_of(0, words.len()), kind, score, "token statistics", LinkHint::None, Evidence::Weak));
    }
    out
}

/// Words before a name that make it a place: "in Morales", "near Assange".
const PLACE_PREPOSITIONS: &[&str] = &["in", "at", "near", "from", "to", "into", "outside", "across"];

/// Rules whose evidence is good enough to replace the tagger's shorter mentions: lists and
/// explicit definitions, not the capitalisation heuristics.
const OVERRULE_TAGGER: &[&str] = &["organisation list", "organisation phrase", "acronym definition", "acronym", "dateline place", "dateline agency", "dateline region"];

/// True when tagger mention `m` is one qualifying word followed by the listed name `inner`
/// ("Kurdish Peshmerga"): a demonym, a word tagged as another name elsewhere, or any single
/// word that is not a given name ("Walt Disney" stays a person).
fn demonym_before(text: &str, m: &RawMention, inner: Span, lex: &Lexicon, misc: &rustc_hash::FxHashSet<&str>) -> bool {
    let before = text[m.span.start()..inner.start().max(m.span.start())].trim();
    m.span.end() == inner.end()
        && !before.is_empty()
        && (lex.gazetteer.demonym(before).is_some() || misc.contains(before) || (!before.contains(char::is_whitespace) && !lex.given_names.contains(before)))
}

/// Below this confidence a tagger mention gives way to a listed name of another kind.
const UNSURE_TAGGER: f32 = 0.6;

/// Picks non-overlapping candidates: the tagger's first, then strong evidence, then weak,
/// longer spans first within each; a strong candidate that contains every tagger mention it
/// overlaps, and is longer, replaces them ("US-led coalition" over "US-led").
fn select(text: &str, mut cands: Vec<Candidate>, lex: &Lexicon) -> Vec<RawMention> {
    // Words the tagger calls other names (nationalities, "Kurdish") anywhere in the article.
    let misc: rustc_hash::FxHashSet<&str> = cands.iter().filter(|c| c.m.kind == EntityKind::Misc).map(|c| c.m.span.get(text)).collect();
    cands.sort_by(|a, b| {
        a.evidence
            .cmp(&b.evidence)
            .then(b.m.span.len().cmp(&a.m.span.len()))
            .then(b.m.score.partial_cmp(&a.m.score).unwrap_or(std::cmp::Ordering::Equal))
            .then(a.m.span.start().cmp(&b.m.span.start()))
    });
    let mut chosen: Placed<(RawMention, Evidence)> = Placed::default();
    for c in cands {
        let overlapping = chosen.overlapping(c.m.span);
        if overlapping.is_empty() {
            chosen.insert(c.m.span, (c.m, c.evidence));
            continue;
        }
        // A listed name replaces tagger mentions it contains ("US-led coalition" over
        // "US-led", "Defense Ministry" with its country over the bare tagger mention), and
        // uncertain tagger mentions of another kind ("Peshmerga", an organisation, inside
        // "Kurdish Peshmerga", an uncertain location).
        let replaces = c.evidence == Evidence::Strong
            && OVERRULE_TAGGER.contains(&c.m.rule)
            && overlapping.iter().all(|key| {
                let (m, ev) = (&chosen.map[key].0, chosen.map[key].1);
                ev == Evidence::Model
                    && (c.m.span.contains(m.span) || (m.kind != c.m.kind && (m.score < UNSURE_TAGGER || demonym_before(text, m, c.m.span, lex, &misc))))
            });
        if replaces {
            for key in overlapping {
                chosen.map.remove(&key);
            }
            chosen.insert(c.m.span, (c.m, c.evidence));
        }
    }
    chosen.into_inserted_order().into_iter().map(|(m, _)| m).collect()
}

/// Spans that do not overlap one another (as [`Span::overlaps`]), ordered by position, so that
/// the ones a new span overlaps are found by a range lookup instead of a scan of all of them
/// (a long article has tens of thousands of mentions). Each remembers when it was inserted:
/// the mentions come out in that order, which the short forms' first-named rule depends on.
struct Placed<T> {
    /// Keyed by start, end and insertion number: empty spans overlap nothing at their edges,
    /// so two placed spans may share a start.
    map: BTreeMap<(usize, usize, usize), T>,
    inserted: usize,
}

impl<T> Default for Placed<T> {
    fn default() -> Self {
        Placed { map: BTreeMap::new(), inserted: 0 }
    }
}

impl<T> Placed<T> {
    /// The keys of the placed spans that overlap `span`, last first.
    ///
    /// Walking back from the last placed span that starts before `span` ends, the ends only
    /// fall (two spans that do not overlap cannot nest), so the first one that ends at or
    /// before `span.start` has no overlapping one before it.
    fn overlapping(&self, span: Span) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for &key in self.map.range(..(span.end(), 0, 0)).rev().map(|(k, _)| k) {
            work(1);
            if key.1 <= span.start() {
                break;
            }
            out.push(key);
        }
        out
    }

    fn overlaps_any(&self, span: Span) -> bool {
        work(1);
        self.map.range(..(span.end(), 0, 0)).next_back().is_some_and(|(k, _)| k.1 > span.start())
    }

    /// Places `span`, which must not overlap any placed span.
    fn insert(&mut self, span: Span, value: T) {
        debug_assert!(self.overlapping(span).is_empty());
        self.map.insert((span.start(), span.end(), self.inserted), value);
        self.inserted += 1;
    }

    fn into_inserted_order(self) -> Vec<T> {
        let mut all: Vec<_> = self.map.into_iter().collect();
        all.sort_unstable_by_key(|((_, _, n), _)| *n);
        all.into_iter().map(|(_, v)| v).collect()
    }
}

/// The full names of the people an article names, in the order it first gives them, and for
/// each word the names that have it, so that a partial name is compared with the few names
/// that share its words, not with every person in the article.
struct FullNames {
    /// Each name's words (without "al-") and the name.
    names: Vec<(Vec<String>, String)>,
    by_word: HashMap<String, Vec<usize>>,
}

impl FullNames {
    fn new(fulls: &[&str]) -> FullNames {
        let names: Vec<(Vec<String>, String)> = fulls.iter().map(|f| (f.split_whitespace().map(strip_particle).collect(), f.to_string())).collect();
        let mut by_word: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, (parts, _)) in names.iter().enumerate() {
            for p in parts {
                let list = by_word.entry(p.clone()).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        FullNames { names, by_word }
    }

    /// The first full name that has all of `words` (a name that has them all is on each
    /// word's list, so the shortest list is enough) and is not `except`.
    fn first_with_all(&self, words: &[String], except: Option<&str>) -> Option<&str> {
        let fits = |(parts, f): &&(Vec<String>, String)| words.iter().all(|w| parts.contains(w)) && except != Some(f.as_str());
        if words.is_empty() {
            return self.names.iter().find(fits).map(|(_, f)| f.as_str());
        }
        let lists: Vec<&Vec<usize>> = words.iter().map(|w| self.by_word.get(w)).collect::<Option<_>>()?;
        let shortest = lists.into_iter().min_by_key(|l| l.len())?;
        shortest.iter().inspect(|_| work(1)).map(|&i| &self.names[i]).find(fits).map(|(_, f)| f.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<(String, EntityKind)> {
        let doc = Document::new(text, 0, None);
        RuleAnnotator.annotate(&doc).into_iter().map(|m| (m.span.get(text).to_string(), m.kind)).collect()
    }

    #[test]
    fn cue_words_lists_and_short_forms() {
        let t = tags("Chancellor Angela Merkel met officials of the World Health Organization in Berlin. Merkel said the Kurdistan Workers' Party (PKK) and the PKK leadership were not invited. The Interior Ministry agreed.");
        let has = |s: &str, k| t.iter().any(|(x, kind)| x == s && *kind == k);
        assert!(has("Angela Merkel", EntityKind::Person), "{t:?}");
        assert!(has("Merkel", EntityKind::Person), "short form: {t:?}");
        assert!(has("World Health Organization", EntityKind::Organisation), "{t:?}");
        assert!(has("Berlin", EntityKind::Location), "{t:?}");
        assert!(has("Interior Ministry", EntityKind::Organisation), "{t:?}");
        assert!(!t.iter().any(|(x, _)| x == "The" || x == "Chancellor"), "{t:?}");
    }

    /// A tagger mention of `part` of `text` as `kind`.
    fn tagged(text: &str, part: &str, nth: usize, kind: EntityKind) -> RawMention {
        let start = text.match_indices(part).nth(nth).unwrap().0;
        RawMention { span: Span::new(start, start + part.len()), kind, score: 0.9, link: LinkHint::None, rule: "tagger", canonical: None, qualifier: None }
    }

    #[test]
    fn a_surname_of_someone_named_in_full_is_that_person_whatever_its_type() {
        let text = "Julian Assange spoke. Later Assange left. Police in Morales said Renata Morales had gone.";
        let doc = Document::new(text, 0, None);
        let model = vec![
            tagged(text, "Julian Assange", 0, EntityKind::Person),
            tagged(text, "Assange", 1, EntityKind::Organisation),
            tagged(text, "Morales", 0, EntityKind::Location),
            tagged(text, "Renata Morales", 0, EntityKind::Person),
        ];
        let got: Vec<(&str, EntityKind, Option<&str>)> = combine(&doc, model).iter().map(|m| (m.span.get(text), m.kind, m.canonical.as_deref())).collect::<Vec<_>>().into_iter().map(|(a, b, c)| (a, b, c.map(|c| &text[text.find(c).unwrap()..text.find(c).unwrap() + c.len()]))).collect();
        assert!(got.contains(&("Assange", EntityKind::Person, Some("Julian Assange"))), "{got:?}");
        assert!(got.contains(&("Morales", EntityKind::Location, None)), "after 'in' it stays a place: {got:?}");
        let text = "Donald Trump won. There is no sign Mr Trump was helped.";
        let doc = Document::new(text, 0, None);
        let found = combine(&doc, vec![tagged(text, "Donald Trump", 0, EntityKind::Person), tagged(text, "Trump", 1, EntityKind::Person)]);
        assert!(found.iter().any(|m| m.span.get(text) == "Trump" && m.canonical.as_deref() == Some("Donald Trump")), "{found:?}");
        // Two people of one surname: the surname alone is left unlinked, never guessed.
        let text = "Campbell Paterson died. His mother Kataraina Paterson spoke. Paterson was 25.";
        let doc = Document::new(text, 0, None);
        let model = vec![tagged(text, "Campbell Paterson", 0, EntityKind::Person), tagged(text, "Kataraina Paterson", 0, EntityKind::Person), tagged(text, "Paterson", 2, EntityKind::Person)];
        let found = combine(&doc, model);
        assert!(found.iter().any(|m| m.span.get(text) == "Paterson" && m.canonical.is_none()), "{found:?}");
    }

    #[test]
    fn a_listed_acronym_that_is_a_word_is_not_found_in_a_line_of_capitals() {
        let t = tags("PEACE IS NEAR SAY LEADERS\n\nIS fighters left Raqqa.");
        let is: Vec<_> = t.iter().filter(|(x, _)| x == "IS").collect();
        assert_eq!(is.len(), 1, "only the acronym in running text: {t:?}");
    }

    #[test]
    fn common_words_and_weekdays_are_not_entities() {
        let t = tags("Asked about it on Monday, officials said nothing. Police said little. Split decisions followed. Nice weather helped.\nAll news");
        assert!(!t.iter().any(|(x, _)| ["Asked", "Monday", "Police", "Split", "Nice", "All news", "All"].contains(&x.as_str())), "{t:?}");
    }

    #[test]
    fn names_joined_by_connectors_split_without_a_head_word() {
        let t = tags("Fighters fled from Mosul for Syria, said the Syrian Observatory for Human Rights.");
        let texts: Vec<&str> = t.iter().map(|(x, _)| x.as_str()).collect();
        assert!(texts.contains(&"Mosul") && texts.contains(&"Syria"), "{t:?}");
        assert!(texts.contains(&"Syrian Observatory for Human Rights"), "{t:?}");
    }

    /// A partial name that fits two people named in full is the one the article names first,
    /// whichever that is: the same text always gives the same pages.
    #[test]
    fn a_partial_name_that_fits_two_people_is_the_first_named() {
        let canonical = |text: &str| {
            let doc = Document::new(text, 0, None);
            let found = RuleAnnotator.annotate(&doc);
            let m = found.iter().find(|m| m.span.get(text) == "Zorvath Quellin").unwrap_or_else(|| panic!("{found:?}"));
            m.canonical.as_deref().map(str::to_string)
        };
        let a = "President Zorvath Quellin Drask met President Quellin Zorvath Brenn in Berlin. Then Zorvath Quellin spoke.";
        let b = "President Quellin Zorvath Brenn met President Zorvath Quellin Drask in Berlin. Then Zorvath Quellin spoke.";
        for _ in 0..8 {
            assert_eq!(canonical(a).as_deref(), Some("Zorvath Quellin Drask"));
            assert_eq!(canonical(b).as_deref(), Some("Quellin Zorvath Brenn"));
        }
    }

    /// A name made of letters from a number, so that each paragraph names other people.
    fn name_word(prefix: &str, mut i: usize) -> String {
        let mut w = prefix.to_string();
        loop {
            w.push((b'a' + (i % 26) as u8) as char);
            i /= 26;
            if i == 0 {
                return w;
            }
        }
    }

    /// A long article is annotated with work in proportion to its length: every candidate
    /// span is compared with the chosen mentions near it, not with all of them, an acronym
    /// defined in every paragraph is looked for once, and a short form is matched against
    /// the full names that share its words (before, the work grew with the square).
    #[test]
    fn work_grows_with_the_length_of_the_article() {
        let mut text = String::from("Talks in Berlin\n");
        for i in 0..400 {
            let (given, surname) = (name_word("Zor", i), name_word("Quel", i));
            text.push_str(&format!("President {given} {surname} met officials of the Syrian Democratic Forces (SDF) in Berlin on Monday. {surname} said the SDF and the Kurdistan Workers' Party would meet {given} {surname} again.\n"));
        }
        let doc = Document::new(&text, 0, None);
        WORK.with(|w| w.set(0));
        let found = RuleAnnotator.annotate(&doc);
        let work = WORK.with(|w| w.get());
        assert!(found.iter().filter(|m| m.span.get(&text) == "SDF").count() >= 800, "the acronym is still found everywhere");
        assert!(found.iter().any(|m| m.span.get(&text) == name_word("Quel", 399) && m.kind == EntityKind::Person), "short forms are still found");
        assert!(work <= 10 * doc.tokens.len(), "{work} steps for {} tokens", doc.tokens.len());
    }

    /// The selection as it was first written: every candidate compared with every chosen
    /// mention. Kept as the reference that [`select`] must agree with.
    fn select_reference(text: &str, mut cands: Vec<Candidate>, lex: &Lexicon) -> Vec<RawMention> {
        let misc: rustc_hash::FxHashSet<&str> = cands.iter().filter(|c| c.m.kind == EntityKind::Misc).map(|c| c.m.span.get(text)).collect();
        cands.sort_by(|a, b| {
            a.evidence
                .cmp(&b.evidence)
                .then(b.m.span.len().cmp(&a.m.span.len()))
                .then(b.m.score.partial_cmp(&a.m.score).unwrap_or(std::cmp::Ordering::Equal))
                .then(a.m.span.start().cmp(&b.m.span.start()))
        });
        let mut chosen: Vec<(RawMention, Evidence)> = Vec::new();
        for c in cands {
            let overlapping: Vec<usize> = (0..chosen.len()).filter(|&i| chosen[i].0.span.overlaps(c.m.span)).collect();
            if overlapping.is_empty() {
                chosen.push((c.m, c.evidence));
                continue;
            }
            let replaces = c.evidence == Evidence::Strong
                && OVERRULE_TAGGER.contains(&c.m.rule)
                && overlapping.iter().all(|&i| {
                    let (m, ev) = (&chosen[i].0, chosen[i].1);
                    ev == Evidence::Model
                        && (c.m.span.contains(m.span) || (m.kind != c.m.kind && (m.score < UNSURE_TAGGER || demonym_before(text, m, c.m.span, lex, &misc))))
                });
            if replaces {
                for i in overlapping.into_iter().rev() {
                    chosen.remove(i);
                }
                chosen.push((c.m, c.evidence));
            }
        }
        chosen.into_iter().map(|(m, _)| m).collect()
    }

    /// A small deterministic generator (xorshift), enough to vary test candidates.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// Random candidate sets, dense (most overlap several others), with empty spans, ties,
    /// tagger mentions of every kind and the rules that may replace them: the ordered
    /// selection picks exactly what comparing with every chosen mention picks, in the same order.
    #[test]
    fn select_agrees_with_comparing_every_pair() {
        let lex = Lexicon::get();
        let lex: &Lexicon = &lex;
        let text = "Kurdish Peshmerga and the US-led coalition met Syrian Democratic Forces near Mosul. ".repeat(40);
        let rules = ["organisation list", "acronym", "dateline place", "capitalised words", "token statistics", "tagger"];
        let kinds = [EntityKind::Location, EntityKind::Organisation, EntityKind::Person, EntityKind::Misc];
        let evidences = [Evidence::Model, Evidence::Strong, Evidence::Weak];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for round in 0..300 {
            let n = 1 + rng.below(400);
            let cands: Vec<Candidate> = (0..n)
                .map(|_| {
                    let start = rng.below(if round % 2 == 0 { 300 } else { text.len() });
                    let len = if rng.below(20) == 0 { 0 } else { 1 + rng.below(25) };
                    let span = Span::new(start, (start + len).min(text.len()));
                    let score = [0.3, 0.5, 0.59, 0.8, 0.85, 0.95][rng.below(6)];
                    cand(span, kinds[rng.below(4)], score, rules[rng.below(rules.len())], LinkHint::None, evidences[rng.below(3)])
                })
                .collect();
            let fast = select(&text, cands.clone(), lex);
            assert_eq!(fast, select_reference(&text, cands, lex), "round {round}");
        }
    }
}
