#!/usr/bin/env python3
"""How far the tagger's confidence can be trusted: precision of its mentions by score band.

    python3 ../shared/tools/conll_docs.py ../shared/data/conll2003/eng.testa /tmp/testa
    ./target/release/dossier annotate /tmp/testa/*.txt > /tmp/testa.jsonl
    python3 benches/confidence.py ../shared/data/conll2003/eng.testa /tmp/testa.jsonl ../shared/tools

A development tool: it reads the shared gold data and scorer, which Dossier itself never does.
"""
import json
import re
import sys

gold_file, pred_file, tools = sys.argv[1:4]
sys.path.insert(0, tools)
from conll_docs import doc_text, read_docs  # noqa: E402
from ner_eval import gold_entities  # noqa: E402

NAMES = {"PER": "person", "LOC": "location", "ORG": "organisation", "MISC": "misc"}
gold = {}
for n, doc in enumerate(read_docs(gold_file)):
    _, spans = doc_text(doc)
    gold[n] = {(spans[a][0], spans[b][1], NAMES[t]) for a, b, t in gold_entities(doc)}

bands = {}
for line in open(pred_file, encoding="utf-8"):
    d = json.loads(line)
    n = int(re.findall(r"\d+", d["source"])[-1])
    for m in d["mentions"]:
        if m["rule"] != "tagger" or m["type"] == "misc":
            continue
        band = "under 0.5" if m["score"] < 0.5 else "0.5-0.9" if m["score"] < 0.9 else "0.9 and over"
        right = (m["start"], m["end"], m["type"]) in gold[n]
        bands.setdefault(band, [0, 0])
        bands[band][0] += right
        bands[band][1] += 1
for band in ("under 0.5", "0.5-0.9", "0.9 and over"):
    right, total = bands.get(band, [0, 0])
    print(f"score {band:>12}: {total:5d} tagger mentions, precision {right / max(total, 1):.2f}")
