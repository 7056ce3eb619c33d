//! A name that is none of an enumeration's values ([`UnknownName`]).

/// A name that is none of an enumeration's values (a `--lang`, `--ci` or `lonely_psu` given as
/// text): what was given and the canonical names expected. Every named enumeration of the
/// library ([`crate::model::Level`], [`crate::trend::ModelKind`], [`crate::survey::ci::CiMethod`],
/// …) parses with [`std::str::FromStr`] and returns this error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected {}, found {given:?}", expected.join(", "))]
pub struct UnknownName {
    /// The text as given.
    pub given: String,
    /// The canonical names (the enumeration's `NAMES`).
    pub expected: &'static [&'static str],
}

impl UnknownName {
    /// The error for `given`, which is none of `expected`.
    pub fn new(given: &str, expected: &'static [&'static str]) -> Self {
        UnknownName {
            given: given.to_string(),
            expected,
        }
    }
}
