//! Every bundle a valid bag, its ZIP free of the machine's traces, its bytes
//! set by the content alone, its paths read alike by every validator.

use super::*;

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
        // 7-Zip extracts the very same files, byte for byte.
        let seven = tempfile::tempdir().unwrap();
        if seven_zip_to(&zip, seven.path()) {
            assert_eq!(files(&seven.path().join(&top)), files(&bag), "7-Zip's {top}/ against Python's");
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
    let seven = tempfile::tempdir().unwrap();
    if seven_zip_to(&zip, seven.path()) {
        let pdf = seven.path().join(format!("{PREFIX}-2021/data/2021/isecg-annual-report-2020/{in_bag}"));
        assert!(pdf.is_file(), "7-Zip reads the UTF-8 name as written");
    }
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
