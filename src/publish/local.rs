//! The files a publish may send: exactly those the output folder's record
//! (`.pressroom.json`) lists as pressroom's own, never the site's other
//! files beside them, each with its size and SHA-256.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::output::{OutDir, RECORD, Record};

/// One file of the output folder, as it will be published.
#[derive(Debug, Clone)]
pub struct LocalFile {
    /// `/`-separated path under the output folder: the key under the prefix.
    pub rel: String,
    pub path: PathBuf,
    pub size: u64,
    pub sha256: String,
    /// The media type of a feed, by its first bytes (`headers::feed_type`),
    /// for an `.xml` or `.json` file.
    pub feed: Option<&'static str>,
}

/// Every file of the record in `out`, hashed, in key order. A folder
/// without a record was not built by pressroom (or is damaged): refused,
/// since nothing in it could be told apart from the site's own files.
pub fn scan(out: &Path) -> Result<Vec<LocalFile>> {
    let no_record = || {
        Error::Usage(format!(
            "{}: no {RECORD} here, so this is not an output folder pressroom built: run `pressroom build` into it \
             first, or give the right --out",
            out.display()
        ))
    };
    // Read through a handle on the folder: a record entry, or a link inside
    // the folder, that leads elsewhere is an error, never a file sent.
    let dir = OutDir::open(out).map_err(|_| no_record())?;
    let record = Record::read(&dir)?.ok_or_else(no_record)?;
    let rels: Vec<&str> = record.files().map(|(rel, _)| rel.as_str()).collect();
    // Hashing dominates on a large archive: in parallel, collected in order.
    rels.par_iter().map(|rel| hash(&dir, rel)).collect()
}

fn hash(dir: &OutDir, rel: &str) -> Result<LocalFile> {
    let meta = dir.metadata(rel).map_err(|e| dir.error(rel, e))?;
    if !meta.is_file() {
        let what = if meta.is_symlink() { "a symbolic link" } else { "not a regular file" };
        return Err(dir.error(rel, std::io::Error::other(format!("{what}, which pressroom did not write: not sent"))));
    }
    let mut file = dir.open_file(rel).map_err(|e| dir.error(rel, e))?;
    // The first bytes of an XML or JSON file tell a feed (its media type),
    // read as the hash reads the file.
    let mut head = Vec::new();
    if rel.ends_with(".xml") || rel.ends_with(".json") {
        use std::io::Read;
        (&mut file).take(1024).read_to_end(&mut head).map_err(|e| dir.error(rel, e))?;
    }
    let feed = super::headers::feed_type(&head);
    let reader = std::io::Read::chain(std::io::Cursor::new(head), file);
    let (size, sha256) = crate::output::hash_reader(reader).map_err(|e| dir.error(rel, e))?;
    Ok(LocalFile { rel: rel.to_owned(), path: dir.path().join(rel), size, sha256, feed })
}
