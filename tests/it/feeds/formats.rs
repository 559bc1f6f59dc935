//! What each format's specification and the W3C validator ask for.

use super::*;

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
