//! The series an assessment fits: every jurisdiction's points of an indicator (observations
//! plus plan-stated baselines), the panel fit over them, and the parent map of the registry.

use std::collections::HashMap;

use crate::model::Dataset;
use crate::trend::{fit_panel, ModelKind, Series, TrendConfig, TrendFit, TrendPoint};

/// Every jurisdiction's series of `indicator` in one pass over the observations and plans
/// (observations, plus plan-stated baselines in years without an observation), sorted by year.
/// Keys borrow the dataset's ids (no copy per observation).
pub fn all_series_points<'a>(
    ds: &'a Dataset,
    indicator: &str,
) -> HashMap<&'a str, Vec<TrendPoint>> {
    let mut map: HashMap<&str, Vec<TrendPoint>> = HashMap::new();
    for o in ds.observations.iter().filter(|o| o.indicator == indicator) {
        map.entry(o.jurisdiction.as_str())
            .or_default()
            .push(TrendPoint {
                year: o.year,
                value: o.value,
                se: o.survey_se().map(|(se, _)| se),
            });
    }
    for plan in &ds.plans {
        let Some(b) = plan.indicator(indicator).and_then(|i| i.baseline) else {
            continue;
        };
        let pts = map.entry(plan.plan.jurisdiction.as_str()).or_default();
        if !pts.iter().any(|p| p.year == b.year) {
            pts.push(TrendPoint {
                year: b.year,
                value: b.value,
                se: None,
            });
        }
    }
    for pts in map.values_mut() {
        pts.sort_by_key(|p| p.year);
    }
    map
}

/// Every jurisdiction's series of `indicator`, in registry order.
pub fn all_series(ds: &Dataset, indicator: &str) -> Vec<Series> {
    let mut points = all_series_points(ds, indicator);
    ds.jurisdictions()
        .iter()
        .filter_map(|j| {
            points.remove(j.id.as_str()).map(|pts| Series {
                level: Some(j.level),
                id: j.id.clone(),
                points: pts,
            })
        })
        .collect()
}

/// Fits `model` to every jurisdiction with data for `indicator`.
/// Returns the series (registry order) and their fits.
pub fn fit_all(
    ds: &Dataset,
    indicator: &str,
    trend: &TrendConfig,
    model: ModelKind,
) -> (Vec<Series>, Vec<Option<TrendFit>>) {
    let series = all_series(ds, indicator);
    let parents = parent_map(ds);
    let panel = fit_panel(&series, &parents, trend, model);
    (series, panel.fits)
}

/// id → parent id for every jurisdiction with a parent.
pub fn parent_map(ds: &Dataset) -> HashMap<String, String> {
    ds.jurisdictions()
        .iter()
        .filter_map(|j| j.parent.clone().map(|p| (j.id.clone(), p)))
        .collect()
}
