//! Printing problems for people and for machines: `human` (the offending
//! line with a caret under the spot; colours only on a terminal and never
//! with NO_COLOR), `json` (one object per line) and `github` (workflow
//! commands, so problems show on the lines of a pull request). The problems
//! of the store, and those `verify` finds in a bundle, alike; in the
//! `github` format every message is escaped, so that no file name can start
//! a workflow command of its own. What `verify` prints comes from the bundle
//! (its entry names, its manifests, its fetch.txt): in every format it goes
//! through `visible`, so that no name can break a line, move the cursor or
//! recolour the terminal.

use std::borrow::Cow;
use std::io::{self, Write};
use unicode_width::UnicodeWidthChar;

use pressroom::{Diagnostic, Severity};

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

/// The kinds of thing `verify` finds in a bundle, in the order printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Damage.
    Problem,
    /// What verify cannot check, through no fault of the bag.
    Unchecked,
    Warning,
    Note,
}

impl Found {
    /// Its name in the JSON format.
    fn severity(self) -> &'static str {
        match self {
            Found::Problem => "error",
            Found::Unchecked => "unchecked",
            Found::Warning => "warning",
            Found::Note => "note",
        }
    }

    /// Whether it fails the bundle: damage, or what cannot be checked.
    fn fails(self) -> bool {
        matches!(self, Found::Problem | Found::Unchecked)
    }

    /// Its GitHub workflow command: what cannot be checked fails a
    /// workflow, as damage does.
    fn command(self) -> &'static str {
        match self {
            Found::Problem | Found::Unchecked => "error",
            Found::Warning => "warning",
            Found::Note => "notice",
        }
    }
}

/// One thing `verify` found: the archive's report as plain data, so that
/// printing it needs nothing of the archive.
#[derive(Debug, Clone, Copy)]
pub struct Finding<'a> {
    pub found: Found,
    /// The ZIP entry, or the bundle's file name for the whole ZIP.
    pub entry: &'a str,
    pub message: &'a str,
}

/// Writes what `verify` found in `bundle`: problems (damage), what it
/// could not check and, unless `quiet`, warnings and notes (not damage).
/// Human: `ENTRY: message` per problem or thing unchecked, `warning: ` or
/// `note: ` before the others; JSON: one object per line (severity
/// `error`, `unchecked`, `warning`, `note`); GitHub: `::error`,
/// `::warning` and `::notice` commands.
pub fn write_verify(
    out: &mut impl Write,
    bundle: &str,
    findings: &[Finding],
    format: ReportFormat,
    quiet: bool,
) -> io::Result<()> {
    for p in findings.iter().filter(|f| !quiet || f.found.fails()) {
        if format == ReportFormat::Json {
            let json = serde_json::json!({
                "severity": p.found.severity(), "bundle": bundle, "entry": p.entry, "message": p.message,
            });
            writeln!(out, "{}", json_visible(&json.to_string()))?;
            continue;
        }
        let (entry, message) = (visible(p.entry), visible(p.message));
        match format {
            ReportFormat::Human if p.found.fails() => writeln!(out, "{entry}: {message}")?,
            ReportFormat::Human => writeln!(out, "{}: {entry}: {message}", p.found.severity())?,
            _ => {
                let command = p.found.command();
                let props = format!("file={},title={}", escape_property(&visible(bundle)), escape_property(&entry));
                writeln!(out, "::{command} {props}::{}", escape_data(&format!("{entry}: {message}")))?;
            }
        }
    }
    out.flush()
}

/// Whether `c`, printed as it is, could end a line (CR, LF, NEL, U+2028…),
/// move the cursor or recolour a terminal (ESC and the other C0 and C1
/// controls, DEL), or reorder the text around it (the bidirectional
/// controls: a name could show as another). Other invisible characters stay:
/// joiners and spaces of every kind are part of real names.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` with each unsafe character written as Rust writes it in a string
/// literal (`\n`, `\u{1b}`), the rest as it is. A backslash stays single:
/// the names of a bag are shown as written, and JSON gives them exactly.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.contains(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A JSON text with the unsafe characters serde leaves raw (DEL, the C1
/// controls, U+2028, the bidirectional controls) written `\uXXXX`: the same
/// string once parsed, one line to any reader. All are in the BMP and, JSON
/// being ASCII outside its strings, can only stand inside one.
fn json_visible(json: &str) -> Cow<'_, str> {
    if !json.contains(is_unsafe) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
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
        Severity::Note => ("note", "1;36"),
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
    let bytes = d.read_file().ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let line = text.lines().nth(d.line - 1)?;
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    // One character for one, so that the caret stays under its column.
    let shown = |c: char| if is_unsafe(c) && c != '\t' { '\u{fffd}' } else { c };
    let column = d.column.max(1);
    let count = line.chars().count();
    if count <= SNIPPET {
        return Some((line.chars().map(shown).collect(), column));
    }
    let start = column.saturating_sub(1 + SNIPPET / 2).min(count - SNIPPET);
    let mut cut: String = line.chars().skip(start).take(SNIPPET).map(shown).collect();
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
        Severity::Note => "notice",
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
    use pressroom::{Code, Pos};

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
        let found = [Finding { found: Found::Problem, entry: evil, message: evil }];
        let mut out = Vec::new();
        write_verify(&mut out, evil, &found, ReportFormat::Github, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.starts_with(r"::error file=a.md\n%3A%3Aerror"), "{text}");
    }

    #[test]
    fn visible_escapes_what_breaks_lines_moves_the_cursor_or_reorders() {
        for (raw, shown) in [
            ("a\nb\r\t\0", r"a\nb\r\t\0"),
            ("\x1b[31mred", r"\u{1b}[31mred"),
            ("del\x7f nel\u{85} csi\u{9b}", r"del\u{7f} nel\u{85} csi\u{9b}"),
            ("ls\u{2028}ps\u{2029}", r"ls\u{2028}ps\u{2029}"),
            ("\u{202e}fdp.exe\u{2066}\u{200f}", r"\u{202e}fdp.exe\u{2066}\u{200f}"),
        ] {
            assert_eq!(visible(raw), shown);
        }
        // Real names stay as they are: a backslash, joiners, spaces of every
        // kind, wide letters.
        for name in ["a\\b.pdf", "👩\u{200d}🚀.pdf", "日本\u{3000}語 .pdf", "نام\u{200c}ها", "%0A"] {
            assert!(matches!(visible(name), Cow::Borrowed(n) if n == name), "{name}");
        }
    }

    #[test]
    fn verify_names_forge_no_line_in_any_format() {
        let names = ["b/data/x\n::error::forged", "b/data/\x1b[2Jclear", "b/data/nel\u{85}::error::x\u{2028}"];
        let messages: Vec<String> = names.iter().map(|n| format!("see {n}")).collect();
        let found: Vec<Finding> =
            names.iter().zip(&messages).map(|(n, m)| Finding { found: Found::Problem, entry: n, message: m }).collect();
        for format in [ReportFormat::Human, ReportFormat::Json, ReportFormat::Github] {
            let mut out = Vec::new();
            write_verify(&mut out, "x\n::error::y.zip", &found, format, false).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(!text.contains(|c| c != '\n' && is_unsafe(c)), "{format:?}: {text}");
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), names.len(), "{format:?}: {text}");
            if format == ReportFormat::Json {
                for (line, name) in lines.iter().zip(names) {
                    let json: serde_json::Value = serde_json::from_str(line).unwrap();
                    assert_eq!(
                        (json["entry"].as_str(), json["bundle"].as_str()),
                        (Some(name), Some("x\n::error::y.zip"))
                    );
                }
            } else {
                let own = if format == ReportFormat::Github {
                    "::error file=x\\n%3A%3Aerror%3A%3Ay.zip,title="
                } else {
                    "b/"
                };
                assert!(lines.iter().all(|l| l.starts_with(own)), "{format:?}: {text}");
            }
        }
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
