//! What an archivist gets, checked with the tools archivists use: yearly
//! bundles whose bytes never change once their year is closed, bags that
//! pass the published BagIt profile (`bagit_profile`), RO-Crate metadata that
//! ro-crate-py loads with every PDF described, and `SHA256SUMS` /
//! `SHA512SUMS` that coreutils checks.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::Command;

use crate::harness::*;

const PREFIX: &str = "globalspaceexploration-org-publications";

/// Each file of `archive/` by name: its bytes and inode.
fn archive(out: &Outcome) -> BTreeMap<String, (Vec<u8>, u64)> {
    let dir = out.path("archive");
    fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, (fs::read(&path).unwrap(), fs::metadata(&path).unwrap().ino()))
        })
        .collect()
}

/// The names whose bytes differ between `a` and `b`, or that only one has.
fn changed(a: &BTreeMap<String, (Vec<u8>, u64)>, b: &BTreeMap<String, (Vec<u8>, u64)>) -> Vec<String> {
    let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    names.into_iter().filter(|n| a.get(*n).map(|f| &f.0) != b.get(*n).map(|f| &f.0)).cloned().collect()
}

#[test]
fn a_closed_years_bundle_keeps_its_bytes_and_its_file() {
    let store = Store::shipped();
    let before = archive(&store.build().ok());

    // A publication of a new year.
    let pdf = fs::read(store.content().join("publications/pdf/isecg-annual-report-2020.pdf")).unwrap();
    let store = store.write("publications/pdf/new.pdf", pdf).write(
        "publications/2024-06-01-new-report.md",
        "+++\ntitle = \"A new report\"\ndate = 2024-06-01\nfile = \"pdf/new.pdf\"\n+++\n\nNew.\n",
    );
    let after = archive(&store.build().ok());
    let expected = [
        format!("{PREFIX}-2024.zip"),
        format!("{PREFIX}-2024.zip.sha256"),
        format!("{PREFIX}-all.zip"),
        format!("{PREFIX}-all.zip.sha256"),
        "SHA256SUMS".to_owned(),
        "SHA512SUMS".to_owned(),
        "index.html".to_owned(),
        "index.json".to_owned(),
    ];
    let mut expected = expected.to_vec();
    expected.sort();
    assert_eq!(changed(&before, &after), expected);
    for year in ["2013", "2015", "2016", "2018", "2020", "2021"] {
        let name = format!("{PREFIX}-{year}.zip");
        assert_eq!(before[&name].1, after[&name].1, "{name} was written again");
    }

    // A later clock (SOURCE_DATE_EPOCH a year on) changes no bundle either.
    let later = archive(&store.env("SOURCE_DATE_EPOCH", "1798761600").build().ok());
    assert_eq!(changed(&after, &later), Vec::<String>::new());
}

const CHECK_BAGS: &str = r#"
import glob, json, os, sys, zipfile, hashlib
import bagit, bagit_profile
from rocrate.rocrate import ROCrate
archive, scratch = sys.argv[1], sys.argv[2]
profile = json.load(open(os.path.join(archive, "bagit-profile.json")))
identifier = profile["BagIt-Profile-Info"]["BagIt-Profile-Identifier"]
for zpath in sorted(glob.glob(os.path.join(archive, "*.zip"))):
    checker = bagit_profile.Profile(identifier, profile=profile)
    assert checker.validate_serialization(zpath), zpath
    zipfile.ZipFile(zpath).extractall(scratch)
    top = os.path.join(scratch, os.path.basename(zpath)[:-4])
    bag = bagit.Bag(top)
    bag.validate()
    assert checker.validate(bag), (zpath, [str(e) for e in checker.report.errors])
    crate = ROCrate(os.path.join(top, "data"))
    files = {e.id: e for e in crate.get_entities() if e.type == "File" and e.id.endswith(".pdf")}
    pdfs = [p for p in glob.glob(os.path.join(top, "data", "*", "*", "*")) if p.endswith(".pdf")]
    assert len(files) == len(pdfs) > 0, (zpath, sorted(files), pdfs)
    index = json.load(open(os.path.join(top, "data", "index.json")))["publications"]
    for record in index:
        entity = files[record["path"][len("data/"):]]
        data = open(os.path.join(top, record["path"]), "rb").read()
        assert entity["sha256"] == hashlib.sha256(data).hexdigest(), record["path"]
        assert entity["contentSize"] == str(len(data))
        for key, field in [("name", "title"), ("url", "pdf_url"), ("genre", "kind"), ("inLanguage", "language"), ("datePublished", "date")]:
            assert entity[key] == record[field], (key, entity[key], record[field])
    assert crate.root_dataset["publisher"] is not None and crate.root_dataset["datePublished"]
    print("ok", os.path.basename(zpath), len(files), "PDFs")
"#;

#[test]
fn every_bag_passes_the_published_profile_and_its_crate_describes_every_pdf() {
    let available = python_has("bagit") && python_has("bagit_profile") && python_has("rocrate");
    if !have("python3 bagit, bagit-profile and rocrate", available) {
        return;
    }
    let out = Store::shipped().build().ok();
    let scratch = tempfile::tempdir().unwrap();
    let run = Command::new("python3").arg("-c").arg(CHECK_BAGS).arg(out.path("archive")).arg(scratch.path()).output();
    let run = run.unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(stdout.matches("ok ").count(), 7, "{stdout}");
    let profile: serde_json::Value = serde_json::from_str(&out.read("archive/bagit-profile.json")).unwrap();
    assert_eq!(profile["Serialization"], "required");
    assert_eq!(profile["Accept-Serialization"], serde_json::json!(["application/zip"]));
    assert_eq!(profile["Accept-BagIt-Version"], serde_json::json!(["1.0"]));
}

#[test]
fn coreutils_check_every_bundle_against_the_sums_files() {
    let out = Store::shipped().build().ok();
    let dir = out.path("archive");
    for (tool, file) in [("sha256sum", "SHA256SUMS"), ("sha512sum", "SHA512SUMS")] {
        if !have(tool, on_path(tool)) {
            continue;
        }
        let run = Command::new(tool).arg("-c").arg(file).current_dir(&dir).output().unwrap();
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(run.status.success(), "{tool} -c {file}: {stdout}");
        assert_eq!(stdout.matches(": OK").count(), 7, "{stdout}");
        assert!(Path::new(&dir).join(file).is_file());
    }
}
