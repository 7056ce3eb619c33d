//! Reading a plan sheet back into plans: rows grouped by 地区 and 方案名称 into plans, and
//! the plan columns of a plan's later rows checked against its first row.

use super::building::Building;
use super::columns::header_zh;
use super::header::Cells;
use super::indicator::read_indicator;
use super::places::SheetPlaces;
use crate::data::table::{RawRow, RawTable};
use crate::data::{Content, Input};
use crate::error::{Error, Location, Problems, Result};
use crate::model::{Plan, PlanMeta};

/// True when an input is a plan sheet rather than a plan TOML: a spreadsheet, or text
/// from a file named `*.csv`.
pub(crate) fn is_plan_sheet(input: &Input) -> bool {
    match &input.content {
        Content::Table(_) => true,
        Content::Text(_) => input.label.to_ascii_lowercase().ends_with(".csv"),
    }
}

/// Reads a plan sheet (the first sheet of a workbook, or a CSV) into its plans, with the
/// place of every key for messages. Every problem of the sheet is reported at once.
pub(crate) fn parse_plan_sheet(input: &Input) -> Result<Vec<(Plan, SheetPlaces)>> {
    let raw = match &input.content {
        Content::Text(text) => RawTable::from_csv(&input.label, text)?,
        Content::Table(t) => t.clone(),
    };
    let cells = Cells::new(&raw)?;
    if raw.rows.is_empty() {
        return Err(Error::input(
            Location::at(&raw.label, raw.header_line),
            text!("表格有表头但没有方案行：表头下每个目标应占一行", "the sheet has a header but no plan rows: expected one row per target under the header"),
        ));
    }
    let mut problems = Problems::default();
    let mut plans: Vec<Building> = Vec::new();
    let mut last_key: Option<(String, String)> = None;
    let mut last_indicator: Option<String> = None;
    for row in &raw.rows {
        let Some(key) = plan_key(&cells, row, last_key.as_ref(), &mut problems) else {
            continue;
        };
        if last_key.as_ref() != Some(&key) {
            last_indicator = None;
        }
        last_key = Some(key.clone());
        let index = plan_index(&cells, row, key, input, &mut plans, &mut problems);
        let building = &mut plans[index];
        check_plan_columns(&cells, row, building, &mut problems);
        read_indicator(&cells, row, building, &mut last_indicator, &mut problems);
    }
    problems.into_result()?;
    Ok(plans.into_iter().map(|b| (b.plan, b.places)).collect())
}

/// The plan a row belongs to: its 地区 and 方案名称. Both blank continue the row above
/// (merged cells); one of them blank is a problem (`None`).
fn plan_key(
    cells: &Cells,
    row: &RawRow,
    last_key: Option<&(String, String)>,
    problems: &mut Problems,
) -> Option<(String, String)> {
    let mut j = cells.text(row, "jurisdiction");
    let mut title = cells.text(row, "title");
    if let Some((lj, lt)) = last_key {
        if j.is_empty() && title.is_empty() {
            j = lj.clone();
            title = lt.clone();
        }
    }
    if j.is_empty() || title.is_empty() {
        let k = if j.is_empty() {
            "jurisdiction"
        } else {
            "title"
        };
        problems.push(Error::input(
            cells.location(row, k),
            text!(
                "应为本行所属方案的{}，实际为空单元格",
                "expected the {} of the plan this row belongs to, found an empty cell",
                header_zh(k)
            ),
        ));
        return None;
    }
    Some((j, title))
}

/// The index in `plans` of the plan with `key`; a plan not seen yet starts at this row.
fn plan_index(
    cells: &Cells,
    row: &RawRow,
    key: (String, String),
    input: &Input,
    plans: &mut Vec<Building>,
    problems: &mut Problems,
) -> usize {
    if let Some(i) = plans.iter().position(|b| b.key == key) {
        return i;
    }
    let mut year = |k: &str| problems.check(cells.year(row, k));
    let (a, b) = (year("first_year"), year("last_year"));
    let loc = |k: &str| cells.location(row, k);
    let mut places = SheetPlaces::default();
    places.plan.insert("jurisdiction", loc("jurisdiction"));
    places.plan.insert("title_zh", loc("title"));
    places.plan.insert("period", loc("first_year"));
    places.plan.insert("issuer_zh", loc("issuer"));
    places.plan.insert("document_no", loc("document_no"));
    plans.push(Building {
        key: key.clone(),
        plan: Plan {
            plan: PlanMeta {
                jurisdiction: key.0,
                title_zh: key.1,
                title_en: None,
                issuer_zh: cells.opt(row, "issuer"),
                document_no: cells.opt(row, "document_no"),
                issued: None,
                period: [a.unwrap_or(2021), b.unwrap_or(2025)],
                source: None,
            },
            indicators: Vec::new(),
            origin: input.label.clone(),
        },
        places,
        indicator_rows: Vec::new(),
    });
    plans.len() - 1
}

/// Plan columns repeated on later rows must agree with the plan's first row.
fn check_plan_columns(cells: &Cells, row: &RawRow, building: &Building, problems: &mut Problems) {
    for (k, have) in [
        ("issuer", building.plan.plan.issuer_zh.clone()),
        ("document_no", building.plan.plan.document_no.clone()),
        ("first_year", Some(building.plan.plan.period[0].to_string())),
        ("last_year", Some(building.plan.plan.period[1].to_string())),
    ] {
        let v = cells.text(row, k);
        let same = match k {
            "first_year" | "last_year" => cells.year(row, k).ok().map(|y| y.to_string()) == have,
            _ => Some(v.clone()) == have,
        };
        if !v.is_empty() && !same {
            problems.push(Error::input(
                cells.location(row, k),
                text!(
                    "应与本方案第一行的{}（{}）相同，实际为 {}；一个方案只有一个{}",
                    "expected the {} of this plan's first row ({}), found {}; one plan has one {}",
                    header_zh(k),
                    have.clone().unwrap_or_default(),
                    crate::output::safety::echo(&v),
                    header_zh(k)
                ),
            ));
        }
    }
}
