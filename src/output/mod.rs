//! Write: pages go to a staging folder beside the output while they are rendered, and become
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

use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::os::fd::OwnedFd;
use std::sync::{Arc, Mutex};

use crate::cache::{Hasher, Key, Manifest, PageRecord, Piece};

/// The file that marks a folder as a Dossier site (safe to build into). Its first line says so;
/// each line after it is a name at the top of the site that Dossier writes (a folder of pages
/// such as `articles`, or a file such as `index.html`). Every other name at the top of the site
/// is the publisher's (`CNAME`, `.git/`, notes) and is kept by every build.
pub const MARKER: &str = ".dossier-site";
const MARKER_HEAD: &str = "This folder was written by Dossier. Each build replaces the names listed below; anything else here is kept.";
/// The commit journal inside the staging folder.
const JOURNAL: &str = ".dossier-commit";

/// `.NAME.SUFFIX` in the output's parent folder.
pub fn sibling(output: &Path, suffix: &str) -> Result<PathBuf> {
    let name = output.file_name().with_context(|| format!("{}: the output must be a named folder", output.display()))?;
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Ok(parent.join(format!(".{}.{suffix}", name.to_string_lossy())))
}

/// An exclusive hold on one output folder for the length of a build: two builds of the same
/// site at once would each clear the other's staging folder and swap in half a site. It is an
/// advisory lock (`flock`) on `.NAME.dossier-lock` beside the output, which the system lets go
/// when the build ends in any way, a kill included, so a stale lock never blocks a build. The
/// file itself stays: deleting it while another build waits on it would let a third build lock
/// a new file of the same name alongside the second.
pub struct OutputLock {
    _file: fs::File,
}

impl OutputLock {
    /// Takes the lock of `output`, waiting for a build that holds it; `on_wait` is called once,
    /// before waiting, so that the wait can be explained.
    pub fn take(output: &Path, on_wait: impl FnOnce()) -> Result<OutputLock> {
        if let Some(lock) = OutputLock::try_take(output)? {
            return Ok(lock);
        }
        on_wait();
        let (path, file) = lock_file(output)?;
        loop {
            match rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive) {
                Ok(()) => return Ok(OutputLock { _file: file }),
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => bail!("{}: cannot lock the output for this build: {e}", path.display()),
            }
        }
    }

    /// Takes the lock of `output` if no other build holds it.
    pub fn try_take(output: &Path) -> Result<Option<OutputLock>> {
        let (path, file) = lock_file(output)?;
        match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(Some(OutputLock { _file: file })),
            Err(rustix::io::Errno::WOULDBLOCK) => Ok(None),
            Err(e) => bail!("{}: cannot lock the output for this build: {e}", path.display()),
        }
    }
}

/// Opens (creating) the lock file of `output`, and the folder it lies in.
fn lock_file(output: &Path) -> Result<(PathBuf, fs::File)> {
    let path = sibling(output, "dossier-lock")?;
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    }
    let file = fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).with_context(|| format!("{}: cannot open the lock file", path.display()))?;
    Ok((path, file))
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
        crate::pipeline::fault_point("page");
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

/// Streams a file for `SiteWriter::file_pieced`, recording where each piece goes.
pub struct PieceWriter {
    out: std::io::BufWriter<fs::File>,
    /// Bytes written so far, counting the pending run.
    len: u64,
    old: Option<OldPieces>,
    pieces: Vec<Piece>,
    /// (offset, length) of consecutive old pieces not copied yet: copied in one go, by the
    /// kernel (`copy_file_range` through `std::io::copy`), when something else is written.
    run: Option<(u64, u64)>,
}

/// The previous version of a pieced file and where its pieces lie.
struct OldPieces {
    file: fs::File,
    at: rustc_hash::FxHashMap<Key, (u64, u64)>,
}

impl PieceWriter {
    /// Whether the previous version holds a piece for `key` (which `piece` would copy).
    pub fn has(&self, key: &Key) -> bool {
        self.old.as_ref().is_some_and(|o| o.at.contains_key(key))
    }

    /// Writes the piece for `key`: copied from the previous version when it holds one, else
    /// made by `make`.
    pub fn piece(&mut self, key: Key, make: impl FnOnce() -> Vec<u8>) -> std::io::Result<()> {
        if let Some(&(start, len)) = self.old.as_ref().and_then(|o| o.at.get(&key)) {
            match &mut self.run {
                Some((at, n)) if *at + *n == start => *n += len,
                _ => {
                    self.copy_run()?;
                    self.run = Some((start, len));
                }
            }
            self.pieces.push((key, self.len, len));
            self.len += len;
            return Ok(());
        }
        self.copy_run()?;
        let bytes = make();
        self.pieces.push((key, self.len, bytes.len() as u64));
        self.out.write_all(&bytes)?;
        self.len += bytes.len() as u64;
        Ok(())
    }

    /// Copies the pending run of old pieces. The old file was checked against the page record
    /// (size and time) before it was used, so a short copy means it changed meanwhile.
    fn copy_run(&mut self) -> std::io::Result<()> {
        use std::io::{Read, Seek};
        let (Some((start, len)), Some(old)) = (self.run.take(), &mut self.old) else { return Ok(()) };
        old.file.seek(std::io::SeekFrom::Start(start))?;
        let copied = std::io::copy(&mut (&old.file).take(len), &mut self.out)?;
        if copied != len {
            return Err(std::io::Error::other("the previous version of the file changed while it was copied"));
        }
        Ok(())
    }
}

impl Write for PieceWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.copy_run()?;
        let n = self.out.write(bytes)?;
        self.len += n as u64;
        Ok(n)
    }
    /// Completes what is written so far: the pending run of old pieces, then the buffer.
    fn flush(&mut self) -> std::io::Result<()> {
        self.copy_run()?;
        self.out.flush()
    }
}

/// The names at the top of the site that hold `paths` (page paths), sorted, each once.
fn top_names<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut names: Vec<&str> = Vec::new();
    for path in paths {
        let top = path.split_once('/').map_or(path, |(top, _)| top);
        // Paths come mostly grouped by folder: most repeats are the last name.
        if names.last() != Some(&top) {
            names.push(top);
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

fn marker_text(names: &[&str]) -> String {
    let mut text = format!("{MARKER_HEAD}\n");
    for name in names {
        text.push_str(name);
        text.push('\n');
    }
    text
}

/// Stages a marker listing `names` for the commit to move into `output`, unless the output's
/// already says that. Written whole (by rename), so a staged marker is never half of one.
fn stage_marker(output: &Path, staging: &Path, names: &[&str]) -> Result<()> {
    let text = marker_text(names);
    if fs::read(output.join(MARKER)).ok().as_deref() != Some(text.as_bytes()) {
        let path = staging.join(MARKER);
        crate::cache::write_atomic(&path, text.as_bytes()).with_context(|| format!("{}: cannot write", path.display()))?;
    }
    Ok(())
}

/// The names the marker of `site` lists as Dossier's; None where it lists none (no marker, or
/// an older version's, which did not list names).
fn listed_names(site: &Path) -> Option<HashSet<String>> {
    let names: HashSet<String> = fs::read_to_string(site.join(MARKER)).ok()?.lines().skip(1).map(String::from).collect();
    (!names.is_empty()).then_some(names)
}

/// Ends a commit refused by `check` before anything was moved: the previous site stays as it
/// was, and the staged pages go, so that no later build finishes this commit.
fn refuse_unless(staging: &Path, check: Result<()>) -> Result<()> {
    if check.is_err() {
        let _ = fs::remove_dir_all(staging);
    }
    check
}

/// Refuses to write pages under a name at the top of the site that holds the publisher's file
/// or folder (one the marker does not list): Dossier making `feed.xml` once a base URL is set
/// would replace the publisher's own. In a site whose marker lists no names (an older
/// version's) nothing is known to be the publisher's.
fn check_not_foreign(output: &Path, names: &[&str]) -> Result<()> {
    let Some(listed) = listed_names(output) else { return Ok(()) };
    for name in names {
        let at = output.join(name);
        if !listed.contains(*name) && fs::symlink_metadata(&at).is_ok() {
            bail!(
                "{}: this build makes pages under this name, but what is there is not Dossier's (the site's {MARKER} does not list it); move it out of the site and build again. The site was left as it was.",
                at.display()
            );
        }
    }
    Ok(())
}

/// Full build: the staging folder, marked complete, replaces the output; the publisher's files
/// of the previous site are carried into it (`carry_over`). Returns their names.
fn swap_in(output: &Path, staging: &Path, names: &[&str]) -> Result<Vec<String>> {
    let old = sibling(output, "dossier-old")?;
    fs::write(staging.join(MARKER), marker_text(names)).with_context(|| format!("{}: cannot write", staging.join(MARKER).display()))?;
    if output.exists() {
        fs::rename(output, &old).with_context(|| format!("{}: cannot move the previous site aside", output.display()))?;
    }
    crate::pipeline::fault_point("swap");
    fs::rename(staging, output).with_context(|| format!("{}: cannot move the new site into place", output.display()))?;
    let mut carried = Vec::new();
    if old.exists() {
        carried = carry_over(&old, output)?;
        fs::remove_dir_all(&old).with_context(|| format!("{}: cannot remove the previous site", old.display()))?;
    }
    Ok(carried)
}

/// Moves the publisher's files from the previous site `old` into the new one at `output`:
/// every entry at the top of `old` that its marker does not list as Dossier's and that the new
/// site does not have (a name the new site writes is Dossier's now). Entries are moved, not
/// copied: a `.git/` of any size costs one rename. Returns their names, sorted. Run again
/// after a kill, it moves what is left.
fn carry_over(old: &Path, output: &Path) -> Result<Vec<String>> {
    let listed = listed_names(old).unwrap_or_default();
    let mut names: Vec<std::ffi::OsString> = fs::read_dir(old).with_context(|| format!("{}: cannot read", old.display()))?.map(|e| e.map(|e| e.file_name())).collect::<std::io::Result<_>>().with_context(|| format!("{}: cannot read", old.display()))?;
    names.sort();
    let mut carried = Vec::new();
    for name in names {
        let shown = name.to_string_lossy();
        let to = output.join(&name);
        if name == MARKER || listed.contains(&*shown) || fs::symlink_metadata(&to).is_ok() {
            continue;
        }
        fs::rename(old.join(&name), &to).with_context(|| format!("{}: cannot keep {shown} from the previous site", to.display()))?;
        carried.push(shown.into_owned());
    }
    Ok(carried)
}

/// Refuses a commit that would write or delete through a link: a folder of the site replaced
/// by a symbolic link (`articles/` linked to a folder elsewhere) would have pages written and
/// deleted outside the output. Every folder holding a page of the journal is checked before
/// anything is moved. (A full build never writes into the old site: its swap replaces the
/// link itself, and removing the old site removes links, not what they point to.)
fn check_no_links(output: &Path, journal: &str) -> Result<()> {
    let mut checked: HashSet<&str> = HashSet::new();
    for line in journal.lines() {
        let path = line.get(2..).unwrap_or("");
        for (end, _) in path.match_indices('/') {
            let dir = &path[..end];
            if !checked.insert(dir) {
                continue;
            }
            let at = output.join(dir);
            if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                let to = fs::read_link(&at).map_or(String::new(), |t| format!(" to {}", t.display()));
                bail!(
                    "{}: this folder of the site is a symbolic link{to}; Dossier does not write or delete pages through a link, which can lead outside the site. The site was left as it was. Put the folder itself there, or remove the link (the next build then makes the folder afresh), and build again.",
                    at.display()
                );
            }
        }
    }
    Ok(())
}

/// Moves the staged marker (if the names changed) and the staged pages into the output and
/// deletes removed pages, as the journal says. Safe to run again on a journal that was partly
/// applied: moves already done are skipped.
fn apply_journal(output: &Path, staging: &Path, journal: &str) -> Result<()> {
    check_no_links(output, journal)?;
    let marker = staging.join(MARKER);
    if marker.is_file() {
        fs::rename(&marker, output.join(MARKER)).with_context(|| format!("{}: cannot move into place", output.join(MARKER).display()))?;
    }
    for line in journal.lines() {
        let (op, path) = line.split_at(2.min(line.len()));
        check_path(path)?;
        let target = output.join(path);
        match op {
            "M " => {
                let from = staging.join(path);
                if from.exists() {
                    if let Some(dir) = target.parent() {
                        fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
                    }
                    // Killed between removing the old page and the rename, the journal has the
                    // next build move the page in.
                    crate::cache::replace_file(&from, &target).with_context(|| format!("{}: cannot move into place", target.display()))?;
                    crate::pipeline::fault_point("commit");
                }
            }
            "D " => {
                if target.is_file() {
                    fs::remove_file(&target).with_context(|| format!("{}: cannot delete", target.display()))?;
                }
                // Folders the deletion emptied go too, as a fresh build would not have them.
                let mut dir = target.parent();
                while let Some(d) = dir.filter(|d| *d != output) {
                    if fs::remove_dir(d).is_err() {
                        break;
                    }
                    dir = d.parent();
                }
            }
            _ => bail!("{}: unreadable commit journal line {line:?}", staging.join(JOURNAL).display()),
        }
    }
    fs::remove_dir_all(staging).with_context(|| format!("{}: cannot remove", staging.display()))?;
    Ok(())
}

/// Cleans up after a build that did not finish: an interrupted commit is completed, an
/// interrupted swap put right, anything half-written discarded. Returns true when an
/// interrupted commit was completed (the page record no longer describes the output).
fn recover(output: &Path) -> Result<bool> {
    let staging = sibling(output, "dossier-new")?;
    let old = sibling(output, "dossier-old")?;
    let mut finished_commit = false;
    if staging.exists() {
        let journal = staging.join(JOURNAL);
        if journal.is_file() && output.join(MARKER).is_file() {
            let text = fs::read_to_string(&journal).with_context(|| format!("{}: cannot read", journal.display()))?;
            apply_journal(output, &staging, &text)?;
            finished_commit = true;
        } else if !output.exists() && staging.join(MARKER).is_file() {
            // Killed between the two renames of a swap: the new site was complete.
            fs::rename(&staging, output).with_context(|| format!("{}: cannot move the new site into place", output.display()))?;
        } else {
            fs::remove_dir_all(&staging).with_context(|| format!("{}: cannot remove a leftover of an earlier build", staging.display()))?;
        }
    }
    if old.exists() {
        if output.exists() {
            // Killed after the swap: the publisher's files may still be in the old site.
            carry_over(&old, output)?;
            fs::remove_dir_all(&old).with_context(|| format!("{}: cannot remove a leftover of an earlier build", old.display()))?;
        } else {
            fs::rename(&old, output).with_context(|| format!("{}: cannot restore the previous site", output.display()))?;
        }
    }
    Ok(finished_commit)
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

    /// A second build of a locked output waits until the first lets go; one of another output
    /// does not wait. (No timing: `take` reports that it waits before it blocks.)
    #[test]
    fn a_second_lock_of_an_output_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let first = OutputLock::take(&out, || panic!("nothing holds the lock yet")).unwrap();
        assert!(dir.path().join(".site.dossier-lock").is_file());
        assert!(OutputLock::try_take(&out).unwrap().is_none(), "a second lock attempt fails while the first holds");
        let _other = OutputLock::take(&dir.path().join("other"), || panic!("another output is free")).unwrap();

        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = {
            let (out, tx) = (out.clone(), tx.clone());
            std::thread::spawn(move || {
                let tx_wait = tx.clone();
                let lock = OutputLock::take(&out, move || tx_wait.send("waiting").unwrap()).unwrap();
                tx.send("locked").unwrap();
                drop(lock);
            })
        };
        assert_eq!(rx.recv().unwrap(), "waiting");
        assert!(OutputLock::try_take(&out).unwrap().is_none(), "still held by the first");
        drop(first);
        assert_eq!(rx.recv().unwrap(), "locked");
        waiter.join().unwrap();
        assert!(OutputLock::try_take(&out).unwrap().is_some(), "free once both are done");
    }

    /// What a swap carries from the old site: the names its marker does not list and the new
    /// site does not have. A name Dossier wrote last time and not now (`feed.xml`) is not
    /// carried; from an older version's marker, which lists nothing, every name the new site
    /// lacks is.
    #[test]
    fn a_swap_carries_over_the_names_the_old_marker_does_not_list() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old"), dir.path().join("new"));
        for site in [&old, &new] {
            fs::create_dir_all(site.join("articles")).unwrap();
        }
        for name in ["CNAME", "feed.xml", "index.html", ".git/HEAD", "articles/stale.html"] {
            fs::create_dir_all(old.join(name).parent().unwrap()).unwrap();
            fs::write(old.join(name), name).unwrap();
        }
        fs::write(new.join("index.html"), "new").unwrap();
        let listed = marker_text(&["articles", "feed.xml", "index.html"]);
        for (marker, carried) in [(listed.as_str(), vec![".git", "CNAME"]), ("This folder was written by Dossier and is replaced by each build.\n", vec!["feed.xml"])] {
            fs::write(old.join(MARKER), marker).unwrap();
            assert_eq!(carry_over(&old, &new).unwrap(), carried);
        }
        assert_eq!(fs::read_to_string(new.join("CNAME")).unwrap(), "CNAME");
        assert_eq!(fs::read_to_string(new.join(".git/HEAD")).unwrap(), ".git/HEAD");
        assert_eq!(fs::read_to_string(new.join("index.html")).unwrap(), "new", "the new site's own page stays");
        assert!(!new.join("articles/stale.html").exists(), "Dossier's folders are the new site's");
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
