//! The only code that touches the output folder. A build writes into a
//! staging folder beside it and swaps the two in one atomic step when every
//! stage succeeded, so readers of the output (a web server, a sync job) see
//! the old output or the new one, never a mix, even if the build is killed.
//! A file whose bytes did not change is hard-linked from the previous output
//! rather than written again, so it keeps its inode and modification time.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, IoContext, Result};

pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// Prepares an empty staging folder beside `out`; one left over by a
    /// killed build is removed first.
    pub fn begin(out: &Path) -> Result<Staging> {
        let dir = beside(out, ".pressroom-staging")?;
        if let Some(parent) = dir.parent() {
            fs::create_dir_all(parent).at(parent)?;
        }
        if dir.exists() {
            fs::remove_dir_all(&dir).at(&dir)?;
        }
        fs::create_dir(&dir).at(&dir)?;
        Ok(Staging { out: out.to_owned(), dir, committed: false })
    }

    /// The staged path of `rel` (a `/`-separated path), its folders made.
    pub fn path(&self, rel: &str) -> Result<PathBuf> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).at(parent)?;
        }
        Ok(path)
    }

    /// The previous output's copy of `rel`, if there is one.
    pub fn previous(&self, rel: &str) -> PathBuf {
        self.out.join(rel)
    }

    /// The build cache's folder: `.<out>.pressroom-cache` beside the output
    /// folder, like the staging folder, and never inside it (it is not
    /// published, and a swap of the output does not touch it).
    pub fn cache_dir(&self) -> PathBuf {
        beside(&self.out, ".pressroom-cache").expect("the output folder was checked by `begin`")
    }

    /// Takes the previous output's `rel` as it is (hard-linked: same inode,
    /// same time, not a byte read or written), in place of any file staged
    /// there, for a caller that knows it is what this build would write.
    /// False when there is none or it cannot be linked: whatever was staged
    /// stays, or the caller writes the file.
    pub fn reuse(&self, rel: &str) -> Result<bool> {
        let path = self.path(rel)?;
        let tmp = path.with_extension("pressroom-relink");
        let _ = fs::remove_file(&tmp);
        if fs::hard_link(self.previous(rel), &tmp).is_err() {
            return Ok(false);
        }
        fs::rename(&tmp, &path).at(&path)?;
        Ok(true)
    }

    /// Writes `bytes` as `rel`, reusing the previous file when identical.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if same_bytes(&self.previous(rel), bytes) && self.reuse(rel)? {
            return Ok(());
        }
        let path = self.path(rel)?;
        fs::write(&path, bytes).at(&path)
    }

    /// Copies the file `src` to `rel` with `src`'s modification time; the
    /// previous copy is reused when its size and modification time match.
    pub fn copy(&self, rel: &str, src: &Path) -> Result<()> {
        let meta = fs::metadata(src).at(src)?;
        if let Ok(prev) = fs::metadata(self.previous(rel)) {
            let same = prev.len() == meta.len() && prev.modified().ok() == meta.modified().ok();
            if same && self.reuse(rel)? {
                return Ok(());
            }
        }
        let path = self.path(rel)?;
        clone_or_copy(src, &path).at(&path)?;
        let file = File::options().write(true).open(&path).at(&path)?;
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644)).at(&path)?;
        if let Ok(mtime) = meta.modified() {
            file.set_modified(mtime).at(&path)?;
        }
        Ok(())
    }

    /// After a file was streamed to `rel`: if the previous output holds the
    /// same bytes, keep that file instead (its inode and time).
    pub fn settle(&self, rel: &str) -> Result<()> {
        let path = self.dir.join(rel);
        let previous = self.previous(rel);
        if same_files(&previous, &path).at(&path)? {
            self.reuse(rel)?;
        }
        Ok(())
    }

    /// Puts the staged output in place of the previous one, atomically where
    /// the system can (Linux `renameat2(RENAME_EXCHANGE)`).
    pub fn commit(mut self) -> Result<()> {
        if self.out.exists() {
            exchange(&self.dir, &self.out)?;
            // `dir` now holds the previous output.
            fs::remove_dir_all(&self.dir).at(&self.dir)?;
        } else {
            fs::rename(&self.dir, &self.out).at(&self.out)?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // A failed build leaves nothing behind; the output is untouched.
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// `.<name><suffix>` beside `out` (in its parent folder, or `.`).
fn beside(out: &Path, suffix: &str) -> Result<PathBuf> {
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

/// Copies `src` to `dst`: a reflink where the filesystem shares blocks
/// (Btrfs, XFS: `ioctl(FICLONE)`, no data copied), else `std::fs::copy`,
/// which on Linux copies in the kernel (`copy_file_range`). Never a hard
/// link to the source: an in-place edit of the source would then change the
/// published file too.
fn clone_or_copy(src: &Path, dst: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let from = File::open(src)?;
        let to = File::create(dst)?;
        // SAFETY: both descriptors are open for the duration of the call;
        // FICLONE takes the source descriptor as its argument.
        if unsafe { libc::ioctl(to.as_raw_fd(), libc::FICLONE, from.as_raw_fd()) } == 0 {
            return Ok(());
        }
    }
    fs::copy(src, dst).map(drop)
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

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.len() == bytes.len() as u64 => fs::read(path).is_ok_and(|old| old == bytes),
        _ => false,
    }
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
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn swaps_in_new_output_and_keeps_unchanged_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::begin(&out).unwrap();
        staging.write("a/same.txt", b"same").unwrap();
        staging.write("gone.txt", b"old").unwrap();
        staging.commit().unwrap();
        let inode = fs::metadata(out.join("a/same.txt")).unwrap().ino();

        let staging = Staging::begin(&out).unwrap();
        staging.write("a/same.txt", b"same").unwrap();
        staging.write("new.txt", b"new").unwrap();
        staging.commit().unwrap();
        assert_eq!(fs::metadata(out.join("a/same.txt")).unwrap().ino(), inode);
        assert!(!out.join("gone.txt").exists());
        assert_eq!(fs::read(out.join("new.txt")).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![OsString::from("public")], "no staging folder left behind");
    }

    #[test]
    fn copies_are_copies_and_reuse_links_the_previous_file() {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src.pdf");
        fs::write(&src, b"%PDF-1").unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::begin(&out).unwrap();
        assert_eq!(staging.cache_dir(), tmp.path().join(".public.pressroom-cache"));
        staging.copy("p/src.pdf", &src).unwrap();
        staging.write("a.zip", b"zip").unwrap();
        staging.commit().unwrap();
        let copy = out.join("p/src.pdf");
        assert_ne!(fs::metadata(&copy).unwrap().ino(), fs::metadata(&src).unwrap().ino(), "not a link to the source");
        assert_eq!(fs::metadata(&copy).unwrap().mode() & 0o777, 0o644);
        // An in-place edit of the source leaves the published copy as it was.
        fs::write(&src, b"%PDF-2").unwrap();
        assert_eq!(fs::read(&copy).unwrap(), b"%PDF-1");

        let inode = fs::metadata(out.join("a.zip")).unwrap().ino();
        let staging = Staging::begin(&out).unwrap();
        assert!(staging.reuse("a.zip").unwrap());
        assert!(!staging.reuse("none.zip").unwrap());
        staging.commit().unwrap();
        assert_eq!(fs::metadata(out.join("a.zip")).unwrap().ino(), inode);
    }

    #[test]
    fn a_failed_build_leaves_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let staging = Staging::begin(&out).unwrap();
        staging.write("feed.xml", b"v1").unwrap();
        staging.commit().unwrap();
        {
            let staging = Staging::begin(&out).unwrap();
            staging.write("feed.xml", b"v2").unwrap();
            // dropped without commit, as on any error
        }
        assert_eq!(fs::read(out.join("feed.xml")).unwrap(), b"v1");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
