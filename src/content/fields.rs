//! Checks of one front matter value each (text, dates, slugs, characters)
//! and the problems they report, shared by the loader's items and pages.

use std::fs;
use std::path::Path;

use jiff::Timestamp;

use super::date;
use super::source::Source;
use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::xml_chars;

/// A text value as every feed format can carry it: line ends as an XML
/// parser reads them (XML 1.0 §2.11: CR LF and a lone CR become LF), and
/// without surrounding whitespace, which feed readers strip. Characters XML
/// forbids are kept, for `check_chars` to report.
pub(super) fn one_text(value: String) -> String {
    let value = if value.contains('\r') { value.replace("\r\n", "\n").replace('\r', "\n") } else { value };
    let trimmed = value.trim_matches(|c: char| c.is_whitespace() && !crate::xml_chars::forbidden(c));
    if trimmed.len() == value.len() { value } else { trimmed.to_owned() }
}

pub(super) fn missing(src: &Source, key: &str, hint: &str) -> Diagnostic {
    Diagnostic::new(Code::MissingField, &src.path, src.opening_pos(), format!("the required key \"{key}\" is missing"))
        .with_hint(hint)
}

pub(super) fn required_text(
    src: &Source,
    key: &str,
    value: Option<String>,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    match value {
        Some(v) if !v.trim().is_empty() => Some(v),
        Some(_) => {
            problems.push(Diagnostic::new(
                Code::MissingField,
                &src.path,
                src.value_pos(key),
                format!("\"{key}\" is empty"),
            ));
            None
        }
        None => {
            problems.push(missing(src, key, &format!("add `{}` to the front matter", src.example(key, "\"…\""))));
            None
        }
    }
}

/// The title of a dated news item that has none, as Jekyll gives it
/// (`Utils.titleize_slug`): the slug of its name (`my-first-post`), each
/// word between `-` capitalised as Ruby's `capitalize` does (first letter
/// upper case, the rest lower case), joined by spaces: "My First Post".
/// jekyll-feed lists such a post under that title, so a site moving in
/// keeps it; the warning names the title, which no one chose.
pub(super) fn title_from_name(src: &Source, name: &str, problems: &mut Vec<Diagnostic>) -> Option<String> {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    // Jekyll's slug of a name never ends with a period.
    let slug = dated_name(stem).map_or(stem, |(_, rest)| rest).trim_end_matches('.');
    let title = one_text(titleize(slug));
    if title.is_empty() {
        return required_text(src, "title", None, problems);
    }
    // A page bundle is named by its folder (`2021-05-01-post/index.md`).
    let bundle = src.path.file_stem().is_some_and(|own| own != name);
    let whose = if bundle { "its folder's name" } else { "its file name" };
    problems.push(
        Diagnostic::new(
            Code::Untitled,
            &src.path,
            src.opening_pos(),
            format!("no title: titled {title:?} after {whose}, as Jekyll titles a post without one"),
        )
        .with_hint(format!(
            "add `{}` to the front matter, or `{}` to leave the file out",
            src.example("title", "\"…\""),
            src.example("draft", "true")
        )),
    );
    Some(title)
}

/// Jekyll's `Utils.titleize_slug`: `slug.split("-").map!(&:capitalize).join(" ")`
/// (Ruby's `split` drops the empty pieces at the end).
fn titleize(slug: &str) -> String {
    let words: Vec<&str> = slug.split('-').collect();
    let kept = words.iter().rposition(|w| !w.is_empty()).map_or(0, |last| last + 1);
    let capitalize = |word: &str| {
        let mut chars = word.chars();
        chars
            .next()
            .map_or_else(String::new, |first| first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect())
    };
    words[..kept].iter().map(|w| capitalize(w)).collect::<Vec<_>>().join(" ")
}

pub(super) fn parse_date(
    src: &Source,
    key: &str,
    raw: &str,
    tz: &jiff::tz::TimeZone,
    problems: &mut Vec<Diagnostic>,
) -> Option<Timestamp> {
    let problem = |message: String, hint: &str| {
        Diagnostic::new(Code::BadDate, &src.path, src.value_pos(key), format!("{key}: {message}")).with_hint(hint)
    };
    let ts = date::parse(raw, tz).map_err(|m| problems.push(problem(m, date::ACCEPTED_FORMS))).ok()?;
    if let Some(why) = date::unshowable(ts, tz) {
        let hint = "the zone kept local mean time until its standard time began: a later date, or timezone = \"UTC\"";
        problems.push(problem(format!("{raw:?}: {why}"), hint));
        return None;
    }
    Some(ts)
}

/// A dated name, `YYYY-MM-DD-rest` (as Jekyll and Zola name posts) or
/// `YYYY-MM-DD_rest` (Zola's other form), split into its date (as written,
/// not yet checked against the calendar) and the rest.
pub(super) fn dated_name(stem: &str) -> Option<(&str, &str)> {
    let b = stem.as_bytes();
    let dated = b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && matches!(b[10], b'-' | b'_');
    dated.then(|| (&stem[..10], &stem[11..]))
}

/// The date of a file without a `date` key, where its name or address
/// gives one, 00:00 in the site's zone: the `YYYY-MM-DD-` or `YYYY-MM-DD_`
/// its name starts with (`2014-12-17-welcome.md`, as Jekyll and Zola name
/// posts), else `YYYY/MM/DD` segments of its `path` or `url` (a Zola blog
/// keeps its dates only there). `Ok(None)` when neither has one; `Err`
/// when the one found is no date the feeds can carry (reported).
pub(super) fn implied_date(
    src: &Source,
    name: &str,
    addresses: [(&str, Option<&str>); 2],
    tz: &jiff::tz::TimeZone,
    problems: &mut Vec<Diagnostic>,
) -> Result<Option<Timestamp>, ()> {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let (day, pos, place) = match dated_name(stem) {
        Some((day, _)) => (day.to_owned(), Pos::FILE, "the file name starts with".to_owned()),
        None => {
            let found = addresses.into_iter().find_map(|(key, a)| Some((key, dated_segments(a?)?)));
            let Some((key, day)) = found else { return Ok(None) };
            (day, src.value_pos(key), format!("its {key} holds"))
        }
    };
    match date::parse(&day, tz) {
        Ok(ts) if date::unshowable(ts, tz).is_none() => Ok(Some(ts)),
        _ => {
            problems.push(
                Diagnostic::new(
                    Code::BadDate,
                    &src.path,
                    pos,
                    format!("{place} {day}, which is not a date the feeds can carry"),
                )
                .with_hint(format!("give the date in the front matter: `{}`", src.example("date", "2021-12-02"))),
            );
            Err(())
        }
    }
}

/// The first `YYYY/MM/DD` run of segments of a URL path, as `YYYY-MM-DD`.
fn dated_segments(address: &str) -> Option<String> {
    let path = address.split(['?', '#']).next().unwrap_or(address);
    let segments: Vec<&str> = path.split('/').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    segments
        .windows(3)
        .find(|w| digits(w[0], 4) && digits(w[1], 2) && digits(w[2], 2))
        .map(|w| format!("{}-{}-{}", w[0], w[1], w[2]))
}

/// The front matter's slug, else the file name without `.md` and without a
/// leading `YYYY-MM-DD-` or `YYYY-MM-DD_`.
pub(super) fn slug(
    src: &Source,
    name: &str,
    explicit: Option<String>,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let from_file = explicit.is_none();
    let slug = explicit.unwrap_or_else(|| {
        let stem = name.strip_suffix(".md").unwrap_or(name);
        dated_name(stem).map_or(stem, |(_, rest)| rest).to_owned()
    });
    let bad = if slug.trim().is_empty() {
        Some("is empty")
    } else if slug.contains(['/', '\\']) {
        Some("contains a slash")
    } else if slug == "." || slug == ".." {
        Some("is a dot segment")
    } else if slug.chars().any(char::is_control) {
        Some("contains a control character")
    } else {
        None
    };
    match bad {
        Some(why) => {
            let pos = if from_file { Pos::FILE } else { src.value_pos("slug") };
            problems.push(Diagnostic::new(Code::BadValue, &src.path, pos, format!("slug {slug:?} {why}")));
            None
        }
        None => Some(slug),
    }
}

pub(super) fn check_chars<'a>(
    src: &Source,
    key: &str,
    values: impl Iterator<Item = &'a String>,
    problems: &mut Vec<Diagnostic>,
) {
    for value in values {
        if let Some((_, c)) = crate::xml_chars::first_forbidden(value) {
            // A raw control character was already reported at its exact place.
            if src.forbidden_char().is_none() {
                problems.push(forbidden(&src.path, src.value_pos(key), c));
            }
            return;
        }
    }
}

/// The kept keys (`item.extra`, which templates may print): a character
/// XML forbids in one of their texts, written as an escape (`"\u000C"`),
/// is refused as a raw one is, at its key.
pub(super) fn check_extra(
    src: &Source,
    extra: &serde_json::Map<String, serde_json::Value>,
    problems: &mut Vec<Diagnostic>,
) {
    fn first(value: &serde_json::Value) -> Option<char> {
        let text = |t: &str| xml_chars::first_forbidden(t).map(|(_, c)| c);
        match value {
            serde_json::Value::String(s) => text(s),
            serde_json::Value::Array(values) => values.iter().find_map(first),
            serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| text(k).or_else(|| first(v))),
            _ => None,
        }
    }
    // A raw control character was already reported at its exact place.
    if src.forbidden_char().is_some() {
        return;
    }
    if let Some((key, c)) = extra
        .iter()
        .find_map(|(key, value)| Some((key, xml_chars::first_forbidden(key).map(|(_, c)| c).or_else(|| first(value))?)))
    {
        problems.push(forbidden(&src.path, src.value_pos(key), c));
    }
}

/// Tags, categories and authors: no empty entry, and no tab or line break
/// in a tag or category (Atom carries them in an attribute, where XML
/// reads both as spaces). Each list with its key, and whether it is one of
/// terms (tags or categories).
pub(super) fn check_lists(src: &Source, lists: &[(&str, &[String], bool)], problems: &mut Vec<Diagnostic>) {
    for &(key, values, terms) in lists {
        if values.iter().any(|v| v.trim().is_empty()) {
            problems.push(Diagnostic::new(
                Code::BadValue,
                &src.path,
                src.value_pos(key),
                format!("{key} has an empty entry"),
            ));
        }
        if let Some(term) = values.iter().find(|t| terms && t.contains(['\t', '\n'])) {
            let what = if key == "tags" { "tag" } else { "category" };
            problems.push(
                Diagnostic::new(
                    Code::BadValue,
                    &src.path,
                    src.value_pos(key),
                    format!("the {what} {term:?} holds a tab or a line break"),
                )
                .with_hint("Atom carries tags in an attribute, where XML reads them as spaces: write spaces"),
            );
        }
    }
}

/// An `id` of the front matter must be an absolute URI (RFC 3986): feeds
/// carry it as written.
pub(super) fn check_id(src: &Source, id: Option<&str>, problems: &mut Vec<Diagnostic>) {
    if let Some(id) = id
        && let Some(why) = crate::url::invalid_uri(id)
    {
        problems.push(
            Diagnostic::new(Code::BadValue, &src.path, src.value_pos("id"), format!("id {id:?} {why}"))
                .with_hint("ids are URIs such as tag:example.org,2021-12-02:news/meeting; leave id out to get one"),
        );
    }
}

pub(super) fn forbidden(file: &Path, pos: Pos, c: char) -> Diagnostic {
    Diagnostic::new(
        Code::ForbiddenChar,
        file,
        pos,
        format!("{} is not allowed: {}", xml_chars::named(c), xml_chars::CANNOT_CARRY),
    )
    .with_hint(xml_chars::HINT)
}

/// The PDF in `dir` whose name is closest to `wanted`, for hints: the
/// smallest edit distance (a swap of neighbours is one edit), ignoring
/// case; ties go to the first name in order.
pub(super) fn nearest_pdf(dir: &Path, wanted: &Path) -> Option<String> {
    let wanted_dir = dir.join(wanted.parent().unwrap_or(Path::new("")));
    let wanted_name = wanted.file_name()?.to_str()?.to_lowercase();
    let mut names: Vec<String> = fs::read_dir(&wanted_dir)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.to_ascii_lowercase().ends_with(".pdf"))
        .collect();
    names.sort();
    let near = names.iter().min_by_key(|n| strsim::osa_distance(&n.to_lowercase(), &wanted_name))?;
    Some(wanted.with_file_name(near).to_string_lossy().into_owned())
}

/// The code of a failure to read an input: refused for its type, or I/O.
pub(super) fn read_code(e: &std::io::Error) -> Code {
    if e.kind() == std::io::ErrorKind::InvalidInput { Code::NotRegularFile } else { Code::Io }
}

#[cfg(test)]
mod tests {
    use super::{dated_name, titleize};

    #[test]
    fn titles_as_jekyll_titleizes_a_slug() {
        assert_eq!(titleize("my-first-post"), "My First Post");
        assert_eq!(titleize("redirect"), "Redirect");
        // Ruby's capitalize lowers the rest of each word.
        assert_eq!(titleize("the-HTML-way"), "The Html Way");
        assert_eq!(titleize("état-des-lieux"), "État Des Lieux");
        // Ruby's split keeps empty pieces but the last ones.
        assert_eq!(titleize("a--b--"), "A  B");
        assert_eq!(titleize("snake_case-post"), "Snake_case Post");
        assert_eq!(titleize(""), "");
    }

    #[test]
    fn a_dated_name_of_either_form() {
        assert_eq!(dated_name("2014-12-17-welcome"), Some(("2014-12-17", "welcome")));
        // Zola takes the date from `YYYY-MM-DD_slug` too.
        assert_eq!(dated_name("2021-03-04_underscore"), Some(("2021-03-04", "underscore")));
        assert_eq!(dated_name("2021-03-04_a-b_c"), Some(("2021-03-04", "a-b_c")));
        for undated in ["2021-03-04", "2021-03-04_", "2021-03-04.x", "2021_03_04_x", "welcome"] {
            assert_eq!(dated_name(undated), None, "{undated}");
        }
    }
}
