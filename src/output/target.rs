//! The output folder, settled before any work starts: the path the user
//! named, refused where a build would destroy what is not its own (the
//! content, the feeds, the repository around them, a file, a folder of
//! someone else's files), its symbolic link followed, locked against a
//! second build, and the record of what pressroom wrote there read.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::lock::Lock;
use super::out_dir::OutDir;
use super::record::{RECORD, Record};
use crate::error::{Error, IoContext, Result};

/// Names pressroom itself keeps inside an output folder; never foreign.
pub const OWN_NAMES: [&str; 3] = [RECORD, ".pressroom-staging", ".pressroom-lock"];

pub struct Target {
    /// The output folder as named on the command line.
    pub given: PathBuf,
    /// The folder written: `given` with symbolic links resolved (the link
    /// itself stays a link). It may not exist yet.
    pub dir: PathBuf,
    /// What the previous build wrote there; empty when none did.
    pub record: Record,
    _lock: Lock,
}

/// What the checks of the output folder need to know.
pub struct TargetOptions<'a> {
    pub content: &'a Path,
    pub feeds: &'a Path,
    /// `--into-existing`: a folder of other files may be written into.
    pub into_existing: bool,
    /// Without `--no-wait`, wait for another build of the same folder.
    pub wait: bool,
}

impl Target {
    pub fn open(given: &Path, options: &TargetOptions<'_>, say: impl Fn(&str)) -> Result<Target> {
        let dir = real_dir(given)?;
        for (what, flag, inputs) in [("content", "--content", options.content), ("feeds", "--feeds", options.feeds)] {
            refuse_overlap(given, &dir, what, flag, inputs)?;
        }
        let lock = Lock::acquire(&dir, options.wait, "build", say)?;
        let record = match OutDir::open(&dir) {
            Ok(out) => Record::read(&out)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&dir, e)),
        };
        if record.is_none() && !options.into_existing {
            refuse_foreign(given, &dir)?;
        }
        Ok(Target { given: given.to_owned(), dir, record: record.unwrap_or_default(), _lock: lock })
    }

    /// The build cache's folder: `.<name>.pressroom-cache` beside the output
    /// folder as named (never inside it: it is not published).
    pub fn cache_dir(&self) -> PathBuf {
        cache_dir(&self.given)
    }

    /// The previous output's copy of `rel`, if the previous build wrote one
    /// (a file of the site's own is never taken for pressroom's). Only a
    /// regular file: a link there is nobody's copy of anything.
    pub fn previous(&self, rel: &str) -> Option<PathBuf> {
        self.previous_with_meta(rel).map(|(path, _)| path)
    }

    /// `previous`, with the file's metadata (not followed: it is a regular
    /// file).
    pub fn previous_with_meta(&self, rel: &str) -> Option<(PathBuf, fs::Metadata)> {
        if !self.record.owns(rel) {
            return None;
        }
        let path = self.dir.join(rel);
        let meta = fs::symlink_metadata(&path).ok().filter(|m| m.is_file())?;
        Some((path, meta))
    }
}

/// The entries of the output folder `dir` that `record` does not own,
/// top-most only (a foreign folder is named, not what it holds), sorted: of
/// the output during a build, and of the output a swap replaced.
pub(super) fn foreign(dir: &Path, record: &Record) -> Result<Vec<String>> {
    let mut found = Vec::new();
    match OutDir::open(dir) {
        Ok(out) => foreign_in(&out, "", record, &mut found)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(dir, e)),
    }
    found.sort();
    Ok(found)
}

/// `foreign` below `rel_dir`, its sub-folders in parallel.
fn foreign_in(out: &OutDir, rel_dir: &str, record: &Record, found: &mut Vec<String>) -> Result<()> {
    use rayon::prelude::*;
    let mut folders = Vec::new();
    for (name, is_dir) in out.entries(rel_dir).map_err(|e| out.error(rel_dir, e))? {
        let prefix = if rel_dir.is_empty() { String::new() } else { format!("{rel_dir}/") };
        let Some(name) = name.to_str() else {
            found.push(format!("{prefix}{}", name.to_string_lossy()));
            continue;
        };
        if prefix.is_empty() && OWN_NAMES.contains(&name) {
            continue;
        }
        let rel = format!("{prefix}{name}");
        if is_dir && record.holds(&rel) {
            folders.push(rel);
        } else if is_dir || !record.owns(&rel) {
            found.push(if is_dir { format!("{rel}/") } else { rel });
        }
    }
    let below = folders
        .par_iter()
        .map(|rel| {
            let mut below = Vec::new();
            foreign_in(out, rel, record, &mut below).map(|()| below)
        })
        .collect::<Result<Vec<_>>>()?;
    found.extend(below.into_iter().flatten());
    Ok(())
}

/// `given` resolved: a folder, a link to one, or a path still to create.
pub(super) fn real_dir(given: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(given) {
        Ok(meta) if meta.is_symlink() => match fs::canonicalize(given) {
            Ok(dir) if dir.is_dir() => Ok(dir),
            Ok(other) => Err(Error::Usage(format!(
                "--out {}: it is a link to {}, which is not a folder: point it at a folder, or choose another --out",
                given.display(),
                other.display()
            ))),
            Err(e) => Err(Error::Usage(format!(
                "--out {}: it is a link that leads nowhere ({e}): create the folder it points to, or choose another \
                 --out",
                given.display()
            ))),
        },
        Ok(meta) if meta.is_dir() => fs::canonicalize(given).at(given),
        Ok(_) => Err(Error::Usage(format!(
            "--out {}: it exists and is not a folder; pressroom does not replace it: choose another --out",
            given.display()
        ))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(resolve_missing(given)),
        Err(e) => Err(Error::io(given, e)),
    }
}

/// Locks the output folder `given` while a publish reads it, so that no
/// build replaces its files meanwhile (a build waits, or exits 4 with
/// `--no-wait`); `say` reports a wait. `None` when there is no folder to
/// lock: the publish then finds no record and says so.
#[cfg(feature = "publish")]
pub fn lock_to_read(given: &Path, say: impl Fn(&str)) -> Result<Option<Lock>> {
    match real_dir(given) {
        Ok(dir) if dir.is_dir() => Lock::acquire(&dir, true, "publish", say).map(Some),
        _ => Ok(None),
    }
}

/// A path that may not exist yet, with its nearest existing folder resolved
/// (links followed), so that it compares with canonical paths.
pub fn resolve_missing(path: &Path) -> PathBuf {
    let mut probe = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut rest = Vec::new();
    while fs::symlink_metadata(&probe).is_err() {
        match (probe.file_name(), probe.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                probe = parent.to_owned();
            }
            _ => break,
        }
    }
    let mut resolved = fs::canonicalize(&probe).unwrap_or(probe);
    resolved.extend(rest.iter().rev());
    resolved
}

pub(super) fn refuse_overlap(given: &Path, dir: &Path, what: &str, flag: &str, inputs: &Path) -> Result<()> {
    let Ok(inputs) = fs::canonicalize(inputs) else { return Ok(()) };
    let relation = if dir == inputs {
        "is"
    } else if dir.starts_with(&inputs) {
        "lies inside"
    } else if inputs.starts_with(dir) {
        "contains"
    } else {
        return Ok(());
    };
    Err(Error::Usage(format!(
        "--out {}: the output folder {relation} the {what} folder ({flag} {}). A build removes from its output \
         folder the files it no longer writes, so it never writes where its own inputs, or the repository that \
         holds them, live: choose a folder of its own, such as public/",
        given.display(),
        inputs.display()
    )))
}

/// A folder that holds files, and no record that pressroom wrote any of
/// them, is someone else's until the user says otherwise.
pub(super) fn refuse_foreign(given: &Path, dir: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(dir) else { return Ok(()) };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !OWN_NAMES.contains(&name.as_str()))
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let count = names.len();
    names.truncate(5);
    let more = if count > 5 { format!(" and {} more", count - 5) } else { String::new() };
    Err(Error::Usage(format!(
        "--out {}: the folder holds files that pressroom did not write ({}{more}). pressroom writes into such a \
         folder only when asked, and then keeps every one of them: build with --into-existing, or choose an empty or \
         new folder (an output of an earlier pressroom, which kept no record of its files: delete it once)",
        given.display(),
        names.join(", ")
    )))
}

/// The build cache's folder of the output folder `out` as named (`Target::cache_dir`),
/// which `check` reads without opening the output.
pub fn cache_dir(out: &Path) -> PathBuf {
    super::out_dir::beside(out, ".pressroom-cache").unwrap_or_else(|_| out.join(".pressroom-cache"))
}
