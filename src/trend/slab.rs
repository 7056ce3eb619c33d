//! How much of a place's own pace to believe: a two-group prior on its persistent slope
//! difference from its parent. With probability π the difference is drawn from the *slab*
//! N(0, σ̃_b²) (the calibrated persistent variance, floored: [`super::local::SLOPE_BETWEEN_FLOOR`]),
//! else it is 0 (the *spike*: the place's deviations are survey error and passing period
//! effects). A window deviation d with sampling variance s² then has the posterior slab
//! weight
//!
//! P(slab | d) = π·φ(d; σ̃_b² + s²) / [π·φ(d; σ̃_b² + s²) + (1 − π)·φ(d; s²)]
//!
//! (φ(x; v) the Normal density of variance v), and the own-slope weight is
//! γ = P(slab | d)·σ̃_b²/(σ̃_b² + s²): a decline of many standard errors is kept, a lead of one
//! or two is mostly not (Mitchell & Beauchamp 1988, the spike-and-slab prior; George &
//! McCulloch 1993).
//!
//! π is estimated by maximum likelihood where the deviations are many — the places directly
//! below the top series (the provinces under the nation), over their intervals of the current
//! survey era — and is 1 (the slab alone, the documented floor) further down, where a
//! handful of intervals cannot tell the groups apart.

use super::angular::Prepared;
use super::period::intervals;

/// Fewest intervals from which π is estimated; with fewer, π = 1.
pub const MIN_SLAB_INTERVALS: usize = 10;

/// ln φ(x; v): the log Normal density of variance v at x.
fn log_normal(x: f64, v: f64) -> f64 {
    -0.5 * (x * x / v + v.ln() + (2.0 * std::f64::consts::PI).ln())
}

/// P(slab | d) for a deviation `d` with sampling variance `s2`, slab variance `slab` and
/// prior weight `pi` (module docs); 1 for π ≥ 1, 0 for π ≤ 0.
pub(crate) fn slab_posterior(d: f64, s2: f64, slab: f64, pi: f64) -> f64 {
    if pi >= 1.0 || s2.is_nan() || s2 <= 0.0 {
        return 1.0;
    }
    if pi <= 0.0 {
        return 0.0;
    }
    let a = pi.ln() + log_normal(d, slab + s2);
    let b = (1.0 - pi).ln() + log_normal(d, s2);
    1.0 / (1.0 + (b - a).exp())
}

/// The maximum-likelihood π on the grid 0, 0.01, …, 1 of the deviations `devs` (u, e) — a
/// slope deviation and its sampling variance — under the two-group prior with slab variance
/// `slab`: argmax Σ ln[π·φ(u; slab + e) + (1 − π)·φ(u; e)] (ties: the larger π). 1 with
/// fewer than [`MIN_SLAB_INTERVALS`] deviations.
pub(crate) fn slab_weight(devs: &[(f64, f64)], slab: f64) -> f64 {
    if devs.len() < MIN_SLAB_INTERVALS || slab.is_nan() || slab <= 0.0 {
        return 1.0;
    }
    let loglik = |pi: f64| -> f64 {
        devs.iter()
            .map(|&(u, e)| {
                let (a, b) = (log_normal(u, slab + e), log_normal(u, e));
                let m = a.max(b);
                m + (pi * (a - m).exp() + (1.0 - pi) * (b - m).exp()).ln()
            })
            .sum()
    };
    let mut best = (f64::NEG_INFINITY, 1.0);
    for i in 0..=100 {
        let pi = f64::from(i) / 100.0;
        let l = loglik(pi);
        if l >= best.0 - 1e-12 {
            best = (l, pi);
        }
    }
    best.1
}

/// The own-slope weight γ and the posterior variance of the persistent difference b given a
/// window deviation `d` of sampling variance `s2`, slab variance `slab`, prior slab weight
/// `pi`: with P = P(slab | d) ([`slab_posterior`]) and γ_s = σ²/(σ² + s²), b | d is 0 with
/// probability 1 − P and N(γ_s·d, γ_s·s²) with probability P, so
/// E[b | d] = γd, γ = P·γ_s, and Var[b | d] = P·γ_s·s² + P(1 − P)·(γ_s·d)².
pub(crate) fn slab_shrink(d: f64, s2: f64, slab: f64, pi: f64) -> (f64, f64) {
    let p = slab_posterior(d, s2, slab, pi);
    let gs = slab / (slab + s2);
    (p * gs, p * gs * s2 + p * (1.0 - p) * (gs * d).powi(2))
}

/// The slope deviations (u = d/s, e/s²) of the intervals from `era_start` on of every series
/// whose nearest ancestor with data (k, `links` up) has no ancestor with data itself, against
/// k's change over the same years; e holds both ends' survey variances, k's and the level
/// noise `q` per link and year ([`intervals`] without the slope dispersion).
pub(crate) fn first_tier(prep: &Prepared, q: f64, era_start: i32) -> Vec<(f64, f64)> {
    let (ang, ancestors) = (&prep.ang, &prep.ancestors);
    let has_data = |k: usize| ang[k].len() > 0;
    let mut out = Vec::new();
    for (i, anc) in ancestors.iter().enumerate() {
        let Some(&(k, links)) = anc.iter().find(|&&(k, _)| has_data(k)) else {
            continue;
        };
        if ancestors[k].iter().any(|&(a, _)| has_data(a)) {
            continue;
        }
        for iv in intervals(ang, &[(i, links)], k, (q, 0.0), prep.transfer) {
            if iv.x0 >= era_start {
                let s = f64::from(iv.x1 - iv.x0);
                out.push((iv.d / s, iv.e / (s * s)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// P(slab | d) by hand: d = 0.03, s² = 1e-4, slab 3e-4, π = 0.5: φ(0.03; 4e-4) =
    /// e^(−1.125)/√(2π·4e-4) = 6.47588; φ(0.03; 1e-4) = e^(−4.5)/√(2π·1e-4) = 0.443185;
    /// P = 6.47588/(6.47588 + 0.443185) = 0.935947. Limits: π = 1 → 1, π = 0 → 0.
    #[test]
    fn slab_posterior_by_hand() {
        let p = slab_posterior(0.03, 1e-4, 3e-4, 0.5);
        let slab = (-1.125f64).exp() / (2.0 * std::f64::consts::PI * 4e-4).sqrt();
        let spike = (-4.5f64).exp() / (2.0 * std::f64::consts::PI * 1e-4).sqrt();
        assert!((slab - 6.475_88).abs() < 1e-5 && (spike - 0.443_185).abs() < 1e-6);
        assert!((p - slab / (slab + spike)).abs() < 1e-12, "{p}");
        assert!((p - 0.935_947).abs() < 1e-6, "{p}");
        assert_eq!(slab_posterior(0.03, 1e-4, 3e-4, 1.0), 1.0);
        assert_eq!(slab_posterior(0.03, 1e-4, 3e-4, 0.0), 0.0);
        // The posterior of b: γ_s = 3e-4/4e-4 = 0.75, γ = P·0.75 = 0.701960, variance
        // P·0.75·1e-4 + P(1 − P)(0.75·0.03)² = 7.01960e-5 + 3.03497e-5 = 1.005457e-4.
        let (g, var) = slab_shrink(0.03, 1e-4, 3e-4, 0.5);
        assert!((g - 0.701_960).abs() < 1e-6, "{g}");
        assert!((var - 1.005_457e-4).abs() < 1e-10, "{var}");
    }

    /// π by maximum likelihood: twelve deviations of one standard error (u² = e) all but
    /// rule the slab out when the slab is wide (σ² = 99e: each slab density is
    /// e^(−1/200)/√100 against the spike's e^(−1/2), a likelihood ratio 0.1·e^(0.495) = 0.164
    /// per deviation), so π = 0; twelve of ten standard errors (u² = 100e) rule the spike out
    /// (ratio 0.1·e^(49.5)), so π = 1; fewer than ten deviations: π = 1 whatever they say.
    #[test]
    fn slab_weight_by_maximum_likelihood() {
        let e: f64 = 1e-5;
        let small: Vec<(f64, f64)> = (0..12)
            .map(|i| (if i % 2 == 0 { 1.0 } else { -1.0 } * e.sqrt(), e))
            .collect();
        assert_eq!(slab_weight(&small, 99.0 * e), 0.0);
        let large: Vec<(f64, f64)> = (0..12).map(|_| (10.0 * e.sqrt(), e)).collect();
        assert_eq!(slab_weight(&large, 99.0 * e), 1.0);
        assert_eq!(slab_weight(&small[..9], 99.0 * e), 1.0);
        // Six at one standard error and six at ten: the likelihood is (up to e^(−50) terms)
        // (πr + 1 − π)⁶·π⁶·const with r = 0.16405, whose maximum is π = 1/(2(1 − r)) = 0.5981:
        // 0.60 on the grid.
        let mixed: Vec<(f64, f64)> = small[..6].iter().chain(&large[..6]).copied().collect();
        assert_eq!(slab_weight(&mixed, 99.0 * e), 0.6);
    }
}
