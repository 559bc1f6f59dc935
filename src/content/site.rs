//! `content/site.toml`: the facts about the site that every output repeats
//! (title, base URL, publisher…), checked once.

use std::path::Path;

use jiff::tz::TimeZone;
use serde::Deserialize;

use super::item::Section;
use super::url_pattern::{Pattern, PatternKind, UrlPatterns};
use crate::diagnostic::{Code, Diagnostic};
use crate::url::BaseUrl;
use crate::{keys, toml_file};

#[derive(Debug, Clone)]
pub struct Site {
    pub title: String,
    pub base_url: BaseUrl,
    pub description: String,
    pub language: String,
    pub publisher: String,
    /// Empty where the site gives none: left out of every output then.
    pub copyright: String,
    pub timezone: TimeZone,
    /// Where the site serves its pages and PDFs (`[urls]`).
    pub urls: UrlPatterns,
    /// How an item's id is made when its front matter has none (`ids`).
    pub ids: Ids,
    /// Which of pressroom's own outputs the site wants (`[outputs]`).
    pub outputs: Outputs,
    /// The folders of items: `news` and `publications`, then those
    /// `[sections]` declares, in name order.
    pub sections: Vec<SectionDef>,
}

/// A folder of items under `content/`, of one kind (which decides its front
/// matter and whether it goes into the archive), placed by its own pattern.
#[derive(Debug, Clone)]
pub struct SectionDef {
    /// The folder, also `{section}` in patterns and the section in tag ids.
    pub name: String,
    pub kind: Section,
    pub url: Pattern,
    /// Where its PDFs are published (publications only).
    pub pdf: Pattern,
}

/// Names a section folder cannot have: `pages` is the pages' folder, and
/// `archive/` is pressroom's own output, which a default URL would clash with.
const RESERVED: [&str; 2] = ["pages", "archive"];

/// A section's folder name must be one folder and one URL segment as it is,
/// so that `/<name>/{slug}/` needs no encoding and means the folder.
fn section_name_ok(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && name.len() <= 64
}

impl Site {
    /// The section whose folder is `name`.
    pub fn section(&self, name: &str) -> Option<&SectionDef> {
        self.sections.iter().find(|s| s.name == name)
    }
}

/// The `ids` of `site.toml`: how the items' ids are made, so that a site
/// moving in from another system keeps the ids its subscribers' readers
/// already hold (an id that changes is an item read again).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Ids {
    /// `tag` (the default): RFC 4151 tag URIs from the host and the date.
    #[default]
    Tag,
    /// `url`: the item's page URL, as Hugo's RSS `guid` and Zola's Atom
    /// `id` are (jekyll-feed's is the URL without its last `/` or `.html`:
    /// a pattern).
    Url,
    /// A pattern with the placeholders of `[urls]`: a path under the base
    /// URL (`origin` none), or absolute (`origin` its scheme and host).
    Pattern { origin: Option<String>, pattern: Pattern },
}

impl Ids {
    /// Checks `text`; the error says what is wrong, for a problem's message.
    pub fn parse(text: &str) -> Result<Ids, String> {
        match text {
            "tag" => return Ok(Ids::Tag),
            "url" => return Ok(Ids::Url),
            _ => {}
        }
        if text.starts_with('/') {
            return Ok(Ids::Pattern { origin: None, pattern: Pattern::parse(text, PatternKind::Id)? });
        }
        let scheme = ["https://", "http://"].into_iter().find(|s| text.starts_with(s));
        let Some(scheme) = scheme else {
            return Err(format!(
                "{text:?} is neither tag, url, a path under the base URL (\"/…\") nor an absolute http(s) URL"
            ));
        };
        let rest = &text[scheme.len()..];
        let (host, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
        let not_uri = || crate::url::invalid_uri(&format!("{scheme}{host}/")).is_some();
        if host.is_empty()
            || host.chars().any(|c| c.is_whitespace() || c.is_control() || "{}?#\\@".contains(c))
            || not_uri()
        {
            return Err(format!("{text:?} has no host, or one a URL cannot have"));
        }
        if path.is_empty() {
            return Err(format!("{text:?} has no path: an id pattern needs {{slug}}"));
        }
        Ok(Ids::Pattern { origin: Some(format!("{scheme}{host}")), pattern: Pattern::parse(path, PatternKind::Id)? })
    }
}

/// The `[outputs]` table: the outputs a site may already have from its own
/// system (a Jekyll, Hugo or Zola sitemap), each on unless turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outputs {
    /// `sitemap.xml` (and its numbered children).
    pub sitemap: bool,
    /// `robots.txt`.
    pub robots: bool,
    /// `archive/`: the bundles, their checksums, listings, profile and page.
    pub archive: bool,
}

impl Default for Outputs {
    fn default() -> Outputs {
        Outputs { sitemap: true, robots: true, archive: true }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: String,
    base_url: String,
    description: String,
    language: String,
    publisher: String,
    copyright: String,
    timezone: Option<String>,
    urls: Option<RawUrls>,
    ids: Option<String>,
    outputs: Option<RawOutputs>,
    sections: Option<std::collections::BTreeMap<String, RawSection>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    kind: Option<String>,
    url: Option<String>,
    pdf: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutputs {
    sitemap: Option<bool>,
    robots: Option<bool>,
    archive: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUrls {
    news: Option<String>,
    publications: Option<String>,
    pages: Option<String>,
    pdf: Option<String>,
}

impl Site {
    /// What the files of a store are checked against when its site.toml has
    /// errors, so that their problems are reported in the same run.
    pub fn stand_in() -> Site {
        Site {
            title: "(site.toml has errors)".into(),
            base_url: BaseUrl::parse("https://example.invalid/").expect("a valid URL"),
            description: String::new(),
            language: "en".into(),
            publisher: String::new(),
            copyright: String::new(),
            timezone: TimeZone::UTC,
            urls: UrlPatterns::default(),
            ids: Ids::Tag,
            outputs: Outputs::default(),
            sections: implicit_sections(&UrlPatterns::default()),
        }
    }

    /// Parses the text of `site.toml`; `path` is the name shown in messages.
    pub fn parse(path: &Path, text: &str) -> Result<Site, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: Raw = toml::from_str(text).map_err(|e| {
            vec![toml_file::problem(
                path,
                text,
                &e,
                &[keys::of::<Raw>(), keys::of::<RawUrls>(), keys::of::<RawOutputs>(), keys::of::<RawSection>()]
                    .concat(),
            )]
        })?;
        let key_pos = |key: &str| toml_file::key_pos(text, key);
        let mut problems = Vec::new();
        for (key, value) in [
            ("title", &raw.title),
            ("description", &raw.description),
            ("publisher", &raw.publisher),
            ("copyright", &raw.copyright),
            ("language", &raw.language),
        ] {
            if let Some((_, c)) = crate::xml_chars::first_forbidden(value) {
                problems.push(crate::xml_chars::in_setting(path, key_pos(key), key, c));
            }
        }
        // The publisher names every feed's author, the OPML's owner and the
        // bags' Source-Organization, which their profile requires: none may
        // be empty. The copyright may: `pressroom import` writes an empty
        // one (an export names none), and an empty one is left out.
        for key in ["title", "publisher"] {
            let value = if key == "title" { &raw.title } else { &raw.publisher };
            if value.trim().is_empty() {
                problems.push(
                    Diagnostic::new(Code::MissingField, path, key_pos(key), format!("{key} is empty"))
                        .with_hint(format!("write the site's {key} between the quotes")),
                );
            }
        }
        let base_url = BaseUrl::parse(&raw.base_url)
            .map_err(|m| problems.push(Diagnostic::new(Code::BadBaseUrl, path, key_pos("base_url"), m)))
            .ok();
        if !is_language_tag(&raw.language) {
            problems.push(
                Diagnostic::new(
                    Code::BadValue,
                    path,
                    key_pos("language"),
                    format!("{:?} is not a BCP 47 language tag", raw.language),
                )
                .with_hint("for example en, fr or pt-BR"),
            );
        }
        let timezone_name = raw.timezone.unwrap_or_else(|| "UTC".to_owned());
        let timezone = TimeZone::get(&timezone_name)
            .map_err(|_| {
                problems.push(
                    Diagnostic::new(
                        Code::BadTimezone,
                        path,
                        key_pos("timezone"),
                        format!("unknown time zone {timezone_name:?}"),
                    )
                    .with_hint("use an IANA name such as UTC, Europe/Paris or America/New_York"),
                )
            })
            .ok();
        let urls = parse_urls(raw.urls.as_ref(), path, text, &mut problems);
        let sections = parse_sections(raw.sections.as_ref(), raw.urls.as_ref(), &urls, path, text, &mut problems);
        let ids = match raw.ids.as_deref().map(Ids::parse) {
            None => Ids::Tag,
            Some(Ok(ids)) => ids,
            Some(Err(why)) => {
                problems
                    .push(Diagnostic::new(Code::BadUrlPattern, path, key_pos("ids"), format!("ids: {why}")).with_hint(
                    "ids = \"tag\" (the default), \"url\", or a pattern such as \"/news/{year}/{month}/{day}/{slug}\"",
                ));
                Ids::Tag
            }
        };
        let outputs = raw.outputs.map_or_else(Outputs::default, |o| {
            let on = Outputs::default();
            Outputs {
                sitemap: o.sitemap.unwrap_or(on.sitemap),
                robots: o.robots.unwrap_or(on.robots),
                archive: o.archive.unwrap_or(on.archive),
            }
        });
        match (base_url, timezone) {
            (Some(base_url), Some(timezone)) if problems.is_empty() => Ok(Site {
                title: raw.title,
                base_url,
                description: raw.description,
                language: raw.language,
                publisher: raw.publisher,
                copyright: match raw.copyright.trim().is_empty() {
                    true => String::new(),
                    false => raw.copyright,
                },
                timezone,
                urls,
                ids,
                outputs,
                sections,
            }),
            _ => Err(problems),
        }
    }
}

/// The `[urls]` table: each pattern given, checked (E0403); the default
/// layout for the rest.
fn parse_urls(raw: Option<&RawUrls>, path: &Path, text: &str, problems: &mut Vec<Diagnostic>) -> UrlPatterns {
    let key_pos = |key: &str| toml_file::key_pos(text, key);
    let mut urls = UrlPatterns::default();
    if let Some(raw_urls) = raw {
        let fields = [
            ("news", &raw_urls.news, PatternKind::Item, &mut urls.news),
            ("publications", &raw_urls.publications, PatternKind::Item, &mut urls.publications),
            ("pages", &raw_urls.pages, PatternKind::Page, &mut urls.pages),
            ("pdf", &raw_urls.pdf, PatternKind::Pdf, &mut urls.pdf),
        ];
        for (key, value, kind, slot) in fields {
            let Some(value) = value else { continue };
            match Pattern::parse(value, kind) {
                Ok(pattern) => *slot = pattern,
                Err(why) => problems.push(
                    Diagnostic::new(Code::BadUrlPattern, path, key_pos(key), format!("urls.{key}: {why}"))
                        .with_hint("for example news = \"/news/{slug}/\" or pdf = \"/files/{year}/{file}\""),
                ),
            }
        }
    }
    urls
}

/// `news` and `publications`, placed by `[urls]`: every store has them.
fn implicit_sections(urls: &UrlPatterns) -> Vec<SectionDef> {
    [(Section::News, &urls.news), (Section::Publications, &urls.publications)]
        .into_iter()
        .map(|(kind, url)| SectionDef { name: kind.dir().to_owned(), kind, url: url.clone(), pdf: urls.pdf.clone() })
        .collect()
}

/// The `[sections.<folder>]` tables on top of the implicit two. `news` and
/// `publications` may be declared too, with their own kind, and a pattern
/// `[urls]` does not also give (one place for each setting).
fn parse_sections(
    raw: Option<&std::collections::BTreeMap<String, RawSection>>,
    raw_urls: Option<&RawUrls>,
    urls: &UrlPatterns,
    path: &Path,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<SectionDef> {
    let mut sections = implicit_sections(urls);
    let Some(raw) = raw else { return sections };
    for (name, declared) in raw {
        let pos = section_pos(text, name);
        let key_pos = |key: &str| section_key_pos(text, pos, key);
        let problem = |key: &str, message: String, hint: &str| {
            Diagnostic::new(Code::BadValue, path, key_pos(key), message).with_hint(hint)
        };
        if !section_name_ok(name) || RESERVED.contains(&name.as_str()) {
            let why = match RESERVED.contains(&name.as_str()) {
                true => format!("section {name:?} is a name pressroom keeps for its own folder"),
                false => format!("section {name:?} cannot be a folder and a URL segment as it is"),
            };
            problems.push(problem(
                "",
                why,
                "name a section with lowercase letters, digits, - and _ (not pages or archive)",
            ));
            continue;
        }
        let kind = match declared.kind.as_deref() {
            None => Section::from_dir(name).unwrap_or(Section::News),
            Some(kind) => match Section::from_dir(kind) {
                Some(kind) => kind,
                None => {
                    problems.push(problem(
                        "kind",
                        format!("sections.{name}.kind {kind:?} is neither news nor publications"),
                        "kind = \"news\" (the default) or \"publications\"",
                    ));
                    continue;
                }
            },
        };
        let implicit = Section::from_dir(name);
        if implicit.is_some_and(|own| own != kind) {
            problems.push(problem(
                "kind",
                format!("section {name:?} is always of kind {name}"),
                "leave kind out, or declare another folder",
            ));
            continue;
        }
        let twice = |key: &str, given: Option<&String>| {
            let in_urls = raw_urls.and_then(|u| match (implicit?, key) {
                (Section::News, "url") => u.news.as_ref(),
                (Section::Publications, "url") => u.publications.as_ref(),
                (_, "pdf") => u.pdf.as_ref(),
                _ => None,
            });
            given.is_some() && in_urls.is_some()
        };
        for (key, given) in [("url", declared.url.as_ref()), ("pdf", declared.pdf.as_ref())] {
            if twice(key, given) {
                problems.push(problem(
                    key,
                    format!("sections.{name}.{key} is also given in [urls]"),
                    "give the pattern in one place",
                ));
            }
        }
        if declared.pdf.is_some() && kind == Section::News {
            let message = format!("sections.{name}.pdf is for publications; {name} holds news");
            problems.push(problem("pdf", message, "remove pdf"));
        }
        let pattern = |key: &str, text: String, pattern_kind: PatternKind| {
            Pattern::parse(&text, pattern_kind).map_err(|why| {
                Diagnostic::new(Code::BadUrlPattern, path, key_pos(key), format!("sections.{name}.{key}: {why}"))
                    .with_hint(format!("for example {key} = \"/{name}/{{year}}/{{slug}}/\""))
            })
        };
        // `news` and `publications` keep what `[urls]` gave them; another
        // section is served under its folder, as they are by default.
        let existing = sections.iter().find(|s| s.name == *name);
        let url = match (&declared.url, existing) {
            (None, Some(s)) => Ok(s.url.clone()),
            (given, _) => {
                pattern("url", given.clone().unwrap_or_else(|| format!("/{name}/{{slug}}/")), PatternKind::Item)
            }
        };
        let pdf = match (&declared.pdf, existing) {
            (None, Some(s)) => Ok(s.pdf.clone()),
            (given, _) => {
                pattern("pdf", given.clone().unwrap_or_else(|| format!("/{name}/{{slug}}/{{file}}")), PatternKind::Pdf)
            }
        };
        match (url, pdf) {
            (Ok(url), Ok(pdf)) => {
                let def = SectionDef { name: name.clone(), kind, url, pdf };
                match sections.iter_mut().find(|s| s.name == *name) {
                    Some(slot) => *slot = def,
                    None => sections.push(def),
                }
            }
            (url, pdf) => problems.extend(url.err().into_iter().chain(pdf.err())),
        }
    }
    sections
}

/// Where `[sections.<name>]` (or `sections.<name>` in an inline table or
/// dotted key) is written, or the `[sections]` table, or line 1.
fn section_pos(text: &str, name: &str) -> crate::diagnostic::Pos {
    let quoted = format!("\"{name}\"");
    let line = text.lines().position(|l| {
        let l = l.trim_start();
        (l.starts_with("[sections.") || l.starts_with("sections.") || l.starts_with("[sections"))
            && (l.contains(&format!(".{name}]"))
                || l.contains(&format!(".{name}."))
                || l.contains(&quoted)
                || l.contains(&format!(".{name} "))
                || l.contains(&format!(".{name}=")))
    });
    let line = line.or_else(|| {
        text.lines().position(|l| {
            l.trim_start().starts_with(&format!("{name} ")) || l.trim_start().starts_with(&format!("{name}="))
        })
    });
    line.map_or(crate::diagnostic::Pos::new(1, 1), |i| crate::diagnostic::Pos::new(i + 1, 1))
}

/// Where `key = …` is written in the table of a section whose header is at
/// `table` (before the next table), else the header.
fn section_key_pos(text: &str, table: crate::diagnostic::Pos, key: &str) -> crate::diagnostic::Pos {
    if key.is_empty() || table.line == 0 {
        return table;
    }
    let found = text
        .lines()
        .enumerate()
        .skip(table.line)
        .take_while(|(_, l)| !l.trim_start().starts_with('['))
        .find(|(_, l)| l.trim_start().strip_prefix(key).is_some_and(|r| r.trim_start().starts_with('=')));
    found.map_or(table, |(i, _)| crate::diagnostic::Pos::new(i + 1, 1))
}

/// The shape of a BCP 47 tag: alphanumeric subtags of 1 to 8, joined by `-`,
/// starting with 2 to 3 letters (or `i`/`x` for the grandfathered forms).
pub fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let first = subtags.next().unwrap_or("");
    let first_ok = (2..=8).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_alphabetic())
        || first == "i"
        || first == "x";
    first_ok && subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "title = \"T\"\nbase_url = \"https://example.org\"\ndescription = \"D\"\nlanguage = \"en\"\npublisher = \"P\"\ncopyright = \"C\"\n";

    #[test]
    fn reads_a_good_site() {
        let site = Site::parse(Path::new("site.toml"), GOOD).unwrap();
        assert_eq!(site.base_url.as_str(), "https://example.org/");
        assert_eq!(site.timezone, TimeZone::UTC);
    }

    #[test]
    fn title_and_publisher_may_not_be_blank_and_copyright_may() {
        let text = GOOD.replace("\"T\"", "\" \"").replace("\"P\"", "\"\"").replace("\"C\"", "\"  \"");
        let problems = Site::parse(Path::new("site.toml"), &text).unwrap_err();
        let found: Vec<_> = problems.iter().map(|d| (d.code, d.line, d.message.as_str())).collect();
        assert_eq!(
            found,
            vec![(Code::MissingField, 1, "title is empty"), (Code::MissingField, 5, "publisher is empty")]
        );
        let site = Site::parse(Path::new("site.toml"), &GOOD.replace("\"C\"", "\"  \"")).unwrap();
        assert_eq!(site.copyright, "", "blank is none");
    }

    #[test]
    fn names_the_line_of_each_problem() {
        let text = GOOD.replace("https://example.org", "example.org") + "timezone = \"Mars/Olympus\"\n";
        let problems = Site::parse(Path::new("site.toml"), &text).unwrap_err();
        let found: Vec<_> = problems.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(found, vec![(Code::BadBaseUrl, 2), (Code::BadTimezone, 7)]);
        let problems = Site::parse(Path::new("site.toml"), &format!("{GOOD}colour = 1\n")).unwrap_err();
        assert_eq!((problems[0].code, problems[0].line), (Code::UnknownKey, 7));
    }

    #[test]
    fn reads_ids() {
        let ids = |value: &str| Site::parse(Path::new("site.toml"), &format!("{GOOD}ids = {value:?}\n")).map(|s| s.ids);
        assert_eq!(Site::parse(Path::new("site.toml"), GOOD).unwrap().ids, Ids::Tag);
        assert_eq!(ids("tag").unwrap(), Ids::Tag);
        assert_eq!(ids("url").unwrap(), Ids::Url);
        assert!(matches!(ids("/news/{year}/{slug}").unwrap(), Ids::Pattern { origin: None, .. }));
        let Ids::Pattern { origin, .. } = ids("https://old.example.com/{section}/{slug}/").unwrap() else { panic!() };
        assert_eq!(origin.as_deref(), Some("https://old.example.com"));
        // The ids made from it are URIs (RFC 3986): its host must be one's.
        for host in ["old^example.com", "old.example.com:8o", "ölder.example", "%zz.example"] {
            assert!(ids(&format!("https://{host}/{{slug}}")).is_err(), "{host}");
        }
        for (bad, says) in [
            ("guid", "neither tag, url"),
            ("/news/{id}", "unknown placeholder {id}"),
            ("/news/{year}", "no {slug}"),
            ("https://", "no host"),
            ("https://example.com", "no path"),
            ("news/{slug}", "neither tag, url"),
        ] {
            let problems = ids(bad).unwrap_err();
            let found: Vec<_> = problems.iter().map(|d| (d.code, d.line)).collect();
            assert_eq!(found, vec![(Code::BadUrlPattern, 7)], "{bad}");
            assert!(problems[0].message.contains(says), "{bad}: {}", problems[0].message);
        }
    }

    #[test]
    fn outputs_are_on_unless_turned_off() {
        let site = Site::parse(Path::new("site.toml"), GOOD).unwrap();
        assert_eq!(site.outputs, Outputs::default());
        let text = format!("{GOOD}\n[outputs]\nsitemap = false\narchive = false\n");
        let site = Site::parse(Path::new("site.toml"), &text).unwrap();
        assert_eq!(site.outputs, Outputs { sitemap: false, robots: true, archive: false });
        let problems =
            Site::parse(Path::new("site.toml"), &format!("{GOOD}\n[outputs]\nsitemaps = false\n")).unwrap_err();
        assert_eq!((problems[0].code, problems[0].line), (Code::UnknownKey, 9));
        assert_eq!(problems[0].hint.as_deref(), Some("did you mean \"sitemap\"?"));
    }

    #[test]
    fn reads_sections() {
        let text = format!(
            "{GOOD}\n[sections.inside-rust]\nurl = \"/inside-rust/{{year}}/{{slug}}/\"\n\n[sections.papers]\nkind = \"publications\"\n"
        );
        let site = Site::parse(Path::new("site.toml"), &text).unwrap();
        let found: Vec<_> = site.sections.iter().map(|s| (s.name.as_str(), s.kind)).collect();
        assert_eq!(
            found,
            [
                ("news", Section::News),
                ("publications", Section::Publications),
                ("inside-rust", Section::News),
                ("papers", Section::Publications)
            ]
        );
        assert_eq!(site.section("inside-rust").unwrap().url.listing(), Some("inside-rust"));
        assert_eq!(site.section("papers").unwrap().url, Pattern::parse("/papers/{slug}/", PatternKind::Item).unwrap());
        assert_eq!(
            site.section("papers").unwrap().pdf,
            Pattern::parse("/papers/{slug}/{file}", PatternKind::Pdf).unwrap()
        );
        // Declaring news is allowed, as long as it says one thing once.
        let text = format!("{GOOD}\n[sections.news]\nurl = \"/blog/{{slug}}/\"\n");
        let site = Site::parse(Path::new("site.toml"), &text).unwrap();
        assert_eq!(site.sections.len(), 2);
        assert_eq!(site.section("news").unwrap().url.listing(), Some("blog"));
    }

    #[test]
    fn refuses_sections_that_cannot_be() {
        for (table, line, says) in [
            ("[sections.pages]", 8, "keeps for its own folder"),
            ("[sections.archive]", 8, "keeps for its own folder"),
            ("[sections.\"Blog Posts\"]", 8, "cannot be a folder"),
            ("[sections.blog]\nkind = \"newz\"", 9, "neither news nor publications"),
            ("[sections.news]\nkind = \"publications\"", 9, "always of kind news"),
            ("[sections.blog]\nurl = \"/blog/\"", 9, "no {slug}"),
            ("[sections.blog]\npdf = \"/blog/{file}\"", 9, "pdf is for publications"),
            ("[urls]\nnews = \"/n/{slug}/\"\n[sections.news]\nurl = \"/m/{slug}/\"", 11, "also given in [urls]"),
        ] {
            let problems = Site::parse(Path::new("site.toml"), &format!("{GOOD}\n{table}\n")).unwrap_err();
            let found: Vec<_> = problems.iter().map(|d| d.line).collect();
            assert_eq!(found, vec![line], "{table}: {problems:?}");
            assert!(problems[0].message.contains(says), "{table}: {}", problems[0].message);
        }
        let problems =
            Site::parse(Path::new("site.toml"), &format!("{GOOD}\n[sections.blog]\nkinds = \"news\"\n")).unwrap_err();
        assert_eq!((problems[0].code, problems[0].line), (Code::UnknownKey, 9));
        assert_eq!(problems[0].hint.as_deref(), Some("did you mean \"kind\"?"));
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "fr", "pt-BR", "zh-Hant-TW", "en-GB-oxendict"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "e", "english!", "en_GB", "en-", "123"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
