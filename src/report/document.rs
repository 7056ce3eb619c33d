//! The report as one document value: a title, a cover summary and numbered sections of
//! blocks (paragraphs, tables, figures, notes, lists) made of inline runs. [`build`] makes
//! every content decision once, from the assessment; the writers only lay it out:
//! [`Document::to_html`] through the auto-escaping maud templates of `html.rs`,
//! [`Document::to_markdown`] through the Markdown writer of `markdown.rs`,
//! [`Document::to_docx`] through the WordprocessingML writer of `docx.rs`.
//!
//! Where report.html and report.md have always said different things (the HTML cover
//! counts the jurisdictions, its status table's header says "projected or measured", its
//! sub-indicator table translates the kind, the plan line names the document number or else
//! the issuer…), the difference is explicit in the document as [`Block::Only`] or
//! [`Inline::Only`], so that the refactor leaves both files as they were; unifying them is a
//! decision for the report's readers, not for this module.

use crate::assess::style::{pace_style, status_style, StatusStyle};
use crate::assess::{AssessRow, Status};
use crate::model::{Kind, Lang, Qualifier};

use super::{PlanSection, PlanStage, Report};
use crate::model::format::{amount, fixed_2dp, or_dash, share_percent};

/// The writer a piece of content is meant for (see [`Block::Only`] and [`Inline::Only`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    /// report.html.
    Html,
    /// report.md.
    Markdown,
}

/// The whole report as a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The title (litmon's own wording: the kind of evaluation and the as-of year).
    pub title: String,
    /// Language of the text (`lang` of the HTML page).
    pub lang: Lang,
    /// The cover summary under the title: meta line, status counts, jurisdictions at
    /// risk, the dashboard.
    pub cover: Vec<Block>,
    /// The numbered sections.
    pub sections: Vec<Section>,
}

/// A section: a heading, its blocks, then its subsections (the plan sections).
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading's text.
    pub heading: Vec<Inline>,
    /// An anchor for links into the section (HTML `id`), if any.
    pub anchor: Option<String>,
    /// The section's content, in order.
    pub blocks: Vec<Block>,
    /// Subsections, after the blocks.
    pub subsections: Vec<Section>,
}

/// A block of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph.
    Paragraph {
        /// How it reads: body text or a secondary meta line.
        style: ParagraphStyle,
        /// Its text.
        content: Vec<Inline>,
    },
    /// The evaluation's narrative, one paragraph per milestone (text from the inputs: it
    /// names places and plans). Markdown writes it as one paragraph.
    Narrative(Vec<String>),
    /// A minor heading inside a section.
    Subheading(Vec<Inline>),
    /// How many jurisdictions have each status (the cover's badges).
    StatusCounts(Vec<StatusCount>),
    /// A bulleted list.
    List {
        /// What the items are.
        style: ListStyle,
        /// One run of inlines per item.
        items: Vec<Vec<Inline>>,
    },
    /// A table.
    Table(ReportTable),
    /// A chart.
    Figure(Figure),
    /// Content that only one writer shows.
    Only(Medium, Box<Block>),
}

/// How a paragraph reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphStyle {
    /// Body text.
    Body,
    /// A secondary line (as-of date, plan document, reading notes), set small and grey.
    Meta,
}

/// What the items of a list are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStyle {
    /// Notes in words (data quality).
    Notes,
    /// References: citations and web addresses, set in a monospaced font.
    References,
}

/// A run of text inside a block.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text that comes from the inputs (names, titles, document numbers, notes): escaped
    /// by every writer so that it always reads as the text it is.
    Text(String),
    /// litmon's own wording and numbers: escaped for HTML by the template engine, written
    /// as is in Markdown (it holds no markup).
    Wording(String),
    /// Emphasised text.
    Strong(Vec<Inline>),
    /// A secondary remark beside the main text (a jurisdiction's code): HTML sets it small
    /// and grey, Markdown writes it as text.
    Aside(String),
    /// A status with its symbol and colour.
    Status(Badge),
    /// A machine value (a checksum): code in Markdown; HTML relies on its column's
    /// monospaced font.
    Code(String),
    /// A source: a plain http(s) address becomes a Markdown autolink; otherwise, and in
    /// HTML, escaped text.
    Reference(String),
    /// Text that only one writer shows.
    Only(Medium, Vec<Inline>),
}

/// A status as the report shows it: symbol (the chart marker's shape), words, colour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    /// A text symbol carrying the marker's shape.
    pub symbol: &'static str,
    /// The status in words, in the report's language.
    pub label: &'static str,
    /// `#rrggbb`.
    pub colour: &'static str,
}

impl Badge {
    fn of(style: StatusStyle, zh: bool) -> Badge {
        Badge {
            symbol: style.symbol,
            label: style.label(zh),
            colour: style.hex,
        }
    }
}

/// A status with the number of jurisdictions that have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCount {
    /// The status.
    pub badge: Badge,
    /// How many jurisdictions have it.
    pub count: usize,
}

/// A table of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTable {
    /// The columns.
    pub columns: Vec<Column>,
    /// Rows of cells, one run of inlines per column.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// A column of a [`ReportTable`].
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The header.
    pub header: Vec<Inline>,
    /// Share of the table's width, in percent (the printed page has a fixed layout).
    pub width_percent: u8,
    /// What its cells hold.
    pub kind: ColumnKind,
}

/// What the cells of a column hold, which sets their alignment and font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Words, left-aligned.
    Text,
    /// Numbers, right-aligned in tabular figures.
    Number,
    /// Machine values (file descriptions, checksums) in a monospaced font.
    Mono,
}

/// A chart of the report, written as `charts/<stem>.png|svg`.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// File stem under `charts/`.
    pub stem: String,
    /// The chart's title (the HTML figure's accessible name).
    pub title: String,
    /// Short alternative text (Markdown's image text; input text, escaped).
    pub alt: String,
    /// The chart as SVG, inlined by HTML.
    pub svg: String,
}

impl Document {
    /// report.html: one self-contained page; `embed_font` inlines the bundled CJK font.
    pub fn to_html(&self, embed_font: bool) -> String {
        super::html::render(self, embed_font)
    }

    /// report.md, with the charts linked as `charts/<stem>.png`.
    pub fn to_markdown(&self) -> String {
        super::markdown::render(self)
    }

    /// report.docx, with `charts` (the PNGs of `charts/`) as inline pictures.
    pub fn to_docx(&self, charts: &[super::docx::ChartPng<'_>]) -> crate::error::Result<Vec<u8>> {
        super::docx::render(self, charts)
    }
}

fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

fn wording(s: impl Into<String>) -> Inline {
    Inline::Wording(s.into())
}

fn para(style: ParagraphStyle, content: Vec<Inline>) -> Block {
    Block::Paragraph { style, content }
}

fn only(m: Medium, b: Block) -> Block {
    Block::Only(m, Box::new(b))
}

fn section(heading: &str) -> Section {
    Section {
        heading: vec![wording(heading)],
        anchor: None,
        blocks: Vec::new(),
        subsections: Vec::new(),
    }
}

fn column(header: Vec<Inline>, width_percent: u8, kind: ColumnKind) -> Column {
    Column {
        header,
        width_percent,
        kind,
    }
}

/// The document of a report: every sentence, table and chart reference, decided once.
pub fn build(report: &Report) -> Document {
    let zh = report.zh();
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
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
                    badge: Badge::of(status_style(s), zh),
                    count,
                })
                .collect(),
        )
    };
    if !final_rows.is_empty() {
        cover.push(para(
            ParagraphStyle::Body,
            vec![Inline::Strong(vec![wording(final_heading(
                zh,
                final_rows.len(),
            ))])],
        ));
        cover.push(counts(&final_rows, &|s| {
            matches!(s, Status::Achieved | Status::NotAchieved)
        }));
    }
    if !open_rows.is_empty() {
        cover.push(para(
            ParagraphStyle::Body,
            vec![Inline::Strong(vec![wording(open_heading(
                zh,
                open_rows.len(),
            ))])],
        ));
        cover.push(counts(&open_rows, &|s| s != Status::NotAchieved));
    }
    let risk = report.at_risk();
    if !risk.is_empty() {
        let sep = if zh { "、" } else { "; " };
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
                status_style(r.status).label(zh)
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

    // 1. Status of every milestone: the final evaluation of measured targets, then the
    // targets still ahead by year, each table under the rule that gave its statuses.
    let rule = crate::assess::wording::status_rule_with(&report.rule, report.lang);
    let mut status = section(t("一、各地达标状态", "1. Status of every target"));
    if !final_rows.is_empty() {
        status
            .blocks
            .push(Block::Subheading(vec![wording(final_heading(
                zh,
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
                zh,
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
                vec![Inline::Strong(vec![wording(match (zh, awaited) {
                    (true, true) => format!("{y}年目标（{y}年调查数据尚待发布）"),
                    (true, false) => format!("{y}年目标"),
                    (false, true) => format!("Targets for {y} (the {y} survey figure is awaited)"),
                    (false, false) => format!("Targets for {y}"),
                })])],
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
                let span = |a: usize, b: usize| match (a == b, zh) {
                    (true, _) => format!("{a}"),
                    (false, true) => format!("{a}—{b}"),
                    (false, false) => format!("{a}–{b}"),
                };
                if zh {
                    format!(
                        "第{}节为已结束规划期的终期评估，第{}节为正在实施或即将实施的规划期及其后续目标。",
                        span(1, ended),
                        span(ended + 1, n)
                    )
                } else {
                    format!(
                        "Section {} evaluates the plan periods that have ended; section {} monitors the periods running or about to start and their next targets.",
                        span(1, ended),
                        span(ended + 1, n)
                    )
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

    // 3. Data quality.
    let mut quality = section(t("三、数据质量", "3. Data quality"));
    quality.blocks.push(Block::List {
        style: ListStyle::Notes,
        items: report.quality.iter().map(|q| vec![text(q)]).collect(),
    });

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

    Document {
        title: report.title(),
        lang: report.lang,
        cover,
        sections: vec![status, plans, quality, methods_section, trace],
    }
}

/// The chart `stem` of the report as a figure, if the report has it.
fn figure(report: &Report, stem: &str, alt: &str) -> Option<Block> {
    report.charts.iter().find(|c| c.stem == stem).map(|c| {
        Block::Figure(Figure {
            stem: c.stem.clone(),
            title: c.title.clone(),
            alt: alt.to_string(),
            svg: c.svg.text.clone(),
        })
    })
}

/// The status table: every milestone of every jurisdiction.
fn status_table(report: &Report, rows: &[AssessRow]) -> ReportTable {
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
    let yr = |v: Option<f64>, y: Option<i32>| match (v, y) {
        (Some(v), Some(y)) => format!("{v:.2}（{y}）"),
        _ => "—".into(),
    };
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
                vec![wording(yr(r.baseline, r.baseline_year))],
                vec![wording(yr(r.latest, r.latest_year))],
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
                        .map(|c| {
                            if zh {
                                super::narrative::category_zh(c)
                            } else {
                                super::narrative::category_en(c)
                            }
                        })
                        .unwrap_or("—"),
                )],
                vec![wording(proj)],
                vec![wording(or_dash(r.p_reach, fixed_2dp))],
                vec![Inline::Status(Badge::of(status_style(r.status), zh))],
            ]
        })
        .collect();
    ReportTable { columns, rows }
}

/// One plan's subsection: the plan's document, the narrative, the trajectory, the
/// sub-indicators' progress.
fn plan_section(report: &Report, sec: &PlanSection, n: usize) -> Section {
    let zh = report.zh();
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
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
    let stage = match (sec.stage, zh) {
        (PlanStage::Evaluated, true) => "终期评估",
        (PlanStage::EndedAwaitingData, true) => "规划期已结束，终期数据待发布",
        (PlanStage::Running, true) => "监测",
        (PlanStage::Evaluated, false) => "final evaluation",
        (PlanStage::EndedAwaitingData, false) => "period ended, final figure awaited",
        (PlanStage::Running, false) => "monitoring",
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
                match (zh, named) {
                    (true, true) => format!("（{stage}）"),
                    (true, false) => format!("（{a}—{b}年，{stage}）"),
                    (false, true) => format!(" ({stage})"),
                    (false, false) => format!(" ({a}–{b}, {stage})"),
                }
            }),
        ],
        anchor: Some(format!("plan-{}", sec.jurisdiction)),
        blocks,
        subsections: Vec::new(),
    }
}

/// A plan's sub-indicators: target, done so far, time elapsed, pace needed, projection.
fn progress_table(report: &Report, sec: &PlanSection) -> ReportTable {
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
        let local = match (k, zh) {
            (Kind::Level, true) => "水平",
            (Kind::Cumulative, true) => "累计",
            (Kind::Annual, true) => "年度",
            (k, false) => k.as_str(),
        };
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
                vec![Inline::Status(Badge::of(pace_style(r.pace.status), zh))],
                vec![text(r.lead_zh.as_deref().unwrap_or("—"))],
            ]
        })
        .collect();
    ReportTable { columns, rows }
}

/// Heading of the final-evaluation table (and its headline counts).
fn final_heading(zh: bool, n: usize) -> String {
    if zh {
        format!("终期评估：目标年份已有调查值的目标（{n}项）")
    } else {
        format!("Final evaluation: targets whose year has been surveyed ({n})")
    }
}

/// Heading of the monitoring tables (and their headline counts).
fn open_heading(zh: bool, n: usize) -> String {
    if zh {
        format!("进展监测：尚无目标年份调查值的目标（{n}项）")
    } else {
        format!("Monitoring: targets whose year has not been surveyed ({n})")
    }
}

/// The final-evaluation table: measured value and its 80 % survey interval against the
/// target, achieved or not, and P(true value met the target).
fn final_table(report: &Report, rows: &[&AssessRow]) -> ReportTable {
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
                vec![wording(match (r.baseline, r.baseline_year) {
                    (Some(v), Some(y)) => format!("{v:.2}（{y}）"),
                    _ => "—".into(),
                })],
                vec![wording(or_dash(r.p_reach, fixed_2dp))],
                vec![Inline::Status(Badge::of(status_style(r.status), zh))],
            ]
        })
        .collect();
    ReportTable { columns, rows }
}

/// The methods appendix before the trend model: notation, paces, official categories.
fn methods(report: &Report) -> Vec<String> {
    if report.zh() {
        vec![
            "记号：基线y_b（b年），最新值y_t（t年），目标y*（T年）；logit(p)=ln(p/(1−p))，p为比例。".into(),
            "所需进度：年均(y*−y_b)/(T−b)个百分点；所需年均增长率CAGR=(y*/y_b)^(1/(T−b))−1；实际值同理由基线到最新值计算。".into(),
            "官方分类（Eurostat/Open SDG）：CAGR比值R=实际CAGR/所需CAGR，R≥0.95进度正常，0.60≤R<0.95需加快进度，0≤R<0.60进展有限，R<0出现倒退；进展比例(y_t−y_b)/(y*−y_b)（ESCAP）；UNSD ρ=(y_t(1+CAGR实际)^(T−t)−y_b)/(y*−y_b)。目标年份已有调查值时，官方分类与结论相同（已达标或未达标）。".into(),
        ]
    } else {
        vec![
            "Notation: baseline y_b in year b, latest y_t in year t, target y* in year T; logit(p) = ln(p/(1−p)) on proportions.".into(),
            "Required pace: (y*−y_b)/(T−b) percentage points a year; required CAGR (y*/y_b)^(1/(T−b))−1; observed counterparts from baseline to latest.".into(),
            "Official categories (Eurostat / Open SDG): CAGR ratio R = CAGR_obs/CAGR_req; R ≥ 0.95 on track, 0.60–0.95 acceleration needed, 0–0.60 limited progress, < 0 deterioration. Progress share (y_t−y_b)/(y*−y_b) (ESCAP); UNSD ρ = (y_t(1+CAGR_obs)^(T−t)−y_b)/(y*−y_b). Once the target year has been surveyed, the official category is the verdict (achieved or not achieved).".into(),
        ]
    }
}

/// The methods appendix after the status rule: several milestones, sub-indicators.
fn methods_tail(report: &Report) -> Vec<String> {
    if report.zh() {
        vec![
            "规划有多个目标年份（如2025、2030与2035年）时逐一评估：已有调查值的目标列入终期评估，其余按目标年份列入进展监测；各方案小节按规划期分别叙述。".into(),
            "分项指标：累计型=期内各年完成量之和/目标；每年型=每年应达到的最低量；水平型=最新水平相对基线的进展。时间进度=已过年数/方案年数；此后每年需=(目标−已完成)/剩余年数；期末预计按当前年均进度外推；状态按预计期末值/目标（≥0.95进度正常，0.60–0.95存在风险，<0.60明显滞后）；规划期结束后为已完成或未完成。".into(),
        ]
    } else {
        vec![
            "Plans with several target years (e.g. 2025, 2030 and 2035) are assessed for each: surveyed targets in the final evaluation, the others by target year under monitoring; each plan period has its own section.".into(),
            "Sub-indicators: cumulative = sum of yearly amounts over the period / target; annual = a minimum every year; level = progress of the latest level from the baseline. Time elapsed = years elapsed / years of the plan; needed per year = (target − done) / years left; projected end at the current yearly pace; status by projected end / target (≥ 0.95 on track, 0.60–0.95 at risk, < 0.60 off track); once the period has ended, achieved or not achieved.".into(),
        ]
    }
}
