//! What one pass over a microdata file reads: the file's name in errors, the design and
//! outcome columns, the domain tables, the post-stratum columns and the replicate weights
//! ([`ReadPlan`]).

use crate::survey::design::DesignSpec;
use crate::survey::scoring::ScoringRule;

/// The columns and tables of one pass over a microdata file.
#[derive(Debug, Clone, Copy)]
pub struct ReadPlan<'a> {
    /// The file's name in errors.
    pub file: &'a str,
    /// Strata, PSU, weight and fpc columns.
    pub design: &'a DesignSpec,
    /// The outcome columns and how a row's outcomes are classified.
    pub scoring: &'a ScoringRule,
    /// The domain tables: each entry is one column or several crossed (`["county", "urban"]`).
    pub by: &'a [Vec<String>],
    /// The post-stratification columns (crossed; empty for none), whose cells split every
    /// (domain, PSU) cell.
    pub post: &'a [String],
    /// With `Some(prefix)`, every column whose name starts with it is a replicate weight:
    /// strata, PSUs and fpc are ignored (the whole file is one cell per domain) and each
    /// domain keeps its per-replicate sums and replicate-weight rows.
    pub rep_prefix: Option<&'a str>,
}
