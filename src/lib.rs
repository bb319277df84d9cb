//! Dossier: a static site generator for annotated news archives.
//!
//! The build is a pipeline, one module per stage (see `ARCHITECTURE.md`):
//! [`source`] reads files → [`clean`] finds headline, dateline, furniture and duplicates →
//! [`annotate`] marks people, places, organisations and dates → [`resolve`] links mentions to
//! archive entities → [`index`] makes the archive-wide views and each page's data → [`render`]
//! renders the pages through Tera, [`search`] and [`export`] make the search and data files →
//! [`output`] writes the folder. [`pipeline`] runs them in order (the site half, from index on,
//! in `pipeline::site`); [`model`] holds the plain data passed between them.

pub mod annotate;
pub mod cache;
pub mod clean;
pub mod config;
pub mod corpus;
mod embedded;
pub mod error;
pub mod evaluate;
pub mod export;
pub mod index;
pub mod lexicon;
pub mod memory;
pub mod model;
pub mod numbering;
pub mod output;
pub mod par;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod tagger;
pub mod text;
pub mod text_store;
