//! What the library says while it runs (`pressroom::Event`), on stderr (a
//! module of the binary): waits and notices as lines, progress of long work
//! as one line redrawn in place on a terminal, a plain line per tenth of
//! the work otherwise (CI logs), nothing with `--quiet` or when the work is
//! short.

use std::io::{IsTerminal, Write};

use pressroom::Event;

/// Below this many bytes the work is over before a progress line helps.
const WORTH_SHOWING: u64 = 256 * 1024 * 1024;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Off,
    Terminal,
    Lines,
}

/// The work whose progress is drawn: its label, how, and the last tenth
/// printed (lines) or the last percentage drawn (terminal).
struct Drawing {
    label: &'static str,
    mode: Mode,
    shown: u64,
}

pub struct Bars {
    quiet: bool,
    drawing: Option<Drawing>,
}

impl Bars {
    pub fn new(quiet: bool) -> Bars {
        Bars { quiet, drawing: None }
    }

    pub fn show(&mut self, event: Event) {
        if self.quiet {
            return;
        }
        match event {
            Event::Waiting { message } | Event::Notice { message } => eprintln!("pressroom: {message}"),
            Event::Step { step, of, name, files, bytes } => {
                eprintln!("step {step} of {of}, {name}: {files} file(s), {bytes} bytes");
            }
            Event::Deleting { objects } => eprintln!("last, deleting {objects} object(s) the output no longer holds"),
            Event::Progress { label, done, total } => self.progress(label, done, total),
            Event::Finished { label, total } => {
                if self.drawing(label, total).mode == Mode::Terminal {
                    let _ = writeln!(std::io::stderr());
                }
                self.drawing = None;
            }
            _ => {}
        }
    }

    /// The drawing of `label`, begun with its first event.
    fn drawing(&mut self, label: &'static str, total: u64) -> &mut Drawing {
        match &mut self.drawing {
            Some(d) if d.label == label => {}
            slot => {
                let mode = if total < WORTH_SHOWING {
                    Mode::Off
                } else if std::io::stderr().is_terminal() {
                    Mode::Terminal
                } else {
                    Mode::Lines
                };
                *slot = Some(Drawing { label, mode, shown: 0 });
            }
        }
        self.drawing.as_mut().expect("a drawing, just made")
    }

    fn progress(&mut self, label: &'static str, done: u64, total: u64) {
        let d = self.drawing(label, total);
        let percent = (done.min(total) * 100).checked_div(total).unwrap_or(100);
        let mut err = std::io::stderr().lock();
        match d.mode {
            Mode::Terminal if percent > d.shown => {
                d.shown = percent;
                let bar = "#".repeat(percent as usize / 4);
                let _ = write!(err, "\r{:<22} [{bar:<25}] {percent:>3}% of {}", label, gib(total));
                let _ = err.flush();
            }
            Mode::Lines if percent / 10 > d.shown => {
                d.shown = percent / 10;
                let _ = writeln!(err, "{label}: {percent}% of {}", gib(total));
            }
            _ => {}
        }
    }
}

fn gib(bytes: u64) -> String {
    format!("{:.2} GiB", bytes as f64 / (1u64 << 30) as f64)
}
