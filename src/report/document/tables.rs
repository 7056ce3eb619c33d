//! The tables of a report document: the status table, the final-evaluation table and a
//! plan's sub-indicator table, with the headings of the status tables.

use crate::assess::style::{pace_style, status_style};
use crate::assess::wording::{category_en, category_zh};
use crate::assess::AssessRow;
use crate::model::format::{amount, fixed_2dp, or_dash, share_percent};
use crate::model::{name_in, Kind, Lang, Qualifier};
use crate::output::termtable::{word, Words};
use crate::report::document::blocks::{
    column, text, wording, Badge, Column, ColumnKind, Inline, Medium, ReportTable,
};
use crate::report::types::{PlanSection, Report};

/// The status table: every milestone of every jurisdiction.
pub(super) fn status_table(report: &Report, rows: &[AssessRow]) -> ReportTable {
    let lang = report.lang;
    let t = |zh, en| pick(lang, zh, en);
    use ColumnKind::{Number, Text};
    let mut columns = header_columns(
        lang,
        &[
            ("地区", "Jurisdiction", 11, Text),
            ("基线（年）", "Baseline (year)", 9, Number),
            ("最新（年）", "Latest (year)", 9, Number),
            ("目标", "Target", 10, Number),
            ("需年均", "Needed /yr", 6, Number),
            ("实际年均", "Observed /yr", 7, Number),
            ("官方分类", "Official category", 12, Text),
        ],
    );
    columns.push(column(
        vec![
            wording(t("预测", "Projected")),
            Inline::Only(Medium::Html, vec![wording(t("或实测", " or measured"))]),
            wording(t("（80%区间）", " (80%)")),
        ],
        17,
        Number,
    ));
    columns.extend(header_columns(
        lang,
        &[("P", "P", 6, Number), ("状态", "Status", 13, Text)],
    ));
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
                place_cell(r),
                vec![wording(value_year(r.baseline, r.baseline_year))],
                vec![wording(value_year(r.latest, r.latest_year))],
                target_cell(r, lang),
                vec![wording(or_dash(r.required_per_year, fixed_2dp))],
                vec![wording(or_dash(r.observed_per_year, fixed_2dp))],
                vec![wording(
                    r.official_category
                        .map(|c| pick(lang, category_zh(c), category_en(c)))
                        .unwrap_or("—"),
                )],
                vec![wording(proj)],
                vec![wording(or_dash(r.p_reach, fixed_2dp))],
                status_cell(r, report.lang),
            ]
        })
        .collect();
    ReportTable { columns, rows }
}

/// A plan's sub-indicators: target, done so far, time elapsed, pace needed, projection.
pub(super) fn progress_table(report: &Report, sec: &PlanSection) -> ReportTable {
    let lang = report.lang;
    use ColumnKind::{Number, Text};
    let columns = header_columns(
        lang,
        &[
            ("指标", "Indicator", 22, Text),
            ("类型", "Kind", 6, Text),
            ("目标", "Target", 12, Number),
            ("已完成", "Done", 9, Number),
            ("完成比例", "Share done", 8, Number),
            ("时间进度", "Time elapsed", 7, Number),
            ("此后每年需", "Needed /yr", 7, Number),
            ("期末预计", "Projected end", 8, Number),
            ("状态", "Status", 8, Text),
            ("牵头单位", "Lead", 13, Text),
        ],
    );
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
            let name = name_in(lang, &r.name_zh, &r.name_en);
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
pub(super) fn final_heading(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("终期评估：目标年份已有调查值的目标（{n}项）"),
        Lang::En => format!("Final evaluation: targets whose year has been surveyed ({n})"),
    }
}

/// Heading of the monitoring tables (and their headline counts).
pub(super) fn open_heading(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("进展监测：尚无目标年份调查值的目标（{n}项）"),
        Lang::En => format!("Monitoring: targets whose year has not been surveyed ({n})"),
    }
}

/// The final-evaluation table: measured value and its 80 % survey interval against the
/// target, achieved or not, and P(true value met the target).
pub(super) fn final_table(report: &Report, rows: &[&AssessRow]) -> ReportTable {
    use ColumnKind::{Number, Text};
    let columns = header_columns(
        report.lang,
        &[
            ("地区", "Jurisdiction", 16, Text),
            ("规划期", "Period", 11, Number),
            ("目标", "Target", 14, Number),
            ("实测值", "Measured", 10, Number),
            ("80%区间", "80% interval", 14, Number),
            ("基线（年）", "Baseline (year)", 11, Number),
            ("P", "P", 8, Number),
            ("结论", "Verdict", 16, Text),
        ],
    );
    let rows = rows
        .iter()
        .map(|r| {
            let interval = match (r.lo80, r.hi80) {
                (Some(lo), Some(hi)) => format!("{lo:.2}–{hi:.2}"),
                _ => "—".into(),
            };
            vec![
                place_cell(r),
                vec![wording(format!(
                    "{}–{}",
                    r.detail.period[0], r.detail.period[1]
                ))],
                target_cell(r, report.lang),
                vec![wording(or_dash(r.projected, fixed_2dp))],
                vec![wording(interval)],
                vec![wording(value_year(r.baseline, r.baseline_year))],
                vec![wording(or_dash(r.p_reach, fixed_2dp))],
                status_cell(r, report.lang),
            ]
        })
        .collect();
    ReportTable { columns, rows }
}

/// A row's place: its Chinese name and, aside, its code.
fn place_cell(r: &AssessRow) -> Vec<Inline> {
    vec![
        text(&r.name_zh),
        wording(" "),
        Inline::Aside(r.jurisdiction.clone()),
    ]
}

/// A row's target as the plan words it (「2025年超过15」, "above 15 by 2025").
fn target_cell(r: &AssessRow, lang: Lang) -> Vec<Inline> {
    vec![wording(crate::assess::wording::target_text(
        r.target_year,
        r.target,
        "",
        r.detail.qualifier,
        lang,
    ))]
}

/// A row's status badge.
fn status_cell(r: &AssessRow, lang: Lang) -> Vec<Inline> {
    vec![Inline::Status(Badge::of(status_style(r.status), lang))]
}

/// A column whose header is one run of words: Chinese, English, width (percent of the
/// table), what its cells hold.
type Header = (&'static str, &'static str, u8, ColumnKind);

/// The columns of `headers`, their words in `lang`.
fn header_columns(lang: Lang, headers: &[Header]) -> Vec<Column> {
    headers
        .iter()
        .map(|&(zh, en, width, kind)| column(vec![wording(pick(lang, zh, en))], width, kind))
        .collect()
}

/// The words of `lang` among a Chinese and an English one.
fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A value with its year, `9.80（2022）`, or `—` when either is unknown.
fn value_year(v: Option<f64>, y: Option<i32>) -> String {
    match (v, y) {
        (Some(v), Some(y)) => format!("{v:.2}（{y}）"),
        _ => "—".into(),
    }
}
