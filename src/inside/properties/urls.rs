//! Generated slugs and file names: every URL of every output is valid and
//! leads to its file.

use super::*;

/// Slug and file-name characters that URLs must encode.
const NAME_PIECES: &[&str] = &[
    " ", "%", "%20", "%zz", "#", "?", "\"", "'", "é", "ü", "日本", "ß", "+", "&", "=", ";", ",", "@", "[", "]", "(",
    ")", "~", ".", "-", "_", "e\u{301}", "😀", "\u{a0}", ":",
];

fn name() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![2 => "[a-zA-Z0-9]{1,4}", 3 => prop::sample::select(NAME_PIECES).prop_map(str::to_owned)],
        1..6,
    )
    .prop_map(|v| v.concat())
    .prop_filter("a dot segment", |s| s != "." && s != ".." && !s.trim().is_empty())
}

/// RFC 3986: only unreserved and reserved characters, and `%` followed by
/// two hex digits.
fn is_uri(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                if !(i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                    return false;
                }
                i += 3;
                continue;
            }
            c if c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c) => {}
            _ => return false,
        }
        i += 1;
    }
    true
}

/// Every URL-like string of an XML document: attribute values and texts
/// that start with `http` or `tag:`.
fn xml_urls(text: &str, found: &mut Vec<String>) {
    let doc = Document::parse(text).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"));
    for node in doc.descendants() {
        for attr in node.attributes() {
            if attr.value().starts_with("http") {
                found.push(attr.value().to_owned());
            }
        }
        if node.is_text() {
            let t = node.text().unwrap_or("").trim();
            if t.starts_with("http") || t.starts_with("tag:") {
                found.push(t.to_owned());
            }
        }
    }
}

fn json_urls(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) if s.starts_with("http") || s.starts_with("tag:") => found.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| json_urls(v, found)),
        serde_json::Value::Object(o) => o.values().for_each(|v| json_urls(v, found)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: config().cases / 4 + 1, ..config() })]

    /// Slugs and PDF names with spaces, `%`, `#`, `?`, quotes and non-ASCII
    /// letters: every URL of every output is a valid absolute URI, and the
    /// ones naming a file lead, decoded once, to the file written.
    #[test]
    fn every_url_is_valid_and_leads_to_its_file(
        news_slug in name(),
        pub_slug in name(),
        pdf_name in name(),
        page_slug in name(),
    ) {
        let pdf = format!("{pdf_name}.pdf");
        let files = vec![
            ("news/n.md".to_owned(), markdown(Syntax::Toml, &[
                ("title", Value::Str("N".into())), ("date", Value::Bare("2021-01-01".into())),
                ("slug", Value::Str(news_slug.clone())),
            ], "Body.\n").into_bytes()),
            ("publications/p.md".to_owned(), markdown(Syntax::Toml, &[
                ("title", Value::Str("P".into())), ("date", Value::Bare("2021-01-02".into())),
                ("slug", Value::Str(pub_slug.clone())), ("file", Value::Str(format!("pdf/{pdf}"))),
            ], "Body.\n").into_bytes()),
            (format!("publications/pdf/{pdf}"), b"%PDF-1.4\n%%EOF\n".to_vec()),
            ("pages/x.md".to_owned(), markdown(Syntax::Toml, &[
                ("title", Value::Str("X".into())), ("slug", Value::Str(page_slug.clone())),
            ], "Page.\n").into_bytes()),
        ];
        let dir = store_dir("UTC", &files);
        let feeds = dir.path().join("feeds");
        fs::create_dir_all(&feeds).unwrap();
        for section in ["news", "publications"] {
            fs::write(feeds.join(format!("{section}.toml")), format!(
                "title = \"T\"\ndescription = \"D\"\nsection = \"{section}\"\nformats = [\"rss\", \"atom\", \"json\"]\n"
            )).unwrap();
        }
        let out = dir.path().join("public");
        let mut paths = crate::Paths::new(dir.path().join("content"), feeds, out.clone());
        paths.source_date_epoch = Some(crate::inside::EPOCH);
        let built = crate::Site::load(&paths).and_then(|site| site.build(&crate::BuildOptions::default(), |_| {}));
        if let Err(e) = built {
            return Err(TestCaseError::fail(format!("build failed: {e}")));
        }

        let mut urls = Vec::new();
        let written = crate::inside::files(&out);
        for (rel, bytes) in &written {
            let text = String::from_utf8_lossy(bytes);
            if rel.ends_with(".xml") {
                xml_urls(&text, &mut urls);
            } else if rel.ends_with(".json") {
                json_urls(&serde_json::from_str(&text).unwrap(), &mut urls);
            } else if rel == "robots.txt" {
                urls.extend(text.lines().filter_map(|l| l.strip_prefix("Sitemap: ")).map(str::to_owned));
            }
        }
        prop_assert!(urls.len() > 20, "{} URLs", urls.len());
        // The pages that are not files of the output (the site serves them).
        let pages: BTreeSet<String> = [
            String::new(), "news/".into(), "publications/".into(), format!("news/{news_slug}/"),
            format!("publications/{pub_slug}/"), format!("{page_slug}/"),
        ].into();
        let mut pdf_seen = false;
        for url in &urls {
            prop_assert!(is_uri(url), "not an RFC 3986 URI: {:?}", url);
            let Some(rel) = url.strip_prefix(BASE) else {
                prop_assert!(url.starts_with("tag:example.org,") || url.starts_with("https://www.rssboard.org/")
                    || url == "https://jsonfeed.org/version/1.1", "{}", url);
                continue;
            };
            let decoded = percent_encoding::percent_decode_str(rel).decode_utf8();
            prop_assert!(decoded.is_ok(), "{} does not decode to UTF-8", url);
            let decoded = decoded.unwrap().into_owned();
            if decoded.is_empty() || decoded.ends_with('/') {
                // A page the site serves, or one pressroom writes (a feed's, the archive's).
                let ours = written.contains_key(&format!("{decoded}index.html"));
                prop_assert!(pages.contains(&decoded) || ours, "{} is no page of the site ({:?})", url, decoded);
            } else {
                prop_assert!(written.contains_key(&decoded), "{} names no file written ({:?})", url, decoded);
                pdf_seen |= decoded == format!("publications/{pub_slug}/{pdf}");
            }
        }
        prop_assert!(pdf_seen, "the PDF's URL is in the outputs");
    }
}
