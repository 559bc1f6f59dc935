//! Load once (issue 20, item 2): `check` and `build` do not render again an
//! item the last build proved from the very same inputs, and the record
//! they read (`.public.pressroom-cache/proved`) changes no result: a
//! warm check finds exactly what a check with no cache finds, and a damaged
//! record is ignored.

use std::fs;

use crate::harness::*;

/// An item template that fails only for an item whose body says "Boom":
/// whether it fails depends on the item's bytes, which the record keys on.
const TEMPLATE: &str = "{% if \"Boom\" in content %}\n{{ item.nope }}{% endif %}{{ content | safe }}\n";

/// `pressroom build` as `check` runs, with the folders named alike (the
/// record keys on the paths as given: see README).
fn build(store: &Store) -> Outcome {
    store.run(&["build", "--quiet"])
}

fn record(store: &Store) -> std::path::PathBuf {
    store.root().join(".public.pressroom-cache/proved")
}

/// `check`'s exit code and problems, as JSON.
fn checked(store: &Store) -> (Option<i32>, Vec<Problem>) {
    let run = store.check(&[]);
    (run.status.code(), run.json())
}

#[test]
fn a_warm_check_finds_what_a_check_with_no_cache_finds() {
    let store = Store::fixture("minimal").write_feed("templates/item.html", TEMPLATE);
    build(&store).ok();
    assert!(record(&store).is_file(), "a successful build records what it proved");
    assert_eq!(checked(&store).0, Some(0));

    // An edit of the body alone (the front matter as it was) makes the
    // template fail for that item: the warm check renders it and says so.
    store.change("content/news/2024-02-20-second-news.md", |t| t.replace("The second body", "Boom: the second body"));
    let warm = checked(&store);
    assert_eq!(warm.0, Some(2), "{warm:?}");
    let found: Vec<_> = warm.1.iter().filter(|p| p.code == "E0503").collect();
    assert_eq!(found.len(), 1, "{warm:?}");
    assert!(found[0].message.contains("second-news"), "{found:?}");
    // A build fails on it too, and records nothing new.
    let before = fs::read(record(&store)).unwrap();
    build(&store).fails_with(2);
    assert_eq!(fs::read(record(&store)).unwrap(), before);

    fs::remove_dir_all(store.root().join(".public.pressroom-cache")).unwrap();
    assert_eq!(checked(&store), warm, "the same result with no cache");
}

#[test]
fn a_damaged_or_foreign_record_is_ignored() {
    let store = Store::fixture("minimal").write_feed("templates/item.html", TEMPLATE);
    build(&store).ok();
    store.change("content/news/2024-01-10-first-news.md", |t| format!("{t}\nBoom.\n"));
    let cold = {
        let saved = fs::read(record(&store)).unwrap();
        fs::remove_file(record(&store)).unwrap();
        let cold = checked(&store);
        fs::write(record(&store), saved).unwrap();
        cold
    };
    assert_eq!(cold.0, Some(2));
    let bytes = fs::read(record(&store)).unwrap();
    let newline = bytes.iter().position(|&b| b == b'\n').unwrap();
    let (head, body) = (&bytes[..=newline], &bytes[newline + 1..]);
    // A record whose checksum no longer matches; then records whole (their
    // checksum right) of another pressroom build, with a torn last print,
    // with prints out of order.
    let mut flipped = bytes.clone();
    *flipped.last_mut().unwrap() ^= 1;
    let whole = |body: Vec<u8>| {
        let sum = blake3::hash(&body).to_hex();
        [format!("pressroom-proved 3 {sum}\n").into_bytes(), body].concat()
    };
    assert_eq!(whole(body.to_vec()), bytes, "the record's format as this test knows it");
    let mut foreign = body.to_vec();
    foreign[0] ^= 1;
    let torn = body[..body.len() - 1].to_vec();
    let mut unsorted = body.to_vec();
    unsorted.extend_from_slice(&[0; 32]);
    let bad = [flipped, whole(foreign), whole(torn), whole(unsorted), Vec::new(), head.to_vec()];
    for bad in bad {
        fs::write(record(&store), &bad).unwrap();
        assert_eq!(checked(&store), cold, "{:?}", String::from_utf8_lossy(&bad[..bad.len().min(80)]));
    }
}

#[test]
fn check_reads_the_cache_of_the_output_it_is_given() {
    let store = Store::fixture("minimal");
    store.run(&["build", "--quiet", "--out", "site"]).ok();
    assert!(store.root().join(".site.pressroom-cache/proved").is_file());
    let run = store.check(&["--out", "site"]);
    assert_eq!(run.status.code(), Some(0), "{}", run.stderr);
    assert!(!store.out().exists() && !store.root().join(".public.pressroom-cache").exists(), "check writes nothing");
}
