//! `topics`, `facts`, `timeline` and `sources`: what the knowledge base holds, one line (or
//! entry) each. `timeline` and `sources` list what Discord's `/timeline` and `/sources` do,
//! from the same core calls ([`KnowledgeBase::timeline`], [`cyberbridge::knowledge::Source::byline`]).

use std::io::Write;

use cyberbridge::knowledge::KnowledgeBase;

/// Each topic: id, name and how many entries it has.
pub fn topics(kb: &KnowledgeBase, out: &mut dyn Write) -> std::io::Result<()> {
    let width = kb.topics.iter().map(|t| t.id.len()).max().unwrap_or(0);
    for topic in &kb.topics {
        let count = kb
            .facts
            .iter()
            .filter(|f| f.topics.contains(&topic.id))
            .count();
        writeln!(
            out,
            "{:<width$}  {} ({count} entr{})",
            topic.id,
            topic.name,
            if count == 1 { "y" } else { "ies" }
        )?;
    }
    Ok(())
}

/// Each fact (of `topic`, an id, if given): id, kind, date and headline.
pub fn facts(kb: &KnowledgeBase, topic: Option<&str>, out: &mut dyn Write) -> std::io::Result<()> {
    let chosen: Vec<_> = kb
        .facts
        .iter()
        .filter(|f| topic.is_none_or(|t| f.topics.iter().any(|ft| ft == t)))
        .collect();
    let width = chosen.iter().map(|f| f.id.len()).max().unwrap_or(0);
    for fact in chosen {
        let date = fact
            .date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{:<width$}  {:<10}  {:<10}  {}",
            fact.id,
            fact.kind.as_str(),
            date,
            fact.title
        )?;
    }
    Ok(())
}

/// The dated facts and commitments, oldest first: date, headline, id.
pub fn timeline(kb: &KnowledgeBase, out: &mut dyn Write) -> std::io::Result<()> {
    let dated = kb.timeline();
    let width = dated
        .iter()
        .filter_map(|f| f.date.map(|d| d.to_string().len()))
        .max()
        .unwrap_or(0);
    for fact in dated {
        let date = fact.date.map(|d| d.to_string()).unwrap_or_default();
        writeln!(out, "{date:<width$}  {} ({})", fact.title, fact.id)?;
    }
    Ok(())
}

/// The articles the answers quote: title and link, then author, publisher and date, and how
/// many facts each backs.
pub fn sources(kb: &KnowledgeBase, out: &mut dyn Write) -> std::io::Result<()> {
    for source in &kb.sources {
        match &source.url {
            Some(url) => writeln!(out, "{} <{url}>", source.title)?,
            None => writeln!(out, "{}", source.title)?,
        }
        let about = source.byline();
        let count = kb.facts_citing(&source.id);
        writeln!(
            out,
            "  {}{}backs {count} fact{} ({})",
            about.join(" · "),
            if about.is_empty() { "" } else { " — " },
            if count == 1 { "" } else { "s" },
            source.id
        )?;
    }
    Ok(())
}
