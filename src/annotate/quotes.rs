//! Who said what: quotations and reported speech with their speakers.
//!
//! Rules, not a model: a direct quote is text in double quotation marks (paired within a
//! paragraph; one left open at a paragraph's end runs to its end, as a quote continued in the
//! next paragraph does), pieces of one quote split by their attribution (`"A," Kerry said,
//! "B."`) are one quote, and the speaker is the name or pronoun next to a verb of saying
//! (`cues.toml` `speech_verbs`) beside the quote. Reported speech is found around the same
//! verbs: "X said (that) …", "…, X said.", "…, said X.", "according to X, …". A pronoun is
//! resolved to the last person the article named before it; anything else is left
//! unresolved, never guessed.

use crate::lexicon::Lexicon;
use crate::model::{EntityKind, Quote, RawMention};
use crate::text::Span;

/// A word of the text: a run of letters, digits, apostrophes and inner hyphens.
#[derive(Debug, Clone, Copy)]
struct Word {
    span: Span,
}

fn words_of(text: &str, region: Span) -> Vec<Word> {
    let mut out = Vec::new();
    if region.start >= region.end {
        return out;
    }
    let mut start = None;
    for (i, c) in text[region.start..region.end].char_indices() {
        let at = region.start + i;
        let inside = c.is_alphanumeric() || (start.is_some() && matches!(c, '\'' | '’' | '-'));
        match (inside, start) {
            (true, None) => start = Some(at),
            (false, Some(s)) => {
                out.push(Word { span: Span::new(s, at) });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Word { span: Span::new(s, region.end) });
    }
    // Trailing apostrophes and hyphens are not part of a word ("Jones'").
    for w in &mut out {
        while w.span.end > w.span.start && matches!(text[..w.span.end].chars().last(), Some('\'' | '’' | '-')) {
            w.span.end -= text[..w.span.end].chars().last().map_or(1, char::len_utf8);
        }
    }
    out
}

/// Words that open a description of a speaker: "the campaign", "another source", "several
/// cast members".
const DETERMINERS: &[&str] = &["the", "The", "a", "A", "an", "An", "another", "Another", "several", "Several", "some", "Some", "many", "Many", "other", "Other", "two", "Two", "three", "Three", "both", "Both", "his", "His", "her", "Her", "their", "Their"];

/// Pronouns that can be speakers; "it" is a statement, a report or a body ("it read", "it
/// added") and is never resolved.
const PRONOUNS: &[&str] = &["he", "she", "they", "we", "i", "it", "He", "She", "They", "We", "I", "It"];

/// The paragraphs (lines) of the text from `start`.
fn lines(text: &str, start: usize) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = start;
    for line in text[start..].split_inclusive('\n') {
        let end = at + line.trim_end_matches(['\n', '\r']).len();
        if end > at {
            out.push(Span::new(at, end));
        }
        at += line.len();
    }
    out
}

/// The quoted pieces of one line, quotation marks included.
fn pieces(text: &str, line: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let s = &text[line.start..line.end];
    let mut skip = false;
    for (i, c) in s.char_indices() {
        if std::mem::take(&mut skip) {
            continue;
        }
        let at = line.start + i;
        // Two apostrophes stand for a double quotation mark in some newspapers' copy.
        let double_apostrophe = c == '\'' && s[i + 1..].starts_with('\'');
        let c = if double_apostrophe {
            skip = true;
            '"'
        } else {
            c
        };
        let width = if double_apostrophe { 2 } else { c.len_utf8() };
        match (c, open) {
            ('“', _) => open = Some(at),
            ('"', None) => open = Some(at),
            ('"' | '”', Some(s)) => {
                out.push(Span::new(s, at + width));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(s) = open {
        out.push(Span::new(s, line.end));
    }
    out
}

/// Finds the quotes of an article.
pub fn find(text: &str, start: usize, mentions: &[RawMention], lex: &Lexicon) -> Vec<Quote> {
    // Looked up by position below; the annotators give them sorted, others may not.
    let sorted: Vec<RawMention>;
    let mentions = if mentions.is_sorted_by_key(|m| m.span.start) {
        mentions
    } else {
        sorted = {
            let mut v = mentions.to_vec();
            v.sort_by_key(|m| (m.span.start, m.span.end));
            v
        };
        &sorted
    };
    let finder = Finder { text, mentions, lex };
    let mut quotes: Vec<Quote> = Vec::new();
    // A paragraph whose quotation is left open continues in the next one, by the same speaker.
    let mut open_speaker: Option<(Option<Span>, Option<Span>)> = None;
    // The speaker of a paragraph that ends with an attributed quote: a paragraph after it that
    // is nothing but a quote goes on in that voice (news style attributes a new speaker).
    let mut last_voice: Option<(Option<Span>, Option<Span>)> = None;
    for line in lines(text, start) {
        let mut direct = finder.direct_in(line);
        let line_start = line.start + (line.get(text).len() - line.get(text).trim_start().len());
        let line_end = line.start + line.get(text).trim_end().len();
        let (open, prev) = (open_speaker.take(), last_voice.take());
        let whole_line = direct.len() == 1 && direct[0].content.end >= line_end;
        if let Some(first) = direct.first_mut() {
            let inherited = open.or(if whole_line { prev } else { None });
            if let (None, true, Some((speaker, cue))) = (first.speaker, first.content.start == line_start, inherited) {
                first.speaker = speaker;
                first.cue = cue;
            }
        }
        last_voice = direct
            .last()
            .filter(|q| {
                // The paragraph ends in the sentence of that quote or its attribution.
                let end = [Some(q.content), q.cue, q.speaker].into_iter().flatten().map(|s| s.end).max().unwrap_or(line_end).min(line_end);
                q.direct && q.speaker.is_some() && !text[end..line_end].contains(". ")
            })
            .map(|q| (q.speaker, q.cue));
        if let Some(last) = direct.last() {
            if last.content.end == line.end && !line.get(text).trim_end().ends_with(['"', '”']) {
                open_speaker = Some((last.speaker, last.cue));
            }
        }
        // "He said:" closing a paragraph introduces the quote that opens the next one.
        if direct.is_empty() && line.get(text).trim_end().ends_with(':') {
            let words = words_of(text, line);
            let tail = words.len().saturating_sub(6);
            if let Some(k) = (tail..words.len()).rev().find(|&k| finder.is_cue(words[k].span.get(text))) {
                if let Some(speaker) = finder.speaker_near(&words, k, true) {
                    open_speaker = Some((Some(speaker), Some(words[k].span)));
                }
            }
        }
        // Reported speech is found outside the direct quotes and their attributions.
        let taken: Vec<Span> = direct.iter().flat_map(|q| [Some(q.content), q.cue, q.speaker]).flatten().collect();
        quotes.extend(direct);
        quotes.extend(finder.reported_in(line, &taken));
    }
    quotes.sort_by_key(|q| (q.content.start, q.content.end));
    finder.resolve(&mut quotes);
    quotes
}

/// Where reported content lies relative to its attribution.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Side {
    /// "X said (that) content."
    After,
    /// "Content, X said." / "Content, according to X."
    Before,
    /// "A, he said, B." / "A, according to X, B."
    Around,
}

/// An attribution of reported speech: its cue, speaker, and the stretch (`left..right`)
/// that the neighbouring contents stop at.
#[derive(Debug)]
struct Found {
    cue: Span,
    speaker: Span,
    side: Side,
    left: usize,
    right: usize,
}

struct Finder<'a> {
    text: &'a str,
    mentions: &'a [RawMention],
    lex: &'a Lexicon,
}

impl Finder<'_> {
    /// The mentions that start in `from..to`: the annotator gives them sorted by position,
    /// so they are found by binary search, not by a scan per cue (a long article has
    /// thousands of both).
    fn starting_in(&self, from: usize, to: usize) -> &[RawMention] {
        let a = self.mentions.partition_point(|m| m.span.start < from);
        let b = self.mentions.partition_point(|m| m.span.start < to);
        &self.mentions[a..b.max(a)]
    }

    fn is_cue(&self, w: &str) -> bool {
        self.lex.cues.speech_verbs.contains(w)
    }

    /// "according to" starting at word `i`.
    fn according_to(&self, words: &[Word], i: usize) -> bool {
        i + 1 < words.len() && words[i].span.get(self.text).eq_ignore_ascii_case("according") && words[i + 1].span.get(self.text) == "to"
    }

    /// A speaker next to `at` in `words`: the person or organisation mention or pronoun that
    /// ends just before it (`before`), or starts just after it.
    fn speaker_near(&self, words: &[Word], at: usize, before: bool) -> Option<Span> {
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
    fn speaker_ending_at(&self, words: &[Word], w: usize, at: usize) -> Option<Span> {
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
    fn speaker_after(&self, words: &[Word], mut w: usize) -> Option<Span> {
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
    fn capitalised_before(&self, words: &[Word], last: usize) -> Option<Span> {
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
    fn subject(&self, words: &[Word], sentence: Span) -> Option<Span> {
        let first = words.first()?;
        if PRONOUNS.contains(&first.span.get(self.text)) {
            return Some(first.span);
        }
        let limit = words.get(2).map_or(sentence.end, |w| w.span.end);
        self.starting_in(sentence.start, limit).iter().find(|m| matches!(m.kind, EntityKind::Person | EntityKind::Organisation)).map(|m| m.span)
    }

    /// A description ending at word `last` and opened by an article within four words: "the
    /// campaign", "a spokesman", "the former secretary of state".
    fn description_before(&self, words: &[Word], last: usize, plural_ok: bool) -> Option<Span> {
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

    /// The direct quotes of one line, with the attribution beside them when there is one.
    fn direct_in(&self, line: Span) -> Vec<Quote> {
        let text = self.text;
        let ps = pieces(text, line);
        let mut out: Vec<Quote> = Vec::new();
        let mut i = 0;
        while i < ps.len() {
            // A piece inside the statement of a mixed quote before it is part of it.
            if out.last().is_some_and(|q| q.content.end > ps[i].start) {
                i += 1;
                continue;
            }
            let mut content = ps[i];
            let mut attribution: Option<(Span, Span)> = None;
            // Pieces split by their own attribution are one quote.
            while i + 1 < ps.len() {
                let gap = Span::new(content.end, ps[i + 1].start);
                let gw = words_of(text, gap);
                let found = (gw.len() <= 8).then(|| self.attribution_in(&gw)).flatten();
                if gap.get(text).trim_start().starts_with(',') || content.get(text).ends_with(",\"") || content.get(text).ends_with(",”") {
                    if let Some(a) = found {
                        attribution = attribution.or(Some(a));
                        content = Span::new(content.start, ps[i + 1].end);
                        i += 1;
                        continue;
                    }
                }
                if self.attribution_between(content, gap, &gw) {
                    attribution = attribution.or_else(|| self.after(content, line));
                    content = Span::new(content.start, ps[i + 1].end);
                    i += 1;
                    continue;
                }
                break;
            }
            i += 1;
            let inner = words_of(text, content);
            let lead = self.words_before_in_sentence(content, line);
            let attribution = attribution.or_else(|| self.after(content, line)).or_else(|| {
                // "Kerry said: "…"", "he told reporters "…"": the cue right before the quote.
                // "Kerry said the plan would "fail"" is reported speech quoting a few words.
                self.before(content, line).filter(|(_, cue)| words_of(text, Span::new(cue.end, content.start)).len() <= 2)
            });
            // Quoted words inside a sentence with nothing saying who said them are part of
            // that sentence (a phrase it quotes, a title, scare quotes), not a statement; so
            // is a word or two in quotation marks anywhere.
            if attribution.is_none() && (inner.len() < 6 || lead > 0) {
                continue;
            }
            let (speaker, cue) = match attribution {
                Some((s, c)) => (Some(s), Some(c)),
                None => (None, None),
            };
            if let Some(c) = cue.filter(|&c| lead > 0 && self.is_mixed(content, c)) {
                let mut mixed = self.mixed_content(content, c, line);
                let after_last = out.last().map_or(line.start, |q| q.content.end);
                mixed.start = mixed.start.max(after_last);
                out.push(Quote { content: mixed, speaker, cue, direct: false, antecedent: None });
                continue;
            }
            // A quote right after an attributed one, with only that attribution between them,
            // goes on in the same voice: `"A?" Clinton said. "B."` is one statement.
            if let (Some(prev), None) = (out.last_mut(), speaker) {
                let prev: &mut Quote = prev;
                if prev.cue.is_some_and(|c| c.start >= prev.content.end && c.end <= content.start) && words_of(text, Span::new(prev.content.end, content.start)).len() <= 8 {
                    prev.content = Span::new(prev.content.start, content.end);
                    continue;
                }
            }
            out.push(Quote { content, speaker, cue, direct: true, antecedent: None });
        }
        out
    }

    /// True when a quote inside a sentence is part of a statement in the reporter's words
    /// ("Lind warned that the "cartel" is nervous", "and "fix it," Lind wrote"), not the
    /// whole statement: its cue is not right before it ("Lind told reporters "…"").
    fn is_mixed(&self, content: Span, cue: Span) -> bool {
        if cue.start >= content.end {
            return true;
        }
        // A cue between the pieces of one quote is its own attribution.
        if cue.end > content.start {
            return false;
        }
        let between = words_of(self.text, Span::new(cue.end, content.start));
        between.len() > 1 || between.first().is_some_and(|w| w.span.get(self.text) == "that")
    }

    /// The statement a mixed quote is part of: from its cue to the end of the sentence, or
    /// from the sentence's start when the cue follows.
    fn mixed_content(&self, content: Span, cue: Span, line: Span) -> Span {
        let all = sentences(self.text, line);
        let span = if cue.start >= content.end {
            let start = all.iter().rev().find(|s| s.start <= content.start).map_or(line.start, |s| s.start);
            Span::new(start, content.end)
        } else {
            let end = all.iter().find(|s| s.end >= content.end).map_or(line.end, |s| s.end);
            Span::new(cue.end, end)
        };
        trim_content(self.text, span)
    }

    /// True when `gap`, between a quote and the next in its paragraph, is one sentence that
    /// the first quote opens: `"A," Lind said at a rally in Tulsa last week. "B."` is one
    /// statement however long its attribution (a quote ending in a comma, question or
    /// exclamation mark goes on into the words after it).
    fn attribution_between(&self, content: Span, gap: Span, gap_words: &[Word]) -> bool {
        let quote = content.get(self.text).trim_end_matches(['"', '”', '\'']);
        let g = gap.get(self.text).trim();
        if !quote.ends_with([',', '?', '!', '—']) || gap_words.is_empty() || gap_words.len() > 40 || !g.ends_with(['.', ':']) {
            return false;
        }
        // No sentence ends inside the gap before its last mark.
        let inner = &g[..g.len() - 1];
        !inner.match_indices(['.', '!', '?']).any(|(i, m)| m != "." || !abbreviation_at(self.text, gap.start + (gap.get(self.text).len() - gap.get(self.text).trim_start().len()) + i))
    }

    /// How many words of its sentence come before a quote.
    fn words_before_in_sentence(&self, content: Span, line: Span) -> usize {
        let from = clause_start(self.text, line.start, content.start, &['.', '!', '?', '"', '”', ':']);
        words_of(self.text, Span::new(from, content.start)).len()
    }

    /// A cue and its speaker among a few words ("Kerry said", "said Kerry", "he added").
    fn attribution_in(&self, words: &[Word]) -> Option<(Span, Span)> {
        for (i, w) in words.iter().enumerate() {
            if self.is_cue(w.span.get(self.text)) {
                if let Some(s) = self.speaker_near(words, i, true).or_else(|| self.speaker_near(words, i, false)) {
                    return Some((s, w.span));
                }
            }
        }
        None
    }

    /// The attribution right after a quote, up to the end of its sentence: `," Kerry said.`
    fn after(&self, content: Span, line: Span) -> Option<(Span, Span)> {
        let rest = &self.text[content.end..line.end];
        // A dash and a name: `"…" ― Pamela Padilla`.
        let trimmed = rest.trim_start();
        if let Some(dash) = trimmed.chars().next().filter(|c| matches!(c, '―' | '—' | '–')) {
            let dash_at = content.end + (rest.len() - trimmed.len());
            let name_at = dash_at + dash.len_utf8();
            let words = words_of(self.text, Span::new(name_at, line.end));
            let run = words.iter().take_while(|w| w.span.get(self.text).chars().next().is_some_and(char::is_uppercase)).count();
            if run >= 1 && self.text[name_at..words[0].span.start].trim().is_empty() {
                return Some((Span::new(words[0].span.start, words[run - 1].span.end), Span::new(dash_at, name_at)));
            }
        }
        let end = rest.match_indices(['.', '!', '?', '"', '“']).find(|&(i, m)| m != "." || !abbreviation_at(self.text, content.end + i)).map_or(line.end, |(i, _)| content.end + i);
        // The cue comes within the first words: `," she said several months later.`
        let words = words_of(self.text, Span::new(content.end, end));
        let cue_at = words.iter().take(16).position(|w| self.is_cue(w.span.get(self.text)))?;
        // Further in, only after an aside: `," Sam Lind, a former aide, said.`; a name with
        // its title may take a few words: `," senior counsel Maria Lind wrote.`
        if cue_at >= 8 && !self.text[words[cue_at - 1].span.end..words[cue_at].span.start].contains(',') {
            return None;
        }
        self.attribution_in(&words[..words.len().min(cue_at + 6)])
    }

    /// The attribution before a quote in its sentence: `Kerry said: "…"`, `he told reporters "…"`.
    fn before(&self, content: Span, line: Span) -> Option<(Span, Span)> {
        let from = clause_start(self.text, line.start, content.start, &['.', '!', '?', '"', '”']);
        let words = words_of(self.text, Span::new(from, content.start));
        let tail = &words[words.len().saturating_sub(12)..];
        // The cue nearest the quote, with its speaker before it.
        for i in (0..tail.len()).rev() {
            let w = tail[i].span.get(self.text);
            if self.is_cue(w) || self.lex.cues.speech_participles.contains(w) {
                return self.speaker_near(tail, i, true).map(|s| (s, tail[i].span));
            }
            if self.according_to(tail, i) {
                return self.speaker_near(tail, i + 1, false).map(|s| (s, Span::new(tail[i].span.start, tail[i + 1].span.end)));
            }
        }
        None
    }

    /// Reported speech in one line, outside its direct quotes. A sentence may hold several
    /// ("Lind said A, but Berg said B"): each content runs from its cue to the next
    /// attribution, and one inside another's content (only the outermost counts) is dropped.
    fn reported_in(&self, line: Span, taken: &[Span]) -> Vec<Quote> {
        let text = self.text;
        let mut out = Vec::new();
        for sentence in sentences(text, line) {
            let words = words_of(text, sentence);
            let found = self.attributions_in(&words, sentence, taken);
            let mut here: Vec<Quote> = Vec::new();
            for (k, f) in found.iter().enumerate() {
                let next = found.get(k + 1).map_or(sentence.end, |n| n.left);
                let prev = k.checked_sub(1).map(|p| &found[p]).filter(|p| p.side != Side::After).map_or(sentence.start, |p| p.right);
                let content = match f.side {
                    Side::After => Span::new(f.right, next.max(f.right)),
                    Side::Before => Span::new(prev.min(f.left), f.left),
                    Side::Around => Span::new(prev.min(f.left), next.max(f.right)),
                };
                let content = trim_content(text, content);
                let clear = |x: Span| !taken.iter().any(|t| t.overlaps(x));
                if words_of(text, content).len() >= 3 && clear(content) && clear(f.speaker) {
                    here.push(Quote { content, speaker: Some(f.speaker), cue: Some(f.cue), direct: false, antecedent: None });
                }
            }
            let outer: Vec<Span> = here.iter().map(|q| q.content).collect();
            here.retain(|q| !outer.iter().any(|c| q.cue.is_some_and(|cue| c.start <= cue.start && cue.end <= c.end)));
            out.extend(here);
        }
        out
    }

    /// The attributions of reported speech in a sentence, in order: each cue with its
    /// speaker and where its content lies. Cues inside a direct quote are the quote's words.
    fn attributions_in(&self, words: &[Word], sentence: Span, taken: &[Span]) -> Vec<Found> {
        let text = self.text;
        let mut found: Vec<Found> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let w = words[i];
            i += 1;
            if taken.iter().any(|t| t.start <= w.span.start && w.span.end <= t.end) || found.last().is_some_and(|f| f.right > w.span.start) {
                continue;
            }
            let word = w.span.get(text);
            if self.according_to(words, i - 1) {
                // "According to X, content." / "Content, according to X." / "A, according to X, B."
                let Some(s) = self.according_source(words, i + 1).filter(|s| s.end <= sentence.end) else { continue };
                let cue = Span::new(w.span.start, words[i].span.end);
                let before = !text[sentence.start..cue.start].trim().is_empty();
                let after = !text[s.end..sentence.end].trim_matches([' ', '.', ',', ';']).is_empty();
                let side = match (before, after) {
                    (false, _) => Side::After,
                    (true, false) => Side::Before,
                    (true, true) => Side::Around,
                };
                found.push(Found { cue, speaker: s, side, left: cue.start, right: s.end });
            } else if self.lex.cues.speech_participles.contains(word) && text[sentence.start..w.span.start].trim_end().ends_with(',') {
                // "Trump attacked Clinton, saying she was unfit": the sentence's subject.
                let Some(s) = self.subject(words, sentence) else { continue };
                found.push(Found { cue: w.span, speaker: s, side: Side::After, left: w.span.start, right: w.span.end });
            } else if self.is_cue(word) {
                if let Some(s) = self.speaker_near(words, i - 1, true).filter(|s| s.start >= sentence.start) {
                    let tail = text[w.span.end..sentence.end].trim();
                    let parenthetical = text[sentence.start..s.start].trim_end().ends_with(',') && tail.starts_with(',');
                    let side = if tail.is_empty() || tail == "." {
                        // "Content, X said."
                        Side::Before
                    } else if parenthetical {
                        // "But to prevent problems, he said, officials should be vigilant."
                        Side::Around
                    } else {
                        // "X said (that) content."
                        Side::After
                    };
                    // "Lind called for a vote and said …": the speaker far before its cue does
                    // not cut the content of the cue before.
                    let adjacent = s.end <= w.span.start && words_of(text, Span::new(s.end, w.span.start)).len() <= 3;
                    let left = if adjacent { s.start.min(w.span.start) } else { w.span.start };
                    found.push(Found { cue: w.span, speaker: s, side, left, right: w.span.end });
                } else if let Some(s) = self.speaker_near(words, i - 1, false).filter(|s| s.end <= sentence.end && text[sentence.start..w.span.start].trim_end().ends_with(',')) {
                    // "Content, said X."
                    found.push(Found { cue: w.span, speaker: s, side: Side::Before, left: w.span.start, right: s.end });
                }
            }
        }
        found
    }

    /// The source after "according to": a speaker, or any short noun phrase up to a comma
    /// ("according to polls", "according to court records filed Monday").
    fn according_source(&self, words: &[Word], w: usize) -> Option<Span> {
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

    /// Gives each speaker the mention it stands for: its own, or for "he" and "she" the last
    /// person named before the quote.
    fn resolve(&self, quotes: &mut [Quote]) {
        let text = self.text;
        for q in quotes.iter_mut() {
            let Some(s) = q.speaker else { continue };
            let word = s.get(text);
            q.antecedent = if matches!(word, "he" | "she" | "He" | "She") {
                self.mentions[..self.mentions.partition_point(|m| m.span.start < s.start)].iter().rev().find(|m| m.kind == EntityKind::Person && m.span.end <= s.start).map(|m| m.span)
            } else if PRONOUNS.contains(&word) {
                None
            } else {
                self.starting_in(s.start, s.start + 1).iter().find(|m| m.span == s).map(|m| m.span)
            };
        }
    }
}

/// The name a quote's speaker resolves to: its antecedent mention's full name or text.
pub fn speaker_name(text: &str, q: &Quote, mentions: &[RawMention]) -> Option<String> {
    let a = q.antecedent?;
    let m = mentions.iter().find(|m| m.span == a)?;
    Some(m.canonical.as_deref().unwrap_or(m.span.get(text)).to_string())
}

/// Abbreviations whose full stop does not end a sentence: "Mr. Bennett said", "Sen. Cruz".
const ABBREVIATIONS: &[&str] = &["Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Sgt", "Capt", "Adm", "Maj", "St", "Jr", "Sr", "Prof", "Rev", "Hon", "Atty", "Supt", "Mt", "No", "U.S", "U.N", "U.K", "Calif", "Fla", "Ill", "Mass", "Pa", "Va", "Ky", "Tenn", "Wash", "Conn", "Mich", "Wis", "Minn", "Ariz", "Colo", "Ga", "Md", "La", "Ala", "Okla", "Ore", "Nev", "Del", "Vt", "Ind", "Ark", "Kan", "Neb", "Miss", "Mo", "Tex", "Inc", "Corp", "Co", "Ltd", "vs", "Jan", "Feb", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec"];

/// True when the full stop at byte `dot` of `text` ends an abbreviation or an initial
/// ("Mr.", "Richard J. Durbin"), so a sentence does not end there: names are where
/// speakers are, and a title's full stop would cut the speaker off its cue.
fn abbreviation_at(text: &str, dot: usize) -> bool {
    let head = &text[..dot];
    let word_start = head.rfind(|c: char| !(c.is_alphanumeric() || c == '.')).map_or(0, |i| i + head[i..].chars().next().map_or(1, char::len_utf8));
    let word = &head[word_start..];
    (word.chars().count() == 1 && word.chars().all(char::is_uppercase)) || ABBREVIATIONS.contains(&word)
}

/// Where the stretch of `text[from..to]` after its last mark in `marks` starts (a full stop
/// of an abbreviation does not count), or `from`.
fn clause_start(text: &str, from: usize, to: usize, marks: &[char]) -> usize {
    let head = &text[from..to];
    head.rmatch_indices(marks).find(|&(i, m)| m != "." || !abbreviation_at(text, from + i)).map_or(from, |(i, m)| from + i + m.len())
}

/// The sentences of a line: ends at ".", "!" or "?" followed by a space and a capital or a
/// quotation mark, not after an abbreviation.
fn sentences(text: &str, line: Span) -> Vec<Span> {
    let s = &text[line.start..line.end];
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    for k in 0..chars.len() {
        let (i, c) = chars[k];
        if matches!(c, '.' | '!' | '?') && chars.get(k + 1).is_some_and(|&(_, n)| n == ' ') && chars.get(k + 2).is_some_and(|&(_, n)| n.is_uppercase() || matches!(n, '"' | '“' | '\'')) && !(c == '.' && abbreviation_at(text, line.start + i)) {
            out.push(Span::new(line.start + start, line.start + i + 1));
            start = i + 2;
        }
    }
    if start < s.len() {
        out.push(Span::new(line.start + start, line.end));
    }
    out
}

/// Content without surrounding spaces and commas, and without a sentence-final full stop.
fn trim_content(text: &str, span: Span) -> Span {
    let s = span.get(text);
    let lead = s.len() - s.trim_start_matches([' ', ',', ':', '\u{a0}']).len();
    let mut t = s.trim_end_matches([' ', ',', '.', ':', ';', '\u{a0}']);
    // Content stopped by the next attribution ends before the word joining them: "A, but
    // Berg said B".
    for joint in [" and", " but", " while", " though", " although", " whereas", " yet", " as", " so", " even as"] {
        if let Some(head) = t.strip_suffix(joint) {
            t = head.trim_end_matches([' ', ',', ';', '\u{a0}']);
            break;
        }
    }
    Span::new(span.start + lead, (span.start + t.len()).max(span.start + lead))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LinkHint;

    /// A person mention of the last occurrence of `name` ("Lavrov" after "Sergei Lavrov").
    fn person(text: &str, name: &str) -> RawMention {
        let start = text.rfind(name).unwrap();
        RawMention { span: Span::new(start, start + name.len()), kind: EntityKind::Person, score: 0.9, link: LinkHint::None, rule: "tagger", canonical: None, qualifier: None }
    }

    fn found(text: &str, names: &[&str]) -> Vec<(String, Option<String>, bool)> {
        let mentions: Vec<RawMention> = names.iter().map(|n| person(text, n)).collect();
        find(text, 0, &mentions, Lexicon::get()).into_iter().map(|q| (q.content.get(text).to_string(), speaker_name(text, &q, &mentions), q.direct)).collect()
    }

    #[test]
    fn a_quote_split_by_its_attribution_is_one_quote_of_its_speaker() {
        let text = "Sergei Lavrov spoke in Moscow.\n\"We will not leave,\" Lavrov said, \"whatever they do.\"\n";
        let got = found(text, &["Sergei Lavrov", "Lavrov"]);
        assert_eq!(got, [("\"We will not leave,\" Lavrov said, \"whatever they do.\"".to_string(), Some("Lavrov".to_string()), true)]);
    }

    #[test]
    fn a_pronoun_speaker_is_the_last_person_named_and_scare_quotes_are_not_statements() {
        let text = "Anna Berg called the plan a \"disaster\".\n\"It cannot work in this form at all,\" she said.\n";
        let got = found(text, &["Anna Berg"]);
        // "called the plan a …" is a statement in the reporter's words; the quoted word is
        // not a quote of its own.
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].0.as_str(), got[0].2), ("the plan a \"disaster\"", false));
        assert_eq!(got[1], ("\"It cannot work in this form at all,\"".to_string(), Some("Anna Berg".to_string()), true));
    }

    #[test]
    fn a_quote_after_its_speakers_attribution_goes_on_in_the_same_voice() {
        let text = "Anna Berg visited Tulsa.\n“How many times must we see this?” Berg said. “It has to stop now, today.”\n“It never crossed my mind,” she said several months after her release from hospital.\n";
        let got = found(text, &["Anna Berg", "Berg"]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], ("“How many times must we see this?” Berg said. “It has to stop now, today.”".to_string(), Some("Berg".to_string()), true));
        assert_eq!(got[1], ("“It never crossed my mind,”".to_string(), Some("Berg".to_string()), true), "the pronoun's cue is found in a long sentence");
    }

    #[test]
    fn a_paragraph_that_is_only_a_quote_goes_on_in_the_voice_before_it() {
        let text = "“We will rebuild the bridge before winter,” Mayor Ada Voss said on Monday.\n“Nobody in this town will be cut off again, not for a single day.”\nThe council meets next week.\n“The money is not there, whatever anyone promises,” a resident wrote in a letter.\n";
        let got = found(text, &["Ada Voss"]);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1], ("“Nobody in this town will be cut off again, not for a single day.”".to_string(), Some("Ada Voss".to_string()), true));
        let lone = "The council meets next week.\n“Nobody in this town will be cut off again, not for a single day.”\n";
        assert_eq!(found(lone, &[])[0].1, None, "after a paragraph without a statement, nobody is guessed");
    }

    #[test]
    fn a_phrase_quoted_inside_a_sentence_is_not_a_statement_of_its_own() {
        let text = "Anna Berg said the team avoided the hospital in order to “keep the details of her treatment under wraps.”\n";
        let got = found(text, &["Anna Berg"]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(!got[0].2 && got[0].0.starts_with("the team avoided"), "{got:?}");
    }

    #[test]
    fn a_speaker_after_a_dash_or_before_a_colon_at_the_paragraph_end() {
        let text = "Anna Berg spoke first.\nShe said:\n“We have a situation in our cities that nobody here can accept.”\n“Maybe we can build a bridge instead of a wall.” ― Olaf Lind\n";
        let got = found(text, &["Anna Berg"]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].1.as_deref(), Some("Anna Berg"), "{got:?}");
        let mentions = [person(text, "Anna Berg")];
        let quotes = find(text, 0, &mentions, Lexicon::get());
        assert_eq!(quotes[1].speaker.map(|s| s.get(text)), Some("Olaf Lind"));
    }

    #[test]
    fn reported_speech_around_verbs_of_saying() {
        let text = "Anna Berg said that the talks would resume next week. The deal is dead, according to Olaf Lind.\n";
        let got = found(text, &["Anna Berg", "Olaf Lind"]);
        assert_eq!(got, [("that the talks would resume next week".to_string(), Some("Anna Berg".to_string()), false), ("The deal is dead".to_string(), Some("Olaf Lind".to_string()), false)]);
    }

    #[test]
    fn a_title_with_a_full_stop_and_an_aside_keep_the_speaker_by_the_quote() {
        let text = "Olaf Lind came late.\n\"We will not leave this city under any threat,\" said Mr. Lind. \"Never.\"\n\"The plan cannot work as it is written now,\" Anna Berg, a former aide, said.\n";
        let got = found(text, &["Lind", "Anna Berg"]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].1.as_deref(), Some("Lind"), "{got:?}");
        assert!(got[0].0.ends_with("\"Never.\""), "the quote goes on after the title's full stop: {got:?}");
        assert_eq!(got[1].1.as_deref(), Some("Anna Berg"), "{got:?}");
    }

    #[test]
    fn a_speaker_described_after_the_cue_or_before_and_is_the_subject() {
        let text = "\"It cannot work in this form at all,\" said a senior aide.\nAnna Berg called on the council to act and said the money was needed now.\n";
        let mentions = [person(text, "Anna Berg")];
        let quotes = find(text, 0, &mentions, Lexicon::get());
        assert_eq!(quotes.len(), 3, "{quotes:?}");
        assert_eq!(quotes[0].speaker.map(|s| s.get(text)), Some("a senior aide"));
        assert_eq!(quotes[0].antecedent, None, "a description is not resolved to anyone");
        // The call and the statement are two attributions of one subject; the call's content
        // stops where the second begins.
        assert_eq!(quotes[1].content.get(text), "on the council to act");
        assert_eq!(quotes[2].speaker.map(|s| s.get(text)), Some("Anna Berg"));
        assert_eq!(quotes[2].content.get(text), "the money was needed now");
    }

    #[test]
    fn two_statements_in_one_sentence_and_a_source_that_is_no_name() {
        let text = "Anna Berg said the vote was over, but Olaf Lind said the count would go on for weeks.\nThe tax is unpopular in every region, according to recent polls.\n";
        let got = found(text, &["Anna Berg", "Olaf Lind"]);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!((got[0].0.as_str(), got[0].1.as_deref()), ("the vote was over", Some("Anna Berg")));
        assert_eq!((got[1].0.as_str(), got[1].1.as_deref()), ("the count would go on for weeks", Some("Olaf Lind")));
        assert_eq!(got[2].0, "The tax is unpopular in every region");
        let mentions = [person(text, "Anna Berg"), person(text, "Olaf Lind")];
        let quotes = find(text, 0, &mentions, Lexicon::get());
        assert_eq!(quotes[2].speaker.map(|s| s.get(text)), Some("recent polls"));
    }

    #[test]
    fn a_long_attribution_between_two_sentences_of_a_quote_is_inside_it() {
        let text = "Olaf Lind spoke on Monday.\n“It was booming once,” Lind said, pointing at the shops that used to line the street near the old mill. “Those days are not coming back.”\n";
        let got = found(text, &["Olaf Lind", "Lind"]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].0.starts_with("“It was booming") && got[0].0.ends_with("coming back.”"), "{got:?}");
        assert_eq!(got[0].1.as_deref(), Some("Lind"));
    }

    #[test]
    fn a_quote_inside_a_reported_sentence_is_a_mixed_statement() {
        let text = "Olaf Lind warned that the “city cartel” is growing nervous about the vote.\nThe budget is late and “nobody seems to care at all,” Anna Berg wrote.\n";
        let got = found(text, &["Olaf Lind", "Anna Berg"]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!((got[0].0.as_str(), got[0].2), ("that the “city cartel” is growing nervous about the vote", false));
        assert_eq!((got[1].0.as_str(), got[1].1.as_deref(), got[1].2), ("The budget is late and “nobody seems to care at all,”", Some("Anna Berg"), false));
    }

    #[test]
    fn a_former_title_and_it_are_speakers_after_the_cue() {
        let text = "\"We lost the state by a hair this time,\" said former Gov. Olaf Lind.\n\"The results will be announced on Monday morning,\" it added.\n";
        let quotes = find(text, 0, &[], Lexicon::get());
        assert_eq!(quotes.len(), 2, "{quotes:?}");
        assert_eq!(quotes[0].speaker.map(|s| s.get(text)), Some("Olaf Lind"));
        assert_eq!(quotes[1].speaker.map(|s| s.get(text)), Some("it"));
        assert_eq!(quotes[1].antecedent, None);
    }
}
