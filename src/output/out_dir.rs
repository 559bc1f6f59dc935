//! A handle on a folder that nothing can leave: every read, write, rename
//! and removal inside the output folder (and its staging folder) goes
//! through one. Paths are resolved beneath the folder by cap-std
//! (`openat2(RESOLVE_BENEATH)` where the kernel has it): a `..`, an
//! absolute path or a symbolic link that leads out is an error, never a
//! file elsewhere. The last component of a path is never followed by
//! `metadata`, `rename` or `remove_*`, so a link placed inside the output is
//! itself what is looked at, moved or removed, not what it points to.
//! Here too, for the lock, the staging folder and the cache alike: the
//! names they take beside the output folder (`beside`), and the error of a
//! folder this user cannot write to (`not_writable`).

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

use cap_std::ambient_authority;
use cap_std::fs::{Dir, Metadata};

use crate::error::{Error, Result};

pub struct OutDir {
    path: PathBuf,
    dir: Dir,
}

impl OutDir {
    /// The folder at `path`, which must exist.
    pub fn open(path: &Path) -> io::Result<OutDir> {
        Ok(OutDir { path: path.to_owned(), dir: Dir::open_ambient_dir(path, ambient_authority())? })
    }

    /// The folder's path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An error about `rel`, naming its full path.
    pub fn error(&self, rel: impl AsRef<Path>, e: io::Error) -> Error {
        Error::io(self.path.join(rel), e)
    }

    /// What stands at `rel`, not following a link there.
    pub fn metadata(&self, rel: impl AsRef<Path>) -> io::Result<Metadata> {
        self.dir.symlink_metadata(rel)
    }

    /// `rel` opened for reading.
    pub fn open_file(&self, rel: impl AsRef<Path>) -> io::Result<std::fs::File> {
        self.dir.open(rel).map(cap_std::fs::File::into_std)
    }

    pub fn read_file(&self, rel: impl AsRef<Path>) -> io::Result<Vec<u8>> {
        self.dir.read(rel)
    }

    /// Writes `bytes` as `rel` through a temporary file renamed over it, so
    /// `rel` is whole, old or new, at every moment.
    pub fn replace_file(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let tmp = format!("{rel}.pressroom-tmp");
        self.dir.write(&tmp, bytes)?;
        self.dir.rename(&tmp, &self.dir, rel)
    }

    pub fn create_dir(&self, rel: impl AsRef<Path>) -> io::Result<()> {
        self.dir.create_dir(rel)
    }

    pub fn remove_file(&self, rel: impl AsRef<Path>) -> io::Result<()> {
        self.dir.remove_file(rel)
    }

    pub fn remove_dir(&self, rel: impl AsRef<Path>) -> io::Result<()> {
        self.dir.remove_dir(rel)
    }

    /// Moves `from`'s `rel` to the same path here, replacing what is there.
    pub fn rename_from(&self, from: &OutDir, rel: &str) -> io::Result<()> {
        from.dir.rename(rel, &self.dir, rel)
    }

    /// Exchanges `rel` here with the same path in `other`, in one step
    /// (`renameat2(RENAME_EXCHANGE)`): both must exist. Each parent folder
    /// is opened beneath its root, never through a link that leads out.
    /// `EINVAL` (or `ENOSYS`, `EOPNOTSUPP`) where the file system cannot.
    #[cfg(target_os = "linux")]
    pub fn exchange_with(&self, other: &OutDir, rel: &str) -> io::Result<()> {
        use std::os::fd::{AsFd, AsRawFd};
        let (parent, name) = rel.rsplit_once('/').map_or((None, rel), |(parent, name)| (Some(parent), name));
        let open = |d: &OutDir| parent.map(|p| d.dir.open_dir(p)).transpose();
        let (here, there) = (open(self)?, open(other)?);
        let fd = |opened: &Option<Dir>, d: &OutDir| opened.as_ref().unwrap_or(&d.dir).as_fd().as_raw_fd();
        let name = std::ffi::CString::new(name).map_err(io::Error::other)?;
        // SAFETY: the descriptors of two folders held open here and a
        // NUL-terminated name, all alive for the length of the call.
        let rc = unsafe {
            libc::renameat2(fd(&there, other), name.as_ptr(), fd(&here, self), name.as_ptr(), libc::RENAME_EXCHANGE)
        };
        if rc == 0 { Ok(()) } else { Err(io::Error::last_os_error()) }
    }

    #[cfg(not(target_os = "linux"))]
    pub fn exchange_with(&self, _other: &OutDir, _rel: &str) -> io::Result<()> {
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }

    /// Moves `from`'s `rel` to the same path here where nothing is there:
    /// linked (which fails, `AlreadyExists`, on any name there, in the same
    /// step), then unlinked from `from`. Renamed where the file system
    /// makes no hard links.
    pub fn move_new_from(&self, from: &OutDir, rel: &str) -> io::Result<()> {
        match from.dir.hard_link(rel, &self.dir, rel) {
            Ok(()) => from.dir.remove_file(rel),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
            Err(_) => self.rename_from(from, rel),
        }
    }

    /// The names in the folder `rel` (`""` for the top), each with whether
    /// it is a folder (a link is not).
    pub fn entries(&self, rel: &str) -> io::Result<Vec<(std::ffi::OsString, bool)>> {
        let read = if rel.is_empty() { self.dir.entries()? } else { self.dir.read_dir(rel)? };
        read.map(|entry| {
            let entry = entry?;
            Ok((entry.file_name(), entry.file_type()?.is_dir()))
        })
        .collect()
    }

    /// True when `rel` here is the file of device and inode `file`.
    pub fn holds(&self, rel: &str, file: (u64, u64)) -> bool {
        use cap_std::fs::MetadataExt;
        self.metadata(rel).is_ok_and(|m| (m.dev(), m.ino()) == file)
    }

    /// True when `rel` here and `rel` in `other` are one file (a hard link).
    pub fn same_file(&self, other: &OutDir, rel: &str) -> bool {
        use cap_std::fs::MetadataExt;
        other.metadata(rel).is_ok_and(|m| self.holds(rel, (m.dev(), m.ino())))
    }
}

/// Removes the folder `path` and all it holds, as `fs::remove_dir_all`
/// does, but each entry through its folder's open handle (`unlinkat`: no
/// path is walked again) and the sub-folders in parallel: after a swap it
/// holds the previous output, as many files as the build wrote. A link is
/// removed, never followed (the file type read from the folder says so).
pub fn remove_tree(path: &Path) -> Result<(), Error> {
    let dir = Dir::open_ambient_dir(path, ambient_authority()).map_err(|e| Error::io(path, e))?;
    empty(&dir, path)?;
    drop(dir);
    std::fs::remove_dir(path).map_err(|e| Error::io(path, e))
}

/// Removes what the folder `dir` (at `path`, for messages) holds.
fn empty(dir: &Dir, path: &Path) -> Result<(), Error> {
    use rayon::prelude::*;
    let mut folders = Vec::new();
    for entry in dir.entries().map_err(|e| Error::io(path, e))? {
        let entry = entry.map_err(|e| Error::io(path, e))?;
        let name = entry.file_name();
        let is_dir = entry.file_type().map_err(|e| Error::io(path.join(&name), e))?.is_dir();
        if is_dir {
            folders.push(name);
        } else {
            dir.remove_file(&name).map_err(|e| Error::io(path.join(&name), e))?;
        }
    }
    folders.par_iter().try_for_each(|name| {
        let at = path.join(name);
        let sub = dir.open_dir(name).map_err(|e| Error::io(&at, e))?;
        empty(&sub, &at)?;
        drop(sub);
        dir.remove_dir(name).map_err(|e| Error::io(&at, e))
    })
}

/// True for the errors of a folder this user may not write into.
pub fn is_not_writable(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem)
}

/// An error that says which folder is not writable, and by whom.
pub fn not_writable(dir: &Path, what: &str, e: io::Error) -> Error {
    if !is_not_writable(&e) {
        return Error::io(dir, e);
    }
    // SAFETY: geteuid cannot fail and has no preconditions.
    let uid = unsafe { libc::geteuid() };
    let why = if e.kind() == io::ErrorKind::ReadOnlyFilesystem {
        "the file system is read-only".to_owned()
    } else {
        format!("the folder is not writable by uid {uid}")
    };
    Error::io(dir, io::Error::new(e.kind(), format!("cannot create {what} here: {why}")))
}

/// `.<name><suffix>` beside `out` (in its parent folder, or `.`).
pub fn beside(out: &Path, suffix: &str) -> Result<PathBuf> {
    let name =
        out.file_name().ok_or_else(|| Error::Usage(format!("{}: the output folder needs a name", out.display())))?;
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let mut beside = OsString::from(".");
    beside.push(name);
    beside.push(suffix);
    Ok(parent.join(beside))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn a_new_file_is_moved_only_where_nothing_is() {
        let tmp = tempfile::tempdir().unwrap();
        let (staged, out) = (tmp.path().join("staged"), tmp.path().join("out"));
        for dir in [&staged, &out] {
            fs::create_dir_all(dir.join("news")).unwrap();
        }
        fs::write(staged.join("news/a.xml"), b"pressroom's").unwrap();
        fs::write(staged.join("news/b.xml"), b"pressroom's").unwrap();
        fs::write(out.join("news/b.xml"), b"the site's").unwrap();
        let (from, to) = (OutDir::open(&staged).unwrap(), OutDir::open(&out).unwrap());
        to.move_new_from(&from, "news/a.xml").unwrap();
        assert_eq!(fs::read(out.join("news/a.xml")).unwrap(), b"pressroom's");
        assert!(!staged.join("news/a.xml").exists());
        let e = to.move_new_from(&from, "news/b.xml").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(out.join("news/b.xml")).unwrap(), b"the site's");
        assert_eq!(fs::read(staged.join("news/b.xml")).unwrap(), b"pressroom's");
    }

    #[test]
    fn nothing_leads_out_of_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let (out, elsewhere) = (tmp.path().join("out"), tmp.path().join("elsewhere"));
        fs::create_dir_all(&out).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("victim.txt"), b"keep").unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("link")).unwrap();
        std::os::unix::fs::symlink("../elsewhere", out.join("rel-link")).unwrap();
        let dir = OutDir::open(&out).unwrap();
        for escaping in ["../elsewhere/victim.txt", "link/victim.txt", "rel-link/victim.txt"] {
            assert!(dir.remove_file(escaping).is_err(), "{escaping}");
            assert!(dir.read_file(escaping).is_err(), "{escaping}");
            assert!(dir.replace_file(escaping, b"x").is_err(), "{escaping}");
        }
        assert!(dir.read_file(elsewhere.join("victim.txt")).is_err(), "an absolute path");
        assert_eq!(fs::read(elsewhere.join("victim.txt")).unwrap(), b"keep");
        // A link itself is what is removed, not what it points to.
        dir.remove_file("link").unwrap();
        assert!(elsewhere.join("victim.txt").exists());
    }

    #[test]
    fn remove_tree_removes_all_it_holds_and_no_link_target() {
        let tmp = tempfile::tempdir().unwrap();
        let (tree, elsewhere) = (tmp.path().join("tree"), tmp.path().join("elsewhere"));
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("victim.txt"), b"keep").unwrap();
        for n in 0..50 {
            let dir = tree.join(format!("news/item-{n}/deeper"));
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join("index.html"), b"x").unwrap();
            fs::write(dir.parent().unwrap().join("feed.xml"), b"y").unwrap();
        }
        fs::create_dir_all(tree.join("empty")).unwrap();
        fs::write(tree.join("top.txt"), b"z").unwrap();
        std::os::unix::fs::symlink(&elsewhere, tree.join("news/link")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("victim.txt"), tree.join("file-link")).unwrap();
        remove_tree(&tree).unwrap();
        assert!(!tree.exists());
        assert_eq!(fs::read(elsewhere.join("victim.txt")).unwrap(), b"keep", "a link is removed, not followed");
        match remove_tree(&tree) {
            Err(Error::Io { path, .. }) => assert_eq!(path, tree, "the error names its path"),
            other => panic!("{other:?}"),
        }
    }
}
