"""Natural Earth 1:110m outlines (world-atlas countries-110m.json) to SVG path data.

Usage: python3 data/world/build.py PATH/TO/countries-110m.json

Writes land.svgpath (the land, filled) and borders.svgpath (land borders between countries,
each drawn once) beside this script. Standard library only; the same input gives the same bytes.

Projection: equirectangular on a 1000 x 500 box, x = (lon + 180) / 360 * 1000,
y = (90 - lat) / 180 * 500; coordinates are rounded to 0.1 (0.036 degrees), well below
what 1:110m data resolves.

Format, chosen so that the Rust side can both use a file verbatim as a path `d` attribute and
read its points back (to crop the small place maps) without an SVG parser: one ring or line
per text line, "M x y x y ..." (pairs after M are implicit line-tos), rings end with "Z".
"""

import json
import os
import sys

W, H = 1000, 500


def decode_arcs(topo):
    """TopoJSON arcs are quantized and delta-encoded; return them as (lon, lat) lists."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def project(lon, lat):
    return (lon + 180) / 360 * W, (90 - lat) / 180 * H


def fmt(v):
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def unwrap(points):
    """Longitudes made continuous, so that a ring crossing the antimeridian (Fiji, Chukotka)
    runs past 180 instead of jumping across the whole map."""
    out = [points[0]]
    for lon, lat in points[1:]:
        lon += 360 * round((out[-1][0] - lon) / 360)
        out.append((lon, lat))
    return out


def clip_x(ring, lo, hi):
    """Sutherland-Hodgman against lo <= x <= hi (a closed ring stays closed)."""
    for bound, side in ((lo, 1), (hi, -1)):
        out = []
        for a, b in zip(ring[-1:] + ring[:-1], ring):
            a_in, b_in = (a[0] - bound) * side >= 0, (b[0] - bound) * side >= 0
            if a_in != b_in:
                t = (bound - a[0]) / (b[0] - a[0])
                out.append((bound, a[1] + t * (b[1] - a[1])))
            if b_in:
                out.append(b)
        ring = out
    return ring


def land_rings(points):
    """A ring in projected coordinates, cut at the map's left and right edges; what lies past an
    edge comes back in on the other side."""
    ring = [project(*p) for p in unwrap(points)]
    return [r for shift in (0, -W, W) for r in [clip_x([(x + shift, y) for x, y in ring], 0, W)] if r]


def line(points, closed):
    """Rounded points without consecutive repeats; None when nothing visible is left."""
    out = []
    for x, y in points:
        p = (round(x, 1), round(y, 1))
        if not out or p != out[-1]:
            out.append(p)
    if closed and len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if len(out) < (3 if closed else 2):
        return None
    return "M" + " ".join(f"{fmt(x)} {fmt(y)}" for x, y in out) + ("Z" if closed else "")


def ring_points(arcs, indices):
    """A ring is a chain of arcs; ~i means arc i reversed, and each arc repeats the last point."""
    pts = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(arc if not pts else arc[1:])
    return pts


def polygons(geom):
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return geom["arcs"]
    return []


def main(src):
    with open(src, encoding="utf-8") as f:
        topo = json.load(f)
    arcs = decode_arcs(topo)
    here = os.path.dirname(os.path.abspath(__file__))

    land = []
    for geom in topo["objects"]["land"]["geometries"]:
        for poly in polygons(geom):
            for ring in poly:
                for piece in land_rings(ring_points(arcs, ring)):
                    d = line(piece, closed=True)
                    if d:
                        land.append(d)

    # An arc used by two different countries is a land border (topojson.mesh with a !== b).
    users = {}
    for n, geom in enumerate(topo["objects"]["countries"]["geometries"]):
        for poly in polygons(geom):
            for ring in poly:
                for i in ring:
                    users.setdefault(i if i >= 0 else ~i, set()).add(n)
    # No 1:110m land border crosses the antimeridian, so borders need no cutting.
    borders = [line([project(*p) for p in arcs[i]], closed=False) for i in sorted(users) if len(users[i]) > 1]
    borders = [d for d in borders if d]

    for name, rows in (("land.svgpath", land), ("borders.svgpath", borders)):
        with open(os.path.join(here, name), "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(rows) + "\n")
        print(f"{name}: {len(rows)} lines, {sum(len(r) + 1 for r in rows)} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
