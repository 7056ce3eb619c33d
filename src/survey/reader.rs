//! One streaming pass over a microdata CSV: for the total and for each domain table, the
//! weighted sums Σw, Σwy (per outcome), row counts per (domain, PSU) cell; plus each stratum's
//! PSU count and fpc. Memory grows with the number of cells, never with the number of rows.

use std::collections::HashMap;
use std::io::Read;

use crate::error::{Error, Location, Result};
use crate::survey::design::DesignSpec;
use crate::survey::scoring::ScoringRule;
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
    /// With replicate weights: the Gram matrix Σ w_r w_s d of each domain (upper triangle,
    /// `domain * R² + r * R + s`), for the design df.
    pub rep_gram: Vec<f64>,
    index: HashMap<Vec<u8>, u32>,
    cells: HashMap<(u32, u32, u32), u32>,
    last: Option<(u32, u32, u32, u32)>,
    last_key: Vec<u8>,
    last_key_valid: bool,
    last_domain: u32,
}

/// The result of the pass.
#[derive(Debug, Clone, Default)]
pub struct Accumulated {
    pub strata: Vec<Stratum>,
    /// Stratum of each PSU.
    pub psu_stratum: Vec<u32>,
    /// Tables: `[0]` is the total, then one per `--by` in order.
    pub tables: Vec<DomainTable>,
    pub n_outcomes: usize,
    /// Data rows read.
    pub rows: u64,
    /// Values of each post-stratification cell (one per column); empty without calibration.
    pub post_cells: Vec<Vec<String>>,
    /// Replicate weight columns (empty without `--repweights`).
    pub rep_columns: Vec<String>,
}

struct Columns {
    strata: Option<usize>,
    psu: Option<usize>,
    weight: usize,
    fpc: Option<usize>,
    scores: Vec<usize>,
    by: Vec<Vec<usize>>,
    post: Vec<usize>,
    reps: Vec<usize>,
}

/// [`accumulate_replicates`] without replicate weights.
pub fn accumulate<R: Read>(
    reader: R,
    file: &str,
    design: &DesignSpec,
    scoring: &ScoringRule,
    by: &[Vec<String>],
    post: &[String],
) -> Result<Accumulated> {
    accumulate_replicates(reader, file, design, scoring, by, post, None)
}

/// Reads `reader` (a CSV with a header row; `file` names it in errors) in one pass.
///
/// `by` lists the domain tables: each entry is one column or several crossed
/// (`["county", "urban"]`); `post` the post-stratification columns (crossed; empty for none),
/// whose cells split every (domain, PSU) cell. Errors name the file, line and column.
///
/// With `rep_prefix`, every column whose name starts with it is a replicate weight: strata,
/// PSUs and fpc are ignored (the whole file is one cell per domain) and each domain keeps its
/// per-replicate sums and Gram matrix (memory O(domains × R²)).
pub fn accumulate_replicates<R: Read>(
    reader: R,
    file: &str,
    design: &DesignSpec,
    scoring: &ScoringRule,
    by: &[Vec<String>],
    post: &[String],
    rep_prefix: Option<&str>,
) -> Result<Accumulated> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .buffer_capacity(1 << 20)
        .from_reader(reader);
    let csv_err = |e: csv::Error| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        Error::input(Location::at(file, line), e.to_string())
    };
    let headers: Vec<String> = rdr
        .byte_headers()
        .map_err(csv_err)?
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect();
    let find = |name: &str, flag: &str| -> Result<usize> {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            Error::input(
                Location::at(file, 1),
                format!(
                    "{flag}: expected a column named {name:?}; the header has {}",
                    headers.join(",")
                ),
            )
        })
    };
    let reps: Vec<usize> = match rep_prefix {
        None => Vec::new(),
        Some(p) => {
            let r: Vec<usize> = headers
                .iter()
                .enumerate()
                .filter(|(_, h)| h.starts_with(p))
                .map(|(i, _)| i)
                .collect();
            if r.len() < 2 {
                return Err(Error::input(
                    Location::at(file, 1),
                    format!(
                        "--repweights: expected at least 2 columns whose names start with {p:?}; \
                         the header has {}",
                        headers.join(",")
                    ),
                ));
            }
            r
        }
    };
    let replicated = rep_prefix.is_some();
    let cols = Columns {
        strata: design
            .strata
            .as_deref()
            .filter(|_| !replicated)
            .map(|c| find(c, "--strata"))
            .transpose()?,
        psu: design
            .psu
            .as_deref()
            .filter(|_| !replicated)
            .map(|c| find(c, "--psu"))
            .transpose()?,
        weight: find(&design.weight, "--weight")?,
        fpc: design
            .fpc
            .as_deref()
            .filter(|_| !replicated)
            .map(|c| find(c, "--fpc"))
            .transpose()?,
        scores: scoring
            .columns()
            .iter()
            .map(|c| find(c, "--score"))
            .collect::<Result<_>>()?,
        by: by
            .iter()
            .map(|t| {
                t.iter()
                    .map(|c| find(c, "--by"))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<_>>()?,
        post: post
            .iter()
            .map(|c| find(c, "--poststrata"))
            .collect::<Result<_>>()?,
        reps,
    };
    let n_rep = cols.reps.len();
    let mut wr = vec![0.0; n_rep];
    let mut post_index: HashMap<Vec<u8>, u32> = HashMap::new();
    let mut post_key: Vec<u8> = Vec::with_capacity(32);
    let k = scoring.n_outcomes();
    let mut acc = Accumulated {
        n_outcomes: k,
        rep_columns: cols.reps.iter().map(|&c| headers[c].clone()).collect(),
        ..Accumulated::default()
    };
    acc.tables.push(DomainTable::default());
    for t in by {
        acc.tables.push(DomainTable {
            columns: t.clone(),
            ..DomainTable::default()
        });
    }
    let mut strata_index: HashMap<Vec<u8>, u32> = HashMap::new();
    let mut strata_fpc: Vec<Option<(f64, u64)>> = Vec::new();
    let mut psu_index: HashMap<Vec<u8>, u32> = HashMap::new();
    let mut last_psu: Option<(Vec<u8>, u32)> = None;
    let mut key: Vec<u8> = Vec::with_capacity(64);
    let mut values = vec![0.0; cols.scores.len()];
    let mut weight_sum = 0.0f64;
    let mut y = vec![0.0; k];
    let mut record = csv::ByteRecord::new();
    let mut row_no: u64 = 0;
    while rdr.read_byte_record(&mut record).map_err(csv_err)? {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let field = |c: usize| record.get(c).unwrap_or(b"");
        let here =
            |c: usize| Location::at(file, line).with_column(format!("{} ({})", c + 1, headers[c]));
        // PSU (nested in its stratum).
        key.clear();
        if let Some(c) = cols.strata {
            key.extend_from_slice(field(c));
        }
        key.push(0x1f);
        match cols.psu {
            Some(c) => key.extend_from_slice(field(c)),
            // Replicate designs need no PSUs: one cell per domain.
            None if replicated => {}
            None => key.extend_from_slice(row_no.to_string().as_bytes()),
        }
        let psu = match &last_psu {
            Some((k0, id)) if *k0 == key => *id,
            _ => {
                let id = match psu_index.get(key.as_slice()) {
                    Some(&id) => id,
                    None => {
                        let s = cols.strata.map(&field).unwrap_or(b"");
                        let sid = match strata_index.get(s) {
                            Some(&sid) => sid,
                            None => {
                                let sid = acc.strata.len() as u32;
                                strata_index.insert(s.to_vec(), sid);
                                acc.strata.push(Stratum {
                                    name: String::from_utf8_lossy(s).into_owned(),
                                    n_psu: 0,
                                    fpc_factor: 1.0,
                                });
                                strata_fpc.push(None);
                                sid
                            }
                        };
                        acc.strata[sid as usize].n_psu += 1;
                        let id = acc.psu_stratum.len() as u32;
                        acc.psu_stratum.push(sid);
                        psu_index.insert(key.clone(), id);
                        id
                    }
                };
                last_psu = Some((key.clone(), id));
                id
            }
        };
        let sid = acc.psu_stratum[psu as usize] as usize;
        if let Some(c) = cols.fpc {
            let v = parse_num(field(c))
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    Error::input(
                        here(c),
                        format!("expected a finite number, found {:?}", lossy(field(c))),
                    )
                })?;
            match strata_fpc[sid] {
                None => strata_fpc[sid] = Some((v, line)),
                Some((v0, l0)) if v0 != v => {
                    return Err(Error::input(
                        here(c),
                        format!(
                        "fpc must be constant within stratum {:?}: {v0} on line {l0}, found {v}",
                        acc.strata[sid].name
                    ),
                    ))
                }
                Some(_) => {}
            }
        }
        let w = parse_num(field(cols.weight)).ok_or_else(|| {
            Error::input(
                here(cols.weight),
                format!(
                    "expected a weight ≥ 0, found {:?}",
                    lossy(field(cols.weight))
                ),
            )
        })?;
        if !(w >= 0.0) || !w.is_finite() {
            return Err(Error::input(
                here(cols.weight),
                format!("expected a weight ≥ 0, found {w}"),
            ));
        }
        // Weights whose sum leaves the range of a double (1e308 each) would give an
        // empty estimate: refuse them where the sum overflows.
        weight_sum += w;
        if !weight_sum.is_finite() {
            return Err(Error::input(
                here(cols.weight),
                format!(
                    "the weights sum past the largest representable number (about 1.8e308) at this row (weight {}); expected weights of a real population — rescale them",
                    crate::output::format_num(w)
                ),
            ));
        }
        for (v, &c) in wr.iter_mut().zip(&cols.reps) {
            *v = match parse_num(field(c)) {
                Some(x) if x >= 0.0 && x.is_finite() => x,
                _ => {
                    return Err(Error::input(
                        here(c),
                        format!(
                            "expected a replicate weight ≥ 0, found {:?}",
                            lossy(field(c))
                        ),
                    ))
                }
            };
        }
        for (v, &c) in values.iter_mut().zip(&cols.scores) {
            // NaN would count as not literate and inf as literate: both are refused.
            *v = parse_num(field(c))
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    Error::input(
                        here(c),
                        format!("expected a finite score, found {:?}", lossy(field(c))),
                    )
                })?;
        }
        if let Err(i) = scoring.classify(&values, &mut y) {
            let c = cols.scores[i];
            return Err(Error::input(
                here(c),
                format!("expected 0 or 1, found {:?}", lossy(field(c))),
            ));
        }
        let nonzero = u64::from(w != 0.0);
        let post_cell = if cols.post.is_empty() {
            0
        } else {
            post_key.clear();
            for (j, &c) in cols.post.iter().enumerate() {
                if j > 0 {
                    post_key.push(0x1f);
                }
                post_key.extend_from_slice(field(c).trim_ascii());
            }
            match post_index.get(post_key.as_slice()) {
                Some(&c) => c,
                None => {
                    let c = acc.post_cells.len() as u32;
                    post_index.insert(post_key.clone(), c);
                    acc.post_cells.push(
                        cols.post
                            .iter()
                            .map(|&c| lossy(field(c).trim_ascii()))
                            .collect(),
                    );
                    c
                }
            }
        };
        for (t, table) in acc.tables.iter_mut().enumerate() {
            let domain = if t == 0 {
                0
            } else {
                let tc = &cols.by[t - 1];
                key.clear();
                for (j, &c) in tc.iter().enumerate() {
                    if j > 0 {
                        key.push(0x1f);
                    }
                    key.extend_from_slice(field(c).trim_ascii());
                }
                if table.last_key_valid && table.last_key == key {
                    table.last_domain
                } else {
                    let d = match table.index.get(key.as_slice()) {
                        Some(&d) => d,
                        None => {
                            let d = table.domains.len() as u32;
                            table.index.insert(key.clone(), d);
                            table
                                .domains
                                .push(tc.iter().map(|&c| lossy(field(c).trim_ascii())).collect());
                            table.grow_replicates(n_rep, k);
                            d
                        }
                    };
                    table.last_key.clear();
                    table.last_key.extend_from_slice(&key);
                    table.last_key_valid = true;
                    table.last_domain = d;
                    d
                }
            };
            let cell = match table.last {
                Some((d, p, q, cell)) if d == domain && p == psu && q == post_cell => cell,
                _ => {
                    let ck = (domain, psu, post_cell);
                    let cell = match table.cells.get(&ck) {
                        Some(&c) => c,
                        None => {
                            let c = table.cell_domain.len() as u32;
                            table.cells.insert(ck, c);
                            table.cell_domain.push(domain);
                            table.cell_psu.push(psu);
                            table.cell_w.push(0.0);
                            table.cell_wy.extend(std::iter::repeat_n(0.0, k));
                            table.cell_y.extend(std::iter::repeat_n(0.0, k));
                            table.cell_rows.push(0);
                            table.cell_nonzero.push(0);
                            table.cell_post.push(post_cell);
                            c
                        }
                    };
                    table.last = Some((domain, psu, post_cell, cell));
                    cell
                }
            };
            let ci = cell as usize;
            table.cell_w[ci] += w;
            for (o, yo) in y.iter().enumerate() {
                table.cell_wy[ci * k + o] += w * yo;
                table.cell_y[ci * k + o] += yo;
            }
            table.cell_rows[ci] += 1;
            table.cell_nonzero[ci] += nonzero;
            if n_rep > 0 {
                if t == 0 && table.rep_w.is_empty() {
                    table.grow_replicates(n_rep, k);
                }
                let d = domain as usize;
                let base = d * n_rep;
                for (r, &x) in wr.iter().enumerate() {
                    table.rep_w[base + r] += x;
                    for (o, yo) in y.iter().enumerate() {
                        table.rep_wy[(base + r) * k + o] += x * yo;
                    }
                }
                let g = &mut table.rep_gram[d * n_rep * n_rep..(d + 1) * n_rep * n_rep];
                for (r, &x) in wr.iter().enumerate() {
                    if x != 0.0 {
                        let row = &mut g[r * n_rep..(r + 1) * n_rep];
                        for (gs, &xs) in row[r..].iter_mut().zip(&wr[r..]) {
                            *gs += x * xs;
                        }
                    }
                }
            }
        }
        row_no += 1;
    }
    acc.rows = row_no;
    // fpc: PSUs in the stratum population (f = (N − n)/N), or a sampling fraction ≤ 1.
    for (s, fpc) in acc.strata.iter_mut().zip(&strata_fpc) {
        if let Some((v, l)) = *fpc {
            let n = s.n_psu as f64;
            let loc = || {
                let c = cols.fpc.unwrap_or(0);
                Location::at(file, l).with_column(format!("{} ({})", c + 1, headers[c]))
            };
            s.fpc_factor = if v > 0.0 && v <= 1.0 {
                1.0 - v
            } else if v >= n {
                (v - n) / v
            } else {
                return Err(Error::input(
                    loc(),
                    format!(
                        "fpc of stratum {:?} is {v}, fewer than its {n} sampled PSUs \
                         (expected the population count of PSUs, or a fraction ≤ 1)",
                        s.name
                    ),
                ));
            };
        }
    }
    for t in &mut acc.tables {
        t.index = HashMap::new();
        t.cells = HashMap::new();
    }
    Ok(acc)
}

impl DomainTable {
    /// Adds one domain's zeroed replicate sums.
    fn grow_replicates(&mut self, n_rep: usize, k: usize) {
        if n_rep > 0 {
            self.rep_w.extend(std::iter::repeat_n(0.0, n_rep));
            self.rep_wy.extend(std::iter::repeat_n(0.0, n_rep * k));
            self.rep_gram
                .extend(std::iter::repeat_n(0.0, n_rep * n_rep));
        }
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Parses a number (surrounding spaces allowed); `None` when empty or not a number.
fn parse_num(b: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(b).ok()?.trim();
    if s.is_empty() {
        return None;
    }
    s.parse::<f64>().ok()
}
