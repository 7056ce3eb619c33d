//! The default trend model, `local_angular`: a local level anchored at the latest survey,
//! with a slope pooled down the hierarchy, on the angular scale θ = asin(√p).
//!
//! **Model.** For a jurisdiction j observed at years t₁ < … < t_n (values y_i on the angular
//! scale, survey variances v_i):
//!
//! * observation: y_i = μ(t_i) + ε_i, ε_i ~ N(0, v_i) — the survey's sampling error: from
//!   the published standard error, else imputed at every level
//!   ([`imputed_sampling_var`]: 1/(4n) with the typical sample n of the nation, a province,
//!   a prefecture or a county in the national survey of that year);
//! * level: μ(t + Δ) = μ(t) + Δ·β_j + η, η ~ N(0, q_j·Δ), q_j = q̃₀ + (m_j − 1)·q̃ (q̃₀ the
//!   top series' level noise, which every place below shares; m_j ≥ 1) — a random walk with
//!   drift, whose shocks accumulate over the m_j hierarchy steps between j and the origin of
//!   its slope (a county's path deviates from its prefecture's, which deviates from its
//!   province's…);
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
//! over the same years (ancestor interpolated linearly on the angular scale) carried to the
//! jurisdiction's level on the transfer scale g_λ ([`super::transfer`]: the factor r at the
//! interval's midpoint; λ estimated from the panel), per step:
//! x_i = [(y(t_{i+1}) − y(t_i)) − r_i·(a(t_{i+1}) − a(t_i))] / √L, over s_i years.
//! * A persistent slope difference makes successive deviations of one jurisdiction covary,
//!   a random-walk level does not, and measurement noise makes them covary negatively:
//!   σ_b² = max(0, mean of (x_i/s_i)(x_{i+1}/s_{i+1})). On the published series it is 0
//!   (a jurisdiction that grew faster than its parent in one interval did not in the next,
//!   over a few dozen pairs); its calibrated value is floored at [`SLOPE_BETWEEN_FLOOR`].
//! * Var(x_i/s_i) = σ_d² + q/s_i + (v_i + v_{i+1})/s_i²: least squares of
//!   ((x_i² − v_i − v_{i+1})/s_i²) on (1, 1/s_i) with both coefficients ≥ 0 gives the
//!   dispersion σ_d² of an interval's slope around the ancestor's and the level noise q
//!   (floored at [`LEVEL_VAR_MIN`]; [`LEVEL_VAR_FALLBACK`] when there are no deviations).
//! * All three are multiplied by one calibration factor κ ([`LocalConfig::noise_scale`];
//!   for a series without an ancestor series its own κ₀, [`LocalConfig::root_scale`]):
//!   q̃ = κq, σ̃_d² = κ·max(σ_d², σ_b²) (the dispersion of an interval's slope is at least its
//!   persistent part), and the persistent part used in the slope's shrinkage weight and
//!   spread σ̃_b² = max(κσ_b², [`SLOPE_BETWEEN_FLOOR`]) (a floor on the calibrated scale).
//!
//! **Tuned settings, chosen nested.** κ, the tail df ν and an acceleration correction a are
//! chosen by [`crate::trend::backtest::choose_settings`] from rolling-origin forecasts
//! already resolved (in the backtest: before each origin; for projections: all of them, the
//! constants [`NOISE_SCALE`], [`TAIL_DF`], [`ACCEL`]); κ and ν only from forecasts of the
//! current survey era. The slope window w ([`WINDOW`]) is one plan period, fixed a priori. Every forecast h years ahead adds a·h² to its mean: on the published series
//! a > 0 — the nation's angular pace rose from 0.011 a year (2005–10) to 0.018 (2020–25), so
//! a recent-window slope falls short by an amount growing with the horizon.
//!
//! **Slope** (empirical Bayes, the Fay–Herriot algebra): with the ancestor's slope β_a
//! (variance V_a) and the jurisdiction's own angular slope b over its recent window (from its
//! latest observation at or before t_n − w to t_n, w = [`LocalConfig::window`]), whose
//! deviation from the ancestor's change over the same years is d with variance
//! s² = (q_j·span + v_first + v_last)/span², the slope is r·β_a + γd (r carries the
//! ancestor's pace to the jurisdiction's latest level, [`super::transfer`]) with
//! γ = P·γ_s, γ_s = σ̃_b²/(σ̃_b² + s²), and variance r²V_a + L·σ̃_d² + P·γ_s·s² +
//! P(1 − P)(γ_s·d)² — the interval dispersion of the years ahead and the posterior variance
//! of the persistent difference — where P = P(slab | d) is the posterior weight of a
//! persistent difference under a spike-and-slab prior ([`super::slab`]: π estimated for the
//! places directly below the top series, 1 further down); without an own slope the variance
//! is r²V_a + L·(σ̃_d² + π·σ̃_b²), the prior's — a series whose own pace departs from its parent's by many standard errors keeps
//! a visible part of it, one within survey error mostly not; the `reason` column reports γ. A jurisdiction with
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
//! ancestor's realised path, not its current slope: μ(t_k) = μ(t₀) + c(a(t₀) → a(t_k)) +
//! Δ·(β_j − r·β_a) + Π̂ (c the change carried to the series' level on the transfer scale,
//! [`super::transfer::Transfer::carry`]), with the deviation's slope variance and the level
//! noise over Δ and the survey variance of the ancestor's two values (times r²) added
//! ([`TrendFit::aged_from`] keeps t₀ and the carried path of the years in between:
//! m₀ + c(a(t₀) → a(t)) + (t − t₀)(β_j − r·β_a) +
//! Σ_{t₀<u≤t} π̂_u, their variances growing in proportion from the level's at t₀). Π̂ =
//! Σ_{t₀<t≤t_k} π̂_t is the siblings' common deviation over the carried years: how far, year
//! by year, the other series below a moved from a's path (a random walk estimated from
//! their intervals, τ² by leave-one-place-out cross-validation: [`super::period`]; 0
//! outside the years their values span),
//! with its variance Var Π̂ added. Children share period effects the
//! parent's path does not show — every province with figures for 2020 and 2022 gained less
//! on the angular scale than the nation did — and following the parent alone carried every
//! old provincial value too high (README, "Backtest"). An ancestor that is itself carried
//! lends its carried line for the years after its own latest value. Predictions then start
//! at t_k.
//!
//! **Prediction** h years after the last point: mean μ + βh + a·h²; the model part 2hC + h²V + q_jh
//! is Student t with [`LocalConfig::df`] degrees of freedom (heavier tails than the Normal, as
//! the rolling-origin errors are), the filtered level's variance P — survey sampling error,
//! at most the latest value's v — is Normal; the two are combined into one t by the
//! Welch–Satterthwaite approximation ([`crate::trend::TrendFit::predictive`]);
//! back-transformed by p = sin²θ. That is the level's distribution (`p_reach`, candidate
//! targets). A value a survey will *publish* also carries that survey's sampling error:
//! its intervals (`project`, the assessment, the charts, the backtest) add the latest
//! value's v as v_new to the Normal part, y = μ + ε
//! ([`crate::trend::TrendFit::predictive_published`]).

use std::collections::HashMap;

use super::angular::{Angular, Prepared};
use super::dist::Scale;
use super::fit::{AgedFrom, Series, TrendFit};
use super::hierarchy::Hierarchy;
use super::noise::noise_of;
use super::period::{PeriodEffect, Siblings};
use super::pool::PriorSource;
use super::slab::{first_tier, slab_shrink, slab_weight};
use super::transfer::Transfer;

// The parts of `local_angular` in their own files, under the paths `trend::local::…`.
pub use super::filter::{schmidt_kalman, FilteredLevel};
pub use super::noise::{
    estimate_noise, estimate_noise_on, NoiseEstimate, LEVEL_VAR_FALLBACK, LEVEL_VAR_MIN,
};
pub use super::sampling::{
    default_sample_size, imputed_sampling_var, level_or_depth, national_sample, unit_var,
    COUNTY_UNITS, FULL_COVERAGE_YEAR, NATIONAL_SAMPLES, PREFECTURE_UNITS, PROVINCE_UNITS, P_REF,
};

/// Calibrated multiplier κ of the moment estimates of the variance components: the value
/// [`crate::trend::backtest::nested_settings`] chooses from every resolved rolling-origin
/// forecast of the embedded data (a test recomputes it, with [`ACCEL`], [`WINDOW`] and
/// [`TAIL_DF`]). On the embedded data it is the bottom of the range searched (10⁻⁶): with
/// changes carried on the estimated transfer scale, the provinces' 80 % intervals held every
/// resolved forecast with the model part gone, on their survey error and the slope prior alone.
pub const NOISE_SCALE: f64 = 1.000_000_000_000_000_4e-6;

/// Calibrated multiplier κ₀ for the series without an ancestor series (the nation in the
/// embedded data): chosen like [`NOISE_SCALE`] from those series' resolved forecasts only.
pub const ROOT_NOISE_SCALE: f64 = 2.177_217_837_566_254_8;

/// Acceleration correction a (angular scale per year²) chosen by
/// [`crate::trend::backtest::nested_settings`] on the embedded data: the rolling-origin
/// forecasts fell short by about a·h² at horizon h (recent ones weighted more) — growth
/// accelerated on the angular scale from 2005 to 2025.
pub const ACCEL: f64 = 0.000_264_984_638_617_823_56;

/// Slope window (years): one five-year plan period, fixed a priori (the plans, their
/// baselines and the `logit_wls` recency weights all think in five-year periods). Not tuned:
/// choosing it among 3, 5 and 8 years by past error picked 8 at the 2010–2018 origins,
/// where the 1996–2007 national figures' dip (1.98 % in 2003, 1.6 % in 2005) made the longer
/// window look safer, and every forecast of 2010–2025 from those origins came out too low
/// (README, "Backtest").
pub const WINDOW: f64 = 5.0;

/// Tail degrees of freedom chosen by [`crate::trend::backtest::nested_settings`] on the
/// embedded data.
pub const TAIL_DF: f64 = 10.0;

/// First origin year of the survey era the backtest scores by default and `local_angular`'s
/// variance is calibrated on: the national survey of 2010 (the 8th) is the first of the series
/// the official statistics treat as comparable, with 68,416 valid respondents against 8,474 in
/// 2003 (published counts, `shared/data/national.csv`; 289,000–309,800 in 2020–2023); the
/// 1996–2007 figures come from surveys a tenth the size and move by more than the later ones
/// (1.98 % in 2003, 1.6 % in 2005). Forecasts made from those years say how noisy that era
/// was, not how far today's forecasts miss.
pub const SURVEY_ERA_START: i32 = 2010;

/// The tail degrees of freedom among which the nested backtest chooses.
pub const TAIL_DFS: [f64; 4] = [3.0, 4.0, 6.0, 10.0];

/// Half-life (years) of the weight a resolved forecast gets in [`crate::trend::backtest::choose_settings`]: one
/// resolved a years before the origin counts 0.5^(a/5) — one five-year plan period counts
/// half, as in the recency weights of `logit_wls`.
pub const RESOLVED_HALF_LIFE: f64 = 5.0;

/// Floor of the calibrated persistent between-place slope variance σ̃_b² (angular scale per
/// year²): 0.0027², an sd of 0.0027 a year — about 0.2 percentage points a year at a level of
/// 15 %, a sixth of the nation's pace of 2020–2025 (1.2 pp/yr), the order by which provincial
/// paces differ: σ̃_b² = max(κσ_b², floor), the slab of the own-slope prior ([`super::slab`]:
/// γ = P(slab | d)·σ̃_b²/(σ̃_b² + s²), and the posterior variance of the persistent
/// difference, π·σ̃_b² for a place without an own slope). A prefecture (π = 1) whose own slope spans seven years between
/// two values of the national survey's prefecture sample (v ≈ 3.6·10⁻⁴ each,
/// s² ≈ 2v/7² = 1.5·10⁻⁵) keeps about a third of its own pace (γ ≈ 0.33); a province
/// (v ≈ 2.7·10⁻⁵) up to four fifths when its departure is significant. A documented floor rather than the
/// moment estimate alone, because that estimate rests on a few dozen pairs of consecutive
/// deviations and is ≤ 0 on the published series (their deviations are mostly survey error,
/// which makes consecutive ones covary negatively), which would borrow every slope whole and
/// ignore a place's own pace however many surveys it has. Stated on the calibrated scale, so
/// the weight does not move with κ.
pub const SLOPE_BETWEEN_FLOOR: f64 = 7.29e-6;

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
    /// Calibration factor κ₀ of the variance components for a series without an ancestor
    /// series — the top of the panel, whose slope is its own recent drift (default
    /// [`ROOT_NOISE_SCALE`]).
    pub root_scale: f64,
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
    /// The transfer scale λ on which a parent's change carries to a child
    /// ([`super::transfer`]); `None` (the default) estimates it from the panel.
    pub transfer: Option<f64>,
}

impl Default for LocalConfig {
    fn default() -> Self {
        LocalConfig {
            window: WINDOW,
            df: TAIL_DF,
            noise_scale: NOISE_SCALE,
            root_scale: ROOT_NOISE_SCALE,
            scale: Scale::Angular,
            slope_shift: 0.0,
            accel: ACCEL,
            transfer: None,
        }
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
    /// The factor r its ancestor's changes and slope carry to it by ([`super::transfer`]; 1
    /// without an ancestor).
    ratio: f64,
}

/// Fits `local_angular` to every series of a panel (aligned with `series`); `parent_of` is the
/// registry's id → parent map.
pub fn fit_local_panel(
    series: &[Series],
    parent_of: &HashMap<String, String>,
    cfg: &LocalConfig,
) -> (NoiseEstimate, Vec<Option<TrendFit>>) {
    fit_local(series, &Hierarchy::new(parent_of), cfg)
}

/// The calibrated variance components of a panel: level noise q̃, persistent slope
/// difference σ̃_b² (floored) and interval slope dispersion σ̃_d² (module docs).
#[derive(Debug, Clone, Copy)]
struct Components {
    q: f64,
    sb2: f64,
    sd2: f64,
}

/// [`fit_local_panel`] on a [`Hierarchy`].
pub fn fit_local(
    series: &[Series],
    hierarchy: &Hierarchy,
    cfg: &LocalConfig,
) -> (NoiseEstimate, Vec<Option<TrendFit>>) {
    let prep = Prepared::new(series, hierarchy, cfg.scale, cfg.transfer);
    let noise = noise_of(&prep, cfg.scale);
    let unit = unit_var(cfg.scale);
    let comp_at = |kappa: f64| Components {
        q: kappa * noise.level_var,
        sb2: (kappa * noise.slope_between).max(unit * SLOPE_BETWEEN_FLOOR),
        sd2: kappa * noise.slope_dispersion.max(noise.slope_between),
    };
    let (comp, root) = (comp_at(cfg.noise_scale), comp_at(cfg.root_scale));
    let mut siblings = Siblings::new(&prep, (comp.q, comp.sd2, unit), SURVEY_ERA_START);
    let top_slab = slab_weight(&first_tier(&prep, comp.q, SURVEY_ERA_START), comp.sb2);
    let Prepared {
        ang,
        ancestors,
        transfer,
        ..
    } = prep;
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
        // A series without an ancestor series has its own calibration factor κ₀; below it the
        // level noise is the top's (which every place below shares) plus one unit of the
        // deviations' per further step: q_j = q̃₀ + (m_j − 1)·q̃.
        let c = if anc.is_some() { &comp } else { &root };
        let qj = root.q + comp.q * steps.saturating_sub(1) as f64;
        let parent = anc.and_then(|a| Parent::of(a, &slopes, &ang, series, (top_slab, transfer)));
        let slope = slope_of(a, w0, qj, parent, steps, c, cfg);
        let model = model_name(n, slope.source.is_some());
        let level = schmidt_kalman(
            &a.t[w0..],
            &a.y[w0..],
            &a.v[w0..],
            slope.slope,
            slope.var,
            qj,
        );
        let aged = anc.and_then(|(k, _)| {
            let path = AncestorPath {
                transfer,
                slope: slopes[k].as_ref()?,
                fit: fits[k].as_ref()?,
                ang: &ang[k],
            };
            let effect = siblings.effect(&ang, k, j, path.fit.anchor_year);
            aged_level(a, &level, &slope, &path, qj, effect)
        });
        let r = aged.unwrap_or_else(|| Aged::latest(&level, a.t[n - 1]));
        let prior_slope = slope.source.as_ref().and(anc);
        let prior_slope = prior_slope.and_then(|(k, _)| slopes[k].as_ref().map(|p| p.slope));
        fits[j] = Some(TrendFit {
            model,
            scale: cfg.scale,
            n_obs: n,
            anchor_year: r.tk,
            anchor: r.mean,
            anchor_var: r.var,
            cov_anchor_slope: r.cov,
            slope: slope.slope,
            slope_var: slope.var,
            new_var: 0.0,
            sampling_var: r.sampling,
            obs_var: a.v_next,
            aged_from: r.aged_from(&level),
            step_var: qj,
            accel: cfg.accel,
            df: Some(cfg.df),
            own_slope: slope.own,
            shrink_weight: slope.source.as_ref().map(|_| slope.gamma),
            prior_source: slope.source.clone(),
            prior_slope,
        });
        slopes[j] = Some(slope);
    }
    (noise, fits)
}

/// The model's name for a fit from `n` own points: `local_angular` (two or more),
/// `local_angular_1pt` (one point and a borrowed slope), `local_angular_flat` (one point, no
/// slope to borrow).
fn model_name(n: usize, borrowed: bool) -> &'static str {
    if n >= 2 {
        "local_angular"
    } else if borrowed {
        "local_angular_1pt"
    } else {
        "local_angular_flat"
    }
}

/// The nearest ancestor of a series whose slope is known: its slope, its series on the
/// model scale, its id and the parent links up to it.
struct Parent<'a> {
    slope: &'a SlopeOf,
    ang: &'a Angular,
    id: &'a str,
    links: usize,
    /// Prior slab weight π of the persistent slope difference below it ([`super::slab`]): the
    /// estimated one below the top series, else 1.
    slab: f64,
    /// How its changes carry to the series below ([`super::transfer`]).
    transfer: Transfer,
}

impl<'a> Parent<'a> {
    /// Series `k`, `links` parent links up, as a parent: `None` while its slope is unknown
    /// (ancestors are fitted first).
    /// `top_slab` is π for the places directly below a top series.
    fn of(
        (k, links): (usize, usize),
        slopes: &'a [Option<SlopeOf>],
        ang: &'a [Angular],
        series: &'a [Series],
        (top_slab, transfer): (f64, Transfer),
    ) -> Option<Parent<'a>> {
        let slope = slopes[k].as_ref()?;
        Some(Parent {
            slope,
            ang: &ang[k],
            id: &series[k].id,
            links,
            transfer,
            slab: if slope.source.is_none() {
                top_slab
            } else {
                1.0
            },
        })
    }
}

/// The slope of series `a` (window from point `w0`, level noise `qj`, `steps` hierarchy steps
/// below the origin of its slope): its nearest ancestor with a slope `parent` plus γ times its
/// own recent deviation, else its own recent drift, else flat (module docs, "Slope").
fn slope_of(
    a: &Angular,
    w0: usize,
    qj: f64,
    parent: Option<Parent>,
    steps: usize,
    comp: &Components,
    cfg: &LocalConfig,
) -> SlopeOf {
    let n = a.len();
    let unit = unit_var(cfg.scale);
    // The own recent slope and its variance, when the window spans two points.
    let own = (w0 < n - 1).then(|| {
        let span = a.t[n - 1] - a.t[w0];
        let b = (a.y[n - 1] - a.y[w0]) / span;
        let s2 = (qj * span + a.v[w0] + a.v[n - 1]) / (span * span);
        (b, s2, a.t[w0], a.t[n - 1])
    });
    match (parent, own) {
        (Some(p), _) => {
            let pa = p.slope;
            // The parent's pace carried to the series' level: r at both latest values (the
            // parent's at the series' latest year when it covers it).
            let (tn, yn) = (a.t[n - 1], a.y[n - 1]);
            let parent_now = p.ang.at(tn).or(p.ang.y.last().copied());
            let r = parent_now.map_or(1.0, |y| p.transfer.ratio(yn, y));
            // The interval dispersion of the years ahead, then the posterior of the persistent
            // difference under the spike-and-slab prior (super::slab).
            let links = p.links as f64;
            let (gamma, dev, dvar) = match own {
                Some((b, s2, x0, x1)) if comp.sb2 > 0.0 => {
                    let same = p.ang.at(x0).zip(p.ang.at(x1));
                    let same = same.map(|(p0, p1)| p.transfer.carry(a.y[w0], p0, p1) / (x1 - x0));
                    let d = b - same.unwrap_or(r * pa.slope);
                    let (g, var) = slab_shrink(d, s2, comp.sb2, p.slab);
                    (g, d, links * comp.sd2 + var)
                }
                _ => (0.0, 0.0, links * (comp.sd2 + p.slab * comp.sb2)),
            };
            SlopeOf {
                slope: r * pa.slope + gamma * dev,
                var: r * r * pa.var + dvar,
                ratio: r,
                own: own.map(|o| o.0),
                gamma,
                source: Some(PriorSource::Ancestor {
                    id: p.id.to_string(),
                }),
                steps,
            }
        }
        (None, Some((b, s2, _, _))) => SlopeOf {
            slope: b + cfg.slope_shift,
            var: s2 + comp.sd2,
            own: Some(b),
            gamma: 1.0,
            source: None,
            steps: 0,
            ratio: 1.0,
        },
        (None, None) => SlopeOf {
            slope: cfg.slope_shift,
            var: unit * FLAT_SLOPE_SD_ANGULAR * FLAT_SLOPE_SD_ANGULAR,
            own: None,
            gamma: 0.0,
            source: None,
            steps: 0,
            ratio: 1.0,
        },
    }
}

/// The nearest ancestor with a series, as the path a series older than it is carried along.
struct AncestorPath<'a> {
    transfer: Transfer,
    slope: &'a SlopeOf,
    fit: &'a TrendFit,
    ang: &'a Angular,
}

/// Data age: a series whose latest value (year t₀) is older than its ancestor's latest year
/// t_k follows the ancestor's realised change since then, the siblings' common deviation
/// over those years (`effect`, [`PeriodEffect`]) and its own deviation slope
/// ([`age_forward`]): the carried level, `None` when the series is not older or
/// the ancestor's series does not cover t₀. (The ancestor's own fit carries its level to its
/// own ancestor's latest year when it is itself older; its anchor is where the realised path
/// ends.) The carried path of the years in between: m₀ + (a(t) − a(t₀)) + (t − t₀)(β − β_a)
/// + Σ_{t₀<u≤t} π̂_u.
fn aged_level(
    a: &Angular,
    level: &FilteredLevel,
    slope: &SlopeOf,
    path: &AncestorPath,
    qj: f64,
    effect: Option<&PeriodEffect>,
) -> Option<Aged> {
    let (t0, tk) = (a.t[a.len() - 1], path.fit.anchor_year);
    if tk <= t0 {
        return None;
    }
    // The ancestor's level in a year: its series, else (after its own latest value, before
    // the year it is itself carried to) its own carried path.
    let ancestor_at = |t: f64| {
        path.ang.at(t).or_else(|| {
            let from_year = path.fit.aged_from.as_ref()?.t0;
            (t >= from_year).then(|| path.fit.parts(t as i32).0)
        })
    };
    let from = ancestor_at(t0)?;
    let common = |t: f64| effect.map_or((0.0, 0.0), |e| e.sum(t0, t));
    let r = slope.ratio;
    let own = slope.slope - r * path.slope.slope;
    let carried_path = (1..)
        .map(|i| t0 + f64::from(i))
        .take_while(|&t| t < tk)
        .map(|t| {
            let to =
                ancestor_at(t).unwrap_or(from + (t - t0) / (tk - t0) * (path.fit.anchor - from));
            let change = path.transfer.carry(level.mean, from, to);
            level.mean + change + (t - t0) * own + common(t).0
        })
        .collect();
    let carry = Carry {
        change: path.transfer.carry(level.mean, from, path.fit.anchor),
        delta: tk - t0,
        qj,
        parent_var: r * r * (path.ang.var_at(t0) + path.fit.anchor_var),
        common: common(tk),
    };
    let mut aged = age_forward(level, slope, path.slope, &carry);
    (aged.t0, aged.tk, aged.path) = (t0, tk, carried_path);
    Some(aged)
}

/// What carries a level along its ancestor's path: the ancestor's realised change a(t_k) −
/// a(t₀) over Δ = t_k − t₀ years, the level noise q_j, the survey variance v_a of the
/// ancestor's two values, and the siblings' common deviation over those years
/// (Σ π̂_t, its variance).
struct Carry {
    change: f64,
    delta: f64,
    qj: f64,
    parent_var: f64,
    common: (f64, f64),
}

/// The level carried from a series' latest value (year t₀) to its ancestor's latest year
/// t_k = t₀ + Δ along the ancestor's realised path.
struct Aged {
    /// The series' latest year t₀ and the year t_k it is carried to (t₀ when not carried).
    t0: f64,
    tk: f64,
    mean: f64,
    var: f64,
    cov: f64,
    sampling: f64,
    /// The carried level in the years between ([`crate::trend::AgedFrom::path`]).
    path: Vec<f64>,
}

/// Data age (module docs): μ' = μ + c + Δ·(β − r·β_a) + Π̂, the ancestor's realised change
/// carried to the series' level (c, [`super::transfer::Transfer::carry`]) plus the own
/// deviation slope's and the siblings' common deviation over the carried years,
/// Π̂ = Σ_{t₀<t≤t_k} π̂_t; the deviation's variance V_d = V − r²·V_a (what the series adds to
/// its carried ancestor's slope variance) replaces the ancestor's slope error over
/// Δ: P' = P + r²·v_a + Var Π̂ + 2Δ·C·V_d/V + Δ²·V_d + q_j·Δ, C' = C + Δ·V_d, where v_a, the
/// survey variance of the ancestor's two values (interpolated at t₀), and Var Π̂ (the
/// siblings' survey errors, mostly) join the Normal part.
fn age_forward(level: &FilteredLevel, slope: &SlopeOf, parent: &SlopeOf, c: &Carry) -> Aged {
    let (delta, (pi, pi_var)) = (c.delta, c.common);
    let r = slope.ratio;
    let vd = (slope.var - r * r * parent.var).max(0.0);
    let c_dev = if slope.var > 0.0 {
        level.cov * vd / slope.var
    } else {
        0.0
    };
    let sampling = level.var + c.parent_var + pi_var;
    Aged {
        mean: level.mean + c.change + delta * (slope.slope - r * parent.slope) + pi,
        var: sampling + 2.0 * delta * c_dev + delta * delta * vd + c.qj * delta,
        cov: level.cov + delta * vd,
        sampling,
        t0: 0.0,
        tk: 0.0,
        path: Vec::new(),
    }
}

impl Aged {
    /// A series not carried: its filtered level at its latest year `t`.
    fn latest(level: &FilteredLevel, t: f64) -> Aged {
        Aged {
            t0: t,
            tk: t,
            mean: level.mean,
            var: level.var,
            cov: level.cov,
            sampling: level.var,
            path: Vec::new(),
        }
    }

    /// Where a carried fit comes from ([`TrendFit::aged_from`]); `None` when not carried.
    fn aged_from(self, level: &FilteredLevel) -> Option<AgedFrom> {
        (self.tk > self.t0).then_some(AgedFrom {
            t0: self.t0,
            m0: level.mean,
            p0: level.var,
            path: self.path,
        })
    }
}
