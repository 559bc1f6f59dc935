//! JSON Feed 1.1 (jsonfeed.org/version/1.1). The wire structs below mirror
//! the specification's field names and stay apart from the content model.

use std::io::{self, Write};

use serde::Serialize;

use super::feed::{Feed, FeedEntry, write_in_chunks};
use crate::content::date;
use crate::feed_def::Format;
use crate::media_type;

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    description: &'a str,
    /// The next page of the feed's history: from the subscription feed, the
    /// newest archive document; from an archive document, the one before.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_url: Option<String>,
    language: &'a str,
    authors: Vec<Author<'a>>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: Vec<&'a String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment<'a>>,
}

#[derive(Serialize)]
struct Attachment<'a> {
    url: &'a str,
    mime_type: &'static str,
    title: &'a str,
    size_in_bytes: u64,
}

/// The feed's object is written with its `items` empty and the items spliced
/// in, each serialized on its own on every core (see `write_in_chunks`) and
/// indented to its depth: the bytes `to_writer_pretty` gives for the whole
/// feed, which a test keeps so. Indenting line by line is sound because a
/// JSON string never holds a raw line break.
pub fn render(feed: &Feed, mut out: impl Write) -> io::Result<()> {
    let head = serde_json::to_vec_pretty(&object(feed, Vec::new()))?;
    let Some(first) = feed.entries.first() else {
        out.write_all(&head)?;
        return out.write_all(b"\n");
    };
    // `items` is the last field: the head ends `[]` and the object's `\n}`.
    let open = head.len() - EMPTY_TAIL.len();
    debug_assert_eq!(&head[open..], EMPTY_TAIL);
    out.write_all(&head[..open])?;
    out.write_all(b"[")?;
    write_in_chunks(&feed.entries, &mut out, |entries| {
        let mut part = Vec::new();
        for entry in entries {
            part.extend_from_slice(if std::ptr::eq(entry, first) { b"\n" } else { b",\n" });
            let object = serde_json::to_vec_pretty(&item(feed, entry))?;
            for (n, line) in object.split(|&b| b == b'\n').enumerate() {
                if n > 0 {
                    part.push(b'\n');
                }
                part.extend_from_slice(ITEM_INDENT);
                part.extend_from_slice(line);
            }
        }
        Ok::<_, io::Error>(part)
    })?;
    out.write_all(b"\n  ]\n}\n")
}

/// The feed's object, holding `items`.
fn object<'a>(feed: &'a Feed<'a>, items: Vec<JsonItem<'a>>) -> JsonFeed<'a> {
    JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.def.title,
        home_page_url: feed.page_url(),
        feed_url: feed.current_url(Format::Json),
        description: &feed.def.description,
        next_url: feed
            .history_links(Format::Json)
            .into_iter()
            .find(|(rel, _)| *rel == "prev-archive")
            .map(|(_, url)| url),
        language: &feed.site.language,
        authors: vec![Author { name: &feed.site.publisher }],
        items,
    }
}

/// The feed pretty-printed whole, as `render` was before it went in chunks:
/// the bytes its output must keep.
#[cfg(test)]
pub(crate) fn whole(feed: &Feed) -> Vec<u8> {
    let items = feed.entries.iter().map(|entry| item(feed, entry)).collect();
    let mut out = serde_json::to_vec_pretty(&object(feed, items)).unwrap();
    out.push(b'\n');
    out
}

/// How the feed's object ends when `items` is empty.
const EMPTY_TAIL: &[u8] = b"[]\n}";

/// An item's depth in the pretty-printed feed: the feed's object, `items`.
const ITEM_INDENT: &[u8] = b"    ";

fn item<'a>(feed: &Feed<'a>, entry: &'a FeedEntry<'a>) -> JsonItem<'a> {
    let tz = &feed.site.timezone;
    let item = entry.item;
    let publication = item.publication.as_ref();
    JsonItem {
        id: &item.id,
        url: &item.url,
        title: &item.title,
        content_html: &entry.html,
        summary: item.summary.as_deref(),
        date_published: date::rfc3339(item.date, tz),
        date_modified: item.updated.map(|_| date::rfc3339(item.modified(), tz)),
        tags: item.terms(),
        authors: item.authors.iter().map(|name| Author { name }).collect(),
        language: publication.and_then(|p| p.language.as_deref()),
        attachments: publication
            .map(|p| Attachment {
                url: &p.pdf.url,
                mime_type: media_type::PDF,
                title: &p.pdf.file_name,
                size_in_bytes: p.pdf.size,
            })
            .into_iter()
            .collect(),
    }
}
