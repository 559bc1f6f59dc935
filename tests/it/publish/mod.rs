//! `pressroom publish` against a real S3 API (moto in server mode, started
//! here on 127.0.0.1) and against `file://`: what goes up, with which
//! headers, what a second publish leaves alone, and the order of requests
//! as the server logged them.

mod distrust;
mod keys;
mod moto;
mod proxy;
mod refusals;
mod signals;

use std::collections::BTreeSet;
use std::fs;

use crate::harness::{Outcome, Store};
use moto::{BUCKET, Moto};
use proxy::Proxy;

const FEED_FILES: [&str; 3] = ["rss.xml", "atom.xml", "feed.json"];
const SECOND_PDF: &str = "publications/second-report/second-report.pdf";

fn s3_url() -> String {
    format!("s3://{BUCKET}/site")
}

/// The store, with the environment an S3-compatible store needs.
fn for_s3(store: Store, endpoint: &str) -> Store {
    store
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing-secret-never-printed")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", endpoint)
}

fn publish(store: &Store, to: &str, more: &[&str]) -> Outcome {
    let mut args = vec!["publish", "--to", to];
    args.extend_from_slice(more);
    store.run(&args)
}

/// A second publication beside the fixture's, to be removed later.
fn with_second_report(store: Store) -> Store {
    let pdf = fs::read(store.content().join("publications/pdf/minimal-report.pdf")).unwrap();
    let mut second = pdf.clone();
    second.extend_from_slice(b"\n% the second report\n");
    store.write("publications/pdf/second-report.pdf", second).write(
        "publications/2024-04-01-second-report.md",
        "+++\ntitle = \"Second Report\"\ndate = 2024-04-01\nsummary = \"Another report.\"\nkind = \"report\"\n\
         file = \"pdf/second-report.pdf\"\n+++\n\nThe second report.\n",
    )
}

/// The keys a build wrote: its record, without the record itself.
fn record_keys(out: &Outcome) -> BTreeSet<String> {
    out.files().into_keys().filter(|k| k != ".pressroom.json").collect()
}

/// The key of every `PUT` (whole or the start of a multipart upload) among `requests`.
fn put_keys(requests: &[String]) -> BTreeSet<String> {
    let prefix = format!("/{BUCKET}/site/");
    requests
        .iter()
        .filter(|r| r.starts_with("PUT ") || r.contains("?uploads"))
        .filter_map(|r| r.split(' ').nth(1)?.split('?').next()?.strip_prefix(&prefix).map(str::to_owned))
        .collect()
}

fn position(requests: &[String], pred: impl Fn(&str) -> bool) -> Vec<usize> {
    requests.iter().enumerate().filter(|(_, r)| pred(r)).map(|(i, _)| i).collect()
}

#[test]
fn feeds_kept_at_their_old_names_are_sent_as_feeds() {
    let Some(moto) = Moto::start() else { return };
    let store = for_s3(Store::fixture("minimal"), &moto.endpoint()).write_feed(
        "news.toml",
        "title = \"N\"\ndescription = \"D\"\nsection = \"news\"\nformats = [\"rss\", \"atom\", \"json\"]\n\
         files = { rss = \"index.xml\", atom = \"feed.xml\", json = \"news/items.json\" }\n",
    );
    store.build().ok();
    publish(&store, &s3_url(), &[]).ok();
    let objects = moto.objects("site");
    assert_eq!(objects["index.xml"].content_type, "application/rss+xml");
    assert_eq!(objects["feed.xml"].content_type, "application/atom+xml");
    assert_eq!(objects["news/items.json"].content_type, "application/feed+json");
    assert_eq!(objects["sitemap.xml"].content_type, "application/xml");
}

#[test]
fn first_publish_sends_the_record_files_with_their_headers() {
    let Some(moto) = Moto::start() else { return };
    let store = for_s3(Store::fixture("minimal"), &moto.endpoint());
    let built = store.build().ok();
    // A file of the site's own beside pressroom's: never published.
    fs::write(store.out().join("extra.html"), "<p>not pressroom's</p>").unwrap();
    let out = publish(&store, &s3_url(), &[]).ok();
    assert!(!out.stderr.contains("testing-secret"), "a secret was printed:\n{}", out.stderr);

    let mut objects = moto.objects("site");
    assert!(objects.remove(".pressroom-publish.json").is_some(), "no manifest");
    let keys: BTreeSet<String> = objects.keys().cloned().collect();
    let mut expected = record_keys(&built);
    expected.remove("extra.html");
    assert_eq!(keys, expected);
    let header = |key: &str| (objects[key].content_type.as_str(), objects[key].cache_control.as_str());
    assert_eq!(header("news/rss.xml"), ("application/rss+xml", "public, max-age=300"));
    assert_eq!(header("news/atom.xml").0, "application/atom+xml");
    assert_eq!(header("publications/feed.json").0, "application/feed+json");
    assert_eq!(header("sitemap.xml").0, "application/xml");
    assert_eq!(header("robots.txt").0, "text/plain; charset=utf-8");
    assert_eq!(header("publications/minimal-report/minimal-report.pdf"), ("application/pdf", "public, max-age=86400"));
    for (key, object) in &objects {
        assert_eq!(object.size, built.bytes(key).len() as u64, "{key}");
        if key.ends_with(".zip") {
            assert_eq!(object.content_type, "application/zip", "{key}");
        }
    }
    assert_eq!(objects["news/rss.xml"].text, built.read("news/rss.xml"));
}

#[test]
fn a_second_publish_with_nothing_changed_writes_nothing() {
    let Some(moto) = Moto::start() else { return };
    let store = for_s3(Store::fixture("minimal"), &moto.endpoint());
    store.build().ok();
    publish(&store, &s3_url(), &[]).ok();
    let mark = moto.mark();
    let again = publish(&store, &s3_url(), &[]).ok();
    assert_eq!(moto.writes_since(mark), Vec::<String>::new());
    assert!(again.stderr.contains("uploaded 0 file(s)"), "{}", again.stderr);
}

#[test]
fn one_changed_news_item_rewrites_exactly_the_changed_objects() {
    let Some(moto) = Moto::start() else { return };
    let store = for_s3(Store::fixture("minimal"), &moto.endpoint());
    let before = store.build().ok().files();
    publish(&store, &s3_url(), &[]).ok();
    let store = store.edit("news/2024-02-20-second-news.md", |t| t.replace("The second body", "The corrected body"));
    let after = store.build().ok().files();
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v) && *k != ".pressroom.json")
        .map(|(k, _)| k.clone())
        .collect();
    assert!(changed.contains("news/rss.xml"), "{changed:?}");

    let mark = moto.mark();
    publish(&store, &s3_url(), &[]).ok();
    let mut puts = put_keys(&moto.requests_since(mark));
    assert!(puts.remove(".pressroom-publish.json"), "the manifest is written last");
    assert_eq!(puts, changed);
    assert!(!puts.iter().any(|k| k.ends_with(".pdf") || k.ends_with(".zip")), "{puts:?}");
    assert_eq!(moto.objects("site")["news/atom.xml"].text, String::from_utf8(after["news/atom.xml"].clone()).unwrap());
}

#[test]
fn a_removed_publications_pdf_is_deleted_after_the_feeds_stop_listing_it() {
    let Some(moto) = Moto::start() else { return };
    let store = for_s3(with_second_report(Store::fixture("minimal")), &moto.endpoint());
    store.build().ok();
    publish(&store, &s3_url(), &[]).ok();
    assert!(moto.objects("site").contains_key(SECOND_PDF));
    let store = store.remove("publications/2024-04-01-second-report.md").remove("publications/pdf/second-report.pdf");
    store.build().ok();

    let mark = moto.mark();
    let dry = publish(&store, &s3_url(), &["--dry-run"]).ok();
    assert_eq!(moto.writes_since(mark), Vec::<String>::new(), "--dry-run wrote");
    assert_eq!(dry.stdout.lines().last(), Some(format!("delete {SECOND_PDF}").as_str()), "{}", dry.stdout);

    let mark = moto.mark();
    publish(&store, &s3_url(), &[]).ok();
    let requests = moto.requests_since(mark);
    // S3 deletes in batches (POST ?delete) or one by one (DELETE key): the
    // PDF was there before this publish and is gone after it, so one of
    // these requests removed it.
    let delete = position(&requests, |r| r.starts_with("DELETE ") || r.starts_with("POST /site-bucket?delete"));
    assert_eq!(delete.len(), 1, "{requests:#?}");
    let feeds = position(&requests, |r| {
        r.starts_with("PUT ") && FEED_FILES.iter().any(|f| r.contains(&format!("/publications/{f}")))
    });
    assert_eq!(feeds.len(), 3, "every publications feed is rewritten: {requests:#?}");
    assert!(feeds.iter().all(|&f| f < delete[0]), "the PDF went before a feed stopped listing it: {requests:#?}");
    let sitemap = position(&requests, |r| r.starts_with("PUT ") && r.ends_with("/site/sitemap.xml"));
    assert!(sitemap.iter().all(|&s| s < delete[0]), "{requests:#?}");
    assert!(!moto.objects("site").contains_key(SECOND_PDF));
}

#[test]
fn a_store_gone_midway_exits_3_and_the_feeds_link_only_objects_that_exist() {
    let Some(moto) = Moto::start() else { return };
    let store = for_s3(with_second_report(Store::fixture("minimal")), &moto.endpoint());
    let first = record_keys(&store.build().ok());
    publish(&store, &s3_url(), &[]).ok();
    // Next version: the second report withdrawn, a third one added.
    let pdf = fs::read(store.content().join("publications/pdf/minimal-report.pdf")).unwrap();
    let store = store
        .remove("publications/2024-04-01-second-report.md")
        .remove("publications/pdf/second-report.pdf")
        .write("publications/pdf/third-report.pdf", [pdf, b"\n% third\n".to_vec()].concat())
        .write(
            "publications/2024-05-01-third-report.md",
            "+++\ntitle = \"Third Report\"\ndate = 2024-05-01\nsummary = \"A third.\"\nkind = \"report\"\n\
             file = \"pdf/third-report.pdf\"\n+++\n\nThe third report.\n",
        );
    let second = store.build().ok();

    // The store goes away when the first feed is being sent.
    let proxy = Proxy::start(moto.port, |method, target| {
        method == "PUT" && FEED_FILES.iter().any(|f| target.split('?').next().unwrap_or("").ends_with(f))
    });
    let store = store.env("AWS_ENDPOINT_URL", &format!("http://127.0.0.1:{}", proxy.port));
    let failed = publish(&store, &s3_url(), &[]).fails_with(3);
    assert!(proxy.stopped(), "the proxy never saw a feed");
    assert!(failed.stderr.contains(&format!("{}/", s3_url())), "the key is not named:\n{}", failed.stderr);
    assert!(!failed.stderr.contains("testing-secret"), "{}", failed.stderr);

    let objects = moto.objects("site");
    assert!(objects.contains_key("publications/third-report/third-report.pdf"), "step 1 was complete");
    assert!(objects.contains_key(SECOND_PDF), "deleted while the old feeds still list it");
    // Links to files that neither build wrote (an image the fixture's news
    // item names but does not ship) are the content's, not the publish's.
    let ours: BTreeSet<String> = first.union(&record_keys(&second)).cloned().collect();
    let base = crate::harness::MINIMAL_BASE;
    let mut checked = 0;
    for (key, object) in objects.iter().filter(|(k, _)| FEED_FILES.iter().any(|f| k.ends_with(f))) {
        for link in links_to_files(&object.text, base).into_iter().filter(|l| ours.contains(l)) {
            assert!(objects.contains_key(&link), "{key} links {link}, which the bucket does not hold");
            checked += 1;
        }
    }
    assert!(checked >= 2, "the feeds link no PDF at all");

    // Run again once the store is back: it finishes the job.
    let store = store.env("AWS_ENDPOINT_URL", &moto.endpoint());
    publish(&store, &s3_url(), &[]).ok();
    let objects = moto.objects("site");
    assert!(!objects.contains_key(SECOND_PDF));
    let mut keys: BTreeSet<String> = objects.into_keys().collect();
    assert!(keys.remove(".pressroom-publish.json"));
    assert_eq!(keys, record_keys(&second));
}

/// Every `base`-relative link in `text` whose last segment names a file
/// (has an extension): what a reader fetches from the bucket.
fn links_to_files(text: &str, base: &str) -> Vec<String> {
    text.match_indices(base)
        .map(|(i, _)| &text[i + base.len()..])
        .map(|rest| rest.split(['"', '<', ' ', '\'', '#', '?', '&']).next().unwrap_or("").replace("\\/", "/"))
        .filter(|path| path.rsplit('/').next().is_some_and(|name| name.contains('.')))
        .collect()
}

#[test]
fn a_file_url_gets_the_record_files_and_loses_what_the_output_dropped() {
    let store = with_second_report(Store::fixture("minimal"));
    let built = store.build().ok();
    fs::write(store.out().join("extra.html"), "not pressroom's").unwrap();
    let dest = store.root().join("www");
    let url = format!("file://{}", dest.display());
    publish(&store, &url, &[]).ok();
    let mut published = crate::harness::files(&dest);
    assert!(published.remove(".pressroom-publish.json").is_some());
    let expected: std::collections::BTreeMap<_, _> =
        built.files().into_iter().filter(|(k, _)| k != ".pressroom.json" && k != "extra.html").collect();
    assert_eq!(published, expected);

    let again = publish(&store, &url, &[]).ok();
    assert!(again.stderr.contains("uploaded 0 file(s)"), "{}", again.stderr);
    // Copied in place (another inode and mtime, so another ETag), the same
    // bytes: still pressroom's.
    let copy = store.root().join("robots.copy");
    fs::copy(dest.join("robots.txt"), &copy).unwrap();
    fs::rename(&copy, dest.join("robots.txt")).unwrap();
    let again = publish(&store, &url, &["--dry-run"]).ok();
    assert_eq!(again.stdout, "", "{}", again.stderr);
    // Changed behind pressroom's back: noticed, and left to the site.
    let site_robots = "User-agent: *\nDisallow: /\n";
    fs::write(dest.join("robots.txt"), site_robots).unwrap();
    let again = publish(&store, &url, &["--dry-run"]).ok();
    assert_eq!(again.stdout, "", "{}", again.stderr);
    assert!(again.stderr.contains("kept 1 object(s) changed since pressroom published them: \"robots.txt\""));

    let store = store.remove("publications/2024-04-01-second-report.md").remove("publications/pdf/second-report.pdf");
    store.build().ok();
    publish(&store, &url, &[]).ok();
    assert!(!dest.join(SECOND_PDF).exists());
    assert!(!dest.join("publications/second-report").exists(), "an emptied folder is left");
    assert_eq!(fs::read_to_string(dest.join("robots.txt")).unwrap(), site_robots);
}

#[test]
fn a_publish_and_a_build_of_one_output_take_turns() {
    let store = Store::fixture("minimal");
    store.build().ok();
    let dest = store.root().join("www");
    let url = format!("file://{}", dest.display());
    // This process holds the output's lock as a publish would: the lock
    // file beside the folder (`.<name>.pressroom-lock`), locked, naming the
    // holder's process and what it does.
    let out = store.out().canonicalize().unwrap();
    let lock_path = out.with_file_name(format!(".{}.pressroom-lock", out.file_name().unwrap().to_str().unwrap()));
    let mut lock = fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&lock_path).unwrap();
    lock.try_lock().unwrap();
    std::io::Write::write_all(&mut lock, format!("{} publish\n", std::process::id()).as_bytes()).unwrap();
    let busy = store.run(&["build", "--no-wait"]).fails_with(4);
    let holder = format!("the publish of process {}", std::process::id());
    assert!(busy.stderr.contains(&holder), "{}", busy.stderr);
    // A publish waits for the holder, then sends the whole output.
    let mut waiting = store.command(&["publish", "--to", &url]).stderr(std::process::Stdio::piped()).spawn().unwrap();
    // The publish says it waits before it waits: read up to that line.
    let mut stderr = std::io::BufReader::new(waiting.stderr.take().unwrap());
    let mut said = String::new();
    while !said.contains("waiting for the publish of process") {
        use std::io::BufRead;
        let before = said.len();
        stderr.read_line(&mut said).unwrap();
        assert!(said.len() > before, "the publish ended without waiting: {said}");
    }
    assert!(!dest.join("robots.txt").exists(), "the publish did not wait");
    drop(lock);
    let status = waiting.wait().unwrap();
    std::io::Read::read_to_string(&mut stderr, &mut said).unwrap();
    assert!(status.success(), "{said}");
    assert_eq!(fs::read(dest.join("robots.txt")).unwrap(), fs::read(store.out().join("robots.txt")).unwrap());
}

#[test]
fn a_folder_pressroom_did_not_build_is_refused() {
    let store = Store::fixture("minimal");
    fs::create_dir_all(store.out()).unwrap();
    fs::write(store.out().join("index.html"), "a site").unwrap();
    let url = format!("file://{}", store.root().join("www").display());
    let out = publish(&store, &url, &[]).fails_with(2);
    assert!(out.stderr.contains(".pressroom.json"), "{}", out.stderr);
    assert!(!store.root().join("www/index.html").exists());
}

#[test]
fn multipart_uploads_keep_their_headers() {
    let Some(moto) = Moto::start() else { return };
    // A PDF of two parts (8 MiB each, the last shorter), every other file one.
    let pdf = fs::read(Store::fixture("minimal").content().join("publications/pdf/minimal-report.pdf")).unwrap();
    let big = [pdf, vec![b'%'; 9 * 1024 * 1024]].concat();
    let store = for_s3(Store::fixture("minimal"), &moto.endpoint())
        .write("publications/pdf/minimal-report.pdf", &big)
        .env("PRESSROOM_MULTIPART_BYTES", "1000");
    let built = store.build().ok();
    let mark = moto.mark();
    publish(&store, &s3_url(), &[]).ok();
    let requests = moto.requests_since(mark);
    let parts = |key: &str| requests.iter().filter(|r| r.contains(&format!("{key}?partNumber="))).count();
    assert_eq!(parts("minimal-report.pdf"), 2, "{requests:#?}");
    assert_eq!(parts("news/rss.xml"), 1, "{requests:#?}");
    let objects = moto.objects("site");
    let pdf = "publications/minimal-report/minimal-report.pdf";
    assert_eq!(objects[pdf].size, big.len() as u64);
    assert_eq!(objects[pdf].content_type, "application/pdf");
    let zip = objects.keys().find(|k| k.ends_with(".zip")).unwrap();
    assert_eq!(objects[zip].content_type, "application/zip");
    assert_eq!(objects[zip].size, built.bytes(zip).len() as u64);
    // The ETag of a multipart object is not an MD5, yet a second publish
    // recognises every object.
    let mark = moto.mark();
    publish(&store, &s3_url(), &[]).ok();
    assert_eq!(moto.writes_since(mark), Vec::<String>::new());
}

#[test]
fn a_headers_file_overrides_the_defaults_and_a_change_of_it_resends_only_those_objects() {
    let Some(moto) = Moto::start() else { return };
    let store = for_s3(Store::fixture("minimal"), &moto.endpoint());
    store.build().ok();
    let headers = store.root().join("headers.toml");
    fs::write(&headers, "[cache_control]\n\"rss.xml\" = \"public, max-age=60\"\n").unwrap();
    let with_headers = ["--headers", headers.to_str().unwrap()];
    publish(&store, &s3_url(), &with_headers).ok();
    let objects = moto.objects("site");
    assert_eq!(objects["news/rss.xml"].cache_control, "public, max-age=60");
    assert_eq!(objects["news/atom.xml"].cache_control, "public, max-age=300");

    fs::write(
        &headers,
        "[cache_control]\n\"rss.xml\" = \"public, max-age=60\"\n\".pdf\" = \"public, max-age=604800\"\n",
    )
    .unwrap();
    let mark = moto.mark();
    publish(&store, &s3_url(), &with_headers).ok();
    let mut puts = put_keys(&moto.requests_since(mark));
    assert!(puts.remove(".pressroom-publish.json"));
    assert_eq!(puts, BTreeSet::from(["publications/minimal-report/minimal-report.pdf".to_owned()]));
    let objects = moto.objects("site");
    assert_eq!(objects["publications/minimal-report/minimal-report.pdf"].cache_control, "public, max-age=604800");
}
