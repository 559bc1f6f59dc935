//! The text of an HTML body, for its summary: what a reader of the page
//! sees before its excerpt mark, and in its first paragraph. An HTML body
//! (an `.html` post, a Markdown file holding raw HTML as every WordPress
//! import writes) is read by an HTML tokenizer (`lol_html`, which already
//! rewrites raw HTML's references), never as Markdown: Markdown would take
//! its indented lines for code and its `*` for emphasis, and finds no
//! paragraph in an HTML block.

use std::cell::RefCell;
use std::rc::Rc;

use lol_html::html_content::{Comment, Element, TextChunk, TextType};
use lol_html::{RewriteStrSettings, doc_comments, doc_text, element, rewrite_str};
use pulldown_cmark::{Event, Parser};

/// What an HTML body gives a summary, each as plain text (tags dropped,
/// character references decoded, white space collapsed).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HtmlText {
    /// The text before the first `<!--more-->` or `<!-- more -->` comment,
    /// when there is one and text before it.
    pub excerpt: Option<String>,
    /// The text of the first `<p>` element that holds any.
    pub first_paragraph: Option<String>,
}

/// The elements that end a line of text where they start or end, so that
/// `<p>A</p><p>B</p>` reads "A B". Each but `br` also closes an open `<p>`
/// (the HTML standard closes a `p` at the start of most of them, and a `p`
/// never outlives the element it is in).
const BLOCKS: &str = "address, article, aside, blockquote, br, caption, dd, details, dialog, div, dl, dt, \
                      fieldset, figcaption, figure, footer, form, h1, h2, h3, h4, h5, h6, header, hgroup, hr, \
                      li, main, menu, nav, ol, p, pre, section, summary, table, tbody, td, tfoot, th, thead, \
                      tr, ul";

/// The excerpt marks, as the text of their comments (see `markdown::MORE`).
const MORE: [&str; 2] = ["more", " more "];

#[derive(Default)]
struct Reading {
    /// The text so far, decoded, with a space at each block's edges.
    text: String,
    /// The current text node as written (its references not yet decoded):
    /// a reference may straddle two chunks.
    pending: String,
    /// Where the first excerpt mark is in `text`.
    mark: Option<usize>,
    /// Where the `<p>` open now starts in `text`.
    open_p: Option<usize>,
    /// The first paragraph that holds text, as a range of `text`.
    paragraph: Option<std::ops::Range<usize>>,
}

impl Reading {
    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let decoded = decode_references(&self.pending);
            self.text.extend(decoded.chars().filter(|&c| !crate::xml_chars::forbidden(c)));
            self.pending.clear();
        }
    }

    fn close_p(&mut self) {
        if let Some(start) = self.open_p.take()
            && self.paragraph.is_none()
            && self.text[start..].chars().any(|c| !c.is_whitespace())
        {
            self.paragraph = Some(start..self.text.len());
        }
    }

    /// A block's start (`start`) or end tag.
    fn block(&mut self, name: &str, start: bool) {
        self.flush();
        self.text.push(' ');
        if name != "br" {
            self.close_p();
            if start && name == "p" {
                self.open_p = Some(self.text.len());
            }
        }
    }
}

/// Reads `html` for its excerpt and first paragraph.
pub fn read(html: &str) -> HtmlText {
    let reading = Rc::new(RefCell::new(Reading::default()));
    let on_block = {
        let reading = Rc::clone(&reading);
        move |el: &mut Element| {
            let name = el.tag_name();
            reading.borrow_mut().block(&name, true);
            if let Some(handlers) = el.end_tag_handlers() {
                let reading = Rc::clone(&reading);
                handlers.push(Box::new(move |_end| {
                    reading.borrow_mut().block(&name, false);
                    Ok(())
                }));
            }
            Ok(())
        }
    };
    let on_text = |t: &mut TextChunk| {
        // Script, style and the like are not text a reader sees.
        if t.text_type() == TextType::Data {
            reading.borrow_mut().pending.push_str(t.as_str());
        }
        Ok(())
    };
    let on_comment = |c: &mut Comment| {
        let mut r = reading.borrow_mut();
        r.flush();
        if r.mark.is_none() && MORE.contains(&c.text().as_str()) {
            r.mark = Some(r.text.len());
        }
        Ok(())
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!(BLOCKS, on_block))
        .append_document_content_handler(doc_text!(on_text))
        .append_document_content_handler(doc_comments!(on_comment))
        // Not strict, as in `markdown::absolute_html`: text is read from
        // markup whose parsing context the tokenizer cannot tell, too.
        .with_strict(false);
    // It fails only past a memory limit, and none is set.
    let _ = rewrite_str(html, settings);
    let mut r = reading.borrow_mut();
    r.flush();
    r.close_p();
    let plain = |text: &str| {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!text.is_empty()).then_some(text)
    };
    HtmlText {
        excerpt: r.mark.and_then(|at| plain(&r.text[..at])),
        first_paragraph: r.paragraph.clone().and_then(|range| plain(&r.text[range])),
    }
}

/// `text` (HTML text as written) with its character references decoded
/// (`&amp;`, `&eacute;`, `&#8217;`, `&#x2019;`) and everything else as
/// written. Each reference is decoded by pulldown-cmark, which decodes
/// them as HTML does, by the HTML standard's table of 2,231 names: the
/// table is there already, and a reference alone is no Markdown syntax.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match reference_len(rest).and_then(|len| Some((len, decode_one(&rest[..len])?))) {
            Some((len, decoded)) => {
                out.push_str(&decoded);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The length of the reference `text` starts with, if it has one's shape:
/// `&`, a name or `#` and a number, `;`.
fn reference_len(text: &str) -> Option<usize> {
    let body = text.strip_prefix('&')?;
    let name = body.strip_prefix('#').unwrap_or(body);
    let len = name.bytes().take(33).take_while(u8::is_ascii_alphanumeric).count();
    let end = text.len() - name.len() + len;
    (len > 0 && text.as_bytes().get(end) == Some(&b';')).then_some(end + 1)
}

fn decode_one(reference: &str) -> Option<String> {
    if let Some(c) = windows_1252(reference) {
        return Some(c.to_string());
    }
    let mut text = String::new();
    for event in Parser::new(reference) {
        if let Event::Text(t) = event {
            text.push_str(&t);
        }
    }
    (text != reference).then_some(text)
}

/// A numeric reference to 128-159 (`&#146;`, `&#x96;`), which HTML reads
/// as Windows-1252's character there (’, –, €), not as the C1 control its
/// number names: the HTML standard's table of them, which CommonMark does
/// not follow. WordPress posts hold many.
fn windows_1252(reference: &str) -> Option<char> {
    let number = reference.strip_prefix("&#")?.strip_suffix(';')?;
    let code = match number.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => number.parse().ok()?,
    };
    const TABLE: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    let c = *TABLE.get(usize::try_from(code.checked_sub(0x80)?).ok()?)?;
    // The five the table leaves as they are are no text.
    (!c.is_control()).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_to_128_to_159_are_windows_1252_as_html_reads_them() {
        assert_eq!(decode_references("It&#146;s &#150; &#x80;5 &#133;"), "It’s – €5 …");
        assert_eq!(decode_references("&#160;&#127;"), "\u{a0}\u{7f}");
        assert_eq!(windows_1252("&#129;"), None);
    }

    fn excerpt(html: &str) -> Option<String> {
        read(html).excerpt
    }

    fn first_paragraph(html: &str) -> Option<String> {
        read(html).first_paragraph
    }

    #[test]
    fn the_excerpt_is_the_text_before_the_more_comment() {
        assert_eq!(excerpt("<p>Before the mark.</p>\n<!--more-->\n<p>After.</p>").as_deref(), Some("Before the mark."));
        assert_eq!(excerpt("<h2>Head</h2><p>A <em>b</em>.</p><!-- more --><p>C</p>").as_deref(), Some("Head A b."));
        assert_eq!(excerpt("<p>No mark.</p><!-- note -->"), None);
        assert_eq!(excerpt("<!--more--><p>Rest.</p>"), None);
        // Escaped, it is text, as a code block of Markdown renders it.
        assert_eq!(excerpt("<pre><code>&lt;!--more--&gt;</code></pre>"), None);
        // A script's text is no comment, and no text a reader sees.
        assert_eq!(excerpt("<p>A</p><script>x = '<!--more-->';</script><p>B</p><!--more-->").as_deref(), Some("A B"));
    }

    #[test]
    fn the_first_paragraph_is_the_first_p_with_text() {
        assert_eq!(first_paragraph("<p>First para.</p>\n<p>Second.</p>").as_deref(), Some("First para."));
        assert_eq!(
            first_paragraph(
                "<div><img src=\"a.png\" alt=\"x\"></div>\n<p>&nbsp;</p>\n<p>One\n  <a href=\"/\">two</a></p>"
            )
            .as_deref(),
            Some("One two")
        );
        // A p closed by the next block's start, or by the end of its parent.
        assert_eq!(first_paragraph("<p>A<p>B").as_deref(), Some("A"));
        assert_eq!(first_paragraph("<div><p>A</div><p>B</p>").as_deref(), Some("A"));
        assert_eq!(first_paragraph("<p>A<br>B</p>").as_deref(), Some("A B"));
        assert_eq!(first_paragraph("<h1>No paragraph</h1>"), None);
    }

    #[test]
    fn text_is_plain_its_references_decoded() {
        let html = "<p>Tom &amp; Jerry&#8217;s &eacute;t&eacute; &#x2014; &lt;b&gt; AT&T &unknown; &#12;x</p>";
        assert_eq!(first_paragraph(html).as_deref(), Some("Tom & Jerry’s été — <b> AT&T &unknown; x"));
        assert_eq!(decode_references("&amp"), "&amp");
        assert_eq!(decode_references("a&b;c&#;d"), "a&b;c&#;d");
    }
}
