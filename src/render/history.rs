//! The whole history of a feed, for subscribers who come late, aggregators
//! and web archives: RFC 5005 (Feed Paging and Archiving) §4, archived
//! feeds. A feed's subscription document holds its newest items; every item
//! of the feed is also in exactly one archive document, each a period of
//! time, linked oldest to newest with `prev-archive` / `next-archive`.
//!
//! The unit is the calendar year in the site's time zone, as for the yearly
//! bundles: an item's period follows from its own date alone, so publishing
//! newer items, or editing, removing or back-dating one, changes only the
//! document of that item's period (and, once, the newest document, which
//! gains a `next-archive` link when a new period begins). A fixed count of
//! items per document would shift every later document on each removal or
//! back-dated item. A year with more than `MAX_ITEMS` items is split into its
//! months, and a month with more into slices of `MAX_ITEMS` in date order,
//! so no document grows without bound. The newest period is still open: its
//! document changes as items arrive, and the subscription feed's
//! `prev-archive` leads to it, so every item stays reachable.

use jiff::tz::TimeZone;

use crate::content::Item;

/// No archive document holds more items than this.
pub const MAX_ITEMS: usize = 1000;

/// One archive document: its name (`2021`, `2021-05`, `2021-05-2`, the last
/// part of its URL) and its items, newest first as in every feed.
pub struct Period<'s> {
    pub name: String,
    pub items: Vec<&'s Item>,
}

/// The periods of `items` (newest first, as feeds order them), oldest
/// period first.
pub fn periods<'s>(items: &[&'s Item], tz: &TimeZone) -> Vec<Period<'s>> {
    let mut periods = Vec::new();
    // Grouped by number, named once a group: an agency's 110,000 items.
    for (year, in_year) in group(items.iter().rev().copied(), |i| local(i, tz).year()) {
        if in_year.len() <= MAX_ITEMS {
            periods.push(Period { name: format!("{year:04}"), items: in_year });
            continue;
        }
        for (month, in_month) in group(in_year.into_iter(), |i| local(i, tz).month()) {
            let month = format!("{year:04}-{month:02}");
            if in_month.len() <= MAX_ITEMS {
                periods.push(Period { name: month, items: in_month });
                continue;
            }
            for (n, slice) in in_month.chunks(MAX_ITEMS).enumerate() {
                periods.push(Period { name: format!("{month}-{}", n + 1), items: slice.to_vec() });
            }
        }
    }
    for period in &mut periods {
        period.items.reverse();
    }
    periods
}

/// The item's day in the site's zone.
fn local(item: &Item, tz: &TimeZone) -> jiff::civil::Date {
    tz.to_offset(item.date).to_datetime(item.date).date()
}

/// Consecutive runs of `items` (oldest first) with the same key.
fn group<'s, K: PartialEq>(items: impl Iterator<Item = &'s Item>, key: impl Fn(&Item) -> K) -> Vec<(K, Vec<&'s Item>)> {
    let mut groups: Vec<(K, Vec<&'s Item>)> = Vec::new();
    for item in items {
        let k = key(item);
        match groups.last_mut() {
            Some((last, members)) if *last == k => members.push(item),
            _ => groups.push((k, vec![item])),
        }
    }
    groups
}
