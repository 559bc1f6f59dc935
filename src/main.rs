//! The `pressroom` binary, one front end over the library's door
//! (`pressroom::Site`): parse the command line, run the library, print the
//! outcome once and what it says meanwhile (`bars`), exit with the
//! documented status. The command line (`cli`), the environment
//! (`environment`) and every format of printing (`report`) are the
//! binary's modules, not the library's.

mod bars;
mod cli;
mod environment;
mod report;

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use pressroom::{Diagnostic, Error, Severity, Site};

use crate::bars::Bars;
use crate::cli::{Cli, Command, ImportCommand, Run, WordpressArgs};
use crate::environment::Environment;
use crate::report::{Finding, Found, ReportFormat};

/// The system allocator, counting each template render's memory against its
/// budget. Installed here, not by the library: the allocator is the
/// program's choice (a fuzz target or a heap profiler may want its own),
/// and the renders that need the budget run in this binary.
#[global_allocator]
static ALLOCATOR: pressroom::CountingAllocator = pressroom::CountingAllocator;

fn main() -> ExitCode {
    let Cli { command, build } = Cli::parse();
    let env = Environment::read();
    pressroom::on_budget_exceeded(|problem| {
        eprintln!("{problem}");
        eprintln!("pressroom: 1 error(s), 0 warning(s); nothing was written");
    });
    match command.unwrap_or(Command::Build(build)) {
        Command::Build(args) => with_settings(args.run(&env), args.report.format, &env, |settings| {
            pressroom::watch_signals()?;
            let site = Site::load(&settings.paths)?;
            let mut bars = Bars::new(settings.quiet);
            let summary = site.build(&settings.build, |event| bars.show(event))?;
            exit_without_freeing(site);
            problems(settings, &summary.warnings);
            if !summary.kept.is_empty() {
                let text = format!(
                    "left in place {} file(s) this build no longer writes, because they changed since pressroom \
                     wrote them: they are the site's now: {}",
                    summary.kept.len(),
                    summary.kept.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(", ")
                );
                eprintln!("{}", report::message(settings.report, &format!("pressroom: {text}")));
            }
            if !settings.quiet {
                let how = summary.committed.map(|c| format!(" ({c})")).unwrap_or_default();
                let reused = match summary.reused {
                    0 => String::new(),
                    n => format!(
                        " ({n} archive document(s) of the previous build taken over: their inputs are unchanged)"
                    ),
                };
                let text = format!(
                    "wrote {} files to {}{how}; {}{reused}",
                    summary.files,
                    settings.paths.out.display(),
                    summary.counts
                );
                eprintln!("{}", report::message(settings.report, &text));
            }
            Ok(())
        }),
        Command::Check(args) => with_settings(args.run(&env), args.report.format, &env, |settings| {
            let site = Site::load(&settings.paths)?;
            let pressroom::Checked { warnings, counts, .. } = site.check_for(&settings.build)?;
            exit_without_freeing(site);
            problems(settings, &warnings);
            if !settings.quiet {
                // Counted apart: `--deny-warnings` fails on a warning, never
                // on a note, and the failing run's line counts warnings only.
                let count = |severity| warnings.iter().filter(|d| d.severity() == severity).count();
                let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
                let notes = match count(Severity::Note) {
                    0 => String::new(),
                    n => format!(", {}", plural(n, "note")),
                };
                eprintln!("checked: no errors, {}{notes}; {counts}", plural(count(Severity::Warning), "warning"));
            }
            Ok(())
        }),
        // A bundle is checked on its own: no content store or settings needed.
        Command::Verify(args) => {
            verify(&args.bundle, report::chosen(args.report.format, env.github_actions), args.report.quiet)
        }
        // Reads a finished output folder: no content store or settings needed.
        #[cfg(feature = "publish")]
        Command::Publish(args) => publish(&args, &env),
        Command::Import(ImportCommand::Wordpress(args)) => import_wordpress(&args, &env),
    }
}

/// Leaves the loaded store to the end of the process: its 110,000 items
/// of an agency's store are a fifth of a second to free one by one, which
/// the system does at once when the process exits.
fn exit_without_freeing(site: Site) {
    std::mem::forget(site);
}

/// `pressroom import wordpress`: the warnings (each naming the export's
/// line and the post), then one summary of what was imported, left out
/// and warned about; on an error, the error, and nothing was written.
fn import_wordpress(args: &WordpressArgs, env: &Environment) -> ExitCode {
    let format = report::chosen(args.report.format, env.github_actions);
    if let Err(err) = pressroom::watch_signals() {
        eprintln!("pressroom: import: {err}");
        return ExitCode::from(err.exit_code());
    }
    let summary = match pressroom::import_wordpress(&args.options()) {
        Ok(summary) => summary,
        Err(err) => {
            eprintln!("{}", report::message(format, &format!("pressroom: import: {err}")));
            if !matches!(err, Error::Content(_)) {
                eprintln!("{}", report::message(format, "pressroom: import: nothing was written"));
            }
            return ExitCode::from(err.exit_code());
        }
    };
    if !args.report.quiet {
        let printed = match format {
            // The human format shows each problem's source line, read from
            // its file: not from an export of a gigabyte, once per warning.
            ReportFormat::Human => summary.warnings.iter().try_for_each(|w| writeln!(io::stderr(), "{w}")),
            format => {
                let mut out = io::stdout().lock();
                report::write(&mut out, &summary.warnings, format, false).and_then(|()| out.flush())
            }
        };
        if let Err(e) = printed {
            eprintln!("pressroom: cannot print the warnings: {e}");
        }
        let mut lines = Vec::new();
        let verb = if args.dry_run { "would import" } else { "imported" };
        lines.push(format!(
            "{verb} {} item(s) into {}: {} news item(s), {} publication(s), {} page(s); {} file(s) copied from the uploads",
            summary.imported(),
            args.content.display(),
            summary.news,
            summary.publications,
            summary.pages,
            summary.files
        ));
        let mut out: Vec<String> = summary.left_out.iter().map(|(why, n)| format!("{n} {why}")).collect();
        out.extend(
            summary
                .custom_types
                .iter()
                .map(|(kind, n)| format!("{n} of the custom post type {kind:?} (--post-type {kind} imports them)")),
        );
        if !out.is_empty() {
            lines.push(format!("left out {}: {}", summary.left_out_total(), out.join(", ")));
        }
        lines.push(format!("{} warning(s)", summary.warnings.len()));
        if summary.site_toml {
            let urls = match &summary.pattern {
                Some(p) => format!("[urls] news and publications = {p:?}"),
                None if summary.query_permalinks > 0
                    && summary.query_permalinks == summary.news + summary.publications =>
                {
                    "the posts' permalinks are plain (`?p=123`)".to_owned()
                }
                None => "each item keeps its permalink as its url".to_owned(),
            };
            lines.push(format!(
                "site.toml written: timezone {:?}, {urls}; each item keeps its guid as its id",
                summary.timezone
            ));
        } else {
            lines.push("site.toml was there and is left as it is; each item keeps its permalink as its url and its guid as its id".to_owned());
        }
        if summary.query_permalinks > 0 {
            lines.push(format!(
                "{} item(s) whose permalink is a query (`?p=123`), which names no page of a static site, \
                 are placed by the [urls] of site.toml and keep their guid as their id",
                summary.query_permalinks
            ));
        }
        if !summary.kept.is_empty() {
            lines.push(format!(
                "{} file(s) already in {} left as they are",
                summary.kept.len(),
                args.content.display()
            ));
        }
        for line in lines {
            eprintln!("{}", report::message(format, &line));
        }
    }
    ExitCode::SUCCESS
}

/// `pressroom publish`: the plan on stdout with `--dry-run`, a summary on
/// stderr otherwise; a failure names the key and exits 3; SIGINT or
/// SIGTERM stops it between uploads (exit 130, 143).
#[cfg(feature = "publish")]
fn publish(args: &cli::PublishArgs, env: &Environment) -> ExitCode {
    if let Err(err) = pressroom::watch_signals() {
        eprintln!("pressroom: publish: {err}");
        return ExitCode::from(err.exit_code());
    }
    let opts = pressroom::PublishOptions {
        out: args.out.clone(),
        to: args.to.clone(),
        dry_run: args.dry_run,
        headers: args.headers.clone(),
        multipart_bytes: env.multipart_bytes,
    };
    let mut bars = Bars::new(args.quiet);
    match pressroom::publish(&opts, |event| bars.show(event)) {
        Ok(summary) => {
            for line in &summary.planned {
                println!("{line}");
            }
            if !args.quiet {
                let (verb, deleted) =
                    if args.dry_run { ("would upload", "would delete") } else { ("uploaded", "deleted") };
                let kept = match summary.kept {
                    0 => String::new(),
                    n => format!(", {n} left to the site's own object"),
                };
                eprintln!(
                    "{}: {verb} {} file(s) ({} bytes), {deleted} {}, {} unchanged{kept}",
                    args.to, summary.uploaded, summary.uploaded_bytes, summary.deleted, summary.unchanged
                );
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("pressroom: publish: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

/// Runs a command that works on the content store, with checked settings.
fn with_settings(
    settings: Result<Run, Error>,
    format: Option<ReportFormat>,
    env: &Environment,
    run: impl FnOnce(&Run) -> Result<(), Error>,
) -> ExitCode {
    let settings = match settings {
        Ok(settings) => settings,
        Err(err) => return fail(&err, None, report::chosen(format, env.github_actions)),
    };
    match run(&settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&err, Some(&settings), settings.report),
    }
}

/// Prints a failure once: the problem list for content and configuration
/// errors, the error itself otherwise.
fn fail(err: &Error, settings: Option<&Run>, format: ReportFormat) -> ExitCode {
    match (err, settings) {
        (Error::Content(list) | Error::Config(list), Some(settings)) => {
            problems(settings, list);
            let errors = list.iter().filter(|d| d.severity() == Severity::Error).count();
            let warnings = list.iter().filter(|d| d.severity() == Severity::Warning).count();
            eprintln!("pressroom: {errors} error(s), {warnings} warning(s); nothing was written");
        }
        _ => eprintln!("{}", report::message(format, &format!("pressroom: {err}"))),
    }
    ExitCode::from(err.exit_code())
}

/// Problems for people go to stderr; the machine formats go to stdout,
/// where GitHub's runner and scripts read them. With `--quiet`, errors only.
fn problems(settings: &Run, list: &[Diagnostic]) {
    let errors: Vec<Diagnostic>;
    let list = if settings.quiet {
        errors = list.iter().filter(|d| d.severity() == Severity::Error).cloned().collect();
        &errors[..]
    } else {
        list
    };
    let result = match settings.report {
        ReportFormat::Human => report::write(&mut io::stderr().lock(), list, ReportFormat::Human, settings.color),
        format => {
            let mut out = io::stdout().lock();
            report::write(&mut out, list, format, false).and_then(|()| out.flush())
        }
    };
    if let Err(e) = result {
        eprintln!("{}", report::message(settings.report, &format!("pressroom: cannot print the problems: {e}")));
    }
}

/// `pressroom verify`: each problem on stdout, naming the zip entry (in
/// the chosen format); exit 0 intact, 1 problems found, 3 the file cannot
/// be read, 5 it is not something verify can check (a tar file…, or a bag
/// whose only manifests or compression it does not know, with no damage
/// found in the rest). A closed
/// stdout (`| head`) ends the listing quietly.
fn verify(bundle: &Path, format: ReportFormat, quiet: bool) -> ExitCode {
    // Each of these is one line, whatever the bundle's name holds.
    let say = |text: String| eprintln!("{}", report::message(format, &report::visible(&text)));
    let report = match pressroom::verify(bundle) {
        Ok(report) => report,
        Err(err) => {
            say(format!("pressroom: {err}"));
            return ExitCode::from(err.exit_code());
        }
    };
    let name = bundle.display().to_string();
    let damage = [found(Found::Problem, &report.problems), found(Found::Unchecked, &report.unchecked)].concat();
    let notes = [found(Found::Warning, &report.warnings), found(Found::Note, &report.notes)].concat();
    let printed = match format {
        // Warnings and notes for people go to stderr, with the summary.
        ReportFormat::Human => report::write_verify(&mut io::stdout().lock(), &name, &damage, format, true)
            .and_then(|()| report::write_verify(&mut io::stderr().lock(), &name, &notes, format, quiet)),
        _ => report::write_verify(&mut io::stdout().lock(), &name, &[damage, notes].concat(), format, quiet),
    };
    if let Err(e) = printed
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        say(format!("pressroom: cannot print the problems: {e}"));
    }
    match report.verdict(bundle) {
        Ok(()) => {
            if !quiet {
                say(format!(
                    "{name}: intact ({} payload files, {} bytes)",
                    report.payload_files, report.payload_octets
                ));
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            say(format!("pressroom: {err}"));
            ExitCode::from(err.exit_code())
        }
    }
}

/// One list of verify's report, as `report` prints it.
fn found(found: Found, list: &[pressroom::VerifyProblem]) -> Vec<Finding<'_>> {
    list.iter().map(|p| Finding { found, entry: &p.entry, message: &p.message }).collect()
}
