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

/// Where the tagger's type loses to what the name says: a name ending in a place word
/// (`cues.toml` `place_words`: "Scott County", "Picton Road") is a place, and so is a
/// one-word "person" that is the name of a large city, a state or a country and no word a
/// person bears ("Aleppo", "Denver"), unless the text names someone with it ("Jack Denver").
fn place_types(text: &str, mut mentions: Vec<RawMention>, lex: &Lexicon) -> Vec<RawMention> {
    let gaz = &lex.gazetteer;
    let in_longer_name: Vec<&str> = mentions.iter().filter(|m| m.kind == EntityKind::Person).map(|m| m.span.get(text)).filter(|s| s.contains(' ')).collect();
    for m in &mut mentions {
        if !matches!(m.kind, EntityKind::Person | EntityKind::Organisation) {
            continue;
        }
        let surface = m.span.get(text);
        // Organisations named after their county or park (Notts County, Queen's Park Rangers
        // shortened) and people called Park or Street keep their type: an organisation only
        // yields to a road, a river or an airport, a person whose first word is a given name
        // to nothing.
        let word = lex.cues.file.place_words.iter().find(|w| surface.ends_with(w.as_str()) && surface[..surface.len() - w.len()].ends_with(' '));
        let place_word = word.is_some_and(|w| match m.kind {
            EntityKind::Organisation => !matches!(w.as_str(), "County" | "Parish" | "Province" | "Oblast" | "Governorate" | "Prefecture" | "Township" | "Park"),
            _ => !lex.given_names.contains(surface.split(' ').next().unwrap_or_default()),
        });
        let place_name = m.kind == EntityKind::Person && !surface.contains(' ') && {
            let counts = lex.token(surface);
            gaz.is_large_place(surface) && counts.per == 0 && !lex.given_names.contains(surface) && lex.lowercase_count(surface) == 0 && !in_longer_name.iter().any(|n| n.split(' ').any(|w| w == surface))
        };
        if place_word || place_name {
            m.kind = EntityKind::Location;
            m.link = gaz.lookup(surface).map_or(LinkHint::None, |n| LinkHint::Place(gaz.best(gaz.places_for(n), &[])));
        }
    }
    mentions
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
        let lex: &Lexicon = &lex;
        let pos = super::names::Positions::new(&words, &sents, lex);
        // A Title Case headline is read as the tagger reads a headline in capitals: its
        // capitals say little, how the article writes its words elsewhere says more.
        let found = if (0..words.len()).any(|i| pos.in_title_line(i)) {
            let upper: Vec<String> = words.iter().enumerate().map(|(i, w)| if pos.in_title_line(i) { w.to_uppercase() } else { (*w).to_string() }).collect();
            self.tagger.tag(&upper, &sents)
        } else {
            self.tagger.tag(&words, &sents)
        };
        let found = super::names::clean(found, &pos, lex);
        let mentions = found
            .into_iter()
            .map(|mut f| {
                // A possessive pronoun is never part of a name: "Our Defense Ministry".
                while f.end - f.start > 1 && POSSESSIVES.iter().any(|p| p.eq_ignore_ascii_case(words[f.start])) {
                    f.start += 1;
                }
                let span = Span::new(toks[f.start].span.start(), toks[f.end - 1].span.end());
                let surface = span.get(text);
                let link = match f.kind {
                    EntType::Loc => lex.gazetteer.lookup(surface).map_or(LinkHint::None, |n| LinkHint::Place(lex.gazetteer.best(lex.gazetteer.places_for(n), &[]))),
                    EntType::Org => lex.orgs.lookup(surface).map_or(LinkHint::None, LinkHint::Org),
                    EntType::Per | EntType::Misc => LinkHint::None,
                };
                RawMention { span, kind: kind_of(f.kind), score: tagger::confidence(f.margin), link, rule: "tagger", canonical: None, qualifier: None }
            })
            .collect::<Vec<_>>();
        super::rules::combine(doc, place_types(text, mentions, lex))
    }
}
