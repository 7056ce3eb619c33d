//! The default trend model, `local_angular`: a local level anchored at the latest survey,
//! with a slope pooled down the hierarchy, on the angular scale θ = asin(√p).
//!
//! **Model.** For a jurisdiction j observed at years t₁ < … < t_n (values y_i on the angular
//! scale, survey variances v_i):
//!
//! * observation: y_i = μ(t_i) + ε_i, ε_i ~ N(0, v_i) — the survey's sampling error: from
//!   the published standard error, else imputed at every level
//!   ([`imputed_sampling_var`]: 1/(4n) with the national survey's typical sample n of the
//!   nation, a province, a prefecture or a county);
//! * level: μ(t + Δ) = μ(t) + Δ·β_j + η, η ~ N(0, m_j·q̃·Δ) — a random walk with drift, whose
//!   shocks accumulate over the m_j hierarchy steps between j and the origin of its slope
//!   (a county's path deviates from its prefecture's, which deviates from its province's…);
//! * slope: β_j = β_a + δ_j for the nearest ancestor a with data, δ_j ~ N(0, L·σ̃_d²) over
//!   the L steps up to a; the root's slope is its own recent drift.
//!
//! **Growth that slows with the level.** A constant slope on the angular scale is a logit
//! slope that falls as 1/√(p(1−p)) while p rises — half-way between a constant logit slope
//! and a constant pace in percentage points, and what the rolling-origin backtest of the
//! published series prefers (README, "Backtest"): provinces gain similar percentage points a
//! year at very different levels, and the nation's logit slope has fallen as it rose. The
//! angular scale is also the one on which a proportion's sampling variance, 1/(4n), does not
//! depend on p (Anscombe 1948), which is how the imputed variances are stated.
//!
//! **Variance components** (moments over the panel, [`estimate_noise`]): for every
//! jurisdiction and every interval between two of its consecutive observations covered by the
//! series of an ancestor L steps up, the deviation of its change from the ancestor's change
//! over the same years (ancestor interpolated linearly on the angular scale), per step:
//! x_i = [(y(t_{i+1}) − y(t_i)) − (a(t_{i+1}) − a(t_i))] / √L, over s_i years.
//! * A persistent slope difference makes successive deviations of one jurisdiction covary,
//!   a random-walk level does not, and measurement noise makes them covary negatively:
//!   σ_b² = max(0, mean of (x_i/s_i)(x_{i+1}/s_{i+1})). On the published series it is 0
//!   (a jurisdiction that grew faster than its parent in one interval did not in the next,
//!   over a few dozen pairs); it is floored at [`SLOPE_BETWEEN_FLOOR`].
//! * Var(x_i/s_i) = σ_d² + q/s_i + (v_i + v_{i+1})/s_i²: least squares of
//!   ((x_i² − v_i − v_{i+1})/s_i²) on (1, 1/s_i) with both coefficients ≥ 0 gives the
//!   dispersion σ_d² of an interval's slope around the ancestor's and the level noise q
//!   (floored at [`LEVEL_VAR_MIN`]; [`LEVEL_VAR_FALLBACK`] when there are no deviations).
//! * All three are multiplied by one calibration factor κ ([`LocalConfig::noise_scale`]):
//!   q̃ = κq, σ̃_b² = κ·max(σ_b², [`SLOPE_BETWEEN_FLOOR`]), σ̃_d² = κσ_d².
//!
//! **Tuned settings, chosen nested.** κ, the slope window w, the tail df ν and an
//! acceleration correction a are chosen by [`crate::trend::backtest::choose_settings`] from
//! rolling-origin forecasts already resolved (in the backtest: before each origin; for
//! projections: all of them, the constants [`NOISE_SCALE`], [`WINDOW`], [`TAIL_DF`],
//! [`ACCEL`]). Every forecast h years ahead adds a·h² to its mean: on the published series
//! a > 0 — the nation's angular pace rose from 0.011 a year (2005–10) to 0.018 (2020–25), so
//! a recent-window slope falls short by an amount growing with the horizon.
//!
//! **Slope** (empirical Bayes, the Fay–Herriot algebra): with the ancestor's slope β_a
//! (variance V_a) and the jurisdiction's own angular slope b over its recent window (from its
//! latest observation at or before t_n − w to t_n, w = [`LocalConfig::window`]), whose
//! deviation from the ancestor's change over the same years is d with variance
//! s² = (m_j q̃·span + v_first + v_last)/span², the slope is β_a + γd with
//! γ = σ̃_b²/(σ̃_b² + s²) and variance V_a + γs² + (1 − γ)L·max(σ̃_d², σ̃_b²) — a series with
//! several precise points keeps a visible part of its own pace; the `reason` column reports γ. A jurisdiction with
//! no ancestor series (the nation) takes its own recent drift b, variance s² + σ̃_d²; with a
//! single point and no ancestor, slope 0 with sd [`FLAT_SLOPE_SD_ANGULAR`]
//! (`local_angular_flat`). One point with an ancestor: `local_angular_1pt`.
//!
//! **Level** (a Schmidt–Kalman filter: the slope is a *consider* parameter whose uncertainty
//! is carried but not re-estimated from the jurisdiction's own points, since the pooled slope
//! already holds what they say): state (μ, β) with covariance [[P, C], [C, V]], V fixed.
//! Start at the first point of the window: μ = y, P = v, C = 0. Between points, Δ years:
//! μ ← μ + βΔ, P ← P + 2ΔC + Δ²V + q_jΔ, C ← C + ΔV. At a point with variance v > 0:
//! k = P/(P + v), μ ← μ + k(y − μ), P ← (1 − k)²P + k²v, C ← (1 − k)C (Joseph form);
//! with v = 0: μ = y, P = C = 0. A precise latest value is the anchor; a noisy one moves the
//! level only as far as its variance allows. (Checked against statsmodels' KalmanFilter and
//! against the exact error variance of the estimate: `scripts/reference/local_filter_reference.py`.)
//!
//! **Data age.** When the nearest ancestor a with a series was observed after the series'
//! latest year t₀ (latest year t_k = t₀ + Δ), the level is carried to t_k along the
//! ancestor's realised path, not its current slope: μ(t_k) = μ(t₀) + (a(t_k) − a(t₀)) +
//! Δ·(β_j − β_a), with the deviation's slope variance and the level noise over Δ and the
//! survey variance of the ancestor's two values added ([`TrendFit::aged_from`] keeps t₀;
//! years in between lie on the straight line). Predictions then start at t_k.
//!
//! **Prediction** h years after the last point: mean μ + βh + a·h²; the model part 2hC + h²V + q_jh
//! is Student t with [`LocalConfig::df`] degrees of freedom (heavier tails than the Normal, as
//! the rolling-origin errors are), the filtered level's variance P — survey sampling error,
//! at most the latest value's v — is Normal; the two are combined into one t by the
//! Welch–Satterthwaite approximation ([`crate::trend::TrendFit::predictive`]);
//! back-transformed by p = sin²θ.

use std::collections::HashMap;

use super::dist::Scale;
use super::models::{TrendFit, TrendPoint};
use super::panel::Series;
use super::pool::PriorSource;
use crate::model::Level;

/// Calibrated multiplier κ of the moment estimates of the variance components: the value
/// [`crate::trend::backtest::nested_settings`] chooses from every resolved rolling-origin
/// forecast of the embedded data (a test recomputes it, with [`ACCEL`], [`WINDOW`] and
/// [`TAIL_DF`]).
pub const NOISE_SCALE: f64 = 0.137_512_662_570_065_7;

/// Acceleration correction a (angular scale per year²) chosen by
/// [`crate::trend::backtest::nested_settings`] on the embedded data: the rolling-origin
/// forecasts fell short by about a·h² at horizon h (recent ones weighted more) — growth
/// accelerated on the angular scale from 2005 to 2025.
pub const ACCEL: f64 = 0.000_265_407_560_868_879_07;

/// Slope window (years) chosen by [`crate::trend::backtest::nested_settings`] on the embedded
/// data.
pub const WINDOW: f64 = 5.0;

/// Tail degrees of freedom chosen by [`crate::trend::backtest::nested_settings`] on the
/// embedded data.
pub const TAIL_DF: f64 = 3.0;

/// Floor of the level-noise variance q (angular scale, per year): sd 0.001 per year, about
/// 0.06 percentage points at a level of 10 %.
pub const LEVEL_VAR_MIN: f64 = 1e-6;

/// Level-noise variance used when the panel has no deviations to estimate it from:
/// 1·10⁻⁴ per year, of the order of the estimate from the provinces and cities of the
/// embedded data (0.8·10⁻⁴).
pub const LEVEL_VAR_FALLBACK: f64 = 1e-4;

/// Floor of the persistent between-place slope variance σ_b² (angular scale per year²,
/// before calibration): 1.2·10⁻⁴; after the calibration factor κ ≈ 0.14 it is an sd of about
/// 0.004 per year, about 0.3 percentage points a year at a level of 15 % — a quarter of the
/// nation's pace of 2020–2025 (1.2 pp/yr), the order by which provincial paces differ. A
/// documented floor rather than the moment estimate alone, because that estimate rests on a
/// few dozen pairs of consecutive deviations and is ≤ 0 on the published series (one place,
/// 浙江 before 2010, drives its sign), which would borrow every slope whole and ignore a
/// place's own pace however many surveys it has. With the floor, a series' own deviation
/// counts in proportion to its precision: γ = σ̃_b²/(σ̃_b² + s²). Scaled by κ with the other
/// components, so the calibration still governs the interval widths.
pub const SLOPE_BETWEEN_FLOOR: f64 = 1.2e-4;

/// Slope sd (angular scale, per year) for a single point with no ancestor series: about the
/// national pace of 2010–2023 (0.015/yr), so the interval spans falling to twice that pace.
pub const FLAT_SLOPE_SD_ANGULAR: f64 = 0.02;

/// Settings of `local_angular`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalConfig {
    /// Years of recent growth that define a series' own slope and the points the level filter
    /// runs over (from the latest observation at or before t_n − window). Default [`WINDOW`],
    /// chosen among 3, 5 and 8 inside the rolling-origin backtest.
    pub window: f64,
    /// Degrees of freedom of the Student t predictive distribution (default [`TAIL_DF`]).
    pub df: f64,
    /// Calibration factor κ of the variance components (default [`NOISE_SCALE`]).
    pub noise_scale: f64,
    /// The scale the model is linear on (default [`Scale::Angular`]; [`Scale::Logit`] is the
    /// alternative the nested backtest weighs against it). Constants stated on the angular
    /// scale are converted by [`unit_var`].
    pub scale: Scale,
    /// Slope correction c added to the slope of a series without an ancestor series (and so,
    /// through it, to every slope; model scale per year; default 0). Not tuned: the nested rule
    /// estimates the acceleration `accel` instead (see
    /// [`crate::trend::backtest::correction_form`] for why).
    pub slope_shift: f64,
    /// Acceleration correction a (model scale per year², default [`ACCEL`]): every forecast
    /// h years ahead adds a·h², estimated from past resolved forecasts' errors
    /// ([`crate::trend::backtest::choose_settings`]).
    pub accel: f64,
}

impl Default for LocalConfig {
    fn default() -> Self {
        LocalConfig {
            window: WINDOW,
            df: TAIL_DF,
            noise_scale: NOISE_SCALE,
            scale: Scale::Angular,
            slope_shift: 0.0,
            accel: ACCEL,
        }
    }
}

/// Level at which constants stated on the angular scale are converted to another scale:
/// p = 10 %, about the national level of 2020.
pub const P_REF: f64 = 0.10;

/// (dg/dθ)² at [`P_REF`]: the factor that turns a variance on the angular scale θ into one on
/// scale g near 10 %. dp/dθ = 2√(p(1−p)); logit: dg/dp = 1/(p(1−p)), so (dg/dθ)² =
/// 4/(p(1−p)) = 44.4; angular: 1.
pub fn unit_var(scale: Scale) -> f64 {
    let q = P_REF * (1.0 - P_REF);
    let dp = 2.0 * q.sqrt();
    let dg = match scale {
        Scale::Angular => return 1.0,
        Scale::Logit => 1.0 / q,
        Scale::Log => 1.0 / P_REF,
        Scale::Percent => 100.0,
    };
    (dg * dp).powi(2)
}

/// Moment estimates of the variance components (before calibration).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoiseEstimate {
    /// Level-noise variance q per year (angular scale).
    pub level_var: f64,
    /// Persistent between-jurisdiction slope variance σ_b² (angular scale per year²).
    pub slope_between: f64,
    /// Dispersion σ_d² of a jurisdiction's slope over one interval around its ancestor's.
    pub slope_dispersion: f64,
    /// Number of deviations behind `level_var`.
    pub n_deviations: usize,
    /// Number of consecutive deviation pairs behind `slope_between`.
    pub n_pairs: usize,
}

/// A series on the angular scale: years, values, survey variances (0 when unknown).
struct Angular {
    t: Vec<f64>,
    y: Vec<f64>,
    v: Vec<f64>,
}

impl Angular {
    /// The points on the angular scale; a value without a standard error gets the survey
    /// variance of a proportion from `missing_n` respondents (see [`imputed_sampling_var`];
    /// on the angular scale exactly 1/(4n), on another by the delta method from the binomial
    /// standard error √(p(1−p)/n)).
    fn new(points: &[TrendPoint], missing_n: f64, s: Scale) -> Angular {
        let pts = super::models::clean_points(points);
        Angular {
            t: pts.iter().map(|p| f64::from(p.year)).collect(),
            y: pts.iter().map(|p| s.from_pct(p.value)).collect(),
            v: pts
                .iter()
                .map(|p| match p.se {
                    Some(se) if se > 0.0 && se.is_finite() => s.delta_var(p.value, se),
                    _ => missing_var_on(s, p.value, missing_n),
                })
                .collect(),
        }
    }

    fn len(&self) -> usize {
        self.t.len()
    }

    /// Linear interpolation at year `x`, `None` outside the observed range.
    fn at(&self, x: f64) -> Option<f64> {
        let n = self.len();
        if n == 0 || x < self.t[0] || x > self.t[n - 1] {
            return None;
        }
        let i = self.t.partition_point(|&t| t < x);
        if self.t[i] == x {
            return Some(self.y[i]);
        }
        let (t0, t1) = (self.t[i - 1], self.t[i]);
        Some(self.y[i - 1] + (self.y[i] - self.y[i - 1]) * (x - t0) / (t1 - t0))
    }

    /// Survey variance at year `x`: linear between the two points around it (0 outside).
    fn var_at(&self, x: f64) -> f64 {
        let n = self.len();
        if n == 0 || x < self.t[0] || x > self.t[n - 1] {
            return 0.0;
        }
        let i = self.t.partition_point(|&t| t < x);
        if self.t[i] == x {
            return self.v[i];
        }
        let (t0, t1) = (self.t[i - 1], self.t[i]);
        self.v[i - 1] + (self.v[i] - self.v[i - 1]) * (x - t0) / (t1 - t0)
    }

    /// Change over [x0, x1] when the series covers it.
    fn change(&self, x0: f64, x1: f64) -> Option<f64> {
        Some(self.at(x1)? - self.at(x0)?)
    }

    /// Index of the first point of the recent window: the latest point at or before
    /// t_n − window, else the first point.
    fn window_start(&self, window: f64) -> usize {
        let n = self.len();
        let last = self.t[n - 1];
        (0..n.saturating_sub(1))
            .rev()
            .find(|&i| self.t[i] <= last - window)
            .unwrap_or(0)
    }
}

/// Respondents of the national survey (about 300,000 a year, DESIGN) and the units it is
/// spread over: 419 prefecture-level units, 2,844 county-level units.
pub const NATIONAL_SAMPLE: f64 = 300_000.0;
/// Prefecture-level units of the national survey.
pub const PREFECTURE_UNITS: f64 = 419.0;
/// County-level units of China.
pub const COUNTY_UNITS: f64 = 2_844.0;
/// Provinces of the national survey (31 provincial-level units).
pub const PROVINCE_UNITS: f64 = 31.0;

/// The typical number of respondents behind a published value of one unit of `level` in the
/// national survey, used when a value comes without standard error, interval or sample size:
///
/// | level | respondents |
/// |---|---|
/// | national | 300,000 |
/// | province | 300,000 / 31 ≈ 9,677 |
/// | prefecture | 300,000 / 419 ≈ 716 |
/// | county | 300,000 / 2,844 ≈ 105 |
pub fn default_sample_size(level: Level) -> f64 {
    match level {
        Level::National => NATIONAL_SAMPLE,
        Level::Province => NATIONAL_SAMPLE / PROVINCE_UNITS,
        Level::Prefecture => NATIONAL_SAMPLE / PREFECTURE_UNITS,
        Level::County => NATIONAL_SAMPLE / COUNTY_UNITS,
    }
}

/// Sampling variance on the angular scale given to a value published without a standard
/// error: 1/(4n) — the angular variance of a proportion from n respondents, whatever p
/// (Anscombe 1948) — with n the national survey's typical sample of one unit at that level
/// ([`default_sample_size`]): 300,000 for the nation (8.3·10⁻⁷ rad²), ≈ 9,677 for a
/// province (2.6·10⁻⁵), ≈ 716 for a prefecture (3.5·10⁻⁴), ≈ 105 for a county (2.4·10⁻³).
/// No published figure is an exact anchor; supply a value's standard error to replace the
/// imputed one. When the level is not known, the depth in the registry stands for it
/// (0 nation, 1 province, 2 prefecture, 3 or more county).
pub fn imputed_sampling_var(level: Option<Level>, depth: usize) -> f64 {
    let level = level.unwrap_or(match depth {
        0 => Level::National,
        1 => Level::Province,
        2 => Level::Prefecture,
        _ => Level::County,
    });
    1.0 / (4.0 * default_sample_size(level))
}

/// Sampling variance on scale `s` of a value `pct` from `n` respondents: 1/(4n) on the
/// angular scale, else the delta-method variance of the binomial standard error
/// 100·√(p(1−p)/n) percentage points.
fn missing_var_on(s: Scale, pct: f64, n: f64) -> f64 {
    match s {
        Scale::Angular => 1.0 / (4.0 * n),
        _ => {
            let p = (pct / 100.0).clamp(super::dist::P_FLOOR, 1.0 - super::dist::P_FLOOR);
            s.delta_var(pct, 100.0 * (p * (1.0 - p) / n).sqrt())
        }
    }
}

/// The series of a panel on the angular scale, with their ancestors that have a series
/// (nearest first, with the number of parent links up to each), computed once per panel.
struct Prepared {
    ang: Vec<Angular>,
    ancestors: Vec<Vec<(usize, usize)>>,
}

impl Prepared {
    fn new(series: &[Series], parent_of: &HashMap<String, String>, scale: Scale) -> Prepared {
        let index: HashMap<&str, usize> = series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let mut ang = Vec::with_capacity(series.len());
        let mut ancestors = Vec::with_capacity(series.len());
        for s in series {
            // One walk up the registry gives the ancestors and the depth; bounded by the
            // registry size so that a malformed cycle cannot loop.
            let mut anc = Vec::new();
            let mut steps = 0;
            let mut cur = parent_of.get(&s.id);
            while let Some(p) = cur {
                steps += 1;
                if steps > parent_of.len() {
                    break;
                }
                if let Some(&i) = index.get(p.as_str()) {
                    anc.push((i, steps));
                }
                cur = parent_of.get(p);
            }
            ang.push(Angular::new(
                &s.points,
                1.0 / (4.0 * imputed_sampling_var(s.level, steps)),
                scale,
            ));
            ancestors.push(anc);
        }
        Prepared { ang, ancestors }
    }
}

/// Moment estimates of q, σ_b² and σ_d² from the deviations of every series from its nearest
/// ancestor covering each interval (see the module docs).
pub fn estimate_noise(series: &[Series], parent_of: &HashMap<String, String>) -> NoiseEstimate {
    estimate_noise_on(series, parent_of, Scale::Angular)
}

/// [`estimate_noise`] on `scale` (the floor and fallback of q converted by [`unit_var`]).
pub fn estimate_noise_on(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    scale: Scale,
) -> NoiseEstimate {
    noise_of(&Prepared::new(series, parent_of, scale), scale)
}

fn noise_of(prep: &Prepared, scale: Scale) -> NoiseEstimate {
    let unit = unit_var(scale);
    let ang = &prep.ang;
    // (x, span, v) per interval, grouped by series to pair consecutive ones.
    let mut devs: Vec<(f64, f64, f64)> = Vec::new();
    let (mut pair_sum, mut n_pairs) = (0.0, 0usize);
    for (a, anc) in ang.iter().zip(&prep.ancestors) {
        if a.len() < 2 {
            continue;
        }
        if anc.is_empty() {
            continue;
        }
        let mut prev: Option<(f64, f64)> = None;
        for i in 0..a.len() - 1 {
            let (x0, x1) = (a.t[i], a.t[i + 1]);
            let parent_change = anc
                .iter()
                .find_map(|&(k, links)| Some((ang[k].change(x0, x1)?, links as f64)));
            let Some((pc, links)) = parent_change else {
                prev = None;
                continue;
            };
            let span = x1 - x0;
            // Per hierarchy step: a deviation over `links` steps sums `links` of them.
            let x = ((a.y[i + 1] - a.y[i]) - pc) / links.sqrt();
            devs.push((x, span, a.v[i] + a.v[i + 1]));
            if let Some((px, ps)) = prev {
                pair_sum += (px / ps) * (x / span);
                n_pairs += 1;
            }
            prev = Some((x, span));
        }
    }
    let slope_between = if n_pairs > 0 {
        (pair_sum / n_pairs as f64).max(0.0)
    } else {
        0.0
    };
    // Var(x/s) = σ_d² + q/s (+ v/s²): least squares of (x² − v)/s² on (1, 1/s), both
    // coefficients kept ≥ 0 (when one would be negative it is 0 and the other refitted).
    let (slope_dispersion, level_var) = if devs.is_empty() {
        (0.0, unit * LEVEL_VAR_FALLBACK)
    } else {
        let obs: Vec<(f64, f64)> = devs
            .iter()
            .map(|(x, s, v)| (1.0 / s, (x * x - v) / (s * s)))
            .collect();
        let (d, q) = nonneg_line(&obs);
        (d, q.max(unit * LEVEL_VAR_MIN))
    };
    NoiseEstimate {
        level_var,
        slope_between,
        slope_dispersion,
        n_deviations: devs.len(),
        n_pairs,
    }
}

/// Least squares y = a + b·x over (x, y) with a, b ≥ 0.
fn nonneg_line(obs: &[(f64, f64)]) -> (f64, f64) {
    let n = obs.len() as f64;
    let mean = |f: &dyn Fn(&(f64, f64)) -> f64| obs.iter().map(f).sum::<f64>() / n;
    let (mx, my) = (mean(&|o| o.0), mean(&|o| o.1));
    let sxx: f64 = obs.iter().map(|o| (o.0 - mx).powi(2)).sum();
    let sxy: f64 = obs.iter().map(|o| (o.0 - mx) * (o.1 - my)).sum();
    let through_origin = || {
        let xx: f64 = obs.iter().map(|o| o.0 * o.0).sum();
        let xy: f64 = obs.iter().map(|o| o.0 * o.1).sum();
        (0.0, if xx > 0.0 { (xy / xx).max(0.0) } else { 0.0 })
    };
    let xx: f64 = obs.iter().map(|o| o.0 * o.0).sum();
    if sxx <= 1e-12 * xx {
        // All intervals of one length: q and σ_d² cannot be told apart; all goes to q.
        return through_origin();
    }
    let b = sxy / sxx;
    let a = my - b * mx;
    if b < 0.0 {
        (my.max(0.0), 0.0)
    } else if a < 0.0 {
        through_origin()
    } else {
        (a, b)
    }
}

/// The pooled slope of one series: (β, V, own slope, weight γ, where it came from).
struct SlopeOf {
    slope: f64,
    var: f64,
    own: Option<f64>,
    gamma: f64,
    source: Option<PriorSource>,
    /// Parent links from the jurisdiction up to the series its slope came from (0 for a
    /// series with its own slope and no ancestor series).
    steps: usize,
}

/// Fits `local_angular` to every series of a panel (aligned with `series`).
pub fn fit_local_panel(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &LocalConfig,
) -> (NoiseEstimate, Vec<Option<TrendFit>>) {
    let prep = Prepared::new(series, parent_of, cfg.scale);
    let noise = noise_of(&prep, cfg.scale);
    let unit = unit_var(cfg.scale);
    let q = cfg.noise_scale * noise.level_var;
    let sb2 = cfg.noise_scale * noise.slope_between.max(unit * SLOPE_BETWEEN_FLOOR);
    let sd2 = cfg.noise_scale * noise.slope_dispersion;
    let Prepared { ang, ancestors } = prep;
    // Ancestors before descendants: order by the number of ancestors with a series.
    let mut order: Vec<usize> = (0..series.len()).collect();
    order.sort_by_key(|&i| ancestors[i].len());

    let mut slopes: Vec<Option<SlopeOf>> = (0..series.len()).map(|_| None).collect();
    let mut fits: Vec<Option<TrendFit>> = vec![None; series.len()];
    for &j in &order {
        let a = &ang[j];
        if a.len() == 0 {
            continue;
        }
        let n = a.len();
        let w0 = a.window_start(cfg.window);
        let anc = ancestors[j]
            .iter()
            .copied()
            .find(|&(k, _)| slopes[k].is_some());
        // Hierarchy steps between the jurisdiction and the origin of its slope: each step
        // adds its own level noise and slope dispersion (a unit's path deviates from its
        // parent's, which deviates from its own parent's, …).
        let steps = anc.map_or(0, |(k, links)| {
            links + slopes[k].as_ref().map_or(0, |p| p.steps)
        });
        let qj = q * steps.max(1) as f64;
        // The own recent slope and its variance, when the window spans two points.
        let own = (w0 < n - 1).then(|| {
            let span = a.t[n - 1] - a.t[w0];
            let b = (a.y[n - 1] - a.y[w0]) / span;
            let s2 = (qj * span + a.v[w0] + a.v[n - 1]) / (span * span);
            (b, s2, a.t[w0], a.t[n - 1])
        });
        let slope = match (anc, own) {
            (Some((k, links)), _) => {
                let Some(pa) = slopes[k].as_ref() else {
                    continue;
                };
                let disp = links as f64 * sd2.max(sb2);
                let (gamma, dev, dvar) = match own {
                    Some((b, s2, x0, x1)) if sb2 > 0.0 => {
                        let same = ang[k].change(x0, x1).map(|c| c / (x1 - x0));
                        let d = b - same.unwrap_or(pa.slope);
                        let g = sb2 / (sb2 + s2);
                        (g, d, g * s2 + (1.0 - g) * disp)
                    }
                    _ => (0.0, 0.0, disp),
                };
                SlopeOf {
                    slope: pa.slope + gamma * dev,
                    var: pa.var + dvar,
                    own: own.map(|o| o.0),
                    gamma,
                    source: Some(PriorSource::Ancestor {
                        id: series[k].id.clone(),
                    }),
                    steps,
                }
            }
            (None, Some((b, s2, _, _))) => SlopeOf {
                slope: b + cfg.slope_shift,
                var: s2 + sd2,
                own: Some(b),
                gamma: 1.0,
                source: None,
                steps: 0,
            },
            (None, None) => SlopeOf {
                slope: cfg.slope_shift,
                var: unit * FLAT_SLOPE_SD_ANGULAR * FLAT_SLOPE_SD_ANGULAR,
                own: None,
                gamma: 0.0,
                source: None,
                steps: 0,
            },
        };
        let model = if n >= 2 {
            "local_angular"
        } else if slope.source.is_some() {
            "local_angular_1pt"
        } else {
            "local_angular_flat"
        };
        let level = schmidt_kalman(
            &a.t[w0..],
            &a.y[w0..],
            &a.v[w0..],
            slope.slope,
            slope.var,
            qj,
        );
        // Data age: a series whose latest value is older than its ancestor's latest
        // follows the ancestor's realised change since then plus its own deviation.
        // (The ancestor's own fit carries its level to its own ancestor's latest year when it
        // is itself older; its anchor is where the realised path ends.)
        let aged = anc.and_then(|(k, _)| {
            let pa = slopes[k].as_ref()?;
            let fk = fits[k].as_ref()?;
            let (t0, tk) = (a.t[n - 1], fk.anchor_year);
            if tk <= t0 {
                return None;
            }
            let from = ang[k].at(t0)?;
            let parent_var = ang[k].var_at(t0) + fk.anchor_var;
            let r = age_forward(
                &level,
                &slope,
                pa,
                fk.anchor - from,
                tk - t0,
                qj,
                parent_var,
            );
            Some((t0, tk, r))
        });
        let (anchor_year, anchor, anchor_var, cov, sampling, aged_from) = match aged {
            Some((t0, tk, r)) => (tk, r.mean, r.var, r.cov, r.sampling, Some((t0, level.mean))),
            None => (
                a.t[n - 1],
                level.mean,
                level.var,
                level.cov,
                level.var,
                None,
            ),
        };
        fits[j] = Some(TrendFit {
            model: model.to_string(),
            scale: cfg.scale,
            n_obs: n,
            anchor_year,
            anchor,
            anchor_var,
            cov_anchor_slope: cov,
            slope: slope.slope,
            slope_var: slope.var,
            new_var: 0.0,
            sampling_var: sampling,
            aged_from,
            step_var: qj,
            accel: cfg.accel,
            df: Some(cfg.df),
            own_slope: slope.own,
            shrink_weight: slope.source.as_ref().map(|_| slope.gamma),
            prior_source: slope.source.clone(),
            prior_slope: slope
                .source
                .as_ref()
                .and(anc)
                .and_then(|(k, _)| slopes[k].as_ref())
                .map(|p| p.slope),
        });
        slopes[j] = Some(slope);
    }
    (noise, fits)
}

/// The level carried from a series' latest value (year t₀) to its ancestor's latest year
/// t_k = t₀ + Δ along the ancestor's realised path.
struct Aged {
    mean: f64,
    var: f64,
    cov: f64,
    sampling: f64,
}

/// Data age (module docs): μ' = μ + (a(t_k) − a(t₀)) + Δ·(β − β_a), the ancestor's realised
/// change plus the deviation slope's; the deviation's variance V_d = V − V_a (what the
/// series adds to its ancestor's slope variance) replaces the ancestor's slope error over
/// Δ: P' = P + v_a + 2Δ·C·V_d/V + Δ²V_d + q_j·Δ, C' = C + Δ·V_d, where v_a, the survey
/// variance of the ancestor's two values (interpolated at t₀), joins the Normal part.
fn age_forward(
    level: &FilteredLevel,
    slope: &SlopeOf,
    parent: &SlopeOf,
    change: f64,
    delta: f64,
    qj: f64,
    parent_var: f64,
) -> Aged {
    let vd = (slope.var - parent.var).max(0.0);
    let c_dev = if slope.var > 0.0 {
        level.cov * vd / slope.var
    } else {
        0.0
    };
    Aged {
        mean: level.mean + change + delta * (slope.slope - parent.slope),
        var: level.var + parent_var + 2.0 * delta * c_dev + delta * delta * vd + qj * delta,
        cov: level.cov + delta * vd,
        sampling: level.var + parent_var,
    }
}

/// The filtered level at the last point: mean, variance and covariance with the slope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FilteredLevel {
    /// Filtered level at the last point, on the scale of the input values.
    pub mean: f64,
    /// Its variance.
    pub var: f64,
    /// Covariance of the level with the slope.
    pub cov: f64,
}

/// The Schmidt–Kalman level filter of the module docs over points (t, y, v), with the
/// slope `beta` a consider parameter of variance `slope_var` and level noise `q` per year.
/// Empty input gives a NaN level.
pub fn schmidt_kalman(
    t: &[f64],
    y: &[f64],
    v: &[f64],
    beta: f64,
    slope_var: f64,
    q: f64,
) -> FilteredLevel {
    let Some((&t0, &y0)) = t.first().zip(y.first()) else {
        return FilteredLevel {
            mean: f64::NAN,
            var: f64::NAN,
            cov: f64::NAN,
        };
    };
    let (mut m, mut p, mut c) = (y0, v.first().copied().unwrap_or(0.0), 0.0);
    let mut prev = t0;
    for i in 1..t.len().min(y.len()).min(v.len()) {
        let d = t[i] - prev;
        m += beta * d;
        p += 2.0 * d * c + d * d * slope_var + q * d;
        c += d * slope_var;
        let r = v[i];
        if r > 0.0 {
            let k = p / (p + r);
            m += k * (y[i] - m);
            p = (1.0 - k) * (1.0 - k) * p + k * k * r;
            c *= 1.0 - k;
        } else {
            m = y[i];
            p = 0.0;
            c = 0.0;
        }
        prev = t[i];
    }
    FilteredLevel {
        mean: m,
        var: p,
        cov: c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two exact points: the level is the latest value; a noisy third point moves it by
    /// k = P/(P + v) with P = 2²V + 2q (no cross term at an exact point).
    #[test]
    fn filter_by_hand() {
        let (beta, vb, q) = (0.015, 1e-5, 2e-5);
        let f = schmidt_kalman(&[2018.0, 2020.0], &[0.30, 0.33], &[0.0, 0.0], beta, vb, q);
        assert_eq!((f.mean, f.var, f.cov), (0.33, 0.0, 0.0));
        let v3 = 0.004;
        let f = schmidt_kalman(
            &[2018.0, 2020.0, 2022.0],
            &[0.30, 0.33, 0.40],
            &[0.0, 0.0, v3],
            beta,
            vb,
            q,
        );
        let p = 4.0 * vb + 2.0 * q; // 8e-5
        let c = 2.0 * vb;
        let k = p / (p + v3);
        let m = 0.33 + 2.0 * beta;
        assert!((f.mean - (m + k * (0.40 - m))).abs() < 1e-15);
        assert!((f.var - ((1.0 - k).powi(2) * p + k * k * v3)).abs() < 1e-18);
        assert!((f.cov - (1.0 - k) * c).abs() < 1e-18);
    }

    #[test]
    fn window_start_is_latest_point_at_or_before_the_window() {
        let a = Angular::new(
            &[
                TrendPoint {
                    year: 2010,
                    value: 3.0,
                    se: None,
                },
                TrendPoint {
                    year: 2015,
                    value: 6.0,
                    se: None,
                },
                TrendPoint {
                    year: 2018,
                    value: 8.0,
                    se: None,
                },
                TrendPoint {
                    year: 2020,
                    value: 10.0,
                    se: None,
                },
            ],
            1e12,
            Scale::Angular,
        );
        assert_eq!(a.window_start(5.0), 1);
        assert_eq!(a.window_start(1.0), 2);
        assert_eq!(a.window_start(20.0), 0);
    }

    /// A value without se from n respondents: angular 1/(4n) exactly; logit by the delta
    /// method, se² /(p(1−p))² with se² = p(1−p)/n, i.e. 1/(n·p(1−p)): n = 1000, p = 0.1 →
    /// 1/90 = 0.011111. unit_var(logit) = (dlogit/dθ)² at 10 % = 4/(0.1·0.9) = 44.444.
    #[test]
    fn sampling_variance_and_unit_conversion_by_hand() {
        assert_eq!(missing_var_on(Scale::Angular, 10.0, 1000.0), 1.0 / 4000.0);
        assert!((missing_var_on(Scale::Logit, 10.0, 1000.0) - 1.0 / 90.0).abs() < 1e-12);
        assert_eq!(unit_var(Scale::Angular), 1.0);
        assert!((unit_var(Scale::Logit) - 4.0 / 0.09).abs() < 1e-9);
    }
}
