//! The content store: `site.toml`, the news and publications that feeds are
//! made of, and the pages the sitemap lists. Loaded and checked once into a
//! `Store`; every output reads only that.

pub mod date;
mod fields;
mod file;
pub mod front_matter;
mod item;
mod item_key;
mod link;
mod page;
mod parsed_cache;
mod pdf;
pub mod place;
pub mod regular;
mod site;
mod source;
mod store;
pub mod url_pattern;
mod wire;

#[cfg(test)]
pub use item::PublicationKind;
pub use item::{Item, Pdf, Publication, Section};
pub use item_key::ItemKey;
pub use page::SectionPage;
pub use site::{SectionDef, Site};
pub use source::{Source, is_html};
pub use store::Store;
