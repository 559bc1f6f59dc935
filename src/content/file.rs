//! Reading one file of the store: its front matter checked key by key for
//! its kind (news item, publication, page), every problem of the file
//! collected, and the `Item` or `Page` it describes. `Store::load` walks the
//! store and runs the checks across files.

use std::path::{Path, PathBuf};

use super::date;
use super::fields::*;
use super::front_matter::{self, IndexMatter, ItemMatter, Matter, PageMatter, PdfMatter, PublicationMatter};
use super::item::{Item, Section};
use super::link::Link;
use super::page::{Page, SectionPage};
use super::parsed_cache::{Kept, ParsedCache};
use super::site::{Ids, SectionDef, Site};
use super::source::Source;
use super::url_pattern::Values;
use super::wire::{Parse, PdfSeen};
use crate::diagnostic::{Code, Diagnostic, Pos, Severity};
use crate::{markdown, xml_chars};
use sha2::Digest as _;

pub(super) struct Loader<'a> {
    pub(super) root: &'a Path,
    pub(super) root_abs: &'a Path,
    pub(super) site: &'a Site,
    /// Each section's folder, resolved (`walk` resolves each once).
    pub(super) folders: &'a [(&'a str, PathBuf)],
    /// Each section's folder as given: its files are shown from there.
    pub(super) given: &'a [(&'a str, PathBuf)],
    /// The parses the last build kept (`parsed_cache`).
    pub(super) cache: Option<&'a ParsedCache>,
}

/// What one file gave the load: its entry (unless it has errors), every
/// problem found in it, the names of the keys kept for templates, and how
/// the next cache of parsed files keeps it.
pub(super) type FileLoad = (Option<Parsed>, Vec<Diagnostic>, Vec<String>, Kept);

impl Loader<'_> {
    /// Loads `rel` of the section folder `dir`; `name` (the file's name
    /// without extension, or a bundle's folder name) gives the slug and date
    /// where the front matter does not; `index`: the section's `_index.md`.
    /// A news item or publication the cache holds for this very file is
    /// taken from there.
    pub(super) fn load_file(&self, dir: &str, rel: &str, name: &str, link: bool, index: bool) -> FileLoad {
        // Shown in messages as the path it was read from, so that editors and
        // CI annotations find the file from where the command ran.
        let shown = match self.given.iter().find(|(name, _)| *name == dir) {
            Some((_, given)) => given.join(rel),
            None => self.root.join(dir).join(rel),
        };
        // A file that is a link may lead outside the content folder.
        if let Some(real) = link.then(|| shown.canonicalize().ok()).flatten()
            && !real.starts_with(self.root_abs)
        {
            let message = format!("the file is a link to {}, outside the content folder", real.display());
            let d = Diagnostic::new(Code::FileEscapes, &shown, Pos::FILE, message)
                .with_hint("keep content files inside content/ (no link to elsewhere)");
            return (None, vec![d], Vec::new(), Kept::No);
        }
        let read = || {
            let bytes = super::regular::read(&shown)?;
            let sha256: [u8; 32] = sha2::Sha256::digest(&bytes).into();
            Ok((bytes, sha256))
        };
        // The file's folder, resolved: a publication's PDF is found from there.
        let folder = || {
            let section = self.folders.iter().find(|(name, _)| *name == dir).map(|(_, real)| real.join(rel));
            section.as_deref().and_then(Path::parent).map(Path::to_owned)
        };
        let mut state = None;
        let mut bytes = None;
        // A link's target may change with the link's own state unchanged:
        // a link is always read.
        if let Some(cache) = self.cache.filter(|_| !link && !index) {
            let read = || {
                let got: std::io::Result<_> = read();
                let sha256 = got.as_ref().ok().map(|(_, sha256)| *sha256);
                bytes = Some(got);
                sha256
            };
            state = super::parsed_cache::state(&shown);
            if let Some((parse, kept)) = cache.take((&shown, state), read, |parse| self.still(parse, folder)) {
                let Parse { item, draft, poses: [id_pos, slug_pos, date_pos], links, kept: keys, pdf } = parse;
                let entry = Parsed::Item { item, draft, id_pos, slug_pos, date_pos, links, pdf };
                return (Some(entry), Vec::new(), keys, kept);
            }
        }
        let source = match bytes.unwrap_or_else(read) {
            Ok((bytes, sha256)) => Source::parse(&shown, bytes).map(|mut source| {
                source.sha256 = sha256;
                source
            }),
            Err(e) => Err(Diagnostic::new(read_code(&e), &shown, Pos::FILE, format!("cannot read the file: {e}"))),
        };
        let source = match source {
            Ok(source) => source,
            Err(d) => return (None, vec![d], Vec::new(), Kept::No),
        };
        let mut problems = Vec::new();
        if let Some((pos, c)) = source.forbidden_char() {
            problems.push(forbidden(&source.path, pos, c));
        }
        let section = self.site.section(dir);
        // A section's own page gives its title and description; its body
        // is its generator's business, not published by pressroom.
        if index {
            let entry = with_matter(&source, &mut problems, |fm: IndexMatter, problems| {
                let texts = [("title", fm.title.iter()), ("description", fm.description.iter())];
                for (key, values) in texts {
                    check_chars(&source, key, values, problems);
                }
                let page = SectionPage { source: source.path.clone(), title: fm.title, description: fm.description };
                Some(Parsed::SectionPage(dir.to_owned(), page))
            });
            let clean = problems.iter().all(|d| d.severity() != Severity::Error);
            return (entry.filter(|_| clean), problems, Vec::new(), Kept::No);
        }
        let mut kept = Vec::new();
        if section.is_some() {
            check_template_syntax(&source, &mut problems);
            check_body_chars(&source, &mut problems);
        }
        let mut entry = match section {
            Some(section @ SectionDef { kind: Section::News, .. }) => {
                with_matter(&source, &mut problems, |fm: ItemMatter, problems| {
                    kept = fm.kept.keys.clone();
                    self.item(section, name, &source, fm, None, problems)
                })
            }
            Some(section @ SectionDef { kind: Section::Publications, .. }) => {
                with_matter(&source, &mut problems, |fm: PublicationMatter, problems| {
                    kept = fm.kept.keys.clone();
                    let (fm, pdf) = fm.split();
                    self.item(section, name, &source, fm, Some((pdf, folder().as_deref())), problems)
                })
            }
            None => with_matter(&source, &mut problems, |fm: PageMatter, problems| {
                kept = fm.kept.keys.clone();
                self.page(name, &source, fm, problems)
            }),
        };
        // Pages have no URL here, and no feed links from their bodies.
        let url = match &entry {
            Some(Parsed::Item { item, .. }) => Some(item.url.clone()),
            _ => None,
        };
        let links = self.check_links(&source, url.as_deref(), &mut problems);
        if let Some(Parsed::Item { links: found, .. }) = entry.as_mut() {
            *found = links;
        }
        let clean = problems.iter().all(|d| d.severity() != Severity::Error);
        let how = match &entry {
            Some(Parsed::Item { item, links, pdf, .. })
                if self.cache.is_some() && !link && problems.is_empty() && alone(item, links, pdf, &source) =>
            {
                Kept::Parsed { state, sha256: source.sha256 }
            }
            _ => Kept::No,
        };
        (entry.filter(|_| clean), problems, kept, how)
    }

    /// Whether what a kept parse in `folder` (resolved) looked at besides
    /// its file is as it was: each link leads to a file, a publication's
    /// PDF is the one it read.
    fn still(&self, parse: &Parse, folder: impl FnOnce() -> Option<PathBuf>) -> bool {
        let pdf = match (&parse.item.publication, &parse.pdf) {
            (None, None) => true,
            (Some(publication), Some(seen)) => folder().is_some_and(|f| self.same_pdf(&f, &publication.pdf, seen)),
            _ => false,
        };
        pdf && parse.links.iter().all(|link| link.target.is_file())
    }

    /// A Markdown link to another content file that leads to no file is a
    /// warning (W0108), not an error: sites moving in hold such links by the
    /// dozen, and the feeds link it as written, resolved (see
    /// `Store::content_url`). The links that lead to a file are returned,
    /// with where they are written and what they lead to: whether that file
    /// is published is known once every file is loaded.
    fn check_links(&self, src: &Source, url: Option<&str>, problems: &mut Vec<Diagnostic>) -> Vec<Link> {
        let mut found = Vec::new();
        for &(offset, ref link) in &src.references().content_links {
            let target = super::link::link_target(self.root, &src.path, link);
            if target.is_file() {
                found.push(Link { pos: src.body_pos(offset), link: link.clone(), target });
                continue;
            }
            // A page's body reaches no feed: nothing to say of how it is linked.
            let linked = |url: Option<&str>, path: &str| match url {
                Some(url) => format!(": feeds link {}", crate::url::resolve(url, path)),
                None => String::new(),
            };
            let (what, linked, hint) = match link.strip_prefix("@/") {
                Some(path) => (
                    "the internal link",
                    linked(url.map(|_| self.site.base_url.as_str()), path),
                    "Zola's @/ links start in the content folder, e.g. @/news/x.md",
                ),
                None => (
                    "the link",
                    linked(url, link),
                    "links to other content files are relative to this file, e.g. ../publications/x.md",
                ),
            };
            problems.push(
                Diagnostic::new(
                    Code::DanglingLink,
                    &src.path,
                    src.body_pos(offset),
                    format!("{what} to {link:?} leads to no file (looked for {}){linked}", target.display()),
                )
                .with_hint(hint),
            );
        }
        found
    }

    fn item(
        &self,
        section: &SectionDef,
        name: &str,
        src: &Source,
        fm: ItemMatter,
        pdf: Option<(PdfMatter, Option<&Path>)>,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<Parsed> {
        let tz = &self.site.timezone;
        let given = fm.date.map(|d| ("date", d)).or(fm.publish_date.map(|d| ("publishDate", d)));
        let date = match given {
            Some((key, d)) => parse_date(src, key, &d.0, tz, problems),
            None => {
                let addresses = [("path", fm.path.as_deref()), ("url", fm.url.as_deref())];
                match implied_date(src, name, addresses, tz, problems) {
                    Ok(Some(date)) => Some(date),
                    Err(()) => None,
                    Ok(None) => {
                        problems.push(undated(src, fm.title.is_none()));
                        return None;
                    }
                }
            }
        };
        // Only a dated item gets here: one with neither title nor date is
        // a stub, left out above.
        let title = match fm.title {
            None if section.kind == Section::News => title_from_name(src, name, problems),
            title => required_text(src, "title", title.map(|t| one_text(t.0)), problems),
        };
        let updated = [("updated", fm.updated), ("lastmod", fm.lastmod), ("last_modified_at", fm.last_modified_at)]
            .into_iter()
            .find_map(|(key, d)| Some((key, d?)))
            .and_then(|(key, d)| parse_date(src, key, &d.0, tz, problems));
        let slug = slug(src, name, fm.slug, problems);
        let list = |values: Option<front_matter::Strings>, split: bool| {
            values.map(|v| v.into_list(split)).unwrap_or_default().into_iter().map(one_text)
        };
        // Zola keeps its terms in `[taxonomies]`: those pressroom knows count.
        let extra = fm.kept.extra;
        check_extra(src, &extra, problems);
        let taxonomy = |name: &str| -> Vec<String> {
            let terms = extra.get("taxonomies").and_then(|t| t.get(name)).and_then(|v| v.as_array());
            terms.into_iter().flatten().filter_map(|v| v.as_str().map(|s| one_text(s.to_owned()))).collect()
        };
        // Each term once, as written first (`tags = ["moon", "moon"]` is one
        // category in the feeds), whichever key gave it.
        let add = |mut list: Vec<String>, more: &mut dyn Iterator<Item = String>| {
            for value in more {
                if !list.contains(&value) {
                    list.push(value);
                }
            }
            list
        };
        // Jekyll splits one string of `tags` or `categories` at blanks
        // (`tags: ruby jekyll` is two tags), never `category`; Hugo and
        // Zola sites write lists, which stay as they are.
        let tags = add(Vec::new(), &mut list(fm.tags, true).chain(taxonomy("tags")));
        let authors =
            add(Vec::new(), &mut list(fm.authors, false).chain(list(fm.author, false)).chain(taxonomy("authors")));
        let categories = add(
            Vec::new(),
            &mut list(fm.categories, true).chain(list(fm.category, false)).chain(taxonomy("categories")),
        );
        let lists: [(&str, &[String], bool); 3] =
            [("tags", &tags, true), ("authors", &authors, false), ("categories", &categories, true)];
        check_lists(src, &lists, problems);
        let aliases: Vec<String> = list(fm.aliases, false).collect();
        check_chars(src, "aliases", aliases.iter(), problems);
        let redirect_from: Vec<String> = list(fm.redirect_from, false).collect();
        check_chars(src, "redirect_from", redirect_from.iter(), problems);
        let aliases: Vec<String> = aliases.into_iter().chain(redirect_from).collect();
        let summary = summary(src, fm.summary.or(fm.description), problems);
        let texts = [("title", title.iter()), ("summary", summary.iter()), ("id", fm.id.iter())];
        for (key, values) in texts {
            check_chars(src, key, values, problems);
        }
        check_chars(src, "tags", tags.iter(), problems);
        check_chars(src, "authors", authors.iter(), problems);
        check_chars(src, "categories", categories.iter(), problems);
        check_id(src, fm.id.as_deref(), problems);
        let has_pdf = pdf.is_some();
        let publication = pdf.and_then(|(pdf, folder)| self.publication(src, pdf, folder, problems));
        let (title, date, slug) = (title?, date?, slug?);
        if has_pdf && publication.is_none() {
            return None;
        }
        let (mut publication, pdf_seen) = publication.unzip();
        // Zola's `path` is relative to the base URL, and names a folder.
        let path = fm.path.map(|p| {
            let p = p.trim();
            let folder = if p.ends_with('/') || p.is_empty() { "" } else { "/" };
            ("path", format!("/{}{folder}", p.strip_prefix('/').unwrap_or(p)))
        });
        // Jekyll puts a permalink under the site's root, `/` or not.
        let permalink =
            fm.permalink.filter(|p| !p.contains(':')).map(|p| ("permalink", format!("/{}", p.trim_start_matches('/'))));
        // Hugo reads a `url` without its first `/` as a path under the base
        // URL, as `/…` is.
        let on_site = |u: String| if u.contains("://") || u.starts_with('/') { u } else { format!("/{u}") };
        let own = fm.url.map(|u| ("url", on_site(u))).or(path).or(permalink);
        let url = self.place(section, src, date, &slug, &categories, own, publication.as_mut(), problems)?;
        let id_written = fm.id.is_some();
        let id = fm.id.unwrap_or_else(|| self.default_id(section, src, date, &slug, &categories, &url));
        let mut assets = self.assets(src, &url, problems);
        // A body's link to its own PDF, where the PDF is published: one file.
        if let Some(p) = &publication {
            assets.retain(|a| !(a.out_path == p.pdf.out_path && a.source == p.pdf.source));
        }
        let mut item = Item {
            section: section.kind,
            section_name: section.name.clone(),
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
            categories,
            authors,
            aliases,
            extra,
            publication: publication.map(Box::new),
            digest: [0; 32],
        };
        item.seal(src.sha256);
        Some(Parsed::Item {
            item: Box::new(item),
            draft: fm.draft.is_some_and(|d| d.0) || fm.published.is_some_and(|p| !p.0),
            // A made id is made from the slug, where one is written.
            id_pos: if id_written { src.key_pos("id") } else { src.key_pos("slug") },
            slug_pos: src.key_pos("slug"),
            date_pos: src.value_pos("date"),
            links: Vec::new(),
            pdf: pdf_seen.flatten(),
        })
    }

    /// The id of an item whose front matter gives none, as `ids` says.
    fn default_id(
        &self,
        section: &SectionDef,
        src: &Source,
        date: jiff::Timestamp,
        slug: &str,
        categories: &[String],
        url: &str,
    ) -> String {
        let (origin, pattern) = match &self.site.ids {
            Ids::Tag => return self.tag_uri(section, date, slug),
            Ids::Url => return url.to_owned(),
            Ids::Pattern { origin, pattern } => (origin, pattern),
        };
        let path = self.folders(src);
        let categories = super::url_pattern::categories_path(categories);
        let values = Values {
            date: Some(date),
            tz: &self.site.timezone,
            slug,
            section: &section.name,
            file: "",
            path: &path,
            categories: &categories,
        };
        let segments = pattern.segments(&values);
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        match origin {
            None => self.site.base_url.join(&segments, pattern.is_folder()),
            Some(origin) => {
                let path: Vec<String> = segments.iter().map(|s| crate::url::encode_segment(s)).collect();
                let slash = if pattern.is_folder() { "/" } else { "" };
                format!("{origin}/{}{slash}", path.join("/"))
            }
        }
    }

    /// The default id: a tag URI (RFC 4151) from the base URL's host and the
    /// item's date, which no later edit of the title, body or `updated`
    /// changes.
    fn tag_uri(&self, section: &SectionDef, date: jiff::Timestamp, slug: &str) -> String {
        let day = date::day(date, &self.site.timezone);
        let slug = crate::url::encode_segment(slug);
        format!("tag:{},{day}:{}/{slug}", self.site.base_url.host(), section.name)
    }

    fn page(&self, name: &str, src: &Source, fm: PageMatter, problems: &mut Vec<Diagnostic>) -> Option<Parsed> {
        let title = required_text(src, "title", fm.title.map(|t| t.0), problems);
        check_chars(src, "title", title.iter(), problems);
        let updated = fm.updated.and_then(|d| parse_date(src, "updated", &d.0, &self.site.timezone, problems));
        let slug = slug(src, name, fm.slug, problems)?;
        let pattern = &self.site.urls.pages;
        let values = Values {
            date: None,
            tz: &self.site.timezone,
            slug: &slug,
            section: "pages",
            file: "",
            path: &self.folders(src),
            categories: "",
        };
        let placed = pattern.segments(&values);
        // A page without a title is left out: its problem is said.
        title?;
        let page = Page {
            source: src.path.clone(),
            url: self.site.base_url.join(&placed.iter().map(String::as_str).collect::<Vec<_>>(), pattern.is_folder()),
            slug,
            updated,
        };
        Some(Parsed::Page(page, src.key_pos("slug")))
    }
}

/// Why an item with no date anywhere (no `date`, none in its name or
/// address) is left out: with no title either, it is a redirect stub or a
/// fragment of the old site (a note, gathered into one by `Store::load`);
/// with a title, a post its old system dated some other way (a warning).
/// Neither stops a move: the rest of the site is published.
fn undated(src: &Source, untitled: bool) -> Diagnostic {
    if untitled {
        return Diagnostic::new(Code::Stub, &src.path, Pos::FILE, "neither title nor date: left out");
    }
    let hint = format!(
        "add `{}`, or name the file after its date (2021-12-02-{})",
        src.example("date", "2021-12-02"),
        src.path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
    );
    Diagnostic::new(Code::Undated, &src.path, Pos::new(1, 1), "no date anywhere: left out of the feeds and the sitemap")
        .with_hint(hint)
}

/// Another generator's template syntax left in an item's body (W0106): feeds
/// would show it as written. Pages are not checked: pressroom writes no
/// page's body.
fn check_template_syntax(src: &Source, problems: &mut Vec<Diagnostic>) {
    for (offset, construct, what) in markdown::template_syntax(src.body()) {
        let shown = match construct.char_indices().nth(60) {
            Some((cut, _)) => format!("{}…", &construct[..cut]),
            None => construct.to_owned(),
        };
        problems.push(
            Diagnostic::new(
                Code::TemplateSyntax,
                &src.path,
                src.body_pos(offset),
                format!("{shown:?} is {what}, another generator's template syntax: feeds show it as written"),
            )
            .with_hint("replace it with what it stood for, or put it in backticks to show it as code"),
        );
    }
}

/// Characters XML 1.0 cannot carry in an item's body (a form feed pasted
/// from a word processor, or a reference such as `&#12;` that Markdown
/// makes one of): dropped from every output, one warning (W0109) per line
/// at the first of them. Pages are not checked: pressroom writes no page's
/// body. An HTML body's references are passed on as written.
fn check_body_chars(src: &Source, problems: &mut Vec<Diagnostic>) {
    let mut found: Vec<(Pos, char, bool)> = src.body_forbidden().into_iter().map(|(pos, c)| (pos, c, false)).collect();
    if !src.html {
        let references = markdown::forbidden_references(src.body());
        found.extend(references.into_iter().map(|(offset, c)| (src.body_pos(offset), c, true)));
        found.sort_by_key(|&(pos, ..)| (pos.line, pos.column));
    }
    for line in found.chunk_by(|a, b| a.0.line == b.0.line) {
        let (pos, c, reference) = line[0];
        let more = match line.len() {
            1 => String::new(),
            n => format!(" (and {} more on this line)", n - 1),
        };
        let message = match reference {
            true => format!(
                "the character reference here makes {}{more}, which is dropped: {}",
                xml_chars::named(c),
                xml_chars::CANNOT_CARRY
            ),
            false => format!("{}{more} is dropped: {}", xml_chars::named(c), xml_chars::CANNOT_CARRY),
        };
        problems.push(Diagnostic::new(Code::DroppedChar, &src.path, pos, message).with_hint(match reference {
            true => "delete the reference (&#…;): no XML feed can carry the character it stands for".to_owned(),
            false => format!("{} (a page break is U+000C)", xml_chars::HINT),
        }));
    }
}

/// Whether the parse of `item` (from `src`) looked at no other file but the
/// content files its links lead to (`links`: each is there) and a PDF
/// found through real folders (`pdf`): no file its body shows or links.
/// Only such a parse is kept by the cache of parsed files: nothing but the
/// file's own bytes (and what keys the cache) can change it, once each
/// link still leads to a file and the PDF is found as it was.
fn alone(item: &Item, links: &[Link], pdf: &Option<PdfSeen>, src: &Source) -> bool {
    let refs = src.references();
    item.publication.is_some() == pdf.is_some()
        && item.assets.is_empty()
        && refs.content_links.len() == links.len()
        && refs.files.is_empty()
        && refs.html_files.is_empty()
}

/// What a file turned into, before the cross-file checks.
pub(super) enum Parsed {
    Item {
        item: Box<Item>,
        draft: bool,
        id_pos: Pos,
        slug_pos: Pos,
        date_pos: Pos,
        links: Vec<Link>,
        /// How a publication's PDF was found, where the cache can check it.
        pdf: Option<PdfSeen>,
    },
    Page(Page, Pos),
    /// A section's `_index.md`, with the section's name.
    SectionPage(String, SectionPage),
}

/// Reads the front matter as a `T` and hands it to `describe`, which
/// checks its values. Keys that are wrong are reported and left out, so that
/// the rest is checked all the same; such a key (or a misspelt one, `tilte`)
/// is not also reported missing, nor its value made up (a title from the
/// file's name).
fn with_matter<T: Matter>(
    source: &Source,
    problems: &mut Vec<Diagnostic>,
    describe: impl FnOnce(T, &mut Vec<Diagnostic>) -> Option<Parsed>,
) -> Option<Parsed> {
    let (fm, bad_keys) = match front_matter::parse::<T>(source) {
        Ok(fm) => (fm, Vec::new()),
        Err(found) => {
            // TOML and YAML refuse a raw control character: that is the
            // forbidden character already reported on that line.
            let raw_char = problems.iter().find(|d| d.code == Code::ForbiddenChar).map(|d| d.line);
            problems.extend(found.into_iter().filter(|d| Some(d.line) != raw_char));
            front_matter::readable_keys(source)?
        }
    };
    let before = problems.len();
    let entry = describe(fm, problems);
    let about = |d: &Diagnostic, key: &str| match d.code {
        Code::MissingField => d.message.contains(&format!("\"{key}\"")),
        Code::Untitled => key == "title",
        _ => false,
    };
    let mut index = 0;
    problems.retain(|d| {
        index += 1;
        index <= before
            || !bad_keys
                .iter()
                .any(|bad| T::keys().iter().any(|key| about(d, key) && strsim::osa_distance(bad, key) <= 2))
    });
    entry
}

/// The front matter's summary (or description), else the body's text
/// before `<!--more-->`, else its first paragraph; an item
/// with neither summary nor body is a warning.
fn summary(src: &Source, given: Option<String>, problems: &mut Vec<Diagnostic>) -> Option<String> {
    let given = given.map(one_text).filter(|s| !s.is_empty());
    let summary = given.or_else(|| match src.html {
        // An HTML body's text is not Markdown's: it is read as HTML.
        true => {
            let text = crate::html_text::read(&src.clean_body());
            text.excerpt.or(text.first_paragraph)
        }
        false => markdown::summary(&src.clean_body()),
    });
    if summary.is_none() && src.clean_body().trim().is_empty() {
        problems.push(
            Diagnostic::new(
                Code::EmptyItem,
                &src.path,
                src.closing_pos(),
                "no summary and no body: readers will see a title only",
            )
            .with_hint(format!("add `{}` or write a body below the front matter", src.example("summary", "\"…\""))),
        );
    }
    summary
}
