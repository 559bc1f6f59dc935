//! The output plan: every file a build will write, worked out once after
//! loading, before anything is written. `check` proves it (every document
//! it names rendered), `build` writes it (the staging folder takes no path
//! the plan does not name, and every path it names must be written), and the
//! record is the plan as written. Every rule about which files exist and
//! where lives here: the feeds' documents and their archive periods, the
//! pages, lists, sitemap, PDFs, the files bodies show, the bundles.
//!
//! And every rule about where they may not be: each path is an `OutPath`
//! (nothing outside the output); no two outputs at one path, also after
//! case folding and Unicode (NFC) normalisation, which is how macOS,
//! Windows and most unzip tools compare names; no path both a file and a
//! folder; none on the names pressroom keeps for itself (`.pressroom.json`,
//! `.pressroom-staging`, `.pressroom-lock`); no file name over 255 bytes
//! (ext4, APFS, NTFS); no bag path component over 255 bytes once escaped
//! for the bag.

use std::collections::BTreeSet;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::content::{Item, ItemKey, Section, Source, Store};
use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::feed_def::{FeedDef, Format};
use crate::out_path::{MAX_NAME, OutPath, Unfit};
use crate::output::OWN_NAMES;
use crate::render::feed::{Paging, store_updated};
use crate::render::history::{self, Period};
use crate::render::sitemap::{self, Sitemap};

/// Every file one build writes.
pub struct Plan<'s> {
    /// Each feed, in the order of its definitions.
    pub feeds: Vec<FeedPlan<'s>>,
    /// Which of pressroom's own outputs are written.
    pub writes: Writes,
    /// The sitemap's URLs and its files, when it is written.
    pub sitemap: Option<Sitemap<'s>>,
    files: BTreeSet<OutPath>,
}

/// One document the build writes from the model. `F` stands for the
/// document of a feed behind a page or a format: in the plan, which one
/// (`FeedKey`); to render, that document built (`&Feed`, its items'
/// HTML made once for its page and all its formats).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document<F> {
    /// A feed's page for people, over its subscription document.
    Page(F),
    /// A feed document in one format.
    Feed(F, Format),
    /// `feeds.opml`.
    Opml,
    /// `feeds-head.html`.
    FeedsHead,
    /// The `n`th file of the sitemap, in `Sitemap::names`' order.
    Sitemap(usize),
    /// `robots.txt`.
    Robots,
    /// One of the archive's own documents, made from the bundles as written.
    Archive(crate::archive::Own),
}

impl<F> Document<F> {
    /// The feed document it is made from, if any.
    pub fn feed(&self) -> Option<&F> {
        match self {
            Document::Page(f) | Document::Feed(f, _) => Some(f),
            _ => None,
        }
    }

    /// The same document with its feed document given by `find`; `None`
    /// when `find` has none to give.
    pub fn find<G, E>(self, find: impl FnOnce(F) -> Result<Option<G>, E>) -> Result<Option<Document<G>>, E> {
        Ok(Some(match self {
            Document::Page(f) => match find(f)? {
                Some(g) => Document::Page(g),
                None => return Ok(None),
            },
            Document::Feed(f, format) => match find(f)? {
                Some(g) => Document::Feed(g, format),
                None => return Ok(None),
            },
            Document::Opml => Document::Opml,
            Document::FeedsHead => Document::FeedsHead,
            Document::Sitemap(n) => Document::Sitemap(n),
            Document::Robots => Document::Robots,
            Document::Archive(own) => Document::Archive(own),
        }))
    }
}

/// Which feed document a page or a format is made from: the `feed`th
/// feed's subscription document, or its archive document of `period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedKey {
    pub feed: usize,
    pub period: Option<usize>,
}

/// Which of pressroom's own outputs a build writes: those `[outputs]` of
/// site.toml keeps on, and `archive/` only when there are publications to
/// bundle (no empty page, no empty checksum files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Writes {
    /// `sitemap.xml` and its numbered children.
    pub sitemap: bool,
    pub robots: bool,
    /// Everything under `archive/`.
    pub archive: bool,
}

impl Writes {
    pub fn of(store: &Store) -> Writes {
        let on = store.site.outputs;
        Writes { sitemap: on.sitemap, robots: on.robots, archive: on.archive && !store.publications.is_empty() }
    }
}

/// One feed: its items and the documents they go into.
pub struct FeedPlan<'s> {
    pub def: &'s FeedDef,
    /// Every item of the feed, newest first.
    pub items: Vec<&'s Item>,
    /// Its archive documents (RFC 5005), oldest first; none for a feed whose
    /// subscription document holds every item, or with `archive = false`.
    pub periods: Vec<Period<'s>>,
}

impl<'s> FeedPlan<'s> {
    fn new(def: &'s FeedDef, store: &'s Store) -> FeedPlan<'s> {
        let items = def.items(store);
        let periods = match def.archive && items.len() > def.limit {
            true => history::periods(&items, &store.site.timezone),
            false => Vec::new(),
        };
        FeedPlan { def, items, periods }
    }

    /// The items of the subscription document.
    pub fn newest(&self) -> &[&'s Item] {
        &self.items[..self.items.len().min(self.def.limit)]
    }

    /// How the subscription document links the archive documents.
    pub fn paging(&self) -> Paging {
        match self.periods.last() {
            _ if !self.def.archive => Paging::Off,
            None => Paging::Complete,
            Some(newest) => Paging::Current { newest: newest.name.clone() },
        }
    }

    /// The items of the subscription document (`period` none) or of an
    /// archive document, and how it links the others.
    pub fn document(&self, period: Option<usize>) -> (&[&'s Item], Paging) {
        match period {
            None => (self.newest(), self.paging()),
            Some(i) => (&self.periods[i].items, self.archive_paging(i)),
        }
    }

    /// The paging of the `i`th archive document.
    pub fn archive_paging(&self, i: usize) -> Paging {
        let name = |p: Option<&Period>| p.map(|p| p.name.clone());
        Paging::Archive {
            period: self.periods[i].name.clone(),
            prev: name(i.checked_sub(1).and_then(|i| self.periods.get(i))),
            next: name(self.periods.get(i + 1)),
        }
    }
}

impl<'s> Plan<'s> {
    /// The plan of a build of `store` with `feeds`, and every problem of
    /// its paths; `feeds_dir` names the feed definitions in problems.
    pub fn new(store: &'s Store, feeds: &'s [FeedDef], feeds_dir: &Path) -> (Plan<'s>, Vec<Diagnostic>) {
        // The check of 110,000 page URLs needs nothing of the rest: beside
        // it, on the other cores, as are the feeds' plans (each a pass over
        // the store, and its archive's periods).
        let writes = Writes::of(store);
        let ((feed_plans, sitemap), same_pages) = rayon::join(
            || {
                let feed_plans: Vec<FeedPlan<'s>> = feeds.par_iter().map(|def| FeedPlan::new(def, store)).collect();
                let sitemap = writes.sitemap.then(|| Sitemap::new(store, &sitemap_pages(store, writes, &feed_plans)));
                (feed_plans, sitemap)
            },
            || {
                let mut problems = Vec::new();
                same_page_urls(store, &mut problems);
                problems
            },
        );
        let mut problems = Vec::new();
        let outputs = outputs(store, (writes, sitemap.as_ref()), &feed_plans, feeds_dir, &mut problems);
        let mut files = BTreeSet::new();
        for (segments, owner) in &outputs {
            match OutPath::from_segments(segments) {
                Ok(path) => {
                    files.insert(path);
                }
                // A name too long for the file system is said once, where
                // the content names it.
                Err(Unfit::TooLong { .. })
                    if problems.iter().any(|d| d.code == Code::PathTooLong && d.file == owner.file) => {}
                Err(why) => problems.push(unfit(segments, owner, &why)),
            }
        }
        collisions(&outputs, &mut problems);
        problems.extend(same_pages);
        feed_files_on_pages(store, feeds, feeds_dir, &mut problems);
        page_slugs(store, writes, feeds, &mut problems);
        if writes.sitemap {
            long_urls(store, &mut problems);
        }
        (Plan { feeds: feed_plans, writes, sitemap, files }, problems)
    }

    /// Every path of the plan, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(OutPath::as_str)
    }

    /// What the staging folder may take, and must have at commit: every
    /// file the plan names, the sitemap's children too, and no other.
    pub fn expected(&self) -> crate::output::Expected {
        crate::output::Expected { files: self.files.clone() }
    }

    /// Every document the build renders from the model, with its path:
    /// see `documents`.
    pub fn documents(&self) -> Vec<(String, Document<FeedKey>)> {
        documents(&self.feeds, self.writes, self.sitemap.as_ref())
            .map(|(segments, doc)| (segments.join("/"), doc))
            .collect()
    }

    /// Every item some feed document holds: its subscription document (the
    /// newest) or an archive document.
    pub fn held(&self) -> FxHashSet<ItemKey<'s>> {
        let mut held = FxHashSet::default();
        for feed in &self.feeds {
            held.extend(feed.newest().iter().map(|&i| ItemKey(i)));
            held.extend(feed.periods.iter().flat_map(|p| &p.items).map(|&i| ItemKey(i)));
        }
        held
    }

    /// The archive documents of the publications' feeds, for the archive's
    /// page, which links each beside the bundle of its year.
    pub fn history(&self, site: &crate::content::Site) -> Vec<crate::archive::PeriodFeed> {
        let mut history = Vec::new();
        for feed in self.feeds.iter().filter(|f| f.def.section == Section::Publications) {
            let format = feed.def.formats[0];
            for period in &feed.periods {
                history.push(crate::archive::PeriodFeed {
                    period: period.name.clone(),
                    title: format!("{} ({})", feed.def.title, format.label()),
                    url: feed.def.url(&site.base_url, format, Some(&period.name)),
                });
            }
        }
        history
    }
}

/// The pages for people pressroom writes itself, for the sitemap: each
/// feed's, changed when its subscription document's newest item did, and
/// the archive's, when it is written.
fn sitemap_pages<'s>(store: &'s Store, writes: Writes, feeds: &[FeedPlan<'_>]) -> Vec<sitemap::Url<'s>> {
    let mut pages: Vec<sitemap::Url<'s>> = feeds
        .iter()
        .map(|feed| sitemap::Url {
            loc: store.site.base_url.join(&feed.def.segments(), true).into(),
            lastmod: feed.newest().iter().map(|i| i.modified()).max().unwrap_or_else(|| store_updated(store)),
        })
        .collect();
    if let Some(newest) = store.publications.iter().map(|i| i.modified()).max().filter(|_| writes.archive) {
        pages.push(sitemap::Url { loc: store.site.base_url.join(&["archive"], true).into(), lastmod: newest });
    }
    pages
}

/// The documents rendered from the model, each at its path: every feed's
/// page, its subscription document in each format, then each archive
/// document in each format (a feed document's formats one after the other,
/// so that it is built once for them all); then the lists, the sitemap's
/// files and robots.txt, and the archive's own documents, as `writes` has
/// them.
fn documents<'p>(
    feeds: &'p [FeedPlan<'_>],
    writes: Writes,
    sitemap: Option<&'p Sitemap<'_>>,
) -> impl Iterator<Item = (Vec<String>, Document<FeedKey>)> + 'p {
    let feed_documents = feeds.iter().enumerate().flat_map(|(f, feed)| {
        let def = feed.def;
        let current = FeedKey { feed: f, period: None };
        let page = (with(&def.path, &["index.html"]), Document::Page(current));
        let subscription =
            def.formats.iter().map(move |&format| (def.document(format, None), Document::Feed(current, format)));
        let archive = feed.periods.iter().enumerate().flat_map(move |(i, period)| {
            let key = FeedKey { feed: f, period: Some(i) };
            def.formats
                .iter()
                .map(move |&format| (def.document(format, Some(&period.name)), Document::Feed(key, format)))
        });
        std::iter::once(page).chain(subscription).chain(archive)
    });
    let lists =
        [(vec!["feeds.opml".to_owned()], Document::Opml), (vec!["feeds-head.html".to_owned()], Document::FeedsHead)];
    let sitemap = sitemap
        .into_iter()
        .flat_map(|s| s.names().into_iter().enumerate())
        .map(|(n, name)| (vec![name], Document::Sitemap(n)));
    let robots = writes.robots.then(|| (vec!["robots.txt".to_owned()], Document::Robots));
    let archive = crate::archive::Own::ALL
        .into_iter()
        .filter(move |_| writes.archive)
        .map(|own| (vec!["archive".to_owned(), own.file_name().to_owned()], Document::Archive(own)));
    feed_documents.chain(lists).chain(sitemap).chain(robots).chain(archive)
}

/// Who makes an output path: the file to name in a problem, where in it.
struct Owner {
    file: PathBuf,
    pos: OwnerPos,
    /// Chosen in the store (a slug, a PDF's name, a feed's `files`) rather
    /// than fixed by pressroom.
    content: bool,
}

/// Where in its file an output is made.
#[derive(Clone, Copy)]
enum OwnerPos {
    At(Pos),
    /// The item's slug: found by reading the file again only when a problem
    /// is said, not for each of an agency's 10,000 PDFs.
    Slug,
}

impl Owner {
    fn pos(&self) -> Pos {
        match self.pos {
            OwnerPos::At(pos) => pos,
            OwnerPos::Slug => slug_pos(&self.file),
        }
    }
}

/// Every output path with who makes it, and the problems of names too long
/// for the bag or the file system.
fn outputs(
    store: &Store,
    (writes, sitemap): (Writes, Option<&Sitemap<'_>>),
    feeds: &[FeedPlan<'_>],
    feeds_dir: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(Vec<String>, Owner)> {
    let mut outputs = pressroom_outputs(store, (writes, sitemap), feeds, feeds_dir);
    // The files bodies reference: once per path (two items may show one).
    let items: Vec<_> = store.news.iter().chain(&store.publications).collect();
    let mut placed = FxHashSet::default();
    for item in &items {
        for asset in item.assets.iter().filter(|a| placed.insert((a.out_path.clone(), a.source.clone()))) {
            let owner = Owner { file: item.source.clone(), pos: OwnerPos::At(Pos::FILE), content: true };
            outputs.push((asset.out_path.clone(), owner));
        }
    }
    for item in &store.publications {
        let Some(p) = &item.publication else { continue };
        let owner = Owner { file: item.source.clone(), pos: OwnerPos::Slug, content: true };
        outputs.push((p.pdf.out_path.clone(), owner));
        for (segment, what, key) in [(&item.slug, "slug", None), (&p.pdf.file_name, "PDF file name", Some("file"))] {
            let pos = || key.map_or_else(|| slug_pos(&item.source), |key| value_pos(item, key));
            if segment.len() > MAX_NAME {
                problems.push(too_long(item, pos(), what, segment.len(), "file systems take 255"));
            }
            let escaped = crate::archive::bag_segment(segment).len();
            if escaped > MAX_NAME && segment.len() <= MAX_NAME {
                let why = "escaped for the bag's paths; unzip tools take 255";
                problems.push(too_long(item, pos(), what, escaped, why));
            }
        }
    }
    // The longest bundle name: `<site>-publications-YYYY.zip.sha256`, also
    // the bag's top folder: said once, at base_url, which makes it.
    let bundle = format!("{}-publications-0000.zip.sha256", crate::archive::site_slug(&store.site));
    if writes.archive && bundle.len() > MAX_NAME {
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
    outputs
}

/// A page's URL may not be a section's, a feed's page or the archive's
/// (when it is written): the sitemap would list it twice, and pressroom
/// writes the latter two.
fn page_slugs(store: &Store, writes: Writes, feeds: &[FeedDef], problems: &mut Vec<Diagnostic>) {
    let taken: Vec<String> = store
        .site
        .sections
        .iter()
        .flat_map(|s| [Some(s.name.as_str()), s.url.listing()].into_iter().flatten().map(fold))
        .chain(feeds.iter().map(|d| fold(&d.folder())))
        .chain(writes.archive.then(|| "archive".to_owned()))
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
}

/// The files pressroom writes whatever the content: its documents
/// (`documents`) and, when the archive is written, its bundles.
fn pressroom_outputs(
    store: &Store,
    (writes, sitemap): (Writes, Option<&Sitemap<'_>>),
    feeds: &[FeedPlan<'_>],
    feeds_dir: &Path,
) -> Vec<(Vec<String>, Owner)> {
    let fixed = |file: PathBuf| Owner { file, pos: OwnerPos::At(Pos::FILE), content: false };
    let own = || fixed(PathBuf::from("(pressroom)"));
    let site_file = || fixed(store.site_path.clone());
    let owner = |doc: &Document<FeedKey>| {
        let Some(key) = doc.feed() else { return own() };
        let def = feeds[key.feed].def;
        let file = feeds_dir.join(format!("{}.toml", def.name));
        // A `files` entry is the definition's choice: named at its line.
        match (doc, key.period) {
            (Document::Feed(_, format), None) if def.files_pos.contains_key(format) => {
                Owner { file, pos: OwnerPos::At(def.files_pos[format]), content: true }
            }
            _ => fixed(file),
        }
    };
    let mut outputs: Vec<(Vec<String>, Owner)> =
        documents(feeds, writes, sitemap).map(|(segments, doc)| (segments, owner(&doc))).collect();
    if !writes.archive {
        return outputs;
    }
    // The bundles: every publication's, and one per year (`archive::bundle`).
    use crate::archive::{Scope, bundle_name, year_of};
    let site = &store.site;
    let mut years: Vec<i16> = store.publications.iter().map(|i| year_of(site, i)).collect();
    years.sort_unstable();
    years.dedup();
    let scopes = std::iter::once(Scope::All).chain(years.into_iter().map(Scope::Year));
    for scope in scopes {
        let name = bundle_name(site, scope);
        for suffix in [".zip", ".zip.sha256"] {
            // Named after the host of base_url.
            outputs.push((vec!["archive".to_owned(), format!("{name}{suffix}")], site_file()));
        }
    }
    outputs
}

/// The longest URL a sitemap may list: a `loc` must be less than 2,048
/// characters (sitemaps.org).
pub const MAX_URL: usize = 2_047;

/// A page or PDF URL the sitemap would list that is too long for it: the
/// sitemap must list every one, so it is an error at what made it (the
/// item's `url`, `path`, `permalink` or `slug`; a PDF's `file`). An item
/// whose own `url` is off the site is not listed (W0105), nor checked.
fn long_urls(store: &Store, problems: &mut Vec<Diagnostic>) {
    let base = store.site.base_url.as_str();
    let long = |url: &str| url.len() > MAX_URL && url.chars().count() > MAX_URL;
    let mut say = |source: &Path, what: &str, url: &str, pos: Pos| {
        let message = format!(
            "the {what} is {} characters long, percent-encoded: a sitemap's URLs must be less than 2,048",
            url.chars().count()
        );
        problems.push(Diagnostic::new(Code::PathTooLong, source, pos, message).with_hint("shorten it"));
    };
    let address = |s: &Source| {
        let written = |key: &&str| s.find_key(key).is_some();
        ["url", "path", "permalink", "slug"].into_iter().find(written).map_or(Pos::FILE, |key| s.value_pos(key))
    };
    for item in store.news.iter().chain(&store.publications) {
        if item.url.starts_with(base) && long(&item.url) {
            say(&item.source, "page's URL", &item.url, source_pos(&item.source, address));
        } else if let Some(p) = item.publication.as_ref().filter(|p| long(&p.pdf.url)) {
            say(&item.source, "PDF's URL", &p.pdf.url, value_pos(item, "file"));
        }
    }
    for page in store.pages.iter().filter(|p| long(&p.url)) {
        say(&page.source, "page's URL", &page.url, source_pos(&page.source, address));
    }
}

/// Two pages on one URL (`[urls]` patterns, an item's own `url`): the feeds
/// and the sitemap would send readers to the wrong one.
fn same_page_urls(store: &Store, problems: &mut Vec<Diagnostic>) {
    // Sized once: 110,000 URLs grown by doubling are hashed again at each step.
    let count = store.news.len() + store.publications.len() + store.pages.len();
    let mut pages: FxHashMap<&str, &Path> = FxHashMap::with_capacity_and_hasher(count, Default::default());
    let sources = store.news.iter().chain(&store.publications).map(|i| (i.url.as_str(), i.source.as_path()));
    for (url, source) in sources.chain(store.pages.iter().map(|p| (p.url.as_str(), p.source.as_path()))) {
        if let Some(first) = pages.insert(url, source) {
            // At what made the URL; a URL made of the file's name and the
            // patterns alone is said at the opening fence, where `slug` goes.
            let made_by = |s: &Source| {
                let written = ["url", "path", "permalink", "slug"].into_iter().find(|key| s.find_key(key).is_some());
                written.map_or_else(|| s.opening_pos(), |key| s.value_pos(key))
            };
            let pos = source_pos(source, made_by);
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

/// A feed's `files` entry where the site serves a page (an item's, a
/// page's, or a folder of one): the site's page or the feed would be lost.
fn feed_files_on_pages(store: &Store, feeds: &[FeedDef], feeds_dir: &Path, problems: &mut Vec<Diagnostic>) {
    if feeds.iter().all(|d| d.files.is_empty()) {
        return;
    }
    let base = store.site.base_url.as_str();
    let items = store.news.iter().chain(&store.publications).map(|i| (i.url.as_str(), i.source.as_path()));
    let mut pages: FxHashMap<String, (&str, &Path)> = FxHashMap::default();
    for (url, source) in items.chain(store.pages.iter().map(|p| (p.url.as_str(), p.source.as_path()))) {
        let Some(rel) = url.strip_prefix(base) else { continue };
        let Ok(mut segments) = crate::url::decode_segments(rel.trim_end_matches('/')) else { continue };
        segments.retain(|s| !s.is_empty());
        if url.ends_with('/') {
            segments.push("index.html".to_owned());
        }
        for n in 1..=segments.len() {
            pages.entry(key(&segments[..n])).or_insert((url, source));
        }
    }
    for def in feeds {
        for (format, file) in &def.files {
            let Some((url, source)) = pages.get(&key(file)) else { continue };
            let pos = def.files_pos.get(format).copied().unwrap_or(Pos::FILE);
            let file_name = feeds_dir.join(format!("{}.toml", def.name));
            // Said once: a file the page shows may have met it already.
            if problems.iter().any(|d| d.code == Code::PathCollision && d.file == file_name && d.line == pos.line) {
                continue;
            }
            problems.push(
                Diagnostic::new(
                    Code::PathCollision,
                    file_name,
                    pos,
                    format!(
                        "writes {}, where the site serves the page {url} ({}) or its folder",
                        file.join("/"),
                        source.display()
                    ),
                )
                .with_hint("choose another file in files"),
            );
        }
    }
}

/// A path that cannot be an `OutPath`, named at whoever makes it.
fn unfit(segments: &[String], owner: &Owner, why: &Unfit) -> Diagnostic {
    let code = if matches!(why, Unfit::TooLong { .. }) { Code::PathTooLong } else { Code::PathCollision };
    let path = segments.join("/");
    Diagnostic::new(
        code,
        &owner.file,
        owner.pos(),
        format!("the output path {path:?} is not a file name under the output: {why}"),
    )
    .with_hint("give it another slug, file name or path")
}

/// `folder` followed by `rest`, as owned segments.
fn with(folder: &[String], rest: &[&str]) -> Vec<String> {
    folder.iter().cloned().chain(rest.iter().map(|s| (*s).to_owned())).collect()
}

/// Outputs at one path, or at a path that is another's folder.
fn collisions(outputs: &[(Vec<String>, Owner)], problems: &mut Vec<Diagnostic>) {
    let mut files: FxHashMap<String, usize> = FxHashMap::default();
    let mut folders: FxHashMap<String, usize> = FxHashMap::default();
    for (i, (segments, _)) in outputs.iter().enumerate() {
        for n in 1..segments.len() {
            folders.entry(key(&segments[..n])).or_insert(i);
        }
    }
    for (segments, owner) in outputs {
        if let Some(own) = segments.first().filter(|s| OWN_NAMES.iter().any(|own| fold(own) == fold(s))) {
            problems.push(
                Diagnostic::new(
                    Code::PathCollision,
                    &owner.file,
                    owner.pos(),
                    format!(
                        "writes {}, but {own} is the name pressroom keeps for its own record, lock or staging",
                        segments.join("/")
                    ),
                )
                .with_hint("choose another path or slug"),
            );
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
            Diagnostic::new(Code::PathCollision, &at.1.file, at.1.pos(), message)
                .with_hint("give one of them another slug or file name"),
        );
    }
}

/// A path as case-insensitive, normalising file systems compare it.
fn key(segments: &[String]) -> String {
    segments.iter().map(|s| fold(s)).collect::<Vec<_>>().join("/")
}

fn fold(segment: &str) -> String {
    // ASCII is its own NFC form: the paths of an agency's 100,000 items
    // mostly are.
    if segment.is_ascii() {
        return segment.to_ascii_lowercase();
    }
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

    fn minimal() -> (Store, Vec<FeedDef>, PathBuf) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let now = jiff::Timestamp::from_second(1_900_000_000).unwrap();
        let store = Store::load(&root.join("content"), now).unwrap();
        let feeds = root.join("feeds");
        let defs = FeedDef::load_all(&feeds, Some(crate::feed_def::Sections::of(&store))).unwrap();
        (store, defs, feeds)
    }

    #[test]
    fn the_plan_names_every_document_it_renders() {
        let (store, defs, feeds_dir) = minimal();
        let (plan, problems) = Plan::new(&store, &defs, &feeds_dir);
        assert!(problems.is_empty(), "{problems:?}");
        let expected = plan.expected();
        let documents = plan.documents();
        for (rel, _) in &documents {
            assert!(expected.files.contains(rel.as_str()), "{rel}");
        }
        let rels: Vec<&str> = documents.iter().map(|(rel, _)| rel.as_str()).collect();
        for own in ["feeds.opml", "feeds-head.html", "sitemap.xml", "robots.txt", "news/index.html", "news/rss.xml"] {
            assert!(rels.contains(&own), "{own} in {rels:?}");
        }
        // A feed's page, then each of its documents, one after the other.
        let first: Vec<_> = documents.iter().filter_map(|(_, d)| d.feed()).take_while(|k| k.feed == 0).collect();
        assert!(first.windows(2).all(|w| w[0].period <= w[1].period), "{first:?}");
    }

    #[test]
    fn the_plan_names_each_file_of_a_split_sitemap() {
        let (store, defs, feeds_dir) = minimal();
        let feeds: Vec<FeedPlan<'_>> = defs.iter().map(|def| FeedPlan::new(def, &store)).collect();
        let writes = Writes::of(&store);
        let split = Sitemap::with_limits(&store, &sitemap_pages(&store, writes, &feeds), 3, sitemap::MAX_BYTES);
        let outputs = pressroom_outputs(&store, (writes, Some(&split)), &feeds, &feeds_dir);
        let names: Vec<String> =
            outputs.iter().map(|(s, _)| s.join("/")).filter(|rel| rel.starts_with("sitemap")).collect();
        // Home, 2 sections, 1 page, 2 news, 1 publication and its PDF, and
        // the archive's page (the feeds' pages are the sections'): 3 by 3.
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]);
        let docs: Vec<_> =
            documents(&feeds, writes, Some(&split)).filter(|(s, _)| s[0].starts_with("sitemap")).collect();
        let numbered: Vec<_> = docs.iter().map(|(s, d)| (s[0].as_str(), *d)).collect();
        assert_eq!(numbered.len(), 4);
        assert_eq!(numbered[0], ("sitemap.xml", Document::Sitemap(0)));
        assert_eq!(numbered[3], ("sitemap-3.xml", Document::Sitemap(3)));
    }

    #[test]
    fn a_url_the_sitemap_cannot_list_is_refused() {
        let (mut store, defs, feeds_dir) = minimal();
        let base = store.site.base_url.as_str().to_owned();
        let at = |len: usize| format!("{base}{}/", "a".repeat(len - base.len() - 1));
        store.news[0].url = at(MAX_URL);
        assert!(Plan::new(&store, &defs, &feeds_dir).1.is_empty());
        store.news[0].url = at(MAX_URL + 1);
        let problems = Plan::new(&store, &defs, &feeds_dir).1;
        let found: Vec<_> = problems.iter().map(|d| (d.code, d.file.clone())).collect();
        assert_eq!(found, [(Code::PathTooLong, store.news[0].source.clone())]);
        assert!(problems[0].message.contains("2048 characters"), "{}", problems[0].message);
        // Off the site it is not listed; without a sitemap nothing is.
        store.news[0].url = format!("https://elsewhere.example/{}", "a".repeat(MAX_URL));
        assert!(Plan::new(&store, &defs, &feeds_dir).1.is_empty());
        store.news[0].url = at(MAX_URL + 1);
        store.site.outputs.sitemap = false;
        assert!(Plan::new(&store, &defs, &feeds_dir).1.is_empty());
    }

    #[test]
    fn folding_joins_case_and_normalisation() {
        assert_eq!(fold("Report"), fold("report"));
        assert_eq!(fold("caf\u{e9}"), fold("cafe\u{301}"));
        assert_ne!(fold("cafe"), fold("caf\u{e9}"));
        // An ASCII name and its accented kin meet the same folding.
        assert_eq!(fold("CAF\u{c9}"), fold("cafe\u{301}"));
        assert_eq!(fold("Annual-Report.PDF"), "annual-report.pdf");
    }
}
