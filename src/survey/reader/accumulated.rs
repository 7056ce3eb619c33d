//! The result of the pass over a microdata file: per domain table, the sums of every
//! (domain, PSU, post-stratum) cell, and the strata and PSUs of the design
//! ([`Accumulated`], [`DomainTable`]).

use rustc_hash::FxHashMap;

use crate::survey::replicate::RepRows;
use crate::survey::taylor::Stratum;

/// A table of domains: the total (no columns) or one `--by` (one column or several crossed).
#[derive(Debug, Clone, Default)]
pub struct DomainTable {
    /// Columns defining the domains (empty for the total).
    pub columns: Vec<String>,
    /// Each domain's values, one per column.
    pub domains: Vec<Vec<String>>,
    /// Domain of each cell.
    pub cell_domain: Vec<u32>,
    /// PSU (index into [`Accumulated::psu_stratum`]) of each cell.
    pub cell_psu: Vec<u32>,
    /// Σw of each cell.
    pub cell_w: Vec<f64>,
    /// Σwy of each cell and outcome (`cell * n_outcomes + outcome`).
    pub cell_wy: Vec<f64>,
    /// Unweighted Σy of each cell and outcome (same layout), for R `rake`'s variance.
    pub cell_y: Vec<f64>,
    /// Rows of each cell.
    pub cell_rows: Vec<u64>,
    /// Rows with nonzero weight of each cell.
    pub cell_nonzero: Vec<u64>,
    /// Post-stratum (index into [`Accumulated::post_cells`]) of each cell; 0 without
    /// calibration.
    pub cell_post: Vec<u32>,
    /// With replicate weights: Σ w_r d of each domain and replicate (`domain * R + r`).
    pub rep_w: Vec<f64>,
    /// With replicate weights: Σ w_r d y (`(domain * R + r) * n_outcomes + outcome`).
    pub rep_wy: Vec<f64>,
    /// With replicate weights: each domain's replicate-weight rows (proportional rows
    /// merged, [`crate::survey::replicate::RepRows`]), for the design df.
    pub rep_rows: Vec<RepRows>,
    pub(super) index: FxHashMap<Vec<u8>, u32>,
    /// Each domain's key (its values joined by 0x1f), while reading.
    pub(super) domain_keys: Vec<Vec<u8>>,
    pub(super) cells: FxHashMap<(u32, u32, u32), u32>,
    pub(super) last: Option<(u32, u32, u32, u32)>,
    pub(super) last_key: Vec<u8>,
    pub(super) last_key_valid: bool,
    pub(super) last_domain: u32,
}

/// The result of the pass.
#[derive(Debug, Clone, Default)]
pub struct Accumulated {
    /// First-stage strata of the full design, in order of first appearance.
    pub strata: Vec<Stratum>,
    /// Stratum of each PSU.
    pub psu_stratum: Vec<u32>,
    /// Tables: `[0]` is the total, then one per `--by` in order.
    pub tables: Vec<DomainTable>,
    /// Outcomes per row ([`crate::survey::scoring::ScoringRule::n_outcomes`]).
    pub n_outcomes: usize,
    /// Data rows read.
    pub rows: u64,
    /// Values of each post-stratification cell (one per column); empty without calibration.
    pub post_cells: Vec<Vec<String>>,
    /// Replicate weight columns (empty without `--repweights`).
    pub rep_columns: Vec<String>,
}

impl DomainTable {
    /// The cell of (domain, PSU, post-stratum), created at first sight.
    #[inline]
    pub(super) fn cell(&mut self, domain: u32, psu: u32, post: u32, k: usize) -> u32 {
        if let Some((d, p, q, cell)) = self.last {
            if d == domain && p == psu && q == post {
                return cell;
            }
        }
        let ck = (domain, psu, post);
        let cell = match self.cells.get(&ck) {
            Some(&c) => c,
            None => {
                let c = self.cell_domain.len() as u32;
                self.cells.insert(ck, c);
                self.cell_domain.push(domain);
                self.cell_psu.push(psu);
                self.cell_w.push(0.0);
                self.cell_wy.extend(std::iter::repeat_n(0.0, k));
                self.cell_y.extend(std::iter::repeat_n(0.0, k));
                self.cell_rows.push(0);
                self.cell_nonzero.push(0);
                self.cell_post.push(post);
                c
            }
        };
        self.last = Some((domain, psu, post, cell));
        cell
    }

    /// One row's weight and outcomes into cell `ci`.
    #[inline]
    pub(super) fn add_row(&mut self, ci: usize, w: f64, nonzero: u64, y: &[f64]) {
        let k = y.len();
        self.cell_w[ci] += w;
        for (o, yo) in y.iter().enumerate() {
            self.cell_wy[ci * k + o] += w * yo;
            self.cell_y[ci * k + o] += yo;
        }
        self.cell_rows[ci] += 1;
        self.cell_nonzero[ci] += nonzero;
    }

    /// Zeroed replicate sums for domains up to `d`.
    pub(super) fn ensure_replicates(&mut self, d: usize, n_rep: usize, k: usize) {
        let need = (d + 1) * n_rep;
        if self.rep_w.len() < need {
            self.rep_w.resize(need, 0.0);
            self.rep_wy.resize(need * k, 0.0);
            self.rep_rows.resize_with(d + 1, Default::default);
        }
    }

    /// One row's replicate weights `wr` into domain `d`: Σ w_r, Σ w_r y and the row itself
    /// ([`RepRows::add`]).
    pub(super) fn add_replicates(&mut self, d: usize, wr: &[f64], y: &[f64]) {
        let (n_rep, k) = (wr.len(), y.len());
        self.ensure_replicates(d, n_rep, k);
        let base = d * n_rep;
        for (r, &x) in wr.iter().enumerate() {
            self.rep_w[base + r] += x;
            for (o, yo) in y.iter().enumerate() {
                self.rep_wy[(base + r) * k + o] += x * yo;
            }
        }
        self.rep_rows[d].add(wr);
    }
}
