//! What kind of answer a question wants, where that is easy to tell: "when" wants a dated
//! fact, "how much" a fact that states a quantity, "who" one that names a person or body,
//! "where" one that names a place, "what does X stand for" one whose quote spells X out. A
//! fact of the wrong kind is probably not the answer, however many words it shares ("how much
//! did Japan invest in 5G?" is not answered by "the dialogue reviewed 5G"; "who led India's
//! side at the second dialogue?" is not answered by the fact that the dialogue took place).

use super::normalize::tokenize;
use crate::knowledge::{Fact, SynonymGroup};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Any,
    /// "when", "what year", "which month", "what date".
    When,
    /// "how much", "how many", "what amount".
    Quantity,
    /// "who", "whom", "which ministry", "name of": a person or a body.
    Who,
    /// "where", "which city", "what venue": a place.
    Where,
    /// "what does NASSCOM stand for", "MeitY full form": an acronym spelled out.
    Expansion,
}

/// Words that ask for an acronym's expansion rather than name a topic; they are not read as
/// content words of such a question ("stand", "full form").
const EXPANSION_FRAME: &[&str] = &[
    "abbreviated",
    "abbreviation",
    "acronym",
    "expand",
    "expanded",
    "expansion",
    "form",
    "full",
    "mean",
    "meaning",
    "means",
    "short",
    "stand",
    "stands",
];

/// Whether `word` (folded, lowercase) only frames an expansion question.
pub fn is_expansion_frame(word: &str) -> bool {
    EXPANSION_FRAME.binary_search(&word).is_ok()
}

/// Nouns that, after "which"/"what", ask for a person or a body.
const ACTOR_NOUNS: &[&str] = &[
    "agencies",
    "agency",
    "author",
    "body",
    "company",
    "department",
    "firm",
    "minister",
    "ministry",
    "official",
    "officials",
    "organisation",
    "organization",
    "person",
    "writer",
];
/// Nouns for a person: with "name", the question asks who, by name.
const PERSON_NOUNS: &[&str] = &[
    "ambassador",
    "author",
    "ceo",
    "chairman",
    "chief",
    "coordinator",
    "director",
    "head",
    "leader",
    "minister",
    "official",
    "officer",
    "partner",
    "person",
    "president",
    "secretary",
    "spokesperson",
    "writer",
];

/// Words of a body's name, never of a person's.
const BODY_WORDS: &[&str] = &[
    "agency",
    "association",
    "bureau",
    "centre",
    "center",
    "co",
    "company",
    "corporation",
    "council",
    "department",
    "division",
    "forum",
    "government",
    "institute",
    "ltd",
    "ministry",
    "organisation",
    "organization",
    "police",
    "university",
];

/// Whether a party reads as a person's name: two to four capitalised words, none of them a
/// body's word, an acronym or a country ("Masato Otaka", not "Kochhar & Co.", "NASSCOM" or
/// "Ministry of External Affairs").
fn is_person_name(party: &str) -> bool {
    let words: Vec<&str> = party.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            let mut chars = w.chars();
            let lower = w.to_lowercase();
            let lower = lower.trim_end_matches('.');
            chars.next().is_some_and(char::is_uppercase)
                && chars.all(|c| c.is_lowercase() || c == '-' || c == '\'')
                && !BODY_WORDS.contains(&lower)
                && !super::entities::is_country(lower)
        })
}

/// Nouns that, after "which"/"what", ask for a place.
const PLACE_NOUNS: &[&str] = &["city", "country", "location", "place", "town", "venue"];

/// Detects the intent from the question's words (before stop words are removed: the words
/// that say it are stop words).
pub fn detect(question: &str) -> Intent {
    Wanted::of(question).intent
}

/// [`detect`] over words already folded and lowercased.
fn detect_words(words: &[String]) -> Intent {
    let pair = |a: &str, b: &[&str]| {
        words
            .windows(2)
            .any(|w| w[0] == a && b.contains(&w[1].as_str()))
    };
    let has = |w: &str| words.iter().any(|x| x == w);
    let expansion = pair("stand", &["for"])
        || pair("stands", &["for"])
        || pair("short", &["for"])
        || pair("full", &["form"])
        || has("abbreviation")
        || has("acronym")
        || has("expansion");
    if expansion {
        Intent::Expansion
    } else if pair("how", &["much", "many"])
        || pair("what", &["amount", "figure", "value"])
        || has("volume")
        || has("amount")
    {
        Intent::Quantity
    } else if has("when")
        || pair("what", &["year", "date", "month", "day"])
        || pair("which", &["year", "date", "month", "day"])
    {
        Intent::When
    } else if has("who") || has("whom") || has("whose") {
        Intent::Who
    } else if (has("where") && !where_not_a_place(words))
        || pair("which", PLACE_NOUNS)
        || pair("what", PLACE_NOUNS)
    {
        Intent::Where
    } else if pair("which", ACTOR_NOUNS) {
        Intent::Who
    } else {
        Intent::Any
    }
}

/// "Where" that asks for no place: a source ("where did that news come from"), a rank
/// ("where did India land on the index"), a stance ("where does Japan stand on …").
fn where_not_a_place(words: &[String]) -> bool {
    const NOT_PLACES: &[&str] = &[
        "from", "land", "landed", "rank", "ranked", "ranks", "stand", "stands", "standing",
    ];
    words.iter().any(|w| NOT_PLACES.contains(&w.as_str()))
}

/// Places a fact may name, lowercase (countries are left out: nearly every fact here names
/// India and Japan, so a country says nothing about "where"). "virtual" answers "where" too:
/// an online meeting has no venue.
const PLACES: &[&str] = &[
    "bangalore",
    "bengaluru",
    "chennai",
    "chicago",
    "delhi",
    "dubai",
    "gurugram",
    "hyderabad",
    "jeddah",
    "kolkata",
    "mumbai",
    "online",
    "osaka",
    "singapore",
    "tokyo",
    "virtual",
    "virtually",
];

/// Whether `text` names a place.
pub fn states_place(text: &str) -> bool {
    let tokens: Vec<String> = tokenize(text).into_iter().map(|t| t.text).collect();
    names_place(&tokens)
}

/// Whether any of `tokens` (folded, lowercase) is a place.
fn names_place(tokens: &[String]) -> bool {
    tokens
        .iter()
        .any(|t| PLACES.binary_search(&t.as_str()).is_ok())
}

/// Whether `text` names who did something: an agent phrase ("led by", "headed by",
/// "according to").
pub fn states_agent(text: &str) -> bool {
    let lower = text.to_lowercase();
    // "in collaboration with industry", "partner with Japanese companies": who with.
    [
        " by ",
        "according to",
        "led ",
        "headed ",
        "collaboration with",
        "together with",
        "partner with",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

/// The acronyms `text` spells out, as (acronym lowercase, expansion as written):
/// "a Memorandum of Cooperation (MoC)" gives ("moc", "Memorandum of Cooperation"), "IP
/// (intellectual property)" gives ("ip", "intellectual property"). An acronym is a
/// parenthesised or parenthesising word of 2–10 letters with at least two capitals; the
/// expansion before it starts at the nearest word (at most 8 back) with its first letter.
pub fn expanded_acronyms(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let is_acronym = |w: &str| {
        let letters = w
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '&')
            .count();
        (2..=10).contains(&letters) && w.chars().filter(char::is_ascii_uppercase).count() >= 2
    };
    let first_letter = |w: &str| {
        w.chars()
            .find(|c| c.is_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
    };
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')').map(|c| open + c) else {
            break;
        };
        let inside = rest[open + 1..close].trim();
        let before = &rest[..open];
        let before_words: Vec<&str> = before.split_whitespace().collect();
        if is_acronym(inside) && !inside.contains(' ') {
            // "Memorandum of Cooperation (MoC)": the words before, from the nearest one that
            // starts with the acronym's first letter.
            let window = before_words.len().saturating_sub(8);
            let start = (window..before_words.len())
                .rev()
                .find(|&i| first_letter(before_words[i]) == first_letter(inside));
            if let Some(start) = start {
                let expansion = before_words[start..].join(" ");
                let expansion = expansion.trim_matches(|c: char| !c.is_alphanumeric());
                found.push((inside.to_lowercase(), expansion.to_string()));
            }
        } else if let Some(word) = before_words.last() {
            // "IP (intellectual property)": the acronym comes first.
            let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '&');
            if is_acronym(word) && first_letter(inside) == first_letter(word) {
                found.push((word.to_lowercase(), inside.to_string()));
            }
        }
        rest = &rest[close + 1..];
    }
    found.sort();
    found.dedup();
    found
}

/// What kinds of answer a fact can give, computed once per fact at index time.
#[derive(Debug, Clone, Default)]
pub struct AnswerKinds {
    pub dated: bool,
    pub quantity: bool,
    pub actor: bool,
    pub place: bool,
    /// It names a person among its parties ("Masato Otaka"), not only bodies and countries.
    pub person: bool,
    /// Acronyms its answer or quotes spell out: (acronym lowercase, expansion as written).
    pub expands: Vec<(String, String)>,
    /// The [`ATTRIBUTES`] its title, answer or quotes state (indexes into the table).
    pub attributes: Vec<usize>,
}

/// Attributes of a person, body or place that a question may ask for and that a fact states
/// only if it says one of these words. "Where is JETRO headquartered", "how old is Masato
/// Otaka", "NASSCOM's president", "Daksh Kumar's email": the name matches a fact, the
/// attribute does not, and a fact that does not state it cannot answer. General English, not
/// this knowledge base's words; words people also use loosely ("head", "chief", "chair",
/// "worth") are left out.
pub const ATTRIBUTES: &[&[&str]] = &[
    &["age", "aged", "old", "born", "birth", "birthday"],
    &[
        "founded",
        "founder",
        "founding",
        "established",
        "establishment",
        "inception",
        "incorporated",
    ],
    &[
        "headquarters",
        "headquartered",
        "hq",
        "based",
        "located",
        "location",
        "address",
        "office",
        "offices",
    ],
    &[
        "president",
        "ceo",
        "chairman",
        "chairperson",
        "chairwoman",
        "director",
        "heads",
        "managing",
        "runs",
    ],
    &["succeeded", "successor", "predecessor", "replaced"],
    // An email address is not a phone number: each is its own attribute.
    &["email", "e-mail"],
    &["website", "url", "homepage"],
    &["phone", "telephone", "fax"],
    &["contact"],
    &["population", "populous", "inhabitants"],
    &["currency", "yen", "rupee", "rupees"],
    &["capital"],
    &["prime"],
    &["language", "languages", "spoken"],
    &["married", "wife", "husband", "spouse", "children", "kids"],
    &["study", "studied", "university", "degree", "alma"],
    &["salary", "paid", "earns"],
];

/// The [`ATTRIBUTES`] that `words` (folded, lowercase) name.
fn attributes_named<'a>(words: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
    let mut found: Vec<usize> = Vec::new();
    for word in words {
        if let Some(i) = ATTRIBUTES.iter().position(|group| group.contains(&word)) {
            if !found.contains(&i) {
                found.push(i);
            }
        }
    }
    found
}

impl AnswerKinds {
    /// `glossary`: (acronym, expansion) pairs, lowercase ([`glossary`]).
    pub fn of(fact: &Fact, glossary: &[(String, String)]) -> Self {
        let texts = || {
            std::iter::once(fact.answer.as_str())
                .chain(fact.citations.iter().map(|c| c.quote.as_str()))
        };
        // Only quotes can spell an acronym out: the answer to "what does IP stand for" cites
        // the article's words, and an answer's own paraphrase is not a citation.
        let quotes = || fact.citations.iter().map(|c| c.quote.as_str());
        let mut expands: Vec<(String, String)> = quotes().flat_map(expanded_acronyms).collect();
        // Lowercased once per fact, not once per glossary entry.
        let lowered: Vec<(&str, String)> = quotes().map(|t| (t, t.to_lowercase())).collect();
        for (acronym, expansion) in glossary {
            let written = lowered.iter().find_map(|(text, lower)| {
                let at = lower.find(expansion.as_str())?;
                // The text's own capitals where lowercasing kept byte offsets (ASCII).
                text.get(at..at + expansion.len())
                    .filter(|slice| slice.eq_ignore_ascii_case(expansion))
                    .map(str::to_string)
                    .or_else(|| Some(expansion.clone()))
            });
            if let Some(written) = written {
                expands.push((acronym.clone(), written));
            }
        }
        // One expansion per acronym, the article's own "(ACRONYM)" spelling before the
        // glossary's (the sort is stable).
        expands.sort_by(|a, b| a.0.cmp(&b.0));
        expands.dedup_by(|later, kept| later.0 == kept.0);
        // One tokenization of the answer and quotes serves places and attributes (the title
        // counts for attributes only).
        let title: Vec<String> = tokenize(&fact.title).into_iter().map(|t| t.text).collect();
        let tokens: Vec<String> = texts()
            .flat_map(|t| tokenize(t).into_iter().map(|t| t.text))
            .collect();
        let attributes = attributes_named(title.iter().chain(&tokens).map(String::as_str));
        AnswerKinds {
            dated: fact.date.is_some(),
            quantity: texts().any(states_quantity),
            // A party that is not a country is a person or a body ("Masato Otaka", "NASSCOM").
            actor: fact
                .parties
                .iter()
                .any(|p| !super::entities::is_country(&p.to_lowercase()))
                || texts().any(states_agent),
            place: names_place(&tokens),
            person: fact.parties.iter().any(|p| is_person_name(p)),
            expands,
            attributes,
        }
    }

    /// The (acronym, expansion) this fact gives for an acronym among the question's words.
    pub fn expansion(&self, wanted: &Wanted) -> Option<&(String, String)> {
        self.expands
            .iter()
            .find(|(acronym, _)| wanted.words.iter().any(|w| w == acronym))
    }

    /// Whether a fact of these kinds can give what `wanted` asks for.
    pub fn answers(&self, wanted: &Wanted) -> bool {
        if wanted
            .attributes
            .iter()
            .any(|a| !self.attributes.contains(a))
        {
            return false;
        }
        if wanted.person_name && !self.person {
            return false;
        }
        match wanted.intent {
            Intent::Any => true,
            Intent::When => self.dated,
            Intent::Quantity => self.quantity,
            Intent::Who => self.actor,
            Intent::Where => self.place,
            Intent::Expansion => self.expansion(wanted).is_some(),
        }
    }
}

/// What a question asks for, read once per question: the kind of answer, the attributes it
/// names, and its words (folded, lowercase, stop words kept) for acronym lookups.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub intent: Intent,
    /// The question asks for a person's name ("the name of the joint secretary who led
    /// India", "Japan's ambassador, by name"): a fact that names no person cannot answer,
    /// however well it matches the role.
    pub person_name: bool,
    pub attributes: Vec<usize>,
    pub words: Vec<String>,
}

impl Wanted {
    pub fn of(question: &str) -> Self {
        let words: Vec<String> = tokenize(question)
            .into_iter()
            .filter(|t| !t.compound)
            .map(|t| t.text)
            .collect();
        let has = |w: &str| words.iter().any(|x| x == w);
        // "Who is Japan's ambassador" asks who, by name, as much as "the ambassador's name".
        let who_is = has("whos")
            || words
                .windows(2)
                .any(|w| w[0] == "who" && ["is", "was", "s"].contains(&w[1].as_str()));
        let person_noun = words.iter().any(|w| PERSON_NOUNS.contains(&w.as_str()));
        let asks_name = ["name", "names", "named"].iter().any(|w| has(w));
        let person_name = (person_noun && who_is) || (asks_name && (person_noun || has("who")));
        Wanted {
            intent: detect_words(&words),
            person_name,
            attributes: attributes_named(words.iter().map(String::as_str)),
            words,
        }
    }
}

/// Acronyms and their expansions from the synonym groups: a one-word term of a group whose
/// other term has several words starting with the same letter ("meity" and "ministry of
/// electronics and information technology").
pub fn glossary(groups: &[SynonymGroup]) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for group in groups {
        for short in group
            .terms
            .iter()
            .filter(|t| !t.contains(' ') && t.len() <= 10)
        {
            for long in group
                .terms
                .iter()
                .filter(|t| t.split_whitespace().count() >= 2)
            {
                if long.chars().next() == short.chars().next() {
                    pairs.push((short.to_lowercase(), long.to_lowercase()));
                }
            }
        }
    }
    pairs
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
        assert_eq!(detect("india japan trade volume 2022"), Intent::Quantity);
        assert_eq!(detect("When was the MoC signed?"), Intent::When);
        assert_eq!(detect("what year did they meet"), Intent::When);
        assert_eq!(
            detect("how much is the IT industry worth"),
            Intent::Quantity
        );
        assert_eq!(detect("How many billions in revenue?"), Intent::Quantity);
        assert_eq!(detect("how did they cooperate"), Intent::Any);
    }

    #[test]
    fn detects_who_where_and_expansion_questions() {
        assert_eq!(detect("who led the delegation"), Intent::Who);
        assert_eq!(detect("which ministry headed it"), Intent::Who);
        assert_eq!(detect("where was the dialogue held"), Intent::Where);
        assert_eq!(detect("which city hosted gccs"), Intent::Where);
        assert_eq!(detect("what does NASSCOM stand for"), Intent::Expansion);
        assert_eq!(detect("meity full form"), Intent::Expansion);
        assert_eq!(detect("what is the MoC"), Intent::Any);
    }

    #[test]
    fn frame_words_are_sorted_for_binary_search() {
        assert!(EXPANSION_FRAME.windows(2).all(|w| w[0] < w[1]));
        assert!(PLACES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_expansion_frame("stand") && !is_expansion_frame("nasscom"));
    }

    #[test]
    fn finds_acronyms_spelled_out_either_way() {
        let pair = |a: &str, e: &str| (a.to_string(), e.to_string());
        assert_eq!(
            expanded_acronyms("a Memorandum of Cooperation (MoC) signed in March 2022"),
            [pair("moc", "Memorandum of Cooperation")]
        );
        assert_eq!(
            expanded_acronyms("theft of IP (intellectual property), or other data"),
            [pair("ip", "intellectual property")]
        );
        assert_eq!(
            expanded_acronyms("research and development (R&D) and the 5G (fifth) era"),
            [pair("r&d", "research and development")]
        );
        assert_eq!(
            expanded_acronyms(
                "the National Association of Software and Services Companies (NASSCOM)"
            ),
            [pair(
                "nasscom",
                "National Association of Software and Services Companies"
            )]
        );
        assert!(expanded_acronyms("India (the country) and Japan").is_empty());
    }

    #[test]
    fn an_attribute_the_fact_does_not_state_cannot_be_answered() {
        let kinds = AnswerKinds {
            attributes: attributes_named(["offices", "in", "delhi"]),
            ..AnswerKinds::default()
        };
        let asks = |q: &str| {
            kinds.answers(&Wanted {
                intent: Intent::Any,
                ..Wanted::of(q)
            })
        };
        assert!(asks("where is kochhar headquartered"));
        assert!(!asks("kochhar email"));
        assert!(!asks("when was kochhar founded"));
        assert!(asks("who chaired india's team"));
        let phoned = AnswerKinds {
            attributes: attributes_named(["contact", "details", "tel", "telephone"]),
            ..AnswerKinds::default()
        };
        let asks_phoned = |q: &str| phoned.answers(&Wanted::of(q));
        assert!(asks_phoned("kochhar phone number") && asks_phoned("how to contact kochhar"));
        assert!(!asks_phoned("kochhar email") && !asks_phoned("kochhar website url"));
    }

    #[test]
    fn a_question_for_a_name_needs_a_fact_that_names_a_person() {
        assert!(is_person_name("Masato Otaka") && is_person_name("Sanjay Kumar Verma"));
        assert!(!is_person_name("Kochhar & Co.") && !is_person_name("NASSCOM"));
        assert!(!is_person_name("Ministry of External Affairs") && !is_person_name("India"));
        assert!(!is_person_name("National Police Agency"));
        let role_only = AnswerKinds {
            actor: true,
            ..AnswerKinds::default()
        };
        let named = AnswerKinds {
            person: true,
            ..role_only.clone()
        };
        for q in [
            "what was the name of the joint secretary who led india",
            "who is japan's current ambassador to india",
            "japan's cyber ambassador in 2022, by name?",
        ] {
            let wanted = Wanted::of(q);
            assert!(wanted.person_name, "{q}");
            assert!(!role_only.answers(&wanted) && named.answers(&wanted), "{q}");
        }
        for q in [
            "who led japan's delegation in 2022",
            "who was leading the japanese side",
            "who is the source for the revenue figure",
            "what is the name of the 2017 dialogue",
        ] {
            assert!(!Wanted::of(q).person_name, "{q}");
        }
    }

    #[test]
    fn only_quotes_spell_an_acronym_out() {
        let fact = |answer: &str, quote: &str| Fact {
            id: "f".into(),
            kind: crate::knowledge::FactKind::Fact,
            title: "t".into(),
            answer: answer.into(),
            topics: vec![],
            parties: vec![],
            date: None,
            event: None,
            questions: vec![],
            keywords: vec![],
            citations: vec![crate::knowledge::Citation {
                source: "s".into(),
                quote: quote.into(),
            }],
        };
        let glossary = [("ip".to_string(), "intellectual property".to_string())];
        let paraphrased = fact(
            "a partner in the intellectual property (IP) practice",
            "IP law",
        );
        assert!(AnswerKinds::of(&paraphrased, &glossary).expands.is_empty());
        let quoted = fact(
            "a partner",
            "ICT and Intellectual Property (IP) will overlap",
        );
        assert_eq!(
            AnswerKinds::of(&quoted, &[]).expands,
            [("ip".to_string(), "Intellectual Property".to_string())]
        );
    }

    #[test]
    fn recognises_places_and_agents() {
        assert!(states_place("held in New Delhi on 17 August"));
        assert!(states_place("held virtually, as an e-dialogue"));
        assert!(!states_place("India and Japan signed an MoC"));
        assert!(states_agent("was headed by Sanjay Kumar Verma"));
        assert!(!states_agent("reviewed 5G technology"));
    }

    #[test]
    fn recognises_stated_quantities() {
        assert!(states_quantity("estimated at $227 billion"));
        assert!(states_quantity("up from 196 billion the previous year"));
        assert!(!states_quantity("India ranked 46th in the 2021 index"));
        assert!(!states_quantity("reviewed 5G telecommunications"));
    }
}
