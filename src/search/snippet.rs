//! Quote snippets: the cited quote with the matched words marked, cropped around them when the
//! quote is long. Never otherwise altered: a citation must stay verbatim.

use std::ops::Range;

use crate::answer::Snippet;

/// Quotes longer than this (in characters) are cropped around the densest run of matches.
pub const SNIPPET_MAX_CHARS: usize = 280;
const ELLIPSIS: &str = "…";

/// Builds a snippet of `quote` highlighting `ranges` (byte ranges, any order, may overlap).
pub fn snippet(quote: &str, mut ranges: Vec<Range<usize>>) -> Snippet {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            // Touching or separated by one space: mark "Memorandum of Cooperation" as one run.
            Some(last)
                if range.start <= last.end
                    || (range.start == last.end + 1
                        && quote[last.end..range.start].trim().is_empty()) =>
            {
                last.end = last.end.max(range.end);
            }
            _ => merged.push(range),
        }
    }
    if quote.chars().count() <= SNIPPET_MAX_CHARS {
        return Snippet {
            text: quote.to_string(),
            highlights: merged,
        };
    }
    // Choose the window start (a word start) covering the most highlighted bytes.
    let starts: Vec<usize> = std::iter::once(0)
        .chain(quote.match_indices(' ').map(|(i, _)| i + 1))
        .collect();
    // A window ends at the last word boundary within SNIPPET_MAX_CHARS, so no word is cut.
    let window_end = |start: usize| -> usize {
        match quote[start..].char_indices().nth(SNIPPET_MAX_CHARS) {
            None => quote.len(),
            Some((i, _)) => quote[start..start + i]
                .rfind(' ')
                .map_or(start + i, |space| start + space),
        }
    };
    let marked_middle = merged
        .first()
        .zip(merged.last())
        .map_or(0, |(a, b)| (a.start + b.end) / 2);
    let (best_start, end) = starts
        .iter()
        .map(|&start| (start, window_end(start)))
        .max_by_key(|&(start, end)| {
            let covered: usize = merged
                .iter()
                .map(|r| r.end.min(end).saturating_sub(r.start.max(start)))
                .sum();
            // Among windows covering as much, the one that centres the marks.
            let off_centre = ((start + end) / 2).abs_diff(marked_middle);
            (
                covered,
                std::cmp::Reverse(off_centre),
                std::cmp::Reverse(start),
            )
        })
        .unwrap_or((0, quote.len()));
    let prefix = if best_start > 0 { ELLIPSIS } else { "" };
    let suffix = if end < quote.len() { ELLIPSIS } else { "" };
    let text = format!("{prefix}{}{suffix}", &quote[best_start..end]);
    let shift = prefix.len();
    let highlights = merged
        .into_iter()
        .filter(|r| r.start >= best_start && r.end <= end)
        .map(|r| r.start - best_start + shift..r.end - best_start + shift)
        .collect();
    Snippet { text, highlights }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bold(s: &Snippet) -> String {
        s.render("**", "**", str::to_string)
    }

    #[test]
    fn short_quotes_are_kept_whole_with_merged_marks() {
        let quote = "a Memorandum of Cooperation (MoC) signed in March 2022";
        let at = |w: &str| quote.find(w).unwrap()..quote.find(w).unwrap() + w.len();
        let s = snippet(quote, vec![at("Cooperation"), at("Memorandum"), at("2022")]);
        assert_eq!(s.text, quote);
        assert_eq!(
            bold(&s),
            "a **Memorandum** of **Cooperation** (MoC) signed in March **2022**"
        );
    }

    #[test]
    fn overlapping_marks_merge() {
        // A compound and its parts overlap: "Cyber-Policy" and "Policy".
        let s = snippet("in Cyber-Policy now", vec![3..15, 9..15, 3..8]);
        assert_eq!(bold(&s), "in **Cyber-Policy** now");
    }

    #[test]
    fn adjacent_marks_join_into_one_run() {
        let quote = "Masato Otaka, Ambassador";
        let s = snippet(quote, vec![0..6, 7..12]);
        assert_eq!(bold(&s), "**Masato Otaka**, Ambassador");
    }

    #[test]
    fn long_quotes_are_cropped_around_the_match_at_word_boundaries() {
        let filler = "word ".repeat(80);
        let quote = format!("{filler}the needle is here {filler}");
        let at = quote.find("needle").unwrap();
        let needle = at..at + 6;
        let s = snippet(&quote, [needle].to_vec());
        assert!(
            s.text.starts_with('…') && s.text.ends_with('…'),
            "{}",
            s.text
        );
        assert!(s.text.chars().count() <= SNIPPET_MAX_CHARS + 2);
        assert!(bold(&s).contains("**needle**"));
        let inner = s.text.trim_matches('…');
        assert!(quote.contains(inner), "cropping must not alter the words");
        assert!(!inner.starts_with(' ') || inner.trim_start().starts_with("word"));
    }
}
