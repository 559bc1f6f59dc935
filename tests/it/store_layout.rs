//! Content laid out as Jekyll, Hugo and Zola sites lay it out (issue 19,
//! item 1): other Markdown extensions, subfolders of a section, page bundles
//! (a folder with `index.md` and its files), and a section's own `_index.md`.
//! Nothing is skipped without a word.

use crate::harness::*;

fn post(title: &str, date: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = {date}\n+++\n\n{body}\n")
}

#[test]
fn subfolders_bundles_and_other_extensions_are_read() {
    let store = Store::fixture("minimal")
        .write("news/2021/post-a.md", post("In a year folder", "2021-05-01", "A."))
        .write("news/bundle-b/index.md", post("A bundle", "2021-06-01", "B ![a picture](pic.png)"))
        .write("news/bundle-b/pic.png", b"\x89PNG bundle")
        .write("news/2021-07-01-c.markdown", post("Another extension", "2021-07-01", "C."))
        .write("news/d.mdown", post("Mdown", "2021-07-02", "D."))
        .write("news/_index.md", "+++\ntitle = \"News\"\n+++\n\nThe section's own page.\n");
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(0), "{}{}", check.stdout, check.stderr);
    // The counts a site moving in looks at first: every post there?
    let said = store.run(&["check"]).ok();
    assert!(said.stderr.contains("6 news item(s), 1 publication(s), 1 page(s)"), "{}", said.stderr);
    let out = store.build().ok();
    let rss = out.read("news/rss.xml");
    let doc = roxmltree::Document::parse(&rss).unwrap();
    let links: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .filter_map(|item| item.children().find(|n| n.has_tag_name("link")).and_then(|n| n.text()).map(str::to_owned))
        .collect();
    for slug in ["post-a", "bundle-b", "c", "d"] {
        assert!(links.iter().any(|l| l.ends_with(&format!("/news/{slug}/"))), "{slug} in {links:?}");
    }
    assert!(!rss.contains("The section's own page"), "_index.md is the section's page, not an item");
    assert_eq!(out.bytes("news/bundle-b/pic.png"), b"\x89PNG bundle", "a bundle's files are its assets");
}

#[test]
fn a_file_that_looks_like_markdown_but_is_not_read_is_a_warning() {
    let store = Store::fixture("minimal")
        .write("news/welcome.MD", post("Upper case", "2021-05-01", "A."))
        .write("news/2021/draft.md~", post("A backup", "2021-05-01", "B."))
        .write("news/notes.mdx", "# mdx\n");
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(0), "warnings only: {}", check.stderr);
    let unread: Vec<String> = check.json().into_iter().filter(|p| p.code == "W0107").map(|p| p.file).collect();
    assert_eq!(unread, ["content/news/2021/draft.md~", "content/news/notes.mdx", "content/news/welcome.MD"]);
    store.check(&["--deny-warnings"]).fails_with(1);
}

#[test]
fn the_path_placeholder_keeps_a_section_s_folders_in_the_url() {
    let site = std::fs::read_to_string(Store::fixture("minimal").content().join("site.toml")).unwrap();
    let store = Store::fixture("minimal")
        .write("site.toml", format!("{site}\n[urls]\nnews = \"/news/{{path}}{{slug}}/\"\n"))
        .write("news/2021/0.91.2-relnotes.md", post("Release notes", "2021-05-01", "A."))
        .write("news/2021/bundle/index.md", post("A bundle", "2021-06-01", "B."));
    let out = store.build().ok();
    let rss = out.read("news/rss.xml");
    for url in [
        "https://example.org/news/2021/0.91.2-relnotes/",
        "https://example.org/news/2021/bundle/",
        "https://example.org/news/first-news/",
    ] {
        assert!(rss.contains(&format!("<link>{url}</link>")), "{url} in\n{rss}");
    }
}

#[test]
fn files_no_item_reads_are_named_in_one_note_that_fails_nothing() {
    let store = Store::fixture("minimal")
        .write("news/_index.md", "+++\ntitle = \"News\"\n+++\n")
        .write("news/2021/_index.md", "+++\ntitle = \"2021\"\n+++\n")
        .write("news/old.psd", b"8BPS")
        .write("news/bundle/index.md", post("A bundle", "2021-06-01", "![shown](shown.png)"))
        .write("news/bundle/shown.png", b"\x89PNG")
        .write("news/bundle/unshown.png", b"\x89PNG");
    let check = store.check(&["--deny-warnings"]);
    assert_eq!(check.status.code(), Some(0), "a note fails nothing: {}", check.stderr);
    let notes: Vec<_> = check.json().into_iter().filter(|p| p.code == "N0102").collect();
    assert_eq!(notes.len(), 1, "one note per run: {notes:?}");
    let message = &notes[0].message;
    for name in ["news/2021/_index.md", "news/old.psd", "news/bundle/unshown.png"] {
        assert!(message.contains(name), "{name} in {message}");
    }
    // The section's own page, at its top, is read (sections::index_md_titles_its_sections_feed).
    assert!(!message.contains("\"news/_index.md\""), "{message}");
    for shown in ["shown.png\"", "minimal-report.pdf", "map.png"] {
        assert!(!message.contains(&format!("/{shown}")), "{shown} is read: {message}");
    }
}
