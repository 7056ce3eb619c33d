//! Small-area estimation: area-level Fay–Herriot EBLUPs of the literacy rate for counties
//! whose direct survey estimates are too noisy on their own ([`fay_herriot`]), the
//! arcsine transformation that makes the sampling variance known, benchmarking to the
//! parent's direct estimate. The module does no IO: the `litmon sae` command
//! (`litmon sae`) reads the observations and covariates and hands values in.
//!
//! Units: inputs and outputs of [`small_area_estimates`] are in percent (as observations);
//! the model works on θ = asin(√p) with p a proportion.
//!
//! * Transformation (Rao & Molina 2015, §6.1; Jiang, Lahiri, Wan & Wu 2001):
//!   θ_d = asin(√p_d), sampling variance ψ_d = 1/(4·n_eff,d), where n_eff,d = p(1−p)/se² (p and
//!   se as proportions) when the standard error is known (so the design effect is kept),
//!   else the sample size n.
//! * Back-transformation: the naive p̂ = sin²(θ̂), clamped θ̂ ∈ [0, π/2] (not the bias-corrected
//!   form: with ψ_d small the difference is far below the MSE). The MSE goes back by the delta
//!   method: mse(p̂) = sin²(2θ̂)·mse(θ̂) (dp/dθ = sin 2θ).
//! * Benchmarking (ratio; Rao & Molina §6.3.1 — Pfeffermann & Barnard): within a group of areas
//!   with weights w_d (population, else equal) and a target T (the parent's direct estimate),
//!   p̂_d^B = p̂_d · T / (Σ w_d p̂_d / Σ w_d), so that Σ w_d p̂_d^B / Σ w_d = T.

pub mod fay_herriot;

use crate::error::{Error, Result};
use fay_herriot::{fit, Design, FhFit, FitOptions};

/// One area of the model: a direct estimate (or none) and its covariates.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AreaInput {
    /// Area identifier (the jurisdiction id in `litmon sae`).
    pub id: String,
    /// Direct estimate in percent; `None` for an area without a sample (synthetic estimate).
    pub direct_pct: Option<f64>,
    /// Standard error of the direct estimate in percent.
    pub se_pct: Option<f64>,
    /// Sample size (or effective sample size).
    pub n: Option<f64>,
    /// Covariates (without the intercept, which is always added).
    pub covariates: Vec<f64>,
    /// Population (benchmark weight); equal weights when any area of a group lacks one.
    pub population: Option<f64>,
    /// Benchmark group (usually the parent's id).
    pub group: Option<String>,
}

/// The result for one area, in percent; its fields, in order, are the columns of the `sae`
/// table (the id as `jurisdiction`).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct SaeRow {
    /// Area identifier, as in [`AreaInput::id`].
    #[serde(rename = "jurisdiction")]
    pub id: String,
    /// Direct estimate in percent; `None` for an area without a sample.
    pub direct: Option<f64>,
    /// Standard error of the direct estimate in percent: the one given, else √(p(1−p)/n) from the
    /// sample size; `None` when neither is known or the area has no sample.
    pub direct_se: Option<f64>,
    /// EBLUP in percent, 100·sin²(θ̂) with θ̂ the arcsine-scale EBLUP (the synthetic estimate for
    /// an area without a sample).
    pub eblup: f64,
    /// MSE in percent² by the delta method, 10⁴·sin²(2θ̂)·mse(θ̂).
    pub mse: f64,
    /// Root MSE √max(mse, 0), in percent.
    pub rmse: f64,
    /// Weight of the direct estimate (0 for areas without a sample).
    pub gamma: f64,
    /// Synthetic estimate 100·sin²(x'β̂), in percent.
    pub synthetic: f64,
    /// Ratio-benchmarked EBLUP in percent ([`benchmark`]); `None` when not benchmarked.
    pub benchmarked: Option<f64>,
    /// A parent's population-weighted roll-up of its areas ([`roll_up`]), not a model area.
    #[serde(skip)]
    pub rolled_up: bool,
}

/// A fitted model and its per-area rows.
#[derive(Debug, Clone, PartialEq)]
pub struct SaeResult {
    /// The Fay–Herriot fit on the arcsine scale.
    pub fit: FhFit,
    /// One row per input area, in input order.
    pub rows: Vec<SaeRow>,
}

/// θ = asin(√p) of a proportion p ∈ [0, 1].
pub fn arcsine(p: f64) -> f64 {
    p.clamp(0.0, 1.0).sqrt().asin()
}

/// p = sin²(θ), θ clamped to [0, π/2].
pub fn inverse_arcsine(theta: f64) -> f64 {
    theta.clamp(0.0, std::f64::consts::FRAC_PI_2).sin().powi(2)
}

/// Effective sample size of a direct estimate (percent): p(1−p)/se² on proportions when the
/// standard error is known and 0 < p < 1, else the sample size. `None` when neither works.
pub fn effective_n(direct_pct: f64, se_pct: Option<f64>, n: Option<f64>) -> Option<f64> {
    let p = direct_pct / 100.0;
    if let Some(se) = se_pct.map(|s| s / 100.0) {
        if se > 0.0 && p > 0.0 && p < 1.0 {
            let n_eff = p * (1.0 - p) / (se * se);
            if n_eff.is_finite() && n_eff > 0.0 {
                return Some(n_eff);
            }
        }
    }
    n.filter(|n| n.is_finite() && *n > 0.0)
}

/// Fits the Fay–Herriot model on the areas with a direct estimate (arcsine scale, intercept
/// plus covariates), predicts every area (EBLUP, or synthetic without a sample) and goes back
/// to percent. Benchmarking is left to [`benchmark`].
pub fn small_area_estimates(areas: &[AreaInput], opts: &FitOptions) -> Result<SaeResult> {
    let k = areas.first().map_or(0, |a| a.covariates.len());
    if let Some(a) = areas.iter().find(|a| a.covariates.len() != k) {
        return Err(Error::usage(text!(
            "小区域估计：地区 {} 有 {} 个协变量，而第一个地区有 {k} 个",
            "small-area estimation: area {} has {} covariates, the first has {k}",
            a.id,
            a.covariates.len()
        )));
    }
    let mut y = Vec::new();
    let mut psi = Vec::new();
    let mut rows = Vec::new();
    for a in areas {
        let Some(direct) = a.direct_pct else { continue };
        let n_eff = effective_n(direct, a.se_pct, a.n).ok_or_else(|| {
            Error::usage(text!(
"小区域估计：地区 {}（{direct} %）没有可用的标准误或样本量",
"small-area estimation: area {} ({direct} %) has no usable standard error or sample size",
                a.id
            ))
        })?;
        y.push(arcsine(direct / 100.0));
        psi.push(1.0 / (4.0 * n_eff));
        rows.push(a.covariates.clone());
    }
    let x = Design::with_intercept(&rows);
    let fitted = fit(&y, &psi, &x, opts)?;
    let mut out = Vec::with_capacity(areas.len());
    let mut i = 0;
    for a in areas {
        let mut xrow = Vec::with_capacity(k + 1);
        xrow.push(1.0);
        xrow.extend_from_slice(&a.covariates);
        let (theta, mse_theta, gamma, synth_theta, direct_se) = match a.direct_pct {
            Some(direct) => {
                let e = fitted.predict(y[i], psi[i], &xrow);
                let p = direct / 100.0;
                let se = a.se_pct.or_else(|| {
                    a.n.filter(|n| *n > 0.0)
                        .map(|n| 100.0 * (p * (1.0 - p) / n).sqrt())
                });
                i += 1;
                (e.eblup, e.mse, e.gamma, e.synthetic, se)
            }
            None => {
                let (s, mse) = fitted.predict_unsampled(&xrow);
                (s, mse, 0.0, s, None)
            }
        };
        let jac = (2.0 * theta.clamp(0.0, std::f64::consts::FRAC_PI_2)).sin();
        let mse = 1e4 * jac * jac * mse_theta;
        out.push(SaeRow {
            id: a.id.clone(),
            direct: a.direct_pct,
            direct_se,
            eblup: 100.0 * inverse_arcsine(theta),
            mse,
            rmse: mse.max(0.0).sqrt(),
            gamma,
            synthetic: 100.0 * inverse_arcsine(synth_theta),
            benchmarked: None,
            rolled_up: false,
        });
    }
    Ok(SaeResult {
        fit: fitted,
        rows: out,
    })
}

/// Ratio benchmarking: for every group with a target (percent), scales the EBLUPs of its
/// areas so that their weighted mean equals the target. `weights[d]` belongs to `rows[d]`,
/// `groups[d]` names its group. Areas of groups without a target keep `benchmarked = None`.
pub fn benchmark(
    rows: &mut [SaeRow],
    weights: &[f64],
    groups: &[Option<String>],
    targets: &std::collections::HashMap<String, f64>,
) {
    for (g, &target) in targets {
        let members: Vec<usize> = (0..rows.len())
            .filter(|&d| groups.get(d).and_then(|x| x.as_ref()) == Some(g))
            .collect();
        let sw: f64 = members.iter().map(|&d| weights[d]).sum();
        let swp: f64 = members.iter().map(|&d| weights[d] * rows[d].eblup).sum();
        if !(sw > 0.0 && swp > 0.0) {
            continue;
        }
        let ratio = target / (swp / sw);
        for &d in &members {
            rows[d].benchmarked = Some(rows[d].eblup * ratio);
        }
    }
}

/// A population-weighted roll-up of area estimates to their parent (percent).
#[derive(Debug, Clone, PartialEq)]
pub struct RollUp {
    /// Id of the parent.
    pub parent: String,
    /// Σ w_d p̂_d / Σ w_d over the parent's areas (EBLUPs, or benchmarked values when present).
    pub estimate: f64,
    /// Σ w_d² mse_d / (Σ w_d)²: treats the areas' errors as independent (it ignores the small
    /// covariance that the shared β̂ and σ̂_u² induce, so it is a slight understatement).
    pub mse: f64,
    /// Number of areas rolled up.
    pub areas: usize,
}

/// Rolls the areas up to each parent: `parents[d]` is the parent of `rows[d]`, `weights[d]` its
/// population (or 1). Parents are returned in order of first appearance.
pub fn roll_up(rows: &[SaeRow], weights: &[f64], parents: &[Option<String>]) -> Vec<RollUp> {
    let mut order: Vec<&str> = Vec::new();
    for p in parents.iter().flatten() {
        if !order.contains(&p.as_str()) {
            order.push(p);
        }
    }
    order
        .into_iter()
        .map(|p| {
            let (mut sw, mut swp, mut sw2m, mut k) = (0.0, 0.0, 0.0, 0);
            for (d, r) in rows.iter().enumerate() {
                if parents.get(d).and_then(|x| x.as_deref()) == Some(p) {
                    let w = weights[d];
                    sw += w;
                    swp += w * r.benchmarked.unwrap_or(r.eblup);
                    sw2m += w * w * r.mse;
                    k += 1;
                }
            }
            RollUp {
                parent: p.to_string(),
                estimate: swp / sw,
                mse: sw2m / (sw * sw),
                areas: k,
            }
        })
        .collect()
}

/// Do the children's direct estimates agree with the parent's? The weighted mean of the
/// children's direct estimates c̄ = Σ w_d y_d / Σ w_d with variance Σ w_d² se_d² / (Σ w_d)²
/// (independent samples) against the parent's direct value P with standard error se_P (0 when
/// unknown): z = (c̄ − P)/√(var(c̄) + se_P²). Percent throughout.
#[derive(Debug, Clone, PartialEq)]
pub struct Consistency {
    /// c̄ = Σ w_d y_d / Σ w_d, percent.
    pub children_mean: f64,
    /// √var(c̄) = √(Σ w_d² se_d²) / Σ w_d, percent.
    pub children_se: f64,
    /// z = (c̄ − P)/√(var(c̄) + se_P²); ±∞ with the sign of c̄ − P when that variance is 0.
    pub z: f64,
}

/// The [`Consistency`] check of one parent; `children` are (weight, direct, se) triples.
pub fn consistency(
    children: &[(f64, f64, f64)],
    parent: f64,
    parent_se: Option<f64>,
) -> Option<Consistency> {
    let sw: f64 = children.iter().map(|c| c.0).sum();
    if children.is_empty() || sw <= 0.0 {
        return None;
    }
    let mean = children.iter().map(|c| c.0 * c.1).sum::<f64>() / sw;
    let var = children.iter().map(|c| c.0 * c.0 * c.2 * c.2).sum::<f64>() / (sw * sw);
    let total = var + parent_se.unwrap_or(0.0).powi(2);
    let z = if total > 0.0 {
        (mean - parent) / total.sqrt()
    } else {
        f64::INFINITY.copysign(mean - parent)
    };
    Some(Consistency {
        children_mean: mean,
        children_se: var.sqrt(),
        z,
    })
}
