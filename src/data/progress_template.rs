//! The progress template of `litmon indicators --template -o progress.xlsx`: per plan, one
//! row per sub-indicator and one column per plan year, for departments to fill in. The
//! filled-in sheet is read back as observations (`wide_observation_rows`): each filled
//! year cell is one observation (the year's amount for cumulative and annual targets, the
//! level reached for level targets).

use crate::data::csvread;
use crate::error::{Problems, Result};
use crate::model::{Dataset, Observation, LITERACY_RATE};
use crate::output::{Cell, Table};

/// Column names of the years 2000–2050 (table columns are static names).
const YEAR_COLUMNS: [&str; 51] = [
    "2000", "2001", "2002", "2003", "2004", "2005", "2006", "2007", "2008", "2009", "2010", "2011",
    "2012", "2013", "2014", "2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023",
    "2024", "2025", "2026", "2027", "2028", "2029", "2030", "2031", "2032", "2033", "2034", "2035",
    "2036", "2037", "2038", "2039", "2040", "2041", "2042", "2043", "2044", "2045", "2046", "2047",
    "2048", "2049", "2050",
];

fn year_column(year: i32) -> Option<&'static str> {
    usize::try_from(year - 2000)
        .ok()
        .and_then(|i| YEAR_COLUMNS.get(i).copied())
}

/// The columns before the years.
const KEY_COLUMNS: [&str; 8] = [
    "jurisdiction",
    "jurisdiction_name",
    "indicator",
    "indicator_name",
    "kind",
    "unit",
    "target_year",
    "target",
];

/// The template for the plans of the jurisdictions `keep` passes: one row per
/// sub-indicator (the literacy rate comes from the survey and is left out) and one empty
/// column per year of the plans' periods (years observed already are filled in).
pub fn progress_template(ds: &Dataset, keep: &dyn Fn(&str) -> bool) -> Table {
    let plans: Vec<_> = ds
        .plans
        .iter()
        .filter(|p| keep(&p.plan.jurisdiction))
        .collect();
    let mut years: Vec<i32> = plans
        .iter()
        .flat_map(|p| {
            p.indicators
                .iter()
                .filter(|i| i.id != LITERACY_RATE)
                .map(|i| p.period_of(i))
        })
        .flat_map(|[a, b]| a..=b)
        .filter(|y| year_column(*y).is_some())
        .collect();
    years.sort_unstable();
    years.dedup();
    let mut columns = KEY_COLUMNS.to_vec();
    columns.extend(years.iter().filter_map(|y| year_column(*y)));
    let mut t = Table::new(columns);
    t.sheet_name = "progress".into();
    for p in plans {
        let jid = &p.plan.jurisdiction;
        let jname = ds
            .jurisdiction(jid)
            .map(|j| j.name_zh.clone())
            .unwrap_or_default();
        for ind in p.indicators.iter().filter(|i| i.id != LITERACY_RATE) {
            let [a, b] = p.period_of(ind);
            let unit = ind.unit_zh.clone().unwrap_or_else(|| ind.unit.clone());
            let mut row = vec![
                Cell::text(jid),
                Cell::text(&jname),
                Cell::text(&ind.id),
                Cell::text(&ind.name_zh),
                Cell::text(ind.kind.as_str()),
                Cell::text(unit),
                Cell::Int(ind.target.year.into()),
                Cell::Num(ind.target.value),
            ];
            let series = ds.series(jid, &ind.id);
            for y in &years {
                let v = series.iter().find(|o| o.year == *y).map(|o| o.value);
                row.push(if (a..=b).contains(y) {
                    Cell::opt_num(v)
                } else {
                    Cell::Empty
                });
            }
            t.rows.push(row);
        }
    }
    t
}

/// A header that is a year (1900–2100): the column of a wide progress sheet.
fn header_year(h: &str) -> Option<i32> {
    let h = h.trim().trim_end_matches('年');
    if h.len() != 4 {
        return None;
    }
    h.parse::<i32>().ok().filter(|y| (1900..=2100).contains(y))
}

/// True when a table has no `year` column but year columns (a filled-in template).
pub(crate) fn is_wide(table: &csvread::Table) -> bool {
    table.optional("year").is_none() && table.headers.iter().any(|h| header_year(h).is_some())
}

/// The observations of a wide progress sheet: each non-empty year cell of a row with a
/// jurisdiction and an indicator. Errors name the cell; a bad cell goes to `problems` (all
/// are reported at once) and a missing column is the error.
pub(crate) fn wide_observation_rows(
    table: &csvread::Table,
    problems: &mut Problems,
) -> Result<Vec<Observation>> {
    let c_j = table.require("jurisdiction")?;
    let c_ind = table.require("indicator")?;
    let year_cols: Vec<(usize, i32)> = table
        .headers
        .iter()
        .enumerate()
        .filter_map(|(c, h)| header_year(h).map(|y| (c, y)))
        .collect();
    table.require_rows()?;
    let mut out = Vec::new();
    for row in table.rows() {
        let jurisdiction = row.text(c_j);
        let indicator = row.text(c_ind);
        let filled = year_cols.iter().any(|&(c, _)| !row.text(c).is_empty());
        if !filled {
            continue;
        }
        if jurisdiction.is_empty() || indicator.is_empty() {
            let c = if jurisdiction.is_empty() { c_j } else { c_ind };
            problems.push(table.error(
                row,
                c,
                text!(
                    "有数值的行应有地区和指标",
                    "expected a jurisdiction and an indicator on a row with values"
                ),
            ));
            continue;
        }
        for &(c, year) in &year_cols {
            let Some(value) = problems.check(table.number(row, c)).flatten() else {
                continue;
            };
            out.push(Observation {
                source: table.label().to_string(),
                jurisdiction_column: table.location(row, c_j).column.unwrap_or_default(),
                ..Observation::read_at(jurisdiction, indicator, year, value, table.location(row, c))
            });
        }
    }
    Ok(out)
}
