#!/usr/bin/env python3
"""How big the search index gets: builds a synthetic archive of N articles and prints the
bytes of search/ per part and per article.

    cargo build --release && python3 benches/search_size.py 20000 [--keep DIR]

The articles are the seed paragraphs, shuffled and mixed, with about 15% of the words
replaced by pseudo-words drawn with Zipf-like frequencies, so that the vocabulary keeps
growing with the archive as a real one's does. The input and the site are written to a
temporary folder and removed afterwards (kept in DIR with --keep).
"""
import glob
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYLLABLES = "ba ka ra mo ti su len dor vi za qu sha el an ost ry mi gra no pe lu tor ha fi".split()
VOCABULARY = 300_000


def pseudo(rank):
    r = random.Random(rank)
    return "".join(r.choice(SYLLABLES) for _ in range(2 + rank % 3)) + (str(rank % 7) if rank % 5 == 0 else "")


def generate(n, out):
    random.seed(7)
    paras, titles = [], []
    for f in sorted(glob.glob(os.path.join(ROOT, "seeds", "*.txt"))):
        lines = [l.strip() for l in open(f, encoding="utf-8") if l.strip()]
        titles.append(lines[1] if lines[0] == "All news" else lines[0])
        paras += [l for l in lines if len(l.split()) > 12]

    def word():
        # log-uniform ranks: frequency about 1/rank, as Zipf's law has it
        w = pseudo(int(VOCABULARY ** random.random()))
        return w.capitalize() if random.random() < 0.3 else w

    def vary(text):
        return " ".join(word() if random.random() < 0.15 and re.match(r"^[a-z]+[,.]?$", w) else w for w in text.split(" "))

    for i in range(n):
        body = [vary(random.choice(paras)) for _ in range(random.randint(5, 10))]
        with open(os.path.join(out, f"{i:06d}.txt"), "w", encoding="utf-8") as fh:
            fh.write(vary(random.choice(titles)) + " " + word().capitalize() + "\n\n" + "\n\n".join(body) + "\n")
        with open(os.path.join(out, f"{i:06d}.toml"), "w") as fh:
            fh.write(f'published = "{random.randint(2010, 2020)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"\n')


def size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    n = int(sys.argv[1])
    keep = sys.argv[sys.argv.index("--keep") + 1] if "--keep" in sys.argv else None
    work = keep or tempfile.mkdtemp(prefix="dossier-search-size-")
    inp, site = os.path.join(work, "in"), os.path.join(work, "site")
    os.makedirs(inp, exist_ok=True)
    generate(n, inp)
    text = sum(size(p) for p in glob.glob(os.path.join(inp, "*.txt")))
    start = time.time()
    subprocess.run([os.path.join(ROOT, "target", "release", "dossier"), "build", "--quiet", "--input", inp, "--output", site], check=True)
    took = time.time() - start
    s = os.path.join(site, "search")
    shards = [size(p) for p in glob.glob(os.path.join(s, "t", "*.js"))]
    parts = {"postings (t/)": size(os.path.join(s, "t")), "text (d/)": size(os.path.join(s, "d")),
             "facets.js": size(os.path.join(s, "facets.js")), "manifest.js": size(os.path.join(s, "manifest.js"))}
    total = size(s)
    print(f"{n} articles, {text / n:.0f} bytes of text each; build {took:.0f} s; whole site {size(site) / 1e6:.0f} MB")
    for k, v in parts.items():
        print(f"  {k:14} {v / 1e6:9.1f} MB  {v / n:7.0f} bytes/article")
    print(f"  {'search/':14} {total / 1e6:9.1f} MB  {total / n:7.0f} bytes/article")
    print(f"  {len(shards)} term shards, mean {sum(shards) / len(shards) / 1e3:.0f} kB, largest {max(shards) / 1e3:.0f} kB")
    if not keep:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
