//! The world map: plain data for `map.html` (every place with coordinates, as a dot sized by its
//! articles) and for the small map on a place's page. The outlines are Natural Earth 1:110m,
//! converted once by `data/world/build.py` into SVG path data on a 1000 x 500 equirectangular
//! box; the templates draw them.

use serde::Serialize;
use std::borrow::Cow;
use std::sync::OnceLock;

use super::article::{entity_summary, place_label, EntitySummary};
use crate::model::{Entity, EntityKind};

const LAND: &str = include_str!("../../data/world/land.svgpath");
const BORDERS: &str = include_str!("../../data/world/borders.svgpath");
const W: f64 = 1000.0;
const H: f64 = 500.0;
/// The world map stops at 61°S: Antarctica would take a sixth of the height and rarely has a
/// dot. A place further south brings the full height back.
const WORLD_BOTTOM: f64 = 420.0;
/// Dot radii in map units (a unit is about a pixel on a wide screen).
const R_MIN: f64 = 3.0;
const R_MAX: f64 = 14.0;

/// A point in map units.
type Pt = [f64; 2];

#[derive(Serialize)]
pub struct Dot {
    pub entity: EntitySummary,
    /// "Alexandria, Virginia, United States" (`article::place_label`).
    pub label: String,
    /// Why the place is here (`Place::why`), or null.
    pub why: Option<String>,
    pub x: String,
    pub y: String,
    pub r: String,
}

/// One map: its view box in map units, the outlines (the whole world, or cropped to the view
/// box) and its dots, most articles first so that smaller dots are drawn over larger ones.
#[derive(Serialize)]
pub struct MapView {
    pub viewbox: String,
    pub land: Cow<'static, str>,
    pub borders: Cow<'static, str>,
    pub dots: Vec<Dot>,
}

fn project(lat: f64, lon: f64) -> Pt {
    [(lon + 180.0) / 360.0 * W, (90.0 - lat) / 180.0 * H]
}

fn coords(e: &Entity) -> Option<Pt> {
    let p = e.place.as_ref()?;
    Some(project(p.lat?, p.lon?))
}

/// Fixed precision, so the same archive gives the same bytes; a tenth of a unit is below a pixel.
fn num(v: f64) -> String {
    let mut s = String::new();
    push_num(&mut s, v);
    s
}

/// Appends [`num`]'s form of `v`: the place pages write thousands of coordinates each, and a
/// string per number was most of their map's time.
fn push_num(out: &mut String, v: f64) {
    use std::fmt::Write as _;
    // Tenths as an integer, unless `v` lies so near the middle between two tenths that the
    // product's rounding could differ from the exact decimal rounding `{:.1}` does: then, and
    // for values too large for the integer, the formatter decides (same output either way).
    let tenths = v * 10.0;
    let r = tenths.round();
    if (tenths - tenths.trunc()).abs().mul_add(-1.0, 0.5).abs() < 1e-6 || r.abs() >= 1e15 || !r.is_finite() {
        let start = out.len();
        let _ = write!(out, "{v:.1}");
        if out[start..].ends_with(".0") {
            out.truncate(out.len() - 2);
            if &out[start..] == "-0" {
                out.truncate(start);
                out.push('0');
            }
        }
        return;
    }
    let t = r as i64;
    if t < 0 {
        out.push('-');
    }
    let a = t.unsigned_abs();
    let _ = write!(out, "{}", a / 10);
    if a % 10 != 0 {
        let _ = write!(out, ".{}", a % 10);
    }
}

/// A location the map cannot show: its summary, where it is as far as known, and why it has
/// no point.
#[derive(Serialize)]
pub struct Unplaced {
    #[serde(flatten)]
    pub entity: EntitySummary,
    pub label: String,
    pub why: Option<String>,
    /// How many places of that name the resolver weighed.
    pub candidates: usize,
}

fn unplaced(e: &Entity) -> Unplaced {
    let p = e.place.as_ref();
    Unplaced {
        entity: entity_summary(e),
        label: place_label(e).unwrap_or_else(|| e.name.clone()),
        why: p.and_then(|p| p.why.clone()),
        candidates: p.map_or(0, |p| p.alternatives.len()),
    }
}

/// The context of `map.html`: the world map, a closer look where dots crowd, and the places
/// that cannot be shown.
pub fn map_context(entities: &[Entity]) -> super::PageData {
    let mut places: Vec<&Entity> = entities.iter().filter(|e| e.kind == EntityKind::Location && !e.articles.is_empty()).collect();
    places.sort_by(|a, b| b.articles.len().cmp(&a.articles.len()).then(a.name.cmp(&b.name)).then(a.id.cmp(&b.id)));
    let (placed, unplaced): (Vec<&Entity>, Vec<&Entity>) = places.into_iter().partition(|e| coords(e).is_some());
    let max = placed.first().map_or(1, |e| e.articles.len()) as f64;
    // Area, not radius, follows the count; the floor keeps one-article places visible.
    let dots: Vec<(&Entity, Pt, f64)> = placed.iter().map(|e| (*e, coords(e).unwrap(), (R_MAX * (e.articles.len() as f64 / max).sqrt()).clamp(R_MIN, R_MAX))).collect();
    let bottom = if dots.iter().any(|(_, p, r)| p[1] + r > WORLD_BOTTOM) { H } else { WORLD_BOTTOM };
    let world = MapView {
        viewbox: format!("0 0 {} {}", num(W), num(bottom)),
        land: Cow::Borrowed(LAND),
        borders: Cow::Borrowed(BORDERS),
        dots: dots.iter().map(|(e, p, r)| dot(e, *p, *r)).collect(),
    };
    let detail = crowd(&dots.iter().map(|d| d.1).collect::<Vec<_>>()).map(|[x0, y0, w, h]| {
        let inside = dots.iter().filter(|(_, p, _)| p[0] >= x0 && p[0] <= x0 + w && p[1] >= y0 && p[1] <= y0 + h);
        // Drawn as wide as the world map, so radii shrink by the zoom to keep their size on screen.
        cropped([x0, y0, w, h], inside.map(|(e, p, r)| dot(e, *p, r * w / W)).collect())
    });
    let mut ctx = super::PageData::new();
    ctx.insert("world", &world);
    ctx.insert("detail", &detail);
    ctx.insert("unplaced", &unplaced.iter().map(|e| self::unplaced(e)).collect::<Vec<_>>());
    ctx
}

/// A small map around one place, or None when it has no coordinates.
pub fn place_map(e: &Entity) -> Option<MapView> {
    let p = coords(e)?;
    // Window width in map units (0.36° each): a country needs more room around it than a city.
    let w = match e.place.as_ref()?.feature {
        "continent" => W,
        "country" | "region" => 160.0,
        _ => 80.0,
    };
    let h = w / 2.0;
    let window = [(p[0] - w / 2.0).clamp(0.0, W - w), (p[1] - h / 2.0).clamp(0.0, H - h), w, h];
    Some(cropped(window, vec![dot(e, p, w / 45.0)]))
}

fn dot(e: &Entity, p: Pt, r: f64) -> Dot {
    Dot {
        entity: entity_summary(e),
        label: place_label(e).unwrap_or_else(|| e.name.clone()),
        why: e.place.as_ref().and_then(|p| p.why.clone()),
        x: num(p[0]),
        y: num(p[1]),
        r: num(r),
    }
}

/// Where the dots crowd most: the box of the dots in the best window of `CROWD` units around
/// one of them, padded and widened to the world map's 2:1. None when no window holds three dots
/// or the crowd already fills a third of the world map's width.
fn crowd(points: &[Pt]) -> Option<[f64; 4]> {
    const CROWD: f64 = 160.0;
    let within = |p: &Pt, c: Pt| (p[0] - c[0]).abs() <= CROWD / 2.0 && (p[1] - c[1]).abs() <= CROWD / 4.0;
    let near = |c: Pt| points.iter().filter(move |p| within(p, c));
    // Each point's neighbours are counted among the points of nearly its longitude only (a
    // slice of them sorted by x, a little wider than the window, then the exact test): counted
    // against every point, the map of a 10,000-article archive spent 10 ms here.
    let mut by_x: Vec<Pt> = points.to_vec();
    by_x.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let count = |c: Pt| {
        let from = by_x.partition_point(|p| p[0] < c[0] - CROWD / 2.0 - 1.0);
        let to = by_x.partition_point(|p| p[0] <= c[0] + CROWD / 2.0 + 1.0);
        by_x[from..to].iter().filter(|p| within(p, c)).count()
    };
    // The first point with the most neighbours.
    let mut centre: Option<(Pt, usize)> = None;
    for &c in points {
        let n = count(c);
        if centre.is_none_or(|(_, best)| n > best) {
            centre = Some((c, n));
        }
    }
    let (centre, _) = centre?;
    if near(centre).count() < 3 {
        return None;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (W, H, 0.0_f64, 0.0_f64);
    for p in near(centre) {
        (x0, y0, x1, y1) = (x0.min(p[0]), y0.min(p[1]), x1.max(p[0]), y1.max(p[1]));
    }
    let pad = 12.0;
    let w = (x1 - x0 + 2.0 * pad).max(2.0 * (y1 - y0 + 2.0 * pad)).max(60.0);
    if w > W / 3.0 {
        return None;
    }
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    Some([(cx - w / 2.0).clamp(0.0, W - w), (cy - w / 4.0).clamp(0.0, H - w / 2.0), w, w / 2.0])
}

/// A view of the window [x, y, w, h] that carries only the outlines near it, so that a place
/// page holds a few kilobytes of map rather than the whole world.
fn cropped(window: [f64; 4], dots: Vec<Dot>) -> MapView {
    let [x, y, w, h] = window;
    // Cut a little outside the view, so the edges the cut adds along the window stay unseen.
    let m = w / 50.0;
    let cut = [x - m, y - m, x + w + m, y + h + m];
    let (land_rings, border_lines) = outlines();
    let mut land = String::new();
    for ring in land_rings.iter().filter(|o| o.meets(cut)).map(|o| clip_ring(o.pts.clone(), cut)).filter(|r| r.len() > 2) {
        push_path(&mut land, &ring, true);
    }
    let mut borders = String::new();
    for line in border_lines.iter().filter(|o| o.meets(cut)).flat_map(|o| clip_line(&o.pts, cut)) {
        push_path(&mut borders, &line, false);
    }
    MapView { viewbox: format!("{} {} {} {}", num(x), num(y), num(w), num(h)), land: land.into(), borders: borders.into(), dots }
}

/// A land ring or border line with its bounding box [x0, y0, x1, y1].
struct Outline {
    pts: Vec<Pt>,
    bbox: [f64; 4],
}

impl Outline {
    fn new(pts: Vec<Pt>) -> Outline {
        let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for p in &pts {
            bbox = [bbox[0].min(p[0]), bbox[1].min(p[1]), bbox[2].max(p[0]), bbox[3].max(p[1])];
        }
        Outline { pts, bbox }
    }

    /// Whether the box meets the window [x0, y0, x1, y1] (edges included, as `clip_line`
    /// counts them). An outline wholly outside clips to nothing, so a place page skips most of
    /// the world's outlines without clipping them: that was 4% of a 1,000-article build.
    fn meets(&self, w: [f64; 4]) -> bool {
        self.bbox[2] >= w[0] && self.bbox[0] <= w[2] && self.bbox[3] >= w[1] && self.bbox[1] <= w[3]
    }
}

/// The outlines, read once for all the place pages of a build.
fn outlines() -> &'static (Vec<Outline>, Vec<Outline>) {
    static OUTLINES: OnceLock<(Vec<Outline>, Vec<Outline>)> = OnceLock::new();
    OUTLINES.get_or_init(|| (lines(LAND).map(Outline::new).collect(), lines(BORDERS).map(Outline::new).collect()))
}

/// Reads back the points of the outline files: one "M x y x y ... [Z]" per line.
fn lines(data: &'static str) -> impl Iterator<Item = Vec<Pt>> {
    data.lines().map(|l| {
        let n: Vec<f64> = l.trim_matches(['M', 'Z']).split(' ').map(|v| v.parse().expect("data/world outlines are numbers")).collect();
        n.chunks_exact(2).map(|c| [c[0], c[1]]).collect()
    })
}

/// Appends an SVG path: "M" and the points as "x y" separated by spaces, "Z" if closed.
fn push_path(out: &mut String, pts: &[Pt], closed: bool) {
    out.push('M');
    for (i, p) in pts.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        push_num(out, p[0]);
        out.push(' ');
        push_num(out, p[1]);
    }
    if closed {
        out.push('Z');
    }
}

/// Sutherland–Hodgman against the window [x0, y0, x1, y1]. A ring that leaves the window and
/// comes back is joined along the window's edge, which adds no area to the fill.
fn clip_ring(mut ring: Vec<Pt>, window: [f64; 4]) -> Vec<Pt> {
    for (axis, bound, side) in [(0, window[0], 1.0), (1, window[1], 1.0), (0, window[2], -1.0), (1, window[3], -1.0)] {
        let inside = |p: Pt| (p[axis] - bound) * side >= 0.0;
        let mut out = Vec::with_capacity(ring.len());
        for (i, &b) in ring.iter().enumerate() {
            let a = ring[(i + ring.len() - 1) % ring.len()];
            if inside(a) != inside(b) {
                let t = (bound - a[axis]) / (b[axis] - a[axis]);
                out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
            }
            if inside(b) {
                out.push(b);
            }
        }
        ring = out;
    }
    ring
}

/// The runs of a border line whose segments may cross the window; the SVG viewport hides the
/// ends that stick out.
fn clip_line(line: &[Pt], window: [f64; 4]) -> Vec<Vec<Pt>> {
    let near = |a: Pt, b: Pt| a[0].max(b[0]) >= window[0] && a[0].min(b[0]) <= window[2] && a[1].max(b[1]) >= window[1] && a[1].min(b[1]) <= window[3];
    let mut runs: Vec<Vec<Pt>> = Vec::new();
    let mut open = false;
    for s in line.windows(2) {
        if !near(s[0], s[1]) {
            open = false;
        } else if open {
            runs.last_mut().unwrap().push(s[1]);
        } else {
            runs.push(vec![s[0], s[1]]);
            open = true;
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_the_formatter_rounds_them() {
        let reference = |v: f64| {
            let s = format!("{v:.1}");
            let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
            if s == "-0" { "0".to_string() } else { s }
        };
        let mut values = vec![0.0, -0.0, 0.04, -0.04, 0.05, -0.05, 0.25, 0.35, 1.05, -2.45, 0.95, 9.95, 359.95, -179.99, 1e16, f64::NAN];
        // A spread of map coordinates, with many near the middle between two tenths.
        let mut x: u64 = 12345;
        for _ in 0..20_000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let v = (x >> 11) as f64 / (1u64 << 53) as f64 * 800.0 - 400.0;
            values.extend([v, (v * 100.0).round() / 100.0, (v * 20.0).round() / 20.0]);
        }
        for v in values {
            let mut out = String::new();
            push_num(&mut out, v);
            assert_eq!(out, reference(v), "{v:e}");
        }
    }

    #[test]
    fn outlines_parse() {
        assert!(lines(LAND).all(|r| r.len() >= 3));
        assert!(lines(BORDERS).all(|l| l.len() >= 2));
    }

    #[test]
    fn clipping_keeps_what_is_inside() {
        let square = vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        assert_eq!(clip_ring(square.clone(), [-1.0, -1.0, 20.0, 20.0]), square);
        assert_eq!(clip_ring(square.clone(), [5.0, 5.0, 20.0, 20.0]), vec![[5.0, 5.0], [10.0, 5.0], [10.0, 10.0], [5.0, 10.0]]);
        assert!(clip_ring(square, [11.0, 11.0, 20.0, 20.0]).is_empty());
        let line = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [20.0, 10.0], [30.0, 10.0]];
        assert_eq!(clip_line(&line, [9.0, 5.0, 12.0, 20.0]), vec![vec![[10.0, 0.0], [10.0, 10.0], [20.0, 10.0]]]);
    }

    #[test]
    fn numbers_have_fixed_precision() {
        assert_eq!((num(12.0), num(12.349), num(-0.01), num(999.96)), ("12".into(), "12.3".into(), "0".into(), "1000".into()));
    }
}
