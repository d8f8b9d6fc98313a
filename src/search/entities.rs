//! Words that name one specific thing — numbers and countries — and so must not be ignored
//! when a fact lacks them. "What is India's rank in the 2023 index?" must not be answered with
//! the 2021 rank, nor "Japan–Australia cyber agreement" with the India–Japan one.

/// Ordinal words are normalised to the ordinal number ("third" → "3rd") so that they are
/// numbers too, and match "3rd" as written.
pub fn ordinal(word: &str) -> Option<&'static str> {
    Some(match word {
        "first" => "1st",
        "second" => "2nd",
        "third" => "3rd",
        "fourth" => "4th",
        "fifth" => "5th",
        "sixth" => "6th",
        "seventh" => "7th",
        "eighth" => "8th",
        "ninth" => "9th",
        "tenth" => "10th",
        _ => return None,
    })
}

/// Countries and their demonyms (one distinctive word each for multi-word names), lowercase.
/// Sorted for binary search.
const COUNTRIES: &[&str] = &[
    "afghan",
    "afghanistan",
    "america",
    "american",
    "argentina",
    "australia",
    "australian",
    "austria",
    "bangladesh",
    "belgium",
    "bhutan",
    "brazil",
    "britain",
    "british",
    "burma",
    "cambodia",
    "canada",
    "canadian",
    "chile",
    "china",
    "chinese",
    "colombia",
    "denmark",
    "dutch",
    "egypt",
    "emirates",
    "england",
    "estonia",
    "eu",
    "europe",
    "european",
    "finland",
    "france",
    "french",
    "german",
    "germany",
    "greece",
    "india",
    "indian",
    "indonesia",
    "iran",
    "iraq",
    "ireland",
    "israel",
    "israeli",
    "italian",
    "italy",
    "japan",
    "japanese",
    "kenya",
    "korea",
    "korean",
    "malaysia",
    "maldives",
    "mexico",
    "mongolia",
    "myanmar",
    "nepal",
    "netherlands",
    "nigeria",
    "norway",
    "pakistan",
    "philippines",
    "poland",
    "portugal",
    "qatar",
    "russia",
    "russian",
    "saudi",
    "singapore",
    "spain",
    "sweden",
    "switzerland",
    "taiwan",
    "thailand",
    "turkey",
    "uae",
    "uk",
    "ukraine",
    "ukrainian",
    "us",
    "usa",
    "vietnam",
];

/// Whether `word` (folded, unstemmed) names a country.
pub fn is_country(word: &str) -> bool {
    COUNTRIES.binary_search(&word).is_ok()
}

/// Whether a question word is specific enough that a fact lacking it is probably about
/// something else.
pub fn is_entity(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit()) || is_country(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_sorted_for_binary_search() {
        assert!(
            COUNTRIES.windows(2).all(|w| w[0] < w[1]),
            "keep COUNTRIES sorted"
        );
    }

    #[test]
    fn numbers_ordinals_and_countries_are_entities() {
        assert!(is_entity("2023") && is_entity("46th") && is_entity("5g"));
        assert!(is_entity("australia") && is_entity("japanese"));
        assert!(!is_entity("dialogue"));
        assert_eq!(ordinal("third"), Some("3rd"));
        assert_eq!(ordinal("thirdly"), None);
    }
}
