//! A build that fails or is killed at any moment leaves the previous output
//! exactly as it was: every file byte for byte, no file added or removed.
//! The staging folder beside the output (`.public.pressroom-staging`) is
//! removed by a failed build, and taken over by the next build after a
//! killed one.

use std::fs;
use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};

use crate::harness::*;

const FIRST: &str = "news/2024-01-10-first-news.md";

/// The staging folder of the default output folder `public/`.
const STAGING: &str = ".public.pressroom-staging";
const CACHE: &str = ".public.pressroom-cache";
/// The file of the output's lock, which a build takes before it writes.
const LOCK: &str = ".public.pressroom-lock";
/// What the store's folder holds by design: the inputs and the output.
const ROOT: &[&str] = &["content", "feeds", "public"];

/// The edit every interrupted build below would publish: a new title in
/// every feed, so that any of it leaking into the output shows.
fn retitle(store: Store) -> Store {
    store.edit(FIRST, |t| t.replace("title = \"First news\"", "title = \"Retitled news\""))
}

#[test]
fn a_failure_in_the_archive_stage_leaves_the_previous_output() {
    let store = Store::fixture("minimal");
    store.build().ok();
    let before = files(&store.out());
    assert!(before.keys().any(|k| k.starts_with("archive/")), "the archive is part of the output");
    assert!(before.keys().any(|k| k.starts_with("news/")), "so are the feeds");

    // The feeds are staged before the archive stage fails.
    let cache = fs::read(store.root().join(CACHE).join("cache.json")).expect("a successful build writes the cache");
    let store = retitle(store).env("PRESSROOM_FAIL_STAGE", "archive");
    let out = store.build().fails_with(3);
    assert_eq!(fs::read(store.root().join(CACHE).join("cache.json")).unwrap(), cache, "a failed build keeps the cache");
    let named = store.out().join("archive");
    assert!(out.stderr.contains(named.to_str().unwrap()), "the message names a path: {}", out.stderr);
    assert!(files(&store.out()) == before, "the failed build changed the previous output");
    assert!(strays(store.root(), ROOT).is_empty(), "left behind: {:?}", strays(store.root(), ROOT));

    // Without the fault the same store builds, and the new title is out.
    let store = store.env("PRESSROOM_FAIL_STAGE", "");
    let out = store.build().ok();
    assert!(out.read("news/rss.xml").contains("Retitled news"));
    assert!(strays(store.root(), ROOT).is_empty());
}

/// Twenty publications of 320 kB each: a debug build takes a second or
/// two, most of it hashing and bundling the PDFs in the archive stage.
pub(crate) fn heavy_store() -> Store {
    let mut store = Store::fixture("minimal");
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for i in 1..=20 {
        let mut pdf = b"%PDF-1.4\n".to_vec();
        pdf.extend((0..320 * 1024 / 8).flat_map(|_| {
            // xorshift: incompressible, cheap to make.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()
        }));
        let md = format!(
            "+++\ntitle = \"Publication {i}\"\ndate = {}-03-01\nfile = \"pdf/p{i}.pdf\"\n+++\n\nPublication {i}.\n",
            2000 + i
        );
        store = store.write(&format!("publications/pdf/p{i}.pdf"), pdf).write(&format!("publications/p{i}.md"), md);
    }
    store
}

#[test]
fn a_killed_build_leaves_the_previous_output() {
    let store = heavy_store();
    let args = ["build", "--quiet"];
    let out = store.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", out.stderr);
    // The kills are spread over a build with the archive's cache warm, as
    // every build after the first is: a cold build's length would put them
    // past the end of the warm ones.
    let started = Instant::now();
    assert_eq!(store.run(&args).status.code(), Some(0));
    let build_time = started.elapsed();
    let before = files(&store.out());
    assert!(before.len() > 60, "{} files", before.len());

    // What the interrupted builds would publish, built elsewhere.
    let store = retitle(store);
    let reference = store.root().join("reference");
    let status = store.command(&["build", "--quiet", "--out", reference.to_str().unwrap()]).status().unwrap();
    assert!(status.success());
    let new = files(&reference);
    fs::remove_dir_all(&reference).unwrap();
    assert!(new != before);

    // A kill can only land before the swap (the previous output, whole) or
    // after it (the new one, whole): never a mix, never a file of one
    // beside a file of the other.
    let mut killed = 0;
    let mut mid_write = 0;
    // First at states of the build, which a loaded machine cannot move:
    // once it holds the output's lock, once its staging folder is there.
    // Each starts from a folder without what an earlier kill left, so that
    // the state seen is this build's.
    for state in [LOCK, STAGING] {
        let _ = fs::remove_dir_all(store.root().join(STAGING));
        let _ = fs::remove_file(store.root().join(LOCK));
        let mut child = store.command(&args).spawn().expect("running pressroom");
        wait_until(state, Duration::from_secs(120), || {
            store.root().join(state).exists() || child.try_wait().unwrap().is_some()
        });
        let staged = store.root().join(STAGING).exists();
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(9), "the build ended before {state} was there: {status}");
        killed += 1;
        mid_write += usize::from(staged);
        assert!(files(&store.out()) == before, "a kill once {state} was there changed the output");
        let left = strays(store.root(), ROOT);
        assert!(left.iter().all(|s| s == STAGING || s == LOCK), "{left:?}");
    }
    // Then spread over the length of a build, the last ones possibly after
    // it ended.
    for fraction in [0.02, 0.1, 0.25, 0.4, 0.55, 0.7] {
        let delay = build_time.mul_f64(fraction);
        let mut child = store.command(&args).spawn().expect("running pressroom");
        std::thread::sleep(delay);
        let staged = store.root().join(STAGING).exists();
        child.kill().unwrap(); // SIGKILL, or nothing if it has just ended
        let status = child.wait().unwrap();
        let after = files(&store.out());
        if status.signal() == Some(9) {
            killed += 1;
            mid_write += usize::from(staged);
        } else {
            assert!(status.success(), "the build failed before the kill: {status}");
        }
        assert!(after == before || after == new, "a mix of outputs after a kill at {delay:?} ({status})");
        if after == new {
            // This build finished before the kill; later ones would too.
            break;
        }
        // Only a staging folder (and the file of the lock the killed build
        // held, which the kernel released) may be left behind.
        let left = strays(store.root(), ROOT);
        assert!(left.iter().all(|s| s == STAGING || s == LOCK), "{left:?}");
    }
    eprintln!("{killed} builds killed, {mid_write} while staging; a whole build took {build_time:?}");
    assert!(killed >= 3, "only {killed} builds were still running when killed");
    assert!(mid_write > 0, "no kill landed while the staging folder was being written");

    // The next build cleans up after the killed ones and publishes.
    let out = store.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", out.stderr);
    assert!(strays(store.root(), ROOT).is_empty(), "left behind: {:?}", strays(store.root(), ROOT));
    assert!(files(&store.out()) == new, "the next build publishes the new output");
}
