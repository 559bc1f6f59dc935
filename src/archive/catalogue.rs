//! `data/index.html`: the catalogue a person sees on opening a bundle,
//! rendered with a Tera template. The default is compiled in (it is
//! `feeds/templates/index.html` of this repository); a store overrides it
//! with its own `feeds/templates/index.html`, as it does `item.html`. The
//! template's name ends in `.html`, so Tera escapes every value it prints.

use std::path::Path;

use serde::Serialize;

use super::index::Record;
use crate::content::Site;
use crate::error::{Error, Result};
use crate::templates::size_label;
use crate::url::encode_segment;

const DEFAULT_INDEX: &str = include_str!("../../feeds/templates/index.html");
const INDEX: &str = "index.html";

pub struct Catalogue {
    tera: tera::Tera,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    description: &'a str,
    publisher: &'a str,
    copyright: &'a str,
    base_url: &'a str,
    language: &'a str,
}

/// What the template knows of the bundle.
#[derive(Serialize)]
pub struct BundleCtx<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub bagging_date: &'a str,
    pub count: usize,
    pub size_label: String,
}

#[derive(Serialize)]
struct PublicationCtx<'a> {
    #[serde(flatten)]
    record: &'a Record,
    /// `YYYY-MM-DD` of `date` and of `updated`.
    day: &'a str,
    updated_day: Option<&'a str>,
    /// The PDF relative to `data/index.html`, percent-encoded.
    href: String,
    size_label: String,
}

impl Catalogue {
    /// The default template, or `feeds_dir/templates/index.html` if present.
    pub fn load(feeds_dir: &Path) -> Result<Catalogue> {
        let tera = crate::templates::load(feeds_dir, INDEX, DEFAULT_INDEX).map_err(|d| Error::Config(vec![d]))?;
        Ok(Catalogue { tera })
    }

    pub fn render(&self, site: &Site, bundle: &BundleCtx<'_>, records: &[Record]) -> Result<Vec<u8>> {
        let publications: Vec<PublicationCtx<'_>> = records
            .iter()
            .map(|r| PublicationCtx {
                record: r,
                day: r.date.get(..10).unwrap_or(&r.date),
                updated_day: r.updated.as_deref().map(|u| u.get(..10).unwrap_or(u)),
                href: r.path.split('/').skip(1).map(encode_segment).collect::<Vec<_>>().join("/"),
                size_label: size_label(r.size),
            })
            .collect();
        let mut ctx = tera::Context::new();
        ctx.insert(
            "site",
            &SiteCtx {
                title: &site.title,
                description: &site.description,
                publisher: &site.publisher,
                copyright: &site.copyright,
                base_url: site.base_url.as_str(),
                language: &site.language,
            },
        );
        ctx.insert("bundle", bundle);
        ctx.insert("publications", &publications);
        let html = self.tera.render(INDEX, &ctx).map_err(|e| Error::Render {
            what: format!("the archive catalogue of {}", bundle.name),
            message: crate::templates::first_line(&e.to_string()),
        })?;
        Ok(html.into_bytes())
    }
}
