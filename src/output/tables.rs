//! The output tables of the commands, with the column orders fixed by the command-line
//! contract (DESIGN.md).

use crate::assess::{AssessRow, ProjectionRow, TargetRow};
use crate::output::{Cell, Table};
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

/// `assess` columns, in contract order.
pub const ASSESS_COLUMNS: [&str; 24] = [
    "jurisdiction",
    "name_zh",
    "indicator",
    "baseline_year",
    "baseline",
    "latest_year",
    "latest",
    "target_year",
    "target",
    "required_per_year",
    "observed_per_year",
    "cagr_ratio",
    "progress_share",
    "unsd_rho",
    "official_category",
    "projected",
    "lo80",
    "hi80",
    "p_reach",
    "p_reach_measured",
    "status",
    "model",
    "n_obs",
    "reason",
];

/// The `assess` table; `percent`: the indicator is a percentage (its values shown with a %
/// sign in XLSX).
pub fn assess_table(rows: &[AssessRow], percent: bool) -> Table {
    let mut t = Table::new(ASSESS_COLUMNS.to_vec());
    mark_formats(&mut t, percent);
    t.sheet_name = "assess".into();
    t.terminal_columns = vec![
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
    ];
    // Left out of the terminal view, in this order, when it is wider than the terminal.
    t.terminal_drop = vec![
        "observed_per_year",
        "official_category",
        "lo80",
        "hi80",
        "latest_year",
        "required_per_year",
    ];
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
    for r in rows {
        t.rows.push(vec![
            Cell::text(&r.jurisdiction),
            Cell::text(&r.name_zh),
            Cell::text(&r.indicator),
            Cell::opt_int(r.baseline_year),
            Cell::opt_num(r.baseline),
            Cell::opt_int(r.latest_year),
            Cell::opt_num(r.latest),
            Cell::Int(r.target_year.into()),
            Cell::Num(r.target),
            Cell::opt_num(r.required_per_year),
            Cell::opt_num(r.observed_per_year),
            Cell::opt_num(r.cagr_ratio),
            Cell::opt_num(r.progress_share),
            Cell::opt_num(r.unsd_rho),
            Cell::text(r.official_category.map(|c| c.as_str()).unwrap_or("")),
            Cell::opt_num(r.projected),
            Cell::opt_num(r.lo80),
            Cell::opt_num(r.hi80),
            Cell::opt_num(r.p_reach),
            Cell::opt_num(r.p_reach_measured),
            Cell::text(r.status.as_str()),
            Cell::text(&r.model),
            Cell::Int(r.n_obs as i64),
            Cell::text(&r.reason),
        ]);
    }
    t
}

/// `project` columns.
pub const PROJECT_COLUMNS: [&str; 9] = [
    "jurisdiction",
    "indicator",
    "year",
    "model",
    "median",
    "lo80",
    "hi80",
    "lo95",
    "hi95",
];

/// The `project` table; `percent`: the indicator is a percentage; `name` gives each
/// jurisdiction's name, shown beside its code in the terminal view only (files keep the
/// contract's columns).
pub fn project_table(
    rows: &[ProjectionRow],
    percent: bool,
    name: impl Fn(&str) -> String,
) -> Table {
    let mut columns = PROJECT_COLUMNS.to_vec();
    columns.insert(1, "name_zh");
    let mut t = Table::new(columns);
    mark_formats(&mut t, percent);
    t.terminal_only = vec!["name_zh"];
    t.sheet_name = "project".into();
    for r in rows {
        let f = &r.forecast;
        let mut row = vec![
            Cell::text(&r.jurisdiction),
            Cell::text(name(&r.jurisdiction)),
            Cell::text(&r.indicator),
            Cell::Int(r.year.into()),
            Cell::text(&r.model),
        ];
        row.extend(forecast_cells(f));
        t.rows.push(row);
    }
    t
}

/// `targets` columns, in contract order.
pub const TARGETS_COLUMNS: [&str; 9] = [
    "jurisdiction",
    "name_zh",
    "indicator",
    "latest_year",
    "latest",
    "target_year",
    "probability",
    "target",
    "required_per_year",
];

/// The `targets` table; `percent`: the indicator is a percentage.
pub fn targets_table(rows: &[TargetRow], percent: bool) -> Table {
    let mut t = Table::new(TARGETS_COLUMNS.to_vec());
    mark_formats(&mut t, percent);
    t.mark_share(&["probability"]);
    t.sheet_name = "targets".into();
    for r in rows {
        t.rows.push(vec![
            Cell::text(&r.jurisdiction),
            Cell::text(&r.name_zh),
            Cell::text(&r.indicator),
            Cell::Int(r.latest_year.into()),
            Cell::Num(r.latest),
            Cell::Int(r.target_year.into()),
            Cell::Num(r.probability),
            Cell::Num(r.target),
            Cell::Num(r.required_per_year),
        ]);
    }
    t
}

/// `backtest` columns.
pub const BACKTEST_COLUMNS: [&str; 7] = [
    "model",
    "n",
    "mae_pp",
    "rmse_logit",
    "coverage80",
    "coverage95",
    "winkler80",
];

/// The `backtest` summary: one row per model.
pub fn backtest_table(rows: &[BacktestRow]) -> Table {
    let mut t = Table::new(BACKTEST_COLUMNS.to_vec());
    mark_formats(&mut t, false);
    t.sheet_name = "backtest".into();
    for r in rows {
        t.rows.push(backtest_cells(r));
    }
    t
}

fn backtest_cells(r: &BacktestRow) -> Vec<Cell> {
    vec![
        Cell::text(&r.model),
        Cell::Int(r.n as i64),
        Cell::opt_num(Some(r.mae_pp)),
        Cell::opt_num(Some(r.rmse_logit)),
        Cell::opt_num(Some(r.coverage80)),
        Cell::opt_num(Some(r.coverage95)),
        Cell::opt_num(Some(r.winkler80)),
    ]
}

/// `backtest --by-level` columns: the summary columns with the level after the model.
pub const BACKTEST_LEVEL_COLUMNS: [&str; 8] = [
    "model",
    "level",
    "n",
    "mae_pp",
    "rmse_logit",
    "coverage80",
    "coverage95",
    "winkler80",
];

/// `backtest --by-level`: one row per (level, model).
pub fn backtest_level_table(rows: &[(&str, BacktestRow)]) -> Table {
    let mut t = Table::new(BACKTEST_LEVEL_COLUMNS.to_vec());
    mark_formats(&mut t, false);
    t.sheet_name = "backtest_by_level".into();
    for (level, r) in rows {
        let mut cells = backtest_cells(r);
        cells.insert(1, Cell::text(*level));
        t.rows.push(cells);
    }
    t
}

/// `backtest --detail` columns: one row per scored forecast.
pub const BACKTEST_DETAIL_COLUMNS: [&str; 10] = [
    "model",
    "jurisdiction",
    "origin",
    "year",
    "actual",
    "median",
    "lo80",
    "hi80",
    "lo95",
    "hi95",
];

/// The `backtest --detail` table; `percent`: the indicator is a percentage.
pub fn backtest_detail_table(rows: &[BacktestForecast], percent: bool) -> Table {
    let mut t = Table::new(BACKTEST_DETAIL_COLUMNS.to_vec());
    mark_formats(&mut t, percent);
    t.sheet_name = "backtest_detail".into();
    for r in rows {
        let f = &r.forecast;
        let mut row = vec![
            Cell::text(r.model),
            Cell::text(&r.jurisdiction),
            Cell::Int(r.origin.into()),
            Cell::Int(r.year.into()),
            Cell::Num(r.actual),
        ];
        row.extend(forecast_cells(f));
        t.rows.push(row);
    }
    t
}

/// `indicators` columns.
pub const INDICATORS_COLUMNS: [&str; 14] = [
    "jurisdiction",
    "plan",
    "indicator",
    "name_zh",
    "kind",
    "unit",
    "target",
    "done",
    "share_done",
    "share_elapsed",
    "required_per_year",
    "projected_end",
    "status",
    "reason",
];

/// The `indicators` table: the pace of every countable sub-indicator (shares in 0–1 in
/// Excel's percent format).
pub fn indicators_table(rows: &[crate::assess::progress::ProgressRow]) -> Table {
    let mut t = Table::new(INDICATORS_COLUMNS.to_vec());
    t.mark_share(&["share_done", "share_elapsed"]);
    t.terminal_columns = vec![
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
    ];
    t.terminal_drop = vec![
        "share_elapsed",
        "required_per_year",
        "projected_end",
        "kind",
    ];
    t.words = crate::output::termtable::Words::Pace;
    for r in rows {
        let p = &r.pace;
        t.rows.push(vec![
            Cell::text(&r.jurisdiction),
            Cell::text(&r.plan),
            Cell::text(&r.indicator),
            Cell::text(&r.name_zh),
            Cell::text(r.kind.as_str()),
            Cell::text(&r.unit),
            Cell::Num(r.target),
            Cell::opt_num(p.done),
            Cell::opt_num(p.share_done),
            Cell::Num(p.share_elapsed),
            Cell::opt_num(p.required_per_year),
            Cell::opt_num(p.projected_end),
            Cell::text(p.status.as_str()),
            Cell::text(&r.reason),
        ]);
    }
    t
}

/// The five forecast columns `median,lo80,hi80,lo95,hi95` shared by `project` and
/// `backtest --detail`.
fn forecast_cells(f: &crate::trend::Forecast) -> [Cell; 5] {
    [
        Cell::Num(f.median),
        Cell::Num(f.lo80),
        Cell::Num(f.hi80),
        Cell::Num(f.lo95),
        Cell::Num(f.hi95),
    ]
}
