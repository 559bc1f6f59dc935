//! Feed definitions: one TOML file per feed in `feeds/`. Adding a feed is
//! adding a file; its name (the file stem) is the folder its formats are
//! written to, unless `path` names another folder or `files` puts a format
//! at a file of its own (`FeedDef::document`). The definitions say what goes in a feed; the code selects and
//! orders the items, the item template shapes their content.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::{Item, Section, Store};
use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::{keys, toml_file};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    pub const NAMES: &[&str] = &["rss", "atom", "json"];

    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "rss" => Some(Format::Rss),
            "atom" => Some(Format::Atom),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// How people call the format.
    pub fn label(self) -> &'static str {
        match self {
            Format::Rss => "RSS 2.0",
            Format::Atom => "Atom 1.0",
            Format::Json => "JSON Feed 1.1",
        }
    }

    /// The media type a server sends it with, and autodiscovery names.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml",
            Format::Atom => "application/atom+xml",
            Format::Json => "application/feed+json",
        }
    }

    /// The file each format is written to, inside the feed's folder.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Rss => "rss.xml",
            Format::Atom => "atom.xml",
            Format::Json => "feed.json",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FeedDef {
    /// The file stem: `news` for `feeds/news.toml`.
    pub name: String,
    /// The feed's folder under the output, one entry per segment: `path`
    /// in the definition (`feed`, `feeds/news`), else the name. A site
    /// keeps the feed URLs its subscribers already follow.
    pub path: Vec<String>,
    pub title: String,
    pub description: String,
    pub section: Section,
    /// When not empty, only items with at least one of these tags.
    pub tags: Vec<String>,
    pub limit: usize,
    pub formats: Vec<Format>,
    /// RFC 5005 archive documents beside the subscription feed (default on;
    /// `archive = false` turns them off).
    pub archive: bool,
    /// Where a format's subscription document is written instead of
    /// `<path>/<file name>` (`files`), relative to the output's top, one
    /// entry per segment: `/index.xml` (Hugo), `/feed.xml` (jekyll-feed),
    /// `/atom.xml` (Zola) kept where the old site had them.
    pub files: BTreeMap<Format, Vec<String>>,
    /// Where each of `files` is written in the definition, for problems.
    pub files_pos: BTreeMap<Format, Pos>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: String,
    description: String,
    section: String,
    #[serde(default)]
    tags: Vec<String>,
    limit: Option<usize>,
    formats: Vec<String>,
    archive: Option<bool>,
    path: Option<String>,
    files: Option<RawFiles>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFiles {
    rss: Option<String>,
    atom: Option<String>,
    json: Option<String>,
}

pub const DEFAULT_LIMIT: usize = 50;

impl FeedDef {
    /// Reads every `*.toml` of `dir`, in name order.
    pub fn load_all(dir: &Path) -> Result<Vec<FeedDef>, Vec<Diagnostic>> {
        let entries = fs::read_dir(dir).map_err(|e| {
            vec![Diagnostic::new(Code::Io, dir, Pos::FILE, format!("cannot read the feed definitions: {e}"))]
        })?;
        let mut paths: Vec<PathBuf> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| vec![Diagnostic::new(Code::Io, dir, Pos::FILE, e.to_string())])?;
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml") {
                paths.push(path);
            }
        }
        paths.sort();
        let mut defs = Vec::new();
        let mut problems = Vec::new();
        for path in paths {
            let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            let text = match crate::content::regular::read_to_string(&path) {
                Ok(text) => text,
                Err(e) => {
                    problems.push(Diagnostic::new(Code::Io, &path, Pos::FILE, format!("cannot read: {e}")));
                    continue;
                }
            };
            match FeedDef::parse(&path, name, &text) {
                Ok(def) => defs.push(def),
                Err(mut ds) => problems.append(&mut ds),
            }
        }
        if problems.is_empty() { Ok(defs) } else { Err(problems) }
    }

    pub fn parse(path: &Path, name: String, text: &str) -> Result<FeedDef, Vec<Diagnostic>> {
        let keys = [keys::of::<Raw>(), keys::of::<RawFiles>()].concat();
        let raw: Raw = toml::from_str(text).map_err(|e| vec![toml_file::problem(path, text, &e, &keys)])?;
        let line_of = |key: &str| toml_file::key_pos(text, key);
        let mut problems = Vec::new();
        if name.is_empty() || name.starts_with('.') || !name.chars().all(|c| c.is_alphanumeric() || "-_".contains(c)) {
            problems.push(
                Diagnostic::new(Code::BadValue, path, Pos::FILE, format!("feed name {name:?} cannot be a folder name"))
                    .with_hint("name feed files with letters, digits, - and _"),
            );
        }
        // The title, description and tags reach the feeds: XML 1.0 must be able to carry them.
        let texts = [("title", &raw.title), ("description", &raw.description)];
        for (key, value) in texts.into_iter().chain(raw.tags.iter().map(|t| ("tags", t))) {
            if let Some((_, c)) = crate::xml_chars::first_forbidden(value) {
                problems.push(
                    Diagnostic::new(
                        Code::ForbiddenChar,
                        path,
                        line_of(key),
                        format!("{key} contains the control character U+{:04X}, which XML forbids", c as u32),
                    )
                    .with_hint("delete it; it is often pasted in invisibly from another program"),
                );
            }
        }
        let section = Section::from_dir(&raw.section);
        if section.is_none() {
            problems.push(
                Diagnostic::new(
                    Code::UnknownSection,
                    path,
                    line_of("section"),
                    format!("unknown section {:?}", raw.section),
                )
                .with_hint("sections: news, publications"),
            );
        }
        let mut formats = Vec::new();
        for name in &raw.formats {
            match Format::parse(name) {
                Some(f) if !formats.contains(&f) => formats.push(f),
                Some(_) => {}
                None => problems.push(
                    Diagnostic::new(Code::UnknownFormat, path, line_of("formats"), format!("unknown format {name:?}"))
                        .with_hint("formats: rss, atom, json"),
                ),
            }
        }
        if raw.formats.is_empty() {
            problems.push(Diagnostic::new(Code::MissingField, path, line_of("formats"), "formats is empty"));
        }
        if raw.limit == Some(0) {
            problems.push(Diagnostic::new(Code::BadValue, path, line_of("limit"), "limit must be at least 1"));
        }
        let folder = feed_folder(raw.path.as_deref(), &name, path, line_of("path"), &mut problems);
        let (files, files_pos) = feed_files(raw.files.as_ref(), &formats, path, text, &mut problems);
        formats.sort();
        match section {
            Some(section) if problems.is_empty() => Ok(FeedDef {
                name,
                path: folder,
                title: raw.title,
                description: raw.description,
                section,
                tags: raw.tags,
                limit: raw.limit.unwrap_or(DEFAULT_LIMIT),
                archive: raw.archive.unwrap_or(true),
                formats,
                files,
                files_pos,
            }),
            _ => Err(problems),
        }
    }

    /// The feed's folder under the output, `/`-separated.
    pub fn folder(&self) -> String {
        self.path.join("/")
    }

    /// The feed's folder as URL path segments.
    pub fn segments(&self) -> Vec<&str> {
        self.path.iter().map(String::as_str).collect()
    }

    /// Where the feed's document in `format` lives under the output, one
    /// entry per segment: the subscription document (`period` none) at its
    /// `files` entry, else `<path>/<file name>`; the archive document of
    /// `period` at `<path>/archive/<period>/<file name>`, whatever `files`
    /// says. The one home of this rule: the plan, the feeds' own and
    /// history links, their page and the lists of feeds all ask here.
    pub fn document(&self, format: Format, period: Option<&str>) -> Vec<String> {
        let folder = self.path.iter().cloned();
        match period {
            Some(period) => folder.chain(["archive", period, format.file_name()].map(str::to_owned)).collect(),
            None => match self.files.get(&format) {
                Some(file) => file.clone(),
                None => folder.chain([format.file_name().to_owned()]).collect(),
            },
        }
    }

    /// The URL of `document(format, period)`.
    pub fn url(&self, base: &crate::url::BaseUrl, format: Format, period: Option<&str>) -> String {
        let segments = self.document(format, period);
        base.join(&segments.iter().map(String::as_str).collect::<Vec<_>>(), false)
    }

    /// Every item of the feed's section that passes its tag filter, newest
    /// first: the subscription feed holds the first `limit`, the archive
    /// documents all of them.
    pub fn items<'s>(&self, store: &'s Store) -> Vec<&'s Item> {
        store
            .section(self.section)
            .iter()
            .filter(|item| self.tags.is_empty() || item.tags.iter().any(|t| self.tags.contains(t)))
            .collect()
    }
}

/// The feed's folder: its `path`, checked, else its name.
fn feed_folder(given: Option<&str>, name: &str, path: &Path, pos: Pos, problems: &mut Vec<Diagnostic>) -> Vec<String> {
    match given.map(folder_segments) {
        None => vec![name.to_owned()],
        Some(Ok(segments)) => segments,
        Some(Err(why)) => {
            let value = given.unwrap_or_default();
            problems.push(
                Diagnostic::new(Code::BadValue, path, pos, format!("path {value:?} {why}"))
                    .with_hint("a folder under the output, such as \"feed\" or \"feeds/news\""),
            );
            Vec::new()
        }
    }
}

/// The `files` table: each path checked (an `OutPath`, not in `archive/`,
/// for a format the feed has); the formats it does not name keep their
/// place in the feed's folder.
fn feed_files(
    raw: Option<&RawFiles>,
    formats: &[Format],
    path: &Path,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> (BTreeMap<Format, Vec<String>>, BTreeMap<Format, Pos>) {
    let (mut files, mut places) = (BTreeMap::new(), BTreeMap::new());
    let Some(raw) = raw else { return (files, places) };
    for (format, value) in [(Format::Rss, &raw.rss), (Format::Atom, &raw.atom), (Format::Json, &raw.json)] {
        let Some(value) = value else { continue };
        let key = Format::NAMES[format as usize];
        // `rss = …` on a line of its own (a `[files]` table), else `files = { … }`.
        let pos = match text
            .lines()
            .any(|l| l.trim_start().strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')))
        {
            true => toml_file::key_pos(text, key),
            false => toml_file::key_pos(text, "files"),
        };
        let why = match crate::out_path::OutPath::parse(value) {
            _ if value.contains('\\') => Some("is not a relative file path".to_owned()),
            Err(why) => Some(format!("is not a file under the output: {why}")),
            Ok(file) if file.segments().next() == Some("archive") => {
                Some("is inside archive/, the bundles' folder".into())
            }
            Ok(_) if !formats.contains(&format) => Some(format!("is for {key}, which formats does not list")),
            Ok(file) => {
                files.insert(format, file.segments().map(str::to_owned).collect());
                places.insert(format, pos);
                None
            }
        };
        if let Some(why) = why {
            problems.push(
                Diagnostic::new(Code::BadValue, path, pos, format!("files.{key} {value:?} {why}"))
                    .with_hint("a file under the output, from its top, such as \"index.xml\" or \"feed.xml\""),
            );
        }
    }
    (files, places)
}

/// The segments of a feed's `path`, or why it is not a folder under the
/// output (the rules of every output path: `OutPath`).
fn folder_segments(path: &str) -> Result<Vec<String>, String> {
    let trimmed = path.trim_end_matches('/');
    if trimmed.contains('\\') {
        return Err("is not a relative folder path".into());
    }
    let folder =
        crate::out_path::OutPath::parse(trimmed).map_err(|why| format!("is not a folder under the output: {why}"))?;
    if folder.segments().next() == Some("archive") {
        return Err("is inside archive/, the bundles' folder".into());
    }
    Ok(folder.segments().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_definition() {
        let def = FeedDef::parse(
            Path::new("feeds/lunar.toml"),
            "lunar".into(),
            "title = \"Lunar\"\ndescription = \"D\"\nsection = \"news\"\ntags = [\"moon\"]\nformats = [\"json\", \"rss\"]\n",
        )
        .unwrap();
        assert_eq!(def.section, Section::News);
        assert_eq!(def.limit, DEFAULT_LIMIT);
        assert_eq!(def.formats, vec![Format::Rss, Format::Json]);
    }

    #[test]
    fn places_each_document() {
        let text = "title = \"N\"\ndescription = \"D\"\nsection = \"news\"\nformats = [\"rss\", \"atom\", \"json\"]\n";
        let def = FeedDef::parse(Path::new("feeds/news.toml"), "news".into(), text).unwrap();
        assert_eq!(def.document(Format::Rss, None), ["news", "rss.xml"]);
        let text = format!("{text}path = \"blog\"\nfiles = {{ rss = \"index.xml\", atom = \"feeds/feed.xml\" }}\n");
        let def = FeedDef::parse(Path::new("feeds/news.toml"), "news".into(), &text).unwrap();
        assert_eq!(def.document(Format::Rss, None), ["index.xml"]);
        assert_eq!(def.document(Format::Atom, None), ["feeds", "feed.xml"]);
        assert_eq!(def.document(Format::Json, None), ["blog", "feed.json"]);
        // The archive documents stay in the feed's folder.
        assert_eq!(def.document(Format::Rss, Some("2024")), ["blog", "archive", "2024", "rss.xml"]);
        let base = crate::url::BaseUrl::parse("https://example.org/").unwrap();
        assert_eq!(def.url(&base, Format::Rss, None), "https://example.org/index.xml");
    }

    #[test]
    fn refuses_files_that_are_not_files_under_the_output() {
        let text = "title = \"N\"\ndescription = \"D\"\nsection = \"news\"\nformats = [\"rss\", \"atom\"]\n";
        for (files, line, says) in [
            ("files = { rss = \"/index.xml\" }", 5, "absolute"),
            ("files = { atom = \"../feed.xml\" }", 5, "`..`"),
            ("files = { rss = \"archive/feed.xml\" }", 5, "archive/"),
            ("files = { json = \"feed.json\" }", 5, "formats does not list"),
            ("[files]\nrss = \"a//b.xml\"", 6, "empty segment"),
        ] {
            let problems =
                FeedDef::parse(Path::new("feeds/n.toml"), "n".into(), &format!("{text}{files}\n")).unwrap_err();
            let found: Vec<_> = problems.iter().map(|d| (d.code, d.line)).collect();
            assert_eq!(found, vec![(Code::BadValue, line)], "{files}");
            assert!(problems[0].message.contains(says), "{files}: {}", problems[0].message);
        }
        let problems =
            FeedDef::parse(Path::new("feeds/n.toml"), "n".into(), &format!("{text}files = {{ rdf = \"x\" }}\n"))
                .unwrap_err();
        assert_eq!(problems[0].code, Code::UnknownKey);
    }

    #[test]
    fn names_unknown_sections_and_formats() {
        let problems = FeedDef::parse(
            Path::new("feeds/x.toml"),
            "x".into(),
            "title = \"X\"\ndescription = \"D\"\nsection = \"blog\"\nformats = [\"rss\", \"rdf\"]\n",
        )
        .unwrap_err();
        let found: Vec<_> = problems.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(found, vec![(Code::UnknownSection, 3), (Code::UnknownFormat, 4)]);
    }

    #[test]
    fn names_control_characters_that_would_reach_a_feed() {
        let problems = FeedDef::parse(
            Path::new("feeds/x.toml"),
            "x".into(),
            "title = \"X\\u0007\"\ndescription = \"D\"\nsection = \"news\"\ntags = [\"a\\u0000\"]\nformats = [\"rss\"]\n",
        )
        .unwrap_err();
        let found: Vec<_> = problems.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(found, vec![(Code::ForbiddenChar, 1), (Code::ForbiddenChar, 4)]);
    }
}
