//! `data/index.html`: the catalogue a person sees on opening a bundle,
//! rendered with the Tera template `index.html` of `Templates` (loaded and
//! compiled with the other inputs). The template's name ends in `.html`, so
//! Tera escapes every value it prints.

use serde::Serialize;

use super::index::IndexRecord;
use crate::content::Site;
use crate::error::{Error, Result};
use crate::store_templates::PageSite;
use crate::store_templates::size_label;
use crate::template::Template;
use crate::url::encode_segment;

pub struct Catalogue<'t> {
    template: &'t Template,
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
    record: &'a IndexRecord,
    /// `YYYY-MM-DD` of `date` and of `updated`.
    day: &'a str,
    updated_day: Option<&'a str>,
    /// The PDF relative to `data/index.html`, percent-encoded.
    href: String,
    size_label: String,
}

impl<'t> Catalogue<'t> {
    pub fn new(template: &'t Template) -> Catalogue<'t> {
        Catalogue { template }
    }

    pub fn render(&self, site: &Site, bundle: &BundleCtx<'_>, records: &[IndexRecord]) -> Result<Vec<u8>> {
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
        ctx.insert("site", &PageSite::of(site));
        ctx.insert("bundle", bundle);
        ctx.insert("publications", &publications);
        let subject = format!("the archive catalogue of {}", bundle.name);
        let html = self.template.render(&ctx, &subject).map_err(|d| Error::Config(vec![d]))?;
        Ok(html.into_bytes())
    }
}
