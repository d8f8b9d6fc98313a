//! `draft ARTICLE --source ID`: prints candidate `[[facts]]` tables (see
//! [`cyberbridge::editing::draft`]); a summary goes to stderr so stdout can be pasted.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use cyberbridge::editing::draft;
use cyberbridge::files::{self, FileKind};

pub fn run(article: &Path, source: &str, knowledge: Option<&Path>) -> anyhow::Result<ExitCode> {
    // The id is written into the output's comments and TOML: a newline in it broke out of the
    // header comment into the tables.
    if !cyberbridge::knowledge::is_kebab_case(source) {
        anyhow::bail!(
            "--source {source:?} is not a source id: kebab-case (lowercase letters, digits and \
             single hyphens), as in [[sources]] id"
        );
    }
    let text = files::read(FileKind::Article, article)?;
    let kb = match knowledge {
        Some(path) => Some(Arc::new(super::knowledge(path)?)),
        None => None,
    };
    let drafted = draft::draft(&text, source, kb.as_ref());
    let mut out = cyberbridge::secrets::Redacting(std::io::stdout().lock());
    writeln!(
        out,
        "# Drafted from {} for source \"{source}\": {} candidates. Curate before use: titles, \
         kinds, topics and questions are proposals; quotes are verbatim.",
        article.display(),
        drafted.candidates.len()
    )?;
    if let Some(kb) = &kb {
        if kb.source(source).is_none() {
            writeln!(
                out,
                "# The source \"{source}\" is not declared in {}: add a [[sources]] table for it.",
                kb.path.display()
            )?;
        }
    }
    out.write_all(draft::render(&drafted, source).as_bytes())?;
    for quote in &drafted.covered {
        super::to_stderr(format_args!("covered already: {quote}"));
    }
    super::to_stderr(format_args!(
        "{} candidates; {} sentences already covered by existing quotes; {} skipped as boilerplate",
        drafted.candidates.len(),
        drafted.covered.len(),
        drafted.boilerplate
    ));
    Ok(ExitCode::SUCCESS)
}
