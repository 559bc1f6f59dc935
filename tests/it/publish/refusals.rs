//! What `publish` refuses to touch: a `file://` destination among the
//! files it reads, and, with `--dry-run`, anything at all.

use std::fs;

use super::publish;
use crate::harness::Store;

#[test]
fn a_file_destination_that_is_contains_or_lies_inside_the_output_content_or_feeds_is_refused() {
    let store = Store::fixture("minimal");
    store.build().ok();
    let root = store.root().canonicalize().unwrap();
    for (dest, guarded, relation) in [
        ("public/www", "public", "lies inside the output folder (--out)"),
        ("public", "public", "is the output folder (--out)"),
        ("", "public", "contains the output folder (--out)"),
        ("content/www", "content", "lies inside the content folder (./content)"),
        ("feeds", "feeds", "is the feed definitions (./feeds)"),
    ] {
        let dest = if dest.is_empty() { root.clone() } else { root.join(dest) };
        let before = crate::harness::files(&root);
        let out = publish(&store, &format!("file://{}", dest.display()), &[]).fails_with(2);
        let said = format!("the destination {} {relation} {}", dest.display(), root.join(guarded).display());
        assert!(out.stderr.contains(&said), "{said}\n{}", out.stderr);
        assert!(crate::harness::files(&root) == before, "{}: a file was written", dest.display());
        assert!(!root.join("public/www").exists() && !root.join("content/www").exists());
    }
}

#[test]
fn format_is_refused_as_a_usage_error_before_anything_is_sent() {
    let store = Store::fixture("minimal");
    store.build().ok();
    let dest = store.root().join("www");
    fs::create_dir(&dest).unwrap();
    for format in ["human", "json", "github"] {
        let out = publish(&store, &format!("file://{}", dest.display()), &["--format", format]).fails_with(2);
        assert!(out.stderr.contains("unexpected argument '--format'"), "{}", out.stderr);
        assert_eq!(out.stdout, "");
        assert_eq!(fs::read_dir(&dest).unwrap().count(), 0, "--format {format}: something was published");
    }
}

#[test]
fn a_dry_run_creates_no_folder() {
    let store = Store::fixture("minimal");
    store.build().ok();
    let dest = store.root().join("www/site");
    let out = publish(&store, &format!("file://{}", dest.display()), &["--dry-run"]).ok();
    assert!(out.stdout.contains("upload robots.txt (new,"), "{}", out.stdout);
    assert!(!store.root().join("www").exists(), "the dry run made the destination");
    fs::create_dir_all(&dest).unwrap();
    publish(&store, &format!("file://{}", dest.display()), &[]).ok();
    let again = publish(&store, &format!("file://{}", dest.display()), &["--dry-run"]).ok();
    assert_eq!(again.stdout, "", "a second dry run plans requests");
}
