//! Fixity of one file: its size, SHA-256, SHA-512 and CRC-32, computed in a
//! single streaming read. The build hashes each PDF once with this and reuses
//! the result for every bundle, manifest and index (the CRC lets the ZIP
//! writer put the entry's header before its data, and check on the copy that
//! the file did not change since it was hashed); `pressroom verify` hashes
//! each entry it reads with the same `Hasher`.
//!
//! SHA-256 and SHA-512 run side by side on each chunk (`rayon::join`), so a
//! big PDF costs about the slower of the two rather than their sum. sha2 0.11
//! picks the SHA-NI (SHA-256) and AVX2 (SHA-512) code paths at run time
//! through `cpufeatures`; nothing needs enabling at compile time.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use sha2::{Digest as _, Sha256, Sha512};

/// Read size: large enough that the per-chunk `rayon::join` is negligible,
/// small enough that memory stays flat whatever the file's size.
pub const CHUNK: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digests {
    pub size: u64,
    pub sha256: [u8; 32],
    pub sha512: [u8; 64],
    pub crc32: u32,
}

impl Digests {
    /// Digests of nothing, for a file of `size` bytes not read: what
    /// `archive::prove` renders the tag files with.
    pub fn stand_in(size: u64) -> Digests {
        Digests { size, sha256: [0; 32], sha512: [0; 64], crc32: 0 }
    }

    /// Reads `path` once, to its end.
    pub fn of_file(path: &Path) -> io::Result<Digests> {
        let mut file = File::open(path)?;
        let size = file.metadata()?.len();
        let mut hasher = Hasher::new();
        with_buffer(size, |buf| hasher.read_all_with(&mut file, buf))?;
        Ok(hasher.finish())
    }

    pub fn sha256_hex(&self) -> String {
        hex(&self.sha256)
    }

    #[cfg(test)]
    pub fn sha512_hex(&self) -> String {
        hex(&self.sha512)
    }
}

/// The streaming form of `Digests`.
pub struct Hasher {
    size: u64,
    sha256: Sha256,
    sha512: Sha512,
    crc32: crc32fast::Hasher,
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher::new()
    }
}

impl Hasher {
    pub fn new() -> Hasher {
        Hasher { size: 0, sha256: Sha256::new(), sha512: Sha512::new(), crc32: crc32fast::Hasher::new() }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.size += bytes.len() as u64;
        if bytes.len() < 64 * 1024 {
            self.sha256.update(bytes);
            self.sha512.update(bytes);
            self.crc32.update(bytes);
            return;
        }
        let (sha256, sha512, crc32) = (&mut self.sha256, &mut self.sha512, &mut self.crc32);
        rayon::join(
            || sha256.update(bytes),
            || {
                sha512.update(bytes);
                crc32.update(bytes);
            },
        );
    }

    /// Feeds everything `reader` yields, in `CHUNK`-sized reads; returns the
    /// number of bytes read.
    #[cfg(test)]
    pub fn read_all(&mut self, reader: &mut impl Read) -> io::Result<u64> {
        with_buffer(CHUNK as u64, |buf| self.read_all_with(reader, buf))
    }

    /// `read_all` through the caller's buffer.
    pub fn read_all_with(&mut self, reader: &mut impl Read, buf: &mut [u8]) -> io::Result<u64> {
        let start = self.size;
        loop {
            let n = match reader.read(buf) {
                Ok(0) => return Ok(self.size - start),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            self.update(&buf[..n]);
        }
    }

    pub fn finish(self) -> Digests {
        Digests {
            size: self.size,
            sha256: self.sha256.finalize().into(),
            sha512: self.sha512.finalize().into(),
            crc32: self.crc32.finalize(),
        }
    }
}

/// Runs `f` with a read buffer for a file of `size` bytes: `min(size, CHUNK)`
/// bytes (at least 64 KiB, so a file that grew is still read in few calls).
/// The buffer is kept per thread and reused: a fresh zeroed 1 MiB per file
/// cost more than hashing 10,000 small PDFs. Taken out while in use, so a
/// nested call (rayon may run another task on this thread while `f` waits
/// in `rayon::join`) gets a buffer of its own rather than this one.
pub fn with_buffer<R>(size: u64, f: impl FnOnce(&mut [u8]) -> R) -> R {
    thread_local! {
        static SPARE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let want = size.clamp(64 << 10, CHUNK as u64) as usize;
    let mut buf = SPARE.take();
    if buf.len() < want {
        buf = vec![0u8; want];
    }
    let result = f(&mut buf[..want]);
    SPARE.set(buf);
    result
}

/// A writer that passes everything on and keeps the SHA-256, SHA-512 and
/// length of what went through: a bundle's checksums come out of writing
/// it, without a second read.
pub struct HashingWriter<W> {
    inner: W,
    sha256: Sha256,
    sha512: Sha512,
    len: u64,
}

impl<W: io::Write> HashingWriter<W> {
    pub fn new(inner: W) -> HashingWriter<W> {
        HashingWriter { inner, sha256: Sha256::new(), sha512: Sha512::new(), len: 0 }
    }

    /// The inner writer, the length, the SHA-256 and the SHA-512 of what was
    /// written.
    pub fn finish(self) -> (W, u64, [u8; 32], [u8; 64]) {
        (self.inner, self.len, self.sha256.finalize().into(), self.sha512.finalize().into())
    }
}

impl<W: io::Write> io::Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        crate::interrupt::check()?;
        let n = self.inner.write(buf)?;
        self.sha256.update(&buf[..n]);
        self.sha512.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Lower-case hexadecimal, as manifests and `sha256sum` write it.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        let d = Hasher::new().finish();
        assert_eq!(d.sha256_hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        let mut h = Hasher::new();
        h.update(b"abc");
        let d = h.finish();
        assert_eq!(d.size, 3);
        assert_eq!(d.sha256_hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(d.sha512_hex().starts_with("ddaf35a193617abacc417349ae204131"));
        assert_eq!(d.crc32, 0x352441c2);
    }

    #[test]
    fn chunking_does_not_change_the_result() {
        let data: Vec<u8> = (0..3 * CHUNK + 17).map(|i| (i * 31 % 251) as u8).collect();
        let mut whole = Hasher::new();
        whole.update(&data);
        let mut pieces = Hasher::new();
        for piece in data.chunks(1000) {
            pieces.update(piece);
        }
        let mut streamed = Hasher::new();
        assert_eq!(streamed.read_all(&mut &data[..]).unwrap(), data.len() as u64);
        assert_eq!(whole.finish(), pieces.finish());
        let mut again = Hasher::new();
        again.update(&data);
        assert_eq!(again.finish(), streamed.finish());
    }

    #[test]
    fn buffers_are_sized_to_the_file_and_reused() {
        assert_eq!(with_buffer(10, |b| b.len()), 64 << 10);
        assert_eq!(with_buffer(3 << 20, |b| b.len()), CHUNK);
        let first = with_buffer(CHUNK as u64, |b| b.as_ptr() as usize);
        assert_eq!(with_buffer(1, |b| b.as_ptr() as usize), first, "the same buffer, not a new one");
        // Nested: the inner call gets a buffer of its own.
        with_buffer(1, |outer| {
            outer[0] = 7;
            with_buffer(1, |inner| inner[0] = 9);
            assert_eq!(outer[0], 7);
        });
    }
}
