//! Raking to population margins (iterative proportional fitting), with the variance from
//! calibration residuals, exactly as R `survey::rake` + `svymean`/`svyby`.
//!
//! The pass keeps sums per (domain, PSU, cell c of the full cross of every margin column);
//! raking works on those cell totals only.
//!
//! Weights (R `rake`, `control = list(maxit = 10, epsilon = 1)`): w*_i = w_i · G_c. Starting
//! from G_c = 1, one iteration post-stratifies on each margin k in turn (R `postStratify`):
//! G_c ← G_c · N_m / T_m for the margin cell m ∋ c, with T_m = Σ_{c∈m} Ŝ_c G_c and
//! Ŝ_c = Σ_{i∈c} w_i. After each iteration the full-cross table Ŝ_c G_c is compared with the
//! previous one (the design-weighted table before the first); R stops as soon as
//! max_c |old_c − new_c| < epsilon = 1, else after maxit = 10 iterations (with a warning).
//!
//! Variance (R `svyrecvar` on a `"raking"` postStrata entry): with ψ^{(k)}_i = w_i G^{(k)}_c the
//! weights right after margin k of the final iteration, the linearised values
//! x_i = w*_i d_i (y_i − p̂_d)/N̂_d are residualised 10 times over the margins in order:
//! x_i ← x_i − ψ^{(k)}_i · mean_{j∈m(i)} (x_j / ψ^{(k)}_j), an unweighted mean over every row of
//! the margin cell (R `ave`). Every x_i stays of the form w_i (G_c d_i e_i + β_c), so the
//! cell sums Σ_{i∈c} d_i (y_i − p̂_d) (unweighted) and the row counts n_c suffice. Then
//! V̂ = Taylor variance of the PSU totals (see [`crate::survey::taylor`]).
//!
//! R divides by ψ_i, so a sample with a weight-0 row gives a NaN variance; so does this code.

use crate::error::survey::SurveyError;
use crate::error::{Error, Location, Result};
use crate::survey::calibration::{calibrated_proportion, factors, Population};
use crate::survey::reader::Accumulated;
use crate::survey::taylor::{
    finish, linearised_variance, LonelyPsu, ProportionEstimate, PsuTotal, Stratum,
};
use std::collections::{BTreeMap, HashMap};

/// R `rake`'s default `control$maxit`.
pub const MAXIT: usize = 10;
/// R `rake`'s default `control$epsilon` (≥ 1: an absolute tolerance on the weighted table).
pub const EPSILON: f64 = 1.0;

/// Every margin column once, in order of first appearance: the full cross the pass keeps
/// (its post-stratum columns). `margins` holds each margin's (crossed) columns, e.g.
/// `[["sex"], ["age_band", "urban"]]`.
pub fn margin_columns(margins: &[Vec<String>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in margins.iter().flatten() {
        if !out.contains(c) {
            out.push(c.clone());
        }
    }
    out
}

/// Raking factors per full-cross cell and what the variance needs.
#[derive(Debug, Clone, PartialEq)]
pub struct RakeStrata {
    /// Final G_c per cell.
    pub factor: Vec<f64>,
    /// G^{(k)}_c after margin k of the final iteration.
    pub steps: Vec<Vec<f64>>,
    /// Margin cell of each full-cross cell, per margin.
    pub margin_cell: Vec<Vec<u32>>,
    /// Number of cells of each margin.
    pub n_margin_cells: Vec<usize>,
    /// Rows (any weight) of each cell, whole sample.
    pub rows: Vec<f64>,
    /// Per cell: (PSU, Σ_{i∈PSU∩c} w_i), whole sample.
    pub psus: Vec<Vec<(u32, f64)>>,
    /// Whether some row has weight 0 (R's variance is then NaN).
    pub zero_weight: bool,
    /// Whether the iteration met epsilon within maxit.
    pub converged: bool,
}

/// The cells of one margin in terms of the full cross the pass keeps.
struct MarginCells {
    /// Margin cell of each full-cross cell.
    of_cell: Vec<u32>,
    /// Values of each margin cell (in the margin's column order).
    values: Vec<Vec<String>>,
    /// Ŝ_m = Σ_{c∈m} Ŝ_c per margin cell.
    sample_total: Vec<f64>,
}

impl MarginCells {
    /// The margin of columns `cols` (among `all`, the full cross) with the full-cross cells'
    /// design-weighted totals `s`.
    fn new(acc: &Accumulated, all: &[String], cols: &[String], s: &[f64]) -> MarginCells {
        let idx: Vec<usize> = cols
            .iter()
            .filter_map(|c| all.iter().position(|a| a == c))
            .collect();
        let mut index: HashMap<Vec<String>, u32> = HashMap::new();
        let mut values: Vec<Vec<String>> = Vec::new();
        let mut of_cell = Vec::with_capacity(acc.post_cells.len());
        for v in &acc.post_cells {
            let key: Vec<String> = idx
                .iter()
                .map(|&j| v.get(j).cloned().unwrap_or_default())
                .collect();
            let m = *index.entry(key.clone()).or_insert_with(|| {
                values.push(key);
                values.len() as u32 - 1
            });
            of_cell.push(m);
        }
        let mut sample_total = vec![0.0; values.len()];
        for (c, &m) in of_cell.iter().enumerate() {
            sample_total[m as usize] += s[c];
        }
        MarginCells {
            of_cell,
            values,
            sample_total,
        }
    }
}

/// Ŝ_c = Σ_{i∈c} w_i per full-cross cell c, whole sample.
fn cell_weights(acc: &Accumulated) -> Vec<f64> {
    let total = &acc.tables[0];
    let mut s = vec![0.0; acc.post_cells.len()];
    for i in 0..total.cell_w.len() {
        s[total.cell_post[i] as usize] += total.cell_w[i];
    }
    s
}

/// Checks the population counts of margin `k` against the sample as R `postStratify`
/// (partial = FALSE; [`factors`]), as [`rake_strata`] does margin by margin: the command line
/// calls it as it reads each margin's table, so that a margin's problem is reported before the
/// next table is read.
pub fn check_margin(
    acc: &Accumulated,
    margins: &[Vec<String>],
    k: usize,
    population: &Population,
) -> Result<()> {
    let all = margin_columns(margins);
    let m = MarginCells::new(acc, &all, &margins[k], &cell_weights(acc));
    factors(
        &m.values,
        &m.sample_total,
        &population.counts,
        &population.label,
    )
    .map(|_| ())
}

/// Rakes the accumulated pass (read with [`margin_columns`] as its post-stratum columns) to
/// the population counts of each margin: `margins[k]` are the columns of margin k and
/// `populations[k]` its counts (same order).
pub fn rake_strata(
    acc: &Accumulated,
    margins: &[Vec<String>],
    populations: &[Population],
) -> Result<RakeStrata> {
    if margins.len() != populations.len() || margins.is_empty() {
        return Err(Error::Survey(SurveyError::PopulationsPerMargin));
    }
    let all = margin_columns(margins);
    let total = &acc.tables[0];
    let n_cells = acc.post_cells.len();
    let mut s = vec![0.0; n_cells];
    let mut rows = vec![0.0; n_cells];
    let mut psus = vec![Vec::new(); n_cells];
    let mut zero_weight = false;
    for i in 0..total.cell_w.len() {
        let c = total.cell_post[i] as usize;
        s[c] += total.cell_w[i];
        rows[c] += total.cell_rows[i] as f64;
        psus[c].push((total.cell_psu[i], total.cell_w[i]));
        zero_weight |= total.cell_rows[i] > total.cell_nonzero[i];
    }
    let mut margin_cell = Vec::new();
    let mut margin_totals: Vec<(String, f64)> = Vec::new();
    let mut n_margin_cells = Vec::new();
    let mut pop_counts = Vec::new();
    for (cols, population) in margins.iter().zip(populations) {
        let MarginCells {
            of_cell,
            values,
            sample_total: st,
        } = MarginCells::new(acc, &all, cols, &s);
        let counts = &population.counts;
        margin_totals.push((population.label.clone(), counts.values().sum::<f64>()));
        // Checks as R postStratify (partial = FALSE); g is recomputed every step below.
        factors(&values, &st, counts, &population.label)?;
        pop_counts.push(
            values
                .iter()
                .map(|v| counts.get(v).copied().unwrap_or(0.0))
                .collect::<Vec<f64>>(),
        );
        n_margin_cells.push(values.len());
        margin_cell.push(of_cell);
    }
    // Margins of one population have one total; raking to margins that disagree cannot
    // meet them all and converges to weights that meet none (relative tolerance 1e-6).
    if let Some((first, t0)) = margin_totals.first() {
        for (file, t) in &margin_totals[1..] {
            if !t.is_finite() || !t0.is_finite() || (t - t0).abs() > 1e-6 * t0.abs().max(t.abs()) {
                return Err(Error::Survey(SurveyError::MarginTotalsDiffer {
                    location: Location::file(file),
                    total: *t,
                    first: first.clone(),
                    first_total: *t0,
                }));
            }
        }
    }
    let (g, steps, converged) = iterate(&s, &margin_cell, &n_margin_cells, &pop_counts);
    Ok(RakeStrata {
        factor: g,
        steps,
        margin_cell,
        n_margin_cells,
        rows,
        psus,
        zero_weight,
        converged,
    })
}

/// The iteration of R `rake` (module doc) from G_c = 1 on the full-cross cells' design
/// totals `s`: the final G, the G^{(k)} after each margin k of the last iteration, and whether
/// max_c |old_c − new_c| < [`EPSILON`] within [`MAXIT`] iterations.
fn iterate(
    s: &[f64],
    margin_cell: &[Vec<u32>],
    n_margin_cells: &[usize],
    pop_counts: &[Vec<f64>],
) -> (Vec<f64>, Vec<Vec<f64>>, bool) {
    let mut g = vec![1.0; s.len()];
    let mut old: Vec<f64> = s.to_vec();
    let mut steps = Vec::new();
    let mut converged = false;
    let mut iter = 0;
    while iter < MAXIT {
        steps.clear();
        for (k, of_cell) in margin_cell.iter().enumerate() {
            let mut t = vec![0.0; n_margin_cells[k]];
            for (c, &m) in of_cell.iter().enumerate() {
                t[m as usize] += s[c] * g[c];
            }
            for (c, &m) in of_cell.iter().enumerate() {
                let m = m as usize;
                if t[m] > 0.0 {
                    g[c] *= pop_counts[k][m] / t[m];
                }
            }
            steps.push(g.clone());
        }
        let new: Vec<f64> = s.iter().zip(&g).map(|(a, b)| a * b).collect();
        let delta = old
            .iter()
            .zip(&new)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        if delta < EPSILON {
            converged = true;
            break;
        }
        old = new;
        iter += 1;
    }
    (g, steps, converged)
}

/// One (PSU, full-cross cell) cell of a domain: design-weighted sums and the unweighted Σy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RakeCell {
    /// PSU (index into [`crate::survey::reader::Accumulated::psu_stratum`]).
    pub psu: u32,
    /// Full-cross cell of the raking margins (index into
    /// [`crate::survey::reader::Accumulated::post_cells`]).
    pub cell: u32,
    /// Design-weighted sums of the domain's rows in the cell.
    pub total: PsuTotal,
    /// Σ d y over the cell's rows, unweighted.
    pub sum_y: f64,
}

/// Raked estimate of one domain (module doc).
pub fn estimate_raked(
    cells: &[RakeCell],
    rk: &RakeStrata,
    psu_stratum: &[u32],
    strata: &[Stratum],
    lonely: LonelyPsu,
) -> ProportionEstimate {
    let calibrated = cells
        .iter()
        .map(|c| (rk.factor[c.cell as usize], c.psu, &c.total));
    let (n_cal, p, mut psus) = match calibrated_proportion(calibrated) {
        Ok(start) => start,
        Err(no_total) => return no_total,
    };
    if rk.zero_weight {
        return finish(&mut psus, n_cal, p, f64::NAN);
    }
    let n_cells = rk.factor.len();
    // A_c = G_c Σ_{i∈c} d_i (y_i − p)/N̂ (unweighted over rows).
    let mut a = vec![0.0; n_cells];
    let mut z: BTreeMap<u32, f64> = BTreeMap::new();
    for c in cells {
        let cell = c.cell as usize;
        let g = rk.factor[cell];
        a[cell] += g * (c.sum_y - p * c.total.n_rows as f64) / n_cal;
        *z.entry(c.psu).or_insert(0.0) += g * (c.total.sum_wy - p * c.total.sum_w) / n_cal;
    }
    let mut beta = vec![0.0; n_cells];
    for _ in 0..10 {
        for (k, of_cell) in rk.margin_cell.iter().enumerate() {
            let psw = &rk.steps[k];
            let mut sum = vec![0.0; rk.n_margin_cells[k]];
            let mut cnt = vec![0.0; rk.n_margin_cells[k]];
            for (c, &m) in of_cell.iter().enumerate() {
                if rk.rows[c] > 0.0 {
                    sum[m as usize] += (a[c] + rk.rows[c] * beta[c]) / psw[c];
                    cnt[m as usize] += rk.rows[c];
                }
            }
            for (c, &m) in of_cell.iter().enumerate() {
                let m = m as usize;
                if cnt[m] > 0.0 {
                    beta[c] -= psw[c] * sum[m] / cnt[m];
                }
            }
        }
    }
    for (c, list) in rk.psus.iter().enumerate() {
        if beta[c] == 0.0 {
            continue;
        }
        for &(psu, w) in list {
            *z.entry(psu).or_insert(0.0) += beta[c] * w;
        }
    }
    let mut zs: Vec<(usize, f64)> = z
        .into_iter()
        .map(|(j, v)| (psu_stratum[j as usize] as usize, v))
        .collect();
    let var = linearised_variance(&mut zs, strata, lonely);
    finish(&mut psus, n_cal, p, var)
}
