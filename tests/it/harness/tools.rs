//! The outside tools some tests validate with, and how a test says it
//! skipped one.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::REPO;

/// The schemas the validators use, kept in the repository (sources and
/// licences in `tests/schemas/README.md`).
pub fn schemas() -> PathBuf {
    Path::new(REPO).join("tests/schemas")
}

/// True when an outside tool a test needs is there. When it is not, the
/// test must not look like a pass: with `CI` set (as `.ci/run` runs) this
/// fails the test; otherwise it says SKIPPED straight to the process's
/// stderr, which the test runner's output capture does not swallow, so the
/// line shows in a plain `cargo test`.
pub fn have(tool: &str, available: bool) -> bool {
    if !available {
        let why = format!("{tool} is not installed (.ci/run installs it)");
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false") {
            panic!("{why}; with CI set, a missing validator fails the suite");
        }
        skipped(&why);
    }
    available
}

/// Says that the running test skips (all or part of) its work, where a
/// plain `cargo test` shows it: straight to the process's stderr.
pub fn skipped(why: &str) {
    use std::io::Write;
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {why}");
}

/// True when `python3` can import `module`.
pub fn python_has(module: &str) -> bool {
    Command::new("python3").arg("-c").arg(format!("import {module}")).output().is_ok_and(|o| o.status.success())
}

/// True when `program` is an executable on `PATH`.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| is_executable(&dir.join(program))))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Asserts that `sitemap` matches the sitemaps.org schema kept in the
/// repository (xmllint; skipped where it is missing, failed with CI set).
#[track_caller]
pub fn assert_sitemap_valid(sitemap: &Path) {
    if have("xmllint", on_path("xmllint")) {
        let xsd = Path::new(REPO).join("tests/schemas/sitemap.xsd");
        let run =
            Command::new("xmllint").args(["--noout", "--nonet", "--schema"]).arg(&xsd).arg(sitemap).output().unwrap();
        assert!(run.status.success(), "xmllint: {}", String::from_utf8_lossy(&run.stderr));
    }
}
