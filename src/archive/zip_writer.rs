//! A small sequential ZIP writer (PKWARE APPNOTE 6.3), written here rather
//! than with the `zip` crate so that every byte of a bundle is decided in one
//! place: the `zip` crate sets the UTF-8 flag only on non-ASCII names, picks
//! ZIP64 by its own rules and seeks back to patch headers. This writer:
//! - sets general purpose bit 11 (names are UTF-8) on every entry;
//! - writes no extra field except ZIP64's (no uid, gid or time fields);
//! - stamps each entry with a DOS time given by the caller, `System::Unix`
//!   and mode 0644;
//! - stores entries whose size and CRC are known in advance (the PDFs, hashed
//!   beforehand) and deflates in-memory ones (the text files), so it never
//!   seeks and never uses data descriptors: the output can be any `Write`;
//! - switches to ZIP64 per entry (size or offset of 0xFFFFFFFF or more) and
//!   for the end records (65,535 entries or more, or offsets past 4 GiB);
//! - refuses unsafe names (absolute, `..`, `\`, NUL, empty segments) and
//!   duplicates.
//!
//! Every error is returned; `finish` must be called to get a valid file.

use std::collections::HashSet;
use std::io::{self, Read, Write};

use flate2::Compression;
use flate2::write::DeflateEncoder;
use jiff::civil::DateTime;

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const ZIP64_EXTRA: u16 = 0x0001;
/// Bit 11: the name (and comment) are UTF-8.
pub(super) const FLAG_UTF8: u16 = 1 << 11;
/// Made by: Unix (3), APPNOTE 6.3.
const MADE_BY: u16 = (3 << 8) | 63;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// A regular file, rw-r--r--.
const EXTERNAL_ATTRS: u32 = 0o100_644 << 16;
const U32_MAX: u64 = 0xFFFF_FFFF;
/// The deflate level, fixed so that the bytes are too. Level 1 of zlib-rs
/// (as of zlib-ng) is its "quick" strategy: on the text files of a bundle of
/// 10,000 publications (25 MB of manifests and index) it takes a third to a
/// tenth of level 9's time, for 3.2:1 instead of 4.6:1 (the PDFs, stored,
/// are most of a bundle anyway). The same input, level and library give the
/// same bytes; `deflate_probe` lets a cache notice when the library's output
/// changes.
const LEVEL: u32 = 1;

/// An MS-DOS date and time (local time, two-second resolution), as ZIP
/// headers carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DosTime {
    time: u16,
    date: u16,
}

impl DosTime {
    /// Clamped to the range DOS times can hold (1980 to 2107).
    pub fn new(dt: DateTime) -> DosTime {
        let (year, month, day, hour, minute, second) = match dt.year() {
            ..1980 => (1980, 1, 1, 0, 0, 0),
            2108.. => (2107, 12, 31, 23, 59, 58),
            y => (y, dt.month(), dt.day(), dt.hour(), dt.minute(), dt.second()),
        };
        let as_u16 = |v: i8| u16::try_from(v).unwrap_or(0);
        DosTime {
            time: (as_u16(hour) << 11) | (as_u16(minute) << 5) | (as_u16(second) / 2),
            date: (u16::try_from(year - 1980).unwrap_or(0) << 9) | (as_u16(month) << 5) | as_u16(day),
        }
    }
}

/// `deflate` of a fixed text with this writer's level and library: equal
/// probes mean the same text deflates to the same bytes (a bundle cache
/// keys on it, so an upgraded deflate library is never mixed with old
/// bundles).
pub fn deflate_probe() -> Vec<u8> {
    let mut text = String::new();
    for i in 0..200 {
        text.push_str(&format!("{i:064x}  data/{}/report-{i}.pdf\n", 2000 + i % 25));
    }
    deflate(text.as_bytes()).expect("in memory")
}

fn deflate(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = DeflateEncoder::new(Vec::with_capacity(bytes.len() / 2 + 64), Compression::new(LEVEL));
    encoder.write_all(bytes)?;
    encoder.finish()
}

struct Central {
    name: String,
    method: u16,
    time: DosTime,
    crc32: u32,
    compressed: u64,
    size: u64,
    offset: u64,
    zip64: bool,
}

pub struct ZipWriter<W: Write> {
    out: W,
    written: u64,
    entries: Vec<Central>,
    names: HashSet<String>,
}

impl<W: Write> ZipWriter<W> {
    pub fn new(out: W) -> ZipWriter<W> {
        ZipWriter { out, written: 0, entries: Vec::new(), names: HashSet::new() }
    }

    /// Adds `bytes` deflated.
    pub fn add_deflated(&mut self, name: &str, bytes: &[u8], time: DosTime) -> io::Result<()> {
        let compressed = deflate(bytes)?;
        let crc32 = crc32fast::hash(bytes);
        self.start(name, DEFLATED, time, crc32, compressed.len() as u64, bytes.len() as u64)?;
        self.put(&compressed)
    }

    /// Adds what `reader` yields, stored. `size` and `crc32` go into the header
    /// first; the copy checks them and fails if the data differ (the file
    /// changed after it was hashed), leaving an unusable output.
    pub fn add_stored(
        &mut self,
        name: &str,
        reader: &mut impl Read,
        size: u64,
        crc32: u32,
        time: DosTime,
    ) -> io::Result<()> {
        self.start(name, STORED, time, crc32, size, size)?;
        let mut crc = crc32fast::Hasher::new();
        let mut copied = 0u64;
        // One buffer per thread, reused (see `with_buffer`).
        super::digest::with_buffer(size, |buf| -> io::Result<()> {
            loop {
                let n = match reader.read(buf) {
                    Ok(0) => return Ok(()),
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                copied += n as u64;
                if copied > size {
                    return Ok(());
                }
                crc.update(&buf[..n]);
                self.put(&buf[..n])?;
            }
        })?;
        if copied != size || crc.finalize() != crc32 {
            // `InvalidData`: the caller tells this apart from a failing disk.
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("{name}: the file changed while the archive was being written"),
            ));
        }
        Ok(())
    }

    /// Writes the central directory and the end records; returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        let cd_start = self.written;
        let entries = std::mem::take(&mut self.entries);
        for e in &entries {
            let mut extra = Vec::new();
            if e.zip64 {
                let mut fields = Vec::new();
                if e.size >= U32_MAX {
                    fields.extend_from_slice(&e.size.to_le_bytes());
                }
                if e.compressed >= U32_MAX {
                    fields.extend_from_slice(&e.compressed.to_le_bytes());
                }
                if e.offset >= U32_MAX {
                    fields.extend_from_slice(&e.offset.to_le_bytes());
                }
                if !fields.is_empty() {
                    extra.extend_from_slice(&ZIP64_EXTRA.to_le_bytes());
                    extra.extend_from_slice(&(fields.len() as u16).to_le_bytes());
                    extra.extend_from_slice(&fields);
                }
            }
            let mut h = Vec::with_capacity(46 + e.name.len() + extra.len());
            h.extend_from_slice(&CENTRAL_SIG.to_le_bytes());
            h.extend_from_slice(&MADE_BY.to_le_bytes());
            h.extend_from_slice(&version_needed(e.method, e.zip64).to_le_bytes());
            h.extend_from_slice(&FLAG_UTF8.to_le_bytes());
            h.extend_from_slice(&e.method.to_le_bytes());
            h.extend_from_slice(&e.time.time.to_le_bytes());
            h.extend_from_slice(&e.time.date.to_le_bytes());
            h.extend_from_slice(&e.crc32.to_le_bytes());
            h.extend_from_slice(&clamp32(e.compressed).to_le_bytes());
            h.extend_from_slice(&clamp32(e.size).to_le_bytes());
            h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            h.extend_from_slice(&(extra.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes()); // comment length
            h.extend_from_slice(&0u16.to_le_bytes()); // disk number start
            h.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
            h.extend_from_slice(&EXTERNAL_ATTRS.to_le_bytes());
            h.extend_from_slice(&clamp32(e.offset).to_le_bytes());
            h.extend_from_slice(e.name.as_bytes());
            h.extend_from_slice(&extra);
            self.put(&h)?;
        }
        let cd_end = self.written;
        let cd_size = cd_end - cd_start;
        let count = entries.len() as u64;
        let mut tail = Vec::with_capacity(98);
        if count >= 0xFFFF || cd_size >= U32_MAX || cd_start >= U32_MAX {
            tail.extend_from_slice(&ZIP64_EOCD_SIG.to_le_bytes());
            tail.extend_from_slice(&44u64.to_le_bytes()); // size of the rest of this record
            tail.extend_from_slice(&MADE_BY.to_le_bytes());
            tail.extend_from_slice(&45u16.to_le_bytes());
            tail.extend_from_slice(&0u32.to_le_bytes()); // this disk
            tail.extend_from_slice(&0u32.to_le_bytes()); // disk of the central directory
            tail.extend_from_slice(&count.to_le_bytes());
            tail.extend_from_slice(&count.to_le_bytes());
            tail.extend_from_slice(&cd_size.to_le_bytes());
            tail.extend_from_slice(&cd_start.to_le_bytes());
            tail.extend_from_slice(&ZIP64_LOCATOR_SIG.to_le_bytes());
            tail.extend_from_slice(&0u32.to_le_bytes());
            tail.extend_from_slice(&cd_end.to_le_bytes());
            tail.extend_from_slice(&1u32.to_le_bytes()); // total disks
        }
        let count16 = count.min(0xFFFF) as u16;
        tail.extend_from_slice(&EOCD_SIG.to_le_bytes());
        tail.extend_from_slice(&0u16.to_le_bytes());
        tail.extend_from_slice(&0u16.to_le_bytes());
        tail.extend_from_slice(&count16.to_le_bytes());
        tail.extend_from_slice(&count16.to_le_bytes());
        tail.extend_from_slice(&clamp32(cd_size).to_le_bytes());
        tail.extend_from_slice(&clamp32(cd_start).to_le_bytes());
        tail.extend_from_slice(&0u16.to_le_bytes()); // comment length
        self.put(&tail)?;
        self.out.flush()?;
        Ok(self.out)
    }

    fn start(
        &mut self,
        name: &str,
        method: u16,
        time: DosTime,
        crc32: u32,
        compressed: u64,
        size: u64,
    ) -> io::Result<()> {
        check_name(name)?;
        if !self.names.insert(name.to_owned()) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{name}: two entries with this name")));
        }
        let offset = self.written;
        let local64 = size >= U32_MAX || compressed >= U32_MAX;
        let zip64 = local64 || offset >= U32_MAX;
        let mut h = Vec::with_capacity(30 + name.len() + 20);
        h.extend_from_slice(&LOCAL_SIG.to_le_bytes());
        h.extend_from_slice(&version_needed(method, zip64).to_le_bytes());
        h.extend_from_slice(&FLAG_UTF8.to_le_bytes());
        h.extend_from_slice(&method.to_le_bytes());
        h.extend_from_slice(&time.time.to_le_bytes());
        h.extend_from_slice(&time.date.to_le_bytes());
        h.extend_from_slice(&crc32.to_le_bytes());
        // A local ZIP64 field carries both sizes (APPNOTE 4.5.3).
        let (c32, s32) = if local64 { (U32_MAX as u32, U32_MAX as u32) } else { (compressed as u32, size as u32) };
        h.extend_from_slice(&c32.to_le_bytes());
        h.extend_from_slice(&s32.to_le_bytes());
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&(if local64 { 20u16 } else { 0 }).to_le_bytes());
        h.extend_from_slice(name.as_bytes());
        if local64 {
            h.extend_from_slice(&ZIP64_EXTRA.to_le_bytes());
            h.extend_from_slice(&16u16.to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&compressed.to_le_bytes());
        }
        self.put(&h)?;
        self.entries.push(Central { name: name.to_owned(), method, time, crc32, compressed, size, offset, zip64 });
        Ok(())
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }
}

fn version_needed(method: u16, zip64: bool) -> u16 {
    match (zip64, method) {
        (true, _) => 45,
        (false, DEFLATED) => 20,
        _ => 10,
    }
}

fn clamp32(v: u64) -> u32 {
    v.min(U32_MAX) as u32
}

/// A relative path of non-empty, non-dot segments separated by `/`, with no
/// backslash, NUL or Windows drive letter (`C:`).
pub fn check_name(name: &str) -> io::Result<()> {
    let bad = if name.is_empty() || name.len() > 0xFFFF - 30 {
        Some("is empty or too long")
    } else if name.starts_with('/') || name.as_bytes().get(1) == Some(&b':') && name.as_bytes()[0].is_ascii_alphabetic()
    {
        Some("is absolute (or starts with a drive letter)")
    } else if name.contains(['\\', '\0']) {
        Some("contains a backslash or NUL")
    } else if name.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        Some("has an empty, `.` or `..` segment")
    } else {
        None
    };
    match bad {
        Some(why) => Err(io::Error::new(io::ErrorKind::InvalidInput, format!("zip entry name {name:?} {why}"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn time() -> DosTime {
        DosTime::new(jiff::civil::date(2021, 5, 21).at(13, 45, 31, 0))
    }

    #[test]
    fn dos_time_fields() {
        let t = time();
        assert_eq!(t.time, (13 << 11) | (45 << 5) | 15);
        assert_eq!(t.date, (41 << 9) | (5 << 5) | 21);
        assert_eq!(DosTime::new(jiff::civil::date(1970, 1, 1).at(0, 0, 0, 0)).date, (1 << 5) | 1);
    }

    #[test]
    fn the_zip_crate_reads_what_it_writes() {
        let mut w = ZipWriter::new(Vec::new());
        w.add_deflated("bag/bagit.txt", b"BagIt-Version: 1.0\n", time()).unwrap();
        let pdf = b"%PDF-1.4 not really".to_vec();
        w.add_stored("bag/data/r\u{e9}sum\u{e9}.pdf", &mut &pdf[..], pdf.len() as u64, crc32fast::hash(&pdf), time())
            .unwrap();
        let bytes = w.finish().unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        assert_eq!(zip.len(), 2);
        let mut text = String::new();
        zip.by_index(0).unwrap().read_to_string(&mut text).unwrap();
        assert_eq!(text, "BagIt-Version: 1.0\n");
        let file = zip.by_index(1).unwrap();
        assert_eq!(file.name().unwrap(), "bag/data/r\u{e9}sum\u{e9}.pdf");
        assert_eq!(file.compression(), zip::CompressionMethod::Stored);
        assert_eq!(file.unix_mode(), Some(0o100_644));
        // No extra field at all, UTF-8 flag on every entry (local and central).
        assert_eq!(u16::from_le_bytes([bytes[6], bytes[7]]), FLAG_UTF8);
        assert_eq!(u16::from_le_bytes([bytes[28], bytes[29]]), 0);
    }

    #[test]
    fn a_wrong_size_or_crc_is_an_error() {
        let mut w = ZipWriter::new(Vec::new());
        let data = b"%PDF-abc";
        assert!(w.add_stored("a.pdf", &mut &data[..], 7, crc32fast::hash(data), time()).is_err());
        let mut w = ZipWriter::new(Vec::new());
        assert!(w.add_stored("a.pdf", &mut &data[..], 8, 0, time()).is_err());
    }

    #[test]
    fn unsafe_and_duplicate_names_are_refused() {
        for bad in ["/etc/passwd", "a/../b", "a\\b", "a//b", "./a", "", "C:/x", "c:x"] {
            let mut w = ZipWriter::new(Vec::new());
            assert!(w.add_deflated(bad, b"x", time()).is_err(), "{bad}");
        }
        let mut w = ZipWriter::new(Vec::new());
        w.add_deflated("a", b"x", time()).unwrap();
        assert!(w.add_deflated("a", b"y", time()).is_err());
    }

    #[test]
    fn more_than_65535_entries_use_zip64_end_records() {
        let mut w = ZipWriter::new(Vec::new());
        let n = 70_000;
        for i in 0..n {
            w.add_stored(&format!("d/{i:05}"), &mut &b""[..], 0, 0, time()).unwrap();
        }
        let bytes = w.finish().unwrap();
        let zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        assert_eq!(zip.len(), n);
    }
}
