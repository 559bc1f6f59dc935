//! Where the import writes: a staging folder beside `content/`, renamed
//! into place once every item is written, so that a failure at any point
//! leaves `content/` as it was; and the uploads folder, read only through
//! a handle that no `..`, absolute path or symbolic link can leave.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use cap_std::ambient_authority;
use cap_std::fs::Dir;

use crate::error::{Error, IoContext, Result};

/// The content folder an import writes, staged beside it (not the output
/// folder's `output::Staging`), removed when dropped unless committed.
pub struct ContentStaging {
    root: PathBuf,
    dry_run: bool,
    /// Every path written, relative to the root, for unique names.
    written: BTreeSet<PathBuf>,
    /// Every folder above them: a bundle's folder is a taken name too.
    folders: HashSet<PathBuf>,
    committed: bool,
}

impl ContentStaging {
    /// A new folder beside `content`, or none with `dry_run`.
    pub fn new(content: &Path, dry_run: bool) -> Result<ContentStaging> {
        let parent = match content.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let name = content.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "content".into());
        let prefix = format!(".{name}.pressroom-import-");
        let root = parent.join(format!("{prefix}{}", std::process::id()));
        if !dry_run {
            remove_abandoned(&parent, &prefix);
            if root.exists() {
                fs::remove_dir_all(&root).at(&root)?;
            }
            fs::create_dir_all(&root).at(&root)?;
        }
        Ok(ContentStaging { root, dry_run, written: BTreeSet::new(), folders: HashSet::new(), committed: false })
    }

    /// A path not yet written: `rel` itself, else with `-2`, `-3`… before
    /// its extension (or at the end of a folder's name, for bundles).
    pub fn unique(&self, rel: &Path, taken: impl Fn(&Path) -> bool) -> PathBuf {
        let free = |p: &Path| !self.written.contains(p) && !self.folders.contains(p) && !taken(p);
        if free(rel) {
            return rel.to_owned();
        }
        let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let ext = rel.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
        (2..).map(|n| rel.with_file_name(format!("{stem}-{n}{ext}"))).find(|p| free(p)).expect("some number is free")
    }

    fn add(&mut self, rel: &Path) {
        self.written.insert(rel.to_owned());
        for folder in rel.ancestors().skip(1) {
            if !self.folders.insert(folder.to_owned()) {
                break;
            }
        }
    }

    pub fn write(&mut self, rel: &Path, bytes: &[u8]) -> Result<()> {
        match self.place(rel)? {
            Some(path) => fs::write(&path, bytes).at(&path),
            None => Ok(()),
        }
    }

    pub fn copy(&mut self, rel: &Path, from: &mut dyn Read, what: &Path) -> Result<()> {
        let Some(path) = self.place(rel)? else { return Ok(()) };
        let mut file = fs::File::create(&path).at(&path)?;
        std::io::copy(from, &mut file).map_err(|e| Error::io(what, e))?;
        Ok(())
    }

    /// Notes `rel` as written and gives its staged path, its folders made;
    /// `None` in a dry run, which writes nothing.
    fn place(&mut self, rel: &Path) -> Result<Option<PathBuf>> {
        self.add(rel);
        if self.dry_run {
            return Ok(None);
        }
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).at(dir)?;
        }
        Ok(Some(path))
    }

    /// Moves the staged files into `content`: the whole folder in one
    /// rename when `content` is new or empty; file by file with `merge`,
    /// leaving every file that exists as it is. Returns the files left.
    pub fn commit(mut self, content: &Path, merge: bool) -> Result<Vec<PathBuf>> {
        self.committed = true;
        if self.dry_run {
            return Ok(self.written.iter().filter(|rel| content.join(rel).exists()).cloned().collect());
        }
        let empty = match fs::read_dir(content) {
            Ok(mut entries) => entries.next().is_none(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(parent) = content.parent().filter(|p| !p.as_os_str().is_empty()) {
                    fs::create_dir_all(parent).at(parent)?;
                }
                true
            }
            Err(e) => return Err(Error::io(content, e)),
        };
        if empty {
            if content.exists() {
                fs::remove_dir(content).at(content)?;
            }
            fs::rename(&self.root, content).at(content)?;
            return Ok(Vec::new());
        }
        if !merge {
            return Err(not_empty(content));
        }
        let mut kept = Vec::new();
        for rel in &self.written {
            let target = content.join(rel);
            if target.exists() || fs::symlink_metadata(&target).is_ok() {
                kept.push(rel.clone());
                continue;
            }
            if let Some(dir) = target.parent() {
                fs::create_dir_all(dir).at(dir)?;
            }
            fs::rename(self.root.join(rel), &target).at(&target)?;
        }
        fs::remove_dir_all(&self.root).at(&self.root)?;
        Ok(kept)
    }
}

impl Drop for ContentStaging {
    fn drop(&mut self) {
        if !self.dry_run && (!self.committed || self.root.exists()) {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

/// Staging folders of imports whose process is gone (a SIGKILL, a power
/// cut) are removed; one of a running import is its own.
fn remove_abandoned(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(prefix)).and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

pub fn not_empty(content: &Path) -> Error {
    Error::Usage(format!(
        "{}: the content folder is not empty: the import writes into a new or empty folder only \
         (--content DIR for another), or adds files beside the ones there with --merge (never replacing one)",
        content.display()
    ))
}

/// The uploads folder (`wp-content/uploads`).
pub struct Uploads {
    dir: Dir,
    root: PathBuf,
}

impl Uploads {
    pub fn open(root: &Path) -> Result<Uploads> {
        let dir = Dir::open_ambient_dir(root, ambient_authority()).at(root)?;
        Ok(Uploads { dir, root: root.to_owned() })
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The file at `rel`, a path the export gave: proven a plain relative
    /// path before it is opened, and opened beneath the folder only.
    pub fn open_file(&self, rel: &str) -> std::result::Result<cap_std::fs::File, String> {
        proven(rel)?;
        let file = self.dir.open(rel).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "it is not in the uploads folder".to_owned(),
            std::io::ErrorKind::PermissionDenied => format!("it cannot be read: {e}"),
            // cap-std refuses a link that leads out of the folder.
            _ => format!("it cannot be opened inside the uploads folder ({e})"),
        })?;
        let meta = file.metadata().map_err(|e| format!("it cannot be read: {e}"))?;
        if !meta.is_file() {
            return Err("it is not a regular file".to_owned());
        }
        Ok(file)
    }
}

/// A path inside the uploads folder: relative, `/`-separated, no empty,
/// `.` or `..` segment, no backslash or control character.
pub fn proven(rel: &str) -> std::result::Result<(), String> {
    if rel.is_empty() || rel.starts_with('/') {
        return Err("its path is absolute or empty".to_owned());
    }
    if rel.contains('\\') || rel.chars().any(char::is_control) {
        return Err("its path holds a backslash or a control character".to_owned());
    }
    if rel.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        return Err("its path has an empty, `.` or `..` segment".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_the_export_are_proven() {
        assert!(proven("2020/08/report.pdf").is_ok());
        for bad in ["../etc/passwd", "/etc/passwd", "2020//a.pdf", "a/./b", "a\\b", "a\0b", ""] {
            assert!(proven(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn symbolic_links_out_of_the_uploads_are_refused() {
        let tmp = std::env::temp_dir().join(format!("pressroom-uploads-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(tmp.join("uploads/2020")).unwrap();
        fs::write(tmp.join("secret.pdf"), b"%PDF-secret").unwrap();
        fs::write(tmp.join("uploads/2020/a.pdf"), b"%PDF-a").unwrap();
        std::os::unix::fs::symlink(tmp.join("secret.pdf"), tmp.join("uploads/2020/link.pdf")).unwrap();
        let uploads = Uploads::open(&tmp.join("uploads")).unwrap();
        assert!(uploads.open_file("2020/a.pdf").is_ok());
        assert!(uploads.open_file("2020/link.pdf").is_err());
        assert!(uploads.open_file("2020/missing.pdf").unwrap_err().contains("not in the uploads"));
        fs::remove_dir_all(&tmp).unwrap();
    }
}
