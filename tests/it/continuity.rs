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
