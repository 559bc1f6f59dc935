//! `pressroom check`: one bad store per problem, each found at its file,
//! line and column with its stable code (`--format json`), the exit status
//! of each kind of failure, every problem of a store in one run, and the
//! human and GitHub Actions formats; and the same content errors through
//! `build`, which stop it with nothing written.

use std::fs;

use crate::harness::*;

mod content;
mod exit_status;
mod fields;
mod formats;
mod through_build;

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
