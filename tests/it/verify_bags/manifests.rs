//! Bags made by hand, by bagit-python and by coreutils: what their manifests
//! and tag files may say.

use super::*;

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
