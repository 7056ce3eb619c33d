//! Writing plans as a sheet: the plans table (sheet `方案`), the example row of an empty
//! template, the explanation sheet (`说明`) and the workbook.

use super::columns::COLUMNS;
use super::words::{direction_word, kind_word, unit_word};
use crate::error::Result;
use crate::model::{Dataset, Milestone, Qualifier, LITERACY_RATE};
use crate::output::{Cell, Table};

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
