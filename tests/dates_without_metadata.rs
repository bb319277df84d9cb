//! Without sidecar metadata the same date expressions are marked, the TASS datelines give
//! month and day with the year unknown, and no year appears anywhere.

mod common;
use common::*;

#[test]
fn seeds_without_sidecars_never_get_a_year() {
    let tmp = tempfile::tempdir().unwrap();
    let with = tmp.path().join("with");
    copy_seeds(&with);
    let without = tmp.path().join("without");
    std::fs::create_dir_all(&without).unwrap();
    for e in std::fs::read_dir(&with).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&p, without.join(p.file_name().unwrap())).unwrap();
        }
    }
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(build(&with, &a).status.success());
    assert!(build(&without, &b).status.success());
    let (da, db) = (archive(&a), archive(&b));
    let mut published = Vec::new();
    for (x, y) in da["articles"].as_array().unwrap().iter().zip(db["articles"].as_array().unwrap()) {
        let texts = |v: &serde_json::Value| v["dates"].as_array().unwrap().iter().map(|d| d["text"].as_str().unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(texts(x), texts(y), "the same expressions are marked in {}", x["id"]);
        assert!(!texts(y).is_empty());
        for d in y["dates"].as_array().unwrap() {
            let v = d["value"].as_str().unwrap();
            let has_year = v.len() >= 4 && v[..4].bytes().all(|c| c.is_ascii_digit());
            assert!(!has_year, "{}: {:?} got a year: {v}", y["id"], d["text"]);
        }
        published.push(y["published"].clone());
    }
    assert_eq!(published, [serde_json::Value::Null, "XXXX-05-31".into(), serde_json::Value::Null, serde_json::Value::Null, "XXXX-08-11".into()]);

    // Nor on the pages: no year or month page, no machine-readable date with a year, and the
    // timeline has only its year-unknown part.
    let mut dates: Vec<String> = std::fs::read_dir(b.join("dates")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    dates.sort();
    assert_eq!(dates, ["index.html", "timeline.html"]);
    for (path, bytes) in snapshot(&b) {
        let html = String::from_utf8_lossy(&bytes);
        for part in html.split("datetime=\"").skip(1) {
            assert!(!part[..4].bytes().all(|c| c.is_ascii_digit()), "{path}: a year in datetime=\"{}", &part[..12]);
        }
    }
    let timeline = std::fs::read_to_string(b.join("dates/timeline.html")).unwrap();
    assert!(!timeline.contains("class=\"timeline\" aria-label=\"Dates mentioned"), "no dated group without a year");
    assert!(timeline.contains("31 May, year unknown") || timeline.contains("27 May, year unknown"), "year-unknown dates are listed");
    // The reviewer sees which years the dateline and the lead's weekday agree in.
    let lavrov = std::fs::read_to_string(b.join("articles/001-ba1013068994706c.html")).unwrap();
    assert!(lavrov.contains("May 31 fell on a Wednesday in 2000, 2006, 2017, 2023, 2028 and 2034"), "the weekday note is shown");
}
