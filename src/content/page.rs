//! A page of the site outside the feeds (About, FAQ…): only the sitemap
//! lists it, so only its URL and date are kept.

use std::path::PathBuf;

use jiff::Timestamp;

#[derive(Debug, Clone)]
pub struct Page {
    pub source: PathBuf,
    pub slug: String,
    pub url: String,
    pub updated: Option<Timestamp>,
}

/// A section's own page, `_index.md` at the top of its folder (as Hugo and
/// Zola have it): not an item; its title and description may title the
/// section's feeds.
#[derive(Debug, Clone)]
pub struct SectionPage {
    pub source: PathBuf,
    pub title: Option<String>,
    pub description: Option<String>,
}
