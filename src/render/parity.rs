//! Test only: the RSS and Atom writers against the crates that wrote the
//! feeds before them (`rss` 2.1, `atom_syndication` 0.12, now
//! dev-dependencies for this alone). For any items, awkward text included
//! (`]]>`, markup, quotes, non-ASCII, empty fields), our bytes must be the
//! crates' document for the whole feed, byte for byte: readers and caches
//! that saw the old feeds see no change.

use std::path::PathBuf;

use atom_syndication as atom;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use proptest::prelude::*;

use super::feed::{Feed, FeedEntry};
use crate::content::{Item, Pdf, Publication, PublicationKind, Section, Site, date};
use crate::feed_def::{FeedDef, Format};
use crate::markdown;
use crate::url::BaseUrl;

/// The crate's RSS channel with every item, written in one piece.
fn rss_reference(feed: &Feed) -> Vec<u8> {
    use rss::extension::atom::{AtomExtension, Link};
    use rss::extension::dublincore::DublinCoreExtension;
    let tz = &feed.site.timezone;
    let items = feed.entries.iter().map(|entry| {
        let item = entry.item;
        rss::Item {
            title: Some(item.title.clone()),
            link: Some(item.url.clone()),
            description: Some(item.summary.as_deref().map_or_else(|| entry.html.clone(), markdown::escape_html)),
            categories: item.terms().into_iter().map(|t| rss::Category { name: t.clone(), domain: None }).collect(),
            enclosure: item.publication.as_ref().map(|p| rss::Enclosure {
                url: p.pdf.url.clone(),
                length: p.pdf.size.to_string(),
                mime_type: "application/pdf".into(),
            }),
            // The specs' ids are never their URLs: an id that is writes
            // `isPermaLink="true"`, which the crate leaves out.
            guid: Some(rss::Guid { value: item.id.clone(), permalink: false }),
            pub_date: Some(date::rfc822(item.date, tz)),
            content: Some(entry.html.clone()),
            dublin_core_ext: (!item.authors.is_empty())
                .then(|| DublinCoreExtension { creators: item.authors.clone(), ..Default::default() }),
            ..Default::default()
        }
    });
    let this = Link {
        href: feed.url(Format::Rss),
        rel: "self".into(),
        mime_type: Some("application/rss+xml".into()),
        ..Default::default()
    };
    let channel = rss::Channel {
        title: feed.def.title.clone(),
        link: feed.page_url(),
        description: feed.def.description.clone(),
        language: Some(feed.site.language.clone()),
        copyright: Some(feed.site.copyright.clone()).filter(|c| !c.is_empty()),
        last_build_date: Some(date::rfc822(feed.updated, tz)),
        generator: Some(concat!("pressroom ", env!("CARGO_PKG_VERSION")).into()),
        docs: Some("https://www.rssboard.org/rss-specification".into()),
        atom_ext: Some(AtomExtension { links: vec![this] }),
        items: items.collect(),
        ..Default::default()
    };
    channel.write_to(Vec::new()).unwrap()
}

/// The crate's Atom feed with every entry, after our declaration.
fn atom_reference(feed: &Feed) -> Vec<u8> {
    let site = feed.site;
    // As atom.rs did before the writer, with the fallbacks it has now.
    let time = |ts: Timestamp| {
        let parse = |tz: &TimeZone| atom::FixedDateTime::parse_from_rfc3339(&date::rfc3339(ts, tz));
        parse(&site.timezone).or_else(|_| parse(&TimeZone::UTC)).unwrap_or_default()
    };
    let link = |href: String, rel: &str, mime: &str, length: Option<u64>| atom::Link {
        href,
        rel: rel.into(),
        mime_type: Some(mime.into()),
        length: length.map(|l| l.to_string()),
        ..Default::default()
    };
    let person = |name: &String| atom::Person { name: name.clone(), ..Default::default() };
    let entries = feed.entries.iter().map(|entry| {
        let item = entry.item;
        let mut links = vec![link(item.url.clone(), "alternate", "text/html", None)];
        if let Some(p) = &item.publication {
            links.push(link(p.pdf.url.clone(), "enclosure", "application/pdf", Some(p.pdf.size)));
        }
        atom::Entry {
            title: atom::Text::plain(item.title.clone()),
            id: item.id.clone(),
            updated: time(item.modified()),
            published: Some(time(item.date)),
            authors: item.authors.iter().map(person).collect(),
            categories: item
                .terms()
                .into_iter()
                .map(|t| atom::Category { term: t.clone(), ..Default::default() })
                .collect(),
            links,
            summary: item.summary.clone().map(atom::Text::plain),
            content: Some(atom::Content {
                base: Some(item.url.clone()),
                value: Some(entry.html.clone()),
                content_type: Some("html".into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    });
    let doc = atom::Feed {
        title: atom::Text::plain(feed.def.title.clone()),
        subtitle: Some(atom::Text::plain(feed.def.description.clone())),
        id: feed.url(Format::Atom),
        updated: time(feed.updated),
        authors: vec![person(&site.publisher)],
        links: vec![
            link(feed.page_url(), "alternate", "text/html", None),
            link(feed.url(Format::Atom), "self", "application/atom+xml", None),
        ],
        rights: Some(site.copyright.clone()).filter(|c| !c.is_empty()).map(atom::Text::plain),
        generator: Some(atom::Generator {
            value: "pressroom".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
            ..Default::default()
        }),
        lang: Some(site.language.clone()),
        entries: entries.collect(),
        ..Default::default()
    };
    let config = atom::WriteConfig { write_document_declaration: false, indent_size: None };
    let mut out = b"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n".to_vec();
    doc.write_with_config(&mut out, config).unwrap();
    out
}

/// What one generated item is made of.
#[derive(Debug, Clone)]
struct Spec {
    title: String,
    id: String,
    summary: Option<String>,
    html: String,
    tags: Vec<String>,
    authors: Vec<String>,
    pdf: Option<(String, u64)>,
    date: i64,
    updated: Option<i64>,
}

fn item(spec: &Spec) -> Item {
    let at = |s: i64| Timestamp::from_second(s).unwrap();
    Item {
        section: Section::News,
        section_name: "news".into(),
        source: PathBuf::new(),
        slug: "slug".into(),
        id: spec.id.clone(),
        url: format!("https://example.org/news/{}/", spec.title),
        title: spec.title.clone(),
        summary: spec.summary.clone(),
        date: at(spec.date),
        updated: spec.updated.map(at),
        tags: spec.tags.clone(),
        categories: Vec::new(),
        authors: spec.authors.clone(),
        aliases: Vec::new(),
        extra: Default::default(),
        publication: spec.pdf.as_ref().map(|(url, size)| {
            Box::new(Publication {
                kind: PublicationKind::Report,
                edition: None,
                language: None,
                pdf: Pdf {
                    source: PathBuf::new(),
                    file_name: "a.pdf".into(),
                    size: *size,
                    url: url.clone(),
                    out_path: vec![],
                    state: None,
                },
            })
        }),
        assets: vec![],
        digest: [0; 32],
    }
}

fn site(text: &str, zone: &str) -> Site {
    Site {
        title: text.into(),
        base_url: BaseUrl::parse("https://example.org/").unwrap(),
        description: text.into(),
        language: text.into(),
        publisher: text.into(),
        copyright: text.into(),
        timezone: TimeZone::get(zone).unwrap(),
        urls: Default::default(),
        ids: Default::default(),
        outputs: Default::default(),
        sections: Site::stand_in().sections,
    }
}

fn def(text: &str) -> FeedDef {
    FeedDef {
        name: "news".into(),
        path: vec!["news".into()],
        title: text.into(),
        description: text.into(),
        section: Section::News,
        sections: vec!["news".into()],
        tags: vec![],
        categories: vec![],
        authors: vec![],
        limit: usize::MAX,
        formats: vec![Format::Rss, Format::Atom],
        archive: false,
        files: Default::default(),
        files_pos: Default::default(),
    }
}

/// Both formats of a feed of `specs`, ours and the crates', must agree.
fn check(specs: &[Spec], text: &str, zone: &str) -> Result<(), TestCaseError> {
    let (site, def) = (site(text, zone), def(text));
    let items: Vec<Item> = specs.iter().map(item).collect();
    let entries = items.iter().zip(specs).map(|(item, s)| FeedEntry { item, html: s.html.clone() }).collect::<Vec<_>>();
    let updated = items.iter().map(Item::modified).max().unwrap_or(Timestamp::UNIX_EPOCH);
    let feed = Feed { def: &def, site: &site, entries, updated, paging: super::feed::Paging::Off };
    let (mut rss, mut atom) = (Vec::new(), Vec::new());
    super::rss::render(&feed, &mut rss).unwrap();
    super::atom::render(&feed, &mut atom).unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    prop_assert_eq!(text(rss), text(rss_reference(&feed)));
    prop_assert_eq!(text(atom), text(atom_reference(&feed)));
    Ok(())
}

/// Text made of the pieces that escaping, CDATA and UTF-8 can trip on.
fn awkward() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "a",
        "Zz 9",
        "<",
        ">",
        "&",
        "&amp;",
        "'",
        "\"",
        "]]>",
        "]]",
        "]",
        "<![CDATA[",
        "é",
        "漢字",
        "😀",
        "\t",
        "\n",
        "\r",
        " ",
    ];
    prop::collection::vec(prop::sample::select(PIECES), 0..8).prop_map(|v| v.concat())
}

fn spec() -> impl Strategy<Value = Spec> {
    // From 1906 (Paris still on local mean time: the UTC fallback) to 2096.
    let moment = -2_000_000_000i64..4_000_000_000;
    let pdf = prop::option::of((awkward(), any::<u64>()));
    let texts = |n| prop::collection::vec(awkward(), 0..n);
    (awkward(), awkward(), prop::option::of(awkward()), awkward(), texts(3), texts(3), pdf, moment.clone())
        .prop_flat_map(move |(title, id, summary, html, tags, authors, pdf, date)| {
            prop::option::of(moment.clone()).prop_map(move |updated| Spec {
                title: title.clone(),
                id: id.clone(),
                summary: summary.clone(),
                html: html.clone(),
                tags: tags.clone(),
                authors: authors.clone(),
                pdf: pdf.clone(),
                date,
                updated,
            })
        })
}

const ZONES: [&str; 4] = ["UTC", "Europe/Paris", "America/St_Johns", "Asia/Kathmandu"];

proptest! {
    #[test]
    fn our_feeds_are_the_crates_feeds(
        specs in prop::collection::vec(spec(), 0..6),
        text in awkward(),
        zone in prop::sample::select(&ZONES[..]),
    ) {
        check(&specs, &text, zone)?;
    }
}

/// Past one chunk of `write_in_chunks` (256 entries) and one batch, with
/// authors on a late item only: the `dc` namespace must still be declared.
#[test]
fn chunks_join_into_the_crates_feed() {
    let specs: Vec<Spec> = (0..1500)
        .map(|n| Spec {
            title: format!("item {n} <&>"),
            id: format!("tag:example.org,2024:{n}"),
            summary: (n % 3 == 0).then(|| format!("summary {n} ]]> é")),
            html: format!("<p>body {n} ]]> &amp; \"q\"</p>"),
            tags: (0..n % 3).map(|t| format!("tag{t}")).collect(),
            authors: if n == 1400 { vec!["Ann O'Hara".into()] } else { vec![] },
            pdf: (n % 5 == 0).then(|| (format!("https://example.org/{n}.pdf"), n as u64 * 1000)),
            date: 1_700_000_000 - n as i64 * 3600,
            updated: (n % 7 == 0).then_some(1_700_000_000),
        })
        .collect();
    check(&specs, "Feed & title", "Europe/Paris").unwrap();
}

/// No item: no `content` namespace, as the crate wrote it.
#[test]
fn an_empty_feed_is_the_crates_feed() {
    check(&[], "", "UTC").unwrap();
}
