//! Every path a build writes and every URL the sitemap lists, worked out
//! before anything is written, and checked: no two outputs at one path, also
//! after case folding and Unicode (NFC) normalisation, which is how macOS,
//! Windows and most unzip tools compare names; no path both a file and a
//! folder; no file name over 255 bytes (the limit of ext4, APFS and NTFS);
//! no bag path component over 255 bytes once escaped for the bag.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::content::{Item, Section, Source, Store};
use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::feed_def::FeedDef;
use crate::out_path::MAX_NAME;

/// Who makes an output path: the file to name in a problem, where in it.
struct Owner {
    file: PathBuf,
    pos: Pos,
    /// From the content (a slug, a PDF's name) rather than fixed by pressroom.
    content: bool,
}

/// Every problem of the outputs' paths; empty when a build can write them all.
pub fn check(store: &Store, feeds: &[FeedDef], feeds_dir: &Path) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut outputs = pressroom_outputs(store, feeds, feeds_dir);
    // The files bodies reference: once per path (two items may show one).
    let items: Vec<_> = store.news.iter().chain(&store.publications).collect();
    let mut placed = std::collections::HashSet::new();
    for item in &items {
        for asset in item.assets.iter().filter(|a| placed.insert((a.out_path.clone(), a.source.clone()))) {
            let owner = Owner { file: item.source.clone(), pos: Pos::FILE, content: true };
            outputs.push((asset.out_path.clone(), owner));
        }
    }
    for item in &store.publications {
        let Some(p) = &item.publication else { continue };
        let owner = Owner { file: item.source.clone(), pos: slug_pos(&item.source), content: true };
        outputs.push((p.pdf.out_path.clone(), owner));
        for (segment, what, pos) in
            [(&item.slug, "slug", slug_pos(&item.source)), (&p.pdf.file_name, "PDF file name", value_pos(item, "file"))]
        {
            if segment.len() > MAX_NAME {
                problems.push(too_long(item, pos, what, segment.len(), "file systems take 255"));
            }
            let escaped = crate::archive::bag_segment(segment).len();
            if escaped > MAX_NAME && segment.len() <= MAX_NAME {
                let why = "escaped for the bag's paths; unzip tools take 255";
                problems.push(too_long(item, pos, what, escaped, why));
            }
        }
    }
    // The longest bundle name: `<site>-publications-YYYY.zip.sha256`, also
    // the bag's top folder.
    let bundle = format!("{}-publications-0000.zip.sha256", crate::archive::site_slug(&store.site));
    if !store.publications.is_empty() && bundle.len() > MAX_NAME {
        let site = store.site_path.clone();
        let pos = crate::content::regular::read_to_string(&site)
            .map_or(Pos::FILE, |t| crate::toml_file::key_pos(&t, "base_url"));
        problems.push(
            Diagnostic::new(
                Code::PathTooLong,
                site,
                pos,
                format!(
                    "the archive bundles' names, made from the host, are {} bytes long: file systems take 255",
                    bundle.len()
                ),
            )
            .with_hint("a shorter host in base_url"),
        );
    }
    collisions(&outputs, &mut problems);
    same_page_urls(store, &mut problems);
    // A page's URL may not be a section's, a feed's page or the archive's:
    // the sitemap would list it twice, and pressroom writes the latter two.
    let taken: Vec<String> = Section::ALL
        .into_iter()
        .map(|s| s.dir().to_owned())
        .chain(feeds.iter().map(|d| fold(&d.folder())))
        .chain(["archive".to_owned()])
        .collect();
    for page in &store.pages {
        let folded = fold(&page.slug);
        if let Some(section) = taken.iter().find(|s| **s == folded) {
            let pos = slug_pos(&page.source);
            problems.push(
                Diagnostic::new(
                    Code::PathCollision,
                    &page.source,
                    pos,
                    format!(
                        "the page's slug {:?} is the URL of pressroom's {section}/ (a section, a feed or the archive)",
                        page.slug
                    ),
                )
                .with_hint("give the page another slug"),
            );
        }
    }
    problems
}

/// The files pressroom writes whatever the content: each feed's documents
/// and page (and archive documents), the lists, the sitemap, the archive's
/// own files.
fn pressroom_outputs(store: &Store, feeds: &[FeedDef], feeds_dir: &Path) -> Vec<(Vec<String>, Owner)> {
    let mut outputs: Vec<(Vec<String>, Owner)> = Vec::new();
    let fixed = |file: PathBuf| Owner { file, pos: Pos::FILE, content: false };
    for def in feeds {
        let file = feeds_dir.join(format!("{}.toml", def.name));
        outputs.push((with(&def.path, &["index.html"]), fixed(file.clone())));
        // The archive documents (RFC 5005) where the feed has any.
        let items = def.items(store);
        let periods = match def.archive && items.len() > def.limit {
            true => crate::render::history::periods(&items, &store.site.timezone),
            false => Vec::new(),
        };
        for format in &def.formats {
            outputs.push((with(&def.path, &[format.file_name()]), fixed(file.clone())));
            for period in &periods {
                let path = with(&def.path, &["archive", &period.name, format.file_name()]);
                outputs.push((path, fixed(file.clone())));
            }
        }
    }
    for name in ["sitemap.xml", "robots.txt", "feeds.opml", "feeds-head.html"] {
        outputs.push((vec![name.to_owned()], fixed(PathBuf::from("(pressroom)"))));
    }
    for name in ["index.json", "index.html", "SHA256SUMS", "SHA512SUMS", "bagit-profile.json"] {
        outputs.push((vec!["archive".to_owned(), name.to_owned()], fixed(PathBuf::from("(pressroom)"))));
    }
    outputs
}

/// Two pages on one URL (`[urls]` patterns, an item's own `url`): the feeds
/// and the sitemap would send readers to the wrong one.
fn same_page_urls(store: &Store, problems: &mut Vec<Diagnostic>) {
    let mut pages: HashMap<&str, &Path> = HashMap::new();
    let sources = store.news.iter().chain(&store.publications).map(|i| (i.url.as_str(), i.source.as_path()));
    for (url, source) in sources.chain(store.pages.iter().map(|p| (p.url.as_str(), p.source.as_path()))) {
        if let Some(first) = pages.insert(url, source) {
            let pos =
                source_pos(
                    source,
                    |s| if s.key_pos("url") != Pos::FILE { s.value_pos("url") } else { s.key_pos("slug") },
                );
            problems.push(
                Diagnostic::new(
                    Code::PathCollision,
                    source,
                    pos,
                    format!("the page URL {url} is also that of {}", first.display()),
                )
                .with_hint("give one of them another slug, or change the patterns of [urls] in site.toml"),
            );
        }
    }
}

/// `folder` followed by `rest`, as owned segments.
fn with(folder: &[String], rest: &[&str]) -> Vec<String> {
    folder.iter().cloned().chain(rest.iter().map(|s| (*s).to_owned())).collect()
}

/// Outputs at one path, or at a path that is another's folder.
fn collisions(outputs: &[(Vec<String>, Owner)], problems: &mut Vec<Diagnostic>) {
    let mut files: HashMap<String, usize> = HashMap::new();
    let mut folders: HashMap<String, usize> = HashMap::new();
    for (i, (segments, _)) in outputs.iter().enumerate() {
        for n in 1..segments.len() {
            folders.entry(key(&segments[..n])).or_insert(i);
        }
    }
    for (i, (segments, _)) in outputs.iter().enumerate() {
        let k = key(segments);
        let other = match files.get(&k) {
            Some(&first) => Some((first, true)),
            None => folders.get(&k).map(|&j| (j, false)),
        };
        files.entry(k).or_insert(i);
        let Some((j, same)) = other else { continue };
        let (first, second) = (&outputs[j], &outputs[i]);
        // Named at the content file that made the path, when one did.
        let (at, with) = if second.1.content || !first.1.content { (second, first) } else { (first, second) };
        let exact = first.0 == second.0;
        let whose =
            if with.1.content { with.1.file.display().to_string() } else { "a feed or pressroom's own file".into() };
        let (at_path, with_path) = (at.0.join("/"), with.0.join("/"));
        let mut message = if same {
            format!("writes {at_path}, the same path as {with_path} ({whose})")
        } else {
            format!("writes {at_path}, which clashes with {with_path} ({whose}): one would be the other's folder")
        };
        if !exact && same {
            message.push_str(
                ": names that differ only in case or Unicode normalisation are one file on macOS and Windows",
            );
        }
        problems.push(
            Diagnostic::new(Code::PathCollision, &at.1.file, at.1.pos, message)
                .with_hint("give one of them another slug or file name"),
        );
    }
}

/// A path as case-insensitive, normalising file systems compare it.
fn key(segments: &[String]) -> String {
    segments.iter().map(|s| fold(s)).collect::<Vec<_>>().join("/")
}

fn fold(segment: &str) -> String {
    segment.nfc().collect::<String>().to_lowercase().nfc().collect()
}

fn too_long(item: &Item, pos: Pos, what: &str, bytes: usize, why: &str) -> Diagnostic {
    Diagnostic::new(Code::PathTooLong, &item.source, pos, format!("the {what} is {bytes} bytes long: {why}"))
        .with_hint("shorten it")
}

/// Where the item's slug is written (the file itself when its name makes it).
fn slug_pos(source: &Path) -> Pos {
    source_pos(source, |s| if s.front_matter().contains("slug") { s.value_pos("slug") } else { Pos::FILE })
}

fn value_pos(item: &Item, key: &str) -> Pos {
    source_pos(&item.source, |s| s.value_pos(key))
}

/// A position in a content file, read again: positions are only needed for
/// the rare problem, so the store does not keep them.
fn source_pos(path: &Path, find: impl Fn(&Source) -> Pos) -> Pos {
    crate::content::regular::read(path).ok().and_then(|b| Source::parse(path, b).ok()).map_or(Pos::FILE, |s| find(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_joins_case_and_normalisation() {
        assert_eq!(fold("Report"), fold("report"));
        assert_eq!(fold("caf\u{e9}"), fold("cafe\u{301}"));
        assert_ne!(fold("cafe"), fold("caf\u{e9}"));
    }
}
