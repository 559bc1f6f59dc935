//! Ctrl-C, SIGTERM and SIGHUP during a build (a cancelled CI job, a closed
//! terminal). The first such signal only raises a flag: the writers check it
//! (`check`) and the build unwinds like any failed build, removing its
//! staging folder and leaving the previous output as it was; the process
//! then exits 128 + the signal's number, as a shell reports a signal. A
//! second signal ends the process at once, for a user who will not wait;
//! what that leaves behind the next build removes, as after a SIGKILL.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

static RECEIVED: AtomicUsize = AtomicUsize::new(0);
static ARMED: AtomicBool = AtomicBool::new(false);

/// Takes over the three signals for the rest of the process.
pub fn watch() -> io::Result<()> {
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        // In this order: the shutdown looks at `ARMED` before the first
        // signal sets it, so only a second one ends the process.
        signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, &ARMED)?;
        signal_hook::flag::register_usize(signal, &RECEIVED, signal as usize)?;
        signal_hook::flag::register(signal, &ARMED)?;
    }
    Ok(())
}

/// The signal received, if any.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        n => Some(n as i32),
    }
}

/// An error once a signal was received: writers call it between chunks, so
/// a build stops within a moment of the signal.
pub fn check() -> io::Result<()> {
    match received() {
        None => Ok(()),
        Some(signal) => Err(io::Error::other(format!("interrupted by signal {signal}"))),
    }
}
