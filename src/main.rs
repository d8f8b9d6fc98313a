//! Command line: parses arguments, calls the library, maps outcomes to exit codes.
//! Exit codes: 0 success, 1 a check or eval failed, 2 bad usage or configuration.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use cyberbridge::knowledge::FactKind;

mod cli;

#[derive(Parser)]
#[command(
    version,
    about = "Answers questions about India–Japan cyber cooperation, with cited sources",
    after_help = "Exit codes: 0 success, 1 a check or eval failed, 2 bad usage or configuration.\n\
                  Thresholds and floors are fractions from 0 to 1: 0.47, not 47."
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

/// `--kind` values.
#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    /// Something that happened: a meeting, a signature, a statement.
    Fact,
    /// Something a side promised to do.
    Commitment,
}

impl From<Kind> for FactKind {
    fn from(kind: Kind) -> FactKind {
        match kind {
            Kind::Fact => FactKind::Fact,
            Kind::Commitment => FactKind::Commitment,
        }
    }
}

/// The knowledge file option, shared by the commands that read one.
#[derive(clap::Args)]
struct KnowledgeArg {
    /// The knowledge base to answer from: facts, commitments, sources and topics, each backed
    /// by a verbatim quote (format: docs/knowledge-format.md). Relative to the current folder.
    #[arg(long, value_name = "FILE", default_value = cli::DEFAULT_KNOWLEDGE)]
    knowledge: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Answer a question (or one per line on stdin) from the knowledge base.
    #[command(after_help = format!(
        "Only the first {} characters and {} distinct words of a question are read (the \
         words of the clause that asks first); a \
         warning on stderr says when a question was cut.\n\n\
         Without QUESTION, questions are read from stdin, one per line: at a terminal with a \
         prompt; otherwise each answer is preceded by its question (\"> ...\"). With --json, \
         every input line gets exactly one output line, blank ones included \
         ({{\"status\":\"empty\"}}), each carrying its \"question\".",
        cyberbridge::search::MAX_QUESTION_CHARS,
        cyberbridge::search::MAX_QUESTION_TERMS
    ))]
    Ask {
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// One JSON object per answer (JSON Lines when reading stdin).
        #[arg(long)]
        json: bool,
        /// Only facts of this topic, by id or name (see `topics`).
        #[arg(long)]
        topic: Option<String>,
        /// Only facts of this kind.
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// Only facts concerning this party, e.g. Japan (any case).
        #[arg(long)]
        party: Option<String>,
        /// Only facts dated in this year.
        #[arg(long)]
        year: Option<u16>,
        /// Confidence below which to decline, a fraction from 0 to 1 (default: the calibrated
        /// 0.47).
        #[arg(long, value_name = "T", value_parser = cli::parse_threshold)]
        decline_below: Option<f32>,
        /// Read stdin as one conversation: a follow-up such as "and India's?" or "what did
        /// they agree?" inherits the event, parties and kind of answer of the last answer
        /// (the reply says what it was read as; with --json, fields "read_as" and "carried").
        #[arg(long, conflicts_with = "question")]
        session: bool,
        /// The question; without it, questions are read from stdin, one per line.
        question: Option<String>,
    },
    /// List the topics of the knowledge base (id, name, number of entries).
    Topics {
        #[command(flatten)]
        knowledge: KnowledgeArg,
    },
    /// List the facts and commitments (id, kind, date, headline), optionally of one topic.
    Facts {
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// Only this topic, by id or name.
        #[arg(long)]
        topic: Option<String>,
    },
    /// Show one fact or commitment by id (or title) with every quote and its source, as `ask`
    /// shows an answer; an unknown id gets the closest ones.
    Fact {
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// The fact's id, as `facts`, declines and "Related:" lines print it (or its title).
        id: String,
    },
    /// List the dated facts and commitments, oldest first (what Discord's /timeline shows).
    Timeline {
        #[command(flatten)]
        knowledge: KnowledgeArg,
    },
    /// List the articles the answers quote, with author, date, link and how many facts each
    /// backs (what Discord's /sources shows).
    Sources {
        #[command(flatten)]
        knowledge: KnowledgeArg,
    },
    /// Validate a knowledge file and print a summary, or every problem with file:line:column.
    #[command(
        after_help = "Without --sources, every rule is checked except that each quote \
        appears verbatim in its article: the article texts are not part of the repository \
        (see the README, \"The knowledge base\")."
    )]
    Check {
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// Folder of article texts (*.txt): every quote must appear verbatim in its source's
        /// article there (the file its `article` key names, else `<source id>.txt`).
        #[arg(long, value_name = "DIR")]
        sources: Option<PathBuf>,
        /// List what each fact answers (when, who, where, ...), declared by its `answers`
        /// key or read from its words.
        #[arg(long)]
        answers: bool,
    },
    /// Measure accuracy and declines on a question set; exits 1 below a floor.
    Eval {
        /// The question set, e.g. tests/eval/tune.toml.
        file: PathBuf,
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// Minimum top-1 accuracy on answerable questions, a fraction from 0 to 1 (0.95).
        #[arg(long, value_name = "P", value_parser = cli::parse_fraction)]
        min_top1: Option<f64>,
        /// Minimum share of out-of-scope questions declined, a fraction from 0 to 1 (0.95).
        #[arg(long, value_name = "P", value_parser = cli::parse_fraction)]
        min_declined: Option<f64>,
        /// Also write each question's best candidates and signals to this file (JSON Lines).
        #[arg(long, value_name = "FILE")]
        dump: Option<PathBuf>,
        /// Also measure plain tantivy (BM25 + fuzzy) over the same facts, for comparison.
        #[arg(long)]
        peer: bool,
        /// Confidence below which to decline, a fraction from 0 to 1 (default: the calibrated
        /// 0.47).
        #[arg(long, value_name = "T", value_parser = cli::parse_threshold)]
        decline_below: Option<f32>,
        /// Print the figures only, not the questions that failed: for scoring a blind set
        /// once before anyone reads its failures.
        #[arg(long)]
        scores_only: bool,
    },
    /// Draft `[[facts]]` tables from an article's text, one per informative sentence, each
    /// with a verbatim quote; prints TOML to paste into the knowledge file after curation.
    Draft {
        /// The article as plain text.
        article: PathBuf,
        /// The id of the article's `[[sources]]` entry, cited by every candidate.
        #[arg(long, value_name = "ID")]
        source: String,
        /// Compare with this knowledge file: sentences its quotes cover are skipped, and
        /// topics are taken from the nearest fact. Default: knowledge.toml if present.
        #[arg(long, value_name = "FILE")]
        knowledge: Option<PathBuf>,
        /// Do not compare with any knowledge file.
        #[arg(long, conflicts_with = "knowledge")]
        no_knowledge: bool,
    },
    /// Group the questions the bot declined, show the nearest facts, and propose a
    /// `questions = [...]` line to paste; summarise 👎 per fact.
    Misses {
        #[command(flatten)]
        knowledge: KnowledgeArg,
        /// The declined-questions log (`[logs] declined`).
        #[arg(long, value_name = "FILE")]
        log: Option<PathBuf>,
        /// The feedback log (`[logs] feedback`).
        #[arg(long, value_name = "FILE")]
        feedback: Option<PathBuf>,
        /// One JSON document, for tooling.
        #[arg(long)]
        json: bool,
    },
    /// What a reload from OLD to NEW would change: facts added, removed and changed (field by
    /// field), and the eval scores before and after. Exits 1 if a reload would refuse NEW.
    #[command(after_help = format!(
        "A reload refuses NEW when it does not load, when it removes more than the allowed \
         share of facts (default {:.0}%), or when an eval score falls below its floor and below \
         OLD's: a file is never refused for scores the running version has too. Without \
         --eval or a --config naming an eval set, no eval gate runs, and the output says so.",
        cyberbridge::config::DEFAULT_MAX_REMOVED_SHARE * 100.0
    ))]
    Diff {
        /// The knowledge file now serving.
        old: PathBuf,
        /// The edited knowledge file.
        new: PathBuf,
        /// Take the eval set, floors, sources folder and removal share from this `serve`
        /// config (no token needed).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// A question set to score both files on (repeatable; added to the config's).
        #[arg(long = "eval", value_name = "FILE")]
        eval_sets: Vec<PathBuf>,
        // The defaults are printed from the constants the gate uses, so help cannot drift
        // from what runs.
        #[arg(long, value_name = "P", value_parser = cli::parse_fraction, help = format!(
            "Minimum top-1 accuracy for NEW, a fraction from 0 to 1 (default: the config's, or \
             {}); a score below it is refused only if it is below OLD's too",
            cyberbridge::config::DEFAULT_MIN_TOP1
        ))]
        min_top1: Option<f64>,
        #[arg(long, value_name = "P", value_parser = cli::parse_fraction, help = format!(
            "Minimum share of out-of-scope questions declined, a fraction from 0 to 1 (default: \
             the config's, or {}); a score below it is refused only if it is below OLD's too",
            cyberbridge::config::DEFAULT_MIN_DECLINED
        ))]
        min_declined: Option<f64>,
        /// Folder of article texts: each of NEW's quotes must be verbatim in its source's
        /// article there, as at reload.
        #[arg(long, value_name = "DIR")]
        sources: Option<PathBuf>,
    },
    /// Run the Discord bot (token from DISCORD_TOKEN); SIGHUP reloads the knowledge base,
    /// SIGINT/SIGTERM stop it.
    #[command(after_help = format!(
        "Logs go to stderr. RUST_LOG sets what is logged (default \"{}\"; e.g. \
         RUST_LOG=debug, or RUST_LOG=info,cyberbridge=debug).",
        cli::serve::DEFAULT_LOG_FILTER
    ))]
    Serve {
        /// The configuration file (see config.example.toml).
        #[arg(long, value_name = "FILE", default_value = "config.toml")]
        config: PathBuf,
        /// Log lines as text (colours only on a terminal) or JSON, one object per line.
        #[arg(long, value_enum, default_value = "text")]
        log_format: cli::serve::LogFormat,
        /// Serve Discord's HTTP interactions endpoint (POST /interactions on
        /// [interactions] listen, signed with [interactions] public_key) instead of connecting
        /// to the gateway. Slash commands, autocomplete and buttons only: DMs and @mentions
        /// need the gateway.
        #[arg(long)]
        interactions: bool,
        /// The knowledge file, instead of the config's [knowledge] path (a container mounts
        /// the folder holding it, so that a replaced file is seen).
        #[arg(long, value_name = "FILE")]
        knowledge: Option<PathBuf>,
    },
}

fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Ask {
            knowledge,
            json,
            topic,
            kind,
            party,
            year,
            decline_below,
            session,
            question,
        } => {
            let engine = cli::engine(&knowledge.knowledge, decline_below)?;
            let typed = cli::filters::Typed {
                topic,
                kind: kind.map(FactKind::from),
                party,
                year,
            };
            let filters =
                cli::filters::resolve(engine.knowledge(), &typed).map_err(anyhow::Error::msg)?;
            let options = cli::ask::AskOptions {
                json,
                filters,
                session,
            };
            cli::ask::ask(&engine, question, &options)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Topics { knowledge } => {
            let kb = cli::knowledge(&knowledge.knowledge)?;
            cli::list::topics(
                &kb,
                &mut cyberbridge::secrets::Redacting(std::io::stdout().lock()),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Facts { knowledge, topic } => {
            let kb = cli::knowledge(&knowledge.knowledge)?;
            let typed = cli::filters::Typed {
                topic,
                ..Default::default()
            };
            let filters = cli::filters::resolve(&kb, &typed).map_err(anyhow::Error::msg)?;
            cli::list::facts(
                &kb,
                filters.topic.as_deref(),
                &mut cyberbridge::secrets::Redacting(std::io::stdout().lock()),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Fact { knowledge, id } => {
            let engine = cli::engine(&knowledge.knowledge, None)?;
            let stdout = std::io::stdout();
            let colour =
                std::io::IsTerminal::is_terminal(&stdout) && std::env::var_os("NO_COLOR").is_none();
            cli::fact::run(
                &engine,
                &id,
                colour,
                &mut cyberbridge::secrets::Redacting(stdout.lock()),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Timeline { knowledge } => {
            let kb = cli::knowledge(&knowledge.knowledge)?;
            cli::list::timeline(
                &kb,
                &mut cyberbridge::secrets::Redacting(std::io::stdout().lock()),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Sources { knowledge } => {
            let kb = cli::knowledge(&knowledge.knowledge)?;
            cli::list::sources(
                &kb,
                &mut cyberbridge::secrets::Redacting(std::io::stdout().lock()),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            knowledge,
            sources,
            answers,
        } => cli::check(&knowledge.knowledge, sources, answers),
        Command::Eval {
            file,
            knowledge,
            min_top1,
            min_declined,
            dump,
            peer,
            decline_below,
            scores_only,
        } => {
            let engine = cli::engine(&knowledge.knowledge, decline_below)?;
            let floors = cli::eval::Floors {
                min_top1,
                min_declined,
            };
            cli::eval::run(&engine, &file, &floors, dump.as_deref(), peer, scores_only)
        }
        Command::Draft {
            article,
            source,
            knowledge,
            no_knowledge,
        } => {
            let default = PathBuf::from(cli::DEFAULT_KNOWLEDGE);
            let knowledge = match knowledge {
                Some(path) => Some(path),
                None if !no_knowledge && default.exists() => Some(default),
                None => None,
            };
            cli::draft::run(&article, &source, knowledge.as_deref())
        }
        Command::Misses {
            knowledge,
            log,
            feedback,
            json,
        } => {
            let engine = cli::engine(&knowledge.knowledge, None)?;
            let (log_given, feedback_given) = (log.is_some(), feedback.is_some());
            let log = log.unwrap_or_else(|| PathBuf::from("data/declined.log"));
            let feedback = feedback.unwrap_or_else(|| PathBuf::from("data/feedback.log"));
            cli::misses::run(&engine, &log, log_given, &feedback, feedback_given, json)
        }
        Command::Diff {
            old,
            new,
            config,
            eval_sets,
            min_top1,
            min_declined,
            sources,
        } => {
            let mut gate = cli::diff::Gate {
                eval_sets: Vec::new(),
                min_top1: cyberbridge::config::DEFAULT_MIN_TOP1,
                min_declined: cyberbridge::config::DEFAULT_MIN_DECLINED,
                sources_dir: None,
                max_removed_share: cyberbridge::config::DEFAULT_MAX_REMOVED_SHARE,
                decline_below: None,
            };
            if let Some(path) = config {
                let text = cyberbridge::config::Config::read_text(&path)?;
                // The token is not used here: a placeholder stands for it.
                let config = cyberbridge::config::Config::parse(&path, &text, Some("-".into()))?;
                let k = config.knowledge;
                gate.eval_sets.extend(k.eval_path);
                gate.min_top1 = k.min_top1;
                gate.min_declined = k.min_declined;
                gate.sources_dir = k.sources_dir;
                gate.max_removed_share = k.max_removed_share;
                gate.decline_below = Some(k.decline_below);
            }
            gate.eval_sets.extend(eval_sets);
            gate.min_top1 = min_top1.unwrap_or(gate.min_top1);
            gate.min_declined = min_declined.unwrap_or(gate.min_declined);
            gate.sources_dir = sources.or(gate.sources_dir);
            cli::diff::run(
                &old,
                &new,
                &gate,
                &mut cyberbridge::secrets::Redacting(std::io::stdout().lock()),
            )
        }
        Command::Serve {
            config,
            log_format,
            interactions,
            knowledge,
        } => cli::serve::serve(&config, log_format, interactions, knowledge),
    }
}

fn main() -> ExitCode {
    // Whatever a command reads (an "article" that is a link to the token's file, say), the
    // token it could reach never reaches its output.
    if let Ok(token) = std::env::var(cyberbridge::config::TOKEN_ENV) {
        cyberbridge::secrets::register(&token);
    }
    let args = Args::parse();
    match run(args.command) {
        Ok(code) => code,
        // The reader of our stdout has gone (`ask … | head -1`): it has what it wanted.
        Err(err) if cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            cli::to_stderr(format_args!("error: {err:#}"));
            ExitCode::from(2)
        }
    }
}
