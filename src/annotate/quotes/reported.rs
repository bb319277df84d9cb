//! Reported speech: "X said (that) …", "…, X said.", "according to X, …", with each
//! content running to the next attribution in its sentence.

use super::text::{abbreviation_at, first_word, pieces, sentences, trim_content, word_count, words_of, Word};
use super::Finder;
use crate::model::Quote;
use crate::text::Span;

/// Where reported content lies relative to its attribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Side {
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
pub(super) struct Found {
    cue: Span,
    speaker: Span,
    side: Side,
    left: usize,
    right: usize,
}

/// The sentences of a line for reported speech: those of `sentences`, also split after a
/// quote or parenthesis that closes a sentence (`… "immensely beneficial." His …`), which
/// would otherwise run one statement on into the next sentence.
pub(super) fn reported_sentences(text: &str, line: Span) -> Vec<Span> {
    let mut out = Vec::new();
    for sentence in sentences(text, line) {
        let s = sentence.get(text);
        let mut start = sentence.start();
        for i in memchr::memchr3_iter(b'.', b'?', b'!', s.as_bytes()) {
            let c = s.as_bytes()[i];
            let rest = &s[i + 1..];
            let closers = rest.len() - rest.trim_start_matches(['"', '”', '\'', '’', ')']).len();
            if !rest[closers..].starts_with(' ') || (closers == 0 && !rest[1..].starts_with('(')) {
                continue;
            }
            // "… Mr. Sykes said. (Just take a look …)": a parenthesis opening a sentence.
            let after_space = &rest[closers + 1..];
            let next = after_space.strip_prefix('(').unwrap_or(after_space).chars().next();
            let at = sentence.start() + i + 1 + closers;
            if next.is_some_and(char::is_uppercase) && at > start && (c != b'.' || !abbreviation_at(text, sentence.start() + i)) {
                out.push(Span::new(start, at));
                start = at + 1;
            }
        }
        if start < sentence.end() {
            out.push(Span::new(start, sentence.end()));
        }
    }
    out
}

/// True when `at` is where the content after a cue ending at `cue_end` starts: right after
/// it, or after its "that".
fn opens_content(text: &str, cue_end: usize, at: usize) -> bool {
    if at < cue_end {
        return false;
    }
    let gap = text[cue_end..at].trim();
    gap.is_empty() || gap == "that"
}

/// True when `at` lies in the same clause as the content opened right after a cue ending
/// at `cue_end` ("Lind said the report she wrote shows …"): no comma, dash, parenthesis,
/// quotation mark or coordinating word between them starts a new one.
fn inside_that_clause(text: &str, cue_end: usize, at: usize) -> bool {
    if at < cue_end {
        return false;
    }
    let gap = &text[cue_end..at];
    !gap.contains(", ") && ![";", " but ", " and ", " while ", " whereas ", " yet ", "—", " – ", " - ", "(", ")", "\"", "“"].iter().any(|c| gap.contains(c))
}

/// A content that runs into a direct quote or its attribution after it ("Lind said the
/// plan works, which she called "a start."") ends before them, with the word that joins
/// them: the quote is a statement of its own. A content that starts inside one is left as
/// it is (and then dropped as taken).
fn before_taken(text: &str, content: Span, taken: &[Span]) -> Span {
    let Some(first) = taken.iter().filter(|t| t.overlaps(content) && t.start() > content.start()).map(|t| t.start()).min() else { return content };
    let mut head = Span::new(content.start(), first);
    let s = head.get(text).trim_end_matches([' ', ',', ';', ':', '—', '–', '(', '"', '“', '\'', '‘']);
    let mut s = s;
    for joint in ["which", "who", "whom", "and", "but", "while", "as", "what", "that", "where", "when"] {
        if let Some(rest) = s.strip_suffix(joint).filter(|r| r.ends_with([' ', ','])) {
            s = rest;
            break;
        }
    }
    head.set_end(head.start() + s.len());
    trim_content(text, head)
}

/// Verbs whose content follows a recipient: "told reporters that …", "warned voters that …".
const RECIPIENT_VERBS: &[&str] = &["told", "tells", "tell", "telling", "warned", "warns", "warning", "reminded", "reminds", "reminding", "assured", "assures", "assuring", "informed", "informs", "convinced", "promised", "promises", "promising"];

impl Finder<'_> {
    /// Where the content after an attribution starts: after its comma for "According to X,
    /// …", else right after it.
    fn content_start(&self, f: &Found) -> usize {
        let rest = &self.text[f.right..];
        if f.cue.get(self.text).eq_ignore_ascii_case("according to") && rest.starts_with(',') {
            f.right + 1
        } else {
            f.right
        }
    }

    /// The content of "told reporters that …" starts at "that": the recipient is not what was
    /// said. Without a "that" within a few words the content is left as it was.
    fn after_recipient(&self, f: &Found, content: Span) -> Span {
        let text = self.text;
        if f.side != Side::After || !RECIPIENT_VERBS.contains(&f.cue.get(text)) {
            return content;
        }
        let words = words_of(text, content);
        let that = words.iter().take(7).position(|w| w.span.get(text) == "that");
        match that {
            Some(k) if k > 0 && !text[content.start()..words[k].span.start()].contains([',', '"', '“', '(', ';', ':']) => Span::new(words[k].span.start(), content.end()),
            _ => content,
        }
    }

    /// Where a content after its cue ends, short of the sentence's end: at the comma closing
    /// the subordinate clause that holds it ("When Lind announced layoffs, workers …"), and
    /// before a participle clause that goes on about the speaker (", throwing a wrench into
    /// …"), which is the reporter's, not the speaker's.
    fn statement_end(&self, content: Span, sentence: Span) -> Span {
        let text = self.text;
        let c = content.get(text);
        let opener = first_word(text, sentence).map(str::to_lowercase);
        let subordinate = opener.is_some_and(|o| SUBORDINATORS.contains(&o.as_str())) && !text[sentence.start()..content.start()].contains(',');
        if subordinate {
            if let Some(i) = c.find(", ") {
                return Span::new(content.start(), content.start() + i);
            }
        }
        for (i, _) in c.match_indices(", ") {
            let next = c[i + 2..].split(|ch: char| !ch.is_alphanumeric()).next().unwrap_or("");
            if next.len() > 4 && next.ends_with("ing") && next.chars().all(|ch| ch.is_lowercase()) && !KEPT_PARTICIPLES.contains(&next) && !self.lex.cues.speech_participles.contains(next) {
                return Span::new(content.start(), content.start() + i);
            }
        }
        content
    }

    /// "Poll: Trump ties Clinton", "Dr. Ann Lind: the plan will not work": a paragraph opened
    /// by a short capitalised name and a colon (headlines, transcripts) is that source's
    /// statement, the whole rest of the paragraph. Questions ("Q:") are the interviewer's,
    /// words that are never names (`not_names`) are no source, and a paragraph with a direct
    /// quote is left to the quote rules.
    fn headline_in(&self, line: Span, taken: &[Span]) -> Option<Quote> {
        let text = self.text;
        let s = line.get(text);
        let colon = s.find(": ")?;
        let head = s[..colon].trim();
        let head_start = line.start() + (s.len() - s.trim_start().len());
        let names = words_of(text, Span::new(head_start, line.start() + colon));
        let capitalised = |w: &Word| w.span.get(text).chars().next().is_some_and(char::is_uppercase) || matches!(w.span.get(text), "of" | "de" | "van" | "von");
        let joined = !head.contains([',', ';', '"', '“', '”', '(', '—', '–']) && !head.chars().any(|c| c.is_ascii_digit());
        if names.is_empty() || names.len() > 4 || !joined || !names.iter().all(capitalised) || matches!(head, "Q" | "Question") || self.lex.cues.not_names.contains(head) {
            return None;
        }
        if taken.iter().any(|t| t.overlaps(line)) {
            return None;
        }
        let content = trim_content(text, Span::new(line.start() + colon + 2, line.end()));
        if word_count(text, content) < 3 {
            return None;
        }
        let speaker = Span::new(names[0].span.start(), names[names.len() - 1].span.end());
        Some(Quote { content, speaker: Some(speaker), cue: Some(Span::new(line.start() + colon, line.start() + colon + 1)), direct: false, antecedent: None })
    }

    /// "Christie Says He Would Issue A Quarantine": a headline in title case whose
    /// capitalised cue has a short subject before it and the statement after it.
    fn title_in(&self, line: Span, taken: &[Span]) -> Option<Quote> {
        let text = self.text;
        // Cheap tests first: most lines are paragraphs, far longer than a headline.
        if line.len() > 240 || !line.get(text).trim_start().starts_with(char::is_uppercase) {
            return None;
        }
        let words = words_of(text, line);
        if words.len() < 4 || words.len() > 25 || line.get(text).trim_end_matches(['.', ' ']).contains(". ") || taken.iter().any(|t| t.overlaps(line)) {
            return None;
        }
        let capital = |w: &Word| w.span.get(text).starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
        let long: Vec<&Word> = words.iter().filter(|w| w.span.len() >= 4).collect();
        if long.len() < 3 || long.iter().filter(|w| capital(w)).count() * 10 < long.len() * 9 {
            return None;
        }
        let cue_at = |k: usize| capital(&words[k]) && self.is_cue(&words[k].span.get(text).to_lowercase());
        // "Trump Is Like A Lawyer's Client, Trevor Noah Says": the statement first.
        let last = words.len() - 1;
        if cue_at(last) {
            let comma = text[line.start()..words[last].span.start()].rfind(", ").map(|i| line.start() + i)?;
            let content = trim_content(text, Span::new(line.start(), comma));
            let speaker = trim_content(text, Span::new(comma + 1, words[last].span.start()));
            return (word_count(text, content) >= 2 && (1..=4).contains(&word_count(text, speaker))).then_some(Quote { content, speaker: Some(speaker), cue: Some(words[last].span), direct: false, antecedent: None });
        }
        let k = (1..words.len().min(8)).find(|&k| cue_at(k))?;
        let content = trim_content(text, Span::new(words[k].span.end(), line.end()));
        if word_count(text, content) < 2 {
            return None;
        }
        let speaker = Span::new(words[0].span.start(), words[k - 1].span.end());
        Some(Quote { content, speaker: Some(speaker), cue: Some(words[k].span), direct: false, antecedent: None })
    }

    /// The poll named after "in" at word `at`: "in a Washington Post-ABC News poll", "in
    /// the latest surveys", a few words joined by spaces only and ending in the poll.
    fn poll_after(&self, words: &[Word], at: usize) -> Option<Span> {
        let text = self.text;
        if !words[at].span.get(text).eq_ignore_ascii_case("in") {
            return None;
        }
        let first = words.get(at + 1)?;
        let end = (at + 1..words.len().min(at + 9)).take_while(|&k| k == at + 1 || !text[words[k - 1].span.end()..words[k].span.start()].contains([',', '.', ';', '(', '"', '“'])).find(|&k| matches!(words[k].span.get(text), "poll" | "polls" | "survey" | "surveys"))?;
        Some(Span::new(first.span.start(), words[end].span.end()))
    }

    /// A sentence opened by a description as its subject ("The billionaire businessman
    /// began …", "Both parents stiffened …"): the words from its determiner up to its verb
    /// (a word in "-ed" or an auxiliary), at most six, all before word `before`.
    fn described_subject(&self, words: &[Word], before: usize) -> Option<Span> {
        let text = self.text;
        // "In three separate interviews, the justice sounded off …": the subject follows a
        // phrase put before it.
        let fronted = words.first().is_some_and(|w| FRONTED_OPENERS.contains(&w.span.get(text)));
        let start = if fronted { (1..words.len().min(9)).find(|&k| text[words[k - 1].span.end()..words[k].span.start()].contains(','))? } else { 0 };
        let words = &words[start..];
        let before = before.checked_sub(start)?;
        let first = words.first()?;
        let opener = first.span.get(text);
        let opener = if start > 0 { opener.to_lowercase() } else { opener.to_string() };
        if !matches!(opener.as_str(), "The" | "A" | "An" | "Both" | "Other" | "Many" | "Some" | "Several" | "Most" | "One" | "Two" | "Three" | "His" | "Her" | "Their" | "Its" | "Each" | "the" | "a" | "an" | "his" | "her" | "their" | "its" | "one") {
            return None;
        }
        let verb = (1..words.len().min(7).min(before)).find(|&k| {
            let t = words[k].span.get(text);
            t.ends_with("ed") || matches!(t, "has" | "have" | "had" | "is" | "are" | "was" | "were" | "will" | "would" | "did" | "began" | "took" | "made" | "went" | "gave" | "told")
        })?;
        let gap_ok = (1..verb).all(|k| text[words[k - 1].span.end()..words[k].span.start()].trim().is_empty());
        (verb >= 2 && gap_ok).then(|| Span::new(first.span.start(), words[verb - 1].span.end()))
    }

    /// "Asked whether the plan would work, Lind …", "When asked about the vote, …": the
    /// question put to someone is a statement of its own, by whoever asked it, whom the
    /// sentence does not name.
    fn question_asked(&self, words: &[Word], sentence: Span) -> Option<Quote> {
        let text = self.text;
        let word = |k: usize| words.get(k).map_or("", |w| w.span.get(text));
        let at = match (word(0), word(1)) {
            ("Asked", _) => 0,
            ("When" | "If", "asked") => 1,
            _ => return None,
        };
        let next = words.get(at + 1)?;
        if !QUESTION_WORDS.contains(&next.span.get(text)) {
            return None;
        }
        let rest = &text[next.span.start()..sentence.end()];
        let comma = rest.find(", ")?;
        let content = Span::new(next.span.start(), next.span.start() + comma);
        (word_count(text, content) >= 2).then(|| Quote { content, speaker: None, cue: Some(words[at].span), direct: false, antecedent: None })
    }

    /// Reported speech in one line, outside its direct quotes. A sentence may hold several
    /// ("Lind said A, but Berg said B"): each content runs from its cue to the next
    /// attribution, and one inside another's content (only the outermost counts) is dropped.
    pub(super) fn reported_in(&self, line: Span, taken: &[Span]) -> Vec<Quote> {
        let text = self.text;
        if let Some(q) = self.headline_in(line, taken).or_else(|| self.title_in(line, taken)) {
            return vec![q];
        }
        let mut out = Vec::new();
        if !self.may_attribute(line) {
            return out;
        }
        for sentence in reported_sentences(text, line) {
            if !self.may_attribute(sentence) {
                continue;
            }
            let words = words_of(text, sentence);
            let found = self.attributions_in(&words, sentence, taken);
            let mut here: Vec<Quote> = Vec::new();
            for (k, f) in found.iter().enumerate() {
                let next = found.get(k + 1).map_or(sentence.end(), |n| n.left);
                let prev = k.checked_sub(1).map(|p| &found[p]).filter(|p| p.side != Side::After).map_or(sentence.start(), |p| p.right);
                let content = match f.side {
                    Side::After => Span::new(f.right, next.max(f.right)),
                    Side::Before => without_title(text, Span::new(prev.min(f.left), f.left)),
                    Side::Around => Span::new(prev.min(f.left), next.max(f.right)),
                };
                let content = match f.side {
                    Side::After => trim_content(text, self.statement_end(content, sentence)),
                    _ => trim_content(text, content),
                };
                let content = self.after_recipient(f, content);
                let content = before_taken(text, content, taken);
                let clear = |x: Span| !taken.iter().any(|t| t.overlaps(x));
                // A content with a quoted phrase in it ("called it ''predatory.''") is what
                // the speaker said however short.
                let quoting = content.get(text).contains(['"', '“']) || content.get(text).contains("''");
                let least = if quoting { 1 } else { min_words(f.cue.get(text)) };
                if word_count(text, content) >= least && !only_time(text, content) && clear(content) {
                    here.push(Quote { content, speaker: Some(f.speaker), cue: Some(f.cue), direct: false, antecedent: None });
                }
            }
            if let Some(q) = self.question_asked(&words, sentence).filter(|q| !here.iter().any(|h| h.content.overlaps(q.content)) && !taken.iter().any(|t| t.overlaps(q.content))) {
                here.push(q);
            }
            // A content around its own attribution ("A, he said, B") holds its own cue.
            let outer: Vec<(Span, Option<Span>)> = here.iter().map(|q| (q.content, q.cue)).collect();
            here.retain(|q| !outer.iter().any(|&(c, own)| own != q.cue && q.cue.is_some_and(|cue| c.start() <= cue.start() && cue.end() <= c.end())));
            out.extend(here);
        }
        out
    }

    /// The attributions of reported speech in a sentence, in order: each cue with its
    /// speaker and where its content lies. Cues inside a direct quote are the quote's words.
    pub(super) fn attributions_in(&self, words: &[Word], sentence: Span, taken: &[Span]) -> Vec<Found> {
        let text = self.text;
        let mut found: Vec<Found> = Vec::new();
        // Words in quotation marks, even a phrase too short to be a quote of its own ("they
        // were "very worried.""), are the speaker's words, never an attribution.
        let quoted = if sentence.get(text).contains(['"', '“']) { pieces(text, sentence) } else { Vec::new() };
        let inside = |w: &Word| taken.iter().chain(&quoted).any(|t| t.start() <= w.span.start() && w.span.end() <= t.end());
        // Every cue is one of the attribution words (`openers`), and a poll opens the
        // sentence: the other words are passed over without a lookup.
        let mut next_opener = self.openers.partition_point(|&a| a < sentence.start());
        let mut i = 0;
        while i < words.len() {
            let w = words[i];
            i += 1;
            while self.openers.get(next_opener).is_some_and(|&a| a < w.span.start()) {
                next_opener += 1;
            }
            if i > 1 && self.openers.get(next_opener) != Some(&w.span.start()) {
                continue;
            }
            if inside(&w) || found.last().is_some_and(|f| f.right > w.span.start()) {
                continue;
            }
            let word = w.span.get(text);
            if self.according_to(words, i - 1) {
                // "According to X, content." / "Content, according to X." / "A, according to X, B."
                let Some(s) = self.according_source(words, i + 1).filter(|s| s.end() <= sentence.end()) else { continue };
                let cue = Span::new(w.span.start(), words[i].span.end());
                let before = !text[sentence.start()..cue.start()].trim().is_empty();
                let after = !text[s.end()..sentence.end()].trim_matches([' ', '.', ',', ';']).is_empty();
                // Only a short opening is the first part of a statement around it ("Among the
                // precedents at risk, according to Epstein, are …"); after a whole clause, what
                // follows the source is a remark on it ("…, according to Crowdpac, the most of
                // any candidate").
                let short_opening = word_count(text, Span::new(sentence.start(), cue.start())) <= 8;
                let side = match (before, after) {
                    (false, _) => Side::After,
                    (true, true) if short_opening => Side::Around,
                    (true, _) => Side::Before,
                };
                found.push(Found { cue, speaker: s, side, left: cue.start(), right: s.end() });
            } else if let Some(poll) = self.poll_after(words, i - 1).filter(|_| text[sentence.start()..w.span.start()].trim().is_empty()) {
                // "In a CNN poll released Sunday, Trump led …": what the poll found.
                let right = text[poll.end()..sentence.end()].find(", ").map_or(poll.end(), |c| poll.end() + c);
                found.push(Found { cue: w.span, speaker: poll, side: Side::After, left: w.span.start(), right });
            } else if self.lex.cues.speech_participles.contains(word) && text[sentence.start()..w.span.start()].trim_end().ends_with(',') {
                // "Trump attacked Clinton, saying she was unfit": the sentence's subject; after
                // an attribution ("…," he said, noting …), its speaker.
                let k = i - 1;
                let cue_before = (k.saturating_sub(4)..k).rev().find(|&j| self.is_cue(words[j].span.get(text)));
                let attributed = cue_before.and_then(|j| self.speaker_near(words, j, true).or_else(|| self.speaker_near(words, j, false)).filter(|s| s.end() <= w.span.start()));
                let Some(s) = attributed.or_else(|| self.subject(words, sentence)).or_else(|| self.described_subject(words, k)) else { continue };
                found.push(Found { cue: w.span, speaker: s, side: Side::After, left: w.span.start(), right: w.span.end() });
            } else if matches!(word, "saying" | "calling") && !text[sentence.start()..w.span.start()].trim_end().ends_with(',') {
                // "O'Malley calling Trump a fascist", "with Lind saying …": the name right
                // before.
                let Some(s) = self.speaker_near(words, i - 1, true).filter(|s| s.start() >= sentence.start() && s.end() <= w.span.start() && self.starting_in(s.start(), s.start() + 1).iter().any(|m| m.span == *s)) else { continue };
                found.push(Found { cue: w.span, speaker: s, side: Side::After, left: w.span.start(), right: w.span.end() });
            } else if self.is_cue(word) {
                let before = self.speaker_near(words, i - 1, true).filter(|s| s.start() >= sentence.start());
                // "Content, said X." / "…, said X, a former aide." / "…, said X on Monday.": the
                // name after the cue, when a comma comes before the cue. Also taking it only
                // when the sentence ends or pauses after it (so that in "…, said Nunberg was …"
                // the name is the content's subject) lost one statement on the dev set
                // (overlap50-F1 0.6522 -> 0.6520), so the name is taken either way.
                let after = self.speaker_near(words, i - 1, false).filter(|&s| s.end() <= sentence.end() && text[sentence.start()..w.span.start()].trim_end().ends_with(','));
                let before = before.or_else(|| if after.is_none() { self.relative_before(words, i - 1).or_else(|| self.noun_phrase_before(words, i - 1)) } else { None });
                // "Content, said Steve Grubbs, an Iowa operative.": the name right after the
                // cue, closing the sentence or set off by a comma, is the speaker, not a name
                // before an earlier comma of the content.
                let named_after = after.filter(|a| self.is_mention(*a) && before.is_some_and(|b| text[b.end()..w.span.start()].contains(',')) && text[a.end()..sentence.end()].trim_start().starts_with([',', '.']));
                let before = if named_after.is_some() { None } else { before };
                if let Some(s) = before {
                    let tail = text[w.span.end()..sentence.end()].trim();
                    let fronted = content_before(text, sentence.start(), s.start());
                    let parenthetical = text[sentence.start()..s.start()].trim_end().ends_with(',') && tail.starts_with(',');
                    // "Content, Carter told a Senate panel Wednesday.": a recipient and a time
                    // after the cue, nothing said.
                    let told_whom = RECIPIENT_VERBS.contains(&word) && fronted && !tail.starts_with(',') && word_count(text, Span::new(w.span.end(), sentence.end())) <= 6 && !tail.contains(" that ");
                    // "Content, EgyptAir said on Thursday.": when and where it was said.
                    let circumstance = fronted && self.circumstance(Span::new(w.span.end(), sentence.end()));
                    // "Content, analysts say; in 2012, …": a semicolon ends what they said.
                    let side = if tail.is_empty() || tail == "." || tail.starts_with(';') || told_whom || circumstance {
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
                    let adjacent = s.end() <= w.span.start() && word_count(text, Span::new(s.end(), w.span.start())) <= 3;
                    let left = if adjacent { s.start().min(w.span.start()) } else { w.span.start() };
                    // "Lind said (that) she has supported …": a cue whose subject opens the
                    // content of the cue before is inside that content (only the outermost
                    // attribution counts), not the end of it.
                    // So is a relative clause ("… for anyone who wants it") after such a cue.
                    let relative = RELATIVES.contains(&s.get(text));
                    // "… to punish Beijing for what he sees as …": a subject opened by a
                    // relative or subordinating word is in a clause of the content before.
                    let subordinate = text[sentence.start()..s.start()].trim_end().rsplit(|c: char| !c.is_alphanumeric()).next().is_some_and(|w| NESTING.contains(&w));
                    let relative = relative || subordinate;
                    if side == Side::After && found.last().is_some_and(|p| p.side == Side::After && (relative || opens_content(text, p.right, s.start()) || inside_that_clause(text, self.content_start(p), s.start()))) {
                        continue;
                    }
                    found.push(Found { cue: w.span, speaker: s, side, left, right: w.span.end() });
                } else if let Some(s) = after {
                    // "Content, said X."
                    found.push(Found { cue: w.span, speaker: s, side: Side::Before, left: w.span.start(), right: s.end() });
                }
            }
        }
        found
    }

    /// True when `span` is a mention the annotator found.
    fn is_mention(&self, span: Span) -> bool {
        self.starting_in(span.start(), span.start() + 1).iter().any(|m| m.span == span)
    }

    /// True when the rest of a sentence after its cue only says when or where something was
    /// said ("on Thursday.", "Monday.", "in a statement.", "at a rally in Iowa."): a few words
    /// opened by a preposition or a time, with no clause of their own.
    fn circumstance(&self, tail: Span) -> bool {
        let text = self.text;
        let t = tail.get(text).trim();
        if t.is_empty() || t.starts_with(',') || !t.ends_with(['.', '!', '?']) || t.contains([',', ';', '"', '“', '(']) {
            return false;
        }
        let words = words_of(text, tail);
        let first = words.first().map_or("", |w| w.span.get(text));
        let opened = CIRCUMSTANCE_OPENERS.contains(&first) || only_time(text, tail);
        opened && words.len() <= 8 && !words.iter().any(|w| matches!(w.span.get(text), "that" | "he" | "she" | "they" | "it" | "we" | "I" | "would" | "will" | "was" | "is"))
    }

    /// "Ted Cruz, who said …", "a poll, which found …": the relative pronoun right before a
    /// cue (or before its adverbs) is its subject; `resolve` gives it the name it follows.
    fn relative_before(&self, words: &[Word], at: usize) -> Option<Span> {
        let text = self.text;
        let mut k = at.checked_sub(1)?;
        while k > 0 && self.lex.cues.speech_adverbs.contains(words[k].span.get(text)) {
            k -= 1;
        }
        let joined = text[words[k].span.end()..words[k + 1].span.start()].trim().is_empty();
        (joined && RELATIVES.contains(&words[k].span.get(text))).then_some(words[k].span)
    }

    /// The subject of a cue that is neither a mention, a pronoun nor a description opened by
    /// an article: the short noun phrase right before it that starts a clause ("One
    /// intelligence source said", "White House spokesmen said", "47 percent said", "…
    /// although history says"). Its words are joined by spaces only, and it starts at the
    /// sentence's start, after punctuation or after a word that opens a clause; a longer run
    /// is no subject phrase and gives none.
    fn noun_phrase_before(&self, words: &[Word], at: usize) -> Option<Span> {
        let text = self.text;
        let cue = words[at].span.get(text);
        // Only cues that are verbs whatever their place: "calls", "reports" and "claims" are
        // nouns as often ("prompted calls for probes").
        if !(cue.ends_with("ed") || FALLBACK_CUES.contains(&cue)) {
            return None;
        }
        let mut head = at.checked_sub(1)?;
        // "Clinton wrongly claimed", "the chief bluntly suggested": adverbs are not the head.
        while head > 0 && (self.lex.cues.speech_adverbs.contains(words[head].span.get(text)) || words[head].span.get(text).ends_with("ly")) && text[words[head].span.end()..words[head + 1].span.start()].trim().is_empty() {
            head -= 1;
        }
        let t = words[head].span.get(text);
        let lower = t.to_lowercase();
        // A negated auxiliary ("doesn't know") or a verb is not a subject.
        // "Those surveyed say", "voters polled said": the people asked, not a verb.
        let asked = matches!(lower.as_str(), "surveyed" | "polled" | "questioned" | "interviewed") && head > 0;
        let verbal = !asked && (lower.ends_with("n't") || lower.ends_with("n’t") || lower.ends_with("ed") || lower.ends_with("ing") || lower.ends_with("ly"));
        if verbal || PHRASE_STOPS.contains(&lower.as_str()) || INSIDE_PHRASE.contains(&t) || !text[words[head].span.end()..words[head + 1].span.start()].trim().trim_start_matches('%').is_empty() {
            return None;
        }
        let mut first = head;
        loop {
            if first == 0 {
                break;
            }
            let gap = &text[words[first - 1].span.end()..words[first].span.start()];
            let prev = words[first - 1].span.get(text).to_lowercase();
            // "One in five say": a share, whose "one" opens the phrase.
            let share = prev == "one" && words[first].span.get(text) == "in";
            // "Thirty-one percent of those surveyed say".
            let those_asked = asked && prev == "those" && first == head;
            if !gap.trim().trim_matches('.').is_empty() || (PHRASE_STOPS.contains(&prev.as_str()) && !share && !those_asked) {
                break;
            }
            if head - first >= 5 {
                return None;
            }
            first -= 1;
        }
        let opener = words[first].span.get(text);
        (!INSIDE_PHRASE.contains(&opener)).then(|| Span::new(words[first].span.start(), words[head].span.end()))
    }
}

/// Words that open a clause or cannot be in a subject phrase: a noun phrase before a cue
/// starts after them ("… although history says"), and one ending in them is no subject.
const PHRASE_STOPS: &[&str] = &["that", "and", "but", "or", "nor", "who", "whom", "whose", "which", "when", "while", "as", "because", "if", "although", "though", "whether", "where", "so", "than", "what", "how", "why", "after", "before", "since", "until", "unless", "to", "this", "these", "those", "it", "its", "there", "here", "not", "never", "no", "also", "still", "just", "only", "even", "now", "then", "yet", "is", "are", "was", "were", "be", "been", "has", "have", "had", "do", "does", "did", "will", "would", "could", "should", "may", "might", "can", "must", "shall", "he", "she", "they", "we", "i", "you", "him", "her", "them", "us", "me", "said", "says", "say", "told", "the", "a", "an", "his", "her", "their", "our", "my", "your", "first", "later", "who", "one", "some", "many", "most", "all"];

/// The fewest words a reported content has: three, so that a cue's stray object ("told
/// reporters", "pledged support") is no statement; one after "said" ("said no") and after
/// verbs of taking a stand, whose object is the stance ("endorsed Cruz", "rejected it").
fn min_words(cue: &str) -> usize {
    if STANCE_CUES.contains(&cue) {
        1
    } else {
        3
    }
}

/// True when what comes before a speaker is a content set off by a comma: the text before
/// it ends in a comma once the speaker's title is left out ("…, Defense Secretary Ash
/// Carter told", "…, her friend said").
fn content_before(text: &str, from: usize, speaker: usize) -> bool {
    let head = text[from..speaker].trim_end();
    let untitled = head.trim_end_matches(|c: char| c.is_alphabetic() || c == '.' || c == ' ' || c == '-');
    let title = &head[untitled.len()..];
    let titled = title.split_whitespace().all(|w| w.starts_with(char::is_uppercase)) && title.split_whitespace().count() <= 4;
    head.ends_with(',') || (titled && untitled.ends_with(','))
}

/// A content before its speaker without the speaker's title after its last comma
/// ("…, Defense Secretary" of "…, Defense Secretary Ash Carter told"); `content_before`
/// allows such a title.
fn without_title(text: &str, content: Span) -> Span {
    let c = content.get(text);
    let Some(comma) = c.rfind(", ") else { return content };
    let title = c[comma + 1..].trim();
    let titled = !title.is_empty() && title.split_whitespace().count() <= 4 && title.split_whitespace().all(|w| w.starts_with(char::is_uppercase) && w.chars().all(|ch| ch.is_alphabetic() || ch == '.' || ch == '-'));
    if titled {
        Span::new(content.start(), content.start() + comma)
    } else {
        content
    }
}

/// Words that open the circumstances of a statement after its cue.
pub(super) const CIRCUMSTANCE_OPENERS: &[&str] = &["on", "in", "at", "during", "after", "before", "from", "via", "through", "while", "last", "this", "earlier", "later", "late", "early", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "yesterday", "today", "tonight"];

/// True when a content is nothing but a time ("said Tuesday", "reported ten days ago"):
/// what follows the cue is when it was said, not what.
fn only_time(text: &str, content: Span) -> bool {
    // Most contents fail at their first word: the words are read only as far as that.
    super::text::words(text, content).all(|w| {
        let t = w.span.get(text);
        t.bytes().all(|c| c.is_ascii_digit()) || TIME_PHRASE.iter().any(|p| p.eq_ignore_ascii_case(t))
    })
}

/// The words of a time phrase after a cue.
const TIME_PHRASE: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday", "tonight", "morning", "afternoon", "evening", "night", "day", "days", "week", "weeks", "weekend", "month", "months", "year", "years", "ago", "last", "this", "next", "on", "in", "earlier", "later", "early", "late", "recently", "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "few", "several", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
];

/// Cues whose object, however short, is what the speaker holds.
const STANCE_CUES: &[&str] = &["said", "says", "declined", "declines", "endorsed", "endorses", "supported", "supports", "rejected", "rejects", "criticized", "criticizes", "defended", "defends", "blasted", "blasts", "questioned", "praised", "praises", "denounced", "denounces", "blamed", "blames", "oppose", "opposes"];

/// Words opening a clause inside a statement, before its subject ("for what he sees as").
/// ("which", "whom", "how" and "whether" were tried and left out: train F1 fell.)
const NESTING: &[&str] = &["what", "that", "because", "since", "if"];

/// Capitalised words that open a phrase put before a sentence's subject.
const FRONTED_OPENERS: &[&str] = &["In", "On", "At", "During", "After", "Before", "Since", "With", "Without", "For", "From", "Earlier", "Later", "Last", "This", "Meanwhile", "Still", "Yet", "Instead", "Then", "Now", "Today", "Yesterday", "By", "Despite", "Like", "Unlike", "As", "When", "While", "Although", "Though", "Because", "If"];

/// Words that open the question after "Asked".
const QUESTION_WORDS: &[&str] = &["if", "whether", "what", "which", "who", "whom", "why", "how", "when", "where", "about", "to", "specifically", "directly", "again", "later"];

/// Relative pronouns that stand for a speaker named before them.
pub(super) const RELATIVES: &[&str] = &["who", "which"];

/// Cues that are verbs wherever they stand (besides those ending in "-ed"), so the noun
/// phrase before them is their subject.
const FALLBACK_CUES: &[&str] = &["said", "says", "say", "told", "tells", "wrote", "writes", "thinks", "think", "believes", "believe", "argues", "argue", "insists", "insist", "warns", "notes", "adds", "suggests", "suggest", "explains", "found", "predicts", "admits", "acknowledges", "concedes", "contends", "knows", "know", "agrees", "agree", "expects", "expect", "sought"];

/// Prepositions that may be inside a subject phrase ("spokesmen for the campaign") but are
/// neither its first nor its last word.
const INSIDE_PHRASE: &[&str] = &["of", "for", "at", "in", "from", "on", "with", "by"];

/// Words that open a subordinate clause at a sentence's start: a statement inside it ends
/// at the clause's comma.
const SUBORDINATORS: &[&str] = &["as", "when", "while", "after", "before", "since", "although", "though", "because", "if", "once", "until", "even", "whereas", "unless"];

/// Words in "-ing" that go on inside a statement after a comma ("…, including …").
const KEPT_PARTICIPLES: &[&str] = &["including", "according", "regarding", "concerning", "excluding", "notwithstanding", "during", "nothing", "something", "anything", "everything", "thing", "things", "being", "bring"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::quotes::find;
    use crate::lexicon::Lexicon;
    use crate::model::{EntityKind, LinkHint, RawMention};

    /// A person mention of the first occurrence of `name`.
    fn person(text: &str, name: &str) -> RawMention {
        let start = text.find(name).unwrap();
        RawMention { span: Span::new(start, start + name.len()), kind: EntityKind::Person, score: 0.9, link: LinkHint::None, rule: "tagger", canonical: None, qualifier: None }
    }

    /// (content, speaker text) of each statement found.
    fn found(text: &str, names: &[&str]) -> Vec<(String, Option<String>)> {
        let mentions: Vec<RawMention> = names.iter().map(|n| person(text, n)).collect();
        find(text, 0, &mentions, &Lexicon::get()).into_iter().map(|q| (q.content.get(text).to_string(), q.speaker.map(|s| s.get(text).to_string()))).collect()
    }

    #[test]
    fn a_sentence_ends_after_a_closing_quote_or_parenthesis() {
        let text = "Lind called the plan “dead.” Her aide said the vote would go ahead (as planned.) The rest is silence.";
        let got: Vec<&str> = reported_sentences(text, Span::new(0, text.len())).into_iter().map(|s| s.get(text)).collect();
        assert_eq!(got, ["Lind called the plan “dead.”", "Her aide said the vote would go ahead (as planned.)", "The rest is silence."]);
        let title = "He met Mr. Lind. Then he left.";
        assert_eq!(reported_sentences(title, Span::new(0, title.len())).len(), 2, "a title's full stop ends nothing");
    }

    #[test]
    fn what_was_told_starts_after_the_recipient() {
        let text = "Anna Berg told reporters on Monday that the talks would resume next week.\n";
        assert_eq!(found(text, &["Anna Berg"]), [("that the talks would resume next week".to_string(), Some("Anna Berg".to_string()))]);
    }

    #[test]
    fn a_statement_around_its_own_attribution_is_kept() {
        let text = "Anna Berg came back from the capital.\nNow, she said, the talks are over for good.\n";
        assert_eq!(found(text, &["Anna Berg"]), [("Now, she said, the talks are over for good".to_string(), Some("she".to_string()))]);
    }

    #[test]
    fn a_subject_phrase_without_a_name_is_the_speaker() {
        let text = "Pentagon spokesmen said the ban prevented any planning for the move.\n";
        assert_eq!(found(text, &[]), [("the ban prevented any planning for the move".to_string(), Some("Pentagon spokesmen".to_string()))]);
        // Neither a negated auxiliary nor an adverb is a subject.
        assert!(found("Nobody here really doesn't know the answer to that question.\n", &[]).is_empty());
    }

    #[test]
    fn a_statement_ends_with_its_clause() {
        let text = "When Olaf Lind announced the closing of the mill, some workers felt betrayed.\nAnna Berg declared that she cannot support the plan, throwing the council into disarray.\n";
        let got = found(text, &["Olaf Lind", "Anna Berg"]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], ("the closing of the mill".to_string(), Some("Olaf Lind".to_string())));
        assert_eq!(got[1], ("that she cannot support the plan".to_string(), Some("Anna Berg".to_string())));
        // "including" goes on inside the statement.
        let kept = "Anna Berg said the storm would cause damage, including floods in the valley.\n";
        assert_eq!(found(kept, &["Anna Berg"])[0].0, "the storm would cause damage, including floods in the valley");
    }

    #[test]
    fn a_name_and_a_colon_open_a_statement() {
        let text = "Olaf Lind: The bridge will be rebuilt before winter.\nPoll: Most voters want the bridge rebuilt soon.\nQ: Did you ever tell anyone about it?\n";
        let got = found(text, &["Olaf Lind"]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], ("The bridge will be rebuilt before winter".to_string(), Some("Olaf Lind".to_string())));
        assert_eq!(got[1], ("Most voters want the bridge rebuilt soon".to_string(), Some("Poll".to_string())));
        assert!(found("At 5:45 p.m. the polls closed in the whole state.\n", &[]).is_empty(), "a time is no source");
    }

    #[test]
    fn a_refusal_is_an_attribution() {
        let text = "Olaf Lind declined to comment on the report.\n";
        assert_eq!(found(text, &["Olaf Lind"]), [("to comment on the report".to_string(), Some("Olaf Lind".to_string()))]);
    }

    #[test]
    fn a_statement_stops_before_a_quote_of_its_own() {
        let text = "Olaf Lind said he has backed the bill on the port, which he called “a lifeline for the town.”\n";
        let got = found(text, &["Olaf Lind"]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], ("he has backed the bill on the port".to_string(), Some("Olaf Lind".to_string())));
        assert_eq!(got[1].0, "“a lifeline for the town.”");
    }

    #[test]
    fn a_cue_opening_the_content_of_another_is_inside_it() {
        let text = "Anna Berg said she supported the plan to rebuild the harbour.\n";
        assert_eq!(found(text, &["Anna Berg"]), [("she supported the plan to rebuild the harbour".to_string(), Some("Anna Berg".to_string()))]);
    }

    #[test]
    fn a_clause_opened_by_what_or_that_inside_a_statement_is_part_of_it() {
        let text = "Anna Berg has said that she would raise tariffs to punish Oslo for what she sees as unfair trade.\n";
        assert_eq!(found(text, &["Anna Berg"]), [("that she would raise tariffs to punish Oslo for what she sees as unfair trade".to_string(), Some("Anna Berg".to_string()))]);
    }

    #[test]
    fn a_mixed_quote_closing_its_sentence_ends_the_statement() {
        let text = "The lawyer, Ann Holm, said Olaf Lind was “looking for free publicity using false claims.” He said Lind was bound by an agreement.\n";
        let got = found(text, &["Ann Holm", "Olaf Lind"]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "Olaf Lind was “looking for free publicity using false claims.”");
        assert_eq!(got[1].0, "Lind was bound by an agreement");
    }

    #[test]
    fn a_relative_pronoun_speaks_for_the_name_before_it() {
        let text = "The vote was delayed by Olaf Lind, who said the council needed more time to read the plan.\n";
        let mentions = [person(text, "Olaf Lind")];
        let got = find(text, 0, &mentions, &Lexicon::get());
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].content.get(text), "the council needed more time to read the plan");
        assert_eq!(got[0].speaker.map(|s| s.get(text)), Some("who"));
        assert_eq!(got[0].antecedent.map(|s| s.get(text)), Some("Olaf Lind"));
        // Inside another statement, a relative clause is part of it.
        let nested = "Anna Berg says she will welcome advice from anyone who wants to help the town.\n";
        assert_eq!(found(nested, &["Anna Berg"]), [("she will welcome advice from anyone who wants to help the town".to_string(), Some("Anna Berg".to_string()))]);
    }

    #[test]
    fn a_cue_in_the_clause_of_another_content_is_part_of_it() {
        let text = "Olaf Lind said the study his office published shows no harm to the river.\nOlaf Lind said the port will close, and Anna Berg said the town will suffer.\n";
        let got = found(text, &["Olaf Lind", "Anna Berg"]);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], ("the study his office published shows no harm to the river".to_string(), Some("Olaf Lind".to_string())));
        assert_eq!(got[1].0, "the port will close");
        assert_eq!(got[2], ("the town will suffer".to_string(), Some("Anna Berg".to_string())));
    }

    #[test]
    fn a_time_after_the_cue_is_no_content() {
        assert!(found("The bridge will close, officials said Tuesday.\nThe Gazette reported ten days ago.\n", &[]).iter().all(|(c, _)| c != "Tuesday" && c != "ten days ago"));
        assert_eq!(found("At the meeting on the plan, Olaf Lind said no.\n", &["Olaf Lind"]), [("no".to_string(), Some("Olaf Lind".to_string()))]);
    }

    #[test]
    fn a_new_sentence_after_a_closed_quote_is_not_its_attribution() {
        let text = "Olaf Lind said he holds his roots in the valley “very near to my heart.” He said he sees himself in many of the voters.\n";
        let got = found(text, &["Olaf Lind"]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].0.starts_with("he holds his roots"), "{got:?}");
        assert_eq!(got[1], ("he sees himself in many of the voters".to_string(), Some("He".to_string())));
    }

    #[test]
    fn the_subject_follows_a_phrase_put_before_it() {
        let text = "In an interview with the Gazette, Olaf Lind defended the plan and said the harbour would reopen in May.\n";
        let got = found(text, &["Olaf Lind"]);
        assert!(got.contains(&("the harbour would reopen in May".to_string(), Some("Olaf Lind".to_string()))), "{got:?}");
    }

    #[test]
    fn according_to_after_a_whole_clause_ends_the_statement() {
        let text = "Nearly half of the money raised this year came from small donors in the valley, according to the Gazette, the most of any year.\nAmong the plans at risk, according to Anna Berg, are the bridge and the port.\n";
        let got = found(text, &["Anna Berg"]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "Nearly half of the money raised this year came from small donors in the valley");
        assert_eq!(got[1].0, "Among the plans at risk, according to Anna Berg, are the bridge and the port");
    }

    #[test]
    fn a_cue_in_the_first_clause_after_according_to_is_part_of_it() {
        let text = "According to the Gazette survey, most residents said they would vote for the bridge.\n";
        let got = found(text, &[]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0], ("most residents said they would vote for the bridge".to_string(), Some("the Gazette survey".to_string())));
    }

    #[test]
    fn a_title_case_headline_with_a_cue_is_a_statement() {
        let text = "Mayor Ada Voss Says The Harbour Bridge Will Reopen In May\nThe mayor spoke on Monday.\n";
        assert_eq!(found(text, &["Ada Voss"]), [("The Harbour Bridge Will Reopen In May".to_string(), Some("Mayor Ada Voss".to_string()))]);
        // A headline in sentence case is left to the other rules; one without a cue gives nothing.
        assert!(found("Harbour Bridge Will Reopen In May After Long Repairs\n", &[]).is_empty());
        let last = "The Harbour Bridge Is Safe Again, Mayor Voss Says\n";
        assert_eq!(found(last, &[]), [("The Harbour Bridge Is Safe Again".to_string(), Some("Mayor Voss".to_string()))]);
    }

    #[test]
    fn the_question_put_to_someone_is_a_statement_without_a_named_speaker() {
        let text = "Asked whether the bridge would reopen in May, Olaf Lind smiled.\n";
        let mentions = [person(text, "Olaf Lind")];
        let got = find(text, 0, &mentions, &Lexicon::get());
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].content.get(text), "whether the bridge would reopen in May");
        assert_eq!((got[0].speaker, got[0].cue.map(|c| c.get(text))), (None, Some("Asked")));
    }

    #[test]
    fn when_and_where_after_the_cue_leave_the_statement_before_it() {
        let text = "The pilot had logged 6,300 hours of flying time, Ann Lind said on Thursday.\nThe bridge will open in May, Berg said Monday.\n";
        assert_eq!(
            found(text, &["Ann Lind", "Berg"]),
            [("The pilot had logged 6,300 hours of flying time".to_string(), Some("Ann Lind".to_string())), ("The bridge will open in May".to_string(), Some("Berg".to_string()))]
        );
        // A clause after the cue is what was said, however short.
        let text = "In March, Ann Lind said the bridge works.\n";
        assert_eq!(found(text, &["Ann Lind"]), [("the bridge works".to_string(), Some("Ann Lind".to_string()))]);
    }

    #[test]
    fn a_title_before_the_speaker_is_not_the_statement() {
        let text = "This includes a special force for the north, Defense Secretary Ann Lind told a Senate panel Wednesday.\n";
        assert_eq!(found(text, &["Ann Lind"]), [("This includes a special force for the north".to_string(), Some("Ann Lind".to_string()))]);
    }

    #[test]
    fn a_name_after_the_cue_is_the_speaker_of_the_content_before() {
        let text = "In a year when voters resent the capital, candidates have more room, said Ann Lind, a former aide.\n";
        let got = found(text, &["Ann Lind"]);
        assert_eq!(got, [("In a year when voters resent the capital, candidates have more room".to_string(), Some("Ann Lind".to_string()))]);
    }

    #[test]
    fn a_parenthesis_opens_a_new_sentence() {
        let text = "That criticism was often warranted, Ann Lind said. (Just look at the vote last week.)\n";
        assert_eq!(found(text, &["Ann Lind"]), [("That criticism was often warranted".to_string(), Some("Ann Lind".to_string()))]);
    }

    #[test]
    fn a_quoted_phrase_going_on_into_a_clause_is_not_attributed_by_the_cue_after_it() {
        let text = "Ann Lind thanked the crowd for its \"great patience\" and said the vote would fail next week.\n";
        let got = found(text, &["Ann Lind"]);
        assert!(got.contains(&("the vote would fail next week".to_string(), Some("Ann Lind".to_string()))), "{got:?}");
        assert!(!got.iter().any(|(c, _)| c.starts_with("Ann Lind")), "the sentence up to the quote is no statement: {got:?}");
    }

    #[test]
    fn a_name_after_the_cue_that_goes_on_into_a_clause_is_no_speaker() {
        // "said Berg was …": Berg is what the statement is about; the speaker is before.
        let text = "The lawyer for the firm, Ann Lind, said Berg was looking for free publicity.\n";
        let got = found(text, &["Ann Lind", "Berg"]);
        assert!(got.iter().all(|(_, s)| s.as_deref() != Some("Berg")), "{got:?}");
    }

    #[test]
    fn a_cue_word_in_quotation_marks_is_the_speakers_word() {
        let text = "Most said they were \"very worried.\"\n";
        assert_eq!(found(text, &[]), [("they were \"very worried.\"".to_string(), Some("Most".to_string()))]);
    }

    #[test]
    fn shares_of_those_asked_are_speakers() {
        let text = "One in five say that will not be true. Thirty-one percent of those surveyed say they would be satisfied.\n";
        let got = found(text, &[]);
        let speakers: Vec<Option<String>> = got.into_iter().map(|(_, s)| s).collect();
        assert_eq!(speakers, [Some("One in five".to_string()), Some("Thirty-one percent of those surveyed".to_string())]);
    }

    #[test]
    fn a_semicolon_ends_the_statement_before_its_attribution() {
        let text = "Candidates need about 40 percent of the vote, Ann Lind says; in 2012, the party won 27 percent.\n";
        assert_eq!(found(text, &["Ann Lind"]), [("Candidates need about 40 percent of the vote".to_string(), Some("Ann Lind".to_string()))]);
    }

    #[test]
    fn names_set_off_by_commas_before_the_cue_are_its_speaker() {
        let text = "His biographers, Ann and Olaf Lind, wrote that the senator had a tin ear for politics.\n";
        assert_eq!(found(text, &["Olaf Lind"]), [("that the senator had a tin ear for politics".to_string(), Some("Olaf Lind".to_string()))]);
    }

    #[test]
    fn a_poll_opening_a_sentence_is_the_source_of_what_follows() {
        let text = "In a Gazette poll released Sunday, most residents backed the new bridge over the river.\n";
        let got = found(text, &[]);
        assert_eq!(got, [("most residents backed the new bridge over the river".to_string(), Some("a Gazette poll".to_string()))]);
    }

    #[test]
    fn a_participle_after_an_attribution_is_its_speakers_and_a_relative_clause_is_no_turn() {
        let text = "Olaf Lind told the Gazette the port must stay open.\nHe spoke as bands of angry harbour traders who have demanded a new pier met the mayor Ada Voss.\n\"They already took the north,\" he said, noting that the traders were moving south.\n";
        let mentions = [person(text, "Olaf Lind"), person(text, "Ada Voss")];
        let got = find(text, 0, &mentions, &Lexicon::get());
        let by = |cue: &str| got.iter().find(|q| q.cue.is_some_and(|c| c.get(text) == cue)).and_then(|q| q.antecedent).map(|a| a.get(text));
        assert_eq!(by("said"), Some("Olaf Lind"), "{got:?}");
        assert_eq!(by("noting"), Some("Olaf Lind"), "{got:?}");
    }

    #[test]
    fn a_name_right_before_saying_is_its_speaker() {
        let text = "The council split, with Olaf Lind saying the port should close for the winter.\n";
        assert_eq!(found(text, &["Olaf Lind"]), [("the port should close for the winter".to_string(), Some("Olaf Lind".to_string()))]);
    }

    #[test]
    fn a_recipient_after_told_ends_the_attribution_of_what_came_before() {
        let text = "The ferry will run again in March, Olaf Lind told a council panel Wednesday.\nOn the port, 42% say they want it open.\n";
        let got = found(text, &["Olaf Lind"]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0], ("The ferry will run again in March".to_string(), Some("Olaf Lind".to_string())));
        assert_eq!(got[1].0, "they want it open");
    }
}
