//! Typed errors of the survey estimator. They say what is wrong in the estimator's own terms
//! (a column's role, a replicate count) and never name a command-line flag: the command line
//! (`litmon estimate`) words each one for the user, naming the flag to fix.

use std::fmt;

use super::Location;

/// The role a named column plays in an estimate (the column was not found in the header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRole {
    /// Stratum ids.
    Strata,
    /// Primary sampling unit ids (nested in strata).
    Psu,
    /// Design weights.
    Weight,
    /// Finite population correction.
    Fpc,
    /// A score (or the indicator) of the scoring rule.
    Score,
    /// A domain column.
    Domain,
    /// A post-stratification or raking column.
    PostStratum,
}

impl ColumnRole {
    /// What the column holds, in words (e.g. `stratum`).
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnRole::Strata => "stratum",
            ColumnRole::Psu => "PSU",
            ColumnRole::Weight => "weight",
            ColumnRole::Fpc => "fpc",
            ColumnRole::Score => "score",
            ColumnRole::Domain => "domain",
            ColumnRole::PostStratum => "post-stratum",
        }
    }
}

impl fmt::Display for ColumnRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem of the microdata, the design or the population margins found by the estimator.
/// Every one is the user's to fix (exit status 2).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SurveyError {
    /// A column named for `role` is not in the header at `location`.
    #[error("{location}: expected a {role} column named {name:?}; the header has {}", header.join(","))]
    MissingColumn {
        /// The microdata's header line.
        location: Location,
        /// What the column was to hold.
        role: ColumnRole,
        /// The column name asked for.
        name: String,
        /// The header's column names.
        header: Vec<String>,
    },
    /// Fewer than 2 header columns start with the replicate-weight prefix.
    #[error("{location}: expected at least 2 replicate weight columns whose names start with {prefix:?}; the header has {}", header.join(","))]
    ReplicateColumnsMissing {
        /// The microdata's header line.
        location: Location,
        /// The column-name prefix of the replicate weights.
        prefix: String,
        /// The header's column names.
        header: Vec<String>,
    },
    /// Fewer than 2 replicate weights for the variance.
    #[error(
        "expected at least 2 replicate weight columns starting with {prefix:?}, found {found}"
    )]
    TooFewReplicates {
        /// The column-name prefix of the replicate weights.
        prefix: String,
        /// Replicate weight columns found.
        found: usize,
    },
    /// Fay's method without its coefficient ρ.
    #[error("Fay's replicate weights need Fay's coefficient rho")]
    FayWithoutRho,
    /// JKn without the per-replicate scales (n_h − 1)/n_h.
    #[error("JKn replicate weights need the per-replicate (n_h − 1)/n_h")]
    JknWithoutRscales,
    /// The number of replicate scales differs from the number of replicates.
    #[error("expected {expected} replicate scales (one per replicate), found {found}")]
    RscalesCount {
        /// Replicates in the microdata.
        expected: usize,
        /// Scales given.
        found: usize,
    },
    /// A stratum with one PSU under [`crate::survey::taylor::LonelyPsu::Fail`].
    #[error("stratum {stratum:?} has only one PSU: choose a lonely-PSU policy of adjust, remove or certainty (as R options(survey.lonely.psu))")]
    LonelyPsu {
        /// The stratum's id.
        stratum: String,
    },
    /// The microdata has a header but no data row.
    #[error("the microdata has no data rows")]
    NoDataRows,
    /// The population tables do not match the weighting: post-stratification needs one,
    /// raking one per margin, in the same order.
    #[error(
        "expected one population table per post-stratification or raking margin, in the same order"
    )]
    PopulationsPerMargin,
    /// Raking margins whose population totals differ.
    #[error("{location}: the raking margins do not describe one population: this table totals {total}, {first} totals {first_total}; expected equal totals (relative 1e-6)")]
    MarginTotalsDiffer {
        /// The margin table that disagrees with the first.
        location: Location,
        /// Its total.
        total: f64,
        /// The first margin table's label.
        first: String,
        /// The first margin table's total.
        first_total: f64,
    },
}
