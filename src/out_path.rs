//! A path under the output folder (or under a bucket's prefix), as a type
//! that can only hold a normalised relative path: `/`-separated segments,
//! none empty, `.` or `..`, none holding a NUL, a control character or a
//! `/`, none over 255 bytes. Every path pressroom writes, deletes, records
//! or uploads is one, so no path — from content, from a record read back,
//! from a bucket's manifest — can lead out of the output once it is one.
//!
//! Decoding (percent-encoding in URLs) happens before a path becomes an
//! `OutPath`, never after: what the type holds is what the file system sees.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest file name the common file systems take, in bytes (ext4,
/// APFS and NTFS).
pub const MAX_NAME: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OutPath(String);

/// Why a string is not an `OutPath`, in words for the message that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unfit {
    Empty,
    Absolute,
    EmptySegment,
    DotSegment,
    /// A name (a slug, a file name) that holds `/`.
    Separator,
    Control(char),
    TooLong {
        segment: String,
        bytes: usize,
    },
}

impl fmt::Display for Unfit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unfit::Empty => write!(f, "it is empty"),
            Unfit::Absolute => write!(f, "it is absolute"),
            Unfit::EmptySegment => write!(f, "it has an empty segment (`//` or a trailing `/`)"),
            Unfit::DotSegment => write!(f, "it has a `.` or `..` segment"),
            Unfit::Separator => write!(f, "a name in it holds `/`"),
            Unfit::Control(c) => write!(f, "it holds the control character {:?}", c),
            Unfit::TooLong { segment, bytes } => {
                let shown: String = segment.chars().take(40).collect();
                write!(f, "its segment {shown:?}… is {bytes} bytes long: file systems take {MAX_NAME}")
            }
        }
    }
}

impl OutPath {
    /// Checks `path` (`/`-separated, already decoded).
    pub fn parse(path: &str) -> Result<OutPath, Unfit> {
        if path.is_empty() {
            return Err(Unfit::Empty);
        }
        if path.starts_with('/') {
            return Err(Unfit::Absolute);
        }
        for segment in path.split('/') {
            check_segment(segment)?;
        }
        Ok(OutPath(path.to_owned()))
    }

    /// The path of `segments`, each checked (a segment holding `/` is refused
    /// as two segments would be: it is not one name).
    pub fn from_segments<S: AsRef<str>>(segments: &[S]) -> Result<OutPath, Unfit> {
        if segments.is_empty() {
            return Err(Unfit::Empty);
        }
        for segment in segments {
            let segment = segment.as_ref();
            if segment.contains('/') {
                return Err(Unfit::Separator);
            }
            check_segment(segment)?;
        }
        Ok(OutPath(segments.iter().map(AsRef::as_ref).collect::<Vec<_>>().join("/")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }

    /// The folders above the path, deepest first (`a/b/c` gives `a/b`, `a`).
    pub fn ancestors(&self) -> impl Iterator<Item = &str> {
        ancestors(&self.0)
    }
}

/// The folders above the `/`-separated `path`, deepest first.
pub fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.char_indices().rev().filter(|&(_, c)| c == '/').map(move |(i, _)| &path[..i])
}

fn check_segment(segment: &str) -> Result<(), Unfit> {
    match segment {
        "" => return Err(Unfit::EmptySegment),
        "." | ".." => return Err(Unfit::DotSegment),
        _ => {}
    }
    if let Some(c) = segment.chars().find(|c| c.is_control()) {
        return Err(Unfit::Control(c));
    }
    if segment.len() > MAX_NAME {
        return Err(Unfit::TooLong { segment: segment.to_owned(), bytes: segment.len() });
    }
    Ok(())
}

impl fmt::Display for OutPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for OutPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<std::path::Path> for OutPath {
    fn as_ref(&self) -> &std::path::Path {
        std::path::Path::new(&self.0)
    }
}

// Sound because OutPath's Eq, Ord and Hash are derived from its one String.
impl std::borrow::Borrow<str> for OutPath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OutPath {
    type Error = String;

    fn try_from(path: String) -> Result<OutPath, String> {
        OutPath::parse(&path).map_err(|why| format!("{path:?} is not a path inside the output: {why}"))
    }
}

impl From<OutPath> for String {
    fn from(path: OutPath) -> String {
        path.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_only_normalised_relative_paths() {
        for good in ["robots.txt", "news/rss.xml", "a b/#%?.pdf", "caf\u{e9}/x", ".well-known-ish/x", "..x/y."] {
            assert_eq!(OutPath::parse(good).unwrap().as_str(), good);
        }
        let long = "x".repeat(256);
        for (bad, why) in [
            ("", Unfit::Empty),
            ("/etc/passwd", Unfit::Absolute),
            ("a//b", Unfit::EmptySegment),
            ("a/", Unfit::EmptySegment),
            ("../victim.txt", Unfit::DotSegment),
            ("a/./b", Unfit::DotSegment),
            ("a/../../b", Unfit::DotSegment),
            ("a\0b", Unfit::Control('\0')),
            ("a\nb", Unfit::Control('\n')),
            ("a\u{85}b", Unfit::Control('\u{85}')),
        ] {
            assert_eq!(OutPath::parse(bad), Err(why), "{bad:?}");
        }
        assert!(matches!(OutPath::parse(&long), Err(Unfit::TooLong { bytes: 256, .. })));
        assert!(OutPath::parse(&"x".repeat(255)).is_ok());
    }

    #[test]
    fn segments_may_not_smuggle_separators() {
        assert_eq!(OutPath::from_segments(&["a", "b c"]).unwrap().as_str(), "a/b c");
        assert!(OutPath::from_segments(&["a", "../b"]).is_err());
        assert!(OutPath::from_segments(&["a/b"]).is_err());
        assert!(OutPath::from_segments::<&str>(&[]).is_err());
        assert!(OutPath::from_segments(&["..", "b"]).is_err());
    }

    #[test]
    fn serde_refuses_what_parse_refuses() {
        let ok: OutPath = serde_json::from_str("\"news/rss.xml\"").unwrap();
        assert_eq!(ok.segments().collect::<Vec<_>>(), ["news", "rss.xml"]);
        assert_eq!(ok.ancestors().collect::<Vec<_>>(), ["news"]);
        let err = serde_json::from_str::<OutPath>("\"../victim.txt\"").unwrap_err().to_string();
        assert!(err.contains("not a path inside the output"), "{err}");
    }
}
