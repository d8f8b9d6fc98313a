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

/// Country abbreviations that are also ordinary lowercase words ("tell us", "uk" rarely, but
/// typed lowercase they read as stop words).
const AMBIGUOUS_COUNTRIES: &[&str] = &["uk", "us", "usa"];

/// Writes "us", "uk" and "usa" in capitals where they are countries: next to another
/// country ("us japan", "india and us", "us-india") or before "cyber". Capitals keep them
/// from being read as stop words, so "us japan cyber talks" is not an India–Japan question.
pub fn mark_lowercase_countries(text: &str) -> String {
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    let country = |i: usize| {
        words.get(i).is_some_and(|(_, w)| {
            let w = w.to_lowercase();
            (is_country(&w) && !AMBIGUOUS_COUNTRIES.contains(&w.as_str())) || w == "cyber"
        })
    };
    let joiner = |i: usize| {
        words
            .get(i)
            .is_some_and(|(_, w)| matches!(*w, "and" | "vs" | "versus" | "with" | "the"))
    };
    let mut out = text.to_string();
    for (i, &(start, word)) in words.iter().enumerate() {
        if !AMBIGUOUS_COUNTRIES.contains(&word) {
            continue;
        }
        // Up to two joining words back: "india and us", "india and the us".
        let before = (1..=3).any(|back| {
            i.checked_sub(back)
                .is_some_and(|b| country(b) && words[b].1 != "cyber" && (b + 1..i).all(&joiner))
        });
        let after = country(i + 1) || (joiner(i + 1) && country(i + 2));
        if before || after {
            out.replace_range(start..start + word.len(), &word.to_uppercase());
        }
    }
    out
}

/// Reads the two capitals as their governments when a question sets one against the other
/// ("talks between New Delhi and Tokyo", "what did tokyo and delhi renew") or speaks for one
/// ("New Delhi's side", "which Tokyo official"): there they are India and Japan. A city named
/// alone stays a city ("the weather in Tokyo", "the 2017 talks in Delhi").
pub fn capitals_as_countries(text: &str) -> String {
    let lower = text.to_lowercase();
    let word_at = |word: &str| {
        lower.match_indices(word).find(|&(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + word.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    };
    let (delhi, tokyo) = (word_at("delhi"), word_at("tokyo"));
    // "Tokyo's side", "the Tokyo official", "New Delhi team": the city speaks for its side.
    const SIDE_NOUNS: &[&str] = &[
        "delegation",
        "envoy",
        "government",
        "negotiators",
        "official",
        "officials",
        "side",
        "team",
    ];
    let for_its_side = |found: Option<(usize, &str)>| {
        found.is_some_and(|(at, word)| {
            let rest = &lower[at + word.len()..];
            let next = rest
                .split(|c: char| !c.is_alphanumeric())
                .find(|w| !w.is_empty())
                .unwrap_or("");
            rest.starts_with("'s") || rest.starts_with("’s") || SIDE_NOUNS.contains(&next)
        })
    };
    if !(delhi.is_some() && tokyo.is_some() || for_its_side(delhi) || for_its_side(tokyo)) {
        return text.to_string();
    }
    let mut out = text.to_string();
    // Right to left, so earlier offsets stay valid; "New Delhi" as a whole.
    let mut spans: Vec<(usize, usize, &str)> = Vec::new();
    if let Some((at, _)) = delhi {
        let new = lower[..at].trim_end().ends_with("new");
        let start = if new {
            lower[..at].trim_end().len() - "new".len()
        } else {
            at
        };
        spans.push((start, at + "delhi".len(), "India"));
    }
    if let Some((at, _)) = tokyo {
        spans.push((at, at + "tokyo".len(), "Japan"));
    }
    spans.sort_by_key(|span| std::cmp::Reverse(span.0));
    for (start, end, country) in spans {
        // Lowercasing kept byte offsets only where the text is ASCII up to there.
        if out.is_char_boundary(start) && out.is_char_boundary(end) && lower.len() == out.len() {
            out.replace_range(start..end, country);
        }
    }
    out
}

/// No country word or demonym is longer ("afghanistan").
const LONGEST_COUNTRY_WORD: usize = 16;

/// The country a country word or demonym names, as its name ("japanese" → "japan"); `None`
/// for a word that names no country.
pub fn country_named(word: &str) -> Option<&'static str> {
    const DEMONYMS: &[(&str, &str)] = &[
        ("afghan", "afghanistan"),
        ("american", "us"),
        ("america", "us"),
        ("australian", "australia"),
        ("british", "uk"),
        ("britain", "uk"),
        ("canadian", "canada"),
        ("chinese", "china"),
        ("dutch", "netherlands"),
        ("european", "europe"),
        ("french", "france"),
        ("german", "germany"),
        ("indian", "india"),
        ("israeli", "israel"),
        ("italian", "italy"),
        ("japanese", "japan"),
        ("korean", "korea"),
        ("russian", "russia"),
        ("ukrainian", "ukraine"),
        ("usa", "us"),
    ];
    // Called per party of every candidate: most words are too long to be a country, and the
    // rest are lowercased on the stack.
    if word.len() > LONGEST_COUNTRY_WORD || !word.is_ascii() {
        return None;
    }
    let mut buffer = [0u8; LONGEST_COUNTRY_WORD];
    for (lower, byte) in buffer.iter_mut().zip(word.bytes()) {
        *lower = byte.to_ascii_lowercase();
    }
    let word = std::str::from_utf8(&buffer[..word.len()]).ok()?;
    if let Some(&(_, country)) = DEMONYMS.iter().find(|(d, _)| *d == word) {
        return Some(country);
    }
    COUNTRIES.binary_search(&word).ok().map(|i| COUNTRIES[i])
}

/// The one country whose side a question asks about, and the one country it names after
/// "with" ("… the talks with Japan"), if one. The side is the country named in the possessive
/// ("Japan's rank", "India's lead guy … with Japan") or as an adjective ("the Indian side"),
/// or led ("who led India"), or else the only country named other than after "with" ("what
/// rank did Japan get", "what did India bring to the talks with Japan"). Two sides named that
/// way, or two countries named plainly ("talks between India and Japan"), make no side.
pub fn sides(question: &str) -> (Option<&'static str>, Option<&'static str>) {
    // "who led India", "who represented Japan": the country a leader verb takes is the side.
    const LEADS: &[&str] = &[
        "chaired",
        "fronted",
        "headed",
        "heads",
        "lead",
        "leads",
        "led",
        "represented",
        "represents",
    ];
    // "talks with Japan": the country after "with" is the other side.
    const COUNTERPART: &[&str] = &["versus", "vs", "w", "with"];
    let mut marked: Vec<&'static str> = Vec::new();
    let mut named: Vec<&'static str> = Vec::new();
    let mut counterparts: Vec<&'static str> = Vec::new();
    let mut previous = String::new();
    for word in question
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
    {
        let before = std::mem::replace(&mut previous, word.to_lowercase());
        let (base, possessive) = match word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("’s"))
            .or_else(|| word.strip_suffix('\''))
            .or_else(|| word.strip_suffix('’'))
        {
            Some(base) => (base, true),
            None => (word, false),
        };
        let lower = base.to_lowercase();
        let Some(country) = country_named(&lower) else {
            continue;
        };
        if COUNTERPART.contains(&before.as_str()) {
            if !counterparts.contains(&country) {
                counterparts.push(country);
            }
            continue;
        }
        let adjective = country != lower && !matches!(lower.as_str(), "america" | "britain");
        let found = if possessive || adjective || LEADS.contains(&before.as_str()) {
            &mut marked
        } else {
            &mut named
        };
        if !found.contains(&country) {
            found.push(country);
        }
    }
    let side = match (&marked[..], &named[..]) {
        ([one], _) | ([], [one]) => Some(*one),
        _ => None,
    };
    let counterpart = match &counterparts[..] {
        [one] if side != Some(*one) => Some(*one),
        _ => None,
    };
    (side, counterpart)
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

    #[test]
    fn the_side_a_question_asks_about_is_its_one_possessive_or_adjective_country() {
        let side_country = |q: &str| sides(q).0;
        assert_eq!(
            side_country("What was Japan's rank in the GII?"),
            Some("japan")
        );
        assert_eq!(
            side_country("who led the Indian side with Japan"),
            Some("india")
        );
        assert_eq!(
            side_country("who was india’s lead guy w japan"),
            Some("india")
        );
        assert_eq!(side_country("when did India and Japan meet"), None);
        assert_eq!(side_country("what rank did Japan get"), Some("japan"));
        assert_eq!(
            side_country("Which official led India at the talks with Japan?"),
            Some("india")
        );
        assert_eq!(
            side_country("what did india bring to the talk w japan"),
            Some("india")
        );
        assert_eq!(side_country("cooperation between india and japan"), None);
        assert_eq!(
            sides("Who led the Indian side in the talks with Japan?"),
            (Some("india"), Some("japan"))
        );
        assert_eq!(sides("talks with Japan"), (None, Some("japan")));
        assert_eq!(side_country("India's and Japan's delegations"), None);
        assert_eq!(side_country("the japanese and indian sides"), None);
        assert_eq!(side_country("Indian and India's"), Some("india"));
        assert_eq!(country_named("Japanese"), Some("japan"));
        assert_eq!(country_named("dialogue"), None);
        assert_eq!(country_named("AFGHANISTAN"), Some("afghanistan"));
        assert!(COUNTRIES.iter().all(|c| c.len() <= LONGEST_COUNTRY_WORD));
        assert_eq!(country_named("the Ministry of External Affairs"), None);
    }

    #[test]
    fn the_two_capitals_set_against_each_other_are_their_countries() {
        assert_eq!(
            capitals_as_countries("when did New Delhi and Tokyo hold talks"),
            "when did India and Japan hold talks"
        );
        assert_eq!(
            capitals_as_countries("what did tokyo and delhi renew"),
            "what did Japan and India renew"
        );
        assert_eq!(
            capitals_as_countries("who fronted New Delhi's side"),
            "who fronted India's side"
        );
        assert_eq!(
            capitals_as_countries("which Tokyo official steered it"),
            "which Japan official steered it"
        );
        assert_eq!(
            capitals_as_countries("weather in Tokyo"),
            "weather in Tokyo"
        );
        assert_eq!(
            capitals_as_countries("the 2017 talks in Delhi"),
            "the 2017 talks in Delhi"
        );
    }

    #[test]
    fn lowercase_us_next_to_a_country_is_a_country() {
        assert_eq!(
            mark_lowercase_countries("us japan cyber talks"),
            "US japan cyber talks"
        );
        assert_eq!(
            mark_lowercase_countries("when did india and us meet"),
            "when did india and US meet"
        );
        assert_eq!(mark_lowercase_countries("us-india cyber"), "US-india cyber");
        assert_eq!(
            mark_lowercase_countries("when did india and the us meet"),
            "when did india and the US meet"
        );
        assert_eq!(
            mark_lowercase_countries("tell us about japan"),
            "tell us about japan"
        );
        assert_eq!(mark_lowercase_countries("let us know"), "let us know");
    }
}
