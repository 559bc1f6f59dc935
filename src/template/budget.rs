//! The budget of one render, and the end of the process past it where the
//! render cannot be stopped from inside: shared by the template (output
//! and time, its watchdog) and the global allocator (`memory`).

use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// The most a single render may write: a full item is rarely past 1 MiB.
pub const MAX_OUTPUT: u64 = 64 << 20;
/// The most a single render may allocate beyond what it frees: four times
/// `MAX_OUTPUT`, room for the output as it grows, the item's HTML and the
/// strings a template builds on the way. Renders run one per core, so a
/// runaway template may hold this much on each before the first is
/// stopped. Kept only where `memory::Counting` is the global allocator
/// (the `pressroom` binary).
pub const MAX_MEMORY: usize = 256 << 20;
/// The longest a single render may take (`PRESSROOM_RENDER_SECONDS`
/// shortens it for tests: `Settings::render_time`).
pub const MAX_TIME: Duration = Duration::from_secs(10);
/// How long past `MAX_TIME` the watchdog waits for a render that cannot be
/// stopped from inside before it ends the process.
pub(super) const GRACE: Duration = Duration::from_secs(5);

/// The front end's word on a render past its budget, said just before the
/// process ends (`on_exceeded`).
static REPORT: OnceLock<fn(&Diagnostic)> = OnceLock::new();

/// Sets what `end` calls with the problem before the process ends; the
/// first call sets it for the life of the process.
pub fn on_exceeded(report: fn(&Diagnostic)) {
    let _ = REPORT.set(report);
}

/// Ends the process with `problem`, for a render past its budget that cannot
/// be stopped: the watchdog's, and the allocator's (which may not unwind).
/// Nothing has been published: the build's staging folder is removed on the
/// way out (`interrupt::exit`); the output lock's file, if any, the next
/// build takes over, as after a kill.
pub(super) fn end(problem: &Diagnostic) -> ! {
    // Two renders past their budget at once: the second waits for the exit
    // rather than print a second report.
    static ENDING: Mutex<()> = Mutex::new(());
    let _alone = ENDING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(report) = REPORT.get() {
        report(problem);
    }
    let status = Error::Config(vec![problem.clone()]).exit_code();
    crate::interrupt::exit(status.into())
}
