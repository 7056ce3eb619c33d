//! Assessment of each jurisdiction's progress toward its plan target: required and
//! observed pace, the official deterministic categories, projection, probability of
//! reaching the target and a status with a one-sentence reason.
//!
//! Notation: baseline y_b in year b, latest y_t in year t, target y* in year T.

pub mod pace;
pub mod progress;
pub mod style;
pub mod wording;

use std::collections::HashMap;

use crate::model::{
    binomial_se_pct, Dataset, Direction, Lang, Milestone, Observation, Plan, PlanIndicator,
    Qualifier, SeSource, LITERACY_RATE,
};
use crate::trend::local::default_sample_size;
use crate::trend::{
    fit_panel, Forecast, ModelKind, Predictive, PriorSource, Series, TrendConfig, TrendFit,
    TrendPoint,
};

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

/// Official deterministic category by the CAGR ratio R = CAGR_obs / CAGR_req (Eurostat
/// SDG monitoring / Open SDG): R ≥ 0.95 on track, 0.60 ≤ R < 0.95 acceleration needed,
/// 0 ≤ R < 0.60 limited progress, R < 0 deterioration; `achieved` / `not_achieved` on a
/// measured target year (the measurement decides, as the status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficialCategory {
    /// The target year has been measured and the value meets the target (or, before it, the
    /// latest value meets it beyond its sampling error).
    Achieved,
    /// The target year has been measured and the value misses the target.
    NotAchieved,
    /// R ≥ 0.95: the observed CAGR keeps up with the required one.
    OnTrack,
    /// 0.60 ≤ R < 0.95: progress, but too slow to reach the target.
    AccelerationNeeded,
    /// 0 ≤ R < 0.60: little progress relative to what is required.
    LimitedProgress,
    /// R < 0: the indicator moves away from the target.
    Deterioration,
}

impl OfficialCategory {
    /// Category of the CAGR ratio R by the thresholds above; `None` when R is not finite.
    /// Never returns [`OfficialCategory::Achieved`] (that needs the target comparison).
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

    /// Machine name used in CSV/JSON output (`on_track`, `acceleration_needed`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            OfficialCategory::Achieved => "achieved",
            OfficialCategory::NotAchieved => "not_achieved",
            OfficialCategory::OnTrack => "on_track",
            OfficialCategory::AccelerationNeeded => "acceleration_needed",
            OfficialCategory::LimitedProgress => "limited_progress",
            OfficialCategory::Deterioration => "deterioration",
        }
    }
}

/// Probabilistic status of a jurisdiction (the default, before a row is assessed: no data).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Status {
    /// The latest value meets the target beyond its sampling error (or, for a measured target
    /// year, the measurement meets it).
    Achieved,
    /// The target year was measured and the value misses the target.
    NotAchieved,
    /// P(reach) ≥ the rule's `on_track_p`.
    OnTrack,
    /// `off_track_p` ≤ P(reach) < `on_track_p`.
    AtRisk,
    /// P(reach) < the rule's `off_track_p`.
    OffTrack,
    /// The trend slope is significantly adverse (one-sided test at `regress_level`).
    Regressing,
    /// No baseline, no latest value or no fitted trend: no status can be given.
    #[default]
    InsufficientData,
}

crate::model::serialize_as_str!(Status, OfficialCategory);

impl Status {
    /// Every status, in the order of the enum (the order of summaries and legends).
    pub const ALL: [Status; 7] = [
        Status::Achieved,
        Status::NotAchieved,
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::Regressing,
        Status::InsufficientData,
    ];

    /// Machine name used in CSV/JSON output (`on_track`, `insufficient_data`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::NotAchieved => "not_achieved",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::Regressing => "regressing",
            Status::InsufficientData => "insufficient_data",
        }
    }

    /// Chinese label shown in tables, charts and reports (e.g. 进度正常).
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Achieved => "已达标",
            Status::NotAchieved => "未达标",
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
    /// Minimum P(reach) for `on_track` (probability, 0–1; default 0.8).
    pub on_track_p: f64,
    /// P(reach) below this is `off_track` (probability, 0–1; default 0.2).
    pub off_track_p: f64,
    /// One-sided confidence level of the "achieved beyond sampling error" test (default 0.95).
    pub achieved_level: f64,
    /// One-sided confidence level of the "significantly adverse slope" test (default 0.95).
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
    /// Id of the indicator to assess (e.g. `literacy_rate`).
    pub indicator: String,
    /// Ignore observations after this year (the caller filters the dataset; this sets the
    /// "now" of the assessment).
    pub as_of: Option<i32>,
    /// Trend model settings (model kind, recency weighting, variance moderation, shrinkage).
    pub trend: TrendConfig,
    /// Thresholds of the probabilistic status rule.
    pub rule: StatusRule,
    /// Language of the `reason` sentences.
    pub lang: Lang,
}

impl AssessConfig {
    /// Settings for `indicator` with every other setting at its default.
    pub fn new(indicator: &str) -> Self {
        AssessConfig {
            indicator: indicator.to_string(),
            ..AssessConfig::default()
        }
    }
}

/// One row of `litmon assess` (field order = CSV column order).
///
/// Its fields, in order, are the columns of the `assess` table (DESIGN.md's contract); the
/// ones that are not carry `#[serde(skip)]` ([`crate::output::record`]).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct AssessRow {
    /// Jurisdiction id (e.g. `CN`, `CN-11`).
    pub jurisdiction: String,
    /// Chinese name of the jurisdiction.
    pub name_zh: String,
    /// Indicator id.
    pub indicator: String,
    /// Year of the baseline value (plan-stated, else the latest observation in or before the
    /// period's first year and not stale, else the first observation inside the period).
    pub baseline_year: Option<i32>,
    /// Baseline value y_b, in the indicator's unit (percent for rates).
    pub baseline: Option<f64>,
    /// Year of the latest value used (not after the target year when that year is measured).
    pub latest_year: Option<i32>,
    /// Latest value y_t, in the indicator's unit.
    pub latest: Option<f64>,
    /// Milestone year T.
    pub target_year: i32,
    /// Milestone target y*, in the indicator's unit.
    pub target: f64,
    /// Required pace (y* − y_b)/(T − b), in units per year (pp per year for rates).
    pub required_per_year: Option<f64>,
    /// Observed pace (y_t − y_b)/(t − b), in units per year (pp per year for rates).
    pub observed_per_year: Option<f64>,
    /// CAGR ratio R = CAGR_obs / CAGR_req (dimensionless), the basis of `official_category`.
    pub cagr_ratio: Option<f64>,
    /// Share of the baseline-to-target gap already closed: (y_t − y_b)/(y* − y_b) (fraction;
    /// 1 = target reached).
    pub progress_share: Option<f64>,
    /// UNSD progress ratio ρ = (y_te − y_b)/(y* − y_b), where y_te extrapolates the observed
    /// CAGR from the latest value to the target year (fraction).
    pub unsd_rho: Option<f64>,
    /// Official deterministic category by the CAGR ratio (Eurostat / Open SDG).
    pub official_category: Option<OfficialCategory>,
    /// Projected value in the target year: the trend's predictive median, the measurement of a
    /// measured year, or the pace-extrapolated value for `pace` rows (indicator's unit).
    pub projected: Option<f64>,
    /// 10 % quantile of the target-year predictive distribution (percent).
    pub lo80: Option<f64>,
    /// 90 % quantile of the target-year predictive distribution (percent).
    pub hi80: Option<f64>,
    /// Probability (0–1) that the true value reaches the target by the target year.
    pub p_reach: Option<f64>,
    /// As `p_reach`, with the target-year survey sampling error added (the probability that
    /// the *measured* value will meet the target); on a measured row 1 or 0 (the measured
    /// value met the target or not).
    pub p_reach_measured: Option<f64>,
    /// Probabilistic status from the status rule.
    pub status: Status,
    /// Trend model that produced the projection, or `measured`, `pace` or `none`.
    pub model: String,
    /// Number of points in the series (observations plus a plan baseline; only those up to
    /// the target year for a measured one).
    pub n_obs: usize,
    /// One-sentence explanation of the status, in the configured language.
    pub reason: String,
    /// Not in the CSV: details for charts and reports.
    #[serde(skip)]
    pub detail: RowDetail,
}

/// Extra values behind a row, for charts and narratives.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowDetail {
    /// Chinese title of the plan the milestone belongs to.
    pub plan_title_zh: String,
    /// First and last year of the period the milestone is judged over.
    pub period: [i32; 2],
    /// Required CAGR between baseline and target (fraction per year, e.g. 0.05 = 5 %/yr).
    pub required_cagr: Option<f64>,
    /// Observed CAGR between baseline and latest value (fraction per year).
    pub observed_cagr: Option<f64>,
    /// Required slope on the logit scale (per year); only for percentages strictly in 0–100.
    pub required_logit_slope: Option<f64>,
    /// The trend fit behind the projection, if any.
    pub fit: Option<TrendFit>,
    /// Yearly pace in pp/yr from the fitted model at the latest year.
    pub model_pace_pp: Option<f64>,
    /// Wording of the target (超过, 达到, 力争, 左右), which sets the comparison.
    pub qualifier: Option<Qualifier>,
    /// The target year has been measured: a final evaluation (`model` = `measured`).
    pub measured: bool,
    /// The "now" of this row: `--as-of`, else the latest year of the jurisdiction's data.
    pub as_of: Option<i32>,
    /// For a measured row: (measurement − target)/se, signed so that positive means beyond
    /// the target in the desired direction.
    pub z_measured: Option<f64>,
    /// The survey standard error (percentage points) the verdict used for the measured value
    /// (measured rows) or the latest value (the early-achievement test), with its source.
    pub sampling: Option<(f64, SeSource)>,
    /// Language of the row's sentences.
    pub lang: Lang,
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

/// The "now" of a plan: `--as-of` when given, else the latest year of the plan's own data
/// (observations of its jurisdiction for any of its indicators, and its stated baselines),
/// but not before the year preceding its period (data older than the plan say nothing of
/// its time elapsed). Rows of other jurisdictions never move it.
pub fn plan_as_of(ds: &Dataset, plan: &Plan, as_of: Option<i32>) -> Option<i32> {
    let before_start = plan.plan.period[0] - 1;
    as_of.or_else(|| {
        let jid = plan.plan.jurisdiction.as_str();
        ds.observations
            .iter()
            .filter(|o| o.jurisdiction == jid && plan.indicator(&o.indicator).is_some())
            .map(|o| o.year)
            .chain(
                plan.indicators
                    .iter()
                    .filter_map(|i| i.baseline.map(|b| b.year)),
            )
            .max()
            .map(|y| y.max(before_start))
    })
}

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

/// The period a milestone is judged over: the indicator's period, ending at the
/// milestone's year when that differs (e.g. 2021–2035 for the outline's 2035 milestone).
pub fn milestone_period(plan: &Plan, ind: &PlanIndicator, m: &Milestone) -> [i32; 2] {
    let [a, _] = plan.period_of(ind);
    [a.min(m.year), m.year]
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
    use crate::assess::pace::{pace, PaceStatus, PaceTarget};
    let jid = plan.plan.jurisdiction.clone();
    let period = milestone_period(plan, ind, &m);
    let values: Vec<(i32, f64)> = points.iter().map(|p| (p.year, p.value)).collect();
    let p = pace(
        &PaceTarget {
            kind: ind.kind,
            direction: ind.direction,
            period,
            target: m.value,
            baseline: ind.baseline,
        },
        &values,
        as_of,
    );
    let latest = points.iter().rev().find(|p| p.year <= as_of);
    let status = match p.status {
        PaceStatus::Achieved => Status::Achieved,
        PaceStatus::NotAchieved => Status::NotAchieved,
        PaceStatus::OnTrack => Status::OnTrack,
        PaceStatus::AtRisk => Status::AtRisk,
        PaceStatus::OffTrack => Status::OffTrack,
        PaceStatus::Regressing => Status::Regressing,
        PaceStatus::NoData => Status::InsufficientData,
    };
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

/// Assesses one milestone of a plan indicator given its series and fitted trend.
///
/// The verdict rule (the report legend and methods state it in the same words):
/// * the milestone's year has been observed (at or before the row's as-of): the final
///   evaluation — the measurement alone decides `achieved`/`not_achieved` by
///   [`Qualifier::meets`] (status and official category alike), `p_reach` =
///   P(true value meets the target | measurement) = Φ(±(y − y*)/se) from
///   [`measurement_distribution`], `p_reach_measured` = 1 or 0 (the measured value met it or
///   not). One measured value suffices: no baseline is needed (it only feeds the pace columns);
/// * otherwise the projection: `achieved` early only when the latest value meets the target
///   beyond its sampling error (one-sided, [`StatusRule::achieved_level`]); else `regressing`
///   when the trend's slope is credibly adverse; else the status rule on `p_reach`.
///
/// The standard error of a value is the stated one, else from its 95 % interval or sample
/// size ([`Observation::survey_se`]), else the binomial error of the typical sample of its
/// level in the national survey ([`default_sample_size`]); `detail.sampling` records which.
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

/// One jurisdiction's series of the assessed indicator: its points (observations plus a
/// plan-stated baseline) and the observations behind them, which carry the standard errors'
/// sources.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeriesData<'a> {
    /// The points, by year.
    pub points: &'a [TrendPoint],
    /// The jurisdiction's observations of the indicator.
    pub observations: &'a [&'a Observation],
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
    let n = default_sample_size(level);
    (
        binomial_se_pct(point.value, n, crate::model::DEFAULT_DEFF),
        SeSource::LevelDefault { level, n },
    )
}

/// The target-year measurement, if the series has one, and the points the milestone is judged
/// on: a final evaluation judges the target-year measurement, so later points do not enter it.
fn judged_points(points: &[TrendPoint], target_year: i32) -> (Option<TrendPoint>, &[TrendPoint]) {
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
fn baseline_of(
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
fn unassessed_row(
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
fn missing_baseline_reason(
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
fn fill_paces(row: &mut AssessRow, ind: &PlanIndicator, (b, yb): (i32, f64), latest: TrendPoint) {
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
fn oriented(ind: &PlanIndicator, p: f64) -> f64 {
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
fn final_evaluation(
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

/// Projection and probability from the trend fit: the target-year median and 80 % interval,
/// `p_reach`, `p_reach_measured` (the target-year survey variance added, taken as the latest
/// value's, `latest_se` in percentage points) and the model's yearly pace; `model` is `none`
/// without a fit.
fn fill_projection(
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
    let f: Forecast = pred.forecast(target_year);
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
    row.model = fit.model.clone();
    let t = row.latest_year.unwrap_or(target_year);
    let here = pred.scale.to_pct(fit.predictive(t).mu);
    let next = pred.scale.to_pct(fit.predictive(t + 1).mu);
    row.detail.model_pace_pp = Some(next - here);
}

/// The status of a row not yet measured: achieved only when the latest value meets the target
/// beyond its sampling error (one-sided at `achieved_level`: y_t ∓ z·se meets y*); else
/// regressing when the trend's slope is credibly in the wrong direction; else the status rule
/// on `p_reach`.
fn projected_status(
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
                model: fit.model.clone(),
                forecast: fit.predictive(year).forecast(year),
            });
        }
    }
    out
}

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
        let pred = fit.predictive(year);
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
