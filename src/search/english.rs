//! Which words are real English words, from WordNet's headwords (compiled in through the
//! `thesaurus-wordnet` crate, so it works offline). Typo correction leaves a real word alone,
//! so "reading" is never "corrected" into "heading", nor "heard" into "head".
//!
//! WordNet's synonyms were tried as paraphrases too (a word no fact uses standing for a
//! synonym one does, at 0.35 weight): +0.9 points top-1 on `tune.toml`, nothing on the
//! holdout, so only the word list is kept.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

/// Every single-word WordNet headword, lowercase. The dictionary (`word|synonym|…` lines) is
/// decompressed once per process and only its headwords are kept.
static ENGLISH_WORDS: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    thesaurus_wordnet::uncompress()
        .lines()
        .filter_map(|line| line.split('|').next())
        .filter(|word| !word.contains([' ', '_']))
        .map(str::to_string)
        .collect()
});

/// Decompresses the word list now, so that the first question does not pay for it (about
/// 50 ms: the first autocomplete keystroke after a start measured it).
pub fn warm_up() {
    LazyLock::force(&ENGLISH_WORDS);
}

/// Inflections stripped to find a headword ("permits" → "permit", "headquartered" →
/// "headquarter"), longest first, with the shortest stem each may leave: a longer minimum
/// for "-ing" keeps typos such as "meating" from passing as English through "meat".
const SUFFIXES: &[(&str, usize)] = &[("ing", 5), ("ies", 3), ("es", 3), ("ed", 4), ("s", 3)];

/// Whether `word` (folded, lowercase) is an English word WordNet knows, directly or once a
/// common inflection is stripped.
pub fn is_english_word(word: &str) -> bool {
    lemma_candidates(word).any(|w| ENGLISH_WORDS.contains(w.as_str()))
}

fn lemma_candidates(word: &str) -> impl Iterator<Item = String> + '_ {
    // "-d" only after "e" ("used" → "use"): "signd" is a typo, not a past tense.
    let after_e = word
        .strip_suffix('d')
        .filter(|stem| stem.ends_with('e') && stem.len() >= 4)
        .map(str::to_string);
    std::iter::once(word.to_string())
        .chain(after_e)
        .chain(SUFFIXES.iter().filter_map(move |&(suffix, min)| {
            let stem = word.strip_suffix(suffix)?;
            (stem.len() >= min).then(|| match suffix {
                "ies" => format!("{stem}y"),
                _ => stem.to_string(),
            })
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_words_are_english_and_typos_are_not() {
        assert!(is_english_word("reading"));
        assert!(is_english_word("heard"));
        assert!(is_english_word("permits"));
        assert!(is_english_word("used"));
        assert!(!is_english_word("dialoge"));
        assert!(!is_english_word("cheif"));
        assert!(!is_english_word("signd"));
        assert!(!is_english_word("meating"));
    }
}
