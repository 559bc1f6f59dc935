//! The items the last successful build proved (issue 20, "load once"): an
//! item whose HTML rendered without a problem from the very same inputs
//! needs no rendering to be proved again, so `check` (and the proof of
//! `build`) renders only what changed.
//!
//! Each item's **print** is the SHA-256 of everything its HTML is made of:
//! this pressroom build, site.toml's bytes and the site as loaded, the item
//! template's text, the item as loaded (its source file's SHA-256 among its
//! fields) and the URLs its links lead to. The bytes, not the file's time or
//! inode, key it: a fresh clone in CI has new times and the same bytes.
//!
//! The record (`.<out>.pressroom-cache/proved`) is written after a
//! build commits, when every item of the store is proved (now, or by the
//! build whose archive document was taken over, from the same print). It
//! is only an accelerator: missing, damaged (it carries its own SHA-256) or
//! written by another pressroom build, it is ignored and every item is
//! rendered; no output and no problem depends on it.

use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};

use crate::archive::cache;
use crate::content::{Item, Store};
use crate::fingerprint::{debug_part, part};
use crate::store_templates::Templates;

const FILE: &str = "proved";
/// The body: this pressroom build (32 bytes), then the prints of the items
/// proved, 32 bytes each, sorted. Binary: 110,000 prints are 3.5 MB, read
/// and written by every build.
const MAGIC: &str = "pressroom-proved 3";

/// The prints of the items a build proved.
#[derive(Debug, Default)]
pub struct Proved {
    sorted: Vec<[u8; 32]>,
}

impl Proved {
    pub fn contains(&self, print: &[u8; 32]) -> bool {
        self.sorted.binary_search(print).is_ok()
    }
}

/// What shapes every item's HTML alike.
pub struct ItemShape {
    engine: [u8; 32],
    site_text: Vec<u8>,
    item_template: [u8; 32],
}

impl ItemShape {
    pub fn of(store: &Store, templates: &Templates) -> ItemShape {
        let mut h = Sha256::new();
        cache::hash_binary(&mut h);
        // Unreadable now, it was read moments ago by the store: a stand-in
        // no build recorded means nothing is taken as proved.
        let site_text = std::fs::read(&store.site_path).unwrap_or_else(|e| format!("unreadable: {e}").into_bytes());
        ItemShape { engine: h.finalize().into(), site_text, item_template: templates.item().digest() }
    }

    /// `of`, as another pressroom build (`engine`) would see it (tests).
    #[cfg(test)]
    pub fn with_engine(engine: [u8; 32], store: &Store, templates: &Templates) -> ItemShape {
        ItemShape { engine, ..ItemShape::of(store, templates) }
    }

    /// This pressroom build.
    pub fn engine(&self) -> &[u8; 32] {
        &self.engine
    }

    /// site.toml's bytes.
    pub fn site_text(&self) -> &[u8] {
        &self.site_text
    }

    /// The item template's digest.
    pub fn item_template(&self) -> [u8; 32] {
        self.item_template
    }
}

/// Every item's print, in the order of `items`, worked out in parallel.
pub fn prints(shape: &ItemShape, store: &Store, items: &[&Item]) -> Vec<[u8; 32]> {
    // What every print starts with, hashed once (the site alone is
    // kilobytes), each item's hash resuming from it.
    let mut base = Sha256::new();
    part(&mut base, b"pressroom item 1");
    part(&mut base, &shape.engine);
    part(&mut base, &shape.site_text);
    debug_part(&mut base, &store.site);
    part(&mut base, &shape.item_template);
    items.par_iter().map(|item| print(base.clone(), store, item)).collect()
}

/// The print of `item`, from `h` holding what shapes every item alike.
fn print(mut h: Sha256, store: &Store, item: &Item) -> [u8; 32] {
    // Its file's bytes and every field (`Item::digest`).
    part(&mut h, &item.digest);
    for url in store.linked_urls(&item.source) {
        part(&mut h, url.unwrap_or("\u{0}none").as_bytes());
    }
    h.finalize().into()
}

/// The prints the last successful build recorded in the cache folder
/// `dir`, if this pressroom build wrote them; else none.
pub fn load(dir: &Path, shape: &ItemShape) -> Proved {
    let Some(body) = cache::read_checked_bytes(&dir.join(FILE), MAGIC) else { return Proved::default() };
    let Some((engine, prints)) = body.split_first_chunk::<32>() else { return Proved::default() };
    if engine != shape.engine() || prints.len() % 32 != 0 {
        return Proved::default();
    }
    let sorted: Vec<[u8; 32]> = prints.chunks_exact(32).filter_map(|p| p.try_into().ok()).collect();
    // Written sorted; a record that is not was not written by this code.
    match sorted.is_sorted() {
        true => Proved { sorted },
        false => Proved::default(),
    }
}

/// Records `prints` as proved, in the cache folder `dir`, unless the record
/// there says just that already (a rebuild of unchanged content). Sorted
/// in place and written from there: no copy of 110,000 prints is made at
/// the end of a build, where its memory peaks. A failure only costs the
/// next run its speed: not an error.
pub fn save(dir: &Path, shape: &ItemShape, mut prints: Vec<[u8; 32]>) {
    prints.par_sort_unstable();
    prints.dedup();
    let _ = cache::write_checked_parts(dir, FILE, MAGIC, &[shape.engine(), prints.as_flattened()]);
}
