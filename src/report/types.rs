//! What a report shows ([`Report`]: rows, plan sections, charts, sources, inputs) and what
//! it is asked for ([`ReportOptions`]), with the questions the writers ask of it (its title,
//! its final and open milestones, the ones at risk).

use crate::assess::progress::ProgressRow;
use crate::assess::{AssessRow, ProjectionRow, Status, StatusRule};
use crate::chart::Svg;
use crate::model::{Lang, Level};
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

/// SHA-256 of one input file, as the loader read it ([`Dataset::inputs`](crate::model::Dataset::inputs)).
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
    /// Every milestone of every reported jurisdiction (the status tables), in [`crate::assess::assess`]
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
    /// The words of the report's language among a Chinese and an English one.
    pub fn words(&self, zh: &'static str, en: &'static str) -> &'static str {
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
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
        let periods = running
            .iter()
            .map(|p| match self.lang {
                Lang::Zh => format!("{}—{}年", p[0], p[1]),
                Lang::En => format!("{}–{}", p[0], p[1]),
            })
            .collect::<Vec<_>>()
            .join(self.words("、", ", "));
        let midterm = running
            .first()
            .is_some_and(|a| y <= a[0] + (a[1] - a[0]) / 2);
        let kind = match (ended, running.is_empty(), self.lang) {
            (true, true, Lang::Zh) => "终期评估".to_string(),
            (true, false, Lang::Zh) => format!("终期评估与{periods}监测"),
            (false, _, Lang::Zh) if midterm => "中期评估".to_string(),
            (false, _, Lang::Zh) => "进展评估".to_string(),
            (true, true, Lang::En) => "Final evaluation".to_string(),
            (true, false, Lang::En) => "Final evaluation".to_string(),
            (false, _, Lang::En) if midterm => "Midterm evaluation".to_string(),
            (false, _, Lang::En) => "Progress evaluation".to_string(),
        };
        match self.lang {
            Lang::Zh => format!("全民科学素质行动规划纲要实施方案{kind}报告（截至{y}年）"),
            Lang::En => {
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
    /// [`crate::assess::assess`] order.
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
