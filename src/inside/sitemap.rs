//! The sitemap past the protocol's limits (50,000 URLs, 50 MB), which no
//! store a test can build reaches: rendered in-process with small limits.

use std::io;
use std::process::Command;

use super::{SITEMAP_NS, kid_text, kids, sitemap_urls, xml};
use crate::content::Store;
use crate::render::sitemap;

const MINIMAL_BASE: &str = "https://example.org/";

/// The sitemap files, each whole in memory: `[("sitemap.xml", bytes)]`, or
/// an index and its numbered children when one file would break a limit.
/// The build streams each instead (`Sitemap::write`); these tests look
/// at them whole.
fn render(store: &Store, pages: &[sitemap::Url<'_>]) -> io::Result<Vec<(String, Vec<u8>)>> {
    render_with_limits(store, pages, sitemap::MAX_URLS, sitemap::MAX_BYTES)
}

/// `render` with other limits than the protocol's (tests use small ones).
fn render_with_limits(
    store: &Store,
    pages: &[sitemap::Url<'_>],
    max_urls: usize,
    max_bytes: usize,
) -> io::Result<Vec<(String, Vec<u8>)>> {
    let sitemap = sitemap::Sitemap::with_limits(store, pages, max_urls, max_bytes);
    let mut files = Vec::new();
    for (file, name) in sitemap.names().into_iter().enumerate() {
        let mut bytes = Vec::new();
        sitemap.write(store, file, &mut bytes)?;
        files.push((name, bytes));
    }
    Ok(files)
}

/// Loads the minimal fixture, as of the builds of `tests/it`.
fn minimal() -> Store {
    let now = jiff::Timestamp::from_second(super::EPOCH).unwrap();
    Store::load(&super::fixture("minimal").join("content"), now).expect("the minimal fixture loads")
}

#[test]
fn past_the_url_limit_the_sitemap_becomes_an_index() {
    let store = minimal();
    let single = render(&store, &[]).unwrap();
    assert_eq!(single.len(), 1);
    let all = sitemap_urls(std::str::from_utf8(&single[0].1).unwrap());
    assert_eq!(all.len(), 8, "home, 2 sections, 1 page, 2 news, 1 publication and its PDF: {all:?}");

    let files = render_with_limits(&store, &[], 3, sitemap::MAX_BYTES).unwrap();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]);
    let index = std::str::from_utf8(&files[0].1).unwrap();
    let doc = xml(index);
    let root = doc.root_element();
    assert_eq!((root.tag_name().name(), root.tag_name().namespace()), ("sitemapindex", Some(SITEMAP_NS)));
    let children: Vec<String> =
        kids(root, Some(SITEMAP_NS), "sitemap").iter().map(|s| kid_text(*s, Some(SITEMAP_NS), "loc")).collect();
    assert_eq!(children, (1..=3).map(|n| format!("{MINIMAL_BASE}sitemap-{n}.xml")).collect::<Vec<_>>());
    let mut split = Vec::new();
    for (name, bytes) in &files[1..] {
        let part = sitemap_urls(std::str::from_utf8(bytes).unwrap());
        assert!(!part.is_empty() && part.len() <= 3, "{name} has {} URLs", part.len());
        split.extend(part);
    }
    assert_eq!(split, all, "the children hold every URL once, in order");
}

#[test]
fn past_the_byte_limit_no_child_sitemap_is_too_large() {
    let store = minimal();
    let all = sitemap_urls(std::str::from_utf8(&render(&store, &[]).unwrap()[0].1).unwrap());
    // From the smallest limit that still fits the longest URL alone.
    for max_bytes in 360..800 {
        let files = render_with_limits(&store, &[], sitemap::MAX_URLS, max_bytes).unwrap();
        let mut split = Vec::new();
        for (name, bytes) in files.iter().skip(usize::from(files.len() > 1)) {
            assert!(bytes.len() <= max_bytes, "{name} is {} bytes, over the limit of {max_bytes}", bytes.len());
            split.extend(sitemap_urls(std::str::from_utf8(bytes).unwrap()));
        }
        assert_eq!(split, all, "limit {max_bytes}: every URL once");
    }
}

/// True when xmllint is there; when it is not, the test fails with `CI`
/// set (as `.ci/run` runs), else says SKIPPED where `cargo test` shows it
/// (`tests/it/harness/tools.rs`, `have`).
fn have_xmllint() -> bool {
    let available = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("xmllint").is_file()));
    if !available {
        let why = "xmllint is not installed (.ci/run installs it)";
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false") {
            panic!("{why}; with CI set, a missing validator fails the suite");
        }
        use std::io::Write;
        let test = std::thread::current().name().unwrap_or("a test").to_owned();
        let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {why}");
    }
    available
}

#[test]
fn a_sitemap_index_and_its_children_match_the_schemas() {
    if !have_xmllint() {
        return;
    }
    let files = render_with_limits(&minimal(), &[], 3, sitemap::MAX_BYTES).unwrap();
    assert!(files.len() > 2, "an index and at least two children");
    let dir = tempfile::tempdir().unwrap();
    let schemas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemas");
    for (name, bytes) in &files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let xsd = schemas.join(if name == "sitemap.xml" { "siteindex.xsd" } else { "sitemap.xsd" });
        assert!(xsd.is_file(), "{} is missing from the repository", xsd.display());
        let output = Command::new("xmllint")
            .arg("--noout")
            .arg("--nonet")
            .arg("--schema")
            .arg(&xsd)
            .arg(dir.path().join(name))
            .output()
            .unwrap_or_else(|e| panic!("running xmllint on {name}: {e}"));
        assert!(
            output.status.success(),
            "xmllint on {name} rejected the file ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}
