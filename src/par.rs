//! Parallel work over a slice in chunks, each chunk's results folded in order on one thread
//! while the next chunk is worked on. For stages whose per-item results are large (a resolved
//! mention list, a document's terms) and whose fold is serial: only two chunks' results exist
//! at a time, so memory stays flat at any archive size, and the fold overlaps the work.

use rayon::prelude::*;

/// Calls `work` on every item on all threads and `fold(first, results)` on each chunk's results
/// in item order, `first` being the index of the chunk's first item.
pub fn chunked<T: Sync, R: Send>(items: &[T], chunk: usize, work: impl Fn(&T) -> R + Sync, mut fold: impl FnMut(usize, Vec<R>) + Send) {
    pipelined(items.chunks(chunk.max(1)), chunk.max(1), |_, part| part.par_iter().map(&work).collect(), |first, results, _| fold(first, results));
}

/// `chunked` for items that can be let go once folded: `work(index, item)` reads an item,
/// `fold(first, results, items)` also gets the chunk's items back to release what they hold,
/// so that their memory is freed as the results that replace it are made.
pub fn chunked_mut<T: Send + Sync, R: Send>(items: &mut [T], chunk: usize, work: impl Fn(usize, &T) -> R + Sync, fold: impl FnMut(usize, Vec<R>, &mut [T]) + Send) {
    pipelined(items.chunks_mut(chunk.max(1)), chunk.max(1), |first, part| part.par_iter().enumerate().map(|(k, t)| work(first + k, t)).collect(), fold);
}

/// Works on chunk c on all threads while chunk c - 1's results are folded.
fn pipelined<C: Send + Sync, R: Send>(chunks: impl Iterator<Item = C>, size: usize, work: impl Fn(usize, &C) -> Vec<R> + Sync, mut fold: impl FnMut(usize, Vec<R>, C) + Send) {
    let mut ready: Option<(usize, Vec<R>, C)> = None;
    for (c, part) in chunks.enumerate() {
        let first = c * size;
        let (done, ()) = rayon::join(
            || work(first, &part),
            || {
                if let Some((first, results, items)) = ready.take() {
                    fold(first, results, items);
                }
            },
        );
        ready = Some((first, done, part));
    }
    if let Some((first, results, items)) = ready {
        fold(first, results, items);
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

    #[test]
    fn each_chunk_is_handed_back_after_its_results_are_folded() {
        let mut items: Vec<Vec<usize>> = (0..10).map(|i| vec![i; 3]).collect();
        let mut seen = Vec::new();
        super::chunked_mut(&mut items, 4, |i, v| (i, v.iter().sum::<usize>()), |first, results, part| {
            assert_eq!(first, seen.len());
            assert_eq!(results.len(), part.len());
            seen.extend(results);
            part.iter_mut().for_each(Vec::clear);
        });
        assert_eq!(seen, (0..10).map(|i| (i, 3 * i)).collect::<Vec<_>>());
        assert!(items.iter().all(Vec::is_empty), "every chunk was released");
    }
}
