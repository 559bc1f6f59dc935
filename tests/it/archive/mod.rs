//! The archive bundles, checked the way an archivist would: unzip a bundle
//! and validate the bag with bagit-python (`pip install bagit`), check each
//! sidecar with `sha256sum -c`, open it with 7-Zip, rebuild and compare
//! bytes, damage a bundle and run `pressroom verify`, and bundle a PDF over
//! 4 GiB (ZIP64).
//!
//! Self-contained: each test copies the repository's `content/` and `feeds/`
//! into a temporary folder, edits that copy, and runs the real binary.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

use crate::harness::{EPOCH, REPO, Store, files, have, on_path, pressroom, python_has, skipped};

mod bags;
mod cache;
mod catalogue;
mod damage;
mod zip64;

const PREFIX: &str = "globalspaceexploration-org-publications";

fn zips(archive: &Path) -> Vec<PathBuf> {
    let mut zips: Vec<PathBuf> = fs::read_dir(archive)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "zip"))
        .collect();
    zips.sort();
    zips
}

fn sha256_file(path: &Path) -> String {
    let mut hasher = Sha256::new();
    let mut file = File::open(path).unwrap();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of every zip, by file name.
fn sums(archive: &Path) -> BTreeMap<String, String> {
    zips(archive).iter().map(|z| (z.file_name().unwrap().to_string_lossy().into_owned(), sha256_file(z))).collect()
}

/// Runs a validator, or says that it is missing (never a quiet pass).
fn tool(program: &str) -> Option<Command> {
    have(program, on_path(program)).then(|| Command::new(program))
}

/// bagit-python in the `python3` that `.ci/run` installs it into
/// (`python3 -m pip install bagit`), run as `python3 -m bagit`.
fn bagit_installed() -> bool {
    have("bagit-python (python3 -m pip install bagit)", python_has("bagit"))
}

fn verify(zip: &Path) -> Output {
    pressroom().arg("verify").arg(zip).output().unwrap()
}

fn unzip_to(zip: &Path, dir: &Path) {
    let status = Command::new("python3")
        .args(["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])"])
        .arg(zip)
        .arg(dir)
        .status()
        .unwrap();
    assert!(status.success(), "python3 zipfile could not extract {}", zip.display());
}

/// Runs 7-Zip (`7zz`, Debian's `7zip`) with `args`, in a UTF-8 locale as an
/// archivist's is, and asserts that it found every entry whole (each CRC is
/// checked). False where 7-Zip is missing.
fn seven_zip(args: &[&std::ffi::OsStr]) -> bool {
    let Some(mut sevenzip) = tool("7zz") else { return false };
    let out = sevenzip.env("LC_ALL", "C.UTF-8").args(args).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.contains("Everything is Ok"),
        "7zz {args:?}:\n{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    true
}

/// Extracts `zip` into `dir` with 7-Zip, as an archivist on Windows opens a
/// bundle (`seven_zip`).
fn seven_zip_to(zip: &Path, dir: &Path) -> bool {
    let into = format!("-o{}", dir.display());
    seven_zip(&["x".as_ref(), "-y".as_ref(), into.as_ref(), zip.as_os_str()])
}

/// The text of the entry of `zip` whose name ends with `suffix`.
fn zip_text(zip: &Path, suffix: &str) -> String {
    let mut zip = zip::ZipArchive::new(File::open(zip).unwrap()).unwrap();
    let i = (0..zip.len()).find(|&i| zip.by_index(i).unwrap().name().unwrap().ends_with(suffix)).unwrap();
    let mut text = String::new();
    zip.by_index(i).unwrap().read_to_string(&mut text).unwrap();
    text
}
