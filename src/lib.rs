//! pressroom: reads a content store of Markdown news items and publications
//! and writes RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds, a sitemap,
//! robots.txt and archive bundles (BagIt zips) of the publications.
//!
//! # One front door
//!
//! [`Site::load`] reads and checks a site's inputs (the content store, the
//! feed definitions, the templates) once; [`Site::check`], [`Site::plan`]
//! and [`Site::build`] work from them. [`publish`], [`verify`] and
//! [`import_wordpress`] need no loaded site. Every one returns values:
//! problems as [`Diagnostic`]s (inside [`Error::Content`] and
//! [`Error::Config`] when they fail the run), summaries as structs; what a
//! run has to say while it runs (a wait for another build, progress of
//! long work) goes to a sink the caller gives, as [`Event`]s. The library
//! never writes to stdout or stderr and never ends the process but for a
//! template past its memory or time budget ([`on_budget_exceeded`]);
//! the `pressroom` binary is one front end over this door, and
//! [`Error::exit_code`] is the status it exits with.
//!
//! # A second front end
//!
//! A CI hook that checks a site, then builds it into a folder, keeping
//! every event to show later:
//!
//! ```
//! use pressroom::{BuildOptions, Event, Paths, Site};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! # let root = dir.path();
//! # std::fs::create_dir_all(root.join("content/news"))?;
//! # std::fs::create_dir_all(root.join("feeds"))?;
//! # std::fs::write(root.join("content/site.toml"), "title = \"Site\"\nbase_url = \"https://example.org\"\n\
//! #     description = \"D\"\nlanguage = \"en\"\npublisher = \"P\"\ncopyright = \"C\"\n")?;
//! # std::fs::write(root.join("content/news/2024-01-10-hello.md"), "+++\ntitle = \"Hello\"\ndate = 2024-01-10\n+++\n\nHello.\n")?;
//! # std::fs::write(root.join("feeds/news.toml"), "title = \"News\"\ndescription = \"D\"\nsection = \"news\"\nformats = [\"rss\", \"atom\"]\n")?;
//! let mut paths = Paths::new(root.join("content"), root.join("feeds"), root.join("public"));
//! paths.source_date_epoch = Some(1_767_225_600);
//! paths.deny_warnings = true;
//! let site = match Site::load(&paths) {
//!     Ok(site) => site,
//!     Err(pressroom::Error::Content(problems) | pressroom::Error::Config(problems)) => {
//!         for problem in &problems {
//!             eprintln!("{problem}");
//!         }
//!         return Err("the site has problems".into());
//!     }
//!     Err(other) => return Err(other.into()),
//! };
//! let checked = site.check()?;
//! assert!(checked.warnings.is_empty());
//! assert_eq!(checked.counts.news, 1);
//!
//! let planned = site.plan()?;
//! assert!(planned.files.iter().any(|f| f.path == "news/rss.xml" && f.kind == pressroom::FileKind::Feed));
//!
//! let mut events: Vec<Event> = Vec::new();
//! let summary = site.build(&BuildOptions::default(), |event| events.push(event))?;
//! assert!(summary.warnings.is_empty());
//! assert!(root.join("public/news/atom.xml").is_file());
//! // A site this small has no progress worth an event, and no wait.
//! assert!(!events.iter().any(|e| matches!(e, Event::Waiting { .. })));
//! println!("wrote {} files; {}", summary.files, summary.counts);
//! # Ok(())
//! # }
//! ```

mod archive;
mod build;
mod content;
mod diagnostic;
mod door;
mod error;
mod event;
mod fault;
mod feed_def;
mod fingerprint;
mod html_text;
mod import;
mod interrupt;
mod keys;
mod liquid;
mod markdown;
mod media_type;
mod out_path;
mod output;
mod plan;
mod planned;
mod progress;
mod proof;
mod proved;
#[cfg(feature = "publish")]
mod publish;
mod render;
mod reuse;
mod settings;
mod store_templates;
mod template;
mod toml_file;
mod url;
mod xml_chars;

#[cfg(feature = "publish")]
pub use door::publish;
pub use door::{BuildOptions, Checked, Paths, Site, on_budget_exceeded, verify, watch_signals};
pub use event::Event;
pub use planned::{FileKind, Planned, PlannedFile};

// The values the door takes and gives.
pub use archive::{Problem as VerifyProblem, Report as VerifyReport};
pub use build::{BuildSummary, Counts};
pub use content::Section;
pub use diagnostic::{Code, Diagnostic, Pos, Severity};
pub use error::{Document, Error, Result};
pub use import::{ImportOptions, ImportSummary, wordpress as import_wordpress};
pub use output::Committed;
#[cfg(feature = "publish")]
pub use publish::{PublishOptions, PublishSummary};

/// The system allocator, counting each template render's memory against its
/// budget (256 MiB). A program that renders untrusted templates installs it
/// (`#[global_allocator]`); without it, renders have no memory budget.
pub use template::memory::Counting as CountingAllocator;

/// What the fuzz targets (`fuzz/`) call: the parsers behind the door. Built
/// only by cargo-fuzz (`--cfg fuzzing`), never part of the library's
/// interface.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::archive::verify::verify_reader;
    pub use crate::content::Source;
    pub use crate::content::front_matter::{self, Matter, PublicationMatter};
    pub use crate::markdown::{References, first_paragraph, summary, to_html};
}

#[cfg(test)]
mod inside;
