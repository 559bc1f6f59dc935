//! Opening the store's inputs as regular files only. A FIFO would block a
//! read forever and a device (`/dev/zero`) never ends: each is refused after
//! one `open` that cannot block (O_NONBLOCK) and one `fstat`, before any byte
//! is read.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// `path` opened for reading, if it is a regular file (links followed).
pub fn open(path: &Path) -> io::Result<File> {
    open_sized(path).map(|(file, _)| file)
}

/// `open`, with the file's size from the same `fstat`.
fn open_sized(path: &Path) -> io::Result<(File, u64)> {
    let file = OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY).open(path)?;
    let metadata = file.metadata()?;
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok((file, metadata.len()));
    }
    if kind.is_dir() {
        // As reading it would have failed: an I/O problem, not a file type.
        return Err(io::Error::from_raw_os_error(libc::EISDIR));
    }
    let what = if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    };
    Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{what}, not a regular file: not read")))
}

/// The bytes of the regular file at `path`.
pub fn read(path: &Path) -> io::Result<Vec<u8>> {
    // One `fstat` for both the type and the size: every file of the store
    // is read, so each system call counts. `File::read_to_end` would ask
    // for the size again (`fstat` and `lseek`); through `Take` it reads
    // into the room made here, then once more to see the end.
    let (file, len) = open_sized(path)?;
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The text of the regular file at `path`.
pub fn read_to_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read(path)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifos_and_devices_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("a.md");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let e = read(&fifo).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
        let e = read(Path::new("/dev/zero")).unwrap_err();
        assert!(e.to_string().contains("device"), "{e}");
        std::fs::write(dir.path().join("b.md"), "x").unwrap();
        assert_eq!(read(&dir.path().join("b.md")).unwrap(), b"x");
    }
}
