//! Where an item is published beyond its text: its page's URL when the
//! item sets its own (`url`), and the files its body shows or links with a
//! relative reference (`![The Moon](moon.png)`, `[data](img/chart.csv)`),
//! which are published at the URL the reference resolves to against the
//! item's URL, as PDFs are, so that the feeds' absolute links lead to a file.
//!
//! A reference is taken for a file when its last segment has an extension
//! (`moon.png`); one ending with `/` or without an extension is a link to a
//! page of the site and left alone, and one to a `.md` file is a content
//! link (`Store::content_url`). Only regular files inside the content
//! folder are published; a reference to a missing file is an error at its
//! line, as is one that would be published outside the base URL.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::Item;
use super::file::Ctx;
use super::item::{Asset, Publication, Section};
use super::source::Source;
use super::url_pattern::Values;
use crate::diagnostic::{Code, Diagnostic};

/// An item's own `url`: absolute http(s), or a path on the site (under
/// the base URL); an error with its line otherwise.
pub(super) fn own_url(
    src: &Source,
    base: &crate::url::BaseUrl,
    own: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let own = own.trim();
    let absolute =
        (own.starts_with("https://") || own.starts_with("http://")) && crate::url::BaseUrl::parse(own).is_ok();
    let path = own.starts_with('/') && !own.starts_with("//");
    let clean = !own.chars().any(|c| c.is_whitespace() || c.is_control()) && !own.split('/').any(|s| s == "..");
    match (absolute || path) && clean {
        true if path => Some(format!("{}{}", base.as_str(), &own[1..])),
        true => Some(own.to_owned()),
        false => {
            problems.push(
                Diagnostic::new(
                    Code::BadValue,
                    &src.path,
                    src.value_pos("url"),
                    format!("url {own:?} is not a page's address"),
                )
                .with_hint("an absolute https:// URL, or a path on the site such as /2019/05/our-news/"),
            );
            None
        }
    }
}

impl Ctx<'_> {
    /// The page's URL of an item (its `url`, else the section's pattern),
    /// and its PDF's URL and output path (the pdf pattern).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn place(
        &self,
        section: Section,
        src: &Source,
        date: Timestamp,
        slug: &str,
        own: Option<String>,
        publication: Option<&mut Publication>,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let base = &self.site.base_url;
        let tz = &self.site.timezone;
        let values = |file| Values { date: Some(date), tz, slug, section: section.dir(), file };
        if let Some(p) = publication {
            p.pdf.out_path = self.site.urls.pdf.segments(&values(&p.pdf.file_name));
            p.pdf.url = base.join(&p.pdf.out_path.iter().map(String::as_str).collect::<Vec<_>>(), false);
        }
        let pattern = match section {
            Section::News => &self.site.urls.news,
            Section::Publications => &self.site.urls.publications,
        };
        match own {
            Some(own) => own_url(src, base, &own, problems),
            None => {
                let placed = pattern.segments(&values(""));
                Some(base.join(&placed.iter().map(String::as_str).collect::<Vec<_>>(), pattern.is_folder()))
            }
        }
    }

    /// The files `src`'s body references, placed under the output folder
    /// by resolving each reference against `url`, the item's page.
    pub(super) fn assets(&self, src: &Source, url: &str, problems: &mut Vec<Diagnostic>) -> Vec<Asset> {
        let dir = src.path.parent().unwrap_or(Path::new("."));
        let base = self.site.base_url.as_str();
        let mut assets: Vec<Asset> = Vec::new();
        for &(offset, ref reference) in &src.references().files {
            let problem = |message: String, hint: &str| {
                Diagnostic::new(Code::BrokenLink, &src.path, src.body_pos(offset), message).with_hint(hint)
            };
            let decoded = percent_encoding::percent_decode_str(reference).decode_utf8_lossy().into_owned();
            let source = dir.join(&decoded);
            let real = match std::fs::symlink_metadata(&source).and_then(|_| source.canonicalize()) {
                Ok(real) if real.is_file() && real.starts_with(self.root_abs) => real,
                Ok(real) if real.is_file() => {
                    problems.push(problem(
                        format!("{reference:?} is a link to {}, outside the content folder", real.display()),
                        "keep the files a body shows inside content/",
                    ));
                    continue;
                }
                _ => {
                    problems.push(problem(
                        format!("{reference:?} leads to no file"),
                        "a relative reference to a file is relative to this Markdown file, e.g. moon.png beside it",
                    ));
                    continue;
                }
            };
            let published = crate::url::resolve(url, reference);
            let Some(rel) = published.strip_prefix(base).filter(|rel| !rel.is_empty()) else {
                problems.push(problem(
                    format!("{reference:?} would be published at {published}, outside the site's base URL"),
                    "keep the file beside the Markdown file, or in a folder below it",
                ));
                continue;
            };
            let rel = rel.split(['?', '#']).next().unwrap_or(rel);
            let out_path: Vec<String> = rel
                .split('/')
                .map(|s| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned())
                .collect();
            if !assets.iter().any(|a| a.out_path == out_path) {
                assets.push(Asset {
                    source: real,
                    out_path,
                    url: published.split(['?', '#']).next().unwrap_or("").to_owned(),
                });
            }
        }
        assets
    }
}

/// Every asset of the store's items, once per output path, in the items'
/// order: the files a build copies beside the PDFs.
pub fn all_assets(items: &[&Item]) -> Vec<(PathBuf, Vec<String>)> {
    let mut seen = std::collections::HashSet::new();
    items
        .iter()
        .flat_map(|item| &item.assets)
        .filter(|a| seen.insert(a.out_path.clone()))
        .map(|a| (a.source.clone(), a.out_path.clone()))
        .collect()
}
