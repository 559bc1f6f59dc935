//! The sitemap (sitemaps.org 0.9) and robots.txt. Every URL the site has:
//! the home page, the section listings, the pages, every news item and
//! publication page under the base URL, and every PDF, each with its
//! `lastmod`. Past 50,000 URLs or 50 MB a file, `sitemap.xml` becomes a
//! sitemap index over `sitemap-1.xml`, `sitemap-2.xml`… as the protocol
//! requires.

use std::io;

use jiff::Timestamp;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::feed::store_updated;
use super::xml::text;
use crate::content::{Store, date};

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
pub const MAX_URLS: usize = 50_000;
pub const MAX_BYTES: usize = 50 * 1000 * 1000;

/// One `<url>`.
#[derive(Debug, Clone)]
pub struct Url {
    pub loc: String,
    pub lastmod: Timestamp,
}

/// Every URL of the store, in a fixed order, then `pages` (pressroom's own
/// pages for people: a feed's, the archive's) that are not among them.
pub fn urls(store: &Store, pages: &[Url]) -> Vec<Url> {
    let mut urls = vec![Url { loc: store.site.base_url.as_str().to_owned(), lastmod: store_updated(store) }];
    // A section's listing, where its items' pattern has one (`/news/{slug}/`
    // is listed at `/news/`; `/{year}/{slug}/` has none).
    for section in &store.site.sections {
        let newest = store.in_section(&section.name).map(|i| i.modified()).max();
        if let (Some(newest), Some(listing)) = (newest, section.url.listing()) {
            let loc = store.site.base_url.join(&[listing], true);
            // Two sections may share a listing (`/blog/{slug}/` and `/blog/{year}/{slug}/`).
            match urls.iter_mut().find(|u| u.loc == loc) {
                Some(url) => url.lastmod = url.lastmod.max(newest),
                None => urls.push(Url { loc, lastmod: newest }),
            }
        }
    }
    for page in &store.pages {
        urls.push(Url { loc: page.url.clone(), lastmod: page.updated.unwrap_or_else(|| store_updated(store)) });
    }
    for item in store.news.iter().chain(&store.publications) {
        // A sitemap may list only URLs under its own (sitemaps.org): an item
        // whose `url` is elsewhere was warned about when the store was read.
        if item.url.starts_with(store.site.base_url.as_str()) {
            urls.push(Url { loc: item.url.clone(), lastmod: item.modified() });
        }
        if let Some(p) = &item.publication {
            urls.push(Url { loc: p.pdf.url.clone(), lastmod: item.modified() });
        }
    }
    for page in pages {
        if !urls.iter().any(|u| u.loc == page.loc) {
            urls.push(page.clone());
        }
    }
    urls
}

/// The sitemap files: `[("sitemap.xml", bytes)]`, or an index and its
/// numbered children when one file would break a limit.
pub fn render(store: &Store, pages: &[Url]) -> io::Result<Vec<(String, Vec<u8>)>> {
    render_with_limits(store, pages, MAX_URLS, MAX_BYTES)
}

/// `render` with other limits than the protocol's (tests use small ones).
pub fn render_with_limits(
    store: &Store,
    pages: &[Url],
    max_urls: usize,
    max_bytes: usize,
) -> io::Result<Vec<(String, Vec<u8>)>> {
    let urls = urls(store, pages);
    let tz = &store.site.timezone;
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let mut rest = &urls[..];
    loop {
        let (bytes, taken) = urlset(&rest[..rest.len().min(max_urls.max(1))], tz, max_bytes)?;
        chunks.push(bytes);
        rest = &rest[taken..];
        // `taken == 0` would mean one URL over 50 MB: stop rather than loop.
        if rest.is_empty() || taken == 0 {
            break;
        }
    }
    if chunks.len() == 1 {
        return Ok(vec![("sitemap.xml".to_owned(), chunks.pop().unwrap_or_default())]);
    }
    let base = &store.site.base_url;
    let lastmod = store_updated(store);
    let names: Vec<String> = (1..=chunks.len()).map(|n| format!("sitemap-{n}.xml")).collect();
    let mut w = writer();
    w.write_event(Event::Start(BytesStart::new("sitemapindex").with_attributes([("xmlns", NS)])))?;
    for name in &names {
        w.write_event(Event::Start(BytesStart::new("sitemap")))?;
        text(&mut w, "loc", &base.join(&[name], false))?;
        text(&mut w, "lastmod", &date::rfc3339(lastmod, tz))?;
        w.write_event(Event::End(BytesEnd::new("sitemap")))?;
    }
    w.write_event(Event::End(BytesEnd::new("sitemapindex")))?;
    let mut files = vec![("sitemap.xml".to_owned(), finish(w))];
    files.extend(names.into_iter().zip(chunks));
    Ok(files)
}

/// One `<urlset>` of as many of `urls` as fit in `max_bytes`, and how many.
fn urlset(urls: &[Url], tz: &jiff::tz::TimeZone, max_bytes: usize) -> io::Result<(Vec<u8>, usize)> {
    // What `finish` adds after the last `<url>`: the indented writer puts
    // the end tag on a line of its own, then a final newline.
    let closing = b"\n</urlset>\n".len();
    let mut w = writer();
    w.write_event(Event::Start(BytesStart::new("urlset").with_attributes([("xmlns", NS)])))?;
    let mut taken = 0;
    for url in urls {
        let before = w.get_ref().len();
        w.write_event(Event::Start(BytesStart::new("url")))?;
        text(&mut w, "loc", &url.loc)?;
        text(&mut w, "lastmod", &date::rfc3339(url.lastmod, tz))?;
        w.write_event(Event::End(BytesEnd::new("url")))?;
        if w.get_ref().len() + closing > max_bytes {
            w.get_mut().truncate(before);
            break;
        }
        taken += 1;
    }
    w.write_event(Event::End(BytesEnd::new("urlset")))?;
    Ok((finish(w), taken))
}

fn writer() -> Writer<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).expect("writing to a Vec");
    w
}

fn finish(w: Writer<Vec<u8>>) -> Vec<u8> {
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    bytes
}

/// robots.txt: everything may be crawled; the sitemap is named when there
/// is one (`sitemap`: pressroom writes it).
pub fn robots(store: &Store, sitemap: bool) -> String {
    let mut robots = "User-agent: *\nAllow: /\n".to_owned();
    if sitemap {
        robots += &format!("\nSitemap: {}\n", store.site.base_url.join(&["sitemap.xml"], false));
    }
    robots
}
