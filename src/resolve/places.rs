//! Geocoding: which place each location name of an article denotes.
//!
//! A reader places "Paris" by what surrounds it: "Paris, Texas" says it outright, a dateline
//! says where the story is, the other places of the article say which country or state it is
//! about, and without any of that the best-known place of the name is meant. Each candidate
//! place of a name gets a score in "log10 of population" units: a prior from what it is (a
//! country, a state, a city of so many people), plus what the article (and, weakly, the
//! archive) says for it. The best candidate wins, one sense per name in an article; every
//! decision keeps a sentence saying why, shown to the reader. A name only small places bear,
//! with nothing in the article pointing to one of them, gets no point at all: a dot on the
//! wrong continent is worse than none.

use rustc_hash::FxHashMap;

use crate::lexicon::gazetteer::{Feature, Gazetteer};
use crate::lexicon::Lexicon;
use crate::text::Span;

/// One location mention to place: its span and the name it stands for.
pub struct Input<'a> {
    pub span: Span,
    /// The name it stands for (an acronym's expansion, else the text).
    pub name: &'a str,
    pub surface: &'a str,
    /// The annotator's confidence that this is a place at all.
    pub score: f32,
}

/// What an article's name was placed at, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The gazetteer place, or None when the evidence was too weak for a point.
    pub place: Option<u32>,
    /// The winning candidate's lead over the next one (log10-population units); None when
    /// nothing was weighed (one candidate, a "Place, State" pattern).
    pub margin: Option<f32>,
    pub why: String,
    /// The other candidates, best first (at most `ALTERNATIVES`), for a reviewer to choose from.
    pub alternatives: Vec<u32>,
}

const ALTERNATIVES: usize = 5;

/// The archive's centre of gravity: the share of its articles' country evidence per country.
#[derive(Debug, Default)]
pub struct Prior {
    shares: FxHashMap<String, f32>,
}

impl Prior {
    /// From the countries each article names (`countries_named`), all articles' in a row.
    pub fn new<'s>(countries: impl Iterator<Item = &'s str>) -> Prior {
        let mut counts: FxHashMap<String, f32> = FxHashMap::default();
        let mut total = 0.0;
        for c in countries {
            *counts.entry(c.to_string()).or_default() += 1.0;
            total += 1.0;
        }
        for v in counts.values_mut() {
            *v /= total;
        }
        Prior { shares: counts }
    }

    /// Bytes that differ whenever a share does: an article resolved under one prior is
    /// reused only under the same (`super::Memo`).
    pub fn fingerprint(&self) -> Vec<u8> {
        let mut shares: Vec<(&String, &f32)> = self.shares.iter().collect();
        shares.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut out = Vec::with_capacity(shares.len() * 8);
        for (country, share) in shares {
            out.extend_from_slice(country.as_bytes());
            out.push(0);
            out.extend_from_slice(&share.to_le_bytes());
        }
        out
    }

    fn share(&self, country: &str) -> f32 {
        self.shares.get(country).copied().unwrap_or(0.0)
    }
}

/// The countries an article's location names certainly lie in, each once.
pub fn countries_named<'g, 'a>(names: impl Iterator<Item = &'a str>, gaz: &'g Gazetteer) -> Vec<&'g str> {
    let mut seen: Vec<&str> = Vec::new();
    for name in names {
        if let Some(c) = sure_country(&gaz.candidates(name), gaz) {
            if !seen.contains(&c) {
                seen.push(c);
            }
        }
    }
    seen
}

/// The country a name certainly lies in: every candidate a country or division of one country.
fn sure_country<'g>(cands: &[u32], gaz: &'g Gazetteer) -> Option<&'g str> {
    let first = gaz.place(*cands.first()?);
    let c = first.country.as_deref()?;
    cands
        .iter()
        .all(|&id| {
            let p = gaz.place(id);
            matches!(p.feature, Feature::Country | Feature::Subdivision) && p.country.as_deref() == Some(c)
        })
        .then_some(c)
}

/// A name of the article, all its mentions together.
struct Name<'a> {
    text: &'a str,
    cands: Vec<u32>,
    spans: Vec<Span>,
    /// Decided by strong evidence (a "Place, State" pattern, the only candidate).
    fixed: Option<(u32, String)>,
    in_dateline: bool,
    score: f32,
}

const ONLY: &str = "the only place of that name";

/// Evidence the article gives: where it is, as decided so far.
#[derive(Default)]
struct Context {
    /// (country, position of the mention, name index).
    countries: Vec<(String, usize, usize)>,
    /// (division place, position, name index).
    divisions: Vec<(u32, usize, usize)>,
    /// Points of places decided, with the name index they came from.
    points: Vec<(f64, f64, usize)>,
    dateline_country: Option<String>,
    dateline_division: Option<u32>,
}

/// Places the location names of one article. Returns a decision per distinct name and, for
/// each input, the index of its decision.
///
/// `surnames` are the last words of the people the article names: "Morales" after "David
/// Morales" is him, not a town.
pub fn place_article(text: &str, dateline: Option<Span>, input: &[Input], surnames: &[&str], prior: &Prior, gaz: &Gazetteer) -> (Vec<Decision>, Vec<usize>) {
    let mut names: Vec<Name> = Vec::new();
    let mut by_name: FxHashMap<String, usize> = FxHashMap::default();
    let mut of_input = Vec::with_capacity(input.len());
    for m in input {
        let key = m.name.trim().to_lowercase();
        let i = *by_name.entry(key).or_insert_with(|| {
            names.push(Name { text: m.name, cands: candidates(m, gaz), spans: Vec::new(), fixed: None, in_dateline: false, score: 0.0 });
            names.len() - 1
        });
        names[i].spans.push(m.span);
        names[i].score = names[i].score.max(m.score);
        names[i].in_dateline |= dateline.is_some_and(|d| d.contains(m.span));
        of_input.push(i);
    }
    fix_by_pattern(text, input, &of_input, &mut names, gaz);
    for n in &mut names {
        if n.fixed.is_none() && n.cands.len() == 1 {
            n.fixed = Some((n.cands[0], ONLY.into()));
        }
    }

    // Datelines first: the place a story was filed from frames the rest of it.
    let mut ctx = context(&names, &[], gaz);
    let mut chosen: Vec<Option<(u32, Option<f32>, String)>> = vec![None; names.len()];
    for (i, n) in names.iter().enumerate().filter(|(_, n)| n.in_dateline && !n.cands.is_empty()) {
        chosen[i] = Some(match &n.fixed {
            Some((id, why)) => (*id, None, why.clone()),
            None => choose(n, i, &ctx, prior, gaz),
        });
        let (id, _, _) = chosen[i].as_ref().expect("just set");
        let p = gaz.place(*id);
        ctx.dateline_country = p.country.clone();
        ctx.dateline_division = gaz.division_of(*id);
    }
    // Then every other name twice: the second time with the points the first time found.
    for _ in 0..2 {
        let decided: Vec<(usize, u32)> = chosen.iter().enumerate().filter_map(|(i, c)| Some((i, c.as_ref()?.0))).collect();
        let (dc, dd) = (ctx.dateline_country.take(), ctx.dateline_division.take());
        ctx = context(&names, &decided, gaz);
        ctx.dateline_country = dc;
        ctx.dateline_division = dd;
        let next: Vec<Option<(u32, Option<f32>, String)>> = names
            .iter()
            .enumerate()
            .map(|(i, n)| match (&n.fixed, n.in_dateline) {
                (_, true) => chosen[i].clone(),
                (Some((id, why)), _) => Some((*id, None, why.clone())),
                (None, _) if n.cands.is_empty() => None,
                (None, _) => Some(choose(n, i, &ctx, prior, gaz)),
            })
            .collect();
        chosen = next;
    }

    let decisions = names
        .iter()
        .zip(chosen)
        .enumerate()
        .map(|(i, (n, c))| {
            let Some((id, margin, why)) = c else {
                return Decision { place: None, margin: None, why: "no place of that name in the gazetteer".into(), alternatives: Vec::new() };
            };
            let mut alternatives: Vec<u32> = n.cands.iter().copied().filter(|&c| c != id).collect();
            alternatives.sort_by(|a, b| prior_of(*b, gaz).total_cmp(&prior_of(*a, gaz)).then(a.cmp(b)));
            alternatives.truncate(ALTERNATIVES);
            let surname = !n.text.trim().contains(char::is_whitespace) && surnames.contains(&n.text.trim());
            let weak = if surname { Some("also the surname of a person this article names".to_string()) } else { weak(n, i, id, &ctx, prior, gaz) };
            match weak {
                Some(reason) => Decision { place: None, margin, why: reason, alternatives: std::iter::once(id).chain(alternatives).take(ALTERNATIVES).collect() },
                None => Decision { place: Some(id), margin, why, alternatives },
            }
        })
        .collect();
    (decisions, of_input)
}

/// The places a mention can denote: by its text when that is a place name ("DRC" is the
/// Democratic Republic of the Congo even where an acronym rule took it for "Congo"), else by
/// the name it stands for, else by that name without "the" ("Democratic Republic of Congo").
fn candidates(m: &Input, gaz: &Gazetteer) -> Vec<u32> {
    let without: String = m.name.split_whitespace().filter(|w| !w.eq_ignore_ascii_case("the")).collect::<Vec<_>>().join(" ");
    for name in [m.surface, m.name, without.as_str()] {
        let found = gaz.candidates(name);
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// "Alexandria, Virginia", "Gainesville, Fla.", "Perth, WA", "Paris, France": a name followed
/// by a comma and a division or country that contains one of its candidates is that one, and
/// the division is the one that contains it.
fn fix_by_pattern(text: &str, input: &[Input], of_input: &[usize], names: &mut [Name], gaz: &Gazetteer) {
    for (k, m) in input.iter().enumerate() {
        let rest = &text[m.span.end()..];
        let Some(after) = rest.strip_prefix(',') else { continue };
        let gap = after.len() - after.trim_start_matches([' ', '\u{a0}']).len();
        if gap > 2 {
            continue;
        }
        let at = m.span.end() + 1 + gap;
        // The next mention when it starts right there, else the word (with its dots) there.
        let next = input.get(k + 1).filter(|n| n.span.start() == at);
        let (outer_name, outer_cands): (String, Vec<u32>) = match next {
            Some(n) => (n.name.to_string(), gaz.candidates(n.name).into_iter().chain(gaz.after_comma(n.name).iter().copied()).collect()),
            None => {
                let word = abbreviation_at(&text[at..]);
                if word.is_empty() {
                    continue;
                }
                (word.to_string(), gaz.after_comma(word).to_vec())
            }
        };
        let outers: Vec<u32> = outer_cands.into_iter().filter(|&o| matches!(gaz.place(o).feature, Feature::Country | Feature::Subdivision)).collect();
        let me = of_input[k];
        // "China, Japan and Korea" is a list, not a town called China in Japan.
        if names[me].cands.iter().any(|&c| matches!(gaz.place(c).feature, Feature::Country | Feature::Continent | Feature::Region)) {
            continue;
        }
        let mut best: Option<(u32, u32)> = None;
        for &c in &names[me].cands {
            if let Some(&o) = outers.iter().find(|&&o| inside(c, o, gaz)) {
                if best.is_none_or(|(b, _)| prior_of(c, gaz) > prior_of(b, gaz)) {
                    best = Some((c, o));
                }
            }
        }
        let Some((c, o)) = best else { continue };
        let outer_label = gaz.place(o).name.clone();
        names[me].fixed = Some((c, format!("named with {outer_label} (“{}, {outer_name}”)", m.name)));
        if let Some(n) = next {
            let oi = of_input[k + 1];
            if names[oi].fixed.is_none() && names[oi].cands.contains(&o) {
                names[oi].fixed = Some((o, format!("“{}, {}” names this {}", m.name, n.name, what(o, gaz))));
            }
        }
    }
}

/// The abbreviation at the start of `s`: letters and dots, with one inner space ("W. Va.").
fn abbreviation_at(s: &str) -> &str {
    let word_end = |s: &str| s.find(|c: char| !(c.is_alphabetic() || c == '.')).unwrap_or(s.len());
    let first = word_end(s);
    if s[..first].ends_with('.') && s[first..].starts_with(' ') {
        let more = word_end(&s[first + 1..]);
        if more > 0 && s[first + 1..first + 1 + more].ends_with('.') && s[first + 1..].chars().next().is_some_and(char::is_uppercase) {
            return &s[..first + 1 + more];
        }
    }
    // A sentence's full stop is not part of a postal code ("Paris, TX.").
    let w = &s[..first];
    if w.len() > 1 && w.ends_with('.') && !w[..w.len() - 1].contains('.') && w[..w.len() - 1].chars().all(|c| c.is_ascii_uppercase()) {
        return &w[..w.len() - 1];
    }
    w
}

/// Whether place `c` lies in country or division `o`.
fn inside(c: u32, o: u32, gaz: &Gazetteer) -> bool {
    if c == o {
        return false;
    }
    let (pc, po) = (gaz.place(c), gaz.place(o));
    match po.feature {
        Feature::Country => pc.feature != Feature::Country && pc.country.is_some() && pc.country == po.country,
        Feature::Subdivision => po.admin1.is_some() && gaz.division_of(c) == Some(o) && pc.feature != Feature::Subdivision,
        _ => false,
    }
}

fn what(id: u32, gaz: &Gazetteer) -> &'static str {
    match gaz.place(id).feature {
        Feature::Country => "country",
        Feature::Subdivision => "division",
        Feature::Region => "region",
        Feature::Continent => "continent",
        _ => "place",
    }
}

/// What a candidate is worth before the article says anything, in log10-population units.
fn prior_of(id: u32, gaz: &Gazetteer) -> f32 {
    let p = gaz.place(id);
    match p.feature {
        Feature::Country | Feature::Continent => 9.0,
        Feature::Region => 8.0,
        // The project's own list of seas, rivers and regions (no GeoNames id, no population).
        Feature::City if p.geonames_id.is_none() => 7.0,
        Feature::Subdivision if p.admin1.is_some() => 7.0,
        Feature::Subdivision => 5.5,
        Feature::County => 4.0,
        Feature::City => (p.population.max(1000) as f32).log10() + if p.capital { 1.0 } else { 0.0 },
    }
}

fn context(names: &[Name], decided: &[(usize, u32)], gaz: &Gazetteer) -> Context {
    let mut ctx = Context::default();
    let add = |ctx: &mut Context, i: usize, id: u32, at: usize| {
        let p = gaz.place(id);
        if let Some(c) = &p.country {
            ctx.countries.push((c.clone(), at, i));
        }
        if let Some(d) = gaz.division_of(id) {
            ctx.divisions.push((d, at, i));
        }
        if matches!(p.feature, Feature::City | Feature::County) && p.geonames_id.is_some() {
            if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
                ctx.points.push((lat, lon, i));
            }
        }
    };
    for (i, n) in names.iter().enumerate() {
        let at = n.spans[0].start();
        if let Some(&(_, id)) = decided.iter().find(|(d, _)| *d == i) {
            add(&mut ctx, i, id, at);
        } else if let Some((id, _)) = &n.fixed {
            add(&mut ctx, i, *id, at);
        } else if let Some(c) = sure_country(&n.cands, gaz) {
            ctx.countries.push((c.to_string(), at, i));
        }
    }
    ctx
}

/// What the article (and archive) says for candidate `id` of name `i`, with the reasons.
/// The reasons that speak for a candidate: counted for every candidate, written out only for
/// the one chosen (a common name has dozens of candidates).
struct Reasons {
    count: usize,
    text: Option<Vec<String>>,
}

impl Reasons {
    fn new(write: bool) -> Reasons {
        Reasons { count: 0, text: write.then(Vec::new) }
    }

    fn push(&mut self, reason: impl FnOnce() -> String) {
        self.count += 1;
        if let Some(t) = &mut self.text {
            t.push(reason());
        }
    }

    fn is_empty(&self) -> bool {
        self.count == 0
    }
}

fn support(n: &Name, i: usize, id: u32, ctx: &Context, prior: &Prior, gaz: &Gazetteer, write: bool) -> (f32, Reasons) {
    let p = gaz.place(id);
    let mut bonus = 0.0;
    let mut why = Reasons::new(write);
    let near = |at: usize| n.spans.iter().any(|s| s.start().abs_diff(at) < 400);
    let country = p.country.as_deref();
    let country_name = || country.and_then(|c| gaz.country(c)).map(|c| gaz.place(c).name.clone()).unwrap_or_default();
    if p.feature != Feature::Country {
        if let Some(c) = country {
            let hits: Vec<usize> = ctx.countries.iter().filter(|(k, _, j)| k == c && *j != i).map(|(_, at, _)| *at).collect();
            if !hits.is_empty() {
                bonus += 1.5 + if hits.iter().any(|&at| near(at)) { 0.5 } else { 0.0 };
                why.push(|| format!("the article is about {}", country_name()));
            }
        }
    } else if let Some(c) = country {
        // A country whose places the article names.
        if ctx.countries.iter().any(|(k, _, j)| k == c && *j != i) {
            bonus += 1.5;
            why.push(|| format!("other places of the article are in {}", p.name));
        }
    }
    if let Some(d) = gaz.division_of(id).filter(|&d| d != id) {
        if ctx.divisions.iter().any(|(k, _, j)| *k == d && *j != i) {
            bonus += 2.5;
            why.push(|| format!("the article names {}", gaz.place(d).name));
        }
    }
    if p.feature == Feature::Subdivision && ctx.divisions.iter().any(|(k, _, j)| *k == id && *j != i) {
        bonus += 2.0;
        why.push(|| format!("other places of the article are in {}", p.name));
    }
    if !n.in_dateline {
        if ctx.dateline_country.as_deref().is_some_and(|c| Some(c) == country) {
            bonus += 1.5;
            why.push(|| format!("the dateline is in {}", country_name()));
        }
        if ctx.dateline_division.is_some_and(|d| gaz.division_of(id) == Some(d) && d != id) {
            bonus += 2.0;
            why.push(|| format!("the dateline is in {}", gaz.place(ctx.dateline_division.expect("checked")).name));
        }
    }
    if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
        if matches!(p.feature, Feature::City | Feature::County) {
            let closest = ctx.points.iter().filter(|(_, _, j)| *j != i).map(|&(a, b, _)| km(lat, lon, a, b)).fold(f64::INFINITY, f64::min);
            if closest < 100.0 {
                bonus += 2.0;
                why.push(|| "near other places of the article".into());
            } else if closest < 300.0 {
                bonus += 1.0;
                why.push(|| "in the region of other places of the article".into());
            }
        }
    }
    if let Some(c) = country {
        let share = prior.share(c);
        if share > 0.05 {
            bonus += 1.5 * share;
            if why.is_empty() && share > 0.2 {
                why.push(|| format!("much of the archive is about {}", country_name()));
            }
        }
    }
    // Nothing an article says makes a town outrank a country or a state of its name on its
    // own; a "Place, State" pattern does that.
    (bonus.min(MAX_SUPPORT), why)
}

/// The most the article's context adds to a candidate.
const MAX_SUPPORT: f32 = 4.5;

/// The best candidate of a name, with its lead over the next and the reasons.
fn choose(n: &Name, i: usize, ctx: &Context, prior: &Prior, gaz: &Gazetteer) -> (u32, Option<f32>, String) {
    let mut scored: Vec<(f32, u32, Reasons)> = n
        .cands
        .iter()
        .map(|&c| {
            let (bonus, why) = support(n, i, c, ctx, prior, gaz, false);
            // A city known by this name only as one of its other names (Hong Kong's old
            // "Victoria", Mexico City's "Mexico") is less likely meant than a place whose
            // own name it is.
            let other_name = gaz.place(c).feature == Feature::City && !own_name(n.text, &gaz.place(c).name);
            // A dateline names the city a story was filed from ("WASHINGTON —" is the capital,
            // not the state).
            let dateline_state = n.in_dateline && gaz.place(c).feature == Feature::Subdivision;
            (prior_of(c, gaz) + bonus - if other_name { 1.5 } else { 0.0 } - if dateline_state { 1.5 } else { 0.0 }, c, why)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    // A country's name is the country ("Mexico", "Chile", "Poland"), unless it is also a
    // state or province of a country the article is otherwise about and nothing in the
    // article speaks for the country (Georgia in a story about Atlanta).
    if let Some(ci) = scored.iter().position(|s| gaz.place(s.1).feature == Feature::Country) {
        let country_supported = !scored[ci].2.is_empty();
        let division = scored.iter().position(|s| {
            let p = gaz.place(s.1);
            p.feature == Feature::Subdivision && !s.2.is_empty() && ctx.countries.iter().any(|(k, _, j)| Some(k.as_str()) == p.country.as_deref() && *j != i)
        });
        let pick = match division {
            Some(d) if !country_supported => d,
            _ => ci,
        };
        let chosen = scored.remove(pick);
        scored.insert(0, chosen);
    }
    let (best, id, _) = scored.swap_remove(0);
    let margin = scored.iter().map(|s| best - s.0).fold(f32::INFINITY, f32::min);
    // The country rule may choose a candidate that scored lower: its lead is then none.
    let margin = margin.is_finite().then_some(margin.max(0.0));
    let why = support(n, i, id, ctx, prior, gaz, true).1.text.unwrap_or_default();
    let why = if why.is_empty() {
        match gaz.place(id).feature {
            Feature::City if gaz.place(id).geonames_id.is_some() && n.cands.len() > 1 => "the most populous place of that name".to_string(),
            _ => format!("the best-known place of that name ({})", what(id, gaz)),
        }
    } else {
        why.join("; ")
    };
    (id, margin, why)
}

/// Whether `name` is `own` up to case and accents ("ZURICH", "Zürich").
fn own_name(name: &str, own: &str) -> bool {
    use unicode_normalization::UnicodeNormalization;
    let fold = |s: &str| s.nfkd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).flat_map(char::to_lowercase).filter(|c| c.is_alphanumeric()).collect::<String>();
    name.eq_ignore_ascii_case(own) || fold(name) == fold(own)
}

/// Why a chosen place is too weakly supported for a point, if it is.
fn weak(n: &Name, i: usize, id: u32, ctx: &Context, prior: &Prior, gaz: &Gazetteer) -> Option<String> {
    // A pattern or the dateline is evidence enough; being the only place of a name is not,
    // when that place is a village.
    if n.fixed.as_ref().is_some_and(|(_, why)| why != ONLY) || n.in_dateline {
        return None;
    }
    let p = gaz.place(id);
    let lex = Lexicon::get();
        let lex: &Lexicon = &lex;
    let word = n.text.trim();
    // "West", "Central", "Eastern": divisions of some countries, and ordinary words.
    let common_word = !word.contains(char::is_whitespace) && lex.lowercase_count(word) > 10;
    if p.feature == Feature::Subdivision && common_word && support(n, i, id, ctx, prior, gaz, false).0 == 0.0 {
        return Some("an ordinary word as well as the name of a division, and nothing in the article says which".into());
    }
    if !matches!(p.feature, Feature::City | Feature::County) || p.geonames_id.is_none() {
        return None;
    }
    // The archive's centre of gravity counts only when it is strong.
    let (bonus, _) = support(n, i, id, ctx, prior, gaz, false);
    let archive = p.country.as_deref().map_or(0.0, |c| prior.share(c));
    if bonus > 1.5 * archive || archive > 0.2 {
        return None;
    }
    if p.feature == Feature::County || p.population < 15_000 {
        return Some(if n.cands.len() == 1 { "the only place of that name is a small one, and nothing in the article points to it" } else { "only small places bear this name, and nothing in the article says which" }.into());
    }
    let single = !word.contains(char::is_whitespace);
    let counts = lex.token(word);
    let personal = lex.given_names.contains(word) || counts.per > counts.loc || lex.lowercase_count(word) > 50;
    if single && personal && p.population < 1_000_000 {
        return Some("also a common name or word, and nothing in the article says it is a place here".into());
    }
    if n.score < crate::model::UNCERTAIN_BELOW && p.population < 100_000 {
        return Some("an uncertain place name with nothing in the article to confirm it".into());
    }
    None
}

/// Great-circle distance in km.
pub fn km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::place_label;

    /// Places every whole-word occurrence of `names` in `text` (the first `dateline` bytes
    /// being the dateline); returns each name's place label (None: no point) and reason.
    fn place(text: &str, names: &[&str], dateline: Option<&str>, surnames: &[&str]) -> Vec<(Option<String>, String)> {
        let lex = Lexicon::get();
        let gaz = &lex.gazetteer;
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let mut input: Vec<Input> = Vec::new();
        for n in names {
            for (at, _) in text.match_indices(n) {
                if !word(text[..at].chars().next_back()) && !word(text[at + n.len()..].chars().next()) {
                    input.push(Input { span: Span::new(at, at + n.len()), name: n, surface: n, score: 0.95 });
                }
            }
        }
        input.sort_by_key(|m| m.span.start());
        let dateline = dateline.map(|d| Span::new(0, d.len()));
        let (decisions, of_input) = place_article(text, dateline, &input, surnames, &Prior::default(), gaz);
        names
            .iter()
            .map(|n| {
                let d = &decisions[of_input[input.iter().position(|m| m.name == *n).expect("name occurs")]];
                (d.place.map(|p| place_label(p, gaz)), d.why.clone())
            })
            .collect()
    }

    fn label(text: &str, names: &[&str], which: usize) -> Option<String> {
        place(text, names, None, &[])[which].0.clone()
    }

    #[test]
    fn a_state_beats_a_same_named_city() {
        // Virginia is also a South African city of 66,000; Georgia is also a country.
        assert_eq!(label("Officials in Virginia said the outbreak had spread.", &["Virginia"], 0).as_deref(), Some("Virginia, United States"));
        assert_eq!(label("Doctors in Atlanta said cases in Georgia had doubled.", &["Atlanta", "Georgia"], 1).as_deref(), Some("Georgia, United States"));
        assert_eq!(label("Talks in Tbilisi: Georgia wants a new gas deal.", &["Tbilisi", "Georgia"], 1).as_deref(), Some("Georgia"));
        // Victoria the Australian state, not the district of Hong Kong (a city of 950,000).
        assert_eq!(label("Bushfires in Victoria forced thousands from their homes.", &["Victoria"], 0).as_deref(), Some("Victoria, Australia"));
    }

    #[test]
    fn city_and_state_name_the_town() {
        let text = "He grew up in Alexandria, Virginia, and studied in London, Ontario, before moving to Windsor, Victoria.";
        let got = place(text, &["Alexandria", "Virginia", "London", "Ontario", "Windsor", "Victoria"], None, &[]);
        assert_eq!(got[0].0.as_deref(), Some("Alexandria, Virginia, United States"), "{got:?}");
        assert_eq!(got[1].0.as_deref(), Some("Virginia, United States"));
        assert_eq!(got[2].0.as_deref(), Some("London, Ontario, Canada"));
        assert_eq!(got[4].0.as_deref(), Some("Windsor, Victoria, Australia"));
        assert!(got[0].1.contains("Virginia"), "the reason names the state: {}", got[0].1);
        // "Paris, France" keeps Paris in France; a list of countries is not a pattern.
        assert_eq!(label("China, Japan and Korea met in Paris, France.", &["China", "Japan", "Paris", "France"], 0).as_deref(), Some("China"));
    }

    #[test]
    fn an_abbreviation_names_the_state() {
        assert_eq!(label("The storm hit Gainesville, Ga., on Sunday.", &["Gainesville"], 0).as_deref(), Some("Gainesville, Georgia, United States"));
        assert_eq!(label("A fair opened in Paris, TX.", &["Paris"], 0).as_deref(), Some("Paris, Texas, United States"));
        assert_eq!(label("Wildfires spread across Calif. this week.", &["Calif."], 0).as_deref(), Some("California, United States"));
        // Without the abbreviation, the larger Gainesville (Florida) is meant.
        assert_eq!(label("The storm hit Gainesville on Sunday.", &["Gainesville"], 0).as_deref(), Some("Gainesville, Florida, United States"));
    }

    /// A decision weighed between rivals records its lead; one made by a pattern does not.
    #[test]
    fn a_close_call_is_recorded_as_such() {
        let lex = Lexicon::get();
        let gaz = &lex.gazetteer;
        let decide = |text: &str| {
            let at = text.find("Gainesville").expect("named");
            let input = [Input { span: Span::new(at, at + 11), name: "Gainesville", surface: "Gainesville", score: 0.95 }];
            place_article(text, None, &input, &[], &Prior::default(), gaz).0.remove(0)
        };
        // Florida's Gainesville (145,000) against Georgia's (39,000): less than a factor of 10.
        let weighed = decide("The storm hit Gainesville on Sunday.");
        assert!(weighed.margin.is_some_and(|m| (0.0..1.0).contains(&m)), "{weighed:?}");
        assert_eq!(decide("The storm hit Gainesville, Ga., on Sunday.").margin, None);
    }

    #[test]
    fn the_dateline_decides_a_bare_town() {
        let text = "HALIFAX — Police in Truro said the road would reopen.";
        let with = place(text, &["HALIFAX", "Truro"], Some("HALIFAX"), &[]);
        assert_eq!(with[0].0.as_deref(), Some("Halifax, Nova Scotia, Canada"));
        assert_eq!(with[1].0.as_deref(), Some("Truro, Nova Scotia, Canada"), "{with:?}");
        assert!(with[1].1.contains("dateline"), "{}", with[1].1);
        // A dateline names a city: the capital, not the state.
        let got = place("WASHINGTON — The Senate voted on Tuesday.", &["WASHINGTON"], Some("WASHINGTON"), &[]);
        assert_eq!(got[0].0.as_deref(), Some("Washington, Washington, D.C., United States"), "{got:?}");
                // The same sentence without a dateline: the larger Truro, in Cornwall.
        let text = "Police in Truro said the road would reopen.";
        assert_eq!(label(text, &["Truro"], 0).as_deref(), Some("Truro, England, United Kingdom"));
    }

    #[test]
    fn a_surname_or_common_name_gets_no_point() {
        // Morales is also a Colombian town of 30,000, Young a Uruguayan town of 17,000.
        let got = place("David Morales spoke first. Morales said the plan would work.", &["Morales"], None, &["Morales"]);
        assert_eq!(got[0].0, None, "{got:?}");
        assert!(got[0].1.contains("surname"));
        let got = place("Young said the plan would work.", &["Young"], None, &[]);
        assert_eq!(got[0].0, None, "{got:?}");
        // "the West" is not Cameroon's West Region.
        let got = place("Moscow accused the West of hypocrisy.", &["Moscow", "West"], None, &[]);
        assert_eq!(got[1].0, None, "{got:?}");
        // A village nothing points to gets no point either; named with its state it does.
        assert_eq!(label("They met in Truro.", &["Truro"], 0).as_deref(), Some("Truro, England, United Kingdom"));
        assert_eq!(label("Crops failed near Holliday.", &["Holliday"], 0), None);
        assert_eq!(label("Crops failed near Holliday, Tex., this year.", &["Holliday"], 0).as_deref(), Some("Holliday, Texas, United States"));
    }
}
