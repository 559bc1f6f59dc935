//! Real sites moving in (issue 19): posts of jekyllrb.com, gohugo.io and the
//! Rust blog, copied unchanged (tests/fixtures/{jekyll-news,hugo-news,
//! rust-blog}, each with its ORIGIN.md and licence), built by pressroom
//! with the two settings that keep a site's ids and feed URLs, and compared
//! entry by entry with the feed the site's own generator makes of the same
//! posts: Jekyll with jekyll-feed and Hugo, run here; Zola, which Debian
//! does not package, by the rules of the blog's own feed template.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::harness::*;

/// What a subscriber's reader keeps of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    link: String,
    title: String,
    published: jiff::Timestamp,
    categories: Vec<String>,
}

/// The entries of a feed (any format, read by feed-rs), by id.
fn entries(bytes: &[u8]) -> BTreeMap<String, Entry> {
    let feed = feed_rs::parser::parse(bytes).unwrap_or_else(|e| panic!("feed-rs: {e}"));
    feed.entries
        .into_iter()
        .map(|e| {
            let link = e.links.iter().find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate")).unwrap();
            let published = e.published.or(e.updated).expect("a date");
            let published = jiff::Timestamp::from_second(published.timestamp()).unwrap();
            let mut categories: Vec<String> = e.categories.into_iter().map(|c| c.term).collect();
            categories.sort();
            let title = e.title.expect("a title").content.trim().to_owned();
            (e.id, Entry { link: link.href.clone(), title, published, categories })
        })
        .collect()
}

/// Copies the files of `from` into `to`, folders included.
fn copy_into(from: &Path, to: &Path) {
    walk(from, from, &mut |rel, path| {
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(path, target).unwrap();
    });
}

/// A site's own generator.
#[derive(Clone, Copy)]
enum Generator {
    /// Jekyll with jekyll-feed: `content/news/` is its `_posts/`.
    Jekyll,
    /// Hugo: `content/news/` is its `content/news/`.
    Hugo,
}

/// The feed at `feed` (under the site's output) that the fixture's own
/// generator makes of its posts, with the fixture's settings for it (the
/// fixture's `jekyll/` or `hugo/` folder); `None` when the generator is
/// not installed (a failure with CI set).
#[track_caller]
fn served(fixture: &str, generator: Generator, feed: &str) -> Option<BTreeMap<String, Entry>> {
    let (installed, settings, posts, mut command) = match generator {
        Generator::Jekyll => {
            let installed = have("jekyll with jekyll-feed", on_path("jekyll") && ruby_has("jekyll-feed"));
            let mut command = Command::new("jekyll");
            command.args(["build", "--quiet", "--disable-disk-cache"]);
            (installed, "jekyll", "_posts", command)
        }
        Generator::Hugo => {
            let mut command = Command::new("hugo");
            command.arg("--quiet");
            (have("hugo", on_path("hugo")), "hugo", "content/news", command)
        }
    };
    if !installed {
        return None;
    }
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture);
    let site = tempfile::tempdir().unwrap();
    copy_into(&fixture.join(settings), site.path());
    copy_into(&fixture.join("content/news"), &site.path().join(posts));
    let out = site.path().join("_served");
    command.arg("--source").arg(site.path()).arg("--destination").arg(&out);
    let run = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    let says = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "{command:?} failed:\n{says}");
    // The pages the generator served are where the feed's links lead.
    let entries = entries(&std::fs::read(out.join(feed)).unwrap());
    for entry in entries.values() {
        let rel = entry.link.split_once("://").unwrap().1.split_once('/').unwrap().1;
        let page = out.join(rel);
        assert!(page.is_file() || page.join("index.html").is_file(), "{} served no page", entry.link);
    }
    Some(entries)
}

/// `check` is green, with no error and no warning but the ones `allowed`
/// (codes), and `build` succeeds.
#[track_caller]
fn moved_in(store: &Store, allowed: &[&str]) -> Outcome {
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(0), "check: {}", check.stderr);
    let unexpected: Vec<Problem> =
        check.json().into_iter().filter(|p| p.severity != "note" && !allowed.contains(&p.code.as_str())).collect();
    assert!(unexpected.is_empty(), "{unexpected:#?}");
    store.build().ok()
}

/// jekyll-feed writes titles through Jekyll's `smartify`: typographic
/// quotes and ellipses pressroom leaves as the post wrote them.
fn unsmartify(title: &str) -> String {
    title.replace(['’', '‘'], "'").replace(['“', '”'], "\"").replace('…', "...")
}

#[test]
fn jekyll_posts_keep_jekyll_feed_s_ids_links_dates_and_categories() {
    let store = Store::fixture("jekyll-news");
    // Liquid left in bodies is reported (W0106); it is what Jekyll's posts hold.
    let out = moved_in(&store, &["W0106"]);
    let ours = entries(&out.bytes("feed.xml"));
    let Some(theirs) = served("jekyll-news", Generator::Jekyll, "feed.xml") else { return };

    assert_eq!(theirs.len(), 8, "every post is in jekyll-feed's feed");
    assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>(), "the same ids");
    for (id, theirs) in &theirs {
        let ours = &ours[id];
        assert_eq!(ours.link, theirs.link, "{id}");
        assert_eq!(ours.published, theirs.published, "{id}");
        assert_eq!(ours.categories, theirs.categories, "{id}");
        assert_eq!(unsmartify(&ours.title), unsmartify(&theirs.title), "{id}");
    }
}

#[test]
fn a_new_jekyll_site_keeps_its_default_permalinks_with_categories() {
    let store = Store::fixture("jekyll-new");
    // The welcome post's `{% highlight ruby %}` block is read as the code
    // block it is: nothing to report.
    let out = moved_in(&store, &[]);
    let ours = entries(&out.bytes("feed.xml"));
    let feed = feed_rs::parser::parse(out.bytes("feed.xml").as_slice()).unwrap();
    let welcome = feed.entries.iter().find(|e| e.id.ends_with("welcome-to-jekyll")).unwrap();
    let html = &welcome.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(html.contains("<pre><code class=\"language-ruby\">def print_hi(name)"), "{html}");
    assert!(!html.contains("highlight"), "{html}");
    let welcome = &ours["https://example.org/jekyll/update/2014/12/17/welcome-to-jekyll"];
    assert_eq!(welcome.link, "https://example.org/jekyll/update/2014/12/17/welcome-to-jekyll.html");
    let Some(theirs) = served("jekyll-new", Generator::Jekyll, "feed.xml") else { return };
    assert_eq!(ours, theirs);
}

fn ruby_has(gem: &str) -> bool {
    Command::new("ruby").args(["-e", &format!("require '{gem}'")]).output().is_ok_and(|o| o.status.success())
}

#[test]
fn hugo_bundles_keep_hugo_s_guids_links_dates_and_titles() {
    let store = Store::fixture("hugo-news");
    // Hugo shortcodes left in bodies are reported (W0106).
    let out = moved_in(&store, &["W0106"]);
    let ours = entries(&out.bytes("news/index.xml"));
    assert!(
        ours.contains_key("https://gohugo.io/news/2021/0.91.2-relnotes/"),
        "a bundle in a year folder keeps its folders: {:?}",
        ours.keys()
    );
    let Some(theirs) = served("hugo-news", Generator::Hugo, "news/index.xml") else { return };

    assert_eq!(theirs.len(), 6, "every entry is in Hugo's feed");
    assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>(), "the same guids");
    for (id, theirs) in &theirs {
        let ours = &ours[id];
        assert_eq!(ours.link, theirs.link, "{id}");
        assert_eq!(ours.published, theirs.published, "{id}");
        assert_eq!(ours.title, theirs.title, "{id}");
        // Hugo's own RSS template writes no category; pressroom's carries them.
        assert!(theirs.categories.is_empty());
    }
    assert_eq!(ours["https://gohugo.io/news/0.89.4-relnotes/"].categories, ["Releases"]);
}

#[test]
fn zola_posts_keep_the_rust_blog_s_ids_links_and_dates() {
    // Its newest post is of 2026-03-26: built as of 2027.
    let store = Store::fixture("rust-blog").env("SOURCE_DATE_EPOCH", "1798761600");
    let out = moved_in(&store, &[]);
    let ours = entries(&out.bytes("feed.xml"));
    let inside = entries(&out.bytes("inside-rust/feed.xml"));
    // The blog's feed template (tests/fixtures/rust-blog/zola/feed.xml): id
    // and link are the page's URL, published the date its path holds.
    let expected = |section: &str| {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rust-blog/content").join(section);
        let mut expected = BTreeMap::new();
        walk(&fixture, &fixture, &mut |rel, path| {
            if !rel.ends_with(".md") || rel.ends_with("_index.md") {
                return;
            }
            let text = std::fs::read_to_string(path).unwrap();
            let front: toml::Table = text.split("+++").nth(1).unwrap().parse().unwrap();
            let Some(page_path) = front.get("path").and_then(|p| p.as_str()) else {
                return; // releases/latest.md: a template-only stub, no page
            };
            let url = format!("https://blog.rust-lang.org/{page_path}/");
            let segments: Vec<&str> = page_path.split('/').collect();
            let day = &segments[segments.len() - 4..segments.len() - 1];
            let published: jiff::Timestamp = format!("{}-{}-{}T00:00:00Z", day[0], day[1], day[2]).parse().unwrap();
            let title = front["title"].as_str().unwrap().to_owned();
            expected.insert(url.clone(), Entry { link: url, title, published, categories: Vec::new() });
        });
        expected
    };
    assert_eq!(ours, expected("news"));
    assert_eq!(ours.len(), 5);
    assert_eq!(inside, expected("inside-rust"));
    assert_eq!(inside.len(), 2);
    // The second blog's feed is titled by its `_index.md`, as Zola titles it.
    let feed = feed_rs::parser::parse(out.bytes("inside-rust/feed.xml").as_slice()).unwrap();
    assert_eq!(feed.title.unwrap().content, "Inside Rust Blog");
    // The bundle's image is published where Zola serves it.
    assert!(out.path("2021/08/03/GATs-stabilization-push/gats-reactions.png").is_file());
}
