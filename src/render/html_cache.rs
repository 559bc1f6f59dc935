//! The items' HTML that `build`'s proof step has already rendered, kept for
//! the feeds so that a build renders each body once, not twice (the proof
//! must render every item to find every template error, as `check` does).
//! Bounded by a memory budget: past it, the feeds render what was not
//! kept. An item's HTML is taken by the first document that holds it; a
//! second document (its year's archive, another feed) renders it again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// What `build` keeps at the most: about the HTML of 50,000 full items.
pub const BUDGET: usize = 256 << 20;

pub struct HtmlCache {
    kept: Mutex<HashMap<PathBuf, String>>,
    /// Bytes still free in the budget.
    room: AtomicUsize,
}

impl HtmlCache {
    pub fn new(budget: usize) -> HtmlCache {
        HtmlCache { kept: Mutex::new(HashMap::new()), room: AtomicUsize::new(budget) }
    }

    /// A cache that keeps nothing (`check`, tests).
    pub fn none() -> HtmlCache {
        HtmlCache::new(0)
    }

    /// Keeps the HTML of the item read from `source`, if the budget allows.
    /// What counts is the memory held: the string's capacity (a rendered
    /// string has room to spare), the key, and the map's entry.
    pub fn keep(&self, source: &Path, html: String) {
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
        let cache = HtmlCache::new(6 + 4 + entry + 10);
        cache.keep(Path::new("a.md"), "123456".into());
        cache.keep(Path::new("b.md"), "123456".into()); // past the budget
        assert_eq!(cache.take(Path::new("a.md")).as_deref(), Some("123456"));
        assert_eq!(cache.take(Path::new("a.md")), None);
        assert_eq!(cache.take(Path::new("b.md")), None);
        assert_eq!(HtmlCache::none().take(Path::new("a.md")), None);
    }
}
