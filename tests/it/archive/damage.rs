//! `verify` on a bundle damaged one way at a time.

use super::*;

/// Rewrites `zip` with the `zip` crate, entry by entry: `change` may alter an
/// entry's bytes or drop it (None); `extra` entries are appended.
fn rewrite(zip: &Path, to: &Path, change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>, extra: &[(&str, &[u8])]) {
    let mut src = zip::ZipArchive::new(File::open(zip).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..src.len() {
        let mut file = src.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if let Some(bytes) = change(&name, bytes) {
            out.start_file(name.as_str(), options).unwrap();
            out.write_all(&bytes).unwrap();
        }
    }
    for (name, bytes) in extra {
        out.start_file(*name, options).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap();
}

/// `pressroom verify` on a damaged copy: exit 1 and every `expected` line
/// fragment printed.
fn assert_damage_found(zip: &Path, expected: &[&str]) {
    let out = verify(zip);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "verify {}: {stdout}", zip.display());
    for fragment in expected {
        assert!(stdout.contains(fragment), "expected {fragment:?} in:\n{stdout}");
    }
}

#[test]
fn verify_names_each_damaged_entry() {
    let site = Store::shipped();
    let archive = site.build_archive("public", Some(EPOCH));
    let good = archive.join(format!("{PREFIX}-2021.zip"));
    let out = verify(&good);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(out.stdout.is_empty());

    let top = format!("{PREFIX}-2021");
    let pdf = format!("{top}/data/2021/isecg-annual-report-2020/isecg-annual-report-2020.pdf");
    let tmp = tempfile::tempdir().unwrap();
    let damaged = |name: &str| tmp.path().join(name);

    // A byte of a PDF flipped (the ZIP's CRC recomputed: only the manifests can tell).
    rewrite(
        &good,
        &damaged("flipped.zip"),
        |name, mut bytes| {
            if name.ends_with(".pdf") {
                bytes[100] ^= 1;
            }
            Some(bytes)
        },
        &[],
    );
    assert_damage_found(
        &damaged("flipped.zip"),
        &[
            &format!("{pdf}: its sha256 does not match manifest-sha256.txt"),
            &format!("{pdf}: its sha512 does not match"),
        ],
    );

    // A byte flipped in place: the ZIP's own CRC catches it.
    let mut bytes = fs::read(&good).unwrap();
    let at = bytes.windows(9).position(|w| w == b"%PDF-1.4\n").expect("the PDF is stored") + 20;
    bytes[at] ^= 0x20;
    fs::write(damaged("crc.zip"), &bytes).unwrap();
    assert_damage_found(&damaged("crc.zip"), &[&format!("{pdf}: cannot be read")]);

    // A payload file removed.
    rewrite(&good, &damaged("removed.zip"), |name, b| (!name.ends_with(".pdf")).then_some(b), &[]);
    assert_damage_found(
        &damaged("removed.zip"),
        &[&format!("{pdf}: listed in manifest-sha256.txt but missing"), &format!("{top}/bag-info.txt: Payload-Oxum")],
    );

    // A file added to the payload.
    let added = format!("{top}/data/2021/extra.pdf");
    rewrite(&good, &damaged("added.zip"), |_, b| Some(b), &[(&added, b"%PDF-1.4 extra")]);
    assert_damage_found(
        &damaged("added.zip"),
        &[
            &format!("{added}: not listed in manifest-sha256.txt"),
            &format!("{added}: not listed in manifest-sha512.txt"),
        ],
    );

    // A manifest line edited.
    rewrite(
        &good,
        &damaged("manifest.zip"),
        |name, bytes| {
            if !name.ends_with("/manifest-sha256.txt") {
                return Some(bytes);
            }
            let text = String::from_utf8(bytes).unwrap();
            let line = text.lines().find(|l| l.ends_with(".pdf")).unwrap();
            let edited = format!("{}{}", if line.starts_with('0') { "1" } else { "0" }, &line[1..]);
            Some(text.replace(line, &edited).into_bytes())
        },
        &[],
    );
    assert_damage_found(
        &damaged("manifest.zip"),
        &[
            &format!("{pdf}: its sha256 does not match manifest-sha256.txt"),
            &format!("{top}/manifest-sha256.txt: its sha256 does not match tagmanifest-sha256.txt"),
        ],
    );

    // Truncated: no central directory; the entry cut off is named.
    let bytes = fs::read(&good).unwrap();
    let cut = bytes.windows(9).position(|w| w == b"%PDF-1.4\n").unwrap() + 100;
    fs::write(damaged("truncated.zip"), &bytes[..cut]).unwrap();
    assert_damage_found(
        &damaged("truncated.zip"),
        &["truncated.zip: not a complete ZIP file", &format!("{pdf}: cannot be read")],
    );

    // Not a ZIP at all, and an empty file: nothing verify can check, named
    // in one line (exit 5), no panic.
    for (name, bytes, what) in
        [("text.zip", &b"this is not a zip\n"[..], "of a kind"), ("empty.zip", b"", "an empty file")]
    {
        fs::write(damaged(name), bytes).unwrap();
        let out = verify(&damaged(name));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(5), "{name}: {stderr}");
        assert!(stderr.contains(what) && stderr.lines().count() == 1, "{name}: {stderr}");
    }

    // A missing file is an I/O failure (3), not a damaged bundle.
    assert_eq!(verify(&damaged("missing.zip")).status.code(), Some(3));
}
