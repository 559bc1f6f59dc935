//! Generated dates in every zone: each means the same instant in every
//! format, and items are ordered by date then slug.

use super::values::syntax;
use super::*;

const ZONES: &[&str] = &[
    "UTC",
    "Pacific/Kiritimati",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "Australia/Lord_Howe",
    "America/New_York",
    "Europe/Paris",
    "Pacific/Pago_Pago",
];

/// A date as an editor writes it, and the instant it means in `tz` (None:
/// outside the range of dates, so refused).
#[derive(Debug, Clone)]
struct WrittenDate {
    text: String,
    /// Written as a TOML date value rather than a string.
    bare: bool,
}

fn written_date() -> impl Strategy<Value = WrittenDate> {
    let year = prop_oneof![1 => Just(1970i16), 1 => Just(9999i16), 1 => Just(2024i16), 1 => Just(2000i16), 3 => 1970..=9999i16];
    let month = 1..=12i8;
    let form = 0..5u8;
    let offset = (-23..=23i32, prop::sample::select(&[0, 15, 30, 45][..]));
    (year, month, any::<prop::sample::Index>(), 0..24i8, 0..60i8, 0..60i8, form, offset, any::<bool>()).prop_map(
        |(y, m, d, h, mi, s, form, (oh, om), bare)| {
            let days = jiff::civil::Date::new(y, m, 1).unwrap().days_in_month();
            // Leap days come up often: the last day of February is favoured.
            let day = if m == 2 && d.index(3) == 0 { days } else { d.index(days as usize) as i8 + 1 };
            let date = format!("{y:04}-{m:02}-{day:02}");
            let time = format!("{h:02}:{mi:02}:{s:02}");
            let sign = if oh < 0 { '-' } else { '+' };
            let text = match form {
                0 => date,
                1 => format!("{date}T{time}"),
                2 => format!("{date}T{time}Z"),
                3 => format!("{date}T{time}{sign}{:02}:{om:02}", oh.abs()),
                _ => format!("{date} {}", &time[..5]),
            };
            // TOML takes no space-separated date-time with only minutes as a literal.
            WrittenDate { bare: bare && form != 4, text }
        },
    )
}

/// What `text` means, computed apart from pressroom's parser.
fn expected_instant(text: &str, tz: &TimeZone) -> Option<Timestamp> {
    let norm = text.replacen(' ', "T", 1);
    if norm.len() == 10 {
        let d: jiff::civil::Date = norm.parse().unwrap();
        return tz.to_timestamp(d.to_datetime(jiff::civil::Time::midnight())).ok();
    }
    let has_offset = norm.ends_with('Z') || norm[10..].contains(['+', '-']);
    if has_offset {
        let (local, off) = norm.split_at(if norm.ends_with('Z') { norm.len() - 1 } else { norm.len() - 6 });
        let dt: jiff::civil::DateTime = local.parse().unwrap();
        let seconds = if off == "Z" {
            0
        } else {
            let sign = if off.starts_with('-') { -1 } else { 1 };
            sign * (off[1..3].parse::<i32>().unwrap() * 3600 + off[4..6].parse::<i32>().unwrap() * 60)
        };
        let offset = jiff::tz::Offset::from_seconds(seconds).unwrap();
        offset.to_timestamp(dt).ok()
    } else {
        let dt: jiff::civil::DateTime = norm.parse().unwrap();
        tz.to_timestamp(dt).ok()
    }
}

/// The offset written at the end of an RFC 3339 value, in seconds.
fn rfc3339_offset(value: &str) -> i32 {
    if value.ends_with('Z') {
        return 0;
    }
    let off = &value[value.len() - 6..];
    let sign = if off.starts_with('-') { -1 } else { 1 };
    sign * (off[1..3].parse::<i32>().unwrap() * 3600 + off[4..6].parse::<i32>().unwrap() * 60)
}

proptest! {
    #![proptest_config(config())]

    /// Each date is refused cleanly (E0106) or published as the same instant
    /// in RFC 822 (RSS) and RFC 3339 (Atom, JSON Feed), in the site's zone.
    #[test]
    fn dates_mean_the_same_instant_in_every_format(
        zone in prop::sample::select(ZONES),
        date in written_date(),
        syntax in syntax(),
    ) {
        let tz = TimeZone::get(zone).unwrap();
        let value = if date.bare && syntax == Syntax::Toml { Value::Bare(date.text.clone()) } else { Value::Str(date.text.clone()) };
        let file = markdown(syntax, &[("title", Value::Str("T".into())), ("date", value)], "Body.\n");
        let dir = store_dir(zone, &[("news/item.md".into(), file.into_bytes())]);
        let expected = expected_instant(&date.text, &tz);
        let store = match (load(dir.path()), expected) {
            (Err(problems), None) => {
                prop_assert!(problems.iter().any(|d| d.code == Code::BadDate), "{:#?}", problems);
                return Ok(());
            }
            (Err(problems), Some(t)) => return Err(TestCaseError::fail(format!("{} ({t}) refused: {problems:#?}", date.text))),
            (Ok(_), None) => return Err(TestCaseError::fail(format!("{} is out of range but was published", date.text))),
            (Ok(store), Some(_)) => store,
        };
        let expected = expected.unwrap();
        let r = render(&store);
        let (rss, atom, json) = parse_all(&r)?;
        let item = rss_items(&rss)[0];
        let pub_date = text_of(item, None, "pubDate").unwrap();
        let rss_instant = crate::inside::rfc822(&pub_date);
        prop_assert_eq!(rss_instant, expected, "RSS pubDate {}", pub_date);
        let entry = atom_entries(&atom)[0];
        let published = text_of(entry, Some(ATOM_NS), "published").unwrap();
        prop_assert_eq!(crate::inside::rfc3339(&published), expected, "Atom published {}", published);
        let json_date = json["items"][0]["date_published"].as_str().unwrap().to_owned();
        prop_assert_eq!(crate::inside::rfc3339(&json_date), expected, "JSON date_published {}", json_date);
        // Shown in the site's zone, the same offset in both forms.
        let offset = tz.to_offset(expected).seconds();
        prop_assert_eq!(rfc3339_offset(&published), offset, "Atom offset {}", published);
        prop_assert_eq!(rfc3339_offset(&json_date), offset, "JSON offset {}", json_date);
        let rfc822_offset = &pub_date[pub_date.len() - 5..];
        let seconds = if rfc822_offset.starts_with('-') { -1 } else { 1 }
            * (rfc822_offset[1..3].parse::<i32>().unwrap() * 3600 + rfc822_offset[3..5].parse::<i32>().unwrap() * 60);
        prop_assert_eq!(seconds, offset, "RSS offset {}", pub_date);
        // feed-rs reads the same instant from all three.
        for text in [&r.rss, &r.atom, &r.json] {
            let feed = feed_rs::parser::parse(text.as_bytes()).unwrap();
            let got = feed.entries[0].published.map(|d| d.timestamp());
            prop_assert_eq!(got, Some(expected.as_second()), "feed-rs date");
        }
    }

    /// Items are ordered newest first, ties broken by slug, the same in
    /// every format (ties are common: few distinct instants, written in
    /// different zones).
    #[test]
    fn items_are_ordered_by_date_then_slug(
        items in prop::collection::vec((prop::sample::select(&[
            "2021-01-01", "2021-01-01T00:00:00Z", "2021-01-01T01:00:00+01:00", "2020-12-31T19:00:00-05:00",
            "2024-02-29", "2024-02-29T12:00:00+14:00", "1970-01-01T00:00:00Z", "9999-12-30T00:00:00Z",
        ][..]), "[a-c]{1,3}"), 1..8),
        zone in prop::sample::select(ZONES),
    ) {
        let tz = TimeZone::get(zone).unwrap();
        let mut seen = BTreeSet::new();
        let items: Vec<_> = items.into_iter().filter(|(_, slug)| seen.insert(slug.clone())).collect();
        let files: Vec<(String, Vec<u8>)> = items.iter().map(|(date, slug)| {
            (format!("news/{slug}.md"), markdown(Syntax::Toml, &[
                ("title", Value::Str(format!("title {slug}"))), ("date", Value::Str(date.to_string())),
            ], "Body.\n").into_bytes())
        }).collect();
        let dir = store_dir(zone, &files);
        let store = load(dir.path()).map_err(|p| TestCaseError::fail(format!("{p:#?}")))?;
        let mut expected: Vec<(Timestamp, String)> =
            items.iter().map(|(d, s)| (expected_instant(d, &tz).unwrap(), s.clone())).collect();
        expected.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let expected: Vec<String> = expected.into_iter().map(|(_, s)| format!("title {s}")).collect();
        let r = render(&store);
        let (rss, atom, json) = parse_all(&r)?;
        let rss_titles: Vec<String> = rss_items(&rss).iter().map(|i| text_of(*i, None, "title").unwrap()).collect();
        let atom_titles: Vec<String> = atom_entries(&atom).iter().map(|e| text_of(*e, Some(ATOM_NS), "title").unwrap()).collect();
        let json_titles: Vec<String> = json["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_owned()).collect();
        prop_assert_eq!(&rss_titles, &expected, "RSS order");
        prop_assert_eq!(&atom_titles, &expected, "Atom order");
        prop_assert_eq!(&json_titles, &expected, "JSON order");
    }
}
