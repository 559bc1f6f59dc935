//! Markdown bodies to HTML for feed readers. A reader shows an item away from
//! the site, so every relative link and image source is made absolute
//! against the item's own URL. Raw HTML is passed through as written: the
//! content store is written by trusted editors (see README, "Trust").

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::url::resolve;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders `body` to HTML with links resolved against `base` (an absolute
/// URL). A link to another content file (`../publications/x.md`) becomes
/// that item's URL through `content_url`, which gets the link's path.
pub fn to_html(body: &str, base: &str, content_url: &dyn Fn(&str) -> Option<String>) -> String {
    let target = |dest: CowStr<'_>| -> CowStr<'static> {
        match content_link(&dest).and_then(|(path, fragment)| Some(content_url(path)? + fragment)) {
            Some(url) => CowStr::from(url),
            None => CowStr::from(resolve(base, &dest)),
        }
    };
    // Footnotes are written here rather than by pulldown-cmark, whose
    // reference links are relative (`href="#1"`): broken in a feed reader.
    // Numbers follow first appearance, as pulldown-cmark numbers them.
    let mut footnotes: HashMap<CowStr<'_>, usize> = HashMap::new();
    let mut number = move |name: CowStr<'_>| {
        let next = footnotes.len() + 1;
        *footnotes.entry(name.into_static()).or_insert(next)
    };
    let parser = Parser::new_ext(body, options()).map(|event| match event {
        // An email autolink (`<a@b.org>`) holds the bare address, to
        // which pulldown-cmark adds `mailto:`: not a path to resolve.
        Event::Start(Tag::Link { link_type, dest_url, title, id }) if link_type != LinkType::Email => {
            Event::Start(Tag::Link { link_type, dest_url: target(dest_url), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: target(dest_url), title, id })
        }
        Event::FootnoteReference(name) => {
            let href = escape_html(&format!("{}#{name}", base.split('#').next().unwrap_or(base)));
            let n = number(name);
            Event::InlineHtml(format!(r#"<sup class="footnote-reference"><a href="{href}">{n}</a></sup>"#).into())
        }
        Event::Start(Tag::FootnoteDefinition(name)) => {
            let id = escape_html(&name);
            let n = number(name);
            Event::Html(
                format!(
                    r#"<div class="footnote-definition" id="{id}"><sup class="footnote-definition-label">{n}</sup>"#
                )
                .into(),
            )
        }
        Event::End(TagEnd::FootnoteDefinition) => Event::Html("</div>\n".into()),
        other => other,
    });
    let mut out = String::with_capacity(body.len() + body.len() / 4);
    html::push_html(&mut out, parser);
    out
}

/// Text as HTML text or an attribute value: `&`, `<`, `>`, `"`, `'` as entities.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String");
    out
}

/// A relative link to a Markdown file of the store: its path (still
/// percent-encoded) and its `#fragment`, if any.
pub fn content_link(dest: &str) -> Option<(&str, &str)> {
    let end = dest.find(['?', '#']).unwrap_or(dest.len());
    let (path, rest) = dest.split_at(end);
    let relative = !path.starts_with('/') && !path.contains(':');
    (relative && path.ends_with(".md")).then(|| (path, if rest.starts_with('#') { rest } else { "" }))
}

/// What loading needs to know of a body's links, found in one parse: its
/// links to Markdown files (checked to lead to one) and its relative
/// references to other files (published beside the item), each with its
/// byte offset, for its line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct References {
    pub content_links: Vec<(usize, String)>,
    pub files: Vec<(usize, String)>,
}

impl References {
    pub fn scan(body: &str) -> References {
        // A destination ending in `.md` is written with `.md` in the text, or
        // with an escape (`\.`) or an entity (`&#46;`).
        let links = body.contains(".md") || body.contains('\\') || body.contains('&');
        // A link or image is written `](…)` or `]: …`, or as raw HTML (not
        // followed: see README, "Trust").
        let files = body.contains("](") || body.contains("]:");
        if !(links || files) || only_absolute(body) {
            return References::default();
        }
        let mut found = References::default();
        for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
            let (dest, image) = match &event {
                Event::Start(Tag::Link { link_type: LinkType::Email, .. }) => continue,
                Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
                Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
                _ => continue,
            };
            if let Some((path, _)) = content_link(dest).filter(|_| links && !image) {
                found.content_links.push((range.start, path.to_owned()));
            }
            if let Some(path) = file_reference(dest).filter(|_| files) {
                found.files.push((range.start, path.to_owned()));
            }
        }
        found
    }
}

/// Whether every link and image of `body` surely leads off the page's
/// folder (`/path`, `#fragment`, `?query`, `scheme:`), so that parsing it
/// would find neither a content link nor a file reference: most bodies link
/// to the site and the web only, and parsing them is a tenth of a build.
/// Without `\`, `&` and `<`, a destination is the very text after `](`
/// or `]:` (after white space), and nothing else makes one (no escapes, no
/// entities, no autolinks); any other text there, anywhere, means parsing.
fn only_absolute(body: &str) -> bool {
    // Blocks without an early exit, which the compiler vectorises: a
    // `contains` of three characters reads one character at a time, and
    // this runs over every body of the store.
    let special = |block: &[u8]| block.iter().fold(false, |found, &b| found | matches!(b, b'\\' | b'&' | b'<'));
    if body.as_bytes().chunks(64).any(special) {
        return false;
    }
    body.match_indices(']').all(|(at, _)| {
        let after = &body[at + 1..];
        if !after.starts_with(['(', ':']) {
            return true;
        }
        let dest = after[1..].trim_start_matches([' ', '\t', '\n']);
        let scheme = dest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')));
        let scheme = scheme
            .is_some_and(|end| end > 0 && dest.as_bytes()[0].is_ascii_alphabetic() && dest[end..].starts_with(':'));
        scheme || dest.starts_with(['/', '#', '?'])
    })
}

/// `dest`'s path when it is a relative reference to a file (not `.md`).
fn file_reference(dest: &str) -> Option<&str> {
    let path = &dest[..dest.find(['?', '#']).unwrap_or(dest.len())];
    let relative = !path.is_empty() && !path.starts_with('/') && !path.contains(':');
    let last = path.rsplit('/').next().unwrap_or(path);
    let file = last.rfind('.').is_some_and(|dot| dot > 0 && dot + 1 < last.len()) && !last.ends_with(".md");
    (relative && file && last != "." && last != "..").then_some(path)
}

/// The first paragraph of `body` as plain text (the default summary), or
/// `None` when the body has no paragraph.
pub fn first_paragraph(body: &str) -> Option<String> {
    let mut text = String::new();
    let mut inside = false;
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if inside => break,
            Event::Text(t) | Event::Code(t) if inside => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The excerpt marks that end a summary: Jekyll's and Hugo's
/// `<!--more-->`, Zola's `<!-- more -->`.
const MORE: [&str; 2] = ["<!--more-->", "<!-- more -->"];

/// The body's text before its first excerpt mark (outside code), as plain
/// text with its blocks separated by a space; `None` without a mark or
/// with no text before it.
pub fn excerpt(body: &str) -> Option<String> {
    let cut = Parser::new_ext(body, options()).into_offset_iter().find_map(|(event, range)| match event {
        Event::Html(_) | Event::InlineHtml(_) => {
            let raw = &body[range.clone()];
            MORE.iter().filter_map(|m| raw.find(m)).min().map(|i| range.start + i)
        }
        _ => None,
    })?;
    let mut text = String::new();
    for event in Parser::new_ext(&body[..cut], options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock) => text.push(' '),
            _ => {}
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_excerpt_ends_at_the_more_mark() {
        assert_eq!(excerpt("First *one*.\n\n<!--more-->\n\nRest.").as_deref(), Some("First one."));
        assert_eq!(excerpt("# Head\n\nA `b`.\nC <!-- more --> D.").as_deref(), Some("Head A b. C"));
        assert_eq!(excerpt("No mark.\n"), None);
        assert_eq!(excerpt("<!--more-->\nRest."), None);
        // A mark in code is code.
        assert_eq!(excerpt("`<!--more-->` and\n\n    <!--more-->\n"), None);
    }

    #[test]
    fn relative_links_and_images_become_absolute() {
        let html = to_html(
            "See [the roadmap](../../publications/roadmap/) and ![map](map.png \"Map\"), [top](#top), [mail](mailto:a@b.org).",
            "https://example.org/news/meeting/",
            &|_| None,
        );
        assert!(html.contains(r#"href="https://example.org/publications/roadmap/""#), "{html}");
        assert!(html.contains(r#"src="https://example.org/news/meeting/map.png""#), "{html}");
        assert!(html.contains(r#"href="https://example.org/news/meeting/#top""#), "{html}");
        assert!(html.contains(r#"href="mailto:a@b.org""#), "{html}");
    }

    #[test]
    fn an_email_autolink_is_neither_resolved_nor_a_file() {
        let body = "Write to <press@example.org>.";
        let html = to_html(body, "https://example.org/news/a/", &|_| None);
        assert!(html.contains(r#"href="mailto:press@example.org""#), "{html}");
        assert_eq!(References::scan(body), References::default());
    }

    #[test]
    fn links_to_content_files_become_their_urls() {
        let html = to_html("[GER](../publications/ger.md#p2) [x](other.md)", "https://example.org/news/a/", &|path| {
            (path == "../publications/ger.md").then(|| "https://example.org/publications/ger/".to_owned())
        });
        assert!(html.contains(r#"href="https://example.org/publications/ger/#p2""#), "{html}");
        assert!(html.contains(r#"href="https://example.org/news/a/other.md""#), "{html}");
        let links = References::scan("a [b](x/y.md) [c](https://e.org/z.md)").content_links;
        assert_eq!(links, vec![(2, "x/y.md".to_owned())]);
    }

    #[test]
    fn footnote_links_are_absolute_and_numbered_in_order() {
        let html = to_html(
            "A[^b] and B[^a], A again[^b].\n\n[^a]: Note a.\n[^b]: Note b.\n",
            "https://example.org/news/x/",
            &|_| None,
        );
        assert!(html.contains(r##"<a href="https://example.org/news/x/#b">1</a>"##), "{html}");
        assert!(html.contains(r##"<a href="https://example.org/news/x/#a">2</a>"##), "{html}");
        assert_eq!(html.matches(r##"#b">1</a>"##).count(), 2, "{html}");
        assert!(
            html.contains(r#"<div class="footnote-definition" id="a"><sup class="footnote-definition-label">2</sup>"#)
        );
        assert!(html.contains(r#"id="b"><sup class="footnote-definition-label">1</sup>"#), "{html}");
        assert!(html.trim_end().ends_with("</div>"), "{html}");
        assert!(!html.contains(r##"href="#"##), "{html}");
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let body = "# Heading\n\nOn *30th November* and\n2nd `December`.\n\nSecond.";
        assert_eq!(first_paragraph(body).as_deref(), Some("On 30th November and 2nd December."));
        assert_eq!(first_paragraph("# Only a heading\n"), None);
    }
    /// Every link and image, found by parsing: what `only_absolute`'s
    /// shortcut must never miss.
    fn parsed_destinations(body: &str) -> Vec<String> {
        Parser::new_ext(body, options())
            .filter_map(|event| match event {
                Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => Some(dest_url.into_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn references_are_found_in_one_parse() {
        let body = "[a](x/y.md) ![m](moon.png) [c](https://e.org/z.md) [d](/abs/f.png)\n\n[r]: img/c.csv\n[s][r]";
        let found = References::scan(body);
        assert_eq!(found.content_links, vec![(0, "x/y.md".to_owned())]);
        assert_eq!(found.files, vec![(12, "moon.png".to_owned()), (83, "img/c.csv".to_owned())]);
        // Written through an escape, an entity, angle brackets or an
        // autolink, a destination is only known by parsing.
        for body in ["[a](moon\\.png)", "[a](moon&#46;png)", "[a](<moon.png>)", "<a@b.org>", "[a]( \n moon.png)"] {
            assert!(!only_absolute(body), "{body}");
        }
        assert!(only_absolute("[a](/x/) [b](https://e.org/a.png) [c](#top) [d]( ?q=1)\n\n[e]:\n mailto:a@b.org"));
    }

    proptest::proptest! {
        /// Whenever the shortcut skips the parse, the parse finds no
        /// destination that is a content link or a file reference.
        #[test]
        fn only_absolute_misses_nothing(parts in proptest::collection::vec(proptest::sample::select(&[
            "[a]", "![b]", "(", ")", "](", "]:", "[^1]", " ", "\n", "\n\n", "    ", "> ", "- ", "`", "\"t\"",
            "/x", "x.png", "y.md", "#f", "?q", "http:", "mailto:a", "a@b.com", "<", ">", "&#46;", "\\", "x", ":",
            "|", "*", "](/x.png)", "](https://e.org/y.md)", "]: /z.png", "](#t)", "](?q)", "](\n/a b.png)",
        ][..]), 0..24)) {
            let body = parts.concat();
            if only_absolute(&body) {
                for dest in parsed_destinations(&body) {
                    proptest::prop_assert!(content_link(&dest).is_none() && file_reference(&dest).is_none(), "{body:?}: {dest:?}");
                }
            }
        }
    }
}
