//! The model file: a small binary format, little-endian, written in a fixed order (phrases and
//! features sorted) so that the same training gives the same bytes.
//!
//! ```text
//! "DOSSIER-NER\n" u32 version
//! u32 provenance length, provenance (UTF-8)
//! u32 max phrase tokens, u32 phrase count, per phrase: u8 lists, u16 length, bytes
//! u32 cluster count, per fine cluster: u16 mid, u16 coarse;
//! u32 word count, per word: u16 fine cluster, u8 length, bytes
//! per stage (2): (TAGS+1)^2 f32 transitions, u32 feature count,
//!                per feature: u64 key, u8 count, count x (u8 tag, f32 weight)
//! ```

use anyhow::{Result, bail};

use super::Tagger;
use super::features::{Clusters, Phrases};
use super::perceptron::{KeyMap, TAGS, Weights};

const MAGIC: &[u8] = b"DOSSIER-NER\n";
const VERSION: u32 = 2;
const TS: usize = TAGS + 1;

pub fn save(t: &Tagger) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(t.provenance.len() as u32).to_le_bytes());
    out.extend_from_slice(t.provenance.as_bytes());
    let mut phrases: Vec<(&String, &u8)> = t.phrases.map.iter().collect();
    phrases.sort();
    out.extend_from_slice(&(t.phrases.max_tokens as u32).to_le_bytes());
    out.extend_from_slice(&(phrases.len() as u32).to_le_bytes());
    for (p, f) in phrases {
        out.push(*f);
        out.extend_from_slice(&(p.len() as u16).to_le_bytes());
        out.extend_from_slice(p.as_bytes());
    }
    let c = &t.clusters;
    out.extend_from_slice(&(c.mid.len() as u32).to_le_bytes());
    for (m, k) in c.mid.iter().zip(&c.coarse) {
        out.extend_from_slice(&m.to_le_bytes());
        out.extend_from_slice(&k.to_le_bytes());
    }
    let mut words: Vec<(&String, &u16)> = c.fine.iter().filter(|(w, _)| w.len() < 256).collect();
    words.sort();
    out.extend_from_slice(&(words.len() as u32).to_le_bytes());
    for (w, f) in words {
        out.extend_from_slice(&f.to_le_bytes());
        out.push(w.len() as u8);
        out.extend_from_slice(w.as_bytes());
    }
    for w in [&t.stage1, &t.stage2] {
        for v in &w.trans {
            out.extend_from_slice(&v.to_le_bytes());
        }
        let mut keys: Vec<(u64, u32)> = w.index.iter().map(|(k, r)| (*k, *r)).collect();
        keys.sort_unstable();
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for (k, r) in keys {
            let row = &w.rows[r as usize * TAGS..(r as usize + 1) * TAGS];
            out.extend_from_slice(&k.to_le_bytes());
            out.push(row.iter().filter(|v| **v != 0.0).count() as u8);
            for (tag, v) in row.iter().enumerate().filter(|(_, v)| **v != 0.0) {
                out.push(tag as u8);
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
    }
    out
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.pos + n > self.b.len() {
            bail!("model file is truncated at byte {}", self.pos);
        }
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into()?))
    }
    fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into()?))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into()?))
    }
    fn f32(&mut self) -> Result<f32> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into()?))
    }
}

pub fn load(bytes: &[u8]) -> Result<Tagger> {
    let mut r = Reader { b: bytes, pos: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        bail!("not a Dossier tagger model");
    }
    let v = r.u32()?;
    if v != VERSION {
        bail!("model version {v}, this Dossier reads version {VERSION}");
    }
    let n = r.u32()? as usize;
    let provenance = String::from_utf8(r.take(n)?.to_vec())?;
    let mut phrases = Phrases { max_tokens: r.u32()? as usize, ..Default::default() };
    let count = r.u32()? as usize;
    phrases.map.reserve(count);
    for _ in 0..count {
        let f = r.u8()?;
        let len = r.u16()? as usize;
        let p = std::str::from_utf8(r.take(len)?)?;
        phrases.map.insert(p.to_string(), f);
    }
    let mut clusters = Clusters::default();
    let count = r.u32()? as usize;
    for _ in 0..count {
        clusters.mid.push(r.u16()?);
        clusters.coarse.push(r.u16()?);
    }
    let count = r.u32()? as usize;
    clusters.fine.reserve(count);
    for _ in 0..count {
        let f = r.u16()?;
        if usize::from(f) >= clusters.mid.len() {
            bail!("model file has cluster {f} at byte {}", r.pos);
        }
        let len = usize::from(r.u8()?);
        clusters.fine.insert(std::str::from_utf8(r.take(len)?)?.to_string(), f);
    }
    let mut stages = Vec::new();
    for _ in 0..2 {
        let mut trans = Vec::with_capacity(TS * TS);
        for _ in 0..TS * TS {
            trans.push(r.f32()?);
        }
        let count = r.u32()? as usize;
        let mut index = KeyMap::default();
        index.reserve(count);
        let mut rows = vec![0.0f32; count * TAGS];
        for i in 0..count {
            index.insert(r.u64()?, i as u32);
            for _ in 0..r.u8()? {
                let tag = r.u8()? as usize;
                if tag >= TAGS {
                    bail!("model file has tag {tag} at byte {}", r.pos);
                }
                rows[i * TAGS + tag] = r.f32()?;
            }
        }
        stages.push(Weights { index, rows, trans });
    }
    if r.pos != bytes.len() {
        bail!("model file has {} unexpected bytes at its end", bytes.len() - r.pos);
    }
    let stage2 = stages.pop().unwrap();
    let stage1 = stages.pop().unwrap();
    Ok(Tagger::new(phrases, clusters, stage1, stage2, provenance))
}
