//! `archive/index.html`: the archive's page for people, every bundle with
//! its scope, size, checksum and download link, and how to check a
//! download. Rendered from the listing the archive stage has just made, with
//! the Tera template `feeds/templates/archive.html` (built in, and a store
//! may override it), so the page and `index.json` never disagree.

use serde::Serialize;

use super::listing::ListedBundle;
use crate::content::Site;
use crate::error::{Error, Result};
use crate::store_templates::PageSite;
use crate::store_templates::size_label;
use crate::template::Template;
use crate::url::encode_segment;

pub struct ArchivePage<'t> {
    template: &'t Template,
}

#[derive(Serialize)]
struct ListedBundleCtx<'a> {
    name: &'a str,
    href: String,
    url: &'a str,
    scope: String,
    title: String,
    items: usize,
    size: u64,
    size_label: String,
    sha256: &'a str,
    sha512: &'a str,
    years: &'a [i16],
    /// The archive documents of the publications' feeds for this year.
    feeds: Vec<PeriodFeedCtx<'a>>,
}

#[derive(Serialize)]
struct PeriodFeedCtx<'a> {
    period: &'a str,
    title: &'a str,
    url: &'a str,
}

/// An archive document of a publications feed (RFC 5005), which the
/// archive's page links beside the bundle of the same year.
pub struct PeriodFeed {
    /// `2021`, `2021-05`…: the year first.
    pub period: String,
    pub title: String,
    pub url: String,
}

impl<'t> ArchivePage<'t> {
    pub fn new(template: &'t Template) -> ArchivePage<'t> {
        ArchivePage { template }
    }

    /// The page over `bundles` (the full bundle first, then the years,
    /// oldest first, as the listing has them): the years newest first.
    pub fn render(
        &self,
        site: &Site,
        bundles: &[ListedBundle],
        history: &[PeriodFeed],
        out: &mut impl std::io::Write,
    ) -> Result<()> {
        let (all, years) = bundles.split_at(usize::from(!bundles.is_empty()));
        let ordered = all.iter().chain(years.iter().rev());
        let bundles: Vec<ListedBundleCtx<'_>> = ordered
            .map(|b| {
                let (scope, title) = match (b.name.ends_with("-all.zip"), b.years.first(), b.years.last()) {
                    (true, Some(first), Some(last)) if first != last => {
                        ("all".to_owned(), format!("All publications, {first} to {last}"))
                    }
                    (true, ..) => ("all".to_owned(), "All publications".to_owned()),
                    (false, Some(year), _) => (year.to_string(), format!("Publications of {year}")),
                    (false, None, _) => (String::new(), b.name.clone()),
                };
                ListedBundleCtx {
                    name: &b.name,
                    href: encode_segment(&b.name),
                    url: &b.url,
                    scope,
                    title,
                    items: b.items,
                    size: b.size,
                    size_label: size_label(b.size),
                    sha256: &b.sha256,
                    sha512: &b.sha512,
                    years: &b.years,
                    feeds: history
                        .iter()
                        .filter(|f| scope_is_year(&f.period, &b.years, b.name.ends_with("-all.zip")))
                        .map(|f| PeriodFeedCtx { period: &f.period, title: &f.title, url: &f.url })
                        .collect(),
                }
            })
            .collect();
        let mut ctx = tera::Context::new();
        ctx.insert("site", &PageSite::of(site));
        ctx.insert("profile_href", "bagit-profile.json");
        ctx.insert("bundles", &bundles);
        let html = self.template.render(&ctx, "the archive page").map_err(|d| Error::Config(vec![d]))?;
        let document = crate::error::Document::Archive("index.html");
        out.write_all(html.as_bytes()).map_err(|source| Error::Render { document, source })
    }
}

/// True when an archive document of `period` belongs beside a year's bundle
/// (never beside the bundle of everything).
fn scope_is_year(period: &str, years: &[i16], all: bool) -> bool {
    !all && period.get(..4).and_then(|y| y.parse::<i16>().ok()).is_some_and(|y| years == [y])
}
