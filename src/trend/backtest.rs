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

/// The windows (years) among which the nested backtest chooses `local_angular`'s slope window.
pub const WINDOWS: [f64; 3] = [3.0, 5.0, 8.0];

/// The tail degrees of freedom among which the nested backtest chooses.
pub const TAIL_DFS: [f64; 4] = [3.0, 4.0, 6.0, 10.0];

/// Half-life (years) of the weight a resolved forecast gets in [`choose_settings`]: one
/// resolved a years before the origin counts 0.5^(a/5) — one five-year plan period counts
/// half, as in the recency weights of `logit_wls`. The rolling-origin errors change with the
/// survey era (κ is ≈ 1.4 on the 1996–2010 national series, ≈ 0.1 after 2015), so the
/// settings follow the recent record.
pub const RESOLVED_HALF_LIFE: f64 = 5.0;

/// Fewest resolved forecasts from which settings are estimated; with fewer, the a-priori
/// settings (window 5, no slope correction, κ = 1, 4 df) are used.
pub const MIN_RESOLVED: usize = 5;

/// `local_angular`'s tuned settings, each estimated from forecasts resolved before an origin
/// ([`nested_settings`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NestedSettings {
    /// Slope window w (years), from [`WINDOWS`].
    pub window: f64,
    /// Slope correction c (model scale per year).
    pub slope_shift: f64,
    /// Calibration factor κ of the variance components.
    pub noise_scale: f64,
    /// Tail degrees of freedom ν, from [`TAIL_DFS`].
    pub df: f64,
    /// Number of resolved forecasts the settings were estimated from.
    pub n_resolved: usize,
}

impl NestedSettings {
    /// The a-priori settings, used when fewer than [`MIN_RESOLVED`] forecasts are resolved.
    pub const PRIOR: NestedSettings = NestedSettings {
        window: 5.0,
        slope_shift: 0.0,
        noise_scale: 1.0,
        df: 4.0,
        n_resolved: 0,
    };

    /// `cfg` with these settings in its `local` part.
    pub fn apply(&self, cfg: &TrendConfig) -> TrendConfig {
        let mut c = *cfg;
        c.local.window = self.window;
        c.local.slope_shift = self.slope_shift;
        c.local.noise_scale = self.noise_scale;
        c.local.df = self.df;
        c
    }
}

/// The raw rolling-origin forecasts of `local_angular` for every window of [`WINDOWS`]: from
/// every origin with at least one training point, every later observed year, with κ = 1, no
/// slope correction and 4 df — the material [`choose_settings`] estimates from.
pub fn raw_forecasts(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &TrendConfig,
) -> Vec<(f64, Vec<BacktestForecast>)> {
    WINDOWS
        .iter()
        .map(|&w| {
            let raw = NestedSettings {
                window: w,
                ..NestedSettings::PRIOR
            }
            .apply(cfg);
            let f = fixed_forecasts(series, parent_of, &raw, ModelKind::LocalAngular, None, 1);
            (w, f)
        })
        .collect()
}

/// Weighted quantile of `zw` = (value, weight) sorted by value: the value at cumulative
/// weight position q, interpolating linearly between the points' mid-positions
/// (C_i − w_i/2)/W (Hazen's rule, R type 5, with equal weights).
fn weighted_quantile(zw: &[(f64, f64)], q: f64) -> f64 {
    let total: f64 = zw.iter().map(|z| z.1).sum();
    let mut cum = 0.0;
    let mut prev: Option<(f64, f64)> = None;
    for &(z, w) in zw {
        let pos = (cum + w / 2.0) / total;
        cum += w;
        if pos >= q {
            return match prev {
                Some((pz, pp)) if pos > pp => pz + (z - pz) * (q - pp) / (pos - pp),
                _ => z,
            };
        }
        prev = Some((z, pos));
    }
    prev.map_or(f64::NAN, |p| p.0)
}

/// `local_angular`'s settings chosen from the forecasts of `raw` ([`raw_forecasts`]) resolved
/// before `origin`: origin < `origin` and year ≤ `origin` (all of them for `None`, the
/// settings for projecting from the whole panel). With e_i = g(y_i) − μ_i the error on the
/// model scale, h_i the horizon and σ_i the predictive scale of a resolved forecast:
///
/// * **slope correction** c = Σ e_i h_i / Σ h_i² — least squares of the errors on the horizon
///   through the origin, the mean drift by which past forecasts fell short (> 0) or overshot;
/// * **window** w: the one of [`WINDOWS`] whose corrected medians g⁻¹(μ_i + c_w h_i) have the
///   smallest mean absolute error in percentage points;
/// * **tail df** ν: with z_i = (e_i − c h_i)/σ_i, the one of [`TAIL_DFS`] whose quantile ratio
///   t_ν⁻¹(0.975)/t_ν⁻¹(0.9) is closest to Q₀.₉₅(|z|)/Q₀.₈(|z|) (the shape of the tails);
/// * **κ** = (Q₀.₈(|z|)/t_ν⁻¹(0.9))², so that the central 80 % intervals cover 80 % of the
///   resolved forecasts (exact for the model part; the sampling part, Normal and not scaled, is
///   small beside it for all but one-year-ahead forecasts).
///
/// Q is the sample quantile (R type 7). Fewer than [`MIN_RESOLVED`] resolved forecasts:
/// [`NestedSettings::PRIOR`].
pub fn choose_settings(
    raw: &[(f64, Vec<BacktestForecast>)],
    origin: Option<i32>,
) -> NestedSettings {
    let resolved = |f: &&BacktestForecast| origin.is_none_or(|y| f.origin < y && f.year <= y);
    // "Now": the origin, else the latest year resolved.
    let now = origin.unwrap_or_else(|| {
        raw.iter()
            .flat_map(|(_, fs)| fs.iter().map(|f| f.year))
            .max()
            .unwrap_or(0)
    });
    let mut best: Option<(f64, f64, f64, Vec<(f64, f64)>)> = None;
    for (w, fs) in raw {
        let rs: Vec<(f64, f64, f64, &BacktestForecast)> = fs
            .iter()
            .filter(resolved)
            .filter_map(|f| {
                let p = &f.predictive;
                let e = p.scale.from_pct(f.actual) - p.mu;
                let h = f64::from(f.year - f.origin);
                (e.is_finite() && p.sd > 0.0).then_some((e, h, p.sd, f))
            })
            .collect();
        if rs.len() < MIN_RESOLVED {
            return NestedSettings {
                n_resolved: rs.len(),
                ..NestedSettings::PRIOR
            };
        }
        let wt = |f: &BacktestForecast| 0.5f64.powf(f64::from(now - f.year) / RESOLVED_HALF_LIFE);
        let c = rs.iter().map(|r| wt(r.3) * r.0 * r.1).sum::<f64>()
            / rs.iter().map(|r| wt(r.3) * r.1 * r.1).sum::<f64>();
        let (mut sae, mut sw) = (0.0, 0.0);
        for (_, h, _, f) in &rs {
            let p = &f.predictive;
            sae += wt(f) * (p.scale.to_pct(p.mu + c * h) - f.actual).abs();
            sw += wt(f);
        }
        let mae = sae / sw;
        let z: Vec<(f64, f64)> = rs.iter().map(|(e, h, sd, f)| (((e - c * h) / sd).abs(), wt(f))).collect();
        if best.as_ref().is_none_or(|b| mae < b.1) {
            best = Some((*w, mae, c, z));
        }
    }
    let Some((window, _, c, mut z)) = best else {
        return NestedSettings::PRIOR;
    };
    z.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (q80, q95) = (weighted_quantile(&z, 0.8), weighted_quantile(&z, 0.95));
    let ratio = q95 / q80;
    let df = TAIL_DFS
        .iter()
        .copied()
        .min_by(|a, b| {
            let r = |d: f64| {
                (std_quantile(0.975, Some(d)) / std_quantile(0.9, Some(d)) - ratio).abs()
            };
            r(*a).total_cmp(&r(*b))
        })
        .unwrap_or(NestedSettings::PRIOR.df);
    let kappa = (q80 / std_quantile(0.9, Some(df))).powi(2);
    NestedSettings {
        window,
        slope_shift: c,
        noise_scale: if kappa.is_finite() && kappa > 0.0 { kappa } else { 1.0 },
        df,
        n_resolved: z.len(),
    }
}

/// [`choose_settings`] on the whole panel: the settings `local_angular` projects with.
pub fn nested_settings(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &TrendConfig,
) -> NestedSettings {
    choose_settings(&raw_forecasts(series, parent_of, cfg), None)
}

/// Every scored forecast of the backtest, model by model. `local_angular` is nested: the
/// forecasts from each origin year use the settings [`choose_settings`] estimates from the
/// forecasts resolved before it; the other models have no tuned settings.
pub fn backtest_forecasts(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &TrendConfig,
    models: &[ModelKind],
    since: Option<i32>,
    min_train: usize,
) -> Vec<BacktestForecast> {
    let mut out = Vec::new();
    for &model in models {
        if model == ModelKind::LocalAngular {
            let raw = raw_forecasts(series, parent_of, cfg);
            out.extend(forecasts_with(
                series,
                parent_of,
                model,
                since,
                min_train,
                |y| choose_settings(&raw, Some(y)).apply(cfg),
            ));
        } else {
            out.extend(fixed_forecasts(series, parent_of, cfg, model, since, min_train));
        }
    }
    out
}

/// The settings `local_angular` used at each origin year of the nested backtest (origins
/// ≥ `since`, at least `min_train` training points).
pub fn nested_origin_settings(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &TrendConfig,
    since: Option<i32>,
    min_train: usize,
) -> Vec<(i32, NestedSettings)> {
    let raw = raw_forecasts(series, parent_of, cfg);
    origin_years(series, since, min_train.max(1))
        .1
        .into_iter()
        .map(|y| (y, choose_settings(&raw, Some(y))))
        .collect()
}

/// The rolling-origin forecasts of one model with one configuration for every origin.
pub fn fixed_forecasts(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &TrendConfig,
    model: ModelKind,
    since: Option<i32>,
    min_train: usize,
) -> Vec<BacktestForecast> {
    forecasts_with(series, parent_of, model, since, min_train, |_| *cfg)
}

/// Origins (series index, training points, origin year) and the origin years.
fn origin_years(
    series: &[Series],
    since: Option<i32>,
    min_train: usize,
) -> (Vec<(usize, usize, i32)>, BTreeSet<i32>) {
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
    (origins, years)
}

fn forecasts_with(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    model: ModelKind,
    since: Option<i32>,
    min_train: usize,
    cfg_at: impl Fn(i32) -> TrendConfig,
) -> Vec<BacktestForecast> {
    let min_train = min_train.max(1);
    let (origins, years) = origin_years(series, since, min_train);
    let mut out = Vec::new();
    {
        for &year in &years {
            let cfg = cfg_at(year);
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
            let panel = fit_panel(&truncated, parent_of, &cfg, model);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trend::dist::Scale;

    /// Resolved forecasts on the percent scale, all resolved in 2020 (equal weights), from
    /// origins 2018 … 2014 (h = 2 … 6), median 10, scale 1, errors `e`.
    fn resolved(e: [f64; 5]) -> Vec<BacktestForecast> {
        (0..5)
            .map(|i| {
                let predictive = Predictive {
                    scale: Scale::Percent,
                    mu: 10.0,
                    sd: 1.0,
                    df: Some(4.0),
                };
                BacktestForecast {
                    model: "local_angular",
                    jurisdiction: "x".into(),
                    origin: 2018 - i as i32,
                    year: 2020,
                    actual: 10.0 + e[i],
                    forecast: predictive.forecast(2020),
                    predictive,
                }
            })
            .collect()
    }

    /// By hand, window 5's errors e = (1, 1, 2, 2, 3) at h = (2, 3, 4, 5, 6):
    /// c = Σeh/Σh² = 41/90; |e − ch| sorted = (0.0889, 0.1778, 0.2667, 0.2778, 0.3667), mean
    /// 0.2356 — below window 8's (e = (3, −1, 4, 0, 5): c = 49/90, mean 2.164), so w = 5.
    /// Hazen positions 0.1 … 0.9: Q₀.₈ = 0.2778 + (0.3667 − 0.2778)·0.1/0.2 = 0.3222,
    /// Q₀.₉₅ = 0.3667 (beyond the last position); ratio 1.138, closest to t₁₀'s
    /// 2.228139/1.372184 = 1.624 (t₆ 1.700, t₄ 1.811, t₃ 1.943), so ν = 10 and
    /// κ = (0.3222/1.372184)² = 0.055143.
    #[test]
    fn settings_from_resolved_forecasts_by_hand() {
        let raw = vec![
            (5.0, resolved([1.0, 1.0, 2.0, 2.0, 3.0])),
            (8.0, resolved([3.0, -1.0, 4.0, 0.0, 5.0])),
        ];
        let s = choose_settings(&raw, None);
        assert_eq!(s.window, 5.0);
        assert!((s.slope_shift - 41.0 / 90.0).abs() < 1e-12);
        assert_eq!(s.df, 10.0);
        assert!((s.noise_scale - 0.055_142_506).abs() < 1e-6, "{s:?}");
        assert_eq!(s.n_resolved, 5);
        // Nested: at origin 2020 nothing is resolved yet (year ≤ 2020 but origin < 2020 holds;
        // at 2019 the 2020 outcomes are not known) — the a-priori settings.
        let early = choose_settings(&raw, Some(2019));
        assert_eq!(early, NestedSettings::PRIOR);
        assert_eq!(choose_settings(&raw, Some(2021)).window, 5.0);
    }

    /// Weighted quantile, equal weights = Hazen (R type 5): of (1, 2, 3, 4) at 0.5, positions
    /// 0.125, 0.375, 0.625, 0.875 → 2 + (3 − 2)·(0.5 − 0.375)/0.25 = 2.5; weight 3 on the
    /// first: positions 0.25/… → (3 + 0.5)/6 = 0.583 for the second, so Q₀.₅ =
    /// 1 + (2 − 1)(0.5 − 0.25)/(0.583 − 0.25) = 1.75.
    #[test]
    fn weighted_quantile_by_hand() {
        let eq = [(1.0, 1.0), (2.0, 1.0), (3.0, 1.0), (4.0, 1.0)];
        assert!((weighted_quantile(&eq, 0.5) - 2.5).abs() < 1e-12);
        let w = [(1.0, 3.0), (2.0, 1.0), (3.0, 1.0), (4.0, 1.0)];
        assert!((weighted_quantile(&w, 0.5) - 1.75).abs() < 1e-12);
    }
}
