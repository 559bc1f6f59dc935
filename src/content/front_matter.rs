//! The keys an editor may write at the top of a Markdown file, and how their
//! parse errors become problems with a line number. One struct serves every
//! section; the loader rejects the keys a section does not take.

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::source::{Source, Syntax};
use crate::diagnostic::{Code, Diagnostic, Pos};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<DateInput>,
    pub updated: Option<DateInput>,
    pub summary: Option<String>,
    pub tags: Option<Vec<String>>,
    pub authors: Option<Vec<String>>,
    pub draft: Option<StrictBool>,
    pub slug: Option<String>,
    pub id: Option<String>,
    pub file: Option<String>,
    pub kind: Option<String>,
    pub edition: Option<String>,
    pub language: Option<String>,
    /// The item's page where the site serves it, overriding `[urls]`: an
    /// absolute `https://…` URL, or a path on the site (`/2019/05/a/`).
    pub url: Option<String>,
}

/// Every key, for "did you mean" hints.
pub const KEYS: &[&str] = &[
    "title", "date", "updated", "summary", "tags", "authors", "draft", "slug", "id", "file", "kind", "edition",
    "language", "url",
];

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

impl FrontMatter {
    /// Parses the front matter of `source`. On error, every unknown key and
    /// every value of the wrong type is reported, not only the first.
    pub fn parse(source: &Source) -> Result<FrontMatter, Vec<Diagnostic>> {
        FrontMatter::parse_all(source).map_err(|first| {
            let each = FrontMatter::each_key(source);
            if each.is_empty() { vec![first] } else { each }
        })
    }

    /// The whole front matter at once: the parser stops at the first problem.
    fn parse_all(source: &Source) -> Result<FrontMatter, Diagnostic> {
        let text = source.front_matter();
        match source.syntax {
            Syntax::Toml => toml::from_str(text).map_err(|e| {
                let pos = e.span().map_or(Pos::new(1, 1), |s| source.front_pos(s.start));
                problem(source, pos, e.message())
            }),
            Syntax::Yaml => {
                if text.trim().is_empty() {
                    return Ok(FrontMatter::default());
                }
                serde_saphyr::from_str_with_options(text, yaml_options()).map_err(|e| {
                    let pos = e.location().map_or(Pos::new(1, 1), |l| {
                        let p = source.front_pos(0);
                        Pos::new(p.line + l.line() as usize - 1, l.column() as usize)
                    });
                    problem(source, pos, first_line(&e.to_string()))
                })
            }
        }
    }
}

impl FrontMatter {
    /// The front matter made of the keys that are fine on their own, and
    /// the names of the others, when the text parses as a table: what the
    /// loader checks further, so that a file's other problems (a date off
    /// the calendar, a missing title) are reported with its first.
    pub fn readable_keys(source: &Source) -> Option<(FrontMatter, Vec<String>)> {
        let text = source.front_matter();
        let mut bad = Vec::new();
        let fm = match source.syntax {
            Syntax::Toml => {
                let table = toml::from_str::<toml::Table>(text).ok()?;
                let good: toml::Table = table
                    .into_iter()
                    .filter(|(key, value)| {
                        let one = toml::Table::from_iter([(key.clone(), value.clone())]);
                        let ok = one.try_into::<FrontMatter>().is_ok();
                        if !ok {
                            bad.push(key.clone());
                        }
                        ok
                    })
                    .collect();
                good.try_into().ok()?
            }
            Syntax::Yaml => {
                let map: serde_json::Map<String, serde_json::Value> =
                    serde_saphyr::from_str_with_options(text, yaml_options()).ok()?;
                let good: serde_json::Map<String, serde_json::Value> = map
                    .into_iter()
                    .filter(|(key, value)| {
                        let one = serde_json::Map::from_iter([(key.clone(), value.clone())]);
                        let ok = serde_json::from_value::<FrontMatter>(serde_json::Value::Object(one)).is_ok();
                        if !ok {
                            bad.push(key.clone());
                        }
                        ok
                    })
                    .collect();
                serde_json::from_value(serde_json::Value::Object(good)).ok()?
            }
        };
        Some((fm, bad))
    }

    /// The problems of each key on its own (empty when the text does not
    /// parse as a table at all: then the first problem is all there is).
    fn each_key(source: &Source) -> Vec<Diagnostic> {
        let text = source.front_matter();
        let mut problems = Vec::new();
        let mut check = |key: &str, result: Result<FrontMatter, String>| {
            if let Err(message) = result {
                problems.push(problem(source, source.value_pos(key), first_line(&message)));
            }
        };
        match source.syntax {
            Syntax::Toml => {
                let Ok(table) = toml::from_str::<toml::Table>(text) else { return Vec::new() };
                for (key, value) in table {
                    let one = toml::Table::from_iter([(key.clone(), value)]);
                    check(&key, one.try_into().map_err(|e: toml::de::Error| e.message().to_owned()));
                }
            }
            Syntax::Yaml => {
                let Ok(map) = serde_saphyr::from_str_with_options::<serde_json::Map<String, serde_json::Value>>(
                    text,
                    yaml_options(),
                ) else {
                    return Vec::new();
                };
                for (key, value) in map {
                    let one = serde_json::Map::from_iter([(key.clone(), value)]);
                    check(&key, serde_json::from_value(serde_json::Value::Object(one)).map_err(|e| e.to_string()));
                }
            }
        }
        problems
    }
}

/// YAML 1.2 booleans only: `yes`, `on` and `y` are strings, as the YAML
/// 1.2 core schema reads them (YAML 1.1 took them for `true`).
fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! { strict_booleans: true }
}

/// The first line of a parser's message, without the position the YAML
/// parser puts in front (counted from the front matter, not the file).
fn first_line(message: &str) -> &str {
    let line = message.lines().next().unwrap_or(message).trim();
    let Some(rest) = line.strip_prefix("error: line ") else { return line };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    match rest.split_once(" column ").and_then(|(l, r)| Some((l, r.split_once(": ")?))) {
        Some((l, (c, message))) if digits(l) && digits(c) => message,
        _ => line,
    }
}

/// Sorts a parser message into a problem code, with a hint for unknown keys.
fn problem(source: &Source, pos: Pos, message: &str) -> Diagnostic {
    if let Some(key) = quoted_after(message, "unknown field") {
        return crate::toml_file::unknown_key(&source.path, source.key_pos(&key), &key, KEYS);
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

/// The first `…` or "…" quoted word after `marker` in a serde message.
fn quoted_after(message: &str, marker: &str) -> Option<String> {
    let rest = &message[message.find(marker)? + marker.len()..];
    let start = rest.find(['`', '"'])?;
    let quote = rest[start..].chars().next()?;
    let rest = &rest[start + 1..];
    let end = rest.find(quote)?;
    Some(rest[..end].to_owned())
}

/// The candidate within edit distance 2 of `word`, for "did you mean" hints.
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // Optimal string alignment: a swap of two neighbours counts as one
    // edit, as typing mistakes go (`tilte` is one edit from `title`).
    candidates.iter().map(|c| (strsim::osa_distance(word, c), *c)).filter(|&(d, _)| d <= 2).min().map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(text: &str) -> Result<FrontMatter, Diagnostic> {
        FrontMatter::parse(&Source::parse(Path::new("a.md"), text.as_bytes().to_vec()).unwrap())
            .map_err(|mut v| v.remove(0))
    }

    fn problems(text: &str) -> Vec<(Code, usize, usize)> {
        let source = Source::parse(Path::new("a.md"), text.as_bytes().to_vec()).unwrap();
        let mut found: Vec<_> =
            FrontMatter::parse(&source).unwrap_err().iter().map(|d| (d.code, d.line, d.column)).collect();
        found.sort();
        found
    }

    #[test]
    fn every_unknown_key_and_wrong_type_is_reported() {
        for text in [
            "+++\ntilte = \"A\"\ndate = 2021-12-02\ncolour = 3\ndraft = \"yes\"\ntags = \"moon\"\n+++\n",
            "---\ntilte: A\ndate: 2021-12-02\ncolour: 3\ndraft: \"yes\"\ntags: moon\n---\n",
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
    fn yaml_messages_do_not_count_lines_from_the_front_matter() {
        assert_eq!(first_line("error: line 1 column 8: unexpected character"), "unexpected character");
        assert_eq!(first_line("invalid type: string \"yes\"\nmore"), "invalid type: string \"yes\"");
    }

    #[test]
    fn reads_toml_dates_as_text() {
        let fm = parse("+++\ntitle = \"A\"\ndate = 2021-12-02\nupdated = \"2021-12-03T10:00:00Z\"\n+++\n").unwrap();
        assert_eq!(fm.date, Some(DateInput("2021-12-02".into())));
        assert_eq!(fm.updated, Some(DateInput("2021-12-03T10:00:00Z".into())));
    }

    #[test]
    fn reads_yaml() {
        let fm = parse("---\ntitle: A\ndate: 2021-12-02\ntags: [moon, mars]\n---\n").unwrap();
        assert_eq!(fm.title.as_deref(), Some("A"));
        assert_eq!(fm.date, Some(DateInput("2021-12-02".into())));
        assert_eq!(fm.tags, Some(vec!["moon".into(), "mars".into()]));
    }

    #[test]
    fn unknown_keys_point_at_their_line_with_a_hint() {
        for text in ["+++\ntitle = \"A\"\ntilte = \"B\"\n+++\n", "---\ntitle: A\ntilte: B\n---\n"] {
            let d = parse(text).unwrap_err();
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
            let d = parse(text).map(|fm| fm.draft).expect_err(text);
            assert_eq!((d.code, d.line), (Code::WrongType, 3), "{text}: {d}");
        }
        assert_eq!(parse("---\ntitle: A\ndraft: true\n---\n").unwrap().draft, Some(StrictBool(true)));
        assert_eq!(parse("+++\ntitle = \"A\"\ndraft = false\n+++\n").unwrap().draft, Some(StrictBool(false)));
    }

    #[test]
    fn wrong_types_and_syntax_errors_have_lines() {
        let d = parse("+++\ntitle = \"A\"\ndraft = \"yes\"\n+++\n").unwrap_err();
        assert_eq!((d.code, d.line), (Code::WrongType, 3), "{d}");
        let d = parse("+++\ntitle = \"A\"\ntags = [\n+++\n").unwrap_err();
        assert_eq!(d.code, Code::FrontMatterSyntax, "{d}");
        assert!(d.line >= 3, "{d}");
    }
}
