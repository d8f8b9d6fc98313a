//! The footer of a fact's embed — kind, date, confidence (for answers), id and the knowledge
//! fingerprint — written once for answers and fact cards. Footers show no markdown.

use super::percent;
use crate::knowledge::FactKind;

/// "fact · 2022-03 · confidence 87% · moc-signed-march-2022 · knowledge 985979015e3d".
pub fn fact_footer(
    kind: FactKind,
    date: Option<&str>,
    confidence: Option<f32>,
    id: &str,
    fingerprint: &str,
) -> String {
    let mut footer = kind.to_string();
    if let Some(date) = date {
        footer.push_str(&format!(" · {date}"));
    }
    if let Some(confidence) = confidence {
        footer.push_str(&format!(" · confidence {}", percent(confidence)));
    }
    footer.push_str(&format!(" · {id} · knowledge {fingerprint}"));
    footer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_show_confidence_and_cards_do_not() {
        assert_eq!(
            fact_footer(FactKind::Fact, Some("2022-03"), Some(0.874), "moc", "abc"),
            "fact · 2022-03 · confidence 87% · moc · knowledge abc"
        );
        assert_eq!(
            fact_footer(FactKind::Commitment, None, None, "x", "abc"),
            "commitment · x · knowledge abc"
        );
    }
}
