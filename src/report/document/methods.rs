//! The methods section of a report document: notation, paces and official categories,
//! the fitted trend model (its own description), the status rule, several milestones and
//! sub-indicators, and the data sources.

use crate::model::Lang;
use crate::report::document::blocks::{
    only, para, section, wording, Block, Inline, ListStyle, Medium, ParagraphStyle, Section,
};
use crate::report::types::Report;

/// Section 4: methods and data sources.
pub(super) fn methods_section(report: &Report) -> Section {
    let t = |zh, en| report.words(zh, en);
    let rule = crate::assess::wording::status_rule_with(&report.rule, report.lang);
    // 4. Methods and data sources.
    let mut methods_section = section(t("四、方法说明", "4. Methods"));
    for p in methods(report) {
        methods_section
            .blocks
            .push(para(ParagraphStyle::Body, vec![wording(p)]));
    }
    let m = &report.model;
    methods_section
        .blocks
        .push(Block::Subheading(vec![wording(format!(
            "{}{}",
            t("趋势模型：", "Trend model: "),
            m.title
        ))]));
    methods_section.blocks.push(Block::List {
        style: ListStyle::Notes,
        items: m.equations.iter().map(|e| vec![wording(e)]).collect(),
    });
    methods_section.blocks.push(para(
        ParagraphStyle::Body,
        vec![wording(t(
            "本次拟合的超参数：",
            "Hyperparameters of this fit:",
        ))],
    ));
    methods_section.blocks.push(Block::List {
        style: ListStyle::Notes,
        items: m
            .hyperparameters
            .iter()
            .chain(&m.pooling)
            .map(|e| vec![wording(e)])
            .collect(),
    });
    methods_section
        .blocks
        .push(Block::Subheading(vec![wording(t(
            "状态判定规则",
            "Status rule",
        ))]));
    methods_section.blocks.push(Block::List {
        style: ListStyle::Notes,
        items: rule.iter().map(|e| vec![wording(e)]).collect(),
    });
    for p in methods_tail(report) {
        methods_section
            .blocks
            .push(para(ParagraphStyle::Body, vec![wording(p)]));
    }
    methods_section.blocks.push(only(
        Medium::Html,
        Block::Subheading(vec![wording(t("数据来源", "Data sources"))]),
    ));
    methods_section.blocks.push(only(
        Medium::Markdown,
        para(
            ParagraphStyle::Body,
            vec![wording(t("数据来源：", "Data sources:"))],
        ),
    ));
    methods_section.blocks.push(Block::List {
        style: ListStyle::References,
        items: report
            .sources
            .iter()
            .map(|s| vec![Inline::Reference(s.clone())])
            .collect(),
    });
    methods_section
}

/// The methods appendix before the trend model: notation, paces, official categories.
fn methods(report: &Report) -> Vec<String> {
    match report.lang {
        Lang::Zh => vec![
            "记号：基线y_b（b年），最新值y_t（t年），目标y*（T年）；logit(p)=ln(p/(1−p))，p为比例。".into(),
            "所需进度：年均(y*−y_b)/(T−b)个百分点；所需年均增长率CAGR=(y*/y_b)^(1/(T−b))−1；实际值同理由基线到最新值计算。".into(),
            "官方分类（Eurostat/Open SDG）：CAGR比值R=实际CAGR/所需CAGR，R≥0.95进度正常，0.60≤R<0.95需加快进度，0≤R<0.60进展有限，R<0出现倒退；进展比例(y_t−y_b)/(y*−y_b)（ESCAP）；UNSD ρ=(y_t(1+CAGR实际)^(T−t)−y_b)/(y*−y_b)。目标年份已有调查值时，官方分类与结论相同（已达标或未达标）。".into(),
        ],
        Lang::En => vec![
            "Notation: baseline y_b in year b, latest y_t in year t, target y* in year T; logit(p) = ln(p/(1−p)) on proportions.".into(),
            "Required pace: (y*−y_b)/(T−b) percentage points a year; required CAGR (y*/y_b)^(1/(T−b))−1; observed counterparts from baseline to latest.".into(),
            "Official categories (Eurostat / Open SDG): CAGR ratio R = CAGR_obs/CAGR_req; R ≥ 0.95 on track, 0.60–0.95 acceleration needed, 0–0.60 limited progress, < 0 deterioration. Progress share (y_t−y_b)/(y*−y_b) (ESCAP); UNSD ρ = (y_t(1+CAGR_obs)^(T−t)−y_b)/(y*−y_b). Once the target year has been surveyed, the official category is the verdict (achieved or not achieved).".into(),
        ],
    }
}

/// The methods appendix after the status rule: several milestones, sub-indicators.
fn methods_tail(report: &Report) -> Vec<String> {
    match report.lang {
        Lang::Zh => vec![
            "规划有多个目标年份（如2025、2030与2035年）时逐一评估：已有调查值的目标列入终期评估，其余按目标年份列入进展监测；各方案小节按规划期分别叙述。".into(),
            "分项指标：累计型=期内各年完成量之和/目标；每年型=每年应达到的最低量；水平型=最新水平相对基线的进展。时间进度=已过年数/方案年数；此后每年需=(目标−已完成)/剩余年数；期末预计按当前年均进度外推；状态按预计期末值/目标（≥0.95进度正常，0.60–0.95存在风险，<0.60明显滞后）；规划期结束后为已完成或未完成。".into(),
        ],
        Lang::En => vec![
            "Plans with several target years (e.g. 2025, 2030 and 2035) are assessed for each: surveyed targets in the final evaluation, the others by target year under monitoring; each plan period has its own section.".into(),
            "Sub-indicators: cumulative = sum of yearly amounts over the period / target; annual = a minimum every year; level = progress of the latest level from the baseline. Time elapsed = years elapsed / years of the plan; needed per year = (target − done) / years left; projected end at the current yearly pace; status by projected end / target (≥ 0.95 on track, 0.60–0.95 at risk, < 0.60 off track); once the period has ended, achieved or not achieved.".into(),
        ],
    }
}
