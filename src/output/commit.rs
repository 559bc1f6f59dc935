//! How a staged build becomes the output, once every stage succeeded.
//!
//! Swapped: where the staging folder sits beside the output folder and the
//! output holds nothing but pressroom's files, the two folders are exchanged
//! in one atomic step (`renameat2(RENAME_EXCHANGE)`): a reader sees the old
//! output or the new one, never a mix, even if the build is killed.
//!
//! In place: where the folder cannot be swapped (a mount point, a parent
//! folder that is not writable), or holds files that are not pressroom's
//! (swapping would move them), each staged file is renamed over its final
//! name, in an order that never shows a reader a link to a missing file:
//! PDFs, images and bundles first, then listings and pages, then the feeds,
//! the sitemap and robots.txt last; files of the previous build that this
//! one no longer writes are removed at the very end. Every file is old or
//! new, never half-written. No file that pressroom did not write is moved,
//! replaced or removed: one standing where the build would write stops it
//! before anything is changed.

use std::collections::HashSet;
use std::fmt;
use std::fs;
use std::io;
use std::path::Path;

use super::record::{RECORD, Record, ancestors};
use super::staging::Place;
use super::target::Target;
use crate::error::{Error, IoContext, Result};

/// How the output was put in place, for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Committed {
    Swapped,
    InPlace(String),
}

impl fmt::Display for Committed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Committed::Swapped => write!(f, "swapped in whole"),
            Committed::InPlace(why) => write!(f, "updated in place, file by file, because {why}"),
        }
    }
}

pub fn commit(staged: &Path, target: &Target, place: &Place) -> Result<Committed> {
    let files = staged_files(staged)?;
    let record = Record::new(files.iter().cloned());
    let foreign = target.foreign()?;
    let why = match place {
        Place::Inside(reason) => Some(reason.clone()),
        Place::Beside if !foreign.is_empty() => {
            Some(format!("it holds files pressroom did not write ({}), which stay as they are", few(&foreign)))
        }
        Place::Beside => None,
    };
    match why {
        None => {
            swap(staged, &target.dir, &record)?;
            Ok(Committed::Swapped)
        }
        Some(why) => {
            in_place(staged, target, &files, &record)?;
            Ok(Committed::InPlace(why))
        }
    }
}

/// The order in which files reach the output in place (and, later, a remote
/// store): what others link to before what links to it.
pub fn publish_rank(rel: &str) -> u8 {
    let top = !rel.contains('/');
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match name {
        "robots.txt" | "sitemap.xml" if top => 4,
        _ if top && name.starts_with("sitemap") && name.ends_with(".xml") => 3,
        // Archive documents before the subscription feeds that link them.
        "rss.xml" | "atom.xml" | "feed.json" if rel.contains("/archive/") => 1,
        "rss.xml" | "atom.xml" | "feed.json" => 2,
        _ if name.ends_with(".html") || name.ends_with(".json") || name.ends_with(".opml") => 1,
        _ => 0,
    }
}

fn swap(staged: &Path, dir: &Path, record: &Record) -> Result<()> {
    // The previous record, when it says the same, like every unchanged file.
    let same = fs::read(dir.join(RECORD)).is_ok_and(|old| old == record.to_bytes());
    if !(same && fs::hard_link(dir.join(RECORD), staged.join(RECORD)).is_ok()) {
        record.write(&staged.join(RECORD))?;
    }
    if fs::symlink_metadata(dir).is_ok() {
        exchange(staged, dir)?;
        // `staged` now holds the previous output: pressroom's files only.
        fs::remove_dir_all(staged).at(staged)
    } else {
        fs::rename(staged, dir).at(dir)
    }
}

fn in_place(staged: &Path, target: &Target, files: &[String], record: &Record) -> Result<()> {
    let dir = &target.dir;
    let before = &target.record;
    refuse_conflicts(dir, before, files)?;
    // First a record of both builds' files, so that a build killed midway
    // still knows every file it may have left.
    put_record(staged, dir, &before.union(record))?;
    let mut order: Vec<&String> = files.iter().collect();
    order.sort_by_key(|rel| (publish_rank(rel), rel.as_str()));
    let mut made = HashSet::new();
    for rel in order {
        make_parents(dir, rel, &mut made)?;
        let (from, to) = (staged.join(rel), dir.join(rel));
        if !same_file(&from, &to) {
            fs::rename(&from, &to).at(&to)?;
        }
    }
    // Last, what this build no longer writes: nothing links to it now.
    for rel in before.files().filter(|rel| !record.owns(rel)) {
        let path = dir.join(rel);
        match fs::symlink_metadata(&path) {
            Ok(meta) if !meta.is_dir() => fs::remove_file(&path).at(&path)?,
            _ => continue,
        }
        // Its folders too, once empty, unless this build uses them.
        for folder in ancestors(rel) {
            if record.holds(folder) || fs::remove_dir(dir.join(folder)).is_err() {
                break;
            }
        }
    }
    put_record(staged, dir, record)?;
    fs::remove_dir_all(staged).at(staged)
}

/// Files of others where this build would write a file, or would need a
/// folder: the build stops, naming them, before anything is changed.
fn refuse_conflicts(dir: &Path, before: &Record, files: &[String]) -> Result<()> {
    let mut conflicts = Vec::new();
    let mut seen = HashSet::new();
    for rel in files {
        let mut folders: Vec<&str> = ancestors(rel).collect();
        folders.reverse();
        for folder in folders {
            if seen.insert(folder) {
                match fs::symlink_metadata(dir.join(folder)) {
                    Ok(meta) if !meta.is_dir() && !before.owns(folder) => conflicts.push(folder.to_owned()),
                    _ => {}
                }
            }
        }
        match fs::symlink_metadata(dir.join(rel)) {
            Ok(meta) if meta.is_dir() => conflicts.push(format!("{rel}/")),
            Ok(_) if !before.owns(rel) => conflicts.push(rel.clone()),
            _ => {}
        }
    }
    if conflicts.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{}: pressroom would replace what it did not write there: {}. Nothing was changed: move them away, or \
         choose another --out",
        dir.display(),
        few(&conflicts)
    )))
}

/// The folders above `rel` in `dir`; a file of the previous build where a
/// folder is now needed is removed (`refuse_conflicts` let only those by).
fn make_parents<'r>(dir: &Path, rel: &'r str, made: &mut HashSet<&'r str>) -> Result<()> {
    let mut folders: Vec<&str> = ancestors(rel).collect();
    folders.reverse();
    for folder in folders {
        if !made.insert(folder) {
            continue;
        }
        let path = dir.join(folder);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => fs::remove_file(&path).at(&path)?,
            Err(_) => {}
        }
        fs::create_dir(&path).at(&path)?;
    }
    Ok(())
}

/// Writes `record` into `dir` through a file renamed into place.
fn put_record(staged: &Path, dir: &Path, record: &Record) -> Result<()> {
    let path = dir.join(RECORD);
    if fs::read(&path).is_ok_and(|old| old == record.to_bytes()) {
        return Ok(());
    }
    let tmp = staged.join(RECORD);
    record.write(&tmp)?;
    fs::rename(&tmp, &path).at(path)
}

/// Every file under `root`, as sorted `/`-separated paths.
fn staged_files(root: &Path) -> Result<Vec<String>> {
    fn walk(dir: &Path, prefix: &str, files: &mut Vec<String>) -> Result<()> {
        for entry in fs::read_dir(dir).at(dir)? {
            let entry = entry.at(dir)?;
            let rel = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().at(entry.path())?.is_dir() {
                walk(&entry.path(), &format!("{rel}/"), files)?;
            } else {
                files.push(rel);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(root, "", &mut files)?;
    files.sort();
    Ok(files)
}

fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::symlink_metadata(a), fs::symlink_metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// A few names, for a message.
fn few(names: &[String]) -> String {
    let mut text = names.iter().take(5).map(String::as_str).collect::<Vec<_>>().join(", ");
    if names.len() > 5 {
        text.push_str(&format!(" and {} more", names.len() - 5));
    }
    text
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(|e| Error::io(a, io::Error::other(e)))?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(|e| Error::io(b, io::Error::other(e)))?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc =
        unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 {
        return Ok(());
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        // Filesystems without RENAME_EXCHANGE: fall back to two renames.
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => two_renames(a, b),
        _ => Err(Error::io(b, err)),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> Result<()> {
    two_renames(a, b)
}

/// Not atomic: between the renames `b` is missing for an instant.
fn two_renames(a: &Path, b: &Path) -> Result<()> {
    let aside = a.with_extension("previous");
    fs::rename(b, &aside).at(b)?;
    fs::rename(a, b).at(b)?;
    fs::rename(&aside, a).at(a)
}
