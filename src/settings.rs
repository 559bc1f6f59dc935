//! Checked settings: the command line's raw paths and the environment turned
//! into what a build needs, before any work starts.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

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
    /// `SOURCE_DATE_EPOCH` when set: it also fixes archive timestamps.
    pub epoch: Option<Timestamp>,
    pub quiet: bool,
    /// Fault injection for tests (`PRESSROOM_FAIL_STAGE`): the named stage
    /// of the build fails as a full disk would, to prove that a failed build
    /// publishes nothing.
    pub fail_stage: Option<String>,
    /// How problems are printed.
    pub report: report::Format,
    /// Colours in human output: stderr is a terminal and NO_COLOR is unset.
    pub color: bool,
    /// Warnings fail the run.
    pub deny_warnings: bool,
}

impl Settings {
    /// Checks the paths; `source_date_epoch` is the variable's value, if set.
    pub fn new(
        content: PathBuf,
        feeds: PathBuf,
        out: PathBuf,
        source_date_epoch: Option<String>,
        quiet: bool,
    ) -> Result<Settings> {
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
        if inside(&out, &content) {
            return Err(Error::Usage(format!(
                "the output folder {} is inside the content folder {}: choose another --out",
                out.display(),
                content.display()
            )));
        }
        let epoch = match source_date_epoch.as_deref().map(str::trim) {
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
            fail_stage: std::env::var("PRESSROOM_FAIL_STAGE").ok().filter(|s| !s.is_empty()),
            report: report::Format::Human,
            color: false,
            deny_warnings: false,
        })
    }

    /// Settles how problems are reported: `format` if given, else GitHub
    /// workflow commands inside GitHub Actions, else text for people.
    pub fn reporting(mut self, format: Option<report::Format>, deny_warnings: bool) -> Settings {
        let env = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        self.report = format.unwrap_or(if env("GITHUB_ACTIONS").is_some_and(|v| v == "true") {
            report::Format::Github
        } else {
            report::Format::Human
        });
        self.color = std::io::IsTerminal::is_terminal(&std::io::stderr()) && env("NO_COLOR").is_none();
        self.deny_warnings = deny_warnings;
        self
    }
}

/// True when `path` is `dir` or below it (compared after resolving links).
fn inside(path: &Path, dir: &Path) -> bool {
    let Ok(dir) = dir.canonicalize() else { return false };
    // The output may not exist yet: resolve its nearest existing ancestor.
    let mut probe = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut rest = Vec::new();
    while !probe.exists() {
        match (probe.file_name(), probe.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                probe = parent.to_owned();
            }
            _ => return false,
        }
    }
    let Ok(mut resolved) = probe.canonicalize() else { return false };
    resolved.extend(rest.iter().rev());
    resolved.starts_with(dir)
}
