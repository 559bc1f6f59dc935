//! A small fluent harness: a content store in a temporary folder, edited the
//! way an editor would, built by the real `pressroom` binary.
//!
//! ```ignore
//! let out = Store::fixture("minimal").edit("news/x.md", |t| t.replace("a", "b")).build();
//! ```

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::rc::Rc;

use tempfile::TempDir;

mod process;
mod seeds;
mod tools;
pub mod xml;

pub use process::*;
pub use seeds::*;
pub use tools::*;

/// The repository root (where `content/` and `feeds/` ship).
pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// `SOURCE_DATE_EPOCH` of every build unless a test sets another:
/// 2026-01-01T00:00:00Z, later than every shipped and fixture item.
pub const EPOCH: &str = "1767225600";

/// The base URL of `tests/fixtures/minimal`.
pub const MINIMAL_BASE: &str = "https://example.org/";

/// The base URL of the shipped store.
pub const SHIPPED_BASE: &str = "https://www.globalspaceexploration.org/";

/// A content store (`content/`) and feed definitions (`feeds/`) in a
/// temporary folder of their own.
pub struct Store {
    /// Shared with every `Outcome`, so that the files outlive the `Store`.
    dir: Rc<TempDir>,
    env: Vec<(String, String)>,
}

impl Store {
    fn empty() -> Store {
        Store {
            dir: Rc::new(tempfile::tempdir().expect("a temporary folder")),
            env: vec![("SOURCE_DATE_EPOCH".into(), EPOCH.into())],
        }
    }

    /// A copy of the repository's own `content/` and `feeds/`.
    pub fn shipped() -> Store {
        let store = Store::empty();
        copy_dir(&Path::new(REPO).join("content"), &store.content());
        copy_dir(&Path::new(REPO).join("feeds"), &store.feeds());
        store
    }

    /// No `content/` yet, and the repository's own `feeds/`: where a site
    /// moving in with `pressroom import` starts.
    pub fn without_content() -> Store {
        let store = Store::empty();
        copy_dir(&Path::new(REPO).join("feeds"), &store.feeds());
        store
    }

    /// A copy of `tests/fixtures/<case>/` (its `content/` and `feeds/`).
    pub fn fixture(case: &str) -> Store {
        let store = Store::empty();
        let src = Path::new(REPO).join("tests/fixtures").join(case);
        assert!(src.is_dir(), "no fixture {}", src.display());
        copy_dir(&src.join("content"), &store.content());
        copy_dir(&src.join("feeds"), &store.feeds());
        store
    }

    /// The temporary folder that holds `content/`, `feeds/` and `public/`.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn content(&self) -> PathBuf {
        self.root().join("content")
    }

    pub fn feeds(&self) -> PathBuf {
        self.root().join("feeds")
    }

    /// The default output folder of `build`.
    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Rewrites the text of `rel` (relative to `content/`).
    pub fn edit(self, rel: &str, f: impl FnOnce(&str) -> String) -> Store {
        let path = self.content().join(rel);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        fs::write(&path, f(&text)).unwrap();
        self
    }

    /// Writes `rel` (relative to `content/`; `../x` lands beside it).
    pub fn write(self, rel: &str, bytes: impl AsRef<[u8]>) -> Store {
        let path = self.content().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        self
    }

    /// Writes `rel` relative to `feeds/`.
    pub fn write_feed(self, rel: &str, text: &str) -> Store {
        let path = self.feeds().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        self
    }

    /// Deletes `rel` (relative to `content/`).
    pub fn remove(self, rel: &str) -> Store {
        fs::remove_file(self.content().join(rel)).unwrap();
        self
    }

    /// Sets an environment variable for the builds (replacing a previous value).
    pub fn env(mut self, key: &str, value: &str) -> Store {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
        self
    }

    /// `pressroom build` into `public/` beside the store.
    pub fn build(&self) -> Outcome {
        self.build_into(&self.out())
    }

    /// `pressroom build --out <out>`.
    pub fn build_into(&self, out: &Path) -> Outcome {
        let mut cmd = self.command(&["build"]);
        cmd.arg("--content").arg(self.content()).arg("--feeds").arg(self.feeds()).arg("--out").arg(out);
        self.outcome(cmd, out)
    }

    /// What `cmd` did, with `out` its output folder.
    fn outcome(&self, mut cmd: Command, out: &Path) -> Outcome {
        let output = cmd.output().expect("running pressroom");
        Outcome {
            status: output.status,
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            out_dir: out.to_owned(),
            _store: Rc::clone(&self.dir),
        }
    }
}

impl Store {
    /// `rel` under the store's folder (`content/…`, `public/…`).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Rewrites `rel` (under the store's folder) in place, asserting that
    /// the edit changes it.
    #[track_caller]
    pub fn change(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let path = self.path(rel);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let new = f(text.clone());
        assert_ne!(new, text, "the edit of {rel} changed nothing");
        fs::write(path, new).unwrap();
    }

    /// `pressroom build --quiet --out OUT` in the store's folder, with
    /// `SOURCE_DATE_EPOCH` set to `epoch` or unset; returns `OUT/archive`.
    #[track_caller]
    pub fn build_archive(&self, out: &str, epoch: Option<&str>) -> PathBuf {
        let mut cmd = self.command(&["build", "--quiet", "--out", out]);
        match epoch {
            Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
            None => cmd.env_remove("SOURCE_DATE_EPOCH"),
        };
        let output = cmd.output().unwrap();
        assert!(output.status.success(), "build failed: {}", String::from_utf8_lossy(&output.stderr));
        self.path(out).join("archive")
    }

    /// `pressroom <args>` run in the store's folder (so the defaults
    /// `content`, `feeds` and `public` are the store's), in a clean
    /// environment (`pressroom()`) plus the store's variables.
    pub fn run(&self, args: &[&str]) -> Outcome {
        self.outcome(self.command(args), &self.out())
    }

    /// The command `run` runs, for tests that manage the process themselves.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = pressroom();
        cmd.args(args).current_dir(self.root());
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd
    }

    /// `pressroom check --format json <args>` in the store's folder: the
    /// problems are `Outcome::json`, their files relative to it
    /// (`content/news/a.md`).
    pub fn check(&self, args: &[&str]) -> Outcome {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// `check` is green (exit 0) and so is `build`: the build's outcome.
    #[track_caller]
    pub fn green(&self) -> Outcome {
        let check = self.check(&[]);
        assert_eq!(check.status.code(), Some(0), "check: {}{}", check.stdout, check.stderr);
        self.build().ok()
    }
}

/// One problem as `--format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Problem {
    pub severity: String,
    pub code: String,
    pub name: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[serde(default)]
    pub hint: Option<String>,
}

/// What one run of the binary did.
pub struct Outcome {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    pub out_dir: PathBuf,
    _store: Rc<TempDir>,
}

impl Outcome {
    /// Asserts the build succeeded (showing its messages when not).
    #[track_caller]
    pub fn ok(self) -> Outcome {
        assert!(self.status.success(), "build failed ({}):\n{}{}", self.status, self.stdout, self.stderr);
        self
    }

    /// Asserts the build failed with exit status `code`.
    #[track_caller]
    pub fn fails_with(self, code: i32) -> Outcome {
        assert_eq!(self.status.code(), Some(code), "exit status; stderr:\n{}", self.stderr);
        self
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.out_dir.join(rel)
    }

    #[track_caller]
    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    #[track_caller]
    pub fn bytes(&self, rel: &str) -> Vec<u8> {
        let path = self.path(rel);
        fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Every file of the output, by `/`-separated relative path.
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        files(&self.out_dir)
    }

    /// The problems printed by `--format json` on stdout, one per line.
    #[track_caller]
    pub fn json(&self) -> Vec<Problem> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON problem ({e}): {line}")))
            .collect()
    }

    /// Asserts that the JSON problems include `code` at `file:line:column`
    /// (`column` 0: any column); returns it.
    #[track_caller]
    pub fn has(&self, code: &str, file: &str, line: usize, column: usize) -> Problem {
        self.json()
            .into_iter()
            .find(|p| p.code == code && p.file == file && p.line == line && (column == 0 || p.column == column))
            .unwrap_or_else(|| {
                panic!("no {code} at {file}:{line}:{column} among the problems:\n{}{}", self.stdout, self.stderr)
            })
    }

    /// The codes of the JSON problems, in the order printed.
    pub fn codes(&self) -> Vec<String> {
        self.json().into_iter().map(|p| p.code).collect()
    }

    /// The reported problems: each `error[…]`/`warning[…]` line with the
    /// indented lines that follow it (location, source line, hint).
    pub fn problems(&self) -> Vec<String> {
        let mut blocks: Vec<String> = Vec::new();
        for line in self.stderr.lines() {
            let starts = line.contains("error[") || line.contains("warning[");
            if starts && !line.starts_with(' ') {
                blocks.push(line.to_owned());
            } else if let Some(block) = blocks.last_mut().filter(|_| line.starts_with(' ')) {
                block.push('\n');
                block.push_str(line);
            }
        }
        blocks
    }

    /// Asserts one problem is `severity[code]` at `location` (`file:line:`,
    /// the file relative to the content folder); returns its text.
    #[track_caller]
    pub fn problem(&self, severity: &str, code: &str, location: &str) -> String {
        let header = format!("{severity}[{code}]");
        let at = |block: &str| {
            block.match_indices(location).any(|(i, _)| i == 0 || matches!(block.as_bytes()[i - 1], b'/' | b' ' | b'\n'))
        };
        self.problems()
            .into_iter()
            .find(|block| block.contains(&header) && at(block))
            .unwrap_or_else(|| panic!("no {header} at {location} among the problems:\n{}", self.stderr))
    }
}

/// The entries of `dir` a build left behind: all but `expected`, the
/// archive caches (`.<out>.pressroom-cache`, which a successful build
/// writes beside its output on purpose) and the output a swap replaced
/// (`.<out>.pressroom-previous`, kept on purpose for the next build to
/// update). The one "nothing left behind" check of the suite: a staging
/// folder, a lock file, a temporary file.
pub fn strays(dir: &Path, expected: &[&str]) -> Vec<String> {
    let mut left: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !expected.contains(&name.as_str()))
        .filter(|name| !name.ends_with(".pressroom-cache") && !name.ends_with(".pressroom-previous"))
        .collect();
    left.sort();
    left
}

/// Every file under `dir`, by `/`-separated path relative to it.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut |rel, path| {
        out.insert(rel.to_owned(), fs::read(path).unwrap());
    });
    out
}

/// Calls `f(relative path, path)` for every file under `dir`, in name order.
pub fn walk(root: &Path, dir: &Path, f: &mut dyn FnMut(&str, &Path)) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(root, &path, f);
        } else {
            let rel = path.strip_prefix(root).unwrap().to_str().unwrap().replace('\\', "/");
            f(&rel, &path);
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The text of every `attr="…"` value in `html` (e.g. every `href`).
pub fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!("{attr}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        // Only whole attribute names: the character before is a space.
        let whole = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        if whole {
            values.push(rest[..end].replace("&amp;", "&"));
        }
        rest = &rest[end..];
    }
    values
}

/// Asserts that `rebuilt` published the very files `cold` did, byte for
/// byte: what a build that reused anything must publish.
#[track_caller]
pub fn same_tree(rebuilt: &Outcome, cold: &Outcome) {
    let (a, b) = (rebuilt.files(), cold.files());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "the same files");
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs from a cold build's");
    }
}
