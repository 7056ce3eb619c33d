//! The tables of a report document: the status table, the final-evaluation table and a
//! plan's sub-indicator table, with the headings of the status tables.

use crate::assess::style::{pace_style, status_style};
use crate::assess::wording::{category_en, category_zh};
use crate::assess::AssessRow;
use crate::model::format::{amount, fixed_2dp, or_dash, share_percent};
use crate::model::{Kind, Qualifier};
use crate::output::termtable::{word, Words};
use crate::report::document::blocks::{
    column, text, wording, Badge, ColumnKind, Inline, Medium, ReportTable,
};
use crate::report::types::{PlanSection, Report};

/// The status table: every milestone of every jurisdiction.
pub(super) fn status_table(report: &Report, rows: &[AssessRow]) -> ReportTable {
    let zh = report.zh();
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
    let lang = report.lang;
    use ColumnKind::{Number, Text};
    let h = |s: &'static str| vec![wording(s)];
    let columns = vec![
        column(h(t("地区", "Jurisdiction")), 11, Text),
        column(h(t("基线（年）", "Baseline (year)")), 9, Number),
        column(h(t("最新（年）", "Latest (year)")), 9, Number),
        column(h(t("目标", "Target")), 10, Number),
        column(h(t("需年均", "Needed /yr")), 6, Number),
        column(h(t("实际年均", "Observed /yr")), 7, Number),
        column(h(t("官方分类", "Official category")), 12, Text),
        column(
            vec![
                wording(t("预测", "Projected")),
                Inline::Only(Medium::Html, vec![wording(t("或实测", " or measured"))]),
                wording(t("（80%区间）", " (80%)")),
            ],
            17,
            Number,
        ),
        column(h("P"), 6, Number),
        column(h(t("状态", "Status")), 13, Text),
    ];
    let rows = rows
        .iter()
        .map(|r| {
            let proj = match (r.projected, r.lo80, r.hi80) {
                (Some(p), Some(lo), Some(hi)) => format!("{p:.2}（{lo:.2}–{hi:.2}）"),
                (Some(p), _, _) if r.detail.measured => format!("{p:.2}"),
                _ => "—".into(),
            };
            let proj = if r.detail.measured {
                format!("{}{proj}", t("实测 ", "measured "))
            } else {
                proj
            };
            vec![
                vec![
                    text(&r.name_zh),
                    wording(" "),
                    Inline::Aside(r.jurisdiction.clone()),
                ],
                vec![wording(value_year(r.baseline, r.baseline_year))],
                vec![wording(value_year(r.latest, r.latest_year))],
                vec![wording(crate::assess::wording::target_text(
                    r.target_year,
                    r.target,
                    "",
                    r.detail.qualifier,
                    lang,
                ))],
                vec![wording(or_dash(r.required_per_year, fixed_2dp))],
                vec![wording(or_dash(r.observed_per_year, fixed_2dp))],
                vec![wording(
                    r.official_category
                        .map(|c| if zh { category_zh(c) } else { category_en(c) })
                        .unwrap_or("—"),
                )],
                vec![wording(proj)],
                vec![wording(or_dash(r.p_reach, fixed_2dp))],
                vec![Inline::Status(Badge::of(
                    status_style(r.status),
                    report.lang,
                ))],
            ]
        })
        .collect();
    ReportTable { columns, rows }
}

/// A plan's sub-indicators: target, done so far, time elapsed, pace needed, projection.
pub(super) fn progress_table(report: &Report, sec: &PlanSection) -> ReportTable {
    let zh = report.zh();
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
    let lang = report.lang;
    use ColumnKind::{Number, Text};
    let h = |s: &'static str| vec![wording(s)];
    let columns = vec![
        column(h(t("指标", "Indicator")), 22, Text),
        column(h(t("类型", "Kind")), 6, Text),
        column(h(t("目标", "Target")), 12, Number),
        column(h(t("已完成", "Done")), 9, Number),
        column(h(t("完成比例", "Share done")), 8, Number),
        column(h(t("时间进度", "Time elapsed")), 7, Number),
        column(h(t("此后每年需", "Needed /yr")), 7, Number),
        column(h(t("期末预计", "Projected end")), 8, Number),
        column(h(t("状态", "Status")), 8, Text),
        column(h(t("牵头单位", "Lead")), 13, Text),
    ];
    // The kind in the report's language (the words of the terminal tables).
    let kind = |k: Kind| {
        let local = word("kind", k.as_str(), Words::Pace, lang).unwrap_or(k.as_str());
        vec![wording(local)]
    };
    let rows = sec
        .progress
        .iter()
        .map(|r| {
            let unit = r.unit_zh.clone().unwrap_or_else(|| r.unit.clone());
            let name = if zh || r.name_en.is_empty() {
                &r.name_zh
            } else {
                &r.name_en
            };
            vec![
                vec![text(name)],
                kind(r.kind),
                vec![
                    text(Qualifier::phrase(r.qualifier, &amount(r.target), lang)),
                    wording(" "),
                    text(unit),
                ],
                vec![wording(or_dash(r.pace.done, amount))],
                vec![wording(or_dash(r.pace.share_done, share_percent))],
                vec![wording(share_percent(r.pace.share_elapsed))],
                vec![wording(or_dash(r.pace.required_per_year, amount))],
                vec![wording(or_dash(r.pace.projected_end, amount))],
                vec![Inline::Status(Badge::of(
                    pace_style(r.pace.status),
                    report.lang,
                ))],
                vec![text(r.lead_zh.as_deref().unwrap_or("—"))],
            ]
        })
        .collect();
    ReportTable { columns, rows }
}

/// Heading of the final-evaluation table (and its headline counts).
pub(super) fn final_heading(zh: bool, n: usize) -> String {
    if zh {
        format!("终期评估：目标年份已有调查值的目标（{n}项）")
    } else {
        format!("Final evaluation: targets whose year has been surveyed ({n})")
    }
}

/// Heading of the monitoring tables (and their headline counts).
pub(super) fn open_heading(zh: bool, n: usize) -> String {
    if zh {
        format!("进展监测：尚无目标年份调查值的目标（{n}项）")
    } else {
        format!("Monitoring: targets whose year has not been surveyed ({n})")
    }
}

/// The final-evaluation table: measured value and its 80 % survey interval against the
/// target, achieved or not, and P(true value met the target).
pub(super) fn final_table(report: &Report, rows: &[&AssessRow]) -> ReportTable {
    let zh = report.zh();
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
    use ColumnKind::{Number, Text};
    let h = |s: &'static str| vec![wording(s)];
    let columns = vec![
        column(h(t("地区", "Jurisdiction")), 16, Text),
        column(h(t("规划期", "Period")), 11, Number),
        column(h(t("目标", "Target")), 14, Number),
        column(h(t("实测值", "Measured")), 10, Number),
        column(h(t("80%区间", "80% interval")), 14, Number),
        column(h(t("基线（年）", "Baseline (year)")), 11, Number),
        column(h("P"), 8, Number),
        column(h(t("结论", "Verdict")), 16, Text),
    ];
    let rows = rows
        .iter()
        .map(|r| {
            let interval = match (r.lo80, r.hi80) {
                (Some(lo), Some(hi)) => format!("{lo:.2}–{hi:.2}"),
                _ => "—".into(),
            };
            vec![
                vec![
                    text(&r.name_zh),
                    wording(" "),
                    Inline::Aside(r.jurisdiction.clone()),
                ],
                vec![wording(format!(
                    "{}–{}",
                    r.detail.period[0], r.detail.period[1]
                ))],
                vec![wording(crate::assess::wording::target_text(
                    r.target_year,
                    r.target,
                    "",
                    r.detail.qualifier,
                    report.lang,
                ))],
                vec![wording(or_dash(r.projected, fixed_2dp))],
                vec![wording(interval)],
                vec![wording(value_year(r.baseline, r.baseline_year))],
                vec![wording(or_dash(r.p_reach, fixed_2dp))],
                vec![Inline::Status(Badge::of(
                    status_style(r.status),
                    report.lang,
                ))],
            ]
        })
        .collect();
    ReportTable { columns, rows }
}

/// A value with its year, `9.80（2022）`, or `—` when either is unknown.
fn value_year(v: Option<f64>, y: Option<i32>) -> String {
    match (v, y) {
        (Some(v), Some(y)) => format!("{v:.2}（{y}）"),
        _ => "—".into(),
    }
}
