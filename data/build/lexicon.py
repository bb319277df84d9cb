#!/usr/bin/env python3
"""Derive token statistics for Dossier's annotator from the CoNLL-2003 English TRAINING file.

Usage:  python3 data/build/lexicon.py /work/shared/data/conll2003/eng.train [OUTDIR]

OUTDIR defaults to data/lexicon/ next to this script's parent directory. Standard library only,
deterministic output (sorted by UTF-8 byte order, "\n" line ends).

Only eng.train may be used here: eng.testa / eng.testb are held out for evaluation.
The Reuters text itself may not be shipped, so this script writes counts of individual tokens
only -- never sentences, n-grams or document text.

Files written:
  tokens.tsv       token, PER, LOC, ORG, MISC, O  -- every token whose first character is an
                   uppercase letter and that occurs >= 2 times; how often it was tagged with each
                   entity type (I-/B- prefixes merged) or O.
  given_names.txt  tokens that are the FIRST token of a multi-token PER entity >= 2 times and
                   whose occurrences are >= 80% inside PER entities; the token must start with
                   an uppercase letter, contain a lowercase letter and consist only of letters,
                   hyphens and apostrophes (so initials like "J." and all-caps headline tokens
                   are excluded).
  lowercase.tsv    word, count -- every token whose first character is a lowercase letter and
                   that occurs >= 3 times (counted exactly as written).
"""
import os
import re
import sys
from collections import Counter, defaultdict

TYPES = ("PER", "LOC", "ORG", "MISC")
MIN_TOKEN = 2          # tokens.tsv: minimum occurrences of a capitalised token
MIN_GIVEN_FIRST = 2    # given_names.txt: minimum times first token of a multi-token PER
MIN_GIVEN_SHARE = 0.8  # given_names.txt: minimum share of occurrences inside PER
MIN_LOWER = 3          # lowercase.tsv: minimum occurrences
NAME_SHAPE = re.compile(r"^[^\W\d_][\w'\-]*$")


def read_sentences(path):
    """Yield sentences as lists of (token, entity_type or 'O', iob_prefix)."""
    sent = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if sent:
                    yield sent
                sent = []
                continue
            cols = line.split(" ")
            if cols[0] == "-DOCSTART-":
                if sent:
                    yield sent
                sent = []
                continue
            tok, tag = cols[0], cols[-1]
            if tag == "O":
                sent.append((tok, "O", ""))
            else:
                prefix, etype = tag.split("-", 1)
                sent.append((tok, etype, prefix))
    if sent:
        yield sent


def chunks(sent):
    """IOB1 chunks: list of (type, start, end_exclusive)."""
    out = []
    cur = None
    for i, (_, etype, prefix) in enumerate(sent):
        if etype == "O":
            if cur:
                out.append(tuple(cur))
            cur = None
            continue
        if cur is None or cur[0] != etype or prefix == "B":
            if cur:
                out.append(tuple(cur))
            cur = [etype, i, i + 1]
        else:
            cur[2] = i + 1
    if cur:
        out.append(tuple(cur))
    return out


def bkey(s):
    return s.encode("utf-8")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    src = sys.argv[1]
    if os.path.basename(src) != "eng.train":
        sys.exit("refusing: only eng.train may be used to build the lexicon")
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(here), "lexicon")
    os.makedirs(outdir, exist_ok=True)

    tag_counts = defaultdict(Counter)   # token -> Counter(type -> n)
    total = Counter()
    per_first_multi = Counter()
    n_sent = n_tok = 0
    for sent in read_sentences(src):
        n_sent += 1
        for tok, etype, _ in sent:
            n_tok += 1
            tag_counts[tok][etype] += 1
            total[tok] += 1
        for etype, start, end in chunks(sent):
            if etype == "PER" and end - start >= 2:
                per_first_multi[sent[start][0]] += 1

    # tokens.tsv
    caps = sorted((t for t in total if t[:1].isupper() and total[t] >= MIN_TOKEN), key=bkey)
    with open(os.path.join(outdir, "tokens.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("token\tPER\tLOC\tORG\tMISC\tO\n")
        for t in caps:
            c = tag_counts[t]
            f.write("\t".join([t] + [str(c[k]) for k in TYPES + ("O",)]) + "\n")

    # given_names.txt
    given = []
    for t, n in per_first_multi.items():
        if n < MIN_GIVEN_FIRST or not t[:1].isupper():
            continue
        if not NAME_SHAPE.match(t) or not any(ch.islower() for ch in t):
            continue
        if tag_counts[t]["PER"] / total[t] >= MIN_GIVEN_SHARE:
            given.append(t)
    given.sort(key=bkey)
    with open(os.path.join(outdir, "given_names.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# Given names derived from CoNLL-2003 eng.train (Reuters 1996-97) by data/build/lexicon.py.\n")
        f.write("# Rule: the token is the first token of a multi-token PER entity at least %d times,\n" % MIN_GIVEN_FIRST)
        f.write("# at least %d%% of its occurrences are inside PER entities, it starts with an uppercase\n" % int(MIN_GIVEN_SHARE * 100))
        f.write("# letter, contains a lowercase letter and has only letters, hyphens and apostrophes.\n")
        for t in given:
            f.write(t + "\n")

    # lowercase.tsv
    lows = sorted((t for t in total if t[:1].islower() and total[t] >= MIN_LOWER), key=bkey)
    with open(os.path.join(outdir, "lowercase.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("word\tcount\n")
        for t in lows:
            f.write("%s\t%d\n" % (t, total[t]))

    print("read %d sentences, %d tokens, %d distinct" % (n_sent, n_tok, len(total)))
    for name, rows in (("tokens.tsv", len(caps)), ("given_names.txt", len(given)), ("lowercase.tsv", len(lows))):
        p = os.path.join(outdir, name)
        print("%-16s %6d rows %9d bytes" % (name, rows, os.path.getsize(p)))


if __name__ == "__main__":
    main()
