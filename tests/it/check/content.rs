//! The rest of a store's content and definitions: control characters, the
//! base URL, feed definitions, sizes, links, encodings, dates to come, and
//! many mistakes in one run.

use super::*;

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
fn control_character_written_as_an_escape_in_a_kept_key() {
    // Kept keys reach templates (`item.extra`), and so the feeds.
    let store =
        Store::fixture("minimal").write(NEW, "---\ntitle: New\ndate: 2024-05-01\nsubtitle: \"a\\x0Cb\"\n---\n\nB.\n");
    let p = only(&store, 1, "E0108", &shown(NEW), 4, 11);
    assert!(p.message.contains("U+000C"), "{p:?}");
    let store = Store::fixture("minimal")
        .write(NEW, "+++\ntitle = \"New\"\ndate = 2024-05-01\naliases = [\"/old\\u0001/\"]\n+++\n\nB.\n");
    only(&store, 1, "E0108", &shown(NEW), 4, 11);
}

#[test]
fn a_blank_publisher_is_refused() {
    // Every feed's author, the OPML's owner, the bags' Source-Organization.
    let store = Store::fixture("minimal").edit("site.toml", |t| t.replace("\"Example Publisher\"", "\" \""));
    let p = only(&store, 1, "E0104", &shown("site.toml"), 5, 1);
    assert!(p.message.contains("publisher is empty"), "{p:?}");
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
fn dates_before_year_1_in_the_sites_zone_are_refused() {
    // 0000-01-01T05:00Z is -0001-12-31 at -12:00: no RFC 3339, RFC 822 or
    // RFC 4151 date, and XSD's dateTime has no year 0.
    let west = |t: &str| format!("{t}timezone = \"Etc/GMT+12\"\n");
    let dated = |date: &str| news(&format!("title = \"New\"\ndate = {date}\n"), "B.\n");
    for date in ["\"0000-01-01T05:00:00Z\"", "0001-01-01T11:59:59"] {
        let store = Store::fixture("minimal").edit("site.toml", west).write(NEW, dated(date));
        let p = only(&store, 1, "E0106", &shown(NEW), 3, 8);
        assert!(p.message.contains("0001-01-02T00:00:00Z"), "{p:?}");
    }
    // The first instant taken: every output shows it in year 1, and validates.
    let store = Store::fixture("minimal").edit("site.toml", west).write(NEW, dated("0001-01-01T12:00:00"));
    let out = store.build().ok();
    let items = crate::read::json(&out, "news/feed.json")["items"].clone();
    let item = items.as_array().unwrap().iter().find(|i| i["url"] == "https://example.org/news/new/").unwrap();
    assert_eq!(item["date_published"], "0001-01-01T12:00:00-12:00");
    assert!(item["id"].as_str().unwrap().starts_with("tag:example.org,0001-01-01:"), "{item}");
    assert!(out.read("news/rss.xml").contains(" Jan 0001 12:00:00 -1200</pubDate>"));
    assert_sitemap_valid(&out.path("sitemap.xml"));
    if have("jing", on_path("jing")) {
        let rnc = schemas().join("atom.rnc");
        let run =
            std::process::Command::new("jing").arg("-c").arg(rnc).arg(out.path("news/atom.xml")).output().unwrap();
        assert!(run.status.success(), "jing: {}", String::from_utf8_lossy(&run.stdout));
    }
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
