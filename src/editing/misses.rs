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
//!
//! "The first group that matches" is found without comparing the question with every group
//! (that was quadratic: 36 s for 10,000 questions, while a day's log holds 36,000): groups are
//! looked up by nearest fact in a map, and by terms through a prefix-filtered inverted index
//! (`Grouper`), which finds exactly the group the scan found.

use std::collections::{BTreeMap, HashSet};

use rustc_hash::FxHashMap;
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

/// Jaccard of two sets of `a` and `b` terms that share `shared`.
fn jaccard_of(shared: usize, a: usize, b: usize) -> f64 {
    if a == 0 && b == 0 {
        return 1.0;
    }
    shared as f64 / (a + b - shared) as f64
}

// A threshold of 0 would put every question in the first group; the index below relies on
// two questions needing at least one shared term.
const _: () = assert!(SAME_TERMS > 0.0 && SAME_TERMS <= 1.0);

/// The fewest shared terms for sets of `a` and `b` terms to reach [`SAME_TERMS`], if any
/// number can.
fn required_overlap(a: usize, b: usize) -> Option<usize> {
    (0..=a.min(b)).find(|&shared| jaccard_of(shared, a, b) >= SAME_TERMS)
}

/// Sets of more terms than this are not listed under their pairs (a set of `n` terms has
/// about `n² / 8` pairs in its prefix) but compared with every group: the bot cuts logged
/// questions to 200 characters, far fewer terms, so only a log written by hand gets there.
const MAX_LISTED_TERMS: usize = 128;

/// Finds the group a question joins — the first, in creation order, whose first question
/// shares enough terms or the same confident nearest fact — without looking at every group.
///
/// Terms are numbered rarest first over the whole log. Two sets of `a` and `b` terms that must
/// share `r` terms share their first two common terms (in that order) among the first
/// `a - r + 2` terms of the one and the first `b - r + 2` of the other: the prefix filter of
/// set-similarity joins, on pairs of terms. Each group is listed, with its size, under the
/// pairs of its prefix (as long as any question size can need); a question looks only under
/// the pairs of its own prefix, for each size it can match, and compares the groups found
/// there in full (a pair found at a place in the question's prefix too far for a group's size
/// is passed over without comparing). Pairs rather than single terms, and rare terms first,
/// keep those lists short: questions that share one common word ("india") are not listed
/// together, and a pair of common words is in a prefix only when most of the set is as
/// common. The only sizes that can match while sharing one term (a term alone, and a pair
/// that contains it) are listed under single terms, by size.
#[derive(Default)]
struct Grouper {
    /// Each group's first question's terms, as term numbers, ascending.
    terms: Vec<Vec<u32>>,
    /// Nearest fact to the first group that has it.
    by_fact: FxHashMap<String, usize>,
    /// The first group of a question without terms (only those match it).
    empty: Option<usize>,
    /// (term, group size) to the groups of that size that can match sharing only that term.
    singles: FxHashMap<(u32, usize), Vec<usize>>,
    /// Pair of terms to the groups with the pair in their prefix.
    pairs: FxHashMap<(u32, u32), Vec<Listed>>,
    /// Whether a group of each size exists.
    sizes: Vec<bool>,
    /// Where each set of terms and nearest fact went: the same question always goes to the
    /// same group (groups before it did not match it then and do not now; the one it joined
    /// or started still does), so a repeated question is looked up once.
    placed: FxHashMap<(Vec<u32>, Option<String>), usize>,
    /// Groups with more than [`MAX_LISTED_TERMS`] terms, ascending.
    unlisted: Vec<usize>,
    /// Per group, the last question (numbered by `epoch`) that compared it in full.
    compared: Vec<u32>,
    epoch: u32,
}

impl Grouper {
    fn new() -> Self {
        Grouper::default()
    }

    /// Groups so far.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.terms.len()
    }

    /// The group for a question with `terms` (term numbers, ascending, rarest first for
    /// speed) and confident nearest fact `top`: the first group that matches, else a new one
    /// (numbered in order from 0).
    fn place(&mut self, terms: &[u32], top: Option<&str>) -> usize {
        let key = (terms.to_vec(), top.map(str::to_string));
        if let Some(&g) = self.placed.get(&key) {
            return g;
        }
        let g = self
            .find(terms, top)
            .unwrap_or_else(|| self.start(terms, top));
        self.placed.insert(key, g);
        g
    }

    fn find(&mut self, terms: &[u32], top: Option<&str>) -> Option<usize> {
        let mut best = top
            .and_then(|fact| self.by_fact.get(fact))
            .copied()
            .unwrap_or(usize::MAX);
        let a = terms.len();
        if a == 0 {
            best = best.min(self.empty.unwrap_or(usize::MAX));
        }
        // Sets too large to list (not from the bot, which cuts questions short) are compared
        // with every group, or every group with them, as the scan did.
        let matches = |g: usize| {
            let group = &self.terms[g];
            required_overlap(a, group.len()).is_some_and(|n| shares_at_least(terms, group, n))
        };
        if a > MAX_LISTED_TERMS {
            let found = (0..best.min(self.terms.len())).find(|&g| matches(g));
            return found.or((best != usize::MAX).then_some(best));
        }
        if let Some(&g) = self
            .unlisted
            .iter()
            .take_while(|&&g| g < best)
            .find(|&&g| matches(g))
        {
            best = g;
        }
        // A group reached through several pairs is compared once per question.
        self.epoch += 1;
        let epoch = self.epoch;
        // For each group size, the terms it must share, and among how many of the question's
        // first terms a shared pair must be (0: that size is not looked up by pairs). Groups
        // without terms were looked up above.
        let mut allowed = vec![0; self.sizes.len()];
        let mut needs = vec![0; self.sizes.len()];
        for (b, _) in self
            .sizes
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, &some)| some)
        {
            match required_overlap(a, b) {
                Some(1) => {
                    for &term in terms {
                        // Ascending: the first that matches is the list's earliest.
                        for &g in self.singles.get(&(term, b)).into_iter().flatten() {
                            if g >= best {
                                break;
                            }
                            if shares_at_least(terms, &self.terms[g], 1) {
                                best = g;
                                break;
                            }
                        }
                    }
                }
                Some(needed) => (allowed[b], needs[b]) = (a + 2 - needed, needed),
                None => {}
            }
        }
        let prefix = &terms[..allowed.iter().copied().max().unwrap_or(0)];
        for (i, &first) in prefix.iter().enumerate() {
            for (j, &second) in prefix.iter().enumerate().skip(i + 1) {
                let Some(groups) = self.pairs.get(&(first, second)) else {
                    continue;
                };
                for listed in groups {
                    let (g, b, at) = (
                        listed.group,
                        listed.size as usize,
                        listed.second_at as usize,
                    );
                    if g >= best {
                        break;
                    }
                    // Were this pair the first two terms shared, the rest could share at most
                    // what follows it on the shorter side; when that is too few, either they
                    // cannot match, or they share an earlier pair, looked up on its own.
                    let most = 2 + (a - j - 1).min(b - at - 1);
                    if j >= allowed[b] || most < needs[b] || self.compared[g] == epoch {
                        continue;
                    }
                    self.compared[g] = epoch;
                    // A term whose bit is not in the group's signature is not in the group.
                    let possible = terms
                        .iter()
                        .filter(|&&t| listed.signature & signature_bit(t) != 0)
                        .count();
                    if possible >= needs[b] && shares_at_least(terms, &self.terms[g], needs[b]) {
                        best = g;
                        break;
                    }
                }
            }
        }
        (best != usize::MAX).then_some(best)
    }

    fn start(&mut self, terms: &[u32], top: Option<&str>) -> usize {
        let g = self.terms.len();
        let b = terms.len();
        if b == 0 {
            self.empty = Some(g);
        }
        if let Some(fact) = top {
            self.by_fact.entry(fact.to_string()).or_insert(g);
        }
        self.terms.push(terms.to_vec());
        self.compared.push(0);
        if b > MAX_LISTED_TERMS {
            self.unlisted.push(g);
            return g;
        }
        self.sizes.resize(self.sizes.len().max(b + 1), false);
        self.sizes[b] = true;
        // The overlaps that can reach the threshold with a set of this size: the smallest
        // decides how long a prefix a question may look in.
        let overlaps: Vec<usize> = (1..=b).filter_map(|a| required_overlap(a, b)).collect();
        if overlaps.contains(&1) {
            for &term in terms {
                self.singles.entry((term, b)).or_default().push(g);
            }
        }
        if let Some(fewest) = overlaps.iter().copied().filter(|&r| r >= 2).min() {
            let signature = terms.iter().fold(0, |s, &t| s | signature_bit(t));
            let prefix = &terms[..b + 2 - fewest];
            for (i, &first) in prefix.iter().enumerate() {
                for (at, &second) in prefix.iter().enumerate().skip(i + 1) {
                    self.pairs
                        .entry((first, second))
                        .or_default()
                        .push(Listed::new(g, b, at, signature));
                }
            }
        }
        g
    }
}

/// A group as listed under a pair of its terms, with what decides most comparisons without
/// reading the group's terms.
struct Listed {
    group: usize,
    size: u32,
    /// Where the pair's second term is in the group.
    second_at: u32,
    /// One bit per term of the group ([`signature_bit`]).
    signature: u64,
}

impl Listed {
    fn new(group: usize, size: usize, second_at: usize, signature: u64) -> Self {
        // Listed groups have at most `MAX_LISTED_TERMS` terms.
        Listed {
            group,
            size: size as u32,
            second_at: second_at as u32,
            signature,
        }
    }
}

/// The bit of a term in a group's signature: two sets that share a term have its bit in both.
fn signature_bit(term: u32) -> u64 {
    1 << (term % 64)
}

/// Whether two ascending lists share at least `needed` numbers (the two sets reach
/// [`SAME_TERMS`] exactly when they share the [`required_overlap`]). Stops as soon as what is
/// left cannot make up the difference.
fn shares_at_least(a: &[u32], b: &[u32], needed: usize) -> bool {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while n < needed {
        if n + (a.len() - i).min(b.len() - j) < needed {
            return false;
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    true
}

/// The group of each question, in order, numbered from 0 as groups start: a question joins
/// the first group whose first question shares most of its terms ([`SAME_TERMS`]) or has the
/// same confident nearest fact (`None`: not confident enough, see [`SAME_FACT_CONFIDENCE`]).
pub fn group(questions: &[(&HashSet<String>, Option<&str>)]) -> Vec<usize> {
    // Term numbers, rarest first (ties by the term): any fixed order finds the same groups,
    // this one the fastest.
    let mut frequency: FxHashMap<&str, usize> = FxHashMap::default();
    for (terms, _) in questions {
        for term in terms.iter() {
            *frequency.entry(term.as_str()).or_default() += 1;
        }
    }
    let mut order: Vec<(&str, usize)> = frequency.into_iter().collect();
    order.sort_unstable_by(|x, y| x.1.cmp(&y.1).then(x.0.cmp(y.0)));
    let number: FxHashMap<&str, u32> = order
        .iter()
        .enumerate()
        .map(|(n, (term, _))| (*term, n as u32))
        .collect();
    let mut grouper = Grouper::new();
    questions
        .iter()
        .map(|(terms, top)| {
            let mut numbers: Vec<u32> = terms.iter().map(|t| number[t.as_str()]).collect();
            numbers.sort_unstable();
            grouper.place(&numbers, *top)
        })
        .collect()
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
    let placed: Vec<(&HashSet<String>, Option<&str>)> = asked
        .iter()
        .map(|a| {
            let (terms, near) = &ranked[&a.question.to_lowercase()];
            let top = near
                .first()
                .filter(|n| n.confidence >= SAME_FACT_CONFIDENCE)
                .map(|n| n.fact.as_str());
            (terms, top)
        })
        .collect();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, g) in group(&placed).into_iter().enumerate() {
        if g == groups.len() {
            groups.push(Vec::new());
        }
        groups[g].push(i);
    }
    let kb = engine.knowledge();
    let mut out: Vec<Group> = groups
        .into_iter()
        .map(|members| {
            let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
            let mut users = HashSet::new();
            for (order, &i) in members.iter().enumerate() {
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
                asked: members.len(),
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

    fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
        jaccard_of(a.intersection(b).count(), a.len(), b.len())
    }

    /// The grouping as first written: each question compared with every group in order.
    fn place_by_scanning(
        groups: &mut Vec<(HashSet<String>, Option<String>)>,
        terms: &HashSet<String>,
        top: Option<&str>,
    ) -> usize {
        let found = groups.iter().position(|(g_terms, g_top)| {
            jaccard(g_terms, terms) >= SAME_TERMS
                || matches!((g_top.as_deref(), top), (Some(x), Some(y)) if x == y)
        });
        found.unwrap_or_else(|| {
            groups.push((terms.clone(), top.map(str::to_string)));
            groups.len() - 1
        })
    }

    #[test]
    fn the_index_places_every_question_where_scanning_every_group_did() {
        // Few terms and facts, so that sets overlap at every ratio, sizes vary from empty to
        // a dozen, and facts tie questions whose terms do not.
        let mut rng = crate::synthetic::Rng::new(0x2545_F491_4F6C_DD1D);
        let mut next = |below: u64| rng.next_u64() % below;
        let mut joined_by_terms = 0;
        for _ in 0..50 {
            let mut scanned = Vec::new();
            let mut grouper = Grouper::new();
            let mut numbers: BTreeMap<String, u32> = BTreeMap::new();
            for _ in 0..300 {
                // Now and then a set too large to list, from a wider vocabulary, so that two
                // of them share about half their terms.
                let (size, vocabulary) = if next(40) == 0 {
                    (MAX_LISTED_TERMS as u64 + 1 + next(12), 200)
                } else {
                    (next(13), 16)
                };
                let mut terms = HashSet::new();
                while (terms.len() as u64) < size {
                    terms.insert(format!("t{}", next(vocabulary)));
                }
                let top = (next(4) == 0).then(|| format!("fact-{}", next(5)));
                // Any fixed numbering is exact; the real one is by rarity, for speed.
                let mut ids: Vec<u32> = terms
                    .iter()
                    .map(|t| {
                        let n = numbers.len() as u32;
                        *numbers.entry(t.clone()).or_insert(n)
                    })
                    .collect();
                ids.sort_unstable();
                let before = grouper.len();
                let placed = grouper.place(&ids, top.as_deref());
                assert_eq!(
                    placed,
                    place_by_scanning(&mut scanned, &terms, top.as_deref()),
                    "{terms:?} {top:?}"
                );
                joined_by_terms += usize::from(top.is_none() && placed < before);
            }
        }
        // The comparison means something only if many questions join by their terms.
        assert!(joined_by_terms > 1000, "{joined_by_terms}");
    }

    #[test]
    fn jaccard_is_shared_over_union() {
        let a: HashSet<String> = ["x", "y"].map(String::from).into();
        let b: HashSet<String> = ["y", "z"].map(String::from).into();
        assert!((jaccard(&a, &b) - 1.0 / 3.0).abs() < 1e-9);
    }
}
