//! `pressroom verify BUNDLE.zip`: checks a bundle as an archivist would,
//! without unzipping it to disk. Each entry is streamed once through the
//! hashers (SHA-256 and SHA-512), so memory stays flat whatever the PDFs'
//! size; only the tag files' text is kept, up to `MAX_TAG_FILE` each.
//!
//! Checked: entry names (UTF-8, relative, no `..`, no duplicates), a single
//! top folder, `bagit.txt`, `bag-info.txt` and its Payload-Oxum, every line
//! of every payload and tag manifest, payload files missing from a manifest
//! or listed but absent, tag files a tag manifest leaves out, and the ZIP's
//! own CRCs. Each problem names the ZIP entry (or the bundle file itself when
//! it is not a readable ZIP). A truncated ZIP has no central directory: its
//! entries are then read in order from the start, to name the one cut off.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use super::bag::decode_path;
use super::digest::{CHUNK, Digests, Hasher, hex};
use super::zip_writer::check_name;
use crate::error::{IoContext, Result};

/// Tag files larger than this are not parsed (a manifest of a million files
/// is about 200 MB with SHA-512).
pub const MAX_TAG_FILE: u64 = 256 << 20;

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
    let mut report = Report::default();
    let mut archive = match zip::ZipArchive::new(BufReader::new(file)) {
        Ok(archive) => archive,
        Err(zip::result::ZipError::Io(e)) if e.kind() != io::ErrorKind::UnexpectedEof => return Err(e).at(path),
        Err(e) => {
            report.problem(&shown, format!("not a complete ZIP file ({e}); it may be truncated"));
            scan_stream(path, &mut report)?;
            report.problems.sort();
            return Ok(report);
        }
    };

    // Every entry, read once.
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let mut tops = BTreeSet::new();
    for i in 0..archive.len() {
        let mut file = match archive.by_index(i) {
            Ok(file) => file,
            Err(e) => {
                report.problem(&shown, format!("entry {} cannot be read: {e}", i + 1));
                continue;
            }
        };
        let Ok(name) = std::str::from_utf8(file.name_raw()).map(str::to_owned) else {
            report.problem(String::from_utf8_lossy(file.name_raw()), "the name is not UTF-8");
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
        let rel = name.split_once('/').map_or("", |(_, r)| r);
        let keep_text = !rel.contains('/') && rel.ends_with(".txt");
        let entry = read_entry(&mut file, keep_text, &name, &mut report);
        entries.insert(name, entry);
    }
    drop(archive);

    let top = match tops.len() {
        1 => tops.into_iter().next().expect("one"),
        0 => {
            report.problem(&shown, "the ZIP holds no bag (no top folder)");
            report.problems.sort();
            return Ok(report);
        }
        _ => {
            let list: Vec<_> = tops.iter().map(String::as_str).collect();
            report.problem(&shown, format!("more than one top folder: {}", list.join(", ")));
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

/// Streams one entry through the hashers; a read error (bad CRC, truncated
/// data, bad deflate stream) is a problem of that entry.
fn read_entry(reader: &mut impl Read, keep_text: bool, name: &str, report: &mut Report) -> Entry {
    let mut hasher = Hasher::new();
    let mut text: Option<Vec<u8>> = keep_text.then(Vec::new);
    let mut buf = vec![0u8; CHUNK];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
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
            Err(e) => {
                report.problem(name, format!("cannot be read: {e} (damaged or truncated)"));
                return Entry { digests: None, text: None };
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
    Entry { digests: Some(hasher.finish()), text }
}

/// A ZIP without its central directory: read the local entries in order to
/// name the first one that is cut off or damaged.
fn scan_stream(path: &Path, report: &mut Report) -> Result<()> {
    let mut reader = BufReader::new(File::open(path).at(path)?);
    let mut count = 0usize;
    loop {
        match zip::read::read_zipfile_from_stream(&mut reader) {
            Ok(Some(mut file)) => {
                let name = String::from_utf8_lossy(file.name_raw()).into_owned();
                let before = report.problems.len();
                read_entry(&mut file, false, &name, report);
                if report.problems.len() > before {
                    return Ok(());
                }
                count += 1;
            }
            Ok(None) => return Ok(()),
            Err(e) => {
                let shown = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
                report.problem(shown, format!("cut off or damaged after its first {count} entries: {e}"));
                return Ok(());
            }
        }
    }
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
