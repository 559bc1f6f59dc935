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

#[test]
fn a_post_with_no_date_anywhere_is_left_out_with_a_warning() {
    let store = Store::fixture("minimal").write("news/about-us.md", "---\ntitle: About us\n---\nWho we are.\n");
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(0), "a warning: {}", check.stderr);
    check.has("W0110", "content/news/about-us.md", 1, 1);
    store.check(&["--deny-warnings"]).fails_with(1);
    let out = store.build().ok();
    assert!(!out.read("news/rss.xml").contains("About us"), "left out of the feed");
    assert!(!out.read("sitemap.xml").contains("about-us"), "left out of the sitemap");
}

#[test]
fn redirect_stubs_are_left_out_with_one_note() {
    let stub = "---\nlayout: redirect\nredirect_to: /news/elsewhere/\n---\n";
    let store = Store::fixture("minimal")
        .write("news/old-url.md", stub)
        .write("news/moved.md", stub)
        .write("news/2021/also-moved.markdown", stub);
    let check = store.check(&["--deny-warnings"]);
    assert_eq!(check.status.code(), Some(0), "a note fails nothing: {}", check.stderr);
    let notes: Vec<Problem> = check.json().into_iter().filter(|p| p.code == "N0110").collect();
    assert_eq!(notes.len(), 1, "one note per run: {notes:?}");
    for name in ["news/old-url.md", "news/moved.md", "news/2021/also-moved.markdown"] {
        assert!(notes[0].message.contains(name), "{name} in {}", notes[0].message);
    }
    assert!(notes[0].message.starts_with("3 file(s)"), "{}", notes[0].message);
    let out = store.build().ok();
    assert!(!out.read("news/feed.json").contains("redirect"), "nothing of the stubs is published");
}

#[test]
fn a_date_from_the_yyyy_mm_dd_of_a_zola_path() {
    let store = Store::fixture("minimal")
        .write("news/post.md", "+++\ntitle = \"Zola post\"\npath = \"blog/2019/05/10/a-post\"\n+++\nBody.\n")
        .write("news/bad.md", "+++\ntitle = \"Bad\"\npath = \"blog/2019/13/40/bad\"\n+++\nBody.\n");
    store.check(&[]).fails_with(1).has("E0106", "content/news/bad.md", 3, 8);
    let store = store.remove("news/bad.md");
    let out = store.build().ok();
    let feed = crate::read::json(&out, "news/feed.json");
    let item = feed["items"].as_array().unwrap().iter().find(|i| i["title"] == "Zola post").unwrap().clone();
    assert_eq!(item["date_published"], "2019-05-10T00:00:00Z");
    assert!(item["url"].as_str().unwrap().ends_with("/blog/2019/05/10/a-post/"), "{item}");
}

#[test]
fn html_posts_and_hugo_index_html_bundles_are_items_with_html_bodies() {
    let hugo = "---\ntitle: \"Hugo bundle\"\ndate: 2021-03-04\ndescription: \"An HTML bundle.\"\n---\n\
                <p>See <img src=\"chart.png\" alt=\"chart\"> and <a href=\"../other/\">this</a>.</p>\n\n    \
                <p>Indented, not code.</p>\n";
    let jekyll = "---\ntitle: Jekyll HTML\n---\n<p>Plain <em>HTML</em>.</p>\n";
    let store = Store::fixture("minimal")
        .write("news/hugo-bundle/index.html", hugo)
        .write("news/hugo-bundle/chart.png", b"\x89PNG\r\n\x1a\n")
        .write("news/2021-03-05-jekyll-html.html", jekyll)
        // The site's own HTML, without front matter, is not read.
        .write("news/embed.html", "<p>An embed of the site's own.</p>\n");
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(0), "{}", check.stderr);
    let out = store.build().ok();
    let feed = crate::read::json(&out, "news/feed.json");
    let items = feed["items"].as_array().unwrap();
    let bundle = items.iter().find(|i| i["title"] == "Hugo bundle").expect("the bundle is an item");
    let url = bundle["url"].as_str().unwrap();
    assert!(url.ends_with("/news/hugo-bundle/"), "slug from the folder: {url}");
    let html = bundle["content_html"].as_str().unwrap();
    assert!(html.contains(&format!("src=\"{url}chart.png\"")), "references made absolute: {html}");
    assert!(!html.contains("<pre>") && !html.contains("<code>"), "HTML is not read as Markdown: {html}");
    assert_eq!(bundle["summary"], "An HTML bundle.");
    let jekyll = items.iter().find(|i| i["title"] == "Jekyll HTML").expect("the .html post is an item");
    assert_eq!(jekyll["date_published"], "2021-03-05T00:00:00Z");
    assert!(jekyll["content_html"].as_str().unwrap().contains("<p>Plain <em>HTML</em>.</p>"));
    assert_eq!(items.iter().filter(|i| i["content_html"].as_str().unwrap().contains("embed")).count(), 0);
}
