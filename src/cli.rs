//! The command line as typed (a module of the binary): each command with
//! the flags it uses (verify takes no --content, check no --out), turned
//! into a checked `Run` by `BuildArgs::run` and `CheckArgs::run` before any
//! work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use pressroom::{BuildOptions, Error, Paths, Result};

use crate::environment::Environment;
use crate::report;

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
Templates: a render may write 64 MiB, hold 256 MiB, take 10 s (past it: exit 2).

Environment:
  SOURCE_DATE_EPOCH  build as of this Unix time: items dated later are left
                     out, and no archive time is later than it.";

/// pressroom: a content store of Markdown news and publications in, RSS 2.0,
/// Atom 1.0 and JSON Feed 1.1 feeds, a sitemap and robots.txt out.
#[derive(Debug, Parser)]
#[command(name = "pressroom", version, after_help = EXIT_CODES, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Without a command, `pressroom` builds: `build`'s flags.
    #[command(flatten)]
    pub build: BuildArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the content store and write every output (the default command).
    Build(BuildArgs),
    /// Run every check of `build` and write nothing.
    Check(CheckArgs),
    /// Check an archive bundle (a BagIt zip, read without unzipping it) or
    /// a bag kept as a folder: exit 0 when intact, 1 when a problem was
    /// found (each is printed, naming the entry), 3 when it cannot be read,
    /// 5 when it is not something verify can check.
    Verify(VerifyArgs),
    /// Publish the built output folder (--out) to object storage: only the
    /// files pressroom wrote, only those that changed, in an order that
    /// never shows a reader a link to a missing object.
    #[cfg(feature = "publish")]
    Publish(PublishArgs),
    /// Make a content store from another system's export.
    #[command(subcommand)]
    Import(ImportCommand),
}

/// What `import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A WordPress export (Tools → Export: a WXR file) and its uploads
    /// folder: published posts become news items (or publications, with
    /// their PDF), pages pages; the rest is counted and left out. Writes a
    /// new or empty content folder, all or nothing.
    Wordpress(WordpressArgs),
}

/// Flags of `import wordpress`.
#[derive(Debug, Args)]
pub struct WordpressArgs {
    /// The export file (WXR, as WordPress's Tools → Export writes it).
    #[arg(value_name = "EXPORT.xml")]
    pub export: PathBuf,
    /// The site's wp-content/uploads folder: the PDFs and images the posts
    /// show are copied from it.
    #[arg(long, value_name = "DIR")]
    pub uploads: Option<PathBuf>,
    /// The content store to write (new or empty, unless --merge).
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// Read and convert everything, print the summary, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Add to a content folder that is not empty: files already there are
    /// left as they are, never replaced.
    #[arg(long)]
    pub merge: bool,
    /// Posts in this category or with this tag (by name) are publications,
    /// with the first PDF their body links as their file. Repeatable.
    #[arg(long, value_name = "NAME")]
    pub publications_category: Vec<String>,
    /// Import the posts of this custom post type as news items (custom
    /// types are listed and left out otherwise). Repeatable.
    #[arg(long, value_name = "TYPE")]
    pub post_type: Vec<String>,
    #[command(flatten)]
    pub report: ReportArgs,
}

impl WordpressArgs {
    pub fn options(&self) -> pressroom::ImportOptions {
        pressroom::ImportOptions {
            export: self.export.clone(),
            uploads: self.uploads.clone(),
            content: self.content.clone(),
            dry_run: self.dry_run,
            merge: self.merge,
            publication_categories: self.publications_category.clone(),
            post_types: self.post_type.clone(),
        }
    }
}

/// Where the content store and the feed definitions are.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The content store: site.toml, news/, publications/, pages/.
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub content: PathBuf,
    /// The feed definitions (one .toml per feed) and templates/.
    #[arg(long, value_name = "DIR", default_value = "feeds")]
    pub feeds: PathBuf,
}

/// How problems and messages are printed.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Print nothing but errors (no warnings, no notes, no summary).
    #[arg(long, short)]
    pub quiet: bool,
    /// How problems are printed [default: github when GITHUB_ACTIONS=true, else human].
    #[arg(long, value_enum)]
    pub format: Option<report::ReportFormat>,
}

/// Flags of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Where the outputs go: pressroom's files there are replaced when a
    /// build succeeds; no other file there is touched.
    #[arg(long, value_name = "DIR", default_value = "public")]
    pub out: PathBuf,
    /// Write into an existing folder that holds files pressroom did not
    /// write (a web root): they are kept, never replaced or removed.
    #[arg(long)]
    pub into_existing: bool,
    /// Exit at once (status 4) if another build is writing the same output
    /// folder, instead of waiting for it.
    #[arg(long)]
    pub no_wait: bool,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Flags of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The output folder of the builds whose cache check may read (only
    /// read: items they proved from the same inputs are not rendered again).
    #[arg(long, value_name = "DIR", default_value = "public")]
    pub out: PathBuf,
    /// As `build --into-existing`: the output folder may hold files
    /// pressroom did not write (a web root).
    #[arg(long)]
    pub into_existing: bool,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Flags of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The bundle, e.g. public/archive/NAME.zip, or a bag's folder.
    pub bundle: PathBuf,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// Flags of `publish`.
#[cfg(feature = "publish")]
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Where to: s3://BUCKET/PREFIX, gs://BUCKET/PREFIX,
    /// az://CONTAINER/PREFIX or file:///PATH. Credentials and endpoints
    /// come from the environment (AWS_*, GOOGLE_*, AZURE_*).
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// The built output folder to publish.
    #[arg(long, value_name = "DIR", default_value = "public")]
    pub out: PathBuf,
    /// Print the uploads and deletions, in order, without making them or
    /// creating anything.
    #[arg(long)]
    pub dry_run: bool,
    /// A TOML file overriding Content-Type and Cache-Control by key suffix
    /// ([content_type] and [cache_control] tables).
    #[arg(long, value_name = "FILE")]
    pub headers: Option<PathBuf>,
    /// Print nothing but errors (no summary). No `--format`: a publish has
    /// no problems to print, so one would change nothing, and clap refuses
    /// it as the usage error it is.
    #[arg(long, short)]
    pub quiet: bool,
}

impl BuildArgs {
    pub fn run(&self, env: &Environment) -> Result<Run> {
        let mut run = run(&self.store, self.out.clone(), &self.report, self.deny_warnings, env)?;
        run.build.into_existing = self.into_existing;
        run.build.wait = !self.no_wait;
        Ok(run)
    }
}

impl CheckArgs {
    pub fn run(&self, env: &Environment) -> Result<Run> {
        // `check` writes nothing: the output folder is looked at, and the
        // build cache beside it read.
        let mut run = run(&self.store, self.out.clone(), &self.report, self.deny_warnings, env)?;
        run.build.into_existing = self.into_existing;
        Ok(run)
    }
}

/// A command on the content store, checked: the site's places and options
/// for the library, and how the binary prints.
#[derive(Debug, Clone)]
pub struct Run {
    pub paths: Paths,
    pub build: BuildOptions,
    pub quiet: bool,
    /// How problems are printed.
    pub report: report::ReportFormat,
    /// Colours in human output: stderr is a terminal and NO_COLOR is unset.
    pub color: bool,
}

/// Reads the paths and the environment's values into what the door takes,
/// before any work starts.
fn run(store: &StoreArgs, out: PathBuf, report: &ReportArgs, deny_warnings: bool, env: &Environment) -> Result<Run> {
    // The folders, and the range of the time, are checked by the door
    // (`Site::load`), once.
    let (content, feeds) = (store.content.clone(), store.feeds.clone());
    let epoch = match env.source_date_epoch.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => {
            let seconds: i64 = raw
                .parse()
                .map_err(|_| Error::Usage(format!("SOURCE_DATE_EPOCH={raw:?} is not a number of seconds")))?;
            Some(seconds)
        }
    };
    let mut paths = Paths::new(content, feeds, out);
    paths.source_date_epoch = epoch;
    paths.deny_warnings = deny_warnings;
    if let Some(render_time) = env.render_time {
        paths.render_time = render_time;
    }
    let mut build = BuildOptions::default();
    build.fail_stage = env.fail_stage.clone();
    Ok(Run {
        paths,
        build,
        quiet: report.quiet,
        report: report::chosen(report.format, env.github_actions),
        color: std::io::IsTerminal::is_terminal(&std::io::stderr()) && !env.no_color,
    })
}
