//! `pressroom verify BUNDLE.zip`: checks a bundle as an archivist would,
//! without unzipping it to disk: nothing is ever written anywhere. Each entry
//! is streamed once through the hashers (SHA-256 and SHA-512), so memory stays
//! flat whatever the PDFs' size; only the tag files' text is kept, up to
//! `MAX_TAG_FILE` each.
//!
//! Checked: entry names (UTF-8, relative, no `..`, no backslash, no drive
//! letter, no duplicates), local headers against the central directory (name,
//! method, sizes, CRC), entries that overlap, declared sizes against the
//! inflated ones, a single top folder, `bagit.txt`, `bag-info.txt` and its
//! Payload-Oxum, every line of every payload and tag manifest, payload files
//! missing from a manifest or listed but absent, tag files a tag manifest
//! leaves out, and the ZIP's own CRCs. Each problem names the ZIP entry (or
//! the bundle file itself when it is not a readable ZIP). A truncated ZIP has
//! no central directory: its entries are then read in order from the start,
//! to name the one cut off.
//!
//! Limits, so that a hostile ZIP costs bounded time and memory: an entry is
//! inflated only if its declared size is at most `MAX_RATIO` times its
//! compressed size plus `RATIO_SLACK`, and never past its declared size (the
//! `zip` crate stops there); entries that overlap are not inflated. As
//! entries cannot then share bytes, all inflated bytes together stay under
//! about `MAX_RATIO` + 53 times the ZIP's size (each entry's two headers take
//! at least 78 bytes). A ZIP read without its central directory gets a budget
//! of `MAX_RATIO` times its size for all its entries together.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use zip::CompressionMethod;
use zip::read::ZipReadOptions;
use zip::result::ZipError;

use super::bag::decode_path;
use super::digest::{CHUNK, Digests, Hasher, hex};
use super::zip_writer::check_name;
use crate::error::{IoContext, Result};

/// Tag files larger than this are not parsed (a manifest of a million files
/// is about 200 MB with SHA-512).
pub const MAX_TAG_FILE: u64 = 256 << 20;

/// An entry may declare at most this many bytes per compressed byte (plus
/// `RATIO_SLACK`), or it is not inflated. Deflate itself tops out near
/// 1032:1 (long runs of one byte); what pressroom writes is far below 100:1
/// (PDFs are stored, its text files deflate about 5:1).
pub const MAX_RATIO: u64 = 100;
/// Bytes every entry may declare on top of `MAX_RATIO` (tiny files deflate
/// badly, and an empty deflate stream is 2 bytes).
pub const RATIO_SLACK: u64 = 4096;

const CENTRAL_SIG: [u8; 4] = 0x0201_4b50u32.to_le_bytes();

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The ZIP entry, or the bundle's file name for problems of the whole ZIP.
    pub entry: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.entry, self.message)
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
    /// The bag's top folder.
    pub top: Option<String>,
    pub payload_files: u64,
    pub payload_octets: u64,
}

impl Report {
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, entry: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem { entry: entry.into(), message: message.into() });
    }
}

/// What was read of one file entry.
struct Entry {
    digests: Option<Digests>,
    /// The text of a top-level `.txt` file (a tag file), when small enough.
    text: Option<String>,
}

/// Checks the bundle at `path`. `Err` only when the file cannot be opened or
/// read at all; everything wrong with its content is in the report.
pub fn verify(path: &Path) -> Result<Report> {
    let shown = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let file = File::open(path).at(path)?;
    verify_reader(BufReader::new(file), &shown).at(path)
}

/// Checks the bundle that `reader` yields; `shown` names it in problems of
/// the whole ZIP. `Err` only for a failure to read or seek.
pub fn verify_reader<R: Read + Seek>(mut reader: R, shown: &str) -> io::Result<Report> {
    let len = reader.seek(SeekFrom::End(0))?;
    reader.rewind()?;
    let mut report = Report::default();
    let mut archive = match zip::ZipArchive::new(&mut reader) {
        Ok(archive) => archive,
        Err(ZipError::Io(e)) if !is_damage(&e) => return Err(e),
        Err(e) => {
            report.problem(shown, format!("not a complete ZIP file ({e}); it may be truncated"));
            reader.rewind()?;
            let budget = MAX_RATIO.saturating_mul(len).saturating_add(RATIO_SLACK);
            scan_stream(&mut reader, shown, budget, &mut report)?;
            report.problems.sort();
            return Ok(report);
        }
    };

    // Each entry's place and sizes, before anything is inflated.
    let names: Vec<String> = archive.file_names_raw().map(|n| String::from_utf8_lossy(n).into_owned()).collect();
    let mut inflate = vec![true; names.len()];
    let mut unreadable = vec![false; names.len()];
    let mut spans = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let file = match archive.by_index_raw(i) {
            Ok(file) => file,
            Err(ZipError::Io(e)) if !is_damage(&e) => return Err(e),
            Err(e) => {
                report.problem(name, format!("cannot be read: {e}"));
                (inflate[i], unreadable[i]) = (false, true);
                continue;
            }
        };
        let (compressed, size) = (file.compressed_size(), file.size());
        let limit = compressed.saturating_mul(MAX_RATIO).saturating_add(RATIO_SLACK);
        let why_not = match file.compression() {
            CompressionMethod::Stored if size != compressed => {
                Some(format!("is stored, yet declares {size} bytes in {compressed}"))
            }
            CompressionMethod::Deflated if size > limit => Some(format!(
                "declares {size} bytes from {compressed} compressed, more than {MAX_RATIO} to 1 (a ZIP bomb?)"
            )),
            CompressionMethod::Stored | CompressionMethod::Deflated => None,
            other => Some(format!("uses the compression method {other}, which no bundle uses")),
        };
        if let Some(why) = why_not {
            report.problem(name, format!("{why}: not read"));
            inflate[i] = false;
        }
        if let Some(data) = file.data_start() {
            spans.push((file.header_start(), data.saturating_add(compressed), i));
        }
    }
    // Entries may not share bytes with each other or the central directory.
    spans.sort_unstable();
    let directory = archive.central_directory_start();
    let mut last: Option<(u64, usize)> = None;
    for &(start, end, i) in &spans {
        if let Some((last_end, j)) = last
            && start < last_end
        {
            report.problem(&names[i], format!("overlaps the entry {}: not read", names[j]));
            inflate[i] = false;
            inflate[j] = false;
        }
        if end > directory {
            report.problem(&names[i], "reaches into or past the central directory: not read");
            inflate[i] = false;
        }
        if last.is_none_or(|(last_end, _)| end > last_end) {
            last = Some((end, i));
        }
    }

    // Every entry, read once. The `zip` crate keeps one entry per name: with
    // duplicates it can no longer match local headers to central ones.
    let duplicates = archive.has_duplicate_names();
    let options = || ZipReadOptions::new().enforce_header_consistency(!duplicates);
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let mut tops = BTreeSet::new();
    let mut buf = vec![0u8; CHUNK];
    for (i, shown_name) in names.iter().enumerate() {
        let mut file = match archive.by_index_with_options(i, options()) {
            Ok(file) => file,
            Err(ZipError::Io(e)) if !is_damage(&e) => return Err(e),
            Err(e) => {
                if !unreadable[i] {
                    report.problem(shown_name, format!("cannot be read: {e}"));
                }
                continue;
            }
        };
        let Ok(name) = std::str::from_utf8(file.name_raw()).map(str::to_owned) else {
            report.problem(shown_name, "the name is not UTF-8");
            continue;
        };
        let is_dir = name.ends_with('/');
        if let Err(e) = check_name(name.strip_suffix('/').unwrap_or(&name)) {
            report.problem(&name, format!("unsafe name: {e}"));
            continue;
        }
        if entries.contains_key(&name) {
            report.problem(&name, "appears twice in the ZIP");
            continue;
        }
        match name.split_once('/') {
            Some((top, _)) => {
                tops.insert(top.to_owned());
            }
            None => report.problem(&name, "is outside the bag's top folder"),
        }
        if is_dir {
            continue;
        }
        let entry = if inflate[i] {
            let rel = name.split_once('/').map_or("", |(_, r)| r);
            let keep_text = !rel.contains('/') && rel.ends_with(".txt");
            let declared = file.size();
            let entry = read_entry(&mut file, &mut buf, keep_text, declared, &name, &mut report)?;
            if let Some(d) = entry.digests
                && d.size != declared
            {
                report.problem(&name, format!("holds {} bytes, its headers declare {declared}", d.size));
            }
            entry
        } else {
            Entry { digests: None, text: None }
        };
        entries.insert(name, entry);
    }
    // The names as the central directory's headers write them: the `zip`
    // crate keeps one entry per name, and takes a Unicode Path extra field
    // (0x7075) over the header's name.
    let raw = header_names(archive.into_inner(), directory)?;
    let known: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let mut counts: BTreeMap<&[u8], usize> = BTreeMap::new();
    for name in &raw {
        *counts.entry(name).or_default() += 1;
    }
    for (name, n) in &counts {
        let name = String::from_utf8_lossy(name);
        if *n > 1 {
            report.problem(name.as_ref(), "appears more than once in the central directory");
        }
        if let Err(e) = check_name(name.strip_suffix('/').unwrap_or(&name))
            && !known.contains(name.as_ref())
        {
            report.problem(name.as_ref(), format!("unsafe name in its header: {e}"));
        }
    }
    if duplicates && !counts.values().any(|&n| n > 1) {
        report.problem(shown, "the central directory lists one name twice");
    }

    let top = match tops.len() {
        1 => tops.into_iter().next().expect("one"),
        0 => {
            report.problem(shown, "the ZIP holds no bag (no top folder)");
            report.problems.sort();
            return Ok(report);
        }
        _ => {
            let list: Vec<_> = tops.iter().map(String::as_str).collect();
            report.problem(shown, format!("more than one top folder: {}", list.join(", ")));
            tops.into_iter().next().expect("several")
        }
    };
    let prefix = format!("{top}/");
    let bag: BTreeMap<&str, &Entry> =
        entries.iter().filter_map(|(name, e)| Some((name.strip_prefix(&prefix)?, e))).collect();
    check_bag(&top, &bag, &mut report);
    report.top = Some(top);
    report.problems.sort();
    Ok(report)
}

/// Whether a read error means damaged data (a problem of the bundle) rather
/// than a failing disk (exit 3). The OS reports the failures; errors made by
/// the `zip` crate and the inflater have no OS code, whatever their kind (an
/// unknown compression method is `Unsupported`). EINVAL is damage too: a
/// seek to an offset no file can have, which a lying header asks for.
fn is_damage(e: &io::Error) -> bool {
    e.raw_os_error().is_none_or(|code| code == libc::EINVAL)
}

/// Streams one entry through the hashers, at most `limit` bytes of it; a
/// damaged entry (bad CRC, truncated data, bad deflate stream, too long) is a
/// problem of that entry. `Err` only for a failure to read the bundle.
fn read_entry(
    reader: &mut impl Read,
    buf: &mut [u8],
    keep_text: bool,
    limit: u64,
    name: &str,
    report: &mut Report,
) -> io::Result<Entry> {
    let mut hasher = Hasher::new();
    let mut text: Option<Vec<u8>> = keep_text.then(Vec::new);
    let mut total = 0u64;
    loop {
        match reader.read(buf) {
            Ok(0) => break,
            Ok(n) => {
                total += n as u64;
                if total > limit {
                    report.problem(name, format!("inflates to more than {limit} bytes: not read further"));
                    return Ok(Entry { digests: None, text: None });
                }
                hasher.update(&buf[..n]);
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
                return Ok(Entry { digests: None, text: None });
            }
        }
    }
    let text = text.and_then(|t| match String::from_utf8(t) {
        Ok(s) => Some(s),
        Err(_) => {
            report.problem(name, "is not UTF-8 text");
            None
        }
    });
    Ok(Entry { digests: Some(hasher.finish()), text })
}

/// A ZIP without its central directory: read the local entries in order to
/// name the first one that is cut off or damaged; `budget` bounds the bytes
/// inflated, all entries together.
fn scan_stream(reader: &mut impl Read, shown: &str, mut budget: u64, report: &mut Report) -> io::Result<()> {
    let mut count = 0usize;
    let mut buf = vec![0u8; CHUNK];
    loop {
        match zip::read::read_zipfile_from_stream(reader) {
            Ok(Some(mut file)) => {
                let name = String::from_utf8_lossy(file.name_raw()).into_owned();
                let before = report.problems.len();
                let entry = read_entry(&mut file, &mut buf, false, budget, &name, report)?;
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
fn header_names(mut reader: impl Read + Seek, start: u64) -> io::Result<Vec<Vec<u8>>> {
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

/// The bag's own checks, over its entries by path from the top folder.
fn check_bag(top: &str, bag: &BTreeMap<&str, &Entry>, report: &mut Report) {
    let full = |rel: &str| format!("{top}/{rel}");
    let text = |rel: &str| bag.get(rel).and_then(|e| e.text.as_deref());

    // bagit.txt: exactly two lines (RFC 8493 §2.1.1).
    match text("bagit.txt") {
        None if !bag.contains_key("bagit.txt") => report.problem(full("bagit.txt"), "missing: this is not a bag"),
        None => {}
        Some(t) => {
            let lines: Vec<&str> = t.lines().collect();
            let version_ok = lines.first().and_then(|l| l.strip_prefix("BagIt-Version: ")).is_some_and(|v| {
                v.split_once('.').is_some_and(|(a, b)| {
                    !a.is_empty() && !b.is_empty() && (a.to_owned() + b).bytes().all(|c| c.is_ascii_digit())
                })
            });
            let encoding = lines.get(1).and_then(|l| l.strip_prefix("Tag-File-Character-Encoding: "));
            if lines.len() != 2 || !version_ok || encoding.is_none() {
                report.problem(
                    full("bagit.txt"),
                    "must be two lines: \"BagIt-Version: M.N\" and \"Tag-File-Character-Encoding: ENCODING\"",
                );
            } else if !encoding.is_some_and(|e| e.eq_ignore_ascii_case("UTF-8")) {
                report.problem(full("bagit.txt"), "tag files are not declared UTF-8: cannot check them");
            }
        }
    }

    // The payload: every file under data/.
    let payload: Vec<(&str, &Entry)> =
        bag.iter().filter(|(rel, _)| rel.starts_with("data/")).map(|(rel, e)| (*rel, *e)).collect();
    report.payload_files = payload.len() as u64;
    report.payload_octets = payload.iter().filter_map(|(_, e)| e.digests.map(|d| d.size)).sum();

    // bag-info.txt and Payload-Oxum.
    match text("bag-info.txt") {
        None if !bag.contains_key("bag-info.txt") => report.problem(full("bag-info.txt"), "missing"),
        None => {}
        Some(t) => {
            let mut oxum = None;
            for (i, line) in t.lines().enumerate() {
                if line.is_empty() || line.starts_with([' ', '\t']) {
                    continue; // a folded continuation line
                }
                match line.split_once(':') {
                    Some((label, value)) if label.trim() == "Payload-Oxum" => oxum = Some(value.trim().to_owned()),
                    Some(_) => {}
                    None => report.problem(full("bag-info.txt"), format!("line {} is not \"Label: value\"", i + 1)),
                }
            }
            let actual = format!("{}.{}", report.payload_octets, report.payload_files);
            match oxum {
                None => report.problem(full("bag-info.txt"), "has no Payload-Oxum"),
                Some(oxum) if oxum != actual => report.problem(
                    full("bag-info.txt"),
                    format!("Payload-Oxum is {oxum} but the payload is {actual} (octets.files)"),
                ),
                Some(_) => {}
            }
        }
    }

    // Manifests.
    let manifests: Vec<&str> = bag.keys().copied().filter(|r| is_manifest(r, "manifest-")).collect();
    let tag_manifests: Vec<&str> = bag.keys().copied().filter(|r| is_manifest(r, "tagmanifest-")).collect();
    if manifests.is_empty() {
        report.problem(full("manifest-sha256.txt"), "missing: the bag has no payload manifest");
    }
    for &manifest in &manifests {
        let listed = check_manifest(top, manifest, bag, report);
        for (rel, _) in &payload {
            if !listed.contains(*rel) {
                report.problem(full(rel), format!("not listed in {manifest}"));
            }
        }
        for rel in listed.iter().filter(|r| !r.starts_with("data/")) {
            report.problem(full(manifest), format!("lists {rel:?}, which is not under data/"));
        }
    }
    let mut tag_listed = BTreeSet::new();
    for &manifest in &tag_manifests {
        let listed = check_manifest(top, manifest, bag, report);
        for rel in &listed {
            if is_manifest(rel, "tagmanifest-") {
                report.problem(full(manifest), format!("lists the tag manifest {rel}"));
            }
        }
        for &payload_manifest in &manifests {
            if !listed.contains(payload_manifest) {
                report.problem(full(payload_manifest), format!("not listed in {manifest}"));
            }
        }
        tag_listed.extend(listed);
    }
    // Tag files a tag manifest should cover.
    if !tag_manifests.is_empty() {
        for rel in bag.keys() {
            if !rel.starts_with("data/") && !is_manifest(rel, "tagmanifest-") && !tag_listed.contains(*rel) {
                report.problem(full(rel), "not listed in any tag manifest");
            }
        }
    }
}

fn is_manifest(rel: &str, kind: &str) -> bool {
    rel.strip_prefix(kind).and_then(|r| r.strip_suffix(".txt")).is_some_and(|alg| !alg.is_empty() && !alg.contains('/'))
}

/// Checks each line of one manifest; returns the paths it lists.
fn check_manifest(top: &str, manifest: &str, bag: &BTreeMap<&str, &Entry>, report: &mut Report) -> BTreeSet<String> {
    let full = |rel: &str| format!("{top}/{rel}");
    let mut listed = BTreeSet::new();
    let Some(text) = bag.get(manifest).and_then(|e| e.text.as_deref()) else { return listed };
    let alg = manifest.split_once('-').map_or("", |(_, r)| r).trim_end_matches(".txt");
    let pick: Option<fn(&Digests) -> String> = match alg {
        "sha256" => Some(|d| hex(&d.sha256)),
        "sha512" => Some(|d| hex(&d.sha512)),
        _ => {
            report.problem(full(manifest), format!("the algorithm {alg} cannot be checked by pressroom verify"));
            None
        }
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let Some((sum, path)) = line.split_once([' ', '\t']) else {
            report.problem(full(manifest), format!("line {} is not \"CHECKSUM PATH\"", i + 1));
            continue;
        };
        let rel = decode_path(path.trim_start_matches([' ', '\t']));
        if !listed.insert(rel.clone()) {
            report.problem(full(manifest), format!("line {} lists {rel:?} a second time", i + 1));
            continue;
        }
        let Some(entry) = bag.get(rel.as_str()) else {
            report.problem(full(&rel), format!("listed in {manifest} but missing from the ZIP"));
            continue;
        };
        if let (Some(pick), Some(digests)) = (pick, &entry.digests)
            && !pick(digests).eq_ignore_ascii_case(sum)
        {
            report.problem(full(&rel), format!("its {alg} does not match {manifest} (line {})", i + 1));
        }
    }
    listed
}

#[cfg(test)]
mod tests {
    use super::super::bag::{Bag, PayloadFile};
    use super::super::zip_writer::{DosTime, ZipWriter};
    use super::*;

    /// A bag of `files` as a ZIP in a temporary file; `tamper` may edit the
    /// tag files before they are written.
    fn bag_zip(files: &[(&str, &[u8])], tamper: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> tempfile::NamedTempFile {
        let payload: Vec<PayloadFile> = files.iter().map(|(p, b)| PayloadFile::of_bytes(p.to_string(), b)).collect();
        let oxum = Bag::payload_oxum(&payload);
        let bag = Bag::new(vec![("Payload-Oxum", oxum)], payload);
        let time = DosTime::new(jiff::civil::date(2021, 1, 1).at(0, 0, 0, 0));
        let mut zip = ZipWriter::new(Vec::new());
        for (path, bytes) in bag.tag_files() {
            let bytes = tamper(&path, bytes);
            zip.add_deflated(&format!("b/{path}"), &bytes, time).unwrap();
        }
        for (path, bytes) in files {
            zip.add_deflated(&format!("b/{path}"), bytes, time).unwrap();
        }
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, &zip.finish().unwrap()).unwrap();
        file
    }

    #[test]
    fn bytes_that_are_no_zip_are_a_problem_of_the_bundle() {
        for bytes in [&b""[..], b"PK\x03\x04", b"PK\x05\x06", b"not a zip", &[0u8; 22]] {
            let report = verify_reader(std::io::Cursor::new(bytes), "x.zip").unwrap();
            assert!(report.problems.iter().any(|p| p.entry == "x.zip"), "{bytes:?}: {:?}", report.problems);
        }
    }

    /// Found by `fuzz/fuzz_targets/verify.rs`: a ZIP without its central
    /// directory whose first entry uses an unknown compression method (209)
    /// ended `verify` as an I/O failure (exit 3) rather than a problem.
    #[test]
    fn an_unknown_compression_method_in_a_truncated_zip_is_a_problem() {
        let crash =
            include_bytes!("../../tests/fixtures/fuzz-regressions/verify-unknown-method-no-central-directory.zip");
        let report = verify_reader(std::io::Cursor::new(crash), "crash.zip").unwrap();
        assert!(report.problems.iter().any(|p| p.message.contains("not a complete ZIP")), "{:?}", report.problems);
        // The same, reduced: one local header, method 209, and nothing else.
        let mut zip = b"PK\x03\x04\x14\x00\x00\x00\xd1\x00\x00\x00\x00\x00".to_vec();
        zip.extend_from_slice(&[0; 4]); // CRC
        zip.extend_from_slice(&1u32.to_le_bytes());
        zip.extend_from_slice(&1u32.to_le_bytes());
        zip.extend_from_slice(&[1, 0, 0, 0]); // name length 1, no extra field
        zip.extend_from_slice(b"ax");
        let report = verify_reader(std::io::Cursor::new(zip), "small.zip").unwrap();
        let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert!(shown.iter().any(|p| p.starts_with("a: cannot be read")), "{shown:?}");
    }

    #[test]
    fn an_intact_bag_with_a_percent_in_a_name() {
        let zip = bag_zip(&[("data/50% off.pdf", b"%PDF-1"), ("data/a.txt", b"a")], |_, b| b);
        let report = verify(zip.path()).unwrap();
        assert!(report.intact(), "{:?}", report.problems);
        assert_eq!((report.top.as_deref(), report.payload_files, report.payload_octets), (Some("b"), 2, 7));
    }

    #[test]
    fn a_wrong_oxum_and_a_bad_manifest_line_are_named() {
        let zip = bag_zip(&[("data/a.txt", b"a")], |path, bytes| match path {
            "bag-info.txt" => b"Payload-Oxum: 2.1\n".to_vec(),
            "manifest-sha256.txt" => {
                let mut text = String::from_utf8(bytes).unwrap();
                text.push_str("00  data/gone.txt\nnot-a-line\n");
                text.into_bytes()
            }
            _ => bytes,
        });
        let report = verify(zip.path()).unwrap();
        let shown: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "b/bag-info.txt: Payload-Oxum is 2.1 but the payload is 1.1 (octets.files)",
                "b/bag-info.txt: its sha256 does not match tagmanifest-sha256.txt (line 2)",
                "b/bag-info.txt: its sha512 does not match tagmanifest-sha512.txt (line 2)",
                "b/data/gone.txt: listed in manifest-sha256.txt but missing from the ZIP",
                "b/manifest-sha256.txt: its sha256 does not match tagmanifest-sha256.txt (line 3)",
                "b/manifest-sha256.txt: its sha512 does not match tagmanifest-sha512.txt (line 3)",
                "b/manifest-sha256.txt: line 3 is not \"CHECKSUM PATH\"",
            ]
        );
    }
}
