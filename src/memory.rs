//! How the allocator uses memory: when freed memory goes back to the system (mimalloc's purge
//! delay), and whether it is backed by transparent huge pages.
//!
//! A build frees large amounts stage by stage (raw mentions, page contexts, the search
//! postings). Returned at once, the next stage faults it back in and the kernel zeroes it
//! again; kept too long, it adds up to the next stage's peak. Which matters depends on the
//! archive: at 100,000 articles the peak is near the 2 GB budget, at 10,000 it is a few hundred
//! MB and a rebuild after an edit lasts about a second, of which re-faulting freed memory was
//! a tenth.

/// mimalloc's `mi_option_purge_delay` (its place in `mi_option_e`, mimalloc.h of mimalloc 3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The delay for large archives: 100 ms instead of mimalloc's default second, measured:
/// 10,000 articles cold peaked at 413 MB at 1 s and 355-372 MB at 10 ms. Shorter delays cost
/// system time in returning memory and faulting it back in: 10,000 articles cold took
/// 29.3-30.6 s at 0 ms and 25.7-26.0 s at 10 ms (100,000: 343 s at 0 ms, 293 s at 10 ms), on an
/// older build; at df4df71, 10.26-10.65 s at 10 ms (321-324 MB peak) and 9.89 s at 100 ms
/// (337-340 MB). At 100,000 the cold peak was 1,852,764 KiB at 10 ms and 1,867,468 KiB at 100 ms.
const PURGE_DELAY_MS: std::os::raw::c_long = 100;

/// Up to this many articles, freed memory is kept for the whole build. After an edit of one
/// article of 10,000: 0.85-0.91 s and 371-381 MB peak, against 0.95-1.13 s and 352-361 MB with
/// the 100 ms delay (3 edit builds each on tmpfs, `MIMALLOC_PURGE_DELAY=-1`).
const KEEP_FREED_UP_TO: usize = 20_000;

/// Turns transparent huge pages off and sets the purge delay for a build of `articles` articles;
/// `MIMALLOC_PURGE_DELAY` in the environment still wins for the delay.
pub fn tune_for(articles: usize) {
    let small = articles <= KEEP_FREED_UP_TO;
    // Huge pages stay off for a large archive too. They were turned back on for one, for
    // fewer TLB misses (one bench run without them, 100,000 articles: 104.79 s against 100.90 s
    // the run before, within the noise); measured again with the same binary one after the
    // other (83db880, 100,000 bench articles, cold), they cost memory and gave no time: peak
    // 1,283,192 KB and 171.8 s with them, 1,237,792 KB and 170.8 s without.
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    let delay = if small { -1 } else { PURGE_DELAY_MS };
    // SAFETY: sets a plain option value; mimalloc reads options at each use.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, delay) };
}

/// Whether a build of `articles` articles lets go of what only its first stages need (the
/// tagger's model once annotated, the lexicon once resolved; `Loaded`). A small archive keeps
/// them, as `dossier serve` does for any archive: loading them again (about 0.3 s) would be a
/// third of a rebuild after an edit of 10,000 articles.
pub fn lets_go_early(articles: usize) -> bool {
    articles > KEEP_FREED_UP_TO
}

/// Drops `value` on another thread: freeing a large structure of many small parts took a
/// noticeable time off the build's path.
pub fn drop_aside<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// The settings before the archive's size is known (and for other commands than `build`):
/// those of a small archive.
///
/// For a small archive, transparent huge pages are turned off for the process. mimalloc asks
/// for them, and the kernel then zeroes a whole 2 MB page at the first touch of any byte of it:
/// after the machine had been idle a few seconds (free memory compacted into huge pages), a
/// rebuild after an edit of 10,000 articles spent about a second of system time doing that,
/// 1.37-1.42 s in all against 0.92-1.00 s without (3 runs each, 8 s apart,
/// `MIMALLOC_ALLOW_THP=0`, which does the same). A cold build of 10,000 took 9.08-9.52 s with
/// them and 9.09-9.12 s without, at a lower peak (375 against 344-349 MB).
pub fn tune_default() {
    // The flag is the process's: it holds for the memory mimalloc mapped before `main` too.
    tune_for(0);
}

/// What one article holds on the heap, part by part, in bytes (capacities, not lengths; the
/// allocator's rounding not counted): the figures behind the plan for large archives in
/// `docs/performance.md`, printed after the annotate stage with `DOSSIER_TIMINGS`.
pub fn article_parts(a: &crate::model::Article) -> [(&'static str, usize); 8] {
    use std::mem::size_of_val;
    let s = |x: &String| x.capacity();
    let o = |x: &Option<String>| x.as_ref().map_or(0, String::capacity);
    let vec = |bytes: usize, cap: usize, len: usize| if len == 0 { 0 } else { bytes / len * cap };
    let src = &a.source;
    let meta = o(&src.meta.title) + o(&src.meta.published) + o(&src.meta.publisher) + o(&src.meta.url) + o(&src.meta.language) + o(&src.meta.notes) + src.meta.authors.iter().map(|x| 24 + x.capacity()).sum::<usize>();
    let file = src.path.capacity() + s(&src.rel) + meta + o(&src.meta_origin) + a.id.capacity() + a.title.capacity() + o(&a.published) + a.dateline.as_ref().map_or(0, |d| d.text.capacity());
    let dates = vec(size_of_val(a.dates.as_slice()), a.dates.capacity(), a.dates.len()) + a.dates.iter().map(|d| d.value.capacity() + o(&d.note)).sum::<usize>();
    [
        ("article struct", std::mem::size_of::<crate::model::Article>()),
        // Nothing once the text is in the build's text file (`text_store`).
        ("text", src.text.capacity()),
        ("names and metadata", file),
        ("blocks and notes (encoded)", a.detail.bytes().len()),
        ("shown spans", vec(size_of_val(a.kept.as_slice()), a.kept.capacity(), a.kept.len())),
        ("raw mentions (encoded)", a.raw_mentions.bytes().len()),
        ("dates", dates),
        ("statements", vec(size_of_val(a.quotes.as_slice()), a.quotes.capacity(), a.quotes.len())),
    ]
}

/// Knowledge loaded on first use and let go when a large build no longer needs it: the
/// lexicon (69 MB) and the tagger's model (43 MB) are used only to annotate and resolve, and
/// held through the site's stages they were a tenth of the peak at 100,000 articles. A later
/// `get` (the next build of `dossier serve`) loads it again.
pub struct Loaded<T> {
    slot: std::sync::Mutex<Option<std::sync::Arc<T>>>,
    load: fn() -> T,
}

impl<T> Loaded<T> {
    pub const fn new(load: fn() -> T) -> Self {
        Loaded { slot: std::sync::Mutex::new(None), load }
    }

    /// The value, loaded if it is not held. Threads asking at once wait for one load.
    pub fn get(&self) -> std::sync::Arc<T> {
        let mut slot = self.slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        slot.get_or_insert_with(|| std::sync::Arc::new((self.load)())).clone()
    }

    /// Lets the value go: it is freed once the last `get` still in use is dropped.
    pub fn release(&self) -> Option<std::sync::Arc<T>> {
        self.slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
    }
}

/// Live heap figures for `--features heap-stats` (see Cargo.toml): mimalloc with each
/// allocation's size added to a counter. How the 100,000-article peak was taken apart
/// (docs/performance.md, "100,000 articles under 1 GB").
#[cfg(feature = "heap-stats")]
pub mod heap {
    use std::alloc::{GlobalAlloc, Layout};
    use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};

    static LIVE: AtomicIsize = AtomicIsize::new(0);
    static PEAK: AtomicIsize = AtomicIsize::new(0);

    pub struct Counting;

    fn grow(by: isize) {
        let now = LIVE.fetch_add(by, Relaxed) + by;
        PEAK.fetch_max(now, Relaxed);
    }

    // SAFETY: every call is passed on to mimalloc unchanged; only the counters are added.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            grow(l.size() as isize);
            unsafe { mimalloc::MiMalloc.alloc(l) }
        }
        unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
            LIVE.fetch_sub(l.size() as isize, Relaxed);
            unsafe { mimalloc::MiMalloc.dealloc(p, l) }
        }
        unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
            grow(n as isize - l.size() as isize);
            unsafe { mimalloc::MiMalloc.realloc(p, l, n) }
        }
    }

    /// The live heap now and its peak since the last call, in MB.
    pub fn live_and_peak_mb() -> (isize, isize) {
        let live = LIVE.load(Relaxed);
        (live >> 20, PEAK.swap(live, Relaxed) >> 20)
    }
}
