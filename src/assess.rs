//! Assessment of each jurisdiction's progress toward its plan target: required and
//! observed pace, the official deterministic categories, projection, probability of
//! reaching the target and a status with a one-sentence reason.
//!
//! Notation: baseline y_b in year b, latest y_t in year t, target y* in year T.

use std::collections::HashMap;

use crate::model::{Dataset, Direction, Lang, Plan, PlanIndicator, LITERACY_RATE};
use crate::trend::{
    fit_panel, Forecast, ModelKind, PriorSource, Series, TrendConfig, TrendFit, TrendPoint,
};

/// Observations older than this many years before the plan period's start cannot serve as
/// the baseline.
pub const STALE_YEARS: i32 = 5;

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

/// Official deterministic category by the CAGR ratio R = CAGR_obs / CAGR_req (Eurostat
/// SDG monitoring / Open SDG): R ≥ 0.95 on track, 0.60 ≤ R < 0.95 acceleration needed,
/// 0 ≤ R < 0.60 limited progress, R < 0 deterioration; `achieved` when the target is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficialCategory {
    Achieved,
    OnTrack,
    AccelerationNeeded,
    LimitedProgress,
    Deterioration,
}

impl OfficialCategory {
    pub fn from_ratio(ratio: f64) -> Option<Self> {
        if !ratio.is_finite() {
            return None;
        }
        Some(if ratio >= 0.95 {
            OfficialCategory::OnTrack
        } else if ratio >= 0.60 {
            OfficialCategory::AccelerationNeeded
        } else if ratio >= 0.0 {
            OfficialCategory::LimitedProgress
        } else {
            OfficialCategory::Deterioration
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OfficialCategory::Achieved => "achieved",
            OfficialCategory::OnTrack => "on_track",
            OfficialCategory::AccelerationNeeded => "acceleration_needed",
            OfficialCategory::LimitedProgress => "limited_progress",
            OfficialCategory::Deterioration => "deterioration",
        }
    }
}

/// Probabilistic status of a jurisdiction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Achieved,
    OnTrack,
    AtRisk,
    OffTrack,
    Regressing,
    InsufficientData,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Achieved,
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::Regressing,
        Status::InsufficientData,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::Regressing => "regressing",
            Status::InsufficientData => "insufficient_data",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Achieved => "已达标",
            Status::OnTrack => "进度正常",
            Status::AtRisk => "存在风险",
            Status::OffTrack => "明显滞后",
            Status::Regressing => "倒退",
            Status::InsufficientData => "数据不足",
        }
    }
}

/// The configurable status rule (DESIGN): achieved if the latest value meets the target
/// beyond its sampling error (one-sided, `achieved_level`); regressing if the slope is
/// significantly adverse (one-sided, `regress_level`); else on track if P ≥ `on_track_p`,
/// at risk if `off_track_p` ≤ P < `on_track_p`, off track if P < `off_track_p`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StatusRule {
    pub on_track_p: f64,
    pub off_track_p: f64,
    pub achieved_level: f64,
    pub regress_level: f64,
}

impl Default for StatusRule {
    fn default() -> Self {
        StatusRule {
            on_track_p: 0.8,
            off_track_p: 0.2,
            achieved_level: 0.95,
            regress_level: 0.95,
        }
    }
}

impl StatusRule {
    /// Status from P(reach) alone.
    pub fn from_probability(&self, p: f64) -> Status {
        if p >= self.on_track_p {
            Status::OnTrack
        } else if p >= self.off_track_p {
            Status::AtRisk
        } else {
            Status::OffTrack
        }
    }
}

/// Settings of an assessment run.
#[derive(Debug, Clone, Default)]
pub struct AssessConfig {
    pub indicator: String,
    /// Ignore observations after this year (the caller filters the dataset; this sets the
    /// "now" of the assessment).
    pub as_of: Option<i32>,
    pub trend: TrendConfig,
    pub rule: StatusRule,
    pub lang: Lang,
}

impl AssessConfig {
    pub fn new(indicator: &str) -> Self {
        AssessConfig {
            indicator: indicator.to_string(),
            ..AssessConfig::default()
        }
    }
}

/// One row of `litmon assess` (field order = CSV column order).
#[derive(Debug, Clone, PartialEq)]
pub struct AssessRow {
    pub jurisdiction: String,
    pub name_zh: String,
    pub indicator: String,
    pub baseline_year: Option<i32>,
    pub baseline: Option<f64>,
    pub latest_year: Option<i32>,
    pub latest: Option<f64>,
    pub target_year: i32,
    pub target: f64,
    pub required_per_year: Option<f64>,
    pub observed_per_year: Option<f64>,
    pub cagr_ratio: Option<f64>,
    pub progress_share: Option<f64>,
    pub unsd_rho: Option<f64>,
    pub official_category: Option<OfficialCategory>,
    pub projected: Option<f64>,
    pub lo80: Option<f64>,
    pub hi80: Option<f64>,
    pub p_reach: Option<f64>,
    pub p_reach_measured: Option<f64>,
    pub status: Status,
    pub model: String,
    pub n_obs: usize,
    pub reason: String,
    /// Not in the CSV: details for charts and reports.
    pub detail: RowDetail,
}

/// Extra values behind a row, for charts and narratives.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowDetail {
    pub plan_title_zh: String,
    pub period: [i32; 2],
    pub required_cagr: Option<f64>,
    pub observed_cagr: Option<f64>,
    pub required_logit_slope: Option<f64>,
    pub fit: Option<TrendFit>,
    /// Yearly pace in pp/yr from the fitted model at the latest year.
    pub model_pace_pp: Option<f64>,
}

/// The points of one jurisdiction's series: observations plus a plan-stated baseline in a
/// year without an observation.
pub fn series_points(ds: &Dataset, jurisdiction: &str, indicator: &str) -> Vec<TrendPoint> {
    all_series_points(ds, indicator)
        .remove(jurisdiction)
        .unwrap_or_default()
}

/// Every jurisdiction's series of `indicator` in one pass over the observations and plans
/// (observations, plus plan-stated baselines in years without an observation), sorted by year.
pub fn all_series_points(ds: &Dataset, indicator: &str) -> HashMap<String, Vec<TrendPoint>> {
    let mut map: HashMap<String, Vec<TrendPoint>> = HashMap::new();
    for o in ds.observations.iter().filter(|o| o.indicator == indicator) {
        map.entry(o.jurisdiction.clone())
            .or_default()
            .push(TrendPoint {
                year: o.year,
                value: o.value,
                se: o.se,
            });
    }
    for plan in &ds.plans {
        let Some(b) = plan.indicator(indicator).and_then(|i| i.baseline) else {
            continue;
        };
        let pts = map.entry(plan.plan.jurisdiction.clone()).or_default();
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
            points.remove(&j.id).map(|pts| Series {
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

/// Assesses every jurisdiction that has a plan target for `cfg.indicator`.
pub fn assess(ds: &Dataset, cfg: &AssessConfig) -> Vec<AssessRow> {
    let (series, mut fits) = fit_all(ds, &cfg.indicator, &cfg.trend, cfg.trend.model);
    // Trend models are for percentages of kind `level`; counts get pace arithmetic only.
    let trend_ok = ds
        .indicator_spec(&cfg.indicator)
        .is_some_and(|s| s.is_percent() && s.kind == crate::model::Kind::Level);
    if !trend_ok {
        fits.iter_mut().for_each(|f| *f = None);
    }
    let as_of = cfg.as_of.or_else(|| ds.latest_year()).unwrap_or(2025);
    let by_id: HashMap<&str, (&Series, Option<&TrendFit>)> = series
        .iter()
        .zip(&fits)
        .map(|(s, f)| (s.id.as_str(), (s, f.as_ref())))
        .collect();
    ds.targets_of(&cfg.indicator)
        .into_iter()
        .map(|(plan, ind)| {
            let jid = plan.plan.jurisdiction.as_str();
            let (points, fit) = match by_id.get(jid) {
                Some((s, f)) => (s.points.as_slice(), *f),
                None => (&[][..], None),
            };
            if trend_ok {
                assess_one(ds, cfg, plan, ind, points, fit)
            } else {
                assess_pace(ds, cfg, plan, ind, points, as_of)
            }
        })
        .collect()
}

/// A row for a countable sub-indicator: pace arithmetic ([`crate::pace`]) instead of a
/// trend model; `model` is `pace`, and the probability columns stay empty.
pub fn assess_pace(
    ds: &Dataset,
    cfg: &AssessConfig,
    plan: &Plan,
    ind: &PlanIndicator,
    points: &[TrendPoint],
    as_of: i32,
) -> AssessRow {
    use crate::pace::{pace, PaceStatus, PaceTarget};
    let jid = plan.plan.jurisdiction.clone();
    let period = plan.period_of(ind);
    let values: Vec<(i32, f64)> = points.iter().map(|p| (p.year, p.value)).collect();
    let p = pace(
        &PaceTarget {
            kind: ind.kind,
            direction: ind.direction,
            period,
            target: ind.target.value,
            baseline: ind.baseline,
        },
        &values,
        as_of,
    );
    let latest = points.iter().rev().find(|p| p.year <= as_of);
    let status = match p.status {
        PaceStatus::Achieved => Status::Achieved,
        PaceStatus::OnTrack => Status::OnTrack,
        PaceStatus::AtRisk => Status::AtRisk,
        PaceStatus::OffTrack => Status::OffTrack,
        PaceStatus::NoData => Status::InsufficientData,
    };
    let en = cfg.lang == Lang::En;
    let reason = match (p.done, p.share_done) {
        (Some(done), Some(share)) if en => format!(
            "done {done} ({:.0}% of target) with {:.0}% of {}–{} elapsed",
            100.0 * share,
            100.0 * p.share_elapsed,
            period[0],
            period[1]
        ),
        (Some(done), Some(share)) => format!(
            "已完成{done}（目标的{:.0}%），{}–{}年时间已过{:.0}%",
            100.0 * share,
            period[0],
            period[1],
            100.0 * p.share_elapsed
        ),
        _ if en => format!(
            "no progress data for {}; add rows to observations.csv",
            ind.id
        ),
        _ => format!("{}没有进展数据；请在 observations.csv 中补充", ind.id),
    };
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
        target_year: ind.target.year,
        target: ind.target.value,
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
            ..RowDetail::default()
        },
    }
}

fn fmt_pp(v: f64) -> String {
    format!("{v:+.2}")
}

/// Assesses one plan indicator given its series and fitted trend.
pub fn assess_one(
    ds: &Dataset,
    cfg: &AssessConfig,
    plan: &Plan,
    ind: &PlanIndicator,
    points: &[TrendPoint],
    fit: Option<&TrendFit>,
) -> AssessRow {
    let jid = plan.plan.jurisdiction.clone();
    let name_zh = ds
        .jurisdiction(&jid)
        .map(|j| j.name_zh.clone())
        .unwrap_or_default();
    let name = ds
        .jurisdiction(&jid)
        .map(|j| j.name(cfg.lang).to_string())
        .unwrap_or_else(|| jid.clone());
    let period = plan.period_of(ind);
    let start = period[0];
    let (target_year, target) = (ind.target.year, ind.target.value);
    let sign = ind.direction.sign();
    let en = cfg.lang == crate::model::Lang::En;

    let latest = points.last().copied();
    // Baseline: the plan's; else the latest observation in or before the first year (not
    // stale); else the first observation since.
    let baseline = ind
        .baseline
        .map(|b| (b.year, b.value))
        .or_else(|| {
            points
                .iter()
                .rev()
                .find(|p| p.year <= start && p.year >= start - STALE_YEARS)
                .map(|p| (p.year, p.value))
        })
        .or_else(|| {
            points
                .iter()
                .find(|p| p.year > start)
                .map(|p| (p.year, p.value))
        });

    let mut row = AssessRow {
        jurisdiction: jid.clone(),
        name_zh,
        indicator: ind.id.clone(),
        baseline_year: baseline.map(|b| b.0),
        baseline: baseline.map(|b| b.1),
        latest_year: latest.map(|p| p.year),
        latest: latest.map(|p| p.value),
        target_year,
        target,
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
            ..RowDetail::default()
        },
    };

    let Some((b, yb)) = baseline else {
        row.reason = match points.last() {
            Some(p) if en => format!(
                "no survey value since {}; supply a {}+ value",
                p.year,
                start - STALE_YEARS
            ),
            Some(p) => format!(
                "{}年以后没有调查数据；请补充{}年及以后的数值",
                p.year,
                start - STALE_YEARS
            ),
            None if en => format!(
                "no survey value of {} for {name}; supply a {}+ value with --observations",
                ind.id,
                start - STALE_YEARS
            ),
            None => format!(
                "{name}没有“{}”的调查数据；请用 --observations 补充{}年及以后的数值",
                ind.name_zh,
                start - STALE_YEARS
            ),
        };
        return row;
    };
    let Some(latest) = latest else {
        // A baseline stated in a plan is always a point of the series.
        return row;
    };

    // Required and observed pace.
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
    let met = sign * (yt - target) >= 0.0;
    row.official_category = if met {
        Some(OfficialCategory::Achieved)
    } else {
        row.cagr_ratio.and_then(OfficialCategory::from_ratio)
    };

    // Projection and probability.
    let mut p_reach = None;
    if let Some(fit) = fit {
        let pred = fit.predictive(target_year);
        let f: Forecast = pred.forecast(target_year);
        row.projected = Some(f.median);
        row.lo80 = Some(f.lo80);
        row.hi80 = Some(f.hi80);
        let p_up = pred.prob_at_least(target);
        let p = if ind.direction == Direction::Decrease {
            1.0 - p_up
        } else {
            p_up
        };
        // P_measured: add the target-year survey variance, taken as the latest point's.
        let pm = match latest.se.filter(|s| *s > 0.0) {
            Some(se) => {
                let wide = pred.widened(pred.scale.delta_var(latest.value, se));
                let q = wide.prob_at_least(target);
                if ind.direction == Direction::Decrease {
                    1.0 - q
                } else {
                    q
                }
            }
            None => p,
        };
        row.p_reach = Some(p);
        row.p_reach_measured = Some(pm);
        row.model = fit.model.clone();
        p_reach = Some(p);
        let here = pred.scale.to_pct(fit.predictive(t).mu);
        let next = pred.scale.to_pct(fit.predictive(t + 1).mu);
        row.detail.model_pace_pp = Some(next - here);
    } else {
        row.model = "none".into();
    }

    // Status.
    let z_ach = crate::trend::dist::std_quantile(cfg.rule.achieved_level, None);
    let margin = latest.se.unwrap_or(0.0) * z_ach;
    let achieved = sign * (yt - target) - margin >= 0.0;
    let regressing = fit.is_some_and(|f| {
        f.own_slope.is_some()
            && if sign > 0.0 {
                f.slope_upper(cfg.rule.regress_level) < 0.0
            } else {
                f.slope_lower(cfg.rule.regress_level) > 0.0
            }
    });
    row.status = if achieved {
        Status::Achieved
    } else if regressing {
        Status::Regressing
    } else if let Some(p) = p_reach {
        cfg.rule.from_probability(p)
    } else {
        Status::InsufficientData
    };
    row.reason = reason(ds, &row, fit, en);
    row
}

/// Names the origin of a pooled slope in the output language.
pub fn prior_source_text(ds: &Dataset, src: &PriorSource, en: bool) -> String {
    let name = |id: &str| {
        ds.jurisdiction(id)
            .map(|j| j.name(if en { Lang::En } else { Lang::Zh }).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    match (src, en) {
        (PriorSource::Peers { parent, k }, true) => format!("{k} peers under {}", name(parent)),
        (PriorSource::Peers { parent, k }, false) => format!("{}下属{k}个同级地区", name(parent)),
        (PriorSource::Ancestor { id }, true) => format!("parent {}", name(id)),
        (PriorSource::Ancestor { id }, false) => format!("上级{}", name(id)),
        (PriorSource::Other(s), _) => s.clone(),
    }
}

fn reason(ds: &Dataset, row: &AssessRow, fit: Option<&TrendFit>, en: bool) -> String {
    let (Some(b), Some(req)) = (row.baseline_year, row.required_per_year) else {
        return String::new();
    };
    let mut parts = Vec::new();
    if en {
        parts.push(format!(
            "needs {} pp/yr {b}→{}",
            fmt_pp(req),
            row.target_year
        ));
    } else {
        parts.push(format!(
            "{b}→{}年需年均{}个百分点",
            row.target_year,
            fmt_pp(req)
        ));
    }
    if let Some(obs) = row.observed_per_year {
        parts.push(if en {
            format!("observed {} pp/yr", fmt_pp(obs))
        } else {
            format!("实际年均{}个百分点", fmt_pp(obs))
        });
    } else if let Some(pace) = row.detail.model_pace_pp {
        parts.push(if en {
            format!("trend pace {} pp/yr", fmt_pp(pace))
        } else {
            format!("趋势年均{}个百分点", fmt_pp(pace))
        });
    }
    if let Some(f) = fit {
        if let (Some(g), Some(src)) = (f.shrink_weight, &f.prior_source) {
            let from = prior_source_text(ds, src, en);
            parts.push(match (f.own_slope.is_some(), en) {
                (true, true) => format!(
                    "slope {:.0}% own, {:.0}% from {from}",
                    100.0 * g,
                    100.0 * (1.0 - g)
                ),
                (true, false) => format!(
                    "斜率{:.0}%取自本地、{:.0}%借自{from}",
                    100.0 * g,
                    100.0 * (1.0 - g)
                ),
                (false, true) => format!("one survey value: trend from {from}"),
                (false, false) => format!("仅一个调查值：趋势借自{from}"),
            });
        }
    }
    if let (Some(p), Some(lo), Some(hi)) = (row.projected, row.lo80, row.hi80) {
        parts.push(if en {
            format!(
                "projected {p:.2} (80%: {lo:.2}–{hi:.2}) in {}",
                row.target_year
            )
        } else {
            format!("{}年预计{p:.2}（80%区间{lo:.2}–{hi:.2}）", row.target_year)
        });
    }
    if let Some(p) = row.p_reach {
        parts.push(format!("P={p:.2}"));
    }
    if row.status == Status::Achieved {
        parts.insert(
            0,
            if en {
                format!(
                    "latest {:.2} meets the target {:.2}",
                    row.latest.unwrap_or(f64::NAN),
                    row.target
                )
            } else {
                format!(
                    "最新值{:.2}已达到目标{:.2}",
                    row.latest.unwrap_or(f64::NAN),
                    row.target
                )
            },
        );
    } else if row.status == Status::Regressing {
        parts.insert(
            0,
            if en {
                "slope significantly negative".into()
            } else {
                "趋势显著下降".into()
            },
        );
    }
    parts.join(if en { "; " } else { "；" })
}

/// One row of `litmon project`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionRow {
    pub jurisdiction: String,
    pub indicator: String,
    pub year: i32,
    pub model: String,
    pub forecast: Forecast,
}

/// Projects every jurisdiction with at least one observation of `indicator`, for each
/// year after its latest observation up to `to` (default: its target year, else 2025).
pub fn project(
    ds: &Dataset,
    indicator: &str,
    trend: &TrendConfig,
    to: Option<i32>,
) -> Vec<ProjectionRow> {
    let (series, fits) = fit_all(ds, indicator, trend, trend.model);
    let target_year: HashMap<&str, i32> = ds
        .targets_of(indicator)
        .into_iter()
        .map(|(p, i)| (p.plan.jurisdiction.as_str(), i.target.year))
        .collect();
    let mut out = Vec::new();
    for (s, fit) in series.iter().zip(&fits) {
        let Some(fit) = fit else { continue };
        let Some(last) = s.points.last() else {
            continue;
        };
        let end = to
            .or_else(|| target_year.get(s.id.as_str()).copied())
            .unwrap_or(2025);
        for year in (last.year + 1)..=end {
            out.push(ProjectionRow {
                jurisdiction: s.id.clone(),
                indicator: indicator.to_string(),
                year,
                model: fit.model.clone(),
                forecast: fit.predictive(year).forecast(year),
            });
        }
    }
    out
}

/// The default indicator when none is given.
pub fn default_indicator() -> &'static str {
    LITERACY_RATE
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of the core issue: 9.0 % in 2020, 9.8 % in 2022, target 12 % in 2025.
    /// Hand computation:
    /// CAGR_req = (12/9)^(1/5) − 1 = 0.059223841…;
    /// CAGR_obs = (9.8/9)^(1/2) − 1 = 0.043498389…;
    /// R = 0.043498/0.059224 = 0.734474…;
    /// y_T^e = 9.8 · 1.0434984^3 = 11.135287…, ρ = (11.135287 − 9)/(12 − 9) = 0.711762….
    /// (Rounded: 5.92 %, 4.35 %, 0.73, 0.71, as the issue states.)
    #[test]
    fn worked_example_paces_and_official_measures() {
        let req = cagr(2020, 9.0, 2025, 12.0);
        let obs = cagr(2020, 9.0, 2022, 9.8);
        assert!((req - 0.0592238410).abs() < 1e-9, "{req}");
        assert!((obs - 0.0434983895).abs() < 1e-9, "{obs}");
        let ratio = obs / req;
        assert!((ratio - 0.7344743).abs() < 1e-6, "{ratio}");
        assert_eq!(
            OfficialCategory::from_ratio(ratio),
            Some(OfficialCategory::AccelerationNeeded)
        );
        let y_te = 9.8 * (1.0 + obs).powi(3);
        let rho = (y_te - 9.0) / 3.0;
        assert!((rho - 0.7117624).abs() < 1e-6, "{rho}");
        assert!((required_pace(2020, 9.0, 2025, 12.0) - 0.6).abs() < 1e-12);
        // logit slope: (logit .12 − logit .09)/5 = (−1.9924301646902063 + 2.3136349291806306)/5
        let ls = logit_slope(2020, 9.0, 2025, 12.0);
        assert!((ls - 0.06424095289808486).abs() < 1e-12, "{ls}");
    }

    #[test]
    fn official_category_thresholds() {
        use OfficialCategory::*;
        let cat = |r| OfficialCategory::from_ratio(r);
        assert_eq!(cat(0.95), Some(OnTrack));
        assert_eq!(cat(0.9499), Some(AccelerationNeeded));
        assert_eq!(cat(0.60), Some(AccelerationNeeded));
        assert_eq!(cat(0.5999), Some(LimitedProgress));
        assert_eq!(cat(0.0), Some(LimitedProgress));
        assert_eq!(cat(-0.01), Some(Deterioration));
        assert_eq!(cat(f64::NAN), None);
    }

    #[test]
    fn status_rule_bands() {
        let r = StatusRule::default();
        assert_eq!(r.from_probability(0.8), Status::OnTrack);
        assert_eq!(r.from_probability(0.79), Status::AtRisk);
        assert_eq!(r.from_probability(0.2), Status::AtRisk);
        assert_eq!(r.from_probability(0.19), Status::OffTrack);
    }
}
