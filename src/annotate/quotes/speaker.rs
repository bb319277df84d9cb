//! Who a statement is by: the name, pronoun or description beside its cue.

use super::text::{Word, ABBREVIATIONS};
use super::Finder;
use crate::model::EntityKind;
use crate::text::Span;

/// Words that open a description of a speaker: "the campaign", "another source", "several
/// cast members".
pub(super) const DETERMINERS: &[&str] = &["the", "The", "a", "A", "an", "An", "another", "Another", "several", "Several", "some", "Some", "many", "Many", "other", "Other", "two", "Two", "three", "Three", "both", "Both", "his", "His", "her", "Her", "their", "Their"];

/// Pronouns that can be speakers; "it" is a statement, a report or a body ("it read", "it
/// added") and is never resolved.
pub(super) const PRONOUNS: &[&str] = &["he", "she", "they", "we", "i", "it", "He", "She", "They", "We", "I", "It"];

impl Finder<'_> {
    /// A speaker next to `at` in `words`: the person or organisation mention or pronoun that
    /// ends just before it (`before`), or starts just after it.
    pub(super) fn speaker_near(&self, words: &[Word], at: usize, before: bool) -> Option<Span> {
        if !before {
            return self.speaker_after(words, at + 1);
        }
        let mut w = at.checked_sub(1)?;
        // "Trump also said", "she has repeatedly said", "Russia on Tuesday urged", "Russia
        // has meanwhile denied": adverbs and a time between the subject and its verb.
        loop {
            if w > 0 && (self.lex.cues.speech_adverbs.contains(words[w].span.get(self.text))) {
                w -= 1;
            } else if let Some(k) = time_before(self.text, words, w).filter(|_| !self.text[words[w].span.end()..words[w + 1].span.start()].contains(',')) {
                w = k;
            } else if let Some(k) = self.text[words[w].span.end()..words[w + 1].span.start()].contains(')').then(|| (w.saturating_sub(6)..w).rev().find(|&k| self.text[words[k].span.end()..words[k + 1].span.start()].contains('('))).flatten() {
                // "Sen. Ann Lind (D-Ore.) said": the name before the parenthesis.
                w = k;
            } else {
                break;
            }
        }
        let gap = &self.text[words[w].span.end()..words[w + 1].span.start()];
        // "Clinton called on Congress to act and said …": the sentence's subject said it.
        if words[w].span.get(self.text) == "and" && !gap.contains(',') {
            // Not for a cue inside a quotation opened after the subject (`… has published
            // "facts that refute the claims and show …"`): its subject is in the quotation.
            let head = &self.text[words[0].span.start()..words[at].span.start()];
            let opened = head.matches('"').count() % 2 == 1 || head.matches('“').count() > head.matches('”').count();
            if opened {
                return None;
            }
            return self.subject(&words[..w], Span::new(words[0].span.start(), words[w].span.start()));
        }
        // "Durbin, noting the size of the list, said": the speaker is before the aside.
        if gap.contains(',') {
            let commas = (w.saturating_sub(40)..w).rev().filter(|&k| self.text[words[k].span.end()..words[k + 1].span.start()].contains(','));
            // Several asides ("Ada Voss, 41, of Durham, N.C., said"): the name before any of
            // them, else the words before the nearest.
            let mut nearest = None;
            // "Henry Clay's biographers, David and Jeanne Heidler, wrote", "Trump's attorney,
            // Alan Garten, said": a name set off by commas right before the cue is the
            // speaker (the names of the aside, not words of a clause).
            let last_comma = (w.saturating_sub(8)..w).rev().find(|&k| self.text[words[k].span.end()..words[k + 1].span.start()].contains(','));
            if let (Some(k), Some(m)) = (last_comma, self.mention_ending_at(words[w].span.end())) {
                let names = words[k + 1..=w].iter().all(|x| x.span.get(self.text) == "and" || x.span.get(self.text).starts_with(char::is_uppercase));
                if names {
                    return Some(m);
                }
            }
            for k in commas {
                nearest = nearest.or(Some(k));
                if let Some(m) = self.mention_ending_at(words[k].span.end()) {
                    return Some(m);
                }
            }
            return self.speaker_ending_at(words, nearest?, at);
        }
        self.speaker_ending_at(words, w, at)
    }

    /// The speaker whose last word is `w`, the subject of the cue at `at`.
    pub(super) fn speaker_ending_at(&self, words: &[Word], w: usize, at: usize) -> Option<Span> {
        let word = words.get(w)?;
        let t = word.span.get(self.text);
        if PRONOUNS.contains(&t) {
            return Some(word.span);
        }
        let mention = self.mention_ending_at(word.span.end());
        // A bare plural is a speaker only before a verb that takes one ("sources said", not
        // "in recent weeks reports").
        let plural_ok = !words[at].span.get(self.text).ends_with('s');
        // "Trump unleashed a flurry of tweets", "he explained the headline by saying": words
        // ending in a preposition or an article are the verb's object, not its subject; the
        // sentence's subject is the speaker (or nobody).
        if mention.is_none() && OBJECT_ENDS.contains(&t) {
            return self.subject(words, Span::new(words[0].span.start(), word.span.end())).filter(|s| s.end() <= word.span.start());
        }
        mention.or_else(|| self.description_before(words, w, plural_ok).or_else(|| self.capitalised_before(words, w)))
    }

    /// The person or organisation mention ending at byte `end` (it starts at most a few
    /// words before).
    pub(super) fn mention_ending_at(&self, end: usize) -> Option<Span> {
        self.starting_in(end.saturating_sub(120), end).iter().filter(|m| matches!(m.kind, EntityKind::Person | EntityKind::Organisation)).find(|m| m.span.end() == end).map(|m| m.span)
    }

    /// The speaker starting at word `w`, after its cue: "said Sen. Ted Cruz", "said a senior
    /// aide", "told Maria Lind of Tulsa".
    pub(super) fn speaker_after(&self, words: &[Word], mut w: usize) -> Option<Span> {
        let first = words.get(w)?;
        let t = first.span.get(self.text);
        if PRONOUNS.contains(&t) {
            return Some(first.span);
        }
        let mention_at = |k: usize| {
            let at = words.get(k)?.span.start();
            self.starting_in(at, at + 1).iter().find(|m| matches!(m.kind, EntityKind::Person | EntityKind::Organisation)).map(|m| m.span)
        };
        if let Some(m) = mention_at(w) {
            return Some(m);
        }
        // "said Mr. Trump", "said former Gov. Jim Doyle": the title is not the speaker.
        while words.get(w).is_some_and(|x| self.lex.cues.person_titles.contains(x.span.get(self.text)) || ABBREVIATIONS.contains(&x.span.get(self.text)) || matches!(x.span.get(self.text), "former" | "then" | "late" | "acting" | "outgoing" | "incoming")) {
            w += 1;
        }
        if let Some(m) = mention_at(w) {
            return Some(m);
        }
        let upper = |k: usize| words.get(k).is_some_and(|x| x.span.get(self.text).chars().next().is_some_and(char::is_uppercase));
        let joined = |k: usize| self.text[words[k - 1].span.end()..words[k].span.start()].trim().trim_matches('.').is_empty();
        // A name the tagger missed: a run of capitalised words.
        if upper(w) && !PRONOUNS.contains(&words[w].span.get(self.text)) {
            let mut last = w;
            while upper(last + 1) && joined(last + 1) {
                last += 1;
            }
            return Some(Span::new(words[w].span.start(), words[last].span.end()));
        }
        // "said a senior aide", "said one official": a description up to a comma or "who".
        let t = words.get(w)?.span.get(self.text);
        if DETERMINERS.contains(&t) || matches!(t, "one" | "an") {
            let mut last = w;
            while last < w + 6 && last + 1 < words.len() && joined(last + 1) && !matches!(words[last + 1].span.get(self.text), "who" | "which" | "that" | "in" | "on" | "at" | "to") {
                last += 1;
            }
            return (last > w).then(|| Span::new(words[w].span.start(), words[last].span.end()));
        }
        self.named_after_role(words, w)
    }

    /// "said former tech executive Ann Lind.": a role in a few lowercase words, then the name
    /// of a person the tagger found, ending the attribution (a comma or a full stop after it).
    fn named_after_role(&self, words: &[Word], w: usize) -> Option<Span> {
        let text = self.text;
        let role_word = |k: usize| {
            let t = words[k].span.get(text);
            t.chars().all(|c| c.is_lowercase() || c == '-') && !ROLE_STOPS.contains(&t)
        };
        let joined = |k: usize| text[words[k - 1].span.end()..words[k].span.start()].trim().is_empty();
        let mut k = w;
        while k < w + 4 && k + 1 < words.len() && role_word(k) && joined(k + 1) {
            k += 1;
        }
        if k == w {
            return None;
        }
        let at = words.get(k)?.span.start();
        let m = self.starting_in(at, at + 1).iter().find(|m| m.kind == EntityKind::Person)?;
        let after = text[m.span.end()..].trim_start_matches([' ', '\u{a0}']);
        (after.is_empty() || after.starts_with(['.', ',', ';', '\n'])).then_some(m.span)
    }

    /// A run of capitalised words ending at word `last` that the tagger did not mark
    /// ("Secretary Kerry", a name it missed).
    pub(super) fn capitalised_before(&self, words: &[Word], last: usize) -> Option<Span> {
        let upper = |k: usize| words[k].span.get(self.text).chars().next().is_some_and(char::is_uppercase);
        if !upper(last) {
            return None;
        }
        let mut first = last;
        while first > 0 && upper(first - 1) && self.text[words[first - 1].span.end()..words[first].span.start()].trim().is_empty() {
            first -= 1;
        }
        // Next to a verb of saying even a sentence's first word is its subject ("Caddell
        // continued:", "Police said"), but not a function word that opens it ("That said",
        // "When asked", "Maybe").
        if first == last && CAPITALISED_STOPS.contains(&words[last].span.get(self.text)) {
            return None;
        }
        Some(Span::new(words[first].span.start(), words[last].span.end()))
    }

    /// The subject a sentence opens with: a pronoun, or a person or organisation mention
    /// among its first three words.
    pub(super) fn subject(&self, words: &[Word], sentence: Span) -> Option<Span> {
        let first = words.first()?;
        if PRONOUNS.contains(&first.span.get(self.text)) {
            return Some(first.span);
        }
        // An opening adverbial ("On Twitter, she …", "Minutes later, Lind …"): the subject
        // follows its comma.
        if self.starting_in(first.span.start(), first.span.start() + 1).is_empty() {
            let comma = (0..words.len().min(6).saturating_sub(1)).find(|&k| self.text[words[k].span.end()..words[k + 1].span.start()].contains(','));
            if let Some(k) = comma {
                let rest = &words[k + 1..];
                let first = rest[0];
                if PRONOUNS.contains(&first.span.get(self.text)) {
                    return Some(first.span);
                }
                if let Some(m) = self.starting_in(first.span.start(), first.span.start() + 1).iter().find(|m| matches!(m.kind, EntityKind::Person | EntityKind::Organisation)) {
                    return Some(m.span);
                }
            }
        }
        let limit = words.get(2).map_or(sentence.end(), |w| w.span.end());
        let found = self.starting_in(sentence.start(), limit).iter().find(|m| matches!(m.kind, EntityKind::Person | EntityKind::Organisation)).map(|m| m.span);
        // "In an interview on Sunday, Trump doubled down …": the subject follows a phrase
        // put before it.
        found.or_else(|| {
            let comma = (1..words.len().min(12)).find(|&k| self.text[words[k - 1].span.end()..words[k].span.start()].contains(','))?;
            let opener = words[0].span.get(self.text);
            let fronted = opener.chars().next().is_some_and(char::is_uppercase) && FRONTED.contains(&opener.to_lowercase().as_str());
            fronted.then(|| self.subject(&words[comma..], Span::new(words[comma].span.start(), sentence.end()))).flatten()
        })
    }

    /// A description ending at word `last` and opened by an article within four words: "the
    /// campaign", "a spokesman", "the former secretary of state".
    pub(super) fn description_before(&self, words: &[Word], last: usize, plural_ok: bool) -> Option<Span> {
        let lowest = last.saturating_sub(4);
        (lowest..=last).rev().find_map(|k| {
            let t = words[k].span.get(self.text);
            let between = &self.text[words[k].span.start()..words[last].span.end()];
            (DETERMINERS.contains(&t) && k < last && !between.contains([',', '.', ';', '"', '“', '”'])).then(|| Span::new(words[k].span.start(), words[last].span.end()))
        })
        .or_else(|| {
            // A bare plural: "sources said", "officials say".
            let t = words[last].span.get(self.text);
            (plural_ok && t.len() >= 5 && t.ends_with('s') && t.chars().all(|c| c.is_lowercase()) && self.lex.zipf(t) >= 3.5).then_some(words[last].span)
        })
    }

    /// The source after "according to": a speaker, or any short noun phrase up to a comma
    /// ("according to polls", "according to court records filed Monday").
    pub(super) fn according_source(&self, words: &[Word], w: usize) -> Option<Span> {
        if let Some(s) = self.speaker_after(words, w) {
            return Some(s);
        }
        let first = words.get(w)?;
        let mut last = w;
        while last < w + 5 && last + 1 < words.len() && self.text[words[last].span.end()..words[last + 1].span.start()].trim().is_empty() {
            last += 1;
        }
        Some(Span::new(first.span.start(), words[last].span.end()))
    }
}

/// A person's gender as the article itself shows it: an honorific or a gendered title before
/// the name ("Mr. Lind", "Congresswoman Berg"). No list of names is used, so a name the
/// article gives no evidence for stays unknown; nor are pronouns resolved before, whose
/// errors would spread (one "he" taken for Mrs. Clinton would make every Clinton a man).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Gender {
    Male,
    Female,
}

/// Honorifics and titles right before a name that say its gender.
const MALE_TITLES: &[&str] = &["Mr", "Mr.", "Congressman", "Spokesman", "spokesman", "King", "Prince", "Sir", "Lord", "Duke", "Baron", "Father", "Brother", "Monsieur", "Herr", "Señor", "Senor"];
const FEMALE_TITLES: &[&str] = &["Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Congresswoman", "Chairwoman", "Councilwoman", "Spokeswoman", "spokeswoman", "Queen", "Princess", "Lady", "Dame", "Baroness", "Duchess", "Madam", "Madame", "Mme", "Mme.", "Sister", "Frau", "Señora", "Senora"];

/// The gender a pronoun speaker asks for; None for "they", "we", "I", "it".
pub(super) fn pronoun_gender(word: &str) -> Option<Gender> {
    match word {
        "he" | "He" => Some(Gender::Male),
        "she" | "She" => Some(Gender::Female),
        _ => None,
    }
}

/// The gender the honorific or title right before `at` in `text` gives ("Mr. " before a name).
pub(super) fn title_gender(text: &str, at: usize) -> Option<Gender> {
    let head = text[..at].trim_end();
    let word = head.rsplit(char::is_whitespace).next().unwrap_or(head);
    if MALE_TITLES.contains(&word) {
        Some(Gender::Male)
    } else if FEMALE_TITLES.contains(&word) {
        Some(Gender::Female)
    } else {
        None
    }
}

/// The key a person's mentions share within an article: the last word of the name ("Lavrov"
/// for "Sergei Lavrov" and "Mr. Lavrov").
pub(super) fn surname(name: &str) -> &str {
    name.split_whitespace().last().unwrap_or(name).trim_end_matches(['.', ','])
}

/// What the article says about its people's genders, by surname. A surname given both
/// genders ("Mr. Clinton", "Mrs. Clinton") is marked ambiguous and says nothing.
#[derive(Debug, Default)]
pub(super) struct Genders {
    by_name: std::collections::HashMap<String, Option<Gender>>,
}

impl Genders {
    /// Learns from every person mention's honorific: one pass over the mentions.
    pub(super) fn of_article(text: &str, mentions: &[crate::model::RawMention]) -> Self {
        let mut g = Genders::default();
        for m in mentions.iter().filter(|m| m.kind == EntityKind::Person) {
            let name = m.span.get(text);
            // The honorific may be part of the mention ("Mr. Lind") or just before it.
            let own = name.split_whitespace().next().and_then(|w| title_gender(w, w.len()).filter(|_| name.contains(' ')));
            if let Some(gender) = own.or_else(|| title_gender(text, m.span.start())) {
                g.learn(surname(name), gender);
            }
        }
        g
    }

    pub(super) fn learn(&mut self, name: &str, gender: Gender) {
        let e = self.by_name.entry(name.to_string()).or_insert(Some(gender));
        if *e != Some(gender) {
            *e = None;
        }
    }

    /// The gender of the person a mention names, when the article shows it.
    pub(super) fn of(&self, text: &str, span: Span) -> Option<Gender> {
        title_gender(text, span.start()).or_else(|| self.by_name.get(surname(span.get(text))).copied().flatten())
    }
}

/// Words that say a description is a person or body in office, not a new one: the head of
/// "the minister", "the ministry", "the candidate" is matched to a title the article gave a
/// named mention. Only definite descriptions are resolved ("a spokesman" is someone new).
pub(super) fn description_head(text: &str, speaker: Span) -> Option<&str> {
    let s = speaker.get(text);
    let rest = s.strip_prefix("the ").or_else(|| s.strip_prefix("The "))?;
    let head = rest.split_whitespace().last()?;
    // A lower-case singular noun: "minister", "ministry", "diplomat"; not "officials".
    let plain = head.chars().all(|c| c.is_lowercase() || c == '-') && head.chars().count() >= 4;
    let plural = head.ends_with('s') && !head.ends_with("ss");
    (plain && !plural).then_some(head)
}

impl Finder<'_> {
    /// The mention a definite description ("the minister", "the Russian top diplomat", "the
    /// ministry") refers to: the last person or organisation before `at` that the article
    /// gave that title or role, in the words right before the name ("Foreign Minister Sergei
    /// Lavrov"), in its own name ("the Defence Ministry") or in an apposition right after it
    /// ("Lavrov, Russia's top diplomat,"). None when no such mention: never guessed. Looks
    /// back over a bounded number of mentions, found by binary search.
    pub(super) fn description_antecedent(&self, head: &str, at: usize) -> Option<Span> {
        let text = self.text;
        let before = self.mentions.partition_point(|m| m.span.start() < at);
        let has = |s: &str| s.split(|c: char| !c.is_alphanumeric() && c != '-').any(|w| w.eq_ignore_ascii_case(head));
        self.mentions[..before].iter().rev().take(200).filter(|m| matches!(m.kind, EntityKind::Person | EntityKind::Organisation) && m.span.end() <= at).find(|m| {
            // The words before the name, back to the previous punctuation (its title).
            let lead_from = m.span.start().saturating_sub(60);
            let lead_from = (lead_from..m.span.start()).find(|&i| text.is_char_boundary(i)).unwrap_or(m.span.start());
            let lead = &text[lead_from..m.span.start()];
            let marks = [',', '.', ';', ':', '"', '“', '”', '(', '\n'];
            let lead = &lead[lead.rfind(marks).map_or(0, |i| i + lead[i..].chars().next().map_or(1, char::len_utf8))..];
            // An apposition: ", Russia's top diplomat," right after the name.
            let tail_to = (m.span.end() + 80).min(text.len());
            let tail_to = (m.span.end()..=tail_to).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(m.span.end());
            let tail = &text[m.span.end()..tail_to];
            let apposition = tail.strip_prefix(", ").map_or("", |t| &t[..t.find([',', '.', ';', '\n']).unwrap_or(t.len())]);
            // The title is right before the name ("top diplomat Sergei"), not a word of a
            // clause before it ("top diplomat vows Islamic State …").
            let words: Vec<&str> = lead.split(|c: char| !c.is_alphanumeric() && c != '-').filter(|w| !w.is_empty()).collect();
            let titled = words.iter().rposition(|w| w.eq_ignore_ascii_case(head)).is_some_and(|k| words[k + 1..].iter().all(|w| w.starts_with(char::is_uppercase)));
            has(m.span.get(text)) || titled || has(apposition)
        })
        .map(|m| m.span)
    }

    /// The person a "he" or "she" speaker at `at` stands for; `inside` is the direct quote
    /// it speaks (or an empty span at `at`), `quoted` every direct quote of the article in
    /// text order. After a statement by a person (`last`: who, and where it ended) the
    /// pronoun goes on in that voice, unless a compatible person has since become the subject
    /// of a sentence ("Lind said …. Berg, the mayor, spoke next. "…," she said"); without one,
    /// it is the last compatible person named. Names quoted (in this quote or another) are
    /// not candidates; gender counts only where the article shows it.
    pub(super) fn pronoun_antecedent(&self, at: usize, inside: Span, want: Option<Gender>, last: Option<(Span, usize)>, quoted: &[Span], genders: &Genders) -> Option<Span> {
        let text = self.text;
        let fits = |s: Span| match (want, genders.of(text, s)) {
            (Some(w), Some(g)) => w == g,
            _ => true,
        };
        let in_quote = |m: Span| {
            let i = quoted.partition_point(|q| q.start() <= m.start());
            (inside.start() <= m.start() && m.end() <= inside.end()) || (i > 0 && quoted[i - 1].end() >= m.end())
        };
        let before = self.mentions.partition_point(|m| m.span.start() < at);
        let mut people = self.mentions[..before].iter().rev().take(200).filter(|m| m.kind == EntityKind::Person && m.span.end() <= at && !in_quote(m.span) && fits(m.span));
        if let Some((speaker, end)) = last.filter(|&(s, _)| fits(s)) {
            let newer = people.take_while(|m| m.span.start() >= end).find(|m| opens_sentence(text, m.span.start()));
            return Some(newer.map_or(speaker, |m| m.span));
        }
        people.next().map(|m| m.span)
    }
}

/// True when the name at `at` is the subject a sentence opens with: nothing but a few
/// capitalised words (a title, "On Monday,") between the sentence's start and the name.
pub(super) fn opens_sentence(text: &str, at: usize) -> bool {
    let from = (at.saturating_sub(60)..at).find(|&i| text.is_char_boundary(i)).unwrap_or(at);
    let head = &text[from..at];
    let Some(b) = head.rfind(['.', '!', '?', '\n', '"', '”']) else { return from == 0 && head.split_whitespace().count() == 0 };
    let rest = &head[b + head[b..].chars().next().map_or(1, char::len_utf8)..];
    let words: Vec<&str> = rest.split_whitespace().collect();
    words.len() <= 4 && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// Lowercase words that never make a role before a name: "said that Lind …" is not Lind's.
const ROLE_STOPS: &[&str] = &["that", "the", "a", "an", "this", "these", "it", "he", "she", "they", "we", "in", "on", "at", "to", "of", "for", "with", "by", "as", "and", "but", "or", "if", "when", "while", "because", "was", "is", "were", "would", "will", "has", "had", "have", "not", "about", "after", "before", "his", "her", "their", "its", "there", "what", "how", "why", "who"];

/// Words a speaker never ends with: prepositions, conjunctions and articles (what ends in
/// one is the object of the words after it). Not "to" or "against", which end the subject
/// of a cue of several words ("went on to say", "is campaigning against").
const OBJECT_ENDS: &[&str] = &["by", "upon", "as", "of", "in", "on", "at", "for", "with", "from", "into", "over", "about", "after", "before", "and", "but", "or", "if", "when", "while", "because", "than", "through", "without", "the", "a", "an", "his", "her", "their", "its"];

/// Capitalised words that open sentences and are never a speaker on their own.
const CAPITALISED_STOPS: &[&str] = &["That", "This", "These", "Those", "There", "Then", "When", "Where", "What", "Why", "How", "Who", "Maybe", "Perhaps", "But", "And", "Or", "So", "If", "As", "While", "After", "Before", "Since", "Although", "Though", "Yet", "Still", "Now", "Once", "Also", "Even", "Just", "Only", "Here", "Asked", "Later", "Earlier"];

/// Words of time that stand between a subject and its verb ("Russia on Tuesday urged", "Lind
/// last week said", "Moscow has meanwhile denied"): never a speaker.
const TIME_WORDS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "today", "yesterday", "tonight", "meanwhile", "week", "month", "year", "weekend", "morning", "afternoon", "evening", "night", "earlier", "later"];

/// Prepositions and adverbs that open a phrase put before a sentence's subject.
const FRONTED: &[&str] = &["in", "on", "at", "during", "after", "before", "since", "with", "without", "for", "from", "earlier", "later", "last", "this", "meanwhile", "speaking", "asked", "still", "yet", "instead", "then", "now", "today", "yesterday", "by", "despite", "like", "unlike", "as", "when", "while", "although", "though", "because", "if"];

/// Words that open such a time ("on Tuesday", "last week", "this morning", "earlier this year").
const TIME_OPENERS: &[&str] = &["on", "last", "past", "this", "next", "early", "late", "earlier", "later", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// When word `w` ends a time phrase that follows a word of the same sentence (no punctuation
/// between), the index of the word before that phrase. (The caller takes it only when no comma
/// follows: "…, who served until earlier this year, said" is an aside.)
fn time_before(text: &str, words: &[Word], w: usize) -> Option<usize> {
    if !TIME_WORDS.contains(&words[w].span.get(text)) {
        return None;
    }
    let joined = |k: usize| text[words[k].span.end()..words[k + 1].span.start()].trim().is_empty();
    let mut k = w;
    // At most two words open it: "on Tuesday", "earlier this week", "Monday night".
    for _ in 0..2 {
        if k > 0 && joined(k - 1) && TIME_OPENERS.contains(&words[k - 1].span.get(text)) {
            k -= 1;
        }
    }
    // The subject may end in a comma (an aside before the time: "Lind, who …, on Friday
    // said") or a parenthesis ("Sen. Ann Lind (D-Ore.) on Saturday said").
    let after_subject = |k: usize| {
        let g = text[words[k].span.end()..words[k + 1].span.start()].trim();
        g.chars().all(|c| matches!(c, ',' | ')' | '.')) && (!g.contains('.') || g.contains(')'))
    };
    (k > 0 && (joined(k - 1) || after_subject(k - 1))).then_some(k - 1)
}

#[cfg(test)]
mod tests {
    use super::super::find;
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::model::{LinkHint, Quote, RawMention};

    /// A mention of every occurrence of each name, of the kind given.
    fn mentions(text: &str, names: &[(&str, EntityKind)]) -> Vec<RawMention> {
        let mut out: Vec<RawMention> = names
            .iter()
            .flat_map(|&(name, kind)| text.match_indices(name).map(move |(start, _)| RawMention { span: Span::new(start, start + name.len()), kind, score: 0.9, link: LinkHint::None, rule: "tagger", canonical: None, qualifier: None }))
            .collect();
        out.sort_by_key(|m| (m.span.start(), m.span.end()));
        // A shorter name inside a longer one ("Lind" in "Olaf Lind") is not a mention of its own.
        let all = out.clone();
        out.retain(|m| !all.iter().any(|o| o.span != m.span && o.span.start() <= m.span.start() && m.span.end() <= o.span.end()));
        out
    }

    /// (speaker text, antecedent text) of each quote.
    fn speakers(text: &str, quotes: &[Quote]) -> Vec<(Option<String>, Option<String>)> {
        quotes.iter().map(|q| (q.speaker.map(|s| s.get(text).to_string()), q.antecedent.map(|a| a.get(text).to_string()))).collect()
    }

    fn run(text: &str, names: &[(&str, EntityKind)]) -> Vec<(Option<String>, Option<String>)> {
        let ms = mentions(text, names);
        speakers(text, &find(text, 0, &ms, &Lexicon::get()))
    }

    /// As `run`, for the direct quotes only (the sentences around them may hold reported
    /// statements of their own).
    fn run_direct(text: &str, names: &[(&str, EntityKind)]) -> Vec<(Option<String>, Option<String>)> {
        let ms = mentions(text, names);
        let quotes: Vec<Quote> = find(text, 0, &ms, &Lexicon::get()).into_iter().filter(|q| q.direct).collect();
        speakers(text, &quotes)
    }

    const P: EntityKind = EntityKind::Person;
    const O: EntityKind = EntityKind::Organisation;

    fn pair(speaker: &str, antecedent: Option<&str>) -> (Option<String>, Option<String>) {
        (Some(speaker.to_string()), antecedent.map(str::to_string))
    }

    #[test]
    fn a_role_in_lowercase_words_before_the_name_after_the_cue() {
        let text = "\"The port will stay open all winter,\" said former harbour master Olaf Lind.\nThe council said that Ada Voss would not run again next year.\n";
        let got = run(text, &[("Olaf Lind", P), ("Ada Voss", P)]);
        assert_eq!(got[0], pair("Olaf Lind", Some("Olaf Lind")), "{got:?}");
        assert!(got.iter().all(|(s, _)| s.as_deref() != Some("Ada Voss")), "\"said that Ada Voss …\" is not hers: {got:?}");
    }

    #[test]
    fn a_time_between_the_subject_and_its_verb_is_not_the_speaker() {
        let text = "The Harbour Board on Tuesday urged the city to keep the port open all winter.\nOlaf Lind this week also said the ferry would run again in March next year.\nAda Voss, who ran the port until earlier this year, said the plan would not work at all.\n";
        let got = run(text, &[("Harbour Board", O), ("Olaf Lind", P), ("Ada Voss", P)]);
        assert_eq!(got, [pair("Harbour Board", Some("Harbour Board")), pair("Olaf Lind", Some("Olaf Lind")), pair("Ada Voss", Some("Ada Voss"))]);
    }

    #[test]
    fn a_pronoun_goes_on_in_the_last_voice_unless_someone_new_became_the_subject() {
        let text = "\"We will not wait for anyone,\" Olaf Lind said.\nLind spoke as the talks with the allies of Ada Voss began on Monday.\n\"They have made a lot of progress,\" he said.\n";
        let got = run(text, &[("Olaf Lind", P), ("Lind", P), ("Ada Voss", P)]);
        assert_eq!(got[1], pair("he", Some("Lind")), "{got:?}");
        assert_eq!(text.find("Lind spoke"), text.match_indices("Lind").nth(1).map(|(i, _)| i));
        let text = "\"We will not wait for anyone,\" Olaf Lind said.\nAda Voss, the mayor, spoke next.\n\"They have made a lot of progress,\" she said.\n";
        let got = run(text, &[("Olaf Lind", P), ("Ada Voss", P)]);
        assert_eq!(got[1], pair("she", Some("Ada Voss")), "{got:?}");
    }

    #[test]
    fn she_skips_a_man_the_article_calls_mr() {
        let text = "Ms. Anna Berg and Mr. Olaf Lind met in Tulsa on Monday. Lind arrived late.\n\"Nobody left before the end of the long speech,\" she said.\n";
        let got = run(text, &[("Anna Berg", P), ("Olaf Lind", P), ("Lind", P)]);
        assert_eq!(got, [pair("she", Some("Anna Berg"))]);
        // Without the honorifics nothing tells them apart: the last person named.
        let plain = text.replace("Ms. ", "").replace("Mr. ", "");
        assert_eq!(run(&plain, &[("Anna Berg", P), ("Olaf Lind", P), ("Lind", P)]), [pair("she", Some("Lind"))]);
    }

    #[test]
    fn a_pronoun_opening_the_next_paragraph_is_the_last_speaker_not_a_name_in_between_or_in_the_quote() {
        let text = "\"We will not wait for the council,\" Anna Berg said after a meeting with Olaf Lind.\n\"Olaf Lind knows the budget better than anyone in this town,\" she said.\n";
        let got = run(text, &[("Anna Berg", P), ("Olaf Lind", P)]);
        assert_eq!(got[1], pair("she", Some("Anna Berg")), "{got:?}");
        // In the middle of a paragraph the pronoun is the last person named outside its quote.
        let text = "Anna Berg spoke first. Olaf Lind answered her. \"The budget is there, and Anna Berg knows it,\" he said.\n";
        let got = run(text, &[("Anna Berg", P), ("Olaf Lind", P)]);
        assert_eq!(got, [pair("he", Some("Olaf Lind"))]);
    }

    #[test]
    fn honorifics_give_a_gender_and_two_genders_for_one_surname_give_none() {
        let mut g = Genders::default();
        let text = "Mrs. Ada Voss";
        assert_eq!(title_gender(text, 5), Some(Gender::Female));
        g.learn("Voss", Gender::Female);
        assert_eq!(g.of("Ada Voss", Span::new(0, 8)), Some(Gender::Female));
        g.learn("Voss", Gender::Male);
        assert_eq!(g.of("Ada Voss", Span::new(0, 8)), None, "two genders for one surname say nothing");
    }

    #[test]
    fn a_description_resolves_to_whom_the_article_gave_that_title() {
        let text = "Foreign Minister Olaf Lind arrived in Tulsa on Monday.\n\"We are ready to talk to anyone who wants peace,\" the minister said.\n\"The bridge will reopen in May at the latest,\" the spokesman said.\n";
        let got = run(text, &[("Olaf Lind", P)]);
        assert_eq!(got, [pair("the minister", Some("Olaf Lind")), pair("the spokesman", None)], "nobody is titled spokesman: not guessed");
    }

    #[test]
    fn a_description_by_apposition_or_by_the_name_of_a_body() {
        let text = "Olaf Lind, the country's top diplomat, arrived late. \"We are ready to talk to anyone,\" the diplomat said.\nThe Transport Ministry published the figures. The ministry said the bridge would reopen in May.\n";
        let got = run(text, &[("Olaf Lind", P), ("The Transport Ministry", O)]);
        assert_eq!(got, [pair("the diplomat", Some("Olaf Lind")), pair("The ministry", Some("The Transport Ministry"))]);
        let plural = "the officials said";
        assert_eq!(description_head(plural, Span::new(0, 13)), None, "a plural is not one person or body");
        let indefinite = "a spokesman said";
        assert_eq!(description_head(indefinite, Span::new(0, 11)), None, "someone new");
    }

    #[test]
    fn a_verb_inside_a_quotation_is_not_said_by_the_sentence_subject() {
        let text = "Olaf Lind repeated his denial, saying that the ministry has published \"facts that refute these claims and show the nature of the plan.\"\n";
        let ms = mentions(text, &[("Olaf Lind", P)]);
        let quotes = find(text, 0, &ms, &Lexicon::get());
        assert!(quotes.iter().all(|q| q.cue.map(|c| c.get(text)) != Some("show")), "{quotes:?}");
    }

    #[test]
    fn where_a_statement_was_made_is_not_its_content() {
        let text = "The bridge will be rebuilt but it is hard to say when it will happen, Transport Minister Olaf Lind said at a meeting with students in Tulsa.\n";
        let ms = mentions(text, &[("Olaf Lind", P)]);
        let quotes = find(text, 0, &ms, &Lexicon::get());
        assert_eq!(quotes.len(), 1, "{quotes:?}");
        assert_eq!(quotes[0].content.get(text), "The bridge will be rebuilt but it is hard to say when it will happen");
        assert_eq!(quotes[0].speaker.map(|s| s.get(text)), Some("Olaf Lind"));
    }

    #[test]
    fn a_quote_paragraph_going_on_in_a_pronouns_voice_stands_for_the_same_person() {
        let text = "\"We will not wait for anyone,\" Olaf Lind said.\nThe talks with the allies of Ada Voss began on Monday.\n\"They already made progress in the north,\" he said.\n\"And even in the south, next door to us.\"\n";
        let got = run(text, &[("Olaf Lind", P), ("Ada Voss", P)]);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1], pair("he", Some("Olaf Lind")), "Ada Voss is named, not the subject");
        assert_eq!(got[2], pair("he", Some("Olaf Lind")), "{got:?}");
    }

    #[test]
    fn a_participle_before_a_quote_speaks_for_the_sentence_subject_or_the_cue_before_it() {
        let text = "Olaf Lind endorsed Ada Voss on Monday, saying, “She is the best mayor this town has had in years.”
Olaf Lind and Ada Voss will meet again next week, Anna Berg said, adding, “They need to sit down and talk.”
";
        let got = run_direct(text, &[("Olaf Lind", P), ("Ada Voss", P), ("Anna Berg", P)]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], pair("Olaf Lind", Some("Olaf Lind")), "the object before the participle is not its speaker");
        assert_eq!(got[1], pair("Anna Berg", Some("Anna Berg")), "the cue before the participle has the speaker");
    }

    #[test]
    fn words_ending_in_a_preposition_or_an_article_are_no_speaker() {
        let text = "Olaf Lind posted a series of tweets claiming that the count in Tulsa had been rigged.
";
        let got = run(text, &[("Olaf Lind", P)]);
        assert!(got.iter().all(|(s, _)| s.as_deref() != Some("a series of")), "{got:?}");
        assert!(got.iter().all(|(s, _)| s.as_deref().is_none_or(|s| s == "Olaf Lind")), "{got:?}");
    }

    #[test]
    fn a_time_after_a_parenthesis_or_an_aside_is_not_the_speaker() {
        let text = "Sen. Olaf Lind (D-Ore.) on Saturday criticized the plan to close the harbour for the winter.\nAda Voss, who has led the council since the spring, this past week announced that the ferry would run again.\n";
        let got = run(text, &[("Olaf Lind", P), ("Ada Voss", P)]);
        assert_eq!(got, [pair("Olaf Lind", Some("Olaf Lind")), pair("Ada Voss", Some("Ada Voss"))]);
    }

    #[test]
    fn the_subject_follows_an_opening_adverbial() {
        let text = "On Radio Tulsa, she answered the mayor by saying, “Nobody will pay for the bridge twice.”\nMinutes later, Olaf Lind sent a letter to the council saying, “The money is not there.”\n";
        let got = run_direct(text, &[("Radio Tulsa", O), ("Olaf Lind", P)]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0.as_deref(), Some("she"), "{got:?}");
        assert_eq!(got[1], pair("Olaf Lind", Some("Olaf Lind")), "{got:?}");
    }

    #[test]
    fn a_capitalised_function_word_opening_a_sentence_is_no_speaker() {
        let text = "That said, the council believes the ferry will run again in March next year.\n";
        let got = run(text, &[]);
        assert!(got.iter().all(|(s, _)| s.as_deref() != Some("That")), "{got:?}");
    }

    #[test]
    fn a_title_word_in_a_clause_before_a_name_is_not_its_title() {
        let text = "Russia's top diplomat vows Islamic State will be defeated\n\"There is a suspicion that it is being protected,\" the Russian top diplomat pointed out.\n";
        let got = run(text, &[("Islamic State", O)]);
        assert!(got.iter().all(|(_, a)| a.as_deref() != Some("Islamic State")), "{got:?}");
    }
}
