//! Tests of the library's insides that no front end reaches: the properties
//! of generated content rendered in-process, and the sitemap's splitting at
//! limits too large to reach through a build. Everything that runs the
//! binary or the door is in `tests/it`; these share a few of its helpers,
//! kept here in the small.

mod properties;
mod sitemap;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use roxmltree::{Document, Node};

/// `SOURCE_DATE_EPOCH` of the builds of `tests/it`.
pub const EPOCH: i64 = 1_767_225_600;
pub const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
pub const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";
pub const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
pub const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// A fixture's folder under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The proptest settings of `tests/it` (`harness::proptest_config`).
pub fn proptest_config(cases: u32, seed: u64) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, FileFailurePersistence, RngSeed};
    let cases = std::env::var("PRESSROOM_PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel("proptest-regressions"))),
        ..Config::default()
    }
}

/// The seed of a property's random cases: `PRESSROOM_PROPTEST_SEED` (a
/// decimal number), else `fixed`, else a fresh one. Printed, so that the
/// output of a failed test says how to repeat it.
#[track_caller]
pub fn proptest_seed(fixed: Option<u64>) -> u64 {
    let seed = match std::env::var("PRESSROOM_PROPTEST_SEED") {
        Ok(text) => text.trim().parse().unwrap_or_else(|_| panic!("PRESSROOM_PROPTEST_SEED={text:?}: not a number")),
        Err(_) => fixed.unwrap_or_else(|| {
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos());
            h.write(std::thread::current().name().unwrap_or("").as_bytes());
            h.finish()
        }),
    };
    eprintln!("proptest seed {seed}: PRESSROOM_PROPTEST_SEED={seed} repeats this run");
    seed
}

/// Every file under `dir`, by its path relative to it.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[track_caller]
pub fn xml(text: &str) -> Document<'_> {
    Document::parse(text).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"))
}

/// The element children of `node` named `name` in namespace `ns` (None: no namespace).
pub fn kids<'a, 'i>(node: Node<'a, 'i>, ns: Option<&str>, name: &str) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == ns)
        .collect()
}

/// The text of the one child `name` (in `ns`).
#[track_caller]
pub fn kid_text(node: Node, ns: Option<&str>, name: &str) -> String {
    let found = kids(node, ns, name);
    assert_eq!(found.len(), 1, "<{}> should have exactly one <{name}>", node.tag_name().name());
    found[0].text().unwrap_or("").to_owned()
}

/// RFC 822 as the RSS profile wants it: `Thu, 2 Dec 2021 00:00:00 +0000`,
/// with a four-digit year; returns the instant.
#[track_caller]
pub fn rfc822(value: &str) -> jiff::Timestamp {
    const DAYS: [&str; 7] = ["Mon,", "Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun,"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let parts: Vec<&str> = value.split(' ').collect();
    let digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let shape = parts.len() == 6
        && DAYS.contains(&parts[0])
        && digits(parts[1], 1..=2)
        && MONTHS.contains(&parts[2])
        && digits(parts[3], 4..=4)
        && parts[4].len() == 8
        && parts[4].split(':').all(|p| digits(p, 2..=2))
        && (parts[5] == "GMT"
            || (parts[5].len() == 5 && parts[5].starts_with(['+', '-']) && digits(&parts[5][1..], 4..=4)));
    assert!(shape, "{value:?} is not an RFC 822 date with a four-digit year, single-spaced");
    // jiff also checks that the weekday matches the date.
    jiff::fmt::rfc2822::parse(value).unwrap_or_else(|e| panic!("{value:?}: {e}")).timestamp()
}

/// An RFC 3339 timestamp (as Atom and JSON Feed want it).
#[track_caller]
pub fn rfc3339(value: &str) -> jiff::Timestamp {
    let b = value.as_bytes();
    assert!(
        b.len() >= 20 && b[10] == b'T' && (value.ends_with('Z') || b[b.len() - 6] == b'+' || b[b.len() - 6] == b'-'),
        "{value:?} is not RFC 3339 with an offset"
    );
    value.parse().unwrap_or_else(|e| panic!("{value:?}: {e}"))
}
