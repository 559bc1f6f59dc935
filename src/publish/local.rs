//! The files a publish may send: exactly those the output folder's record
//! (`.pressroom.json`) lists as pressroom's own, never the site's other
//! files beside them, each with its size and SHA-256.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::{Error, IoContext, Result};
use crate::output::{RECORD, Record};

/// One file of the output folder, as it will be published.
#[derive(Debug, Clone)]
pub struct LocalFile {
    /// `/`-separated path under the output folder: the key under the prefix.
    pub rel: String,
    pub path: PathBuf,
    pub size: u64,
    pub sha256: String,
}

/// Every file of the record in `out`, hashed, in key order. A folder
/// without a record was not built by pressroom (or is damaged): refused,
/// since nothing in it could be told apart from the site's own files.
pub fn scan(out: &Path) -> Result<Vec<LocalFile>> {
    let record = Record::read(out)?.ok_or_else(|| {
        Error::Usage(format!(
            "{}: no {RECORD} here, so this is not an output folder pressroom built: run `pressroom build` into it \
             first, or give the right --out",
            out.display()
        ))
    })?;
    let rels: Vec<&str> = record.files().collect();
    // Hashing dominates on a large archive: in parallel, collected in order.
    rels.par_iter().map(|rel| hash(out, rel)).collect()
}

fn hash(out: &Path, rel: &str) -> Result<LocalFile> {
    let path = out.join(rel);
    let mut file = File::open(&path).at(&path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).at(&path)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    let sha256 = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(LocalFile { rel: rel.to_owned(), path, size, sha256 })
}
