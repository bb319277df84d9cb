//! `dossier bench-corpus`: a synthetic archive for benchmarks, made from the project's own
//! material. Sentences come from the seed articles, with every person, place and organisation
//! the annotator finds in them replaced by a name drawn from the data/ lists (gazetteer places,
//! curated organisations, given names and CoNLL person surnames), so the archive has the
//! variety of names a real one has and the same kind of prose.
//!
//! Each article is generated from its own random stream (seed and index), so the same N and
//! seed give the same bytes whatever the order files are written in. About 10% of files carry
//! page furniture and a repeated paragraph; a few are Markdown with front matter; most have a
//! sidecar with the published date, some only a dateline.
//!
//! With `--hugo DIR` the same pass also writes the same articles as a Hugo site (for
//! `benches/bench.sh`): `DIR/hugo.toml`, the minimal theme of `benches/hugo/layouts/` and
//! `DIR/content/articles/ID.md` with TOML front matter: the title, the date when the article has
//! one, and as taxonomies the names the generator put into the article (people by their full
//! name, also where the text uses the surname alone). Those are the generator's names, not the
//! entities Dossier finds and resolves, so the two sites' entity pages do not match one to one.

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::clean::dateline::MONTHS;
use crate::lexicon::Lexicon;
use crate::model::EntityKind;

const SEEDS: [&str; 5] = [
    include_str!("../seeds/000_09d6e21423c1670b.txt"),
    include_str!("../seeds/001_ba1013068994706c.txt"),
    include_str!("../seeds/002_0f53512f327d8040.txt"),
    include_str!("../seeds/003_3f0041f714c9591c.txt"),
    include_str!("../seeds/004_51ab214e6a8db7bc.txt"),
];

/// splitmix64: small, fast and fully determined by its seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A seed sentence with the entity mentions in it: (start, end, kind), byte offsets.
struct Template {
    text: String,
    slots: Vec<(usize, usize, EntityKind)>,
}

struct Material {
    sentences: Vec<Template>,
    places: Vec<String>,
    orgs: Vec<String>,
    given: Vec<String>,
    surnames: Vec<String>,
    agencies: Vec<String>,
    furniture: Vec<String>,
}

impl Material {
    fn gather() -> Material {
        let lex = Lexicon::get();
        let annotator = crate::annotate::default_annotator();
        let mut sentences = Vec::new();
        for seed in SEEDS {
            let mentions = annotator.annotate(&crate::annotate::Document::new(seed, 0, None));
            let tokens = crate::tagger::tokens::tokenize(seed, 0, seed.len());
            for s in crate::tagger::tokens::sentences(seed, &tokens) {
                let (a, b) = (tokens[s.start].span.start, tokens[s.end - 1].span.end);
                let text = &seed[a..b];
                // Whole sentences of prose only: no headlines, furniture or cut-off lines.
                if text.len() < 60 || text.len() > 400 || !text.ends_with(['.', '"', '\u{201D}']) || text.contains('\n') {
                    continue;
                }
                let slots = mentions.iter().filter(|m| m.kind != EntityKind::Misc && m.span.start >= a && m.span.end <= b).map(|m| (m.span.start - a, m.span.end - a, m.kind)).collect();
                sentences.push(Template { text: text.to_string(), slots });
            }
        }
        sentences.sort_by(|x, y| x.text.cmp(&y.text));
        sentences.dedup_by(|x, y| x.text == y.text);

        let gaz = &lex.gazetteer;
        // Places by their main name (not GeoNames' alternate spellings), big enough to be news.
        let mut places: Vec<String> = gaz
            .names()
            .enumerate()
            .filter_map(|(i, (name, _))| {
                let p = gaz.place(gaz.places_for(i)[0]);
                (p.population >= 200_000 && p.name == name && name.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-')).then(|| name.to_string())
            })
            .collect();
        places.sort();
        places.dedup();
        let mut orgs: Vec<String> = lex.orgs.entries.iter().map(|e| e.name.clone()).collect();
        orgs.sort();
        let mut given: Vec<String> = lex.given_names.iter().filter(|n| n.len() >= 3).cloned().collect();
        given.sort();
        // Surnames: capitalised CoNLL tokens tagged as persons nine times in ten.
        let mut surnames: Vec<String> = lex
            .tokens
            .iter()
            .filter(|(w, c)| c.per >= 3 && c.per * 10 >= c.total() * 9 && w.len() >= 3 && w.chars().all(char::is_alphabetic) && !lex.given_names.contains(*w))
            .map(|(w, _)| w.clone())
            .collect();
        surnames.sort();
        let agencies = lex.cues.file.agencies.iter().filter(|a| a.len() >= 3).cloned().collect();
        let furniture = lex.cues.file.furniture.clone();
        Material { sentences, places, orgs, given, surnames, agencies, furniture }
    }
}

/// The names one article is about, so that its sentences keep talking about the same people.
struct Cast {
    people: Vec<String>,
    places: Vec<String>,
    orgs: Vec<String>,
}

impl Cast {
    fn new(m: &Material, rng: &mut Rng) -> Cast {
        let people = (0..2 + rng.below(3)).map(|_| format!("{} {}", rng.pick(&m.given), rng.pick(&m.surnames))).collect();
        let places = (0..2 + rng.below(4)).map(|_| rng.pick(&m.places).clone()).collect();
        let orgs = (0..1 + rng.below(3)).map(|_| rng.pick(&m.orgs).clone()).collect();
        Cast { people, places, orgs }
    }

    /// The sentence with its slots filled from the cast; each name put in is recorded in `used`
    /// with where it is in the returned text.
    fn fill(&self, t: &Template, rng: &mut Rng, used: &mut Vec<Used>) -> String {
        let mut out = String::with_capacity(t.text.len() + 32);
        let mut pos = 0;
        for &(a, b, kind) in &t.slots {
            if a < pos {
                continue;
            }
            out.push_str(&t.text[pos..a]);
            let (kind, index) = match kind {
                EntityKind::Person => (EntityKind::Person, rng.below(self.people.len())),
                EntityKind::Location => (EntityKind::Location, rng.below(self.places.len())),
                _ => (EntityKind::Organisation, rng.below(self.orgs.len())),
            };
            let name = self.name(kind, index);
            let start = out.len();
            // A later mention often uses the surname alone, as news copy does.
            if kind == EntityKind::Person && rng.chance(40) {
                out.push_str(name.rsplit(' ').next().unwrap_or(name));
            } else {
                out.push_str(name);
            }
            used.push(Used { kind, index, at: start..out.len() });
            pos = b;
        }
        out.push_str(&t.text[pos..]);
        out
    }

    fn name(&self, kind: EntityKind, index: usize) -> &str {
        match kind {
            EntityKind::Person => &self.people[index],
            EntityKind::Location => &self.places[index],
            _ => &self.orgs[index],
        }
    }
}

/// A name put into an article: which member of the cast, and where in the filled text.
struct Used {
    kind: EntityKind,
    index: usize,
    at: Range<usize>,
}

/// What was written, for the summary line.
pub struct Written {
    pub files: usize,
    pub bytes: u64,
}

/// The minimal Hugo theme (home, section, article, taxonomy and term pages), kept in the repo
/// as `benches/hugo/layouts/` (Hugo's template names since v0.146) and written into the site.
const HUGO_LAYOUTS: [(&str, &str); 7] = [
    ("baseof.html", include_str!("../benches/hugo/layouts/baseof.html")),
    ("home.html", include_str!("../benches/hugo/layouts/home.html")),
    ("section.html", include_str!("../benches/hugo/layouts/section.html")),
    ("page.html", include_str!("../benches/hugo/layouts/page.html")),
    ("taxonomy.html", include_str!("../benches/hugo/layouts/taxonomy.html")),
    ("term.html", include_str!("../benches/hugo/layouts/term.html")),
    ("_partials/pages.html", include_str!("../benches/hugo/layouts/_partials/pages.html")),
];

const HUGO_CONFIG: &str = r#"# Written by `dossier bench-corpus --hugo`: the same articles as the Dossier archive beside
# it, for benches/bench.sh.
baseURL = "http://localhost/"
title = "Dossier benchmark archive"
# Terms are names: keep their spelling ("Partido dos Trabalhadores") in titles and links.
capitalizeListTitles = false
# Dossier writes feeds and a sitemap only when the archive has a base_url, and the benchmark
# builds without one, so Hugo writes none either (robots.txt is off by default in Hugo too).
disableKinds = ["rss", "sitemap", "robotsTXT"]

[taxonomies]
location = "locations"
organisation = "organisations"
person = "people"
"#;

/// Writes `n` articles under `out` (which must be empty or absent) and, with `hugo`, the same
/// articles as a Hugo site in that folder (also new or empty, and apart from `out`).
pub fn write(out: &Path, n: usize, seed: u64, hugo: Option<&Path>) -> Result<Written> {
    ensure_empty(out)?;
    let hugo_articles: Option<PathBuf> = match hugo {
        Some(h) => {
            ensure_empty(h)?;
            let (a, b) = (std::path::absolute(out)?, std::path::absolute(h)?);
            anyhow::ensure!(!a.starts_with(&b) && !b.starts_with(&a), "{} and {}: the archive and the Hugo site must be apart, neither inside the other", out.display(), h.display());
            let partials = h.join("layouts").join("_partials");
            std::fs::create_dir_all(&partials).with_context(|| format!("{}: cannot create", partials.display()))?;
            for (name, text) in HUGO_LAYOUTS {
                let file = h.join("layouts").join(name);
                std::fs::write(&file, text).with_context(|| format!("{}: cannot write", file.display()))?;
            }
            std::fs::write(h.join("hugo.toml"), HUGO_CONFIG).with_context(|| format!("{}: cannot write", h.join("hugo.toml").display()))?;
            let articles = h.join("content").join("articles");
            std::fs::create_dir_all(&articles).with_context(|| format!("{}: cannot create", articles.display()))?;
            Some(articles)
        }
        None => None,
    };
    let m = Material::gather();
    anyhow::ensure!(!m.sentences.is_empty(), "no seed sentences to build from");
    let bytes: Vec<Result<u64>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let a = article(&m, seed, i, hugo.is_some());
            let dir = out.join(format!("{:04}", i / 1000));
            std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
            let mut total = 0;
            for (name, text) in a.files {
                let path = dir.join(name);
                std::fs::write(&path, &text).with_context(|| format!("{}: cannot write", path.display()))?;
                total += text.len() as u64;
            }
            if let (Some(dir), Some(page)) = (&hugo_articles, a.hugo) {
                let path = dir.join(format!("{}.md", a.id));
                std::fs::write(&path, page).with_context(|| format!("{}: cannot write", path.display()))?;
            }
            Ok(total)
        })
        .collect();
    let mut written = Written { files: 0, bytes: 0 };
    for b in bytes {
        written.bytes += b?;
        written.files += 1;
    }
    Ok(written)
}

fn ensure_empty(dir: &Path) -> Result<()> {
    if dir.exists() && std::fs::read_dir(dir).with_context(|| format!("{}: cannot read", dir.display()))?.next().is_some() {
        anyhow::bail!("{}: not empty; bench-corpus writes only into a new or empty folder", dir.display());
    }
    Ok(())
}

/// One generated article.
#[derive(Debug, PartialEq)]
struct Article {
    id: String,
    /// Its file (and sidecar) in the archive, as (file name, contents).
    files: Vec<(String, String)>,
    /// The same article as a Hugo content file, when asked for.
    hugo: Option<String>,
}

/// Hugo front matter: the taxonomies are the names put into the article, by kind.
#[derive(serde::Serialize)]
struct FrontMatter<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    publisher: &'a str,
    locations: Vec<&'a str>,
    organisations: Vec<&'a str>,
    people: Vec<&'a str>,
}

fn article(m: &Material, seed: u64, i: usize, hugo: bool) -> Article {
    let mut rng = Rng::new(seed, i as u64);
    let cast = Cast::new(m, &mut rng);
    let mut used = Vec::new();
    let (year, month, day) = (2000 + rng.below(25), 1 + rng.below(12), 1 + rng.below(28));
    let mut paragraphs: Vec<String> = (0..6 + rng.below(9))
        .map(|_| (0..1 + rng.below(3)).map(|_| cast.fill(rng.pick(&m.sentences), &mut rng, &mut used)).collect::<Vec<_>>().join(" "))
        .collect();
    let headline = {
        let mut names = Vec::new();
        let s = cast.fill(rng.pick(&m.sentences), &mut rng, &mut names);
        let words: Vec<&str> = s.split_whitespace().take(6 + rng.below(6)).collect();
        let headline = words.join(" ").trim_end_matches([',', '.', ';', ':']).to_string();
        // Only the names before the cut are in the headline.
        used.extend(names.into_iter().filter(|u| headline.contains(&s[u.at.clone()])));
        headline
    };
    let agency = rng.pick(&m.agencies).clone();
    let dateline = rng.chance(50);
    if dateline {
        let place = cast.places[0].to_uppercase();
        paragraphs[0] = format!("{place}, {} {day}. /{agency}/. {}", MONTHS[month - 1], paragraphs[0]);
        used.push(Used { kind: EntityKind::Location, index: 0, at: 0..0 });
    }
    let messy = rng.chance(10);
    if messy {
        let k = rng.below(paragraphs.len());
        let again = paragraphs[k].clone();
        paragraphs.insert(k + 1, again);
    }
    let id = format!("a{i:06}");
    let published = format!("{year:04}-{month:02}-{day:02}");
    let markdown = rng.chance(3);
    if markdown {
        // Its sub-heading and list name the first place, person and organisation of the cast.
        for kind in [EntityKind::Location, EntityKind::Person, EntityKind::Organisation] {
            used.push(Used { kind, index: 0, at: 0..0 });
        }
    }
    let hugo_page = |body: &str, dated: bool| {
        let names = |kind| {
            let mut v: Vec<&str> = used.iter().filter(|u| u.kind == kind).map(|u| cast.name(kind, u.index)).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let fm = FrontMatter {
            title: &headline,
            date: dated.then_some(published.as_str()),
            publisher: &agency,
            locations: names(EntityKind::Location),
            organisations: names(EntityKind::Organisation),
            people: names(EntityKind::Person),
        };
        format!("+++\n{}+++\n\n{body}", toml::to_string(&fm).expect("front matter of plain strings"))
    };
    if markdown {
        // Markdown with front matter, a sub-heading and a list.
        let mut md = format!("+++\ntitle = {headline:?}\ndate = {published:?}\npublisher = {agency:?}\n+++\n\n");
        let body_start = md.len();
        for (k, p) in paragraphs.iter().enumerate() {
            if k == paragraphs.len() / 2 {
                let _ = write!(md, "## {}\n\n", cast.places[0]);
                let _ = write!(md, "- {}\n- {}\n\n", cast.people[0], cast.orgs[0]);
            }
            let _ = write!(md, "{p}\n\n");
        }
        let hugo = hugo.then(|| hugo_page(&md[body_start..], true));
        return Article { files: vec![(format!("{id}.md"), md)], hugo, id };
    }
    let mut text = String::new();
    if messy {
        let _ = writeln!(text, "{}\n", rng.pick(&m.furniture));
    }
    let headline_at = text.len();
    let _ = write!(text, "{headline}\n\n");
    let body_start = text.len();
    for p in &paragraphs {
        let _ = write!(text, "{p}\n\n");
    }
    if messy {
        let _ = writeln!(text, "{}", rng.pick(&m.furniture));
    }
    // Most articles have metadata; some have only their dateline (day and month, no year).
    let sidecar = !dateline || rng.chance(80);
    // In Hugo the headline is the title; the body is the rest of the file, furniture and all.
    let hugo = hugo.then(|| hugo_page(&format!("{}{}", &text[..headline_at], &text[body_start..]), sidecar));
    let mut files = vec![(format!("{id}.txt"), text)];
    if sidecar {
        files.push((format!("{id}.toml"), format!("published = {published:?}\npublisher = {agency:?}\n")));
    }
    Article { id, files, hugo }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_articles_and_names_replaced() {
        let m = Material::gather();
        assert!(m.sentences.len() > 20 && m.places.len() > 1000 && m.surnames.len() > 100, "{} {} {}", m.sentences.len(), m.places.len(), m.surnames.len());
        assert_eq!(article(&m, 7, 42, false), article(&m, 7, 42, false));
        assert_ne!(article(&m, 7, 42, false), article(&m, 7, 43, false));
        let all: String = (0..200).flat_map(|i| article(&m, 7, i, false).files).map(|(_, t)| t).collect();
        // Seed names are replaced by drawn ones (the seeds talk about Raqqa in nearly every line).
        assert!(all.matches("Raqqa").count() < 20, "{}", all.matches("Raqqa").count());
        assert!((0..200).any(|i| article(&m, 7, i, false).files.iter().any(|(n, _)| n.ends_with(".md"))));
        // Asking for the Hugo page changes nothing in the archive (same random stream).
        for i in 0..50 {
            assert_eq!(article(&m, 7, i, false).files, article(&m, 7, i, true).files);
        }
    }

    /// Every file of a folder, by relative path.
    fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
            .collect();
        files.sort();
        files
    }

    #[test]
    fn hugo_site_is_deterministic_and_its_front_matter_parses() {
        let tmp = tempfile::tempdir().unwrap();
        let n = 300;
        let (a1, h1, a2, h2) = (tmp.path().join("a1"), tmp.path().join("h1"), tmp.path().join("a2"), tmp.path().join("h2"));
        write(&a1, n, 11, Some(&h1)).unwrap();
        write(&a2, n, 11, Some(&h2)).unwrap();
        let (site1, site2) = (tree(&h1), tree(&h2));
        assert_eq!(site1, site2, "the Hugo site is not the same bytes twice");
        assert_eq!(tree(&a1), tree(&a2));
        // The same archive as without --hugo.
        let plain = tmp.path().join("plain");
        write(&plain, n, 11, None).unwrap();
        assert_eq!(tree(&plain), tree(&a1));
        // Neither folder may hold the other.
        assert!(write(&tmp.path().join("x"), 1, 11, Some(&tmp.path().join("x").join("hugo"))).is_err());

        toml::from_str::<toml::Table>(HUGO_CONFIG).unwrap();
        for (name, _) in HUGO_LAYOUTS {
            assert!(site1.iter().any(|(p, _)| *p == Path::new("layouts").join(name)), "{name}");
        }
        let pages: Vec<_> = site1.iter().filter(|(p, _)| p.starts_with("content/articles")).collect();
        assert_eq!(pages.len(), n);
        let (mut tagged, mut dated) = (0, 0);
        for (path, bytes) in pages {
            let text = std::str::from_utf8(bytes).unwrap();
            let rest = text.strip_prefix("+++\n").unwrap_or_else(|| panic!("{}: no front matter", path.display()));
            let (fm, body) = rest.split_once("+++\n").unwrap();
            let fm: toml::Table = toml::from_str(fm).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(fm["title"].as_str().is_some_and(|t| !t.is_empty()), "{}", path.display());
            assert!(body.trim().len() > 200, "{}", path.display());
            let terms = |k: &str| fm[k].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect::<Vec<_>>();
            let (locations, organisations, people) = (terms("locations"), terms("organisations"), terms("people"));
            // Each name listed is in the text (a person at least by surname), once.
            for name in locations.iter().chain(&organisations).chain(&people) {
                let surname = name.rsplit(' ').next().unwrap();
                let title = fm["title"].as_str().unwrap();
                assert!(body.contains(surname) || title.contains(surname) || body.contains(&name.to_uppercase()), "{}: {name}", path.display());
            }
            for list in [&locations, &organisations, &people] {
                let mut d = list.clone();
                d.dedup();
                assert_eq!(&d, list);
            }
            if !locations.is_empty() && !people.is_empty() && !organisations.is_empty() {
                tagged += 1;
            }
            if let Some(d) = fm.get("date") {
                assert_eq!(d.as_str().unwrap().len(), 10);
                dated += 1;
            }
        }
        assert!(tagged * 10 >= n * 9, "only {tagged} of {n} articles list a term of each taxonomy");
        // Dated unless the archive has only a dateline (about 10%).
        assert!(dated * 10 >= n * 8 && dated < n, "{dated} of {n} dated");
    }
}
