//! One block's sums, with the block's own (local) numbering of strata, PSUs, post-strata and
//! domains in order of first appearance; the merge maps them to the file's numbering.

use rustc_hash::FxHashMap;

use super::accumulated::DomainTable;
use super::columns::Columns;
use super::domain::{domain_of, same};
use super::problem::{overflow_message, Problem, ProblemKind, Stage};
use super::split::{for_each_record, parse_num, Block, Broken, Record};
use crate::survey::scoring::ScoringRule;

/// What a block needs to know about the file.
pub(super) struct Plan<'a> {
    pub cols: Columns,
    pub scoring: &'a ScoringRule,
    /// Fields per record (the header's).
    pub n_fields: usize,
    pub n_outcomes: usize,
    pub n_rep: usize,
    /// Replicate weights: strata, PSUs and fpc are ignored.
    pub replicated: bool,
}

impl Plan<'_> {
    /// Without a PSU column (and without replicate weights) every row is its own PSU.
    pub(super) fn psu_per_row(&self) -> bool {
        self.cols.psu.is_none() && !self.replicated
    }
}

/// A stratum as first met in the block.
#[derive(Debug, Clone)]
pub(super) struct LocalStratum {
    pub key: Vec<u8>,
    /// The fpc and the (0-based, block) line where it was first read.
    pub fpc: Option<(f64, u64)>,
}

/// The sums of one block.
#[derive(Debug, Default)]
pub(super) struct Partial {
    pub strata: Vec<LocalStratum>,
    /// Each local PSU's local stratum and key (stratum, 0x1f, PSU).
    pub psus: Vec<(u32, Vec<u8>)>,
    /// Each local post-stratum's key and values.
    pub post: Vec<(Vec<u8>, Vec<String>)>,
    /// `[0]` the total, then one per domain table; domains in local numbering.
    pub tables: Vec<DomainTable>,
    /// Rows read before any problem.
    pub rows: u64,
    /// Line feeds in the block.
    pub line_feeds: u64,
    /// Σw of the rows read (summed row by row).
    pub weight_sum: f64,
    /// The block's first problem, if any (rows after it were not read).
    pub problem: Option<Problem>,
}

/// A table's domains by key.
type DomainIndex = FxHashMap<Vec<u8>, u32>;
/// A table's cells by (domain, PSU, post-stratum).
type CellIndex = FxHashMap<(u32, u32, u32), u32>;

/// Buffers and lookup tables reused across rows and blocks (one per worker): cleared, never
/// shrunk, so a block does not grow its hash tables from nothing.
pub(super) struct Scratch {
    key: Vec<u8>,
    post_key: Vec<u8>,
    values: Vec<f64>,
    y: Vec<f64>,
    wr: Vec<f64>,
    strata_index: FxHashMap<Vec<u8>, u32>,
    psu_index: FxHashMap<Vec<u8>, u32>,
    post_index: FxHashMap<Vec<u8>, u32>,
    last_psu: Option<u32>,
    /// The local stratum and text of the last fpc read and checked.
    fpc_stratum: Option<u32>,
    fpc_text: Vec<u8>,
    /// Each table's domain index and cell index, between blocks.
    table_index: Vec<(DomainIndex, CellIndex)>,
}

impl Scratch {
    pub(super) fn new(plan: &Plan<'_>) -> Self {
        Scratch {
            key: Vec::with_capacity(64),
            post_key: Vec::with_capacity(32),
            values: vec![0.0; plan.cols.scores.len()],
            y: vec![0.0; plan.n_outcomes],
            wr: vec![0.0; plan.n_rep],
            strata_index: FxHashMap::default(),
            psu_index: FxHashMap::default(),
            post_index: FxHashMap::default(),
            last_psu: None,
            fpc_stratum: None,
            fpc_text: Vec::new(),
            table_index: Vec::new(),
        }
    }
}

/// Accumulates one block.
pub(super) fn accumulate_block(
    plan: &Plan<'_>,
    block: &Block,
    n_tables: usize,
    s: &mut Scratch,
) -> Partial {
    s.strata_index.clear();
    s.psu_index.clear();
    s.post_index.clear();
    s.last_psu = None;
    s.fpc_stratum = None;
    s.table_index.resize_with(n_tables, Default::default);
    let mut p = Partial {
        tables: s
            .table_index
            .iter_mut()
            .map(|(index, cells)| {
                index.clear();
                cells.clear();
                DomainTable {
                    index: std::mem::take(index),
                    cells: std::mem::take(cells),
                    ..DomainTable::default()
                }
            })
            .collect(),
        ..Partial::default()
    };
    let result = for_each_record(
        block,
        |rec, line| p.row(plan, s, rec, line),
        |Broken { line, message }| Problem::at(line, Stage::Record, None, message),
    );
    match result {
        Ok(feeds) => p.line_feeds = feeds,
        Err(problem) => p.problem = Some(problem),
    }
    for (t, kept) in p.tables.iter_mut().zip(&mut s.table_index) {
        *kept = (std::mem::take(&mut t.index), std::mem::take(&mut t.cells));
    }
    p
}

/// Reads the weights of a block's records in order, up to (not including) line `stop`,
/// calling `f(line, w)`; stops at the first `Err` of `f`. Rows whose weight does not parse
/// are skipped (they come at or after `stop`).
pub(super) fn walk_weights<E>(
    plan: &Plan<'_>,
    block: &Block,
    stop: u64,
    mut f: impl FnMut(u64, f64) -> Result<(), E>,
) -> Result<(), Option<E>> {
    for_each_record(
        block,
        |rec, line| {
            if line >= stop {
                return Err(None);
            }
            match parse_num(rec.field(plan.cols.weight)) {
                Some(w) => f(line, w).map_err(Some),
                None => Ok(()),
            }
        },
        |_| None,
    )
    .map(|_| ())
}

/// The record's shape: as many fields as the header, and (without replicate weights) a
/// stratum and a PSU that are not empty.
fn check_shape(plan: &Plan<'_>, rec: &Record<'_>, line: u64) -> Result<(), Problem> {
    let cols = &plan.cols;
    if rec.len() != plan.n_fields {
        return Err(Problem::at(
            line,
            Stage::Record,
            None,
            text!(
                "应与表头行一样有 {} 个字段，实际为 {}",
                "expected {} fields as in the header row, found {}",
                plan.n_fields,
                rec.len()
            ),
        ));
    }
    if !plan.replicated {
        for (c, what) in [(cols.strata, "stratum"), (cols.psu, "PSU")] {
            if let Some(c) = c.filter(|&c| rec.field(c).trim_ascii().is_empty()) {
                return Err(Problem::at(line, Stage::Record, Some(c), {
                    let what_zh = if what == "PSU" { "PSU" } else { "分层" };
                    text!(
                            "{what_zh}为空：每个受访者都应有{what_zh}（空值会把所有这样的行归为同一个{what_zh}）",
                            "the {what} is empty: expected the {what} of every respondent (an \
                             empty value would make one {what} of all such rows)"
                        )
                }));
            }
        }
    }
    Ok(())
}

/// The row's weight: a finite number ≥ 0.
fn weight(plan: &Plan<'_>, rec: &Record<'_>, line: u64) -> Result<f64, Problem> {
    let c = plan.cols.weight;
    let w = parse_num(rec.field(c)).ok_or_else(|| {
        Problem::at(
            line,
            Stage::Weight,
            Some(c),
            text!(
                "应为不小于 0 的权重，实际为 {:?}",
                "expected a weight ≥ 0, found {:?}",
                lossy(rec.field(c))
            ),
        )
    })?;
    if !(w >= 0.0) || !w.is_finite() {
        return Err(Problem::at(
            line,
            Stage::Weight,
            Some(c),
            text!(
                "应为不小于 0 的权重，实际为 {w}",
                "expected a weight ≥ 0, found {w}"
            ),
        ));
    }
    Ok(w)
}

/// The row's replicate weights into `s.wr`: finite numbers ≥ 0.
fn replicate_weights(
    plan: &Plan<'_>,
    s: &mut Scratch,
    rec: &Record<'_>,
    line: u64,
) -> Result<(), Problem> {
    for (v, &c) in s.wr.iter_mut().zip(&plan.cols.reps) {
        *v = match parse_num(rec.field(c)) {
            Some(x) if x >= 0.0 && x.is_finite() => x,
            _ => {
                return Err(Problem::at(
                    line,
                    Stage::Values,
                    Some(c),
                    text!(
                        "应为不小于 0 的重复权重，实际为 {:?}",
                        "expected a replicate weight ≥ 0, found {:?}",
                        lossy(rec.field(c))
                    ),
                ))
            }
        };
    }
    Ok(())
}

/// The row's scores into `s.values` (finite; 0–100 for the test's scores) and its outcomes
/// into `s.y` ([`ScoringRule::classify`]).
fn outcomes(plan: &Plan<'_>, s: &mut Scratch, rec: &Record<'_>, line: u64) -> Result<(), Problem> {
    let cols = &plan.cols;
    let field = |c: usize| rec.field(c);
    for (v, &c) in s.values.iter_mut().zip(&cols.scores) {
        // NaN would count as not literate and inf as literate: both are refused.
        *v = parse_num(field(c))
            .filter(|x| x.is_finite())
            .ok_or_else(|| {
                Problem::at(
                    line,
                    Stage::Values,
                    Some(c),
                    text!(
                        "应为有限的得分，实际为 {:?}",
                        "expected a finite score, found {:?}",
                        lossy(field(c))
                    ),
                )
            })?;
        // Scores of the 100-point test (and Miller's dimension scores) lie in 0–100.
        let scored = !matches!(
            plan.scoring,
            crate::survey::scoring::ScoringRule::Indicator { .. }
        );
        if scored && !(0.0..=100.0).contains(v) {
            return Err(Problem::at(
                line,
                Stage::Values,
                Some(c),
                text!(
                    "应为 0 到 100 之间的得分，实际为 {v}",
                    "expected a score from 0 to 100, found {v}"
                ),
            ));
        }
    }
    if let Err(i) = plan.scoring.classify(&s.values, &mut s.y) {
        let c = cols.scores[i];
        return Err(Problem::at(
            line,
            Stage::Values,
            Some(c),
            text!(
                "应为 0 或 1，实际为 {:?}",
                "expected 0 or 1, found {:?}",
                lossy(field(c))
            ),
        ));
    }
    Ok(())
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl Partial {
    /// One record: the same checks, in the same order, as a row-by-row reader.
    fn row(
        &mut self,
        plan: &Plan<'_>,
        s: &mut Scratch,
        rec: &Record<'_>,
        line: u64,
    ) -> Result<(), Problem> {
        check_shape(plan, rec, line)?;
        let psu = self.psu(plan, s, rec);
        let sid = self.psus[psu as usize].0 as usize;
        self.check_fpc(plan, s, rec, line, sid)?;
        let w = weight(plan, rec, line)?;
        self.weight_sum += w;
        if !self.weight_sum.is_finite() {
            return Err(Problem::at(
                line,
                Stage::WeightTotal,
                Some(plan.cols.weight),
                overflow_message(w),
            ));
        }
        replicate_weights(plan, s, rec, line)?;
        outcomes(plan, s, rec, line)?;
        let post_cell = self.post_cell(&plan.cols, s, rec);
        let nonzero = u64::from(w != 0.0);
        for t in 0..self.tables.len() {
            let domain = if t == 0 {
                0
            } else {
                domain_of(&mut self.tables[t], &plan.cols.by[t - 1], &mut s.key, rec)
                    .map_err(|(c, message)| Problem::at(line, Stage::Values, Some(c), message))?
            };
            let table = &mut self.tables[t];
            let ci = table.cell(domain, psu, post_cell, plan.n_outcomes) as usize;
            table.add_row(ci, w, nonzero, &s.y);
            if plan.n_rep > 0 {
                table.add_replicates(domain as usize, &s.wr, &s.y);
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// The fpc of local stratum `sid` on this row: finite, and the stratum's first value.
    /// The fpc repeats on every row of a stratum: it is parsed when its text changes.
    fn check_fpc(
        &mut self,
        plan: &Plan<'_>,
        s: &mut Scratch,
        rec: &Record<'_>,
        line: u64,
        sid: usize,
    ) -> Result<(), Problem> {
        let field = |c: usize| rec.field(c);
        let cols = &plan.cols;
        let fpc_known = cols
            .fpc
            .is_some_and(|c| s.fpc_stratum == Some(sid as u32) && same(&s.fpc_text, field(c)));
        let Some(c) = cols.fpc.filter(|_| !fpc_known) else {
            return Ok(());
        };
        s.fpc_stratum = None;
        let v = parse_num(field(c))
            .filter(|x| x.is_finite())
            .ok_or_else(|| {
                Problem::at(
                    line,
                    Stage::Fpc,
                    Some(c),
                    text!(
                        "应为有限数值，实际为 {:?}",
                        "expected a finite number, found {:?}",
                        lossy(field(c))
                    ),
                )
            })?;
        match self.strata[sid].fpc {
            None => self.strata[sid].fpc = Some((v, line)),
            Some((v0, l0)) if v0 != v => {
                return Err(Problem {
                    line,
                    stage: Stage::Fpc,
                    kind: ProblemKind::FpcChanged {
                        column: c,
                        stratum: sid as u32,
                        first: v0,
                        first_line: l0,
                        found: v,
                    },
                })
            }
            Some(_) => {}
        }
        s.fpc_stratum = Some(sid as u32);
        s.fpc_text.clear();
        s.fpc_text.extend_from_slice(field(c));
        Ok(())
    }

    /// The row's local PSU (nested in its stratum), created at first sight.
    fn psu(&mut self, plan: &Plan<'_>, s: &mut Scratch, rec: &Record<'_>) -> u32 {
        let cols = &plan.cols;
        let st = cols.strata.map(|c| rec.field(c)).unwrap_or(b"");
        let row = self.rows.to_le_bytes();
        let psu: &[u8] = match cols.psu {
            Some(c) => rec.field(c),
            // Replicate designs need no PSUs: one cell per domain.
            None if plan.replicated => b"",
            // Every row its own PSU (the merge never matches these across blocks).
            None => &row,
        };
        // The key is stratum, 0x1f, PSU: compare it in pieces with the last row's.
        if let Some(id) = s.last_psu {
            let last = &self.psus[id as usize].1;
            if last.len() == st.len() + 1 + psu.len()
                && same(&last[st.len() + 1..], psu)
                && same(&last[..st.len()], st)
            {
                return id;
            }
        }
        s.key.clear();
        s.key.extend_from_slice(st);
        s.key.push(0x1f);
        s.key.extend_from_slice(psu);
        let id = match s.psu_index.get(s.key.as_slice()) {
            Some(&id) => id,
            None => {
                let sid = match s.strata_index.get(st) {
                    Some(&sid) => sid,
                    None => {
                        let sid = self.strata.len() as u32;
                        s.strata_index.insert(st.to_vec(), sid);
                        self.strata.push(LocalStratum {
                            key: st.to_vec(),
                            fpc: None,
                        });
                        sid
                    }
                };
                let id = self.psus.len() as u32;
                self.psus.push((sid, s.key.clone()));
                s.psu_index.insert(s.key.clone(), id);
                id
            }
        };
        s.last_psu = Some(id);
        id
    }

    /// The row's local post-stratum (0 without calibration).
    fn post_cell(&mut self, cols: &Columns, s: &mut Scratch, rec: &Record<'_>) -> u32 {
        if cols.post.is_empty() {
            return 0;
        }
        s.post_key.clear();
        for (j, &c) in cols.post.iter().enumerate() {
            if j > 0 {
                s.post_key.push(0x1f);
            }
            s.post_key.extend_from_slice(rec.field(c).trim_ascii());
        }
        match s.post_index.get(s.post_key.as_slice()) {
            Some(&c) => c,
            None => {
                let c = self.post.len() as u32;
                s.post_index.insert(s.post_key.clone(), c);
                let values = cols
                    .post
                    .iter()
                    .map(|&c| lossy(rec.field(c).trim_ascii()))
                    .collect();
                self.post.push((s.post_key.clone(), values));
                c
            }
        }
    }
}
