//! The store as the last load parsed it (issue 20, "load once"): a file
//! whose bytes are the ones parsed then, and whose every look at the file
//! system (its PDF, the files its body shows and links) would see the same,
//! is not read or parsed again.
//!
//! Each entry is keyed by the file's path and state (size, modification and
//! change times, inode): a file in that very state is not even read. A file
//! in another state (a fresh clone in CI has new times and inodes) is read
//! and hashed, and its SHA-256 is the key: the same bytes, the same parse.
//! Each entry also records its **probes**: every path the parse asked the
//! file system about, with what it saw (where the path leads, whether a
//! regular file is there, its size, a PDF's first bytes); an entry is used
//! only where each probe still sees the same. Files that hold an error are
//! not kept (their problems are found anew), nor are files that are links.
//!
//! The whole cache is keyed by this pressroom build, site.toml's bytes and
//! the content folder as given and as resolved (paths in messages are made
//! from it). It is an accelerator only: missing, damaged (it carries its
//! own SHA-256), or made by another build or for another site, it is
//! ignored, with a note where it was damaged; no output and no problem
//! depends on it (`tests/it/parse_cache.rs` compares the trees).

use std::collections::HashMap;
use std::io::Read as _;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::file::{Ctx, Found, Parsed, Parts};
use crate::cache_file::{self, CheckedWriter, FileKey, Sealed, Unread};
use crate::diagnostic::{Code, Diagnostic, Pos, Severity};

const FILE: &str = "parsed.jsonl";
const MAGIC: &str = "pressroom-parsed 1";
/// The bytes of cache read at once: a few thousand entries.
const CHUNK: usize = 8 << 20;

/// What one file turned into, and what that depended on.
#[derive(Serialize, Deserialize)]
pub(super) struct Entry {
    /// The path as loaded (the content folder joined with its path in it).
    path: PathBuf,
    /// `None`: known by its bytes only.
    state: Option<FileKey>,
    #[serde(with = "crate::cache_file::hex_digest")]
    sha256: [u8; 32],
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    probes: Vec<(PathBuf, Seen)>,
    parsed: Option<Parsed>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    problems: Vec<Diagnostic>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    kept: Vec<String>,
    /// Its line in the cache read, written again as it is while the entry
    /// is unchanged: no entry is serialised twice.
    #[serde(skip)]
    raw: Option<Line>,
}

/// One entry's line of a cache file.
#[derive(Clone)]
pub(super) enum Line {
    Made(Vec<u8>),
    /// Within a chunk of the cache read, shared by its entries.
    Read(Arc<Vec<u8>>, Range<usize>),
}

impl Line {
    fn bytes(&self) -> &[u8] {
        match self {
            Line::Made(bytes) => bytes,
            Line::Read(chunk, range) => &chunk[range.clone()],
        }
    }
}

/// The state of the file at `path` (its link's own, if it is one), unless
/// it was modified so recently that a next change might not move its time
/// (git's "racily clean" files): then it is known by its bytes only.
fn state(path: &Path) -> Option<FileKey> {
    let key = FileKey::of(&std::fs::symlink_metadata(path).ok()?);
    (!key.racy(std::time::SystemTime::now())).then_some(key)
}

/// What a parse saw at a path it asked about: where the path leads (links
/// and `..` resolved), and, if a regular file is there, its size and first
/// five bytes (a PDF's `%PDF-`). Not its time or inode: a fresh clone sees
/// the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Seen {
    real: Option<PathBuf>,
    file: Option<(u64, Vec<u8>)>,
}

impl Seen {
    fn at(path: &Path) -> Seen {
        let real = path.canonicalize().ok();
        let file = real.as_deref().and_then(|real| {
            let f = super::regular::open(real).ok()?;
            let size = f.metadata().ok()?.len();
            let mut head = Vec::with_capacity(5);
            f.take(5).read_to_end(&mut head).ok()?;
            Some((size, head))
        });
        Seen { real, file }
    }
}

/// The cache as read, and the entries of this load.
pub struct ParseCache {
    /// Where it is read from and, if `write`, saved to.
    dir: Option<PathBuf>,
    write: bool,
    key: String,
    /// The entries read, in the order of the load that wrote them: the
    /// order this load finds the files in, unless files came or went.
    old: Vec<Option<Entry>>,
    /// The next of `old` in step with the files being found.
    next: usize,
    /// The rest of `old` by path, once a file was found out of step.
    rest: Option<HashMap<PathBuf, usize>>,
    taken: usize,
    /// A note for the run, where the cache was there but damaged.
    pub(super) note: Option<Diagnostic>,
}

/// Where a load finds its cache, and whether it saves one.
#[derive(Debug, Clone, Copy)]
pub enum CacheUse<'a> {
    /// No cache.
    Off,
    /// Read the cache folder's, never write it (`check`).
    Read(&'a Path),
    /// Read it, and save the one of this load (`build`, under the output's lock).
    ReadWrite(&'a Path),
}

impl ParseCache {
    /// The cache `uses` names, for the content folder `root` (as given and
    /// `root_abs` resolved) and site.toml's bytes.
    pub fn load(uses: CacheUse<'_>, root: &Path, root_abs: &Path, site_text: &[u8]) -> ParseCache {
        let mut h = Sha256::new();
        cache_file::hash_binary(&mut h);
        for part in [root.as_os_str().as_encoded_bytes(), root_abs.as_os_str().as_encoded_bytes(), site_text] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        let key = crate::archive::digest::hex(&h.finalize());
        let (dir, write) = match uses {
            CacheUse::Off => (None, false),
            CacheUse::Read(dir) => (Some(dir.to_owned()), false),
            CacheUse::ReadWrite(dir) => (Some(dir.to_owned()), true),
        };
        let mut cache = ParseCache { dir, write, key, old: Vec::new(), next: 0, rest: None, taken: 0, note: None };
        if let Some(dir) = &cache.dir {
            match read(&dir.join(FILE), &cache.key) {
                Read::Entries(entries) => cache.old = entries.into_iter().map(Some).collect(),
                Read::Absent | Read::OtherKey => {}
                Read::Damaged => {
                    cache.note = Some(Diagnostic::new(
                        Code::CacheIgnored,
                        dir.join(FILE),
                        Pos::FILE,
                        "the cache of parsed files is damaged: ignored, every file is read",
                    ))
                }
            }
        }
        cache
    }

    /// The entry kept for `path`, taken out (each path is loaded once).
    /// In step with the files, no path is hashed or looked up.
    pub(super) fn take(&mut self, path: &Path) -> Option<Entry> {
        let mut at = None;
        if self.rest.is_none() {
            match self.old.get(self.next) {
                Some(Some(entry)) if entry.path == path => at = Some(self.next),
                None => return None,
                _ => {
                    let rest = self.old.iter().enumerate().skip(self.next);
                    self.rest = Some(rest.filter_map(|(i, e)| Some((e.as_ref()?.path.clone(), i))).collect());
                }
            }
        }
        let at = match (at, &mut self.rest) {
            (Some(at), _) => {
                self.next += 1;
                at
            }
            (None, Some(rest)) => rest.remove(path)?,
            (None, None) => return None,
        };
        self.taken += 1;
        self.old[at].take()
    }

    /// Whether files are looked up, and their probes recorded.
    pub(super) fn on(&self) -> bool {
        self.dir.is_some()
    }

    /// Whether this load's cache is written (the entries serialised).
    pub(super) fn saves(&self) -> bool {
        self.dir.is_some() && self.write
    }

    /// Where this load's entries are written, in the store's order, when
    /// it may write: `Saver::finish` puts them in place of the cache read.
    pub(super) fn saver(&self) -> Saver {
        let writer = match (&self.dir, self.write) {
            (Some(dir), true) => CheckedWriter::create(dir, FILE, MAGIC).ok(),
            _ => None,
        };
        let mut saver = Saver { writer, changed: false };
        let key = format!("{}\n", self.key);
        saver.write(key.as_bytes());
        saver
    }

    /// Whether a file of the cache read was not loaded this time (deleted).
    pub(super) fn lost_files(&self) -> bool {
        self.taken < self.old.len()
    }
}

/// This load's cache, written as the files load. A failure only costs the
/// next run its speed: not an error.
pub(super) struct Saver {
    writer: Option<CheckedWriter>,
    changed: bool,
}

impl Saver {
    pub(super) fn add(&mut self, load: &FileLoad) {
        self.changed |= load.changed;
        if let Some(line) = &load.line {
            self.write(line.bytes());
            self.write(b"\n");
        }
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.writer.as_mut().is_some_and(|w| w.write(bytes).is_err()) {
            self.writer = None;
        }
    }

    /// The cache to put in place of the one read (`Sealed::keep`, once the
    /// build succeeded), if anything changed (or `lost`: a file went).
    pub(super) fn finish(self, lost: bool) -> Option<Sealed> {
        self.writer.filter(|_| self.changed || lost)?.seal().ok()
    }
}

/// The file `found`, from the cache's entry `cached` where it still
/// holds, else read and parsed by `ctx` (and made an entry, where caching);
/// `save`: its line for the cache this load writes.
pub(super) fn load(ctx: Ctx<'_>, found: &Found<'_>, cached: Option<Entry>, save: bool) -> FileLoad {
    // Shown in messages as the path it was read from, so that editors and
    // CI annotations find the file from where the command ran.
    let shown = ctx.root.join(found.dir).join(&found.rel);
    // A link's target may change with the link's own state unchanged.
    if !ctx.records() || found.link {
        let (parts, _) = ctx.load_file(&shown, found, None);
        return FileLoad { parts, line: None, changed: cached.is_some() };
    }
    let state = state(&shown);
    let mut bytes = None;
    if let Some((entry, moved)) = cached.and_then(|c| Entry::check(c, &shown, state, &mut bytes)) {
        return entry.into_load(moved, save);
    }
    let (parts, sha256) = ctx.load_file(&shown, found, bytes);
    let probes = ctx.probed().into_iter().map(|path| {
        let seen = Seen::at(&path);
        (path, seen)
    });
    Entry::parsed(&shown, state, sha256, probes.collect(), parts, save)
}

/// What one file gave the store: its entry's parts, and what the cache
/// saves of it.
pub(super) struct FileLoad {
    pub parts: Parts,
    /// The entry's line for the next cache, unless it is not kept.
    pub line: Option<Line>,
    /// Whether the entry is not the cache's as read.
    pub changed: bool,
}

impl Entry {
    /// The entry `cached` still is for the file at `path` in `state`, if
    /// its bytes (read only where its state is not the one recorded) and every probe still
    /// are what it was parsed from; with whether its state changed. `bytes`
    /// holds the file's bytes where they were read, for a parse that then
    /// need not read them again.
    fn check(
        mut cached: Entry,
        path: &Path,
        state: Option<FileKey>,
        bytes: &mut Option<std::io::Result<Vec<u8>>>,
    ) -> Option<(Entry, bool)> {
        let moved = cached.state.is_none() || cached.state != state;
        if moved {
            let read = super::regular::read(path);
            let same = read.as_ref().is_ok_and(|b| <[u8; 32]>::from(Sha256::digest(b)) == cached.sha256);
            *bytes = Some(read);
            if !same {
                return None;
            }
            cached.state = state;
        }
        cached.probes.iter().all(|(probed, seen)| Seen::at(probed) == *seen).then_some((cached, moved))
    }

    /// The file's load, as the store takes it and (`save`) the cache keeps it.
    fn into_load(mut self, changed: bool, save: bool) -> FileLoad {
        let raw = self.raw.take().filter(|_| !changed);
        let line = match save {
            true => raw.or_else(|| serde_json::to_vec(&self).ok().map(Line::Made)),
            false => None,
        };
        FileLoad { parts: (self.parsed, self.problems, self.kept), line, changed }
    }

    /// What the file at `path` (in `state`, with the bytes of `sha256`)
    /// parsed into, with what it probed: kept unless it holds an error.
    fn parsed(
        path: &Path,
        state: Option<FileKey>,
        sha256: Option<[u8; 32]>,
        probes: Vec<(PathBuf, Seen)>,
        parts: Parts,
        save: bool,
    ) -> FileLoad {
        let (parsed, problems, kept) = parts;
        let clean = problems.iter().all(|d| d.severity() != Severity::Error);
        match sha256.filter(|_| clean) {
            Some(sha256) => {
                let path = path.to_owned();
                Entry { path, state, sha256, probes, parsed, problems, kept, raw: None }.into_load(true, save)
            }
            None => FileLoad { parts: (parsed, problems, kept), line: None, changed: true },
        }
    }
}

enum Read {
    Entries(Vec<Entry>),
    Absent,
    OtherKey,
    Damaged,
}

/// The entries of the cache file at `path`, if it is whole and was written
/// under `key` (its first line); one line each after it, read in chunks
/// and parsed in parallel, so that the file is never held whole.
fn read(path: &Path, key: &str) -> Read {
    use rayon::prelude::*;
    let mut reader = match cache_file::CheckedReader::open(path, MAGIC) {
        Ok(reader) => reader,
        Err(Unread::Damaged) => return Read::Damaged,
        Err(Unread::Absent | Unread::Other) => return Read::Absent,
    };
    let mut entries = Vec::new();
    let mut keyed = false;
    loop {
        let chunk = match reader.lines(CHUNK) {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(_) => return Read::Damaged,
        };
        let chunk = Arc::new(chunk);
        let start = chunk.as_ptr() as usize;
        let mut lines = chunk.split(|&b| b == b'\n').filter(|l| !l.is_empty());
        if !keyed {
            if lines.next() != Some(key.as_bytes()) {
                return Read::OtherKey;
            }
            keyed = true;
        }
        let spans: Vec<Range<usize>> =
            lines.map(|l| l.as_ptr() as usize - start..l.as_ptr() as usize - start + l.len()).collect();
        let entry = |span: &Range<usize>| {
            let mut entry: Entry = serde_json::from_slice(&chunk[span.clone()]).ok()?;
            entry.raw = Some(Line::Read(Arc::clone(&chunk), span.clone()));
            Some(entry)
        };
        let parsed: Option<Vec<Entry>> = spans.par_iter().map(entry).collect();
        match parsed {
            Some(mut parsed) => entries.append(&mut parsed),
            None => return Read::Damaged,
        }
    }
    if !reader.whole() {
        return Read::Damaged;
    }
    Read::Entries(entries)
}
