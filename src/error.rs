//! The one error type of the library. Each variant says what failed and
//! where; `exit_code` is the single place that maps a failure to the process
//! exit status documented in the README and `--help`.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Severity};

#[derive(Debug)]
pub enum Error {
    /// The content store or the feed definitions have problems; all of them
    /// are listed, errors and warnings, sorted by file and line.
    Content(Vec<Diagnostic>),
    /// The feed definitions or templates have problems (the store is fine).
    Config(Vec<Diagnostic>),
    /// The command line or a setting is wrong.
    Usage(String),
    /// Reading or writing a file failed.
    Io { path: PathBuf, source: io::Error },
    /// A renderer failed for a reason that is not the content's fault.
    Render { what: String, message: String },
    /// Another build holds the output folder's lock (`--no-wait`); `holder`
    /// says which, as its lock file does ("the build of process 4242").
    Busy { lock: PathBuf, holder: Option<String> },
    /// SIGINT, SIGTERM or SIGHUP stopped the build; nothing was published.
    Interrupted(i32),
    /// `verify` was given something it cannot check: a tar file, not a ZIP.
    Unverifiable { path: PathBuf, what: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// 0 success, 1 content errors, 2 usage or configuration, 3 I/O, 4 the
    /// output is locked by another build, 5 not something `verify` can
    /// check, 128 + N stopped by signal N.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Content(_) => 1,
            Error::Usage(_) | Error::Config(_) => 2,
            Error::Io { .. } | Error::Render { .. } => 3,
            Error::Busy { .. } => 4,
            Error::Interrupted(signal) => 128 + *signal as u8,
            Error::Unverifiable { .. } => 5,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(problems) | Error::Config(problems) => {
                for problem in problems {
                    writeln!(f, "{problem}")?;
                }
                let errors = problems.iter().filter(|p| p.severity() == Severity::Error).count();
                let warnings = problems.len() - errors;
                write!(
                    f,
                    "{errors} error{}, {warnings} warning{}: nothing was written",
                    plural(errors),
                    plural(warnings)
                )
            }
            Error::Usage(message) => write!(f, "{message}"),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Render { what, message } => write!(f, "rendering {what}: {message}"),
            Error::Busy { lock, holder } => {
                let who = holder.as_deref().unwrap_or("another run");
                write!(f, "{who} holds {} (--no-wait: not waiting for it)", lock.display())
            }
            Error::Interrupted(signal) => write!(
                f,
                "stopped by signal {signal} ({}); the output was left as it was",
                match signal {
                    1 => "SIGHUP",
                    2 => "SIGINT",
                    15 => "SIGTERM",
                    _ => "a signal",
                }
            ),
            Error::Unverifiable { path, what } => {
                write!(f, "{}: {what}, not a ZIP file: pressroom verify checks ZIP bundles only", path.display())
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Attaches a path to an `io::Result`, so no filesystem error goes out nameless.
pub trait IoContext<T> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn at(self, path: impl Into<PathBuf>) -> Result<T> {
        self.map_err(|e| Error::io(path, e))
    }
}
