//! Running a checked configuration: load the dataset when the command needs one, compute,
//! write (atomically to `-o`, else to standard output).

use crate::cli::config::{Config, ReportTask, Task};
use crate::cli::context::Context;
use crate::cli::filter::resolve_ids;
use crate::error::Result;
use crate::model::{Dataset, Lang};

/// Runs a whole command.
pub fn run(cfg: &Config) -> Result<()> {
    let ctx = &cfg.ctx;
    match &cfg.task {
        Task::Estimate(e) => crate::cli::estimate::run_command(e, ctx),
        Task::Serve(a) => crate::cli::serve::run(a, ctx),
        Task::Chart(t) => crate::cli::chart::run(ctx, t, &ctx.dataset()?),
        Task::Report(t) => run_report(ctx, t, &ctx.dataset()?),
        Task::DataExport(dir, plans_as) => {
            crate::data::export::export_with(&ctx.dataset()?, dir, &ctx.protected, *plans_as)
        }
        Task::Table(t) => {
            let ds = ctx.dataset()?;
            ctx.output.write(&crate::cli::tables::render(ctx, &ds, t)?)
        }
    }
}

/// Runs `litmon report`: builds every number and chart, then writes the directory.
pub fn run_report(ctx: &Context, task: &ReportTask, ds: &Dataset) -> Result<()> {
    let opts = crate::report::ReportOptions {
        as_of: ctx.as_of,
        lang: ctx.lang,
        jurisdictions: resolve_ids(ds, &task.jurisdictions)?,
        level: task.level,
        trend: ctx.trend,
        embed_font: task.embed_font,
    };
    let report = crate::report::build(ds, &opts)?;
    crate::report::write(&report, &task.dir)?;
    let html = task.dir.join("report.html");
    let md = task.dir.join("report.md");
    if crate::cli::console::quiet() {
        return Ok(());
    }
    println!(
        "{}",
        match ctx.lang {
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
