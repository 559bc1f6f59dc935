//! Nothing outside its own files, by construction (issue 18): a record read
//! back is input, a file someone changed since pressroom wrote it is theirs,
//! a link in the output leads nowhere pressroom acts, and `check` finds what
//! `build` would fail on. Each test runs the real binary, then checks that
//! every file pressroom did not write keeps its bytes.

use std::fs;
use std::os::unix::fs::symlink;

use crate::harness::*;

/// The files of `dir` outside `out`: what a build must leave as it was.
fn around(store: &Store) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut all = files(store.root());
    all.retain(|rel, _| !rel.starts_with("public/") && !rel.starts_with(".public."));
    all
}

#[test]
fn a_record_naming_paths_outside_the_output_is_refused_before_anything_is_touched() {
    for entry in ["../victim.txt", "/etc/hostname", "news/../../victim.txt", "a\u{1b}[31m"] {
        let store = Store::fixture("minimal");
        store.build().ok();
        fs::write(store.root().join("victim.txt"), b"keep me").unwrap();
        let record = store.out().join(".pressroom.json");
        let honest = fs::read_to_string(&record).unwrap();
        let tampered = honest.replacen("\"files\": {", &format!("\"files\": {{\n    {entry:?}: {{\"size\": 7}},"), 1);
        assert_ne!(tampered, honest);
        fs::write(&record, &tampered).unwrap();
        let store = store.edit("news/2024-02-20-second-news.md", |t| t.replace("second body", "2nd body"));
        let (before, public) = (around(&store), files(&store.out()));
        let out = store.run(&["build", "--into-existing"]).fails_with(2);
        assert!(out.stderr.contains("nothing was changed"), "{}", out.stderr);
        assert!(!out.stderr.contains('\u{1b}'), "no raw control character: {:?}", out.stderr);
        assert_eq!(around(&store), before, "{entry:?}: files beside the output");
        assert_eq!(files(&store.out()), public, "{entry:?}: the output as it was");
        let bucket = store.root().join("bucket");
        store.run(&["publish", "--to", &format!("file://{}", bucket.display())]).fails_with(2);
        assert!(!bucket.exists(), "{entry:?}: nothing sent");
    }
}

#[test]
fn a_record_entry_behind_a_link_is_neither_deleted_nor_sent() {
    let store = Store::fixture("minimal");
    store.build().ok();
    let elsewhere = store.root().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::write(elsewhere.join("victim.txt"), b"keep me").unwrap();
    symlink(&elsewhere, store.out().join("link")).unwrap();
    let record = store.out().join(".pressroom.json");
    let text = fs::read_to_string(&record).unwrap();
    // An entry of an older record (names only) and one with a hash.
    let tampered = text.replacen("\"files\": {", "\"files\": {\n    \"link/victim.txt\": {\"size\": 7},", 1);
    fs::write(&record, tampered).unwrap();
    let bucket = store.root().join("bucket");
    let sent = store.run(&["publish", "--to", &format!("file://{}", bucket.display())]);
    assert!(!sent.status.success(), "{}", sent.stderr);
    assert!(!bucket.join("link/victim.txt").exists());
    store.run(&["build", "--into-existing"]).ok();
    assert_eq!(fs::read(elsewhere.join("victim.txt")).unwrap(), b"keep me");
    assert!(fs::symlink_metadata(store.out().join("link")).unwrap().is_symlink(), "the site's link stays");
}

#[test]
fn a_page_the_site_wrote_over_an_old_name_of_pressroom_is_kept() {
    let store = Store::fixture("minimal");
    store.build().ok();
    // The CMS writes its own news page where pressroom's feed page was…
    let page = store.out().join("news/index.html");
    fs::write(&page, b"<!doctype html><title>News, by the CMS</title>").unwrap();
    // …and the feed moves out of its way, as the README advises.
    let definition = fs::read_to_string(store.feeds().join("news.toml")).unwrap();
    let store = store.write_feed("news.toml", &format!("{definition}\npath = \"feed\"\n"));
    let out = store.run(&["build", "--into-existing"]).ok();
    assert_eq!(fs::read(&page).unwrap(), b"<!doctype html><title>News, by the CMS</title>");
    assert!(out.stderr.contains("news/index.html"), "said once: {}", out.stderr);
    assert!(store.out().join("feed/rss.xml").is_file());
    assert!(!store.out().join("news/rss.xml").exists(), "pressroom's own old files are gone");
    // Said once: the record no longer claims it, it is the site's like any other.
    let again = store.run(&["build", "--into-existing"]).ok();
    assert!(!again.stderr.contains("left in place"), "{}", again.stderr);
    assert!(page.is_file());
}

#[test]
fn a_feed_the_site_changed_is_not_replaced() {
    let store = Store::fixture("minimal");
    store.build().ok();
    let feed = store.out().join("news/rss.xml");
    fs::write(&feed, b"<rss>the site's own</rss>").unwrap();
    let store = store.edit("news/2024-02-20-second-news.md", |t| t.replace("second body", "2nd body"));
    let public = files(&store.out());
    let out = store.run(&["build"]).fails_with(2);
    assert!(out.stderr.contains("news/rss.xml") && out.stderr.contains("changed since"), "{}", out.stderr);
    assert_eq!(files(&store.out()), public, "nothing changed");
}

#[test]
fn a_link_at_the_lock_path_is_not_followed() {
    let store = Store::fixture("minimal");
    let target = store.root().join("precious.conf");
    fs::write(&target, b"setting = 1\n").unwrap();
    symlink(&target, store.root().join(".public.pressroom-lock")).unwrap();
    let out = store.run(&["build"]);
    assert!(!out.status.success());
    assert!(out.stderr.contains("symbolic link"), "{}", out.stderr);
    assert_eq!(fs::read(&target).unwrap(), b"setting = 1\n");
}

#[test]
fn missing_parents_of_the_output_are_made() {
    let store = Store::fixture("minimal");
    store.run(&["build", "--out", "build/site/public"]).ok();
    assert!(store.root().join("build/site/public/news/rss.xml").is_file());
}

#[test]
fn check_finds_what_build_would_fail_on() {
    // A typo inside the loop over the archived feeds of archive.html: only
    // a history with archive documents runs it.
    let mut store = Store::fixture("minimal").write_feed(
        "publications.toml",
        &format!(
            "{}limit = 1\n",
            fs::read_to_string(Store::fixture("minimal").feeds().join("publications.toml")).unwrap()
        ),
    );
    store = store.write(
        "publications/2023-05-01-older.md",
        "+++\ntitle = \"Older\"\ndate = 2023-05-01\nfile = \"pdf/minimal-report.pdf\"\nkind = \"report\"\n+++\n\nOlder.\n",
    );
    let template = fs::read_to_string(std::path::Path::new(REPO).join("feeds/templates/archive.html")).unwrap();
    let broken = template.replacen("{{ f.title }}", "{{ f.title | no_such_filter }}", 1);
    assert_ne!(broken, template);
    let store = store.write_feed("templates/archive.html", &broken);
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(2), "{}", check.stderr);
    assert!(check.codes().contains(&"E0503".to_owned()), "{:?}", check.codes());
    store.build().fails_with(2);

    // A feed on the names pressroom keeps for itself.
    for path in [".pressroom.json", ".pressroom-staging", ".pressroom-lock/x"] {
        let store = Store::fixture("minimal").write_feed(
            "news.toml",
            &format!(
                "{}path = {path:?}\n",
                fs::read_to_string(Store::fixture("minimal").feeds().join("news.toml")).unwrap()
            ),
        );
        let check = store.check(&[]);
        assert!(!check.status.success(), "{path}: {}", check.stdout);
        assert!(check.codes().contains(&"E0203".to_owned()), "{path}: {:?}", check.codes());
        assert!(!store.build().status.success());
    }

    // A file a body shows, at the path of a bundle.
    let store = Store::fixture("minimal")
        .write("news/archive-clash.md", "+++\ntitle = \"Clash\"\ndate = 2024-03-05\nurl = \"/archive/x/\"\n+++\n\n[zip](../example-org-publications-all.zip)\n")
        .write("example-org-publications-all.zip", b"PK not a bundle");
    let check = store.check(&[]);
    assert!(check.codes().contains(&"E0203".to_owned()), "{:?} {}", check.codes(), check.stderr);
    assert!(!store.build().status.success());
}
