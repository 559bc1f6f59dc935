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

use crate::content::Store;
use crate::diagnostic::{Code, Diagnostic};
use crate::feed_def::FeedDef;
use crate::render::feed::{Paging, Spread};
use crate::render::{self, Feed};
use crate::store_templates::Templates;

use crate::inside::{ATOM_NS, CONTENT_NS, DC_NS};

mod dates;
mod edges;
mod urls;
mod values;

fn config() -> ProptestConfig {
    crate::inside::proptest_config(256, crate::inside::proptest_seed(None))
}

/// Under a path, so that every URL is made below one.
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
    // No robots.txt, which no crawler reads under a path (N0112).
    let site = format!("{SITE}timezone = \"{timezone}\"\n[outputs]\nrobots = false\n");
    fs::write(content.join("site.toml"), site).unwrap();
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
    let templates = Templates::load(Path::new("/nonexistent"), crate::template::MAX_TIME).unwrap();
    let items = def.items(store);
    let items = &items[..items.len().min(def.limit)];
    let feed = Feed::build((&def, store, &templates), items, Paging::Off, Spread::OverCores).unwrap();
    let (mut rss, mut atom, mut json) = (Vec::new(), Vec::new(), Vec::new());
    render::rss::render(&feed, &mut rss).unwrap();
    render::atom::render(&feed, &mut atom).unwrap();
    render::jsonfeed::render(&feed, &mut json).unwrap();
    assert_eq!(json, render::jsonfeed::whole(&feed), "the JSON Feed in chunks differs from its whole print");
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
    crate::inside::kids(node, ns, name)
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
