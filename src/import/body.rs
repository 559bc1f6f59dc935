//! A post's HTML as WordPress stores it, made into the body of a Markdown
//! file that shows what WordPress showed: block-editor comments removed,
//! classic posts given their paragraphs (`autop`), the shortcodes of core
//! (`[caption]`, `[gallery]`, `[embed]`, `[video]`, `[audio]`) written out
//! as plain HTML, and the whole kept as one HTML block of Markdown, so that
//! pulldown-cmark passes it through untouched.

use std::fmt::Write as _;

/// `<!-- wp:… -->`, `<!-- /wp:… -->` and `<!-- wp:… /-->` removed, with the
/// line they stood on when they stood alone.
pub fn strip_block_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<!--") {
        let after = rest[at + 4..].trim_start();
        let is_block = after.starts_with("wp:") || after.starts_with("/wp:");
        let Some(end) = rest[at..].find("-->").map(|e| at + e + 3) else { break };
        if is_block {
            out.push_str(&rest[..at]);
            rest = &rest[end..];
            // A comment alone on its line takes its line break with it.
            if out.ends_with('\n') || out.is_empty() {
                rest = rest.strip_prefix('\n').unwrap_or(rest);
            }
        } else {
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// Whether the post was written with the block editor (which stores its
/// paragraphs; WordPress runs no `wpautop` on it).
pub fn has_blocks(html: &str) -> bool {
    html.contains("<!-- wp:")
}

/// What the shortcode expansion needs from the export.
pub trait Attachments {
    /// The URL of attachment `id`.
    fn url(&self, id: &str) -> Option<String>;
    /// The images attached to the post being converted, in order.
    fn children(&self) -> Vec<String>;
}

/// `html` with the shortcodes of core written out; the names of the ones
/// that could not be, for a warning.
pub fn shortcodes(html: &str, attachments: &dyn Attachments) -> (String, Vec<String>) {
    if !html.contains('[') {
        return (html.to_owned(), Vec::new());
    }
    let mut out = String::with_capacity(html.len());
    let mut problems = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('[') {
        let at = i + off;
        out.push_str(&html[i..at]);
        let rest = &html[at..];
        // `[[gallery]]` is WordPress's way to show a shortcode as written.
        if rest.starts_with("[[")
            && let Some(code) = parse(&rest[1..])
            && rest[1 + code.len..].starts_with(']')
        {
            out.push_str(&rest[1..1 + code.len]);
            i = at + code.len + 2;
            continue;
        }
        let Some(code) = parse(rest) else {
            out.push('[');
            i = at + 1;
            continue;
        };
        let expanded = match code.name.as_str() {
            "caption" | "wp_caption" => caption(&code),
            "gallery" => gallery(&code, attachments, &mut problems),
            "embed" => embed(&code),
            "video" | "audio" => media(&code),
            _ => {
                if code.looks_like_shortcode() {
                    problems.push(format!("[{}] is left as written: no plain HTML stands for it", code.name));
                }
                None
            }
        };
        match expanded {
            Some(html_out) => {
                // shortcode_unautop: a shortcode alone in its paragraph is
                // not inside one.
                if out.ends_with("<p>") && html[at + code.len..].starts_with("</p>") {
                    out.truncate(out.len() - 3);
                    out.push_str(&html_out);
                    i = at + code.len + 4;
                } else {
                    out.push_str(&html_out);
                    i = at + code.len;
                }
            }
            None => {
                out.push_str(&rest[..code.len]);
                i = at + code.len;
            }
        }
    }
    out.push_str(&html[i..]);
    (out, problems)
}

/// One shortcode: `[name attrs]`, or `[name attrs]content[/name]`.
#[derive(Debug)]
struct Shortcode {
    name: String,
    attrs: Vec<(String, String)>,
    content: Option<String>,
    /// Its length in the text, content and closing tag included.
    len: usize,
}

impl Shortcode {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Prose holds `[sic]` and `[1]`: only a name with attributes, a
    /// closing tag or a `_` or `-` is taken for a plugin's shortcode.
    fn looks_like_shortcode(&self) -> bool {
        self.content.is_some() || self.attrs.iter().any(|(k, _)| !k.is_empty()) || self.name.contains(['_', '-'])
    }
}

fn parse(text: &str) -> Option<Shortcode> {
    let rest = text.strip_prefix('[')?;
    let name_len = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')).count();
    if name_len == 0 || !rest.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let name = &rest[..name_len];
    let after = &rest[name_len..];
    if !after.starts_with([' ', '\t', '\n', ']', '/']) {
        return None;
    }
    let close = after.find(']')?;
    let inner = &after[..close];
    if inner.contains('[') {
        return None;
    }
    let self_closing = inner.trim_end().ends_with('/');
    let attrs = attributes(inner.trim_end().trim_end_matches('/'));
    let mut len = 1 + name_len + close + 1;
    let mut content = None;
    if !self_closing {
        let end_tag = format!("[/{name}]");
        if let Some(end) = text[len..].find(&end_tag) {
            content = Some(text[len..len + end].to_owned());
            len += end + end_tag.len();
        }
    }
    Some(Shortcode { name: name.to_owned(), attrs, content, len })
}

/// `key="v" key='v' key=v v`: positional values have an empty key.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let key_len = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let (key, after) = rest.split_at(key_len);
        if let Some(value) = after.strip_prefix('=') {
            let (value, next) = match value.chars().next() {
                Some(q @ ('"' | '\'')) => match value[1..].find(q) {
                    Some(end) => (&value[1..1 + end], &value[end + 2..]),
                    None => (&value[1..], ""),
                },
                _ => {
                    let end = value.find(char::is_whitespace).unwrap_or(value.len());
                    (&value[..end], &value[end..])
                }
            };
            out.push((key.to_ascii_lowercase(), value.to_owned()));
            rest = next.trim_start();
        } else {
            let value = key.trim_matches(['"', '\'']);
            out.push((String::new(), value.to_owned()));
            rest = after.trim_start();
        }
    }
    out
}

fn escape_attr(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// WordPress's HTML5 caption: a `<figure>` with the image and a
/// `<figcaption>`, the caption from `caption=` or from the text after the
/// image.
fn caption(code: &Shortcode) -> Option<String> {
    let content = code.content.as_deref()?.trim();
    let (image, text) = split_image(content);
    let text = code.attr("caption").map(str::to_owned).unwrap_or_else(|| text.trim().to_owned());
    let mut out = String::from("<figure");
    if let Some(id) = code.attr("id").filter(|id| !id.is_empty()) {
        let _ = write!(out, " id=\"{}\"", escape_attr(id));
    }
    if let Some(width) = code.attr("width").and_then(|w| w.parse::<u32>().ok()) {
        let _ = write!(out, " style=\"width: {width}px\"");
    }
    let align = code.attr("align").unwrap_or("alignnone");
    let _ = write!(out, " class=\"wp-caption {}\">{image}", escape_attr(align));
    if !text.is_empty() {
        let _ = write!(out, "<figcaption class=\"wp-caption-text\">{text}</figcaption>");
    }
    out.push_str("</figure>");
    Some(out)
}

/// `(<a …>)?<img …>(</a>)?` at the start of a caption's content, and the rest.
fn split_image(content: &str) -> (&str, &str) {
    let mut end = 0;
    let rest = content;
    if rest.starts_with("<a ")
        && let Some(close) = rest.find('>')
    {
        end = close + 1;
    }
    let after_a = rest[end..].trim_start();
    let skipped = rest[end..].len() - after_a.len();
    if after_a.starts_with("<img")
        && let Some(close) = after_a.find('>')
    {
        end += skipped + close + 1;
        let after_img = &rest[end..];
        let trimmed = after_img.trim_start();
        if let Some(after) = trimmed.strip_prefix("</a>") {
            end = rest.len() - after.len();
        }
        return (&content[..end], &content[end..]);
    }
    ("", content)
}

fn gallery(code: &Shortcode, attachments: &dyn Attachments, problems: &mut Vec<String>) -> Option<String> {
    let ids = code.attr("ids").or_else(|| code.attr("include"));
    let urls: Vec<String> = match ids {
        Some(ids) => ids
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .filter_map(|id| {
                let url = attachments.url(id);
                if url.is_none() {
                    problems.push(format!("[gallery] names attachment {id}, which the export does not hold"));
                }
                url
            })
            .collect(),
        None => attachments.children(),
    };
    if urls.is_empty() {
        problems.push("[gallery] shows no image: the export holds none of its attachments".to_owned());
        return None;
    }
    let columns = code.attr("columns").and_then(|c| c.parse::<u32>().ok()).unwrap_or(3);
    let mut out = format!("<div class=\"gallery gallery-columns-{columns}\">");
    for url in urls {
        let url = escape_attr(&url);
        let _ =
            write!(out, "<figure class=\"gallery-item\"><a href=\"{url}\"><img src=\"{url}\" alt=\"\" /></a></figure>");
    }
    out.push_str("</div>");
    Some(out)
}

/// An embed becomes a link to what it embedded: the player WordPress
/// asked the provider for (oEmbed) is not in the export.
fn embed(code: &Shortcode) -> Option<String> {
    let url = code.content.as_deref().or_else(|| code.attr("src")).map(str::trim).filter(|u| !u.is_empty())?;
    let url = escape_attr(url);
    Some(format!("<p><a href=\"{url}\">{url}</a></p>"))
}

fn media(code: &Shortcode) -> Option<String> {
    let keys: &[&str] =
        if code.name == "video" { &["src", "mp4", "m4v", "webm", "ogv"] } else { &["src", "mp3", "ogg", "m4a", "wav"] };
    let src = keys.iter().find_map(|k| code.attr(k))?;
    Some(format!("<{0} controls src=\"{1}\"><a href=\"{1}\">{1}</a></{0}>", code.name, escape_attr(src)))
}

/// The tags that open a CommonMark HTML block of type 6, which runs to the
/// next blank line.
const HTML_BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "iframe",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// `html` as one HTML block of Markdown: no blank line in it (a blank line
/// ends an HTML block and would let Markdown read what follows: an
/// indented line as code, `*` as emphasis), opening with a block tag.
/// Inside `<pre>` and `<textarea>` a blank line is kept as `&#10;` at the
/// end of the line before, the same text for a browser.
pub fn for_markdown(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut keep_lines = 0usize;
    for line in html.split('\n') {
        let opens = count_tags(line, "<pre") + count_tags(line, "<textarea");
        let closes = line.matches("</pre>").count() + line.matches("</textarea>").count();
        if line.trim().is_empty() {
            if keep_lines > 0 {
                // The line break is kept, written as a character reference.
                if out.ends_with('\n') {
                    out.pop();
                }
                out.push_str(line);
                out.push_str("&#10;");
                out.push('\n');
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
        keep_lines = (keep_lines + opens).saturating_sub(closes);
    }
    let body = out.trim_end().to_owned();
    if body.is_empty() {
        return body;
    }
    let opens_block = body.strip_prefix('<').is_some_and(|rest| {
        let name_len = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
        let name = rest[..name_len].to_ascii_lowercase();
        HTML_BLOCK.contains(&name.as_str()) && rest[name_len..].starts_with([' ', '\t', '\n', '>', '/'])
    });
    if opens_block { format!("{body}\n") } else { format!("<div>\n{body}\n</div>\n") }
}

fn count_tags(line: &str, open: &str) -> usize {
    line.match_indices(open).filter(|(at, _)| line[at + open.len()..].starts_with([' ', '>', '\t'])).count()
}

/// Every URL of `src`, `href`, `poster` and `srcset` attributes passed to
/// `f`, which may give another (already fit for an attribute value).
pub fn rewrite_urls(html: &str, f: &mut dyn FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let at = i + off;
        out.push_str(&html[i..at]);
        let rest = &html[at..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            out.push_str(&rest[..end]);
            i = at + end;
            continue;
        }
        let Some(end) = tag_end(rest) else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rewrite_tag(&rest[..end], f));
        i = at + end;
    }
    out.push_str(&html[i..]);
    out
}

/// The end of the tag at the start of `s` (after its `>`), quotes respected.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            (None, '<') => return Some(i),
            _ => {}
        }
    }
    None
}

fn rewrite_tag(tag: &str, f: &mut dyn FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(tag.len());
    let mut i = 0;
    let bytes = tag.as_bytes();
    while i < tag.len() {
        // An attribute's name starts after white space.
        if i > 0 && bytes[i - 1].is_ascii_whitespace() {
            let name_len = tag[i..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'-').count();
            let name = tag[i..i + name_len].to_ascii_lowercase();
            let after = &tag[i + name_len..];
            if matches!(name.as_str(), "src" | "href" | "poster" | "srcset")
                && let Some(value_part) = after.strip_prefix('=')
                && let Some(q @ ('"' | '\'')) = value_part.chars().next()
                && let Some(close) = value_part[1..].find(q)
            {
                let value = &value_part[1..1 + close];
                let new = if name == "srcset" {
                    value
                        .split(',')
                        .map(|candidate| {
                            let candidate = candidate.trim();
                            let (url, size) = candidate.split_once(' ').unwrap_or((candidate, ""));
                            let url = f(url).unwrap_or_else(|| url.to_owned());
                            if size.is_empty() { url } else { format!("{url} {}", size.trim()) }
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                } else {
                    f(value).unwrap_or_else(|| value.to_owned())
                };
                let _ = write!(out, "{}={q}{new}{q}", &tag[i..i + name_len]);
                i += name_len + 1 + close + 2;
                continue;
            }
        }
        let c = tag[i..].chars().next().expect("not at the end");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The text of a bit of HTML (a title, an excerpt): tags dropped, the
/// entities WordPress's editors write decoded, white space collapsed.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let decoded = decode_entities(&text);
    let words: Vec<&str> = decoded.split_whitespace().collect();
    // Tags dropped between a word and its punctuation leave no space there.
    words.join(" ").replace(" ,", ",").replace(" .", ".")
}

/// `&amp;`, `&#8217;`, `&#x2019;` and the typographic names.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                Some(match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "nbsp" => '\u{a0}',
                    "hellip" => '…',
                    "ndash" => '–',
                    "mdash" => '—',
                    "lsquo" => '‘',
                    "rsquo" => '’',
                    "ldquo" => '“',
                    "rdquo" => '”',
                    "copy" => '©',
                    _ => return None,
                })
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Table;
    impl Attachments for Table {
        fn url(&self, id: &str) -> Option<String> {
            (id == "7").then(|| "https://ex.org/wp-content/uploads/2020/01/a.jpg".to_owned())
        }
        fn children(&self) -> Vec<String> {
            vec!["https://ex.org/wp-content/uploads/2020/01/child.jpg".to_owned()]
        }
    }

    #[test]
    fn block_comments_go_and_take_their_lines() {
        let html = "<!-- wp:paragraph -->\n<p>A</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:separator /-->\n<!-- note -->";
        assert_eq!(strip_block_comments(html), "<p>A</p>\n\n<!-- note -->");
        assert!(has_blocks(html));
    }

    #[test]
    fn captions_become_figures() {
        let html = "<p>[caption id=\"attachment_6\" align=\"alignright\" width=\"300\"]<a href=\"x.jpg\"><img src=\"x.jpg\" /></a> The Moon[/caption]</p>";
        let (out, problems) = shortcodes(html, &Table);
        assert_eq!(
            out,
            "<figure id=\"attachment_6\" style=\"width: 300px\" class=\"wp-caption alignright\"><a href=\"x.jpg\"><img src=\"x.jpg\" /></a>\
             <figcaption class=\"wp-caption-text\">The Moon</figcaption></figure>"
        );
        assert!(problems.is_empty());
    }

    #[test]
    fn galleries_embeds_and_unknown_shortcodes() {
        let (out, problems) = shortcodes("[gallery ids=\"7,9\"] [gallery] [embed]https://youtu.be/x[/embed]", &Table);
        assert!(out.contains("<img src=\"https://ex.org/wp-content/uploads/2020/01/a.jpg\""), "{out}");
        assert!(out.contains("child.jpg"), "{out}");
        assert!(out.contains("<a href=\"https://youtu.be/x\">https://youtu.be/x</a>"), "{out}");
        assert_eq!(problems, vec!["[gallery] names attachment 9, which the export does not hold"]);
        let (out, problems) = shortcodes("[[gallery]] [sic] [1] [contact-form-7 id=\"3\"]", &Table);
        assert_eq!(out, "[gallery] [sic] [1] [contact-form-7 id=\"3\"]");
        assert_eq!(problems, vec!["[contact-form-7] is left as written: no plain HTML stands for it"]);
    }

    #[test]
    fn markdown_sees_one_html_block() {
        assert_eq!(for_markdown("<p>a</p>\n\n<p>b</p>\n"), "<p>a</p>\n<p>b</p>\n");
        assert_eq!(for_markdown("text *not* emphasis"), "<div>\ntext *not* emphasis\n</div>\n");
        assert_eq!(for_markdown("<p>x</p>\n<pre>a\n\n    b\n</pre>"), "<p>x</p>\n<pre>a&#10;\n    b\n</pre>\n");
        // What pulldown-cmark makes of it is the HTML itself.
        let body = for_markdown("<p>a</p>\n\n    indented\n\n<p>_b_</p>");
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&body));
        assert_eq!(html, body);
    }

    #[test]
    fn urls_in_attributes_are_rewritten() {
        let html = "<a href=\"https://ex.org/u/a.pdf\">A</a><img src='https://ex.org/u/b.jpg' srcset=\"https://ex.org/u/b.jpg 1x, https://ex.org/u/c.jpg 2x\" alt=\"src=x\">";
        let out = rewrite_urls(html, &mut |url| url.strip_prefix("https://ex.org/u/").map(str::to_owned));
        assert_eq!(out, "<a href=\"a.pdf\">A</a><img src='b.jpg' srcset=\"b.jpg 1x, c.jpg 2x\" alt=\"src=x\">");
    }

    #[test]
    fn plain_text_of_titles_and_excerpts() {
        assert_eq!(plain_text("Markup: <em>Title</em> &amp; more&#8230;"), "Markup: Title & more…");
        assert_eq!(decode_entities("a &unknown; b &#x2019;"), "a &unknown; b ’");
    }
}
