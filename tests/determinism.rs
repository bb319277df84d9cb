//! Same input, same bytes out.

mod common;
use common::*;

#[test]
fn two_builds_of_the_seeds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("seeds");
    copy_seeds(&input);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(build(&input, &a).status.success());
    assert!(build(&input, &b).status.success());
    let (sa, sb) = (snapshot(&a), snapshot(&b));
    assert!(sa.len() > 20, "a real site was built ({} files)", sa.len());
    assert_eq!(sa.iter().map(|f| &f.0).collect::<Vec<_>>(), sb.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((name, x), (_, y)) in sa.iter().zip(sb.iter()) {
        assert!(x == y, "{name} differs between two builds");
    }
}
