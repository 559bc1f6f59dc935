//! The same content errors through `build`: exit 1, the file, line and
//! code, nothing written, and `check` alike.

use super::*;

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
    // A publication's: a news item's is made from its name (W0111).
    let store = Store::fixture("minimal").edit(REPORT, |t| t.replace("title = \"Minimal Report\"\n", ""));
    let problem = build_fails(store, &format!("{REPORT}:1:"), "E0104");
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
