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

use nalgebra::{DMatrix, DVector};

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
    /// (X'V⁻¹X)⁻¹ at σ̂_u², p×p: the covariance of β̂.
    pub beta_cov: DMatrix<f64>,
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

/// The design as an m×p matrix.
fn design_matrix(x: &Design) -> DMatrix<f64> {
    DMatrix::from_row_slice(x.rows(), x.p, &x.values)
}

/// X'diag(w)X, p×p.
fn weighted_cross(x: &DMatrix<f64>, w: &DVector<f64>) -> DMatrix<f64> {
    let mut xw = x.clone();
    for (mut row, &wd) in xw.row_iter_mut().zip(w.iter()) {
        row *= wd;
    }
    x.tr_mul(&xw)
}

/// tr(A·B) of two p×p matrices: Σ_ik A_ik B_ki.
fn trace_product(a: &DMatrix<f64>, b: &DMatrix<f64>) -> f64 {
    a.dot(&b.transpose())
}

/// x'Ax for a row x and p×p A.
fn quad(a: &DMatrix<f64>, x: &[f64]) -> f64 {
    let x = DVector::from_column_slice(x);
    x.dot(&(a * &x))
}

/// The quantities of one σ_u² value that every method needs.
struct State {
    /// 1/v_d.
    vinv: DVector<f64>,
    beta: DVector<f64>,
    /// A⁻¹ = (X'V⁻¹X)⁻¹.
    a_inv: DMatrix<f64>,
    /// Residuals y − Xβ̂.
    resid: DVector<f64>,
}

/// GLS at σ_u² = `s2`: A = X'V⁻¹X inverted by Cholesky (nalgebra), β̂ = A⁻¹X'V⁻¹y and the
/// residuals y − Xβ̂.
fn state(y: &DVector<f64>, psi: &[f64], x: &DMatrix<f64>, s2: f64) -> Result<State> {
    let vinv = DVector::from_iterator(psi.len(), psi.iter().map(|&ps| 1.0 / (s2 + ps)));
    let a = weighted_cross(x, &vinv);
    if a.iter().any(|v| !v.is_finite()) {
        // Products of a covariate past about 1e150 overflow: not a collinearity.
        let largest = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let largest = crate::model::format::shortest(largest);
        return Err(Error::usage(text!(
            "Fay–Herriot：协变量过大，无法计算（最大值 {largest}）：协变量应为通常大小——请换算该列（如以千为单位或改为比例）",
            "Fay–Herriot: a covariate is too large to compute with (largest value {largest}): expected covariates of a usual size — rescale the column (e.g. to thousands or shares)"
        )));
    }
    let a_inv = a
        .cholesky()
        .map(|c| c.inverse())
        .filter(|inv| inv.iter().all(|v| v.is_finite()))
        .ok_or_else(|| {
            Error::usage(text!(
                "Fay–Herriot：协变量共线（X'V⁻¹X 奇异）；请删去一列",
                "Fay–Herriot: the covariates are collinear (X'V⁻¹X is singular); drop a column"
            ))
        })?;
    let beta = &a_inv * x.tr_mul(&vinv.component_mul(y));
    let resid = y - x * &beta;
    Ok(State {
        vinv,
        beta,
        a_inv,
        resid,
    })
}

/// REML score and information at σ_u² (samplics `_partial_derivatives`, REML branch, with
/// B = I): s = −½[tr P − y'P²y], I = ½tr P², using Py = V⁻¹(y − Xβ̂).
fn reml_score_info(st: &State, x: &DMatrix<f64>) -> (f64, f64) {
    let v2 = st.vinv.component_mul(&st.vinv);
    let v3 = v2.component_mul(&st.vinv);
    let c = weighted_cross(x, &v2);
    let c3 = weighted_cross(x, &v3);
    let tr_p = st.vinv.sum() - trace_product(&st.a_inv, &c);
    // y'P²y = |V⁻¹(y − Xβ̂)|²
    let ypy = st.resid.component_mul(&st.vinv).norm_squared();
    let ac = &st.a_inv * &c;
    let tr_pp = v2.sum() - 2.0 * trace_product(&st.a_inv, &c3) + trace_product(&ac, &ac);
    (-0.5 * (tr_p - ypy), 0.5 * tr_pp)
}

/// One Fisher-scoring step's score and information for `method` at σ_u² (samplics
/// `_partial_derivatives`; β̂ is held at its GLS value for ML and the moment method).
fn score_info(method: VarianceMethod, st: &State, x: &DMatrix<f64>, s2: f64) -> (f64, f64) {
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
            (q - (m - x.ncols() as f64), dq)
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
    check_inputs(y, psi, x)?;
    let method = opts.method;
    let xm = design_matrix(x);
    let yv = DVector::from_column_slice(y);
    let sc = scoring(&yv, psi, &xm, opts)?;
    let st = state(&yv, psi, &xm, sc.s2)?;
    let (var, bias) = sigma2_uncertainty(method, &st, &xm, sc.s2);
    Ok(FhFit {
        method,
        sigma2_u: sc.s2,
        beta: st.beta.as_slice().to_vec(),
        beta_cov: st.a_inv,
        sigma2_u_var: var,
        sigma2_u_bias: bias,
        iterations: sc.iterations,
        converged: sc.converged,
        at_zero: sc.at_zero,
    })
}

/// The errors of [`fit`]: mismatched lengths, no more areas than coefficients, a non-finite
/// estimate or a variance that is not positive.
fn check_inputs(y: &[f64], psi: &[f64], x: &Design) -> Result<()> {
    let m = y.len();
    if psi.len() != m || x.rows() != m || x.values.len() != m * x.p {
        return Err(Error::usage(text!(
            "Fay–Herriot：{m} 个估计值、{} 个方差与 {} 行设计矩阵数目不符",
            "Fay–Herriot: {m} estimates, {} variances and {} design rows do not match",
            psi.len(),
            x.rows()
        )));
    }
    if x.p == 0 || m <= x.p {
        return Err(Error::usage(text!(
            "Fay–Herriot 需要地区数多于系数个数：{m} 个地区，{} 个系数",
            "Fay–Herriot needs more areas than coefficients: {m} areas, {} coefficients",
            x.p
        )));
    }
    if let Some(d) = (0..m).find(|&d| !(psi[d] > 0.0 && psi[d].is_finite() && y[d].is_finite())) {
        return Err(Error::usage(text!(
"Fay–Herriot：地区 {} 的估计值为 {}，抽样方差为 {}；方差必须为正",
"Fay–Herriot: area {} has estimate {} with sampling variance {}; variances must be positive",
            d + 1,
            y[d],
            psi[d]
        )));
    }
    Ok(())
}

/// Where the Fisher scoring of σ_u² ended.
struct Scoring {
    s2: f64,
    iterations: usize,
    converged: bool,
    at_zero: bool,
}

/// σ̂_u² by Fisher scoring for `opts.method` (module doc), started at the Prasad–Rao moment
/// estimate from OLS residuals, floored (samplics starts at 1e-6; the root reached is the
/// same), and truncated at 0 (except the adjusted REML, which stays inside (0, ∞)).
fn scoring(
    yv: &DVector<f64>,
    psi: &[f64],
    xm: &DMatrix<f64>,
    opts: &FitOptions,
) -> Result<Scoring> {
    let (m, p) = (yv.len(), xm.ncols());
    let method = opts.method;
    let mean_psi = psi.iter().sum::<f64>() / m as f64;
    let ols = state(yv, &vec![1.0; m], xm, 0.0)?;
    let rss = ols.resid.norm_squared();
    let mut sc = Scoring {
        s2: (rss / (m - p) as f64 - mean_psi).max(1e-4 * mean_psi),
        iterations: 0,
        converged: false,
        at_zero: false,
    };
    while sc.iterations < opts.max_iter {
        sc.iterations += 1;
        let s2 = sc.s2;
        let st = state(yv, psi, xm, s2)?;
        let (score, info) = score_info(method, &st, xm, s2);
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
                let st0 = state(yv, psi, xm, 0.0)?;
                let (s0, _) = score_info(method, &st0, xm, 0.0);
                if s0 <= 0.0 {
                    sc.s2 = 0.0;
                    sc.at_zero = true;
                    sc.converged = true;
                    break;
                }
                next = s2 / 2.0;
            }
        }
        let change = (next - s2).abs();
        sc.s2 = next;
        if change <= opts.tol * next.max(1e-12) {
            sc.converged = true;
            break;
        }
    }
    Ok(sc)
}

/// The asymptotic variance V̄ and bias b of σ̂_u² per method (module doc, Rao & Molina eqs.
/// 6.2.23–6.2.32).
fn sigma2_uncertainty(
    method: VarianceMethod,
    st: &State,
    xm: &DMatrix<f64>,
    s2: f64,
) -> (f64, f64) {
    let m = st.vinv.len();
    let sum_v1 = st.vinv.sum();
    let sum_v2 = st.vinv.norm_squared();
    match method {
        VarianceMethod::Reml => (2.0 / sum_v2, 0.0),
        VarianceMethod::Ml => {
            let c = weighted_cross(xm, &st.vinv.component_mul(&st.vinv));
            (2.0 / sum_v2, -trace_product(&st.a_inv, &c) / sum_v2)
        }
        VarianceMethod::Fh => {
            let mf = m as f64;
            (
                2.0 * mf / (sum_v1 * sum_v1),
                2.0 * (mf * sum_v2 - sum_v1 * sum_v1) / sum_v1.powi(3),
            )
        }
        VarianceMethod::Adjusted => {
            let (_, info) = reml_score_info(st, xm);
            let b = if s2 > 0.0 { 1.0 / (s2 * info) } else { 0.0 };
            (2.0 / sum_v2, b)
        }
    }
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
    fn collinear_covariates_are_refused() {
        // Two identical covariate columns: X'V⁻¹X is singular.
        let x = Design::with_intercept(&[vec![0.1, 0.1], vec![0.5, 0.5], vec![0.9, 0.9]]);
        let x = design_matrix(&x);
        let y = DVector::from_column_slice(&[0.2, 0.4, 0.5]);
        assert!(state(&y, &[0.01, 0.02, 0.015], &x, 0.02).is_err());
    }

    #[test]
    fn gls_state_of_a_2x2_system() {
        // Intercept + one covariate, σ_u² = 0, ψ = 1: V = I, so A = X'X = [3 3; 3 5] for
        // x = 0, 1, 2 (Σx = 3, Σx² = 5), det 6, A⁻¹ = [5 −3; −3 3]/6; y = 1, 2, 4: X'y = [7, 10],
        // β̂ = A⁻¹X'y = [(35 − 30)/6, (−21 + 30)/6] = [5/6, 3/2].
        let x = design_matrix(&Design::with_intercept(&[vec![0.0], vec![1.0], vec![2.0]]));
        let y = DVector::from_column_slice(&[1.0, 2.0, 4.0]);
        let st = state(&y, &[1.0, 1.0, 1.0], &x, 0.0).unwrap();
        let want = [5.0 / 6.0, -0.5, -0.5, 0.5];
        for (a, b) in st.a_inv.iter().zip(want) {
            assert!((a - b).abs() < 1e-14, "{a} vs {b}");
        }
        assert!((st.beta[0] - 5.0 / 6.0).abs() < 1e-14);
        assert!((st.beta[1] - 1.5).abs() < 1e-14);
        // Residuals: 1 − 5/6, 2 − 7/3, 4 − 23/6.
        let want_r = [1.0 / 6.0, -1.0 / 3.0, 1.0 / 6.0];
        for (a, b) in st.resid.iter().zip(want_r) {
            assert!((a - b).abs() < 1e-14, "{a} vs {b}");
        }
    }

    #[test]
    fn reml_traces_match_dense_formulas() {
        // Compare tr P and tr P² from the O(mp²) forms with dense m×m computation
        // P = V⁻¹ − V⁻¹X(X'V⁻¹X)⁻¹X'V⁻¹.
        let design =
            Design::with_intercept(&[vec![0.1], vec![0.5], vec![0.9], vec![0.3], vec![0.7]]);
        let x = design_matrix(&design);
        let y = DVector::from_column_slice(&[0.2, 0.4, 0.5, 0.3, 0.45]);
        let psi = [0.01, 0.02, 0.015, 0.01, 0.03];
        let s2 = 0.02;
        let st = state(&y, &psi, &x, s2).unwrap();
        let (score, info) = reml_score_info(&st, &x);
        let vinv = DMatrix::from_diagonal(&st.vinv);
        let pm = &vinv - &vinv * &x * &st.a_inv * x.transpose() * &vinv;
        let py = &pm * &y;
        let ypy = py.norm_squared();
        assert!((score - (-0.5 * (pm.trace() - ypy))).abs() < 1e-9);
        assert!((info - 0.5 * (&pm * &pm).trace()).abs() < 1e-9);
        // x'A⁻¹x by hand for p = 2.
        let r = design.row(2);
        let a = &st.a_inv;
        let by_hand =
            r[0] * r[0] * a[(0, 0)] + 2.0 * r[0] * r[1] * a[(0, 1)] + r[1] * r[1] * a[(1, 1)];
        assert!((quad(a, r) - by_hand).abs() < 1e-12);
    }
}
