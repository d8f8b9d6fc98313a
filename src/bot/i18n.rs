//! The languages of the bot's own interface text. Answers and quotes stay English (they are
//! verbatim citations); everything the bot says about itself follows the interaction's
//! `locale` when it is Japanese or Hindi.

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    En,
    Ja,
    Hi,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ja, Lang::Hi];

    /// The language of a Discord locale ("ja", "hi", "en-US", …); English for any other.
    pub fn from_locale(locale: &str) -> Lang {
        match locale.split(['-', '_']).next().unwrap_or_default() {
            "ja" => Lang::Ja,
            "hi" => Lang::Hi,
            _ => Lang::En,
        }
    }

    /// The Discord locale code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
            Lang::Hi => "hi",
        }
    }
}
