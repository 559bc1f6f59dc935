//! Atom 1.0 (RFC 4287), written with `atom_syndication`. Content is
//! `type="html"` (the crate writes xhtml content unchecked), with `xml:base`
//! set to the item's URL; publications link their PDF with
//! `rel="enclosure"`, its `length` and `type`.

use std::io::Write;

use atom_syndication::{
    Category, Content, Entry, Feed as AtomFeed, FixedDateTime, Generator, Link, Person, Text, WriteConfig,
};
use jiff::Timestamp;

use super::feed::{Entry as FeedEntry, Feed};
use crate::content::{Site, date};
use crate::feed_def::Format;

/// The moment in the site's zone; in UTC should the zone's offset not be
/// one RFC 3339 can write (the loader refuses such dates: never a panic).
fn timestamp(ts: Timestamp, site: &Site) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(&date::rfc3339(ts, &site.timezone))
        .or_else(|_| FixedDateTime::parse_from_rfc3339(&date::rfc3339(ts, &jiff::tz::TimeZone::UTC)))
        .unwrap_or_default()
}

fn link(href: String, rel: &str, mime_type: Option<&str>, length: Option<u64>) -> Link {
    Link {
        href,
        rel: rel.into(),
        mime_type: mime_type.map(Into::into),
        length: length.map(|l| l.to_string()),
        ..Default::default()
    }
}

pub fn render(feed: &Feed, mut out: impl Write) -> std::io::Result<()> {
    let site = feed.site;
    let entry = |entry: &FeedEntry| {
        let item = entry.item;
        let mut links = vec![link(item.url.clone(), "alternate", Some("text/html"), None)];
        if let Some(p) = &item.publication {
            links.push(link(p.pdf.url.clone(), "enclosure", Some("application/pdf"), Some(p.pdf.size)));
        }
        Entry {
            title: Text::plain(item.title.clone()),
            id: item.id.clone(),
            updated: timestamp(item.modified(), site),
            published: Some(timestamp(item.date, site)),
            authors: item.authors.iter().map(|a| Person { name: a.clone(), ..Default::default() }).collect(),
            categories: item.tags.iter().map(|t| Category { term: t.clone(), ..Default::default() }).collect(),
            links,
            summary: item.summary.clone().map(Text::plain),
            content: Some(Content {
                base: Some(item.url.clone()),
                value: Some(entry.html.clone()),
                content_type: Some("html".into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    };
    let atom = AtomFeed {
        title: Text::plain(feed.def.title.clone()),
        subtitle: Some(Text::plain(feed.def.description.clone())),
        id: feed.url(Format::Atom),
        updated: timestamp(feed.updated, site),
        authors: vec![Person { name: site.publisher.clone(), ..Default::default() }],
        links: vec![
            link(feed.home_url(), "alternate", Some("text/html"), None),
            link(feed.url(Format::Atom), "self", Some("application/atom+xml"), None),
        ],
        rights: Some(Text::plain(site.copyright.clone())),
        generator: Some(Generator {
            value: "pressroom".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
            ..Default::default()
        }),
        lang: Some(site.language.clone()),
        ..Default::default()
    };
    let config = || WriteConfig { write_document_declaration: false, indent_size: None };
    // The crate's declaration names no encoding, which the W3C validator
    // warns about ("No character encoding was specified"): write our own.
    out.write_all(b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")?;
    // The feed's head, then its entries a chunk at a time on every core
    // (see `write_in_chunks`), then its end.
    let mut head = atom.write_with_config(Vec::new(), config()).map_err(std::io::Error::other)?;
    let end = head.len().checked_sub(TAIL.len()).filter(|&end| &head[end..] == TAIL).ok_or_else(unexpected)?;
    head.truncate(end);
    out.write_all(&head)?;
    super::feed::write_in_chunks(&feed.entries, &mut out, |entries| {
        let chunk = AtomFeed { entries: entries.iter().map(entry).collect(), ..Default::default() };
        let doc = chunk.write_with_config(Vec::new(), config()).map_err(std::io::Error::other)?;
        super::feed::items_of(doc, b"<entry>", TAIL).ok_or_else(unexpected)
    })?;
    out.write_all(TAIL)?;
    Ok(())
}

/// How `atom_syndication` ends a feed written without indentation.
const TAIL: &[u8] = b"</feed>";

fn unexpected() -> std::io::Error {
    std::io::Error::other("the atom_syndication crate wrote the feed in an unexpected form")
}
