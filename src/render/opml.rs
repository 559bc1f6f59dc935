//! The list of the site's feeds, for feed readers and for the site's own
//! pages: `feeds.opml` (OPML 2.0, the format readers import subscriptions
//! from: one outline per feed with `xmlUrl`, `htmlUrl` and `title`) and
//! `feeds-head.html`, the `<link rel="alternate">` autodiscovery tags that
//! the site's own templates can include in their `<head>`, one per feed and
//! format.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::content::Site;
use crate::feed_def::{FeedDef, Format};

/// The format an OPML outline points at: RSS where the feed has it, as
/// OPML's `type="rss"` expects, else the first it has.
fn main_format(def: &FeedDef) -> Format {
    if def.formats.contains(&Format::Rss) { Format::Rss } else { def.formats[0] }
}

fn feed_url(site: &Site, def: &FeedDef, format: Format) -> String {
    def.url(&site.base_url, format, None)
}

pub fn opml(site: &Site, feeds: &[FeedDef], out: &mut impl Write) -> io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    w.write_event(Event::Start(BytesStart::new("opml").with_attributes([("version", "2.0")])))?;
    w.write_event(Event::Start(BytesStart::new("head")))?;
    let title = format!("{}: feeds", site.title);
    w.create_element("title").write_text_content(BytesText::new(&title))?;
    w.create_element("ownerName").write_text_content(BytesText::new(&site.publisher))?;
    w.create_element("docs").write_text_content(BytesText::new("http://opml.org/spec2.opml"))?;
    w.write_event(Event::End(BytesEnd::new("head")))?;
    w.write_event(Event::Start(BytesStart::new("body")))?;
    for def in feeds.iter().filter(|d| !d.formats.is_empty()) {
        let format = main_format(def);
        let xml_url = feed_url(site, def, format);
        let html_url = site.base_url.join(&def.segments(), true);
        let kind = if format == Format::Rss { "rss" } else { "link" };
        w.write_event(Event::Empty(BytesStart::new("outline").with_attributes([
            ("type", kind),
            ("text", def.title.as_str()),
            ("title", def.title.as_str()),
            ("description", def.description.as_str()),
            ("xmlUrl", xml_url.as_str()),
            ("htmlUrl", html_url.as_str()),
            ("language", site.language.as_str()),
        ])))?;
    }
    w.write_event(Event::End(BytesEnd::new("body")))?;
    w.write_event(Event::End(BytesEnd::new("opml")))?;
    w.into_inner().write_all(b"\n")
}

/// `<link rel="alternate" …>` for every feed and format, one per line.
pub fn autodiscovery(site: &Site, feeds: &[FeedDef], out: &mut impl Write) -> io::Result<()> {
    for def in feeds {
        for &format in &def.formats {
            let title = format!("{} ({})", def.title, format.label());
            writeln!(
                out,
                "<link rel=\"alternate\" type=\"{}\" title=\"{}\" href=\"{}\">",
                format.media_type(),
                crate::markdown::escape_html(&title),
                crate::markdown::escape_html(&feed_url(site, def, format)),
            )?;
        }
    }
    Ok(())
}
