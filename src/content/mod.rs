//! The content store: `site.toml`, the news and publications that feeds are
//! made of, and the pages the sitemap lists. Loaded and checked once into a
//! `Store`; every output reads only that.

pub mod date;
mod fields;
mod file;
pub mod front_matter;
mod item;
mod link;
mod page;
mod pdf;
pub mod place;
pub mod regular;
mod site;
mod source;
mod store;
pub mod url_pattern;

pub use item::{Item, Pdf, Publication, PublicationKind, Section};
pub use page::{Page, SectionPage};
pub use site::{Ids, Outputs, SectionDef, Site, is_language_tag};
pub use source::{Source, Syntax, is_html};
pub use store::Store;
