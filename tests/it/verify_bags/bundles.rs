//! `verify` on bags pressroom made, changed: weak manifests, junk beside the
//! bag, files to fetch, other kinds of file, a closed stdout, JSON and GitHub
//! output.

use super::*;

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
