//! RSS 2.0 (RSS Board specification), written with the `rss` crate: the
//! channel links to itself with `atom:link rel="self"`, each item carries a
//! permanent `guid` (the item id, not a permalink), `pubDate` in RFC 822,
//! one `category` per tag, the full HTML in `content:encoded`, authors as
//! `dc:creator` (RSS's own `author` must be an e-mail address), and
//! publications their PDF as `enclosure`.

use std::io::Write;

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::{Category, Channel, Enclosure, Guid, Item};

use super::feed::{Entry, Feed};
use crate::content::date;
use crate::feed_def::Format;
use crate::markdown;

pub fn render(feed: &Feed, mut out: impl Write) -> Result<(), rss::Error> {
    let tz = &feed.site.timezone;
    let item = |entry: &Entry| {
        let item = entry.item;
        Item {
            title: Some(item.title.clone()),
            link: Some(item.url.clone()),
            // `description` is HTML: the plain-text summary is escaped;
            // without one, it carries the content (the RSS profile, and
            // the W3C validator's "description precedes content:encoded").
            description: Some(item.summary.as_deref().map_or_else(|| entry.html.clone(), markdown::escape_html)),
            categories: item.tags.iter().map(|t| Category { name: t.clone(), domain: None }).collect(),
            enclosure: item.publication.as_ref().map(|p| Enclosure {
                url: p.pdf.url.clone(),
                length: p.pdf.size.to_string(),
                mime_type: "application/pdf".into(),
            }),
            guid: Some(Guid { value: item.id.clone(), permalink: false }),
            pub_date: Some(date::rfc822(item.date, tz)),
            content: Some(entry.html.clone()),
            dublin_core_ext: (!item.authors.is_empty())
                .then(|| DublinCoreExtension { creators: item.authors.clone(), ..Default::default() }),
            ..Default::default()
        }
    };
    // The namespaces declared on `<rss>` are those the items use: the head
    // is written with one item of each kind (with and without authors).
    let probes = [feed.entries.first(), feed.entries.iter().find(|e| !e.item.authors.is_empty())];
    let channel = Channel {
        title: feed.def.title.clone(),
        link: feed.home_url(),
        description: feed.def.description.clone(),
        language: Some(feed.site.language.clone()),
        copyright: Some(feed.site.copyright.clone()),
        last_build_date: Some(date::rfc822(feed.updated, tz)),
        generator: Some(concat!("pressroom ", env!("CARGO_PKG_VERSION")).into()),
        docs: Some("https://www.rssboard.org/rss-specification".into()),
        atom_ext: Some(AtomExtension {
            links: vec![Link {
                href: feed.url(Format::Rss),
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..Default::default()
            }],
        }),
        items: probes.into_iter().flatten().map(item).collect(),
        ..Default::default()
    };
    let mut head = channel.write_to(Vec::new())?;
    let end = head
        .len()
        .checked_sub(TAIL.len())
        .filter(|&end| &head[end..] == TAIL)
        .ok_or_else(|| unexpected("the channel"))?;
    head.truncate(head[..end].windows(6).position(|w| w == b"<item>").unwrap_or(end));
    out.write_all(&head)?;
    // The items, a chunk at a time on every core (see `write_in_chunks`).
    super::feed::write_in_chunks(&feed.entries, &mut out, |entries| {
        let doc = Channel { items: entries.iter().map(item).collect(), ..Default::default() }.write_to(Vec::new())?;
        if !root_attributes(&doc).iter().all(|a| root_attributes(&head).contains(a)) {
            return Err(unexpected("a namespace of the items"));
        }
        super::feed::items_of(doc, b"<item>", TAIL).ok_or_else(|| unexpected("the items"))
    })?;
    out.write_all(TAIL)?;
    Ok(())
}

/// How the `rss` crate ends a channel written without indentation.
const TAIL: &[u8] = b"</channel></rss>";

/// The attributes of the `<rss>` start tag of `doc` (the namespaces).
fn root_attributes(doc: &[u8]) -> Vec<&[u8]> {
    let start = doc.windows(5).position(|w| w == b"<rss ").unwrap_or(doc.len());
    let tag = &doc[start..];
    let tag = &tag[..tag.iter().position(|&b| b == b'>').unwrap_or(tag.len())];
    tag.split(|&b| b == b' ').skip(1).collect()
}

fn unexpected(what: &str) -> rss::Error {
    std::io::Error::other(format!("the rss crate wrote {what} in an unexpected form")).into()
}
