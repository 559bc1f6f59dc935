//! The cache of parsed files (issue 20, "load once"): beside the output
//! (`.<out>.pressroom-cache/parsed-00` to `parsed-3f`), what each news item
//! and publication file parsed into the last time a build loaded it. A
//! file whose state (size, modification time, inode, device) is the one
//! recorded is not read at all; one in another state (a fresh clone in CI) is read, and
//! if its bytes have the SHA-256 recorded, not parsed.
//!
//! Only parses that looked at nothing but their own file, the content
//! files their links lead to and a publication's PDF are kept: no problem
//! of any kind, not a link, no file its body shows or links, no PDF found
//! through a link. A kept parse is taken only while each of its links
//! still leads to a file and its PDF is found where it was, in the state
//! it had (size, time, inode, device: its bytes are not read). Whatever else
//! could change their parse is in the cache's key: this pressroom build,
//! site.toml's bytes and the content folder, as given and as resolved.
//! A file modified in the last two seconds is kept by its bytes only, as
//! its next change might not move its time.
//!
//! It is an accelerator only: no output and no problem depends on it
//! (`tests/it/parsed_cache.rs` builds with and without it and compares the
//! trees). Missing or of another key, it is rebuilt; damaged (it carries
//! its own BLAKE3), it is ignored with a note. `check` reads it; `build`
//! writes it, under the output's lock, when the load found it stale.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};

use super::wire::{self, Parse};
use crate::archive::cache::{self, FileKey};
use crate::diagnostic::{Code, Diagnostic, Pos};

/// The cache is kept in `SHARDS` files, `parsed-00` to `parsed-3f`, each
/// entry in the one its path's hash picks: a rebuild after one edit
/// rewrites one 64th of it, not 60 MB, and a load reads and checks the
/// parts on every core.
const SHARDS: usize = 64;
const MAGIC: &str = "pressroom-parsed 5";
/// The parts' names' start, and the name of the single file of earlier
/// pressroom builds, removed when the parts are written.
const FILE: &str = "parsed";

/// One file's entry in the cache read.
struct Slot {
    state: Option<FileKey>,
    sha256: [u8; 32],
    /// Where its path and its parse (`wire`) are in the bytes read.
    path: Range<usize>,
    parse: Range<usize>,
}

/// One part of the cache as read.
struct Shard {
    /// Its entries, sorted by their paths' bytes: no map of 110,000 keys
    /// to build and free on every load.
    slots: Vec<Slot>,
    /// How many entries were taken: fewer than there are, and a file went.
    taken: AtomicUsize,
}

/// The cache as read, for one load.
pub struct ParsedCache {
    dir: PathBuf,
    key: [u8; 32],
    /// Every part's file, one after the other: one buffer, which the
    /// allocator gives back whole when it goes, not 64 left in the
    /// readers' arenas.
    bytes: Vec<u8>,
    shards: Vec<Shard>,
    /// Where the cache was there but damaged.
    pub(super) note: Option<Diagnostic>,
}

/// How a file's parse came to be, as the cache this load leaves keeps it.
pub(super) enum Kept {
    /// Not kept: it looked at other files, or has problems.
    No,
    /// Parsed now, from the file in `state` with those bytes.
    Parsed { state: Option<FileKey>, sha256: [u8; 32] },
    /// Taken from the cache read, from its part `shard`; `moved`: the
    /// file's state is not the one recorded (the same bytes), so the entry
    /// is written anew.
    Taken {
        shard: usize,
        state: Option<FileKey>,
        sha256: [u8; 32],
        path: Range<usize>,
        parse: Range<usize>,
        moved: bool,
    },
}

impl ParsedCache {
    /// The cache in the cache folder `dir`, for the content folder `root`
    /// (`root_abs` resolved) and site.toml's bytes `site_text`.
    pub fn read(dir: &Path, root: &Path, root_abs: &Path, site_text: &[u8]) -> ParsedCache {
        let mut h = Sha256::new();
        cache::hash_binary(&mut h);
        for part in [root.as_os_str().as_encoded_bytes(), root_abs.as_os_str().as_encoded_bytes(), site_text] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        let key: [u8; 32] = h.finalize().into();
        // Each part opened, then all read into one buffer, on every core.
        let files: Vec<(Option<std::fs::File>, usize)> = (0..SHARDS)
            .map(|n| {
                let file = std::fs::File::open(shard_file(dir, n)).ok();
                let len = file.as_ref().and_then(|f| f.metadata().ok()).map_or(0, |m| m.len() as usize);
                (file, len)
            })
            .collect();
        let mut bytes = vec![0; files.iter().map(|(_, len)| len).sum()];
        let mut chunks = Vec::with_capacity(SHARDS);
        let (mut rest, mut at) = (bytes.as_mut_slice(), 0);
        for (_, len) in &files {
            let (chunk, after) = rest.split_at_mut(*len);
            chunks.push((chunk, at));
            (rest, at) = (after, at + len);
        }
        let read: Vec<(Shard, bool)> = files
            .par_iter()
            .zip(chunks)
            .map(|((file, _), (chunk, at))| {
                let (mut slots, damaged) = read_shard(file.as_ref(), chunk, &key);
                // From the chunk's ranges to the buffer's.
                for slot in &mut slots {
                    slot.path = slot.path.start + at..slot.path.end + at;
                    slot.parse = slot.parse.start + at..slot.parse.end + at;
                }
                (Shard { slots, taken: AtomicUsize::new(0) }, damaged)
            })
            .collect();
        let damaged: Vec<usize> =
            read.iter().enumerate().filter(|(_, (_, damaged))| *damaged).map(|(n, _)| n).collect();
        let note = damaged.first().map(|&n| {
            let what = match damaged.len() {
                1 => "one part of the cache of parsed files is damaged".to_owned(),
                k => format!("{k} parts of the cache of parsed files are damaged"),
            };
            Diagnostic::new(
                Code::CacheIgnored,
                shard_file(dir, n),
                Pos::FILE,
                format!("{what}: ignored, their files are read"),
            )
        });
        let shards: Vec<Shard> = read.into_iter().map(|(shard, _)| shard).collect();
        // Nothing of it of use (another pressroom build's, after an upgrade;
        // another site.toml's): its bytes go now, not when the cache is
        // saved, past a first build's peak (77 MB at an agency, which lifted
        // a rebuild after an upgrade to 355 MiB).
        let bytes = match shards.iter().all(|shard| shard.slots.is_empty()) {
            true => Vec::new(),
            false => bytes,
        };
        ParsedCache { dir: dir.to_owned(), key, bytes, shards, note }
    }

    /// The parse kept for the file at `path`, taken without reading the
    /// file when its state (as `state` gives it) is the one recorded; else
    /// `read` reads it and gives its bytes' SHA-256, which decides; `still`
    /// says whether what the parse looked at besides its file is as it was.
    /// With how the next cache keeps it.
    pub(super) fn take(
        &self,
        (path, state): (&Path, Option<FileKey>),
        read: impl FnOnce() -> Option<[u8; 32]>,
        still: impl FnOnce(&Parse) -> bool,
    ) -> Option<(Parse, Kept)> {
        let n = shard_of(path);
        let shard = &self.shards[n];
        let wanted = path.as_os_str().as_encoded_bytes();
        let found = shard.slots.binary_search_by(|slot| self.bytes[slot.path.clone()].cmp(wanted)).ok()?;
        let slot = &shard.slots[found];
        let same = state.is_some() && slot.state == state;
        if !same && read() != Some(slot.sha256) {
            return None;
        }
        let parse = wire::decode(path.to_owned(), &self.bytes[slot.parse.clone()])?;
        if !still(&parse) {
            return None;
        }
        shard.taken.fetch_add(1, Ordering::Relaxed);
        let (path, parse_at) = (slot.path.clone(), slot.parse.clone());
        Some((parse, Kept::Taken { shard: n, state, sha256: slot.sha256, path, parse: parse_at, moved: !same }))
    }

    /// The cache the load leaves, made entry by entry (`Next::add`).
    pub(super) fn next(self) -> Next {
        let parts = self
            .shards
            .into_iter()
            .map(|shard| {
                let changed = shard.taken.into_inner() != shard.slots.len();
                NextShard { records: Vec::with_capacity(shard.slots.len()), changed }
            })
            .collect();
        Next { dir: self.dir, key: self.key, read: self.bytes, fresh: Vec::new(), parts }
    }
}

/// The entries of a part, read from its `file` into `chunk` (its length
/// when it was opened), and whether it is damaged; none when it is
/// missing, of another key, damaged, or grew meanwhile.
fn read_shard(file: Option<&std::fs::File>, chunk: &mut [u8], key: &[u8; 32]) -> (Vec<Slot>, bool) {
    use std::io::Read as _;
    let Some(mut file) = file else { return (Vec::new(), false) };
    let mut past = [0];
    if file.read_exact(chunk).is_err() || !matches!(file.read(&mut past), Ok(0)) {
        return (Vec::new(), false);
    }
    let chunk = &*chunk;
    let Some(body) = cache::checked_body(chunk, MAGIC) else {
        // Not whole: damaged, unless it is another pressroom's format
        // (rebuilt, nothing to say). Empty, it is torn.
        return (Vec::new(), chunk.is_empty() || chunk.starts_with(MAGIC.as_bytes()));
    };
    match chunk[body.clone()].split_first_chunk::<32>() {
        // Of another key: nothing of it is kept.
        Some((found, _)) if found != key => (Vec::new(), false),
        Some(_) => match slots(chunk, body.start) {
            Some(mut slots) => {
                slots.sort_unstable_by(|a, b| chunk[a.path.clone()].cmp(&chunk[b.path.clone()]));
                (slots, false)
            }
            None => (Vec::new(), true),
        },
        None => (Vec::new(), true),
    }
}

/// The name of part `n`'s file in the cache folder.
fn shard_name(n: usize) -> String {
    format!("{FILE}-{n:02x}")
}

fn shard_file(dir: &Path, n: usize) -> PathBuf {
    dir.join(shard_name(n))
}

/// The part that keeps the entry of the file at `path`: FNV-1a of its
/// bytes, the same on every machine and in every build.
fn shard_of(path: &Path) -> usize {
    let hash = path
        .as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    (hash % SHARDS as u64) as usize
}

/// Where an entry's bytes are: in its part of the cache read, or encoded
/// by this load.
enum Bytes {
    Read(Range<usize>),
    Fresh(Range<usize>),
}

/// One entry of the cache a load leaves: the file's state and SHA-256,
/// its path and its parse.
struct Record {
    state: Option<FileKey>,
    sha256: [u8; 32],
    path: Bytes,
    parse: Bytes,
}

/// One part of the cache a load leaves.
struct NextShard {
    records: Vec<Record>,
    /// Whether it differs from the part read: then a build writes it.
    changed: bool,
}

/// The cache a load leaves, in the order of the load; a build writes the
/// parts that are not the ones read (`save`).
pub struct Next {
    dir: PathBuf,
    key: [u8; 32],
    /// The bytes of the cache read (`ParsedCache::bytes`).
    read: Vec<u8>,
    /// The paths and parses this load encoded, one after the other: one
    /// buffer, not 110,000 small ones left in the loaders' arenas.
    fresh: Vec<u8>,
    parts: Vec<NextShard>,
}

impl std::fmt::Debug for Next {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entries: usize = self.parts.iter().map(|p| p.records.len()).sum();
        let changed = self.parts.iter().filter(|p| p.changed).count();
        write!(f, "Next({entries} entries, {changed} parts changed)")
    }
}

impl Next {
    /// The entry of a file the load kept (`kept`), parsed into `parse`
    /// when it was parsed now.
    pub(super) fn add(&mut self, kept: Kept, parse: wire::Borrowed<'_>) {
        // A taken entry's part is known: its item, just made on another
        // core, is not read again here, on the load's one thread.
        let (n, record) = match kept {
            Kept::No => return,
            Kept::Parsed { state, sha256 } => {
                let start = self.fresh.len();
                self.fresh.extend_from_slice(parse.item.source.as_os_str().as_encoded_bytes());
                let path = Bytes::Fresh(start..self.fresh.len());
                let start = self.fresh.len();
                wire::encode(parse, &mut self.fresh);
                let n = shard_of(&parse.item.source);
                self.parts[n].changed = true;
                (n, Record { state, sha256, path, parse: Bytes::Fresh(start..self.fresh.len()) })
            }
            Kept::Taken { shard, state, sha256, path, parse, moved } => {
                self.parts[shard].changed |= moved;
                (shard, Record { state, sha256, path: Bytes::Read(path), parse: Bytes::Read(parse) })
            }
        };
        self.parts[n].records.push(record);
    }

    /// Whether it differs from the cache read: then a build writes it.
    pub fn changed(&self) -> bool {
        self.parts.iter().any(|p| p.changed)
    }

    /// Writes each part that changed, whole or not at all. A failure only
    /// costs the next load its speed: not an error.
    pub fn save(self) {
        // The file of an earlier format, gone: never through a link on the
        // cache folder's name (someone's folder, not pressroom's).
        if std::fs::symlink_metadata(&self.dir).is_ok_and(|m| m.is_dir()) {
            let _ = std::fs::remove_file(self.dir.join(FILE));
        }
        let bytes = |b: &Bytes| match b {
            Bytes::Read(range) => &self.read[range.clone()],
            Bytes::Fresh(range) => &self.fresh[range.clone()],
        };
        // On this thread, one part after the other, each laid out whole in
        // one buffer: written on the cores, the 110,000 heads of a first
        // build were left in the workers' arenas, 14 MiB more at the peak.
        // Hashed and written whole, not a record's two slices at a time:
        // 0.03 s of a first build's one thread instead of 0.15-0.18 s.
        let mut body = Vec::new();
        for (n, part) in self.parts.iter().enumerate().filter(|(_, part)| part.changed) {
            body.clear();
            body.extend_from_slice(&self.key);
            body.extend_from_slice(&(part.records.len() as u64).to_le_bytes());
            for r in &part.records {
                let parse = bytes(&r.parse);
                push_head(&mut body, r.state, &r.sha256, bytes(&r.path), parse.len());
                body.extend_from_slice(parse);
            }
            let _ = cache::write_checked_parts(&self.dir, &shard_name(n), MAGIC, &[&body]);
        }
    }
}

/// An entry's bytes before its parse, onto `out`: its path, state, SHA-256
/// and the parse's length.
fn push_head(out: &mut Vec<u8>, state: Option<FileKey>, sha256: &[u8; 32], path: &[u8], parse_len: usize) {
    out.extend_from_slice(&(path.len() as u64).to_le_bytes());
    out.extend_from_slice(path);
    match state {
        Some(k) => {
            out.push(1);
            for n in [k.size, k.mtime_ns as u64, k.ino, k.dev] {
                out.extend_from_slice(&n.to_le_bytes());
            }
        }
        None => out.push(0),
    }
    out.extend_from_slice(sha256);
    out.extend_from_slice(&(parse_len as u64).to_le_bytes());
}

/// Each entry of the part `bytes`, whose body starts at `start` (with its
/// key and count), if every entry is whole.
fn slots(bytes: &[u8], start: usize) -> Option<Vec<Slot>> {
    let mut at: usize = start + 32;
    let mut take = |n: usize| {
        let range = at..at.checked_add(n).filter(|&end| end <= bytes.len())?;
        at = range.end;
        Some(range)
    };
    let number = |range: Range<usize>| u64::from_le_bytes(bytes[range].try_into().expect("8 bytes"));
    let count = number(take(8)?);
    let mut slots = Vec::with_capacity(usize::try_from(count).ok()?.min(bytes.len() / 64));
    for _ in 0..count {
        let len = number(take(8)?);
        let path = take(usize::try_from(len).ok()?)?;
        let state = match bytes[take(1)?.start] {
            0 => None,
            1 => {
                let [size, mtime_ns, ino, dev] =
                    [number(take(8)?), number(take(8)?), number(take(8)?), number(take(8)?)];
                Some(FileKey { size, mtime_ns: mtime_ns as i64, ino, dev })
            }
            _ => return None,
        };
        let sha256 = bytes[take(32)?].try_into().ok()?;
        let len = number(take(8)?);
        let parse = take(usize::try_from(len).ok()?)?;
        slots.push(Slot { state, sha256, path, parse });
    }
    (at == bytes.len()).then_some(slots)
}

/// The state of the file at `path` (a link's own), unless it was modified
/// so recently that a next change might not move its time: then it is
/// known by its bytes only.
pub(super) fn state(path: &Path) -> Option<FileKey> {
    let key = FileKey::of(&std::fs::symlink_metadata(path).ok()?);
    (!key.racy(SystemTime::now())).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_of_another_build_is_not_held() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        // As an earlier pressroom build left its parts: another format.
        for n in 0..SHARDS {
            std::fs::write(shard_file(dir, n), format!("pressroom-parsed 1 00\n{}", "x".repeat(4096))).unwrap();
        }
        let cache = ParsedCache::read(dir, Path::new("content"), dir, b"");
        assert!(cache.note.is_none(), "another build's cache is rebuilt without a note");
        assert!(cache.shards.iter().all(|shard| shard.slots.is_empty()));
        assert!(cache.bytes.is_empty(), "its bytes are not held until the next cache is saved");
    }
}
