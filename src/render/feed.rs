//! What a feed renderer is handed: the definition, the site, the chosen
//! items with their HTML already made, and the document's place in the
//! feed's history (`Paging`). Built once per document (the subscription
//! feed, each archive document) and shared by its RSS, Atom and JSON Feed
//! renderers, so each body is rendered once per document, and only for the
//! items it holds; a document's HTML is dropped once it is written, so a
//! build holds one document's at a time (an archive document's per core),
//! however many items the archive has.

use std::io::{self, Write};

use jiff::Timestamp;
use rayon::prelude::*;

use crate::content::{Item, Site, Store};
use crate::error::{Error, Result};
use crate::feed_def::{FeedDef, Format};
use crate::markdown;
use crate::store_templates::Templates;

pub struct Feed<'a> {
    pub def: &'a FeedDef,
    pub site: &'a Site,
    pub entries: Vec<FeedEntry<'a>>,
    /// The newest change among the entries; for an empty feed, the newest
    /// change in the store (never the wall clock).
    pub updated: Timestamp,
    pub paging: Paging,
}

/// Where a document stands in its feed's history (RFC 5005).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paging {
    /// The feed's definition turned archives off (`archive = false`).
    Off,
    /// The subscription feed holds every item: `fh:complete`.
    Complete,
    /// The subscription feed of a feed with archive documents; `newest` is
    /// the period its `prev-archive` leads to.
    Current { newest: String },
    /// An archive document (`fh:archive`) and its neighbours.
    Archive { period: String, prev: Option<String>, next: Option<String> },
}

/// How a document's work is spread.
#[derive(Debug, Clone, Copy)]
pub enum Spread {
    /// Its items over every core, its formats on threads of their own.
    OverCores,
    /// All on the calling core, one format after the other: the other cores
    /// have documents of their own. (A thread started here would hold a
    /// core of the pool while waiting for work the pool must do.)
    OnOneCore,
}

pub struct FeedEntry<'a> {
    pub item: &'a Item,
    /// The item's HTML, shaped by the item template.
    pub html: String,
}

impl<'a> Feed<'a> {
    /// The document of `def` holding `items`, with their HTML, rendered
    /// here (as `spread` says): this is also the proof of those items in a
    /// build (`proof`), so every item's problem is collected, not only the
    /// first one met.
    pub fn build(
        (def, store, templates): (&'a FeedDef, &'a Store, &Templates),
        items: &[&'a Item],
        paging: Paging,
        spread: Spread,
    ) -> Result<Feed<'a>> {
        let html = |item: &&Item| item_html(store, templates, item);
        let rendered: Vec<Result<String>> = match spread {
            Spread::OverCores => items.par_iter().map(html).collect(),
            Spread::OnOneCore => items.iter().map(html).collect(),
        };
        let mut entries = Vec::with_capacity(items.len());
        let mut problems = Vec::new();
        for (item, html) in items.iter().zip(rendered) {
            match html {
                Ok(html) => entries.push(FeedEntry { item, html }),
                Err(Error::Config(found)) => problems.extend(found),
                Err(other) => return Err(other),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Config(problems));
        }
        let updated = entries.iter().map(|e| e.item.modified()).max().unwrap_or_else(|| store_updated(store));
        Ok(Feed { def, site: &store.site, entries, updated, paging })
    }

    /// Where this document in `format` is published.
    pub fn url(&self, format: Format) -> String {
        match &self.paging {
            Paging::Archive { period, .. } => self.archive_url(period, format),
            _ => self.current_url(format),
        }
    }

    /// The subscription feed in `format`.
    pub fn current_url(&self, format: Format) -> String {
        self.def.url(&self.site.base_url, format, None)
    }

    /// The archive document of `period` in `format`.
    pub fn archive_url(&self, period: &str, format: Format) -> String {
        self.def.url(&self.site.base_url, format, Some(period))
    }

    /// This document's path in the output, `/`-separated (`FeedDef::document`).
    pub fn path(&self, format: Format) -> String {
        match &self.paging {
            Paging::Archive { period, .. } => self.def.document(format, Some(period)).join("/"),
            _ => self.def.document(format, None).join("/"),
        }
    }

    /// The RFC 5005 links of this document in `format`, as (rel, URL).
    pub fn history_links(&self, format: Format) -> Vec<(&'static str, String)> {
        match &self.paging {
            Paging::Off | Paging::Complete => Vec::new(),
            Paging::Current { newest } => vec![("prev-archive", self.archive_url(newest, format))],
            Paging::Archive { prev, next, .. } => {
                let mut links = vec![("current", self.current_url(format))];
                links.extend(prev.iter().map(|p| ("prev-archive", self.archive_url(p, format))));
                links.extend(next.iter().map(|n| ("next-archive", self.archive_url(n, format))));
                links
            }
        }
    }

    /// The feed's own page for people (`index.html` in its folder).
    pub fn page_url(&self) -> String {
        self.site.base_url.join(&self.def.segments(), true)
    }
}

/// An item's HTML as every feed carries it: its Markdown body made HTML
/// (an HTML body with its references made absolute),
/// shaped by the item template. A template problem is the configuration's.
pub fn item_html(store: &Store, templates: &Templates, item: &Item) -> Result<String> {
    let body = item.read_body()?;
    let content = match crate::content::is_html(&item.source) {
        true => markdown::absolute_html(&body, &item.url),
        false => markdown::to_html(&body, &item.url, &|link| store.content_url(&item.source, link)),
    };
    templates.item_html(&store.site, item, &content).map_err(|d| crate::error::Error::Config(vec![d]))
}

/// The newest change anywhere in the store, or the Unix epoch for an empty one.
pub fn store_updated(store: &Store) -> Timestamp {
    let items = store.news.iter().chain(&store.publications).map(|item| item.modified());
    let pages = store.pages.iter().filter_map(|p| p.updated);
    items.chain(pages).max().unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Entries per chunk of `write_in_chunks`.
const CHUNK: usize = 256;

/// Entries per batch of `write_in_chunks`: two chunks for each core.
fn batch() -> usize {
    CHUNK * 2 * rayon::current_num_threads()
}

/// Whether `entries` entries are written in one batch (`write_in_chunks`).
pub fn is_one_batch(entries: usize) -> bool {
    entries <= batch()
}

/// Writes the XML or JSON of `entries`, in order, made a chunk at a time by
/// `render` on every core. Only a few chunks are held at once, so a
/// full-content feed of any length costs little memory. The writers own
/// their format, so a chunk is just its entries written one after the
/// other: nothing is cut out of a larger document.
///
/// The next batch of chunks is made while this thread writes the last one:
/// writing is one thread's work (mostly the kernel copying into the page
/// cache), and with the two in turn the other cores waited for it, a third
/// of a full feed's time at 50,000 items.
pub fn write_in_chunks<E: Send + From<io::Error>>(
    entries: &[FeedEntry<'_>],
    out: &mut impl Write,
    render: impl Fn(&[FeedEntry<'_>]) -> Result<Vec<u8>, E> + Sync,
) -> Result<(), E> {
    let batch = batch();
    // On a core of the pool (documents made side by side), the others are
    // busy with documents of their own, and a thread started here would
    // hold this core while waiting for chunks the pool must make: a batch
    // is made, then written. So is a document of one batch.
    let render = &render;
    if rayon::current_thread_index().is_some() || entries.len() <= batch {
        for entries in entries.chunks(batch) {
            let parts: Vec<Vec<u8>> = entries.par_chunks(CHUNK).map(render).collect::<Result<_, E>>()?;
            for part in parts {
                out.write_all(&part)?;
            }
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        // One batch waits while the next is made: three at the most in memory.
        let (send, made) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || {
            for entries in entries.chunks(batch) {
                let parts: Result<Vec<Vec<u8>>, E> = entries.par_chunks(CHUNK).map(render).collect();
                let failed = parts.is_err();
                // The writer gone (it failed) or this batch failed: stop.
                if send.send(parts).is_err() || failed {
                    break;
                }
            }
        });
        for parts in made {
            for part in parts? {
                out.write_all(&part)?;
            }
        }
        Ok(())
    })
}
