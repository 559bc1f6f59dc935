//! The record of what pressroom wrote into an output folder, kept inside it
//! as `.pressroom.json`: the one thing that lets a build tell its own files
//! (which it may replace or remove) from the site's (which it never
//! touches). A file not in the record is foreign, wherever it stands.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, IoContext, Result};

/// The record's file name, at the top of the output folder.
pub const RECORD: &str = ".pressroom.json";

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Says what the file is to a person who opens it.
    #[serde(default)]
    about: String,
    /// Every file pressroom wrote, as `/`-separated paths under the folder.
    files: BTreeSet<String>,
    /// Every folder above those files: pressroom's too, in that it may
    /// create them, and remove them once empty.
    #[serde(skip)]
    folders: BTreeSet<String>,
}

impl Record {
    pub fn new(files: impl IntoIterator<Item = String>) -> Record {
        let files: BTreeSet<String> = files.into_iter().collect();
        let folders = files.iter().flat_map(|f| ancestors(f)).map(str::to_owned).collect();
        Record {
            about: "The files pressroom wrote into this folder; it replaces or removes only these.".into(),
            files,
            folders,
        }
    }

    /// The record in `dir`, if it has one.
    pub fn read(dir: &Path) -> Result<Option<Record>> {
        let path = dir.join(RECORD);
        let text = match fs::read(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(path, e)),
        };
        let record: Record = serde_json::from_slice(&text).map_err(|e| {
            Error::Usage(format!(
                "{}: the record of the files pressroom wrote here is damaged ({e}), so it cannot tell them from \
                 the site's own: restore it, or empty the folder and build again",
                path.display()
            ))
        })?;
        Ok(Some(Record::new(record.files)))
    }

    /// Writes the record as `path` (the caller renames it into place).
    pub fn write(&self, path: &Path) -> Result<()> {
        fs::write(path, self.to_bytes()).at(path)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec_pretty(self).expect("a record serialises");
        json.push(b'\n');
        json
    }

    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(String::as_str)
    }

    pub fn owns(&self, rel: &str) -> bool {
        self.files.contains(rel)
    }

    /// True when `rel` is a folder above a file of the record.
    pub fn holds(&self, rel: &str) -> bool {
        self.folders.contains(rel)
    }

    pub fn union(&self, other: &Record) -> Record {
        Record::new(self.files.iter().chain(&other.files).cloned())
    }
}

/// The folders above `rel`, deepest first (`a/b/c` gives `a/b`, `a`).
pub fn ancestors(rel: &str) -> impl Iterator<Item = &str> {
    rel.char_indices().rev().filter(|&(_, c)| c == '/').map(|(i, _)| &rel[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_those_above_the_files() {
        let record = Record::new(["news/rss.xml".to_owned(), "a/b/c.pdf".to_owned(), "robots.txt".to_owned()]);
        assert!(record.owns("news/rss.xml") && !record.owns("news"));
        assert!(record.holds("news") && record.holds("a") && record.holds("a/b") && !record.holds("a/b/c.pdf"));
        assert_eq!(ancestors("a/b/c").collect::<Vec<_>>(), ["a/b", "a"]);
    }

    #[test]
    fn reads_back_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Record::read(dir.path()).unwrap(), None);
        let record = Record::new(["x/y.txt".to_owned()]);
        record.write(&dir.path().join(RECORD)).unwrap();
        assert_eq!(Record::read(dir.path()).unwrap(), Some(record));
        fs::write(dir.path().join(RECORD), "{").unwrap();
        assert!(matches!(Record::read(dir.path()), Err(Error::Usage(m)) if m.contains("damaged")));
    }
}
