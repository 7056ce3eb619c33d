//! The output language ([`Lang`], `--lang`) and the words a person reads, in both languages of `--lang`: every error, warning and note of the
//! library carries its Chinese and its English text ([`Text`]), and the command line prints
//! the one chosen. Scripts read ids and CSV/JSON columns, which never change with the language.

/// Output language. Its names (`--lang`) are the strum attributes.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    strum::IntoStaticStr,
    strum::VariantNames,
    strum::EnumString,
)]
#[strum(serialize_all = "lowercase")]
pub enum Lang {
    /// Chinese (default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The names of `--lang`: `zh`, `en`.
    pub const NAMES: &'static [&'static str] = <Lang as strum::VariantNames>::VARIANTS;

    /// The name (`zh` or `en`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A message in Chinese and in English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct Text {
    /// The Chinese text (`--lang zh`, the default).
    pub zh: String,
    /// The English text (`--lang en`; also [`std::fmt::Display`]).
    pub en: String,
}

impl Text {
    /// A message from its Chinese and English words.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// True when either language's text contains `needle` (for tests and filters).
    pub fn contains(&self, needle: &str) -> bool {
        self.zh.contains(needle) || self.en.contains(needle)
    }

    /// True when either language's text starts with `prefix`.
    pub fn starts_with(&self, prefix: &str) -> bool {
        self.zh.starts_with(prefix) || self.en.starts_with(prefix)
    }

    /// `self` followed by `other` in each language.
    pub fn join(&self, zh_sep: &str, en_sep: &str, other: &Text) -> Text {
        Text::new(
            format!("{}{zh_sep}{}", self.zh, other.zh),
            format!("{}{en_sep}{}", self.en, other.en),
        )
    }
}

/// English, as library users and logs read it.
impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.en)
    }
}
