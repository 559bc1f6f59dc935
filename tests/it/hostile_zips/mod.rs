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

mod entries;
mod names;
mod records;

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
