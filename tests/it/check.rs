//! `pressroom check`: one bad store per problem, each found at its file,
//! line and column with its stable code (`--format json`), the exit status
//! of each kind of failure, every problem of a store in one run, and the
//! human and GitHub Actions formats; and the same content errors through
//! `build`, which stop it with nothing written.

use std::fs;

use crate::harness::*;

const FIRST: &str = "news/2024-01-10-first-news.md";
const REPORT: &str = "publications/2024-03-01-minimal-report.md";
const NEW: &str = "news/2024-05-01-new.md";

/// `rel` (relative to `content/`) as problems name it: `check` runs in the
/// store's folder with the default `--content content`.
fn shown(rel: &str) -> String {
    format!("content/{rel}")
}

/// A news item with this front matter (between the fences) and body.
fn news(front: &str, body: &str) -> String {
    format!("+++\n{front}+++\n\n{body}")
}

/// Runs `check` on `store`: exit status `exit`, exactly one problem, `code`
/// at `file:line:column`, and nothing written. Notes (N…, which say what
/// was read and fail nothing) are not problems.
#[track_caller]
fn only(store: &Store, exit: i32, code: &str, file: &str, line: usize, column: usize) -> Problem {
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(exit), "exit status; stdout:\n{}stderr:\n{}", out.stdout, out.stderr);
    let problems: Vec<Problem> = out.json().into_iter().filter(|p| p.severity != "note").collect();
    assert_eq!(problems.len(), 1, "one problem expected:\n{}", out.stdout);
    let problem = out.has(code, file, line, column);
    assert_eq!(problem.severity, if code.starts_with('W') { "warning" } else { "error" });
    nothing_written(store);
    same_as_build(store, &out);
    problem
}

/// `build` on the same store exits like `check` did and reports the same
/// problems: a green `check` means a green build, a red one the same red.
#[track_caller]
fn same_as_build(store: &Store, check: &Outcome) {
    let build = store.run(&["build", "--format", "json"]);
    assert_eq!(build.status.code(), check.status.code(), "build: {}{}", build.stdout, build.stderr);
    assert_eq!(build.json(), check.json(), "build and check report the same problems");
}

#[track_caller]
fn nothing_written(store: &Store) {
    assert!(!store.out().exists(), "check wrote the output folder");
    let hidden: Vec<_> = fs::read_dir(store.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "check left a staging folder: {hidden:?}");
}

#[test]
fn a_valid_store_checks_clean_and_nothing_is_written() {
    let store = Store::fixture("minimal");
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "", "no problems");
    nothing_written(&store);
}

#[test]
fn front_matter_not_closed() {
    let store = Store::fixture("minimal").write(NEW, "+++\ntitle = \"New\"\ndate = 2024-05-01\n\nBody.\n");
    let p = only(&store, 1, "E0101", &shown(NEW), 1, 1);
    assert!(p.hint.unwrap().contains("+++"));
}

#[test]
fn front_matter_missing() {
    let store = Store::fixture("minimal").write(NEW, "# New\n\ntitle = \"New\"\n");
    only(&store, 1, "E0100", &shown(NEW), 1, 1);
}

#[test]
fn front_matter_not_parsable() {
    // The string is never closed: TOML stops at the end of line 2, after
    // `title = "New` (12 characters).
    let store = Store::fixture("minimal").write(NEW, news("title = \"New\ndate = 2024-05-01\n", "Body.\n"));
    only(&store, 1, "E0102", &shown(NEW), 2, 13);
}

#[test]
fn unknown_key_with_a_hint() {
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("title = ", "tilte = "));
    let p = only(&store, 1, "E0103", &shown(FIRST), 2, 1);
    assert_eq!(p.name, "unknown-key");
    assert!(p.message.contains("\"tilte\""), "{p:?}");
    assert_eq!(p.hint.as_deref(), Some("did you mean \"title\"?"));
}

#[test]
fn each_kind_of_file_takes_its_own_keys() {
    // A publication's key in a news item, an item's key in a page.
    let store =
        Store::fixture("minimal").write(NEW, news("title = \"New\"\ndate = 2024-05-01\nkind = \"report\"\n", "B.\n"));
    let p = only(&store, 1, "E0103", &shown(NEW), 4, 1);
    assert_eq!(p.message, "unknown key \"kind\" for a news item");
    assert!(p.hint.unwrap().starts_with("a news item takes title, date, updated,"));
    let store =
        Store::fixture("minimal").edit("pages/about.md", |t| t.replacen("title = ", "tags = [\"a\"]\ntitle = ", 1));
    let p = only(&store, 1, "E0103", &shown("pages/about.md"), 2, 1);
    assert_eq!(p.message, "unknown key \"tags\" for a page");
    assert_eq!(p.hint.as_deref(), Some("a page takes title, updated, slug"));
}

#[test]
fn every_unknown_key_and_wrong_type_of_one_file() {
    let store = Store::fixture("minimal")
        .write(NEW, news("tilte = \"New\"\ndate = 2024-05-01\nsumary = \"red\"\ndraft = \"yes\"\n", "Body.\n"));
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(1));
    out.has("E0103", &shown(NEW), 2, 1);
    out.has("E0103", &shown(NEW), 4, 1);
    out.has("E0105", &shown(NEW), 5, 9);
    assert_eq!(out.json().len(), 3, "{}", out.stdout);
}

#[test]
fn missing_required_field() {
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("title = \"First news\"\n", ""));
    let p = only(&store, 1, "E0104", &shown(FIRST), 1, 1);
    assert!(p.message.contains("\"title\""), "{p:?}");
    let store = Store::fixture("minimal").edit(REPORT, |t| t.replace("file = \"pdf/minimal-report.pdf\"\n", ""));
    let p = only(&store, 1, "E0104", &shown(REPORT), 1, 1);
    assert!(p.message.contains("\"file\""), "{p:?}");
}

#[test]
fn wrong_type() {
    let store =
        Store::fixture("minimal").write(NEW, news("title = \"New\"\ndate = 2024-05-01\ndraft = \"yes\"\n", "B.\n"));
    let p = only(&store, 1, "E0105", &shown(NEW), 4, 9);
    assert_eq!(p.message, "draft must be true or false, without quotes", "{p:?}");
    assert_eq!(p.hint.as_deref(), Some("e.g. draft = true"), "{p:?}");
}

#[test]
fn bad_date_as_a_toml_date_value() {
    // TOML itself refuses the 30th of February.
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("date = 2024-01-10", "date = 2024-02-30"));
    let p = only(&store, 1, "E0106", &shown(FIRST), 3, 8);
    assert!(p.hint.unwrap().contains("2021-12-02T09:30:00Z"), "the hint lists the accepted forms");
}

#[test]
fn bad_date_as_a_string() {
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("date = 2024-01-10", "date = \"2024-02-30\""));
    let p = only(&store, 1, "E0106", &shown(FIRST), 3, 8);
    assert!(p.message.contains("2024-02-30"), "{p:?}");
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("date = 2024-01-10", "date = \"10 Jan 2024\""));
    only(&store, 1, "E0106", &shown(FIRST), 3, 8);
}

#[test]
fn duplicate_slug_across_files() {
    let store = Store::fixture("minimal")
        .write(NEW, news("title = \"New\"\ndate = 2024-05-01\nslug = \"first-news\"\n", "Body.\n"));
    let p = only(&store, 1, "E0201", &shown(NEW), 4, 1);
    assert!(p.message.contains(&shown(FIRST)), "names the other file: {p:?}");
}

#[test]
fn duplicate_id_across_files_and_sections() {
    let id = "tag:example.org,2024-01-10:news/first-news";
    let rel = "publications/2024-06-01-copy.md";
    let store = Store::fixture("minimal").write(
        rel,
        format!(
            "+++\ntitle = \"Copy\"\ndate = 2024-06-01\nfile = \"pdf/minimal-report.pdf\"\nid = \"{id}\"\n+++\n\nB.\n"
        ),
    );
    let p = only(&store, 1, "E0202", &shown(rel), 5, 1);
    assert!(p.message.contains(&shown(FIRST)), "names the other file: {p:?}");
}

#[test]
fn file_missing_names_the_nearest_pdf() {
    let store =
        Store::fixture("minimal").edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/minimal-reprot.pdf"));
    let p = only(&store, 1, "E0301", &shown(REPORT), 7, 8);
    assert_eq!(p.hint.as_deref(), Some("did you mean \"pdf/minimal-report.pdf\"?"));
}

#[test]
fn file_absolute() {
    let store = Store::fixture("minimal");
    let pdf = store.content().join("publications/pdf/minimal-report.pdf");
    let store = store.edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", pdf.to_str().unwrap()));
    only(&store, 1, "E0302", &shown(REPORT), 7, 8);
}

#[test]
fn file_escaping_with_dot_dot() {
    let pdf = fs::read(Store::fixture("minimal").content().join("publications/pdf/minimal-report.pdf")).unwrap();
    let store = Store::fixture("minimal")
        .write("../outside.pdf", &pdf)
        .edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/../../../outside.pdf"));
    only(&store, 1, "E0302", &shown(REPORT), 7, 8);
}

#[test]
fn file_symlink_pointing_outside() {
    let pdf = fs::read(Store::fixture("minimal").content().join("publications/pdf/minimal-report.pdf")).unwrap();
    let store = Store::fixture("minimal").write("../outside.pdf", &pdf);
    std::os::unix::fs::symlink(store.root().join("outside.pdf"), store.content().join("publications/pdf/link.pdf"))
        .unwrap();
    let store = store.edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/link.pdf"));
    let p = only(&store, 1, "E0302", &shown(REPORT), 7, 8);
    assert!(p.message.contains("outside the content folder"), "{p:?}");
}

#[test]
fn file_empty() {
    let store = Store::fixture("minimal")
        .write("publications/pdf/empty.pdf", "")
        .edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/empty.pdf"));
    let p = only(&store, 1, "E0303", &shown(REPORT), 7, 8);
    assert!(p.message.contains("empty"), "{p:?}");
}

#[test]
fn file_not_a_pdf() {
    let store = Store::fixture("minimal")
        .write("publications/pdf/fake.pdf", "<html>not a PDF</html>\n")
        .edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/fake.pdf"));
    let p = only(&store, 1, "E0303", &shown(REPORT), 7, 8);
    assert!(p.message.contains("%PDF-"), "{p:?}");
}

#[test]
fn raw_control_character_in_the_title() {
    // `title = "ab` is 11 characters: U+0008 is in column 12. TOML refuses
    // it too; that is the same problem, reported once.
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("\"First news\"", "\"ab\u{8}c\""));
    let p = only(&store, 1, "E0108", &shown(FIRST), 2, 12);
    assert!(p.message.contains("U+0008"), "{p:?}");
    // The same in YAML front matter. In a body it is dropped, with a
    // warning at its place (W0109, see lenient.rs).
    let store = Store::fixture("minimal").write(NEW, "---\ntitle: ab\u{8}c\ndate: 2024-05-01\n---\n\nB.\n");
    only(&store, 1, "E0108", &shown(NEW), 2, 10);
    let store = Store::fixture("minimal").write(NEW, news("title = \"New\"\ndate = 2024-05-01\n", "Body \u{1b}.\n"));
    only(&store, 0, "W0109", &shown(NEW), 6, 6);
}

#[test]
fn control_character_written_as_a_toml_escape() {
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("\"First news\"", "\"ab\\u0008c\""));
    let p = only(&store, 1, "E0108", &shown(FIRST), 2, 9);
    assert!(p.message.contains("U+0008"), "{p:?}");
}

#[test]
fn base_url_not_absolute_http() {
    for bad in ["www.example.org", "ftp://example.org", "/news/"] {
        let store = Store::fixture("minimal").edit("site.toml", |t| t.replace("https://example.org", bad));
        let p = only(&store, 1, "E0401", &shown("site.toml"), 2, 1);
        assert!(p.message.contains(bad), "{p:?}");
    }
}

#[test]
fn feed_definition_naming_an_unknown_section() {
    let store = Store::fixture("minimal");
    let text = fs::read_to_string(store.feeds().join("news.toml")).unwrap();
    let store = store.write_feed("news.toml", &text.replace("section = \"news\"", "section = \"blog\""));
    let p = only(&store, 2, "E0501", "feeds/news.toml", 3, 1);
    assert!(p.hint.unwrap().contains("news, publications"));
}

#[test]
fn feed_definition_naming_an_unknown_format() {
    let store = Store::fixture("minimal");
    let text = fs::read_to_string(store.feeds().join("news.toml")).unwrap();
    let store = store.write_feed("news.toml", &text.replace("\"json\"", "\"rdf\""));
    let p = only(&store, 2, "E0502", "feeds/news.toml", 4, 1);
    assert!(p.message.contains("rdf"), "{p:?}");
}

#[test]
fn feed_definition_with_a_control_character() {
    // The feed's title reaches every format; XML cannot carry U+0007.
    let store = Store::fixture("minimal");
    let text = fs::read_to_string(store.feeds().join("news.toml")).unwrap();
    let store = store.write_feed("news.toml", &text.replace("Minimal News", "Minimal\\u0007 News"));
    let p = only(&store, 2, "E0108", "feeds/news.toml", 1, 1);
    assert!(p.message.contains("U+0007"), "{p:?}");
}

#[test]
fn pdf_over_200_mb_warns() {
    // Sparse: 201 MB on paper, a few bytes on disk; check reads 5 of them.
    let store = Store::fixture("minimal").write("publications/pdf/huge.pdf", "%PDF-1.7\n");
    fs::File::options()
        .append(true)
        .open(store.content().join("publications/pdf/huge.pdf"))
        .unwrap()
        .set_len(201_000_000)
        .unwrap();
    let store = store.edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/huge.pdf"));
    let p = only(&store, 0, "W0103", &shown(REPORT), 7, 8);
    assert!(p.message.contains("201 MB"), "{p:?}");
    assert_eq!(store.check(&["--deny-warnings"]).status.code(), Some(1));
}

#[test]
fn markdown_link_to_a_missing_content_file() {
    let store = Store::fixture("minimal").write(
        NEW,
        news("title = \"New\"\ndate = 2024-05-01\n", "First paragraph.\n\nSee [the plan](../publications/plan.md).\n"),
    );
    // A warning: sites moving in hold such links (see lenient.rs).
    let p = only(&store, 0, "W0108", &shown(NEW), 8, 5);
    assert!(p.message.contains("../publications/plan.md"), "{p:?}");
}

#[test]
fn file_that_is_not_utf8() {
    // `title = "Caf` then a Latin-1 é: the first bad byte is in column 13.
    let store = Store::fixture("minimal").write(NEW, b"+++\ntitle = \"Caf\xe9\"\ndate = 2024-05-01\n+++\n\nB.\n");
    only(&store, 1, "E0002", &shown(NEW), 2, 13);
}

#[test]
fn byte_order_mark_and_crlf_are_accepted() {
    let crlf = |t: &str| format!("\u{feff}{}", t.replace('\n', "\r\n"));
    let store = Store::fixture("minimal").edit(FIRST, crlf).edit("site.toml", crlf);
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    store.build().ok();

    // Lines and columns are still right in such a file (the BOM is no column).
    let text = news("title = \"New\"\ndate = \"2024-02-30\"\n", "Para.\n\nSee [x](missing.md).\n");
    let store = Store::fixture("minimal").write(NEW, crlf(&text));
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(1));
    out.has("E0106", &shown(NEW), 3, 8);
    out.has("W0108", &shown(NEW), 8, 5);
    assert_eq!(out.json().len(), 2, "{}", out.stdout);
}

#[test]
fn future_item_warns_and_fails_only_with_deny_warnings() {
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("date = 2024-01-10", "date = 2030-01-10"));
    let p = only(&store, 0, "W0101", &shown(FIRST), 3, 8);
    assert_eq!(p.name, "future-item");
    let out = store.check(&["--deny-warnings"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    out.has("W0101", &shown(FIRST), 3, 8);
    // A build, too, fails on it only when asked to.
    store.build().ok();
    let out = store.run(&["build", "--deny-warnings", "--out", "denied"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    assert!(!store.root().join("denied").exists());
}

#[test]
fn item_without_summary_or_body_warns() {
    let store = Store::fixture("minimal").write(NEW, "+++\ntitle = \"New\"\ndate = 2024-05-01\n+++\n");
    let p = only(&store, 0, "W0102", &shown(NEW), 4, 1);
    assert_eq!(p.name, "empty-item");
    assert_eq!(store.check(&["--deny-warnings"]).status.code(), Some(1));
}

/// Ten different mistakes in ten files: all ten in one run.
#[test]
fn ten_mistakes_in_one_run() {
    let front = |extra: &str| news(&format!("title = \"T\"\ndate = 2024-05-01\n{extra}"), "Body.\n");
    let store = Store::fixture("minimal")
        .edit("site.toml", |t| t.replace("https://example.org", "example.org"))
        .write("news/2024-05-01-a.md", news("tilte = \"T\"\ndate = 2024-05-01\n", "B.\n"))
        .write("news/2024-05-02-b.md", news("title = \"T\"\ndate = \"May 2nd\"\n", "B.\n"))
        .write("news/2024-05-03-c.md", "+++\ntitle = \"T\"\n\nB.\n")
        .write("news/2024-05-04-d.md", b"+++\ntitle = \"\xff\"\n+++\n")
        .write("news/2024-05-05-e.md", front("draft = \"no\"\n"))
        .write("news/2024-05-06-f.md", news("title = \"\u{7}\"\ndate = 2024-05-06\n", "B.\n"))
        .write("news/2024-05-07-g.md", news("title = \"T\"\ndate = 2024-05-07\n", "![x](a%2Fb.png)\n"))
        .write("news/2024-05-08-h.md", front("slug = \"second-news\"\n"))
        .edit(REPORT, |t| t.replace("minimal-report.pdf", "minimal.pdf"));
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    let mut codes = out.codes();
    codes.sort();
    let expected =
        ["E0002", "E0101", "E0103", "E0105", "E0106", "E0108", "E0109", "E0201", "E0301", "E0401"].map(String::from);
    assert_eq!(codes, expected, "{}", out.stdout);
    // And the human summary counts them.
    let out = store.run(&["check"]);
    assert!(out.stderr.contains("10 error(s)"), "{}", out.stderr);
    assert_eq!(out.problems().len(), 10, "{}", out.stderr);
}

// Exit statuses.

#[test]
fn exit_status_0_success() {
    let store = Store::fixture("minimal");
    assert_eq!(store.run(&["check"]).status.code(), Some(0));
    assert_eq!(store.run(&["build"]).status.code(), Some(0));
    assert!(store.out().join("news/rss.xml").is_file());
}

#[test]
fn exit_status_1_content_errors() {
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("title = ", "tilte = "));
    assert_eq!(store.run(&["check"]).status.code(), Some(1));
    let out = store.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!store.out().exists());
}

#[test]
fn exit_status_2_usage_and_configuration() {
    let store = Store::fixture("minimal");
    let out = store.run(&["check", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2), "unknown flag: {}", out.stderr);
    assert!(out.stderr.contains("--no-such-flag"), "{}", out.stderr);

    let out = store.run(&["check", "--content", "nowhere"]);
    assert_eq!(out.status.code(), Some(2), "missing content folder: {}", out.stderr);
    assert!(out.stderr.contains("nowhere"), "{}", out.stderr);
    let out = store.run(&["build", "--content", "nowhere"]);
    assert_eq!(out.status.code(), Some(2), "{}", out.stderr);
    assert!(!store.out().exists());

    let text = fs::read_to_string(store.feeds().join("news.toml")).unwrap();
    let store = store.write_feed("news.toml", &text.replace("section = \"news\"", "section = \"blog\""));
    assert_eq!(store.run(&["check"]).status.code(), Some(2));
    assert_eq!(store.run(&["build"]).status.code(), Some(2));
    assert!(!store.out().exists());
}

#[test]
fn exit_status_3_output_cannot_be_written() {
    // Permissions do not stop root: the output's parent is a regular file.
    let store = Store::fixture("minimal");
    fs::write(store.root().join("blocker"), "a file, not a folder\n").unwrap();
    let out = store.run(&["build", "--out", "blocker/public"]);
    assert_eq!(out.status.code(), Some(3), "{}", out.stderr);
    assert!(out.stderr.contains("blocker"), "the message names the path: {}", out.stderr);
    assert_eq!(fs::read_to_string(store.root().join("blocker")).unwrap(), "a file, not a folder\n");
}

#[test]
fn help_documents_the_exit_statuses() {
    let out = Store::fixture("minimal").run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    for line in ["0  success", "1  the content store has errors", "2  usage or configuration", "3  I/O failure"] {
        assert!(out.stdout.contains(line), "--help lacks {line:?}:\n{}", out.stdout);
    }
}

// Output formats.

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

// ---------------------------------------------------------------------------
// The same content errors through `build`: exit 1, the file, line and code,
// nothing written, and `check` alike.

/// Builds `store`, expects a content error naming `location` (`file:line:`)
/// and `code`, and checks that nothing was written.
#[track_caller]
fn build_fails(store: Store, location: &str, code: &str) -> String {
    let out = store.build().fails_with(1);
    let problem = out.problem("error", code, location);
    assert!(out.stderr.contains("nothing was written"), "{}", out.stderr);
    assert!(!out.out_dir.exists(), "the output folder was created on error");
    let hidden: Vec<_> = std::fs::read_dir(store.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "a staging folder was left behind: {hidden:?}");
    // `check` fails alike: same exit status, same problems.
    let check = store.check(&[]);
    let build = store.run(&["build", "--format", "json"]);
    assert_eq!(check.status.code(), Some(1), "check: {}{}", check.stdout, check.stderr);
    assert_eq!(check.json(), build.json(), "check and build report the same problems");
    problem
}

#[test]
fn the_minimal_fixture_is_valid() {
    Store::fixture("minimal").build().ok();
}

#[test]
fn unknown_front_matter_key() {
    // A key close to one of the item's is a misspelling (other keys are
    // kept: tests/it/moving_in.rs).
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("date = ", "tgas = [\"red\"]\ndate = "));
    let problem = build_fails(store, &format!("{FIRST}:3:"), "E0103");
    assert!(problem.contains("tgas") && problem.contains("did you mean \"tags\""), "{problem}");
}

#[test]
fn unknown_front_matter_key_in_yaml() {
    let store = Store::fixture("minimal")
        .write("news/2024-01-11-yaml.md", "---\ntitle: From Jekyll\ndate: 2024-01-11\ndat: post\n---\n\nBody.\n");
    build_fails(store, "news/2024-01-11-yaml.md:4:", "E0103");
}

#[test]
fn missing_title() {
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("title = \"First news\"\n", ""));
    let problem = build_fails(store, &format!("{FIRST}:1:"), "E0104");
    assert!(problem.contains("\"title\""), "{problem}");
}

#[test]
fn missing_date() {
    // A name without a date gives none (a dated name does: tests/it/moving_in.rs).
    let undated = "news/first-news.md";
    let store = Store::fixture("minimal").remove(FIRST).write(undated, news("title = \"First news\"\n", "Body.\n"));
    // Left out with a warning, so that a site moving in publishes the rest;
    // `--deny-warnings` is what makes CI strict about it.
    let check = store.check(&["--deny-warnings"]).fails_with(1);
    let problem = check.has("W0110", &format!("content/{undated}"), 1, 1);
    assert!(problem.hint.as_deref().is_some_and(|h| h.contains("date = 2021-12-02")), "{problem:?}");
}

#[test]
fn unparsable_date() {
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("date = 2024-01-10", "date = \"10/01/2024\""));
    let problem = build_fails(store, &format!("{FIRST}:3:"), "E0106");
    assert!(problem.contains("10/01/2024"), "{problem}");
}

#[test]
fn impossible_date() {
    let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("date = 2024-01-10", "date = \"2023-02-29\""));
    build_fails(store, &format!("{FIRST}:3:"), "E0106");
}

#[test]
fn duplicate_slug() {
    let store = Store::fixture("minimal").write(
        "news/2024-05-01-other.md",
        "+++\ntitle = \"Other\"\ndate = 2024-05-01\nslug = \"first-news\"\n+++\n\nBody.\n",
    );
    let problem = build_fails(store, "news/2024-05-01-other.md:4:", "E0201");
    assert!(problem.contains(FIRST), "the message names the first user of the slug: {problem}");
}

#[test]
fn duplicate_id() {
    let store = Store::fixture("minimal").write(
        "news/2024-06-01-copy.md",
        "+++\ntitle = \"Copy\"\ndate = 2024-06-01\nid = \"tag:example.org,2024-01-10:news/first-news\"\n+++\n\nBody.\n",
    );
    let problem = build_fails(store, "news/2024-06-01-copy.md:4:", "E0202");
    assert!(problem.contains(FIRST), "the message names the first user of the id: {problem}");
}

#[test]
fn missing_pdf() {
    let store =
        Store::fixture("minimal").edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/minimal-reprot.pdf"));
    let problem = build_fails(store, &format!("{REPORT}:7:"), "E0301");
    assert!(problem.contains("minimal-reprot.pdf"), "{problem}");
}

#[test]
fn pdf_outside_the_content_folder() {
    let pdf = std::fs::read(Store::fixture("minimal").content().join("publications/pdf/minimal-report.pdf")).unwrap();
    // content/publications/../../outside.pdf: beside content/, and it exists.
    let store = Store::fixture("minimal")
        .write("../outside.pdf", &pdf)
        .edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "../../outside.pdf"));
    assert!(store.root().join("outside.pdf").is_file());
    let problem = build_fails(store, &format!("{REPORT}:7:"), "E0302");
    assert!(problem.contains("outside"), "{problem}");
}

#[test]
fn file_that_is_not_a_pdf() {
    let store = Store::fixture("minimal")
        .write("publications/pdf/fake.pdf", "<html>not a PDF</html>\n")
        .edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/fake.pdf"));
    build_fails(store, &format!("{REPORT}:7:"), "E0303");
}

#[test]
fn unknown_key_in_site_toml() {
    let store = Store::fixture("minimal").edit("site.toml", |t| format!("{t}colour = \"red\"\n"));
    let problem = build_fails(store, "site.toml:7:", "E0103");
    assert!(problem.contains("colour"), "{problem}");
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let store = Store::fixture("minimal")
        .edit(FIRST, |t| t.replace("date = 2024-01-10", "date = \"yesterday\""))
        .edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/nothing.pdf"));
    let out = store.build().fails_with(1);
    out.problem("error", "E0106", &format!("{FIRST}:3:"));
    out.problem("error", "E0301", &format!("{REPORT}:7:"));
    assert_eq!(out.problems().len(), 2, "{}", out.stderr);
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let store = Store::fixture("minimal");
    let good = store.build().ok();
    let before = good.files();
    let store = store.edit(FIRST, |t| t.replace("title = \"First news\"", "tilte = \"First news\""));
    let out = store.build().fails_with(1);
    let problem = out.problem("error", "E0103", &format!("{FIRST}:2:"));
    assert!(problem.contains("did you mean \"title\""), "{problem}");
    assert!(out.files() == before, "a failed build changed the previous output");
}

#[test]
fn a_failure_of_the_output_plan_still_counts_the_warnings_of_loading() {
    // Two pages on one URL (found by the plan) and an undated post (found
    // by loading): both are listed, and the summary counts both.
    let store = Store::fixture("minimal")
        .write("news/collide.md", "---\ntitle: Collide\ndate: 2024-05-09\nurl: /news/first-news/\n---\nX.\n")
        .write("news/undated.md", "---\ntitle: Undated\n---\nX.\n");
    for command in ["check", "build"] {
        let out = store.run(&[command]);
        assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
        assert!(out.stderr.contains("1 error(s), 1 warning(s)"), "{command}: {}", out.stderr);
        assert!(out.stderr.contains("W0110") && out.stderr.contains("E0203"), "{command}: {}", out.stderr);
    }
}
