//! `litmon project`: every jurisdiction's trend projected to its next milestone.

use std::collections::HashMap;

use crate::assess::{fit_all, is_stale};
use crate::model::Dataset;
use crate::trend::{Forecast, Series, TrendConfig};

/// One row of `litmon project`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionRow {
    /// Jurisdiction id.
    pub jurisdiction: String,
    /// Indicator id.
    pub indicator: String,
    /// Projected year.
    pub year: i32,
    /// Trend model of the fit.
    pub model: String,
    /// Predictive median and 80 % and 95 % intervals for `year` (percent).
    pub forecast: Forecast,
}

/// The first milestone year of `indicator` after `after` that applies to `jurisdiction`:
/// its own plans' milestones, else those of its nearest ancestor with one (the national
/// outline's 2035 milestone applies to a city whose 2025 target is measured).
/// `years` is [`milestone_years`] of the indicator (computed once per run).
pub fn next_milestone_year(
    ds: &Dataset,
    years: &HashMap<&str, Vec<i32>>,
    jurisdiction: &str,
    after: i32,
) -> Option<i32> {
    let of = |id: &str| years.get(id)?.iter().copied().find(|&y| y > after);
    of(jurisdiction).or_else(|| ds.ancestors(jurisdiction).iter().find_map(|a| of(&a.id)))
}

/// Every jurisdiction's milestone years of `indicator`, sorted.
pub fn milestone_years<'a>(ds: &'a Dataset, indicator: &str) -> HashMap<&'a str, Vec<i32>> {
    let mut out: HashMap<&str, Vec<i32>> = HashMap::new();
    for (p, _, m) in ds.milestones_of(indicator) {
        out.entry(p.plan.jurisdiction.as_str())
            .or_default()
            .push(m.year);
    }
    for v in out.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    out
}

/// The latest year of any series (the reference of [`is_stale`] for `project`, `targets`).
pub fn latest_data_year(series: &[Series]) -> i32 {
    series
        .iter()
        .filter_map(|s| s.points.iter().map(|p| p.year).max())
        .max()
        .unwrap_or(i32::MIN)
}

/// Projects every jurisdiction with at least one observation of `indicator` whose latest
/// value is not stale ([`is_stale`] against [`latest_data_year`]), for each
/// year after its latest observation up to `to` (default: its next milestone year after
/// the latest observation, see [`next_milestone_year`], else one year ahead). A measured
/// target year is never projected: rows start after the latest observation.
pub fn project(
    ds: &Dataset,
    indicator: &str,
    trend: &TrendConfig,
    to: Option<i32>,
) -> Vec<ProjectionRow> {
    let (series, fits) = fit_all(ds, indicator, trend, trend.model);
    let years = milestone_years(ds, indicator);
    let now = latest_data_year(&series);
    let mut out = Vec::new();
    for (s, fit) in series.iter().zip(&fits) {
        let Some(fit) = fit else { continue };
        let Some(last) = s.points.last() else {
            continue;
        };
        if is_stale(last.year, now) {
            continue;
        }
        let end = to
            .or_else(|| next_milestone_year(ds, &years, &s.id, last.year))
            .unwrap_or(last.year + 1);
        for year in (last.year + 1)..=end {
            out.push(ProjectionRow {
                jurisdiction: s.id.clone(),
                indicator: indicator.to_string(),
                year,
                model: fit.model.to_string(),
                forecast: fit.predictive_published(year).forecast(year),
            });
        }
    }
    out
}
