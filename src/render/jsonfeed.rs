//! JSON Feed 1.1 (jsonfeed.org/version/1.1). The wire structs below mirror
//! the specification's field names and stay apart from the content model.

use std::io::Write;

use serde::Serialize;

use super::feed::Feed;
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

pub fn render(feed: &Feed, mut out: impl Write) -> std::io::Result<()> {
    let tz = &feed.site.timezone;
    let items = feed
        .entries
        .iter()
        .map(|entry| {
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
        })
        .collect();
    let json = JsonFeed {
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
    };
    serde_json::to_writer_pretty(&mut out, &json)?;
    out.write_all(b"\n")
}
