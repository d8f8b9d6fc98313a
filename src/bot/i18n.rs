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

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

use super::call::{CommandSpec, OptionSpec};

/// The message catalogue (`messages.toml`), compiled in: one table per language.
const CATALOGUE: &str = include_str!("messages.toml");

type Table = HashMap<String, String>;

fn catalogue() -> &'static HashMap<String, Table> {
    static PARSED: OnceLock<HashMap<String, Table>> = OnceLock::new();
    // The catalogue is compiled in and its tests parse it, so a parse error cannot ship;
    // should one slip through, the keys themselves are shown rather than a panic.
    PARSED.get_or_init(|| toml::from_str(CATALOGUE).unwrap_or_default())
}

fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    catalogue()
        .get(lang.code())
        .and_then(|table| table.get(key))
        .map(String::as_str)
}

/// Message `key` in `lang` (English if that language lacks it, the key if English does too).
pub fn text(lang: Lang, key: &str) -> String {
    lookup(lang, key)
        .or_else(|| lookup(Lang::En, key))
        .unwrap_or(key)
        .to_string()
}

/// Message `key` in `lang` with each `{name}` replaced by its value.
pub fn fill(lang: Lang, key: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = text(lang, key);
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// A command's name in `lang` (`None` for English: the registry's own).
pub fn command_name(lang: Lang, command: &CommandSpec) -> Option<&'static str> {
    (lang != Lang::En)
        .then(|| lookup(lang, &format!("cmd.{}", command.name)))
        .flatten()
}

/// A command's description in `lang`, the registry's for English.
pub fn command_description(lang: Lang, command: &CommandSpec) -> &'static str {
    match lang {
        Lang::En => command.description,
        _ => lookup(lang, &format!("cmd.{}.desc", command.name)).unwrap_or(command.description),
    }
}

/// An option's name in `lang` (`None` for English).
pub fn option_name(lang: Lang, option: &OptionSpec) -> Option<&'static str> {
    (lang != Lang::En)
        .then(|| lookup(lang, &format!("optname.{}", option.name)))
        .flatten()
}

/// An option's description in `lang`, the registry's for English.
pub fn option_description(lang: Lang, command: &CommandSpec, option: &OptionSpec) -> &'static str {
    match lang {
        Lang::En => option.description,
        _ => lookup(lang, &format!("opt.{}.{}.desc", command.name, option.name))
            .unwrap_or(option.description),
    }
}

/// The language whose script most of `text`'s letters are written in, when that is Japanese
/// (kana, kanji) or Hindi (Devanagari): such a question gets a reply saying answers are in
/// English, not a 0 % decline.
pub fn script_language(text: &str) -> Option<Lang> {
    let (mut letters, mut japanese, mut devanagari) = (0usize, 0usize, 0usize);
    for ch in text.chars() {
        let c = ch as u32;
        let is_japanese =
            matches!(c, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xFF66..=0xFF9F);
        let is_devanagari = matches!(c, 0x0900..=0x097F | 0xA8E0..=0xA8FF);
        if ch.is_alphanumeric() || is_japanese || is_devanagari {
            letters += 1;
            japanese += usize::from(is_japanese);
            devanagari += usize::from(is_devanagari);
        }
    }
    if japanese * 2 > letters {
        Some(Lang::Ja)
    } else if devanagari * 2 > letters {
        Some(Lang::Hi)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::commands::COMMANDS;

    fn keys(lang: Lang) -> Vec<&'static String> {
        let mut keys: Vec<_> = catalogue()[lang.code()].keys().collect();
        keys.sort();
        keys
    }

    #[test]
    fn the_catalogue_parses_with_one_table_per_language() {
        let parsed: HashMap<String, Table> = toml::from_str(CATALOGUE).unwrap();
        let mut langs: Vec<_> = parsed.keys().cloned().collect();
        langs.sort();
        assert_eq!(langs, ["en", "hi", "ja"]);
    }

    #[test]
    fn no_language_misses_a_key() {
        let english = keys(Lang::En);
        let command_key = |k: &str| k.starts_with("cmd.") || k.starts_with("opt");
        assert!(
            !english.iter().any(|k| command_key(k)),
            "English command text is the registry's"
        );
        for lang in [Lang::Ja, Lang::Hi] {
            let theirs = keys(lang);
            let missing: Vec<_> = english.iter().filter(|k| !theirs.contains(k)).collect();
            assert!(missing.is_empty(), "{lang:?} misses {missing:?}");
            let extra: Vec<_> = theirs
                .iter()
                .filter(|k| !english.contains(k) && !command_key(k))
                .collect();
            assert!(
                extra.is_empty(),
                "{lang:?} has keys English lacks: {extra:?}"
            );
            assert_eq!(
                keys(Lang::Ja),
                theirs,
                "ja and hi localise the same commands"
            );
            for c in COMMANDS {
                assert!(command_name(lang, c).is_some(), "{lang:?} /{}", c.name);
                assert!(
                    lookup(lang, &format!("cmd.{}.desc", c.name)).is_some(),
                    "{lang:?} /{}",
                    c.name
                );
                for o in c.options {
                    assert!(option_name(lang, o).is_some(), "{lang:?} {}", o.name);
                    let key = format!("opt.{}.{}.desc", c.name, o.name);
                    assert!(lookup(lang, &key).is_some(), "{lang:?} {key}");
                }
            }
        }
    }

    #[test]
    fn placeholders_are_the_same_in_every_language() {
        let placeholders = |text: &str| {
            let mut found: Vec<String> = text
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
                .collect();
            found.sort();
            found
        };
        for key in keys(Lang::En) {
            let english = placeholders(&text(Lang::En, key));
            for lang in [Lang::Ja, Lang::Hi] {
                assert_eq!(placeholders(&text(lang, key)), english, "{lang:?} {key}");
            }
        }
    }

    #[test]
    fn localised_names_and_descriptions_obey_discords_rules() {
        // Discord's rule for command and option names, verbatim.
        let rule = regex::Regex::new(r"^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$").unwrap();
        for lang in [Lang::Ja, Lang::Hi] {
            let mut names = Vec::new();
            for c in COMMANDS {
                let name = command_name(lang, c).unwrap();
                assert!(rule.is_match(name), "{lang:?} /{}: {name}", c.name);
                assert_eq!(name.to_lowercase(), name, "{lang:?}: lowercase");
                names.push(name);
                let description = command_description(lang, c);
                assert!(
                    (1..=100).contains(&description.chars().count()),
                    "{lang:?} {description}"
                );
                let mut options = Vec::new();
                for o in c.options {
                    let name = option_name(lang, o).unwrap();
                    assert!(rule.is_match(name), "{lang:?} {}: {name}", o.name);
                    assert_eq!(name.to_lowercase(), name);
                    options.push(name);
                    let description = option_description(lang, c, o);
                    assert!(
                        (1..=100).contains(&description.chars().count()),
                        "{lang:?} {description}"
                    );
                }
                options.sort_unstable();
                options.dedup();
                assert_eq!(
                    options.len(),
                    c.options.len(),
                    "{lang:?} /{}: option names differ",
                    c.name
                );
            }
            names.sort_unstable();
            names.dedup();
            assert_eq!(
                names.len(),
                COMMANDS.len(),
                "{lang:?}: command names are unique"
            );
        }
    }

    #[test]
    fn locales_and_scripts() {
        assert_eq!(Lang::from_locale("ja"), Lang::Ja);
        assert_eq!(Lang::from_locale("hi"), Lang::Hi);
        assert_eq!(Lang::from_locale("en-US"), Lang::En);
        assert_eq!(Lang::from_locale("pt-BR"), Lang::En);
        assert_eq!(
            script_language("2017年の対話で日本の代表団を率いたのは誰？"),
            Some(Lang::Ja)
        );
        assert_eq!(
            script_language("2017 की वार्ता में भारत के प्रतिनिधिमंडल का नेतृत्व किसने किया?"),
            Some(Lang::Hi)
        );
        assert_eq!(script_language("who led Japan's delegation? 日本"), None);
        assert_eq!(script_language("MoC とは何ですか"), Some(Lang::Ja));
        assert_eq!(
            fill(Lang::Ja, "error.slow_down", &[("seconds", &3)]),
            "質問のペースが速すぎます。3 秒後にもう一度お試しください。"
        );
    }
}
