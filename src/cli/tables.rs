//! The table commands: one dataset in, one table out (assess, project, targets, backtest,
//! indicators, plans, sae), filtered by `--jurisdiction`/`--level` and rendered in the
//! output format; an empty table says why on standard error.

use crate::cli::backtest::{BacktestTask, BacktestView};
use crate::cli::console::say;
use crate::cli::context::Context;
use crate::cli::project::ProjectTask;
use crate::cli::sae::SaeTask;
use crate::cli::sheets::{IndicatorsTask, PlansTask};
use crate::cli::targets::TargetsTask;
use crate::error::Result;
use crate::model::{Dataset, Text};

/// A command whose result is one table of the dataset.
#[derive(Debug, Clone, PartialEq)]
pub enum TableTask {
    /// `litmon assess`: the status table.
    Assess,
    /// `litmon project`: yearly projections.
    Project(ProjectTask),
    /// `litmon targets`: candidate targets for the next plans.
    Targets(TargetsTask),
    /// `litmon backtest`: rolling-origin scores of the trend models.
    Backtest(BacktestTask),
    /// `litmon indicators`: progress of every plan target, or its fill-in sheet.
    Indicators(IndicatorsTask),
    /// `litmon plans`: the plans as a plan sheet, or its fill-in sheet.
    Plans(PlansTask),
    /// `litmon sae`: Fay–Herriot small-area estimates.
    Sae(Box<SaeTask>),
}

/// The bytes of a table command: the table of the kept jurisdictions in the output format.
pub fn render(ctx: &Context, ds: &Dataset, task: &TableTask) -> Result<Vec<u8>> {
    let keep = ctx.filter.on(ds)?;
    let mut table = match task {
        TableTask::Sae(t) => return t.render(ctx, ds, &keep),
        TableTask::Plans(PlansTask::Template { filtered }) => {
            return crate::cli::sheets::plans_template(ctx, ds, &keep, *filtered)
        }
        TableTask::Backtest(b) if b.view == BacktestView::Describe => {
            let mut table = b.describe(ctx, ds)?;
            table.lang = ctx.lang;
            return table.render(ctx.output.format);
        }
        TableTask::Plans(PlansTask::Sheet) => crate::cli::sheets::plans_table(ds, &keep),
        TableTask::Indicators(t) => t.table(ctx, ds, &keep)?,
        TableTask::Targets(t) => t.table(ctx, ds)?,
        TableTask::Assess => crate::cli::assess::table(ctx, ds, &keep)?,
        TableTask::Project(t) => t.table(ctx, ds, &keep)?,
        TableTask::Backtest(b) => b.table(ctx, ds, &keep)?,
    };
    // Number formats (percent, shares) come with each table from its builder.
    table.retain_jurisdictions(&keep);
    table.lang = ctx.lang;
    if table.rows.is_empty() {
        say(&empty_table_note(ctx, task).render(ctx.lang));
    }
    table.render(ctx.output.format)
}

/// Why a table came out without rows (printed on stderr, so an empty result is never
/// silent): the filter, or a year before the latest values.
fn empty_table_note(ctx: &Context, task: &TableTask) -> crate::error::Diagnostic {
    let mut why: Vec<Text> = Vec::new();
    if ctx.filter.is_active() {
        let mut flags = String::new();
        if !ctx.filter.jurisdictions.is_empty() {
            flags.push_str(&format!(
                " --jurisdiction {}",
                ctx.filter.jurisdictions.join(", ")
            ));
        }
        if let Some(l) = ctx.filter.level {
            flags.push_str(&format!(" --level {}", l.as_str()));
        }
        why.push(text!(
            "没有哪一行符合筛选条件{flags}",
            "no row passes the filter{flags}"
        ));
    }
    match task {
        TableTask::Project(ProjectTask { to: Some(y) }) => why.push(text!(
            "--to {y} 不晚于任何地区的最新值，没有可预测的年份",
            "--to {y} is not after any place's latest value, so there is no year to project"
        )),
        TableTask::Targets(t) => {
            let y = t.year;
            why.push(text!(
                "--year {y} 不晚于任何地区的最新值（或没有地区有趋势）",
                "--year {y} is not after any place's latest value (or no place has a trend)"
            ))
        }
        _ => {}
    }
    if why.is_empty() {
        let ind = &ctx.indicator;
        why.push(text!(
            "{ind} 没有数据可成行",
            "no data for {ind} gives a row"
        ));
    }
    let zh: Vec<&str> = why.iter().map(|w| w.zh.as_str()).collect();
    let en: Vec<&str> = why.iter().map(|w| w.en.as_str()).collect();
    let message = Text::new(
        format!("表格没有行：{}", zh.join("；")),
        format!("the table has no rows: {}", en.join("; ")),
    );
    crate::error::Diagnostic::note(crate::error::DiagnosticKind::EmptyTable, message)
}
