//! The files pressroom keeps beside the output folder to go faster
//! (`.<out>.pressroom-cache/`): how each is written whole or not at all and
//! read only if whole, what identifies a file's state on disk, and what
//! identifies this pressroom build. Shared by every cache (the archive's,
//! the proved items', the archive documents', the parsed store's).

use std::fs::{self, File};
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::archive::digest::hex;

/// Files modified this recently are hashed but not cached.
const RACY: Duration = Duration::from_secs(2);

/// What identifies one state of a file on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileKey {
    pub size: u64,
    /// Nanoseconds since 1970 (good until 2262).
    pub mtime_ns: i64,
    pub ino: u64,
    pub dev: u64,
}

impl FileKey {
    pub fn of(meta: &fs::Metadata) -> FileKey {
        FileKey {
            size: meta.len(),
            mtime_ns: meta.mtime().saturating_mul(1_000_000_000).saturating_add(meta.mtime_nsec()),
            ino: meta.ino(),
            dev: meta.dev(),
        }
    }

    /// Modified so recently that a next change might not move its time.
    pub fn racy(&self, now: SystemTime) -> bool {
        let now_ns = now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i64);
        self.mtime_ns > now_ns - RACY.as_nanos() as i64
    }
}

/// Writes `json` to `dir/file` whole or not at all (`CheckedWriter`).
pub(crate) fn write_checked(dir: &Path, file: &str, magic: &str, json: &[u8]) -> io::Result<()> {
    let mut out = CheckedWriter::create(dir, file, magic)?;
    out.write(json)?;
    out.seal()?.keep()
}

/// A cache file being written whole or not at all: to a temporary file
/// renamed into place, after a first line of `magic` and the SHA-256 of
/// the rest (filled in last), which `CheckedReader` checks: the format of
/// pressroom's caches beside the output. Temporary files of builds killed
/// while saving are removed. Not synced: a file torn by a crash fails its
/// SHA-256 and is ignored, which is all a cache needs.
pub(crate) struct CheckedWriter {
    out: io::BufWriter<File>,
    hash: Sha256,
    tmp: Temporary,
    /// Where the SHA-256 goes, once known.
    sum_at: u64,
}

/// A cache file written whole, not yet in place: `keep` renames it there;
/// dropped, it is removed (with the cache folder, if it made it and it is
/// empty), and the cache stays as it was.
#[derive(Debug)]
pub(crate) struct Sealed(Temporary);

#[derive(Debug)]
struct Temporary {
    tmp: PathBuf,
    path: PathBuf,
    /// The cache folder, if this file's writing made it.
    made: Option<PathBuf>,
    kept: bool,
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.kept {
            let _ = fs::remove_file(&self.tmp);
            if let Some(dir) = &self.made {
                let _ = fs::remove_dir(dir);
            }
        }
    }
}

impl Sealed {
    pub(crate) fn keep(mut self) -> io::Result<()> {
        fs::rename(&self.0.tmp, &self.0.path)?;
        self.0.kept = true;
        Ok(())
    }
}

const ZERO_SUM: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl CheckedWriter {
    pub(crate) fn create(dir: &Path, file: &str, magic: &str) -> io::Result<CheckedWriter> {
        let made = (!dir.is_dir()).then(|| dir.to_owned());
        fs::create_dir_all(dir)?;
        for entry in fs::read_dir(dir)?.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(file) && name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
        let tmp = dir.join(format!("{file}.{}.tmp", std::process::id()));
        let tmp = Temporary { tmp, path: dir.join(file), made, kept: false };
        let mut out = io::BufWriter::with_capacity(1 << 20, File::create(&tmp.tmp)?);
        writeln!(out, "{magic} {ZERO_SUM}")?;
        Ok(CheckedWriter { out, hash: Sha256::new(), tmp, sum_at: magic.len() as u64 + 1 })
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.hash.update(bytes);
        self.out.write_all(bytes)
    }

    /// The file written whole, its SHA-256 in its place.
    pub(crate) fn seal(mut self) -> io::Result<Sealed> {
        use std::io::{Seek, SeekFrom};
        self.out.flush()?;
        let file = self.out.get_mut();
        file.seek(SeekFrom::Start(self.sum_at))?;
        file.write_all(hex(&self.hash.finalize()).as_bytes())?;
        Ok(Sealed(self.tmp))
    }
}

/// The body of a file `write_checked` wrote with `magic`, if it is whole.
pub(crate) fn read_checked<T: serde::de::DeserializeOwned>(path: &Path, magic: &str) -> Option<T> {
    let mut reader = CheckedReader::open(path, magic).ok()?;
    let mut json = Vec::new();
    while let Some(chunk) = reader.lines(usize::MAX).ok()? {
        json.extend_from_slice(&chunk);
    }
    reader.whole().then(|| serde_json::from_slice(&json).ok()).flatten()
}

/// Why a cache file is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unread {
    /// No file (or none readable).
    Absent,
    /// Another kind or version of cache.
    Other,
    /// The right kind, but not whole.
    Damaged,
}

/// A cache file `CheckedWriter` wrote, read in chunks of whole lines: what
/// is read is only to be trusted once `whole` says the SHA-256 matched.
pub(crate) struct CheckedReader {
    file: io::BufReader<File>,
    hash: Sha256,
    sum: [u8; 32],
}

impl CheckedReader {
    pub(crate) fn open(path: &Path, magic: &str) -> Result<CheckedReader, Unread> {
        use std::io::BufRead as _;
        let mut file = io::BufReader::with_capacity(1 << 20, File::open(path).map_err(|_| Unread::Absent)?);
        let mut head = Vec::new();
        file.read_until(b'\n', &mut head).map_err(|_| Unread::Absent)?;
        let head = String::from_utf8_lossy(&head);
        let head = head.strip_suffix('\n').ok_or(Unread::Damaged)?;
        let sum = head.strip_prefix(magic).and_then(|rest| rest.strip_prefix(' ')).ok_or(Unread::Other)?;
        let sum = unhex(sum).ok_or(Unread::Damaged)?;
        Ok(CheckedReader { file, hash: Sha256::new(), sum })
    }

    /// The next `max` bytes or so, to the end of a line; `None` at the end.
    pub(crate) fn lines(&mut self, max: usize) -> io::Result<Option<Vec<u8>>> {
        use std::io::{BufRead as _, Read as _};
        let mut chunk = Vec::new();
        (&mut self.file).take(max as u64).read_to_end(&mut chunk)?;
        if chunk.last().is_some_and(|&b| b != b'\n') {
            self.file.read_until(b'\n', &mut chunk)?;
        }
        self.hash.update(&chunk);
        Ok((!chunk.is_empty()).then_some(chunk))
    }

    /// Whether everything read was what was written.
    pub(crate) fn whole(self) -> bool {
        <[u8; 32]>::from(self.hash.finalize()) == self.sum
    }
}

pub(crate) fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let bytes = text.as_bytes();
    if bytes.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let digit = |c: u8| (c as char).to_digit(16);
        out[i] = u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok()?;
    }
    Some(out)
}

/// This pressroom build into `h`: its version and what it was built from
/// (`PRESSROOM_BUILD_ID`, from `build.rs`: its sources, locked
/// dependencies, compiler and profile). Not the executable's inode or time:
/// a copy of the same build, as a CI cache restores it, is the same build.
pub(crate) fn hash_binary(h: &mut Sha256) {
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update([0]);
    h.update(env!("PRESSROOM_BUILD_ID").as_bytes());
}

/// A digest as hex in the caches' JSON (`#[serde(with = "hex_digest")]`):
/// a third of the bytes of a list of numbers, and readable.
pub(crate) mod hex_digest {
    use serde::{Deserialize as _, Deserializer, Serializer, de::Error as _};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::hex(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        super::unhex(&text).ok_or_else(|| D::Error::custom("not a SHA-256 in hex"))
    }
}
