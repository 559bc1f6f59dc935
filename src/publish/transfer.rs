//! The requests that write: uploads of one step at a time (a bounded number
//! in parallel, large files in parts), then the deletions, then the
//! manifest. Any failure that outlives object_store's retries stops the
//! publish where it is, naming the key, so later steps (the documents that
//! link to this one) never go up without it. After SIGINT or SIGTERM no
//! upload starts and no part of a large file is sent; the uploads in flight
//! finish, and a large file cut short is abandoned.

use std::fs::File;
use std::io::Read;

use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt, future, stream};
use object_store::path::Path as Key;
use object_store::{Attribute, Attributes, ObjectStore, PutMultipartOptions, PutOptions, PutPayload, PutResult};

use super::destination::Destination;
use super::headers::ObjectHeaders;
use super::manifest::{MANIFEST, Manifest, PublishedObject};
use super::plan::Upload;
use crate::error::{Error, IoContext, Result};
use crate::interrupt;
use crate::media_type;
use crate::progress::Progress;

/// Up to `size` bytes of `file`: a part is full unless it is the last,
/// as S3 wants (every part but the last at least 5 MiB).
fn fill(file: &mut File, size: usize) -> std::io::Result<Vec<u8>> {
    let mut part = Vec::with_capacity(size);
    file.take(size as u64).read_to_end(&mut part)?;
    Ok(part)
}

/// Requests in flight at once within a step: enough to hide the latency of
/// a remote store, few enough to stay polite to it and to a small runner.
const PARALLEL: usize = 8;

/// Parts of a multipart upload; S3 wants at least 5 MiB but the last.
const PART: usize = 8 * 1024 * 1024;

/// Parts of one file in flight at once.
const PARTS_IN_FLIGHT: usize = 4;

pub struct Transfer<'a> {
    pub dest: &'a Destination,
    pub progress: &'a Progress<'a>,
    /// Files of this many bytes or more go up in parts.
    pub multipart_from: u64,
}

impl Transfer<'_> {
    /// Uploads one step, or what of it started before a signal; each upload
    /// that succeeds enters `manifest`. Returns how many did.
    pub async fn step(&self, uploads: &[Upload], manifest: &mut Manifest) -> Result<usize> {
        let mut sent = 0;
        let mut done = stream::iter(uploads)
            .take_while(|_| future::ready(interrupt::received().is_none()))
            .map(|u| async move { self.upload(u).await.map(|r| (u, r)) })
            .buffer_unordered(PARALLEL);
        // Returning at the first error drops the stream, and with it the
        // uploads of this step still in flight: none of the next starts.
        // Not so for a signal: the others finish, so that the manifest
        // written then knows every object they leave.
        while let Some(result) = done.next().await {
            let (u, put) = match result {
                Err(Error::Interrupted(_)) => continue,
                other => other?,
            };
            let entry = PublishedObject {
                size: u.file.size,
                sha256: u.file.sha256.clone(),
                content_type: u.headers.content_type.clone(),
                cache_control: u.headers.cache_control.clone(),
                e_tag: put.e_tag,
            };
            manifest.files.insert(u.file.rel.clone(), entry);
            sent += 1;
        }
        Ok(sent)
    }

    async fn upload(&self, u: &Upload) -> Result<PutResult> {
        let key = self.dest.key(&u.file.rel)?;
        let attributes = self.attributes(&u.headers);
        if u.file.size >= self.multipart_from {
            return self.upload_in_parts(u, attributes).await;
        }
        let bytes = std::fs::read(&u.file.path).at(&u.file.path)?;
        let size = bytes.len() as u64;
        let opts = PutOptions { attributes, ..PutOptions::default() };
        let put = self.dest.store.put_opts(&key, PutPayload::from(bytes), opts).await;
        let put = put.map_err(|e| self.dest.failed(&u.file.rel, e))?;
        self.progress.add(size);
        Ok(put)
    }

    /// A multipart upload, parts read and sent a few at a time. Driven by
    /// hand rather than through `WriteMultipart`, whose `finish` reports the
    /// failure of its clean-up instead of the failure that caused it.
    async fn upload_in_parts(&self, u: &Upload, attributes: Attributes) -> Result<PutResult> {
        let key = self.dest.key(&u.file.rel)?;
        let fail = |e: object_store::Error| self.dest.failed(&u.file.rel, e);
        let opts = PutMultipartOptions { attributes, ..PutMultipartOptions::default() };
        let mut upload = self.dest.store.put_multipart_opts(&key, opts).await.map_err(fail)?;
        let sent: Result<()> = async {
            let mut file = File::open(&u.file.path).at(&u.file.path)?;
            let mut in_flight = FuturesUnordered::new();
            loop {
                if let Some(signal) = interrupt::received() {
                    return Err(Error::Interrupted(signal));
                }
                let part = fill(&mut file, PART).at(&u.file.path)?;
                if part.is_empty() {
                    break;
                }
                let size = part.len() as u64;
                in_flight.push(upload.put_part(PutPayload::from(part)).map(move |r| r.map(|()| size)));
                while in_flight.len() >= PARTS_IN_FLIGHT {
                    self.progress.add(in_flight.next().await.expect("parts in flight").map_err(fail)?);
                }
            }
            while let Some(sent) = in_flight.next().await {
                self.progress.add(sent.map_err(fail)?);
            }
            Ok(())
        }
        .await;
        let done = match sent {
            Ok(()) => upload.complete().await.map_err(fail),
            Err(err) => Err(err),
        };
        if done.is_err() {
            // The parts sent so far would be kept (and billed) until they expire.
            let _ = upload.abort().await;
        }
        done
    }

    fn attributes(&self, headers: &ObjectHeaders) -> Attributes {
        let mut attributes = Attributes::new();
        if !self.dest.local {
            attributes.insert(Attribute::ContentType, headers.content_type.clone().into());
            attributes.insert(Attribute::CacheControl, headers.cache_control.clone().into());
        }
        attributes
    }

    /// Deletes `keys`, in batches where the store has them (S3's
    /// DeleteObjects: up to 1,000 keys a request); by now nothing published
    /// links to them. Each deleted key leaves `manifest`.
    pub async fn delete(&self, keys: &[String], manifest: &mut Manifest) -> Result<()> {
        let paths = keys.iter().map(|rel| self.dest.key(rel)).collect::<Result<Vec<Key>>>()?;
        let paths: Vec<object_store::Result<Key>> = paths.into_iter().map(Ok).collect();
        let mut deleted = self.dest.store.delete_stream(stream::iter(paths).boxed());
        while let Some(result) = deleted.next().await {
            match result {
                Ok(key) => {
                    if let Some(rel) = self.dest.rel(&key) {
                        manifest.files.remove(&rel);
                    }
                }
                Err(object_store::Error::NotFound { path, .. }) => {
                    manifest.files.remove(path.strip_prefix(&format!("{}/", self.dest.prefix)).unwrap_or(&path));
                }
                Err(e) => return Err(self.dest.failed(&keys.join(", "), e)),
            }
        }
        Ok(())
    }

    /// Writes the manifest: the last request of a publish, and, with the
    /// keys it is about to write as `pending`, the first.
    pub async fn write_manifest(&self, manifest: &Manifest) -> Result<()> {
        let mut attributes = Attributes::new();
        if !self.dest.local {
            attributes.insert(Attribute::ContentType, media_type::JSON.into());
            attributes.insert(Attribute::CacheControl, "no-store".into());
        }
        let opts = PutOptions { attributes, ..PutOptions::default() };
        let key = self.dest.key(MANIFEST)?;
        let put = self.dest.store.put_opts(&key, PutPayload::from(manifest.to_bytes()), opts).await;
        put.map(|_| ()).map_err(|e| self.dest.failed(MANIFEST, e))
    }
}
