//! Comparing quotes with article text: the normalisation that decides what "verbatim" means,
//! and the search for the closest passage when a quote is not found.
//!
//! Articles come with typographic quotes and dashes and arbitrary line wrapping; an editor
//! typing a quote into TOML uses straight quotes and one line. Those differences are not
//! changes to the words, so they are folded away; everything else (case, spelling,
//! punctuation) must match.

use rustc_hash::FxHashMap;

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
/// how many words it shares, for "did you mean" in error messages. Word overlap rather than edit
/// distance: it finds the right sentence even when the quote was paraphrased. Builds a
/// [`PassageIndex`] of `text`; to compare several quotes with one article, build it once.
pub fn closest_passage(text: &str, quote: &str) -> Option<(String, usize)> {
    PassageIndex::new(text).closest(text, quote)
}

/// An article's words and, for each folded word, where it occurs: built once per article, so
/// that finding a quote's closest passage costs time in the occurrences of the quote's own
/// words, never the article's length times the quote's (scanning every window for every quote
/// word took 25 s on a 4.7 MB article).
#[derive(Debug, Default)]
pub struct PassageIndex {
    /// Byte range in the text of each whitespace-separated word, in order.
    words: Vec<(usize, usize)>,
    /// Folded word (see `fold_word`) to the positions (indexes into `words`) where it occurs,
    /// ascending.
    positions: FxHashMap<String, Vec<usize>>,
}

impl PassageIndex {
    pub fn new(text: &str) -> Self {
        let mut index = PassageIndex::default();
        let base = text.as_ptr() as usize;
        for word in text.split_whitespace() {
            let start = word.as_ptr() as usize - base;
            let at = index.words.len();
            index.words.push((start, start + word.len()));
            index.positions.entry(fold_word(word)).or_default().push(at);
        }
        index
    }

    /// [`closest_passage`] of `quote` in `text`, which must be the text this index was built
    /// from. The score of a window is the number of the quote's words (repeats counted) that
    /// occur in it; the first window with the highest score wins. A window start is covered by
    /// an occurrence at position `p` when it lies in `p - width + 1 ..= p`, so each quote word
    /// adds its count over a union of such intervals; a sweep over the interval ends finds the
    /// best start without looking at windows no quote word reaches.
    pub fn closest(&self, text: &str, quote: &str) -> Option<(String, usize)> {
        let wanted: Vec<String> = quote.split_whitespace().map(fold_word).collect();
        let count = self.words.len();
        if count == 0 || wanted.is_empty() {
            return None;
        }
        let width = wanted.len().min(count);
        let last_start = count - width;
        let mut repeats: FxHashMap<&str, usize> = FxHashMap::default();
        for word in &wanted {
            *repeats.entry(word.as_str()).or_default() += 1;
        }
        // (window start, change of score there).
        let mut events: Vec<(usize, isize)> = Vec::new();
        for (word, &times) in &repeats {
            let Some(found) = self.positions.get(*word) else {
                continue;
            };
            let times = times as isize;
            let mut open: Option<(usize, usize)> = None;
            for &p in found {
                let (lo, hi) = ((p + 1).saturating_sub(width), p.min(last_start));
                open = match open {
                    Some((start, end)) if lo <= end + 1 => Some((start, end.max(hi))),
                    Some((start, end)) => {
                        events.push((start, times));
                        events.push((end + 1, -times));
                        Some((lo, hi))
                    }
                    None => Some((lo, hi)),
                };
            }
            if let Some((start, end)) = open {
                events.push((start, times));
                events.push((end + 1, -times));
            }
        }
        events.sort_unstable();
        let (mut best_start, mut best_score) = (0, 0isize);
        let mut score = 0isize;
        let mut i = 0;
        while i < events.len() {
            let at = events[i].0;
            while i < events.len() && events[i].0 == at {
                score += events[i].1;
                i += 1;
            }
            if at <= last_start && score > best_score {
                (best_start, best_score) = (at, score);
            }
        }
        (best_score > 0).then(|| {
            let (start, _) = self.words[best_start];
            let (_, end) = self.words[best_start + width - 1];
            let passage = text[start..end]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            (passage, best_score as usize)
        })
    }
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

    /// The first implementation, which scored every window for every quote word: the index
    /// must find the same passage with the same score.
    fn closest_by_scanning(text: &str, quote: &str) -> Option<(String, usize)> {
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

    #[test]
    fn the_index_finds_what_scanning_every_window_found() {
        // A small vocabulary, so that words repeat, windows tie and quotes share words with
        // many places; punctuation-only tokens fold to the empty word, as in real articles.
        const VOCABULARY: &[&str] = &[
            "India",
            "india,",
            "Japan\u{2019}s",
            "japan's",
            "the",
            "The",
            "of",
            "cyber",
            "\u{2013}",
            "-",
            "dialogue.",
            "MoC",
            "signed",
            "in",
            "March",
            "2022",
            "\u{201C}open\u{201D}",
        ];
        let mut rng = crate::synthetic::Rng::new(0x9E37_79B9_7F4A_7C15);
        let mut next = |below: usize| rng.below(below);
        for _ in 0..2000 {
            let text_words = next(40);
            let mut text = String::new();
            for _ in 0..text_words {
                text.push_str(VOCABULARY[next(VOCABULARY.len())]);
                text.push_str(if next(5) == 0 { "\n  " } else { " " });
            }
            let quote_words = 1 + next(12);
            let quote: Vec<&str> = (0..quote_words)
                .map(|_| VOCABULARY[next(VOCABULARY.len())])
                .collect();
            let quote = quote.join(" ");
            assert_eq!(
                closest_passage(&text, &quote),
                closest_by_scanning(&text, &quote),
                "text {text:?}, quote {quote:?}"
            );
        }
        assert_eq!(closest_passage("", "a quote"), None);
        assert_eq!(closest_passage("some text", "  "), None);
    }
}
