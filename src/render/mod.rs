//! The outputs. Each is a `plan::Document`, and `render` is the
//! one way any of them is made: the document, what renderers draw on
//! (`Ctx`), and the `io::Write` it is streamed to. None of them touches the
//! output folder: the build hands each its staged file.

pub mod atom;
pub mod feed;
pub mod history;
pub mod jsonfeed;
pub mod opml;
pub mod page;
#[cfg(test)]
mod parity;
pub mod rss;
pub mod sitemap;
mod xml;

use std::io::{self, Write};

pub use feed::{Feed, item_html};

use crate::content::Store;
use crate::error::{self, Error, Result};
use crate::feed_def::{FeedDef, Format};
use crate::plan::{Document, Plan};
use crate::store_templates::Templates;

/// What renderers draw on besides their document: the loaded model, the
/// plan of the build, and once the bundles are written, their listing.
pub struct Ctx<'a> {
    pub store: &'a Store,
    pub templates: &'a Templates,
    pub feeds: &'a [FeedDef],
    pub plan: &'a Plan<'a>,
    pub archive: Option<&'a crate::archive::Listed>,
}

/// `doc` streamed to `out`. A template's problem is the configuration's
/// (`Error::Config`); a failure of `out` is `Error::Render`, naming `doc`.
pub fn render(doc: &Document<&Feed<'_>>, ctx: &Ctx<'_>, out: &mut impl Write) -> Result<()> {
    let site = &ctx.store.site;
    let written = match *doc {
        Document::Page(feed) => return page::render(feed, &ctx.templates.feed, out),
        Document::Feed(feed, Format::Rss) => rss::render(feed, out),
        Document::Feed(feed, Format::Atom) => atom::render(feed, out),
        Document::Feed(feed, Format::Json) => jsonfeed::render(feed, out),
        Document::Opml => opml::opml(site, ctx.feeds, out),
        Document::FeedsHead => opml::autodiscovery(site, ctx.feeds, out),
        Document::Sitemap(n) => match &ctx.plan.sitemap {
            Some(sitemap) => sitemap.write(ctx.store, n, out),
            None => Err(io::Error::other("the plan writes no sitemap")),
        },
        Document::Robots => sitemap::robots(ctx.store, ctx.plan.writes.sitemap, out),
        Document::Archive(own) => match ctx.archive {
            Some(listed) => return crate::archive::render(own, ctx.store, ctx.templates, listed, out),
            None => Err(io::Error::other("the archive's bundles are not written yet")),
        },
    };
    let document = match *doc {
        Document::Page(feed) => error::Document::Page(feed.def.name.clone()),
        Document::Feed(feed, format) => error::Document::Feed(feed.path(format)),
        Document::Opml => error::Document::Opml,
        Document::FeedsHead => error::Document::FeedsHead,
        Document::Sitemap(_) => error::Document::Sitemap,
        Document::Robots => error::Document::Robots,
        Document::Archive(own) => error::Document::Archive(own.file_name()),
    };
    written.map_err(|source| Error::Render { document, source })
}
