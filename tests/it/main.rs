//! The one integration-test binary of pressroom: every test runs the real
//! `pressroom` binary on a content store in a temporary folder (see
//! `harness`) and reads what it wrote the way a feed reader, a crawler or a
//! validator would.

mod harness;
mod read;

mod all_or_nothing;
mod archive;
mod archivist;
mod check;
mod check_finds_all;
mod ci_docs;
mod closed_years;
mod continuity;
mod determinism;
mod faults;
mod feeds;
mod history;
mod hostile;
mod hostile_zips;
mod import_wordpress;
mod lenient;
mod links;
mod moving_in;
mod no_cycles;
mod output_folder;
mod own_files;
mod pages;
mod parsed_cache;
mod proved;
mod publish;
mod real_sites;
mod sections;
mod site_fit;
mod site_outputs;
mod sitemap;
mod snapshots;
mod store_layout;
mod validators;
mod verify_bags;
mod verify_old_bags;
