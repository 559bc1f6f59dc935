//! The exit statuses `check` documents, each reached.

use super::*;

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
fn a_source_date_epoch_before_year_1_is_a_usage_error() {
    // The bags' Bagging-Date is its day: no year 0 there either.
    let store = Store::fixture("minimal").env("SOURCE_DATE_EPOCH", "-62135510401");
    for command in ["check", "build"] {
        let out = store.run(&[command]);
        assert_eq!(out.status.code(), Some(2), "{command}: {}", out.stderr);
        assert!(out.stderr.contains("0001-01-02T00:00:00Z"), "{}", out.stderr);
    }
    assert!(!store.out().exists());
    let store = Store::fixture("minimal").env("SOURCE_DATE_EPOCH", "-62135510400");
    assert_eq!(store.run(&["check"]).status.code(), Some(0));
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
