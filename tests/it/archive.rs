//! The archive bundles, checked the way an archivist would: unzip a bundle
//! and validate the bag with bagit-python (`pip install bagit`), check each
//! sidecar with `sha256sum -c`, rebuild and compare bytes, damage a bundle
//! and run `pressroom verify`, and bundle a PDF over 4 GiB (ZIP64).
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

use crate::harness::{EPOCH, REPO, Store, have, on_path, pressroom, python_has, skipped};

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

#[test]
fn every_bundle_is_a_valid_bag_with_a_checked_sidecar() {
    let site = Store::shipped();
    let archive = site.build_archive("public", Some(EPOCH));
    let names: Vec<String> = zips(&archive).iter().map(|z| z.file_name().unwrap().to_string_lossy().into()).collect();
    let years = ["2013", "2015", "2016", "2018", "2020", "2021"];
    let mut expected: Vec<String> = years.iter().map(|y| format!("{PREFIX}-{y}.zip")).collect();
    expected.push(format!("{PREFIX}-all.zip"));
    assert_eq!(names, expected);

    // The listing names every bundle with its size and checksum.
    let listing: serde_json::Value = serde_json::from_slice(&fs::read(archive.join("index.json")).unwrap()).unwrap();
    let listed = listing["bundles"].as_array().unwrap();
    assert_eq!(listed.len(), names.len());
    assert_eq!(listed[0]["name"], format!("{PREFIX}-all.zip"));
    assert_eq!(listed[0]["items"], 8);
    assert_eq!(listed[0]["years"].as_array().unwrap().len(), 6);
    for bundle in listed {
        let zip = archive.join(bundle["name"].as_str().unwrap());
        assert_eq!(bundle["size"].as_u64().unwrap(), fs::metadata(&zip).unwrap().len());
        assert_eq!(bundle["sha256"].as_str().unwrap(), sha256_file(&zip));
        assert_eq!(
            bundle["url"].as_str().unwrap(),
            format!("https://www.globalspaceexploration.org/archive/{}", bundle["name"].as_str().unwrap())
        );
    }

    if let Some(mut sha256sum) = tool("sha256sum") {
        let sidecars: Vec<String> = names.iter().map(|n| format!("{n}.sha256")).collect();
        let out = sha256sum.current_dir(&archive).arg("-c").args(&sidecars).output().unwrap();
        assert!(out.status.success(), "sha256sum -c: {}", String::from_utf8_lossy(&out.stdout));
        assert_eq!(String::from_utf8_lossy(&out.stdout).matches(": OK").count(), names.len());
    }

    let unzipped = tempfile::tempdir().unwrap();
    for zip in zips(&archive) {
        let out = verify(&zip);
        assert!(out.status.success(), "verify {}: {}", zip.display(), String::from_utf8_lossy(&out.stdout));
        unzip_to(&zip, unzipped.path());
        let top = zip.file_stem().unwrap().to_string_lossy().into_owned();
        let bag = unzipped.path().join(&top);
        assert!(bag.join("bagit.txt").is_file(), "{top}/ is the single top folder");
        if bagit_installed() {
            let out = Command::new("python3").args(["-m", "bagit", "--validate"]).arg(&bag).output().unwrap();
            assert!(out.status.success(), "bagit.py --validate {top}: {}", String::from_utf8_lossy(&out.stderr));
        }
    }

    // One year's bag, read as a person or a script would.
    let bag = unzipped.path().join(format!("{PREFIX}-2018"));
    assert_eq!(
        fs::read_to_string(bag.join("bagit.txt")).unwrap(),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    );
    let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    for line in [
        "Source-Organization: International Space Exploration Coordination Group (ISECG)\n",
        "External-Identifier: https://www.globalspaceexploration.org/archive/globalspaceexploration-org-publications-2018.zip\n",
        "Bagging-Date: 2018-02-02\n",
        "Bag-Group-Identifier: globalspaceexploration-org-publications-by-year\n",
        "BagIt-Profile-Identifier: https://www.globalspaceexploration.org/archive/bagit-profile.json\n",
    ] {
        assert!(info.contains(line), "bag-info.txt lacks {line:?}:\n{info}");
    }
    let pdf = "data/2018/global-exploration-roadmap-3rd-edition/global-exploration-roadmap-3rd-edition.pdf";
    let shipped = Path::new(REPO).join("content/publications/pdf/global-exploration-roadmap-3rd-edition.pdf");
    assert_eq!(fs::read(bag.join(pdf)).unwrap(), fs::read(&shipped).unwrap());
    let csv = fs::read_to_string(bag.join("data/index.csv")).unwrap();
    assert!(csv.starts_with(
        "id,title,date,updated,kind,edition,language,summary,tags,publisher,url,pdf_url,path,size,sha256\r\n"
    ));
    assert_eq!(csv.matches("\r\n").count(), 3, "header and two records, CRLF");
    assert!(csv.contains(&format!(",{pdf},861,{}\r\n", sha256_file(&shipped))));
    let json: serde_json::Value = serde_json::from_slice(&fs::read(bag.join("data/index.json")).unwrap()).unwrap();
    let record = &json["publications"][0];
    assert_eq!(record["title"], "ISECG Global Exploration Roadmap (3rd edition)");
    assert_eq!(record["path"], pdf);
    assert_eq!(record["edition"], "3rd");
    assert_eq!(record["sha256"], sha256_file(&shipped));
    let html = fs::read_to_string(bag.join("data/index.html")).unwrap();
    assert!(
        html.contains(
            "href=\"2018/global-exploration-roadmap-3rd-edition/global-exploration-roadmap-3rd-edition.pdf\""
        )
    );
}

#[test]
fn zip_entries_carry_nothing_from_the_machine() {
    let site = Store::shipped();
    let archive = site.build_archive("public", Some(EPOCH));
    let zip_path = archive.join(format!("{PREFIX}-all.zip"));
    let bytes = fs::read(&zip_path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut names = Vec::new();
    let mut times = Vec::new();
    for i in 0..zip.len() {
        let file = zip.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let (local, central) = (file.header_start() as usize, file.central_header_start() as usize);
        let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
        assert_eq!(u16_at(local + 6) & (1 << 11), 1 << 11, "{name}: UTF-8 flag (local header)");
        assert_eq!(u16_at(central + 8) & (1 << 11), 1 << 11, "{name}: UTF-8 flag (central header)");
        assert_eq!(u16_at(local + 28), 0, "{name}: no extra field (local header)");
        assert_eq!(u16_at(central + 30), 0, "{name}: no extra field (central header)");
        assert_eq!(file.version_made_by(), (6, 3), "{name}");
        assert_eq!(file.unix_mode(), Some(0o100_644), "{name}");
        let method =
            if name.ends_with(".pdf") { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
        assert_eq!(file.compression(), method, "{name}");
        let t = file.last_modified().unwrap();
        times.push((name.clone(), (t.year(), t.month(), t.day(), t.hour(), t.minute())));
        names.push(name);
    }
    let top = format!("{PREFIX}-all/");
    assert!(names.iter().all(|n| n.starts_with(&top) && !n.contains("..")));
    let tags: Vec<_> = names.iter().take(6).map(|n| &n[top.len()..]).collect();
    assert_eq!(
        tags,
        [
            "bagit.txt",
            "bag-info.txt",
            "manifest-sha256.txt",
            "manifest-sha512.txt",
            "tagmanifest-sha256.txt",
            "tagmanifest-sha512.txt"
        ]
    );
    let payload = &names[6..];
    assert!(payload.windows(2).all(|w| w[0] < w[1]), "payload sorted: {payload:?}");
    assert_eq!(payload.len(), 8 + 4, "the PDFs, three indexes and the RO-Crate metadata");

    // Without SOURCE_DATE_EPOCH the times come from the content: each PDF its
    // publication's date, the rest the newest publication's.
    let archive = site.build_archive("public-noepoch", None);
    let mut zip = zip::ZipArchive::new(File::open(archive.join(format!("{PREFIX}-all.zip"))).unwrap()).unwrap();
    let date = |zip: &mut zip::ZipArchive<File>, suffix: &str| {
        let i = (0..zip.len()).find(|&i| zip.by_index(i).unwrap().name().unwrap().ends_with(suffix)).unwrap();
        let t = zip.by_index(i).unwrap().last_modified().unwrap();
        (t.year(), t.month(), t.day())
    };
    assert_eq!(date(&mut zip, "bagit.txt"), (2021, 5, 21));
    assert_eq!(date(&mut zip, "benefits-stemming-from-space-exploration.pdf"), (2013, 9, 20));
    let info = zip_text(&archive.join(format!("{PREFIX}-all.zip")), "bag-info.txt");
    assert!(info.contains("Bagging-Date: 2021-05-21\n"), "{info}");
    // SOURCE_DATE_EPOCH clamps: an epoch later than every change (the one
    // above) leaves every time as the content gives it, so a closed year's
    // bundle keeps its bytes however the clock moves.
    for (i, (name, time)) in times.iter().enumerate() {
        let t = zip.by_index(i).unwrap().last_modified().unwrap();
        assert_eq!(*time, (t.year(), t.month(), t.day(), t.hour(), t.minute()), "{name}");
    }
}

fn zip_text(zip: &Path, suffix: &str) -> String {
    let mut zip = zip::ZipArchive::new(File::open(zip).unwrap()).unwrap();
    let i = (0..zip.len()).find(|&i| zip.by_index(i).unwrap().name().unwrap().ends_with(suffix)).unwrap();
    let mut text = String::new();
    zip.by_index(i).unwrap().read_to_string(&mut text).unwrap();
    text
}

#[test]
fn same_content_same_bytes_and_one_change_touches_only_its_bundles() {
    let site = Store::shipped();
    let first = sums(&site.build_archive("one", Some(EPOCH)));
    let second = sums(&site.build_archive("two", Some(EPOCH)));
    assert_eq!(first, second, "two builds of the same content");
    assert_eq!(first.len(), 7);

    // Rebuilding into the same folder keeps the previous zips (same inode).
    let archive = site.build_archive("one", Some(EPOCH));
    let inodes = |dir: &Path| -> Vec<u64> { zips(dir).iter().map(|z| fs::metadata(z).unwrap().ino()).collect() };
    let before = inodes(&archive);
    site.build_archive("one", Some(EPOCH));
    assert_eq!(inodes(&archive), before, "unchanged bundles are not rewritten");

    site.change("content/publications/2018-01-08-scientific-opportunities-beyond-leo-full.md", |t| {
        t.replacen("title = \"Scientific", "title = \"Revised: Scientific", 1)
    });
    let after = sums(&site.build_archive("one", Some(EPOCH)));
    let changed: Vec<&str> = first.keys().filter(|name| first[*name] != after[*name]).map(String::as_str).collect();
    assert_eq!(changed, [format!("{PREFIX}-2018.zip"), format!("{PREFIX}-all.zip")]);
    let inodes_after = inodes(&archive);
    let same_inode = before.iter().zip(&inodes_after).filter(|(a, b)| a == b).count();
    assert_eq!(same_inode, 5, "the five untouched year bundles keep their file");
    // And the new bytes are still a clean bag.
    assert!(verify(&archive.join(format!("{PREFIX}-2018.zip"))).status.success());
}

#[test]
fn unusual_file_names_give_bag_paths_every_validator_reads_alike() {
    let site = Store::shipped();
    let name = "Rapport annuel 50% \u{2013} \u{e9}t\u{e9}.pdf";
    fs::rename(
        site.path("content/publications/pdf/isecg-annual-report-2020.pdf"),
        site.path(&format!("content/publications/pdf/{name}")),
    )
    .unwrap();
    site.change("content/publications/2021-05-21-isecg-annual-report-2020.md", |t| {
        t.replace("pdf/isecg-annual-report-2020.pdf", &format!("pdf/{name}"))
    });
    let archive = site.build_archive("public", Some(EPOCH));
    let zip = archive.join(format!("{PREFIX}-2021.zip"));
    let manifest = zip_text(&zip, "/manifest-sha256.txt");
    // `%` becomes `~25` in the bag (bagit-python 1.9 does not decode RFC 8493's `%25`).
    let in_bag = "Rapport annuel 50~25 \u{2013} \u{e9}t\u{e9}.pdf";
    let encoded = format!("data/2021/isecg-annual-report-2020/{in_bag}\n");
    assert!(manifest.contains(&encoded), "{manifest}");
    let out = verify(&zip);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let unzipped = tempfile::tempdir().unwrap();
    unzip_to(&zip, unzipped.path());
    let pdf = unzipped.path().join(format!("{PREFIX}-2021/data/2021/isecg-annual-report-2020/{in_bag}"));
    assert!(pdf.is_file(), "the UTF-8 name survives unzipping");
    if bagit_installed() {
        let bag = unzipped.path().join(format!("{PREFIX}-2021"));
        let out = Command::new("python3").args(["-m", "bagit", "--validate"]).arg(&bag).output().unwrap();
        assert!(out.status.success(), "bagit: {}", String::from_utf8_lossy(&out.stderr));
    }
    let html = zip_text(&zip, "data/index.html");
    assert!(
        html.contains(
            "href=\"2021/isecg-annual-report-2020/Rapport%20annuel%2050~25%20%E2%80%93%20%C3%A9t%C3%A9.pdf\""
        )
    );
    let json = zip_text(&zip, "data/index.json");
    assert!(json.contains(&format!("\"path\": \"data/2021/isecg-annual-report-2020/{in_bag}\"")));
    assert!(json.contains("Rapport%20annuel%2050%25%20%E2%80%93%20%C3%A9t%C3%A9.pdf\""), "the PDF URL keeps the name");
}

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

#[test]
fn a_store_may_override_the_catalogue_template() {
    let site = Store::shipped();
    fs::write(
        site.path("feeds/templates/index.html"),
        "<h1>{{ site.title }}</h1>{% for p in publications %}<p>{{ p.title }} {{ p.sha256 }}</p>{% endfor %}\n",
    )
    .unwrap();
    let archive = site.build_archive("public", Some(EPOCH));
    let html = zip_text(&archive.join(format!("{PREFIX}-2021.zip")), "data/index.html");
    assert!(
        html.starts_with("<h1>International Space Exploration Coordination Group</h1><p>ISECG Annual Report 2020 ")
    );
    assert!(verify(&archive.join(format!("{PREFIX}-2021.zip"))).status.success());

    fs::write(site.path("feeds/templates/index.html"), "{% for p in publications %}").unwrap();
    let out = pressroom()
        .current_dir(site.root())
        .args(["build", "--out", "public"])
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a broken template is a configuration error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("index.html"));
}

/// A PDF of 4.1 GiB (sparse: it costs no disk until bundled) makes the
/// bundles ZIP64; Python's zipfile reads them back and checks every CRC.
/// Slow: the PDF is copied to `public/publications/` and into two bundles
/// (12 GiB written), hashed, and read back by Python and by `verify`: about
/// 90 s on this 2-core machine, the longest test of the suite. It says
/// SKIPPED where the disk has no room for it.
#[test]
fn a_pdf_over_4_gib_is_bundled_with_zip64() {
    let site = Store::shipped();
    let needed = 14 << 30;
    match free_bytes(site.root()) {
        Some(free) if free >= needed => {}
        free => {
            skipped(&format!("needs 14 GiB free, {free:?} bytes here"));
            return;
        }
    }
    let pdf = site.path("content/publications/pdf/isecg-annual-report-2020.pdf");
    let file = fs::OpenOptions::new().write(true).open(&pdf).unwrap();
    let size = (4.1 * f64::from(1u32 << 30)) as u64;
    file.set_len(size).unwrap();
    drop(file);
    let archive = site.build_archive("public", Some(EPOCH));
    for name in [format!("{PREFIX}-2021.zip"), format!("{PREFIX}-all.zip")] {
        let zip = archive.join(&name);
        assert!(fs::metadata(&zip).unwrap().len() > size);
        let out = Command::new("python3")
            .args([
                "-c",
                "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nbad = z.testzip()\nassert bad is None, bad\n\
                 big = [i for i in z.infolist() if i.file_size > 4 << 30]\nassert len(big) == 1, big\nprint(big[0].filename)",
            ])
            .arg(&zip)
            .output()
            .unwrap();
        assert!(out.status.success(), "python zipfile on {name}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).trim().ends_with("isecg-annual-report-2020.pdf"));
    }
    let out = verify(&archive.join(format!("{PREFIX}-2021.zip")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

/// The bytes free on the file system of `path`, as `df` reports them.
fn free_bytes(path: &Path) -> Option<u64> {
    let out = Command::new("df").arg("-Pk").arg(path).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let kib: u64 = text.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()?;
    Some(kib * 1024)
}

/// Sets the modification time of `path`, keeping its bytes.
fn set_mtime(path: &Path, time: std::time::SystemTime) {
    File::options().write(true).open(path).unwrap().set_modified(time).unwrap();
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.insert(path.strip_prefix(root).unwrap().to_string_lossy().into_owned(), fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The inode of every zip, by file name.
fn inodes(archive: &Path) -> BTreeMap<String, u64> {
    zips(archive)
        .iter()
        .map(|z| (z.file_name().unwrap().to_string_lossy().into_owned(), fs::metadata(z).unwrap().ino()))
        .collect()
}

/// The zips whose SHA-256 differs between two `sums`, short names (`2018`, `all`).
fn changed(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<String> {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    a.keys()
        .filter(|k| a[*k] != b[*k])
        .map(|k| k.trim_start_matches(&format!("{PREFIX}-")).trim_end_matches(".zip").to_owned())
        .collect()
}

/// The build cache (`.public.pressroom-cache/` beside the output): a
/// rebuild takes unchanged bundles over unread, every input that reaches a
/// bundle changes it, and the output is byte for byte that of a build
/// without the cache. One PDF edit is by design not seen: bytes changed with
/// the size and modification time put back (the trade-off of make and rsync).
#[test]
fn the_build_cache_skips_unchanged_work_and_changes_no_byte() {
    let site = Store::shipped();
    // Sources as an editor's are: not modified in the last seconds (a PDF
    // modified just now is hashed every time, see src/archive/cache.rs).
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    for entry in fs::read_dir(site.path("content/publications/pdf")).unwrap() {
        set_mtime(&entry.unwrap().path(), old);
    }
    // Builds into `fresh` with no cache: what the cached `public` must equal.
    let fresh = |epoch: &str| {
        let _ = fs::remove_dir_all(site.path("fresh"));
        let _ = fs::remove_dir_all(site.path(".fresh.pressroom-cache"));
        site.build_archive("fresh", Some(epoch));
        tree(&site.path("fresh"))
    };
    let same_as_fresh = |epoch: &str, what: &str| {
        assert!(tree(&site.path("public")) == fresh(epoch), "{what}: the cached build differs from one without cache");
    };

    let archive = site.build_archive("public", Some(EPOCH));
    let cache = site.path(".public.pressroom-cache/cache.json");
    assert!(cache.is_file(), "the cache is written beside the output");
    assert!(!tree(&site.path("public")).keys().any(|k| k.contains("cache")), "and nothing of it inside");
    let mut sums_now = sums(&archive);
    let ino = inodes(&archive);

    // Nothing changed: every bundle is the previous file.
    site.build_archive("public", Some(EPOCH));
    assert_eq!(inodes(&archive), ino);
    assert_eq!(sums(&archive), sums_now);
    same_as_fresh(EPOCH, "no change");

    // Each input that reaches a bundle changes exactly the bundles it is in.
    let step =
        |sums_now: &mut BTreeMap<String, String>, what: &str, epoch: &str, expected: &[&str], edit: &dyn Fn()| {
            edit();
            let archive = site.build_archive("public", Some(epoch));
            let after = sums(&archive);
            assert_eq!(changed(sums_now, &after), expected, "{what}");
            for zip in zips(&archive) {
                assert!(verify(&zip).status.success(), "{what}: {} verifies", zip.display());
            }
            same_as_fresh(epoch, what);
            *sums_now = after;
        };
    step(&mut sums_now, "a title", EPOCH, &["2018", "all"], &|| {
        site.change("content/publications/2018-01-08-scientific-opportunities-beyond-leo-full.md", |t| {
            t.replacen("title = \"Scientific", "title = \"Revised: Scientific", 1)
        })
    });
    step(&mut sums_now, "a tag", EPOCH, &["2013", "all"], &|| {
        site.change("content/publications/2013-09-20-benefits-stemming-from-space-exploration.md", |t| {
            t.replacen("tags = [", "tags = [\"new-tag\", ", 1)
        })
    });
    step(
        &mut sums_now,
        "the catalogue template",
        EPOCH,
        &["2013", "2015", "2016", "2018", "2020", "2021", "all"],
        &|| {
            let default = fs::read_to_string(site.path("feeds/templates/index.html"))
                .unwrap_or_else(|_| fs::read_to_string(Path::new(REPO).join("feeds/templates/index.html")).unwrap());
            fs::write(site.path("feeds/templates/index.html"), default.replacen("<", "<!-- edited -->\n<", 1)).unwrap();
        },
    );
    step(&mut sums_now, "a site field", EPOCH, &["2013", "2015", "2016", "2018", "2020", "2021", "all"], &|| {
        site.change("content/site.toml", |t| t.replacen("title = \"", "title = \"The ", 1))
    });
    // SOURCE_DATE_EPOCH only clamps times: one later than every change
    // changes no bundle (a closed year's bundle keeps its bytes).
    step(&mut sums_now, "SOURCE_DATE_EPOCH", "1767225602", &[], &|| {});
    step(&mut sums_now, "SOURCE_DATE_EPOCH back", EPOCH, &[], &|| {});

    // A PDF's bytes changed, its size and modification time put back: by
    // design not seen (the digest cache trusts size, time and inode), so the
    // bundles stay as they were, while a build without cache sees it.
    let pdf = site.path("content/publications/pdf/isecg-annual-report-2020.pdf");
    let ino = inodes(&site.path("public/archive"));
    let mut bytes = fs::read(&pdf).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x20;
    fs::write(&pdf, &bytes).unwrap();
    set_mtime(&pdf, old);
    let archive = site.build_archive("public", Some(EPOCH));
    assert_eq!(changed(&sums_now, &sums(&archive)), Vec::<String>::new(), "size and time put back: not seen");
    assert_eq!(inodes(&archive), ino, "every bundle taken over, none rewritten (its PDF would not match)");
    let without_cache = fresh(EPOCH);
    let name = format!("archive/{PREFIX}-2021.zip");
    assert_ne!(without_cache[&name], fs::read(archive.join(format!("{PREFIX}-2021.zip"))).unwrap());

    // A new modification time: hashed again, and the bundles follow.
    set_mtime(&pdf, old + std::time::Duration::from_secs(1));
    step(&mut sums_now, "a PDF with a new modification time", EPOCH, &["2021", "all"], &|| {});

    // A damaged or foreign cache is ignored: same bytes, rebuilt cache.
    for bad in [&b"not a cache"[..], b"pressroom-cache 1 00\n{}"] {
        fs::write(&cache, bad).unwrap();
        let archive = site.build_archive("public", Some(EPOCH));
        assert_eq!(sums(&archive), sums_now);
        same_as_fresh(EPOCH, "a damaged cache");
        assert_ne!(fs::read(&cache).unwrap(), bad, "rewritten");
    }
    fs::remove_dir_all(site.path(".public.pressroom-cache")).unwrap();
    site.build_archive("public", Some(EPOCH));
    same_as_fresh(EPOCH, "no cache");
}
