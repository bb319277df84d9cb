//! What the tagger found that is not a name, or not all of it.
//!
//! A tagger trained on 1990s wire copy has learnt that a capital letter mostly means a name.
//! On web news that lesson fails in known places: the first word of a sentence ("Since",
//! "Besides"), Title Case headlines and lists ("Pickled", "Has Put"), titles before a name
//! ("Mr Trump"), nationality words ("Kurdish"), numbers with units ("1.5°C"). Each rule here
//! removes such a word only when nothing says it is a name: it is a given name, a place or a
//! listed organisation, the training data mostly saw it in names, or the article writes it
//! with a capital where no capital is needed (mid-sentence, outside a headline).

use rustc_hash::FxHashSet as HashSet;

use crate::lexicon::Lexicon;
use crate::tagger::{EntType, Found};

/// Small words a Title Case headline leaves in lower case.
const MINOR_WORDS: &[&str] = &["a", "an", "the", "and", "or", "nor", "but", "of", "in", "on", "at", "to", "for", "by", "with", "from", "vs", "as", "per", "via", "up", "off", "into", "over", "is", "are"];

/// How common a word must be (Zipf frequency, wordfreq) to count as an ordinary word when it
/// stands first in a sentence or in a headline.
const COMMON_ZIPF: f32 = 3.5;

/// How common a word must be to be cut from the front of a longer name: given names are
/// common words too ("Walter", "Buddy"), but not this common.
const VERY_COMMON_ZIPF: f32 = 4.5;

/// A word at least this common counts as an ordinary word of a headline even when it is also
/// a name somewhere ("Best", "Summer", "Will").
const VERY_COMMON_LINE_ZIPF: f32 = 5.0;

/// Where each word of a document stands, and how the document writes it.
pub struct Positions<'a> {
    words: &'a [&'a str],
    /// Per token: first word of its sentence (after opening quotes or brackets).
    initial: Vec<bool>,
    /// Per token: in a Title Case headline or list line.
    title_line: Vec<bool>,

    /// Lower-case forms written with a capital where no capital is needed: not first in a
    /// sentence, not in a headline.
    capitalised: HashSet<String>,
    /// Lower-case forms of the words in `capitalised` that the document also writes without
    /// "the" before them: "Trump" in "Mr Trump", not "Company" in "the Company".
    named_alone: HashSet<String>,
    /// Lower-case forms written in lower case somewhere in the document.
    lowercase: HashSet<&'a str>,
}

fn has_letter(w: &str) -> bool {
    w.chars().any(char::is_alphabetic)
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn all_caps(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase)
}

impl<'a> Positions<'a> {
    pub fn new(words: &'a [&'a str], sents: &[(usize, usize)], lex: &Lexicon) -> Positions<'a> {
        let n = words.len();
        let mut initial = vec![false; n];
        let mut title_line = vec![false; n];
        for &(s, e) in sents {
            if let Some(first) = (s..e).find(|&i| has_letter(words[i]) || words[i].chars().any(|c| c.is_ascii_digit())) {
                initial[first] = true;
            }
            if is_title_case_line(&words[s..e], lex) {
                title_line[s..e].iter_mut().for_each(|t| *t = true);
            }
        }
        let mut capitalised = HashSet::default();
        let mut named_alone = HashSet::default();
        let mut lowercase = HashSet::default();
        for (i, w) in words.iter().enumerate() {
            if !has_letter(w) {
                continue;
            }
            if w.chars().next().is_some_and(char::is_lowercase) {
                lowercase.insert(*w);
            } else if !initial[i] && !title_line[i] && starts_upper(w) && !all_caps(w) && !after_opening_punctuation(words, i) {
                // "Company" ending "NTS Management Company" is a name's head, not the word
                // named alone.
                let head_of_name = i > 0 && starts_upper(words[i - 1]) && lex.cues.org_heads.contains(*w);
                if (i == 0 || !matches!(words[i - 1], "the" | "The")) && !head_of_name {
                    named_alone.insert(w.to_lowercase());
                }
                capitalised.insert(w.to_lowercase());
            }
        }
        Positions { words, initial, title_line, capitalised, named_alone, lowercase }
    }

    /// Whether token `i` is in a Title Case headline or list line.
    pub fn in_title_line(&self, i: usize) -> bool {
        self.title_line[i]
    }

    /// Whether token `i` stands where a capital says nothing about a name.
    fn weak(&self, i: usize) -> bool {
        self.initial[i] || self.title_line[i]
    }

    /// Whether anything says word `w` is (part of) a name.
    fn name_evidence(&self, w: &str, lex: &Lexicon) -> bool {
        self.capitalised.contains(&w.to_lowercase()) || known_name(w, lex, 1)
    }

    /// Whether word `w` is an ordinary word: common in writing, or written in lower case in
    /// this document.
    fn ordinary(&self, w: &str, lex: &Lexicon) -> bool {
        lex.zipf(w) >= COMMON_ZIPF || self.lowercase.contains(w.to_lowercase().as_str())
    }
}

/// Courtesy titles that only ever come before a person's name (unlike "General", "Judge" or
/// "Prince", which also open names of bodies and places).
const HONORIFICS: &[&str] = &["Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Mx", "Dr", "Dr.", "Sir", "Dame", "Mme", "Mme."];

/// Whether a courtesy title stands just before token `i` ("Mr Trump", "Mr . Trump").
fn honorific_before(words: &[&str], i: usize) -> bool {
    match i {
        0 => false,
        1 => HONORIFICS.contains(&words[0]),
        _ => HONORIFICS.contains(&words[i - 1]) || (words[i - 1] == "." && HONORIFICS.contains(&words[i - 2])),
    }
}

/// After an opening quote or bracket, a capital may start a quoted sentence.
fn after_opening_punctuation(words: &[&str], i: usize) -> bool {
    i > 0 && matches!(words[i - 1], "\"" | "“" | "‘" | "'" | "(" | "[" | "«" | ":" | "—" | "–" | "-")
}

/// A line in which every word but the small ones starts with a capital and most words are
/// ordinary words that name nothing (at least three, and three in five of the capitalised words): a Title
/// Case headline ("Deviled Eggs Are the Best Party Food") or a list heading, not a line of
/// names and numbers ("Donovan Bailey ( Canada ) 10.13", "DETROIT 4 Kansas City 1") nor a line
/// in capitals.
fn is_title_case_line(words: &[&str], lex: &Lexicon) -> bool {
    let lettered: Vec<&str> = words.iter().copied().filter(|w| has_letter(w)).collect();
    if lettered.len() < 3 || lettered.iter().all(|w| all_caps(w)) || !lettered.iter().all(|w| starts_upper(w) || MINOR_WORDS.contains(w)) {
        return false;
    }
    let ordinary = lettered
        .iter()
        .filter(|w| starts_upper(w) && !all_caps(w) && w.chars().count() >= 3)
        .filter(|w| {
            let z = lex.zipf(w);
            // A word this common is ordinary even when a town or a person bears it ("Best",
            // "Summer"); a rarer one that names something is not counted as ordinary.
            z >= VERY_COMMON_LINE_ZIPF || (z >= 4.0 && !lex.given_names.contains(**w) && !lex.census_given_names.contains(**w) && lex.gazetteer.lookup(w).is_none() && lex.orgs.lookup(w).is_none())
        })
        .count();
    let capitalised = lettered.iter().filter(|w| starts_upper(w)).count();
    ordinary >= 3 && ordinary * 5 >= capitalised * 3 && words.len() <= lettered.len() * 3 / 2
}

/// The longest person title (`cues.toml` `person_titles`) that the words at `i` begin with,
/// in tokens ("Prime Minister", "Mr", "Mr ." ).
fn title_at(words: &[&str], i: usize, end: usize, titles: &HashSet<String>) -> usize {
    let mut best = 0;
    let mut phrase = String::new();
    for k in i..end.min(i + 4) {
        if words[k] == "." && k > i {
            if titles.contains(format!("{phrase}.").as_str()) {
                best = k + 1 - i;
            }
            continue;
        }
        if k > i {
            phrase.push(' ');
        }
        phrase.push_str(words[k]);
        if titles.contains(phrase.as_str()) {
            best = k + 1 - i;
        }
    }
    best
}

/// The tagger's finds with what is not a name removed: titles and leading function words cut
/// off, ordinary words in weak positions dropped, nationality words made MISC, numbers never
/// people.
pub fn clean(found: Vec<Found>, pos: &Positions, lex: &Lexicon) -> Vec<Found> {
    let words = pos.words;
    let titles = &lex.cues.person_titles;
    let mut out = Vec::with_capacity(found.len());
    for mut f in found {
        // After a courtesy title ("Mr", "Dr", "Mrs.") comes a person, whatever the tagger
        // thought: "Mr Trump's win" is not a place.
        if honorific_before(words, f.start) || HONORIFICS.contains(&words[f.start]) && f.end - f.start >= 2 && starts_upper(words[f.end - 1]) {
            f.kind = EntType::Per;
        }
        // A title is never part of a person's name: "Mr Trump", "Prime Minister Theresa May".
        loop {
            if f.end - f.start < 2 {
                break;
            }
            let w = words[f.start];
            let t = if f.kind == EntType::Per { title_at(words, f.start, f.end, titles) } else { 0 };
            if t > 0 && t < f.end - f.start && words[f.start + t..f.end].iter().any(|w| starts_upper(w)) {
                f.start += t;
                continue;
            }
            // First in a sentence or a headline, a function word or a very common word with
            // nothing saying it is a name is not part of the name after it: "As Russia",
            // "Besides Trump". Elsewhere the capital is deliberate ("the All Blacks").
            // So is a word the article also writes in lower case, before a person's name
            // ("Hail Trump, hail our people").
            let lower_here = f.kind == EntType::Per && pos.lowercase.contains(w.to_lowercase().as_str());
            if pos.weak(f.start) && !matches!(w, "The" | "THE") && (lex.cues.not_names.contains(w) || ((lex.zipf(w) >= VERY_COMMON_ZIPF || lower_here) && !all_caps(w) && !pos.name_evidence(w, lex))) {
                f.start += 1;
                continue;
            }
            break;
        }
        let span = &words[f.start..f.end];
        if span.len() == 1 && lex.cues.not_names.contains(span[0]) {
            continue;
        }
        // Nothing made only of digits, units and symbols is a person ("1.5°C", "3D").
        if f.kind == EntType::Per && !span.iter().any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2) {
            continue;
        }
        // A name in a weak position made only of ordinary words, none of them with evidence
        // of a name, is not a name: "Since", "Wait", "Has Put", "Pickled" in a recipe list.
        if pos.weak(f.start) && span.iter().all(|w| !has_letter(w) || (pos.ordinary(w, lex) && !pos.name_evidence(w, lex))) {
            continue;
        }
        // In a Title Case headline a capital says nothing; a name there needs other evidence.
        if pos.title_line[f.start] && !span.iter().any(|w| pos.name_evidence(w, lex)) {
            continue;
        }
        // A nationality or language word is never a person: "Kurdish", "Russian".
        if f.kind == EntType::Per && span.len() == 1 && is_nationality(span[0], lex) {
            f.kind = EntType::Misc;
        }
        // A word in capitals between a number and a lower-case word, with nothing saying it is
        // a name, is a unit: "114 MVA furnaces", "120 MW plant" (not "QPR" in "2 QPR 1").
        if span.len() == 1 && all_caps(span[0]) && f.start > 0 && is_number(words[f.start - 1]) && words.get(f.end).is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase)) && !pos.name_evidence(span[0], lex) {
            continue;
        }
        // One everyday word that the article only ever writes after "the" is a defined term
        // ("the Company", "the Board"), not a name, unless a list or the training data say it
        // is one.
        let core = if span.len() == 2 && matches!(span[0], "The" | "the" | "THE") { &span[1..] } else { span };
        if core.len() == 1 && matches!(f.kind, EntType::Org | EntType::Loc) && lex.zipf(core[0]) >= VERY_COMMON_ZIPF && !all_caps(core[0]) && !known_name(core[0], lex, 3) && !pos.named_alone.contains(&core[0].to_lowercase()) {
            continue;
        }
        // A listed organisation's one-word name is that organisation, not a person: "Uber".
        if f.kind == EntType::Per && span.len() == 1 && lex.orgs.lookup(span[0]).is_some() && !lex.given_names.contains(span[0]) && !lex.census_given_names.contains(span[0]) {
            f.kind = EntType::Org;
        }
        out.push(f);
    }
    out
}

/// A number as the tokenizer gives it: "114", "1,200", "3.5".
fn is_number(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_ascii_digit()) && w.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

/// Whether a list or the training data know word `w` as a name (not the article's own
/// capitals): a given name, a place, a listed organisation, or a word the training data saw
/// mostly inside names (and at least `min_named` times: seen twice inside names, "Property"
/// says little about a word standing alone).
fn known_name(w: &str, lex: &Lexicon, min_named: u32) -> bool {
    if lex.given_names.contains(w) || lex.census_given_names.contains(w) || lex.gazetteer.lookup(w).is_some() || lex.orgs.lookup(w).is_some() {
        return true;
    }
    let t = lex.token(w);
    let named = t.per + t.loc + t.org + t.misc;
    named >= min_named && named > t.o
}

/// A demonym from the gazetteer, or a word the training data saw mostly as MISC and never as a
/// person.
fn is_nationality(w: &str, lex: &Lexicon) -> bool {
    if lex.gazetteer.demonym(w).is_some() {
        return true;
    }
    let t = lex.token(w);
    t.per == 0 && t.misc >= 3 && t.misc > t.loc + t.org
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(start: usize, end: usize, kind: EntType) -> Found {
        Found { start, end, kind, margin: 10.0 }
    }

    /// Cleans finds in one document of space-separated words, one sentence per line.
    fn clean_in(text: &str, finds: Vec<Found>) -> Vec<(String, EntType)> {
        let lex = Lexicon::get();
        let lex: &Lexicon = &lex;
        let mut words: Vec<&str> = Vec::new();
        let mut sents = Vec::new();
        for line in text.lines() {
            let s = words.len();
            words.extend(line.split(' '));
            sents.push((s, words.len()));
        }
        let pos = Positions::new(&words, &sents, lex);
        clean(finds, &pos, lex).into_iter().map(|f| (words[f.start..f.end].join(" "), f.kind)).collect()
    }

    #[test]
    fn titles_are_not_part_of_a_name() {
        let got = clean_in("Later , Mr Zinni met Prime Minister Theresa May .", vec![found(2, 4, EntType::Per), found(5, 9, EntType::Per)]);
        assert_eq!(got, [("Zinni".to_string(), EntType::Per), ("Theresa May".to_string(), EntType::Per)]);
    }

    #[test]
    fn after_a_courtesy_title_comes_a_person() {
        let got = clean_in("There is no sign Mr Trump 's win was helped .\nDr . Ruth Pike spoke .", vec![found(4, 6, EntType::Loc), found(13, 15, EntType::Org)]);
        assert_eq!(got, [("Trump".to_string(), EntType::Per), ("Ruth Pike".to_string(), EntType::Per)]);
    }

    #[test]
    fn units_and_defined_terms_are_not_names() {
        let text = "It runs two 114 MVA furnaces .\nThe Company said the Property sold .";
        let got = clean_in(text, vec![found(4, 5, EntType::Org), found(7, 9, EntType::Org), found(11, 12, EntType::Org)]);
        assert_eq!(got, []);
    }

    #[test]
    fn ordinary_words_first_in_a_sentence_are_not_names() {
        let text = "Since the vote , the party has changed .\nBesides Trump , few spoke .\nAs Russia watched , talks stalled .\nOn Monday Trump left .";
        let got = clean_in(text, vec![found(0, 1, EntType::Per), found(9, 11, EntType::Per), found(15, 17, EntType::Org)]);
        assert_eq!(got, [("Trump".to_string(), EntType::Per), ("Russia".to_string(), EntType::Org)]);
    }

    #[test]
    fn a_given_name_first_in_a_sentence_stays() {
        let got = clean_in("Walter Little scored twice .\nHarry Milling reported .", vec![found(0, 2, EntType::Per), found(5, 7, EntType::Per)]);
        assert_eq!(got, [("Walter Little".to_string(), EntType::Per), ("Harry Milling".to_string(), EntType::Per)]);
    }

    #[test]
    fn numbers_and_units_are_never_people_and_demonyms_never_people() {
        let got = clean_in("Warming of 1.5 ° C worried the Kurdish delegates .", vec![found(2, 5, EntType::Per), found(7, 8, EntType::Per)]);
        assert_eq!(got, [("Kurdish".to_string(), EntType::Misc)]);
    }

    #[test]
    fn title_case_headlines_are_told_from_lines_of_names() {
        let lex = Lexicon::get();
        let lex: &Lexicon = &lex;
        let line = |s: &str| is_title_case_line(&s.split(' ').collect::<Vec<_>>(), lex);
        assert!(line("Deviled Eggs Are the Best Party Food for Summer"));
        assert!(line("Wait Until You See What Has Put Prices Up"));
        assert!(!line("Donovan Bailey ( Canada ) 10.13"));
        assert!(!line("DETROIT 4 Kansas City 1"));
        assert!(!line("Michael Green ( Jamaica ) , Osmond Ezinwa ( Nigeria )"));
        assert!(!line("The talks resumed in Geneva on Monday ."));
    }

    #[test]
    fn in_a_title_case_headline_an_ordinary_word_is_not_a_name() {
        let text = "Pickled Onions Make the Best Christmas Gift\nThe onions keep for weeks , said Jane Doe .";
        let got = clean_in(text, vec![found(0, 1, EntType::Org), found(14, 16, EntType::Per)]);
        assert_eq!(got, [("Jane Doe".to_string(), EntType::Per)]);
    }
}
