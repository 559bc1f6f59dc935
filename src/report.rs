//! Printing problems for people and for machines: `human` (the offending
//! line with a caret under the spot; colours only on a terminal and never
//! with NO_COLOR), `json` (one object per line) and `github` (workflow
//! commands, so problems show on the lines of a pull request). The problems
//! of the store, and those `verify` finds in a bundle, alike; in the
//! `github` format every message is escaped, so that no file name can start
//! a workflow command of its own.

use std::io::{self, Write};
use unicode_width::UnicodeWidthChar;

use crate::diagnostic::{Diagnostic, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
    Github,
}

/// The format asked for, else GitHub workflow commands inside GitHub
/// Actions, else text for people.
pub fn chosen(format: Option<ReportFormat>, github_actions: bool) -> ReportFormat {
    format.unwrap_or(if github_actions { ReportFormat::Github } else { ReportFormat::Human })
}

/// A message of the run itself (not a problem), as `format` needs it on
/// stderr: one line in the `github` format, whatever the paths it names.
pub fn message(format: ReportFormat, text: &str) -> String {
    match format {
        ReportFormat::Github => escape_data(text),
        _ => text.to_owned(),
    }
}

/// Writes what `verify` found in `bundle`: problems (damage) and, unless
/// `quiet`, notes (not damage). Human: `ENTRY: message` per problem; JSON:
/// one object per line; GitHub: `::error` and `::notice` commands.
pub fn write_verify(
    out: &mut impl Write,
    bundle: &str,
    report: &crate::archive::Report,
    format: ReportFormat,
    quiet: bool,
) -> io::Result<()> {
    let notes = if quiet { &[][..] } else { &report.notes[..] };
    let all = report.problems.iter().map(|p| ("error", p)).chain(notes.iter().map(|n| ("note", n)));
    for (severity, p) in all {
        match format {
            ReportFormat::Human if severity == "error" => writeln!(out, "{p}")?,
            ReportFormat::Human => writeln!(out, "note: {p}")?,
            ReportFormat::Json => {
                let json = serde_json::json!({
                    "severity": severity, "bundle": bundle, "entry": p.entry, "message": p.message,
                });
                writeln!(out, "{json}")?;
            }
            ReportFormat::Github => {
                let command = if severity == "error" { "error" } else { "notice" };
                let props = format!("file={},title={}", escape_property(bundle), escape_property(&p.entry));
                writeln!(out, "::{command} {props}::{}", escape_data(&p.to_string()))?;
            }
        }
    }
    out.flush()
}

/// Writes `problems` to `out`. `color` applies to the human format only.
pub fn write(out: &mut impl Write, problems: &[Diagnostic], format: ReportFormat, color: bool) -> io::Result<()> {
    for problem in problems {
        match format {
            ReportFormat::Human => human(out, problem, color)?,
            ReportFormat::Json => {
                serde_json::to_writer(&mut *out, &Json::from(problem))?;
                writeln!(out)?;
            }
            ReportFormat::Github => github(out, problem)?,
        }
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct Json<'a> {
    severity: Severity,
    code: &'static str,
    name: &'static str,
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

impl<'a> From<&'a Diagnostic> for Json<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        Json {
            severity: d.severity(),
            code: d.code.id(),
            name: d.code.name(),
            file: d.file.display().to_string(),
            line: d.line,
            column: d.column,
            message: &d.message,
            hint: d.hint.as_deref(),
        }
    }
}

fn human(out: &mut impl Write, d: &Diagnostic, color: bool) -> io::Result<()> {
    let paint = |code: &str, text: &str| if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() };
    let (label, tint) = match d.severity() {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    writeln!(out, "{}: {}", paint(tint, &format!("{label}[{}]", d.code.id())), paint("1", &d.message))?;
    let location = if d.line > 0 {
        format!("{}:{}:{}", d.file.display(), d.line, d.column.max(1))
    } else {
        d.file.display().to_string()
    };
    writeln!(out, "  {} {location}", paint("34", "-->"))?;
    if let Some((text, column)) = source_line(d) {
        let number = d.line.to_string();
        let pad = " ".repeat(number.len());
        let bar = paint("34", "|");
        // As wide as what stands before the column on screen: a CJK letter
        // or an emoji takes two cells, a combining mark none.
        let caret_at: String = text
            .chars()
            .take(column.saturating_sub(1))
            .map(|c| if c == '\t' { "\t".to_owned() } else { " ".repeat(c.width().unwrap_or(0)) })
            .collect();
        writeln!(out, "  {pad} {bar}")?;
        writeln!(out, "  {} {bar} {text}", paint("34", &number))?;
        writeln!(out, "  {pad} {bar} {caret_at}{}", paint(tint, "^"))?;
    }
    if let Some(hint) = &d.hint {
        writeln!(out, "  = hint: {hint}")?;
    }
    writeln!(out)
}

/// The most characters of a source line shown: a longer line is cut
/// around the column (a 50 MB line of minified text is not echoed whole).
const SNIPPET: usize = 120;

/// The problem's line of its file, with control characters made visible,
/// cut to `SNIPPET` characters around the column; and the column in it.
fn source_line(d: &Diagnostic) -> Option<(String, usize)> {
    if d.line == 0 {
        return None;
    }
    let bytes = crate::content::regular::read(&d.file).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let line = text.lines().nth(d.line - 1)?;
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    let visible = |c: char| if c.is_control() && c != '\t' { '\u{fffd}' } else { c };
    let column = d.column.max(1);
    let count = line.chars().count();
    if count <= SNIPPET {
        return Some((line.chars().map(visible).collect(), column));
    }
    let start = column.saturating_sub(1 + SNIPPET / 2).min(count - SNIPPET);
    let mut cut: String = line.chars().skip(start).take(SNIPPET).map(visible).collect();
    let mut column = column - start;
    if start > 0 {
        cut.insert(0, '…');
        column += 1;
    }
    if start + SNIPPET < count {
        cut.push('…');
    }
    Some((cut, column))
}

/// `::error file=…,line=…,col=…,title=…::message`, escaped as the runner
/// expects: `%`, CR and LF everywhere; `:` and `,` too inside properties.
fn github(out: &mut impl Write, d: &Diagnostic) -> io::Result<()> {
    let command = match d.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut props = format!("file={}", escape_property(&d.file.display().to_string()));
    if d.line > 0 {
        props.push_str(&format!(",line={},col={}", d.line, d.column.max(1)));
    }
    props.push_str(&format!(",title={}", escape_property(&format!("{} {}", d.code.id(), d.code.name()))));
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        message.push_str(&format!("\nhint: {hint}"));
    }
    writeln!(out, "::{command} {props}::{}", escape_data(&message))
}

pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Pos};

    #[test]
    fn github_commands_escape_values_as_documented() {
        let d = Diagnostic::new(Code::BadDate, "content/news/a,b:c.md", Pos::new(3, 8), "100% wrong\nreally")
            .with_hint("use 2021-12-02");
        let mut out = Vec::new();
        write(&mut out, &[d], ReportFormat::Github, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=content/news/a%2Cb%3Ac.md,line=3,col=8,title=E0106 bad-date::100%25 wrong%0Areally%0Ahint: use 2021-12-02\n"
        );
    }

    #[test]
    fn a_file_name_with_a_line_break_cannot_start_a_command() {
        let evil = "a.md\n::error file=x.md::injected";
        let d = Diagnostic::new(Code::BadDate, evil, Pos::new(1, 1), format!("see {evil}"));
        let mut out = Vec::new();
        write(&mut out, &[d], ReportFormat::Github, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert_eq!(message(ReportFormat::Github, evil).lines().count(), 1);
        let report = crate::archive::Report {
            problems: vec![crate::archive::Problem { entry: evil.into(), message: evil.into() }],
            ..Default::default()
        };
        let mut out = Vec::new();
        write_verify(&mut out, evil, &report, ReportFormat::Github, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.starts_with("::error file=a.md%0A%3A%3Aerror"), "{text}");
    }

    #[test]
    fn json_is_one_object_per_line() {
        let d = Diagnostic::new(Code::UnknownKey, "a.md", Pos::new(2, 1), "unknown key \"tilte\"");
        let mut out = Vec::new();
        write(&mut out, &[d.clone(), d], ReportFormat::Json, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["code"], "E0103");
        assert_eq!(first["severity"], "error");
        assert_eq!(first["line"], 2);
        assert_eq!(text.lines().count(), 2);
    }

    #[test]
    fn the_caret_stands_under_wide_characters() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "+++\ntitle = \"月の探査\" X\n").unwrap();
        let d = Diagnostic::new(Code::FrontMatterSyntax, &file, Pos::new(2, 16), "here");
        let mut out = Vec::new();
        write(&mut out, &[d], ReportFormat::Human, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        // The source line (the temporary path may hold an X too).
        let shown = text.lines().find(|l| l.contains("探査")).unwrap();
        let caret = text.lines().find(|l| l.ends_with('^')).unwrap();
        let cells = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        assert_eq!(cells(&shown[..shown.find('X').unwrap()]), cells(&caret[..caret.find('^').unwrap()]), "{text}");
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        let line = format!("{}X{}", "a".repeat(5_000_000), "b".repeat(5_000_000));
        std::fs::write(&file, format!("+++\n{line}\n")).unwrap();
        let d = Diagnostic::new(Code::FrontMatterSyntax, &file, Pos::new(2, 5_000_001), "here");
        let mut out = Vec::new();
        write(&mut out, &[d], ReportFormat::Human, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.len() < 1000, "{} bytes", text.len());
        let shown = text.lines().find(|l| l.contains('X') && l.contains('…')).unwrap();
        let caret = text.lines().find(|l| l.ends_with('^')).unwrap();
        assert_eq!(shown.chars().position(|c| c == 'X'), caret.chars().position(|c| c == '^'), "{text}");
        assert!(shown.contains('…'), "{shown}");
    }

    #[test]
    fn human_shows_the_line_with_a_caret() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "+++\ntilte = \"A\"\n+++\n").unwrap();
        let d = Diagnostic::new(Code::UnknownKey, &file, Pos::new(2, 1), "unknown key \"tilte\"")
            .with_hint("did you mean \"title\"?");
        let mut out = Vec::new();
        write(&mut out, &[d], ReportFormat::Human, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("error[E0103]: unknown key \"tilte\""), "{text}");
        assert!(text.contains("  2 | tilte = \"A\"\n    | ^\n"), "{text}");
        assert!(text.contains("= hint: did you mean \"title\"?"), "{text}");
    }
}
