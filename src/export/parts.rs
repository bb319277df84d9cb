//! Files that would grow with the archive come in parts past a size: `data/archive.json`,
//! `data/statements.csv`, `data/mentions.csv` and `data/entities.csv` are each written whole
//! while they hold at most `WHOLE_LIMIT` bytes, else as numbered parts in `data/archive/`
//! (`articles-0000.json`, `statements-0000.csv`, …). Static hosts refuse large files
//! (Cloudflare Pages 25 MiB, GitHub 100 MiB), and a reader should not have to load the data of
//! a newsroom's whole archive to read part of it. Which it is depends on the archive alone, so
//! the same articles always give the same files.

use rayon::prelude::*;

/// The most bytes a file of the data is written whole in.
pub const WHOLE_LIMIT: u64 = 20_000_000;
/// Articles in a part, in input order (as the Web Annotations' shards): part `k` of every
/// per-article file holds the same articles.
pub const PART_ARTICLES: usize = 500;
/// Entities in a part, in the archive's order.
pub const PART_ENTITIES: usize = 5_000;

/// `WHOLE_LIMIT`, or for tests the number of bytes in `DOSSIER_WHOLE_FILE_LIMIT`, so that a
/// small archive can be written in parts.
pub fn whole_limit() -> u64 {
    std::env::var("DOSSIER_WHOLE_FILE_LIMIT").ok().and_then(|v| v.parse().ok()).unwrap_or(WHOLE_LIMIT)
}

/// The site path of part `k` of the file `name` (`articles`, `statements`, …) with extension `ext`.
pub fn part_path(name: &str, k: usize, ext: &str) -> String {
    format!("data/archive/{name}-{k:04}.{ext}")
}

/// The size of a file of `fixed` bytes and `n` pieces, piece `i` being `len(i)` bytes, if it
/// holds at most `limit` bytes. The pieces are measured a chunk at a time on all threads, and
/// no further once past the limit, so that a large archive is not measured whole (`len` may
/// have to make a piece to measure it).
pub fn fits(fixed: u64, n: usize, len: impl Fn(usize) -> u64 + Sync, limit: u64) -> Option<u64> {
    let mut total = fixed;
    let mut from = 0;
    while total <= limit && from < n {
        let to = (from + 1024).min(n);
        total += (from..to).into_par_iter().map(&len).sum::<u64>();
        from = to;
    }
    (total <= limit).then_some(total)
}

/// Counts the bytes written to it: a piece's length without keeping its bytes.
#[derive(Default)]
pub struct Counter(pub u64);

impl std::io::Write for Counter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len() as u64;
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_fits_up_to_the_limit_and_is_measured_no_further_than_past_it() {
        let measured = std::sync::atomic::AtomicUsize::new(0);
        let len = |_| {
            measured.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            10
        };
        assert_eq!(fits(5, 100, len, 1005), Some(1005));
        assert_eq!(fits(5, 100, len, 1004), None);
        assert_eq!(fits(0, 0, len, 0), Some(0));
        measured.store(0, std::sync::atomic::Ordering::Relaxed);
        assert_eq!(fits(0, 100_000, len, 100), None);
        assert!(measured.into_inner() <= 1024, "stops within the chunk that passes the limit");
    }
}
