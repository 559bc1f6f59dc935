//! The `pressroom` binary: parse the command line, run the library, print
//! the outcome once, exit with the documented status.

use std::process::ExitCode;

use clap::Parser;
use pressroom::cli::{Cli, Command};
use pressroom::{Error, build};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(err.exit_code())
        }
    }
}

fn run(cli: &Cli) -> Result<(), Error> {
    let settings = cli.settings()?;
    match cli.command.as_ref().unwrap_or(&Command::Build) {
        Command::Build => {
            let summary = build::build(&settings)?;
            for warning in &summary.warnings {
                eprintln!("{warning}");
            }
            if !settings.quiet {
                eprintln!("wrote {} files to {}", summary.files, settings.out.display());
            }
        }
        Command::Check => {
            let warnings = build::check(&settings)?;
            for warning in &warnings {
                eprintln!("{warning}");
            }
            if !settings.quiet {
                eprintln!("no errors, {} warning(s)", warnings.len());
            }
        }
    }
    Ok(())
}
