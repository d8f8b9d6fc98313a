//! Renderers: typed results (answers, facts, lists) to [`super::Reply`] values, and the small
//! pieces they share (citations, the confidence rounding). Handlers call these; nothing here
//! decides anything.

pub mod answer;
pub mod citation;
pub mod fact;
pub mod footer;
pub mod list;

/// The reply when a slow command's work panicked: nothing was changed.
pub fn internal_error(lang: super::i18n::Lang) -> super::Reply {
    super::Reply::text(super::i18n::text(lang, "error.internal"))
}

/// A confidence as a whole percentage, e.g. "91%": the one rounding of confidences shown.
pub fn percent(confidence: f32) -> String {
    format!("{:.0}%", confidence * 100.0)
}
