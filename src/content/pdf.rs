//! A publication's own keys and its PDF: the file is found relative to the
//! Markdown file, must stay inside the content folder, be a regular file,
//! start with `%PDF-` and have a UTF-8 name (it becomes a URL and a bag path).

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use super::fields::{check_chars, missing, nearest_pdf, read_code};
use super::file::Loader;
use super::front_matter::PdfMatter;
use super::item::{Pdf, Publication, PublicationKind};
use super::source::Source;
use super::wire::PdfSeen;
use crate::archive::cache::FileKey;
use crate::diagnostic::{Code, Diagnostic};

/// The size past which a PDF draws a warning.
const LARGE_PDF: u64 = 200 * 1000 * 1000;

impl Loader<'_> {
    /// The publication `src` describes; `folder`: the folder of `src`,
    /// resolved, if it is known. With how its PDF was found, where the
    /// cache of parsed files can check it again without reading it.
    pub(super) fn publication(
        &self,
        src: &Source,
        pdf: PdfMatter,
        folder: Option<&Path>,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<(Publication, Option<PdfSeen>)> {
        let PdfMatter { file, kind, edition, language } = pdf;
        check_chars(src, "edition", edition.iter(), problems);
        let kind = match kind.as_deref() {
            None => Some(PublicationKind::Other),
            Some(name) => PublicationKind::parse(name).or_else(|| {
                let d =
                    Diagnostic::new(Code::BadValue, &src.path, src.value_pos("kind"), format!("unknown kind {name:?}"));
                let d = match crate::keys::nearest(name, PublicationKind::NAMES) {
                    Some(near) => d.with_hint(format!("did you mean \"{near}\"?")),
                    None => d.with_hint(format!("kinds: {}", PublicationKind::NAMES.join(", "))),
                };
                problems.push(d);
                None
            }),
        };
        if let Some(lang) = &language
            && !crate::content::site::is_language_tag(lang)
        {
            problems.push(Diagnostic::new(
                Code::BadValue,
                &src.path,
                src.value_pos("language"),
                format!("{lang:?} is not a BCP 47 language tag"),
            ));
        }
        let Some(file) = file else {
            let hint = format!("add `{}`, the PDF's path relative to this file", src.example("file", "\"name.pdf\""));
            problems.push(missing(src, "file", &hint));
            return None;
        };
        let (pdf, seen) = self.pdf(src, &file, folder, problems)?;
        Some((Publication { kind: kind?, edition, language, pdf }, seen))
    }

    fn pdf(
        &self,
        src: &Source,
        file: &str,
        folder: Option<&Path>,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<(Pdf, Option<PdfSeen>)> {
        let pos = src.value_pos("file");
        let fail = |problems: &mut Vec<Diagnostic>, code, message: String, hint: Option<String>| {
            let mut d = Diagnostic::new(code, &src.path, pos, message);
            d.hint = hint;
            problems.push(d);
            None
        };
        let rel = Path::new(file);
        if file.is_empty() || rel.is_absolute() || file.starts_with('\\') {
            return fail(
                problems,
                Code::FileEscapes,
                format!("file {file:?} must be a path relative to this file"),
                None,
            );
        }
        let md_dir = src.path.parent().unwrap_or(Path::new("."));
        let (real, seen) = match folder.and_then(|folder| resolve(folder, file)) {
            Some((real, state)) => {
                let seen = (!state.racy(SystemTime::now())).then(|| PdfSeen { file: file.to_owned(), state });
                (real, seen)
            }
            None => match md_dir.join(rel).canonicalize() {
                Ok(real) => (real, None),
                Err(_) => {
                    let hint = nearest_pdf(md_dir, rel).map(|n| format!("did you mean {n:?}?"));
                    return fail(problems, Code::FileMissing, format!("file {file:?} does not exist"), hint);
                }
            },
        };
        if !real.starts_with(self.root_abs) {
            return fail(
                problems,
                Code::FileEscapes,
                format!("file {file:?} is outside the content folder"),
                Some("keep the PDFs inside content/ (no `..`, no link to elsewhere)".into()),
            );
        }
        let mut magic = [0u8; 5];
        let read = super::regular::open(&real).and_then(|f| {
            let size = f.metadata()?.len();
            let n = f.take(5).read(&mut magic)?;
            Ok((size, n))
        });
        let size = match read {
            Ok((0, _)) => return fail(problems, Code::FileNotPdf, format!("file {file:?} is empty"), None),
            Ok((size, 5)) if &magic == b"%PDF-" => size,
            Ok(_) => {
                return fail(
                    problems,
                    Code::FileNotPdf,
                    format!("file {file:?} is not a PDF (it does not start with %PDF-)"),
                    None,
                );
            }
            Err(e) => return fail(problems, read_code(&e), format!("cannot read file {file:?}: {e}"), None),
        };
        if size > LARGE_PDF {
            problems.push(Diagnostic::new(
                Code::LargePdf,
                &src.path,
                pos,
                format!("file {file:?} is {} MB: is it the right file?", size / 1_000_000),
            ));
        }
        // The name published is the file's own, after links: one that is
        // not UTF-8 cannot be a URL or a bag path.
        let Some(file_name) = real.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            let shown = real.file_name().unwrap_or_default().to_string_lossy().into_owned();
            return fail(
                problems,
                Code::NotUtf8,
                format!("file {file:?} leads to the file name {shown:?}, which is not UTF-8"),
                Some("rename the PDF (and the link to it) with a UTF-8 name".into()),
            );
        };
        // Its URL and output path follow `[urls].pdf`, which may use the
        // item's date: `Loader::place` places it once the date is read.
        let state = seen.as_ref().map(|seen| seen.state);
        Some((Pdf { url: String::new(), source: real, file_name, size, out_path: Vec::new(), state }, seen))
    }

    /// Whether the PDF a kept parse of a publication in `folder` (resolved)
    /// read is still the file its `file` leads to, in the state it had.
    pub(super) fn same_pdf(&self, folder: &Path, pdf: &Pdf, seen: &PdfSeen) -> bool {
        resolve(folder, &seen.file).is_some_and(|(real, state)| real == pdf.source && state == seen.state)
    }
}

/// Where `file`, relative to the resolved folder `folder`, leads, and the
/// state of the regular file there, when no step on the way is a link: the
/// path `canonicalize` gives, for one `lstat` a step, where glibc's
/// realpath asks for the working folder and reads every step of the whole
/// path as a link. None otherwise (a link, a missing step, a folder at the
/// end): then `canonicalize` decides, and says what is wrong.
fn resolve(folder: &Path, file: &str) -> Option<(PathBuf, FileKey)> {
    // `x.pdf/` names a folder: `canonicalize` refuses it when it is a file.
    if file.ends_with('/') {
        return None;
    }
    let mut path = folder.to_path_buf();
    let mut end = None;
    for part in Path::new(file).components() {
        // A file with more steps after it.
        if end.take().is_some_and(|m: fs::Metadata| !m.is_dir()) {
            return None;
        }
        match part {
            Component::CurDir => {}
            // Every step so far is a real folder: `..` is its parent.
            Component::ParentDir => {
                path.pop();
            }
            Component::Normal(name) => {
                path.push(name);
                let meta = fs::symlink_metadata(&path).ok()?;
                if meta.is_symlink() {
                    return None;
                }
                end = Some(meta);
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    let meta = end.filter(fs::Metadata::is_file)?;
    Some((path, FileKey::of(&meta)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_path_through_real_folders_resolves_as_canonicalize_does() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        let folder = root.join("publications");
        fs::create_dir_all(folder.join("pdf/deep")).unwrap();
        fs::write(folder.join("pdf/a.pdf"), b"%PDF-1.7").unwrap();
        fs::write(root.join("b.pdf"), b"%PDF-1.7").unwrap();
        for file in ["pdf/a.pdf", "./pdf/a.pdf", "pdf/deep/../a.pdf", "pdf//a.pdf", "../b.pdf"] {
            let (real, state) = resolve(&folder, file).unwrap_or_else(|| panic!("{file}"));
            assert_eq!(real, folder.join(file).canonicalize().unwrap(), "{file}");
            assert_eq!(state, FileKey::of(&fs::metadata(&real).unwrap()), "{file}");
        }
        // A link on the way, a folder or nothing at the end, a file with
        // steps after it: `canonicalize` decides.
        symlink(folder.join("pdf"), folder.join("linked")).unwrap();
        symlink("a.pdf", folder.join("pdf/c.pdf")).unwrap();
        for file in ["linked/a.pdf", "pdf/c.pdf", "pdf", "pdf/deep/..", "pdf/none.pdf", "pdf/a.pdf/", "pdf/a.pdf/.."] {
            assert_eq!(resolve(&folder, file), None, "{file}");
        }
    }
}
