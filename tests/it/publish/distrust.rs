//! Nothing in the bucket but pressroom's own objects is deleted or
//! overwritten, and the manifest read back is input to check.

use super::moto::Moto;
use super::{for_s3, publish, record_keys, s3_url};
use crate::harness::Store;

/// The news feed's definition with its documents moved under `news/feed/`.
const NEWS_MOVED: &str = "title = \"Minimal News\"\ndescription = \"News of the minimal site.\"\nsection = \"news\"\n\
                          formats = [\"rss\", \"atom\", \"json\"]\npath = \"news/feed\"\n";

const SITE_PAGE: &str = "<h1>The site's own news page</h1>\n";

/// The manifest as stored under `site/`.
fn manifest(moto: &Moto) -> serde_json::Value {
    serde_json::from_str(&moto.text("site/.pressroom-publish.json")).unwrap()
}

#[test]
fn an_object_the_site_changed_is_not_deleted_when_the_output_drops_its_key() {
    let Some(moto) = Moto::start() else { return };
    let store = for_s3(Store::fixture("minimal"), &moto.endpoint());
    store.build().ok();
    publish(&store, &s3_url(), &[]).ok();
    // The site replaces pressroom's listing page with its own, then the
    // feed moves away from that folder.
    moto.put("site/news/index.html", SITE_PAGE);
    let store = store.write_feed("news.toml", NEWS_MOVED);
    let built = store.build().ok();
    assert!(!built.path("news/index.html").exists());

    let out = publish(&store, &s3_url(), &[]).ok();
    assert!(
        out.stderr.contains("kept 1 object(s) changed since pressroom published them: \"news/index.html\""),
        "{}",
        out.stderr
    );
    assert_eq!(moto.text("site/news/index.html"), SITE_PAGE, "the site's page was deleted or replaced");
    let objects = moto.objects("site");
    assert!(!objects.contains_key("news/rss.xml"), "pressroom's own old feed stays");
    assert!(objects.contains_key("news/feed/rss.xml"));
    let manifest = manifest(&moto);
    assert!(manifest["files"].get("news/index.html").is_none(), "{manifest:#}");
    assert_eq!(manifest["kept"], serde_json::json!(["news/index.html"]));

    // Said once: the next publish has nothing to do or say.
    let mark = moto.mark();
    let again = publish(&store, &s3_url(), &[]).ok();
    assert_eq!(moto.writes_since(mark), Vec::<String>::new());
    assert!(!again.stderr.contains("kept"), "{}", again.stderr);
    assert!(again.stderr.contains("uploaded 0 file(s) (0 bytes), deleted 0,"), "{}", again.stderr);
    assert_eq!(moto.text("site/news/index.html"), SITE_PAGE);
}

#[test]
fn an_object_the_site_changed_at_a_key_the_output_still_has_is_left_to_the_site() {
    let Some(moto) = Moto::start() else { return };
    let store = for_s3(Store::fixture("minimal"), &moto.endpoint());
    let built = store.build().ok();
    publish(&store, &s3_url(), &[]).ok();
    let site_robots = "User-agent: *\nDisallow: /drafts/\n";
    moto.put("site/robots.txt", site_robots);

    for _ in 0..2 {
        let mark = moto.mark();
        let out = publish(&store, &s3_url(), &[]).ok();
        assert!(
            out.stderr.contains(
                "1 file(s) of the output not sent, because the site's own object stands at their key: \"robots.txt\""
            ),
            "{}",
            out.stderr
        );
        let summary =
            format!("deleted 0, {} unchanged, 1 left to the site's own object", record_keys(&built).len() - 1);
        assert!(out.stderr.contains(&summary), "{}", out.stderr);
        assert!(out.stderr.contains("uploaded 0 file(s)"), "{}", out.stderr);
        assert!(!moto.writes_since(mark).iter().any(|r| r.contains("robots.txt")), "overwritten");
        assert_eq!(moto.text("site/robots.txt"), site_robots);
    }

    // Deleting the object gives the key back.
    moto.delete("site/robots.txt");
    let out = publish(&store, &s3_url(), &[]).ok();
    assert!(out.stderr.contains("uploaded 1 file(s)"), "{}", out.stderr);
    assert_eq!(moto.text("site/robots.txt"), built.read("robots.txt"));
    assert!(manifest(&moto).get("kept").is_none());
}

#[test]
fn a_manifest_naming_a_key_outside_the_output_is_refused_before_any_write() {
    let Some(moto) = Moto::start() else { return };
    let store = for_s3(Store::fixture("minimal"), &moto.endpoint());
    store.build().ok();
    publish(&store, &s3_url(), &[]).ok();
    let store = store.edit("news/2024-02-20-second-news.md", |t| t.replace("The second body", "Another body"));
    store.build().ok();
    let genuine = moto.text("site/.pressroom-publish.json");
    for (key, shown) in
        [("../../victim.txt", "\"../../victim.txt\""), ("news/\u{7}bell.xml", "\"news/\\u{7}bell.xml\"")]
    {
        let mut tampered: serde_json::Value = serde_json::from_str(&genuine).unwrap();
        let entry = tampered["files"]["robots.txt"].clone();
        tampered["files"][key] = entry;
        moto.put("site/.pressroom-publish.json", &tampered.to_string());
        let mark = moto.mark();
        let out = publish(&store, &s3_url(), &[]).fails_with(2);
        assert!(out.stderr.contains(&format!("names the key {shown}")), "{}", out.stderr);
        assert_eq!(moto.writes_since(mark), Vec::<String>::new(), "a request wrote");
    }
}

#[test]
fn an_unreadable_manifest_is_said_and_taken_for_none() {
    let Some(moto) = Moto::start() else { return };
    let store = for_s3(super::with_second_report(Store::fixture("minimal")), &moto.endpoint());
    store.build().ok();
    publish(&store, &s3_url(), &[]).ok();
    moto.put("site/.pressroom-publish.json", "{\"files\": {\"robots.txt\": 7");
    let store = store.remove("publications/2024-04-01-second-report.md").remove("publications/pdf/second-report.pdf");
    let built = store.build().ok();

    let out = publish(&store, &s3_url(), &[]).ok();
    assert!(
        out.stderr.contains("site/.pressroom-publish.json cannot be read (")
            && out.stderr.contains("every file is sent again and no object is deleted"),
        "{}",
        out.stderr
    );
    let sent = record_keys(&built).len();
    assert!(out.stderr.contains(&format!("uploaded {sent} file(s)")), "{}", out.stderr);
    assert!(out.stderr.contains("deleted 0,"), "{}", out.stderr);
    assert!(moto.objects("site").contains_key(super::SECOND_PDF), "deleted on the word of no manifest");
}
