//! Feed definitions: one TOML file per feed in `feeds/`. Adding a feed is
//! adding a file; its name (the file stem) is the folder its formats are
//! written to, unless `path` names another folder or `files` puts a format
//! at a file of its own (`FeedDef::document`). The definitions say what goes in a feed; the code selects and
//! orders the items, the item template shapes their content.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::content::{Item, Section, SectionDef, SectionPage, Store};
use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::{keys, media_type, toml_file};

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
            Format::Rss => media_type::RSS,
            Format::Atom => media_type::ATOM,
            Format::Json => media_type::JSON_FEED,
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
    /// As given, else from its section's `_index.md`.
    pub title: String,
    pub description: String,
    /// The kind of its sections (one kind per feed).
    pub section: Section,
    /// The sections it selects from (`section` or `sections`), by folder.
    pub sections: Vec<String>,
    /// Each, when not empty, keeps only the items with at least one of its
    /// values; all given must match.
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub authors: Vec<String>,
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
    title: Option<String>,
    description: Option<String>,
    section: Option<String>,
    sections: Option<Vec<String>>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    authors: Vec<String>,
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

/// What the sections a definition names are checked against: the site's
/// sections and their own pages (`_index.md`).
#[derive(Clone, Copy)]
pub struct Sections<'a> {
    pub defs: &'a [SectionDef],
    pub pages: &'a BTreeMap<String, SectionPage>,
}

impl<'a> Sections<'a> {
    pub fn of(store: &'a Store) -> Sections<'a> {
        Sections { defs: &store.site.sections, pages: &store.section_pages }
    }
}

/// No `_index.md`: what `FeedDef::parse` checks against.
#[cfg(test)]
static NO_PAGES: BTreeMap<String, SectionPage> = BTreeMap::new();

impl FeedDef {
    /// Reads every `*.toml` of `dir`, in name order, checked against
    /// `sections`; with none (the store has errors of its own, reported
    /// first), the names of sections and the titles are not checked.
    pub fn load_all(dir: &Path, sections: Option<Sections<'_>>) -> Result<Vec<FeedDef>, Vec<Diagnostic>> {
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
            match FeedDef::parse_in(&path, name, &text, sections) {
                Ok(def) => defs.push(def),
                Err(mut ds) => problems.append(&mut ds),
            }
        }
        if problems.is_empty() { Ok(defs) } else { Err(problems) }
    }

    /// Parses a definition against the two sections every store has,
    /// neither with an `_index.md`.
    #[cfg(test)]
    pub fn parse(path: &Path, name: String, text: &str) -> Result<FeedDef, Vec<Diagnostic>> {
        let defs = crate::content::Site::stand_in().sections;
        FeedDef::parse_in(path, name, text, Some(Sections { defs: &defs, pages: &NO_PAGES }))
    }

    pub fn parse_in(
        path: &Path,
        name: String,
        text: &str,
        known: Option<Sections<'_>>,
    ) -> Result<FeedDef, Vec<Diagnostic>> {
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
        // The title, description and filters reach the feeds (and pages):
        // XML 1.0 must be able to carry them.
        let texts = [("title", &raw.title), ("description", &raw.description)];
        let texts = texts.into_iter().filter_map(|(key, value)| Some((key, value.as_ref()?)));
        let filters = [("tags", &raw.tags), ("categories", &raw.categories), ("authors", &raw.authors)];
        let filters = filters.into_iter().flat_map(|(key, values)| values.iter().map(move |v| (key, v)));
        for (key, value) in texts.chain(filters) {
            if let Some((_, c)) = crate::xml_chars::first_forbidden(value) {
                problems
                    .push(crate::xml_chars::in_setting(path, line_of(key), key, c).with_hint(crate::xml_chars::HINT));
            }
        }
        let selected = select(&raw, known, path, text, &mut problems);
        let (title, description) = titles(&raw, selected.as_ref(), known, path, text, &mut problems);
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
        match selected {
            Some((section, sections)) if problems.is_empty() => Ok(FeedDef {
                name,
                path: folder,
                title,
                description,
                section,
                sections,
                tags: raw.tags,
                categories: raw.categories,
                authors: raw.authors,
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

    /// Every item of the feed's sections that passes its filters, newest
    /// first: the subscription feed holds the first `limit`, the archive
    /// documents all of them.
    pub fn items<'s>(&self, store: &'s Store) -> Vec<&'s Item> {
        store.section(self.section).iter().map(Box::as_ref).filter(|item| self.selects(item)).collect()
    }

    /// Whether `item` is in one of the feed's sections and has one of the
    /// values of each filter given.
    pub fn selects(&self, item: &Item) -> bool {
        let any = |wanted: &[String], has: &[String]| wanted.is_empty() || has.iter().any(|v| wanted.contains(v));
        item.section == self.section
            && self.sections.contains(&item.section_name)
            && any(&self.tags, &item.tags)
            && any(&self.categories, &item.categories)
            && any(&self.authors, &item.authors)
    }

    /// The filters given, as (key, values), for messages.
    pub fn filters(&self) -> Vec<(&'static str, &[String])> {
        [("tags", &self.tags), ("categories", &self.categories), ("authors", &self.authors)]
            .into_iter()
            .filter(|(_, values)| !values.is_empty())
            .map(|(key, values)| (key, values.as_slice()))
            .collect()
    }
}

/// The sections a definition selects (`section`, or `sections`), each
/// known, and their one kind; `None` after a problem. Without `known`, the
/// names are taken as they are.
fn select(
    raw: &Raw,
    known: Option<Sections<'_>>,
    path: &Path,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<(Section, Vec<String>)> {
    let (key, names) = match (&raw.section, &raw.sections) {
        (Some(one), None) => ("section", vec![one.clone()]),
        (None, Some(many)) if !many.is_empty() => ("sections", many.clone()),
        (Some(_), Some(_)) => {
            problems.push(
                Diagnostic::new(
                    Code::BadValue,
                    path,
                    toml_file::key_pos(text, "sections"),
                    "both section and sections are given",
                )
                .with_hint("keep one: section = \"news\", or sections = [\"news\", \"inside-rust\"]"),
            );
            return None;
        }
        (None, _) => {
            // `key_pos` says line 1 for a key not written: where it would go.
            let pos = toml_file::key_pos(text, "sections");
            problems.push(
                Diagnostic::new(Code::MissingField, path, pos, "the feed names no section")
                    .with_hint("add section = \"news\", or sections = [\"news\", \"inside-rust\"]"),
            );
            return None;
        }
    };
    let mut names_unique = Vec::new();
    for name in names {
        if !names_unique.contains(&name) {
            names_unique.push(name);
        }
    }
    let Some(known) = known else { return Some((Section::News, names_unique)) };
    let all: Vec<&str> = known.defs.iter().map(|s| s.name.as_str()).collect();
    let mut kinds: Vec<(Section, &str)> = Vec::new();
    for name in &names_unique {
        match known.defs.iter().find(|s| s.name == *name) {
            Some(def) => kinds.push((def.kind, &def.name)),
            None => {
                let hint = match crate::keys::nearest(name, &all) {
                    Some(near) => format!("did you mean \"{near}\"? sections: {}", all.join(", ")),
                    None => format!("sections: {} (others are declared in site.toml's [sections])", all.join(", ")),
                };
                problems.push(
                    Diagnostic::new(
                        Code::UnknownSection,
                        path,
                        quoted_value_pos(text, key, name),
                        format!("unknown section {name:?}"),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
    if kinds.len() < names_unique.len() {
        return None;
    }
    let kind = kinds[0].0;
    if let Some((other, _)) = kinds.iter().find(|(k, _)| *k != kind) {
        let of = |k: Section| kinds.iter().filter(|(x, _)| *x == k).map(|(_, n)| *n).collect::<Vec<_>>().join(", ");
        problems.push(
            Diagnostic::new(
                Code::BadValue,
                path,
                toml_file::key_pos(text, key),
                format!(
                    "{key} mixes news ({}) and publications ({}): a feed holds one kind of item",
                    of(Section::News),
                    of(Section::Publications)
                ),
            )
            .with_hint(format!(
                "make one feed of the {} sections and one of the {}",
                kind.dir(),
                other.dir()
            )),
        );
        return None;
    }
    Some((kind, names_unique))
}

/// The feed's title and description: as given, else those of its one
/// section's `_index.md`; a problem naming both places when neither has it.
fn titles(
    raw: &Raw,
    selected: Option<&(Section, Vec<String>)>,
    known: Option<Sections<'_>>,
    path: &Path,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> (String, String) {
    // The line that chose the section the title was to come from.
    let pos = toml_file::key_pos(text, if raw.section.is_some() { "section" } else { "sections" });
    let page = match (selected, known) {
        (Some((_, names)), Some(known)) if names.len() == 1 => Some((&names[0], known.pages.get(&names[0]))),
        _ => None,
    };
    // RSS requires both on its channel, OPML's outline needs its text and a
    // page its <title>: a blank one is as good as none.
    let mut take = |key: &str, given: &Option<String>, from_page: fn(&SectionPage) -> Option<&String>| {
        if let Some(given) = given {
            if given.trim().is_empty() {
                problems.push(
                    Diagnostic::new(Code::MissingField, path, toml_file::key_pos(text, key), format!("{key} is empty"))
                        .with_hint(format!(
                            "write the feed's {key} between the quotes, or leave {key} out to take the section's"
                        )),
                );
            }
            return given.clone();
        }
        if let Some((section, Some(p))) = page
            && let Some(found) = from_page(p)
        {
            if found.trim().is_empty() {
                let pos = crate::content::regular::read(&p.source)
                    .ok()
                    .and_then(|bytes| crate::content::Source::parse(&p.source, bytes).ok())
                    .map_or(Pos::FILE, |s| s.value_pos(key));
                problems.push(
                    Diagnostic::new(
                        Code::MissingField,
                        &p.source,
                        pos,
                        format!("{key} is empty, and the feed {} takes its {key} from here", path.display()),
                    )
                    .with_hint(format!(
                        "write the {section} section's {key} here, or {key} = \"…\" in {}",
                        path.display()
                    )),
                );
            }
            return found.clone();
        }
        // Nothing to check against: the store's own problems come first.
        if known.is_none() || selected.is_none() {
            return String::new();
        }
        let (message, hint) = match page {
            Some((section, _)) => (
                format!("the feed has no {key}, and the {section} section's _index.md gives none"),
                format!("add {key} = \"…\" here, or {key} to the front matter of content/{section}/_index.md"),
            ),
            None => (
                format!("the feed has no {key}: a feed over several sections takes none from their _index.md"),
                format!("add {key} = \"…\" here"),
            ),
        };
        problems.push(Diagnostic::new(Code::MissingField, path, pos, message).with_hint(hint));
        String::new()
    };
    let title = take("title", &raw.title, |p| p.title.as_ref());
    let description = take("description", &raw.description, |p| p.description.as_ref());
    (title, description)
}

/// The line where `value` is written as a string after `key = ` (an array
/// may span lines), at column 1 as `key_pos` has it; else the key's line.
fn quoted_value_pos(text: &str, key: &str, value: &str) -> Pos {
    let start = toml_file::key_pos(text, key);
    let quoted = [format!("\"{value}\""), format!("'{value}'")];
    text.lines()
        .enumerate()
        .skip(start.line.saturating_sub(1))
        .find_map(|(i, line)| quoted.iter().any(|q| line.contains(q.as_str())).then(|| Pos::new(i + 1, 1)))
        .unwrap_or(start)
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
    use crate::content::Site;

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

    /// The two sections of every store, a second blog, and papers.
    fn sections() -> Vec<SectionDef> {
        let text = "title = \"T\"\nbase_url = \"https://example.org\"\ndescription = \"D\"\nlanguage = \"en\"\npublisher = \"P\"\ncopyright = \"C\"\n[sections.inside-rust]\n[sections.papers]\nkind = \"publications\"\n";
        Site::parse(Path::new("site.toml"), text).unwrap().sections
    }

    fn parse_with(text: &str, pages: &BTreeMap<String, SectionPage>) -> Result<FeedDef, Vec<Diagnostic>> {
        let defs = sections();
        FeedDef::parse_in(Path::new("feeds/x.toml"), "x".into(), text, Some(Sections { defs: &defs, pages }))
    }

    #[test]
    fn selects_sections_of_one_kind() {
        let text = "title = \"X\"\ndescription = \"D\"\nformats = [\"rss\"]\n";
        let def = parse_with(&format!("{text}sections = [\"news\", \"inside-rust\", \"news\"]\n"), &NO_PAGES).unwrap();
        assert_eq!((def.section, def.sections), (Section::News, vec!["news".to_owned(), "inside-rust".to_owned()]));
        let def = parse_with(&format!("{text}section = \"papers\"\nauthors = \"A\"\n"), &NO_PAGES);
        assert_eq!(def.unwrap_err()[0].code, Code::WrongType);
        for (more, code, line, says) in [
            ("sections = [\"news\", \"papers\"]", Code::BadValue, 4, "mixes news (news) and publications (papers)"),
            ("section = \"news\"\nsections = [\"news\"]", Code::BadValue, 5, "both"),
            ("sections = []", Code::MissingField, 4, "names no section"),
            ("sections = [\"news\",\n  \"insid-rust\"]", Code::UnknownSection, 5, "unknown section \"insid-rust\""),
        ] {
            let problems = parse_with(&format!("{text}{more}\n"), &NO_PAGES).unwrap_err();
            let found: Vec<_> = problems.iter().map(|d| (d.code, d.line)).collect();
            assert_eq!(found, vec![(code, line)], "{more}");
            assert!(problems[0].message.contains(says), "{more}: {}", problems[0].message);
        }
        let problems = parse_with(&format!("{text}section = \"inside-rusty\"\n"), &NO_PAGES).unwrap_err();
        assert_eq!(
            problems[0].hint.as_deref().unwrap_or_default().split('?').next(),
            Some("did you mean \"inside-rust\"")
        );
    }

    #[test]
    fn takes_the_title_from_the_sections_own_page() {
        let page = SectionPage {
            source: "content/inside-rust/_index.md".into(),
            title: Some("Inside Rust".into()),
            description: Some("Posts".into()),
        };
        let pages = BTreeMap::from([("inside-rust".to_owned(), page)]);
        let def = parse_with("section = \"inside-rust\"\nformats = [\"rss\"]\n", &pages).unwrap();
        assert_eq!((def.title.as_str(), def.description.as_str()), ("Inside Rust", "Posts"));
        let def = parse_with("title = \"Own\"\nsection = \"inside-rust\"\nformats = [\"rss\"]\n", &pages).unwrap();
        assert_eq!(def.title, "Own");
        // Several sections: no page to take it from.
        let problems = parse_with("sections = [\"news\", \"inside-rust\"]\nformats = [\"rss\"]\n", &pages).unwrap_err();
        let found: Vec<_> = problems.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(found, vec![(Code::MissingField, 1), (Code::MissingField, 1)]);
        assert!(problems[0].message.contains("several sections"), "{}", problems[0].message);
        // Blank is none: refused where it is written (the page cannot be
        // read here, so its problem names the file).
        let problems =
            parse_with("title = \" \"\ndescription = \"\"\nsection = \"news\"\nformats = [\"rss\"]\n", &pages);
        let found: Vec<_> = problems.unwrap_err().iter().map(|d| (d.code, d.line, d.message.clone())).collect();
        assert_eq!(
            found,
            vec![
                (Code::MissingField, 1, "title is empty".to_owned()),
                (Code::MissingField, 2, "description is empty".to_owned())
            ]
        );
        let blank = SectionPage { title: Some("".into()), ..pages["inside-rust"].clone() };
        let blank = BTreeMap::from([("inside-rust".to_owned(), blank)]);
        let problems = parse_with("section = \"inside-rust\"\nformats = [\"rss\"]\n", &blank).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].file, Path::new("content/inside-rust/_index.md"));
        // Without the store's sections (it has errors), nothing is guessed.
        let def =
            FeedDef::parse_in(Path::new("feeds/x.toml"), "x".into(), "section = \"blog\"\nformats = [\"rss\"]\n", None);
        assert!(def.is_ok());
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
