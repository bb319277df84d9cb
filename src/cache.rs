//! The build cache: what an earlier build learnt, kept so the next one redoes only what changed.
//!
//! It lives beside the output as `.NAME.dossier-cache/` (never inside the site, so publishing
//! the folder never publishes the cache) and holds four things:
//!
//! - `articles.bin`/`.idx`: one cleaned and annotated article per entry, a store of keyed
//!   entries (`Packed`), each under the hash of everything its annotation depends on (the
//!   program with its model and lists, the file's path inside the archive, text and metadata), with a checksum of
//!   its bytes. An edited file gets a new key, so an old entry can never be mistaken for it.
//!   A build appends the entries it made and lists the ones it used: one file instead of one
//!   per article (whose creation was a large part of a cold build's system time), no pruning
//!   pass, and one entry written after an edit.
//! - `resolved.bin`/`.idx`: what resolving each article gave (`resolve::Recall`): the
//!   countries it names, and its mentions with the entity keys they resolve to, under the
//!   article's key, the overrides and the archive's place prior. An edit resolves the edited
//!   articles again and reads the others back.
//! - `search-terms.bin`/`.idx`: each article's search terms (`search`), a store of the
//!   same kind, read back one entry at a time; `search-index.bin`, the last build's whole
//!   search index, which an edit patches instead of numbering every article's terms again.
//! - `pages.bin`: the pages of the last complete build, each with the hash of the inputs it was
//!   rendered from and the size and modification time of the file written, so that a page
//!   whose inputs did not change and whose file is untouched is kept instead of re-rendered.
//!   For `data/archive.json` it also keeps each article line's key and place, so that the
//!   next build copies unchanged lines from the file instead of making them again.
//!
//! A build also writes the articles' texts to the folder while it runs (`crate::text_store`),
//! in a file unlinked as soon as it is open: nothing of it stays.
//!
//! Every entry starts with a format tag and repeats its key; anything that does not read back
//! exactly (another version, a truncated write, a hand edit) is ignored and rebuilt, never
//! trusted. Deleting the folder only makes the next build slower.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::model::{Article, DateExpr, Dateline, Detail, Encoded, RawMention, Source};
use crate::text::Span;

/// Bumped whenever what an entry holds changes shape.
const FORMAT: &[u8; 8] = b"DOSSC004";

/// A content hash (BLAKE3, 32 bytes).
pub type Key = [u8; 32];

/// Hashes a sequence of labelled parts; each part is length-prefixed so that no two different
/// sequences hash alike.
///
/// Parts are gathered and handed to BLAKE3 a few kilobytes at a time: given whole chunks at
/// once it hashes several side by side (SIMD), while part by part (a page key is thousands of
/// small parts) it compressed one 64-byte block at a time, and was a tenth of an edit's CPU.
pub struct Hasher {
    hash: blake3::Hasher,
    pending: Vec<u8>,
}

/// How much is gathered before BLAKE3 gets it: eight of its 1 KB chunks.
const GATHER: usize = 8 * 1024;

impl Hasher {
    pub fn new(domain: &str) -> Hasher {
        let mut h = Hasher { hash: blake3::Hasher::new(), pending: Vec::new() };
        h.part(crate::embedded::BUILD_ID.as_bytes()).part(domain.as_bytes());
        h
    }
    pub fn part(&mut self, bytes: &[u8]) -> &mut Hasher {
        self.gather(&(bytes.len() as u64).to_le_bytes());
        self.gather(bytes);
        self
    }
    fn gather(&mut self, bytes: &[u8]) {
        if self.pending.len() + bytes.len() > GATHER {
            self.hash.update(&self.pending);
            self.pending.clear();
            if bytes.len() > GATHER {
                self.hash.update(bytes);
                return;
            }
        }
        self.pending.extend_from_slice(bytes);
    }
    /// Hashes a value's JSON as the last part, streamed (a page context can be large).
    pub fn json(&mut self, value: &impl Serialize) -> Key {
        struct Gather<'a>(&'a mut Hasher);
        impl std::io::Write for Gather<'_> {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.gather(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        serde_json::to_writer(Gather(self), value).expect("plain data serialises");
        self.finish()
    }
    pub fn finish(&self) -> Key {
        let mut h = self.hash.clone();
        h.update(&self.pending);
        *h.finalize().as_bytes()
    }
}

/// What annotating one source produced: the article without its text, which is the file itself.
/// Borrowed from the article when an entry is written (nothing is copied to be serialised),
/// owned when one is read back; the bytes are the same either way.
#[derive(Serialize, Deserialize)]
struct Annotated<'a> {
    title: Cow<'a, str>,
    title_derived: bool,
    title_span: Option<Span>,
    standfirst: Option<Span>,
    dateline: Option<Cow<'a, Dateline>>,
    /// `Article::detail` and `Article::raw_mentions` as they are held, encoded.
    #[serde(borrow)]
    detail: &'a [u8],
    kept: Cow<'a, [Span]>,
    #[serde(borrow)]
    raw_mentions: &'a [u8],
    dates: Cow<'a, [DateExpr]>,
    quotes: Cow<'a, [crate::model::Quote]>,
    published: Option<Cow<'a, str>>,
}

/// One page of the last complete build.
#[derive(Serialize, Deserialize, Clone, PartialEq, Debug)]
pub struct PageRecord {
    /// Hash of the template, context and settings it was rendered from.
    pub inputs: Key,
    pub size: u64,
    /// Modification time of the written file, in nanoseconds since the epoch.
    pub mtime: u64,
    /// For a file written in keyed pieces (`SiteWriter::file_pieced`), where each piece lies.
    pub pieces: Box<[Piece]>,
}

/// A piece of a file: the key of what it was made from, its offset and its length in bytes.
pub type Piece = (Key, u64, u64);

/// The pages of a complete build with their records, sorted by site path (as stored).
pub type Manifest = Vec<(String, PageRecord)>;

#[derive(Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache of the site at `output`: `.NAME.dossier-cache` in the same folder.
    pub fn for_output(output: &Path) -> anyhow::Result<Cache> {
        Ok(Cache { dir: crate::paths::sibling(output, "dossier-cache")? })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of a source's annotation: the program, the file's identity and its content.
    /// The identity is the path inside the archive, not on this machine: nothing annotated
    /// depends on where the folder is, so moving it, or naming it another way (`archive`,
    /// `./archive`, `/home/me/archive`), keeps every entry.
    pub fn article_key(src: &Source) -> Key {
        let meta = serde_json::to_vec(&src.meta).expect("metadata serialises");
        Hasher::new("article")
            .part(src.rel.as_bytes())
            .part(src.text.as_bytes())
            .part(&(src.body_start as u64).to_le_bytes())
            .part(&meta)
            .part(src.meta_origin.as_deref().unwrap_or("").as_bytes())
            .finish()
    }

    /// The article entries of the last build (`articles.bin`), if the file reads back.
    pub fn articles(&self) -> Option<Packed> {
        self.packed("articles")
    }

    /// This build's article entries (`Cache::pack`).
    pub fn new_articles<'a>(&self, old: Option<&'a Packed>) -> std::io::Result<PackedWriter<'a>> {
        self.pack("articles", old)
    }

    /// Removes what older versions kept in the cache folder (`articles/`, a file per article):
    /// nothing reads it any more.
    pub fn remove_old_layout(&self) {
        let old = self.dir.join("articles");
        if old.is_dir() {
            let _ = std::fs::remove_dir_all(old);
        }
    }

    fn manifest_path(&self) -> PathBuf {
        self.dir.join("pages.bin")
    }

    /// The pages of the last complete build of `site_key` (the settings and templates it used),
    /// or an empty manifest when there is none or it does not read back.
    pub fn load_manifest(&self, site_key: &Key) -> Manifest {
        let Ok(bytes) = std::fs::read(self.manifest_path()) else { return Manifest::default() };
        check_header(&bytes, site_key).and_then(|b| postcard::from_bytes::<Manifest>(b).ok()).unwrap_or_default()
    }

    pub fn store_manifest(&self, site_key: &Key, manifest: &Manifest) -> std::io::Result<()> {
        // A list sorted by path, so that the same build writes the same bytes.
        let mut pages: Vec<&(String, PageRecord)> = manifest.iter().collect();
        pages.sort_by(|a, b| a.0.cmp(&b.0));
        let body = postcard::to_stdvec(&pages).map_err(std::io::Error::other)?;
        write_atomic(&self.manifest_path(), &with_header(site_key, &body))
    }

    /// Forgets the last build's pages (before a build that will not record them).
    pub fn clear_manifest(&self) {
        let _ = std::fs::remove_file(self.manifest_path());
    }

    /// The packed store `NAME` of the last build, if there is one that reads back.
    pub fn packed(&self, name: &str) -> Option<Packed> {
        Packed::open(&self.dir.join(format!("{name}.bin")), &self.dir.join(format!("{name}.idx")))
    }

    /// This build's entries of the store `NAME`, kept beside `old`'s where they can be: they
    /// become the live ones at `PackedWriter::finish`.
    pub fn pack<'a>(&self, name: &str, old: Option<&'a Packed>) -> std::io::Result<PackedWriter<'a>> {
        PackedWriter::create(&self.dir.join(format!("{name}.bin")), &self.dir.join(format!("{name}.idx")), old)
    }
}

/// The cached annotation of `src` in `pack`, and the entry's bytes (for the next pack), if an
/// entry with exactly this key is there, its checksum holds and it fits the text.
pub fn load_article(pack: Option<&Packed>, key: &Key, src: Source) -> Result<(Article, Vec<u8>), Source> {
    let Some(entry) = pack.and_then(|p| p.get(key)) else { return Err(src) };
    let Some(body) = checked(&entry) else { return Err(src) };
    let Ok(a) = postcard::from_bytes::<Annotated>(body) else { return Err(src) };
    let (Some((detail, _)), Some((raw_mentions, raw))) = (Encoded::<Detail>::decode(a.detail), Encoded::<Vec<RawMention>>::decode(a.raw_mentions)) else { return Err(src) };
    // Spans must lie inside this text on character boundaries, or the entry is not for it.
    let fits = |s: &Span| s.start() <= s.end() && s.end() <= src.text.len() && src.text.is_char_boundary(s.start()) && src.text.is_char_boundary(s.end());
    let quote_fits = |q: &crate::model::Quote| fits(&q.content) && [q.speaker, q.cue, q.antecedent].iter().flatten().all(fits);
    let spans_fit = a.kept.iter().all(fits) && raw.iter().all(|m| fits(&m.span)) && a.dates.iter().all(|d| fits(&d.span)) && a.quotes.iter().all(quote_fits);
    if !spans_fit {
        return Err(src);
    }
    let article = Article {
        id: String::new(),
        source: src,
        key: *key,
        title: a.title.into_owned(),
        title_derived: a.title_derived,
        title_span: a.title_span,
        standfirst: a.standfirst,
        dateline: a.dateline.map(Cow::into_owned),
        detail,
        kept: a.kept.into_owned(),
        raw_mentions,
        mentions: Vec::new(),
        dates: a.dates.into_owned(),
        quotes: a.quotes.into_owned(),
        published: a.published.map(Cow::into_owned),
        stored: None,
    };
    Ok((article, entry))
}

/// The bytes of an article's cache entry: a checksum, then the annotation.
pub fn article_entry(art: &Article) -> Vec<u8> {
    let a = Annotated {
        title: Cow::Borrowed(&art.title),
        title_derived: art.title_derived,
        title_span: art.title_span,
        standfirst: art.standfirst,
        dateline: art.dateline.as_ref().map(Cow::Borrowed),
        detail: art.detail.bytes(),
        kept: Cow::Borrowed(&art.kept),
        raw_mentions: art.raw_mentions.bytes(),
        dates: Cow::Borrowed(&art.dates),
        quotes: Cow::Borrowed(&art.quotes),
        published: art.published.as_deref().map(Cow::Borrowed),
    };
    sealed(&postcard::to_stdvec(&a).expect("an annotation serialises"))
}

/// An entry's bytes: a checksum, then `body` (read back with `checked`).
pub fn sealed(body: &[u8]) -> Vec<u8> {
    let mut entry = Vec::with_capacity(CHECKSUM + body.len());
    entry.extend_from_slice(&blake3::hash(body).as_bytes()[..CHECKSUM]);
    entry.extend_from_slice(body);
    entry
}

/// Bytes of BLAKE3 before an article entry: a damaged entry (a bad disk, a hand edit) could
/// otherwise still decode, into another annotation.
const CHECKSUM: usize = 16;

/// The body of an entry whose checksum holds.
pub fn checked(entry: &[u8]) -> Option<&[u8]> {
    let (sum, body) = entry.split_at_checked(CHECKSUM)?;
    (blake3::hash(body).as_bytes()[..CHECKSUM] == *sum).then_some(body)
}

/// Keyed entries kept from build to build, for data too many to hold one file each and too
/// large to read whole. Two files:
///
/// - `NAME.bin`, the entries: `FORMAT` and a generation number, then each entry as its key
///   and bytes. A build appends the entries it made and leaves the others where they are: after
///   an edit it writes one entry, where rewriting the file cost tens of megabytes of writes.
/// - `NAME.idx`, the live entries: `FORMAT`, the generation, then a table of (key, offset,
///   length). It is written whole under a temporary name and renamed into place once the
///   entries it lists are in `NAME.bin`, so a build killed half-way leaves the last complete
///   build's table, which lists only complete entries.
///
/// When dead entries (of edited or deleted articles) make up more than half of `NAME.bin`,
/// the next build writes a fresh one with a new generation; a table of another generation is
/// ignored. An entry is read with one positioned read and returned only if the key stored
/// before it is the key asked for.
pub struct Packed {
    file: std::fs::File,
    generation: u64,
    /// Length of `NAME.bin` when it was opened.
    len: u64,
    /// Bytes of the live entries with their keys.
    live: u64,
    at: rustc_hash::FxHashMap<Key, (u64, u32)>,
}

/// Where each live entry lies: (key, offset, length).
type Table = Vec<(Key, u64, u32)>;

impl Packed {
    fn open(data: &Path, index: &Path) -> Option<Packed> {
        use std::io::Read;
        let idx = std::fs::read(index).ok()?;
        let rest = idx.strip_prefix(FORMAT.as_slice())?;
        let (generation, table) = rest.split_first_chunk::<8>()?;
        let generation = u64::from_le_bytes(*generation);
        let rows: Table = postcard::from_bytes(table).ok()?;
        let mut file = std::fs::File::open(data).ok()?;
        let len = file.metadata().ok()?.len();
        let mut head = [0u8; 16];
        file.read_exact(&mut head).ok()?;
        if head[..8] != *FORMAT || u64::from_le_bytes(head[8..].try_into().unwrap()) != generation {
            return None;
        }
        // A table pointing past the end (a file cut short) is not used at all: entries appended
        // after the cut would lie where it says old ones are.
        if rows.iter().any(|&(_, off, n)| off.checked_add(KEY_LEN + u64::from(n)).is_none_or(|end| end > len)) {
            return None;
        }
        let live = rows.iter().map(|&(_, _, n)| KEY_LEN + u64::from(n)).sum();
        Some(Packed { file, generation, len, live, at: rows.into_iter().map(|(k, off, n)| (k, (off, n))).collect() })
    }

    /// The bytes stored under `key`, if they read back whole.
    pub fn get(&self, key: &Key) -> Option<Vec<u8>> {
        use std::os::unix::fs::FileExt;
        let &(offset, len) = self.at.get(key)?;
        let mut buf = vec![0u8; key.len() + len as usize];
        self.file.read_exact_at(&mut buf, offset).ok()?;
        buf.starts_with(key).then(|| buf.split_off(key.len()))
    }
}

const KEY_LEN: u64 = 32;

/// Adds this build's entries to a `Packed` store; `finish` makes its table the live one.
pub struct PackedWriter<'a> {
    out: std::io::BufWriter<std::fs::File>,
    /// The store of the last build, whose entries are kept where they are (appending), or
    /// copied into a fresh file (`fresh`).
    old: Option<&'a Packed>,
    /// A fresh `NAME.bin` is being written under this temporary name.
    fresh: Option<PathBuf>,
    data: PathBuf,
    index: PathBuf,
    generation: u64,
    len: u64,
    table: Table,
    /// Whether the table differs from the old one (a new entry, or a dropped one).
    changed: bool,
}

impl<'a> PackedWriter<'a> {
    fn create(data: &Path, index: &Path, old: Option<&'a Packed>) -> std::io::Result<PackedWriter<'a>> {
        if let Some(dir) = data.parent() {
            std::fs::create_dir_all(dir)?;
        }
        // Appended to while dead entries are at most half of the file.
        if let Some(o) = old.filter(|o| o.len <= 2 * o.live + 64 * 1024) {
            let file = std::fs::OpenOptions::new().append(true).open(data)?;
            // Past any bytes a killed build appended but never listed.
            let len = file.metadata()?.len();
            let out = std::io::BufWriter::with_capacity(256 * 1024, file);
            return Ok(PackedWriter { out, old, fresh: None, data: data.to_path_buf(), index: index.to_path_buf(), generation: o.generation, len, table: Vec::new(), changed: false });
        }
        let tmp = temp_path(data);
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, std::fs::File::create(&tmp)?);
        // A new generation, so that no table of an older file is read against this one.
        let generation = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        out.write_all(FORMAT)?;
        out.write_all(&generation.to_le_bytes())?;
        Ok(PackedWriter { out, old, fresh: Some(tmp), data: data.to_path_buf(), index: index.to_path_buf(), generation, len: 16, table: Vec::new(), changed: true })
    }

    /// Lists `key` with `bytes`: the old entry when the last build's store has this key,
    /// else the bytes written at the end.
    pub fn put(&mut self, key: &Key, bytes: &[u8]) -> std::io::Result<()> {
        if self.fresh.is_none() {
            if let Some(&(off, n)) = self.old.and_then(|o| o.at.get(key)) {
                self.table.push((*key, off, n));
                return Ok(());
            }
        }
        self.changed = true;
        let n = u32::try_from(bytes.len()).map_err(std::io::Error::other)?;
        self.out.write_all(key)?;
        self.out.write_all(bytes)?;
        self.table.push((*key, self.len, n));
        self.len += KEY_LEN + u64::from(n);
        Ok(())
    }

    /// Lists the last build's entry under `key` again without its bytes at hand (they are read
    /// back only when the store is written afresh); false when there is no such entry.
    pub fn keep(&mut self, key: &Key) -> std::io::Result<bool> {
        let Some(old) = self.old else { return Ok(false) };
        match (&self.fresh, old.at.get(key)) {
            (None, Some(&(off, n))) => self.table.push((*key, off, n)),
            (Some(_), Some(_)) => match old.get(key) {
                Some(bytes) => self.put(key, &bytes)?,
                None => return Ok(false),
            },
            (_, None) => return Ok(false),
        }
        Ok(true)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()?;
        let same = !self.changed && self.old.is_some_and(|o| o.at.len() == self.table.len());
        if same {
            return Ok(());
        }
        if let Some(tmp) = self.fresh.take() {
            // A build killed between the two renames finds a table of another generation.
            replace_file(&tmp, &self.data)?;
        }
        let mut idx = Vec::with_capacity(16 + self.table.len() * 44);
        idx.extend_from_slice(FORMAT);
        idx.extend_from_slice(&self.generation.to_le_bytes());
        idx.extend_from_slice(&postcard::to_stdvec(&self.table).map_err(std::io::Error::other)?);
        write_atomic(&self.index, &idx)
    }
}

/// A fresh file not finished (an error on the way) is not left behind.
impl Drop for PackedWriter<'_> {
    fn drop(&mut self) {
        if let Some(tmp) = &self.fresh {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

fn with_header(key: &Key, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(FORMAT.len() + key.len() + body.len());
    out.extend_from_slice(FORMAT);
    out.extend_from_slice(key);
    out.extend_from_slice(body);
    out
}

fn check_header<'a>(bytes: &'a [u8], key: &Key) -> Option<&'a [u8]> {
    let rest = bytes.strip_prefix(FORMAT.as_slice())?;
    let body = rest.strip_prefix(key.as_slice())?;
    Some(body)
}

/// Writes through a temporary file and a rename, so a killed build never leaves half an entry
/// under a real name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = temp_path(path);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Moves the finished file `from` to `to`, removing the file at `to` first rather than renaming
/// over it: on ext4 a rename over an existing file makes the new one's blocks allocated and
/// written at once (`auto_da_alloc`), which held a commit 55 ms for the 87 MB archive.json of
/// 10,000 articles. A folder at `to` is left for the rename to refuse.
pub(crate) fn replace_file(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(to) {
        Ok(m) if !m.is_dir() => std::fs::remove_file(to)?,
        _ => {}
    }
    std::fs::rename(from, to)
}

/// Where a file is written before it is renamed to `path`: this process's own name beside it.
fn temp_path(path: &Path) -> PathBuf {
    path.with_extension(format!("tmp{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a store with `entries` on top of the last one, as a build does.
    fn build_pack(cache: &Cache, entries: &[(u8, &[u8])]) {
        let old = cache.packed("t");
        let mut w = cache.pack("t", old.as_ref()).unwrap();
        for (k, bytes) in entries {
            w.put(&[*k; 32], bytes).unwrap();
        }
        w.finish().unwrap();
    }

    #[test]
    fn a_packed_store_appends_new_entries_and_starts_afresh_when_mostly_dead() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache { dir: dir.path().to_path_buf() };
        let data = dir.path().join("t.bin");
        let size = || std::fs::metadata(&data).unwrap().len();
        let entry = vec![7u8; 100_000];
        build_pack(&cache, &[(1, &entry), (2, b"two")]);
        let first = size();
        // One new entry: the file grows by it alone, and every listed entry reads back.
        build_pack(&cache, &[(1, &entry), (2, b"two"), (3, b"three")]);
        assert_eq!(size(), first + 32 + 5);
        let p = cache.packed("t").unwrap();
        assert_eq!((p.get(&[1; 32]).unwrap(), p.get(&[3; 32]).unwrap()), (entry.clone(), b"three".to_vec()));
        // Bytes a killed build appended without listing them are passed over.
        std::fs::OpenOptions::new().append(true).open(&data).unwrap().write_all(b"half an entry").unwrap();
        build_pack(&cache, &[(1, &entry), (3, b"three"), (4, b"four")]);
        let p = cache.packed("t").unwrap();
        assert_eq!(p.get(&[4; 32]).unwrap(), b"four");
        assert!(p.get(&[2; 32]).is_none(), "an entry this build did not list is gone");
        // Once the big entry is dead, dead bytes are most of the file: the next build writes
        // a fresh one, and only then may the table of the old one no longer be read.
        build_pack(&cache, &[(3, b"three")]);
        build_pack(&cache, &[(3, b"three"), (5, b"five")]);
        assert!(size() < 1000, "{}", size());
        let p = cache.packed("t").unwrap();
        assert_eq!((p.get(&[3; 32]).unwrap(), p.get(&[5; 32]).unwrap()), (b"three".to_vec(), b"five".to_vec()));
        assert!(p.get(&[1; 32]).is_none());
        // A data file cut short makes its table unusable rather than half-trusted.
        let bytes = std::fs::read(&data).unwrap();
        std::fs::write(&data, &bytes[..bytes.len() - 1]).unwrap();
        assert!(cache.packed("t").is_none());
    }

    #[test]
    fn gathered_parts_hash_as_one_stream_of_length_prefixed_parts() {
        // Sizes around the gathering limit: parts that fit, fill it exactly, cross it, exceed it.
        let sizes = [0, 1, 7, GATHER - 20, 12, GATHER, 3, GATHER + 1, 64, 2 * GATHER + 5, 1];
        let parts: Vec<Vec<u8>> = sizes.iter().enumerate().map(|(i, n)| (0..*n).map(|b| (b * 31 + i) as u8).collect()).collect();
        let mut h = Hasher::new("test");
        let mut stream = Vec::new();
        for p in [crate::embedded::BUILD_ID.as_bytes(), b"test"].into_iter().chain(parts.iter().map(Vec::as_slice)) {
            stream.extend_from_slice(&(p.len() as u64).to_le_bytes());
            stream.extend_from_slice(p);
        }
        for (i, p) in parts.iter().enumerate() {
            h.part(p);
            // A key taken part-way is the hash of the parts so far and leaves the hasher as it was.
            if i == 4 {
                let so_far: usize = 2 * 8 + crate::embedded::BUILD_ID.len() + 4 + parts[..5].iter().map(|p| 8 + p.len()).sum::<usize>();
                assert_eq!(h.finish(), *blake3::hash(&stream[..so_far]).as_bytes());
            }
        }
        assert_eq!(h.finish(), *blake3::hash(&stream).as_bytes());
        // Different splits of the same bytes are different sequences.
        assert_ne!(Hasher::new("test").part(b"ab").part(b"c").finish(), Hasher::new("test").part(b"a").part(b"bc").finish());
        // JSON is the value's text, gathered the same way.
        let value = serde_json::json!({"text": "x".repeat(3 * GATHER), "n": 1});
        let mut with_json = Hasher::new("test");
        let mut stream = Vec::new();
        for p in [crate::embedded::BUILD_ID.as_bytes(), b"test"] {
            stream.extend_from_slice(&(p.len() as u64).to_le_bytes());
            stream.extend_from_slice(p);
        }
        stream.extend_from_slice(&serde_json::to_vec(&value).unwrap());
        assert_eq!(with_json.json(&value), *blake3::hash(&stream).as_bytes());
    }

    #[test]
    fn a_packed_file_gives_back_each_entry_and_nothing_from_a_damaged_file() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache { dir: dir.path().join("c") };
        assert!(cache.packed("t").is_none(), "no file yet");
        let (a, b, c) = ([1u8; 32], [2u8; 32], [3u8; 32]);
        let mut w = cache.pack("t", None).unwrap();
        w.put(&a, b"first").unwrap();
        w.put(&b, b"").unwrap();
        w.put(&c, &vec![7u8; 100_000]).unwrap();
        // Not finished: the old file (none) stays.
        drop(w);
        assert!(cache.packed("t").is_none());
        let mut w = cache.pack("t", None).unwrap();
        w.put(&a, b"first").unwrap();
        w.put(&b, b"").unwrap();
        w.put(&c, &vec![7u8; 100_000]).unwrap();
        w.finish().unwrap();
        let p = cache.packed("t").unwrap();
        assert_eq!(p.get(&a).as_deref(), Some(&b"first"[..]));
        assert_eq!(p.get(&b).as_deref(), Some(&b""[..]));
        assert_eq!(p.get(&c).unwrap().len(), 100_000);
        assert_eq!(p.get(&[4u8; 32]), None);
        let mut names: Vec<_> = std::fs::read_dir(dir.path().join("c")).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, ["t.bin", "t.idx"], "no temporary file is left");

        // An entry whose stored key was overwritten is refused; a truncated file is not read.
        let path = dir.path().join("c/t.bin");
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[FORMAT.len() + 8] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        let p = cache.packed("t").unwrap();
        assert_eq!(p.get(&a), None);
        assert_eq!(p.get(&b).as_deref(), Some(&b""[..]));
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(cache.packed("t").is_none());
    }

    #[test]
    fn an_entry_reads_back_only_under_its_own_key() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache { dir: dir.path().join("c") };
        let text = "MOSCOW, May 31. Sergei Lavrov met officials in Raqqa.\n".to_string();
        let src = Source {
            path: "x/a.txt".into(),
            rel: "a.txt".into(),
            format: crate::model::Format::Txt,
            text: text.clone(),
            body_start: 0,
            meta: Default::default(),
            meta_origin: None,
        };
        let key = Cache::article_key(&src);
        let art = crate::pipeline::process(src.clone(), key, crate::annotate::default_annotator().as_ref());
        let entry = article_entry(&art);
        let mut w = cache.new_articles(None).unwrap();
        w.put(&key, &entry).unwrap();
        w.finish().unwrap();
        let pack = cache.articles().expect("the pack reads back");
        let (back, bytes) = load_article(Some(&pack), &key, src.clone()).ok().expect("entry reads back");
        assert_eq!(bytes, entry, "the entry's bytes come back, to be copied when the next store is written afresh");
        assert!(!art.raw_mentions.get().is_empty() && !art.detail.get().blocks.is_empty());
        assert_eq!(back.raw_mentions.get(), art.raw_mentions.get());
        assert_eq!(back.detail.get(), art.detail.get());
        assert_eq!(format!("{:?}", back.dates), format!("{:?}", art.dates));

        // Another text has another key: its entry is not there.
        let mut edited = src.clone();
        edited.text = text.replace("Raqqa", "Idlib");
        let other = Cache::article_key(&edited);
        assert_ne!(other, key);
        assert!(load_article(Some(&pack), &other, edited.clone()).is_err());
        // A damaged entry (one bit of its annotation flipped, which would still decode) is
        // refused: its checksum no longer holds.
        let mut damaged = entry.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 0x01;
        let mut w = cache.new_articles(None).unwrap();
        w.put(&key, &damaged).unwrap();
        w.finish().unwrap();
        let pack = cache.articles().unwrap();
        assert!(load_article(Some(&pack), &key, src.clone()).is_err(), "a damaged entry is not trusted");
        assert!(load_article(None, &key, src).is_err());
    }
}
