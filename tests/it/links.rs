//! Relative links and image sources in a Markdown body come out absolute in
//! every format: a feed reader shows the item away from the site.

use crate::harness::*;
use crate::read::*;

/// The HTML content of every item of `name`, per format, as written.
fn contents(out: &Outcome, name: &str) -> Vec<(&'static str, String)> {
    let mut found = Vec::new();
    let rss = out.read(&format!("{name}/rss.xml"));
    let doc = xml(&rss);
    for item in kids(kid(doc.root_element(), None, "channel"), None, "item") {
        found.push(("rss", kid_text(item, Some(CONTENT_NS), "encoded")));
        found.push(("rss description", kid_text(item, None, "description")));
    }
    let atom = out.read(&format!("{name}/atom.xml"));
    let doc = xml(&atom);
    for entry in kids(doc.root_element(), Some(ATOM_NS), "entry") {
        found.push(("atom", kid_text(entry, Some(ATOM_NS), "content")));
    }
    let json = json(out, &format!("{name}/feed.json"));
    for item in json["items"].as_array().unwrap() {
        found.push(("json", item["content_html"].as_str().unwrap().to_owned()));
    }
    found
}

#[track_caller]
fn assert_all_absolute(out: &Outcome) {
    for name in FEEDS {
        for (format, html) in contents(out, name) {
            for attr in ["href", "src"] {
                for value in attr_values(&html, attr) {
                    let absolute =
                        value.starts_with("https://") || value.starts_with("http://") || value.starts_with("mailto:");
                    assert!(absolute, "{name} {format}: relative {attr}={value:?}");
                }
            }
        }
    }
}

#[test]
fn relative_links_and_images_become_absolute_in_every_format() {
    let out = Store::fixture("minimal")
        .edit("news/2024-01-10-first-news.md", |t| {
            format!(
                "{t}\nSee [a](../other/), ![i](img.png), [top](#top) and [root](/about/).[^1]\n\n[^1]: A footnote.\n"
            )
        })
        .write("news/img.png", b"\x89PNG\r\n\x1a\n an image")
        .build()
        .ok();
    // The image beside the item is published where its URL points.
    assert_eq!(out.bytes("news/first-news/img.png"), b"\x89PNG\r\n\x1a\n an image");
    let item = "https://example.org/news/first-news/";
    let expected = [
        r#"href="https://example.org/news/other/""#.to_owned(),
        r#"src="https://example.org/news/first-news/img.png""#.to_owned(),
        format!(r#"href="{item}#top""#),
        r#"href="https://example.org/about/""#.to_owned(),
        // Footnote references are links too.
        format!(r#"href="{item}#1""#),
    ];
    let contents = contents(&out, "news");
    for format in ["rss", "atom", "json"] {
        let html: String = contents.iter().filter(|(f, _)| *f == format).map(|(_, h)| h.as_str()).collect();
        for want in &expected {
            assert!(html.contains(want.as_str()), "{format}: {want} missing in\n{html}");
        }
    }
    assert_all_absolute(&out);
}

#[test]
fn links_in_bodies_are_rfc_3986_uris_in_every_format() {
    let body = "[caret](a^b.html) [pct](c%zz.html) [lone](100%.html) [q](x/?a=^b#f^g#h) [bt](a`b.html) \
                [abs](https://e.org/a^b)\n\n\
                <img src=\"pic one.png\"> <a href=\"été ^.html\">x</a> <a href=\"ok%20x.html\">y</a>\n";
    let out = Store::fixture("minimal").edit("news/2024-01-10-first-news.md", |t| format!("{t}\n{body}")).build().ok();
    let contents = contents(&out, "news");
    let mut urls = Vec::new();
    for format in ["rss", "atom", "json"] {
        let html: String = contents.iter().filter(|(f, _)| *f == format).map(|(_, h)| h.as_str()).collect();
        let found: Vec<String> = ["href", "src"].iter().flat_map(|attr| attr_values(&html, attr)).collect();
        // As Markdown and raw HTML alike: an encoding kept, the rest encoded.
        for want in [
            "a%5Eb.html",
            "c%25zz.html",
            "100%25.html",
            "x/?a=%5Eb#f%5Eg%23h",
            "a%60b.html",
            "pic%20one.png",
            "%C3%A9t%C3%A9%20%5E.html",
            "ok%20x.html",
        ] {
            let want = format!("https://example.org/news/first-news/{want}");
            assert!(found.contains(&want), "{format}: {want} missing in {found:?}");
        }
        assert!(found.contains(&"https://e.org/a%5Eb".to_owned()), "{format}: {found:?}");
        urls.extend(found);
    }
    crate::validators::assert_rfc_3986(&urls);
}

#[test]
fn the_shipped_feeds_have_no_relative_link() {
    assert_all_absolute(&Store::shipped().build().ok());
}

#[test]
fn relative_urls_in_raw_html_become_absolute_in_every_format() {
    let raw = "<p><img src=\"pic.png\" srcset=\"a.png 1x, b.png 2x\" alt=\"pic\"></p>\n\n\
               Inline <a href=\"../other/\">other</a> and <a href=\"#top\">top</a>.\n\n\
               <video poster=\"p.jpg\" controls><source src=\"https://cdn.example.net/v.mp4\"></video>\n";
    let out = Store::fixture("minimal").edit("news/2024-01-10-first-news.md", |t| format!("{t}\n{raw}")).build().ok();
    let item = "https://example.org/news/first-news/";
    let contents = contents(&out, "news");
    for format in ["rss", "atom", "json"] {
        let html: String = contents.iter().filter(|(f, _)| *f == format).map(|(_, h)| h.as_str()).collect();
        let srcs = attr_values(&html, "src");
        for want in [format!("{item}pic.png"), "https://cdn.example.net/v.mp4".to_owned()] {
            assert!(srcs.contains(&want), "{format}: src {want} missing in {srcs:?}");
        }
        assert!(attr_values(&html, "srcset").contains(&format!("{item}a.png 1x, {item}b.png 2x")), "{format}: {html}");
        let hrefs = attr_values(&html, "href");
        assert!(hrefs.contains(&"https://example.org/news/other/".to_owned()), "{format}: {hrefs:?}");
        // A fragment of the page itself is left as written.
        assert!(hrefs.contains(&"#top".to_owned()), "{format}: {hrefs:?}");
        assert_eq!(attr_values(&html, "poster"), [format!("{item}p.jpg")], "{format}");
    }
}
