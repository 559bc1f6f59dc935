//! The sitemap (sitemaps.org 0.9) and robots.txt. Every URL the site has:
//! the home page, the section listings, the pages, every news item and
//! publication page under the base URL, and every PDF, each with its
//! `lastmod`. Past 50,000 URLs or 50 MB a file, `sitemap.xml` becomes a
//! sitemap index over `sitemap-1.xml`, `sitemap-2.xml`… as the protocol
//! requires.

use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::Range;

use jiff::Timestamp;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::feed::store_updated;
use super::xml::text;
use crate::content::{Store, date};

const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
pub const MAX_URLS: usize = 50_000;
pub const MAX_BYTES: usize = 50 * 1000 * 1000;

/// One `<url>`: the store's own text where it has it (110,000 URLs of an
/// agency's items are not copied for the plan).
#[derive(Debug, Clone)]
pub struct Url<'s> {
    pub loc: Cow<'s, str>,
    pub lastmod: Timestamp,
}

/// Every URL of the store, in a fixed order, then `pages` (pressroom's own
/// pages for people: a feed's, the archive's) that are not among them.
pub fn urls<'s>(store: &'s Store, pages: &[Url<'s>]) -> Vec<Url<'s>> {
    // The newest change of 110,000 items, looked for once.
    let updated = store_updated(store);
    let mut urls = vec![Url { loc: store.site.base_url.as_str().into(), lastmod: updated }];
    // A section's listing, where its items' pattern has one (`/news/{slug}/`
    // is listed at `/news/`; `/{year}/{slug}/` has none).
    for section in &store.site.sections {
        let newest = store.in_section(&section.name).map(|i| i.modified()).max();
        if let (Some(newest), Some(listing)) = (newest, section.url.listing()) {
            let loc = store.site.base_url.join(&[listing], true);
            // Two sections may share a listing (`/blog/{slug}/` and `/blog/{year}/{slug}/`).
            match urls.iter_mut().find(|u| u.loc == loc) {
                Some(url) => url.lastmod = url.lastmod.max(newest),
                None => urls.push(Url { loc: loc.into(), lastmod: newest }),
            }
        }
    }
    for page in &store.pages {
        urls.push(Url { loc: page.url.as_str().into(), lastmod: page.updated.unwrap_or(updated) });
    }
    for item in store.news.iter().chain(&store.publications) {
        // A sitemap may list only URLs under its own (sitemaps.org): an item
        // whose `url` is elsewhere was warned about when the store was read.
        if item.url.starts_with(store.site.base_url.as_str()) {
            urls.push(Url { loc: item.url.as_str().into(), lastmod: item.modified() });
        }
        if let Some(p) = &item.publication {
            urls.push(Url { loc: p.pdf.url.as_str().into(), lastmod: item.modified() });
        }
    }
    // Each page once, unless the store has its URL: the store's 110,000
    // URLs looked up among the few pages', not each compared with them nor
    // all put into a set of their own.
    let wanted: rustc_hash::FxHashSet<&str> = pages.iter().map(|p| &*p.loc).collect();
    let mut listed: rustc_hash::FxHashSet<&str> = match wanted.is_empty() {
        true => Default::default(),
        false => urls.iter().map(|u| &*u.loc).filter(|loc| wanted.contains(loc)).collect(),
    };
    let new: Vec<Url<'s>> = pages.iter().filter(|p| listed.insert(&p.loc)).cloned().collect();
    drop(listed);
    urls.extend(new);
    urls
}

/// The sitemap as the plan names it: its URLs, and the URLs of each of its
/// children. Worked out before anything is written, so that the plan names
/// every child file; each file is then streamed from it (`write`).
#[derive(Debug, Clone)]
pub struct Sitemap<'s> {
    urls: Vec<Url<'s>>,
    /// The URLs of each child, in order; one part covering them all is
    /// `sitemap.xml` itself, with no index.
    parts: Vec<Range<usize>>,
}

impl<'s> Sitemap<'s> {
    /// The sitemap of `store` and `pages` (see `urls`), split as the
    /// protocol's limits require.
    pub fn new(store: &'s Store, pages: &[Url<'s>]) -> Sitemap<'s> {
        Sitemap::with_limits(store, pages, MAX_URLS, MAX_BYTES)
    }

    /// `new` with other limits than the protocol's (tests use small ones).
    pub fn with_limits(store: &'s Store, pages: &[Url<'s>], max_urls: usize, max_bytes: usize) -> Sitemap<'s> {
        let urls = urls(store, pages);
        let parts = split(&urls, &store.site.timezone, max_urls, max_bytes);
        Sitemap { urls, parts }
    }

    /// Its files' names: `sitemap.xml`, then its children's, numbered from 1.
    pub fn names(&self) -> Vec<String> {
        let children = (1..=self.parts.len()).filter(|_| self.is_index()).map(|n| format!("sitemap-{n}.xml"));
        std::iter::once("sitemap.xml".to_owned()).chain(children).collect()
    }

    fn is_index(&self) -> bool {
        self.parts.len() > 1
    }

    /// Its `file`th file (as `names` orders them) to `out`: `sitemap.xml`,
    /// every URL or the index of the children, or a child.
    pub fn write(&self, store: &Store, file: usize, out: &mut impl Write) -> io::Result<()> {
        let tz = &store.site.timezone;
        if file > 0 || !self.is_index() {
            let part = self.parts.get(file.saturating_sub(1)).cloned().unwrap_or_default();
            urlset(&self.urls[part], tz, out)
        } else {
            let mut w = writer(out)?;
            let base = &store.site.base_url;
            let lastmod = date::rfc3339(store_updated(store), tz);
            w.write_event(Event::Start(BytesStart::new("sitemapindex").with_attributes([("xmlns", NS)])))?;
            for name in self.names().iter().skip(1) {
                w.write_event(Event::Start(BytesStart::new("sitemap")))?;
                text(&mut w, "loc", &base.join(&[name], false))?;
                text(&mut w, "lastmod", &lastmod)?;
                w.write_event(Event::End(BytesEnd::new("sitemap")))?;
            }
            w.write_event(Event::End(BytesEnd::new("sitemapindex")))?;
            w.into_inner().write_all(b"\n")
        }
    }
}

/// One `<urlset>` of `urls`.
fn urlset(urls: &[Url<'_>], tz: &jiff::tz::TimeZone, out: &mut impl Write) -> io::Result<()> {
    let mut w = writer(out)?;
    w.write_event(Event::Start(BytesStart::new("urlset").with_attributes([("xmlns", NS)])))?;
    for url in urls {
        entry(&mut w, url, tz)?;
    }
    w.write_event(Event::End(BytesEnd::new("urlset")))?;
    w.into_inner().write_all(b"\n")
}

/// The URLs of each `<urlset>`: as many as fit in `max_urls` and in
/// `max_bytes` once written, measured by writing them to nowhere.
fn split(urls: &[Url<'_>], tz: &jiff::tz::TimeZone, max_urls: usize, max_bytes: usize) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut start = 0;
    loop {
        let end = urls.len().min(start + max_urls.max(1));
        let taken = fitting(&urls[start..end], tz, max_bytes);
        parts.push(start..start + taken);
        start += taken;
        // `taken == 0` would mean one URL over 50 MB: stop rather than loop.
        if start == urls.len() || taken == 0 {
            break;
        }
    }
    parts
}

/// How many of `urls`, from the first, one `<urlset>` of `max_bytes` holds.
fn fitting(urls: &[Url<'_>], tz: &jiff::tz::TimeZone, max_bytes: usize) -> usize {
    // What the end adds after the last `<url>`: the indented writer puts
    // the end tag on a line of its own, then a final newline.
    let closing = b"\n</urlset>\n".len();
    // Writing 50,000 URLs to nowhere costs as much as writing them: not
    // done when even their largest size cannot reach the limit.
    if at_most(urls) + closing <= max_bytes {
        return urls.len();
    }
    let measured = (|| {
        let mut w = writer(Counted(0))?;
        w.write_event(Event::Start(BytesStart::new("urlset").with_attributes([("xmlns", NS)])))?;
        for (n, url) in urls.iter().enumerate() {
            entry(&mut w, url, tz)?;
            if w.get_ref().0 + closing > max_bytes {
                return Ok(n);
            }
        }
        Ok::<_, io::Error>(urls.len())
    })();
    measured.expect("counting bytes does not fail")
}

/// A size no `<urlset>` of `urls` reaches once written (without its end
/// tag): each character of a `loc` escaped into at most 6 bytes (`&quot;`),
/// and room for the declaration, the indentation, the tags and the longest
/// `lastmod` (35 bytes) to spare.
fn at_most(urls: &[Url<'_>]) -> usize {
    const FIXED: usize = 200;
    FIXED + urls.iter().map(|u| FIXED + 6 * u.loc.len()).sum::<usize>()
}

/// A sink that only counts what it is given.
struct Counted(usize);

impl Write for Counted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One `<url>`.
fn entry<W: Write>(w: &mut Writer<W>, url: &Url<'_>, tz: &jiff::tz::TimeZone) -> io::Result<()> {
    w.write_event(Event::Start(BytesStart::new("url")))?;
    text(w, "loc", &url.loc)?;
    text(w, "lastmod", &date::rfc3339(url.lastmod, tz))?;
    w.write_event(Event::End(BytesEnd::new("url")))
}

/// An indented writer, its XML declaration written.
fn writer<W: Write>(out: W) -> io::Result<Writer<W>> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(w)
}

/// robots.txt: everything may be crawled; the sitemap is named when there
/// is one (`sitemap`: pressroom writes it).
pub fn robots(store: &Store, sitemap: bool, out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"User-agent: *\nAllow: /\n")?;
    if sitemap {
        write!(out, "\nSitemap: {}\n", store.site.base_url.join(&["sitemap.xml"], false))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// URLs of many lengths, escaped characters among them.
    fn urls() -> Vec<Url<'static>> {
        (0..40)
            .map(|n| Url {
                loc: format!("https://example.org/{}&{n}/", "a".repeat(n * 7 % 90)).into(),
                lastmod: Timestamp::from_second(1_700_000_000 + n as i64 * 86_400).unwrap(),
            })
            .collect()
    }

    fn written(urls: &[Url<'_>], tz: &jiff::tz::TimeZone) -> usize {
        let mut bytes = Vec::new();
        urlset(urls, tz, &mut bytes).unwrap();
        bytes.len()
    }

    #[test]
    fn each_page_is_listed_once_and_not_beside_the_stores_own_url() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::write(
            root.join("site.toml"),
            "title = \"T\"\nbase_url = \"https://example.org/\"\ndescription = \"d\"\nlanguage = \"en\"\npublisher = \"P\"\ncopyright = \"C\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("news")).unwrap();
        std::fs::write(root.join("news/a.md"), "+++\ntitle = \"A\"\ndate = 2020-01-01\n+++\nBody.\n").unwrap();
        let store = Store::load(root, Timestamp::from_second(1_900_000_000).unwrap()).unwrap();
        let at = |loc: &str| Url { loc: loc.to_owned().into(), lastmod: Timestamp::UNIX_EPOCH };
        let item = store.news[0].url.as_str().to_owned();
        let pages = [at("https://example.org/feed/"), at(&item), at("https://example.org/feed/")];
        let urls = super::urls(&store, &pages);
        let count = |loc: &str| urls.iter().filter(|u| u.loc == loc).count();
        assert_eq!(count("https://example.org/feed/"), 1, "a page twice among the pages");
        assert_eq!(count(&item), 1, "a page the store has");
        let own = urls.iter().find(|u| u.loc == item).unwrap();
        assert_eq!(own.lastmod, store.news[0].modified(), "the store's entry, not the page's");
        assert_eq!(urls.last().unwrap().loc, "https://example.org/feed/", "pages after the store's URLs");
    }

    #[test]
    fn the_split_measured_is_the_split_written() {
        let (urls, tz) = (urls(), jiff::tz::TimeZone::fixed(jiff::tz::offset(2)));
        let longest = (0..urls.len()).map(|i| written(&urls[i..=i], &tz)).max().unwrap();
        for max_bytes in longest..longest * 6 {
            for max_urls in [1, 7, 50] {
                let parts = split(&urls, &tz, max_urls, max_bytes);
                assert_eq!(parts.first().unwrap().start, 0);
                assert_eq!(parts.last().unwrap().end, urls.len(), "every URL, at {max_bytes} bytes");
                for (part, next) in parts.iter().zip(parts.iter().skip(1)) {
                    assert_eq!(part.end, next.start, "in order, once");
                    // Full: the next URL would have broken a limit.
                    let grown = written(&urls[part.start..=part.end], &tz);
                    assert!(part.len() == max_urls || grown > max_bytes, "{part:?} at {max_bytes} bytes");
                }
                for part in &parts {
                    assert!(!part.is_empty() && part.len() <= max_urls);
                    assert!(written(&urls[part.clone()], &tz) <= max_bytes, "{part:?} at {max_bytes} bytes");
                }
            }
        }
    }

    #[test]
    fn the_bound_of_a_urlset_is_above_its_size() {
        let mut urls = urls();
        // Every character escaped, the longest way.
        urls.push(Url {
            loc: "\"".repeat(500).into(),
            lastmod: Timestamp::from_nanosecond(1_700_000_000_123_456_789).unwrap(),
        });
        let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(-11));
        for n in 0..=urls.len() {
            let tail = &urls[urls.len() - n..];
            assert!(at_most(tail) >= written(tail, &tz), "{n} URLs");
        }
    }

    #[test]
    fn a_url_too_large_alone_ends_the_split() {
        let (urls, tz) = (urls(), jiff::tz::TimeZone::UTC);
        let empty = std::iter::once(0..0).collect::<Vec<_>>();
        assert_eq!(split(&urls, &tz, 50, 10), empty);
        assert_eq!(split(&[], &tz, 50, MAX_BYTES), empty, "an empty urlset, as ever");
    }
}
