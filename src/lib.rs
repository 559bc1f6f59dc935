//! pressroom: reads a content store of Markdown news items and publications
//! and writes RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds, a sitemap,
//! robots.txt and archive bundles (BagIt zips) of the publications.
//! `content` loads and checks the store into one `Store`; each module of
//! `render` turns it into bytes; `archive` streams the bundles; `output`
//! alone writes to disk; `build` is the recipe that runs them in order.

pub mod archive;
pub mod build;
pub mod cli;
pub mod content;
pub mod diagnostic;
pub mod environment;
pub mod error;
pub mod fault;
pub mod feed_def;
pub(crate) mod fingerprint;
mod import;
pub mod interrupt;
pub mod keys;
pub mod liquid;
pub mod markdown;
pub mod media_type;
pub mod out_path;
pub mod output;
pub mod plan;
pub mod progress;
pub mod proof;
pub(crate) mod proved;
#[cfg(feature = "publish")]
pub mod publish;
pub mod render;
pub mod report;
pub mod reuse;
pub mod settings;
pub mod store_templates;
pub mod template;
pub mod toml_file;
pub mod url;
pub mod xml_chars;

pub use error::{Error, Result};
/// `pressroom import wordpress`: the one entry point and what it takes and gives.
pub use import::{ImportOptions, ImportSummary, wordpress as import_wordpress};
