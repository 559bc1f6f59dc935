//! The few XML shapes the RSS, Atom and sitemap writers are made of, over
//! `quick_xml::Writer`. The feeds were once written by the `rss` and
//! `atom_syndication` crates, which build these same quick-xml events; by
//! writing the events ourselves, every text and attribute still goes through
//! quick-xml's escaping (`BytesText::new`, attributes given as `&str`) and
//! CDATA through its `]]>` splitting (`BytesCData::escaped`), so the bytes
//! stay those the crates wrote, without building their structs or cutting
//! their documents apart.

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
