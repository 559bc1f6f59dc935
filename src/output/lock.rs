//! One build at a time per output folder, and no build while a publish
//! reads it: an advisory lock (`flock`, taken through `File::lock`) on a
//! file beside the folder, `.<name>.pressroom-lock` (inside the folder,
//! `.pressroom-lock`, where its parent is not writable). A second run waits
//! for the first and says which process it waits for, or with `--no-wait`
//! stops at once (`Error::Busy`). The kernel releases the
//! lock when its process ends, however it ends, so a killed build never
//! leaves a stale lock. The holder removes the file when it is done; a build
//! that locked a file someone removed meanwhile locks the new one instead,
//! so removing never lets two builds in at once.

use std::fs::{File, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::out_dir::{beside, is_not_writable, not_writable};
use crate::error::{Error, IoContext, Result};

pub struct Lock {
    path: PathBuf,
    /// Held open: closing it releases the lock.
    _file: File,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held: a waiting build then finds its file
        // gone and takes a new one (`acquire`).
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Who holds a lock, as its file says: for the message of a run that waits.
#[derive(Debug)]
struct Holder {
    pid: u32,
    /// "build" or "publish".
    doing: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the {} of process {}", self.doing, self.pid)
    }
}

impl Lock {
    /// Locks the output folder `dir` for a run that is `doing` ("build",
    /// "publish"); `say` reports a wait.
    pub fn acquire(dir: &Path, wait: bool, doing: &str, say: impl Fn(&str)) -> Result<Lock> {
        loop {
            let (path, file) = open(dir)?;
            let file = lock(dir, &path, file, wait, &say)?;
            if still_there(&path, &file) {
                return Lock::own(path, file, doing);
            }
        }
    }

    fn own(path: PathBuf, mut file: File, doing: &str) -> Result<Lock> {
        file.set_len(0).at(&path)?;
        file.rewind().at(&path)?;
        writeln!(file, "{} {doing}", std::process::id()).at(&path)?;
        Ok(Lock { path, _file: file })
    }
}

/// Takes the lock on `file`, waiting if need be.
fn lock(dir: &Path, path: &Path, mut file: File, wait: bool, say: &impl Fn(&str)) -> Result<File> {
    {
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                // The holder writes its pid just after it locks: a moment's
                // wait reads it rather than an empty file.
                let holder = (0..10).find_map(|_| {
                    let pid = holder(&mut file);
                    if pid.is_none() {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                    pid
                });
                if !wait {
                    return Err(Error::Busy { lock: path.to_owned(), holder: holder.as_ref().map(Holder::to_string) });
                }
                let who = holder.as_ref().map_or("another run".to_owned(), Holder::to_string);
                say(&format!("waiting for {who} to finish with {} (lock: {})", dir.display(), path.display()));
                file.lock().at(path)?;
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(path, e)),
        }
    }
    Ok(file)
}

/// True when `path` still names the file locked.
fn still_there(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::symlink_metadata(path), file.metadata()) {
        (Ok(named), Ok(held)) => named.dev() == held.dev() && named.ino() == held.ino(),
        _ => false,
    }
}

/// The lock file beside `dir`, else inside it.
fn open(dir: &Path) -> Result<(PathBuf, File)> {
    let path = beside(dir, ".pressroom-lock")?;
    // `--out build/site/public` where `build/` is still to be made.
    if let Some(parent) = path.parent().filter(|p| !p.exists()) {
        std::fs::create_dir_all(parent).map_err(|e| not_writable(parent, "the output folder's parent", e))?;
    }
    match lock_file(&path) {
        Ok(file) => return Ok((path, file)),
        Err(e) if is_not_writable(&e) => {}
        Err(e) => return Err(Error::io(path, e)),
    }
    std::fs::create_dir_all(dir).map_err(|e| not_writable(dir, "the output folder", e))?;
    let path = dir.join(".pressroom-lock");
    let file = lock_file(&path).map_err(|e| not_writable(dir, ".pressroom-lock", e))?;
    Ok((path, file))
}

/// Never through a link: a link at the lock's path would have its target
/// truncated and overwritten with the lock's text.
fn lock_file(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let opened =
        File::options().read(true).write(true).create(true).truncate(false).custom_flags(libc::O_NOFOLLOW).open(path);
    opened.map_err(|e| match e.raw_os_error() {
        Some(libc::ELOOP) => io::Error::new(
            e.kind(),
            "it is a symbolic link, which pressroom does not follow for its lock: remove it, or choose another --out",
        ),
        _ => e,
    })
}

fn holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    let (pid, doing) = text.trim().split_once(' ')?;
    Some(Holder { pid: pid.parse().ok()?, doing: doing.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_folder_is_refused_without_waiting() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let first = Lock::acquire(&dir, false, "build", |_| {}).unwrap();
        match Lock::acquire(&dir, false, "build", |_| {}) {
            Err(Error::Busy { lock, holder }) => {
                assert_eq!(lock, tmp.path().join(".public.pressroom-lock"));
                assert_eq!(holder, Some(format!("the build of process {}", std::process::id())));
            }
            other => panic!("{:?}", other.err()),
        }
        drop(first);
        Lock::acquire(&dir, false, "build", |_| {}).unwrap();
    }
}
