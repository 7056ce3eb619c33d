//! Merging the blocks' sums in file order: local numbering of strata, PSUs, post-strata and
//! domains mapped to the file's, fpc and weight-total checks across blocks, and the fpc
//! factors once every block is in ([`Merger`]).

use rustc_hash::FxHashMap;

use super::accumulated::{Accumulated, DomainTable};
use super::block::{self, LocalStratum, Partial, Plan};
use super::problem::{overflow_message, ProblemKind, Stage};
use super::split;
use crate::error::{Error, Location, Result};
use crate::survey::taylor::Stratum;

/// Most domains of one `--by` table: far above China's 2,800 counties crossed with a few
/// groups, far below what would exhaust memory (1 M domains need several GB on output).
pub const MAX_DOMAINS: usize = 200_000;

/// Adds the blocks' sums, in file order, into the file's [`Accumulated`].
pub(super) struct Merger<'a> {
    pub(super) file: &'a str,
    headers: &'a [String],
    plan: &'a Plan<'a>,
    acc: Accumulated,
    strata_index: FxHashMap<Vec<u8>, u32>,
    /// Each stratum's fpc and the file line where it was first read.
    strata_fpc: Vec<Option<(f64, u64)>>,
    psu_index: FxHashMap<Vec<u8>, u32>,
    post_index: FxHashMap<Vec<u8>, u32>,
    /// File line of the next block's first line.
    next_line: u64,
    weight_sum: f64,
}

impl<'a> Merger<'a> {
    pub(super) fn new(
        file: &'a str,
        headers: &'a [String],
        plan: &'a Plan<'a>,
        by: &[Vec<String>],
        first_line: u64,
    ) -> Self {
        let mut acc = Accumulated {
            n_outcomes: plan.n_outcomes,
            rep_columns: plan.cols.reps.iter().map(|&c| headers[c].clone()).collect(),
            ..Accumulated::default()
        };
        acc.tables.push(DomainTable::default());
        for t in by {
            acc.tables.push(DomainTable {
                columns: t.clone(),
                ..DomainTable::default()
            });
        }
        Merger {
            file,
            headers,
            plan,
            acc,
            strata_index: FxHashMap::default(),
            strata_fpc: Vec::new(),
            psu_index: FxHashMap::default(),
            post_index: FxHashMap::default(),
            next_line: first_line,
            weight_sum: 0.0,
        }
    }

    /// A location in the file: `line` a 0-based line of the block being merged.
    fn here(&self, line: u64, column: Option<usize>) -> Location {
        let loc = Location::at(self.file, self.next_line + line);
        match column {
            Some(c) => loc.with_column(format!("{} ({})", c + 1, self.headers[c])),
            None => loc,
        }
    }

    /// The block's first problem in file order, if any: its own, an fpc that differs from the
    /// stratum's value in earlier blocks, or a running weight total that overflows.
    fn first_problem(&mut self, p: &Partial, block: &split::Block) -> Option<Error> {
        let mut first: Option<(u64, Stage, Error)> = p.problem.as_ref().map(|pr| {
            let err = match &pr.kind {
                ProblemKind::Message { column, message } => {
                    Error::input(self.here(pr.line, *column), message.clone())
                }
                ProblemKind::FpcChanged {
                    column,
                    stratum,
                    first,
                    first_line,
                    found,
                } => {
                    let st = &p.strata[*stratum as usize];
                    let (v0, l0) = self
                        .strata_index
                        .get(&st.key)
                        .and_then(|&g| self.strata_fpc[g as usize])
                        .unwrap_or((*first, self.next_line + first_line));
                    self.fpc_changed(pr.line, *column, &st.key, v0, l0, *found)
                }
            };
            (pr.line, pr.stage, err)
        });
        let mut consider = |line: u64, stage: Stage, err: Error| {
            if first
                .as_ref()
                .is_none_or(|(l, s, _)| (line, stage) < (*l, *s))
            {
                first = Some((line, stage, err));
            }
        };
        if let Some(c) = self.plan.cols.fpc {
            for st in &p.strata {
                let (Some((v, line)), Some(&g)) = (st.fpc, self.strata_index.get(&st.key)) else {
                    continue;
                };
                if let Some((v0, l0)) = self.strata_fpc[g as usize] {
                    if v0 != v {
                        consider(
                            line,
                            Stage::Fpc,
                            self.fpc_changed(line, c, &st.key, v0, l0, v),
                        );
                    }
                }
            }
        }
        let total = self.weight_sum + p.weight_sum;
        if total.is_finite() {
            self.weight_sum = total;
        } else {
            // Re-add the weights row by row from the running total, as a row-by-row reader.
            let stop = p.problem.as_ref().map_or(u64::MAX, |pr| pr.line + 1);
            let mut sum = self.weight_sum;
            let over = block::walk_weights(self.plan, block, stop, |line, w| {
                sum += w;
                if sum.is_finite() {
                    Ok(())
                } else {
                    Err((line, w))
                }
            });
            self.weight_sum = sum;
            if let Err(Some((line, w))) = over {
                let c = self.plan.cols.weight;
                consider(
                    line,
                    Stage::WeightTotal,
                    Error::input(self.here(line, Some(c)), overflow_message(w)),
                );
            }
        }
        first.map(|(_, _, e)| e)
    }

    fn fpc_changed(&self, line: u64, c: usize, key: &[u8], v0: f64, l0: u64, v: f64) -> Error {
        Error::input(
            self.here(line, Some(c)),
            text!(
                "同一分层 {:?} 内的 fpc 必须相同：第{l0}行为 {v0}，这里为 {v}",
                "fpc must be constant within stratum {:?}: {v0} on line {l0}, found {v}",
                String::from_utf8_lossy(key)
            ),
        )
    }

    /// Adds one block (the next in file order).
    pub(super) fn add(&mut self, p: Partial, block: &split::Block) -> Result<()> {
        if let Some(err) = self.first_problem(&p, block) {
            return Err(err);
        }
        let (k, n_rep) = (self.plan.n_outcomes, self.plan.n_rep);
        // Strata, then PSUs, then post-strata: local → file numbering.
        let strata = self.file_strata(&p.strata);
        let psus = self.file_psus(p.psus, &strata);
        let post = self.file_post(p.post);
        let block_end = self.next_line + p.line_feeds;
        for (t, (mut local, table)) in p.tables.into_iter().zip(&mut self.acc.tables).enumerate() {
            let domains = if t == 0 {
                vec![0]
            } else {
                file_domains(table, &mut local)
            };
            if table.domains.len() > MAX_DOMAINS {
                return Err(too_many_domains(self.file, block_end));
            }
            add_cells(table, &local, &domains, (&psus, &post), k);
            if n_rep > 0 {
                add_replicate_sums(table, &local, &domains, n_rep, k);
            }
        }
        self.acc.rows += p.rows;
        self.next_line += p.line_feeds;
        Ok(())
    }

    /// The file's number of each local stratum (new strata appended, in order).
    fn file_strata(&mut self, local: &[LocalStratum]) -> Vec<u32> {
        local
            .iter()
            .map(|st| match self.strata_index.get(&st.key) {
                Some(&g) => {
                    let fpc = &mut self.strata_fpc[g as usize];
                    if fpc.is_none() {
                        *fpc = st.fpc.map(|(v, l)| (v, self.next_line + l));
                    }
                    g
                }
                None => {
                    let g = self.acc.strata.len() as u32;
                    self.strata_index.insert(st.key.clone(), g);
                    self.acc.strata.push(Stratum {
                        name: String::from_utf8_lossy(&st.key).into_owned(),
                        n_psu: 0,
                        fpc_factor: 1.0,
                    });
                    self.strata_fpc
                        .push(st.fpc.map(|(v, l)| (v, self.next_line + l)));
                    g
                }
            })
            .collect()
    }

    /// The file's number of each local PSU (`strata`: the file's number of each local
    /// stratum); without a PSU column every row is a new PSU.
    fn file_psus(&mut self, local: Vec<(u32, Vec<u8>)>, strata: &[u32]) -> Vec<u32> {
        let per_row = self.plan.psu_per_row();
        local
            .into_iter()
            .map(|(ls, key)| {
                if !per_row {
                    if let Some(&g) = self.psu_index.get(&key) {
                        return g;
                    }
                }
                let sid = strata[ls as usize];
                self.acc.strata[sid as usize].n_psu += 1;
                let g = self.acc.psu_stratum.len() as u32;
                self.acc.psu_stratum.push(sid);
                if !per_row {
                    self.psu_index.insert(key, g);
                }
                g
            })
            .collect()
    }

    /// The file's number of each local post-stratum (`[0]` without calibration).
    fn file_post(&mut self, local: Vec<(Vec<u8>, Vec<String>)>) -> Vec<u32> {
        if self.plan.cols.post.is_empty() {
            return vec![0];
        }
        local
            .into_iter()
            .map(|(key, values)| match self.post_index.get(&key) {
                Some(&g) => g,
                None => {
                    let g = self.acc.post_cells.len() as u32;
                    self.post_index.insert(key, g);
                    self.acc.post_cells.push(values);
                    g
                }
            })
            .collect()
    }

    /// The fpc factors, once every block is in.
    pub(super) fn finish(mut self) -> Result<Accumulated> {
        // fpc: PSUs in the stratum population (f = (N − n)/N), or a sampling fraction ≤ 1.
        for (s, fpc) in self.acc.strata.iter_mut().zip(&self.strata_fpc) {
            if let Some((v, l)) = *fpc {
                let n = s.n_psu as f64;
                s.fpc_factor = if v > 0.0 && v <= 1.0 {
                    1.0 - v
                } else if v >= n {
                    (v - n) / v
                } else {
                    let c = self.plan.cols.fpc.unwrap_or(0);
                    return Err(Error::input(
                        Location::at(self.file, l).with_column(format!(
                            "{} ({})",
                            c + 1,
                            self.headers[c]
                        )),
                        text!(
"分层 {:?} 的 fpc 为 {v}，少于该层抽中的 {n} 个 PSU（应为 PSU 的总体数，或不超过 1 的抽样比）",
"fpc of stratum {:?} is {v}, fewer than its {n} sampled PSUs \
                             (expected the population count of PSUs, or a fraction ≤ 1)",
                            s.name
                        ),
                    ));
                };
            }
        }
        for t in &mut self.acc.tables {
            t.index = FxHashMap::default();
            t.cells = FxHashMap::default();
        }
        Ok(self.acc)
    }
}

/// into += from, element by element.
fn add_into(into: &mut [f64], from: &[f64]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}

/// The file's number of each local domain of a block's table (new domains appended).
fn file_domains(table: &mut DomainTable, local: &mut DomainTable) -> Vec<u32> {
    let keys = std::mem::take(&mut local.domain_keys);
    let values = std::mem::take(&mut local.domains);
    keys.into_iter()
        .zip(values)
        .map(|(key, values)| match table.index.get(&key) {
            Some(&g) => g,
            None => {
                let g = table.domains.len() as u32;
                table.index.insert(key, g);
                table.domains.push(values);
                g
            }
        })
        .collect()
}

/// The error for a `--by` table past [`MAX_DOMAINS`] by line `line`.
fn too_many_domains(file: &str, line: u64) -> Error {
    Error::input(
        Location::at(file, line),
        text!(
"--by：到这一行已超过 {MAX_DOMAINS} 个分组（--by 取值的每种组合是输出的一行）；应为省份或县等列——受访者或 PSU 编号会使每行成为一个分组",
"--by: more than {MAX_DOMAINS} domains by this line (each distinct \
                 combination of the --by values is one row of output); expected \
                 columns such as province or county — a respondent or PSU id makes \
                 one domain per row"
        ),
    )
}

/// Adds a block's cells into the file's table: `domains`, and `ids` = (PSUs, post-strata),
/// map the block's numbering to the file's; `k` outcomes per cell.
fn add_cells(
    table: &mut DomainTable,
    local: &DomainTable,
    domains: &[u32],
    ids: (&[u32], &[u32]),
    k: usize,
) {
    let (psus, post) = ids;
    let keys = local
        .cell_domain
        .iter()
        .zip(&local.cell_psu)
        .zip(&local.cell_post);
    for (lc, ((&ld, &lp), &lq)) in keys.enumerate() {
        let gc = table.cell(
            domains[ld as usize],
            psus[lp as usize],
            post[lq as usize],
            k,
        ) as usize;
        table.cell_w[gc] += local.cell_w[lc];
        for o in 0..k {
            table.cell_wy[gc * k + o] += local.cell_wy[lc * k + o];
            table.cell_y[gc * k + o] += local.cell_y[lc * k + o];
        }
        table.cell_rows[gc] += local.cell_rows[lc];
        table.cell_nonzero[gc] += local.cell_nonzero[lc];
    }
}

/// Adds a block's replicate sums and replicate-weight rows into the file's table.
fn add_replicate_sums(
    table: &mut DomainTable,
    local: &DomainTable,
    domains: &[u32],
    n_rep: usize,
    k: usize,
) {
    for (ld, &gd) in domains.iter().enumerate() {
        if local.rep_w.len() < (ld + 1) * n_rep {
            continue;
        }
        table.ensure_replicates(gd as usize, n_rep, k);
        let (lb, gb) = (ld * n_rep, gd as usize * n_rep);
        add_into(
            &mut table.rep_w[gb..gb + n_rep],
            &local.rep_w[lb..lb + n_rep],
        );
        add_into(
            &mut table.rep_wy[gb * k..(gb + n_rep) * k],
            &local.rep_wy[lb * k..(lb + n_rep) * k],
        );
        if let Some(rows) = local.rep_rows.get(ld) {
            table.rep_rows[gd as usize].merge(rows);
        }
    }
}
