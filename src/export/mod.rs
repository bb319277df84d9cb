//! Export: the files of the site that are not pages, for tools, researchers and publishers.
//!
//! - `data/archive.json`, every article and entity (`archive.rs`);
//! - `data/annotations/NNNN.jsonl`, the annotations as W3C Web Annotations (`annotations.rs`);
//! - `data/statements.csv`, `entities.csv`, `mentions.csv` and `network.gexf` (`tables.rs`);
//! - with `base_url`, the Atom feeds and the sitemap (`publish.rs`);
//! - past a size, the first and third of these in parts (`parts.rs`).
//!
//! Each is made from the indexed archive (`crate::index`) and written through the output
//! (`crate::output`); only the feeds and sitemap go through templates (`crate::render`).

pub mod annotations;
pub mod archive;
pub mod parts;
pub mod publish;
pub mod tables;
