//! The seed archive against the hand-reviewed gold (`tests/gold/seeds.toml`, a copy of the
//! project's acceptance fixture): structure and published dates must hold exactly; entity and
//! merge expectations must hold except for the misses listed in `KNOWN_MISSES`, so that both a
//! regression and an improvement make this test fail and get looked at.

mod common;
use common::*;
use std::collections::BTreeSet;

/// Expectations the rule annotator does not meet yet (the trained tagger is the next step).
const KNOWN_MISSES: &[&str] = &[];

fn norm(s: &str) -> String {
    let s = s.replace(['\u{2019}', '\u{2018}'], "'").replace(['\u{201C}', '\u{201D}'], "\"");
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

fn word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// A mention marks a form when it equals it or contains it as whole words.
fn marks(mention: &str, form: &str) -> bool {
    let (m, f) = (norm(mention), norm(form));
    if m == f {
        return true;
    }
    m.match_indices(&f).any(|(i, _)| !m[..i].chars().next_back().is_some_and(word) && !m[i + f.len()..].chars().next().is_some_and(word))
}

/// The page's text lines, its <h1> texts and its h2-h4 texts.
fn page_text(html: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut text = String::new();
    let (mut h1, mut heads) = (Vec::new(), Vec::new());
    let mut cur: Option<(bool, String)> = None;
    let mut skip = false;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let chunk = decode(&rest[..lt]);
        if !skip {
            text.push_str(&chunk);
            if let Some((_, s)) = &mut cur {
                s.push_str(&chunk);
            }
        }
        let gt = rest[lt..].find('>').map_or(rest.len(), |g| lt + g);
        let tag = rest[lt + 1..gt].to_lowercase();
        let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_alphanumeric()).collect();
        let closing = tag.starts_with('/');
        if ["script", "style", "template"].contains(&name.as_str()) {
            skip = !closing;
        }
        if ["p", "div", "li", "h1", "h2", "h3", "h4", "br", "section", "article", "header", "footer", "nav", "td", "th"].contains(&name.as_str()) {
            text.push('\n');
        }
        if ["h1", "h2", "h3", "h4"].contains(&name.as_str()) {
            if closing {
                if let Some((is_h1, s)) = cur.take() {
                    if is_h1 { h1.push(s) } else { heads.push(s) }
                }
            } else {
                cur = Some((name == "h1", String::new()));
            }
        }
        rest = &rest[(gt + 1).min(rest.len())..];
    }
    let lines = text.lines().filter(|l| !l.trim().is_empty()).map(norm).collect();
    (lines, h1, heads)
}

fn decode(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let semi = rest[amp..].find(';').map(|x| amp + x);
        let ent = semi.map(|x| &rest[amp + 1..x]).unwrap_or("");
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "nbsp" => Some('\u{a0}'),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match (ch, semi) {
            (Some(c), Some(x)) => {
                out.push(c);
                rest = &rest[x + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[amp + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn seed_site_matches_the_gold() {
    let gold: toml::Value = toml::from_str(&std::fs::read_to_string(project().join("tests/gold/seeds.toml")).unwrap()).unwrap();
    let (_tmp, site) = seed_site();
    let input = site.parent().unwrap().join("seeds");
    let data = archive(&site);
    let entities: std::collections::HashMap<&str, &serde_json::Value> = data["entities"].as_array().unwrap().iter().map(|e| (e["id"].as_str().unwrap(), e)).collect();
    let by_source = |src: &str| data["articles"].as_array().unwrap().iter().find(|a| a["source"].as_str() == Some(src)).cloned();
    let mut strict = Vec::new();
    let mut soft = BTreeSet::new();

    for g in gold["article"].as_array().unwrap() {
        let src = g["source"].as_str().unwrap();
        let art = by_source(src).unwrap_or_else(|| panic!("{src}: not in archive.json"));
        let text: Vec<char> = std::fs::read_to_string(input.join(src)).unwrap().chars().collect();
        for m in art["mentions"].as_array().unwrap().iter().chain(art["dates"].as_array().unwrap()) {
            let (s, e) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
            let got: String = text[s..e].iter().collect();
            if got != m["text"].as_str().unwrap() {
                strict.push(format!("{src}: offsets {s}..{e} do not hold {}", m["text"]));
            }
        }
        // Structure.
        let html = std::fs::read_to_string(site.join(art["url"].as_str().unwrap())).unwrap();
        let (lines, h1, heads) = page_text(&html);
        let all = lines.join("\n");
        let title = art["title"].as_str().unwrap();
        match g.get("title").and_then(|t| t.as_str()).filter(|t| !t.is_empty()) {
            Some(t) if norm(t) != norm(title) => strict.push(format!("{src}: title {title:?}, expected {t:?}")),
            None if title.is_empty() || title.chars().count() > 110 => strict.push(format!("{src}: derived title {title:?}")),
            _ => {}
        }
        if !h1.iter().any(|h| norm(h) == norm(title)) {
            strict.push(format!("{src}: <h1> is not the title ({h1:?})"));
        }
        for f in g.get("furniture").and_then(|v| v.as_array()).into_iter().flatten() {
            if lines.contains(&norm(f.as_str().unwrap())) {
                strict.push(format!("{src}: furniture {f} shown"));
            }
        }
        for h in g.get("headings").and_then(|v| v.as_array()).into_iter().flatten() {
            if !heads.iter().any(|x| norm(x) == norm(h.as_str().unwrap())) {
                strict.push(format!("{src}: {h} is not a sub-heading"));
            }
        }
        if let Some(sf) = g.get("standfirst").and_then(|v| v.as_str()) {
            if !all.contains(&norm(sf)) {
                strict.push(format!("{src}: standfirst missing"));
            }
        }
        for p in g.get("duplicated").and_then(|v| v.as_array()).into_iter().flatten() {
            let n = all.matches(&norm(p.as_str().unwrap())).count();
            if n != 1 {
                strict.push(format!("{src}: duplicated paragraph shown {n} times"));
            }
        }
        if art["published"].as_str() != g["published"].as_str() {
            strict.push(format!("{src}: published {}, expected {}", art["published"], g["published"]));
        }
        // Entities.
        let mentions = art["mentions"].as_array().unwrap();
        let entities = &entities;
        for (typ, groups) in g["entities"].as_table().unwrap() {
            for group in groups.as_array().unwrap() {
                let mut ids = BTreeSet::new();
                for form in group.as_array().unwrap() {
                    let form = form.as_str().unwrap();
                    let hits: Vec<&str> = mentions.iter().filter(|m| entities[m["entity"].as_str().unwrap()]["type"] == typ.as_str()).filter(|m| marks(m["text"].as_str().unwrap(), form)).map(|m| m["entity"].as_str().unwrap()).collect();
                    if hits.is_empty() {
                        soft.insert(format!("{src}: {typ} '{form}' is not marked"));
                    }
                    ids.extend(hits.first().copied());
                }
                if ids.len() > 1 {
                    soft.insert(format!("{src}: {group} resolve to different {typ} entities {ids:?}"));
                }
            }
        }
        for bad in g.get("not_entities").and_then(|v| v.as_array()).into_iter().flatten() {
            if mentions.iter().any(|m| norm(m["text"].as_str().unwrap()) == norm(bad.as_str().unwrap())) {
                soft.insert(format!("{src}: {bad} is marked as an entity"));
            }
        }
    }
    // Merges across articles.
    for mg in gold["merge"].as_array().unwrap() {
        let typ = mg["type"].as_str().unwrap();
        let forms: Vec<&str> = mg["forms"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
        let mut ids = BTreeSet::new();
        let mut want = BTreeSet::new();
        for s in mg["articles"].as_array().unwrap() {
            let art = by_source(s.as_str().unwrap()).unwrap();
            want.insert(art["id"].as_str().unwrap().to_string());
            for m in art["mentions"].as_array().unwrap() {
                let e = entities[m["entity"].as_str().unwrap()];
                if e["type"] == typ && forms.iter().any(|f| marks(m["text"].as_str().unwrap(), f)) {
                    ids.insert(e["id"].as_str().unwrap().to_string());
                }
            }
        }
        if ids.len() != 1 {
            soft.insert(format!("merge {forms:?}: {} entities {ids:?}", ids.len()));
            continue;
        }
        let e = entities[ids.iter().next().unwrap().as_str()];
        let have: BTreeSet<String> = e["articles"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect();
        if !want.is_subset(&have) {
            soft.insert(format!("merge {forms:?}: entity page misses articles"));
        }
        assert!(site.join(e["url"].as_str().unwrap()).is_file());
    }
    assert!(strict.is_empty(), "structure and published:\n{}", strict.join("\n"));
    let known: BTreeSet<String> = KNOWN_MISSES.iter().map(|s| s.to_string()).collect();
    assert_eq!(soft, known, "entity/merge results changed; update KNOWN_MISSES only for real improvements");
}
