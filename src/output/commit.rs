//! Making the staged pages the site: the swap of a full build, the journalled commit of a later
//! one, and the recovery of either after a kill (see the module's doc in `mod.rs`).

use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::fs;
use std::path::Path;

use super::{check_path, JOURNAL, MARKER, MARKER_HEAD};
use crate::paths::sibling;

/// The names at the top of the site that hold `paths` (page paths), sorted, each once.
pub(super) fn top_names<'a>(paths: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
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

pub(super) fn marker_text(names: &[&str]) -> String {
    let mut text = format!("{MARKER_HEAD}\n");
    for name in names {
        text.push_str(name);
        text.push('\n');
    }
    text
}

/// Stages a marker listing `names` for the commit to move into `output`, unless the output's
/// already says that. Written whole (by rename), so a staged marker is never half of one.
pub(super) fn stage_marker(output: &Path, staging: &Path, names: &[&str]) -> Result<()> {
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
pub(super) fn refuse_unless(staging: &Path, check: Result<()>) -> Result<()> {
    if check.is_err() {
        let _ = fs::remove_dir_all(staging);
    }
    check
}

/// Refuses to write pages under a name at the top of the site that holds the publisher's file
/// or folder (one the marker does not list): Dossier making `feed.xml` once a base URL is set
/// would replace the publisher's own. In a site whose marker lists no names (an older
/// version's) nothing is known to be the publisher's.
pub(super) fn check_not_foreign(output: &Path, names: &[&str]) -> Result<()> {
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
pub(super) fn swap_in(output: &Path, staging: &Path, names: &[&str]) -> Result<Vec<String>> {
    let old = sibling(output, "dossier-old")?;
    fs::write(staging.join(MARKER), marker_text(names)).with_context(|| format!("{}: cannot write", staging.join(MARKER).display()))?;
    if output.exists() {
        fs::rename(output, &old).with_context(|| format!("{}: cannot move the previous site aside", output.display()))?;
    }
    super::fault_point("swap");
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
pub(super) fn check_no_links(output: &Path, journal: &str) -> Result<()> {
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
pub(super) fn apply_journal(output: &Path, staging: &Path, journal: &str) -> Result<()> {
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
                    super::fault_point("commit");
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
pub(super) fn recover(output: &Path) -> Result<bool> {
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
}
