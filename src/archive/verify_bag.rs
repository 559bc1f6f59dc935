//! The checks of `pressroom verify` on the bag itself (RFC 8493, and the
//! drafts 0.93 to 0.97 that older bags declare), once its files have been
//! read, from a ZIP or a folder: `bagit.txt` (UTF-8 without a byte-order
//! mark, its version and tag file encoding), then each tag file decoded in
//! that encoding: `bag-info.txt`'s Payload-Oxum (`package-info.txt` before
//! 0.96; both optional), every line of every payload and tag manifest
//! (SHA-256, SHA-512, SHA-224, SHA-384, BLAKE2b, BLAKE2s, and the weak MD5
//! and SHA-1; paths percent-decoded, coreutils' `*` and a leading `./` read
//! too), files missing from a manifest or listed but absent, and the files
//! `fetch.txt` says are to be fetched (each under `data/`).

use std::collections::{BTreeMap, BTreeSet};

use unicode_normalization::UnicodeNormalization;

use super::bag::decode_path;
use super::digest::hex;
use super::verify_read::{EXTRA, ReadEntry};
use super::verify_report::Report;

/// Where the bag's files come from, for the words of the problems: the
/// checks here are the same for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Zip,
    Folder,
}

impl Source {
    /// As in "missing from the ZIP".
    pub(super) fn name(self) -> &'static str {
        match self {
            Source::Zip => "the ZIP",
            Source::Folder => "the folder",
        }
    }
}

/// Names that differ only in case or Unicode normalisation (`é` as one
/// code point or as `e` and an accent): valid, and checked as two files,
/// but unzipped on macOS or Windows (or on a case-insensitive disk) one
/// overwrites the other, and a tool comparing names after normalising them
/// takes one for the other. A warning on each name after the first.
pub(super) fn warn_alike_names<'a>(names: impl Iterator<Item = &'a String>, report: &mut Report) {
    let mut first: BTreeMap<String, &str> = BTreeMap::new();
    for name in names {
        let key: String = name.nfc().collect::<String>().to_lowercase().nfc().collect();
        match first.get(&key) {
            Some(other) => {
                // The two may print alike: say how they differ.
                let how = if name.nfc().eq(other.nfc()) {
                    "only in Unicode normalisation (the same text in other code points)"
                } else if name.to_lowercase() == other.to_lowercase() {
                    "only in case"
                } else {
                    "only in case and Unicode normalisation"
                };
                report.warn(
                    name,
                    format!(
                        "differs from the entry {other} {how}: unzipped on macOS or Windows, one overwrites the other"
                    ),
                );
            }
            None => {
                first.insert(key, name);
            }
        }
    }
}

/// The bag as read, with what `bagit.txt` declares: each check reads its
/// tag files through `text`, in the declared encoding.
struct ReadBag<'a> {
    top: &'a str,
    entries: &'a BTreeMap<&'a str, &'a ReadEntry>,
    source: Source,
    version: Version,
    encoding: Encoding,
}

impl ReadBag<'_> {
    /// `rel` as the problems name it, under the bag's top folder.
    fn full(&self, rel: &str) -> String {
        match self.top {
            // A bag zipped from inside its folder has none.
            "" => rel.to_owned(),
            top => format!("{top}/{rel}"),
        }
    }

    fn has(&self, rel: &str) -> bool {
        self.entries.contains_key(rel)
    }

    /// The text of the tag file `rel`, decoded, if it was read; a problem
    /// when its bytes are not of the declared encoding.
    fn text(&self, rel: &str, report: &mut Report) -> Option<String> {
        let bytes = self.entries.get(rel)?.text.as_deref()?;
        match decode(bytes, self.encoding) {
            Ok((text, false)) => Some(text),
            Ok((text, true)) => {
                // bagit-python warns too: RFC 8493 (§2.1.1) wants no BOM,
                // and tools that do not expect one read it into the first
                // line's checksum or label.
                report.warn(self.full(rel), "starts with a UTF-8 byte-order mark: read without it");
                Some(text)
            }
            Err(why) => {
                report.problem(self.full(rel), format!("is not {} text: {why}", self.encoding.name()));
                None
            }
        }
    }
}

/// The BagIt versions whose rules verify knows: 0.93 to 0.97 (the drafts
/// that bags still in repositories declare) and 1.0 (RFC 8493).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Version(u32, u32);

const RFC_8493: Version = Version(1, 0);

/// The tag file encodings verify decodes (`Tag-File-Character-Encoding`,
/// named as the IANA character set registry and Python's codecs name them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Ascii,
    Latin1,
    /// `UTF-16`: a byte-order mark says the order; without one, guessed.
    Utf16,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    fn named(name: &str) -> Option<Encoding> {
        let key: String = name.trim().to_ascii_lowercase().chars().filter(|c| !matches!(c, '-' | '_' | ' ')).collect();
        Some(match key.as_str() {
            "utf8" | "utf8sig" => Encoding::Utf8,
            "usascii" | "ascii" => Encoding::Ascii,
            "iso88591" | "latin1" | "l1" | "iso885911987" => Encoding::Latin1,
            "utf16" => Encoding::Utf16,
            "utf16le" => Encoding::Utf16Le,
            "utf16be" => Encoding::Utf16Be,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Ascii => "US-ASCII",
            Encoding::Latin1 => "ISO-8859-1",
            Encoding::Utf16 => "UTF-16",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
        }
    }
}

/// `bytes` decoded from `encoding`, and whether a UTF-8 byte-order mark
/// was dropped (a UTF-16 one belongs to the encoding). The error says why
/// not, at which byte.
fn decode(bytes: &[u8], encoding: Encoding) -> Result<(String, bool), String> {
    let utf16 = |bytes: &[u8], little: bool| -> Result<String, String> {
        if bytes.len() % 2 == 1 {
            return Err(format!("an odd number of bytes ({})", bytes.len()));
        }
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|p| if little { u16::from_le_bytes([p[0], p[1]]) } else { u16::from_be_bytes([p[0], p[1]]) })
            .collect();
        String::from_utf16(&units).map_err(|_| "an unpaired surrogate".to_owned())
    };
    match encoding {
        Encoding::Utf8 => {
            let (rest, bom) = match bytes.strip_prefix(b"\xef\xbb\xbf") {
                Some(rest) => (rest, true),
                None => (bytes, false),
            };
            match std::str::from_utf8(rest) {
                Ok(text) => Ok((text.to_owned(), bom)),
                Err(e) => Err(format!("byte {} is not UTF-8", e.valid_up_to() + usize::from(bom) * 3 + 1)),
            }
        }
        Encoding::Ascii => match bytes.iter().position(|b| !b.is_ascii()) {
            Some(at) => Err(format!("byte {} is not ASCII", at + 1)),
            None => Ok((bytes.iter().map(|&b| char::from(b)).collect(), false)),
        },
        // Every byte is the code point of the same value.
        Encoding::Latin1 => Ok((bytes.iter().map(|&b| char::from(b)).collect(), false)),
        Encoding::Utf16Le => utf16(bytes.strip_prefix(b"\xff\xfe").unwrap_or(bytes), true).map(|t| (t, false)),
        Encoding::Utf16Be => utf16(bytes.strip_prefix(b"\xfe\xff").unwrap_or(bytes), false).map(|t| (t, false)),
        Encoding::Utf16 => {
            if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
                utf16(rest, true).map(|t| (t, false))
            } else if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
                utf16(rest, false).map(|t| (t, false))
            } else {
                // No byte-order mark: RFC 2781 says big-endian, but Python
                // and Windows write little-endian. Tag files are mostly
                // ASCII (checksums, labels), whose high bytes are zero: the
                // side where the zeros are is the order.
                let zeros = |from: usize| bytes.iter().skip(from).step_by(2).filter(|&&b| b == 0).count();
                utf16(bytes, zeros(1) > zeros(0)).map(|t| (t, false))
            }
        }
    }
}

/// The lines of a tag file: RFC 8493 ends them with LF, CR LF or CR.
fn tag_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['\r', '\n']) {
        lines.push(&rest[..at]);
        let skip = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[at + skip..];
    }
    if !rest.is_empty() {
        lines.push(rest);
    }
    lines
}

/// The bag's own checks, over its entries by path from the top folder.
pub(super) fn check_bag(top: &str, entries: &BTreeMap<&str, &ReadEntry>, source: Source, report: &mut Report) {
    // The payload: every file under data/.
    let payload: Vec<(&str, &ReadEntry)> =
        entries.iter().filter(|(rel, _)| rel.starts_with("data/")).map(|(rel, e)| (*rel, *e)).collect();
    report.payload_files = payload.len() as u64;
    report.payload_octets = payload.iter().filter_map(|(_, e)| e.digests.map(|d| d.size)).sum();
    // A bagit.txt found damaged is said, and the rest read as RFC 8493
    // says, so that every problem is found in one run.
    let mut bag = ReadBag { top, entries, source, version: RFC_8493, encoding: Encoding::Utf8 };
    match check_bagit_txt(&bag, report) {
        Declared::Known(version, encoding) => (bag.version, bag.encoding) = (version, encoding),
        Declared::Broken => {}
        // Damage cannot be told from rules verify does not know.
        Declared::Unknown => return,
    }
    warn_system_files(&bag, &payload, report);
    let fetch = read_fetch(&bag, report);
    check_bag_info(&bag, &fetch, report);
    check_manifests(&bag, &payload, &fetch, report);
}

/// What `bagit.txt` declares.
enum Declared {
    Known(Version, Encoding),
    /// Missing or damaged (said).
    Broken,
    /// A version or an encoding verify does not know (said, as unchecked).
    Unknown,
}

/// bagit.txt: exactly two lines, in UTF-8 without a byte-order mark
/// (RFC 8493 §2.1.1; the drafts 0.93 to 0.97 say the same).
fn check_bagit_txt(bag: &ReadBag, report: &mut Report) -> Declared {
    let full = bag.full("bagit.txt");
    let Some(bytes) = bag.entries.get("bagit.txt").map(|e| e.text.as_deref()) else {
        report.problem(full, "missing: this is not a bag");
        return Declared::Broken;
    };
    // Not read (damaged, or compressed with a method verify cannot read):
    // said already.
    let Some(bytes) = bytes else { return Declared::Broken };
    let (text, bom) = match decode(bytes, Encoding::Utf8) {
        Ok(decoded) => decoded,
        Err(why) => {
            report.problem(full, format!("is not UTF-8, as every bagit.txt must be: {why}"));
            return Declared::Broken;
        }
    };
    // Damage (the conformance suite's bom-in-bagit.txt is invalid), but
    // what the two lines declare is still read.
    if bom {
        report.problem(&full, "starts with a byte-order mark, which bagit.txt must not have (RFC 8493 §2.1.1)");
    }
    // Blank lines after the two and blanks after a value are read past,
    // as bagit-python reads them, with a warning: RFC 8493 writes exactly
    // two lines, and a stricter tool may refuse them.
    let mut lines = tag_lines(&text);
    let blank_end = lines.iter().rev().take_while(|l| l.trim().is_empty()).count();
    lines.truncate(lines.len() - blank_end);
    let padded = lines.iter().any(|l| l.ends_with([' ', '\t']));
    let lines: Vec<&str> = lines.iter().map(|l| l.trim_end_matches([' ', '\t'])).collect();
    let version = lines.first().and_then(|l| l.strip_prefix("BagIt-Version: ")).and_then(|v| {
        let (major, minor) = v.split_once('.')?;
        let number = |s: &str| s.bytes().all(|c| c.is_ascii_digit()).then(|| s.parse::<u32>().ok()).flatten();
        Some(Version(number(major)?, number(minor)?))
    });
    let encoding = lines.get(1).and_then(|l| l.strip_prefix("Tag-File-Character-Encoding: "));
    let (Some(version), Some(encoding), 2) = (version, encoding, lines.len()) else {
        let what = "\"BagIt-Version: M.N\" and \"Tag-File-Character-Encoding: ENCODING\"";
        match lines.len() {
            2 => report.problem(full, format!("its two lines must be {what}")),
            n => report.problem(full, format!("must be two lines, {what}, not {n}")),
        }
        return Declared::Broken;
    };
    match (blank_end > 0, padded) {
        (false, false) => {}
        (true, false) => report.warn(&full, "ends with a blank line after its two: read without it"),
        (false, true) => report.warn(&full, "has blanks after a value: read without them"),
        (true, true) => {
            report.warn(&full, "has blanks after a value and a blank line after its two: read without them")
        }
    }
    let Version(major, minor) = version;
    let mut unknown = false;
    match version {
        Version(0, 93..=97) | RFC_8493 => {}
        // RFC 8493 §2.1.1: a minor version keeps the rules' meaning.
        Version(1, _) => report.warn(
            &full,
            format!("declares BagIt {major}.{minor}, newer than RFC 8493's 1.0: checked by the rules of 1.0"),
        ),
        _ => {
            report.cannot_check(
                &full,
                format!(
                    "declares BagIt {major}.{minor}, a version verify does not know (it knows 0.93 to 0.97 and \
                     1.0): the bag is not checked"
                ),
            );
            unknown = true;
        }
    }
    let encoding = match Encoding::named(encoding) {
        Some(known) => known,
        None => {
            report.cannot_check(
                &full,
                format!(
                    "declares its tag files in {encoding:?}, an encoding verify does not read (it reads UTF-8, \
                     US-ASCII, ISO-8859-1 and UTF-16): the bag is not checked"
                ),
            );
            return Declared::Unknown;
        }
    };
    if unknown { Declared::Unknown } else { Declared::Known(version, encoding) }
}

/// Files macOS and Windows write by themselves (Finder and Explorer
/// metadata) in the payload: valid, but rarely meant to be archived, and
/// copying tools drop them, which then breaks the bag (the conformance
/// suite's `special-system-files` asks for a warning).
fn warn_system_files(bag: &ReadBag, payload: &[(&str, &ReadEntry)], report: &mut Report) {
    for (rel, _) in payload {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let system = matches!(name, ".DS_Store" | "Thumbs.db" | "ehthumbs.db" | "desktop.ini" | "Icon\r")
            || name.starts_with("._")
            || rel.split('/').any(|s| matches!(s, ".Spotlight-V100" | ".Trashes" | ".fseventsd"));
        if system {
            report.warn(
                bag.full(rel),
                "a file macOS or Windows writes by itself: rarely meant to be archived, and copying tools often \
                 drop it, which breaks the bag",
            );
        }
    }
}

/// fetch.txt (RFC 8493 §2.2.3): `URL LENGTH PATH`, files to be fetched into
/// the bag. Those absent are said, not counted as missing. A path that is
/// not under `data/` is damage, and excuses nothing: a tool that fetched it
/// would write outside the payload, or outside the bag.
fn read_fetch(bag: &ReadBag, report: &mut Report) -> BTreeMap<String, String> {
    let mut fetch = BTreeMap::new();
    let text = bag.text("fetch.txt", report).unwrap_or_default();
    for (i, line) in tag_lines(&text).into_iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let mut parts = line.splitn(3, [' ', '\t']);
        match (parts.next(), parts.next(), parts.next()) {
            (Some(url), Some(length), Some(path)) => {
                // RFC 8493 §2.2.3 and the drafts since 0.96: a length in
                // octets, or `-` when it is not known.
                if length != "-" && (length.is_empty() || !length.bytes().all(|b| b.is_ascii_digit())) {
                    report.problem(
                        bag.full("fetch.txt"),
                        format!("line {}: the length {length:?} is neither a number of octets nor \"-\"", i + 1),
                    );
                }
                let rel = bag_path(path.trim_start_matches([' ', '\t']));
                if let Some(why) = outside_payload(&rel) {
                    report.problem(bag.full("fetch.txt"), format!("line {} names {rel:?}: {why}", i + 1));
                    continue;
                }
                // RFC 8493 §3: a bag is complete, and only then valid, when
                // every file fetch.txt lists is present. One not yet fetched
                // is no damage, but verify cannot say the bag is intact.
                if !bag.has(&rel) {
                    let source = bag.source.name();
                    let message = format!("to be fetched from {url} (fetch.txt): not in {source}, so not checked");
                    report.cannot_check(bag.full(&rel), message);
                }
                fetch.insert(rel, url.to_owned());
            }
            _ => report.problem(bag.full("fetch.txt"), format!("line {} is not \"URL LENGTH PATH\"", i + 1)),
        }
    }
    fetch
}

/// A path as a manifest or `fetch.txt` writes it, as the bag's entries name
/// it: `%25`, `%0D` and `%0A` decoded (RFC 8493 §2.1.3), and a leading `./`
/// dropped (`find . -type f | xargs sha256sum` writes one; bagit-python
/// normalises it away).
fn bag_path(path: &str) -> String {
    let rel = decode_path(path);
    match rel.strip_prefix("./") {
        Some(rest) => rest.to_owned(),
        None => rel,
    }
}

/// Why the fetch.txt path `rel` cannot name a file of the payload, if it
/// cannot: it must be relative to the bag and under `data/` (RFC 8493
/// §2.2.3). bagit-python refuses the paths that leave the bag, `~user` ones
/// included. A control character is refused too: the fetched file would be
/// named with it, and a NUL cuts the path short where a C library reads it.
fn outside_payload(rel: &str) -> Option<&'static str> {
    let bytes = rel.as_bytes();
    if rel.contains(char::is_control) {
        Some("it holds a control character")
    } else if rel.starts_with('/') || bytes.get(1) == Some(&b':') && bytes[0].is_ascii_alphabetic() {
        Some("it is absolute (or starts with a drive letter), outside the bag")
    } else if rel.contains('\\') {
        // Windows takes it for a separator: `data\..\..` climbs there.
        Some("it holds a backslash, a separator on Windows")
    } else if rel.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        Some("it has an empty, `.` or `..` segment, and may lead out of the bag")
    } else if !rel.starts_with("data/") {
        Some("it is not under data/, the payload")
    } else {
        None
    }
}

/// bag-info.txt (`package-info.txt` in BagIt 0.93 to 0.95) and its
/// Payload-Oxum. Both are optional (RFC 8493 §2.2.2): a bag without them is
/// valid, and only a Payload-Oxum present is checked.
fn check_bag_info(bag: &ReadBag, fetch: &BTreeMap<String, String>, report: &mut Report) {
    let names = if bag.version <= Version(0, 95) {
        ["package-info.txt", "bag-info.txt"]
    } else {
        ["bag-info.txt", "package-info.txt"]
    };
    // The other name is read when the version's own is absent: a bag
    // whose tool wrote the newer name under an older version, or the
    // reverse, still says its Payload-Oxum.
    let Some(name) = names.into_iter().find(|n| bag.has(n)) else { return };
    let Some(text) = bag.text(name, report) else { return };
    // Each Payload-Oxum given, with its line: RFC 8493 §2.2.2 allows one,
    // and a wrong one must not hide behind a right one.
    let mut oxums: Vec<(usize, &str)> = Vec::new();
    let lines = tag_lines(&text);
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            // A folded line continues the one before; the first line has none.
            if lines[..i].iter().all(|l| l.trim().is_empty()) {
                report.problem(
                    bag.full(name),
                    format!("line {} continues a line, but no \"Label: value\" comes before it", i + 1),
                );
            }
            continue;
        }
        match line.split_once(':') {
            Some((label, value)) if label.trim() == "Payload-Oxum" => oxums.push((i + 1, value.trim())),
            Some(_) => {}
            None => report.problem(bag.full(name), format!("line {} is not \"Label: value\"", i + 1)),
        }
    }
    if oxums.len() > 1 {
        let at: Vec<String> = oxums.iter().map(|(line, _)| line.to_string()).collect();
        report.problem(
            bag.full(name),
            format!("gives Payload-Oxum on {} lines ({}), which RFC 8493 allows once", at.len(), at.join(", ")),
        );
    }
    let actual = (report.payload_octets, report.payload_files);
    // A payload file not read (said already) has no size to add up.
    let all_read = bag.entries.iter().all(|(rel, e)| !rel.starts_with("data/") || e.digests.is_some());
    let unfetched = fetch.keys().any(|rel| !bag.has(rel));
    let source = bag.source.name();
    for (line, oxum) in oxums {
        let Some(declared) = parse_oxum(oxum) else {
            report.problem(bag.full(name), format!("line {line}: Payload-Oxum {oxum:?} is not OCTETS.FILES"));
            continue;
        };
        let actual_text = format!("{}.{}", actual.0, actual.1);
        if !all_read || declared == actual {
            continue;
        }
        if unfetched {
            report.note(
                bag.full(name),
                format!("Payload-Oxum is {oxum}, the payload in {source} {actual_text}: to be checked once fetched"),
            );
        } else {
            report.problem(
                bag.full(name),
                format!("Payload-Oxum is {oxum} but the payload is {actual_text} (octets.files)"),
            );
        }
    }
}

/// `OCTETS.FILES` as numbers: `06.1` is six octets in one file, as
/// bagit-python reads it.
fn parse_oxum(text: &str) -> Option<(u64, u64)> {
    let (octets, files) = text.split_once('.')?;
    let number = |s: &str| s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse::<u64>().ok()).flatten();
    Some((number(octets)?, number(files)?))
}

/// The bag's entries by their names in NFC, and in NFC lower case, for
/// manifest paths written in another normalisation or case.
struct Alike<'a> {
    normalised: BTreeMap<String, &'a str>,
    folded: BTreeMap<String, &'a str>,
}

fn fold(name: &str) -> String {
    name.nfc().collect::<String>().to_lowercase().nfc().collect()
}

/// The payload manifests and the tag manifests, and what each must list.
fn check_manifests(
    bag: &ReadBag,
    payload: &[(&str, &ReadEntry)],
    fetch: &BTreeMap<String, String>,
    report: &mut Report,
) {
    let mut alike = Alike { normalised: BTreeMap::new(), folded: BTreeMap::new() };
    for &rel in bag.entries.keys() {
        alike.normalised.entry(rel.nfc().collect()).or_insert(rel);
        alike.folded.entry(fold(rel)).or_insert(rel);
    }
    let manifests: Vec<&str> = bag.entries.keys().copied().filter(|r| is_manifest(r, "manifest-")).collect();
    let tag_manifests: Vec<&str> = bag.entries.keys().copied().filter(|r| is_manifest(r, "tagmanifest-")).collect();
    if manifests.is_empty() {
        report.problem(bag.full("manifest-sha256.txt"), "missing: the bag has no payload manifest");
    } else if !manifests.iter().any(|m| known_algorithm(m)) {
        let list: Vec<&str> =
            manifests.iter().map(|m| m.trim_start_matches("manifest-").trim_end_matches(".txt")).collect();
        report.cannot_check(
            bag.full(manifests[0]),
            format!(
                "the payload manifests use only {}, which verify does not know (it knows sha512, sha384, sha256, \
                 sha224, sha1, md5, blake2b and blake2s): the payload's checksums cannot be checked",
                list.join(", ")
            ),
        );
    }
    for &manifest in &manifests {
        let Some(listed) = check_manifest(bag, manifest, (fetch, &alike), report) else { continue };
        for (rel, _) in payload {
            if !listed.contains(*rel) {
                report.problem(bag.full(rel), format!("not listed in {manifest}"));
            }
        }
        for rel in listed.iter().filter(|r| !r.starts_with("data/")) {
            report.problem(bag.full(manifest), format!("lists {rel:?}, which is not under data/"));
        }
        // RFC 8493 §2.2.3: a file fetched but in no manifest could never
        // be checked; its bag is damaged now, not merely incomplete.
        for rel in fetch.keys().filter(|rel| !listed.contains(*rel)) {
            report.problem(
                bag.full("fetch.txt"),
                format!("lists {rel:?}, which {manifest} does not: every file to be fetched must be in every payload manifest"),
            );
        }
    }
    // A tag manifest need not list every tag file (RFC 8493 §2.2.1: a bag
    // may add tag files, `fetch.txt` among them, after its tag manifests
    // were written): what it lists is checked, what it leaves out is fine.
    // A payload manifest left out loses the tag manifest's protection,
    // which is worth a warning, not damage.
    for &manifest in &tag_manifests {
        let Some(listed) = check_manifest(bag, manifest, (fetch, &alike), report) else { continue };
        for rel in &listed {
            if is_manifest(rel, "tagmanifest-") {
                report.problem(bag.full(manifest), format!("lists the tag manifest {rel}"));
            }
        }
        for &payload_manifest in &manifests {
            if !listed.contains(payload_manifest) {
                report.warn(bag.full(payload_manifest), format!("not listed in {manifest}, so not protected by it"));
            }
        }
    }
}

/// Whether verify computes the checksums of the manifest `rel`'s algorithm.
fn known_algorithm(rel: &str) -> bool {
    let alg = rel.split_once('-').map_or("", |(_, r)| r).trim_end_matches(".txt");
    matches!(alg, "sha256" | "sha512") || EXTRA.contains(&alg)
}

fn is_manifest(rel: &str, kind: &str) -> bool {
    rel.strip_prefix(kind).and_then(|r| r.strip_suffix(".txt")).is_some_and(|alg| !alg.is_empty() && !alg.contains('/'))
}

/// One line of a manifest, as written.
struct Line<'t> {
    /// Its number, from 1.
    no: usize,
    sum: &'t str,
    /// The path as written (after the blanks or `*` before it).
    raw: &'t str,
    /// The path as the bag's entries name it (`bag_path`).
    rel: String,
}

/// Checks each line of one manifest; returns the paths it lists, or `None`
/// when its text could not be read (said already: damaged, too large, not
/// in the declared encoding, or compressed with a method verify cannot
/// read), so that its files are not all called unlisted.
fn check_manifest(
    bag: &ReadBag,
    manifest: &str,
    (fetch, alike): (&BTreeMap<String, String>, &Alike),
    report: &mut Report,
) -> Option<BTreeSet<String>> {
    let full = |rel: &str| bag.full(rel);
    let text = bag.text(manifest, report)?;
    let alg = manifest.split_once('-').map_or("", |(_, r)| r).trim_end_matches(".txt");
    let pick: Option<fn(&ReadEntry) -> Option<String>> = match alg {
        "sha256" => Some(|e| e.digests.map(|d| hex(&d.sha256))),
        "sha512" => Some(|e| e.digests.map(|d| hex(&d.sha512))),
        other if EXTRA.contains(&other) => {
            if matches!(other, "md5" | "sha1") {
                report.note(full(manifest), format!("{alg} is checked, but it is weak: it proves no tampering"));
            }
            None
        }
        // Not damage: RFC 8493 allows any algorithm. The lines are still
        // read (what they list must be there); `check_manifests` says when
        // no payload manifest is left to check the payload with.
        _ => {
            report.warn(
                full(manifest),
                format!("the algorithm {alg:?} is not one verify knows: its checksums are not checked"),
            );
            None
        }
    };
    let lines = manifest_lines(bag, manifest, &text, report);
    // The files listed by their very names, with their lines' checksums:
    // no line of another checksum may take one of them for its own by case
    // or normalisation, or a lost `README.txt` would pass for the
    // `readme.txt` beside it. Two lines of one checksum may name one file:
    // the conformance suite's `case-differs` bag, made on a disk where
    // `hello.txt` and `HELLO.txt` are one file, warns, and nothing in it
    // goes unchecked.
    let mut claimed: BTreeMap<String, &str> = lines.iter().filter_map(|l| Some((exact(bag, l)?, l.sum))).collect();
    let mut listed = BTreeSet::new();
    for line in &lines {
        let rel = find(bag, manifest, line, alike, &mut claimed, report);
        listed.insert(rel.clone());
        let Some(entry) = bag.entries.get(rel.as_str()) else {
            if !fetch.contains_key(&rel) {
                report.problem(full(&rel), format!("listed in {manifest} but missing from {}", bag.source.name()));
            }
            continue;
        };
        // A tag manifest cannot hold its own checksum: `check_manifests`
        // says that it lists itself, once.
        if rel == manifest {
            continue;
        }
        let actual = match pick {
            Some(pick) => pick(entry),
            None => entry.extra.iter().find(|(a, _)| *a == alg).map(|(_, hex)| hex.clone()),
        };
        if let Some(actual) = actual
            && !actual.eq_ignore_ascii_case(line.sum)
        {
            report.problem(full(&rel), format!("its {alg} does not match {manifest} (line {})", line.no));
        }
    }
    Some(listed)
}

/// The lines of the manifest `manifest` (its `text`), each path once: the
/// shapes RFC 8493 and the tools before it write, what they do not (a line
/// that is not `CHECKSUM PATH`, one path twice) said.
fn manifest_lines<'t>(bag: &ReadBag, manifest: &str, text: &'t str, report: &mut Report) -> Vec<Line<'t>> {
    let full = bag.full(manifest);
    let mut lines = Vec::new();
    // Each path listed: its first line, and the checksum there.
    let mut seen: BTreeMap<String, (usize, &str)> = BTreeMap::new();
    // Lines `md5sum -b` and `sha256sum -b` wrote, and lines whose path
    // starts with `./` (`find . | xargs sha256sum`): (first line, how many).
    let mut binary: Option<(usize, usize)> = None;
    let mut dot_slash: Option<(usize, usize)> = None;
    for (i, line) in tag_lines(text).into_iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        // RFC 8493 and the drafts before it: the checksum, then one or more
        // spaces or tabs (0.96 and before wrote one space), then the path.
        let Some((sum, path)) = line.split_once([' ', '\t']) else {
            report.problem(&full, format!("line {} is not \"CHECKSUM PATH\"", i + 1));
            continue;
        };
        // coreutils' binary mode writes `CHECKSUM *PATH`, one space and a
        // star; RFC 8493 has no star, and a file whose name starts with one
        // is written after two spaces by every tool that writes bags.
        let raw = match path.strip_prefix('*') {
            Some(path) => {
                binary = Some(binary.map_or((i + 1, 1), |(first, n)| (first, n + 1)));
                path
            }
            None => path.trim_start_matches([' ', '\t']),
        };
        if raw.starts_with("./") {
            dot_slash = Some(dot_slash.map_or((i + 1, 1), |(first, n)| (first, n + 1)));
        }
        let rel = bag_path(raw);
        // The same line twice (two tools' manifests joined) checks the same
        // thing: a warning in every version, as issue 21 asks (bagit-python
        // refuses it from 1.0 on; the conformance suite's 1.0 bag that does
        // it is refused here too, for its stale tag manifest). Two
        // checksums for one file cannot both be right.
        if let Some((first, first_sum)) = seen.get(&rel) {
            let again = format!("line {} lists {rel:?} again", i + 1);
            if first_sum.eq_ignore_ascii_case(sum) {
                report.warn(&full, format!("{again}, as line {first} does"));
            } else {
                report.problem(&full, format!("{again}, with another checksum than line {first}"));
            }
            continue;
        }
        seen.insert(rel.clone(), (i + 1, sum));
        lines.push(Line { no: i + 1, sum, raw, rel });
    }
    let lines_from = |(first, n): (usize, usize)| {
        if n == 1 { format!("line {first}") } else { format!("{n} lines, from line {first},") }
    };
    // RFC 8493 writes paths from the bag's folder, `data/…`; the
    // conformance suite asks for a warning (its `relative-path` bag).
    if let Some(found) = dot_slash {
        report.warn(
            &full,
            format!("{} names a path starting with `./`: read without it, as RFC 8493 writes them", lines_from(found)),
        );
    }
    if let Some(found) = binary {
        let alg = manifest.split_once('-').map_or("", |(_, r)| r).trim_end_matches(".txt");
        report.warn(
            &full,
            format!(
                "{} written as `{alg}sum -b` writes them, \"CHECKSUM *PATH\": read without the `*`, which RFC \
                 8493 does not have",
                lines_from(found)
            ),
        );
    }
    lines
}

/// The bag's file that `line` names by its very name: its path decoded,
/// else as written (the drafts before RFC 8493 decoded nothing, and a file
/// may be named `50%25.pdf`).
fn exact(bag: &ReadBag, line: &Line) -> Option<String> {
    let literal = line.raw.strip_prefix("./").unwrap_or(line.raw);
    [line.rel.as_str(), literal].into_iter().find(|rel| bag.has(rel)).map(str::to_owned)
}

/// The bag's file that the manifest line `line` names: the one of its very
/// name (`exact`), else the first of these that no line of another checksum
/// has `claimed` (by its very name, or found so), each a warning, since
/// another tool may call the file missing: the path without the blanks
/// after it (bagit-python strips them); the same name in another Unicode
/// normalisation (a bag made on macOS lists `é` decomposed, bagit-python
/// compares names normalised); the same name in another case (one file on
/// macOS and Windows, whose checksum is then checked). Else the path as
/// decoded, missing.
fn find<'t>(
    bag: &ReadBag,
    manifest: &str,
    line: &Line<'t>,
    alike: &Alike,
    claimed: &mut BTreeMap<String, &'t str>,
    report: &mut Report,
) -> String {
    if let Some(name) = exact(bag, line) {
        return name;
    }
    let (rel, no) = (line.rel.as_str(), line.no);
    let free = |name: &str| claimed.get(name).is_none_or(|sum| sum.eq_ignore_ascii_case(line.sum));
    let trimmed = rel.trim_end_matches([' ', '\t']);
    // Blanks after a name are no other disk's spelling of it: only a file
    // no line names takes them.
    let (name, why) = if trimmed != rel && bag.has(trimmed) && !claimed.contains_key(trimmed) {
        (trimmed, format!("{manifest} line {no} names it with blanks after its name, as {rel:?}"))
    } else if let Some(&name) = alike.normalised.get(&rel.nfc().collect::<String>()).filter(|n| free(n)) {
        (name, format!("{manifest} line {no} names it in another Unicode normalisation, as {rel:?}"))
    } else if let Some(&name) = alike.folded.get(&fold(rel)).filter(|n| free(n)) {
        let why = format!(
            "{manifest} line {no} names it in another case, as {rel:?}: one file on macOS and Windows, missing \
             elsewhere"
        );
        (name, why)
    } else {
        return rel.to_owned();
    };
    report.warn(bag.full(name), why);
    claimed.insert(name.to_owned(), line.sum);
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_files_are_decoded_as_declared() {
        let cafe = "café\n";
        let latin: Vec<u8> = cafe.chars().map(|c| c as u8).collect();
        assert_eq!(decode(&latin, Encoding::Latin1).unwrap(), (cafe.to_owned(), false));
        assert!(decode(&latin, Encoding::Utf8).is_err());
        assert!(decode(&latin, Encoding::Ascii).is_err());
        let units: Vec<u16> = cafe.encode_utf16().collect();
        let le: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
        for (bytes, encoding) in [
            ([&[0xff, 0xfe][..], &le].concat(), Encoding::Utf16),
            ([&[0xfe, 0xff][..], &be].concat(), Encoding::Utf16),
            (le.clone(), Encoding::Utf16),
            (be.clone(), Encoding::Utf16),
            (le.clone(), Encoding::Utf16Le),
            (be.clone(), Encoding::Utf16Be),
        ] {
            assert_eq!(decode(&bytes, encoding).unwrap(), (cafe.to_owned(), false), "{bytes:?} {encoding:?}");
        }
        assert!(decode(&le[1..], Encoding::Utf16Le).is_err(), "an odd length");
        assert_eq!(decode(b"\xef\xbb\xbfa", Encoding::Utf8).unwrap(), ("a".to_owned(), true));
        for name in ["UTF-8", "utf8", "ISO-8859-1", "iso_8859-1", "latin1", "UTF-16", "utf-16le", "UTF-16BE"] {
            assert!(Encoding::named(name).is_some(), "{name}");
        }
        assert_eq!(Encoding::named("Shift_JIS"), None);
    }

    #[test]
    fn tag_lines_end_with_lf_cr_lf_or_cr() {
        assert_eq!(tag_lines("a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(tag_lines("a\n\nb\n"), ["a", "", "b"]);
        assert_eq!(tag_lines(""), Vec::<&str>::new());
    }

    #[test]
    fn fetch_paths_stay_under_data() {
        for ok in ["data/a.pdf", "data/2021/report/a b.pdf", "data/..x/x..", "data/~25.pdf", "data/月.pdf"] {
            assert_eq!(outside_payload(ok), None, "{ok}");
        }
        for bad in [
            "../x",
            "data/../../x",
            "data/./x",
            "data//x",
            "data/",
            "/etc/passwd",
            "C:/x",
            "data\\..\\..\\x",
            "~user/x",
            "bag-info.txt",
            "data/a\0b",
            "data/a\nb",
            "data/a\u{85}b",
        ] {
            assert!(outside_payload(bad).is_some(), "{bad:?}");
        }
    }
}
