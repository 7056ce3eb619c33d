//! The output tables of the commands, with the column orders fixed by the command-line
//! contract (DESIGN.md).

use crate::assess::{AssessRow, ProjectionRow, TargetRow};
use serde::Serialize;

use crate::output::cell::Cell;
use crate::output::record::RecordError;
use crate::output::table::Table;
use crate::trend::backtest::{BacktestForecast, BacktestRow};

/// Columns holding values of the indicator (percent for `literacy_rate`): shown with a %
/// sign in XLSX when the indicator is a percentage ([`Table::mark_percent`]).
pub const PERCENT_COLUMNS: [&str; 10] = [
    "baseline",
    "latest",
    "target",
    "projected",
    "lo80",
    "hi80",
    "median",
    "lo95",
    "hi95",
    "actual",
];

/// Columns holding shares or probabilities in 0–1 (Excel percent format in XLSX).
pub const SHARE_COLUMNS: [&str; 5] = [
    "p_reach",
    "p_reach_measured",
    "progress_share",
    "coverage80",
    "coverage95",
];

/// Marks the number formats every XLSX of a table shows ([`Table::mark_percent`],
/// [`Table::mark_share`]): the indicator's value columns when the indicator is a percentage
/// (`percent`), the 0–1 share and probability columns always.
fn mark_formats(t: &mut Table, percent: bool) {
    if percent {
        t.mark_percent(&PERCENT_COLUMNS);
    }
    t.mark_share(&SHARE_COLUMNS);
}

/// The `assess` table; `percent`: the indicator is a percentage (its values shown with a %
/// sign in XLSX).
pub fn assess_table(rows: &[AssessRow], percent: bool) -> Result<Table, RecordError> {
    let mut t = Table::from_records(rows)?;
    mark_formats(&mut t, percent);
    t.sheet_name = "assess".into();
    t.show_in_terminal(&[
        "jurisdiction",
        "name_zh",
        "latest_year",
        "latest",
        "target_year",
        "target",
        "required_per_year",
        "observed_per_year",
        "official_category",
        "projected",
        "lo80",
        "hi80",
        "p_reach",
        "status",
    ]);
    // Left out of the terminal view, in this order, when it is wider than the terminal.
    t.drop_in_terminal(&[
        "observed_per_year",
        "official_category",
        "lo80",
        "hi80",
        "latest_year",
        "required_per_year",
    ]);
    t.terminal_notes = rows
        .iter()
        .filter(|r| !r.reason.is_empty())
        .map(|r| {
            // The target as the plan words it (e.g. 2025年超过15), so that qualifiers and
            // milestones show in the table's text.
            let target = crate::assess::wording::target_text(
                r.target_year,
                r.target,
                "",
                r.detail.qualifier,
                r.detail.lang,
            );
            match r.detail.lang {
                crate::model::Lang::Zh => {
                    format!("{} {}（{target}）: {}", r.jurisdiction, r.name_zh, r.reason)
                }
                crate::model::Lang::En => {
                    format!("{} {} ({target}): {}", r.jurisdiction, r.name_zh, r.reason)
                }
            }
        })
        .collect();
    Ok(t)
}

/// One row of the `project` table: its fields, in order, are the columns (`name_zh` is
/// shown in the terminal view only).
#[derive(Serialize, Default)]
struct ProjectRecord<'a> {
    jurisdiction: &'a str,
    name_zh: String,
    indicator: &'a str,
    year: i32,
    model: &'a str,
    forecast: ForecastColumns,
}

/// The `project` table; `percent`: the indicator is a percentage; `name` gives each
/// jurisdiction's name, shown beside its code in the terminal view only (files keep the
/// contract's columns).
pub fn project_table(
    rows: &[ProjectionRow],
    percent: bool,
    name: impl Fn(&str) -> String,
) -> Result<Table, RecordError> {
    let records: Vec<ProjectRecord> = rows
        .iter()
        .map(|r| ProjectRecord {
            jurisdiction: &r.jurisdiction,
            name_zh: name(&r.jurisdiction),
            indicator: &r.indicator,
            year: r.year,
            model: &r.model,
            forecast: (&r.forecast).into(),
        })
        .collect();
    let mut t = Table::from_records(&records)?;
    mark_formats(&mut t, percent);
    t.terminal_only(&["name_zh"]);
    t.sheet_name = "project".into();
    Ok(t)
}

/// The `targets` table; `percent`: the indicator is a percentage.
pub fn targets_table(rows: &[TargetRow], percent: bool) -> Result<Table, RecordError> {
    let mut t = Table::from_records(rows)?;
    mark_formats(&mut t, percent);
    t.mark_share(&["probability"]);
    t.sheet_name = "targets".into();
    Ok(t)
}

/// The `backtest` summary: one row per model.
pub fn backtest_table(rows: &[BacktestRow]) -> Result<Table, RecordError> {
    let mut t = Table::from_records(rows)?;
    mark_formats(&mut t, false);
    t.sheet_name = "backtest".into();
    Ok(t)
}

/// `backtest --by-level`: one row per (level, model).
pub fn backtest_level_table(rows: &[(&str, BacktestRow)]) -> Result<Table, RecordError> {
    backtest_grouped_table(rows, "level", "backtest_by_level")
}

/// `backtest --by-horizon`: one row per (horizon band, model).
pub fn backtest_horizon_table(rows: &[(&str, BacktestRow)]) -> Result<Table, RecordError> {
    backtest_grouped_table(rows, "horizon", "backtest_by_horizon")
}

/// A backtest summary by group: the group (`level` or `horizon`) as the second column.
fn backtest_grouped_table(
    rows: &[(&str, BacktestRow)],
    group: &'static str,
    sheet: &str,
) -> Result<Table, RecordError> {
    let summaries: Vec<BacktestRow> = rows.iter().map(|(_, r)| r.clone()).collect();
    let mut t = Table::from_records(&summaries)?;
    t.insert_column(1, group, rows.iter().map(|(g, _)| Cell::text(*g)));
    mark_formats(&mut t, false);
    t.sheet_name = sheet.into();
    Ok(t)
}

/// One line of `backtest --describe`: the part of the description and its text.
#[derive(Serialize, Default)]
struct DescriptionRecord<'a> {
    part: &'static str,
    text: &'a str,
}

/// `backtest --describe`: the fitted model (title, equations, hyperparameters, pooling per
/// level), one line per row with its part (`title`, `equation`, `hyperparameter`, `pooling`).
pub fn model_description_table(
    d: &crate::trend::describe::ModelDescription,
) -> Result<Table, RecordError> {
    let mut records = vec![DescriptionRecord {
        part: "title",
        text: &d.title,
    }];
    records.extend(d.equations.iter().map(|t| DescriptionRecord {
        part: "equation",
        text: t,
    }));
    records.extend(d.hyperparameters.iter().map(|t| DescriptionRecord {
        part: "hyperparameter",
        text: t,
    }));
    records.extend(d.pooling.iter().map(|t| DescriptionRecord {
        part: "pooling",
        text: t,
    }));
    let mut t = Table::from_records(&records)?;
    t.sheet_name = "model".into();
    Ok(t)
}

/// One row of `backtest --detail`: one scored forecast; its fields, in order, are the columns.
#[derive(Serialize, Default)]
struct DetailRecord<'a> {
    model: &'a str,
    jurisdiction: &'a str,
    origin: i32,
    year: i32,
    actual: f64,
    forecast: ForecastColumns,
}

/// The `backtest --detail` table; `percent`: the indicator is a percentage.
pub fn backtest_detail_table(
    rows: &[BacktestForecast],
    percent: bool,
) -> Result<Table, RecordError> {
    let records: Vec<DetailRecord> = rows
        .iter()
        .map(|r| DetailRecord {
            model: r.model,
            jurisdiction: &r.jurisdiction,
            origin: r.origin,
            year: r.year,
            actual: r.actual,
            forecast: (&r.forecast).into(),
        })
        .collect();
    let mut t = Table::from_records(&records)?;
    mark_formats(&mut t, percent);
    t.sheet_name = "backtest_detail".into();
    Ok(t)
}

/// One row of the `indicators` table; its fields, in order, are the columns.
#[derive(Serialize, Default)]
struct IndicatorRecord<'a> {
    jurisdiction: &'a str,
    plan: &'a str,
    indicator: &'a str,
    name_zh: &'a str,
    kind: &'a str,
    unit: &'a str,
    target: f64,
    done: Option<f64>,
    share_done: Option<f64>,
    share_elapsed: f64,
    required_per_year: Option<f64>,
    projected_end: Option<f64>,
    status: &'a str,
    reason: &'a str,
}

/// The `indicators` table: the pace of every countable sub-indicator (shares in 0–1 in
/// Excel's percent format).
pub fn indicators_table(
    rows: &[crate::assess::progress::ProgressRow],
) -> Result<Table, RecordError> {
    let records: Vec<IndicatorRecord> = rows
        .iter()
        .map(|r| IndicatorRecord {
            jurisdiction: &r.jurisdiction,
            plan: &r.plan,
            indicator: &r.indicator,
            name_zh: &r.name_zh,
            kind: r.kind.as_str(),
            unit: &r.unit,
            target: r.target,
            done: r.pace.done,
            share_done: r.pace.share_done,
            share_elapsed: r.pace.share_elapsed,
            required_per_year: r.pace.required_per_year,
            projected_end: r.pace.projected_end,
            status: r.pace.status.as_str(),
            reason: &r.reason,
        })
        .collect();
    let mut t = Table::from_records(&records)?;
    t.mark_share(&["share_done", "share_elapsed"]);
    t.show_in_terminal(&[
        "jurisdiction",
        "indicator",
        "name_zh",
        "kind",
        "target",
        "done",
        "share_done",
        "share_elapsed",
        "required_per_year",
        "projected_end",
        "status",
    ]);
    t.drop_in_terminal(&[
        "share_elapsed",
        "required_per_year",
        "projected_end",
        "kind",
    ]);
    t.words = crate::output::termtable::Words::Pace;
    Ok(t)
}

/// One row of the `observations.csv` layout (`jurisdiction,indicator,year,value,se,n,source`),
/// as `estimate --observations-out` and `sae --observations-out` write it; `N` is the type of
/// the sample size (a count, or the number as read).
#[derive(Serialize, Default)]
pub struct ObservationRecord<'a, N> {
    /// Jurisdiction id (or a crossed domain's values joined by `;`).
    pub jurisdiction: std::borrow::Cow<'a, str>,
    /// Indicator id.
    pub indicator: &'a str,
    /// Survey year.
    pub year: i32,
    /// The value (percent for a rate).
    pub value: f64,
    /// Its standard error, when known.
    pub se: Option<f64>,
    /// Sample size, when known.
    pub n: Option<N>,
    /// Where the value comes from.
    pub source: std::borrow::Cow<'a, str>,
}

/// The five forecast columns `median,lo80,hi80,lo95,hi95` shared by `project` and
/// `backtest --detail` (inlined where a record holds them).
#[derive(Serialize, Default)]
struct ForecastColumns {
    median: f64,
    lo80: f64,
    hi80: f64,
    lo95: f64,
    hi95: f64,
}

impl From<&crate::trend::Forecast> for ForecastColumns {
    fn from(f: &crate::trend::Forecast) -> Self {
        ForecastColumns {
            median: f.median,
            lo80: f.lo80,
            hi80: f.hi80,
            lo95: f.lo95,
            hi95: f.hi95,
        }
    }
}
