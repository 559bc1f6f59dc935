//! Every output written, and the three formats saying the same of every item.

use super::*;

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
