//! Progress of long work (hashing and bundling PDFs, uploading) as events
//! (`Event::Progress`): how to draw it, or whether to, is the front end's.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::event::{Event, Events};

pub struct Progress<'e> {
    label: &'static str,
    total: u64,
    done: AtomicU64,
    events: &'e Events<'e>,
}

impl<'e> Progress<'e> {
    /// Progress over `total` bytes of work called `label`.
    pub fn new(label: &'static str, total: u64, events: &'e Events<'e>) -> Progress<'e> {
        Progress { label, total, done: AtomicU64::new(0), events }
    }

    /// Records `bytes` more done; safe to call from many threads.
    pub fn add(&self, bytes: u64) {
        let done = (self.done.fetch_add(bytes, Ordering::Relaxed) + bytes).min(self.total);
        (self.events)(Event::Progress { label: self.label, done, total: self.total });
    }

    pub fn finish(&self) {
        (self.events)(Event::Finished { label: self.label, total: self.total });
    }
}
