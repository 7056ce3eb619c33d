//! A row's indicator: the first row of an indicator adds it to its plan (kind, unit,
//! direction, baseline, target), each further row of it with another 目标年 a milestone.

use std::collections::HashMap;

use super::building::Building;
use super::columns::header_zh;
use super::header::Cells;
use super::words::{parse_direction, parse_kind, parse_qualifier, parse_unit};
use crate::data::table::RawRow;
use crate::error::{Error, Location, Problems};
use crate::model::{
    Direction, Kind, Milestone, PlanIndicator, Qualifier, YearValue, LITERACY_RATE,
};

/// The dated target of a row (each part `None` when its cell is a problem).
struct Target {
    year: Option<i32>,
    value: Option<f64>,
    qualifier: Option<Qualifier>,
}

/// Reads the indicator of a row into `building`: its code, else its name; both blank
/// continue the indicator above (`last_indicator`).
pub(super) fn read_indicator(
    cells: &Cells,
    row: &RawRow,
    building: &mut Building,
    last_indicator: &mut Option<String>,
    problems: &mut Problems,
) {
    let code = cells.text(row, "indicator");
    let name = cells.text(row, "name");
    let ind_key = if !code.is_empty() {
        code.clone()
    } else if !name.is_empty() {
        name.clone()
    } else if let Some(k) = last_indicator.as_ref() {
        k.clone()
    } else {
        problems.push(Error::input(
            cells.location(row, "name"),
            text!("指标在方案中的第一行应有指标名称，实际为空单元格", "expected an indicator name (指标名称) on the plan's first row of an indicator, found an empty cell"),
        ));
        return;
    };
    *last_indicator = Some(ind_key.clone());
    let target = read_target(cells, row, problems);
    let existing = building
        .indicator_rows
        .iter()
        .position(|(k, _)| *k == ind_key);
    match existing {
        Some(i) => add_milestone(cells, row, building, i, target, problems),
        None => add_indicator(
            cells,
            row,
            building,
            (ind_key, code, name),
            target,
            problems,
        ),
    }
}

/// The 目标年, 目标值 and 限定词 of a row.
fn read_target(cells: &Cells, row: &RawRow, problems: &mut Problems) -> Target {
    let year = problems.check(cells.year(row, "target_year"));
    let value = match problems.check(cells.number(row, "target")) {
        Some(Some(v)) => Some(v),
        Some(None) => {
            problems.push(Error::input(
                cells.location(row, "target"),
                text!(
                    "应为目标值，如 12 或 12%，实际为空单元格",
                    "expected a target value (目标值) such as 12 or 12%, found an empty cell"
                ),
            ));
            None
        }
        None => None,
    };
    let qualifier = match parse_qualifier(&cells.text(row, "qualifier")) {
        Some(q) => q,
        None => {
            problems.push(Error::input(
                cells.location(row, "qualifier"),
                text!(
"应为 达到、以上、不低于、不少于、超过、力争 或 左右（或空单元格），实际为 {}",
"expected 达到, 以上, 不低于, 不少于, 超过, 力争 or 左右 (or an empty cell), found {}",
                    crate::output::safety::echo(&cells.text(row, "qualifier"))
                ),
            ));
            None
        }
    };
    Target {
        year,
        value,
        qualifier,
    }
}

/// A further dated target of the `i`-th indicator: a milestone.
fn add_milestone(
    cells: &Cells,
    row: &RawRow,
    building: &mut Building,
    i: usize,
    target: Target,
    problems: &mut Problems,
) {
    let (Some(year), Some(value)) = (target.year, target.value) else {
        return;
    };
    let loc = |k: &str| cells.location(row, k);
    let first_row = building.indicator_rows[i].1;
    let ind = &mut building.plan.indicators[i];
    if ind.target.year == year || ind.milestones.iter().any(|m| m.year == year) {
        problems.push(Error::input(
            loc("target_year"),
            text!(
"{} 已有 {year} 年的目标（第{}行）；同一指标的另一行需要另一个目标年",
"{} has a target for {year} already (row {}); a further row of an indicator needs another 目标年",
                ind.name_zh, first_row
            ),
        ));
        return;
    }
    check_same_as_first_row(cells, row, ind, first_row, problems);
    if ind.baseline.is_some_and(|b| b.year >= year) {
        problems.push(Error::input(
            loc("target_year"),
            text!(
"目标年 {year} 不在基期年 {} 之后：里程碑应晚于基期",
"target year {year} is not after the baseline year {}: expected a milestone after the baseline",
                ind.baseline.map_or(0, |b| b.year)
            ),
        ));
        return;
    }
    building.places.indicators[i].insert("milestones", loc("target_year"));
    ind.milestones.push(Milestone {
        year,
        value,
        qualifier: target.qualifier.filter(|q| Some(*q) != ind.qualifier),
    });
}

/// The 类型, 单位 and 方向 of a further row of an indicator: empty, or those of its first
/// row (`first_row`).
fn check_same_as_first_row(
    cells: &Cells,
    row: &RawRow,
    ind: &PlanIndicator,
    first_row: u64,
    problems: &mut Problems,
) {
    let text = |k: &str| cells.text(row, k);
    for (k, ok) in [
        (
            "kind",
            text("kind").is_empty() || parse_kind(&text("kind")) == Some(ind.kind),
        ),
        (
            "unit",
            text("unit").is_empty() || parse_unit(&text("unit")).0 == ind.unit,
        ),
        (
            "direction",
            text("direction").is_empty()
                || parse_direction(&text("direction")) == Some(ind.direction),
        ),
    ] {
        if !ok {
            problems.push(Error::input(
                cells.location(row, k),
                text!(
"应与该指标第一行（第{1}行）的{0}相同或为空单元格，实际为 {2}",
"expected the {} of the indicator's first row (row {}), or an empty cell, found {}",
                    header_zh(k),
                    first_row,
                    crate::output::safety::echo(&text(k))
                ),
            ));
        }
    }
}

/// The first row of an indicator: the indicator, added to the plan. `names` is the
/// indicator's key, its 指标代码 and its 指标名称.
fn add_indicator(
    cells: &Cells,
    row: &RawRow,
    building: &mut Building,
    names: (String, String, String),
    target: Target,
    problems: &mut Problems,
) {
    let (ind_key, code, name) = names;
    let loc = |k: &str| cells.location(row, k);
    let kind = read_kind(cells, row, problems);
    let direction = read_direction(cells, row, problems);
    let (unit, unit_zh) = read_unit(cells, row, problems);
    let baseline = read_baseline(cells, row, problems);
    let id = if !code.is_empty() {
        code.clone()
    } else if name == "公民具备科学素质的比例" || name == "具备科学素质的比例" {
        LITERACY_RATE.to_string()
    } else {
        name.clone()
    };
    if name.is_empty() {
        problems.push(Error::input(
            loc("name"),
            text!(
                "应为指标名称，实际为空单元格",
                "expected an indicator name (指标名称), found an empty cell"
            ),
        ));
    }
    let (Some(kind), Some(direction), Some(baseline), Some(year), Some(value)) =
        (kind, direction, baseline, target.year, target.value)
    else {
        return;
    };
    if let Some(b) = baseline {
        if year <= b.year {
            problems.push(Error::input(
                loc("target_year"),
                text!(
"目标年 {year} 不在基期年 {} 之后：目标年应晚于基期年",
"target year {year} is not after the baseline year {} (基期年): expected a target after the baseline",
                    b.year
                ),
            ));
            return;
        }
    }
    building
        .places
        .indicators
        .push(indicator_places(cells, row));
    building
        .places
        .rows
        .push(Location::at(&cells.raw.label, row.line));
    building.indicator_rows.push((ind_key, row.line));
    building.plan.indicators.push(PlanIndicator {
        id,
        name_zh: name,
        name_en: String::new(),
        unit,
        unit_zh,
        kind,
        direction,
        baseline,
        target: YearValue { year, value },
        milestones: Vec::new(),
        qualifier: target.qualifier,
        lead_zh: cells.opt(row, "lead"),
        note: cells.opt(row, "note"),
        period: None,
    });
}

/// The 类型 of an indicator's first row.
fn read_kind(cells: &Cells, row: &RawRow, problems: &mut Problems) -> Option<Kind> {
    let kind_text = cells.text(row, "kind");
    let kind = parse_kind(&kind_text);
    if kind.is_none() {
        let (found_zh, found) = if kind_text.is_empty() {
            ("空单元格".to_string(), "an empty cell".to_string())
        } else {
            let e = crate::output::safety::echo(&kind_text);
            (e.clone(), e)
        };
        problems.push(Error::input(
            cells.location(row, "kind"),
            text!(
                "应为 水平、累计 或 年度（level、cumulative、annual），实际为 {found_zh}",
                "expected 水平, 累计 or 年度 (level, cumulative, annual), found {found}"
            ),
        ));
    }
    kind
}

/// The 方向 of an indicator's first row (empty is 提高).
fn read_direction(cells: &Cells, row: &RawRow, problems: &mut Problems) -> Option<Direction> {
    let dir_text = cells.text(row, "direction");
    let direction = parse_direction(&dir_text);
    if direction.is_none() {
        problems.push(Error::input(
            cells.location(row, "direction"),
            text!(
                "应为 提高、降低 或 保持（或空单元格），实际为 {}",
                "expected 提高, 降低 or 保持 (or an empty cell), found {}",
                crate::output::safety::echo(&dir_text)
            ),
        ));
    }
    direction
}

/// The 单位 of an indicator's first row: its code and display unit ([`parse_unit`]).
fn read_unit(cells: &Cells, row: &RawRow, problems: &mut Problems) -> (String, Option<String>) {
    let unit_text = cells.text(row, "unit");
    if unit_text.is_empty() {
        problems.push(Error::input(
            cells.location(row, "unit"),
            text!(
                "应为单位，如 %、人、人次 或 个，实际为空单元格",
                "expected a unit (单位) such as %, 人, 人次 or 个, found an empty cell"
            ),
        ));
    }
    parse_unit(&unit_text)
}

/// The 基期年 and 基期值 of an indicator's first row: both or neither (`Some(None)`);
/// `None` when they are a problem.
fn read_baseline(
    cells: &Cells,
    row: &RawRow,
    problems: &mut Problems,
) -> Option<Option<YearValue>> {
    let base_year = cells.text(row, "baseline_year");
    let base_value = cells.column("baseline").map(|i| cells.raw.number(row, i));
    match (base_year.is_empty(), base_value) {
        (true, None | Some(Ok(None))) => Some(None),
        (false, Some(Ok(Some(v)))) => problems
            .check(cells.year(row, "baseline_year"))
            .map(|y| Some(YearValue { year: y, value: v })),
        (_, Some(Err(e))) => {
            problems.push(e);
            None
        }
        (true, Some(Ok(Some(_)))) => {
            problems.push(Error::input(
                cells.location(row, "baseline_year"),
                text!("应有与基期值对应的基期年，实际为空单元格", "expected the baseline year (基期年) of the baseline value, found an empty cell"),
            ));
            None
        }
        (false, _) => {
            problems.push(Error::input(
                cells.location(row, "baseline"),
                text!("应有与基期年对应的基期值，实际为空单元格", "expected the baseline value (基期值) of the baseline year, found an empty cell"),
            ));
            None
        }
    }
}

/// Where each key of an indicator was read: the cell of each of its columns the sheet has.
fn indicator_places(cells: &Cells, row: &RawRow) -> HashMap<&'static str, Location> {
    let mut at: HashMap<&'static str, Location> = HashMap::new();
    for (key, column) in [
        ("id", "indicator"),
        ("name_zh", "name"),
        ("unit", "unit"),
        ("unit_zh", "unit"),
        ("kind", "kind"),
        ("direction", "direction"),
        ("baseline", "baseline"),
        ("target", "target"),
        ("qualifier", "qualifier"),
        ("lead_zh", "lead"),
        ("note", "note"),
    ] {
        if cells.column(column).is_some() {
            at.insert(key, cells.location(row, column));
        }
    }
    at
}
