//! One archive bundle: which publications it holds, its name, its bag
//! metadata, and how its ZIP is written. The plan is one bundle of every
//! publication and one per publication year (in the site's time zone).
//!
//! Names: `<site>-publications-all` and `<site>-publications-<year>`, where
//! `<site>` is the base URL's host without a leading `www.`, every run of
//! characters other than ASCII letters and digits made one `-`
//! (`www.globalspaceexploration.org` → `globalspaceexploration-org`). The
//! name is the ZIP's file name without `.zip` and the bag's top folder.
//!
//! Inside the bag a PDF is `data/<year>/<slug>/<file name>`: slugs are unique
//! among publications, so the path is unique, and it only moves when the
//! publication's date or slug does. In the slug and the file name, `%`,
//! `~`, `\`, control characters and trailing spaces are written `~XX` (their
//! hex code; one-to-one, so paths stay unique): RFC 8493 wants `%`, CR and LF
//! percent-encoded in manifests, but bagit-python 1.9 does not decode `%25`
//! and strips trailing spaces, so a bag path never holds them and every
//! validator reads the manifests alike. The index records the path used.
//!
//! Times: each PDF entry carries its publication's last change (`updated`,
//! else `date`), the other entries and Bagging-Date the newest of those in
//! the bundle; all are the site's local time. With SOURCE_DATE_EPOCH set,
//! every entry and Bagging-Date take that moment instead.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use jiff::Timestamp;
use sha2::{Digest as _, Sha256};

use super::bag::{Bag, PayloadFile};
use super::catalogue::{BundleCtx, Catalogue};
use super::digest::Digests;
use super::index::{self, Record};
use super::ro_crate;
use super::zip_writer::{DosTime, ZipWriter};
use crate::content::{Item, Publication, Site};
use crate::error::{Error, Result};
use crate::templates::size_label;

/// A publication as the archive sees it, hashed once for all bundles.
pub struct Member<'a> {
    pub item: &'a Item,
    pub publication: &'a Publication,
    pub digests: Digests,
    /// `data/<year>/<slug>/<file name>`.
    pub path: String,
    pub year: i16,
}

impl<'a> Member<'a> {
    pub fn new(site: &Site, item: &'a Item, publication: &'a Publication, digests: Digests) -> Member<'a> {
        let year = year_of(site, item);
        let path = format!("data/{year:04}/{}/{}", bag_segment(&item.slug), bag_segment(&publication.pdf.file_name));
        Member { item, publication, digests, path, year }
    }
}

/// What a bundle holds. A year's bundle depends on nothing but that year's
/// publications and the site's own description (no count of the other
/// years, no time but its members'), so once a year is over its ZIP keeps
/// its bytes for good, and the checksums archivists recorded stay true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Year(i16),
}

pub struct Bundle<'m, 'a> {
    pub name: String,
    pub scope: Scope,
    /// Newest first, as the store orders publications.
    pub members: Vec<&'m Member<'a>>,
}

/// The year whose bundle holds `item`: its date's, in the site's zone.
pub fn year_of(site: &Site, item: &Item) -> i16 {
    item.date.to_zoned_datetime(site.timezone.clone()).year()
}

/// A bundle's name, without `.zip`: `<site>-publications-all` or
/// `<site>-publications-YYYY`.
pub fn bundle_name(site: &Site, scope: Scope) -> String {
    let prefix = format!("{}-publications", site_slug(site));
    match scope {
        Scope::All => format!("{prefix}-all"),
        Scope::Year(year) => format!("{prefix}-{year:04}"),
    }
}

impl<'m, 'a> Bundle<'m, 'a> {
    /// The full bundle, then one per year, oldest first; none without
    /// publications.
    pub fn plan(site: &Site, members: &'m [Member<'a>]) -> Vec<Bundle<'m, 'a>> {
        if members.is_empty() {
            return Vec::new();
        }
        let mut years: Vec<i16> = members.iter().map(|m| m.year).collect();
        years.sort_unstable();
        years.dedup();
        let mut bundles =
            vec![Bundle { name: bundle_name(site, Scope::All), scope: Scope::All, members: members.iter().collect() }];
        for year in years {
            bundles.push(Bundle {
                name: bundle_name(site, Scope::Year(year)),
                scope: Scope::Year(year),
                members: members.iter().filter(|m| m.year == year).collect(),
            });
        }
        bundles
    }

    pub fn file_name(&self) -> String {
        format!("{}.zip", self.name)
    }

    /// The years covered, oldest first.
    pub fn years(&self) -> Vec<i16> {
        let mut years: Vec<i16> = self.members.iter().map(|m| m.year).collect();
        years.sort_unstable();
        years.dedup();
        years
    }

    /// The newest change among the bundle's publications, no later than
    /// `SOURCE_DATE_EPOCH` (clamped, as `tar --clamp-mtime` does: a later
    /// epoch leaves a closed year's bundle as it was).
    fn moment(&self, epoch: Option<Timestamp>) -> Timestamp {
        let newest = self.members.iter().map(|m| m.item.modified()).max().unwrap_or(Timestamp::UNIX_EPOCH);
        clamp(newest, epoch)
    }

    fn description(&self, site: &Site) -> String {
        let n = self.members.len();
        let s = if n == 1 { "" } else { "s" };
        let years = self.years();
        match (self.scope, years.first(), years.last()) {
            (Scope::Year(year), _, _) => format!(
                "The {n} publication{s} of {} dated {year}: the PDF files and a metadata index \
                 (data/index.csv, data/index.json, data/index.html).",
                site.title
            ),
            (Scope::All, Some(first), Some(last)) if first != last => format!(
                "All {n} publication{s} of {}, {first} to {last}: the PDF files and a metadata index \
                 (data/index.csv, data/index.json, data/index.html).",
                site.title
            ),
            _ => format!(
                "All {n} publication{s} of {}: the PDF files and a metadata index \
                 (data/index.csv, data/index.json, data/index.html).",
                site.title
            ),
        }
    }

    /// bag-info.txt: what every bag says of itself (the profile's required
    /// fields), and for a year its series, nothing of other years.
    fn bag_info(
        &self,
        site: &Site,
        description: &str,
        url: &str,
        bagging_date: &str,
        payload: &[PayloadFile],
    ) -> Vec<(&'static str, String)> {
        let octets: u64 = payload.iter().map(|f| f.size).sum();
        let mut info = vec![
            ("Source-Organization", site.publisher.clone()),
            ("External-Description", description.to_owned()),
            ("External-Identifier", url.to_owned()),
            ("Bagging-Date", bagging_date.to_owned()),
            ("Payload-Oxum", Bag::payload_oxum(payload)),
            ("Bag-Size", size_label(octets)),
        ];
        if let Scope::Year(_) = self.scope {
            info.push(("Bag-Group-Identifier", format!("{}-publications-by-year", site_slug(site))));
        }
        info.push(("BagIt-Profile-Identifier", super::profile::url(site)));
        info
    }

    /// Everything the bundle's ZIP holds, its entries in order, without the
    /// PDFs' bytes: the text files rendered, each PDF by its digests.
    pub fn prepare(
        &self,
        site: &Site,
        catalogue: &Catalogue<'_>,
        epoch: Option<Timestamp>,
    ) -> Result<Prepared<'m, 'a>, BundleError> {
        let tz = &site.timezone;
        let moment = self.moment(epoch);
        let local = |ts: Timestamp| DosTime::new(ts.to_zoned_datetime(tz.clone()).datetime());
        let bagging_date = crate::content::date::day(moment, tz);
        let description = self.description(site);
        let url = site.base_url.join(&["archive", &self.file_name()], false);

        let records: Vec<Record> =
            self.members.iter().map(|m| Record::new(site, m.item, m.publication, &m.digests, m.path.clone())).collect();
        let pdf_octets: u64 = self.members.iter().map(|m| m.digests.size).sum();
        let html = catalogue
            .render(
                site,
                &BundleCtx {
                    name: &self.name,
                    description: &description,
                    bagging_date: &bagging_date,
                    count: records.len(),
                    size_label: size_label(pdf_octets),
                },
                &records,
            )
            .map_err(BundleError::Build)?;
        let crate_meta = ro_crate::json(
            site,
            &ro_crate::Dataset { name: &self.name, description: &description, date: &bagging_date, url: &url },
            &records,
        );
        let texts: Vec<(String, Vec<u8>)> = vec![
            ("data/index.csv".to_owned(), index::csv(&records)),
            ("data/index.html".to_owned(), html),
            ("data/index.json".to_owned(), index::json(&self.file_name(), site, &records)),
            ("data/ro-crate-metadata.json".to_owned(), crate_meta),
        ];

        let mut payload: Vec<PayloadFile> = self
            .members
            .iter()
            .map(|m| PayloadFile {
                path: m.path.clone(),
                size: m.digests.size,
                sha256: m.digests.sha256,
                sha512: m.digests.sha512,
            })
            .collect();
        payload.extend(texts.iter().map(|(path, bytes)| PayloadFile::of_bytes(path.clone(), bytes)));
        let info = self.bag_info(site, &description, &url, &bagging_date, &payload);
        let bag = Bag::new(info, payload);

        let top = &self.name;
        let bundle_time = local(moment);
        let mut entries: Vec<BagEntry<'m, 'a>> = bag
            .tag_files()
            .into_iter()
            .map(|(path, bytes)| BagEntry {
                name: format!("{top}/{path}"),
                time: bundle_time,
                source: EntryData::Text(bytes),
            })
            .collect();
        // The payload in path order (the manifests' order), PDFs and index
        // files interleaved.
        let mut sources: BTreeMap<String, EntryData<'m, 'a>> =
            texts.into_iter().map(|(path, bytes)| (path, EntryData::Text(bytes))).collect();
        sources.extend(self.members.iter().map(|&m| (m.path.clone(), EntryData::Pdf(m))));
        for (path, source) in sources {
            let time = match source {
                EntryData::Text(_) => bundle_time,
                EntryData::Pdf(member) => local(clamp(member.item.modified(), epoch)),
            };
            entries.push(BagEntry { name: format!("{top}/{path}"), time, source });
        }
        Ok(Prepared { entries })
    }
}

fn clamp(ts: Timestamp, epoch: Option<Timestamp>) -> Timestamp {
    epoch.map_or(ts, |epoch| ts.min(epoch))
}

/// A bundle ready to be written: what goes into its ZIP, in order.
pub struct Prepared<'m, 'a> {
    entries: Vec<BagEntry<'m, 'a>>,
}

struct BagEntry<'m, 'a> {
    name: String,
    time: DosTime,
    source: EntryData<'m, 'a>,
}

impl Prepared<'_, '_> {
    /// A SHA-256 that decides the ZIP's bytes: `engine` (what turns entries
    /// into bytes: pressroom's build and its deflate library), then every
    /// entry's name, time and kind, each text file's bytes and each PDF's
    /// size and digests. The ZIP writer is a function of exactly these, so
    /// nothing that reaches a bundle (a title, a tag, the catalogue
    /// template, a site field, SOURCE_DATE_EPOCH, a PDF's content) can
    /// change without changing the fingerprint: it is taken over what the
    /// inputs became, not over a list of inputs that could miss one.
    pub fn fingerprint(&self, engine: &[u8]) -> [u8; 32] {
        let mut h = Sha256::new();
        let field = |h: &mut Sha256, bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        field(&mut h, b"pressroom bundle fingerprint 1");
        field(&mut h, engine);
        h.update((self.entries.len() as u64).to_le_bytes());
        for entry in &self.entries {
            field(&mut h, entry.name.as_bytes());
            h.update(entry.time.to_bytes());
            match &entry.source {
                EntryData::Text(bytes) => {
                    h.update([0]);
                    field(&mut h, bytes);
                }
                EntryData::Pdf(member) => {
                    let d = &member.digests;
                    h.update([1]);
                    h.update(d.size.to_le_bytes());
                    h.update(d.crc32.to_le_bytes());
                    h.update(d.sha256);
                    h.update(d.sha512);
                }
            }
        }
        h.finalize().into()
    }

    /// Writes the ZIP to `out`, streaming each PDF from its source. Errors
    /// reading a PDF name that PDF.
    pub fn write<W: Write>(&self, out: W) -> Result<W, BundleError> {
        let mut zip = ZipWriter::new(out);
        for entry in &self.entries {
            let member = match &entry.source {
                EntryData::Text(bytes) => {
                    zip.add_deflated(&entry.name, bytes, entry.time).map_err(BundleError::Write)?;
                    continue;
                }
                EntryData::Pdf(member) => member,
            };
            let source = &member.publication.pdf.source;
            let mut reader = Named { inner: open(source)?, failed: None };
            zip.add_stored(&entry.name, &mut reader, member.digests.size, member.digests.crc32, entry.time).map_err(
                |e| match reader.failed.take() {
                    Some(read_error) => BundleError::Read(source.clone(), read_error),
                    None => BundleError::Write(e),
                },
            )?;
        }
        zip.finish().map_err(BundleError::Write)
    }
}

/// Where an entry's bytes come from.
enum EntryData<'m, 'a> {
    Text(Vec<u8>),
    Pdf(&'m Member<'a>),
}

/// Why writing a bundle failed: the caller knows the ZIP's path.
pub enum BundleError {
    /// Reading a PDF failed.
    Read(std::path::PathBuf, io::Error),
    /// Writing the ZIP failed (the sink's error, or a PDF that changed).
    Write(io::Error),
    /// Anything else (the catalogue template).
    Build(Error),
}

fn open(path: &Path) -> Result<File, BundleError> {
    File::open(path).map_err(|e| BundleError::Read(path.to_owned(), e))
}

/// A reader that remembers its first error, so it is told apart from the
/// writer's.
struct Named<R> {
    inner: R,
    failed: Option<io::Error>,
}

impl<R: Read> Read for Named<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            let copy = io::Error::new(e.kind(), e.to_string());
            self.failed = Some(e);
            copy
        })
    }
}

/// A slug or file name as a bag path segment (see the module comment).
pub fn bag_segment(name: &str) -> String {
    let keep = name.trim_end_matches([' ', '\t']).len();
    let mut out = String::with_capacity(name.len());
    for (i, c) in name.char_indices() {
        if matches!(c, '%' | '~' | '\\') || c.is_control() || i >= keep {
            let mut utf8 = [0u8; 4];
            for b in c.encode_utf8(&mut utf8).bytes() {
                out.push_str(&format!("~{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The base URL's host as a file name part (see the module comment).
pub fn site_slug(site: &Site) -> String {
    let host = site.base_url.host();
    let host = host.strip_prefix("www.").unwrap_or(host);
    let mut slug = String::new();
    for c in host.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() { "site".to_owned() } else { slug.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bag_segments_avoid_what_validators_read_differently() {
        assert_eq!(bag_segment("annual-report.pdf"), "annual-report.pdf");
        assert_eq!(bag_segment("50% \u{e9}t\u{e9}.pdf"), "50~25 \u{e9}t\u{e9}.pdf");
        assert_eq!(bag_segment("a~25\\b\r\n.pdf "), "a~7E25~5Cb~0D~0A.pdf~20");
        // One-to-one: the escape character is escaped too.
        assert_ne!(bag_segment("a~25"), bag_segment("a%"));
    }
}
