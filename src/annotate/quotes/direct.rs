//! Direct quotes: text in quotation marks, pieces of one quote joined across their own
//! attribution, and the attribution before or after them.

use super::text::{abbreviation_at, clause_start, pieces, trim_content, word_count, words_of, Word};
use super::Finder;
use crate::model::Quote;
use crate::text::Span;

impl Finder<'_> {
    /// The direct quotes of one line, with the attribution beside them when there is one.
    pub(super) fn direct_in(&self, line: Span) -> Vec<Quote> {
        let text = self.text;
        let ps = pieces(text, line);
        let mut out: Vec<Quote> = Vec::new();
        let mut i = 0;
        while i < ps.len() {
            // A piece inside the statement of a mixed quote before it is part of it.
            if out.last().is_some_and(|q| q.content.end() > ps[i].start()) {
                i += 1;
                continue;
            }
            let mut content = ps[i];
            let mut attribution: Option<(Span, Span)> = None;
            // Pieces split by their own attribution are one quote.
            while i + 1 < ps.len() {
                let gap = Span::new(content.end(), ps[i + 1].start());
                let gw = words_of(text, gap);
                let found = (gw.len() <= 16 && self.lone_attribution(gap, &gw)).then(|| self.attribution_in(&gw)).flatten();
                if gap.get(text).trim_start().starts_with(',') || content.get(text).trim_end_matches(['"', '”', '\'']).ends_with(',') {
                    if let Some(a) = found {
                        attribution = attribution.or(Some(a));
                        content = Span::new(content.start(), ps[i + 1].end());
                        i += 1;
                        continue;
                    }
                }
                if self.words_before_in_sentence(content, line) == 0 && self.attribution_between(content, gap, &gw) {
                    attribution = attribution.or_else(|| self.after(content, line));
                    content = Span::new(content.start(), ps[i + 1].end());
                    i += 1;
                    continue;
                }
                break;
            }
            i += 1;
            // Fewer than six words: a phrase, not a statement of its own.
            let short = super::text::words(text, content).nth(5).is_none();
            let lead = self.words_before_in_sentence(content, line);
            let attribution = attribution.or_else(|| self.after(content, line)).or_else(|| {
                // "Kerry said: "…"", "he told reporters "…"": the cue right before the quote.
                // "Kerry said the plan would "fail"" is reported speech quoting a few words.
                self.before(content, line).filter(|(_, cue)| word_count(text, Span::new(cue.end(), content.start())) <= 2)
            });
            // Quoted words inside a sentence with nothing saying who said them are part of
            // that sentence (a phrase it quotes, a title, scare quotes), not a statement; so
            // is a word or two in quotation marks anywhere.
            if attribution.is_none() && (short || lead > 0) {
                continue;
            }
            let (speaker, cue) = match attribution {
                Some((s, c)) => (Some(s), Some(c)),
                None => (None, None),
            };
            // A few quoted words after the attribution of the quote before, by its cue, are a
            // title it names (`," Lind said on "Morning Talk."`), not a statement.
            if short && lead > 0 && cue.is_some() && out.last().is_some_and(|p| p.cue == cue) {
                continue;
            }
            // A phrase of a few words quoted inside a sentence, a word or two after its cue
            // ("expects an "aggressive appeal"", "called it "meritless""), is part of a
            // statement in the reporter's words, which reported speech finds; not a quote.
            if lead > 0 && short && cue.is_some_and(|c| c.end() <= content.start() && word_count(text, Span::new(c.end(), content.start())) > 0) {
                continue;
            }
            // A few quoted words right after a preposition with the cue after them (`on "CBS
            // This Morning," Berg said he …`) are the name of a show, book or place.
            let named = text[line.start()..content.start()].trim_end().rsplit(|c: char| !c.is_alphanumeric()).next().is_some_and(|w| TITLE_PREPOSITIONS.contains(&w));
            if named && short && cue.is_some_and(|c| c.start() >= content.end()) {
                continue;
            }
            if let Some(c) = cue.filter(|&c| lead > 0 && self.is_mixed(content, c)) {
                let mut mixed = self.mixed_content(content, c, line);
                let after_last = out.last().map_or(line.start(), |q| q.content.end());
                mixed.set_start(mixed.start().max(after_last));
                out.push(Quote { content: mixed, speaker, cue, direct: false, antecedent: None });
                continue;
            }
            // A quote right after an attributed one, with only that attribution between them,
            // goes on in the same voice: `"A?" Clinton said. "B."` is one statement.
            if let (Some(prev), None) = (out.last_mut(), speaker) {
                let prev: &mut Quote = prev;
                if prev.cue.is_some_and(|c| c.start() >= prev.content.end() && c.end() <= content.start()) && word_count(text, Span::new(prev.content.end(), content.start())) <= 8 {
                    prev.content = Span::new(prev.content.start(), content.end());
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
    pub(super) fn is_mixed(&self, content: Span, cue: Span) -> bool {
        if cue.start() >= content.end() {
            return true;
        }
        // A cue between the pieces of one quote is its own attribution.
        if cue.end() > content.start() {
            return false;
        }
        let between = words_of(self.text, Span::new(cue.end(), content.start()));
        between.len() > 1 || between.first().is_some_and(|w| matches!(w.span.get(self.text), "that" | "to"))
    }

    /// The statement a mixed quote is part of: from its cue to the end of the sentence, or
    /// from the sentence's start when the cue follows (a quote closing a sentence ends it).
    pub(super) fn mixed_content(&self, content: Span, cue: Span, line: Span) -> Span {
        let all = super::reported::reported_sentences(self.text, line);
        let span = if cue.start() >= content.end() {
            let start = all.iter().rev().find(|s| s.start() <= content.start()).map_or(line.start(), |s| s.start());
            Span::new(start, content.end())
        } else {
            let end = all.iter().find(|s| s.end() >= content.end()).map_or(line.end(), |s| s.end());
            Span::new(cue.end(), end)
        };
        trim_content(self.text, span)
    }

    /// True when `gap`, between a quote and the next in its paragraph, is one sentence that
    /// the first quote opens: `"A," Lind said at a rally in Tulsa last week. "B."` is one
    /// statement however long its attribution (a quote ending in a comma, question or
    /// exclamation mark goes on into the words after it).
    pub(super) fn attribution_between(&self, content: Span, gap: Span, gap_words: &[Word]) -> bool {
        let quote = content.get(self.text).trim_end_matches(['"', '”', '\'']);
        let g = gap.get(self.text).trim();
        if !quote.ends_with([',', '?', '!', '—']) || gap_words.is_empty() || gap_words.len() > 40 || !g.ends_with(['.', ':']) {
            return false;
        }
        self.lone_attribution(gap, gap_words)
    }

    /// True when `gap`, between two quoted pieces, is one attribution and nothing more: it
    /// ends in a mark that hands over to the next piece (`, Lind said, "`, `, Lind said. "`),
    /// no sentence ends before that mark, and it holds one verb of saying. Otherwise the
    /// next piece is a statement of its own (`," Lind said. Berg replied, "…"`, `," he
    /// said, adding: "…"`) or a title the attribution names (`," Lind said on "Meet the
    /// Press."`).
    pub(super) fn lone_attribution(&self, gap: Span, gap_words: &[Word]) -> bool {
        let g = gap.get(self.text).trim();
        if !g.ends_with([',', '.', ':', '—', '–']) {
            return false;
        }
        let is_cue = |w: &Word| {
            let t = w.span.get(self.text);
            self.is_cue(t) || self.lex.cues.speech_participles.contains(t)
        };
        // A second verb of saying that leads into the next piece starts a statement of its
        // own (`," he said, adding, "…"`, `," he said, adding later, "…"`); one in a sentence
        // of its own describes the first (`," Lind said, referring to the debate. "…"`).
        let cues = gap_words.iter().filter(|w| is_cue(w)).count();
        if cues == 0 || (cues > 1 && !g.ends_with('.')) {
            return false;
        }
        // No sentence ends inside the gap before its last mark.
        let inner = &g[..g.len() - g.chars().last().map_or(0, char::len_utf8)];
        let lead = gap.get(self.text).len() - gap.get(self.text).trim_start().len();
        !inner.match_indices(['.', '!', '?']).any(|(i, m)| m != "." || !abbreviation_at(self.text, gap.start() + lead + i))
    }

    /// How many words of its sentence come before a quote.
    pub(super) fn words_before_in_sentence(&self, content: Span, line: Span) -> usize {
        let from = clause_start(self.text, line.start(), content.start(), &['.', '!', '?', '"', '”', ':']);
        word_count(self.text, Span::new(from, content.start()))
    }

    /// A cue and its speaker among a few words ("Kerry said", "said Kerry", "he added").
    pub(super) fn attribution_in(&self, words: &[Word]) -> Option<(Span, Span)> {
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
    pub(super) fn after(&self, content: Span, line: Span) -> Option<(Span, Span)> {
        let rest = &self.text[content.end()..line.end()];
        // A dash and a name: `"…" ― Pamela Padilla`.
        let trimmed = rest.trim_start();
        if let Some(dash) = trimmed.chars().next().filter(|c| matches!(c, '―' | '—' | '–')) {
            let dash_at = content.end() + (rest.len() - trimmed.len());
            let name_at = dash_at + dash.len_utf8();
            let words = words_of(self.text, Span::new(name_at, line.end()));
            let run = words.iter().take_while(|w| w.span.get(self.text).chars().next().is_some_and(char::is_uppercase)).count();
            if run >= 1 && self.text[name_at..words[0].span.start()].trim().is_empty() {
                return Some((Span::new(words[0].span.start(), words[run - 1].span.end()), Span::new(dash_at, name_at)));
            }
        }
        // A paragraph that is only a dash and a name right after the quote's paragraph signs
        // it (`"…"` then `- Ann Lind.`, as fact checks quote their claims).
        if rest.trim().is_empty() {
            if let Some(signed) = self.signature_after(line.end()) {
                return Some(signed);
            }
        }
        // `X called her "weak" and said …`: a quote going on into its own clause is the
        // object of a verb before it, and the cue after it has its subject before the quote.
        let first = rest.trim_start().split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        if matches!(first, "and" | "but" | "or" | "then" | "yet") {
            return None;
        }
        let end = rest.match_indices(['.', '!', '?', '"', '“']).find(|&(i, m)| m != "." || !abbreviation_at(self.text, content.end() + i)).map_or(line.end(), |(i, _)| content.end() + i);
        // The cue comes within the first words: `," she said several months later.`
        let words = words_of(self.text, Span::new(content.end(), end));
        let cue_at = words.iter().take(16).position(|w| self.is_cue(w.span.get(self.text)))?;
        // A quote closing its sentence with a full stop and a new sentence after it whose cue
        // has a statement of its own (`… my heart." He said he recognizes …`): not its
        // attribution.
        let closed = content.get(self.text).trim_end_matches(['"', '”', '\'', '’']).ends_with('.');
        if closed && words.len() > cue_at + 3 && words.first().is_some_and(|w| w.span.get(self.text).starts_with(char::is_uppercase)) {
            return None;
        }
        // Further in, only after an aside: `," Sam Lind, a former aide, said.`; a name with
        // its title may take a few words: `," senior counsel Maria Lind wrote.`
        if cue_at >= 8 && !self.text[words[cue_at - 1].span.end()..words[cue_at].span.start()].contains(',') {
            return None;
        }
        // A cue inside the aside ("Cruz, who has proposed …, said") has no speaker of its own:
        // the window reaches the last cue of the first words, and the first with a speaker wins.
        let last_cue = words.iter().take(16).rposition(|w| self.is_cue(w.span.get(self.text))).unwrap_or(cue_at);
        let after_aside = last_cue > cue_at && self.text[words[last_cue - 1].span.end()..words[last_cue].span.start()].contains(',');
        let reach = if after_aside { last_cue } else { cue_at };
        // `," Lind said.`, `," said Lind, a former aide`, `," Lind said on Monday`: the
        // attribution closes the sentence. A cue with a clause of its own after it (`"Going
        // Viral," …, said the days … are gone`, `"Morning Joe," Lind asked Trump how …`)
        // is a statement of its own, and the quote a title inside it.
        let (s, c) = self.attribution_in(&words[..words.len().min(reach + 6)])?;
        if s.start() < c.start() {
            return (!self.opens_clause(c.end(), end)).then_some((s, c));
        }
        if self.closes_at(s.end(), end) {
            return Some((s, c));
        }
        // `," said Virginia delegate Beau Correll, angered …`: the name closing the title
        // that the speaker found starts.
        self.name_closing(s.end(), end).map(|named| (Span::new(s.start(), named.end()), c))
    }

    /// The person or body named at the end of the few words after `at`, up to a comma or
    /// `end`: the rest of a title and name ("delegate Beau Correll").
    fn name_closing(&self, at: usize, end: usize) -> Option<Span> {
        let rest = &self.text[at..end.max(at)];
        let stop = at + rest.find([',', ';', '(']).unwrap_or(rest.len());
        let stop = at + self.text[at..stop].trim_end().len();
        if word_count(self.text, Span::new(at, stop)) > 5 {
            return None;
        }
        self.mention_ending_at(stop).filter(|m| m.start() >= at)
    }

    /// True when a speaker named after its cue ends the attribution (`," said Lind.`, `," said
    /// Lind, a former aide`, `," said Lind when asked …`): what follows `at` up to `end` is
    /// punctuation, or opened by a preposition, a time or "when".
    fn closes_at(&self, at: usize, end: usize) -> bool {
        let rest = self.text[at..end.max(at)].trim_start();
        let first = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        rest.is_empty() || rest.starts_with([',', '.', '!', '?', ';', ':', '—', '–', '(']) || super::reported::CIRCUMSTANCE_OPENERS.contains(&first) || matches!(first, "when" | "while" | "as" | "who" | "of")
    }

    /// True when a cue ending at `at` opens a clause of its own within its next words
    /// (`Lind asked Trump how he would …`, `told him that …`): it has its own statement. A
    /// clause after "when" or "as" is the occasion, not a statement.
    fn opens_clause(&self, at: usize, end: usize) -> bool {
        let rest = &self.text[at..end.max(at)];
        let clause = at + rest.find([',', ';', '—', '(']).unwrap_or(rest.len());
        let words = words_of(self.text, Span::new(at, clause));
        // `," Lind said when asked whether …`: the question put to the speaker.
        if words.first().is_some_and(|w| matches!(w.span.get(self.text), "when" | "while" | "after" | "before" | "as")) {
            return false;
        }
        words.iter().take(3).any(|w| matches!(w.span.get(self.text), "that" | "how" | "whether" | "why" | "what" | "if"))
    }

    /// The name and dash of a paragraph after `at` that is nothing but a dash and up to five
    /// capitalised words (`- Ann Lind.`): (speaker, cue).
    fn signature_after(&self, at: usize) -> Option<(Span, Span)> {
        let text = self.text;
        let start = at + (text[at..].len() - text[at..].trim_start().len());
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let para = text[start..end].trim_end();
        let dash = para.chars().next().filter(|c| matches!(c, '-' | '–' | '—' | '―'))?;
        let after_dash = &para[dash.len_utf8()..];
        let name = after_dash.trim_start().trim_end_matches('.');
        let words: Vec<&str> = name.split_whitespace().collect();
        let capitalised = words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase));
        if words.is_empty() || words.len() > 5 || !capitalised || name.contains([',', ':', ';', '"', '“', '”']) {
            return None;
        }
        let name_at = start + dash.len_utf8() + (after_dash.len() - after_dash.trim_start().len());
        Some((Span::new(name_at, name_at + name.len()), Span::new(start, start + dash.len_utf8())))
    }

    /// The attribution before a quote in its sentence: `Kerry said: "…"`, `he told reporters "…"`.
    pub(super) fn before(&self, content: Span, line: Span) -> Option<(Span, Span)> {
        let from = clause_start(self.text, line.start(), content.start(), &['.', '!', '?', '"', '”']);
        let words = words_of(self.text, Span::new(from, content.start()));
        let tail = &words[words.len().saturating_sub(12)..];
        // The cue nearest the quote, with its speaker before it.
        for i in (0..tail.len()).rev() {
            let w = tail[i].span.get(self.text);
            if self.is_cue(w) {
                return self.speaker_near(tail, i, true).map(|s| (s, tail[i].span));
            }
            if self.lex.cues.speech_participles.contains(w) {
                // "Lind turned on his critics, saying, "…"", "she said, adding, "…"": the
                // participle's speaker is the sentence's subject.
                // "…, Spicer said, adding, "…"": the cue right before it has the speaker.
                if let Some(s) = i.checked_sub(1).filter(|&k| self.is_cue(tail[k].span.get(self.text))).and_then(|k| self.speaker_near(tail, k, true)) {
                    return Some((s, tail[i].span));
                }
                // Otherwise the sentence's subject: the words right before the participle are
                // mostly its object ("Warren endorsed Clinton, saying", "she sent an email
                // saying", "he explained the headline by saying").
                let subject = self.subject(&words, Span::new(from, content.start()));
                return subject.or_else(|| self.speaker_near(tail, i, true)).map(|s| (s, tail[i].span));
            }
            if self.according_to(tail, i) {
                return self.speaker_near(tail, i + 1, false).map(|s| (s, Span::new(tail[i].span.start(), tail[i + 1].span.end())));
            }
        }
        // No verb of saying, but a colon right before the quote: "Kasich resisted: "…"",
        // "Lind fired back: "…"", "Clinton: "…"": the sentence's subject said it.
        let head = self.text[from..content.start()].trim_end();
        let at = from + head.strip_suffix(':')?.len();
        self.subject(&words, Span::new(from, at)).filter(|s| s.end() <= at).map(|s| (s, Span::new(at, at + 1)))
    }
}

/// Prepositions before a name in quotation marks: a show ("on "Meet the Press""), a book or
/// article ("in "The Art of the Deal""), a place or a company.
const TITLE_PREPOSITIONS: &[&str] = &["on", "in", "of", "at", "from", "for", "to", "by", "with", "about", "titled", "entitled", "called", "dubbed"];

#[cfg(test)]
mod tests {
    use super::super::find;
    use crate::lexicon::Lexicon;
    use crate::model::{EntityKind, LinkHint, RawMention};
    use crate::text::Span;

    /// (content, speaker text, direct) of each quote, with person mentions of `names` (each at
    /// its first occurrence after the previous one).
    fn found(text: &str, names: &[&str]) -> Vec<(String, Option<String>, bool)> {
        let mut from = 0;
        let mentions: Vec<RawMention> = names
            .iter()
            .map(|n| {
                let start = from + text[from..].find(n).unwrap();
                from = start + n.len();
                RawMention { span: Span::new(start, start + n.len()), kind: EntityKind::Person, score: 0.9, link: LinkHint::None, rule: "tagger", canonical: None, qualifier: None }
            })
            .collect();
        find(text, 0, &mentions, &Lexicon::get()).into_iter().map(|q| (q.content.get(text).to_string(), q.speaker.map(|s| s.get(text).to_string()), q.direct)).collect()
    }

    fn q(content: &str, speaker: Option<&str>) -> (String, Option<String>, bool) {
        (content.to_string(), speaker.map(str::to_string), true)
    }

    #[test]
    fn a_title_in_quotation_marks_is_not_attributed_by_a_cue_with_a_clause_of_its_own() {
        // The cue after the title has its own statement; its "speaker" is words of it.
        let text = "Ann Lind, the co-author of \"Going Viral,\" about the spread of news, said the days of one story are gone.\n";
        let got = found(text, &["Ann Lind"]);
        assert!(!got.iter().any(|(c, _, _)| c.contains("Going Viral")), "{got:?}");
        let text = "In an appearance on \"Morning Joe,\" Ann Lind asked Olaf Berg how he would pay for the wall.\n";
        let got = found(text, &["Ann Lind", "Olaf Berg"]);
        assert!(!got.iter().any(|(c, _, _)| c.contains("Morning Joe")), "{got:?}");
        // An attribution that closes the sentence still attributes the quote before it.
        let text = "“We will win this state,” Olaf Lind told reporters in a rare interview.\n";
        assert_eq!(found(text, &["Olaf Lind"]), [q("“We will win this state,”", Some("Olaf Lind"))]);
        let text = "“We will win this state,” Olaf Lind said, adding that the count was not over.\n";
        assert_eq!(found(text, &["Olaf Lind"])[0], q("“We will win this state,”", Some("Olaf Lind")));
    }

    #[test]
    fn a_question_put_to_the_speaker_after_the_cue_leaves_the_quote_attributed() {
        let text = "“You bet I would,” Olaf Lind said when asked whether he would close the port.\n";
        assert_eq!(found(text, &["Olaf Lind"])[0], q("“You bet I would,”", Some("Olaf Lind")));
    }

    #[test]
    fn a_show_named_in_quotation_marks_after_a_preposition_is_no_statement() {
        let text = "Speaking on Friday on “Morning Talk,” Anna Berg said she had not “heard him say the things that need to be said.”\n";
        let got = found(text, &["Anna Berg"]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].0.starts_with("she had not") && !got[0].2, "{got:?}");
    }

    #[test]
    fn a_title_and_name_after_the_cue_are_the_speaker() {
        let text = "“This is just a scripted show,” said Virginia delegate Ann Lind, angered by the vote.\n";
        assert_eq!(found(text, &["Ann Lind"]), [q("“This is just a scripted show,”", Some("Virginia delegate Ann Lind"))]);
    }

    #[test]
    fn a_second_cue_opening_the_next_piece_starts_a_statement_of_its_own() {
        let text = "“We will win this state,” Olaf Lind said, adding, “The count is not over yet.”\n";
        assert_eq!(found(text, &["Olaf Lind"]), [q("“We will win this state,”", Some("Olaf Lind")), q("“The count is not over yet.”", Some("Olaf Lind"))]);
        let text = "“We will win this state,” Olaf Lind said. Anna Berg replied, “The count is not over yet.”\n";
        let got = found(text, &["Olaf Lind", "Anna Berg"]);
        assert_eq!(got[0], q("“We will win this state,”", Some("Olaf Lind")), "{got:?}");
        assert_eq!(got.last().unwrap(), &q("“The count is not over yet.”", Some("Anna Berg")), "{got:?}");
    }

    #[test]
    fn an_aside_between_two_pieces_keeps_them_one_quote_but_a_title_after_the_cue_is_not_part() {
        let text = "“It was booming once,” Olaf Lind said, referring to the mill. “Those days are not coming back.”\n";
        assert_eq!(found(text, &["Olaf Lind"]), [q(text.trim_end(), Some("Olaf Lind"))]);
        let text = "“It was a very long night for all of us,” Olaf Lind said on “Morning Talk.”\n";
        assert_eq!(found(text, &["Olaf Lind"]), [q("“It was a very long night for all of us,”", Some("Olaf Lind"))]);
    }

    #[test]
    fn pieces_in_two_apostrophes_join_across_their_attribution() {
        let text = "''That, unfortunately,'' he said, ''is part of the job we chose.''\n";
        assert_eq!(found(text, &[]), [q(text.trim_end(), Some("he"))]);
    }

    #[test]
    fn a_participle_before_a_quote_takes_the_subject_of_its_sentence() {
        let text = "Olaf Lind turned on his critics on Monday, saying, “The plan will fail before the winter.”\n";
        assert_eq!(found(text, &["Olaf Lind"]), [q("“The plan will fail before the winter.”", Some("Olaf Lind"))]);
    }

    #[test]
    fn a_quote_left_open_runs_on_into_the_next_paragraph() {
        let text = "“We cannot go on like this,” Anna Berg said. “The money is gone and the works have stopped.\n“Nobody will pay for the bridge unless the state steps in.”\nThe council meets on Monday.\n";
        let got = found(text, &["Anna Berg"]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].0.starts_with("“We cannot") && got[0].0.ends_with("steps in.”"), "{got:?}");
        assert_eq!(got[0].1.as_deref(), Some("Anna Berg"));
    }

    #[test]
    fn dotted_initials_do_not_end_the_attribution() {
        let text = "“Neither of them will fix the roads,” Ada Voss, 41, of Durham, N.C., said in an interview. “We need someone new.”\n";
        let got = found(text, &["Ada Voss"]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].1.as_deref(), Some("Ada Voss"));
    }

    #[test]
    fn a_cue_inside_the_aside_after_a_quote_is_not_the_attribution() {
        let text = "“The answer you would like is yes, but it is no,” Ada Voss, who has proposed closing the port over five years, said at the time.\n";
        let got = found(text, &["Ada Voss"]);
        assert_eq!(got.len(), 1, "one statement, not a second reported one: {got:?}");
        assert_eq!((got[0].1.as_deref(), got[0].2), (Some("Ada Voss"), true), "{got:?}");
    }

    #[test]
    fn pieces_split_by_an_attribution_with_a_recipient_and_a_time_are_one_quote() {
        let text = "“What I believe — and what the mayor believes,” former Harbour Board Secretary Olaf Lind told The Tulsa Daily Courier in 2012, “is that the port must stay open.”\n";
        let got = found(text, &["Olaf Lind"]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].0.starts_with("“What I believe") && got[0].0.ends_with("stay open.”"), "{got:?}");
        assert_eq!(got[0].1.as_deref(), Some("Olaf Lind"));
    }

    #[test]
    fn a_phrase_quoted_a_word_after_its_cue_is_no_quote_of_its_own() {
        let text = "Olaf Lind called it “utterly meritless” and left the room.\nAnna Berg expects an “aggressive appeal” of the ruling next week.\n";
        let got = found(text, &["Olaf Lind", "Anna Berg"]);
        assert!(got.iter().all(|(c, _, direct)| !direct && c.len() > 25), "{got:?}");
    }

    #[test]
    fn a_quote_after_a_colon_without_a_verb_of_saying_is_the_subjects() {
        let text = "Olaf Lind fired back at once: “Nobody in this town will pay for the bridge twice.”\nThe plan is simple: “Build first and pay later, as every town has always done.”\n";
        let got = found(text, &["Olaf Lind"]);
        assert_eq!(got[0], q("“Nobody in this town will pay for the bridge twice.”", Some("Olaf Lind")), "{got:?}");
        assert!(got.iter().skip(1).all(|(_, s, _)| s.is_none()), "no subject, no speaker: {got:?}");
    }

    #[test]
    fn a_paragraph_of_a_dash_and_a_name_signs_the_quote_before_it() {
        let text = "\"The bridge will be rebuilt before the winter, whatever it costs the town.\"\n\n- Olaf Lind.\n\nThe claim does not hold up.\n";
        let got = found(text, &["Olaf Lind"]);
        assert_eq!(got.first(), Some(&q("\"The bridge will be rebuilt before the winter, whatever it costs the town.\"", Some("Olaf Lind"))), "{got:?}");
    }
}
