//! A news item or a publication, as the outputs see it: validated, with its
//! URL and id worked out. Its body stays in its file until a feed includes
//! it (`read_body`).

use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use jiff::Timestamp;

use super::source::Source;
use crate::archive::cache::FileKey;
use crate::error::{Error, IoContext, Result};

/// The kinds of section whose items go into feeds: a kind decides an
/// item's front matter and whether it is archived. A store has a section
/// of each kind named after it (`news/`, `publications/`), and may declare
/// more (`[sections]` of `site.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    News,
    Publications,
}

impl Section {
    pub const ALL: [Section; 2] = [Section::News, Section::Publications];

    /// The name of the kind, and the folder of the section named after it.
    pub fn dir(self) -> &'static str {
        match self {
            Section::News => "news",
            Section::Publications => "publications",
        }
    }

    pub fn from_dir(name: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.dir() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Item {
    /// The kind of its section.
    pub section: Section,
    /// Its section's folder (`news`, `inside-rust`): what feeds select by.
    pub section_name: String,
    /// The Markdown file: the content folder joined with its path in it.
    pub source: PathBuf,
    pub slug: String,
    /// RFC 4151 tag URI (or the front matter's own `id`).
    pub id: String,
    /// The item's page: its section's pattern filled, or its own `url`.
    pub url: String,
    pub title: String,
    /// The front matter's summary, else the first paragraph as plain text.
    pub summary: Option<String>,
    pub date: Timestamp,
    pub updated: Option<Timestamp>,
    pub tags: Vec<String>,
    /// `categories` and `category`, as Jekyll, Hugo and Zola write them.
    pub categories: Vec<String>,
    pub authors: Vec<String>,
    /// Old addresses (`aliases`, `redirect_from`): kept, nothing is
    /// published for them yet.
    pub aliases: Vec<String>,
    /// The keys of other generators, kept for templates as `item.extra`.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Boxed: 160 bytes a news item would carry empty.
    pub publication: Option<Box<Publication>>,
    /// The files the body shows or links, published beside the item.
    pub assets: Vec<Asset>,
    /// The SHA-256 of its file's bytes as loaded and of every field above
    /// (`seal`): what caches beside the output know it by (`proved`,
    /// `reuse`, the archive's bundles), as a fresh clone has new times and
    /// inodes but the same bytes. Worked out once, on the cores that load
    /// the files, and kept with the parse in the cache of parsed files: a
    /// rebuild does not hash 110,000 items it did not read.
    pub digest: [u8; 32],
}

/// A file a body references, published at the URL the reference resolves
/// to (see `place.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Asset {
    /// Where it is read from (links resolved).
    pub source: PathBuf,
    /// Where it is published, relative to the output folder, one entry per
    /// segment.
    pub out_path: Vec<String>,
    pub url: String,
}

impl Item {
    /// Sets its `digest`, from its file's bytes' SHA-256, `source_sha256`,
    /// and its fields: made once every field is final, as an item is not
    /// changed once loaded.
    pub fn seal(&mut self, source_sha256: [u8; 32]) {
        self.digest = [0; 32];
        self.digest = crate::fingerprint::hash_digest(&(source_sha256, &*self));
    }

    /// The Markdown body, read again from the source file. The store keeps
    /// only what every output needs: a feed reads the bodies of the few
    /// items it includes, so a store of 100,000 items does not hold them all.
    pub fn read_body(&self) -> Result<String> {
        let bytes = super::regular::read(&self.source).at(&self.source)?;
        let source = Source::parse(&self.source, bytes).map_err(|d| Error::Content(vec![d]))?;
        // What check warned of (W0109) is dropped here, for every output.
        Ok(source.clean_body().into_owned())
    }

    /// What the feeds carry as categories: the tags, then the categories
    /// that are not also tags.
    pub fn terms(&self) -> Vec<&String> {
        let mut terms: Vec<&String> = self.tags.iter().collect();
        for category in &self.categories {
            if !terms.contains(&category) {
                terms.push(category);
            }
        }
        terms
    }

    /// When the item last changed: `updated`, else `date`.
    pub fn modified(&self) -> Timestamp {
        self.updated.unwrap_or(self.date).max(self.date)
    }
}

/// What only publications have.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Publication {
    pub kind: PublicationKind,
    pub edition: Option<String>,
    pub language: Option<String>,
    pub pdf: Pdf,
}

/// The PDF of a publication.
#[derive(Debug, Clone, PartialEq)]
pub struct Pdf {
    /// Where it is read from.
    pub source: PathBuf,
    /// Its file name, kept as the editor wrote it.
    pub file_name: String,
    pub size: u64,
    /// Where it is published: `{base_url}/publications/{slug}/{file_name}`.
    pub url: String,
    /// The same place relative to the output folder, one entry per segment.
    pub out_path: Vec<String>,
    /// The file's state (size, time, inode) as the load found it, where it
    /// was found through real folders and not modified in the last two
    /// seconds: what the archive's cache and the copy into the output take,
    /// not asking the file system three times more for each of 10,000
    /// PDFs. Not part of the item's identity (a fresh clone has new inodes
    /// and times): not hashed.
    pub state: Option<FileKey>,
}

impl Hash for Pdf {
    fn hash<H: Hasher>(&self, h: &mut H) {
        let Pdf { source, file_name, size, url, out_path, state: _ } = self;
        (source, file_name, size, url, out_path).hash(h);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PublicationKind {
    Report,
    Roadmap,
    WhitePaper,
    Supplement,
    TermsOfReference,
    Other,
}

impl PublicationKind {
    pub const NAMES: &[&str] = &["report", "roadmap", "white-paper", "supplement", "terms-of-reference", "other"];

    pub fn parse(name: &str) -> Option<PublicationKind> {
        Some(match name {
            "report" => PublicationKind::Report,
            "roadmap" => PublicationKind::Roadmap,
            "white-paper" => PublicationKind::WhitePaper,
            "supplement" => PublicationKind::Supplement,
            "terms-of-reference" => PublicationKind::TermsOfReference,
            "other" => PublicationKind::Other,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        PublicationKind::NAMES[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_round_trip() {
        for name in PublicationKind::NAMES {
            assert_eq!(PublicationKind::parse(name).unwrap().name(), *name);
        }
        assert_eq!(PublicationKind::parse("book"), None);
    }

    #[test]
    fn the_digest_is_of_the_file_bytes_and_of_every_field() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal/content");
        let store = super::super::Store::load(&root, Timestamp::from_second(1_900_000_000).unwrap()).unwrap();
        let item = store.news[0].as_ref();
        let bytes = std::fs::read(&item.source).unwrap();
        let sha: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(&bytes).into();
        let sealed = |mut item: Item, sha| {
            item.seal(sha);
            item.digest
        };
        assert_eq!(sealed(item.clone(), sha), item.digest, "the loaded item is sealed from its file's bytes");
        assert_ne!(sealed(item.clone(), [7; 32]), item.digest, "other bytes, another digest");
        let mut retitled = item.clone();
        retitled.title.push_str(" (corrected)");
        assert_ne!(sealed(retitled, sha), item.digest, "another title, another digest");
    }
}
