//! Which items a feed lists, under which ids, and where its subscribers
//! follow it.

use super::*;

/// Every id of every feed, by item URL and format.
fn ids(out: &Outcome) -> BTreeMap<(String, &'static str), String> {
    let mut ids = BTreeMap::new();
    for name in FEEDS {
        for format in FORMATS {
            for entry in feed(out, &format!("{name}/{format}")).entries {
                ids.insert((page_link(&entry), format), entry.id.clone());
            }
        }
    }
    ids
}

#[test]
fn ids_do_not_change_with_the_title_body_or_updated() {
    let store = Store::fixture("minimal");
    let before = ids(&store.build().ok());
    assert_eq!(before.len(), 9, "3 items in 3 formats");
    let store = store
        .edit("news/2024-01-10-first-news.md", |t| {
            let t = t.replace("title = \"First news\"", "title = \"First news, renamed\"\nupdated = 2024-06-01");
            t.replace("The first news item.", "A wholly rewritten body.")
        })
        .edit("publications/2024-03-01-minimal-report.md", |t| t.replace("Minimal Report", "Renamed Report"));
    let out = store.build().ok();
    assert!(out.read("news/rss.xml").contains("First news, renamed"), "the edit took effect");
    assert!(out.read("news/atom.xml").contains("2024-06-01T00:00:00"), "updated took effect");
    assert_eq!(ids(&out), before);
}

/// The texts of every output that lists items.
fn listings(out: &Outcome) -> Vec<(String, String)> {
    let mut texts: Vec<_> = FEEDS
        .iter()
        .flat_map(|name| FORMATS.map(|f| format!("{name}/{f}")))
        .map(|rel| (rel.clone(), out.read(&rel)))
        .collect();
    texts.push(("sitemap.xml".into(), out.read("sitemap.xml")));
    texts
}

#[test]
fn drafts_are_left_out_everywhere() {
    let pdf = fs::read(Store::fixture("minimal").content().join("publications/pdf/minimal-report.pdf")).unwrap();
    let out = Store::fixture("minimal")
        .write("news/2024-04-01-secret.md", "+++\ntitle = \"Secret\"\ndate = 2024-04-01\ndraft = true\n+++\n\nNot yet.\n")
        .write("publications/pdf/secret-report.pdf", &pdf)
        .write(
            "publications/2024-04-02-secret-report.md",
            "+++\ntitle = \"Secret report\"\ndate = 2024-04-02\ndraft = true\nfile = \"pdf/secret-report.pdf\"\n+++\n\nNot yet.\n",
        )
        .build()
        .ok();
    for (rel, text) in listings(&out) {
        for needle in ["secret", "Secret"] {
            assert!(!text.contains(needle), "{rel} mentions a draft");
        }
    }
    assert!(!out.path("publications/secret-report").exists(), "a draft's PDF is not published");
}

#[test]
fn future_items_appear_only_once_their_date_has_come() {
    let store = Store::fixture("minimal")
        .write("news/2030-01-01-future.md", "+++\ntitle = \"From the future\"\ndate = 2030-01-01\n+++\n\nScheduled.\n");
    let out = store.build().ok();
    for (rel, text) in listings(&out) {
        assert!(!text.contains("news/future/"), "{rel} lists an item dated after SOURCE_DATE_EPOCH");
        assert!(!text.contains("From the future"), "{rel}");
    }
    assert!(out.stderr.contains("news/2030-01-01-future.md"), "a warning names the scheduled item: {}", out.stderr);

    // 2031-01-01: now it is due.
    let store = store.env("SOURCE_DATE_EPOCH", "1924992000");
    let out = store.build().ok();
    for (rel, text) in listings(&out).into_iter().filter(|(rel, _)| !rel.starts_with("publications/")) {
        assert!(text.contains("https://example.org/news/future/"), "{rel} should list the item now");
    }
    let rss = feed(&out, "news/rss.xml");
    assert_eq!(rss.entries[0].id, "tag:example.org,2030-01-01:news/future", "newest first");
}

#[test]
fn a_feed_definition_sets_the_folder_its_subscribers_follow() {
    let store = Store::fixture("minimal");
    let def = std::fs::read_to_string(store.feeds().join("news.toml")).unwrap();
    let store = store.write_feed("news.toml", &format!("{def}path = \"feeds/site-news\"\n"));
    let out = store.build().ok();
    for file in ["rss.xml", "atom.xml", "feed.json", "index.html"] {
        assert!(out.path(&format!("feeds/site-news/{file}")).is_file(), "{file}");
    }
    assert!(!out.path("news/rss.xml").exists());
    let atom = out.read("feeds/site-news/atom.xml");
    assert!(atom.contains("href=\"https://example.org/feeds/site-news/atom.xml\" rel=\"self\""), "{atom}");
    assert!(atom.contains("href=\"https://example.org/feeds/site-news/\" rel=\"alternate\""));
    let page = out.read("feeds/site-news/index.html");
    assert!(page.contains("href=\"rss.xml\""));
    assert!(out.read("feeds.opml").contains("xmlUrl=\"https://example.org/feeds/site-news/rss.xml\""));
    assert!(out.read("sitemap.xml").contains("<loc>https://example.org/feeds/site-news/</loc>"));

    let mut store = store;
    for bad in ["", "/abs", "a/../b", "archive/x", "a\\\\b"] {
        store = store.write_feed("news.toml", &format!("{def}path = \"{bad}\"\n"));
        let run = store.check(&[]);
        assert_eq!(run.status.code(), Some(2), "path {bad:?}: {}", run.stderr);
        let problem = run.json().into_iter().find(|p| p.file.ends_with("news.toml")).expect("a problem in news.toml");
        assert!(problem.message.starts_with("path "), "{}", problem.message);
    }
}
