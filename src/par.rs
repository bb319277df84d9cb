//! Parallel work over a slice in chunks, each chunk's results folded in order on one thread
//! while the next chunk is worked on. For stages whose per-item results are large (a resolved
//! mention list, a document's terms) and whose fold is serial: only two chunks' results exist
//! at a time, so memory stays flat at any archive size, and the fold overlaps the work.

use rayon::prelude::*;

/// Calls `work` on every item on all threads and `fold(first, results)` on each chunk's results
/// in item order, `first` being the index of the chunk's first item.
pub fn chunked<T: Sync, R: Send>(items: &[T], chunk: usize, work: impl Fn(&T) -> R + Sync, mut fold: impl FnMut(usize, Vec<R>) + Send) {
    let mut ready: Option<(usize, Vec<R>)> = None;
    for (c, part) in items.chunks(chunk.max(1)).enumerate() {
        let (done, ()) = rayon::join(
            || part.par_iter().map(&work).collect::<Vec<_>>(),
            || {
                if let Some((first, results)) = ready.take() {
                    fold(first, results);
                }
            },
        );
        ready = Some((c * chunk.max(1), done));
    }
    if let Some((first, results)) = ready {
        fold(first, results);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_result_is_folded_once_in_order() {
        let items: Vec<usize> = (0..10).collect();
        let mut seen = Vec::new();
        super::chunked(&items, 3, |i| i * 10, |first, results| {
            assert_eq!(first, seen.len());
            seen.extend(results);
        });
        assert_eq!(seen, (0..10).map(|i| i * 10).collect::<Vec<_>>());
    }
}
