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
//!   the rank is taken from the domain's rows with proportional rows merged (see [`RepRows`]);
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

/// One merged row of [`RepRows`]: direction bits, (order, Σ c²).
type Entry<'a> = (&'a Box<[u64]>, &'a (u32, f64));

/// A domain's replicate-weight matrix W (rows of the domain × R replicates), kept in a
/// form whose size grows with R, not R²: rows that are proportional (the rows of one PSU,
/// whose replicate weights are its full weight times the same replicate factors) are merged.
/// A row w is stored as its direction u = w / c (c its first nonzero entry, so u's first
/// nonzero entry is exactly 1) with Σ c² over the rows of that direction; the merged matrix
/// with rows √(Σc²)·u has the same Gram matrix WᵀW = Σ_g (Σc²)_g u_g u_gᵀ, hence the same
/// rank for [`RepRows::rank`]. Memory: R values per distinct direction (at most one per row,
/// usually one per PSU); time per row O(R).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepRows {
    /// Direction bits (zeros as +0.0) → (order of first sight, Σ c²).
    rows: rustc_hash::FxHashMap<Box<[u64]>, (u32, f64)>,
    scratch: Vec<u64>,
}

impl RepRows {
    /// Adds one row of replicate weights (an all-zero row adds nothing to WᵀW).
    pub fn add(&mut self, w: &[f64]) {
        let Some(&c) = w.iter().find(|&&x| x != 0.0) else {
            return;
        };
        self.scratch.clear();
        self.scratch.extend(w.iter().map(|&x| {
            let u = x / c;
            if u == 0.0 {
                0
            } else {
                u.to_bits()
            }
        }));
        self.add_direction(c * c);
    }

    fn add_direction(&mut self, weight: f64) {
        if let Some(e) = self.rows.get_mut(&self.scratch[..]) {
            e.1 += weight;
        } else {
            let order = self.rows.len() as u32;
            let key: Box<[u64]> = self.scratch.as_slice().into();
            self.rows.insert(key, (order, weight));
        }
    }

    /// Adds every row of `other` (a block read in parallel); rows new to `self` come after
    /// its own, in `other`'s order.
    pub fn merge(&mut self, other: &RepRows) {
        let mut theirs: Vec<Entry<'_>> = other.rows.iter().collect();
        theirs.sort_by_key(|(_, (o, _))| *o);
        for (key, (_, weight)) in theirs {
            self.scratch.clear();
            self.scratch.extend_from_slice(key);
            self.add_direction(*weight);
        }
    }

    /// Distinct row directions kept.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when no nonzero row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Rank of W (`r` columns) as the column-pivoting-free rank of R's `qr(W, tol = 1e-5)`
    /// (LINPACK dqrdc2): columns are taken in order and column j is dependent when its
    /// residual norm after projecting out the accepted columns is below tol · its original
    /// norm (‖res‖² ≤ 10⁻¹⁰ ‖w_j‖²). Computed on the merged rows (m of them) by classical
    /// Gram–Schmidt with one reorthogonalisation; it stops once m columns are accepted (the
    /// rank cannot exceed m). Time O(r · m · rank), memory O(r · m).
    pub fn rank(&self, r: usize) -> usize {
        const TOL2: f64 = 1e-10;
        let mut rows: Vec<Entry<'_>> = self.rows.iter().collect();
        rows.sort_by_key(|(_, (o, _))| *o);
        let m = rows.len();
        // Column-major m × r matrix of √(Σc²)·u.
        let mut a = vec![0.0; m * r];
        for (g, (key, (_, weight))) in rows.iter().enumerate() {
            let s = weight.sqrt();
            for (j, bits) in key.iter().enumerate().take(r) {
                a[j * m + g] = s * f64::from_bits(*bits);
            }
        }
        // Accepted orthonormal columns, one after another (k × m); classical Gram–Schmidt
        // run twice ("twice is enough", Giraud et al. 2005) as matrix–vector products.
        let mut q: Vec<f64> = Vec::new();
        let mut k = 0;
        let mut d: Vec<f64> = Vec::new();
        for j in 0..r {
            if k >= m {
                break;
            }
            let mut v = a[j * m..(j + 1) * m].to_vec();
            let n0 = dot(&v, &v);
            if !(n0 > 0.0) {
                continue;
            }
            for _ in 0..2 {
                d.clear();
                d.extend(q.chunks_exact(m).map(|qi| dot(qi, &v)));
                for (qi, di) in q.chunks_exact(m).zip(&d) {
                    for (vx, qx) in v.iter_mut().zip(qi) {
                        *vx -= di * qx;
                    }
                }
            }
            let n1 = dot(&v, &v);
            if n1 > TOL2 * n0 {
                let inv = 1.0 / n1.sqrt();
                q.extend(v.iter().map(|x| x * inv));
                k += 1;
            }
        }
        k
    }
}

/// Σ aᵢbᵢ with four running sums (vectorised; the order differs from a plain fold only in
/// rounding).
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..4 {
            s[i] += x[i] * y[i];
        }
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (s[0] + s[1]) + (s[2] + s[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rank by the Gram matrix's Schur complements (the former method), for comparison.
    fn gram_rank(rows: &[Vec<f64>], r: usize) -> usize {
        let g = |a: usize, b: usize| rows.iter().map(|w| w[a] * w[b]).sum::<f64>();
        let mut l: Vec<Vec<f64>> = Vec::new();
        let mut acc: Vec<usize> = Vec::new();
        for j in 0..r {
            let gjj = g(j, j);
            if !(gjj > 0.0) {
                continue;
            }
            let mut col = Vec::new();
            for (k, &ak) in acc.iter().enumerate() {
                let mut v = g(ak, j);
                for (m, lm) in col.iter().enumerate() {
                    v -= l[k][m] * lm;
                }
                v /= l[k][k];
                col.push(v);
            }
            let s = gjj - col.iter().map(|v| v * v).sum::<f64>();
            if s > 1e-10 * gjj {
                col.push(s.sqrt());
                l.push(col);
                acc.push(j);
            }
        }
        acc.len()
    }

    #[test]
    fn merged_rows_keep_the_rank() {
        // JK1 on 4 PSUs of 3 rows each: replicate r drops PSU r, others × 4/3. W has rank 4.
        let mut rows = Vec::new();
        for psu in 0..4 {
            for i in 0..3 {
                let w = 1.0 + (psu * 3 + i) as f64 * 0.37;
                rows.push(
                    (0..4)
                        .map(|r| if r == psu { 0.0 } else { w * 4.0 / 3.0 })
                        .collect::<Vec<f64>>(),
                );
            }
        }
        let mut rr = RepRows::default();
        rows.iter().for_each(|w| rr.add(w));
        assert_eq!(rr.len(), 4, "one direction per PSU");
        assert_eq!(rr.rank(4), 4);
        assert_eq!(gram_rank(&rows, 4), 4);
        // A domain inside two PSUs: rank 2 (columns 0 and 1 dependent on 2 and 3… in order:
        // columns 0,1 accepted, 2 = combination? no: rows have zeros in their own PSU).
        let sub: Vec<Vec<f64>> = rows[..6].to_vec();
        let mut rs = RepRows::default();
        sub.iter().for_each(|w| rs.add(w));
        assert_eq!(rs.rank(4), gram_rank(&sub, 4));
        assert_eq!(rs.rank(4), 2);
        // Merging two halves gives the whole.
        let (mut a, mut b) = (RepRows::default(), RepRows::default());
        rows[..5].iter().for_each(|w| a.add(w));
        rows[5..].iter().for_each(|w| b.add(w));
        a.merge(&b);
        assert_eq!(a.rank(4), 4);
        assert_eq!(a.len(), 4);
    }

    #[test]
    fn random_matrices_agree_with_the_gram_rank() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for case in 0..200 {
            let r = rng.gen_range(1..12);
            let n = rng.gen_range(1..15);
            let basis = rng.gen_range(1..6);
            let base: Vec<Vec<f64>> = (0..basis)
                .map(|_| (0..r).map(|_| rng.gen_range(-2.0..3.0)).collect())
                .collect();
            let rows: Vec<Vec<f64>> = (0..n)
                .map(|_| {
                    let mut w = vec![0.0; r];
                    for b in &base {
                        let c: f64 = if rng.gen_bool(0.5) {
                            rng.gen_range(-1.0..1.0)
                        } else {
                            0.0
                        };
                        w.iter_mut().zip(b).for_each(|(x, y)| *x += c * y);
                    }
                    if rng.gen_bool(0.3) {
                        w[rng.gen_range(0..r)] = 0.0;
                    }
                    w
                })
                .collect();
            let mut rr = RepRows::default();
            rows.iter().for_each(|w| rr.add(w));
            assert_eq!(rr.rank(r), gram_rank(&rows, r), "case {case}");
        }
    }
}
