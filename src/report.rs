//! Printing problems for people and for machines: `human` (the offending
//! line with a caret under the spot; colours only on a terminal and never
//! with NO_COLOR), `json` (one object per line) and `github` (workflow
//! commands, so problems show on the lines of a pull request).

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// Writes `problems` to `out`. `color` applies to the human format only.
pub fn write(out: &mut impl Write, problems: &[Diagnostic], format: Format, color: bool) -> io::Result<()> {
    for problem in problems {
        match format {
            Format::Human => human(out, problem, color)?,
            Format::Json => {
                serde_json::to_writer(&mut *out, &Json::from(problem))?;
                writeln!(out)?;
            }
            Format::Github => github(out, problem)?,
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
    if let Some(text) = source_line(d) {
        let number = d.line.to_string();
        let pad = " ".repeat(number.len());
        let bar = paint("34", "|");
        let caret_at: String =
            text.chars().take(d.column.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        writeln!(out, "  {pad} {bar}")?;
        writeln!(out, "  {} {bar} {text}", paint("34", &number))?;
        writeln!(out, "  {pad} {bar} {caret_at}{}", paint(tint, "^"))?;
    }
    if let Some(hint) = &d.hint {
        writeln!(out, "  = hint: {hint}")?;
    }
    writeln!(out)
}

/// The problem's line of its file, with control characters made visible.
fn source_line(d: &Diagnostic) -> Option<String> {
    if d.line == 0 {
        return None;
    }
    let bytes = std::fs::read(&d.file).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let line = text.lines().nth(d.line - 1)?;
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    Some(line.chars().map(|c| if c.is_control() && c != '\t' { '\u{fffd}' } else { c }).collect())
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
        write(&mut out, &[d], Format::Github, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=content/news/a%2Cb%3Ac.md,line=3,col=8,title=E0106 bad-date::100%25 wrong%0Areally%0Ahint: use 2021-12-02\n"
        );
    }

    #[test]
    fn json_is_one_object_per_line() {
        let d = Diagnostic::new(Code::UnknownKey, "a.md", Pos::new(2, 1), "unknown key \"tilte\"");
        let mut out = Vec::new();
        write(&mut out, &[d.clone(), d], Format::Json, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        assert_eq!(first["code"], "E0103");
        assert_eq!(first["severity"], "error");
        assert_eq!(first["line"], 2);
        assert_eq!(text.lines().count(), 2);
    }

    #[test]
    fn human_shows_the_line_with_a_caret() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "+++\ntilte = \"A\"\n+++\n").unwrap();
        let d = Diagnostic::new(Code::UnknownKey, &file, Pos::new(2, 1), "unknown key \"tilte\"")
            .with_hint("did you mean \"title\"?");
        let mut out = Vec::new();
        write(&mut out, &[d], Format::Human, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("error[E0103]: unknown key \"tilte\""), "{text}");
        assert!(text.contains("  2 | tilte = \"A\"\n    | ^\n"), "{text}");
        assert!(text.contains("= hint: did you mean \"title\"?"), "{text}");
    }
}
