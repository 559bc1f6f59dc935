//! More than one section of a kind (`[sections]` of site.toml), feeds that
//! select by sections, tags, categories and authors, and a section's own
//! page (`_index.md`) titling its feed. Feeds are read back with feed-rs and
//! strict XML, the sitemap against its schema.

use crate::harness::*;
use crate::read::*;

/// The minimal store with a second news section, `inside-rust/`, served
/// under its own dated pattern, holding two posts.
fn two_blogs() -> Store {
    Store::fixture("minimal")
        .edit("site.toml", |t| {
            format!("{t}\n[sections.inside-rust]\nurl = \"/inside-rust/{{year}}/{{month}}/{{day}}/{{slug}}/\"\n")
        })
        .write(
            "inside-rust/2024-04-01-hello.md",
            "+++\ntitle = \"Hello from inside\"\ndate = 2024-04-01\ntags = [\"moon\"]\ncategories = [\"compiler\"]\nauthors = [\"Grace Hopper\"]\n+++\nFirst inside post.\n",
        )
        .write(
            "inside-rust/2024-04-02-second.md",
            "+++\ntitle = \"Second inside\"\ndate = 2024-04-02\ncategories = [\"infra\"]\nauthors = [\"Ada Lovelace\"]\n+++\nSecond inside post.\n",
        )
}

const INSIDE_FEED: &str = "title = \"Inside\"\ndescription = \"The inside blog.\"\nsection = \"inside-rust\"\nformats = [\"rss\", \"atom\", \"json\"]\n";

/// The titles of a feed's entries, as feed-rs reads each of its formats
/// (the same in all three), newest first.
#[track_caller]
fn titles(out: &Outcome, folder: &str) -> Vec<String> {
    let each: Vec<Vec<String>> = FORMATS
        .iter()
        .map(|file| {
            let feed = feed(out, &format!("{folder}/{file}"));
            feed.entries.iter().map(|e| e.title.as_ref().map(|t| t.content.clone()).unwrap_or_default()).collect()
        })
        .collect();
    assert!(each.iter().all(|t| *t == each[0]), "the formats disagree: {each:?}");
    // Strict XML too (feed-rs forgives).
    xml(&out.read(&format!("{folder}/rss.xml")));
    xml(&out.read(&format!("{folder}/atom.xml")));
    each[0].clone()
}

#[test]
fn a_second_news_section_has_its_own_urls_feed_and_sitemap_entries() {
    let store = two_blogs().write_feed("inside-rust.toml", INSIDE_FEED);
    let out = store.green();
    assert_eq!(titles(&out, "inside-rust"), ["Second inside", "Hello from inside"]);
    // The news feed keeps to its own section.
    assert_eq!(titles(&out, "news"), ["Second news", "First news"]);
    let feed = feed(&out, "inside-rust/atom.xml");
    let link = &feed.entries[1].links[0].href;
    assert_eq!(link, "https://example.org/inside-rust/2024/04/01/hello/");
    // Ids name the section, so that they stay apart from news's.
    assert!(feed.entries[1].id.contains(":inside-rust/hello"), "{}", feed.entries[1].id);
    let sitemap = out.read("sitemap.xml");
    for url in [
        "https://example.org/inside-rust/2024/04/01/hello/",
        "https://example.org/inside-rust/2024/04/02/second/",
        "https://example.org/inside-rust/",
        "https://example.org/news/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url} not in\n{sitemap}");
    }
    assert_sitemap_valid(&out.path("sitemap.xml"));
    assert!(out.stderr.contains("4 news item(s) (news 2, inside-rust 2), 1 publication(s)"), "{}", out.stderr);
}

#[test]
fn a_feed_over_two_sections() {
    let store = two_blogs().write_feed(
        "all.toml",
        "title = \"All\"\ndescription = \"Both blogs.\"\nsections = [\"news\", \"inside-rust\"]\nformats = [\"rss\", \"atom\", \"json\"]\n",
    );
    let out = store.green();
    assert_eq!(titles(&out, "all"), ["Second inside", "Hello from inside", "Second news", "First news"]);
}

#[test]
fn feeds_filtered_by_categories_authors_and_tags() {
    let store = two_blogs()
        .write_feed(
            "compiler.toml",
            "title = \"C\"\ndescription = \"D\"\nsections = [\"news\", \"inside-rust\"]\ncategories = [\"compiler\", \"nothing\"]\nformats = [\"rss\", \"atom\", \"json\"]\n",
        )
        .write_feed(
            "ada.toml",
            "title = \"A\"\ndescription = \"D\"\nsections = [\"news\", \"inside-rust\"]\nauthors = [\"Ada Lovelace\"]\nformats = [\"rss\", \"atom\", \"json\"]\n",
        )
        // Every key given must match: Ada's posts tagged moon.
        .write_feed(
            "ada-moon.toml",
            "title = \"AM\"\ndescription = \"D\"\nsections = [\"news\", \"inside-rust\"]\nauthors = [\"Ada Lovelace\"]\ntags = [\"moon\"]\nformats = [\"rss\", \"atom\", \"json\"]\n",
        );
    let out = store.green();
    assert_eq!(titles(&out, "compiler"), ["Hello from inside"]);
    assert_eq!(titles(&out, "ada"), ["Second inside", "First news"]);
    assert_eq!(titles(&out, "ada-moon"), ["First news"]);
}

#[test]
fn a_filter_that_matches_nothing_is_a_warning_at_its_line() {
    let store = two_blogs().write_feed(
        "none.toml",
        "title = \"N\"\ndescription = \"D\"\nsection = \"inside-rust\"\nformats = [\"rss\"]\nauthors = [\"Nobody\"]\n",
    );
    let check = store.check(&[]);
    let found = check.has("W0104", "feeds/none.toml", 5, 0);
    assert!(found.message.contains("no inside-rust item has any of the authors Nobody"), "{}", found.message);
}

#[test]
fn a_slug_may_repeat_across_sections_but_not_within_one() {
    let store = two_blogs()
        .write_feed("inside-rust.toml", INSIDE_FEED)
        .write("inside-rust/2024-04-03-first-news.md", "+++\ntitle = \"Same slug\"\ndate = 2024-04-03\n+++\nBody.\n");
    let out = store.green();
    let feed = feed(&out, "inside-rust/atom.xml");
    assert_eq!(feed.entries[0].links[0].href, "https://example.org/inside-rust/2024/04/03/first-news/");

    // Within one section, one slug on one URL is the mistake (on another
    // day, the dated pattern would give it a URL of its own).
    let store =
        store.write("inside-rust/zz/2024-04-01-hello.md", "+++\ntitle = \"Twice\"\ndate = 2024-04-01\n+++\nBody.\n");
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(1), "{}{}", check.stdout, check.stderr);
    let found = check.has("E0201", "content/inside-rust/zz/2024-04-01-hello.md", 1, 0);
    assert!(found.message.contains("inside-rust/2024-04-01-hello.md"), "{}", found.message);
}

#[test]
fn an_unknown_section_in_a_feed_is_an_error_at_its_line() {
    let store = two_blogs().write_feed(
        "x.toml",
        "title = \"X\"\ndescription = \"D\"\nsections = [\n  \"news\",\n  \"inside-rusty\",\n]\nformats = [\"rss\"]\n",
    );
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(2), "{}{}", check.stdout, check.stderr);
    let found = check.has("E0501", "feeds/x.toml", 5, 1);
    assert!(found.hint.as_deref().unwrap_or_default().contains("did you mean \"inside-rust\"?"), "{found:?}");
    let build = store.build().fails_with(2);
    assert!(build.stderr.contains("unknown section \"inside-rusty\""), "{}", build.stderr);
}

#[test]
fn a_feed_may_not_mix_news_and_publications() {
    let store = two_blogs().write_feed(
        "mixed.toml",
        "title = \"M\"\ndescription = \"D\"\nformats = [\"rss\"]\nsections = [\"inside-rust\", \"publications\"]\n",
    );
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(2), "{}{}", check.stdout, check.stderr);
    let found = check.has("E0107", "feeds/mixed.toml", 4, 1);
    assert!(found.message.contains("sections mixes news (inside-rust) and publications (publications)"), "{found:?}");
}

#[test]
fn index_md_titles_its_sections_feed() {
    let store = two_blogs()
        .write(
            "inside-rust/_index.md",
            "+++\ntitle = \"Inside Rust\"\ndescription = \"Posts from the teams.\"\nsort_by = \"date\"\npaginate_by = 10\n+++\nThe blog's landing page.\n",
        )
        .write_feed("inside-rust.toml", "section = \"inside-rust\"\nformats = [\"rss\", \"atom\", \"json\"]\n");
    let out = store.green();
    for file in FORMATS {
        let feed = feed(&out, &format!("inside-rust/{file}"));
        assert_eq!(feed.title.unwrap().content, "Inside Rust", "{file}");
        assert_eq!(feed.description.map(|d| d.content).as_deref(), Some("Posts from the teams."), "{file}");
    }
    // Not an item, and no longer among the files not read.
    assert_eq!(titles(&out, "inside-rust").len(), 2);
    assert!(!out.stderr.contains("_index.md"), "{}", out.stderr);
    let check = store.check(&[]);
    assert!(!check.stdout.contains("_index.md"), "{}", check.stdout);
}

#[test]
fn a_feed_without_a_title_needs_one_from_index_md() {
    let store = two_blogs()
        .write("inside-rust/_index.md", "+++\ntitle = \"Inside Rust\"\n+++\n")
        .write_feed("inside-rust.toml", "formats = [\"rss\"]\nsection = \"inside-rust\"\n");
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(2), "{}{}", check.stdout, check.stderr);
    let found = check.has("E0104", "feeds/inside-rust.toml", 2, 1);
    assert!(found.message.contains("no description"), "{found:?}");
    assert!(found.hint.as_deref().unwrap_or_default().contains("content/inside-rust/_index.md"), "{found:?}");
    // The title came from _index.md: no problem about it.
    assert_eq!(check.json().len(), 1, "{}", check.stdout);
}

#[test]
fn a_blank_feed_title_or_description_is_refused() {
    // RSS requires both on its channel; OPML's outline and the feed's page
    // (its <title>) would be empty too.
    let store = Store::fixture("minimal").write_feed(
        "news.toml",
        "title = \"  \"\ndescription = \"\"\nsection = \"news\"\nformats = [\"rss\", \"atom\", \"json\"]\n",
    );
    let check = store.check(&["--deny-warnings"]);
    assert_eq!(check.status.code(), Some(2), "{}{}", check.stdout, check.stderr);
    assert!(check.has("E0104", "feeds/news.toml", 1, 1).message.contains("title is empty"));
    assert!(check.has("E0104", "feeds/news.toml", 2, 1).message.contains("description is empty"));
    assert_eq!(check.json().len(), 2, "{}", check.stdout);
    store.build().fails_with(2);
    // Taken from the section's _index.md, it is refused there.
    let store = two_blogs()
        .write("inside-rust/_index.md", "+++\ntitle = \" \"\ndescription = \"Posts.\"\n+++\n")
        .write_feed("inside-rust.toml", "formats = [\"rss\"]\nsection = \"inside-rust\"\n");
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(2), "{}{}", check.stdout, check.stderr);
    let found = check.has("E0104", "content/inside-rust/_index.md", 2, 9);
    assert!(found.message.contains("feeds/inside-rust.toml takes its title from here"), "{found:?}");
    assert_eq!(check.json().len(), 1, "{}", check.stdout);
    store.build().fails_with(2);
}

#[test]
fn sections_are_checked_in_site_toml() {
    let store = Store::fixture("minimal").edit("site.toml", |t| {
        format!("{t}\n[sections.pages]\n\n[sections.Blog]\n\n[sections.blog]\nkind = \"newz\"\n\n[sections.notes]\nurl = \"/notes/\"\n\n[sections.more]\nurll = \"/more/{{slug}}/\"\n")
    });
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(1), "{}{}", check.stdout, check.stderr);
    // An unknown key stops the parse there, with its "did you mean".
    let found = check.has("E0103", "content/site.toml", 19, 0);
    assert_eq!(found.hint.as_deref(), Some("did you mean \"url\"?"));

    let store = Store::fixture("minimal").edit("site.toml", |t| {
        format!("{t}\n[sections.pages]\n\n[sections.Blog]\n\n[sections.blog]\nkind = \"newz\"\n\n[sections.notes]\nurl = \"/notes/\"\n")
    });
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(1), "{}{}", check.stdout, check.stderr);
    check.has("E0107", "content/site.toml", 8, 1);
    check.has("E0107", "content/site.toml", 10, 1);
    check.has("E0107", "content/site.toml", 13, 1);
    check.has("E0403", "content/site.toml", 16, 1);
}

#[test]
fn a_second_publications_section_is_archived_with_the_first() {
    let pdf = std::fs::read(
        std::path::Path::new(REPO).join("tests/fixtures/minimal/content/publications/pdf/minimal-report.pdf"),
    )
    .unwrap();
    let store = Store::fixture("minimal")
        .edit("site.toml", |t| format!("{t}\n[sections.papers]\nkind = \"publications\"\n"))
        .write("papers/pdf/paper.pdf", &pdf)
        .write(
            "papers/2024-05-01-paper.md",
            "+++\ntitle = \"A paper\"\ndate = 2024-05-01\nfile = \"pdf/paper.pdf\"\n+++\nAbstract.\n",
        )
        .write_feed(
            "papers.toml",
            "title = \"Papers\"\ndescription = \"D\"\nsection = \"papers\"\nformats = [\"rss\", \"atom\", \"json\"]\n",
        );
    let out = store.green();
    assert_eq!(titles(&out, "papers"), ["A paper"]);
    assert_eq!(titles(&out, "publications"), ["Minimal Report"]);
    // Its PDF where its section's default pdf pattern puts it, and in the
    // bundles beside the other section's.
    assert_eq!(out.bytes("papers/paper/paper.pdf"), pdf);
    let index = out.read("archive/index.json");
    let index: serde_json::Value = serde_json::from_str(&index).unwrap();
    assert_eq!(index["bundles"][0]["items"], 2, "{index}");

    // The bags name a PDF's folder by its slug: unique across the
    // publications of every section.
    let store = store.write(
        "papers/2024-05-02-minimal-report.md",
        "+++\ntitle = \"Again\"\ndate = 2024-05-02\nfile = \"pdf/paper.pdf\"\n+++\nAbstract.\n",
    );
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(1), "{}{}", check.stdout, check.stderr);
    check.has("E0201", "content/papers/2024-05-02-minimal-report.md", 1, 0);
}

#[test]
fn a_second_index_page_in_a_section_is_named_and_not_read() {
    let store = Store::fixture("minimal")
        .write("news/_index.markdown", "---\ntitle: First by name\n---\n")
        .write("news/_index.md", "+++\ntitle = \"Second\"\n+++\n");
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(0), "a warning: {}", check.stdout);
    let warned = check.has("W0107", "content/news/_index.md", 0, 0);
    assert!(warned.message.contains("news/_index.markdown"), "{warned:?}");
}
