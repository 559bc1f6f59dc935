//! `Site::plan`'s answer: the files a build writes, as values, from the
//! build's own plan (`plan::Plan`), not worked out again.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::plan::Plan;
use crate::proof::Inputs;

/// The files a build of the site writes, and the warnings planning them met.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Planned {
    /// Every file, by path; the sitemap's numbered children
    /// (`sitemap-1.xml`…), which it splits by size once written, are not
    /// among them.
    pub files: Vec<PlannedFile>,
    pub warnings: Vec<Diagnostic>,
}

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlannedFile {
    /// Relative to the output folder, `/` between segments.
    pub path: String,
    pub kind: FileKind,
}

/// What a planned file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FileKind {
    /// A feed's subscription document (RSS, Atom or JSON Feed).
    Feed,
    /// One of a feed's archive documents (RFC 5005): a closed period.
    FeedArchive,
    /// A feed's page for people.
    FeedPage,
    /// `feeds.opml` and `feeds-head.html`: the list of feeds.
    FeedList,
    Sitemap,
    Robots,
    /// A publication's PDF.
    Pdf,
    /// A file a body shows or links, copied from the store.
    Asset,
    /// An archive bundle (BagIt zip) or its checksum sidecar.
    Bundle,
    /// The archive's listings, checksums, profile and page.
    ArchiveListing,
}

impl Planned {
    pub(crate) fn of(inputs: &Inputs, feeds_dir: &Path) -> Result<Planned> {
        let (plan, problems) = Plan::new(&inputs.store, &inputs.feeds, feeds_dir);
        let warnings = crate::proof::verdict(problems)?;
        let kinds = kinds(&plan, inputs);
        let files = plan
            .paths()
            .map(|path| {
                let kind = kinds.get(path).copied().unwrap_or_else(|| fixed(path));
                PlannedFile { path: path.to_owned(), kind }
            })
            .collect();
        Ok(Planned { files, warnings })
    }
}

/// The kind of each file but the fixed few (`fixed`) and the assets.
fn kinds(plan: &Plan<'_>, inputs: &Inputs) -> HashMap<String, FileKind> {
    let mut kinds = HashMap::new();
    for feed in &plan.feeds {
        let def = feed.def;
        kinds.insert(format!("{}/index.html", def.folder()), FileKind::FeedPage);
        for &format in &def.formats {
            kinds.insert(def.document(format, None).join("/"), FileKind::Feed);
            for period in &feed.periods {
                kinds.insert(def.document(format, Some(&period.name)).join("/"), FileKind::FeedArchive);
            }
        }
    }
    for p in inputs.store.publications.iter().filter_map(|i| i.publication.as_ref()) {
        kinds.insert(p.pdf.out_path.join("/"), FileKind::Pdf);
    }
    if plan.writes.archive {
        use crate::archive::{Scope, bundle_name, year_of};
        let site = &inputs.store.site;
        for name in ["index.json", "index.html", "SHA256SUMS", "SHA512SUMS", "bagit-profile.json"] {
            kinds.insert(format!("archive/{name}"), FileKind::ArchiveListing);
        }
        let years = inputs.store.publications.iter().map(|i| Scope::Year(year_of(site, i)));
        for scope in std::iter::once(Scope::All).chain(years) {
            let name = bundle_name(site, scope);
            kinds.insert(format!("archive/{name}.zip"), FileKind::Bundle);
            kinds.insert(format!("archive/{name}.zip.sha256"), FileKind::Bundle);
        }
    }
    kinds
}

/// The kind of a file pressroom names itself, or else an asset.
fn fixed(path: &str) -> FileKind {
    match path {
        "sitemap.xml" => FileKind::Sitemap,
        "robots.txt" => FileKind::Robots,
        "feeds.opml" | "feeds-head.html" => FileKind::FeedList,
        _ => FileKind::Asset,
    }
}
