//! `fact ID`: one fact or commitment, shown as `ask` shows an answer (declines and
//! "Related:" lines name facts by id; this is where an id leads). The lookup is the engine's,
//! the same as Discord's `/fact`.

use std::io::Write;

use cyberbridge::search::Engine;

/// Prints the fact `typed` names (its id, or its title), or fails naming the closest ids.
pub fn run(engine: &Engine, typed: &str, colour: bool, out: &mut impl Write) -> anyhow::Result<()> {
    let kb = engine.knowledge();
    let Some(fact) = engine.find_fact(typed) else {
        let closest: Vec<String> = engine
            .closest_facts(typed)
            .iter()
            .filter_map(|id| kb.fact(id))
            .map(|f| format!("  {}  {}", f.id, f.title))
            .collect();
        let typed = typed.trim();
        anyhow::bail!(
            "no fact with the id or title {typed:?}{}\nhint: `cyberbridge facts` lists every id",
            if closest.is_empty() {
                String::new()
            } else {
                format!("; the closest:\n{}", closest.join("\n"))
            }
        );
    };
    writeln!(out, "{}", super::ask::render_fact(kb, fact, colour))?;
    Ok(())
}
