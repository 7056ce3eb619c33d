//! Post-stratification to population counts, with the variance from calibration residuals,
//! exactly as R `survey::postStratify` + `svymean`/`svyby`.
//!
//! Weights: w*_i = w_i · N_c / Ŝ_c for the post-stratum c of row i, with N_c the population
//! count and Ŝ_c = Σ_{i∈c} w_i the sample's weighted count (R `postStratify`: `reweight =
//! Pop.Freq / Freq`).
//!
//! Variance (R `svyrecvar` with `postStrata`): the linearised values of the calibrated
//! estimator z_i = w*_i d_i (y_i − p̂_d)/N̂_d are replaced by their residuals from the
//! post-stratum means, r_i = z_i − m_c · ψ_i with
//! m_c = Σ_{i∈c} w_i z_i/ψ_i / Σ_{i∈c} w_i = Σ_{i∈c} w_i d_i (y_i − p̂_d) / (N̂_d Ŝ_c)
//! and ψ_i = w*_i (R sets ψ_i = 1 for rows whose weight is 0, and so does this code). Rows
//! outside the domain get r_i = −m_c ψ_i: post-stratification spreads a domain's residual over
//! every PSU of its post-strata, as R does on a calibrated subset design (rows are kept with
//! zero weight). Then V̂ = Taylor variance of the PSU totals of r (see [`crate::survey::taylor`]).
//!
//! On a calibrated design R's `nrow(design)` of a domain is the whole sample, so the
//! Korn–Graubard interval uses t(n_sample − 1) there; [`crate::survey::estimate_accumulated`]
//! follows it.

use crate::error::{Error, Location, Result};
use crate::survey::reader::Accumulated;
use crate::survey::taylor::{
    finish, linearised_variance, LonelyPsu, ProportionEstimate, PsuTotal, Stratum,
};
use std::collections::{BTreeMap, HashMap};

/// Population counts of crossed cells: of the post-strata, or of one raking margin. Read
/// by the command line from a table with the cells' columns and one count column (R's
/// `Freq`); the estimator only sees the values.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Population {
    /// The table's name in errors (its file name as the user gave it).
    pub label: String,
    /// Cell values (in the order of the post-stratification or margin columns) → N_c.
    pub counts: HashMap<Vec<String>, f64>,
}

/// Post-stratification factors and the (PSU, cell) weight table the variance needs.
#[derive(Debug, Clone, PartialEq)]
pub struct PostStrata {
    /// g_c = N_c / Ŝ_c per cell.
    pub factor: Vec<f64>,
    /// Ŝ_c = Σ_{i∈c} w_i (design weights, all rows).
    pub sample_total: Vec<f64>,
    /// Per cell: (PSU, Σ_{i∈PSU∩c} w_i, rows with weight 0).
    pub psus: Vec<Vec<(u32, f64, u64)>>,
}

/// Factors g_c = N_c / Ŝ_c for the sample's cells. As R `postStratify` (partial = FALSE), a
/// sample cell absent from the population, or a populated cell absent from the sample, is an
/// error; cells empty in both are ignored.
pub fn factors(
    cell_values: &[Vec<String>],
    sample_total: &[f64],
    population: &HashMap<Vec<String>, f64>,
    population_file: &str,
) -> Result<Vec<f64>> {
    let mut g = Vec::with_capacity(cell_values.len());
    for (v, &s) in cell_values.iter().zip(sample_total) {
        let count = population.get(v).copied();
        let n = count.unwrap_or(0.0);
        if s > 0.0 && n == 0.0 {
            let (what_zh, what) = if count.is_some() {
                (
                    "总体数为 0；有受访者的事后分层的总体数应大于 0",
                    "has a population count of 0; expected a count > 0 for a post-stratum with respondents",
                )
            } else {
                (
                    "没有总体数；请添加其行",
                    "has no population count; add its row",
                )
            };
            let cell = v.join(",");
            return Err(Error::input(
                Location::file(population_file),
                text!(
                    "事后分层 {cell} 在样本中出现，但{what_zh}",
                    "post-stratum {cell} is in the sample but {what}"
                ),
            ));
        }
        g.push(if s > 0.0 { n / s } else { 0.0 });
    }
    for (k, &n) in population {
        if n > 0.0 {
            let found = cell_values
                .iter()
                .zip(sample_total)
                .any(|(v, &s)| v == k && s > 0.0);
            if !found {
                return Err(Error::input(
                    Location::file(population_file),
                    text!(
"事后分层 {} 有总体数，却没有权重非零的受访者（同 R 的 postStratify，partial = FALSE）",
"post-stratum {} has a population count but no respondent with a \
                         nonzero weight (as R postStratify, partial = FALSE)",
                        k.join(",")
                    ),
                ));
            }
        }
    }
    Ok(g)
}

/// Post-stratification factors g_c = N_c / Ŝ_c ([`factors`]) and the (PSU, post-stratum)
/// weight table of an accumulated pass (read with the post-stratum columns of `population`).
pub fn post_strata(acc: &Accumulated, population: &Population) -> Result<PostStrata> {
    let total = &acc.tables[0];
    let n_cells = acc.post_cells.len();
    let mut sample_total = vec![0.0; n_cells];
    let mut psus = vec![Vec::new(); n_cells];
    for i in 0..total.cell_w.len() {
        let post = total.cell_post[i] as usize;
        sample_total[post] += total.cell_w[i];
        psus[post].push((
            total.cell_psu[i],
            total.cell_w[i],
            total.cell_rows[i] - total.cell_nonzero[i],
        ));
    }
    let factor = factors(
        &acc.post_cells,
        &sample_total,
        &population.counts,
        &population.label,
    )?;
    Ok(PostStrata {
        factor,
        sample_total,
        psus,
    })
}

/// One (PSU, post-stratum) cell of a domain, design-weighted sums.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DomainCell {
    /// PSU (index into [`crate::survey::reader::Accumulated::psu_stratum`]).
    pub psu: u32,
    /// Post-stratum (index into [`crate::survey::reader::Accumulated::post_cells`]).
    pub post: u32,
    /// Design-weighted sums of the domain's rows in the cell.
    pub total: PsuTotal,
}

/// The start of a calibrated estimate of one domain, from its cells given as (calibration
/// factor G_c of the cell, PSU, design-weighted sums): N̂ = Σ_c G_c Σ d, p̂ = Σ_c G_c Σ d y / N̂,
/// and one [`PsuTotal`] per PSU (for n, rows and df). `Err` holds the finished estimate
/// (no proportion, no variance) when N̂ is not positive.
pub(crate) fn calibrated_proportion<'a>(
    cells: impl Iterator<Item = (f64, u32, &'a PsuTotal)> + Clone,
) -> std::result::Result<(f64, f64, Vec<PsuTotal>), ProportionEstimate> {
    let mut n_cal = 0.0;
    let mut t_cal = 0.0;
    for (g, _, total) in cells.clone() {
        n_cal += g * total.sum_w;
        t_cal += g * total.sum_wy;
    }
    let mut psus = PsuTotal::per_psu(cells.map(|(_, psu, total)| (psu, total)));
    if !(n_cal > 0.0) {
        return Err(finish(&mut psus, n_cal, f64::NAN, f64::NAN));
    }
    Ok((n_cal, t_cal / n_cal, psus))
}

/// Post-stratified estimate of one domain (module doc). `zacc` is scratch space of one slot
/// per PSU (all zero on entry, left zero on exit).
pub fn estimate_poststratified(
    cells: &[DomainCell],
    ps: &PostStrata,
    psu_stratum: &[u32],
    strata: &[Stratum],
    lonely: LonelyPsu,
    zacc: &mut [f64],
) -> ProportionEstimate {
    let calibrated = cells
        .iter()
        .map(|c| (ps.factor[c.post as usize], c.psu, &c.total));
    let (n_cal, p, mut psus) = match calibrated_proportion(calibrated) {
        Ok(start) => start,
        Err(no_total) => return no_total,
    };
    let mut touched: Vec<u32> = Vec::new();
    let mut resid: BTreeMap<u32, f64> = BTreeMap::new();
    for c in cells {
        let g = ps.factor[c.post as usize];
        let e = c.total.sum_wy - p * c.total.sum_w;
        let slot = &mut zacc[c.psu as usize];
        if *slot == 0.0 {
            touched.push(c.psu);
        }
        *slot += g * e / n_cal;
        *resid.entry(c.post).or_insert(0.0) += e;
    }
    for (&post, &a) in &resid {
        let m = a / (n_cal * ps.sample_total[post as usize]);
        if m == 0.0 || !m.is_finite() {
            continue;
        }
        let g = ps.factor[post as usize];
        for &(psu, w, zero_rows) in &ps.psus[post as usize] {
            let slot = &mut zacc[psu as usize];
            if *slot == 0.0 {
                touched.push(psu);
            }
            *slot -= m * (g * w + zero_rows as f64);
        }
    }
    touched.sort_unstable();
    touched.dedup();
    let mut z: Vec<(usize, f64)> = touched
        .iter()
        .map(|&j| {
            let v = zacc[j as usize];
            zacc[j as usize] = 0.0;
            (psu_stratum[j as usize] as usize, v)
        })
        .collect();
    let var = linearised_variance(&mut z, strata, lonely);
    finish(&mut psus, n_cal, p, var)
}
