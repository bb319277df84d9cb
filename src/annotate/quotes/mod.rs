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


mod direct;
mod reported;
mod speaker;
mod text;

use self::speaker::{description_head, pronoun_gender, Genders, PRONOUNS};
use self::text::{lines, sentences, trim_content, words_of, Word};
use crate::lexicon::Lexicon;
use crate::model::{EntityKind, Quote, RawMention};
use crate::text::Span;

/// CPU nanoseconds spent finding statements, summed over threads: the build reports them with
/// its timings, so the cost of this stage is measured (issue 31's budget: 10 % of annotating).
/// The thread's CPU clock, not the wall clock, which counts the time a busy machine gives
/// other processes.
static NANOS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// CPU seconds spent in `find` since the process started, summed over threads.
pub fn seconds() -> f64 {
    NANOS.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e9
}

/// Through libc rather than rustix, whose reading of the vDSO crashes under valgrind
/// (rustix issue 1559): callgrind's instruction counts are how this stage's cost is compared
/// between two versions on a busy machine, where CPU times vary by a fifth from run to run.
fn thread_cpu_nanos() -> u64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid, writable timespec; the call only writes it.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    if !ok {
        return 0;
    }
    (t.tv_sec as u64).saturating_mul(1_000_000_000).saturating_add(t.tv_nsec as u64)
}

/// Finds the quotes of an article.
pub fn find(text: &str, start: usize, mentions: &[RawMention], lex: &Lexicon) -> Vec<Quote> {
    let started = thread_cpu_nanos();
    let quotes = find_timed(text, start, mentions, lex);
    NANOS.fetch_add(thread_cpu_nanos().saturating_sub(started), std::sync::atomic::Ordering::Relaxed);
    quotes
}

fn find_timed(text: &str, start: usize, mentions: &[RawMention], lex: &Lexicon) -> Vec<Quote> {
    // Looked up by position below; the annotators give them sorted, others may not.
    let sorted: Vec<RawMention>;
    let mentions = if mentions.is_sorted_by_key(|m| m.span.start()) {
        mentions
    } else {
        sorted = {
            let mut v = mentions.to_vec();
            v.sort_by_key(|m| (m.span.start(), m.span.end()));
            v
        };
        &sorted
    };
    let finder = Finder { text, mentions, lex, openers: openers(text, start, lex) };
    let mut quotes: Vec<Quote> = Vec::new();
    // A paragraph whose quotation is left open continues in the next one, by the same speaker.
    let mut open_speaker: Option<(Option<Span>, Option<Span>)> = None;
    // The speaker of a paragraph that ends with an attributed quote: a paragraph after it that
    // is nothing but a quote goes on in that voice (news style attributes a new speaker).
    let mut last_voice: Option<(Option<Span>, Option<Span>)> = None;
    // The quote (its index in `quotes`) left open at the end of the last paragraph.
    let mut open_quote: Option<usize> = None;
    for line in lines(text, start) {
        let mut direct = finder.direct_in(line);
        let line_start = line.start() + (line.get(text).len() - line.get(text).trim_start().len());
        let line_end = line.start() + line.get(text).trim_end().len();
        let (open, prev) = (open_speaker.take(), last_voice.take());
        let open_at = open_quote.take();
        let whole_line = direct.len() == 1 && direct[0].content.end() >= line_end;
        if let Some(first) = direct.first_mut() {
            let inherited = open.or(if whole_line { prev } else { None });
            if let (None, true, Some((speaker, cue))) = (first.speaker, first.content.start() == line_start, inherited) {
                first.speaker = speaker;
                first.cue = cue;
            }
        }
        last_voice = direct
            .last()
            .filter(|q| {
                // The paragraph ends in the sentence of that quote or its attribution.
                let end = [Some(q.content), q.cue, q.speaker].into_iter().flatten().map(|s| s.end()).max().unwrap_or(line_end).min(line_end);
                q.direct && q.speaker.is_some() && !text[end..line_end].contains(". ")
            })
            .map(|q| (q.speaker, q.cue));
        let mut left_open = false;
        if let Some(last) = direct.last() {
            let closed = line.get(text).trim_end().ends_with(['"', '”']) || line.get(text).trim_end().ends_with("''");
            if last.content.end() == line.end() && !closed {
                open_speaker = Some((last.speaker, last.cue));
                left_open = last.direct;
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
        // An aside between a quote's speaker and its cue ("Voss, who has proposed …, said")
        // belongs to the speaker too.
        let aside = |q: &Quote| q.speaker.zip(q.cue).filter(|(s, c)| s.end() < c.start() && text[s.end()..].starts_with(',')).map(|(s, c)| Span::new(s.start(), c.end()));
        let taken: Vec<Span> = direct.iter().flat_map(|q| [Some(q.content), q.cue, q.speaker, aside(q)]).flatten().collect();
        // A quote left open at the end of the last paragraph and taken up by this one's
        // opening quotation mark is one quote over both (the convention for a quote that runs
        // over several paragraphs).
        // Not when this quote has a speaker of its own that the open one lacks or names
        // differently (a stray quotation mark left open, a new voice).
        let same_voice = |ix: usize, q: &Quote| match (quotes[ix].speaker, q.speaker) {
            (_, None) => true,
            (Some(a), Some(b)) => a == b || a.get(text) == b.get(text) || PRONOUNS.contains(&b.get(text)),
            (None, Some(_)) => false,
        };
        let joins = open_at.zip(direct.first()).filter(|&(ix, q)| q.direct && q.content.start() == line_start && !opens_with_label(q.content.get(text)) && same_voice(ix, q)).map(|(ix, _)| ix);
        let only = direct.len() == 1;
        let mut here = direct.into_iter();
        if let (Some(ix), Some(q)) = (joins, joins.and_then(|_| here.next())) {
            let joined = &mut quotes[ix];
            joined.content.set_end(q.content.end());
            if joined.speaker.is_none() {
                (joined.speaker, joined.cue) = (q.speaker, q.cue);
            }
            if left_open && only {
                open_quote = Some(ix);
            }
        }
        quotes.extend(here);
        if left_open && open_quote.is_none() {
            open_quote = Some(quotes.len() - 1);
        }
        quotes.extend(finder.reported_in(line, &taken).into_iter().map(|q| finder.circumstance_not_content(q, line)));
    }
    quotes.sort_by_key(|q| (q.content.start(), q.content.end()));
    finder.resolve(&mut quotes);
    quotes
}

struct Finder<'a> {
    text: &'a str,
    mentions: &'a [RawMention],
    lex: &'a Lexicon,
    /// Where the words that can open an attribution of reported speech start, in order.
    openers: Vec<usize>,
}

/// Where the words of `Cues::attribution_words` start in `text[start..]` as whole words (a
/// run of ASCII letters and digits, in any case), in order. More than the words that are cues
/// (any case, and "said" in "said-so"), never fewer: a sentence without one holds no reported
/// speech.
fn openers(text: &str, start: usize, lex: &Lexicon) -> Vec<usize> {
    let bytes = text.as_bytes();
    let alnum = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let mut out = Vec::new();
    let mut i = start;
    // A word that began before `start` is not one of this text's words.
    if start > 0 && alnum(start - 1) {
        while alnum(i) {
            i += 1;
        }
    }
    while i < bytes.len() {
        if !alnum(i) {
            i += 1;
            continue;
        }
        let from = i;
        while alnum(i) {
            i += 1;
        }
        if lex.cues.attribution_words.contains(&bytes[from..i]) {
            out.push(from);
        }
    }
    out
}

impl Finder<'_> {
    /// True when an attribution word starts in `region`: reported speech is looked for only
    /// there.
    fn may_attribute(&self, region: Span) -> bool {
        let k = self.openers.partition_point(|&a| a < region.start());
        self.openers.get(k).is_some_and(|&a| a < region.end())
    }

    /// The mentions that start in `from..to`: the annotator gives them sorted by position,
    /// so they are found by binary search, not by a scan per cue (a long article has
    /// thousands of both).
    fn starting_in(&self, from: usize, to: usize) -> &[RawMention] {
        let a = self.mentions.partition_point(|m| m.span.start() < from);
        let b = self.mentions.partition_point(|m| m.span.start() < to);
        &self.mentions[a..b.max(a)]
    }

    fn is_cue(&self, w: &str) -> bool {
        self.lex.cues.speech_verbs.contains(w)
    }

    /// "according to" starting at word `i`.
    fn according_to(&self, words: &[Word], i: usize) -> bool {
        i + 1 < words.len() && words[i].span.get(self.text).eq_ignore_ascii_case("according") && words[i + 1].span.get(self.text) == "to"
    }

    /// A reported statement put after `…, Foreign Minister Lind said at a meeting with …`:
    /// what follows the cue is where it was said, and the statement is the clause before the
    /// comma (news style puts the statement first). Other statements are returned unchanged.
    fn circumstance_not_content(&self, mut q: Quote, line: Span) -> Quote {
        let text = self.text;
        let (Some(s), Some(c)) = (q.speaker, q.cue) else { return q };
        let first = text[q.content.start()..q.content.end()].split_whitespace().next().unwrap_or("");
        let place = matches!(first, "at" | "in" | "on" | "during" | "after" | "before" | "while" | "when" | "from");
        if q.direct || !place || s.end() > c.start() || q.content.start() < c.end() {
            return q;
        }
        let Some(sentence) = sentences(text, line).into_iter().find(|x| x.start() <= s.start() && s.start() < x.end()) else { return q };
        // Only capitalised words (a title) between the comma and the name.
        let Some(comma) = text[sentence.start()..s.start()].rfind(',').map(|i| sentence.start() + i) else { return q };
        let title_only = words_of(text, Span::new(comma, s.start())).iter().all(|w| w.span.get(text).chars().next().is_some_and(char::is_uppercase));
        let before = trim_content(text, Span::new(sentence.start(), comma));
        if title_only && words_of(text, before).len() >= 3 {
            q.content = before;
        }
        q
    }

    /// Gives each speaker the mention it stands for: its own; for "he" and "she" the last
    /// compatible speaker or person named (`pronoun_antecedent`); for a definite description
    /// ("the minister") the mention the article gave that title (`description_antecedent`).
    /// Quotes are in text order, so the last speaker is carried along.
    fn resolve(&self, quotes: &mut [Quote]) {
        let text = self.text;
        let genders = Genders::of_article(text, self.mentions);
        // The person who made the last statement, and where it ended.
        let mut last: Option<(Span, usize)> = None;
        let quoted: Vec<Span> = quotes.iter().filter(|q| q.direct).map(|q| q.content).collect();
        // The last speaker span resolved and what it resolved to: a quote that inherited it
        // (a paragraph going on in that voice) stands for the same.
        let mut shared: Option<(Span, Option<Span>)> = None;
        for q in quotes.iter_mut() {
            let Some(s) = q.speaker else { continue };
            let word = s.get(text);
            q.antecedent = if let Some((_, a)) = shared.filter(|&(sp, _)| sp == s) {
                a
            } else if PRONOUNS.contains(&word) {
                let want = pronoun_gender(word);
                let before = last.filter(|&(_, end)| end <= q.content.start().min(s.start()));
                // Names inside a direct quote are not its speaker; a reported statement
                // may hold its speaker's name ("Lind said …, and he urged …").
                let inside = if q.direct { q.content } else { Span::new(s.start(), s.start()) };
                want.is_some().then(|| self.pronoun_antecedent(s.start(), inside, want, before, &quoted, &genders)).flatten()
            } else if let Some(m) = self.starting_in(s.start(), s.start() + 1).iter().find(|m| m.span == s) {
                Some(m.span)
            } else if reported::RELATIVES.contains(&word) {
                self.named_before(s.start())
            } else {
                description_head(text, s).and_then(|head| self.description_antecedent(head, s.start()))
            };
            shared = Some((s, q.antecedent));
            // A statement in a relative clause whose speaker is no one named ("jihadists who
            // have declared …") is an aside, not a turn: the run of the last speaker goes on.
            if q.antecedent.is_none() && reported::RELATIVES.contains(&word) {
                continue;
            }
            // A statement by anyone else (a body, someone unnamed) ends the run of the last one.
            let person = q.antecedent.filter(|&a| self.starting_in(a.start(), a.start() + 1).iter().any(|m| m.span == a && m.kind == EntityKind::Person));
            last = person.map(|a| (a, q.content.end().max(s.end())));
        }
    }
}

impl Finder<'_> {
    /// The person or organisation named right before `at`, with at most a comma between
    /// ("Ted Cruz, who said"): what a relative pronoun there stands for.
    fn named_before(&self, at: usize) -> Option<Span> {
        let from = at.saturating_sub(80);
        let m = self.starting_in(from, at).iter().rev().find(|m| matches!(m.kind, EntityKind::Person | EntityKind::Organisation) && m.span.end() <= at)?;
        self.text[m.span.end()..at].trim_matches([' ', ',']).is_empty().then_some(m.span)
    }
}

/// True when a quote opens with a speaker's label, as a transcript gives each turn
/// (`"MODERATOR: …`): a new voice, not the quote of the paragraph before going on.
fn opens_with_label(quote: &str) -> bool {
    let body = quote.trim_start_matches(['"', '“', '\'', ' ']);
    body.split_once(':').is_some_and(|(label, _)| !label.is_empty() && label.len() <= 40 && label.chars().any(char::is_alphabetic) && !label.chars().any(char::is_lowercase))
}

/// The name a quote's speaker resolves to: its antecedent mention's full name or text.
pub fn speaker_name(text: &str, q: &Quote, mentions: &[RawMention]) -> Option<String> {
    let a = q.antecedent?;
    let m = mentions.iter().find(|m| m.span == a)?;
    Some(m.canonical.as_deref().unwrap_or(m.span.get(text)).to_string())
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
        find(text, 0, &mentions, &Lexicon::get()).into_iter().map(|q| (q.content.get(text).to_string(), speaker_name(text, &q, &mentions), q.direct)).collect()
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
        let quotes = find(text, 0, &mentions, &Lexicon::get());
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
        let quotes = find(text, 0, &mentions, &Lexicon::get());
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
        let quotes = find(text, 0, &mentions, &Lexicon::get());
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
        let quotes = find(text, 0, &[], &Lexicon::get());
        assert_eq!(quotes.len(), 2, "{quotes:?}");
        assert_eq!(quotes[0].speaker.map(|s| s.get(text)), Some("Olaf Lind"));
        assert_eq!(quotes[1].speaker.map(|s| s.get(text)), Some("it"));
        assert_eq!(quotes[1].antecedent, None);
    }
}
