//! `topics` and `facts`: what the knowledge base holds, one line each.

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
