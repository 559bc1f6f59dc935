//! The manifest pressroom keeps beside what it published, under the prefix
//! (`.pressroom-publish.json`): each key it wrote, with the size, SHA-256
//! and headers it had, and the store's ETag of the object. Read first to
//! know what the store holds without downloading it; written last, once
//! everything it describes is in place.
//!
//! Nothing in it is trusted as read. Its keys are refused unless each is a
//! path inside the output (`OutPath`), and each entry counts only as far
//! as the store's listing confirms it (`standing`): an object someone else
//! changed after pressroom wrote it is the site's from then on.

use std::collections::{BTreeMap, BTreeSet};

use object_store::ObjectMeta;
use serde::{Deserialize, Serialize};

use crate::out_path::{OutPath, Unfit};

/// The manifest's name under the prefix.
pub const MANIFEST: &str = ".pressroom-publish.json";

/// What pressroom knows of one object it wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedObject {
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
    /// Words for a person who opens the file; written, never read back, so
    /// that two manifests compare by what they record.
    #[serde(default, skip_deserializing)]
    about: String,
    /// pressroom's objects, by key relative to the prefix (as in the output
    /// folder).
    pub files: BTreeMap<String, PublishedObject>,
    /// Keys pressroom published once whose object someone else changed
    /// since: the site's while the object is there, so that a later publish
    /// neither overwrites nor deletes it (it is not in `files`, and would
    /// otherwise pass for an object pressroom never knew).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub kept: BTreeSet<String>,
    /// Keys a publish was about to write, stored before its first upload and
    /// cleared by the manifest it writes last. After a publish that failed
    /// midway, an object here that its entry no longer describes is
    /// pressroom's unfinished work, not the site's change.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub pending: BTreeSet<String>,
}

/// Where each key the manifest names stands, by the store's listing.
#[derive(Debug, Default)]
pub struct Standing {
    /// Entries the listing confirms (the object is there, with the recorded
    /// size and ETag): pressroom's objects.
    pub confirmed: BTreeMap<String, PublishedObject>,
    /// Recorded objects this listing shows changed, first seen now.
    pub changed: Vec<String>,
    /// Every key whose object is the site's: `changed`, and the keys kept
    /// before whose object is still there.
    pub kept: BTreeSet<String>,
    /// pressroom's objects left in an unknown state by a publish that
    /// stopped while writing them.
    pub unfinished: BTreeSet<String>,
    /// Recorded objects the store no longer holds.
    pub missing: BTreeSet<String>,
}

impl Manifest {
    pub fn new(files: BTreeMap<String, PublishedObject>, kept: BTreeSet<String>) -> Manifest {
        Manifest { about: String::new(), files, kept, pending: BTreeSet::new() }
    }

    /// The manifest as stored, or why it cannot be read.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }

    /// The first key that is not a path inside the output, with why: such
    /// a key was not written by pressroom, and nothing is done for it.
    pub fn foreign_key(&self) -> Option<(&str, Unfit)> {
        let keys = self.files.keys().chain(&self.kept).chain(&self.pending);
        keys.map(String::as_str).find_map(|key| OutPath::parse(key).err().map(|why| (key, why)))
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut copy = self.clone();
        copy.about = "The objects pressroom published under this prefix: it compares the next publish with this, \
                      and deletes only these, and only while the store still shows them as pressroom wrote them."
            .into();
        let mut json = serde_json::to_vec_pretty(&copy).expect("a manifest serialises");
        json.push(b'\n');
        json
    }

    /// Each key checked against the listing.
    pub fn standing(&self, listing: &BTreeMap<String, ObjectMeta>) -> Standing {
        let mut standing = Standing::default();
        for (key, entry) in &self.files {
            match listing.get(key) {
                None => {
                    standing.missing.insert(key.clone());
                }
                Some(meta) if describes(entry, meta) => {
                    standing.confirmed.insert(key.clone(), entry.clone());
                }
                Some(_) if self.pending.contains(key) => {
                    standing.unfinished.insert(key.clone());
                }
                Some(_) => {
                    standing.changed.push(key.clone());
                    standing.kept.insert(key.clone());
                }
            }
        }
        let unrecorded = |key: &&String| !self.files.contains_key(*key) && listing.contains_key(*key);
        standing.unfinished.extend(self.pending.iter().filter(unrecorded).cloned());
        let kept = self.kept.iter().filter(unrecorded).filter(|k| !self.pending.contains(*k));
        standing.kept.extend(kept.cloned());
        standing
    }
}

impl Standing {
    /// `key`, taken for changed, is pressroom's after all: `entry` (its
    /// recorded entry with the ETag the store shows now) describes it.
    pub fn reclaim(&mut self, key: &str, entry: PublishedObject) {
        self.changed.retain(|k| k != key);
        self.kept.remove(key);
        self.confirmed.insert(key.to_owned(), entry);
    }
}

/// The recorded size, and the recorded ETag where both have one.
fn describes(entry: &PublishedObject, meta: &ObjectMeta) -> bool {
    meta.size == entry.size
        && match (&entry.e_tag, &meta.e_tag) {
            (Some(ours), Some(theirs)) => unquote(ours) == unquote(theirs),
            _ => true,
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

    fn entry(size: u64, e_tag: &str) -> PublishedObject {
        PublishedObject {
            size,
            sha256: "00".into(),
            content_type: "t".into(),
            cache_control: "c".into(),
            e_tag: Some(e_tag.into()),
        }
    }

    #[test]
    fn the_listing_decides_what_is_pressroom_s() {
        let mut m = Manifest::default();
        for (key, size, tag) in [
            ("same", 1, "\"a\""),
            ("resized", 2, "b"),
            ("rewritten", 3, "c"),
            ("gone", 4, "d"),
            ("half-written", 5, "e"),
        ] {
            m.files.insert(key.into(), entry(size, tag));
        }
        m.kept.extend(["taken-before".to_owned(), "taken-then-deleted".to_owned()]);
        m.pending.extend(["half-written".to_owned(), "first-upload".to_owned(), "never-sent".to_owned()]);
        let listing = [
            meta("same", 1, "a"),
            meta("resized", 5, "b"),
            meta("rewritten", 3, "x"),
            meta("half-written", 6, "y"),
            meta("first-upload", 7, "z"),
            meta("taken-before", 8, "w"),
        ]
        .into_iter()
        .collect();
        let s = m.standing(&listing);
        assert_eq!(s.confirmed.keys().collect::<Vec<_>>(), ["same"]);
        assert_eq!(s.changed, ["resized", "rewritten"]);
        assert_eq!(s.kept.iter().collect::<Vec<_>>(), ["resized", "rewritten", "taken-before"]);
        assert_eq!(s.unfinished.iter().collect::<Vec<_>>(), ["first-upload", "half-written"]);
        assert_eq!(s.missing.iter().collect::<Vec<_>>(), ["gone"]);
    }

    #[test]
    fn keys_outside_the_output_and_unreadable_manifests_are_told_apart() {
        assert!(Manifest::parse(b"not json").is_err());
        let mut m = Manifest::new(BTreeMap::from([("news/rss.xml".into(), entry(1, "a"))]), BTreeSet::new());
        assert_eq!(Manifest::parse(&m.to_bytes()).unwrap().files, m.files);
        assert!(m.foreign_key().is_none());
        m.kept.insert("../../etc/passwd".into());
        assert_eq!(m.foreign_key(), Some(("../../etc/passwd", Unfit::DotSegment)));
        let old = br#"{"files": {"a/../b": {"size": 1, "sha256": "", "content_type": "", "cache_control": ""}}}"#;
        assert_eq!(Manifest::parse(old).unwrap().foreign_key(), Some(("a/../b", Unfit::DotSegment)));
    }
}
