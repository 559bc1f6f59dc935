//! The archive's build cache, so that a rebuild with nothing changed skips
//! the work whose inputs did not change. It lives beside the output folder,
//! never in it (`.<out>.pressroom-cache/cache.json`, `Staging::cache_dir`),
//! and holds two things:
//!
//! - **PDF digests** (size, SHA-256, SHA-512, CRC-32) keyed by the PDF's
//!   canonical path, size, modification time (nanoseconds) and inode. A PDF
//!   whose key matches is not read again. Like `make` and `rsync`'s quick
//!   check, this trusts the file system: a file whose bytes are changed with
//!   its size and modification time put back (`touch -d`) keeps its old
//!   digests until the cache folder is deleted. Any new modification time is
//!   noticed. A PDF modified less than `RACY` ago is not cached, as its next
//!   change could carry the same time stamp (git's "racily clean" files).
//! - **Bundle fingerprints** (`Prepared::fingerprint`): per bundle, the
//!   fingerprint it was written from, its SHA-256, size, inode and
//!   modification time. When a build computes the same fingerprint and the
//!   previous output still holds that very ZIP (same inode, size and time)
//!   with a sidecar naming that SHA-256, the ZIP is taken over as it is
//!   (`Staging::reuse`) without a byte of it read or written.
//!
//! The cache is only ever an accelerator: missing, unreadable, written by
//! another pressroom build or damaged (it carries its own SHA-256), it is
//! ignored and the build does all the work, with the same bytes out. It is
//! written after a successful build only, to a temporary file renamed over
//! the old one, so a killed build leaves the previous cache or none.
//! `pressroom verify` never reads it.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::digest::{Digests, hex};

const FILE: &str = "cache.json";
const MAGIC: &str = "pressroom-cache 2";
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

    /// Its modification time.
    pub fn modified(&self) -> SystemTime {
        let since = std::time::Duration::from_nanos(self.mtime_ns.unsigned_abs());
        match self.mtime_ns >= 0 {
            true => SystemTime::UNIX_EPOCH + since,
            false => SystemTime::UNIX_EPOCH - since,
        }
    }

    /// Modified so recently that a next change might not move its time.
    pub fn racy(&self, now: SystemTime) -> bool {
        let now_ns = now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i64);
        self.mtime_ns > now_ns - RACY.as_nanos() as i64
    }
}

/// A bundle as the last successful build left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleRecord {
    pub fingerprint: String,
    pub sha256: String,
    pub sha512: String,
    /// The ZIP in the output folder.
    pub file: FileKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct DigestRecord {
    file: FileKey,
    size: u64,
    sha256: String,
    sha512: String,
    crc32: u32,
}

#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Body {
    /// The pressroom build that wrote it (`engine_id`), hex.
    engine: String,
    /// By canonical path (UTF-8 paths only: others are not cached).
    digests: HashMap<String, DigestRecord>,
    /// By bundle file name.
    bundles: HashMap<String, BundleRecord>,
}

/// The cache a build reads (`load`) and the one it writes (`record_*`,
/// `save`): only what this build used is kept.
pub struct Cache {
    dir: PathBuf,
    engine: String,
    old: Body,
    /// Whether `old` is what the file holds (whole, of this build): a
    /// rebuild that records the same is not serialized again.
    on_disk: bool,
    new: std::sync::Mutex<Body>,
}

impl Cache {
    /// The cache in `dir`, or an empty one when it is missing, unreadable,
    /// from another pressroom build or damaged.
    pub fn load(dir: &Path, engine: &[u8]) -> Cache {
        let engine = hex(engine);
        let old = read(&dir.join(FILE)).filter(|b| b.engine == engine);
        let on_disk = old.is_some();
        let new = Body { engine: engine.clone(), ..Body::default() };
        Cache { dir: dir.to_owned(), engine, old: old.unwrap_or_default(), on_disk, new: std::sync::Mutex::new(new) }
    }

    /// The cache in `dir` as this pressroom build reads it (`engine_id`):
    /// loaded once per run, for the proof and then for writing the archive.
    pub fn of_this_build(dir: &Path) -> Cache {
        Cache::load(dir, &engine_id())
    }

    /// The digests of the PDF at `path`, in the state `file`, if the cache
    /// has them for this very state of the file.
    pub fn digests(&self, path: &Path, file: FileKey) -> Option<Digests> {
        let record = self.old.digests.get(path.to_str()?)?;
        if record.file != file {
            return None;
        }
        let d = Digests {
            size: record.size,
            sha256: unhex(&record.sha256)?,
            sha512: unhex(&record.sha512)?,
            crc32: record.crc32,
        };
        (d.size == record.file.size).then_some(d)
    }

    /// Keeps `digests` of the file at `path` for the next build, if the file
    /// was not modified during the last `RACY`.
    pub fn record_digests(&self, path: &Path, key: FileKey, digests: &Digests) {
        let Some(path) = path.to_str() else { return };
        if key.racy(SystemTime::now()) || key.size != digests.size {
            return;
        }
        let record = DigestRecord {
            file: key,
            size: digests.size,
            sha256: hex(&digests.sha256),
            sha512: hex(&digests.sha512),
            crc32: digests.crc32,
        };
        self.new.lock().expect("not poisoned").digests.insert(path.to_owned(), record);
    }

    /// What the last build recorded for the bundle `name`.
    pub fn bundle(&self, name: &str) -> Option<&BundleRecord> {
        self.old.bundles.get(name)
    }

    pub fn record_bundle(&self, name: &str, record: BundleRecord) {
        self.new.lock().expect("not poisoned").bundles.insert(name.to_owned(), record);
    }

    /// The folder the cache lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes what this build recorded: to a temporary file, then renamed
    /// into place. For after a successful build only.
    pub fn save(self) -> io::Result<()> {
        let body = self.new.into_inner().expect("not poisoned");
        debug_assert_eq!(body.engine, self.engine);
        // 4 MB of JSON at an agency, for a rebuild that changed no PDF.
        if self.on_disk && body == self.old {
            return Ok(());
        }
        let json = serde_json::to_vec(&body).map_err(io::Error::other)?;
        write_checked(&self.dir, FILE, MAGIC, &json)
    }
}

/// Writes `body` to `dir/file` whole or not at all (a temporary file
/// renamed), after a first line of `magic` and the BLAKE3 of the rest,
/// which `read_checked` checks: the format of pressroom's caches beside the
/// output. Temporary files of builds killed while saving are removed.
pub(crate) fn write_checked(dir: &Path, file: &str, magic: &str, body: &[u8]) -> io::Result<()> {
    write_checked_parts(dir, file, magic, &[body])
}

/// `write_checked` of a body made of `parts` in order, not gathered in one
/// buffer; a file already holding that very body (its first line names its
/// BLAKE3) is left as it is: a rebuild of unchanged content writes nothing.
/// BLAKE3, not SHA-256: every rebuild checks the 77 MB of an agency's
/// caches twice (read, then before writing), and over whole megabytes
/// BLAKE3 runs 4.5 times as fast (for the kilobytes of a content file or
/// the small writes of a fingerprint, SHA-256 is as fast or faster).
pub(crate) fn write_checked_parts(dir: &Path, file: &str, magic: &str, parts: &[&[u8]]) -> io::Result<()> {
    let mut h = blake3::Hasher::new();
    for part in parts {
        h.update(part);
    }
    let digest: [u8; 32] = h.finalize().into();
    let head = format!("{magic} {}\n", hex(&digest));
    let path = dir.join(file);
    if holds(&path, head.as_bytes(), &digest).unwrap_or(false) {
        return Ok(());
    }
    // The cache folder is pressroom's own name beside the output: a link
    // or a file there is someone's, and nothing is written through it or
    // over it (a cache not saved only costs the next build its speed).
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(io::Error::other(format!("{} is not a folder: not written through", dir.display()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => fs::create_dir_all(dir)?,
        Err(e) => return Err(e),
    }
    for entry in fs::read_dir(dir)?.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(file) && name.ends_with(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
    let tmp = dir.join(format!("{file}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut out = io::BufWriter::new(File::create(&tmp)?);
        out.write_all(head.as_bytes())?;
        for part in parts {
            out.write_all(part)?;
        }
        out.into_inner().map_err(io::IntoInnerError::into_error)?;
        // Not synced: a cache torn by a crash fails its hash and is
        // ignored, and waiting for the disk would cost every build.
        fs::rename(&tmp, &path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// Whether the file at `path` is `head` followed by a body whose BLAKE3
/// is `digest` (the one `head` names): read through, never held whole.
fn holds(path: &Path, head: &[u8], digest: &[u8; 32]) -> io::Result<bool> {
    use std::io::Read as _;
    let mut file = File::open(path)?;
    let mut start = vec![0; head.len()];
    file.read_exact(&mut start)?;
    if start != head {
        return Ok(false);
    }
    let mut h = blake3::Hasher::new();
    h.update_reader(file)?;
    Ok(<[u8; 32]>::from(h.finalize()) == *digest)
}

/// The cache file's body, if it is whole: the first line carries the
/// BLAKE3 of the rest.
fn read(path: &Path) -> Option<Body> {
    read_checked(path, MAGIC)
}

/// The JSON body of a file `write_checked` wrote with `magic`, if it is whole.
pub(crate) fn read_checked<T: serde::de::DeserializeOwned>(path: &Path, magic: &str) -> Option<T> {
    serde_json::from_slice(&read_checked_bytes(path, magic)?).ok()
}

/// The body of a file `write_checked` wrote with `magic`, if it is whole.
pub(crate) fn read_checked_bytes(path: &Path, magic: &str) -> Option<Vec<u8>> {
    let mut bytes = fs::read(path).ok()?;
    let body = checked_body(&bytes, magic)?;
    bytes.drain(..body.start);
    Some(bytes)
}

/// Where the body is in `bytes`, the whole of a file `write_checked` wrote
/// with `magic`, if it is whole.
pub(crate) fn checked_body(bytes: &[u8], magic: &str) -> Option<std::ops::Range<usize>> {
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let (head, body) = (std::str::from_utf8(&bytes[..newline]).ok()?, &bytes[newline + 1..]);
    let sum = head.strip_prefix(magic)?.strip_prefix(' ')?;
    (sum == hex(blake3::hash(body).as_bytes())).then_some(newline + 1..bytes.len())
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

/// What turns a bundle's entries into bytes: this pressroom build
/// (`hash_binary`) and the deflate library's output (`deflate_probe`).
pub fn engine_id() -> [u8; 32] {
    let mut h = Sha256::new();
    hash_binary(&mut h);
    h.update(super::zip_writer::deflate_probe());
    h.finalize().into()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn digests(byte: u8) -> Digests {
        Digests { size: 3, sha256: [byte; 32], sha512: [byte; 64], crc32: 7 }
    }

    #[test]
    fn a_key_keeps_the_file_s_modification_time() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("a.md"), "twelve bytes").unwrap();
        let meta = fs::metadata(tmp.path().join("a.md")).unwrap();
        let key = FileKey::of(&meta);
        assert_eq!(key.modified(), meta.modified().unwrap());
        let before_1970 = FileKey { mtime_ns: -1_500_000_000, ..key };
        assert_eq!(before_1970.modified(), SystemTime::UNIX_EPOCH - std::time::Duration::from_millis(1500));
    }

    #[test]
    fn round_trip_and_every_kind_of_bad_cache_is_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(".public.pressroom-cache");
        let pdf = tmp.path().join("a.pdf");
        fs::write(&pdf, b"abc").unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        File::options().write(true).open(&pdf).unwrap().set_modified(old).unwrap();
        let meta = fs::metadata(&pdf).unwrap();

        let cache = Cache::load(&dir, b"engine");
        assert_eq!(cache.digests(&pdf, FileKey::of(&meta)), None, "no cache yet");
        cache.record_digests(&pdf, FileKey::of(&meta), &digests(1));
        let zip = FileKey { size: 9, mtime_ns: 1, ino: 2, dev: 3 };
        cache.record_bundle(
            "a.zip",
            BundleRecord { fingerprint: "f".into(), sha256: "s".into(), sha512: "t".into(), file: zip },
        );
        cache.save().unwrap();

        let cache = Cache::load(&dir, b"engine");
        assert_eq!(cache.digests(&pdf, FileKey::of(&meta)), Some(digests(1)));
        assert_eq!(cache.bundle("a.zip").unwrap().file, zip);
        // Another pressroom build: ignored.
        assert_eq!(Cache::load(&dir, b"other").digests(&pdf, FileKey::of(&meta)), None);
        // A new modification time: not the same file state.
        File::options().write(true).open(&pdf).unwrap().set_modified(old + Duration::from_nanos(1)).unwrap();
        assert_eq!(cache.digests(&pdf, FileKey::of(&fs::metadata(&pdf).unwrap())), None);

        // Damaged in any way: ignored, never an error.
        let text = fs::read(dir.join(FILE)).unwrap();
        let mut flipped = text.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 1;
        for bad in [flipped, text[..text.len() / 2].to_vec(), b"garbage".to_vec(), Vec::new()] {
            fs::write(dir.join(FILE), bad).unwrap();
            assert_eq!(Cache::load(&dir, b"engine").digests(&pdf, FileKey::of(&meta)), None);
        }
        fs::remove_file(dir.join(FILE)).unwrap();
        fs::create_dir(dir.join(FILE)).unwrap(); // unreadable as a file
        assert!(Cache::load(&dir, b"engine").bundle("a.zip").is_none());
    }

    #[test]
    fn a_file_modified_just_now_is_not_cached() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cache");
        let pdf = tmp.path().join("a.pdf");
        fs::write(&pdf, b"abc").unwrap();
        let meta = fs::metadata(&pdf).unwrap();
        let cache = Cache::load(&dir, b"e");
        cache.record_digests(&pdf, FileKey::of(&meta), &digests(2));
        cache.save().unwrap();
        assert_eq!(Cache::load(&dir, b"e").digests(&pdf, FileKey::of(&meta)), None);
    }

    /// A link where the cache folder goes leads to someone's folder:
    /// nothing is written there.
    #[test]
    fn nothing_is_written_through_a_link_on_the_cache_folders_name() {
        let tmp = tempfile::tempdir().unwrap();
        let theirs = tmp.path().join("theirs");
        fs::create_dir(&theirs).unwrap();
        fs::write(theirs.join("f"), b"their file").unwrap();
        let dir = tmp.path().join(".public.pressroom-cache");
        std::os::unix::fs::symlink(&theirs, &dir).unwrap();
        assert!(write_checked(&dir, "f", "m 1", b"abcd").is_err());
        assert_eq!(fs::read(theirs.join("f")).unwrap(), b"their file");
        assert_eq!(fs::read_dir(&theirs).unwrap().count(), 1);
    }

    #[test]
    fn an_unchanged_body_is_not_written_again_and_a_damaged_one_is() {
        use std::os::unix::fs::MetadataExt as _;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cache");
        let ino = || fs::metadata(dir.join("f")).unwrap().ino();
        write_checked_parts(&dir, "f", "m 1", &[b"ab", b"cd"]).unwrap();
        assert_eq!(read_checked_bytes(&dir.join("f"), "m 1").unwrap(), b"abcd");
        let first = ino();
        write_checked(&dir, "f", "m 1", b"abcd").unwrap();
        assert_eq!(ino(), first, "the same body: left as it is");
        write_checked(&dir, "f", "m 2", b"abcd").unwrap();
        assert_ne!(ino(), first, "another magic: written");
        // The first line right, the body torn: written again.
        let text = fs::read(dir.join("f")).unwrap();
        fs::write(dir.join("f"), &text[..text.len() - 1]).unwrap();
        let torn = ino();
        write_checked(&dir, "f", "m 2", b"abcd").unwrap();
        assert_ne!(ino(), torn);
        assert_eq!(read_checked_bytes(&dir.join("f"), "m 2").unwrap(), b"abcd");
    }

    #[test]
    fn a_rebuild_that_records_the_same_leaves_the_file_as_it_is() {
        use std::os::unix::fs::MetadataExt as _;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("cache");
        let pdfs: Vec<PathBuf> = (0..20).map(|n| tmp.path().join(format!("{n}.pdf"))).collect();
        let old = SystemTime::now() - Duration::from_secs(3600);
        for pdf in &pdfs {
            fs::write(pdf, b"abc").unwrap();
            File::options().write(true).open(pdf).unwrap().set_modified(old).unwrap();
        }
        let key = |pdf: &Path| FileKey::of(&fs::metadata(pdf).unwrap());
        let build = |n: u8| {
            let cache = Cache::load(&dir, b"e");
            for pdf in &pdfs {
                cache.record_digests(pdf, key(pdf), &digests(n));
            }
            cache.save().unwrap();
        };
        let ino = || fs::metadata(dir.join(FILE)).unwrap().ino();
        build(1);
        let first = ino();
        build(1);
        assert_eq!(ino(), first, "the same records: not written again");
        build(2);
        assert_ne!(ino(), first, "other digests: written");
        assert_eq!(Cache::load(&dir, b"e").digests(&pdfs[7], key(&pdfs[7])), Some(digests(2)));
    }

    #[test]
    fn hex_round_trip() {
        let bytes: [u8; 4] = [0, 0xab, 0x10, 0xff];
        assert_eq!(unhex::<4>(&hex(&bytes)), Some(bytes));
        assert_eq!(unhex::<4>("00ab10f"), None);
        assert_eq!(unhex::<2>("zz00"), None);
    }
}
