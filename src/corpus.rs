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

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::Path;

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
            let mentions = annotator.annotate(&crate::annotate::Document { text: seed, start: 0, dateline: None });
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

    fn fill(&self, t: &Template, rng: &mut Rng) -> String {
        let mut out = String::with_capacity(t.text.len() + 32);
        let mut pos = 0;
        for &(a, b, kind) in &t.slots {
            if a < pos {
                continue;
            }
            out.push_str(&t.text[pos..a]);
            let name = match kind {
                EntityKind::Person => {
                    let p = rng.pick(&self.people);
                    // A later mention often uses the surname alone, as news copy does.
                    if rng.chance(40) { p.rsplit(' ').next().unwrap_or(p).to_string() } else { p.clone() }
                }
                EntityKind::Location => rng.pick(&self.places).clone(),
                _ => rng.pick(&self.orgs).clone(),
            };
            out.push_str(&name);
            pos = b;
        }
        out.push_str(&t.text[pos..]);
        out
    }
}

/// What was written, for the summary line.
pub struct Written {
    pub files: usize,
    pub bytes: u64,
}

/// Writes `n` articles under `out` (which must be empty or absent).
pub fn write(out: &Path, n: usize, seed: u64) -> Result<Written> {
    if out.exists() && std::fs::read_dir(out).with_context(|| format!("{}: cannot read", out.display()))?.next().is_some() {
        anyhow::bail!("{}: not empty; bench-corpus writes only into a new or empty folder", out.display());
    }
    let m = Material::gather();
    anyhow::ensure!(!m.sentences.is_empty(), "no seed sentences to build from");
    let bytes: Vec<Result<u64>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let files = article(&m, seed, i);
            let dir = out.join(format!("{:04}", i / 1000));
            std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
            let mut total = 0;
            for (name, text) in files {
                let path = dir.join(name);
                std::fs::write(&path, &text).with_context(|| format!("{}: cannot write", path.display()))?;
                total += text.len() as u64;
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

/// One article: its file (and sidecar), as (file name, contents).
fn article(m: &Material, seed: u64, i: usize) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed, i as u64);
    let cast = Cast::new(m, &mut rng);
    let (year, month, day) = (2000 + rng.below(25), 1 + rng.below(12), 1 + rng.below(28));
    let mut paragraphs: Vec<String> = (0..6 + rng.below(9))
        .map(|_| (0..1 + rng.below(3)).map(|_| cast.fill(rng.pick(&m.sentences), &mut rng)).collect::<Vec<_>>().join(" "))
        .collect();
    let headline = {
        let s = cast.fill(rng.pick(&m.sentences), &mut rng);
        let words: Vec<&str> = s.split_whitespace().take(6 + rng.below(6)).collect();
        words.join(" ").trim_end_matches([',', '.', ';', ':']).to_string()
    };
    let agency = rng.pick(&m.agencies).clone();
    let dateline = rng.chance(50);
    if dateline {
        let place = cast.places[0].to_uppercase();
        paragraphs[0] = format!("{place}, {} {day}. /{agency}/. {}", MONTHS[month - 1], paragraphs[0]);
    }
    let messy = rng.chance(10);
    if messy {
        let k = rng.below(paragraphs.len());
        let again = paragraphs[k].clone();
        paragraphs.insert(k + 1, again);
    }
    let id = format!("a{i:06}");
    let published = format!("{year:04}-{month:02}-{day:02}");
    if rng.chance(3) {
        // Markdown with front matter, a sub-heading and a list.
        let mut md = format!("+++\ntitle = {headline:?}\ndate = {published:?}\npublisher = {agency:?}\n+++\n\n");
        for (k, p) in paragraphs.iter().enumerate() {
            if k == paragraphs.len() / 2 {
                let _ = write!(md, "## {}\n\n", cast.places[0]);
                let _ = write!(md, "- {}\n- {}\n\n", cast.people[0], cast.orgs[0]);
            }
            let _ = write!(md, "{p}\n\n");
        }
        return vec![(format!("{id}.md"), md)];
    }
    let mut text = String::new();
    if messy {
        let _ = writeln!(text, "{}\n", rng.pick(&m.furniture));
    }
    let _ = write!(text, "{headline}\n\n");
    for p in &paragraphs {
        let _ = write!(text, "{p}\n\n");
    }
    if messy {
        let _ = writeln!(text, "{}", rng.pick(&m.furniture));
    }
    let mut files = vec![(format!("{id}.txt"), text)];
    // Most articles have metadata; some have only their dateline (day and month, no year).
    if !dateline || rng.chance(80) {
        files.push((format!("{id}.toml"), format!("published = {published:?}\npublisher = {agency:?}\n")));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_articles_and_names_replaced() {
        let m = Material::gather();
        assert!(m.sentences.len() > 20 && m.places.len() > 1000 && m.surnames.len() > 100, "{} {} {}", m.sentences.len(), m.places.len(), m.surnames.len());
        assert_eq!(article(&m, 7, 42), article(&m, 7, 42));
        assert_ne!(article(&m, 7, 42), article(&m, 7, 43));
        let all: String = (0..200).flat_map(|i| article(&m, 7, i)).map(|(_, t)| t).collect();
        // Seed names are replaced by drawn ones (the seeds talk about Raqqa in nearly every line).
        assert!(all.matches("Raqqa").count() < 20, "{}", all.matches("Raqqa").count());
        assert!((0..200).any(|i| article(&m, 7, i).iter().any(|(n, _)| n.ends_with(".md"))));
    }
}
