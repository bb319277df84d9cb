#!/usr/bin/env python3
"""Common English words and how common they are, from the `wordfreq` package's English list
(Robyn Speer, https://github.com/rspeer/wordfreq; code Apache-2.0, word frequency data
CC BY-SA 4.0, drawn from Wikipedia, subtitles, news, books, web text and social media).

Why: a capitalised word at the start of a sentence or in a Title Case headline ("Since",
"Besides", "Pickled") looks like a name to a tagger trained on news where such words are rare.
How common a word is in ordinary writing is the evidence that it is a word, not a name; the
annotator weighs it against the evidence that it is a name (given names, the gazetteer, the
same word capitalised mid-sentence in the article). See `src/annotate/names.rs`.

Usage:
    pip download --no-deps wordfreq==3.1.1 -d PKGS
    python3 -m venv VENV && VENV/bin/pip install msgpack
    VENV/bin/python data/build/wordfreq.py PKGS [OUT]

OUT defaults to data/lexicon/common_words.tsv: a header line `word, zipf`, then every word of
wordfreq's `large_en` list with a Zipf frequency of at least MIN_ZIPF (about once in 300,000
words) that is made only of lower-case letters (no digits, no punctuation), with its Zipf
frequency to one decimal (log10 of occurrences per billion words), sorted by word (UTF-8 byte
order), "\n" line ends. Deterministic.
"""
import glob
import gzip
import os
import sys
import zipfile

import msgpack

MIN_ZIPF = 3.5


def main():
    pkgs = sys.argv[1]
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "lexicon", "common_words.tsv")
    wheel = sorted(glob.glob(os.path.join(pkgs, "wordfreq-*.whl")))
    if not wheel:
        sys.exit(f"no wordfreq wheel in {pkgs}")
    with zipfile.ZipFile(wheel[-1]) as z:
        data = msgpack.unpackb(gzip.decompress(z.read("wordfreq/data/large_en.msgpack.gz")), raw=False)
    if data[0] != {"format": "cB", "version": 1}:
        sys.exit(f"unexpected wordfreq format {data[0]}")
    rows = {}
    # Bucket i holds the words of frequency 10^(-i/100) (centibels); Zipf = 9 - i/100.
    for i, bucket in enumerate(data[1:]):
        zipf = 9 - i / 100
        if zipf < MIN_ZIPF:
            break
        for w in bucket:
            if w.isalpha() and w == w.lower() and w not in rows:
                rows[w] = zipf
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("word\tzipf\n")
        for w in sorted(rows, key=lambda w: w.encode("utf-8")):
            f.write(f"{w}\t{rows[w]:.1f}\n")
    print(f"{len(rows)} words with Zipf >= {MIN_ZIPF} -> {out}")


if __name__ == "__main__":
    main()
