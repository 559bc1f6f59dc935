//! The build, as a recipe: load and check everything, render every output
//! into a staging folder, then swap it in. Nothing is written unless every
//! check passed, and nothing is published unless every stage succeeded.

use crate::content::Store;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{Error, Result};
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
    Ok(inputs.store.warnings)
}

/// `pressroom build`.
pub fn build(settings: &Settings) -> Result<Summary> {
    let inputs = load(settings)?;
    let staging = Staging::begin(&settings.out)?;
    let mut files = write_feeds(&staging, &inputs)?;
    files += write_sitemap(&staging, &inputs.store)?;
    files += copy_pdfs(&staging, &inputs.store)?;
    files += crate::archive::write(&staging, &inputs.store, settings)?;
    staging.commit()?;
    Ok(Summary { warnings: inputs.store.warnings, files })
}

fn write_feeds(staging: &Staging, inputs: &Inputs) -> Result<usize> {
    let mut files = 0;
    for def in &inputs.feeds {
        let feed = Feed::build(def, &inputs.store, &inputs.templates)?;
        for &format in &def.formats {
            let mut bytes = Vec::new();
            let failed = |message: String| Error::Render { what: format!("feed {} ({:?})", def.name, format), message };
            match format {
                Format::Rss => render::rss::render(&feed, &mut bytes).map_err(|e| failed(e.to_string()))?,
                Format::Atom => render::atom::render(&feed, &mut bytes).map_err(|e| failed(e.to_string()))?,
                Format::Json => render::jsonfeed::render(&feed, &mut bytes).map_err(|e| failed(e.to_string()))?,
            }
            staging.write(&format!("{}/{}", def.name, format.file_name()), &bytes)?;
            files += 1;
        }
    }
    Ok(files)
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
    let mut files = 0;
    for publication in store.publications.iter().filter_map(|i| i.publication.as_ref()) {
        staging.copy(&publication.pdf.out_path.join("/"), &publication.pdf.source)?;
        files += 1;
    }
    Ok(files)
}
