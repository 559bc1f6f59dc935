//! The staging folder a build writes into, and the one way every stage puts
//! a file there (`write`, `copy`, or `create` a `StagedFile` to stream
//! into); no stage works out paths inside the staging folder itself.
//! A file whose bytes did not change is hard-linked from the previous
//! output rather than written again, so it keeps its inode and modification
//! time. Where the staging folder lives, and how it becomes the output
//! (`commit`), is the output folder's business (`Target`, `commit.rs`).
//!
//! A swap leaves the output it replaced beside the new one
//! (`.<name>.pressroom-previous`), and the next build stages into that tree
//! rather than into an empty folder: its folders are already there, and
//! most of its files are already the very files (hard links) the next
//! build keeps. So a rebuild makes, links and removes only what changed
//! since the build before last, instead of a whole tree of folders and
//! links, and removing a whole tree after the swap. Nothing in that tree is
//! trusted: a file there is kept only when it is the live output's own file
//! (same inode) that this build would write anyway; any other is replaced
//! (unlinked, never written into: its inode may be the live output's), and
//! whatever this build does not write is removed before the commit.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};

use super::commit::{self, Expected, Identity, Outcome, Place, Shared};
use super::out_dir::{beside, is_not_writable, not_writable};
use super::record::WrittenFile;
use super::staged_file::{Folder, StagedFile};
use super::target::Target;
use crate::archive::cache::FileKey;
use crate::error::{Error, IoContext, Result};
use crate::interrupt;
use crate::out_path::OutPath;

pub struct Staging {
    target: Target,
    dir: PathBuf,
    /// Where the staging folder is: beside the output folder, from where
    /// the two can be swapped, or inside it, and why.
    place: Place,
    /// What the build may write: the output plan.
    expected: Expected,
    /// The size and BLAKE3 of each staged file, noted as it is written
    /// (hashing a stream costs less than reading it back): the record.
    entries: Mutex<FxHashMap<String, WrittenFile>>,
    /// The folders of the staging folder made so far, relative to it: each
    /// is made once, not once per file (the staging folder is this build's
    /// own, so none goes away meanwhile).
    made: Mutex<FxHashSet<String>>,
    /// Whether the staging folder is a kept tree (the output before the
    /// previous one, or what a killed build left) rather than a new empty
    /// folder: then every path is cleared before it is written, and what
    /// this build did not write (`written`) is removed at the commit.
    kept: bool,
    /// Every path this build staged, when `kept`.
    written: Mutex<FxHashSet<String>>,
    /// The staged files that are the live output's own (hard links made or
    /// found by `link_previous`), with that file's device and inode: the
    /// commit asks the output alone whether it still holds it. Any other
    /// staging of a path (`path`) drops it first.
    linked: Mutex<FxHashMap<String, (u64, u64)>>,
    /// The walk of the output for files that are not pressroom's, begun
    /// with the staging on a thread of its own, beside the stages, unless
    /// the last build swapped the output in; joined (`foreign`) by `copy`
    /// once it is over, to know whether the commit goes in place, else by a
    /// commit beside the output, which decides on it whether to swap
    /// (`commit::commit`; the output a swap replaces is walked again).
    walk: Mutex<Option<std::thread::JoinHandle<Result<Vec<String>>>>>,
    /// What that walk found, once joined.
    found: OnceLock<Result<Vec<String>>>,
    /// Whether the commit is known to go in place (`in_place_ahead`).
    in_place: OnceLock<bool>,
    /// Files the live output holds as this build would write them, kept
    /// there without being staged (`keep_live`), each as it was found.
    live: Mutex<FxHashMap<String, Identity>>,
    committed: bool,
}

impl Staging {
    /// Prepares the staging folder for `target`: beside it where its parent
    /// folder is writable and on the same file system, else inside it.
    /// Beside, the tree a killed build left there, or else the output the
    /// last swap replaced (`previous_dir`), is taken over to be updated;
    /// inside, a new empty folder is made.
    pub fn begin(target: Target, expected: Expected) -> Result<Staging> {
        commit::settle_swapping(&target.dir)?;
        let beside_dir = beside(&target.dir, ".pressroom-staging")?;
        let previous = previous_dir(&target.dir)?;
        let parent = beside_dir.parent().map(Path::to_owned).unwrap_or_default();
        let mount = mount_point(&target.dir, &parent);
        let (place, kept) = match mount {
            Some(reason) => (Place::Inside(reason), false),
            None => match take_over(&beside_dir, &previous) {
                Ok(taken) => (
                    Place::Beside { after_swap: matches!(taken, Taken::Replaced | Taken::Nothing) },
                    matches!(taken, Taken::Replaced | Taken::Killed),
                ),
                Err(e) if is_not_writable(&e) => {
                    (Place::Inside(format!("its parent folder {} is not writable", parent.display())), false)
                }
                Err(e) => return Err(Error::io(beside_dir, e)),
            },
        };
        let dir = match place {
            Place::Beside { .. } => beside_dir,
            Place::Inside(_) => {
                // A kept tree beside is of no use to a build staged inside.
                if fs::symlink_metadata(&previous).is_ok_and(|m| m.is_dir()) {
                    super::out_dir::remove_tree(&previous)?;
                }
                fs::create_dir_all(&target.dir).map_err(|e| not_writable(&target.dir, "the output folder", e))?;
                let inside = target.dir.join(".pressroom-staging");
                fresh_dir(&inside).map_err(|e| not_writable(&target.dir, ".pressroom-staging", e))?;
                inside
            }
        };
        crate::interrupt::made(&dir);
        // None to walk before a first build.
        let walk = matches!(place, Place::Beside { after_swap: false }) && fs::symlink_metadata(&target.dir).is_ok();
        let walk = walk.then(|| {
            let (dir, record) = (target.dir.clone(), target.record.clone());
            std::thread::spawn(move || super::target::foreign(&dir, &record))
        });
        Ok(Staging {
            target,
            dir,
            place,
            expected,
            entries: Mutex::default(),
            made: Mutex::default(),
            kept,
            written: Mutex::default(),
            linked: Mutex::default(),
            walk: Mutex::new(walk),
            found: OnceLock::new(),
            in_place: OnceLock::new(),
            live: Mutex::default(),
            committed: false,
        })
    }

    /// The staged path of `rel`, its folders made. `rel` must be an
    /// `OutPath`: a stage that makes any other path is a bug, stopped here
    /// before anything is written.
    fn path(&self, rel: &str) -> Result<PathBuf> {
        let path = self.planned(rel)?;
        self.linked.lock().unwrap_or_else(|e| e.into_inner()).remove(rel);
        self.live.lock().unwrap_or_else(|e| e.into_inner()).remove(rel);
        if let Some((folder, _)) = rel.rsplit_once('/') {
            let made = |made: &FxHashSet<String>| made.contains(folder);
            if !made(&self.made.lock().unwrap_or_else(|e| e.into_inner())) {
                let parent = self.dir.join(folder);
                match self.kept {
                    true => self.folders(folder)?,
                    false => fs::create_dir_all(&parent).at(&parent)?,
                }
                self.made.lock().unwrap_or_else(|e| e.into_inner()).insert(folder.to_owned());
            }
        }
        if self.kept {
            self.written.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_owned());
        }
        Ok(path)
    }

    /// The staged path of `rel`, which must be an `OutPath` that the output
    /// plan names, as `path` asks; nothing made.
    fn planned(&self, rel: &str) -> Result<PathBuf> {
        if let Err(why) = OutPath::parse(rel) {
            return Err(Error::Usage(format!("pressroom would write {rel:?}, which is not inside the output: {why}")));
        }
        if !self.expected.files.contains(rel) {
            return Err(Error::Usage(format!("pressroom would write {rel:?}, which its output plan does not name")));
        }
        let path = self.dir.join(rel);
        interrupt::check().at(&path)?;
        Ok(path)
    }

    /// What the walk of the output begun with the staging found that is not
    /// pressroom's (none where there was no walk), joined the first time.
    fn foreign(&self) -> &Result<Vec<String>> {
        self.found.get_or_init(|| match self.walk.lock().unwrap_or_else(|e| e.into_inner()).take() {
            Some(walk) => walk.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            None => Ok(Vec::new()),
        })
    }

    /// Whether the commit will go in place: the staging folder is inside
    /// the output, or the output holds files that are not pressroom's. Not
    /// known yet (false) while the walk runs: this is asked on rayon's
    /// threads (`copy`), and one that waited here for the walk, which
    /// spreads its own work over those threads, could wait for ever.
    fn in_place_ahead(&self) -> bool {
        if let Some(&known) = self.in_place.get() {
            return known;
        }
        let known = match &self.place {
            Place::Inside(_) => Some(true),
            Place::Beside { .. } => {
                let done = self.walk.lock().unwrap_or_else(|e| e.into_inner()).as_ref().is_none_or(|w| w.is_finished());
                done.then(|| self.foreign().as_ref().is_ok_and(|found| !found.is_empty()))
            }
        };
        known.is_some_and(|known| *self.in_place.get_or_init(|| known))
    }

    /// Where the commit goes in place, the live output's `rel` (as `meta`
    /// found it) kept where it is, not staged: in a site's web root, an
    /// agency's rebuild made and then removed the folders and links of
    /// 10,000 unchanged PDFs in its staging folder (3.5 of its 4.5 s). Only
    /// with the previous record's checked entry, which the record takes,
    /// as for a link (`link_previous`); the commit puts nothing there, and
    /// stops if the output no longer holds that very file.
    fn keep_live(&self, rel: &str, meta: &fs::Metadata) -> Result<bool> {
        if !self.in_place_ahead() {
            return Ok(false);
        }
        let Some(entry) = self.target.record.entry(rel).filter(|e| e.is_settled()) else { return Ok(false) };
        self.planned(rel)?;
        // Never staged, so not `written`: a kept tree's copy is removed.
        self.live.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_owned(), Identity::of_std(meta));
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).entry(rel.to_owned()).or_insert(entry.clone());
        Ok(true)
    }

    /// In a kept tree, `folder` and the folders above it, each a real
    /// folder: whatever else stands on one of their names (a file, a link)
    /// is removed, never followed.
    fn folders(&self, folder: &str) -> Result<()> {
        let mut above: Vec<&str> = std::iter::once(folder).chain(crate::out_path::ancestors(folder)).collect();
        above.reverse();
        for rel in above {
            if self.made.lock().unwrap_or_else(|e| e.into_inner()).contains(rel) {
                continue;
            }
            let path = self.dir.join(rel);
            // The formats of a feed are staged on threads of their own, and
            // each may find the same link on their folder's name: each
            // removal and creation may have been done meanwhile by another.
            let is_dir = |path: &Path| fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
            let make = |path: &Path| match fs::create_dir(path) {
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && is_dir(path) => Ok(()),
                made => made.at(path),
            };
            match fs::symlink_metadata(&path) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => {
                    if let Err(e) = fs::remove_file(&path)
                        && e.kind() != io::ErrorKind::NotFound
                        && !is_dir(&path)
                    {
                        return Err(Error::io(path, e));
                    }
                    make(&path)?;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => make(&path)?,
                Err(e) => return Err(Error::io(path, e)),
            }
            self.made.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_owned());
        }
        Ok(())
    }

    /// `path` cleared for a new file, in a kept tree: what stands there is
    /// removed, not written into (a file there may be the live output's).
    fn clear(&self, path: &Path) -> Result<()> {
        if !self.kept {
            return Ok(());
        }
        match fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => super::out_dir::remove_tree(path),
            Ok(_) => fs::remove_file(path).at(path),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// A file to stream into at `rel` (see `StagedFile`), mode 0644.
    pub fn create(&self, rel: &str) -> Result<StagedFile<'_>> {
        let path = self.path(rel)?;
        self.clear(&path)?;
        let file = File::create(&path).at(&path)?;
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644)).at(&path)?;
        Ok(StagedFile::new(self, rel, path, file))
    }

    /// The previous output's copy of `rel`, if the previous build wrote one
    /// (a file of the site's own is never taken for pressroom's). Only a
    /// regular file: a link there is nobody's copy of anything.
    pub fn previous(&self, rel: &str) -> Option<PathBuf> {
        self.target.previous(rel)
    }

    /// What was noted of the file staged at `rel`: its size and BLAKE3.
    pub fn noted(&self, rel: &str) -> Option<WrittenFile> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).get(rel).cloned()
    }

    /// What was noted of each staged file; the record hashes the others.
    pub(super) fn take_entries(&self) -> FxHashMap<String, WrittenFile> {
        std::mem::take(&mut *self.entries.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The output folder this staging folder will replace.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Takes the previous output's `rel` as it is (hard-linked: same inode,
    /// same time, not a byte read or written), in place of any file staged
    /// there, for a caller that knows it is what this build would write.
    /// False when there is none or it cannot be linked: whatever was staged
    /// stays, or the caller writes the file.
    pub fn reuse(&self, rel: &str) -> Result<bool> {
        let Some((previous, meta)) = self.target.previous_with_meta(rel) else { return Ok(false) };
        self.link_previous(rel, &previous, &meta)
    }

    /// `reuse` of `previous`, the previous output's `rel` as `previous`
    /// found it, with its metadata `meta`.
    fn link_previous(&self, rel: &str, previous: &Path, meta: &fs::Metadata) -> Result<bool> {
        use std::os::unix::fs::MetadataExt;
        let path = self.path(rel)?;
        // In a kept tree, most often the very file already.
        let there = self.kept.then(|| fs::symlink_metadata(&path).ok()).flatten();
        let linked = match there {
            Some(m) if m.is_file() && m.dev() == meta.dev() && m.ino() == meta.ino() => Ok(()),
            Some(m) if m.is_dir() => {
                super::out_dir::remove_tree(&path)?;
                fs::hard_link(previous, &path)
            }
            _ => fs::hard_link(previous, &path),
        };
        match linked {
            Ok(()) => {}
            // A file staged there already: replaced in one step, so that
            // `rel` is never missing (a failed link leaves it).
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let mut tmp = path.clone().into_os_string();
                tmp.push(".pressroom-relink");
                let tmp = PathBuf::from(tmp);
                let _ = fs::remove_file(&tmp);
                if fs::hard_link(previous, &tmp).is_err() {
                    return Ok(false);
                }
                fs::rename(&tmp, &path).at(&path)?;
            }
            Err(_) => return Ok(false),
        }
        self.linked.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_owned(), (meta.dev(), meta.ino()));
        // A hash just computed beats the previous record's, which is input.
        if let Some(entry) = self.target.record.entry(rel).filter(|e| e.is_settled()) {
            self.entries.lock().unwrap_or_else(|e| e.into_inner()).entry(rel.to_owned()).or_insert(entry.clone());
        }
        Ok(true)
    }

    /// Writes `bytes` as `rel`, reusing the previous file when identical.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.note(rel, WrittenFile::of_bytes(bytes));
        if let Some((previous, meta)) = self.target.previous_with_meta(rel) {
            let same = meta.len() == bytes.len() as u64 && fs::read(&previous).is_ok_and(|old| old == bytes);
            if same && self.link_previous(rel, &previous, &meta)? {
                return Ok(());
            }
        }
        let path = self.path(rel)?;
        self.clear(&path)?;
        fs::write(&path, bytes).at(&path)
    }

    /// Copies the file `src` to `rel` with `src`'s modification time; the
    /// previous copy is reused when its size and modification time match
    /// `src`'s: `known`, its state as the load found it (a publication's
    /// PDF, `Pdf::state`), else looked up.
    pub fn copy(&self, rel: &str, src: &Path, known: Option<FileKey>) -> Result<()> {
        let (size, modified) = match known {
            Some(key) => (key.size, Some(key.modified())),
            None => fs::metadata(src).map(|meta| (meta.len(), meta.modified().ok())).at(src)?,
        };
        // One look at the previous copy (`Target::previous`'s checks, its
        // size and time), then a link to it: never to the source.
        if let Some((previous, prev)) = self.target.previous_with_meta(rel) {
            let same = prev.len() == size && prev.modified().ok() == modified;
            if same && (self.keep_live(rel, &prev)? || self.link_previous(rel, &previous, &prev)?) {
                return Ok(());
            }
        }
        // Copied as it is now, with the time of the bytes copied; each
        // file opened once (an agency's first build copies 10,000 PDFs).
        let from = File::open(src).at(src)?;
        let modified = from.metadata().at(src)?.modified().ok();
        let path = self.path(rel)?;
        self.clear(&path)?;
        let file = clone_or_copy(&from, &path).at(&path)?;
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644)).at(&path)?;
        if let Some(mtime) = modified {
            file.set_modified(mtime).at(&path)?;
        }
        Ok(())
    }

    /// Puts the staged output in place of the previous one: swapped in one
    /// atomic step where the folder can be (`Committed::Swapped`), else
    /// moved in file by file in an order that never shows a broken link.
    pub fn commit(mut self) -> Result<Outcome> {
        interrupt::check().at(&self.dir)?;
        let mut files = self.files()?;
        let unstaged = std::mem::take(&mut *self.live.lock().unwrap_or_else(|e| e.into_inner()));
        files.extend(unstaged.keys().cloned());
        files.sort();
        files.dedup();
        let entries = self.take_entries();
        let linked = std::mem::take(&mut *self.linked.lock().unwrap_or_else(|e| e.into_inner()));
        let shared = Shared { linked, unstaged };
        let keep = previous_dir(&self.target.dir)?;
        self.foreign();
        let foreign = self.found.take().unwrap_or_else(|| Ok(Vec::new()))?;
        let staged = (self.dir.as_path(), files, shared);
        let place = (&self.place, foreign);
        let outcome = commit::commit(staged, &self.target, place, entries, (&self.expected, &keep))?;
        self.committed = true;
        crate::interrupt::done(&self.dir);
        Ok(outcome)
    }

    /// Every file the staging folder holds, as sorted `/`-separated paths.
    /// In a kept tree, what this build did not write is removed first, and
    /// the folders that leaves empty.
    fn files(&self) -> Result<Vec<String>> {
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let mut files = Vec::new();
        walk(&self.dir, "", self.kept.then_some(&written), &mut files)?;
        files.sort();
        Ok(files)
    }
}

/// Lists the files under `dir` (at `prefix`) into `files`; with `written`,
/// removes those it does not hold, and folders left empty. Never follows a
/// link: one is a file here, listed or removed. Sub-folders are walked in
/// parallel: an agency's output has a folder for each of 10,000 PDFs.
fn walk(dir: &Path, prefix: &str, written: Option<&FxHashSet<String>>, files: &mut Vec<String>) -> Result<bool> {
    use rayon::prelude::*;
    let mut empty = true;
    let mut folders = Vec::new();
    for entry in fs::read_dir(dir).at(dir)? {
        let entry = entry.at(dir)?;
        let rel = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let path = entry.path();
        if entry.file_type().at(&path)?.is_dir() {
            folders.push((path, rel));
        } else if written.is_some_and(|w| !w.contains(&rel)) {
            fs::remove_file(&path).at(&path)?;
        } else {
            files.push(rel);
            empty = false;
        }
    }
    let below = folders
        .par_iter()
        .map(|(path, rel)| {
            let mut found = Vec::new();
            let gone = walk(path, &format!("{rel}/"), written, &mut found)? && written.is_some();
            if gone {
                fs::remove_dir(path).at(path)?;
            }
            Ok((gone, found))
        })
        .collect::<Result<Vec<_>>>()?;
    for (gone, found) in below {
        empty &= gone;
        files.extend(found);
    }
    Ok(empty)
}

impl Folder for Staging {
    fn note(&self, rel: &str, entry: WrittenFile) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).insert(rel.to_owned(), entry);
    }

    fn settle(&self, rel: &str) -> Result<()> {
        let path = self.dir.join(rel);
        let Some(previous) = self.previous(rel) else { return Ok(()) };
        if same_files(&previous, &path).at(&path)? {
            self.reuse(rel)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // A failed build leaves nothing behind; the output is untouched.
            let _ = fs::remove_dir_all(&self.dir);
            crate::interrupt::done(&self.dir);
        }
    }
}

/// Where a swap keeps the output it replaced: `.<name>.pressroom-previous`
/// beside the output folder.
pub(super) fn previous_dir(out: &Path) -> Result<PathBuf> {
    beside(out, ".pressroom-previous")
}

/// Readies the staging folder `dir`, beside the output: a real folder
/// there (what a killed build left) is taken over as it is; else the output
/// the last swap replaced, `previous`, moved there; else a new empty one.
/// Which it is (`Taken`). Anything else on either name (a file, a
/// link) is removed, never followed.
fn take_over(dir: &Path, previous: &Path) -> io::Result<Taken> {
    let is_dir = |path: &Path| fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    if is_dir(dir) {
        if is_dir(previous) {
            fs::remove_dir_all(previous)?;
        }
        return Ok(Taken::Killed);
    }
    if is_dir(previous) && fs::rename(previous, dir).is_ok() {
        let empty = fs::read_dir(dir)?.next().is_none();
        return Ok(if empty { Taken::Nothing } else { Taken::Replaced });
    }
    if fs::symlink_metadata(previous).is_ok_and(|m| !m.is_dir()) {
        fs::remove_file(previous)?;
    }
    fresh_dir(dir).map(|()| Taken::New)
}

/// What the staging folder beside the output is made from (`take_over`).
#[derive(Debug, PartialEq, Eq)]
enum Taken {
    /// A new empty folder.
    New,
    /// The tree a killed build left.
    Killed,
    /// The output the last swap replaced.
    Replaced,
    /// The empty folder a first build keeps (it replaced nothing): a new
    /// folder, after a build that made the output whole.
    Nothing,
}

/// An empty folder at `dir`, after removing one a killed build left there.
fn fresh_dir(dir: &Path) -> io::Result<()> {
    if let Some(parent) = dir.parent() {
        fs::create_dir_all(parent)?;
    }
    match fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    fs::create_dir(dir)
}

/// Why `dir` cannot be swapped with a folder made in `parent`: it is a
/// mount point (another file system, or a bind mount the kernel will not
/// rename), or `None`.
fn mount_point(dir: &Path, parent: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let here = fs::metadata(dir).ok()?;
    let above = fs::metadata(parent).ok()?;
    let root = here.dev() == above.dev() && here.ino() == above.ino();
    (here.dev() != above.dev() || root).then(|| format!("{} is a mount point", dir.display()))
}

/// A new file at `dst` (returned, open) with the bytes of `from`: a reflink
/// where the filesystem shares blocks (Btrfs, XFS: `ioctl(FICLONE)`, no data
/// copied), else a copy, in the kernel on Linux (`copy_file_range`). Never a
/// hard link to the source: an in-place edit of the source would then
/// change the published file too.
fn clone_or_copy(from: &File, dst: &Path) -> io::Result<File> {
    let to = File::create(dst)?;
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: both descriptors are open for the duration of the call;
        // FICLONE takes the source descriptor as its argument.
        if unsafe { libc::ioctl(to.as_raw_fd(), libc::FICLONE, from.as_raw_fd()) } == 0 {
            return Ok(to);
        }
    }
    // `copy_file_range` between the two files, where the kernel has it.
    io::copy(&mut &*from, &mut &to)?;
    Ok(to)
}

fn same_files(a: &Path, b: &Path) -> io::Result<bool> {
    let (Ok(ma), mb) = (fs::metadata(a), fs::metadata(b)?) else { return Ok(false) };
    if ma.len() != mb.len() {
        return Ok(false);
    }
    let (mut fa, mut fb) = (File::open(a)?, File::open(b)?);
    let (mut ba, mut bb) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Committed;
    use crate::output::target::TargetOptions;
    use std::os::unix::fs::MetadataExt;

    /// A staging folder for `out` whose plan is `files`.
    fn begin(root: &Path, out: &Path, files: &[&str]) -> Staging {
        let (content, feeds) = (root.join("content"), root.join("feeds"));
        fs::create_dir_all(&content).unwrap();
        fs::create_dir_all(&feeds).unwrap();
        let options = TargetOptions { content: &content, feeds: &feeds, into_existing: false, wait: false };
        begin_expecting(out, &options, files)
    }

    fn begin_expecting(out: &Path, options: &TargetOptions<'_>, files: &[&str]) -> Staging {
        let expected = Expected { files: files.iter().map(|f| OutPath::parse(f).unwrap()).collect() };
        Staging::begin(Target::open(out, options, |_| {}).unwrap(), expected).unwrap()
    }

    #[test]
    fn the_plan_is_what_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let (content, feeds) = (tmp.path().join("content"), tmp.path().join("feeds"));
        let options = TargetOptions { content: &content, feeds: &feeds, into_existing: false, wait: false };
        let out = tmp.path().join("public");
        let staging = begin_expecting(&out, &options, &["a.txt", "b.txt"]);
        staging.write("a.txt", b"a").unwrap();
        for outside in ["c.txt", "../a.txt", "/etc/passwd", "a//b"] {
            assert!(matches!(staging.write(outside, b"x"), Err(Error::Usage(_))), "{outside}");
        }
        match staging.commit() {
            Err(Error::Usage(m)) => assert!(m.contains("did not write b.txt"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert!(!out.exists(), "nothing committed");
    }

    #[test]
    fn threads_staging_into_a_folder_that_is_a_link_in_the_kept_tree_all_succeed() {
        // The formats of a feed are staged side by side: each thread finds
        // the link on their folder's name, and only one removes it.
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let files = ["f/a.txt", "f/b.txt", "f/c.txt", "f/d.txt"];
        for round in 0..40 {
            let staging = begin(tmp.path(), &out, &files);
            if round > 1 {
                assert!(staging.kept, "round {round} stages into the kept tree");
                fs::remove_dir_all(staging.dir.join("f")).unwrap();
                std::os::unix::fs::symlink(tmp.path().join("content"), staging.dir.join("f")).unwrap();
            }
            std::thread::scope(|scope| {
                for rel in files {
                    let staging = &staging;
                    scope.spawn(move || staging.write(rel, round.to_string().as_bytes()).unwrap());
                }
            });
            staging.commit().unwrap();
            assert_eq!(fs::read(out.join("f/d.txt")).unwrap(), round.to_string().as_bytes());
        }
        assert_eq!(fs::read_dir(tmp.path().join("content")).unwrap().count(), 0, "the link was not followed");
    }

    #[test]
    fn swaps_in_new_output_and_keeps_unchanged_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = begin(tmp.path(), &out, &["a/same.txt", "gone.txt"]);
        staging.write("a/same.txt", b"same").unwrap();
        staging.write("gone.txt", b"old").unwrap();
        assert_eq!(staging.commit().unwrap().committed, Committed::Swapped);
        let inode = fs::metadata(out.join("a/same.txt")).unwrap().ino();

        let staging = begin(tmp.path(), &out, &["a/same.txt", "new.txt"]);
        staging.write("a/same.txt", b"same").unwrap();
        staging.write("new.txt", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::metadata(out.join("a/same.txt")).unwrap().ino(), inode);
        assert!(!out.join("gone.txt").exists());
        assert_eq!(fs::read(out.join("new.txt")).unwrap(), b"new");
        let mut names: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        let expected = [".public.pressroom-previous", "content", "feeds", "public"];
        assert_eq!(names, expected, "no staging folder or lock left behind; the output swapped out kept");
    }

    #[test]
    fn a_rebuild_updates_the_kept_tree_and_never_writes_into_the_live_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let previous = tmp.path().join(".public.pressroom-previous");
        for round in ["1", "2"] {
            let staging = begin(
                tmp.path(),
                &out,
                &["same/a.txt", "same/c.txt", "same/d.txt", "feed.xml", &format!("only-{round}/x.txt")],
            );
            staging.write("same/a.txt", b"same").unwrap();
            staging.write("same/c.txt", b"c").unwrap();
            staging.write("same/d.txt", b"d").unwrap();
            staging.write("feed.xml", round.as_bytes()).unwrap();
            staging.write(&format!("only-{round}/x.txt"), b"x").unwrap();
            staging.commit().unwrap();
        }
        assert!(previous.join("same/a.txt").exists(), "the output the swap replaced is kept");
        let ino = |p: &Path| fs::metadata(p).unwrap().ino();
        assert_eq!(ino(&previous.join("same/a.txt")), ino(&out.join("same/a.txt")), "one file, two names");
        let same = ino(&out.join("same/a.txt"));

        // Stale things in the kept tree: a link where a folder goes, a link
        // where a file goes, a file where a folder goes.
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        fs::write(elsewhere.join("feed.xml"), b"victim").unwrap();
        std::os::unix::fs::symlink(&elsewhere, previous.join("linked")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("feed.xml"), previous.join("top.xml")).unwrap();
        fs::write(previous.join("was-a-file"), b"stale").unwrap();

        let staging = begin(
            tmp.path(),
            &out,
            &["same/a.txt", "feed.xml", "linked/feed.xml", "top.xml", "was-a-file/y.txt", "same/c.txt", "same/d.txt"],
        );
        assert!(!previous.exists(), "taken over as the staging folder");
        staging.write("same/a.txt", b"same").unwrap();
        staging.write("feed.xml", b"3").unwrap();
        staging.write("linked/feed.xml", b"3").unwrap();
        staging.write("top.xml", b"3").unwrap();
        staging.write("was-a-file/y.txt", b"y").unwrap();
        // Files the kept tree shares with the live output (one inode),
        // written anew, through each way in.
        staging.write("same/c.txt", b"C").unwrap();
        let mut streamed = staging.create("same/d.txt").unwrap();
        std::io::Write::write_all(&mut streamed, b"D").unwrap();
        streamed.finish().unwrap();
        let src = tmp.path().join("src.pdf");
        fs::write(&src, b"%PDF").unwrap();
        staging.copy("same/a.txt", &src, None).unwrap();
        for (name, before) in [("feed.xml", "2"), ("same/a.txt", "same"), ("same/c.txt", "c"), ("same/d.txt", "d")] {
            assert_eq!(fs::read_to_string(out.join(name)).unwrap(), before, "{name}: live output written into");
        }
        staging.write("same/a.txt", b"same").unwrap();
        assert_eq!(fs::read(elsewhere.join("feed.xml")).unwrap(), b"victim", "no link followed");
        staging.commit().unwrap();

        assert_eq!(ino(&out.join("same/a.txt")), same, "an unchanged file is the same file");
        assert_eq!(fs::read(out.join("feed.xml")).unwrap(), b"3");
        assert_eq!(fs::read(out.join("linked/feed.xml")).unwrap(), b"3");
        assert!(fs::symlink_metadata(out.join("linked")).unwrap().is_dir());
        assert!(fs::symlink_metadata(out.join("top.xml")).unwrap().is_file());
        assert_eq!(fs::read(elsewhere.join("feed.xml")).unwrap(), b"victim");
        assert!(!out.join("only-1").exists() && !out.join("only-2").exists(), "what the build did not write is gone");
        let mut names: Vec<_> = fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        let expected = [".pressroom.json", "feed.xml", "linked", "same", "top.xml", "was-a-file"];
        assert_eq!(names, expected);
        assert_eq!(fs::read(out.join("same/c.txt")).unwrap(), b"C");
        assert_eq!(fs::read(out.join("same/d.txt")).unwrap(), b"D");
        assert_eq!(fs::read(previous.join("feed.xml")).unwrap(), b"2", "the kept tree is the output replaced");
    }

    #[test]
    fn a_file_that_reaches_the_output_during_a_build_stays_in_it() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        for round in ["1", "2"] {
            let staging = begin(tmp.path(), &out, &["feed.xml"]);
            // A first build made the output: it held only pressroom's files.
            assert!(matches!(staging.place, Place::Beside { after_swap } if after_swap == (round == "2")));
            staging.write("feed.xml", round.as_bytes()).unwrap();
            assert_eq!(staging.commit().unwrap().committed, Committed::Swapped);
        }
        // The third build stages into the output the second one replaced,
        // and swaps without walking the output first.
        let staging = begin(tmp.path(), &out, &["feed.xml"]);
        assert!(matches!(staging.place, Place::Beside { after_swap: true }));
        assert!(staging.walk.lock().unwrap().is_none());
        staging.write("feed.xml", b"3").unwrap();
        // The site's own generator, writing into the output meanwhile.
        fs::create_dir(out.join("news")).unwrap();
        fs::write(out.join("news/index.html"), b"the site's").unwrap();
        let committed = staging.commit().unwrap().committed;
        assert!(matches!(&committed, Committed::InPlace(why) if why.contains("news/")), "{committed:?}");
        assert_eq!(fs::read(out.join("news/index.html")).unwrap(), b"the site's");
        assert_eq!(fs::read(out.join("feed.xml")).unwrap(), b"3");
        let mut names: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, ["content", "feeds", "public"], "no tree a next build would clear");

        // The next build walks the output first, and leaves the file be.
        let staging = begin(tmp.path(), &out, &["feed.xml"]);
        assert!(matches!(staging.place, Place::Beside { after_swap: false }));
        staging.write("feed.xml", b"4").unwrap();
        assert!(matches!(staging.commit().unwrap().committed, Committed::InPlace(_)));
        assert_eq!(fs::read(out.join("news/index.html")).unwrap(), b"the site's");
        assert_eq!(fs::read(out.join("feed.xml")).unwrap(), b"4");
    }

    #[test]
    fn what_a_build_killed_while_swapping_left_is_removed_only_if_all_pressroom_s() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = begin(tmp.path(), &out, &["feed.xml", "news/feed.xml"]);
        staging.write("feed.xml", b"1").unwrap();
        staging.write("news/feed.xml", b"1").unwrap();
        staging.commit().unwrap();
        // Killed right after the exchange: the output it replaced, with a
        // page the site added since, is left under the exchange's name.
        let swapping = tmp.path().join(".public.pressroom-swapping");
        fs::create_dir_all(swapping.join("news")).unwrap();
        for rel in [".pressroom.json", "feed.xml", "news/feed.xml"] {
            fs::copy(out.join(rel), swapping.join(rel)).unwrap();
        }
        fs::write(swapping.join("news/index.html"), b"the site's").unwrap();
        let options = TargetOptions {
            content: &tmp.path().join("content"),
            feeds: &tmp.path().join("feeds"),
            into_existing: false,
            wait: false,
        };
        let expected = Expected { files: [OutPath::parse("feed.xml").unwrap()].into() };
        match Staging::begin(Target::open(&out, &options, |_| {}).unwrap(), expected) {
            Err(Error::Usage(m)) => assert!(m.contains("news/index.html") && m.contains("move them back"), "{m}"),
            other => panic!("{:?}", other.map(|s| s.dir.clone())),
        }
        assert_eq!(fs::read(swapping.join("news/index.html")).unwrap(), b"the site's");
        // Moved back: what is left is pressroom's, and goes.
        fs::rename(swapping.join("news/index.html"), out.join("news/index.html")).unwrap();
        let staging = begin(tmp.path(), &out, &["feed.xml"]);
        assert!(!swapping.exists());
        staging.write("feed.xml", b"2").unwrap();
        assert!(matches!(staging.commit().unwrap().committed, Committed::InPlace(_)));
        assert_eq!(fs::read(out.join("news/index.html")).unwrap(), b"the site's");
    }

    #[test]
    fn what_a_killed_build_left_is_taken_over_and_made_right() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = begin(tmp.path(), &out, &["feed.xml"]);
        staging.write("feed.xml", b"1").unwrap();
        staging.commit().unwrap();
        // A build killed midway: half a file, a stray one.
        let left = tmp.path().join(".public.pressroom-staging");
        fs::create_dir_all(left.join("news")).unwrap();
        fs::write(left.join("feed.xml"), b"half").unwrap();
        fs::write(left.join("news/stray.xml"), b"stray").unwrap();
        let staging = begin(tmp.path(), &out, &["feed.xml"]);
        staging.write("feed.xml", b"1").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::read(out.join("feed.xml")).unwrap(), b"1");
        assert!(!out.join("news").exists(), "nothing this build did not write");
        assert!(!left.exists());
    }

    #[test]
    fn copies_are_copies_and_reuse_links_the_previous_file() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src.pdf");
        fs::write(&src, b"%PDF-1").unwrap();
        let out = tmp.path().join("public");
        let staging = begin(tmp.path(), &out, &["p/src.pdf", "a.zip"]);
        assert_eq!(staging.target().cache_dir(), tmp.path().join(".public.pressroom-cache"));
        staging.copy("p/src.pdf", &src, None).unwrap();
        staging.write("a.zip", b"zip").unwrap();
        staging.commit().unwrap();
        let copy = out.join("p/src.pdf");
        assert_ne!(fs::metadata(&copy).unwrap().ino(), fs::metadata(&src).unwrap().ino(), "not a link to the source");
        assert_eq!(fs::metadata(&copy).unwrap().mode() & 0o777, 0o644);
        // An in-place edit of the source leaves the published copy as it was.
        fs::write(&src, b"%PDF-2").unwrap();
        assert_eq!(fs::read(&copy).unwrap(), b"%PDF-1");

        let inode = fs::metadata(out.join("a.zip")).unwrap().ino();
        let staging = begin(tmp.path(), &out, &["a.zip"]);
        assert!(staging.reuse("a.zip").unwrap());
        assert!(!staging.reuse("none.zip").unwrap());
        staging.commit().unwrap();
        assert_eq!(fs::metadata(out.join("a.zip")).unwrap().ino(), inode);
    }

    #[test]
    fn in_a_site_s_web_root_an_unchanged_pdf_stays_where_it_is_unstaged() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src.pdf");
        fs::write(&src, b"%PDF-1").unwrap();
        let out = tmp.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("index.html"), b"the site's").unwrap();
        let options = TargetOptions {
            content: &tmp.path().join("content"),
            feeds: &tmp.path().join("feeds"),
            into_existing: true,
            wait: false,
        };
        let files = ["p/src.pdf", "feed.xml"];
        let staging = begin_expecting(&out, &options, &files);
        staging.copy("p/src.pdf", &src, None).unwrap();
        staging.write("feed.xml", b"1").unwrap();
        assert!(matches!(staging.commit().unwrap().committed, Committed::InPlace(_)));
        let inode = fs::metadata(out.join("p/src.pdf")).unwrap().ino();

        let staging = begin(tmp.path(), &out, &files);
        staging.foreign(); // the walk over, as at an agency by the time its PDFs are copied
        staging.copy("p/src.pdf", &src, None).unwrap();
        assert!(!staging.dir.join("p").exists(), "nothing staged for the PDF, not even its folder");
        staging.write("feed.xml", b"2").unwrap();
        let outcome = staging.commit().unwrap();
        assert!(matches!(outcome.committed, Committed::InPlace(_)));
        assert_eq!(outcome.files, 2);
        assert_eq!(fs::metadata(out.join("p/src.pdf")).unwrap().ino(), inode);
        assert_eq!(fs::read(out.join("feed.xml")).unwrap(), b"2");
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"the site's");
        let record = fs::read_to_string(out.join(".pressroom.json")).unwrap();
        assert!(record.contains("p/src.pdf"), "still pressroom's: {record}");

        // Replaced by the site while the build ran: the build stops, and
        // the site's file stays.
        let staging = begin(tmp.path(), &out, &files);
        staging.foreign(); // the walk over, as at an agency by the time its PDFs are copied
        staging.copy("p/src.pdf", &src, None).unwrap();
        staging.write("feed.xml", b"3").unwrap();
        fs::remove_file(out.join("p/src.pdf")).unwrap();
        fs::write(out.join("p/src.pdf"), b"the site's PDF").unwrap();
        let committed = staging.commit();
        assert!(matches!(&committed, Err(Error::Usage(m)) if m.contains("p/src.pdf")), "{committed:?}");
        assert_eq!(fs::read(out.join("p/src.pdf")).unwrap(), b"the site's PDF");

        // Moved away by the site: copied anew. Then removed while the next
        // build ran: it stops before anything changes.
        fs::remove_file(out.join("p/src.pdf")).unwrap();
        let staging = begin(tmp.path(), &out, &files);
        staging.copy("p/src.pdf", &src, None).unwrap();
        staging.write("feed.xml", b"4").unwrap();
        staging.commit().unwrap();
        let staging = begin(tmp.path(), &out, &files);
        staging.foreign(); // the walk over, as at an agency by the time its PDFs are copied
        staging.copy("p/src.pdf", &src, None).unwrap();
        staging.write("feed.xml", b"5").unwrap();
        fs::remove_file(out.join("p/src.pdf")).unwrap();
        let committed = staging.commit();
        assert!(
            matches!(&committed, Err(Error::Usage(m)) if m.contains("replaced or removed while the build ran")),
            "{committed:?}"
        );
        assert_eq!(fs::read(out.join("feed.xml")).unwrap(), b"4");
    }

    #[test]
    fn a_failed_build_leaves_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = begin(tmp.path(), &out, &["feed.xml"]);
        staging.write("feed.xml", b"v1").unwrap();
        staging.commit().unwrap();
        {
            let staging = begin(tmp.path(), &out, &["feed.xml"]);
            staging.write("feed.xml", b"v2").unwrap();
            // dropped without commit, as on any error
        }
        assert_eq!(fs::read(out.join("feed.xml")).unwrap(), b"v1");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 3);
    }

    #[test]
    fn files_of_others_are_never_taken_for_previous_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = begin(tmp.path(), &out, &["feed.xml"]);
        staging.write("feed.xml", b"v1").unwrap();
        staging.commit().unwrap();
        fs::write(out.join("CNAME"), b"x").unwrap();
        let staging = begin(tmp.path(), &out, &["feed.xml"]);
        assert!(staging.previous("feed.xml").is_some());
        assert!(staging.previous("CNAME").is_none());
        staging.write("feed.xml", b"v2").unwrap();
        assert!(matches!(staging.commit().unwrap().committed, Committed::InPlace(why) if why.contains("CNAME")));
        assert_eq!(fs::read(out.join("CNAME")).unwrap(), b"x");
        assert_eq!(fs::read(out.join("feed.xml")).unwrap(), b"v2");
    }
}
