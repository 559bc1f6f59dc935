//! What `check` adds to loading: every step of a build that can fail on the
//! content, run without writing anything. Each item's HTML is rendered with
//! the item template (every item, not only those the feeds include), each
//! bundle's catalogue and tag files are rendered, every output path is
//! worked out and checked, and each feed is matched against the store.
//! `build` runs it too, so a build fails only where `check` does.

use rustc_hash::FxHashSet;
use std::path::Path;

use rayon::prelude::*;

use crate::content::{ItemKey, Store};
use crate::diagnostic::{Code, Diagnostic, Pos, Severity, sort_problems};
use crate::error::{Error, Result};
use crate::feed_def::FeedDef;
use crate::plan::Plan;
use crate::render::Feed;
use crate::render::feed::{FeedEntry, Paging};
use crate::store_templates::Templates;

/// Everything a build reads, checked: what is proved, here, before
/// `build` writes any of it.
pub struct Inputs {
    pub store: Store,
    pub feeds: Vec<FeedDef>,
    pub templates: Templates,
}

/// The output plan and every problem a build would meet after loading,
/// for a plan already made, with the problems of its paths; the
/// items read from `proved` are not rendered here. `build` passes every
/// item a feed document holds: those of the documents it writes are
/// rendered, and so proved, as they are written (`Feed::build`), and those
/// of archive documents taken over unread (`crate::reuse`) were rendered
/// by a previous build from the very same inputs. The bundles the
/// archive's build cache in `archive_cache` records as written from the
/// same inputs are not rendered again either (`archive::prove`).
pub fn prove_plan<'s>(
    inputs: &'s Inputs,
    (plan, mut problems): (Plan<'s>, Vec<Diagnostic>),
    feeds_dir: &Path,
    epoch: Option<jiff::Timestamp>,
    proved: &FxHashSet<ItemKey<'_>>,
    archive_cache: Option<&crate::archive::Cache>,
) -> Result<(Plan<'s>, Vec<Diagnostic>)> {
    let store = &inputs.store;
    let items: Vec<_> =
        store.news.iter().chain(&store.publications).filter(|i| !proved.contains(&ItemKey(i))).collect();
    let rendered: Vec<Result<()>> =
        items.par_iter().map(|item| crate::render::item_html(store, &inputs.templates, item).map(drop)).collect();
    for result in rendered {
        match result {
            Ok(()) => {}
            Err(Error::Config(found) | Error::Content(found)) => problems.extend(found),
            Err(other) => return Err(other),
        }
    }
    // The archive's page with the archive documents it will link, when the
    // archive is written.
    let archive = match plan.writes.archive {
        true => crate::archive::prove(store, &inputs.templates, epoch, &plan.history(&store.site), archive_cache),
        false => Ok(()),
    };
    match archive {
        Ok(()) => {}
        Err(Error::Config(found) | Error::Content(found)) => problems.extend(found),
        Err(other) => return Err(other),
    }
    // Each feed's page, over the items it will list (their HTML is not on it).
    for feed in &plan.feeds {
        let def = feed.def;
        let entries = feed
            .newest()
            .iter()
            .take(crate::render::page::PAGE_ITEMS)
            .map(|&item| FeedEntry { item, html: String::new() })
            .collect();
        let updated = jiff::Timestamp::UNIX_EPOCH;
        let feed = Feed { def, site: &store.site, entries, updated, paging: Paging::Off };
        match crate::render::page::render(&feed, &inputs.templates.feed, &mut std::io::sink()) {
            Ok(_) => {}
            Err(Error::Config(found) | Error::Content(found)) => problems.extend(found),
            Err(other) => return Err(other),
        }
    }
    for feed in &plan.feeds {
        let def = feed.def;
        let filters = def.filters();
        if let (Some((first, _)), true) = (filters.first(), feed.items.is_empty()) {
            let file = feeds_dir.join(format!("{}.toml", def.name));
            let pos = std::fs::read_to_string(&file).map_or(Pos::FILE, |t| crate::toml_file::key_pos(&t, first));
            let wanted: Vec<String> =
                filters.iter().map(|(key, values)| format!("any of the {key} {}", values.join(", "))).collect();
            problems.push(
                Diagnostic::new(
                    Code::EmptyFeed,
                    file,
                    pos,
                    format!("no {} item has {}: the feed is empty", def.sections.join(" or "), wanted.join(" and ")),
                )
                .with_hint("check the filters' spelling (they are compared exactly)"),
            );
        }
    }
    verdict(problems).map(|warnings| (plan, warnings))
}

/// The problems found, in order, each once: the warnings, or the error
/// that fails the run when one of them is an error.
pub fn verdict(mut problems: Vec<Diagnostic>) -> Result<Vec<Diagnostic>> {
    sort_problems(&mut problems);
    problems.dedup();
    // One budget problem per template is enough: the others stopped early.
    let mut budget_seen = std::collections::HashSet::new();
    problems.retain(|d| d.code != Code::TemplateBudget || budget_seen.insert(d.file.clone()));
    if !problems.iter().any(|d| d.severity() == Severity::Error) {
        return Ok(problems);
    }
    // Template problems are the configuration's (exit 2) unless the content
    // has errors of its own.
    let configuration = |d: &Diagnostic| d.code.id().starts_with("E05") || d.severity() != Severity::Error;
    if problems.iter().all(configuration) { Err(Error::Config(problems)) } else { Err(Error::Content(problems)) }
}
