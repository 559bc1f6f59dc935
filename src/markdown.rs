//! Markdown bodies to HTML for feed readers. A reader shows an item away from
//! the site, so every relative link and image source is made absolute
//! against the item's own URL. Raw HTML is passed through as written: the
//! content store is written by trusted editors (see README, "Trust").

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

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
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
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

/// The links of `body` to Markdown files, with their byte offsets.
pub fn content_links(body: &str) -> Vec<(usize, String)> {
    // A destination ending in `.md` is written with `.md` in the text, or
    // with an escape (`\.`) or an entity (`&#46;`): without any of these,
    // there is nothing to find and no need to parse.
    if !body.contains(".md") && !body.contains('\\') && !body.contains('&') {
        return Vec::new();
    }
    Parser::new_ext(body, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                content_link(&dest_url).map(|(path, _)| (range.start, path.to_owned()))
            }
            _ => None,
        })
        .collect()
}

/// The relative references of `body` (links and images) that name a file
/// other than a Markdown file: the last segment has an extension. With the
/// byte offset of each, for its line.
pub fn file_references(body: &str) -> Vec<(usize, String)> {
    // A link or image is written `](…)` or `]: …`, or as raw HTML (not
    // followed: see README, "Trust"); without either, there is no need to parse.
    if !body.contains("](") && !body.contains("]:") {
        return Vec::new();
    }
    Parser::new_ext(body, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                file_reference(&dest_url).map(|path| (range.start, path.to_owned()))
            }
            _ => None,
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn links_to_content_files_become_their_urls() {
        let html = to_html("[GER](../publications/ger.md#p2) [x](other.md)", "https://example.org/news/a/", &|path| {
            (path == "../publications/ger.md").then(|| "https://example.org/publications/ger/".to_owned())
        });
        assert!(html.contains(r#"href="https://example.org/publications/ger/#p2""#), "{html}");
        assert!(html.contains(r#"href="https://example.org/news/a/other.md""#), "{html}");
        assert_eq!(content_links("a [b](x/y.md) [c](https://e.org/z.md)"), vec![(2, "x/y.md".to_owned())]);
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
}
