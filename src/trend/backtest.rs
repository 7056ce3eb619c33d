//! Rolling-origin backtest of the trend models on the observed series.
//!
//! Every series with at least `min_train + 1` observations is cut after each of its own
//! observations that leaves at least `min_train` training points (the origin; 2 for the
//! comparison table, so that every benchmark can forecast); every later observed year is
//! forecast from the panel as it stood at the origin year (all series truncated to years
//! ≤ origin, so pooling sees only the past). Errors are pooled across series.

use std::collections::{BTreeSet, HashMap};

use super::dist::{logit, std_quantile, Forecast, Predictive, P_FLOOR};
use super::hierarchy::Hierarchy;
use super::models::{ModelKind, TrendConfig};
use super::panel::{panel_model, Series};

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
    /// The predictive distribution of the published value behind `forecast`
    /// ([`crate::trend::TrendFit::predictive_published`]; for calibration).
    pub predictive: Predictive,
    /// The model part M and the Normal sampling part S behind `predictive`
    /// ([`crate::trend::TrendFit::parts_published`]).
    pub parts: (f64, f64),
    /// Whether the series was fitted without an ancestor series (its slope its own drift;
    /// calibrated by its own factor κ₀).
    pub root: bool,
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

pub use super::local::{RESOLVED_HALF_LIFE, SURVEY_ERA_START, TAIL_DFS};

/// The form of the mean correction [`choose_settings`] estimates: an acceleration, a·h² at
/// horizon h. Fixed a priori rather than chosen: the published series' pace itself rises
/// (the nation's angular pace went 0.011 → 0.014 → 0.016 → 0.018 a year over 2005–25), so a
/// recent slope falls short by an amount growing like h², while one or two years ahead the
/// latest level and pace are nearly right; a slope correction (c·h) would move every
/// one-year forecast by c. (Nested backtest, README: a·h² MAE 0.75 pp, c·h 1.04, choosing
/// among none / c·h / a·h² by past error 1.30.)
pub fn correction_form(h: f64) -> f64 {
    h * h
}

/// Fewest resolved forecasts from which settings are estimated (the acceleration from all
/// resolved forecasts, κ and ν from those of the current survey era); with fewer, the
/// a-priori values (no acceleration; κ = κ₀ = 1, 4 df).
pub const MIN_RESOLVED: usize = 5;

/// `local_angular`'s tuned settings, each estimated from forecasts resolved before an origin
/// ([`nested_settings`]). The slope window is not among them: it is one plan period,
/// [`crate::trend::local::WINDOW`], fixed a priori.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NestedSettings {
    /// Acceleration correction a (model scale per year²).
    pub accel: f64,
    /// Calibration factor κ of the variance components.
    pub noise_scale: f64,
    /// Calibration factor κ₀ for the series without an ancestor series.
    pub root_scale: f64,
    /// Tail degrees of freedom ν, from [`TAIL_DFS`].
    pub df: f64,
    /// Number of resolved forecasts the acceleration was estimated from.
    pub n_resolved: usize,
    /// Number of those made in the current survey era (origin ≥ [`SURVEY_ERA_START`]), from
    /// which κ and ν were estimated.
    pub n_era: usize,
}

impl NestedSettings {
    /// The a-priori settings, used when fewer than [`MIN_RESOLVED`] forecasts are resolved.
    pub const PRIOR: NestedSettings = NestedSettings {
        accel: 0.0,
        noise_scale: 1.0,
        root_scale: 1.0,
        df: 4.0,
        n_resolved: 0,
        n_era: 0,
    };

    /// `cfg` with these settings in its `local` part.
    pub fn apply(&self, cfg: &TrendConfig) -> TrendConfig {
        let mut c = *cfg;
        c.local.slope_shift = 0.0;
        c.local.accel = self.accel;
        c.local.noise_scale = self.noise_scale;
        c.local.root_scale = self.root_scale;
        c.local.df = self.df;
        c
    }
}

/// The raw rolling-origin forecasts of `local_angular`: from every origin with at least one
/// training point, every later observed year, with κ = 1, no acceleration and 4 df — the
/// material [`choose_settings`] estimates from.
pub fn raw_forecasts(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &TrendConfig,
) -> Vec<BacktestForecast> {
    let raw = NestedSettings::PRIOR.apply(cfg);
    fixed_forecasts(series, parent_of, &raw, ModelKind::LocalAngular, None, 1)
}

/// `local_angular`'s settings chosen from the forecasts of `raw` ([`raw_forecasts`]) resolved
/// before `origin`: origin < `origin` and year ≤ `origin` (all of them for `None`, the
/// settings for projecting from the whole panel). With e_i = g(y_i) − μ_i the error of the
/// published value on the model scale and h_i the horizon:
///
/// Every resolved forecast has the weight ω_i = 0.5^((now − year_i)/[`RESOLVED_HALF_LIFE`]),
/// now = `origin` (else the latest year resolved).
///
/// * **acceleration** a = Σ ω e h² / Σ ω h⁴ over every resolved forecast
///   ([`correction_form`]) — weighted least squares of the errors on h² through the origin:
///   by how much past forecasts fell short (> 0) or overshot, growing with the square of the
///   horizon; the pace's rise shows in both survey eras;
/// * **κ and tail df** ν, from the resolved forecasts made in the current survey era (origin
///   ≥ [`SURVEY_ERA_START`]): with r_i = e_i − a h_i², M_i the model part and S_i the Normal
///   part of the published value's predictive at κ = 1 (the level's sampling error and the
///   new survey's, [`crate::trend::TrendFit::parts_published`]), for each ν of [`TAIL_DFS`]
///   the smallest κ whose central 80 % intervals (model part κM_i, t_ν, combined with S_i by
///   Welch–Satterthwaite as in the projections) hold ≥ 80 % of their weight (`kappa_for`),
///   separately for the forecasts of series below an ancestor series (κ) and of series
///   without one (κ₀, [`BacktestForecast::root`]: the top's slope is its own drift and its
///   forecasts carry almost no sampling part); a group with fewer than [`MIN_RESOLVED`]
///   takes the κ of both pooled; then the ν whose 95 % intervals at those κ hold the share
///   nearest 95 % (ties: the heavier tail). κ scales the variance components, not the
///   sampling part.
///
/// Fewer than [`MIN_RESOLVED`] resolved forecasts: [`NestedSettings::PRIOR`]; fewer than
/// [`MIN_RESOLVED`] of the current era: the acceleration with κ = κ₀ = 1 and 4 df.
pub fn choose_settings(raw: &[BacktestForecast], origin: Option<i32>) -> NestedSettings {
    let resolved = |f: &&BacktestForecast| origin.is_none_or(|y| f.origin < y && f.year <= y);
    // "Now": the origin, else the latest year resolved.
    let now = origin.unwrap_or_else(|| raw.iter().map(|f| f.year).max().unwrap_or(0));
    // (error e, horizon h, weight ω, forecast)
    let rs: Vec<(f64, f64, f64, &BacktestForecast)> = raw
        .iter()
        .filter(resolved)
        .filter_map(|f| {
            let p = &f.predictive;
            let e = p.scale.from_pct(f.actual) - p.mu;
            let h = f64::from(f.year - f.origin);
            let wt = 0.5f64.powf(f64::from(now - f.year) / RESOLVED_HALF_LIFE);
            (e.is_finite() && p.sd > 0.0).then_some((e, h, wt, f))
        })
        .collect();
    if rs.len() < MIN_RESOLVED {
        return NestedSettings {
            n_resolved: rs.len(),
            ..NestedSettings::PRIOR
        };
    }
    let pw = correction_form;
    let den: f64 = rs.iter().map(|r| r.2 * pw(r.1).powi(2)).sum();
    let accel = if den > 0.0 {
        rs.iter().map(|r| r.2 * r.0 * pw(r.1)).sum::<f64>() / den
    } else {
        0.0
    };
    let z: Vec<(Resolved, bool)> = rs
        .iter()
        .filter(|r| r.3.origin >= SURVEY_ERA_START)
        .map(|&(e, h, wt, f)| {
            (
                ((e - accel * pw(h)).abs(), f.parts.0, f.parts.1, wt),
                f.root,
            )
        })
        .collect();
    let base = NestedSettings {
        accel,
        n_resolved: rs.len(),
        n_era: z.len(),
        ..NestedSettings::PRIOR
    };
    if z.len() < MIN_RESOLVED {
        return base;
    }
    // Each group (series below an ancestor series; series without one) has its own κ when it
    // has MIN_RESOLVED forecasts, else the pooled one.
    let all: Vec<Resolved> = z.iter().map(|r| r.0).collect();
    let group =
        |root: bool| -> Vec<Resolved> { z.iter().filter(|r| r.1 == root).map(|r| r.0).collect() };
    let (below, top) = (group(false), group(true));
    let w_all: f64 = all.iter().map(|r| r.3).sum();
    // κ for each ν: the smallest with weighted 80 % coverage ≥ 0.8; then the ν whose 95 %
    // coverage at its κ is nearest 0.95 (ties: the heavier tail).
    let mut choice: Option<(f64, f64, f64, f64)> = None;
    for nu in TAIL_DFS {
        let pooled = kappa_for(&all, nu);
        let own = |g: &[Resolved]| {
            if g.len() >= MIN_RESOLVED {
                kappa_for(g, nu)
            } else {
                pooled
            }
        };
        let (kb, kt) = (own(&below), own(&top));
        // Weight inside the 95 % intervals of a group at its κ.
        let covered = |g: &[Resolved], k: f64| {
            if g.is_empty() {
                0.0
            } else {
                coverage(g, k, nu, 0.975) * g.iter().map(|r| r.3).sum::<f64>()
            }
        };
        let cov95 = (covered(&below, kb) + covered(&top, kt)) / w_all;
        let miss = (cov95 - 0.95).abs();
        if choice.is_none_or(|b| miss < b.3 - 1e-12) {
            choice = Some((nu, kb, kt, miss));
        }
    }
    match choice {
        Some((df, kb, kt, _)) if [kb, kt].iter().all(|k| k.is_finite() && *k > 0.0) => {
            NestedSettings {
                noise_scale: kb,
                root_scale: kt,
                df,
                ..base
            }
        }
        _ => base,
    }
}

/// A resolved forecast as [`choose_settings`] scores it: (|error after the correction|,
/// model part M at κ = 1, Normal sampling part S, weight ω).
type Resolved = (f64, f64, f64, f64);

/// Weighted share of `z` inside the central interval of level 2q − 1 when the model part is
/// scaled by κ: |r| ≤ t_ν*⁻¹(q)·σ* with (σ*, ν*) the Welch–Satterthwaite t of
/// [`combine_t_normal`](crate::trend::models::combine_t_normal)(κM, S, ν).
fn coverage(z: &[Resolved], kappa: f64, nu: f64, q: f64) -> f64 {
    let (mut inside, mut total) = (0.0, 0.0);
    for &(r, m, s, w) in z {
        let (sd, df) = crate::trend::models::combine_t_normal(kappa * m, s, Some(nu));
        if r <= std_quantile(q, df) * sd {
            inside += w;
        }
        total += w;
    }
    inside / total
}

/// The smallest κ (to a relative 1e-9, within [1e-6, 1e6]) whose weighted 80 % coverage
/// ([`coverage`]) is at least 0.8, by bisection on ln κ (coverage rises with κ).
fn kappa_for(z: &[Resolved], nu: f64) -> f64 {
    let (mut lo, mut hi) = (1e-6f64.ln(), 1e6f64.ln());
    if coverage(z, lo.exp(), nu, 0.9) >= 0.8 {
        return lo.exp();
    }
    while hi - lo > 1e-9 {
        let mid = 0.5 * (lo + hi);
        if coverage(z, mid.exp(), nu, 0.9) >= 0.8 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi.exp()
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
            out.extend(fixed_forecasts(
                series, parent_of, cfg, model, since, min_train,
            ));
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
    let hierarchy = Hierarchy::new(parent_of);
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
            let panel_model = panel_model(model, &cfg);
            let panel = panel_model.fit(&truncated, &hierarchy);
            for &(i, k, _) in origins.iter().filter(|o| o.2 == year) {
                let Some(fit) = &panel.fits[i] else { continue };
                for p in &series[i].points[k..] {
                    let predictive = panel_model.predict(fit, p.year);
                    let (_, model_part, normal_part) = fit.parts_published(p.year);
                    out.push(BacktestForecast {
                        model: model.name(),
                        jurisdiction: series[i].id.clone(),
                        origin: year,
                        year: p.year,
                        actual: p.value,
                        forecast: predictive.forecast(p.year),
                        predictive,
                        parts: (model_part, normal_part),
                        root: fit.prior_source.is_none(),
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

    /// Resolved forecasts on the percent scale, all resolved in `year` (equal weights), from
    /// origins year − 2 … year − 6 (h = 2 … 6), median 10, scale 1, errors `e`.
    fn resolved(year: i32, e: [f64; 5]) -> Vec<BacktestForecast> {
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
                    origin: year - 2 - i as i32,
                    year,
                    actual: 10.0 + e[i],
                    forecast: predictive.forecast(year),
                    predictive,
                    parts: (1.0, 0.0),
                    root: false,
                }
            })
            .collect()
    }

    /// By hand, errors e = (1, 1, 2, 2, 3) at h = (2, 3, 4, 5, 6), equal weights (all
    /// resolved in 2020): a = Σeh²/Σh⁴ = (4 + 9 + 32 + 50 + 108)/(16 + 81 + 256 + 625 +
    /// 1296) = 203/2274; with M = 1 and S = 0 the smallest κ holding four of the five
    /// residuals r = e − ah² in the 80 % interval is (r₍₄₎/t_ν⁻¹(0.9))², and ν follows from
    /// the 95 % coverage at that κ (the ratios t_ν⁻¹(0.975)/t_ν⁻¹(0.9): t₃ 1.943, t₄ 1.811,
    /// t₆ 1.700, t₁₀ 1.624).
    #[test]
    fn settings_from_resolved_forecasts_by_hand() {
        let raw = resolved(2020, [1.0, 1.0, 2.0, 2.0, 3.0]);
        let s = choose_settings(&raw, None);
        let a = 203.0 / 2274.0;
        // |e − a h²| = |1 − 4a|, |1 − 9a|, |2 − 16a|, |2 − 25a|, |3 − 36a|
        //            = 0.6429, 0.1966, 0.5717, 0.2318, 0.2137 → sorted
        //              0.1966, 0.2137, 0.2318, 0.5717, 0.6429.
        // M = 1, S = 0: the 80 % interval is ±t_ν⁻¹(0.9)·√κ; four of five inside needs
        // κ = (0.5717/t_ν⁻¹(0.9))²; then 0.6429/0.5717 = 1.125 < every t ratio (t₃ 1.943), so
        // all five lie in the 95 % interval whatever ν: a tie, the heavier tail ν = 3 wins,
        // κ = (0.5717/1.637744)² = 0.12185.
        assert!((s.accel - a).abs() < 1e-12);
        assert_eq!(s.df, 3.0);
        let kappa = ((2.0 - 16.0 * a) / 1.637_744_354).powi(2);
        assert!(
            (s.noise_scale / kappa - 1.0).abs() < 1e-6,
            "{s:?} vs {kappa}"
        );
        assert!((kappa - 0.121_85).abs() < 1e-4, "{kappa}");
        assert_eq!((s.n_resolved, s.n_era), (5, 5));
        // Nested: at origin 2019 the 2020 outcomes are not known — the a-priori settings.
        let early = choose_settings(&raw, Some(2019));
        assert_eq!(early, NestedSettings::PRIOR);
        assert_eq!(choose_settings(&raw, Some(2021)).n_resolved, 5);
    }

    /// The series without an ancestor series (`root`) get their own κ₀. Beside the five of
    /// the by-hand test, five root forecasts with three times its errors, (3, 3, 6, 6, 9) at
    /// h = 2 … 6, all resolved in 2020 (equal weights): the acceleration is fitted to all ten,
    /// a = (203 + 3·203)/(2·2274) = 203/1137; each group's κ is (its fourth smallest
    /// |e − ah²| / t_ν⁻¹(0.9))²; the largest residual of each group is within 1.39 and 1.22
    /// times its fourth (below every t ratio t_ν⁻¹(0.975)/t_ν⁻¹(0.9), t₁₀ 1.624), so every
    /// ν covers all ten at 95 %: a tie, ν = 3.
    #[test]
    fn the_top_series_have_their_own_kappa() {
        let mut raw = resolved(2020, [1.0, 1.0, 2.0, 2.0, 3.0]);
        raw.extend(
            resolved(2020, [3.0, 3.0, 6.0, 6.0, 9.0])
                .into_iter()
                .map(|f| BacktestForecast { root: true, ..f }),
        );
        let s = choose_settings(&raw, None);
        let a = 203.0 / 1137.0;
        assert!((s.accel - a).abs() < 1e-12, "{s:?}");
        let fourth = |scale: f64| {
            let mut r: Vec<f64> = [(1.0, 2.0), (1.0, 3.0), (2.0, 4.0), (2.0, 5.0), (3.0, 6.0)]
                .iter()
                .map(|&(e, h): &(f64, f64)| (scale * e - a * h * h).abs())
                .collect();
            r.sort_by(f64::total_cmp);
            assert!(r[4] / r[3] < 1.624, "{r:?}");
            r[3]
        };
        let (kb, kt) = (
            (fourth(1.0) / 1.637_744_354).powi(2),
            (fourth(3.0) / 1.637_744_354).powi(2),
        );
        assert_eq!(s.df, 3.0);
        assert!((s.noise_scale / kb - 1.0).abs() < 1e-6, "{s:?} vs {kb}");
        assert!((s.root_scale / kt - 1.0).abs() < 1e-6, "{s:?} vs {kt}");
        assert!((kt / kb - 1.0).abs() > 0.05, "the groups differ: {kb} {kt}");
        // Fewer than five root forecasts: the root takes the pooled κ. The by-hand test's
        // five and one root forecast of error 2 at h = 2: a = (203 + 8)/(2274 + 16); the
        // pooled κ holds five of the six residuals, the root's own |2 − 4a| the largest.
        let mut few = resolved(2020, [1.0, 1.0, 2.0, 2.0, 3.0]);
        few.push(BacktestForecast {
            root: true,
            actual: 12.0,
            ..few[0].clone()
        });
        let s = choose_settings(&few, None);
        let a = 211.0 / 2290.0;
        let mut r: Vec<f64> = [
            (1.0, 2.0),
            (1.0, 3.0),
            (2.0, 4.0),
            (2.0, 5.0),
            (3.0, 6.0),
            (2.0, 2.0),
        ]
        .iter()
        .map(|&(e, h): &(f64, f64)| (e - a * h * h).abs())
        .collect();
        assert!((r[5] - (2.0 - 4.0 * a)).abs() < 1e-15);
        r.sort_by(f64::total_cmp);
        assert_eq!(r[5], 2.0 - 4.0 * a);
        let pooled = (r[4] / std_quantile(0.9, Some(s.df))).powi(2);
        assert!(
            (s.root_scale / pooled - 1.0).abs() < 1e-6,
            "{s:?} vs {pooled}"
        );
        assert!((s.root_scale / s.noise_scale - 1.0).abs() > 0.05, "{s:?}");
    }

    /// κ and ν come from the current survey era only; the acceleration from every resolved
    /// forecast. Five forecasts from origins 1998–2002 (before [`SURVEY_ERA_START`]) missed by
    /// 40 model-scale units; alone they give the acceleration and, with no forecast of the
    /// era, κ = 1 and 4 df. Beside the five of the by-hand test (origins 2014–2018, resolved
    /// in 2020, weight 1; the old ones resolved in 2004, weight 0.5^(16/5)), κ and ν are the
    /// by-hand test's values computed at the joint acceleration
    /// a = Σωeh²/Σωh⁴ over all ten.
    #[test]
    fn kappa_comes_from_the_current_survey_era() {
        let old = resolved(2004, [40.0; 5]);
        let alone = choose_settings(&old, None);
        // a = 40·Σh²/Σh⁴ = 40·90/2274.
        assert!(
            (alone.accel - 40.0 * 90.0 / 2274.0).abs() < 1e-12,
            "{alone:?}"
        );
        assert_eq!((alone.noise_scale, alone.df), (1.0, 4.0));
        assert_eq!((alone.n_resolved, alone.n_era), (5, 0));

        let mut raw = old.clone();
        raw.extend(resolved(2020, [1.0, 1.0, 2.0, 2.0, 3.0]));
        let s = choose_settings(&raw, None);
        let w_old = 0.5f64.powf(16.0 / 5.0);
        let (h2, h4) = (90.0, 2274.0);
        let a = (w_old * 40.0 * h2 + 203.0) / ((w_old + 1.0) * h4);
        assert!((s.accel - a).abs() < 1e-12, "{s:?} vs {a}");
        // Era residuals |e − a h²|; κ = (fourth smallest / t₃⁻¹(0.9))² when the largest is
        // within the t₃ ratio 1.943 of it (a tie over ν: the heavier tail).
        let mut r: Vec<f64> = [(1.0, 2.0), (1.0, 3.0), (2.0, 4.0), (2.0, 5.0), (3.0, 6.0)]
            .iter()
            .map(|&(e, h): &(f64, f64)| (e - a * h * h).abs())
            .collect();
        r.sort_by(f64::total_cmp);
        assert!(r[4] / r[3] < 1.943, "{r:?}");
        let kappa = (r[3] / 1.637_744_354).powi(2);
        assert_eq!(s.df, 3.0);
        assert!(
            (s.noise_scale / kappa - 1.0).abs() < 1e-6,
            "{s:?} vs {kappa}"
        );
        assert_eq!((s.n_resolved, s.n_era), (10, 5));
    }
}
