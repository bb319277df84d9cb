//! Article text kept on disk while the site is made.
//!
//! Every article is held from annotation until its last page is made, and its text was the
//! largest part of it: 3.5 KB of the 7.5 KB an article holds on the bench corpus, 346 MB of
//! the build's peak at 100,000 articles. The stages after annotation read an article's text
//! only where they make something from it (its page, a snippet, a line of a table), so once an
//! article is annotated its text is written to one file beside the output (in the cache
//! folder, unlinked at once, so nothing is left behind even if the build is killed) and read
//! back where it is needed. The kernel keeps the file in its page cache, which it can drop
//! under pressure; the build's own memory no longer grows with the text.
//!
//! A stage often reads the same article's text several times in a row (a snippet per mention
//! on an entity page): each thread keeps the last few texts it read.

use std::cell::RefCell;
use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The file the texts are written to, then read from.
pub struct TextStore {
    /// A number of its own, so that a thread's recent texts are never taken for another
    /// build's (`dossier serve` builds again and again in one process).
    id: u64,
    path: PathBuf,
    file: File,
    writing: Mutex<Writing>,
    /// Set once the last text is written and flushed: reading needs no lock after that.
    sealed: AtomicBool,
}

struct Writing {
    out: Option<BufWriter<File>>,
    end: u64,
    /// A write failed: what was buffered before may be lost too, so `seal` fails.
    failed: Option<std::io::Error>,
}

/// Where one article's text lies in a store.
#[derive(Clone)]
pub struct Stored {
    store: Arc<TextStore>,
    at: u64,
    len: u32,
}

impl std::fmt::Debug for Stored {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Stored {{ at: {}, len: {} }}", self.at, self.len)
    }
}

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// How many texts a thread keeps: an entity page's articles are read in turn, and a timeline
/// passage or statement may come back to the article before.
const RECENT: usize = 4;

/// A text read, by (store, where it starts, its length): an empty text starts where the
/// next one does.
type Recent = ((u64, u64, u32), Rc<str>);

thread_local! {
    static RECENT_TEXTS: RefCell<Vec<Recent>> = const { RefCell::new(Vec::new()) };
}

impl TextStore {
    /// A new, empty store in `dir` (made if missing). The file is unlinked as soon as it is
    /// open: it lives as long as the build holds it.
    pub fn create(dir: &Path) -> std::io::Result<Arc<TextStore>> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join("texts.tmp");
        let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&path)?;
        std::fs::remove_file(&path)?;
        let out = BufWriter::with_capacity(1 << 20, file.try_clone()?);
        Ok(Arc::new(TextStore { id: NEXT_ID.fetch_add(1, Ordering::Relaxed), path, file, writing: Mutex::new(Writing { out: Some(out), end: 0, failed: None }), sealed: AtomicBool::new(false) }))
    }

    /// Appends `text`; `None` when it cannot be written (the disk is full), and the caller
    /// keeps the text in memory instead.
    pub fn put(self: &Arc<TextStore>, text: &str) -> Option<Stored> {
        let len = u32::try_from(text.len()).ok()?;
        let mut w = self.writing.lock().expect("the text store's lock");
        let at = w.end;
        let out = w.out.as_mut()?;
        if let Err(e) = out.write_all(text.as_bytes()) {
            w.out = None;
            w.failed = Some(e);
            return None;
        }
        w.end += len as u64;
        Some(Stored { store: Arc::clone(self), at, len })
    }

    /// Flushes what was written: after this every stored text can be read. Fails if any
    /// text could not be written (then texts stored before it may be lost with the buffer).
    pub fn seal(&self) -> std::io::Result<()> {
        let mut w = self.writing.lock().expect("the text store's lock");
        if let Some(e) = w.failed.take() {
            return Err(e);
        }
        if let Some(mut out) = w.out.take() {
            out.flush()?;
        }
        self.sealed.store(true, Ordering::Release);
        Ok(())
    }

    fn read(&self, at: u64, len: u32) -> Rc<str> {
        if !self.sealed.load(Ordering::Acquire) {
            // Read before the end of the read stage (not done now): flush what is buffered.
            let mut w = self.writing.lock().expect("the text store's lock");
            if let Some(out) = w.out.as_mut() {
                let _ = out.flush();
            }
        }
        // Read straight into the shared buffer the stages get: one allocation and one copy.
        let mut buf: Rc<[std::mem::MaybeUninit<u8>]> = Rc::new_uninit_slice(len as usize);
        for b in Rc::get_mut(&mut buf).expect("a new buffer is not shared") {
            b.write(0);
        }
        // SAFETY: every byte was just written.
        let mut buf: Rc<[u8]> = unsafe { buf.assume_init() };
        let read = self.file.read_exact_at(Rc::get_mut(&mut buf).expect("a new buffer is not shared"), at);
        // The file is the build's own and unlinked: only a failing disk comes here.
        if let Err(e) = read.map_err(|e| e.to_string()).and_then(|()| std::str::from_utf8(&buf).map(|_| ()).map_err(|e| e.to_string())) {
            panic!("cannot read an article's text back from {}: {e}", self.path.display());
        }
        // SAFETY: the bytes were just checked to be UTF-8, and str has the layout of [u8].
        unsafe { Rc::from_raw(Rc::into_raw(buf) as *const str) }
    }
}

impl Stored {
    /// The text, from this thread's recent texts or read from the file.
    pub fn get(&self) -> Rc<str> {
        let key = (self.store.id, self.at, self.len);
        RECENT_TEXTS.with_borrow_mut(|recent| {
            if let Some(i) = recent.iter().position(|(k, _)| *k == key) {
                let hit = recent.remove(i);
                let text = Rc::clone(&hit.1);
                recent.push(hit);
                return text;
            }
            let text = self.store.read(self.at, self.len);
            if recent.len() == RECENT {
                recent.remove(0);
            }
            recent.push((key, Rc::clone(&text)));
            text
        })
    }
}

/// An article's text as a stage reads it: borrowed while the article still holds it, else
/// read back from the store (`Article::text`).
pub enum ArticleText<'a> {
    Held(&'a str),
    Read(Rc<str>),
}

impl std::ops::Deref for ArticleText<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            ArticleText::Held(s) => s,
            ArticleText::Read(s) => s,
        }
    }
}

impl AsRef<str> for ArticleText<'_> {
    fn as_ref(&self) -> &str {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_back_as_written_in_any_order_and_the_file_is_gone() {
        let dir = std::env::temp_dir().join(format!("dossier-text-store-{}", std::process::id()));
        let store = TextStore::create(&dir).unwrap();
        let texts = ["Talks in Berlin.", "", "Москва, 31 мая. Переговоры.", "x".repeat(3000).leak()];
        let stored: Vec<Stored> = texts.iter().map(|t| store.put(t).unwrap()).collect();
        let many: Vec<(String, Stored)> = (0..20).map(|i| format!("article {i}")).map(|t| {
            let s = store.put(&t).unwrap();
            (t, s)
        }).collect();
        // Read before the store is sealed: what is buffered is flushed first.
        assert_eq!(&*stored[2].get(), texts[2]);
        store.seal().unwrap();
        assert!(!dir.join("texts.tmp").exists(), "unlinked at once");
        assert!(store.put("late").is_none(), "nothing is written after the seal");
        for i in [3, 0, 2, 1, 0, 3] {
            assert_eq!(&*stored[i].get(), texts[i]);
        }
        // More articles than a thread keeps, read again: still the right texts.
        for (t, s) in many.iter().chain(many.iter().rev()) {
            assert_eq!(&*s.get(), t.as_str());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
