//! Which jurisdictions a command keeps: `--jurisdiction` (codes or names, resolved once the
//! dataset is loaded) and `--level`.

use crate::cli::args::FilterArgs;
use crate::error::{Error, Result};
use crate::model::{Dataset, Level, Text};

/// `--jurisdiction` and `--level` of a table command (keep every row when empty).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowFilter {
    /// Jurisdiction codes or names as given (empty: all).
    pub jurisdictions: Vec<String>,
    /// Administrative level to keep (`None`: all).
    pub level: Option<Level>,
}

impl RowFilter {
    /// The filter of the flags.
    pub fn from_args(a: &FilterArgs) -> RowFilter {
        RowFilter {
            jurisdictions: a.jurisdiction.clone(),
            level: a.level,
        }
    }

    /// Whether `--jurisdiction` or `--level` was given.
    pub fn is_active(&self) -> bool {
        !self.jurisdictions.is_empty() || self.level.is_some()
    }

    /// The test of a jurisdiction id against this filter, on `ds`'s registry.
    pub fn on<'a>(&self, ds: &'a Dataset) -> Result<impl Fn(&str) -> bool + 'a> {
        jurisdiction_filter(ds, &self.jurisdictions, self.level)
    }
}

/// A code or name given to `flag`, as its id; unknown: a usage error naming the flag.
pub fn resolve_id(ds: &Dataset, flag: &str, key: &str) -> Result<String> {
    ds.resolve(key).map(|j| j.id.clone()).ok_or_else(|| {
        let m = crate::data::unknown_jurisdiction_message(ds, key);
        Error::usage(Text::new(
            format!("{flag}：{}", m.zh),
            format!("{flag}: {}", m.en),
        ))
    })
}

/// Every code or name of `--jurisdiction`, as ids.
pub fn resolve_ids(ds: &Dataset, keys: &[String]) -> Result<Vec<String>> {
    keys.iter()
        .map(|k| resolve_id(ds, "--jurisdiction", k))
        .collect()
}

/// A filter on jurisdiction ids from `--jurisdiction` (codes or names) and `--level`.
pub fn jurisdiction_filter<'a>(
    ds: &'a Dataset,
    keys: &[String],
    level: Option<Level>,
) -> Result<impl Fn(&str) -> bool + 'a> {
    let ids = resolve_ids(ds, keys)?;
    Ok(move |id: &str| {
        (ids.is_empty() || ids.iter().any(|j| j == id))
            && level.is_none_or(|l| ds.jurisdiction(id).is_some_and(|j| j.level == l))
    })
}
