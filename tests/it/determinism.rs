//! Same input, same output: byte for byte, and a rebuild touches nothing.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::time::SystemTime;

use crate::harness::*;

/// Modification time and inode of every file under the output.
fn stamps(out: &Outcome) -> BTreeMap<String, (SystemTime, u64)> {
    let mut stamps = BTreeMap::new();
    walk(&out.out_dir, &out.out_dir, &mut |rel, path| {
        let meta = fs::metadata(path).unwrap();
        stamps.insert(rel.to_owned(), (meta.modified().unwrap(), meta.ino()));
    });
    stamps
}

#[test]
fn two_builds_are_byte_identical_and_a_rebuild_changes_no_mtime() {
    for store in [Store::shipped(), Store::fixture("minimal")] {
        let first = store.build().ok();
        let files = first.files();
        assert!(files.len() >= 9, "{:?}", files.keys());
        let before = stamps(&first);
        // Coarse file systems: make a rewrite visible in the mtime.
        std::thread::sleep(std::time::Duration::from_millis(20));

        let second = store.build().ok();
        assert_eq!(second.files(), files, "a second build changed bytes");
        assert_eq!(stamps(&second), before, "a second build rewrote files");

        // A build into a fresh folder writes the same bytes too.
        let elsewhere = store.build_into(&store.root().join("elsewhere")).ok();
        let other = elsewhere.files();
        assert_eq!(other.keys().collect::<Vec<_>>(), files.keys().collect::<Vec<_>>());
        for (rel, bytes) in &files {
            assert!(other[rel] == *bytes, "{rel} differs between two builds");
        }
    }
}

#[test]
fn output_does_not_depend_on_the_clock_once_every_item_is_due() {
    let store = Store::fixture("minimal");
    let a = store.build_into(&store.root().join("a")).ok();
    let b = store.env("SOURCE_DATE_EPOCH", "1924992000");
    let b = b.build_into(&b.root().join("b")).ok();
    // The archive bundles take their timestamps from SOURCE_DATE_EPOCH by
    // design; everything else must not depend on it.
    let mut a = a.files();
    let mut b = b.files();
    for files in [&mut a, &mut b] {
        files.retain(|rel, _| !rel.starts_with("archive/"));
    }
    assert!(a.len() >= 9, "{:?}", a.keys());
    for (rel, bytes) in &a {
        assert!(b.get(rel) == Some(bytes), "SOURCE_DATE_EPOCH leaked into {rel}");
    }
    assert_eq!(a.len(), b.len());
}

#[test]
fn the_output_depends_on_the_time_zone_only_in_how_dates_are_written() {
    let out = Store::fixture("minimal").edit("site.toml", |t| format!("{t}timezone = \"Europe/Paris\"\n")).build().ok();
    let rss = out.read("news/rss.xml");
    // A date alone means 00:00 in the site's zone.
    assert!(rss.contains("<pubDate>Wed, 10 Jan 2024 00:00:00 +0100</pubDate>"), "{rss}");
    let atom = out.read("news/atom.xml");
    assert!(atom.contains("2024-01-10T00:00:00+01:00"), "{atom}");
}
