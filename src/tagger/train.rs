//! Training: `dossier train --train eng.train --dev eng.testa --out data/ner/model.bin`.
//!
//! Deterministic: sentences are shuffled with a fixed-seed generator, folds are fixed by
//! document number, and the parallel parts (the jackknife folds) are independent trainings
//! whose results are combined in fold order.

use rayon::prelude::*;

use super::conll::Doc;
use super::eval::{Counts, score_chunks};
use super::features::{self, Clusters, DocFeatures, Phrases, list};
use super::perceptron::{Trainer, Weights, decode_chunks, encode};
use super::Tagger;
use crate::lexicon::Lexicon;

pub struct Options {
    /// Most passes over the training data; the best pass on the development set is kept.
    pub max_epochs: usize,
    /// Folds for the jackknifed first-stage tags that stage two learns from.
    pub folds: usize,
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_epochs: 12, folds: 5, seed: 20_161_028 }
    }
}

/// The lists the tagger's features look words up in, from the project's `data/`: GeoNames
/// places, the curated organisations, given names, demonyms, person titles and organisation
/// head words.
pub fn phrases_from_data() -> Phrases {
    let lex = Lexicon::get();
        let lex: &Lexicon = &lex;
    let mut p = Phrases::default();
    for (name, country) in lex.gazetteer.names() {
        p.add(name, if country { list::PLACE | list::COUNTRY } else { list::PLACE });
    }
    for e in &lex.orgs.entries {
        for n in std::iter::once(&e.name).chain(e.aliases.iter()) {
            p.add(n, list::ORG);
        }
    }
    for n in &lex.given_names {
        p.add(n, list::GIVEN_NAME);
    }
    for d in lex.gazetteer.demonyms() {
        p.add(d, list::DEMONYM);
    }
    for t in &lex.cues.file.person_titles {
        p.add(&capitalise(t), list::PERSON_TITLE);
    }
    for h in &lex.cues.file.org_heads {
        p.add(&capitalise(h), list::ORG_HEAD);
    }
    p
}

/// List phrases are matched from a capitalised first word; cue lists are partly lower case.
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}

/// A document ready for training: features, gold tags, and gold chunks per sentence.
struct Prepared {
    doc: DocFeatures,
    local: Vec<Vec<u64>>,
    gold: Vec<u8>,
}

fn prepare(d: &Doc, phrases: &Phrases, clusters: &Clusters) -> Prepared {
    let mut words = Vec::new();
    let mut sents = Vec::new();
    let mut gold = Vec::new();
    for s in &d.sentences {
        let start = words.len();
        words.extend(s.words.iter().map(String::as_str));
        sents.push((start, words.len()));
        let chunks: Vec<(usize, usize, usize)> = s.chunks.iter().map(|c| (c.start, c.end, c.kind as usize)).collect();
        gold.extend(encode(s.words.len(), &chunks));
    }
    let doc = DocFeatures::new(&words, &sents, phrases, clusters);
    let local = (0..doc.toks.len())
        .map(|i| {
            let mut v = Vec::with_capacity(64);
            doc.local(i, &mut v);
            v
        })
        .collect();
    Prepared { doc, local, gold }
}

/// A small deterministic generator (SplitMix64) for shuffling.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Trains one stage for `epochs` passes (or, with a development set, up to `epochs` passes
/// keeping the best), over examples given as (features per token, gold tags) per sentence.
fn train_stage(
    examples: &[(&[Vec<u64>], &[u8])],
    epochs: usize,
    seed: u64,
    mut dev: Option<&mut dyn FnMut(&Weights) -> f64>,
    log: &dyn Fn(String),
) -> (Weights, usize) {
    let mut t = Trainer::new();
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = Rng(seed);
    let mut best: Option<(f64, usize, Weights)> = None;
    for epoch in 1..=epochs {
        rng.shuffle(&mut order);
        for &k in &order {
            let (x, y) = examples[k];
            t.learn(x, y);
        }
        if let Some(f) = dev.as_mut() {
            let w = t.averaged();
            let score = f(&w);
            log(format!("  epoch {epoch}: dev micro-F1 {score:.4} ({} features)", w.index.len()));
            if best.as_ref().is_none_or(|(b, _, _)| score > *b) {
                best = Some((score, epoch, w));
            }
        }
    }
    match best {
        Some((_, e, w)) => (w, e),
        None => (t.averaged(), epochs),
    }
}

/// Examples (sentences) of the documents `which`, with the features `feats(i)` of document i.
fn examples<'a>(docs: &'a [Prepared], which: impl Iterator<Item = usize>, feats: impl Fn(usize) -> &'a [Vec<u64>]) -> Vec<(&'a [Vec<u64>], &'a [u8])> {
    let mut out = Vec::new();
    for i in which {
        let (p, f) = (&docs[i], feats(i));
        for &(s, e) in &p.doc.sents {
            out.push((&f[s..e], &p.gold[s..e]));
        }
    }
    out
}

fn tag_with(w: &Weights, p: &Prepared, feats: &[Vec<u64>]) -> Vec<u8> {
    let mut tags = vec![0u8; p.gold.len()];
    for &(s, e) in &p.doc.sents {
        tags[s..e].copy_from_slice(&w.viterbi(&w.emissions(&feats[s..e])));
    }
    tags
}

/// Micro-F1 over PER, LOC and ORG of predicted tags against gold, by sentence.
fn f1_of(docs: &[Prepared], tags: &[Vec<u8>]) -> f64 {
    let mut c = Counts::default();
    for (p, t) in docs.iter().zip(tags) {
        for &(s, e) in &p.doc.sents {
            score_chunks(&decode_chunks(&p.gold[s..e]), &decode_chunks(&t[s..e]), &mut c);
        }
    }
    c.micro_plo().2
}

fn with_second(p: &Prepared, first: &[u8]) -> Vec<Vec<u64>> {
    let counts = features::type_counts(&p.doc, first);
    let mut feats = p.local.clone();
    for (i, f) in feats.iter_mut().enumerate() {
        p.doc.second(i, first, &counts, f);
    }
    feats
}

pub fn train(train: &[Doc], dev: &[Doc], clusters: Clusters, opts: &Options, log: &dyn Fn(String)) -> Tagger {
    let phrases = phrases_from_data();
    log(format!("{} list phrases, {} clustered words", phrases.map.len(), clusters.fine.len()));
    let tr: Vec<Prepared> = train.par_iter().map(|d| prepare(d, &phrases, &clusters)).collect();
    let dv: Vec<Prepared> = dev.par_iter().map(|d| prepare(d, &phrases, &clusters)).collect();

    log("stage 1".into());
    let mut dev1 = |w: &Weights| {
        let tags: Vec<Vec<u8>> = dv.iter().map(|p| tag_with(w, p, &p.local)).collect();
        f1_of(&dv, &tags)
    };
    let (stage1, epochs1) = train_stage(&examples(&tr, 0..tr.len(), |i| &tr[i].local), opts.max_epochs, opts.seed, Some(&mut dev1), log);
    log(format!("stage 1: kept epoch {epochs1}"));

    // Jackknife: each fold's first-stage tags come from a model trained without that fold.
    log(format!("stage 1 jackknife over {} folds", opts.folds));
    let fold_tags: Vec<Vec<(usize, Vec<u8>)>> = (0..opts.folds)
        .into_par_iter()
        .map(|k| {
            let (held, rest): (Vec<usize>, Vec<usize>) = (0..tr.len()).partition(|i| i % opts.folds == k);
            let ex = examples(&tr, rest.into_iter(), |i| &tr[i].local);
            let (w, _) = train_stage(&ex, epochs1, opts.seed + k as u64 + 1, None, &|_| {});
            held.into_iter().map(|i| (i, tag_with(&w, &tr[i], &tr[i].local))).collect()
        })
        .collect();
    let mut first_tr: Vec<Vec<u8>> = vec![Vec::new(); tr.len()];
    for fold in fold_tags {
        for (i, t) in fold {
            first_tr[i] = t;
        }
    }
    log(format!("stage 1 jackknifed train micro-F1 {:.4}", f1_of(&tr, &first_tr)));
    let first_dv: Vec<Vec<u8>> = dv.iter().map(|p| tag_with(&stage1, p, &p.local)).collect();

    log("stage 2".into());
    let tr2: Vec<Vec<Vec<u64>>> = tr.par_iter().zip(&first_tr).map(|(p, f)| with_second(p, f)).collect();
    let dv2: Vec<Vec<Vec<u64>>> = dv.par_iter().zip(&first_dv).map(|(p, f)| with_second(p, f)).collect();
    let mut dev2 = |w: &Weights| {
        let tags: Vec<Vec<u8>> = dv.iter().zip(&dv2).map(|(p, f)| tag_with(w, p, f)).collect();
        f1_of(&dv, &tags)
    };
    let (stage2, epochs2) = train_stage(&examples(&tr, 0..tr.len(), |i| &tr2[i]), opts.max_epochs, opts.seed + 100, Some(&mut dev2), log);
    log(format!("stage 2: kept epoch {epochs2}"));

    let provenance = format!(
        "Dossier NER model: two-stage averaged perceptron, BILOU tags. Trained on CoNLL-2003 eng.train ({} documents), \
         epochs chosen on eng.testa (stage 1: {epochs1}, stage 2: {epochs2}), {}-fold jackknife, seed {}. \
         List features from data/gazetteer (GeoNames, CC BY 4.0), data/organisations.toml, data/lexicon/given_names.txt, data/cues.toml; \
         word clusters from data/lexicon/clusters.tsv (k-means over the GloVe 6B vectors, PDDL 1.0).",
        train.len(),
        opts.folds,
        opts.seed
    );
    Tagger::new(phrases, clusters, stage1, stage2, provenance)
}
