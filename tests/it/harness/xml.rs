//! Reading XML and dates back, strictly: the helpers the integration tests
//! and the library's inside tests (`src/inside`, which includes this file)
//! share.

#![allow(dead_code)]

use roxmltree::{Document, Node};

pub const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
pub const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";
pub const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
pub const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// Parses `text` as XML, strictly (a forbidden character, an undeclared
/// prefix or a DTD fails).
#[track_caller]
pub fn xml(text: &str) -> Document<'_> {
    Document::parse(text).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"))
}

/// The element children of `node` named `name` in namespace `ns` (None: no namespace).
pub fn kids<'a, 'i>(node: Node<'a, 'i>, ns: Option<&str>, name: &str) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == ns)
        .collect()
}

/// The one child `name` (in `ns`); panics when there is none or several.
#[track_caller]
pub fn kid<'a, 'i>(node: Node<'a, 'i>, ns: Option<&str>, name: &str) -> Node<'a, 'i> {
    let found = kids(node, ns, name);
    assert_eq!(found.len(), 1, "<{}> should have exactly one <{name}>", node.tag_name().name());
    found[0]
}

/// The text of the one child `name` (in `ns`).
#[track_caller]
pub fn kid_text(node: Node, ns: Option<&str>, name: &str) -> String {
    kid(node, ns, name).text().unwrap_or("").to_owned()
}

/// RFC 822 as the RSS profile wants it: `Thu, 2 Dec 2021 00:00:00 +0000`,
/// with a four-digit year; returns the instant.
#[track_caller]
pub fn rfc822(value: &str) -> jiff::Timestamp {
    const DAYS: [&str; 7] = ["Mon,", "Tue,", "Wed,", "Thu,", "Fri,", "Sat,", "Sun,"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let parts: Vec<&str> = value.split(' ').collect();
    let digits =
        |s: &str, n: std::ops::RangeInclusive<usize>| n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let shape = parts.len() == 6
        && DAYS.contains(&parts[0])
        && digits(parts[1], 1..=2)
        && MONTHS.contains(&parts[2])
        && digits(parts[3], 4..=4)
        && parts[4].len() == 8
        && parts[4].split(':').all(|p| digits(p, 2..=2))
        && (parts[5] == "GMT"
            || (parts[5].len() == 5 && parts[5].starts_with(['+', '-']) && digits(&parts[5][1..], 4..=4)));
    assert!(shape, "{value:?} is not an RFC 822 date with a four-digit year, single-spaced");
    // jiff also checks that the weekday matches the date.
    jiff::fmt::rfc2822::parse(value).unwrap_or_else(|e| panic!("{value:?}: {e}")).timestamp()
}

/// An RFC 3339 timestamp (as Atom and JSON Feed want it).
#[track_caller]
pub fn rfc3339(value: &str) -> jiff::Timestamp {
    let b = value.as_bytes();
    assert!(
        b.len() >= 20 && b[10] == b'T' && (value.ends_with('Z') || b[b.len() - 6] == b'+' || b[b.len() - 6] == b'-'),
        "{value:?} is not RFC 3339 with an offset"
    );
    value.parse().unwrap_or_else(|e| panic!("{value:?}: {e}"))
}

/// `(loc, lastmod)` of every `<url>` of a sitemap's urlset.
#[track_caller]
pub fn sitemap_urls(text: &str) -> Vec<(String, String)> {
    let doc = xml(text);
    let urlset = doc.root_element();
    assert_eq!(urlset.tag_name().name(), "urlset");
    assert_eq!(urlset.tag_name().namespace(), Some(SITEMAP_NS));
    kids(urlset, Some(SITEMAP_NS), "url")
        .into_iter()
        .map(|u| (kid_text(u, Some(SITEMAP_NS), "loc"), kid_text(u, Some(SITEMAP_NS), "lastmod")))
        .collect()
}
