//! Reading a bundle's bytes for `pressroom verify`, bounded: telling a ZIP
//! from other files, streaming one entry through the hashers up to a limit,
//! reading a ZIP without its central directory from the start, and listing
//! the names the central directory's headers write. Read errors are sorted
//! into damage (a problem of the bundle) and I/O failures.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};

use sha2::Digest as _;
use sha2::digest::DynDigest;
use zip::result::ZipError;

use super::digest::{CHUNK, Digests, Hasher};
use super::verify_report::Report;

/// Tag files larger than this are not parsed (a manifest of a million files
/// is about 200 MB with SHA-512).
pub const MAX_TAG_FILE: u64 = 256 << 20;

pub(super) const CENTRAL_SIG: [u8; 4] = 0x0201_4b50u32.to_le_bytes();

/// What was read of one file entry.
#[derive(Clone)]
pub(super) struct ReadEntry {
    pub(super) digests: Option<Digests>,
    /// MD5 and SHA-1, computed only when the bag has manifests of them.
    /// Digests of the other algorithms the bag's manifests use (`EXTRA`),
    /// as lowercase hex by algorithm; computed only when a manifest needs them.
    pub(super) extra: Vec<(&'static str, String)>,
    /// The bytes of a top-level `.txt` file (a tag file), when small
    /// enough: decoded once `bagit.txt` has said their encoding.
    pub(super) text: Option<Vec<u8>>,
}

/// The algorithms bagit-python also writes and checks, besides SHA-256 and
/// SHA-512: MD5 and SHA-1 (its old defaults, weak: they resist no forgery),
/// SHA-224, SHA-384, and BLAKE2 under the names Python's hashlib gives them
/// (`blake2b` is BLAKE2b-512, `blake2s` BLAKE2s-256) and those of RFC 8493's
/// practice (`blake2b-512`; BLAKE2b-256 and -384 are their own functions,
/// not a cut 512).
pub(super) const EXTRA: &[&str] = &[
    "md5",
    "sha1",
    "sha224",
    "sha384",
    "blake2b",
    "blake2b-256",
    "blake2b-384",
    "blake2b-512",
    "blake2s",
    "blake2s-256",
];

/// The algorithms of `EXTRA` that the manifests among `names` use, so that
/// only those are computed.
pub(super) fn extra_algorithms<'a>(names: impl Iterator<Item = &'a str> + Clone) -> Vec<&'static str> {
    EXTRA.iter().copied().filter(|alg| names.clone().any(|n| n.ends_with(&format!("manifest-{alg}.txt")))).collect()
}

/// What the file is, when it is certainly no ZIP: it does not start with a
/// ZIP signature and the `zip` crate finds no central directory in it. A
/// ZIP cut short still starts with one, and is checked as damaged.
pub(super) fn not_a_zip(file: &mut File) -> io::Result<Option<&'static str>> {
    let mut head = Vec::with_capacity(512);
    file.by_ref().take(512).read_to_end(&mut head)?;
    file.rewind()?;
    if head.starts_with(b"PK") {
        return Ok(None);
    }
    let opens = zip::ZipArchive::new(BufReader::new(&mut *file)).is_ok();
    file.rewind()?;
    if opens {
        return Ok(None);
    }
    Ok(Some(match &head[..] {
        [] => "an empty file",
        h if h.get(257..262) == Some(b"ustar") => "a tar archive",
        [0x1f, 0x8b, ..] => "a gzip file (a .tar.gz?)",
        [b'B', b'Z', b'h', ..] => "a bzip2 file",
        [0xfd, b'7', b'z', b'X', b'Z', 0, ..] => "an xz file",
        [b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c, ..] => "a 7-Zip archive",
        [b'R', b'a', b'r', b'!', ..] => "a RAR archive",
        [b'%', b'P', b'D', b'F', ..] => "a PDF",
        _ => "of a kind pressroom does not know",
    }))
}

/// Whether a read error means damaged data (a problem of the bundle) rather
/// than a failing disk (exit 3). The OS reports the failures; errors made by
/// the `zip` crate and the inflater have no OS code, whatever their kind (an
/// unknown compression method is `Unsupported`). EINVAL is damage too: a
/// seek to an offset no file can have, which a lying header asks for.
pub(super) fn is_damage(e: &io::Error) -> bool {
    e.raw_os_error().is_none_or(|code| code == libc::EINVAL)
}

/// Streams one entry through the hashers, at most `limit` bytes of it; a
/// damaged entry (bad CRC, truncated data, bad deflate stream, too long) is a
/// problem of that entry. `Err` only for a failure to read the bundle.
pub(super) fn read_entry(
    reader: &mut impl Read,
    buf: &mut [u8],
    (keep_text, extra): (bool, &[&'static str]),
    limit: u64,
    name: &str,
    report: &mut Report,
) -> io::Result<ReadEntry> {
    let mut hasher = Hasher::new();
    let mut extra: Vec<(&'static str, Box<dyn DynDigest>)> = extra
        .iter()
        .filter_map(|&alg| {
            let hasher: Box<dyn DynDigest> = match alg {
                "md5" => Box::new(md5::Md5::new()),
                "sha1" => Box::new(sha1::Sha1::new()),
                "sha224" => Box::new(sha2::Sha224::new()),
                "sha384" => Box::new(sha2::Sha384::new()),
                // bagit-python names BLAKE2b as Python's hashlib does
                // (`blake2b`, 512 bits); RFC 8493's registry as `blake2b-512`.
                "blake2b" | "blake2b-512" => Box::new(blake2::Blake2b512::new()),
                "blake2b-384" => Box::new(blake2::Blake2b::<blake2::digest::consts::U48>::new()),
                "blake2b-256" => Box::new(blake2::Blake2b::<blake2::digest::consts::U32>::new()),
                "blake2s" | "blake2s-256" => Box::new(blake2::Blake2s256::new()),
                _ => return None,
            };
            Some((alg, hasher))
        })
        .collect();
    let mut text: Option<Vec<u8>> = keep_text.then(Vec::new);
    let mut total = 0u64;
    loop {
        match reader.read(buf) {
            Ok(0) => break,
            Ok(n) => {
                total += n as u64;
                if total > limit {
                    report.problem(name, format!("inflates to more than {limit} bytes: not read further"));
                    return Ok(ReadEntry { digests: None, extra: Vec::new(), text: None });
                }
                hasher.update(&buf[..n]);
                for (_, hasher) in &mut extra {
                    hasher.update(&buf[..n]);
                }
                if let Some(t) = &mut text {
                    if (t.len() + n) as u64 > MAX_TAG_FILE {
                        report.problem(name, format!("tag file larger than {MAX_TAG_FILE} bytes: not checked"));
                        text = None;
                    } else {
                        t.extend_from_slice(&buf[..n]);
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if !is_damage(&e) => return Err(e),
            Err(e) => {
                report.problem(name, format!("cannot be read: {e} (damaged or truncated)"));
                return Ok(ReadEntry { digests: None, extra: Vec::new(), text: None });
            }
        }
    }
    let extra = extra.into_iter().map(|(alg, hasher)| (alg, super::digest::hex(&hasher.finalize()))).collect();
    Ok(ReadEntry { digests: Some(hasher.finish()), extra, text })
}

/// A ZIP without its central directory: read the local entries in order to
/// name the first one that is cut off or damaged; `budget` bounds the bytes
/// inflated, all entries together.
pub(super) fn scan_stream(reader: &mut impl Read, shown: &str, mut budget: u64, report: &mut Report) -> io::Result<()> {
    let mut count = 0usize;
    let mut buf = vec![0u8; CHUNK];
    loop {
        match zip::read::read_zipfile_from_stream(reader) {
            Ok(Some(mut file)) => {
                let name = String::from_utf8_lossy(file.name_raw()).into_owned();
                let before = report.problems.len();
                let entry = read_entry(&mut file, &mut buf, (false, &[]), budget, &name, report)?;
                if report.problems.len() > before {
                    return Ok(());
                }
                budget -= entry.digests.map_or(0, |d| d.size);
                count += 1;
            }
            Ok(None) => return Ok(()),
            Err(ZipError::Io(e)) if !is_damage(&e) => return Err(e),
            Err(e) => {
                report.problem(shown, format!("cut off or damaged after its first {count} entries: {e}"));
                return Ok(());
            }
        }
    }
}

/// The names of the central directory at `start`, as its headers write them.
pub(super) fn header_names(mut reader: impl Read + Seek, start: u64) -> io::Result<Vec<Vec<u8>>> {
    reader.seek(SeekFrom::Start(start))?;
    let mut names = Vec::new();
    let mut fixed = [0u8; 46];
    loop {
        match reader.read_exact(&mut fixed) {
            Err(e) if is_damage(&e) => break,
            other => other?,
        }
        if fixed[..4] != CENTRAL_SIG {
            break;
        }
        let field = |at: usize| u16::from_le_bytes([fixed[at], fixed[at + 1]]);
        let mut name = vec![0u8; usize::from(field(28))];
        match reader.read_exact(&mut name) {
            Err(e) if is_damage(&e) => break,
            other => other?,
        }
        reader.seek(SeekFrom::Current(i64::from(field(30)) + i64::from(field(32))))?;
        names.push(name);
    }
    Ok(names)
}
