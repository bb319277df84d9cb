//! The build cache: what an earlier build learnt, kept so the next one redoes only what changed.
//!
//! It lives beside the output as `.NAME.dossier-cache/` (never inside the site, so publishing
//! the folder never publishes the cache) and holds three things:
//!
//! - `articles.bin`: one cleaned and annotated article per entry, a packed file of keyed
//!   entries (`Packed`), each under the hash of everything its annotation depends on (the
//!   program with its model and lists, the file's path, text and metadata), with a checksum of
//!   its bytes. An edited file gets a new key, so an old entry can never be mistaken for it.
//!   Every build writes the file anew with the entries of the articles it has, copying the
//!   bytes of those it reused: one file instead of one per article (whose creation was a
//!   large part of a cold build's system time), and no pruning pass.
//! - `search-terms.bin`: each article's search terms (`site::search`), a packed file of keyed
//!   entries (`Packed`) read back one entry at a time; made again in full by every build.
//! - `pages.bin`: the pages of the last complete build, each with the hash of the inputs it was
//!   rendered from and the size and modification time of the file written, so that a page
//!   whose inputs did not change and whose file is untouched is kept instead of re-rendered.
//!   For `data/archive.json` it also keeps each article line's key and place, so that the
//!   next build copies unchanged lines from the file instead of making them again.
//!
//! Every entry starts with a format tag and repeats its key; anything that does not read back
//! exactly (another version, a truncated write, a hand edit) is ignored and rebuilt, never
//! trusted. Deleting the folder only makes the next build slower.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::model::{Article, Block, DateExpr, Dateline, RawMention, Source, SourceNote};
use crate::text::Span;

/// Bumped whenever what an entry holds changes shape.
const FORMAT: &[u8; 8] = b"DOSSC002";

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
        h.part(crate::site::BUILD_ID.as_bytes()).part(domain.as_bytes());
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
    blocks: Cow<'a, [Block]>,
    notes: Cow<'a, [SourceNote]>,
    kept: Cow<'a, [Span]>,
    raw_mentions: Cow<'a, [RawMention]>,
    dates: Cow<'a, [DateExpr]>,
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

/// Pages of the last complete build by site path.
pub type Manifest = rustc_hash::FxHashMap<String, PageRecord>;

#[derive(Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache of the site at `output`: `.NAME.dossier-cache` in the same folder.
    pub fn for_output(output: &Path) -> anyhow::Result<Cache> {
        Ok(Cache { dir: crate::site::write::sibling(output, "dossier-cache")? })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of a source's annotation: the program, the file's identity and its content.
    pub fn article_key(src: &Source) -> Key {
        let meta = serde_json::to_vec(&src.meta).expect("metadata serialises");
        Hasher::new("article")
            .part(src.path.to_string_lossy().as_bytes())
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

    /// A new `articles.bin`, which replaces the old one at `PackedWriter::finish`.
    pub fn new_articles(&self) -> std::io::Result<PackedWriter> {
        self.pack("articles")
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
        check_header(&bytes, site_key).and_then(|b| postcard::from_bytes(b).ok()).unwrap_or_default()
    }

    pub fn store_manifest(&self, site_key: &Key, manifest: &Manifest) -> std::io::Result<()> {
        // Sorted, so the same build writes the same bytes: a map in key order, as a BTreeMap
        // would write it, from a sorted list (quicker to make than the tree).
        struct Sorted<'a>(Vec<(&'a String, &'a PageRecord)>);
        impl Serialize for Sorted<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
            }
        }
        let mut pages: Vec<(&String, &PageRecord)> = manifest.iter().collect();
        pages.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let body = postcard::to_stdvec(&Sorted(pages)).map_err(std::io::Error::other)?;
        write_atomic(&self.manifest_path(), &with_header(site_key, &body))
    }

    /// Forgets the last build's pages (before a build that will not record them).
    pub fn clear_manifest(&self) {
        let _ = std::fs::remove_file(self.manifest_path());
    }

    /// The packed file `NAME.bin` of the last build, if there is one that reads back.
    pub fn packed(&self, name: &str) -> Option<Packed> {
        Packed::open(&self.dir.join(format!("{name}.bin")))
    }

    /// A new packed file `NAME.bin`, which replaces the old one at `PackedWriter::finish`.
    pub fn pack(&self, name: &str) -> std::io::Result<PackedWriter> {
        PackedWriter::create(&self.dir.join(format!("{name}.bin")))
    }
}

/// The cached annotation of `src` in `pack`, and the entry's bytes (for the next pack), if an
/// entry with exactly this key is there, its checksum holds and it fits the text.
pub fn load_article(pack: Option<&Packed>, key: &Key, src: Source) -> Result<(Article, Vec<u8>), Source> {
    let Some(entry) = pack.and_then(|p| p.get(key)) else { return Err(src) };
    let Some(body) = checked(&entry) else { return Err(src) };
    let Ok(a) = postcard::from_bytes::<Annotated>(body) else { return Err(src) };
    // Spans must lie inside this text on character boundaries, or the entry is not for it.
    let fits = |s: &Span| s.start <= s.end && s.end <= src.text.len() && src.text.is_char_boundary(s.start) && src.text.is_char_boundary(s.end);
    let spans_fit = a.kept.iter().all(fits) && a.raw_mentions.iter().all(|m| fits(&m.span)) && a.dates.iter().all(|d| fits(&d.span));
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
        blocks: a.blocks.into_owned(),
        notes: a.notes.into_owned(),
        kept: a.kept.into_owned(),
        raw_mentions: a.raw_mentions.into_owned(),
        mentions: Vec::new(),
        dates: a.dates.into_owned(),
        published: a.published.map(Cow::into_owned),
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
        blocks: Cow::Borrowed(&art.blocks),
        notes: Cow::Borrowed(&art.notes),
        kept: Cow::Borrowed(&art.kept),
        raw_mentions: Cow::Borrowed(&art.raw_mentions),
        dates: Cow::Borrowed(&art.dates),
        published: art.published.as_deref().map(Cow::Borrowed),
    };
    let body = postcard::to_stdvec(&a).expect("an annotation serialises");
    let mut entry = Vec::with_capacity(CHECKSUM + body.len());
    entry.extend_from_slice(&blake3::hash(&body).as_bytes()[..CHECKSUM]);
    entry.extend_from_slice(&body);
    entry
}

/// Bytes of BLAKE3 before an article entry: a damaged entry (a bad disk, a hand edit) could
/// otherwise still decode, into another annotation.
const CHECKSUM: usize = 16;

/// The body of an entry whose checksum holds.
fn checked(entry: &[u8]) -> Option<&[u8]> {
    let (sum, body) = entry.split_at_checked(CHECKSUM)?;
    (blake3::hash(body).as_bytes()[..CHECKSUM] == *sum).then_some(body)
}

/// A file of keyed entries, for data too many to hold one file each and too large to read
/// whole: `FORMAT`, then each entry as its key and bytes, then a table of (key, offset,
/// length) and the table's offset as the last 8 bytes. An entry is read with one positioned
/// read and returned only if the key stored before it is the key asked for.
pub struct Packed {
    file: std::fs::File,
    at: rustc_hash::FxHashMap<Key, (u64, u32)>,
}

impl Packed {
    fn open(path: &Path) -> Option<Packed> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = std::fs::File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        let mut head = [0u8; 8];
        file.read_exact(&mut head).ok()?;
        if &head != FORMAT || size < 16 {
            return None;
        }
        file.seek(SeekFrom::Start(size - 8)).ok()?;
        file.read_exact(&mut head).ok()?;
        let table_at = u64::from_le_bytes(head);
        let table_len = size.checked_sub(8)?.checked_sub(table_at)?;
        let mut table = vec![0u8; usize::try_from(table_len).ok()?];
        file.seek(SeekFrom::Start(table_at)).ok()?;
        file.read_exact(&mut table).ok()?;
        let rows: Vec<(Key, u64, u32)> = postcard::from_bytes(&table).ok()?;
        Some(Packed { file, at: rows.into_iter().map(|(k, off, len)| (k, (off, len))).collect() })
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

/// Writes a `Packed` file under a temporary name; `finish` puts it in place.
pub struct PackedWriter {
    out: std::io::BufWriter<std::fs::File>,
    tmp: PathBuf,
    path: PathBuf,
    len: u64,
    table: Vec<(Key, u64, u32)>,
}

impl PackedWriter {
    fn create(path: &Path) -> std::io::Result<PackedWriter> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = temp_path(path);
        let mut out = std::io::BufWriter::with_capacity(256 * 1024, std::fs::File::create(&tmp)?);
        out.write_all(FORMAT)?;
        Ok(PackedWriter { out, tmp, path: path.to_path_buf(), len: FORMAT.len() as u64, table: Vec::new() })
    }

    pub fn put(&mut self, key: &Key, bytes: &[u8]) -> std::io::Result<()> {
        let len = u32::try_from(bytes.len()).map_err(std::io::Error::other)?;
        self.out.write_all(key)?;
        self.out.write_all(bytes)?;
        self.table.push((*key, self.len, len));
        self.len += (key.len() + bytes.len()) as u64;
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        let table = postcard::to_stdvec(&self.table).map_err(std::io::Error::other)?;
        self.out.write_all(&table)?;
        self.out.write_all(&self.len.to_le_bytes())?;
        self.out.flush()?;
        // A build killed between the removal and the rename only finds no pack.
        replace_file(&self.tmp, &self.path)
    }
}

/// A file not finished (an error on the way) is not left behind.
impl Drop for PackedWriter {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
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

    #[test]
    fn gathered_parts_hash_as_one_stream_of_length_prefixed_parts() {
        // Sizes around the gathering limit: parts that fit, fill it exactly, cross it, exceed it.
        let sizes = [0, 1, 7, GATHER - 20, 12, GATHER, 3, GATHER + 1, 64, 2 * GATHER + 5, 1];
        let parts: Vec<Vec<u8>> = sizes.iter().enumerate().map(|(i, n)| (0..*n).map(|b| (b * 31 + i) as u8).collect()).collect();
        let mut h = Hasher::new("test");
        let mut stream = Vec::new();
        for p in [crate::site::BUILD_ID.as_bytes(), b"test"].into_iter().chain(parts.iter().map(Vec::as_slice)) {
            stream.extend_from_slice(&(p.len() as u64).to_le_bytes());
            stream.extend_from_slice(p);
        }
        for (i, p) in parts.iter().enumerate() {
            h.part(p);
            // A key taken part-way is the hash of the parts so far and leaves the hasher as it was.
            if i == 4 {
                let so_far: usize = 2 * 8 + crate::site::BUILD_ID.len() + 4 + parts[..5].iter().map(|p| 8 + p.len()).sum::<usize>();
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
        for p in [crate::site::BUILD_ID.as_bytes(), b"test"] {
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
        let mut w = cache.pack("t").unwrap();
        w.put(&a, b"first").unwrap();
        w.put(&b, b"").unwrap();
        w.put(&c, &vec![7u8; 100_000]).unwrap();
        // Not finished: the old file (none) stays.
        drop(w);
        assert!(cache.packed("t").is_none());
        let mut w = cache.pack("t").unwrap();
        w.put(&a, b"first").unwrap();
        w.put(&b, b"").unwrap();
        w.put(&c, &vec![7u8; 100_000]).unwrap();
        w.finish().unwrap();
        let p = cache.packed("t").unwrap();
        assert_eq!(p.get(&a).as_deref(), Some(&b"first"[..]));
        assert_eq!(p.get(&b).as_deref(), Some(&b""[..]));
        assert_eq!(p.get(&c).unwrap().len(), 100_000);
        assert_eq!(p.get(&[4u8; 32]), None);
        let names: Vec<_> = std::fs::read_dir(dir.path().join("c")).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["t.bin"], "no temporary file is left");

        // An entry whose stored key was overwritten is refused; a truncated file is not read.
        let path = dir.path().join("c/t.bin");
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[FORMAT.len()] ^= 0xff;
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
        let mut w = cache.new_articles().unwrap();
        w.put(&key, &entry).unwrap();
        w.finish().unwrap();
        let pack = cache.articles().expect("the pack reads back");
        let (back, bytes) = load_article(Some(&pack), &key, src.clone()).ok().expect("entry reads back");
        assert_eq!(bytes, entry, "the entry's bytes come back to be copied into the next pack");
        assert_eq!(back.raw_mentions, art.raw_mentions);
        assert_eq!(back.blocks, art.blocks);
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
        let mut w = cache.new_articles().unwrap();
        w.put(&key, &damaged).unwrap();
        w.finish().unwrap();
        let pack = cache.articles().unwrap();
        assert!(load_article(Some(&pack), &key, src.clone()).is_err(), "a damaged entry is not trusted");
        assert!(load_article(None, &key, src).is_err());
    }
}
