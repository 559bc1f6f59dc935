//! Where an item is published beyond its text: its page's URL when the
//! item sets its own (`url`), and the files its body shows or links with a
//! relative reference (`![The Moon](moon.png)`, `[data](img/chart.csv)`),
//! which are published at the URL the reference resolves to against the
//! item's URL, as PDFs are, so that the feeds' absolute links lead to a file.
//!
//! A reference is taken for a file when its last segment has an extension
//! (`moon.png`); one ending with `/` or without an extension is a link to a
//! page of the site and left alone, and one to a `.md` file is a content
//! link (`Store::content_url`); `.html` and `.htm` are pages too. Only
//! regular files inside the content folder are published; a reference to a
//! missing file is a warning at its line (the feeds link it all the same),
//! and so is one that leads outside the content folder or would be
//! published outside the base URL: such a file is never looked for, read or
//! published (that is the safety), and the link is only a link. One whose
//! percent-decoded segments could not name a file (`%2F`, `%00`, `//`) is
//! an error.
//! Encoded dots are dots (`%2e%2e` is `..`, RFC 3986 §6.2.2.2): resolution
//! removes them like any other, so no decoding after it makes one.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::Item;
use super::file::Loader;
use super::item::{Asset, Publication};
use super::site::SectionDef;
use super::source::Source;
use super::url_pattern::{self, Values};
use crate::diagnostic::{Code, Diagnostic};
use crate::out_path::{OutPath, Unfit};

/// An item's own `url`: absolute http(s), or a path on the site (under
/// the base URL); an error with its line otherwise. It is kept in its
/// normal form (`url::normalize`), the form the files its body shows are
/// placed by, and each of its path's segments must be able to name a
/// folder: the files are published under it.
pub(super) fn own_url(
    src: &Source,
    base: &crate::url::BaseUrl,
    key: &str,
    own: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let own = own.trim();
    let problem = |code, why: &str| {
        Diagnostic::new(code, &src.path, src.value_pos(key), format!("{key} {own:?} is not a page's address{why}"))
            .with_hint("an absolute https:// URL, or a path on the site such as /2019/05/our-news/")
    };
    let absolute = own.starts_with("https://") || own.starts_with("http://");
    let on_site = own.starts_with('/') && !own.starts_with("//");
    if !(absolute || on_site) || own.chars().any(|c| c.is_whitespace() || c.is_control()) {
        problems.push(problem(Code::BadValue, ""));
        return None;
    }
    // A URL is taken as the URI it must be; a path is taken as Hugo and
    // Zola take one, its characters encoded as a slug's are, but a `%`
    // that encodes nothing could be meant either way.
    let why = match absolute {
        true => crate::url::invalid_uri(own),
        false => crate::url::has_bad_percent(own)
            .then(|| "has a `%` not followed by two hex digits (a `%` itself is written %25)".to_owned()),
    };
    if let Some(why) = why {
        problems.push(problem(Code::BadValue, &format!(": it {why}")));
        return None;
    }
    if absolute && crate::url::BaseUrl::parse(own).is_err() {
        problems.push(problem(Code::BadValue, ""));
        return None;
    }
    let encoded = crate::url::encode(own);
    let normal = crate::url::normalize(&encoded);
    let (origin, path) = match normal.split_once("://") {
        Some((scheme, rest)) => {
            // The host is case-insensitive: `Example.org` is the base URL's
            // `example.org`, on the site.
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            (format!("{scheme}://{}", authority.to_ascii_lowercase()), path)
        }
        None => (base.as_str().strip_suffix('/').unwrap_or_default().to_owned(), normal.as_ref()),
    };
    let url = format!("{origin}{path}");
    let path = path[..path.find(['?', '#']).unwrap_or(path.len())].strip_prefix('/').unwrap_or_default();
    // A folder's URL ends with `/`, which ends its last segment, not an
    // empty one; `/` itself is the site's home page.
    let path = path.strip_suffix('/').unwrap_or(path);
    if !path.is_empty() {
        let unfit = match crate::url::decode_segments(path) {
            Ok(names) => {
                OutPath::from_segments(&names).err().map(|why| (code_of(&why, Code::BadValue), why.to_string()))
            }
            Err(why) => Some((Code::BadValue, why.to_string())),
        };
        if let Some((code, why)) = unfit {
            problems.push(problem(code, &format!(": {why}")));
            return None;
        }
    }
    if !url.starts_with(base.as_str()) {
        problems.push(
            Diagnostic::new(
                Code::OffSiteUrl,
                &src.path,
                src.value_pos(key),
                format!("{key} {own:?} is not under the base URL {}: the sitemap leaves it out", base.as_str()),
            )
            .with_hint("a sitemap lists only its own site's pages (sitemaps.org); nothing to do if the page is elsewhere on purpose"),
        );
    }
    Some(url)
}

/// The code of a path that cannot be written: too long has a code of its
/// own, the rest is `otherwise`.
fn code_of(why: &Unfit, otherwise: Code) -> Code {
    match why {
        Unfit::TooLong { .. } => Code::PathTooLong,
        _ => otherwise,
    }
}

impl Loader<'_> {
    /// The folders of `src` within its section, each followed by `/`
    /// (`2021/` for `news/2021/post.md` and `news/2021/post/index.md`, a
    /// bundle being one item): the `{path}` of the URL patterns.
    pub(super) fn folders(&self, src: &Source) -> String {
        let Ok(within) = src.path.strip_prefix(self.root) else { return String::new() };
        let mut folders: Vec<&str> = within.iter().skip(1).filter_map(|s| s.to_str()).collect();
        folders.pop();
        let bundle = src.path.file_stem().is_some_and(|s| s == "index") && !folders.is_empty();
        if bundle {
            folders.pop();
        }
        folders.iter().map(|f| format!("{f}/")).collect()
    }

    /// The page's URL of an item (its `url`, else the section's pattern),
    /// and its PDF's URL and output path (the pdf pattern).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn place(
        &self,
        section: &SectionDef,
        src: &Source,
        date: Timestamp,
        slug: &str,
        categories: &[String],
        own: Option<(&str, String)>,
        publication: Option<&mut Publication>,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<String> {
        let base = &self.site.base_url;
        let tz = &self.site.timezone;
        let path = self.folders(src);
        let categories = url_pattern::categories_path(categories);
        let values = |file| Values {
            date: Some(date),
            tz,
            slug,
            section: &section.name,
            file,
            path: &path,
            categories: &categories,
        };
        if let Some(p) = publication {
            p.pdf.out_path = section.pdf.segments(&values(&p.pdf.file_name));
            p.pdf.url = base.join(&p.pdf.out_path.iter().map(String::as_str).collect::<Vec<_>>(), false);
        }
        let pattern = &section.url;
        match own {
            Some((key, own)) => own_url(src, base, key, &own, problems),
            None => {
                let placed = pattern.segments(&values(""));
                Some(base.join(&placed.iter().map(String::as_str).collect::<Vec<_>>(), pattern.is_folder()))
            }
        }
    }

    /// The files `src`'s body references, placed under the output folder
    /// by resolving each reference against `url`, the item's page.
    pub(super) fn assets(&self, src: &Source, url: &str, problems: &mut Vec<Diagnostic>) -> Vec<Asset> {
        let dir = src.path.parent().unwrap_or(Path::new("."));
        let base = self.site.base_url.as_str();
        let mut assets: Vec<Asset> = Vec::new();
        let refs = src.references();
        // Raw HTML's references are published when they name a file inside
        // the content folder; any other is let be, unwarned, as raw HTML
        // always was (README, "Trust").
        let quiet = refs.files.iter().map(|r| (r, false)).chain(refs.html_files.iter().map(|r| (r, true)));
        let mut unwarned = Vec::new();
        for (&(offset, ref reference), quiet) in quiet {
            let problems = if quiet { &mut unwarned } else { &mut *problems };
            let problem = |code, message: String, hint: &str| {
                Diagnostic::new(code, &src.path, src.body_pos(offset), message).with_hint(hint)
            };
            let names = match crate::url::decode_segments(reference) {
                Ok(names) => names,
                Err(why) => {
                    problems.push(problem(
                        Code::BrokenLink,
                        format!("{reference:?} is not a file's path: {why}"),
                        "write the path with `/` between folders, as it is on disk, e.g. img/moon.png",
                    ));
                    continue;
                }
            };
            let source: PathBuf = names.iter().fold(dir.to_owned(), |path, name| path.join(name));
            // Outside the content folder by its very path, the file is not
            // looked for: whether it exists there is none of the store's.
            let within = source.strip_prefix(self.root).map(|rel| super::link::lexical(&self.root_abs.join(rel)));
            // Resolved in normal form, where `%2e%2e` is the `..` it means;
            // the segments decoded after it hold no dot segment.
            let published = crate::url::resolve(url, reference);
            // A reference out of the folder or the base URL is a link the
            // feeds carry, made absolute, and nothing more: nothing is read
            // for it, nothing published. Real posts hold them, to another
            // post's image (`../../2024/05/07/post/chart.svg`, a URL path
            // Zola never looks up on disk).
            if !within.is_ok_and(|path| path.starts_with(self.root_abs)) {
                problems.push(problem(
                    Code::DanglingLink,
                    format!(
                        "{reference:?} leads outside the content folder: nothing is read or published for it; feeds link {published}"
                    ),
                    "keep the files a body shows inside content/, or nothing if the site serves it by other means",
                ));
                continue;
            }
            let Some(rel) = published.strip_prefix(base).filter(|rel| !rel.is_empty()) else {
                problems.push(problem(
                    Code::DanglingLink,
                    format!("{reference:?} resolves to {published}, outside the site's base URL: nothing is published for it; feeds link it"),
                    "keep the file beside the Markdown file, or in a folder below it",
                ));
                continue;
            };
            let out_path = match crate::url::decode_segments(rel) {
                Ok(names) => OutPath::from_segments(&names)
                    .map(|_| names)
                    .map_err(|why| (code_of(&why, Code::BrokenLink), why.to_string())),
                Err(why) => Err((Code::BrokenLink, why.to_string())),
            };
            let out_path = match out_path {
                Ok(out_path) => out_path,
                Err((code, why)) => {
                    problems.push(problem(
                        code,
                        format!("{reference:?} would be published at {published:?}, which cannot be a file: {why}"),
                        "give the file and the folders above it shorter names, with no empty segment (`//`)",
                    ));
                    continue;
                }
            };
            let real = match std::fs::symlink_metadata(&source).and_then(|_| source.canonicalize()) {
                Ok(real) if real.is_file() && real.starts_with(self.root_abs) => real,
                Ok(real) if real.is_file() => {
                    problems.push(problem(
                        Code::BrokenLink,
                        format!("{reference:?} is a link to {}, outside the content folder", real.display()),
                        "keep the files a body shows inside content/",
                    ));
                    continue;
                }
                // A site moving in holds such references by the dozen: the
                // feeds link it as written, made absolute, and nothing is
                // published for it.
                _ => {
                    problems.push(problem(
                        Code::DanglingLink,
                        format!(
                            "{reference:?} leads to no file (looked for {}): feeds link {published} and nothing is published there",
                            source.display()
                        ),
                        "a relative reference to a file is relative to this Markdown file, e.g. moon.png beside it",
                    ));
                    continue;
                }
            };
            if !assets.iter().any(|a| a.out_path == out_path) {
                assets.push(Asset { source: real, out_path, url: published });
            }
        }
        assets
    }
}

/// Every asset of the store's items, once per output path, in the items'
/// order: the files a build copies beside the PDFs.
pub fn all_assets(items: &[&Item]) -> Vec<(PathBuf, Vec<String>)> {
    let mut seen = std::collections::HashSet::new();
    items
        .iter()
        .flat_map(|item| &item.assets)
        .filter(|a| seen.insert(a.out_path.clone()))
        .map(|a| (a.source.clone(), a.out_path.clone()))
        .collect()
}
