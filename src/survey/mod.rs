//! Survey estimation from respondent microdata (`litmon estimate`): the literacy rate of the
//! whole population and of domains, with design-based standard errors and intervals that
//! equal R `survey` (`svymean`, `svyby`, `svyciprop`, `options(survey.lonely.psu)`).
//!
//! * [`scoring`]: scores → 0/1 outcomes (total ≥ threshold, graded levels, Miller, indicator);
//! * [`design`]: design columns and `design.toml`;
//! * [`input`]: opening the microdata as every table is opened (UTF-8, GBK, XLSX), streamed
//!   to the reader as UTF-8 CSV;
//! * [`reader`]: one streaming pass accumulating (domain, PSU) sums;
//! * [`taylor`]: Hájek proportion, Taylor-linearised variance, deff, df;
//! * [`replicate`]: replicate-weight variance (JK1, JKn, BRR, Fay, bootstrap) as `svrepdesign`;
//! * [`calibration`], [`rake`]: post-stratification and raking as `postStratify` and `rake`;
//! * [`ci`]: interval methods; [`reliability`]: the NCHS presentation standard.
//!
//! Inside the numeric core every rate is a proportion in [0, 1]; this module converts to
//! percent only when it builds output tables.

// `!(x > 0.0)` is deliberate: it is true for NaN, which every check here must reject.
#![allow(clippy::neg_cmp_op_on_partial_ord, clippy::nonminimal_bool)]

pub mod calibration;
pub mod ci;
pub mod design;
pub mod input;
pub mod rake;
pub mod reader;
pub mod reliability;
pub mod replicate;
pub mod scoring;
pub mod taylor;

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::output::{Cell, Table};
use calibration::{estimate_poststratified, DomainCell, PostStrata, PostStratification};
use ci::{interval, CiMethod, Interval, IntervalInput};
use design::DesignSpec;
use reader::Accumulated;
use reliability::{nchs, Reliability};
use replicate::{rank, ReplicateSpec, ReplicateVariance};
use scoring::ScoringRule;
use taylor::{check_lonely, estimate, LonelyPsu, ProportionEstimate, PsuTotal};

/// Everything `litmon estimate` needs, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct EstimateConfig {
    pub microdata: PathBuf,
    pub design: DesignSpec,
    pub scoring: ScoringRule,
    /// Domain tables: each one column, or several crossed (`--by county,urban`).
    pub by: Vec<Vec<String>>,
    pub ci: CiMethod,
    /// Confidence level in (0, 1), e.g. 0.95.
    pub confidence: f64,
    pub lonely_psu: LonelyPsu,
    /// Write observations.csv rows for this year instead of the estimate table.
    pub to_observations: Option<i32>,
    /// Post-stratification to population counts (R `postStratify`), if any.
    pub calibration: Option<PostStratification>,
    /// Replicate-weight variance (R `svrepdesign`) instead of Taylor linearisation, if any.
    pub replicates: Option<ReplicateSpec>,
    /// Raking to population margins (R `rake`), if any.
    pub raking: Option<rake::Raking>,
    /// `--encoding` and `--sheet`: how the microdata, population margins and rscales are
    /// read ([`input`]).
    pub read: crate::data::ReadOptions,
}

/// The estimate of one domain (or the total) for one outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainRow {
    /// `total`, `county=C001`, `county=C001;urban=1`; graded outcomes add `;score>=55`.
    pub domain: String,
    /// The domain's values (empty for the total).
    pub values: Vec<String>,
    /// Outcome name (empty for the headline rule).
    pub outcome: String,
    pub estimate: ProportionEstimate,
    pub interval: Interval,
    pub reliability: Reliability,
}

/// Rows and the warnings to show the user (degenerate cells).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Estimates {
    pub rows: Vec<DomainRow>,
    pub warnings: Vec<String>,
}

/// Reads the microdata (CSV in UTF-8 or GBK, or XLSX: [`input::open_microdata`]) and
/// estimates the total and every domain.
pub fn estimate_file(cfg: &EstimateConfig) -> Result<Estimates> {
    if cfg.raking.is_some() && (cfg.calibration.is_some() || cfg.replicates.is_some()) {
        return Err(Error::Usage(
            "estimate: --rake cannot be combined with --poststrata or --repweights".into(),
        ));
    }
    if cfg.replicates.is_some() && cfg.calibration.is_some() {
        return Err(Error::Usage(
            "estimate: --poststrata cannot be combined with --repweights".into(),
        ));
    }
    let post_columns = match (&cfg.calibration, &cfg.raking) {
        (Some(c), _) => c.columns.clone(),
        (None, Some(r)) => r.columns(),
        (None, None) => Vec::new(),
    };
    let input = input::open_microdata(&cfg.microdata, &cfg.read, |f, len| {
        Box::new(crate::output::term::ProgressReader::new(
            f,
            crate::output::term::bar(len, "reading microdata", true),
        ))
    })?;
    let acc = reader::accumulate_replicates(
        input.reader,
        &input.label,
        &cfg.design,
        &cfg.scoring,
        &cfg.by,
        &post_columns,
        cfg.replicates.as_ref().map(|r| r.prefix.as_str()),
    )
    .map_err(|e| input.locator.locate(e))?;
    if let Some(spec) = &cfg.replicates {
        let rv = ReplicateVariance::new(spec, acc.rep_columns.len())?;
        return estimate_with(
            &acc,
            None,
            None,
            Some(&rv),
            &cfg.scoring,
            cfg.ci,
            cfg.confidence,
            cfg.lonely_psu,
        );
    }
    if let Some(r) = &cfg.raking {
        let rk = rake::rake_strata(&acc, r, &cfg.read)?;
        let mut est = estimate_with(
            &acc,
            None,
            Some(&rk),
            None,
            &cfg.scoring,
            cfg.ci,
            cfg.confidence,
            cfg.lonely_psu,
        )?;
        if !rk.converged {
            est.warnings.push(format!(
                "raking did not converge after {} iterations (as R rake)",
                rake::MAXIT
            ));
        }
        return Ok(est);
    }
    let ps = match &cfg.calibration {
        Some(c) => Some(post_strata(&acc, c, &cfg.read)?),
        None => None,
    };
    estimate_accumulated(
        &acc,
        ps.as_ref(),
        &cfg.scoring,
        cfg.ci,
        cfg.confidence,
        cfg.lonely_psu,
    )
}

/// Post-stratification factors and the (PSU, post-stratum) weight table of an accumulated pass.
pub fn post_strata(
    acc: &Accumulated,
    c: &PostStratification,
    read: &crate::data::ReadOptions,
) -> Result<PostStrata> {
    let population = calibration::read_population(&c.population, &c.columns, read)?;
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
    let factor = calibration::factors(
        &acc.post_cells,
        &sample_total,
        &population,
        &c.population.display().to_string(),
    )?;
    Ok(PostStrata {
        factor,
        sample_total,
        psus,
    })
}

/// Estimates every (outcome, table, domain) of an accumulated pass: total first, then the
/// tables in `--by` order, domains sorted by value; the headline outcome first, then each
/// graded level.
pub fn estimate_accumulated(
    acc: &Accumulated,
    post: Option<&PostStrata>,
    scoring: &ScoringRule,
    method: CiMethod,
    confidence: f64,
    lonely: LonelyPsu,
) -> Result<Estimates> {
    estimate_with(acc, post, None, None, scoring, method, confidence, lonely)
}

/// [`estimate_accumulated`], with the replicate-weight variance of [`replicate`] when `rep` is
/// given (the pass must then have been read with replicate weights).
#[allow(clippy::too_many_arguments)]
fn estimate_with(
    acc: &Accumulated,
    post: Option<&PostStrata>,
    raked: Option<&rake::RakeStrata>,
    rep: Option<&ReplicateVariance>,
    scoring: &ScoringRule,
    method: CiMethod,
    confidence: f64,
    lonely: LonelyPsu,
) -> Result<Estimates> {
    if rep.is_none() {
        check_lonely(&acc.strata, lonely)?;
    }
    let n_rep = acc.rep_columns.len();
    let mut theta = vec![0.0; n_rep];
    let mut out = Estimates::default();
    if acc.rows == 0 {
        return Err(Error::Usage(
            "--microdata: the file has no data rows".into(),
        ));
    }
    let names = scoring.outcome_names();
    let k = acc.n_outcomes;
    for (o, oname) in names.iter().enumerate() {
        for table in &acc.tables {
            // Cells grouped by domain (counting sort).
            let nd = table.domains.len().max(1);
            let mut start = vec![0usize; nd + 1];
            for &d in &table.cell_domain {
                start[d as usize + 1] += 1;
            }
            for i in 0..nd {
                start[i + 1] += start[i];
            }
            let mut fill = start.clone();
            let mut order = vec![0usize; table.cell_domain.len()];
            for (c, &d) in table.cell_domain.iter().enumerate() {
                order[fill[d as usize]] = c;
                fill[d as usize] += 1;
            }
            let mut domain_order: Vec<usize> = (0..nd).collect();
            if !table.columns.is_empty() {
                domain_order.sort_by(|&a, &b| table.domains[a].cmp(&table.domains[b]));
            }
            let mut psus: Vec<PsuTotal> = Vec::new();
            let mut zacc = vec![
                0.0;
                if post.is_some() {
                    acc.psu_stratum.len()
                } else {
                    0
                }
            ];
            for d in domain_order {
                psus.clear();
                psus.extend(order[start[d]..start[d + 1]].iter().map(|&c| PsuTotal {
                    stratum: acc.psu_stratum[table.cell_psu[c] as usize] as usize,
                    sum_w: table.cell_w[c],
                    sum_wy: table.cell_wy[c * k + o],
                    n_rows: table.cell_rows[c],
                    n_nonzero: table.cell_nonzero[c],
                }));
                let est = match (post, rep) {
                    (_, Some(rv)) => {
                        let mut e = estimate(&mut psus, &acc.strata, LonelyPsu::Remove);
                        let base = d * n_rep;
                        for (r, th) in theta.iter_mut().enumerate() {
                            let sw = table.rep_w.get(base + r).copied().unwrap_or(0.0);
                            let swy = table.rep_wy.get((base + r) * k + o).copied().unwrap_or(0.0);
                            *th = if sw > 0.0 { swy / sw } else { f64::NAN };
                        }
                        e.var = if e.sum_weights > 0.0 {
                            rv.variance(&theta, e.p)
                        } else {
                            f64::NAN
                        };
                        // svymean.svyrep.design(deff = TRUE): SRS without replacement on
                        // the domain's rows, zero weights included (no NaN guard, as R).
                        let nr = e.n_rows as f64;
                        let v_srs = nr / (nr - 1.0) * e.p * (1.0 - e.p) / nr * (e.sum_weights - nr)
                            / e.sum_weights;
                        e.deff = e.var / v_srs;
                        e.n_eff = e.p * (1.0 - e.p) / e.var;
                        let g = table
                            .rep_gram
                            .get(d * n_rep * n_rep..(d + 1) * n_rep * n_rep)
                            .unwrap_or(&[]);
                        e.df = if g.len() == n_rep * n_rep {
                            rank(g, n_rep) as f64 - 1.0
                        } else {
                            0.0
                        };
                        e
                    }
                    (None, None) => match raked {
                        None => estimate(&mut psus, &acc.strata, lonely),
                        Some(rk) => {
                            let cells: Vec<rake::RakeCell> = order[start[d]..start[d + 1]]
                                .iter()
                                .zip(&psus)
                                .map(|(&c, t)| rake::RakeCell {
                                    psu: table.cell_psu[c],
                                    cell: table.cell_post[c],
                                    total: *t,
                                    sum_y: table.cell_y[c * k + o],
                                })
                                .collect();
                            rake::estimate_raked(&cells, rk, &acc.psu_stratum, &acc.strata, lonely)
                        }
                    },
                    (Some(ps), None) => {
                        let cells: Vec<DomainCell> = order[start[d]..start[d + 1]]
                            .iter()
                            .zip(&psus)
                            .map(|(&c, t)| DomainCell {
                                psu: table.cell_psu[c],
                                post: table.cell_post[c],
                                total: *t,
                            })
                            .collect();
                        estimate_poststratified(
                            &cells,
                            ps,
                            &acc.psu_stratum,
                            &acc.strata,
                            lonely,
                            &mut zacc,
                        )
                    }
                };
                let values = if table.columns.is_empty() {
                    Vec::new()
                } else {
                    table.domains[d].clone()
                };
                let mut domain = if values.is_empty() {
                    "total".to_string()
                } else {
                    table
                        .columns
                        .iter()
                        .zip(&values)
                        .map(|(c, v)| format!("{c}={v}"))
                        .collect::<Vec<_>>()
                        .join(";")
                };
                if !oname.is_empty() {
                    domain = format!("{domain};{oname}");
                }
                let input = IntervalInput {
                    p: est.p,
                    var: est.var,
                    df: est.df,
                    // R's nrow() of a calibrated subset design is the whole sample.
                    n_rows: if post.is_some() || raked.is_some() {
                        acc.rows as f64
                    } else {
                        est.n_rows as f64
                    },
                    n: est.n as f64,
                };
                let iv = interval(method, &input, confidence);
                let kg = if method == CiMethod::Beta && confidence == 0.95 {
                    iv
                } else {
                    interval(CiMethod::Beta, &input, 0.95)
                };
                let reliability = nchs(&est, &kg);
                if est.n == 0 {
                    out.warnings.push(format!(
                        "{domain}: no respondent with a nonzero weight; no estimate"
                    ));
                } else if est.df <= 0.0 {
                    let why = if rep.is_some() {
                        "the replicate weights give no degrees of freedom"
                    } else {
                        "its respondents lie in one PSU per stratum"
                    };
                    out.warnings.push(format!(
                        "{domain}: design df = {} ({why}); no interval",
                        est.df
                    ));
                } else if iv.degenerate {
                    out.warnings.push(format!(
                        "{domain}: estimate is {} %; interval uses the exact Clopper–Pearson bound \
                         on n = {}",
                        if est.p <= 0.0 { 0 } else { 100 },
                        est.n
                    ));
                }
                out.rows.push(DomainRow {
                    domain,
                    values,
                    outcome: oname.clone(),
                    estimate: est,
                    interval: iv,
                    reliability,
                });
            }
        }
    }
    Ok(out)
}

/// Keeps the domain rows of `--jurisdiction`/`--level`: a row stays when one of its domain
/// values is a kept jurisdiction (`is_kept` resolves the value, a code or a name, in the
/// registry). The total has no value and is dropped: it is the whole file, not one of the
/// jurisdictions asked for. Estimates are untouched (each domain was estimated on the full
/// design), so a kept row equals the row of the unfiltered run.
pub fn retain_jurisdictions(rows: &mut Vec<DomainRow>, is_kept: &dyn Fn(&str) -> bool) {
    rows.retain(|r| r.values.iter().any(|v| is_kept(v.trim())));
}

/// `estimate` CSV columns, in contract order.
pub const ESTIMATE_COLUMNS: [&str; 11] = [
    "domain",
    "n",
    "sum_weights",
    "est",
    "se",
    "lo",
    "hi",
    "deff",
    "n_eff",
    "df",
    "reliability",
];

/// Largest effective sample size written; larger values come from a variance that is
/// rounding noise.
const MAX_N_EFF: f64 = 1e15;

/// The estimate table (est, se, lo, hi in percent).
pub fn estimate_table(rows: &[DomainRow]) -> Table {
    let mut t = Table::new(ESTIMATE_COLUMNS.to_vec());
    for r in rows {
        let e = &r.estimate;
        let pct = |x: f64| Cell::opt_num(Some(100.0 * x));
        t.rows.push(vec![
            Cell::text(&r.domain),
            Cell::Int(e.n as i64),
            Cell::opt_num(Some(e.sum_weights)),
            pct(e.p),
            pct(e.se()),
            pct(r.interval.lo),
            pct(r.interval.hi),
            Cell::opt_num(Some(e.deff)),
            // Empty where V̂ is rounding noise: n_eff beyond 1e15 (10^5 times the world's
            // population) can only come from a variance of about machine epsilon.
            Cell::opt_num(Some(e.n_eff).filter(|n| *n <= MAX_N_EFF)),
            Cell::Num(e.df),
            Cell::text(r.reliability.as_str()),
        ]);
    }
    t
}

/// observations.csv rows (`jurisdiction,indicator,year,value,se,n,source`) for the headline
/// outcome of every domain with an estimate; the total is omitted; crossed domains join their
/// values with `;`.
pub fn observations_table(rows: &[DomainRow], year: i32, source: &str) -> Table {
    let mut t = Table::new(vec![
        "jurisdiction",
        "indicator",
        "year",
        "value",
        "se",
        "n",
        "source",
    ]);
    for r in rows {
        if r.values.is_empty() || !r.outcome.is_empty() || !r.estimate.p.is_finite() {
            continue;
        }
        t.rows.push(vec![
            Cell::text(r.values.join(";")),
            Cell::text("literacy_rate"),
            Cell::Int(year.into()),
            Cell::Num(100.0 * r.estimate.p),
            Cell::opt_num(Some(100.0 * r.estimate.se())),
            Cell::Int(r.estimate.n as i64),
            Cell::text(source),
        ]);
    }
    t
}
