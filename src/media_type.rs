//! The media types pressroom writes into documents and sends with files,
//! each spelt once so that a feed's links, its page and its upload agree.

pub const RSS: &str = "application/rss+xml";
pub const ATOM: &str = "application/atom+xml";
pub const JSON_FEED: &str = "application/feed+json";
pub const PDF: &str = "application/pdf";
pub const JSON: &str = "application/json";
pub const ZIP: &str = "application/zip";
pub const HTML: &str = "text/html";
