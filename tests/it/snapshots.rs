//! Snapshots of outputs of the minimal fixture (in `snapshots/`), on top of
//! the parser checks: a change to any byte of them shows up in review.
//! The RSS and Atom files are one line each; the snapshots break the line
//! between tags (`><` → `>\n<`) so that a diff points at the element.
//! Update them with `INSTA_UPDATE=always cargo test` (or `cargo insta review`).

use crate::harness::*;

/// The text as snapshotted: the crate version replaced, so a release does
/// not churn every snapshot.
fn stable(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

fn one_tag_a_line(text: &str) -> String {
    stable(text).replace("><", ">\n<")
}

#[test]
fn news_rss() {
    let out = Store::fixture("minimal").build().ok();
    insta::assert_snapshot!("news_rss", one_tag_a_line(&out.read("news/rss.xml")));
}

#[test]
fn publications_atom() {
    let out = Store::fixture("minimal").build().ok();
    insta::assert_snapshot!("publications_atom", one_tag_a_line(&out.read("publications/atom.xml")));
}

#[test]
fn publications_json_feed() {
    let out = Store::fixture("minimal").build().ok();
    insta::assert_snapshot!("publications_json", stable(&out.read("publications/feed.json")));
}

#[test]
fn sitemap() {
    let out = Store::fixture("minimal").build().ok();
    insta::assert_snapshot!("sitemap", out.read("sitemap.xml"));
}

#[test]
fn error_message_for_an_unknown_key() {
    let store = Store::fixture("minimal").edit("news/2024-01-10-first-news.md", |t| t.replace("title = ", "tilte = "));
    let out = store.build().fails_with(1);
    // The messages name files by their full path: hide the temporary folder.
    let stderr = out.stderr.replace(store.root().to_str().unwrap(), "[STORE]");
    insta::assert_snapshot!("error_unknown_key", stderr);
}

#[test]
fn error_message_for_a_template_that_fails_to_render() {
    let store = Store::fixture("minimal").write_feed("templates/item.html", "<p>\n{{ item.nope }}</p>\n");
    let out = store.run(&["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", out.stderr);
    insta::assert_snapshot!("error_template_render", out.stderr);
}

#[test]
fn error_message_for_a_date_the_site_zone_cannot_show() {
    let store = Store::fixture("minimal")
        .edit("site.toml", |t| format!("{t}timezone = \"Europe/Paris\"\n"))
        .edit("news/2024-01-10-first-news.md", |t| t.replace("date = 2024-01-10", "date = 1850-01-10"));
    let out = store.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    insta::assert_snapshot!("error_local_mean_time", out.stderr);
}

#[test]
fn check_counts_warnings_and_notes_apart() {
    // W0107 (a name that looks like Markdown) and N0102 (a file not read).
    let store = Store::fixture("minimal").write("news/2024-05-01-post.MD", "+++\n+++\n").write("news/notes.org", "x");
    let out = store.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", out.stderr);
    let last = out.stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("checked: no errors, 1 warning, 1 note; "), "{last}");
    insta::assert_snapshot!("check_summary", out.stderr);
}
