//! Archive bundles: the publications as deterministic ZIPs, each holding one
//! BagIt 1.0 bag (RFC 8493) with the PDFs and a metadata index, for
//! archivists who keep them for decades. `write` is the build stage; `verify`
//! is `pressroom verify`.
//!
//! Under `archive/` of the output: `<name>.zip` for the bundle of every
//! publication and for each publication year (names in `bundle`), beside each
//! `<name>.zip.sha256` in the format `sha256sum -c` reads, `SHA256SUMS` and
//! `SHA512SUMS` over every bundle (the coreutils format), `index.json`
//! listing every bundle (`listing`), and `bagit-profile.json`, the BagIt
//! profile every bag names (`profile`), and `index.html`, the page for
//! people (`page`). Each bag carries RO-Crate metadata
//! (`ro_crate`) beside its indexes.
//!
//! Each PDF is read once to hash it (`digest`), then once per bundle that
//! holds it to copy it, never whole in memory. The same content gives the
//! same bytes (fixed order, times from the content, no machine data). A
//! bundle whose SHA-256 equals the previous build's sidecar, and whose size
//! matches, is not replaced: the previous file is kept (same inode and time),
//! like every other unchanged output file.
//!
//! A rebuild skips what did not change (`cache`, kept beside the output
//! folder): a PDF whose path, size, modification time and inode are those
//! recorded is not hashed again, and a bundle whose fingerprint (everything
//! its bytes are made of, `Prepared::fingerprint`) is the recorded one is
//! taken over from the previous output without being written or read. The
//! cache changes no byte of the output: a build without it gives the same.

mod bag;
mod bundle;
pub(crate) mod cache;
mod catalogue;
pub mod digest;
mod index;
mod listing;
mod page;
mod profile;
mod ro_crate;
pub mod verify;
mod verify_bag;
mod verify_dir;
mod verify_read;
mod verify_report;
mod zip_writer;

use std::collections::HashSet;
use std::fs;

use rayon::prelude::*;

use crate::content::{Pdf, Site, Store};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, IoContext, Result};
use crate::event::Events;
use crate::output::Staging;
use crate::progress::Progress;
use crate::store_templates::Templates;
use bundle::{Bundle, BundleError, Member};
pub(crate) use cache::Cache;
use cache::{BundleRecord, FileKey};
use catalogue::Catalogue;
use digest::{Digests, HashingWriter, hex};
use listing::{ListedBundle, Listing};

pub use bundle::{Scope, bag_segment, bundle_name, site_slug, year_of};
pub use page::PeriodFeed;
pub use verify::{Problem, Report, verify};

/// What the archive stage leaves: what its own documents are made from,
/// and the cache for the next build, to be saved once the build has
/// succeeded.
pub struct Archived {
    cache: Cache,
    listed: Listed,
}

/// What the archive's own documents are made from: every bundle as written
/// (its size and checksums are only known then), and the feeds' archive
/// documents its page links.
pub struct Listed {
    bundles: Vec<ListedBundle>,
    history: Vec<PeriodFeed>,
}

/// One of the archive's own documents, beside the bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Own {
    /// `index.json`, the listing harvesters read.
    Index,
    /// `index.html`, the page for people.
    Page,
    Sha256Sums,
    Sha512Sums,
    /// `bagit-profile.json`, the profile every bag names.
    Profile,
}

impl Own {
    pub const ALL: [Own; 5] = [Own::Index, Own::Page, Own::Sha256Sums, Own::Sha512Sums, Own::Profile];

    /// Its name under `archive/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Own::Index => "index.json",
            Own::Page => "index.html",
            Own::Sha256Sums => "SHA256SUMS",
            Own::Sha512Sums => "SHA512SUMS",
            Own::Profile => "bagit-profile.json",
        }
    }
}

/// `doc` of the archive, over the bundles as `listed`, to `out`. A problem
/// of the page's template is the configuration's; a failure of `out` is
/// `Error::Render`.
pub fn render(
    doc: Own,
    store: &Store,
    templates: &Templates,
    listed: &Listed,
    out: &mut impl std::io::Write,
) -> Result<()> {
    let site = &store.site;
    let sums = |out: &mut dyn std::io::Write, digest: fn(&ListedBundle) -> &str| {
        listed.bundles.iter().try_for_each(|b| writeln!(out, "{}  {}", digest(b), b.name))
    };
    let written = match doc {
        Own::Index => {
            let listing =
                Listing { site: site.base_url.as_str(), publisher: &site.publisher, bundles: &listed.bundles };
            listing.write(out)
        }
        Own::Page => {
            return page::ArchivePage::new(&templates.archive).render(site, &listed.bundles, &listed.history, out);
        }
        Own::Sha256Sums => sums(out, |b| &b.sha256),
        Own::Sha512Sums => sums(out, |b| &b.sha512),
        Own::Profile => out.write_all(&profile::json(site)),
    };
    written.map_err(|source| Error::Render { document: crate::error::Document::Archive(doc.file_name()), source })
}

impl Archived {
    /// What the archive's own documents are made from.
    pub fn listed(&self) -> &Listed {
        &self.listed
    }

    /// Writes the cache beside the output folder (`cache`). Only after the
    /// output was committed; a failure only costs the next build its speed,
    /// so it is not an error of this one.
    pub fn save_cache(self) {
        let _ = self.cache.save();
    }
}

/// Renders what every bundle holds but its PDFs (the catalogue, the index,
/// the bag's tag files) without hashing or writing anything, so that `check`
/// finds every problem of the archive stage: the PDFs' digests are stand-ins.
///
/// With `cache_dir` (the build cache beside the output, `Target::cache_dir`),
/// a bundle that a successful build wrote from the very inputs it has now
/// (its fingerprint, over the PDFs' digests that cache holds for the files
/// as they are) is not rendered again: it rendered without a problem then,
/// and rendering is deterministic. A missing, damaged or foreign cache
/// proves every bundle.
pub fn prove(
    store: &Store,
    templates: &Templates,
    epoch: Option<jiff::Timestamp>,
    history: &[PeriodFeed],
    cache: Option<&Cache>,
) -> Result<()> {
    let catalogue = Catalogue::new(&templates.index);
    let site = &store.site;
    let engine = cache::engine_id();
    let publications: Vec<_> =
        store.publications.iter().filter_map(|item| item.publication.as_ref().map(|p| (item, p))).collect();
    // The digests the cache knows for each PDF as it is now, if any.
    let known: Vec<Option<Digests>> =
        publications.par_iter().map(|(_, p)| cache.and_then(|c| cached_digests(&p.pdf, c))).collect();
    let members: Vec<Member<'_>> = publications
        .par_iter()
        .zip(&known)
        .map(|((item, p), d)| Member::new(site, item, p, d.unwrap_or(Digests::stand_in(p.pdf.size)), epoch))
        .collect();
    let unknown: HashSet<&std::path::Path> = publications
        .iter()
        .zip(&known)
        .filter(|(_, d)| d.is_none())
        .map(|((item, _), _)| item.source.as_path())
        .collect();
    let bundles = Bundle::plan(site, &members);
    let site_text = bundle::BundleShape::site_text(&store.site_path);
    let shape = bundle::BundleShape { engine: &engine, site_text: &site_text, catalogue: templates.index.digest() };
    let proved = |bundle: &Bundle<'_, '_>| {
        let Some(cache) = cache else { return false };
        let all_known = bundle.members.iter().all(|m| !unknown.contains(m.item.source.as_path()));
        let recorded = cache.bundle(&bundle.file_name());
        all_known && recorded.is_some_and(|r| r.fingerprint == hex(&bundle.fingerprint(site, &shape, epoch)))
    };
    let problems: Vec<Diagnostic> = each_bundle(&bundles, |bundle| match proved(bundle) {
        true => Vec::new(),
        false => match bundle.prove(site, &catalogue, epoch) {
            Err(Error::Config(found)) => found,
            _ => Vec::new(),
        },
    })
    .into_iter()
    .flatten()
    .collect();
    if !problems.is_empty() {
        return Err(Error::Config(problems));
    }
    // The archive's page, over the bundles as they will be listed (their
    // sizes and checksums are only known once written).
    let listed: Vec<ListedBundle> = bundles
        .iter()
        .map(|b| ListedBundle {
            url: site.base_url.join(&["archive", &b.file_name()], false),
            name: b.file_name(),
            size: 0,
            sha256: String::new(),
            sha512: String::new(),
            items: b.members.len(),
            years: b.years(),
        })
        .collect();
    page::ArchivePage::new(&templates.archive).render(site, &listed, history, &mut std::io::sink())
}

/// What of the build's settings writing the archive depends on.
#[derive(Debug, Clone, Copy)]
pub struct ArchiveOptions {
    /// `SOURCE_DATE_EPOCH`: no time in a bundle is later than it.
    pub epoch: Option<jiff::Timestamp>,
}

/// Writes every bundle and its sidecar into `staging`; the archive's own
/// documents, made from them (`Archived::listed`), are the build's to write
/// (`render`). `history`: the feeds' archive documents the page links.
pub fn write(
    staging: &Staging,
    store: &Store,
    templates: &Templates,
    history: Vec<PeriodFeed>,
    opts: ArchiveOptions,
    cache: Cache,
    events: &Events<'_>,
) -> Result<Archived> {
    let catalogue = Catalogue::new(&templates.index);
    let engine = cache::engine_id();
    let site = &store.site;
    let publications: Vec<_> =
        store.publications.iter().filter_map(|item| item.publication.as_ref().map(|p| (item, p))).collect();
    // Each PDF hashed once, in parallel, unless the cache knows this state of
    // the file; collected in the store's order.
    let payload: u64 = publications.iter().map(|(_, p)| p.pdf.size).sum();
    let hashing = Progress::new("hashing PDFs", payload, events);
    let digests: Vec<Digests> = publications
        .par_iter()
        .map(|(_, p)| {
            let source = &p.pdf.source;
            let d = digests_of(&p.pdf, &cache).at(source)?;
            hashing.add(d.size);
            if d.size != p.pdf.size {
                return Err(Error::io(
                    source,
                    std::io::Error::other("the file changed while the site was being built"),
                ));
            }
            Ok(d)
        })
        .collect::<Result<_>>()?;
    hashing.finish();
    let members: Vec<Member<'_>> =
        publications.par_iter().zip(digests).map(|((item, p), d)| Member::new(site, item, p, d, opts.epoch)).collect();
    let site_text = bundle::BundleShape::site_text(&store.site_path);
    let shape = bundle::BundleShape { engine: &engine, site_text: &site_text, catalogue: templates.index.digest() };

    let bundles = Bundle::plan(site, &members);
    let copying =
        Progress::new("writing bundles", bundles.iter().flat_map(|b| &b.members).map(|m| m.digests.size).sum(), events);
    let job = Job { staging, cache: &cache, shape: &shape, site, catalogue: &catalogue, opts };
    let listed: Vec<ListedBundle> = each_bundle(&bundles, |bundle| {
        let listed = job.bundle(bundle)?;
        copying.add(bundle.members.iter().map(|m| m.digests.size).sum());
        Ok(listed)
    })
    .into_iter()
    .collect::<Result<_>>()?;
    copying.finish();
    Ok(Archived { cache, listed: Listed { bundles: listed, history } })
}

/// `f` of each bundle, in the plan's order (so that nothing depends on
/// timing), in parallel: the bundle of everything on the calling thread,
/// the years on rayon's threads meanwhile. The proof and the build both
/// render that largest catalogue (at
/// 10,000 publications, 30 to 80 MB of template values while it renders)
/// on the build's own thread, so the build's render takes the memory the
/// proof's freed in that thread's arena: on whichever worker it fell, it
/// grew a second arena, and the peak of a first build by that much.
fn each_bundle<'b, 'm, 'a, T: Send>(
    bundles: &'b [Bundle<'m, 'a>],
    f: impl Fn(&'b Bundle<'m, 'a>) -> T + Sync,
) -> Vec<T> {
    let Some((all, years)) = bundles.split_first() else { return Vec::new() };
    std::thread::scope(|scope| {
        let years = scope.spawn(|| years.par_iter().map(&f).collect::<Vec<T>>());
        let mut each = vec![f(all)];
        match years.join() {
            Ok(years) => each.extend(years),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        each
    })
}

/// The digests the cache holds for `pdf` as the load found it (`Pdf::state`)
/// or, where the load did not keep its state, as it is now, if any. Its
/// `source` is the canonical path the load resolved: not resolved again,
/// which was 120,000 `readlink`s for 10,000 PDFs.
fn cached_digests(pdf: &Pdf, cache: &Cache) -> Option<Digests> {
    cache.digests(&pdf.source, state_of(pdf).ok()?)
}

/// The state of `pdf`'s file as the load found it, else as it is now.
fn state_of(pdf: &Pdf) -> std::io::Result<FileKey> {
    pdf.state.map_or_else(|| fs::metadata(&pdf.source).map(|meta| FileKey::of(&meta)), Ok)
}

/// The digests of one PDF: from the cache when it knows this state of the
/// file (canonical path, size, modification time, inode), else read.
fn digests_of(pdf: &Pdf, cache: &Cache) -> std::io::Result<Digests> {
    let canonical = &pdf.source;
    let key = state_of(pdf)?;
    if let Some(d) = cache.digests(canonical, key) {
        cache.record_digests(canonical, key, &d);
        return Ok(d);
    }
    let d = Digests::of_file(canonical)?;
    // Cached only if the file did not change while it was read.
    if fs::metadata(canonical).is_ok_and(|after| FileKey::of(&after) == key) {
        cache.record_digests(canonical, key, &d);
    }
    Ok(d)
}

/// What writing one bundle needs.
struct Job<'j> {
    staging: &'j Staging,
    cache: &'j Cache,
    shape: &'j bundle::BundleShape<'j>,
    site: &'j Site,
    catalogue: &'j Catalogue<'j>,
    opts: ArchiveOptions,
}

impl Job<'_> {
    /// Stages one bundle and its sidecar: the previous ZIP, not prepared,
    /// when the cache says it was written from the same fingerprint, else a
    /// new one.
    fn bundle(&self, bundle: &Bundle<'_, '_>) -> Result<ListedBundle> {
        let file_name = bundle.file_name();
        let rel = format!("archive/{file_name}");
        let fingerprint = hex(&bundle.fingerprint(self.site, self.shape, self.opts.epoch));
        let (size, sha256, sha512) = match self.reuse(&rel, &file_name, &fingerprint)? {
            Some(record) => (record.file.size, record.sha256, record.sha512),
            None => {
                let prepared = bundle.prepare(self.site, self.catalogue, self.opts.epoch).map_err(|e| match e {
                    BundleError::Build(e) => e,
                    BundleError::Read(pdf, source) => Error::io(pdf, source),
                    BundleError::Write(source) => Error::io(&rel, source),
                })?;
                let staged = self.staging.create(&rel)?;
                let path = staged.path().to_owned();
                let written = prepared.write(HashingWriter::new(staged)).map_err(|e| match e {
                    BundleError::Read(pdf, source) => Error::io(pdf, source),
                    BundleError::Write(source) if source.kind() == std::io::ErrorKind::InvalidData => Error::io(
                        &path,
                        std::io::Error::new(
                            source.kind(),
                            format!(
                                "{source} (if it was edited and its modification time put back, delete {} and \
                                 build again)",
                                self.cache.dir().display()
                            ),
                        ),
                    ),
                    BundleError::Write(source) => Error::io(&path, source),
                    BundleError::Build(e) => e,
                })?;
                let (staged, size, sha256, sha512) = written.finish();
                staged.finish_as_written()?;
                let sidecar = format!("{}  {file_name}\n", hex(&sha256));
                keep_previous_if_same(self.staging, &rel, &sidecar, size)?;
                self.staging.write(&format!("{rel}.sha256"), sidecar.as_bytes())?;
                let meta = fs::metadata(&path).at(&path)?;
                let (sha256, sha512) = (hex(&sha256), hex(&sha512));
                let record = BundleRecord {
                    fingerprint,
                    sha256: sha256.clone(),
                    sha512: sha512.clone(),
                    file: FileKey::of(&meta),
                };
                self.cache.record_bundle(&file_name, record);
                (size, sha256, sha512)
            }
        };
        Ok(ListedBundle {
            url: self.site.base_url.join(&["archive", &file_name], false),
            name: file_name,
            size,
            sha256,
            sha512,
            items: bundle.members.len(),
            years: bundle.years(),
        })
    }

    /// The previous ZIP, taken over unread, when the cache recorded it with
    /// `fingerprint` and the previous output still holds that very file
    /// (inode, size, time) with a sidecar naming its recorded SHA-256.
    fn reuse(&self, rel: &str, file_name: &str, fingerprint: &str) -> Result<Option<BundleRecord>> {
        let Some(record) = self.cache.bundle(file_name).filter(|r| r.fingerprint == fingerprint) else {
            return Ok(None);
        };
        let same_file = previous_meta(self.staging, rel).is_some_and(|m| FileKey::of(&m) == record.file);
        let sidecar = format!("{}  {file_name}\n", record.sha256);
        let sidecar_rel = format!("{rel}.sha256");
        let same_sidecar = previous_bytes(self.staging, &sidecar_rel).is_some_and(|old| old == sidecar.as_bytes());
        if !(same_file && same_sidecar && self.staging.reuse(rel)?) {
            return Ok(None);
        }
        self.staging.write(&sidecar_rel, sidecar.as_bytes())?;
        self.cache.record_bundle(file_name, record.clone());
        Ok(Some(record.clone()))
    }
}

/// When the previous output's sidecar names the same SHA-256 and its ZIP has
/// the same size, that ZIP takes the place of the one just staged.
fn keep_previous_if_same(staging: &Staging, rel: &str, sidecar: &str, size: u64) -> Result<()> {
    let same_sum = previous_bytes(staging, &format!("{rel}.sha256")).is_some_and(|old| old == sidecar.as_bytes());
    let same_size = previous_meta(staging, rel).is_some_and(|m| m.len() == size);
    if same_sum && same_size {
        staging.reuse(rel)?;
    }
    Ok(())
}

fn previous_meta(staging: &Staging, rel: &str) -> Option<fs::Metadata> {
    staging.previous(rel).and_then(|p| fs::metadata(p).ok())
}

fn previous_bytes(staging: &Staging, rel: &str) -> Option<Vec<u8>> {
    staging.previous(rel).and_then(|p| fs::read(p).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    /// What a successful build leaves in the cache for `store`: each PDF's
    /// digests and each bundle's fingerprint.
    fn record_build(dir: &std::path::Path, store: &Store, templates: &Templates) {
        let engine = cache::engine_id();
        let cache = Cache::load(dir, &engine);
        let site = &store.site;
        let members: Vec<Member<'_>> = store
            .publications
            .iter()
            .map(|item| (item, item.publication.as_ref().unwrap()))
            .map(|(item, p)| Member::new(site, item, p, digests_of(&p.pdf, &cache).unwrap(), None))
            .collect();
        let site_text = bundle::BundleShape::site_text(&store.site_path);
        let shape = bundle::BundleShape { engine: &engine, site_text: &site_text, catalogue: templates.index.digest() };
        for bundle in Bundle::plan(site, &members) {
            let fingerprint = hex(&bundle.fingerprint(site, &shape, None));
            let file = FileKey { size: 1, mtime_ns: 1, ino: 1, dev: 1 };
            let record = BundleRecord { fingerprint, sha256: String::new(), sha512: String::new(), file };
            cache.record_bundle(&bundle.file_name(), record);
        }
        cache.save().unwrap();
    }

    #[test]
    fn prove_skips_the_bundles_a_build_wrote_from_the_same_inputs() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        let store = bundle::tests::store(&content);
        // Sources as an editor's are: not modified in the last seconds.
        let old = SystemTime::now() - Duration::from_secs(3600);
        for item in &store.publications {
            let pdf = &item.publication.as_ref().unwrap().pdf.source;
            fs::File::options().write(true).open(pdf).unwrap().set_modified(old).unwrap();
        }
        // A catalogue template that fails for every bundle it renders.
        let feeds = tmp.path().join("feeds");
        fs::create_dir_all(feeds.join("templates")).unwrap();
        fs::write(feeds.join("templates/index.html"), "{{ bundle.name | no_such_filter }}").unwrap();
        let broken = Templates::load(&feeds, Duration::from_secs(10));
        // Unknown filters are found at load time by some Tera versions:
        // then an unknown variable, found only when rendering.
        let templates = broken.unwrap_or_else(|_| {
            fs::write(feeds.join("templates/index.html"), "{{ no_such_variable.field }}").unwrap();
            Templates::load(&feeds, Duration::from_secs(10)).unwrap()
        });
        let dir = tmp.path().join(".public.pressroom-cache");
        let failing = |dir: Option<&std::path::Path>| {
            let cache = dir.map(Cache::of_this_build);
            let found = prove(&store, &templates, None, &[], cache.as_ref());
            match found {
                Err(Error::Config(found)) => found.len(),
                Ok(()) => 0,
                Err(other) => panic!("{other:?}"),
            }
        };
        assert_eq!(failing(None), 3, "the bundle of everything and two years");
        assert_eq!(failing(Some(&dir)), 3, "no cache yet");

        record_build(&dir, &store, &templates);
        assert_eq!(failing(Some(&dir)), 0, "each bundle proved by the build");
        assert_eq!(failing(None), 3, "without the cache");

        // A PDF with a new modification time: its digests are not known, so
        // its bundles are proved (all, and 2021), the other year's not.
        let c = store.publications.iter().find(|i| i.slug == "c").unwrap();
        let pdf = &c.publication.as_ref().unwrap().pdf.source;
        fs::File::options().write(true).open(pdf).unwrap().set_modified(old + Duration::from_secs(1)).unwrap();
        assert_eq!(failing(Some(&dir)), 2);
        fs::File::options().write(true).open(pdf).unwrap().set_modified(old).unwrap();
        assert_eq!(failing(Some(&dir)), 0);

        // A damaged or foreign cache proves everything.
        let file = dir.join("cache.json");
        let text = fs::read(&file).unwrap();
        let mut flipped = text.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 1;
        fs::write(&file, &flipped).unwrap();
        assert_eq!(failing(Some(&dir)), 3, "damaged");
        let foreign = Cache::load(&dir, b"another pressroom");
        foreign.save().unwrap();
        assert_eq!(failing(Some(&dir)), 3, "foreign");
    }
}
