//! The BagIt 1.0 tag files of one bag (RFC 8493), made from the payload's
//! paths and digests and the bag's metadata: `bagit.txt`, `bag-info.txt`,
//! `manifest-sha256.txt`, `manifest-sha512.txt`, and the tag manifests
//! `tagmanifest-sha256.txt` and `tagmanifest-sha512.txt` (§2.2.1: a tag
//! manifest SHOULD use the same algorithms as the payload manifests; each
//! lists every other tag file and no tag manifest). Kept apart from the ZIP
//! so the same text is what the build writes and what the tests check.
//!
//! bag-info.txt values are written on one line each: the RFC's folding is
//! only RECOMMENDED past 79 characters, and bagit-python keeps a folded
//! line's break inside the value.

use sha2::{Digest as _, Sha256, Sha512};

use super::digest::hex;

pub const BAGIT_TXT: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

/// One payload file: its path from the bag's base directory (`data/…`).
#[derive(Debug, Clone)]
pub struct PayloadFile {
    pub path: String,
    pub size: u64,
    pub sha256: [u8; 32],
    pub sha512: [u8; 64],
}

impl PayloadFile {
    /// A file held in memory (the metadata index).
    pub fn of_bytes(path: String, bytes: &[u8]) -> PayloadFile {
        PayloadFile {
            path,
            size: bytes.len() as u64,
            sha256: Sha256::digest(bytes).into(),
            sha512: Sha512::digest(bytes).into(),
        }
    }
}

pub struct Bag {
    /// bag-info.txt as (label, value), in order.
    pub info: Vec<(&'static str, String)>,
    /// Sorted by path.
    pub payload: Vec<PayloadFile>,
}

impl Bag {
    pub fn new(info: Vec<(&'static str, String)>, mut payload: Vec<PayloadFile>) -> Bag {
        payload.sort_by(|a, b| a.path.cmp(&b.path));
        Bag { info, payload }
    }

    /// `octets.streamcount` of the payload.
    pub fn payload_oxum(payload: &[PayloadFile]) -> String {
        format!("{}.{}", payload.iter().map(|f| f.size).sum::<u64>(), payload.len())
    }

    /// Every tag file as (path from the base directory, bytes), in the order
    /// they go into the ZIP.
    pub fn tag_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut info = String::new();
        for (label, value) in &self.info {
            // A value is one line: a line break would start a new (bogus) tag.
            let value: String = value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
            info.push_str(&format!("{label}: {}\n", value.trim()));
        }
        let manifest = |digest: fn(&PayloadFile) -> String| {
            let mut text = String::new();
            for file in &self.payload {
                text.push_str(&format!("{}  {}\n", digest(file), encode_path(&file.path)));
            }
            text.into_bytes()
        };
        let mut files = vec![
            ("bagit.txt".to_owned(), BAGIT_TXT.as_bytes().to_vec()),
            ("bag-info.txt".to_owned(), info.into_bytes()),
            ("manifest-sha256.txt".to_owned(), manifest(|f| hex(&f.sha256))),
            ("manifest-sha512.txt".to_owned(), manifest(|f| hex(&f.sha512))),
        ];
        let mut tag256 = String::new();
        let mut tag512 = String::new();
        for (path, bytes) in &files {
            tag256.push_str(&format!("{}  {}\n", hex(&Sha256::digest(bytes)), encode_path(path)));
            tag512.push_str(&format!("{}  {}\n", hex(&Sha512::digest(bytes)), encode_path(path)));
        }
        files.push(("tagmanifest-sha256.txt".to_owned(), tag256.into_bytes()));
        files.push(("tagmanifest-sha512.txt".to_owned(), tag512.into_bytes()));
        files
    }
}

/// A manifest's file path: `%`, CR and LF percent-encoded (RFC 8493 §2.1.3),
/// `%` first so the others are not encoded twice.
pub fn encode_path(path: &str) -> String {
    path.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// The inverse of `encode_path`; other `%` sequences are left as they are.
pub fn decode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 3).map(str::to_ascii_uppercase);
        match code.as_deref() {
            Some("25") => out.push('%'),
            Some("0D") => out.push('\r'),
            Some("0A") => out.push('\n'),
            _ => {
                out.push('%');
                rest = &rest[i + 1..];
                continue;
            }
        }
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_paths_are_percent_encoded() {
        let raw = "data/50% off\r\nreport.pdf";
        let encoded = encode_path(raw);
        assert_eq!(encoded, "data/50%25 off%0D%0Areport.pdf");
        assert_eq!(decode_path(&encoded), raw);
        assert_eq!(decode_path("data/%0a%41"), "data/\n%41");
    }

    #[test]
    fn tag_files_in_order_with_tag_manifests_over_the_others() {
        let bag = Bag::new(
            vec![("Source-Organization", "Org\nwith a newline".into()), ("Payload-Oxum", "3.1".into())],
            vec![PayloadFile::of_bytes("data/a.txt".into(), b"abc")],
        );
        let files = bag.tag_files();
        let names: Vec<_> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "bagit.txt",
                "bag-info.txt",
                "manifest-sha256.txt",
                "manifest-sha512.txt",
                "tagmanifest-sha256.txt",
                "tagmanifest-sha512.txt"
            ]
        );
        assert_eq!(files[1].1, b"Source-Organization: Org with a newline\nPayload-Oxum: 3.1\n");
        assert_eq!(
            String::from_utf8(files[2].1.clone()).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  data/a.txt\n"
        );
        let tag = String::from_utf8(files[4].1.clone()).unwrap();
        assert_eq!(tag.lines().count(), 4);
        assert!(!tag.contains("tagmanifest"));
        assert_eq!(Bag::payload_oxum(&bag.payload), "3.1");
    }
}
