//! `litmon targets`: candidate targets a jurisdiction could set, from its projected path.

use crate::assess::{fit_all, is_stale, latest_data_year};
use crate::model::Dataset;
use crate::trend::TrendConfig;

/// One row of `litmon targets`: the value a jurisdiction reaches by `target_year` with
/// probability `probability`, and the yearly pace from its latest value that it implies.
///
/// Its fields, in order, are the columns of the `targets` table.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct TargetRow {
    /// Jurisdiction id.
    pub jurisdiction: String,
    /// Chinese name of the jurisdiction.
    pub name_zh: String,
    /// Indicator id.
    pub indicator: String,
    /// Year of the latest observation.
    pub latest_year: i32,
    /// Latest observed value (percent).
    pub latest: f64,
    /// Year the candidate target is for.
    pub target_year: i32,
    /// Probability P (0–1) of reaching `target` by `target_year`.
    pub probability: f64,
    /// The (1 − P) quantile of the predictive distribution of `target_year`.
    pub target: f64,
    /// (target − latest) / (target_year − latest_year).
    pub required_per_year: f64,
}

/// Candidate targets for the next plans (`litmon targets`).
///
/// For every jurisdiction with a fitted trend and a latest observation before `year` that is
/// not stale ([`is_stale`] against [`latest_data_year`]: like `assess`, which calls such a
/// place `insufficient_data`, no target is proposed from a value that old), and
/// each probability P: target = the (1 − P) quantile of `TrendFit::predictive(year)`, the
/// same predictive distribution whose 10 %, 50 % and 90 % quantiles `project` prints as
/// lo80, median and hi80 — so P = 0.9, 0.5, 0.1 give exactly those columns. The implied
/// pace is (target − y_t)/(year − t) per year from the latest value y_t in year t.
pub fn candidate_targets(
    ds: &Dataset,
    indicator: &str,
    trend: &TrendConfig,
    year: i32,
    probabilities: &[f64],
) -> Vec<TargetRow> {
    // Trend models are for percentages of kind `level` (as in [`assess`]).
    if !ds
        .indicator_spec(indicator)
        .is_some_and(|s| s.is_percent() && s.kind == crate::model::Kind::Level)
    {
        return Vec::new();
    }
    let (series, fits) = fit_all(ds, indicator, trend, trend.model);
    let now = latest_data_year(&series);
    let mut out = Vec::new();
    for (s, fit) in series.iter().zip(&fits) {
        let (Some(fit), Some(last)) = (fit, s.points.last()) else {
            continue;
        };
        if last.year >= year || is_stale(last.year, now) {
            continue;
        }
        // The value the survey of `year` will publish, as `project` prints it.
        let pred = fit.predictive_published(year);
        for &p in probabilities {
            let target = if p == 0.5 {
                // The median exactly as `project` prints it.
                pred.forecast(year).median
            } else {
                pred.quantile_pct(1.0 - p)
            };
            out.push(TargetRow {
                jurisdiction: s.id.clone(),
                name_zh: ds
                    .jurisdiction(&s.id)
                    .map(|j| j.name_zh.clone())
                    .unwrap_or_default(),
                indicator: indicator.to_string(),
                latest_year: last.year,
                latest: last.value,
                target_year: year,
                probability: p,
                target,
                required_per_year: (target - last.value) / f64::from(year - last.year),
            });
        }
    }
    out
}
