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
//! The record (`.<out>.pressroom-cache/proved.json`) is written after a
//! build commits, when every item of the store is proved (now, or by the
//! build whose archive document was taken over, from the same print). It
//! is only an accelerator: missing, damaged (it carries its own SHA-256) or
//! written by another pressroom build, it is ignored and every item is
//! rendered; no output and no problem depends on it.

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::archive::{cache, digest::hex};
use crate::content::{Item, Store};
use crate::fingerprint::{debug_part, hash_part, part};
use crate::store_templates::Templates;

const FILE: &str = "proved.json";
const MAGIC: &str = "pressroom-proved 1";

#[derive(Debug, Default, Serialize, Deserialize)]
struct Body {
    /// The pressroom build that proved them, hex.
    engine: String,
    /// The prints of the items proved, hex, sorted.
    prints: Vec<String>,
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
    part(&mut h, item.source.as_os_str().as_encoded_bytes());
    // The body's bytes by name, not only inside the item's fields.
    part(&mut h, &item.source_sha256);
    hash_part(&mut h, item);
    for url in store.linked_urls(&item.source) {
        part(&mut h, url.unwrap_or("\u{0}none").as_bytes());
    }
    h.finalize().into()
}

/// The prints the last successful build recorded in the cache folder
/// `dir`, if this pressroom build wrote them; else none.
pub fn load(dir: &Path, shape: &ItemShape) -> HashSet<[u8; 32]> {
    let Some(body) = cache::read_checked::<Body>(&dir.join(FILE), MAGIC) else { return HashSet::new() };
    if body.engine != hex(&shape.engine) {
        return HashSet::new();
    }
    body.prints.iter().filter_map(|p| cache::unhex(p)).collect()
}

/// Records `prints` as proved, in the cache folder `dir`. A failure only
/// costs the next run its speed: not an error.
pub fn save(dir: &Path, shape: &ItemShape, prints: &[[u8; 32]]) {
    let mut prints: Vec<String> = prints.iter().map(|p| hex(p)).collect();
    prints.sort_unstable();
    prints.dedup();
    let body = Body { engine: hex(&shape.engine), prints };
    if let Ok(json) = serde_json::to_vec(&body) {
        let _ = cache::write_checked(dir, FILE, MAGIC, &json);
    }
}
