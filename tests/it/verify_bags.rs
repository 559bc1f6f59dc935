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

#[test]
fn md5_and_sha1_manifests_are_checked_and_called_weak() {
    let (mut entries, top, store) = bundle();
    rebag(&mut entries, &top, &["md5", "sha1", "sha224", "sha256", "sha384"], &[]);
    let zip = write_zip(store.root(), "weak.zip", &entries);
    let stderr = intact(&verify(&zip, &[]));
    assert!(stderr.contains("manifest-md5.txt: md5 is checked, but it is weak"), "{stderr}");
    assert!(stderr.contains("manifest-sha1.txt: sha1 is checked"), "{stderr}");
    assert!(!stderr.contains("sha384 is checked"), "SHA-384 is not weak: {stderr}");
    // A wrong SHA-384 is damage.
    let manifest = format!("{top}/manifest-sha384.txt");
    let text = String::from_utf8(entries[&manifest].clone()).unwrap();
    let first = text.split_whitespace().next().unwrap().to_owned();
    let mut bad = entries.clone();
    bad.insert(manifest, text.replacen(&first, &"0".repeat(96), 1).into_bytes());
    let out = verify(&write_zip(store.root(), "sha384-bad.zip", &bad), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("does not match manifest-sha384.txt"));
    // A wrong MD5 is damage.
    let manifest = format!("{top}/manifest-md5.txt");
    let text = String::from_utf8(entries[&manifest].clone()).unwrap();
    let first = text.split_whitespace().next().unwrap().to_owned();
    entries.insert(manifest, text.replacen(&first, &"0".repeat(32), 1).into_bytes());
    let zip = write_zip(store.root(), "weak-bad.zip", &entries);
    let out = verify(&zip, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("does not match manifest-md5.txt"));
}

#[test]
fn junk_beside_the_bag_is_named_and_the_bag_checked() {
    let (mut entries, top, store) = bundle();
    entries.insert(format!("__MACOSX/{top}/._bagit.txt"), b"\0\x05\x16\x07".to_vec());
    entries.insert(".DS_Store".into(), b"junk".to_vec());
    let zip = write_zip(store.root(), "mac.zip", &entries);
    let stderr = intact(&verify(&zip, &[]));
    assert!(stderr.contains("__MACOSX/: beside the bag (1 entries)"), "{stderr}");
    assert!(stderr.contains(".DS_Store: beside the bag"), "{stderr}");
    // The bag itself is still checked: a damaged PDF beside the junk is found.
    let pdf = entries.keys().find(|k| k.ends_with(".pdf")).unwrap().clone();
    entries.get_mut(&pdf).unwrap().push(b'x');
    let out = verify(&write_zip(store.root(), "mac-bad.zip", &entries), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn a_payload_that_compresses_well_is_not_called_a_bomb() {
    let (mut entries, top, store) = bundle();
    entries.insert(format!("{top}/data/zeros.pdf"), vec![0u8; 50 << 20]);
    rebag(&mut entries, &top, &["sha256", "sha512"], &[]);
    let zip = write_zip(store.root(), "zeros.zip", &entries);
    assert!(std::fs::metadata(&zip).unwrap().len() < 1 << 20, "deflated well");
    intact(&verify(&zip, &[]));
}

#[test]
fn a_bag_with_files_still_to_fetch_cannot_be_called_intact() {
    let (mut entries, top, store) = bundle();
    let remote: &[u8] = b"%PDF-1.4 remote";
    entries.insert(
        format!("{top}/fetch.txt"),
        format!("https://example.org/remote.pdf {} data/remote.pdf\n", remote.len()).into_bytes(),
    );
    rebag(&mut entries, &top, &["sha256", "sha512"], &[("data/remote.pdf", remote)]);
    let zip = write_zip(store.root(), "fetch.zip", &entries);
    // Not complete (RFC 8493 §3), so not valid; but no damage: exit 5.
    let out = verify(&zip, &[]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(5), "{text}");
    assert!(text.contains("data/remote.pdf: to be fetched from https://example.org/remote.pdf"), "{text}");
}

#[test]
fn a_tar_file_is_named_in_one_line_with_exit_5() {
    let dir = tempfile::tempdir().unwrap();
    let mut tar = vec![0u8; 1024];
    tar[..5].copy_from_slice(b"a.txt");
    tar[257..263].copy_from_slice(b"ustar\0");
    let path = dir.path().join("bundle.zip");
    std::fs::write(&path, tar).unwrap();
    let out = verify(&path, &[]);
    assert_eq!(out.status.code(), Some(5));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("a tar archive, not a ZIP file"), "{stderr}");
    for bytes in [&b""[..], b"hello, world\n"] {
        std::fs::write(&path, bytes).unwrap();
        assert_eq!(verify(&path, &[]).status.code(), Some(5));
    }
}

#[test]
fn a_closed_stdout_ends_verify_quietly() {
    let (mut entries, top, store) = bundle();
    // Thousands of problems: far more than a pipe holds.
    for i in 0..5000 {
        entries.insert(format!("{top}/data/stray-{i}.pdf"), b"%PDF".to_vec());
    }
    let zip = write_zip(store.root(), "many.zip", &entries);
    let mut child = pressroom().arg("verify").arg(&zip).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
}

#[test]
fn verify_speaks_json_and_github() {
    let (mut entries, top, store) = bundle();
    entries.insert(format!("{top}/data/stray.pdf"), b"%PDF".to_vec());
    entries.insert("__MACOSX/x".into(), b"x".to_vec());
    let zip = write_zip(store.root(), "stray.zip", &entries);
    let out = verify(&zip, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(
        lines.iter().any(|l| l["severity"] == "error" && l["entry"] == format!("{top}/data/stray.pdf")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l["severity"] == "note" && l["entry"] == "__MACOSX/"), "{lines:?}");
    let out = verify(&zip, &["--format", "github"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.lines().any(|l| l.starts_with("::error file=") && l.contains("stray.pdf")), "{stdout}");
    assert!(stdout.lines().any(|l| l.starts_with("::notice file=")), "{stdout}");
}

/// RFC 8493 §2.2.3: a file fetched goes under `data/`, inside the bag. A
/// path that leaves it (bagit-python refuses these too) is damage, named by
/// its line of fetch.txt, not a file to be fetched.
#[test]
fn a_fetch_path_that_leaves_the_payload_is_damage() {
    let (mut entries, top, store) = bundle();
    let remote: &[u8] = b"%PDF-1.4 remote";
    rebag(&mut entries, &top, &["sha256", "sha512"], &[("data/remote.pdf", remote)]);
    let valid = format!("https://example.org/remote.pdf {} data/remote.pdf\n", remote.len());
    let escaping = [
        "../../etc/passwd",
        "../../README.md",
        "/etc/passwd",
        "~user/.ssh/authorized_keys",
        "data/a\0b.pdf",
        "data/a\x1b[2Jb.pdf",
        "data/../../x",
        "data\\..\\..\\x",
        "C:/x.pdf",
        "data/./x.pdf",
        "fetched.pdf",
    ];
    for (i, path) in escaping.into_iter().enumerate() {
        let mut bad = entries.clone();
        let fetch = format!("{valid}https://example.org/x.pdf 8 {path}\n");
        bad.insert(format!("{top}/fetch.txt"), fetch.into_bytes());
        rebag(&mut bad, &top, &["sha256", "sha512"], &[("data/remote.pdf", remote)]);
        let zip = write_zip(store.root(), &format!("fetch-{i}.zip"), &bad);
        let out = verify(&zip, &["--format", "json"]);
        assert_eq!(out.status.code(), Some(1), "{path:?}: {}", String::from_utf8_lossy(&out.stdout));
        let lines: Vec<serde_json::Value> =
            String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let errors: Vec<&serde_json::Value> = lines.iter().filter(|l| l["severity"] == "error").collect();
        assert_eq!(errors.len(), 1, "{path:?}: {lines:?}");
        assert_eq!(errors[0]["entry"], format!("{top}/fetch.txt"), "{path:?}");
        let message = errors[0]["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("line 2 names {path:?}: ")), "{path:?}: {message}");
        // People see the same line, the path escaped.
        let out = verify(&zip, &[]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let about_fetch: Vec<_> = stdout.lines().filter(|l| l.starts_with(&format!("{top}/fetch.txt"))).collect();
        assert_eq!(about_fetch, [format!("{top}/fetch.txt: {message}")], "{path:?}");
        assert!(!stdout.contains(['\0', '\x1b']), "{path:?}: {stdout}");
    }
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

/// RFC 8493 §2.2.2: bag-info.txt is optional, and so is its Payload-Oxum.
#[test]
fn a_bag_without_bag_info_or_payload_oxum_is_intact() {
    let dir = tempfile::tempdir().unwrap();
    let files: &[(&str, &[u8])] = &[("data/a.pdf", b"%PDF-1.4 a")];
    intact(&verify(&hand_zip(dir.path(), "no-info.zip", files), &[]));
    let info: &[(&str, &[u8])] = &[("data/a.pdf", b"%PDF-1.4 a"), ("bag-info.txt", b"Source-Organization: Town\n")];
    intact(&verify(&hand_zip(dir.path(), "no-oxum.zip", info), &[]));
    // bagit-python's bag, its bag-info.txt (and the tag manifest listing it) removed.
    let edit = "os.remove(os.path.join(bag, 'bag-info.txt'))\nos.remove(os.path.join(bag, 'tagmanifest-sha256.txt'))";
    if let Some(zip) = python_bag(dir.path(), "python-no-info", &[("a.pdf", b"%PDF-1.4 a")], edit) {
        intact(&verify(&zip, &[]));
    }
    // A Payload-Oxum that is there is still checked.
    let wrong: &[(&str, &[u8])] = &[("data/a.pdf", b"%PDF-1.4 a"), ("bag-info.txt", b"Payload-Oxum: 3.1\n")];
    let out = verify(&hand_zip(dir.path(), "wrong-oxum.zip", wrong), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("bag/bag-info.txt: Payload-Oxum is 3.1"));
}

/// RFC 8493 §2.2.1: a tag manifest need not list every tag file; a
/// `fetch.txt` (or `bag-info.txt`) added after it is fine. A fetch.txt path
/// that leaves the bag is still refused.
#[test]
fn tag_files_a_tag_manifest_leaves_out_are_fine() {
    let dir = tempfile::tempdir().unwrap();
    let pdf: &[u8] = b"%PDF-1.4 a";
    let bagit_txt: &[u8] = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
    let manifest = format!("{}  data/a.pdf\n", digest("sha256", pdf));
    let tags = format!(
        "{}  bagit.txt\n{}  manifest-sha256.txt\n",
        digest("sha256", bagit_txt),
        digest("sha256", manifest.as_bytes())
    );
    let fetch = |path: &str| format!("https://example.org/a.pdf {} {path}\n", pdf.len());
    let files = |fetch: &str| {
        let entries: Vec<(&str, Vec<u8>)> = vec![
            ("data/a.pdf", pdf.to_vec()),
            ("manifest-sha256.txt", manifest.clone().into_bytes()),
            ("tagmanifest-sha256.txt", tags.clone().into_bytes()),
            ("bag-info.txt", b"Contact-Name: A. Archivist\n".to_vec()),
            ("fetch.txt", fetch.as_bytes().to_vec()),
        ];
        entries
    };
    let good = files(&fetch("data/a.pdf"));
    let good: Vec<(&str, &[u8])> = good.iter().map(|(r, b)| (*r, &b[..])).collect();
    let stderr = intact(&verify(&hand_zip(dir.path(), "fetch-unlisted.zip", &good), &[]));
    assert!(!stderr.contains("tag manifest"), "{stderr}");
    for (i, bad) in ["../../README.md", "~user/x"].into_iter().enumerate() {
        let entries = files(&fetch(bad));
        let entries: Vec<(&str, &[u8])> = entries.iter().map(|(r, b)| (*r, &b[..])).collect();
        let out = verify(&hand_zip(dir.path(), &format!("fetch-out-{i}.zip"), &entries), &[]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.starts_with(&format!("bag/fetch.txt: line 1 names {bad:?}: ")), "{stdout}");
    }
    // bagit-python's bag with a fetch.txt added after its tag manifest.
    let edit = "open(os.path.join(bag, 'fetch.txt'), 'w').write('https://example.org/a.pdf 10 data/a.pdf\\n')";
    if let Some(zip) = python_bag(dir.path(), "python-fetch", &[("a.pdf", pdf)], edit) {
        intact(&verify(&zip, &[]));
    }
}

/// Manifests written by `sha256sum -b` and `md5sum -b` (`CHECKSUM *PATH`):
/// each path read without the `*`, the bag checked, one warning a manifest.
#[test]
fn manifests_written_by_coreutils_in_binary_mode_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let bag = dir.path().join("bag");
    std::fs::create_dir_all(bag.join("data")).unwrap();
    std::fs::write(bag.join("bagit.txt"), "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n").unwrap();
    std::fs::write(bag.join("data/a.pdf"), "%PDF-1.4 a").unwrap();
    std::fs::write(bag.join("data/b c.pdf"), "%PDF-1.4 b").unwrap();
    for tool in ["sha256sum", "md5sum"] {
        let out = Command::new(tool).current_dir(&bag).args(["-b", "data/a.pdf", "data/b c.pdf"]).output().unwrap();
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains(" *data/b c.pdf"));
        std::fs::write(bag.join(format!("manifest-{}.txt", tool.trim_end_matches("sum"))), out.stdout).unwrap();
    }
    let zip = dir.path().join("binary.zip");
    zip_folder(&bag, &zip);
    let stderr = intact(&verify(&zip, &[]));
    assert!(
        stderr.contains("warning: bag/manifest-sha256.txt: 2 lines, from line 1, written as `sha256sum -b` writes"),
        "{stderr}"
    );
    assert!(stderr.contains("warning: bag/manifest-md5.txt: 2 lines"), "{stderr}");
    // The checksums are still checked.
    std::fs::write(bag.join("data/a.pdf"), "%PDF-1.4 A").unwrap();
    zip_folder(&bag, &zip);
    let out = verify(&zip, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("bag/data/a.pdf: its sha256 does not match"));
}

/// RFC 8493 §2.1.3: a manifest writes `%`, CR and LF in a path as `%25`,
/// `%0D` and `%0A`; verify decodes them (either case) to find the entry. A
/// leading `./` names the same file.
#[test]
fn percent_encoded_and_dot_slash_paths_in_manifests_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let files: [(&str, &str, &[u8]); 5] = [
        ("data/50%.pdf", "data/50%25.pdf", b"%PDF-1.4 a"),
        ("data/a\nb.pdf", "data/a%0Ab.pdf", b"%PDF-1.4 b"),
        ("data/c\rd.pdf", "data/c%0dd.pdf", b"%PDF-1.4 c"),
        ("data/%41.pdf", "data/%41.pdf", b"%PDF-1.4 d"),
        ("data/e.pdf", "./data/e.pdf", b"%PDF-1.4 e"),
    ];
    let manifest: String =
        files.iter().map(|(_, written, b)| format!("{}  {written}\n", digest("sha256", b))).collect();
    let mut entries: Vec<(&str, &[u8])> = files.iter().map(|(name, _, b)| (*name, *b)).collect();
    entries.push(("manifest-sha256.txt", manifest.as_bytes()));
    let stderr = intact(&verify(&hand_zip(dir.path(), "percent.zip", &entries), &[]));
    assert!(stderr.contains("intact (5 payload files"), "{stderr}");
    // Undecoded, `%0A` would be another file: one missing, one unlisted.
    let literal = manifest.replace("a%0Ab", "a%250Ab");
    entries.pop();
    entries.push(("manifest-sha256.txt", literal.as_bytes()));
    let out = verify(&hand_zip(dir.path(), "percent-wrong.zip", &entries), &[]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("bag/data/a%0Ab.pdf: listed in manifest-sha256.txt but missing"), "{stdout}");
    assert!(stdout.contains("bag/data/a\\nb.pdf: not listed in manifest-sha256.txt"), "{stdout}");
}

/// A manifest line given twice is a warning; one file given two different
/// checksums is damage, whichever matches.
#[test]
fn duplicate_manifest_lines() {
    let dir = tempfile::tempdir().unwrap();
    let pdf: &[u8] = b"%PDF-1.4 a";
    let line = format!("{}  data/a.pdf\n", digest("sha256", pdf));
    let twice = format!("{line}{}", line.to_uppercase().replace("DATA/A.PDF", "data/a.pdf"));
    let entries: [(&str, &[u8]); 2] = [("data/a.pdf", pdf), ("manifest-sha256.txt", twice.as_bytes())];
    let stderr = intact(&verify(&hand_zip(dir.path(), "twice.zip", &entries), &[]));
    assert!(
        stderr.contains("warning: bag/manifest-sha256.txt: line 2 lists \"data/a.pdf\" again, as line 1 does"),
        "{stderr}"
    );
    let other = format!("{line}{}  data/a.pdf\n", "0".repeat(64));
    let entries: [(&str, &[u8]); 2] = [("data/a.pdf", pdf), ("manifest-sha256.txt", other.as_bytes())];
    let out = verify(&hand_zip(dir.path(), "two-sums.zip", &entries), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "bag/manifest-sha256.txt: line 2 lists \"data/a.pdf\" again, with another checksum than line 1\n"
    );
}

/// sha512, sha256, sha1 and md5 manifests are checked (md5 and sha1 with a
/// note: weak); a bag whose only payload manifests use an algorithm verify
/// does not know cannot be checked (exit 5): that is no damage.
#[test]
fn manifest_algorithms_known_weak_and_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let pdf: &[u8] = b"%PDF-1.4 a";
    for alg in ["sha512", "sha256", "sha1", "md5"] {
        let manifest = format!("{}  data/a.pdf\n", digest(alg, pdf));
        let name = format!("manifest-{alg}.txt");
        let entries: [(&str, &[u8]); 2] = [("data/a.pdf", pdf), (&name, manifest.as_bytes())];
        let stderr = intact(&verify(&hand_zip(dir.path(), &format!("{alg}.zip"), &entries), &[]));
        assert_eq!(stderr.contains("it is weak"), matches!(alg, "sha1" | "md5"), "{alg}: {stderr}");
        let wrong = manifest.replacen(&digest(alg, pdf)[..8], "00000000", 1);
        let entries: [(&str, &[u8]); 2] = [("data/a.pdf", pdf), (&name, wrong.as_bytes())];
        let out = verify(&hand_zip(dir.path(), &format!("{alg}-wrong.zip"), &entries), &[]);
        assert_eq!(out.status.code(), Some(1), "{alg}");
    }
    let sha3 = format!("{}  data/a.pdf\n", "ab".repeat(32));
    let entries: [(&str, &[u8]); 2] = [("data/a.pdf", pdf), ("manifest-sha3-256.txt", sha3.as_bytes())];
    let out = verify(&hand_zip(dir.path(), "sha3.zip", &entries), &[]);
    assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("bag/manifest-sha3-256.txt: the payload manifests use only sha3-256"), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot be checked (1 reason above); no damage found"), "{stderr}");
    let json = verify(&hand_zip(dir.path(), "sha3.zip", &entries), &["--format", "json"]);
    assert!(String::from_utf8_lossy(&json.stdout).contains(r#""severity":"unchecked""#));
    // Beside a manifest verify knows, the unknown one is only a warning.
    let sha256 = format!("{}  data/a.pdf\n", digest("sha256", pdf));
    let both: [(&str, &[u8]); 3] =
        [("data/a.pdf", pdf), ("manifest-sha3-256.txt", sha3.as_bytes()), ("manifest-sha256.txt", sha256.as_bytes())];
    let stderr = intact(&verify(&hand_zip(dir.path(), "sha3-sha256.zip", &both), &[]));
    assert!(stderr.contains("warning: bag/manifest-sha3-256.txt: the algorithm \"sha3-256\" is not one"), "{stderr}");
    // Damage is still damage: a file the sha3 manifest lists is missing.
    let more = format!("{sha3}{}  data/gone.pdf\n", "cd".repeat(32));
    let entries: [(&str, &[u8]); 2] = [("data/a.pdf", pdf), ("manifest-sha3-256.txt", more.as_bytes())];
    let out = verify(&hand_zip(dir.path(), "sha3-gone.zip", &entries), &[]);
    assert_eq!(out.status.code(), Some(1));
}

/// The folder `dir` zipped by Python's `zipfile`, each entry compressed
/// with `method` (`ZIP_BZIP2`, `ZIP_LZMA`, `ZIP_DEFLATED`) when `compress`
/// says so for its name.
fn python_zip(dir: &Path, zip: &Path, method: &str, compress: &str) {
    let script = format!(
        "import os, sys, zipfile\ndir, out = sys.argv[1], sys.argv[2]\ntop = os.path.basename(dir)\n\
         with zipfile.ZipFile(out, 'w') as z:\n    for root, _, files in sorted(os.walk(dir)):\n        \
         for f in sorted(files):\n            path = os.path.join(root, f)\n            \
         name = os.path.join(top, os.path.relpath(path, dir))\n            \
         method = zipfile.{method} if {compress} else zipfile.ZIP_DEFLATED\n            \
         z.write(path, name, compress_type=method)\n"
    );
    let out = Command::new("python3").arg("-c").arg(script).arg(dir).arg(zip).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A ZIP entry compressed with bzip2 or LZMA (Python's zipfile, 7-Zip and
/// others write them) is not damage: verify cannot read it, and says so
/// (exit 5). Damage elsewhere in the bag is still found (exit 1).
#[test]
fn bzip2_and_lzma_entries_cannot_be_checked() {
    let dir = tempfile::tempdir().unwrap();
    let Some(zip) = python_bag(dir.path(), "bag", &[("a.pdf", b"%PDF-1.4 a"), ("b.pdf", b"%PDF-1.4 b")], "") else {
        return;
    };
    intact(&verify(&zip, &[]));
    let bag = dir.path().join("bag");
    for method in ["ZIP_BZIP2", "ZIP_LZMA"] {
        // The payload only, then every entry, the manifests too.
        for (i, which) in ["name.endswith('a.pdf')", "True"].into_iter().enumerate() {
            let zip = dir.path().join(format!("{method}-{i}.zip"));
            python_zip(&bag, &zip, method, which);
            let out = verify(&zip, &[]);
            let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert_eq!(out.status.code(), Some(5), "{method} {which}: {stdout}{stderr}");
            let name = if method == "ZIP_BZIP2" { "bzip2" } else { "LZMA" };
            assert!(
                stdout
                    .lines()
                    .all(|l| l.contains(&format!(": is compressed with {name}, which pressroom verify cannot read"))),
                "{stdout}"
            );
            assert!(stdout.contains("bag/data/a.pdf: is compressed with"), "{stdout}");
            assert!(stderr.contains("cannot be checked"), "{stderr}");
        }
    }
    // Damage beside a bzip2 entry is damage.
    std::fs::write(bag.join("data/b.pdf"), b"%PDF-1.4 B").unwrap();
    let zip = dir.path().join("bzip2-damaged.zip");
    python_zip(&bag, &zip, "ZIP_BZIP2", "name.endswith('a.pdf')");
    let out = verify(&zip, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("bag/data/b.pdf: its sha256 does not match"));
}

/// Names that differ only in case or Unicode normalisation are two files,
/// both checked; unzipped on macOS or Windows one would overwrite the
/// other: a warning.
#[test]
fn names_alike_but_for_case_or_normalisation_are_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let nfc = "data/caf\u{e9}.pdf";
    let nfd = "data/cafe\u{301}.pdf";
    let entries: [(&str, &[u8]); 4] = [
        ("data/Report.pdf", b"%PDF-1.4 a"),
        ("data/report.pdf", b"%PDF-1.4 b"),
        (nfc, b"%PDF-1.4 c"),
        (nfd, b"%PDF-1.4 d"),
    ];
    let stderr = intact(&verify(&hand_zip(dir.path(), "alike.zip", &entries), &[]));
    assert!(stderr.contains("intact (4 payload files"), "{stderr}");
    assert!(
        stderr.contains("warning: bag/data/report.pdf: differs from the entry bag/data/Report.pdf only in case"),
        "{stderr}"
    );
    // Entries are checked in byte order: the decomposed name comes first.
    assert!(
        stderr.contains(&format!("warning: bag/{nfc}: differs from the entry bag/{nfd} only in Unicode normalisation")),
        "{stderr}"
    );
    assert_eq!(stderr.matches("warning:").count(), 2, "{stderr}");
}

/// A manifest that writes a name in another Unicode normalisation than the
/// ZIP (`é` decomposed, as macOS may): the file is found, with a warning.
#[test]
fn a_manifest_name_in_another_normalisation_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let pdf: &[u8] = b"%PDF-1.4 a";
    let manifest = format!("{}  data/cafe\u{301}.pdf\n", digest("sha256", pdf));
    let entries: [(&str, &[u8]); 2] = [("data/caf\u{e9}.pdf", pdf), ("manifest-sha256.txt", manifest.as_bytes())];
    let stderr = intact(&verify(&hand_zip(dir.path(), "nfd.zip", &entries), &[]));
    assert!(
        stderr.contains("warning: bag/data/caf\u{e9}.pdf: manifest-sha256.txt line 1 names it in another Unicode"),
        "{stderr}"
    );
    // Its checksum is still checked.
    let wrong = manifest.replacen(&digest("sha256", pdf)[..8], "00000000", 1);
    let entries: [(&str, &[u8]); 2] = [("data/caf\u{e9}.pdf", pdf), ("manifest-sha256.txt", wrong.as_bytes())];
    let out = verify(&hand_zip(dir.path(), "nfd-wrong.zip", &entries), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("bag/data/caf\u{e9}.pdf: its sha256 does not match"));
}
