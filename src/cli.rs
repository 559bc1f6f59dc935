//! The command line as typed: flags only, turned into `Settings` by
//! `Cli::settings` before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::error::Result;
use crate::report;
use crate::settings::Settings;

const EXIT_CODES: &str = "\
Exit status:
  0  success (warnings may have been printed)
  1  the content store has errors: each is listed with file:line:column
  2  usage or configuration error (command line, feed definitions, templates)
  3  I/O failure (a file could not be read or written; its path is named;
     for `publish`, a request the store refused: its key is named)
  4  `build --no-wait`: another build is writing the same output folder
  129, 130, 143  `build` stopped by SIGHUP, SIGINT, SIGTERM: nothing published
  `verify` exits 1 when the bundle has problems (each is printed), and
  5 when the file is not something it can check (a tar file, not a ZIP).
Templates: each render may write 64 MiB and take 10 s (past it: exit 2).

Environment:
  SOURCE_DATE_EPOCH  build as of this Unix time: items dated later are left
                     out, and no archive time is later than it.";

/// pressroom: a content store of Markdown news and publications in, RSS 2.0,
/// Atom 1.0 and JSON Feed 1.1 feeds, a sitemap and robots.txt out.
#[derive(Debug, Parser)]
#[command(name = "pressroom", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub paths: Paths,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the content store and write every output (the default command).
    Build(BuildArgs),
    /// Run every check of `build` and write nothing.
    Check,
    /// Check an archive bundle (a BagIt zip) without unzipping it: exit 0
    /// when intact, 1 when a problem was found (each is printed, naming the
    /// zip entry), 3 when the file cannot be read, 5 when it is not a ZIP.
    Verify {
        /// The bundle, e.g. public/archive/NAME.zip.
        bundle: PathBuf,
    },
    /// Publish the built output folder (--out) to object storage: only the
    /// files pressroom wrote, only those that changed, in an order that
    /// never shows a reader a link to a missing object.
    #[cfg(feature = "publish")]
    Publish(PublishArgs),
}

/// Flags of `publish` alone.
#[cfg(feature = "publish")]
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Where to: s3://BUCKET/PREFIX, gs://BUCKET/PREFIX,
    /// az://CONTAINER/PREFIX or file:///PATH. Credentials and endpoints
    /// come from the environment (AWS_*, GOOGLE_*, AZURE_*).
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// Print the uploads and deletions, in order, without making them.
    #[arg(long)]
    pub dry_run: bool,
    /// A TOML file overriding Content-Type and Cache-Control by key suffix
    /// ([content_type] and [cache_control] tables).
    #[arg(long, value_name = "FILE")]
    pub headers: Option<PathBuf>,
}

/// Flags of `build` alone.
#[derive(Debug, Default, Args)]
pub struct BuildArgs {
    /// Write into an existing folder that holds files pressroom did not
    /// write (a web root): they are kept, never replaced or removed.
    #[arg(long)]
    pub into_existing: bool,
    /// Exit at once (status 4) if another build is writing the same output
    /// folder, instead of waiting for it.
    #[arg(long)]
    pub no_wait: bool,
}

#[derive(Debug, Args)]
pub struct Paths {
    /// The content store: site.toml, news/, publications/, pages/.
    #[arg(long, global = true, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// The feed definitions (one .toml per feed) and templates/.
    #[arg(long, global = true, value_name = "DIR", default_value = "feeds")]
    pub feeds: PathBuf,
    /// Where the outputs go: pressroom's files there are replaced when a
    /// build succeeds; no other file there is touched.
    #[arg(long, global = true, value_name = "DIR", default_value = "public")]
    pub out: PathBuf,
    /// Print nothing but errors (no warnings, no notes, no summary).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// How problems are printed [default: github when GITHUB_ACTIONS=true, else human].
    #[arg(long, global = true, value_enum)]
    pub format: Option<report::Format>,
    /// Fail (exit 1) on warnings too.
    #[arg(long, global = true)]
    pub deny_warnings: bool,
}

impl Cli {
    pub fn settings(&self) -> Result<Settings> {
        let p = &self.paths;
        Settings::new(
            p.content.clone(),
            p.feeds.clone(),
            p.out.clone(),
            std::env::var("SOURCE_DATE_EPOCH").ok(),
            p.quiet,
        )
        .map(|settings| settings.reporting(self.paths.format, self.paths.deny_warnings))
    }
}
