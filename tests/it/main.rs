//! The one integration-test binary of pressroom: every test runs the real
//! `pressroom` binary on a content store in a temporary folder (see
//! `harness`) and reads what it wrote the way a feed reader, a crawler or a
//! validator would.

mod harness;
mod read;

mod all_or_nothing;
mod check;
mod content_errors;
mod determinism;
mod feeds;
mod links;
mod sitemap;
mod snapshots;
mod validators;
// mod archive; (the archive bundles' tests go here)
