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
}
