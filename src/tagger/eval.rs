//! Scoring as conlleval does: an entity is right when its first token, last token and type
//! all match a gold entity. Precision, recall and F1 per type, and the micro average over
//! PER, LOC and ORG (MISC is reported on its own: the site does not show it).

use std::collections::HashSet;

use super::conll::{Doc, EntType};

#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    /// Per type (PER, LOC, ORG, MISC): true positives, predicted, gold.
    pub tp: [usize; 4],
    pub pred: [usize; 4],
    pub gold: [usize; 4],
}

fn prf(tp: usize, pred: usize, gold: usize) -> (f64, f64, f64) {
    let p = if pred == 0 { 0.0 } else { tp as f64 / pred as f64 };
    let r = if gold == 0 { 0.0 } else { tp as f64 / gold as f64 };
    let f = if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    (p, r, f)
}

impl Counts {
    pub fn add(&mut self, gold: &HashSet<(usize, usize, usize)>, pred: &HashSet<(usize, usize, usize)>) {
        for &(_, _, k) in gold {
            self.gold[k] += 1;
        }
        for p in pred {
            self.pred[p.2] += 1;
            if gold.contains(p) {
                self.tp[p.2] += 1;
            }
        }
    }

    pub fn of(&self, k: EntType) -> (f64, f64, f64) {
        let k = k as usize;
        prf(self.tp[k], self.pred[k], self.gold[k])
    }

    /// Micro-averaged precision, recall and F1 over PER, LOC and ORG.
    pub fn micro_plo(&self) -> (f64, f64, f64) {
        let s = |a: &[usize; 4]| a[0] + a[1] + a[2];
        prf(s(&self.tp), s(&self.pred), s(&self.gold))
    }

    pub fn table(&self) -> String {
        let mut s = format!("{:<14}{:>10}{:>10}{:>10}{:>8}{:>8}\n", "type", "precision", "recall", "F1", "gold", "found");
        for k in EntType::ALL {
            let (p, r, f) = self.of(k);
            s += &format!("{:<14}{p:>10.4}{r:>10.4}{f:>10.4}{:>8}{:>8}\n", k.as_str(), self.gold[k as usize], self.pred[k as usize]);
        }
        let (p, r, f) = self.micro_plo();
        let g = self.gold[0] + self.gold[1] + self.gold[2];
        let n = self.pred[0] + self.pred[1] + self.pred[2];
        s += &format!("{:<14}{p:>10.4}{r:>10.4}{f:>10.4}{g:>8}{n:>8}\n", "micro PLO");
        s
    }
}

/// Adds one sentence's chunks (start, end, type index) to the counts.
pub fn score_chunks(gold: &[(usize, usize, usize)], pred: &[(usize, usize, usize)], c: &mut Counts) {
    let g: HashSet<_> = gold.iter().copied().collect();
    let p: HashSet<_> = pred.iter().copied().collect();
    c.add(&g, &p);
}

/// The code-point span of each token of a document as `Doc::text` lays it out, and the gold
/// entities as code-point spans.
pub fn gold_spans(doc: &Doc) -> (Vec<(usize, usize)>, HashSet<(usize, usize, usize)>) {
    let mut spans = Vec::new();
    let mut gold = HashSet::new();
    let mut pos = 0;
    for s in &doc.sentences {
        let first = spans.len();
        for w in &s.words {
            let n = w.chars().count();
            spans.push((pos, pos + n));
            pos += n + 1;
        }
        for c in &s.chunks {
            gold.insert((spans[first + c.start].0, spans[first + c.end - 1].1, c.kind as usize));
        }
    }
    (spans, gold)
}
