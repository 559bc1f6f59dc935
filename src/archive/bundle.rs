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
use super::index::{self, IndexRecord};
use super::ro_crate;
use super::zip_writer::{DosTime, ZipWriter};
use crate::content::{Item, Publication, Site};
use crate::error::{Error, Result};
use crate::fingerprint::{debug_part, part};
use crate::store_templates::size_label;

/// A publication as the archive sees it, hashed once for all bundles.
pub struct Member<'a> {
    pub item: &'a Item,
    pub publication: &'a Publication,
    pub digests: Digests,
    /// `data/<year>/<slug>/<file name>`.
    pub path: String,
    pub year: i16,
    /// What of the member reaches a bundle (`Member::print`), hashed once
    /// for the bundle of every publication and its year's.
    print: [u8; 32],
}

impl<'a> Member<'a> {
    /// `epoch` is SOURCE_DATE_EPOCH, which may clamp the PDF entry's time.
    pub fn new(
        site: &Site,
        item: &'a Item,
        publication: &'a Publication,
        digests: Digests,
        epoch: Option<Timestamp>,
    ) -> Member<'a> {
        let year = year_of(site, item);
        let path = format!("data/{year:04}/{}/{}", bag_segment(&item.slug), bag_segment(&publication.pdf.file_name));
        let print = Member::print(item, &digests, &path, clamp(item.modified(), epoch));
        Member { item, publication, digests, path, year, print }
    }

    /// Everything of one member a bundle's bytes are made of: the item as
    /// loaded (its publication, PDF source and URL with it), the PDF's
    /// digests, its path in the bag and its entry's time. The epoch enters
    /// only as the time it clamps, so a new SOURCE_DATE_EPOCH later than
    /// every change leaves a closed year's fingerprint as it was.
    fn print(item: &Item, digests: &Digests, path: &str, time: Timestamp) -> [u8; 32] {
        let mut h = Sha256::new();
        part(&mut h, &item.digest);
        part(&mut h, path.as_bytes());
        h.update(digests.size.to_le_bytes());
        h.update(digests.crc32.to_le_bytes());
        h.update(digests.sha256);
        h.update(digests.sha512);
        h.update(time.as_nanosecond().to_le_bytes());
        h.finalize().into()
    }
}

/// What shapes every bundle of a build alike, for `Bundle::fingerprint`.
pub struct BundleShape<'a> {
    /// `cache::engine_id`: this pressroom build and its deflate library.
    pub engine: &'a [u8],
    /// site.toml's bytes.
    pub site_text: &'a [u8],
    /// The catalogue template's text (`Template::digest`).
    pub catalogue: [u8; 32],
}

impl BundleShape<'_> {
    /// site.toml's bytes as read now, or a stand-in no build recorded
    /// (nothing is then taken over) when it cannot be read: it was read
    /// moments ago by the store.
    pub fn site_text(path: &Path) -> Vec<u8> {
        std::fs::read(path).unwrap_or_else(|e| format!("unreadable {}: {e}", path.display()).into_bytes())
    }
}

/// `bytes` after its length, so that no two inputs run together.
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

    /// A SHA-256 of everything the bundle's bytes are made of, worked out
    /// from its inputs before any of it is rendered, so that a bundle the
    /// previous output holds is taken over without being prepared: `shape`
    /// (pressroom's build, site.toml's bytes, the catalogue template), the
    /// site as loaded, the bundle's name, scope, years and time, and each
    /// member's `print` in order. The test below changes each in turn.
    pub fn fingerprint(&self, site: &Site, shape: &BundleShape<'_>, epoch: Option<Timestamp>) -> [u8; 32] {
        let mut h = Sha256::new();
        part(&mut h, b"pressroom bundle fingerprint 2");
        part(&mut h, shape.engine);
        part(&mut h, shape.site_text);
        debug_part(&mut h, site);
        h.update(shape.catalogue);
        part(&mut h, self.name.as_bytes());
        debug_part(&mut h, &(&self.scope, self.years()));
        h.update(self.moment(epoch).as_nanosecond().to_le_bytes());
        h.update((self.members.len() as u64).to_le_bytes());
        for member in &self.members {
            h.update(member.print);
        }
        h.finalize().into()
    }

    /// The one part of the bundle a template shapes, its catalogue, rendered
    /// and dropped: what the proof of a build needs to know before anything
    /// is written, without the bundle's other files (a bundle of 10,000
    /// publications holds megabytes of them).
    pub fn prove(&self, site: &Site, catalogue: &Catalogue<'_>, epoch: Option<Timestamp>) -> Result<(), Error> {
        self.catalogue(site, catalogue, epoch).map(drop)
    }

    /// The bundle's records, its catalogue and what both were made with.
    fn catalogue(&self, site: &Site, catalogue: &Catalogue<'_>, epoch: Option<Timestamp>) -> Result<Catalogued, Error> {
        let tz = &site.timezone;
        let bagging_date = crate::content::date::day(self.moment(epoch), tz);
        let description = self.description(site);
        let records: Vec<IndexRecord> = self
            .members
            .iter()
            .map(|m| IndexRecord::new(site, m.item, m.publication, &m.digests, m.path.clone()))
            .collect();
        let pdf_octets: u64 = self.members.iter().map(|m| m.digests.size).sum();
        let html = catalogue.render(
            site,
            &BundleCtx {
                name: &self.name,
                description: &description,
                bagging_date: &bagging_date,
                count: records.len(),
                size_label: size_label(pdf_octets),
            },
            &records,
        )?;
        Ok(Catalogued { bagging_date, description, records, html })
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
        let url = site.base_url.join(&["archive", &self.file_name()], false);
        let Catalogued { bagging_date, description, records, html } =
            self.catalogue(site, catalogue, epoch).map_err(BundleError::Build)?;
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

/// A bundle's catalogue, with the records and words it was rendered from.
struct Catalogued {
    bagging_date: String,
    description: String,
    records: Vec<IndexRecord>,
    html: Vec<u8>,
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
pub(super) mod tests {
    use super::*;
    use crate::content::Store;

    const SITE: &str = "base_url = \"https://example.org/\"\ndescription = \"d\"\nlanguage = \"en\"\n\
                        publisher = \"P\"\ncopyright = \"C\"\n";

    /// A store of three publications, two in 2020 and one in 2021; files a
    /// test has edited since are left as they are.
    pub(in crate::archive) fn store(root: &Path) -> Store {
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            if !path.exists() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
        };
        write("site.toml", &format!("title = \"T\"\n{SITE}"));
        for (slug, date) in [("a", "2020-01-01"), ("b", "2020-06-01"), ("c", "2021-01-01")] {
            write(&format!("publications/pdf/{slug}.pdf"), "%PDF-1.4\n");
            let text = format!(
                "+++\ntitle = \"{slug}\"\ndate = {date}\nkind = \"report\"\nfile = \"pdf/{slug}.pdf\"\n+++\nBody.\n"
            );
            write(&format!("publications/{slug}.md"), &text);
        }
        Store::load(root, Timestamp::from_second(1_900_000_000).unwrap()).unwrap()
    }

    /// The fingerprint of the 2020 bundle of the store in `root`.
    fn print(root: &Path, engine: &[u8], catalogue: [u8; 32], epoch: Option<Timestamp>, pdf: Digests) -> [u8; 32] {
        let store = store(root);
        let site = &store.site;
        let members: Vec<Member<'_>> = store
            .publications
            .iter()
            .map(|item| (item, item.publication.as_ref().unwrap()))
            .map(|(item, p)| {
                Member::new(site, item, p, if item.slug == "a" { pdf } else { Digests::stand_in(9) }, epoch)
            })
            .collect();
        let bundles = Bundle::plan(site, &members);
        let year = bundles.iter().find(|b| b.scope == Scope::Year(2020)).unwrap();
        let site_text = std::fs::read(&store.site_path).unwrap();
        year.fingerprint(site, &BundleShape { engine, site_text: &site_text, catalogue }, epoch)
    }

    #[test]
    fn the_fingerprint_follows_everything_that_shapes_the_bundle() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let pdf = Digests { size: 9, sha256: [1; 32], sha512: [2; 64], crc32: 3 };
        let late = Some(Timestamp::from_second(1_800_000_000).unwrap());
        let first = print(root, b"v1", [0; 32], late, pdf);
        assert_eq!(print(root, b"v1", [0; 32], late, pdf), first, "deterministic");
        assert_eq!(print(root, b"v1", [0; 32], None, pdf), first, "an epoch later than every change clamps nothing");
        std::fs::write(
            root.join("publications/c.md"),
            "+++\ntitle = \"c2\"\ndate = 2021-01-01\nkind = \"report\"\nfile = \"pdf/c.pdf\"\n+++\n",
        )
        .unwrap();
        assert_eq!(print(root, b"v1", [0; 32], late, pdf), first, "a publication of another year");

        let mut seen = vec![first];
        let mut differs = |now: [u8; 32], what: &str| {
            assert!(!seen.contains(&now), "{what}");
            seen.push(now);
        };
        differs(print(root, b"v2", [0; 32], late, pdf), "pressroom's build");
        differs(print(root, b"v1", [1; 32], late, pdf), "the catalogue template");
        differs(
            print(root, b"v1", [0; 32], Some(Timestamp::from_second(1_580_000_000).unwrap()), pdf),
            "an epoch that clamps",
        );
        for changed in [
            Digests { size: 10, ..pdf },
            Digests { sha256: [9; 32], ..pdf },
            Digests { sha512: [9; 64], ..pdf },
            Digests { crc32: 9, ..pdf },
        ] {
            differs(print(root, b"v1", [0; 32], late, changed), "a PDF's digests");
        }
        let edits: [(&str, &str); 6] = [
            (
                "publications/a.md",
                "+++\ntitle = \"a, revised\"\ndate = 2020-01-01\nkind = \"report\"\nfile = \"pdf/a.pdf\"\n+++\n",
            ),
            (
                "publications/a.md",
                "+++\ntitle = \"a, revised\"\ndate = 2020-01-01\nkind = \"report\"\nedition = \"2\"\nfile = \"pdf/a.pdf\"\n+++\n",
            ),
            (
                "publications/a.md",
                "+++\ntitle = \"a, revised\"\ndate = 2020-01-01\nupdated = 2020-02-01\nkind = \"report\"\nedition = \"2\"\nfile = \"pdf/a.pdf\"\n+++\n",
            ),
            (
                "publications/a.md",
                "+++\ntitle = \"a, revised\"\ndate = 2020-01-01\nupdated = 2020-02-01\nkind = \"report\"\nedition = \"2\"\nslug = \"a2\"\nfile = \"pdf/a.pdf\"\n+++\n",
            ),
            ("site.toml", &format!("title = \"T2\"\n{SITE}")),
            ("site.toml", &format!("title = \"T2\"\n{SITE}\n# a comment only\n")),
        ];
        for (file, text) in edits {
            std::fs::write(root.join(file), text).unwrap();
            differs(print(root, b"v1", [0; 32], late, pdf), &format!("{file}: {text}"));
        }
        // A publication moved into the year, and its path in the bag.
        std::fs::write(
            root.join("publications/c.md"),
            "+++\ntitle = \"c2\"\ndate = 2020-03-01\nkind = \"report\"\nfile = \"pdf/c.pdf\"\n+++\n",
        )
        .unwrap();
        differs(print(root, b"v1", [0; 32], late, pdf), "a member more");
        std::fs::rename(root.join("publications/pdf/c.pdf"), root.join("publications/pdf/c 2.pdf")).unwrap();
        std::fs::write(
            root.join("publications/c.md"),
            "+++\ntitle = \"c2\"\ndate = 2020-03-01\nkind = \"report\"\nfile = \"pdf/c 2.pdf\"\n+++\n",
        )
        .unwrap();
        differs(print(root, b"v1", [0; 32], late, pdf), "a PDF's file name");
    }

    #[test]
    fn bag_segments_avoid_what_validators_read_differently() {
        assert_eq!(bag_segment("annual-report.pdf"), "annual-report.pdf");
        assert_eq!(bag_segment("50% \u{e9}t\u{e9}.pdf"), "50~25 \u{e9}t\u{e9}.pdf");
        assert_eq!(bag_segment("a~25\\b\r\n.pdf "), "a~7E25~5Cb~0D~0A.pdf~20");
        // One-to-one: the escape character is escaped too.
        assert_ne!(bag_segment("a~25"), bag_segment("a%"));
    }
}
