//! What kind of answer a question wants, where that is easy to tell: "when" wants a dated
//! fact, "how much" a fact that states a quantity. A fact of the wrong kind is probably not
//! the answer, however many words it shares ("how much did Japan invest in 5G?" is not
//! answered by "the dialogue reviewed 5G").

use super::normalize::tokenize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Any,
    /// "when", "what year", "which month", "what date".
    When,
    /// "how much", "how many", "what amount".
    Quantity,
}

/// Detects the intent from the question's words (before stop words are removed: the words
/// that say it are stop words).
pub fn detect(question: &str) -> Intent {
    let words: Vec<String> = tokenize(question)
        .into_iter()
        .filter(|t| !t.compound)
        .map(|t| t.text)
        .collect();
    let pair = |a: &str, b: &[&str]| {
        words
            .windows(2)
            .any(|w| w[0] == a && b.contains(&w[1].as_str()))
    };
    if pair("how", &["much", "many"]) || pair("what", &["amount", "figure", "value"]) {
        Intent::Quantity
    } else if words.iter().any(|w| w == "when")
        || pair("what", &["year", "date", "month", "day"])
        || pair("which", &["year", "date", "month", "day"])
    {
        Intent::When
    } else {
        Intent::Any
    }
}

/// Words that make a preceding number a quantity.
const QUANTITY_UNITS: &[&str] = &[
    "billion", "crore", "lakh", "million", "percent", "per", "thousand", "trillion",
];

/// Whether `text` states a quantity: money (`$227`), or a number with a unit (`196 billion`).
pub fn states_quantity(text: &str) -> bool {
    let tokens = tokenize(text);
    tokens.iter().enumerate().any(|(i, t)| {
        t.text.starts_with('$')
            || (t.text.chars().all(|c| c.is_ascii_digit() || c == '.')
                && tokens
                    .get(i + 1)
                    .is_some_and(|n| QUANTITY_UNITS.contains(&n.text.as_str())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_when_and_quantity_questions() {
        assert_eq!(detect("When was the MoC signed?"), Intent::When);
        assert_eq!(detect("what year did they meet"), Intent::When);
        assert_eq!(
            detect("how much is the IT industry worth"),
            Intent::Quantity
        );
        assert_eq!(detect("How many billions in revenue?"), Intent::Quantity);
        assert_eq!(detect("who led the delegation"), Intent::Any);
        assert_eq!(detect("how did they cooperate"), Intent::Any);
    }

    #[test]
    fn recognises_stated_quantities() {
        assert!(states_quantity("estimated at $227 billion"));
        assert!(states_quantity("up from 196 billion the previous year"));
        assert!(!states_quantity("India ranked 46th in the 2021 index"));
        assert!(!states_quantity("reviewed 5G telecommunications"));
    }
}
