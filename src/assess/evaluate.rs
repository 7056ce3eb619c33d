//! The assessment run: every milestone of every plan with a target for the indicator, by a
//! trend model (percentages) or pace arithmetic (counts), and the headline row per place.

use super::judge::{
    fill_paces, fill_projection, final_evaluation, judged_points, missing_baseline_reason,
    projected_status, unassessed_row,
};
use std::collections::HashMap;

use crate::assess::{
    fit_all, milestone_period, plan_as_of, sampling_error, AssessConfig, AssessRow,
    OfficialCategory, RowDetail, SeriesData, Status,
};
use crate::model::{Dataset, Milestone, Observation, Plan, PlanIndicator};
use crate::trend::{Series, TrendFit, TrendPoint};

/// Assesses every jurisdiction that has a plan target for `cfg.indicator`: one row per
/// milestone ([`PlanIndicator::targets`]), in plan order and then year order.
pub fn assess(ds: &Dataset, cfg: &AssessConfig) -> Vec<AssessRow> {
    let (series, mut fits) = fit_all(ds, &cfg.indicator, &cfg.trend, cfg.trend.model);
    // Trend models are for percentages of kind `level`; counts get pace arithmetic only.
    let trend_ok = ds
        .indicator_spec(&cfg.indicator)
        .is_some_and(|s| s.is_percent() && s.kind == crate::model::Kind::Level);
    if !trend_ok {
        fits.iter_mut().for_each(|f| *f = None);
    }
    let by_id: HashMap<&str, (&Series, Option<&TrendFit>)> = series
        .iter()
        .zip(&fits)
        .map(|(s, f)| (s.id.as_str(), (s, f.as_ref())))
        .collect();
    // Each jurisdiction's observations of the indicator, for the sources of their errors.
    let mut observed: HashMap<&str, Vec<&Observation>> = HashMap::new();
    for o in ds
        .observations
        .iter()
        .filter(|o| o.indicator == cfg.indicator)
    {
        observed.entry(o.jurisdiction.as_str()).or_default().push(o);
    }
    ds.milestones_of(&cfg.indicator)
        .into_iter()
        .map(|(plan, ind, m)| {
            let jid = plan.plan.jurisdiction.as_str();
            let (points, fit) = match by_id.get(jid) {
                Some((s, f)) => (s.points.as_slice(), *f),
                None => (&[][..], None),
            };
            if trend_ok {
                let data = SeriesData {
                    points,
                    observations: observed.get(jid).map_or(&[][..], Vec::as_slice),
                };
                assess_one(ds, cfg, plan, ind, m, data, fit)
            } else {
                let as_of = plan_as_of(ds, plan, cfg.as_of).unwrap_or(plan.period_of(ind)[0]);
                assess_pace(ds, cfg, plan, ind, m, points, as_of)
            }
        })
        .collect()
}

/// The rows charts and reports show for each (jurisdiction, indicator): the next open
/// milestone — the first whose target year has not been measured — else the last one.
/// `rows` must be in [`assess`] order (milestones of a plan in year order).
pub fn headline_rows(rows: &[AssessRow]) -> Vec<AssessRow> {
    let mut out: Vec<AssessRow> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let same = |o: &AssessRow| o.jurisdiction == r.jurisdiction && o.indicator == r.indicator;
        if out.iter().any(same) {
            continue;
        }
        let group: Vec<&AssessRow> = rows[i..].iter().filter(|o| same(o)).collect();
        let pick = group
            .iter()
            .find(|o| !o.detail.measured)
            .or(group.last())
            .copied()
            .unwrap_or(r);
        out.push(pick.clone());
    }
    out
}

/// A row for a countable sub-indicator: pace arithmetic ([`crate::assess::pace`]) instead of a
/// trend model; `model` is `pace`, and the probability columns stay empty.
pub fn assess_pace(
    ds: &Dataset,
    cfg: &AssessConfig,
    plan: &Plan,
    ind: &PlanIndicator,
    m: Milestone,
    points: &[TrendPoint],
    as_of: i32,
) -> AssessRow {
    use crate::assess::pace::{pace, PaceTarget};
    let jid = plan.plan.jurisdiction.clone();
    let period = milestone_period(plan, ind, &m);
    let values: Vec<(i32, f64)> = points.iter().map(|p| (p.year, p.value)).collect();
    let p = pace(&PaceTarget::of(ind, period, m.value), &values, as_of);
    let latest = points.iter().rev().find(|p| p.year <= as_of);
    let status = Status::from(p.status);
    let reason = crate::assess::wording::pace_reason(&p, ind, period, cfg.lang);
    AssessRow {
        jurisdiction: jid.clone(),
        name_zh: ds
            .jurisdiction(&jid)
            .map(|j| j.name_zh.clone())
            .unwrap_or_default(),
        indicator: ind.id.clone(),
        baseline_year: ind.baseline.map(|b| b.year),
        baseline: ind.baseline.map(|b| b.value),
        latest_year: latest.map(|p| p.year),
        latest: latest.map(|p| p.value),
        target_year: m.year,
        target: m.value,
        required_per_year: p.required_per_year,
        observed_per_year: None,
        cagr_ratio: None,
        progress_share: p.share_done,
        unsd_rho: None,
        official_category: None,
        projected: p.projected_end,
        lo80: None,
        hi80: None,
        p_reach: None,
        p_reach_measured: None,
        status,
        model: "pace".into(),
        n_obs: points.len(),
        reason,
        detail: RowDetail {
            plan_title_zh: plan.plan.title_zh.clone(),
            period,
            qualifier: m.qualifier,
            as_of: Some(as_of),
            measured: p.share_elapsed >= 1.0,
            lang: cfg.lang,
            ..RowDetail::default()
        },
    }
}

/// Assesses one milestone of a plan indicator given its series and fitted trend.
///
/// The verdict rule (the report legend and methods state it in the same words):
/// * the milestone's year has been observed (at or before the row's as-of): the final
///   evaluation — the measurement alone decides `achieved`/`not_achieved` by
///   [`Qualifier::meets`](crate::model::Qualifier::meets) (status and official category alike), `p_reach` =
///   P(true value meets the target | measurement) = Φ(±(y − y*)/se) from
///   [`measurement_distribution`](crate::assess::measurement_distribution), `p_reach_measured` = 1 or 0 (the measured value met it or
///   not). One measured value suffices: no baseline is needed (it only feeds the pace columns);
/// * otherwise the projection: `achieved` early only when the latest value meets the target
///   beyond its sampling error (one-sided, [`StatusRule::achieved_level`](crate::assess::StatusRule::achieved_level)); else `regressing`
///   when the trend's slope is credibly adverse; else the status rule on `p_reach`.
///
/// The standard error of a value is the stated one, else from its 95 % interval or sample
/// size ([`Observation::survey_se`]), else the binomial error of the typical sample of its
/// level in the national survey ([`default_sample_size`](crate::trend::local::default_sample_size)); `detail.sampling` records which.
pub fn assess_one(
    ds: &Dataset,
    cfg: &AssessConfig,
    plan: &Plan,
    ind: &PlanIndicator,
    m: Milestone,
    series: SeriesData<'_>,
    fit: Option<&TrendFit>,
) -> AssessRow {
    let (measurement, points) = judged_points(series.points, m.year);
    let mut row = unassessed_row(ds, cfg, plan, ind, &m, points, fit);
    let baseline = row.baseline_year.zip(row.baseline);
    let latest = points.last().copied();
    if let (Some(b), Some(l)) = (baseline, latest) {
        fill_paces(&mut row, ind, b, l);
    }
    match (measurement, baseline, latest) {
        (Some(meas), _, _) => {
            let sampling = sampling_error(ds, &row.jurisdiction, series.observations, meas);
            final_evaluation(&mut row, ind, &m, meas, sampling);
        }
        (None, Some(_), Some(latest)) => {
            let sampling = sampling_error(ds, &row.jurisdiction, series.observations, latest);
            fill_projection(&mut row, ind, fit, sampling.0);
            row.status = projected_status(&row, cfg, ind, &m, fit, latest.value, sampling.0);
            row.detail.sampling = Some(sampling);
        }
        _ => {
            row.reason = missing_baseline_reason(ds, cfg, &row, ind, points);
            return row;
        }
    }
    // The official category agrees with the status on a measured row and on "achieved".
    row.official_category = match row.status {
        Status::Achieved => Some(OfficialCategory::Achieved),
        Status::NotAchieved => Some(OfficialCategory::NotAchieved),
        _ => row.cagr_ratio.and_then(OfficialCategory::from_ratio),
    };
    row.reason = crate::assess::wording::assess_reason(ds, &row, fit, cfg.lang);
    row
}
