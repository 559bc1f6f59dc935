//! Regressions and edges the properties found, each kept as a named test.

use super::values::{Values, news_file, reads_back};
use super::*;

#[test]
fn the_last_instant_every_zone_can_show_is_the_limit() {
    // jiff's range, and so pressroom's: 9999-12-30T22:00:00.999999999Z
    // (every offset, up to ±25:59:59, can still show it as a civil date).
    assert_eq!(Timestamp::MAX.to_string(), "9999-12-30T22:00:00.999999999Z");
    for (zone, date, ok) in [
        ("UTC", "9999-12-30T22:00:00Z", true),
        ("UTC", "9999-12-30T22:00:01Z", false),
        ("UTC", "9999-12-31", false),
        ("Pacific/Kiritimati", "9999-12-31", true),
        ("Pacific/Kiritimati", "9999-12-31T12:00:00", true),
        ("Pacific/Kiritimati", "9999-12-31T12:00:01", false),
        ("America/St_Johns", "9999-12-30T18:30:00", true),
        ("America/St_Johns", "9999-12-30T18:30:01", false),
        ("America/St_Johns", "9999-12-31", false),
    ] {
        let file =
            markdown(Syntax::Toml, &[("title", Value::Str("T".into())), ("date", Value::Str(date.into()))], "B\n");
        let dir = store_dir(zone, &[("news/item.md".into(), file.into_bytes())]);
        match load(dir.path()) {
            Ok(store) => {
                assert!(ok, "{zone} {date} was published");
                let r = render(&store);
                parse_all(&r).unwrap();
            }
            Err(problems) => {
                assert!(!ok, "{zone} {date} was refused: {problems:#?}");
                assert_eq!(problems.iter().map(|d| d.code).collect::<Vec<_>>(), vec![Code::BadDate], "{zone} {date}");
                assert!(problems[0].message.contains("9999"), "{}", problems[0].message);
            }
        }
    }
}

#[test]
fn a_tag_with_a_tab_or_line_break_is_refused() {
    // Found by `every_value_reads_back_in_every_format`: Atom writes a tag
    // as the attribute `term`, where a parser reads a tab or a line break
    // as a space (XML 1.0 §3.3.3), so the tag "!\tA" read back as "! A".
    for tag in ["!\tA", "a\nb", "a\r\nb", "a\rb"] {
        let v =
            Values { title: "T".into(), summary: None, tags: vec![tag.into()], authors: vec![], body: "B\n".into() };
        let dir = store_dir("UTC", &[("news/item.md".into(), news_file(Syntax::Toml, &v, "2021-12-02").into_bytes())]);
        let problems = load(dir.path()).unwrap_err();
        let codes: Vec<_> = problems.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(codes, vec![(Code::BadValue, 4)], "{tag:?}: {problems:#?}");
    }
    // Around a tag, whitespace is not part of it.
    let v = Values {
        title: "T".into(),
        summary: None,
        tags: vec![" \tmoon\n".into()],
        authors: vec![],
        body: "B\n".into(),
    };
    let dir = store_dir("UTC", &[("news/item.md".into(), news_file(Syntax::Toml, &v, "2021-12-02").into_bytes())]);
    assert_eq!(load(dir.path()).unwrap().news[0].tags, vec!["moon".to_owned()]);
}

#[test]
fn surrounding_whitespace_and_carriage_returns_are_not_part_of_a_value() {
    // Found by `every_value_reads_back_in_every_format`: the title " x"
    // read back as "x" through feed-rs, and a CR as LF through any XML
    // parser; the loader now does both, so every format says the same.
    let v = Values {
        title: " x\r\ny\rz ".into(),
        summary: Some("\u{a0}s\t".into()),
        tags: vec![],
        authors: vec!["\nAda ".into()],
        body: "B\n".into(),
    };
    let dir = store_dir("UTC", &[("news/item.md".into(), news_file(Syntax::Toml, &v, "2021-12-02").into_bytes())]);
    let store = load(dir.path()).unwrap();
    let item = &store.news[0];
    assert_eq!((item.title.as_str(), item.summary.as_deref()), ("x\ny\nz", Some("s")));
    assert_eq!(item.authors, vec!["Ada".to_owned()]);
    reads_back(&v, &render(&store)).unwrap();
    // A blank summary is no summary: the first paragraph stands in.
    let v = Values { summary: Some("  ".into()), body: "First.\n".into(), ..v };
    let dir = store_dir("UTC", &[("news/item.md".into(), news_file(Syntax::Toml, &v, "2021-12-02").into_bytes())]);
    assert_eq!(load(dir.path()).unwrap().news[0].summary.as_deref(), Some("First."));
}

#[test]
fn a_lone_carriage_return_in_a_body_reads_the_same_in_every_format() {
    // Found by `every_value_reads_back_in_every_format`: the body "<!--\r"
    // kept its CR in JSON's content_html, which XML parsers read as LF.
    let v = Values { title: "x".into(), summary: None, tags: vec![], authors: vec![], body: "<!--\r".into() };
    let dir = store_dir("UTC", &[("news/item.md".into(), news_file(Syntax::Toml, &v, "2021-12-02").into_bytes())]);
    let r = render(&load(dir.path()).unwrap());
    assert!(!r.json.contains("\\r") && !r.rss.contains('\r') && !r.atom.contains('\r'));
    reads_back(&v, &r).unwrap();
}
