//! From validated configuration to output bytes: what each command does.

use std::path::PathBuf;

use crate::assess::{assess, project, AssessConfig};
use crate::cli::{Cli, Command};
use crate::data::{load, LoadOptions};
use crate::error::{Error, Result};
use crate::model::{Dataset, Lang};
use crate::output::{write_atomic, Format};
use crate::tables;
use crate::trend::backtest::{backtest, backtest_forecasts};
use crate::trend::{ModelKind, TrendConfig};

/// A checked configuration: every flag parsed and validated.
#[derive(Debug, Clone)]
pub struct Config {
    pub load: LoadOptions,
    pub as_of: Option<i32>,
    pub indicator: String,
    pub lang: Lang,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub trend: TrendConfig,
    pub task: Task,
    /// The input files, which no output may replace.
    pub protected: crate::safety::Protected,
}

/// What to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    Assess,
    Project { to: Option<i32> },
    Backtest { since: Option<i32>, detail: bool },
    Chart(crate::chart_cmd::ChartTask),
    Report(ReportTask),
    Indicators,
    Estimate(Box<crate::survey::EstimateConfig>),
    Sae(Box<crate::sae::command::SaeTask>),
}

/// Checked options of `litmon report`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTask {
    pub dir: PathBuf,
    pub jurisdictions: Vec<String>,
    pub level: Option<crate::model::Level>,
    pub embed_font: bool,
}

impl Config {
    /// Validates parsed flags.
    pub fn from_cli(cli: &Cli) -> Result<Config> {
        let g = &cli.global;
        let lang = match g.lang.as_str() {
            "zh" => Lang::Zh,
            "en" => Lang::En,
            other => {
                return Err(Error::Usage(format!(
                    "--lang: expected zh or en, found {other:?}"
                )))
            }
        };
        let visual = matches!(cli.command, Command::Chart(_) | Command::Report(_));
        let format = match g.format.as_deref() {
            _ if visual => Format::Table,
            None | Some("table") => Format::Table,
            Some("csv") => Format::Csv,
            Some("json") => Format::Json,
            Some("xlsx") => Format::Xlsx,
            Some(other) => {
                return Err(Error::Usage(format!(
                    "--format: expected table, csv, json or xlsx, found {other:?}"
                )))
            }
        };
        if format == Format::Xlsx && g.output.is_none() {
            return Err(Error::Usage(
                "--format xlsx writes a binary workbook: give the file with -o FILE.xlsx".into(),
            ));
        }
        // Every input is protected, in one place: no output may replace one.
        let protected = crate::safety::Protected::from_cli(cli);
        if let Some(out) = &g.output {
            if matches!(cli.command, Command::Report(_)) {
                protected.check_dir(out)?;
            } else {
                protected.check_file(out)?;
            }
        }
        let encoding = match g.encoding.as_deref() {
            None => crate::data::TextEncoding::Auto,
            Some(e) => crate::data::TextEncoding::parse(e).ok_or_else(|| {
                Error::Usage(format!(
                    "--encoding: expected utf-8, gbk or gb18030, found {e:?}"
                ))
            })?,
        };
        if let Some(y) = g.as_of {
            if !(1900..=2100).contains(&y) {
                return Err(Error::Usage(format!(
                    "--as-of: expected a year such as 2023, found {y}"
                )));
            }
        }
        let mut trend = TrendConfig::default();
        let task = match &cli.command {
            Command::Chart(a) => Task::Chart(crate::chart_cmd::ChartTask::from_args(
                a,
                g.format.as_deref(),
                g.output.as_deref(),
            )?),
            Command::Estimate(a) => Task::Estimate(Box::new(crate::survey::config::from_args(a)?)),
            Command::Sae(a) => {
                let mut t = crate::sae::command::SaeTask::from_args(a)?;
                t.read = crate::data::ReadOptions {
                    encoding,
                    sheet: g.sheet.clone(),
                };
                Task::Sae(Box::new(t))
            }
            Command::Report(a) => {
                let dir = g.output.clone().ok_or_else(|| {
                    Error::Usage(
                        "report needs -o DIR (the directory to write the report into)".into(),
                    )
                })?;
                let level = match &a.level {
                    Some(l) => Some(crate::model::Level::parse(l).ok_or_else(|| {
                        Error::Usage(format!(
                            "--level: expected national, province, prefecture or county, found {l:?}"
                        ))
                    })?),
                    None => None,
                };
                Task::Report(ReportTask {
                    dir,
                    jurisdictions: a.jurisdiction.clone(),
                    level,
                    embed_font: a.embed_font,
                })
            }
            Command::Indicators => Task::Indicators,
            Command::Assess => Task::Assess,
            Command::Project { to } => {
                if let Some(t) = to {
                    if !(1900..=2100).contains(t) {
                        return Err(Error::Usage(format!(
                            "--to: expected a year such as 2025, found {t}"
                        )));
                    }
                }
                Task::Project { to: *to }
            }
            Command::Backtest {
                half_life,
                since,
                detail,
            } => {
                if let Some(h) = half_life {
                    // Below 0.1 years every point but the latest weighs (almost) nothing
                    // (0.5^(1/h) underflows to 0 for h = 1e-300): refuse, do not fit n = 0.
                    if !h.is_finite() || *h < 0.0 || (*h > 0.0 && *h < 0.1) {
                        return Err(Error::Usage(format!(
                            "--half-life: expected 0 (equal weights) or at least 0.1 years, found {h}"
                        )));
                    }
                    trend.half_life = (*h > 0.0).then_some(*h);
                }
                Task::Backtest {
                    since: *since,
                    detail: *detail,
                }
            }
        };
        Ok(Config {
            load: LoadOptions {
                data_dir: g.data.clone(),
                observations: g.observations.clone(),
                plans: g.plans.clone(),
                read: crate::data::ReadOptions {
                    encoding,
                    sheet: g.sheet.clone(),
                },
            },
            as_of: g.as_of,
            indicator: g.indicator.clone(),
            lang,
            format,
            output: g.output.clone(),
            trend,
            task,
            protected,
        })
    }
}

/// Loads the dataset of a configuration, restricted to `--as-of`.
pub fn dataset(cfg: &Config) -> Result<Dataset> {
    let mut ds = load(&cfg.load)?;
    if let Some(y) = cfg.as_of {
        ds.restrict_to(y);
    }
    for w in &ds.warnings {
        eprintln!("litmon: {w}");
    }
    if ds.indicator_spec(&cfg.indicator).is_none()
        && !ds.observations.iter().any(|o| o.indicator == cfg.indicator)
    {
        return Err(Error::Usage(format!(
            "--indicator: no plan or observation defines {:?} (the headline is literacy_rate)",
            cfg.indicator
        )));
    }
    Ok(ds)
}

/// Runs the command and returns its output bytes.
pub fn render(cfg: &Config, ds: &Dataset) -> Result<Vec<u8>> {
    let mut table = match &cfg.task {
        Task::Estimate(_) => {
            return Err(Error::Usage(
                "estimate reads microdata, not the dataset: run it through app::run".into(),
            ))
        }
        Task::Chart(_) | Task::Report(_) => {
            return Err(Error::Usage(
                "charts and reports are written to files: give -o PATH".into(),
            ))
        }
        Task::Sae(t) => return crate::sae::command::render(ds, &cfg.indicator, t, cfg.format),
        Task::Indicators => {
            let as_of = cfg.as_of.or_else(|| ds.latest_year()).unwrap_or(2025);
            let mut t =
                tables::indicators_table(&crate::progress::all_progress(ds, as_of, cfg.lang));
            t.mark_share(&["share_done", "share_elapsed"]);
            return t.render(cfg.format);
        }
        Task::Assess => {
            let acfg = AssessConfig {
                indicator: cfg.indicator.clone(),
                as_of: cfg.as_of,
                trend: cfg.trend,
                lang: cfg.lang,
                ..AssessConfig::default()
            };
            tables::assess_table(&assess(ds, &acfg))
        }
        Task::Project { to } => {
            tables::project_table(&project(ds, &cfg.indicator, &cfg.trend, *to))
        }
        Task::Backtest { since, detail } => {
            let (series, _) =
                crate::assess::fit_all(ds, &cfg.indicator, &cfg.trend, ModelKind::LogitWls);
            let parents = crate::assess::parent_map(ds);
            if *detail {
                tables::backtest_detail_table(&backtest_forecasts(
                    &series,
                    &parents,
                    &cfg.trend,
                    &ModelKind::ALL,
                    *since,
                ))
            } else {
                tables::backtest_table(&backtest(
                    &series,
                    &parents,
                    &cfg.trend,
                    &ModelKind::ALL,
                    *since,
                ))
            }
        }
    };
    if ds
        .indicator_spec(&cfg.indicator)
        .is_some_and(|s| s.is_percent())
    {
        table.mark_percent(&tables::PERCENT_COLUMNS);
    }
    table.mark_share(&tables::SHARE_COLUMNS);
    table.render(cfg.format)
}

/// Runs a whole command: load, compute, write (atomically to `-o`, else to stdout).
pub fn run(cfg: &Config) -> Result<()> {
    if let Task::Estimate(e) = &cfg.task {
        return crate::survey::config::run(e, cfg.format, cfg.output.as_deref());
    }
    let ds = dataset(cfg)?;
    if let Task::Chart(task) = &cfg.task {
        return crate::chart_cmd::run(cfg, task, &ds);
    }
    if let Task::Report(task) = &cfg.task {
        return run_report(cfg, task, &ds);
    }
    let bytes = render(cfg, &ds)?;
    match &cfg.output {
        Some(path) => write_atomic(path, &bytes),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            match out.write_all(&bytes) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(|source| Error::Io {
                    path: "<stdout>".into(),
                    source,
                }),
            }
        }
    }
}

/// Runs `litmon report`: builds every number and chart, then writes the directory.
pub fn run_report(cfg: &Config, task: &ReportTask, ds: &Dataset) -> Result<()> {
    let jurisdictions = task
        .jurisdictions
        .iter()
        .map(|k| {
            ds.resolve(k).map(|j| j.id.clone()).ok_or_else(|| {
                Error::Usage(format!(
                    "--jurisdiction: {}",
                    crate::data::unknown_jurisdiction_message(ds, k)
                ))
            })
        })
        .collect::<Result<Vec<String>>>()?;
    let opts = crate::report::ReportOptions {
        as_of: cfg.as_of,
        lang: cfg.lang,
        jurisdictions,
        level: task.level,
        trend: cfg.trend,
        embed_font: task.embed_font,
        inputs: crate::report::input_checksums(&cfg.load)?,
    };
    let report = crate::report::build(ds, &opts)?;
    crate::report::write(&report, &task.dir)
}
