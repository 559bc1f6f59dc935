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
    /// A renderer failed writing `document` for a reason that is neither
    /// the content's (`Config`, `Content`) nor the disk's (`Io`: a staged
    /// file keeps its own write errors): in practice a bug, as the
    /// renderers write to memory or to such a file.
    Render { document: Document, source: io::Error },
    /// Another build holds the output folder's lock (`--no-wait`); `holder`
    /// says which, as its lock file does ("the build of process 4242").
    Busy { lock: PathBuf, holder: Option<String> },
    /// SIGINT, SIGTERM or SIGHUP stopped the build; nothing was published.
    Interrupted(i32),
    /// `verify` was given something it cannot check: a tar file, not a ZIP.
    Unverifiable { path: PathBuf, what: String },
    /// `verify` found damage in the bundle at `path`: `problems` of them,
    /// each printed before.
    Damaged { path: PathBuf, problems: usize },
    /// `verify` found no damage in the bundle at `path`, but could not
    /// check all of it, for `reasons` reasons printed before.
    Unchecked { path: PathBuf, reasons: usize },
}

/// An output document a renderer writes whole, named in its failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// A feed, by its path in the output (`news/rss.xml`).
    Feed(String),
    /// A feed's page for people, by the feed's name.
    Page(String),
    /// `feeds.opml`.
    Opml,
    /// `feeds-head.html`.
    FeedsHead,
    /// `sitemap.xml`, and its parts when it is an index.
    Sitemap,
    /// `robots.txt`.
    Robots,
    /// One of the archive's own documents, by its name under `archive/`.
    Archive(&'static str),
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Document::Feed(rel) => write!(f, "feed {rel}"),
            Document::Page(name) => write!(f, "the page of feed {name}"),
            Document::Opml => write!(f, "feeds.opml"),
            Document::FeedsHead => write!(f, "feeds-head.html"),
            Document::Sitemap => write!(f, "the sitemap"),
            Document::Robots => write!(f, "robots.txt"),
            Document::Archive(name) => write!(f, "archive/{name}"),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// 0 success, 1 content errors (a damaged bundle, for `verify`), 2
    /// usage or configuration, 3 I/O, 4 the output is locked by another
    /// build, 5 not something `verify` can check (all of), 128 + N stopped
    /// by signal N. A renderer's own failure (`Render`) shares 3 with I/O:
    /// the file it was writing was not written, and no status of its own is
    /// documented.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Content(_) | Error::Damaged { .. } => 1,
            Error::Usage(_) | Error::Config(_) => 2,
            Error::Io { .. } | Error::Render { .. } => 3,
            Error::Busy { .. } => 4,
            Error::Interrupted(signal) => 128 + *signal as u8,
            Error::Unverifiable { .. } | Error::Unchecked { .. } => 5,
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
            Error::Render { document, source } => write!(f, "rendering {document}: {source}"),
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
            Error::Damaged { path, problems } => {
                write!(f, "{}: {problems} problem{} found", path.display(), plural(*problems))
            }
            // Nothing wrong found, but not everything could be checked.
            Error::Unchecked { path, reasons } => write!(
                f,
                "{}: cannot be checked ({reasons} reason{} above); no damage found in the rest",
                path.display(),
                plural(*reasons)
            ),
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } | Error::Render { source, .. } => Some(source),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_variants_say_what_the_strings_said_with_their_status() {
        let disk = || io::Error::new(io::ErrorKind::StorageFull, "no space");
        let cases = [
            (
                Error::Render { document: Document::Feed("news/rss.xml".into()), source: disk() },
                "rendering feed news/rss.xml: no space",
                3,
            ),
            (Error::Render { document: Document::Opml, source: disk() }, "rendering feeds.opml: no space", 3),
            (Error::Render { document: Document::Sitemap, source: disk() }, "rendering the sitemap: no space", 3),
            (Error::Damaged { path: "b.zip".into(), problems: 1 }, "b.zip: 1 problem found", 1),
            (Error::Damaged { path: "b.zip".into(), problems: 2 }, "b.zip: 2 problems found", 1),
            (
                Error::Unchecked { path: "b.zip".into(), reasons: 1 },
                "b.zip: cannot be checked (1 reason above); no damage found in the rest",
                5,
            ),
            (Error::Busy { lock: "l".into(), holder: None }, "another run holds l (--no-wait: not waiting for it)", 4),
            (Error::Interrupted(15), "stopped by signal 15 (SIGTERM); the output was left as it was", 143),
        ];
        for (err, text, status) in cases {
            assert_eq!((err.to_string(), err.exit_code()), (text.to_owned(), status));
        }
    }
}
