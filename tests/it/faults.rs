//! Faults while writing: an output folder that cannot be written, a disk
//! that fills up midway. The previous output stays byte for byte, the exit
//! status is 3, and the message names the path that failed.
//!
//! Where the machine allows it (root, and `mount` permitted: CI's machine
//! and the developers'), the faults are real: a 2 MB tmpfs that a build
//! fills, and a tmpfs remounted read-only. Elsewhere the full disk is
//! injected (`PRESSROOM_FAIL_STAGE=feeds`: the first feed's write fails
//! midway with ENOSPC), and a read-only folder is a folder without write
//! permission (which only binds a user who is not root).

use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::harness::*;

/// A tmpfs mounted for one test, unmounted when dropped.
pub(crate) struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (e.g. `2m`) on `dir`, or says why not.
    pub(crate) fn mount(dir: &Path, size: &str) -> Result<Tmpfs, String> {
        fs::create_dir_all(dir).unwrap();
        let target = CString::new(dir.as_os_str().as_bytes()).unwrap();
        let options = CString::new(format!("size={size},mode=0755")).unwrap();
        // SAFETY: every pointer is a valid NUL-terminated string for the call.
        let rc =
            unsafe { libc::mount(c"tmpfs".as_ptr(), target.as_ptr(), c"tmpfs".as_ptr(), 0, options.as_ptr().cast()) };
        if rc != 0 {
            return Err(format!("mount -t tmpfs: {}", std::io::Error::last_os_error()));
        }
        Ok(Tmpfs { dir: dir.to_owned() })
    }

    /// Makes the file system read-only.
    fn read_only(&self) {
        let target = CString::new(self.dir.as_os_str().as_bytes()).unwrap();
        let flags = libc::MS_REMOUNT | libc::MS_RDONLY;
        // SAFETY: as in `mount`; source and type may be null for a remount.
        let rc = unsafe { libc::mount(std::ptr::null(), target.as_ptr(), std::ptr::null(), flags, std::ptr::null()) };
        assert_eq!(rc, 0, "remount read-only: {}", std::io::Error::last_os_error());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let target = CString::new(self.dir.as_os_str().as_bytes()).unwrap();
        // SAFETY: a valid path; MNT_DETACH never blocks on a busy mount.
        unsafe { libc::umount2(target.as_ptr(), libc::MNT_DETACH) };
    }
}

/// Three megabytes of body: each feed of the news grows by at least that.
fn big_item(store: Store) -> Store {
    let paragraph = "A paragraph of the big item, long enough to fill a small disk.\n\n";
    let body = paragraph.repeat(3_000_000 / paragraph.len());
    store.write("news/2024-04-01-big.md", format!("+++\ntitle = \"Big\"\ndate = 2024-04-01\n+++\n\n{body}"))
}

#[test]
fn a_disk_filling_up_midway_leaves_the_previous_output() {
    let store = Store::fixture("minimal");
    let disk = store.root().join("disk");
    let out = disk.join("public");
    let tmpfs = match Tmpfs::mount(&disk, "2m") {
        Ok(tmpfs) => Some(tmpfs),
        Err(why) => {
            eprintln!("a_disk_filling_up_midway: {why}; the full disk is injected instead");
            fs::create_dir_all(&disk).unwrap();
            None
        }
    };
    store.build_into(&out).ok();
    let before = files(&out);
    assert!(before.len() > 5, "{before:?}");

    let store = big_item(store);
    let store = if tmpfs.is_some() { store } else { store.env("PRESSROOM_FAIL_STAGE", "feeds") };
    let run = store.build_into(&out).fails_with(3);
    // The first feed (news/rss.xml), staged beside the output, did not fit.
    let staged = disk.join(".public.pressroom-staging/news/rss.xml");
    assert!(run.stderr.contains(staged.to_str().unwrap()), "the message names the file: {}", run.stderr);
    assert!(
        run.stderr.contains("No space left on device") || run.stderr.contains("injected failure"),
        "{}",
        run.stderr
    );
    assert!(files(&out) == before, "the failed build changed the previous output");
    assert!(strays(&disk, &["public"]).is_empty(), "left behind: {:?}", strays(&disk, &["public"]));

    // Once there is room, the same store builds.
    if tmpfs.is_none() {
        let store = store.env("PRESSROOM_FAIL_STAGE", "");
        store.build_into(&out).ok();
        assert!(fs::read_to_string(out.join("news/rss.xml")).unwrap().contains("Big"));
    }
    drop(tmpfs);
}

#[test]
fn the_injected_full_disk_fails_midway_through_a_feed() {
    // The fallback above, on every machine: the feed write fails after its
    // first kilobyte, which reached the staged file.
    let store = Store::fixture("minimal");
    store.build().ok();
    let before = files(&store.out());
    let store = store.env("PRESSROOM_FAIL_STAGE", "feeds");
    let run = store.build().fails_with(3);
    let staged = store.root().join(".public.pressroom-staging/news/rss.xml");
    assert!(run.stderr.contains(staged.to_str().unwrap()), "{}", run.stderr);
    assert!(files(&store.out()) == before, "the failed build changed the previous output");
    assert!(!store.root().join(".public.pressroom-staging").exists());
}

#[test]
fn an_output_folder_that_cannot_be_written() {
    let store = Store::fixture("minimal");
    let disk = store.root().join("disk");
    let out = disk.join("public");
    let root = unsafe { libc::geteuid() } == 0;
    let tmpfs = match Tmpfs::mount(&disk, "8m") {
        Ok(tmpfs) => Some(tmpfs),
        Err(why) if root => {
            skipped(&format!("{why}, and root writes anywhere"));
            return;
        }
        Err(_) => None,
    };
    store.build_into(&out).ok();
    let before = files(&out);
    match &tmpfs {
        Some(tmpfs) => tmpfs.read_only(),
        None => fs::set_permissions(&disk, fs::Permissions::from_mode(0o555)).unwrap(),
    }
    let store = big_item(store);
    let run = store.build_into(&out).fails_with(3);
    // Neither beside the output nor inside it can anything be made: the
    // message names the folder and why.
    assert!(run.stderr.contains(out.to_str().unwrap()), "the message names the path: {}", run.stderr);
    assert!(run.stderr.contains("read-only") || run.stderr.contains("not writable by uid"), "{}", run.stderr);
    assert!(files(&out) == before, "the failed build changed the previous output");
    assert!(strays(&disk, &["public"]).is_empty(), "left behind: {:?}", strays(&disk, &["public"]));
    if tmpfs.is_none() {
        fs::set_permissions(&disk, fs::Permissions::from_mode(0o755)).unwrap();
    }
}
