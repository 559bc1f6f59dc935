//! One Tera template of the store (`feeds/templates/<name>`, else the
//! built-in copy), compiled at load time and rendered under a budget. Its
//! errors, from compiling or from rendering, are configuration problems
//! pinned to the template's line and column, so `check` and `build` report
//! them alike (exit 2, never as an I/O failure).
//!
//! The budget: a render may write at most `MAX_OUTPUT` bytes, hold at most
//! `MAX_MEMORY` and run for at most `MAX_TIME`. Time is checked at every
//! `CLOCK_EVERY`th write of output and whenever the template calls `range`
//! (Tera's own loops have no hook); a render that does neither for
//! `MAX_TIME` plus `GRACE` is stopped by the watchdog, which ends the process
//! with the same problem (Tera cannot be interrupted from outside). Memory is
//! counted by the global allocator (`memory`), which ends the process the
//! same way (`budget::end`).

use sha2::Digest as _;
use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::diagnostic::{Code, Diagnostic, Pos};

pub(crate) mod budget;
pub mod memory;

use budget::{GRACE, end};
pub use budget::{MAX_MEMORY, MAX_OUTPUT, MAX_TIME};

pub struct Template {
    tera: tera::Tera,
    name: &'static str,
    /// Where the store's copy is (or would be): named in every problem.
    pub path: PathBuf,
    /// The longest one render may take.
    max_time: Duration,
    /// A render went past the budget: the others are not started, as the
    /// same loop would cost each of them the whole budget again.
    spent: Mutex<Option<Diagnostic>>,
    /// SHA-256 of the text it was compiled from: what outputs reused by
    /// fingerprint (`crate::reuse`) know of it.
    digest: [u8; 32],
}

impl Template {
    /// The template `name`: the store's `feeds_dir/templates/<name>` if there
    /// is one, else `default` (compiled in); each render may take up to
    /// `max_time`.
    pub fn load(
        feeds_dir: &Path,
        name: &'static str,
        default: &str,
        max_time: Duration,
    ) -> Result<Template, Diagnostic> {
        let path = feeds_dir.join("templates").join(name);
        let text = match crate::content::regular::read_to_string(&path) {
            // CR would reach the outputs: kept by JSON, read as LF by XML parsers.
            Ok(text) => text.replace("\r\n", "\n").replace('\r', "\n"),
            Err(e) if e.kind() == io::ErrorKind::NotFound => default.to_owned(),
            Err(e) => {
                return Err(Diagnostic::new(Code::Io, &path, Pos::FILE, format!("cannot read the template: {e}")));
            }
        };
        // Its text reaches the feeds' XML as written.
        if let Some((at, c)) = text.char_indices().find(|&(_, c)| crate::xml_chars::forbidden(c)) {
            let message = format!("the template contains {}, which XML forbids", crate::xml_chars::named(c));
            return Err(Diagnostic::new(Code::Template, &path, Pos::of_offset(&text, at), message)
                .with_hint(crate::xml_chars::HINT));
        }
        let mut tera = tera::Tera::new();
        // Overrides the built-in `range`: the same function, with the budget.
        tera.register_function("range", range);
        tera.add_raw_template(name, &text).map_err(|e| problem(&path, &e, None))?;
        let digest = sha2::Sha256::digest(text.as_bytes()).into();
        Ok(Template { tera, name, path, max_time, spent: Mutex::new(None), digest })
    }

    /// SHA-256 of the template's text (the store's copy or the default).
    pub fn digest(&self) -> [u8; 32] {
        self.digest
    }

    /// Renders the template with `ctx`; `subject` (the item or bundle it is
    /// rendered for) is named in problems.
    pub fn render(&self, ctx: &tera::Context, subject: &str) -> Result<String, Diagnostic> {
        if let Some(first) = self.spent.lock().unwrap_or_else(|e| e.into_inner()).clone() {
            return Err(first);
        }
        let started = Instant::now();
        let deadline = started + self.max_time;
        let guard = Watch::start(deadline + GRACE, self.budget_problem(subject, Limit::Time));
        DEADLINE.with(|d| d.set(Some(deadline)));
        let mut out = Budget { inner: Vec::new(), deadline, exceeded: None, writes: 0 };
        let rendered = memory::within(&|| self.budget_problem(subject, Limit::Memory), || {
            self.tera.render_to(self.name, ctx, &mut out)
        });
        DEADLINE.with(|d| d.set(None));
        drop(guard);
        let past_deadline = Instant::now() > deadline;
        let over = match out.exceeded {
            Some(limit) => Some(self.budget_problem(subject, limit)),
            None if rendered.is_err() && past_deadline => Some(self.budget_problem(subject, Limit::Time)),
            None => None,
        };
        if let Some(problem) = over {
            self.spent.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(problem.clone());
            return Err(problem);
        }
        match rendered {
            Err(e) => Err(problem(&self.path, &e, Some(subject))),
            // What it is given and its own text are checked where they are
            // read; whatever still makes a character XML forbids (a
            // filter, an escape) must not reach a feed.
            Ok(()) => String::from_utf8(out.inner).map(crate::xml_chars::without_forbidden).map_err(|_| {
                Diagnostic::new(Code::Template, &self.path, Pos::FILE, format!("rendering {subject}: not UTF-8"))
            }),
        }
    }

    fn budget_problem(&self, subject: &str, limit: Limit) -> Diagnostic {
        let limit = match limit {
            Limit::Size => format!("{} MiB of output", MAX_OUTPUT >> 20),
            Limit::Memory => format!("{} MiB of memory", MAX_MEMORY >> 20),
            Limit::Time => format!("{} s", self.max_time.as_secs()),
        };
        Diagnostic::new(
            Code::TemplateBudget,
            &self.path,
            Pos::FILE,
            format!("rendering {subject} went past the render budget of {limit}"),
        )
        .with_hint("a loop too large? each render may write 64 MiB, hold 256 MiB and take 10 s")
    }
}

/// The part of the budget a render went past.
#[derive(Clone, Copy)]
enum Limit {
    Size,
    Memory,
    Time,
}

/// A Tera error as a problem of the template file, at its line and column
/// when Tera knows them.
fn problem(path: &Path, e: &tera::Error, subject: Option<&str>) -> Diagnostic {
    let (message, pos) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            (r.message().to_owned(), Pos::new(span.start_line.max(1), span.start_col + 1))
        }
        _ => (first_line(&e.to_string()), Pos::FILE),
    };
    let message = match subject {
        Some(subject) => format!("rendering {subject}: {message}"),
        None => message,
    };
    Diagnostic::new(Code::Template, path, pos, message)
}

/// The first line of a Tera error: the rest repeats the template source.
fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).to_owned()
}

thread_local! {
    /// The deadline of the render running on this thread, for `range`.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Tera's `range(start, end, step_by)`, refused once the render's deadline
/// has passed, so that nested loops over ranges stop in time.
fn range(kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<Vec<i64>> {
    if DEADLINE.with(Cell::get).is_some_and(|d| Instant::now() > d) {
        return Err(tera::Error::message("the render budget is spent"));
    }
    let start = kwargs.get::<i64>("start")?.unwrap_or_default();
    let end = kwargs.must_get::<i64>("end")?;
    let step = kwargs.get::<i64>("step_by")?.unwrap_or(1);
    if step == 0 {
        return Err(tera::Error::message("Function `range` was called with a `step_by` argument of 0"));
    }
    if start > end && step > 0 {
        return Err(tera::Error::message("Function `range` was called with a `start` greater than its `end`"));
    }
    let len = (i128::from(end) - i128::from(start)) / i128::from(step);
    if len > 100_000 {
        return Err(tera::Error::message(format!("Function `range` would produce {len} elements, more than 100000")));
    }
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < end) || (step < 0 && i > end) {
        out.push(i);
        i = match i.checked_add(step) {
            Some(next) => next,
            None => break,
        };
    }
    Ok(out)
}

/// A writer that refuses to grow past `MAX_OUTPUT` or to go on past its
/// deadline; Tera stops at the first refused write.
struct Budget {
    inner: Vec<u8>,
    deadline: Instant,
    exceeded: Option<Limit>,
    /// Writes so far: the clock is read once every `CLOCK_EVERY` of them.
    writes: u32,
}

/// Tera writes each escaped run of a value on its own, tens of thousands of
/// writes in an archive document: reading the clock at each was 2.8% of an
/// agency's first build. A few dozen writes take microseconds, so the
/// deadline is still kept to well within its grace.
const CLOCK_EVERY: u32 = 64;

impl Write for Budget {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.inner.len() as u64 + buf.len() as u64 > MAX_OUTPUT {
            self.exceeded = Some(Limit::Size);
        } else if self.writes.is_multiple_of(CLOCK_EVERY) && Instant::now() > self.deadline {
            self.exceeded = Some(Limit::Time);
        }
        if self.exceeded.is_some() {
            return Err(io::Error::other("the render budget is spent"));
        }
        self.writes = self.writes.wrapping_add(1);
        self.inner.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Renders that are running, watched by one thread for the render that
/// neither writes nor calls `range` and so cannot see its own deadline.
struct Watch(u64);

static RUNNING: OnceLock<Mutex<HashMap<u64, (Instant, Diagnostic)>>> = OnceLock::new();
static NEXT: AtomicU64 = AtomicU64::new(0);

impl Watch {
    fn start(kill_at: Instant, problem: Diagnostic) -> Watch {
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        let running = RUNNING.get_or_init(|| {
            std::thread::spawn(watchdog);
            Mutex::new(HashMap::new())
        });
        running.lock().unwrap_or_else(|e| e.into_inner()).insert(id, (kill_at, problem));
        Watch(id)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Some(running) = RUNNING.get() {
            running.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.0);
        }
    }
}

fn watchdog() {
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let Some(running) = RUNNING.get() else { continue };
        let now = Instant::now();
        let late = running.lock().unwrap_or_else(|e| e.into_inner()).values().find(|(at, _)| now > *at).cloned();
        if let Some((_, problem)) = late {
            end(&problem);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(text: &str) -> Result<Template, Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/t.html"), text).unwrap();
        Template::load(dir.path(), "t.html", "", MAX_TIME)
    }

    #[test]
    fn syntax_errors_have_a_line_and_column() {
        let d = template("a\n{{ x }\n").err().unwrap();
        assert_eq!((d.code, d.line), (Code::Template, 2), "{d}");
        assert!(d.column >= 1);
    }

    #[test]
    fn no_character_xml_forbids_comes_out() {
        let d = template("<p>\n  a\u{c}</p>").err().unwrap();
        assert_eq!((d.code, d.line, d.column), (Code::Template, 2, 4), "{d}");
        assert!(d.message.contains("U+000C"), "{d}");
        let t = template("<p>{{ x }}</p>").unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("x", "a\u{1}b\u{ffff}");
        assert_eq!(t.render(&ctx, "x").unwrap(), "<p>ab</p>");
    }

    #[test]
    fn missing_values_are_problems_of_the_template() {
        let t = template("<p>\n{{ item.nope }}</p>").unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("item", &serde_json::json!({"title": "A"}));
        let d = t.render(&ctx, "a.md").unwrap_err();
        assert_eq!((d.code, d.line, d.column), (Code::Template, 2, 9), "{d}");
        assert!(d.message.starts_with("rendering a.md: "), "{d}");
    }

    #[test]
    fn output_past_the_budget_stops_the_render() {
        let t = template(
            "{% for i in range(end=100000) %}{% for j in range(end=1000) %}xxxxxxxxxx{% endfor %}{% endfor %}",
        )
        .unwrap();
        let d = t.render(&tera::Context::new(), "a.md").unwrap_err();
        assert_eq!(d.code, Code::TemplateBudget, "{d}");
        assert!(d.message.contains("64 MiB"), "{d}");
    }

    #[test]
    fn writing_past_the_deadline_stops_the_render() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        // Tera's own loop over a list: no `range`, only writes see the clock.
        std::fs::write(dir.path().join("templates/t.html"), "{% for x in xs %}{{ x }}{% endfor %}").unwrap();
        let t = Template::load(dir.path(), "t.html", "", Duration::ZERO).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("xs", &vec![1; CLOCK_EVERY as usize * 4]);
        let d = t.render(&ctx, "a.md").unwrap_err();
        assert_eq!(d.code, Code::TemplateBudget, "{d}");
        assert!(d.message.contains("budget of 0 s"), "{d}");
    }

    #[test]
    fn range_keeps_tera_semantics() {
        let t = template("{% for i in range(end=3) %}{{ i }}{% endfor %}|{% for i in range(start=5, end=0, step_by=-2) %}{{ i }}{% endfor %}").unwrap();
        assert_eq!(t.render(&tera::Context::new(), "x").unwrap(), "012|531");
    }
}
