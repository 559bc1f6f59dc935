//! The outputs. Each module turns the loaded store (and, for feeds, one feed
//! definition) into bytes written to any `io::Write`; none of them touches
//! the output folder.

pub mod atom;
pub mod feed;
pub mod history;
pub mod jsonfeed;
pub mod opml;
pub mod page;
#[cfg(test)]
mod parity;
pub mod rss;
pub mod sitemap;
mod xml;

pub use feed::{Feed, item_html};
