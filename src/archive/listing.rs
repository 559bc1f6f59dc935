//! `public/archive/index.json`: the list of bundles a harvester reads to
//! know what to fetch and what changed (compare `sha256`). The wire format,
//! kept apart from `Bundle`.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Listing<'a> {
    pub site: &'a str,
    pub publisher: &'a str,
    /// The full bundle first, then the years, oldest first.
    pub bundles: Vec<ListedBundle>,
}

#[derive(Debug, Serialize)]
pub struct ListedBundle {
    /// The file name, `….zip`.
    pub name: String,
    pub url: String,
    pub size: u64,
    pub sha256: String,
    pub sha512: String,
    /// The number of publications.
    pub items: usize,
    /// The publication years covered, oldest first.
    pub years: Vec<i16>,
}

impl Listing<'_> {
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("plain data serializes");
        bytes.push(b'\n');
        bytes
    }
}
