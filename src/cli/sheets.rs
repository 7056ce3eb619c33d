//! `litmon plans` and `litmon indicators`: the plans as a plan sheet, the progress of every
//! plan target, and the fill-in sheets of `--template`.

use crate::cli::args::{IndicatorsArgs, PlansArgs};
use crate::cli::context::{Context, Output};
use crate::error::{Error, Result};
use crate::model::Dataset;
use crate::output::{tables, Format, Table};

/// Checked options of `litmon plans`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlansTask {
    /// The plans of the active dataset as a plan sheet.
    Sheet,
    /// `--template`: the fill-in plan sheet, pre-filled with the plans kept by
    /// `--jurisdiction`/`--level` when `filtered`, else with one example row.
    Template {
        /// Whether `--jurisdiction` or `--level` was given.
        filtered: bool,
    },
}

impl PlansTask {
    /// Checks the flags: a template is written to a file (`-o` .xlsx or .csv).
    pub fn from_args(a: &PlansArgs, out: &Output) -> Result<PlansTask> {
        if !a.template {
            return Ok(PlansTask::Sheet);
        }
        if out.path.is_none() || !matches!(out.format, Format::Xlsx | Format::Csv) {
            return Err(Error::usage(text!(
                "plans --template 写出一个文件：请给出 -o 方案.xlsx（或 .csv）",
                "plans --template writes a file: give -o 方案.xlsx (or .csv)"
            )));
        }
        Ok(PlansTask::Template {
            filtered: !a.filter.jurisdiction.is_empty() || a.filter.level.is_some(),
        })
    }
}

/// The fill-in plan sheet's bytes: a workbook of two sheets, or the first sheet alone.
pub fn plans_template(
    ctx: &Context,
    ds: &Dataset,
    keep: &dyn Fn(&str) -> bool,
    filtered: bool,
) -> Result<Vec<u8>> {
    let sheets = crate::data::plan_sheet::template(ds, keep, filtered);
    match ctx.output.format {
        Format::Xlsx => crate::data::plan_sheet::workbook(&sheets),
        format => Ok(sheets[0].render(format)?),
    }
}

/// The plan sheet of the plans `keep` passes.
pub fn plans_table(ds: &Dataset, keep: &dyn Fn(&str) -> bool) -> Table {
    crate::data::plan_sheet::plans_table(ds, keep)
}

/// Checked options of `litmon indicators`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndicatorsTask {
    /// Progress of every plan target.
    Progress,
    /// `--template`: the fill-in progress sheet.
    Template,
}

impl IndicatorsTask {
    /// Checks the flags: a template is written to a file (`-o` .xlsx or .csv).
    pub fn from_args(a: &IndicatorsArgs, out: &Output) -> Result<IndicatorsTask> {
        if !a.template {
            return Ok(IndicatorsTask::Progress);
        }
        if out.path.is_none() || out.format == Format::Table {
            return Err(Error::usage(text!(
                "indicators --template 写出一个文件：请给出 -o progress.xlsx（或 .csv）",
                "indicators --template writes a file: give -o progress.xlsx (or .csv)"
            )));
        }
        Ok(IndicatorsTask::Template)
    }

    /// The progress table, or the fill-in sheet, of the plans `keep` passes.
    pub fn table(self, ctx: &Context, ds: &Dataset, keep: &dyn Fn(&str) -> bool) -> Result<Table> {
        Ok(match self {
            IndicatorsTask::Template => crate::data::progress_template::progress_template(ds, keep),
            IndicatorsTask::Progress => tables::indicators_table(
                &crate::assess::progress::all_progress(ds, ctx.as_of, &ctx.trend, ctx.lang),
            )?,
        })
    }
}
