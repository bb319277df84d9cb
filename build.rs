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
