//! Command line: parses arguments, calls the library, maps outcomes to exit codes.
//! Exit codes: 0 success, 1 a check or eval failed, 2 bad usage or configuration.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cli;

#[derive(Parser)]
#[command(
    version,
    about = "Answers questions about India–Japan cyber cooperation, with cited sources"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate a knowledge file and print a summary, or every problem with file:line:column.
    Check {
        #[arg(long, default_value = "knowledge.toml")]
        knowledge: PathBuf,
        /// Folder of article texts (*.txt): every quote must appear verbatim in one of them.
        #[arg(long)]
        sources: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let outcome = match args.command {
        Command::Check { knowledge, sources } => cli::check(&knowledge, sources),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
