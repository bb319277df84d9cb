//! Place names from GeoNames (countries, cities of 15,000+, continents), ISO 3166-2
//! subdivisions, and the project's list of macro-regions (`data/gazetteer/`).

use aho_corasick::{AhoCorasick, MatchKind};
use rustc_hash::FxHashMap as HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Feature {
    City,
    Subdivision,
    Region,
    Continent,
    Country,
}

impl Feature {
    pub fn as_str(self) -> &'static str {
        match self {
            Feature::City => "city",
            Feature::Subdivision => "subdivision",
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
    countries: HashMap<String, u32>,
    demonyms: HashMap<String, String>,
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

impl Gazetteer {
    pub fn load() -> Gazetteer {
        let mut places: Vec<PlaceEntry> = Vec::new();
        // Every (place, name) pair in place order. The names are borrowed from the files
        // compiled into the program: loading allocates no string per name.
        let mut names_of: Vec<(u32, &'static str)> = Vec::new();
        let mut f: Vec<&'static str> = Vec::with_capacity(16);
        let mut countries = HashMap::default();
        let mut demonyms = HashMap::default();
        let mut capitals: rustc_hash::FxHashSet<(&str, &str)> = Default::default();

        for line in include_str!("../../data/gazetteer/countries.tsv").lines().skip(1) {
            f.clear();
            f.extend(line.split('\t'));
            if f.len() < 13 {
                continue;
            }
            let id = places.len() as u32;
            countries.insert(f[1].to_string(), id);
            if !f[5].is_empty() {
                demonyms.insert(f[5].to_string(), f[1].to_string());
            }
            capitals.insert((f[1], f[6]));
            places.push(PlaceEntry {
                name: f[3].to_string(),
                feature: Feature::Country,
                country: Some(f[1].to_string()),
                lat: num(f[7]),
                lon: num(f[8]),
                geonames_id: num(f[0]),
                population: num(f[11]).unwrap_or(0),
                capital: false,
            });
            names_of.extend(std::iter::once(f[3]).chain(f[4].split('|').filter(|a| !a.is_empty())).map(|n| (id, n)));
        }
        for line in include_str!("../../data/gazetteer/continents.tsv").lines().skip(1) {
            f.clear();
            f.extend(line.split('\t'));
            if f.len() < 5 {
                continue;
            }
            places.push(PlaceEntry {
                name: f[2].to_string(),
                feature: Feature::Continent,
                country: None,
                lat: num(f[3]),
                lon: num(f[4]),
                geonames_id: num(f[0]),
                population: 0,
                capital: false,
            });
            let id = places.len() as u32 - 1;
            names_of.push((id, f[2]));
            if let Some(alt) = f.get(5) {
                names_of.extend(alt.split('|').filter(|a| !a.is_empty()).map(|n| (id, n)));
            }
        }
        for line in include_str!("../../data/gazetteer/regions.tsv").lines().skip(1) {
            f.clear();
            f.extend(line.split('\t'));
            if f.len() < 5 || f[0].starts_with('#') {
                continue;
            }
            let countries_in: Vec<&str> = f.get(5).map(|c| c.split('|').filter(|x| !x.is_empty()).collect()).unwrap_or_default();
            places.push(PlaceEntry {
                name: f[0].to_string(),
                feature: if f[2] == "feature" { Feature::City } else { Feature::Region },
                country: (countries_in.len() == 1).then(|| countries_in[0].to_string()),
                lat: num(f[3]),
                lon: num(f[4]),
                geonames_id: None,
                population: 0,
                capital: false,
            });
            let id = places.len() as u32 - 1;
            names_of.extend(std::iter::once(f[0]).chain(f[1].split('|').filter(|a| !a.is_empty())).map(|n| (id, n)));
        }
        for line in include_str!("../../data/gazetteer/cities.tsv").lines().skip(1) {
            f.clear();
            f.extend(line.split('\t'));
            if f.len() < 10 {
                continue;
            }
            places.push(PlaceEntry {
                name: f[1].to_string(),
                feature: Feature::City,
                country: Some(f[3].to_string()),
                lat: num(f[5]),
                lon: num(f[6]),
                geonames_id: num(f[0]),
                population: num(f[7]).unwrap_or(0),
                capital: capitals.contains(&(f[3], f[1])),
            });
            let id = places.len() as u32 - 1;
            names_of.extend([f[1], f[2]].into_iter().chain(f[9].split('|').filter(|a| !a.is_empty())).map(|n| (id, n)));
        }
        for line in include_str!("../../data/gazetteer/subdivisions.tsv").lines().skip(1) {
            f.clear();
            f.extend(line.split('\t'));
            if f.len() < 5 {
                continue;
            }
            places.push(PlaceEntry {
                name: f[2].to_string(),
                feature: Feature::Subdivision,
                country: Some(f[1].to_string()),
                lat: None,
                lon: None,
                geonames_id: None,
                population: 0,
                capital: false,
            });
            let id = places.len() as u32 - 1;
            names_of.extend([(id, f[2]), (id, f[3])]);
        }

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
        Gazetteer { places, names, name_places, matcher: std::sync::OnceLock::new(), by_lower, countries, demonyms }
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
        &self.places[id as usize]
    }

    pub fn country(&self, iso2: &str) -> Option<u32> {
        self.countries.get(iso2).copied()
    }

    /// The country a demonym belongs to ("Russian" -> RU).
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
        Feature::Subdivision => 0,
    };
    (feature, u8::from(p.capital), p.population, p.geonames_id.is_some())
}

#[cfg(test)]
mod tests {
    use crate::lexicon::Lexicon;

    fn country_of(name: &str, context: &[&str]) -> Option<String> {
        let gaz = &Lexicon::get().gazetteer;
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
