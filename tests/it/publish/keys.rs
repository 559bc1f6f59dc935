//! Every key is the file's path under the output as it is: what the feeds
//! link, percent-encoded once, and what the listing gives back.

use std::collections::BTreeSet;
use std::fs;

use super::moto::Moto;
use super::{for_s3, publish, s3_url};
use crate::harness::Store;

const ODD_SLUG: &str = "a#b%c?d e";
const ODD_PDF: &str = "publications/a#b%c?d e/odd.pdf";

/// A publication whose slug holds `#`, `%`, `?` and a space.
fn with_odd_slug(store: Store) -> Store {
    let pdf = fs::read(store.content().join("publications/pdf/minimal-report.pdf")).unwrap();
    store.write("publications/pdf/odd.pdf", [pdf, b"\n% odd\n".to_vec()].concat()).write(
        "publications/2024-04-01-odd.md",
        format!(
            "+++\ntitle = \"Odd\"\ndate = 2024-04-01\nsummary = \"An odd name.\"\nkind = \"report\"\n\
             slug = {ODD_SLUG:?}\nfile = \"pdf/odd.pdf\"\n+++\n\nOdd.\n"
        ),
    )
}

/// `text` with its `%XX` escapes decoded, as a web server does to a URL path.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], text.get(i + 1..i + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn a_key_is_the_file_s_path_as_it_is_and_what_the_feeds_link() {
    let Some(moto) = Moto::start() else { return };
    let store = for_s3(with_odd_slug(Store::fixture("minimal")), &moto.endpoint());
    let built = store.build().ok();
    assert!(built.path(ODD_PDF).is_file());
    publish(&store, &s3_url(), &[]).ok();

    let listed: BTreeSet<String> = moto
        .boto("for o in s3.list_objects_v2(Bucket=B)['Contents']:\n    print(o['Key'])")
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(listed.contains(&format!("site/{ODD_PDF}")), "{listed:#?}");
    assert!(!listed.iter().any(|k| k.contains("%23") || k.contains("%25") || k.contains("%3F")), "{listed:#?}");
    // The feed's link, decoded as the server behind a CDN decodes it, is the key.
    let rss = built.read("publications/rss.xml");
    let base = format!("{}publications/", crate::harness::MINIMAL_BASE);
    let link =
        rss.split(['"', '<']).find(|s| s.starts_with(&base) && s.ends_with("odd.pdf")).expect("a link to odd.pdf");
    assert!(link.contains("a%23b%25c%3Fd%20e"), "{link}");
    assert!(listed.contains(&format!("site/{}", percent_decoded(&link[crate::harness::MINIMAL_BASE.len()..]))));

    let mark = moto.mark();
    let again = publish(&store, &s3_url(), &[]).ok();
    assert!(again.stderr.contains("uploaded 0 file(s) (0 bytes), deleted 0,"), "{}", again.stderr);
    assert_eq!(moto.writes_since(mark), Vec::<String>::new());

    // Withdrawn, it is deleted: the listing's key matches the manifest's.
    let store = store.remove("publications/2024-04-01-odd.md");
    store.build().ok();
    let out = publish(&store, &s3_url(), &[]).ok();
    assert!(out.stderr.contains("deleted 1,"), "{}", out.stderr);
    assert!(!moto.objects("site").contains_key(ODD_PDF));
}

#[test]
fn a_file_destination_holds_the_file_names_as_they_are() {
    let store = with_odd_slug(Store::fixture("minimal"));
    let built = store.build().ok();
    let dest = store.root().join("www");
    let url = format!("file://{}", dest.display());
    publish(&store, &url, &[]).ok();
    assert_eq!(fs::read(dest.join(ODD_PDF)).unwrap(), built.bytes(ODD_PDF));
    let again = publish(&store, &url, &[]).ok();
    assert!(again.stderr.contains("uploaded 0 file(s) (0 bytes), deleted 0,"), "{}", again.stderr);
}
