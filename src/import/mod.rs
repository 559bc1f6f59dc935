//! `pressroom import wordpress`: a WordPress site moves in from its export
//! (Tools → Export, a WXR file) and its uploads folder.
//!
//! The export is streamed twice, so that memory stays bounded whatever its
//! size (`wxr.rs` holds one item at a time):
//! 1. the small fields only, no bodies: the channel, the authors, the
//!    attachments (id → URL, file, parent: WordPress may write them after
//!    the posts that show them), each kept post's permalink and dates (for
//!    the `[urls]` pattern and the site's time zone) and what is left out;
//! 2. every kept item converted (`body.rs`, `autop.rs`, `item.rs`) and
//!    written at once into a staging folder beside `content/` with the
//!    files it shows (`write.rs`), which is renamed into place at the end.
//!
//! Ids: WordPress's own feeds carry each post's `guid` (RSS `<guid>`, Atom
//! `<id>`, through `the_guid()`), which is `https://site/?p=123` for most
//! sites, not the permalink. Each item therefore keeps its guid as its
//! `id`, so that no subscriber's reader shows an old post again as new;
//! `ids = "url"` would change every id that is not the permalink.

mod autop;
mod body;
mod item;
mod write;
mod wxr;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;

use crate::diagnostic::{Code, Diagnostic, Pos};
use crate::error::{Error, Result};
use item::{Matter, Permalink, WpDate};
use write::{ContentStaging, Uploads};
use wxr::{Entry, RawItem};

/// What `pressroom import wordpress` was asked.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The export (WXR).
    pub export: PathBuf,
    /// The site's `wp-content/uploads` folder.
    pub uploads: Option<PathBuf>,
    /// The content store to write.
    pub content: PathBuf,
    /// Convert everything, write nothing.
    pub dry_run: bool,
    /// Add to a non-empty content folder, never replacing a file.
    pub merge: bool,
    /// Categories or tags whose posts are publications.
    pub publication_categories: Vec<String>,
    /// Custom post types imported as news items.
    pub post_types: Vec<String>,
}

/// What the import did, for `main.rs` to print.
#[derive(Debug, Default)]
pub struct ImportSummary {
    pub news: usize,
    pub publications: usize,
    pub pages: usize,
    /// Files copied from the uploads folder (PDFs and images).
    pub files: usize,
    /// Items left out, by reason ("drafts", "revisions"…).
    pub left_out: BTreeMap<String, usize>,
    /// Custom post types found and left out, with their counts.
    pub custom_types: BTreeMap<String, usize>,
    pub warnings: Vec<Diagnostic>,
    /// Whether `site.toml` was written (it is not when it exists).
    pub site_toml: bool,
    /// The `[urls]` pattern of posts, when all permalinks fit one.
    pub pattern: Option<String>,
    /// Posts whose permalink is a query (`?p=123`): placed by `[urls]`.
    pub query_permalinks: usize,
    pub timezone: String,
    /// Files already in `content/` (with `--merge`), left as they were.
    pub kept: Vec<PathBuf>,
}

impl ImportSummary {
    pub fn imported(&self) -> usize {
        self.news + self.publications + self.pages
    }

    pub fn left_out_total(&self) -> usize {
        self.left_out.values().sum::<usize>() + self.custom_types.values().sum::<usize>()
    }
}

/// An attachment of the export (`post_type` attachment).
#[derive(Debug)]
struct Attachment {
    url: String,
    parent: String,
}

/// What the first pass learns.
#[derive(Default)]
struct Known {
    channel: wxr::Channel,
    authors: HashMap<String, String>,
    attachments: HashMap<String, Attachment>,
    /// Attachment ids by parent post, in the export's order.
    children: HashMap<String, Vec<String>>,
    /// Where the uploads folder is served (`https://host/wp-content/uploads/`),
    /// without the scheme, from the attachments' URLs and files.
    upload_bases: Vec<String>,
    /// Each kept post's permalink, date and `key`.
    posts: Vec<(String, WpDate, String)>,
    /// Each kept post's and page's slug, by `key`: its own, or one made from
    /// its title that no other item has (WordPress's `-2`, `-3`…).
    slugs: HashMap<String, String>,
    /// Each post's instant and its wall time's offset: the site's zone.
    zone_samples: BTreeSet<(jiff::Timestamp, i32)>,
    nested_pages: bool,
}

enum Fate {
    Post,
    Page,
    Attachment,
    Out(String),
    Custom(String),
}

fn fate(item: &RawItem, options: &ImportOptions) -> Fate {
    let kind = item.post_type.trim();
    let imported = match kind {
        "attachment" => return Fate::Attachment,
        "revision" => return Fate::Out("revisions".into()),
        "nav_menu_item" => return Fate::Out("menu items".into()),
        "post" => Fate::Post,
        "page" => Fate::Page,
        other if options.post_types.iter().any(|t| t == other) => Fate::Post,
        other => return Fate::Custom(other.to_owned()),
    };
    match item.status.trim() {
        "publish" if !item.password.is_empty() => Fate::Out("password-protected".into()),
        "publish" => imported,
        "draft" | "auto-draft" => Fate::Out("drafts".into()),
        "pending" => Fate::Out("pending review".into()),
        "private" => Fate::Out("private".into()),
        "trash" => Fate::Out("trash".into()),
        "future" => Fate::Out("scheduled".into()),
        other => Fate::Out(format!("status {other:?}")),
    }
}

/// The slug `wp:post_name` gives, percent-decoded (WordPress stores
/// non-ASCII slugs encoded), if it gives one.
fn given_slug(item: &RawItem) -> Option<String> {
    let name = percent_encoding::percent_decode_str(item.post_name.trim()).decode_utf8_lossy().into_owned();
    item::good_slug(&name).then_some(name)
}

/// The slug of a post without one, as WordPress would have given it: its
/// title's (`sanitize_title()`), else its id. Not the permalink's last
/// segment: that is the host of a plain permalink (`https://host/?p=1`),
/// and the empty slug itself in a structure with `%postname%`.
fn derived_slug(item: &RawItem) -> String {
    let slug = item::sanitize_title(&body::plain_text(&item.title));
    match item.post_id.trim() {
        _ if item::good_slug(&slug) => slug,
        "" => "post".to_owned(),
        id => format!("post-{id}"),
    }
}

/// What tells an item from the others in both passes: its `wp:post_id`,
/// else, in an export without them, its line.
fn key(item: &RawItem) -> String {
    match item.post_id.trim() {
        "" => format!("line {}", item.line),
        id => id.to_owned(),
    }
}

fn without_scheme(url: &str) -> &str {
    let url = url.trim();
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("//"))
        .unwrap_or(url)
}

/// The path of `link` under `base` (both without scheme), percent-decoded:
/// `/2021/12/meeting/`. None for a link elsewhere or with a query.
fn path_under(base: &str, link: &str) -> Option<String> {
    let rest = without_scheme(link).strip_prefix(without_scheme(base))?;
    if rest.contains(['?', '#']) {
        return None;
    }
    let rest = rest.trim_start_matches('/');
    Some(format!("/{}", percent_encoding::percent_decode_str(rest).decode_utf8_lossy()))
}

/// Whether a permalink can be an item's `url`: an http(s) address that
/// names a page without a query, as `check` takes it. A plain permalink
/// (`/?p=123`) names none: a static site serves its folder's index there,
/// whatever the query, and every file its body shows would resolve
/// against that folder, so such an item is placed by `[urls]` instead.
fn page_address(link: &str) -> bool {
    let link = link.trim();
    (link.starts_with("https://") || link.starts_with("http://")) && crate::url::BaseUrl::parse(link).is_ok()
}

/// Imports the export as `options` say; nothing is written on error.
pub fn wordpress(options: &ImportOptions) -> Result<ImportSummary> {
    let content = &options.content;
    if content.exists() && !content.is_dir() {
        return Err(Error::Usage(format!("{}: not a folder", content.display())));
    }
    let non_empty = std::fs::read_dir(content).map(|mut e| e.next().is_some()).unwrap_or(false);
    if non_empty && !options.merge {
        return Err(write::not_empty(content));
    }
    let uploads = match &options.uploads {
        Some(dir) if !dir.is_dir() => {
            return Err(Error::Usage(format!("{}: --uploads is not a folder (wp-content/uploads)", dir.display())));
        }
        Some(dir) => Some(Uploads::open(dir)?),
        None => None,
    };
    let mut summary = ImportSummary::default();
    let known = first_pass(options, &mut summary)?;
    let base = {
        let link =
            if known.channel.link.trim().is_empty() { &known.channel.base_blog_url } else { &known.channel.link };
        let link = link.trim();
        if !(link.starts_with("http://") || link.starts_with("https://")) {
            return Err(Error::Content(vec![Diagnostic::new(
                Code::BadExport,
                &options.export,
                Pos::new(1, 1),
                format!("the channel's <link> {link:?} is not the site's http(s) address"),
            )]));
        }
        format!("{}/", link.trim_end_matches('/'))
    };
    let site_exists = content.join("site.toml").exists();
    summary.timezone = item::timezone(&known.zone_samples);
    let tz = TimeZone::get(&summary.timezone).unwrap_or(TimeZone::UTC);
    if !site_exists {
        // Plain permalinks take the pattern of the others, where they fit
        // one (a site whose structure was set later).
        let links: Option<Vec<Permalink>> = known
            .posts
            .iter()
            .filter(|(link, _, _)| page_address(link))
            .map(|(link, date, id)| {
                let slug = known.slugs.get(id)?.clone();
                Some(Permalink { path: path_under(&base, link)?, date: date.date_in(&tz), slug })
            })
            .collect();
        summary.pattern = links.and_then(|links| item::infer_pattern(&links));
    }
    let mut staging = ContentStaging::new(content, options.dry_run)?;
    let mut convert = Convert {
        options,
        known: &known,
        uploads: uploads.as_ref(),
        base: &base,
        summary: &mut summary,
        used_guids: HashSet::new(),
        tz,
    };
    wxr::read(&options.export, true, |entry| match entry {
        Entry::Item(item) => convert.item(&item, &mut staging),
        _ => Ok(()),
    })?;
    if !site_exists {
        staging.write(Path::new("site.toml"), site_toml(&known, &base, &summary).as_bytes())?;
        summary.site_toml = true;
    }
    summary.kept = staging.commit(content, options.merge)?;
    Ok(summary)
}

fn first_pass(options: &ImportOptions, summary: &mut ImportSummary) -> Result<Known> {
    let mut known = Known::default();
    let mut posts_seen = HashSet::new();
    let mut given = HashSet::new();
    let mut derived = Vec::new();
    wxr::read(&options.export, false, |entry| {
        match entry {
            Entry::Channel(channel) => known.channel = channel,
            Entry::Author { login, display_name } => {
                // WordPress stores the display name escaped for HTML
                // (`Ed &amp; Co`, `O&#039;Neil`); a feed escapes it again.
                let name = body::plain_text(&display_name);
                let name = if name.is_empty() { login.clone() } else { name };
                known.authors.insert(login, name);
            }
            Entry::Item(item) => match fate(&item, options) {
                Fate::Attachment => {
                    let url = item.attachment_url.trim().to_owned();
                    if let Some(base) = upload_base(&url, item.attached_file.trim()) {
                        let base = without_scheme(base).to_owned();
                        if !known.upload_bases.contains(&base) {
                            known.upload_bases.push(base);
                        }
                    }
                    *summary
                        .left_out
                        .entry("attachments (their files are copied where a post shows them)".into())
                        .or_default() += 1;
                    let parent = item.post_parent.trim().to_owned();
                    known.children.entry(parent.clone()).or_default().push(item.post_id.trim().to_owned());
                    known.attachments.insert(item.post_id.trim().to_owned(), Attachment { url, parent });
                }
                Fate::Out(reason) => *summary.left_out.entry(reason).or_default() += 1,
                Fate::Custom(kind) => *summary.custom_types.entry(kind).or_default() += 1,
                Fate::Post | Fate::Page => {
                    let id = key(&item);
                    if !posts_seen.insert(id.clone()) {
                        return Ok(());
                    }
                    match given_slug(&item) {
                        Some(slug) => {
                            given.insert(slug.clone());
                            known.slugs.insert(id.clone(), slug);
                        }
                        None => derived.push((id.clone(), derived_slug(&item))),
                    }
                    known.zone_samples.extend(item::zone_sample(&item.post_date_gmt, &item.post_date));
                    if matches!(fate(&item, options), Fate::Page) {
                        let path = without_scheme(&item.link).split_once('/').map(|(_, p)| p).unwrap_or("");
                        known.nested_pages |= path.trim_matches('/').contains('/');
                    } else if let Some(date) = WpDate::of(&item.post_date_gmt, &item.post_date) {
                        known.posts.push((item.link.trim().to_owned(), date, id));
                    }
                }
            },
        }
        Ok(())
    })?;
    // A post without a slug may be any later one's namesake: the slugs
    // made from titles are given once every slug of the export is known.
    for (id, slug) in derived {
        let free = |s: &String| !given.contains(s);
        let slug = std::iter::once(slug.clone()).chain((2..).map(|n| format!("{slug}-{n}"))).find(free);
        let slug = slug.expect("some number is free");
        given.insert(slug.clone());
        known.slugs.insert(id, slug);
    }
    // Uploads served where WordPress serves them by default, for exports
    // whose attachments carry no `_wp_attached_file`.
    let site = without_scheme(&known.channel.link).trim_end_matches('/').to_owned();
    let default = format!("{site}/wp-content/uploads/");
    if !site.is_empty() && !known.upload_bases.contains(&default) {
        known.upload_bases.push(default);
    }
    Ok(known)
}

/// Where the uploads folder is served, from one attachment's URL: the URL
/// without its `_wp_attached_file`, else up to `wp-content/uploads/`, else
/// without the `YYYY/MM/name` of WordPress's default layout (WordPress.com
/// exports carry no `_wp_attached_file`).
fn upload_base<'a>(url: &'a str, file: &str) -> Option<&'a str> {
    if !file.is_empty()
        && let Some(base) = url.strip_suffix(file)
    {
        return Some(base);
    }
    if let Some(at) = url.find("/wp-content/uploads/") {
        return Some(&url[..at + "/wp-content/uploads/".len()]);
    }
    let mut parts = url.rsplitn(4, '/');
    let (_name, month, year, base) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    (digits(year, 4) && digits(month, 2) && base.contains("://")).then(|| &url[..base.len() + 1])
}

/// The path inside the uploads folder of `url`, when it is served from
/// there: under one of `bases` (without scheme), or under
/// `wp-content/uploads/` on the site's own host, where no attachment said
/// where the uploads are (any other file there is gone with WordPress,
/// and is better named in a warning than left a broken link).
fn upload_path(bases: &[String], site: &str, url: &str) -> Option<String> {
    let url = url.trim();
    let host = without_scheme(site).split('/').next().unwrap_or("");
    let bare = if url.starts_with('/') && !url.starts_with("//") {
        // A root-relative path is on the site's host, not under its base:
        // `/news/wp-content/uploads/…` on a site served under `/news`.
        format!("{host}{url}")
    } else {
        let bare = without_scheme(url);
        if bare.len() == url.len() {
            return None;
        }
        bare.to_owned()
    };
    let bare = bare.split(['?', '#']).next().unwrap_or("");
    let under = |base: &str| {
        let head = bare.get(..base.len())?;
        head.eq_ignore_ascii_case(base).then(|| &bare[base.len()..])
    };
    let rest = bases.iter().find_map(|base| under(base)).or_else(|| {
        let (on, path) = bare.split_once('/')?;
        let at = path.find("wp-content/uploads/")?;
        (on.eq_ignore_ascii_case(host) && (at == 0 || path[..at].ends_with('/')))
            .then(|| &path[at + "wp-content/uploads/".len()..])
    })?;
    let decoded = percent_encoding::percent_decode_str(rest).decode_utf8().ok()?.into_owned();
    (!decoded.is_empty()).then_some(decoded)
}

fn site_toml(known: &Known, base: &str, summary: &ImportSummary) -> String {
    let channel = &known.channel;
    let title = item::xml_clean(&body::plain_text(&channel.title));
    let title = if title.is_empty() { without_scheme(base).trim_end_matches('/').to_owned() } else { title };
    let language = channel.language.trim();
    let language = if language.is_empty() || !language.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        "en"
    } else {
        language
    };
    let mut text = format!(
        "# Written by `pressroom import wordpress` from the export's channel.\n\
         title = {}\nbase_url = {}\ndescription = {}\nlanguage = {}\npublisher = {}\ncopyright = \"\"\ntimezone = {}\n",
        item::toml_string(&title),
        item::toml_string(base),
        item::toml_string(&item::xml_clean(&body::plain_text(&channel.description))),
        item::toml_string(language),
        item::toml_string(&title),
        item::toml_string(&summary.timezone),
    );
    let mut urls = Vec::new();
    if let Some(pattern) = &summary.pattern {
        urls.push(format!("news = {}", item::toml_string(pattern)));
        urls.push(format!("publications = {}", item::toml_string(pattern)));
        if pattern.ends_with('/') {
            // The PDF beside its publication's page, where its body links it.
            urls.push(format!("pdf = {}", item::toml_string(&format!("{pattern}{{file}}"))));
        }
    } else {
        let plain = known.posts.iter().filter(|(link, _, _)| !page_address(link)).count();
        text.push_str(if plain > 0 && plain == known.posts.len() {
            "# The permalinks are plain (`?p=123`): the posts are placed by pressroom's URLs.\n"
        } else if plain > 0 {
            "# The permalinks fit no one pattern: each item keeps its own `url` (but a plain `?p=123` one).\n"
        } else {
            "# The permalinks fit no one pattern: each item keeps its own `url`.\n"
        });
    }
    if known.nested_pages {
        urls.push("pages = \"/{path}{slug}/\"".to_owned());
    }
    if !urls.is_empty() {
        text.push_str("\n[urls]\n");
        for line in urls {
            text.push_str(&line);
            text.push('\n');
        }
    }
    text
}

struct Convert<'a> {
    options: &'a ImportOptions,
    known: &'a Known,
    uploads: Option<&'a Uploads>,
    base: &'a str,
    summary: &'a mut ImportSummary,
    /// The site's zone, for the dates in file names.
    tz: TimeZone,
    /// The ids given so far, so that no two items share one.
    used_guids: HashSet<String>,
}

/// The attachments as the shortcodes of one post see them.
struct PostAttachments<'a> {
    known: &'a Known,
    post_id: &'a str,
}

impl body::Attachments for PostAttachments<'_> {
    fn url(&self, id: &str) -> Option<String> {
        self.known.attachments.get(id).map(|a| a.url.clone())
    }

    fn children(&self) -> Vec<String> {
        let ids = self.known.children.get(self.post_id).map(Vec::as_slice).unwrap_or(&[]);
        ids.iter()
            .filter_map(|id| self.known.attachments.get(id))
            .filter(|a| {
                let lower = a.url.to_ascii_lowercase();
                [".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg"].iter().any(|e| lower.ends_with(e))
            })
            .map(|a| a.url.clone())
            .collect()
    }
}

/// A file of the uploads a body shows: its path there and its name beside
/// the item.
struct Shown {
    rel: String,
    name: String,
}

impl Convert<'_> {
    fn warn(&mut self, code: Code, item: &RawItem, message: String) {
        // The title as the imported item has it, entities decoded.
        let title = item::xml_clean(&body::plain_text(&item.title));
        let what = format!("{} {title:?} ({})", item.post_type.trim(), item.link.trim());
        self.summary.warnings.push(Diagnostic::new(
            code,
            &self.options.export,
            Pos::new(item.line, 1),
            format!("{what}: {message}"),
        ));
    }

    /// The path inside the uploads folder of a URL the body shows, when it
    /// is one.
    fn upload_path(&self, url: &str) -> Option<String> {
        upload_path(&self.known.upload_bases, self.base, url)
    }

    fn item(&mut self, item: &RawItem, staging: &mut ContentStaging) -> Result<()> {
        // Ctrl-C or SIGTERM: stop between items; the staging folder goes.
        if let Some(signal) = crate::interrupt::received() {
            return Err(Error::Interrupted(signal));
        }
        let is_page = match fate(item, self.options) {
            Fate::Post => false,
            Fate::Page => true,
            _ => return Ok(()),
        };
        let slug = match self.known.slugs.get(&key(item)) {
            Some(slug) => slug.clone(),
            None => given_slug(item).unwrap_or_else(|| derived_slug(item)),
        };
        let mut title = item::xml_clean(&body::plain_text(&item.title));
        if title.is_empty() {
            self.warn(Code::NotKept, item, format!("has no title: imported with its slug {slug:?} as its title"));
            title = slug.clone();
        }
        // Pages take no date; a post without one cannot be placed.
        let date = WpDate::of(&item.post_date_gmt, &item.post_date);
        let date = match date {
            Some(date) => date,
            None if is_page => WpDate::Instant(jiff::Timestamp::UNIX_EPOCH),
            None => {
                self.warn(Code::NotKept, item, "has no date WordPress could give: left out".into());
                *self.summary.left_out.entry("undated".into()).or_default() += 1;
                return Ok(());
            }
        };
        // The body as WordPress shows it.
        let raw = item::xml_clean(&item.content);
        let blocks = body::has_blocks(&raw);
        let mut html = body::strip_block_comments(&raw);
        if !blocks {
            html = autop::autop(&html);
        }
        let attachments = PostAttachments { known: self.known, post_id: item.post_id.trim() };
        let (html, problems) = body::shortcodes(&html, &attachments);
        for problem in problems {
            self.warn(Code::Shortcode, item, problem);
        }
        // Pages are only listed in the sitemap (pressroom writes no page's
        // body): their files are not copied, their links left as written.
        let mut shown: Vec<Shown> = Vec::new();
        let mut missing: Vec<(String, String)> = Vec::new();
        let html = if is_page {
            html
        } else {
            body::rewrite_urls(&html, &mut |url| {
                let rel = self.upload_path(url)?;
                if let Some(found) = shown.iter().find(|s| s.rel == rel) {
                    return Some(encode_name(&found.name));
                }
                let Some(uploads) = self.uploads else {
                    missing.push((rel, "no --uploads folder was given".into()));
                    return None;
                };
                match uploads.open_file(&rel) {
                    Ok(_) => {
                        let name = item::file_stem(rel.rsplit('/').next().unwrap_or(&rel), "file");
                        let name = unique_name(&name, &shown);
                        let href = encode_name(&name);
                        shown.push(Shown { rel, name });
                        Some(href)
                    }
                    Err(why) => {
                        missing.push((rel, why));
                        None
                    }
                }
            })
        };
        // One warning per post and reason, naming the files: an export
        // imported without --uploads would otherwise say it per image.
        let mut reasons: Vec<(String, Vec<String>)> = Vec::new();
        for (rel, why) in missing {
            let path = self.uploads.map(|u| u.path(&rel)).unwrap_or_else(|| PathBuf::from(&rel));
            let path = path.display().to_string();
            match reasons.iter_mut().find(|(w, _)| *w == why) {
                Some((_, paths)) if !paths.contains(&path) => paths.push(path),
                Some(_) => {}
                None => reasons.push((why, vec![path])),
            }
        }
        for (why, paths) in reasons {
            let shown = paths.iter().take(5).map(|p| p.as_str()).collect::<Vec<_>>().join(", ");
            let more = if paths.len() > 5 { format!(" and {} more", paths.len() - 5) } else { String::new() };
            let (files, are) = if paths.len() == 1 { ("", "is") } else { ("s", "are") };
            self.warn(
                Code::MissingUpload,
                item,
                format!(
                    "shows the file{files} {shown}{more}, which {are} not copied: {why}; the body links the old address"
                ),
            );
        }
        // A publication: a post in a category the user named, or whose
        // body links a PDF attached to it, with that PDF as its file.
        let named = self
            .options
            .publication_categories
            .iter()
            .any(|c| item.terms.iter().any(|(domain, name)| is_term(domain) && name.eq_ignore_ascii_case(c)));
        let pdfs: Vec<&Shown> = shown.iter().filter(|s| s.name.to_ascii_lowercase().ends_with(".pdf")).collect();
        let own_pdf = pdfs.iter().find(|s| self.attached_to(&s.rel, item.post_id.trim()));
        let main_pdf = if named { pdfs.first().copied() } else { own_pdf.copied() };
        let main_pdf = main_pdf.filter(|pdf| self.starts_as_pdf(&pdf.rel));
        if named && main_pdf.is_none() && !is_page {
            self.warn(
                Code::NotKept,
                item,
                "is in a publications category but links no PDF of the uploads folder: imported as a news item".into(),
            );
        }
        let section = if is_page {
            "pages"
        } else if main_pdf.is_some() {
            "publications"
        } else {
            "news"
        };
        let mut matter = Matter { title, ..Matter::default() };
        matter.slug = Some(slug.clone());
        if !is_page {
            matter.date = Some(date);
            matter.updated = WpDate::of(&item.post_modified_gmt, &item.post_modified).filter(|u| later(u, &date));
            // Two posts with one guid were one entry to every reader: the
            // first in the export keeps it, the next is told apart by its
            // permalink.
            let guid = item.guid.trim();
            if crate::url::is_absolute_uri(guid) && self.used_guids.insert(guid.to_owned()) {
                matter.id = Some(guid.to_owned());
            } else if !guid.is_empty() {
                let link = item.link.trim();
                let why =
                    if crate::url::is_absolute_uri(guid) { "is another post's too" } else { "is not an absolute URI" };
                if crate::url::is_absolute_uri(link) && self.used_guids.insert(link.to_owned()) {
                    matter.id = Some(link.to_owned());
                    self.warn(Code::NotKept, item, format!("its guid {guid:?} {why}: its id is its permalink"));
                } else {
                    self.warn(
                        Code::NotKept,
                        item,
                        format!("its guid {guid:?} {why}: the item gets an id of pressroom's"),
                    );
                }
            }
            if !page_address(&item.link) {
                self.summary.query_permalinks += 1;
            } else if self.summary.pattern.is_none() {
                matter.url = Some(item.link.trim().to_owned());
            }
            let creator = item.creator.trim();
            if !creator.is_empty() {
                let name = self.known.authors.get(creator).cloned().unwrap_or_else(|| creator.to_owned());
                matter.authors.push(item::xml_clean(&name));
            }
            for (domain, name) in &item.terms {
                let name = item::xml_clean(&body::plain_text(name));
                if name.is_empty() {
                    continue;
                }
                let list = match domain.as_str() {
                    "post_tag" => &mut matter.tags,
                    "category" => &mut matter.categories,
                    _ => continue,
                };
                if !list.contains(&name) {
                    list.push(name);
                }
            }
            let summary = item::xml_clean(&body::plain_text(&item.excerpt));
            matter.summary = (!summary.is_empty()).then_some(summary);
        }
        // Where the file goes: `news/2021-12-02-slug.md`, or a folder with
        // `index.md` and the files the body shows.
        let stem = item::file_stem(&slug, &format!("post-{}", item.post_id.trim()));
        let rel = if is_page {
            self.page_path(item, &stem)
        } else {
            let dated = format!("{}-{stem}", date.date_in(&self.tz));
            if shown.is_empty() {
                PathBuf::from(section).join(format!("{dated}.md"))
            } else {
                PathBuf::from(section).join(dated)
            }
        };
        let content = &self.options.content;
        let taken = |p: &Path| !self.options.merge && content.join(p).exists();
        let rel = staging.unique(&rel, taken);
        let mut html = html;
        if let Some(pdf) = main_pdf {
            matter.file = Some(pdf.name.clone());
            if self.summary.pattern.as_deref().is_none_or(|p| !p.ends_with('/')) {
                // The PDF is published at /publications/{slug}/{file}: the
                // body's link to it says so.
                let to = format!(
                    "{}publications/{}/{}",
                    self.base,
                    crate::url::encode_segment(&slug),
                    encode_name(&pdf.name)
                );
                html = html.replace(&format!("\"{}\"", encode_name(&pdf.name)), &format!("\"{to}\""));
            }
        }
        let text = format!("{}\n{}", matter.to_toml(), body::for_markdown(&html));
        if shown.is_empty() {
            staging.write(&rel, text.as_bytes())?;
        } else {
            staging.write(&rel.join("index.md"), text.as_bytes())?;
            let uploads = self.uploads.expect("files are shown only from an uploads folder");
            for file in &shown {
                let mut from = match uploads.open_file(&file.rel) {
                    Ok(f) => f,
                    Err(why) => {
                        let path = uploads.path(&file.rel);
                        return Err(Error::io(path, std::io::Error::other(why)));
                    }
                };
                staging.copy(&rel.join(&file.name), &mut from, &uploads.path(&file.rel))?;
                self.summary.files += 1;
            }
        }
        match section {
            "pages" => self.summary.pages += 1,
            "publications" => self.summary.publications += 1,
            _ => self.summary.news += 1,
        }
        Ok(())
    }

    /// `pages/about.md`, or `pages/about/team.md` for a child page whose
    /// permalink is `/about/team/` (served by `/{path}{slug}/`).
    fn page_path(&self, item: &RawItem, stem: &str) -> PathBuf {
        let mut rel = PathBuf::from("pages");
        if let Some(path) = path_under(self.base, &item.link) {
            let segments: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
            if segments.len() > 1 {
                for folder in &segments[..segments.len() - 1] {
                    rel.push(item::file_stem(folder, "page"));
                }
            }
        }
        rel.join(format!("{stem}.md"))
    }

    fn attached_to(&self, rel: &str, post_id: &str) -> bool {
        self.known.children.get(post_id).is_some_and(|ids| {
            ids.iter()
                .filter_map(|id| self.known.attachments.get(id))
                .any(|a| a.parent == post_id && self.upload_path(&a.url).is_some_and(|r| r == rel))
        })
    }

    fn starts_as_pdf(&self, rel: &str) -> bool {
        use std::io::Read;
        let Some(uploads) = self.uploads else { return false };
        let Ok(mut file) = uploads.open_file(rel) else { return false };
        let mut head = [0u8; 5];
        file.read_exact(&mut head).is_ok() && &head == b"%PDF-"
    }
}

fn is_term(domain: &str) -> bool {
    domain == "category" || domain == "post_tag"
}

fn later(updated: &WpDate, date: &WpDate) -> bool {
    match (updated, date) {
        (WpDate::Instant(u), WpDate::Instant(d)) => u > d,
        (WpDate::Local(u), WpDate::Local(d)) => u > d,
        _ => true,
    }
}

/// A file name as a relative reference: percent-encoded where a URL needs it.
fn encode_name(name: &str) -> String {
    crate::url::encode_segment(name)
}

/// `name`, or `name-2.ext`… when another file of the item has it.
fn unique_name(name: &str, shown: &[Shown]) -> String {
    if !shown.iter().any(|s| s.name == name) {
        return name.to_owned();
    }
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s, format!(".{e}")),
        None => (name, String::new()),
    };
    (2..).map(|n| format!("{stem}-{n}{ext}")).find(|n| !shown.iter().any(|s| &s.name == n)).expect("a free name")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_are_found_on_the_site_s_host() {
        let bases = vec!["blog.example.net/news/wp-content/uploads/".to_owned(), "cdn.example.net/u/".to_owned()];
        let site = "https://blog.example.net/news/";
        let path = |url: &str| upload_path(&bases, site, url);
        let pic = Some("2021/08/pic.jpg".to_owned());
        assert_eq!(path("https://blog.example.net/news/wp-content/uploads/2021/08/pic.jpg"), pic);
        assert_eq!(path("//Blog.Example.net/news/wp-content/uploads/2021/08/pic.jpg?w=300"), pic);
        // Root-relative: on the host, the subfolder written out.
        assert_eq!(path("/news/wp-content/uploads/2021/08/pic.jpg"), pic);
        assert_eq!(path("https://cdn.example.net/u/2021/08/pic.jpg"), pic);
        // Under wp-content/uploads of the site's host, where no attachment
        // said so: looked for (copied, or named in a warning).
        assert_eq!(path("/wp-content/uploads/2021/08/pic.jpg"), pic);
        assert_eq!(path("https://blog.example.net/old/wp-content/uploads/a%20b.pdf").as_deref(), Some("a b.pdf"));
        for other in [
            "https://elsewhere.org/wp-content/uploads/2021/08/pic.jpg",
            "/news/about/",
            "pic.jpg",
            "mailto:a@example.net",
            "/news/my-wp-content/uploads/x.jpg",
        ] {
            assert_eq!(path(other), None, "{other}");
        }
    }

    #[test]
    fn a_plain_permalink_is_no_page_address() {
        assert!(page_address("https://blog.example.net/news/2021/02/01/plain-one/"));
        assert!(page_address(" http://example.org/a.html "));
        for link in ["https://blog.example.net/news/?p=201", "https://example.org/?page_id=2", "/2021/a/", "", "a b"] {
            assert!(!page_address(link), "{link:?}");
        }
    }
}
