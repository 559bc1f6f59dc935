//! `public/archive/index.json`: the list of bundles a harvester reads to
//! know what to fetch and what changed (compare `sha256`). The wire format,
//! kept apart from `Bundle`.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Listing<'a> {
    pub site: &'a str,
    pub publisher: &'a str,
    /// The full bundle first, then the years, oldest first.
    pub bundles: &'a [ListedBundle],
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
    /// As pretty JSON, then a newline.
    pub fn write(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, self)?;
        out.write_all(b"\n")
    }
}
