//! The HTTP headers each published object carries: `Content-Type` and
//! `Cache-Control`, by the end of its key. Defaults here; a user's table
//! (`pressroom publish --headers FILE`) overrides them per suffix.
//!
//! The settings live in a file of their own rather than in `site.toml`:
//! publishing reads a finished output folder and knows nothing of the
//! content store, whose `site.toml` refuses keys it does not know.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, IoContext, Result};
use crate::media_type;

/// Feeds, pages, listings, sitemaps: they change with every new item, so a
/// CDN must ask again soon.
const SHORT: &str = "public, max-age=300";
/// PDFs, bundles, images: replaced rarely, and under the same name only when
/// the publication itself is corrected.
const LONG: &str = "public, max-age=86400";

/// Suffix of the key, its Content-Type and its Cache-Control. Longer
/// suffixes are listed before the shorter ones they end with.
const DEFAULTS: &[(&str, &str, &str)] = &[
    ("rss.xml", media_type::RSS, SHORT),
    ("atom.xml", media_type::ATOM, SHORT),
    ("feed.json", media_type::JSON_FEED, SHORT),
    (".xml", "application/xml", SHORT),
    (".json", media_type::JSON, SHORT),
    (".html", "text/html; charset=utf-8", SHORT),
    (".txt", "text/plain; charset=utf-8", SHORT),
    (".sha256", "text/plain; charset=utf-8", SHORT),
    (".csv", "text/csv; charset=utf-8", SHORT),
    (".opml", "text/x-opml", SHORT),
    (".css", "text/css; charset=utf-8", SHORT),
    (".js", "text/javascript; charset=utf-8", SHORT),
    (".pdf", media_type::PDF, LONG),
    (".zip", media_type::ZIP, LONG),
    (".png", "image/png", LONG),
    (".jpg", "image/jpeg", LONG),
    (".jpeg", "image/jpeg", LONG),
    (".gif", "image/gif", LONG),
    (".webp", "image/webp", LONG),
    (".avif", "image/avif", LONG),
    (".svg", "image/svg+xml", LONG),
    (".ico", "image/vnd.microsoft.icon", LONG),
];

const UNKNOWN: (&str, &str) = ("application/octet-stream", LONG);

/// The two headers of one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectHeaders {
    pub content_type: String,
    pub cache_control: String,
}

/// The user's overrides, as the `--headers` file spells them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Overrides {
    #[serde(default)]
    content_type: BTreeMap<String, String>,
    #[serde(default)]
    cache_control: BTreeMap<String, String>,
}

/// Headers for every key: the user's overrides, then the defaults.
#[derive(Debug, Default)]
pub struct Headers {
    overrides: Overrides,
}

impl Headers {
    /// The defaults, overridden by the TOML file at `path` when given.
    pub fn load(path: Option<&Path>) -> Result<Headers> {
        let Some(path) = path else { return Ok(Headers::default()) };
        let text = fs::read_to_string(path).at(path)?;
        let overrides: Overrides = toml::from_str(&text)
            .map_err(|e| Error::Usage(format!("{}: not a table of publishing headers: {e}", path.display())))?;
        for value in overrides.content_type.values().chain(overrides.cache_control.values()) {
            // A header value with a line break would be refused by every store.
            if value.chars().any(|c| c.is_control()) {
                return Err(Error::Usage(format!(
                    "{}: header value {value:?} holds a control character",
                    path.display()
                )));
            }
        }
        Ok(Headers { overrides })
    }

    /// The headers of `rel`, whose first bytes say it is a feed of the
    /// media type `feed` (`feed_type`): a feed a site keeps at its old
    /// address (`files = { rss = "index.xml" }`) is sent as a feed, not as
    /// any XML.
    pub fn of(&self, rel: &str, feed: Option<&'static str>) -> ObjectHeaders {
        let default = DEFAULTS.iter().find(|(suffix, ..)| ends_with(rel, suffix));
        let (ty, cache) = default.map_or(UNKNOWN, |&(_, ty, cache)| (ty, cache));
        let generic = matches!(ty, "application/xml" | "application/json" | "application/octet-stream");
        let ty = feed.filter(|_| generic).unwrap_or(ty);
        ObjectHeaders {
            content_type: longest(&self.overrides.content_type, rel).unwrap_or(ty).to_owned(),
            cache_control: longest(&self.overrides.cache_control, rel).unwrap_or(cache).to_owned(),
        }
    }
}

/// The media type of a feed by its first bytes: RSS's `<rss>`, Atom's
/// `<feed>` in the Atom namespace, or JSON Feed's `version`; `None` for
/// anything else.
pub fn feed_type(head: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(head);
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    if rest.starts_with('{') {
        return rest.contains("\"https://jsonfeed.org/version/1").then_some(media_type::JSON_FEED);
    }
    // Past the XML declaration, processing instructions and comments.
    loop {
        let close = match rest {
            r if r.starts_with("<?") => "?>",
            r if r.starts_with("<!--") => "-->",
            _ => break,
        };
        rest = rest.split_once(close)?.1.trim_start();
    }
    let root = |name: &str| {
        rest.strip_prefix('<')
            .and_then(|r| r.strip_prefix(name))
            .is_some_and(|r| r.starts_with(|c: char| c.is_whitespace() || c == '>'))
    };
    if root("rss") {
        Some(media_type::RSS)
    } else if root("feed") && rest.contains("http://www.w3.org/2005/Atom") {
        Some(media_type::ATOM)
    } else {
        None
    }
}

/// A suffix matches the end of the key; one without a dot (`rss.xml`)
/// matches a whole file name only, so `rss.xml` is not `dress.xml`.
fn ends_with(rel: &str, suffix: &str) -> bool {
    if suffix.starts_with('.') || suffix.contains('/') {
        return rel.ends_with(suffix);
    }
    rel.rsplit('/').next() == Some(suffix)
}

fn longest<'a>(table: &'a BTreeMap<String, String>, rel: &str) -> Option<&'a str> {
    table
        .iter()
        .filter(|(suffix, _)| ends_with(rel, suffix))
        .max_by_key(|(suffix, _)| suffix.len())
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_by_name_then_extension() {
        let h = Headers::default();
        assert_eq!(h.of("news/rss.xml", None).content_type, "application/rss+xml");
        assert_eq!(h.of("sitemap-news.xml", None).content_type, "application/xml");
        assert_eq!(h.of("dress.xml", None).content_type, "application/xml");
        assert_eq!(h.of("news/feed.json", None).content_type, "application/feed+json");
        assert_eq!(h.of("archive/index.json", None).content_type, "application/json");
        assert_eq!(h.of("robots.txt", None).content_type, "text/plain; charset=utf-8");
        assert_eq!(h.of("a/b.pdf", None).cache_control, LONG);
        assert_eq!(h.of("index.html", None).cache_control, SHORT);
        assert_eq!(h.of("x.bin", None).content_type, "application/octet-stream");
    }

    #[test]
    fn a_feed_at_another_name_is_sent_as_a_feed() {
        let rss = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- x -->\n<rss version=\"2.0\"><channel>";
        let atom = b"<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">";
        let json = b"{\n  \"version\": \"https://jsonfeed.org/version/1.1\",";
        assert_eq!(feed_type(rss), Some("application/rss+xml"));
        assert_eq!(feed_type(atom), Some("application/atom+xml"));
        assert_eq!(feed_type(json), Some("application/feed+json"));
        for other in [&b"<urlset xmlns=\"x\">"[..], b"<feedback/>", b"{\"a\": 1}", b"<rssx>", b"<?xml"] {
            assert_eq!(feed_type(other), None, "{}", String::from_utf8_lossy(other));
        }
        let h = Headers::default();
        assert_eq!(h.of("index.xml", feed_type(rss)).content_type, "application/rss+xml");
        assert_eq!(h.of("feed.xml", feed_type(atom)).content_type, "application/atom+xml");
        // The name wins where it says more than "XML".
        assert_eq!(h.of("news/atom.xml", feed_type(rss)).content_type, "application/atom+xml");
    }

    #[test]
    fn overrides_win_longest_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("headers.toml");
        fs::write(&path, "[cache_control]\n\".xml\" = \"max-age=1\"\n\"rss.xml\" = \"max-age=2\"\n[content_type]\n\".pdf\" = \"application/x-pdf\"\n").unwrap();
        let h = Headers::load(Some(&path)).unwrap();
        assert_eq!(h.of("news/rss.xml", None).cache_control, "max-age=2");
        assert_eq!(h.of("sitemap.xml", None).cache_control, "max-age=1");
        assert_eq!(h.of("a.pdf", None).content_type, "application/x-pdf");
        assert_eq!(h.of("a.pdf", None).cache_control, LONG);
        fs::write(&path, "[cache]\n").unwrap();
        assert!(matches!(Headers::load(Some(&path)), Err(Error::Usage(_))));
    }
}
