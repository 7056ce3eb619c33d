//! One streaming pass over a microdata CSV: for the total and for each domain table, the
//! weighted sums Σw, Σwy (per outcome), row counts per (domain, PSU) cell; plus each stratum's
//! PSU count and fpc. Memory grows with the number of cells, never with the number of rows.

mod block;
mod split;

pub(crate) use split::unclosed_quote;

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

use block::{accumulate_block, Partial, Plan, ProblemKind, Scratch, Stage};

use crate::error::{Error, Location, Result};
use crate::survey::design::DesignSpec;
use crate::survey::error::{ColumnRole, SurveyError};
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
    /// With replicate weights: each domain's replicate-weight rows (proportional rows
    /// merged, [`crate::survey::replicate::RepRows`]), for the design df.
    pub rep_rows: Vec<crate::survey::replicate::RepRows>,
    index: FxHashMap<Vec<u8>, u32>,
    /// Each domain's key (its values joined by 0x1f), while reading.
    domain_keys: Vec<Vec<u8>>,
    cells: FxHashMap<(u32, u32, u32), u32>,
    last: Option<(u32, u32, u32, u32)>,
    last_key: Vec<u8>,
    last_key_valid: bool,
    last_domain: u32,
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
    /// Outcomes per row ([`ScoringRule::n_outcomes`]).
    pub n_outcomes: usize,
    /// Data rows read.
    pub rows: u64,
    /// Values of each post-stratification cell (one per column); empty without calibration.
    pub post_cells: Vec<Vec<String>>,
    /// Replicate weight columns (empty without `--repweights`).
    pub rep_columns: Vec<String>,
}

/// Column positions of the design, outcomes and domains in the header.
pub(super) struct Columns {
    strata: Option<usize>,
    psu: Option<usize>,
    weight: usize,
    fpc: Option<usize>,
    scores: Vec<usize>,
    by: Vec<Vec<usize>>,
    post: Vec<usize>,
    reps: Vec<usize>,
}

impl Columns {
    /// Finds every named column in `headers`; errors name the file's header line.
    fn resolve(
        headers: &[String],
        file: &str,
        design: &DesignSpec,
        scoring: &ScoringRule,
        by: &[Vec<String>],
        post: &[String],
        rep_prefix: Option<&str>,
    ) -> Result<Columns> {
        let find = |name: &str, role: ColumnRole| -> Result<usize> {
            let at: Vec<usize> = headers
                .iter()
                .enumerate()
                .filter(|(_, h)| *h == name)
                .map(|(i, _)| i + 1)
                .collect();
            if at.len() > 1 {
                return Err(Error::input(
                    Location::at(file, 1).with_column(format!("{} ({name})", at[1])),
                    text!(
"表头中 {name:?} 出现了 {} 次（第 {} 列）：每个列名只能出现一次，litmon 才知道读取哪一列",
"the header names {name:?} {} times (columns {}): expected each column \
                         name once, so litmon knows which one to read",
                        at.len(),
                        at.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            headers.iter().position(|h| h == name).ok_or_else(|| {
                Error::Survey(SurveyError::MissingColumn {
                    location: Location::at(file, 1),
                    role,
                    name: name.to_string(),
                    header: headers.to_vec(),
                })
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
                    return Err(Error::Survey(SurveyError::ReplicateColumnsMissing {
                        location: Location::at(file, 1),
                        prefix: p.to_string(),
                        header: headers.to_vec(),
                    }));
                }
                r
            }
        };
        let replicated = rep_prefix.is_some();
        let design_column = |c: &Option<String>, role: ColumnRole| {
            c.as_deref()
                .filter(|_| !replicated)
                .map(|c| find(c, role))
                .transpose()
        };
        Ok(Columns {
            strata: design_column(&design.strata, ColumnRole::Strata)?,
            psu: design_column(&design.psu, ColumnRole::Psu)?,
            weight: find(&design.weight, ColumnRole::Weight)?,
            fpc: design_column(&design.fpc, ColumnRole::Fpc)?,
            scores: scoring
                .columns()
                .iter()
                .map(|c| find(c, ColumnRole::Score))
                .collect::<Result<_>>()?,
            by: by
                .iter()
                .map(|t| {
                    t.iter()
                        .map(|c| find(c, ColumnRole::Domain))
                        .collect::<Result<Vec<_>>>()
                })
                .collect::<Result<_>>()?,
            post: post
                .iter()
                .map(|c| find(c, ColumnRole::PostStratum))
                .collect::<Result<_>>()?,
            reps,
        })
    }
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
/// whose cells split every (domain, PSU) cell. Errors name the file, line and column; the
/// error reported is the first a row-by-row reader would meet.
///
/// With `rep_prefix`, every column whose name starts with it is a replicate weight: strata,
/// PSUs and fpc are ignored (the whole file is one cell per domain) and each domain keeps its
/// per-replicate sums and Gram matrix (memory O(domains × R²)).
///
/// The stream is cut into blocks of whole records (`split::BLOCK_BYTES`, 4 MiB) that are parsed and
/// summed on all cores, then merged in file order: strata, PSUs and domains keep their order
/// of first appearance, and each cell's sum adds the blocks' partial sums in order, so the
/// result does not depend on the number of cores (a file of one block sums row by row).
pub fn accumulate_replicates<R: Read>(
    reader: R,
    file: &str,
    design: &DesignSpec,
    scoring: &ScoringRule,
    by: &[Vec<String>],
    post: &[String],
    rep_prefix: Option<&str>,
) -> Result<Accumulated> {
    accumulate_in_blocks(
        reader,
        file,
        design,
        scoring,
        by,
        post,
        rep_prefix,
        split::BLOCK_BYTES,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    )
}

#[allow(clippy::too_many_arguments)]
fn accumulate_in_blocks<R: Read>(
    reader: R,
    file: &str,
    design: &DesignSpec,
    scoring: &ScoringRule,
    by: &[Vec<String>],
    post: &[String],
    rep_prefix: Option<&str>,
    block_bytes: usize,
    workers: usize,
) -> Result<Accumulated> {
    let io_err = |source: std::io::Error| Error::Io {
        path: file.to_string(),
        source,
    };
    let mut splitter = split::Splitter::new(reader, block_bytes);
    let header = splitter.header().map_err(io_err)?;
    let headers = parse_header(&header, file)?;
    let cols = Columns::resolve(&headers, file, design, scoring, by, post, rep_prefix)?;
    let plan = Plan {
        n_fields: headers.len(),
        n_outcomes: scoring.n_outcomes(),
        n_rep: cols.reps.len(),
        replicated: rep_prefix.is_some(),
        scoring,
        cols,
    };
    let mut merger = Merger::new(file, &headers, &plan, by, 1 + split::line_feeds(&header));
    let n_tables = by.len() + 1;
    if workers < 2 {
        let mut scratch = Scratch::new(&plan);
        while let Some(block) = splitter.next_block().map_err(io_err)? {
            let partial = accumulate_block(&plan, &block, n_tables, &mut scratch);
            merger.add(partial, &block)?;
        }
        return merger.finish();
    }
    let cancel = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::channel::<(u64, split::Block)>();
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(u64, split::Block, Partial)>();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let (job_rx, plan, cancel) = (&job_rx, &plan, &cancel);
            scope.spawn(move || {
                let mut scratch = Scratch::new(plan);
                loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, block)) = job else { return };
                    if cancel.load(Ordering::Relaxed) {
                        return;
                    }
                    let partial = accumulate_block(plan, &block, n_tables, &mut scratch);
                    if done_tx.send((seq, block, partial)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let result = feed_and_merge(
            &mut splitter,
            &mut merger,
            &job_tx,
            &done_rx,
            workers + 2,
            io_err,
        );
        if result.is_err() {
            cancel.store(true, Ordering::Relaxed);
        }
        drop(job_tx);
        result
    })?;
    merger.finish()
}

/// Sends blocks to the workers (at most `in_flight` at a time) and merges their sums in file
/// order as they come back.
fn feed_and_merge<R: Read>(
    splitter: &mut split::Splitter<R>,
    merger: &mut Merger<'_>,
    job_tx: &mpsc::Sender<(u64, split::Block)>,
    done_rx: &mpsc::Receiver<(u64, split::Block, Partial)>,
    in_flight: usize,
    io_err: impl Fn(std::io::Error) -> Error,
) -> Result<()> {
    let mut waiting: BTreeMap<u64, (split::Block, Partial)> = BTreeMap::new();
    let (mut sent, mut merged) = (0u64, 0u64);
    let mut more = true;
    while more || merged < sent {
        if more && sent - merged < in_flight as u64 {
            match splitter.next_block().map_err(&io_err)? {
                Some(block) => {
                    job_tx
                        .send((sent, block))
                        .map_err(|_| worker_gone(merger.file))?;
                    sent += 1;
                }
                None => more = false,
            }
            continue;
        }
        let (seq, block, partial) = done_rx.recv().map_err(|_| worker_gone(merger.file))?;
        waiting.insert(seq, (block, partial));
        while let Some((block, partial)) = waiting.remove(&merged) {
            merger.add(partial, &block)?;
            splitter.recycle(block.bytes);
            merged += 1;
        }
    }
    Ok(())
}

fn worker_gone(file: &str) -> Error {
    Error::Io {
        path: file.to_string(),
        source: std::io::Error::other("a reading thread stopped unexpectedly"),
    }
}

/// The header names (spaces and a byte order mark trimmed).
fn parse_header(bytes: &[u8], file: &str) -> Result<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    rdr.read_byte_record(&mut record).map_err(|e| {
        let line = e.position().map(|p| p.line()).unwrap_or(1);
        let e = e.to_string();
        Error::input(
            Location::at(file, line),
            text!("无法读取 CSV 表头：{e}", "cannot read the CSV header: {e}"),
        )
    })?;
    Ok(record
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect())
}

/// The message for weights whose running total leaves the range of a double.
fn overflow_message(w: f64) -> crate::model::Text {
    text!(
        "权重之和在这一行超过了可表示的最大数（约 1.8e308）（权重 {}）；应为真实总体的权重——请重新缩放",
        "the weights sum past the largest representable number (about 1.8e308) at this row (weight {}); expected weights of a real population — rescale them",
        crate::model::format::shortest(w)
    )
}

/// Adds the blocks' sums, in file order, into the file's [`Accumulated`].
/// Most domains of one `--by` table: far above China's 2,800 counties crossed with a few
/// groups, far below what would exhaust memory (1 M domains need several GB on output).
pub const MAX_DOMAINS: usize = 200_000;

struct Merger<'a> {
    file: &'a str,
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
    fn new(
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
    fn add(&mut self, p: Partial, block: &split::Block) -> Result<()> {
        if let Some(err) = self.first_problem(&p, block) {
            return Err(err);
        }
        let k = self.plan.n_outcomes;
        let n_rep = self.plan.n_rep;
        // Strata, then PSUs, then post-strata: local → file numbering.
        let strata: Vec<u32> = p
            .strata
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
            .collect();
        let per_row = self.plan.psu_per_row();
        let psus: Vec<u32> = p
            .psus
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
            .collect();
        let post: Vec<u32> = if self.plan.cols.post.is_empty() {
            vec![0]
        } else {
            p.post
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
        };
        let block_end = self.next_line + p.line_feeds;
        for (t, (local, table)) in p.tables.into_iter().zip(&mut self.acc.tables).enumerate() {
            let domains: Vec<u32> = if t == 0 {
                vec![0]
            } else {
                local
                    .domain_keys
                    .into_iter()
                    .zip(local.domains)
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
            };
            if table.domains.len() > MAX_DOMAINS {
                return Err(Error::input(
                    Location::at(self.file, block_end),
                    text!(
"--by：到这一行已超过 {MAX_DOMAINS} 个分组（--by 取值的每种组合是输出的一行）；应为省份或县等列——受访者或 PSU 编号会使每行成为一个分组",
"--by: more than {MAX_DOMAINS} domains by this line (each distinct \
                         combination of the --by values is one row of output); expected \
                         columns such as province or county — a respondent or PSU id makes \
                         one domain per row"
                    ),
                ));
            }
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
            if n_rep > 0 {
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
        }
        self.acc.rows += p.rows;
        self.next_line += p.line_feeds;
        Ok(())
    }

    /// The fpc factors, once every block is in.
    fn finish(mut self) -> Result<Accumulated> {
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

fn add_into(into: &mut [f64], from: &[f64]) {
    for (a, b) in into.iter_mut().zip(from) {
        *a += b;
    }
}

impl DomainTable {
    /// The cell of (domain, PSU, post-stratum), created at first sight.
    #[inline]
    fn cell(&mut self, domain: u32, psu: u32, post: u32, k: usize) -> u32 {
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
    fn add_row(&mut self, ci: usize, w: f64, nonzero: u64, y: &[f64]) {
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
    fn ensure_replicates(&mut self, d: usize, n_rep: usize, k: usize) {
        let need = (d + 1) * n_rep;
        if self.rep_w.len() < need {
            self.rep_w.resize(need, 0.0);
            self.rep_wy.resize(need * k, 0.0);
            self.rep_rows.resize_with(d + 1, Default::default);
        }
    }

    /// One row's replicate weights `wr` into domain `d`: Σ w_r, Σ w_r y and the row itself
    /// ([`crate::survey::replicate::RepRows::add`]).
    fn add_replicates(&mut self, d: usize, wr: &[f64], y: &[f64]) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read(
        text: &str,
        design: &DesignSpec,
        scoring: &ScoringRule,
        by: &[Vec<String>],
        rep: Option<&str>,
        block: usize,
        workers: usize,
    ) -> Result<Accumulated> {
        accumulate_in_blocks(
            text.as_bytes(),
            "m.csv",
            design,
            scoring,
            by,
            &[],
            rep,
            block,
            workers,
        )
    }

    fn design() -> DesignSpec {
        DesignSpec {
            strata: Some("stratum".into()),
            psu: Some("psu".into()),
            weight: "weight".into(),
            fpc: Some("fpc".into()),
        }
    }

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/survey/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() <= 1e-12 * x.abs().max(1.0), "{x} vs {y}");
        }
    }

    /// Cut into many small blocks (on one thread or several), the file gives the strata, PSUs,
    /// domains and cells of one block read row by row, in the same order, with the same sums
    /// up to the order of addition.
    fn same(a: &Accumulated, b: &Accumulated) {
        assert_eq!(a.rows, b.rows);
        assert_eq!(a.psu_stratum, b.psu_stratum);
        assert_eq!(a.strata.len(), b.strata.len());
        for (x, y) in a.strata.iter().zip(&b.strata) {
            assert_eq!((&x.name, x.n_psu), (&y.name, y.n_psu));
            assert_eq!(x.fpc_factor, y.fpc_factor);
        }
        assert_eq!(a.tables.len(), b.tables.len());
        for (x, y) in a.tables.iter().zip(&b.tables) {
            assert_eq!(x.domains, y.domains);
            assert_eq!(x.cell_domain, y.cell_domain);
            assert_eq!(x.cell_psu, y.cell_psu);
            assert_eq!(x.cell_rows, y.cell_rows);
            assert_eq!(x.cell_nonzero, y.cell_nonzero);
            assert_eq!(x.cell_y, y.cell_y);
            close(&x.cell_w, &y.cell_w);
            close(&x.cell_wy, &y.cell_wy);
            close(&x.rep_w, &y.rep_w);
            close(&x.rep_wy, &y.rep_wy);
            assert_eq!(x.rep_rows.len(), y.rep_rows.len());
            for (a, b) in x.rep_rows.iter().zip(&y.rep_rows) {
                assert_eq!(a.len(), b.len());
            }
        }
    }

    #[test]
    fn blocks_merge_to_the_row_by_row_result() {
        let text = fixture("microdata.csv");
        let by = vec![
            vec!["county".to_string()],
            vec!["province".to_string(), "urban".to_string()],
        ];
        let s = ScoringRule::default();
        let whole = read(&text, &design(), &s, &by, None, 1 << 30, 1).expect("whole");
        assert_eq!(whole.rows, 409);
        for (block, workers) in [(97, 1), (97, 3), (1000, 2), (1, 2)] {
            let cut = read(&text, &design(), &s, &by, None, block, workers).expect("cut");
            same(&whole, &cut);
        }
        // CRLF line ends, a blank line and a quoted field: the same sums.
        let crlf = text.replace('\n', "\r\n").replacen("S1,", "\"S1\",", 1);
        let crlf = crlf.replacen("\r\n", "\r\n\r\n", 3);
        for (block, workers) in [(1 << 30, 1), (97, 2)] {
            let cut = read(&crlf, &design(), &s, &by, None, block, workers).expect("crlf");
            same(&whole, &cut);
        }
        let rep = fixture("rep_brr.csv");
        let d = DesignSpec {
            strata: None,
            psu: None,
            weight: "weight".into(),
            fpc: None,
        };
        let s = ScoringRule::Indicator {
            column: "literate".into(),
        };
        let by = vec![vec!["county".to_string()]];
        let whole = read(&rep, &d, &s, &by, Some("repw"), 1 << 30, 1).expect("whole");
        assert_eq!(whole.rep_columns.len(), 8);
        let cut = read(&rep, &d, &s, &by, Some("repw"), 64, 2).expect("cut");
        same(&whole, &cut);
        // Without PSUs every row is its own PSU, across blocks too.
        let d = DesignSpec {
            strata: Some("stratum".into()),
            psu: None,
            weight: "weight".into(),
            fpc: None,
        };
        let s = ScoringRule::default();
        let whole = read(&text, &d, &s, &[], None, 1 << 30, 1).expect("whole");
        assert_eq!(whole.psu_stratum.len(), 409);
        same(&whole, &read(&text, &d, &s, &[], None, 50, 2).expect("cut"));
    }

    /// The first problem in file order is reported, with its file line, however the file is
    /// cut: the lines below are counted by hand (the header is line 1).
    #[test]
    fn the_first_problem_is_found_wherever_the_blocks_are_cut() {
        let head = "stratum,psu,weight,fpc,knowledge,method,spirit,application\n";
        let ok = "S1,1,10,40,30,20,10,10\n";
        let case = |body: &str, needle: &str| {
            let text = format!("{head}{body}");
            for (block, workers) in [(1 << 30, 1), (7, 1), (30, 2), (64, 3)] {
                let e = read(
                    &text,
                    &design(),
                    &ScoringRule::default(),
                    &[],
                    None,
                    block,
                    workers,
                )
                .expect_err(needle)
                .to_string();
                assert!(e.contains(needle), "block {block}: {e} lacks {needle}");
            }
        };
        // Line 5: a weight that is not a number, after 3 good rows.
        case(
            &format!("{ok}{ok}{ok}S1,2,x,40,1,1,1,1\n{ok}"),
            "m.csv:5, column 3 (weight)",
        );
        // Line 6: the stratum's fpc changes from 40 (first read on line 2).
        case(
            &format!("{ok}{ok}{ok}{ok}S1,3,10,41,1,1,1,1\n"),
            "m.csv:6, column 4 (fpc): fpc must be constant within stratum \"S1\": 40 on line 2, found 41",
        );
        // Line 4: a row one field short, before a bad weight on line 5.
        case(
            &format!("{ok}{ok}S1,2,10,40,1,1,1\nS1,2,x,40,1,1,1,1\n"),
            "m.csv:4: expected 8 fields",
        );
        // The weights overflow on line 4 (1e308 each: the third passes 1.8e308).
        let big = "S1,1,1e308,40,30,20,10,10\n";
        case(
            &format!("{ok}{big}{big}{ok}"),
            "m.csv:4, column 3 (weight): the weights sum past",
        );
        // CRLF lines keep their numbers (line 4), quoted or not.
        let crlf = format!("{ok}{ok}S1,2,-1,40,1,1,1,1\n").replace('\n', "\r\n");
        case(&crlf, "m.csv:4, column 3 (weight)");
        case(
            &crlf.replacen("S1", "\"S1\"", 2),
            "m.csv:4, column 3 (weight)",
        );
    }
}
