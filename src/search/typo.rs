//! Typo tolerance: how many edits a misspelt query word may contain.
//!
//! The allowed edits follow the rule Meilisearch uses, because short words have too many
//! neighbours to correct safely: no typo up to 4 characters, 1 from 5, 2 from 9. Numbers are
//! never corrected (2017 is not a typo of 2022).
//!
//! Candidates come from tantivy: a Levenshtein automaton (transpositions count one edit) runs
//! over the term dictionary (an FST) of the index's vocabulary field
//! ([`super::postings::Postings::words_near`]); each is then verified with Damerau–Levenshtein
//! distance ([`super::index::Index::corrections`]).

/// Longest word length (in characters) with no typo allowed.
const NO_TYPO_UP_TO: usize = 4;
/// Shortest word length allowed two typos.
const TWO_TYPOS_FROM: usize = 9;
/// Longest word (in characters) that is looked up for typos at all: a Levenshtein automaton
/// grows with the word, and each candidate is then compared in O(n·m) (a 1,000-letter "word"
/// once cost seconds). No real word of the knowledge base comes near this
/// ("telecommunications" is 18), so a longer token is not a misspelling of one, and is simply
/// unknown.
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

/// Whether `word` is one [`short_slip`] can read as another: exactly [`NO_TYPO_UP_TO`]
/// letters, no digit. Asked before any lookup, since the vocabulary search it would need
/// costs with the word's length (a 500-letter word took 2.4 ms for nothing).
pub fn may_be_a_short_slip(word: &str) -> bool {
    word.chars().count() == NO_TYPO_UP_TO && !word.chars().any(|c| c.is_ascii_digit())
}

/// Whether a word too short for a typo ([`NO_TYPO_UP_TO`] letters) may still be read as
/// `candidate`: the candidate is the word with one letter it left out ("japn", "inda"), or
/// with two neighbouring letters swapped back ("teh"). These are the slips people make in
/// short words; a substituted letter is as likely another word ("moc", "mac").
pub fn short_slip(word: &str, candidate: &str) -> bool {
    let (w, c): (Vec<char>, Vec<char>) = (word.chars().collect(), candidate.chars().collect());
    if w.len() != NO_TYPO_UP_TO || w.iter().any(|ch| ch.is_ascii_digit()) {
        return false;
    }
    if c.len() == w.len() + 1 {
        // One letter left out, not the first: people rarely drop a word's first letter.
        return (1..c.len()).any(|skip| {
            c.iter()
                .enumerate()
                .filter(|&(i, _)| i != skip)
                .map(|(_, ch)| ch)
                .eq(w.iter())
        });
    }
    c.len() == w.len() && {
        let diff: Vec<usize> = (0..w.len()).filter(|&i| w[i] != c[i]).collect();
        diff.len() == 2
            && diff[1] == diff[0] + 1
            && w[diff[0]] == c[diff[1]]
            && w[diff[1]] == c[diff[0]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_word_is_read_through_a_dropped_or_swapped_letter_only() {
        assert!(short_slip("japn", "japan") && short_slip("inda", "india"));
        assert!(short_slip("fcat", "fact"));
        assert!(!short_slip("mac", "moc") && !short_slip("mack", "mock"));
        assert!(
            !short_slip("ndia", "india"),
            "the first letter is rarely the one dropped"
        );
        assert!(
            !short_slip("japan", "japans"),
            "only words too short for the usual rule"
        );
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
    fn regression_a_long_run_of_letters_is_not_looked_up_for_typos() {
        // 1,000 random letters used to take ~4 s in the typo lookup: a word longer than
        // `MAX_TYPO_WORD_CHARS` is not looked up for typos at all.
        let long = "abcdefghijklmnopqrstuvwxyz".repeat(40);
        assert_eq!(allowed_typos(&long), 0);
        assert_eq!(allowed_typos(&"a".repeat(MAX_TYPO_WORD_CHARS + 1)), 0);
        assert_eq!(allowed_typos(&"a".repeat(MAX_TYPO_WORD_CHARS)), 2);
    }
}
