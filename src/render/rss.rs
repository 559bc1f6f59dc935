//! RSS 2.0 (RSS Board specification): the channel links to itself with
//! `atom:link rel="self"`, each item carries a permanent `guid` (the item
//! id; `isPermaLink="true"` only when the id is the item's URL, as with
//! `ids = "url"` in `site.toml`), `pubDate` in RFC 822, one `category` per tag, the
//! full HTML in `content:encoded`, authors as `dc:creator` (RSS's own
//! `author` must be an e-mail address), and publications their PDF as
//! `enclosure`.
//!
//! Written event by event over quick-xml (see `xml`), in the order, with
//! the namespaces and the CDATA the `rss` crate used to write, so the bytes
//! are the same; the items are written a chunk at a time on every core.

use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};

use super::feed::{Feed, FeedEntry, Paging, write_in_chunks};
use super::xml;
use crate::content::date;
use crate::feed_def::Format;
use crate::markdown;
use crate::media_type;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
const DC: &str = "http://purl.org/dc/elements/1.1/";

pub fn render(feed: &Feed, mut out: impl Write) -> io::Result<()> {
    let mut w = Writer::new(&mut out);
    head(feed, &mut w)?;
    write_in_chunks(&feed.entries, &mut out, |entries| {
        let mut w = Writer::new(Vec::new());
        for entry in entries {
            item(feed, entry, &mut w)?;
        }
        Ok::<_, io::Error>(w.into_inner())
    })?;
    let mut w = Writer::new(&mut out);
    xml::end(&mut w, "channel")?;
    xml::end(&mut w, "rss")
}

/// Everything before the first `<item>`.
fn head<W: Write>(feed: &Feed, w: &mut Writer<W>) -> io::Result<()> {
    let tz = &feed.site.timezone;
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    // Only the namespaces in use are declared, in the order of their
    // prefixes: `content` as soon as there is an item, `dc` when an item
    // has authors.
    let mut root = vec![("version", "2.0"), ("xmlns:atom", ATOM)];
    if !feed.entries.is_empty() {
        root.push(("xmlns:content", CONTENT));
    }
    if feed.entries.iter().any(|e| !e.item.authors.is_empty()) {
        root.push(("xmlns:dc", DC));
    }
    if feed.paging != Paging::Off {
        root.push(("xmlns:fh", super::atom::FH));
    }
    xml::start(w, "rss", &root)?;
    xml::start(w, "channel", &[])?;
    xml::text(w, "title", &feed.def.title)?;
    xml::text(w, "link", &feed.page_url())?;
    xml::text(w, "description", &feed.def.description)?;
    xml::text(w, "language", &feed.site.language)?;
    // Optional in RSS 2.0: an empty one says nothing.
    if !feed.site.copyright.is_empty() {
        xml::text(w, "copyright", &feed.site.copyright)?;
    }
    xml::text(w, "lastBuildDate", &date::rfc822(feed.updated, tz))?;
    xml::text(w, "generator", concat!("pressroom ", env!("CARGO_PKG_VERSION")))?;
    xml::text(w, "docs", "https://www.rssboard.org/rss-specification")?;
    let this = feed.url(Format::Rss);
    xml::empty(w, "atom:link", &[("href", &this), ("rel", "self"), ("type", media_type::RSS)])?;
    // RFC 5005 Appendix B: the history links as atom:link in the channel.
    for (rel, href) in feed.history_links(Format::Rss) {
        xml::empty(w, "atom:link", &[("href", &href), ("rel", rel), ("type", media_type::RSS)])?;
    }
    super::atom::history_marker(feed, w)
}

fn item<W: Write>(feed: &Feed, entry: &FeedEntry, w: &mut Writer<W>) -> io::Result<()> {
    let item = entry.item;
    xml::start(w, "item", &[])?;
    xml::text(w, "title", &item.title)?;
    xml::text(w, "link", &item.url)?;
    // `description` is HTML: the plain-text summary is escaped; without
    // one, it carries the content (the RSS profile, and the W3C
    // validator's "description precedes content:encoded").
    let description =
        item.summary.as_deref().map_or(Cow::Borrowed(entry.html.as_str()), |s| markdown::escape_html(s).into());
    xml::cdata(w, "description", &description)?;
    for tag in item.terms() {
        xml::text(w, "category", tag)?;
    }
    if let Some(p) = &item.publication {
        let length = p.pdf.size.to_string();
        xml::empty(w, "enclosure", &[("url", &p.pdf.url), ("length", &length), ("type", media_type::PDF)])?;
    }
    let permalink = if item.id == item.url { "true" } else { "false" };
    xml::text_with(w, "guid", &[("isPermaLink", permalink)], &item.id)?;
    xml::text(w, "pubDate", &date::rfc822(item.date, &feed.site.timezone))?;
    xml::cdata(w, "content:encoded", &entry.html)?;
    for author in &item.authors {
        xml::text(w, "dc:creator", author)?;
    }
    xml::end(w, "item")
}
