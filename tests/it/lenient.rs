//! What real sites hold, found by `check` but not blocking a move (issue
//! 19, item 9): references to files that are not there, Zola's internal
//! links, links to `.html` pages, a form feed pasted into a body, one slug
//! on several URLs. Each is a warning at its place (or nothing), the build
//! goes through, and `--deny-warnings` makes CI strict; what is about
//! safety stays an error.

use std::process::Command;

use crate::harness::*;
use crate::read::*;

const FIRST: &str = "news/2024-01-10-first-news.md";
const NEW: &str = "news/2024-05-01-new.md";
/// The page of `NEW` under the default `[urls]`.
const NEW_URL: &str = "https://example.org/news/new/";

fn shown(rel: &str) -> String {
    format!("content/{rel}")
}

/// A news item dated 2024-05-01 with this body, below four lines of front
/// matter and a blank line: the body's first line is line 6.
fn new_item(body: &str) -> String {
    format!("+++\ntitle = \"New\"\ndate = 2024-05-01\n+++\n\n{body}")
}

/// `check` passes, with exactly the warnings `expected` (code, line,
/// column) in `NEW`, and fails with `--deny-warnings`.
#[track_caller]
fn warns(store: &Store, expected: &[(&str, usize, usize)]) -> Vec<Problem> {
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}{}", out.stdout, out.stderr);
    let warnings: Vec<Problem> = out.json().into_iter().filter(|p| p.severity != "note").collect();
    assert_eq!(warnings.len(), expected.len(), "{}", out.stdout);
    for &(code, line, column) in expected {
        assert_eq!(out.has(code, &shown(NEW), line, column).severity, "warning");
    }
    let strict = store.check(&["--deny-warnings"]);
    assert_eq!(strict.status.code(), Some(1), "--deny-warnings fails on them: {}", strict.stdout);
    warnings
}

/// The HTML content of the item at `url` in the news RSS feed.
#[track_caller]
fn rss_content(out: &Outcome, url: &str) -> String {
    let rss = out.read("news/rss.xml");
    let doc = xml(&rss);
    let items = kids(kid(doc.root_element(), None, "channel"), None, "item");
    let item = items.into_iter().find(|i| kid_text(*i, None, "link") == url).expect("the item is in the feed");
    kid_text(item, Some(CONTENT_NS), "encoded")
}

#[test]
fn a_missing_image_or_file_is_a_warning_and_linked_resolved() {
    let store =
        Store::fixture("minimal").write(NEW, new_item("Intro.\n\n![gone](gone.png) and [data](files/data.csv).\n"));
    let warnings = warns(&store, &[("W0108", 8, 1), ("W0108", 8, 23)]);
    assert!(warnings[0].message.contains("content/news/gone.png"), "says what was looked for: {warnings:?}");
    let out = store.build().ok();
    let html = rss_content(&out, NEW_URL);
    assert!(html.contains(r#"src="https://example.org/news/new/gone.png""#), "{html}");
    assert!(html.contains(r#"href="https://example.org/news/new/files/data.csv""#), "{html}");
    assert!(!out.path("news/new/gone.png").exists(), "nothing is published for it");
    // The image that is there is still published beside its item.
    assert!(out.path("news/first-news/map.png").is_file());
}

#[test]
fn a_link_to_a_missing_content_file_is_a_warning() {
    let store =
        Store::fixture("minimal").write(NEW, new_item("Intro.\n\nSee [the plan](../publications/plan.md#p2).\n"));
    let warnings = warns(&store, &[("W0108", 8, 5)]);
    assert!(warnings[0].message.contains("content/publications/plan.md"), "{warnings:?}");
    // Linked as written, made absolute against the item's URL.
    let out = store.build().ok();
    let html = rss_content(&out, NEW_URL);
    assert!(html.contains(r#"href="https://example.org/news/publications/plan.md#p2""#), "{html}");
}

#[test]
fn zola_internal_links_become_the_items_urls() {
    let body = "Intro.\n\nSee [the first](@/news/2024-01-10-first-news.md#part), \
                [the report](@/publications/2024-03-01-minimal-report.md) and [about](@/pages/about.md).\n";
    let store = Store::fixture("minimal").write(NEW, new_item(body));
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", out.stdout);
    assert!(out.json().iter().all(|p| p.severity == "note"), "no warning: {}", out.stdout);
    let out = store.build().ok();
    let html = rss_content(&out, NEW_URL);
    assert!(html.contains(r##"href="https://example.org/news/first-news/#part""##), "{html}");
    assert!(html.contains(r#"href="https://example.org/publications/minimal-report/""#), "{html}");
    assert!(html.contains(r#"href="https://example.org/about/""#), "{html}");
    for format in ["news/atom.xml", "news/feed.json"] {
        assert!(out.read(format).contains("https://example.org/news/first-news/#part"), "{format}");
    }
}

#[test]
fn a_zola_link_to_nothing_published_is_a_warning() {
    let draft = "+++\ntitle = \"Draft\"\ndate = 2024-04-01\ndraft = true\n+++\n\nNot yet.\n";
    let body = "Intro.\n\n[gone](@/blog/gone.md) [draft](@/news/2024-04-01-draft.md)\n";
    let store = Store::fixture("minimal").write("news/2024-04-01-draft.md", draft).write(NEW, new_item(body));
    let warnings = warns(&store, &[("W0108", 8, 1), ("W0108", 8, 24)]);
    let gone = warnings.iter().find(|p| p.column == 1).unwrap();
    assert!(gone.message.contains("content/blog/gone.md"), "says what was looked for: {gone:?}");
    let draft = warnings.iter().find(|p| p.column == 24).unwrap();
    assert!(draft.message.contains("not published"), "{draft:?}");
    // Linked at its path under the base URL: never `…/news/new/@/…`.
    let out = store.build().ok();
    let html = rss_content(&out, NEW_URL);
    assert!(html.contains(r#"href="https://example.org/blog/gone.md""#), "{html}");
    assert!(!html.contains("@/"), "{html}");
}

#[test]
fn html_and_htm_references_are_pages_not_files() {
    let body = "Intro.\n\n[old](old-page.html), [archive](../archive/Index.HTM?x=1#top), [files](list.html#a).\n";
    let store = Store::fixture("minimal").write(NEW, new_item(body));
    let out = store.check(&["--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "not warned: {}", out.stdout);
    let out = store.build().ok();
    let html = rss_content(&out, NEW_URL);
    assert!(html.contains(r#"href="https://example.org/news/new/old-page.html""#), "{html}");
    assert!(html.contains(r##"href="https://example.org/news/archive/Index.HTM?x=1#top""##), "{html}");
    assert!(html.contains(r##"href="https://example.org/news/new/list.html#a""##), "{html}");
}

#[test]
fn escaping_references_are_never_read_and_only_linked() {
    // Out of the content folder, a reference is a link and nothing more:
    // the file there (which exists) is neither read nor published.
    let store =
        Store::fixture("minimal").write("../x.png", "SECRET").write(NEW, new_item("Intro.\n\n![x](../../../x.png)\n"));
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(0), "a warning: {}", out.stdout);
    let problem = out.has("W0108", &shown(NEW), 8, 1);
    assert!(problem.message.contains("outside the content folder"), "{problem:?}");
    store.check(&["--deny-warnings"]).fails_with(1);
    let built = store.build().ok();
    assert!(!built.files().values().any(|bytes| bytes.windows(6).any(|w| w == b"SECRET")), "nothing read");
    assert!(rss_content(&built, NEW_URL).contains(r#"src="https://example.org/x.png""#));
    // A path no file can have stays an error.
    let store = Store::fixture("minimal").write(NEW, new_item("Intro.\n\n![x](a%2Fb.png)\n"));
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stdout);
    assert!(out.has("E0109", &shown(NEW), 8, 1).message.contains("%2F"));
}

#[test]
fn a_form_feed_in_a_body_is_dropped_with_a_warning() {
    // Pasted from a word processor: a page break, and another control
    // character in the middle of a line.
    let body = "Page one.\u{c}\n\nPage\u{c} two, with a bell\u{7} and a [link](../second-news/).\n";
    let store = Store::fixture("minimal").write(NEW, new_item(body));
    let warnings = warns(&store, &[("W0109", 6, 10), ("W0109", 8, 5)]);
    assert!(warnings[0].message.contains("U+000C"), "{warnings:?}");
    assert!(warnings[1].message.contains("1 more"), "one warning a line: {warnings:?}");
    let out = store.build().ok();
    for format in ["news/rss.xml", "news/atom.xml", "news/feed.json"] {
        let text = out.read(format);
        assert!(!text.contains(['\u{c}', '\u{7}']), "{format} carries it");
        assert!(!text.contains("\\f") && !text.contains("\\u0007"), "{format} carries it escaped");
        feed(&out, format);
    }
    let html = rss_content(&out, NEW_URL);
    assert!(html.contains("Page two, with a bell and a"), "{html}");
    assert!(html.contains(r#"href="https://example.org/news/second-news/""#), "{html}");
    xml(&out.read("news/atom.xml"));
    if have("xmllint", on_path("xmllint")) {
        for format in ["news/rss.xml", "news/atom.xml"] {
            let run = Command::new("xmllint").args(["--noout", "--nonet"]).arg(out.path(format)).output().unwrap();
            assert!(run.status.success(), "xmllint {format}: {}", String::from_utf8_lossy(&run.stderr));
        }
    }
}

#[test]
fn a_character_reference_to_a_character_xml_forbids_is_dropped_with_a_warning() {
    // pulldown-cmark makes the character from the reference, after the
    // body's raw ones are dropped: the summary (the first paragraph), text,
    // a title attribute. Code and raw HTML keep a reference as written.
    let body = "A &#x1; B and &#xFFFE;.\n\nPage &#12;two, [a link](x/ \"t&#11;\") and `&#1;` as code.\n\n\
                <p>Raw HTML keeps &#2; as written.</p>\n";
    let store = Store::fixture("minimal").write(NEW, new_item(body));
    let warnings = warns(&store, &[("W0109", 6, 3), ("W0109", 8, 6)]);
    assert!(warnings[0].message.contains("U+0001") && warnings[0].message.contains("1 more"), "{warnings:?}");
    assert!(warnings[1].message.contains("U+000C"), "{warnings:?}");
    let out = store.build().ok();
    let forbidden = ['\u{1}', '\u{b}', '\u{c}', '\u{fffe}'];
    for format in ["news/rss.xml", "news/atom.xml", "news/feed.json"] {
        let text = out.read(format);
        assert!(!text.contains(forbidden), "{format} carries it");
        assert!(!text.contains("\\u0001") && !text.contains("\\f") && !text.contains("\\ufffe"), "{format}: escaped");
        feed(&out, format);
    }
    let html = rss_content(&out, NEW_URL);
    assert!(html.contains("<p>A  B and .</p>") && html.contains("Page two"), "{html}");
    assert!(html.contains("<code>&amp;#1;</code>") && html.contains("&#2;"), "{html}");
    let summary = &json(&out, "news/feed.json")["items"][0]["summary"];
    assert_eq!(summary, "A  B and .", "the summary, from the first paragraph");
    if have("xmllint", on_path("xmllint")) {
        for format in ["news/rss.xml", "news/atom.xml"] {
            let run = Command::new("xmllint").args(["--noout", "--nonet"]).arg(out.path(format)).output().unwrap();
            assert!(run.status.success(), "xmllint {format}: {}", String::from_utf8_lossy(&run.stderr));
        }
    }
    if have("jing", on_path("jing")) {
        let rnc = schemas().join("atom.rnc");
        let run = Command::new("jing").arg("-c").arg(rnc).arg(out.path("news/atom.xml")).output().unwrap();
        assert!(run.status.success(), "jing: {}", String::from_utf8_lossy(&run.stdout));
    }
}

#[test]
fn a_form_feed_in_the_front_matter_is_an_error() {
    // A title, summary or tag reaches the feeds as written: it is the
    // editor's to fix, not pressroom's to change (E0108, at its place).
    let store = Store::fixture("minimal").write(NEW, "+++\ntitle = \"Ne\u{c}w\"\ndate = 2024-05-01\n+++\n\nB.\n");
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stdout);
    out.has("E0108", &shown(NEW), 2, 12);
}

#[test]
fn one_slug_on_different_urls_builds() {
    // By URL pattern: the year in the URL.
    let site = std::fs::read_to_string(format!("{REPO}/tests/fixtures/minimal/content/site.toml")).unwrap();
    let again = "+++\ntitle = \"Again\"\ndate = 2025-01-10\nslug = \"first-news\"\n+++\n\nThe next year.\n";
    let store = Store::fixture("minimal")
        .write("site.toml", format!("{site}\n[urls]\nnews = \"/news/{{year}}/{{slug}}/\"\n"))
        .write("news/2025-01-10-again.md", again);
    let out = store.check(&["--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", out.stdout);
    let out = store.build().ok();
    let rss = out.read("news/rss.xml");
    for url in ["https://example.org/news/2024/first-news/", "https://example.org/news/2025/first-news/"] {
        assert!(rss.contains(&format!("<link>{url}</link>")), "{url}: {rss}");
    }
    // By Zola's `path`, under the default pattern.
    let moved =
        "+++\ntitle = \"Moved\"\ndate = 2024-05-01\nslug = \"first-news\"\npath = \"archive/first-news\"\n+++\n\nB.\n";
    let store = Store::fixture("minimal").write(NEW, moved);
    let out = store.build().ok();
    let rss = out.read("news/rss.xml");
    for url in ["https://example.org/news/first-news/", "https://example.org/archive/first-news/"] {
        assert!(rss.contains(&format!("<link>{url}</link>")), "{url}: {rss}");
    }
}

#[test]
fn one_slug_on_one_url_fails_naming_both_files() {
    let store = Store::fixture("minimal")
        .write(NEW, "+++\ntitle = \"Other\"\ndate = 2024-05-01\nslug = \"first-news\"\n+++\n\nB.\n");
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stdout);
    let problem = out.has("E0201", &shown(NEW), 4, 1);
    assert!(problem.message.contains(&shown(FIRST)), "{problem:?}");
    assert!(problem.message.contains("https://example.org/news/first-news/"), "{problem:?}");
    store.build().fails_with(1);
}

#[test]
fn two_items_on_one_url_fail_naming_both_files() {
    // Different slugs, one URL: the output plan finds it (E0203).
    let store = Store::fixture("minimal")
        .write(NEW, "+++\ntitle = \"Other\"\ndate = 2024-05-01\nurl = \"/news/first-news/\"\n+++\n\nB.\n");
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stdout);
    let problem = out.json().into_iter().find(|p| p.code == "E0203").expect(&out.stdout);
    let said = format!("{} {}", problem.file, problem.message);
    assert!(said.contains(FIRST) && said.contains(NEW), "names both files: {said}");
    assert!(said.contains("https://example.org/news/first-news/"), "{said}");
    let out = store.build().fails_with(1);
    assert!(out.stderr.contains(FIRST) && out.stderr.contains(NEW), "{}", out.stderr);
}
