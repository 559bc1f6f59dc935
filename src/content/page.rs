//! A page of the site outside the feeds (About, FAQ…): only the sitemap
//! lists it, so only its URL and date are kept.

use std::path::PathBuf;

use jiff::Timestamp;

#[derive(Debug, Clone)]
pub struct Page {
    pub source: PathBuf,
    pub slug: String,
    pub title: String,
    pub url: String,
    pub updated: Option<Timestamp>,
}
