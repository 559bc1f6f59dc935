//! `pressroom import wordpress`: a WordPress export and its uploads folder
//! become a content store that checks green and builds, with every
//! published post in the feed at its old URL with its old id (its guid, as
//! WordPress's feeds carry it) and every attached PDF in the archive; bad
//! input writes nothing.

use std::fs;
use std::path::{Path, PathBuf};

use crate::harness::*;
use crate::read::*;

fn fixture(rel: &str) -> PathBuf {
    Path::new(REPO).join("tests/fixtures").join(rel)
}

fn isecg() -> PathBuf {
    fixture("wordpress-isecg/export.xml")
}

fn isecg_uploads() -> PathBuf {
    fixture("wordpress-isecg/uploads")
}

/// A site served under `/news`, with plain permalinks (`?p=201`).
fn subfolder() -> PathBuf {
    fixture("wordpress-subfolder/export.xml")
}

fn theme_test() -> PathBuf {
    fixture("wordpress-theme-test/themeunittestdata.excerpt.xml")
}

/// `pressroom import wordpress EXPORT ARGS…` in the store's folder.
fn import(store: &Store, export: &Path, args: &[&str]) -> Outcome {
    let mut all = vec!["import", "wordpress", export.to_str().unwrap()];
    all.extend_from_slice(args);
    store.run(&all)
}

/// The published posts of an export, as WordPress's feed lists them:
/// `(title, permalink, guid)`.
fn published_posts(export: &Path) -> Vec<(String, String, String)> {
    let text = fs::read_to_string(export).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let wp = doc.root_element().lookup_namespace_uri(Some("wp")).unwrap().to_owned();
    let channel = kid(doc.root_element(), None, "channel");
    kids(channel, None, "item")
        .into_iter()
        .filter(|item| {
            kid_text(*item, Some(&wp), "post_type") == "post"
                && kid_text(*item, Some(&wp), "status") == "publish"
                && kid_text(*item, Some(&wp), "post_password").is_empty()
        })
        .map(|item| (kid_text(item, None, "title"), kid_text(item, None, "link"), kid_text(item, None, "guid")))
        .collect()
}

/// `(link, guid)` of every item of an RSS feed of the build.
fn rss_items(out: &Outcome, rel: &str) -> Vec<(String, String)> {
    let text = out.read(rel);
    let doc = xml(&text);
    let channel = kid(doc.root_element(), None, "channel");
    kids(channel, None, "item").into_iter().map(|i| (kid_text(i, None, "link"), kid_text(i, None, "guid"))).collect()
}

#[test]
fn the_isecg_site_moves_in_with_its_urls_ids_and_pdfs() {
    let store = Store::without_content();
    let run = import(
        &store,
        &isecg(),
        &["--uploads", isecg_uploads().to_str().unwrap(), "--publications-category", "Publications"],
    );
    assert!(run.status.success(), "{}", run.stderr);
    assert!(
        run.stderr.contains("imported 5 item(s) into content: 2 news item(s), 2 publication(s), 1 page(s)"),
        "{}",
        run.stderr
    );
    for left_out in ["1 drafts", "1 revisions", "1 menu items", "1 of the custom post type \"event\"", "3 attachments"]
    {
        assert!(run.stderr.contains(left_out), "{left_out}: {}", run.stderr);
    }
    // The one missing upload is named, with the post.
    assert!(run.stderr.contains("warning[W0701]: post \"International Space Agencies Meet"), "{}", run.stderr);
    assert!(run.stderr.contains("missing-photo.jpg"), "{}", run.stderr);
    let site = fs::read_to_string(store.content().join("site.toml")).unwrap();
    assert!(site.contains("news = \"/{year}/{month}/{slug}/\""), "{site}");
    // The site's zone, from the posts' two dates: the annual report was
    // posted on 1 June there, 31 May in UTC, and its permalink says June.
    assert!(site.contains("timezone = \"Etc/GMT-1\""), "{site}");
    let out = store.green();
    let base = "https://www.globalspaceexploration.org";
    let news = rss_items(&out, "news/rss.xml");
    let publications = rss_items(&out, "publications/rss.xml");
    for (title, link, guid) in published_posts(&isecg()) {
        let want = (link.clone(), guid.clone());
        assert!(news.contains(&want) || publications.contains(&want), "{title}: {want:?} in {news:?} {publications:?}");
    }
    assert_eq!(publications.len(), 2, "{publications:?}");
    assert!(publications.contains(&(format!("{base}/2021/06/isecg-annual-report-2020/"), format!("{base}/?p=103"))));
    // Every attached PDF is in the archive, and published where the body
    // links it.
    let mut zip = zip::ZipArchive::new(
        fs::File::open(out.path("archive/globalspaceexploration-org-publications-all.zip")).unwrap(),
    )
    .unwrap();
    let names: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().unwrap().into_owned()).collect();
    for pdf in ["ISECG-Annual-Report-2020.pdf", "GER-Map-Supplement.pdf"] {
        assert!(names.iter().any(|n| n.ends_with(pdf)), "{pdf} not in {names:?}");
    }
    assert!(out.path("2021/06/isecg-annual-report-2020/ISECG-Annual-Report-2020.pdf").is_file());
    let feed = out.read("publications/rss.xml");
    assert!(
        feed.contains(&format!("href=\"{base}/2021/06/isecg-annual-report-2020/ISECG-Annual-Report-2020.pdf\"")),
        "{feed}"
    );
}

#[test]
fn bodies_read_as_wordpress_shows_them() {
    let store = Store::without_content();
    assert!(import(&store, &isecg(), &["--uploads", isecg_uploads().to_str().unwrap()]).status.success());
    let out = store.green();
    let feed = json(&out, "news/feed.json");
    let item = |title: &str| {
        let items = feed["items"].as_array().unwrap();
        let item = items.iter().find(|i| i["title"].as_str().unwrap().starts_with(title)).unwrap();
        item["content_html"].as_str().unwrap().to_owned()
    };
    let classic = item("International Space Agencies Meet");
    // wpautop's paragraphs and line break, the caption as a figure.
    assert!(
        classic.contains("<p>The agencies agreed to further increase the ISECG membership:<br />\nMexico"),
        "{classic}"
    );
    assert!(classic.contains("<figcaption class=\"wp-caption-text\">Agency heads at the virtual meeting</figcaption>"));
    assert!(!classic.contains("[caption"), "{classic}");
    // The image, copied beside the post, is published where the feed links it.
    let image = "2021/12/international-space-agencies-meet/isecg-meeting-2021.png";
    assert!(classic.contains(&format!("src=\"https://www.globalspaceexploration.org/{image}\"")), "{classic}");
    assert_eq!(out.bytes(image), fs::read(isecg_uploads().join("2021/12/isecg-meeting-2021.png")).unwrap());
    let blocks = item("ISECG Welcomes New Member Agencies & Observers");
    assert!(!blocks.contains("wp:paragraph"), "{blocks}");
    // Indented code stays code, not Markdown.
    assert!(blocks.contains("<code>    indented, *not* Markdown"), "{blocks}");
    // Without --publications-category, the report in that category links
    // a PDF attached to no post: a news item; the supplement's PDF is its own.
    assert_eq!(rss_items(&out, "publications/rss.xml").len(), 1);
}

#[test]
fn the_theme_test_data_imports_green_with_every_post_in_the_feed() {
    let store = Store::without_content();
    let run = import(&store, &theme_test(), &[]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(run.stderr.contains("1 drafts"), "{}", run.stderr);
    assert!(run.stderr.contains("1 password-protected"), "{}", run.stderr);
    assert!(run.stderr.contains("1 scheduled"), "{}", run.stderr);
    assert!(run.stderr.contains("2 menu items"), "{}", run.stderr);
    // The gallery that names an attachment the export lacks is named.
    assert!(run.stderr.contains("[gallery] names attachment 763"), "{}", run.stderr);
    let out = store.green();
    let news = rss_items(&out, "news/rss.xml");
    let posts = published_posts(&theme_test());
    assert_eq!(news.len(), posts.len(), "{news:?}");
    let mut guids = std::collections::HashSet::new();
    for (title, link, guid) in posts {
        // Two posts of the data share a guid: the first keeps it, the
        // second is told apart by its permalink.
        let id = if guids.insert(guid.clone()) { guid } else { link.clone() };
        assert!(news.contains(&(link.clone(), id.clone())), "{title}: ({link}, {id}) not in {news:?}");
    }
    // Nested pages keep their addresses.
    let sitemap: String = out
        .files()
        .iter()
        .filter(|(k, _)| k.starts_with("sitemap"))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .collect();
    assert!(sitemap.contains("https://wpthemetestdata.wordpress.com/level-1/level-2/level-3/"), "{sitemap}");
}

/// Asserts that the folder holds only `expected` (no staging folder left).
#[track_caller]
fn nothing_written(store: &Store, expected: &[&str]) {
    assert_eq!(strays(store.root(), expected), Vec::<String>::new());
}

#[test]
fn a_content_folder_that_is_not_empty_is_refused() {
    let store = Store::shipped();
    let before = files(&store.content());
    let run = import(&store, &isecg(), &[]);
    assert_eq!(run.status.code(), Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("the content folder is not empty"), "{}", run.stderr);
    assert_eq!(files(&store.content()), before);
    nothing_written(&store, &["content", "feeds"]);
}

#[test]
fn merge_adds_and_never_replaces() {
    let store = Store::without_content();
    let uploads = isecg_uploads();
    assert!(import(&store, &isecg(), &["--uploads", uploads.to_str().unwrap()]).status.success());
    let page = store.content().join("pages/about-isecg.md");
    fs::write(&page, "+++\ntitle = \"Edited\"\n+++\n").unwrap();
    fs::remove_file(store.content().join("news/2021-03-15-isecg-welcomes-new-members.md")).unwrap();
    let run = import(&store, &isecg(), &["--uploads", uploads.to_str().unwrap(), "--merge", "--post-type", "event"]);
    assert!(run.status.success(), "{}", run.stderr);
    assert_eq!(fs::read_to_string(&page).unwrap(), "+++\ntitle = \"Edited\"\n+++\n");
    assert!(store.content().join("news/2021-03-15-isecg-welcomes-new-members.md").is_file());
    assert!(store.content().join("news/2022-01-01-isecg-meeting-2022.md").is_file(), "{}", run.stderr);
    assert!(run.stderr.contains("already in"), "{}", run.stderr);
    nothing_written(&store, &["content", "feeds"]);
}

#[test]
fn dry_run_writes_nothing() {
    let store = Store::without_content();
    let run = import(&store, &isecg(), &["--dry-run"]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(run.stderr.contains("would import 5 item(s)"), "{}", run.stderr);
    nothing_written(&store, &["feeds"]);
}

/// Each bad export is an error at its line, exit 1, and nothing is written.
#[test]
fn bad_exports_are_refused_at_their_line_and_write_nothing() {
    let good = fs::read_to_string(isecg()).unwrap();
    let cut = &good[..good.find("<wp:post_id>103</wp:post_id>").unwrap()];
    let cases: Vec<(&str, String, &str)> = vec![
        ("not-wxr.xml", "<?xml version=\"1.0\"?>\n<html><body>hello</body></html>\n".into(), ":2:1: error[E0701]"),
        ("truncated.xml", cut.to_owned(), "truncated"),
        (
            "bomb.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">\n]>\n\
             <rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><title>&lol2;</title></channel></rss>\n"
                .into(),
            ":2:1: error[E0701]",
        ),
        (
            "broken-html.xml",
            good.replacen("<content:encoded><![CDATA[Not ready.]]>", "<content:encoded><p>Not <b>ready.</p>", 1),
            "not well-formed XML",
        ),
        ("empty.xml", String::new(), "E0701"),
    ];
    for (name, text, says) in cases {
        let store = Store::without_content();
        let export = store.root().join(name);
        fs::write(&export, &text).unwrap();
        let run = import(&store, &export, &["--uploads", isecg_uploads().to_str().unwrap()]);
        assert_eq!(run.status.code(), Some(1), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(name), "{name}: the message names the file: {}", run.stderr);
        nothing_written(&store, &["feeds", name]);
    }
}

#[test]
fn uploads_are_read_only_inside_their_folder() {
    let store = Store::without_content();
    let uploads = store.root().join("uploads");
    fs::create_dir_all(uploads.join("2021/06")).unwrap();
    fs::write(store.root().join("secret.pdf"), b"%PDF-1.4 secret").unwrap();
    // The report's PDF is a link out of the uploads folder.
    std::os::unix::fs::symlink(store.root().join("secret.pdf"), uploads.join("2021/06/ISECG-Annual-Report-2020.pdf"))
        .unwrap();
    let text = fs::read_to_string(isecg()).unwrap().replace("2020/08/GER-Map-Supplement.pdf\"", "../../secret.pdf\"");
    let export = store.root().join("export.xml");
    fs::write(&export, text).unwrap();
    let run =
        import(&store, &export, &["--uploads", uploads.to_str().unwrap(), "--publications-category", "Publications"]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(run.stderr.contains("0 publication(s)"), "{}", run.stderr);
    assert!(run.stderr.contains("ISECG-Annual-Report-2020.pdf, which is not copied"), "{}", run.stderr);
    assert!(run.stderr.contains("secret.pdf, which is not copied: its path has"), "{}", run.stderr);
    let copied = files(&store.content());
    assert!(copied.values().all(|bytes| !bytes.starts_with(b"%PDF-1.4 secret")), "{:?}", copied.keys());
}

/// A WXR export of a site in New York with day permalinks: posts of
/// `(slug, wp:post_date, wp:post_date_gmt, permalink's day)`.
fn new_york_export(posts: &[(&str, &str, &str, &str)]) -> String {
    let base = "https://blog.example.org";
    let items: String = posts
        .iter()
        .enumerate()
        .map(|(n, (slug, local, gmt, day))| {
            format!(
                "<item><title>{slug}</title><link>{base}/{day}/{slug}/</link>\
                 <guid isPermaLink=\"false\">{base}/?p={n}</guid>\
                 <content:encoded><![CDATA[<p>Posted at {local}.</p>]]></content:encoded>\
                 <wp:post_id>{n}</wp:post_id><wp:post_date>{local}</wp:post_date>\
                 <wp:post_date_gmt>{gmt}</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name>\
                 <wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent>\
                 <wp:post_type>post</wp:post_type><wp:post_password></wp:post_password></item>\n"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n\
         <channel><title>A New York blog</title><link>{base}</link><description>Evening posts</description>\
         <language>en-US</language><wp:wxr_version>1.2</wp:wxr_version>\n{items}</channel></rss>\n"
    )
}

#[test]
fn a_site_with_summer_time_keeps_its_zone_and_its_day_permalinks() {
    // Evening posts, in winter (UTC-5) and in summer (UTC-4): in UTC each
    // is the next day, which their permalinks do not say.
    let posts = [
        ("year-end", "2021-12-31 20:30:00", "2022-01-01 01:30:00", "2021/12/31"),
        ("spring", "2022-03-10 09:00:00", "2022-03-10 14:00:00", "2022/03/10"),
        ("may-report", "2022-05-31 21:30:00", "2022-06-01 01:30:00", "2022/05/31"),
    ];
    let store = Store::without_content();
    let export = store.root().join("export.xml");
    fs::write(&export, new_york_export(&posts)).unwrap();
    let run = import(&store, &export, &[]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(run.stderr.contains("timezone \"America/New_York\""), "{}", run.stderr);
    let site = fs::read_to_string(store.content().join("site.toml")).unwrap();
    assert!(site.contains("timezone = \"America/New_York\""), "{site}");
    assert!(site.contains("news = \"/{year}/{month}/{day}/{slug}/\""), "{site}");
    let out = store.green();
    let links: Vec<String> = rss_items(&out, "news/rss.xml").into_iter().map(|(link, _)| link).collect();
    for (slug, _, _, day) in posts {
        let want = format!("https://blog.example.org/{day}/{slug}/");
        assert!(links.contains(&want), "{want} in {links:?}");
    }
    // The feed dates each post at its own offset.
    let atom = out.read("news/atom.xml");
    assert!(atom.contains("2021-12-31T20:30:00-05:00"), "{atom}");
    assert!(atom.contains("2022-05-31T21:30:00-04:00"), "{atom}");
}

#[test]
fn plain_permalinks_become_pages_of_the_site_and_keep_their_guids() {
    let store = Store::without_content();
    let run = import(&store, &subfolder(), &[]);
    assert!(run.status.success(), "{}", run.stderr);
    // A query names no file a static site can serve: the posts are placed
    // by pressroom's URLs, and readers know them by their guids.
    let posts = published_posts(&subfolder());
    let counted = format!("{} item(s) whose permalink is a query", posts.len());
    assert!(run.stderr.contains(&counted), "{}", run.stderr);
    let text = fs::read_to_string(store.content().join("news/2021-02-01-plain-one.md")).unwrap();
    assert!(!text.contains("url ="), "{text}");
    let out = store.green();
    let news = rss_items(&out, "news/rss.xml");
    assert_eq!(news.len(), posts.len(), "{news:?}");
    for (title, link, guid) in posts {
        let item = news.iter().find(|(_, id)| *id == guid);
        let (page, _) = item.unwrap_or_else(|| panic!("{title}: {guid} not in {news:?}"));
        assert!(page.starts_with("https://blog.example.net/news/") && !page.contains('?'), "{title}: {page}");
        assert_ne!(*page, link);
    }
}

/// The `content_html` of the JSON feed's item whose title starts so.
fn content_html(out: &Outcome, rel: &str, title: &str) -> String {
    let feed = json(out, rel);
    let items = feed["items"].as_array().unwrap();
    let item = items.iter().find(|i| i["title"].as_str().unwrap().starts_with(title));
    item.unwrap_or_else(|| panic!("{title} not in {rel}"))["content_html"].as_str().unwrap().to_owned()
}

#[test]
fn scripts_and_styles_get_no_paragraphs() {
    let store = Store::without_content();
    assert!(import(&store, &subfolder(), &[]).status.success());
    let out = store.green();
    let body = content_html(&out, "news/feed.json", "Script and style");
    // The blank lines inside are dropped: one would end Markdown's HTML
    // block, and a character reference means nothing in a script.
    assert!(body.contains("<script>\nvar a = 1;\nvar b = 2;\n</script>"), "{body}");
    assert!(body.contains("<style>\np { color: red }\n</style>"), "{body}");
    assert!(body.starts_with("<p>Before.</p>") && body.contains("<p>After.</p>"), "{body}");
}

#[test]
fn authors_names_are_decoded_as_titles_are() {
    let store = Store::without_content();
    assert!(import(&store, &subfolder(), &[]).status.success());
    let out = store.green();
    // WordPress stores display names with `&amp;` and `&#039;` for `&`
    // and `'`: the feeds escape them once, not twice.
    let feed = json(&out, "news/feed.json");
    let mut names: Vec<String> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["authors"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_owned()))
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names, ["Ed & Co", "Jean-Pierre O'Neil"]);
    let rss = out.read("news/rss.xml");
    assert!(rss.contains("Ed &amp; Co") && !rss.contains("&amp;amp;") && !rss.contains("&amp;#039;"), "{rss}");
}

#[test]
fn root_relative_uploads_of_a_site_in_a_subfolder_are_copied_or_named() {
    let store = Store::without_content();
    let uploads = fixture("wordpress-subfolder/uploads");
    let run = import(&store, &subfolder(), &["--uploads", uploads.to_str().unwrap()]);
    assert!(run.status.success(), "{}", run.stderr);
    // `/news/wp-content/uploads/…` is on the host, not under the base URL
    // (which ends in /news/).
    assert!(run.stderr.contains("1 file(s) copied from the uploads"), "{}", run.stderr);
    let gone = uploads.join("2021/08/gone.pdf");
    assert!(run.stderr.contains("warning[W0701]: post \"Plain permalink two\""), "{}", run.stderr);
    assert!(run.stderr.contains(&format!("{}, which is not copied", gone.display())), "{}", run.stderr);
    let out = store.green();
    let body = content_html(&out, "news/feed.json", "Plain permalink one");
    let page = "https://blog.example.net/news/news/plain-one/";
    assert!(body.contains(&format!("src=\"{page}pic.png\"")), "{body}");
    assert_eq!(out.bytes("news/plain-one/pic.png"), fs::read(uploads.join("2021/08/pic.png")).unwrap());
}

#[test]
fn a_post_without_a_slug_takes_its_title_s_as_wordpress_would() {
    let store = Store::without_content();
    assert!(import(&store, &subfolder(), &[]).status.success());
    // Two posts of one title and no `wp:post_name`: WordPress's
    // sanitize_title(), and `-2` for the second; not the permalink's host.
    for (file, slug) in [
        ("2021-02-04-etude-sur-lenergie.md", "etude-sur-lenergie"),
        ("2021-02-05-etude-sur-lenergie-2.md", "etude-sur-lenergie-2"),
    ] {
        let text = fs::read_to_string(store.content().join("news").join(file)).unwrap();
        assert!(text.contains(&format!("slug = \"{slug}\"\n")), "{text}");
    }
    let out = store.green();
    let links: Vec<String> = rss_items(&out, "news/rss.xml").into_iter().map(|(link, _)| link).collect();
    for slug in ["etude-sur-lenergie", "etude-sur-lenergie-2"] {
        let want = format!("https://blog.example.net/news/news/{slug}/");
        assert!(links.contains(&want), "{want} in {links:?}");
    }
}

#[test]
fn an_export_without_post_ids_or_slugs_imports_green() {
    // As the export of WordPress.org's theme previews: no `wp:post_id`, no
    // `wp:post_name`, plain permalinks.
    let item = |title: &str, n: u32| {
        format!(
            "<item><title>{title}</title><link>https://wp-themes.com/?p={n}</link>\
             <guid isPermaLink=\"false\">http://wp-themes.com/?p={n}</guid>\
             <content:encoded><![CDATA[<p>{title}.</p>]]></content:encoded>\
             <wp:post_date>2008-06-2{n} 04:33:51</wp:post_date>\
             <wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>\n"
        )
    };
    let items: String = [("Hello world!", 1), ("Links", 2), ("Hello world!", 3)].map(|(t, n)| item(t, n)).concat();
    let export = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:wp=\"https://wordpress.org/export/1.2/\">\n\
         <channel><title>Theme Preview</title><link>https://wp-themes.com</link><language>en-US</language>\
         <wp:wxr_version>1.2</wp:wxr_version>\n{items}</channel></rss>\n"
    );
    let store = Store::without_content();
    let path = store.root().join("theme-preview.xml");
    fs::write(&path, export).unwrap();
    let run = import(&store, &path, &[]);
    assert!(run.status.success(), "{}", run.stderr);
    let mut names: Vec<String> = files(&store.content().join("news")).into_keys().collect();
    names.sort();
    assert_eq!(names, ["2008-06-21-hello-world.md", "2008-06-22-links.md", "2008-06-23-hello-world-2.md"]);
    let out = store.green();
    assert_eq!(rss_items(&out, "news/rss.xml").len(), 3);
}

#[test]
fn warnings_quote_titles_as_the_items_have_them() {
    let store = Store::without_content();
    let uploads = fixture("wordpress-subfolder/uploads");
    let run = import(&store, &subfolder(), &["--uploads", uploads.to_str().unwrap()]);
    assert!(run.status.success(), "{}", run.stderr);
    let warned = "warning[W0701]: post \"Étude sur l’énergie\" (https://blog.example.net/news/?p=205)";
    assert!(run.stderr.contains(warned), "{}", run.stderr);
    assert!(!run.stderr.contains("&#8217;"), "{}", run.stderr);
}
