//! `misses`: what users asked that the bot could not answer, grouped, with the fact each
//! group most likely wanted (the "active learning" of hosted FAQ tools, offline).
//!
//! Input: the bot's JSON-lines logs (`src/bot/logs.rs`): declined questions
//! (`{"question", "user", ...}`, questions cut to 200 characters, users hashed) and feedback
//! clicks (`{"vote": "up"|"down", "fact", ...}`). Lines that are not such objects are counted
//! and skipped.
//!
//! Grouping: each question is analysed with the engine's analyzer (stems, stop words
//! removed) and ranked by the engine; a question joins the first group whose first question
//! shares most of its terms ([`SAME_TERMS`]) or has the same nearest fact with enough
//! confidence on both sides ([`SAME_FACT_CONFIDENCE`]). Simple, and deterministic: groups are
//! built in log order, then ranked by how often they were asked.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use crate::search::normalize::Analyzer;
use crate::{Engine, Filters};

/// Two questions whose term sets overlap at least this much (Jaccard) ask the same thing in
/// nearly the same words ("when was the moc signed" / "when was the moc signed?!").
pub const SAME_TERMS: f64 = 0.5;
/// Two questions whose nearest fact is the same, each at least this confident, ask for the
/// same fact in other words. Below it, the nearest fact is noise: unrelated out-of-scope
/// questions share weak neighbours.
pub const SAME_FACT_CONFIDENCE: f32 = 0.2;
/// A group's best fact is proposed when its mean confidence over the group reaches this;
/// below, the knowledge base has nothing on it.
pub const PROPOSE_CONFIDENCE: f32 = 0.2;
/// Nearest facts shown per group.
const NEAREST: usize = 3;

/// A fact near a group, with the engine's mean confidence over the group's questions.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Near {
    pub fact: String,
    pub confidence: f32,
}

/// Declined questions that mean the same thing.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Times asked (log lines), repeats included.
    pub asked: usize,
    /// Distinct (hashed) users.
    pub users: usize,
    /// The distinct questions, most asked first.
    pub questions: Vec<String>,
    pub nearest: Vec<Near>,
    /// The fact to add the questions to, when one covers them.
    pub proposed: Option<String>,
    /// The proposed fact's `questions = [...]` line with the group's questions added.
    pub questions_line: Option<String>,
}

/// Feedback for one fact.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Votes {
    pub fact: String,
    pub up: usize,
    pub down: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Misses {
    pub groups: Vec<Group>,
    pub feedback: Vec<Votes>,
    /// Log lines that were not entries of the expected shape.
    pub skipped_lines: usize,
}

struct Asked {
    question: String,
    user: Option<String>,
}

fn parse_declined(text: &str, skipped: &mut usize) -> Vec<Asked> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let entry: Option<Value> = serde_json::from_str(line).ok();
        match entry
            .as_ref()
            .and_then(|e| e.get("question"))
            .and_then(Value::as_str)
        {
            Some(q) if !q.trim().is_empty() => out.push(Asked {
                question: q.trim().to_string(),
                user: entry
                    .as_ref()
                    .and_then(|e| e.get("user"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }),
            _ => *skipped += 1,
        }
    }
    out
}

fn parse_feedback(text: &str, skipped: &mut usize) -> Vec<Votes> {
    let mut by_fact: BTreeMap<String, Votes> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let entry: Option<Value> = serde_json::from_str(line).ok();
        let fact = entry
            .as_ref()
            .and_then(|e| e.get("fact"))
            .and_then(Value::as_str);
        let vote = entry
            .as_ref()
            .and_then(|e| e.get("vote"))
            .and_then(Value::as_str);
        match (fact, vote) {
            (Some(fact), Some(vote @ ("up" | "down"))) => {
                let votes = by_fact.entry(fact.to_string()).or_insert_with(|| Votes {
                    fact: fact.to_string(),
                    ..Votes::default()
                });
                if vote == "up" {
                    votes.up += 1;
                } else {
                    votes.down += 1;
                }
            }
            _ => *skipped += 1,
        }
    }
    let mut out: Vec<Votes> = by_fact.into_values().collect();
    out.sort_by(|a, b| b.down.cmp(&a.down).then(a.fact.cmp(&b.fact)));
    out
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let shared = a.intersection(b).count();
    shared as f64 / (a.len() + b.len() - shared) as f64
}

/// The TOML line for `questions` with `extra` appended (those already there, in any case,
/// are not repeated).
pub fn questions_line(existing: &[String], extra: &[String]) -> String {
    let mut all: Vec<String> = existing.to_vec();
    let mut seen: HashSet<String> = existing.iter().map(|q| q.to_lowercase()).collect();
    for q in extra {
        let q = q.to_lowercase();
        if seen.insert(q.clone()) {
            all.push(q);
        }
    }
    let parts: Vec<String> = all
        .iter()
        .map(|q| toml::Value::String(q.clone()).to_string())
        .collect();
    format!("questions = [{}]", parts.join(", "))
}

struct Pending {
    terms: HashSet<String>,
    top: Option<Near>,
    members: Vec<usize>,
}

/// Groups the declined questions of `declined` (log text) and summarises `feedback`.
pub fn misses(engine: &Engine, declined: &str, feedback: &str) -> Misses {
    let mut skipped = 0;
    let asked = parse_declined(declined, &mut skipped);
    let votes = parse_feedback(feedback, &mut skipped);
    let analyzer = Analyzer::default();
    let filters = Filters::default();
    // One analysis and one ranking per distinct question.
    let mut ranked: BTreeMap<String, (HashSet<String>, Vec<Near>)> = BTreeMap::new();
    for a in &asked {
        let key = a.question.to_lowercase();
        ranked.entry(key).or_insert_with(|| {
            let terms = analyzer
                .terms(&a.question)
                .into_iter()
                .map(|t| t.stem)
                .collect();
            let near = engine
                .top(&a.question, &filters, NEAREST)
                .into_iter()
                .map(|r| Near {
                    fact: r.fact_id,
                    confidence: r.confidence,
                })
                .collect();
            (terms, near)
        });
    }
    let mut groups: Vec<Pending> = Vec::new();
    for (i, a) in asked.iter().enumerate() {
        let (terms, near) = &ranked[&a.question.to_lowercase()];
        let top = near
            .first()
            .filter(|n| n.confidence >= SAME_FACT_CONFIDENCE);
        let joined = groups.iter_mut().find(|g| {
            jaccard(&g.terms, terms) >= SAME_TERMS
                || matches!((&g.top, top), (Some(x), Some(y)) if x.fact == y.fact)
        });
        match joined {
            Some(g) => g.members.push(i),
            None => groups.push(Pending {
                terms: terms.clone(),
                top: top.cloned(),
                members: vec![i],
            }),
        }
    }
    let kb = engine.knowledge();
    let mut out: Vec<Group> = groups
        .into_iter()
        .map(|g| {
            let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
            let mut users = HashSet::new();
            for (order, &i) in g.members.iter().enumerate() {
                let q = asked[i].question.to_lowercase();
                counts.entry(q).or_insert((0, order)).0 += 1;
                if let Some(u) = &asked[i].user {
                    users.insert(u.clone());
                }
            }
            let mut questions: Vec<(String, (usize, usize))> = counts.into_iter().collect();
            questions.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.1 .1.cmp(&b.1 .1)));
            // Mean confidence of each fact over the group's distinct questions.
            let mut sums: BTreeMap<String, f32> = BTreeMap::new();
            for (q, _) in &questions {
                for n in &ranked[q].1 {
                    *sums.entry(n.fact.clone()).or_default() += n.confidence;
                }
            }
            let mut nearest: Vec<Near> = sums
                .into_iter()
                .map(|(fact, sum)| Near {
                    fact,
                    confidence: sum / questions.len() as f32,
                })
                .collect();
            nearest.sort_by(|a, b| {
                b.confidence
                    .total_cmp(&a.confidence)
                    .then(a.fact.cmp(&b.fact))
            });
            nearest.truncate(NEAREST);
            let proposed = nearest
                .first()
                .filter(|n| n.confidence >= PROPOSE_CONFIDENCE)
                .map(|n| n.fact.clone());
            let questions: Vec<String> = questions.into_iter().map(|(q, _)| q).collect();
            let questions_line = proposed
                .as_deref()
                .and_then(|id| kb.fact(id))
                .map(|f| questions_line(&f.questions, &questions));
            Group {
                asked: g.members.len(),
                users: users.len(),
                questions,
                nearest,
                proposed,
                questions_line,
            }
        })
        .collect();
    out.sort_by_key(|g| std::cmp::Reverse(g.asked));
    Misses {
        groups: out,
        feedback: votes,
        skipped_lines: skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_lines_are_counted_not_fatal() {
        let mut skipped = 0;
        let asked = parse_declined(
            "{\"question\":\"a?\",\"user\":\"u1\"}\nnot json\n{\"other\":1}\n\n",
            &mut skipped,
        );
        assert_eq!(asked.len(), 1);
        assert_eq!(skipped, 2);
    }

    #[test]
    fn feedback_is_counted_per_fact_most_downvoted_first() {
        let mut skipped = 0;
        let votes = parse_feedback(
            "{\"vote\":\"down\",\"fact\":\"b\"}\n{\"vote\":\"up\",\"fact\":\"a\"}\n\
             {\"vote\":\"down\",\"fact\":\"b\"}\n{\"vote\":\"sideways\",\"fact\":\"a\"}\n",
            &mut skipped,
        );
        assert_eq!(skipped, 1);
        assert_eq!(
            votes[0],
            Votes {
                fact: "b".into(),
                up: 0,
                down: 2
            }
        );
        assert_eq!(
            votes[1],
            Votes {
                fact: "a".into(),
                up: 1,
                down: 0
            }
        );
    }

    #[test]
    fn the_questions_line_keeps_existing_questions_and_adds_new_ones_once() {
        let line = questions_line(
            &["when was the moc signed?".into()],
            &["When was the MoC signed?".into(), "moc \"date\"".into()],
        );
        assert_eq!(
            line,
            r#"questions = ["when was the moc signed?", 'moc "date"']"#
        );
    }

    #[test]
    fn jaccard_is_shared_over_union() {
        let a: HashSet<String> = ["x", "y"].map(String::from).into();
        let b: HashSet<String> = ["y", "z"].map(String::from).into();
        assert!((jaccard(&a, &b) - 1.0 / 3.0).abs() < 1e-9);
    }
}
