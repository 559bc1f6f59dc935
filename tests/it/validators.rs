//! The outputs against the published schemas kept in `tests/schemas/`:
//! Atom (RELAX NG, jing), sitemaps (XSD, xmllint), JSON Feed (JSON Schema,
//! Python jsonschema). A missing tool fails its test under `CI` and says
//! SKIPPED otherwise (`harness::have`); `.ci/run` installs them all.

use std::path::Path;
use std::process::Command;

use crate::harness::*;

/// Runs a validator; panics with its output when it rejects the file.
#[track_caller]
fn validate(what: &str, cmd: &mut Command) {
    let output = cmd.output().unwrap_or_else(|e| panic!("running {what}: {e}"));
    assert!(
        output.status.success(),
        "{what} rejected the file ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn schema(name: &str) -> std::path::PathBuf {
    let path = schemas().join(name);
    assert!(path.is_file(), "{} is missing from the repository", path.display());
    path
}

fn outcomes() -> Vec<Outcome> {
    vec![Store::shipped().build().ok(), Store::fixture("minimal").build().ok()]
}

#[test]
fn atom_feeds_match_the_rfc_4287_relax_ng_schema() {
    if !have("jing", on_path("jing")) {
        return;
    }
    let rnc = schema("atom.rnc");
    for out in outcomes() {
        for name in crate::read::FEEDS {
            validate(
                &format!("jing on {name}/atom.xml"),
                Command::new("jing").arg("-c").arg(&rnc).arg(out.path(&format!("{name}/atom.xml"))),
            );
        }
    }
}

#[test]
fn the_sitemap_matches_the_sitemaps_org_schema() {
    if !have("xmllint", on_path("xmllint")) {
        return;
    }
    let xsd = schema("sitemap.xsd");
    for out in outcomes() {
        validate(
            "xmllint on sitemap.xml",
            Command::new("xmllint")
                .arg("--noout")
                .arg("--nonet")
                .arg("--schema")
                .arg(&xsd)
                .arg(out.path("sitemap.xml")),
        );
    }
}

// A sitemap index against siteindex.xsd: `src/inside/sitemap.rs`, past limits
// no build of a test reaches.

const JSON_SCHEMA_CHECK: &str = "\
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
for path in sys.argv[2:]:
    feed = json.load(open(path))
    jsonschema.validate(feed, schema, cls=jsonschema.Draft7Validator, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert feed['version'] == 'https://jsonfeed.org/version/1.1', path
    print('valid', path)
";

#[test]
fn json_feeds_match_the_json_feed_schema() {
    if !have("python3 jsonschema", python_has("jsonschema")) {
        return;
    }
    let json = schema("jsonfeed-1.1.schema.json");
    for out in outcomes() {
        let mut cmd = Command::new("python3");
        cmd.arg("-c").arg(JSON_SCHEMA_CHECK).arg(&json);
        for name in crate::read::FEEDS {
            cmd.arg(out.path(&format!("{name}/feed.json")));
        }
        validate("jsonschema", &mut cmd);
    }
}

const RFC_3986_CHECK: &str = "\
import sys
from rfc3986_validator import validate_rfc3986
bad = [u for u in sys.stdin.read().split('\\n') if u and not validate_rfc3986(u, rule='URI')]
print('\\n'.join(bad))
sys.exit(1 if bad else 0)
";

/// Asserts that each of `urls` is an absolute URI by RFC 3986's grammar, as
/// the Python `rfc3986-validator` (which jsonschema checks `format: uri`
/// with) reads it; says SKIPPED without it.
#[track_caller]
pub fn assert_rfc_3986(urls: &[String]) {
    use std::io::Write;
    if !have("python3 rfc3986_validator", python_has("rfc3986_validator")) {
        return;
    }
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(RFC_3986_CHECK)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("running python3");
    child.stdin.take().unwrap().write_all(urls.join("\n").as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "not RFC 3986 URIs:\n{}", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn the_schemas_ship_with_the_repository() {
    // A fresh clone, with nothing beside it, has every schema the tests use.
    for name in ["atom.rnc", "sitemap.xsd", "siteindex.xsd", "jsonfeed-1.1.schema.json"] {
        let path = schema(name);
        assert!(path.starts_with(REPO) && Path::new(&path).is_file());
    }
}
