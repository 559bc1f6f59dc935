//! Hostile ZIPs for `pressroom verify`: zip bombs, unsafe names, duplicate
//! names, local headers that contradict the central directory, lying ZIP64
//! records. Each is assembled byte by byte here (APPNOTE 6.3, the layout of
//! src/archive/zip_writer.rs) around an otherwise valid bag, so the hostile
//! part is the only problem. For each: exit 1, a problem naming the entry,
//! quickly, and no file created anywhere (the working folder, TMPDIR and the
//! ZIP's own folder are unchanged).
//!
//! `HOSTILE_ZIPS_KEEP=DIR` copies every ZIP to DIR, to try other tools on
//! them (or measure `pressroom verify` under `/usr/bin/time -v`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use flate2::{Compress, Compression, FlushCompress};
use sha2::{Digest, Sha256};

use crate::harness::pressroom;

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
const U32_MAX: u32 = u32::MAX;

/// One entry: what the central directory says, and what the local header
/// says where a test makes them differ.
#[derive(Clone)]
struct Entry {
    name: Vec<u8>,
    method: u16,
    crc: u32,
    compressed: u32,
    size: u32,
    /// The bytes after the local header.
    data: Vec<u8>,
    central_extra: Vec<u8>,
    local_name: Option<Vec<u8>>,
    local_crc: Option<u32>,
    local_size: Option<u32>,
    local_extra: Vec<u8>,
    /// The local header's offset as the central directory gives it, when not
    /// where it is.
    offset: Option<u32>,
}

impl Entry {
    fn stored(name: &str, data: &[u8]) -> Entry {
        Entry::raw(name, STORED, crc32fast::hash(data), data.to_vec(), data.len() as u32)
    }

    fn deflated(name: &str, data: &[u8]) -> Entry {
        let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(data).unwrap();
        Entry::raw(name, DEFLATED, crc32fast::hash(data), encoder.finish().unwrap(), data.len() as u32)
    }

    fn raw(name: &str, method: u16, crc: u32, data: Vec<u8>, size: u32) -> Entry {
        Entry {
            name: name.as_bytes().to_vec(),
            method,
            crc,
            compressed: data.len() as u32,
            size,
            data,
            central_extra: Vec::new(),
            local_name: None,
            local_crc: None,
            local_size: None,
            local_extra: Vec::new(),
            offset: None,
        }
    }
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// The ZIP of `entries`, in order, with its central directory and end record.
fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for e in entries {
        offsets.push(out.len() as u32);
        let name = e.local_name.as_ref().unwrap_or(&e.name);
        u32le(&mut out, LOCAL_SIG);
        u16le(&mut out, 20); // version needed
        u16le(&mut out, 1 << 11); // UTF-8 names
        u16le(&mut out, e.method);
        u16le(&mut out, 0); // time
        u16le(&mut out, (1 << 5) | 1); // 1980-01-01
        u32le(&mut out, e.local_crc.unwrap_or(e.crc));
        u32le(&mut out, e.compressed);
        u32le(&mut out, e.local_size.unwrap_or(e.size));
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, e.local_extra.len() as u16);
        out.extend_from_slice(name);
        out.extend_from_slice(&e.local_extra);
        out.extend_from_slice(&e.data);
    }
    let cd_start = out.len() as u32;
    for (e, &offset) in entries.iter().zip(&offsets) {
        u32le(&mut out, CENTRAL_SIG);
        u16le(&mut out, (3 << 8) | 63); // made by: Unix
        u16le(&mut out, 20);
        u16le(&mut out, 1 << 11);
        u16le(&mut out, e.method);
        u16le(&mut out, 0);
        u16le(&mut out, (1 << 5) | 1);
        u32le(&mut out, e.crc);
        u32le(&mut out, e.compressed);
        u32le(&mut out, e.size);
        u16le(&mut out, e.name.len() as u16);
        u16le(&mut out, e.central_extra.len() as u16);
        u16le(&mut out, 0); // comment
        u16le(&mut out, 0); // disk
        u16le(&mut out, 0); // internal attributes
        u32le(&mut out, 0o100_644 << 16);
        u32le(&mut out, e.offset.unwrap_or(offset));
        out.extend_from_slice(&e.name);
        out.extend_from_slice(&e.central_extra);
    }
    let cd_size = out.len() as u32 - cd_start;
    u32le(&mut out, EOCD_SIG);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, entries.len() as u16);
    u16le(&mut out, entries.len() as u16);
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_start);
    u16le(&mut out, 0);
    out
}

/// A valid bag in top folder `b` holding `payload` (paths from `data/`),
/// with `bagit.txt`, `bag-info.txt` (Payload-Oxum) and `manifest-sha256.txt`.
fn bag(payload: &[(&str, &[u8])]) -> Vec<Entry> {
    let oxum = format!("{}.{}", payload.iter().map(|(_, b)| b.len()).sum::<usize>(), payload.len());
    let manifest: String =
        payload.iter().map(|(path, bytes)| format!("{}  data/{path}\n", hex(&Sha256::digest(bytes)))).collect();
    let mut entries = vec![
        Entry::deflated("b/bagit.txt", b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"),
        Entry::deflated("b/bag-info.txt", format!("Payload-Oxum: {oxum}\n").as_bytes()),
        Entry::deflated("b/manifest-sha256.txt", manifest.as_bytes()),
    ];
    entries.extend(payload.iter().map(|(path, bytes)| Entry::stored(&format!("b/data/{path}"), bytes)));
    entries
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A raw deflate stream of `mib` MiB of zeros, about 1 KiB per MiB: one
/// self-contained, byte-aligned run of blocks (a sync flush) repeated, then
/// an empty final block. Built in milliseconds whatever it inflates to.
fn zeros_deflated(mib: usize) -> Vec<u8> {
    let zeros = vec![0u8; 1 << 20];
    let mut block = Vec::with_capacity(64 << 10);
    let mut compress = Compress::new(Compression::best(), false);
    compress.compress_vec(&zeros, &mut block, FlushCompress::Sync).unwrap();
    assert_eq!(compress.total_in(), 1 << 20);
    let mut stream = Vec::with_capacity(block.len() * mib + 2);
    for _ in 0..mib {
        stream.extend_from_slice(&block);
    }
    stream.extend_from_slice(&[0x03, 0x00]); // BFINAL, fixed Huffman, end of block
    stream
}

/// The CRC-32 of `mib` MiB of zeros.
fn zeros_crc(mib: usize) -> u32 {
    let zeros = vec![0u8; 1 << 20];
    let mut crc = crc32fast::Hasher::new();
    for _ in 0..mib {
        crc.update(&zeros);
    }
    crc.finalize()
}

/// Every file under `dir` with its size.
fn listing(dir: &Path) -> BTreeMap<String, u64> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(entry.path());
            }
            found.insert(entry.path().strip_prefix(dir).unwrap().display().to_string(), meta.len());
        }
    }
    found
}

/// Runs `pressroom verify` on `bytes` written as `name`: exit 1, every
/// `expected` fragment on one line of stdout together with `entry`, and no
/// file created in the working folder, TMPDIR or beside the ZIP. Returns stdout.
fn assert_refused(name: &str, bytes: &[u8], expected: &[(&str, &str)]) -> String {
    let zips = tempfile::tempdir().unwrap();
    let cwd = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let path = zips.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    if let Some(keep) = std::env::var_os("HOSTILE_ZIPS_KEEP") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(Path::new(&keep).join(name), bytes).unwrap();
    }
    let before = (listing(zips.path()), listing(cwd.path()), listing(tmp.path()));
    let started = Instant::now();
    let out = pressroom().arg("verify").arg(&path).current_dir(cwd.path()).env("TMPDIR", tmp.path()).output().unwrap();
    let took = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{name}: stdout:\n{stdout}\nstderr:\n{stderr}");
    for (entry, fragment) in expected {
        assert!(
            stdout.lines().any(|l| l.starts_with(&format!("{entry}: ")) && l.contains(fragment)),
            "{name}: expected \"{entry}: …{fragment}…\" in:\n{stdout}"
        );
    }
    assert_eq!((listing(zips.path()), listing(cwd.path()), listing(tmp.path())), before, "{name}: files appeared");
    // Generous: each case takes milliseconds; a bomb inflated would take minutes.
    assert!(took < Duration::from_secs(30), "{name}: verify took {took:?}");
    stdout
}

#[test]
fn the_hand_made_bag_is_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("good.zip");
    std::fs::write(&path, zip(&bag(&[("a.pdf", b"%PDF-1.4 a"), ("b.pdf", b"%PDF-1.4 b")]))).unwrap();
    let out = pressroom().arg("verify").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_deflate_bomb_of_a_gigabyte_is_not_inflated() {
    // 1 GiB of zeros in about 1 MiB, sizes and CRC all true.
    let mib = 1024;
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    entries.push(Entry::raw("b/data/zeros.pdf", DEFLATED, zeros_crc(mib), zeros_deflated(mib), (mib << 20) as u32));
    let stdout = assert_refused("bomb.zip", &zip(&entries), &[("b/data/zeros.pdf", "more than 100 to 1")]);
    assert!(stdout.contains("declares 1073741824 bytes"), "{stdout}");
}

#[test]
fn a_bomb_that_declares_a_small_size_stops_there() {
    // 1 GiB of zeros declared as 10 MB (within the ratio): inflating stops
    // past 10 MB, with the entry named.
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    entries.push(Entry::raw("b/data/zeros.pdf", DEFLATED, 0, zeros_deflated(1024), 10_000_000));
    assert_refused(
        "lying-bomb.zip",
        &zip(&entries),
        &[("b/data/zeros.pdf", "larger than its declared uncompressed size")],
    );
}

#[test]
fn a_tiny_entry_that_declares_gigabytes() {
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    let mut deflated = Entry::deflated("b/data/big.pdf", b"%PDF-1.4 tiny");
    deflated.size = 0xFFFF_FFF0;
    let mut stored = Entry::stored("b/data/big2.pdf", b"%PDF-1.4 tiny");
    stored.size = 0xFFFF_FFF0;
    entries.extend([deflated, stored]);
    assert_refused(
        "declared.zip",
        &zip(&entries),
        &[("b/data/big.pdf", "declares 4294967280 bytes from"), ("b/data/big2.pdf", "is stored, yet declares")],
    );
}

#[test]
fn names_that_climb_out_or_are_absolute() {
    for (i, bad) in
        ["b/../../evil.pdf", "../evil.pdf", "/etc/cron.d/evil", "b\\data\\evil.pdf", "C:/evil.pdf", "b/data/./x.pdf"]
            .into_iter()
            .enumerate()
    {
        let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
        entries.push(Entry::stored(bad, b"%PDF-1.4 evil"));
        assert_refused(&format!("names-{i}.zip"), &zip(&entries), &[(bad, "unsafe name")]);
    }
}

#[test]
fn duplicate_names() {
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    entries.push(Entry::stored("b/data/a.pdf", b"%PDF-1.4 another a"));
    assert_refused(
        "duplicate.zip",
        &zip(&entries),
        &[("b/data/a.pdf", "appears more than once in the central directory")],
    );
}

#[test]
fn local_headers_that_contradict_the_central_directory() {
    type Change = fn(&mut Entry);
    let cases: [(&str, Change, &str); 3] = [
        ("name", |e| e.local_name = Some(b"b/data/evil.pdf".to_vec()), "filename mismatch"),
        ("size", |e| e.local_size = Some(e.size + 1), "uncompressed size mismatch"),
        ("crc", |e| e.local_crc = Some(e.crc ^ 1), "CRC32 checksum mismatch"),
    ];
    for (what, change, message) in cases {
        let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
        change(entries.last_mut().unwrap());
        assert_refused(&format!("local-{what}.zip"), &zip(&entries), &[("b/data/a.pdf", message)]);
    }
}

#[test]
fn entries_that_share_their_bytes() {
    // Two central entries over one local header (the overlapping-file bomb).
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    let mut twin = Entry::stored("b/data/twin.pdf", b"%PDF-1.4 a");
    // The twin's central header points at a.pdf's local header.
    let locals_before: usize = entries[..3].iter().map(|e| 30 + e.name.len() + e.data.len()).sum();
    twin.offset = Some(locals_before as u32);
    entries.push(twin);
    assert_refused("overlap.zip", &zip(&entries), &[("b/data/twin.pdf", "overlaps the entry b/data/a.pdf")]);
}

/// A ZIP64 extended information extra field (0x0001) with these values.
fn zip64_extra(values: &[u64]) -> Vec<u8> {
    let mut extra = Vec::new();
    u16le(&mut extra, 0x0001);
    u16le(&mut extra, (values.len() * 8) as u16);
    for v in values {
        extra.extend_from_slice(&v.to_le_bytes());
    }
    extra
}

#[test]
fn a_lying_zip64_record() {
    // Sizes of 2^62 bytes in the ZIP64 field, for an entry of 13 bytes.
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    let mut huge = Entry::stored("b/data/huge.pdf", b"%PDF-1.4 huge");
    (huge.size, huge.compressed) = (U32_MAX, U32_MAX);
    huge.central_extra = zip64_extra(&[1 << 62, 1 << 62]);
    huge.local_extra = zip64_extra(&[1 << 62, 1 << 62]);
    // A local header offset of 2^60.
    let mut far = Entry::stored("b/data/far.pdf", b"%PDF-1.4 far");
    far.offset = Some(U32_MAX);
    far.central_extra = zip64_extra(&[1 << 60]);
    // Deflated: 2^40 bytes declared from 20.
    let mut bomb = Entry::deflated("b/data/bomb.pdf", b"%PDF-1.4 bomb");
    let compressed = bomb.data.len() as u64;
    (bomb.size, bomb.compressed) = (U32_MAX, U32_MAX);
    bomb.central_extra = zip64_extra(&[1 << 40, compressed]);
    bomb.local_extra = zip64_extra(&[1 << 40, compressed]);
    entries.extend([huge, far, bomb]);
    assert_refused(
        "zip64.zip",
        &zip(&entries),
        &[
            ("b/data/huge.pdf", "reaches into or past the central directory"),
            ("b/data/far.pdf", "cannot be read"),
            ("b/data/bomb.pdf", "declares 1099511627776 bytes"),
        ],
    );
}

#[test]
fn a_lying_zip64_end_record() {
    // A ZIP64 end record claiming 2^40 entries and a central directory at
    // 2^50, then a ZIP64 locator and an end record that defers to them.
    let entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    let mut bytes = zip(&entries);
    bytes.truncate(bytes.len() - 22);
    let eocd64_at = bytes.len() as u64;
    u32le(&mut bytes, 0x0606_4b50);
    bytes.extend_from_slice(&44u64.to_le_bytes());
    u16le(&mut bytes, 45);
    u16le(&mut bytes, 45);
    u32le(&mut bytes, 0);
    u32le(&mut bytes, 0);
    bytes.extend_from_slice(&(1u64 << 40).to_le_bytes());
    bytes.extend_from_slice(&(1u64 << 40).to_le_bytes());
    bytes.extend_from_slice(&(1u64 << 50).to_le_bytes());
    bytes.extend_from_slice(&(1u64 << 50).to_le_bytes());
    u32le(&mut bytes, 0x0706_4b50);
    u32le(&mut bytes, 0);
    bytes.extend_from_slice(&eocd64_at.to_le_bytes());
    u32le(&mut bytes, 1);
    u32le(&mut bytes, EOCD_SIG);
    bytes.extend_from_slice(&[0xFF; 16]);
    u16le(&mut bytes, 0);
    assert_refused("zip64-end.zip", &bytes, &[("zip64-end.zip", "not a complete ZIP file")]);
}

#[test]
fn a_bomb_in_a_zip_without_its_central_directory() {
    // Only a local header declaring 4 GiB, then 1 GiB of zeros deflated:
    // read from the start as a truncated ZIP, inflating stops at 100 times
    // the file's size. (Sizes deferred to a data descriptor are refused by
    // the `zip` crate for deflated entries read this way.)
    let stream = zeros_deflated(1024);
    let mut bytes = Vec::new();
    u32le(&mut bytes, LOCAL_SIG);
    u16le(&mut bytes, 20);
    u16le(&mut bytes, 1 << 11);
    u16le(&mut bytes, DEFLATED);
    u16le(&mut bytes, 0);
    u16le(&mut bytes, (1 << 5) | 1);
    u32le(&mut bytes, 0); // CRC
    u32le(&mut bytes, stream.len() as u32);
    u32le(&mut bytes, 0xFFFF_FFF0);
    let name = b"b/data/zeros.pdf";
    u16le(&mut bytes, name.len() as u16);
    u16le(&mut bytes, 0);
    bytes.extend_from_slice(name);
    bytes.extend_from_slice(&stream);
    assert_refused(
        "headless-bomb.zip",
        &bytes,
        &[("b/data/zeros.pdf", "inflates to more than"), ("headless-bomb.zip", "not a complete ZIP file")],
    );
}

#[test]
fn a_unicode_path_field_that_renames_an_entry() {
    // The header says `../evil.pdf`; an Info-ZIP Unicode Path field (0x7075)
    // says `b/data/ok.pdf`, which is what the `zip` crate then calls it.
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    let mut evil = Entry::stored("../evil.pdf", b"%PDF-1.4 evil");
    let mut extra = Vec::new();
    u16le(&mut extra, 0x7075);
    u16le(&mut extra, (5 + "b/data/ok.pdf".len()) as u16);
    extra.push(1);
    u32le(&mut extra, crc32fast::hash(b"../evil.pdf"));
    extra.extend_from_slice(b"b/data/ok.pdf");
    (evil.central_extra, evil.local_extra) = (extra.clone(), extra);
    entries.push(evil);
    assert_refused(
        "unicode-path.zip",
        &zip(&entries),
        &[("b/data/ok.pdf", "UnicodePath (0x7075)"), ("../evil.pdf", "unsafe name in its header")],
    );
    // With a duplicate name too, the `zip` crate cannot compare local and
    // central headers: the header's name is still checked.
    entries.push(Entry::stored("b/data/a.pdf", b"%PDF-1.4 a"));
    assert_refused(
        "unicode-path-and-duplicate.zip",
        &zip(&entries),
        &[("../evil.pdf", "unsafe name in its header"), ("b/data/a.pdf", "appears more than once")],
    );
}

/// Whether `c`, printed raw, could end a line, move the cursor, recolour a
/// terminal or reorder the text around it.
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[test]
fn names_with_line_breaks_or_escapes_forge_no_line() {
    // A line break then a workflow command: GitHub's runner obeys any line of
    // a step's output that starts with `::`, whatever the format asked for.
    let forged = "b/data/x\n::error::forged.pdf";
    let coloured = "b/data/\x1b[2J\x1b[32mall good.pdf";
    let others = ["b/data/cr\r::error::cr.pdf", "b/data/nel\u{85}::error::nel.pdf", "b/data/\u{202e}fdp.exe\u{2028}x"];
    let mut entries = bag(&[("a.pdf", b"%PDF-1.4 a")]);
    for name in [forged, coloured].iter().chain(&others) {
        entries.push(Entry::stored(name, b"%PDF-1.4 evil"));
    }
    // Names read from the bag's text files: a manifest (LF written %0A, as
    // RFC 8493 says) and fetch.txt.
    let manifest = format!(
        "{}  data/a.pdf\n{}  data/gone%0A::error::manifest.pdf\n",
        hex(&Sha256::digest(b"%PDF-1.4 a")),
        "0".repeat(64)
    );
    entries[2] = Entry::deflated("b/manifest-sha256.txt", manifest.as_bytes());
    entries.push(Entry::deflated("b/fetch.txt", b"https://example.org/\x1b]0;owned\x07 1 data/later.pdf\n"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("names.zip"), zip(&entries)).unwrap();
    let run = |format: &str| {
        let out =
            pressroom().args(["verify", "names.zip", "--format", format]).current_dir(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let (stdout, stderr) = (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
        for text in [&stdout, &stderr] {
            assert!(
                !text.chars().any(|c| c != '\n' && unsafe_char(c)),
                "{format}: a raw control character in:\n{text}"
            );
        }
        (stdout, stderr)
    };

    // JSON: each name as the real string.
    let (json, _) = run("json");
    let lines: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for name in [forged, coloured, "b/data/gone\n::error::manifest.pdf"].iter().chain(&others) {
        assert!(lines.iter().any(|l| l["entry"] == *name), "{name:?} in:\n{json}");
    }
    assert!(lines.iter().any(|l| l["message"].as_str().unwrap().contains("https://example.org/\x1b]0;owned\x07")));
    // What verify could not check (a file still to fetch) is said on
    // stdout beside the problems.
    let stdout_lines = lines.iter().filter(|l| l["severity"] == "error" || l["severity"] == "unchecked").count();
    let notes = lines.len() - stdout_lines;

    // Human: one line per problem or unchecked file on stdout, one per note
    // and the summary on stderr; no line a command; the names escaped.
    let (stdout, stderr) = run("human");
    assert_eq!((stdout.lines().count(), stderr.lines().count()), (stdout_lines, notes + 1), "{stdout}{stderr}");
    assert!(!stdout.lines().chain(stderr.lines()).any(|l| l.starts_with("::")), "{stdout}{stderr}");
    for shown in [
        r"b/data/x\n::error::forged.pdf: ",
        r"b/data/\u{1b}[2J\u{1b}[32mall good.pdf: ",
        r"b/data/cr\r::error::cr.pdf: ",
        r"b/data/nel\u{85}::error::nel.pdf: ",
        r"b/data/\u{202e}fdp.exe\u{2028}x: ",
        r"b/data/gone\n::error::manifest.pdf: ",
    ] {
        assert!(stdout.lines().any(|l| l.starts_with(shown)), "{shown} in:\n{stdout}");
    }
    assert!(stdout.contains(r"https://example.org/\u{1b}]0;owned\u{7}"), "{stdout}");

    // GitHub: exactly our commands, one per problem and note.
    let (stdout, _) = run("github");
    assert_eq!(stdout.lines().count(), stdout_lines + notes, "{stdout}");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::error file=names.zip,title=")).count(),
        stdout_lines,
        "{stdout}"
    );
    assert_eq!(stdout.lines().filter(|l| l.starts_with("::notice file=names.zip,title=")).count(), notes, "{stdout}");
    assert!(stdout.contains(r"title=b/data/x\n%3A%3Aerror%3A%3Aforged.pdf::"), "{stdout}");
}
