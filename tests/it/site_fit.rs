//! A store that fits a site laid out otherwise: `[urls]` set to a
//! WordPress-like layout, an item that keeps its old address (`url`), an
//! image beside a news item, a feed at `path = "feed"`. Its outputs pass the
//! validators, and every URL in them under the base URL is a file the build
//! wrote or a page the patterns place.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::harness::*;

const WP_URLS: &str =
    "\n[urls]\nnews = \"/{year}/{month}/{slug}/\"\npdf = \"/wp-content/uploads/{year}/{month}/{file}\"\n";

fn wordpress_like() -> Store {
    let store = Store::fixture("minimal");
    let site = std::fs::read_to_string(store.content().join("site.toml")).unwrap();
    let news = std::fs::read_to_string(store.feeds().join("news.toml")).unwrap();
    store
        .write("site.toml", format!("{site}{WP_URLS}"))
        .edit("news/2024-02-20-second-news.md", |t| {
            t.replacen("+++\n", "+++\nurl = \"/2019/05/our-old-address/\"\n", 1)
        })
        // A page link written for the default layout would now miss; a link
        // to the content file follows the item wherever it is served.
        .edit("news/2024-01-10-first-news.md", |t| t.replace("(../second-news/)", "(2024-02-20-second-news.md)"))
        .write_feed("news.toml", &format!("{news}path = \"feed\"\n"))
}

/// Every absolute URL in the XML and JSON outputs.
fn urls_in(out: &Outcome) -> BTreeSet<String> {
    let mut urls = BTreeSet::new();
    for (rel, bytes) in out.files() {
        if !(rel.ends_with(".xml") || rel.ends_with(".json") || rel.ends_with(".html") || rel.ends_with(".opml")) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes).replace("\\/", "/");
        for start in text.match_indices("https://example.org/").map(|(i, _)| i) {
            let end = text[start..].find(['"', '<', ' ', '\'', '&', ')', '\\']).map_or(text.len(), |e| start + e);
            urls.insert(text[start..end].to_owned());
        }
    }
    urls
}

#[test]
fn a_wordpress_like_layout_builds_and_every_url_leads_somewhere() {
    let store = wordpress_like();
    let out = store.build().ok();
    // The item pages where the patterns place them; the PDF and the image
    // where their URLs point.
    let pdf = "wp-content/uploads/2024/03/minimal-report.pdf";
    assert!(out.path(pdf).is_file(), "the PDF at {pdf}");
    assert!(out.path("2024/01/first-news/map.png").is_file(), "the image beside its item's page");
    let rss = out.read("feed/rss.xml");
    assert!(rss.contains("<link>https://example.org/2024/01/first-news/</link>"));
    assert!(rss.contains("<link>https://example.org/2019/05/our-old-address/</link>"), "the item's own url");
    assert!(rss.contains("tag:example.org,2024-02-20:news/second-news"), "its id does not change");
    assert!(out.read("publications/rss.xml").contains(&format!("url=\"https://example.org/{pdf}\"")));

    // The pages the patterns place (items, pages, the home page), and the
    // publications' listing, which their default pattern has.
    let mut pages = crate::pages::site_pages(&store);
    pages.insert("https://example.org/publications/".to_owned());
    assert!(pages.contains("https://example.org/2024/01/first-news/"));
    assert!(pages.contains("https://example.org/2019/05/our-old-address/"));
    let mut checked = 0;
    for url in urls_in(&out) {
        let rel = percent_encoding::percent_decode_str(&url["https://example.org/".len()..]).decode_utf8().unwrap();
        let rel = rel.split('#').next().unwrap();
        let written = out.path(rel).is_file()
            || (rel.ends_with('/') || rel.is_empty()) && out.path(&format!("{rel}index.html")).is_file();
        assert!(written || pages.contains(url.split('#').next().unwrap()), "{url} is neither written nor a page");
        checked += 1;
    }
    assert!(checked > 10, "{checked} URLs");
    // Not listed: the news section's listing, which this layout does not have.
    assert!(!out.read("sitemap.xml").contains("<loc>https://example.org/news/</loc>"));

    // The validators of the suite.
    for atom in ["feed/atom.xml", "publications/atom.xml"] {
        roxmltree::Document::parse(&out.read(atom)).unwrap();
        if have("jing", on_path("jing")) {
            let rnc = Path::new(REPO).join("tests/schemas/atom.rnc");
            let run = Command::new("jing").arg("-c").arg(&rnc).arg(out.path(atom)).output().unwrap();
            assert!(run.status.success(), "jing {atom}: {}", String::from_utf8_lossy(&run.stdout));
        }
    }
    assert_sitemap_valid(&out.path("sitemap.xml"));
}

#[test]
fn patterns_and_references_are_checked_with_their_line() {
    let store = Store::fixture("minimal");
    let site = std::fs::read_to_string(store.content().join("site.toml")).unwrap();
    for (urls, says) in [
        ("news = \"/news/{id}/\"", "unknown placeholder {id}"),
        ("pages = \"/pages/\"", "no {slug}"),
        ("pdf = \"/files/{slug}/\"", "no {file}"),
        ("news = \"/../{slug}/\"", "`..` segment"),
    ] {
        let store = Store::fixture("minimal").write("site.toml", format!("{site}\n[urls]\n{urls}\n"));
        let out = store.check(&[]);
        let problem = out.has("E0403", "content/site.toml", site.lines().count() + 3, 0);
        assert!(problem.message.contains(says), "{urls}: {}", problem.message);
    }
    // Two items on one URL: news and publications placed alike.
    let store = Store::fixture("minimal")
        .write("site.toml", format!("{site}\n[urls]\nnews = \"/{{slug}}/\"\npublications = \"/{{slug}}/\"\n"))
        .write("news/2024-05-05-minimal-report.md", "+++\ntitle = \"Clash\"\ndate = 2024-05-05\n+++\n\nSame slug.\n");
    let out = store.check(&[]);
    assert!(out.codes().contains(&"E0203".to_owned()), "{}", out.stdout);
    // A reference to a missing file: a warning at its line (see lenient.rs).
    let store = Store::fixture("minimal").edit("news/2024-01-10-first-news.md", |t| t.replace("map.png", "gone.png"));
    let out = store.check(&[]);
    let problem = out.has("W0108", "content/news/2024-01-10-first-news.md", 8, 0);
    assert!(problem.message.contains("gone.png"), "{}", problem.message);
    // A bad own url: at its line.
    let store = Store::fixture("minimal")
        .edit("news/2024-01-10-first-news.md", |t| t.replacen("+++\n", "+++\nurl = \"not a url\"\n", 1));
    store.check(&[]).has("E0107", "content/news/2024-01-10-first-news.md", 2, 0);
}

#[test]
fn a_base_url_with_a_path_is_kept_in_every_url() {
    let store = Store::fixture("minimal");
    let store = store.edit("site.toml", |t| {
        t.replace("base_url = \"https://example.org\"", "base_url = \"https://example.org/space/\"")
    });
    let out = store.build().ok();
    let rss = out.read("news/rss.xml");
    assert!(rss.contains("<link>https://example.org/space/news/first-news/</link>"), "{rss}");
    assert!(rss.contains("href=\"https://example.org/space/news/rss.xml\" rel=\"self\""));
    assert!(
        out.read("publications/rss.xml")
            .contains("url=\"https://example.org/space/publications/minimal-report/minimal-report.pdf\"")
    );
    // The output folder is what the base URL serves: no `space/` inside it.
    assert!(out.path("publications/minimal-report/minimal-report.pdf").is_file());
    assert!(out.read("sitemap.xml").contains("<loc>https://example.org/space/archive/</loc>"));
    assert!(out.read("robots.txt").contains("Sitemap: https://example.org/space/sitemap.xml"));
    // Which no crawler reads there: said, at the base URL's line.
    let check = store.check(&[]);
    let note = check.has("N0112", "content/site.toml", 2, 1);
    assert!(note.message.contains("where crawlers never look (they read https://example.org/robots.txt)"), "{note:?}");
    let store = store.edit("site.toml", |t| format!("{t}\n[outputs]\nrobots = false\n"));
    assert!(!store.check(&[]).codes().contains(&"N0112".to_owned()));
}

/// `base_url` with `host` instead of the fixture's: the store.
fn with_host(host: &str) -> Store {
    Store::fixture("minimal").edit("site.toml", |t| {
        t.replace("base_url = \"https://example.org\"", &format!("base_url = \"https://{host}/\""))
    })
}

#[test]
fn the_tag_ids_name_a_dns_name() {
    // A fully qualified name's dot is the same site, but no part of a tag's DNS name.
    let out = with_host("example.org.").build().ok();
    let feed = crate::read::json(&out, "news/feed.json");
    for item in feed["items"].as_array().unwrap() {
        let id = item["id"].as_str().unwrap();
        assert!(id.starts_with("tag:example.org,20"), "{id}");
        assert!(item["url"].as_str().unwrap().starts_with("https://example.org./news/"), "{item}");
    }
    // A host that is no DNS name is refused at its line, by check as by build.
    for host in ["-bad-.example", "bad-.example", "a..example"] {
        let store = with_host(host);
        for out in [store.check(&[]), store.run(&["build", "--format", "json"])] {
            assert_ne!(out.status.code(), Some(0), "{host}: {}{}", out.stdout, out.stderr);
            let problem = out.has("E0401", "content/site.toml", 2, 0);
            assert!(problem.message.contains("no DNS label"), "{host}: {}", problem.message);
        }
        assert!(!store.out().exists(), "{host}: nothing is written");
    }
}

#[test]
fn a_base_url_host_says_what_to_write_instead() {
    for (host, says) in
        [("[2001:db8::1]", "IP address literal"), ("bücher.example", "bücher.example is xn--bcher-kva.example")]
    {
        let store = with_host(host);
        for out in [store.check(&[]), store.run(&["build", "--format", "json"])] {
            assert_ne!(out.status.code(), Some(0), "{host}: {}{}", out.stdout, out.stderr);
            let problem = out.has("E0401", "content/site.toml", 2, 0);
            assert!(problem.message.contains(says), "{host}: {}", problem.message);
        }
    }
}
