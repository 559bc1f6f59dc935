//! A real S3 API for the publishing tests: moto in server mode on
//! 127.0.0.1, on a free port, with one bucket; its request log (one line
//! per request, in the order served) is what the order tests read. Stopped
//! by its pid when the test ends. The bucket is read back with boto3, which
//! moto brings, so the tests check what an S3 client sees.

use std::collections::BTreeMap;
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::harness::{have, python_has};

pub const BUCKET: &str = "site-bucket";

pub struct Moto {
    pub port: u16,
    child: Child,
    dir: TempDir,
}

/// One object as boto3 reports it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Object {
    pub size: u64,
    pub content_type: String,
    pub cache_control: String,
    /// The text of feeds, sitemaps and other text objects; empty otherwise.
    pub text: String,
}

impl Moto {
    /// A started server with the bucket, or None (SKIPPED, or a failure
    /// under CI) when moto is not installed.
    pub fn start() -> Option<Moto> {
        if !have("moto", python_has("moto.server") && python_has("boto3")) {
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let log = fs::File::create(dir.path().join("moto.log")).unwrap();
        let child = Command::new("python3")
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .env("PYTHONUNBUFFERED", "1")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("starting moto");
        let moto = Moto { port, child, dir };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto did not listen on {port}:\n{}", moto.log_text());
            std::thread::sleep(Duration::from_millis(100));
        }
        moto.boto("s3.create_bucket(Bucket=B)");
        Some(moto)
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("moto.log")
    }

    fn log_text(&self) -> String {
        fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// A mark in the request log: `requests_since(mark)` gives what came after.
    pub fn mark(&self) -> usize {
        self.requests_since(0).len()
    }

    /// The requests served since `mark`, as `METHOD /bucket/key?query`.
    pub fn requests_since(&self, mark: usize) -> Vec<String> {
        let text = self.log_text();
        let requests: Vec<String> = text
            .lines()
            .filter_map(|line| {
                let quoted = line.split('"').nth(1)?;
                let mut words = quoted.split(' ');
                let (method, target) = (words.next()?, words.next()?);
                Some(format!("{method} {target}"))
            })
            .collect();
        requests[mark.min(requests.len())..].to_vec()
    }

    /// The requests since `mark` that change the bucket.
    pub fn writes_since(&self, mark: usize) -> Vec<String> {
        self.requests_since(mark).into_iter().filter(|r| !r.starts_with("GET ") && !r.starts_with("HEAD ")).collect()
    }

    /// Every object under `prefix/`, by key relative to it.
    pub fn objects(&self, prefix: &str) -> BTreeMap<String, Object> {
        let script = format!(
            "import json\nout = {{}}\nfor page in s3.get_paginator('list_objects_v2').paginate(Bucket=B, Prefix={prefix:?} + '/'):\n    \
             for o in page.get('Contents', []):\n        k = o['Key']\n        h = s3.get_object(Bucket=B, Key=k)\n        \
             body = h['Body'].read()\n        text = body.decode() if k.endswith(('.xml', '.json', '.txt')) else ''\n        \
             out[k[len({prefix:?}) + 1:]] = dict(size=o['Size'], content_type=h.get('ContentType', ''), \
             cache_control=h.get('CacheControl', ''), text=text)\nprint(json.dumps(out))"
        );
        serde_json::from_str(&self.boto(&script)).expect("boto3's listing as JSON")
    }

    /// The text of the object at `key` (the full key), as a client reads it.
    pub fn text(&self, key: &str) -> String {
        self.boto(&format!(
            "import sys\nsys.stdout.write(s3.get_object(Bucket=B, Key={key:?})['Body'].read().decode())"
        ))
    }

    /// Writes `text` at `key` (the full key), as the site's own tools would.
    pub fn put(&self, key: &str, text: &str) {
        self.boto(&format!("s3.put_object(Bucket=B, Key={key:?}, Body={text:?}.encode())"));
    }

    pub fn delete(&self, key: &str) {
        self.boto(&format!("s3.delete_object(Bucket=B, Key={key:?})"));
    }

    /// Runs `script` with `s3` a boto3 client of this server and `B` the bucket.
    pub fn boto(&self, script: &str) -> String {
        let prelude = format!(
            "import boto3\ns3 = boto3.client('s3', endpoint_url='{}', region_name='us-east-1', \
             aws_access_key_id='testing', aws_secret_access_key='testing')\nB = '{BUCKET}'\n",
            self.endpoint()
        );
        let out = Command::new("python3").arg("-c").arg(prelude + script).output().expect("python3");
        assert!(out.status.success(), "boto3 script failed:\n{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nobody listens on now (the kernel's pick, released at once).
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0)).unwrap().local_addr().unwrap().port()
}
