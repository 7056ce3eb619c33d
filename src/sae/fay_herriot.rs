//! The area-level Fay–Herriot model and its EBLUP (Fay & Herriot 1979; Rao & Molina 2015,
//! *Small Area Estimation*, 2nd ed., ch. 6).
//!
//! Model, for areas d = 1…m with direct estimate y_d (here on the arcsine scale), known
//! sampling variance ψ_d and covariates x_d (p columns, usually an intercept first):
//!
//! ```text
//! y_d = x_d'β + u_d + e_d,   u_d ~ N(0, σ_u²),   e_d ~ N(0, ψ_d),   V = diag(σ_u² + ψ_d)
//! ```
//!
//! * β̂ by GLS: β̂ = (X'V⁻¹X)⁻¹ X'V⁻¹y.
//! * σ_u² by REML, ML or the Fay–Herriot moment method, each solved by Fisher scoring
//!   exactly as R `sae::mseFH` and Python `samplics` `EblupAreaModel` do; or by the
//!   Li–Lahiri (2010) adjusted REML, which maximises L_R(σ_u²)·σ_u² and so is never zero.
//! * EBLUP θ̂_d = γ_d·y_d + (1−γ_d)·x_d'β̂ with γ_d = σ_u²/(σ_u²+ψ_d).
//! * MSE, second-order (Prasad & Rao 1990; Datta & Lahiri 2000; Datta, Rao & Smith 2005):
//!   `mse_d = g1 + g2 + 2·g3 − b(σ̂_u²)·(1−γ_d)²` with
//!   g1 = γ_d ψ_d, g2 = (1−γ_d)² x_d'(X'V⁻¹X)⁻¹x_d, g3 = (1−γ_d)²·V̄(σ̂_u²)/(σ_u²+ψ_d), where
//!   V̄ is the asymptotic variance of σ̂_u² and b its bias (Rao & Molina eqs. 6.2.23–6.2.32):
//!   - REML: V̄ = 2/Σv_d⁻², b = 0 (the Prasad–Rao form g1+g2+2g3);
//!   - ML: V̄ = 2/Σv_d⁻², b = −tr[(X'V⁻¹X)⁻¹X'V⁻²X]/Σv_d⁻² (Datta–Lahiri);
//!   - FH moment: V̄ = 2m/(Σv_d⁻¹)², b = 2[mΣv_d⁻² − (Σv_d⁻¹)²]/(Σv_d⁻¹)³ (Datta–Rao–Smith);
//!   - adjusted REML: V̄ = 2/Σv_d⁻², b = 1/(σ̂_u²·I_R(σ̂_u²)), the first-order bias that the
//!     adjustment term's score 1/σ_u² adds to REML (I_R = ½tr(P²), the REML information).
//!     This bias correction is litmon's derivation, stated here so it can be audited; with
//!     σ̂_u² well away from 0 it is small against g2 and g3.
//! * Areas without a sample get the synthetic estimate x_d'β̂ with MSE σ̂_u² − b + x_d'(X'V⁻¹X)⁻¹x_d.
//!
//! Everything is O(m·p²): the m×m matrices of the textbook formulas (P, V) are never formed;
//! traces use P = V⁻¹ − V⁻¹XA⁻¹X'V⁻¹ with A = X'V⁻¹X, so that
//! tr P = Σv⁻¹ − tr(A⁻¹X'V⁻²X) and tr P² = Σv⁻² − 2tr(A⁻¹X'V⁻³X) + tr(A⁻¹CA⁻¹C), C = X'V⁻²X.

use crate::error::{Error, Result};

/// How σ_u² is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VarianceMethod {
    /// Restricted maximum likelihood (Fisher scoring; truncated at 0).
    #[default]
    Reml,
    /// Maximum likelihood (Fisher scoring; truncated at 0).
    Ml,
    /// The Fay–Herriot moment equation Σ(y_d − x_d'β̂)²/(σ_u²+ψ_d) = m − p (truncated at 0).
    Fh,
    /// Li–Lahiri (2010) adjusted REML: maximises L_R(σ_u²)·σ_u², strictly positive.
    Adjusted,
}

impl std::str::FromStr for VarianceMethod {
    type Err = crate::error::UnknownName;

    /// Parses a `--method` value (case-insensitive): `reml`, `ml`, `fh` or `moment`, `adjusted`,
    /// `reml-li` or `li-lahiri`.
    fn from_str(s: &str) -> std::result::Result<VarianceMethod, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "reml" => Ok(VarianceMethod::Reml),
            "ml" => Ok(VarianceMethod::Ml),
            "fh" | "moment" => Ok(VarianceMethod::Fh),
            "adjusted" | "reml-li" | "li-lahiri" => Ok(VarianceMethod::Adjusted),
            _ => Err(crate::error::UnknownName::new(s, VarianceMethod::NAMES)),
        }
    }
}

impl VarianceMethod {
    /// The canonical names of `--method` (`moment`, `reml-li` and `li-lahiri` parse too).
    pub const NAMES: &'static [&'static str] = &["reml", "ml", "fh", "adjusted"];

    /// The canonical lower-case name (`reml`, `ml`, `fh`, `adjusted`), as `from_str` accepts.
    pub fn as_str(self) -> &'static str {
        match self {
            VarianceMethod::Reml => "reml",
            VarianceMethod::Ml => "ml",
            VarianceMethod::Fh => "fh",
            VarianceMethod::Adjusted => "adjusted",
        }
    }
}

/// Convergence settings of the Fisher scoring.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// Estimator of σ_u².
    pub method: VarianceMethod,
    /// Stop when |Δσ_u²| ≤ tol·max(σ_u², 1e-12) (relative change, as samplics).
    pub tol: f64,
    /// Most Fisher-scoring steps; when reached without meeting `tol`, [`FhFit::converged`] is
    /// false.
    pub max_iter: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            method: VarianceMethod::Reml,
            tol: 1e-12,
            max_iter: 500,
        }
    }
}

/// A design matrix stored row by row: `m` rows of `p` values.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// Columns p (coefficients, the intercept included).
    pub p: usize,
    /// Row-major, length m·p.
    pub values: Vec<f64>,
}

impl Design {
    /// The intercept-only design for `m` areas.
    pub fn intercept(m: usize) -> Design {
        Design {
            p: 1,
            values: vec![1.0; m],
        }
    }

    /// An intercept column followed by the given covariate rows (all of length `k`).
    pub fn with_intercept(rows: &[Vec<f64>]) -> Design {
        let k = rows.first().map_or(0, Vec::len);
        let mut values = Vec::with_capacity(rows.len() * (k + 1));
        for r in rows {
            values.push(1.0);
            values.extend_from_slice(r);
        }
        Design { p: k + 1, values }
    }

    /// Number of rows m (0 when p is 0).
    pub fn rows(&self) -> usize {
        self.values.len().checked_div(self.p).unwrap_or(0)
    }

    /// Row `d` (0-based): the p covariate values x_d of area d.
    pub fn row(&self, d: usize) -> &[f64] {
        &self.values[d * self.p..(d + 1) * self.p]
    }
}

/// A fitted Fay–Herriot model.
#[derive(Debug, Clone, PartialEq)]
pub struct FhFit {
    /// Estimator of σ_u² that was used.
    pub method: VarianceMethod,
    /// σ̂_u², the variance of the area effects.
    pub sigma2_u: f64,
    /// GLS β̂.
    pub beta: Vec<f64>,
    /// (X'V⁻¹X)⁻¹ at σ̂_u², row-major p×p: the covariance of β̂.
    pub beta_cov: Vec<f64>,
    /// Asymptotic variance V̄ of σ̂_u² used in g3.
    pub sigma2_u_var: f64,
    /// Bias b(σ̂_u²) used in the MSE (0 for REML).
    pub sigma2_u_bias: f64,
    /// Fisher-scoring steps taken.
    pub iterations: usize,
    /// True when the relative change of σ_u² fell to `tol` (or the solution was found at 0)
    /// within `max_iter` steps.
    pub converged: bool,
    /// True when the estimate was truncated at σ_u² = 0 (all weight on the synthetic part).
    pub at_zero: bool,
}

/// The EBLUP of one sampled area and its pieces.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AreaEstimate {
    /// θ̂_d = γ_d·y_d + (1−γ_d)·x_d'β̂, on the scale of y.
    pub eblup: f64,
    /// Second-order MSE g1 + g2 + 2·g3 − b(σ̂_u²)·(1−γ_d)² (module documentation).
    pub mse: f64,
    /// Shrinkage weight γ_d = σ_u²/(σ_u²+ψ_d) of the direct estimate.
    pub gamma: f64,
    /// The synthetic estimate x_d'β̂.
    pub synthetic: f64,
    /// g1 = γ_d ψ_d, the variance of the best predictor with known parameters.
    pub g1: f64,
    /// g2 = (1−γ_d)² x_d'(X'V⁻¹X)⁻¹x_d, from estimating β.
    pub g2: f64,
    /// g3 = (1−γ_d)²·V̄(σ̂_u²)/(σ_u²+ψ_d), from estimating σ_u² (counted twice in the MSE).
    pub g3: f64,
}

/// The inverse of a small symmetric positive-definite matrix (row-major p×p) by Cholesky.
fn spd_inverse(a: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k];
            }
            if i == j {
                if s.is_nan() || s <= 0.0 || !s.is_finite() {
                    return None;
                }
                l[i * p + i] = s.sqrt();
            } else {
                l[i * p + j] = s / l[j * p + j];
            }
        }
    }
    // inv(L) then inv(A) = inv(L)' inv(L).
    let mut li = vec![0.0; p * p];
    for i in 0..p {
        li[i * p + i] = 1.0 / l[i * p + i];
        for j in 0..i {
            let mut s = 0.0;
            for k in j..i {
                s -= l[i * p + k] * li[k * p + j];
            }
            li[i * p + j] = s / l[i * p + i];
        }
    }
    let mut inv = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let mut s = 0.0;
            for k in i..p {
                s += li[k * p + i] * li[k * p + j];
            }
            inv[i * p + j] = s;
            inv[j * p + i] = s;
        }
    }
    Some(inv)
}

/// X'diag(w)X (row-major p×p).
fn weighted_cross(x: &Design, w: &[f64]) -> Vec<f64> {
    let p = x.p;
    let mut out = vec![0.0; p * p];
    for (d, &wd) in w.iter().enumerate() {
        let r = x.row(d);
        for i in 0..p {
            let a = wd * r[i];
            for j in 0..=i {
                out[i * p + j] += a * r[j];
            }
        }
    }
    for i in 0..p {
        for j in 0..i {
            out[j * p + i] = out[i * p + j];
        }
    }
    out
}

/// tr(A·B) of two p×p matrices.
fn trace_product(a: &[f64], b: &[f64], p: usize) -> f64 {
    let mut s = 0.0;
    for i in 0..p {
        for k in 0..p {
            s += a[i * p + k] * b[k * p + i];
        }
    }
    s
}

/// x'Ax for a row x and p×p A.
fn quad(a: &[f64], x: &[f64]) -> f64 {
    let p = x.len();
    let mut s = 0.0;
    for i in 0..p {
        for j in 0..p {
            s += x[i] * a[i * p + j] * x[j];
        }
    }
    s
}

/// The quantities of one σ_u² value that every method needs.
struct State {
    /// 1/v_d.
    vinv: Vec<f64>,
    beta: Vec<f64>,
    /// A⁻¹ = (X'V⁻¹X)⁻¹.
    a_inv: Vec<f64>,
    /// Residuals y − Xβ̂.
    resid: Vec<f64>,
}

fn state(y: &[f64], psi: &[f64], x: &Design, s2: f64) -> Result<State> {
    let p = x.p;
    let vinv: Vec<f64> = psi.iter().map(|&ps| 1.0 / (s2 + ps)).collect();
    let a = weighted_cross(x, &vinv);
    let a_inv = spd_inverse(&a, p).ok_or_else(|| {
        Error::Usage(
            "Fay–Herriot: the covariates are collinear (X'V⁻¹X is singular); drop a column".into(),
        )
    })?;
    let mut xty = vec![0.0; p];
    for (d, &w) in vinv.iter().enumerate() {
        for (i, &xi) in x.row(d).iter().enumerate() {
            xty[i] += w * xi * y[d];
        }
    }
    let beta: Vec<f64> = (0..p)
        .map(|i| (0..p).map(|j| a_inv[i * p + j] * xty[j]).sum())
        .collect();
    let resid = (0..y.len())
        .map(|d| y[d] - x.row(d).iter().zip(&beta).map(|(a, b)| a * b).sum::<f64>())
        .collect();
    Ok(State {
        vinv,
        beta,
        a_inv,
        resid,
    })
}

/// REML score and information at σ_u² (samplics `_partial_derivatives`, REML branch, with
/// B = I): s = −½[tr P − y'P²y], I = ½tr P², using Py = V⁻¹(y − Xβ̂).
fn reml_score_info(st: &State, x: &Design) -> (f64, f64) {
    let p = x.p;
    let v2: Vec<f64> = st.vinv.iter().map(|v| v * v).collect();
    let v3: Vec<f64> = st.vinv.iter().map(|v| v * v * v).collect();
    let c = weighted_cross(x, &v2);
    let c3 = weighted_cross(x, &v3);
    let tr_p = st.vinv.iter().sum::<f64>() - trace_product(&st.a_inv, &c, p);
    let ypy: f64 = st
        .resid
        .iter()
        .zip(&st.vinv)
        .map(|(r, v)| (r * v) * (r * v))
        .sum();
    // tr(A⁻¹CA⁻¹C)
    let mut ac = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..p {
            ac[i * p + j] = (0..p).map(|k| st.a_inv[i * p + k] * c[k * p + j]).sum();
        }
    }
    let tr_pp = v2.iter().sum::<f64>() - 2.0 * trace_product(&st.a_inv, &c3, p)
        + trace_product(&ac, &ac, p);
    (-0.5 * (tr_p - ypy), 0.5 * tr_pp)
}

/// One Fisher-scoring step's score and information for `method` at σ_u² (samplics
/// `_partial_derivatives`; β̂ is held at its GLS value for ML and the moment method).
fn score_info(method: VarianceMethod, st: &State, x: &Design, s2: f64) -> (f64, f64) {
    let m = st.resid.len() as f64;
    match method {
        VarianceMethod::Reml => reml_score_info(st, x),
        VarianceMethod::Adjusted => {
            let (s, i) = reml_score_info(st, x);
            (s + 1.0 / s2, i + 1.0 / (s2 * s2))
        }
        VarianceMethod::Ml => {
            let mut s = 0.0;
            let mut i = 0.0;
            for (r, v) in st.resid.iter().zip(&st.vinv) {
                s += -0.5 * (v - r * r * v * v);
                i += 0.5 * v * v;
            }
            (s, i)
        }
        VarianceMethod::Fh => {
            let mut q = 0.0;
            let mut dq = 0.0;
            for (r, v) in st.resid.iter().zip(&st.vinv) {
                q += r * r * v;
                dq += r * r * v * v;
            }
            // Solve Q(σ²) = m − p by Newton with Q' ≈ −Σr²/v², β̂ held fixed (samplics:
            // σ² += (m−p−Q)/(−Σr²/v²)); signed so that a positive "score" means σ² is too small.
            (q - (m - x.p as f64), dq)
        }
    }
}

/// Fits the Fay–Herriot model: σ̂_u² by `opts.method`, then β̂ by GLS.
///
/// `y` are the direct estimates, `psi` their (known) sampling variances, `x` the design
/// (one row per area). Errors on mismatched lengths, non-positive variances, fewer areas
/// than p + 1, or collinear covariates.
///
/// # Examples
/// ```
/// use litmon::sae::fay_herriot::{fit, Design, FitOptions};
/// let y = [0.30, 0.34, 0.29, 0.40, 0.36, 0.31];
/// let psi = [0.001, 0.002, 0.001, 0.003, 0.002, 0.001];
/// let f = fit(&y, &psi, &Design::intercept(6), &FitOptions::default()).unwrap();
/// assert!(f.sigma2_u >= 0.0 && f.beta.len() == 1);
/// ```
pub fn fit(y: &[f64], psi: &[f64], x: &Design, opts: &FitOptions) -> Result<FhFit> {
    let m = y.len();
    if psi.len() != m || x.rows() != m || x.values.len() != m * x.p {
        return Err(Error::Usage(format!(
            "Fay–Herriot: {m} estimates, {} variances and {} design rows do not match",
            psi.len(),
            x.rows()
        )));
    }
    if x.p == 0 || m <= x.p {
        return Err(Error::Usage(format!(
            "Fay–Herriot needs more areas than coefficients: {m} areas, {} coefficients",
            x.p
        )));
    }
    if let Some(d) = (0..m).find(|&d| !(psi[d] > 0.0 && psi[d].is_finite() && y[d].is_finite())) {
        return Err(Error::Usage(format!(
            "Fay–Herriot: area {} has estimate {} with sampling variance {}; variances must be positive",
            d + 1,
            y[d],
            psi[d]
        )));
    }
    let method = opts.method;
    // Start: the Prasad–Rao moment estimate from OLS residuals, floored (samplics starts at
    // 1e-6; the root reached is the same).
    let mean_psi = psi.iter().sum::<f64>() / m as f64;
    let ols = state(y, &vec![1.0; m], x, 0.0)?;
    let rss: f64 = ols.resid.iter().map(|r| r * r).sum();
    let mut s2 = (rss / (m - x.p) as f64 - mean_psi).max(1e-4 * mean_psi);
    let mut iterations = 0;
    let mut converged = false;
    let mut at_zero = false;
    while iterations < opts.max_iter {
        iterations += 1;
        let st = state(y, psi, x, s2)?;
        let (score, info) = score_info(method, &st, x, s2);
        if !(info.is_finite() && info != 0.0 && score.is_finite()) {
            break;
        }
        let mut next = s2 + score / info;
        if next <= 0.0 {
            if method == VarianceMethod::Adjusted {
                // Stay inside (0, ∞): the adjusted likelihood is 0 at the boundary.
                next = s2 / 2.0;
            } else {
                // Check the boundary: a non-positive score at 0 means the solution is at 0.
                let st0 = state(y, psi, x, 0.0)?;
                let (s0, _) = score_info(method, &st0, x, 0.0);
                if s0 <= 0.0 {
                    s2 = 0.0;
                    at_zero = true;
                    converged = true;
                    break;
                }
                next = s2 / 2.0;
            }
        }
        let change = (next - s2).abs();
        s2 = next;
        if change <= opts.tol * s2.max(1e-12) {
            converged = true;
            break;
        }
    }
    let st = state(y, psi, x, s2)?;
    let p = x.p;
    let sum_v1: f64 = st.vinv.iter().sum();
    let sum_v2: f64 = st.vinv.iter().map(|v| v * v).sum();
    let (var, bias) = match method {
        VarianceMethod::Reml => (2.0 / sum_v2, 0.0),
        VarianceMethod::Ml => {
            let v2: Vec<f64> = st.vinv.iter().map(|v| v * v).collect();
            let c = weighted_cross(x, &v2);
            (2.0 / sum_v2, -trace_product(&st.a_inv, &c, p) / sum_v2)
        }
        VarianceMethod::Fh => {
            let mf = m as f64;
            (
                2.0 * mf / (sum_v1 * sum_v1),
                2.0 * (mf * sum_v2 - sum_v1 * sum_v1) / sum_v1.powi(3),
            )
        }
        VarianceMethod::Adjusted => {
            let (_, info) = reml_score_info(&st, x);
            let b = if s2 > 0.0 { 1.0 / (s2 * info) } else { 0.0 };
            (2.0 / sum_v2, b)
        }
    };
    Ok(FhFit {
        method,
        sigma2_u: s2,
        beta: st.beta,
        beta_cov: st.a_inv,
        sigma2_u_var: var,
        sigma2_u_bias: bias,
        iterations,
        converged,
        at_zero,
    })
}

impl FhFit {
    /// The synthetic estimate x'β̂.
    pub fn synthetic(&self, x: &[f64]) -> f64 {
        x.iter().zip(&self.beta).map(|(a, b)| a * b).sum()
    }

    /// EBLUP and second-order MSE of a sampled area with direct estimate `y`, sampling
    /// variance `psi` and covariate row `x` (the formulas of the module documentation).
    pub fn predict(&self, y: f64, psi: f64, x: &[f64]) -> AreaEstimate {
        let s2 = self.sigma2_u;
        let v = s2 + psi;
        let gamma = s2 / v;
        let synthetic = self.synthetic(x);
        let one_g2 = (1.0 - gamma) * (1.0 - gamma);
        let g1 = gamma * psi;
        let g2 = one_g2 * quad(&self.beta_cov, x);
        let g3 = one_g2 * self.sigma2_u_var / v;
        AreaEstimate {
            eblup: gamma * y + (1.0 - gamma) * synthetic,
            mse: g1 + g2 + 2.0 * g3 - self.sigma2_u_bias * one_g2,
            gamma,
            synthetic,
            g1,
            g2,
            g3,
        }
    }

    /// Synthetic estimate x'β̂ of an area without a sample and its MSE σ̂_u² − b + x'(X'V⁻¹X)⁻¹x
    /// (Rao & Molina §6.2.5), floored at the g2 term.
    pub fn predict_unsampled(&self, x: &[f64]) -> (f64, f64) {
        let g2 = quad(&self.beta_cov, x);
        let mse = (self.sigma2_u - self.sigma2_u_bias).max(0.0) + g2;
        (self.synthetic(x), mse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spd_inverse_of_2x2() {
        let inv = spd_inverse(&[4.0, 2.0, 2.0, 3.0], 2).unwrap();
        // det 8: inverse [3 -2; -2 4]/8
        let want = [0.375, -0.25, -0.25, 0.5];
        for (a, b) in inv.iter().zip(want) {
            assert!((a - b).abs() < 1e-14);
        }
        assert!(spd_inverse(&[1.0, 1.0, 1.0, 1.0], 2).is_none());
    }

    #[test]
    fn reml_traces_match_dense_formulas() {
        // Compare tr P and tr P² from the O(mp²) forms with dense m×m computation.
        let x = Design::with_intercept(&[vec![0.1], vec![0.5], vec![0.9], vec![0.3], vec![0.7]]);
        let y = [0.2, 0.4, 0.5, 0.3, 0.45];
        let psi = [0.01, 0.02, 0.015, 0.01, 0.03];
        let s2 = 0.02;
        let st = state(&y, &psi, &x, s2).unwrap();
        let (score, info) = reml_score_info(&st, &x);
        let m = 5;
        let mut pm = vec![0.0; m * m];
        for i in 0..m {
            for j in 0..m {
                let h = quad_pair(&st.a_inv, x.row(i), x.row(j));
                pm[i * m + j] = if i == j { st.vinv[i] } else { 0.0 } - st.vinv[i] * h * st.vinv[j];
            }
        }
        let tr_p: f64 = (0..m).map(|i| pm[i * m + i]).sum();
        let tr_pp: f64 = (0..m * m).map(|k| pm[k] * pm[k]).sum();
        let py: Vec<f64> = (0..m)
            .map(|i| (0..m).map(|j| pm[i * m + j] * y[j]).sum())
            .collect();
        let ypy: f64 = py.iter().map(|v| v * v).sum();
        assert!((score - (-0.5 * (tr_p - ypy))).abs() < 1e-9);
        assert!((info - 0.5 * tr_pp).abs() < 1e-9);
    }

    fn quad_pair(a: &[f64], x: &[f64], z: &[f64]) -> f64 {
        let p = x.len();
        let mut s = 0.0;
        for i in 0..p {
            for j in 0..p {
                s += x[i] * a[i * p + j] * z[j];
            }
        }
        s
    }
}
