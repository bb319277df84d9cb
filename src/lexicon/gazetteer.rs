//! Place names from GeoNames (countries, continents, populated places of 1,000 people and
//! more, first-level divisions), ISO 3166-2 subdivisions, US counties, the usual abbreviations
//! of US states, Canadian provinces and Australian states, and the project's list of
//! macro-regions (`data/gazetteer/`).
//!
//! Names come in two tiers. *Major* names (countries, continents, regions, divisions and
//! places of 15,000 people or more) are what the annotator looks names up in, as it was
//! trained with them; *minor* ones (smaller towns, counties, abbreviations) only add
//! candidates when the resolver places a mention the annotator already found, so that a
//! village called Young or Bush never makes a word a place.

use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::FxHashMap as HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Feature {
    City,
    /// A first-level division (state, province) or another ISO 3166-2 subdivision.
    Subdivision,
    /// A second-level division (a US county).
    County,
    Region,
    Continent,
    Country,
}

impl Feature {
    pub fn as_str(self) -> &'static str {
        match self {
            Feature::City => "city",
            Feature::Subdivision => "subdivision",
            Feature::County => "county",
            Feature::Region => "region",
            Feature::Continent => "continent",
            Feature::Country => "country",
        }
    }
}

#[derive(Debug, Clone)]
pub struct PlaceEntry {
    pub name: String,
    pub feature: Feature,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub geonames_id: Option<u64>,
    pub population: u64,
    pub capital: bool,
    /// GeoNames admin1 code of the first-level division the place is in (or is).
    pub admin1: Option<Box<str>>,
}

pub struct Gazetteer {
    pub places: Vec<PlaceEntry>,
    names: Vec<&'static str>,
    /// For each name in `names`, the places it can denote.
    name_places: Vec<Vec<u32>>,
    /// Built on first use: only the rule annotator scans text for names (150,000 of them take
    /// most of a second to compile), the tagger and the resolver look names up.
    matcher: std::sync::OnceLock<AhoCorasick>,
    by_lower: HashMap<String, usize>,
    /// Towns, counties and their names, built on first use ([`Gazetteer::minor`]).
    minor: std::sync::OnceLock<Minor>,
    /// Abbreviations that name a division on their own ("Calif.", "NSW").
    alone: Vec<(u32, &'static str)>,
    /// Abbreviations and postal codes that name a division only after a place and a comma
    /// ("Paris, TX", "Perth, WA"), as they are.
    after_comma: HashMap<&'static str, Vec<u32>>,
    countries: HashMap<String, u32>,
    /// (country, admin1 code) to the division's place.
    divisions: HashMap<(&'static str, &'static str), u32>,
    demonyms: HashMap<String, String>,
}

/// The places only the resolver needs: towns of 1,000 to 15,000 people and US counties
/// (numbered after the major places), with their lower-cased names, and every GeoNames id.
struct Minor {
    places: Vec<PlaceEntry>,
    by_lower: HashMap<String, Vec<u32>>,
    by_geonames: HashMap<u64, u32>,
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    s.trim().parse().ok()
}

/// A name worth matching: capitalised, no digits, at least 3 letters unless written in capitals
/// (US, UK) because two-letter title-case names are nearly always something else.
fn usable(name: &str) -> bool {
    let name = name.trim();
    let first_upper = name.chars().next().is_some_and(char::is_uppercase);
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    first_upper && !name.chars().any(|c| c.is_ascii_digit()) && (letters >= 3 || (letters == 2 && name.chars().all(|c| !c.is_lowercase())))
}

/// The rows of a compiled-in TSV file, header skipped, each split into `f`.
fn rows(file: &'static str, min: usize, mut each: impl FnMut(&[&'static str])) {
    let mut f: Vec<&'static str> = Vec::with_capacity(16);
    for line in file.lines().skip(1) {
        f.clear();
        f.extend(line.split('\t'));
        if f.len() >= min && !f[0].starts_with('#') {
            each(&f);
        }
    }
}

fn list(cell: &'static str) -> impl Iterator<Item = &'static str> {
    cell.split('|').filter(|a| !a.is_empty())
}

/// A row of `cities.tsv` or `towns.tsv`: geonameid, name, asciiname, country, admin1,
/// latitude, longitude, population (cities add timezone and alternate names).
fn populated_place(f: &[&str], capital: bool) -> PlaceEntry {
    PlaceEntry {
        name: f[1].to_string(),
        feature: Feature::City,
        country: Some(f[3].to_string()),
        lat: num(f[5]),
        lon: num(f[6]),
        geonames_id: num(f[0]),
        population: num(f[7]).unwrap_or(0),
        capital,
        admin1: code(f[4]),
    }
}

fn code(s: &str) -> Option<Box<str>> {
    (!s.is_empty()).then(|| s.into())
}

impl Gazetteer {
    pub fn load() -> Gazetteer {
        let mut places: Vec<PlaceEntry> = Vec::new();
        // Every (place, name) pair in place order. The names are borrowed from the files
        // compiled into the program: loading allocates no string per name.
        let mut names_of: Vec<(u32, &'static str)> = Vec::new();
        let mut alone: Vec<(u32, &'static str)> = Vec::new();
        let mut countries = HashMap::default();
        let mut demonyms = HashMap::default();
        let mut capitals: rustc_hash::FxHashSet<(&str, &str)> = Default::default();
        let add = |places: &mut Vec<PlaceEntry>, p: PlaceEntry| {
            places.push(p);
            places.len() as u32 - 1
        };

        rows(include_str!("../../data/gazetteer/countries.tsv"), 13, |f| {
            let id = add(&mut places, PlaceEntry {
                name: f[3].to_string(),
                feature: Feature::Country,
                country: Some(f[1].to_string()),
                lat: num(f[7]),
                lon: num(f[8]),
                geonames_id: num(f[0]),
                population: num(f[11]).unwrap_or(0),
                capital: false,
                admin1: None,
            });
            countries.insert(f[1].to_string(), id);
            if !f[5].is_empty() {
                demonyms.insert(f[5].to_string(), f[1].to_string());
            }
            capitals.insert((f[1], f[6]));
            names_of.extend(std::iter::once(f[3]).chain(list(f[4])).map(|n| (id, n)));
        });
        rows(include_str!("../../data/gazetteer/country_aliases.tsv"), 2, |f| {
            if let Some(&id) = countries.get(f[1]) {
                names_of.push((id, f[0]));
            }
        });
        rows(include_str!("../../data/gazetteer/continents.tsv"), 5, |f| {
            let id = add(&mut places, PlaceEntry { name: f[2].to_string(), feature: Feature::Continent, country: None, lat: num(f[3]), lon: num(f[4]), geonames_id: num(f[0]), population: 0, capital: false, admin1: None });
            names_of.extend(std::iter::once(f[2]).chain(f.get(5).copied().into_iter().flat_map(list)).map(|n| (id, n)));
        });
        rows(include_str!("../../data/gazetteer/regions.tsv"), 5, |f| {
            let countries_in: Vec<&str> = f.get(5).copied().into_iter().flat_map(list).collect();
            let id = add(&mut places, PlaceEntry {
                name: f[0].to_string(),
                feature: if f[2] == "feature" { Feature::City } else { Feature::Region },
                country: (countries_in.len() == 1).then(|| countries_in[0].to_string()),
                lat: num(f[3]),
                lon: num(f[4]),
                geonames_id: None,
                population: 0,
                capital: false,
                admin1: None,
            });
            names_of.extend(std::iter::once(f[0]).chain(list(f[1])).map(|n| (id, n)));
        });
        rows(include_str!("../../data/gazetteer/cities.tsv"), 10, |f| {
            let id = add(&mut places, populated_place(f, capitals.contains(&(f[3], f[1]))));
            names_of.extend([f[1], f[2]].into_iter().chain(list(f[9])).map(|n| (id, n)));
        });
        // First-level divisions (with a GeoNames admin1 code) and other ISO subdivisions.
        let mut divisions = HashMap::default();
        let mut by_iso: HashMap<&str, u32> = HashMap::default();
        rows(include_str!("../../data/gazetteer/admin1.tsv"), 9, |f| {
            let id = add(&mut places, PlaceEntry {
                name: f[3].to_string(),
                feature: Feature::Subdivision,
                country: Some(f[0].to_string()),
                lat: num(f[5]),
                lon: num(f[6]),
                geonames_id: num(f[2]),
                population: 0,
                capital: false,
                admin1: code(f[1]),
            });
            if !f[1].is_empty() {
                divisions.insert((f[0], f[1]), id);
            }
            if !f[4].is_empty() {
                by_iso.insert(f[4], id);
            }
            names_of.extend(std::iter::once(f[3]).chain(list(f[8])).map(|n| (id, n)));
        });
        let mut after_comma: HashMap<&'static str, Vec<u32>> = HashMap::default();
        rows(include_str!("../../data/gazetteer/abbreviations.tsv"), 3, |f| {
            let Some(&id) = by_iso.get(f[1]) else { return };
            after_comma.entry(f[0]).or_default().push(id);
            if f[2] == "alone" {
                alone.push((id, f[0]));
            }
        });

        // One entry per distinct name; the places it can denote, best first.
        let mut index: HashMap<&str, usize> = HashMap::default();
        let mut names: Vec<&'static str> = Vec::new();
        let mut name_places: Vec<Vec<u32>> = Vec::new();
        for &(id, n) in &names_of {
            let n = n.trim();
            if !usable(n) {
                continue;
            }
            let slot = *index.entry(n).or_insert_with(|| {
                names.push(n);
                name_places.push(Vec::new());
                names.len() - 1
            });
            if !name_places[slot].contains(&id) {
                name_places[slot].push(id);
            }
        }
        for ids in &mut name_places {
            ids.sort_by(|a, b| rank(&places[*b as usize]).cmp(&rank(&places[*a as usize])).then(a.cmp(b)));
        }
        let mut by_lower = HashMap::default();
        for (i, n) in names.iter().enumerate() {
            by_lower.entry(n.to_lowercase()).or_insert(i);
        }
        Gazetteer { places, names, name_places, matcher: std::sync::OnceLock::new(), by_lower, minor: std::sync::OnceLock::new(), alone, after_comma, countries, divisions, demonyms }
    }

    /// The minor places (towns, counties), the minor names and the GeoNames ids, built on
    /// first use: only the resolver needs them, and parsing 116,000 rows costs more than all
    /// the rest of the gazetteer. A build starts this early on another thread (`prepare`).
    fn minor(&self) -> &Minor {
        self.minor.get_or_init(|| {
            let first = self.places.len() as u32;
            let mut places: Vec<PlaceEntry> = Vec::with_capacity(117_000);
            let mut names_of: Vec<(u32, &'static str)> = self.alone.clone();
            rows(include_str!("../../data/gazetteer/counties.tsv"), 6, |f| {
                places.push(PlaceEntry { name: f[2].to_string(), feature: Feature::County, country: Some(f[0].to_string()), lat: num(f[3]), lon: num(f[4]), geonames_id: None, population: 0, capital: false, admin1: code(f[1]) });
                names_of.push((first + places.len() as u32 - 1, f[2]));
            });
            rows(include_str!("../../data/gazetteer/towns.tsv"), 8, |f| {
                places.push(populated_place(f, false));
                let id = first + places.len() as u32 - 1;
                names_of.push((id, f[1]));
                if !f[2].is_empty() {
                    names_of.push((id, f[2]));
                }
            });
            let mut by_lower: HashMap<String, Vec<u32>> = HashMap::default();
            for (id, n) in names_of {
                let ids = by_lower.entry(n.trim().to_lowercase()).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            let by_geonames = self.places.iter().chain(&places).enumerate().filter_map(|(i, p)| Some((p.geonames_id?, i as u32))).collect();
            Minor { places, by_lower, by_geonames }
        })
    }

    /// Builds the minor tables now (a build calls this on another thread while it reads the
    /// files, so that they are ready when the resolver asks).
    pub fn prepare(&self) {
        self.minor();
    }

    /// Every gazetteer name in `text` (case-sensitive, leftmost-longest), as
    /// (start, end, name index). Word boundaries are the caller's to check.
    pub fn find_iter<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
        let matcher = self.matcher.get_or_init(|| AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&self.names).expect("gazetteer names build an automaton"));
        matcher.find_iter(text).map(|m| (m.start(), m.end(), m.pattern().as_usize()))
    }

    /// Every usable name, with whether its best place is a country.
    pub fn names(&self) -> impl Iterator<Item = (&str, bool)> + '_ {
        self.names.iter().zip(&self.name_places).map(|(n, ids)| (*n, self.places[ids[0] as usize].feature == Feature::Country))
    }

    /// Every demonym ("Russian", "Iraqi").
    pub fn demonyms(&self) -> impl Iterator<Item = &str> + '_ {
        self.demonyms.keys().map(String::as_str)
    }

    pub fn name(&self, idx: usize) -> &str {
        self.names[idx]
    }

    /// Places a name can denote, best first.
    pub fn places_for(&self, idx: usize) -> &[u32] {
        &self.name_places[idx]
    }

    /// Case-insensitive exact lookup ("MOSCOW" finds Moscow).
    pub fn lookup(&self, name: &str) -> Option<usize> {
        self.by_lower.get(&name.to_lowercase()).copied()
    }

    pub fn place(&self, id: u32) -> &PlaceEntry {
        match self.places.get(id as usize) {
            Some(p) => p,
            None => &self.minor().places[id as usize - self.places.len()],
        }
    }

    pub fn country(&self, iso2: &str) -> Option<u32> {
        self.countries.get(iso2).copied()
    }

    /// Every place a name can denote, major and minor, case-insensitively ("GAINESVILLE",
    /// "Calif."): the resolver's candidates for a mention the annotator found.
    pub fn candidates(&self, name: &str) -> Vec<u32> {
        let lower = name.trim().to_lowercase();
        let mut out: Vec<u32> = self.by_lower.get(&lower).map(|&i| self.name_places[i].clone()).unwrap_or_default();
        for &id in self.minor().by_lower.get(&lower).map_or(&[][..], Vec::as_slice) {
            if !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }

    /// The divisions an abbreviation or postal code names after "Place, " ("TX", "Fla.", "WA").
    pub fn after_comma(&self, token: &str) -> &[u32] {
        self.after_comma.get(token).map_or(&[][..], Vec::as_slice)
    }

    /// The first-level division a place is in (or the place itself, for a division).
    pub fn division_of(&self, id: u32) -> Option<u32> {
        let p = self.place(id);
        self.divisions.get(&(p.country.as_deref()?, p.admin1.as_deref()?)).copied()
    }

    /// The place of a GeoNames id, when the gazetteer has it.
    pub fn by_geonames(&self, id: u64) -> Option<u32> {
        self.minor().by_geonames.get(&id).copied()
    }

    /// The country a demonym belongs to ("Russian" -> RU).
    /// Whether a name's most likely place is a country, a first-level division or a city of
    /// 100,000 people or more: a place a reader knows by name.
    pub fn is_large_place(&self, name: &str) -> bool {
        self.lookup(name).and_then(|n| self.places_for(n).first()).is_some_and(|&id| {
            let p = self.place(id);
            matches!(p.feature, Feature::Country | Feature::Subdivision) || (p.feature == Feature::City && p.population >= 100_000)
        })
    }

    pub fn demonym(&self, word: &str) -> Option<&str> {
        self.demonyms.get(word).map(String::as_str)
    }

    /// The best place for a name given the countries the article mentions: a place in one of
    /// those countries first, then countries and regions, then capitals, then population.
    pub fn best(&self, ids: &[u32], context: &[String]) -> u32 {
        let in_context = |id: &u32| {
            let p = self.place(*id);
            p.feature != Feature::Country && p.country.as_ref().is_some_and(|c| context.contains(c))
        };
        if let Some(id) = ids.iter().find(|id| self.place(**id).feature == Feature::Country) {
            return *id;
        }
        let Some(&top) = ids.first() else { return 0 };
        match ids.iter().find(|id| in_context(id)) {
            // The countries an article names favour their own places, but not over a capital
            // or a far larger city: an article naming the United States still means Paris,
            // France, not Paris, Texas.
            Some(&local) if !self.dwarfs(top, local) => local,
            _ => top,
        }
    }

    fn dwarfs(&self, a: u32, b: u32) -> bool {
        let (pa, pb) = (self.place(a), self.place(b));
        a != b && (pa.capital || pa.population > pb.population.saturating_mul(20))
    }
}

/// Ordering of candidate places when nothing else decides: countries, then continents and
/// regions, then capitals, then by population.
fn rank(p: &PlaceEntry) -> (u8, u8, u64, bool) {
    let feature = match p.feature {
        Feature::Country => 4,
        Feature::Continent => 3,
        Feature::Region => 2,
        Feature::City => 1,
        Feature::Subdivision | Feature::County => 0,
    };
    (feature, u8::from(p.capital), p.population, p.geonames_id.is_some())
}

#[cfg(test)]
mod tests {
    use crate::lexicon::Lexicon;

    fn country_of(name: &str, context: &[&str]) -> Option<String> {
        let lex = Lexicon::get();
        let gaz = &lex.gazetteer;
        let context: Vec<String> = context.iter().map(|c| c.to_string()).collect();
        let id = gaz.best(gaz.places_for(gaz.lookup(name)?), &context);
        gaz.place(id).country.clone()
    }

    #[test]
    fn named_countries_favour_their_places_but_not_over_a_capital() {
        assert_eq!(country_of("Paris", &[]).as_deref(), Some("FR"));
        assert_eq!(country_of("Paris", &["US"]).as_deref(), Some("FR"), "a capital beats a small town in a named country");
        assert_eq!(country_of("Palmyra", &["SY"]).as_deref(), Some("SY"));
    }
}
