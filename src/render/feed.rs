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
            .map(|item| {
                let body = item.read_body()?;
                let content = markdown::to_html(&body, &item.url, &|link| store.content_url(&item.source, link));
                let html = templates.item_html(&store.site, item, &content)?;
                Ok(Entry { item, html })
            })
            .collect::<Result<Vec<_>>>()?;
        let updated = entries.iter().map(|e| e.item.modified()).max().unwrap_or_else(|| store_updated(store));
        Ok(Feed { def, site: &store.site, entries, updated })
    }

    /// Where the feed in `format` is published.
    pub fn url(&self, format: Format) -> String {
        self.site.base_url.join(&[&self.def.name, format.file_name()], false)
    }

    /// The feed's own page for people (`index.html` in its folder).
    pub fn page_url(&self) -> String {
        self.site.base_url.join(&[&self.def.name], true)
    }

    /// The page of the site that the feed follows: its section's listing.
    pub fn home_url(&self) -> String {
        self.site.base_url.join(&[self.def.section.dir()], true)
    }
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
/// of any length costs little memory. The RSS and Atom writers own their
/// format, so a chunk is just its entries' elements written one after the
/// other: nothing is cut out of a larger document.
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
