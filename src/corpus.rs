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
//! With `--zola DIR` the same articles go to a Zola site as well: `DIR/config.toml`, the theme of
//! `benches/zola/templates/`, `_index.md` files and `DIR/content/articles/ID.md`, the same
//! page with Zola's front matter (`[taxonomies]`, the publisher in `[extra]`).
//!
//! With `--plain` the articles are those of `plain_article` instead: Markdown of common words,
//! 8 paragraphs, three taxonomies with a few names each, which is what Zola and Hugo sites are
//! usually made of, so the benchmark compares the generators on their ground as well as on
//! Dossier's (many names an article).

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
        let lex: &Lexicon = &lex;
        let annotator = crate::annotate::default_annotator();
        let mut sentences = Vec::new();
        for seed in SEEDS {
            let mentions = annotator.annotate(&crate::annotate::Document::new(seed, 0, None));
            let tokens = crate::tagger::tokens::tokenize(seed, 0, seed.len());
            for s in crate::tagger::tokens::sentences(seed, &tokens) {
                let (a, b) = (tokens[s.start].span.start(), tokens[s.end - 1].span.end());
                let text = &seed[a..b];
                // Whole sentences of prose only: no headlines, furniture or cut-off lines.
                if text.len() < 60 || text.len() > 400 || !text.ends_with(['.', '"', '\u{201D}']) || text.contains('\n') {
                    continue;
                }
                let slots = mentions.iter().filter(|m| m.kind != EntityKind::Misc && m.span.start() >= a && m.span.end() <= b).map(|m| (m.span.start() - a, m.span.end() - a, m.kind)).collect();
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

/// The minimal Zola theme, the same pages as the Hugo one (home, article list, article,
/// taxonomy and term pages), kept in the repo as `benches/zola/templates/` (Zola 0.22's
/// names) and written into the site.
const ZOLA_TEMPLATES: [(&str, &str); 7] = [
    ("base.html", include_str!("../benches/zola/templates/base.html")),
    ("macros.html", include_str!("../benches/zola/templates/macros.html")),
    ("index.html", include_str!("../benches/zola/templates/index.html")),
    ("section.html", include_str!("../benches/zola/templates/section.html")),
    ("page.html", include_str!("../benches/zola/templates/page.html")),
    ("taxonomy_list.html", include_str!("../benches/zola/templates/taxonomy_list.html")),
    ("taxonomy_single.html", include_str!("../benches/zola/templates/taxonomy_single.html")),
];

const ZOLA_CONFIG: &str = r#"# Written by `dossier bench-corpus --zola`: the same articles as the Dossier archive beside
# it, for benches/bench.sh.
base_url = "http://localhost/"
title = "Dossier benchmark archive"
# As for Hugo: Dossier writes no feed without a base_url, and the benchmark sets none. Zola
# always writes sitemap.xml, robots.txt and 404.html (three files a site, nothing an article).
generate_feeds = false
build_search_index = false
compile_sass = false
taxonomies = [{ name = "locations" }, { name = "organisations" }, { name = "people" }]
"#;

/// Zola needs a `_index.md` for the home page and for each section. The article section is not
/// sorted: sorted by date, Zola would leave the undated articles (about 10%) out of the site.
const ZOLA_SECTIONS: [(&str, &str); 2] = [("content/_index.md", "+++\ntitle = \"Dossier benchmark archive\"\n+++\n"), ("content/articles/_index.md", "+++\ntitle = \"Articles\"\n+++\n")];

/// What `write` makes besides the Dossier archive.
#[derive(Default)]
pub struct Options<'a> {
    /// The same articles as a Hugo site in this folder (new or empty).
    pub hugo: Option<&'a Path>,
    /// The same articles as a Zola site in this folder (new or empty).
    pub zola: Option<&'a Path>,
    /// The plain corpus (`plain_article`) instead of the bench one.
    pub plain: bool,
}

/// Writes the fixed files of a generator's site into `dir` (new or empty, apart from the
/// archive `out`) and returns its folder for the article pages.
fn site_skeleton(out: &Path, dir: &Path, files: &[(&str, &str)], articles: &str) -> Result<PathBuf> {
    ensure_empty(dir)?;
    let (a, b) = (std::path::absolute(out)?, std::path::absolute(dir)?);
    anyhow::ensure!(!a.starts_with(&b) && !b.starts_with(&a), "{} and {}: the archive and the site must be apart, neither inside the other", out.display(), dir.display());
    for (name, text) in files {
        let file = dir.join(name);
        let parent = file.parent().expect("a file in the site");
        std::fs::create_dir_all(parent).with_context(|| format!("{}: cannot create", parent.display()))?;
        std::fs::write(&file, text).with_context(|| format!("{}: cannot write", file.display()))?;
    }
    let articles = dir.join(articles);
    std::fs::create_dir_all(&articles).with_context(|| format!("{}: cannot create", articles.display()))?;
    Ok(articles)
}

/// Writes `n` articles under `out` (which must be empty or absent) and, as `opts` asks, the
/// same articles as a Hugo and a Zola site.
pub fn write(out: &Path, n: usize, seed: u64, opts: &Options) -> Result<Written> {
    ensure_empty(out)?;
    let hugo_articles = match opts.hugo {
        Some(h) => {
            let mut files: Vec<(String, &str)> = HUGO_LAYOUTS.iter().map(|(name, text)| (format!("layouts/{name}"), *text)).collect();
            files.push(("hugo.toml".into(), HUGO_CONFIG));
            let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), *b)).collect();
            Some(site_skeleton(out, h, &files, "content/articles")?)
        }
        None => None,
    };
    let zola_articles = match opts.zola {
        Some(z) => {
            let mut files: Vec<(String, &str)> = ZOLA_TEMPLATES.iter().map(|(name, text)| (format!("templates/{name}"), *text)).collect();
            files.push(("config.toml".into(), ZOLA_CONFIG));
            files.extend(ZOLA_SECTIONS.iter().map(|(a, b)| (a.to_string(), *b)));
            let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), *b)).collect();
            Some(site_skeleton(out, z, &files, "content/articles")?)
        }
        None => None,
    };
    if let (Some(h), Some(z)) = (opts.hugo, opts.zola) {
        let (a, b) = (std::path::absolute(h)?, std::path::absolute(z)?);
        anyhow::ensure!(!a.starts_with(&b) && !b.starts_with(&a), "{} and {}: the Hugo and Zola sites must be apart", h.display(), z.display());
    }
    let m = Material::gather();
    anyhow::ensure!(!m.sentences.is_empty(), "no seed sentences to build from");
    let pages = hugo_articles.is_some() || zola_articles.is_some();
    let bytes: Vec<Result<u64>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let a = if opts.plain { plain_article(&m, seed, i) } else { article(&m, seed, i, pages) };
            let dir = out.join(format!("{:04}", i / 1000));
            std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
            let mut total = 0;
            for (name, text) in a.files {
                let path = dir.join(name);
                std::fs::write(&path, &text).with_context(|| format!("{}: cannot write", path.display()))?;
                total += text.len() as u64;
            }
            for (dir, render) in [(&hugo_articles, hugo_page as fn(&Page) -> String), (&zola_articles, zola_page)] {
                if let (Some(dir), Some(page)) = (dir, &a.page) {
                    let path = dir.join(format!("{}.md", a.id));
                    std::fs::write(&path, render(page)).with_context(|| format!("{}: cannot write", path.display()))?;
                }
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
    /// The same article as a page of Hugo and Zola, when asked for.
    page: Option<Page>,
}

/// An article as a page of another generator: its title, date, publisher, the names put into
/// it by kind (sorted, each once) and the Markdown body. `hugo_page` and `zola_page` write it in
/// each one's front matter.
#[derive(Debug, PartialEq, serde::Serialize)]
struct Page {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    publisher: String,
    locations: Vec<String>,
    organisations: Vec<String>,
    people: Vec<String>,
    #[serde(skip)]
    body: String,
}

/// Hugo: TOML front matter with the taxonomies as top-level keys (as `HUGO_CONFIG` declares).
fn hugo_page(p: &Page) -> String {
    format!("+++\n{}+++\n\n{}", toml::to_string(p).expect("front matter of plain strings"), p.body)
}

/// Zola: the same in Zola's front matter, taxonomies in `[taxonomies]` and the publisher, which
/// Zola has no field for, in `[extra]`.
fn zola_page(p: &Page) -> String {
    #[derive(serde::Serialize)]
    struct Taxonomies<'a> {
        locations: &'a [String],
        organisations: &'a [String],
        people: &'a [String],
    }
    #[derive(serde::Serialize)]
    struct Extra<'a> {
        publisher: &'a str,
    }
    #[derive(serde::Serialize)]
    struct Front<'a> {
        title: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        date: Option<&'a str>,
        taxonomies: Taxonomies<'a>,
        extra: Extra<'a>,
    }
    let fm = Front {
        title: &p.title,
        date: p.date.as_deref(),
        taxonomies: Taxonomies { locations: &p.locations, organisations: &p.organisations, people: &p.people },
        extra: Extra { publisher: &p.publisher },
    };
    format!("+++\n{}+++\n\n{}", toml::to_string(&fm).expect("front matter of plain strings"), p.body)
}

fn article(m: &Material, seed: u64, i: usize, pages: bool) -> Article {
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
    let page = |body: &str, dated: bool| {
        let names = |kind| {
            let mut v: Vec<String> = used.iter().filter(|u| u.kind == kind).map(|u| cast.name(kind, u.index).to_string()).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        Page {
            title: headline.clone(),
            date: dated.then(|| published.clone()),
            publisher: agency.clone(),
            locations: names(EntityKind::Location),
            organisations: names(EntityKind::Organisation),
            people: names(EntityKind::Person),
            body: body.to_string(),
        }
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
        let page = pages.then(|| page(&md[body_start..], true));
        return Article { files: vec![(format!("{id}.md"), md)], page, id };
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
    // In Hugo and Zola the headline is the title; the body is the rest of the file, furniture and all.
    let page = pages.then(|| page(&format!("{}{}", &text[..headline_at], &text[body_start..]), sidecar));
    let mut files = vec![(format!("{id}.txt"), text)];
    if sidecar {
        files.push((format!("{id}.toml"), format!("published = {published:?}\npublisher = {agency:?}\n")));
    }
    Article { id, files, page }
}

/// Words of the plain corpus: common lowercase English, none of them a name.
const NOUNS: [&str; 40] = [
    "council", "market", "report", "plan", "road", "school", "budget", "price", "water", "river", "bridge", "farm", "harvest", "village", "family",
    "meeting", "project", "station", "hospital", "worker", "teacher", "driver", "company", "office", "law", "rule", "storm", "season", "crowd", "team",
    "museum", "library", "garden", "house", "street", "factory", "engine", "train", "boat", "festival",
];
const ADJECTIVES: [&str; 24] = [
    "new", "old", "local", "small", "large", "early", "late", "quiet", "busy", "public", "short", "long", "cold", "warm", "strong", "weak", "second",
    "final", "recent", "main", "rural", "open", "careful", "modest",
];
const VERBS: [&str; 24] = [
    "opened", "closed", "approved", "delayed", "reviewed", "changed", "moved", "built", "repaired", "visited", "reported", "reduced", "raised",
    "planned", "followed", "replaced", "supported", "questioned", "described", "finished", "started", "improved", "shared", "checked",
];
const LINKS: [&str; 10] = ["after", "before", "near", "beside", "during", "without", "despite", "under", "behind", "around"];
const OPENERS: [&str; 8] = ["The", "A", "Each", "Another", "One", "Every", "That", "This"];

/// A plain sentence: "The quiet council approved the budget after the long storm." and
/// variants, all lowercase but the first word.
fn plain_sentence(rng: &mut Rng) -> String {
    let (opener, adjective) = (*rng.pick(&OPENERS), *rng.pick(&ADJECTIVES));
    let opener = if opener == "A" && adjective.starts_with(['a', 'e', 'i', 'o', 'u']) { "An" } else { opener };
    let mut s = format!("{opener} {adjective} {} {} the {}", rng.pick(&NOUNS), rng.pick(&VERBS), rng.pick(&NOUNS));
    if rng.chance(60) {
        let _ = write!(s, " {} the {} {}", rng.pick(&LINKS), rng.pick(&ADJECTIVES), rng.pick(&NOUNS));
    }
    if rng.chance(30) {
        let _ = write!(s, ", and the {} {} it {} the {}", rng.pick(&NOUNS), rng.pick(&VERBS), rng.pick(&LINKS), rng.pick(&NOUNS));
    }
    s.push('.');
    s
}

/// One article of the plain corpus (`bench-corpus --plain`), the kind of site Zola and Hugo
/// are made for: a Markdown file with front matter (title, date, publisher), 8 paragraphs of
/// 3 to 6 sentences from the common words above, and three taxonomies with a few names each
/// (1-2 places, 1 organisation, 1-2 people from the same lists as the bench corpus). Each name
/// is written once in the text, in a sentence of its own, so an article names 3 to 5 entities
/// where a bench article names dozens: the corpus on which Dossier's annotating costs least.
fn plain_article(m: &Material, seed: u64, i: usize) -> Article {
    let mut rng = Rng::new(seed ^ 0x504C_4149_4E00, i as u64);
    let places: Vec<String> = (0..1 + rng.below(2)).map(|_| rng.pick(&m.places).clone()).collect();
    let orgs = vec![rng.pick(&m.orgs).clone()];
    let people: Vec<String> = (0..1 + rng.below(2)).map(|_| format!("{} {}", rng.pick(&m.given), rng.pick(&m.surnames))).collect();
    let (year, month, day) = (2000 + rng.below(25), 1 + rng.below(12), 1 + rng.below(28));
    let mut paragraphs: Vec<Vec<String>> = (0..8).map(|_| (0..3 + rng.below(4)).map(|_| plain_sentence(&mut rng)).collect()).collect();
    let mentions = places.iter().map(|p| format!("Officials in {p} said the work would go on."))
        .chain(orgs.iter().map(|o| format!("A spokesperson for {o} declined to comment.")))
        .chain(people.iter().map(|p| format!("{p} said the plan was {}.", rng.pick(&ADJECTIVES))));
    for (k, sentence) in mentions.collect::<Vec<_>>().into_iter().enumerate() {
        paragraphs[(k * 3) % 8].push(sentence);
    }
    let title = plain_sentence(&mut rng).trim_end_matches('.').to_string();
    let agency = rng.pick(&m.agencies).clone();
    let id = format!("a{i:06}");
    let published = format!("{year:04}-{month:02}-{day:02}");
    let body: String = paragraphs.iter().map(|p| format!("{}\n\n", p.join(" "))).collect();
    let md = format!("+++\ntitle = {title:?}\ndate = {published:?}\npublisher = {agency:?}\n+++\n\n{body}");
    let sorted = |mut v: Vec<String>| {
        v.sort_unstable();
        v.dedup();
        v
    };
    let page = Page { title, date: Some(published), publisher: agency, locations: sorted(places), organisations: sorted(orgs), people: sorted(people), body };
    Article { files: vec![(format!("{id}.md"), md)], page: Some(page), id }
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
        write(&a1, n, 11, &Options { hugo: Some(&h1), ..Options::default() }).unwrap();
        write(&a2, n, 11, &Options { hugo: Some(&h2), ..Options::default() }).unwrap();
        let (site1, site2) = (tree(&h1), tree(&h2));
        assert_eq!(site1, site2, "the Hugo site is not the same bytes twice");
        assert_eq!(tree(&a1), tree(&a2));
        // The same archive as without --hugo.
        let plain = tmp.path().join("plain");
        write(&plain, n, 11, &Options::default()).unwrap();
        assert_eq!(tree(&plain), tree(&a1));
        // Neither folder may hold the other.
        assert!(write(&tmp.path().join("x"), 1, 11, &Options { hugo: Some(&tmp.path().join("x").join("hugo")), ..Options::default() }).is_err());

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

    /// Every article page of a Hugo or Zola site: (path, front matter, body).
    fn pages(site: &[(PathBuf, Vec<u8>)]) -> Vec<(PathBuf, toml::Table, String)> {
        site.iter()
            .filter(|(p, _)| p.starts_with("content/articles") && !p.ends_with("_index.md"))
            .map(|(path, bytes)| {
                let text = std::str::from_utf8(bytes).unwrap();
                let rest = text.strip_prefix("+++\n").unwrap_or_else(|| panic!("{}: no front matter", path.display()));
                let (fm, body) = rest.split_once("+++\n").unwrap();
                let fm: toml::Table = toml::from_str(fm).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                (path.clone(), fm, body.to_string())
            })
            .collect()
    }

    #[test]
    fn zola_site_is_deterministic_and_matches_the_hugo_site() {
        let tmp = tempfile::tempdir().unwrap();
        let n = 200;
        let dirs: Vec<PathBuf> = ["a1", "h1", "z1", "a2", "z2"].iter().map(|d| tmp.path().join(d)).collect();
        write(&dirs[0], n, 11, &Options { hugo: Some(&dirs[1]), zola: Some(&dirs[2]), plain: false }).unwrap();
        write(&dirs[3], n, 11, &Options { zola: Some(&dirs[4]), ..Options::default() }).unwrap();
        let (zola, hugo) = (tree(&dirs[2]), tree(&dirs[1]));
        assert_eq!(zola, tree(&dirs[4]), "the Zola site is not the same bytes twice");
        assert_eq!(tree(&dirs[0]), tree(&dirs[3]), "asking for Zola changed the archive");
        assert!(write(&tmp.path().join("y"), 1, 11, &Options { zola: Some(&tmp.path().join("y").join("zola")), ..Options::default() }).is_err());

        let config: toml::Table = toml::from_str(ZOLA_CONFIG).unwrap();
        let taxonomies: Vec<&str> = config["taxonomies"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
        assert_eq!(taxonomies, ["locations", "organisations", "people"]);
        for (name, _) in ZOLA_TEMPLATES {
            assert!(zola.iter().any(|(p, _)| *p == Path::new("templates").join(name)), "{name}");
        }
        for (name, text) in ZOLA_SECTIONS {
            assert!(zola.iter().any(|(p, b)| p == Path::new(name) && b == text.as_bytes()), "{name}");
        }
        // The same article, title, date and names as the Hugo page, in Zola's places.
        let (z, h) = (pages(&zola), pages(&hugo));
        assert_eq!(z.len(), n);
        assert_eq!(h.len(), n);
        for ((zp, zfm, zbody), (hp, hfm, hbody)) in z.iter().zip(&h) {
            assert_eq!((zp, zbody), (hp, hbody));
            assert_eq!(zfm["title"], hfm["title"]);
            assert_eq!(zfm.get("date"), hfm.get("date"), "{}", zp.display());
            assert_eq!(zfm["extra"]["publisher"], hfm["publisher"]);
            for kind in ["locations", "organisations", "people"] {
                assert_eq!(zfm["taxonomies"][kind], hfm[kind], "{}: {kind}", zp.display());
            }
        }
    }

    /// Words with a capital that do not start a sentence: the names an article writes.
    fn capitalised_inside_sentences(text: &str) -> usize {
        let mut count = 0;
        let mut start = true;
        for w in text.split_whitespace() {
            if !start && w.starts_with(|c: char| c.is_uppercase()) {
                count += 1;
            }
            start = w.ends_with(['.', '"', '\u{201D}', ':']);
        }
        count
    }

    #[test]
    fn plain_corpus_is_deterministic_and_names_few_entities() {
        let m = Material::gather();
        assert_eq!(plain_article(&m, 7, 5), plain_article(&m, 7, 5));
        assert_ne!(plain_article(&m, 7, 5), plain_article(&m, 7, 6));
        let (mut plain_names, mut bench_names) = (0, 0);
        for i in 0..100 {
            let a = plain_article(&m, 7, i);
            let page = a.page.as_ref().unwrap();
            let (_, md) = &a.files[0];
            let body = md.split_once("+++\n\n").unwrap().1;
            assert_eq!(body, page.body);
            assert_eq!(body.trim_end().split("\n\n").count(), 8, "{}", a.id);
            let names: Vec<&String> = page.locations.iter().chain(&page.organisations).chain(&page.people).collect();
            // 1-2 places, 1 organisation, 1-2 people (two draws may give the same name).
            assert!((2..=5).contains(&names.len()), "{}: {names:?}", a.id);
            for name in &names {
                assert!(body.contains(name.as_str()), "{}: {name}", a.id);
            }
            // Apart from the sentences naming them, no capital inside a sentence.
            plain_names += capitalised_inside_sentences(body);
            bench_names += article(&m, 7, i, false).files.iter().filter(|(n, _)| !n.ends_with(".toml")).map(|(_, t)| capitalised_inside_sentences(t)).sum::<usize>();
            toml::from_str::<toml::Table>(md.strip_prefix("+++\n").unwrap().split_once("+++\n").unwrap().0).unwrap();
        }
        assert!(plain_names <= 100 * 8, "{plain_names} capitalised words inside sentences in 100 plain articles");
        assert!(plain_names * 5 < bench_names, "plain {plain_names}, bench {bench_names}");
        // The Hugo and Zola sites of the plain corpus hold the same articles.
        let tmp = tempfile::tempdir().unwrap();
        let (a, h, z) = (tmp.path().join("a"), tmp.path().join("h"), tmp.path().join("z"));
        write(&a, 30, 7, &Options { hugo: Some(&h), zola: Some(&z), plain: true }).unwrap();
        assert_eq!(pages(&tree(&h)).len(), 30);
        assert_eq!(pages(&tree(&z)).len(), 30);
        assert_eq!(tree(&a).len(), 30);
    }
}
