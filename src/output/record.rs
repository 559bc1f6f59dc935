//! The record of what pressroom wrote into an output folder, kept inside it
//! as `.pressroom.json`: the one thing that lets a build tell its own files
//! (which it may replace or remove) from the site's (which it never
//! touches). A file not in the record is foreign, wherever it stands.
//!
//! The record is input like any other: a gh-pages branch commits it, so
//! whoever pushes there writes it. Every entry must be an `OutPath` (no
//! `..`, absolute path or control character), or the whole record is
//! refused before anything is touched; and each entry carries the size and
//! BLAKE3 of what pressroom wrote, so a file someone changed since is
//! recognised as theirs (`WrittenFile::matches`) and never replaced or removed.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::out_dir::OutDir;
use crate::archive::digest::hex;
use crate::error::{Error, Result};
use crate::out_path::OutPath;

/// The record's file name, at the top of the output folder.
pub const RECORD: &str = ".pressroom.json";

/// What pressroom wrote at one path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrittenFile {
    pub size: u64,
    /// Hex BLAKE3 of the bytes, as this version writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blake3: Option<String>,
    /// Hex SHA-256 of the bytes, as versions of 2026-12-03 to 2026-12-06
    /// wrote it; their entries are checked by it until the file is written
    /// again. With neither, an entry of a record that kept names only (its
    /// file is trusted as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// What the file held before an in-place commit under way, which a
    /// build killed or failing in its midst may have left there: the file
    /// is pressroom's with these bytes too, until a build settles it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<WrittenFile>,
}

impl WrittenFile {
    pub fn of_bytes(bytes: &[u8]) -> WrittenFile {
        let mut hasher = blake3::Hasher::new();
        hasher.update(bytes);
        WrittenFile::hashed(&hasher)
    }

    /// The entry of the bytes `hasher` took in.
    pub fn hashed(hasher: &blake3::Hasher) -> WrittenFile {
        WrittenFile {
            size: hasher.count(),
            blake3: Some(hasher.finalize().to_hex().to_string()),
            sha256: None,
            before: Vec::new(),
        }
    }

    /// Whether it says what the bytes were (not a bare name).
    pub fn is_checked(&self) -> bool {
        self.blake3.is_some() || self.sha256.is_some()
    }

    /// Whether it says which bytes the file holds: checked, and not left
    /// by an in-place commit that did not end (`before`).
    pub fn is_settled(&self) -> bool {
        self.is_checked() && self.before.is_empty()
    }

    /// The entry of `new`'s bytes, written where this entry's stand, while
    /// the commit that replaces them is under way: either is pressroom's.
    fn replaced_by(&self, new: &WrittenFile) -> WrittenFile {
        let mut before: Vec<WrittenFile> = std::iter::once(self.only())
            .chain(self.before.iter().cloned())
            .filter(|old| !old.same_bytes(new))
            .collect();
        before.dedup();
        WrittenFile { before, ..new.only() }
    }

    /// This entry without what the file held before it.
    fn only(&self) -> WrittenFile {
        WrittenFile { before: Vec::new(), ..self.clone() }
    }

    fn same_bytes(&self, other: &WrittenFile) -> bool {
        (self.size, &self.blake3, &self.sha256) == (other.size, &other.blake3, &other.sha256)
    }

    /// Whether `rel` in `dir` still holds what this entry says pressroom
    /// wrote, or what it held before (`before`). A file that is gone
    /// matches (nothing of anyone's is lost by forgetting it); one of
    /// another size is read no further.
    pub fn matches(&self, dir: &OutDir, rel: &OutPath) -> Result<bool> {
        for entry in std::iter::once(self).chain(&self.before) {
            if entry.holds(dir, rel)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `matches` of this entry's own bytes.
    fn holds(&self, dir: &OutDir, rel: &OutPath) -> Result<bool> {
        let meta = match dir.metadata(rel) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(true),
            // Out of reach (behind a link that leads out of the folder):
            // nothing pressroom wrote, so nothing it may touch.
            Err(_) => return Ok(false),
        };
        if !meta.is_file() {
            return Ok(false);
        }
        if !self.is_checked() {
            return Ok(true);
        }
        if meta.len() != self.size {
            return Ok(false);
        }
        let file = dir.open_file(rel).map_err(|e| dir.error(rel, e))?;
        let found = match &self.blake3 {
            Some(_) => hash_file(file),
            None => hash_reader(file).map(|(size, sha256)| WrittenFile {
                size,
                blake3: None,
                sha256: Some(sha256),
                before: Vec::new(),
            }),
        };
        Ok(found.map_err(|e| dir.error(rel, e))?.same_bytes(self))
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Record {
    files: BTreeMap<OutPath, WrittenFile>,
    /// Every folder above those files: pressroom's too, in that it may
    /// create them, and remove them once empty.
    folders: BTreeSet<String>,
}

/// The record as stored.
#[derive(Serialize, Deserialize)]
struct Stored {
    /// Says what the file is to a person who opens it.
    #[serde(default)]
    about: String,
    files: StoredFiles,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum StoredFiles {
    Entries(BTreeMap<OutPath, WrittenFile>),
    /// The record of pressroom before 2026-12-03: names only.
    Names(BTreeSet<OutPath>),
}

impl Record {
    pub fn new(files: BTreeMap<OutPath, WrittenFile>) -> Record {
        let folders = files.keys().flat_map(|f| f.ancestors()).map(str::to_owned).collect();
        Record { files, folders }
    }

    /// The record in `dir`, if it has one: refused whole (exit 2) if it is
    /// damaged or names anything but a path inside the folder.
    pub fn read(dir: &OutDir) -> Result<Option<Record>> {
        let text = match dir.read_file(RECORD) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(dir.error(RECORD, e)),
        };
        let stored: Stored = serde_json::from_slice(&text).map_err(|e| {
            Error::Usage(format!(
                "{}: the record of the files pressroom wrote here is damaged or names a path outside the folder \
                 ({e}); nothing was changed. pressroom cannot tell its files from the site's with it: restore \
                 it, or empty the folder and build again",
                dir.path().join(RECORD).display()
            ))
        })?;
        let files = match stored.files {
            StoredFiles::Entries(files) => files,
            StoredFiles::Names(names) => names
                .into_iter()
                .map(|n| (n, WrittenFile { size: 0, blake3: None, sha256: None, before: Vec::new() }))
                .collect(),
        };
        Ok(Some(Record::new(files)))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let stored = Stored {
            about: "The files pressroom wrote into this folder, with the size and BLAKE3 of what it wrote: it \
                    replaces or removes only these, and only while they still hold those bytes."
                .into(),
            files: StoredFiles::Entries(self.files.clone()),
        };
        let mut json = serde_json::to_vec_pretty(&stored).expect("a record serialises");
        json.push(b'\n');
        json
    }

    pub fn files(&self) -> impl Iterator<Item = (&OutPath, &WrittenFile)> {
        self.files.iter()
    }

    pub fn entry(&self, rel: &str) -> Option<&WrittenFile> {
        self.files.get(rel)
    }

    pub fn owns(&self, rel: &str) -> bool {
        self.entry(rel).is_some()
    }

    /// True when `rel` is a folder above a file of the record.
    pub fn holds(&self, rel: &str) -> bool {
        self.folders.contains(rel)
    }

    /// This record but for the files `rels`.
    pub fn without(&self, rels: &BTreeSet<String>) -> Record {
        let files = self.files.iter().filter(|(rel, _)| !rels.contains(rel.as_str()));
        Record::new(files.map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    /// The record while an in-place commit of `new` over this record's
    /// files is under way: every file of both, and where both write one
    /// path, either's bytes pressroom's (`WrittenFile::before`), so that a
    /// build killed or failing in its midst leaves files the next build
    /// knows as its own, whichever it finds.
    pub fn during(&self, new: &Record) -> Record {
        let mut files = self.files.clone();
        for (rel, entry) in &new.files {
            let entry = match self.files.get(rel) {
                Some(old) if old.is_checked() && entry.is_checked() => old.replaced_by(entry),
                _ => entry.clone(),
            };
            files.insert(rel.clone(), entry);
        }
        Record::new(files)
    }
}

/// The entry of the bytes of `file`, as this version writes it.
pub fn hash_file(mut file: impl Read) -> io::Result<WrittenFile> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(&mut file)?;
    Ok(WrittenFile::hashed(&hasher))
}

/// The size and hex SHA-256 of everything `reader` yields.
pub fn hash_reader(mut reader: impl Read) -> io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, hex(&hasher.finalize())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(paths: &[&str]) -> Record {
        Record::new(paths.iter().map(|p| (OutPath::parse(p).unwrap(), WrittenFile::of_bytes(p.as_bytes()))).collect())
    }

    /// A commit in place under way: a file of both builds may hold either
    /// one's bytes, and no other.
    #[test]
    fn a_record_during_a_commit_owns_either_builds_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = OutDir::open(tmp.path()).unwrap();
        let entry = |bytes: &[u8]| WrittenFile::of_bytes(bytes);
        let at = |p: &str| OutPath::parse(p).unwrap();
        let old = Record::new([(at("a.xml"), entry(b"old")), (at("gone.xml"), entry(b"gone"))].into());
        let new = Record::new([(at("a.xml"), entry(b"new")), (at("b.xml"), entry(b"b"))].into());
        let during = old.during(&new);
        assert!(during.owns("a.xml") && during.owns("b.xml") && during.owns("gone.xml"));
        for (bytes, mine) in [(&b"old"[..], true), (b"new", true), (b"neither", false)] {
            std::fs::write(tmp.path().join("a.xml"), bytes).unwrap();
            assert_eq!(during.entry("a.xml").unwrap().matches(&dir, &at("a.xml")).unwrap(), mine, "{bytes:?}");
        }
        // Cut short again, by a third build: all three are pressroom's.
        let third = Record::new([(at("a.xml"), entry(b"third"))].into());
        let again = during.during(&third);
        for bytes in [&b"old"[..], b"new", b"third"] {
            std::fs::write(tmp.path().join("a.xml"), bytes).unwrap();
            assert!(again.entry("a.xml").unwrap().matches(&dir, &at("a.xml")).unwrap(), "{bytes:?}");
        }
        // Read back as written; the same bytes twice are one entry.
        std::fs::write(tmp.path().join(RECORD), again.to_bytes()).unwrap();
        assert_eq!(Record::read(&dir).unwrap(), Some(again));
        assert!(new.during(&new).entry("a.xml").unwrap().is_settled());
        assert!(!during.entry("a.xml").unwrap().is_settled());
    }

    #[test]
    fn folders_are_those_above_the_files() {
        let record = record(&["news/rss.xml", "a/b/c.pdf", "robots.txt"]);
        assert!(record.owns("news/rss.xml") && !record.owns("news"));
        assert!(record.holds("news") && record.holds("a") && record.holds("a/b") && !record.holds("a/b/c.pdf"));
    }

    #[test]
    fn reads_back_what_it_wrote_and_refuses_paths_that_leave() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = OutDir::open(tmp.path()).unwrap();
        assert_eq!(Record::read(&dir).unwrap(), None);
        let written = record(&["x/y.txt"]);
        std::fs::write(tmp.path().join(RECORD), written.to_bytes()).unwrap();
        assert_eq!(Record::read(&dir).unwrap(), Some(written));
        for bad in [
            "{",
            r#"{"files": ["../victim.txt"]}"#,
            r#"{"files": ["/etc/hostname"]}"#,
            r#"{"files": {"a/../../b": {"size": 1}}}"#,
            r#"{"files": ["a\u0000b"]}"#,
        ] {
            std::fs::write(tmp.path().join(RECORD), bad).unwrap();
            assert!(matches!(Record::read(&dir), Err(Error::Usage(m)) if m.contains("nothing was changed")), "{bad}");
        }
        // A record of an earlier version: names only, still read.
        std::fs::write(tmp.path().join(RECORD), r#"{"about": "", "files": ["news/rss.xml"]}"#).unwrap();
        assert!(Record::read(&dir).unwrap().unwrap().owns("news/rss.xml"));
    }

    #[test]
    fn an_entry_matches_only_the_bytes_pressroom_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = OutDir::open(tmp.path()).unwrap();
        let rel = OutPath::parse("page.html").unwrap();
        let entry = WrittenFile::of_bytes(b"ours");
        assert!(entry.matches(&dir, &rel).unwrap(), "a file that is gone loses nobody anything");
        std::fs::write(tmp.path().join("page.html"), b"ours").unwrap();
        assert!(entry.matches(&dir, &rel).unwrap());
        std::fs::write(tmp.path().join("page.html"), b"site").unwrap();
        assert!(!entry.matches(&dir, &rel).unwrap(), "same size, other bytes");
        std::fs::write(tmp.path().join("page.html"), b"the site's page").unwrap();
        assert!(!entry.matches(&dir, &rel).unwrap());
    }

    #[test]
    fn an_entry_of_the_sha_256_records_is_checked_by_it() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = OutDir::open(tmp.path()).unwrap();
        // As the versions of 2026-12-03 to 2026-12-06 wrote it: SHA-256 of "ours".
        let old = r#"{"about": "", "files": {"page.html": {"size": 4,
            "sha256": "ae0bec9e9d33c56354bd612c8a6010840324fc5b9786ce0a18b696b304b09397"}}}"#;
        std::fs::write(tmp.path().join(RECORD), old).unwrap();
        let record = Record::read(&dir).unwrap().unwrap();
        let (rel, entry) = record.files().next().unwrap();
        assert!(entry.is_checked() && entry.blake3.is_none());
        std::fs::write(tmp.path().join("page.html"), b"ours").unwrap();
        assert!(entry.matches(&dir, rel).unwrap(), "the bytes that version wrote");
        std::fs::write(tmp.path().join("page.html"), b"site").unwrap();
        assert!(!entry.matches(&dir, rel).unwrap(), "same size, other bytes");
        // Written again, the entry is this version's.
        let again = WrittenFile::of_bytes(b"ours");
        assert_eq!(again.blake3.as_deref(), Some(blake3::hash(b"ours").to_hex().as_str()));
        let stored = Record::new([(rel.clone(), again)].into()).to_bytes();
        assert!(!String::from_utf8(stored).unwrap().contains("sha256"));
    }
}
