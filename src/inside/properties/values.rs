//! Generated front matter values, in TOML and YAML: each reads back the same
//! in every format, and a forbidden character is refused.

use super::*;

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
    prop::collection::vec(piece(), 0..8)
        .prop_map(|v| v.concat().chars().map(|c| if crate::xml_chars::forbidden(c) { '\u{fffd}' } else { c }).collect())
}

/// Clean text that is not blank (titles, tags and authors must not be).
fn nonblank_text() -> impl Strategy<Value = String> {
    clean_text().prop_map(|s| if s.trim().is_empty() { s + "x" } else { s })
}

/// One news item's values.
#[derive(Debug, Clone)]
pub(super) struct Values {
    pub(super) title: String,
    pub(super) summary: Option<String>,
    pub(super) tags: Vec<String>,
    pub(super) authors: Vec<String>,
    pub(super) body: String,
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

pub(super) fn news_file(syntax: Syntax, v: &Values, date: &str) -> String {
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

pub(super) fn syntax() -> impl Strategy<Value = Syntax> {
    prop_oneof![3 => Just(Syntax::Toml), 1 => Just(Syntax::Yaml)]
}

/// The body as the loader keeps it: the file's CR LF and lone CR become LF.
fn body_as_loaded(body: &str) -> String {
    body.replace("\r\n", "\n").replace('\r', "\n")
}

/// Checks that every format carries `v` exactly, for the one item of the feed.
pub(super) fn reads_back(v: &Values, r: &Rendered) -> Result<(), TestCaseError> {
    let (rss, atom, json) = parse_all(r)?;
    let title = carried(&v.title);
    let summary = v
        .summary
        .as_deref()
        .map(carried)
        .filter(|s| !s.is_empty())
        .or_else(|| crate::markdown::summary(&body_as_loaded(&v.body)).map(|s| carried(&s)));
    // Each term once, as first written.
    let once = |values: &[String]| {
        let mut terms: Vec<String> = Vec::new();
        for term in values.iter().map(|t| carried(t)) {
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
        terms
    };
    let (tags, authors) = (once(&v.tags), once(&v.authors));

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
                // Line ends are read first, then the character dropped: a
                // CR, the character, an LF are two line ends, as loaded.
                v.body = body_as_loaded(&v.body).replace(c, "");
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
