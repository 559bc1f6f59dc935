//! Ctrl-C, SIGTERM and SIGHUP during a build (a cancelled CI job, a closed
//! terminal). The first such signal only raises a flag: the writers check it
//! (`check`) and the build unwinds like any failed build, removing its
//! staging folder and leaving the previous output as it was; the process
//! then exits 128 + the signal's number, as a shell reports a signal. A
//! second signal ends the process at once, for a user who will not wait;
//! what that leaves behind the next build removes, as after a SIGKILL.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

static RECEIVED: AtomicUsize = AtomicUsize::new(0);
static ARMED: AtomicBool = AtomicBool::new(false);
/// Folders a build made beside its output that must not outlive the
/// process (its staging folder), for `exit`.
static MADE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Set by `exit`: writers stop (`check`) while it removes what `MADE` holds.
static ENDING: AtomicBool = AtomicBool::new(false);

/// Takes over the three signals for the rest of the process.
pub fn watch() -> io::Result<()> {
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        // In this order: the shutdown looks at `ARMED` before the first
        // signal sets it, so only a second one ends the process.
        let status = crate::error::Error::Interrupted(signal).exit_code();
        signal_hook::flag::register_conditional_shutdown(signal, status.into(), &ARMED)?;
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
    if ENDING.load(Ordering::SeqCst) {
        return Err(io::Error::other("the process is ending"));
    }
    match received() {
        None => Ok(()),
        Some(signal) => Err(io::Error::other(format!("interrupted by signal {signal}"))),
    }
}

/// Notes `dir` as made by this build, to be removed if the process must end
/// at once (`exit`); `done` when the build removed or committed it itself.
pub fn made(dir: &Path) {
    MADE.lock().unwrap_or_else(|e| e.into_inner()).push(dir.to_owned());
}

/// `dir` is no longer this process's to remove.
pub fn done(dir: &Path) {
    MADE.lock().unwrap_or_else(|e| e.into_inner()).retain(|d| d != dir);
}

/// Ends the process with `code` now, from a render that cannot be stopped
/// from inside (a template past its budget: `template::end`), after
/// removing the folders the build made (`made`): the staging folder of a
/// build that fails this way goes, as it does when a build fails otherwise.
pub fn exit(code: i32) -> ! {
    ENDING.store(true, Ordering::SeqCst);
    let made = std::mem::take(&mut *MADE.lock().unwrap_or_else(|e| e.into_inner()));
    for dir in made {
        let _ = std::fs::remove_dir_all(dir);
    }
    std::process::exit(code)
}
