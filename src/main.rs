//! Command line: parses arguments, calls the library, maps outcomes to exit codes.
//! Exit codes: 0 success, 1 a check or eval failed, 2 bad usage or configuration.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use cyberbridge::knowledge::FactKind;
use cyberbridge::search::Filters;

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
    /// Answer a question (or one per line on stdin) from the knowledge base.
    Ask {
        #[arg(long, default_value = "knowledge.toml")]
        knowledge: PathBuf,
        /// One JSON object per answer (JSON Lines when reading stdin).
        #[arg(long)]
        json: bool,
        /// Only facts of this topic id.
        #[arg(long)]
        topic: Option<String>,
        /// Only facts of this kind.
        #[arg(long, value_parser = parse_kind)]
        kind: Option<FactKind>,
        /// Only facts concerning this party (e.g. Japan).
        #[arg(long)]
        party: Option<String>,
        /// Only facts dated in this year.
        #[arg(long)]
        year: Option<u16>,
        /// Confidence below which to decline (default: the calibrated 0.48).
        #[arg(long, value_parser = cli::parse_threshold)]
        decline_below: Option<f32>,
        /// The question; without it, questions are read from stdin, one per line.
        question: Option<String>,
    },
    /// Validate a knowledge file and print a summary, or every problem with file:line:column.
    Check {
        #[arg(long, default_value = "knowledge.toml")]
        knowledge: PathBuf,
        /// Folder of article texts (*.txt): every quote must appear verbatim in one of them.
        #[arg(long)]
        sources: Option<PathBuf>,
    },
    /// Measure accuracy and declines on a question set; exits 1 below a floor.
    Eval {
        /// The question set, e.g. tests/eval/tune.toml.
        file: PathBuf,
        #[arg(long, default_value = "knowledge.toml")]
        knowledge: PathBuf,
        /// Minimum top-1 accuracy on answerable questions (0.95 or 95).
        #[arg(long, value_parser = cli::eval::parse_floor)]
        min_top1: Option<f64>,
        /// Minimum share of out-of-scope questions declined (0.95 or 95).
        #[arg(long, value_parser = cli::eval::parse_floor)]
        min_declined: Option<f64>,
        /// Also write each question's best candidates and signals to this file (JSON Lines).
        #[arg(long)]
        dump: Option<PathBuf>,
        /// Also measure plain tantivy (BM25 + fuzzy) over the same facts, for comparison.
        #[arg(long)]
        peer: bool,
        /// Confidence below which to decline (default: the calibrated 0.48).
        #[arg(long, value_parser = cli::parse_threshold)]
        decline_below: Option<f32>,
    },
    /// Run the Discord bot (token from DISCORD_TOKEN); SIGHUP reloads the knowledge base.
    Serve {
        /// The configuration file (see config.example.toml).
        #[arg(long, default_value = "config.toml")]
        config: PathBuf,
    },
}

fn parse_kind(text: &str) -> Result<FactKind, String> {
    FactKind::parse(text)
        .ok_or_else(|| format!("kind is \"fact\" or \"commitment\", not \"{text}\""))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let outcome = match args.command {
        Command::Ask {
            knowledge,
            json,
            topic,
            kind,
            party,
            year,
            decline_below,
            question,
        } => cli::engine(&knowledge, decline_below).and_then(|engine| {
            let options = cli::ask::AskOptions {
                json,
                filters: Filters {
                    topic,
                    kind,
                    party,
                    year,
                },
            };
            cli::ask::ask(&engine, question, &options).map(|()| ExitCode::SUCCESS)
        }),
        Command::Check { knowledge, sources } => cli::check(&knowledge, sources),
        Command::Eval {
            file,
            knowledge,
            min_top1,
            min_declined,
            dump,
            peer,
            decline_below,
        } => cli::engine(&knowledge, decline_below).and_then(|engine| {
            let floors = cli::eval::Floors {
                min_top1,
                min_declined,
            };
            cli::eval::run(&engine, &file, &floors, dump.as_deref(), peer)
        }),
        Command::Serve { config } => cli::serve::serve(&config),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
