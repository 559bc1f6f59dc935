//! `pressroom publish`: a built output folder to object storage (S3 and
//! S3-compatible stores, Google Cloud Storage, Azure Blob Storage, or a
//! local folder), through the Apache Arrow project's `object_store`.
//!
//! Beside Output, and like it blind to Content: it reads the finished
//! output folder and its record, nothing else. Only the files the record
//! lists are published; only what changed since the last publish is sent
//! (`manifest`); the steps of `plan` keep every link working for a reader
//! who fetches while a publish runs or after one failed; `transfer` makes
//! the requests. The store client is async: a current-thread runtime lives
//! for the one command, so the rest of pressroom stays synchronous.

mod destination;
mod headers;
mod local;
mod manifest;
mod plan;
mod transfer;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use futures::TryStreamExt;
use object_store::{ObjectMeta, ObjectStoreExt};
use sha2::{Digest, Sha256};

use self::destination::Destination;
use self::headers::Headers;
use self::manifest::{MANIFEST, Manifest, Standing};
use self::plan::{STEPS, UploadPlan};
use self::transfer::Transfer;
use crate::error::{Error, Result};
use crate::event::{Event, Events};
use crate::interrupt;
use crate::progress::Progress;

/// Default size from which a file goes up as a multipart upload; the
/// environment variable `PRESSROOM_MULTIPART_BYTES` sets another (tests,
/// stores with other limits).
const MULTIPART_FROM: u64 = 64 * 1024 * 1024;

/// The folders `build` reads by default. `publish` takes no `--content` or
/// `--feeds`, so these are the ones it keeps a `file://` destination out of.
const INPUTS: [(&str, &str); 2] =
    [("content", "the content folder (./content)"), ("feeds", "the feed definitions (./feeds)")];

#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// The output folder built by `pressroom build`.
    pub out: PathBuf,
    /// `s3://bucket/prefix`, `gs://…`, `az://container/prefix`, `file:///path`.
    pub to: String,
    pub dry_run: bool,
    /// A TOML file of Content-Type and Cache-Control overrides.
    pub headers: Option<PathBuf>,
    /// The size from which files go up in parts (`PRESSROOM_MULTIPART_BYTES`,
    /// for tests), else `MULTIPART_FROM`.
    pub multipart_bytes: Option<u64>,
}

/// What a publish did (or, with `--dry-run`, would do).
#[derive(Debug, Default)]
pub struct PublishSummary {
    pub uploaded: usize,
    pub uploaded_bytes: u64,
    pub deleted: usize,
    pub unchanged: usize,
    /// Files of the output not sent because the site's own object stands
    /// at their key.
    pub kept: usize,
    /// With `--dry-run`: one line per request that would write, in order.
    pub planned: Vec<String>,
}

/// Publishes `opts.out` to `opts.to`; what it has to say on the way (a wait
/// for a build, objects left to the site, each step) goes to `events`.
pub fn publish(opts: &PublishOptions, events: &Events<'_>) -> Result<PublishSummary> {
    Destination::check(&opts.to)?;
    let mut guarded = vec![(opts.out.as_path(), "the output folder (--out)")];
    guarded.extend(INPUTS.iter().map(|(dir, what)| (Path::new(dir), *what)));
    destination::refuse_overlap(&opts.to, &guarded)?;
    let headers = Headers::load(opts.headers.as_deref())?;
    let say = |message: &str| events(Event::Notice { message: message.to_owned() });
    // Held to the end: a build waits until every file is sent.
    let _lock = crate::output::lock_to_read(&opts.out, crate::event::waiting(events))?;
    let files = local::scan(&opts.out)?;
    stop_if_interrupted()?;
    let dest = Destination::open(&opts.to, !opts.dry_run)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("the runtime of `publish`", e))?;
    runtime.block_on(async {
        let (recorded, listing) = what_is_there(&dest, say).await?;
        let standing = standing(&dest, &recorded, &listing).await?;
        let plan = UploadPlan::new(files, &headers, &standing, &listing);
        // Every key checked before the first request that writes.
        for rel in plan.uploads().map(|u| &u.file.rel).chain(&plan.deletions) {
            dest.key(rel)?;
        }
        if !standing.changed.is_empty() {
            say(&format!(
                "kept {} object(s) changed since pressroom published them: {}. They are the site's now: no \
                 publish overwrites or deletes them while they are there (delete one to give its key back to \
                 pressroom)",
                standing.changed.len(),
                listed(&standing.changed)
            ));
        }
        if !plan.kept.is_empty() {
            say(&format!(
                "{} file(s) of the output not sent, because the site's own object stands at their key: {}. What \
                 links them (feeds, pages, sitemaps) leads to the site's object, not to pressroom's file",
                plan.kept.len(),
                listed(&plan.kept)
            ));
        }
        stop_if_interrupted()?;
        if opts.dry_run {
            let uploaded = plan.uploads().count();
            let uploaded_bytes = plan.uploads().map(|u| u.file.size).sum();
            let (deleted, unchanged, kept) = (plan.deletions.len(), plan.unchanged, plan.kept.len());
            return Ok(PublishSummary { uploaded, uploaded_bytes, deleted, unchanged, kept, planned: plan.lines() });
        }
        let manifest = Manifest::new(standing.confirmed.clone(), standing.kept.clone());
        carry_out(&dest, &plan, &standing, &recorded, manifest, opts, events).await
    })
}

fn stop_if_interrupted() -> Result<()> {
    interrupt::received().map_or(Ok(()), |signal| Err(Error::Interrupted(signal)))
}

/// Keys for a message, each quoted and escaped: a key is anybody's text.
fn listed(keys: &[String]) -> String {
    keys.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(", ")
}

/// The manifest as stored (empty when there is none, or when it cannot be
/// read: then every file is sent again and nothing is deleted, which is
/// safe) and the listing under the prefix, by key relative to it. A
/// manifest naming a key outside the output was not written by pressroom:
/// refused, before any request that writes.
async fn what_is_there(dest: &Destination, say: impl Fn(&str)) -> Result<(Manifest, BTreeMap<String, ObjectMeta>)> {
    let recorded = match dest.store.get(&dest.key(MANIFEST)?).await {
        Ok(got) => {
            let bytes = got.bytes().await.map_err(|e| dest.failed(MANIFEST, e))?;
            Manifest::parse(&bytes).unwrap_or_else(|why| {
                say(&format!(
                    "{}/{MANIFEST} cannot be read ({why}): publishing as if nothing had been published, so every \
                     file is sent again and no object is deleted",
                    dest.url
                ));
                Manifest::default()
            })
        }
        Err(object_store::Error::NotFound { .. }) => Manifest::default(),
        Err(e) => return Err(dest.failed(MANIFEST, e)),
    };
    if let Some((key, why)) = recorded.foreign_key() {
        return Err(Error::Usage(format!(
            "{}/{MANIFEST}: it names the key {key:?}, which is not a path inside the output ({why}), so pressroom did \
             not write this manifest as it is: nothing was published; delete the manifest (the next publish then \
             sends every file again and deletes nothing) or restore it",
            dest.url
        )));
    }
    let prefix = (!dest.prefix.is_root()).then_some(&dest.prefix);
    let metas: Vec<ObjectMeta> = dest.store.list(prefix).try_collect().await.map_err(|e| dest.failed("", e))?;
    let listing = metas
        .into_iter()
        .filter_map(|meta| Some((dest.rel(&meta.location)?, meta)))
        .filter(|(rel, _)| rel != MANIFEST)
        .collect();
    Ok((recorded, listing))
}

/// Where the manifest's keys stand. In a folder an ETag changes with a mere
/// copy or touch (it is made of the inode and the mtime), so there the
/// bytes decide whether an object of the recorded size changed.
async fn standing(dest: &Destination, recorded: &Manifest, listing: &BTreeMap<String, ObjectMeta>) -> Result<Standing> {
    let mut standing = recorded.standing(listing);
    if !dest.local {
        return Ok(standing);
    }
    for rel in standing.changed.clone() {
        let (entry, meta) = (&recorded.files[&rel], &listing[&rel]);
        if meta.size == entry.size && sha256(dest, &rel).await? == entry.sha256 {
            standing.reclaim(&rel, manifest::PublishedObject { e_tag: meta.e_tag.clone(), ..entry.clone() });
        }
    }
    Ok(standing)
}

async fn sha256(dest: &Destination, rel: &str) -> Result<String> {
    let got = dest.store.get(&dest.key(rel)?).await.map_err(|e| dest.failed(rel, e))?;
    let mut chunks = got.into_stream();
    let mut hasher = Sha256::new();
    while let Some(chunk) = chunks.try_next().await.map_err(|e| dest.failed(rel, e))? {
        hasher.update(&chunk);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

async fn carry_out(
    dest: &Destination,
    plan: &UploadPlan,
    standing: &Standing,
    recorded: &Manifest,
    mut manifest: Manifest,
    opts: &PublishOptions,
    events: &Events<'_>,
) -> Result<PublishSummary> {
    let total: u64 = plan.uploads().map(|u| u.file.size).sum();
    let progress = Progress::new("publishing", total, events);
    let multipart_from = opts.multipart_bytes.unwrap_or(MULTIPART_FROM);
    let transfer = Transfer { dest, progress: &progress, multipart_from };
    if plan.uploads().next().is_some() {
        let mut intent = manifest.clone();
        intent.pending =
            plan.uploads().map(|u| u.file.rel.clone()).chain(standing.unfinished.iter().cloned()).collect();
        transfer.write_manifest(&intent).await?;
    }
    let mut sent = 0;
    for (step, uploads) in plan.steps.iter().enumerate().filter(|(_, u)| !u.is_empty()) {
        if let Some(signal) = interrupt::received() {
            return stopped(&transfer, &manifest, (sent, plan), signal, events).await;
        }
        let bytes: u64 = uploads.iter().map(|u| u.file.size).sum();
        events(Event::Step { step: step + 1, of: STEPS.len(), name: STEPS[step], files: uploads.len(), bytes });
        sent += transfer.step(uploads, &mut manifest).await?;
    }
    progress.finish();
    if let Some(signal) = interrupt::received() {
        return stopped(&transfer, &manifest, (sent, plan), signal, events).await;
    }
    if !plan.deletions.is_empty() {
        events(Event::Deleting { objects: plan.deletions.len() });
        transfer.delete(&plan.deletions, &mut manifest).await?;
    }
    if manifest != *recorded {
        transfer.write_manifest(&manifest).await?;
    }
    Ok(PublishSummary {
        uploaded: plan.uploads().count(),
        uploaded_bytes: total,
        deleted: plan.deletions.len(),
        unchanged: plan.unchanged,
        kept: plan.kept.len(),
        planned: Vec::new(),
    })
}

/// After a signal, with every upload that started finished or abandoned:
/// the manifest records what went up, so that the next publish sends only
/// the rest; nothing is deleted.
async fn stopped(
    transfer: &Transfer<'_>,
    manifest: &Manifest,
    (sent, plan): (usize, &UploadPlan),
    signal: i32,
    events: &Events<'_>,
) -> Result<PublishSummary> {
    transfer.progress.finish();
    transfer.write_manifest(manifest).await?;
    events(Event::Notice {
        message: format!(
            "stopped: {sent} of {} file(s) sent and recorded in {}/{MANIFEST}; nothing deleted. Publish again to \
             send the rest",
            plan.uploads().count(),
            transfer.dest.url
        ),
    });
    Err(Error::Interrupted(signal))
}
