//! The build cache of the archive: unchanged work skipped, no byte changed.

use super::*;
use crate::harness::files;

/// Sets the modification time of `path`, keeping its bytes.
fn set_mtime(path: &Path, time: std::time::SystemTime) {
    File::options().write(true).open(path).unwrap().set_modified(time).unwrap();
}

/// The inode of every zip, by file name.
fn inodes(archive: &Path) -> BTreeMap<String, u64> {
    zips(archive)
        .iter()
        .map(|z| (z.file_name().unwrap().to_string_lossy().into_owned(), fs::metadata(z).unwrap().ino()))
        .collect()
}

/// The zips whose SHA-256 differs between two `sums`, short names (`2018`, `all`).
fn changed(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<String> {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    a.keys()
        .filter(|k| a[*k] != b[*k])
        .map(|k| k.trim_start_matches(&format!("{PREFIX}-")).trim_end_matches(".zip").to_owned())
        .collect()
}

/// The build cache (`.public.pressroom-cache/` beside the output): a
/// rebuild takes unchanged bundles over unread, every input that reaches a
/// bundle changes it, and the output is byte for byte that of a build
/// without the cache. One PDF edit is by design not seen: bytes changed with
/// the size and modification time put back (the trade-off of make and rsync).
#[test]
fn the_build_cache_skips_unchanged_work_and_changes_no_byte() {
    let site = Store::shipped();
    // Sources as an editor's are: not modified in the last seconds (a PDF
    // modified just now is hashed every time, see src/archive/cache.rs).
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    for entry in fs::read_dir(site.path("content/publications/pdf")).unwrap() {
        set_mtime(&entry.unwrap().path(), old);
    }
    // Builds into `fresh` with no cache: what the cached `public` must equal.
    let fresh = |epoch: &str| {
        let _ = fs::remove_dir_all(site.path("fresh"));
        let _ = fs::remove_dir_all(site.path(".fresh.pressroom-cache"));
        site.build_archive("fresh", Some(epoch));
        files(&site.path("fresh"))
    };
    let same_as_fresh = |epoch: &str, what: &str| {
        assert!(files(&site.path("public")) == fresh(epoch), "{what}: the cached build differs from one without cache");
    };

    let archive = site.build_archive("public", Some(EPOCH));
    let cache = site.path(".public.pressroom-cache/cache.json");
    assert!(cache.is_file(), "the cache is written beside the output");
    assert!(!files(&site.path("public")).keys().any(|k| k.contains("cache")), "and nothing of it inside");
    let mut sums_now = sums(&archive);
    let ino = inodes(&archive);

    // Nothing changed: every bundle is the previous file.
    site.build_archive("public", Some(EPOCH));
    assert_eq!(inodes(&archive), ino);
    assert_eq!(sums(&archive), sums_now);
    same_as_fresh(EPOCH, "no change");

    // Each input that reaches a bundle changes exactly the bundles it is in.
    let step =
        |sums_now: &mut BTreeMap<String, String>, what: &str, epoch: &str, expected: &[&str], edit: &dyn Fn()| {
            edit();
            let archive = site.build_archive("public", Some(epoch));
            let after = sums(&archive);
            assert_eq!(changed(sums_now, &after), expected, "{what}");
            for zip in zips(&archive) {
                assert!(verify(&zip).status.success(), "{what}: {} verifies", zip.display());
            }
            same_as_fresh(epoch, what);
            *sums_now = after;
        };
    step(&mut sums_now, "a title", EPOCH, &["2018", "all"], &|| {
        site.change("content/publications/2018-01-08-scientific-opportunities-beyond-leo-full.md", |t| {
            t.replacen("title = \"Scientific", "title = \"Revised: Scientific", 1)
        })
    });
    step(&mut sums_now, "a tag", EPOCH, &["2013", "all"], &|| {
        site.change("content/publications/2013-09-20-benefits-stemming-from-space-exploration.md", |t| {
            t.replacen("tags = [", "tags = [\"new-tag\", ", 1)
        })
    });
    step(
        &mut sums_now,
        "the catalogue template",
        EPOCH,
        &["2013", "2015", "2016", "2018", "2020", "2021", "all"],
        &|| {
            let default = fs::read_to_string(site.path("feeds/templates/index.html"))
                .unwrap_or_else(|_| fs::read_to_string(Path::new(REPO).join("feeds/templates/index.html")).unwrap());
            fs::write(site.path("feeds/templates/index.html"), default.replacen("<", "<!-- edited -->\n<", 1)).unwrap();
        },
    );
    step(&mut sums_now, "a site field", EPOCH, &["2013", "2015", "2016", "2018", "2020", "2021", "all"], &|| {
        site.change("content/site.toml", |t| t.replacen("title = \"", "title = \"The ", 1))
    });
    // SOURCE_DATE_EPOCH only clamps times: one later than every change
    // changes no bundle (a closed year's bundle keeps its bytes).
    step(&mut sums_now, "SOURCE_DATE_EPOCH", "1767225602", &[], &|| {});
    step(&mut sums_now, "SOURCE_DATE_EPOCH back", EPOCH, &[], &|| {});

    // A PDF's bytes changed, its size and modification time put back: by
    // design not seen (the digest cache trusts size, time and inode), so the
    // bundles stay as they were, while a build without cache sees it.
    let pdf = site.path("content/publications/pdf/isecg-annual-report-2020.pdf");
    let ino = inodes(&site.path("public/archive"));
    let mut bytes = fs::read(&pdf).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x20;
    fs::write(&pdf, &bytes).unwrap();
    set_mtime(&pdf, old);
    let archive = site.build_archive("public", Some(EPOCH));
    assert_eq!(changed(&sums_now, &sums(&archive)), Vec::<String>::new(), "size and time put back: not seen");
    assert_eq!(inodes(&archive), ino, "every bundle taken over, none rewritten (its PDF would not match)");
    let without_cache = fresh(EPOCH);
    let name = format!("archive/{PREFIX}-2021.zip");
    assert_ne!(without_cache[&name], fs::read(archive.join(format!("{PREFIX}-2021.zip"))).unwrap());

    // A new modification time: hashed again, and the bundles follow.
    set_mtime(&pdf, old + std::time::Duration::from_secs(1));
    step(&mut sums_now, "a PDF with a new modification time", EPOCH, &["2021", "all"], &|| {});

    // A damaged or foreign cache is ignored: same bytes, rebuilt cache.
    for bad in [&b"not a cache"[..], b"pressroom-cache 2 00\n{}"] {
        fs::write(&cache, bad).unwrap();
        let archive = site.build_archive("public", Some(EPOCH));
        assert_eq!(sums(&archive), sums_now);
        same_as_fresh(EPOCH, "a damaged cache");
        assert_ne!(fs::read(&cache).unwrap(), bad, "rewritten");
    }
    fs::remove_dir_all(site.path(".public.pressroom-cache")).unwrap();
    site.build_archive("public", Some(EPOCH));
    same_as_fresh(EPOCH, "no cache");
}
