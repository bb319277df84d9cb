//! The plain data that flows between pipeline stages.
//!
//! Every stage takes these structs and returns these structs; none of them holds a handle to
//! another stage. Text is never copied into the model: blocks and mentions are spans of the
//! source text, so offsets cannot drift between what was annotated and what is shown.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use crate::text::Span;

/// A label from a small fixed set (a rule name, a date precision). An alias so that serde does
/// not try to borrow it from the input; the build cache interns it (`text::intern`).
pub type Label = &'static str;

/// Article metadata from front matter or a sidecar `NAME.toml`. Every field is optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub title: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub published: Option<String>,
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub notes: Option<String>,
    /// The authors a saved web page names (JSON-LD, meta tags, byline); front matter does not
    /// set them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Txt,
    Md,
    /// A saved web page: `Source::text` is the article text extracted from it, not the HTML.
    Html,
}

/// One input file, read and decoded, not yet cleaned.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as the user will recognise it (input folder joined with the relative path).
    pub path: PathBuf,
    /// Path relative to the input folder with '/' separators; the article's identity.
    pub rel: String,
    pub format: Format,
    /// The file's full text exactly as on disk (after UTF-8 decoding); for a saved web page,
    /// the article text extracted from it. Offsets point into it.
    pub text: String,
    /// Where the article text starts: after front matter, 0 for plain text.
    pub body_start: usize,
    pub meta: Meta,
    /// Where the metadata came from ("front matter", "sidecar 000_x.toml"), for the notes.
    pub meta_origin: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Paragraph,
    Heading,
    ListItem,
    Quote,
    Code,
}

/// A run of source text with the inline styles Markdown gave it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub span: Span,
    pub em: bool,
    pub strong: bool,
    pub code: bool,
    pub link: Option<String>,
}

/// A block of the cleaned article body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// Heading level (2..=4) for headings, 0 otherwise.
    pub level: u8,
    pub runs: Vec<Run>,
    /// A fenced code block's language as its info string names it (`rust` in ```` ```rust ````),
    /// so the page can highlight it; None for every other block.
    pub lang: Option<String>,
}

/// What kind of cleaning decision a note records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    Furniture,
    Duplicate,
    Headline,
    TitleDerived,
    Standfirst,
    Dateline,
    Heading,
    Truncated,
    Metadata,
}

/// One cleaning decision, shown to the reader in the "Source notes" panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceNote {
    pub kind: NoteKind,
    pub message: String,
    /// 1-based line of the source file the decision is about.
    pub line: Option<usize>,
}

/// A dateline such as `MOSCOW, May 31. /TASS/.`, split into its parts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dateline {
    pub span: Span,
    pub text: String,
    pub place: Option<Span>,
    /// A region printed with the place, as in `DVORIKI VILLAGE /Vladimir region/`.
    pub region: Option<Span>,
    /// (month, day) as printed; the year is never in a dateline of this kind.
    pub month_day: Option<(u32, u32)>,
    pub date: Option<Span>,
    pub agency: Option<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Location,
    Organisation,
    Person,
    /// Other names (nationalities, events, products), as CoNLL-2003's MISC. The tagger finds
    /// them so that "Russian" is not mistaken for a place; `dossier annotate` reports them, the
    /// site does not show them (they are not in `ALL`).
    Misc,
}

impl EntityKind {
    /// The kinds the site shows, each with its pages.
    pub const ALL: [EntityKind; 3] = [EntityKind::Location, EntityKind::Organisation, EntityKind::Person];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Location => "location",
            EntityKind::Organisation => "organisation",
            EntityKind::Person => "person",
            EntityKind::Misc => "misc",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            EntityKind::Location => "Location",
            EntityKind::Organisation => "Organisation",
            EntityKind::Person => "Person",
            EntityKind::Misc => "Other name",
        }
    }
    /// The site folder of this kind's pages.
    pub fn folder(self) -> &'static str {
        match self {
            EntityKind::Location => "locations",
            EntityKind::Organisation => "organisations",
            EntityKind::Person => "people",
            EntityKind::Misc => "other",
        }
    }
    pub fn plural(self) -> &'static str {
        match self {
            EntityKind::Location => "Locations",
            EntityKind::Organisation => "Organisations",
            EntityKind::Person => "People",
            EntityKind::Misc => "Other names",
        }
    }
    pub fn parse(s: &str) -> Option<EntityKind> {
        match s.to_ascii_lowercase().as_str() {
            "location" | "loc" | "place" => Some(EntityKind::Location),
            "organisation" | "organization" | "org" => Some(EntityKind::Organisation),
            "person" | "per" | "people" => Some(EntityKind::Person),
            _ => None,
        }
    }
}

/// What the annotator knows about what a mention refers to, for the resolver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LinkHint {
    /// A gazetteer place (index into the gazetteer).
    Place(u32),
    /// A curated organisation (index into the organisation list).
    Org(u32),
    None,
}

/// A mention found by the annotator, before entities exist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawMention {
    pub span: Span,
    pub kind: EntityKind,
    /// 0..1; below `UNCERTAIN_BELOW` the page shows the mention as uncertain.
    pub score: f32,
    pub link: LinkHint,
    /// The rule or model feature that produced it, for reviewers.
    #[serde(deserialize_with = "crate::text::intern")]
    pub rule: Label,
    /// The full name this mention stands for, when it is a short form ("Lavrov" for
    /// "Sergei Lavrov", "SDF" for "Syrian Democratic Forces").
    pub canonical: Option<Box<str>>,
    /// A qualifier that distinguishes same-named entities, e.g. the country of "defence ministry".
    pub qualifier: Option<Box<str>>,
}

pub const UNCERTAIN_BELOW: f32 = 0.5;

/// A resolved mention: a span linked to an archive entity.
#[derive(Debug, Clone)]
pub struct Mention {
    pub span: Span,
    pub kind: EntityKind,
    pub entity: usize,
    pub score: f32,
    /// The rule or model feature that produced it (`RawMention::rule`).
    pub rule: crate::text::LabelId,
}

/// A date expression with its normalised value and how it was reached.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DateExpr {
    pub span: Span,
    /// TIMEX3-style value: `2017-05-31`, `2016-W42`, `2014-W37-WE`, `XXXX-05-31`, `P10D`.
    pub value: String,
    /// False when part of the value is unknown (an `X` in it).
    pub exact: bool,
    /// `day`, `week`, `month`, `year` or `duration`.
    #[serde(deserialize_with = "crate::text::intern")]
    pub precision: Label,
    /// What the value was resolved against: `published` (the reference date), `dateline` (a
    /// dateline's day and month, year unknown), `text` (an earlier date in the text) or `none`
    /// (the expression names its own year, or nothing could anchor it).
    #[serde(deserialize_with = "crate::text::intern")]
    pub anchor: Label,
    /// The rule that fired, for reviewers.
    #[serde(deserialize_with = "crate::text::intern")]
    pub rule: Label,
    /// For reviewers: where a weekday and a day-month agree only in some years, or disagree.
    pub note: Option<String>,
}

/// An article after cleaning and annotation.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: String,
    pub source: Source,
    /// The file's cache key (`Cache::article_key`): a hash of the program, the file's path,
    /// text and metadata, from which everything above and below follows. Pages that show the
    /// article are keyed by it rather than by hashing its text again.
    pub key: crate::cache::Key,
    pub title: String,
    pub title_derived: bool,
    pub title_span: Option<Span>,
    pub standfirst: Option<Span>,
    pub dateline: Option<Dateline>,
    /// The body's blocks and the cleaning notes, encoded (see [`Encoded`]).
    pub detail: Encoded<Detail>,
    /// Spans of the source that are shown (title, standfirst, dateline, blocks), sorted.
    pub kept: Vec<Span>,
    /// The annotator's mentions, encoded until `resolve` takes them.
    pub raw_mentions: Encoded<Vec<RawMention>>,
    pub mentions: Vec<Mention>,
    pub dates: Vec<DateExpr>,
    /// Statements in the shown text, in text order.
    pub quotes: Vec<Quote>,
    /// `YYYY-MM-DD`, `XXXX-MM-DD` (year unknown) or None.
    pub published: Option<String>,
    /// Where `source.text` went once the article was annotated (`Article::store_text`): read
    /// it with `Article::text`.
    pub stored: Option<crate::text_store::Stored>,
}

impl Article {
    /// The article's text (`Source::text`), wherever it is held: every stage after annotation
    /// reads it through here.
    pub fn text(&self) -> crate::text_store::ArticleText<'_> {
        match &self.stored {
            Some(s) => crate::text_store::ArticleText::Read(s.get()),
            None => crate::text_store::ArticleText::Held(&self.source.text),
        }
    }

    /// Moves the text to `store` and lets it go from memory; kept when it cannot be written.
    pub fn store_text(&mut self, store: &std::sync::Arc<crate::text_store::TextStore>) {
        if self.stored.is_none() {
            if let Some(s) = store.put(&self.source.text) {
                self.stored = Some(s);
                self.source.text = String::new();
            }
        }
    }
}

/// What only a few stages read of an article: the article page, archive.json, the summary and
/// the search text. Held encoded (`Article::detail`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Detail {
    pub blocks: Vec<Block>,
    pub notes: Vec<SourceNote>,
}

/// A value held as its compact encoding (postcard) and decoded by each stage that reads it.
///
/// Every article is held from annotation until its last page is made. Decoded, its blocks,
/// notes and raw mentions are about a hundred small allocations, 5.6 KB an article on the
/// bench corpus; encoded they are two, 1.6 KB. The few stages that read them decode them again
/// (at 100,000 articles the build's peak fell from 2.31 to 1.98 GB with 32-bit spans, and its
/// time did not grow: `docs/performance.md`).
pub struct Encoded<T> {
    bytes: Box<[u8]>,
    of: std::marker::PhantomData<fn() -> T>,
}

impl<T: Serialize + serde::de::DeserializeOwned> Encoded<T> {
    pub fn new(value: &T) -> Encoded<T> {
        Encoded { bytes: postcard::to_stdvec(value).expect("plain data encodes").into_boxed_slice(), of: std::marker::PhantomData }
    }

    /// The value, decoded.
    pub fn get(&self) -> T {
        postcard::from_bytes(&self.bytes).expect("bytes made by Encoded::new decode")
    }

    /// The encoding, as a cache entry stores it.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Bytes read back (from the cache) with the value they decode to, or None when they do
    /// not decode as a `T`.
    pub fn decode(bytes: &[u8]) -> Option<(Encoded<T>, T)> {
        let value = postcard::from_bytes(bytes).ok()?;
        Some((Encoded { bytes: bytes.into(), of: std::marker::PhantomData }, value))
    }
}

impl<T: Default + Serialize + serde::de::DeserializeOwned> Encoded<T> {
    /// The value, leaving an empty one: for what one stage consumes.
    pub fn take(&mut self) -> T {
        let value = self.get();
        *self = Encoded::new(&T::default());
        value
    }
}

impl<T> Clone for Encoded<T> {
    fn clone(&self) -> Self {
        Encoded { bytes: self.bytes.clone(), of: std::marker::PhantomData }
    }
}

impl<T> std::fmt::Debug for Encoded<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Encoded({} bytes)", self.bytes.len())
    }
}

/// A statement and who made it (found by `annotate::quotes`). Spans are byte offsets into
/// the article's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// What was said; for a direct quote, with its quotation marks.
    pub content: Span,
    /// The words in the text that name the speaker ("Lavrov", "he", "the ministry").
    pub speaker: Option<Span>,
    /// The verb or phrase of saying ("said", "according to").
    pub cue: Option<Span>,
    /// In quotation marks.
    pub direct: bool,
    /// The mention the speaker stands for: the speaker's own mention, or for "he" and "she"
    /// the last person named before; None when nothing says who it is.
    pub antecedent: Option<Span>,
}

/// Where a location entity is on the map, and why it was placed there.
///
/// A location the resolver could not place with confidence still has a `Place`, with no
/// coordinates, `why` saying what was missing and the gazetteer's candidates as
/// `alternatives`, so that the page lists it and a reviewer can choose.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Place {
    /// `country`, `subdivision`, `county`, `city`, `region`, `continent`; empty when unplaced.
    pub feature: &'static str,
    pub country_code: Option<String>,
    pub country_name: Option<String>,
    /// The first-level division (state, province) a place is in.
    pub division: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonames_id: Option<u64>,
    pub population: Option<u64>,
    /// Why the place was chosen (or why no point was given), for the reader.
    pub why: Option<String>,
    /// The winning candidate's lead over the next, in log10-population units; None when
    /// nothing was weighed (a pattern, a pin, a single candidate).
    pub margin: Option<f32>,
    /// Other places of that name, best first.
    pub alternatives: Vec<Alternative>,
}

/// A gazetteer place a name could also denote.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Alternative {
    /// "Paris, Texas, United States".
    pub label: String,
    pub feature: &'static str,
    pub geonames_id: Option<u64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: Option<u64>,
}

/// One real-world entity of the archive, with one page.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Stable id, `location/raqqa`.
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    /// Other spellings seen in the archive, sorted.
    pub aliases: Vec<String>,
    /// Boxed: most entities are not places, and a `Place` is 200 bytes (an archive holds
    /// every entity until its pages are made).
    pub place: Option<Box<Place>>,
    /// Indices of articles that mention it, in archive order.
    pub articles: Vec<usize>,
    pub mention_count: usize,
    /// When the archive's mentions of its name were given different types: how many of each
    /// (most first); the entity has the type most of them have. Empty otherwise.
    pub tagged: Vec<(EntityKind, usize)>,
    /// For an entity without a page of its own (named in too few articles,
    /// `entity_page_min_articles`): its row on its type's A–Z index
    /// (`people/a-z/j.html#e-jadidah`), where every link to it goes. None: it has a page. Set by
    /// `index::entities::link_entities` once the whole archive is known.
    pub listed_at: Option<String>,
}

impl Entity {
    /// Where every link to the entity goes: its page, or its row on its type's index. The one
    /// place entity addresses are made, so that a link never points at a page not written.
    pub fn url(&self) -> String {
        self.listed_at.clone().unwrap_or_else(|| self.page_url())
    }

    /// Whether the entity has a page of its own (at `page_url`).
    pub fn has_page(&self) -> bool {
        self.listed_at.is_none()
    }

    /// The address of the entity's own page, `people/jadidah.html`, made or not.
    pub fn page_url(&self) -> String {
        format!("{}/{}.html", self.kind.folder(), self.slug())
    }

    /// The id's part after the type: unique within the type.
    pub fn slug(&self) -> &str {
        self.id.split_once('/').map_or(self.id.as_str(), |(_, s)| s)
    }
}
