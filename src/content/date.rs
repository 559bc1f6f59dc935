//! Dates of the content store. Editors write RFC 3339 dates or date-times
//! (TOML's own date values included); a value without an offset means that
//! wall time in the site's time zone, a date alone means 00:00 there.
//! Everything downstream works on `Timestamp`s and prints them back in the
//! site's zone, so output never depends on the machine's zone.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, fmt::rfc2822};

/// The forms accepted, for error hints.
pub const ACCEPTED_FORMS: &str = "accepted: 2021-12-02, 2021-12-02T09:30:00, 2021-12-02T09:30:00Z, \
     2021-12-02T09:30:00+01:00, as Jekyll writes them 2021-12-02 09:30:00 +0100, or as Hugo takes them \
     Thu, 02 Dec 2021 09:30:00 +0100";

/// The first instant a date may be: 0001-01-02T00:00:00Z, so that every
/// time zone shows it in year 1 (none is a whole day behind UTC). RFC 3339
/// and RFC 4151 dates, XSD's `dateTime` and RSS's RFC 822 all want a year of
/// four digits, and XSD has no year 0. The last is jiff's, 9999-12-30T22:00Z.
pub const FIRST: Timestamp = Timestamp::constant(-62_135_510_400, 0);

/// Parses one date value strictly (no loose forms that the Temporal parser
/// would also take, such as `20211202`), between `FIRST` and jiff's last
/// instant.
pub fn parse(raw: &str, tz: &TimeZone) -> Result<Timestamp, String> {
    // jiff says the last bound in its own words (a parameter's range).
    let ts = parse_any(raw, tz).map_err(|e| match e.contains("is not in the required range") {
        true => format!(
            "{raw:?} is after 9999-12-30T22:00:00Z, the last instant every time zone shows in year 9999: feeds \
             and sitemaps need a year from 0001 to 9999"
        ),
        false => e,
    })?;
    match ts < FIRST {
        true => Err(format!(
            "{raw:?} is before 0001-01-02T00:00:00Z, the first instant every time zone shows in year 1: \
             feeds and sitemaps need a year from 0001 to 9999"
        )),
        false => Ok(ts),
    }
}

fn parse_any(raw: &str, tz: &TimeZone) -> Result<Timestamp, String> {
    let text = raw.trim();
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let date_ok = b.len() >= 10 && digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10);
    if !date_ok {
        // Hugo takes RFC 1123 and RFC 2822 dates too (`Mon, 08 Mar 2021
        // 15:04:05 -0700`), as feeds and mail write them: a site moving in
        // may hold some.
        return match rfc2822::parse(text) {
            Ok(zoned) => Ok(zoned.timestamp()),
            Err(_) => Err(format!("{raw:?} is not a date")),
        };
    }
    let date: Date = text[..10].parse().map_err(|_| format!("{raw:?} is not a calendar date"))?;
    if b.len() == 10 {
        return date.to_zoned_datetime(tz.clone()).map(|z| z.timestamp()).map_err(|e| format!("{raw:?}: {e}"));
    }
    // Normalise the separators RFC 3339 allows in either case.
    let mut norm = jekyll_tokens(text).unwrap_or_else(|| text.to_owned());
    // SAFETY of indexing: byte 10 exists and the prefix is ASCII.
    norm.replace_range(10..11, "T");
    if !matches!(b[10], b'T' | b't' | b' ') {
        return Err(format!("{raw:?} is not a date-time"));
    }
    if norm.ends_with('z') {
        norm.pop();
        norm.push('Z');
    }
    let rest = &norm[11..];
    let (time, offset) = match rest.find(['Z', '+', '-', ' ', '\t']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    // YAML 1.1 and Jekyll: blanks before the offset, and an offset without
    // its colon (`-0800`) or minutes (`-08`), written here as RFC 3339's.
    let offset = offset.trim_start_matches([' ', '\t']);
    let offset = match offset.as_bytes() {
        [sign @ (b'+' | b'-'), h @ ..] if h.len() == 2 && h.iter().all(u8::is_ascii_digit) => {
            format!("{}{}:00", *sign as char, &offset[1..])
        }
        [sign @ (b'+' | b'-'), h @ ..] if h.len() == 4 && h.iter().all(u8::is_ascii_digit) => {
            format!("{}{}:{}", *sign as char, &offset[1..3], &offset[3..])
        }
        _ => offset.to_owned(),
    };
    let offset = offset.as_str();
    let tb = time.as_bytes();
    let time_ok = tb.len() >= 5
        && tb[..2].iter().all(u8::is_ascii_digit)
        && tb[2] == b':'
        && tb[3..5].iter().all(u8::is_ascii_digit)
        && (tb.len() == 5
            || (tb.len() >= 8
                && tb[5] == b':'
                && tb[6..8].iter().all(u8::is_ascii_digit)
                && (tb.len() == 8 || (tb.len() > 9 && tb[8] == b'.' && tb[9..].iter().all(u8::is_ascii_digit)))));
    let ob = offset.as_bytes();
    let offset_ok = offset.is_empty()
        || offset == "Z"
        || (ob.len() == 6
            && ob[1..3].iter().all(u8::is_ascii_digit)
            && ob[3] == b':'
            && ob[4..6].iter().all(u8::is_ascii_digit));
    if !time_ok || !offset_ok {
        return Err(format!("{raw:?} is not an RFC 3339 date-time"));
    }
    // Ranges the parser below would take or bend: a leap second (`:60`,
    // which jiff reads as :59) and offsets past ±23:59.
    let two = |s: &str, at: usize| s.get(at..at + 2).and_then(|d| d.parse::<u8>().ok()).unwrap_or(0);
    if tb.len() >= 8 && two(time, 6) == 60 {
        return Err(format!("{raw:?} is a leap second (:60), which feeds cannot carry: write :59"));
    }
    if ob.len() == 6 && (two(offset, 1) > 23 || two(offset, 4) > 59) {
        return Err(format!("{raw:?} has the offset {offset}, outside -23:59 to +23:59"));
    }
    let norm = format!("{}T{time}{offset}", &norm[..10]);
    if offset.is_empty() {
        let local: DateTime = norm.parse().map_err(|e| format!("{raw:?}: {e}"))?;
        local.to_zoned_datetime(tz.clone()).map(|z| z.timestamp()).map_err(|e| format!("{raw:?}: {e}"))
    } else {
        norm.parse::<Timestamp>().map_err(|e| format!("{raw:?}: {e}"))
    }
}

/// Jekyll's space-separated form as Ruby's `Time.parse` reads it, in the
/// two ways real posts write it beyond YAML's: the zone as `UTC` or `GMT`,
/// and the year repeated before the offset (`2023-01-29 18:30:22 2023
/// -0800`, as `date` prints it), which Ruby passes over. `None` for any
/// other text, left to the strict parser.
fn jekyll_tokens(text: &str) -> Option<String> {
    let (day, rest) = text.split_at(10);
    let mut tokens: Vec<&str> = rest.strip_prefix(' ')?.split_whitespace().collect();
    let time = tokens.first().copied()?;
    let year_at = tokens.iter().skip(1).position(|t| *t == &day[..4]).map(|i| i + 1);
    let zone_at = tokens.iter().position(|t| matches!(*t, "UTC" | "GMT"));
    if year_at.is_none() && zone_at.is_none() || tokens.len() > 3 || time.contains(['+', '-', 'Z']) {
        return None;
    }
    if let Some(at) = zone_at {
        tokens[at] = "Z";
    }
    if let Some(at) = year_at {
        tokens.remove(at);
    }
    let zone = tokens.get(1).map_or(String::new(), |z| if *z == "Z" { "Z".to_owned() } else { format!(" {z}") });
    (tokens.len() <= 2).then(|| format!("{day} {time}{zone}"))
}

/// Why `ts` cannot be shown in the zone `tz`, if it cannot: RFC 3339 and
/// RFC 822 write offsets in whole minutes, and zones began as local mean
/// time (Europe/Paris was +00:09:21 until 1911).
pub fn unshowable(ts: Timestamp, tz: &TimeZone) -> Option<String> {
    let offset = tz.to_offset(ts);
    (offset.seconds() % 60 != 0).then(|| {
        format!(
            "the site's time zone is {offset} (local mean time) at that date: feeds can only carry offsets in whole minutes"
        )
    })
}

/// RFC 3339 in the site's zone, whole seconds: `2021-12-02T00:00:00+01:00`.
/// Written digit by digit: a sitemap of 110,000 URLs and every feed item
/// ask for it, and `strftime` parses its format each time.
pub fn rfc3339(ts: Timestamp, tz: &TimeZone) -> String {
    let offset = tz.to_offset(ts);
    let t = offset.to_datetime(ts);
    let seconds = offset.seconds();
    if !(0..=9999).contains(&t.year()) || seconds % 60 != 0 {
        return rfc3339_strftime(ts, tz);
    }
    let mut out = String::with_capacity(25);
    let fields = [t.month(), t.day(), t.hour(), t.minute(), t.second()].map(|n| n as u32);
    push_digits(&mut out, t.year() as u32, 4);
    for (n, sep) in fields.into_iter().zip(['-', '-', 'T', ':', ':']) {
        out.push(sep);
        push_digits(&mut out, n, 2);
    }
    if seconds == 0 {
        out.push('Z');
    } else {
        out.push(if seconds < 0 { '-' } else { '+' });
        let minutes = seconds.unsigned_abs() / 60;
        push_digits(&mut out, minutes / 60, 2);
        out.push(':');
        push_digits(&mut out, minutes % 60, 2);
    }
    out
}

/// `rfc3339` through jiff's `strftime`: for years outside 0-9999 and
/// offsets of seconds, and the measure of the fast path in the tests.
fn rfc3339_strftime(ts: Timestamp, tz: &TimeZone) -> String {
    let zoned = ts.to_zoned_datetime(tz.clone());
    if zoned.offset().seconds() == 0 {
        zoned.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// `n`'s last `width` decimal digits, zero-padded.
fn push_digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        out.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
    }
}

/// RFC 822 as RSS 2.0 wants it, four-digit year: `Thu, 2 Dec 2021 00:00:00 +0000`.
pub fn rfc822(ts: Timestamp, tz: &TimeZone) -> String {
    let zoned = ts.to_zoned_datetime(tz.clone());
    rfc2822::to_string(&zoned).unwrap_or_else(|_| zoned.strftime("%a, %d %b %Y %H:%M:%S %z").to_string())
}

/// The calendar day in the site's zone, as RFC 4151 tag dates want it.
pub fn day(ts: Timestamp, tz: &TimeZone) -> String {
    let mut out = rfc3339(ts, tz);
    match out.as_bytes().get(10) {
        Some(b'T') => out.truncate(10),
        _ => out = ts.to_zoned_datetime(tz.clone()).strftime("%Y-%m-%d").to_string(),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(raw: &str) -> Result<String, String> {
        parse(raw, &TimeZone::UTC).map(|t| rfc3339(t, &TimeZone::UTC))
    }

    proptest::proptest! {
        #[test]
        fn rfc3339_is_what_strftime_writes(secs in -62_135_596_800i64..253_402_300_799, zone in 0usize..5) {
            let zones = ["UTC", "Europe/Paris", "America/St_Johns", "Asia/Kathmandu", "Africa/Monrovia"];
            let tz = TimeZone::get(zones[zone]).unwrap();
            let ts = Timestamp::from_second(secs).unwrap();
            proptest::prop_assert_eq!(rfc3339(ts, &tz), rfc3339_strftime(ts, &tz));
            let day = ts.to_zoned_datetime(tz.clone()).strftime("%Y-%m-%d").to_string();
            proptest::prop_assert_eq!(super::day(ts, &tz), day);
        }
    }

    #[test]
    fn accepts_rfc_3339_dates_and_date_times() {
        assert_eq!(utc("2021-12-02").unwrap(), "2021-12-02T00:00:00Z");
        assert_eq!(utc("2021-12-02T09:30:00Z").unwrap(), "2021-12-02T09:30:00Z");
        assert_eq!(utc("2021-12-02t09:30:00z").unwrap(), "2021-12-02T09:30:00Z");
        assert_eq!(utc("2021-12-02 09:30").unwrap(), "2021-12-02T09:30:00Z");
        assert_eq!(utc("2021-12-02T09:30:00.5+01:00").unwrap(), "2021-12-02T08:30:00Z");
        assert_eq!(utc("2024-02-29").unwrap(), "2024-02-29T00:00:00Z");
        assert_eq!(utc("1970-01-01").unwrap(), "1970-01-01T00:00:00Z");
        // The last instant every zone can show (jiff's range ends there).
        assert_eq!(utc("9999-12-30T00:00:00Z").unwrap(), "9999-12-30T00:00:00Z");
        // The first.
        assert_eq!(utc("0001-01-02").unwrap(), "0001-01-02T00:00:00Z");
        assert_eq!(rfc3339(FIRST, &TimeZone::UTC), "0001-01-02T00:00:00Z");
    }

    #[test]
    fn years_before_1_in_any_zone_are_refused() {
        let west = TimeZone::get("Etc/GMT+12").unwrap();
        // Pacific/Kiritimati kept local mean time (-10:29:20) until 1901.
        let east = TimeZone::get("Etc/GMT-14").unwrap();
        for (raw, tz) in [
            ("0000-01-01T05:00:00Z", &west),
            ("0000-06-01", &TimeZone::UTC),
            ("0001-01-01", &TimeZone::UTC),
            ("0001-01-01T23:59:59Z", &TimeZone::UTC),
            ("0001-01-01T11:59:59", &west),
            ("0001-01-02T13:59:59", &east),
        ] {
            let e = parse(raw, tz).unwrap_err();
            assert!(e.contains("0001-01-02T00:00:00Z"), "{raw}: {e}");
        }
        // The first instant, however written, shows year 1 in every zone.
        for (raw, tz) in [("0001-01-02", &TimeZone::UTC), ("0001-01-01T12:00:00", &west), ("0001-01-02T14:00", &east)] {
            let ts = parse(raw, tz).unwrap();
            assert_eq!(ts, FIRST, "{raw}");
            for zone in [&west, &east, &TimeZone::UTC] {
                assert!(rfc3339(ts, zone).starts_with("0001-01-0"), "{raw}: {}", rfc3339(ts, zone));
                assert!(rfc822(ts, zone).contains(" Jan 0001 "), "{}", rfc822(ts, zone));
                assert!(day(ts, zone).starts_with("0001-01-0"), "{}", day(ts, zone));
            }
        }
    }

    #[test]
    fn accepts_yaml_1_1_timestamps_as_jekyll_writes_them() {
        assert_eq!(utc("2014-12-17 11:16:21 -0800").unwrap(), "2014-12-17T19:16:21Z");
        assert_eq!(utc("2014-12-17 11:16:21 +00:00").unwrap(), "2014-12-17T11:16:21Z");
        assert_eq!(utc("2014-12-17 11:16:21-08").unwrap(), "2014-12-17T19:16:21Z");
        assert_eq!(utc("2014-12-17 11:16:21 -08").unwrap(), "2014-12-17T19:16:21Z");
        assert_eq!(utc("2014-12-17T11:16:21+0130").unwrap(), "2014-12-17T09:46:21Z");
        assert_eq!(utc("2014-12-17T11:16:21Z").unwrap(), "2014-12-17T11:16:21Z");
        assert_eq!(utc("2014-12-17 11:16:21.25 Z").unwrap(), "2014-12-17T11:16:21Z");
        // A local date-time means the site's zone, as a local date does.
        let la = TimeZone::get("America/Los_Angeles").unwrap();
        let ts = parse("2014-12-17 11:16", &la).unwrap();
        assert_eq!(rfc3339(ts, &TimeZone::UTC), "2014-12-17T19:16:00Z");
        assert_eq!(ts, parse("2014-12-17 11:16:00 -0800", &TimeZone::UTC).unwrap());
        // What Ruby's Time.parse passes over, found in Jekyll's own posts.
        assert_eq!(utc("2023-01-29 18:30:22 2023 -0800").unwrap(), "2023-01-30T02:30:22Z");
        assert_eq!(utc("2014-12-17 11:16:21 UTC").unwrap(), "2014-12-17T11:16:21Z");
        assert_eq!(utc("2014-12-17 11:16 GMT").unwrap(), "2014-12-17T11:16:00Z");
        for bad in ["2023-01-29 18:30:22 2024 -0800", "2023-01-29 18:30:22 2023 2023", "2023-01-29 UTC"] {
            assert!(utc(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_last_bound_is_said_in_words() {
        for raw in ["9999-12-31", "9999-12-31T12:00:00Z"] {
            let said = parse(raw, &TimeZone::UTC).unwrap_err();
            assert!(said.contains("is after 9999-12-30T22:00:00Z"), "{said}");
        }
        assert!(parse("9999-12-31T00:00:00+14:00", &TimeZone::UTC).is_ok());
    }

    #[test]
    fn accepts_rfc_2822_dates_as_hugo_takes_them() {
        assert_eq!(utc("Mon, 08 Mar 2021 15:04:05 -0700").unwrap(), "2021-03-08T22:04:05Z");
        assert_eq!(utc("Mon, 08 Mar 2021 15:04:05 GMT").unwrap(), "2021-03-08T15:04:05Z");
        assert_eq!(utc("8 Mar 2021 15:04 +0100").unwrap(), "2021-03-08T14:04:00Z");
        // The day of the week must be the date's.
        assert!(utc("Tue, 08 Mar 2021 15:04:05 -0700").is_err());
        assert!(utc("Mon, 08 Mar 0000 15:04:05 -0700").is_err(), "before year 1");
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            "2021",
            "20211202",
            "2021-13-01",
            "2023-02-29",
            "2021-12-02T25:00:00Z",
            "2 December 2021",
            "2021-12-02T09:30:00 +1:00",
            "2021-12-02T09:30:00 +010",
            "2021-12-02 09:30:00 PST",
            "2021-12-02T09:30:00 Z Z",
            "2021-12-02T09",
            "2021-12-02T09:30:00-24:00",
            "2021-12-02T09:30:00+23:60",
            "2016-12-31T23:59:60Z",
        ] {
            assert!(utc(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn local_mean_time_cannot_be_shown() {
        let paris = TimeZone::get("Europe/Paris").unwrap();
        let old = parse("1850-01-01", &paris).unwrap();
        assert!(unshowable(old, &paris).is_some());
        assert!(unshowable(parse("2021-12-02", &paris).unwrap(), &paris).is_none());
        assert!(unshowable(old, &TimeZone::UTC).is_none());
    }

    #[test]
    fn local_values_mean_the_site_zone() {
        let paris = TimeZone::get("Europe/Paris").unwrap();
        let ts = parse("2021-12-02", &paris).unwrap();
        assert_eq!(rfc3339(ts, &TimeZone::UTC), "2021-12-01T23:00:00Z");
        assert_eq!(rfc3339(ts, &paris), "2021-12-02T00:00:00+01:00");
        assert_eq!(rfc822(ts, &paris), "Thu, 2 Dec 2021 00:00:00 +0100");
        assert_eq!(day(ts, &paris), "2021-12-02");
    }
}
