//! The outputs. Each is a `Document` of the output plan, and `render` is the
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
use crate::plan::Plan;
use crate::store_templates::Templates;

/// One document the build writes from the model. `F` stands for the
/// document of a feed behind a page or a format: in the plan, which one
/// (`plan::FeedKey`); to render, that document built (`&Feed`, its items'
/// HTML made once for its page and all its formats).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document<F> {
    /// A feed's page for people, over its subscription document.
    Page(F),
    /// A feed document in one format.
    Feed(F, Format),
    /// `feeds.opml`.
    Opml,
    /// `feeds-head.html`.
    FeedsHead,
    /// The `n`th file of the sitemap, in `Sitemap::names`' order.
    Sitemap(usize),
    /// `robots.txt`.
    Robots,
}

impl<F> Document<F> {
    /// The feed document it is made from, if any.
    pub fn feed(&self) -> Option<&F> {
        match self {
            Document::Page(f) | Document::Feed(f, _) => Some(f),
            _ => None,
        }
    }

    /// The same document with its feed document given by `find`; `None`
    /// when `find` has none to give.
    pub fn find<G, E>(self, find: impl FnOnce(F) -> Result<Option<G>, E>) -> Result<Option<Document<G>>, E> {
        Ok(Some(match self {
            Document::Page(f) => match find(f)? {
                Some(g) => Document::Page(g),
                None => return Ok(None),
            },
            Document::Feed(f, format) => match find(f)? {
                Some(g) => Document::Feed(g, format),
                None => return Ok(None),
            },
            Document::Opml => Document::Opml,
            Document::FeedsHead => Document::FeedsHead,
            Document::Sitemap(n) => Document::Sitemap(n),
            Document::Robots => Document::Robots,
        }))
    }
}

/// What renderers draw on besides their document: the loaded model and the
/// plan of the build.
pub struct Ctx<'a> {
    pub store: &'a Store,
    pub templates: &'a Templates,
    pub feeds: &'a [FeedDef],
    pub plan: &'a Plan<'a>,
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
    };
    let document = match *doc {
        Document::Page(feed) => error::Document::Page(feed.def.name.clone()),
        Document::Feed(feed, format) => error::Document::Feed(feed.path(format)),
        Document::Opml => error::Document::Opml,
        Document::FeedsHead => error::Document::FeedsHead,
        Document::Sitemap(_) => error::Document::Sitemap,
        Document::Robots => error::Document::Robots,
    };
    written.map_err(|source| Error::Render { document, source })
}
