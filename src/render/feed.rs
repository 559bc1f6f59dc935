//! What a feed renderer is handed: the definition, the site, and the chosen
//! items with their HTML already made. Built once per feed definition and
//! shared by its RSS, Atom and JSON Feed renderers, so each body is rendered
//! once, and only for the items a feed includes.

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
                let content = markdown::to_html(&item.body, &item.url, &|link| store.content_url(&item.source, link));
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
