//! `check` finds everything `build` can fail on: templates rendered for
//! every item and bundle, dates shown in the site's zone, output paths,
//! inputs that are not regular files. Each case runs both commands: same
//! exit status, same problems, and `build` fails only where `check` does.

use std::os::unix::fs::symlink;

use crate::harness::*;

const FIRST: &str = "news/2024-01-10-first-news.md";
const REPORT: &str = "publications/2024-03-01-minimal-report.md";

/// Runs `check` and `build` (both `--format json`) on `store`: both exit
/// with `exit`, report the same problems, and `check` writes nothing.
#[track_caller]
fn both(store: &Store, exit: i32) -> Vec<Problem> {
    let check = store.check(&[]);
    let build = store.run(&["build", "--format", "json"]);
    assert_eq!(check.status.code(), Some(exit), "check: {}{}", check.stdout, check.stderr);
    assert_eq!(build.status.code(), Some(exit), "build: {}{}", build.stdout, build.stderr);
    assert_eq!(check.json(), build.json(), "check and build report the same problems");
    assert!(!check.stderr.contains("panicked"), "{}", check.stderr);
    check.json()
}

#[track_caller]
fn has(problems: &[Problem], code: &str, file: &str, line: usize) -> Problem {
    problems
        .iter()
        .find(|p| p.code == code && p.file == file && p.line == line)
        .cloned()
        .unwrap_or_else(|| panic!("no {code} at {file}:{line} in {problems:#?}"))
}

#[test]
fn an_unknown_field_in_the_item_template_is_a_configuration_error_at_its_line() {
    let store = Store::fixture("minimal").write_feed("templates/item.html", "<p>\n{{ item.nope }}</p>\n");
    let problems = both(&store, 2);
    let p = has(&problems, "E0503", "feeds/templates/item.html", 2);
    assert_eq!(p.column, 9);
    assert!(p.message.contains("nope") && p.message.contains("content/news/"), "{p:?}");
    // One problem per item: every item is rendered, not only the feeds'.
    assert_eq!(problems.len(), 3, "{problems:#?}");
}

#[test]
fn a_syntax_error_in_the_catalogue_template_fails_check_too() {
    let store = Store::fixture("minimal").write_feed("templates/index.html", "<ul>\n{% for x in %}\n");
    let problems = both(&store, 2);
    has(&problems, "E0503", "feeds/templates/index.html", 2);
}

#[test]
fn a_catalogue_template_that_fails_to_render_fails_check() {
    let store = Store::fixture("minimal").write_feed("templates/index.html", "{{ bundle.nope }}\n");
    let problems = both(&store, 2);
    let p = has(&problems, "E0503", "feeds/templates/index.html", 1);
    assert!(p.message.contains("archive catalogue"), "{p:?}");
}

#[test]
fn a_template_past_its_render_budget_is_stopped_and_named() {
    let loops = "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}";
    let store = Store::fixture("minimal").write_feed("templates/item.html", loops).env("PRESSROOM_RENDER_SECONDS", "1");
    let started = std::time::Instant::now();
    let problems = both(&store, 2);
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    let p = has(&problems, "E0504", "feeds/templates/item.html", 0);
    assert!(p.message.contains("content/") && p.message.contains("render budget"), "{p:?}");
    assert_eq!(problems.len(), 1, "one budget problem per template: {problems:#?}");
}

#[test]
fn a_date_the_site_zone_cannot_show_is_an_error_at_its_line() {
    for zone in ["Europe/Paris", "America/New_York", "Asia/Kolkata"] {
        let store = Store::fixture("minimal")
            .edit("site.toml", |t| format!("{t}timezone = \"{zone}\"\n"))
            .edit(FIRST, |t| t.replace("date = 2024-01-10", "date = 1850-01-10"));
        let problems = both(&store, 1);
        let p = has(&problems, "E0106", &format!("content/{FIRST}"), 3);
        assert!(p.message.contains("whole minutes"), "{zone}: {p:?}");
    }
}

#[test]
fn offsets_past_a_day_and_leap_seconds_are_refused() {
    for (date, why) in [("\"2024-01-10T10:00:00-24:00\"", "offset"), ("\"2016-12-31T23:59:60Z\"", "leap second")] {
        let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("2024-01-10", date));
        let problems = both(&store, 1);
        let p = has(&problems, "E0106", &format!("content/{FIRST}"), 3);
        assert!(p.message.contains(why), "{p:?}");
    }
}

#[test]
fn draft_as_a_string_is_the_wrong_type() {
    for draft in ["draft = \"true\"", "draft = \"yes\""] {
        let store = Store::fixture("minimal").edit(FIRST, |t| t.replace("tags =", &format!("{draft}\ntags =")));
        let problems = both(&store, 1);
        has(&problems, "E0105", &format!("content/{FIRST}"), 4);
    }
}

fn mkfifo(path: &std::path::Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo {}", path.display());
}

#[test]
fn a_fifo_where_a_markdown_file_or_a_pdf_is_expected_is_refused_without_reading() {
    let store = Store::fixture("minimal");
    mkfifo(&store.content().join("news/2024-05-01-pipe.md"));
    let problems = both(&store, 1);
    has(&problems, "E0003", "content/news/2024-05-01-pipe.md", 0);

    let store = Store::fixture("minimal").remove("publications/pdf/minimal-report.pdf");
    mkfifo(&store.content().join("publications/pdf/minimal-report.pdf"));
    let problems = both(&store, 1);
    has(&problems, "E0003", &format!("content/{REPORT}"), 7);
}

#[test]
fn a_device_where_a_pdf_is_expected_is_refused() {
    let store = Store::fixture("minimal").remove("publications/pdf/minimal-report.pdf");
    symlink("/dev/zero", store.content().join("publications/pdf/minimal-report.pdf")).unwrap();
    let problems = both(&store, 1);
    // A link out of the content folder, refused before its type matters.
    assert!(problems.iter().any(|p| p.code == "E0302" || p.code == "E0003"), "{problems:#?}");
}

#[test]
fn a_pdf_reached_through_a_link_to_a_name_that_is_not_utf8_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let store = Store::fixture("minimal");
    let dir = store.content().join("publications/pdf");
    let odd = dir.join(std::ffi::OsStr::from_bytes(b"r\xe9port.pdf"));
    std::fs::rename(dir.join("minimal-report.pdf"), &odd).unwrap();
    symlink(&odd, dir.join("minimal-report.pdf")).unwrap();
    let problems = both(&store, 1);
    let p = has(&problems, "E0002", &format!("content/{REPORT}"), 7);
    assert!(p.message.contains("not UTF-8"), "{p:?}");
}

#[test]
fn the_missing_pdf_hint_picks_the_nearest_name() {
    let store = Store::fixture("minimal")
        .write("publications/pdf/other.pdf", "%PDF-1.4\n")
        .edit(REPORT, |t| t.replace("pdf/minimal-report.pdf", "pdf/minimal-report-2023.pdf"));
    let problems = both(&store, 1);
    let p = has(&problems, "E0301", &format!("content/{REPORT}"), 7);
    assert_eq!(p.hint.as_deref(), Some("did you mean \"pdf/minimal-report.pdf\"?"));
}

#[test]
fn a_feed_whose_tags_match_nothing_warns() {
    let store = Store::fixture("minimal").write_feed(
        "lunar.toml",
        "title = \"Lunar\"\ndescription = \"Moon.\"\nsection = \"news\"\ntags = [\"mooon\"]\nformats = [\"rss\"]\n",
    );
    let problems = both(&store, 0);
    has(&problems, "W0104", "feeds/lunar.toml", 4);
    let strict = store.check(&["--deny-warnings"]);
    assert_eq!(strict.status.code(), Some(1), "{}", strict.stderr);
}

/// The minimal store with a second publication `rel` of this front matter
/// (title, date and file given), sharing the report's PDF.
fn with_publication(store: Store, rel: &str, extra: &str) -> Store {
    let text =
        format!("+++\ntitle = \"Other\"\ndate = 2024-03-02\nfile = \"pdf/minimal-report.pdf\"\n{extra}+++\n\nBody.\n");
    store.write(rel, text)
}

#[test]
fn a_publication_slug_that_is_a_feed_file_collides() {
    for name in ["rss.xml", "atom.xml", "feed.json"] {
        let store =
            Store::fixture("minimal").edit(REPORT, |t| t.replace("+++\n\n", &format!("slug = \"{name}\"\n+++\n\n")));
        let problems = both(&store, 1);
        let p = has(&problems, "E0203", &format!("content/{REPORT}"), 8);
        assert!(p.message.contains(&format!("publications/{name}")), "{p:?}");
    }
}

#[test]
fn slugs_differing_only_in_case_or_normalisation_collide() {
    for (a, b) in [("Report", "report"), ("caf\u{e9}", "cafe\u{301}")] {
        let store =
            Store::fixture("minimal").edit(REPORT, |t| t.replace("+++\n\n", &format!("slug = \"{a}\"\n+++\n\n")));
        let store = with_publication(store, "publications/other.md", &format!("slug = \"{b}\"\n"));
        let problems = both(&store, 1);
        let p = problems.iter().find(|p| p.code == "E0203").unwrap_or_else(|| panic!("{problems:#?}"));
        assert!(p.message.contains("macOS"), "{p:?}");
    }
}

#[test]
fn a_page_with_a_section_slug_collides() {
    let store = Store::fixture("minimal").write("pages/news.md", "+++\ntitle = \"News\"\n+++\n\nAll news.\n");
    let problems = both(&store, 1);
    has(&problems, "E0203", "content/pages/news.md", 0);
}

#[test]
fn names_too_long_for_file_systems_or_bags_are_refused() {
    let long = "a".repeat(256);
    let percents = "%".repeat(100);
    for slug in [long.as_str(), percents.as_str()] {
        let store =
            Store::fixture("minimal").edit(REPORT, |t| t.replace("+++\n\n", &format!("slug = \"{slug}\"\n+++\n\n")));
        let problems = both(&store, 1);
        has(&problems, "E0204", &format!("content/{REPORT}"), 8);
    }
}

#[test]
fn every_problem_of_a_front_matter_is_reported_not_only_the_parser_s_first() {
    let text = "+++\ntilte = \"A\"\ndate = \"2021-02-30\"\ndraft = \"yes\"\n+++\n\nBody.\n";
    let store = Store::fixture("minimal").write("news/2024-05-01-new.md", text);
    let problems = both(&store, 1);
    let file = "content/news/2024-05-01-new.md";
    has(&problems, "E0103", file, 2);
    has(&problems, "E0106", file, 3);
    has(&problems, "E0105", file, 4);
    // `title`, misspelt, is not also reported missing.
    assert_eq!(problems.len(), 3, "{problems:#?}");
}

#[test]
fn a_render_that_never_writes_nor_calls_range_is_stopped_by_the_watchdog() {
    let loops = "{% set r = range(end=100000) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}";
    let store = Store::fixture("minimal").write_feed("templates/item.html", loops).env("PRESSROOM_RENDER_SECONDS", "1");
    let started = std::time::Instant::now();
    let out = store.run(&["check"]);
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("E0504") && out.stderr.contains("item.html"), "{}", out.stderr);
}

/// A template that doubles a string forty times: each step asks for twice
/// the memory, the last ones for more than any machine has.
const DOUBLING: &str =
    "{% set s = \"xx\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}{{ s | length }}";

/// `pressroom <args>` in `store` with 4 GiB of address space: the doubling
/// fails an allocation there in a few seconds (which aborted the process
/// before the memory budget) rather than fill a shared machine's memory.
fn run_in_4_gib(store: &Store, args: &[&str]) -> (std::process::ExitStatus, String) {
    use std::os::unix::process::CommandExt;
    let mut cmd = store.command(args);
    // SAFETY: setrlimit is async-signal-safe, and nothing else runs between
    // fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: 4 << 30, rlim_max: 4 << 30 };
            match libc::setrlimit(libc::RLIMIT_AS, &limit) {
                0 => Ok(()),
                _ => Err(std::io::Error::last_os_error()),
            }
        });
    }
    let out = cmd.output().expect("running pressroom");
    (out.status, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The run ended with the memory budget's E0504 for `template`, rendered
/// for `subject`, not with a signal.
#[track_caller]
fn stopped_by_the_memory_budget(status: std::process::ExitStatus, stderr: &str, template: &str, subject: &str) {
    use std::os::unix::process::ExitStatusExt;
    assert_eq!((status.code(), status.signal()), (Some(2), None), "{stderr}");
    let problem = stderr.lines().find(|l| l.contains("E0504")).unwrap_or_else(|| panic!("no E0504: {stderr}"));
    assert!(problem.starts_with(&format!("feeds/templates/{template}: error[E0504]: rendering {subject}")), "{stderr}");
    assert!(problem.contains("256 MiB of memory"), "{stderr}");
    assert!(!stderr.contains("memory allocation of") && !stderr.contains("SIGABRT"), "{stderr}");
}

#[test]
fn a_template_that_grows_a_string_without_bound_is_stopped_by_the_memory_budget() {
    for (template, subject) in [
        ("item.html", "content/news/"),
        ("feed.html", "the page of feed "),
        ("index.html", "the archive catalogue of "),
        ("archive.html", "the archive page"),
    ] {
        let store = Store::fixture("minimal").write_feed(&format!("templates/{template}"), DOUBLING);
        let (status, stderr) = run_in_4_gib(&store, &["check"]);
        stopped_by_the_memory_budget(status, &stderr, template, subject);
        assert!(!store.out().exists(), "check writes nothing");
    }
}

#[test]
fn a_build_stopped_by_the_memory_budget_leaves_the_previous_output_alone() {
    let store = Store::fixture("minimal");
    let before = store.build().ok().files();
    let store = store.write_feed("templates/item.html", DOUBLING);
    let (status, stderr) = run_in_4_gib(&store, &["build"]);
    stopped_by_the_memory_budget(status, &stderr, "item.html", "content/news/");
    assert!(before == files(&store.out()), "the previous output is untouched");
    // Every template is rendered in the proof, before the staging folder is made.
    let left: Vec<_> = std::fs::read_dir(store.root())
        .unwrap()
        .chain(std::fs::read_dir(store.out()).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("staging"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn quiet_prints_errors_only() {
    let future = "+++\ntitle = \"Later\"\ndate = 2030-01-01\n+++\n\nSoon.\n";
    let store = Store::fixture("minimal").write("news/2030-01-01-later.md", future);
    let loud = store.run(&["check"]);
    assert!(loud.stderr.contains("W0101"), "{}", loud.stderr);
    let quiet = store.run(&["check", "-q"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(quiet.stderr, "", "nothing but errors");
    let broken = store.write("news/2024-05-01-x.md", "+++\ntitle = true\n+++\n");
    let quiet = broken.run(&["check", "-q"]);
    assert!(quiet.stderr.contains("E0105") && !quiet.stderr.contains("W0101"), "{}", quiet.stderr);
}

#[test]
fn a_file_name_holding_a_line_break_cannot_inject_an_annotation() {
    let name = "news/2024-05-01-a\n::error file=evil.md,line=1::injected.md";
    let store = Store::fixture("minimal").write(name, "+++\ntitle = true\n+++\n");
    let out = store.run(&["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1), "{}{}", out.stdout, out.stderr);
    for line in out.stdout.lines().chain(out.stderr.lines()) {
        assert!(!line.starts_with("::error file=evil.md"), "injected: {line}");
    }
    assert!(out.stdout.lines().all(|l| l.starts_with("::")), "{}", out.stdout);
}

#[test]
fn a_host_too_long_for_the_bundle_names_is_refused() {
    // A DNS name still (labels of 63 at most, 253 in all), too long all the same.
    let host = format!("{0}.{0}.{0}.{1}.org", "a".repeat(63), "b".repeat(57));
    let store =
        Store::fixture("minimal").edit("site.toml", |t| t.replace("https://example.org", &format!("https://{host}")));
    let problems = both(&store, 1);
    has(&problems, "E0204", "content/site.toml", 2);
}

#[test]
fn the_feed_page_and_archive_page_templates_fail_check_too() {
    for name in ["feed.html", "archive.html"] {
        let store = Store::fixture("minimal").write_feed(&format!("templates/{name}"), "<p>\n{{ nope.nope }}</p>\n");
        let problems = both(&store, 2);
        let p = has(&problems, "E0503", &format!("feeds/templates/{name}"), 2);
        assert!(p.message.starts_with("rendering "), "{p:?}");
    }
}

#[test]
fn a_feed_named_like_the_archive_collides_with_its_page() {
    let store = Store::fixture("minimal")
        .write_feed("archive.toml", "title = \"S\"\ndescription = \"S.\"\nsection = \"news\"\nformats = [\"rss\"]\n");
    let problems = both(&store, 1);
    let p = problems.iter().find(|p| p.code == "E0203").unwrap_or_else(|| panic!("{problems:#?}"));
    assert!(p.message.contains("archive/index.html"), "{p:?}");
}

#[test]
fn two_pages_on_one_url_are_said_at_what_made_the_url() {
    // Said at the item read last (the first news item): at its own `url`
    // when it has one, else at its front matter's opening fence (below the
    // blank lines), where `slug` would go, its URL being made of its name.
    let second = "news/2024-02-20-second-news.md";
    for (url_in, at) in [(second, (FIRST, 3, 1)), (FIRST, (FIRST, 2, 7))] {
        let other = if url_in == second { FIRST } else { second };
        let url = if url_in == second { "/news/first-news/" } else { "/news/second-news/" };
        let store = Store::fixture("minimal")
            .edit(url_in, |t| t.replacen("+++\n", &format!("+++\nurl = \"{url}\"\n"), 1))
            .edit(other, |t| format!("\n\n{t}"));
        let problems = both(&store, 1);
        let p = problems.iter().find(|p| p.code == "E0203").unwrap_or_else(|| panic!("{problems:#?}"));
        assert_eq!((p.file.as_str(), p.line, p.column), (format!("content/{}", at.0).as_str(), at.1, at.2), "{p:?}");
    }
}
