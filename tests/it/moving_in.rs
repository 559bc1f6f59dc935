//! Moving in from Jekyll, Hugo and Zola: posts with their front matter as
//! those generators write it are accepted as written, and reach the feeds
//! with their dates (as instants), categories, authors and summaries.

use crate::harness::*;
use crate::read::*;

/// The item of the news feed's JSON with this title.
#[track_caller]
fn json_item(out: &Outcome, title: &str) -> serde_json::Value {
    let feed = json(out, "news/feed.json");
    let items = feed["items"].as_array().unwrap();
    items.iter().find(|i| i["title"] == title).unwrap_or_else(|| panic!("no item {title:?} in {feed}")).clone()
}

/// The `<item>` of the news feed's RSS with this title: its pubDate.
#[track_caller]
fn rss_date(out: &Outcome, title: &str) -> jiff::Timestamp {
    let text = out.read("news/rss.xml");
    let doc = xml(&text);
    let channel = kid(doc.root_element(), None, "channel");
    let item = kids(channel, None, "item").into_iter().find(|i| kid_text(*i, None, "title") == title).unwrap();
    rfc822(&kid_text(item, None, "pubDate"))
}

#[test]
fn blank_lines_and_a_bom_before_the_front_matter() {
    let store = Store::fixture("minimal")
        .write("news/2024-05-01-bom.md", "\u{feff}\n\n+++\ntitle = \"Hugo\"\ndate = 2024-05-01\n+++\nBody.\n")
        .write("news/2024-05-02-blank.md", "\n---\ntitle: Jekyll\ndate: 2024-05-02\n---\nBody.\n");
    let out = store.green();
    assert_eq!(rss_date(&out, "Hugo"), "2024-05-01T00:00:00Z".parse().unwrap());
    assert_eq!(rss_date(&out, "Jekyll"), "2024-05-02T00:00:00Z".parse().unwrap());
}

#[test]
fn yaml_1_1_timestamps_as_jekyll_writes_them() {
    let store = Store::fixture("minimal")
        .edit("site.toml", |t| format!("{t}timezone = \"America/Los_Angeles\"\n"))
        .write("news/2014-12-17-a.md", "---\ntitle: A\ndate: 2014-12-17 11:16:21 -0800\n---\nA.\n")
        .write("news/2014-12-17-b.md", "---\ntitle: B\ndate: 2014-12-17 11:16:21 +00:00\n---\nB.\n")
        .write("news/2014-12-17-c.md", "---\ntitle: C\ndate: 2014-12-17 11:16\n---\nC.\n")
        .write("news/2014-12-17-d.md", "---\ntitle: D\ndate: 2014-12-17T11:16:21Z\n---\nD.\n");
    let out = store.green();
    for (title, instant) in [
        ("A", "2014-12-17T19:16:21Z"),
        ("B", "2014-12-17T11:16:21Z"),
        // A local date-time is wall time in the site's zone.
        ("C", "2014-12-17T19:16:00Z"),
        ("D", "2014-12-17T11:16:21Z"),
    ] {
        let instant: jiff::Timestamp = instant.parse().unwrap();
        assert_eq!(rss_date(&out, title), instant, "{title}");
        assert_eq!(rfc3339(json_item(&out, title)["date_published"].as_str().unwrap()), instant, "{title}");
    }
}

#[test]
fn the_date_of_a_jekyll_file_name() {
    let store = Store::fixture("minimal")
        .edit("site.toml", |t| format!("{t}timezone = \"Europe/Paris\"\n"))
        .write("news/2014-12-17-welcome.md", "---\ntitle: Welcome\n---\nBody.\n");
    let out = store.green();
    assert_eq!(rss_date(&out, "Welcome"), "2014-12-16T23:00:00Z".parse().unwrap());
    // The slug is the rest of the name.
    assert!(json_item(&out, "Welcome")["url"].as_str().unwrap().ends_with("/news/welcome/"));
}

#[test]
fn the_date_of_a_zola_file_name_with_an_underscore() {
    // Zola reads `YYYY-MM-DD_slug.md` as it reads `YYYY-MM-DD-slug.md`.
    let store = Store::fixture("minimal")
        .write("news/2021-03-04_underscore.md", "+++\ntitle = \"Underscore\"\n+++\nBody.\n")
        .write("news/2021-03-05_a-bundle/index.md", "+++\ntitle = \"Bundle\"\n+++\nBody.\n");
    let out = store.green();
    assert_eq!(rss_date(&out, "Underscore"), "2021-03-04T00:00:00Z".parse().unwrap());
    assert!(json_item(&out, "Underscore")["url"].as_str().unwrap().ends_with("/news/underscore/"));
    assert_eq!(rss_date(&out, "Bundle"), "2021-03-05T00:00:00Z".parse().unwrap());
    assert!(json_item(&out, "Bundle")["url"].as_str().unwrap().ends_with("/news/a-bundle/"));
}

/// The RSS `<category>`s, the Atom `<category term>`s and the JSON Feed
/// `tags` of the news item titled `title`, each in order.
#[track_caller]
fn terms(out: &Outcome, title: &str) -> [Vec<String>; 3] {
    let text = out.read("news/rss.xml");
    let doc = xml(&text);
    let channel = kid(doc.root_element(), None, "channel");
    let item = kids(channel, None, "item").into_iter().find(|i| kid_text(*i, None, "title") == title).unwrap();
    let rss = kids(item, None, "category").iter().map(|c| c.text().unwrap_or("").to_owned()).collect();
    let text = out.read("news/atom.xml");
    let doc = xml(&text);
    let entry = kids(doc.root_element(), Some(ATOM_NS), "entry")
        .into_iter()
        .find(|e| kid_text(*e, Some(ATOM_NS), "title") == title)
        .unwrap();
    let atom = kids(entry, Some(ATOM_NS), "category").iter().map(|c| c.attribute("term").unwrap().to_owned()).collect();
    let json = json_item(out, title)["tags"]
        .as_array()
        .map(|t| t.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    [rss, atom, json]
}

#[test]
fn generator_keys_are_mapped() {
    let store = Store::fixture("minimal")
        .write(
            "news/2024-05-01-jekyll.md",
            "---\ntitle: Jekyll\ndate: 2024-05-01\ncategories: jekyll update\ncategory: Release Notes\n\
             tags: [update, moon]\nauthor: parkr\ndescription: From the description.\n\
             redirect_from: /old/\n---\nThe body.\n",
        )
        .write(
            "news/2024-05-02-zola.md",
            "+++\ntitle = \"Zola\"\ndate = 2024-05-02\npath = \"blog/2024/05/02/zola\"\n\
             author = [\"Ann\", \"Bob\"]\nauthors = [\"Bob\"]\naliases = [\"/z/\"]\n+++\nZola's body.\n",
        );
    let out = store.green();
    // Tags first, then the categories that are not tags, in each format.
    let expected = ["update", "moon", "jekyll", "Release Notes"].map(String::from).to_vec();
    assert_eq!(terms(&out, "Jekyll"), [expected.clone(), expected.clone(), expected]);
    let jekyll = json_item(&out, "Jekyll");
    assert_eq!(jekyll["summary"], "From the description.");
    assert_eq!(jekyll["authors"], serde_json::json!([{ "name": "parkr" }]));
    let zola = json_item(&out, "Zola");
    assert_eq!(zola["url"], format!("{MINIMAL_BASE}blog/2024/05/02/zola/"));
    assert_eq!(zola["authors"], serde_json::json!([{ "name": "Bob" }, { "name": "Ann" }]));
}

#[test]
fn one_string_of_tags_is_split_at_blanks_as_jekyll_splits_it() {
    let store = Store::fixture("minimal")
        .write("news/2021-03-04-yaml.md", "---\ntitle: YAML\ntags: ruby  jekyll\n---\nBody.\n")
        .write("news/2021-03-05-toml.md", "+++\ntitle = \"TOML\"\ntags = \"ruby jekyll\"\n+++\nBody.\n")
        // A list is taken as written, blanks and all.
        .write("news/2021-03-06-list.md", "---\ntitle: List\ntags: [ruby jekyll, moon]\n---\nBody.\n")
        // A term given twice is one term.
        .write("news/2021-03-07-twice.md", "---\ntitle: Twice\ntags: ruby ruby jekyll\n---\nBody.\n")
        // Ruby splits at ASCII blanks: a non-breaking space is inside a name.
        .write("news/2021-03-08-nbsp.md", "---\ntitle: Nbsp\ntags: Jeux\u{a0}olympiques Tokyo\n---\nBody.\n");
    let out = store.green();
    let two = ["ruby", "jekyll"].map(String::from).to_vec();
    assert_eq!(terms(&out, "Twice"), [two.clone(), two.clone(), two.clone()]);
    let kept = ["Jeux\u{a0}olympiques", "Tokyo"].map(String::from).to_vec();
    assert_eq!(terms(&out, "Nbsp"), [kept.clone(), kept.clone(), kept]);
    assert_eq!(terms(&out, "YAML"), [two.clone(), two.clone(), two.clone()]);
    assert_eq!(terms(&out, "TOML"), [two.clone(), two.clone(), two]);
    let listed = ["ruby jekyll", "moon"].map(String::from).to_vec();
    assert_eq!(terms(&out, "List"), [listed.clone(), listed.clone(), listed]);
}

const JEKYLL: &str = "---
layout: post
title:  \"Welcome to Jekyll!\"
date:   2014-12-17 11:16:21 -0800
categories: jekyll update
author: parkr
---
You’ll find this post in your `_posts` directory.

<!--more-->

Jekyll also offers powerful support for code snippets.
";

const HUGO: &str = "\u{feff}
+++
title = \"Creating a New Theme\"
date = 2014-09-28T00:00:00-07:00
description = \"Hugo's themes, step by step.\"
categories = [\"hugo\", \"themes\"]
tags = [\"themes\"]
images = [\"/img/theme.png\"]
weight = 10

[params]
toc = true
+++

## Introduction

This tutorial will show you how to create a simple theme.
";

const ZOLA: &str = "+++
title = \"Releasing Zola 0.10\"
date = 2020-01-02
path = \"blog/2020/01/02/x\"
authors = [\"Vincent\"]

[taxonomies]
categories = [\"releases\"]

[extra]
lead = \"A release.\"
version = \"0.10\"
+++

Zola 0.10 is out. <!-- more --> The rest of the notes.
";

/// The news store with the three posts (and the template showing `extra`).
fn moved_in() -> Store {
    Store::fixture("minimal")
        .write("news/2014-12-17-welcome-to-jekyll.md", JEKYLL)
        .write("news/2014-09-28-creating-a-new-theme.md", HUGO)
        .write("news/2020-01-02-zola-0-10.md", ZOLA)
}

#[test]
fn posts_of_jekyll_hugo_and_zola_as_written() {
    let store = moved_in();
    let out = store.green();

    let jekyll = json_item(&out, "Welcome to Jekyll!");
    let instant: jiff::Timestamp = "2014-12-17T19:16:21Z".parse().unwrap();
    assert_eq!(rss_date(&out, "Welcome to Jekyll!"), instant);
    assert_eq!(rfc3339(jekyll["date_published"].as_str().unwrap()), instant);
    let jekyll_terms = vec!["jekyll".to_owned(), "update".to_owned()];
    assert_eq!(terms(&out, "Welcome to Jekyll!"), [jekyll_terms.clone(), jekyll_terms.clone(), jekyll_terms]);
    assert_eq!(jekyll["authors"], serde_json::json!([{ "name": "parkr" }]));
    // The summary is the text before `<!--more-->`.
    assert_eq!(jekyll["summary"], "You’ll find this post in your _posts directory.");

    let hugo = json_item(&out, "Creating a New Theme");
    assert_eq!(rss_date(&out, "Creating a New Theme"), "2014-09-28T07:00:00Z".parse().unwrap());
    assert_eq!(hugo["summary"], "Hugo's themes, step by step.");
    let hugo_terms = ["themes", "hugo"].map(String::from).to_vec();
    assert_eq!(terms(&out, "Creating a New Theme"), [hugo_terms.clone(), hugo_terms.clone(), hugo_terms]);

    let zola = json_item(&out, "Releasing Zola 0.10");
    assert_eq!(zola["url"], format!("{MINIMAL_BASE}blog/2020/01/02/x/"));
    assert_eq!(zola["summary"], "Zola 0.10 is out.");
    assert_eq!(zola["authors"], serde_json::json!([{ "name": "Vincent" }]));
}

#[test]
fn html_bodies_give_a_summary_as_markdown_bodies_do() {
    let store = Store::fixture("minimal")
        // A Markdown file whose body is raw HTML, as `import wordpress` writes one.
        .write(
            "news/2021-01-01-a.md",
            "+++\ntitle = \"A\"\ndate = 2021-01-01\n+++\n\n<p>Before the mark.</p>\n<!--more-->\n<p>After.</p>\n",
        )
        .write("news/2021-01-02-b.md", "+++\ntitle = \"B\"\n+++\n\n<p>First para.</p>\n<p>Second.</p>\n")
        .write(
            "news/2021-01-03-c.html",
            "---\ntitle: C\n---\n<div>\n    <p>Indented &amp; <em>not</em> code.</p>\n</div>\n<!-- more -->\n<p>Rest.</p>\n",
        )
        .write("news/2021-01-04-d.html", "---\ntitle: D\n---\n<p>&nbsp;</p>\n<p>Caf&eacute; <b>first</b>.</p>\n<p>Next.</p>\n")
        // A summary given still wins.
        .write("news/2021-01-05-e.html", "---\ntitle: E\ndescription: Given.\n---\n<p>Body.</p>\n<!--more-->\n");
    let out = store.green();
    for (title, summary) in [
        ("A", "Before the mark."),
        ("B", "First para."),
        ("C", "Indented & not code."),
        ("D", "Café first."),
        ("E", "Given."),
    ] {
        assert_eq!(json_item(&out, title)["summary"], summary, "{title}");
    }
}

#[test]
fn other_keys_are_kept_for_templates_with_one_note() {
    let template = "{{ content | safe }}<p>{{ item.extra.lead | default(value=\"-\") }} \
                    {{ item.extra.version | default(value=\"-\") }} {{ item.extra.layout | default(value=\"-\") }} \
                    {{ item.extra.weight | default(value=\"-\") }} {% if item.extra.params %}{{ item.extra.params.toc }}{% else %}-{% endif %}</p>\n";
    let store = moved_in().write_feed("templates/item.html", template);
    let check = store.check(&["--deny-warnings"]);
    assert_eq!(check.status.code(), Some(0), "a note fails no run: {}{}", check.stdout, check.stderr);
    let notes = check.json();
    assert_eq!(notes.len(), 1, "one note per run: {}", check.stdout);
    assert_eq!((notes[0].code.as_str(), notes[0].severity.as_str()), ("N0101", "note"));
    assert!(
        notes[0].message.ends_with(
            "item.extra: extra (1 file), images (1 file), layout (1 file), params (1 file), taxonomies (1 file), \
             weight (1 file)"
        ),
        "{}",
        notes[0].message
    );
    let out = store.build().ok();
    let html = |title: &str| json_item(&out, title)["content_html"].as_str().unwrap().to_owned();
    assert!(html("Releasing Zola 0.10").contains("<p>A release. 0.10 - - -</p>"), "{}", html("Releasing Zola 0.10"));
    assert!(html("Welcome to Jekyll!").contains("<p>- - post - -</p>"), "{}", html("Welcome to Jekyll!"));
    assert!(html("Creating a New Theme").contains("<p>- - - 10 true</p>"), "{}", html("Creating a New Theme"));
}

#[test]
fn a_key_close_to_a_known_one_is_still_an_error() {
    for (name, text) in [
        ("news/2024-05-01-toml.md", "+++\ntitel = \"A\"\ndate = 2024-05-01\n+++\nBody.\n"),
        ("news/2024-05-01-yaml.md", "---\ntitel: A\ndate: 2024-05-01\n---\nBody.\n"),
    ] {
        let store = Store::fixture("minimal").write(name, text);
        let out = store.check(&[]);
        assert_eq!(out.status.code(), Some(1), "{}", out.stdout);
        let p = out.has("E0103", &format!("content/{name}"), 2, 1);
        assert_eq!(p.hint.as_deref(), Some("did you mean \"title\"?"), "{p:?}");
        // The title is misspelt, not missing: none is made from the name.
        assert_eq!(out.codes(), ["E0103"], "{}", out.stdout);
    }
}

#[test]
fn messages_in_the_files_own_syntax() {
    let name = "news/2024-05-01-yaml.md";
    let store = Store::fixture("minimal").write(name, "---\ndate: 2024-05-01\ntags: {a: 1}\n---\nBody.\n");
    let out = store.check(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stdout);
    let missing = out.has("W0111", &format!("content/{name}"), 1, 1);
    assert_eq!(
        missing.hint.as_deref(),
        Some("add `title: …` to the front matter, or `draft: true` to leave the file out")
    );
    let wrong = out.has("E0105", &format!("content/{name}"), 3, 7);
    assert_eq!(wrong.message, "tags must be a list of strings (or one string of names separated by blanks)");
    assert_eq!(wrong.hint.as_deref(), Some("e.g. tags: [moon, mars]"));
    assert!(!out.stdout.contains("invalid type"), "{}", out.stdout);
}

#[test]
fn a_dated_post_without_a_title_is_titled_after_its_name_as_jekyll_titles_it() {
    let store = Store::fixture("minimal")
        // The warning is where the front matter opens, below blank lines.
        .write("news/2021-05-01-my-first-post.md", "\n\n---\nlayout: post\n---\nThe body.\n")
        .write("news/titleless.md", "+++\ndate = 2021-05-02\n+++\nThe body.\n")
        .write("news/2021-05-04-a-bundle/index.md", "---\nlayout: post\n---\nThe body.\n")
        // jekyll-redirect-from leaves a post with `redirect_to` a post.
        .write("news/2021-05-03-redirect.md", "---\nredirect_to: https://example.com/\n---\n")
        // Neither title nor date: still a stub, left out with a note.
        .write("news/old-url.md", "---\nredirect_to: /news/elsewhere/\n---\n");
    let check = store.check(&[]);
    assert_eq!(check.status.code(), Some(0), "warnings: {}{}", check.stdout, check.stderr);
    let yaml = check.has("W0111", "content/news/2021-05-01-my-first-post.md", 3, 1);
    assert!(yaml.message.contains("\"My First Post\""), "the title used is named: {}", yaml.message);
    let toml = check.has("W0111", "content/news/titleless.md", 1, 1);
    assert_eq!(
        toml.hint.as_deref(),
        Some("add `title = \"…\"` to the front matter, or `draft = true` to leave the file out")
    );
    check.has("W0111", "content/news/2021-05-03-redirect.md", 1, 1);
    let bundle = check.has("W0111", "content/news/2021-05-04-a-bundle/index.md", 1, 1);
    assert!(bundle.message.contains("\"A Bundle\" after its folder's name"), "{}", bundle.message);
    let stub = check.json().into_iter().find(|p| p.code == "N0110").expect("the stubs' note");
    assert!(stub.message.contains("news/old-url.md") && stub.message.starts_with("1 file(s)"), "{}", stub.message);
    let out = store.build().ok();
    for (title, url) in [
        ("My First Post", "news/my-first-post/"),
        ("Titleless", "news/titleless/"),
        ("Redirect", "news/redirect/"),
        ("A Bundle", "news/a-bundle/"),
    ] {
        assert_eq!(json_item(&out, title)["url"], format!("{MINIMAL_BASE}{url}"));
    }
    assert!(!out.read("news/feed.json").contains("old-url"), "the stub is not published");
    // A publication is pressroom's own: its title stays required.
    let store = Store::fixture("minimal")
        .edit("publications/2024-03-01-minimal-report.md", |t| t.replace("title = \"Minimal Report\"\n", ""));
    store.check(&[]).fails_with(1).has("E0104", "content/publications/2024-03-01-minimal-report.md", 1, 1);
}

#[test]
fn hugo_s_publish_date_and_lastmod_and_jekyll_s_last_modified_at() {
    let store = Store::fixture("minimal")
        .write(
            "news/hugo.md",
            "+++\ntitle = \"Hugo\"\npublishDate = 2021-03-04T10:00:00Z\nlastmod = 2021-05-06\n+++\nH.\n",
        )
        .write(
            "news/2021-03-05-jekyll.md",
            "---\ntitle: Jekyll\nlast_modified_at: 2021-07-08 09:00:00 +0000\n---\nJ.\n",
        );
    let out = store.green();
    let hugo = json_item(&out, "Hugo");
    assert_eq!(hugo["date_published"], "2021-03-04T10:00:00Z");
    assert_eq!(hugo["date_modified"], "2021-05-06T00:00:00Z");
    assert_eq!(json_item(&out, "Jekyll")["date_modified"], "2021-07-08T09:00:00Z");
}

#[test]
fn jekyll_s_published_and_permalink_and_zola_s_taxonomies() {
    let store = Store::fixture("minimal")
        .write("news/2021-01-01-unpublished.md", "---\ntitle: Unpublished\npublished: false\n---\nU.\n")
        .write("news/2021-01-02-moved.md", "---\ntitle: Moved\npermalink: /blog/moved-here/\n---\nM.\n")
        .write("news/2021-01-03-pattern.md", "---\ntitle: Pattern\npermalink: /:year/:title/\n---\nP.\n")
        .write(
            "news/zola.md",
            "+++\ntitle = \"Zola\"\ndate = 2021-01-04\n[taxonomies]\ntags = [\"rust\"]\ncategories = [\"Release\"]\n+++\nZ.\n",
        );
    let out = store.green();
    assert!(!out.read("news/feed.json").contains("Unpublished"), "published: false is a draft");
    assert_eq!(json_item(&out, "Moved")["url"], format!("{MINIMAL_BASE}blog/moved-here/"));
    // A permalink with placeholders is kept, not followed: the site's [urls] place it.
    assert_eq!(json_item(&out, "Pattern")["url"], format!("{MINIMAL_BASE}news/pattern/"));
    assert_eq!(terms(&out, "Zola")[2], ["rust", "Release"]);
}

#[test]
fn numbers_where_posts_write_them_are_their_text() {
    // Jekyll, Hugo and Zola read a number in these places as its text.
    let store = Store::fixture("minimal")
        .write("news/2024-05-01-a.md", "---\ntitle: 1984\ntags: [2024, moon]\ncategories: 2019\n---\nA.\n")
        .write("news/2024-05-02-b.md", "+++\ntitle = 2048\nauthors = [7]\n+++\nB.\n");
    let out = store.green();
    assert_eq!(terms(&out, "1984")[2], ["2024", "moon", "2019"]);
    assert_eq!(json_item(&out, "2048")["authors"], serde_json::json!([{ "name": "7" }]));
}

#[test]
fn a_post_jekyll_import_made_of_a_wordpress_post() {
    // jekyll-import's WordPress importer: the author as a table, the
    // post's WordPress number as `id`, and WordPress's own keys.
    let post = "---\nlayout: post\ntitle: WP post\ndate: 2012-03-04 10:00:00.000000000 +01:00\ntype: post\n\
                parent_id: '0'\npublished: true\npassword: ''\nstatus: publish\ncategories: []\ntags: []\n\
                meta:\n  _edit_last: '1'\nauthor:\n  login: admin\n  email: ada@example.org\n  display_name: Ada\n  \
                first_name: ''\n  last_name: ''\nid: 123\npermalink: \"/2012/03/04/wp-post/\"\n---\nBody.\n";
    let store = Store::fixture("minimal").write("news/2012-03-04-wp-post.md", post);
    let check = store.check(&[]);
    let kept = check.json().into_iter().find(|p| p.code == "N0101").expect("the kept keys' note");
    assert!(kept.message.contains("id (1 file)"), "the number is kept, and said: {}", kept.message);
    let out = store.green();
    let item = json_item(&out, "WP post");
    assert_eq!(item["authors"], serde_json::json!([{ "name": "Ada" }]));
    assert_eq!(item["url"], format!("{MINIMAL_BASE}2012/03/04/wp-post/"));
    assert!(item["id"].as_str().unwrap().starts_with("tag:"), "the id is made, not WordPress's number: {item}");
    // A text id is still the item's, and must be a URI.
    let store = Store::fixture("minimal").write("news/2012-03-04-x.md", "---\ntitle: X\nid: \"123\"\n---\nX.\n");
    store.check(&[]).fails_with(1).has("E0107", "content/news/2012-03-04-x.md", 3, 5);
}

#[test]
fn hugo_s_url_without_its_first_slash() {
    let store =
        Store::fixture("minimal").write("news/x.md", "---\ntitle: X\ndate: 2021-01-01\nurl: blog/2021/x/\n---\nX.\n");
    let out = store.green();
    assert_eq!(json_item(&out, "X")["url"], format!("{MINIMAL_BASE}blog/2021/x/"));
}

#[test]
fn hugo_s_json_front_matter() {
    let post = "{\n  \"title\": \"JSON post\",\n  \"date\": \"2021-02-03T04:05:06Z\",\n  \"tags\": [\"json\", \"hugo\"],\n  \
                \"weight\": 3,\n  \"description\": \"Hugo {JSON} front matter.\"\n}\nBody with {braces}.\n";
    let store = Store::fixture("minimal").write("news/json.md", post);
    let out = store.green();
    let item = json_item(&out, "JSON post");
    assert_eq!(item["date_published"], "2021-02-03T04:05:06Z");
    assert_eq!(item["summary"], "Hugo {JSON} front matter.");
    assert_eq!(terms(&out, "JSON post")[2], ["json", "hugo"]);
    assert!(item["content_html"].as_str().unwrap().contains("Body with {braces}."));
    // Its problems at their lines, hints in JSON.
    let bad = "{\n  \"title\": \"Bad\",\n  \"date\": \"2021-02-03\",\n  \"tilte\": 3,\n  \"tags\": true\n}\nB.\n";
    let check = Store::fixture("minimal").write("news/bad.md", bad).check(&[]).fails_with(1);
    check.has("E0103", "content/news/bad.md", 4, 3);
    let wrong = check.has("E0105", "content/news/bad.md", 5, 11);
    assert_eq!(wrong.hint.as_deref(), Some("e.g. \"tags\": [\"moon\", \"mars\"]"));
    let unclosed = Store::fixture("minimal").write("news/open.md", "{\n  \"title\": \"Open\"\nBody.\n");
    unclosed.check(&[]).fails_with(1).has("E0101", "content/news/open.md", 1, 1);
}
