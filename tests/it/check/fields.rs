//! Front matter and its fields: syntax, keys, types, dates, duplicates and
//! the files an item names.

use super::*;

#[test]
fn a_valid_store_checks_clean_and_nothing_is_written() {
    let store = Store::fixture("minimal");
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "", "no problems");
    nothing_written(&store);
}

#[test]
fn front_matter_not_closed() {
    let store = Store::fixture("minimal").write(NEW, "+++\ntitle = \"New\"\ndate = 2024-05-01\n\nBody.\n");
    let p = only(&store, 1, "E0101", &shown(NEW), 1, 1);
    assert!(p.hint.unwrap().contains("+++"));
}

#[test]
fn front_matter_missing() {
    let store = Store::fixture("minimal").write(NEW, "# New\n\ntitle = \"New\"\n");
    only(&store, 1, "E0100", &shown(NEW), 1, 1);
}

#[test]
fn front_matter_not_parsable() {
    // The string is never closed: TOML stops at the end of line 2, after
    // `title = "New` (12 characters).
    let store = Store::fixture("minimal").write(NEW, news("title = \"New\ndate = 2024-05-01\n", "Body.\n"));
    only(&store, 1, "E0102", &shown(NEW), 2, 13);
}

#[test]
fn unknown_key_with_a_hint() {
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("title = ", "tilte = "));
    let p = only(&store, 1, "E0103", &shown(FIRST), 2, 1);
    assert_eq!(p.name, "unknown-key");
    assert!(p.message.contains("\"tilte\""), "{p:?}");
    assert_eq!(p.hint.as_deref(), Some("did you mean \"title\"?"));
}

#[test]
fn each_kind_of_file_takes_its_own_keys() {
    // A publication's key in a news item, an item's key in a page.
    let store =
        Store::fixture("minimal").write(NEW, news("title = \"New\"\ndate = 2024-05-01\nkind = \"report\"\n", "B.\n"));
    let p = only(&store, 1, "E0103", &shown(NEW), 4, 1);
    assert_eq!(p.message, "unknown key \"kind\" for a news item");
    assert!(p.hint.unwrap().starts_with("a news item takes title, date, updated,"));
    let store =
        Store::fixture("minimal").edit("pages/about.md", |t| t.replacen("title = ", "tags = [\"a\"]\ntitle = ", 1));
    let p = only(&store, 1, "E0103", &shown("pages/about.md"), 2, 1);
    assert_eq!(p.message, "unknown key \"tags\" for a page");
    assert_eq!(p.hint.as_deref(), Some("a page takes title, updated, slug"));
}

#[test]
fn every_unknown_key_and_wrong_type_of_one_file() {
    let store = Store::fixture("minimal")
        .write(NEW, news("tilte = \"New\"\ndate = 2024-05-01\nsumary = \"red\"\ndraft = \"yes\"\n", "Body.\n"));
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(1));
    out.has("E0103", &shown(NEW), 2, 1);
    out.has("E0103", &shown(NEW), 4, 1);
    out.has("E0105", &shown(NEW), 5, 9);
    assert_eq!(out.json().len(), 3, "{}", out.stdout);
}

#[test]
fn missing_required_field() {
    // A dated news item without one is titled after its name instead (W0111,
    // tests/it/moving_in.rs); a publication's title is required.
    let store = Store::fixture("minimal").edit(REPORT, |t| t.replace("title = \"Minimal Report\"\n", ""));
    let p = only(&store, 1, "E0104", &shown(REPORT), 1, 1);
    assert!(p.message.contains("\"title\""), "{p:?}");
    let store = Store::fixture("minimal").edit(REPORT, |t| t.replace("file = \"pdf/minimal-report.pdf\"\n", ""));
    let p = only(&store, 1, "E0104", &shown(REPORT), 1, 1);
    assert!(p.message.contains("\"file\""), "{p:?}");
}

#[test]
fn wrong_type() {
    let store =
        Store::fixture("minimal").write(NEW, news("title = \"New\"\ndate = 2024-05-01\ndraft = \"yes\"\n", "B.\n"));
    let p = only(&store, 1, "E0105", &shown(NEW), 4, 9);
    assert_eq!(p.message, "draft must be true or false, without quotes", "{p:?}");
    assert_eq!(p.hint.as_deref(), Some("e.g. draft = true"), "{p:?}");
}

#[test]
fn bad_date_as_a_toml_date_value() {
    // TOML itself refuses the 30th of February.
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("date = 2024-01-10", "date = 2024-02-30"));
    let p = only(&store, 1, "E0106", &shown(FIRST), 3, 8);
    assert!(p.hint.unwrap().contains("2021-12-02T09:30:00Z"), "the hint lists the accepted forms");
}

#[test]
fn bad_date_as_a_string() {
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("date = 2024-01-10", "date = \"2024-02-30\""));
    let p = only(&store, 1, "E0106", &shown(FIRST), 3, 8);
    assert!(p.message.contains("2024-02-30"), "{p:?}");
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("date = 2024-01-10", "date = \"10 Jan 2024\""));
    only(&store, 1, "E0106", &shown(FIRST), 3, 8);
}

#[test]
fn duplicate_slug_across_files() {
    let store = Store::fixture("minimal")
        .write(NEW, news("title = \"New\"\ndate = 2024-05-01\nslug = \"first-news\"\n", "Body.\n"));
    let p = only(&store, 1, "E0201", &shown(NEW), 4, 1);
    assert!(p.message.contains(&shown(FIRST)), "names the other file: {p:?}");
}

#[test]
fn duplicate_id_across_files_and_sections() {
    let id = "tag:example.org,2024-01-10:news/first-news";
    let rel = "publications/2024-06-01-copy.md";
    let store = Store::fixture("minimal").write(
        rel,
        format!(
            "+++\ntitle = \"Copy\"\ndate = 2024-06-01\nfile = \"pdf/minimal-report.pdf\"\nid = \"{id}\"\n+++\n\nB.\n"
        ),
    );
    let p = only(&store, 1, "E0202", &shown(rel), 5, 1);
    assert!(p.message.contains(&shown(FIRST)), "names the other file: {p:?}");
}

#[test]
fn file_missing_names_the_nearest_pdf() {
    let store =
        Store::fixture("minimal").edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/minimal-reprot.pdf"));
    let p = only(&store, 1, "E0301", &shown(REPORT), 7, 8);
    assert_eq!(p.hint.as_deref(), Some("did you mean \"pdf/minimal-report.pdf\"?"));
}

#[test]
fn file_absolute() {
    let store = Store::fixture("minimal");
    let pdf = store.content().join("publications/pdf/minimal-report.pdf");
    let store = store.edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", pdf.to_str().unwrap()));
    only(&store, 1, "E0302", &shown(REPORT), 7, 8);
}

#[test]
fn file_escaping_with_dot_dot() {
    let pdf = fs::read(Store::fixture("minimal").content().join("publications/pdf/minimal-report.pdf")).unwrap();
    let store = Store::fixture("minimal")
        .write("../outside.pdf", &pdf)
        .edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/../../../outside.pdf"));
    only(&store, 1, "E0302", &shown(REPORT), 7, 8);
}

#[test]
fn file_symlink_pointing_outside() {
    let pdf = fs::read(Store::fixture("minimal").content().join("publications/pdf/minimal-report.pdf")).unwrap();
    let store = Store::fixture("minimal").write("../outside.pdf", &pdf);
    std::os::unix::fs::symlink(store.root().join("outside.pdf"), store.content().join("publications/pdf/link.pdf"))
        .unwrap();
    let store = store.edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/link.pdf"));
    let p = only(&store, 1, "E0302", &shown(REPORT), 7, 8);
    assert!(p.message.contains("outside the content folder"), "{p:?}");
}

#[test]
fn file_empty() {
    let store = Store::fixture("minimal")
        .write("publications/pdf/empty.pdf", "")
        .edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/empty.pdf"));
    let p = only(&store, 1, "E0303", &shown(REPORT), 7, 8);
    assert!(p.message.contains("empty"), "{p:?}");
}

#[test]
fn file_not_a_pdf() {
    let store = Store::fixture("minimal")
        .write("publications/pdf/fake.pdf", "<html>not a PDF</html>\n")
        .edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/fake.pdf"));
    let p = only(&store, 1, "E0303", &shown(REPORT), 7, 8);
    assert!(p.message.contains("%PDF-"), "{p:?}");
}
