//! Where a publish goes: the `--to` URL turned into an object store and a
//! prefix. Credentials and endpoints come from the environment variables
//! each store's own tools read; none of them is ever printed, and a URL is
//! shown only as the user typed it (it holds no secret).
//!
//! A key is the file's path under the output, character for character
//! (`publications/a#b%c?d e/x.pdf`): the feeds link it percent-encoded
//! once, so the store must hold the decoded name, which object_store's
//! `Path::parse` keeps as it is (`Path::from` would encode it again).

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::azure::{AzureConfigKey, MicrosoftAzureBuilder};
use object_store::gcp::{GoogleCloudStorageBuilder, GoogleConfigKey};
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path as Key;
use object_store::{BackoffConfig, ClientConfigKey, ObjectStore, RetryConfig};

use crate::error::{Error, IoContext, Result};
use crate::out_path::OutPath;

/// How long one request may take, body included. object_store's default,
/// 30 s, fails a 64 MiB file on a slow uplink, and the completion of a
/// multipart upload of gigabytes, which the store assembles before it
/// answers.
const REQUEST_TIMEOUT: &str = "5m";

/// An opened store and the prefix everything goes under.
pub struct Destination {
    pub store: Arc<dyn ObjectStore>,
    pub prefix: Key,
    /// The URL as given, without a trailing slash, to name keys in messages.
    pub url: String,
    /// A folder on this machine (`file://`): it keeps no per-object headers
    /// (the web server in front of it decides them), its ETags change with
    /// a mere copy or touch, and reading an object back is cheap.
    pub local: bool,
}

impl Destination {
    /// Checks the URL's form without opening anything, so that a mistyped
    /// `--to` is the first thing said.
    pub fn check(url: &str) -> Result<()> {
        parse(url).map(|_| ())
    }

    /// The store of `url`; `create`: the folder of a `file://` URL is made
    /// when missing (a dry run creates nothing: it sees an empty store).
    pub fn open(url: &str, create: bool) -> Result<Destination> {
        let (scheme, bucket, prefix) = parse(url)?;
        let shown = url.trim_end_matches('/').to_owned();
        if scheme == "file" {
            return local(prefix, shown, create);
        }
        let prefix = Key::parse(prefix)
            .map_err(|e| usage(url, &format!("its prefix is not a key object stores take as it is ({e})")))?;
        let store: Arc<dyn ObjectStore> = match scheme {
            "s3" => Arc::new(s3(bucket).build().map_err(|e| usage(url, &e.to_string()))?),
            "gs" => Arc::new(
                GoogleCloudStorageBuilder::from_env()
                    .with_bucket_name(bucket)
                    .with_config(GoogleConfigKey::Client(ClientConfigKey::Timeout), REQUEST_TIMEOUT)
                    .with_retry(retry())
                    .build()
                    .map_err(|e| usage(url, &e.to_string()))?,
            ),
            "az" => Arc::new(
                MicrosoftAzureBuilder::from_env()
                    .with_container_name(bucket)
                    .with_config(AzureConfigKey::Client(ClientConfigKey::Timeout), REQUEST_TIMEOUT)
                    .with_retry(retry())
                    .build()
                    .map_err(|e| usage(url, &e.to_string()))?,
            ),
            _ => unreachable!("parse accepts no other scheme"),
        };
        Ok(Destination { store, prefix, url: shown, local: false })
    }

    /// The full key of `rel` (a path under the output folder), holding
    /// `rel` as it is; refused (exit 2, naming it) where the store cannot
    /// hold that name as it is, rather than stored under another.
    pub fn key(&self, rel: &str) -> Result<Key> {
        let refuse = |why: String| Error::Usage(format!("{}/{rel:?}: {why}", self.url));
        OutPath::parse(rel).map_err(|why| refuse(format!("not a path inside the output: {why}")))?;
        let full = if self.prefix.is_root() { rel.to_owned() } else { format!("{}/{rel}", self.prefix) };
        let key = Key::parse(&full).map_err(|e| refuse(format!("object_store refuses this key: {e}")))?;
        let name = key.filename().unwrap_or_default();
        // object_store's folder store keeps such names for the parts of its
        // own unfinished uploads: it refuses to write them and leaves them
        // out of its listings.
        let reserved =
            name.split_once('#').is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if self.local && reserved {
            return Err(refuse(format!(
                "a file:// destination cannot hold a file named {name:?}: object_store reserves names that end in \
                 `#` and digits; rename the file, or publish to object storage"
            )));
        }
        Ok(key)
    }

    /// `rel` relative to the prefix, for a key of the listing.
    pub fn rel(&self, key: &Key) -> Option<String> {
        let parts: Vec<_> = key.prefix_match(&self.prefix)?.collect();
        Some(parts.iter().map(|p| p.as_ref()).collect::<Vec<_>>().join("/"))
    }

    /// A store failure that names the object, exit status 3 like any I/O
    /// failure. object_store's messages name requests and status codes,
    /// never credentials.
    pub fn failed(&self, rel: &str, err: impl std::fmt::Display) -> Error {
        Error::io(PathBuf::from(format!("{}/{rel}", self.url)), std::io::Error::other(err.to_string()))
    }
}

/// S3 and S3-compatible stores: the AWS CLI's variables, its
/// `AWS_ENDPOINT_URL` included (object_store's own `from_env` does not give
/// it precedence), and plain HTTP allowed where the endpoint is plain HTTP
/// (a store on the same machine or network, as in the tests).
fn s3(bucket: &str) -> AmazonS3Builder {
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_retry(retry())
        .with_config(AmazonS3ConfigKey::Client(ClientConfigKey::Timeout), REQUEST_TIMEOUT);
    let endpoint = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_ENDPOINT"]
        .iter()
        .find_map(|name| env::var(name).ok().filter(|v| !v.is_empty()));
    if let Some(endpoint) = endpoint {
        // Both keys: object_store prefers its own AWS_ENDPOINT_URL_S3 even
        // when it is set empty.
        builder = builder
            .with_allow_http(endpoint.starts_with("http://"))
            .with_config(AmazonS3ConfigKey::S3Endpoint, endpoint.clone())
            .with_endpoint(endpoint);
    }
    builder
}

/// Transient failures (5xx, throttling, dropped connections) are retried
/// with exponential backoff; one still failing after about half a minute
/// stops the publish at its step.
fn retry() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            base: 2.0,
        },
        max_retries: 5,
        retry_timeout: Duration::from_secs(30),
    }
}

fn local(path: &str, shown: String, create: bool) -> Result<Destination> {
    let dir = PathBuf::from(path);
    if !create && !dir.exists() {
        let store = Arc::new(InMemory::new());
        return Ok(Destination { store, prefix: Key::ROOT, url: shown, local: true });
    }
    fs::create_dir_all(&dir).at(&dir)?;
    let store =
        LocalFileSystem::new_with_prefix(&dir).map_err(|e| Error::io(&dir, std::io::Error::other(e.to_string())))?;
    // Folders emptied by a deletion go too, as a sync would leave none.
    let store = store.with_automatic_cleanup(true);
    Ok(Destination { store: Arc::new(store), prefix: Key::ROOT, url: shown, local: true })
}

/// Refuses a `file://` destination that is, contains or lies inside one of
/// `guarded` (a folder, and what it is): a publish there would write among
/// the files it reads, and its deletions could reach them. A guarded folder
/// that does not exist guards nothing.
pub fn refuse_overlap(url: &str, guarded: &[(&Path, &str)]) -> Result<()> {
    let ("file", _, path) = parse(url)? else { return Ok(()) };
    let dest = crate::output::resolve_missing(Path::new(path));
    for (folder, what) in guarded {
        let Ok(folder) = fs::canonicalize(folder) else { continue };
        let relation = if dest == folder {
            "is"
        } else if dest.starts_with(&folder) {
            "lies inside"
        } else if folder.starts_with(&dest) {
            "contains"
        } else {
            continue;
        };
        return Err(usage(
            url,
            &format!(
                "the destination {} {relation} {what} {}: a publish there would write among the files it reads, \
                 and delete some of them; choose a folder outside the output, the content and the feeds",
                dest.display(),
                folder.display()
            ),
        ));
    }
    Ok(())
}

/// Scheme, bucket (or container) and prefix; for `file://`, the path as
/// the prefix.
fn parse(url: &str) -> Result<(&str, &str, &str)> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| usage(url, "it is not a URL"))?;
    match scheme {
        "file" if rest.split('/').any(|s| s == "." || s == "..") => {
            Err(usage(url, "a file:// URL needs a path without `.` or `..` segments"))
        }
        "file" if rest.starts_with('/') => Ok((scheme, "", rest)),
        "file" => Err(usage(url, "a file:// URL needs an absolute path (file:///srv/www)")),
        "s3" | "gs" | "az" => match rest.split_once('/').unwrap_or((rest, "")) {
            ("", _) => Err(usage(url, "it names no bucket or container")),
            (bucket, prefix) => Ok((scheme, bucket, prefix)),
        },
        _ => Err(usage(url, "pressroom publishes to s3://, gs://, az:// and file:// URLs")),
    }
}

fn usage(url: &str, why: &str) -> Error {
    Error::Usage(format!("--to {url}: {why}"))
}
