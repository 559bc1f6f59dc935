//! The `pressroom` binary: parse the command line, run the library, print
//! the outcome once, exit with the documented status.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use pressroom::cli::{BuildArgs, Cli, Command};
use pressroom::diagnostic::{Diagnostic, Severity};
use pressroom::report::{self, Format};
use pressroom::settings::Settings;
use pressroom::{Error, archive, build, interrupt};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let default = Command::Build(BuildArgs::default());
    match cli.command.as_ref().unwrap_or(&default) {
        Command::Build(args) => with_settings(&cli, |settings| {
            let settings = &settings.clone().building(args.into_existing, !args.no_wait);
            interrupt::watch().map_err(|e| Error::io("signal handlers", e))?;
            let summary = build::build(settings)?;
            problems(settings, &summary.warnings);
            if !settings.quiet {
                let how = summary.committed.map(|c| format!(" ({c})")).unwrap_or_default();
                eprintln!("wrote {} files to {}{how}", summary.files, settings.out.display());
            }
            Ok(())
        }),
        Command::Check => with_settings(&cli, |settings| {
            let warnings = build::check(settings)?;
            problems(settings, &warnings);
            if !settings.quiet {
                let s = if warnings.len() == 1 { "" } else { "s" };
                eprintln!("checked: no errors, {} warning{s}", warnings.len());
            }
            Ok(())
        }),
        // A bundle is checked on its own: no content store or settings needed.
        Command::Verify { bundle } => verify(bundle, cli.paths.quiet),
        // Reads a finished output folder: no content store or settings needed.
        #[cfg(feature = "publish")]
        Command::Publish(args) => publish(&cli, args),
    }
}

/// `pressroom publish`: the plan on stdout with `--dry-run`, a summary on
/// stderr otherwise; a failure names the key and exits 3.
#[cfg(feature = "publish")]
fn publish(cli: &Cli, args: &pressroom::cli::PublishArgs) -> ExitCode {
    let opts = pressroom::publish::Options {
        out: cli.paths.out.clone(),
        to: args.to.clone(),
        dry_run: args.dry_run,
        headers: args.headers.clone(),
        quiet: cli.paths.quiet,
    };
    match pressroom::publish::publish(&opts) {
        Ok(summary) => {
            for line in &summary.planned {
                println!("{line}");
            }
            if !cli.paths.quiet {
                let (verb, deleted) =
                    if args.dry_run { ("would upload", "would delete") } else { ("uploaded", "deleted") };
                eprintln!(
                    "{}: {verb} {} file(s) ({} bytes), {deleted} {}, {} unchanged",
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
fn with_settings(cli: &Cli, run: impl FnOnce(&Settings) -> Result<(), Error>) -> ExitCode {
    let settings = match cli.settings() {
        Ok(settings) => settings,
        Err(err) => return fail(&err, None),
    };
    match run(&settings) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&err, Some(&settings)),
    }
}

/// Prints a failure once: the problem list for content and configuration
/// errors, the error itself otherwise.
fn fail(err: &Error, settings: Option<&Settings>) -> ExitCode {
    match (err, settings) {
        (Error::Content(list) | Error::Config(list), Some(settings)) => {
            problems(settings, list);
            let errors = list.iter().filter(|d| d.severity() == Severity::Error).count();
            eprintln!("pressroom: {errors} error(s), {} warning(s); nothing was written", list.len() - errors);
        }
        _ => eprintln!("pressroom: {err}"),
    }
    ExitCode::from(err.exit_code())
}

/// Problems for people go to stderr; the machine formats go to stdout,
/// where GitHub's runner and scripts read them.
fn problems(settings: &Settings, list: &[Diagnostic]) {
    let result = match settings.report {
        Format::Human => report::write(&mut io::stderr().lock(), list, Format::Human, settings.color),
        format => {
            let mut out = io::stdout().lock();
            report::write(&mut out, list, format, false).and_then(|()| out.flush())
        }
    };
    if let Err(e) = result {
        eprintln!("pressroom: cannot print the problems: {e}");
    }
}

/// `pressroom verify`: each problem on stdout, naming the zip entry; exit 0
/// intact, 1 problems found, 3 the file cannot be read.
fn verify(bundle: &Path, quiet: bool) -> ExitCode {
    match archive::verify(bundle) {
        Ok(report) if report.intact() => {
            if !quiet {
                eprintln!(
                    "{}: intact ({} payload files, {} bytes)",
                    bundle.display(),
                    report.payload_files,
                    report.payload_octets
                );
            }
            ExitCode::SUCCESS
        }
        Ok(report) => {
            for problem in &report.problems {
                println!("{problem}");
            }
            let n = report.problems.len();
            eprintln!("pressroom: {}: {n} problem{} found", bundle.display(), if n == 1 { "" } else { "s" });
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("pressroom: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}
