//! `pressroom verify` on bags kept as folders and zipped, of every BagIt
//! version from 0.93 to 1.0: tag files in the encoding `bagit.txt`
//! declares, `package-info.txt`, `fetch.txt`'s `-`, BLAKE2, and what the
//! BagIt conformance suite taught (a name in another case, `./` paths,
//! Finder files, a BOM in `bagit.txt`). The bags are the hand-made ones of
//! `tests/fixtures/bags/` (written by `scripts/make_bag_fixtures.py`, their
//! checksums by Python's hashlib) and bags bagit-python makes here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::harness::*;

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bags").join(case)
}

fn verify(path: &Path) -> Output {
    pressroom().arg("verify").arg(path).output().unwrap()
}

/// The bag folder `dir` zipped with the `zip` crate (deflate), under its
/// own name as the top folder, as archivists download bags.
fn zip_folder(dir: &Path, zip: &Path) {
    let top = dir.file_name().unwrap().to_str().unwrap();
    zip_folder_as(dir, zip, &format!("{top}/"), &[]);
}

/// `zip_folder` with each entry's name after `prefix`, and symbolic links
/// (`links`: name, target) stored as `zip -y` stores them.
fn zip_folder_as(dir: &Path, zip: &Path, prefix: &str, links: &[(&str, &str)]) {
    let mut writer = zip::ZipWriter::new(std::fs::File::create(zip).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut stack = vec![dir.to_owned()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() { stack.push(path) } else { files.push(path) }
        }
    }
    files.sort();
    for path in files {
        let rel = path.strip_prefix(dir).unwrap().to_str().unwrap();
        writer.start_file(format!("{prefix}{rel}"), options).unwrap();
        writer.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    for (link, target) in links {
        writer.add_symlink(format!("{prefix}{link}"), *target, options).unwrap();
    }
    writer.finish().unwrap();
}

/// Verify's exit code and all it printed, for the bag `case` as a folder
/// and zipped: both must say the same.
#[track_caller]
fn check(case: &str, code: i32, said: &[&str]) {
    let dir = fixture(case);
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join(format!("{case}.zip"));
    zip_folder(&dir, &zip);
    for path in [dir.as_path(), zip.as_path()] {
        let out = verify(path);
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(code), "{}:\n{text}", path.display());
        for s in said {
            assert!(text.contains(s), "{}: {s:?} not said in:\n{text}", path.display());
        }
    }
}

/// A copy of the fixture `case` in a temporary folder, to be changed.
fn copy(case: &str, tmp: &Path) -> PathBuf {
    let to = tmp.join(case);
    let status = Command::new("cp").arg("-r").arg(fixture(case)).arg(&to).status().unwrap();
    assert!(status.success());
    to
}

#[test]
fn tag_files_are_read_in_the_encoding_bagit_txt_declares() {
    for case in ["v0.97-iso-8859-1", "v0.97-utf-16-bom", "v0.97-utf-16-no-bom-be", "v1.0-utf-16le"] {
        check(case, 0, &["intact (2 payload files, 17 bytes)"]);
    }
    // The same bytes read as UTF-8 are damage: the decoding is what reads them.
    let tmp = tempfile::tempdir().unwrap();
    for case in ["v0.97-iso-8859-1", "v0.97-utf-16-bom"] {
        let bag = copy(case, tmp.path());
        std::fs::write(bag.join("bagit.txt"), "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n").unwrap();
        let out = verify(&bag);
        assert_eq!(out.status.code(), Some(1), "{case}: {}", String::from_utf8_lossy(&out.stdout));
        assert!(String::from_utf8_lossy(&out.stdout).contains("manifest-sha256.txt: is not UTF-8 text"));
    }
}

#[test]
fn bagit_txt_is_utf_8_without_a_byte_order_mark_and_other_tag_files_may_have_one() {
    check("v0.97-bom-in-bagit-txt", 1, &["bagit.txt: starts with a byte-order mark"]);
    check("v1.0-utf-8-bom-in-manifest", 0, &["warning: v1.0-utf-8-bom-in-manifest/manifest-sha256.txt: starts with"]);
}

#[test]
fn an_encoding_or_version_verify_does_not_know_cannot_be_checked() {
    check("v1.0-unknown-encoding", 5, &["\"EBCDIC-US\", an encoding verify does not read", "cannot be checked"]);
    check("v2.0-unknown-version", 5, &["declares BagIt 2.0, a version verify does not know"]);
    check("v1.1-newer-minor", 0, &["warning: v1.1-newer-minor/bagit.txt: declares BagIt 1.1", "intact"]);
}

#[test]
fn bags_of_bagit_0_93_to_0_96() {
    // package-info.txt, CR LF, one space between checksum and path, MD5.
    check("v0.93-package-info", 0, &["intact (2 payload files"]);
    // Its Payload-Oxum is read, and checked.
    check("v0.95-package-info-wrong-oxum", 1, &["package-info.txt: Payload-Oxum is 99.2 but the payload is 17.2"]);
    check("v0.96-cr-line-ends", 0, &["intact (2 payload files"]);
    // fetch.txt: `-` for a length not known; anything else but a number is damage.
    check("v0.96-fetch-unknown-length", 5, &["data/remote.txt: to be fetched from https://example.org/remote.txt"]);
    check("v0.97-fetch-bad-length", 1, &["fetch.txt: line 1: the length \"many\" is neither a number"]);
}

#[test]
fn what_the_conformance_suite_asks_a_warning_for() {
    check(
        "v0.97-case-differs",
        0,
        &["warning: v0.97-case-differs/data/hello.txt: manifest-sha512.txt line 2 names it in another case"],
    );
    // A line of another checksum does not name the file of another line:
    // on a disk where the two names are one file, one line is wrong; here,
    // its file is missing.
    check(
        "v0.97-case-differs-wrong-checksum",
        1,
        &["data/HELLO.txt: listed in manifest-sha512.txt but missing from the"],
    );
    check("v0.97-dot-slash", 0, &["manifest-sha256.txt: 2 lines, from line 1, names a path starting with `./`"]);
    check(
        "v0.97-system-files",
        0,
        &["data/.DS_Store: a file macOS or Windows writes by itself", "data/Thumbs.db: a file"],
    );
}

#[test]
fn blake2b_manifests_of_each_length_are_checked() {
    check("v1.0-blake2b-256", 0, &["intact"]);
    check("v1.0-blake2b-512", 0, &["intact"]);
    check("v1.0-blake2b-256-damaged", 1, &["data/hello.txt: its blake2b-256 does not match manifest-blake2b-256.txt"]);
}

/// Links in a bag's folder are not followed out of it; FIFOs are not read.
#[test]
fn a_bag_folder_is_read_as_untrusted_input() {
    let tmp = tempfile::tempdir().unwrap();
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, b"not the bag's").unwrap();
    let bag = copy("v1.0-blake2b-512", tmp.path());
    std::os::unix::fs::symlink(&secret, bag.join("data/secret.txt")).unwrap();
    let fifo = std::ffi::CString::new(bag.join("data/pipe").into_os_string().into_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let out = verify(&bag);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("data/secret.txt: a symbolic link leading out of the bag"), "{stdout}");
    assert!(stdout.contains("data/pipe: a FIFO (named pipe), not a regular file: not read"), "{stdout}");
    // Neither is called unlisted: they were not read as payload files.
    assert!(!stdout.contains("not listed"), "{stdout}");
}

/// bagit-python's bags in its several modes, as folders and zipped with
/// `zip` and Python's zipfile: intact, and damage found.
#[test]
fn bags_made_by_bagit_python_in_each_mode() {
    if !have("bagit-python", python_has("bagit")) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let modes: [&[&str]; 4] =
        [&["--sha512"], &["--md5"], &["--blake2b", "--blake2s"], &["--processes", "2", "--sha1", "--sha256"]];
    for (i, mode) in modes.into_iter().enumerate() {
        let bag = tmp.path().join(format!("bag{i}"));
        std::fs::create_dir_all(bag.join("sub")).unwrap();
        std::fs::write(bag.join("café.pdf"), b"%PDF-1.4 cafe").unwrap();
        std::fs::write(bag.join("sub/50% off.txt"), b"half").unwrap();
        let out = Command::new("python3").args(["-m", "bagit", "--quiet"]).args(mode).arg(&bag).output().unwrap();
        assert!(out.status.success(), "{mode:?}: {}", String::from_utf8_lossy(&out.stderr));
        let mut zips = vec![tmp.path().join(format!("bag{i}-crate.zip"))];
        zip_folder(&bag, &zips[0]);
        let python = tmp.path().join(format!("bag{i}-python.zip"));
        let script = "import os, sys, zipfile\nd, out = sys.argv[1], sys.argv[2]\n\
                      with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:\n    \
                      for root, _, files in os.walk(d):\n        for f in files:\n            \
                      p = os.path.join(root, f)\n            \
                      z.write(p, os.path.join(os.path.basename(d), os.path.relpath(p, d)))\n";
        let out = Command::new("python3").arg("-c").arg(script).arg(&bag).arg(&python).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        zips.push(python);
        if on_path("zip") {
            let zip = tmp.path().join(format!("bag{i}-zip.zip"));
            let out = Command::new("zip")
                .args(["-qr"])
                .arg(&zip)
                .arg(format!("bag{i}"))
                .current_dir(tmp.path())
                .output()
                .unwrap();
            assert!(out.status.success());
            zips.push(zip);
        }
        for path in std::iter::once(&bag).chain(&zips) {
            let out = verify(path);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{mode:?} {}: {}",
                path.display(),
                String::from_utf8_lossy(&out.stdout)
            );
        }
        std::fs::write(bag.join("data/sub/50% off.txt"), b"full").unwrap();
        let out = verify(&bag);
        assert_eq!(out.status.code(), Some(1), "{mode:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("50% off.txt: its"), "{mode:?}");
    }
}

/// A bag bagit-python writes and validates with its tag files in UTF-16:
/// its bag made, then every tag file but bagit.txt written again in UTF-16
/// and the tag manifests computed anew, and bagit-python's own validation
/// passing before verify reads it.
#[test]
fn a_utf_16_bag_that_bagit_python_validates() {
    if !have("bagit-python", python_has("bagit")) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let bag = tmp.path().join("utf16");
    std::fs::create_dir(&bag).unwrap();
    std::fs::write(bag.join("café.txt"), "café\n").unwrap();
    let script = r#"
import bagit, hashlib, os, sys
d = sys.argv[1]
bagit.make_bag(d, {"Source-Organization": "Bibliothèque"}, checksums=["sha256"])
for name in ("manifest-sha256.txt", "bag-info.txt"):
    p = os.path.join(d, name)
    text = open(p, encoding="utf-8").read()
    open(p, "w", encoding="utf-16").write(text)
open(os.path.join(d, "bagit.txt"), "w").write("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-16\n")
lines = ""
for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt"):
    lines += hashlib.sha256(open(os.path.join(d, name), "rb").read()).hexdigest() + "  " + name + "\n"
open(os.path.join(d, "tagmanifest-sha256.txt"), "w", encoding="utf-16").write(lines)
bagit.Bag(d).validate()
"#;
    let out = Command::new("python3").arg("-c").arg(script).arg(&bag).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = verify(&bag);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

/// A bag folder `top` under `dir` with `files` (paths under `data/`) and
/// a SHA-256 manifest of `listed` (path, bytes), so that a manifest may
/// name what the payload lacks; then `tag` files as given.
fn made_bag(dir: &Path, top: &str, files: &[(&str, &[u8])], listed: &[(&str, &[u8])], tag: &[(&str, &str)]) -> PathBuf {
    use sha2::Digest as _;
    let bag = dir.join(top);
    for (path, bytes) in files {
        let path = bag.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    std::fs::write(bag.join("bagit.txt"), "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n").unwrap();
    let manifest: String = listed
        .iter()
        .map(|(path, bytes)| {
            let sum: String = sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
            format!("{sum}  {path}\n")
        })
        .collect();
    std::fs::write(bag.join("manifest-sha256.txt"), manifest).unwrap();
    for (name, text) in tag {
        std::fs::write(bag.join(name), text).unwrap();
    }
    bag
}

/// Verify's exit code and all it printed for `path`.
fn said(path: &Path) -> (Option<i32>, String) {
    let out = verify(path);
    (out.status.code(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// What a trial with other tools' bags found: a lost file is not taken for
/// its twin in another case, a file to be fetched must be listed, one
/// Payload-Oxum, and what bagit-python reads past is read past here too.
#[test]
fn other_tools_bags_get_the_verdicts_rfc_8493_gives() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    // README.txt lost beside readme.txt of other bytes: it is missing, and
    // readme.txt is intact.
    let bag = made_bag(
        t,
        "twins",
        &[("data/readme.txt", b"one")],
        &[("data/README.txt", b"two"), ("data/readme.txt", b"one")],
        &[],
    );
    let (code, text) = said(&bag);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("twins/data/README.txt: listed in manifest-sha256.txt but missing from the folder"),
        "{text}"
    );
    assert!(!text.contains("readme.txt: its"), "{text}");
    // RFC 8493 §2.2.3: what fetch.txt lists, every payload manifest lists.
    let bag = made_bag(
        t,
        "fetch",
        &[("data/a.txt", b"a")],
        &[("data/a.txt", b"a")],
        &[("fetch.txt", "https://example.org/x 1 data/x.txt\n")],
    );
    let (code, text) = said(&bag);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("fetch/fetch.txt: lists \"data/x.txt\", which manifest-sha256.txt does not"), "{text}");
    // A wrong Payload-Oxum does not hide behind a right one; `06.1` is 6.1.
    let oxum = |name: &str, info: &str| {
        made_bag(t, name, &[("data/a.txt", b"abcdef")], &[("data/a.txt", b"abcdef")], &[("bag-info.txt", info)])
    };
    let (code, text) = said(&oxum("twice", "Payload-Oxum: 999.9\nPayload-Oxum: 6.1\n"));
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("twice/bag-info.txt: gives Payload-Oxum on 2 lines (1, 2), which RFC 8493 allows once"),
        "{text}"
    );
    assert!(text.contains("Payload-Oxum is 999.9 but the payload is 6.1"), "{text}");
    assert_eq!(said(&oxum("zero", "Payload-Oxum: 06.1\n")).0, Some(0));
    // Blanks after a manifest path or a bagit.txt value: read past, warned.
    let bag = made_bag(t, "blanks", &[("data/a.txt", b"a")], &[("data/a.txt ", b"a")], &[]);
    std::fs::write(bag.join("bagit.txt"), "BagIt-Version: 1.0 \nTag-File-Character-Encoding: UTF-8\n\n").unwrap();
    let (code, text) = said(&bag);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("blanks/data/a.txt: manifest-sha256.txt line 1 names it with blanks after its name"),
        "{text}"
    );
    assert!(text.contains("blanks/bagit.txt: has blanks after a value and a blank line after its two"), "{text}");
}

/// ZIPs as other tools write them: a symbolic link stored as one (`zip
/// -y`), a name in code page 437 without the UTF-8 flag (DOS and old
/// Windows tools), a bag zipped from inside its folder.
#[test]
fn zips_of_other_tools_are_read_as_their_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let zip_of = |name: &str, prefix: &str, bag: &Path, links: &[(&str, &str)]| -> PathBuf {
        let path = t.join(name);
        zip_folder_as(bag, &path, prefix, links);
        path
    };
    // A link to a file of the bag: checked as that file, as in a folder.
    let bag = made_bag(t, "link", &[("data/a.txt", b"a")], &[("data/a.txt", b"a"), ("data/l.txt", b"a")], &[]);
    let zip = zip_of("link.zip", "link/", &bag, &[("data/l.txt", "a.txt")]);
    let (code, text) = said(&zip);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("link/data/l.txt: a symbolic link to a.txt, inside the bag: checked as that file"), "{text}");
    // A tag file stored as a link to a payload file is read through it:
    // here a manifest that leaves that file out.
    let bag = made_bag(t, "taglink", &[("data/a.txt", b"a")], &[("data/a.txt", b"a")], &[]);
    std::fs::rename(bag.join("manifest-sha256.txt"), bag.join("data/m.txt")).unwrap();
    let zip = zip_of("taglink.zip", "taglink/", &bag, &[("manifest-sha256.txt", "data/m.txt")]);
    let (code, text) = said(&zip);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("taglink/data/m.txt: not listed in manifest-sha256.txt"), "{text}");
    // One leading out of the bag is not followed, so its file is missing.
    let zip = zip_of("out.zip", "link/", &bag, &[("data/l.txt", "../../x/a.txt")]);
    let (code, text) = said(&zip);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("link/data/l.txt: a symbolic link to ../../x/a.txt, leading out of the bag: not followed"),
        "{text}"
    );
    // `café.txt` in code page 437 (é is 0x82), the UTF-8 flag clear: the
    // name patched into a ZIP of a same-length ASCII name.
    let bag = made_bag(t, "cp", &[("data/cafX.txt", b"x")], &[("data/café.txt", b"x")], &[]);
    let zip = zip_of("cp.zip", "cp/", &bag, &[]);
    let mut bytes = std::fs::read(&zip).unwrap();
    let at: Vec<usize> = bytes.windows(8).enumerate().filter(|(_, w)| *w == b"cafX.txt").map(|(i, _)| i).collect();
    assert_eq!(at.len(), 2, "a local and a central header");
    for i in at {
        bytes[i + 3] = 0x82;
    }
    std::fs::write(&zip, bytes).unwrap();
    let (code, text) = said(&zip);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("cp/data/café.txt: its name is not UTF-8: read in code page 437"), "{text}");
    // Zipped from inside its folder: said as such, and its files checked.
    let bag = made_bag(t, "inside", &[("data/a.txt", b"a")], &[("data/a.txt", b"b")], &[]);
    let zip = zip_of("inside.zip", "", &bag, &[]);
    let (code, text) = said(&zip);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("inside.zip: bagit.txt is at the ZIP's root: the bag was zipped from inside its folder"),
        "{text}"
    );
    assert!(text.contains("data/a.txt: its sha256 does not match manifest-sha256.txt (line 1)"), "{text}");
}
