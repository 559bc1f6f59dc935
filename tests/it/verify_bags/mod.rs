//! `pressroom verify` reads every valid BagIt bag, as bagit-python does:
//! weak (MD5, SHA-1) manifests, junk beside the bag, payloads that compress
//! very well, `fetch.txt`; and names what it cannot check in one line
//! (exit 5). Each bag is made from a real bundle of the minimal store,
//! rewritten with the `zip` crate.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use crate::harness::*;

mod bundles;
mod entries;
mod manifests;

/// The entries of the minimal store's bundle of everything, by name, and
/// the bag's top folder.
fn bundle() -> (BTreeMap<String, Vec<u8>>, String, Store) {
    let store = Store::fixture("minimal");
    let out = store.build().ok();
    let zip = std::fs::read_dir(out.path("archive"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-all.zip"))
        .unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut entries = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        entries.insert(file.name().unwrap().into_owned(), bytes);
    }
    let top = entries.keys().next().unwrap().split('/').next().unwrap().to_owned();
    (entries, top, store)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(alg: &str, bytes: &[u8]) -> String {
    match alg {
        "md5" => hex(&Md5::digest(bytes)),
        "sha1" => hex(&Sha1::digest(bytes)),
        "sha224" => hex(&sha2::Sha224::digest(bytes)),
        "sha256" => hex(&Sha256::digest(bytes)),
        "sha384" => hex(&sha2::Sha384::digest(bytes)),
        _ => hex(&Sha512::digest(bytes)),
    }
}

/// Payload manifests for `algs`, Payload-Oxum, then tag manifests, made
/// again from the entries (plus `absent`: payload listed but not in the ZIP).
fn rebag(entries: &mut BTreeMap<String, Vec<u8>>, top: &str, algs: &[&str], absent: &[(&str, &[u8])]) {
    let prefix = format!("{top}/");
    entries.retain(|name, _| {
        !name.starts_with(&format!("{prefix}manifest-")) && !name.starts_with(&format!("{prefix}tagmanifest-"))
    });
    let payload: Vec<(String, Vec<u8>)> = entries
        .iter()
        .filter_map(|(n, b)| Some((n.strip_prefix(&prefix)?.to_owned(), b.clone())))
        .filter(|(rel, _)| rel.starts_with("data/"))
        .chain(absent.iter().map(|(rel, b)| (rel.to_string(), b.to_vec())))
        .collect();
    for alg in algs {
        let text: String = payload.iter().map(|(rel, b)| format!("{}  {rel}\n", digest(alg, b))).collect();
        entries.insert(format!("{prefix}manifest-{alg}.txt"), text.into_bytes());
    }
    let octets: usize = payload.iter().map(|(_, b)| b.len()).sum();
    let info = String::from_utf8(entries[&format!("{prefix}bag-info.txt")].clone()).unwrap();
    let info: String = info
        .lines()
        .map(|l| {
            if l.starts_with("Payload-Oxum:") {
                format!("Payload-Oxum: {octets}.{}\n", payload.len())
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    entries.insert(format!("{prefix}bag-info.txt"), info.into_bytes());
    let tags: Vec<(String, Vec<u8>)> = entries
        .iter()
        .filter_map(|(n, b)| Some((n.strip_prefix(&prefix)?.to_owned(), b.clone())))
        .filter(|(rel, _)| !rel.starts_with("data/") && !rel.contains('/'))
        .collect();
    for alg in ["sha256", "sha512"] {
        let text: String = tags.iter().map(|(rel, b)| format!("{}  {rel}\n", digest(alg, b))).collect();
        entries.insert(format!("{prefix}tagmanifest-{alg}.txt"), text.into_bytes());
    }
}

fn write_zip(dir: &Path, name: &str, entries: &BTreeMap<String, Vec<u8>>) -> PathBuf {
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(false);
    for (name, bytes) in entries {
        zip.start_file(name.as_str(), options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

fn verify(zip: &Path, args: &[&str]) -> Output {
    pressroom().arg("verify").arg(zip).args(args).output().unwrap()
}

#[track_caller]
fn intact(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "stdout:\n{}stderr:\n{stderr}", String::from_utf8_lossy(&out.stdout));
    stderr
}

/// A bag as an archivist may receive one from elsewhere, zipped under the
/// top folder `bag/`: `files` (paths from the bag's folder) as they are,
/// plus `bagit.txt` and a `manifest-sha256.txt` of the `data/` files when
/// `files` holds none.
fn hand_zip(dir: &Path, name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let mut entries: BTreeMap<String, Vec<u8>> =
        files.iter().map(|(rel, bytes)| (format!("bag/{rel}"), bytes.to_vec())).collect();
    entries
        .entry("bag/bagit.txt".into())
        .or_insert_with(|| b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_vec());
    if !files.iter().any(|(rel, _)| rel.starts_with("manifest-")) {
        let text: String = files
            .iter()
            .filter(|(rel, _)| rel.starts_with("data/"))
            .map(|(rel, b)| format!("{}  {rel}\n", digest("sha256", b)))
            .collect();
        entries.insert("bag/manifest-sha256.txt".into(), text.into_bytes());
    }
    write_zip(dir, name, &entries)
}

/// The folder `dir` zipped as it is, under its own name.
fn zip_folder(dir: &Path, zip: &Path) {
    let top = dir.file_name().unwrap().to_string_lossy().into_owned();
    let mut entries = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for e in std::fs::read_dir(folder).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                entries.insert(format!("{top}/{rel}"), std::fs::read(&path).unwrap());
            }
        }
    }
    write_zip(zip.parent().unwrap(), &zip.file_name().unwrap().to_string_lossy(), &entries);
}

/// bagit-python's bag of `files` in `root/name`, sha256 only; `edit` runs
/// (Python, `bag` the folder's path) before bagit-python validates it
/// again. None when bagit-python is not installed.
fn python_bag(root: &Path, name: &str, files: &[(&str, &[u8])], edit: &str) -> Option<PathBuf> {
    if !python_has("bagit") {
        eprintln!("skipped: bagit-python is not installed");
        return None;
    }
    let dir = root.join(name);
    for (rel, bytes) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let script = format!(
        "import bagit, os, sys\nbag = sys.argv[1]\nbagit.make_bag(bag, checksums=['sha256'])\n{edit}\n\
         bagit.Bag(bag).validate()\n"
    );
    let out = Command::new("python3").arg("-c").arg(script).arg(&dir).output().unwrap();
    assert!(out.status.success(), "bagit-python: {}", String::from_utf8_lossy(&out.stderr));
    let zip = root.join(format!("{name}.zip"));
    zip_folder(&dir, &zip);
    Some(zip)
}
