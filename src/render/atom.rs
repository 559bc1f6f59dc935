//! Atom 1.0 (RFC 4287). Content is `type="html"` (xhtml content would have
//! to be well-formed XML itself), with `xml:base` set to the item's URL;
//! publications link their PDF with `rel="enclosure"`, its `length` and
//! `type`.
//!
//! Written event by event over quick-xml (see `xml`), in the order and
//! with the date format `atom_syndication` used to write, so the bytes are
//! the same; the entries are written a chunk at a time on every core.

use std::io::{self, Write};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use quick_xml::Writer;

use super::feed::{Feed, FeedEntry, Paging, write_in_chunks};
use super::xml;
use crate::content::date;
use crate::feed_def::Format;
use crate::media_type;

/// The RFC 5005 namespace.
pub const FH: &str = "http://purl.org/syndication/history/1.0";

pub fn render(feed: &Feed, mut out: impl Write) -> io::Result<()> {
    // Our own declaration: one without an encoding makes the W3C validator
    // warn ("No character encoding was specified").
    out.write_all(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")?;
    head(feed, &mut Writer::new(&mut out))?;
    write_in_chunks(&feed.entries, &mut out, |entries| {
        let mut w = Writer::new(Vec::new());
        for e in entries {
            entry(feed, e, &mut w)?;
        }
        Ok::<_, io::Error>(w.into_inner())
    })?;
    xml::end(&mut Writer::new(&mut out), "feed")
}

/// Everything before the first `<entry>`.
fn head<W: Write>(feed: &Feed, w: &mut Writer<W>) -> io::Result<()> {
    let site = feed.site;
    let this = feed.url(Format::Atom);
    let mut root = vec![("xmlns", "http://www.w3.org/2005/Atom"), ("xml:lang", site.language.as_str())];
    if feed.paging != Paging::Off {
        root.push(("xmlns:fh", FH));
    }
    xml::start(w, "feed", &root)?;
    xml::text(w, "title", &feed.def.title)?;
    xml::text(w, "id", &this)?;
    xml::text(w, "updated", &rfc3339_numeric(feed.updated, &site.timezone))?;
    person(w, "author", &site.publisher)?;
    xml::text_with(w, "generator", &[("version", env!("CARGO_PKG_VERSION"))], "pressroom")?;
    xml::empty(w, "link", &[("href", &feed.page_url()), ("rel", "alternate"), ("type", media_type::HTML)])?;
    xml::empty(w, "link", &[("href", &this), ("rel", "self"), ("type", media_type::ATOM)])?;
    for (rel, href) in feed.history_links(Format::Atom) {
        xml::empty(w, "link", &[("href", &href), ("rel", rel), ("type", media_type::ATOM)])?;
    }
    if !site.copyright.is_empty() {
        xml::text(w, "rights", &site.copyright)?;
    }
    xml::text(w, "subtitle", &feed.def.description)?;
    history_marker(feed, w)
}

/// RFC 5005: `fh:complete` on a subscription feed that holds every item,
/// `fh:archive` on an archive document.
pub fn history_marker<W: Write>(feed: &Feed, w: &mut Writer<W>) -> io::Result<()> {
    match feed.paging {
        Paging::Complete => xml::empty(w, "fh:complete", &[]),
        Paging::Archive { .. } => xml::empty(w, "fh:archive", &[]),
        Paging::Off | Paging::Current { .. } => Ok(()),
    }
}

fn entry<W: Write>(feed: &Feed, entry: &FeedEntry, w: &mut Writer<W>) -> io::Result<()> {
    let (item, tz) = (entry.item, &feed.site.timezone);
    xml::start(w, "entry", &[])?;
    xml::text(w, "title", &item.title)?;
    xml::text(w, "id", &item.id)?;
    xml::text(w, "updated", &rfc3339_numeric(item.modified(), tz))?;
    for author in &item.authors {
        person(w, "author", author)?;
    }
    for tag in item.terms() {
        xml::empty(w, "category", &[("term", tag)])?;
    }
    xml::empty(w, "link", &[("href", &item.url), ("rel", "alternate"), ("type", media_type::HTML)])?;
    if let Some(p) = &item.publication {
        let length = p.pdf.size.to_string();
        let attributes =
            [("href", p.pdf.url.as_str()), ("rel", "enclosure"), ("type", media_type::PDF), ("length", &length)];
        xml::empty(w, "link", &attributes)?;
    }
    xml::text(w, "published", &rfc3339_numeric(item.date, tz))?;
    if let Some(summary) = &item.summary {
        xml::text(w, "summary", summary)?;
    }
    xml::long_text_with(w, "content", &[("xml:base", &item.url), ("type", "html")], &entry.html)?;
    xml::end(w, "entry")
}

fn person<W: Write>(w: &mut Writer<W>, element: &str, name: &str) -> io::Result<()> {
    xml::start(w, element, &[])?;
    xml::text(w, "name", name)?;
    xml::end(w, element)
}

/// RFC 3339 as the feeds have always shown it (chrono's form, through
/// `atom_syndication`): `+00:00` rather than `Z`. A moment the site's zone
/// cannot show in that form (an offset of local mean time, in seconds) is
/// shown in UTC, and one no zone can show as the Unix epoch, never a panic:
/// the loader refuses such dates, so they only reach here in tests.
fn rfc3339_numeric(ts: Timestamp, tz: &TimeZone) -> String {
    [tz, &TimeZone::UTC]
        .into_iter()
        .map(|tz| date::rfc3339(ts, tz))
        .find_map(|shown| {
            let numeric = match shown.strip_suffix('Z') {
                Some(utc) => format!("{utc}+00:00"),
                None => shown,
            };
            is_rfc3339(&numeric).then_some(numeric)
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_owned())
}

/// `YYYY-MM-DDTHH:MM:SS±HH:MM`, the one form `date::rfc3339` prints that
/// RFC 3339 allows (not a signed or five-digit year, nor seconds in the
/// offset). jiff only prints valid calendar values, so the shape suffices.
fn is_rfc3339(s: &str) -> bool {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd+dd:dd";
    s.len() == SHAPE.len()
        && s.bytes().zip(SHAPE).all(|(b, &want)| match want {
            b'd' => b.is_ascii_digit(),
            b'+' => b == b'+' || b == b'-',
            _ => b == want,
        })
}
