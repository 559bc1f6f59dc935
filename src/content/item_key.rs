//! An item of the loaded store as the key of a set or a map, by identity:
//! a build's sets of an agency's 110,000 items hash one word per item, not
//! each item's path.

use std::hash::{Hash, Hasher};

use super::item::Item;

/// The very item of one loaded store: two keys are equal only for the same
/// item (items are boxed and the store is borrowed, so none moves while a
/// key lives).
#[derive(Debug, Clone, Copy)]
pub struct ItemKey<'s>(pub &'s Item);

impl PartialEq for ItemKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for ItemKey<'_> {}

impl Hash for ItemKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::ptr::hash(self.0, state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn equal_items_are_still_two_keys() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal/content");
        let store = super::super::Store::load(&root, jiff::Timestamp::from_second(1_900_000_000).unwrap()).unwrap();
        let item = store.news[0].as_ref();
        let copy = item.clone();
        let keys: HashSet<ItemKey<'_>> = [ItemKey(item), ItemKey(item), ItemKey(&copy)].into_iter().collect();
        assert_eq!(keys.len(), 2);
        assert!(keys.contains(&ItemKey(store.news[0].as_ref())));
    }
}
