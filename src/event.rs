//! What a long run has to say while it runs, as values: the library never
//! writes to stdout or stderr. The caller gives a sink (`FnMut(Event)`);
//! `send` hands it each event in turn, from whichever thread the work is
//! on, so the sink itself need not be thread-safe.

use std::sync::Mutex;

/// Something a run says while it runs, for its front end to show or to
/// ignore: none of them is a problem of the content (those are returned,
/// as `Diagnostic`s) and none changes what the run does.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// Another run holds the output folder's lock: this one waits for it.
    /// The sentence names the holder and the lock file.
    Waiting { message: String },
    /// A fact about the run worth a line of its own: objects a publish left
    /// to the site, a manifest it could not read, a publish a signal stopped.
    Notice { message: String },
    /// Long work (hashing and bundling PDFs, uploading): `done` of `total`
    /// bytes. Sent as pieces finish, from several threads: `done` may
    /// arrive out of order, never above `total`.
    Progress { label: &'static str, done: u64, total: u64 },
    /// The work `label` that `Progress` reported on is over.
    Finished { label: &'static str, total: u64 },
    /// `publish` starts its step `step` (from 1) of `of`: `files` files of
    /// `bytes` bytes, the ones nothing else links before they are there.
    Step { step: usize, of: usize, name: &'static str, files: usize, bytes: u64 },
    /// `publish`, last: deleting `objects` objects the output no longer holds.
    Deleting { objects: usize },
}

/// Where the library sends its events: the caller's sink, behind a lock
/// (`sink`), so that the threads of one run can share it.
pub(crate) type Events<'a> = dyn Fn(Event) + Sync + 'a;

/// Sends `event` to the locked sink. A sink that panicked on one thread
/// still takes the others' events.
pub(crate) fn send(sink: &Mutex<&mut (dyn FnMut(Event) + Send)>, event: Event) {
    let mut sink = sink.lock().unwrap_or_else(|e| e.into_inner());
    (*sink)(event);
}

/// `say` for the output lock: its waits as `Event::Waiting`.
pub(crate) fn waiting<'a>(events: &'a Events<'a>) -> impl Fn(&str) + 'a {
    move |message: &str| events(Event::Waiting { message: message.to_owned() })
}
