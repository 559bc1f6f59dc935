//! The Tera template that shapes each item's HTML in the feeds. The default
//! is compiled in (it is `feeds/templates/item.html` of this repository); a
//! store overrides it with its own `feeds/templates/item.html`.

use std::path::Path;

use serde::Serialize;

use crate::content::{Item, Site, date};
use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::error::{Error, Result};

const DEFAULT_ITEM: &str = include_str!("../feeds/templates/item.html");
const ITEM: &str = "item.html";

pub struct Templates {
    tera: tera::Tera,
}

#[derive(Serialize)]
struct ItemCtx<'a> {
    title: &'a str,
    url: &'a str,
    summary: Option<&'a str>,
    date: String,
    updated: Option<String>,
    tags: &'a [String],
    authors: &'a [String],
    kind: Option<&'static str>,
    edition: Option<&'a str>,
    language: Option<&'a str>,
}

#[derive(Serialize)]
struct PdfCtx<'a> {
    url: &'a str,
    file_name: &'a str,
    size: u64,
    size_label: String,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    publisher: &'a str,
    base_url: &'a str,
}

impl Templates {
    /// The default templates, overridden by those found in `feeds_dir/templates/`.
    pub fn load(feeds_dir: &Path) -> Result<Templates, Vec<Diagnostic>> {
        let tera = load(feeds_dir, ITEM, DEFAULT_ITEM).map_err(|d| vec![d])?;
        Ok(Templates { tera })
    }

    /// The HTML of `item` whose body has been rendered to `content`.
    pub fn item_html(&self, site: &Site, item: &Item, content: &str) -> Result<String> {
        let tz = &site.timezone;
        let publication = item.publication.as_ref();
        let mut ctx = tera::Context::new();
        ctx.insert(
            "item",
            &ItemCtx {
                title: &item.title,
                url: &item.url,
                summary: item.summary.as_deref(),
                date: date::rfc3339(item.date, tz),
                updated: item.updated.map(|u| date::rfc3339(u, tz)),
                tags: &item.tags,
                authors: &item.authors,
                kind: publication.map(|p| p.kind.name()),
                edition: publication.and_then(|p| p.edition.as_deref()),
                language: publication.and_then(|p| p.language.as_deref()),
            },
        );
        ctx.insert("content", content);
        ctx.insert(
            "pdf",
            &publication.map(|p| PdfCtx {
                url: &p.pdf.url,
                file_name: &p.pdf.file_name,
                size: p.pdf.size,
                size_label: size_label(p.pdf.size),
            }),
        );
        ctx.insert(
            "site",
            &SiteCtx { title: &site.title, publisher: &site.publisher, base_url: site.base_url.as_str() },
        );
        self.tera.render(ITEM, &ctx).map_err(|e| Error::Render {
            what: format!("{} with the item template", item.source.display()),
            message: first_line(&e.to_string()),
        })
    }
}

/// The template `name`: the store's `feeds_dir/templates/<name>` if there is
/// one, else `default` (compiled in), parsed into a Tera instance of its own.
pub fn load(feeds_dir: &Path, name: &str, default: &str) -> Result<tera::Tera, Diagnostic> {
    let path = feeds_dir.join("templates").join(name);
    let text = match std::fs::read_to_string(&path) {
        // CR would reach the outputs: kept by JSON, read as LF by XML parsers.
        Ok(text) => text.replace("\r\n", "\n").replace('\r', "\n"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => default.to_owned(),
        Err(e) => return Err(Diagnostic::new(Code::Io, &path, Pos::FILE, format!("cannot read the template: {e}"))),
    };
    let mut tera = tera::Tera::new();
    tera.add_raw_template(name, &text)
        .map_err(|e| Diagnostic::new(Code::Template, &path, Pos::FILE, first_line(&e.to_string())))?;
    Ok(tera)
}

/// The first line of a Tera error: the rest repeats the template source.
pub fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).to_owned()
}

/// A size for people: `1.4 MB`, `812 kB`, `96 bytes` (decimal units).
pub fn size_label(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.0} kB", bytes as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.1} GB", bytes as f64 / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_labels() {
        assert_eq!(size_label(96), "96 bytes");
        assert_eq!(size_label(812_400), "812 kB");
        assert_eq!(size_label(1_400_000), "1.4 MB");
    }
}
