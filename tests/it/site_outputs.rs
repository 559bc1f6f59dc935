//! Sites moving in from Jekyll, Hugo or Zola (issue 19): the outputs a site
//! already has are turned off in `[outputs]` of site.toml, an archive with
//! nothing to bundle is not written, and another generator's template syntax
//! left in a body is a warning.

use std::fs;

use crate::harness::*;

const MINIMAL_SITE: &str = "site.toml";
const PUBLICATION: &str = "publications/2024-03-01-minimal-report.md";

/// The minimal fixture with `table` appended to its site.toml.
fn with_outputs(table: &str) -> Store {
    Store::fixture("minimal").edit(MINIMAL_SITE, |t| format!("{t}\n[outputs]\n{table}"))
}

/// The top-level names of the output and whether `archive/` is there.
fn top(out: &Outcome) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(&out.out_dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn outputs_turned_off_are_not_written_and_check_is_green() {
    let store = with_outputs("sitemap = false\nrobots = false\narchive = false\n");
    let check = store.check(&[]);
    assert!(check.status.success(), "check failed:\n{}{}", check.stdout, check.stderr);
    assert_eq!(check.json(), [], "no problem");
    let out = store.build().ok();
    let names = top(&out);
    for gone in ["sitemap.xml", "robots.txt", "archive"] {
        assert!(!names.iter().any(|n| n == gone), "{gone} was written: {names:?}");
    }
    assert!(!names.iter().any(|n| n.starts_with("sitemap")), "{names:?}");
    // The rest is as ever: the feeds, their pages, the lists, the PDF.
    for kept in ["news/rss.xml", "publications/atom.xml", "feeds.opml", "feeds-head.html"] {
        assert!(out.path(kept).is_file(), "{kept}");
    }
    assert!(out.path("publications/minimal-report/minimal-report.pdf").is_file());
}

#[test]
fn a_web_roots_own_sitemap_and_robots_are_kept_when_pressroom_writes_none() {
    let store = with_outputs("sitemap = false\nrobots = false\narchive = false\n");
    let site = store.root().join("site");
    fs::create_dir_all(&site).unwrap();
    let own = [("sitemap.xml", "the site's own sitemap"), ("robots.txt", "User-agent: *\nDisallow: /drafts/\n")];
    for (name, text) in own {
        fs::write(site.join(name), text).unwrap();
    }
    store.run(&["build", "--out", "site", "--into-existing"]).ok();
    let kept = || {
        for (name, text) in own {
            assert_eq!(fs::read_to_string(site.join(name)).unwrap(), text, "{name}");
        }
        assert!(site.join("news/rss.xml").is_file() && !site.join("archive").exists());
    };
    kept();
    // Built again in place (the folder is known now): still the site's own.
    store.run(&["build", "--out", "site"]).ok();
    kept();
}

#[test]
fn robots_without_a_sitemap_names_none() {
    let out = with_outputs("sitemap = false\n").build().ok();
    assert_eq!(out.read("robots.txt"), "User-agent: *\nAllow: /\n");
    assert!(!out.path("sitemap.xml").exists());
    assert!(out.path("archive/index.html").is_file(), "the archive is still written");
}

#[test]
fn without_the_archive_the_sitemap_does_not_list_its_page() {
    let out = with_outputs("archive = false\n").build().ok();
    assert!(!out.path("archive").exists());
    let sitemap = out.read("sitemap.xml");
    assert!(!sitemap.contains(&format!("{MINIMAL_BASE}archive/")), "{sitemap}");
    assert!(sitemap.contains("minimal-report.pdf"), "the publications are still listed");
    assert!(out.read("robots.txt").contains(&format!("Sitemap: {MINIMAL_BASE}sitemap.xml")));
    // With the archive (the default), its page is listed.
    let out = Store::fixture("minimal").build().ok();
    assert!(out.read("sitemap.xml").contains(&format!("<loc>{MINIMAL_BASE}archive/</loc>")));
}

#[test]
fn a_news_only_store_has_no_archive() {
    let store = Store::fixture("minimal").remove(PUBLICATION);
    let check = store.check(&[]);
    assert!(check.status.success(), "check failed:\n{}{}", check.stdout, check.stderr);
    let out = store.build().ok();
    assert!(!out.path("archive").exists(), "{:?}", top(&out));
    assert!(!out.read("sitemap.xml").contains("/archive/"));
}

#[test]
fn an_archive_turned_off_later_leaves_the_output() {
    let store = Store::fixture("minimal");
    let out = store.build().ok();
    assert!(out.path("archive/SHA256SUMS").is_file());
    let store = store.edit(MINIMAL_SITE, |t| format!("{t}\n[outputs]\narchive = false\nrobots = false\n"));
    let out = store.build().ok();
    assert!(!out.path("archive").exists(), "{:?}", top(&out));
    assert!(!out.path("robots.txt").exists());
}

#[test]
fn a_page_may_be_at_archive_when_pressroom_writes_no_archive() {
    let page = "+++\ntitle = \"Archive\"\nslug = \"archive\"\n+++\nEvery post by year.\n";
    let store = Store::fixture("minimal").write("pages/archive.md", page);
    let check = store.check(&[]);
    check.has("E0203", "content/pages/archive.md", 3, 0);
    let store = store.edit(MINIMAL_SITE, |t| format!("{t}\n[outputs]\narchive = false\n"));
    let out = store.build().ok();
    assert!(out.read("sitemap.xml").contains(&format!("<loc>{MINIMAL_BASE}archive/</loc>")), "the page's URL");
}

#[test]
fn a_misspelt_output_is_an_unknown_key_with_a_hint() {
    let check = with_outputs("sitemaps = false\n").check(&[]);
    let problem = check.has("E0103", "content/site.toml", 9, 0);
    assert_eq!(problem.hint.as_deref(), Some("did you mean \"sitemap\"?"));
}

#[test]
fn another_generators_template_syntax_is_a_warning_at_its_line() {
    let body = "Intro line.\n\n{% include x.html %}\n\nTitle: {{ page.title }}\n\n{{< youtube id >}}\n\n\
                ```\n{{ page.title }}\n{% raw %}\n```\n\nInline `{{ x }}` code.\n";
    let store = Store::fixture("minimal")
        .write("news/2024-01-12-moved.md", format!("+++\ntitle = \"Moved\"\ndate = 2024-01-12\n+++\n{body}"));
    let check = store.check(&[]);
    assert!(check.status.success(), "warnings only:\n{}{}", check.stdout, check.stderr);
    let file = "content/news/2024-01-12-moved.md";
    let found: Vec<(usize, usize)> =
        check.json().into_iter().filter(|p| p.code == "W0106").map(|p| (p.line, p.column)).collect();
    assert_eq!(found, [(7, 1), (9, 8), (11, 1)], "none inside code:\n{}", check.stdout);
    for (line, construct) in [(7, "{% include x.html %}"), (9, "{{ page.title }}"), (11, "{{< youtube id >}}")] {
        let problem = check.has("W0106", file, line, 0);
        assert_eq!(problem.severity, "warning");
        assert!(problem.message.contains(&format!("{construct:?}")), "{}", problem.message);
    }
    // The same inside a code block or span only: no warning.
    let store = Store::fixture("minimal").write(
        "news/2024-01-12-moved.md",
        "+++\ntitle = \"Moved\"\ndate = 2024-01-12\n+++\n```liquid\n{% include x.html %}\n{{< youtube id >}}\n```\n\n`{{ page.title }}`\n",
    );
    assert!(!store.check(&[]).codes().contains(&"W0106".to_owned()));
}
