//! The requests that write: uploads of one step at a time (a bounded number
//! in parallel, large files in parts), then the deletions, then the
//! manifest. Any failure that outlives object_store's retries stops the
//! publish where it is, naming the key, so later steps (the documents that
//! link to this one) never go up without it.

use std::fs::File;
use std::io::Read;

use futures::{StreamExt, stream};
use object_store::path::Path as Key;
use object_store::{
    Attribute, Attributes, ObjectStore, PutMultipartOptions, PutOptions, PutPayload, PutResult, WriteMultipart,
};

use super::destination::Destination;
use super::headers::ObjectHeaders;
use super::manifest::{Entry, MANIFEST, Manifest};
use super::plan::Upload;
use crate::error::{IoContext, Result};
use crate::progress::Progress;

/// Requests in flight at once within a step: enough to hide the latency of
/// a remote store, few enough to stay polite to it and to a small runner.
const PARALLEL: usize = 8;

/// Parts of a multipart upload; S3 wants at least 5 MiB but the last.
const PART: usize = 8 * 1024 * 1024;

/// Parts of one file in flight at once.
const PARTS_IN_FLIGHT: usize = 4;

pub struct Transfer<'a> {
    pub dest: &'a Destination,
    pub progress: &'a Progress,
    /// Files of this many bytes or more go up in parts.
    pub multipart_from: u64,
}

impl Transfer<'_> {
    /// Uploads one step; each upload that succeeds enters `manifest`.
    pub async fn step(&self, uploads: &[Upload], manifest: &mut Manifest) -> Result<()> {
        let mut done = stream::iter(uploads)
            .map(|u| async move { self.upload(u).await.map(|r| (u, r)) })
            .buffer_unordered(PARALLEL);
        // Returning at the first error drops the stream, and with it the
        // uploads of this step still in flight: none of the next starts.
        while let Some(result) = done.next().await {
            let (u, put) = result?;
            let entry = Entry {
                size: u.file.size,
                sha256: u.file.sha256.clone(),
                content_type: u.headers.content_type.clone(),
                cache_control: u.headers.cache_control.clone(),
                e_tag: put.e_tag,
            };
            manifest.files.insert(u.file.rel.clone(), entry);
        }
        Ok(())
    }

    async fn upload(&self, u: &Upload) -> Result<PutResult> {
        let key = self.dest.key(&u.file.rel);
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

    async fn upload_in_parts(&self, u: &Upload, attributes: Attributes) -> Result<PutResult> {
        let key = self.dest.key(&u.file.rel);
        let fail = |e: object_store::Error| self.dest.failed(&u.file.rel, e);
        let opts = PutMultipartOptions { attributes, ..PutMultipartOptions::default() };
        let upload = self.dest.store.put_multipart_opts(&key, opts).await.map_err(fail)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART);
        let mut file = File::open(&u.file.path).at(&u.file.path)?;
        let mut buf = vec![0u8; PART];
        let sent: Result<()> = async {
            loop {
                writer.wait_for_capacity(PARTS_IN_FLIGHT).await.map_err(fail)?;
                let n = file.read(&mut buf).at(&u.file.path)?;
                if n == 0 {
                    return Ok(());
                }
                writer.write(&buf[..n]);
                self.progress.add(n as u64);
            }
        }
        .await;
        match sent {
            Ok(()) => writer.finish().await.map_err(fail),
            Err(err) => {
                // The parts sent so far would be billed until they expire.
                let _ = writer.abort().await;
                Err(err)
            }
        }
    }

    fn attributes(&self, headers: &ObjectHeaders) -> Attributes {
        let mut attributes = Attributes::new();
        if self.dest.headers {
            attributes.insert(Attribute::ContentType, headers.content_type.clone().into());
            attributes.insert(Attribute::CacheControl, headers.cache_control.clone().into());
        }
        attributes
    }

    /// Deletes `keys`, in batches where the store has them (S3's
    /// DeleteObjects: up to 1,000 keys a request); by now nothing published
    /// links to them. Each deleted key leaves `manifest`.
    pub async fn delete(&self, keys: &[String], manifest: &mut Manifest) -> Result<()> {
        let paths: Vec<object_store::Result<Key>> = keys.iter().map(|rel| Ok(self.dest.key(rel))).collect();
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

    /// Writes the manifest, the last request of a publish.
    pub async fn write_manifest(&self, manifest: &Manifest) -> Result<()> {
        let mut attributes = Attributes::new();
        if self.dest.headers {
            attributes.insert(Attribute::ContentType, "application/json".into());
            attributes.insert(Attribute::CacheControl, "no-store".into());
        }
        let opts = PutOptions { attributes, ..PutOptions::default() };
        let key = self.dest.key(MANIFEST);
        let put = self.dest.store.put_opts(&key, PutPayload::from(manifest.to_bytes()), opts).await;
        put.map(|_| ()).map_err(|e| self.dest.failed(MANIFEST, e))
    }
}
