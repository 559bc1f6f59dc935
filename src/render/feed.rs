//! What a feed renderer is handed: the definition, the site, and the chosen
//! items with their HTML already made. Built once per feed definition and
//! shared by its RSS, Atom and JSON Feed renderers, so each body is rendered
//! once, and only for the items a feed includes.

use std::io::{self, Write};

use jiff::Timestamp;
use rayon::prelude::*;

use crate::content::{Item, Site, Store};
use crate::error::Result;
use crate::feed_def::{FeedDef, Format};
use crate::markdown;
use crate::templates::Templates;

pub struct Feed<'a> {
    pub def: &'a FeedDef,
    pub site: &'a Site,
    pub entries: Vec<Entry<'a>>,
    /// The newest change among the entries; for an empty feed, the newest
    /// change in the store (never the wall clock).
    pub updated: Timestamp,
}

pub struct Entry<'a> {
    pub item: &'a Item,
    /// The item's HTML, shaped by the item template.
    pub html: String,
}

impl<'a> Feed<'a> {
    pub fn build(def: &'a FeedDef, store: &'a Store, templates: &Templates) -> Result<Feed<'a>> {
        let items = def.select(store);
        let entries = items
            .par_iter()
            .map(|item| Ok(Entry { item, html: item_html(store, templates, item)? }))
            .collect::<Result<Vec<_>>>()?;
        let updated = entries.iter().map(|e| e.item.modified()).max().unwrap_or_else(|| store_updated(store));
        Ok(Feed { def, site: &store.site, entries, updated })
    }

    /// Where the feed in `format` is published.
    pub fn url(&self, format: Format) -> String {
        self.site.base_url.join(&[&self.def.name, format.file_name()], false)
    }

    /// The page of the site that the feed follows: its section's listing.
    pub fn home_url(&self) -> String {
        self.site.base_url.join(&[self.def.section.dir()], true)
    }
}

/// An item's HTML as every feed carries it: its Markdown body made HTML,
/// shaped by the item template. A template problem is the configuration's.
pub fn item_html(store: &Store, templates: &Templates, item: &Item) -> Result<String> {
    let body = item.read_body()?;
    let content = markdown::to_html(&body, &item.url, &|link| store.content_url(&item.source, link));
    templates.item_html(&store.site, item, &content).map_err(|d| crate::error::Error::Config(vec![d]))
}

/// The newest change anywhere in the store, or the Unix epoch for an empty one.
pub fn store_updated(store: &Store) -> Timestamp {
    let items = store.news.iter().chain(&store.publications).map(Item::modified);
    let pages = store.pages.iter().filter_map(|p| p.updated);
    items.chain(pages).max().unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Entries per chunk of `write_in_chunks`.
const CHUNK: usize = 256;

/// Writes the XML of `entries`, in order, made a chunk at a time by `render`
/// on every core. Only a few chunks are held at once, so a full-content feed
/// of any length costs little memory. `render` turns a chunk into its bytes;
/// with `items_of`, it cuts them out of a document the feed crate wrote for
/// those entries alone (the crates write their items last, unindented, each
/// independent of the others).
pub fn write_in_chunks<E: Send + From<io::Error>>(
    entries: &[Entry<'_>],
    out: &mut impl Write,
    render: impl Fn(&[Entry<'_>]) -> Result<Vec<u8>, E> + Sync,
) -> Result<(), E> {
    let batch = CHUNK * 2 * rayon::current_num_threads();
    for entries in entries.chunks(batch) {
        let parts: Vec<Vec<u8>> = entries.par_chunks(CHUNK).map(&render).collect::<Result<_, E>>()?;
        for part in parts {
            out.write_all(&part)?;
        }
    }
    Ok(())
}

/// The bytes of `doc` from the first `open` (the first item's start tag) up
/// to its closing `tail`: the items of a document written for them alone.
/// `None` when `doc` does not end with `tail`.
pub fn items_of(mut doc: Vec<u8>, open: &[u8], tail: &[u8]) -> Option<Vec<u8>> {
    let end = doc.len().checked_sub(tail.len()).filter(|&end| &doc[end..] == tail)?;
    let start = doc[..end].windows(open.len()).position(|w| w == open).unwrap_or(end);
    doc.truncate(end);
    doc.drain(..start);
    Some(doc)
}
