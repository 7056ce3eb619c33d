//! Rolling-origin backtest of the trend models on the observed series.
//!
//! Every series with at least `min_train + 1` observations is cut after each of its own
//! observations that leaves at least `min_train` training points (the origin; 2 for the
//! comparison table, so that every benchmark can forecast); every later observed year is
//! forecast from the panel as it stood at the origin year (all series truncated to years
//! ≤ origin, so pooling sees only the past). Errors are pooled across series.

use std::collections::{BTreeSet, HashMap};

use super::dist::{logit, std_quantile, Forecast, Predictive, P_FLOOR};
use super::models::{ModelKind, TrendConfig};
use super::panel::{fit_panel, Series};

/// Accuracy of one model; its fields, in order, are the columns of the `backtest` table.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct BacktestRow {
    /// Model name (`local_angular`, `logit_wls`, …).
    pub model: String,
    /// Number of (series, origin, horizon) forecasts scored.
    pub n: usize,
    /// Mean absolute error of the median, percentage points.
    pub mae_pp: f64,
    /// Root mean squared error of the median on the logit scale.
    pub rmse_logit: f64,
    /// Share of outcomes inside the central 80 % / 95 % interval.
    pub coverage80: f64,
    /// Share of outcomes inside the central 95 % interval (fraction, 0–1).
    pub coverage95: f64,
    /// Mean Winkler (interval) score of the 80 % interval, pp:
    /// (hi − lo) + (2/α)(lo − y)⁺ + (2/α)(y − hi)⁺ with α = 0.2.
    pub winkler80: f64,
    /// Mean of actual − median, percentage points (> 0: the forecasts were too low).
    pub bias_pp: f64,
}

/// The horizon bands of `backtest --by-horizon`: 1–2, 3–5 and 6 or more years ahead.
pub const HORIZON_BANDS: [(&str, i32, i32); 3] =
    [("1-2", 1, 2), ("3-5", 3, 5), ("6+", 6, i32::MAX)];

/// The band of [`HORIZON_BANDS`] a forecast `year − origin` years ahead falls in.
pub fn horizon_band(origin: i32, year: i32) -> &'static str {
    let h = year - origin;
    HORIZON_BANDS
        .iter()
        .find(|(_, lo, hi)| (*lo..=*hi).contains(&h))
        .map_or(HORIZON_BANDS[0].0, |b| b.0)
}

/// One scored forecast of the backtest.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestForecast {
    /// Model name.
    pub model: &'static str,
    /// Jurisdiction id of the series.
    pub jurisdiction: String,
    /// Origin year: the forecast uses data up to this year only.
    pub origin: i32,
    /// Year forecast (a later observed year of the series).
    pub year: i32,
    /// Observed value in `year`, in percent.
    pub actual: f64,
    /// Median and 80 %/95 % intervals of the forecast, in percent.
    pub forecast: Forecast,
    /// The predictive distribution behind `forecast` (for calibration).
    pub predictive: Predictive,
}

/// Runs the backtest for every model in `models`: one summary row per model.
pub fn backtest(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &TrendConfig,
    models: &[ModelKind],
    since: Option<i32>,
) -> Vec<BacktestRow> {
    let detail = backtest_forecasts(series, parent_of, cfg, models, since, 2);
    summarise(&detail, models)
}

/// One summary row per model over the scored forecasts `detail`.
pub fn summarise(detail: &[BacktestForecast], models: &[ModelKind]) -> Vec<BacktestRow> {
    models
        .iter()
        .map(|m| {
            let mut acc = Acc::default();
            for f in detail.iter().filter(|f| f.model == m.name()) {
                acc.add(f.actual, &f.forecast);
            }
            acc.row(m.name())
        })
        .collect()
}

/// The calibration factor κ of `local_angular`'s variance components
/// ([`crate::trend::local::LocalConfig::noise_scale`]): with κ = 1, every rolling-origin
/// forecast the default model makes from origins ≥ `since` (at least one training point: the
/// forecasts `litmon backtest` scores, plus those of series with a single point at the
/// origin, which borrow their whole slope) gives a standardised error z = (g(y) − μ)/σ on the angular scale; κ = (Q₀.₈(|z|) /
/// t_ν⁻¹(0.9))², with Q₀.₈ the 80 % sample quantile (linear interpolation, R type 7), so that
/// the central 80 % intervals cover 80 % of these forecasts. Exact when no observation has
/// a standard error (then every predictive variance is proportional to κ). `None` without
/// forecasts.
pub fn calibrate_noise_scale(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &TrendConfig,
    since: Option<i32>,
) -> Option<f64> {
    let mut raw = *cfg;
    raw.local.noise_scale = 1.0;
    let detail = backtest_forecasts(
        series,
        parent_of,
        &raw,
        &[ModelKind::LocalAngular],
        since,
        1,
    );
    let mut z: Vec<f64> = detail
        .iter()
        .map(|f| {
            let p = &f.predictive;
            ((p.scale.from_pct(f.actual) - p.mu) / p.sd).abs()
        })
        .filter(|z| z.is_finite())
        .collect();
    if z.is_empty() {
        return None;
    }
    z.sort_by(f64::total_cmp);
    let h = 0.8 * (z.len() - 1) as f64;
    let lo = h.floor() as usize;
    let q80 = z[lo] + (h - lo as f64) * (z[(lo + 1).min(z.len() - 1)] - z[lo]);
    let t90 = std_quantile(0.9, Some(cfg.local.df));
    Some((q80 / t90).powi(2))
}

/// Every scored forecast of the backtest, model by model.
pub fn backtest_forecasts(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &TrendConfig,
    models: &[ModelKind],
    since: Option<i32>,
    min_train: usize,
) -> Vec<BacktestForecast> {
    let min_train = min_train.max(1);
    // Origins: (series index, number of training points).
    let mut origins: Vec<(usize, usize, i32)> = Vec::new();
    let mut years = BTreeSet::new();
    for (i, s) in series.iter().enumerate() {
        if s.points.len() <= min_train {
            continue;
        }
        for k in min_train..s.points.len() {
            let y = s.points[k - 1].year;
            if since.is_some_and(|first| y < first) {
                continue;
            }
            origins.push((i, k, y));
            years.insert(y);
        }
    }
    let mut out = Vec::new();
    for &model in models {
        for &year in &years {
            let truncated: Vec<Series> = series
                .iter()
                .map(|s| Series {
                    id: s.id.clone(),
                    level: s.level,
                    points: s
                        .points
                        .iter()
                        .copied()
                        .filter(|p| p.year <= year)
                        .collect(),
                })
                .collect();
            let panel = fit_panel(&truncated, parent_of, cfg, model);
            for &(i, k, _) in origins.iter().filter(|o| o.2 == year) {
                let Some(fit) = &panel.fits[i] else { continue };
                for p in &series[i].points[k..] {
                    let predictive = fit.predictive(p.year);
                    out.push(BacktestForecast {
                        model: model.name(),
                        jurisdiction: series[i].id.clone(),
                        origin: year,
                        year: p.year,
                        actual: p.value,
                        forecast: predictive.forecast(p.year),
                        predictive,
                    });
                }
            }
        }
    }
    out
}

#[derive(Default)]
struct Acc {
    n: usize,
    abs: f64,
    sq_logit: f64,
    in80: usize,
    in95: usize,
    winkler: f64,
    bias: f64,
}

impl Acc {
    fn add(&mut self, y: f64, f: &Forecast) {
        let (median, lo80, hi80, lo95, hi95) = (f.median, f.lo80, f.hi80, f.lo95, f.hi95);
        let lg = |v: f64| logit((v / 100.0).clamp(P_FLOOR, 1.0 - P_FLOOR));
        self.n += 1;
        self.abs += (median - y).abs();
        self.bias += y - median;
        self.sq_logit += (lg(median) - lg(y)).powi(2);
        self.in80 += usize::from(lo80 <= y && y <= hi80);
        self.in95 += usize::from(lo95 <= y && y <= hi95);
        let alpha = 0.2;
        self.winkler += (hi80 - lo80)
            + (2.0 / alpha) * (lo80 - y).max(0.0)
            + (2.0 / alpha) * (y - hi80).max(0.0);
    }

    fn row(&self, model: &str) -> BacktestRow {
        let n = self.n.max(1) as f64;
        let nan_if_empty = |v: f64| if self.n == 0 { f64::NAN } else { v };
        BacktestRow {
            model: model.to_string(),
            n: self.n,
            mae_pp: nan_if_empty(self.abs / n),
            rmse_logit: nan_if_empty((self.sq_logit / n).sqrt()),
            coverage80: nan_if_empty(self.in80 as f64 / n),
            coverage95: nan_if_empty(self.in95 as f64 / n),
            winkler80: nan_if_empty(self.winkler / n),
            bias_pp: nan_if_empty(self.bias / n),
        }
    }
}
