//! Load once (issue 20, item 2): a build keeps the files it parsed beside
//! the output (`.public.pressroom-cache/parsed-00` to `parsed-3f`), and the next build or
//! check takes a file's parse from there while the file is in the state
//! recorded, or holds the same bytes. Parses that looked at other files
//! (the files a body shows, a PDF through a link) are not kept; a
//! publication is taken only while its PDF is found as it was. What a build
//! publishes is byte for byte what a build without the cache publishes,
//! whatever changed in between.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::harness::*;

/// The parts of the cache the last build wrote (`parsed-00` to `parsed-3f`).
fn cache_files(store: &Store) -> Vec<PathBuf> {
    let dir = store.root().join(".public.pressroom-cache");
    let mut parts: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("parsed-"))
        .collect();
    parts.sort();
    parts
}

/// The body of a part, after its first line.
fn body(bytes: &[u8]) -> &[u8] {
    &bytes[bytes.iter().position(|&b| b == b'\n').unwrap() + 1..]
}

/// Every file of the store's content an hour old, as files are between
/// commits: their state, not only their bytes, then keys the cache.
fn age(dir: &Path) {
    let then = SystemTime::now() - Duration::from_secs(3600);
    walk(dir, dir, &mut |_, path| set_modified(path, then));
}

/// The file at `path`, its bytes as they are, modified at `time`.
fn set_modified(path: &Path, time: SystemTime) {
    fs::File::options().write(true).open(path).unwrap().set_modified(time).unwrap();
}

/// A build of the store as it stands into a fresh folder, with no cache.
fn cold(store: &Store, name: &str) -> Outcome {
    assert!(!store.root().join(format!(".{name}.pressroom-cache")).exists());
    store.build_into(&store.root().join(name)).ok()
}

/// How many entries the cache holds: the sum of its parts' counts, each
/// after the part's key.
fn entries(store: &Store) -> u64 {
    cache_files(store)
        .iter()
        .map(|part| u64::from_le_bytes(body(&fs::read(part).unwrap())[32..40].try_into().unwrap()))
        .sum()
}

/// Replaces `from` with `to`, of the same length, in the part of the cache
/// that holds it, and seals that part again, as a build would have written it.
fn forge(store: &Store, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let part = cache_files(store)
        .into_iter()
        .find(|part| fs::read(part).unwrap().windows(from.len()).any(|w| w == from.as_bytes()))
        .expect("in the cache");
    let bytes = fs::read(&part).unwrap();
    let newline = bytes.iter().position(|&b| b == b'\n').unwrap();
    let magic = std::str::from_utf8(&bytes[..newline]).unwrap().rsplit_once(' ').unwrap().0.to_owned();
    let mut body = body(&bytes).to_vec();
    let at = body.windows(from.len()).position(|w| w == from.as_bytes()).unwrap();
    body[at..at + to.len()].copy_from_slice(to.as_bytes());
    let sum = blake3::hash(&body).to_hex();
    fs::write(part, [format!("{magic} {sum}\n").into_bytes(), body].concat()).unwrap();
}

/// Every part of the cache, read.
fn cache_bytes(store: &Store) -> Vec<Vec<u8>> {
    cache_files(store).iter().map(|part| fs::read(part).unwrap()).collect()
}

#[test]
fn a_rebuild_from_the_cache_publishes_what_a_build_without_it_does() {
    let store = Store::shipped();
    age(&store.content());
    store.build().ok();
    // One entry a news item or publication whose parse looked at no other
    // file: the shipped store's news.
    let news = files(&store.content().join("news")).keys().filter(|k| k.ends_with(".md")).count();
    assert!(news > 0 && entries(&store) >= news as u64 - 1, "{} entries, {news} news", entries(&store));
    let kept = entries(&store);

    // Nothing changed; then one news item's title; then a page's.
    same_tree(&store.build().ok(), &cold(&store, "cold-same"));
    let news = files(&store.content().join("news")).into_keys().find(|k| k.ends_with(".md")).unwrap();
    store.change(&format!("content/news/{news}"), |t| t.replacen("title", "title = \"Edited\"\nold_title", 1));
    let rebuilt = store.build().ok();
    assert!(rebuilt.read("news/atom.xml").contains("<title>Edited</title>"), "{}", rebuilt.stderr);
    same_tree(&rebuilt, &cold(&store, "cold-news"));
    let page = files(&store.content().join("pages")).into_keys().next().unwrap();
    store.change(&format!("content/pages/{page}"), |t| t.replacen("title", "updated = 2030-01-01\ntitle", 1));
    same_tree(&store.build().ok(), &cold(&store, "cold-page"));

    // A file gone: no entry left for it.
    fs::remove_file(store.content().join("news").join(&news)).unwrap();
    same_tree(&store.build().ok(), &cold(&store, "cold-gone"));
    assert_eq!(entries(&store), kept - 1);
}

#[test]
fn the_cache_is_what_a_rebuild_reads_while_the_bytes_are_the_same() {
    let store = Store::fixture("minimal");
    age(&store.content());
    store.build().ok();
    // A parse as the cache holds it, not as the file says: taken unread.
    forge(&store, "Second news", "Cached news");
    assert!(store.build().ok().read("news/atom.xml").contains("Cached news"));
    // The same bytes under a new time (a fresh clone): read, and the same.
    let file = store.path("content/news/2024-02-20-second-news.md");
    set_modified(&file, SystemTime::now());
    assert!(store.build().ok().read("news/atom.xml").contains("Cached news"));
    // Other bytes: parsed again. `check` only reads the cache, stale or not.
    store.change("content/news/2024-02-20-second-news.md", |t| t.replace("The second body", "The 2nd body"));
    let stale = cache_bytes(&store);
    assert_eq!(store.check(&[]).status.code(), Some(0));
    assert_eq!(cache_bytes(&store), stale, "check writes no cache");
    let out = store.build().ok();
    let atom = out.read("news/atom.xml");
    assert!(atom.contains("Second news") && !atom.contains("Cached news"), "{atom}");
    same_tree(&out, &cold(&store, "cold"));
    // The first news item shows an image: its parse looked at another
    // file, and is not kept.
    assert!(!cache_bytes(&store).concat().windows(10).any(|w| w == b"First news"));
}

#[test]
fn what_a_parse_looked_at_is_looked_at_again() {
    let store = Store::fixture("minimal");
    age(&store.content());
    store.build().ok();

    // The publication's PDF gone, its Markdown untouched: check and build
    // both fail on it, as without a cache.
    let pdf = store.path("content/publications/pdf/minimal-report.pdf");
    let bytes = fs::read(&pdf).unwrap();
    fs::remove_file(&pdf).unwrap();
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(1), "{}", check.stdout);
    check.has("E0301", "content/publications/2024-03-01-minimal-report.md", 7, 8);
    let failed = store.build();
    assert_eq!(failed.status.code(), Some(1), "{}", failed.stderr);
    // Back, but another size: its size is what the feeds announce.
    fs::write(&pdf, [bytes.as_slice(), b"% more\n"].concat()).unwrap();
    let out = store.build().ok();
    let length = format!("length=\"{}\"", bytes.len() + 7);
    assert!(out.read("publications/rss.xml").contains(&length), "{}", out.read("publications/rss.xml"));

    // An image the body shows, missing (a warning), then there: published.
    let store = store.edit("news/2024-02-20-second-news.md", |t| format!("{t}\n![moon](moon.png)\n"));
    age(&store.content());
    let out = store.build().ok();
    assert!(out.stderr.contains("W0108"), "{}", out.stderr);
    fs::write(store.path("content/news/moon.png"), b"png").unwrap();
    let out = store.build().ok();
    assert!(!out.stderr.contains("W0108"), "{}", out.stderr);
    same_tree(&out, &cold(&store, "cold-image"));

    // A link to a content file that is not there, then is.
    let store = store.edit("news/2024-02-20-second-news.md", |t| format!("{t}\n[more](later.md)\n"));
    age(&store.content());
    assert!(store.build().ok().stderr.contains("later.md\" leads to no file"));
    let later = "+++\ntitle = \"Later\"\ndate = 2024-02-21\n+++\n\nLater.\n";
    let store = store.write("news/later.md", later);
    let out = store.build().ok();
    assert!(!out.stderr.contains("W0108"), "{}", out.stderr);
    same_tree(&out, &cold(&store, "cold-link"));
    // Kept with its link, which then leads nowhere: parsed again, warned.
    age(&store.content());
    store.build().ok();
    fs::remove_file(store.path("content/news/later.md")).unwrap();
    let out = store.build().ok();
    assert!(out.stderr.contains("later.md\" leads to no file"), "{}", out.stderr);
    same_tree(&out, &cold(&store, "cold-unlinked"));
}

#[test]
fn a_publication_is_taken_while_its_pdf_is_found_as_it_was() {
    let store = Store::fixture("minimal");
    age(&store.content());
    store.build().ok();
    // Kept with its PDF, found through real folders: taken unread.
    forge(&store, "Minimal Report", "Cached Report!");
    assert!(store.build().ok().read("publications/atom.xml").contains("Cached Report!"));
    // The PDF touched, the same bytes: looked at again, parsed again.
    let pdf = store.path("content/publications/pdf/minimal-report.pdf");
    set_modified(&pdf, SystemTime::now());
    let out = store.build().ok();
    assert!(out.read("publications/atom.xml").contains("Minimal Report"));
    same_tree(&out, &cold(&store, "cold-touched"));

    // Its folder moved out of the content folder (the same inodes) and
    // linked back: the parse kept is not taken, and the build refuses the
    // PDF, as without a cache.
    age(&store.content());
    store.build().ok();
    let outside = store.root().join("outside-pdf");
    fs::rename(store.path("content/publications/pdf"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, store.path("content/publications/pdf")).unwrap();
    let check = store.check(&[]);
    check.has("E0302", "content/publications/2024-03-01-minimal-report.md", 7, 8);
    assert_eq!(store.build().status.code(), Some(1));
    // The folder back, the PDF alone moved out and linked back: the same.
    fs::remove_file(store.path("content/publications/pdf")).unwrap();
    fs::rename(&outside, store.path("content/publications/pdf")).unwrap();
    age(&store.content());
    store.build().ok();
    fs::rename(&pdf, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &pdf).unwrap();
    store.check(&[]).has("E0302", "content/publications/2024-03-01-minimal-report.md", 7, 8);

    // Linked to a PDF inside the content folder: published, not kept.
    fs::remove_file(&pdf).unwrap();
    fs::rename(&outside, store.path("content/publications/report.pdf")).unwrap();
    std::os::unix::fs::symlink("../report.pdf", &pdf).unwrap();
    let out = store.build().ok();
    same_tree(&out, &cold(&store, "cold-linked"));
    assert!(!cache_bytes(&store).concat().windows(14).any(|w| w == b"Minimal Report"));
}

#[test]
fn a_damaged_cache_is_ignored_with_a_note_and_changes_no_byte() {
    let store = Store::fixture("minimal");
    store.build().ok();
    // One part damaged: that part is ignored, named in the note.
    let part = cache_files(&store).remove(0);
    let name = part.file_name().unwrap().to_string_lossy().into_owned();
    let sealed = fs::read(&part).unwrap();
    let mut flipped = sealed.clone();
    let last = flipped.len() - 3;
    flipped[last] ^= 1;
    for (n, bad) in [flipped, sealed[..sealed.len() / 2].to_vec(), Vec::new()].into_iter().enumerate() {
        fs::write(&part, bad).unwrap();
        let out = store.build().ok();
        assert!(out.stderr.contains("N0111") && out.stderr.contains(&name), "{}", out.stderr);
        same_tree(&out, &cold(&store, &format!("cold-{n}")));
        // Written anew: the next build has nothing to say.
        assert!(!store.build().ok().stderr.contains("N0111"));
    }
    // Another kind of file (not pressroom's, or another version's): nothing to say.
    fs::write(&part, "pressroom-parsed-0 abc\n{}\n").unwrap();
    let out = store.build().ok();
    assert!(!out.stderr.contains("N0111"), "{}", out.stderr);
    // The single file of earlier pressroom builds: removed, unread.
    let legacy = part.with_file_name("parsed");
    fs::write(&legacy, "pressroom-parsed 1 abc\n").unwrap();
    store.change("content/news/2024-02-20-second-news.md", |t| t.replace("The second body", "The 2nd body"));
    assert!(!store.build().ok().stderr.contains("N0111"));
    assert!(!legacy.exists());
}
