//! Running the `pressroom` binary: always in a clean environment, and
//! waiting for states of the running process, never for times.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The path of the `pressroom` binary under test. Run it through
/// `pressroom()` or `clean_env`, never directly.
pub const BIN: &str = env!("CARGO_BIN_EXE_pressroom");

/// The `pressroom` binary under test, in a clean environment (`clean_env`):
/// every run of the binary in the suite starts here, so that what the
/// developer's shell or the CI runner exports cannot change what a test
/// sees. A test sets back what it needs with `Command::env`.
pub fn pressroom() -> Command {
    pressroom_at(Path::new(BIN))
}

/// `pressroom()` for another copy of the binary.
pub fn pressroom_at(binary: &Path) -> Command {
    let mut cmd = Command::new(binary);
    clean_env(&mut cmd);
    cmd
}

/// Removes from `cmd`'s environment every variable pressroom (or a library
/// it runs) reads, so that a run outside the suite's control reads none:
/// `GITHUB_ACTIONS` (problems as workflow commands on stdout), `NO_COLOR`
/// and the terminal's colour hints, `SOURCE_DATE_EPOCH`, the test hooks
/// `PRESSROOM_*`, object storage's credentials and endpoints, and the HTTP
/// proxies (the publishing tests talk to a store on 127.0.0.1). For a
/// wrapper such as `setpriv`, whose child inherits its environment.
pub fn clean_env(cmd: &mut Command) -> &mut Command {
    const NAMES: &[&str] = &[
        "GITHUB_ACTIONS",
        "CI",
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "FORCE_COLOR",
        "TERM",
        "COLORTERM",
        "SOURCE_DATE_EPOCH",
    ];
    const PREFIXES: &[&str] = &["PRESSROOM_", "AWS_", "GOOGLE_", "AZURE_"];
    const PROXIES: &[&str] = &["http_proxy", "https_proxy", "all_proxy", "no_proxy"];
    for (name, _) in std::env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let lower = name.to_ascii_lowercase();
        if NAMES.contains(&name) || PREFIXES.iter().any(|p| name.starts_with(p)) || PROXIES.contains(&lower.as_str()) {
            cmd.env_remove(name);
        }
    }
    cmd
}

/// Polls `done` every millisecond until it holds: a test waits for a state
/// it can observe (a lock file, a staging folder, a line on stderr), never
/// for a time that a loaded machine can stretch. Panics after `limit`,
/// naming `what`.
#[track_caller]
pub fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "waited {limit:?} for {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Sends `signal` to the running child `pid` and returns once the kernel
/// has delivered it (it is no longer pending, so the child's handler has
/// run): what the child does next is the child's, not the test's timing.
#[track_caller]
pub fn signal_delivered(pid: u32, signal: i32) {
    // SAFETY: a plain kill(2) of a child the caller has not reaped.
    let sent = unsafe { libc::kill(pid as i32, signal) };
    assert_eq!(sent, 0, "kill({pid}, {signal}): {}", std::io::Error::last_os_error());
    let bit = 1u64 << (signal - 1);
    wait_until(&format!("signal {signal} to reach process {pid}"), Duration::from_secs(60), || {
        pending_signals(pid) & bit == 0
    });
}

/// The signals pending for `pid` (`SigPnd` of its thread and `ShdPnd` of
/// the process, from `/proc`); none once it is gone.
fn pending_signals(pid: u32) -> u64 {
    let Ok(status) = fs::read_to_string(format!("/proc/{pid}/status")) else { return 0 };
    status
        .lines()
        .filter_map(|l| l.strip_prefix("SigPnd:").or_else(|| l.strip_prefix("ShdPnd:")))
        .filter_map(|hex| u64::from_str_radix(hex.trim(), 16).ok())
        .fold(0, |all, one| all | one)
}
