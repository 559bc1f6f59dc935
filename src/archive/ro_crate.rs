//! `data/ro-crate-metadata.json` in every bag: RO-Crate 1.1 metadata, the
//! linked-data description research archives and repositories read (the
//! bag's `data/` folder is the crate's root). The dataset says what the bag
//! is (name, description, publisher, date, copyright, the site) and each
//! PDF is a `File` with its publication's title, date, kind, language,
//! size, SHA-256 and URL; the index files are described too, and
//! `data/index.html` is the catalogue a person opens. Built from the same
//! `IndexRecord`s as the JSON and CSV indexes, so the three never disagree.

use serde_json::{Value, json};

use super::index::IndexRecord;
use crate::content::Site;
use crate::media_type;

/// What the dataset entity says of its bag.
pub struct Dataset<'a> {
    pub name: &'a str,
    pub description: &'a str,
    /// The bagging date, `YYYY-MM-DD`.
    pub date: &'a str,
    /// The bundle's URL.
    pub url: &'a str,
}

/// The index files beside the PDFs, as (path from `data/`, media type).
const INDEXES: [(&str, &str, &str); 3] = [
    ("index.html", media_type::HTML, "Catalogue of the publications, for people"),
    ("index.json", media_type::JSON, "Metadata index of the publications (JSON)"),
    ("index.csv", "text/csv", "Metadata index of the publications (CSV, RFC 4180)"),
];

pub fn json(site: &Site, dataset: &Dataset<'_>, records: &[IndexRecord]) -> Vec<u8> {
    let publisher = site.base_url.as_str().to_owned();
    let files: Vec<String> = records.iter().map(|r| crate_id(&r.path)).collect();
    let mut parts: Vec<Value> = files.iter().map(|id| json!({ "@id": id })).collect();
    parts.extend(INDEXES.iter().map(|(path, ..)| json!({ "@id": path })));
    let mut graph = vec![
        json!({
            "@id": "ro-crate-metadata.json",
            "@type": "CreativeWork",
            "conformsTo": { "@id": "https://w3id.org/ro/crate/1.1" },
            "about": { "@id": "./" }
        }),
        json!({
            "@id": "./",
            "@type": "Dataset",
            "name": dataset.name,
            "description": dataset.description,
            "datePublished": dataset.date,
            "publisher": { "@id": publisher },
            "copyrightHolder": { "@id": publisher },
            "copyrightNotice": site.copyright,
            "license": { "@id": "#copyright" },
            "inLanguage": site.language,
            "url": dataset.url,
            "identifier": dataset.url,
            "mainEntityOfPage": { "@id": "index.html" },
            "hasPart": parts
        }),
        json!({
            "@id": publisher,
            "@type": "Organization",
            "name": site.publisher,
            "url": site.base_url.as_str(),
            "description": site.description
        }),
        json!({
            "@id": "#copyright",
            "@type": "CreativeWork",
            "name": "Copyright",
            "description": site.copyright
        }),
    ];
    // A site without a copyright (`site.toml`'s may be empty) states none.
    if site.copyright.is_empty() {
        graph.pop();
        if let Some(dataset) = graph[1].as_object_mut() {
            for key in ["copyrightHolder", "copyrightNotice", "license"] {
                dataset.remove(key);
            }
        }
    }
    let nodes = Nodes { head: graph, records, files: &files, publisher: &publisher };
    let doc = Doc { context: "https://w3id.org/ro/crate/1.1/context", graph: nodes };
    let mut bytes = serde_json::to_vec_pretty(&doc).expect("plain data serialises");
    bytes.push(b'\n');
    bytes
}

/// The crate's document: its keys in the order a map of them would have.
#[derive(serde::Serialize)]
struct Doc<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: Nodes<'a>,
}

/// The graph's entities, each made as it is written: a bag of 10,000
/// publications would otherwise hold 20,000 trees of JSON values at once.
struct Nodes<'a> {
    head: Vec<Value>,
    records: &'a [IndexRecord],
    files: &'a [String],
    publisher: &'a str,
}

impl serde::Serialize for Nodes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let publications = self.records.iter().zip(self.files).flat_map(|(record, id)| {
            let page = json!({ "@id": record.url, "@type": "WebPage", "name": record.title });
            [file(record, id, self.publisher), page]
        });
        let indexes = INDEXES
            .iter()
            .map(|(path, media, name)| json!({ "@id": path, "@type": "File", "name": name, "encodingFormat": media }));
        serializer.collect_seq(self.head.iter().cloned().chain(publications).chain(indexes))
    }
}

/// A publication's PDF as a `File` entity.
fn file(record: &IndexRecord, id: &str, publisher: &str) -> Value {
    let mut file = json!({
        "@id": id,
        "@type": "File",
        "name": record.title,
        "identifier": record.id,
        "datePublished": record.date,
        "genre": record.kind,
        "inLanguage": record.language,
        "encodingFormat": media_type::PDF,
        "contentSize": record.size.to_string(),
        "sha256": record.sha256,
        "url": record.pdf_url,
        "subjectOf": { "@id": record.url },
        "publisher": { "@id": publisher }
    });
    let extra = [
        ("dateModified", record.updated.clone().map(Value::from)),
        ("version", record.edition.clone().map(Value::from)),
        ("description", record.summary.clone().map(Value::from)),
        ("keywords", (!record.tags.is_empty()).then(|| Value::from(record.tags.join(", ")))),
    ];
    for (key, value) in extra {
        if let Some(value) = value {
            file[key] = value;
        }
    }
    file
}

/// A payload path (`data/…`) as the crate names it: relative to `data/`,
/// each segment percent-encoded as a URI path segment.
fn crate_id(path: &str) -> String {
    let inside = path.strip_prefix("data/").unwrap_or(path);
    inside.split('/').map(crate::url::encode_segment).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_copyright_is_stated_nowhere() {
        let site = |copyright: &str| {
            let text = format!(
                "title = \"T\"\nbase_url = \"https://example.org\"\ndescription = \"D\"\nlanguage = \"en\"\n\
                 publisher = \"P\"\ncopyright = \"{copyright}\"\n"
            );
            Site::parse(std::path::Path::new("site.toml"), &text).unwrap()
        };
        let dataset = Dataset { name: "n", description: "d", date: "2024-01-01", url: "https://example.org/a.zip" };
        let with = String::from_utf8(json(&site("C"), &dataset, &[])).unwrap();
        assert!(with.contains("\"copyrightNotice\": \"C\"") && with.contains("\"#copyright\""), "{with}");
        let without = String::from_utf8(json(&site(" "), &dataset, &[])).unwrap();
        assert!(!without.contains("copyright") && !without.contains("license"), "{without}");
        serde_json::from_str::<Value>(&without).unwrap();
    }
}
