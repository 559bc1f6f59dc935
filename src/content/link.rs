//! Content files' paths as text: where a link written in one leads, and
//! paths compared without asking the file system. Both loading a file and
//! the store's cross-file checks resolve links the same way.

use std::path::{Path, PathBuf};

use crate::diagnostic::Pos;

/// A link to another content file that leads to one: where it is written,
/// as written, and the file (as `Store::content_url` looks it up).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Link {
    pub pos: Pos,
    pub link: String,
    pub target: PathBuf,
}

/// Where a link to a content file written in `from` leads, in the form of
/// the keys of `Store::urls`: Zola's internal links (`@/news/x.md`) start
/// in the content folder `root`, every other one beside `from`.
pub(super) fn link_target(root: &Path, from: &Path, link: &str) -> PathBuf {
    let (base, path) = match link.strip_prefix("@/") {
        Some(path) => (root, path),
        None => (from.parent().unwrap_or(Path::new("")), link),
    };
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    lexical(&base.join(decoded.as_ref()))
}

/// `path` with its `.` and `..` segments resolved as text, for comparing
/// the paths of content files without asking the file system.
pub(super) fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    // Never longer than `path`: one allocation, not one per doubling (the
    // store keeps one such path per item).
    let mut out = PathBuf::with_capacity(path.as_os_str().len());
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
