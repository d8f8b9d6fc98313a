//! Measuring the engine on a question set: top-1 accuracy, MRR@3, and how well it declines.
//!
//! The set (`tests/eval/questions.toml`) is written the way users type, without looking at the
//! knowledge base's own alternate questions, so that it measures generalisation. The same run
//! gates `/reload`: a knowledge base that falls below the floors is refused.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::search::{Engine, Filters};
use crate::Answer;

/// The value of `expect` for a question the engine must decline.
pub const NO_MATCH: &str = "no_match";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalSet {
    pub questions: Vec<EvalQuestion>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvalQuestion {
    pub q: String,
    /// A fact id, or [`NO_MATCH`].
    pub expect: String,
    /// Other fact ids that answer the question equally well.
    #[serde(default)]
    pub also: Vec<String>,
    #[serde(default)]
    pub style: Option<String>,
}

impl EvalQuestion {
    pub fn expects_decline(&self) -> bool {
        self.expect == NO_MATCH
    }

    fn accepts(&self, id: &str) -> bool {
        self.expect == id || self.also.iter().any(|a| a == id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read eval set {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

impl EvalSet {
    pub fn load(path: &Path) -> Result<Self, EvalError> {
        let text = std::fs::read_to_string(path).map_err(|source| EvalError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        toml::from_str(&text).map_err(|err| EvalError::Invalid {
            path: path.to_path_buf(),
            message: err.to_string(),
        })
    }
}

/// One question the engine got wrong.
#[derive(Debug, Clone)]
pub struct Failure {
    pub question: String,
    pub expected: String,
    /// What came back: a fact id, or "no_match".
    pub got: String,
    pub confidence: f32,
    pub style: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct EvalReport {
    pub answerable: usize,
    pub top1_correct: usize,
    pub reciprocal_rank_sum: f32,
    pub out_of_scope: usize,
    /// Out-of-scope questions declined.
    pub declined_correctly: usize,
    /// Declines of any question.
    pub declined_total: usize,
    /// (style, correct, total), sorted by style.
    pub by_style: Vec<(String, usize, usize)>,
    pub failures: Vec<Failure>,
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

impl EvalReport {
    /// Answerable questions whose first answer is right.
    pub fn top1(&self) -> f64 {
        ratio(self.top1_correct, self.answerable)
    }
    /// Mean reciprocal rank of the right fact among the first three (0 when absent).
    pub fn mrr3(&self) -> f64 {
        if self.answerable == 0 {
            1.0
        } else {
            f64::from(self.reciprocal_rank_sum) / self.answerable as f64
        }
    }
    /// Of all declines, the share that were out-of-scope questions.
    pub fn decline_precision(&self) -> f64 {
        ratio(self.declined_correctly, self.declined_total)
    }
    /// Of out-of-scope questions, the share declined.
    pub fn decline_recall(&self) -> f64 {
        ratio(self.declined_correctly, self.out_of_scope)
    }
}

/// Runs every question of `set` through `engine`.
pub fn run(engine: &Engine, set: &EvalSet) -> EvalReport {
    let mut report = EvalReport::default();
    let mut styles: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let filters = Filters::default();
    for question in &set.questions {
        let answer = engine.ask(&question.q, &filters);
        let got = answer.fact_id().unwrap_or(NO_MATCH).to_string();
        let declined = matches!(answer, Answer::NoMatch(_));
        report.declined_total += usize::from(declined);
        let correct = if question.expects_decline() {
            report.out_of_scope += 1;
            report.declined_correctly += usize::from(declined);
            declined
        } else {
            report.answerable += 1;
            let top = engine.top(&question.q, &filters, 3);
            if let Some(rank) = top.iter().position(|r| question.accepts(&r.fact_id)) {
                report.reciprocal_rank_sum += 1.0 / (rank + 1) as f32;
            }
            let right = !declined && question.accepts(&got);
            report.top1_correct += usize::from(right);
            right
        };
        let style = question
            .style
            .clone()
            .unwrap_or_else(|| "unlabelled".into());
        let entry = styles.entry(style).or_default();
        entry.0 += usize::from(correct);
        entry.1 += 1;
        if !correct {
            report.failures.push(Failure {
                question: question.q.clone(),
                expected: question.expect.clone(),
                got,
                confidence: answer.confidence(),
                style: question.style.clone(),
            });
        }
    }
    report.by_style = styles.into_iter().map(|(s, (c, t))| (s, c, t)).collect();
    report
}
