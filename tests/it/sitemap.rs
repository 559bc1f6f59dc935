//! The sitemap: every page, item, publication page and PDF, with lastmod.
//! An index of numbered sitemaps past the protocol's limits, which no
//! build of a test reaches, is tested inside (`src/inside/sitemap.rs`).

use std::collections::BTreeSet;

use crate::harness::*;
use crate::read::*;

#[test]
fn the_sitemap_lists_every_page_item_and_pdf() {
    let out = Store::shipped().build().ok();
    let urls = sitemap_urls(&out.read("sitemap.xml"));
    let locs: BTreeSet<&str> = urls.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(locs.len(), urls.len(), "no URL twice");
    for (loc, lastmod) in &urls {
        assert!(loc.starts_with(SHIPPED_BASE), "{loc}");
        rfc3339(lastmod);
    }
    let count = |f: &dyn Fn(&str) -> bool| locs.iter().filter(|l| f(l)).count();
    assert_eq!(count(&|l| l.ends_with(".pdf")), 8, "the eight PDFs");
    assert_eq!(count(&|l| l.starts_with(&format!("{SHIPPED_BASE}publications/")) && l.ends_with('/')), 9);
    assert_eq!(count(&|l| l.starts_with(&format!("{SHIPPED_BASE}news/")) && l.ends_with('/')), 2);
    for page in ["about-isecg", "faq", "advanced-technology", "science-perspectives", "lunar-volatiles"] {
        assert!(locs.contains(format!("{SHIPPED_BASE}{page}/").as_str()), "page {page}");
    }
    assert!(locs.contains(SHIPPED_BASE), "the home page");
    // Every feed item is in the sitemap, at the same URL.
    for name in FEEDS {
        for entry in feed(&out, &format!("{name}/atom.xml")).entries {
            for link in entry.links {
                assert!(locs.contains(link.href.as_str()), "{} is not in the sitemap", link.href);
            }
        }
    }
    // The PDF lastmod is its publication's.
    let lastmod = |loc: &str| urls.iter().find(|(l, _)| l == loc).map(|(_, m)| m.clone()).unwrap();
    let report = format!("{SHIPPED_BASE}publications/isecg-annual-report-2020/");
    assert_eq!(lastmod(&report), "2021-05-21T00:00:00Z");
    assert_eq!(lastmod(&format!("{report}isecg-annual-report-2020.pdf")), "2021-05-21T00:00:00Z");
}

// The sitemap past its limits: `src/inside/sitemap.rs`.

#[test]
fn robots_txt_names_the_sitemap() {
    let out = Store::fixture("minimal").build().ok();
    assert_eq!(out.read("robots.txt"), "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n");
}

#[test]
fn an_item_whose_url_is_off_the_site_is_left_out_with_a_warning() {
    const SECOND: &str = "news/2024-02-20-second-news.md";
    let store = Store::fixture("minimal")
        .edit(SECOND, |t| t.replacen("+++\n", "+++\nurl = \"https://other.example/x/\"\n", 1))
        // Same host, other scheme; same host, above the base URL's path.
        .edit("site.toml", |t| t.replace("https://example.org", "https://example.org/space"))
        .edit("news/2024-01-10-first-news.md", |t| {
            t.replacen("+++\n", "+++\nurl = \"http://example.org/space/a/\"\n", 1)
        })
        .edit("publications/2024-03-01-minimal-report.md", |t| {
            t.replacen("+++\n", "+++\nurl = \"https://example.org/elsewhere/\"\n", 1)
        })
        // Its image would be published off the site: an error, so not here.
        .edit("news/2024-01-10-first-news.md", |t| t.replace("![a map](map.png)", "a map"));
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(0), "{}{}", check.stdout, check.stderr);
    let warned = [
        (SECOND, "https://other.example/x/"),
        ("news/2024-01-10-first-news.md", "http://example.org/space/a/"),
        ("publications/2024-03-01-minimal-report.md", "https://example.org/elsewhere/"),
    ];
    for (rel, url) in warned {
        let p = check.has("W0105", &format!("content/{rel}"), 2, 7);
        assert!(p.message.contains(url), "{}", p.message);
    }
    let out = store.run(&["build"]).ok();
    for (rel, _) in warned {
        out.problem("warning", "W0105", &format!("{rel}:2:7"));
    }
    let base = "https://example.org/space/";
    let locs = sitemap_urls(&out.read("sitemap.xml"));
    assert!(locs.iter().any(|(l, _)| l == &format!("{base}news/")), "{locs:?}");
    for (loc, _) in &locs {
        assert!(loc.starts_with(base), "{loc} is not under the sitemap's base URL");
    }
    // Still in the feeds: the address is the item's to choose.
    assert!(out.read("news/rss.xml").contains("<link>https://other.example/x/</link>"));
}

#[test]
fn a_url_of_2048_characters_or_more_is_an_error_at_its_slug() {
    // sitemaps.org: a `loc` must be less than 2,048 characters. Each 日 is
    // nine, percent-encoded: 250 of them make a URL of 2,276 here.
    const NEW: &str = "news/2024-05-01-new.md";
    let item = |slug: &str| format!("+++\ntitle = \"New\"\ndate = 2024-05-01\nslug = \"{slug}\"\n+++\n\nB.\n");
    let store = Store::fixture("minimal").write(NEW, item(&"日".repeat(250)));
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(1), "{}{}", check.stdout, check.stderr);
    let p = check.has("E0204", &format!("content/{NEW}"), 4, 8);
    assert!(p.message.contains("2276 characters"), "{}", p.message);
    assert_eq!(check.json().len(), 1, "{}", check.stdout);
    store.run(&["build"]).fails_with(1).problem("error", "E0204", &format!("{NEW}:4:8"));
    // `https://example.org/news/` and `/` around the slug: 2,047 is the longest taken.
    let store = Store::fixture("minimal").write(NEW, item(&"a".repeat(2047 - 26)));
    let out = store.build().ok();
    let locs = sitemap_urls(&out.read("sitemap.xml"));
    assert!(locs.iter().any(|(loc, _)| loc.len() == 2047), "the longest URL is listed");
    assert_sitemap_valid(&out.path("sitemap.xml"));
    let store = Store::fixture("minimal").write(NEW, item(&"a".repeat(2048 - 26)));
    store.check(&[]).fails_with(1).has("E0204", &format!("content/{NEW}"), 4, 8);
    // An item's own `url` is where it is said.
    let own = format!("+++\ntitle = \"New\"\ndate = 2024-05-01\nurl = \"/n/{}/\"\n+++\n\nB.\n", "b".repeat(2030));
    Store::fixture("minimal").write(NEW, own).check(&[]).fails_with(1).has("E0204", &format!("content/{NEW}"), 4, 7);
}
