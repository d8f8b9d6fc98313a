//! Synonym groups as concepts: every term of a group ("moc", "memorandum of cooperation") is
//! analysed into a stem sequence; wherever a sequence occurs — in a fact or in a question — the
//! group's concept is added as one more term. Matching on the concept makes synonyms work both
//! ways and across word counts.

use std::collections::HashMap;

use super::normalize::{Analyzer, Term};
use crate::knowledge::SynonymGroup;

/// A synonym group found in a term sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConceptMatch {
    pub concept: usize,
    /// Indexes into the analysed terms (first..last inclusive) that spell the phrase.
    pub first: usize,
    pub last: usize,
}

/// Positions between two words of a phrase: 2 allows one stop word between them.
const MAX_PHRASE_GAP: u32 = 2;

#[derive(Debug, Default)]
pub struct SynonymTable {
    /// First stem of a phrase → (full stem sequence, concept), longest phrases first.
    phrases: HashMap<String, Vec<(Vec<String>, usize)>>,
    /// The terms of each group as written, for explanations.
    pub groups: Vec<Vec<String>>,
    /// Terms of different groups that read the same once analysed ("team" and "teaming
    /// up"): only the first group's meaning is ever used. `(first, shadowed)`.
    pub shadowed: Vec<(String, String)>,
}

impl SynonymTable {
    pub fn new(groups: &[SynonymGroup], analyzer: &Analyzer) -> Self {
        let mut phrases: HashMap<String, Vec<(Vec<String>, usize)>> = HashMap::new();
        let mut spelled: HashMap<Vec<String>, (usize, &str)> = HashMap::new();
        let mut shadowed = Vec::new();
        for (concept, group) in groups.iter().enumerate() {
            for term in &group.terms {
                let stems = phrase_stems(term, analyzer);
                let Some(first) = stems.first() else { continue };
                match spelled.get(&stems) {
                    Some(&(other, first_term)) if other != concept => {
                        shadowed.push((first_term.to_string(), term.clone()));
                    }
                    Some(_) => {}
                    None => {
                        spelled.insert(stems.clone(), (concept, term));
                    }
                }
                phrases
                    .entry(first.clone())
                    .or_default()
                    .push((stems, concept));
            }
        }
        for list in phrases.values_mut() {
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.1.cmp(&b.1)));
        }
        SynonymTable {
            phrases,
            groups: groups.iter().map(|g| g.terms.clone()).collect(),
            shadowed,
        }
    }

    /// The concept's token in the index: cannot collide with a word.
    pub fn concept_key(concept: usize) -> String {
        format!("#syn{concept}")
    }

    /// Every phrase occurrence in `terms` (non-compound terms, consecutive positions).
    pub fn find(&self, terms: &[Term]) -> Vec<ConceptMatch> {
        let words: Vec<usize> = (0..terms.len()).filter(|&i| !terms[i].compound).collect();
        let mut found = Vec::new();
        for (w, &start) in words.iter().enumerate() {
            // Compounds are looked up too, so "r&d" can be a synonym of "research and development".
            let candidates = self.phrases.get(&terms[start].stem);
            for (stems, concept) in candidates.into_iter().flatten() {
                // Consecutive content words, at most one dropped stop word apart ("of").
                let fits = stems.iter().enumerate().all(|(k, stem)| {
                    words.get(w + k).is_some_and(|&i| {
                        terms[i].stem == *stem
                            && (k == 0
                                || terms[i].position - terms[words[w + k - 1]].position
                                    <= MAX_PHRASE_GAP)
                    })
                });
                if fits {
                    found.push(ConceptMatch {
                        concept: *concept,
                        first: start,
                        last: words[w + stems.len() - 1],
                    });
                    break;
                }
            }
        }
        for (i, term) in terms.iter().enumerate().filter(|(_, t)| t.compound) {
            if let Some(list) = self.phrases.get(&term.stem) {
                if let Some((_, concept)) = list.iter().find(|(stems, _)| stems.len() == 1) {
                    found.push(ConceptMatch {
                        concept: *concept,
                        first: i,
                        last: i,
                    });
                }
            }
        }
        found
    }
}

/// The stems of a synonym term. Stop words are dropped as in any text, except where that would
/// leave nothing: "it" (information technology) is a stop word and still a synonym.
fn phrase_stems(term: &str, analyzer: &Analyzer) -> Vec<String> {
    let compound: Vec<Term> = analyzer
        .terms_with(term, false)
        .into_iter()
        .filter(|t| t.compound)
        .collect();
    if compound.len() == 1 && !term.contains(' ') {
        return vec![compound[0].stem.clone()];
    }
    let mut stems: Vec<String> = analyzer
        .terms(term)
        .into_iter()
        .filter(|t| !t.compound)
        .map(|t| t.stem)
        .collect();
    if stems.is_empty() {
        stems = analyzer
            .terms_with(term, false)
            .into_iter()
            .filter(|t| !t.compound)
            .map(|t| t.stem)
            .collect();
    }
    stems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> (SynonymTable, Analyzer) {
        let analyzer = Analyzer::default();
        let groups = vec![
            SynonymGroup {
                terms: vec!["moc".into(), "memorandum of cooperation".into()],
            },
            SynonymGroup {
                terms: vec!["r&d".into(), "research and development".into()],
            },
            SynonymGroup {
                terms: vec!["it".into(), "information technology".into()],
            },
        ];
        (SynonymTable::new(&groups, &analyzer), analyzer)
    }

    fn concepts(text: &str) -> Vec<usize> {
        let (table, analyzer) = table();
        table
            .find(&analyzer.terms(text))
            .into_iter()
            .map(|m| m.concept)
            .collect()
    }

    #[test]
    fn finds_multi_word_phrases_and_abbreviations_alike() {
        assert_eq!(concepts("the Memorandum of Cooperation signed"), [0]);
        assert_eq!(concepts("when was the moc signed"), [0]);
        assert_eq!(concepts("spectrum for R&D"), [1]);
        assert_eq!(concepts("research and development spectrum"), [1]);
    }

    #[test]
    fn terms_of_two_groups_that_read_the_same_are_reported() {
        let analyzer = Analyzer::default();
        let groups = vec![
            SynonymGroup {
                terms: vec!["delegation".into(), "team".into()],
            },
            SynonymGroup {
                terms: vec!["cooperation".into(), "teaming up".into(), "teams".into()],
            },
        ];
        let table = SynonymTable::new(&groups, &analyzer);
        assert_eq!(
            table.shadowed,
            [
                ("team".to_string(), "teaming up".to_string()),
                ("team".to_string(), "teams".to_string())
            ]
        );
        assert!(table_for_tests().shadowed.is_empty());
    }

    fn table_for_tests() -> SynonymTable {
        table().0
    }

    #[test]
    fn phrase_words_must_be_adjacent() {
        assert_eq!(
            concepts("memorandum about regional cooperation"),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn stop_word_synonyms_match_only_as_acronyms() {
        assert_eq!(concepts("IT industry revenue"), [2]);
        assert_eq!(concepts("is it growing"), Vec::<usize>::new());
    }
}
