//! What an assessment is asked and answers: its settings ([`AssessConfig`]), one row per
//! milestone ([`AssessRow`], [`RowDetail`]) and the series a row is judged on ([`SeriesData`]).

use crate::assess::{OfficialCategory, Status, StatusRule};
use crate::model::{Lang, Observation, Qualifier, SeSource};
use crate::trend::{TrendConfig, TrendFit, TrendPoint};

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
