//! General-English paraphrase from WordNet's synsets (compiled in through the
//! `thesaurus-wordnet` crate, so it works offline).
//!
//! Two uses. A question word the knowledge base does not contain may have a WordNet synonym
//! it does ("envoy" → "emissary", "undersea" → "submarine"): that synonym stands in for it,
//! at a low weight since a synset mixes senses. And a word WordNet knows is a real English
//! word: typo correction leaves it alone, so "reading" is never "corrected" into "heading".

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

/// WordNet as (headword, synonyms) lines, lowercase: `word|synonym|synonym…`.
static WORDNET: LazyLock<String> = LazyLock::new(thesaurus_wordnet::uncompress);

/// Every single-word WordNet headword.
static ENGLISH_WORDS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    WORDNET
        .lines()
        .filter_map(|line| line.split('|').next())
        .filter(|word| !word.contains([' ', '_']))
        .collect()
});

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

/// WordNet synonyms restricted to one knowledge base's vocabulary.
#[derive(Debug, Default)]
pub struct Paraphrases {
    /// Headword → the knowledge base's words (surfaces) WordNet gives as its synonyms.
    map: FxHashMap<String, Vec<String>>,
}

impl Paraphrases {
    /// Keeps, for each WordNet headword, the single-word synonyms for which `known` holds.
    pub fn build(known: impl Fn(&str) -> bool) -> Self {
        let mut map: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for line in WORDNET.lines() {
            let mut words = line.split('|');
            let Some(head) = words.next() else { continue };
            if head.contains([' ', '_']) || known(head) {
                continue;
            }
            let found: Vec<String> = words
                .filter(|w| !w.contains([' ', '_']) && *w != head && known(w))
                .map(str::to_string)
                .collect();
            if !found.is_empty() {
                let entry = map.entry(head.to_string()).or_default();
                entry.extend(found);
                entry.sort();
                entry.dedup();
            }
        }
        Paraphrases { map }
    }

    /// The knowledge base's words that paraphrase `word` (folded, lowercase).
    pub fn of(&self, word: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for lemma in lemma_candidates(word) {
            if let Some(found) = self.map.get(&lemma) {
                out.extend(found.iter().map(String::as_str));
            }
            if !out.is_empty() {
                break;
            }
        }
        out
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_words_are_english_and_typos_are_not() {
        assert!(is_english_word("reading"));
        assert!(is_english_word("heard"));
        assert!(is_english_word("permits"));
        assert!(!is_english_word("dialoge"));
        assert!(!is_english_word("cheif"));
        assert!(!is_english_word("signd"));
        assert!(is_english_word("used"));
    }

    #[test]
    fn paraphrases_only_into_the_known_vocabulary() {
        let known = |w: &str| matches!(w, "submarine" | "emissary");
        let paraphrases = Paraphrases::build(known);
        assert_eq!(paraphrases.of("undersea"), ["submarine"]);
        assert_eq!(paraphrases.of("envoy"), ["emissary"]);
        assert!(paraphrases.of("chocolate").is_empty());
        // A known word is never paraphrased: it matches itself.
        assert!(paraphrases.of("submarine").is_empty());
    }
}
