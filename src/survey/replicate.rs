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

use crate::error::survey::SurveyError;
use crate::error::{Error, Result};

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
    /// norm (‖res‖² ≤ 10⁻¹⁰ ‖w_j‖²); the rank cannot exceed m, the number of merged rows.
    /// Delete-one jackknife matrices are ranked in O(r · m) without a factorisation (the
    /// private `jackknife_rank`, whose doc proves it equal); every other matrix (or a
    /// jackknife one too close to the tolerance) by Gram–Schmidt, O(r · m · rank).
    pub fn rank(&self, r: usize) -> usize {
        let mut rows: Vec<Entry<'_>> = self.rows.iter().collect();
        rows.sort_by_key(|(_, (o, _))| *o);
        jackknife_rank(&rows, r).unwrap_or_else(|| gram_schmidt_rank(&rows, r))
    }
}

/// The tolerance of R's `qr` in [`RepRows::rank`], squared: column j is dependent when
/// ‖residual‖² ≤ `TOL2` · ‖w_j‖².
const TOL2: f64 = 1e-10;

/// The rank of [`RepRows::rank`] without a factorisation when W has the delete-one jackknife
/// shape (JK1: replicate r sets the weights of one PSU to 0 and multiplies all others by the
/// same factor); `None` when the premise fails or the certificate below is too weak, and the
/// caller falls back to [`gram_schmidt_rank`]. Time and memory O(r · m).
///
/// **Premise.** m ≥ 2 merged rows, and every merged direction u_g is 0/1 with exactly one 0,
/// at column z_g (a JK1 row: its full weight times f = R/(R−1) everywhere except the
/// replicate that drops its PSU; [`RepRows::add`] divides by that common value, so the ones are
/// exactly 1.0). Distinct merged rows have distinct z_g (equal z_g would be equal directions).
/// With s_g = √(Σc²)_g and S = diag(s), every column of the merged matrix A = S·U is either
/// d_g = s − s_g e_g (column z_g, dropping row g) or s itself (a column that drops no merged
/// row); none is zero since m ≥ 2.
///
/// **Claim.** Let D = (δ_1, …, δ_n) be the distinct columns in order of first appearance and
/// K = min(m, n). If σ_min(D_K) > τ · ‖s‖ with D_K = (δ_1 … δ_K) and τ = 10⁻⁵, the greedy rank
/// (dqrdc2, and [`gram_schmidt_rank`]) is K.
///
/// **Proof.** By induction over the columns in order, the accepted set is the first
/// occurrences of δ_1 … δ_i seen so far. A repeated column equals an accepted one: residual
/// 0, dependent. A new δ_i (i ≤ K) has residual dist(δ_i, span(δ_1 … δ_{i−1})) ≥
/// σ_min(δ_1 … δ_i) ≥ σ_min(D_K) (dropping columns of a matrix with full column rank does not
/// lower its smallest singular value) > τ‖s‖ ≥ τ‖δ_i‖, so it is accepted. After K = m
/// acceptances no column can be independent; if n < m every δ is accepted. ∎
///
/// **Certificate.** D_K = S·C_K with C_K's columns 1 − e_g (t of them) and, when s is among
/// the first K distinct columns, 𝟏 (o = 1); σ_min(S·C) ≥ min_g s_g · σ_min(C). CᵀC is
/// (m−2)J_t + I_t when o = 0: eigenvalues 1 and 1 + t(m−2) ≥ 1, so σ_min(C) ≥ 1. When o = 1
/// (then t ≤ m − 1): vectors orthogonal to 𝟏_t in the first block keep eigenvalue 1, and the
/// remaining 2 × 2 block [[1 + t(m−2), (m−1)√t], [(m−1)√t, m]] has determinant m − t ≥ 1 and
/// trace T = 1 + t(m−2) + m ≥ its larger eigenvalue, so its smaller one is ≥ (m − t)/T.
/// Hence σ_min(C)² ≥ β² = min(1, (m − t)/T). The test used is min s · β > 2τ‖s‖ (a factor 2 of
/// room for rounding: the floating-point residuals differ from the exact ones by about
/// m·ε·‖s‖, far below τ‖s‖). It fails for large m with s among the first columns (σ_min(C)
/// ≈ 1/m there, the near-dependence R's tolerance is about), and the exact algorithm decides.
fn jackknife_rank(rows: &[Entry<'_>], r: usize) -> Option<usize> {
    const TAU: f64 = 1e-5;
    let m = rows.len();
    if m < 2 {
        return None;
    }
    let one = 1.0f64.to_bits();
    // drops[j]: the merged row column j drops, if any.
    let mut drops: Vec<Option<usize>> = vec![None; r];
    let (mut s_min, mut norm2) = (f64::INFINITY, 0.0);
    for (g, (key, (_, weight))) in rows.iter().enumerate() {
        let key = key.get(..r)?;
        let mut zero = None;
        for (j, &bits) in key.iter().enumerate() {
            if bits == 0 {
                if zero.replace(j).is_some() {
                    return None;
                }
            } else if bits != one {
                return None;
            }
        }
        let z = zero?;
        if drops[z].replace(g).is_some() {
            return None;
        }
        s_min = s_min.min(weight.sqrt());
        norm2 += weight;
    }
    // The first K distinct columns: t dropping columns, and s (o) if it comes among them.
    let (mut t, mut o) = (0usize, false);
    for d in &drops {
        if t + usize::from(o) == m {
            break;
        }
        match d {
            Some(_) => t += 1,
            None => o = true,
        }
    }
    let beta2 = if o && t > 0 {
        let (mf, tf) = (m as f64, t as f64);
        let trace = 1.0 + tf * (mf - 2.0) + mf;
        ((mf - tf) / trace).min(1.0)
    } else {
        1.0
    };
    let certified = s_min * s_min * beta2 > 4.0 * TAU * TAU * norm2;
    certified.then_some(t + usize::from(o))
}

/// [`RepRows::rank`] computed on the merged rows (m of them) by classical Gram–Schmidt with
/// one reorthogonalisation; it stops once m columns are accepted (the rank cannot exceed m).
/// Time O(r · m · rank), memory O(r · m).
fn gram_schmidt_rank(rows: &[Entry<'_>], r: usize) -> usize {
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

    /// Merged rows of a JK1 matrix: `psus[i]` = (replicate that drops PSU i, its row
    /// weights); every row is w · f except 0 in its PSU's replicate.
    fn jk1(psus: &[(usize, Vec<f64>)], r: usize) -> (RepRows, Vec<Vec<f64>>) {
        let f = r as f64 / (r as f64 - 1.0);
        let mut rr = RepRows::default();
        let mut rows = Vec::new();
        for (drop, ws) in psus {
            for w in ws {
                let row: Vec<f64> = (0..r)
                    .map(|j| if j == *drop { 0.0 } else { w * f })
                    .collect();
                rr.add(&row);
                rows.push(row);
            }
        }
        (rr, rows)
    }

    fn sorted(rr: &RepRows) -> Vec<Entry<'_>> {
        let mut rows: Vec<Entry<'_>> = rr.rows.iter().collect();
        rows.sort_by_key(|(_, (o, _))| *o);
        rows
    }

    #[test]
    fn jackknife_shortcut_agrees_with_gram_schmidt() {
        use rand::seq::SliceRandom;
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let (mut fast, mut slow) = (0, 0);
        for case in 0..300 {
            let r = rng.gen_range(2..40);
            let m = rng.gen_range(1..=r);
            let mut cols: Vec<usize> = (0..r).collect();
            cols.shuffle(&mut rng);
            // Weight spreads from none to 10⁸ (the latter near R's tolerance).
            let spread = 10f64.powi(rng.gen_range(0..9));
            let psus: Vec<(usize, Vec<f64>)> = cols[..m]
                .iter()
                .map(|&c| {
                    let n = rng.gen_range(1..4);
                    let w = rng.gen_range(1.0..spread.max(1.0 + 1e-9));
                    (c, vec![w; n])
                })
                .collect();
            let (rr, rows) = jk1(&psus, r);
            let entries = sorted(&rr);
            let exact = gram_schmidt_rank(&entries, r);
            assert_eq!(exact, gram_rank(&rows, r), "case {case}");
            match jackknife_rank(&entries, r) {
                Some(k) => {
                    fast += 1;
                    assert_eq!(k, exact, "case {case}");
                    // Independently: the m PSUs give m distinct columns s − s_g e_g, so
                    // n ≥ m distinct columns and the rank min(m, n) = m.
                    assert_eq!(k, m, "case {case}");
                }
                None => slow += 1,
            }
            assert_eq!(rr.rank(r), exact, "case {case}");
        }
        assert!(
            fast > 100 && slow > 10,
            "both paths exercised: {fast} fast, {slow} slow"
        );
    }

    #[test]
    fn jackknife_shortcut_covers_the_large_case_and_refuses_other_shapes() {
        // issue 20 case 5c: every row its own PSU, R = 2m: rank m without a factorisation.
        let psus: Vec<(usize, Vec<f64>)> = (0..300)
            .map(|i| (i, vec![50.0 + (i % 97) as f64]))
            .collect();
        let (rr, _) = jk1(&psus, 600);
        assert_eq!(jackknife_rank(&sorted(&rr), 600), Some(300));
        assert_eq!(gram_schmidt_rank(&sorted(&rr), 600), 300);
        // Two zeros in a row (not JK1), a third weight value, or one merged row: fall back.
        let mut two = RepRows::default();
        two.add(&[0.0, 0.0, 1.0, 1.0]);
        two.add(&[1.0, 1.0, 0.0, 1.0]);
        assert_eq!(jackknife_rank(&sorted(&two), 4), None);
        assert_eq!(two.rank(4), 2);
        let mut three = RepRows::default();
        three.add(&[0.0, 2.0, 1.0]);
        three.add(&[1.0, 0.0, 1.0]);
        assert_eq!(jackknife_rank(&sorted(&three), 3), None);
        let mut single = RepRows::default();
        single.add(&[0.0, 2.0, 2.0]);
        assert_eq!(jackknife_rank(&sorted(&single), 3), None);
        assert_eq!(single.rank(3), 1);
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
