//! Plans as a spreadsheet: the fill-in workbook of `litmon plans --template -o 方案.xlsx`
//! (or `.csv`) and its reading back by `--plans 方案.xlsx`.
//!
//! One row per plan target: the plan's columns (地区, 方案名称, 发文机关, 文号, 起始年,
//! 结束年), the indicator's (指标代码, 指标名称, 类型, 单位, 方向, 基期年, 基期值, 牵头部门,
//! 备注) and the target's (目标年, 目标值, 限定词). Rows with the same 地区 and 方案名称 are
//! one plan; within it, the first row of an indicator gives its target and each further
//! row of the same indicator with another 目标年 a milestone. The plans read are the
//! [`Plan`] values a plan TOML gives (see `seeds/SCHEMA.md`) and go through the same
//! validation; every problem of the sheet is reported at once, each at its row and column.

use std::collections::HashMap;

use crate::data::table::{RawRow, RawTable};
use crate::data::{Content, Input};
use crate::error::{Error, Location, Problems, Result};
use crate::model::{
    Dataset, Direction, Kind, Milestone, Plan, PlanIndicator, PlanMeta, Qualifier, YearValue,
    LITERACY_RATE,
};
use crate::output::{Cell, Table};

/// The columns of the plan sheet, in order: (Chinese header written by the template,
/// canonical key, English headers also accepted).
const COLUMNS: [(&str, &str, &[&str]); 18] = [
    (
        "地区",
        "jurisdiction",
        &[
            "jurisdiction",
            "地区代码",
            "地区名称",
            "行政区划代码",
            "region",
        ],
    ),
    (
        "方案名称",
        "title",
        &["title", "title_zh", "方案", "规划名称", "文件名称", "plan"],
    ),
    ("发文机关", "issuer", &["issuer", "issuer_zh", "印发机关"]),
    ("文号", "document_no", &["document_no", "发文字号"]),
    (
        "起始年",
        "first_year",
        &["first_year", "period_start", "起始年份", "开始年"],
    ),
    (
        "结束年",
        "last_year",
        &["last_year", "period_end", "结束年份", "截止年"],
    ),
    (
        "指标代码",
        "indicator",
        &["indicator", "id", "indicator_id"],
    ),
    (
        "指标名称",
        "name",
        &["name", "name_zh", "indicator_name", "指标"],
    ),
    ("类型", "kind", &["kind", "指标类型"]),
    ("单位", "unit", &["unit", "unit_zh", "计量单位"]),
    ("方向", "direction", &["direction"]),
    (
        "基期年",
        "baseline_year",
        &["baseline_year", "基期年份", "基准年"],
    ),
    (
        "基期值",
        "baseline",
        &["baseline", "baseline_value", "基期数值", "基准值"],
    ),
    ("目标年", "target_year", &["target_year", "目标年份"]),
    ("目标值", "target", &["target", "target_value", "目标"]),
    ("限定词", "qualifier", &["qualifier", "表述"]),
    (
        "牵头部门",
        "lead",
        &["lead", "lead_zh", "责任单位", "牵头单位"],
    ),
    ("备注", "note", &["note", "说明"]),
];

/// Columns a plan sheet must have.
const REQUIRED: [&str; 9] = [
    "jurisdiction",
    "title",
    "first_year",
    "last_year",
    "name",
    "kind",
    "unit",
    "target_year",
    "target",
];

/// The Chinese header of a canonical column key.
fn header_zh(key: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|(_, k, _)| *k == key)
        .map_or("", |(zh, _, _)| zh)
}

/// The canonical key of a header (Chinese or English, case and a bracketed unit ignored).
fn canonical(header: &str) -> Option<&'static str> {
    let h = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    let h = match h.find(['(', '（']) {
        Some(i) if i > 0 => h[..i].trim().to_string(),
        _ => h,
    };
    COLUMNS
        .iter()
        .find(|(zh, key, en)| h == *zh || h == *key || en.contains(&h.as_str()))
        .map(|(_, key, _)| *key)
}

/// True when an input is a plan sheet rather than a plan TOML: a spreadsheet, or text
/// from a file named `*.csv`.
pub(crate) fn is_plan_sheet(input: &Input) -> bool {
    match &input.content {
        Content::Table(_) => true,
        Content::Text(_) => input.label.to_ascii_lowercase().ends_with(".csv"),
    }
}

/// Where each key of a plan read from a sheet was written: plan keys by name, indicator
/// keys by indicator index and name (TOML-style keys: `jurisdiction`, `period`, `target`,
/// `baseline`, `milestones`, `unit` …).
#[derive(Debug, Clone, Default)]
pub(crate) struct SheetPlaces {
    plan: HashMap<&'static str, Location>,
    indicators: Vec<HashMap<&'static str, Location>>,
    /// The first row of each indicator (for keys without a cell).
    rows: Vec<Location>,
}

impl SheetPlaces {
    /// Where a key of the `[plan]` table was read.
    pub(crate) fn plan_key(&self, key: &str) -> Option<Location> {
        self.plan.get(key).cloned()
    }

    /// Where a key of the `index`-th indicator was read (else the indicator's first row).
    pub(crate) fn indicator_key(&self, index: usize, key: &str) -> Option<Location> {
        self.indicators
            .get(index)
            .and_then(|m| m.get(key))
            .or_else(|| self.rows.get(index))
            .cloned()
    }
}

/// The Chinese (or English) word of an indicator's kind.
fn parse_kind(s: &str) -> Option<Kind> {
    match s.to_lowercase().as_str() {
        "水平" | "水平值" | "存量" | "level" => Some(Kind::Level),
        "累计" | "累计值" | "累积" | "cumulative" => Some(Kind::Cumulative),
        "年度" | "每年" | "年均" | "annual" => Some(Kind::Annual),
        _ => None,
    }
}

/// The word of a direction; empty is 提高 (increase).
fn parse_direction(s: &str) -> Option<Direction> {
    match s.to_lowercase().as_str() {
        "" | "提高" | "提升" | "增加" | "上升" | "increase" => Some(Direction::Increase),
        "降低" | "减少" | "下降" | "decrease" => Some(Direction::Decrease),
        "保持" | "维持" | "maintain" => Some(Direction::Maintain),
        _ => None,
    }
}

/// The word of a qualifier; empty is none.
fn parse_qualifier(s: &str) -> Option<Option<Qualifier>> {
    match s.to_lowercase().as_str() {
        "" => Some(None),
        "达到" | "以上" | "不低于" | "不少于" | "at_least" | "at least" => {
            Some(Some(Qualifier::AtLeast))
        }
        "超过" | "高于" | "above" => Some(Some(Qualifier::Above)),
        "力争" | "strive" => Some(Some(Qualifier::Strive)),
        "左右" | "约" | "about" => Some(Some(Qualifier::About)),
        _ => None,
    }
}

/// The unit code and display unit of a 单位 cell: `%` and `％` are `pct` shown as %,
/// `百分比` and `pct` are `pct` (no display unit); 人 persons, 人次 person_times, 个/所/家/项/次/场 count, 元/人
/// yuan_per_person, 小时 hours, 天 days, each kept as the display unit; a unit code is
/// taken as it is; any other word (万人, 万人次, 平方米 …) is `other` with the word kept.
///
/// `显示单位（code）` names both: `次/年（count）` is unit `count` shown as 次/年 (what
/// [`plans_table`] writes when the display word alone would read back as another code).
fn parse_unit(s: &str) -> (String, Option<String>) {
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(inner) = s.strip_suffix(close) {
            if let Some(i) = inner.rfind(open) {
                let code = inner[i + open.len_utf8()..].trim();
                let head = inner[..i].trim();
                if UNIT_CODES.contains(&code) && !head.is_empty() {
                    return (code.to_string(), Some(head.to_string()));
                }
            }
        }
    }
    let code = match s.to_lowercase().as_str() {
        "%" | "％" => return ("pct".into(), Some("%".into())),
        "百分比" | "pct" => return ("pct".into(), None),
        "persons" | "person_times" | "count" | "yuan_per_person" | "hours" | "days" | "other" => {
            return (s.to_lowercase(), None)
        }
        "人" | "名" => "persons",
        "人次" => "person_times",
        "个" | "所" | "家" | "项" | "次" | "场" | "座" | "处" => "count",
        "元/人" | "元每人" => "yuan_per_person",
        "小时" | "学时" => "hours",
        "天" | "日" => "days",
        _ => "other",
    };
    (code.into(), Some(s.to_string()))
}

/// The unit codes of the schema.
const UNIT_CODES: [&str; 8] = [
    "pct",
    "persons",
    "person_times",
    "count",
    "yuan_per_person",
    "hours",
    "days",
    "other",
];

/// The 单位 cell of an indicator: its display unit (else `%` for pct, else the code), with
/// the code in brackets when the word alone would read back as another unit
/// ([`parse_unit`]).
fn unit_word(ind: &PlanIndicator) -> String {
    let word = match &ind.unit_zh {
        Some(u) => u.clone(),
        None if ind.unit == "pct" => "%".into(),
        None => ind.unit.clone(),
    };
    // A percentage is written %, with or without its display unit (both show as %).
    let same_pct = ind.unit == "pct" && parse_unit(&word).0 == "pct";
    if same_pct || parse_unit(&word) == (ind.unit.clone(), ind.unit_zh.clone()) {
        word
    } else {
        format!("{word}（{}）", ind.unit)
    }
}

fn kind_word(k: Kind) -> &'static str {
    match k {
        Kind::Level => "水平",
        Kind::Cumulative => "累计",
        Kind::Annual => "年度",
    }
}

fn direction_word(d: Direction) -> &'static str {
    match d {
        Direction::Increase => "提高",
        Direction::Decrease => "降低",
        Direction::Maintain => "保持",
    }
}

/// The plan sheet of the plans whose jurisdiction `keep` passes: one row per target and
/// milestone, in the template's columns (sheet `方案`). Read back with `--plans`, it gives
/// the same plans (the English title, issue date, source and an indicator's own period are
/// TOML-only and left out).
pub fn plans_table(ds: &Dataset, keep: &dyn Fn(&str) -> bool) -> Table {
    let mut t = Table::new(COLUMNS.iter().map(|(zh, _, _)| *zh).collect());
    t.sheet_name = "方案".into();
    t.show_in_terminal(&[
        "地区",
        "指标名称",
        "类型",
        "单位",
        "基期年",
        "基期值",
        "目标年",
        "目标值",
        "限定词",
    ]);
    for p in ds.plans.iter().filter(|p| keep(&p.plan.jurisdiction)) {
        let m = &p.plan;
        for ind in &p.indicators {
            let mut dated = vec![Milestone {
                year: ind.target.year,
                value: ind.target.value,
                qualifier: ind.qualifier,
            }];
            dated.extend(ind.milestones.iter().copied());
            for d in dated {
                t.rows.push(vec![
                    Cell::text(&m.jurisdiction),
                    Cell::text(&m.title_zh),
                    Cell::text(m.issuer_zh.clone().unwrap_or_default()),
                    Cell::text(m.document_no.clone().unwrap_or_default()),
                    Cell::Int(m.period[0].into()),
                    Cell::Int(m.period[1].into()),
                    Cell::text(&ind.id),
                    Cell::text(&ind.name_zh),
                    Cell::text(kind_word(ind.kind)),
                    Cell::text(unit_word(ind)),
                    Cell::text(direction_word(ind.direction)),
                    Cell::opt_int(ind.baseline.map(|b| b.year)),
                    Cell::opt_num(ind.baseline.map(|b| b.value)),
                    Cell::Int(d.year.into()),
                    Cell::Num(d.value),
                    Cell::text(d.qualifier.map(Qualifier::word_zh).unwrap_or_default()),
                    Cell::text(ind.lead_zh.clone().unwrap_or_default()),
                    Cell::text(ind.note.clone().unwrap_or_default()),
                ]);
            }
        }
    }
    t
}

/// The example row of an empty template: the headline target of a 2021–2025 plan (公民具备
/// 科学素质的比例 from 9 % in 2020 to 12 % in 2025), for the user to overwrite.
fn example_table() -> Table {
    let mut t = Table::new(COLUMNS.iter().map(|(zh, _, _)| *zh).collect());
    t.sheet_name = "方案".into();
    t.rows.push(vec![
        Cell::text("150300"),
        Cell::text("乌海市全民科学素质行动规划纲要实施方案（2021—2025年）"),
        Cell::text("乌海市人民政府"),
        Cell::text(""),
        Cell::Int(2021),
        Cell::Int(2025),
        Cell::text(LITERACY_RATE),
        Cell::text("公民具备科学素质的比例"),
        Cell::text("水平"),
        Cell::text("%"),
        Cell::text("提高"),
        Cell::Int(2020),
        Cell::Num(9.0),
        Cell::Int(2025),
        Cell::Num(12.0),
        Cell::text("超过"),
        Cell::text("市科协"),
        Cell::text(""),
    ]);
    t
}

/// The explanation sheet (`说明`): each column, whether it is required, and the words
/// it accepts.
pub fn explanation_table() -> Table {
    let mut t = Table::new(vec!["列", "英文列名", "必填", "说明"]);
    t.sheet_name = "说明".into();
    let about: [(&str, &str); 18] = [
        ("是", "行政区划代码（如 150300）或名称（如 乌海市）。同一张表可写多个方案：地区与方案名称相同的行属于同一个方案。"),
        ("是", "方案（规划）全称，如 乌海市全民科学素质行动规划纲要实施方案（2021—2025年）。"),
        ("否", "印发方案的机关，如 乌海市人民政府。"),
        ("否", "发文字号，如 乌海政发〔2022〕2号；文件未写明则留空。"),
        ("是", "方案期的第一年，如 2021。"),
        ("是", "方案期的最后一年，如 2025。"),
        ("否", "指标的代码（英文小写加下划线，如 farmers_trained）；公民具备科学素质的比例为 literacy_rate。留空时以指标名称为代码。"),
        ("是", "指标名称，按方案原文，如 公民具备科学素质的比例。"),
        ("是", "水平（到目标年应达到的值，如比例、覆盖率）、累计（方案期内累计完成的总量）或 年度（方案期内每年应完成的量）。"),
        ("是", "%、百分比 为百分数（写 12 或 12%，不写 0.12）；人、人次、个、所、家、元/人、小时、天、万人 等照写。"),
        ("否", "提高、降低 或 保持；留空为提高。"),
        ("否", "方案写明的基期年份，如 2020；未写明则留空。"),
        ("否", "基期年份的数值，单位同上。"),
        ("是", "目标年份，如 2025。同一指标的另一个目标年（如 2035 年的远景目标）另起一行，其余列可留空或照抄：第一行为方案目标，其后各行为里程碑。"),
        ("是", "目标年应达到的数值，单位同上。"),
        ("否", "方案的措辞：达到、以上、不低于、不少于（均为“达到即完成”）、超过（须高于目标值）、力争、左右；留空为达到；里程碑行留空则沿用该指标第一行的措辞。"),
        ("否", "牵头部门，如 市科协。"),
        ("否", "备注。"),
    ];
    for ((zh, key, _), (required, text)) in COLUMNS.iter().zip(about) {
        t.rows.push(vec![
            Cell::text(*zh),
            Cell::text(*key),
            Cell::text(required),
            Cell::text(text),
        ]);
    }
    t
}

/// The fill-in template: sheet `方案` pre-filled with the plans of the jurisdictions
/// `keep` passes when `filtered` (`--jurisdiction`/`--level` given), else with one example
/// row; sheet `说明` explains the columns. CSV holds the first sheet only.
pub fn template(ds: &Dataset, keep: &dyn Fn(&str) -> bool, filtered: bool) -> [Table; 2] {
    let sheet = if filtered {
        plans_table(ds, keep)
    } else {
        example_table()
    };
    [sheet, explanation_table()]
}

/// The plan sheet as an XLSX workbook (the plans and the explanation sheet).
pub fn workbook(sheets: &[Table; 2]) -> Result<Vec<u8>> {
    crate::output::workbook_xlsx(&[&sheets[0], &sheets[1]])
}

/// One plan being read from the sheet.
struct Building {
    key: (String, String),
    plan: Plan,
    places: SheetPlaces,
    /// Each indicator's key (its code, else its name) and first row.
    indicator_rows: Vec<(String, u64)>,
}

/// Reads a plan sheet (the first sheet of a workbook, or a CSV) into its plans, with the
/// place of every key for messages. Every problem of the sheet is reported at once.
pub(crate) fn parse_plan_sheet(input: &Input) -> Result<Vec<(Plan, SheetPlaces)>> {
    let raw = match &input.content {
        Content::Text(text) => RawTable::from_csv(&input.label, text)?,
        Content::Table(t) => t.clone(),
    };
    let mut problems = Problems::default();
    let keys: Vec<Option<&'static str>> = raw.headers.iter().map(|h| canonical(h)).collect();
    let mut col: HashMap<&'static str, usize> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        let Some(k) = k else { continue };
        if col.insert(k, i).is_some() {
            problems.push(Error::input(
                raw.header_location(i),
                text!(
                    "列 {} 在表头中出现了两次；请只保留一列",
                    "column {} appears twice in the header; keep one",
                    header_zh(k)
                ),
            ));
        }
    }
    for k in REQUIRED {
        if !col.contains_key(k) {
            problems.push(Error::input(
                Location::at(&raw.label, raw.header_line),
                text!(
"缺少必需的列 {}（{k}）；方案表的列为 {}（用 `litmon plans --template -o 方案.xlsx` 可写出空表）",
"missing required column {} ({k}); a plan sheet has the columns {} (write `litmon plans --template -o 方案.xlsx` for an empty one)",
                    header_zh(k),
                    COLUMNS.map(|c| c.0).join(", ")
                ),
            ));
        }
    }
    std::mem::take(&mut problems).into_result()?;
    if raw.rows.is_empty() {
        return Err(Error::input(
            Location::at(&raw.label, raw.header_line),
            text!("表格有表头但没有方案行：表头下每个目标应占一行", "the sheet has a header but no plan rows: expected one row per target under the header"),
        ));
    }
    let c = |k: &str| col.get(k).copied();
    let text = |row: &RawRow, k: &str| c(k).map_or(String::new(), |i| row.text(i).to_string());
    let mut plans: Vec<Building> = Vec::new();
    let mut last_key: Option<(String, String)> = None;
    let mut last_indicator: Option<String> = None;
    for row in &raw.rows {
        // 地区 and 方案名称 may be merged cells: blank below a filled one continues it.
        let mut j = text(row, "jurisdiction");
        let mut title = text(row, "title");
        if let Some((lj, lt)) = &last_key {
            if j.is_empty() && title.is_empty() {
                j = lj.clone();
                title = lt.clone();
            }
        }
        let loc = |k: &str| raw.location(row, c(k).unwrap_or(0));
        if j.is_empty() || title.is_empty() {
            let k = if j.is_empty() {
                "jurisdiction"
            } else {
                "title"
            };
            problems.push(Error::input(
                loc(k),
                text!(
                    "应为本行所属方案的{}，实际为空单元格",
                    "expected the {} of the plan this row belongs to, found an empty cell",
                    header_zh(k)
                ),
            ));
            continue;
        }
        let key = (j.clone(), title.clone());
        if last_key.as_ref() != Some(&key) {
            last_indicator = None;
        }
        last_key = Some(key.clone());
        let index = match plans.iter().position(|b| b.key == key) {
            Some(i) => i,
            None => {
                let mut year = |k: &str| problems.check(raw.year(row, c(k).unwrap_or(0)));
                let (a, b) = (year("first_year"), year("last_year"));
                let opt = |k: &str| Some(text(row, k)).filter(|s| !s.is_empty());
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
                            jurisdiction: j.clone(),
                            title_zh: title.clone(),
                            title_en: None,
                            issuer_zh: opt("issuer"),
                            document_no: opt("document_no"),
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
        };
        let building = &mut plans[index];
        // Plan columns repeated on later rows must agree with the plan's first row.
        for (k, have) in [
            ("issuer", building.plan.plan.issuer_zh.clone()),
            ("document_no", building.plan.plan.document_no.clone()),
            ("first_year", Some(building.plan.plan.period[0].to_string())),
            ("last_year", Some(building.plan.plan.period[1].to_string())),
        ] {
            let v = text(row, k);
            let same = match k {
                "first_year" | "last_year" => {
                    raw.year(row, c(k).unwrap_or(0)).ok().map(|y| y.to_string()) == have
                }
                _ => Some(v.clone()) == have,
            };
            if !v.is_empty() && !same {
                problems.push(Error::input(
                    loc(k),
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
        // The indicator: its code, else its name; both blank continue the one above.
        let code = text(row, "indicator");
        let name = text(row, "name");
        let ind_key = if !code.is_empty() {
            code.clone()
        } else if !name.is_empty() {
            name.clone()
        } else if let Some(k) = &last_indicator {
            k.clone()
        } else {
            problems.push(Error::input(
                loc("name"),
                text!("指标在方案中的第一行应有指标名称，实际为空单元格", "expected an indicator name (指标名称) on the plan's first row of an indicator, found an empty cell"),
            ));
            continue;
        };
        last_indicator = Some(ind_key.clone());
        let target_year = problems.check(raw.year(row, c("target_year").unwrap_or(0)));
        let target_value = match problems.check(raw.number(row, c("target").unwrap_or(0))) {
            Some(Some(v)) => Some(v),
            Some(None) => {
                problems.push(Error::input(
                    loc("target"),
                    text!(
                        "应为目标值，如 12 或 12%，实际为空单元格",
                        "expected a target value (目标值) such as 12 or 12%, found an empty cell"
                    ),
                ));
                None
            }
            None => None,
        };
        let qualifier = match parse_qualifier(&text(row, "qualifier")) {
            Some(q) => q,
            None => {
                problems.push(Error::input(
                    loc("qualifier"),
                    text!(
"应为 达到、以上、不低于、不少于、超过、力争 或 左右（或空单元格），实际为 {}",
"expected 达到, 以上, 不低于, 不少于, 超过, 力争 or 左右 (or an empty cell), found {}",
                        crate::output::safety::echo(&text(row, "qualifier"))
                    ),
                ));
                None
            }
        };
        let existing = building
            .indicator_rows
            .iter()
            .position(|(k, _)| *k == ind_key);
        match existing {
            Some(i) => {
                // A further dated target of the indicator: a milestone.
                let (Some(year), Some(value)) = (target_year, target_value) else {
                    continue;
                };
                let ind = &mut building.plan.indicators[i];
                if ind.target.year == year || ind.milestones.iter().any(|m| m.year == year) {
                    problems.push(Error::input(
                        loc("target_year"),
                        text!(
"{} 已有 {year} 年的目标（第{}行）；同一指标的另一行需要另一个目标年",
"{} has a target for {year} already (row {}); a further row of an indicator needs another 目标年",
                            ind.name_zh, building.indicator_rows[i].1
                        ),
                    ));
                    continue;
                }
                for (k, ok) in [
                    (
                        "kind",
                        text(row, "kind").is_empty()
                            || parse_kind(&text(row, "kind")) == Some(ind.kind),
                    ),
                    (
                        "unit",
                        text(row, "unit").is_empty()
                            || parse_unit(&text(row, "unit")).0 == ind.unit,
                    ),
                    (
                        "direction",
                        text(row, "direction").is_empty()
                            || parse_direction(&text(row, "direction")) == Some(ind.direction),
                    ),
                ] {
                    if !ok {
                        problems.push(Error::input(
                            loc(k),
                            text!(
"应与该指标第一行（第{1}行）的{0}相同或为空单元格，实际为 {2}",
"expected the {} of the indicator's first row (row {}), or an empty cell, found {}",
                                header_zh(k),
                                building.indicator_rows[i].1,
                                crate::output::safety::echo(&text(row, k))
                            ),
                        ));
                    }
                }
                if ind.baseline.is_some_and(|b| b.year >= year) {
                    problems.push(Error::input(
                        loc("target_year"),
                        text!(
"目标年 {year} 不在基期年 {} 之后：里程碑应晚于基期",
"target year {year} is not after the baseline year {}: expected a milestone after the baseline",
                            ind.baseline.map_or(0, |b| b.year)
                        ),
                    ));
                    continue;
                }
                building.places.indicators[i].insert("milestones", loc("target_year"));
                ind.milestones.push(Milestone {
                    year,
                    value,
                    qualifier: qualifier.filter(|q| Some(*q) != ind.qualifier),
                });
            }
            None => {
                let kind_text = text(row, "kind");
                let kind = parse_kind(&kind_text);
                if kind.is_none() {
                    problems.push(Error::input(
                        loc("kind"),
                        {
                            let (found_zh, found) = if kind_text.is_empty() {
                                ("空单元格".to_string(), "an empty cell".to_string())
                            } else {
                                let e = crate::output::safety::echo(&kind_text);
                                (e.clone(), e)
                            };
                            text!(
                                "应为 水平、累计 或 年度（level、cumulative、annual），实际为 {found_zh}",
                                "expected 水平, 累计 or 年度 (level, cumulative, annual), found {found}"
                            )
                        },
                    ));
                }
                let dir_text = text(row, "direction");
                let direction = parse_direction(&dir_text);
                if direction.is_none() {
                    problems.push(Error::input(
                        loc("direction"),
                        text!(
                            "应为 提高、降低 或 保持（或空单元格），实际为 {}",
                            "expected 提高, 降低 or 保持 (or an empty cell), found {}",
                            crate::output::safety::echo(&dir_text)
                        ),
                    ));
                }
                let unit_text = text(row, "unit");
                if unit_text.is_empty() {
                    problems.push(Error::input(
                        loc("unit"),
                        text!(
                            "应为单位，如 %、人、人次 或 个，实际为空单元格",
                            "expected a unit (单位) such as %, 人, 人次 or 个, found an empty cell"
                        ),
                    ));
                }
                let (unit, unit_zh) = parse_unit(&unit_text);
                let base_year = text(row, "baseline_year");
                let base_value = c("baseline").map(|i| raw.number(row, i));
                let baseline = match (base_year.is_empty(), base_value) {
                    (true, None | Some(Ok(None))) => Some(None),
                    (false, Some(Ok(Some(v)))) => problems
                        .check(raw.year(row, c("baseline_year").unwrap_or(0)))
                        .map(|y| Some(YearValue { year: y, value: v })),
                    (_, Some(Err(e))) => {
                        problems.push(e);
                        None
                    }
                    (true, Some(Ok(Some(_)))) => {
                        problems.push(Error::input(
                            loc("baseline_year"),
                            text!("应有与基期值对应的基期年，实际为空单元格", "expected the baseline year (基期年) of the baseline value, found an empty cell"),
                        ));
                        None
                    }
                    (false, _) => {
                        problems.push(Error::input(
                            loc("baseline"),
                            text!("应有与基期年对应的基期值，实际为空单元格", "expected the baseline value (基期值) of the baseline year, found an empty cell"),
                        ));
                        None
                    }
                };
                let id = if !code.is_empty() {
                    code.clone()
                } else if name == "公民具备科学素质的比例" || name == "具备科学素质的比例"
                {
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
                    (kind, direction, baseline, target_year, target_value)
                else {
                    continue;
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
                        continue;
                    }
                }
                let opt = |k: &str| Some(text(row, k)).filter(|s| !s.is_empty());
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
                    if c(column).is_some() {
                        at.insert(key, loc(column));
                    }
                }
                building.places.indicators.push(at);
                building
                    .places
                    .rows
                    .push(Location::at(&raw.label, row.line));
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
                    qualifier,
                    lead_zh: opt("lead"),
                    note: opt("note"),
                    period: None,
                });
            }
        }
    }
    problems.into_result()?;
    Ok(plans.into_iter().map(|b| (b.plan, b.places)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_map_to_the_schema_values() {
        assert_eq!(parse_kind("累计"), Some(Kind::Cumulative));
        assert_eq!(parse_kind("年度"), Some(Kind::Annual));
        assert_eq!(parse_kind("水平"), Some(Kind::Level));
        assert_eq!(parse_kind("总量"), None);
        assert_eq!(parse_direction(""), Some(Direction::Increase));
        assert_eq!(parse_direction("降低"), Some(Direction::Decrease));
        assert_eq!(parse_qualifier("达到"), Some(Some(Qualifier::AtLeast)));
        assert_eq!(parse_qualifier("不低于"), Some(Some(Qualifier::AtLeast)));
        assert_eq!(parse_qualifier("超过"), Some(Some(Qualifier::Above)));
        assert_eq!(parse_qualifier("大约"), None);
        assert_eq!(parse_unit("百分比"), ("pct".to_string(), None));
        assert_eq!(parse_unit("％"), ("pct".to_string(), Some("%".to_string())));
        assert_eq!(
            parse_unit("万人"),
            ("other".to_string(), Some("万人".to_string()))
        );
        assert_eq!(
            parse_unit("人次"),
            ("person_times".to_string(), Some("人次".to_string()))
        );
    }

    #[test]
    fn english_and_chinese_headers_agree() {
        for (zh, key, en) in COLUMNS {
            assert_eq!(canonical(zh), Some(key));
            assert_eq!(canonical(key), Some(key));
            for e in en {
                assert_eq!(canonical(e), Some(key), "{e}");
            }
        }
        assert_eq!(canonical("目标值（%）"), Some("target"));
        assert_eq!(
            parse_unit("次/年（count）"),
            ("count".to_string(), Some("次/年".to_string()))
        );
        assert_eq!(
            parse_unit("%（pct）"),
            ("pct".to_string(), Some("%".to_string()))
        );
        assert_eq!(canonical("Target_Year"), Some("target_year"));
    }
}
