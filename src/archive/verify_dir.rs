//! `pressroom verify DIR`: a bag kept as a folder (as archivists hold
//! them, and as the BagIt conformance suite is), checked in place with the
//! same bag checks as a ZIP (`verify_bag`). The folder is read as input
//! verify distrusts: a symbolic link is never followed out of the bag, nor
//! to a folder (a loop, or a second path to the same files); FIFOs, sockets
//! and devices are refused unread (reading one would hang or never end); a
//! file is read at most to the size `fstat` gave when it was opened, and a
//! tag file's text is kept only up to `MAX_TAG_FILE`, so the work is
//! bounded by what is on disk when verify starts. Nothing is written.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::digest::CHUNK;
use super::verify_bag::{Source, check_bag, warn_alike_names};
use super::verify_read::{ReadEntry, extra_algorithms, read_entry};
use super::verify_report::Report;
use crate::error::{Error, IoContext, Result};

/// A file of the bag found by the walk: where to read it from (the link's
/// target for a link that stays inside the bag).
struct Found {
    rel: String,
    path: PathBuf,
}

/// Checks the bag in the folder `root`. `Err` only when the folder or one
/// of its files cannot be read for a reason other than the bag's content.
pub(super) fn verify_dir(root: &Path) -> Result<Report> {
    let canonical = fs::canonicalize(root).at(root)?;
    let top =
        canonical.file_name().map_or_else(|| canonical.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut report = Report::default();
    let files = walk(root, &canonical, &top, &mut report)?;
    let extra = extra_algorithms(files.iter().map(|f| f.rel.as_str()));
    let mut entries: BTreeMap<String, ReadEntry> = BTreeMap::new();
    let mut buf = vec![0u8; CHUNK];
    for found in files {
        let shown = format!("{top}/{}", found.rel);
        let Some((mut file, len)) = open_regular(&found.path, &shown, &mut report)? else { continue };
        let keep_text = !found.rel.contains('/') && found.rel.ends_with(".txt");
        // Read to the size it had when opened; a file still growing (a copy
        // under way, a log) is not read on for ever.
        let mut sized = (&mut file).take(len);
        let entry = read_entry(&mut sized, &mut buf, (keep_text, &extra), len, &shown, &mut report).at(&found.path)?;
        let longer = file.read(&mut [0u8; 1]).at(&found.path)? > 0;
        match entry.digests {
            Some(d) if d.size != len || longer => {
                let now = if longer { "more".to_owned() } else { d.size.to_string() };
                report.problem(&shown, format!("changed while it was read: {len} bytes when opened, then {now}"));
            }
            _ => {}
        }
        entries.insert(found.rel, entry);
    }
    if !root.join("data").is_dir() {
        report.problem(format!("{top}/data/"), "missing: a bag's payload is its data/ folder (RFC 8493 §2.1.2)");
    }
    let shown: Vec<String> = entries.keys().map(|rel| format!("{top}/{rel}")).collect();
    warn_alike_names(shown.iter(), &mut report);
    let bag: BTreeMap<&str, &ReadEntry> = entries.iter().map(|(rel, e)| (rel.as_str(), e)).collect();
    check_bag(&top, &bag, Source::Folder, &mut report);
    Ok(report.finished(top))
}

/// Every file under `root`, by its path from there with `/` between
/// folders, in name order. Folders are walked with a stack of their own,
/// so a deep tree costs memory, never the call stack.
fn walk(root: &Path, canonical: &Path, top: &str, report: &mut Report) -> Result<Vec<Found>> {
    let mut files = Vec::new();
    let mut folders = vec![(root.to_owned(), String::new())];
    while let Some((dir, prefix)) = folders.pop() {
        let mut children: Vec<fs::DirEntry> = fs::read_dir(&dir).at(&dir)?.collect::<io::Result<_>>().at(&dir)?;
        children.sort_by_key(fs::DirEntry::file_name);
        // Popped last first: push in reverse to walk in name order.
        for child in children.into_iter().rev() {
            let path = child.path();
            let Some(name) = child.file_name().to_str().map(str::to_owned) else {
                let shown = format!("{top}/{prefix}{}", child.file_name().to_string_lossy());
                report.cannot_check(shown, "its name is not UTF-8: no manifest line can be matched to it");
                continue;
            };
            let rel = format!("{prefix}{name}");
            let shown = format!("{top}/{rel}");
            let kind = child.file_type().at(&path)?;
            if kind.is_dir() {
                folders.push((path, format!("{rel}/")));
            } else if kind.is_file() {
                files.push(Found { rel, path });
            } else if kind.is_symlink() {
                if let Some(target) = link_inside(&path, canonical, &shown, report)? {
                    files.push(Found { rel, path: target });
                }
            } else {
                report.problem(shown, format!("{}, not a regular file: not read", special(&kind)));
            }
        }
    }
    files.reverse();
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(files)
}

/// The target of the link at `path` when it is a regular file inside the
/// bag (checked as that file, with a warning: another tool may copy the
/// link, not the file); `None`, with a problem, when it leads out of the
/// bag, to a folder, or nowhere.
fn link_inside(path: &Path, canonical: &Path, shown: &str, report: &mut Report) -> Result<Option<PathBuf>> {
    let to = fs::read_link(path).at(path)?;
    let target = match fs::canonicalize(path) {
        Ok(target) => target,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            report.problem(shown, format!("a symbolic link to {}, which does not exist", to.display()));
            return Ok(None);
        }
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            report.problem(shown, format!("a symbolic link to {}, in a loop of links: not followed", to.display()));
            return Ok(None);
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    if !target.starts_with(canonical) {
        report.problem(shown, format!("a symbolic link leading out of the bag, to {}: not followed", to.display()));
        return Ok(None);
    }
    if !fs::metadata(&target).at(&target)?.is_file() {
        report.problem(shown, format!("a symbolic link to {}, not a regular file: not followed", to.display()));
        return Ok(None);
    }
    report.warn(
        shown,
        format!(
            "a symbolic link to {}, inside the bag: checked as that file; a copy may hold the link only",
            to.display()
        ),
    );
    Ok(Some(target))
}

/// `path` opened without following a link, if it is still a regular file
/// (it may have been replaced since the walk), with its size then.
fn open_regular(path: &Path, shown: &str, report: &mut Report) -> Result<Option<(File, u64)>> {
    let opened =
        OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY).open(path);
    let file = match opened {
        Ok(file) => file,
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            report.problem(shown, "became a symbolic link while verify read the folder: not followed");
            return Ok(None);
        }
        Err(e) => return Err(Error::io(path, e)),
    };
    let metadata = file.metadata().at(path)?;
    if !metadata.is_file() {
        report.problem(shown, format!("{}, not a regular file: not read", special(&metadata.file_type())));
        return Ok(None);
    }
    Ok(Some((file, metadata.len())))
}

/// What a file that is neither a regular file, a folder nor a link is.
fn special(kind: &fs::FileType) -> &'static str {
    if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_dir() {
        "a folder"
    } else {
        "of an unknown kind"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal valid bag of one payload file in a temporary folder.
    fn bag() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir(root.join("data")).unwrap();
        fs::write(root.join("data/a.txt"), b"a").unwrap();
        fs::write(root.join("bagit.txt"), b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n").unwrap();
        // SHA-256 of "a".
        fs::write(
            root.join("manifest-sha256.txt"),
            b"ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  data/a.txt\n",
        )
        .unwrap();
        dir
    }

    #[test]
    fn a_valid_folder_is_intact() {
        let dir = bag();
        let report = verify_dir(dir.path()).unwrap();
        assert!(report.intact(), "{report:?}");
        assert_eq!((report.payload_files, report.payload_octets), (1, 1));
    }

    #[test]
    fn links_out_of_the_bag_and_fifos_are_refused_unread() {
        let dir = bag();
        let outside = tempfile::NamedTempFile::new().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("data/out.txt")).unwrap();
        std::os::unix::fs::symlink("..", dir.path().join("data/up")).unwrap();
        let fifo = std::ffi::CString::new(dir.path().join("data/fifo").into_os_string().into_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let report = verify_dir(dir.path()).unwrap();
        let shown: Vec<String> = report.problems.iter().map(|p| p.message.clone()).collect();
        assert!(shown.iter().any(|m| m.contains("leading out of the bag")), "{shown:?}");
        assert!(shown.iter().any(|m| m.starts_with("a symbolic link to .., not a regular file")), "{shown:?}");
        assert!(shown.iter().any(|m| m.starts_with("a FIFO")), "{shown:?}");
    }

    #[test]
    fn a_loop_of_links_is_damage_not_a_failure_to_read() {
        let dir = bag();
        std::os::unix::fs::symlink("b", dir.path().join("data/a")).unwrap();
        std::os::unix::fs::symlink("a", dir.path().join("data/b")).unwrap();
        let report = verify_dir(dir.path()).unwrap();
        assert!(report.problems.iter().any(|p| p.message.contains("in a loop of links")), "{:?}", report.problems);
    }

    #[test]
    fn a_link_inside_the_bag_is_checked_as_its_target_with_a_warning() {
        let dir = bag();
        let hash = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
        std::os::unix::fs::symlink("a.txt", dir.path().join("data/b.txt")).unwrap();
        fs::write(dir.path().join("manifest-sha256.txt"), format!("{hash}  data/a.txt\n{hash}  data/b.txt\n")).unwrap();
        let report = verify_dir(dir.path()).unwrap();
        assert!(report.intact(), "{report:?}");
        assert!(report.warnings.iter().any(|w| w.entry.ends_with("data/b.txt")), "{:?}", report.warnings);
    }
}
