//! Archive bundles: the publications as deterministic ZIPs, each holding one
//! BagIt 1.0 bag (RFC 8493) with the PDFs and a metadata index, for
//! archivists who keep them for decades. `write` is the build stage; `verify`
//! is `pressroom verify`.
//!
//! Under `archive/` of the output: `<name>.zip` for the bundle of every
//! publication and for each publication year (names in `bundle`), beside each
//! `<name>.zip.sha256` in the format `sha256sum -c` reads, and `index.json`
//! listing every bundle (`listing`).
//!
//! Each PDF is read once to hash it (`digest`), then once per bundle that
//! holds it to copy it, never whole in memory. The same content gives the
//! same bytes (fixed order, times from the content, no machine data). A
//! bundle whose SHA-256 equals the previous build's sidecar, and whose size
//! matches, is not replaced: the previous file is kept (same inode and time),
//! like every other unchanged output file.

mod bag;
mod bundle;
mod catalogue;
pub mod digest;
mod index;
mod listing;
pub mod verify;
mod zip_writer;

use std::fs::{self, File};
use std::io::BufWriter;
use std::os::unix::fs::PermissionsExt;

use rayon::prelude::*;

use crate::content::Store;
use crate::error::{Error, IoContext, Result};
use crate::output::Staging;
use crate::progress::Progress;
use crate::settings::Settings;
use bundle::{Bundle, BundleError, Member};
use catalogue::Catalogue;
use digest::{Digests, HashingWriter, hex};
use listing::{ListedBundle, Listing};

pub use bag::{BAGIT_TXT, decode_path, encode_path};
pub use verify::{Problem, Report, verify};

/// Writes every bundle, its sidecar and the listing into `staging`; returns
/// the number of files written.
pub fn write(staging: &Staging, store: &Store, settings: &Settings) -> Result<usize> {
    let catalogue = Catalogue::load(&settings.feeds)?;
    let site = &store.site;
    let publications: Vec<_> =
        store.publications.iter().filter_map(|item| item.publication.as_ref().map(|p| (item, p))).collect();
    // Each PDF hashed once, in parallel; collected in the store's order.
    let payload: u64 = publications.iter().map(|(_, p)| p.pdf.size).sum();
    let hashing = Progress::new("hashing PDFs", payload, settings.quiet);
    let digests: Vec<Digests> = publications
        .par_iter()
        .map(|(_, p)| {
            let d = Digests::of_file(&p.pdf.source).at(&p.pdf.source)?;
            hashing.add(d.size);
            if d.size != p.pdf.size {
                return Err(Error::io(
                    &p.pdf.source,
                    std::io::Error::other("the file changed while the site was being built"),
                ));
            }
            Ok(d)
        })
        .collect::<Result<_>>()?;
    hashing.finish();
    let members: Vec<Member<'_>> =
        publications.iter().zip(digests).map(|((item, p), d)| Member::new(site, item, p, d)).collect();

    let mut listed = Vec::new();
    let bundles = Bundle::plan(site, &members);
    let copying = Progress::new(
        "writing bundles",
        bundles.iter().flat_map(|b| &b.members).map(|m| m.digests.size).sum(),
        settings.quiet,
    );
    for bundle in bundles {
        let file_name = bundle.file_name();
        let rel = format!("archive/{file_name}");
        let path = staging.path(&rel)?;
        let file = File::create(&path).at(&path)?;
        file.set_permissions(fs::Permissions::from_mode(0o644)).at(&path)?;
        let sink = HashingWriter::new(BufWriter::with_capacity(1 << 20, file));
        let written = bundle.write(sink, site, &catalogue, settings.epoch).map_err(|e| match e {
            BundleError::Read(pdf, source) => Error::io(pdf, source),
            BundleError::Write(source) => Error::io(&path, source),
            BundleError::Build(e) => e,
        })?;
        let (buffered, size, sha256) = written.finish();
        let file = buffered.into_inner().map_err(|e| Error::io(&path, e.into_error()))?;
        file.sync_all().at(&path)?;
        drop(file);

        let sidecar = format!("{}  {file_name}\n", hex(&sha256));
        keep_previous_if_same(staging, &rel, &sidecar, size)?;
        staging.write(&format!("{rel}.sha256"), sidecar.as_bytes())?;
        copying.add(bundle.members.iter().map(|m| m.digests.size).sum());
        listed.push(ListedBundle {
            url: site.base_url.join(&["archive", &file_name], false),
            name: file_name,
            size,
            sha256: hex(&sha256),
            items: bundle.members.len(),
            years: bundle.years(),
        });
    }
    copying.finish();
    let count = listed.len();
    let listing = Listing { site: site.base_url.as_str(), publisher: &site.publisher, bundles: listed };
    staging.write("archive/index.json", &listing.to_json())?;
    Ok(count * 2 + 1)
}

/// When the previous output's sidecar names the same SHA-256 and its ZIP has
/// the same size, that ZIP takes the place of the one just staged.
fn keep_previous_if_same(staging: &Staging, rel: &str, sidecar: &str, size: u64) -> Result<()> {
    let previous = staging.previous(rel);
    let same_sum = fs::read(staging.previous(&format!("{rel}.sha256"))).is_ok_and(|old| old == sidecar.as_bytes());
    let same_size = fs::metadata(&previous).is_ok_and(|m| m.len() == size);
    if same_sum && same_size {
        let staged = staging.path(rel)?;
        let tmp = staged.with_extension("zip.pressroom-relink");
        let _ = fs::remove_file(&tmp);
        if fs::hard_link(&previous, &tmp).is_ok() {
            fs::rename(&tmp, &staged).at(&staged)?;
        }
    }
    Ok(())
}
