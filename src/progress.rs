//! Progress of long work (hashing and bundling PDFs) on stderr: one line
//! redrawn in place on a terminal, a plain line per tenth of the work
//! otherwise (CI logs), nothing with `--quiet` or when the work is short.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// Below this many bytes the work is over before a progress line helps.
const WORTH_SHOWING: u64 = 256 * 1024 * 1024;

enum Mode {
    Off,
    Terminal,
    Lines,
}

pub struct Progress {
    mode: Mode,
    label: &'static str,
    total: u64,
    done: AtomicU64,
    /// The last tenth printed (lines) or the last percentage drawn (terminal).
    shown: Mutex<u64>,
}

impl Progress {
    /// Progress over `total` bytes of work called `label`.
    pub fn new(label: &'static str, total: u64, quiet: bool) -> Progress {
        let mode = if quiet || total < WORTH_SHOWING {
            Mode::Off
        } else if std::io::stderr().is_terminal() {
            Mode::Terminal
        } else {
            Mode::Lines
        };
        Progress { mode, label, total, done: AtomicU64::new(0), shown: Mutex::new(0) }
    }

    /// Records `bytes` more done; safe to call from many threads.
    pub fn add(&self, bytes: u64) {
        let done = self.done.fetch_add(bytes, Ordering::Relaxed) + bytes;
        let percent = (done.min(self.total) * 100).checked_div(self.total).unwrap_or(100);
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        let mut err = std::io::stderr().lock();
        match self.mode {
            Mode::Off => {}
            Mode::Terminal if percent > *shown => {
                *shown = percent;
                let bar = "#".repeat(percent as usize / 4);
                let _ = write!(err, "\r{:<22} [{bar:<25}] {percent:>3}% of {}", self.label, gib(self.total));
                let _ = err.flush();
            }
            Mode::Lines if percent / 10 > *shown => {
                *shown = percent / 10;
                let _ = writeln!(err, "{}: {percent}% of {}", self.label, gib(self.total));
            }
            _ => {}
        }
    }

    /// Ends the redrawn line on a terminal.
    pub fn finish(&self) {
        if let Mode::Terminal = self.mode {
            let _ = writeln!(std::io::stderr());
        }
    }
}

fn gib(bytes: u64) -> String {
    format!("{:.2} GiB", bytes as f64 / (1u64 << 30) as f64)
}
