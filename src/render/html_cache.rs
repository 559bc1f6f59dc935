//! The items' HTML that `build`'s proof step has already rendered, kept for
//! the feeds so that a build renders each body once, not twice (the proof
//! must render every item to find every template error, as `check` does).
//! Bounded by a memory budget: past it, the feeds render what was not
//! kept. An item's HTML is taken by the first document that holds it; a
//! second document (its year's archive, another feed) renders it again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::content::Store;
use crate::feed_def::FeedDef;

/// What `build` keeps at the most: about the HTML of 50,000 full items.
pub const BUDGET: usize = 256 << 20;

pub struct HtmlCache<'a> {
    kept: Mutex<HashMap<PathBuf, String>>,
    /// Bytes still free in the budget.
    room: AtomicUsize,
    /// The items whose HTML is worth keeping: those a feed document holds.
    wanted: HashSet<&'a Path>,
}

impl<'a> HtmlCache<'a> {
    /// A cache for the items some feed document of `feeds` will hold: every
    /// item of a feed with archive documents, else its newest `limit`.
    pub fn for_feeds(store: &'a Store, feeds: &[FeedDef], budget: usize) -> HtmlCache<'a> {
        let mut wanted = HashSet::new();
        for def in feeds {
            let items = def.items(store);
            let held = if def.archive { items.len() } else { items.len().min(def.limit) };
            wanted.extend(items[..held].iter().map(|item| item.source.as_path()));
        }
        HtmlCache { kept: Mutex::new(HashMap::new()), room: AtomicUsize::new(budget), wanted }
    }

    /// A cache that keeps nothing (`check`, tests).
    pub fn none() -> HtmlCache<'static> {
        HtmlCache { kept: Mutex::new(HashMap::new()), room: AtomicUsize::new(0), wanted: HashSet::new() }
    }

    /// Keeps the HTML of the item read from `source`, if a feed will want it
    /// and the budget allows. What counts is the memory held: the string's
    /// capacity (a rendered string has room to spare), the key, and the
    /// map's entry.
    pub fn keep(&self, source: &Path, html: String) {
        if !self.wanted.contains(source) {
            return;
        }
        let cost = html.capacity() + source.as_os_str().len() + std::mem::size_of::<(PathBuf, String)>();
        let fits = self.room.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |room| room.checked_sub(cost));
        if fits.is_ok() {
            self.kept.lock().unwrap_or_else(|e| e.into_inner()).insert(source.to_owned(), html);
        }
    }

    /// The kept HTML of the item read from `source`, given up by the cache.
    pub fn take(&self, source: &Path) -> Option<String> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner()).remove(source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_within_its_budget_and_gives_each_once() {
        let entry = std::mem::size_of::<(PathBuf, String)>();
        let wanted = HashSet::from([Path::new("a.md"), Path::new("b.md")]);
        let cache = HtmlCache { kept: Mutex::default(), room: AtomicUsize::new(6 + 4 + entry + 10), wanted };
        cache.keep(Path::new("c.md"), "1".into()); // no feed holds it
        assert_eq!(cache.take(Path::new("c.md")), None);
        cache.keep(Path::new("a.md"), "123456".into());
        cache.keep(Path::new("b.md"), "123456".into()); // past the budget
        assert_eq!(cache.take(Path::new("a.md")).as_deref(), Some("123456"));
        assert_eq!(cache.take(Path::new("a.md")), None);
        assert_eq!(cache.take(Path::new("b.md")), None);
        assert_eq!(HtmlCache::none().take(Path::new("a.md")), None);
    }
}
