//! `litmon estimate` flags → a checked [`EstimateConfig`], and the command's run (read the
//! files, estimate, write atomically, warnings on standard error). The survey estimator's
//! typed errors are worded with the flag to fix by [`crate::cli::errors::user_error`].

use std::path::PathBuf;

use crate::cli::args::EstimateArgs;
use crate::cli::context::Context;
use crate::cli::errors::user_error;
use crate::cli::filter::RowFilter;
use crate::cli::survey_input::{open_microdata_with_progress, read_design_file, read_population};
use crate::data::ReadOptions;
use crate::error::{Error, Result};
use crate::output::Format;
use crate::survey::calibration::Population;
use crate::survey::ci::CiMethod;
use crate::survey::design::{DesignFile, DesignSpec};
use crate::survey::rake::check_margin;
use crate::survey::reader::Accumulated;
use crate::survey::replicate::{RepType, ReplicateSpec};
use crate::survey::scoring::ScoringRule;
use crate::survey::{
    estimate_table, observations_table, retain_jurisdictions, EstimateSpec, Estimates,
    WeightingSpec,
};

pub use crate::cli::survey_input::read_rscales;

/// Everything `litmon estimate` needs, validated: the files to read and the estimate's
/// values.
#[derive(Debug, Clone, PartialEq)]
pub struct EstimateConfig {
    /// The microdata file (CSV in UTF-8 or GBK, or XLSX).
    pub microdata: PathBuf,
    /// The estimate's values, with the weight adjustment (at most one of `--poststrata`,
    /// `--rake`, `--repweights`) and its population files.
    pub spec: EstimateSpec<WeightingConfig>,
    /// Write observations.csv rows for this year instead of the estimate table.
    pub to_observations: Option<i32>,
    /// `--encoding` and `--sheet`: how the microdata, population margins and rscales are
    /// read.
    pub read: ReadOptions,
}

/// The weight adjustment of `litmon estimate`, with its population files.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum WeightingConfig {
    /// Design weights, Taylor-linearised variance.
    #[default]
    Design,
    /// `--poststrata` + `--population`: post-stratification (R `postStratify`).
    PostStratified(PostStratification),
    /// `--rake` + `--rake-population`: raking to population margins (R `rake`).
    Raked(Raking),
    /// `--repweights` + `--reptype`: replicate-weight variance (R `svrepdesign`).
    Replicate(ReplicateSpec),
}

/// A post-stratification: crossed columns and the population file.
#[derive(Debug, Clone, PartialEq)]
pub struct PostStratification {
    /// Columns whose crossed values define the post-strata (e.g. `sex`, `age_band`, `urban`).
    pub columns: Vec<String>,
    /// Population counts: one row per cell, the columns above plus one count column.
    pub population: PathBuf,
}

/// A raking: one column list per margin, and its population file (same order).
#[derive(Debug, Clone, PartialEq)]
pub struct Raking {
    /// Each margin's (crossed) columns, e.g. `[["sex"], ["age_band", "urban"]]`.
    pub margins: Vec<Vec<String>>,
    /// Each margin's population counts: its columns plus one count column (as `--population`).
    pub populations: Vec<PathBuf>,
}

impl EstimateConfig {
    /// The estimator's values (no paths).
    pub fn spec(&self) -> EstimateSpec {
        self.spec.map_weighting(|w| match w {
            WeightingConfig::Design => WeightingSpec::Design,
            WeightingConfig::PostStratified(p) => WeightingSpec::PostStratified {
                columns: p.columns.clone(),
            },
            WeightingConfig::Raked(r) => WeightingSpec::Raked {
                margins: r.margins.clone(),
            },
            WeightingConfig::Replicate(r) => WeightingSpec::Replicate(r.clone()),
        })
    }
}

/// Validates the flags of `litmon estimate`. Flags override the design file; `read` holds
/// the global `--encoding` and `--sheet`.
pub fn from_args(a: &EstimateArgs, read: &ReadOptions) -> Result<EstimateConfig> {
    let file = match &a.design {
        Some(p) => Some(read_design_file(p)?),
        None => None,
    };
    let design = design_columns(a, file.as_ref())?;
    let scoring = scoring_rule(a, file.as_ref())?;
    let by = domain_tables(a, file.as_ref())?;
    let ci = a.ci.unwrap_or(CiMethod::Logit);
    if !(a.confidence > 0.0 && a.confidence < 1.0) {
        return Err(Error::usage(text!(
            "--confidence：应为 0 到 1 之间的置信水平，如 0.95，实际为 {}",
            "--confidence: expected a level between 0 and 1 such as 0.95, found {}",
            a.confidence
        )));
    }
    let lonely_psu = match a.lonely_psu {
        Some(p) => p,
        None => file.as_ref().and_then(|f| f.lonely_psu).unwrap_or_default(),
    };
    let weighting = weighting(post_stratification(a)?, replicates(a, read)?, raking(a)?)?;
    Ok(EstimateConfig {
        microdata: a.microdata.clone(),
        spec: EstimateSpec {
            design,
            scoring,
            by,
            ci,
            confidence: a.confidence,
            lonely_psu,
            weighting,
        },
        to_observations: a.to_observations,
        read: read.clone(),
    })
}

/// `--strata`, `--psu`, `--weight`, `--fpc`, each over the design file's; without a design
/// file `--weight` is required.
fn design_columns(a: &EstimateArgs, file: Option<&DesignFile>) -> Result<DesignSpec> {
    Ok(match file {
        Some(f) => {
            let d = &f.design;
            DesignSpec {
                strata: a.strata.clone().or_else(|| d.strata.clone()),
                psu: a.psu.clone().or_else(|| d.psu.clone()),
                weight: a.weight.clone().unwrap_or_else(|| d.weight.clone()),
                fpc: a.fpc.clone().or_else(|| d.fpc.clone()),
            }
        }
        None => {
            let weight = a.weight.clone().ok_or_else(|| {
                Error::usage(text!(
                    "estimate：请给出 --design design.toml，或 --strata COL --psu COL --weight COL",
                    "estimate: give --design design.toml, or --strata COL --psu COL --weight COL"
                ))
            })?;
            DesignSpec {
                strata: a.strata.clone(),
                psu: a.psu.clone(),
                weight,
                fpc: a.fpc.clone(),
            }
        }
    })
}

/// One of `--score` (with `--threshold`, `--levels`), `--miller` or `--indicator-column`,
/// else the design file's rule (`--threshold` and `--levels` override its own), else the
/// default total of the four scores.
fn scoring_rule(a: &EstimateArgs, file: Option<&DesignFile>) -> Result<ScoringRule> {
    let rules = usize::from(a.score.is_some())
        + usize::from(a.miller.is_some())
        + usize::from(a.indicator_column.is_some());
    if rules > 1 {
        return Err(Error::usage(text!(
            "estimate：请给出 --score、--miller 或 --indicator-column 之一",
            "estimate: give one of --score, --miller or --indicator-column"
        )));
    }
    crate::survey::design::check_levels(&a.levels).map_err(|m| {
        let (zh, en) = (&m.zh, &m.en);
        Error::usage(text!("--levels：{zh}", "--levels: {en}"))
    })?;
    let threshold = match a.threshold {
        Some(t) if !t.is_finite() => {
            return Err(Error::usage(text!(
                "--threshold：应为得分，实际为 {t}",
                "--threshold: expected a score, found {t}"
            )))
        }
        t => t,
    };
    if let Some(s) = &a.score {
        let columns: Vec<String> = s.split('+').map(|c| c.trim().to_string()).collect();
        if columns.iter().any(String::is_empty) {
            return Err(Error::usage(text!(
                "--score：应为 COL+COL+…，实际为 {s:?}",
                "--score: expected COL+COL+…, found {s:?}"
            )));
        }
        return Ok(ScoringRule::Total {
            columns,
            threshold: threshold.unwrap_or(70.0),
            levels: a.levels.clone(),
        });
    }
    if let Some(m) = &a.miller {
        let mut dimensions = Vec::new();
        for part in m.split(',') {
            let (c, t) = part.split_once(':').ok_or_else(|| {
                Error::usage(text!(
                    "--miller：应为 COL:THRESHOLD，实际为 {part:?}",
                    "--miller: expected COL:THRESHOLD, found {part:?}"
                ))
            })?;
            let t: f64 = t.trim().parse().map_err(|_| {
                Error::usage(text!(
                    "--miller：“:”后应为数值，实际为 {t:?}",
                    "--miller: expected a number after ':', found {t:?}"
                ))
            })?;
            if !t.is_finite() {
                return Err(Error::usage(text!(
                    "--miller：“:”后应为有限的阈值，实际为 {t}",
                    "--miller: expected a finite threshold after ':', found {t}"
                )));
            }
            dimensions.push((c.trim().to_string(), t));
        }
        return Ok(ScoringRule::Miller { dimensions });
    }
    if let Some(c) = &a.indicator_column {
        return Ok(ScoringRule::Indicator { column: c.clone() });
    }
    Ok(match file.and_then(|f| f.scoring.clone()) {
        Some(ScoringRule::Total {
            columns,
            threshold: t0,
            levels,
        }) => ScoringRule::Total {
            columns,
            threshold: threshold.unwrap_or(t0),
            levels: if a.levels.is_empty() {
                levels
            } else {
                a.levels.clone()
            },
        },
        Some(rule) => rule,
        None => {
            let ScoringRule::Total { columns, .. } = ScoringRule::default() else {
                unreachable!("the default rule is a total")
            };
            ScoringRule::Total {
                columns,
                threshold: threshold.unwrap_or(70.0),
                levels: a.levels.clone(),
            }
        }
    })
}

/// `--by` (else the design file's `[domains] by`): one table per entry, `COL` or `COL,COL`.
fn domain_tables(a: &EstimateArgs, file: Option<&DesignFile>) -> Result<Vec<Vec<String>>> {
    let by_specs: Vec<String> = if a.by.is_empty() {
        file.map(|f| f.by.clone()).unwrap_or_default()
    } else {
        a.by.clone()
    };
    by_specs.iter().map(|b| column_list("--by", b)).collect()
}

/// The columns of one `COL` or `COL,COL` value of `flag` (`--by`, `--poststrata`, `--rake`),
/// trimmed; an
/// empty column is a usage error.
fn column_list(flag: &str, value: &str) -> Result<Vec<String>> {
    let cols: Vec<String> = value.split(',').map(|c| c.trim().to_string()).collect();
    if cols.iter().any(String::is_empty) {
        return Err(Error::usage(text!(
            "{flag}：应为 COL 或 COL,COL，实际为 {value:?}",
            "{flag}: expected COL or COL,COL, found {value:?}"
        )));
    }
    Ok(cols)
}

/// `--poststrata COL,COL` with `--population FILE`, if both are given.
fn post_stratification(a: &EstimateArgs) -> Result<Option<PostStratification>> {
    let (Some(cols), Some(population)) = (&a.poststrata, &a.population) else {
        return Ok(None);
    };
    Ok(Some(PostStratification {
        columns: column_list("--poststrata", cols)?,
        population: population.clone(),
    }))
}

/// `--repweights PREFIX` with `--reptype`, `--rho`, `--rscales FILE` (read here) and
/// `--mse`, if the first two are given.
fn replicates(a: &EstimateArgs, read: &ReadOptions) -> Result<Option<ReplicateSpec>> {
    let (Some(prefix), Some(kind)) = (&a.repweights, a.reptype) else {
        return Ok(None);
    };
    if prefix.is_empty() {
        return Err(Error::usage(text!(
            "--repweights：应为列名前缀，如 repw",
            "--repweights: expected a column-name prefix such as repw"
        )));
    }
    if let Some(rho) = a.rho {
        if !(0.0..1.0).contains(&rho) {
            return Err(Error::usage(text!(
                "--rho：Fay 系数应在 [0, 1) 内，实际为 {rho}",
                "--rho: expected Fay's coefficient in [0, 1), found {rho}"
            )));
        }
    }
    if kind == RepType::Fay && a.rho.is_none() {
        return Err(Error::usage(text!(
            "--reptype fay：请用 --rho 给出 Fay 系数（如 0.5）",
            "--reptype fay: give Fay's coefficient with --rho (e.g. 0.5)"
        )));
    }
    let rscales = a
        .rscales
        .as_deref()
        .map(|p| read_rscales(p, read))
        .transpose()?;
    Ok(Some(ReplicateSpec {
        prefix: prefix.clone(),
        kind,
        rho: a.rho,
        rscales,
        mse: a.mse,
    }))
}

/// `--rake COL[,COL]` margins, each with its `--rake-population FILE`, if any.
fn raking(a: &EstimateArgs) -> Result<Option<Raking>> {
    if a.rake.is_empty() {
        return Ok(None);
    }
    if a.rake.len() != a.rake_population.len() {
        return Err(Error::usage(text!(
"--rake：每个 --rake 边际需要一个 --rake-population 文件，顺序相同（{} 个边际，{} 个文件）",
"--rake: give one --rake-population file per --rake margin, in the same order \
             ({} margins, {} files)",
            a.rake.len(),
            a.rake_population.len()
        )));
    }
    let margins = a
        .rake
        .iter()
        .map(|m| column_list("--rake", m))
        .collect::<Result<_>>()?;
    Ok(Some(Raking {
        margins,
        populations: a.rake_population.clone(),
    }))
}

/// The one weight adjustment asked for: `--rake`, `--poststrata` and `--repweights` exclude
/// each other.
fn weighting(
    post: Option<PostStratification>,
    replicates: Option<ReplicateSpec>,
    raking: Option<Raking>,
) -> Result<WeightingConfig> {
    Ok(match (post, replicates, raking) {
        (None, None, None) => WeightingConfig::Design,
        (Some(p), None, None) => WeightingConfig::PostStratified(p),
        (None, Some(r), None) => WeightingConfig::Replicate(r),
        (None, None, Some(r)) => WeightingConfig::Raked(r),
        (_, _, Some(_)) => {
            return Err(Error::usage(text!(
                "estimate：--rake 不能与 --poststrata 或 --repweights 同时使用",
                "estimate: --rake cannot be combined with --poststrata or --repweights"
            )))
        }
        (Some(_), Some(_), None) => {
            return Err(Error::usage(text!(
                "estimate：--poststrata 不能与 --repweights 同时使用",
                "estimate: --poststrata cannot be combined with --repweights"
            )))
        }
    })
}

/// Reads the microdata (CSV in UTF-8 or GBK, or XLSX, behind a progress bar) and the
/// population tables, and estimates the total and every domain ([`crate::survey`]). Errors
/// are the user's words ([`crate::cli::errors::user_error`]), in the file's own terms (sheet rows for XLSX).
pub fn estimate_file(cfg: &EstimateConfig) -> Result<Estimates> {
    let spec = cfg.spec();
    let input = open_microdata_with_progress(&cfg.microdata, &cfg.read)?;
    let acc = crate::survey::accumulate(input.reader, &input.label, &spec)
        .map_err(|e| input.locator.locate(user_error(e)))?;
    let populations = read_populations(&acc, &cfg.spec.weighting, &cfg.read)?;
    crate::survey::estimate_accumulated(&acc, &spec, &populations).map_err(user_error)
}

/// The population tables of the weighting: the post-stratification's, or one per raking
/// margin in order, each checked against the sample as it is read ([`check_margin`]); none
/// otherwise.
fn read_populations(
    acc: &Accumulated,
    weighting: &WeightingConfig,
    read: &ReadOptions,
) -> Result<Vec<Population>> {
    match weighting {
        WeightingConfig::PostStratified(p) => {
            Ok(vec![read_population(&p.population, &p.columns, read)?])
        }
        WeightingConfig::Raked(r) => r
            .margins
            .iter()
            .zip(&r.populations)
            .enumerate()
            .map(|(k, (columns, path))| {
                let population = read_population(path, columns, read)?;
                check_margin(acc, &r.margins, k, &population).map_err(user_error)?;
                Ok(population)
            })
            .collect(),
        WeightingConfig::Design | WeightingConfig::Replicate(_) => Ok(Vec::new()),
    }
}

/// The estimate's rows to write: with `keep` (`--jurisdiction`, `--level`), only the
/// domains that [`retain_jurisdictions`] keeps; with `place` (no `--by`,
/// `--to-observations` and one `--jurisdiction`), the total row as that place's
/// observation; with `known` (the registry), observations rows (`--to-observations` with
/// `--by`) only when every domain is one value it finds: a crossed domain (`140000;0`) or a
/// value that is not a jurisdiction (`P1`) would be a row the loader refuses.
#[derive(Clone, Copy, Default)]
pub struct RowChoice<'a> {
    /// The domain values to keep.
    pub keep: Option<&'a dyn Fn(&str) -> bool>,
    /// The place the whole file samples.
    pub place: Option<&'a str>,
    /// Whether a domain value is a jurisdiction of the registry.
    pub known: Option<&'a dyn Fn(&str) -> bool>,
}

/// Checks `--jurisdiction`/`--level` against the estimate: without `--by` they name the
/// place of `--to-observations` (one `--jurisdiction`), else they need `--by`.
pub fn check_filter(cfg: &EstimateConfig, filter: &RowFilter) -> Result<()> {
    let place =
        cfg.to_observations.is_some() && filter.jurisdictions.len() == 1 && filter.level.is_none();
    if cfg.spec.by.is_empty() && cfg.to_observations.is_some() && !place {
        return Err(Error::usage(
            text!("estimate --to-observations 未给 --by：请用一个 --jurisdiction X 指明整个文件所抽样的地区（其总体行即为 X 的观测值），或给出 --by COL（一列地区代码或名称）", "estimate --to-observations without --by: name the place the whole file samples with one --jurisdiction X (its total row becomes X's observation), or give --by COL (a column of jurisdiction codes or names)"),
        ));
    }
    if filter.is_active() && cfg.spec.by.is_empty() && !place {
        return Err(Error::usage(
            text!("estimate：--jurisdiction 和 --level 保留取值为地区的 --by 分组：请给出 --by COL（一列地区代码或名称）", "estimate: --jurisdiction and --level keep the --by domains whose value is a jurisdiction: give --by COL (a column of jurisdiction codes or names)"),
        ));
    }
    Ok(())
}

/// Runs `litmon estimate`: the registry is loaded when `--jurisdiction`/`--level` or
/// `--to-observations` needs it (to resolve the domain values, codes or names).
pub fn run_command(cfg: &EstimateConfig, ctx: &Context) -> Result<()> {
    if !ctx.filter.is_active() {
        // Observations rows need the registry: each domain must be a jurisdiction.
        let ds = match cfg.to_observations {
            Some(_) => Some(ctx.dataset()?),
            None => None,
        };
        let known = |value: &str| ds.as_ref().is_some_and(|d| d.resolve(value).is_some());
        let rows = RowChoice {
            known: ds.is_some().then_some(&known as &dyn Fn(&str) -> bool),
            ..RowChoice::default()
        };
        return run(cfg, ctx, rows);
    }
    // The registry resolves --jurisdiction and each domain value (code or name).
    let ds = ctx.dataset()?;
    let keep = ctx.filter.on(&ds)?;
    if cfg.spec.by.is_empty() {
        // --to-observations for the place the whole file samples (checked in check_filter).
        let place = ctx
            .filter
            .jurisdictions
            .first()
            .and_then(|key| ds.resolve(key))
            .map(|j| j.id.clone());
        let keep_all = |_: &str| true;
        let rows = RowChoice {
            keep: Some(&keep_all),
            place: place.as_deref(),
            known: None,
        };
        return run(cfg, ctx, rows);
    }
    let is_kept = |value: &str| ds.resolve(value).is_some_and(|j| keep(&j.id));
    let known = |value: &str| ds.resolve(value).is_some();
    let rows = RowChoice {
        keep: Some(&is_kept),
        place: None,
        known: Some(&known),
    };
    run(cfg, ctx, rows)
}

/// Estimates, prints warnings to standard error (a kind grouped unless `--verbose`), and
/// writes the table (or observations rows) of `rows` to `-o` atomically, else to standard
/// output.
pub fn run(cfg: &EstimateConfig, ctx: &Context, rows: RowChoice) -> Result<()> {
    let RowChoice {
        keep: jurisdiction,
        place,
        known,
    } = rows;
    let mut est = estimate_file(cfg)?;
    if let (Some(is_kept), None) = (jurisdiction, place) {
        // Domains none of whose values the registry knows are dropped by the filter: say
        // which (a unit missing from the registry, or a misspelt name), never in silence.
        if let Some(known) = known {
            let unregistered: Vec<String> = est
                .rows
                .iter()
                .filter(|r| !r.values.is_empty() && !r.values.iter().any(|v| known(v.trim())))
                .map(|r| crate::output::safety::echo(&r.values.join(";")))
                .collect();
            if !unregistered.is_empty() {
                let n = unregistered.len();
                let shown = unregistered.iter().take(10).cloned().collect::<Vec<_>>();
                let (zh_list, en_list) = (shown.join("、"), shown.join(", "));
                let more = if n > shown.len() { "…" } else { "" };
                let kind = crate::error::DiagnosticKind::UnregisteredDomains;
                est.warnings.push(crate::error::Diagnostic::warning(kind, text!(
                    "{n} 个 --by 分组的取值不在行政区划表中，按 --jurisdiction/--level 筛选时未列出：{zh_list}{more}（表中没有的地区可用 --jurisdictions F 添加）",
                    "{n} --by domain values are not in the registry and are left out by --jurisdiction/--level: {en_list}{more} (a place the registry lacks is added with --jurisdictions F)"
                )));
            }
        }
        retain_jurisdictions(&mut est.rows, is_kept);
        if est.rows.is_empty() {
            let kind = crate::error::DiagnosticKind::NoDomainKept;
            est.warnings.push(crate::error::Diagnostic::warning(kind, text!(
                "没有哪个 --by 分组的取值是 --jurisdiction/--level 所要求的地区（取值按地区名录的代码和名称匹配）；表格为空",
                "no --by domain value is a jurisdiction asked for by --jurisdiction/--level (values are matched to registry codes and names); the table is empty"
            )));
        }
    }
    if let (Some(_), None) = (cfg.to_observations, place) {
        let domains = est.rows.iter().filter(|r| !r.values.is_empty());
        if let Some(r) = domains.clone().find(|r| r.values.len() > 1) {
            let (d, n) = (
                crate::output::safety::echo(&r.values.join(";")),
                r.values.len(),
            );
            return Err(Error::usage(text!(
                "--to-observations 每个地区写一行，但分组 {d} 由 {n} 列交叉而成：--by 应只给一列地区代码或名称",
                "--to-observations writes one row per jurisdiction, but the domain {d} crosses {n} columns; expected --by with one column of jurisdiction codes or names"
            )));
        }
        let unknown: Vec<String> = domains
            .filter(|r| known.is_some_and(|k| !k(&r.values[0])))
            .map(|r| crate::output::safety::echo(&r.values[0]))
            .collect();
        if let Some(first) = unknown.first() {
            let n = unknown.len();
            return Err(Error::usage(text!(
                "--to-observations 每个地区写一行，但 --by 的取值 {first} 不是行政区划表中的地区（共 {n} 个这样的取值）：--by 应给一列地区代码或名称（表中没有的地区可用 --jurisdictions F 添加）",
                "--to-observations writes one row per jurisdiction, but the --by value {first} is not a jurisdiction of the registry ({n} such values): expected --by with a column of jurisdiction codes or names (a place the registry lacks is added with --jurisdictions F)"
            )));
        }
    }
    ctx.say_grouped(&est.warnings);
    let lang = ctx.lang;
    let table = match cfg.to_observations {
        Some(year) => {
            let name = cfg
                .microdata
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            observations_table(&est.rows, year, &format!("litmon estimate {name}"), place)?
        }
        None => estimate_table(&est.rows)?,
    };
    // Observations are rows `assess --observations` reads: CSV unless `-o`'s extension (or
    // `--format`) names another file format; never a terminal table.
    let format = match (cfg.to_observations, ctx.output.format) {
        (Some(_), Format::Table) => Format::Csv,
        (_, format) => format,
    };
    let mut table = table;
    table.lang = lang;
    ctx.output.write(&table.render(format)?)
}
