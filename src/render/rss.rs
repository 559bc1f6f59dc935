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

use super::feed::Feed;
use crate::content::date;
use crate::feed_def::Format;
use crate::markdown;

pub fn render(feed: &Feed, out: impl Write) -> Result<(), rss::Error> {
    let tz = &feed.site.timezone;
    let items = feed
        .entries
        .iter()
        .map(|entry| {
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
        })
        .collect();
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
        items,
        ..Default::default()
    };
    channel.write_to(out)?;
    Ok(())
}

