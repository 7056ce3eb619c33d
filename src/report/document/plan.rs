//! One plan's subsection of a report document: the plan's document, the narrative, the
//! trajectory chart, the sub-indicators' progress table and chart.

use crate::model::Lang;
use crate::report::document::blocks::{
    figure, only, para, text, wording, Block, Medium, ParagraphStyle, Section,
};
use crate::report::document::tables::progress_table;
use crate::report::types::{PlanSection, PlanStage, Report};

/// One plan's subsection: the plan's document, the narrative, the trajectory, the
/// sub-indicators' progress.
pub(super) fn plan_section(report: &Report, sec: &PlanSection, n: usize) -> Section {
    let t = |zh, en| report.words(zh, en);
    let period = format!(" · {}–{}", sec.period[0], sec.period[1]);
    let mut blocks = vec![only(
        Medium::Html,
        para(
            ParagraphStyle::Meta,
            vec![
                wording(t("方案：", "Plan: ")),
                text(
                    sec.document_no
                        .as_deref()
                        .or(sec.issuer.as_deref())
                        .unwrap_or(&sec.plan_title),
                ),
                wording(period.clone()),
            ],
        ),
    )];
    if let Some(no) = &sec.document_no {
        blocks.push(only(
            Medium::Markdown,
            para(
                ParagraphStyle::Body,
                vec![
                    wording(t("文号：", "Document: ")),
                    text(no),
                    wording(period),
                ],
            ),
        ));
    }
    if !sec.narrative.is_empty() {
        // One paragraph per milestone (final evaluations first, then the next target).
        blocks.push(Block::Narrative(
            sec.narrative.split("\n\n").map(str::to_string).collect(),
        ));
    }
    if let Some(f) = sec
        .trajectory
        .as_deref()
        .and_then(|stem| figure(report, stem, &sec.name))
    {
        blocks.push(f);
    }
    if !sec.progress.is_empty() {
        blocks.push(only(
            Medium::Html,
            Block::Subheading(vec![wording(t("分项指标进度", "Sub-indicator progress"))]),
        ));
        blocks.push(Block::Table(progress_table(report, sec)));
        if let Some(f) = sec
            .indicators_chart
            .as_deref()
            .and_then(|stem| figure(report, stem, &sec.name))
        {
            blocks.push(f);
        }
    }
    let stage = match sec.stage {
        PlanStage::Evaluated => t("终期评估", "final evaluation"),
        PlanStage::EndedAwaitingData => t(
            "规划期已结束，终期数据待发布",
            "period ended, final figure awaited",
        ),
        PlanStage::Running => t("监测", "monitoring"),
    };
    Section {
        heading: vec![
            wording(format!("{n}. ")),
            text(&sec.name),
            wording(" — "),
            text(&sec.plan_title),
            wording({
                // The period only where the title does not already state it.
                let [a, b] = sec.period;
                let named = [format!("{a}—{b}"), format!("{a}-{b}"), format!("{a}–{b}")]
                    .iter()
                    .any(|p| sec.plan_title.contains(p.as_str()));
                match (report.lang, named) {
                    (Lang::Zh, true) => format!("（{stage}）"),
                    (Lang::Zh, false) => format!("（{a}—{b}年，{stage}）"),
                    (Lang::En, true) => format!(" ({stage})"),
                    (Lang::En, false) => format!(" ({a}–{b}, {stage})"),
                }
            }),
        ],
        anchor: Some(format!("plan-{}", sec.jurisdiction)),
        blocks,
        subsections: Vec::new(),
    }
}
