//! The build, as a recipe: load and check everything, render every output
//! into a staging folder, then swap it in. Nothing is written unless every
//! check passed, and nothing is published unless every stage succeeded.

use std::path::PathBuf;

use rayon::prelude::*;

use crate::archive::cache::FileKey;
use crate::content::{ItemKey, Section, Store};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Result};
use crate::event::Events;
use crate::fault::Fault;
use crate::feed_def::FeedDef;
use crate::interrupt;
use crate::output::{self, Committed, Staging};
use crate::plan::{Document, FeedKey, Plan};
use crate::proof::Inputs;
use crate::proved;
use crate::render::feed::Spread;
use crate::render::{self, Feed};
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
    let store = Store::load_cached(&settings.content, settings.now, Some(&output::cache_dir(&settings.out)));
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
    // Only a build writes the cache of parsed files.
    drop(inputs.store.take_parsed_cache());
    let shape = proved::ItemShape::of(&inputs.store, &inputs.templates);
    let cache_dir = output::cache_dir(&settings.out);
    let before = proved::load(&cache_dir, &shape);
    let items = all_items(&inputs.store);
    let prints = proved::prints(&shape, &inputs.store, &items);
    let done = items.iter().zip(&prints).filter(|(_, p)| before.contains(p)).map(|(&i, _)| ItemKey(i));
    let (plan, problems) = Plan::new(&inputs.store, &inputs.feeds, &settings.feeds);
    let archive_cache = crate::archive::Cache::of_this_build(&cache_dir);
    let (plan, more) = crate::proof::prove_plan(
        inputs,
        (plan, problems),
        &settings.feeds,
        settings.epoch,
        &done.collect(),
        Some(&archive_cache),
    )
    .map_err(|e| with_loaded(e, &inputs.store.warnings))?;
    let warnings = warnings(settings, inputs.store.warnings.clone(), more)?;
    // What the build would refuse of the output folder, last, as the
    // build meets it after the content.
    let options = output::TargetOptions {
        content: &settings.content,
        feeds: &settings.feeds,
        into_existing: settings.into_existing,
        wait: settings.wait,
    };
    let copies = copied_files(&inputs.store).into_iter().map(|(source, rel, _)| (rel, source)).collect();
    output::check_fit(&settings.out, &options, &plan.expected(), &copies)?;
    Ok((warnings, Counts::of(&inputs.store)))
}

/// Every item of the store: its news, then its publications.
fn all_items(store: &Store) -> Vec<&crate::content::Item> {
    store.news.iter().chain(&store.publications).map(Box::as_ref).collect()
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
        // The cache of parsed files, as this load left it, under the lock:
        // before the build's memory peaks, and of use to the next load even
        // if this build fails (it records parses, not outputs).
        if let Some(parsed) = inputs.store.take_parsed_cache() {
            parsed.save();
        }
        let loaded = inputs.store.warnings.clone();
        // The archive documents the previous output holds as this build
        // would write them (`reuse`) need no rendering.
        let (plan, path_problems) = Plan::new(&inputs.store, &inputs.feeds, &settings.feeds);
        let shape = proved::ItemShape::of(&inputs.store, &inputs.templates);
        let items = all_items(&inputs.store);
        let prints = proved::prints(&shape, &inputs.store, &items);
        let mut reuse = Reuse::load(&target, &shape);
        let by_item = items.iter().zip(&prints).map(|(&i, p)| (ItemKey(i), *p)).collect();
        reuse.plan(&target, (&shape, &by_item), &inputs.store, &plan, &settings.feeds)?;
        // The sets of 110,000 items an agency's build proves with are gone
        // before the archive's stage, where its memory peaks.
        drop(by_item);
        // Every item a feed document holds is proved as it is written, or
        // was by the build that wrote the document taken over; the others,
        // unless the last build proved them from the same inputs.
        let before = proved::load(&target.cache_dir(), &shape);
        let mut done = plan.held();
        let again: Vec<ItemKey<'_>> =
            items.par_iter().zip(&prints).filter(|(_, p)| before.contains(p)).map(|(&i, _)| ItemKey(i)).collect();
        done.extend(again);
        drop(before);
        // The archive's cache, read once: for the proof, then for writing.
        let archive_cache = crate::archive::Cache::of_this_build(&target.cache_dir());
        let (plan, proved) = crate::proof::prove_plan(
            inputs,
            (plan, path_problems),
            &settings.feeds,
            settings.epoch,
            &done,
            Some(&archive_cache),
        )
        .map_err(|e| with_loaded(e, &loaded))?;
        drop((done, items));
        let warnings = warnings(settings, loaded, proved)?;
        let staging = Staging::begin(target, plan.expected())?;
        // The archive's own documents are made from its bundles: last.
        let (from_bundles, documents): (Vec<_>, Vec<_>) =
            plan.documents().into_iter().partition(|(_, doc)| matches!(doc, Document::Archive(_)));
        let ctx = render::Ctx {
            store: &inputs.store,
            templates: &inputs.templates,
            feeds: &inputs.feeds,
            plan: &plan,
            archive: None,
        };
        let found = write_documents(&staging, &ctx, documents, settings, &mut reuse)?;
        if !found.is_empty() {
            // A template problem an item meets only in its document: the
            // build fails as `check` would, and the staging folder goes.
            let mut all = warnings;
            all.extend(found);
            return Err(crate::proof::verdict(all).err().unwrap_or(Error::Config(Vec::new())));
        }
        copy_files(&staging, &inputs.store)?;
        let archived = match plan.writes.archive {
            true => {
                crate::fault::at_stage(settings.fail_stage.as_deref(), "archive", &settings.out.join("archive"))?;
                let history = plan.history(&inputs.store.site);
                let options = crate::archive::ArchiveOptions { epoch: settings.epoch };
                let (store, templates) = (&inputs.store, &inputs.templates);
                let archived =
                    crate::archive::write(&staging, store, templates, history, options, archive_cache, events)?;
                let ctx = render::Ctx { archive: Some(archived.listed()), ..ctx };
                write_documents(&staging, &ctx, from_bundles, settings, &mut reuse)?;
                Some(archived)
            }
            false => None,
        };
        let outcome = staging.commit()?;
        // The archive documents' cache too (`reuse`), and every item, now
        // proved (`proved`).
        let reused = reuse.taken();
        reuse.save(&settings.out);
        proved::save(&output::cache_dir(&settings.out), &shape, prints);
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

/// `documents` of the plan (`Plan::documents`), each rendered into its
/// staged file by `render::render`, streamed (a full-content feed of 50,000
/// items is ~200 MB: never held whole); the staged file keeps the previous
/// output's instead when the bytes are the same. An archive document whose
/// fingerprint is the one the previous output's was written from is taken
/// over unread (`reuse`).
/// Returns the problems items met in the feed documents: past them, the
/// site's own documents are not written, but every feed document is still
/// built, so that the build names every problem `check` would.
fn write_documents(
    staging: &Staging,
    ctx: &render::Ctx<'_>,
    documents: Vec<(String, Document<FeedKey>)>,
    settings: &Settings,
    reuse: &mut Reuse,
) -> Result<Vec<Diagnostic>> {
    let (groups, made) = due_groups(staging, ctx, documents, settings, reuse)?;
    let (feeds, site): (Vec<_>, Vec<_>) = groups.into_iter().partition(|g| g.key.is_some());
    // Small archive documents (a month's or a year's items, up to one batch
    // of `write_in_chunks`: 300 months of 330 items at an agency) are made
    // side by side, each on one core. One after the other, each spread over
    // the cores, the cores waited at each one's end for its last write: a
    // quarter of that stage's time.
    let (small, large): (Vec<_>, Vec<_>) = feeds.into_iter().partition(|g| g.is_small_archive(ctx));
    let mut found = Vec::new();
    // The rest (a subscription feed: 50,000 items in a full one) one at a
    // time, its items spread over every core: a document holds its items'
    // HTML, and two large ones side by side would hold twice as much.
    for group in &large {
        found.extend(group.write(staging, ctx, Spread::OverCores)?);
    }
    let made_side_by_side: Vec<Result<Vec<Diagnostic>>> =
        small.par_iter().map(|group| group.write(staging, ctx, Spread::OnOneCore)).collect();
    for problems in made_side_by_side {
        found.extend(problems?);
    }
    // The feeds come first: past their problems, nothing else.
    if found.is_empty() {
        for group in &site {
            group.write(staging, ctx, Spread::OverCores)?;
        }
    }
    for (rel, fingerprint) in made {
        reuse.written(staging, &rel, fingerprint);
    }
    Ok(found)
}

/// The documents of one feed document (its page and formats), or the run
/// of the site's own documents, that are to be written.
struct DueGroup {
    key: Option<FeedKey>,
    due: Vec<(String, Document<FeedKey>, Option<Fault>)>,
}

/// Each archive document's path, and the fingerprint it is made from.
type Fingerprints = Vec<(String, String)>;

/// `documents` in groups (`DueGroup`), in the plan's order: a feed
/// document's page and formats are one after the other in the plan, and so
/// are the site's own documents after them. An archive document the previous
/// output holds as this build would write it is taken over here; the rest
/// are due. Also returns each archive document's path and fingerprint.
fn due_groups(
    staging: &Staging,
    ctx: &render::Ctx<'_>,
    documents: Vec<(String, Document<FeedKey>)>,
    settings: &Settings,
    reuse: &mut Reuse,
) -> Result<(Vec<DueGroup>, Fingerprints)> {
    // `PRESSROOM_FAIL_STAGE=feeds`: in the first format of the first feed
    // whose page is written.
    let fault = Fault::in_first_feed(settings.fail_stage.as_deref());
    let mut first_page = None;
    let mut groups = Vec::new();
    let mut made = Vec::new();
    let mut documents = documents.into_iter().peekable();
    while let Some((rel, doc)) = documents.next() {
        let key = doc.feed().copied();
        let mut group = vec![(rel, doc)];
        while documents.peek().is_some_and(|(_, next)| next.feed() == key.as_ref()) {
            group.extend(documents.next());
        }
        let mut due = Vec::new();
        for (rel, doc) in group {
            let fingerprint = key.and_then(|k| reuse.fingerprint_of(k.feed, k.period?)).map(str::to_owned);
            let taken = match &fingerprint {
                Some(fingerprint) => reuse.take(staging, &rel, fingerprint)?,
                None => false,
            };
            if !taken {
                let fault = match (&doc, key) {
                    (Document::Page(_), Some(key)) => {
                        first_page.get_or_insert(key.feed);
                        None
                    }
                    (Document::Feed(_, format), Some(key)) => {
                        let formats = &ctx.plan.feeds[key.feed].def.formats;
                        let first = key.period.is_none() && first_page == Some(key.feed) && formats[0] == *format;
                        fault.filter(|_| first)
                    }
                    _ => None,
                };
                due.push((rel.clone(), doc, fault));
            }
            made.extend(fingerprint.map(|fingerprint| (rel, fingerprint)));
        }
        if !due.is_empty() {
            groups.push(DueGroup { key, due });
        }
    }
    Ok((groups, made))
}

impl DueGroup {
    /// Whether it is an archive document of at most one batch of items.
    fn is_small_archive(&self, ctx: &render::Ctx<'_>) -> bool {
        match self.key {
            Some(key @ FeedKey { period: Some(_), .. }) => {
                render::feed::is_one_batch(ctx.plan.feeds[key.feed].document(key.period).0.len())
            }
            _ => false,
        }
    }

    /// Builds the feed document its documents are made from, if any, and
    /// writes them; returns the problems its items met instead (then
    /// nothing of it is written).
    fn write(&self, staging: &Staging, ctx: &render::Ctx<'_>, spread: Spread) -> Result<Vec<Diagnostic>> {
        let feed = match self.key {
            Some(key) => {
                let planned = &ctx.plan.feeds[key.feed];
                let (items, paging) = planned.document(key.period);
                match Feed::build((planned.def, ctx.store, ctx.templates), items, paging, spread) {
                    Ok(feed) => Some(feed),
                    Err(Error::Config(problems)) => return Ok(problems),
                    Err(other) => return Err(other),
                }
            }
            None => None,
        };
        let due: Vec<_> = self
            .due
            .iter()
            .filter_map(|(rel, doc, fault)| {
                let Ok(doc) = doc.find(|_| Ok::<_, std::convert::Infallible>(feed.as_ref()));
                doc.map(|doc| (rel.clone(), doc, *fault))
            })
            .collect();
        match spread {
            Spread::OverCores => write_side_by_side(staging, ctx, &due)?,
            Spread::OnOneCore => {
                for (rel, doc, fault) in &due {
                    write_document(staging, ctx, rel, doc, *fault)?;
                }
            }
        }
        Ok(Vec::new())
    }
}

/// Each of `due` rendered into its staged file, on threads of their own when
/// there are more than one: the formats of a feed document. Writing a file
/// (one thread's work, checksummed as it goes) then runs beside the other
/// formats' rendering. The first failure in `due`'s order is the one
/// reported.
fn write_side_by_side(
    staging: &Staging,
    ctx: &render::Ctx<'_>,
    due: &[(String, Document<&Feed<'_>>, Option<Fault>)],
) -> Result<()> {
    if let [(rel, doc, fault)] = due {
        return write_document(staging, ctx, rel, doc, *fault);
    }
    std::thread::scope(|scope| {
        let writers: Vec<_> = due
            .iter()
            .map(|(rel, doc, fault)| scope.spawn(move || write_document(staging, ctx, rel, doc, *fault)))
            .collect();
        let written: Vec<Result<()>> =
            writers.into_iter().map(|w| w.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect();
        written.into_iter().collect()
    })
}

/// `doc` rendered into the file staged at `rel`.
fn write_document(
    staging: &Staging,
    ctx: &render::Ctx<'_>,
    rel: &str,
    doc: &Document<&Feed<'_>>,
    fault: Option<Fault>,
) -> Result<()> {
    let mut out = staging.create(rel)?.with_fault(fault);
    if let Err(e) = render::render(doc, ctx, &mut out) {
        return Err(out.failed(e));
    }
    out.finish()
}

/// Each PDF, and each file a body shows or links (`content::place`), goes
/// where its URL points, so the output served at the base URL answers every
/// enclosure, image and link.
/// The files a build copies from the store: each publication's PDF (with
/// its state as the load found it) and each image or file a body shows, as
/// (source, path in the output, state).
fn copied_files(store: &Store) -> Vec<(PathBuf, String, Option<FileKey>)> {
    let pdfs = store.publications.iter().filter_map(|i| i.publication.as_ref());
    let mut files: Vec<(PathBuf, String, _)> =
        pdfs.map(|p| (p.pdf.source.clone(), p.pdf.out_path.join("/"), p.pdf.state)).collect();
    let assets = crate::content::place::all_assets(&all_items(store));
    files.extend(assets.into_iter().map(|(source, out)| (source, out.join("/"), None)));
    files
}

fn copy_files(staging: &Staging, store: &Store) -> Result<()> {
    let files = copied_files(store);
    // In parallel (each copy is a dozen system calls); the first failure in
    // the store's order is the one reported.
    let copied: Vec<Result<()>> =
        files.par_iter().map(|(source, rel, known)| staging.copy(rel, source, *known)).collect();
    copied.into_iter().collect::<Result<Vec<()>>>().map(drop)
}
