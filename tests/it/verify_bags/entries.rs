//! ZIP entries `verify` cannot read, and names alike but for case or
//! normalisation.

use super::*;

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
