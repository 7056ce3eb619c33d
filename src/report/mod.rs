//! The evaluation report: status of every jurisdiction with a target, one section per plan
//! (trajectory chart, narrative, sub-indicator table and chart), data quality, methods and
//! traceability; written as one self-contained HTML file, Markdown with PNG charts, a Word
//! file (report.docx) with the same tables and charts, the charts (PNG and SVG) and every
//! table as CSV.

pub mod document;
pub mod docx;
mod html;
mod markdown;
pub mod narrative;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::assess::progress::{all_progress, ProgressRow};
use crate::assess::{assess, project, AssessConfig, AssessRow, ProjectionRow, Status, StatusRule};
use crate::chart::{self, ChartStyle, DashboardChart, IndicatorsChart, Svg, TrajectoryChart};
use crate::error::Result;
use crate::model::{Dataset, InputRole, Lang, Level, LITERACY_RATE};
use crate::output::tables;
use crate::output::{write_atomic, Table};
use crate::trend::TrendConfig;

/// What to report on.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Year the report is "as of" (`--as-of`); `None`: each plan's own latest data year.
    pub as_of: Option<i32>,
    /// Language of the report.
    pub lang: Lang,
    /// Restrict the plan sections and status table to these jurisdiction ids (empty: all).
    pub jurisdictions: Vec<String>,
    /// Restrict to jurisdictions of this administrative level.
    pub level: Option<Level>,
    /// Trend model settings for projections and probabilities.
    pub trend: TrendConfig,
    /// Embed the bundled CJK font in report.html (≈ 6 MB) for machines without CJK fonts.
    pub embed_font: bool,
}

/// SHA-256 of one input file, as the loader read it ([`Dataset::inputs`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputChecksum {
    /// Where the input was read (a file path, or `embedded:…`): for tables/inputs.csv only.
    pub label: String,
    /// What the input is, in words for the report (a plan's title, "survey observations").
    pub what: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// Size of the file in bytes.
    pub bytes: usize,
}

/// A chart of the report: files `charts/<stem>.png|svg`.
#[derive(Debug, Clone)]
pub struct ReportChart {
    /// File stem under `charts/` (e.g. `dashboard`, `trajectory-150300`).
    pub stem: String,
    /// Chart title, used as caption and alt text.
    pub title: String,
    /// The rendered chart.
    pub svg: Svg,
}

/// One plan's section.
#[derive(Debug, Clone)]
pub struct PlanSection {
    /// Jurisdiction id of the plan.
    pub jurisdiction: String,
    /// Jurisdiction name in the report language.
    pub name: String,
    /// Plan id (file name without extension, see [`crate::model::Plan::id`]).
    pub plan_id: String,
    /// Chinese title of the plan document.
    pub plan_title: String,
    /// Document number (文号), when the plan file states one.
    pub document_no: Option<String>,
    /// Issuing body (e.g. 乌海市人民政府), when the plan file names it.
    pub issuer: Option<String>,
    /// First and last year of the plan period.
    pub period: [i32; 2],
    /// The plan's literacy-rate headline row (its next open milestone, else its last); `None`
    /// for a plan with sub-indicators only.
    pub row: Option<AssessRow>,
    /// Every literacy-rate milestone row of this plan (measured ones first, then open ones).
    pub rows: Vec<AssessRow>,
    /// Where the plan stands at the report's as-of year.
    pub stage: PlanStage,
    /// Narrative paragraphs: final evaluations of measured milestones, then each open one.
    pub narrative: String,
    /// Stem of the trajectory chart in `charts`, if drawn.
    pub trajectory: Option<String>,
    /// Stem of the sub-indicator chart in `charts`, if drawn.
    pub indicators_chart: Option<String>,
    /// Progress rows of the plan's sub-indicators (literacy rate excluded).
    pub progress: Vec<ProgressRow>,
}

/// Where a plan period stands at the report's as-of year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStage {
    /// The period has ended and a target of its end year was measured: a final evaluation
    /// (终期评估).
    Evaluated,
    /// The period has ended but its end-year value is not published yet.
    EndedAwaitingData,
    /// The period runs past the as-of year (or has not started): monitored (中期/进展).
    Running,
}

/// A credited source: what the report shows, and what tables/sources.csv keeps.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SourceRow {
    /// `observation` or `plan`.
    pub kind: &'static str,
    /// Jurisdiction id.
    pub jurisdiction: String,
    /// Survey year (observations) or the plan period (plans).
    pub year: String,
    /// The credit as the report prints it: publisher and date, a plan's issuer, title and
    /// document number, or "the user's own data" — never a web address or a file path.
    pub credit: String,
    /// The page the figure or plan was read from, as recorded with the data (a URL for the
    /// built-in data); kept in tables/sources.csv only.
    pub source: String,
}

/// Everything the report shows.
#[derive(Debug, Clone)]
pub struct Report {
    /// The report's "as of" year: `--as-of`, else the latest year of the data (2025 without data).
    pub as_of: i32,
    /// Language of the report.
    pub lang: Lang,
    /// One row per jurisdiction: its next open milestone (the dashboard's rows).
    pub rows: Vec<AssessRow>,
    /// Every milestone of every reported jurisdiction (the status tables), in [`assess`]
    /// order; ancestors shown as context of a restricted report are in `context_rows`.
    pub milestone_rows: Vec<AssessRow>,
    /// Milestone rows of the ancestors of the reported jurisdictions, shown as context when
    /// the report is restricted by `--jurisdiction`/`--level` (empty otherwise).
    pub context_rows: Vec<AssessRow>,
    /// Literacy-rate projections of the reported jurisdictions, year by year.
    pub projections: Vec<ProjectionRow>,
    /// Progress rows of every plan indicator of the kept jurisdictions.
    pub progress: Vec<ProgressRow>,
    /// One section per plan: plans with a literacy target first (registry order), then the rest.
    pub sections: Vec<PlanSection>,
    /// Every chart of the report (dashboard first).
    pub charts: Vec<ReportChart>,
    /// Data-quality notes, one sentence each.
    pub quality: Vec<String>,
    /// Credited sources as the report prints them (no web addresses), sorted, each once.
    pub sources: Vec<String>,
    /// Every credited figure and plan with the page it was read from (tables/sources.csv).
    pub source_rows: Vec<SourceRow>,
    /// The trend model that made the projections, described from its fit.
    pub model: crate::trend::describe::ModelDescription,
    /// Checksums of the input files, each with a description for readers.
    pub inputs: Vec<InputChecksum>,
    /// Embed the bundled CJK font in report.html.
    pub embed_font: bool,
    /// The literacy rate is in percent (9.8 = 9.8 %): its columns carry the percent
    /// format in tables/report.xlsx, as in `assess --format xlsx`.
    pub percent: bool,
    /// Status rule the statuses were given with.
    pub rule: StatusRule,
    /// Trend model settings used for the report.
    pub trend: TrendConfig,
}

impl Report {
    /// The report as a document (sections, tables, figures, notes), ready for the HTML
    /// and Markdown writers.
    pub fn document(&self) -> document::Document {
        document::build(self)
    }

    /// Whether the report is in Chinese.
    pub fn zh(&self) -> bool {
        self.lang == Lang::Zh
    }

    /// The title follows the periods in the report: 终期评估 (final evaluation) when a plan
    /// period has ended by the as-of year; with running periods beside it, both
    /// (终期评估与2026—2030年监测); otherwise 中期 (midterm) up to the middle year of the
    /// earliest running period (2023 for 2021–2025), else 进展 (progress).
    pub fn title(&self) -> String {
        let y = self.as_of;
        let ended = self.sections.iter().any(|s| s.stage != PlanStage::Running);
        let mut running: Vec<[i32; 2]> = self
            .sections
            .iter()
            .filter(|s| s.stage == PlanStage::Running)
            .map(|s| s.period)
            .collect();
        running.sort();
        running.dedup();
        let zh = self.zh();
        let periods = running
            .iter()
            .map(|p| {
                if zh {
                    format!("{}—{}年", p[0], p[1])
                } else {
                    format!("{}–{}", p[0], p[1])
                }
            })
            .collect::<Vec<_>>()
            .join(if zh { "、" } else { ", " });
        let midterm = running
            .first()
            .is_some_and(|a| y <= a[0] + (a[1] - a[0]) / 2);
        let kind = match (ended, running.is_empty(), zh) {
            (true, true, true) => "终期评估".to_string(),
            (true, false, true) => format!("终期评估与{periods}监测"),
            (false, _, true) if midterm => "中期评估".to_string(),
            (false, _, true) => "进展评估".to_string(),
            (true, true, false) => "Final evaluation".to_string(),
            (true, false, false) => "Final evaluation".to_string(),
            (false, _, false) if midterm => "Midterm evaluation".to_string(),
            (false, _, false) => "Progress evaluation".to_string(),
        };
        if zh {
            format!("全民科学素质行动规划纲要实施方案{kind}报告（截至{y}年）")
        } else {
            let monitoring = if ended && !running.is_empty() {
                format!(", with monitoring of {periods}")
            } else {
                String::new()
            };
            format!(
                "{kind} of the citizen scientific-literacy action plans{monitoring} (as of {y})"
            )
        }
    }

    /// Rows of the final-evaluation table: the reported jurisdictions' milestones whose
    /// target year was measured.
    pub fn final_rows(&self) -> Vec<&AssessRow> {
        self.milestone_rows
            .iter()
            .filter(|r| r.detail.measured)
            .collect()
    }

    /// Rows of the monitoring tables: milestones not measured yet, by target year, then in
    /// [`assess`] order.
    pub fn open_rows(&self) -> Vec<&AssessRow> {
        let mut v: Vec<&AssessRow> = self
            .milestone_rows
            .iter()
            .filter(|r| !r.detail.measured)
            .collect();
        v.sort_by_key(|r| r.target_year);
        v
    }

    /// Counts of `rows` by status, in the order of [`Status::ALL`]: the headline counts
    /// are made from the very rows of the table they head.
    pub fn status_counts(rows: &[&AssessRow]) -> Vec<(Status, usize)> {
        Status::ALL
            .iter()
            .map(|&s| (s, rows.iter().filter(|r| r.status == s).count()))
            .collect()
    }

    /// Open milestones at risk or off track or regressing, lowest P(reach) first.
    pub fn at_risk(&self) -> Vec<&AssessRow> {
        let mut v: Vec<&AssessRow> = self
            .open_rows()
            .into_iter()
            .filter(|r| {
                matches!(
                    r.status,
                    Status::AtRisk | Status::OffTrack | Status::Regressing
                )
            })
            .collect();
        v.sort_by(|a, b| {
            a.p_reach
                .unwrap_or(0.0)
                .total_cmp(&b.p_reach.unwrap_or(0.0))
        });
        v
    }
}

/// Builds the report (all numbers and charts) from a dataset already restricted to as-of.
pub fn build(ds: &Dataset, opts: &ReportOptions) -> Result<Report> {
    let lang = opts.lang;
    let zh = lang == Lang::Zh;
    let as_of = opts.as_of.or_else(|| ds.latest_year()).unwrap_or(2025);
    let rule = StatusRule::default();
    let acfg = AssessConfig {
        indicator: LITERACY_RATE.to_string(),
        // "Now" is per plan unless the user fixed it (see `assess::plan_as_of`).
        as_of: opts.as_of,
        trend: opts.trend,
        rule,
        lang,
    };
    let keep = |id: &str| -> bool {
        (opts.jurisdictions.is_empty() || opts.jurisdictions.iter().any(|j| j == id))
            && opts
                .level
                .is_none_or(|l| ds.jurisdiction(id).is_some_and(|j| j.level == l))
    };
    let restricted = !opts.jurisdictions.is_empty() || opts.level.is_some();
    let all_rows = assess(ds, &acfg);
    let milestone_rows: Vec<AssessRow> = all_rows
        .iter()
        .filter(|r| keep(&r.jurisdiction))
        .cloned()
        .collect();
    // A restricted report shows the ancestors of its places as context (their rows only,
    // not their plan sections).
    let context: BTreeSet<String> = if restricted {
        let kept: BTreeSet<&str> = milestone_rows
            .iter()
            .map(|r| r.jurisdiction.as_str())
            .chain(opts.jurisdictions.iter().map(String::as_str))
            .collect();
        kept.iter()
            .flat_map(|id| ds.ancestors(id))
            .map(|j| j.id.clone())
            .filter(|id| !kept.contains(id.as_str()))
            .collect()
    } else {
        BTreeSet::new()
    };
    let context_rows: Vec<AssessRow> = all_rows
        .into_iter()
        .filter(|r| context.contains(&r.jurisdiction))
        .collect();
    // Sections, charts and counts speak of each jurisdiction's next open milestone; the
    // status table lists every milestone.
    let rows = crate::assess::headline_rows(&milestone_rows);
    let projections: Vec<ProjectionRow> = project(ds, LITERACY_RATE, &opts.trend, None)
        .into_iter()
        .filter(|p| rows.iter().any(|r| r.jurisdiction == p.jurisdiction))
        .collect();
    let progress: Vec<ProgressRow> = all_progress(ds, opts.as_of, &opts.trend, lang)
        .into_iter()
        .filter(|p| keep(&p.jurisdiction))
        .collect();
    let mut sections = Sections {
        ds,
        opts,
        rule,
        style: ChartStyle {
            lang,
            ..ChartStyle::default()
        },
        rows: &rows,
        milestone_rows: &milestone_rows,
        progress: &progress,
        charts: Vec::new(),
        // Chart file names are safe stems of ids and plan names (never outside charts/).
        stems: crate::output::safety::StemSet::default(),
    };
    sections.dashboard(as_of)?;
    sections.evaluation(as_of)?;
    let mut plan_sections = plans_in_order(ds, &keep)
        .into_iter()
        .map(|plan| sections.section(plan, as_of))
        .collect::<Result<Vec<_>>>()?;
    // Final evaluations of ended periods first, then the running periods (stable: registry
    // order within each).
    plan_sections.sort_by_key(|s| (s.stage == PlanStage::Running, s.period[0]));
    let charts = sections.charts;
    let credited: BTreeSet<&str> = milestone_rows
        .iter()
        .chain(&context_rows)
        .map(|r| r.jurisdiction.as_str())
        .chain(context.iter().map(String::as_str))
        .collect();
    let credited_plans: Vec<&crate::model::Plan> = ds
        .plans
        .iter()
        .filter(|p| {
            keep(&p.plan.jurisdiction)
                || (context.contains(&p.plan.jurisdiction) && p.indicator(LITERACY_RATE).is_some())
        })
        .collect();
    let source_rows = credits(ds, &credited, &credited_plans, lang);
    let mut sources: Vec<String> = source_rows.iter().map(|s| s.credit.clone()).collect();
    sources.sort();
    sources.dedup();
    let (series, fits) = crate::assess::fit_all(ds, LITERACY_RATE, &opts.trend, opts.trend.model);
    let model = crate::trend::describe::describe(
        &opts.trend,
        &series,
        &crate::assess::parent_map(ds),
        &fits,
        lang,
    );
    Ok(Report {
        as_of,
        lang,
        quality: data_quality(ds, &rows, zh),
        sources,
        source_rows,
        model,
        rows,
        milestone_rows,
        context_rows,
        projections,
        progress,
        sections: plan_sections,
        charts,
        inputs: ds
            .inputs
            .iter()
            .map(|i| InputChecksum {
                label: i.label.clone(),
                what: describe_input(ds, &i.label, i.role, zh),
                sha256: i.sha256.clone(),
                bytes: i.bytes,
            })
            .collect(),
        percent: ds
            .indicator_spec(LITERACY_RATE)
            .is_some_and(|s| s.is_percent()),
        embed_font: opts.embed_font,
        rule,
        trend: opts.trend,
    })
}

/// The plans of the kept jurisdictions in the order of their sections: plans with a
/// literacy target first (in registry order), then plans of sub-indicators only.
fn plans_in_order<'a>(ds: &'a Dataset, keep: &dyn Fn(&str) -> bool) -> Vec<&'a crate::model::Plan> {
    let mut plans: Vec<&crate::model::Plan> = ds
        .plans
        .iter()
        .filter(|p| keep(&p.plan.jurisdiction))
        .collect();
    let order = |id: &str| {
        ds.jurisdictions()
            .iter()
            .position(|j| j.id == id)
            .unwrap_or(usize::MAX)
    };
    plans.sort_by_key(|p| {
        (
            p.indicator(LITERACY_RATE).is_none(),
            order(&p.plan.jurisdiction),
        )
    });
    plans
}

/// What the plan sections are made from, and the charts drawn so far (in report order).
struct Sections<'a> {
    ds: &'a Dataset,
    opts: &'a ReportOptions,
    rule: StatusRule,
    style: ChartStyle,
    /// The headline rows (each jurisdiction's next open milestone).
    rows: &'a [AssessRow],
    /// Every milestone's row.
    milestone_rows: &'a [AssessRow],
    progress: &'a [ProgressRow],
    charts: Vec<ReportChart>,
    stems: crate::output::safety::StemSet,
}

impl Sections<'_> {
    /// The dashboard of the headline rows, the report's first chart (none without rows).
    fn dashboard(&mut self, as_of: i32) -> Result<()> {
        self.stems.unique("dashboard");
        if self.rows.is_empty() {
            return Ok(());
        }
        let lang = self.opts.lang;
        let title = crate::chart::dashboard_title(lang, Some(as_of), None);
        let d = DashboardChart::from_assessment(self.ds, self.rows, lang, title.clone());
        self.charts.push(ReportChart {
            stem: "dashboard".into(),
            title,
            svg: chart::dashboard(&d, &self.style)?,
        });
        Ok(())
    }

    /// The final evaluation chart (measured value, 80 % and 95 % intervals, target) of the
    /// milestones whose year has been measured; none when no target year is measured.
    fn evaluation(&mut self, as_of: i32) -> Result<()> {
        self.stems.unique("evaluation");
        let lang = self.opts.lang;
        let measured: Vec<AssessRow> = self
            .milestone_rows
            .iter()
            .filter(|r| r.detail.measured)
            .cloned()
            .collect();
        if measured.is_empty() {
            return Ok(());
        }
        let title = chart::evaluation_title(self.ds, LITERACY_RATE, lang);
        let c = chart::EvaluationChart::from_assessment(
            self.ds,
            &measured,
            lang,
            Some(as_of),
            title.clone(),
        );
        self.charts.push(ReportChart {
            stem: "evaluation".into(),
            title,
            svg: chart::evaluation(&c, &self.style)?,
        });
        Ok(())
    }

    /// The section of one plan: its headline row and narrative, its trajectory chart and the
    /// progress (and chart) of its sub-indicators.
    fn section(&mut self, plan: &crate::model::Plan, as_of: i32) -> Result<PlanSection> {
        let (ds, lang) = (self.ds, self.opts.lang);
        let jid = plan.plan.jurisdiction.clone();
        let name = ds
            .jurisdiction(&jid)
            .map(|j| j.name(lang).to_string())
            .unwrap_or_else(|| jid.clone());
        let pid = plan.id();
        // This plan's own milestones (a 2026–2030 plan beside the 2021–2025 one of the same
        // place has its own rows, text and chart).
        let mut rows: Vec<AssessRow> = if plan.indicator(LITERACY_RATE).is_some() {
            self.milestone_rows
                .iter()
                .filter(|r| {
                    r.jurisdiction == jid
                        && r.indicator == LITERACY_RATE
                        && r.detail.plan_title_zh == plan.plan.title_zh
                })
                .cloned()
                .collect()
        } else {
            Vec::new()
        };
        rows.sort_by_key(|r| (!r.detail.measured, r.target_year));
        let row = rows
            .iter()
            .find(|r| !r.detail.measured)
            .or(rows.last())
            .cloned();
        let end = plan.plan.period[1];
        let stage = if end > as_of {
            PlanStage::Running
        } else if rows
            .iter()
            .any(|r| r.detail.measured && r.target_year <= end)
        {
            PlanStage::Evaluated
        } else {
            PlanStage::EndedAwaitingData
        };
        let narrative = rows
            .iter()
            .map(|r| narrative::narrative(self.ds, r, self.opts.lang, &self.rule))
            .collect::<Vec<String>>()
            .join("\n\n");
        let trajectory = match &row {
            Some(r) if r.n_obs > 0 => {
                let c = TrajectoryChart::from_assessment(ds, r, lang, self.opts.as_of);
                let stem = self.stems.unique(&format!("trajectory-{jid}"));
                self.charts.push(ReportChart {
                    stem: stem.clone(),
                    title: c.title.clone(),
                    svg: chart::trajectory(&c, &self.style)?,
                });
                Some(stem)
            }
            _ => None,
        };
        let plan_progress: Vec<ProgressRow> = self
            .progress
            .iter()
            .filter(|p| p.plan == pid && p.indicator != LITERACY_RATE)
            .cloned()
            .collect();
        let indicators_chart = if plan_progress.is_empty() {
            None
        } else {
            let plan_now = crate::assess::plan_as_of(ds, plan, self.opts.as_of)
                .unwrap_or(plan.plan.period[0] - 1);
            let c = IndicatorsChart::from_plan(ds, plan, self.progress, plan_now, lang);
            let stem = self.stems.unique(&format!("indicators-{jid}"));
            self.charts.push(ReportChart {
                stem: stem.clone(),
                title: c.title.clone(),
                svg: chart::indicators(&c, &self.style)?,
            });
            Some(stem)
        };
        Ok(PlanSection {
            jurisdiction: jid,
            name,
            plan_id: pid,
            plan_title: plan.plan.title_zh.clone(),
            document_no: plan.plan.document_no.clone(),
            issuer: plan.plan.issuer_zh.clone(),
            period: plan.plan.period,
            row,
            rows,
            stage,
            narrative,
            trajectory,
            indicators_chart,
            progress: plan_progress,
        })
    }
}

pub use crate::assess::wording::without_hosts;

/// The sources credited under the report, for the jurisdictions `ids` and the plans
/// `plans` of the report: each survey figure by its publisher and date (the citation, hosts
/// removed by [`without_hosts`]), each plan by its issuer, title and document number; values
/// from the user's own files are credited as the user's data (their file names are not
/// written: words officials read carry no file paths). The page each was read from is kept in
/// [`SourceRow::source`] for tables/sources.csv.
fn credits(
    ds: &Dataset,
    ids: &BTreeSet<&str>,
    plans: &[&crate::model::Plan],
    lang: Lang,
) -> Vec<SourceRow> {
    let zh = lang == Lang::Zh;
    let mut out = BTreeSet::new();
    for id in ids {
        let name = ds
            .jurisdiction(id)
            .map(|j| j.name(lang).to_string())
            .unwrap_or_else(|| id.to_string());
        for o in ds.series(id, LITERACY_RATE) {
            let embedded = o.origin.file.starts_with("embedded:");
            let cite = o
                .cite
                .as_deref()
                .map(without_hosts)
                .filter(|c| !c.is_empty());
            let credit = match (embedded, cite, zh) {
                (true, Some(c), _) => c,
                (true, None, true) => format!("{name}{}年数值（原始发布机构未注明）", o.year),
                (true, None, false) => {
                    format!("{name} {} value (original publisher not stated)", o.year)
                }
                (false, Some(c), true) => format!("{c}（用户提供的数据）"),
                (false, Some(c), false) => format!("{c} (data supplied by the user)"),
                (false, None, true) => {
                    format!("{name}{}年数值：用户提供的数据（文件名不写出）", o.year)
                }
                (false, None, false) => format!(
                    "{name} {} value: data supplied by the user (file not named)",
                    o.year
                ),
            };
            out.insert(SourceRow {
                kind: "observation",
                jurisdiction: id.to_string(),
                year: o.year.to_string(),
                credit,
                source: o.source.clone(),
            });
        }
    }
    for p in plans {
        let mut credit = String::new();
        if let Some(i) = &p.plan.issuer_zh {
            credit.push_str(i);
        }
        credit.push_str(&format!("《{}》", p.plan.title_zh));
        if let Some(no) = &p.plan.document_no {
            credit.push_str(&format!("（{no}）"));
        }
        if !p.origin.starts_with("embedded:") {
            credit.push_str(if zh {
                "（用户提供的规划文件）"
            } else {
                " (plan file supplied by the user)"
            });
        }
        out.insert(SourceRow {
            kind: "plan",
            jurisdiction: p.plan.jurisdiction.clone(),
            year: format!("{}-{}", p.plan.period[0], p.plan.period[1]),
            credit: without_hosts(&credit),
            source: p.plan.source.clone().unwrap_or_default(),
        });
    }
    out.into_iter().collect()
}

/// What an input is, in words for officials: a plan's title, the registry of
/// jurisdictions, or the survey observations (never its file path).
fn describe_input(ds: &Dataset, label: &str, role: InputRole, zh: bool) -> String {
    if let Some(p) = ds.plans.iter().find(|p| p.origin == label) {
        let title = match (&p.plan.title_en, zh) {
            (Some(t), false) => t.clone(),
            _ => p.plan.title_zh.clone(),
        };
        return if zh {
            format!("规划目标：{title}")
        } else {
            format!("Plan targets: {title}")
        };
    }
    let embedded = label.starts_with("embedded:");
    let what = match role {
        InputRole::Jurisdictions => ("地区名录", "Registry of jurisdictions"),
        InputRole::Plan => ("规划目标", "Plan targets"),
        InputRole::Observations => ("调查观测值", "Survey observations"),
    };
    match (zh, embedded) {
        (true, true) => format!("内置数据：{}", what.0),
        (true, false) => format!("用户提供：{}", what.0),
        (false, true) => format!("Built-in data: {}", what.1),
        (false, false) => format!("Supplied by the user: {}", what.1),
    }
}

/// Data-quality notes: missing baselines, derived values, own surveys, undated values,
/// the conflict rule and the change of scoring rule.
fn data_quality(ds: &Dataset, rows: &[AssessRow], zh: bool) -> Vec<String> {
    let mut out = Vec::new();
    let name = |id: &str| {
        ds.jurisdiction(id)
            .map(|j| j.name(if zh { Lang::Zh } else { Lang::En }).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    for r in rows.iter().filter(|r| r.status == Status::InsufficientData) {
        out.push(if zh {
            format!("缺少基线：{}——{}", name(&r.jurisdiction), r.reason)
        } else {
            format!("Missing baseline: {} — {}", name(&r.jurisdiction), r.reason)
        });
    }
    let assessed: BTreeSet<&str> = rows.iter().map(|r| r.jurisdiction.as_str()).collect();
    for o in ds
        .observations
        .iter()
        .filter(|o| o.indicator == LITERACY_RATE && assessed.contains(o.jurisdiction.as_str()))
    {
        let tag = if o.source.starts_with("DERIVED") {
            Some(if zh {
                "推算值（由两个公布数字计算）"
            } else {
                "derived from two published figures"
            })
        } else if o.source.contains("(city survey)") || o.source.contains("(provincial survey)") {
            Some(if zh {
                "地方自行调查，非全国调查"
            } else {
                "a local survey, not the national one"
            })
        } else if o.source.contains("year not stated") {
            Some(if zh {
                "原文未注明年份，按2020年处理"
            } else {
                "year not stated in the source; stored as 2020"
            })
        } else if o.source.starts_with("seed plan") {
            Some(if zh {
                "取自实施方案原文"
            } else {
                "taken from the plan document"
            })
        } else {
            None
        };
        if let Some(tag) = tag {
            out.push(format!(
                "{} {} = {:.2}%：{tag}",
                name(&o.jurisdiction),
                o.year,
                o.value
            ));
        }
    }
    out.push(if zh {
        "来源冲突：同一地区同一年份有两个不同公布值时，保留全国调查的数值；实为目标值的数字不作为观测值（各项取舍随数据一并记录）。".into()
    } else {
        "Conflicting sources: where two published values disagree for the same place and year, the national-survey figure is kept and a value that was really a target is dropped (each decision is recorded with the data).".into()
    });
    out.push(if zh {
        "测评标准变化：2018年及以前按米勒三维度标准（科学知识、科学方法、科学与社会均达标），2020—2022年起改为百分制测评（70分及以上为具备科学素质）；官方仍将2015—2023年数据视为可比，早期数据应谨慎解读。".into()
    } else {
        "Change of scoring rule: through 2018 a respondent counted as literate by passing all three Miller dimensions; from 2020–2022 a 100-point test with a threshold of 70 is used. The official series still treats 2015–2023 as comparable; earlier values should be read with care.".into()
    });
    out
}

/// Writes the report into `dir`: report.html, report.md, report.docx, charts/, tables/ (every table as CSV,
/// and all of them as the sheets of tables/report.xlsx). Everything is
/// rendered in memory first, written into a temporary sibling directory and swapped in
/// ([`crate::output::safety::replace_dir`]): a failure leaves the previous report as it was, and a
/// rerun leaves exactly the files of that run.
pub fn write(report: &Report, dir: &Path) -> Result<()> {
    let files = render_files(report)?;
    crate::output::safety::replace_dir(dir, |tmp| {
        for (path, bytes) in &files {
            write_atomic(&tmp.join(path), bytes)?;
        }
        Ok(())
    })
}

/// Every file of the report, by path relative to the report directory: what [`write`]
/// writes (`litmon serve` zips them).
pub fn render_files(report: &Report) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let dir = Path::new("");
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut pngs: Vec<(String, Vec<u8>)> = Vec::new();
    let bar = crate::output::term::bar(report.charts.len() as u64, "rendering charts", false);
    for c in &report.charts {
        if let Some(b) = &bar {
            b.inc(1);
        }
        files.push((
            dir.join("charts").join(format!("{}.svg", c.stem)),
            c.svg.text.clone().into_bytes(),
        ));
        let png = c.svg.to_png()?;
        files.push((
            dir.join("charts").join(format!("{}.png", c.stem)),
            png.clone(),
        ));
        pngs.push((c.stem.clone(), png));
    }
    let mut tables = report_tables(report)?;
    for (name, table) in &mut tables {
        files.push((
            dir.join("tables").join(format!("{name}.csv")),
            table.to_csv(),
        ));
        table.sheet_name = (*name).to_string();
        table.lang = report.lang;
    }
    let sheets: Vec<&Table> = tables.iter().map(|(_, t)| t).collect();
    files.push((
        dir.join("tables").join("report.xlsx"),
        crate::output::workbook_xlsx(&sheets)?,
    ));
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let doc = report.document();
    files.push((
        dir.join("report.html"),
        doc.to_html(report.embed_font).into_bytes(),
    ));
    files.push((dir.join("report.md"), doc.to_markdown().into_bytes()));
    let charts: Vec<docx::ChartPng<'_>> = pngs
        .iter()
        .map(|(stem, png)| docx::ChartPng { stem, png })
        .collect();
    files.push((dir.join("report.docx"), doc.to_docx(&charts)?));
    Ok(files)
}

/// The report's tables, by file name.
pub fn report_tables(report: &Report) -> Result<Vec<(&'static str, Table)>> {
    let mut checksums = Table::new(vec!["file", "sha256", "bytes"]);
    for i in &report.inputs {
        checksums.rows.push(vec![
            crate::output::Cell::text(&i.label),
            crate::output::Cell::text(&i.sha256),
            crate::output::Cell::Int(i.bytes as i64),
        ]);
    }
    let mut sources = Table::new(vec!["kind", "jurisdiction", "year", "credit", "source"]);
    for r in &report.source_rows {
        sources.rows.push(vec![
            crate::output::Cell::text(r.kind),
            crate::output::Cell::text(&r.jurisdiction),
            crate::output::Cell::text(&r.year),
            crate::output::Cell::text(&r.credit),
            crate::output::Cell::text(&r.source),
        ]);
    }
    let status_rows: Vec<AssessRow> = report
        .milestone_rows
        .iter()
        .chain(&report.context_rows)
        .cloned()
        .collect();
    Ok(vec![
        (
            "status",
            tables::assess_table(&status_rows, report.percent)?,
        ),
        (
            "projections",
            tables::project_table(&report.projections, report.percent, |_| String::new())?,
        ),
        ("indicators", tables::indicators_table(&report.progress)?),
        ("inputs", checksums),
        ("sources", sources),
    ])
}
