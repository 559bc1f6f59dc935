//! The few XML shapes the RSS, Atom and sitemap writers are made of, over
//! `quick_xml::Writer`. The feeds were once written by the `rss` and
//! `atom_syndication` crates, which build these same quick-xml events; by
//! writing the events ourselves, every text and attribute still goes through
//! quick-xml's escaping (`BytesText::new`, attributes given as `&str`; the
//! items' HTML in Atom through the same escaping without quick-xml's copy,
//! `long_text_with`, checked against it below), and CDATA through its `]]>`
//! splitting (`BytesCData::escaped`), so the bytes stay those the crates
//! wrote, without building their structs or cutting their documents apart.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesCData, BytesEnd, BytesStart, BytesText, Event};

/// `<name a="v"…>`, the values escaped.
pub fn start<W: Write>(w: &mut Writer<W>, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
    w.write_event(Event::Start(element(name, attributes)))
}

/// `<name a="v"…/>`, the values escaped.
pub fn empty<W: Write>(w: &mut Writer<W>, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
    w.write_event(Event::Empty(element(name, attributes)))
}

pub fn end<W: Write>(w: &mut Writer<W>, name: &str) -> io::Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// `<name>text</name>`, the text escaped; an empty text still gets both tags,
/// as the crates wrote it.
pub fn text<W: Write>(w: &mut Writer<W>, name: &str, text: &str) -> io::Result<()> {
    text_with(w, name, &[], text)
}

/// `text` with attributes on the start tag.
pub fn text_with<W: Write>(w: &mut Writer<W>, name: &str, attributes: &[(&str, &str)], text: &str) -> io::Result<()> {
    start(w, name, attributes)?;
    w.write_event(Event::Text(BytesText::new(text)))?;
    end(w, name)
}

/// `text_with` for a long text (an item's HTML in Atom), on a writer that
/// does not indent (an indenting one keeps `</name>` on the text's line
/// only when it sees the text event): the same bytes, escaped straight
/// into the output.
pub fn long_text_with<W: Write>(
    w: &mut Writer<W>,
    name: &str,
    attributes: &[(&str, &str)],
    text: &str,
) -> io::Result<()> {
    start(w, name, attributes)?;
    escape_into(w.get_mut(), text)?;
    end(w, name)
}

/// `text` escaped as `BytesText::new` escapes it (quick-xml's `escape`: `<`,
/// `>`, `&`, `'`, `"` as entities), written straight to `out`. quick-xml
/// builds an escaped copy first, growing it as it goes, then copies that:
/// with every item's HTML escaped in Atom, that was a tenth of a build.
fn escape_into<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    let bytes = text.as_bytes();
    let mut from = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'&' => b"&amp;",
            b'\'' => b"&apos;",
            b'"' => b"&quot;",
            _ => continue,
        };
        out.write_all(&bytes[from..at])?;
        out.write_all(entity)?;
        from = at + 1;
    }
    out.write_all(&bytes[from..])
}

/// `<name><![CDATA[…]]></name>`: a `]]>` in `text` ends one CDATA section
/// and starts the next, as quick-xml splits it (and the `rss` crate with it).
pub fn cdata<W: Write>(w: &mut Writer<W>, name: &str, text: &str) -> io::Result<()> {
    start(w, name, &[])?;
    BytesCData::escaped(text).try_for_each(|part| w.write_event(Event::CData(part)))?;
    end(w, name)
}

fn element<'a>(name: &'a str, attributes: &[(&'a str, &'a str)]) -> BytesStart<'a> {
    let mut element = BytesStart::new(name);
    for &attribute in attributes {
        element.push_attribute(attribute);
    }
    element
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ours(text: &str) -> String {
        let mut out = Vec::new();
        escape_into(&mut out, text).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_as_quick_xml_does() {
        let text = "<p class=\"a\">Tom & Jerry's \u{e9}t\u{e9}</p>\t\n ]]>";
        assert_eq!(ours(text), quick_xml::escape::escape(text));
        assert_eq!(ours(""), "");
    }

    proptest! {
        #[test]
        fn escapes_any_text_as_quick_xml_does(text in ".*") {
            prop_assert_eq!(ours(&text), quick_xml::escape::escape(text.as_str()));
        }
    }
}
