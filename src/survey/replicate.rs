//! Replicate-weight variance (`litmon estimate --repweights`), exactly as R `survey::svrepdesign`
//! (`combined.weights = TRUE`) with `svymean` / `svyby(svymean)`.
//!
//! Formulas (proportions). For a domain with indicator d_i (1 for the total) and replicate
//! analysis weights w_ri, r = 1..R:
//!
//! * p̂ = Σ w d y / Σ w d with the full-sample weight w (`--weight`);
//! * θ_r = Σ w_r d y / Σ w_r d, the same Hájek ratio under replicate r;
//! * V̂ = scale · Σ_r rscale_r (θ_r − θ̄)², θ̄ = mean of the θ_r with rscale_r > 0, or θ̄ = p̂
//!   with `--mse` (svrepdesign `mse = TRUE`); replicates whose θ_r is undefined (Σ w_r d = 0)
//!   are dropped with their rscale, as R `svrVar` (`na.omit`);
//! * svrepdesign's defaults: JK1 scale (R−1)/R, rscales 1; JKn scale 1, rscales (n_h−1)/n_h
//!   (given with `--rscales`, one per replicate, as svrepdesign requires); BRR scale 1/R;
//!   Fay scale 1/(R (1−ρ)²); bootstrap scale 1/(R−1); rscales 1 except JKn;
//! * df = rank of the domain's replicate-weight matrix (rows of the domain × R) − 1, as R
//!   `degf` of the subset design (`qr(weights(design, "analysis"), tol = 1e-5)$rank − 1`);
//!   the rank is taken from the accumulated Gram matrix WᵀW (see [`rank`]);
//! * deff = V̂ / V_srs with V_srs = n/(n−1) · p̂(1−p̂)/n · (Σw − n)/Σw, n the domain's rows
//!   (zero weights included: the rows of R's subset design), as `svymean(deff = TRUE)` on a
//!   svrepdesign (`svyvar(…)/nobs · (npop − nobs)/npop`, not set to NaN when Σw < n);
//! * n_eff = p̂(1 − p̂)/V̂.

use crate::error::{Error, Result};
use crate::survey::error::SurveyError;

/// Replicate type (`--reptype`), as svrepdesign `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepType {
    /// Delete-one jackknife (`JK1`): scale (R−1)/R.
    Jk1,
    /// Stratified delete-one jackknife (`JKn`): scale 1, rscales (n_h−1)/n_h from `--rscales`.
    Jkn,
    /// Balanced repeated replication (`BRR`): scale 1/R.
    Brr,
    /// Fay's modified BRR (`Fay`, with `--rho` ρ): scale 1/(R (1−ρ)²).
    Fay,
    /// Bootstrap replicates (`bootstrap`): scale 1/(R−1).
    Bootstrap,
}

impl RepType {
    /// The names of `--reptype`.
    pub const NAMES: &'static [&'static str] = &["jk1", "jkn", "brr", "fay", "bootstrap"];
}

impl std::str::FromStr for RepType {
    type Err = crate::error::UnknownName;

    /// Parses a `--reptype` value (case-insensitive): `jk1`, `jkn`, `brr`, `fay` or `bootstrap`.
    fn from_str(s: &str) -> std::result::Result<RepType, Self::Err> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "jk1" => RepType::Jk1,
            "jkn" => RepType::Jkn,
            "brr" => RepType::Brr,
            "fay" => RepType::Fay,
            "bootstrap" => RepType::Bootstrap,
            _ => return Err(crate::error::UnknownName::new(s, RepType::NAMES)),
        })
    }
}

/// What `--repweights`, `--reptype`, `--rho`, `--rscales` and `--mse` ask for.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicateSpec {
    /// Replicate weight columns: every column whose name starts with this prefix.
    pub prefix: String,
    /// Replicate type (`--reptype`).
    pub kind: RepType,
    /// Fay's ρ (required for Fay).
    pub rho: Option<f64>,
    /// Per-replicate rscales (required for JKn).
    pub rscales: Option<Vec<f64>>,
    /// Deviations around the full-sample estimate (svrepdesign `mse = TRUE`).
    pub mse: bool,
}

/// The constants of the variance formula once R (the number of replicates) is known.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicateVariance {
    /// `scale` of V̂ = scale · Σ_r rscale_r (θ_r − θ̄)² (Wolter 2007, *Introduction to Variance
    /// Estimation*; svrepdesign's value for the [`RepType`]).
    pub scale: f64,
    /// `rscale_r`, one per replicate: `--rscales`, else all 1.
    pub rscales: Vec<f64>,
    /// Centre the deviations at p̂ rather than θ̄ (svrepdesign `mse = TRUE`).
    pub mse: bool,
}

impl ReplicateVariance {
    /// scale and rscales of svrepdesign for `n_rep` replicates (module doc).
    pub fn new(spec: &ReplicateSpec, n_rep: usize) -> Result<ReplicateVariance> {
        let r = n_rep as f64;
        if n_rep < 2 {
            return Err(Error::Survey(SurveyError::TooFewReplicates {
                prefix: spec.prefix.clone(),
                found: n_rep,
            }));
        }
        let scale = match spec.kind {
            RepType::Jk1 => (r - 1.0) / r,
            RepType::Jkn => 1.0,
            RepType::Brr => 1.0 / r,
            RepType::Fay => {
                let rho = spec.rho.ok_or(Error::Survey(SurveyError::FayWithoutRho))?;
                1.0 / (r * (1.0 - rho).powi(2))
            }
            RepType::Bootstrap => 1.0 / (r - 1.0),
        };
        let rscales = match (spec.kind, &spec.rscales) {
            (RepType::Jkn, None) => return Err(Error::Survey(SurveyError::JknWithoutRscales)),
            (_, Some(v)) if v.len() != n_rep => {
                return Err(Error::Survey(SurveyError::RscalesCount {
                    expected: n_rep,
                    found: v.len(),
                }))
            }
            (_, Some(v)) => v.clone(),
            (_, None) => vec![1.0; n_rep],
        };
        Ok(ReplicateVariance {
            scale,
            rscales,
            mse: spec.mse,
        })
    }

    /// V̂ = scale · Σ_r rscale_r (θ_r − θ̄)² (module doc); NaN replicates are dropped.
    ///
    /// ```
    /// use litmon::survey::replicate::ReplicateVariance;
    /// let v = ReplicateVariance { scale: 0.5, rscales: vec![1.0, 1.0], mse: false };
    /// assert!((v.variance(&[0.2, 0.4], 0.3) - 0.01).abs() < 1e-15);
    /// ```
    pub fn variance(&self, theta: &[f64], full: f64) -> f64 {
        let kept = || theta.iter().zip(&self.rscales).filter(|(t, _)| !t.is_nan());
        if kept().next().is_none() {
            return f64::NAN;
        }
        let centre = if self.mse {
            full
        } else {
            let (s, n) = kept()
                .filter(|(_, &rs)| rs > 0.0)
                .fold((0.0, 0usize), |(s, n), (t, _)| (s + t, n + 1));
            s / n as f64
        };
        self.scale * kept().map(|(t, rs)| rs * (t - centre).powi(2)).sum::<f64>()
    }
}

/// Rank of an R × R Gram matrix G = WᵀW (row-major, only the upper triangle read), as the
/// column-pivoting-free rank of R's `qr(W, tol = 1e-5)` (LINPACK dqrdc2): columns are taken in
/// order and column j is dependent when its residual norm after projecting out the accepted
/// columns is below tol · its original norm, i.e. Schur complement s_jj < tol² · G_jj.
pub fn rank(gram: &[f64], r: usize) -> usize {
    const TOL2: f64 = 1e-10;
    // Cholesky factor rows of accepted columns: l[k][j] for accepted k.
    let mut l: Vec<Vec<f64>> = Vec::new();
    let mut accepted: Vec<usize> = Vec::new();
    for j in 0..r {
        let g = |a: usize, b: usize| {
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            gram[a * r + b]
        };
        let gjj = g(j, j);
        if !(gjj > 0.0) {
            continue;
        }
        // Column j of L against accepted columns.
        let mut col = Vec::with_capacity(accepted.len());
        for (k, &ak) in accepted.iter().enumerate() {
            let mut v = g(ak, j);
            for (m, &lm) in col.iter().enumerate() {
                let lk: &Vec<f64> = &l[k];
                v -= lk[m] * lm;
            }
            // l[k] holds, for accepted column k, its factor entries then its diagonal.
            v /= l[k][k];
            col.push(v);
        }
        let s = gjj - col.iter().map(|v| v * v).sum::<f64>();
        if s > TOL2 * gjj {
            col.push(s.sqrt());
            l.push(col);
            accepted.push(j);
        }
    }
    accepted.len()
}
