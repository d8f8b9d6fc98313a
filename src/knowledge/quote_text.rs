//! Comparing quotes with article text: the normalisation that decides what "verbatim" means,
//! and the search for the closest passage when a quote is not found.
//!
//! Articles come with typographic quotes and dashes and arbitrary line wrapping; an editor
//! typing a quote into TOML uses straight quotes and one line. Those differences are not
//! changes to the words, so they are folded away; everything else (case, spelling,
//! punctuation) must match.

/// Folds whitespace runs to one space and typographic quotes/dashes to ASCII.
pub fn normalize_for_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(match ch {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' => '-',
            other => other,
        });
    }
    out
}

/// The passage of `text` (as many words as the quote) that shares the most words with it, and
/// how many words it shares, for "did you mean" in error messages. Word overlap rather than edit distance: it is linear in
/// the text and finds the right sentence even when the quote was paraphrased.
pub fn closest_passage(text: &str, quote: &str) -> Option<(String, usize)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let wanted: Vec<String> = quote.split_whitespace().map(fold_word).collect();
    if words.is_empty() || wanted.is_empty() {
        return None;
    }
    let width = wanted.len().min(words.len());
    let folded: Vec<String> = words.iter().map(|w| fold_word(w)).collect();
    let (mut best_start, mut best_score) = (0, 0usize);
    for start in 0..=words.len() - width {
        let window = &folded[start..start + width];
        let score = wanted.iter().filter(|w| window.contains(w)).count();
        if score > best_score {
            (best_start, best_score) = (start, score);
        }
    }
    (best_score > 0).then(|| (words[best_start..best_start + width].join(" "), best_score))
}

fn fold_word(word: &str) -> String {
    normalize_for_quote(word)
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `quote` occurs in `text` once both are normalised.
    fn contains_quote(text: &str, quote: &str) -> bool {
        let quote = normalize_for_quote(quote);
        !quote.is_empty() && normalize_for_quote(text).contains(&quote)
    }

    #[test]
    fn typographic_marks_and_wrapping_do_not_count_as_changes() {
        let article = "Japan\u{2019}s global\n  competitiveness \u{2013} in \u{201C}cables\u{201D}";
        assert!(contains_quote(
            article,
            "Japan's global competitiveness - in \"cables\""
        ));
    }

    #[test]
    fn changed_words_or_case_do_count() {
        let article = "India ranked 46th in the 2021 Global Innovation Index";
        assert!(!contains_quote(article, "India ranked 45th"));
        assert!(!contains_quote(article, "india ranked 46th"));
        assert!(!contains_quote(article, "   "));
    }

    #[test]
    fn closest_passage_finds_the_sentence_a_misquote_came_from() {
        let article =
            "First sentence here. India ranked 46th in the 2021 Global Innovation Index. Last.";
        let found = closest_passage(
            article,
            "India was ranked 46th in the Global Innovation Index",
        )
        .unwrap();
        assert!(found.0.contains("46th"), "{found:?}");
        assert_eq!(found.1, 8, "every word of the misquote but \"was\"");
    }
}
