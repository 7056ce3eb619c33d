//! Trend models fitted one series at a time: the former default `logit_wls` (logit-linear
//! WLS with empirical-Bayes slope shrinkage) and the benchmarks, with the model list
//! ([`ModelKind`]) and the settings of every model ([`TrendConfig`]). The fitted trend
//! and its predictive distribution are in [`super::fit`].

use super::dist::Scale;
use super::fit::clean_points;
pub use super::fit::{combine_t_normal, TrendFit, TrendPoint, NORMAL_DF};
use super::line::WlsLine;
use super::pool::{ResidualPrior, SlopePrior};

/// Which model to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ModelKind {
    /// The default: a local level anchored at the latest survey with a slope pooled down the
    /// hierarchy, on the angular scale ([`crate::trend::local`]).
    LocalAngular,
    /// The former default: logit-linear WLS with recency weights and empirical-Bayes slope
    /// shrinkage (kept for comparison).
    LogitWls,
    /// Benchmark: straight line in percentage points (OLS).
    LinearPp,
    /// Benchmark: constant growth rate from the first to the last point (CAGR), i.e. a
    /// random walk with drift on the log scale.
    Cagr,
    /// Benchmark: random walk with drift on the logit scale.
    RwDriftLogit,
    /// Benchmark ("naive drift"): the change between the last two observations, in
    /// percentage points per year, extended from the latest value.
    DriftPp,
}

impl ModelKind {
    /// Every model, the default first (the order of the backtest table).
    pub const ALL: [ModelKind; 6] = [
        ModelKind::LocalAngular,
        ModelKind::LogitWls,
        ModelKind::LinearPp,
        ModelKind::Cagr,
        ModelKind::RwDriftLogit,
        ModelKind::DriftPp,
    ];

    /// The models' names, in the order of [`ModelKind::ALL`].
    pub const NAMES: &'static [&'static str] = &[
        "local_angular",
        "logit_wls",
        "linear_pp",
        "cagr",
        "rw_drift_logit",
        "drift_pp",
    ];

    /// The model's name (`local_angular`, `logit_wls`, …), as accepted by `--model`.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::LocalAngular => "local_angular",
            ModelKind::LogitWls => "logit_wls",
            ModelKind::LinearPp => "linear_pp",
            ModelKind::Cagr => "cagr",
            ModelKind::RwDriftLogit => "rw_drift_logit",
            ModelKind::DriftPp => "drift_pp",
        }
    }

    /// The scale the model is fitted on (angular, logit, log or percent).
    pub fn scale(self) -> Scale {
        match self {
            ModelKind::LocalAngular => Scale::Angular,
            ModelKind::LogitWls | ModelKind::RwDriftLogit => Scale::Logit,
            ModelKind::LinearPp | ModelKind::DriftPp => Scale::Percent,
            ModelKind::Cagr => Scale::Log,
        }
    }
}

impl std::str::FromStr for ModelKind {
    type Err = crate::error::UnknownName;

    /// The model by its name (as printed in the `model` column of the backtest), exactly.
    fn from_str(name: &str) -> Result<ModelKind, Self::Err> {
        ModelKind::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or_else(|| crate::error::UnknownName::new(name, ModelKind::NAMES))
    }
}

/// Which model to run and the settings of the trend models.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendConfig {
    /// The model `assess`, `project`, charts and the report use (default `local_angular`).
    pub model: ModelKind,
    /// Settings of `local_angular`.
    pub local: super::local::LocalConfig,
    /// Settings of `logit_wls`.
    pub logit: LogitConfig,
}

impl Default for TrendConfig {
    fn default() -> Self {
        TrendConfig {
            model: ModelKind::LocalAngular,
            local: super::local::LocalConfig::default(),
            logit: LogitConfig::default(),
        }
    }
}

/// Settings of `logit_wls` ([`fit_logit`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogitConfig {
    /// Recency weighting: a point `a` years older than the latest gets weight 0.5^(a / h)
    /// (time-weighted regression, as ESCAP's progress assessment). `None`: equal weights.
    /// Default 5 years: a point one five-year plan period old counts half.
    pub half_life: Option<f64>,
    /// Prior degrees of freedom d₀ given to the pooled residual variance when a series'
    /// own residual variance is moderated: σ̃² = (d₀ s₀² + (n − 2) σ̂²) / (d₀ + n − 2).
    pub prior_df: f64,
    /// Shrink slopes toward the pooled slope (empirical Bayes).
    pub shrink: bool,
}

impl Default for LogitConfig {
    fn default() -> Self {
        LogitConfig {
            half_life: Some(5.0),
            prior_df: 4.0,
            shrink: true,
        }
    }
}

/// Sorted, deduplicated points on the model scale.
struct Prepared {
    x: Vec<f64>,
    y: Vec<f64>,
    /// Observation variances on the model scale (all known, or `None`).
    v: Option<Vec<f64>>,
}

fn prepare(points: &[TrendPoint], scale: Scale) -> Prepared {
    let pts = clean_points(points);
    let x = pts.iter().map(|p| p.year as f64).collect();
    let y = pts.iter().map(|p| scale.from_pct(p.value)).collect();
    let v = pts
        .iter()
        .map(|p| {
            p.se.filter(|s| *s > 0.0)
                .map(|s| scale.delta_var(p.value, s))
        })
        .collect::<Option<Vec<f64>>>();
    Prepared { x, y, v }
}

fn recency_weights(x: &[f64], half_life: Option<f64>) -> Vec<f64> {
    let last = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    x.iter()
        .map(|&t| match half_life {
            Some(h) if h > 0.0 => 0.5f64.powf((last - t) / h),
            _ => 1.0,
        })
        .collect()
}

/// The series' own slope and its variance, before any shrinkage (used to build pools).
/// `None` for fewer than two points.
pub fn own_slope(
    points: &[TrendPoint],
    cfg: &LogitConfig,
    resid: &ResidualPrior,
) -> Option<(f64, f64)> {
    let fit = fit_logit(
        points,
        &LogitConfig {
            shrink: false,
            ..*cfg
        },
        None,
        resid,
    )?;
    fit.own_slope.map(|b| (b, fit.slope_var))
}

/// Residual variance σ̂² = RSS/(n − 2) and its df of a relative-weight logit fit
/// (`None` unless n ≥ 3 and the series has missing se), for pooling into a [`ResidualPrior`].
pub fn residual_variance(points: &[TrendPoint], cfg: &LogitConfig) -> Option<(f64, f64)> {
    let p = prepare(points, Scale::Logit);
    if p.x.len() < 3 || p.v.is_some() {
        return None;
    }
    let w = recency_weights(&p.x, cfg.half_life);
    let line = WlsLine::fit(&p.x, &p.y, &w)?;
    let df = line.df() as f64;
    Some((line.rss / df, df))
}

/// The default model: logit-linear weighted least squares.
///
/// On y = logit(p):
/// * **se known for every point, n ≥ 3** — absolute weights w = 1/(v + τ²) with
///   v = se²/(p(1−p))² (delta method) and τ² the DerSimonian–Laird moment estimate
///   (floored at 0); Var(b̂) = 1/Sxx, σ²_new = τ² (the true value), Normal.
/// * **otherwise, n ≥ 3** — relative (recency) weights, residual variance
///   σ̂² = RSS/(n − 2), exactly R `lm(y ~ x, weights = w)` + `predict(interval =
///   "prediction")` with prediction weight 1, Student t(n − 2). When a pooled
///   [`ResidualPrior`] is given (and `cfg.prior_df > 0`), σ̂² is moderated toward it.
/// * **n = 2** — the two-point line; variance from the survey errors plus the pooled
///   process variance (se known), or the pooled residual variance (se missing).
/// * **n = 1** — the pooled slope β₀ of `prior` with variance Var(β₀) + σ_b², or a flat
///   trend with slope sd 0.1/yr when there is no pool; labelled `logit_1pt_pooled` /
///   `logit_1pt_flat`.
///
/// With a [`SlopePrior`] and `cfg.shrink`, the slope is shrunk by empirical Bayes (the
/// Fay–Herriot algebra): b̃ = γ b̂ + (1 − γ) β₀, γ = σ_b² / (σ_b² + Var(b̂)),
/// Var(b̃) = γ Var(b̂) + (1 − γ)² Var(β₀); the line keeps its weighted centre (ȳ, x̄).
pub fn fit_logit(
    points: &[TrendPoint],
    cfg: &LogitConfig,
    prior: Option<&SlopePrior>,
    resid: &ResidualPrior,
) -> Option<TrendFit> {
    let p = prepare(points, Scale::Logit);
    let n = p.x.len();
    if n == 0 {
        return None;
    }
    let mut fit = if n == 1 {
        return Some(one_point(&p, prior, resid));
    } else if let Some(v) = &p.v {
        // Absolute weights from the survey variances.
        let tau2 = if n >= 3 {
            let w0: Vec<f64> = v.iter().map(|v| 1.0 / v).collect();
            WlsLine::fit(&p.x, &p.y, &w0)?.dl_tau2(&p.x, &w0)
        } else {
            resid.var
        };
        let w: Vec<f64> = v.iter().map(|v| 1.0 / (v + tau2)).collect();
        let line = WlsLine::fit(&p.x, &p.y, &w)?;
        let (model, df) = if n >= 3 {
            ("logit_wls", None)
        } else {
            ("logit_2pt", Some(resid.df))
        };
        base_fit(model, n, &line, 1.0, tau2, df)
    } else {
        let w = recency_weights(&p.x, cfg.half_life);
        let line = WlsLine::fit(&p.x, &p.y, &w)?;
        let own_df = line.df() as f64;
        let (sigma2, df) = if n >= 3 {
            let s2 = line.rss / own_df;
            if cfg.prior_df > 0.0 && resid.var > 0.0 && cfg.shrink {
                let d0 = cfg.prior_df.min(resid.df);
                ((d0 * resid.var + own_df * s2) / (d0 + own_df), own_df + d0)
            } else {
                (s2, own_df)
            }
        } else {
            (resid.var, resid.df.min(cfg.prior_df.max(1.0)))
        };
        let model = if n >= 3 { "logit_wls" } else { "logit_2pt" };
        base_fit(model, n, &line, sigma2, sigma2, Some(df))
    };
    if let (Some(pr), true) = (prior, cfg.shrink) {
        shrink(&mut fit, pr);
    }
    Some(fit)
}

/// A fit anchored at the weighted centre: Var(ȳ) = σ²/Σw, Var(b̂) = σ²/Sxx.
fn base_fit(
    model: &'static str,
    n: usize,
    line: &WlsLine,
    sigma2: f64,
    new_var: f64,
    df: Option<f64>,
) -> TrendFit {
    TrendFit {
        model,
        scale: Scale::Logit,
        n_obs: n,
        anchor_year: line.xbar,
        anchor: line.ybar,
        anchor_var: sigma2 / line.sum_w,
        cov_anchor_slope: 0.0,
        slope: line.slope,
        slope_var: sigma2 / line.sxx,
        new_var,
        sampling_var: 0.0,
        obs_var: 0.0,
        aged_from: None,
        step_var: 0.0,
        accel: 0.0,
        df,
        own_slope: Some(line.slope),
        shrink_weight: None,
        prior_source: None,
        prior_slope: None,
    }
}

/// Empirical-Bayes shrinkage of the slope toward the prior (see [`fit_logit`]).
fn shrink(fit: &mut TrendFit, prior: &SlopePrior) {
    let s2 = fit.slope_var;
    let gamma = if prior.var_between + s2 > 0.0 {
        prior.var_between / (prior.var_between + s2)
    } else {
        1.0
    };
    fit.slope = gamma * fit.slope + (1.0 - gamma) * prior.slope;
    fit.slope_var = gamma * s2 + (1.0 - gamma).powi(2) * prior.var_mean;
    fit.shrink_weight = Some(gamma);
    fit.prior_source = Some(prior.source.clone());
    fit.prior_slope = Some(prior.slope);
    fit.model = shrunk_name(fit.model);
}

/// The name of a `logit_wls` fit after shrinkage: `_eb` appended (empirical Bayes).
fn shrunk_name(model: &'static str) -> &'static str {
    match model {
        "logit_wls" => "logit_wls_eb",
        "logit_2pt" => "logit_2pt_eb",
        other => other,
    }
}

/// One point: the pooled slope, or flat with slope sd 0.1 logit/yr without a pool.
fn one_point(p: &Prepared, prior: Option<&SlopePrior>, resid: &ResidualPrior) -> TrendFit {
    let (level_var, new_var) = match &p.v {
        Some(v) => (v[0] + resid.var, resid.var),
        None => (resid.var, resid.var),
    };
    let (model, slope, slope_var, label, pslope) = match prior {
        Some(pr) => (
            "logit_1pt_pooled",
            pr.slope,
            pr.var_mean + pr.var_between,
            Some(pr.source.clone()),
            Some(pr.slope),
        ),
        None => (
            "logit_1pt_flat",
            0.0,
            FLAT_SLOPE_SD * FLAT_SLOPE_SD,
            None,
            None,
        ),
    };
    TrendFit {
        model,
        scale: Scale::Logit,
        n_obs: 1,
        anchor_year: p.x[0],
        anchor: p.y[0],
        anchor_var: level_var,
        cov_anchor_slope: 0.0,
        slope,
        slope_var,
        new_var,
        sampling_var: 0.0,
        obs_var: 0.0,
        aged_from: None,
        step_var: 0.0,
        accel: 0.0,
        df: Some(resid.df),
        own_slope: None,
        shrink_weight: Some(0.0),
        prior_source: label,
        prior_slope: pslope,
    }
}

/// Slope sd (logit per year) assumed for a single point with no pool: about the national
/// pace of 2010–2023, so the interval spans "no change" to "twice the national pace".
pub const FLAT_SLOPE_SD: f64 = 0.1;

/// Benchmark models (no pooling of slopes; the pooled residual variance on the model's
/// own scale serves series too short to estimate one).
///
/// * `linear_pp`: OLS on percentage points, t(n − 2) prediction interval as R `lm`.
/// * `cagr` / `rw_drift_logit`: random walk with drift on the log / logit scale, with
///   irregular spacing: drift δ = (y_n − y_1)/(t_n − t_1), step variance
///   σ² = Σ (d_i − δΔ_i)²/Δ_i / (m − 1) over the m increments d_i in Δ_i years;
///   Var(y_{n+h}) = σ² h + σ² h² / (t_n − t_1) (drift uncertainty), t(m − 1).
/// * `drift_pp` ("naive drift"): the same random walk in percentage points, but with the
///   last step's drift δ = (y_n − y_{n−1})/(t_n − t_{n−1}); σ² as above (about the mean
///   drift), Var(y_{n+h}) = σ² h + σ² h² / (t_n − t_{n−1}).
pub fn fit_benchmark(
    kind: ModelKind,
    points: &[TrendPoint],
    resid: &ResidualPrior,
) -> Option<TrendFit> {
    let scale = kind.scale();
    let p = prepare(points, scale);
    let n = p.x.len();
    if n < 2 {
        return None;
    }
    match kind {
        ModelKind::LogitWls | ModelKind::LocalAngular => None,
        ModelKind::LinearPp => {
            let w = vec![1.0; n];
            let line = WlsLine::fit(&p.x, &p.y, &w)?;
            let (s2, df) = if n >= 3 {
                (line.rss / line.df() as f64, line.df() as f64)
            } else {
                (resid.var, resid.df)
            };
            Some(TrendFit {
                scale,
                ..base_fit(kind.name(), n, &line, s2, s2, Some(df))
            })
        }
        ModelKind::Cagr | ModelKind::RwDriftLogit | ModelKind::DriftPp => {
            let span = p.x[n - 1] - p.x[0];
            let mean_drift = (p.y[n - 1] - p.y[0]) / span;
            let drift = if kind == ModelKind::DriftPp {
                (p.y[n - 1] - p.y[n - 2]) / (p.x[n - 1] - p.x[n - 2])
            } else {
                mean_drift
            };
            // The drift's variance: σ²/span for the first-to-last drift, σ²/Δ for the last
            // step's (drift_pp).
            let drift_span = if kind == ModelKind::DriftPp {
                p.x[n - 1] - p.x[n - 2]
            } else {
                span
            };
            let m = n - 1;
            let (s2, df) = if m >= 2 {
                let ss: f64 = (1..n)
                    .map(|i| {
                        let dt = p.x[i] - p.x[i - 1];
                        let d = p.y[i] - p.y[i - 1];
                        (d - mean_drift * dt).powi(2) / dt
                    })
                    .sum();
                (ss / (m - 1) as f64, (m - 1) as f64)
            } else {
                (resid.var, resid.df)
            };
            Some(TrendFit {
                model: kind.name(),
                scale,
                n_obs: n,
                anchor_year: p.x[n - 1],
                anchor: p.y[n - 1],
                anchor_var: 0.0,
                cov_anchor_slope: 0.0,
                slope: drift,
                slope_var: s2 / drift_span,
                new_var: 0.0,
                sampling_var: 0.0,
                obs_var: 0.0,
                aged_from: None,
                step_var: s2,
                accel: 0.0,
                df: Some(df),
                own_slope: Some(drift),
                shrink_weight: None,
                prior_source: None,
                prior_slope: None,
            })
        }
    }
}

/// Residual variance of a benchmark fit on its own scale (for pooling across series):
/// (variance, df), `None` when the series is too short.
pub fn benchmark_residual(kind: ModelKind, points: &[TrendPoint]) -> Option<(f64, f64)> {
    let fit = fit_benchmark(kind, points, &ResidualPrior::FALLBACK)?;
    let own = match kind {
        ModelKind::LinearPp => fit.n_obs >= 3,
        _ => fit.n_obs >= 3,
    };
    if !own {
        return None;
    }
    let df = fit.df?;
    let var = match kind {
        ModelKind::LinearPp => fit.new_var,
        _ => fit.step_var,
    };
    Some((var, df))
}
