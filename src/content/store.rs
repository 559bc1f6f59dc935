//! Loading the content store: every file of every section is read and
//! checked (in parallel), then the checks that span files (duplicate slugs
//! and ids) run, then drafts and scheduled items are set aside. All problems
//! are collected, so one run reports everything that is wrong.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rayon::prelude::*;

use super::date;
use super::fields::*;
use super::front_matter::FrontMatter;
use super::item::{Item, Section};
use super::page::Page;
use super::site::Site;
use super::source::Source;
use super::url_pattern::Values;
use crate::diagnostic::{Code, Diagnostic, Pos, Severity};
use crate::markdown;

/// The whole content store, ready for the renderers.
#[derive(Debug)]
pub struct Store {
    pub site: Site,
    /// `site.toml`, as problems of the site name it.
    pub site_path: PathBuf,
    /// Published news, newest first (ties broken by slug).
    pub news: Vec<Item>,
    /// Published publications, newest first (ties broken by slug).
    pub publications: Vec<Item>,
    pub pages: Vec<Page>,
    /// Problems that do not stop a build (scheduled items…).
    pub warnings: Vec<Diagnostic>,
    /// The URL of each published file, by its canonical path: what a
    /// Markdown link to another content file turns into.
    urls: HashMap<PathBuf, String>,
}

/// What a file turned into, before the cross-file checks.
enum Entry {
    Item { item: Box<Item>, draft: bool, id_pos: Pos, slug_pos: Pos, date_pos: Pos },
    Page(Page, Pos),
}

impl Store {
    pub fn section(&self, section: Section) -> &[Item] {
        match section {
            Section::News => &self.news,
            Section::Publications => &self.publications,
        }
    }

    /// The URL of the content file that `link` (a relative, percent-encoded
    /// path written in `from`) leads to, if that file is published.
    pub fn content_url(&self, from: &Path, link: &str) -> Option<String> {
        let decoded = percent_encoding::percent_decode_str(link).decode_utf8_lossy();
        self.urls.get(&lexical(&from.parent()?.join(decoded.as_ref()))).cloned()
    }

    /// Reads and checks the store at `root`. `now` decides which items are
    /// scheduled for later. On error, every problem found is returned.
    pub fn load(root: &Path, now: Timestamp) -> Result<Store, Vec<Diagnostic>> {
        let site_path = root.join("site.toml");
        let site = match super::regular::read(&site_path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Site::parse(&site_path, &text),
                Err(_) => Err(vec![Diagnostic::new(Code::NotUtf8, &site_path, Pos::FILE, "the file is not valid UTF-8")]),
            },
            Err(e) => Err(vec![Diagnostic::new(
                Code::Io,
                &site_path,
                Pos::FILE,
                format!("cannot read the site settings: {e}"),
            )
            .with_hint("a content store has a site.toml with title, base_url, description, language, publisher and copyright")]),
        };
        // A broken site.toml does not hide the problems of the other files:
        // they are checked against a stand-in site, and all are reported.
        let (site, mut problems) = match site {
            Ok(site) => (site, Vec::new()),
            Err(problems) => (Site::stand_in(), problems),
        };
        let root_abs = root.canonicalize().map_err(|e| {
            vec![Diagnostic::new(Code::Io, root, Pos::FILE, format!("cannot open the content folder: {e}"))]
        })?;

        let mut files = Vec::new();
        for dir in ["news", "publications", "pages"] {
            // Nothing outside the content folder is read, even through a
            // link: a section folder is resolved once, its files only when
            // they are links themselves.
            let path = root.join(dir);
            if let Ok(real) = path.canonicalize()
                && !real.starts_with(&root_abs)
            {
                let message = format!("the folder is a link to {}, outside the content folder", real.display());
                problems.push(
                    Diagnostic::new(Code::FileEscapes, &path, Pos::FILE, message)
                        .with_hint("keep content files inside content/ (no link to elsewhere)"),
                );
                continue;
            }
            match list_markdown(&path) {
                Ok(names) => files.extend(names.into_iter().map(|(name, link)| (dir, name, link))),
                Err(d) => problems.push(d),
            }
        }
        let ctx = Ctx { root, root_abs: &root_abs, site: &site };
        let results: Vec<(Option<Entry>, Vec<Diagnostic>)> =
            files.par_iter().map(|(dir, name, link)| ctx.load_file(dir, name, *link)).collect();

        let mut items = Vec::new();
        let mut pages = Vec::new();
        for (entry, mut found) in results {
            problems.append(&mut found);
            match entry {
                Some(Entry::Item { item, draft, id_pos, slug_pos, date_pos }) => {
                    items.push((*item, draft, id_pos, slug_pos, date_pos))
                }
                Some(Entry::Page(page, pos)) => pages.push((page, pos)),
                None => {}
            }
        }

        // Slugs are unique per section (they make the URL); ids across the store.
        let mut slugs: HashMap<(Option<Section>, &str), &Path> = HashMap::new();
        let mut ids: HashMap<&str, &Path> = HashMap::new();
        for (item, _, id_pos, slug_pos, _) in &items {
            if let Some(first) = slugs.insert((Some(item.section), &item.slug), &item.source) {
                problems.push(duplicate(Code::DuplicateSlug, &item.source, *slug_pos, "slug", &item.slug, first));
            }
            if let Some(first) = ids.insert(&item.id, &item.source) {
                problems.push(duplicate(Code::DuplicateId, &item.source, *id_pos, "id", &item.id, first));
            }
        }
        for (page, pos) in &pages {
            if let Some(first) = slugs.insert((None, &page.slug), &page.source) {
                problems.push(duplicate(Code::DuplicateSlug, &page.source, *pos, "slug", &page.slug, first));
            }
        }

        let mut news = Vec::new();
        let mut publications = Vec::new();
        for (item, draft, _, _, date_pos) in items {
            if draft {
                continue;
            }
            if item.date > now {
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
        problems.sort_by(|a, b| (&a.file, a.line, a.column, a.code).cmp(&(&b.file, b.line, b.column, b.code)));
        if problems.iter().any(|d| d.severity() == Severity::Error) {
            return Err(problems);
        }
        for list in [&mut news, &mut publications] {
            list.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        }
        let mut pages: Vec<Page> = pages.into_iter().map(|(p, _)| p).collect();
        pages.sort_by(|a, b| a.slug.cmp(&b.slug));
        let sources = news.iter().chain(&publications).map(|i| (&i.source, &i.url));
        let sources: Vec<_> = sources.chain(pages.iter().map(|p| (&p.source, &p.url))).collect();
        let urls = sources.into_iter().map(|(source, url)| (lexical(source), url.clone())).collect();
        Ok(Store { site, site_path, news, publications, pages, warnings: problems, urls })
    }
}

/// `path` with its `.` and `..` segments resolved as text, for comparing
/// the paths of content files without asking the file system.
fn lexical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
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

fn duplicate(code: Code, file: &Path, pos: Pos, what: &str, value: &str, first: &Path) -> Diagnostic {
    Diagnostic::new(code, file, pos, format!("{what} {value:?} is already used by {}", first.display()))
        .with_hint(format!("give this file its own {what}"))
}

/// The `.md` files of a section folder, by name, each with whether it is a
/// symbolic link; a missing folder is an empty section.
fn list_markdown(dir: &Path) -> Result<Vec<(String, bool)>, Diagnostic> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Diagnostic::new(Code::Io, dir, Pos::FILE, format!("cannot list the folder: {e}"))),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| Diagnostic::new(Code::Io, dir, Pos::FILE, format!("cannot list the folder: {e}")))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return Err(Diagnostic::new(Code::NotUtf8, entry.path(), Pos::FILE, "the file name is not valid UTF-8"));
        };
        if name.ends_with(".md") && !name.starts_with('.') {
            // The type comes with the directory entry: no system call.
            let link = entry.file_type().map_or(true, |t| t.is_symlink());
            names.push((name.to_owned(), link));
        }
    }
    names.sort();
    Ok(names)
}

pub(super) struct Ctx<'a> {
    pub(super) root: &'a Path,
    pub(super) root_abs: &'a Path,
    pub(super) site: &'a Site,
}

/// Keys each kind of file takes besides the common ones.
const NEWS_ONLY_NOT: &[&str] = &["file", "kind", "edition", "language"];

impl Ctx<'_> {
    /// The file's entry, unless it has errors, and every problem found in it.
    fn load_file(&self, dir: &str, name: &str, link: bool) -> (Option<Entry>, Vec<Diagnostic>) {
        // Shown in messages as the path it was read from, so that editors and
        // CI annotations find the file from where the command ran.
        let shown = self.root.join(dir).join(name);
        // A file that is a link may lead outside the content folder.
        if let Some(real) = link.then(|| shown.canonicalize().ok()).flatten()
            && !real.starts_with(self.root_abs)
        {
            let message = format!("the file is a link to {}, outside the content folder", real.display());
            let d = Diagnostic::new(Code::FileEscapes, &shown, Pos::FILE, message)
                .with_hint("keep content files inside content/ (no link to elsewhere)");
            return (None, vec![d]);
        }
        let source = match super::regular::read(&shown) {
            Ok(bytes) => Source::parse(&shown, bytes),
            Err(e) => Err(Diagnostic::new(read_code(&e), &shown, Pos::FILE, format!("cannot read the file: {e}"))),
        };
        let source = match source {
            Ok(source) => source,
            Err(d) => return (None, vec![d]),
        };
        let mut problems = Vec::new();
        if let Some((pos, c)) = maybe_forbidden(&source.text).then(|| source.forbidden_char()).flatten() {
            problems.push(forbidden(&source.path, pos, c));
        }
        self.check_links(&source, &mut problems);
        let (fm, bad_keys) = match FrontMatter::parse(&source) {
            Ok(fm) => (fm, Vec::new()),
            Err(found) => {
                // TOML and YAML refuse a raw control character: that is the
                // forbidden character already reported on that line.
                let raw_char = problems.iter().find(|d| d.code == Code::ForbiddenChar).map(|d| d.line);
                problems.extend(found.into_iter().filter(|d| Some(d.line) != raw_char));
                // The keys that are fine are checked further all the same.
                match FrontMatter::readable_keys(&source) {
                    Some(readable) => readable,
                    None => return (None, problems),
                }
            }
        };
        let before = problems.len();
        let entry = match Section::from_dir(dir) {
            Some(section) => self.item(section, name, &source, fm, &mut problems),
            None => self.page(name, &source, fm, &mut problems),
        };
        // A key already reported as wrong, or misspelt (`tilte`), is not
        // also reported missing.
        let mut index = 0;
        problems.retain(|d| {
            index += 1;
            index <= before
                || d.code != Code::MissingField
                || !bad_keys.iter().any(|bad| {
                    super::front_matter::KEYS
                        .iter()
                        .any(|key| d.message.contains(&format!("\"{key}\"")) && strsim::osa_distance(bad, key) <= 2)
                })
        });
        let clean = problems.iter().all(|d| d.severity() == Severity::Warning);
        (entry.filter(|_| clean), problems)
    }

    /// Every Markdown link to another content file must lead to one.
    fn check_links(&self, src: &Source, problems: &mut Vec<Diagnostic>) {
        let dir = src.path.parent().unwrap_or(Path::new("."));
        for (offset, link) in markdown::content_links(src.body()) {
            let decoded = percent_encoding::percent_decode_str(&link).decode_utf8_lossy();
            if !dir.join(decoded.as_ref()).is_file() {
                problems.push(
                    Diagnostic::new(
                        Code::BrokenLink,
                        &src.path,
                        src.body_pos(offset),
                        format!("the link to {link:?} leads to no file"),
                    )
                    .with_hint("links to other content files are relative to this file, e.g. ../publications/x.md"),
                );
            }
        }
    }

    fn item(
        &self,
        section: Section,
        name: &str,
        src: &Source,
        fm: FrontMatter,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Entry> {
        if section == Section::News {
            let present = [fm.file.is_some(), fm.kind.is_some(), fm.edition.is_some(), fm.language.is_some()];
            for (key, _) in NEWS_ONLY_NOT.iter().zip(present).filter(|(_, p)| *p) {
                problems.push(
                    Diagnostic::new(
                        Code::UnknownKey,
                        &src.path,
                        src.key_pos(key),
                        format!("unknown key \"{key}\" for a news item"),
                    )
                    .with_hint("only publications take file, kind, edition and language"),
                );
            }
        }
        let tz = &self.site.timezone;
        let title = required_text(src, "title", fm.title.map(one_text), problems);
        let date = match fm.date {
            Some(d) => parse_date(src, "date", &d.0, tz, problems),
            None => {
                problems.push(missing(src, "date", "add `date = 2021-12-02` (an RFC 3339 date or date-time)"));
                None
            }
        };
        let updated = fm.updated.and_then(|d| parse_date(src, "updated", &d.0, tz, problems));
        let slug = slug(src, name, fm.slug, problems);
        let tags: Vec<String> = fm.tags.unwrap_or_default().into_iter().map(one_text).collect();
        let authors: Vec<String> = fm.authors.unwrap_or_default().into_iter().map(one_text).collect();
        for (key, values) in [("tags", &tags), ("authors", &authors)] {
            if values.iter().any(|v| v.trim().is_empty()) {
                problems.push(Diagnostic::new(
                    Code::BadValue,
                    &src.path,
                    src.value_pos(key),
                    format!("{key} has an empty entry"),
                ));
            }
        }
        if let Some(tag) = tags.iter().find(|t| t.contains(['\t', '\n'])) {
            problems.push(
                Diagnostic::new(
                    Code::BadValue,
                    &src.path,
                    src.value_pos("tags"),
                    format!("the tag {tag:?} holds a tab or a line break"),
                )
                .with_hint("Atom carries tags in an attribute, where XML reads them as spaces: write spaces"),
            );
        }
        let summary =
            fm.summary.map(one_text).filter(|s| !s.is_empty()).or_else(|| markdown::first_paragraph(src.body()));
        if summary.is_none() && src.body().trim().is_empty() {
            problems.push(
                Diagnostic::new(
                    Code::EmptyItem,
                    &src.path,
                    src.closing_pos(),
                    "no summary and no body: readers will see a title only",
                )
                .with_hint("add a `summary` or write a body below the front matter"),
            );
        }
        let texts = [
            ("title", title.iter()),
            ("summary", summary.iter()),
            ("edition", fm.edition.iter()),
            ("id", fm.id.iter()),
        ];
        for (key, values) in texts {
            check_chars(src, key, values, problems);
        }
        check_chars(src, "tags", tags.iter(), problems);
        check_chars(src, "authors", authors.iter(), problems);
        if let Some(id) = &fm.id
            && !is_absolute_uri(id)
        {
            problems.push(
                Diagnostic::new(
                    Code::BadValue,
                    &src.path,
                    src.value_pos("id"),
                    format!("id {id:?} is not an absolute URI"),
                )
                .with_hint("ids are URIs such as tag:example.org,2021-12-02:news/meeting; leave id out to get one"),
            );
        }
        let publication = if section == Section::Publications {
            self.publication(src, fm.file, fm.kind, fm.edition, fm.language, problems)
        } else {
            None
        };
        let (title, date, slug) = (title?, date?, slug?);
        if section == Section::Publications && publication.is_none() {
            return None;
        }
        let base = &self.site.base_url;
        let id = fm.id.unwrap_or_else(|| {
            format!(
                "tag:{},{}:{}/{}",
                base.host(),
                date::day(date, tz),
                section.dir(),
                crate::url::encode_segment(&slug)
            )
        });
        // Where the site serves the item and its PDF: `[urls]`, or the
        // item's own `url`.
        let values = |file| Values { date: Some(date), tz, slug: &slug, section: section.dir(), file };
        let pattern = match section {
            Section::News => &self.site.urls.news,
            Section::Publications => &self.site.urls.publications,
        };
        let placed = pattern.segments(&values(""));
        let url = match fm.url {
            Some(own) => super::place::own_url(src, base, &own, problems)?,
            None => base.join(&placed.iter().map(String::as_str).collect::<Vec<_>>(), pattern.is_folder()),
        };
        let mut publication = publication;
        if let Some(p) = publication.as_mut() {
            p.pdf.out_path = self.site.urls.pdf.segments(&values(&p.pdf.file_name));
            p.pdf.url = base.join(&p.pdf.out_path.iter().map(String::as_str).collect::<Vec<_>>(), false);
        }
        let assets = self.assets(src, &url, problems);
        let item = Item {
            section,
            source: src.path.clone(),
            url,
            assets,
            id,
            slug,
            title,
            summary,
            date,
            updated,
            tags,
            authors,
            publication,
        };
        Some(Entry::Item {
            item: Box::new(item),
            draft: fm.draft.is_some_and(|d| d.0),
            id_pos: src.key_pos("id"),
            slug_pos: src.key_pos("slug"),
            date_pos: src.value_pos("date"),
        })
    }

    fn page(&self, name: &str, src: &Source, fm: FrontMatter, problems: &mut Vec<Diagnostic>) -> Option<Entry> {
        let allowed = ["title", "updated", "slug"];
        let present = [
            ("date", fm.date.is_some()),
            ("summary", fm.summary.is_some()),
            ("tags", fm.tags.is_some()),
            ("authors", fm.authors.is_some()),
            ("draft", fm.draft.is_some()),
            ("id", fm.id.is_some()),
            ("file", fm.file.is_some()),
            ("kind", fm.kind.is_some()),
            ("edition", fm.edition.is_some()),
            ("language", fm.language.is_some()),
            ("url", fm.url.is_some()),
        ];
        for (key, _) in present.iter().filter(|(_, p)| *p) {
            problems.push(
                Diagnostic::new(
                    Code::UnknownKey,
                    &src.path,
                    src.key_pos(key),
                    format!("unknown key \"{key}\" for a page"),
                )
                .with_hint(format!("pages take {}", allowed.join(", "))),
            );
        }
        let title = required_text(src, "title", fm.title, problems);
        check_chars(src, "title", title.iter(), problems);
        let updated = fm.updated.and_then(|d| parse_date(src, "updated", &d.0, &self.site.timezone, problems));
        let slug = slug(src, name, fm.slug, problems)?;
        let pattern = &self.site.urls.pages;
        let values = Values { date: None, tz: &self.site.timezone, slug: &slug, section: "pages", file: "" };
        let placed = pattern.segments(&values);
        let page = Page {
            source: src.path.clone(),
            url: self.site.base_url.join(&placed.iter().map(String::as_str).collect::<Vec<_>>(), pattern.is_folder()),
            slug,
            title: title?,
            updated,
        };
        Some(Entry::Page(page, src.key_pos("slug")))
    }
}
