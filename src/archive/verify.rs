//! `pressroom verify BUNDLE.zip`: checks a bundle as an archivist would,
//! without unzipping it to disk: nothing is ever written anywhere. (A bag
//! kept as a folder is read by `verify_dir`; both hand their files to the
//! same bag checks, `verify_bag`.) Each entry
//! is streamed once through the hashers (SHA-256 and SHA-512), so memory stays
//! flat whatever the PDFs' size; only the tag files' text is kept, up to
//! `MAX_TAG_FILE` each.
//!
//! Checked: entry names (UTF-8, relative, no `..`, no backslash, no drive
//! letter, no duplicates), local headers against the central directory (name,
//! method, sizes, CRC), entries that overlap, declared sizes against the
//! inflated ones, a single top folder, `bagit.txt`, `bag-info.txt`'s
//! Payload-Oxum when there is one, every line of every payload and tag
//! manifest, payload files missing from a manifest or listed but absent,
//! `fetch.txt` paths that are not under `data/`, and the ZIP's own CRCs. Each problem names the ZIP entry (or the bundle file itself
//! when it is not a readable ZIP) as the bundle writes it, control
//! characters and all: `report` makes it safe to print. A truncated ZIP has
//! no central directory: its entries are then read in order from the start,
//! to name the one cut off.
//!
//! Limits, so that a hostile ZIP costs bounded time and memory, set by the
//! sizes the central directory declares and the bytes actually inflated, not
//! by a ratio alone: an entry is never inflated past its declared size (the
//! `zip` crate stops there), and entries that overlap are not inflated. An
//! entry declaring more than `MAX_RATIO` times its compressed size (plus
//! `RATIO_SLACK`) is inflated too, as long as all such entries together
//! declare at most `HIGH_RATIO_BUDGET` (a valid 50 MiB of zeros passes; a
//! gigabyte bomb does not). So all inflated bytes stay under about
//! `MAX_RATIO` + 53 times the ZIP's size plus `HIGH_RATIO_BUDGET`. A ZIP
//! read without its central directory gets a budget of `MAX_RATIO` times its
//! size for all its entries together.
//!
//! Not damage, but said (`Report::notes`): MD5 and SHA-1 manifests, checked
//! but weak; files beside the bag's folder (`__MACOSX/`, `.DS_Store`), named
//! and not checked; files `fetch.txt` says are to be fetched. Warnings
//! (`Report::warnings`) for what other tools may read otherwise: a manifest
//! line twice, `sha256sum -b`'s `*`, names alike but for case or Unicode
//! normalisation. Neither damage nor intact (`Report::unchecked`, exit 5):
//! entries compressed with a method verify cannot read, a bag whose only
//! payload manifests use an algorithm it does not know.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use zip::CompressionMethod;
use zip::read::ZipReadOptions;
use zip::result::ZipError;

use super::verify_bag::{Source, check_bag, warn_alike_names};
use super::verify_read::{ReadEntry, extra_algorithms, header_names, is_damage, not_a_zip, read_entry, scan_stream};
pub use super::verify_report::{Problem, Report};

use super::digest::CHUNK;
use super::zip_writer::{FLAG_UTF8, check_name};
use crate::error::{Error, IoContext, Result};

/// An entry may declare at most this many bytes per compressed byte (plus
/// `RATIO_SLACK`), or it is not inflated. Deflate itself tops out near
/// 1032:1 (long runs of one byte); what pressroom writes is far below 100:1
/// (PDFs are stored, its text files deflate about 5:1).
pub const MAX_RATIO: u64 = 100;
/// Bytes every entry may declare on top of `MAX_RATIO` (tiny files deflate
/// badly, and an empty deflate stream is 2 bytes).
pub const RATIO_SLACK: u64 = 4096;
/// What all entries past `MAX_RATIO` may declare together: well-compressing
/// payloads are valid (a scan of blank pages, a log), a bomb declares more.
pub const HIGH_RATIO_BUDGET: u64 = 256 << 20;

/// Checks the bundle at `path`: a ZIP, or a bag's folder. `Err` only when
/// it cannot be opened or read at all; everything wrong with its content is
/// in the report.
pub fn verify(path: &Path) -> Result<Report> {
    // The path given is followed if it is a link (the user chose it); links
    // inside the bag are not.
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return super::verify_dir::verify_dir(path);
    }
    let shown = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut file = match crate::content::regular::open(path) {
        Ok(file) => file,
        // A FIFO or a device: reading it would hang or never end.
        Err(e) if e.kind() == io::ErrorKind::InvalidInput => {
            return Err(Error::Unverifiable { path: path.to_owned(), what: e.to_string() });
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    if let Some(what) = not_a_zip(&mut file).at(path)? {
        return Err(Error::Unverifiable { path: path.to_owned(), what: what.to_owned() });
    }
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
    let names: Vec<String> = archive.file_names_raw().map(|n| String::from_utf8_lossy(n).into_owned()).collect();
    let mut plan = plan(&mut archive, &names, &mut report)?;
    let directory = archive.central_directory_start();
    refuse_overlaps(&mut plan, directory, &names, &mut report);
    let duplicates = archive.has_duplicate_names();
    let read = read_entries(&mut archive, &names, &plan, duplicates, &mut report)?;
    let raw = header_names(archive.into_inner(), directory)?;
    check_header_names(&raw, &names, duplicates, shown, &mut report);
    warn_alike_names(read.entries.keys(), &mut report);
    let Some(top) = find_bag(read.tops, &read.loose, &read.entries, shown, &mut report) else {
        report.problems.sort();
        return Ok(report);
    };
    let prefix = if top.is_empty() { String::new() } else { format!("{top}/") };
    let bag: BTreeMap<&str, &ReadEntry> =
        read.entries.iter().filter_map(|(name, e)| Some((name.strip_prefix(&prefix)?, e))).collect();
    check_bag(&top, &bag, Source::Zip, &mut report);
    Ok(report.finished(top))
}

/// The compression methods of the ZIP specification (APPNOTE 4.4.5) besides
/// stored and deflate, which the `zip` crate reads only with features this
/// build leaves out; an entry using one cannot be checked, and is not
/// damaged for that. Other method numbers are damage.
const SPEC_METHODS: &[(CompressionMethod, &str)] = &[
    (CompressionMethod::BZIP2, "bzip2"),
    (CompressionMethod::LZMA, "LZMA"),
    (CompressionMethod::ZSTD, "Zstandard"),
    (CompressionMethod::XZ, "xz"),
    (CompressionMethod::DEFLATE64, "Deflate64"),
    (CompressionMethod::PPMD, "PPMd"),
    (CompressionMethod::IMPLODE, "Implode"),
    (CompressionMethod::AES, "AES encryption"),
];

/// What to do with each entry, decided from the headers before anything is
/// inflated.
struct InflatePlan {
    /// Inflated and checked; false for entries refused (bomb, method, size).
    inflate: Vec<bool>,
    /// Already reported as unreadable.
    unreadable: Vec<bool>,
    /// Each entry's bytes: (header start, data end, index).
    spans: Vec<(u64, u64, usize)>,
}

/// Each entry's place and sizes, before anything is inflated.
fn plan<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    names: &[String],
    report: &mut Report,
) -> io::Result<InflatePlan> {
    let mut plan =
        InflatePlan { inflate: vec![true; names.len()], unreadable: vec![false; names.len()], spans: Vec::new() };
    let mut high_ratio = 0u64;
    for (i, name) in names.iter().enumerate() {
        let file = match archive.by_index_raw(i) {
            Ok(file) => file,
            Err(ZipError::Io(e)) if !is_damage(&e) => return Err(e),
            Err(e) => {
                report.problem(name, format!("cannot be read: {e}"));
                (plan.inflate[i], plan.unreadable[i]) = (false, true);
                continue;
            }
        };
        let (compressed, size) = (file.compressed_size(), file.size());
        let limit = compressed.saturating_mul(MAX_RATIO).saturating_add(RATIO_SLACK);
        let why_not = match file.compression() {
            CompressionMethod::Stored if size != compressed => {
                Some(format!("is stored, yet declares {size} bytes in {compressed}"))
            }
            CompressionMethod::Deflated if size > limit => {
                high_ratio = high_ratio.saturating_add(size);
                (high_ratio > HIGH_RATIO_BUDGET).then(|| {
                    format!(
                        "declares {size} bytes from {compressed} compressed, more than {MAX_RATIO} to 1, past the \
                         {} MiB verify inflates at such ratios (a ZIP bomb?)",
                        HIGH_RATIO_BUDGET >> 20
                    )
                })
            }
            CompressionMethod::Stored | CompressionMethod::Deflated => None,
            // A method of the ZIP specification that this build does not
            // read: other tools write such ZIPs (Python's zipfile, 7-Zip),
            // so it is no damage, but its bytes cannot be checked.
            other if let Some(&(_, method)) = SPEC_METHODS.iter().find(|(m, _)| *m == other) => {
                report.cannot_check(
                    name,
                    format!(
                        "is compressed with {method}, which pressroom verify cannot read: not checked; unzip it \
                         and check the folder (`bagit.py --validate`), or zip it again with deflate"
                    ),
                );
                (plan.inflate[i], plan.unreadable[i]) = (false, true);
                None
            }
            other => Some(format!("uses the compression method {other}, which no bundle uses")),
        };
        if let Some(why) = why_not {
            report.problem(name, format!("{why}: not read"));
            plan.inflate[i] = false;
        }
        if let Some(data) = file.data_start() {
            plan.spans.push((file.header_start(), data.saturating_add(compressed), i));
        }
    }
    Ok(plan)
}

/// Entries may not share bytes with each other or the central directory.
fn refuse_overlaps(plan: &mut InflatePlan, directory: u64, names: &[String], report: &mut Report) {
    plan.spans.sort_unstable();
    let mut last: Option<(u64, usize)> = None;
    for &(start, end, i) in &plan.spans {
        if let Some((last_end, j)) = last
            && start < last_end
        {
            report.problem(&names[i], format!("overlaps the entry {}: not read", names[j]));
            plan.inflate[i] = false;
            plan.inflate[j] = false;
        }
        if end > directory {
            report.problem(&names[i], "reaches into or past the central directory: not read");
            plan.inflate[i] = false;
        }
        if last.is_none_or(|(last_end, _)| end > last_end) {
            last = Some((end, i));
        }
    }
}

/// The entries as read: each by name, the top folders, and the names
/// outside any folder.
struct ReadEntries {
    entries: BTreeMap<String, ReadEntry>,
    /// The symbolic links, by name, each with its target as stored.
    links: BTreeMap<String, Vec<u8>>,
    tops: BTreeSet<String>,
    loose: Vec<String>,
}

/// Whether `file` names a tag file the bag checks read the text of.
fn is_read_tag_file(file: &str) -> bool {
    matches!(file, "bagit.txt" | "bag-info.txt" | "package-info.txt" | "fetch.txt")
        || (file.starts_with("manifest-") || file.starts_with("tagmanifest-")) && file.ends_with(".txt")
}

/// A symbolic link's target is a path: no longer than Linux's PATH_MAX.
const MAX_LINK: u64 = 4096;

/// Links to follow at most from one link, as Linux's `MAXSYMLINKS`.
const MAX_HOPS: usize = 40;

/// The symbolic links of the ZIP (entries whose Unix mode says so, as `zip
/// -y` and `7zz a -snl` store them), read as those of a bag folder are: one
/// to a regular file of its own top folder is checked as that file, with a
/// warning (another tool may copy the link only); one leading out of it,
/// to a folder or to nothing is a problem, not followed. Returns the links
/// whose text is kept (`keeps_text`) to files whose text was not, each
/// with the file it leads to.
fn follow_links(read: &mut ReadEntries, report: &mut Report) -> Vec<(String, String)> {
    let mut unread = Vec::new();
    for name in read.links.keys() {
        let shown = String::from_utf8_lossy(&read.links[name]).into_owned();
        match link_target(name, &read.links, &read.entries) {
            Ok(rel) => {
                let entry = read.entries[&rel].clone();
                if keeps_text(name) && entry.text.is_none() && entry.digests.is_some() {
                    unread.push((name.clone(), rel.clone()));
                }
                report.warn(
                    name,
                    format!("a symbolic link to {shown}, inside the bag: checked as that file; a copy may hold the link only"),
                );
                read.entries.insert(name.clone(), entry);
            }
            Err(why) => report.problem(name, format!("a symbolic link to {shown}, {why}: not followed")),
        }
    }
    unread
}

/// The file entry the link `name` leads to, through other links, if it is
/// in the link's own top folder; else why not.
fn link_target(
    name: &str,
    links: &BTreeMap<String, Vec<u8>>,
    entries: &BTreeMap<String, ReadEntry>,
) -> std::result::Result<String, &'static str> {
    let top = name.split('/').next().unwrap_or_default();
    let mut at = name.to_owned();
    for _ in 0..MAX_HOPS {
        let Ok(target) = std::str::from_utf8(&links[&at]) else { return Err("which is not UTF-8") };
        if target.starts_with('/') {
            return Err("leading out of the bag");
        }
        let mut parts: Vec<&str> = at.split('/').collect();
        parts.pop();
        for segment in target.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                segment => parts.push(segment),
            }
        }
        if parts.first() != Some(&top) || parts.len() < 2 {
            return Err("leading out of the bag");
        }
        let rel = parts.join("/");
        if entries.contains_key(&rel) {
            return Ok(rel);
        }
        if !links.contains_key(&rel) {
            let folder = format!("{rel}/");
            let is_folder = entries.keys().chain(links.keys()).any(|k| k.starts_with(&folder));
            return Err(if is_folder { "a folder, not a regular file" } else { "which does not exist" });
        }
        at = rel;
    }
    Err("in a loop of links")
}

/// Every entry, read once. The `zip` crate keeps one entry per name: with
/// duplicates it can no longer match local headers to central ones.
fn read_entries<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    names: &[String],
    plan: &InflatePlan,
    duplicates: bool,
    report: &mut Report,
) -> io::Result<ReadEntries> {
    let extra = extra_algorithms(names.iter().map(String::as_str));
    let options = || ZipReadOptions::new().enforce_header_consistency(!duplicates);
    let mut read =
        ReadEntries { entries: BTreeMap::new(), links: BTreeMap::new(), tops: BTreeSet::new(), loose: Vec::new() };
    let mut buf = vec![0u8; CHUNK];
    for (i, shown_name) in names.iter().enumerate() {
        let mut file = match archive.by_index_with_options(i, options()) {
            Ok(file) => file,
            Err(ZipError::Io(e)) if !is_damage(&e) => return Err(e),
            Err(e) => {
                if !plan.unreadable[i] {
                    report.problem(shown_name, format!("cannot be read: {e}"));
                }
                continue;
            }
        };
        let name = match std::str::from_utf8(file.name_raw()) {
            Ok(name) => name.to_owned(),
            // APPNOTE appendix D: a name without bit 11 is in code page
            // 437, as DOS and Windows zip tools wrote them (Python's
            // zipfile and 7-Zip read it so too).
            Err(_) if file.flags().as_u16() & FLAG_UTF8 == 0 => {
                let Ok(name) = file.name().map(|n| n.into_owned()) else {
                    report.problem(shown_name, "the name is neither UTF-8 nor code page 437");
                    continue;
                };
                report.note(&name, "its name is not UTF-8: read in code page 437, as the ZIP format says");
                name
            }
            Err(_) => {
                report.problem(shown_name, "the name is not UTF-8, though its header says it is");
                continue;
            }
        };
        let is_dir = name.ends_with('/');
        if let Err(e) = check_name(name.strip_suffix('/').unwrap_or(&name)) {
            report.problem(&name, format!("unsafe name: {e}"));
            continue;
        }
        if read.entries.contains_key(&name) {
            report.problem(&name, "appears twice in the ZIP");
            continue;
        }
        match name.split_once('/') {
            Some((top, _)) => {
                read.tops.insert(top.to_owned());
            }
            None => read.loose.push(name.clone()),
        }
        if is_dir {
            continue;
        }
        if file.is_symlink() {
            // Its bytes are the link's target: followed once every entry is read.
            // One not read has been said already.
            if !plan.inflate[i] {
                continue;
            }
            let mut target = Vec::new();
            match file.by_ref().take(MAX_LINK).read_to_end(&mut target) {
                Ok(_) => {}
                Err(e) if !is_damage(&e) => return Err(e),
                Err(e) => {
                    report.problem(&name, format!("cannot be read: {e}"));
                    continue;
                }
            }
            read.links.insert(name, target);
            continue;
        }
        let entry = if plan.inflate[i] {
            let declared = file.size();
            let entry = read_entry(&mut file, &mut buf, (keeps_text(&name), &extra), declared, &name, report)?;
            if let Some(d) = entry.digests
                && d.size != declared
            {
                report.problem(&name, format!("holds {} bytes, its headers declare {declared}", d.size));
            }
            entry
        } else {
            ReadEntry { digests: None, extra: Vec::new(), text: None }
        };
        read.entries.insert(name, entry);
    }
    // A tag file stored as a link to a file whose text was not kept (one
    // of the payload's): that file read again, for its text.
    for (link, target) in follow_links(&mut read, report) {
        let Some(i) = names.iter().position(|n| *n == target) else { continue };
        let mut file = match archive.by_index_with_options(i, options()) {
            Ok(file) => file,
            Err(ZipError::Io(e)) if !is_damage(&e) => return Err(e),
            Err(_) => continue, // said when it was read first
        };
        let declared = file.size();
        let entry = read_entry(&mut file, &mut buf, (true, &extra), declared, &target, &mut Report::default())?;
        read.entries.insert(link, entry);
    }
    Ok(read)
}

/// Whether the text of the entry `name` is kept, for the bag checks to
/// read. The bag's top folder is not known yet: the text of a `.txt` at
/// the root or one folder down is, and of a tag file two down (a bag
/// zipped from above its parent, said later).
fn keeps_text(name: &str) -> bool {
    match name.matches('/').count() {
        0 | 1 => name.ends_with(".txt"),
        2 => is_read_tag_file(name.rsplit('/').next().unwrap_or_default()),
        _ => false,
    }
}

/// The names as the central directory's headers write them (`raw`): the
/// `zip` crate keeps one entry per name, and takes a Unicode Path extra
/// field (0x7075) over the header's name.
fn check_header_names(raw: &[Vec<u8>], names: &[String], duplicates: bool, shown: &str, report: &mut Report) {
    let known: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    let mut counts: BTreeMap<&[u8], usize> = BTreeMap::new();
    for name in raw {
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
}

/// The bag: the one top folder with a bagit.txt; anything beside it
/// (`__MACOSX/`, `.DS_Store`) is named, not checked. Else the one folder
/// deeper with a bagit.txt, or the ZIP's root (`""`) when it holds one,
/// each a problem. `None` when the ZIP holds no folder at all.
fn find_bag(
    tops: BTreeSet<String>,
    loose: &[String],
    entries: &BTreeMap<String, ReadEntry>,
    shown: &str,
    report: &mut Report,
) -> Option<String> {
    let bags: Vec<&String> = tops.iter().filter(|t| entries.contains_key(&format!("{t}/bagit.txt"))).collect();
    // Zipped from inside its folder (`cd bag && zip -r ../bag.zip .`), or
    // from above its parent: said as such, and the bag checked where it is.
    if bags.is_empty() {
        let nested: Vec<&str> = entries.keys().filter_map(|k| k.strip_suffix("/bagit.txt")).collect();
        let (top, why) = match nested.as_slice() {
            _ if loose.iter().any(|n| n == "bagit.txt") => {
                (String::new(), "bagit.txt is at the ZIP's root: the bag was zipped from inside its folder".to_owned())
            }
            [folder] if folder.contains('/') => {
                (folder.to_string(), format!("the bag is {folder}/, below the ZIP's top"))
            }
            _ => (String::new(), String::new()),
        };
        if !why.is_empty() {
            report.problem(shown, format!("{why}, where RFC 8493 §4 wants it as the ZIP's one top folder"));
            return Some(top);
        }
    }
    match (bags.as_slice(), tops.len()) {
        ([bag], _) => {
            let bag = (*bag).clone();
            for other in tops.iter().filter(|t| **t != bag) {
                let n = entries.keys().filter(|k| k.starts_with(&format!("{other}/"))).count();
                report.note(format!("{other}/"), format!("beside the bag ({n} entries): not part of it, not checked"));
            }
            for name in loose {
                report.note(name, "beside the bag: not part of it, not checked");
            }
            Some(bag)
        }
        (_, 0) => {
            for name in loose {
                report.problem(name, "is outside the bag's top folder");
            }
            report.problem(shown, "the ZIP holds no bag (no top folder)");
            None
        }
        (_, n) => {
            for name in loose {
                report.problem(name, "is outside the bag's top folder");
            }
            if n > 1 {
                let list: Vec<_> = tops.iter().map(String::as_str).collect();
                report.problem(shown, format!("more than one top folder: {}", list.join(", ")));
            }
            Some(tops.into_iter().next().unwrap_or_default())
        }
    }
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
