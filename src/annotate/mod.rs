//! Annotate: find mentions of places, organisations and people, and date expressions.
//!
//! The entity annotator sits behind the small [`Annotator`] trait so that the rule-based
//! version here can be swapped for a trained tagger without touching the rest of the pipeline.

pub mod dates;
pub mod model;
pub mod names;
pub mod quotes;
pub mod rules;
pub mod tokenize;

use crate::model::{Dateline, RawMention};

/// What an annotator sees: the file's whole text, where the article starts (after front
/// matter), and the dateline the cleaner found.
pub struct Document<'a> {
    pub text: &'a str,
    pub start: usize,
    pub dateline: Option<&'a Dateline>,
    /// The text's tokens from `start`: made once for the rules and the date finder.
    pub tokens: Vec<tokenize::Token>,
}

impl<'a> Document<'a> {
    pub fn new(text: &'a str, start: usize, dateline: Option<&'a Dateline>) -> Document<'a> {
        Document { text, start, dateline, tokens: tokenize::tokenize(text, start, text.len()) }
    }
}

/// Finds entity mentions in a document. Implementations must be deterministic.
pub trait Annotator: Sync + Send {
    fn name(&self) -> &'static str;
    /// Mentions sorted by start offset, non-overlapping, as byte spans into `doc.text`.
    fn annotate(&self, doc: &Document) -> Vec<RawMention>;
}

/// The annotator the build uses: the shipped tagger with the rules.
pub fn default_annotator() -> Box<dyn Annotator> {
    Box::new(EmbeddedAnnotator)
}

/// The shipped tagger with the rules, its model loaded by the first article that needs it: a
/// rebuild whose articles all come from the cache never loads it (25 ms at each edit).
pub struct EmbeddedAnnotator;

impl Annotator for EmbeddedAnnotator {
    fn name(&self) -> &'static str {
        "tagger"
    }

    fn annotate(&self, doc: &Document) -> Vec<RawMention> {
        model::ModelAnnotator { tagger: &crate::tagger::Tagger::embedded() }.annotate(doc)
    }
}
