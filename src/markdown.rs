//! Markdown bodies to HTML for feed readers. A reader shows an item away from
//! the site, so every relative link and image source is made absolute
//! against the item's own URL. Raw HTML is passed through as written: the
//! content store is written by trusted editors (see README, "Trust").

use std::cell::Cell;
use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, html};

use crate::url::{encode, resolve};
use crate::xml_chars::without_forbidden;

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
    let body = &*crate::liquid::translate(body);
    let target = |dest: CowStr<'_>| -> CowStr<'static> {
        let url = match content_link(&dest).and_then(|(path, fragment)| Some(content_url(path)? + fragment)) {
            Some(url) => url,
            None => resolve(base, &dest),
        };
        // pulldown-cmark's escaping of a destination leaves `^`, `%zz` and
        // a second `#` as written: none may stand in a URI (RFC 3986).
        CowStr::from(encode(&url).into_owned())
    };
    // Footnotes are written here rather than by pulldown-cmark, whose
    // reference links are relative (`href="#1"`): broken in a feed reader.
    // Numbers follow first appearance, as pulldown-cmark numbers them.
    let mut footnotes: HashMap<CowStr<'_>, usize> = HashMap::new();
    let mut number = move |name: CowStr<'_>| {
        let next = footnotes.len() + 1;
        *footnotes.entry(name.into_static()).or_insert(next)
    };
    // Whether the body holds raw HTML: only then is the HTML rewritten.
    let raw_html = Cell::new(false);
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
            let href = escape_html(&encode(&format!("{}#{name}", base.split('#').next().unwrap_or(base))));
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
        raw @ (Event::Html(_) | Event::InlineHtml(_)) => {
            raw_html.set(true);
            raw
        }
        other => other,
    });
    let mut out = String::with_capacity(body.len() + body.len() / 4);
    html::push_html(&mut out, parser);
    let out = if raw_html.get() { absolute_html(&out, base) } else { out };
    // The body's raw forbidden characters are gone before parsing, but
    // pulldown-cmark makes them again from numeric character references
    // (`&#x1;`, `&#12;`, `&#xFFFE;`): dropped here whatever made them, as
    // the raw ones are (`forbidden_references` finds them for the warning).
    without_forbidden(out)
}

/// The characters XML 1.0 forbids that the numeric character references
/// of `body` (a Markdown body as written) become in its HTML: in text, alt
/// texts, link and image titles, a code block's language. Each with the
/// byte offset of its reference. One in code or raw HTML stays as written
/// (it makes no character), and one in a link's destination is
/// percent-encoded: neither is found. No named reference makes such a
/// character.
pub fn forbidden_references(body: &str) -> Vec<(usize, char)> {
    if !body.contains("&#") {
        return Vec::new();
    }
    let blocks = crate::liquid::Blocks::find(body);
    let text = blocks.apply(body);
    let mut found = Vec::new();
    let mut in_code = false;
    for (event, range) in Parser::new_ext(&text, options()).into_offset_iter() {
        let decoded = match &event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                match kind {
                    CodeBlockKind::Fenced(info) => info,
                    CodeBlockKind::Indented => continue,
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                continue;
            }
            Event::Text(t) if !in_code => t,
            Event::Start(Tag::Link { title, .. } | Tag::Image { title, .. }) => title,
            _ => continue,
        };
        if !decoded.chars().any(crate::xml_chars::forbidden) {
            continue;
        }
        let mut written = &text[range.clone()];
        // A code block's own references are its code: only its info string's make one.
        if let Event::Start(Tag::CodeBlock(_)) = event {
            written = written.split('\n').next().unwrap_or(written);
        }
        for (at, c) in numeric_references(written) {
            if crate::xml_chars::forbidden(c) {
                found.push((blocks.written(range.start + at), c));
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// Every numeric character reference of `text` as CommonMark reads one
/// (`&#` and 1 to 7 digits, or `&#x` and 1 to 6 hex digits, then `;`),
/// with its byte offset and the character it makes (U+FFFD for 0 and for
/// no character).
fn numeric_references(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    text.match_indices("&#").filter_map(move |(at, _)| {
        let rest = &text[at + 2..];
        let (radix, digits, limit) = match rest.strip_prefix(['x', 'X']) {
            Some(hex) => (16, hex, 6),
            None => (10, rest, 7),
        };
        let len = digits.bytes().take_while(|b| b.is_ascii_digit() || (radix == 16 && b.is_ascii_hexdigit())).count();
        if len == 0 || len > limit || !digits[len..].starts_with(';') {
            return None;
        }
        let value = u32::from_str_radix(&digits[..len], radix).ok()?;
        Some((at, char::from_u32(value).filter(|&c| c != '\0').unwrap_or('\u{fffd}')))
    })
}

/// `html` with every relative `src`, `href`, `poster` and each URL of a
/// `srcset` made absolute against `base`. The whole body's HTML is rewritten
/// once rather than each raw HTML event, since a tag of an HTML block may
/// span several events (one per line); what Markdown made is already
/// absolute and passes unchanged, as does everything but those attributes.
pub fn absolute_html(html: &str, base: &str) -> String {
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("[src], [href], [poster], [srcset]", |el| {
            for name in ["src", "href", "poster"] {
                if let Some(resolved) = el.get_attribute(name).and_then(|v| absolute(base, &v)) {
                    el.set_attribute(name, &resolved)?;
                }
            }
            if let Some(resolved) = el.get_attribute("srcset").and_then(|v| absolute_srcset(base, &v)) {
                el.set_attribute("srcset", &resolved)?;
            }
            Ok(())
        }))
        // Not strict: the rewriter would stop at markup whose parsing
        // context it cannot tell (`<select><xmp>`); it only rewrites
        // attributes, for a reader that parses the HTML again.
        .with_strict(false);
    // It fails only past a memory limit, and none is set: the HTML as
    // Markdown made it is the answer then.
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_owned())
}

/// `value` (an attribute's text, entities left as written) resolved against
/// `base`, when it is a relative reference: `None` for an absolute URL
/// (`https:`, `mailto:`, `data:`…), a `#fragment` of the page itself, or
/// nothing.
fn absolute(base: &str, value: &str) -> Option<String> {
    // HTML takes a URL attribute without its surrounding white space.
    let url = value.trim_matches(|c: char| c.is_ascii_whitespace());
    if url.is_empty() || url.starts_with('#') {
        return None;
    }
    let resolved = resolve(base, url);
    (resolved != url).then_some(resolved)
}

/// A `srcset` (comma-separated candidates, each a URL and an optional
/// descriptor: `a.png 1x, b.png 2x`) with each URL resolved, the rest as
/// written; `None` when none changes. The URLs are found as the HTML
/// standard's parser finds them: a run of non-space characters, trailing
/// commas not included (a URL may hold commas: `w_100,h_50/a.png`).
fn absolute_srcset(base: &str, srcset: &str) -> Option<String> {
    let mut out = String::with_capacity(srcset.len() + 64);
    let mut changed = false;
    let mut rest = srcset;
    loop {
        let start = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',').len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.is_empty() {
            break;
        }
        let end = rest.find(|c: char| c.is_ascii_whitespace()).unwrap_or(rest.len());
        let url = rest[..end].trim_end_matches(',');
        match absolute(base, url) {
            Some(resolved) => {
                out.push_str(&resolved);
                changed = true;
            }
            None => out.push_str(url),
        }
        rest = &rest[url.len()..];
        if end > url.len() {
            // Trailing commas end the candidate: it has no descriptor.
            continue;
        }
        // The descriptor runs to the next comma outside parentheses.
        let mut depth = 0usize;
        let descriptor = rest
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    ',' => return depth == 0,
                    _ => {}
                }
                false
            })
            .map_or(rest.len(), |(i, _)| i);
        out.push_str(&rest[..descriptor]);
        rest = &rest[descriptor..];
    }
    changed.then_some(out)
}

/// Text as HTML text or an attribute value: `&`, `<`, `>`, `"`, `'` as entities.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    pulldown_cmark_escape::escape_html(&mut out, text).expect("writing to a String");
    out
}

/// A relative link to a Markdown file of the store (`../news/x.md`, or
/// Zola's `@/news/x.md` from the content folder): its path (still
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
    /// Raw HTML's relative references to files (`src`, `href`, `poster`,
    /// `srcset`): published beside the item when they name a file inside
    /// the content folder, and else let be, unwarned (README, "Trust"):
    /// an imported WordPress post shows its images this way.
    pub html_files: Vec<(usize, String)>,
}

impl References {
    pub fn scan(body: &str) -> References {
        // A destination ending in `.md` is written with `.md` in the text, or
        // with an escape (`\.`) or an entity (`&#46;`).
        let links = body.contains(".md") || body.contains('\\') || body.contains('&');
        // A link or image is written `](…)` or `]: …`, or as raw HTML (not
        // followed: see README, "Trust").
        let files = body.contains("](") || body.contains("]:");
        let html = body.contains('<');
        if !(links || files || html) || only_absolute(body) {
            return References::default();
        }
        let mut found = References::default();
        for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
            let (dest, image) = match &event {
                Event::Html(text) | Event::InlineHtml(text) => {
                    for dest in html_references(text) {
                        if let Some(path) = file_reference(dest) {
                            found.html_files.push((range.start, path.to_owned()));
                        }
                    }
                    continue;
                }
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

/// The values of the `src`, `href` and `poster` attributes and each URL of
/// the `srcset` attributes in a piece of raw HTML, as written (quoted).
fn html_references(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if i > 0 && bytes[i - 1].is_ascii_whitespace() {
            let name_len = bytes[i..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
            let name = &html[i..i + name_len];
            let rest = &html[i + name_len..];
            if ["src", "href", "poster", "srcset"].iter().any(|n| n.eq_ignore_ascii_case(name))
                && let Some(value) = rest.strip_prefix('=')
                && let Some(quote @ ('"' | '\'')) = value.chars().next()
                && let Some(end) = value[1..].find(quote)
            {
                let value = &value[1..1 + end];
                if name.eq_ignore_ascii_case("srcset") {
                    found.extend(value.split(',').filter_map(|c| c.split_whitespace().next()));
                } else {
                    found.push(value.trim());
                }
                i += name_len + end + 3;
                continue;
            }
        }
        i += 1;
    }
    found
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

/// Another generator's template syntax left in `body` (Liquid `{% … %}` and
/// `{{ … }}`, Hugo shortcodes `{{< … >}}` and `{{% … %}}`, Zola's, which
/// look the same), outside code spans and blocks and Jekyll's `highlight`
/// and `raw` blocks (`liquid.rs`): each construct as
/// written, with its byte offset and what it is. A construct ends at its
/// closing delimiter on the same line or a later one, not past a blank line.
pub fn template_syntax(body: &str) -> Vec<(usize, &str, &'static str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = body[from..].find('{').map(|i| i + from) {
        let rest = &body[at..];
        let (close, what) = if rest.starts_with("{{<") {
            (">}}", "a Hugo shortcode")
        } else if rest.starts_with("{{%") {
            ("%}}", "a Hugo shortcode")
        } else if rest.starts_with("{%") {
            ("%}", "a Liquid tag")
        } else if rest.starts_with("{{") {
            ("}}", "a Liquid output")
        } else {
            from = at + 1;
            continue;
        };
        let open = if close.len() == 3 { 3 } else { 2 };
        let reach = rest.find("\n\n").unwrap_or(rest.len());
        match rest[open..reach].find(close) {
            Some(end) if !rest[open..open + end].trim().is_empty() => {
                let len = open + end + close.len();
                found.push((at, &rest[..len], what));
                from = at + len;
            }
            _ => from = at + open,
        }
    }
    // Jekyll's `highlight` and `raw` blocks are read for what they mean.
    let read = crate::liquid::Blocks::find(body).spans;
    found.retain(|(at, ..)| !read.iter().any(|r| r.contains(at)));
    if found.is_empty() {
        return found;
    }
    // Inside a code span or block it is documentation, not a leftover.
    let mut code: Vec<std::ops::Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))) {
            code.push(range);
        }
    }
    found.retain(|(at, ..)| !code.iter().any(|r| r.contains(at)));
    found
}

/// `dest`'s path when it is a relative reference to a file (not `.md`).
/// `page.html` and `page.htm` are pages of the site, as another generator
/// wrote them or a server serves them, not files of the store to publish.
fn file_reference(dest: &str) -> Option<&str> {
    let path = &dest[..dest.find(['?', '#']).unwrap_or(dest.len())];
    let relative = !path.is_empty() && !path.starts_with('/') && !path.contains(':');
    let last = path.rsplit('/').next().unwrap_or(path);
    let extension = last.rfind('.').filter(|&dot| dot > 0 && dot + 1 < last.len()).map(|dot| &last[dot + 1..]);
    let file = extension.is_some_and(|ext| !["md", "html", "htm"].iter().any(|page| ext.eq_ignore_ascii_case(page)));
    (relative && file && last != "." && last != "..").then_some(path)
}

/// The summary a body gives: its text before the excerpt mark, else its
/// first paragraph, each read as Markdown; where Markdown finds no text
/// there, because it is raw HTML (a WordPress import's body is one HTML
/// block), the same read off the body's HTML as `html_text` reads an HTML
/// body, so that `<p>…</p><!--more-->` ends a summary as `…\n\n<!--more-->`
/// does.
pub fn summary(body: &str) -> Option<String> {
    // Rendered at most once, and only for a body that holds raw HTML.
    let html = std::cell::OnceCell::new();
    let html_text = || {
        html.get_or_init(|| {
            body.contains('<').then(|| {
                let mut out = String::with_capacity(body.len());
                html::push_html(&mut out, Parser::new_ext(&crate::liquid::translate(body), options()));
                crate::html_text::read(&out)
            })
        })
        .as_ref()
    };
    // Most bodies have no mark: their HTML is read only for want of a paragraph.
    let marked = MORE.iter().any(|mark| body.contains(mark));
    excerpt(body)
        .or_else(|| html_text().filter(|_| marked)?.excerpt.clone())
        .or_else(|| first_paragraph(body))
        .or_else(|| html_text()?.first_paragraph.clone())
}

/// The first paragraph of `body` as plain text (the default summary), or
/// `None` when the body has no paragraph.
pub fn first_paragraph(body: &str) -> Option<String> {
    let body = &*crate::liquid::translate(body);
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
    let text = without_forbidden(text);
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
    let body = &*crate::liquid::translate(body);
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
    let text = without_forbidden(text).split_whitespace().collect::<Vec<_>>().join(" ");
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
    fn a_summary_from_raw_html_where_markdown_finds_no_text() {
        assert_eq!(summary("<p>Before.</p>\n<!--more-->\n<p>After.</p>\n").as_deref(), Some("Before."));
        assert_eq!(summary("# Head\n\n<div>\n<p>Raw &amp; all.</p>\n</div>\n").as_deref(), Some("Raw & all."));
        // Markdown's own reading comes first.
        assert_eq!(summary("Markdown.\n\n<p>Raw.</p>\n").as_deref(), Some("Markdown."));
        assert_eq!(summary("A *b*.\n<!--more-->\n<p>Raw.</p>\n").as_deref(), Some("A b."));
        // HTML in code is text, not a paragraph.
        assert_eq!(summary("```\n<p>code</p>\n```\n"), None);
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
    fn links_are_uris_whatever_their_destination_holds() {
        let base = "https://example.org/news/a/";
        let body = "[c](a^b.html) [p](c%zz.html) [l](100%.html) [q](x/?a=^b#f^g#h) [s](<pic one.png>) \
                    [e](https://e.org/a^b) [ok](ok%20x.html)[^a^b]\n\n[^a^b]: Note.\n";
        let html = to_html(body, base, &|_| None);
        for href in [
            "https://example.org/news/a/a%5Eb.html",
            "https://example.org/news/a/c%25zz.html",
            "https://example.org/news/a/100%25.html",
            "https://example.org/news/a/x/?a=%5Eb#f%5Eg%23h",
            "https://example.org/news/a/pic%20one.png",
            "https://e.org/a%5Eb",
            "https://example.org/news/a/ok%20x.html",
            "https://example.org/news/a/#a%5Eb",
        ] {
            assert!(html.contains(&format!("=\"{href}\"")), "{href}: {html}");
        }
    }

    #[test]
    fn relative_urls_of_raw_html_become_absolute() {
        let base = "https://example.org/news/meeting/";
        let body = "Inline <a href=\"../other/\">other</a> and <img src='pic.png' alt=\"p\">.\n\n\
                    <video poster=\"p.jpg\"\n  src=\"v.mp4\"></video>\n\n\
                    <picture><source srcset=\"a.png 1x, b.png 2x,c.png\"><img src=\"/abs.png\"></picture>\n";
        let html = to_html(body, base, &|_| None);
        assert!(html.contains(r#"href="https://example.org/news/other/""#), "{html}");
        assert!(html.contains(r#"src="https://example.org/news/meeting/pic.png""#), "{html}");
        assert!(html.contains(r#"poster="https://example.org/news/meeting/p.jpg""#), "{html}");
        assert!(html.contains(r#"src="https://example.org/news/meeting/v.mp4""#), "{html}");
        assert!(html.contains(r#"src="https://example.org/abs.png""#), "{html}");
        let srcset = "https://example.org/news/meeting/a.png 1x, https://example.org/news/meeting/b.png 2x,\
                      https://example.org/news/meeting/c.png";
        assert!(html.contains(&format!(r#"srcset="{srcset}""#)), "{html}");
    }

    #[test]
    fn relative_urls_of_raw_html_are_encoded_as_markdown_links_are() {
        let base = "https://example.org/news/x/";
        let body = "<img src=\"pic one.png\" srcset=\"été.png 2x\"> <a href='a^b.html'>a</a> \
                    <a href=\"ok%20x.html\">b</a> <a href=\"100%.html#f#g\">c</a>\n";
        let html = to_html(body, base, &|_| None);
        for url in [
            "src=\"https://example.org/news/x/pic%20one.png\"",
            "srcset=\"https://example.org/news/x/%C3%A9t%C3%A9.png 2x\"",
            "href=\"https://example.org/news/x/a%5Eb.html\"",
            "href=\"https://example.org/news/x/ok%20x.html\"",
            "href=\"https://example.org/news/x/100%25.html#f%23g\"",
        ] {
            assert!(html.contains(url), "{url}: {html}");
        }
        // The same body written in Markdown links the same URL.
        let markdown = to_html("![p](<pic one.png>)", base, &|_| None);
        assert!(markdown.contains("src=\"https://example.org/news/x/pic%20one.png\""), "{markdown}");
    }

    #[test]
    fn absolute_urls_fragments_and_code_are_left_as_written() {
        let base = "https://example.org/news/a/";
        let body = "<a href=\"https://e.org/x?a=1&amp;b=2\">x</a> <a href=\"mailto:a@b.org\">m</a> \
                    <a href=\"#top\">t</a> <img src=\"data:image/png;base64,AAAA\"> <a href=\"\">e</a>\n\n\
                    [md](rel/) ![i](i.png)[^1]\n\n    <img src=\"code.png\">\n\n`<a href=\"span/\">`\n\n[^1]: Note.\n";
        let html = to_html(body, base, &|_| None);
        // Everything but the Markdown links is exactly as written.
        let plain = {
            let mut out = String::new();
            html::push_html(&mut out, Parser::new_ext(body, options()));
            out
        };
        for kept in [
            r#"href="https://e.org/x?a=1&amp;b=2""#,
            r#"href="mailto:a@b.org""#,
            r##"href="#top""##,
            r#"src="data:image/png;base64,AAAA""#,
            r#"href="""#,
            r#"<code>&lt;img src="code.png"&gt;"#,
            r#"<code>&lt;a href="span/"&gt;</code>"#,
        ] {
            assert!(html.contains(kept) && plain.contains(kept), "{kept}: {html}");
        }
        assert!(html.contains(r#"href="https://example.org/news/a/rel/""#), "{html}");
        assert!(html.contains(r#"src="https://example.org/news/a/i.png""#), "{html}");
        assert!(html.contains(r##"<a href="https://example.org/news/a/#1">1</a>"##), "{html}");
        // Raw HTML whose URLs are all absolute: the rewriter changes nothing.
        let absolute_only = "[a](x/) <b>bold</b> <img src=\"https://e.org/a.png\" srcset=\"https://e.org/a.png 2x\">";
        let rewritten = to_html(absolute_only, base, &|_| None);
        assert_eq!(absolute_html(&rewritten, base), rewritten);
    }

    #[test]
    fn srcset_candidates_are_resolved_one_by_one() {
        let base = "https://example.org/a/";
        assert_eq!(
            absolute_srcset(base, " x.png 100w , y,z.png 2x,w.png,").as_deref(),
            Some(" https://example.org/a/x.png 100w , https://example.org/a/y,z.png 2x,https://example.org/a/w.png,")
        );
        assert_eq!(absolute_srcset(base, "https://e.org/x.png 1x"), None);
        assert_eq!(
            absolute_srcset(base, "data:image/png;base64,AA 1x, b.png 2x").as_deref(),
            Some("data:image/png;base64,AA 1x, https://example.org/a/b.png 2x")
        );
    }

    #[test]
    fn template_syntax_outside_code_is_found() {
        let body = "Intro {{ page.title }} and {% include x.html %}.\n\n{{< youtube id >}}\n\n{{% note %}}x{{% /note %}}\n\n\
                    In code: `{{ x }}` and\n\n```\n{% raw %}\n```\n\n    {{< indented >}}\n\nJSON {\"a\": {\"b\": 1}} {{ }} {{ open\n\nclose }}\n";
        let found: Vec<(&str, &str)> = template_syntax(body).into_iter().map(|(_, text, what)| (text, what)).collect();
        assert_eq!(
            found,
            [
                ("{{ page.title }}", "a Liquid output"),
                ("{% include x.html %}", "a Liquid tag"),
                ("{{< youtube id >}}", "a Hugo shortcode"),
                ("{{% note %}}", "a Hugo shortcode"),
                ("{{% /note %}}", "a Hugo shortcode"),
            ]
        );
        assert_eq!(template_syntax(body)[2].0, body.find("{{<").unwrap());
        assert!(template_syntax("No template {here}.").is_empty());
    }

    #[test]
    fn raw_html_references_to_files_are_found() {
        let body = "<figure><img src=\"a.png\" srcset=\"a.png 1x, b-2x.png 2x\" /></figure>\n\n\
                    Text <a href='report.pdf'>PDF</a> <a href=\"../other/\">page</a> <img src=\"https://x.org/c.png\">\n";
        let found = References::scan(body);
        let names: Vec<&str> = found.html_files.iter().map(|(_, f)| f.as_str()).collect();
        assert_eq!(names, ["a.png", "a.png", "b-2x.png", "report.pdf"]);
        assert!(found.files.is_empty());
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
    fn zola_internal_links_are_content_links() {
        let html = to_html("[p](@/news/post.md#part) [q](@/news/gone.md)", "https://example.org/news/a/", &|path| {
            (path == "@/news/post.md").then(|| "https://example.org/news/post/".to_owned())
        });
        assert!(html.contains(r#"href="https://example.org/news/post/#part""#), "{html}");
        let links = References::scan("[p](@/news/post.md#part) ![i](@/img.png)").content_links;
        assert_eq!(links, vec![(0, "@/news/post.md".to_owned())]);
    }

    #[test]
    fn html_pages_are_not_files() {
        let found = References::scan("[a](about.html) [b](old/Page.HTM?x=1#y) [c](c.htmlx) [d](d.png)");
        let files: Vec<&str> = found.files.iter().map(|(_, f)| f.as_str()).collect();
        assert_eq!(files, ["c.htmlx", "d.png"]);
        let html = to_html("[a](about.html#team)", "https://example.org/news/a/", &|_| None);
        assert!(html.contains(r#"href="https://example.org/news/a/about.html#team""#), "{html}");
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
    fn references_to_characters_xml_forbids_make_none() {
        let body = "A &#x1; B &#12;\n\n![alt&#xFFFE;](i.png \"t&#11;\") [l](x&#1;y) `&#1;` &amp;#1; &#00000001; &#0;\n\n\
                    ```&#x1f;\n&#2;\n```\n\n<p>&#3;</p>\n";
        let html = to_html(body, "https://example.org/a/", &|_| None);
        assert!(!html.chars().any(crate::xml_chars::forbidden), "{html:?}");
        assert!(html.contains("<p>A  B </p>") && html.contains("<p>&#3;</p>"), "{html}");
        let at = |needle: &str| body.find(needle).unwrap();
        assert_eq!(
            forbidden_references(body),
            [
                (at("&#x1;"), '\u{1}'),
                (at("&#12;"), '\u{c}'),
                (at("&#xFFFE;"), '\u{fffe}'),
                (at("&#11;"), '\u{b}'),
                (at("&#x1f;"), '\u{1f}'),
            ]
        );
        assert_eq!(first_paragraph(body).as_deref(), Some("A  B"));
        assert_eq!(excerpt("A &#x1;B\n<!--more-->\n").as_deref(), Some("A B"));
        // Inside a Jekyll block the offset is the one written.
        let body = "{% highlight ruby %}\nx\n{% endhighlight %}\n\nA &#1;\n";
        assert_eq!(forbidden_references(body), [(body.find("&#1;").unwrap(), '\u{1}')]);
        assert!(forbidden_references("No reference &amp; &#65; &#x10FFFF;").is_empty());
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
