//! The front door: `Site::load` reads and checks a site's inputs once;
//! `check`, `plan` and `build` work from them; `publish`, `verify` and
//! `import_wordpress` need no loaded site. Each returns values (problems,
//! summaries) and sends what it has to say while it runs to the caller's
//! sink as `Event`s: printing and exit codes are the front end's.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use jiff::Timestamp;

use crate::build::{self, BuildSummary, Counts};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::event::{self, Event};
use crate::planned::Planned;
use crate::proof::Inputs;
use crate::settings::Settings;

/// Where a site's inputs and output are, and what shapes loading them.
///
/// The output folder is one of the site's places (like mdBook's build
/// folder) rather than an argument of `build`: `check` reads the cache a
/// build left beside it (items proved from the same inputs are not
/// rendered again), `build` writes it, `publish` reads it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Paths {
    /// The content store: `site.toml`, `news/`, `publications/`, `pages/`.
    pub content: PathBuf,
    /// The feed definitions (`*.toml`) and the site's templates.
    pub feeds: PathBuf,
    /// The output folder.
    pub out: PathBuf,
    /// The Unix time the site is built as of (`SOURCE_DATE_EPOCH`): items
    /// dated later are left out, and no archive time is later than it.
    /// `None`: the clock, and archive times as the files have them.
    pub source_date_epoch: Option<i64>,
    /// Warnings fail `load`, `check` and `build` as errors do.
    pub deny_warnings: bool,
    /// The longest one render of a template may take (default 10 s).
    pub render_time: Duration,
}

impl Paths {
    /// The site at these three places, as of now, warnings allowed.
    pub fn new(content: impl Into<PathBuf>, feeds: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Paths {
        Paths {
            content: content.into(),
            feeds: feeds.into(),
            out: out.into(),
            source_date_epoch: None,
            deny_warnings: false,
            render_time: crate::template::MAX_TIME,
        }
    }
}

/// How `Site::build` treats the output folder.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BuildOptions {
    /// Write into a folder that holds files pressroom did not write (they
    /// are left as they are); without it such a folder is refused.
    pub into_existing: bool,
    /// Wait for another build or publish of the same output folder
    /// (`Event::Waiting` says for whom); without it, fail at once with
    /// `Error::Busy`.
    pub wait: bool,
    /// Fault injection for tests of the all-or-nothing promise: the named
    /// stage (`feeds`, `archive`, `commit`…) fails as a full disk would.
    pub fail_stage: Option<String>,
}

impl Default for BuildOptions {
    fn default() -> BuildOptions {
        BuildOptions { into_existing: false, wait: true, fail_stage: None }
    }
}

/// What `Site::check` found: the warnings and notes (errors fail it), and
/// how many items of each kind and section the site has.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Checked {
    pub warnings: Vec<Diagnostic>,
    pub counts: Counts,
}

/// A site's inputs, loaded and checked: the store, the feed definitions and
/// the templates, read once and shared by every command run on them.
pub struct Site {
    settings: Settings,
    inputs: Inputs,
}

impl Site {
    /// Loads the store, the feed definitions and the templates, collecting
    /// every problem of all three before giving up: `Error::Content` (the
    /// store has errors; its warnings listed too) or `Error::Config` (the
    /// feed definitions or templates have). With `deny_warnings`, a warning
    /// of the store fails it too.
    pub fn load(paths: &Paths) -> Result<Site> {
        // Said with the command line's options, as `Error::Busy` names
        // `--no-wait`: the binary checks nothing of its own here.
        let folders =
            [(&paths.content, "content folder", "--content"), (&paths.feeds, "feed definitions folder", "--feeds")];
        for (dir, what, option) in folders {
            if !dir.is_dir() {
                return Err(Error::Usage(format!(
                    "{}: no {what} here (point at one with {option} DIR)",
                    dir.display()
                )));
            }
        }
        let epoch = match paths.source_date_epoch {
            None => None,
            // The bags' Bagging-Date is this day: a year from 0001, as
            // every date of the content (`date::FIRST`).
            Some(seconds) => Some(
                Timestamp::from_second(seconds)
                    .map_err(|_| "after 9999-12-30T22:00:00Z, the last date pressroom takes".to_owned())
                    .and_then(|t| match t < crate::content::date::FIRST {
                        true => Err("before 0001-01-02T00:00:00Z, the first date pressroom takes".to_owned()),
                        false => Ok(t),
                    })
                    .map_err(|e| Error::Usage(format!("SOURCE_DATE_EPOCH={seconds}: {e}")))?,
            ),
        };
        let settings = Settings {
            content: paths.content.clone(),
            feeds: paths.feeds.clone(),
            out: paths.out.clone(),
            now: epoch.unwrap_or_else(Timestamp::now),
            epoch,
            fail_stage: None,
            render_time: paths.render_time,
            deny_warnings: paths.deny_warnings,
            into_existing: false,
            wait: true,
        };
        // A signal while loading (with `watch_signals`) fails the load as it
        // would fail a build.
        let inputs = build::load(&settings).map_err(|e| crate::interrupt::received().map_or(e, Error::Interrupted))?;
        Ok(Site { settings, inputs })
    }

    /// Every check of a build, nothing written: every document rendered
    /// (but those the last build of the output folder proved from the same
    /// inputs), every path planned, and the output folder's files where the
    /// build would write. Errors fail it as they fail `build`.
    pub fn check(&self) -> Result<Checked> {
        self.check_for(&BuildOptions::default())
    }

    /// `check` of a build with `options`: the output folder too, as that
    /// build would find it (`into_existing`), without writing to it.
    pub fn check_for(&self, options: &BuildOptions) -> Result<Checked> {
        let settings = Settings { into_existing: options.into_existing, ..self.settings.clone() };
        let (warnings, counts) = build::check(&settings, &self.inputs)?;
        Ok(Checked { warnings, counts })
    }

    /// The files a build would write, each with its path in the output
    /// folder and its kind, without rendering any: what a front end lists
    /// or a deploy step expects. Problems of the paths (two outputs at one
    /// path, a name too long) fail it as they fail `check`.
    pub fn plan(&self) -> Result<Planned> {
        Planned::of(&self.inputs, &self.settings.feeds)
    }

    /// Every page URL the content defines, which the site serves (pressroom
    /// writes feeds and files, not these pages): the base URL, each item's
    /// and each page's; what a link checker of the output starts from.
    pub fn page_urls(&self) -> Vec<String> {
        let store = &self.inputs.store;
        let items = store.news.iter().chain(&store.publications).map(|i| i.url.clone());
        let pages = store.pages.iter().map(|p| p.url.clone());
        std::iter::once(store.site.base_url.as_str().to_owned()).chain(items).chain(pages).collect()
    }

    /// Builds the site into the output folder: every document rendered into
    /// a staging folder beside it, then put in place at once; on any error
    /// nothing is published and the previous output stays as it was.
    /// `sink` hears waits for the output's lock and progress of the archive.
    /// The inputs are those `load` read: the lock is taken here, so a build
    /// that waits for another builds what was loaded before it waited.
    pub fn build(&self, options: &BuildOptions, mut sink: impl FnMut(Event) + Send) -> Result<BuildSummary> {
        let settings = Settings {
            into_existing: options.into_existing,
            wait: options.wait,
            fail_stage: options.fail_stage.clone(),
            ..self.settings.clone()
        };
        let sink = Mutex::new(&mut sink as &mut (dyn FnMut(Event) + Send));
        build::build(&settings, &self.inputs, &|e| event::send(&sink, e))
    }
}

/// Publishes a built output folder to object storage (`s3://`, `gs://`,
/// `az://`, `file://`): only what changed since the last publish is sent,
/// in an order that keeps every link working meanwhile. A free function,
/// not a method of `Site`: it reads the finished output folder and its
/// record only, so a CI job can publish what another job built, with no
/// content store at hand.
#[cfg(feature = "publish")]
pub fn publish(
    options: &crate::publish::PublishOptions,
    mut sink: impl FnMut(Event) + Send,
) -> Result<crate::publish::PublishSummary> {
    let sink = Mutex::new(&mut sink as &mut (dyn FnMut(Event) + Send));
    crate::publish::publish(options, &|e| event::send(&sink, e))
}

/// Checks an archive bundle (a BagIt zip pressroom or another tool wrote)
/// on its own: no site needed. The report lists what it found; its
/// `verdict` is the error that fails the bundle, if any.
pub fn verify(bundle: &Path) -> Result<crate::archive::Report> {
    crate::archive::verify(bundle)
}

/// Takes over SIGINT, SIGTERM and SIGHUP for the rest of the process: the
/// first stops a build or publish at its next step, which then fails with
/// `Error::Interrupted` having published nothing (a build) or recorded what
/// it sent (a publish); a second ends the process at once. A front end
/// that handles signals itself does not call it.
pub fn watch_signals() -> Result<()> {
    crate::interrupt::watch().map_err(|e| Error::io("signal handlers", e))
}

/// What to say when a template render runs past its budget (64 MiB written,
/// 256 MiB held with `CountingAllocator` installed, `Paths::render_time`):
/// such a render cannot be stopped from inside, so the process ends, exit
/// status 2, after the staging folder of the build is removed and `report`
/// has been called with the problem. The one place the library ends the
/// process; the first call sets `report` for the life of the process.
pub fn on_budget_exceeded(report: fn(&Diagnostic)) {
    crate::template::budget::on_exceeded(report);
}
