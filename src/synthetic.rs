//! Deterministic synthetic knowledge bases, for benchmarks and scale tests.
//!
//! Facts are built from a vocabulary shaped like the real one: a few hundred common policy
//! words used often (Zipf-like), and thousands of rare generated names (people, agencies,
//! places) that make most facts distinguishable. Questions are fact phrasings with typos.
//! The same seed always gives the same knowledge base and questions.

use std::path::PathBuf;

use crate::knowledge::{
    Citation, Fact, FactKind, KnowledgeBase, Meta, PartialDate, Source, SynonymGroup, Topic,
};

/// Common words of the domain, drawn often.
const COMMON: &[&str] = &[
    "cyber",
    "security",
    "dialogue",
    "cooperation",
    "india",
    "japan",
    "ministry",
    "delegation",
    "agreement",
    "memorandum",
    "digital",
    "technology",
    "information",
    "communication",
    "infrastructure",
    "policy",
    "national",
    "international",
    "bilateral",
    "framework",
    "legal",
    "innovation",
    "startup",
    "investment",
    "trade",
    "commerce",
    "telecommunications",
    "network",
    "spectrum",
    "research",
    "development",
    "industry",
    "academia",
    "government",
    "agency",
    "council",
    "secretariat",
    "bureau",
    "centre",
    "office",
    "ambassador",
    "secretary",
    "director",
    "general",
    "joint",
    "deputy",
    "foreign",
    "affairs",
    "home",
    "electronics",
    "defence",
    "police",
    "investigation",
    "intelligence",
    "cabinet",
    "strategy",
    "incident",
    "readiness",
    "critical",
    "protection",
    "threat",
    "mitigation",
    "capacity",
    "building",
    "training",
    "exchange",
    "sharing",
    "standards",
    "patents",
    "copyright",
    "trademark",
    "design",
    "property",
    "intellectual",
    "rights",
    "regime",
    "enforcement",
    "piracy",
    "crime",
    "data",
    "privacy",
    "cloud",
    "semiconductor",
    "supply",
    "chain",
    "resilience",
    "cables",
    "submarine",
    "optical",
    "satellite",
    "space",
    "artificial",
    "intelligence",
    "blockchain",
    "quantum",
    "internet",
    "things",
    "smart",
    "city",
    "island",
    "clean",
    "energy",
    "efficient",
    "venture",
    "capital",
    "partners",
    "alliance",
    "summit",
    "conference",
    "statement",
    "reaffirmed",
    "promise",
    "open",
    "free",
    "secure",
    "stable",
    "accessible",
    "peaceful",
    "norms",
    "behaviour",
    "states",
    "signed",
    "reviewed",
    "launched",
    "announced",
    "expanded",
    "established",
    "committed",
    "pledged",
    "discussed",
    "agreed",
    "welcomed",
    "noted",
    "billion",
    "revenue",
    "ranking",
    "index",
    "report",
    "programme",
    "initiative",
    "mission",
    "fund",
    "scheme",
];
const SYLLABLES: &[&str] = &[
    "ka", "ta", "shi", "mo", "ra", "ni", "ven", "dra", "pur", "yo", "shi", "ma", "ku", "ri", "an",
    "esh", "oto", "ha", "ji", "san", "vi", "nod", "ku", "mar", "ta", "ke", "hi", "ro",
];

/// A xorshift generator: tiny, fast and the same on every platform. The synthetic knowledge
/// bases and every test that wants a repeatable stream of numbers draw from it.
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (zero, which xorshift never leaves, is taken as one).
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    /// Index in `0..n` skewed towards small values, like word frequencies.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next_u64() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) - 1.0) as usize % n
    }
}

fn rare_word(rng: &mut Rng) -> String {
    let syllables = 2 + rng.below(3);
    (0..syllables)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

/// A synthetic knowledge base of `facts` facts, with a vocabulary of about `facts / 4`
/// rare words besides the common ones.
pub fn knowledge_base(facts: usize, seed: u64) -> KnowledgeBase {
    let mut rng = Rng::new(seed);
    let rare: Vec<String> = (0..(facts / 4).max(50))
        .map(|_| rare_word(&mut rng))
        .collect();
    let word = |rng: &mut Rng| -> String {
        if rng.below(4) == 0 {
            rare[rng.zipf(rare.len())].clone()
        } else {
            COMMON[rng.zipf(COMMON.len())].to_string()
        }
    };
    let sentence = |rng: &mut Rng, words: usize| -> String {
        (0..words).map(|_| word(rng)).collect::<Vec<_>>().join(" ")
    };
    let topics: Vec<Topic> = (0..12)
        .map(|i| Topic {
            id: format!("topic-{i}"),
            name: format!("Topic {i}"),
            description: "Synthetic".into(),
        })
        .collect();
    let facts: Vec<Fact> = (0..facts)
        .map(|i| {
            let year = 2015 + (i % 10) as u16;
            let title = format!("{} {year}", sentence(&mut rng, 7));
            Fact {
                id: format!("fact-{i}"),
                kind: if i % 4 == 0 {
                    FactKind::Commitment
                } else {
                    FactKind::Fact
                },
                answer: format!("{title}. {}.", sentence(&mut rng, 16)),
                questions: (0..4)
                    .map(|_| format!("what {}?", sentence(&mut rng, 5)))
                    .collect(),
                keywords: (0..3).map(|_| word(&mut rng)).collect(),
                answers: None,
                citations: vec![Citation {
                    source: "synthetic".into(),
                    // The answer says the year, so its source must too.
                    quote: format!("{} {year}", sentence(&mut rng, 24)),
                }],
                topics: vec![format!("topic-{}", i % 12)],
                parties: vec!["India".into(), "Japan".into()],
                date: Some(PartialDate {
                    year,
                    month: Some(1 + (i % 12) as u8),
                    day: None,
                }),
                event: None,
                title,
            }
        })
        .collect();
    KnowledgeBase {
        vocabulary: crate::search::intent::Vocabulary::builtin().clone(),
        events: Vec::new(),
        meta: Meta {
            title: "Synthetic".into(),
            description: "Generated".into(),
            updated: PartialDate {
                year: 2026,
                month: None,
                day: None,
            },
        },
        sources: vec![Source {
            id: "synthetic".into(),
            title: "Synthetic source".into(),
            author: None,
            publisher: None,
            url: None,
            published: None,
            note: None,
        }],
        topics,
        synonyms: vec![
            SynonymGroup {
                terms: vec!["moc".into(), "memorandum of cooperation".into()],
            },
            SynonymGroup {
                terms: vec!["ip".into(), "intellectual property".into()],
            },
            SynonymGroup {
                terms: vec![
                    "ict".into(),
                    "information and communication technology".into(),
                ],
            },
            SynonymGroup {
                terms: vec!["r&d".into(), "research and development".into()],
            },
        ],
        facts,
        fingerprint: format!("synthetic-{seed}"),
        path: PathBuf::from("synthetic.toml"),
    }
}

/// `count` questions about random facts of `kb`: an alternate question or a few title words,
/// with a typo in one longer word half of the time.
pub fn questions(kb: &KnowledgeBase, count: usize, seed: u64) -> Vec<String> {
    questions_about(kb, count, seed)
        .into_iter()
        .map(|(_, question)| question)
        .collect()
}

/// [`questions`], each with the index of the fact it was written from: the fact that should
/// answer it.
pub fn questions_about(kb: &KnowledgeBase, count: usize, seed: u64) -> Vec<(usize, String)> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let at = rng.below(kb.facts.len());
            let fact = &kb.facts[at];
            let base = if rng.below(2) == 0 {
                fact.questions[rng.below(fact.questions.len())].clone()
            } else {
                format!(
                    "what {}",
                    fact.title.split(' ').take(4).collect::<Vec<_>>().join(" ")
                )
            };
            let question = if rng.below(2) == 0 {
                typo(&base, &mut rng)
            } else {
                base
            };
            (at, question)
        })
        .collect()
}

/// Swaps two neighbouring letters in the longest word (one edit under Damerau–Levenshtein).
fn typo(question: &str, rng: &mut Rng) -> String {
    let mut words: Vec<String> = question.split(' ').map(str::to_string).collect();
    let Some(longest) = (0..words.len()).max_by_key(|&i| words[i].len()) else {
        return question.to_string();
    };
    let mut chars: Vec<char> = words[longest].chars().collect();
    if chars.len() >= 6 {
        let at = 1 + rng.below(chars.len() - 3);
        chars.swap(at, at + 1);
        words[longest] = chars.into_iter().collect();
    }
    words.join(" ")
}

fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| quoted(i)).collect();
    format!("[{}]", items.join(", "))
}

/// The knowledge base as a knowledge file (for tests and measurements of large files).
pub fn to_toml(kb: &KnowledgeBase) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "[meta]\ntitle = {}\ndescription = {}\nupdated = \"{}\"\n",
        quoted(&kb.meta.title),
        quoted(&kb.meta.description),
        kb.meta.updated
    );
    for s in &kb.sources {
        let _ = writeln!(
            out,
            "[[sources]]\nid = {}\ntitle = {}\n",
            quoted(&s.id),
            quoted(&s.title)
        );
    }
    for t in &kb.topics {
        let _ = writeln!(
            out,
            "[[topics]]\nid = {}\nname = {}\ndescription = {}\n",
            quoted(&t.id),
            quoted(&t.name),
            quoted(&t.description)
        );
    }
    for f in &kb.facts {
        let _ = writeln!(
            out,
            "[[facts]]\nid = {}\nkind = \"{}\"\ntitle = {}\nanswer = {}\ntopics = {}\n\
             parties = {}\nquestions = {}\nkeywords = {}",
            quoted(&f.id),
            f.kind,
            quoted(&f.title),
            quoted(&f.answer),
            list(&f.topics),
            list(&f.parties),
            list(&f.questions),
            list(&f.keywords)
        );
        if let Some(date) = f.date {
            let _ = writeln!(out, "date = \"{date}\"");
        }
        for c in &f.citations {
            let _ = writeln!(
                out,
                "[[facts.citations]]\nsource = {}\nquote = {}",
                quoted(&c.source),
                quoted(&c.quote)
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_sized() {
        let a = knowledge_base(200, 7);
        let b = knowledge_base(200, 7);
        assert_eq!(a.facts.len(), 200);
        assert_eq!(a.facts[123].answer, b.facts[123].answer);
        assert_eq!(questions(&a, 10, 3), questions(&b, 10, 3));
        assert_ne!(knowledge_base(200, 8).facts[0].answer, a.facts[0].answer);
    }

    #[test]
    fn the_engine_answers_synthetic_questions() {
        let kb = std::sync::Arc::new(knowledge_base(500, 11));
        let engine = crate::Engine::new(kb.clone());
        let answered = questions(&kb, 50, 5)
            .iter()
            .filter(|q| {
                matches!(
                    engine.ask(q, &crate::Filters::default()),
                    crate::Answer::Found(_)
                )
            })
            .count();
        assert!(
            answered >= 25,
            "only {answered}/50 synthetic questions answered"
        );
    }

    #[test]
    fn to_toml_round_trips_through_the_loader() {
        let kb = knowledge_base(50, 3);
        let text = to_toml(&kb);
        let loaded = crate::knowledge::parse(std::path::Path::new("s.toml"), &text)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(loaded.facts.len(), 50);
        assert_eq!(loaded.facts[7].title, kb.facts[7].title);
    }
}
