//! The trained tagger end to end: `dossier train` learns from CoNLL-2003-format data and writes
//! the same bytes every time, `dossier eval` scores a model, and the shipped model tags text
//! with code-point offsets into the file as it is on disk.

mod common;
use common::*;

/// A small CoNLL-2003-format corpus: names recur in varied contexts so that a tagger can learn.
fn corpus() -> String {
    let people = ["Peter Smith", "Anna Berg", "Ivan Petrov", "Maria Lopez", "John Carter", "Li Wei"];
    let places = ["Berlin", "Moscow", "Paris", "Madrid", "Chicago", "Beijing"];
    let orgs = ["Acme Corp", "United Nations", "Reuters", "Gazprom", "World Bank", "Interpol"];
    let mut out = String::new();
    for d in 0..12 {
        out.push_str("-DOCSTART- -X- -X- O\n\n");
        for s in 0..6 {
            let (p, l, o) = (people[(d + s) % 6], places[(d * 5 + s) % 6], orgs[(d + 2 * s) % 6]);
            let mut tok = |w: &str, tag: &str| out.push_str(&format!("{w} X X {tag}\n"));
            let name = |out: &mut dyn FnMut(&str, &str), text: &str, t: &str| {
                for w in text.split(' ') {
                    out(w, &format!("I-{t}"));
                }
            };
            name(&mut tok, p, "PER");
            tok("said", "O");
            tok("in", "O");
            name(&mut tok, l, "LOC");
            tok("that", "O");
            name(&mut tok, o, "ORG");
            tok("would", "O");
            tok("act", "O");
            tok(".", "O");
            out.push('\n');
        }
    }
    out
}

#[test]
fn training_is_deterministic_and_learns() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("tiny.conll");
    std::fs::write(&data, corpus()).unwrap();
    let train = |out: &str| {
        let o = dossier().args(["train", "-q", "--epochs", "4", "--train"]).arg(&data).arg("--dev").arg(&data).arg("--out").arg(dir.path().join(out)).output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        std::fs::read(dir.path().join(out)).unwrap()
    };
    let a = train("a.bin");
    let b = train("b.bin");
    assert!(a.starts_with(b"DOSSIER-NER\n"));
    assert_eq!(a, b, "same data, same seed: same bytes");

    let o = dossier().args(["eval", "--conll"]).arg(&data).arg("--model").arg(dir.path().join("a.bin")).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let report = String::from_utf8_lossy(&o.stdout);
    let f1: f64 = report.lines().last().and_then(|l| l.strip_prefix("micro-F1 ")).expect("last line is micro-F1").trim().parse().unwrap();
    assert!(f1 > 0.9, "a model scored on its own training data should be near perfect: {report}");
    for t in ["PER", "LOC", "ORG", "MISC", "micro PLO", "tokens/s"] {
        assert!(report.contains(t), "eval reports {t}: {report}");
    }
}

#[test]
fn a_broken_model_file_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("tiny.conll");
    std::fs::write(&data, corpus()).unwrap();
    let bad = dir.path().join("bad.bin");
    // The current version (2) followed by one byte: a model cut short.
    std::fs::write(&bad, b"DOSSIER-NER\n\x02\x00\x00\x00\xff").unwrap();
    let o = dossier().args(["eval", "--conll"]).arg(&data).arg("--model").arg(&bad).output().unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("bad.bin") && stderr(&o).contains("truncated"), "{}", stderr(&o));
}

#[test]
fn the_shipped_model_tags_with_offsets_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.txt");
    // Typographic quotes and a non-ASCII name before the mentions shift byte and code-point
    // offsets apart, so an offset bug shows.
    let text = "Café talks\n“We agree,” said Sergei Lavrov in Moscow on Monday.\nRussia's Foreign Ministry and the United Nations said Lavrov would travel to Geneva.\n";
    std::fs::write(&f, text).unwrap();
    let o = dossier().arg("annotate").arg(&f).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for m in v["mentions"].as_array().unwrap() {
        let (s, e) = (m["start"].as_u64().unwrap() as usize, m["end"].as_u64().unwrap() as usize);
        let at: String = chars[s..e].iter().collect();
        assert_eq!(at, m["text"].as_str().unwrap(), "offsets are code points into the file");
        assert!(m["score"].as_f64().unwrap() > 0.0 && m["score"].as_f64().unwrap() < 1.0);
        found.push((at, m["type"].as_str().unwrap().to_string()));
    }
    let has = |t: &str, k: &str| found.iter().any(|(x, y)| x == t && y == k);
    assert!(has("Sergei Lavrov", "person"), "{found:?}");
    assert!(has("Lavrov", "person"), "{found:?}");
    assert!(has("Moscow", "location") && has("Geneva", "location") && has("Russia", "location"), "{found:?}");
    assert!(has("United Nations", "organisation"), "{found:?}");
    assert!(!found.iter().any(|(x, _)| x == "Monday" || x == "We"), "{found:?}");
}
