//! Files written in pieces (`SiteWriter::file_pieced`): a piece the previous version of the file
//! holds is copied from it rather than made again.

use std::fs;
use std::io::Write;

use crate::cache::{Key, Piece};

/// Streams a file for `SiteWriter::file_pieced`, recording where each piece goes.
pub struct PieceWriter {
    pub(super) out: std::io::BufWriter<fs::File>,
    /// Bytes written so far, counting the pending run.
    pub(super) len: u64,
    pub(super) old: Option<OldPieces>,
    pub(super) pieces: Vec<Piece>,
    /// (offset, length) of consecutive old pieces not copied yet: copied in one go, by the
    /// kernel (`copy_file_range` through `std::io::copy`), when something else is written.
    pub(super) run: Option<(u64, u64)>,
}

/// The previous version of a pieced file and where its pieces lie.
pub(super) struct OldPieces {
    pub(super) file: fs::File,
    pub(super) at: rustc_hash::FxHashMap<Key, (u64, u64)>,
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
