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

/// Transition scores as decoding reads them (`Weights::masked`), forbidden moves at minus
/// infinity so that decoding needs no branches (a forbidden move scores minus infinity and
/// never wins, so the best paths and their ties are those of the allowed moves alone).
/// Both ways round, so that each loop reads a row: decoding takes, for every tag at once,
/// the best move from each tag in turn (`from`), and the backward pass of `margins` the best
/// move into each tag in turn (`into`). Each loop then runs over all tags side by side (the
/// processor's vector lanes), where walking each tag's allowed moves was a chain of
/// dependent comparisons, a seventh of tagging.
pub struct Masked {
    /// `from[a][b]`: the score of moving from `a` to `b`.
    from: [[f32; TAGS]; TAGS],
    /// `into[b][a]`, the same.
    into: [[f32; TAGS]; TAGS],
    /// Into each tag from the sentence start, and from each tag to its end.
    start: [f32; TAGS],
    end: [f32; TAGS],
}

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

    /// The transition scores as decoding reads them (see `Masked`).
    pub fn masked(&self) -> Masked {
        let ok = &*ALLOWED;
        // From a to b, TAGS standing for the sentence start (as a) or end (as b).
        let score = |a: usize, b: usize| if ok[a][b] { self.trans[a * TS + b] } else { f32::NEG_INFINITY };
        Masked {
            from: std::array::from_fn(|a| std::array::from_fn(|b| score(a, b))),
            into: std::array::from_fn(|b| std::array::from_fn(|a| score(a, b))),
            start: std::array::from_fn(|b| score(TAGS, b)),
            end: std::array::from_fn(|a| score(a, TAGS)),
        }
    }

    /// The best tag sequence under BILOU constraints.
    pub fn viterbi(&self, em: &[f32]) -> Vec<u8> {
        Self::decode_with(&self.masked(), em).0
    }

    /// The best tag sequence, and the scores `margins` starts from: for each token and tag,
    /// the best path from the start into that tag there (the forward pass of max-marginals
    /// is this same recurrence, so it is not made twice).
    pub fn decode(&self, em: &[f32]) -> (Vec<u8>, Vec<f32>) {
        Self::decode_with(&self.masked(), em)
    }

    /// `decode` with the transitions masked once (`masked`): a tagger keeps them, rather than
    /// making them again for every sentence.
    pub fn decode_with(m: &Masked, em: &[f32]) -> (Vec<u8>, Vec<f32>) {
        let n = em.len() / TAGS;
        if n == 0 {
            return (Vec::new(), Vec::new());
        }
        let mut score = vec![0f32; n * TAGS];
        let mut back = vec![0u8; n * TAGS];
        for b in 0..TAGS {
            score[b] = m.start[b] + em[b];
        }
        for i in 1..n {
            let (done, rest) = score.split_at_mut(i * TAGS);
            let prev = &done[(i - 1) * TAGS..];
            // Every tag's best move so far, trying the tags before in increasing order: a
            // later one wins only when strictly better, so ties go to the first, as they did.
            let mut best = [f32::NEG_INFINITY; TAGS];
            let mut arg = [0u8; TAGS];
            for (a, row) in m.from.iter().enumerate() {
                let p = prev[a];
                for b in 0..TAGS {
                    let v = p + row[b];
                    let up = v > best[b];
                    best[b] = if up { v } else { best[b] };
                    arg[b] = if up { a as u8 } else { arg[b] };
                }
            }
            let e = &em[i * TAGS..(i + 1) * TAGS];
            for (b, out) in rest[..TAGS].iter_mut().enumerate() {
                *out = best[b] + e[b];
            }
            back[i * TAGS..(i + 1) * TAGS].copy_from_slice(&arg);
        }
        let mut best = f32::NEG_INFINITY;
        let mut arg = 0;
        for a in 0..TAGS {
            let v = score[(n - 1) * TAGS + a] + m.end[a];
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
        Self::margins_with(&self.masked(), em, tags, fwd)
    }

    /// `margins` with the transitions masked once (`decode_with`).
    pub fn margins_with(m: &Masked, em: &[f32], tags: &[u8], fwd: &[f32]) -> Vec<f32> {
        let n = tags.len();
        let neg = f32::NEG_INFINITY;
        let mut bwd = vec![neg; n * TAGS];
        if n > 0 {
            bwd[(n - 1) * TAGS..].copy_from_slice(&m.end);
        }
        for i in (0..n.saturating_sub(1)).rev() {
            let (now, next) = bwd.split_at_mut((i + 1) * TAGS);
            let (next, e) = (&next[..TAGS], &em[(i + 1) * TAGS..(i + 2) * TAGS]);
            // For every tag a at once, the best move into each tag b in turn (a maximum is
            // exact, so the order it is taken in does not matter; no score is NaN).
            let mut best = [neg; TAGS];
            for (b, row) in m.into.iter().enumerate() {
                let ahead = e[b];
                let beyond = next[b];
                for a in 0..TAGS {
                    let v = row[a] + ahead + beyond;
                    best[a] = if v > best[a] { v } else { best[a] };
                }
            }
            now[i * TAGS..].copy_from_slice(&best);
        }
        (0..n)
            .map(|i| {
                let mut mm: [f32; TAGS] = std::array::from_fn(|t| fwd[i * TAGS + t] + bwd[i * TAGS + t]);
                let chosen = std::mem::replace(&mut mm[tags[i] as usize], neg);
                let other = highest(&mm);
                if other == neg { f32::INFINITY } else { chosen - other }
            })
            .collect()
    }
}

/// The largest of `v` (none NaN), taken four lanes at a time rather than one after another.
fn highest(v: &[f32; TAGS]) -> f32 {
    let mut acc = [f32::NEG_INFINITY; 4];
    let chunks = v.chunks_exact(4);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..4 {
            acc[l] = if c[l] > acc[l] { c[l] } else { acc[l] };
        }
    }
    let mut top = acc[0];
    for &x in acc[1..].iter().chain(rest) {
        top = if x > top { x } else { top };
    }
    top
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

    /// Decoding and margins as they were written first: each tag's allowed moves one by one.
    /// The lane-wise versions must give the same tags, scores and margins, bit for bit, ties
    /// included (the first best move wins).
    fn reference(w: &Weights, em: &[f32]) -> (Vec<u8>, Vec<f32>, Vec<f32>) {
        let ok = &*ALLOWED;
        let t = |a: usize, b: usize| if ok[a][b] { w.trans[a * TS + b] } else { f32::NEG_INFINITY };
        let n = em.len() / TAGS;
        let mut score = vec![0f32; n * TAGS];
        let mut back = vec![0u8; n * TAGS];
        for b in 0..TAGS {
            score[b] = t(TAGS, b) + em[b];
        }
        for i in 1..n {
            for b in 0..TAGS {
                let (mut best, mut arg) = (f32::NEG_INFINITY, 0);
                for a in (0..TAGS).filter(|&a| ok[a][b]) {
                    let v = score[(i - 1) * TAGS + a] + t(a, b);
                    if v > best {
                        (best, arg) = (v, a);
                    }
                }
                score[i * TAGS + b] = best + em[i * TAGS + b];
                back[i * TAGS + b] = arg as u8;
            }
        }
        let (mut best, mut arg) = (f32::NEG_INFINITY, 0);
        for a in 0..TAGS {
            let v = score[(n - 1) * TAGS + a] + t(a, TAGS);
            if v > best {
                (best, arg) = (v, a);
            }
        }
        let mut tags = vec![0u8; n];
        tags[n - 1] = arg as u8;
        for i in (1..n).rev() {
            tags[i - 1] = back[i * TAGS + tags[i] as usize];
        }
        let neg = f32::NEG_INFINITY;
        let mut bwd = vec![neg; n * TAGS];
        for b in 0..TAGS {
            bwd[(n - 1) * TAGS + b] = t(b, TAGS);
        }
        for i in (0..n - 1).rev() {
            for a in 0..TAGS {
                bwd[i * TAGS + a] = (0..TAGS).filter(|&b| ok[a][b]).map(|b| t(a, b) + em[(i + 1) * TAGS + b] + bwd[(i + 1) * TAGS + b]).fold(neg, f32::max);
            }
        }
        let margins = (0..n)
            .map(|i| {
                let mm = |x: usize| score[i * TAGS + x] + bwd[i * TAGS + x];
                let other = (0..TAGS).filter(|&x| x != tags[i] as usize).map(mm).fold(neg, f32::max);
                if other == neg { f32::INFINITY } else { mm(tags[i] as usize) - other }
            })
            .collect();
        (tags, score, margins)
    }

    #[test]
    fn lane_wise_decoding_matches_move_by_move_decoding() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..300 {
            // Small whole numbers make ties common; larger fractions make them rare.
            let value = |r: u64| if round % 2 == 0 { (r % 5) as f32 - 2.0 } else { (r % 10_000) as f32 / 997.0 - 5.0 };
            let mut w = Weights::new();
            for x in w.trans.iter_mut() {
                *x = value(next());
            }
            let n = 1 + (next() % 12) as usize;
            let em: Vec<f32> = (0..n * TAGS).map(|_| value(next())).collect();
            let (tags, score, margins) = reference(&w, &em);
            let m = w.masked();
            let (got_tags, got_score) = Weights::decode_with(&m, &em);
            assert_eq!(got_tags, tags, "round {round}");
            assert_eq!(got_score.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), score.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), "round {round}");
            let got = Weights::margins_with(&m, &em, &got_tags, &got_score);
            assert_eq!(got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), margins.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), "round {round}");
        }
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
