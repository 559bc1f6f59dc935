//! The manifest pressroom keeps beside what it published, under the prefix
//! (`.pressroom-publish.json`): each key it wrote, with the size, SHA-256
//! and headers it had, and the store's ETag of the object. Read first to
//! know what the store holds without downloading it; checked against the
//! store's listing, so an object changed or removed behind pressroom's back
//! is not trusted; written last, once everything it describes is in place.

use std::collections::BTreeMap;

use object_store::ObjectMeta;
use serde::{Deserialize, Serialize};

/// The manifest's name under the prefix.
pub const MANIFEST: &str = ".pressroom-publish.json";

/// What pressroom knows of one object it wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub size: u64,
    pub sha256: String,
    pub content_type: String,
    pub cache_control: String,
    /// The store's ETag right after the upload: a later listing with another
    /// ETag means someone else wrote the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e_tag: Option<String>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(default)]
    about: String,
    /// Keys relative to the prefix, as in the output folder.
    pub files: BTreeMap<String, Entry>,
}

impl Manifest {
    /// The manifest as stored, or an empty one when it is missing or
    /// unreadable: then every file is uploaded again, which is safe.
    pub fn parse(bytes: &[u8]) -> Manifest {
        serde_json::from_slice(bytes).unwrap_or_default()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut copy = self.clone();
        copy.about = "The objects pressroom published under this prefix: it compares the next publish with this, \
                      and deletes only these."
            .into();
        let mut json = serde_json::to_vec_pretty(&copy).expect("a manifest serialises");
        json.push(b'\n');
        json
    }

    /// The entries the store's listing confirms: the object is there, with
    /// the recorded size, and the recorded ETag where both have one. The
    /// others are objects someone else changed or removed; they are dropped
    /// here so that the plan uploads them again. Returns the dropped keys.
    pub fn confirm(&mut self, listing: &BTreeMap<String, ObjectMeta>) -> Vec<String> {
        let mut dropped = Vec::new();
        self.files.retain(|key, entry| {
            let kept = listing.get(key).is_some_and(|meta| {
                meta.size == entry.size
                    && match (&entry.e_tag, &meta.e_tag) {
                        (Some(ours), Some(theirs)) => unquote(ours) == unquote(theirs),
                        _ => true,
                    }
            });
            if !kept {
                dropped.push(key.clone());
            }
            kept
        });
        dropped
    }
}

/// S3 quotes its ETags in some answers and not in others.
pub fn unquote(e_tag: &str) -> &str {
    e_tag.trim_matches('"')
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::path::Path;

    fn meta(key: &str, size: u64, e_tag: &str) -> (String, ObjectMeta) {
        let meta = ObjectMeta {
            location: Path::from(key),
            last_modified: Default::default(),
            size,
            e_tag: Some(e_tag.into()),
            version: None,
        };
        (key.to_owned(), meta)
    }

    fn entry(size: u64, e_tag: &str) -> Entry {
        Entry {
            size,
            sha256: "00".into(),
            content_type: "t".into(),
            cache_control: "c".into(),
            e_tag: Some(e_tag.into()),
        }
    }

    #[test]
    fn drops_what_the_listing_contradicts() {
        let mut m = Manifest::default();
        for (key, size, tag) in [("same", 1, "\"a\""), ("resized", 2, "b"), ("rewritten", 3, "c"), ("gone", 4, "d")] {
            m.files.insert(key.into(), entry(size, tag));
        }
        let listing = [meta("same", 1, "a"), meta("resized", 5, "b"), meta("rewritten", 3, "x")].into_iter().collect();
        let mut dropped = m.confirm(&listing);
        dropped.sort();
        assert_eq!(dropped, ["gone", "resized", "rewritten"]);
        assert_eq!(m.files.keys().collect::<Vec<_>>(), ["same"]);
        assert_eq!(Manifest::parse(&m.to_bytes()).files, m.files);
        assert_eq!(Manifest::parse(b"not json"), Manifest::default());
    }
}
