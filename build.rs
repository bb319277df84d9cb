//! Embeds the built-in `templates/` and `static/` into the binary so that `dossier` works from
//! any folder; an archive's own `templates/` and `static/` can still override them file by file.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let mut out = String::new();
    for dir in ["templates", "static"] {
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        collect(&Path::new(&root).join(dir), &Path::new(&root).join(dir), &mut files);
        files.sort();
        writeln!(out, "pub const {}: &[(&str, &[u8])] = &[", dir.to_uppercase()).unwrap();
        for rel in files {
            println!("cargo:rerun-if-changed={dir}/{rel}");
            writeln!(out, "    ({rel:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{dir}/{rel}\"))),").unwrap();
        }
        writeln!(out, "];").unwrap();
    }
    // What the build cache trusts as "the same program": a hash of everything compiled in (the
    // code, the model, the gazetteer and lists, templates, static files). A different binary
    // never reuses another's cached annotations or pages.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for dir in ["src", "data", "templates", "static"] {
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        collect(&Path::new(&root).join(dir), &Path::new(&root).join(dir), &mut files);
        files.sort();
        for rel in files {
            let bytes = std::fs::read(Path::new(&root).join(dir).join(&rel)).unwrap_or_default();
            for b in format!("{dir}/{rel}").bytes().chain([0]).chain(bytes) {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    for f in ["Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={f}");
        for b in std::fs::read(Path::new(&root).join(f)).unwrap_or_default() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    writeln!(out, "pub const BUILD_ID: &str = \"{}-{hash:016x}\";", env!("CARGO_PKG_VERSION")).unwrap();
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(dest, out).unwrap();
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            collect(base, &p, out);
        } else {
            out.push(p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
        }
    }
}
