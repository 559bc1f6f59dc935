//! A site moving in from Jekyll (jekyll-feed), Hugo or Zola: its
//! subscribers notice nothing. The items keep their ids (`ids` in
//! `site.toml`: each item's URL, or a pattern), and the feeds can be
//! written where the old system wrote them (`files` in a feed definition).

use std::path::Path;
use std::process::Command;

use crate::harness::*;
use crate::read::{self, ATOM_NS};

/// The minimal store with `line` added to its site.toml.
fn with_site_line(line: &str) -> Store {
    Store::fixture("minimal").edit("site.toml", |t| format!("{line}\n{t}"))
}

/// Validates an Atom document with jing, as the other tests do.
fn jing(out: &Outcome, rel: &str) {
    if have("jing", on_path("jing")) {
        let rnc = Path::new(REPO).join("tests/schemas/atom.rnc");
        let run = Command::new("jing").arg("-c").arg(&rnc).arg(out.path(rel)).output().unwrap();
        assert!(run.status.success(), "jing {rel}: {}", String::from_utf8_lossy(&run.stdout));
    }
}

#[test]
fn ids_url_makes_every_id_the_items_url() {
    let out = with_site_line("ids = \"url\"").build().ok();
    let rss = out.read("news/rss.xml");
    let doc = read::xml(&rss);
    let items: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("item")).collect();
    assert_eq!(items.len(), 2);
    for item in items {
        let link = read::kid_text(item, None, "link");
        let guid = read::kid(item, None, "guid");
        assert_eq!(guid.text(), Some(link.as_str()));
        assert_eq!(guid.attribute("isPermaLink"), Some("true"), "{link}");
    }
    let atom = out.read("news/atom.xml");
    let doc = read::xml(&atom);
    for entry in doc.descendants().filter(|n| n.has_tag_name((ATOM_NS, "entry"))) {
        let alternate = read::kids(entry, Some(ATOM_NS), "link")
            .into_iter()
            .find(|l| l.attribute("rel") == Some("alternate"))
            .unwrap();
        assert_eq!(read::kid_text(entry, Some(ATOM_NS), "id"), alternate.attribute("href").unwrap());
    }
    jing(&out, "news/atom.xml");
    let json = read::json(&out, "news/feed.json");
    for item in json["items"].as_array().unwrap() {
        assert_eq!(item["id"], item["url"]);
    }
    assert!(rss.contains("<guid isPermaLink=\"true\">https://example.org/news/first-news/</guid>"), "{rss}");
}

#[test]
fn an_ids_pattern_makes_the_old_ids() {
    let out = with_site_line("ids = \"/news/{year}/{month}/{day}/{slug}\"").build().ok();
    let rss = out.read("news/rss.xml");
    assert!(rss.contains("<guid isPermaLink=\"false\">https://example.org/news/2024/01/10/first-news</guid>"), "{rss}");
    assert!(out.read("news/atom.xml").contains("<id>https://example.org/news/2024/01/10/first-news</id>"));
    assert!(out.read("news/feed.json").contains("\"id\": \"https://example.org/news/2024/01/10/first-news\""));
    jing(&out, "news/atom.xml");
    // Absolute: another host.
    let out = with_site_line("ids = \"https://old.example.com/{section}/{slug}.html\"").build().ok();
    assert!(
        out.read("publications/atom.xml").contains("<id>https://old.example.com/publications/minimal-report.html</id>")
    );
}

#[test]
fn two_items_with_one_id_and_bad_ids_are_errors_at_their_line() {
    // A pattern without the section: a news item and a publication with one slug.
    let store = with_site_line("ids = \"/{slug}/\"")
        .edit("publications/2024-03-01-minimal-report.md", |t| t.replacen("+++\n", "+++\nslug = \"first-news\"\n", 1));
    let out = store.check(&[]).fails_with(1);
    // At the second item's file and its slug's line, naming the first.
    let problem = out.has("E0202", "content/publications/2024-03-01-minimal-report.md", 2, 0);
    assert!(problem.message.contains("https://example.org/first-news/"), "{}", problem.message);
    assert!(problem.message.contains("news/2024-01-10-first-news.md"), "{}", problem.message);
    // A bad value: at its line.
    for bad in ["guid", "/news/{year}", "news/{slug}"] {
        let out = with_site_line(&format!("ids = \"{bad}\"")).check(&[]).fails_with(1);
        out.has("E0403", "content/site.toml", 1, 0);
    }
}

const NEWS_FEED: &str = "title = \"Minimal News\"\ndescription = \"News of the minimal site.\"\nsection = \"news\"\nformats = [\"rss\", \"atom\", \"json\"]\n";

/// The minimal store with its news feed's `files` set to `files` (line 5
/// of feeds/news.toml).
fn news_files(files: &str) -> Store {
    Store::fixture("minimal").write_feed("news.toml", &format!("{NEWS_FEED}files = {files}\n"))
}

#[test]
fn files_keep_the_old_feed_urls() {
    let store = news_files("{ rss = \"index.xml\", atom = \"feed.xml\" }");
    let out = store.build().ok();
    assert!(out.path("index.xml").is_file() && out.path("feed.xml").is_file());
    assert!(!out.path("news/rss.xml").exists() && !out.path("news/atom.xml").exists());
    // Not named: where it always was; so are the feed's page and the other feeds.
    assert!(out.path("news/feed.json").is_file() && out.path("news/index.html").is_file());
    assert!(out.path("publications/rss.xml").is_file());

    let rss = out.read("index.xml");
    read::xml(&rss);
    assert!(rss.contains("<atom:link href=\"https://example.org/index.xml\" rel=\"self\""), "{rss}");
    let atom = out.read("feed.xml");
    let doc = read::xml(&atom);
    let feed = doc.root_element();
    assert_eq!(read::kid_text(feed, Some(ATOM_NS), "id"), "https://example.org/feed.xml");
    let self_link =
        read::kids(feed, Some(ATOM_NS), "link").into_iter().find(|l| l.attribute("rel") == Some("self")).unwrap();
    assert_eq!(self_link.attribute("href"), Some("https://example.org/feed.xml"));
    jing(&out, "feed.xml");
    assert_eq!(read::json(&out, "news/feed.json")["feed_url"], "https://example.org/news/feed.json");
    read::feed(&out, "index.xml");
    read::feed(&out, "feed.xml");

    // The lists of feeds and the feed's page point at them.
    let opml = out.read("feeds.opml");
    assert!(opml.contains("xmlUrl=\"https://example.org/index.xml\""), "{opml}");
    let head = out.read("feeds-head.html");
    assert!(head.contains("href=\"https://example.org/index.xml\""), "{head}");
    assert!(head.contains("href=\"https://example.org/feed.xml\""), "{head}");
    assert!(head.contains("href=\"https://example.org/news/feed.json\""), "{head}");
    let page = out.read("news/index.html");
    let hrefs = attr_values(&page, "href");
    for href in ["../index.xml", "../feed.xml", "feed.json"] {
        assert!(hrefs.iter().any(|h| h == href), "{href} among {hrefs:?}");
    }
    assert!(page.contains("https://example.org/index.xml"));

    // The sitemap stays valid.
    assert_sitemap_valid(&out.path("sitemap.xml"));
}

#[test]
fn files_that_collide_are_found_by_check() {
    // On pressroom's own sitemap.
    let out = news_files("{ rss = \"sitemap.xml\" }").check(&[]).fails_with(1);
    let p = out.has("E0203", "feeds/news.toml", 5, 0);
    assert!(p.message.contains("sitemap.xml"), "{}", p.message);
    // Two feeds on one file: at the second, naming the first.
    let publications = std::fs::read_to_string(Store::fixture("minimal").feeds().join("publications.toml")).unwrap();
    let store = news_files("{ atom = \"feed.xml\" }")
        .write_feed("publications.toml", &format!("{publications}files = {{ atom = \"feed.xml\" }}\n"));
    let out = store.check(&[]).fails_with(1);
    let p = out.has("E0203", "feeds/publications.toml", 5, 0);
    assert!(p.message.contains("feed.xml") && p.message.contains("news.toml"), "{}", p.message);
    // On an item's page, and on the folder of one.
    let out = news_files("{ json = \"news/first-news/index.html\" }").check(&[]).fails_with(1);
    let p = out.has("E0203", "feeds/news.toml", 5, 0);
    assert!(p.message.contains("https://example.org/news/first-news/"), "{}", p.message);
    let out = news_files("{ json = \"news/second-news\" }").check(&[]).fails_with(1);
    let p = out.has("E0203", "feeds/news.toml", 5, 0);
    assert!(p.message.contains("https://example.org/news/second-news/"), "{}", p.message);
    // Said once, where a file the page shows meets it first.
    let out = news_files("{ json = \"news/first-news\" }").check(&[]).fails_with(1);
    assert_eq!(out.codes(), ["E0203"], "{}", out.stdout);
    // On another feed's folder (a file where a folder must be).
    let out = news_files("{ rss = \"publications\" }").check(&[]).fails_with(1);
    out.has("E0203", "feeds/news.toml", 5, 0);
    // Not a file under the output: E0107 at its line.
    let out = news_files("{ rss = \"/index.xml\" }").check(&[]).fails_with(2);
    out.has("E0107", "feeds/news.toml", 5, 0);
}

#[test]
fn archive_documents_stay_in_the_feeds_folder_and_lead_to_the_file() {
    let store = Store::fixture("minimal")
        .write_feed("news.toml", &format!("{NEWS_FEED}limit = 1\nfiles = {{ rss = \"index.xml\" }}\n"));
    let out = store.build().ok();
    let rss = out.read("index.xml");
    let prev = "href=\"https://example.org/news/archive/";
    assert!(rss.contains(prev), "the subscription feed leads to its archive: {rss}");
    let archives: Vec<String> =
        out.files().into_keys().filter(|rel| rel.starts_with("news/archive/") && rel.ends_with("/rss.xml")).collect();
    assert!(!archives.is_empty());
    for rel in archives {
        let doc = out.read(&rel);
        assert!(doc.contains("<atom:link href=\"https://example.org/index.xml\" rel=\"current\""), "{rel}: {doc}");
    }
}
