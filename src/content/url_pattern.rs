//! Where a site serves its pages and PDFs: the `[urls]` patterns of
//! `site.toml`, so that feeds and the sitemap point at the pages the site's
//! own system really serves (`/news/{slug}/`, a WordPress-like
//! `/{year}/{month}/{slug}/`…), and PDFs are published where the site keeps
//! them. Patterns are paths under the base URL; `{year}`, `{month}` and
//! `{day}` are the item's date in the site's zone, zero-padded, `{slug}` its
//! slug, `{section}` its section's folder (`news`, `publications`, `pages`),
//! `{path}` the item's folders within its section (`2021/` for
//! `news/2021/post.md`; nothing at the top, so `/news/{path}{slug}/` is
//! `/news/post/` there), `{categories}` its categories as Jekyll's
//! `:categories` (`jekyll/update`, or nothing), and `{file}` the PDF's file
//! name. Each value is percent-encoded once, in
//! the URL, and kept as written in the output path.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The four patterns, checked.
#[derive(Debug, Clone)]
pub struct UrlPatterns {
    pub news: Pattern,
    pub publications: Pattern,
    pub pages: Pattern,
    pub pdf: Pattern,
}

impl Default for UrlPatterns {
    /// The layout pressroom has always used.
    fn default() -> UrlPatterns {
        let parse = |kind, text| Pattern::parse(text, kind).expect("the default patterns are valid");
        UrlPatterns {
            news: parse(PatternKind::Item, "/news/{slug}/"),
            publications: parse(PatternKind::Item, "/publications/{slug}/"),
            pages: parse(PatternKind::Page, "/{slug}/"),
            pdf: parse(PatternKind::Pdf, "/publications/{slug}/{file}"),
        }
    }
}

/// What a pattern places, which decides the placeholders it may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    Item,
    Page,
    Pdf,
    /// An item's id (`ids` in `site.toml`): an item's placeholders.
    Id,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Year,
    Month,
    Day,
    Slug,
    Section,
    File,
    /// The item's folders within its section (`2021/` for
    /// `news/2021/post.md`), as Hugo serves a section's subfolders.
    Path,
    /// The item's categories in lower case, one folder each (`jekyll/update/`),
    /// as Jekyll's `:categories`, which its default permalink holds.
    Categories,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The path's segments, each a run of text and placeholders.
    segments: Vec<Vec<Part>>,
    /// Ends with `/`: the URL of a folder (its `index.html`).
    folder: bool,
}

/// The values a pattern is filled with.
pub struct Values<'a> {
    pub date: Option<Timestamp>,
    pub tz: &'a TimeZone,
    pub slug: &'a str,
    pub section: &'a str,
    pub file: &'a str,
    /// `/`-separated folders, each followed by `/`; empty at the top.
    pub path: &'a str,
    /// The categories as `{categories}` fills them: `jekyll/update`.
    pub categories: &'a str,
}

/// The value of `{categories}` for these categories: each in lower case,
/// once, in order, separated by `/`, as Jekyll fills `:categories`.
pub fn categories_path(categories: &[String]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for category in categories.iter().map(|c| c.to_lowercase()) {
        if !seen.contains(&category) {
            seen.push(category);
        }
    }
    seen.join("/")
}

impl Pattern {
    /// Checks `text`; the error says what is wrong, for a problem's message.
    pub fn parse(text: &str, kind: PatternKind) -> Result<Pattern, String> {
        let Some(path) = text.strip_prefix('/') else {
            return Err(format!("{text:?} does not start with /: a pattern is a path under the base URL"));
        };
        let folder = path.ends_with('/') || path.is_empty();
        let path = path.strip_suffix('/').unwrap_or(path);
        let mut segments = Vec::new();
        for raw in path.split('/').filter(|_| !path.is_empty()) {
            if raw.is_empty() || raw == "." || raw == ".." {
                return Err(format!(
                    "{text:?} has an empty, `.` or `..` segment: every URL must stay under the base URL"
                ));
            }
            segments.push(parts(raw, text)?);
        }
        let uses = |p: &Part| segments.iter().flatten().any(|q| q == p);
        let allowed: &[Part] = match kind {
            PatternKind::Item | PatternKind::Id => {
                &[Part::Year, Part::Month, Part::Day, Part::Slug, Part::Section, Part::Path, Part::Categories]
            }
            PatternKind::Page => &[Part::Slug, Part::Section, Part::Path],
            PatternKind::Pdf => &[
                Part::Year,
                Part::Month,
                Part::Day,
                Part::Slug,
                Part::Section,
                Part::File,
                Part::Path,
                Part::Categories,
            ],
        };
        if let Some(bad) = segments.iter().flatten().find(|p| !matches!(p, Part::Text(_)) && !allowed.contains(p)) {
            return Err(format!("{text:?} uses {}, which this pattern cannot fill", name(bad)));
        }
        match kind {
            PatternKind::Pdf if !uses(&Part::File) => {
                Err(format!("{text:?} has no {{file}}: two PDFs would share a URL"))
            }
            PatternKind::Pdf if folder => Err(format!("{text:?} ends with /: a PDF's URL names the file")),
            PatternKind::Item | PatternKind::Page if !uses(&Part::Slug) => {
                Err(format!("{text:?} has no {{slug}}: two pages would share a URL"))
            }
            PatternKind::Id if !uses(&Part::Slug) => {
                Err(format!("{text:?} has no {{slug}}: two items would share an id"))
            }
            _ => Ok(Pattern { segments, folder }),
        }
    }

    /// The path's segments filled with `values`, as written on disk. A
    /// `{path}` or `{categories}` may fill a segment with several folders,
    /// or with none.
    pub fn segments(&self, values: &Values<'_>) -> Vec<String> {
        let date = values.date.map(|d| d.to_zoned_datetime(values.tz.clone()).date());
        self.segments
            .iter()
            .flat_map(|parts| {
                let filled: String = parts
                    .iter()
                    .map(|part| match (part, date) {
                        (Part::Text(text), _) => text.clone(),
                        (Part::Year, Some(d)) => format!("{:04}", d.year()),
                        (Part::Month, Some(d)) => format!("{:02}", d.month()),
                        (Part::Day, Some(d)) => format!("{:02}", d.day()),
                        (Part::Year | Part::Month | Part::Day, None) => "0".into(),
                        (Part::Slug, _) => values.slug.to_owned(),
                        (Part::Section, _) => values.section.to_owned(),
                        (Part::File, _) => values.file.to_owned(),
                        (Part::Path, _) => values.path.to_owned(),
                        (Part::Categories, _) => values.categories.to_owned(),
                    })
                    .collect();
                let split: Vec<String> = match parts.contains(&Part::Path) || parts.contains(&Part::Categories) {
                    true => filled.split('/').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
                    false => vec![filled],
                };
                split
            })
            .collect()
    }

    /// True when the URL ends with `/` (the page is a folder's index).
    pub fn is_folder(&self) -> bool {
        self.folder
    }

    /// The first segment when it is plain text: the section's listing
    /// (`news` in `/news/{slug}/`), which the sitemap lists.
    pub fn listing(&self) -> Option<&str> {
        match self.segments.first().map(Vec::as_slice) {
            Some([Part::Text(text)]) if self.segments.len() > 1 => Some(text),
            _ => None,
        }
    }
}

fn name(part: &Part) -> &'static str {
    match part {
        Part::Text(_) => "text",
        Part::Year => "{year}",
        Part::Month => "{month}",
        Part::Day => "{day}",
        Part::Slug => "{slug}",
        Part::Section => "{section}",
        Part::File => "{file}",
        Part::Path => "{path}",
        Part::Categories => "{categories}",
    }
}

/// One segment's text and placeholders.
fn parts(raw: &str, whole: &str) -> Result<Vec<Part>, String> {
    let mut parts = Vec::new();
    let mut rest = raw;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(text(&rest[..open], whole)?);
        }
        let close = rest[open..].find('}').ok_or_else(|| format!("{whole:?} has a {{ without its }}"))? + open;
        parts.push(match &rest[open + 1..close] {
            "year" => Part::Year,
            "month" => Part::Month,
            "day" => Part::Day,
            "slug" => Part::Slug,
            "section" => Part::Section,
            "file" => Part::File,
            "path" => Part::Path,
            "categories" => Part::Categories,
            other => {
                return Err(format!(
                    "{whole:?} has the unknown placeholder {{{other}}}: patterns take {{year}}, {{month}}, {{day}}, \
                     {{slug}}, {{section}}, {{path}}, {{categories}} and, for pdf, {{file}}"
                ));
            }
        });
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(text(rest, whole)?);
    }
    Ok(parts)
}

fn text(text: &str, whole: &str) -> Result<Part, String> {
    if text.contains('}') || text.chars().any(|c| c.is_control() || c == '?' || c == '#' || c == '\\') {
        return Err(format!("{whole:?} holds a character a path cannot: }}, ?, #, \\ or a control character"));
    }
    Ok(Part::Text(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(pattern: &str, kind: PatternKind) -> Vec<String> {
        fill_with(pattern, kind, "")
    }

    /// `pattern` filled for an item of 2024-06-01 with these categories.
    fn fill_with(pattern: &str, kind: PatternKind, categories: &str) -> Vec<String> {
        let date = Timestamp::from_second(1_717_200_000).unwrap(); // 2024-06-01T00:00:00Z
        let values = Values {
            date: Some(date),
            tz: &TimeZone::UTC,
            slug: "a b",
            section: "news",
            file: "r.pdf",
            path: "",
            categories,
        };
        Pattern::parse(pattern, kind).unwrap().segments(&values)
    }

    #[test]
    fn fills_the_placeholders() {
        assert_eq!(fill("/{year}/{month}/{slug}/", PatternKind::Item), ["2024", "06", "a b"]);
        assert_eq!(
            fill("/wp-content/uploads/{year}/{month}/{file}", PatternKind::Pdf),
            ["wp-content", "uploads", "2024", "06", "r.pdf"]
        );
        assert_eq!(
            fill("/{section}/{year}-{month}-{day}-{slug}.html", PatternKind::Item),
            ["news", "2024-06-01-a b.html"]
        );
        assert_eq!(UrlPatterns::default().news.listing(), Some("news"));
        let categories = categories_path(&["Jekyll".into(), "update".into(), "jekyll".into()]);
        let jekyll = "/{categories}/{year}/{month}/{day}/{slug}.html";
        assert_eq!(
            fill_with(jekyll, PatternKind::Item, &categories),
            ["jekyll", "update", "2024", "06", "01", "a b.html"]
        );
        assert_eq!(fill_with(jekyll, PatternKind::Item, ""), ["2024", "06", "01", "a b.html"]);
    }

    #[test]
    fn refuses_what_cannot_be_a_url() {
        for (pattern, kind, says) in [
            ("news/{slug}/", PatternKind::Item, "does not start with /"),
            ("/news/{id}/", PatternKind::Item, "unknown placeholder {id}"),
            ("/news/", PatternKind::Item, "no {slug}"),
            ("/files/{slug}/", PatternKind::Pdf, "no {file}"),
            ("/{file}/", PatternKind::Pdf, "ends with /"),
            ("/../{slug}/", PatternKind::Item, "`..` segment"),
            ("/{year}/{slug}/", PatternKind::Page, "cannot fill"),
            ("/{file}/{slug}/", PatternKind::Item, "cannot fill"),
            ("/a//{slug}/", PatternKind::Item, "empty"),
        ] {
            let err = Pattern::parse(pattern, kind).unwrap_err();
            assert!(err.contains(says), "{pattern}: {err}");
        }
    }
}
