//! Reading outputs back: strict XML (roxmltree), feed-rs, JSON, dates.

#![allow(dead_code)]

use crate::harness::Outcome;
pub use crate::harness::xml::*;

/// The feeds that ship, and the files each writes.
pub const FEEDS: [&str; 2] = ["news", "publications"];
pub const FORMATS: [&str; 3] = ["rss.xml", "atom.xml", "feed.json"];

/// Parses `bytes` with feed-rs (any of the three formats).
#[track_caller]
pub fn feed(out: &Outcome, rel: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(out.bytes(rel).as_slice()).unwrap_or_else(|e| panic!("{rel}: feed-rs: {e}"))
}

#[track_caller]
pub fn json(out: &Outcome, rel: &str) -> serde_json::Value {
    serde_json::from_slice(&out.bytes(rel)).unwrap_or_else(|e| panic!("{rel}: not JSON: {e}"))
}

/// Percent-decodes a URL path.
pub fn decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path).decode_utf8().expect("UTF-8 path").into_owned()
}
