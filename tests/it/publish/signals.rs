//! SIGINT during a publish: no upload starts after it, the ones in flight
//! finish (a large file cut short is abandoned), the manifest records what
//! went up, and the next publish sends only the rest.

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::moto::Moto;
use super::proxy::Proxy;
use super::{for_s3, publish, record_keys, s3_url};
use crate::harness::{Store, signal_delivered};

#[test]
fn sigint_stops_a_publish_between_uploads_and_the_next_sends_only_the_rest() {
    let Some(moto) = Moto::start() else { return };
    // A PDF of five 8 MiB parts, more than go up at once: the upload of its
    // fifth part is what the signal prevents.
    let pdf = std::fs::read(Store::fixture("minimal").content().join("publications/pdf/minimal-report.pdf")).unwrap();
    let big = [pdf, vec![b'%'; 33 * 1024 * 1024]].concat();
    let store = for_s3(Store::fixture("minimal"), &moto.endpoint())
        .write("publications/pdf/minimal-report.pdf", &big)
        .env("PRESSROOM_MULTIPART_BYTES", &(16 * 1024 * 1024).to_string());
    let built = store.build().ok();
    let all = record_keys(&built);

    // The keys of the first step, as a dry run plans them.
    let planned = publish(&store, &s3_url(), &["--dry-run"]).ok();
    let first_step: BTreeSet<String> = planned
        .stdout
        .split("# step ")
        .find(|section| section.starts_with("1: "))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.strip_prefix("upload ")?.split(' ').next().map(str::to_owned))
        .collect();

    // Every part waits in the proxy until the signal has been sent.
    let proxy = Proxy::holding(moto.port, |method, target| method == "PUT" && target.contains("partNumber="));
    let store = store.env("AWS_ENDPOINT_URL", &format!("http://127.0.0.1:{}", proxy.port));
    let child = store.command(&["publish", "--to", &s3_url()]).stderr(Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while proxy.held() == 0 {
        assert!(Instant::now() < deadline, "no part was sent");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The parts in flight are released only once the signal has reached
    // the publish, so that whatever it starts after them it started knowing.
    signal_delivered(child.id(), libc::SIGINT);
    proxy.release();
    let run = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("stopped by signal 2"), "{stderr}");

    let mut first: BTreeSet<String> = moto.objects("site").into_keys().collect();
    assert!(first.remove(".pressroom-publish.json"), "no manifest after the signal");
    assert!(!first.is_empty(), "nothing in flight finished: {stderr}");
    assert!(!first.contains("publications/minimal-report/minimal-report.pdf"), "the cut-short PDF was completed");
    assert!(
        first.iter().all(|k| first_step.contains(k)),
        "an upload of a later step started after the signal: {first:?}"
    );
    let no_parts_left = moto.boto("print(len(s3.list_multipart_uploads(Bucket=B).get('Uploads', [])))");
    assert_eq!(no_parts_left.trim(), "0", "an abandoned multipart upload was not aborted");

    let store = store.env("AWS_ENDPOINT_URL", &moto.endpoint());
    let rest = publish(&store, &s3_url(), &[]).ok();
    let expected = format!("uploaded {} file(s)", all.len() - first.len());
    assert!(rest.stderr.contains(&expected), "{expected}:\n{}", rest.stderr);
    assert!(rest.stderr.contains("deleted 0,"), "{}", rest.stderr);
    let mut last: BTreeSet<String> = moto.objects("site").into_keys().collect();
    assert!(last.remove(".pressroom-publish.json"));
    assert_eq!(last, all);
}
