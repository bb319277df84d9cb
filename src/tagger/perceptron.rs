//! An averaged structured perceptron (Collins 2002) over BILOU tags with first-order Viterbi
//! decoding. Tags: 0 is O; for entity type k (PER, LOC, ORG, MISC) B = 1+4k, I = 2+4k,
//! L = 3+4k, U = 4+4k. Transitions that BILOU forbids (O → I, B → O, ...) are never decoded.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub const TAGS: usize = 17;

/// Feature keys are already well-mixed hashes, so the table uses them as they are.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

pub type KeyMap = HashMap<u64, u32, BuildHasherDefault<IdHasher>>;

/// Adds to `sum` the weight row (`sum.len()` weights) of each of `feats` found in `index`, in
/// the order of `feats`. The rows lie scattered in a table far bigger than the processor's
/// caches, and reading them one by one waited for memory at each: every row is looked up and
/// asked for (prefetched) first, a batch at a time, so that their loads overlap, and only then
/// added. The sums are the same, bit for bit, as adding row by row.
pub fn add_rows(index: &KeyMap, rows: &[f32], feats: &[u64], sum: &mut [f32]) {
    const BATCH: usize = 64;
    let width = sum.len();
    let mut found = [0u32; BATCH];
    for batch in feats.chunks(BATCH) {
        let mut n = 0;
        for f in batch {
            if let Some(&r) = index.get(f) {
                prefetch(&rows[r as usize * width..(r as usize + 1) * width]);
                found[n] = r;
                n += 1;
            }
        }
        for &r in &found[..n] {
            for (d, w) in sum.iter_mut().zip(&rows[r as usize * width..(r as usize + 1) * width]) {
                *d += w;
            }
        }
    }
}

/// Asks the processor to bring `row` into its caches; only a hint.
#[inline]
fn prefetch(row: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    for line in row.chunks(16) {
        // SAFETY: prefetching is a hint that never faults; the address is that of a live slice.
        unsafe { std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(line.as_ptr().cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = row;
}

pub fn tag_name(t: usize) -> String {
    if t == 0 {
        return "O".into();
    }
    let k = (t - 1) / 4;
    let p = ["B", "I", "L", "U"][(t - 1) % 4];
    format!("{p}-{}", ["PER", "LOC", "ORG", "MISC"][k])
}

fn part(t: usize) -> (u8, usize) {
    if t == 0 { (b'O', 0) } else { (b"BILU"[(t - 1) % 4], (t - 1) / 4) }
}

/// Whether tag `b` may follow tag `a` (None = sentence start / end).
pub fn allowed(a: Option<usize>, b: Option<usize>) -> bool {
    let inside = |t: Option<usize>| t.is_some_and(|t| matches!(part(t).0, b'B' | b'I'));
    match (a, b) {
        (None, None) => true,
        (None, Some(b)) => matches!(part(b).0, b'O' | b'B' | b'U'),
        (Some(a), None) => matches!(part(a).0, b'O' | b'L' | b'U'),
        (Some(a), Some(b)) => {
            if inside(Some(a)) {
                matches!(part(b).0, b'I' | b'L') && part(b).1 == part(a).1
            } else {
                matches!(part(b).0, b'O' | b'B' | b'U')
            }
        }
    }
}

/// `allowed` as a table: ALLOWED[a][b] with index TAGS for the sentence start (as a) or end (as b).
static ALLOWED: std::sync::LazyLock<[[bool; TAGS + 1]; TAGS + 1]> = std::sync::LazyLock::new(|| {
    let mut m = [[false; TAGS + 1]; TAGS + 1];
    for (a, row) in m.iter_mut().enumerate() {
        for (b, cell) in row.iter_mut().enumerate() {
            *cell = allowed((a < TAGS).then_some(a), (b < TAGS).then_some(b));
        }
    }
    m
});

/// For each tag, the tags that may come before it (`PREDS`) and after it (`SUCCS`), in
/// increasing order: decoding tries only these, a third of all pairs, and since every other
/// pair scores minus infinity the best paths and their ties come out the same.
struct Moves {
    preds: Vec<Vec<usize>>,
    succs: Vec<Vec<usize>>,
}

static MOVES: std::sync::LazyLock<Moves> = std::sync::LazyLock::new(|| {
    let ok = &*ALLOWED;
    Moves {
        preds: (0..TAGS).map(|b| (0..TAGS).filter(|&a| ok[a][b]).collect()).collect(),
        succs: (0..TAGS).map(|a| (0..TAGS).filter(|&b| ok[a][b]).collect()).collect(),
    }
});

/// BILOU tags from entity chunks (start, end, type index) over `n` tokens.
pub fn encode(n: usize, chunks: &[(usize, usize, usize)]) -> Vec<u8> {
    let mut tags = vec![0u8; n];
    for &(s, e, k) in chunks {
        let base = 1 + 4 * k as u8;
        if e - s == 1 {
            tags[s] = base + 3;
        } else {
            tags[s] = base;
            for t in &mut tags[s + 1..e - 1] {
                *t = base + 1;
            }
            tags[e - 1] = base + 2;
        }
    }
    tags
}

/// Entity chunks (start, end, type index) from BILOU tags. Decoding only yields valid
/// sequences, but a stray I or L is read as the start of a chunk rather than lost.
pub fn decode_chunks(tags: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        let t = tags[i] as usize;
        if t == 0 {
            i += 1;
            continue;
        }
        let (p, k) = part(t);
        if p == b'U' {
            out.push((i, i + 1, k));
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < tags.len() && tags[j] != 0 && part(tags[j] as usize).1 == k && matches!(part(tags[j] as usize).0, b'I' | b'L') {
            j += 1;
            if part(tags[j - 1] as usize).0 == b'L' {
                break;
            }
        }
        out.push((i, j, k));
        i = j;
    }
    out
}

/// Weights of one stage: a row of `TAGS` weights per feature, and the transition weights.
#[derive(Clone, Default)]
pub struct Weights {
    pub index: KeyMap,
    pub rows: Vec<f32>,
    /// trans[a * (TAGS+1) + b]: from a (TAGS = start) to b (TAGS = end).
    pub trans: Vec<f32>,
}

const TS: usize = TAGS + 1;

impl Weights {
    pub fn new() -> Weights {
        Weights { index: KeyMap::default(), rows: Vec::new(), trans: vec![0.0; TS * TS] }
    }

    /// Emission scores of each token, `TAGS` per token.
    pub fn emissions(&self, feats: &[Vec<u64>]) -> Vec<f32> {
        let mut out = vec![0.0f32; feats.len() * TAGS];
        for (i, fs) in feats.iter().enumerate() {
            add_rows(&self.index, &self.rows, fs, &mut out[i * TAGS..(i + 1) * TAGS]);
        }
        out
    }

    /// Transition scores with forbidden moves at minus infinity, so decoding needs no
    /// branches: `into[b][a]` is the score of moving from `a` to `b` (TAGS = start / end).
    fn masked(&self) -> [[f32; TS]; TS] {
        let ok = &*ALLOWED;
        let mut m = [[f32::NEG_INFINITY; TS]; TS];
        for (b, row) in m.iter_mut().enumerate() {
            for (a, cell) in row.iter_mut().enumerate() {
                if ok[a][b] {
                    *cell = self.trans[a * TS + b];
                }
            }
        }
        m
    }

    /// The best tag sequence under BILOU constraints.
    pub fn viterbi(&self, em: &[f32]) -> Vec<u8> {
        self.decode(em).0
    }

    /// The best tag sequence, and the scores `margins` starts from: for each token and tag,
    /// the best path from the start into that tag there (the forward pass of max-marginals
    /// is this same recurrence, so it is not made twice).
    pub fn decode(&self, em: &[f32]) -> (Vec<u8>, Vec<f32>) {
        let n = em.len() / TAGS;
        if n == 0 {
            return (Vec::new(), Vec::new());
        }
        let into = self.masked();
        let moves = &*MOVES;
        let mut score = vec![0f32; n * TAGS];
        let mut back = vec![0u8; n * TAGS];
        for b in 0..TAGS {
            score[b] = into[b][TAGS] + em[b];
        }
        for i in 1..n {
            let (done, rest) = score.split_at_mut(i * TAGS);
            let prev = &done[(i - 1) * TAGS..];
            for b in 0..TAGS {
                let t = &into[b];
                let mut best = f32::NEG_INFINITY;
                let mut arg = 0;
                for &a in &moves.preds[b] {
                    let v = prev[a] + t[a];
                    if v > best {
                        best = v;
                        arg = a;
                    }
                }
                rest[b] = best + em[i * TAGS + b];
                back[i * TAGS + b] = arg as u8;
            }
        }
        let mut best = f32::NEG_INFINITY;
        let mut arg = 0;
        for a in 0..TAGS {
            let v = score[(n - 1) * TAGS + a] + into[TAGS][a];
            if v > best {
                best = v;
                arg = a;
            }
        }
        let mut tags = vec![0u8; n];
        tags[n - 1] = arg as u8;
        for i in (1..n).rev() {
            tags[i - 1] = back[i * TAGS + tags[i] as usize];
        }
        (tags, score)
    }

    /// For each token, how far the chosen tag's best path beats the best path through any
    /// other tag there (max-marginal margin). Small margins mark uncertain tokens. `tags` and
    /// `fwd` are what `decode` gave for `em`.
    pub fn margins(&self, em: &[f32], tags: &[u8], fwd: &[f32]) -> Vec<f32> {
        let n = tags.len();
        let into = self.masked();
        let neg = f32::NEG_INFINITY;
        let mut bwd = vec![neg; n * TAGS];
        if n > 0 {
            for b in 0..TAGS {
                bwd[(n - 1) * TAGS + b] = into[TAGS][b];
            }
        }
        let moves = &*MOVES;
        for i in (0..n.saturating_sub(1)).rev() {
            for a in 0..TAGS {
                let best = moves.succs[a].iter().map(|&b| into[b][a] + em[(i + 1) * TAGS + b] + bwd[(i + 1) * TAGS + b]).fold(neg, f32::max);
                bwd[i * TAGS + a] = best;
            }
        }
        (0..n)
            .map(|i| {
                let mm = |t: usize| fwd[i * TAGS + t] + bwd[i * TAGS + t];
                let chosen = mm(tags[i] as usize);
                let other = (0..TAGS).filter(|&t| t != tags[i] as usize).map(mm).fold(neg, f32::max);
                if other == neg { f32::INFINITY } else { chosen - other }
            })
            .collect()
    }
}

/// Training state of one stage: weights plus the sums that make the average (Daumé's trick:
/// the average is w - u / c, so each update costs the same as without averaging).
pub struct Trainer {
    pub w: Weights,
    u_rows: Vec<f32>,
    u_trans: Vec<f32>,
    c: f32,
}

impl Trainer {
    pub fn new() -> Trainer {
        Trainer { w: Weights::new(), u_rows: Vec::new(), u_trans: vec![0.0; TS * TS], c: 1.0 }
    }

    fn row(&mut self, f: u64) -> usize {
        let next = self.w.index.len() as u32;
        let r = *self.w.index.entry(f).or_insert(next) as usize;
        if r == next as usize {
            self.w.rows.extend([0.0; TAGS]);
            self.u_rows.extend([0.0; TAGS]);
        }
        r
    }

    fn bump(&mut self, feats: &[u64], tag: usize, d: f32) {
        for &f in feats {
            let r = self.row(f);
            self.w.rows[r * TAGS + tag] += d;
            self.u_rows[r * TAGS + tag] += self.c * d;
        }
    }

    fn bump_trans(&mut self, a: usize, b: usize, d: f32) {
        self.w.trans[a * TS + b] += d;
        self.u_trans[a * TS + b] += self.c * d;
    }

    /// One training example: decode, and where the decoded sequence differs from the gold
    /// one, move the weights towards gold.
    pub fn learn(&mut self, feats: &[Vec<u64>], gold: &[u8]) {
        let em = self.w.emissions(feats);
        let pred = self.w.viterbi(&em);
        if pred != gold {
            for i in 0..gold.len() {
                if pred[i] != gold[i] {
                    self.bump(&feats[i], gold[i] as usize, 1.0);
                    self.bump(&feats[i], pred[i] as usize, -1.0);
                }
            }
            let n = gold.len();
            let edges = |t: &[u8], i: usize| -> (usize, usize) {
                let a = if i == 0 { TAGS } else { t[i - 1] as usize };
                let b = if i == n { TAGS } else { t[i] as usize };
                (a, b)
            };
            for i in 0..=n {
                let (ga, gb) = edges(gold, i);
                let (pa, pb) = edges(&pred, i);
                if (ga, gb) != (pa, pb) {
                    self.bump_trans(ga, gb, 1.0);
                    self.bump_trans(pa, pb, -1.0);
                }
            }
        }
        self.c += 1.0;
    }

    /// The averaged weights, keeping only features with a weight that matters.
    pub fn averaged(&self) -> Weights {
        let mut out = Weights::new();
        let mut keys: Vec<(u64, u32)> = self.w.index.iter().map(|(k, v)| (*k, *v)).collect();
        keys.sort_unstable();
        for (k, r) in keys {
            let r = r as usize;
            let row: Vec<f32> = (0..TAGS).map(|t| self.w.rows[r * TAGS + t] - self.u_rows[r * TAGS + t] / self.c).collect();
            if row.iter().any(|w| w.abs() >= 1e-3) {
                out.index.insert(k, (out.rows.len() / TAGS) as u32);
                out.rows.extend(row.iter().map(|w| if w.abs() < 1e-3 { 0.0 } else { *w }));
            }
        }
        out.trans = (0..TS * TS).map(|i| self.w.trans[i] - self.u_trans[i] / self.c).collect();
        out
    }
}

impl Default for Trainer {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilou_round_trip_and_constraints() {
        let chunks = vec![(0, 2, 0), (3, 4, 1), (4, 7, 2)];
        let tags = encode(8, &chunks);
        assert_eq!(decode_chunks(&tags), chunks);
        assert!(!allowed(Some(0), Some(2)), "O cannot be followed by I");
        assert!(!allowed(Some(1), Some(0)), "B cannot be followed by O");
        assert!(!allowed(Some(1), Some(7)), "B-PER cannot be followed by L-LOC");
        assert!(allowed(Some(1), Some(3)));
        assert!(!allowed(None, Some(3)));
    }

    #[test]
    fn learns_a_separable_toy_problem() {
        // Word "x" is a one-word PER, "a b" a two-word LOC, anything else O.
        let f = |w: &str| vec![super::super::features::Fh::new(1).s(w).get()];
        let data: Vec<(Vec<Vec<u64>>, Vec<u8>)> = vec![
            (vec![f("x"), f("o"), f("a"), f("b")], encode(4, &[(0, 1, 0), (2, 4, 1)])),
            (vec![f("o"), f("a"), f("b"), f("x")], encode(4, &[(1, 3, 1), (3, 4, 0)])),
        ];
        let mut t = Trainer::new();
        for _ in 0..5 {
            for (x, y) in &data {
                t.learn(x, y);
            }
        }
        let w = t.averaged();
        for (x, y) in &data {
            assert_eq!(&w.viterbi(&w.emissions(x)), y);
        }
    }
}
