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

/// Stable problem codes: documented in `docs/problems.md`, never renumbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    Io,
    NotUtf8,
    NotRegularFile,
    FrontMatterMissing,
    FrontMatterUnclosed,
    FrontMatterSyntax,
    UnknownKey,
    MissingField,
    WrongType,
    BadDate,
    BadValue,
    DuplicateSlug,
    DuplicateId,
    PathCollision,
    PathTooLong,
    FileMissing,
    FileEscapes,
    FileNotPdf,
    ForbiddenChar,
    BrokenLink,
    BadBaseUrl,
    BadTimezone,
    BadUrlPattern,
    UnknownSection,
    UnknownFormat,
    Template,
    TemplateBudget,
    FutureItem,
    EmptyItem,
    LargePdf,
    EmptyFeed,
    OffSiteUrl,
    UnreadFile,
    KeptKeys,
    UnreadFiles,
    TemplateSyntax,
    Undated,
    Stub,
    DanglingLink,
    DroppedChar,
    BadExport,
    MissingUpload,
    Shortcode,
    NotKept,
}

impl Code {
    /// Every code, for the test that `docs/problems.md` lists them all.
    pub const ALL: &[Code] = &[
        Code::Io,
        Code::NotUtf8,
        Code::NotRegularFile,
        Code::FrontMatterMissing,
        Code::FrontMatterUnclosed,
        Code::FrontMatterSyntax,
        Code::UnknownKey,
        Code::MissingField,
        Code::WrongType,
        Code::BadDate,
        Code::BadValue,
        Code::DuplicateSlug,
        Code::DuplicateId,
        Code::PathCollision,
        Code::PathTooLong,
        Code::FileMissing,
        Code::FileEscapes,
        Code::FileNotPdf,
        Code::ForbiddenChar,
        Code::BrokenLink,
        Code::BadBaseUrl,
        Code::BadTimezone,
        Code::BadUrlPattern,
        Code::UnknownSection,
        Code::UnknownFormat,
        Code::Template,
        Code::TemplateBudget,
        Code::FutureItem,
        Code::EmptyItem,
        Code::LargePdf,
        Code::EmptyFeed,
        Code::OffSiteUrl,
        Code::UnreadFile,
        Code::KeptKeys,
        Code::UnreadFiles,
        Code::TemplateSyntax,
        Code::Undated,
        Code::Stub,
        Code::DanglingLink,
        Code::DroppedChar,
        Code::BadExport,
        Code::MissingUpload,
        Code::Shortcode,
        Code::NotKept,
    ];

    /// The stable number and name, e.g. `E0104 unknown-key`.
    pub fn id(self) -> &'static str {
        match self {
            Code::Io => "E0001",
            Code::NotUtf8 => "E0002",
            Code::NotRegularFile => "E0003",
            Code::FrontMatterMissing => "E0100",
            Code::FrontMatterUnclosed => "E0101",
            Code::FrontMatterSyntax => "E0102",
            Code::UnknownKey => "E0103",
            Code::MissingField => "E0104",
            Code::WrongType => "E0105",
            Code::BadDate => "E0106",
            Code::BadValue => "E0107",
            Code::ForbiddenChar => "E0108",
            Code::BrokenLink => "E0109",
            Code::DuplicateSlug => "E0201",
            Code::DuplicateId => "E0202",
            Code::PathCollision => "E0203",
            Code::PathTooLong => "E0204",
            Code::FileMissing => "E0301",
            Code::FileEscapes => "E0302",
            Code::FileNotPdf => "E0303",
            Code::BadBaseUrl => "E0401",
            Code::BadTimezone => "E0402",
            Code::BadUrlPattern => "E0403",
            Code::UnknownSection => "E0501",
            Code::UnknownFormat => "E0502",
            Code::Template => "E0503",
            Code::TemplateBudget => "E0504",
            Code::FutureItem => "W0101",
            Code::EmptyItem => "W0102",
            Code::LargePdf => "W0103",
            Code::EmptyFeed => "W0104",
            Code::OffSiteUrl => "W0105",
            Code::UnreadFile => "W0107",
            Code::KeptKeys => "N0101",
            Code::UnreadFiles => "N0102",
            Code::TemplateSyntax => "W0106",
            Code::Undated => "W0110",
            Code::Stub => "N0110",
            Code::DanglingLink => "W0108",
            Code::DroppedChar => "W0109",
            Code::BadExport => "E0701",
            Code::MissingUpload => "W0701",
            Code::Shortcode => "W0702",
            Code::NotKept => "W0703",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Code::Io => "io",
            Code::NotUtf8 => "not-utf8",
            Code::NotRegularFile => "not-regular-file",
            Code::FrontMatterMissing => "front-matter-missing",
            Code::FrontMatterUnclosed => "front-matter-unclosed",
            Code::FrontMatterSyntax => "front-matter-syntax",
            Code::UnknownKey => "unknown-key",
            Code::MissingField => "missing-field",
            Code::WrongType => "wrong-type",
            Code::BadDate => "bad-date",
            Code::BadValue => "bad-value",
            Code::ForbiddenChar => "forbidden-char",
            Code::BrokenLink => "broken-link",
            Code::DuplicateSlug => "duplicate-slug",
            Code::DuplicateId => "duplicate-id",
            Code::PathCollision => "path-collision",
            Code::PathTooLong => "path-too-long",
            Code::FileMissing => "file-missing",
            Code::FileEscapes => "file-escapes",
            Code::FileNotPdf => "file-not-pdf",
            Code::BadBaseUrl => "bad-base-url",
            Code::BadTimezone => "bad-timezone",
            Code::BadUrlPattern => "bad-url-pattern",
            Code::UnknownSection => "unknown-section",
            Code::UnknownFormat => "unknown-format",
            Code::Template => "template",
            Code::TemplateBudget => "template-budget",
            Code::FutureItem => "future-item",
            Code::EmptyItem => "empty-item",
            Code::LargePdf => "large-pdf",
            Code::EmptyFeed => "empty-feed",
            Code::OffSiteUrl => "off-site-url",
            Code::UnreadFile => "unread-file",
            Code::KeptKeys => "kept-keys",
            Code::UnreadFiles => "unread-files",
            Code::TemplateSyntax => "template-syntax",
            Code::Undated => "undated",
            Code::Stub => "stub",
            Code::DanglingLink => "dangling-link",
            Code::DroppedChar => "dropped-char",
            Code::BadExport => "bad-export",
            Code::MissingUpload => "missing-upload",
            Code::Shortcode => "shortcode",
            Code::NotKept => "not-kept",
        }
    }

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
        // In the enum's order: a code added in between and not here fails.
        assert!(Code::ALL.iter().enumerate().all(|(i, &c)| c as usize == i));
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
