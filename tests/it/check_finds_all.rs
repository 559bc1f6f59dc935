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
