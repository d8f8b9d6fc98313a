//! The command-line adapter: each subcommand turns arguments into core calls and prints.

mod check;

pub use check::check;
