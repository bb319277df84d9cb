//! `dossier eval`: scores the annotator on CoNLL-2003 gold data, twice: the whole annotator
//! (`dossier annotate`) on each document's text as `conll_docs.py` exports it, scored by
//! code-point spans exactly as `ner_eval.py` scores it; and the tagger alone on the gold
//! tokens, with its speed.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use crate::annotate::model::{ModelAnnotator, kind_of};
use crate::model::{Format, Source};
use crate::pipeline::annotate_source;
use crate::tagger::conll::{Doc, EntType};
use crate::tagger::eval::{Counts, gold_spans, score_chunks};
use crate::tagger::{Tagger, tokens};
use crate::text::CharMap;

/// One document as conll_docs.py exports it: its text, the code-point span of each gold token,
/// and the gold entities as (start, end, type index) code-point spans.
struct Exported {
    text: String,
    spans: Vec<(usize, usize)>,
    gold: HashSet<(usize, usize, usize)>,
}

pub fn evaluate(docs: &[Doc], model: &Tagger) -> String {
    let tokens: usize = docs.iter().flat_map(|d| &d.sentences).map(|s| s.words.len()).sum();
    let exported: Vec<Exported> = docs
        .iter()
        .map(|d| {
            let (spans, gold) = gold_spans(d);
            Exported { text: d.text(), spans, gold }
        })
        .collect();

    // The whole annotator on the exported text: what `dossier annotate` prints for doc-NNNN.txt.
    let annotator = ModelAnnotator { tagger: model };
    let t0 = Instant::now();
    let mut full = Counts::default();
    for (n, e) in exported.iter().enumerate() {
        let src = Source {
            path: PathBuf::from(format!("doc-{n:04}.txt")),
            rel: format!("doc-{n:04}.txt"),
            format: Format::Txt,
            text: e.text.clone(),
            body_start: 0,
            meta: Default::default(),
            meta_origin: None,
        };
        let (_, mentions, _, _) = annotate_source(&src, &annotator);
        let map = CharMap::new(&src.text);
        let pred: HashSet<(usize, usize, usize)> = mentions
            .iter()
            .filter_map(|m| {
                let k = EntType::ALL.iter().position(|&t| kind_of(t) == m.kind)?;
                Some((map.char_offset(m.span.start()), map.char_offset(m.span.end()), k))
            })
            .collect();
        full.add(&e.gold, &pred);
    }
    let full_secs = t0.elapsed().as_secs_f64();

    let mut out = tokenizer_agreement(docs, &exported, tokens);
    out += &format!(
        "dossier annotate on each document's text (as conll_docs.py exports it; ner_eval.py gives the same figures):\n{tokens} tokens in {full_secs:.2} s, {:.0} tokens/s (one thread, cleaning, rules, dates and quotes included)\n",
        tokens as f64 / full_secs
    );
    out += &full.table();

    // Tagging speed: the median of five passes over the whole file, so that one slow pass
    // (a busy machine) does not decide the figure; the scores come from the first pass.
    let prepared: Vec<(Vec<&str>, Vec<(usize, usize)>, Vec<(usize, usize, usize)>)> = docs
        .iter()
        .map(|d| {
            let words: Vec<&str> = d.sentences.iter().flat_map(|s| s.words.iter().map(String::as_str)).collect();
            let (mut sents, mut gold, mut at) = (Vec::new(), Vec::new(), 0);
            for s in &d.sentences {
                sents.push((at, at + s.words.len()));
                gold.extend(s.chunks.iter().map(|c| (at + c.start, at + c.end, c.kind as usize)));
                at += s.words.len();
            }
            (words, sents, gold)
        })
        .collect();
    let mut alone = Counts::default();
    let mut times = Vec::new();
    for pass in 0..5 {
        let t0 = Instant::now();
        for (words, sents, gold) in &prepared {
            let found: Vec<_> = model.tag(words, sents).into_iter().map(|f| (f.start, f.end, f.kind as usize)).collect();
            if pass == 0 {
                score_chunks(gold, &found, &mut alone);
            }
        }
        times.push(t0.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let secs = times[times.len() / 2];
    out += &format!(
        "\nthe tagger alone, on the gold tokens: {tokens} tokens in {secs:.3} s (median of 5 passes), {:.0} tokens/s (one thread)\n",
        tokens as f64 / secs
    );
    out += &alone.table();
    out += &format!("\nmicro-F1 {:.4}\n", full.micro_plo().2);
    out
}

/// How closely the tokenizer and sentence splitter reproduce the gold tokens and sentences on
/// the exported text: every difference the tagger sees starts here.
fn tokenizer_agreement(docs: &[Doc], exported: &[Exported], tokens: usize) -> String {
    let (mut same_tok, mut same_sent, mut gold_sents) = (0usize, 0usize, 0usize);
    for (d, e) in docs.iter().zip(exported) {
        let map = CharMap::new(&e.text);
        let toks = tokens::tokenize(&e.text, 0, e.text.len());
        let ours: HashSet<(usize, usize)> = toks.iter().map(|t| (map.char_offset(t.span.start()), map.char_offset(t.span.end()))).collect();
        same_tok += e.spans.iter().filter(|s| ours.contains(s)).count();
        let our_sents: HashSet<(usize, usize)> = tokens::sentences(&e.text, &toks)
            .iter()
            .map(|s| (map.char_offset(toks[s.start].span.start()), map.char_offset(toks[s.end - 1].span.end())))
            .collect();
        let mut at = 0;
        for s in &d.sentences {
            gold_sents += 1;
            if our_sents.contains(&(e.spans[at].0, e.spans[at + s.words.len() - 1].1)) {
                same_sent += 1;
            }
            at += s.words.len();
        }
    }
    format!("tokenizer: {same_tok} of {tokens} gold tokens reproduced exactly, {same_sent} of {gold_sents} sentences\n")
}
