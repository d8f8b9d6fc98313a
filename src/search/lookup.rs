//! A fact named by what someone typed — `/fact id:`, `cyberbridge fact ID` — and, when no
//! fact has that name, the closest ones. One rule for every front end.

use super::{Engine, Filters};
use crate::answer::Answer;
use crate::knowledge::Fact;

/// How many closest facts an unknown name gets.
pub const CLOSEST: usize = 3;

/// Most edits between a typed id and a fact's id for it to count as a misspelling of it:
/// "moc-signed-march-2021" for "moc-signed-march-2022", a dropped or doubled letter. Ids
/// are long and alike ("…-2017", "…-2022"), so a larger distance names another fact.
const MAX_ID_EDITS: usize = 3;

impl Engine {
    /// The fact `typed` names: its id, else its id or title in any case.
    pub fn find_fact(&self, typed: &str) -> Option<&Fact> {
        let kb = self.knowledge();
        let typed = typed.trim();
        kb.fact(typed).or_else(|| {
            kb.facts
                .iter()
                .find(|f| f.title.eq_ignore_ascii_case(typed) || f.id.eq_ignore_ascii_case(typed))
        })
    }

    /// Fact ids the engine associates with `text`, best first: the answer, the other reading
    /// and related facts, or the "did you mean" suggestions of a decline.
    pub fn associated_facts(&self, text: &str) -> Vec<String> {
        match self.ask(text, &Filters::default()) {
            Answer::Found(found) => std::iter::once(found.fact.id)
                .chain(found.ambiguous_with.map(|a| a.id))
                .chain(found.related.into_iter().map(|r| r.id))
                .collect(),
            Answer::NoMatch(no) => no.suggestions.into_iter().map(|s| s.id).collect(),
        }
    }

    /// For a name no fact has: up to [`CLOSEST`] ids, best first — ids a few edits from it
    /// (a typo in the id), then what the engine reads its words as.
    pub fn closest_facts(&self, typed: &str) -> Vec<String> {
        let typed = typed.trim().to_lowercase();
        let mut near: Vec<(usize, &str)> = self
            .knowledge()
            .facts
            .iter()
            .map(|f| (strsim::damerau_levenshtein(&typed, &f.id), f.id.as_str()))
            .filter(|(edits, _)| *edits <= MAX_ID_EDITS)
            .collect();
        near.sort();
        let mut ids: Vec<String> = near.into_iter().map(|(_, id)| id.to_string()).collect();
        for id in self.associated_facts(&typed) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids.truncate(CLOSEST);
        ids
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;

    fn engine() -> Engine {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge.toml");
        Engine::new(Arc::new(crate::knowledge::load(&path).unwrap()))
    }

    #[test]
    fn a_fact_is_found_by_id_or_by_title_in_any_case() {
        let engine = engine();
        let fact = &engine.knowledge().facts[0];
        assert_eq!(engine.find_fact(&fact.id).map(|f| &f.id), Some(&fact.id));
        let upper = fact.title.to_uppercase();
        assert_eq!(engine.find_fact(&upper).map(|f| &f.id), Some(&fact.id));
        assert!(engine.find_fact("no-such-fact").is_none());
    }

    #[test]
    fn a_misspelt_id_gets_the_id_it_misspells_first() {
        let engine = engine();
        let closest = engine.closest_facts("moc-signed-march-2021");
        assert_eq!(
            closest.first().map(String::as_str),
            Some("moc-signed-march-2022")
        );
        assert!(closest.len() <= CLOSEST);
        // Words rather than an id: what the engine reads them as.
        let closest = engine.closest_facts("memorandum of cooperation signed");
        assert!(
            closest.contains(&"moc-signed-march-2022".to_string()),
            "{closest:?}"
        );
    }
}
