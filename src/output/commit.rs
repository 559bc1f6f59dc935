//! How a staged build becomes the output, once every stage succeeded.
//!
//! Swapped: where the staging folder sits beside the output folder and the
//! output holds nothing but pressroom's files, the two folders are exchanged
//! in one atomic step (`renameat2(RENAME_EXCHANGE)`): a reader sees the old
//! output or the new one, never a mix, even if the build is killed.
//!
//! The output a swap replaced is walked for files that are not pressroom's
//! (a site's own pages) before it is kept (`swap`): one that reached the
//! output during the build, from the site's own generator writing beside
//! pressroom, is found there, the swap is undone (a second exchange) and the
//! build goes in place. Kept, it would have been removed by the next build,
//! which stages into the output swapped out. Between the two exchanges such
//! a file is missing from the output for the length of the walk (an
//! agency's 10,000 folders, 0.05 s). The output is walked before as well,
//! on a thread beside the build's stages (`Staging::begin`), unless the
//! last build swapped it in: then it held only pressroom's files, and most
//! often still does. The exchange is made under a name of its own,
//! `.<name>.pressroom-swapping`: a build killed between the exchange and
//! the end of the walk leaves the output it replaced there, which the next
//! build removes only if it holds nothing but its record's files, and else
//! stops, naming the others (`settle_swapping`).
//!
//! In place: where the folder cannot be swapped (a mount point, a parent
//! folder that is not writable), or holds files that are not pressroom's
//! (swapping would move them), each staged file is put on its final name,
//! in an order that never shows a reader a link to a missing file:
//! PDFs, images and bundles first, then listings and pages, then the feeds,
//! the sitemap and robots.txt last; files of the previous build that this
//! one no longer writes are removed at the very end. Every file is old or
//! new, never half-written. No file that pressroom did not write is moved,
//! replaced or removed: one standing where the build would write stops it
//! before anything is changed, and one that reaches a new file's name while
//! the files are put in place stops it there (a new file is linked in, which
//! never replaces a name, not renamed over it). A file of the last build,
//! checked against the record, is exchanged with the new one and put back
//! if what was taken out is not the file checked (`replace_checked`): one
//! the site put on its name, or wrote to, after the check stays.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::out_dir::OutDir;
use super::record::{RECORD, Record, WrittenFile, hash_file};
use super::target::{Target, TargetOptions};
use crate::error::{Error, IoContext, Result};
use crate::out_path::OutPath;

/// The paths a build writes, as its plan has them: the staging folder takes
/// no other, and a commit that lacks one of them is refused.
pub struct Expected {
    pub files: BTreeSet<OutPath>,
}

/// Where the staging folder could be made.
pub enum Place {
    /// Beside the output folder, on its file system: a swap is possible.
    /// `after_swap`: the staging folder is the output the last swap
    /// replaced, so the output held only pressroom's files then.
    Beside { after_swap: bool },
    /// Inside the output folder, because of the reason given: the files are
    /// moved into place one by one.
    Inside(String),
}

/// How the output was put in place, for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Committed {
    Swapped,
    InPlace(String),
}

impl fmt::Display for Committed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Committed::Swapped => write!(f, "swapped in whole"),
            Committed::InPlace(why) => write!(f, "updated in place, file by file, because {why}"),
        }
    }
}

/// What a commit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub committed: Committed,
    /// Files of the previous build that this one no longer writes, left in
    /// place because someone changed them since: they are the site's now.
    pub kept: Vec<String>,
    /// How many files the output holds of pressroom's.
    pub files: usize,
}

/// The files of this build that are the live output's own, about which a
/// commit asks the output alone.
#[derive(Default)]
pub struct Shared {
    /// Staged as hard links to the live output's files: by device and inode.
    pub linked: FxHashMap<String, (u64, u64)>,
    /// Kept in the live output without being staged, as they were found
    /// there (only where the commit goes in place, which it then must).
    pub unstaged: FxHashMap<String, Identity>,
}

/// Commits the staging folder `staged`, which holds `files` (sorted) but
/// for `shared.unstaged`, to `target`; `foreign`: what the walk of
/// the output during the build found that is not pressroom's. After a swap
/// the output it replaced is kept at `keep`, for the next build to stage
/// into (`Staging::begin`), or else removed.
pub fn commit(
    (staged, files, shared): (&Path, Vec<String>, Shared),
    target: &Target,
    (place, mut foreign): (&Place, Vec<String>),
    noted: FxHashMap<String, WrittenFile>,
    (expected, keep): (&Expected, &Path),
) -> Result<Outcome> {
    let missing: Vec<String> =
        expected.files.iter().map(|p| p.to_string()).filter(|p| files.binary_search(p).is_err()).collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "the build did not write {}, which its output plan names: nothing was changed",
            few(&missing)
        )));
    }
    let count = files.len();
    let record = Record::new(entries(staged, files, noted)?);
    let out = match OutDir::open(&target.dir) {
        Ok(out) => Some(out),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(&target.dir, e)),
    };
    let staged_dir = OutDir::open(staged).at(staged)?;
    let Checked { kept, verified } = match &out {
        Some(out) => changed_since(out, (&staged_dir, &shared), &target.record, &record)?,
        None => Checked::default(),
    };
    // The last moment a signal leaves the output as it was: that check
    // read every changed file (a second at an agency's rebuild).
    crate::interrupt::check().at(&target.dir)?;
    foreign.extend(kept.iter().cloned());
    let why = match place {
        Place::Inside(reason) => Some(reason.clone()),
        Place::Beside { .. } if !foreign.is_empty() => Some(holds_others(&foreign)),
        // Kept only where the commit was known to go in place: never
        // without the reason above, but a swap would leave them out.
        Place::Beside { .. } if !shared.unstaged.is_empty() => {
            Some("some of its files were kept where they are".to_owned())
        }
        Place::Beside { .. } => None,
    };
    // `at`: where the staged folder is by then.
    let in_place_of = |out: &OutDir, why: String, at: &Path| {
        in_place(&staged_dir, out, (&target.record, &record), (&kept, &verified, &shared.unstaged))?;
        fs::remove_dir_all(at).at(at)?;
        Ok::<_, Error>(Committed::InPlace(why))
    };
    let committed = match (why, out) {
        (Some(why), Some(out)) => in_place_of(&out, why, staged)?,
        (_, out) => match (swap(staged, target, &record, keep)?, out) {
            (Swap::Done, _) => Committed::Swapped,
            (Swap::Undone(found, at), Some(out)) => in_place_of(&out, holds_others(&found), &at)?,
            (Swap::Undone(..), None) => unreachable!("a swap is undone only when an output was swapped out"),
        },
    };
    Ok(Outcome { committed, kept, files: count })
}

/// The record's entry of every staged file: as noted while it was written,
/// else read back and hashed (in parallel).
fn entries(
    staged: &Path,
    files: Vec<String>,
    mut noted: FxHashMap<String, WrittenFile>,
) -> Result<BTreeMap<OutPath, WrittenFile>> {
    let listed = files
        .into_iter()
        .map(|rel| {
            let path = OutPath::parse(&rel).map_err(|why| {
                Error::Usage(format!("pressroom staged {rel:?}, which is not a path inside the output: {why}"))
            })?;
            Ok((path, noted.remove(&rel)))
        })
        .collect::<Result<Vec<_>>>()?;
    listed
        .into_par_iter()
        .map(|(path, entry)| match entry {
            Some(entry) => Ok((path, entry)),
            None => {
                let file = staged.join(path.as_str());
                Ok((path, fs::File::open(&file).and_then(hash_file).at(&file)?))
            }
        })
        .collect()
}

/// What `changed_since` found in the output.
#[derive(Default)]
struct Checked {
    /// Files of the previous build that this one no longer writes, changed
    /// since: the site's now, left where they are.
    kept: Vec<String>,
    /// Each file found as pressroom wrote it, as it was found then: a file
    /// put in place of it is put there only if it is still that file.
    verified: FxHashMap<String, Identity>,
}

/// A file as found: its device, inode, size and modification time. Another
/// file put on its name, or the same one written to, is another identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    dev: u64,
    ino: u64,
    size: u64,
    mtime: (i64, i64),
}

impl Identity {
    fn of(meta: &cap_std::fs::Metadata) -> Identity {
        use cap_std::fs::MetadataExt;
        Identity { dev: meta.dev(), ino: meta.ino(), size: meta.size(), mtime: (meta.mtime(), meta.mtime_nsec()) }
    }

    pub fn of_std(meta: &fs::Metadata) -> Identity {
        use std::os::unix::fs::MetadataExt;
        Identity { dev: meta.dev(), ino: meta.ino(), size: meta.size(), mtime: (meta.mtime(), meta.mtime_nsec()) }
    }

    fn at(dir: &OutDir, rel: &str) -> Option<Identity> {
        dir.metadata(rel).ok().map(|meta| Identity::of(&meta))
    }
}

/// The previous build's files that this build would replace with other
/// bytes, or no longer writes, checked against what pressroom wrote there
/// (the previous record's size and hash). One someone changed since is
/// the site's now: replacing it stops the build before anything changes;
/// one this build no longer writes is kept, to be left where it is. Each
/// file found as pressroom wrote it is known by its identity, the same
/// before and after its bytes were read.
fn changed_since(
    out: &OutDir,
    (staged, shared): (&OutDir, &Shared),
    before: &Record,
    record: &Record,
) -> Result<Checked> {
    // A file staged as a link to the live output's is the same file while
    // the output still holds that inode, and one kept there unstaged while
    // it is still the file found: only the output is asked (10,000 PDFs of
    // an agency's rebuild).
    let same = |rel: &str| match (shared.unstaged.get(rel), shared.linked.get(rel)) {
        (Some(&found), _) => Identity::at(out, rel) == Some(found),
        (None, Some(&file)) => out.holds(rel, file),
        (None, None) => out.same_file(staged, rel),
    };
    let files: Vec<(&OutPath, &WrittenFile)> = before.files().collect();
    let lost: Vec<(&OutPath, &WrittenFile)> =
        files.into_par_iter().filter(|(rel, _)| !(record.owns(rel.as_str()) && same(rel.as_str()))).collect();
    let checked: Vec<(&OutPath, Result<Option<Identity>, ()>)> = lost
        .par_iter()
        .map(|&(rel, entry)| {
            let found = Identity::at(out, rel.as_str());
            let same = entry.matches(out, rel)?;
            // Replaced or written to while it was read: the site's too.
            let still = found == Identity::at(out, rel.as_str());
            Ok((rel, if same && still { Ok(found) } else { Err(()) }))
        })
        .collect::<Result<_>>()?;
    let changed: Vec<&OutPath> = checked.iter().filter(|(_, found)| found.is_err()).map(|&(rel, _)| rel).collect();
    let replaced: Vec<String> =
        changed.iter().filter(|rel| record.owns(rel.as_str())).map(|rel| rel.to_string()).collect();
    if !replaced.is_empty() {
        return Err(changed_theirs(out, &replaced));
    }
    let verified = checked.into_iter().filter_map(|(rel, found)| Some((rel.to_string(), found.ok()??))).collect();
    Ok(Checked { kept: changed.into_iter().map(|rel| rel.to_string()).collect(), verified })
}

/// Files of pressroom's that someone changed since, which this build would
/// replace: theirs now.
fn changed_theirs(out: &OutDir, replaced: &[String]) -> Error {
    let (it, it_is) = if replaced.len() == 1 { ("it", "it is") } else { ("them", "they are") };
    Error::Usage(format!(
        "{}: {} changed since pressroom wrote {it}, so {it_is} the site's now, and this build would replace {it}. \
         Nothing was changed: move {it} away (or restore pressroom's copy), or choose another --out",
        out.path().display(),
        few(replaced),
    ))
}

/// The order in which files reach the output in place (and, later, a remote
/// store): what others link to before what links to it.
pub fn publish_rank(rel: &str) -> u8 {
    let top = !rel.contains('/');
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match name {
        "robots.txt" | "sitemap.xml" if top => 4,
        _ if top && name.starts_with("sitemap") && name.ends_with(".xml") => 3,
        // Archive documents before the subscription feeds that link them.
        "rss.xml" | "atom.xml" | "feed.json" if rel.contains("/archive/") => 1,
        "rss.xml" | "atom.xml" | "feed.json" => 2,
        _ if name.ends_with(".html") || name.ends_with(".json") || name.ends_with(".opml") => 1,
        _ => 0,
    }
}

/// Why a build goes in place: the output holds files that are not
/// pressroom's, `found`.
fn holds_others(found: &[String]) -> String {
    format!("it holds files pressroom did not write ({}), which stay as they are", few(found))
}

/// What became of a swap.
enum Swap {
    Done,
    /// Undone, as the output swapped out held these files that are not
    /// pressroom's: the output is as it was, and the staged folder at the
    /// path given.
    Undone(Vec<String>, PathBuf),
}

fn swap(staged: &Path, target: &Target, record: &Record, keep: &Path) -> Result<Swap> {
    let dir = target.dir.as_path();
    // The previous record, when it says the same, like every unchanged file.
    let bytes = record.to_bytes();
    let same = fs::read(dir.join(RECORD)).is_ok_and(|old| old == bytes);
    if !(same && fs::hard_link(dir.join(RECORD), staged.join(RECORD)).is_ok()) {
        fs::write(staged.join(RECORD), &bytes).at(staged.join(RECORD))?;
    }
    if fs::symlink_metadata(dir).is_err() {
        fs::rename(staged, dir).at(dir)?;
        // What the output replaced: nothing, so that the next build, like
        // one after a swap, knows that it held only pressroom's files.
        let _ = fs::create_dir(keep);
        return Ok(Swap::Done);
    }
    let swapping = swapping_dir(dir)?;
    fs::rename(staged, &swapping).at(&swapping)?;
    exchange(&swapping, dir)?;
    // `swapping` now holds the previous output: kept for the next build to
    // update, which removes whatever that build does not write, so it must
    // hold pressroom's files only (see the module's comment). Undone too
    // where it cannot be walked.
    let found = match super::target::foreign(&swapping, &target.record) {
        Ok(found) => found,
        Err(e) => return exchange(&swapping, dir).and(Err(e)),
    };
    if !found.is_empty() {
        exchange(&swapping, dir)?;
        return Ok(Swap::Undone(found, swapping));
    }
    match fs::rename(&swapping, keep) {
        Ok(()) => Ok(Swap::Done),
        Err(_) => super::out_dir::remove_tree(&swapping).map(|()| Swap::Done),
    }
}

/// Where a swap exchanges the output: `.<name>.pressroom-swapping` beside it.
fn swapping_dir(out: &Path) -> Result<PathBuf> {
    super::out_dir::beside(out, ".pressroom-swapping")
}

/// What a build killed during its swap (`swap`) left beside the output
/// `out`: the output it replaced, or its own staged folder, either with its
/// record. Removed when it holds only what its record names; else nothing
/// is changed and the build stops, naming the others: they are the site's.
pub(super) fn settle_swapping(out: &Path) -> Result<()> {
    let swapping = swapping_dir(out)?;
    match fs::symlink_metadata(&swapping) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(&swapping, e)),
        Ok(meta) if !meta.is_dir() => return fs::remove_file(&swapping).at(&swapping),
        Ok(_) => {}
    }
    refuse_others_in(&swapping, out)?;
    super::out_dir::remove_tree(&swapping)
}

/// The folder `swapping` a swap of `out` left, when it holds files that
/// pressroom did not write: the build stops, naming them.
fn refuse_others_in(swapping: &Path, out: &Path) -> Result<()> {
    let record = OutDir::open(swapping).ok().and_then(|dir| Record::read(&dir).ok().flatten());
    let found = super::target::foreign(swapping, &record.unwrap_or_default())?;
    if found.is_empty() {
        return Ok(());
    }
    Err(Error::Usage(format!(
        "{}: a build stopped while it swapped {} left this folder, and it holds files pressroom did not write \
         ({}). Nothing was changed: move them back into {}, then delete the folder",
        swapping.display(),
        out.display(),
        few(&found),
        out.display()
    )))
}

fn in_place(
    staged: &OutDir,
    out: &OutDir,
    (before, record): (&Record, &Record),
    (kept, verified, unstaged): (&[String], &FxHashMap<String, Identity>, &FxHashMap<String, Identity>),
) -> Result<()> {
    // Kept where they are, not staged: each must still be the very file
    // found, before anything changes; nothing is put there, so nothing
    // else is asked of them (10,000 PDFs' paths and folders, at an agency).
    let mut went_away: Vec<&str> = unstaged
        .par_iter()
        .filter(|&(rel, found)| Identity::at(out, rel) != Some(*found))
        .map(|(rel, _)| rel.as_str())
        .collect();
    went_away.sort_unstable();
    if let Some(rel) = went_away.first() {
        return Err(went(out, rel));
    }
    let files: Vec<&str> =
        record.files().map(|(rel, _)| rel.as_str()).filter(|rel| !unstaged.contains_key(*rel)).collect();
    let served = served_already(out, before, &files, |rel| staged.open_file(rel))?;
    let files: Vec<&str> = files.into_iter().filter(|rel| !served.contains(*rel)).collect();
    let without_served;
    let record = match served.is_empty() {
        true => record,
        false => {
            without_served = record.without(&served);
            &without_served
        }
    };
    refuse_conflicts(out, &|rel| before.owns(rel) && !kept.iter().any(|k| k == rel), &files)?;
    // First a record of both builds' files, either's bytes at a path both
    // write, so that a build killed midway still knows every file it may
    // have left, old or new.
    put_record(out, &before.during(record))?;
    let mut order = files.clone();
    order.sort_by_key(|rel| (publish_rank(rel), *rel));
    let mut made = HashSet::new();
    for rel in order {
        make_parents(out, rel, &mut made)?;
        if out.same_file(staged, rel) {
            continue;
        }
        // Neither a new name nor a file of the last build replaces what
        // the site put there since it was checked.
        let moved = match verified.get(rel) {
            Some(&found) => replace_checked(staged, out, rel, found),
            None => out.move_new_from(staged, rel).map(|()| true),
        };
        match moved {
            Ok(true) => {}
            Ok(false) => return Err(put_back(out, rel)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Err(arrived(out, rel)),
            Err(e) => return Err(out.error(rel, e)),
        }
    }
    // Last, what this build no longer writes: nothing links to it now.
    let gone = before.files().map(|(rel, _)| rel).filter(|rel| !record.owns(rel.as_str()));
    for rel in gone.filter(|rel| !kept.iter().any(|k| k == rel.as_str())) {
        match out.metadata(rel.as_str()) {
            Ok(meta) if !meta.is_dir() => out.remove_file(rel.as_str()).map_err(|e| out.error(rel.as_str(), e))?,
            _ => continue,
        }
        // Its folders too, once empty, unless this build uses them.
        for folder in rel.ancestors() {
            if record.holds(folder) || out.remove_dir(folder).is_err() {
                break;
            }
        }
    }
    put_record(out, record)
}

/// What a build with `options` would refuse of the output folder `given`
/// before it changed anything, for the files of `expected`: a folder of
/// others' files without `--into-existing`, and others' files (or
/// folders) where the build would write. Found without writing or
/// locking anything, for `check`: a green check is a green build. A file
/// of pressroom's that someone changed since is found by the build, which
/// hashes it.
pub fn check_fit(
    given: &Path,
    options: &TargetOptions<'_>,
    expected: &Expected,
    copies: &BTreeMap<String, PathBuf>,
) -> Result<()> {
    let dir = super::target::real_dir(given)?;
    for (what, flag, inputs) in [("content", "--content", options.content), ("feeds", "--feeds", options.feeds)] {
        super::target::refuse_overlap(given, &dir, what, flag, inputs)?;
    }
    let swapping = swapping_dir(&dir)?;
    if fs::symlink_metadata(&swapping).is_ok_and(|m| m.is_dir()) {
        refuse_others_in(&swapping, &dir)?;
    }
    let out = match OutDir::open(&dir) {
        Ok(out) => out,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(&dir, e)),
    };
    let record = Record::read(&out)?;
    if record.is_none() && !options.into_existing {
        super::target::refuse_foreign(given, &dir)?;
    }
    let record = record.unwrap_or_default();
    let files: Vec<&str> = expected.files.iter().map(|f| f.as_str()).collect();
    // The files the build copies (PDFs, images) are known before it runs:
    // those the site serves already are left to it, as the build leaves them.
    let copied: Vec<&str> = files.iter().copied().filter(|rel| copies.contains_key(*rel)).collect();
    let source = |rel: &str| copies.get(rel).map_or_else(|| Err(io::ErrorKind::NotFound.into()), fs::File::open);
    let served = served_already(&out, &record, &copied, source)?;
    let files: Vec<&str> = files.into_iter().filter(|rel| !served.contains(*rel)).collect();
    refuse_conflicts(&out, &|rel| record.owns(rel), &files)
}

/// The files of `files` the site already serves, in `out`, byte for byte
/// as this build would write them (`ours`: the bytes it would write): a
/// Hugo page bundle's image, which Hugo publishes where pressroom does.
/// Each is left to the site, neither replaced nor recorded, so pressroom
/// never owns it; one the site changes later is a conflict again.
fn served_already(
    out: &OutDir,
    before: &Record,
    files: &[&str],
    ours: impl Fn(&str) -> io::Result<fs::File> + Sync,
) -> Result<BTreeSet<String>> {
    let theirs: Vec<&str> =
        files.iter().copied().filter(|rel| !before.owns(rel) && out.metadata(rel).is_ok_and(|m| m.is_file())).collect();
    let same: Vec<Option<String>> = theirs
        .par_iter()
        .map(|&rel| {
            let mine = ours(rel).and_then(hash_file).map_err(|e| out.error(rel, e))?;
            let site = out.open_file(rel).and_then(hash_file).map_err(|e| out.error(rel, e))?;
            Ok((mine == site).then(|| rel.to_owned()))
        })
        .collect::<Result<_>>()?;
    Ok(same.into_iter().flatten().collect())
}

/// Files of others where this build would write a file, or would need a
/// folder: the build stops, naming them, before anything is changed.
/// `owns`: whether a path is pressroom's still; a file of the last build
/// that someone changed since is theirs now, never removed to make a folder.
fn refuse_conflicts(out: &OutDir, owns: &dyn Fn(&str) -> bool, files: &[&str]) -> Result<()> {
    let (mut conflicts, mut replaced) = (Vec::new(), Vec::new());
    let mut seen = HashSet::new();
    for &rel in files {
        let mut folders: Vec<&str> = crate::out_path::ancestors(rel).collect();
        folders.reverse();
        for folder in folders {
            if seen.insert(folder) {
                match out.metadata(folder) {
                    Ok(meta) if meta.is_symlink() => conflicts.push(format!("{folder} (a link)")),
                    Ok(meta) if !meta.is_dir() && !owns(folder) => conflicts.push(folder.to_owned()),
                    _ => {}
                }
            }
        }
        match out.metadata(rel) {
            Ok(meta) if meta.is_dir() => conflicts.push(format!("{rel}/")),
            Ok(_) if !owns(rel) => conflicts.push(rel.to_owned()),
            // A file of pressroom's that is no longer a file (a link put
            // there): seen here without hashing, which `changed_since`
            // does for the build; `check` has only this look.
            Ok(meta) if !meta.is_file() => replaced.push(rel.to_owned()),
            _ => {}
        }
    }
    if conflicts.is_empty() {
        return match replaced.is_empty() {
            true => Ok(()),
            false => Err(changed_theirs(out, &replaced)),
        };
    }
    Err(Error::Usage(format!(
        "{}: pressroom would replace what it did not write there: {}. Nothing was changed: move them away, or \
         choose another --out{}",
        out.path().display(),
        few(&conflicts),
        leave_to_the_site(&conflicts)
    )))
}

/// How to leave files of a site's own to it, when pressroom would write
/// them too: in a web root, the site often makes its own sitemap,
/// robots.txt or section listing.
fn leave_to_the_site(conflicts: &[String]) -> String {
    let mut ways = Vec::new();
    let top = |name: &str| conflicts.iter().any(|c| c == name || c.starts_with(&format!("{name}.")));
    if top("sitemap.xml") || conflicts.iter().any(|c| !c.contains('/') && c.starts_with("sitemap-")) {
        ways.push("`sitemap = false` under [outputs] in site.toml leaves the sitemap to the site");
    }
    if top("robots.txt") {
        ways.push("`robots = false` under [outputs] leaves robots.txt to it");
    }
    if conflicts.iter().any(|c| c.starts_with("archive/")) {
        ways.push("`archive = false` under [outputs] leaves archive/ to it");
    }
    if conflicts.iter().any(|c| {
        !c.starts_with("archive/")
            && (c.ends_with("/index.html") || c.ends_with("/rss.xml") || c.ends_with("/atom.xml"))
    }) {
        ways.push(
            "a feed's `path` (`path = \"news/feed\"` in its definition) moves its files and page away from the site's",
        );
    }
    match ways.is_empty() {
        true => String::new(),
        false => format!(" ({})", ways.join("; ")),
    }
}

/// Puts `staged`'s `rel` in place of the output's, which `changed_since`
/// found as pressroom wrote it (`found`): exchanged in one step, then the
/// file taken out is looked at, and if it is not the one found (the site
/// replaced it, or wrote to it, since), exchanged back: false. Renamed over
/// where the file system makes no exchange; moved as a new file where the
/// output's went meanwhile.
fn replace_checked(staged: &OutDir, out: &OutDir, rel: &str, found: Identity) -> io::Result<bool> {
    match out.exchange_with(staged, rel) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return out.move_new_from(staged, rel).map(|()| true),
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)) => {
            return out.rename_from(staged, rel).map(|()| true);
        }
        Err(e) if e.kind() == io::ErrorKind::Unsupported => return out.rename_from(staged, rel).map(|()| true),
        Err(e) => return Err(e),
    }
    if Identity::at(staged, rel) == Some(found) {
        return Ok(true);
    }
    out.exchange_with(staged, rel).map(|()| false)
}

/// The site replaced or changed `rel`, a file of the last build, after
/// `changed_since` looked: it was put back as the site left it.
fn put_back(out: &OutDir, rel: &str) -> Error {
    Error::Usage(format!(
        "{}: {rel} changed while the build put its files in place, so it is the site's now: it stays as it is. The \
         output holds part of this build, which the next build completes: move {rel} away (or restore pressroom's \
         copy), or choose another --out, and build again",
        out.path().display()
    ))
}

/// `rel`, a file the output held as this build would write it and kept
/// there unstaged, is not that file any more: replaced or removed since.
fn went(out: &OutDir, rel: &str) -> Error {
    Error::Usage(format!(
        "{}: {rel} was replaced or removed while the build ran: whatever is there stays as it is. Nothing was \
         changed: build again",
        out.path().display()
    ))
}

/// A file that is not pressroom's reached `rel`, where the build puts a new
/// file, after `refuse_conflicts` looked: the site's own generator, writing
/// beside the build.
fn arrived(out: &OutDir, rel: &str) -> Error {
    Error::Usage(format!(
        "{}: {rel} appeared while the build put its files in place, and pressroom did not write it: it stays as it \
         is. The output holds part of this build, which the next build completes: move {rel} away, or choose \
         another --out, and build again",
        out.path().display()
    ))
}

/// The folders above `rel` in `out`; a file of the previous build where a
/// folder is now needed is removed (`refuse_conflicts` let only those by).
fn make_parents<'r>(out: &OutDir, rel: &'r str, made: &mut HashSet<&'r str>) -> Result<()> {
    let mut folders: Vec<&str> = crate::out_path::ancestors(rel).collect();
    folders.reverse();
    for folder in folders {
        if !made.insert(folder) {
            continue;
        }
        match out.metadata(folder) {
            Ok(meta) if meta.is_dir() => continue,
            Ok(_) => out.remove_file(folder).map_err(|e| out.error(folder, e))?,
            Err(_) => {}
        }
        out.create_dir(folder).map_err(|e| out.error(folder, e))?;
    }
    Ok(())
}

/// Writes `record` into `out` through a file renamed into place.
fn put_record(out: &OutDir, record: &Record) -> Result<()> {
    let bytes = record.to_bytes();
    if out.read_file(RECORD).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    out.replace_file(RECORD, &bytes).map_err(|e| out.error(RECORD, e))
}

/// A few names, for a message.
fn few(names: &[String]) -> String {
    let mut text = names.iter().take(5).map(String::as_str).collect::<Vec<_>>().join(", ");
    if names.len() > 5 {
        text.push_str(&format!(" and {} more", names.len() - 5));
    }
    text
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(|e| Error::io(a, io::Error::other(e)))?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(|e| Error::io(b, io::Error::other(e)))?;
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc =
        unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 {
        return Ok(());
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        // Filesystems without RENAME_EXCHANGE: fall back to two renames.
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP) => two_renames(a, b),
        _ => Err(Error::io(b, err)),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> Result<()> {
    two_renames(a, b)
}

/// Not atomic: between the renames `b` is missing for an instant.
fn two_renames(a: &Path, b: &Path) -> Result<()> {
    let aside = a.with_extension("previous");
    fs::rename(b, &aside).at(b)?;
    fs::rename(a, b).at(b)?;
    fs::rename(&aside, a).at(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output holding pressroom's `feed.xml` ("old"), and a staging
    /// folder with the next build's ("new"), checked as a commit checks.
    struct Setup {
        _tmp: tempfile::TempDir,
        out_path: PathBuf,
        staged_path: PathBuf,
        out: OutDir,
        staged: OutDir,
        before: Record,
        record: Record,
        checked: Checked,
    }

    fn setup() -> Setup {
        let tmp = tempfile::tempdir().unwrap();
        let (out_path, staged_path) = (tmp.path().join("public"), tmp.path().join("staged"));
        for (dir, bytes) in [(&out_path, b"old"), (&staged_path, b"new")] {
            fs::create_dir_all(dir.join("news")).unwrap();
            fs::write(dir.join("news/feed.xml"), bytes).unwrap();
        }
        let record_of = |bytes: &[u8]| {
            Record::new([(OutPath::parse("news/feed.xml").unwrap(), WrittenFile::of_bytes(bytes))].into())
        };
        let (before, record) = (record_of(b"old"), record_of(b"new"));
        let (out, staged) = (OutDir::open(&out_path).unwrap(), OutDir::open(&staged_path).unwrap());
        let checked = changed_since(&out, (&staged, &Shared::default()), &before, &record).unwrap();
        Setup { _tmp: tmp, out_path, staged_path, out, staged, before, record, checked }
    }

    fn commit_in_place(s: &Setup) -> Result<()> {
        in_place(
            &s.staged,
            &s.out,
            (&s.before, &s.record),
            (&s.checked.kept, &s.checked.verified, &FxHashMap::default()),
        )
    }

    #[test]
    fn a_file_of_the_last_build_is_replaced_when_it_is_still_the_one_checked() {
        let s = setup();
        assert!(s.checked.verified.contains_key("news/feed.xml"));
        commit_in_place(&s).unwrap();
        assert_eq!(fs::read(s.out_path.join("news/feed.xml")).unwrap(), b"new");
    }

    #[test]
    fn a_file_the_site_put_in_place_of_one_checked_stays() {
        let s = setup();
        // The site's generator replaces the file after the check, as
        // generators write: a new file renamed over the name.
        fs::write(s.out_path.join("news/feed.xml.tmp"), b"the site's").unwrap();
        fs::rename(s.out_path.join("news/feed.xml.tmp"), s.out_path.join("news/feed.xml")).unwrap();
        match commit_in_place(&s) {
            Err(Error::Usage(m)) => assert!(m.contains("news/feed.xml changed while"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(fs::read(s.out_path.join("news/feed.xml")).unwrap(), b"the site's");
        assert_eq!(fs::read(s.staged_path.join("news/feed.xml")).unwrap(), b"new");
    }

    #[test]
    fn a_file_the_site_wrote_to_after_the_check_stays() {
        let s = setup();
        fs::write(s.out_path.join("news/feed.xml"), b"the site's, longer").unwrap();
        assert!(matches!(commit_in_place(&s), Err(Error::Usage(_))));
        assert_eq!(fs::read(s.out_path.join("news/feed.xml")).unwrap(), b"the site's, longer");
    }

    #[test]
    fn a_file_of_the_last_build_the_site_removed_after_the_check_is_written_anew() {
        let s = setup();
        fs::remove_file(s.out_path.join("news/feed.xml")).unwrap();
        commit_in_place(&s).unwrap();
        assert_eq!(fs::read(s.out_path.join("news/feed.xml")).unwrap(), b"new");
    }
}
