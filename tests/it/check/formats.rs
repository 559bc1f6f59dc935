//! How problems are printed: GitHub workflow commands, and text for people.

use super::*;

/// One GitHub Actions workflow command: `::name key=value,…::data`, its
/// property values and data unescaped as the runner does.
struct Command {
    name: String,
    props: Vec<(String, String)>,
    data: String,
}

fn unescape(text: &str) -> String {
    text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
}

/// Parses `line` against the documented syntax, checking that nothing in it
/// needed escaping was left raw.
#[track_caller]
fn workflow_command(line: &str) -> Command {
    let rest = line.strip_prefix("::").unwrap_or_else(|| panic!("not a workflow command: {line:?}"));
    let (head, data) = rest.split_once("::").unwrap_or_else(|| panic!("no `::` before the data: {line:?}"));
    let (name, props) = head.split_once(' ').unwrap_or((head, ""));
    let props = props
        .split(',')
        .map(|prop| {
            let (key, value) = prop.split_once('=').unwrap_or_else(|| panic!("property without `=`: {prop:?}"));
            assert!(!value.contains(':') && !value.contains(','), "raw `:` or `,` in {prop:?}");
            (key.to_owned(), unescape(value))
        })
        .collect();
    assert!(!data.contains('\r') && !data.contains('\n'));
    Command { name: name.to_owned(), props, data: unescape(data) }
}

impl Command {
    fn prop(&self, key: &str) -> &str {
        self.props.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("no {key}"))
    }
}

#[test]
fn github_format_inside_github_actions() {
    // A file name with `,` and `:`, a message with `%`, a hint on a new line.
    let rel = "news/2024-05-01-a,b:c.md";
    let store = Store::fixture("minimal")
        .write(rel, news("title = \"T\"\ndate = \"100%\"\n", "B.\n"))
        .edit(FIRST, |t| t.replace("date = 2024-01-10", "date = 2030-01-10"))
        .env("GITHUB_ACTIONS", "true");
    let out = store.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "one command per problem:\n{}", out.stdout);
    assert!(!out.stderr.contains("error["), "the human format is not printed too: {}", out.stderr);

    let error = lines.iter().find(|l| l.starts_with("::error ")).expect("an ::error command");
    assert!(
        error.starts_with("::error file=content/news/2024-05-01-a%2Cb%3Ac.md,line=3,col=8,title=E0106 bad-date::"),
        "{error}"
    );
    assert!(error.contains("\"100%25\""), "`%` is escaped in the data: {error}");
    assert!(error.contains("%0Ahint: accepted"), "the newline is escaped: {error}");
    let command = workflow_command(error);
    assert_eq!(command.name, "error");
    assert_eq!(command.prop("file"), shown(rel));
    assert_eq!(command.prop("line"), "3");
    assert_eq!(command.prop("col"), "8");
    assert_eq!(command.prop("title"), "E0106 bad-date");
    assert!(command.data.contains("\"100%\" is not a date\nhint: accepted: 2021-12-02, "), "{}", command.data);

    let warning = workflow_command(lines.iter().find(|l| l.starts_with("::warning ")).expect("a ::warning"));
    assert_eq!(warning.prop("file"), shown(FIRST));
    assert_eq!((warning.prop("line"), warning.prop("col")), ("3", "8"));
    assert_eq!(warning.prop("title"), "W0101 future-item");

    // The same problems as the JSON format, at the same places.
    for (json, line) in store.check(&[]).json().iter().zip(&lines) {
        let command = workflow_command(line);
        assert_eq!(command.name, json.severity);
        assert_eq!(command.prop("file"), json.file);
        assert_eq!(command.prop("line"), json.line.to_string());
        assert_eq!(command.prop("col"), json.column.to_string());
        assert!(command.data.starts_with(&json.message), "{} / {}", command.data, json.message);
    }

    // `--format` wins over the environment.
    let out = store.run(&["check", "--format", "human"]);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("error[E0106]"), "{}", out.stderr);
}

#[test]
fn human_format_shows_the_line_and_a_caret_without_colours() {
    let store = || {
        Store::fixture("minimal")
            .edit(FIRST, |t| t.replace("title = ", "tilte = "))
            .edit(REPORT, |t| t.replace("date = 2024-03-01", "date = \"2024-03-32\""))
    };
    // stderr is a pipe here, not a terminal: no colours, NO_COLOR or not.
    for store in [store(), store().env("NO_COLOR", "1")] {
        let out = store.run(&["check"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(!out.stderr.contains('\u{1b}'), "colour codes off a terminal:\n{}", out.stderr);
        assert_eq!(out.stdout, "", "the human format goes to stderr");
        let key = out.problem("error", "E0103", &format!("{}:2:1", shown(FIRST)));
        assert!(key.contains("\n  2 | tilte = \"First news\"\n    | ^"), "{key}");
        assert!(key.contains("= hint: did you mean \"title\"?"), "{key}");
        let date = out.problem("error", "E0106", &format!("{}:3:8", shown(REPORT)));
        assert!(date.contains("\n  3 | date = \"2024-03-32\"\n    |        ^"), "the caret under column 8: {date}");
    }
}
