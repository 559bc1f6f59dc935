//! What one run of the recipe (`build`) is given: the places and the
//! options of `Paths` and `BuildOptions`, made once by the door (`Site`).

use std::path::PathBuf;
use std::time::Duration;

use jiff::Timestamp;

#[derive(Debug, Clone)]
pub struct Settings {
    pub content: PathBuf,
    pub feeds: PathBuf,
    pub out: PathBuf,
    /// The moment the build runs as of: `SOURCE_DATE_EPOCH`, else the clock.
    /// It only decides which scheduled items are due; no output carries it.
    pub now: Timestamp,
    /// `SOURCE_DATE_EPOCH` when set: it also clamps archive timestamps.
    pub epoch: Option<Timestamp>,
    /// Fault injection for tests (`PRESSROOM_FAIL_STAGE`): the named stage
    /// of the build fails as a full disk would, to prove that a failed build
    /// publishes nothing.
    pub fail_stage: Option<String>,
    /// The longest one render of a template may take.
    pub render_time: Duration,
    /// Warnings fail the run.
    pub deny_warnings: bool,
    /// `--into-existing`: write into a folder that holds other files.
    pub into_existing: bool,
    /// Wait for another build of the same output (no `--no-wait`).
    pub wait: bool,
}
