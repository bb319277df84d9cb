//! One build of an output at a time: an advisory lock beside the output folder.

use anyhow::{bail, Context, Result};
use std::fs;
use std::path::{Path, PathBuf};

use crate::paths::sibling;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
