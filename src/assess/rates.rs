//! Growth arithmetic of a target: required pace, compound annual growth, logit slope and
//! the data-age (staleness) rule.
//!
//! Notation: baseline y_b in year b, latest y_t in year t, target y* in year T.

/// Observations older than this many years before the plan period's start cannot serve as
/// the baseline.
pub const STALE_YEARS: i32 = 5;

/// The data-age rule shared by `assess`, `project`, `targets` and the charts: a value of
/// `year` is stale for `reference` when it is more than [`STALE_YEARS`] older
/// (year < reference − STALE_YEARS). `assess` takes a plan period's first year as the
/// reference (a stale value is no baseline: `insufficient_data`); `project`, `targets` and the
/// charts take the latest year of the data (a jurisdiction whose latest value is stale is not
/// projected: it would rest on its ancestor's path alone).
pub fn is_stale(year: i32, reference: i32) -> bool {
    year < reference - STALE_YEARS
}

/// Required pace in units per year: (y* − y_b) / (T − b).
pub fn required_pace(baseline_year: i32, baseline: f64, target_year: i32, target: f64) -> f64 {
    (target - baseline) / f64::from(target_year - baseline_year)
}

/// Compound annual growth rate between two values: (y₂ / y₁)^(1/(t₂ − t₁)) − 1.
pub fn cagr(y1_year: i32, y1: f64, y2_year: i32, y2: f64) -> f64 {
    (y2 / y1).powf(1.0 / f64::from(y2_year - y1_year)) - 1.0
}

/// Slope on the logit scale between two percentages: (logit y₂ − logit y₁)/(t₂ − t₁).
pub fn logit_slope(y1_year: i32, y1: f64, y2_year: i32, y2: f64) -> f64 {
    let l = |v: f64| crate::trend::logit(v / 100.0);
    (l(y2) - l(y1)) / f64::from(y2_year - y1_year)
}
