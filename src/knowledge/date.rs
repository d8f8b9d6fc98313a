//! Dates known to a given precision: `2017`, `2022-06` or `2017-08-24`.
//!
//! Sources and facts are often dated only to the year or month the article gives; inventing a
//! day would be a claim the source does not make.

/// Month names, lowercase, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking that the month and day exist.
    pub fn parse(text: &str) -> Result<Self, String> {
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, width: usize, what: &str| -> Result<u16, String> {
            if s.len() != width || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "invalid date \"{text}\": {what} must be {width} digits (use YYYY, YYYY-MM or YYYY-MM-DD)"
                ));
            }
            s.parse().map_err(|_| format!("invalid date \"{text}\""))
        };
        if parts.is_empty() || parts.len() > 3 {
            return Err(format!(
                "invalid date \"{text}\": use YYYY, YYYY-MM or YYYY-MM-DD"
            ));
        }
        let year = number(parts[0], 4, "the year")?;
        let month = match parts.get(1) {
            Some(m) => {
                let m = number(m, 2, "the month")?;
                if !(1..=12).contains(&m) {
                    return Err(format!("invalid date \"{text}\": month {m} does not exist"));
                }
                Some(m as u8)
            }
            None => None,
        };
        let day = match (parts.get(2), month) {
            (Some(d), Some(m)) => {
                let d = number(d, 2, "the day")?;
                if d == 0 || d > u16::from(days_in_month(year, m)) {
                    return Err(format!(
                        "invalid date \"{text}\": day {d} does not exist in that month"
                    ));
                }
                Some(d as u8)
            }
            _ => None,
        };
        Ok(PartialDate { year, month, day })
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_precision_and_round_trips() {
        for text in ["2017", "2022-06", "2017-08-24", "2024-02-29"] {
            assert_eq!(PartialDate::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn rejects_impossible_or_malformed_dates() {
        for text in [
            "",
            "17",
            "2017-13",
            "2017-00",
            "2023-02-29",
            "2017-8",
            "2017-08-24-1",
            "June 2022",
        ] {
            assert!(
                PartialDate::parse(text).is_err(),
                "{text} should be rejected"
            );
        }
    }

    #[test]
    fn orders_less_precise_dates_first_within_a_year() {
        let year = PartialDate::parse("2022").unwrap();
        let month = PartialDate::parse("2022-03").unwrap();
        let later = PartialDate::parse("2022-06").unwrap();
        assert!(year < month && month < later);
    }
}
