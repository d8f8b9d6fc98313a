//! Typo tolerance: which vocabulary words a misspelt query word may have meant.
//!
//! The allowed edits follow the rule Meilisearch uses, because short words have too many
//! neighbours to correct safely: no typo up to 4 characters, 1 from 5, 2 from 9. Numbers are
//! never corrected (2017 is not a typo of 2022).
//!
//! Candidates come from a symmetric-delete index (as in SymSpell): every word is stored under
//! the strings obtained by deleting up to two of its characters, and a query word looks up its
//! own deletions. The cost of a lookup depends on the word's length, not on the vocabulary's
//! size; each candidate is then verified with Damerau–Levenshtein distance.

use std::collections::HashSet;

/// Longest word length (in characters) with no typo allowed.
const NO_TYPO_UP_TO: usize = 4;
/// Shortest word length allowed two typos.
const TWO_TYPOS_FROM: usize = 9;
/// Longest word (in characters) that is looked up for typos at all. Deleting two characters
/// from an n-letter word makes ~n²/2 variants of n bytes each, and each candidate is then
/// compared in O(n·m): a 1,000-letter "word" cost seconds. No real word of the knowledge base
/// comes near this ("telecommunications" is 18), so a longer token is not a misspelling of
/// one, and is simply unknown.
pub const MAX_TYPO_WORD_CHARS: usize = 24;

/// How many edits a word of this length may contain.
pub fn allowed_typos(word: &str) -> usize {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return 0;
    }
    match word.chars().count() {
        n if n <= NO_TYPO_UP_TO || n > MAX_TYPO_WORD_CHARS => 0,
        n if n < TWO_TYPOS_FROM => 1,
        _ => 2,
    }
}

/// The vocabulary of surface words, indexed for typo lookups.
#[derive(Debug, Default)]
pub struct TypoIndex {
    words: Vec<String>,
    /// (hash of a deletion variant, word index), sorted: a flat table is a fraction of the
    /// memory of a map of vectors at 100k facts.
    deletes: Vec<(u64, u32)>,
}

impl TypoIndex {
    pub fn new(mut words: Vec<String>) -> Self {
        words.sort();
        words.dedup();
        let mut deletes = Vec::new();
        let mut variants = HashSet::new();
        for (id, word) in words.iter().enumerate() {
            // A query word of length L+d may be d edits from this word: store enough
            // deletions for the longest query that could still reach it.
            let depth = match word.chars().count() {
                // No query word that is looked up can reach these.
                n if !(NO_TYPO_UP_TO..=MAX_TYPO_WORD_CHARS + 2).contains(&n) => continue,
                n if n + 2 < TWO_TYPOS_FROM => 1,
                _ => 2,
            };
            variants.clear();
            deletions(word, depth, &mut variants);
            deletes.extend(variants.iter().map(|v| (hash(v), id as u32)));
        }
        deletes.sort_unstable();
        deletes.dedup();
        TypoIndex { words, deletes }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Vocabulary words within the allowed distance of `word`, closest first (ties in
    /// alphabetical order), with their distance. Empty if `word` allows no typo.
    pub fn corrections(&self, word: &str) -> Vec<(&str, usize)> {
        let max = allowed_typos(word);
        if max == 0 {
            return Vec::new();
        }
        let mut variants = HashSet::new();
        deletions(word, max, &mut variants);
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        for variant in &variants {
            let key = hash(variant);
            let start = self.deletes.partition_point(|(h, _)| *h < key);
            for &(h, id) in &self.deletes[start..] {
                if h != key {
                    break;
                }
                if !seen.insert(id) {
                    continue;
                }
                let candidate = &self.words[id as usize];
                let distance = strsim::damerau_levenshtein(word, candidate);
                if distance > 0 && distance <= max {
                    found.push((candidate.as_str(), distance));
                }
            }
        }
        found.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
        found
    }
}

/// All strings obtained from `word` by deleting up to `depth` characters, `word` included.
fn deletions(word: &str, depth: usize, out: &mut HashSet<String>) {
    out.insert(word.to_string());
    if depth == 0 {
        return;
    }
    let chars: Vec<char> = word.chars().collect();
    for skip in 0..chars.len() {
        let shorter: String = chars
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, c)| c)
            .collect();
        if !out.contains(&shorter) {
            deletions(&shorter, depth - 1, out);
        }
    }
}

/// FNV-1a: deterministic across runs and platforms, and fast on short strings.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> TypoIndex {
        let words = [
            "delegation",
            "dialogue",
            "japan",
            "cooperation",
            "memorandum",
            "otaka",
            "india",
            "2017",
            "2022",
        ];
        TypoIndex::new(words.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn allowed_typos_follow_the_length_rule() {
        assert_eq!(allowed_typos("japn"), 0);
        assert_eq!(allowed_typos("japan"), 1);
        assert_eq!(allowed_typos("dialogue"), 1);
        assert_eq!(allowed_typos("delegation"), 2);
        assert_eq!(allowed_typos("2017x"), 0);
    }

    #[test]
    fn corrects_substitutions_insertions_deletions_and_transpositions() {
        let index = index();
        assert_eq!(index.corrections("delegaton"), [("delegation", 1)]);
        assert_eq!(index.corrections("dialouge"), [("dialogue", 1)]);
        assert_eq!(index.corrections("cooperaton"), [("cooperation", 1)]);
        assert_eq!(index.corrections("memorandm"), [("memorandum", 1)]);
        assert_eq!(index.corrections("delagaton"), [("delegation", 2)]);
        assert_eq!(index.corrections("indai"), [("india", 1)]);
    }

    #[test]
    fn refuses_corrections_beyond_the_rule() {
        let index = index();
        assert!(
            index.corrections("japn").is_empty(),
            "4 letters: no typo allowed"
        );
        assert!(index.corrections("dilaoguee").len() <= 1);
        assert!(index.corrections("delxgxtxon").is_empty(), "3 edits");
        assert!(
            index.corrections("2018").is_empty(),
            "numbers are never corrected"
        );
    }

    #[test]
    fn regression_a_long_run_of_letters_is_not_looked_up_for_typos() {
        // Issue 13, point 1: 1,000 random letters took ~4 s in the typo lookup.
        let long = "abcdefghijklmnopqrstuvwxyz".repeat(40);
        assert_eq!(allowed_typos(&long), 0);
        assert_eq!(allowed_typos(&"a".repeat(MAX_TYPO_WORD_CHARS + 1)), 0);
        assert_eq!(allowed_typos(&"a".repeat(MAX_TYPO_WORD_CHARS)), 2);
        let started = std::time::Instant::now();
        assert!(index().corrections(&long).is_empty());
        assert!(started.elapsed() < std::time::Duration::from_millis(50));
    }

    #[test]
    fn an_exact_word_is_not_its_own_correction() {
        assert!(index().corrections("japan").is_empty());
    }
}
