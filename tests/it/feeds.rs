//! The six feeds, read back as a feed reader would: every file is where it
//! should be, every format says the same thing about every item, and each
//! format carries the elements its specification and the W3C Feed
//! Validation Service expect.

use std::collections::BTreeMap;
use std::fs;

use feed_rs::model::{Entry, Feed};

use crate::harness::*;
use crate::read::*;

/// One enclosure as a format states it.
#[derive(Debug, PartialEq)]
struct Enclosure {
    url: String,
    length: u64,
    mime: String,
}

/// The enclosures of `entry`, whichever format feed-rs read it from.
fn enclosures(entry: &Entry) -> Vec<Enclosure> {
    let mut found = Vec::new();
    for media in &entry.media {
        for c in &media.content {
            found.push(Enclosure {
                url: c.url.as_ref().map(|u| u.to_string()).unwrap_or_default(),
                length: c.size.unwrap_or(0),
                mime: c.content_type.as_ref().map(|m| m.to_string()).unwrap_or_default(),
            });
        }
    }
    for link in &entry.links {
        let is_atom_enclosure = link.rel.as_deref() == Some("enclosure");
        let is_json_attachment = link.rel.is_none() && link.media_type.is_some();
        if is_atom_enclosure || is_json_attachment {
            found.push(Enclosure {
                url: link.href.clone(),
                length: link.length.unwrap_or(0),
                mime: link.media_type.clone().unwrap_or_default(),
            });
        }
    }
    found
}

/// The page link of an entry (the first link that is not an enclosure).
fn page_link(entry: &Entry) -> String {
    entry
        .links
        .iter()
        .find(|l| {
            l.rel.as_deref().is_none_or(|r| r == "alternate") && l.media_type.as_deref() != Some("application/pdf")
        })
        .map(|l| l.href.clone())
        .unwrap_or_else(|| panic!("entry {} has no page link", entry.id))
}

/// Maps an absolute URL under `base` to the file that answers it in `out`.
fn file_of(out: &Outcome, base: &str, url: &str) -> std::path::PathBuf {
    let rel = url.strip_prefix(base).unwrap_or_else(|| panic!("{url} is not under {base}"));
    out.path(&decode(rel))
}

#[test]
fn the_shipped_store_builds_every_output_and_every_pdf() {
    let store = Store::shipped();
    let out = store.build().ok();
    for feed in FEEDS {
        for format in FORMATS {
            assert!(out.path(&format!("{feed}/{format}")).is_file(), "{feed}/{format} is missing");
        }
    }
    assert!(out.path("sitemap.xml").is_file());
    let robots = out.read("robots.txt");
    assert!(robots.contains(&format!("Sitemap: {SHIPPED_BASE}sitemap.xml\n")), "{robots}");

    // Every enclosure URL, in every format, answers with the PDF itself.
    let mut served = BTreeMap::new();
    for format in FORMATS {
        let feed = feed(&out, &format!("publications/{format}"));
        assert_eq!(feed.entries.len(), 8, "publications/{format}");
        for entry in &feed.entries {
            let found = enclosures(entry);
            assert_eq!(found.len(), 1, "{format}: {} should carry one PDF", entry.id);
            let file = file_of(&out, SHIPPED_BASE, &found[0].url);
            let size = fs::metadata(&file).unwrap_or_else(|_| panic!("{} is not in public/", found[0].url)).len();
            assert_eq!(found[0].length, size, "{format}: length of {}", found[0].url);
            served.insert(found[0].url.clone(), fs::read(&file).unwrap());
        }
    }
    assert_eq!(served.len(), 8, "eight distinct PDFs");
    // They are the shipped PDFs, byte for byte.
    let mut shipped: Vec<Vec<u8>> = fs::read_dir(store.content().join("publications/pdf"))
        .unwrap()
        .map(|e| fs::read(e.unwrap().path()).unwrap())
        .collect();
    let mut published: Vec<Vec<u8>> = served.into_values().collect();
    shipped.sort();
    published.sort();
    assert_eq!(published, shipped);
}

/// Reads the three formats of `name` and checks they agree item by item.
fn agree(out: &Outcome, base: &str, name: &str, title: &str) -> [Feed; 3] {
    let feeds = FORMATS.map(|format| feed(out, &format!("{name}/{format}")));
    let [rss, atom, json] = &feeds;
    for (format, feed) in FORMATS.iter().zip(&feeds) {
        let feed_title = feed.title.as_ref().map(|t| t.content.as_str());
        assert_eq!(feed_title, Some(title), "{name}/{format} title");
        assert!(!feed.entries.is_empty(), "{name}/{format} is empty");
        for entry in &feed.entries {
            let what = format!("{name}/{format} {}", entry.id);
            assert!(entry.id.starts_with("tag:"), "{what}: id should be a tag: URI");
            assert!(entry.title.as_ref().is_some_and(|t| !t.content.trim().is_empty()), "{what}: title");
            assert!(page_link(entry).starts_with(base), "{what}: link {} is not absolute", page_link(entry));
            for link in &entry.links {
                assert!(link.href.starts_with(base), "{what}: link {} is not under {base}", link.href);
            }
            assert!(entry.published.is_some(), "{what}: date");
            let content = entry.content.as_ref().and_then(|c| c.body.as_deref()).unwrap_or("");
            assert!(content.contains("<p>"), "{what}: HTML content missing");
            assert!(entry.summary.as_ref().is_some_and(|s| !s.content.trim().is_empty()), "{what}: summary");
            for enclosure in enclosures(entry) {
                assert!(enclosure.url.starts_with(base), "{what}: enclosure {}", enclosure.url);
                assert_eq!(enclosure.mime, "application/pdf", "{what}");
                let size = fs::metadata(file_of(out, base, &enclosure.url)).unwrap().len();
                assert_eq!(enclosure.length, size, "{what}: enclosure length");
            }
        }
    }
    assert_eq!(rss.entries.len(), atom.entries.len(), "{name}: RSS and Atom item counts");
    assert_eq!(rss.entries.len(), json.entries.len(), "{name}: RSS and JSON item counts");
    for ((r, a), j) in rss.entries.iter().zip(&atom.entries).zip(&json.entries) {
        assert_eq!(r.id, a.id, "{name}: RSS guid and Atom id");
        assert_eq!(r.id, j.id, "{name}: RSS guid and JSON id");
        let titles = [r, a, j].map(|e| e.title.as_ref().unwrap().content.clone());
        assert!(titles.iter().all(|t| *t == titles[0]), "{name}: titles differ: {titles:?}");
        let links = [r, a, j].map(page_link);
        assert!(links.iter().all(|l| *l == links[0]), "{name}: links differ: {links:?}");
        let dates = [r, a, j].map(|e| e.published);
        assert!(dates.iter().all(|d| *d == dates[0]), "{name}: dates differ: {dates:?}");
        assert_eq!(a.updated, j.updated.or(j.published), "{name}: Atom updated and JSON date_modified");
        let tags = [r, a, j].map(|e| e.categories.iter().map(|c| c.term.clone()).collect::<Vec<_>>());
        assert!(tags.iter().all(|t| *t == tags[0]), "{name}: tags differ: {tags:?}");
        let encl = [r, a, j].map(enclosures);
        assert!(encl.iter().all(|e| *e == encl[0]), "{name}: enclosures differ: {encl:?}");
    }
    feeds
}

#[test]
fn the_three_formats_say_the_same_of_every_shipped_item() {
    let out = Store::shipped().build().ok();
    let [rss, _, _] = agree(&out, SHIPPED_BASE, "news", "ISECG News");
    assert_eq!(rss.entries.len(), 1);
    let [rss, _, _] = agree(&out, SHIPPED_BASE, "publications", "ISECG Publications");
    // Newest first, the real posting dates.
    let dates: Vec<String> = rss.entries.iter().map(|e| e.published.unwrap().format("%Y-%m-%d").to_string()).collect();
    assert_eq!(
        dates,
        [
            "2021-05-21",
            "2020-08-28",
            "2020-08-26",
            "2018-02-02",
            "2018-01-08",
            "2016-12-01",
            "2015-03-12",
            "2013-09-20"
        ]
    );
}

#[test]
fn the_three_formats_read_back_the_fixture_fields() {
    let out = Store::fixture("minimal").build().ok();
    let [rss, atom, json] = agree(&out, MINIMAL_BASE, "news", "Minimal News");
    let first = &rss.entries[1];
    assert_eq!(first.id, "tag:example.org,2024-01-10:news/first-news");
    assert_eq!(first.title.as_ref().unwrap().content, "First news");
    assert_eq!(page_link(first), "https://example.org/news/first-news/");
    assert_eq!(first.published.unwrap().to_rfc3339(), "2024-01-10T00:00:00+00:00");
    let tags: Vec<_> = first.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(tags, ["moon", "mars"]);
    for feed in [&rss, &atom, &json] {
        let authors: Vec<_> = feed.entries[1].authors.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(authors, ["Ada Lovelace"], "authors");
    }
    let second = &atom.entries[0];
    assert_eq!(second.updated.unwrap().to_rfc3339(), "2024-02-21T10:00:00+00:00");
    assert_eq!(second.published.unwrap().to_rfc3339(), "2024-02-20T09:30:00+00:00");
    assert_eq!(second.summary.as_ref().unwrap().content, "The second news item.");

    let [rss, _, _] = agree(&out, MINIMAL_BASE, "publications", "Minimal Publications");
    let report = &enclosures(&rss.entries[0])[0];
    assert_eq!(report.url, "https://example.org/publications/minimal-report/minimal-report.pdf");
    let pdf = fs::metadata(Store::fixture("minimal").content().join("publications/pdf/minimal-report.pdf")).unwrap();
    assert_eq!(report.length, pdf.len());
}

#[test]
fn rss_has_what_the_rss_profile_asks_for() {
    for (store, base) in [(Store::shipped(), SHIPPED_BASE), (Store::fixture("minimal"), MINIMAL_BASE)] {
        let out = store.build().ok();
        for name in FEEDS {
            let text = out.read(&format!("{name}/rss.xml"));
            assert!(text.starts_with(r#"<?xml version="1.0" encoding="utf-8"?>"#), "{name}: XML declaration");
            let doc = xml(&text);
            let rss = doc.root_element();
            assert_eq!((rss.tag_name().name(), rss.attribute("version")), ("rss", Some("2.0")));
            let channel = kid(rss, None, "channel");
            for required in ["title", "link", "description"] {
                assert!(!kid_text(channel, None, required).is_empty(), "{name}: channel {required}");
            }
            assert_eq!(kid_text(channel, None, "link"), format!("{base}{name}/"));
            let selfs: Vec<_> = kids(channel, Some(ATOM_NS), "link")
                .into_iter()
                .filter(|l| l.attribute("rel") == Some("self"))
                .collect();
            assert_eq!(selfs.len(), 1, "{name}: one atom:link rel=self");
            assert_eq!(selfs[0].attribute("href"), Some(format!("{base}{name}/rss.xml").as_str()));
            assert_eq!(selfs[0].attribute("type"), Some("application/rss+xml"));

            let json = json(&out, &format!("{name}/feed.json"));
            let items = kids(channel, None, "item");
            assert_eq!(items.len(), json["items"].as_array().unwrap().len());
            let mut newest = None;
            for (item, j) in items.iter().zip(json["items"].as_array().unwrap()) {
                let guid = kid(*item, None, "guid");
                assert_eq!(guid.attribute("isPermaLink"), Some("false"), "{name}: guid isPermaLink");
                assert_eq!(guid.text(), j["id"].as_str());
                assert_eq!(kid_text(*item, None, "link"), j["url"].as_str().unwrap());
                let published = rfc822(&kid_text(*item, None, "pubDate"));
                assert_eq!(published, rfc3339(j["date_published"].as_str().unwrap()));
                let modified = j["date_modified"].as_str().map_or(published, rfc3339);
                newest = newest.max(Some(modified));
                let categories: Vec<_> =
                    kids(*item, None, "category").iter().map(|c| c.text().unwrap_or("").to_owned()).collect();
                let tags: Vec<String> = j["tags"]
                    .as_array()
                    .map(|t| t.iter().map(|t| t.as_str().unwrap().to_owned()).collect())
                    .unwrap_or_default();
                assert_eq!(categories, tags, "{name}: one category per tag");
                let content = kid_text(*item, Some(CONTENT_NS), "encoded");
                assert!(content.contains("<p>"), "{name}: content:encoded holds the HTML");
                assert_eq!(content, j["content_html"].as_str().unwrap());
                // The W3C validator: description first, then content:encoded.
                let order: Vec<_> = item.children().filter(|c| c.is_element()).map(|c| c.tag_name().name()).collect();
                let description = order.iter().position(|n| *n == "description").expect("a description");
                let encoded = order.iter().position(|n| *n == "encoded").unwrap();
                assert!(description < encoded, "{name}: description should precede content:encoded");
                if name == "publications" {
                    let enclosure = kid(*item, None, "enclosure");
                    let attachment = &j["attachments"][0];
                    assert_eq!(enclosure.attribute("url"), attachment["url"].as_str());
                    assert_eq!(enclosure.attribute("type"), Some("application/pdf"));
                    let length: u64 = enclosure.attribute("length").unwrap().parse().unwrap();
                    assert_eq!(length, attachment["size_in_bytes"].as_u64().unwrap());
                } else {
                    assert!(kids(*item, None, "enclosure").is_empty());
                }
            }
            // lastBuildDate: the newest change among the items, never the clock.
            let last_build = rfc822(&kid_text(channel, None, "lastBuildDate"));
            assert_eq!(Some(last_build), newest, "{name}: lastBuildDate");
        }
    }
}

#[test]
fn rss_names_authors_with_dc_creator() {
    let out = Store::fixture("minimal").build().ok();
    let text = out.read("news/rss.xml");
    let doc = xml(&text);
    let channel = kid(doc.root_element(), None, "channel");
    let items = kids(channel, None, "item");
    // `author` must be an e-mail address in RSS; names go in dc:creator.
    assert!(kids(items[1], None, "author").is_empty());
    assert_eq!(kid_text(items[1], Some(DC_NS), "creator"), "Ada Lovelace");
    assert!(kids(items[0], Some(DC_NS), "creator").is_empty());
    let last_build = kid_text(channel, None, "lastBuildDate");
    assert_eq!(last_build, "Wed, 21 Feb 2024 10:00:00 +0000", "the newest `updated`");
}

#[test]
fn rss_description_is_escaped_html_and_never_missing() {
    // A summary is plain text; RSS description is HTML: `<` and `&` must
    // reach the reader as characters, not as markup.
    let out = Store::fixture("minimal")
        .edit("news/2024-02-20-second-news.md", |t| {
            t.replace("summary = \"The second news item.\"", "summary = \"Fish & chips for <everyone>\"")
        })
        // An item whose body has no paragraph has no summary.
        .write(
            "news/2024-01-05-heading-only.md",
            "+++\ntitle = \"Heading only\"\ndate = 2024-01-05\n+++\n\n# Just a heading\n",
        )
        .build()
        .ok();
    let text = out.read("news/rss.xml");
    let doc = xml(&text);
    let channel = kid(doc.root_element(), None, "channel");
    let items = kids(channel, None, "item");
    assert_eq!(kid_text(items[0], None, "description"), "Fish &amp; chips for &lt;everyone&gt;");
    let last = items.last().unwrap();
    assert_eq!(kid_text(*last, None, "title"), "Heading only");
    let description = kid_text(*last, None, "description");
    assert!(description.contains("Just a heading"), "no summary: the description carries the content: {description:?}");
    // The plain-text formats keep the summary as written.
    let json = json(&out, "news/feed.json");
    assert_eq!(json["items"][0]["summary"], "Fish & chips for <everyone>");
    let atom = feed(&out, "news/atom.xml");
    assert_eq!(atom.entries[0].summary.as_ref().unwrap().content, "Fish & chips for <everyone>");
}

#[test]
fn atom_has_what_rfc_4287_asks_for() {
    for (store, base) in [(Store::shipped(), SHIPPED_BASE), (Store::fixture("minimal"), MINIMAL_BASE)] {
        let out = store.build().ok();
        let publisher = if base == MINIMAL_BASE {
            "Example Publisher"
        } else {
            "International Space Exploration Coordination Group (ISECG)"
        };
        for name in FEEDS {
            let text = out.read(&format!("{name}/atom.xml"));
            // W3C validator: "No character encoding was specified" otherwise.
            assert!(text.starts_with(r#"<?xml version="1.0" encoding="utf-8"?>"#), "{name}: XML declaration");
            let doc = xml(&text);
            let feed = doc.root_element();
            assert_eq!(feed.tag_name().namespace(), Some(ATOM_NS));
            assert_eq!(feed.tag_name().name(), "feed");
            let id = kid_text(feed, Some(ATOM_NS), "id");
            assert!(id.starts_with(base), "{name}: feed id {id}");
            let updated = rfc3339(&kid_text(feed, Some(ATOM_NS), "updated"));
            let author = kid(feed, Some(ATOM_NS), "author");
            assert_eq!(kid_text(author, Some(ATOM_NS), "name"), publisher);
            let links = kids(feed, Some(ATOM_NS), "link");
            let link = |rel: &str| {
                let found: Vec<_> = links.iter().filter(|l| l.attribute("rel") == Some(rel)).collect();
                assert_eq!(found.len(), 1, "{name}: one feed link rel={rel}");
                (found[0].attribute("href").unwrap().to_owned(), found[0].attribute("type").map(str::to_owned))
            };
            assert_eq!(link("alternate"), (format!("{base}{name}/"), Some("text/html".into())));
            assert_eq!(link("self"), (format!("{base}{name}/atom.xml"), Some("application/atom+xml".into())));

            let entries = kids(feed, Some(ATOM_NS), "entry");
            assert!(!entries.is_empty());
            let mut newest = None;
            for entry in entries {
                let id = kid_text(entry, Some(ATOM_NS), "id");
                assert!(id.starts_with("tag:"), "{name}: entry id {id}");
                let entry_updated = rfc3339(&kid_text(entry, Some(ATOM_NS), "updated"));
                newest = newest.max(Some(entry_updated));
                assert!(!kid_text(entry, Some(ATOM_NS), "title").is_empty());
                assert!(!kid_text(entry, Some(ATOM_NS), "summary").is_empty(), "{name}: {id}: summary");
                let content = kid(entry, Some(ATOM_NS), "content");
                assert_eq!(content.attribute("type"), Some("html"), "{name}: {id}: content type");
                assert!(content.text().unwrap_or("").contains("<p>"), "{name}: {id}: content");
                let links = kids(entry, Some(ATOM_NS), "link");
                let alternate: Vec<_> = links.iter().filter(|l| l.attribute("rel") == Some("alternate")).collect();
                assert_eq!(alternate.len(), 1, "{name}: {id}: one alternate link");
                assert!(alternate[0].attribute("href").unwrap().starts_with(base));
                let enclosures: Vec<_> = links.iter().filter(|l| l.attribute("rel") == Some("enclosure")).collect();
                if name == "publications" {
                    assert_eq!(enclosures.len(), 1, "{name}: {id}: one enclosure");
                    let e = enclosures[0];
                    assert_eq!(e.attribute("type"), Some("application/pdf"));
                    let length: u64 = e.attribute("length").expect("length").parse().unwrap();
                    let href = e.attribute("href").unwrap();
                    assert_eq!(length, fs::metadata(file_of(&out, base, href)).unwrap().len());
                } else {
                    assert!(enclosures.is_empty());
                }
            }
            assert_eq!(Some(updated), newest, "{name}: feed updated is the newest entry's");
        }
    }
}

#[test]
fn json_feed_is_version_1_1_with_attachments() {
    for (store, base) in [(Store::shipped(), SHIPPED_BASE), (Store::fixture("minimal"), MINIMAL_BASE)] {
        let out = store.build().ok();
        for name in FEEDS {
            let json = json(&out, &format!("{name}/feed.json"));
            assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
            assert_eq!(json["feed_url"], format!("{base}{name}/feed.json"));
            assert_eq!(json["home_page_url"], format!("{base}{name}/"));
            for item in json["items"].as_array().unwrap() {
                assert!(item["id"].as_str().unwrap().starts_with("tag:"));
                assert!(item["url"].as_str().unwrap().starts_with(base));
                assert!(item["content_html"].as_str().unwrap().contains("<p>"));
                rfc3339(item["date_published"].as_str().unwrap());
                let attachments = item["attachments"].as_array();
                if name == "publications" {
                    let attachments = attachments.expect("attachments");
                    assert_eq!(attachments.len(), 1);
                    let a = &attachments[0];
                    assert_eq!(a["mime_type"], "application/pdf");
                    let size = a["size_in_bytes"].as_u64().expect("size_in_bytes");
                    let file = file_of(&out, base, a["url"].as_str().unwrap());
                    assert_eq!(size, fs::metadata(file).unwrap().len());
                } else {
                    assert!(attachments.is_none());
                }
            }
        }
    }
}

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
