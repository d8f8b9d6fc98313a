//! How a candidate fact is scored. Each signal is in [0, 1]; the confidence is their weighted
//! sum. Every weight, count and threshold of the engine is named here, with the reason for its
//! value — the BM25F constants the index is built with included, so this module imports none
//! of its siblings.

/// Only the start of a very long question is read: nobody asks 100 KB of question, and the
/// cost of a question must stay bounded whatever arrives.
pub const MAX_QUESTION_CHARS: usize = 1_000;
/// Most distinct question words considered, for the same reason: a question has far fewer
/// content words, and each costs a posting-list walk (a 100 KB question at 100k facts: 4.8 ms
/// with 32, 3.1 ms with 16).
pub const MAX_QUESTION_TERMS: usize = 16;

/// How much an occurrence in each field counts, in the order of the index's fields (title,
/// alternate questions, keywords, answer, quotes). Alternate questions and titles are written
/// to be matched; quotes are the article's wording, long and full of incidental words.
pub const FIELD_WEIGHTS: [f32; 5] = [3.0, 2.5, 2.0, 1.5, 1.0];
/// BM25 length normalisation. Lower than the usual 0.75: fields here are short and their length
/// says little about relevance.
pub const FIELD_LENGTH_B: f32 = 0.5;
/// BM25 term-frequency saturation.
pub const BM25_K1: f32 = 1.2;
/// Numbers and dates name one event: "2017" singles out a dialogue better than "dialogue".
pub const NUMBER_BOOST: f32 = 1.6;
/// Names (capitalised mid-sentence, or acronyms) are what people ask about.
pub const NAME_BOOST: f32 = 1.3;

/// Share of the question's (weighted) words the fact contains. The backbone of declining:
/// "what is the capital of Japan" shares only "Japan" with any fact.
pub const WEIGHT_COVERAGE: f32 = 0.5;
/// Similarity to the fact's best alternate question or title: the strongest single signal for
/// paraphrases, since alternates are written the way people ask.
pub const WEIGHT_QUESTION: f32 = 0.25;
/// BM25F score relative to the best any fact could get for this question.
pub const WEIGHT_BM25: f32 = 0.25;

/// Below this confidence the engine declines.
///
/// The four weights, [`UNKNOWN_WORD_FACTOR`] and this threshold were chosen by grid search on
/// the public question set (`eval --dump`), taking the middle of the widest range of
/// thresholds that meets both floors. Figures measured on the set used for tuning are
/// optimistic; docs/performance.md ("What the figures mean") says which sets were not.
pub const DEFAULT_DECLINE_BELOW: f32 = 0.47;
/// Two answers closer than this are reported as ambiguous.
pub const AMBIGUITY_MARGIN: f32 = 0.03;
/// Facts re-ranked with the costlier signals, after a first BM25-and-coverage pass.
pub const RERANK_DEPTH: usize = 24;
/// The share of the first-pass score below which a question's least telling words, together,
/// are left out while recall picks its [`RERANK_DEPTH`] candidates, and then scored on those
/// candidates only. Words in nearly every fact ("cyber" in a knowledge base about cyber
/// policy) weigh almost nothing yet have the longest postings: at 100k synthetic facts, nearly
/// half the postings a question read. Leaving them out moves no fact by more than this, so
/// only a near-tie at the edge of the candidates can change.
pub const NEGLIGIBLE_SHARE: f32 = 0.01;
/// Within the first pass, the share of coverage against BM25F. Even: the first pass only has
/// to keep the right fact within [`RERANK_DEPTH`], and the re-rank weighs the two properly.
pub const FIRST_PASS_COVERAGE_SHARE: f32 = 0.5;
/// Ranks computed exactly: the answer, an ambiguous second, and three related facts.
/// Below them, candidates may skip the costliest signals (they cannot rise into these ranks).
pub const EXACT_RANKS: usize = 5;
/// A related fact must reach this confidence to be offered.
pub const RELATED_MIN: f32 = 0.22;
/// Related facts offered with an answer: enough to browse on, few enough to read at a glance.
pub const RELATED_COUNT: usize = 3;
/// Suggestions on a decline must reach this confidence, or they are noise.
pub const SUGGESTION_MIN: f32 = 0.12;
/// Suggestions offered with a decline, at most: the next-best candidates, as for related facts.
pub const SUGGESTION_COUNT: usize = 3;

/// A corrected word counts less than a word typed right: the correction may be wrong.
pub fn typo_factor(distance: usize) -> f32 {
    match distance {
        0 => 1.0,
        1 => ONE_TYPO_FACTOR,
        _ => TWO_TYPOS_FACTOR,
    }
}
/// A word one edit from the vocabulary is most often the typo it looks like.
pub const ONE_TYPO_FACTOR: f32 = 0.85;
/// Two edits leave more room for a different word, so the correction counts less.
pub const TWO_TYPOS_FACTOR: f32 = 0.7;
/// Confidence kept per number or country of the question that the fact lacks: one such
/// mismatch usually means another event or another country's deal.
pub const ENTITY_MISMATCH_FACTOR: f32 = 0.55;
/// Confidence kept when the question wants a date or quantity the fact does not give.
pub const INTENT_MISMATCH_FACTOR: f32 = 0.5;
/// Confidence kept by a fact that does not spell out the acronym an expansion question asks
/// about: whatever else it shares with the question, it cannot say what the acronym means.
pub const EXPANSION_MISMATCH_FACTOR: f32 = 0.25;
/// Weight of a question word no fact contains, relative to the rarest word that some fact
/// contains. Such a word usually names what the question is really about.
pub const UNKNOWN_WORD_FACTOR: f32 = 0.6;
/// Confidence kept per content word of the question that no fact contains: it most often
/// names what the knowledge base does not know ("currency", "founded", "email").
pub const UNKNOWN_FOCUS_FACTOR: f32 = 0.9;
/// Confidence kept by a fact that is not part of the event the question names: "who led
/// India's side at the second dialogue" is about that dialogue's facts only.
pub const EVENT_MISMATCH_FACTOR: f32 = 0.6;
/// Weight kept by the words of an expansion question other than the acronym ("in the 2022
/// piece"): they pick between the facts that spell the acronym out, but cannot outweigh it.
pub const EXPANSION_CONTEXT_SHARE: f32 = 0.15;
/// Confidence kept by a fact about one country's side when the question asks about the
/// other's: "what was Japan's rank" cannot be answered by India's rank, nor "who led the
/// Indian side" by Japan's delegation, however many other words they share.
pub const SIDE_MISMATCH_FACTOR: f32 = 0.5;
/// A synonym counts slightly less than the word itself.
pub const SYNONYM_FACTOR: f32 = 0.95;
/// Entity mismatches and unknown words counted at most, each: the penalty is bounded, so a
/// long question cannot drive every fact's confidence to zero (four entity mismatches already
/// keep 0.55⁴ ≈ 0.09 of it).
pub const MISMATCHES_COUNTED: u32 = 4;

/// The signals of one candidate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signals {
    pub coverage: f32,
    pub question: f32,
    pub bm25: f32,
    /// Numbers or countries in the question that the fact lacks.
    pub entity_mismatches: u32,
    /// The question wants a kind of answer (date, quantity, person or body, place,
    /// expansion) that the fact does not give.
    pub intent_mismatch: bool,
    /// The question asks what an acronym stands for and the fact does not spell it out.
    pub expansion_mismatch: bool,
    /// Content words of the question that no fact has.
    pub unknown_words: u32,
    /// The question names an event the fact is not part of.
    pub event_mismatch: bool,
    /// The question asks about one country's side; the fact is about another country's.
    pub side_mismatch: bool,
    /// The question asks who (or whose name) at one event; the fact is of another event.
    pub actor_of_other_event: bool,
}

impl Signals {
    pub fn confidence(&self) -> f32 {
        let blend = WEIGHT_COVERAGE * self.coverage
            + WEIGHT_QUESTION * self.question
            + WEIGHT_BM25 * self.bm25;
        let mut mismatch =
            ENTITY_MISMATCH_FACTOR.powi(self.entity_mismatches.min(MISMATCHES_COUNTED) as i32);
        if self.intent_mismatch {
            mismatch *= INTENT_MISMATCH_FACTOR;
        }
        if self.expansion_mismatch {
            mismatch *= EXPANSION_MISMATCH_FACTOR;
        }
        mismatch *= UNKNOWN_FOCUS_FACTOR.powi(self.unknown_words.min(MISMATCHES_COUNTED) as i32);
        if self.event_mismatch {
            mismatch *= EVENT_MISMATCH_FACTOR;
        }
        if self.side_mismatch {
            mismatch *= SIDE_MISMATCH_FACTOR;
        }
        if self.actor_of_other_event {
            mismatch *= EVENT_MISMATCH_FACTOR;
        }
        (blend * mismatch).clamp(0.0, 1.0)
    }

    pub fn named(&self) -> Vec<(String, f32)> {
        vec![
            ("coverage".into(), self.coverage),
            ("question similarity".into(), self.question),
            ("bm25".into(), self.bm25),
            ("entity mismatches".into(), self.entity_mismatches as f32),
            (
                "intent mismatch".into(),
                f32::from(u8::from(self.intent_mismatch)),
            ),
            (
                "expansion mismatch".into(),
                f32::from(u8::from(self.expansion_mismatch)),
            ),
            ("unknown words".into(), self.unknown_words as f32),
            (
                "event mismatch".into(),
                f32::from(u8::from(self.event_mismatch)),
            ),
            (
                "side mismatch".into(),
                f32::from(u8::from(self.side_mismatch)),
            ),
            (
                "actor of another event".into(),
                f32::from(u8::from(self.actor_of_other_event)),
            ),
        ]
    }
}

/// BM25 saturation of a pseudo term frequency.
pub fn saturate(tf: f32) -> f32 {
    tf * (BM25_K1 + 1.0) / (tf + BM25_K1)
}

/// Harmonic mean: high only when both directions of overlap are high.
pub fn harmonic(a: f32, b: f32) -> f32 {
    if a + b <= 0.0 {
        0.0
    } else {
        2.0 * a * b / (a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_one_so_confidence_stays_in_range() {
        let sum = WEIGHT_COVERAGE + WEIGHT_QUESTION + WEIGHT_BM25;
        assert!((sum - 1.0).abs() < 1e-6);
        let perfect = Signals {
            coverage: 1.0,
            question: 1.0,
            bm25: 1.0,
            entity_mismatches: 0,
            intent_mismatch: false,
            expansion_mismatch: false,
            unknown_words: 0,
            event_mismatch: false,
            side_mismatch: false,
            actor_of_other_event: false,
        };
        assert!((perfect.confidence() - 1.0).abs() < 1e-6);
        let other_year = Signals {
            entity_mismatches: 1,
            ..perfect
        };
        assert!((other_year.confidence() - ENTITY_MISMATCH_FACTOR).abs() < 1e-6);
        let undated = Signals {
            intent_mismatch: true,
            ..perfect
        };
        assert!((undated.confidence() - INTENT_MISMATCH_FACTOR).abs() < 1e-6);
        let unexpanded = Signals {
            expansion_mismatch: true,
            ..perfect
        };
        assert!((unexpanded.confidence() - EXPANSION_MISMATCH_FACTOR).abs() < 1e-6);
        let other_side = Signals {
            side_mismatch: true,
            ..perfect
        };
        assert!((other_side.confidence() - SIDE_MISMATCH_FACTOR).abs() < 1e-6);
        assert_eq!(Signals::default().confidence(), 0.0);
    }

    #[test]
    fn saturation_grows_and_stays_below_k1_plus_one() {
        assert!(saturate(1.0) < saturate(2.0));
        assert!(saturate(1000.0) < BM25_K1 + 1.0);
    }

    #[test]
    fn harmonic_mean_needs_both_sides() {
        assert_eq!(harmonic(1.0, 0.0), 0.0);
        assert!((harmonic(0.5, 0.5) - 0.5).abs() < 1e-6);
    }
}
