//! `litmon sae`: Fay–Herriot small-area estimates for the jurisdictions with a direct estimate
//! (an observation with a standard error or sample size) in one year.
//!
//! * Areas: the jurisdictions with an observation of the indicator in `--year` that has `se` or
//!   `n`, at the finest administrative level among them (coarser ones, e.g. the province of the
//!   same survey, are not areas of the model: they are benchmark targets), plus the rows of
//!   the covariates file without such an observation (synthetic estimates).
//! * Covariates CSV: `jurisdiction,NAME1,…` (ids or names), an optional `population` column
//!   for benchmark weights; every sampled area needs a row.
//! * Benchmark group of an area: its nearest ancestor with an observation of the indicator in
//!   that year (target: that value); areas without one are benchmarked together to the
//!   weighted mean of their direct estimates.
//! * Parents (the registry parent of each area): with a direct value in that year, a
//!   consistency check ([`crate::sae::consistency`]; a warning when |z| > 1.96); without one, a
//!   population-weighted roll-up row ([`crate::sae::roll_up`]; `gamma` and `synthetic` empty).
//! * `--to-observations`: value = benchmarked estimate if any, else EBLUP (or roll-up); se =
//!   root MSE; n empty.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::cli::args::SaeArgs;
use crate::cli::context::Context;
use crate::data::{read_table, ReadOptions};
use crate::error::{Diagnostic, DiagnosticKind, Error, Result};
use crate::model::{Dataset, Observation};
use crate::output::tables::ObservationRecord;
use crate::output::{Format, Table};

use crate::sae::fay_herriot::{FitOptions, VarianceMethod};
use crate::sae::{benchmark, consistency, roll_up, small_area_estimates, AreaInput, SaeRow};

/// Checked options of `litmon sae`.
#[derive(Debug, Clone, PartialEq)]
pub struct SaeTask {
    /// Survey year of the direct estimates (`--year`, 1900–2100).
    pub year: i32,
    /// Estimator of σ_u² (`--method`; REML by default).
    pub method: VarianceMethod,
    /// Covariates CSV (`--covariates`); `None` for an intercept-only model.
    pub covariates: Option<PathBuf>,
    /// Ratio-benchmark the estimates (`--benchmark`).
    pub benchmark: bool,
    /// Write observation rows instead of the `sae` table (`--to-observations`).
    pub to_observations: bool,
    /// How the covariates file is read.
    pub read: ReadOptions,
}

impl SaeTask {
    /// The task of the flags of `litmon sae` (their value parsers checked the year range and
    /// the `--method` name); `read` holds the global `--encoding` and `--sheet`.
    pub fn from_args(a: &SaeArgs, read: &ReadOptions) -> SaeTask {
        SaeTask {
            year: a.year,
            method: a.method.unwrap_or(VarianceMethod::Reml),
            covariates: a.covariates.clone(),
            benchmark: a.benchmark,
            to_observations: a.to_observations,
            read: read.clone(),
        }
    }

    /// Runs the command on a loaded dataset: notes go to standard error, the table (or
    /// observation rows) of the jurisdictions `keep` passes is returned (every area still
    /// enters the model).
    pub fn render(
        &self,
        ctx: &Context,
        ds: &Dataset,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<u8>> {
        let (rows, fit, notes) = estimate(ds, &ctx.indicator, self)?;
        ctx.say_grouped(&notes);
        if self.to_observations {
            let source = format!(
                "litmon sae {} σu²={:.6}",
                self.method.as_str(),
                fit.sigma2_u
            );
            let mut t = observations_table(&rows, &ctx.indicator, self.year, &source)?;
            t.retain_jurisdictions(keep);
            return t.render(Format::Csv);
        }
        let mut t = sae_table(&rows)?;
        t.retain_jurisdictions(keep);
        t.lang = ctx.lang;
        t.mark_percent(&[
            "direct",
            "direct_se",
            "eblup",
            "rmse",
            "synthetic",
            "benchmarked",
        ]);
        t.mark_share(&["gamma"]);
        t.render(ctx.output.format)
    }
}

/// Covariates per jurisdiction id: values in column order, and population when given.
struct Covariates {
    names: Vec<String>,
    rows: Vec<(String, Vec<f64>, Option<f64>)>,
}

fn read_covariates(path: &std::path::Path, read: &ReadOptions, ds: &Dataset) -> Result<Covariates> {
    let t = read_table(path, read)?;
    let jcol = t
        .column("jurisdiction")
        .or_else(|| t.column("id"))
        .unwrap_or(0);
    let pcol = t.column("population");
    let cols: Vec<usize> = (0..t.headers.len())
        .filter(|&c| c != jcol && Some(c) != pcol)
        .collect();
    let mut rows: Vec<(String, Vec<f64>, Option<f64>)> = Vec::new();
    for r in &t.rows {
        let key = r.text(jcol);
        let j = ds
            .resolve(key)
            .ok_or_else(|| t.error(r, jcol, crate::data::unknown_jurisdiction_message(ds, key)))?;
        if rows.iter().any(|(id, _, _)| id == &j.id) {
            return Err(t.error(
                r,
                jcol,
                text!(
                    "{key:?} 在协变量中出现了两次",
                    "{key:?} appears twice in the covariates"
                ),
            ));
        }
        let mut vals = Vec::with_capacity(cols.len());
        for &c in &cols {
            vals.push(t.number(r, c)?.ok_or_else(|| {
                t.error(
                    r,
                    c,
                    text!(
                        "缺少协变量：每个单元格都应有数值",
                        "a covariate is missing: every cell needs a number"
                    ),
                )
            })?);
        }
        let pop = match pcol {
            Some(c) => match t.number(r, c)? {
                Some(v) if v > 0.0 => Some(v),
                Some(v) => {
                    return Err(t.error(
                        r,
                        c,
                        text!(
                            "总体数应为正，实际为 {v}",
                            "population must be positive, found {v}"
                        ),
                    ))
                }
                None => return Err(t.error(r, c, text!("缺少总体数", "population is missing"))),
            },
            None => None,
        };
        rows.push((j.id.clone(), vals, pop));
    }
    Ok(Covariates {
        names: cols.iter().map(|&c| t.headers[c].clone()).collect(),
        rows,
    })
}

/// The direct estimates of the model's areas: the observations of `task.year` with a
/// standard error or sample size at the finest level among them, by jurisdiction id (the
/// last of two), with notes on the coarser ones and on duplicates.
fn direct_estimates<'a>(
    ds: &Dataset,
    indicator: &str,
    task: &SaeTask,
    year_obs: &[&'a Observation],
    notes: &mut Vec<Diagnostic>,
) -> Result<HashMap<&'a str, &'a Observation>> {
    let with_error: Vec<&Observation> = year_obs
        .iter()
        .copied()
        .filter(|o| o.se.is_some() || o.n.is_some())
        .collect();
    let level_of = |id: &str| ds.jurisdiction(id).map(|j| j.level);
    let finest = with_error
        .iter()
        .filter_map(|o| level_of(&o.jurisdiction))
        .max();
    let Some(finest) = finest else {
        return Err(Error::usage(text!(
"sae：{} 中没有 {indicator} 的观测值带有标准误或样本量（se、n 列）",
"sae: no observation of {indicator} in {} has a standard error or sample size (columns se, n)",
            task.year
        )));
    };
    let mut direct: HashMap<&str, &Observation> = HashMap::new();
    let mut coarser = 0;
    for o in &with_error {
        if level_of(&o.jurisdiction) != Some(finest) {
            coarser += 1;
            continue;
        }
        if direct.insert(&o.jurisdiction, o).is_some() {
            let (j, year, at) = (&o.jurisdiction, task.year, &o.origin);
            let message = crate::model::Text::new(
                format!("{j} 在 {year} 年有第二个 {indicator} 观测值；采用最后一个（{at}）"),
                format!("a second {indicator} observation of {j} in {year}; the last one is used"),
            );
            let kind = DiagnosticKind::DuplicateDirect {
                jurisdiction: o.jurisdiction.clone(),
            };
            notes.push(Diagnostic::warning(kind, message).at(&o.origin));
        }
    }
    if coarser > 0 {
        notes.push(Diagnostic::note(
            DiagnosticKind::BenchmarkTargets,
            text!(
                "{coarser} 个高于 {} 级的观测值是校准目标，不是小区域",
                "{coarser} observation(s) above the {} level are benchmark targets, not areas",
                finest.as_str()
            ),
        ));
    }
    Ok(direct)
}

/// The areas of the model, in registry order (sampled first, then unsampled), and notes.
fn areas(
    ds: &Dataset,
    indicator: &str,
    task: &SaeTask,
) -> Result<(Vec<AreaInput>, Vec<Diagnostic>)> {
    let mut notes = Vec::new();
    let year_obs: Vec<&Observation> = ds
        .observations
        .iter()
        .filter(|o| o.indicator == indicator && o.year == task.year)
        .collect();
    let direct = direct_estimates(ds, indicator, task, &year_obs, &mut notes)?;
    let covariates = match &task.covariates {
        Some(path) => Some(read_covariates(path, &task.read, ds)?),
        None => None,
    };
    let cov_of: HashMap<&str, (&Vec<f64>, Option<f64>)> = covariates
        .iter()
        .flat_map(|c| c.rows.iter().map(|(id, v, p)| (id.as_str(), (v, *p))))
        .collect();
    let mut out = Vec::new();
    let mut unsampled = Vec::new();
    for j in ds.jurisdictions() {
        let obs = direct.get(j.id.as_str());
        let cov = cov_of.get(j.id.as_str());
        if obs.is_none() && cov.is_none() {
            continue;
        }
        if let (Some(o), Some(c), None) = (obs, &covariates, cov) {
            return Err(Error::input(
                o.origin.clone(),
                text!(
                    "{} 有直接估计值，但协变量文件 {} 中没有对应的行（列为 {}）",
                    "{} has a direct estimate but no row in the covariates file {} (columns {})",
                    j.id,
                    task.covariates
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    c.names.join(",")
                ),
            ));
        }
        let group = ds
            .ancestors(&j.id)
            .into_iter()
            .find(|a| year_obs.iter().any(|o| o.jurisdiction == a.id))
            .map(|a| a.id.clone());
        let area = AreaInput {
            id: j.id.clone(),
            direct_pct: obs.map(|o| o.value),
            se_pct: obs.and_then(|o| o.se),
            n: obs.and_then(|o| o.n),
            covariates: cov.map(|(v, _)| (*v).clone()).unwrap_or_default(),
            population: cov.and_then(|(_, p)| *p),
            group,
        };
        if obs.is_some() {
            out.push(area);
        } else {
            unsampled.push(area);
        }
    }
    out.extend(unsampled);
    Ok((out, notes))
}

/// Fits the model and returns the rows (benchmarked when asked) and notes for stderr.
pub fn estimate(
    ds: &Dataset,
    indicator: &str,
    task: &SaeTask,
) -> Result<(Vec<SaeRow>, crate::sae::fay_herriot::FhFit, Vec<Diagnostic>)> {
    let (areas, mut notes) = areas(ds, indicator, task)?;
    let opts = FitOptions {
        method: task.method,
        ..FitOptions::default()
    };
    let mut res = small_area_estimates(&areas, &opts)?;
    if res.fit.at_zero {
        notes.push(Diagnostic::note(
            DiagnosticKind::SigmaZero,
            text!(
                "按 {} 估得 σ_u² = 0：所有估计值都是合成估计；--method adjusted 可保持 σ_u² > 0",
                "σ_u² = 0 by {}: every estimate is synthetic; --method adjusted keeps σ_u² > 0",
                task.method.as_str()
            ),
        ));
    }
    if !res.fit.converged {
        notes.push(Diagnostic::warning(
            DiagnosticKind::SigmaNotConverged,
            text!(
                "σ_u² 的 {} 迭代在 {} 步内未收敛",
                "the {} iterations for σ_u² did not converge in {} steps",
                task.method.as_str(),
                res.fit.iterations
            ),
        ));
    }
    let weights: Vec<f64> = if areas.iter().all(|a| a.population.is_some()) {
        areas.iter().map(|a| a.population.unwrap_or(1.0)).collect()
    } else {
        if task.benchmark {
            notes.push(Diagnostic::note(
                DiagnosticKind::EqualWeights,
                text!(
                    "没有总体数列：按等权重校准",
                    "no population column: benchmarking with equal weights"
                ),
            ));
        }
        vec![1.0; areas.len()]
    };
    if task.benchmark {
        benchmark_to_parents(ds, indicator, task.year, &areas, &weights, &mut res.rows);
    }
    let rollups = check_parents(
        ds, indicator, task.year, &areas, &weights, &res.rows, &mut notes,
    );
    if let Some(note) = edge_note(&res.rows) {
        notes.push(note);
    }
    res.rows.extend(rollups);
    Ok((res.rows, res.fit, notes))
}

/// The `sae` table.
pub fn sae_table(rows: &[SaeRow]) -> Result<Table> {
    Ok(Table::from_records(rows)?)
}

/// observations.csv rows: the benchmarked estimate when there is one, else the EBLUP, with
/// its root MSE as `se`.
pub fn observations_table(
    rows: &[SaeRow],
    indicator: &str,
    year: i32,
    source: &str,
) -> Result<Table> {
    let records: Vec<ObservationRecord<u64>> = rows
        .iter()
        .map(|r| ObservationRecord {
            jurisdiction: r.id.as_str().into(),
            indicator,
            year,
            value: r.benchmarked.unwrap_or(r.eblup),
            se: Some(r.rmse),
            n: None,
            source: if r.rolled_up {
                format!("{source} roll-up").into()
            } else {
                source.into()
            },
        })
        .collect();
    Ok(Table::from_records(&records)?)
}

/// EBLUPs this close to 0 % or 100 % (in points) get a note on their root MSE.
const EDGE_PCT: f64 = 0.5;

/// Ratio-benchmarks `rows` ([`benchmark`]): each area to its group's parent value in
/// `year`; areas without a parent value together to their weighted direct mean.
fn benchmark_to_parents(
    ds: &Dataset,
    indicator: &str,
    year: i32,
    areas: &[AreaInput],
    weights: &[f64],
    rows: &mut [SaeRow],
) {
    let mut targets: HashMap<String, f64> = HashMap::new();
    for g in areas.iter().filter_map(|a| a.group.clone()) {
        if let Some(o) = ds
            .observations
            .iter()
            .find(|o| o.jurisdiction == g && o.indicator == indicator && o.year == year)
        {
            targets.insert(g, o.value);
        }
    }
    // Areas without a parent value: benchmarked together to their weighted direct mean.
    let groups: Vec<Option<String>> = areas
        .iter()
        .map(|a| Some(a.group.clone().unwrap_or_else(|| "*".to_string())))
        .collect();
    let (sw, swd) = areas
        .iter()
        .zip(weights)
        .filter(|(a, _)| a.group.is_none())
        .filter_map(|(a, w)| a.direct_pct.map(|d| (*w, w * d)))
        .fold((0.0, 0.0), |(a, b), (w, wd)| (a + w, b + wd));
    if sw > 0.0 {
        targets.insert("*".into(), swd / sw);
    }
    benchmark(rows, weights, &groups, &targets);
}

/// The parents of the areas (registry parents): where one has a direct value in `year`, a
/// consistency check of its areas' direct estimates (a warning when |z| > 1.96); else a
/// population-weighted roll-up row, returned (with a note).
fn check_parents(
    ds: &Dataset,
    indicator: &str,
    year: i32,
    areas: &[AreaInput],
    weights: &[f64],
    rows: &[SaeRow],
    notes: &mut Vec<Diagnostic>,
) -> Vec<SaeRow> {
    // Parents: a consistency check where they have a direct value, else a roll-up row.
    let parents: Vec<Option<String>> = areas
        .iter()
        .map(|a| ds.jurisdiction(&a.id).and_then(|j| j.parent.clone()))
        .collect();
    let parent_obs = |p: &str| {
        ds.observations
            .iter()
            .find(|o| o.jurisdiction == p && o.indicator == indicator && o.year == year)
    };
    let mut rollups = Vec::new();
    for r in roll_up(rows, weights, &parents) {
        match parent_obs(&r.parent) {
            Some(o) => {
                let children: Vec<(f64, f64, f64)> = rows
                    .iter()
                    .zip(weights)
                    .zip(&parents)
                    .filter(|(_, p)| p.as_deref() == Some(r.parent.as_str()))
                    .filter_map(|((row, w), _)| Some((*w, row.direct?, row.direct_se?)))
                    .collect();
                if let Some(c) = consistency(&children, o.value, o.se) {
                    if c.z.abs() > 1.96 {
                        let message = text!(
                            "其 {} 个小区域的直接估计平均为 {:.2} %（标准误 {:.2}），而其自身为 {:.2} %{}（z = {:.1}）：两者之差超出了误差范围",
                            "its {} areas' direct estimates average {:.2} % (se {:.2}) against its own {:.2} %{} (z = {:.1}): they disagree beyond their errors",
                            children.len(),
                            c.children_mean,
                            c.children_se,
                            o.value,
                            o.se.map(|s| format!(" (se {s:.2})")).unwrap_or_default(),
                            c.z
                        );
                        let kind = DiagnosticKind::ParentDisagrees;
                        notes.push(Diagnostic::warning(kind, message).about(&r.parent));
                    }
                }
            }
            None => rollups.push(SaeRow {
                id: r.parent.clone(),
                direct: None,
                direct_se: None,
                eblup: r.estimate,
                mse: r.mse,
                rmse: r.mse.sqrt(),
                gamma: f64::NAN,
                synthetic: f64::NAN,
                benchmarked: None,
                rolled_up: true,
            }),
        }
    }
    if !rollups.is_empty() {
        notes.push(Diagnostic::note(DiagnosticKind::RolledUp, text!(
            "{} 个在 {} 年没有直接估计值的上级地区取其所辖小区域按人口加权的汇总值（gamma 为空的行）",
            "{} parent(s) without a direct value in {} get the population-weighted roll-up of their areas (rows with empty gamma)",
            rollups.len(),
            year
        )));
    }
    rollups
}

/// The note on areas whose EBLUP is within [`EDGE_PCT`] points of 0 % or 100 %.
fn edge_note(rows: &[SaeRow]) -> Option<Diagnostic> {
    // The MSE goes back to percent by the delta method, whose factor sin 2θ vanishes at
    // 0 % and 100 %: there the root MSE tends to 0 and understates the uncertainty.
    let edge: Vec<String> = rows
        .iter()
        .filter(|r| r.eblup <= EDGE_PCT || r.eblup >= 100.0 - EDGE_PCT)
        .map(|r| format!("{} ({:.2} %, rmse {:.3})", r.id, r.eblup, r.rmse))
        .collect();
    (!edge.is_empty()).then(|| {
        Diagnostic::warning(DiagnosticKind::NearEdge, text!(
            "{} 个小区域的 EBLUP 距 0 % 或 100 % 不足 {EDGE_PCT} 个百分点：{}；在那里 delta 法的均方根误差趋于 0，低估了不确定性——应视为下限",
            "{} area(s) with an EBLUP within {EDGE_PCT} points of 0 % or 100 %: {}; there the delta-method root MSE tends to 0 and understates the uncertainty — read it as a lower bound",
            edge.len(),
            edge.join(", ")
        ))
    })
}
