//! The annotator the build uses: the trained tagger ([`crate::tagger`]) over the whole file,
//! completed by the strong rules ([`super::rules::combine`]).

use super::{Annotator, Document};
use crate::lexicon::Lexicon;
use crate::model::{EntityKind, LinkHint, RawMention};
use crate::tagger::{self, EntType, Tagger};
use crate::text::Span;

/// The site's kind for a CoNLL entity type.
pub fn kind_of(t: EntType) -> EntityKind {
    match t {
        EntType::Per => EntityKind::Person,
        EntType::Loc => EntityKind::Location,
        EntType::Org => EntityKind::Organisation,
        EntType::Misc => EntityKind::Misc,
    }
}

const POSSESSIVES: &[&str] = &["our", "his", "her", "their", "its", "my", "your"];

pub struct ModelAnnotator<'a> {
    pub tagger: &'a Tagger,
}

impl Annotator for ModelAnnotator<'_> {
    fn name(&self) -> &'static str {
        "tagger"
    }

    fn annotate(&self, doc: &Document) -> Vec<RawMention> {
        let text = doc.text;
        let toks = tagger::tokens::tokenize(text, doc.start, text.len());
        let sents: Vec<(usize, usize)> = tagger::tokens::sentences(text, &toks).iter().map(|s| (s.start, s.end)).collect();
        let words: Vec<&str> = toks.iter().map(|t| t.span.get(text)).collect();
        let lex = Lexicon::get();
        let found = self.tagger.tag(&words, &sents);
        let mentions = found
            .into_iter()
            .map(|mut f| {
                // A possessive pronoun is never part of a name: "Our Defense Ministry".
                while f.end - f.start > 1 && POSSESSIVES.iter().any(|p| p.eq_ignore_ascii_case(words[f.start])) {
                    f.start += 1;
                }
                let span = Span::new(toks[f.start].span.start, toks[f.end - 1].span.end);
                let surface = span.get(text);
                let link = match f.kind {
                    EntType::Loc => lex.gazetteer.lookup(surface).map_or(LinkHint::None, |n| LinkHint::Place(lex.gazetteer.best(lex.gazetteer.places_for(n), &[]))),
                    EntType::Org => lex.orgs.lookup(surface).map_or(LinkHint::None, LinkHint::Org),
                    EntType::Per | EntType::Misc => LinkHint::None,
                };
                RawMention { span, kind: kind_of(f.kind), score: tagger::confidence(f.margin), link, rule: "tagger", canonical: None, qualifier: None }
            })
            .collect();
        super::rules::combine(doc, mentions)
    }
}
