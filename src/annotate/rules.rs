//! The first annotator: gazetteer, curated lists, cue words and token statistics.
//!
//! Candidates come from several sources and compete for the text: a candidate with strong
//! evidence (a dateline, a listed organisation, a cue word) beats one with weak evidence (a
//! gazetteer hit, token statistics), and among strong ones the longer span wins, so that
//! "Bloomberg Television" beats "Bloomberg" and "Peshmerga" beats "Kurdish Peshmerga".

use rustc_hash::FxHashMap as HashMap;

use super::tokenize::Token;
use super::{Annotator, Document};
use crate::lexicon::gazetteer::Feature;
use crate::lexicon::Lexicon;
use crate::model::{EntityKind, LinkHint, RawMention};
use crate::text::Span;

pub struct RuleAnnotator;

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
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
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
        let span = Span::new(region.start + s, region.start + e);
        if on_word_boundaries(text, span) {
            cands.push(cand(span, EntityKind::Organisation, 0.95, "organisation list", LinkHint::Org(id), Evidence::Strong));
        }
    }

    // 3. Common-noun organisations ("defence ministry", "US-led coalition"), any case.
    for m in lex.cues.org_phrases.find_iter(body) {
        let span = Span::new(region.start + m.start(), region.start + m.end());
        if on_word_boundaries(text, span) {
            let mut c = cand(span, EntityKind::Organisation, 0.8, "organisation phrase", LinkHint::None, Evidence::Strong);
            c.m.qualifier = qualifier_before(text, span.start, lex).map(String::into_boxed_str);
            cands.push(c);
        }
    }

    // 4. Gazetteer places (without a tagger only).
    let tokens = &doc.tokens[..];
    let sentence_starts: rustc_hash::FxHashSet<usize> = tokens.iter().filter(|t| t.sent_start).map(|t| t.span.start).collect();
    for (s, e, name) in (!with_model).then(|| lex.gazetteer.find_iter(body)).into_iter().flatten() {
        let span = Span::new(region.start + s, region.start + e);
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
            let opens_sentence = sentence_starts.contains(&span.start) && lex.lowercase_count(word) >= 3;
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
            let after = text[c.m.span.end..].trim_start_matches(' ');
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
    for (acr, def) in &acronyms {
        let full = def.m.span.get(text).to_string();
        for (s, _) in body.match_indices(acr.as_str()) {
            let span = Span::new(region.start + s, region.start + s + acr.len());
            if on_word_boundaries(text, span) {
                let mut c = cand(span, def.m.kind, 0.85, "acronym", def.m.link.clone(), Evidence::Strong);
                c.m.canonical = Some(def.m.canonical.clone().unwrap_or_else(|| full.as_str().into()));
                cands.push(c);
            }
        }
    }

    if let Some(model) = model {
        cands.retain(|c| c.evidence == Evidence::Strong);
        cands.extend(model.into_iter().map(|m| Candidate { m, evidence: Evidence::Model }));
    }
    let mut chosen = select(text, cands, lex);

    // 6. Short forms of people named in full ("Lavrov" after "Sergei Lavrov").
    let mut surnames: HashMap<String, String> = HashMap::default();
    // The full names that short forms point to, in the order the article first gives them:
    // the first that matches a partial name wins, so the order must not be the map's.
    let mut fulls: Vec<&str> = Vec::new();
    for m in &chosen {
        if m.kind == EntityKind::Person {
            let full = m.span.get(text);
            let words: Vec<&str> = full.split_whitespace().collect();
            if words.len() >= 2 {
                let last = words[words.len() - 1];
                let bare = strip_particle(last);
                for key in [Some(last.to_string()), (bare != last).then_some(bare)].into_iter().flatten() {
                    if let std::collections::hash_map::Entry::Vacant(slot) = surnames.entry(key) {
                        slot.insert(full.to_string());
                        if !fulls.contains(&full) {
                            fulls.push(full);
                        }
                    }
                }
            }
        }
    }
    let mut extra: Vec<RawMention> = Vec::new();
    // A partial name of a person named in full ("Bashar Assad" for "Bashar al-Assad").
    let full_names: Vec<(Vec<String>, String)> = fulls.iter().map(|f| (f.split_whitespace().map(strip_particle).collect(), f.to_string())).collect();
    // A several-word mention made only of the parts of a person's full name is that person,
    // whatever type the tagger gave it ("Bashar Assad" after "Bashar al-Assad").
    for m in chosen.iter_mut().filter(|m| m.kind != EntityKind::Person) {
        let words: Vec<String> = m.span.get(text).split_whitespace().map(strip_particle).collect();
        if words.len() >= 2 {
            if let Some((_, full)) = full_names.iter().find(|(parts, f)| words.iter().all(|w| parts.contains(w)) && f.as_str() != m.span.get(text)) {
                m.kind = EntityKind::Person;
                m.rule = "short form";
                m.link = LinkHint::None;
                m.canonical = Some(full.as_str().into());
            }
        }
    }
    for seq in &seqs {
        let span = Span::new(tokens[seq.start].span.start, tokens[seq.end - 1].span.end);
        if seq.end - seq.start < 2 || chosen.iter().chain(extra.iter()).any(|m| m.span.overlaps(span)) {
            continue;
        }
        let words: Vec<String> = (seq.start..seq.end).map(|i| strip_particle(tokens[i].text(text))).collect();
        if let Some((_, full)) = full_names.iter().find(|(parts, _)| words.iter().all(|w| parts.contains(w))) {
            extra.push(RawMention { span, kind: EntityKind::Person, score: 0.75, link: LinkHint::None, rule: "short form", canonical: Some(full.as_str().into()), qualifier: None });
        }
    }
    for t in tokens.iter().filter(|t| t.word) {
        let w = t.text(text);
        if let Some(full) = surnames.get(w) {
            if !chosen.iter().chain(extra.iter()).any(|m| m.span.overlaps(t.span)) {
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
    chosen.sort_by_key(|m| (m.span.start, m.span.end));
    chosen
}

fn strip_particle(w: &str) -> String {
    ["al-", "el-"].iter().find_map(|p| w.strip_prefix(p)).unwrap_or(w).to_string()
}

/// "DVORIKI VILLAGE" names the village Dvoriki.
fn strip_generic_place_words(text: &str, place: Span) -> Span {
    let s = place.get(text);
    for suffix in [" VILLAGE", " CITY", " TOWN", " SETTLEMENT"] {
        if let Some(stem) = s.strip_suffix(suffix) {
            return Span::new(place.start, place.start + stem.len());
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
    let gap = &text[a.span.end..b.span.start];
    !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{a0}')
}

/// Turns one capitalised sequence into candidates.
fn classify(text: &str, tokens: &[Token], seq: &Seq, lex: &Lexicon, prev_person_end: Option<usize>) -> Vec<Candidate> {
    let words: Vec<&str> = (seq.start..seq.end).map(|i| tokens[i].text(text)).collect();
    let span_of = |a: usize, b: usize| Span::new(tokens[seq.start + a].span.start, tokens[seq.start + b - 1].span.end);
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
            let span = Span::new(tokens[seq.start].span.start, next.span.end);
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

/// Rules whose evidence is good enough to replace the tagger's shorter mentions: lists and
/// explicit definitions, not the capitalisation heuristics.
const OVERRULE_TAGGER: &[&str] = &["organisation list", "organisation phrase", "acronym definition", "acronym", "dateline place", "dateline agency", "dateline region"];

/// True when tagger mention `m` is one qualifying word followed by the listed name `inner`
/// ("Kurdish Peshmerga"): a demonym, a word tagged as another name elsewhere, or any single
/// word that is not a given name ("Walt Disney" stays a person).
fn demonym_before(text: &str, m: &RawMention, inner: Span, lex: &Lexicon, misc: &rustc_hash::FxHashSet<&str>) -> bool {
    let before = text[m.span.start..inner.start.max(m.span.start)].trim();
    m.span.end == inner.end
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
            .then(a.m.span.start.cmp(&b.m.span.start))
    });
    let mut chosen: Vec<(RawMention, Evidence)> = Vec::new();
    for c in cands {
        let overlapping: Vec<usize> = (0..chosen.len()).filter(|&i| chosen[i].0.span.overlaps(c.m.span)).collect();
        if overlapping.is_empty() {
            chosen.push((c.m, c.evidence));
            continue;
        }
        // A listed name replaces tagger mentions it contains ("US-led coalition" over
        // "US-led", "Defense Ministry" with its country over the bare tagger mention), and
        // uncertain tagger mentions of another kind ("Peshmerga", an organisation, inside
        // "Kurdish Peshmerga", an uncertain location).
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
}
