//! One WordPress post as a content file: its dates, slug, file name and
//! front matter, and the `[urls]` pattern that all the posts' permalinks
//! fit, if they fit one.

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// A date of the export: an instant where WordPress wrote the GMT one, else
/// the wall time of the site (`wp:post_date`), which the front matter keeps
/// without an offset so that pressroom reads it in the site's `timezone`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WpDate {
    Instant(Timestamp),
    Local(DateTime),
}

impl WpDate {
    /// `wp:post_date_gmt`, else `wp:post_date` when the GMT one is
    /// `0000-00-00 00:00:00` (WordPress's "not set", as drafts and some
    /// imported posts have it).
    pub fn of(gmt: &str, local: &str) -> Option<WpDate> {
        match parse(gmt) {
            Some(utc) => Some(WpDate::Instant(utc.to_zoned_datetime(TimeZone::UTC).ok()?.timestamp())),
            None => parse(local).map(WpDate::Local),
        }
    }

    /// The calendar date in the site's zone, as `{year}/{month}/{day}` see it.
    pub fn date_in(&self, tz: &TimeZone) -> Date {
        match self {
            WpDate::Instant(t) => t.to_zoned_datetime(tz.clone()).date(),
            WpDate::Local(dt) => dt.date(),
        }
    }

    /// As a TOML date-time: `2021-12-02T09:30:00Z`, or without an offset.
    pub fn toml(&self) -> String {
        match self {
            WpDate::Instant(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            WpDate::Local(dt) => dt.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
        }
    }
}

fn parse(text: &str) -> Option<DateTime> {
    let text = text.trim();
    if text.is_empty() || text.starts_with("0000-00-00") {
        return None;
    }
    DateTime::strptime("%Y-%m-%d %H:%M:%S", text).ok()
}

/// The site's time zone from the posts' two dates: each post's instant
/// (`post_date_gmt`) with its wall time's offset from it (`post_date`
/// minus `post_date_gmt`, in seconds). WXR does not name the zone, so it is
/// found from its rules. One offset throughout is that offset (an
/// `Etc/GMT±N` zone for whole hours); several (summer time), or one of
/// half an hour, is a zone of the bundled IANA database that gives every
/// post its offset: the first of `USUAL` that does, else the first by
/// name. Zones with the same rules over the posts' years date them alike,
/// so the choice among them changes no date. None fitting (offsets changed
/// by hand, a site moved across zones): UTC, and the permalinks are
/// checked against it all the same.
pub fn timezone(samples: &std::collections::BTreeSet<(Timestamp, i32)>) -> String {
    let offsets: std::collections::BTreeSet<i32> = samples.iter().map(|&(_, offset)| offset).collect();
    match offsets.iter().collect::<Vec<_>>()[..] {
        [&0] | [] => return "UTC".to_owned(),
        [&seconds] if seconds % 3600 == 0 && (-12..=14).contains(&(seconds / 3600)) => {
            // POSIX's sign: Etc/GMT-2 is two hours ahead of UTC.
            let hours = seconds / 3600;
            return if hours > 0 { format!("Etc/GMT-{hours}") } else { format!("Etc/GMT+{}", -hours) };
        }
        _ => {}
    }
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.as_str().to_owned())
        // Region/City names: not the aliases of old systems (`US/Eastern`,
        // `CET`, `Etc/…`), which share their rules.
        .filter(|name| {
            name.split_once('/').is_some_and(|(area, _)| {
                ["Africa", "America", "Antarctica", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"]
                    .contains(&area)
            })
        })
        .collect();
    let rank = |name: &str| USUAL.iter().position(|usual| *usual == name).unwrap_or(USUAL.len());
    names.sort_by(|a, b| (rank(a), a).cmp(&(rank(b), b)));
    let fits = |name: &String| {
        TimeZone::get(name).is_ok_and(|tz| samples.iter().all(|&(at, offset)| tz.to_offset(at).seconds() == offset))
    };
    names.into_iter().find(fits).unwrap_or_else(|| "UTC".to_owned())
}

/// The zones the most sites are written in, each first among those with
/// its rules (a site in Paris is dated as one in Berlin; one in Toronto as
/// one in New York), so that the zone written is one its user recognises.
const USUAL: [&str; 17] = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Helsinki",
    "Europe/Moscow",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
];

/// A post's instant (`post_date_gmt`) and the offset of its wall time
/// (`post_date`) from it, in seconds.
pub fn zone_sample(gmt: &str, local: &str) -> Option<(Timestamp, i32)> {
    let (gmt, local) = (parse(gmt)?, parse(local)?);
    let offset = gmt.until(local).ok()?.total(jiff::Unit::Second).ok()?;
    Some((gmt.to_zoned_datetime(TimeZone::UTC).ok()?.timestamp(), i32::try_from(offset as i64).ok()?))
}

/// What pattern inference knows of one post.
#[derive(Debug, Clone)]
pub struct Permalink {
    /// The link's path under the base URL, percent-decoded, with its `/`s.
    pub path: String,
    pub date: Date,
    pub slug: String,
}

/// The `[urls]` pattern that every permalink fits, made from the first
/// and checked against all: `/2021/12/meeting/` → `/{year}/{month}/{slug}/`.
/// None when one does not fit (then each item keeps its own `url`).
pub fn infer_pattern(links: &[Permalink]) -> Option<String> {
    let first = links.first()?;
    let pattern = pattern_of(first)?;
    links.iter().all(|link| render(&pattern, link) == link.path).then_some(pattern)
}

fn pattern_of(link: &Permalink) -> Option<String> {
    let path = link.path.strip_prefix('/')?;
    let (year, month, day) =
        (format!("{:04}", link.date.year()), format!("{:02}", link.date.month()), format!("{:02}", link.date.day()));
    let mut out = String::new();
    let (mut seen_year, mut seen_month, mut seen_day, mut seen_slug) = (false, false, false, false);
    let segments: Vec<&str> = path.split('/').collect();
    for (n, segment) in segments.iter().enumerate() {
        out.push('/');
        if segment.contains(['{', '}']) {
            return None;
        }
        let last = n + 1 == segments.len();
        let html_slug = last.then(|| segment.strip_suffix(".html")).flatten();
        if !seen_slug && *segment == link.slug {
            out.push_str("{slug}");
            seen_slug = true;
        } else if !seen_slug && html_slug == Some(link.slug.as_str()) {
            out.push_str("{slug}.html");
            seen_slug = true;
        } else if !seen_year && !seen_slug && *segment == year {
            out.push_str("{year}");
            seen_year = true;
        } else if seen_year && !seen_month && !seen_slug && *segment == month {
            out.push_str("{month}");
            seen_month = true;
        } else if seen_month && !seen_day && !seen_slug && *segment == day {
            out.push_str("{day}");
            seen_day = true;
        } else {
            out.push_str(segment);
        }
    }
    seen_slug.then_some(out)
}

fn render(pattern: &str, link: &Permalink) -> String {
    pattern
        .replace("{year}", &format!("{:04}", link.date.year()))
        .replace("{month}", &format!("{:02}", link.date.month()))
        .replace("{day}", &format!("{:02}", link.date.day()))
        .replace("{slug}", &link.slug)
}

/// A name for the item's file: the slug with what a file name should not
/// hold replaced by `-`, never empty, never hidden, at most 150 bytes.
pub fn file_stem(slug: &str, fallback: &str) -> String {
    let mut stem: String =
        slug.chars().map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' }).collect();
    stem = stem.trim_start_matches(['.', '-']).trim_end_matches('.').to_owned();
    while stem.len() > 150 {
        stem.pop();
    }
    if stem.is_empty() { fallback.to_owned() } else { stem }
}

/// The slug WordPress gives a post that has none (`sanitize_title()` of
/// its title, as saved): accents of Latin letters removed, lower case,
/// quotes and other marks dropped, dashes, slashes, dots and spaces made
/// single `-`. WordPress keeps every other letter as its percent-encoded
/// UTF-8 (`%e6%97%a5`), which the import decodes as it does `post_name`:
/// they are kept as they are. Empty when nothing is left.
pub fn sanitize_title(title: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut slug = String::with_capacity(title.len());
    let mut push = |c: char| match c {
        'a'..='z' | '0'..='9' | '_' | '-' => slug.push(c),
        'A'..='Z' => slug.push(c.to_ascii_lowercase()),
        '.' | '/' => slug.push('-'),
        c if c.is_whitespace() || matches!(c, '\u{2013}' | '\u{2014}' | '\u{3000}') => slug.push('-'),
        '\u{d7}' => slug.push('x'),
        c if c.is_ascii() || c.is_control() || STRIPPED.contains(&c) => {}
        c => slug.extend(c.to_lowercase()),
    };
    for c in title.chars() {
        if let Some(ascii) = latin_ligature(c) {
            ascii.chars().for_each(&mut push);
        } else if matches!(c, '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}') {
            // `remove_accents()`: a Latin letter without its marks.
            c.nfd().filter(|m| !unicode_normalization::char::is_combining_mark(*m)).for_each(&mut push);
        } else {
            push(c);
        }
    }
    let mut out = String::with_capacity(slug.len());
    for c in slug.chars() {
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// What `sanitize_title()` drops: soft hyphen, `¡ ¿`, angle and curly
/// quotes, bullet, `© ® ° … ™`, loose accents, and characters without
/// width.
const STRIPPED: [char; 36] = [
    '\u{ad}', '¡', '¿', '«', '»', '‹', '›', '‘', '’', '“', '”', '‚', '‛', '„', '‟', '•', '©', '®', '°', '…', '™', '´',
    '\u{2ca}', '\u{301}', '\u{341}', '\u{300}', '\u{304}', '\u{30c}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{200e}',
    '\u{200f}', '\u{202a}', '\u{202c}', '\u{feff}',
];

/// The letters of `remove_accents()` that are no letter with a mark.
fn latin_ligature(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'Æ' | 'æ' => "ae",
        'Œ' | 'œ' => "oe",
        'Ø' | 'ø' => "o",
        'Đ' | 'đ' | 'Ð' | 'ð' => "d",
        'Þ' | 'þ' => "th",
        'Ł' | 'ł' | 'Ŀ' | 'ŀ' => "l",
        'Ħ' | 'ħ' => "h",
        'ı' => "i",
        'Ĳ' | 'ĳ' => "ij",
        'ĸ' => "k",
        'Ŋ' | 'ŋ' | 'ŉ' => "n",
        'Ŧ' | 'ŧ' => "t",
        'ſ' => "s",
        'ª' => "a",
        'º' => "o",
        _ => return None,
    })
}

/// A slug pressroom takes: not blank, no `/` or `\`, not `.` or `..`, no
/// control character.
pub fn good_slug(slug: &str) -> bool {
    !slug.trim().is_empty()
        && !slug.contains(['/', '\\'])
        && slug != "."
        && slug != ".."
        && !slug.chars().any(char::is_control)
        && slug.trim() == slug
}

/// Characters XML 1.0 cannot carry (pressroom refuses them in front
/// matter and drops them from bodies with a warning): dropped here.
pub fn xml_clean(text: &str) -> String {
    text.chars()
        .filter(|&c| !matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}'))
        .collect()
}

/// A TOML basic string.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_list(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| toml_string(v)).collect();
    format!("[{}]", items.join(", "))
}

/// The front matter of one imported file, in the order a person reads it.
#[derive(Debug, Default)]
pub struct Matter {
    pub title: String,
    pub date: Option<WpDate>,
    pub updated: Option<WpDate>,
    pub slug: Option<String>,
    pub id: Option<String>,
    pub url: Option<String>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub categories: Vec<String>,
    pub summary: Option<String>,
    pub file: Option<String>,
}

impl Matter {
    pub fn to_toml(&self) -> String {
        let mut out = String::from("+++\n");
        let mut line = |key: &str, value: String| {
            let _ = writeln!(out, "{key} = {value}");
        };
        line("title", toml_string(&self.title));
        if let Some(date) = &self.date {
            line("date", date.toml());
        }
        if let Some(updated) = &self.updated {
            line("updated", updated.toml());
        }
        if let Some(slug) = &self.slug {
            line("slug", toml_string(slug));
        }
        if let Some(id) = &self.id {
            line("id", toml_string(id));
        }
        if let Some(url) = &self.url {
            line("url", toml_string(url));
        }
        for (key, values) in [("authors", &self.authors), ("tags", &self.tags), ("categories", &self.categories)] {
            if !values.is_empty() {
                line(key, toml_list(values));
            }
        }
        if let Some(summary) = &self.summary {
            line("summary", toml_string(summary));
        }
        if let Some(file) = &self.file {
            line("file", toml_string(file));
        }
        out.push_str("+++\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmt_date_wins_and_zero_falls_back_to_wall_time() {
        let d = WpDate::of("2021-12-02 09:30:00", "2021-12-02 10:30:00").unwrap();
        assert_eq!(d.toml(), "2021-12-02T09:30:00Z");
        let d = WpDate::of("0000-00-00 00:00:00", "2021-12-02 10:30:00").unwrap();
        assert_eq!(d.toml(), "2021-12-02T10:30:00");
        assert_eq!(WpDate::of("0000-00-00 00:00:00", "0000-00-00 00:00:00"), None);
        assert_eq!(WpDate::of("", "garbage"), None);
        // The calendar date of an instant is the site zone's.
        let late = WpDate::of("2021-01-31 23:30:00", "").unwrap();
        let paris = TimeZone::get("Europe/Paris").unwrap();
        assert_eq!(late.date_in(&paris), jiff::civil::date(2021, 2, 1));
        assert_eq!(late.date_in(&TimeZone::UTC), jiff::civil::date(2021, 1, 31));
    }

    #[test]
    fn the_site_zone_from_the_offsets() {
        // (post_date_gmt, post_date) pairs, as the export has them.
        let zone = |posts: &[(&str, &str)]| {
            timezone(&posts.iter().map(|(gmt, local)| zone_sample(gmt, local).unwrap()).collect())
        };
        assert_eq!(zone(&[]), "UTC");
        assert_eq!(zone(&[("2021-12-02 09:30:00", "2021-12-02 09:30:00")]), "UTC");
        assert_eq!(zone(&[("2021-12-02 09:30:00", "2021-12-02 11:30:00")]), "Etc/GMT-2");
        assert_eq!(zone(&[("2021-12-02 09:30:00", "2021-12-02 04:30:00")]), "Etc/GMT+5");
        // Central European time and its summer time.
        let europe = [("2021-12-02 09:30:00", "2021-12-02 10:30:00"), ("2021-07-02 09:30:00", "2021-07-02 11:30:00")];
        assert_eq!(zone(&europe), "Europe/Berlin");
        // Greenwich time in winter, then summer time.
        let london = [("2021-12-02 09:30:00", "2021-12-02 09:30:00"), ("2021-07-02 09:30:00", "2021-07-02 10:30:00")];
        assert_eq!(zone(&london), "Europe/London");
        // Rules no usual zone has (summer time in January, as in Chile and
        // Paraguay): a zone that gives them.
        let south = [("2021-01-02 12:00:00", "2021-01-02 09:00:00"), ("2021-07-02 12:00:00", "2021-07-02 08:00:00")];
        let found = zone(&south);
        let tz = TimeZone::get(&found).unwrap();
        assert!(!USUAL.contains(&found.as_str()) && found.starts_with("America/"), "{found}");
        for (gmt, local) in south {
            let (at, offset) = zone_sample(gmt, local).unwrap();
            assert_eq!(tz.to_offset(at).seconds(), offset, "{found}");
        }
        // New York's: an evening post is the next day in UTC, which a
        // `{year}/{month}/{day}` permalink must not see.
        let new_york = [("2022-01-01 01:30:00", "2021-12-31 20:30:00"), ("2022-06-01 01:30:00", "2022-05-31 21:30:00")];
        assert_eq!(zone(&new_york), "America/New_York");
        // Half an hour ahead all year: India's zone, where no Etc/ zone is.
        assert_eq!(zone(&[("2021-12-02 09:30:00", "2021-12-02 15:00:00")]), "Asia/Kolkata");
        // Offsets no zone gives together (+1 in winter, +3 in summer): UTC.
        let odd = [("2021-12-02 09:30:00", "2021-12-02 10:30:00"), ("2021-07-02 09:30:00", "2021-07-02 12:30:00")];
        assert_eq!(zone(&odd), "UTC");
        let (at, offset) = zone_sample("2021-12-02 09:30:00", "2021-12-02 11:30:00").unwrap();
        assert_eq!((at.as_second(), offset), (1_638_437_400, 7200));
        assert!(TimeZone::get("Etc/GMT-2").is_ok());
    }

    fn link(path: &str, (y, m, d): (i16, i8, i8), slug: &str) -> Permalink {
        Permalink { path: path.into(), date: jiff::civil::date(y, m, d), slug: slug.into() }
    }

    #[test]
    fn permalink_patterns_are_inferred_when_all_fit() {
        let links = [link("/2021/12/meeting/", (2021, 12, 2), "meeting"), link("/2020/08/map/", (2020, 8, 28), "map")];
        assert_eq!(infer_pattern(&links).as_deref(), Some("/{year}/{month}/{slug}/"));
        let links = [link("/2021/12/02/a/", (2021, 12, 2), "a")];
        assert_eq!(infer_pattern(&links).as_deref(), Some("/{year}/{month}/{day}/{slug}/"));
        let links = [link("/news/a.html", (2021, 12, 2), "a")];
        assert_eq!(infer_pattern(&links).as_deref(), Some("/news/{slug}.html"));
        // A month segment that equals the day is the month.
        let links = [link("/2021/05/05/a/", (2021, 5, 5), "a")];
        assert_eq!(infer_pattern(&links).as_deref(), Some("/{year}/{month}/{day}/{slug}/"));
        // One that does not fit: no pattern; so do plain permalinks.
        let links = [link("/2021/12/a/", (2021, 12, 2), "a"), link("/b/", (2020, 1, 1), "b")];
        assert_eq!(infer_pattern(&links), None);
        assert_eq!(infer_pattern(&[link("/", (2020, 1, 1), "a")]), None);
    }

    #[test]
    fn front_matter_is_toml_that_parses() {
        let matter = Matter {
            title: "A \"quoted\" title\\".into(),
            date: WpDate::of("2021-12-02 09:30:00", ""),
            tags: vec!["moon".into(), "mars".into()],
            summary: Some("line\nbreak".into()),
            ..Matter::default()
        };
        let text = matter.to_toml();
        let inner = text.trim_start_matches("+++\n").trim_end_matches("+++\n");
        let table: toml::Table = toml::from_str(inner).unwrap();
        assert_eq!(table["title"].as_str(), Some("A \"quoted\" title\\"));
        assert_eq!(table["date"].to_string(), "2021-12-02T09:30:00Z");
        assert_eq!(table["summary"].as_str(), Some("line\nbreak"));
    }

    #[test]
    fn slugs_from_titles_as_wordpress_saves_them() {
        assert_eq!(sanitize_title("Hello world!"), "hello-world");
        assert_eq!(sanitize_title("Étude sur l’énergie"), "etude-sur-lenergie");
        assert_eq!(sanitize_title("Tom & Jerry’s “bold” — take 2.0"), "tom-jerrys-bold-take-2-0");
        assert_eq!(sanitize_title("Straße, Œuvre & Ærø"), "strasse-oeuvre-aero");
        assert_eq!(sanitize_title("A/B 50×50"), "a-b-50x50");
        assert_eq!(sanitize_title("  --Worth A Thousand Words-- "), "worth-a-thousand-words");
        assert_eq!(sanitize_title("日本語 Übersicht"), "日本語-ubersicht");
        // Marks of other scripts are their letters' own.
        assert_eq!(sanitize_title("हिन्दी"), "हिन्दी");
        assert_eq!(sanitize_title("“…”"), "");
    }

    #[test]
    fn file_stems_and_slugs() {
        assert_eq!(file_stem("hello-world", "post-1"), "hello-world");
        assert_eq!(file_stem("../etc/passwd", "post-1"), "etc-passwd");
        assert_eq!(file_stem("", "post-1"), "post-1");
        assert_eq!(file_stem("café", "x"), "café");
        assert!(!good_slug("a/b") && !good_slug("") && good_slug("café"));
        assert_eq!(xml_clean("a\u{c}b"), "ab");
    }
}
