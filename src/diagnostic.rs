//! A problem found in the content store or the feed definitions, pinned to a
//! file, line and column. Problems are collected, not thrown, so that one run
//! reports everything that is wrong (editors fix a store in one go).

use std::fmt;
use std::path::PathBuf;

/// How bad a problem is: errors stop a build, warnings do not (unless
/// `--deny-warnings`), notes never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Note,
}

/// Defines `Code` from one list of rows so that a code cannot be added to the
/// enum and miss `ALL` (and with it the test against `docs/problems.md`).
macro_rules! codes {
    ($($code:ident => ($id:literal, $name:literal),)*) => {
        /// Stable problem codes: documented in `docs/problems.md`, never renumbered.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// Every code, for the test that `docs/problems.md` lists them all.
            pub const ALL: &[Code] = &[$(Code::$code,)*];

            /// The stable number, e.g. `E0103`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Code::$code => $id,)*
                }
            }

            /// The stable name, e.g. `unknown-key`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$code => $name,)*
                }
            }
        }
    };
}

codes! {
    Io => ("E0001", "io"),
    NotUtf8 => ("E0002", "not-utf8"),
    NotRegularFile => ("E0003", "not-regular-file"),
    FrontMatterMissing => ("E0100", "front-matter-missing"),
    FrontMatterUnclosed => ("E0101", "front-matter-unclosed"),
    FrontMatterSyntax => ("E0102", "front-matter-syntax"),
    UnknownKey => ("E0103", "unknown-key"),
    MissingField => ("E0104", "missing-field"),
    WrongType => ("E0105", "wrong-type"),
    BadDate => ("E0106", "bad-date"),
    BadValue => ("E0107", "bad-value"),
    DuplicateSlug => ("E0201", "duplicate-slug"),
    DuplicateId => ("E0202", "duplicate-id"),
    PathCollision => ("E0203", "path-collision"),
    PathTooLong => ("E0204", "path-too-long"),
    FileMissing => ("E0301", "file-missing"),
    FileEscapes => ("E0302", "file-escapes"),
    FileNotPdf => ("E0303", "file-not-pdf"),
    ForbiddenChar => ("E0108", "forbidden-char"),
    BrokenLink => ("E0109", "broken-link"),
    BadBaseUrl => ("E0401", "bad-base-url"),
    BadTimezone => ("E0402", "bad-timezone"),
    BadUrlPattern => ("E0403", "bad-url-pattern"),
    UnknownSection => ("E0501", "unknown-section"),
    UnknownFormat => ("E0502", "unknown-format"),
    Template => ("E0503", "template"),
    TemplateBudget => ("E0504", "template-budget"),
    FutureItem => ("W0101", "future-item"),
    EmptyItem => ("W0102", "empty-item"),
    LargePdf => ("W0103", "large-pdf"),
    EmptyFeed => ("W0104", "empty-feed"),
    OffSiteUrl => ("W0105", "off-site-url"),
    UnreadFile => ("W0107", "unread-file"),
    KeptKeys => ("N0101", "kept-keys"),
    UnreadFiles => ("N0102", "unread-files"),
    TemplateSyntax => ("W0106", "template-syntax"),
    Undated => ("W0110", "undated"),
    Untitled => ("W0111", "untitled"),
    Stub => ("N0110", "stub"),
    CacheIgnored => ("N0111", "cache-ignored"),
    RobotsBelowRoot => ("N0112", "robots-below-root"),
    DanglingLink => ("W0108", "dangling-link"),
    DroppedChar => ("W0109", "dropped-char"),
    BadExport => ("E0701", "bad-export"),
    MissingUpload => ("W0701", "missing-upload"),
    Shortcode => ("W0702", "shortcode"),
    NotKept => ("W0703", "not-kept"),
}

impl Code {
    pub fn severity(self) -> Severity {
        match self.id().as_bytes()[0] {
            b'W' => Severity::Warning,
            b'N' => Severity::Note,
            _ => Severity::Error,
        }
    }
}

/// One problem. `line` and `column` are 1-based; 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, file: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic { code, file: file.into(), line: pos.line, column: pos.column, message: message.into(), hint: None }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// The bytes of the file the problem names (to show its line), read
    /// as the store reads its files: a regular file only, never a FIFO or
    /// a device that would block.
    pub fn read_file(&self) -> std::io::Result<Vec<u8>> {
        crate::content::regular::read(&self.file)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column.max(1))?;
        }
        write!(f, ": {severity}[{}]: {}", self.code.id(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// Puts problems in the one order every report shows them in: by file, then
/// place, then code. Stable, so problems at one place keep the order found
/// (not `Ord` on `Diagnostic`: that would disagree with its `Eq`).
pub fn sort_problems(problems: &mut [Diagnostic]) {
    problems.sort_by(|a, b| (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code)));
}

/// A 1-based position in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub const FILE: Pos = Pos { line: 0, column: 0 };

    pub fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }

    /// The position of byte `offset` in `text`.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Pos { line, column }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_list_every_code() {
        let docs = include_str!("../docs/problems.md");
        for code in Code::ALL {
            let row = format!("| {} | {} |", code.id(), code.name());
            assert!(docs.contains(&row), "docs/problems.md has no row {row}");
        }
        let mut ids: Vec<_> = Code::ALL.iter().map(|c| c.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), Code::ALL.len(), "two codes share an id");
    }

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(Pos::of_offset(text, 0), Pos::new(1, 1));
        assert_eq!(Pos::of_offset(text, 6), Pos::new(2, 1));
        // Columns count characters, not bytes.
        assert_eq!(Pos::of_offset(text, 9), Pos::new(2, 3));
    }

    #[test]
    fn display_names_file_line_and_code() {
        let d = Diagnostic::new(Code::UnknownKey, "news/a.md", Pos::new(3, 1), "unknown key \"tilte\"")
            .with_hint("did you mean \"title\"?");
        assert_eq!(d.to_string(), "news/a.md:3:1: error[E0103]: unknown key \"tilte\" (did you mean \"title\"?)");
    }
}
