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

// The helpers `tests/it` has for the same: one copy of each.
#[path = "../../tests/it/harness/seeds.rs"]
mod seeds;
#[path = "../../tests/it/harness/xml.rs"]
mod xml;
pub use seeds::{proptest_config, proptest_seed};
pub use xml::*;

/// `SOURCE_DATE_EPOCH` of the builds of `tests/it`.
pub const EPOCH: i64 = 1_767_225_600;

/// A fixture's folder under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
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
