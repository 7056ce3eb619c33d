//! `litmon project`: yearly projections with their intervals, capped at
//! [`MAX_PROJECTION_ROWS`] rows.

use crate::cli::context::Context;
use crate::error::{Error, Result};
use crate::model::{Dataset, Lang};
use crate::output::{tables, Table};

/// Most rows `project` writes (each costs about 1.6 KB in memory before it is written): far
/// more than any plan review needs, far below the 2 GB the machine may allow.
pub const MAX_PROJECTION_ROWS: usize = 200_000;

/// Checked options of `litmon project`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectTask {
    /// `--to`: last year to project; `None`: each jurisdiction's next milestone year.
    pub to: Option<i32>,
}

impl ProjectTask {
    /// The projections of the jurisdictions `keep` passes.
    pub fn table(&self, ctx: &Context, ds: &Dataset, keep: &dyn Fn(&str) -> bool) -> Result<Table> {
        let percent = ds
            .indicator_spec(&ctx.indicator)
            .is_some_and(|s| s.is_percent());
        check_projection_rows(ds, &ctx.indicator, self.to, keep)?;
        let rows = crate::assess::project(ds, &ctx.indicator, &ctx.trend, self.to);
        Ok(tables::project_table(&rows, percent, |id| {
            ds.jurisdiction(id)
                .map(|j| match ctx.lang {
                    Lang::En if !j.name_en.is_empty() => j.name_en.clone(),
                    _ => j.name_zh.clone(),
                })
                .unwrap_or_default()
        })?)
    }
}

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
