//! The outline of a report document ([`build`]): the cover, then the five numbered sections —
//! status of every target, the plans, data quality, methods, traceability — each decided
//! once from the assessment.

use crate::assess::style::status_style;
use crate::assess::{AssessRow, Status};
use crate::model::format::{fixed_2dp, or_dash};
use crate::model::Lang;
use crate::report::document::blocks::{
    column, figure, only, para, section, text, wording, Badge, Block, ColumnKind, Document, Inline,
    ListStyle, Medium, ParagraphStyle, ReportTable, Section, StatusCount,
};
use crate::report::document::methods::methods_section;
use crate::report::document::plan::plan_section;
use crate::report::document::tables::{final_heading, final_table, open_heading, status_table};
use crate::report::types::{PlanStage, Report};

impl Report {
    /// The report as a document (sections, tables, figures, notes), ready for the HTML,
    /// Markdown and Word writers.
    pub fn document(&self) -> Document {
        build(self)
    }
}

/// The document of a report: every sentence, table and chart reference, decided once.
pub fn build(report: &Report) -> Document {
    Document {
        title: report.title(),
        lang: report.lang,
        cover: cover(report),
        sections: vec![
            status_section(report),
            plans_section(report),
            quality_section(report),
            methods_section(report),
            trace_section(report),
        ],
    }
}

/// The cover summary under the title: meta line, headline counts, places at risk, the
/// dashboard.
fn cover(report: &Report) -> Vec<Block> {
    let t = |zh, en| report.words(zh, en);
    let version = env!("CARGO_PKG_VERSION");
    // Cover summary.
    let mut cover = vec![para(
        ParagraphStyle::Meta,
        vec![
            wording(format!("{} {} · ", t("评估时点：", "As of"), report.as_of)),
            Inline::Only(
                Medium::Html,
                vec![wording(format!(
                    "{} {} · ",
                    t("评估地区数：", "jurisdictions assessed:"),
                    report.rows.len()
                ))],
            ),
            wording(format!("litmon {version}")),
        ],
    )];
    // Headline counts, each made from the rows of the table it heads (section 一).
    let final_rows = report.final_rows();
    let open_rows = report.open_rows();
    let counts = |rows: &[&AssessRow], keep: &dyn Fn(Status) -> bool| {
        Block::StatusCounts(
            Report::status_counts(rows)
                .into_iter()
                .filter(|&(s, n)| keep(s) || n > 0)
                .map(|(s, count)| StatusCount {
                    badge: Badge::of(status_style(s), report.lang),
                    count,
                })
                .collect(),
        )
    };
    // Each table's heading and counts: the statuses it always lists, the others when present.
    type Headline<'r> = (
        &'r [&'r AssessRow],
        fn(Lang, usize) -> String,
        fn(Status) -> bool,
    );
    let headlines: [Headline<'_>; 2] = [
        (&final_rows, final_heading, |s| {
            matches!(s, Status::Achieved | Status::NotAchieved)
        }),
        (&open_rows, open_heading, |s| s != Status::NotAchieved),
    ];
    for (rows, heading, keep) in headlines {
        if !rows.is_empty() {
            cover.push(para(
                ParagraphStyle::Body,
                vec![Inline::Strong(vec![wording(heading(
                    report.lang,
                    rows.len(),
                ))])],
            ));
            cover.push(counts(rows, &keep));
        }
    }
    let risk = report.at_risk();
    if !risk.is_empty() {
        let sep = t("、", "; ");
        let mut html = vec![Inline::Strong(vec![wording(t(
            "存在风险或明显滞后的地区：",
            "At risk or off track:",
        ))])];
        let mut markdown = vec![
            Inline::Strong(vec![wording(t(
                "存在风险或明显滞后：",
                "At risk or off track:",
            ))]),
            wording(" "),
        ];
        for (i, r) in risk.iter().enumerate() {
            if i > 0 {
                html.push(wording(sep));
                markdown.push(wording(sep));
            }
            html.push(text(&r.name_zh));
            html.push(wording(format!(
                "（P={}，{}）",
                or_dash(r.p_reach, fixed_2dp),
                status_style(r.status).label(report.lang)
            )));
            markdown.push(text(&r.name_zh));
            markdown.push(wording(format!("（P={}）", or_dash(r.p_reach, fixed_2dp))));
        }
        cover.push(only(Medium::Html, para(ParagraphStyle::Body, html)));
        cover.push(only(Medium::Markdown, para(ParagraphStyle::Body, markdown)));
    }
    if let Some(f) = figure(report, "dashboard", "dashboard") {
        cover.push(f);
    }
    cover
}

/// Section 1: the final evaluation of measured targets, then the targets still ahead by
/// year, then the context rows.
fn status_section(report: &Report) -> Section {
    let t = |zh, en| report.words(zh, en);
    let final_rows = report.final_rows();
    let open_rows = report.open_rows();
    // 1. Status of every milestone: the final evaluation of measured targets, then the
    // targets still ahead by year, each table under the rule that gave its statuses.
    let rule = crate::assess::wording::status_rule_with(&report.rule, report.lang);
    let mut status = section(t("一、各地达标状态", "1. Status of every target"));
    if !final_rows.is_empty() {
        status
            .blocks
            .push(Block::Subheading(vec![wording(final_heading(
                report.lang,
                final_rows.len(),
            ))]));
        status
            .blocks
            .push(Block::Table(final_table(report, &final_rows)));
        if let Some(f) = figure(report, "evaluation", "evaluation") {
            status.blocks.push(f);
        }
        status.blocks.push(para(
            ParagraphStyle::Meta,
            vec![wording(format!("{}{}", t("判定规则：", "Rule: "), rule[0]))],
        ));
    }
    if !open_rows.is_empty() {
        status
            .blocks
            .push(Block::Subheading(vec![wording(open_heading(
                report.lang,
                open_rows.len(),
            ))]));
        let mut years: Vec<i32> = open_rows.iter().map(|r| r.target_year).collect();
        years.dedup();
        for y in years {
            let rows: Vec<AssessRow> = open_rows
                .iter()
                .filter(|r| r.target_year == y)
                .map(|r| (*r).clone())
                .collect();
            let awaited = y <= report.as_of;
            status.blocks.push(para(
                ParagraphStyle::Body,
                vec![Inline::Strong(vec![wording(
                    match (report.lang, awaited) {
                        (Lang::Zh, true) => format!("{y}年目标（{y}年调查数据尚待发布）"),
                        (Lang::Zh, false) => format!("{y}年目标"),
                        (Lang::En, true) => {
                            format!("Targets for {y} (the {y} survey figure is awaited)")
                        }
                        (Lang::En, false) => format!("Targets for {y}"),
                    },
                )])],
            ));
            status
                .blocks
                .push(Block::Table(status_table(report, &rows)));
        }
        status.blocks.push(para(
            ParagraphStyle::Meta,
            vec![wording(format!("{}{}", t("判定规则：", "Rule: "), rule[1]))],
        ));
    }
    if !report.context_rows.is_empty() {
        status.blocks.push(Block::Subheading(vec![wording(t(
            "上级地区（仅供参照，不计入上述统计）",
            "Higher levels (context only, not counted above)",
        ))]));
        status
            .blocks
            .push(Block::Table(status_table(report, &report.context_rows)));
    }
    status
}

/// Section 2: one subsection per plan.
fn plans_section(report: &Report) -> Section {
    let t = |zh, en| report.words(zh, en);
    // 2. One subsection per plan.
    let mut plans = section(t("二、各实施方案", "2. Plans"));
    let ended = report
        .sections
        .iter()
        .filter(|s| s.stage != PlanStage::Running)
        .count();
    if ended > 0 && ended < report.sections.len() {
        plans.blocks.push(para(
            ParagraphStyle::Body,
            vec![wording({
                let n = report.sections.len();
                let span = |a: usize, b: usize| match (a == b, report.lang) {
                    (true, _) => format!("{a}"),
                    (false, Lang::Zh) => format!("{a}—{b}"),
                    (false, Lang::En) => format!("{a}–{b}"),
                };
                match report.lang {
                    Lang::Zh => format!(
                        "第{}节为已结束规划期的终期评估，第{}节为正在实施或即将实施的规划期及其后续目标。",
                        span(1, ended),
                        span(ended + 1, n)
                    ),
                    Lang::En => format!(
                        "Section {} evaluates the plan periods that have ended; section {} monitors the periods running or about to start and their next targets.",
                        span(1, ended),
                        span(ended + 1, n)
                    ),
                }
            })],
        ));
    }
    let mut anchors = std::collections::BTreeSet::new();
    for (i, sec) in report.sections.iter().enumerate() {
        let mut sub = plan_section(report, sec, i + 1);
        // A place with two plans (2021–2025 and 2026–2030): the second anchor names its period.
        if let Some(a) = &sub.anchor {
            if !anchors.insert(a.clone()) {
                let a = format!("{a}-{}", sec.period[0]);
                anchors.insert(a.clone());
                sub.anchor = Some(a);
            }
        }
        plans.subsections.push(sub);
    }
    plans
}

/// Section 3: the data-quality notes.
fn quality_section(report: &Report) -> Section {
    let t = |zh, en| report.words(zh, en);
    // 3. Data quality.
    let mut quality = section(t("三、数据质量", "3. Data quality"));
    quality.blocks.push(Block::List {
        style: ListStyle::Notes,
        items: report.quality.iter().map(|q| vec![text(q)]).collect(),
    });
    quality
}

/// Section 5: version, as-of and the checksum of every input read.
fn trace_section(report: &Report) -> Section {
    let t = |zh, en| report.words(zh, en);
    let version = env!("CARGO_PKG_VERSION");
    // 5. Traceability: version, as-of and the checksum of every input read.
    let mut trace = section(t("五、可追溯信息", "5. Traceability"));
    trace.blocks.push(para(
        ParagraphStyle::Body,
        vec![wording(format!(
            "litmon {version} · {} {}",
            t("评估时点", "as of"),
            report.as_of
        ))],
    ));
    trace.blocks.push(Block::Table(ReportTable {
        columns: vec![
            column(vec![wording(t("输入数据", "Input"))], 38, ColumnKind::Mono),
            column(vec![wording("SHA-256")], 52, ColumnKind::Mono),
            column(vec![wording(t("字节", "Bytes"))], 10, ColumnKind::Number),
        ],
        rows: report
            .inputs
            .iter()
            .map(|i| {
                vec![
                    vec![text(&i.what)],
                    vec![Inline::Code(i.sha256.clone())],
                    vec![wording(i.bytes.to_string())],
                ]
            })
            .collect(),
    }));
    trace
}
