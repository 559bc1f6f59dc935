//! One build at a time per output folder: an advisory lock (`flock`, taken
//! through `File::lock`) on a file beside the folder, `.<name>.pressroom-lock`
//! (inside the folder, `.pressroom-lock`, where its parent is not writable).
//! A second build waits for the first and says which process it waits for,
//! or with `--no-wait` stops at once (`Error::Busy`). The kernel releases the
//! lock when its process ends, however it ends, so a killed build never
//! leaves a stale lock; the file itself stays, empty of meaning.

use std::fs::{File, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::staging::{beside, is_not_writable, not_writable};
use crate::error::{Error, IoContext, Result};

pub struct Lock {
    /// Held open: closing it releases the lock.
    _file: File,
}

impl Lock {
    /// Locks the output folder `dir`; `say` reports a wait.
    pub fn acquire(dir: &Path, wait: bool, say: impl Fn(&str)) -> Result<Lock> {
        let (path, mut file) = open(dir)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let holder = holder(&mut file);
                if !wait {
                    return Err(Error::Busy { lock: path, holder });
                }
                let who = holder.map_or("another build".to_owned(), |pid| format!("the build of process {pid}"));
                say(&format!("waiting for {who}, which is writing {} (lock: {})", dir.display(), path.display()));
                file.lock().at(&path)?;
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(path, e)),
        }
        // The holder's pid, for the message of a build that waits.
        file.set_len(0).at(&path)?;
        file.rewind().at(&path)?;
        write!(file, "{}\n", std::process::id()).at(&path)?;
        Ok(Lock { _file: file })
    }
}

/// The lock file beside `dir`, else inside it.
fn open(dir: &Path) -> Result<(PathBuf, File)> {
    let path = beside(dir, ".pressroom-lock")?;
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

fn lock_file(path: &Path) -> io::Result<File> {
    File::options().read(true).write(true).create(true).truncate(false).open(path)
}

fn holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_folder_is_refused_without_waiting() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("public");
        let first = Lock::acquire(&dir, false, |_| {}).unwrap();
        match Lock::acquire(&dir, false, |_| {}) {
            Err(Error::Busy { lock, holder }) => {
                assert_eq!(lock, tmp.path().join(".public.pressroom-lock"));
                assert_eq!(holder, Some(std::process::id()));
            }
            other => panic!("{:?}", other.err()),
        }
        drop(first);
        Lock::acquire(&dir, false, |_| {}).unwrap();
    }
}
