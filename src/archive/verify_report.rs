//! What `pressroom verify` found in a bundle: the report every reader of a
//! bag (a ZIP, a folder) and the bag checks fill alike.

use std::fmt;
use std::path::Path;

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The ZIP entry, or the bundle's file name for problems of the whole ZIP.
    pub entry: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.entry, self.message)
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
    /// Not damage, but not as the RFC or a careful tool writes a bag (a
    /// manifest line given twice, `sha256sum -b`'s `*`): the bag is checked
    /// all the same, and another tool may read it otherwise.
    pub warnings: Vec<Problem>,
    /// What verify cannot check, through no fault of the bag (a manifest
    /// algorithm or a compression method it does not know): with no
    /// problem found, the bundle is neither intact nor damaged (exit 5).
    pub unchecked: Vec<Problem>,
    /// What a reader should know that is not damage.
    pub notes: Vec<Problem>,
    /// The bag's top folder.
    pub top: Option<String>,
    pub payload_files: u64,
    pub payload_octets: u64,
}

impl Report {
    /// No damage found and everything checked.
    pub fn intact(&self) -> bool {
        self.problems.is_empty() && self.unchecked.is_empty()
    }

    /// The report of the bundle at `path` as an outcome: damaged, or not
    /// all of it checked (no damage found in the rest), else intact.
    pub fn verdict(&self, path: &Path) -> Result<()> {
        match (self.problems.len(), self.unchecked.len()) {
            (0, 0) => Ok(()),
            (0, reasons) => Err(Error::Unchecked { path: path.to_owned(), reasons }),
            (problems, _) => Err(Error::Damaged { path: path.to_owned(), problems }),
        }
    }

    /// The report of the bag under `top`, each list in order.
    pub(super) fn finished(mut self, top: String) -> Report {
        self.top = Some(top);
        self.problems.sort();
        self.warnings.sort();
        self.unchecked.sort();
        self.notes.sort();
        self
    }

    pub(super) fn problem(&mut self, entry: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem { entry: entry.into(), message: message.into() });
    }

    pub(super) fn warn(&mut self, entry: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Problem { entry: entry.into(), message: message.into() });
    }

    pub(super) fn cannot_check(&mut self, entry: impl Into<String>, message: impl Into<String>) {
        self.unchecked.push(Problem { entry: entry.into(), message: message.into() });
    }

    pub(super) fn note(&mut self, entry: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Problem { entry: entry.into(), message: message.into() });
    }
}
