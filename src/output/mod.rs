//! Output: pages go to a staging folder beside the output while they are rendered, and become
//! the site only once the build is whole.
//!
//! - A first build (or one without a usable page record) writes every page to
//!   `.NAME.dossier-new` and swaps that folder in for the output with two renames.
//! - A later build writes only the pages whose inputs changed to the staging folder, then
//!   commits: it records what it is about to do in `.dossier-commit` (written whole, by rename),
//!   moves each new page into place and deletes the pages the archive no longer has.
//!
//! A build that fails or is killed before it commits leaves the previous site untouched. One
//! killed during the commit (a few renames) left a journal behind; the next build finishes that
//! commit first, then rebuilds from scratch, so it is correct either way. The build only ever
//! deletes folders that carry Dossier's marker file, so pointing `--output` at a folder of other
//! files is refused instead of emptying it.
//!
//! Only one build of an output runs at a time (`OutputLock`). Inside the site, Dossier owns the
//! names at its top that the marker lists (its folders of pages, `index.html`); anything else
//! there (`CNAME`, `.git/`, notes) is the publisher's: a commit never touches it and a swap
//! carries it into the new site. A commit never writes through a folder that is a link.
//!
//! The last stage of the build, and the one every stage before it writes through: it knows
//! paths, bytes and keys, and nothing of articles, entities or templates (it imports no other
//! stage). The writer is here (`SiteWriter`); files written in pieces in `pieces.rs`; the swap,
//! the journalled commit and the recovery after a kill in `commit.rs`; the lock in `lock.rs`.

mod commit;
mod lock;
mod pieces;

use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::os::fd::OwnedFd;
use std::sync::{Arc, Mutex};

use crate::cache::{Hasher, Key, Manifest, PageRecord, Piece};
use crate::paths::sibling;
use commit::{apply_journal, check_no_links, check_not_foreign, recover, refuse_unless, stage_marker, swap_in, top_names};
pub use lock::OutputLock;
use pieces::OldPieces;
pub use pieces::PieceWriter;

/// The file that marks a folder as a Dossier site (safe to build into). Its first line says so;
/// each line after it is a name at the top of the site that Dossier writes (a folder of pages
/// such as `articles`, or a file such as `index.html`). Every other name at the top of the site
/// is the publisher's (`CNAME`, `.git/`, notes) and is kept by every build.
pub const MARKER: &str = ".dossier-site";
const MARKER_HEAD: &str = "This folder was written by Dossier. Each build replaces the names listed below; anything else here is kept.";
/// The commit journal inside the staging folder.
const JOURNAL: &str = ".dossier-commit";

/// One output file, its path relative to the site root with '/' separators.
pub struct Page {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Test hook for interrupted builds: with `DOSSIER_FAULT=POINT:N` the process aborts (as a
/// kill would: no clean-up runs) the Nth time it passes `POINT` ("page", "swap", "commit").
pub fn fault_point(point: &str) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::OnceLock;
    static PLAN: OnceLock<Option<(String, usize)>> = OnceLock::new();
    static PASSED: AtomicUsize = AtomicUsize::new(0);
    let plan = PLAN.get_or_init(|| {
        let v = std::env::var("DOSSIER_FAULT").ok()?;
        let (p, n) = v.split_once(':')?;
        Some((p.to_string(), n.parse().ok()?))
    });
    if let Some((p, n)) = plan {
        if p == point && PASSED.fetch_add(1, Ordering::SeqCst) + 1 >= *n {
            eprintln!("DOSSIER_FAULT: stopping at {point} #{n}");
            std::process::abort();
        }
    }
}

/// Refuses an output folder that holds anything but a previous Dossier site.
pub fn check_output(output: &Path, input: &Path) -> Result<()> {
    let out = output.canonicalize().ok();
    let inp = input.canonicalize().ok();
    if let (Some(o), Some(i)) = (&out, &inp) {
        if i.starts_with(o) {
            bail!("{}: the output folder contains the input folder {}; choose another output", output.display(), input.display());
        }
    }
    if output.exists() {
        if !output.is_dir() {
            bail!("{}: the output exists and is not a folder", output.display());
        }
        let empty = fs::read_dir(output)?.next().is_none();
        if !empty && !output.join(MARKER).is_file() {
            bail!(
                "{}: the output folder holds files that Dossier did not write (no {MARKER} marker); refusing to replace it. Choose an empty or new folder.",
                output.display()
            );
        }
    }
    Ok(())
}

/// Page paths are made by the renderer from slugs; refuse anything that could escape the site.
fn check_path(path: &str) -> Result<()> {
    if path.split('/').any(|c| c == ".." || c == "." || c.is_empty()) || path.starts_with('/') || path.contains('\\') || path == MARKER || path == JOURNAL {
        bail!("internal error: unsafe page path {path:?}");
    }
    Ok(())
}

fn mtime(m: &fs::Metadata) -> u64 {
    m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as u64)
}

/// What a build did with its pages.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub written: usize,
    pub kept: usize,
    pub deleted: usize,
    /// The publisher's files and folders at the top of the site that a full build carried over
    /// from the previous site into the new one (an incremental build never touches them).
    pub carried: Vec<String>,
}

/// Receives the pages of one build. Shared by the rendering threads.
pub struct SiteWriter {
    output: PathBuf,
    staging: PathBuf,
    /// The last build's pages; empty when every page is written afresh.
    previous: Previous,
    full: bool,
    /// The pages of this build written now, with their records.
    records: Mutex<Vec<(String, PageRecord)>>,
    /// The pages of this build kept from the last, by their place in `previous`: a page kept
    /// is 4 bytes here, where a copy of its path and record was about 100 (at 100,000
    /// articles, 600,000 pages: 120 MB of the peak of a build after an edit).
    kept: Mutex<Vec<u32>>,
    /// Staging folders made so far: most pages go to a few folders, and asking the file
    /// system for the folder again at every page cost two system calls a page.
    dirs: Mutex<HashSet<PathBuf>>,
    /// Folders of the output opened to check pages in them (`intact`), by site path; None
    /// where the folder cannot be opened.
    open_dirs: Mutex<rustc_hash::FxHashMap<String, Option<Arc<OwnedFd>>>>,
}

impl SiteWriter {
    /// Prepares a build of the site at `output`. `previous` is the page record of the last
    /// complete build; pages whose inputs match it are kept instead of written. Returns the
    /// writer and whether an interrupted commit had to be finished (the record is then stale).
    pub fn begin(output: &Path, previous: Manifest) -> Result<(SiteWriter, bool)> {
        let recovered = recover(output)?;
        let staging = sibling(output, "dossier-new")?;
        fs::create_dir_all(&staging).with_context(|| format!("{}: cannot create", staging.display()))?;
        // A record is stored sorted by path, each path once; one that is not is damaged.
        let previous = if previous.windows(2).all(|w| w[0].0 < w[1].0) { previous } else { Manifest::default() };
        let full = recovered || previous.is_empty() || !output.join(MARKER).is_file();
        let previous = Previous::new(if full { Manifest::default() } else { previous });
        let kept = Mutex::new(Vec::with_capacity(previous.pages.len()));
        Ok((SiteWriter { output: output.to_path_buf(), staging, previous, full, records: Mutex::default(), kept, dirs: Mutex::new(HashSet::new()), open_dirs: Mutex::default() }, recovered))
    }

    /// True when the page at `path`, rendered from `inputs`, is already in the output exactly
    /// as the last build wrote it; it is then kept and need not be rendered.
    pub fn keep(&self, path: &str, inputs: &Key) -> bool {
        // The inputs are compared before the file is looked at: a page to be made again needs no `stat`.
        let Some((at, rec)) = self.previous.get(path).filter(|(_, rec)| rec.inputs == *inputs) else { return false };
        if !self.intact(path, rec) {
            return false;
        }
        self.kept.lock().unwrap().push(at);
        true
    }

    /// Whether the file of the page at `path` is still as the last build left it (`rec`).
    fn intact(&self, path: &str, rec: &PageRecord) -> bool {
        // Looked up by name in its folder, opened once per build: after an edit every page of
        // the site is checked, and walking each whole path again was half the time of it.
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let Some(dir) = self.output_dir(dir) else { return false };
        let Ok(st) = rustix::fs::statat(&*dir, name, rustix::fs::AtFlags::empty()) else { return false };
        let is_file = rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::RegularFile;
        // As `mtime` reads it from std's metadata: nanoseconds since the epoch, 0 before it.
        let modified = u64::try_from(st.st_mtime).map_or(0, |s| s * 1_000_000_000 + u64::from(st.st_mtime_nsec));
        is_file && st.st_size as u64 == rec.size && modified == rec.mtime
    }

    /// The output's folder `dir` ("" for the root), opened once and shared by the threads.
    fn output_dir(&self, dir: &str) -> Option<Arc<OwnedFd>> {
        let mut open = self.open_dirs.lock().unwrap();
        if let Some(fd) = open.get(dir) {
            return fd.clone();
        }
        let flags = rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC;
        let fd = rustix::fs::open(self.output.join(dir), flags, rustix::fs::Mode::empty()).ok().map(Arc::new);
        open.insert(dir.to_string(), fd.clone());
        fd
    }

    /// Writes a page rendered from `inputs` to the staging folder.
    pub fn write(&self, path: &str, inputs: Key, bytes: &[u8]) -> Result<()> {
        let file = self.staged(path)?;
        let meta = fs::File::create(&file).and_then(|mut f| {
            f.write_all(bytes)?;
            f.metadata()
        });
        self.record(path, &file, meta, inputs, Box::default())
    }

    /// The staging path of a page, its folder created.
    fn staged(&self, path: &str) -> Result<PathBuf> {
        check_path(path)?;
        let file = self.staging.join(path);
        if let Some(dir) = file.parent() {
            if !self.dirs.lock().unwrap().contains(dir) {
                fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
                self.dirs.lock().unwrap().insert(dir.to_path_buf());
            }
        }
        Ok(file)
    }

    /// Records a page just written, from its file's size and time as the write left them
    /// (read from the open file, not looked up again by path).
    fn record(&self, path: &str, file: &Path, written: std::io::Result<fs::Metadata>, inputs: Key, pieces: Box<[Piece]>) -> Result<()> {
        let m = written.with_context(|| format!("{}: cannot write", file.display()))?;
        self.records.lock().unwrap().push((path.to_string(), PageRecord { inputs, size: m.len(), mtime: mtime(&m), pieces }));
        fault_point("page");
        Ok(())
    }

    /// A file whose only input is its own bytes (static files, data, search shards).
    pub fn file(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let inputs = Hasher::new("file").part(path.as_bytes()).part(bytes).finish();
        if self.keep(path, &inputs) {
            return Ok(());
        }
        self.write(path, inputs, bytes)
    }

    /// A file that is costly to make: `inputs` stands for everything it is made from, and it
    /// is made only when they changed.
    pub fn file_lazy<B: AsRef<[u8]>>(&self, path: &str, inputs: Key, make: impl FnOnce() -> Result<B>) -> Result<()> {
        if self.keep(path, &inputs) {
            return Ok(());
        }
        self.write(path, inputs, make()?.as_ref())
    }

    /// `file_lazy` for a file too large to hold in memory whole (`data/archive.json` lists the
    /// entire archive), streamed out by `make` in pieces that each stand for their key: a piece
    /// the file's previous version holds is copied from it instead of made again, so one
    /// edited article costs one piece, not the whole file.
    pub fn file_pieced(&self, path: &str, inputs: Key, make: impl FnOnce(&mut PieceWriter) -> std::io::Result<()>) -> Result<()> {
        if self.keep(path, &inputs) {
            return Ok(());
        }
        let old = self.previous.get(path).map(|(_, rec)| rec).filter(|rec| !rec.pieces.is_empty() && self.intact(path, rec)).and_then(|rec| {
            let file = fs::File::open(self.output.join(path)).ok()?;
            let at = rec.pieces.iter().map(|(key, start, len)| (*key, (*start, *len))).collect();
            Some(OldPieces { file, at })
        });
        let file = self.staged(path)?;
        let mut pieces = Vec::new();
        let meta = fs::File::create(&file).and_then(|f| {
            let mut w = PieceWriter { out: std::io::BufWriter::with_capacity(256 * 1024, f), len: 0, old, pieces: Vec::new(), run: None };
            make(&mut w)?;
            w.flush()?;
            pieces = w.pieces;
            w.out.get_ref().metadata()
        });
        self.record(path, &file, meta, inputs, pieces.into_boxed_slice())
    }

    /// The lengths of the pieces that the last build's pieced files under `prefix` were
    /// written in, by key: what such a file would measure, known without making its pieces
    /// again (a piece's key stands for its bytes, so a piece made again has the same length).
    pub fn previous_pieces(&self, prefix: &str) -> rustc_hash::FxHashMap<Key, u64> {
        let pages = &self.previous.pages;
        let from = pages.partition_point(|(path, _)| path.as_str() < prefix);
        pages[from..].iter().take_while(|(path, _)| path.starts_with(prefix)).flat_map(|(_, rec)| rec.pieces.iter().map(|&(key, _, len)| (key, len))).collect()
    }

    /// Every page path of this build so far, sorted (the sitemap lists them).
    pub fn paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.records.lock().unwrap().iter().map(|r| r.0.clone()).collect();
        paths.extend(self.kept.lock().unwrap().iter().map(|&at| self.previous.pages[at as usize].0.clone()));
        paths.sort_unstable();
        paths
    }

    /// Makes the staged pages the site. Returns the new page record and what was done.
    pub fn commit(self) -> Result<(Manifest, Stats)> {
        let mut written = self.records.into_inner().unwrap();
        written.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let kept = self.kept.into_inner().unwrap();
        let mut is_kept = vec![false; self.previous.pages.len()];
        for &at in &kept {
            if std::mem::replace(&mut is_kept[at as usize], true) {
                bail!("internal error: two pages at {}", self.previous.pages[at as usize].0);
            }
        }
        for (i, (path, _)) in written.iter().enumerate() {
            if (i > 0 && written[i - 1].0 == *path) || self.previous.get(path).is_some_and(|(at, _)| is_kept[at as usize]) {
                bail!("internal error: two pages at {path}");
            }
        }
        let is_written = |path: &str| written.binary_search_by(|(p, _)| p.as_str().cmp(path)).is_ok();
        let mut stats = Stats { written: written.len(), kept: kept.len(), ..Stats::default() };
        let written_names = top_names(written.iter().map(|(p, _)| p.as_str()));
        if self.full {
            refuse_unless(&self.staging, check_not_foreign(&self.output, &written_names))?;
            stats.carried = swap_in(&self.output, &self.staging, &written_names)?;
            return Ok((written, stats));
        }
        // Both lists are in path order, as the record is.
        let gone: Vec<&str> = self.previous.pages.iter().zip(&is_kept).filter(|((p, _), kept)| !**kept && !is_written(p)).map(|((p, _), _)| p.as_str()).collect();
        stats.deleted = gone.len();
        let journal: String = written.iter().map(|(p, _)| format!("M {p}\n")).chain(gone.iter().map(|p| format!("D {p}\n"))).collect();
        refuse_unless(&self.staging, check_no_links(&self.output, &journal).and_then(|()| check_not_foreign(&self.output, &written_names)))?;
        drop(written_names);
        // The kept records stay where they are, in path order; the written ones are merged in
        // (a stable sort of two sorted runs).
        let mut pages = self.previous.pages;
        let mut flags = is_kept.into_iter();
        pages.retain(|_| flags.next() == Some(true));
        pages.extend(written);
        pages.sort_by(|a, b| a.0.cmp(&b.0));
        // The marker is to list the names the site has once the journal is applied (a name new
        // at the top, such as `feed.xml` once there is a base URL; not one no longer written),
        // as a full build would. Staged before the journal, it goes in with it.
        stage_marker(&self.output, &self.staging, &top_names(pages.iter().map(|(p, _)| p.as_str())))?;
        crate::cache::write_atomic(&self.staging.join(JOURNAL), journal.as_bytes()).with_context(|| format!("{}: cannot write the commit journal", self.staging.display()))?;
        apply_journal(&self.output, &self.staging, &journal)?;
        Ok((pages, stats))
    }
}

/// The last build's pages: its record as stored (sorted by path, each path once), found by
/// path through a table of places in it rather than a map holding a second copy of each path.
struct Previous {
    pages: Manifest,
    index: hashbrown::HashTable<u32>,
}

fn hash(path: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(path)
}

impl Previous {
    fn new(pages: Manifest) -> Previous {
        let mut index = hashbrown::HashTable::with_capacity(pages.len());
        for (at, (path, _)) in pages.iter().enumerate() {
            index.insert_unique(hash(path), at as u32, |&i: &u32| hash(&pages[i as usize].0));
        }
        Previous { pages, index }
    }

    /// The place and record of the page at `path`, if the last build made it.
    fn get(&self, path: &str) -> Option<(u32, &PageRecord)> {
        let at = *self.index.find(hash(path), |&i| self.pages[i as usize].0 == path)?;
        Some((at, &self.pages[at as usize].1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `data.txt` as pieces "x\n" for each (key, x), counting the pieces that had to be made.
    fn build(out: &Path, previous: Manifest, pieces: &[(u8, &str)]) -> (Manifest, usize, String) {
        let (w, _) = SiteWriter::begin(out, previous).unwrap();
        let mut made = 0;
        let inputs = Hasher::new("test").part(format!("{pieces:?}").as_bytes()).finish();
        w.file_pieced("data.txt", inputs, |pw| {
            for (key, text) in pieces {
                pw.piece([*key; 32], || {
                    made += 1;
                    text.as_bytes().to_vec()
                })?;
                pw.write_all(b"\n")?;
            }
            Ok(())
        })
        .unwrap();
        let (manifest, _) = w.commit().unwrap();
        (manifest, made, fs::read_to_string(out.join("data.txt")).unwrap())
    }

    #[test]
    fn a_pieced_file_copies_unchanged_pieces_and_only_from_an_intact_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let (first, made, text) = build(&out, Manifest::default(), &[(1, "one"), (2, "two"), (3, "three")]);
        assert_eq!((made, text.as_str()), (3, "one\ntwo\nthree\n"));

        // Piece 2 changed and piece 4 is new; 1 and 3 are copied, also out of their old order.
        let (second, made, text) = build(&out, first, &[(3, "three"), (1, "one"), (5, "TWO"), (4, "four")]);
        assert_eq!((made, text.as_str()), (2, "three\none\nTWO\nfour\n"));

        // A file changed since it was written (same size, other time) is not copied from.
        std::thread::sleep(std::time::Duration::from_millis(20));
        fs::write(out.join("data.txt"), "THREE\nONE\nTWO\nFOUR\n").unwrap();
        let (_, made, text) = build(&out, second, &[(1, "one"), (3, "three")]);
        assert_eq!((made, text.as_str()), (2, "one\nthree\n"));
    }
}
