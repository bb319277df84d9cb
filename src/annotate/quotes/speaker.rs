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
        // "Trump also said", "she has repeatedly said".
        while w > 0 && self.lex.cues.speech_adverbs.contains(words[w].span.get(self.text)) {
            w -= 1;
        }
        let gap = &self.text[words[w].span.end..words[w + 1].span.start];
        // "Clinton called on Congress to act and said …": the sentence's subject said it.
        if words[w].span.get(self.text) == "and" && !gap.contains(',') {
            return self.subject(&words[..w], Span::new(words[0].span.start, words[w].span.start));
        }
        // "Durbin, noting the size of the list, said": the speaker is before the aside.
        if gap.contains(',') {
            let aside = (w.saturating_sub(20)..w).rev().find(|&k| self.text[words[k].span.end..words[k + 1].span.start].contains(','))?;
            return self.speaker_ending_at(words, aside, at);
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
        // A mention ending at the word starts at most a few words before it.
        let mention = self
            .starting_in(word.span.end.saturating_sub(120), word.span.end)
            .iter()
            .filter(|m| matches!(m.kind, EntityKind::Person | EntityKind::Organisation))
            .find(|m| m.span.end == word.span.end)
            .map(|m| m.span);
        // A bare plural is a speaker only before a verb that takes one ("sources said", not
        // "in recent weeks reports").
        let plural_ok = !words[at].span.get(self.text).ends_with('s');
        mention.or_else(|| self.description_before(words, w, plural_ok).or_else(|| self.capitalised_before(words, w)))
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
            let at = words.get(k)?.span.start;
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
        let joined = |k: usize| self.text[words[k - 1].span.end..words[k].span.start].trim().trim_matches('.').is_empty();
        // A name the tagger missed: a run of capitalised words.
        if upper(w) && !PRONOUNS.contains(&words[w].span.get(self.text)) {
            let mut last = w;
            while upper(last + 1) && joined(last + 1) {
                last += 1;
            }
            return Some(Span::new(words[w].span.start, words[last].span.end));
        }
        // "said a senior aide", "said one official": a description up to a comma or "who".
        let t = words.get(w)?.span.get(self.text);
        if DETERMINERS.contains(&t) || matches!(t, "one" | "an") {
            let mut last = w;
            while last < w + 6 && last + 1 < words.len() && joined(last + 1) && !matches!(words[last + 1].span.get(self.text), "who" | "which" | "that" | "in" | "on" | "at" | "to") {
                last += 1;
            }
            return (last > w).then(|| Span::new(words[w].span.start, words[last].span.end));
        }
        None
    }

    /// A run of capitalised words ending at word `last` that the tagger did not mark
    /// ("Secretary Kerry", a name it missed).
    pub(super) fn capitalised_before(&self, words: &[Word], last: usize) -> Option<Span> {
        let upper = |k: usize| words[k].span.get(self.text).chars().next().is_some_and(char::is_uppercase);
        if !upper(last) {
            return None;
        }
        let mut first = last;
        while first > 0 && upper(first - 1) && self.text[words[first - 1].span.end..words[first].span.start].trim().is_empty() {
            first -= 1;
        }
        // Next to a verb of saying even a sentence's first word is its subject ("Caddell
        // continued:", "Police said").
        Some(Span::new(words[first].span.start, words[last].span.end))
    }

    /// The subject a sentence opens with: a pronoun, or a person or organisation mention
    /// among its first three words.
    pub(super) fn subject(&self, words: &[Word], sentence: Span) -> Option<Span> {
        let first = words.first()?;
        if PRONOUNS.contains(&first.span.get(self.text)) {
            return Some(first.span);
        }
        let limit = words.get(2).map_or(sentence.end, |w| w.span.end);
        self.starting_in(sentence.start, limit).iter().find(|m| matches!(m.kind, EntityKind::Person | EntityKind::Organisation)).map(|m| m.span)
    }

    /// A description ending at word `last` and opened by an article within four words: "the
    /// campaign", "a spokesman", "the former secretary of state".
    pub(super) fn description_before(&self, words: &[Word], last: usize, plural_ok: bool) -> Option<Span> {
        let lowest = last.saturating_sub(4);
        (lowest..=last).rev().find_map(|k| {
            let t = words[k].span.get(self.text);
            let between = &self.text[words[k].span.start..words[last].span.end];
            (DETERMINERS.contains(&t) && k < last && !between.contains([',', '.', ';', '"', '“', '”'])).then(|| Span::new(words[k].span.start, words[last].span.end))
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
        while last < w + 5 && last + 1 < words.len() && self.text[words[last].span.end..words[last + 1].span.start].trim().is_empty() {
            last += 1;
        }
        Some(Span::new(first.span.start, words[last].span.end))
    }
}
