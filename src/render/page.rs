//! The page of a feed, `index.html` in the feed's folder: what a person sees
//! on clicking a feed link (browsers show a feed's XML raw, and styling it
//! with XSLT is on its way out of browsers). Its title and description, a
//! subscribe link per format with its media type, and the newest items with
//! their date, summary and, for publications, the PDF with its size. Shaped
//! by the Tera template `feeds/templates/feed.html` (built in; a store may
//! override it); the code only selects what goes on it.

use std::io::Write;

use serde::Serialize;

use super::feed::Feed;
use crate::content::date;
use crate::error::{Document, Error, Result};
use crate::store_templates::PageSite;
use crate::store_templates::size_label;
use crate::template::Template;
use crate::url::encode_segment;

#[derive(Serialize)]
struct FeedCtx<'a> {
    title: &'a str,
    description: &'a str,
    url: String,
    count: usize,
    formats: Vec<FormatCtx>,
    items: Vec<ItemCtx<'a>>,
}

#[derive(Serialize)]
struct FormatCtx {
    name: &'static str,
    media_type: &'static str,
    href: String,
    url: String,
}

#[derive(Serialize)]
struct ItemCtx<'a> {
    title: &'a str,
    url: &'a str,
    day: String,
    summary: Option<&'a str>,
    pdf: Option<PdfCtx<'a>>,
}

#[derive(Serialize)]
struct PdfCtx<'a> {
    href: String,
    url: &'a str,
    file_name: &'a str,
    size_label: String,
}

/// `file` as a link from the page in `folder`: its name when it is in the
/// folder, else up to the output's top and down to it.
fn relative(folder: &[String], file: &[String]) -> String {
    let encoded = |segments: &[String]| segments.iter().map(|s| encode_segment(s)).collect::<Vec<_>>().join("/");
    match file.strip_prefix(folder) {
        Some(inside) => encoded(inside),
        None => format!("{}{}", "../".repeat(folder.len()), encoded(file)),
    }
}

/// The newest items a feed's page lists: a page for people, not a copy of
/// a feed of 50,000 items.
pub const PAGE_ITEMS: usize = 50;

/// The page of `feed` (its subscription document), shaped by `template`,
/// to `out`; a failure of `out` is `Error::Render`.
pub fn render(feed: &Feed<'_>, template: &Template, out: &mut impl Write) -> Result<()> {
    {
        let site = feed.site;
        // From the feed's folder back to the top of the output.
        let up = "../".repeat(feed.def.path.len());
        let items = feed
            .entries
            .iter()
            .take(PAGE_ITEMS)
            .map(|entry| {
                let item = entry.item;
                ItemCtx {
                    title: &item.title,
                    url: &item.url,
                    day: date::day(item.date, &site.timezone),
                    summary: item.summary.as_deref(),
                    pdf: item.publication.as_ref().map(|p| PdfCtx {
                        href: format!(
                            "{up}{}",
                            p.pdf.out_path.iter().map(|s| encode_segment(s)).collect::<Vec<_>>().join("/")
                        ),
                        url: &p.pdf.url,
                        file_name: &p.pdf.file_name,
                        size_label: size_label(p.pdf.size),
                    }),
                }
            })
            .collect();
        let formats = feed
            .def
            .formats
            .iter()
            .map(|&format| FormatCtx {
                name: format.label(),
                media_type: format.media_type(),
                href: relative(&feed.def.path, &feed.def.document(format, None)),
                url: feed.url(format),
            })
            .collect();
        let mut ctx = tera::Context::new();
        ctx.insert("site", &PageSite::of(site));
        ctx.insert(
            "feed",
            &FeedCtx {
                title: &feed.def.title,
                description: &feed.def.description,
                url: feed.page_url(),
                count: feed.entries.len(),
                formats,
                items,
            },
        );
        let subject = format!("the page of feed {}", feed.def.name);
        let html = template.render(&ctx, &subject).map_err(|d| Error::Config(vec![d]))?;
        let document = Document::Page(feed.def.name.clone());
        out.write_all(html.as_bytes()).map_err(|source| Error::Render { document, source })
    }
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn links_a_feed_file_from_the_feeds_page() {
        let s = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(relative(&s(&["news"]), &s(&["news", "rss.xml"])), "rss.xml");
        assert_eq!(relative(&s(&["feeds", "news"]), &s(&["index.xml"])), "../../index.xml");
        assert_eq!(relative(&s(&["news"]), &s(&["blog", "a b.xml"])), "../blog/a%20b.xml");
    }
}
