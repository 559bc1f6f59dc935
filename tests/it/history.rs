//! The whole history of a feed (RFC 5005 §4, archived feeds), on a store of
//! twelve years and hundreds of items, read the way a feed reader that
//! back-fills would: following `prev-archive` from the subscription feed.
//! Invariants (a)–(e) of the issue, each a test; every archive document
//! through the checks the subscription feeds pass (strict XML, jing with
//! the Atom schema, feed-rs).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::harness::*;

const FH: &str = "http://purl.org/syndication/history/1.0";
const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The minimal fixture with `per_year` news items in each of 2013..=2024.
fn long_store(per_year: usize) -> Store {
    let mut store = Store::fixture("minimal");
    for year in 2013..=2024 {
        for n in 0..per_year {
            let (month, day) = (1 + n % 12, 1 + n % 28);
            let md = format!(
                "+++\ntitle = \"Item {year}-{n}\"\ndate = {year}-{month:02}-{day:02}\n+++\n\nBody of item {year}-{n}.\n"
            );
            store = store.write(&format!("news/{year}-n{n:03}.md"), md);
        }
    }
    store
}

/// One Atom document: its entry ids and its links by rel.
struct Doc {
    ids: Vec<String>,
    links: BTreeMap<String, String>,
    archive: bool,
    complete: bool,
}

fn read_atom(xml: &str) -> Doc {
    let doc = roxmltree::Document::parse(xml).expect("strict XML");
    let root = doc.root_element();
    let children = || root.children().filter(|n| n.is_element());
    Doc {
        ids: children()
            .filter(|n| n.has_tag_name((ATOM, "entry")))
            .map(|e| e.children().find(|c| c.has_tag_name((ATOM, "id"))).unwrap().text().unwrap().to_owned())
            .collect(),
        links: children()
            .filter(|n| n.has_tag_name((ATOM, "link")))
            .map(|l| (l.attribute("rel").unwrap().to_owned(), l.attribute("href").unwrap().to_owned()))
            .collect(),
        archive: children().any(|n| n.has_tag_name((FH, "archive"))),
        complete: children().any(|n| n.has_tag_name((FH, "complete"))),
    }
}

/// The file an absolute URL of the fixture names, in `out`.
fn rel(url: &str) -> &str {
    url.strip_prefix(MINIMAL_BASE).unwrap_or_else(|| panic!("{url} is not under the base URL"))
}

/// The archive documents (Atom) of the news feed, by path.
fn archives(out: &Outcome) -> BTreeMap<String, String> {
    out.files()
        .into_iter()
        .filter(|(k, _)| k.starts_with("news/archive/") && k.ends_with("/atom.xml"))
        .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
        .collect()
}

#[test]
fn archives_hold_every_item_once_and_prev_archive_reaches_the_oldest() {
    let out = long_store(30).build().ok();
    let subscription = read_atom(&out.read("news/atom.xml"));
    assert_eq!(subscription.ids.len(), 50, "the newest 50");
    assert!(!subscription.complete && !subscription.archive);

    // (a) the subscription feed and the archives hold every item; no item
    // is in two archive documents.
    let docs = archives(&out);
    assert_eq!(docs.len(), 12, "one per year: {:?}", docs.keys());
    let mut seen = BTreeSet::new();
    for (path, xml) in &docs {
        let doc = read_atom(xml);
        assert!(doc.archive && !doc.complete, "{path}: fh:archive");
        assert_eq!(doc.links["current"], format!("{MINIMAL_BASE}news/atom.xml"), "{path}");
        assert_eq!(doc.links["self"], format!("{MINIMAL_BASE}{path}"));
        for id in doc.ids {
            assert!(seen.insert(id.clone()), "{id} is in two archive documents");
        }
    }
    let all: BTreeSet<String> = seen.iter().cloned().chain(subscription.ids.iter().cloned()).collect();
    assert_eq!(all.len(), 12 * 30 + 2, "every news item of the store (the fixture's two too)");
    assert_eq!(seen.len(), all.len(), "every item is in an archive document");

    // (c) prev-archive from the subscription feed, document by document,
    // reaches the oldest item; next-archive walks back.
    let mut url = subscription.links["prev-archive"].clone();
    let mut walked = Vec::new();
    loop {
        let doc = read_atom(&out.read(rel(&url)));
        walked.push(url.clone());
        match doc.links.get("prev-archive") {
            Some(prev) => {
                assert_eq!(read_atom(&out.read(rel(prev))).links["next-archive"], url, "next-archive mirrors");
                url = prev.clone();
            }
            None => {
                assert!(doc.ids.iter().any(|id| id.contains("2013-01-01")), "the oldest item is reached");
                break;
            }
        }
    }
    assert_eq!(walked.len(), 12);
    assert!(walked[0].ends_with("news/archive/2024/atom.xml") && walked[11].ends_with("news/archive/2013/atom.xml"));

    // The same chain in RSS (atom:link in the channel) and JSON Feed (next_url).
    let rss = out.read("news/archive/2013/rss.xml");
    assert!(rss.contains("<fh:archive/>") && rss.contains("rel=\"current\"") && rss.contains("rel=\"next-archive\""));
    let mut next = serde_json::from_str::<serde_json::Value>(&out.read("news/feed.json")).unwrap()["next_url"].clone();
    let mut pages = 0;
    while let Some(url) = next.as_str() {
        let doc: serde_json::Value = serde_json::from_str(&out.read(rel(url))).unwrap();
        pages += 1;
        next = doc["next_url"].clone();
    }
    assert_eq!(pages, 12, "next_url from the subscription feed through every archive document");
}

#[test]
fn a_complete_archive_document_keeps_its_bytes() {
    let store = long_store(30);
    let before = archives(&store.build().ok());
    // (b) a newer item: only the newest (open) period's document changes.
    let store = store.write("news/2024-n999.md", "+++\ntitle = \"Newer\"\ndate = 2024-12-30\n+++\n\nNew.\n");
    let after = archives(&store.build().ok());
    let changed = |a: &BTreeMap<String, String>, b: &BTreeMap<String, String>| -> Vec<String> {
        a.keys()
            .chain(b.keys())
            .filter(|k| a.get(*k) != b.get(*k))
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    assert_eq!(changed(&before, &after), ["news/archive/2024/atom.xml"]);
    // An edit, a removal, a back-dated item: only the document that holds it.
    let store = store.edit("news/2015-n004.md", |t| t.replace("Item 2015-4", "Item 2015-4, revised"));
    let edited = archives(&store.build().ok());
    assert_eq!(changed(&after, &edited), ["news/archive/2015/atom.xml"]);
    let store = store.remove("news/2017-n010.md");
    let removed = archives(&store.build().ok());
    assert_eq!(changed(&edited, &removed), ["news/archive/2017/atom.xml"]);
    let store = store.write("news/2014-late.md", "+++\ntitle = \"Found\"\ndate = 2014-06-15\n+++\n\nOld.\n");
    let backdated = archives(&store.build().ok());
    assert_eq!(changed(&removed, &backdated), ["news/archive/2014/atom.xml"]);
}

#[test]
fn a_feed_that_fits_is_complete_and_has_no_archives() {
    // (d) every item in the subscription feed: fh:complete, no archive link.
    let out = Store::shipped().build().ok();
    for feed in ["news", "publications"] {
        let doc = read_atom(&out.read(&format!("{feed}/atom.xml")));
        assert!(doc.complete && !doc.archive, "{feed}");
        assert!(!doc.links.contains_key("prev-archive") && !doc.links.contains_key("next-archive"));
        assert!(out.read(&format!("{feed}/rss.xml")).contains("<fh:complete/>"));
    }
    assert!(!out.files().keys().any(|k| k.contains("/archive/") && !k.starts_with("archive/")));
    // `archive = false`: neither archives nor history markers.
    let store = long_store(10);
    let def = std::fs::read_to_string(store.feeds().join("news.toml")).unwrap();
    let store = store.write_feed("news.toml", &format!("{def}archive = false\n"));
    let out = store.build().ok();
    assert!(!out.read("news/atom.xml").contains("fh:"));
    assert!(archives(&out).is_empty());
}

#[test]
fn no_archive_document_grows_past_a_thousand_items() {
    // (e) 1,200 items in one year: split into months, each bounded.
    let mut store = Store::fixture("minimal");
    for n in 0..1200 {
        let (month, day) = (1 + n % 12, 1 + n % 28);
        let md = format!("+++\ntitle = \"Bulk {n}\"\ndate = 2023-{month:02}-{day:02}\n+++\n\nBulk.\n");
        store = store.write(&format!("news/bulk-{n:04}.md"), md);
    }
    let out = store.build().ok();
    let docs = archives(&out);
    assert!(docs.keys().any(|k| k.starts_with("news/archive/2023-")), "{:?}", docs.keys());
    let mut total = 0;
    for (path, xml) in &docs {
        let n = read_atom(xml).ids.len();
        assert!(n <= 1000, "{path}: {n} items");
        total += n;
    }
    assert_eq!(total, 1202, "the bulk and the fixture's two");
}

#[test]
fn archive_documents_pass_the_feed_validators() {
    let out = long_store(8).build().ok();
    let docs: Vec<String> = out.files().into_keys().filter(|k| k.starts_with("news/archive/")).collect();
    assert_eq!(docs.len(), 12 * 3, "a document per year in each format");
    let rnc = Path::new(REPO).join("tests/schemas/atom.rnc");
    let jing = have("jing", on_path("jing"));
    for path in &docs {
        let bytes = out.bytes(path);
        feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("feed-rs reads {path}: {e}"));
        if path.ends_with(".xml") {
            roxmltree::Document::parse(std::str::from_utf8(&bytes).unwrap()).expect("strict XML");
        }
        if jing && path.ends_with("atom.xml") {
            let run = Command::new("jing").arg("-c").arg(&rnc).arg(out.path(path)).output().unwrap();
            assert!(run.status.success(), "jing {path}: {}", String::from_utf8_lossy(&run.stdout));
        }
    }
}

#[test]
fn the_archive_page_links_each_years_archived_feed_beside_its_bundle() {
    let mut store = Store::fixture("minimal");
    for year in 2019..=2023 {
        for n in 0..12 {
            let md = format!(
                "+++\ntitle = \"Report {year}-{n}\"\ndate = {year}-{:02}-10\nfile = \"pdf/minimal-report.pdf\"\n+++\n\nA report.\n",
                n + 1
            );
            store = store.write(&format!("publications/{year}-r{n:02}.md"), md);
        }
    }
    let out = store.build().ok();
    let page = out.read("archive/index.html");
    let format = if out.path("publications/archive/2021/rss.xml").is_file() { "rss.xml" } else { "atom.xml" };
    for year in 2019..=2023 {
        let link = format!("href=\"{MINIMAL_BASE}publications/archive/{year}/{format}\"");
        assert!(page.contains(&link), "the archive page lacks {link}");
    }
    // Beside the bundle of its year: after that bundle's link, before the next one's.
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let bundle_2021 = at("publications-2021.zip\"");
    let bundle_2020 = at("publications-2020.zip\"");
    let feed_2021 = at(&format!("publications/archive/2021/{format}"));
    assert!(bundle_2021 < feed_2021 && feed_2021 < bundle_2020);
}
