//! Reading CoNLL-2003 files: one token per line (token, POS, chunk, entity tag), a blank line
//! between sentences and `-DOCSTART-` before each document. Entity tags are IOB1.

use anyhow::{Context, Result, bail};
use std::path::Path;

/// An entity type of CoNLL-2003.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntType {
    Per,
    Loc,
    Org,
    Misc,
}

impl EntType {
    pub const ALL: [EntType; 4] = [EntType::Per, EntType::Loc, EntType::Org, EntType::Misc];

    pub fn as_str(self) -> &'static str {
        match self {
            EntType::Per => "PER",
            EntType::Loc => "LOC",
            EntType::Org => "ORG",
            EntType::Misc => "MISC",
        }
    }

    pub fn parse(s: &str) -> Option<EntType> {
        Some(match s {
            "PER" => EntType::Per,
            "LOC" => EntType::Loc,
            "ORG" => EntType::Org,
            "MISC" => EntType::Misc,
            _ => return None,
        })
    }
}

/// An entity chunk: tokens `start..end` of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
    pub kind: EntType,
}

#[derive(Debug, Clone, Default)]
pub struct Sentence {
    pub words: Vec<String>,
    pub chunks: Vec<Chunk>,
}

#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub sentences: Vec<Sentence>,
}

impl Doc {
    /// The document as `conll_docs.py` exports it: a sentence a line, tokens joined by spaces.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for sent in &self.sentences {
            s.push_str(&sent.words.join(" "));
            s.push('\n');
        }
        s
    }
}

/// Reads a CoNLL-2003 file into documents. IOB1 and IOB2 tags are both accepted.
pub fn read(path: &Path) -> Result<Vec<Doc>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&text).with_context(|| format!("in {}", path.display()))
}

pub fn parse(text: &str) -> Result<Vec<Doc>> {
    let mut docs: Vec<Doc> = Vec::new();
    let mut doc = Doc::default();
    let mut words: Vec<String> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    let flush = |words: &mut Vec<String>, tags: &mut Vec<String>, doc: &mut Doc| {
        if !words.is_empty() {
            let chunks = chunks_of(tags);
            doc.sentences.push(Sentence { words: std::mem::take(words), chunks });
            tags.clear();
        }
    };
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("-DOCSTART-") {
            flush(&mut words, &mut tags, &mut doc);
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
        } else if line.trim().is_empty() {
            flush(&mut words, &mut tags, &mut doc);
        } else {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() < 2 {
                bail!("line {}: expected a token and a tag, found {line:?}", n + 1);
            }
            let tag = cols[cols.len() - 1];
            if tag != "O" && !(tag.starts_with("I-") || tag.starts_with("B-")) {
                bail!("line {}: unknown tag {tag:?}", n + 1);
            }
            words.push(cols[0].to_string());
            tags.push(tag.to_string());
        }
    }
    flush(&mut words, &mut tags, &mut doc);
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

/// Entity chunks from IOB1/IOB2 tags, as conlleval reads them: a chunk continues while the
/// tag is I- of the same type.
fn chunks_of(tags: &[String]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, EntType)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (prefix, kind) = match t.split_once('-') {
            Some((p, k)) => (p, EntType::parse(k)),
            None => ("O", None),
        };
        let continues = prefix == "I" && cur.is_some_and(|(_, k)| Some(k) == kind);
        if !continues {
            if let Some((s, k)) = cur.take() {
                out.push(Chunk { start: s, end: i, kind: k });
            }
            if let Some(k) = kind {
                cur = Some((i, k));
            }
        }
    }
    if let Some((s, k)) = cur {
        out.push(Chunk { start: s, end: tags.len(), kind: k });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob1_chunks_and_documents() {
        let t = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\ncall NN I-NP O\n\nPeter NNP B-NP I-PER\nBlackburn NNP I-NP I-PER\nJohn NNP I-NP B-PER\n\n-DOCSTART- -X- -X- O\n\nX NNP B-NP I-LOC\n";
        let docs = parse(t).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences[0].chunks, vec![Chunk { start: 0, end: 1, kind: EntType::Org }, Chunk { start: 2, end: 3, kind: EntType::Misc }]);
        assert_eq!(docs[0].sentences[1].chunks, vec![Chunk { start: 0, end: 2, kind: EntType::Per }, Chunk { start: 2, end: 3, kind: EntType::Per }]);
        assert_eq!(docs[0].text(), "EU rejects German call\nPeter Blackburn John\n");
    }
}
