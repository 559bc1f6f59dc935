//! Loading the content store: every file of every section is read and
//! checked (in parallel), then the checks that span files (duplicate slugs
//! and ids) run, then drafts and scheduled items are set aside. All problems
//! are collected, so one run reports everything that is wrong.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use std::ffi::OsString;
use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;

use super::date;
use super::file::{FileLoad, Loader, Parsed};
use super::item::{Item, Section};
use super::link::{Link, lexical, link_target};
use super::page::{Page, SectionPage};
use super::parsed_cache::{Next, ParsedCache};
use super::site::Site;
use super::wire::Borrowed;
use crate::diagnostic::{Code, Diagnostic, Pos, Severity, sort_problems};

/// The whole content store, ready for the renderers.
#[derive(Debug)]
#[allow(clippy::vec_box, reason = "the items stay where the load made them: see `news`")]
pub struct Store {
    pub site: Site,
    /// `site.toml`, as problems of the site name it.
    pub site_path: PathBuf,
    /// Published news of every news section, newest first (ties broken by
    /// slug): the renderers and the archive work by kind; feeds and the
    /// sitemap pick a section's out by `Item::section_name`. Boxed as the
    /// parallel load made them: moving 110,000 items of 400 bytes into a
    /// list, then into the sections' lists, held two copies of them at once
    /// and left the first in the allocator's per-thread arenas (a rebuild's
    /// peak 337 → 265 MiB at agency scale, BENCHMARKS.md).
    pub news: Vec<Box<Item>>,
    /// Published publications of every publications section, likewise.
    pub publications: Vec<Box<Item>>,
    /// Each section's own page (`_index.md`), by section name.
    pub section_pages: BTreeMap<String, SectionPage>,
    pub pages: Vec<Page>,
    /// Problems that do not stop a build (scheduled items…).
    pub warnings: Vec<Diagnostic>,
    /// The URL of each published file, by its path as `lexical` spells it
    /// (its bytes: `lexical` gives one spelling per path, and every lookup
    /// is a `link_target`, spelt the same; a `Path`'s own hash walks its
    /// components, 110,000 keys of a load): what a Markdown link to another
    /// content file turns into.
    urls: FxHashMap<OsString, String>,
    /// The content files each published item's body links to (canonical
    /// paths, keys of `urls`), by the item's source: what its HTML depends
    /// on beyond its own file (`crate::reuse`).
    links: FxHashMap<PathBuf, Vec<PathBuf>>,
    /// The cache of parsed files this load leaves, where it is not the one
    /// it read: a build writes it (`take_parsed_cache`).
    parsed_cache: std::sync::Mutex<Option<Next>>,
}

impl Store {
    pub fn section(&self, section: Section) -> &[Box<Item>] {
        match section {
            Section::News => &self.news,
            Section::Publications => &self.publications,
        }
    }

    /// The published items of the section named `name`, newest first.
    pub fn in_section<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Item> + 's {
        let kind = self.site.section(name).map(|s| s.kind);
        kind.map(|kind| self.section(kind))
            .unwrap_or_default()
            .iter()
            .map(Box::as_ref)
            .filter(move |i| i.section_name == name)
    }

    /// The URL of the content file that `link` (a relative, percent-encoded
    /// path written in `from`, or Zola's `@/` path from the content folder)
    /// leads to, if that file is published. A `@/` link to no published file
    /// (warned at load) is its path under the base URL, as Zola's sections
    /// map onto the site: resolved against the item's URL it would be
    /// `…/@/…`, which no site serves.
    pub fn content_url(&self, from: &Path, link: &str) -> Option<String> {
        let root = self.site_path.parent()?;
        let found = self.urls.get(link_target(root, from, link).as_os_str()).cloned();
        found.or_else(|| Some(crate::url::resolve(self.site.base_url.as_str(), link.strip_prefix("@/")?)))
    }

    /// The URL each content link of the item read from `source` leads to
    /// (`None`: to no published file), in the body's order.
    pub fn linked_urls(&self, source: &Path) -> Vec<Option<&str>> {
        let targets = self.links.get(source).map_or(&[][..], Vec::as_slice);
        targets.iter().map(|t| self.urls.get(t.as_os_str()).map(String::as_str)).collect()
    }

    /// The cache of parsed files this load leaves, if it differs from the
    /// one read: once.
    pub fn take_parsed_cache(&self) -> Option<Next> {
        self.parsed_cache.lock().ok()?.take()
    }

    /// Reads and checks the store at `root`. `now` decides which items are
    /// scheduled for later. On error, every problem found is returned.
    #[cfg(test)]
    pub fn load(root: &Path, now: Timestamp) -> Result<Store, Vec<Diagnostic>> {
        Store::load_cached(root, now, None)
    }

    /// `load`, taking what the cache of parsed files in the cache folder
    /// `cache_dir` holds for files in the very state it recorded
    /// (`parsed_cache`); the cache this load leaves is `parsed_cache`'s to
    /// take.
    pub fn load_cached(root: &Path, now: Timestamp, cache_dir: Option<&Path>) -> Result<Store, Vec<Diagnostic>> {
        let site_path = root.join("site.toml");
        let site = read_site(&site_path);
        // A broken site.toml does not hide the problems of the other files:
        // they are checked against a stand-in site, and all are reported.
        let (site, mut problems, cache_dir) = match site {
            Ok((site, note)) => (site, note.into_iter().collect(), cache_dir),
            Err(problems) => (Site::stand_in(), problems, None),
        };
        let root_abs = root.canonicalize().map_err(|e| {
            vec![Diagnostic::new(Code::Io, root, Pos::FILE, format!("cannot open the content folder: {e}"))]
        })?;

        let dirs: Vec<&str> = site.sections.iter().map(|s| s.name.as_str()).collect();
        // The folders are listed while the cache is read: a folder of
        // 100,000 news items is a fifth of a second of one core. Listed on
        // this thread: their names are freed where the rest of the build
        // allocates (in a worker's arena, they were 10 MiB more at the peak).
        let ((files, others, folders), mut cache) = std::thread::scope(|scope| {
            let cache = scope.spawn(|| {
                let site_text = fs::read(&site_path).ok()?;
                Some(ParsedCache::read(cache_dir?, root, &root_abs, &site_text))
            });
            let walked = walk(root, &root_abs, &dirs, &mut problems);
            (walked, cache.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
        });
        problems.extend(cache.as_mut().and_then(|c| c.note.take()));
        let given: Vec<(&str, PathBuf)> = folders.iter().map(|&(dir, _)| (dir, root.join(dir))).collect();
        let ctx =
            Loader { root, root_abs: &root_abs, site: &site, folders: &folders, given: &given, cache: cache.as_ref() };
        let results: Vec<FileLoad> =
            files.par_iter().map(|f| ctx.load_file(f.dir, &f.rel, f.name(), f.link, f.index)).collect();
        let mut next = cache.map(ParsedCache::next);
        let mut section_pages = BTreeMap::new();

        // Sized once: a vector of 100,000 items grown by doubling holds the
        // old and the new buffer at once, a fifth of the load's peak.
        let mut items = Vec::with_capacity(results.len());
        let mut pages = Vec::new();
        let mut links = Vec::new();
        let mut kept: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
        for (entry, mut found, keys, how) in results {
            problems.append(&mut found);
            if let (Some(next), Some(Parsed::Item { item, draft, id_pos, slug_pos, date_pos, links, pdf })) =
                (&mut next, &entry)
            {
                let poses = [*id_pos, *slug_pos, *date_pos];
                next.add(how, Borrowed { item, draft: *draft, poses, links, kept: &keys, pdf: pdf.as_ref() });
            }
            for key in keys {
                *kept.entry(key).or_default() += 1;
            }
            match entry {
                Some(Parsed::Item { item, draft, id_pos, slug_pos, date_pos, links: found, .. }) => {
                    // The item (made on another core) looked at only for its links.
                    if !found.is_empty() && published(&item, draft, now) {
                        links.extend(found.into_iter().map(|link| (item.source.clone(), link)));
                    }
                    items.push((item, draft, id_pos, slug_pos, date_pos))
                }
                Some(Parsed::Page(page, pos)) => pages.push((page, pos)),
                Some(Parsed::SectionPage(name, page)) => match section_pages.get(&name) {
                    // `_index.md` beside `_index.markdown`: the first by name is read.
                    Some(first) => problems.push(second_index(&page.source, first)),
                    None => {
                        section_pages.insert(name, page);
                    }
                },
                None => {}
            }
        }

        // The checks across files and the map of URLs need each other's
        // result no more than the cores do: a tenth of a second each at
        // 50,000 items, which would otherwise run while one core waits.
        let (duplicates, urls) = rayon::join(|| check_duplicates(&items, &pages), || url_map(&items, &pages, now));
        problems.extend(duplicates);
        problems.extend(unpublished_links(&links, &urls));
        let mut link_targets: FxHashMap<PathBuf, Vec<PathBuf>> = FxHashMap::default();
        for (source, link) in links {
            link_targets.entry(source).or_default().push(link.target);
        }
        let unread = unread_note(root, &root_abs, &others, &items);
        let (mut news, mut publications) = set_aside(items, now, &site, &mut problems);
        sort_problems(&mut problems);
        problems.extend(kept_note(root, &kept));
        gather_stubs(root, &mut problems);
        // Which files the items show is known only when every item loaded.
        if !problems.iter().any(|d| d.severity() == Severity::Error) {
            problems.extend(unread);
        }
        if problems.iter().any(|d| d.severity() == Severity::Error) {
            return Err(problems);
        }
        for list in [&mut news, &mut publications] {
            list.par_sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        }
        let mut pages: Vec<Page> = pages.into_iter().map(|(p, _)| p).collect();
        pages.sort_by(|a, b| a.slug.cmp(&b.slug));
        Ok(Store {
            site,
            site_path,
            news,
            publications,
            section_pages,
            pages,
            warnings: problems,
            urls,
            links: link_targets,
            parsed_cache: std::sync::Mutex::new(next.filter(Next::changed)),
        })
    }
}

/// The one note of a run on the files of the sections that are not read:
/// neither content files nor shown by any item (a PDF no publication names,
/// an image no body shows, an `_index.md` below a section's top). Nothing is skipped
/// without a word, and a site's own files there fail nothing.
fn unread_note(root: &Path, root_abs: &Path, others: &[PathBuf], items: &[Loaded]) -> Option<Diagnostic> {
    if others.is_empty() {
        return None;
    }
    // By their bytes, borrowed: both sides are resolved paths, and a
    // `Path`'s hash walks its components (10,000 PDFs, on the load's one
    // thread); a path spelt otherwise is found by `canonicalize` below.
    let shown: FxHashSet<&[u8]> = items
        .iter()
        .flat_map(|(item, ..)| {
            let pdf = item.publication.as_ref().map(|p| p.pdf.source.as_path());
            item.assets.iter().map(|a| a.source.as_path()).chain(pdf)
        })
        .map(|path| path.as_os_str().as_encoded_bytes())
        .collect();
    let known = |path: &Path| shown.contains(path.as_os_str().as_encoded_bytes());
    // A file's path below the resolved root is the one a publication
    // shows when no part of it is a link: found so, it needs no
    // `canonicalize` (half a dozen system calls for each of 10,000 PDFs).
    let is_shown = |p: &PathBuf| {
        p.strip_prefix(root).is_ok_and(|rel| known(&root_abs.join(rel)))
            || p.canonicalize().is_ok_and(|real| known(&real))
    };
    let unread: Vec<&PathBuf> = others.iter().filter(|p| !is_shown(p)).collect();
    if unread.is_empty() {
        return None;
    }
    let names: Vec<String> = unread
        .iter()
        .take(5)
        .map(|p| format!("{:?}", p.strip_prefix(root).unwrap_or(p).display().to_string()))
        .collect();
    let more = if unread.len() > 5 { format!(" and {} more", unread.len() - 5) } else { String::new() };
    let message = format!(
        "{} file(s) in the sections are not read (not content files, and no item shows them): {}{more}",
        unread.len(),
        names.join(", ")
    );
    Some(
        Diagnostic::new(Code::UnreadFiles, root, Pos::FILE, message)
            .with_hint("nothing to do if they are the site's own; a post missing from the feeds may be among them"),
    )
}

/// The one note of a run on the keys kept for templates, with how many
/// files hold each.
fn kept_note(root: &Path, kept: &std::collections::BTreeMap<String, usize>) -> Option<Diagnostic> {
    if kept.is_empty() {
        return None;
    }
    let list: Vec<String> =
        kept.iter().map(|(key, n)| format!("{key} ({n} file{})", if *n == 1 { "" } else { "s" })).collect();
    let message = format!("front matter keys kept for templates as item.extra: {}", list.join(", "));
    Some(
        Diagnostic::new(Code::KeptKeys, root, Pos::FILE, message)
            .with_hint("other generators' keys are kept, not refused; nothing to do unless one is a misspelling"),
    )
}

/// A section's second `_index` page (`_index.md` beside `_index.markdown`),
/// which is not read.
fn second_index(file: &Path, first: &SectionPage) -> Diagnostic {
    let message = format!("a second page of the section: not read ({} is)", first.source.display());
    Diagnostic::new(Code::UnreadFile, file, Pos::FILE, message)
        .with_hint("keep one _index file in the section's folder")
}

/// The files left out as stubs (N0110), each found on its own, gathered
/// into one note: a site moving in may have hundreds of redirect stubs.
fn gather_stubs(root: &Path, problems: &mut Vec<Diagnostic>) {
    let stubs: Vec<String> = problems
        .iter()
        .filter(|d| d.code == Code::Stub)
        .map(|d| format!("{:?}", d.file.strip_prefix(root).unwrap_or(&d.file).display().to_string()))
        .collect();
    if stubs.is_empty() {
        return;
    }
    problems.retain(|d| d.code != Code::Stub);
    let more = if stubs.len() > 5 { format!(" and {} more", stubs.len() - 5) } else { String::new() };
    let message = format!(
        "{} file(s) with neither title nor date are left out (redirect stubs?): {}{more}",
        stubs.len(),
        stubs[..stubs.len().min(5)].join(", ")
    );
    problems.push(
        Diagnostic::new(Code::Stub, root, Pos::FILE, message)
            .with_hint("nothing to do if they are stubs; give a post its title and date to publish it"),
    );
}

/// `site.toml`, read and checked.
fn read_site(site_path: &Path) -> Result<(Site, Option<Diagnostic>), Vec<Diagnostic>> {
    match super::regular::read(site_path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Site::parse(site_path, &text).map(|site| {
                let note = robots_below_root(&site, site_path, &text);
                (site, note)
            }),
            Err(_) => Err(vec![Diagnostic::new(Code::NotUtf8, site_path, Pos::FILE, "the file is not valid UTF-8")]),
        },
        Err(e) => Err(vec![
            Diagnostic::new(Code::Io, site_path, Pos::FILE, format!("cannot read the site settings: {e}")).with_hint(
                "a content store has a site.toml with title, base_url, description, language, publisher and copyright",
            ),
        ]),
    }
}

/// The note of a site under a path (`https://host/space/`) that writes a
/// robots.txt: crawlers read `/robots.txt` at the host's root only, so
/// `/space/robots.txt` is never read, and its sitemap line never seen.
fn robots_below_root(site: &Site, site_path: &Path, text: &str) -> Option<Diagnostic> {
    let url = site.base_url.as_str();
    let after_host = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_host.find('/').map_or("/", |at| &after_host[at..]);
    if !site.outputs.robots || path == "/" {
        return None;
    }
    let robots = format!("{url}robots.txt");
    let root = &url[..url.len() - path.len() + 1];
    let message = format!("robots.txt is written at {robots}, where crawlers never look (they read {root}robots.txt)");
    let hint = match site.outputs.sitemap {
        true => format!("set robots = false under [outputs], and name {url}sitemap.xml in {root}robots.txt"),
        false => "set robots = false under [outputs]".to_owned(),
    };
    let pos = crate::toml_file::key_pos(text, "base_url");
    Some(Diagnostic::new(Code::RobotsBelowRoot, site_path, pos, message).with_hint(hint))
}

/// The content files of every section, as (section folder, path within it,
/// the name its slug and date come from, whether the file is a link).
/// Subfolders are read (a site's `news/2021/…`); a folder that holds an
/// `index.md` is a page bundle: one item, named after the folder, whose
/// other files are its assets. Names starting with `.` are hidden files of
/// editors and systems, left. A section's `_index.md` (at its top) is the
/// section's own page in Hugo and Zola, not an item: found with `index`
/// set; one deeper (a Hugo branch bundle's) is left with a note
/// (`Store::load` reports the files read and not read). `sections`: the
/// folders of the site's sections. With each section folder, resolved.
fn walk<'r>(
    root: &Path,
    root_abs: &Path,
    sections: &[&'r str],
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Found<'r>>, Vec<PathBuf>, Vec<(&'r str, PathBuf)>) {
    let mut files = Vec::new();
    let mut others = Vec::new();
    let mut folders = Vec::new();
    for &dir in sections.iter().chain(&["pages"]) {
        // Nothing outside the content folder is read, even through a
        // link: a section folder is resolved once, its files only when
        // they are links themselves; below it, only real folders are
        // walked (`list_markdown`).
        let path = root.join(dir);
        match path.canonicalize() {
            Ok(real) if !real.starts_with(root_abs) => {
                let message = format!("the folder is a link to {}, outside the content folder", real.display());
                problems.push(
                    Diagnostic::new(Code::FileEscapes, &path, Pos::FILE, message)
                        .with_hint("keep content files inside content/ (no link to elsewhere)"),
                );
                continue;
            }
            Ok(real) => folders.push((dir, real)),
            Err(_) => {}
        }
        let mut unread = Vec::new();
        if let Err(d) =
            list_markdown(&path, "", dir, &mut Listing { found: &mut files, others: &mut others, unread: &mut unread })
        {
            problems.push(d);
        }
        // Which files the items show is known only when every item loaded.
        if !problems.iter().any(|d| d.severity() == Severity::Error) {
            problems.extend(unread);
        }
    }
    (files, others, folders)
}

/// What `list_markdown` finds: the content files, the other files (read
/// only if an item shows them), and the problems of names.
struct Listing<'l, 'r> {
    found: &'l mut Vec<Found<'r>>,
    others: &'l mut Vec<PathBuf>,
    unread: &'l mut Vec<Diagnostic>,
}

/// A content file found by `walk`.
pub(super) struct Found<'r> {
    pub dir: &'r str,
    /// `/`-separated, under the section's folder.
    pub rel: String,
    /// Where `rel` holds the file's name without its extension, or a
    /// bundle's folder name (`name`): not a string of its own for each of
    /// 100,000 files, made on the load's one thread.
    pub name: Range<usize>,
    pub link: bool,
    /// The section's own page, `_index.md` at its top.
    pub index: bool,
}

impl Found<'_> {
    /// The file's name without its extension, or a bundle's folder name.
    pub fn name(&self) -> &str {
        &self.rel[self.name.clone()]
    }
}

/// The extensions read as Markdown (Jekyll's, Hugo's and Zola's).
pub const MARKDOWN: [&str; 4] = ["md", "markdown", "mdown", "mkd"];

/// The files of a page bundle but its `index`: its assets, if its body
/// shows them.
fn bundle_files(dir: &Path, index: &Path, others: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut paths: Vec<(PathBuf, bool)> = entries
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    paths.sort();
    for (path, is_dir) in paths {
        match is_dir {
            true => bundle_files(&path, index, others),
            false if path != index => others.push(path),
            false => {}
        }
    }
}

/// `name` without its `.html` or `.htm`, if it has one.
fn html_stem(name: &str) -> Option<&str> {
    name.strip_suffix(".html")
        .or_else(|| name.strip_suffix(".htm"))
        .filter(|stem| !stem.is_empty() && *stem != "_index")
}

/// Whether the file at `path` starts with a front matter fence (after a
/// BOM and blank lines, as `Source::parse` reads it): an HTML file so
/// written is a post of Jekyll or Hugo, with an HTML body; any other is
/// the site's own HTML, left alone. Only the first bytes are read.
fn has_front_matter(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 512];
    let Ok(n) = fs::File::open(path).and_then(|mut f| f.read(&mut head)) else { return false };
    let text = String::from_utf8_lossy(&head[..n]);
    let text = text.trim_start_matches('\u{feff}').trim_start_matches([' ', '\t', '\r', '\n']);
    ["---\n", "---\r\n", "+++\n", "+++\r\n", "{"].iter().any(|fence| text.starts_with(fence))
}

/// A name a person meant as Markdown that pressroom does not read as such:
/// another case or flavour of the extension, or an editor's backup of one.
fn markdown_like(name: &str) -> bool {
    let lower = name.to_lowercase();
    let lower = lower.trim_end_matches('~');
    let flavours = ["md", "markdown", "mdown", "mkd", "mkdn", "mdwn", "mdx", "rmd"];
    lower.split('.').skip(1).any(|part| flavours.contains(&part))
}

/// `name` without its Markdown extension, if it has one.
pub fn markdown_stem(name: &str) -> Option<&str> {
    let (stem, ext) = name.rsplit_once('.')?;
    MARKDOWN.contains(&ext).then_some(stem)
}

/// An item being loaded: the item, whether it is a draft, and where its
/// id, slug and date are written.
type Loaded = (Box<Item>, bool, Pos, Pos, Pos);

/// The URL of each item `set_aside` will publish and of each page, by the
/// file's path as `content_url` looks it up.
fn url_map(items: &[Loaded], pages: &[(Page, Pos)], now: Timestamp) -> FxHashMap<OsString, String> {
    // Each key spelt and each URL copied on every core; then only inserted.
    let entry = |(source, url): (&PathBuf, &String)| (lexical(source).into_os_string(), url.clone());
    let items: Vec<(OsString, String)> = items
        .par_iter()
        .filter(|(item, draft, ..)| published(item, *draft, now))
        .map(|l| entry((&l.0.source, &l.0.url)))
        .collect();
    let mut map = FxHashMap::with_capacity_and_hasher(items.len() + pages.len(), Default::default());
    map.extend(items);
    map.extend(pages.iter().map(|(p, _)| entry((&p.source, &p.url))));
    map
}

/// Whether an item is published as of `now`: neither a draft nor dated later.
fn published(item: &Item, draft: bool, now: Timestamp) -> bool {
    !draft && item.date <= now
}

/// One slug on one URL in a section is a mistake said plainly, naming both
/// files; a slug shared by items whose URLs differ (`/news/{year}/{slug}/`,
/// or an item's own `url` or `path`) is how sites are written. Two items
/// on one URL with different slugs are the output plan's to find
/// (`plan::same_page_urls`). Sections are apart: each has its own URLs.
/// Publications of two sections may not share a slug at all: the archive's
/// bags, which hold every publication, name a PDF's folder by its slug.
/// Ids are unique across the store.
fn check_duplicates(items: &[Loaded], pages: &[(Page, Pos)]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut slugs: FxHashMap<(Option<&str>, &str, &str), &Path> =
        FxHashMap::with_capacity_and_hasher(items.len() + pages.len(), Default::default());
    let mut publications: FxHashMap<&str, (&str, &Path)> = FxHashMap::default();
    let mut ids: FxHashMap<&str, &Path> = FxHashMap::with_capacity_and_hasher(items.len(), Default::default());
    for (item, _, id_pos, slug_pos, _) in items {
        if let Some(first) = slugs.insert((Some(&item.section_name), &item.slug, &item.url), &item.source) {
            let mut d = duplicate(Code::DuplicateSlug, &item.source, *slug_pos, "slug", &item.slug, first);
            d.message.push_str(&format!(", on the same URL {}", item.url));
            problems.push(d);
        } else if item.section == Section::Publications
            && let Some((section, first)) = publications.insert(&item.slug, (&item.section_name, &item.source))
            && section != item.section_name
        {
            let mut d = duplicate(Code::DuplicateSlug, &item.source, *slug_pos, "slug", &item.slug, first);
            d.message.push_str(", a publication of another section: the archive's bags name its folder by the slug");
            problems.push(d);
        }
        if let Some(first) = ids.insert(&item.id, &item.source) {
            problems.push(duplicate(Code::DuplicateId, &item.source, *id_pos, "id", &item.id, first));
        }
    }
    for (page, pos) in pages {
        if let Some(first) = slugs.insert((None, &page.slug, &page.url), &page.source) {
            let mut d = duplicate(Code::DuplicateSlug, &page.source, *pos, "slug", &page.slug, first);
            d.message.push_str(&format!(", on the same URL {}", page.url));
            problems.push(d);
        }
    }
    problems
}

/// Drafts left out; items dated after `now` left out with a warning; the
/// rest by section.
#[allow(clippy::vec_box, reason = "the items stay where the load made them (`Store::news`)")]
fn set_aside(
    items: Vec<Loaded>,
    now: Timestamp,
    site: &Site,
    problems: &mut Vec<Diagnostic>,
) -> (Vec<Box<Item>>, Vec<Box<Item>>) {
    // Sized once: 100,000 items grown by doubling end in room for 131,072,
    // a third of it unused, and hold the old and the new buffer at once.
    let news_count = items.iter().filter(|(item, ..)| item.section == Section::News).count();
    let mut news = Vec::with_capacity(news_count);
    let mut publications = Vec::with_capacity(items.len() - news_count);
    for (item, draft, _, _, date_pos) in items {
        if draft {
            continue;
        }
        if !published(&item, draft, now) {
            problems.push(
                Diagnostic::new(
                    Code::FutureItem,
                    &item.source,
                    date_pos,
                    format!("dated {}: left out until then", date::rfc3339(item.date, &site.timezone)),
                )
                .with_hint("scheduled publishing; set SOURCE_DATE_EPOCH to build as of another time"),
            );
            continue;
        }
        match item.section {
            Section::News => news.push(item),
            Section::Publications => publications.push(item),
        }
    }
    (news, publications)
}

/// Links to content files that lead to one that is not published (a draft,
/// an item scheduled for later, a file that is no item or page): warned
/// as a link to no file is, and linked as written.
fn unpublished_links(links: &[(PathBuf, Link)], urls: &FxHashMap<OsString, String>) -> Vec<Diagnostic> {
    let unpublished = links.iter().filter(|(_, l)| !urls.contains_key(l.target.as_os_str()));
    let problem = |(source, l): &(PathBuf, Link)| {
        let message = format!(
            "the link to {:?} leads to {}, which is not published (a draft, scheduled for later, or not an item or page): feeds link it as written",
            l.link,
            l.target.display()
        );
        Diagnostic::new(Code::DanglingLink, source, l.pos, message)
            .with_hint("link to a published item, or publish the one linked")
    };
    unpublished.map(problem).collect()
}

fn duplicate(code: Code, file: &Path, pos: Pos, what: &str, value: &str, first: &Path) -> Diagnostic {
    Diagnostic::new(code, file, pos, format!("{what} {value:?} is already used by {}", first.display()))
        .with_hint(format!("give this file its own {what}"))
}

/// The Markdown files under `dir` (`prefix` is its path within the
/// section), into `found`, sorted.
fn list_markdown<'r>(dir: &Path, prefix: &str, section: &'r str, into: &mut Listing<'_, 'r>) -> Result<(), Diagnostic> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Diagnostic::new(Code::Io, dir, Pos::FILE, format!("cannot list the folder: {e}"))),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| Diagnostic::new(Code::Io, dir, Pos::FILE, format!("cannot list the folder: {e}")))?;
        let Ok(name) = entry.file_name().into_string() else {
            return Err(Diagnostic::new(Code::NotUtf8, entry.path(), Pos::FILE, "the file name is not valid UTF-8"));
        };
        if name.starts_with('.') {
            continue;
        }
        // The type comes with the directory entry: no system call.
        let kind = entry.file_type().ok();
        names.push((name, kind.is_none_or(|t| t.is_symlink()), kind.is_some_and(|t| t.is_dir())));
    }
    // A folder's names are unique: no order among equals to keep.
    names.sort_unstable();
    for (name, link, is_dir) in names {
        let rel = format!("{prefix}{name}");
        // `name`'s first `len` bytes, where `rel` holds them.
        let named = |len: usize| prefix.len()..prefix.len() + len;
        if is_dir {
            let bundle = MARKDOWN
                .iter()
                .map(|ext| format!("index.{ext}"))
                .find(|index| dir.join(&name).join(index).is_file())
                .or_else(|| Some("index.html".to_owned()).filter(|i| has_front_matter(&dir.join(&name).join(i))));
            match bundle {
                Some(index) => {
                    let bundle = dir.join(&name);
                    let link = fs::symlink_metadata(bundle.join(&index)).is_ok_and(|m| m.is_symlink());
                    bundle_files(&bundle, &bundle.join(&index), into.others);
                    let name = named(name.len());
                    into.found.push(Found { dir: section, rel: format!("{rel}/{index}"), name, link, index: false });
                }
                None => list_markdown(&dir.join(&name), &format!("{rel}/"), section, into)?,
            }
        } else if let Some(stem) = markdown_stem(&name).filter(|stem| *stem != "_index") {
            into.found.push(Found { dir: section, name: named(stem.len()), rel, link, index: false });
        } else if let Some(stem) = html_stem(&name).filter(|_| has_front_matter(&dir.join(&name))) {
            into.found.push(Found { dir: section, name: named(stem.len()), rel, link, index: false });
        } else if markdown_stem(&name) == Some("_index") && prefix.is_empty() && section != "pages" {
            into.found.push(Found { dir: section, name: named("_index".len()), rel, link, index: true });
        } else if !markdown_like(&name) || markdown_stem(&name).is_some() {
            // A deeper `_index.md`, images, PDFs…: read only where an item shows them.
            into.others.push(dir.join(&name));
        } else {
            let message = format!(
                "{name:?} is not read: its name looks like Markdown, but pressroom reads .md, .markdown, .mdown and .mkd"
            );
            into.unread.push(
                Diagnostic::new(Code::UnreadFile, dir.join(&name), Pos::FILE, message)
                    .with_hint("rename it, or move it out of the section folder"),
            );
        }
    }
    Ok(())
}
