//! The checked configuration (ripgrep's flags → high-level arguments): every flag parsed
//! and validated into the shared [`Context`] and one task per command, each task checking
//! its own flags (`XTask::from_args`).

use std::path::PathBuf;

use crate::cli::args::{Cli, Command, DataAction, GlobalArgs, ReportArgs, ServeArgs};
use crate::cli::backtest::{BacktestFlags, BacktestTask};
use crate::cli::chart::ChartTask;
use crate::cli::console::{say, set_quiet};
use crate::cli::context::{Context, Output};
use crate::cli::estimate::EstimateConfig;
use crate::cli::filter::RowFilter;
use crate::cli::format::table_format;
use crate::cli::project::ProjectTask;
use crate::cli::sae::SaeTask;
use crate::cli::sheets::{IndicatorsTask, PlansTask};
use crate::cli::tables::TableTask;
use crate::cli::targets::TargetsTask;
use crate::data::export::PlansAs;
use crate::data::{LoadOptions, ReadOptions};
use crate::error::{Error, Result};
use crate::model::Level;
use crate::output::safety::{echo, Protected};
use crate::output::Format;
use crate::trend::TrendConfig;

/// A checked configuration: the shared settings and the command's task.
#[derive(Debug, Clone)]
pub struct Config {
    /// The settings every command shares.
    pub ctx: Context,
    /// The command to run, with its checked options.
    pub task: Task,
}

/// What to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Task {
    /// A command whose result is one table of the dataset.
    Table(TableTask),
    /// `litmon chart`.
    Chart(ChartTask),
    /// `litmon report`.
    Report(ReportTask),
    /// `litmon estimate`: design-based estimates from microdata.
    Estimate(Box<EstimateConfig>),
    /// `data export -o DIR`.
    DataExport(PathBuf, PlansAs),
    /// `litmon serve`: the local web application.
    Serve(ServeArgs),
}

/// Checked options of `litmon report`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTask {
    /// `-o DIR`: the directory the report is written into.
    pub dir: PathBuf,
    /// `--jurisdiction`: codes or names to report on (empty: all).
    pub jurisdictions: Vec<String>,
    /// `--level`: administrative level to report on.
    pub level: Option<Level>,
    /// `--embed-font`: embed the bundled CJK font in report.html.
    pub embed_font: bool,
}

impl ReportTask {
    /// The task of the flags; `-o DIR` is required.
    pub fn from_args(a: &ReportArgs, output: Option<&PathBuf>) -> Result<ReportTask> {
        let dir = output.cloned().ok_or_else(|| {
            Error::usage(text!(
                "report 需要 -o DIR（写入报告的目录）",
                "report needs -o DIR (the directory to write the report into)"
            ))
        })?;
        Ok(ReportTask {
            dir,
            jurisdictions: a.jurisdiction.clone(),
            level: a.level,
            embed_font: a.embed_font,
        })
    }
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
                echo(&dir.display().to_string())
            )))
        }
        _ => Ok(()),
    }
}

impl Config {
    /// Validates parsed flags.
    pub fn from_cli(cli: &Cli) -> Result<Config> {
        let g = &cli.global;
        // Every input is protected, in one place: no output may replace one.
        let protected = Protected::new(cli.input_files());
        check_output(cli, &protected)?;
        let output = Output {
            format: output_format(cli)?,
            path: g.output.clone(),
        };
        // `--encoding`, `--as-of` and `--model` are checked by their value parsers (args.rs).
        let read = ReadOptions {
            encoding: g.encoding.unwrap_or_default(),
            sheet: g.sheet.clone(),
        };
        let task = Task::from_command(cli, &output, &read)?;
        let filter = row_filter(&cli.command);
        if let Task::Estimate(e) = &task {
            crate::cli::estimate::check_filter(e, &filter)?;
        }
        set_quiet(g.quiet);
        warn_unused_sheet(cli);
        let mut trend = TrendConfig::default();
        if let Some(m) = g.model {
            trend.model = m;
        }
        let ctx = Context {
            load: LoadOptions {
                data_dir: g.data.clone(),
                observations: g.observations.clone(),
                jurisdictions: g.jurisdictions.clone(),
                plans: g.plans.clone(),
                read,
            },
            as_of: g.as_of,
            indicator: g.indicator.clone(),
            lang: g.lang,
            trend,
            filter,
            verbose: g.verbose,
            output,
            protected,
        };
        Ok(Config { ctx, task })
    }
}

/// `-o`: a directory for `report` and `data export` (never one holding an input), else a
/// file that is not an input.
fn check_output(cli: &Cli, protected: &Protected) -> Result<()> {
    let Some(out) = &cli.global.output else {
        return Ok(());
    };
    match cli.command {
        Command::Report(_) => {
            check_output_dir(
                out,
                "report",
                "the report writes report.html, report.md, charts/ and tables/ into it",
            )?;
            protected.check_dir(out, "the report")?;
            crate::output::safety::check_report_dir(out).map(|_| ())
        }
        Command::Data { .. } => {
            check_output_dir(
                out,
                "data export",
                "it receives jurisdictions.csv, observations.csv and plans/",
            )?;
            protected.check_dir(out, "the dataset")
        }
        _ => protected.check_file(out),
    }
}

/// The table format of a table command ([`table_format`]); charts, reports and exports
/// choose their own. A workbook is never written to the terminal.
fn output_format(cli: &Cli) -> Result<Format> {
    let g = &cli.global;
    let visual = matches!(
        cli.command,
        Command::Chart(_) | Command::Report(_) | Command::Data { .. }
    );
    let format = if visual {
        Format::Table
    } else {
        table_format(g.format.as_ref(), g.output.as_deref())?
    };
    if format == Format::Xlsx && g.output.is_none() {
        return Err(Error::usage(text!(
            "--format xlsx 写出的是二进制工作簿：请用 -o FILE.xlsx 指定文件",
            "--format xlsx writes a binary workbook: give the file with -o FILE.xlsx"
        )));
    }
    Ok(format)
}

impl Task {
    /// The task of the command, its flags checked.
    fn from_command(cli: &Cli, output: &Output, read: &ReadOptions) -> Result<Task> {
        let g: &GlobalArgs = &cli.global;
        Ok(match &cli.command {
            Command::Chart(a) => Task::Chart(ChartTask::from_args(
                a,
                g.format.as_ref(),
                g.output.as_deref(),
            )?),
            Command::Estimate(a) => {
                Task::Estimate(Box::new(crate::cli::estimate::from_args(a, read)?))
            }
            Command::Serve(a) => Task::Serve(a.clone()),
            Command::Sae(a) => Task::Table(TableTask::Sae(Box::new(SaeTask::from_args(a, read)))),
            Command::Report(a) => Task::Report(ReportTask::from_args(a, g.output.as_ref())?),
            Command::Data {
                action: DataAction::Export { plans_as },
            } => {
                let dir = g.output.clone().ok_or_else(|| {
                    Error::usage(text!(
                        "data export 需要 -o DIR（写入数据集的新目录或空目录）",
                        "data export needs -o DIR (a new or empty directory to write the dataset into)"
                    ))
                })?;
                let plans_as = if plans_as == "xlsx" {
                    PlansAs::Xlsx
                } else {
                    PlansAs::Toml
                };
                Task::DataExport(dir, plans_as)
            }
            Command::Plans(a) => Task::Table(TableTask::Plans(PlansTask::from_args(a, output)?)),
            Command::Indicators(a) => {
                Task::Table(TableTask::Indicators(IndicatorsTask::from_args(a, output)?))
            }
            Command::Targets {
                year, probability, ..
            } => Task::Table(TableTask::Targets(TargetsTask::from_args(
                *year,
                probability,
            )?)),
            Command::Assess(_) => Task::Table(TableTask::Assess),
            Command::Project { to, .. } => Task::Table(TableTask::Project(ProjectTask { to: *to })),
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
                let flags = BacktestFlags {
                    half_life: *half_life,
                    since: *since,
                    all_origins: *all_origins,
                    detail: *detail,
                    by_level: *by_level,
                    by_horizon: *by_horizon,
                    describe: *describe,
                };
                Task::Table(TableTask::Backtest(BacktestTask::from_args(
                    &flags, g.model,
                )?))
            }
        })
    }
}

/// `--jurisdiction` and `--level` of the command (none for commands without them).
fn row_filter(command: &Command) -> RowFilter {
    match command {
        Command::Assess(f) => RowFilter::from_args(f),
        Command::Indicators(a) => RowFilter::from_args(&a.filter),
        Command::Plans(a) => RowFilter::from_args(&a.filter),
        Command::Project { filter, .. }
        | Command::Targets { filter, .. }
        | Command::Backtest { filter, .. } => RowFilter::from_args(filter),
        Command::Sae(a) => RowFilter::from_args(&a.filter),
        Command::Estimate(a) => RowFilter {
            jurisdictions: a.jurisdiction.clone(),
            level: a.level,
        },
        _ => RowFilter::default(),
    }
}

/// `--sheet` when no input is a workbook: a warning that it is ignored.
fn warn_unused_sheet(cli: &Cli) {
    let g = &cli.global;
    let Some(sheet) = &g.sheet else {
        return;
    };
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
        let sheet = echo(sheet);
        let kind = crate::error::DiagnosticKind::SheetIgnored;
        let message = text!(
            "--sheet {sheet} 被忽略：没有输入文件是工作簿（CSV 文件没有工作表）",
            "--sheet {sheet} is ignored: no input file is a workbook (a CSV file has no sheets)"
        );
        say(&crate::error::Diagnostic::warning(kind, message).render(g.lang));
    }
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
