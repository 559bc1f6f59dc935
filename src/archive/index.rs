//! The metadata index of a bag, `data/index.json` and `data/index.csv`: one
//! record per publication, for archivists who read it with a script or a
//! spreadsheet decades from now, without our software. `IndexRecord` is the wire
//! format (field names and their order are a promise to those readers); it is
//! built from the content model here and nowhere else.
//!
//! Dates are RFC 3339 in the site's time zone; `language` is the
//! publication's, else the site's; in the CSV, tags are joined with "; " and
//! absent values are empty cells. The CSV follows RFC 4180: a header row,
//! CRLF line ends, fields quoted when needed, UTF-8 without a byte order mark.

use serde::Serialize;

use super::digest::Digests;
use crate::content::{Item, Publication, Site, date};

pub const CSV_HEADER: [&str; 15] = [
    "id",
    "title",
    "date",
    "updated",
    "kind",
    "edition",
    "language",
    "summary",
    "tags",
    "publisher",
    "url",
    "pdf_url",
    "path",
    "size",
    "sha256",
];

#[derive(Debug, Clone, Serialize)]
pub struct IndexRecord {
    pub id: String,
    pub title: String,
    pub date: String,
    pub updated: Option<String>,
    pub kind: &'static str,
    pub edition: Option<String>,
    pub language: String,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub publisher: String,
    /// The publication's page.
    pub url: String,
    pub pdf_url: String,
    /// The PDF inside the bag, from the bag's base directory (`data/…`).
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// `data/index.json`.
#[derive(Serialize)]
struct IndexJson<'a> {
    bundle: &'a str,
    title: &'a str,
    publisher: &'a str,
    site: &'a str,
    count: usize,
    publications: &'a [IndexRecord],
}

impl IndexRecord {
    pub fn new(site: &Site, item: &Item, publication: &Publication, digests: &Digests, path: String) -> IndexRecord {
        let tz = &site.timezone;
        IndexRecord {
            id: item.id.clone(),
            title: item.title.clone(),
            date: date::rfc3339(item.date, tz),
            updated: item.updated.map(|u| date::rfc3339(u, tz)),
            kind: publication.kind.name(),
            edition: publication.edition.clone(),
            language: publication.language.clone().unwrap_or_else(|| site.language.clone()),
            summary: item.summary.clone(),
            tags: item.tags.clone(),
            publisher: site.publisher.clone(),
            url: item.url.clone(),
            pdf_url: publication.pdf.url.clone(),
            path,
            size: digests.size,
            sha256: digests.sha256_hex(),
        }
    }

    fn csv_row(&self) -> [String; 15] {
        [
            self.id.clone(),
            self.title.clone(),
            self.date.clone(),
            self.updated.clone().unwrap_or_default(),
            self.kind.to_owned(),
            self.edition.clone().unwrap_or_default(),
            self.language.clone(),
            self.summary.clone().unwrap_or_default(),
            self.tags.join("; "),
            self.publisher.clone(),
            self.url.clone(),
            self.pdf_url.clone(),
            self.path.clone(),
            self.size.to_string(),
            self.sha256.clone(),
        ]
    }
}

/// `data/index.json`: the bundle's name and the site, then the records.
pub fn json(bundle: &str, site: &Site, records: &[IndexRecord]) -> Vec<u8> {
    let index = IndexJson {
        bundle,
        title: &site.title,
        publisher: &site.publisher,
        site: site.base_url.as_str(),
        count: records.len(),
        publications: records,
    };
    let mut bytes = serde_json::to_vec_pretty(&index).expect("plain data serializes");
    bytes.push(b'\n');
    bytes
}

/// `data/index.csv`.
pub fn csv(records: &[IndexRecord]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    writer.write_record(CSV_HEADER).expect("in memory");
    for record in records {
        writer.write_record(record.csv_row()).expect("in memory");
    }
    writer.into_inner().expect("in memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> IndexRecord {
        IndexRecord {
            id: "tag:example.org,2021-05-21:/publications/r/".into(),
            title: "Report, \"annual\"".into(),
            date: "2021-05-21T00:00:00Z".into(),
            updated: None,
            kind: "report",
            edition: None,
            language: "en".into(),
            summary: Some("Two\nlines".into()),
            tags: vec!["a".into(), "b".into()],
            publisher: "P".into(),
            url: "https://example.org/publications/r/".into(),
            pdf_url: "https://example.org/publications/r/r.pdf".into(),
            path: "data/2021/r/r.pdf".into(),
            size: 813,
            sha256: "00".into(),
        }
    }

    #[test]
    fn csv_is_rfc_4180() {
        let text = String::from_utf8(csv(&[record()])).unwrap();
        assert!(text.starts_with(
            "id,title,date,updated,kind,edition,language,summary,tags,publisher,url,pdf_url,path,size,sha256\r\n"
        ));
        assert!(text.contains(",\"Report, \"\"annual\"\"\",2021-05-21T00:00:00Z,,report,,en,\"Two\nlines\",a; b,P,"));
        assert!(text.ends_with(",data/2021/r/r.pdf,813,00\r\n"));
    }

    #[test]
    fn json_has_every_field() {
        let value: serde_json::Value = serde_json::from_slice(&serde_json::to_vec(&record()).unwrap()).unwrap();
        let keys: Vec<_> = value.as_object().unwrap().keys().cloned().collect();
        let mut expected: Vec<_> = CSV_HEADER.iter().map(|s| s.to_string()).collect();
        expected.sort();
        let mut keys = keys;
        keys.sort();
        assert_eq!(keys, expected);
    }
}
