//! The keys an editor may write at the top of a Markdown file, one struct
//! per kind of file (news item, publication, page), and how their parse
//! errors become problems with a line number. Which keys a kind takes is its
//! struct's fields. Other generators' keys (`layout`, Zola's `[extra]`…)
//! are kept for templates (`Kept`), not refused; a key close to one of the
//! kind's own (`titel`) is refused with a hint, by serde
//! (`deny_unknown_fields`) once the kept keys are set aside.

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};

use super::source::{Source, Syntax};
use crate::diagnostic::{Code, Diagnostic, Pos};

/// A kind of front matter: what messages call the file, and its keys.
pub trait Matter: DeserializeOwned + Default {
    /// The file as messages name it: "a news item".
    const WHAT: &'static str;

    fn keys() -> &'static [&'static str] {
        crate::keys::of::<Self>()
    }

    /// The keys kept for templates.
    fn kept(&mut self) -> &mut Kept;
}

/// The keys of a file that are none of its kind's and close to none of
/// them: other generators' (`layout`, `weight`, Zola's `[extra]`), kept.
#[derive(Debug, Default, Clone)]
pub struct Kept {
    /// Their names, as written, in order.
    pub keys: Vec<String>,
    /// What templates see as `extra`: the `extra` table as it is, with the
    /// other kept keys merged in (the table's own entries win).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Whether `key`, not one of `T`'s, is kept rather than refused: it is not
/// a key of pressroom's other kinds of file, and not close to one of `T`'s,
/// which would be a misspelling (`titel`, `tgas`, `dat`): one edit away
/// (a swap of neighbours is one), or two from a key of five letters or more.
fn is_kept<T: Matter>(key: &str) -> bool {
    let own = T::keys();
    if own.contains(&key) {
        return false;
    }
    let others = [ItemMatter::keys(), PublicationMatter::keys(), PageMatter::keys()];
    if !GENERATOR_KEYS.contains(&key) && others.iter().any(|keys| keys.contains(&key)) {
        return false;
    }
    !own.iter().any(|k| {
        let d = strsim::osa_distance(key, k);
        d == 1 || (d == 2 && k.chars().count() >= 5)
    })
}

/// Whether `key` is an `id` written as a number: another system's number
/// for the post (WordPress's, as jekyll-import writes it), kept for
/// templates; the item's id is made as `ids` says. An `id` that is text is
/// the item's (an absolute URI).
fn numbered(key: &str, number: bool) -> bool {
    key == "id" && number
}

/// Declares the item structs from one list of the keys every item takes
/// and one of the keys only publications take: serde cannot refuse unknown
/// keys in a struct that flattens another, so the shared keys are written
/// into both structs here.
macro_rules! item_matter {
    (
        every item { $($(#[$doc:meta])* $key:ident: $ty:ty,)* }
        publications { $($(#[$pdf_doc:meta])* $pdf_key:ident: $pdf_ty:ty,)* }
    ) => {
        /// The keys every item takes: all that a news item takes.
        #[derive(Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct ItemMatter {
            $($(#[$doc])* pub $key: $ty,)*
            #[serde(skip)]
            pub kept: Kept,
        }

        /// A publication's keys: an item's and its PDF's.
        #[derive(Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct PublicationMatter {
            $($(#[$doc])* pub $key: $ty,)*
            $($(#[$pdf_doc])* pub $pdf_key: $pdf_ty,)*
            #[serde(skip)]
            pub kept: Kept,
        }

        /// The keys only a publication takes.
        #[derive(Debug, Default)]
        pub struct PdfMatter {
            $($(#[$pdf_doc])* pub $pdf_key: $pdf_ty,)*
        }

        impl PublicationMatter {
            /// The item's keys apart from the PDF's.
            pub fn split(self) -> (ItemMatter, PdfMatter) {
                (ItemMatter { $($key: self.$key,)* kept: self.kept }, PdfMatter { $($pdf_key: self.$pdf_key,)* })
            }
        }
    };
}

item_matter! {
    every item {
        title: Option<Text>,
        date: Option<DateInput>,
        updated: Option<DateInput>,
        summary: Option<String>,
        tags: Option<Strings>,
        authors: Option<Strings>,
        draft: Option<StrictBool>,
        slug: Option<String>,
        id: Option<String>,
        /// The item's page where the site serves it, overriding `[urls]`: an
        /// absolute `https://…` URL, or a path on the site (`/2019/05/a/`).
        url: Option<String>,
        // The keys other generators write, mapped onto the ones above.
        /// Jekyll's and Hugo's: more `authors`.
        author: Option<Strings>,
        /// Jekyll's, Hugo's and Zola's: the `summary` when there is none.
        description: Option<String>,
        /// Shown beside the tags in the feeds; Jekyll separates them by
        /// spaces in one string.
        categories: Option<Strings>,
        /// Jekyll's one category (a string may hold spaces).
        category: Option<Strings>,
        /// Zola's: the page's path on the site, as `url` without its `/`.
        path: Option<String>,
        /// Hugo's and Jekyll's (jekyll-redirect-from) old addresses: kept,
        /// nothing is published for them yet.
        aliases: Option<Strings>,
        redirect_from: Option<Strings>,
        /// Hugo's: the `date` when there is none (Hugo reads `date`, then
        /// `publishDate`; its keys are case-blind).
        #[serde(rename = "publishDate", alias = "publishdate")]
        publish_date: Option<DateInput>,
        /// Hugo's `lastmod`, Jekyll's `last_modified_at` (jekyll-feed's
        /// `updated`): the `updated` when there is none.
        lastmod: Option<DateInput>,
        last_modified_at: Option<DateInput>,
        /// Jekyll's: `false` is a draft.
        published: Option<StrictBool>,
        /// Jekyll's page address of one post: its `url` when it is a path
        /// (a permalink with `:placeholders` is kept, not followed).
        permalink: Option<String>,
    }
    publications {
        /// The PDF, relative to the Markdown file.
        file: Option<String>,
        kind: Option<String>,
        edition: Option<String>,
        language: Option<String>,
    }
}

impl Matter for ItemMatter {
    const WHAT: &'static str = "a news item";
    fn kept(&mut self) -> &mut Kept {
        &mut self.kept
    }
}

impl Matter for PublicationMatter {
    const WHAT: &'static str = "a publication";
    fn kept(&mut self) -> &mut Kept {
        &mut self.kept
    }
}

/// A page's keys: a page is only listed in the sitemap.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMatter {
    pub title: Option<Text>,
    pub updated: Option<DateInput>,
    pub slug: Option<String>,
    #[serde(skip)]
    pub kept: Kept,
}

impl Matter for PageMatter {
    const WHAT: &'static str = "a page";
    fn kept(&mut self) -> &mut Kept {
        &mut self.kept
    }
}

/// A section's own page (`_index.md`): its title and description may
/// title the section's feeds. Hugo's and Zola's keys for it (`sort_by`,
/// `paginate_by`, `weight`, `template`…) are many and none of pressroom's
/// business, so every other key is let be rather than refused or kept.
#[derive(Debug, Default, Deserialize)]
pub struct IndexMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(skip)]
    pub kept: Kept,
}

impl Matter for IndexMatter {
    const WHAT: &'static str = "a section's own page";
    fn kept(&mut self) -> &mut Kept {
        &mut self.kept
    }
}

/// A date as written: a string, or a TOML date value (kept as its text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateInput(pub String);

impl<'de> Deserialize<'de> for DateInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl<'de> Visitor<'de> for DateVisitor {
            type Value = DateInput;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date such as 2021-12-02 or 2021-12-02T09:30:00Z")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateInput, E> {
                Ok(DateInput(v.to_owned()))
            }
            // TOML hands its date values over as a one-entry map.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateInput, A::Error> {
                match map.next_entry::<String, String>()? {
                    Some((_, text)) => Ok(DateInput(text)),
                    None => Err(de::Error::custom("expected a date")),
                }
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

/// A list of strings, or one string for a list of one (as Jekyll takes
/// `author: parkr`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strings {
    pub values: Vec<String>,
    /// Written as one string rather than a list.
    pub one: bool,
}

impl Strings {
    /// The values; a single string split at its blanks when `split`.
    pub fn into_list(self, split: bool) -> Vec<String> {
        if self.one && split {
            // At ASCII blanks, as Ruby's `split` (Jekyll's): a non-breaking or
            // ideographic space is part of a term (`Jeux olympiques`).
            self.values.iter().flat_map(|v| v.split_ascii_whitespace()).map(str::to_owned).collect()
        } else {
            self.values
        }
    }
}

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StringsVisitor;
        impl<'de> Visitor<'de> for StringsVisitor {
            type Value = Strings;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Strings, E> {
                Ok(Strings { values: vec![v.to_owned()], one: true })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Strings, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Strings, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Strings, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Strings, A::Error> {
                let Text(name) = TextVisitor.visit_map(map)?;
                Ok(Strings { values: vec![name], one: true })
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strings, A::Error> {
                let mut values = Vec::new();
                while let Some(Text(v)) = seq.next_element::<Text>()? {
                    values.push(v);
                }
                Ok(Strings { values, one: false })
            }
        }
        deserializer.deserialize_any(StringsVisitor)
    }
}

/// A text value, or a number where real posts write one (`title: 1984`,
/// `tags: [2019, review]`, `categories: 2024`): Jekyll, Hugo and Zola
/// read it as its text, and so does pressroom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
        Ok(Text(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    /// A person as a table (`author: {display_name: Ada, email: …}`,
    /// as jekyll-import writes WordPress's authors): the name. A table
    /// with no name is the wrong type, as any other table is.
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let mut names: Vec<(usize, String)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let rank = ["display_name", "name", "login"].iter().position(|k| *k == key);
            match rank {
                Some(rank) => names.push((rank, map.next_value::<Text>()?.0)),
                None => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        names
            .into_iter()
            .filter(|(_, n)| !n.trim().is_empty())
            .min()
            .map(|(_, n)| Text(n))
            .ok_or_else(|| de::Error::invalid_type(de::Unexpected::Map, &self))
    }
}

/// The keys of other generators that an item maps onto its own: known,
/// never "unknown" on any kind of file.
pub const GENERATOR_KEYS: &[&str] = &[
    "author",
    "description",
    "categories",
    "category",
    "path",
    "aliases",
    "redirect_from",
    "publishDate",
    "lastmod",
    "last_modified_at",
    "published",
    "permalink",
];

/// A boolean written as one: `true` or `false`, never the strings "true"
/// or "yes" that some YAML and serde paths would take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StrictBool(pub bool);

impl<'de> Deserialize<'de> for StrictBool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BoolVisitor;
        impl Visitor<'_> for BoolVisitor {
            type Value = StrictBool;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a boolean, true or false (not in quotes)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<StrictBool, E> {
                Ok(StrictBool(v))
            }
        }
        deserializer.deserialize_any(BoolVisitor)
    }
}

/// Parses the front matter of `source` as a `T`. On error, every unknown
/// key and every value of the wrong type is reported, not only the first.
pub fn parse<T: Matter>(source: &Source) -> Result<T, Vec<Diagnostic>> {
    // Most files hold only their kind's keys: one parse, nothing kept.
    let first = match parse_all::<T>(source) {
        Ok(fm) => return Ok(fm),
        Err(first) => first,
    };
    let kept = kept::<T>(source).unwrap_or_default();
    let first = if kept.keys.is_empty() {
        first
    } else {
        // The rest without the kept keys (`keys_alone` sets them aside).
        match keys_alone::<T>(source, |_, _| true) {
            Some(Ok(mut fm)) => {
                *fm.kept() = kept;
                return Ok(fm);
            }
            Some(Err(message)) => problem::<T>(source, Pos::new(1, 1), message_without_position(&message)),
            None => first,
        }
    };
    let each = each_key::<T>(source);
    Err(if each.is_empty() { vec![first] } else { each })
}

/// The keys of the front matter that `T` keeps (`is_kept`), with their
/// values as JSON (TOML dates as their text); `None` when the text is not
/// a table.
fn kept<T: Matter>(source: &Source) -> Option<Kept> {
    let map = table(source)?;
    let mut kept = Kept::default();
    let mut merged = Vec::new();
    for (key, value) in map {
        if !is_kept::<T>(&key) && !numbered(&key, value.is_number()) {
            continue;
        }
        kept.keys.push(key.clone());
        match value {
            serde_json::Value::Object(table) if key == "extra" => kept.extra.extend(table),
            value => merged.push((key, value)),
        }
    }
    for (key, value) in merged {
        kept.extra.entry(key).or_insert(value);
    }
    Some(kept)
}

/// The front matter as a JSON object, TOML dates as their text.
fn table(source: &Source) -> Option<serde_json::Map<String, serde_json::Value>> {
    let text = source.front_matter();
    match source.syntax {
        Syntax::Toml => match toml_to_json(toml::Value::Table(toml::from_str::<toml::Table>(text).ok()?)) {
            serde_json::Value::Object(map) => Some(map),
            _ => None,
        },
        Syntax::Yaml if text.trim().is_empty() => Some(serde_json::Map::new()),
        Syntax::Yaml => serde_saphyr::from_str_with_options(text, yaml_options()).ok(),
        Syntax::Json => serde_json::from_str(text).ok(),
    }
}

fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => J::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

/// The whole front matter at once: the parser stops at the first problem.
fn parse_all<T: Matter>(source: &Source) -> Result<T, Diagnostic> {
    let text = source.front_matter();
    match source.syntax {
        Syntax::Toml => toml::from_str(text).map_err(|e| {
            let pos = e.span().map_or(Pos::new(1, 1), |s| source.front_pos(s.start));
            problem::<T>(source, pos, e.message())
        }),
        Syntax::Yaml => {
            if text.trim().is_empty() {
                return Ok(T::default());
            }
            serde_saphyr::from_str_with_options(text, yaml_options()).map_err(|e| {
                let pos = e.location().map_or(Pos::new(1, 1), |l| {
                    let p = source.front_pos(0);
                    Pos::new(p.line + l.line() as usize - 1, l.column() as usize)
                });
                problem::<T>(source, pos, &yaml_message(message_without_position(&e.to_string())))
            })
        }
        Syntax::Json => serde_json::from_str(text).map_err(|e| {
            let p = source.front_pos(0);
            let pos =
                Pos::new(p.line + e.line().max(1) - 1, if e.line() > 1 { e.column() } else { p.column + e.column() });
            problem::<T>(source, pos, &json_message(&e))
        }),
    }
}

/// serde_json's message without the position it appends (` at line 3
/// column 5`): the problem carries the position.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The front matter made of the keys that are fine on their own, and the
/// names of the others, when the text parses as a table: what the loader
/// checks further, so that a file's other problems (a date off the
/// calendar, a missing title) are reported with its first.
pub fn readable_keys<T: Matter>(source: &Source) -> Option<(T, Vec<String>)> {
    let mut bad = Vec::new();
    let good = keys_alone::<T>(source, |key, result| {
        let ok = result.is_ok();
        if !ok {
            bad.push(key.to_owned());
        }
        ok
    })?;
    Some((good.ok()?, bad))
}

/// The problems of each key on its own (empty when the text does not parse
/// as a table at all: then the first problem is all there is).
fn each_key<T: Matter>(source: &Source) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    keys_alone::<T>(source, |key, result| {
        if let Err(message) = result {
            let pos = source.value_pos(key);
            let found = problem::<T>(source, pos, message_without_position(&message));
            problems.push(if found.code == Code::WrongType { wrong_type(source, key, pos) } else { found });
        }
        false
    });
    problems
}

/// Reads each key of the front matter alone as a `T` and shows `keep` the
/// outcome; then reads the keys `keep` kept together. `None` when the text
/// is not a table.
fn keys_alone<T: Matter>(
    source: &Source,
    mut keep: impl FnMut(&str, Result<T, String>) -> bool,
) -> Option<Result<T, String>> {
    let text = source.front_matter();
    match source.syntax {
        Syntax::Toml => {
            let table = toml::from_str::<toml::Table>(text).ok()?;
            let good: toml::Table = table
                .into_iter()
                .filter(|(key, value)| !is_kept::<T>(key) && !numbered(key, value.is_integer() || value.is_float()))
                .filter(|(key, value)| {
                    let one = toml::Table::from_iter([(key.clone(), value.clone())]);
                    keep(key, one.try_into().map_err(|e: toml::de::Error| e.message().to_owned()))
                })
                .collect();
            Some(good.try_into().map_err(|e: toml::de::Error| e.message().to_owned()))
        }
        Syntax::Yaml | Syntax::Json => {
            type Map = serde_json::Map<String, serde_json::Value>;
            let map: Map = match source.syntax {
                Syntax::Json => serde_json::from_str(text).ok()?,
                _ => serde_saphyr::from_str_with_options(text, yaml_options()).ok()?,
            };
            let good: Map = map
                .into_iter()
                .filter(|(key, value)| !is_kept::<T>(key) && !numbered(key, value.is_number()))
                .filter(|(key, value)| {
                    let one = serde_json::Value::Object(Map::from_iter([(key.clone(), value.clone())]));
                    keep(key, serde_json::from_value(one).map_err(|e| e.to_string()))
                })
                .collect();
            Some(serde_json::from_value(serde_json::Value::Object(good)).map_err(|e| e.to_string()))
        }
    }
}

/// YAML 1.2 booleans only: `yes`, `on` and `y` are strings, as the YAML
/// 1.2 core schema reads them (YAML 1.1 took them for `true`).
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! { strict_booleans: true }
}

/// The first line of a parser's message, without the position the YAML
/// parser puts in front (counted from the front matter, not the file).
fn message_without_position(message: &str) -> &str {
    let line = message.lines().next().unwrap_or(message).trim();
    let Some(rest) = line.strip_prefix("error: line ") else { return line };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match rest.split_once(" column ").and_then(|(l, r)| Some((l, r.split_once(": ")?))) {
        Some((l, (c, message))) if digits(l) && digits(c) => message,
        _ => line,
    }
}

/// serde-saphyr's message in the words of a YAML file's writer: its advice
/// on a key given twice names its own API, which no writer can follow.
fn yaml_message(message: &str) -> String {
    match message.strip_suffix(", set DuplicateKeyPolicy in Options if acceptable") {
        Some(rest) => match rest.strip_prefix("duplicate mapping key: ") {
            Some(key) => format!("the key {key} is given twice: keep one"),
            None => "a key is given twice: keep one".to_owned(),
        },
        None => message.to_owned(),
    }
}

/// Sorts a parser message into a problem code, with a hint for unknown keys.
fn problem<T: Matter>(source: &Source, pos: Pos, message: &str) -> Diagnostic {
    if let Some(key) = quoted_after(message, "unknown field") {
        return unknown_key::<T>(source, &key);
    }
    if message.contains("invalid date") || message.contains("invalid time") || message.contains("invalid offset") {
        return Diagnostic::new(Code::BadDate, &source.path, pos, message.trim())
            .with_hint(crate::content::date::ACCEPTED_FORMS);
    }
    if message.contains("invalid type") {
        return Diagnostic::new(Code::WrongType, &source.path, pos, message.trim());
    }
    if let Some(key) = quoted_after(message, "duplicate") {
        return Diagnostic::new(Code::FrontMatterSyntax, &source.path, pos, format!("key \"{key}\" is set twice"));
    }
    Diagnostic::new(Code::FrontMatterSyntax, &source.path, pos, message.trim())
}

/// A value of the wrong type for `key`, said plainly with an example in
/// the file's own syntax (not serde's "invalid type: …, expected …").
fn wrong_type(source: &Source, key: &str, pos: Pos) -> Diagnostic {
    let (what, example) = match key {
        "tags" => ("a list of strings", "[\"moon\", \"mars\"]"),
        "authors" | "author" => ("a list of strings", "[\"Ada Lovelace\"]"),
        "categories" | "category" => ("a list of strings", "[\"news\"]"),
        "aliases" | "redirect_from" => ("a list of strings", "[\"/old/address/\"]"),
        "draft" => ("true or false, without quotes", "true"),
        "date" | "updated" => ("a date", "2021-12-02"),
        _ => ("a string", "\"…\""),
    };
    let what = match key {
        "tags" | "categories" => format!("{what} (or one string of names separated by blanks)"),
        _ => what.to_owned(),
    };
    Diagnostic::new(Code::WrongType, &source.path, pos, format!("{key} must be {what}"))
        .with_hint(format!("e.g. {}", source.example(key, example)))
}

/// `key` is not one that `T` takes: a key of another kind of file is named
/// as such, any other gets the nearest of `T`'s keys as a hint.
fn unknown_key<T: Matter>(source: &Source, key: &str) -> Diagnostic {
    let pos = source.key_pos(key);
    let kinds = [ItemMatter::keys(), PublicationMatter::keys(), PageMatter::keys()];
    if GENERATOR_KEYS.contains(&key) || !kinds.iter().any(|keys| keys.contains(&key)) {
        return crate::toml_file::unknown_key(&source.path, pos, key, T::keys());
    }
    Diagnostic::new(Code::UnknownKey, &source.path, pos, format!("unknown key \"{key}\" for {}", T::WHAT))
        .with_hint(format!("{} takes {}", T::WHAT, T::keys().join(", ")))
}

/// The first `…` or "…" quoted word after `marker` in a serde message.
fn quoted_after(message: &str, marker: &str) -> Option<String> {
    let rest = &message[message.find(marker)? + marker.len()..];
    let start = rest.find(['`', '"'])?;
    let quote = rest[start..].chars().next()?;
    let rest = &rest[start + 1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read<T: Matter>(text: &str) -> Result<T, Diagnostic> {
        parse(&Source::parse(Path::new("a.md"), text.as_bytes().to_vec()).unwrap()).map_err(|mut v| v.remove(0))
    }

    fn read_item(text: &str) -> Result<ItemMatter, Diagnostic> {
        read(text)
    }

    fn problems(text: &str) -> Vec<(Code, usize, usize)> {
        let source = Source::parse(Path::new("a.md"), text.as_bytes().to_vec()).unwrap();
        let mut found: Vec<_> =
            parse::<ItemMatter>(&source).unwrap_err().iter().map(|d| (d.code, d.line, d.column)).collect();
        found.sort();
        found
    }

    #[test]
    fn every_unknown_key_and_wrong_type_is_reported() {
        for text in [
            "+++\ntilte = \"A\"\ndate = 2021-12-02\nsummry = 3\ndraft = \"yes\"\ntags = true\n+++\n",
            "---\ntilte: A\ndate: 2021-12-02\nsummry: 3\ndraft: \"yes\"\ntags: true\n---\n",
        ] {
            let found = problems(text);
            let expected = if text.starts_with('+') {
                vec![
                    (Code::UnknownKey, 2, 1),
                    (Code::UnknownKey, 4, 1),
                    (Code::WrongType, 5, 9),
                    (Code::WrongType, 6, 8),
                ]
            } else {
                vec![
                    (Code::UnknownKey, 2, 1),
                    (Code::UnknownKey, 4, 1),
                    (Code::WrongType, 5, 8),
                    (Code::WrongType, 6, 7),
                ]
            };
            assert_eq!(found, expected, "{text}");
        }
    }

    #[test]
    fn one_string_is_a_list_of_one() {
        for text in [
            "---\ntitle: A\nauthor: parkr\ncategories: jekyll update\ncategory: Release Notes\ntags: moon\n---\n",
            "+++\ntitle = \"A\"\nauthor = \"parkr\"\ncategories = \"jekyll update\"\ncategory = \"Release Notes\"\ntags = \"moon\"\n+++\n",
        ] {
            let fm = read_item(text).unwrap();
            assert_eq!(fm.author.unwrap().into_list(false), ["parkr"]);
            assert_eq!(fm.categories.unwrap().into_list(true), ["jekyll", "update"]);
            assert_eq!(fm.category.unwrap().into_list(false), ["Release Notes"]);
            assert_eq!(fm.tags.unwrap().into_list(false), ["moon"]);
        }
        let fm = read_item("---\ntitle: A\ncategories: [a b, c]\n---\n").unwrap();
        assert_eq!(fm.categories.unwrap().into_list(true), ["a b", "c"]);
    }

    #[test]
    fn wrong_types_are_said_plainly_in_the_files_syntax() {
        for (text, hint) in [
            ("+++\ntitle = \"A\"\ntags = true\n+++\n", "e.g. tags = [\"moon\", \"mars\"]"),
            ("---\ntitle: A\ntags: {a: 1}\n---\n", "e.g. tags: [moon, mars]"),
        ] {
            let d = read_item(text).unwrap_err();
            assert_eq!((d.code, d.line), (Code::WrongType, 3), "{d}");
            assert_eq!(d.message, "tags must be a list of strings (or one string of names separated by blanks)");
            assert_eq!(d.hint.as_deref(), Some(hint));
        }
        let d = read_item("---\ntitle: A\ndraft: \"yes\"\n---\n").unwrap_err();
        assert_eq!(
            (d.message.as_str(), d.hint.as_deref()),
            ("draft must be true or false, without quotes", Some("e.g. draft: true"))
        );
        let d = read_item("---\ntitle: [A]\n---\n").unwrap_err();
        assert_eq!((d.message.as_str(), d.hint.as_deref()), ("title must be a string", Some("e.g. title: …")));
    }

    #[test]
    fn a_yaml_key_given_twice_is_said_in_a_writers_words() {
        let said = yaml_message("duplicate mapping key: title, set DuplicateKeyPolicy in Options if acceptable");
        assert_eq!(said, "the key title is given twice: keep one");
        assert_eq!(yaml_message("something else"), "something else");
    }

    #[test]
    fn yaml_messages_do_not_count_lines_from_the_front_matter() {
        assert_eq!(message_without_position("error: line 1 column 8: unexpected character"), "unexpected character");
        assert_eq!(message_without_position("invalid type: string \"yes\"\nmore"), "invalid type: string \"yes\"");
    }

    #[test]
    fn reads_toml_dates_as_text() {
        let fm = read_item("+++\ntitle = \"A\"\ndate = 2021-12-02\nupdated = \"2021-12-03T10:00:00Z\"\n+++\n").unwrap();
        assert_eq!(fm.date, Some(DateInput("2021-12-02".into())));
        assert_eq!(fm.updated, Some(DateInput("2021-12-03T10:00:00Z".into())));
    }

    #[test]
    fn reads_yaml() {
        let fm = read_item("---\ntitle: A\ndate: 2021-12-02\ntags: [moon, mars]\n---\n").unwrap();
        assert_eq!(fm.title.as_ref().map(|t| t.0.as_str()), Some("A"));
        assert_eq!(fm.date, Some(DateInput("2021-12-02".into())));
        assert_eq!(fm.tags.unwrap().into_list(true), ["moon", "mars"]);
    }

    #[test]
    fn unknown_keys_point_at_their_line_with_a_hint() {
        for text in ["+++\ntitle = \"A\"\ntilte = \"B\"\n+++\n", "---\ntitle: A\ntilte: B\n---\n"] {
            let d = read_item(text).unwrap_err();
            assert_eq!(d.code, Code::UnknownKey, "{d}");
            assert_eq!(d.line, 3, "{d}");
            assert_eq!(d.hint.as_deref(), Some("did you mean \"title\"?"));
        }
    }

    #[test]
    fn draft_takes_booleans_only() {
        for text in [
            "+++\ntitle = \"A\"\ndraft = \"true\"\n+++\n",
            "---\ntitle: A\ndraft: \"true\"\n---\n",
            "---\ntitle: A\ndraft: \"yes\"\n---\n",
            "---\ntitle: A\ndraft: yes\n---\n",
        ] {
            let d = read_item(text).map(|fm| fm.draft).expect_err(text);
            assert_eq!((d.code, d.line), (Code::WrongType, 3), "{text}: {d}");
        }
        assert_eq!(read_item("---\ntitle: A\ndraft: true\n---\n").unwrap().draft, Some(StrictBool(true)));
        assert_eq!(read_item("+++\ntitle = \"A\"\ndraft = false\n+++\n").unwrap().draft, Some(StrictBool(false)));
    }

    #[test]
    fn wrong_types_and_syntax_errors_have_lines() {
        let d = read_item("+++\ntitle = \"A\"\ndraft = \"yes\"\n+++\n").unwrap_err();
        assert_eq!((d.code, d.line), (Code::WrongType, 3), "{d}");
        let d = read_item("+++\ntitle = \"A\"\ntags = [\n+++\n").unwrap_err();
        assert_eq!(d.code, Code::FrontMatterSyntax, "{d}");
        assert!(d.line >= 3, "{d}");
    }

    #[test]
    fn each_kind_takes_its_own_keys() {
        let news = "+++\ntitle = \"A\"\nfile = \"a.pdf\"\n+++\n";
        let d = read::<ItemMatter>(news).unwrap_err();
        assert_eq!((d.code, d.line), (Code::UnknownKey, 3), "{d}");
        assert_eq!(d.message, "unknown key \"file\" for a news item");
        assert!(d.hint.as_deref().unwrap().starts_with("a news item takes title, date,"), "{d}");
        assert_eq!(read::<PublicationMatter>(news).unwrap().file.as_deref(), Some("a.pdf"));

        let page = "---\ntitle: About\ndate: 2021-12-02\n---\n";
        let d = read::<PageMatter>(page).unwrap_err();
        assert_eq!(d.message, "unknown key \"date\" for a page");
        assert_eq!(d.hint.as_deref(), Some("a page takes title, updated, slug"));
        assert_eq!(read::<ItemMatter>(page).unwrap().title.map(|t| t.0).as_deref(), Some("About"));
    }

    #[test]
    fn a_publication_splits_into_its_item_and_its_pdf() {
        let fm: PublicationMatter = read("+++\ntitle = \"A\"\nfile = \"a.pdf\"\nkind = \"report\"\n+++\n").unwrap();
        let (item, pdf) = fm.split();
        assert_eq!(item.title.as_ref().map(|t| t.0.as_str()), Some("A"));
        assert_eq!((pdf.file.as_deref(), pdf.kind.as_deref()), (Some("a.pdf"), Some("report")));
        assert_eq!(PublicationMatter::keys().len(), ItemMatter::keys().len() + 4);
    }
}
