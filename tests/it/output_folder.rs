//! Where the output goes, as users really point it: pressroom deletes,
//! moves, replaces or hides only files it wrote itself, and never touches
//! the repository, the content or the feeds. Each test runs the real binary
//! on real folders, file systems and processes, then checks that every file
//! pressroom did not write is byte for byte as it was, and that the output
//! is exactly one build's (the old or the new), nothing else.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::all_or_nothing::heavy_store;
use crate::faults::Tmpfs;
use crate::harness::*;

/// What a build of `store` writes into a new folder, file by file.
fn reference(store: &Store) -> BTreeMap<String, Vec<u8>> {
    let dir = store.root().join("reference");
    store.build_into(&dir).ok();
    let files = files(&dir);
    fs::remove_dir_all(&dir).unwrap();
    files
}

/// `files` with `extra` laid over it.
fn with(mut files: BTreeMap<String, Vec<u8>>, extra: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    files.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    files
}

/// Files of the site's own, as a host or a person leaves them in a web root.
fn foreign_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let files: BTreeMap<String, Vec<u8>> = [
        ("CNAME", &b"www.example.org\n"[..]),
        (".well-known/acme-challenge/token", b"certbot"),
        ("thesis.docx", b"PK\x03\x04 a thesis"),
        ("publications/minimal-report/index.html", b"<!doctype html><title>The report</title>"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_vec()))
    .collect();
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    files
}

#[test]
fn the_inputs_and_the_repository_around_them_are_refused() {
    let store = Store::fixture("minimal");
    // The store's folder stands for a repository: its own files beside the inputs.
    fs::create_dir(store.root().join(".git")).unwrap();
    fs::write(store.root().join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let before = files(store.root());
    for (cwd, out) in [(".", "."), (".", "feeds"), (".", "content"), (".", "content/public"), ("content", "..")] {
        let root = store.root().to_str().unwrap().to_owned();
        let run = store
            .command(&["build", "--content", &format!("{root}/content"), "--feeds", &format!("{root}/feeds")])
            .args(["--out", out])
            .current_dir(store.root().join(cwd))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "--out {out} from {cwd}: {stderr}");
        assert!(stderr.contains(&format!("--out {out}:")) && stderr.contains("choose a folder of its own"), "{stderr}");
        assert!(files(store.root()) == before, "--out {out} from {cwd} changed the repository");
    }
    // The same with the absolute path of the repository.
    let out = store.run(&["build", "--out", store.root().to_str().unwrap()]).fails_with(2);
    assert!(out.stderr.contains("contains the content folder"), "{}", out.stderr);
    assert!(files(store.root()) == before);
}

#[test]
fn a_file_is_never_taken_for_the_output_folder() {
    let store = Store::fixture("minimal");
    fs::write(store.root().join("notes.txt"), "my notes").unwrap();
    let out = store.run(&["build", "--out", "notes.txt"]).fails_with(2);
    assert!(out.stderr.contains("notes.txt: it exists and is not a folder"), "{}", out.stderr);
    assert_eq!(fs::read(store.root().join("notes.txt")).unwrap(), b"my notes");
    assert!(strays(store.root(), &["content", "feeds", "notes.txt"]).is_empty());
    // A link to a file, and a link to nowhere, likewise.
    std::os::unix::fs::symlink("notes.txt", store.root().join("to-notes")).unwrap();
    std::os::unix::fs::symlink("missing", store.root().join("dangling")).unwrap();
    store.run(&["build", "--out", "to-notes"]).fails_with(2);
    let out = store.run(&["build", "--out", "dangling"]).fails_with(2);
    assert!(out.stderr.contains("a link that leads nowhere"), "{}", out.stderr);
    assert!(!store.root().join("missing").exists());
}

#[test]
fn a_folder_of_other_files_is_refused_then_kept_with_into_existing() {
    let store = Store::fixture("minimal");
    let site = store.root().join("site");
    let foreign = foreign_files(&site);
    let out = store.run(&["build", "--out", "site"]).fails_with(2);
    assert!(out.stderr.contains(".well-known") && out.stderr.contains("--into-existing"), "{}", out.stderr);
    assert!(files(&site) == foreign, "a refused build changed the folder");

    let new = reference(&store);
    store.run(&["build", "--out", "site", "--into-existing"]).ok();
    assert!(files(&site) == with(new.clone(), &foreign), "the output beside the site's files, both whole");
    // From now on the folder is known: no flag needed, nothing foreign touched.
    let run = store.run(&["build", "--out", "site"]).ok();
    assert!(run.stderr.contains("updated in place"), "{}", run.stderr);
    assert!(files(&site) == with(new, &foreign));
}

#[test]
fn files_added_after_a_build_are_kept_and_removed_outputs_go() {
    let store = Store::fixture("minimal");
    store.build().ok();
    let foreign = foreign_files(&store.out());
    // A gh-pages worktree: `.git` in the output is the site's too.
    fs::write(store.out().join(".git"), "gitdir: ../.git/worktrees/public\n").unwrap();
    let foreign = with(foreign, &[(".git".to_owned(), b"gitdir: ../.git/worktrees/public\n".to_vec())].into());
    let pdf = "publications/minimal-report/minimal-report.pdf";
    assert!(store.out().join(pdf).is_file());

    let store = store.remove("publications/2024-03-01-minimal-report.md");
    let new = reference(&store);
    assert!(!new.contains_key(pdf));
    store.build().ok();
    assert!(files(&store.out()) == with(new, &foreign), "the new output, the site's files, and nothing else");
    assert!(strays(store.root(), &["content", "feeds", "public"]).is_empty());
}

#[test]
fn a_foreign_file_where_the_build_would_write_stops_it_before_any_change() {
    let store = Store::fixture("minimal");
    let site = store.root().join("site");
    fs::create_dir_all(&site).unwrap();
    fs::write(site.join("sitemap.xml"), "the site's own sitemap").unwrap();
    let out = store.run(&["build", "--out", "site", "--into-existing"]).fails_with(2);
    assert!(out.stderr.contains("sitemap.xml") && out.stderr.contains("Nothing was changed"), "{}", out.stderr);
    assert_eq!(files(&site), [("sitemap.xml".to_owned(), b"the site's own sitemap".to_vec())].into());
}

#[test]
fn a_symlinked_output_stays_a_link_and_its_folder_gets_the_output() {
    let store = Store::fixture("minimal");
    let www = store.root().join("www/site");
    fs::create_dir_all(&www).unwrap();
    std::os::unix::fs::symlink(&www, store.out()).unwrap();
    let new = reference(&store);
    for _ in 0..2 {
        let run = store.build().ok();
        assert!(run.stderr.contains("swapped in whole"), "{}", run.stderr);
        assert!(fs::symlink_metadata(store.out()).unwrap().is_symlink(), "the link was replaced");
        assert!(files(&www) == new);
    }
    assert!(strays(&store.root().join("www"), &["site"]).is_empty());
}

#[test]
fn a_mount_point_is_updated_in_place() {
    let store = Store::fixture("minimal");
    let mnt = store.root().join("mnt");
    let _tmpfs = match Tmpfs::mount(&mnt, "16m") {
        Ok(tmpfs) => tmpfs,
        Err(why) => return skipped(&why),
    };
    let new = reference(&store);
    let run = store.build_into(&mnt).ok();
    assert!(run.stderr.contains("is a mount point"), "{}", run.stderr);
    assert!(files(&mnt) == new);
    fs::write(mnt.join("CNAME"), "x").unwrap();
    let store = store.edit("news/2024-01-10-first-news.md", |t| t.replace("First news", "Retitled"));
    let new = reference(&store);
    store.build_into(&mnt).ok();
    assert!(files(&mnt) == with(new, &[("CNAME".to_owned(), b"x".to_vec())].into()));
}

/// `setpriv` running the binary as `nobody`, where the suite runs as root.
fn as_nobody(store: &Store, args: &[&str]) -> Option<std::process::Output> {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 || !on_path("setpriv") {
        skipped("needs root and setpriv to run a build as another user");
        return None;
    }
    let mut cmd = Command::new("setpriv");
    clean_env(&mut cmd)
        .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", BIN])
        .args(args)
        .current_dir(store.root())
        .env("SOURCE_DATE_EPOCH", EPOCH);
    let output = cmd.output().unwrap();
    if String::from_utf8_lossy(&output.stderr).contains("Permission denied") && output.status.code() == Some(127) {
        skipped("the binary cannot be run by nobody here");
        return None;
    }
    Some(output)
}

fn chown_nobody(path: &Path) {
    let status = Command::new("chown").args(["-R", "nobody:nogroup"]).arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn a_root_owned_folder_in_the_output_is_kept_by_a_build_of_another_user() {
    let store = Store::fixture("minimal");
    fs::set_permissions(store.root(), fs::Permissions::from_mode(0o755)).unwrap();
    let www = store.root().join("www");
    fs::create_dir(&www).unwrap();
    chown_nobody(&www);
    let Some(first) = as_nobody(&store, &["build", "--out", "www/site"]) else { return };
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    // root adds a folder nobody may change, as certbot does.
    let well_known = www.join("site/.well-known");
    fs::create_dir(&well_known).unwrap();
    fs::write(well_known.join("token"), "root's").unwrap();
    let foreign = files(&well_known);

    let store = store.edit("news/2024-01-10-first-news.md", |t| t.replace("First news", "Retitled"));
    let new = reference(&store);
    let second = as_nobody(&store, &["build", "--out", "www/site"]).unwrap();
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    assert!(files(&well_known) == foreign);
    let mut after = files(&www.join("site"));
    after.retain(|k, _| !k.starts_with(".well-known/"));
    assert!(after == new, "the new output, whole");

    // An output folder nobody may not write into: the message says so.
    let locked = store.root().join("locked");
    fs::create_dir(&locked).unwrap();
    let third = as_nobody(&store, &["build", "--out", "locked/site"]).unwrap();
    let stderr = String::from_utf8_lossy(&third.stderr);
    assert_eq!(third.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("not writable by uid 65534") && stderr.contains("locked"), "{stderr}");
}

#[test]
fn two_builds_of_one_folder_run_one_after_the_other() {
    let store = heavy_store();
    store.build().ok();
    let old = files(&store.out());
    let store = store.edit("news/2024-01-10-first-news.md", |t| t.replace("First news", "Retitled"));
    let new = reference(&store);
    for offset in [0, 20, 150, 400] {
        let first = store.command(&["build"]).stderr(std::process::Stdio::piped()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(offset));
        let second = store.command(&["build"]).output().unwrap();
        let first = first.wait_with_output().unwrap();
        let (e1, e2) = (String::from_utf8_lossy(&first.stderr), String::from_utf8_lossy(&second.stderr));
        assert!(first.status.success() && second.status.success(), "offset {offset} ms:\n{e1}\n{e2}");
        let after = files(&store.out());
        assert!(after == new, "offset {offset} ms: not exactly one build's output");
        assert!(after != old);
        assert!(strays(store.root(), &["content", "feeds", "public", "reference"]).is_empty());
    }
    // `--no-wait` stops at once while another build holds the folder: that
    // build is stopped (SIGSTOP) once its lock file is there, so the
    // second meets it however fast builds are. The lock file made but not
    // yet locked, the second builds: tried again.
    let lock = store.root().join(".public.pressroom-lock");
    let mut refused = None;
    for _ in 0..20 {
        let mut first = store.command(&["build"]).spawn().unwrap();
        wait_until("the lock", Duration::from_secs(120), || lock.exists() || first.try_wait().unwrap().is_some());
        let running = first.try_wait().unwrap().is_none();
        if running {
            signal_delivered(first.id(), libc::SIGSTOP);
        }
        let second = store.run(&["build", "--no-wait"]);
        if running {
            signal_delivered(first.id(), libc::SIGCONT);
        }
        assert!(first.wait().unwrap().success());
        if second.status.code() == Some(4) {
            refused = Some(second.stderr);
            break;
        }
    }
    let stderr = refused.expect("no --no-wait build met the running one");
    assert!(stderr.contains(".public.pressroom-lock") && stderr.contains("holds"), "{stderr}");
    assert!(files(&store.out()) == new);
}

/// When a test signals a build.
#[derive(Debug, Clone, Copy)]
enum At {
    /// As soon as it holds the output's lock.
    Locked,
    /// Once its staging folder is there.
    Staging,
    /// After this fraction of a whole build, once it holds the lock.
    Fraction(f64),
}

#[test]
fn sigterm_sigint_and_sighup_leave_the_previous_output() {
    let store = heavy_store();
    store.build().ok();
    let foreign = foreign_files(&store.out());
    // Timed warm, as the signalled builds run (see all_or_nothing.rs).
    let started = Instant::now();
    store.build().ok();
    let build_time = started.elapsed();
    let old = files(&store.out());
    let store = store.edit("news/2024-01-10-first-news.md", |t| t.replace("First news", "Retitled"));
    let new = with(reference(&store), &foreign);
    // Each signal is sent once the build holds the output's lock (taken
    // after its signal handlers are in place, so never before pressroom
    // ran), then at a state of the build (its staging folder made) or after
    // a fraction of a build, which spreads the others over its length.
    let lock = store.root().join(".public.pressroom-lock");
    let staging = store.root().join(".public.pressroom-staging");
    let mut stopped = 0;
    for (signal, at) in [
        (libc::SIGTERM, At::Locked),
        (libc::SIGINT, At::Staging),
        (libc::SIGHUP, At::Fraction(0.5)),
        (libc::SIGTERM, At::Fraction(0.7)),
        (libc::SIGINT, At::Fraction(0.05)),
    ] {
        let mut child = store.command(&["build"]).stderr(std::process::Stdio::piped()).spawn().unwrap();
        let limit = Duration::from_secs(120);
        wait_until("the lock", limit, || lock.exists() || child.try_wait().unwrap().is_some());
        match at {
            At::Locked => {}
            At::Staging => {
                wait_until("the staging folder", limit, || staging.exists() || child.try_wait().unwrap().is_some())
            }
            At::Fraction(f) => std::thread::sleep(build_time.mul_f64(f)),
        }
        let by_state = !matches!(at, At::Fraction(_));
        if child.try_wait().unwrap().is_none() {
            signal_delivered(child.id(), signal);
        } else {
            assert!(!by_state, "the build ended before {at:?}");
        }
        let run = child.wait_with_output().unwrap();
        let after = files(&store.out());
        match run.status.code() {
            Some(0) => {
                assert!(!by_state, "signal {signal} at {at:?} did not stop the build");
                assert!(after == new, "a build that finished published the new output");
            }
            Some(code) => {
                assert_eq!(code, 128 + signal, "{}", String::from_utf8_lossy(&run.stderr));
                assert!(after == old, "signal {signal}: the previous output changed");
                stopped += 1;
            }
            None => panic!("ended by signal {:?} instead of handling it", run.status.signal()),
        }
        assert!(strays(store.root(), &["content", "feeds", "public"]).is_empty(), "signal {signal}: left behind");
        assert!(!store.out().join(".pressroom-staging").exists());
        if after == new {
            break;
        }
    }
    assert!(stopped >= 2, "only {stopped} builds were stopped by a signal");
}

/// From the third build of a folder on, the build stages into the output
/// the last swap replaced (`.public.pressroom-previous`), kept beside it.
/// Whatever that tree holds — files of two builds ago, a file changed
/// there, a link out of it, a stray — each build's output is exactly what a
/// build into a new folder writes, and nothing the tree held leaks out or
/// is followed.
#[test]
fn the_kept_previous_output_is_updated_and_never_trusted() {
    let store = Store::fixture("minimal");
    let previous = store.root().join(".public.pressroom-previous");
    store.build().ok();
    let kept: Vec<_> = fs::read_dir(&previous).unwrap().collect();
    assert!(kept.is_empty(), "a first build replaces nothing: an empty folder is kept");
    store.build().ok();
    assert!(previous.join("news/rss.xml").is_file(), "the output the swap replaced is kept");
    let unchanged = std::os::unix::fs::MetadataExt::ino(&fs::metadata(store.out().join("feeds.opml")).unwrap());

    let store = store.edit("news/2024-01-10-first-news.md", |t| t.replace("First news", "Retitled"));
    let outside = store.root().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("rss.xml"), "not pressroom's").unwrap();
    // A file replaced there (not written into: most of its files are the
    // live output's own, hard-linked, as the README says).
    fs::remove_file(previous.join("news/rss.xml")).unwrap();
    fs::write(previous.join("news/rss.xml"), "replaced in the kept tree").unwrap();
    fs::write(previous.join("stray.txt"), "a stray").unwrap();
    fs::remove_dir_all(previous.join("publications")).unwrap();
    std::os::unix::fs::symlink(&outside, previous.join("publications")).unwrap();

    let out = store.build().ok();
    assert!(out.stderr.contains("swapped in whole"), "{}", out.stderr);
    assert!(files(&store.out()) == reference(&store), "the third build is not what a fresh build writes");
    assert_eq!(fs::read_to_string(outside.join("rss.xml")).unwrap(), "not pressroom's", "a link was followed");
    let ino = std::os::unix::fs::MetadataExt::ino(&fs::metadata(store.out().join("feeds.opml")).unwrap());
    assert_eq!(ino, unchanged, "an unchanged file keeps its inode through the kept tree");
    assert!(strays(store.root(), &["content", "feeds", "public", "outside"]).is_empty());

    // Deleted, it is only missed: the next build starts from a new folder.
    fs::remove_dir_all(&previous).unwrap();
    let store = store.edit("news/2024-01-10-first-news.md", |t| t.replace("Retitled", "Retitled again"));
    store.build().ok();
    assert!(files(&store.out()) == reference(&store));
}

/// An in-place commit cut short (killed, or a file it could not replace)
/// leaves some of pressroom's files new and some old, and a record that
/// owns either: the next build takes them all as its own and ends the job.
#[test]
fn an_in_place_commit_cut_short_is_ended_by_the_next_build() {
    let store = Store::fixture("minimal");
    let site = store.root().join("site");
    let foreign = foreign_files(&site);
    store.run(&["build", "--out", "site", "--into-existing"]).ok();
    let old = files(&site);
    let store =
        store.edit("news/2024-01-10-first-news.md", |t| t.replace("title = \"First news\"", "title = \"Retitled\""));
    let new = reference(&store);
    let changed: Vec<&String> =
        new.keys().filter(|rel| *rel != ".pressroom.json" && old.get(*rel).is_some_and(|b| *b != new[*rel])).collect();
    assert!(changed.len() >= 3, "{changed:?}");
    // As the commit leaves them when cut short after its first file: the
    // first changed file new, the others old, and the record of both.
    fs::write(site.join(changed[0]), &new[changed[0]]).unwrap();
    let record = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes).unwrap();
    let (mut during, before) = (record(&new[".pressroom.json"]), record(&old[".pressroom.json"]));
    for (rel, entry) in during["files"].as_object_mut().unwrap() {
        if let Some(old_entry) = before["files"].get(rel).filter(|e| *e != entry) {
            entry["before"] = serde_json::json!([old_entry]);
        }
    }
    for (rel, entry) in before["files"].as_object().unwrap() {
        during["files"].as_object_mut().unwrap().entry(rel.clone()).or_insert(entry.clone());
    }
    fs::write(site.join(".pressroom.json"), serde_json::to_vec_pretty(&during).unwrap()).unwrap();

    let run = store.run(&["build", "--out", "site"]).ok();
    assert!(run.stderr.contains("updated in place"), "{}", run.stderr);
    assert!(files(&site) == with(new, &foreign), "the new output whole, beside the site's files");
}

/// `check` looks at the output folder as the build would: a web root whose
/// site makes its own sitemap, robots.txt and news page fails both alike,
/// naming the files and how to leave them to the site, and passes both
/// once they are. `check` writes nothing there.
#[test]
fn check_finds_what_the_build_would_refuse_in_a_web_root() {
    let store = Store::fixture("minimal");
    let site = store.root().join("site");
    let own: BTreeMap<String, Vec<u8>> = [
        ("sitemap.xml", &b"<urlset/>"[..]),
        ("robots.txt", b"User-agent: *\n"),
        ("news/index.html", b"<!doctype html><title>News</title>"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_vec()))
    .collect();
    for (rel, bytes) in &own {
        fs::create_dir_all(site.join(rel).parent().unwrap()).unwrap();
        fs::write(site.join(rel), bytes).unwrap();
    }
    let out = store.run(&["check", "--out", "site"]).fails_with(2);
    assert!(out.stderr.contains("--into-existing"), "{}", out.stderr);
    for command in ["check", "build"] {
        let out = store.run(&[command, "--out", "site", "--into-existing"]).fails_with(2);
        let said = "would replace what it did not write there: news/index.html, robots.txt, sitemap.xml";
        assert!(out.stderr.contains(said), "{command}: {}", out.stderr);
        assert!(out.stderr.contains("`sitemap = false` under [outputs]") && out.stderr.contains("a feed's `path`"));
        assert!(files(&site) == own, "{command} changed the web root");
    }
    let news = fs::read_to_string(store.feeds().join("news.toml")).unwrap();
    let store = store
        .edit("site.toml", |t| format!("{t}\n[outputs]\nsitemap = false\nrobots = false\n"))
        .write_feed("news.toml", &format!("{news}path = \"news/feed\"\n"));
    store.run(&["check", "--out", "site", "--into-existing"]).ok();
    assert!(files(&site) == own, "check wrote into the web root");
    store.run(&["build", "--out", "site", "--into-existing"]).ok();
    assert!(files(&site).iter().filter(|(rel, _)| own.contains_key(*rel)).all(|(rel, b)| own[rel] == *b));
    assert!(site.join("news/feed/rss.xml").is_file());
}

/// A web root whose site already serves a file pressroom copies, byte for
/// byte (a Hugo page bundle's image, which Hugo publishes beside its page):
/// left to the site, neither replaced nor recorded, by check and build
/// alike; the same name with other bytes is still the site's, and refused.
#[test]
fn a_file_the_site_serves_as_pressroom_would_is_left_to_it() {
    let store = Store::fixture("minimal");
    let site = store.root().join("site");
    let image = "news/first-news/map.png";
    let theirs = store.content().join("news/map.png");
    fs::create_dir_all(site.join("news/first-news")).unwrap();
    fs::write(site.join("news/first-news/index.html"), "<!doctype html><title>First</title>").unwrap();
    fs::copy(&theirs, site.join(image)).unwrap();
    let served = std::os::unix::fs::MetadataExt::ino(&fs::metadata(site.join(image)).unwrap());
    store.run(&["check", "--out", "site", "--into-existing"]).ok();
    store.run(&["build", "--out", "site", "--into-existing"]).ok();
    assert_eq!(std::os::unix::fs::MetadataExt::ino(&fs::metadata(site.join(image)).unwrap()), served);
    let record = fs::read_to_string(site.join(".pressroom.json")).unwrap();
    assert!(!record.contains(image), "the site's image was taken into the record");
    assert!(site.join("news/rss.xml").is_file());
    // The site's image changes: now it holds what pressroom would not write.
    fs::write(site.join(image), b"another image").unwrap();
    for command in ["check", "build"] {
        let out = store.run(&[command, "--out", "site"]).fails_with(2);
        assert!(
            out.stderr.contains("would replace what it did not write there: news/first-news/map.png"),
            "{}",
            out.stderr
        );
    }
    assert_eq!(fs::read(site.join(image)).unwrap(), b"another image");
}

/// A file of pressroom's that someone changed is theirs now: a build that
/// needs a folder on its name stops, and the file stays (it was removed to
/// make the folder).
#[test]
fn a_changed_file_is_never_removed_to_make_a_folder() {
    let store = Store::fixture("minimal");
    let news = fs::read_to_string(store.feeds().join("news.toml")).unwrap();
    let store = store.write_feed("news.toml", &format!("{news}files = {{ rss = \"blog\" }}\n"));
    store.build().ok();
    let mut theirs = fs::read(store.out().join("blog")).unwrap();
    theirs.extend_from_slice(b"<!-- the site's own notes -->\n");
    fs::write(store.out().join("blog"), &theirs).unwrap();
    let store = store
        .write_feed("news.toml", &news)
        .write_feed("blog.toml", "title = \"Blog\"\ndescription = \"B\"\nsection = \"news\"\nformats = [\"rss\"]\n");
    let out = store.build().fails_with(2);
    assert!(out.stderr.contains("would replace what it did not write there: blog"), "{}", out.stderr);
    assert_eq!(fs::read(store.out().join("blog")).unwrap(), theirs);
}

/// A link on the cache folder's name leads to someone's folder: no build
/// writes or removes anything there.
#[test]
fn nothing_is_written_or_removed_through_a_link_on_the_cache_folders_name() {
    let store = Store::fixture("minimal");
    let theirs = store.root().join("theirs");
    fs::create_dir(&theirs).unwrap();
    for name in ["parsed", "keep.txt", "cache.json"] {
        fs::write(theirs.join(name), name).unwrap();
    }
    std::os::unix::fs::symlink(&theirs, store.root().join(".public.pressroom-cache")).unwrap();
    let before = files(&theirs);
    store.build().ok();
    store.build().ok();
    assert!(files(&theirs) == before, "the build wrote or removed through the link");
}

/// What the build finds without hashing, `check` finds too: a swap's
/// leftover holding others' files, and a link where pressroom's file was.
#[test]
fn check_sees_what_the_build_refuses_without_hashing() {
    let store = Store::fixture("minimal");
    store.build().ok();
    let left = store.root().join(".public.pressroom-swapping");
    fs::create_dir(&left).unwrap();
    fs::write(left.join("theirs.html"), "theirs").unwrap();
    for command in ["check", "build"] {
        let out = store.run(&[command]).fails_with(2);
        assert!(out.stderr.contains("a build stopped while it swapped"), "{command}: {}", out.stderr);
    }
    fs::remove_dir_all(&left).unwrap();
    fs::remove_file(store.out().join("feeds.opml")).unwrap();
    std::os::unix::fs::symlink("elsewhere.opml", store.out().join("feeds.opml")).unwrap();
    for command in ["check", "build"] {
        let out = store.run(&[command]).fails_with(2);
        assert!(out.stderr.contains("feeds.opml changed since pressroom wrote it"), "{command}: {}", out.stderr);
    }
}
