//! Hostile content stores: links that loop or lead outside `content/`,
//! huge files, huge lists, huge sections, empty sections, missing or
//! misplaced folders. The binary either builds valid output or refuses with
//! an error naming the path; it never hangs, and never reads or writes
//! outside the folders it was given. Each run is bounded in time, and its
//! peak memory is measured (`wait4`).

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::*;
use crate::read::*;

/// What one bounded run of the binary did.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// Peak resident memory of the process, in MB.
    max_rss_mb: u64,
}

/// Runs `pressroom <args>` in the store's folder; kills it and fails the
/// test past `limit`.
#[track_caller]
#[allow(clippy::zombie_processes)] // reaped by `wait4`, which also gives its peak memory
fn bounded(store: &Store, args: &[&str], limit: Duration) -> Run {
    let out = tempfile::NamedTempFile::new().unwrap();
    let err = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = store.command(args);
    cmd.stdin(Stdio::null()).stdout(File::create(out.path()).unwrap()).stderr(File::create(err.path()).unwrap());
    let mut child = cmd.spawn().expect("running pressroom");
    let pid = child.id() as libc::pid_t;
    let started = Instant::now();
    loop {
        let mut status = 0;
        // SAFETY: an all-zero rusage is a valid value of the plain C struct.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `pid` is our own child, not yet reaped; both pointers are valid.
        let rc = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(rc >= 0, "wait4: {}", std::io::Error::last_os_error());
        if rc == pid {
            let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
            return Run {
                code,
                stdout: fs::read_to_string(out.path()).unwrap(),
                stderr: fs::read_to_string(err.path()).unwrap(),
                elapsed: started.elapsed(),
                max_rss_mb: usage.ru_maxrss as u64 / 1024,
            };
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("pressroom {args:?} still running after {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

const LIMIT: Duration = Duration::from_secs(60);

/// Every problem `check --format json` printed, as (code, file) pairs.
fn problems(run: &Run) -> Vec<(String, String)> {
    run.stdout
        .lines()
        .map(|l| {
            let p: Problem = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (p.code, p.file)
        })
        .collect()
}

/// Every feed of the output parses strictly and with feed-rs; returns the
/// number of items of each (`news/rss.xml` → n).
fn feeds_valid(out: &Path) -> Vec<(String, usize)> {
    let mut counts = Vec::new();
    for feed in FEEDS {
        for format in FORMATS {
            let rel = format!("{feed}/{format}");
            let bytes = fs::read(out.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let text = String::from_utf8(bytes).unwrap();
            if format.ends_with(".xml") {
                roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel}: not well-formed: {e}"));
            } else {
                serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            }
            let parsed = feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{rel}: feed-rs: {e}"));
            counts.push((rel, parsed.entries.len()));
        }
    }
    counts
}

#[test]
fn a_folder_link_that_loops_is_not_followed() {
    let store = Store::fixture("minimal");
    symlink(".", store.content().join("news/loop")).unwrap();
    symlink("..", store.content().join("news/up")).unwrap();
    symlink(".", store.content().join("loop")).unwrap();
    let run = bounded(&store, &["build"], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let counts = feeds_valid(&store.out());
    assert!(counts.iter().any(|(rel, n)| rel == "news/rss.xml" && *n == 2), "{counts:?}");
}

#[test]
fn markdown_links_that_loop_are_refused_by_name() {
    let store = Store::fixture("minimal");
    symlink("b.md", store.content().join("news/a.md")).unwrap();
    symlink("a.md", store.content().join("news/b.md")).unwrap();
    // A folder named like a Markdown file is a subfolder (read, here
    // empty); a link named like one that leads to a folder is an error.
    fs::create_dir(store.content().join("news/dir.md")).unwrap();
    symlink(".", store.content().join("news/here.md")).unwrap();
    let run = bounded(&store, &["check", "--format", "json"], LIMIT);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let found = problems(&run);
    for name in ["a.md", "b.md", "here.md"] {
        let file = format!("content/news/{name}");
        assert!(found.contains(&("E0001".into(), file.clone())), "no E0001 for {file}: {found:?}");
    }
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(run.stdout.contains("symbolic links") || run.stdout.contains("Too many levels"), "{}", run.stdout);
}

/// A folder beside the store (outside `content/`) with a PDF and a
/// Markdown file whose title must never show up anywhere.
fn outside(store: &Store) -> std::path::PathBuf {
    let dir = store.root().join("outside");
    fs::create_dir_all(dir.join("pages")).unwrap();
    fs::write(dir.join("x.pdf"), b"%PDF-1.4\nSECRET-PDF\n").unwrap();
    let md = "+++\ntitle = \"SECRET\"\ndate = 2024-04-01\n+++\n\nSECRET body.\n";
    fs::write(dir.join("evil.md"), md).unwrap();
    fs::write(dir.join("pages/evil.md"), "+++\ntitle = \"SECRET\"\n+++\n\nSECRET.\n").unwrap();
    dir
}

#[test]
fn a_pdf_reached_through_a_link_to_an_outside_folder_is_refused() {
    let store = Store::fixture("minimal");
    let dir = outside(&store);
    symlink(&dir, store.content().join("publications/pdf/ext")).unwrap();
    let store = store
        .edit("publications/2024-03-01-minimal-report.md", |t| t.replace("pdf/minimal-report.pdf", "pdf/ext/x.pdf"));
    let run = bounded(&store, &["build", "--format", "json"], LIMIT);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let found = problems(&run);
    assert_eq!(found, vec![("E0302".into(), "content/publications/2024-03-01-minimal-report.md".into())]);
    assert!(!store.out().exists(), "nothing is written");
}

#[test]
fn a_markdown_file_linked_from_outside_is_refused_unread() {
    let store = Store::fixture("minimal");
    let dir = outside(&store);
    symlink(dir.join("evil.md"), store.content().join("news/evil.md")).unwrap();
    // A whole section that is a link to elsewhere.
    fs::remove_dir_all(store.content().join("pages")).unwrap();
    symlink(dir.join("pages"), store.content().join("pages")).unwrap();
    let before = files(&dir);
    let run = bounded(&store, &["build", "--format", "json"], LIMIT);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let found = problems(&run);
    assert_eq!(found, vec![("E0302".into(), "content/news/evil.md".into()), ("E0302".into(), "content/pages".into())]);
    assert!(run.stdout.contains("outside the content folder"), "{}", run.stdout);
    assert!(!run.stdout.contains("SECRET") && !run.stderr.contains("SECRET"), "read: {}", run.stdout);
    assert!(!store.out().exists(), "nothing is written");
    assert!(files(&dir) == before, "the outside folder changed");
}

/// The size of the huge Markdown file, in MB: 10 by default (a debug build
/// renders ~1.6 MB/s of Markdown into three feeds); `PRESSROOM_HUGE_MB=100`
/// for the full case.
fn huge_mb() -> usize {
    std::env::var("PRESSROOM_HUGE_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(10)
}

#[test]
fn a_huge_markdown_file_costs_memory_and_time_in_proportion() {
    let mb = huge_mb();
    let paragraph = "Lorem ipsum dolor sit amet, *consectetur* adipiscing elit, [a link](../x/) sed do eiusmod \
                     tempor & <b>raw</b> incididunt ]]> ut labore.\n\n";
    let mut text = String::from("+++\ntitle = \"Huge\"\ndate = 2024-04-01\n+++\n\n");
    text.push_str(&paragraph.repeat(mb * 1_000_000 / paragraph.len()));
    let store = Store::fixture("minimal").write("news/huge.md", &text);
    let run = bounded(&store, &["build"], Duration::from_secs(20 * mb as u64 + 30));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    eprintln!("a {mb} MB Markdown file: built in {:?}, peak memory {} MB", run.elapsed, run.max_rss_mb);
    // Measured (100 MB file, release build): 7.3 s and 838 MB, about 8.5
    // times the file (the body, its HTML, and each format's copy of it).
    // The same 10 MB run peaks anywhere from 126 to 273 MB with the test
    // suite's load beside it (glibc's mmap threshold grows as large blocks
    // are freed, so later ones may stay in the heap): bounded at 20 times the
    // file, which a copy per item or per chunk would still break.
    assert!(run.max_rss_mb < 20 * mb as u64 + 150, "peak memory {} MB for a {mb} MB file", run.max_rss_mb);
    let rss = fs::read_to_string(store.out().join("news/rss.xml")).unwrap();
    let doc = roxmltree::Document::parse(&rss).unwrap();
    let items = kids(kid(doc.root_element(), None, "channel"), None, "item");
    assert_eq!(items.len(), 3);
    let content = kid_text(items[0], Some(CONTENT_NS), "encoded");
    assert!(content.len() > mb * 1_000_000, "{} bytes of content", content.len());
    assert!(content.contains("incididunt ]]&gt; ut"), "the ]]> of the body survives the CDATA");
}

#[test]
fn ten_thousand_tags_on_one_item() {
    let tags: Vec<String> = (0..10_000).map(|i| format!("\"tag {i} é&<\"")).collect();
    let md = format!("+++\ntitle = \"Tagged\"\ndate = 2024-04-01\ntags = [{}]\n+++\n\nBody.\n", tags.join(", "));
    let store = Store::fixture("minimal").write("news/tagged.md", md);
    let run = bounded(&store, &["build"], LIMIT);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    eprintln!("10,000 tags: built in {:?}, peak memory {} MB", run.elapsed, run.max_rss_mb);
    feeds_valid(&store.out());
    let rss = fs::read_to_string(store.out().join("news/rss.xml")).unwrap();
    let doc = roxmltree::Document::parse(&rss).unwrap();
    let item = kids(kid(doc.root_element(), None, "channel"), None, "item")[0];
    let categories = kids(item, None, "category");
    assert_eq!(categories.len(), 10_000);
    assert_eq!(categories[9_999].text(), Some("tag 9999 é&<"));
    let atom = fs::read_to_string(store.out().join("news/atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let entry = kids(doc.root_element(), Some(ATOM_NS), "entry")[0];
    let terms: Vec<_> = kids(entry, Some(ATOM_NS), "category").iter().map(|c| c.attribute("term")).collect();
    assert_eq!((terms.len(), terms[9_999]), (10_000, Some("tag 9999 é&<")));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(store.out().join("news/feed.json")).unwrap()).unwrap();
    assert_eq!(json["items"][0]["tags"].as_array().unwrap().len(), 10_000);
}

/// `n` news items in one section, each its own file.
fn many_files(n: usize) -> Store {
    let store = Store::fixture("minimal");
    let news = store.content().join("news");
    for i in 0..n {
        let md = format!(
            "+++\ntitle = \"News {i}\"\ndate = 2020-01-01T00:00:00Z\ntags = [\"t{}\"]\n+++\n\nBody {i}.\n",
            i % 7
        );
        fs::write(news.join(format!("n{i:06}.md")), md).unwrap();
    }
    store
}

/// Measured: 100,000 files, debug build 11 s and 209 MB, release build 3.0 s
/// and 202 MB (about 2 kB a file: the items, their URLs, the sitemap).
/// The default run has 20,000; `cargo test -- --ignored` runs 100,000.
fn many_files_build(n: usize) {
    let store = many_files(n);
    let run = bounded(&store, &["build"], Duration::from_secs(n as u64 / 1000 + 60));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    eprintln!("{n} files in one section: built in {:?}, peak memory {} MB", run.elapsed, run.max_rss_mb);
    assert!(run.max_rss_mb < n as u64 / 100 + 150, "peak memory {} MB for {n} files", run.max_rss_mb);
    let counts = feeds_valid(&store.out());
    // The feed keeps its newest 50; the sitemap has them all.
    assert!(counts.iter().any(|(rel, c)| rel == "news/atom.xml" && *c == 50), "{counts:?}");
    let sitemaps: usize = files(&store.out())
        .iter()
        .filter(|(rel, _)| rel.starts_with("sitemap"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).matches("/news/n").count())
        .sum();
    assert_eq!(sitemaps, n);
}

#[test]
fn a_hundred_thousand_files_in_one_section() {
    many_files_build(100_000);
}

#[test]
fn an_empty_section_still_gets_valid_feeds() {
    // The news folder empty, then gone: both are an empty section.
    for remove_folder in [false, true] {
        let store =
            Store::fixture("minimal").remove("news/2024-01-10-first-news.md").remove("news/2024-02-20-second-news.md");
        if remove_folder {
            fs::remove_dir_all(store.content().join("news")).unwrap();
        }
        let run = bounded(&store, &["build"], LIMIT);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let counts = feeds_valid(&store.out());
        for format in FORMATS {
            let rel = format!("news/{format}");
            assert!(counts.contains(&(rel.clone(), 0)), "{rel} should be empty: {counts:?}");
        }
        // Still a complete feed: RSS has its channel, Atom its updated.
        let rss = fs::read_to_string(store.out().join("news/rss.xml")).unwrap();
        let doc = roxmltree::Document::parse(&rss).unwrap();
        let channel = kid(doc.root_element(), None, "channel");
        assert_eq!(kid_text(channel, None, "title"), "Minimal News");
        let atom = fs::read_to_string(store.out().join("news/atom.xml")).unwrap();
        let doc = roxmltree::Document::parse(&atom).unwrap();
        rfc3339(&kid_text(doc.root_element(), Some(ATOM_NS), "updated"));
    }
}

#[test]
fn a_missing_feeds_folder_is_a_usage_error() {
    let store = Store::fixture("minimal");
    fs::remove_dir_all(store.feeds()).unwrap();
    for command in ["build", "check"] {
        let run = bounded(&store, &[command], LIMIT);
        assert_eq!(run.code, Some(2), "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("feeds: no feed definitions folder") && run.stderr.contains("--feeds"),
            "{}",
            run.stderr
        );
        assert!(!store.out().exists());
    }
}

#[test]
fn an_output_folder_inside_content_is_refused() {
    let store = Store::fixture("minimal");
    fs::create_dir(store.root().join("elsewhere")).unwrap();
    symlink(store.content().join("news"), store.root().join("elsewhere/news-link")).unwrap();
    let before = files(&store.content());
    for out in
        ["content/public", "content", "content/news/deeper/out", "elsewhere/news-link/out", "./content/../content/x"]
    {
        let run = bounded(&store, &["build", "--out", out], LIMIT);
        assert_eq!(run.code, Some(2), "--out {out}: {}", run.stderr);
        let said = ["is the content folder", "lies inside the content folder"].iter().any(|s| run.stderr.contains(s));
        assert!(said, "--out {out}: {}", run.stderr);
    }
    assert!(files(&store.content()) == before, "the content folder changed");
}

/// Every file of the store's folder outside the output `out` (and its
/// archive cache beside it), by relative path.
fn outside_output(store: &Store, out: &str) -> BTreeMap<String, Vec<u8>> {
    let cache = format!(".{out}.pressroom-cache/");
    let mut all = files(store.root());
    all.retain(|rel, _| !rel.starts_with(&format!("{out}/")) && !rel.starts_with(&cache));
    all
}

/// The paths whose bytes differ between `before` and `after`, or that only
/// one of them has.
fn changed(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    keys.into_iter().filter(|k| before.get(*k) != after.get(*k)).cloned().collect()
}

/// The minimal store with items placed at `/{slug}/`, right under the base
/// URL, so that two `..` from an item's page reach the store's own folder.
fn slugs_at_the_root() -> Store {
    let store = Store::fixture("minimal");
    let site = fs::read_to_string(store.content().join("site.toml")).unwrap();
    store.write("site.toml", format!("{site}\n[urls]\nnews = \"/{{slug}}/\"\n"))
}

const FIRST: &str = "news/2024-01-10-first-news.md";

#[test]
fn an_encoded_dot_dot_in_a_body_link_stays_inside_the_output() {
    // RFC 3986 §6.2.2.2: `%2e` is `.`, so this is `../../content/site.toml`,
    // which from `/first-news/` resolves to `/content/site.toml` on the site.
    let store = slugs_at_the_root()
        .edit(FIRST, |t| format!("{t}\n[the settings](%2e%2e/%2E%2e/content/site.toml)\n"))
        .write("news/x.txt", "beside");
    let before = outside_output(&store, "public");
    let site = fs::read(store.content().join("site.toml")).unwrap();
    let check = store.check(&[]);
    let build = store.run(&["build"]);
    assert_eq!(changed(&before, &outside_output(&store, "public")), Vec::<String>::new(), "changed outside the output");
    assert_eq!(fs::read(store.content().join("site.toml")).unwrap(), site);
    match check.status.code() {
        Some(0) => {
            assert!(build.status.success(), "{}", build.stderr);
            assert_eq!(fs::read(store.out().join("content/site.toml")).unwrap(), site, "published inside the output");
        }
        _ => {
            check.has("E0109", &format!("content/{FIRST}"), 12, 0);
            assert!(!build.status.success());
        }
    }
}

#[test]
fn a_body_link_that_decodes_to_a_separator_a_control_or_an_empty_segment_is_refused() {
    for reference in ["a%2Fb.png", "a%00b.png", "x%0A.png", "a//b.png"] {
        let store = Store::fixture("minimal")
            .edit(FIRST, |t| format!("{t}\n![x]({reference})\n"))
            .write("news/a/b.png", "an image")
            .write("news/x\n.png", "a file name with a line break");
        let out = store.check(&[]);
        assert_eq!(out.status.code(), Some(1), "{reference}: {}{}", out.stdout, out.stderr);
        let problem = out.has("E0109", &format!("content/{FIRST}"), 12, 0);
        assert!(problem.message.contains(&format!("{reference:?}")), "{reference}: {}", problem.message);
        let human = store.run(&["check"]);
        assert!(!human.stderr.contains('\0') && !out.stdout.contains('\0'), "{reference}: a raw NUL printed");
        assert!(!store.run(&["build"]).status.success() && !store.out().exists(), "{reference}: nothing is written");
    }
}

#[test]
fn an_encoded_dot_dot_in_an_own_url_is_refused() {
    // `a/public`: two `..` from the output lead to the store's folder, not
    // to the machine's temporary folder.
    let store =
        Store::fixture("minimal").edit(FIRST, |t| t.replacen("+++\n", "+++\nurl = \"/%2e%2e/%2e%2e/elsewhere/\"\n", 1));
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}{}", out.stdout, out.stderr);
    let problem = out.has("E0107", &format!("content/{FIRST}"), 2, 7);
    assert!(problem.message.contains("\"/%2e%2e/%2e%2e/elsewhere/\""), "{}", problem.message);
    fs::create_dir(store.path("a")).unwrap();
    let build = store.build_into(&store.path("a/public"));
    assert_eq!(build.status.code(), Some(1), "{}", build.stderr);
    assert!(!store.path("a/public").exists(), "nothing is written");
    assert!(!store.path("elsewhere").exists() && !store.path("a/elsewhere").exists(), "written outside the output");
}

#[test]
fn own_urls_with_an_empty_a_long_or_a_control_segment_are_refused() {
    let long = "x".repeat(256);
    for (url, code) in [
        ("/a//b/", "E0107"),
        ("https://example.org/a//b/", "E0107"),
        ("/a/./b/", "E0107"),
        ("/a/%2e/b/", "E0107"),
        ("/a%2Fb/", "E0107"),
        ("/a%00b/", "E0107"),
        ("/a%0Ab/", "E0107"),
        (&format!("/{long}/"), "E0204"),
        (&format!("/a/{}%78/", &long[1..]), "E0204"),
    ] {
        let store =
            Store::fixture("minimal").edit(FIRST, |t| t.replacen("+++\n", &format!("+++\nurl = \"{url}\"\n"), 1));
        let out = store.check(&[]);
        assert_eq!(out.status.code(), Some(1), "{url}: {}{}", out.stdout, out.stderr);
        out.has(code, &format!("content/{FIRST}"), 2, 7);
        let human = store.run(&["check"]);
        let build = store.run(&["build"]);
        for printed in [&out.stdout, &out.stderr, &human.stdout, &human.stderr, &build.stdout, &build.stderr] {
            assert!(
                !printed.contains(|c: char| c.is_control() && c != '\n'),
                "{url}: a raw control character in\n{printed}"
            );
        }
        assert!(!build.status.success() && !store.out().exists(), "{url}: nothing is written");
    }
    // Beside `/a/b/`, the same page: not two.
    let store = Store::fixture("minimal")
        .edit(FIRST, |t| t.replacen("+++\n", "+++\nurl = \"/a/b/\"\n", 1))
        .edit("news/2024-02-20-second-news.md", |t| t.replacen("+++\n", "+++\nurl = \"/a//b/\"\n", 1));
    store.check(&[]).has("E0107", "content/news/2024-02-20-second-news.md", 2, 7);
}

#[test]
fn own_urls_and_ids_that_are_no_uri_are_refused_at_their_line() {
    for (line, column, why) in [
        ("url = \"https://other.example/%zz\"", 7, "`%` not followed by two hex digits"),
        ("url = \"https://example.org/a^b/\"", 7, "'^'"),
        ("url = \"/100%/\"", 7, "`%` not followed by two hex digits"),
        ("id = \"https://other.example/%zz\"", 6, "`%` not followed by two hex digits"),
        ("id = \"tag:example.org,2024-01-10:a#b#c\"", 6, "second `#`"),
        ("id = \"tag:example.org,2024-01-10:a b\"", 6, "is not an absolute URI"),
        ("id = \"https://example.org/x{y}\"", 6, "'{'"),
    ] {
        let store = Store::fixture("minimal").edit(FIRST, |t| t.replacen("+++\n", &format!("+++\n{line}\n"), 1));
        for out in [store.check(&[]), store.run(&["build", "--format", "json"])] {
            assert_eq!(out.status.code(), Some(1), "{line}: {}{}", out.stdout, out.stderr);
            let problem = out.has("E0107", &format!("content/{FIRST}"), 2, column);
            assert!(problem.message.contains(why), "{line}: {}", problem.message);
        }
        assert!(!store.out().exists(), "{line}: nothing is written");
    }
    // A path is a path: what a URI cannot hold is encoded, as a slug's is.
    let out =
        Store::fixture("minimal").edit(FIRST, |t| t.replacen("+++\n", "+++\nurl = \"/café^/\"\n", 1)).build().ok();
    let feed = crate::read::json(&out, "news/feed.json");
    let urls: Vec<String> =
        feed["items"].as_array().unwrap().iter().map(|i| i["url"].as_str().unwrap().to_owned()).collect();
    assert!(urls.contains(&"https://example.org/caf%C3%A9%5E/".to_owned()), "{urls:?}");
    crate::validators::assert_rfc_3986(&urls);
}
