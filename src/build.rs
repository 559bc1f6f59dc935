//! The build, as a recipe: load and check everything, render every output
//! into a staging folder, then swap it in. Nothing is written unless every
//! check passed, and nothing is published unless every stage succeeded.

use std::fs::File;
use std::io::{self, Write};

use rayon::prelude::*;

use crate::content::Store;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, IoContext, Result};
use crate::feed_def::{FeedDef, Format};
use crate::output::Staging;
use crate::render::{self, Feed};
use crate::settings::Settings;
use crate::templates::Templates;

/// Everything a build reads, checked.
pub struct Inputs {
    pub store: Store,
    pub feeds: Vec<FeedDef>,
    pub templates: Templates,
}

/// What a finished build reports.
#[derive(Debug, Default)]
pub struct Summary {
    pub warnings: Vec<Diagnostic>,
    pub files: usize,
}

/// Loads the store, the feed definitions and the templates, collecting every
/// problem of all three before giving up.
pub fn load(settings: &Settings) -> Result<Inputs> {
    let store = Store::load(&settings.content, settings.now);
    let feeds = FeedDef::load_all(&settings.feeds);
    let templates = Templates::load(&settings.feeds);
    match (store, feeds, templates) {
        (Ok(store), Ok(..), Ok(..)) if settings.deny_warnings && !store.warnings.is_empty() => {
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

/// `pressroom check`: every check of a build, nothing written.
pub fn check(settings: &Settings) -> Result<Vec<Diagnostic>> {
    let inputs = load(settings)?;
    let more = crate::proof::prove(&inputs, &settings.feeds, settings.epoch)?;
    warnings(settings, inputs.store.warnings, more)
}

/// The warnings of loading and of the proof, which fail the run with
/// `--deny-warnings`.
fn warnings(settings: &Settings, mut found: Vec<Diagnostic>, more: Vec<Diagnostic>) -> Result<Vec<Diagnostic>> {
    found.extend(more);
    if settings.deny_warnings && !found.is_empty() {
        return Err(Error::Content(found));
    }
    Ok(found)
}

/// `pressroom build`.
pub fn build(settings: &Settings) -> Result<Summary> {
    let mut inputs = load(settings)?;
    let proved = crate::proof::prove(&inputs, &settings.feeds, settings.epoch)?;
    let warnings = warnings(settings, std::mem::take(&mut inputs.store.warnings), proved)?;
    let staging = Staging::begin(&settings.out)?;
    let mut files = write_feeds(&staging, &inputs, settings)?;
    files += write_sitemap(&staging, &inputs.store)?;
    files += copy_pdfs(&staging, &inputs.store)?;
    fault(settings, "archive")?;
    let archived = crate::archive::write(&staging, &inputs.store, &inputs.templates, settings)?;
    files += archived.files;
    staging.commit()?;
    // The archive's cache (beside the output), for the next build only.
    archived.save_cache();
    Ok(Summary { warnings, files })
}

/// The failure `PRESSROOM_FAIL_STAGE=<stage>` asks for, at the start of that
/// stage; `feeds` instead fails midway through writing the first feed, as a
/// disk filling up would.
fn fault(settings: &Settings, stage: &str) -> Result<()> {
    match &settings.fail_stage {
        Some(name) if name == stage => Err(Error::io(
            settings.out.join(stage),
            std::io::Error::new(std::io::ErrorKind::StorageFull, "injected failure (PRESSROOM_FAIL_STAGE)"),
        )),
        _ => Ok(()),
    }
}

fn write_feeds(staging: &Staging, inputs: &Inputs, settings: &Settings) -> Result<usize> {
    let mut files = 0;
    for def in &inputs.feeds {
        let feed = Feed::build(def, &inputs.store, &inputs.templates)?;
        for &format in &def.formats {
            // Streamed to the staged file (a full-content feed of 50,000
            // items is ~200 MB: never held whole), then settled against the
            // previous output like `Staging::write` does.
            let rel = format!("{}/{}", def.name, format.file_name());
            let path = staging.path(&rel)?;
            let inner = io::BufWriter::with_capacity(1 << 16, File::create(&path).at(&path)?);
            let fail_after = (files == 0 && settings.fail_stage.as_deref() == Some("feeds")).then_some(1000);
            let mut out = Tracked { inner, error: None, fail_after };
            let rendered = match format {
                Format::Rss => render::rss::render(&feed, &mut out).map_err(|e| e.to_string()),
                Format::Atom => render::atom::render(&feed, &mut out).map_err(|e| e.to_string()),
                Format::Json => render::jsonfeed::render(&feed, &mut out).map_err(|e| e.to_string()),
            };
            if let Some(e) = out.error.take() {
                return Err(Error::io(&path, e));
            }
            rendered.map_err(|message| Error::Render { what: format!("feed {} ({:?})", def.name, format), message })?;
            out.inner.into_inner().map_err(|e| Error::io(&path, e.into_error()))?;
            staging.settle(&rel)?;
            files += 1;
        }
    }
    Ok(files)
}

/// A writer that keeps the first I/O error, so that a failed disk write is
/// reported as one (with its path) rather than as a rendering error.
struct Tracked<W> {
    inner: W,
    error: Option<io::Error>,
    /// Fault injection: the disk is full after this many bytes.
    fail_after: Option<usize>,
}

impl<W: Write> Write for Tracked<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(left) = self.fail_after.as_mut() {
            if buf.len() > *left {
                // What was written so far reaches the file, as before a real ENOSPC.
                self.inner.flush()?;
                let kind = io::ErrorKind::StorageFull;
                self.error = Some(io::Error::new(kind, "injected failure (PRESSROOM_FAIL_STAGE)"));
                return Err(io::Error::new(kind, "injected failure (PRESSROOM_FAIL_STAGE)"));
            }
            *left -= buf.len();
        }
        self.inner.write(buf).inspect_err(|e| self.error = Some(io::Error::new(e.kind(), e.to_string())))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().inspect_err(|e| self.error = Some(io::Error::new(e.kind(), e.to_string())))
    }
}

fn write_sitemap(staging: &Staging, store: &Store) -> Result<usize> {
    let files = render::sitemap::render(store)
        .map_err(|e| Error::Render { what: "the sitemap".into(), message: e.to_string() })?;
    for (name, bytes) in &files {
        staging.write(name, bytes)?;
    }
    staging.write("robots.txt", render::sitemap::robots(store).as_bytes())?;
    Ok(files.len() + 1)
}

/// Each PDF goes where its URL points, so `public/` served at the base URL
/// answers every enclosure link.
fn copy_pdfs(staging: &Staging, store: &Store) -> Result<usize> {
    // In parallel (each copy is a dozen system calls); the first failure in
    // the store's order is the one reported.
    let publications: Vec<_> = store.publications.iter().filter_map(|i| i.publication.as_ref()).collect();
    let copied: Vec<Result<()>> =
        publications.par_iter().map(|p| staging.copy(&p.pdf.out_path.join("/"), &p.pdf.source)).collect();
    copied.into_iter().collect::<Result<Vec<()>>>()?;
    Ok(publications.len())
}
