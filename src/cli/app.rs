//! From validated configuration to output bytes: what each command does.

use std::path::PathBuf;

use crate::assess::{assess, project, AssessConfig};
use crate::cli::args::{Cli, Command};
use crate::data::{load, LoadOptions};
use crate::error::{Error, Result};
use crate::model::{Dataset, Lang, Text};
use crate::output::tables;
use crate::output::{write_atomic, Format};
use crate::trend::backtest::{backtest_forecasts, summarise};
use crate::trend::{ModelKind, TrendConfig};

/// A checked configuration: every flag parsed and validated.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to read the dataset from (`--data`, `--jurisdictions`, `--observations`, `--plans`,
    /// encoding, sheet).
    pub load: LoadOptions,
    /// `--as-of`: ignore observations after this year.
    pub as_of: Option<i32>,
    /// `--indicator`: the indicator id (default `literacy_rate`).
    pub indicator: String,
    /// `--lang`: language of labels and reasons.
    pub lang: Lang,
    /// Output format (see [`table_format`]; PNG/SVG for charts).
    pub format: Format,
    /// `-o`: output file or directory; `None` writes to standard output.
    pub output: Option<PathBuf>,
    /// Trend model settings (`--model`, and `--half-life` of `backtest`).
    pub trend: TrendConfig,
    /// The command to run, with its checked options.
    pub task: Task,
    /// `--jurisdiction` and `--level` of a table command (keep every row when empty).
    pub filter: RowFilter,
    /// `--verbose`: print every warning.
    pub verbose: bool,
    /// The input files, which no output may replace.
    pub protected: crate::output::safety::Protected,
}

/// What to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    /// `litmon assess`: the status table.
    Assess,
    /// `litmon project`: yearly projections.
    Project {
        /// `--to`: last year to project; `None`: each jurisdiction's next milestone year.
        to: Option<i32>,
    },
    /// `litmon backtest`: rolling-origin scores of the trend models.
    Backtest {
        /// `--since`: first origin year scored; `None` with `--all-origins` (every origin).
        since: Option<i32>,
        /// `--detail`: print every scored forecast instead of the summary.
        detail: bool,
        /// `--by-level`: one summary row per model and [`BacktestLevel`].
        by_level: bool,
        /// `--by-horizon`: one summary row per model and horizon band
        /// ([`crate::trend::backtest::HORIZON_BANDS`]).
        by_horizon: bool,
        /// `--describe`: the fitted model in words instead of the scores.
        describe: bool,
        /// Models to score (all unless `--model` names one).
        models: Vec<ModelKind>,
    },
    /// `litmon chart`.
    Chart(crate::cli::chart::ChartTask),
    /// `litmon report`.
    Report(ReportTask),
    /// `litmon indicators`: progress of every plan target.
    Indicators,
    /// `indicators --template`: the fill-in progress sheet.
    ProgressTemplate,
    /// `litmon targets`: candidate targets for the next plans.
    Targets(TargetsTask),
    /// `litmon estimate`: design-based estimates from microdata.
    Estimate(Box<crate::cli::estimate::EstimateConfig>),
    /// `litmon sae`: Fay–Herriot small-area estimates.
    Sae(Box<crate::cli::sae::SaeTask>),
    /// `plans`: the plans of the active dataset as a plan sheet.
    Plans,
    /// `plans --template`: the fill-in plan sheet, pre-filled with the plans kept by
    /// `--jurisdiction`/`--level` when `filtered`, else with one example row.
    PlansTemplate {
        /// Whether `--jurisdiction` or `--level` was given.
        filtered: bool,
    },
    /// `data export -o DIR`.
    DataExport(PathBuf, crate::data::export::PlansAs),
    /// `litmon serve`: the local web application.
    Serve(crate::cli::args::ServeArgs),
}

/// The levels of the `backtest --by-level` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BacktestLevel {
    /// The nation.
    National,
    /// Provinces.
    Province,
    /// Prefectures, counties and any jurisdiction without a level.
    PrefectureAndBelow,
}

impl BacktestLevel {
    /// Every level, in table order.
    pub const ALL: [BacktestLevel; 3] = [
        BacktestLevel::National,
        BacktestLevel::Province,
        BacktestLevel::PrefectureAndBelow,
    ];

    fn of(level: Option<crate::model::Level>) -> BacktestLevel {
        use crate::model::Level;
        match level {
            Some(Level::National) => BacktestLevel::National,
            Some(Level::Province) => BacktestLevel::Province,
            _ => BacktestLevel::PrefectureAndBelow,
        }
    }

    /// Machine name used in the table (`national`, `province`, `prefecture_and_below`).
    pub fn as_str(self) -> &'static str {
        match self {
            BacktestLevel::National => "national",
            BacktestLevel::Province => "province",
            BacktestLevel::PrefectureAndBelow => "prefecture_and_below",
        }
    }
}

/// Checked options of `litmon targets`.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetsTask {
    /// `--year`: the year the candidate targets are for (1900–2100, [`crate::cli::args::YEARS`]).
    pub year: i32,
    /// Probabilities in (0, 1), in the order given.
    pub probabilities: Vec<f64>,
}

/// `--jurisdiction` (codes or names, resolved once the dataset is loaded) and `--level`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowFilter {
    /// Jurisdiction codes or names as given (empty: all).
    pub jurisdictions: Vec<String>,
    /// Administrative level to keep (`None`: all).
    pub level: Option<crate::model::Level>,
}

impl RowFilter {
    fn from_args(a: &crate::cli::args::FilterArgs) -> Result<RowFilter> {
        Ok(RowFilter {
            jurisdictions: a.jurisdiction.clone(),
            level: a.level,
        })
    }
}

/// The format of a table command: `--format` when given, else the extension of `-o FILE`
/// (csv, json, xlsx, md), else the terminal table. An extension that names no table format
/// is refused, so a file's name never lies about its contents.
pub fn table_format(flag: Option<&str>, output: Option<&std::path::Path>) -> Result<Format> {
    if let Some(name) = flag {
        return name.parse::<Format>().map_err(|_| {
            Error::usage(text!(
                "--format：应为 table、csv、json、xlsx 或 md，实际为 {}",
                "--format: expected table, csv, json, xlsx or md, found {}",
                crate::output::safety::echo(name)
            ))
        });
    }
    let Some(path) = output else {
        return Ok(Format::Table);
    };
    if let Some(f) = Format::from_extension(path) {
        return Ok(f);
    }
    // A directory, a device, a FIFO or a link: the writer says what it accepts there.
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file()) {
        return Ok(Format::Table);
    }
    let (what_zh, what) = match path.extension() {
        Some(e) => {
            let e = e.to_string_lossy();
            (format!("扩展名为 .{e}"), format!("its extension .{e}"))
        }
        None => ("没有扩展名".to_string(), "no extension".to_string()),
    };
    let file = crate::output::safety::echo(&path.display().to_string());
    Err(Error::usage(text!(
        "-o {file}：文件名{what_zh}；请把文件命名为 .csv、.json、.xlsx 或 .md 以选择格式（或给出 --format table|csv|json|xlsx|md）",
        "-o {file}: the file name has {what}; name the file .csv, .json, .xlsx or .md to choose the format (or give --format table|csv|json|xlsx|md)"
    )))
}

/// Extensions of files (not directories): `report -o` with one of these is refused.
const FILE_EXTENSIONS: &[&str] = &[
    "html", "htm", "md", "pdf", "doc", "docx", "txt", "csv", "json", "xlsx", "xls", "png", "svg",
    "jpg", "jpeg", "zip",
];

/// `report -o PATH` and `data export -o PATH` name the directory to write; a path that
/// looks like a file is refused. `writes` says what goes into the directory.
fn check_output_dir(dir: &std::path::Path, command: &str, writes: &str) -> Result<()> {
    let ext = dir
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext {
        Some(e) if FILE_EXTENSIONS.contains(&e.as_str()) && !dir.is_dir() => {
            Err(Error::usage(text!(
                "{command} -o {}：此处应为目录（{writes}），如 -o out/",
                "{command} -o {}: a directory is expected ({writes}), e.g. -o out/",
                crate::output::safety::echo(&dir.display().to_string())
            )))
        }
        _ => Ok(()),
    }
}

/// The default probabilities of `litmon targets`.
pub const DEFAULT_TARGET_PROBABILITIES: [f64; 3] = [0.8, 0.5, 0.2];

/// Checks `--probability` values (each in the open interval 0–1); empty gives the defaults.
pub fn check_probabilities(ps: &[f64]) -> Result<Vec<f64>> {
    if ps.is_empty() {
        return Ok(DEFAULT_TARGET_PROBABILITIES.to_vec());
    }
    for p in ps {
        if !(p.is_finite() && *p > 0.0 && *p < 1.0) {
            return Err(Error::usage(text!(
"--probability：应为严格介于 0 和 1 之间的概率，如 0.8，实际为 {p}",
"--probability: expected a probability strictly between 0 and 1 such as 0.8, found {p}"
            )));
        }
    }
    // A repeated value gives one row, not two.
    let mut out: Vec<f64> = Vec::new();
    for p in ps {
        if !out.contains(p) {
            out.push(*p);
        }
    }
    Ok(out)
}

/// Checked options of `litmon report`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTask {
    /// `-o DIR`: the directory the report is written into.
    pub dir: PathBuf,
    /// `--jurisdiction`: codes or names to report on (empty: all).
    pub jurisdictions: Vec<String>,
    /// `--level`: administrative level to report on.
    pub level: Option<crate::model::Level>,
    /// `--embed-font`: embed the bundled CJK font in report.html.
    pub embed_font: bool,
}

impl Config {
    /// Validates parsed flags.
    pub fn from_cli(cli: &Cli) -> Result<Config> {
        let g = &cli.global;
        let lang = g.lang;
        let visual = matches!(
            cli.command,
            Command::Chart(_) | Command::Report(_) | Command::Data { .. }
        );
        // Every input is protected, in one place: no output may replace one.
        let protected = crate::output::safety::Protected::new(cli.input_files());
        if let Some(out) = &g.output {
            if matches!(cli.command, Command::Report(_)) {
                check_output_dir(
                    out,
                    "report",
                    "the report writes report.html, report.md, charts/ and tables/ into it",
                )?;
                protected.check_dir(out, "the report")?;
                crate::output::safety::check_report_dir(out)?;
            } else if matches!(cli.command, Command::Data { .. }) {
                check_output_dir(
                    out,
                    "data export",
                    "it receives jurisdictions.csv, observations.csv and plans/",
                )?;
                protected.check_dir(out, "the dataset")?;
            } else {
                protected.check_file(out)?;
            }
        }
        let format = if visual {
            Format::Table
        } else {
            table_format(g.format.as_deref(), g.output.as_deref())?
        };
        if format == Format::Xlsx && g.output.is_none() {
            return Err(Error::usage(text!(
                "--format xlsx 写出的是二进制工作簿：请用 -o FILE.xlsx 指定文件",
                "--format xlsx writes a binary workbook: give the file with -o FILE.xlsx"
            )));
        }
        // `--encoding`, `--as-of` and `--model` are checked by their value parsers (args.rs).
        let encoding = g.encoding.unwrap_or_default();
        let mut trend = TrendConfig::default();
        let model = g.model;
        if let Some(m) = model {
            trend.model = m;
        }
        let task = match &cli.command {
            Command::Chart(a) => Task::Chart(crate::cli::chart::ChartTask::from_args(
                a,
                g.format.as_deref(),
                g.output.as_deref(),
            )?),
            Command::Estimate(a) => Task::Estimate(Box::new(crate::cli::estimate::from_args(
                a,
                &crate::data::ReadOptions {
                    encoding,
                    sheet: g.sheet.clone(),
                },
            )?)),
            Command::Serve(a) => Task::Serve(a.clone()),
            Command::Sae(a) => {
                let mut t = crate::cli::sae::SaeTask::from_args(a)?;
                t.read = crate::data::ReadOptions {
                    encoding,
                    sheet: g.sheet.clone(),
                };
                Task::Sae(Box::new(t))
            }
            Command::Report(a) => {
                let dir = g.output.clone().ok_or_else(|| {
                    Error::usage(
                        text!("report 需要 -o DIR（写入报告的目录）", "report needs -o DIR (the directory to write the report into)"),
                    )
                })?;
                Task::Report(ReportTask {
                    dir,
                    jurisdictions: a.jurisdiction.clone(),
                    level: a.level,
                    embed_font: a.embed_font,
                })
            }
            Command::Data {
                action: crate::cli::args::DataAction::Export { plans_as },
            } => Task::DataExport(
                g.output.clone().ok_or_else(|| {
                    Error::usage(
                        text!("data export 需要 -o DIR（写入数据集的新目录或空目录）", "data export needs -o DIR (a new or empty directory to write the dataset into)"),
                    )
                })?,
                if plans_as == "xlsx" {
                    crate::data::export::PlansAs::Xlsx
                } else {
                    crate::data::export::PlansAs::Toml
                },
            ),
            Command::Plans(a) if a.template => {
                if g.output.is_none() || !matches!(format, Format::Xlsx | Format::Csv) {
                    return Err(Error::usage(
                        text!("plans --template 写出一个文件：请给出 -o 方案.xlsx（或 .csv）", "plans --template writes a file: give -o 方案.xlsx (or .csv)"),
                    ));
                }
                Task::PlansTemplate {
                    filtered: !a.filter.jurisdiction.is_empty() || a.filter.level.is_some(),
                }
            }
            Command::Plans(_) => Task::Plans,
            Command::Indicators(a) if a.template => {
                if g.output.is_none() || format == Format::Table {
                    return Err(Error::usage(
                        text!("indicators --template 写出一个文件：请给出 -o progress.xlsx（或 .csv）", "indicators --template writes a file: give -o progress.xlsx (or .csv)"),
                    ));
                }
                Task::ProgressTemplate
            }
            Command::Indicators(_) => Task::Indicators,
            Command::Targets {
                year, probability, ..
            } => Task::Targets(TargetsTask {
                year: *year,
                probabilities: check_probabilities(probability)?,
            }),
            Command::Assess(_) => Task::Assess,
            Command::Project { to, .. } => Task::Project { to: *to },
            Command::Backtest {
                half_life,
                since,
                all_origins,
                detail,
                by_level,
                by_horizon,
                describe,
                ..
            } => {
                if let Some(h) = half_life {
                    // Below 0.1 years every point but the latest weighs (almost) nothing
                    // (0.5^(1/h) underflows to 0 for h = 1e-300): refuse, do not fit n = 0.
                    if !h.is_finite() || *h < 0.0 || (*h > 0.0 && *h < 0.1) {
                        return Err(Error::usage(text!(
"--half-life：应为 0（等权）或至少 0.1 年，实际为 {h}",
"--half-life: expected 0 (equal weights) or at least 0.1 years, found {h}"
                        )));
                    }
                    trend.half_life = (*h > 0.0).then_some(*h);
                }
                Task::Backtest {
                    since: (!*all_origins).then_some(*since),
                    detail: *detail,
                    by_level: *by_level,
                    by_horizon: *by_horizon,
                    describe: *describe,
                    models: model.map_or_else(|| ModelKind::ALL.to_vec(), |m| vec![m]),
                }
            }
        };
        let filter = match &cli.command {
            Command::Assess(f) => RowFilter::from_args(f)?,
            Command::Indicators(a) => RowFilter::from_args(&a.filter)?,
            Command::Plans(a) => RowFilter::from_args(&a.filter)?,
            Command::Project { filter, .. }
            | Command::Targets { filter, .. }
            | Command::Backtest { filter, .. } => RowFilter::from_args(filter)?,
            Command::Sae(a) => RowFilter::from_args(&a.filter)?,
            Command::Estimate(a) => {
                let f = RowFilter::from_args(&crate::cli::args::FilterArgs {
                    jurisdiction: a.jurisdiction.clone(),
                    level: a.level,
                })?;
                if let Task::Estimate(e) = &task {
                    let place = e.to_observations.is_some()
                        && f.jurisdictions.len() == 1
                        && f.level.is_none();
                    if e.by.is_empty() && e.to_observations.is_some() && !place {
                        return Err(Error::usage(
                            text!("estimate --to-observations 未给 --by：请用一个 --jurisdiction X 指明整个文件所抽样的地区（其总体行即为 X 的观测值），或给出 --by COL（一列地区代码或名称）", "estimate --to-observations without --by: name the place the whole file samples with one --jurisdiction X (its total row becomes X's observation), or give --by COL (a column of jurisdiction codes or names)"),
                        ));
                    }
                    if (!f.jurisdictions.is_empty() || f.level.is_some())
                        && e.by.is_empty()
                        && !place
                    {
                        return Err(Error::usage(
                            text!("estimate：--jurisdiction 和 --level 保留取值为地区的 --by 分组：请给出 --by COL（一列地区代码或名称）", "estimate: --jurisdiction and --level keep the --by domains whose value is a jurisdiction: give --by COL (a column of jurisdiction codes or names)"),
                        ));
                    }
                }
                f
            }
            _ => RowFilter::default(),
        };
        crate::cli::set_quiet(g.quiet);
        if let Some(sheet) = &g.sheet {
            let mut files: Vec<PathBuf> = [&g.observations, &g.jurisdictions, &g.plans]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            if let Some(d) = &g.data {
                for name in ["jurisdictions.xlsx", "observations.xlsx"] {
                    files.push(d.join(name));
                }
            }
            match &cli.command {
                Command::Estimate(a) => {
                    files.push(a.microdata.clone());
                    files.extend(a.population.iter().chain(&a.rake_population).cloned());
                    files.extend(a.rscales.iter().cloned());
                }
                Command::Sae(a) => files.extend(a.covariates.iter().cloned()),
                _ => {}
            }
            if !files.iter().any(|f| is_workbook(f)) {
                let sheet = crate::output::safety::echo(sheet);
                crate::cli::say(
                    Text::warning(text!(
                        "--sheet {sheet} 被忽略：没有输入文件是工作簿（CSV 文件没有工作表）",
                        "--sheet {sheet} is ignored: no input file is a workbook (a CSV file has no sheets)"
                    ))
                    .get(g.lang),
                );
            }
        }
        Ok(Config {
            filter,
            verbose: g.verbose,
            load: LoadOptions {
                data_dir: g.data.clone(),
                observations: g.observations.clone(),
                jurisdictions: g.jurisdictions.clone(),
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
    if let Some(dropped) = cfg.as_of.and_then(|y| ds.restrict_to(y).map(|d| (y, d))) {
        let (year, d) = dropped;
        let span = if d.last > d.first {
            format!("{}–{}", d.first, d.last)
        } else {
            d.last.to_string()
        };
        let (n, s) = (d.count, if d.count == 1 { "" } else { "s" });
        ds.warnings.push(crate::model::Text::note(text!(
            "--as-of {year}：已忽略 {span} 年的 {n} 个观测值",
            "--as-of {year}: {n} observation{s} from {span} ignored"
        )));
    }
    for w in crate::output::warnings::grouped(&ds.warnings, cfg.verbose, "--verbose", cfg.lang) {
        crate::cli::say(&w);
    }
    if ds.indicator_spec(&cfg.indicator).is_none()
        && !ds.observations.iter().any(|o| o.indicator == cfg.indicator)
    {
        return Err(Error::usage(text!(
            "--indicator：没有方案或观测值定义了 {:?}（总指标为 literacy_rate）",
            "--indicator: no plan or observation defines {:?} (the headline is literacy_rate)",
            cfg.indicator
        )));
    }
    Ok(ds)
}

/// Runs the command and returns its output bytes.
pub fn render(cfg: &Config, ds: &Dataset) -> Result<Vec<u8>> {
    let keep = jurisdiction_filter(ds, &cfg.filter.jurisdictions, cfg.filter.level)?;
    let percent = ds
        .indicator_spec(&cfg.indicator)
        .is_some_and(|s| s.is_percent());
    let mut table = match &cfg.task {
        Task::Estimate(_) => {
            return Err(Error::usage(text!(
                "estimate 读取的是微观数据而非数据集：请通过 app::run 运行",
                "estimate reads microdata, not the dataset: run it through app::run"
            )))
        }
        Task::Chart(_) | Task::Report(_) | Task::DataExport(..) | Task::Serve(_) => {
            return Err(Error::usage(text!(
                "图表、报告和导出都写入文件：请给出 -o PATH",
                "charts, reports and exports are written to files: give -o PATH"
            )))
        }
        Task::Sae(t) => {
            return crate::cli::sae::render(
                ds,
                &cfg.indicator,
                t,
                cfg.format,
                &keep,
                cfg.lang,
                cfg.verbose,
            )
        }
        Task::ProgressTemplate => crate::data::progress_template::progress_template(ds, &keep),
        Task::Plans => crate::data::plan_sheet::plans_table(ds, &keep),
        Task::PlansTemplate { filtered } => {
            let sheets = crate::data::plan_sheet::template(ds, &keep, *filtered);
            return match cfg.format {
                Format::Xlsx => crate::data::plan_sheet::workbook(&sheets),
                _ => Ok(sheets[0].render(cfg.format)?),
            };
        }
        Task::Indicators => tables::indicators_table(&crate::assess::progress::all_progress(
            ds, cfg.as_of, &cfg.trend, cfg.lang,
        ))?,
        Task::Targets(t) => {
            if !ds
                .indicator_spec(&cfg.indicator)
                .is_some_and(|s| s.is_percent() && s.kind == crate::model::Kind::Level)
            {
                return Err(Error::usage(text!(
"targets：{} 不是带趋势模型的百分比水平指标；候选目标只对 literacy_rate 及其他百分比水平指标计算",
"targets: {} is not a percentage level with a trend model; candidate targets are computed for literacy_rate and other percentage levels",
                    cfg.indicator
                )));
            }
            let rows: Vec<_> = crate::assess::candidate_targets(
                ds,
                &cfg.indicator,
                &cfg.trend,
                t.year,
                &t.probabilities,
            );
            tables::targets_table(&rows, percent)?
        }
        Task::Assess => {
            let acfg = AssessConfig {
                indicator: cfg.indicator.clone(),
                as_of: cfg.as_of,
                trend: cfg.trend,
                lang: cfg.lang,
                ..AssessConfig::default()
            };
            let rows: Vec<_> = assess(ds, &acfg)
                .into_iter()
                .filter(|r| keep(&r.jurisdiction))
                .collect();
            for hint in no_plan_hints(ds, &cfg.filter.jurisdictions, &cfg.indicator) {
                crate::cli::say(hint.get(cfg.lang));
            }
            tables::assess_table(&rows, percent)?
        }
        Task::Project { to } => {
            check_projection_rows(ds, &cfg.indicator, *to, &keep)?;
            let rows = project(ds, &cfg.indicator, &cfg.trend, *to);
            tables::project_table(&rows, percent, |id| {
                ds.jurisdiction(id)
                    .map(|j| match cfg.lang {
                        Lang::En if !j.name_en.is_empty() => j.name_en.clone(),
                        _ => j.name_zh.clone(),
                    })
                    .unwrap_or_default()
            })?
        }
        Task::Backtest {
            since,
            detail,
            by_level,
            by_horizon,
            describe,
            models,
        } => {
            let series = crate::assess::all_series(ds, &cfg.indicator);
            let parents = crate::assess::parent_map(ds);
            if *describe {
                // The model of `--model` (else the default) fitted to the whole panel.
                let mut trend = cfg.trend;
                if let [one] = models.as_slice() {
                    trend.model = *one;
                }
                let panel = crate::trend::fit_panel(&series, &parents, &trend, trend.model);
                let d = crate::trend::describe::describe(
                    &trend,
                    &series,
                    &parents,
                    &panel.fits,
                    cfg.lang,
                );
                let mut table = tables::model_description_table(&d)?;
                table.lang = cfg.lang;
                return table.render(cfg.format);
            }
            let mut forecasts =
                backtest_forecasts(&series, &parents, &cfg.trend, models, *since, 2);
            // The forecasts of the jurisdictions asked for (all jurisdictions' series still
            // inform the pooled slopes).
            forecasts.retain(|f| keep(&f.jurisdiction));
            if *detail {
                tables::backtest_detail_table(&forecasts, percent)?
            } else if *by_level {
                let mut rows = Vec::new();
                for level in BacktestLevel::ALL {
                    let of_level: Vec<_> = forecasts
                        .iter()
                        .filter(|f| {
                            BacktestLevel::of(ds.jurisdiction(&f.jurisdiction).map(|j| j.level))
                                == level
                        })
                        .cloned()
                        .collect();
                    for r in summarise(&of_level, models) {
                        rows.push((level.as_str(), r));
                    }
                }
                tables::backtest_level_table(&rows)?
            } else if *by_horizon {
                let mut rows = Vec::new();
                for (band, _, _) in crate::trend::backtest::HORIZON_BANDS {
                    let of_band: Vec<_> = forecasts
                        .iter()
                        .filter(|f| crate::trend::backtest::horizon_band(f.origin, f.year) == band)
                        .cloned()
                        .collect();
                    for r in summarise(&of_band, models) {
                        rows.push((band, r));
                    }
                }
                tables::backtest_horizon_table(&rows)?
            } else {
                tables::backtest_table(&summarise(&forecasts, models))?
            }
        }
    };
    // Number formats (percent, shares) come with each table from its builder.
    table.retain_jurisdictions(&keep);
    table.lang = cfg.lang;
    if table.rows.is_empty() {
        crate::cli::say(empty_table_note(cfg).get(cfg.lang));
    }
    table.render(cfg.format)
}

/// A filter on jurisdiction ids from `--jurisdiction` (codes or names) and `--level`.
pub fn jurisdiction_filter<'a>(
    ds: &'a Dataset,
    keys: &[String],
    level: Option<crate::model::Level>,
) -> Result<impl Fn(&str) -> bool + 'a> {
    let ids = keys
        .iter()
        .map(|k| {
            ds.resolve(k).map(|j| j.id.clone()).ok_or_else(|| {
                let m = crate::data::unknown_jurisdiction_message(ds, k);
                Error::usage(crate::model::Text::new(
                    format!("--jurisdiction：{}", m.zh),
                    format!("--jurisdiction: {}", m.en),
                ))
            })
        })
        .collect::<Result<Vec<String>>>()?;
    Ok(move |id: &str| {
        (ids.is_empty() || ids.iter().any(|j| j == id))
            && level.is_none_or(|l| ds.jurisdiction(id).is_some_and(|j| j.level == l))
    })
}

/// For `assess --jurisdiction X`: a note for each X that the registry knows but no plan
/// gives a target of `indicator` (its table would be empty), saying how to add the plan.
pub fn no_plan_hints(ds: &Dataset, keys: &[String], indicator: &str) -> Vec<Text> {
    let mut seen = std::collections::HashSet::new();
    keys.iter()
        .filter_map(|k| ds.resolve(k))
        .filter(|j| seen.insert(j.id.clone()))
        .filter(|j| {
            !ds.plans
                .iter()
                .any(|p| p.plan.jurisdiction == j.id && p.indicator(indicator).is_some())
        })
        .map(|j| {
            let (id, name) = (&j.id, &j.name_zh);
            Text::note(text!(
                "{id} {name} 没有 {indicator} 的规划目标，因此没有可评估的行；请用 --plans 文件.toml 给出其规划（格式见 seeds/SCHEMA.md；`litmon data export -o 目录` 会写出内置规划作为示例）",
                "{id} {name} has no plan target for {indicator}, so it has no row to assess; give its plan with --plans FILE.toml (the layout is in seeds/SCHEMA.md; `litmon data export -o DIR` writes the embedded plans as examples)"
            ))
        })
        .collect()
}

/// Runs a whole command: load, compute, write (atomically to `-o`, else to stdout).
pub fn run(cfg: &Config) -> Result<()> {
    if let Task::Estimate(e) = &cfg.task {
        if cfg.filter.jurisdictions.is_empty() && cfg.filter.level.is_none() {
            // Observations rows need the registry: each domain must be a jurisdiction.
            let ds = match e.to_observations {
                Some(_) => Some(dataset(cfg)?),
                None => None,
            };
            let known = |value: &str| ds.as_ref().is_some_and(|d| d.resolve(value).is_some());
            return crate::cli::estimate::run(
                e,
                cfg.format,
                cfg.output.as_deref(),
                cfg.verbose,
                cfg.lang,
                None,
                None,
                ds.is_some().then_some(&known as &dyn Fn(&str) -> bool),
            );
        }
        // The registry resolves --jurisdiction and each domain value (code or name).
        let ds = dataset(cfg)?;
        let keep = jurisdiction_filter(&ds, &cfg.filter.jurisdictions, cfg.filter.level)?;
        if e.by.is_empty() {
            // --to-observations for the place the whole file samples (checked in from_cli).
            let place = cfg
                .filter
                .jurisdictions
                .first()
                .and_then(|key| ds.resolve(key))
                .map(|j| j.id.clone());
            let keep_all = |_: &str| true;
            return crate::cli::estimate::run(
                e,
                cfg.format,
                cfg.output.as_deref(),
                cfg.verbose,
                cfg.lang,
                Some(&keep_all),
                place.as_deref(),
                None,
            );
        }
        let is_kept = |value: &str| ds.resolve(value).is_some_and(|j| keep(&j.id));
        let known = |value: &str| ds.resolve(value).is_some();
        return crate::cli::estimate::run(
            e,
            cfg.format,
            cfg.output.as_deref(),
            cfg.verbose,
            cfg.lang,
            Some(&is_kept),
            None,
            Some(&known),
        );
    }
    if let Task::Serve(a) = &cfg.task {
        return crate::cli::serve::run(a, cfg);
    }
    let ds = dataset(cfg)?;
    if let Task::Chart(task) = &cfg.task {
        return crate::cli::chart::run(cfg, task, &ds);
    }
    if let Task::Report(task) = &cfg.task {
        return run_report(cfg, task, &ds);
    }
    if let Task::DataExport(dir, plans_as) = &cfg.task {
        return crate::data::export::export_with(&ds, dir, &cfg.protected, *plans_as);
    }
    let bytes = render(cfg, &ds)?;
    match &cfg.output {
        Some(path) => write_atomic(path, &bytes),
        None => crate::output::write_stdout(&bytes),
    }
}

/// Runs `litmon report`: builds every number and chart, then writes the directory.
pub fn run_report(cfg: &Config, task: &ReportTask, ds: &Dataset) -> Result<()> {
    let jurisdictions = task
        .jurisdictions
        .iter()
        .map(|k| {
            ds.resolve(k).map(|j| j.id.clone()).ok_or_else(|| {
                let m = crate::data::unknown_jurisdiction_message(ds, k);
                Error::usage(crate::model::Text::new(
                    format!("--jurisdiction：{}", m.zh),
                    format!("--jurisdiction: {}", m.en),
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
    };
    let report = crate::report::build(ds, &opts)?;
    crate::report::write(&report, &task.dir)?;
    let html = task.dir.join("report.html");
    let md = task.dir.join("report.md");
    if crate::cli::quiet() {
        return Ok(());
    }
    println!(
        "{}",
        match cfg.lang {
            Lang::Zh => format!(
                "报告已写入 {}（另有 {}、report.docx、charts/ 与 tables/）",
                html.display(),
                md.display()
            ),
            Lang::En => format!(
                "report written to {} (with {}, report.docx, charts/ and tables/)",
                html.display(),
                md.display()
            ),
        }
    );
    Ok(())
}

/// Most rows `project` writes (each costs about 1.6 KB in memory before it is written): far
/// more than any plan review needs, far below the 2 GB the machine may allow.
pub const MAX_PROJECTION_ROWS: usize = 200_000;

/// Refuses (exit status 2) a projection of more than [`MAX_PROJECTION_ROWS`] rows before
/// any trend is fitted: one row per year after each kept jurisdiction's latest value up to
/// `--to` (or its next milestone year), counted from the series alone.
fn check_projection_rows(
    ds: &Dataset,
    indicator: &str,
    to: Option<i32>,
    keep: &dyn Fn(&str) -> bool,
) -> Result<()> {
    let years = crate::assess::milestone_years(ds, indicator);
    let mut rows = 0usize;
    let mut places = 0usize;
    for s in crate::assess::all_series(ds, indicator) {
        if !keep(&s.id) {
            continue;
        }
        let Some(last) = s.points.last() else {
            continue;
        };
        let end = to
            .or_else(|| crate::assess::next_milestone_year(ds, &years, &s.id, last.year))
            .unwrap_or(last.year + 1);
        places += 1;
        rows = rows.saturating_add(usize::try_from(end - last.year).unwrap_or(0));
    }
    if rows > MAX_PROJECTION_ROWS {
        return Err(Error::usage(text!(
"project：{rows} 行（{places} 个地区，每年直到所要求的最后一年）超过 litmon 一次写出的上限 {MAX_PROJECTION_ROWS} 行；请选更近的 --to，或用 --jurisdiction、--level 减少地区",
"project: {rows} rows ({places} jurisdictions, each year up to the last one asked \
             for) is more than the {MAX_PROJECTION_ROWS} litmon writes at once; choose a nearer \
             --to, or fewer places with --jurisdiction or --level"
        )));
    }
    Ok(())
}

/// Why a table came out without rows (printed on stderr, so an empty result is never
/// silent): the filter, or a year before the latest values.
fn empty_table_note(cfg: &Config) -> Text {
    let filtered = !cfg.filter.jurisdictions.is_empty() || cfg.filter.level.is_some();
    let mut why: Vec<Text> = Vec::new();
    if filtered {
        let mut flags = String::new();
        if !cfg.filter.jurisdictions.is_empty() {
            flags.push_str(&format!(
                " --jurisdiction {}",
                cfg.filter.jurisdictions.join(", ")
            ));
        }
        if let Some(l) = cfg.filter.level {
            flags.push_str(&format!(" --level {}", l.as_str()));
        }
        why.push(text!(
            "没有哪一行符合筛选条件{flags}",
            "no row passes the filter{flags}"
        ));
    }
    match &cfg.task {
        Task::Project { to: Some(y) } => why.push(text!(
            "--to {y} 不晚于任何地区的最新值，没有可预测的年份",
            "--to {y} is not after any place's latest value, so there is no year to project"
        )),
        Task::Targets(t) => {
            let y = t.year;
            why.push(text!(
                "--year {y} 不晚于任何地区的最新值（或没有地区有趋势）",
                "--year {y} is not after any place's latest value (or no place has a trend)"
            ))
        }
        _ => {}
    }
    if why.is_empty() {
        let ind = &cfg.indicator;
        why.push(text!(
            "{ind} 没有数据可成行",
            "no data for {ind} gives a row"
        ));
    }
    let zh: Vec<&str> = why.iter().map(|w| w.zh.as_str()).collect();
    let en: Vec<&str> = why.iter().map(|w| w.en.as_str()).collect();
    Text::note(Text::new(
        format!("表格没有行：{}", zh.join("；")),
        format!("the table has no rows: {}", en.join("; ")),
    ))
}

/// Whether `path` is a workbook (a regular file whose first bytes open a ZIP or OLE2 file; a
/// directory of plans counts when one of its files is).
fn is_workbook(path: &std::path::Path) -> bool {
    use std::io::Read;
    if path.is_dir() {
        return std::fs::read_dir(path).is_ok_and(|rd| {
            rd.filter_map(|e| e.ok())
                .any(|e| e.path().is_file() && is_workbook(&e.path()))
        });
    }
    // Only a regular file is opened: reading a pipe here would take its bytes.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::with_capacity(8);
    std::fs::File::open(path)
        .and_then(|f| f.take(8).read_to_end(&mut head))
        .is_ok_and(|_| crate::data::is_spreadsheet(&head))
}
