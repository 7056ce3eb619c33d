//! One block's sums, with the block's own (local) numbering of strata, PSUs, post-strata and
//! domains in order of first appearance; [`super::Merger`] maps them to the file's numbering.

use rustc_hash::FxHashMap;

use super::split::{for_each_record, parse_num, Block, Broken, Record};
use super::{Columns, DomainTable};
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

/// Where in a row's checks a problem arose, so that the first problem of the file is the one
/// a row-by-row reader meets first: the record's shape, the fpc, the weight, the running
/// weight total, then replicate weights and scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Stage {
    Record,
    Fpc,
    Weight,
    WeightTotal,
    Values,
}

/// A problem found in a block, at a 0-based line of the block.
#[derive(Debug, Clone)]
pub(super) struct Problem {
    pub line: u64,
    pub stage: Stage,
    pub kind: ProblemKind,
}

#[derive(Debug, Clone)]
pub(super) enum ProblemKind {
    /// A message about field `column` (or the whole record).
    Message {
        column: Option<usize>,
        message: String,
    },
    /// The fpc of local stratum `stratum` differs from its first value in the block.
    FpcChanged {
        column: usize,
        stratum: u32,
        first: f64,
        first_line: u64,
        found: f64,
    },
}

impl Problem {
    fn at(line: u64, stage: Stage, column: Option<usize>, message: String) -> Self {
        Problem {
            line,
            stage,
            kind: ProblemKind::Message { column, message },
        }
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

/// Scratch buffers reused across rows.
struct Scratch {
    key: Vec<u8>,
    post_key: Vec<u8>,
    values: Vec<f64>,
    y: Vec<f64>,
    wr: Vec<f64>,
    strata_index: FxHashMap<Vec<u8>, u32>,
    psu_index: FxHashMap<Vec<u8>, u32>,
    post_index: FxHashMap<Vec<u8>, u32>,
    last_psu: Option<u32>,
}

/// Accumulates one block.
pub(super) fn accumulate_block(plan: &Plan<'_>, block: &Block, n_tables: usize) -> Partial {
    let mut p = Partial {
        tables: (0..n_tables).map(|_| DomainTable::default()).collect(),
        line_feeds: super::split::line_feeds(&block.bytes),
        ..Partial::default()
    };
    let mut s = Scratch {
        key: Vec::with_capacity(64),
        post_key: Vec::with_capacity(32),
        values: vec![0.0; plan.cols.scores.len()],
        y: vec![0.0; plan.n_outcomes],
        wr: vec![0.0; plan.n_rep],
        strata_index: FxHashMap::default(),
        psu_index: FxHashMap::default(),
        post_index: FxHashMap::default(),
        last_psu: None,
    };
    let result = for_each_record(
        block,
        |rec, line| p.row(plan, &mut s, rec, line),
        |Broken { line, message }| Problem::at(line, Stage::Record, None, message),
    );
    if let Err(problem) = result {
        p.problem = Some(problem);
    }
    for t in &mut p.tables {
        t.cells = FxHashMap::default();
        t.index = FxHashMap::default();
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
        let cols = &plan.cols;
        if rec.len() != plan.n_fields {
            return Err(Problem::at(
                line,
                Stage::Record,
                None,
                format!(
                    "expected {} fields as in the header row, found {}",
                    plan.n_fields,
                    rec.len()
                ),
            ));
        }
        let field = |c: usize| rec.field(c);
        let psu = self.psu(plan, s, rec);
        let sid = self.psus[psu as usize].0 as usize;
        if let Some(c) = cols.fpc {
            let v = parse_num(field(c))
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    Problem::at(
                        line,
                        Stage::Fpc,
                        Some(c),
                        format!("expected a finite number, found {:?}", lossy(field(c))),
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
        }
        let w = parse_num(field(cols.weight)).ok_or_else(|| {
            Problem::at(
                line,
                Stage::Weight,
                Some(cols.weight),
                format!(
                    "expected a weight ≥ 0, found {:?}",
                    lossy(field(cols.weight))
                ),
            )
        })?;
        if !(w >= 0.0) || !w.is_finite() {
            return Err(Problem::at(
                line,
                Stage::Weight,
                Some(cols.weight),
                format!("expected a weight ≥ 0, found {w}"),
            ));
        }
        self.weight_sum += w;
        if !self.weight_sum.is_finite() {
            return Err(Problem::at(
                line,
                Stage::WeightTotal,
                Some(cols.weight),
                super::overflow_message(w),
            ));
        }
        for (v, &c) in s.wr.iter_mut().zip(&cols.reps) {
            *v = match parse_num(field(c)) {
                Some(x) if x >= 0.0 && x.is_finite() => x,
                _ => {
                    return Err(Problem::at(
                        line,
                        Stage::Values,
                        Some(c),
                        format!(
                            "expected a replicate weight ≥ 0, found {:?}",
                            lossy(field(c))
                        ),
                    ))
                }
            };
        }
        for (v, &c) in s.values.iter_mut().zip(&cols.scores) {
            // NaN would count as not literate and inf as literate: both are refused.
            *v = parse_num(field(c))
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    Problem::at(
                        line,
                        Stage::Values,
                        Some(c),
                        format!("expected a finite score, found {:?}", lossy(field(c))),
                    )
                })?;
        }
        if let Err(i) = plan.scoring.classify(&s.values, &mut s.y) {
            let c = cols.scores[i];
            return Err(Problem::at(
                line,
                Stage::Values,
                Some(c),
                format!("expected 0 or 1, found {:?}", lossy(field(c))),
            ));
        }
        let post_cell = self.post_cell(cols, s, rec);
        let nonzero = u64::from(w != 0.0);
        for t in 0..self.tables.len() {
            let domain = if t == 0 {
                0
            } else {
                domain_of(&mut self.tables[t], &cols.by[t - 1], &mut s.key, rec)
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

    /// The row's local PSU (nested in its stratum), created at first sight.
    fn psu(&mut self, plan: &Plan<'_>, s: &mut Scratch, rec: &Record<'_>) -> u32 {
        let cols = &plan.cols;
        s.key.clear();
        if let Some(c) = cols.strata {
            s.key.extend_from_slice(rec.field(c));
        }
        s.key.push(0x1f);
        match cols.psu {
            Some(c) => s.key.extend_from_slice(rec.field(c)),
            // Replicate designs need no PSUs: one cell per domain.
            None if plan.replicated => {}
            // Every row its own PSU (the merge never matches these across blocks).
            None => s.key.extend_from_slice(&self.rows.to_le_bytes()),
        }
        if let Some(id) = s.last_psu {
            if self.psus[id as usize].1 == s.key {
                return id;
            }
        }
        let id = match s.psu_index.get(s.key.as_slice()) {
            Some(&id) => id,
            None => {
                let st = cols.strata.map(|c| rec.field(c)).unwrap_or(b"");
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

/// The row's local domain of a table of columns `tc`, created at first sight.
fn domain_of(table: &mut DomainTable, tc: &[usize], key: &mut Vec<u8>, rec: &Record<'_>) -> u32 {
    key.clear();
    for (j, &c) in tc.iter().enumerate() {
        if j > 0 {
            key.push(0x1f);
        }
        key.extend_from_slice(rec.field(c).trim_ascii());
    }
    if table.last_key_valid && table.last_key == *key {
        return table.last_domain;
    }
    let d = match table.index.get(key.as_slice()) {
        Some(&d) => d,
        None => {
            let d = table.domains.len() as u32;
            table.index.insert(key.clone(), d);
            table.domain_keys.push(key.clone());
            table.domains.push(
                tc.iter()
                    .map(|&c| lossy(rec.field(c).trim_ascii()))
                    .collect(),
            );
            d
        }
    };
    table.last_key.clear();
    table.last_key.extend_from_slice(key);
    table.last_key_valid = true;
    table.last_domain = d;
    d
}
