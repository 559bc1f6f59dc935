//! Checked settings: the command line's raw paths and the environment turned
//! into what a build needs, before any work starts.

use std::path::PathBuf;
use std::time::Duration;

use jiff::Timestamp;

use crate::environment::Environment;
use crate::error::{Error, Result};
use crate::report;

#[derive(Debug, Clone)]
pub struct Settings {
    pub content: PathBuf,
    pub feeds: PathBuf,
    pub out: PathBuf,
    /// The moment the build runs as of: `SOURCE_DATE_EPOCH`, else the clock.
    /// It only decides which scheduled items are due; no output carries it.
    pub now: Timestamp,
    /// `SOURCE_DATE_EPOCH` when set: it also clamps archive timestamps.
    pub epoch: Option<Timestamp>,
    pub quiet: bool,
    /// Fault injection for tests (`PRESSROOM_FAIL_STAGE`): the named stage
    /// of the build fails as a full disk would, to prove that a failed build
    /// publishes nothing.
    pub fail_stage: Option<String>,
    /// The longest one render of a template may take.
    pub render_time: Duration,
    /// How problems are printed.
    pub report: report::ReportFormat,
    /// Colours in human output: stderr is a terminal and NO_COLOR is unset.
    pub color: bool,
    /// Warnings fail the run.
    pub deny_warnings: bool,
    /// `--into-existing`: write into a folder that holds other files.
    pub into_existing: bool,
    /// Wait for another build of the same output (no `--no-wait`).
    pub wait: bool,
}

impl Settings {
    /// Checks the paths and the environment's values.
    pub fn new(content: PathBuf, feeds: PathBuf, out: PathBuf, env: &Environment, quiet: bool) -> Result<Settings> {
        if !content.is_dir() {
            return Err(Error::Usage(format!(
                "{}: no content folder here (point at one with --content DIR)",
                content.display()
            )));
        }
        if !feeds.is_dir() {
            return Err(Error::Usage(format!(
                "{}: no feed definitions folder here (point at one with --feeds DIR)",
                feeds.display()
            )));
        }
        let epoch = match env.source_date_epoch.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => {
                let seconds: i64 = raw
                    .parse()
                    .map_err(|_| Error::Usage(format!("SOURCE_DATE_EPOCH={raw:?} is not a number of seconds")))?;
                Some(
                    Timestamp::from_second(seconds)
                        .map_err(|e| Error::Usage(format!("SOURCE_DATE_EPOCH={raw}: {e}")))?,
                )
            }
        };
        Ok(Settings {
            content,
            feeds,
            out,
            now: epoch.unwrap_or_else(Timestamp::now),
            epoch,
            quiet,
            fail_stage: env.fail_stage.clone(),
            render_time: env.render_time.unwrap_or(crate::template::MAX_TIME),
            report: report::ReportFormat::Human,
            color: false,
            deny_warnings: false,
            into_existing: false,
            wait: true,
        })
    }

    /// The flags of `build` alone.
    pub fn building(mut self, into_existing: bool, wait: bool) -> Settings {
        self.into_existing = into_existing;
        self.wait = wait;
        self
    }

    /// Settles how problems are reported: `format` if given, else GitHub
    /// workflow commands inside GitHub Actions, else text for people.
    pub fn reporting(
        mut self,
        format: Option<report::ReportFormat>,
        deny_warnings: bool,
        env: &Environment,
    ) -> Settings {
        self.report = report::chosen(format, env.github_actions);
        self.color = std::io::IsTerminal::is_terminal(&std::io::stderr()) && !env.no_color;
        self.deny_warnings = deny_warnings;
        self
    }
}
