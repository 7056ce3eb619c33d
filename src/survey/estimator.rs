//! The estimate of `litmon estimate`: from the accumulated pass to one row per domain and
//! outcome (p̂, SE, interval, deff, df, reliability), under design weights (Taylor),
//! post-stratification, raking or replicate weights ([`estimate`], [`EstimateSpec`]).

use std::io::Read;

use crate::error::survey::SurveyError;
use crate::error::{Error, Result};
use crate::survey::calibration::{
    estimate_poststratified, post_strata, DomainCell, Population, PostStrata,
};
use crate::survey::ci::{interval, CiMethod, Interval, IntervalInput};
use crate::survey::design::DesignSpec;
use crate::survey::reader::{self, Accumulated, DomainTable};
use crate::survey::reliability::{nchs, Reliability};
use crate::survey::replicate::{ReplicateSpec, ReplicateVariance};
use crate::survey::scoring::ScoringRule;
use crate::survey::taylor::{check_lonely, LonelyPsu, ProportionEstimate, PsuTotal};

/// What an estimate needs besides the microdata and population counts: the design, the
/// outcome, the domains, the interval and how the design weights are adjusted. Values only,
/// checked by the command line (`litmon estimate`). `W` is the weighting: the estimator's
/// [`WeightingSpec`], or the command line's, which adds the population files (the
/// `WeightingConfig` of `litmon estimate`; [`EstimateSpec::map_weighting`] turns one into
/// the other).
#[derive(Debug, Clone, PartialEq)]
pub struct EstimateSpec<W = WeightingSpec> {
    /// Strata, PSU, weight and fpc columns.
    pub design: DesignSpec,
    /// Scores → 0/1 outcomes.
    pub scoring: ScoringRule,
    /// Domain tables: each one column, or several crossed (`["county", "urban"]`).
    pub by: Vec<Vec<String>>,
    /// Interval method.
    pub ci: CiMethod,
    /// Confidence level in (0, 1), e.g. 0.95.
    pub confidence: f64,
    /// Treatment of strata with one PSU.
    pub lonely_psu: LonelyPsu,
    /// Weight adjustment (at most one), and with it the variance method.
    pub weighting: W,
}

impl<W> EstimateSpec<W> {
    /// The same spec with the weighting `f` makes of this one.
    pub fn map_weighting<V>(&self, f: impl FnOnce(&W) -> V) -> EstimateSpec<V> {
        EstimateSpec {
            design: self.design.clone(),
            scoring: self.scoring.clone(),
            by: self.by.clone(),
            ci: self.ci,
            confidence: self.confidence,
            lonely_psu: self.lonely_psu,
            weighting: f(&self.weighting),
        }
    }
}

/// How the design weights are adjusted: at most one of post-stratification, raking or
/// replicate weights. The population counts of the first two are given to
/// [`estimate_accumulated`], which reads them after the pass.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum WeightingSpec {
    /// Design weights, Taylor-linearised variance (R `svydesign` + `svymean`).
    #[default]
    Design,
    /// Post-stratification to population counts of these crossed columns (R `postStratify`).
    PostStratified {
        /// Columns whose crossed values define the post-strata (e.g. `sex`, `urban`).
        columns: Vec<String>,
    },
    /// Raking to population margins (R `rake`).
    Raked {
        /// Each margin's (crossed) columns, e.g. `[["sex"], ["age_band", "urban"]]`.
        margins: Vec<Vec<String>>,
    },
    /// Replicate-weight variance (R `svrepdesign`) instead of Taylor linearisation.
    Replicate(ReplicateSpec),
}

impl WeightingSpec {
    /// The post-stratum columns the pass keeps cells of: the post-stratification's columns,
    /// or every raking margin column once ([`crate::survey::rake::margin_columns`]); none otherwise.
    pub fn post_columns(&self) -> Vec<String> {
        match self {
            WeightingSpec::PostStratified { columns } => columns.clone(),
            WeightingSpec::Raked { margins } => crate::survey::rake::margin_columns(margins),
            WeightingSpec::Design | WeightingSpec::Replicate(_) => Vec::new(),
        }
    }

    /// The replicate-weight column prefix, with replicate weights.
    pub fn replicate_prefix(&self) -> Option<&str> {
        match self {
            WeightingSpec::Replicate(r) => Some(r.prefix.as_str()),
            _ => None,
        }
    }
}

/// The weighting of an accumulated pass, with what its estimator needs: calibration factors
/// or the replicate-variance constants.
#[derive(Debug, Clone, PartialEq)]
pub enum Weighting {
    /// Design weights, Taylor-linearised variance.
    Design,
    /// Post-stratified weights ([`crate::survey::calibration`]).
    PostStratified(PostStrata),
    /// Raked weights ([`crate::survey::rake`]).
    Raked(crate::survey::rake::RakeStrata),
    /// Design weights with the replicate-weight variance ([`crate::survey::replicate`]).
    Replicate(ReplicateVariance),
}

impl Weighting {
    /// Prepares the weighting of `spec` for an accumulated pass: calibration factors from
    /// `populations` (one table for post-stratification, one per margin in order for raking;
    /// ignored otherwise), or the replicate-variance constants.
    pub fn new(
        acc: &Accumulated,
        spec: &WeightingSpec,
        populations: &[Population],
    ) -> Result<Weighting> {
        Ok(match spec {
            WeightingSpec::Design => Weighting::Design,
            WeightingSpec::PostStratified { .. } => {
                let [population] = populations else {
                    return Err(Error::Survey(SurveyError::PopulationsPerMargin));
                };
                Weighting::PostStratified(post_strata(acc, population)?)
            }
            WeightingSpec::Raked { margins } => {
                Weighting::Raked(crate::survey::rake::rake_strata(acc, margins, populations)?)
            }
            WeightingSpec::Replicate(r) => {
                Weighting::Replicate(ReplicateVariance::new(r, acc.rep_columns.len())?)
            }
        })
    }

    /// Whether the weights are calibrated: R's `nrow()` of a calibrated subset design is the
    /// whole sample.
    fn is_calibrated(&self) -> bool {
        matches!(self, Weighting::PostStratified(_) | Weighting::Raked(_))
    }
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
    /// Proportion, variance, deff, df.
    pub estimate: ProportionEstimate,
    /// Interval at the asked confidence.
    pub interval: Interval,
    /// NCHS presentation standard.
    pub reliability: Reliability,
}

/// Rows and the warnings to show the user (degenerate cells).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Estimates {
    /// Total first, then each domain table.
    pub rows: Vec<DomainRow>,
    /// Warnings, one line each.
    pub warnings: Vec<crate::error::Diagnostic>,
}

/// Reads the microdata (UTF-8 CSV bytes with a header row; `label` names it in errors) in
/// one streaming pass ([`reader::accumulate`]) with the columns `spec` names.
pub fn accumulate<R: Read>(reader: R, label: &str, spec: &EstimateSpec) -> Result<Accumulated> {
    let post = spec.weighting.post_columns();
    let plan = reader::ReadPlan {
        file: label,
        design: &spec.design,
        scoring: &spec.scoring,
        by: &spec.by,
        post: &post,
        rep_prefix: spec.weighting.replicate_prefix(),
    };
    reader::accumulate(reader, &plan)
}

/// Estimates the total and every domain of the microdata `reader` (see [`accumulate`] and
/// [`estimate_accumulated`]).
///
/// ```
/// use litmon::survey::{design::DesignSpec, estimate, scoring::ScoringRule, EstimateSpec};
/// let csv = "weight,county,literate\n1,C1,1\n1,C1,0\n2,C2,1\n2,C2,1\n";
/// let spec = EstimateSpec {
///     design: DesignSpec { weight: "weight".into(), ..DesignSpec::default() },
///     scoring: ScoringRule::Indicator { column: "literate".into() },
///     by: vec![vec!["county".into()]],
///     ci: litmon::survey::ci::CiMethod::Logit,
///     confidence: 0.95,
///     lonely_psu: Default::default(),
///     weighting: Default::default(),
/// };
/// let est = estimate(csv.as_bytes(), "mem.csv", &spec, &[]).unwrap();
/// assert_eq!(est.rows[0].domain, "total");
/// assert!((est.rows[0].estimate.p - 5.0 / 6.0).abs() < 1e-12);
/// assert_eq!(est.rows[2].domain, "county=C2");
///
/// // A missing column is a typed error naming its role, not a flag.
/// let bad = EstimateSpec { by: vec![vec!["town".into()]], ..spec };
/// let e = estimate(csv.as_bytes(), "mem.csv", &bad, &[]).unwrap_err();
/// assert!(matches!(
///     e,
///     litmon::Error::Survey(litmon::survey::error::SurveyError::MissingColumn {
///         role: litmon::survey::error::ColumnRole::Domain,
///         ..
///     })
/// ));
/// ```
pub fn estimate<R: Read>(
    reader: R,
    label: &str,
    spec: &EstimateSpec,
    populations: &[Population],
) -> Result<Estimates> {
    let acc = accumulate(reader, label, spec)?;
    estimate_accumulated(&acc, spec, populations)
}

/// Estimates every (outcome, table, domain) of an accumulated pass, weighted as `spec` says
/// with the `populations` of its post-stratification or raking ([`Weighting::new`]): total
/// first, then the tables in `by` order, domains sorted by value; the headline outcome first,
/// then each graded level. A raking that does not converge adds a warning.
pub fn estimate_accumulated(
    acc: &Accumulated,
    spec: &EstimateSpec,
    populations: &[Population],
) -> Result<Estimates> {
    let weighting = Weighting::new(acc, &spec.weighting, populations)?;
    let mut est = estimate_weighted(acc, &weighting, spec)?;
    if let Weighting::Raked(rk) = &weighting {
        if !rk.converged {
            let message = text!(
                "raking 在 {} 次迭代后仍未收敛（同 R 的 rake）",
                "raking did not converge after {} iterations (as R rake)",
                crate::survey::rake::MAXIT
            );
            let kind = crate::error::DiagnosticKind::RakingNotConverged;
            est.warnings
                .push(crate::error::Diagnostic::warning(kind, message));
        }
    }
    Ok(est)
}

/// [`estimate_accumulated`] with the weighting prepared.
pub fn estimate_weighted(
    acc: &Accumulated,
    weighting: &Weighting,
    spec: &EstimateSpec,
) -> Result<Estimates> {
    check_pass(acc, weighting, spec.lonely_psu)?;
    let mut out = Estimates::default();
    let mut scratch = Scratch::new(acc, weighting);
    for (o, outcome) in spec.scoring.outcome_names().iter().enumerate() {
        for table in &acc.tables {
            let cells = DomainCells::of(table);
            for d in cells.sorted_domains(table) {
                let est = estimate_domain(
                    &DomainInput {
                        acc,
                        table,
                        domain: d,
                        cells: cells.of_domain(d),
                        outcome: o,
                    },
                    weighting,
                    spec.lonely_psu,
                    &mut scratch,
                );
                let (domain, values) = domain_name(table, d, outcome);
                out.rows.push(domain_row(
                    acc,
                    weighting,
                    spec,
                    domain,
                    values,
                    outcome,
                    est,
                    &mut out.warnings,
                ));
            }
        }
    }
    Ok(out)
}

/// Checks before any estimate: the lonely-PSU policy (not for replicate weights, which
/// ignore strata) and that the file has data rows.
fn check_pass(acc: &Accumulated, weighting: &Weighting, lonely: LonelyPsu) -> Result<()> {
    if !matches!(weighting, Weighting::Replicate(_)) {
        check_lonely(&acc.strata, lonely)?;
    }
    if acc.rows == 0 {
        return Err(Error::Survey(SurveyError::NoDataRows));
    }
    Ok(())
}

/// The cells of a domain table grouped by domain (a counting sort).
struct DomainCells {
    /// Cells of domain d: `order[start[d]..start[d + 1]]`.
    start: Vec<usize>,
    order: Vec<usize>,
}

impl DomainCells {
    fn of(table: &DomainTable) -> DomainCells {
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
        DomainCells { start, order }
    }

    /// Domains in output order: sorted by value (the total has one domain).
    fn sorted_domains(&self, table: &DomainTable) -> Vec<usize> {
        let mut domains: Vec<usize> = (0..self.start.len() - 1).collect();
        if !table.columns.is_empty() {
            domains.sort_by(|&a, &b| table.domains[a].cmp(&table.domains[b]));
        }
        domains
    }

    /// The cell indices of domain `d`.
    fn of_domain(&self, d: usize) -> &[usize] {
        &self.order[self.start[d]..self.start[d + 1]]
    }
}

/// One domain of one table, for one outcome.
struct DomainInput<'a> {
    acc: &'a Accumulated,
    table: &'a DomainTable,
    domain: usize,
    /// The domain's (PSU, post-stratum) cells in `table`.
    cells: &'a [usize],
    /// Outcome index.
    outcome: usize,
}

/// Buffers reused from one domain to the next.
struct Scratch {
    psus: Vec<PsuTotal>,
    /// One slot per PSU for post-stratification (all zero between domains).
    zacc: Vec<f64>,
    /// One estimate per replicate.
    theta: Vec<f64>,
}

impl Scratch {
    fn new(acc: &Accumulated, weighting: &Weighting) -> Scratch {
        let psus = match weighting {
            Weighting::PostStratified(_) => acc.psu_stratum.len(),
            _ => 0,
        };
        Scratch {
            psus: Vec::new(),
            zacc: vec![0.0; psus],
            theta: vec![0.0; acc.rep_columns.len()],
        }
    }
}

/// The estimate of one domain under `weighting`: its PSU totals, then the design-based
/// ([`crate::survey::taylor::estimate`]), post-stratified, raked or replicate-weight estimator.
fn estimate_domain(
    input: &DomainInput,
    weighting: &Weighting,
    lonely: LonelyPsu,
    scratch: &mut Scratch,
) -> ProportionEstimate {
    let DomainInput {
        acc,
        table,
        cells,
        outcome: o,
        ..
    } = *input;
    let k = acc.n_outcomes;
    let psus = &mut scratch.psus;
    psus.clear();
    psus.extend(cells.iter().map(|&c| PsuTotal {
        stratum: acc.psu_stratum[table.cell_psu[c] as usize] as usize,
        sum_w: table.cell_w[c],
        sum_wy: table.cell_wy[c * k + o],
        n_rows: table.cell_rows[c],
        n_nonzero: table.cell_nonzero[c],
    }));
    match weighting {
        Weighting::Design => crate::survey::taylor::estimate(psus, &acc.strata, lonely),
        Weighting::Replicate(rv) => replicate_estimate(input, rv, psus, &mut scratch.theta),
        Weighting::Raked(rk) => {
            let cells: Vec<crate::survey::rake::RakeCell> = cells
                .iter()
                .zip(psus.iter())
                .map(|(&c, t)| crate::survey::rake::RakeCell {
                    psu: table.cell_psu[c],
                    cell: table.cell_post[c],
                    total: *t,
                    sum_y: table.cell_y[c * k + o],
                })
                .collect();
            crate::survey::rake::estimate_raked(&cells, rk, &acc.psu_stratum, &acc.strata, lonely)
        }
        Weighting::PostStratified(ps) => {
            let cells: Vec<DomainCell> = cells
                .iter()
                .zip(psus.iter())
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
                &mut scratch.zacc,
            )
        }
    }
}

/// The replicate-weight estimate of one domain: p̂ and n from the full-sample weights, V̂ from
/// the replicate estimates θ_r = Σ w_r y / Σ w_r ([`ReplicateVariance::variance`]), df = rank
/// of the replicate weights − 1, and deff against SRS without replacement on the domain's
/// rows, zero weights included, as R `svymean.svyrep.design(deff = TRUE)` (no NaN guard):
/// V̂_srs = n/(n − 1) · p̂(1 − p̂)/n · (N̂ − n)/N̂.
fn replicate_estimate(
    input: &DomainInput,
    rv: &ReplicateVariance,
    psus: &mut [PsuTotal],
    theta: &mut [f64],
) -> ProportionEstimate {
    let DomainInput {
        acc,
        table,
        domain: d,
        outcome: o,
        ..
    } = *input;
    let k = acc.n_outcomes;
    let n_rep = theta.len();
    let mut e = crate::survey::taylor::estimate(psus, &acc.strata, LonelyPsu::Remove);
    let base = d * n_rep;
    for (r, th) in theta.iter_mut().enumerate() {
        let sw = table.rep_w.get(base + r).copied().unwrap_or(0.0);
        let swy = table.rep_wy.get((base + r) * k + o).copied().unwrap_or(0.0);
        *th = if sw > 0.0 { swy / sw } else { f64::NAN };
    }
    e.var = if e.sum_weights > 0.0 {
        rv.variance(theta, e.p)
    } else {
        f64::NAN
    };
    let nr = e.n_rows as f64;
    let v_srs = nr / (nr - 1.0) * e.p * (1.0 - e.p) / nr * (e.sum_weights - nr) / e.sum_weights;
    e.deff = e.var / v_srs;
    e.n_eff = e.p * (1.0 - e.p) / e.var;
    e.df = match table.rep_rows.get(d) {
        Some(rows) => rows.rank(n_rep) as f64 - 1.0,
        None => 0.0,
    };
    e
}

/// The domain's name (`total`, `county=C001;urban=1`, with `;OUTCOME` for a graded level) and
/// values (empty for the total).
fn domain_name(table: &DomainTable, d: usize, outcome: &str) -> (String, Vec<String>) {
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
    if !outcome.is_empty() {
        domain = format!("{domain};{outcome}");
    }
    (domain, values)
}

/// The output row of a domain estimate: its interval, its NCHS reliability (judged on the
/// 95 % Korn–Graubard interval) and a warning when it has no estimate, no df or a degenerate
/// interval.
#[allow(clippy::too_many_arguments)]
fn domain_row(
    acc: &Accumulated,
    weighting: &Weighting,
    spec: &EstimateSpec,
    domain: String,
    values: Vec<String>,
    outcome: &str,
    est: ProportionEstimate,
    warnings: &mut Vec<crate::error::Diagnostic>,
) -> DomainRow {
    let input = IntervalInput {
        p: est.p,
        var: est.var,
        df: est.df,
        // R's nrow() of a calibrated subset design is the whole sample.
        n_rows: if weighting.is_calibrated() {
            acc.rows as f64
        } else {
            est.n_rows as f64
        },
        n: est.n as f64,
    };
    let (method, confidence) = (spec.ci, spec.confidence);
    let iv = interval(method, &input, confidence);
    let kg = if method == CiMethod::Beta && confidence == 0.95 {
        iv
    } else {
        interval(CiMethod::Beta, &input, 0.95)
    };
    let reliability = nchs(&est, &kg);
    use crate::error::{Diagnostic, DiagnosticKind};
    let replicate = matches!(weighting, Weighting::Replicate(_));
    if est.n == 0 {
        let message = text!(
            "没有权重非零的受访者；无估计值",
            "no respondent with a nonzero weight; no estimate"
        );
        warnings.push(Diagnostic::warning(DiagnosticKind::NoRespondent, message).about(&domain));
    } else if est.df <= 0.0 {
        let (why_zh, why) = if replicate {
            (
                "重复权重给不出自由度",
                "the replicate weights give no degrees of freedom",
            )
        } else {
            (
                "其受访者在每个分层中只落在一个 PSU",
                "its respondents lie in one PSU per stratum",
            )
        };
        let message = text!(
            "设计自由度 = {}（{why_zh}）；无置信区间",
            "design df = {} ({why}); no interval",
            est.df
        );
        let kind = DiagnosticKind::NoDesignDf { replicate };
        warnings.push(Diagnostic::warning(kind, message).about(&domain));
    } else if iv.degenerate {
        let message = text!(
            "估计值为 {} %；置信区间采用 n = {} 的 Clopper–Pearson 精确界",
            "estimate is {} %; interval uses the exact Clopper–Pearson bound on n = {}",
            if est.p <= 0.0 { 0 } else { 100 },
            est.n
        );
        let kind = DiagnosticKind::DegenerateInterval;
        warnings.push(Diagnostic::warning(kind, message).about(&domain));
    }
    DomainRow {
        domain,
        values,
        outcome: outcome.to_string(),
        estimate: est,
        interval: iv,
        reliability,
    }
}

/// Keeps the domain rows of `--jurisdiction`/`--level`: a row stays when one of its domain
/// values is a kept jurisdiction (`is_kept` resolves the value, a code or a name, in the
/// registry). The total has no value and is dropped: it is the whole file, not one of the
/// jurisdictions asked for. Estimates are untouched (each domain was estimated on the full
/// design), so a kept row equals the row of the unfiltered run.
pub fn retain_jurisdictions(rows: &mut Vec<DomainRow>, is_kept: &dyn Fn(&str) -> bool) {
    rows.retain(|r| r.values.iter().any(|v| is_kept(v.trim())));
}
