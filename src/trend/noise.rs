//! Moment estimates of `local_angular`'s variance components — level noise q, persistent
//! slope difference σ_b², interval slope dispersion σ_d² — from the deviations of every series
//! from its nearest ancestor with data (equations: [`super::local`]).

use std::collections::HashMap;

use super::angular::Prepared;
use super::dist::Scale;
use super::fit::Series;
use super::hierarchy::Hierarchy;
use super::sampling::unit_var;

/// Floor of the level-noise variance q (angular scale, per year): sd 0.001 per year, about
/// 0.06 percentage points at a level of 10 %.
pub const LEVEL_VAR_MIN: f64 = 1e-6;

/// Level-noise variance used when the panel has no deviations to estimate it from:
/// 1·10⁻⁴ per year, of the order of the estimate from the provinces and cities of the
/// embedded data (0.8·10⁻⁴).
pub const LEVEL_VAR_FALLBACK: f64 = 1e-4;

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
    /// The transfer scale λ the deviations are measured with ([`super::transfer`]).
    pub transfer: f64,
    /// Number of intervals λ was estimated on (0 when it was given).
    pub transfer_intervals: usize,
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
    noise_of(
        &Prepared::new(series, &Hierarchy::new(parent_of), scale, None),
        scale,
    )
}

pub(crate) fn noise_of(prep: &Prepared, scale: Scale) -> NoiseEstimate {
    let unit = unit_var(scale);
    let (ang, tr) = (&prep.ang, prep.transfer);
    // (x, span, v) per covered interval; consecutive intervals of one series are paired.
    let mut devs: Vec<(f64, f64, f64)> = Vec::new();
    let (mut pair_sum, mut n_pairs) = (0.0, 0usize);
    let mut prev: Option<(usize, usize, f64, f64)> = None;
    for c in &prep.covered {
        let a = &ang[c.series];
        let (i, span) = (c.i, a.t[c.i + 1] - a.t[c.i]);
        let pc = tr.carry(a.y[i], c.a0, c.a1);
        // Per hierarchy step: a deviation over `links` steps sums `links` of them.
        let x = ((a.y[i + 1] - a.y[i]) - pc) / (c.links as f64).sqrt();
        devs.push((x, span, a.v[i] + a.v[i + 1]));
        if let Some((ps_series, pi, px, ps)) = prev {
            if ps_series == c.series && pi + 1 == i {
                pair_sum += (px / ps) * (x / span);
                n_pairs += 1;
            }
        }
        prev = Some((c.series, i, x, span));
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
        transfer: prep.transfer.lambda,
        transfer_intervals: prep.transfer_intervals,
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
