//! The streaming reader of a WordPress export (WXR: RSS 2.0 with the `wp:`,
//! `content:`, `excerpt:` and `dc:` namespaces). It hands out the channel,
//! each author and each `<item>` as it ends, and keeps nothing else: an
//! export of a gigabyte is read with one item's text in memory at a time.
//!
//! The export is input from elsewhere, so it is read defensively: a
//! DOCTYPE is refused (WordPress never writes one, and its entity
//! declarations are how a "billion laughs" file expands; quick-xml would
//! not expand them, but a body that silently lost its `&lol;` is no better),
//! any entity but XML's five and character references is an error, one
//! text over `MAX_TEXT` bytes is an error, and a file that ends inside an
//! element is called truncated. Every error names the line.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::error::{Error, IoContext, Result};

/// The longest text of one element: a post's body is rarely over a few
/// hundred kilobytes; past this the export is not one to trust.
pub const MAX_TEXT: usize = 64 << 20;

/// The channel's own fields (the site's).
#[derive(Debug, Default, Clone)]
pub struct Channel {
    pub title: String,
    pub link: String,
    pub description: String,
    pub language: String,
    pub base_blog_url: String,
}

/// One `<item>`: a post, a page, an attachment, a revision, a menu item…
#[derive(Debug, Default, Clone)]
pub struct RawItem {
    /// The line of its `<item>` in the export.
    pub line: usize,
    pub title: String,
    pub link: String,
    pub guid: String,
    pub creator: String,
    /// The body (`content:encoded`); empty when bodies were not asked for.
    pub content: String,
    pub excerpt: String,
    pub post_id: String,
    pub post_date: String,
    pub post_date_gmt: String,
    pub post_modified: String,
    pub post_modified_gmt: String,
    pub post_name: String,
    pub status: String,
    pub post_type: String,
    pub post_parent: String,
    pub password: String,
    pub attachment_url: String,
    /// `_wp_attached_file`: an attachment's path inside the uploads folder.
    pub attached_file: String,
    /// `(domain, name)`: `category`, `post_tag`, or another taxonomy.
    pub terms: Vec<(String, String)>,
}

/// What the reader hands out, in the export's order.
#[derive(Debug)]
pub enum Entry {
    /// Once, before the first author or item.
    Channel(Channel),
    Author {
        login: String,
        display_name: String,
    },
    Item(Box<RawItem>),
}

/// Counts the lines of what quick-xml has consumed, so that an item and an
/// error can be named by their line without a second read.
struct Lines<R> {
    inner: R,
    newlines: usize,
}

impl<R: BufRead> std::io::Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.newlines += buf[..n].iter().filter(|&&b| b == b'\n').count();
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Lines<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            self.newlines += buf[..amt.min(buf.len())].iter().filter(|&&b| b == b'\n').count();
        }
        self.inner.consume(amt);
    }
}

/// Reads the export at `path`, calling `visit` with each entry. With
/// `bodies` false, `content:encoded` is skipped (the first pass needs only
/// the small fields).
pub fn read(path: &Path, bodies: bool, mut visit: impl FnMut(Entry) -> Result<()>) -> Result<()> {
    let file = File::open(path).at(path)?;
    let mut reader = Reader::from_reader(Lines { inner: BufReader::with_capacity(1 << 16, file), newlines: 0 });
    reader.config_mut().check_end_names = true;
    reader.config_mut().check_comments = false;
    let mut state = State { path: path.to_owned(), bodies, ..State::default() };
    let mut buf = Vec::new();
    loop {
        let line = reader.get_ref().newlines + 1;
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => return Err(state.error(reader.get_ref().newlines + 1, format!("not well-formed XML: {e}"))),
        };
        match event {
            Event::DocType(text) => {
                let text = String::from_utf8_lossy(&text);
                let what = if text.contains("<!ENTITY") { " with entity declarations" } else { "" };
                return Err(state.error(
                    line,
                    format!(
                        "a DOCTYPE{what}: WordPress exports have none, and entities declared in one are refused \
                         (an \"entity bomb\" expands a few bytes into gigabytes)"
                    ),
                ));
            }
            Event::Start(start) => state.start(&start, line)?,
            Event::Empty(start) => {
                state.start(&start, line)?;
                state.end(line, &mut visit)?;
            }
            Event::End(_) => state.end(line, &mut visit)?,
            Event::Text(text) => {
                let text = text.decode().map_err(|e| state.error(line, format!("not UTF-8 text: {e}")))?;
                state.text(&text, line)?;
            }
            Event::CData(data) => {
                let text = data.decode().map_err(|e| state.error(line, format!("not UTF-8 text: {e}")))?;
                state.text(&text, line)?;
            }
            Event::GeneralRef(reference) => {
                let resolved = if reference.is_char_ref() {
                    match reference.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => {
                            let raw = String::from_utf8_lossy(&reference);
                            return Err(state.error(line, format!("&{raw}; is not a character")));
                        }
                    }
                } else {
                    let name = String::from_utf8_lossy(&reference).into_owned();
                    match quick_xml::escape::resolve_xml_entity(&name) {
                        Some(text) => text.to_owned(),
                        None => {
                            return Err(state.error(
                                line,
                                format!(
                                    "the entity &{name}; is not one of XML's five (&amp; &lt; &gt; &quot; &apos;): \
                                     WordPress writes no other, and declared entities are refused"
                                ),
                            ));
                        }
                    }
                };
                state.text(&resolved, line)?;
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
        buf.clear();
    }
    let end = reader.get_ref().newlines + 1;
    if let Some((name, line)) = state.stack.last() {
        return Err(
            state.error(end, format!("the file ends inside <{name}> (opened at line {line}): the export is truncated"))
        );
    }
    if !state.wxr {
        return Err(state.error(end, not_wxr()));
    }
    Ok(())
}

fn not_wxr() -> String {
    "not a WordPress export (WXR): an <rss> document declaring the namespace \
     http://wordpress.org/export/1.x/ (xmlns:wp) was expected; make one with Tools → Export in WordPress"
        .to_owned()
}

#[derive(Default)]
struct State {
    path: PathBuf,
    bodies: bool,
    /// Open elements with the line each opened at.
    stack: Vec<(String, usize)>,
    /// Whether the root is `<rss>` with the `wp:` namespace of WXR.
    wxr: bool,
    channel: Channel,
    channel_sent: bool,
    item: Option<RawItem>,
    author: Option<(String, String)>,
    meta_key: String,
    meta_value: String,
    /// The text of the innermost open element, when it is one we keep.
    text: String,
    category_domain: String,
}

impl State {
    fn error(&self, line: usize, message: String) -> Error {
        Error::Content(vec![Diagnostic::new(Code::BadExport, &self.path, Pos::new(line, 1), message)])
    }

    fn start(&mut self, start: &BytesStart<'_>, line: usize) -> Result<()> {
        let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
        if self.stack.is_empty() {
            let declares_wp = start.attributes().flatten().any(|a| {
                a.key.as_ref() == b"xmlns:wp" && {
                    let v = String::from_utf8_lossy(&a.value);
                    v.contains("wordpress.org/export/")
                }
            });
            if name != "rss" || !declares_wp {
                return Err(self.error(line, not_wxr()));
            }
            self.wxr = true;
        }
        if self.stack.len() > 64 {
            return Err(self.error(line, "elements nested over 64 deep: not a WordPress export".into()));
        }
        match name.as_str() {
            "item" if self.item.is_none() => {
                self.item = Some(RawItem { line, ..RawItem::default() });
            }
            "wp:author" if self.item.is_none() => self.author = Some(Default::default()),
            "category" if self.item.is_some() => {
                self.category_domain = start
                    .try_get_attribute("domain")
                    .ok()
                    .flatten()
                    .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                    .unwrap_or_else(|| "category".into());
            }
            "wp:postmeta" => {
                self.meta_key.clear();
                self.meta_value.clear();
            }
            _ => {}
        }
        self.text.clear();
        self.stack.push((name, line));
        Ok(())
    }

    fn text(&mut self, text: &str, line: usize) -> Result<()> {
        let Some((name, _)) = self.stack.last() else { return Ok(()) };
        if name == "content:encoded" && !self.bodies {
            return Ok(());
        }
        if self.text.len() + text.len() > MAX_TEXT {
            return Err(self.error(line, format!("<{name}> holds over {} MiB of text", MAX_TEXT >> 20)));
        }
        self.text.push_str(text);
        Ok(())
    }

    fn end(&mut self, line: usize, visit: &mut impl FnMut(Entry) -> Result<()>) -> Result<()> {
        let Some((name, _)) = self.stack.pop() else {
            return Err(self.error(line, "a closing tag with no opening one".into()));
        };
        let text = std::mem::take(&mut self.text);
        let parent = self.stack.last().map(|(n, _)| n.as_str()).unwrap_or("");
        if let Some(item) = &mut self.item {
            let field = match name.as_str() {
                "item" => {
                    let item = self.item.take().expect("an item is open");
                    self.flush_channel(visit)?;
                    return visit(Entry::Item(Box::new(item)));
                }
                "title" => &mut item.title,
                "link" => &mut item.link,
                "guid" => &mut item.guid,
                "dc:creator" => &mut item.creator,
                "content:encoded" => &mut item.content,
                "excerpt:encoded" => &mut item.excerpt,
                "wp:post_id" => &mut item.post_id,
                "wp:post_date" => &mut item.post_date,
                "wp:post_date_gmt" => &mut item.post_date_gmt,
                "wp:post_modified" => &mut item.post_modified,
                "wp:post_modified_gmt" => &mut item.post_modified_gmt,
                "wp:post_name" => &mut item.post_name,
                "wp:status" => &mut item.status,
                "wp:post_type" => &mut item.post_type,
                "wp:post_parent" => &mut item.post_parent,
                "wp:post_password" => &mut item.password,
                "wp:attachment_url" => &mut item.attachment_url,
                "category" => {
                    item.terms.push((std::mem::take(&mut self.category_domain), text.trim().to_owned()));
                    return Ok(());
                }
                "wp:meta_key" => &mut self.meta_key,
                "wp:meta_value" => &mut self.meta_value,
                "wp:postmeta" => {
                    if self.meta_key == "_wp_attached_file" {
                        item.attached_file = std::mem::take(&mut self.meta_value);
                    }
                    return Ok(());
                }
                _ => return Ok(()),
            };
            // Only the item's own fields: a comment's `wp:comment_date`
            // and the like are other names, never these.
            if parent == "item" || parent == "wp:postmeta" {
                *field = text;
            }
            return Ok(());
        }
        if let Some(author) = &mut self.author {
            match name.as_str() {
                "wp:author_login" => author.0 = text.trim().to_owned(),
                "wp:author_display_name" => author.1 = text.trim().to_owned(),
                "wp:author" => {
                    let (login, display_name) = self.author.take().expect("an author is open");
                    self.flush_channel(visit)?;
                    return visit(Entry::Author { login, display_name });
                }
                _ => {}
            }
            return Ok(());
        }
        if parent == "channel" {
            let field = match name.as_str() {
                "title" => &mut self.channel.title,
                "link" => &mut self.channel.link,
                "description" => &mut self.channel.description,
                "language" => &mut self.channel.language,
                "wp:base_blog_url" => &mut self.channel.base_blog_url,
                _ => return Ok(()),
            };
            *field = text.trim().to_owned();
        }
        if name == "channel" {
            self.flush_channel(visit)?;
        }
        Ok(())
    }

    fn flush_channel(&mut self, visit: &mut impl FnMut(Entry) -> Result<()>) -> Result<()> {
        if !self.channel_sent {
            self.channel_sent = true;
            visit(Entry::Channel(self.channel.clone()))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(xml: &str) -> Result<Vec<Entry>> {
        let dir = std::env::temp_dir().join(format!("pressroom-wxr-{}-{}", std::process::id(), xml.len()));
        std::fs::write(&dir, xml).unwrap();
        let mut out = Vec::new();
        let result = read(&dir, true, |e| {
            out.push(e);
            Ok(())
        });
        std::fs::remove_file(&dir).unwrap();
        result.map(|()| out)
    }

    fn error_line(result: Result<Vec<Entry>>) -> (usize, String) {
        match result {
            Err(Error::Content(list)) => (list[0].line, list[0].message.clone()),
            other => panic!("expected an export error, got {other:?}"),
        }
    }

    const HEAD: &str = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:wp=\"http://wordpress.org/export/1.2/\" \
                        xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n<title>T</title>\n";

    #[test]
    fn items_come_with_their_fields_and_line() {
        let xml = format!(
            "{HEAD}<item>\n<title>A &amp; B</title>\n<content:encoded><![CDATA[<p>x</p>]]></content:encoded>\n\
             <wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>2020/01/a.pdf</wp:meta_value></wp:postmeta>\n\
             <category domain=\"post_tag\" nicename=\"t\"><![CDATA[Tag]]></category>\n</item>\n</channel>\n</rss>\n"
        );
        let entries = entries(&xml).unwrap();
        let Entry::Channel(channel) = &entries[0] else { panic!() };
        assert_eq!(channel.title, "T");
        let Entry::Item(item) = &entries[1] else { panic!() };
        assert_eq!((item.line, item.title.as_str(), item.content.as_str()), (5, "A & B", "<p>x</p>"));
        assert_eq!(item.attached_file, "2020/01/a.pdf");
        assert_eq!(item.terms, vec![("post_tag".to_owned(), "Tag".to_owned())]);
    }

    #[test]
    fn bad_input_is_an_error_at_its_line() {
        let (line, message) = error_line(entries("<html><body>hi</body></html>"));
        assert_eq!(line, 1);
        assert!(message.contains("not a WordPress export"), "{message}");
        let (line, message) = error_line(entries(&format!("{HEAD}<item>\n<title>cut")));
        assert!(message.contains("truncated"), "{message}");
        assert_eq!(line, 6);
        let bomb =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY a \"aaaa\">\n<!ENTITY b \"&a;&a;&a;\">\n]>\n<rss/>";
        let (line, message) = error_line(entries(bomb));
        assert!(message.contains("entity declarations"), "{message}");
        assert_eq!(line, 2);
        let (line, message) = error_line(entries(&format!("{HEAD}<item><title>&lol;</title></item></channel></rss>")));
        assert!(message.contains("&lol;"), "{message}");
        assert_eq!(line, 5);
        let (line, message) = error_line(entries(&format!("{HEAD}\n<item><title>a</wrong></item></channel></rss>")));
        assert!(message.contains("not well-formed"), "{message}");
        assert_eq!(line, 6);
    }
}
