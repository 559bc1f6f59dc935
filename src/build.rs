//! The build, as a recipe: load and check everything, render every output
//! into a staging folder, then swap it in. Nothing is written unless every
//! check passed, and nothing is published unless every stage succeeded.

use std::path::Path;

use rayon::prelude::*;

use crate::content::{Section, Store};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Document, Error, Result};
use crate::event::Events;
use crate::fault::Fault;
use crate::feed_def::{FeedDef, Format};
use crate::interrupt;
use crate::output::{self, Committed, Staging};
use crate::plan::{Plan, Writes};
use crate::proof::Inputs;
use crate::proved;
use crate::render::{self, Feed, sitemap};
use crate::reuse::Reuse;
use crate::settings::Settings;
use crate::store_templates::Templates;

/// What a finished build reports.
#[derive(Debug, Default)]
pub struct BuildSummary {
    pub warnings: Vec<Diagnostic>,
    pub files: usize,
    /// How the output was put in place.
    pub committed: Option<Committed>,
    /// Files of the previous build this one no longer writes, left in place
    /// because someone changed them since pressroom wrote them.
    pub kept: Vec<String>,
    pub counts: Counts,
    /// Archive documents taken over unread from the previous output.
    pub reused: usize,
}

/// Loads the store, the feed definitions and the templates, collecting every
/// problem of all three before giving up.
pub fn load(settings: &Settings) -> Result<Inputs> {
    let store = Store::load(&settings.content, settings.now);
    let feeds = FeedDef::load_all(&settings.feeds, store.as_ref().ok().map(crate::feed_def::Sections::of));
    let templates = Templates::load(&settings.feeds, settings.render_time);
    match (store, feeds, templates) {
        (Ok(store), Ok(..), Ok(..)) if settings.deny_warnings && any_warning(&store.warnings) => {
            Err(Error::Content(store.warnings))
        }
        (Ok(store), Ok(feeds), Ok(templates)) => Ok(Inputs { store, feeds, templates }),
        (store, feeds, templates) => {
            let content_failed = store.is_err();
            let mut problems = store.err().unwrap_or_default();
            problems.extend(feeds.err().unwrap_or_default());
            problems.extend(templates.err().unwrap_or_default());
            problems.retain(|d| d.severity() == Severity::Error || content_failed);
            Err(if content_failed { Error::Content(problems) } else { Error::Config(problems) })
        }
    }
}

/// `pressroom check`: every check of a build of the loaded `inputs`,
/// nothing written. Items the last build of `--out` proved from the same
/// inputs are not rendered again (`proved`); that build's cache is only read.
pub fn check(settings: &Settings, inputs: &Inputs) -> Result<(Vec<Diagnostic>, Counts)> {
    let shape = proved::ItemShape::of(&inputs.store, &inputs.templates);
    let cache_dir = output::cache_dir(&settings.out);
    let before = proved::load(&cache_dir, &shape);
    let items = all_items(&inputs.store);
    let prints = proved::prints(&shape, &inputs.store, &items);
    let done = items.iter().zip(&prints).filter(|(_, p)| before.contains(*p)).map(|(i, _)| i.source.as_path());
    let (plan, problems) = Plan::new(&inputs.store, &inputs.feeds, &settings.feeds);
    let (_plan, more) = crate::proof::prove_plan(
        inputs,
        (plan, problems),
        &settings.feeds,
        settings.epoch,
        &done.collect(),
        Some(&cache_dir),
    )
    .map_err(|e| with_loaded(e, &inputs.store.warnings))?;
    let counts = Counts::of(&inputs.store);
    Ok((warnings(settings, inputs.store.warnings.clone(), more)?, counts))
}

/// Every item of the store: its news, then its publications.
fn all_items(store: &Store) -> Vec<&crate::content::Item> {
    store.news.iter().chain(&store.publications).collect()
}

/// How many items each kind and each section has, and pages: what a site
/// moving in checks first (every post there?).
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub news: usize,
    pub publications: usize,
    pub pages: usize,
    /// Each section's name, kind and items, in the site's order.
    pub sections: Vec<(String, Section, usize)>,
}

impl Counts {
    fn of(store: &Store) -> Counts {
        let sections =
            store.site.sections.iter().map(|s| (s.name.clone(), s.kind, store.in_section(&s.name).count())).collect();
        Counts { news: store.news.len(), publications: store.publications.len(), pages: store.pages.len(), sections }
    }

    /// `(news 4, inside-rust 2)` where a kind has more than one section.
    fn per_section(&self, kind: Section) -> String {
        let of_kind: Vec<String> =
            self.sections.iter().filter(|(_, k, _)| *k == kind).map(|(name, _, n)| format!("{name} {n}")).collect();
        if of_kind.len() > 1 { format!(" ({})", of_kind.join(", ")) } else { String::new() }
    }
}

impl std::fmt::Display for Counts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} news item(s){}, {} publication(s){}, {} page(s)",
            self.news,
            self.per_section(Section::News),
            self.publications,
            self.per_section(Section::Publications),
            self.pages
        )
    }
}

/// A content failure of the proof, after the warnings and notes loading
/// found, which a failure of loading lists too: the summary counts them all.
fn with_loaded(err: Error, loaded: &[Diagnostic]) -> Error {
    match err {
        Error::Content(found) => Error::Content(loaded.iter().cloned().chain(found).collect()),
        other => other,
    }
}

/// The warnings of loading and of the proof, which fail the run with
/// `--deny-warnings`.
fn warnings(settings: &Settings, mut found: Vec<Diagnostic>, more: Vec<Diagnostic>) -> Result<Vec<Diagnostic>> {
    found.extend(more);
    if settings.deny_warnings && any_warning(&found) {
        return Err(Error::Content(found));
    }
    Ok(found)
}

/// Whether `found` holds a warning: notes never fail a run.
fn any_warning(found: &[Diagnostic]) -> bool {
    found.iter().any(|d| d.severity() == Severity::Warning)
}

/// `pressroom build` of the loaded `inputs`: the output folder settled
/// (refused, locked) before any other work, then every stage into the
/// staging folder, then the commit. A signal (`interrupt`) turns whatever
/// error it caused into `Error::Interrupted`.
pub fn build(settings: &Settings, inputs: &Inputs, events: &Events<'_>) -> Result<BuildSummary> {
    let options = output::TargetOptions {
        content: &settings.content,
        feeds: &settings.feeds,
        into_existing: settings.into_existing,
        wait: settings.wait,
    };
    let stages = || {
        let target = output::Target::open(&settings.out, &options, crate::event::waiting(events))?;
        let loaded = inputs.store.warnings.clone();
        // The archive documents the previous output holds as this build
        // would write them (`reuse`) need no rendering.
        let (plan, path_problems) = Plan::new(&inputs.store, &inputs.feeds, &settings.feeds);
        let shape = proved::ItemShape::of(&inputs.store, &inputs.templates);
        let items = all_items(&inputs.store);
        let prints = proved::prints(&shape, &inputs.store, &items);
        let by_source = items.iter().zip(&prints).map(|(i, p)| (i.source.as_path(), *p)).collect();
        let mut reuse = Reuse::load(&target, &shape);
        reuse.plan(&target, (&shape, &by_source), &inputs.store, &plan, &settings.feeds)?;
        // Every item a feed document holds is proved as it is written, or
        // was by the build that wrote the document taken over; the others,
        // unless the last build proved them from the same inputs.
        let before = proved::load(&target.cache_dir(), &shape);
        let mut done = plan.held();
        done.extend(items.iter().zip(&prints).filter(|(_, p)| before.contains(*p)).map(|(i, _)| i.source.as_path()));
        let (plan, proved) = crate::proof::prove_plan(
            inputs,
            (plan, path_problems),
            &settings.feeds,
            settings.epoch,
            &done,
            Some(&target.cache_dir()),
        )
        .map_err(|e| with_loaded(e, &loaded))?;
        let warnings = warnings(settings, loaded, proved)?;
        let staging = Staging::begin(target, plan.expected())?;
        let (pages, found) = write_feeds(&staging, inputs, &plan, settings, &mut reuse)?;
        if !found.is_empty() {
            // A template problem an item meets only in its document: the
            // build fails as `check` would, and the staging folder goes.
            let mut all = warnings;
            all.extend(found);
            return Err(crate::proof::verdict(all).err().unwrap_or(Error::Config(Vec::new())));
        }
        write_lists(&staging, inputs)?;
        write_sitemap(&staging, &inputs.store, plan.writes, &pages)?;
        copy_files(&staging, &inputs.store)?;
        let archived = match plan.writes.archive {
            true => {
                crate::fault::at_stage(settings.fail_stage.as_deref(), "archive", &settings.out.join("archive"))?;
                let history = plan.history(&inputs.store.site);
                Some(crate::archive::write(
                    &staging,
                    &inputs.store,
                    &inputs.templates,
                    &history,
                    crate::archive::ArchiveOptions { epoch: settings.epoch },
                    events,
                )?)
            }
            false => None,
        };
        let outcome = staging.commit()?;
        // The archive documents' cache too (`reuse`), and every item, now
        // proved (`proved`).
        let reused = reuse.taken();
        reuse.save(&settings.out);
        proved::save(&output::cache_dir(&settings.out), &shape, &prints);
        // The archive's cache (beside the output), for the next build only.
        if let Some(archived) = archived {
            archived.save_cache();
        }
        let committed = Some(outcome.committed);
        let counts = Counts::of(&inputs.store);
        Ok(BuildSummary { warnings, files: outcome.files, committed, kept: outcome.kept, counts, reused })
    };
    stages().map_err(|e| interrupt::received().map_or(e, Error::Interrupted))
}

/// Every feed: its subscription document in each of its formats, its page
/// for people, and its archive documents (RFC 5005), as the plan has them.
/// An archive document whose fingerprint is the one the previous output's
/// was written from is taken over unread (`reuse`).
/// Returns the pages, for the sitemap, and the problems items met in the
/// documents: past the first, nothing more is written, but every document
/// is still rendered, so that the build names every problem `check` would.
fn write_feeds(
    staging: &Staging,
    inputs: &Inputs,
    plan: &Plan<'_>,
    settings: &Settings,
    reuse: &mut Reuse,
) -> Result<(Vec<sitemap::Url>, Vec<Diagnostic>)> {
    let (store, templates) = (&inputs.store, &inputs.templates);
    let mut pages = Vec::new();
    let mut found = Vec::new();
    for (f, planned) in plan.feeds.iter().enumerate() {
        let def = planned.def;
        let feed = Feed::build(def, store, templates, planned.newest(), planned.paging());
        if let Some(feed) = proved(feed, &mut found)? {
            staging.write(&format!("{}/index.html", def.folder()), &render::page::render(&feed, &templates.feed)?)?;
            pages.push(sitemap::Url { loc: feed.page_url(), lastmod: feed.updated });
            let fault = Fault::in_first_feed(settings.fail_stage.as_deref()).filter(|_| pages.len() == 1);
            write_formats(staging, &feed, fault, &def.formats)?;
        }
        for (i, period) in planned.periods.iter().enumerate() {
            let paging = planned.archive_paging(i);
            let fingerprint = reuse.fingerprint_of(f, i).unwrap_or_default().to_owned();
            let mut left = Vec::new();
            for &format in &def.formats {
                let rel = def.document(format, Some(&period.name)).join("/");
                if fingerprint.is_empty() || !found.is_empty() || !reuse.take(staging, &rel, &fingerprint)? {
                    left.push(format);
                }
            }
            if !left.is_empty() {
                let feed = Feed::build(def, store, templates, &period.items, paging);
                if let Some(feed) = proved(feed, &mut found)? {
                    write_formats(staging, &feed, None, &left)?;
                }
            }
            for &format in def.formats.iter().filter(|_| !fingerprint.is_empty()) {
                reuse.written(staging, &def.document(format, Some(&period.name)).join("/"), fingerprint.clone());
            }
        }
    }
    Ok((pages, found))
}

/// The document to write, or `None` when its items met problems (added to
/// `found`) or an earlier document's did: the build will fail.
fn proved<'a>(feed: Result<Feed<'a>>, found: &mut Vec<Diagnostic>) -> Result<Option<Feed<'a>>> {
    match feed {
        Ok(feed) if found.is_empty() => Ok(Some(feed)),
        Ok(_) => Ok(None),
        Err(Error::Config(problems)) => {
            found.extend(problems);
            Ok(None)
        }
        Err(other) => Err(other),
    }
}

/// One feed document in each of `formats` (of its definition), streamed to
/// its staged file (a full-content feed of 50,000 items is ~200 MB: never
/// held whole). `fault`: `PRESSROOM_FAIL_STAGE=feeds`, in its first format.
fn write_formats(staging: &Staging, feed: &Feed, fault: Option<Fault>, formats: &[Format]) -> Result<()> {
    for (n, &format) in formats.iter().enumerate() {
        let rel = feed.path(format);
        let mut out = staging.create(&rel)?.with_fault(fault.filter(|_| n == 0));
        let rendered = match format {
            Format::Rss => render::rss::render(feed, &mut out),
            Format::Atom => render::atom::render(feed, &mut out),
            Format::Json => render::jsonfeed::render(feed, &mut out),
        };
        if let Err(e) = rendered {
            return Err(out.failed(Error::Render { document: Document::Feed(rel), source: e }));
        }
        out.finish()?;
    }
    Ok(())
}

/// The list of feeds for readers (`feeds.opml`) and for the site's own
/// templates (`feeds-head.html`).
fn write_lists(staging: &Staging, inputs: &Inputs) -> Result<()> {
    let site = &inputs.store.site;
    let opml =
        render::opml::opml(site, &inputs.feeds).map_err(|source| Error::Render { document: Document::Opml, source })?;
    staging.write("feeds.opml", &opml)?;
    staging.write("feeds-head.html", &render::opml::autodiscovery(site, &inputs.feeds))
}

/// The sitemap, listing the archive's page when it is written, and
/// robots.txt, naming the sitemap when it is written; each as `writes` has it.
fn write_sitemap(staging: &Staging, store: &Store, writes: Writes, pages: &[sitemap::Url]) -> Result<()> {
    if writes.sitemap {
        let mut pages = pages.to_vec();
        if let Some(newest) = store.publications.iter().map(|i| i.modified()).max().filter(|_| writes.archive) {
            pages.push(sitemap::Url { loc: store.site.base_url.join(&["archive"], true), lastmod: newest });
        }
        let files = render::sitemap::render(store, &pages)
            .map_err(|source| Error::Render { document: Document::Sitemap, source })?;
        for (name, bytes) in &files {
            staging.write(name, bytes)?;
        }
    }
    if writes.robots {
        staging.write("robots.txt", render::sitemap::robots(store, writes.sitemap).as_bytes())?;
    }
    Ok(())
}

/// Each PDF, and each file a body shows or links (`content::place`), goes
/// where its URL points, so the output served at the base URL answers every
/// enclosure, image and link.
fn copy_files(staging: &Staging, store: &Store) -> Result<()> {
    let pdfs = store.publications.iter().filter_map(|i| i.publication.as_ref());
    let mut files: Vec<(&Path, String)> = pdfs.map(|p| (p.pdf.source.as_path(), p.pdf.out_path.join("/"))).collect();
    let items: Vec<_> = store.news.iter().chain(&store.publications).collect();
    let assets = crate::content::place::all_assets(&items);
    files.extend(assets.iter().map(|(source, out)| (source.as_path(), out.join("/"))));
    // In parallel (each copy is a dozen system calls); the first failure in
    // the store's order is the one reported.
    let copied: Vec<Result<()>> = files.par_iter().map(|(source, rel)| staging.copy(rel, source)).collect();
    copied.into_iter().collect::<Result<Vec<()>>>().map(drop)
}
