//! The six feeds, read back as a feed reader would: every file is where it
//! should be, every format says the same thing about every item, and each
//! format carries the elements its specification and the W3C Feed
//! Validation Service expect.

use std::collections::BTreeMap;
use std::fs;

use feed_rs::model::{Entry, Feed};

use crate::harness::*;
use crate::read::*;

mod agreement;
mod formats;
mod items;

/// One enclosure as a format states it.
#[derive(Debug, PartialEq)]
struct Enclosure {
    url: String,
    length: u64,
    mime: String,
}

/// The enclosures of `entry`, whichever format feed-rs read it from.
fn enclosures(entry: &Entry) -> Vec<Enclosure> {
    let mut found = Vec::new();
    for media in &entry.media {
        for c in &media.content {
            found.push(Enclosure {
                url: c.url.as_ref().map(|u| u.to_string()).unwrap_or_default(),
                length: c.size.unwrap_or(0),
                mime: c.content_type.as_ref().map(|m| m.to_string()).unwrap_or_default(),
            });
        }
    }
    for link in &entry.links {
        let is_atom_enclosure = link.rel.as_deref() == Some("enclosure");
        let is_json_attachment = link.rel.is_none() && link.media_type.is_some();
        if is_atom_enclosure || is_json_attachment {
            found.push(Enclosure {
                url: link.href.clone(),
                length: link.length.unwrap_or(0),
                mime: link.media_type.clone().unwrap_or_default(),
            });
        }
    }
    found
}

/// The page link of an entry (the first link that is not an enclosure).
fn page_link(entry: &Entry) -> String {
    entry
        .links
        .iter()
        .find(|l| {
            l.rel.as_deref().is_none_or(|r| r == "alternate") && l.media_type.as_deref() != Some("application/pdf")
        })
        .map(|l| l.href.clone())
        .unwrap_or_else(|| panic!("entry {} has no page link", entry.id))
}

/// Maps an absolute URL under `base` to the file that answers it in `out`.
fn file_of(out: &Outcome, base: &str, url: &str) -> std::path::PathBuf {
    let rel = url.strip_prefix(base).unwrap_or_else(|| panic!("{url} is not under {base}"));
    out.path(&decode(rel))
}
