//! Judging one milestone: the measurement's survey distribution and sampling error, the
//! baseline, the paces, the final evaluation of a measured target year, and the projection's
//! status.

use crate::assess::{
    cagr, is_stale, logit_slope, milestone_period, required_pace, AssessConfig, AssessRow,
    RowDetail, Status, STALE_YEARS,
};
use crate::model::{
    binomial_se_pct, Dataset, Direction, Milestone, Observation, Plan, PlanIndicator, Qualifier,
    SeSource,
};
use crate::trend::local::default_sample_size;
use crate::trend::{Forecast, Predictive, TrendFit, TrendPoint};

/// The survey distribution of a measured value: Normal(y, se²) on the percent scale.
///
/// This is the scale of the status rule's sampling-error margin (y ± z·se in percent) and of
/// the survey interval officials quote (value ± 1.28·se for 80 %), so a final evaluation's
/// `p_reach` = P(true value meets the target | survey error) = Φ((y − y*)/se) is the number
/// a statistician checks by hand: 乌海 12.3 (se 0.6) against 12 gives Φ(0.5) = 0.69, and
/// 11.6 gives Φ(−0.667) = 0.25. (The logit-scale delta method gives 0.695 and 0.250, the
/// same to two decimals; the percent scale is kept so that `p_reach` = Φ(z) with the z the
/// reason quotes.) `lo80`/`hi80` are its 10 % and 90 % quantiles, clipped to 0–100.
pub fn measurement_distribution(value: f64, se: f64) -> Predictive {
    Predictive {
        scale: crate::trend::Scale::Percent,
        mu: value,
        sd: se,
        df: None,
    }
}

/// The survey standard error (percentage points) of one point of a jurisdiction's series,
/// with its source: the observation's of that year among `observations` (the jurisdiction's,
/// [`Observation::survey_se`]: stated, from its 95 % interval, or from its sample size), else
/// the binomial error 100·√(p(1 − p)·deff/n) of the typical sample n of the jurisdiction's
/// level ([`default_sample_size`], deff = [`crate::model::DEFAULT_DEFF`]; a plan-stated
/// baseline has no observation and takes it too).
pub fn sampling_error(
    ds: &Dataset,
    jurisdiction: &str,
    observations: &[&Observation],
    point: TrendPoint,
) -> (f64, SeSource) {
    let stated = observations
        .iter()
        .find(|o| o.year == point.year)
        .and_then(|o| o.survey_se());
    if let Some(s) = stated {
        return s;
    }
    let level = ds
        .jurisdiction(jurisdiction)
        .map(|j| j.level)
        .unwrap_or(crate::model::Level::County);
    let n = default_sample_size(level, point.year);
    (
        binomial_se_pct(point.value, n, crate::model::DEFAULT_DEFF),
        SeSource::LevelDefault { level, n },
    )
}

/// The target-year measurement, if the series has one, and the points the milestone is judged
/// on: a final evaluation judges the target-year measurement, so later points do not enter it.
pub(super) fn judged_points(
    points: &[TrendPoint],
    target_year: i32,
) -> (Option<TrendPoint>, &[TrendPoint]) {
    let measurement = points.iter().find(|p| p.year == target_year).copied();
    let points: &[TrendPoint] = match measurement {
        Some(_) => {
            let k = points.partition_point(|p| p.year <= target_year);
            &points[..k]
        }
        None => points,
    };
    (measurement, points)
}

/// Baseline (year, value): the plan's; else the latest observation in or before the first
/// year (not stale); else the first observation since.
pub(super) fn baseline_of(
    ind: &PlanIndicator,
    points: &[TrendPoint],
    start: i32,
    target_year: i32,
) -> Option<(i32, f64)> {
    ind.baseline
        .map(|b| (b.year, b.value))
        .or_else(|| {
            points
                .iter()
                .rev()
                .find(|p| p.year <= start && !is_stale(p.year, start))
                .map(|p| (p.year, p.value))
        })
        .or_else(|| {
            points
                .iter()
                .find(|p| p.year > start && p.year < target_year)
                .map(|p| (p.year, p.value))
        })
}

/// The row before any assessment: identity, baseline, latest value, target and details;
/// status `insufficient_data` and every computed column empty.
pub(super) fn unassessed_row(
    ds: &Dataset,
    cfg: &AssessConfig,
    plan: &Plan,
    ind: &PlanIndicator,
    m: &Milestone,
    points: &[TrendPoint],
    fit: Option<&TrendFit>,
) -> AssessRow {
    let jid = plan.plan.jurisdiction.clone();
    let name_zh = ds
        .jurisdiction(&jid)
        .map(|j| j.name_zh.clone())
        .unwrap_or_default();
    let period = milestone_period(plan, ind, m);
    let baseline = baseline_of(ind, points, period[0], m.year);
    let latest = points.last().copied();
    let as_of = cfg.as_of.or_else(|| points.last().map(|p| p.year));
    AssessRow {
        jurisdiction: jid,
        name_zh,
        indicator: ind.id.clone(),
        baseline_year: baseline.map(|b| b.0),
        baseline: baseline.map(|b| b.1),
        latest_year: latest.map(|p| p.year),
        latest: latest.map(|p| p.value),
        target_year: m.year,
        target: m.value,
        required_per_year: None,
        observed_per_year: None,
        cagr_ratio: None,
        progress_share: None,
        unsd_rho: None,
        official_category: None,
        projected: None,
        lo80: None,
        hi80: None,
        p_reach: None,
        p_reach_measured: None,
        status: Status::InsufficientData,
        model: String::new(),
        n_obs: points.len(),
        reason: String::new(),
        detail: RowDetail {
            plan_title_zh: plan.plan.title_zh.clone(),
            period,
            fit: fit.cloned(),
            qualifier: m.qualifier,
            as_of,
            lang: cfg.lang,
            ..RowDetail::default()
        },
    }
}

/// The reason of a row without a baseline: names the latest observation and the earliest
/// year a baseline may come from.
pub(super) fn missing_baseline_reason(
    ds: &Dataset,
    cfg: &AssessConfig,
    row: &AssessRow,
    ind: &PlanIndicator,
    points: &[TrendPoint],
) -> String {
    let name = ds
        .jurisdiction(&row.jurisdiction)
        .map(|j| j.name(cfg.lang).to_string())
        .unwrap_or_else(|| row.jurisdiction.clone());
    crate::assess::wording::missing_baseline(
        &name,
        ind,
        points.last().map(|p| p.year),
        row.detail.period[0] - STALE_YEARS,
        cfg.lang,
    )
}

/// Required and observed pace: the required pace, CAGR and logit slope from baseline to
/// target; the observed pace and CAGR from baseline to the latest value, their CAGR ratio, the
/// UNSD ρ and the share of the gap closed.
pub(super) fn fill_paces(
    row: &mut AssessRow,
    ind: &PlanIndicator,
    (b, yb): (i32, f64),
    latest: TrendPoint,
) {
    let (target_year, target) = (row.target_year, row.target);
    let req = required_pace(b, yb, target_year, target);
    row.required_per_year = Some(req);
    let req_cagr = (yb > 0.0 && target > 0.0).then(|| cagr(b, yb, target_year, target));
    row.detail.required_cagr = req_cagr;
    if ind.unit == "pct" && yb > 0.0 && yb < 100.0 && target > 0.0 && target < 100.0 {
        row.detail.required_logit_slope = Some(logit_slope(b, yb, target_year, target));
    }
    let gap = target - yb;
    let t = latest.year;
    let yt = latest.value;
    if t > b {
        row.observed_per_year = Some((yt - yb) / f64::from(t - b));
        if yb > 0.0 && yt > 0.0 {
            let c_obs = cagr(b, yb, t, yt);
            row.detail.observed_cagr = Some(c_obs);
            if let Some(c_req) = req_cagr.filter(|c| *c != 0.0) {
                row.cagr_ratio = Some(c_obs / c_req);
            }
            if gap != 0.0 {
                let y_te = yt * (1.0 + c_obs).powi(target_year - t);
                row.unsd_rho = Some((y_te - yb) / gap);
            }
        }
    }
    if gap != 0.0 {
        row.progress_share = Some((yt - yb) / gap);
    }
}

/// A probability of reaching the target in the indicator's direction: P(value ≥ target) for
/// an increase, 1 − P for a decrease.
pub(super) fn oriented(ind: &PlanIndicator, p: f64) -> f64 {
    if ind.direction == Direction::Decrease {
        1.0 - p
    } else {
        p
    }
}

/// Final evaluation of a measured target year: no projection; the measurement decides
/// `achieved`/`not_achieved`, the survey distribution N(y, se²) gives the 80 % interval and
/// `p_reach` = P(true value meets the target | measurement), and `p_reach_measured` is 1 when
/// the measured value met the target, else 0.
pub(super) fn final_evaluation(
    row: &mut AssessRow,
    ind: &PlanIndicator,
    m: &Milestone,
    meas: TrendPoint,
    (se, source): (f64, SeSource),
) {
    let (target_year, target) = (m.year, m.value);
    let sign = ind.direction.sign();
    row.detail.measured = true;
    row.model = "measured".into();
    row.projected = Some(meas.value);
    let met = Qualifier::meets(m.qualifier, meas.value, target, sign);
    row.status = if met {
        Status::Achieved
    } else {
        Status::NotAchieved
    };
    row.p_reach_measured = Some(if met { 1.0 } else { 0.0 });
    row.detail.sampling = Some((se, source));
    if se > 0.0 && se.is_finite() {
        let dist = measurement_distribution(meas.value, se);
        let f = dist.forecast(target_year);
        row.lo80 = Some(f.lo80);
        row.hi80 = Some(f.hi80);
        row.p_reach = Some(oriented(ind, dist.prob_at_least(target)));
        row.detail.z_measured = Some(sign * (meas.value - target) / se);
    }
}

/// Projection and probability from the trend fit: the target-year median and 80 % interval
/// (of the value the survey will publish, [`TrendFit::predictive_published`]),
/// `p_reach`, `p_reach_measured` (the target-year survey variance added, taken as the latest
/// value's, `latest_se` in percentage points) and the model's yearly pace; `model` is `none`
/// without a fit.
pub(super) fn fill_projection(
    row: &mut AssessRow,
    ind: &PlanIndicator,
    fit: Option<&TrendFit>,
    latest_se: f64,
) {
    let (target_year, target) = (row.target_year, row.target);
    let Some(fit) = fit else {
        row.model = "none".into();
        return;
    };
    let pred = fit.predictive(target_year);
    // The interval is for the value the target year's survey will publish, as `project`
    // prints it; the probabilities below are the level's.
    let f: Forecast = fit.predictive_published(target_year).forecast(target_year);
    row.projected = Some(f.median);
    row.lo80 = Some(f.lo80);
    row.hi80 = Some(f.hi80);
    let p = oriented(ind, pred.prob_at_least(target));
    let pm = if latest_se > 0.0 && latest_se.is_finite() {
        oriented(
            ind,
            pred.widened(
                pred.scale
                    .delta_var(row.latest.unwrap_or(f.median), latest_se),
            )
            .prob_at_least(target),
        )
    } else {
        p
    };
    row.p_reach = Some(p);
    row.p_reach_measured = Some(pm);
    row.model = fit.model.to_string();
    let t = row.latest_year.unwrap_or(target_year);
    let here = pred.scale.to_pct(fit.predictive(t).mu);
    let next = pred.scale.to_pct(fit.predictive(t + 1).mu);
    row.detail.model_pace_pp = Some(next - here);
}

/// The status of a row not yet measured: achieved only when the latest value meets the target
/// beyond its sampling error (one-sided at `achieved_level`: y_t ∓ z·se meets y*); else
/// regressing when the trend's slope is credibly in the wrong direction; else the status rule
/// on `p_reach`.
pub(super) fn projected_status(
    row: &AssessRow,
    cfg: &AssessConfig,
    ind: &PlanIndicator,
    m: &Milestone,
    fit: Option<&TrendFit>,
    latest: f64,
    latest_se: f64,
) -> Status {
    let sign = ind.direction.sign();
    let z_ach = crate::trend::dist::std_quantile(cfg.rule.achieved_level, None);
    let margin = latest_se * z_ach;
    let achieved = Qualifier::meets(m.qualifier, latest - sign * margin, m.value, sign);
    let regressing = fit.is_some_and(|f| {
        f.own_slope.is_some()
            && if sign > 0.0 {
                f.slope_upper(cfg.rule.regress_level) < 0.0
            } else {
                f.slope_lower(cfg.rule.regress_level) > 0.0
            }
    });
    if achieved {
        Status::Achieved
    } else if regressing {
        Status::Regressing
    } else if let Some(p) = row.p_reach {
        cfg.rule.from_probability(p)
    } else {
        Status::InsufficientData
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The survey distribution of a measurement: 12.3 (se 0.6) against 12 gives
    /// P = Φ(0.5) = 0.691462461274013 (R: pnorm(0.5)) and the 80 % interval
    /// 12.3 ∓ qnorm(0.9)·0.6 = 12.3 ∓ 0.768930939.
    #[test]
    fn measurement_distribution_by_hand() {
        let d = measurement_distribution(12.3, 0.6);
        assert!((d.prob_at_least(12.0) - 0.691_462_461_274_013).abs() < 1e-12);
        assert!((d.prob_at_least(12.7) - (1.0 - 0.747_507_462_453_077)).abs() < 1e-12);
        let f = d.forecast(2025);
        assert!((f.lo80 - (12.3 - 1.281_551_565_544_600_4 * 0.6)).abs() < 1e-12);
        assert!((f.hi80 - (12.3 + 1.281_551_565_544_600_4 * 0.6)).abs() < 1e-12);
        assert!((f.median - 12.3).abs() < 1e-12);
    }

    #[test]
    fn qualifiers_compare_strictly_only_for_above() {
        use crate::model::Qualifier;
        assert!(!Qualifier::meets(Some(Qualifier::Above), 15.0, 15.0, 1.0));
        assert!(Qualifier::meets(Some(Qualifier::Above), 15.01, 15.0, 1.0));
        assert!(Qualifier::meets(Some(Qualifier::AtLeast), 15.0, 15.0, 1.0));
        assert!(Qualifier::meets(None, 15.0, 15.0, 1.0));
        assert!(Qualifier::meets(Some(Qualifier::Strive), 15.0, 15.0, 1.0));
        // A decreasing indicator: 4.9 is below ("beyond") a target of 5.
        assert!(Qualifier::meets(Some(Qualifier::Above), 4.9, 5.0, -1.0));
        assert!(!Qualifier::meets(Some(Qualifier::Above), 5.0, 5.0, -1.0));
    }
}
