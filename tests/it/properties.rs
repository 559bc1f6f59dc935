//! Property tests: generated content, loaded and rendered in-process (the
//! library, not the binary, so that hundreds of cases stay fast), read back
//! the way a strict XML parser, feed-rs and a JSON reader would.
//!
//! `PRESSROOM_PROPTEST_CASES` sets the number of cases of each property
//! (default 256); a long run: `PRESSROOM_PROPTEST_CASES=20000 cargo test --release properties`.
//! Each run prints its seed; `PRESSROOM_PROPTEST_SEED` repeats it. A
//! failure's seed is saved under `tests/proptest-regressions/` and tried
//! first by later runs (`harness::proptest_config`).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use roxmltree::{Document, Node};

use pressroom::content::Store;
use pressroom::diagnostic::{Code, Diagnostic};
use pressroom::feed_def::FeedDef;
use pressroom::render::feed::Paging;
use pressroom::render::{self, Feed};
use pressroom::templates::Templates;

use crate::read::{ATOM_NS, CONTENT_NS, DC_NS};

fn config() -> ProptestConfig {
    crate::harness::proptest_config(256, crate::harness::proptest_seed(None))
}

const SITE: &str = "title = \"Site\"\nbase_url = \"https://example.org/root\"\ndescription = \"D\"\nlanguage = \"en\"\npublisher = \"P\"\ncopyright = \"C\"\n";
const BASE: &str = "https://example.org/root/";

// ---------------------------------------------------------------------------
// Writing front matter

/// Which syntax a generated file's front matter uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Toml,
    Yaml,
}

/// A value of the front matter.
#[derive(Debug, Clone)]
enum Value {
    Str(String),
    List(Vec<String>),
    /// Written bare: a TOML date or date-time literal, or a plain YAML scalar.
    Bare(String),
}

/// `s` as a TOML basic string. Written by hand rather than with
/// `toml::to_string`, which picks a multi-line string for text with line
/// breaks: a line `+++` inside it would close the front matter (a limit of
/// the format, as in Zola and Hugo, not what these properties test). Each
/// string is checked to read back through the `toml` crate.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    let back: toml::Table = toml::from_str(&format!("v = {out}")).expect("a TOML string");
    assert_eq!(back["v"].as_str(), Some(s), "toml_string({s:?})");
    out
}

/// `s` as a YAML double-quoted scalar: everything but printable ASCII escaped.
fn yaml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// A Markdown file with this front matter and body.
fn markdown(syntax: Syntax, keys: &[(&str, Value)], body: &str) -> String {
    let (fence, sep, string): (&str, &str, fn(&str) -> String) = match syntax {
        Syntax::Toml => ("+++", " = ", toml_string),
        Syntax::Yaml => ("---", ": ", yaml_string),
    };
    let mut text = format!("{fence}\n");
    for (key, value) in keys {
        let value = match value {
            Value::Str(s) => string(s),
            Value::Bare(s) => s.clone(),
            Value::List(list) => format!("[{}]", list.iter().map(|s| string(s)).collect::<Vec<_>>().join(", ")),
        };
        text.push_str(&format!("{key}{sep}{value}\n"));
    }
    text.push_str(&format!("{fence}\n{body}"));
    text
}

/// A content store in a temporary folder: site.toml (with `timezone`) and `files`.
fn store_dir(timezone: &str, files: &[(String, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    fs::create_dir_all(content.join("news")).unwrap();
    fs::write(content.join("site.toml"), format!("{SITE}timezone = \"{timezone}\"\n")).unwrap();
    for (rel, bytes) in files {
        let path = content.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    dir
}

/// Loads `root`/content as of the end of time (nothing is scheduled).
fn load(root: &Path) -> Result<Store, Vec<Diagnostic>> {
    Store::load(&root.join("content"), Timestamp::MAX)
}

/// The three formats of the news feed of `store`.
struct Rendered {
    rss: String,
    atom: String,
    json: String,
}

fn render(store: &Store) -> Rendered {
    let def = FeedDef::parse(
        Path::new("feeds/news.toml"),
        "news".into(),
        "title = \"News\"\ndescription = \"D\"\nsection = \"news\"\nlimit = 1000\nformats = [\"rss\", \"atom\", \"json\"]\n",
    )
    .unwrap();
    let templates = Templates::load(Path::new("/nonexistent"), pressroom::template::MAX_TIME).unwrap();
    let items = def.items(store);
    let feed = Feed::build(&def, store, &templates, &items[..items.len().min(def.limit)], Paging::Off).unwrap();
    let (mut rss, mut atom, mut json) = (Vec::new(), Vec::new(), Vec::new());
    render::rss::render(&feed, &mut rss).unwrap();
    render::atom::render(&feed, &mut atom).unwrap();
    render::jsonfeed::render(&feed, &mut json).unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8 output");
    Rendered { rss: text(rss), atom: text(atom), json: text(json) }
}

/// Parses all three with the strict XML parser, serde_json and feed-rs.
fn parse_all(r: &Rendered) -> Result<(Document<'_>, Document<'_>, serde_json::Value), TestCaseError> {
    let strict = |name: &str, text| {
        Document::parse(text).map_err(|e| TestCaseError::fail(format!("{name}: not well-formed XML: {e}\n{text}")))
    };
    let rss = strict("RSS", &r.rss)?;
    let atom = strict("Atom", &r.atom)?;
    let json = serde_json::from_str(&r.json).map_err(|e| TestCaseError::fail(format!("JSON: {e}")))?;
    for (name, text) in [("RSS", &r.rss), ("Atom", &r.atom), ("JSON", &r.json)] {
        feed_rs::parser::parse(text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{name}: feed-rs: {e}\n{text}")))?;
    }
    Ok((rss, atom, json))
}

fn kids<'a, 'i>(node: Node<'a, 'i>, ns: Option<&str>, name: &str) -> Vec<Node<'a, 'i>> {
    crate::read::kids(node, ns, name)
}

fn text_of(node: Node, ns: Option<&str>, name: &str) -> Option<String> {
    kids(node, ns, name).first().map(|n| n.text().unwrap_or("").to_owned())
}

/// The `<item>`s of an RSS document and the `<entry>`s of an Atom one.
fn rss_items<'a, 'i>(doc: &'a Document<'i>) -> Vec<Node<'a, 'i>> {
    let channel = kids(doc.root_element(), None, "channel")[0];
    kids(channel, None, "item")
}

fn atom_entries<'a, 'i>(doc: &'a Document<'i>) -> Vec<Node<'a, 'i>> {
    kids(doc.root_element(), Some(ATOM_NS), "entry")
}

/// Undoes `escape_html` (the five entities it writes).
fn unescape_html(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

// ---------------------------------------------------------------------------
// Generated text

/// Pieces that break naive writers.
const HOSTILE: &[&str] = &[
    "]]>",
    "]]",
    "--",
    "<!--",
    "<![CDATA[",
    "&",
    "&amp;",
    "&#0;",
    "&lt;",
    "<b>bold</b>",
    "<script>alert(1)</script>",
    "</title>",
    "\"",
    "'",
    "\\",
    "<",
    ">",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{feff}",
    "\u{200b}",
    "\u{202e}",
    "שלום עולם",
    "مرحبا",
    "e\u{301}",
    "\u{301}",
    "👩\u{200d}🚀",
    "🇫🇷",
    "\u{10ffff}",
    "\u{fffd}",
    "+++",
    "---",
    "# heading",
    "* ",
    "{{ x }}",
    "{% if %}",
    "%20",
    "%",
];

/// The characters XML 1.0 forbids, as content might bring them in.
const FORBIDDEN: &[char] =
    &['\u{0}', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{e}', '\u{1b}', '\u{1f}', '\u{fffe}', '\u{ffff}'];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => any::<char>().prop_map(String::from),
        3 => "[a-zA-Z0-9]{1,10}",
        4 => prop::sample::select(HOSTILE).prop_map(str::to_owned),
        // Very long: up to ~15 kB.
        1 => (prop::sample::select(HOSTILE), 100..1500usize).prop_map(|(s, n)| s.repeat(n)),
    ]
}

/// Text from all of Unicode, with the characters XML forbids replaced.
fn clean_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..8).prop_map(|v| {
        v.concat().chars().map(|c| if pressroom::xml_chars::forbidden(c) { '\u{fffd}' } else { c }).collect()
    })
}

/// Clean text that is not blank (titles, tags and authors must not be).
fn nonblank_text() -> impl Strategy<Value = String> {
    clean_text().prop_map(|s| if s.trim().is_empty() { s + "x" } else { s })
}

/// One news item's values.
#[derive(Debug, Clone)]
struct Values {
    title: String,
    summary: Option<String>,
    tags: Vec<String>,
    authors: Vec<String>,
    body: String,
}

fn values() -> impl Strategy<Value = Values> {
    (
        nonblank_text(),
        prop::option::of(clean_text()),
        // Tags hold no tab or line break (`a_tag_with_a_tab_or_line_break_is_refused`).
        prop::collection::vec(nonblank_text().prop_map(|t| t.replace(['\t', '\n', '\r'], " ")), 0..4),
        prop::collection::vec(nonblank_text(), 0..3),
        clean_text(),
    )
        .prop_map(|(title, summary, tags, authors, body)| Values { title, summary, tags, authors, body })
}

/// A value as every format carries it: line ends as XML reads them
/// (XML 1.0 §2.11: CR LF and a lone CR become LF), and no surrounding
/// whitespace (feed readers strip it). The loader does both, so that every
/// format and every reader shows the same text.
fn carried(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n").trim().to_owned()
}

fn news_file(syntax: Syntax, v: &Values, date: &str) -> String {
    let mut keys = vec![("title", Value::Str(v.title.clone())), ("date", Value::Str(date.into()))];
    if let Some(s) = &v.summary {
        keys.push(("summary", Value::Str(s.clone())));
    }
    if !v.tags.is_empty() {
        keys.push(("tags", Value::List(v.tags.clone())));
    }
    if !v.authors.is_empty() {
        keys.push(("authors", Value::List(v.authors.clone())));
    }
    markdown(syntax, &keys, &v.body)
}

fn syntax() -> impl Strategy<Value = Syntax> {
    prop_oneof![3 => Just(Syntax::Toml), 1 => Just(Syntax::Yaml)]
}

/// The body as the loader keeps it: the file's CR LF and lone CR become LF.
fn body_as_loaded(body: &str) -> String {
    body.replace("\r\n", "\n").replace('\r', "\n")
}

/// Checks that every format carries `v` exactly, for the one item of the feed.
fn reads_back(v: &Values, r: &Rendered) -> Result<(), TestCaseError> {
    let (rss, atom, json) = parse_all(r)?;
    let title = carried(&v.title);
    let summary = v
        .summary
        .as_deref()
        .map(carried)
        .filter(|s| !s.is_empty())
        .or_else(|| pressroom::markdown::first_paragraph(&body_as_loaded(&v.body)).map(|s| carried(&s)));
    let tags: Vec<String> = v.tags.iter().map(|t| carried(t)).collect();
    let authors: Vec<String> = v.authors.iter().map(|a| carried(a)).collect();

    // RSS: title and category are text; description is HTML (the summary
    // escaped), or the content when there is no summary.
    let items = rss_items(&rss);
    prop_assert_eq!(items.len(), 1);
    let item = items[0];
    prop_assert_eq!(text_of(item, None, "title"), Some(title.clone()), "RSS title");
    let rss_tags: Vec<String> =
        kids(item, None, "category").iter().map(|n| n.text().unwrap_or("").to_owned()).collect();
    prop_assert_eq!(&rss_tags, &tags, "RSS categories");
    let creators: Vec<String> =
        kids(item, Some(DC_NS), "creator").iter().map(|n| n.text().unwrap_or("").into()).collect();
    prop_assert_eq!(&creators, &authors, "RSS dc:creator");
    let content = text_of(item, Some(CONTENT_NS), "encoded").unwrap_or_default();
    let description = text_of(item, None, "description").unwrap_or_default();
    match &summary {
        Some(s) => prop_assert_eq!(unescape_html(&description), s.clone(), "RSS description"),
        None => prop_assert_eq!(&description, &content, "RSS description without a summary"),
    }

    // Atom: title, summary (type text), category terms, author names.
    let entries = atom_entries(&atom);
    prop_assert_eq!(entries.len(), 1);
    let entry = entries[0];
    prop_assert_eq!(text_of(entry, Some(ATOM_NS), "title"), Some(title.clone()), "Atom title");
    prop_assert_eq!(text_of(entry, Some(ATOM_NS), "summary"), summary.clone(), "Atom summary");
    let terms: Vec<String> =
        kids(entry, Some(ATOM_NS), "category").iter().map(|n| n.attribute("term").unwrap_or("").into()).collect();
    prop_assert_eq!(&terms, &tags, "Atom category terms");
    let names: Vec<String> = kids(entry, Some(ATOM_NS), "author")
        .iter()
        .map(|a| text_of(*a, Some(ATOM_NS), "name").unwrap_or_default())
        .collect();
    prop_assert_eq!(&names, &authors, "Atom author names");
    let atom_content = text_of(entry, Some(ATOM_NS), "content").unwrap_or_default();
    prop_assert_eq!(&atom_content, &content, "Atom content and RSS content:encoded");

    // JSON Feed.
    let j = &json["items"][0];
    prop_assert_eq!(j["title"].as_str(), Some(title.as_str()), "JSON title");
    prop_assert_eq!(j["summary"].as_str(), summary.as_deref(), "JSON summary");
    let json_tags: Vec<String> =
        j["tags"].as_array().map(|a| a.iter().map(|t| t.as_str().unwrap().to_owned()).collect()).unwrap_or_default();
    prop_assert_eq!(&json_tags, &tags, "JSON tags");
    let json_authors: Vec<String> = j["authors"]
        .as_array()
        .map(|a| a.iter().map(|t| t["name"].as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    prop_assert_eq!(&json_authors, &authors, "JSON authors");
    prop_assert_eq!(j["content_html"].as_str(), Some(content.as_str()), "JSON content_html");

    // feed-rs, a lenient reader, sees the same title in all three.
    for (name, text) in [("RSS", &r.rss), ("Atom", &r.atom), ("JSON", &r.json)] {
        let feed = feed_rs::parser::parse(text.as_bytes()).unwrap();
        let got = feed.entries[0].title.as_ref().map(|t| t.content.clone());
        prop_assert_eq!(got, Some(title.clone()), "feed-rs title of {}", name);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Any text without the characters XML forbids is published, and every
    /// format carries it exactly.
    #[test]
    fn every_value_reads_back_in_every_format(v in values(), syntax in syntax()) {
        let dir = store_dir("UTC", &[("news/item.md".into(), news_file(syntax, &v, "2021-12-02").into_bytes())]);
        let store = match load(dir.path()) {
            Ok(store) => store,
            Err(problems) => return Err(TestCaseError::fail(format!("refused: {problems:#?}"))),
        };
        reads_back(&v, &render(&store))?;
    }

    /// A character XML forbids in any value is refused, E0108, in that file;
    /// in the body it is dropped with a warning, W0109, and every format
    /// carries the body without it.
    #[test]
    fn a_forbidden_character_is_refused(
        v in values(),
        field in 0..5usize,
        at in any::<prop::sample::Index>(),
        c in prop::sample::select(FORBIDDEN),
        syntax in syntax(),
    ) {
        let mut v = v;
        let insert = |s: &mut String| {
            let boundaries: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
            s.insert(boundaries[at.index(boundaries.len())], c);
        };
        match field {
            0 => insert(&mut v.title),
            1 => insert(v.summary.get_or_insert_with(String::new)),
            2 => { if v.tags.is_empty() { v.tags.push("t".into()) } insert(&mut v.tags[0]) }
            3 => { if v.authors.is_empty() { v.authors.push("a".into()) } insert(&mut v.authors[0]) }
            _ => insert(&mut v.body),
        }
        let dir = store_dir("UTC", &[("news/item.md".into(), news_file(syntax, &v, "2021-12-02").into_bytes())]);
        match load(dir.path()) {
            Ok(store) if field == 4 => {
                prop_assert!(store.warnings.iter().any(|d| d.code == Code::DroppedChar), "no W0109: {:#?}", store.warnings);
                let rendered = render(&store);
                prop_assert!(!format!("{}{}{}", rendered.rss, rendered.atom, rendered.json).contains(c), "U+{:04X} published", c as u32);
                v.body.retain(|b| b != c);
                reads_back(&v, &rendered)?;
            }
            Ok(_) => return Err(TestCaseError::fail(format!("U+{:04X} in field {field} was published", c as u32))),
            Err(problems) => {
                prop_assert!(problems.iter().any(|d| d.code == Code::ForbiddenChar && d.file.ends_with("news/item.md")),
                    "no E0108: {:#?}", problems);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// URLs

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
        let settings = pressroom::settings::Settings::new(
            dir.path().join("content"), feeds, out.clone(),
            &pressroom::environment::Environment { source_date_epoch: Some("1767225600".into()), ..Default::default() },
            true,
        ).unwrap();
        if let Err(e) = pressroom::build::build(&settings) {
            return Err(TestCaseError::fail(format!("build failed: {e}")));
        }

        let mut urls = Vec::new();
        let written = crate::harness::files(&out);
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

// ---------------------------------------------------------------------------
// Dates

const ZONES: &[&str] = &[
    "UTC",
    "Pacific/Kiritimati",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Australia/Lord_Howe",
    "America/New_York",
    "Europe/Paris",
    "Pacific/Pago_Pago",
];

/// A date as an editor writes it, and the instant it means in `tz` (None:
/// outside the range of dates, so refused).
#[derive(Debug, Clone)]
struct WrittenDate {
    text: String,
    /// Written as a TOML date value rather than a string.
    bare: bool,
}

fn written_date() -> impl Strategy<Value = WrittenDate> {
    let year = prop_oneof![1 => Just(1970i16), 1 => Just(9999i16), 1 => Just(2024i16), 1 => Just(2000i16), 3 => 1970..=9999i16];
    let month = 1..=12i8;
    let form = 0..5u8;
    let offset = (-23..=23i32, prop::sample::select(&[0, 15, 30, 45][..]));
    (year, month, any::<prop::sample::Index>(), 0..24i8, 0..60i8, 0..60i8, form, offset, any::<bool>()).prop_map(
        |(y, m, d, h, mi, s, form, (oh, om), bare)| {
            let days = jiff::civil::Date::new(y, m, 1).unwrap().days_in_month();
            // Leap days come up often: the last day of February is favoured.
            let day = if m == 2 && d.index(3) == 0 { days } else { d.index(days as usize) as i8 + 1 };
            let date = format!("{y:04}-{m:02}-{day:02}");
            let time = format!("{h:02}:{mi:02}:{s:02}");
            let sign = if oh < 0 { '-' } else { '+' };
            let text = match form {
                0 => date,
                1 => format!("{date}T{time}"),
                2 => format!("{date}T{time}Z"),
                3 => format!("{date}T{time}{sign}{:02}:{om:02}", oh.abs()),
                _ => format!("{date} {}", &time[..5]),
            };
            // TOML takes no space-separated date-time with only minutes as a literal.
            WrittenDate { bare: bare && form != 4, text }
        },
    )
}

/// What `text` means, computed apart from pressroom's parser.
fn expected_instant(text: &str, tz: &TimeZone) -> Option<Timestamp> {
    let norm = text.replacen(' ', "T", 1);
    if norm.len() == 10 {
        let d: jiff::civil::Date = norm.parse().unwrap();
        return tz.to_timestamp(d.to_datetime(jiff::civil::Time::midnight())).ok();
    }
    let has_offset = norm.ends_with('Z') || norm[10..].contains(['+', '-']);
    if has_offset {
        let (local, off) = norm.split_at(if norm.ends_with('Z') { norm.len() - 1 } else { norm.len() - 6 });
        let dt: jiff::civil::DateTime = local.parse().unwrap();
        let seconds = if off == "Z" {
            0
        } else {
            let sign = if off.starts_with('-') { -1 } else { 1 };
            sign * (off[1..3].parse::<i32>().unwrap() * 3600 + off[4..6].parse::<i32>().unwrap() * 60)
        };
        let offset = jiff::tz::Offset::from_seconds(seconds).unwrap();
        offset.to_timestamp(dt).ok()
    } else {
        let dt: jiff::civil::DateTime = norm.parse().unwrap();
        tz.to_timestamp(dt).ok()
    }
}

/// The offset written at the end of an RFC 3339 value, in seconds.
fn rfc3339_offset(value: &str) -> i32 {
    if value.ends_with('Z') {
        return 0;
    }
    let off = &value[value.len() - 6..];
    let sign = if off.starts_with('-') { -1 } else { 1 };
    sign * (off[1..3].parse::<i32>().unwrap() * 3600 + off[4..6].parse::<i32>().unwrap() * 60)
}

proptest! {
    #![proptest_config(config())]

    /// Each date is refused cleanly (E0106) or published as the same instant
    /// in RFC 822 (RSS) and RFC 3339 (Atom, JSON Feed), in the site's zone.
    #[test]
    fn dates_mean_the_same_instant_in_every_format(
        zone in prop::sample::select(ZONES),
        date in written_date(),
        syntax in syntax(),
    ) {
        let tz = TimeZone::get(zone).unwrap();
        let value = if date.bare && syntax == Syntax::Toml { Value::Bare(date.text.clone()) } else { Value::Str(date.text.clone()) };
        let file = markdown(syntax, &[("title", Value::Str("T".into())), ("date", value)], "Body.\n");
        let dir = store_dir(zone, &[("news/item.md".into(), file.into_bytes())]);
        let expected = expected_instant(&date.text, &tz);
        let store = match (load(dir.path()), expected) {
            (Err(problems), None) => {
                prop_assert!(problems.iter().any(|d| d.code == Code::BadDate), "{:#?}", problems);
                return Ok(());
            }
            (Err(problems), Some(t)) => return Err(TestCaseError::fail(format!("{} ({t}) refused: {problems:#?}", date.text))),
            (Ok(_), None) => return Err(TestCaseError::fail(format!("{} is out of range but was published", date.text))),
            (Ok(store), Some(_)) => store,
        };
        let expected = expected.unwrap();
        let r = render(&store);
        let (rss, atom, json) = parse_all(&r)?;
        let item = rss_items(&rss)[0];
        let pub_date = text_of(item, None, "pubDate").unwrap();
        let rss_instant = crate::read::rfc822(&pub_date);
        prop_assert_eq!(rss_instant, expected, "RSS pubDate {}", pub_date);
        let entry = atom_entries(&atom)[0];
        let published = text_of(entry, Some(ATOM_NS), "published").unwrap();
        prop_assert_eq!(crate::read::rfc3339(&published), expected, "Atom published {}", published);
        let json_date = json["items"][0]["date_published"].as_str().unwrap().to_owned();
        prop_assert_eq!(crate::read::rfc3339(&json_date), expected, "JSON date_published {}", json_date);
        // Shown in the site's zone, the same offset in both forms.
        let offset = tz.to_offset(expected).seconds();
        prop_assert_eq!(rfc3339_offset(&published), offset, "Atom offset {}", published);
        prop_assert_eq!(rfc3339_offset(&json_date), offset, "JSON offset {}", json_date);
        let rfc822_offset = &pub_date[pub_date.len() - 5..];
        let seconds = if rfc822_offset.starts_with('-') { -1 } else { 1 }
            * (rfc822_offset[1..3].parse::<i32>().unwrap() * 3600 + rfc822_offset[3..5].parse::<i32>().unwrap() * 60);
        prop_assert_eq!(seconds, offset, "RSS offset {}", pub_date);
        // feed-rs reads the same instant from all three.
        for text in [&r.rss, &r.atom, &r.json] {
            let feed = feed_rs::parser::parse(text.as_bytes()).unwrap();
            let got = feed.entries[0].published.map(|d| d.timestamp());
            prop_assert_eq!(got, Some(expected.as_second()), "feed-rs date");
        }
    }

    /// Items are ordered newest first, ties broken by slug, the same in
    /// every format (ties are common: few distinct instants, written in
    /// different zones).
    #[test]
    fn items_are_ordered_by_date_then_slug(
        items in prop::collection::vec((prop::sample::select(&[
            "2021-01-01", "2021-01-01T00:00:00Z", "2021-01-01T01:00:00+01:00", "2020-12-31T19:00:00-05:00",
            "2024-02-29", "2024-02-29T12:00:00+14:00", "1970-01-01T00:00:00Z", "9999-12-30T00:00:00Z",
        ][..]), "[a-c]{1,3}"), 1..8),
        zone in prop::sample::select(ZONES),
    ) {
        let tz = TimeZone::get(zone).unwrap();
        let mut seen = BTreeSet::new();
        let items: Vec<_> = items.into_iter().filter(|(_, slug)| seen.insert(slug.clone())).collect();
        let files: Vec<(String, Vec<u8>)> = items.iter().map(|(date, slug)| {
            (format!("news/{slug}.md"), markdown(Syntax::Toml, &[
                ("title", Value::Str(format!("title {slug}"))), ("date", Value::Str(date.to_string())),
            ], "Body.\n").into_bytes())
        }).collect();
        let dir = store_dir(zone, &files);
        let store = load(dir.path()).map_err(|p| TestCaseError::fail(format!("{p:#?}")))?;
        let mut expected: Vec<(Timestamp, String)> =
            items.iter().map(|(d, s)| (expected_instant(d, &tz).unwrap(), s.clone())).collect();
        expected.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let expected: Vec<String> = expected.into_iter().map(|(_, s)| format!("title {s}")).collect();
        let r = render(&store);
        let (rss, atom, json) = parse_all(&r)?;
        let rss_titles: Vec<String> = rss_items(&rss).iter().map(|i| text_of(*i, None, "title").unwrap()).collect();
        let atom_titles: Vec<String> = atom_entries(&atom).iter().map(|e| text_of(*e, Some(ATOM_NS), "title").unwrap()).collect();
        let json_titles: Vec<String> = json["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_owned()).collect();
        prop_assert_eq!(&rss_titles, &expected, "RSS order");
        prop_assert_eq!(&atom_titles, &expected, "Atom order");
        prop_assert_eq!(&json_titles, &expected, "JSON order");
    }
}

// ---------------------------------------------------------------------------
// Regressions and edges, named

#[test]
fn the_last_instant_every_zone_can_show_is_the_limit() {
    // jiff's range, and so pressroom's: 9999-12-30T22:00:00.999999999Z
    // (every offset, up to ±25:59:59, can still show it as a civil date).
    assert_eq!(Timestamp::MAX.to_string(), "9999-12-30T22:00:00.999999999Z");
    for (zone, date, ok) in [
        ("UTC", "9999-12-30T22:00:00Z", true),
        ("UTC", "9999-12-30T22:00:01Z", false),
        ("UTC", "9999-12-31", false),
        ("Pacific/Kiritimati", "9999-12-31", true),
        ("Pacific/Kiritimati", "9999-12-31T12:00:00", true),
        ("Pacific/Kiritimati", "9999-12-31T12:00:01", false),
        ("America/St_Johns", "9999-12-30T18:30:00", true),
        ("America/St_Johns", "9999-12-30T18:30:01", false),
        ("America/St_Johns", "9999-12-31", false),
    ] {
        let file =
            markdown(Syntax::Toml, &[("title", Value::Str("T".into())), ("date", Value::Str(date.into()))], "B\n");
        let dir = store_dir(zone, &[("news/item.md".into(), file.into_bytes())]);
        match load(dir.path()) {
            Ok(store) => {
                assert!(ok, "{zone} {date} was published");
                let r = render(&store);
                parse_all(&r).unwrap();
            }
            Err(problems) => {
                assert!(!ok, "{zone} {date} was refused: {problems:#?}");
                assert_eq!(problems.iter().map(|d| d.code).collect::<Vec<_>>(), vec![Code::BadDate], "{zone} {date}");
                assert!(problems[0].message.contains("9999"), "{}", problems[0].message);
            }
        }
    }
}

#[test]
fn a_tag_with_a_tab_or_line_break_is_refused() {
    // Found by `every_value_reads_back_in_every_format`: Atom writes a tag
    // as the attribute `term`, where a parser reads a tab or a line break
    // as a space (XML 1.0 §3.3.3), so the tag "!\tA" read back as "! A".
    for tag in ["!\tA", "a\nb", "a\r\nb", "a\rb"] {
        let v =
            Values { title: "T".into(), summary: None, tags: vec![tag.into()], authors: vec![], body: "B\n".into() };
        let dir = store_dir("UTC", &[("news/item.md".into(), news_file(Syntax::Toml, &v, "2021-12-02").into_bytes())]);
        let problems = load(dir.path()).unwrap_err();
        let codes: Vec<_> = problems.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(codes, vec![(Code::BadValue, 4)], "{tag:?}: {problems:#?}");
    }
    // Around a tag, whitespace is not part of it.
    let v = Values {
        title: "T".into(),
        summary: None,
        tags: vec![" \tmoon\n".into()],
        authors: vec![],
        body: "B\n".into(),
    };
    let dir = store_dir("UTC", &[("news/item.md".into(), news_file(Syntax::Toml, &v, "2021-12-02").into_bytes())]);
    assert_eq!(load(dir.path()).unwrap().news[0].tags, vec!["moon".to_owned()]);
}

#[test]
fn surrounding_whitespace_and_carriage_returns_are_not_part_of_a_value() {
    // Found by `every_value_reads_back_in_every_format`: the title " x"
    // read back as "x" through feed-rs, and a CR as LF through any XML
    // parser; the loader now does both, so every format says the same.
    let v = Values {
        title: " x\r\ny\rz ".into(),
        summary: Some("\u{a0}s\t".into()),
        tags: vec![],
        authors: vec!["\nAda ".into()],
        body: "B\n".into(),
    };
    let dir = store_dir("UTC", &[("news/item.md".into(), news_file(Syntax::Toml, &v, "2021-12-02").into_bytes())]);
    let store = load(dir.path()).unwrap();
    let item = &store.news[0];
    assert_eq!((item.title.as_str(), item.summary.as_deref()), ("x\ny\nz", Some("s")));
    assert_eq!(item.authors, vec!["Ada".to_owned()]);
    reads_back(&v, &render(&store)).unwrap();
    // A blank summary is no summary: the first paragraph stands in.
    let v = Values { summary: Some("  ".into()), body: "First.\n".into(), ..v };
    let dir = store_dir("UTC", &[("news/item.md".into(), news_file(Syntax::Toml, &v, "2021-12-02").into_bytes())]);
    assert_eq!(load(dir.path()).unwrap().news[0].summary.as_deref(), Some("First."));
}

#[test]
fn a_lone_carriage_return_in_a_body_reads_the_same_in_every_format() {
    // Found by `every_value_reads_back_in_every_format`: the body "<!--\r"
    // kept its CR in JSON's content_html, which XML parsers read as LF.
    let v = Values { title: "x".into(), summary: None, tags: vec![], authors: vec![], body: "<!--\r".into() };
    let dir = store_dir("UTC", &[("news/item.md".into(), news_file(Syntax::Toml, &v, "2021-12-02").into_bytes())]);
    let r = render(&load(dir.path()).unwrap());
    assert!(!r.json.contains("\\r") && !r.rss.contains('\r') && !r.atom.contains('\r'));
    reads_back(&v, &r).unwrap();
}
