//! The questions `draft` proposes for a sentence: only those a person would ask, or none.
//!
//! A question is written from a template only when the sentence fills both of its slots
//! clearly: the *subject*, a noun phrase the sentence states where the template needs it (the
//! sentence's subject, before its verb, or the object right after it), and the *asked
//! attribute*, something the sentence says about that subject in a shape the template knows
//! ("X was signed in March 2022" answers "when was X signed?"; "X was led by Y" answers "who
//! led X?"). Anything less clear gives no question: the editor writes one, which costs less
//! than rewriting nonsense ("how much is third japan-india cyber dialogue in tokyo?" came from
//! the day "10" of a sentence about a dialogue).
//!
//! The templates, each with what it needs:
//!
//! | question | the sentence says |
//! | --- | --- |
//! | when was X signed? | "X (was) signed in/on DATE", or "S signed X" with a date |
//! | who led X? | "X was led/headed by", "S led X", "X, under the leadership of" |
//! | who was part of X? | "X included/comprised", X a delegation, side or team |
//! | where did X rank in Y? | "X ranked 46th in Y" |
//! | how much is X? | "X is (estimated at) $227 billion" |
//! | what did X reaffirm? | "X (have) reaffirmed …" |
//! | what did X agree to do? | "X agreed to do …" |
//! | what will X do? | "X will do …" (a verb with an object) |
//! | what is X expected to do? | "X is expected to do …" (a verb with an object) |
//! | when/where will X take place? | "X will / is expected to take place in PLACE … YEAR" |
//! | when will X begin? | "X will begin/start … in YEAR" |
//!
//! A subject is clear when it starts the sentence (after an opening phrase such as "In June
//! 2022," or "According to the statement,"), has at most [`MAX_SUBJECT_WORDS`] words, starts
//! with a determiner or a capital, and contains no pronoun, verb or clause break.

use crate::knowledge::MONTHS;

/// A longer subject is a clause, not a noun phrase a person would type.
pub const MAX_SUBJECT_WORDS: usize = 8;
/// At most this many questions per sentence: the editor rewrites them anyway.
const MAX_QUESTIONS: usize = 3;

/// Words that end a noun phrase rather than belong to it, and that no title or question slot
/// may end on: articles, prepositions, conjunctions, relative and personal pronouns,
/// auxiliaries, determiners, and particles ("… in the current fiscal year, up").
#[rustfmt::skip]
pub const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "with", "by", "from", "into", "onto",
    "upon", "over", "under", "about", "across", "after", "against", "along", "among", "around",
    "as", "before", "behind", "below", "beside", "between", "beyond", "during", "except", "inside",
    "like", "near", "off", "outside", "per", "since", "through", "throughout", "toward", "towards",
    "until", "via", "within", "without", "including", "regarding", "concerning", "following",
    "such", "and", "or", "but", "nor", "so", "yet", "because", "although", "while", "whereas",
    "if", "than", "that", "which", "who", "whom", "whose", "where", "when", "is", "are", "was",
    "were", "be", "been", "being", "am", "has", "have", "had", "will", "would", "shall", "should",
    "can", "could", "may", "might", "must", "do", "does", "did", "its", "their", "his", "her",
    "our", "your", "my", "this", "these", "those", "each", "every", "some", "any", "no", "both",
    "either", "neither", "it", "they", "them", "he", "she", "we", "you", "i", "there", "not",
    "also", "further", "up", "down", "out",
];

/// Words that cannot start or be part of a clear subject: pronouns and words that make it a
/// clause ("All this was headed by …" has no subject a person would name).
#[rustfmt::skip]
const NOT_IN_SUBJECT: &[&str] = &[
    "it", "this", "that", "these", "those", "they", "them", "he", "she", "we", "you", "i", "all",
    "which", "who", "whom", "whose", "there", "here", "is", "are", "was", "were", "be", "been",
    "has", "have", "had", "will", "would", "shall", "should", "can", "could", "may", "might",
    "must", "do", "does", "did", "not", "said", "says", "stated", "claimed", "added",
];

/// Words a subject may start with besides a capitalised word.
#[rustfmt::skip]
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "both", "their", "its", "his", "her", "our", "each", "every", "two", "three",
];

/// Words that open a sentence's introductory phrase ("In June 2022, …").
#[rustfmt::skip]
const OPENERS: &[&str] = &[
    "in", "on", "at", "after", "before", "during", "following", "according", "as", "above",
    "since", "under", "last", "this", "earlier", "later", "meanwhile", "however",
];

/// Participles of events that happen on a date (signed, held, …).
#[rustfmt::skip]
const EVENT_VERBS: &[&str] = &[
    "signed", "held", "launched", "concluded", "adopted", "established", "conducted", "hosted",
    "organised", "organized", "inaugurated", "announced", "founded", "agreed",
];

/// Scale words of a money or count amount.
const SCALES: &[&str] = &["million", "billion", "trillion", "crore", "lakh"];

/// Group nouns whose members a person asks about ("who was part of the Indian side?").
#[rustfmt::skip]
const GROUP_NOUNS: &[&str] = &[
    "delegation", "delegations", "side", "team", "teams", "group", "committee", "panel",
];

/// Meetings a person leads ("who led the talks?").
#[rustfmt::skip]
const LED_EVENTS: &[&str] = &[
    "talks", "dialogue", "meeting", "mission", "discussions", "negotiations",
];

/// Verbs after "will" or "expected to" that take no object worth asking about, or that need
/// a different template.
#[rustfmt::skip]
const NOT_ASKABLE_VERBS: &[&str] = &[
    "be", "have", "continue", "likely", "also", "further", "need", "help", "lead", "take", "make",
    "become", "remain", "seek", "try", "begin", "start",
];

/// One word of the sentence: its text without surrounding punctuation, lowercase, and what
/// follows it.
#[derive(Debug, Clone)]
struct Word<'a> {
    text: &'a str,
    lower: String,
    /// A comma, semicolon, colon, full stop or closing quote or bracket follows it.
    breaks: bool,
    /// It is in brackets ("(MoC)").
    bracketed: bool,
}

impl Word<'_> {
    fn capital(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether it is one of `words` (lowercase); an acronym never is ("IT" is not "it").
    fn is(&self, words: &[&str]) -> bool {
        let acronym = self.text.len() > 1 && self.text.chars().all(|c| c.is_uppercase());
        !acronym && words.contains(&self.lower.as_str())
    }

    fn is_date(&self) -> bool {
        MONTHS.contains(&self.lower.as_str()) || is_year(&self.lower)
    }
}

fn is_year(word: &str) -> bool {
    word.len() == 4
        && word.chars().all(|c| c.is_ascii_digit())
        && (1990..=2099).contains(&word.parse::<u32>().unwrap_or(0))
}

fn split(sentence: &str) -> Vec<Word<'_>> {
    sentence
        .split_whitespace()
        .filter_map(|raw| {
            let text = raw.trim_matches(|c: char| {
                !(c.is_alphanumeric() || matches!(c, '$' | '%' | '-' | '&'))
            });
            let text = text.trim_matches('-');
            if text.is_empty() {
                return None;
            }
            let after = &raw[raw.rfind(text).map_or(raw.len(), |i| i + text.len())..];
            Some(Word {
                text,
                lower: text.to_lowercase(),
                breaks: after.contains([',', ';', ':', '.', '!', '?', '"', ')', '\'']),
                bracketed: raw.starts_with('('),
            })
        })
        .collect()
}

/// Where the sentence's subject starts: its first word, or the word after an opening phrase
/// ("In June 2022, India and Japan …"); `None` when an opening phrase never ends.
fn subject_start(words: &[Word]) -> Option<usize> {
    let first = words.first()?;
    if !first.is(OPENERS) {
        return Some(0);
    }
    words.iter().position(|w| w.breaks).map(|i| i + 1)
}

/// The noun phrase `words[start..end]`, when it is a clear subject (see the module header).
fn clear_subject(words: &[Word], start: usize, end: usize) -> Option<String> {
    let phrase = words.get(start..end)?;
    let (first, last) = (phrase.first()?, phrase.last()?);
    let clear = phrase.len() <= MAX_SUBJECT_WORDS
        && (first.capital() || first.is(DETERMINERS))
        && !last.is(FUNCTION_WORDS)
        // An adverb ("… quickly") is not where a noun phrase ends.
        && (last.capital() || !last.lower.ends_with("ly"))
        && phrase[..phrase.len() - 1].iter().all(|w| !w.breaks)
        && phrase.iter().all(|w| !w.is(NOT_IN_SUBJECT) && !w.bracketed)
        && phrase.iter().any(|w| !w.is(FUNCTION_WORDS));
    clear.then(|| the_phrase(phrase))
}

/// The sentence's subject, when it ends right before `verb` (adverbs such as "also" or
/// "further" may stand between).
fn subject_before(words: &[Word], verb: usize) -> Option<String> {
    let start = subject_start(words)?;
    let mut end = verb;
    while end > start && words[end - 1].is(&["also", "further", "now", "jointly", "today"]) {
        end -= 1;
    }
    (end > start).then(|| clear_subject(words, start, end))?
}

/// The noun phrase right after `at` (a verb), when it is clear: a determiner or a capital
/// first, then words up to a break or a preposition; names in capitals keep their joiners
/// ("the Memorandum of Cooperation").
fn object_at(words: &[Word], at: usize) -> Option<String> {
    let first = words.get(at)?;
    if !(first.capital() || first.is(DETERMINERS) || first.text.starts_with(char::is_numeric)) {
        return None;
    }
    let mut end = at;
    let capitals = words[at..].iter().skip(1).any(Word::capital);
    while end < words.len() {
        let w = &words[end];
        if end > at && (w.is(FUNCTION_WORDS) || w.bracketed) {
            // "of" inside a name: "Ministry of External Affairs".
            let inside_name = w.is(&["of", "for", "and", "on"])
                && words[end - 1].capital()
                && words.get(end + 1).is_some_and(Word::capital);
            if !inside_name {
                break;
            }
        }
        // After capitalised words, a participle starts a new phrase ("… Index based on").
        let participle = w.lower.ends_with("ed") || w.lower.ends_with("ing");
        if end > at && capitals && participle && !w.capital() && words[end - 1].capital() {
            break;
        }
        end += 1;
        if w.breaks {
            break;
        }
    }
    let phrase = &words[at..end];
    let last = phrase.last()?;
    let ok = (1..=MAX_SUBJECT_WORDS).contains(&phrase.len())
        && !last.is(FUNCTION_WORDS)
        && phrase.iter().all(|w| !w.is(NOT_IN_SUBJECT))
        && (phrase.len() >= 2 || first.capital());
    ok.then(|| the_phrase(phrase))
}

/// The phrase with "the" for a possessive or indefinite determiner ("their Third Cyber
/// Dialogue" is "the third cyber dialogue" in a question), lowercase as questions are.
fn the_phrase(phrase: &[Word]) -> String {
    let mut words: Vec<&str> = phrase.iter().map(|w| w.text).collect();
    if phrase[0].is(&["a", "an", "their", "its", "his", "her", "our"]) {
        words[0] = "the";
    }
    words.join(" ").to_lowercase()
}

/// A named thing right before `at`: capitalised words (with "of", "for", "and" inside), an
/// abbreviation in brackets skipped ("Memorandum of Cooperation (MoC) signed").
fn name_before(words: &[Word], at: usize) -> Option<String> {
    let mut end = at;
    if end > 0 && words[end - 1].bracketed {
        end -= 1;
    }
    let mut start = end;
    while start > 0 {
        let w = &words[start - 1];
        let joiner = w.is(&["of", "for", "and", "on"])
            && start >= 2
            && words[start - 2].capital()
            && start < end;
        if !(w.capital() || joiner) || (w.breaks && start < end) {
            break;
        }
        start -= 1;
    }
    let phrase = &words[start..end];
    let ok = phrase.len() >= 2 && start > 0 && phrase.len() <= MAX_SUBJECT_WORDS;
    ok.then(|| {
        format!(
            "the {}",
            phrase.iter().map(|w| w.text).collect::<Vec<_>>().join(" ")
        )
    })
    .map(|q| q.to_lowercase())
}

/// Questions for `sentence` (one line, straight quotes), each from a template whose slots the
/// sentence fills clearly; none when no template fits. Lowercase, like the knowledge file's.
pub fn propose(sentence: &str) -> Vec<String> {
    let words = split(sentence);
    let has_date = words.iter().any(Word::is_date);
    let mut out: Vec<String> = Vec::new();
    let mut add = |q: Option<String>| {
        if let Some(q) = q {
            if !out.contains(&q) {
                out.push(q);
            }
        }
    };
    for (i, w) in words.iter().enumerate() {
        let next = words.get(i + 1);
        match w.lower.as_str() {
            // "X was signed in March 2022", "X signed in March 2022", "S signed X … 2022".
            // ("agreed to …" is a promise, below.)
            verb if w.is(EVENT_VERBS) && has_date && !next.is_some_and(|n| n.is(&["to"])) => {
                let passive = i > 0 && words[i - 1].is(&["was", "were"]);
                let dated = next.is_some_and(|n| n.is(&["in", "on"]))
                    && words.get(i + 2).is_some_and(|d| {
                        d.is_date() || d.text.starts_with(|c: char| c.is_ascii_digit())
                    });
                if passive {
                    let be = &words[i - 1].lower;
                    add(subject_before(&words, i - 1).map(|x| format!("when {be} {x} {verb}?")));
                } else if dated {
                    add(name_before(&words, i).map(|x| format!("when was {x} {verb}?")));
                } else if verb != "agreed" && verb != "set" && i > 0 {
                    let subject = subject_before(&words, i);
                    add(subject
                        .and(object_at(&words, i + 1))
                        .map(|x| format!("when was {x} {verb}?")));
                }
            }
            "led" | "headed" => {
                let passive = i > 0
                    && words[i - 1].is(&["was", "were"])
                    && next.is_some_and(|n| n.is(&["by"]));
                if passive {
                    add(subject_before(&words, i - 1).map(|x| format!("who led {x}?")));
                } else if i > 0 && !words[i - 1].is(FUNCTION_WORDS) {
                    // Only a team or a meeting is led in this sense: "… has led India to
                    // partner with …" is not about who led India.
                    let led = object_at(&words, i + 1).filter(|x| {
                        x.rsplit(' ').next().is_some_and(|head| {
                            GROUP_NOUNS.contains(&head) || LED_EVENTS.contains(&head)
                        })
                    });
                    add(led.map(|x| format!("who led {x}?")));
                }
            }
            "under"
                if i > 0
                    && words[i - 1].breaks
                    && words.get(i + 2).is_some_and(|l| l.is(&["leadership"])) =>
            {
                let start = subject_start(&words);
                add(start
                    .and_then(|s| clear_subject(&words, s, i))
                    .map(|x| format!("who led {x}?")));
            }
            "included" | "comprised" if i > 0 => {
                let subject = subject_before(&words, i);
                let group = words[..i]
                    .iter()
                    .rev()
                    .find(|w| !w.is(&["also", "further"]))
                    .is_some_and(|w| w.is(GROUP_NOUNS));
                if group {
                    add(subject.map(|x| format!("who was part of {x}?")));
                }
            }
            "ranked" | "placed"
                if next.is_some_and(|n| {
                    n.lower.ends_with(['t', 'd', 'h']) && n.text.starts_with(char::is_numeric)
                }) && words.get(i + 2).is_some_and(|n| n.is(&["in"])) =>
            {
                let subject = subject_before(&words, i);
                let board = object_at(&words, i + 3);
                if let (Some(x), Some(y)) = (subject, board) {
                    add(Some(format!("where did {x} rank in {y}?")));
                }
            }
            "is" | "was" | "are" | "were" => {
                // "X is estimated at $227 billion", "X was $5 million".
                let mut at = i + 1;
                if words
                    .get(at)
                    .is_some_and(|n| n.is(&["estimated", "valued"]))
                    && words.get(at + 1).is_some_and(|n| n.is(&["at"]))
                {
                    at += 2;
                }
                let money = words.get(at).is_some_and(|n| n.text.starts_with('$'))
                    || (words
                        .get(at)
                        .is_some_and(|n| n.text.starts_with(char::is_numeric))
                        && words.get(at + 1).is_some_and(|n| n.is(SCALES)));
                if money {
                    let be = if w.is(&["is", "are"]) { "is" } else { "was" };
                    add(subject_before(&words, i).map(|x| format!("how much {be} {x}?")));
                }
                // "X is expected to take place in New Delhi in 2025", "X is expected to advance Y".
                if words.get(i + 1).is_some_and(|n| n.is(&["expected"]))
                    && words.get(i + 2).is_some_and(|n| n.is(&["to"]))
                {
                    let be = &w.lower;
                    let subject = subject_before(&words, i);
                    add(take_place(&words, i + 3, subject.as_deref(), has_date));
                    add(will_do(&words, i + 3).and_then(|verb| {
                        subject
                            .as_ref()
                            .map(|x| format!("what {be} {x} expected to {verb}?"))
                    }));
                }
            }
            "reaffirmed" | "reaffirm" => {
                let mut verb = i;
                if i > 0 && words[i - 1].is(&["have", "has"]) {
                    verb -= 1;
                }
                add(subject_before(&words, verb).map(|x| format!("what did {x} reaffirm?")));
            }
            "agreed" if next.is_some_and(|n| n.is(&["to"])) => {
                let action = words
                    .get(i + 2)
                    .filter(|v| !v.is(FUNCTION_WORDS) && !v.is(NOT_ASKABLE_VERBS) && !v.capital());
                if let Some(action) = action {
                    let particle = words
                        .get(i + 3)
                        .filter(|p| p.is(&["up", "out"]))
                        .map_or(String::new(), |p| format!(" {}", p.lower));
                    add(subject_before(&words, i)
                        .map(|x| format!("what did {x} agree to {}{particle}?", action.lower)));
                }
            }
            "will" => {
                let subject = subject_before(&words, i);
                add(take_place(&words, i + 1, subject.as_deref(), has_date));
                if has_date && words.get(i + 1).is_some_and(|v| v.is(&["begin", "start"])) {
                    let verb = &words[i + 1].lower;
                    add(subject.as_ref().map(|x| format!("when will {x} {verb}?")));
                }
                add(will_do(&words, i + 1)
                    .and_then(|verb| subject.as_ref().map(|x| format!("what will {x} {verb}?"))));
            }
            _ => {}
        }
    }
    out.truncate(MAX_QUESTIONS);
    out
}

/// The verb at `at` when it is followed by an object a question can ask for ("fund training",
/// "advance smart island projects"): not a preposition, not another verb's infinitive.
fn will_do(words: &[Word], at: usize) -> Option<String> {
    let verb = words.get(at)?;
    let object = words.get(at + 1)?;
    let a_verb = !verb.is(FUNCTION_WORDS)
        && !verb.is(NOT_ASKABLE_VERBS)
        && !verb.capital()
        && !verb.breaks
        && verb.text.chars().all(char::is_alphabetic)
        && !verb.lower.ends_with("ly")
        && !verb.lower.ends_with("ed");
    // An object starts with a determiner or a content word, never a preposition ("lead to").
    let an_object =
        !object.is(FUNCTION_WORDS) || object.is(&["the", "a", "an", "their", "its", "new"]);
    (a_verb && an_object).then(|| verb.lower.clone())
}

/// "X will take place in PLACE (in YEAR)": where, and when when a date is said.
fn take_place(words: &[Word], at: usize, subject: Option<&str>, dated: bool) -> Option<String> {
    let subject = subject?;
    let takes_place = words.get(at).is_some_and(|w| w.is(&["take"]))
        && words.get(at + 1).is_some_and(|w| w.is(&["place"]));
    if !takes_place {
        return None;
    }
    let somewhere = words.get(at + 2).is_some_and(|w| w.is(&["in", "at"]))
        && words
            .get(at + 3)
            .is_some_and(|w| w.capital() && !w.is_date());
    if somewhere {
        Some(format!("where will {subject} take place?"))
    } else if dated {
        Some(format!("when will {subject} take place?"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dated_events_ask_when() {
        assert_eq!(
            propose("In October 2024, India and Japan held their Third Cyber Dialogue in Tokyo."),
            ["when was the third cyber dialogue held?"]
        );
        assert_eq!(
            propose(
                "Dialogue between India and Japan advances their mutual interests following a \
                 Memorandum of Cooperation (MoC) signed in March 2022."
            ),
            ["when was the memorandum of cooperation signed?"]
        );
        assert_eq!(
            propose("The MoC was signed in March 2022."),
            ["when was the moc signed?"]
        );
    }

    #[test]
    fn leaders_and_members_ask_who() {
        assert_eq!(
            propose("The Japanese side was headed by the Ambassador in charge of Cyber Policy."),
            ["who led the japanese side?"]
        );
        assert_eq!(
            propose(
                "The joint secretary of the Cyberdiplomacy Division led the Indian side, which \
                 included ministries such as interior."
            ),
            ["who led the indian side?"]
        );
        assert_eq!(
            propose(
                "The Japanese delegation, under the leadership of the ambassador, included \
                 similar government departments."
            ),
            ["who led the japanese delegation?"]
        );
        assert_eq!(
            propose("The Indian side included administrators from the Ministry of Home Affairs."),
            ["who was part of the indian side?"]
        );
    }

    #[test]
    fn no_subject_no_question() {
        // A pronoun is not a subject a person names.
        assert!(propose("All this was headed by Joint Secretary Sanjay Kumar Verma.").is_empty());
        // A date with nothing dated: the old "how much is …" and "what about …" shapes.
        assert!(propose(
            "Above all, both countries reaffirmed that current international rule is normally \
             appropriate."
        )
        .iter()
        .all(|q| q == "what did both countries reaffirm?"));
        assert!(propose("It was a good year, 10 of them said.").is_empty());
        // Verbs without an object to ask for.
        assert!(propose("Law enforcement will be able to better detect cybercrime.").is_empty());
        assert!(
            propose("Improved infrastructure will lead to the invention of ventures.").is_empty()
        );
        assert!(propose(
            "ICT and Intellectual Property (IP) are expected to overlap through cooperation."
        )
        .is_empty());
    }

    #[test]
    fn amounts_ranks_promises_and_plans() {
        assert_eq!(
            propose(
                "According to NASSCOM, IT industry revenue in India is estimated at $227 billion \
                 in the current fiscal year."
            ),
            ["how much is it industry revenue in india?"]
        );
        assert_eq!(
            propose("India ranked 46th in the 2021 Global Innovation Index based on development."),
            ["where did india rank in the 2021 global innovation index?"]
        );
        assert_eq!(
            propose("Japan will fund training for 500 Indian cybersecurity professionals."),
            ["what will japan fund?"]
        );
        assert_eq!(
            propose("Both sides agreed to set up a joint working group by March 2025."),
            ["what did both sides agree to set up?"]
        );
        assert_eq!(
            propose("The next dialogue is expected to take place in New Delhi in 2025."),
            ["where will the next dialogue take place?"]
        );
        assert_eq!(
            propose("The cooperation is expected to advance smart island projects in India."),
            ["what is the cooperation expected to advance?"]
        );
        assert_eq!(
            propose("A pilot exchange of students will begin at two universities in 2025."),
            ["when will the pilot exchange of students begin?"]
        );
    }
}
