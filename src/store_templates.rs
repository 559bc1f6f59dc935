//! The store's Tera templates: `item.html`, which shapes each item's HTML in
//! the feeds, `index.html`, the archive catalogue inside each bundle,
//! `feed.html`, the page of each feed, and `archive.html`, the archive's
//! page. The defaults are compiled in (they are `feeds/templates/` of this
//! repository); a store overrides any with its own `feeds/templates/<name>`.
//! All are loaded and compiled with the other inputs, before anything is
//! written.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use crate::content::{Item, Site, date};
use crate::diagnostic::Diagnostic;
use crate::template::Template;

const DEFAULT_ITEM: &str = include_str!("../feeds/templates/item.html");
const DEFAULT_INDEX: &str = include_str!("../feeds/templates/index.html");
const DEFAULT_FEED: &str = include_str!("../feeds/templates/feed.html");
const DEFAULT_ARCHIVE: &str = include_str!("../feeds/templates/archive.html");

pub struct Templates {
    item: Template,
    /// The archive catalogue, rendered by `archive::catalogue`.
    pub index: Template,
    /// A feed's page, rendered by `render::page`.
    pub feed: Template,
    /// The archive's page, rendered by `archive::page`.
    pub archive: Template,
}

/// An item as `item.html` sees it; `feed.html` sees another shape (`render::page`).
#[derive(Serialize)]
struct ItemHtmlCtx<'a> {
    /// The section's name: a feed over several sections may say where an
    /// item is from.
    section: &'a str,
    title: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    date: String,
    updated: Option<String>,
    tags: &'a [String],
    categories: &'a [String],
    authors: &'a [String],
    aliases: &'a [String],
    extra: &'a serde_json::Map<String, serde_json::Value>,
    kind: Option<&'static str>,
    edition: Option<&'a str>,
    language: Option<&'a str>,
}

#[derive(Serialize)]
struct ItemHtmlPdfCtx<'a> {
    url: &'a str,
    file_name: &'a str,
    size: u64,
    size_label: String,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    publisher: &'a str,
    base_url: &'a str,
}

/// The site as the page templates see it (`feed.html`, `archive.html`, the
/// catalogue `index.html`).
#[derive(Serialize)]
pub struct PageSite<'a> {
    title: &'a str,
    description: &'a str,
    publisher: &'a str,
    copyright: &'a str,
    base_url: &'a str,
    language: &'a str,
}

impl<'a> PageSite<'a> {
    pub fn of(site: &'a Site) -> PageSite<'a> {
        PageSite {
            title: &site.title,
            description: &site.description,
            publisher: &site.publisher,
            copyright: &site.copyright,
            base_url: site.base_url.as_str(),
            language: &site.language,
        }
    }
}

impl Templates {
    /// The default templates, overridden by those found in
    /// `feeds_dir/templates/`; each render may take up to `max_time`.
    pub fn load(feeds_dir: &Path, max_time: Duration) -> Result<Templates, Vec<Diagnostic>> {
        let load = |name, default| Template::load(feeds_dir, name, default, max_time);
        match (
            load("item.html", DEFAULT_ITEM),
            load("index.html", DEFAULT_INDEX),
            load("feed.html", DEFAULT_FEED),
            load("archive.html", DEFAULT_ARCHIVE),
        ) {
            (Ok(item), Ok(index), Ok(feed), Ok(archive)) => Ok(Templates { item, index, feed, archive }),
            (item, index, feed, archive) => {
                Err(item.err().into_iter().chain(index.err()).chain(feed.err()).chain(archive.err()).collect())
            }
        }
    }

    /// The item template, which shapes every item's HTML in every feed.
    pub fn item(&self) -> &Template {
        &self.item
    }

    /// The HTML of `item` whose body has been rendered to `content`.
    pub fn item_html(&self, site: &Site, item: &Item, content: &str) -> Result<String, Diagnostic> {
        let tz = &site.timezone;
        let publication = item.publication.as_ref();
        let mut ctx = tera::Context::new();
        ctx.insert(
            "item",
            &ItemHtmlCtx {
                section: &item.section_name,
                title: &item.title,
                url: &item.url,
                summary: item.summary.as_deref(),
                date: date::rfc3339(item.date, tz),
                updated: item.updated.map(|u| date::rfc3339(u, tz)),
                tags: &item.tags,
                categories: &item.categories,
                authors: &item.authors,
                aliases: &item.aliases,
                extra: &item.extra,
                kind: publication.map(|p| p.kind.name()),
                edition: publication.and_then(|p| p.edition.as_deref()),
                language: publication.and_then(|p| p.language.as_deref()),
            },
        );
        ctx.insert("content", content);
        ctx.insert(
            "pdf",
            &publication.map(|p| ItemHtmlPdfCtx {
                url: &p.pdf.url,
                file_name: &p.pdf.file_name,
                size: p.pdf.size,
                size_label: size_label(p.pdf.size),
            }),
        );
        ctx.insert(
            "site",
            &SiteCtx { title: &site.title, publisher: &site.publisher, base_url: site.base_url.as_str() },
        );
        self.item.render(&ctx, &item.source.display().to_string())
    }
}

/// A size for people: `1.4 MB`, `812 kB`, `96 bytes` (decimal units).
pub fn size_label(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.0} kB", bytes as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.1} GB", bytes as f64 / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_labels() {
        assert_eq!(size_label(96), "96 bytes");
        assert_eq!(size_label(812_400), "812 kB");
        assert_eq!(size_label(1_400_000), "1.4 MB");
    }
}
