//! What a publish will do, decided before any request that writes: which
//! files go up, in which step, and which objects are deleted at the end.
//!
//! The steps follow the links between the files: what others link to goes
//! first, what links to it after, so that a reader who fetches anything
//! while a publish runs (or after one failed midway) finds every object it
//! links to. Objects the output no longer holds go last of all, when no
//! published document links to them any more.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use object_store::ObjectMeta;

use super::headers::{Headers, ObjectHeaders};
use super::local::LocalFile;
use super::manifest::Standing;
use crate::output::publish_rank;

/// The upload steps, in order. Within a step uploads run in parallel.
pub const STEPS: [&str; 6] = [
    "PDFs, images, bundles and sidecars",
    "archive documents",
    "pages and listings",
    "feeds",
    "sitemaps",
    "sitemap.xml and robots.txt",
];

/// The step of a key: the output folder's own order (`publish_rank`), with
/// the archive's listings between the bundles they describe and the pages
/// that link to them.
pub fn step_of(rel: &str) -> usize {
    let archive_document =
        rel.starts_with("archive/") && [".json", ".html", ".csv", ".opml"].iter().any(|ext| rel.ends_with(ext));
    match publish_rank(rel) {
        0 | 1 if archive_document => 1,
        0 => 0,
        rank => rank as usize + 1,
    }
}

/// Why a file is uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    New,
    Changed,
    /// Same bytes, other Content-Type or Cache-Control settings.
    Headers,
    /// pressroom published it, and the store no longer holds it.
    Missing,
    /// A publish that stopped was writing it.
    Unfinished,
    /// The store holds an object there that the manifest does not know (a
    /// first publish into a bucket that holds the site, a lost manifest).
    Unrecorded,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::New => "new",
            Reason::Changed => "changed",
            Reason::Headers => "headers changed",
            Reason::Missing => "removed from the store since pressroom published it",
            Reason::Unfinished => "left unfinished by a publish that stopped",
            Reason::Unrecorded => "replaces an object pressroom has no record of",
        })
    }
}

#[derive(Debug, Clone)]
pub struct Upload {
    pub file: LocalFile,
    pub headers: ObjectHeaders,
    pub reason: Reason,
}

#[derive(Debug, Default)]
pub struct UploadPlan {
    /// One list per entry of `STEPS`, each in key order.
    pub steps: Vec<Vec<Upload>>,
    /// pressroom's objects that the output no longer holds.
    pub deletions: Vec<String>,
    pub unchanged: usize,
    /// Keys of the output where the site's object stands (`Standing::kept`):
    /// not sent.
    pub kept: Vec<String>,
}

impl UploadPlan {
    /// Compares the output's files with where the manifest's keys stand
    /// and with the listing. Only objects that are pressroom's by the
    /// listing (confirmed or unfinished) are deleted.
    pub fn new(
        files: Vec<LocalFile>,
        headers: &Headers,
        standing: &Standing,
        listing: &BTreeMap<String, ObjectMeta>,
    ) -> UploadPlan {
        let mut plan = UploadPlan { steps: vec![Vec::new(); STEPS.len()], ..UploadPlan::default() };
        let local: BTreeSet<String> = files.iter().map(|f| f.rel.clone()).collect();
        for file in files {
            let wanted = headers.of(&file.rel, file.feed);
            let reason = match standing.confirmed.get(&file.rel) {
                Some(e) if e.size != file.size || e.sha256 != file.sha256 => Reason::Changed,
                Some(e) if e.content_type != wanted.content_type || e.cache_control != wanted.cache_control => {
                    Reason::Headers
                }
                Some(_) => {
                    plan.unchanged += 1;
                    continue;
                }
                None if standing.kept.contains(&file.rel) => {
                    plan.kept.push(file.rel);
                    continue;
                }
                None if standing.unfinished.contains(&file.rel) => Reason::Unfinished,
                None if standing.missing.contains(&file.rel) => Reason::Missing,
                None if listing.contains_key(&file.rel) => Reason::Unrecorded,
                None => Reason::New,
            };
            plan.steps[step_of(&file.rel)].push(Upload { file, headers: wanted, reason });
        }
        let ours = standing.confirmed.keys().chain(&standing.unfinished);
        let mut deletions: Vec<String> = ours.filter(|k| !local.contains(*k)).cloned().collect();
        deletions.sort();
        plan.deletions = deletions;
        plan
    }

    pub fn uploads(&self) -> impl Iterator<Item = &Upload> {
        self.steps.iter().flatten()
    }

    /// The plan as `--dry-run` prints it: one line per request that would
    /// write, in the order they would be made.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for (step, uploads) in self.steps.iter().enumerate().filter(|(_, u)| !u.is_empty()) {
            lines.push(format!("# step {}: {}", step + 1, STEPS[step]));
            for u in uploads {
                lines.push(format!(
                    "upload {} ({}, {} bytes, {})",
                    u.file.rel, u.reason, u.file.size, u.headers.content_type
                ));
            }
        }
        if !self.deletions.is_empty() {
            lines.push("# last: objects the output no longer holds".into());
            lines.extend(self.deletions.iter().map(|key| format!("delete {key}")));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_the_links() {
        let order = [
            "publications/2024/report.pdf",
            "archive/all.zip",
            "archive/all.zip.sha256",
            "archive/index.json",
            "archive/index.html",
            "news/index.html",
            "news/rss.xml",
            "publications/feed.json",
            "sitemap-news.xml",
            "sitemap.xml",
            "robots.txt",
        ];
        let steps: Vec<usize> = order.iter().map(|rel| step_of(rel)).collect();
        assert!(steps.is_sorted(), "{steps:?}");
        assert_eq!(steps, [0, 0, 0, 1, 1, 2, 3, 3, 4, 5, 5]);
    }
}
