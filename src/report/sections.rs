//! The charts and plan sections of a report, drawn in report order: the dashboard, the
//! final evaluation chart, then one section per plan (trajectory and sub-indicator charts).

use crate::assess::progress::ProgressRow;
use crate::assess::{AssessRow, StatusRule};
use crate::chart::{self, ChartStyle, DashboardChart, IndicatorsChart, TrajectoryChart};
use crate::error::Result;
use crate::model::{Dataset, LITERACY_RATE};
use crate::report::types::{PlanSection, PlanStage, ReportChart, ReportOptions};

/// What the plan sections are made from, and the charts drawn so far (in report order).
pub(super) struct Sections<'a> {
    pub(super) ds: &'a Dataset,
    pub(super) opts: &'a ReportOptions,
    pub(super) rule: StatusRule,
    pub(super) style: ChartStyle,
    /// The headline rows (each jurisdiction's next open milestone).
    pub(super) rows: &'a [AssessRow],
    /// Every milestone's row.
    pub(super) milestone_rows: &'a [AssessRow],
    pub(super) progress: &'a [ProgressRow],
    pub(super) charts: Vec<ReportChart>,
    pub(super) stems: crate::output::safety::StemSet,
}

impl Sections<'_> {
    /// The dashboard of the headline rows, the report's first chart (none without rows).
    pub(super) fn dashboard(&mut self, as_of: i32) -> Result<()> {
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
    pub(super) fn evaluation(&mut self, as_of: i32) -> Result<()> {
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
    pub(super) fn section(&mut self, plan: &crate::model::Plan, as_of: i32) -> Result<PlanSection> {
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
            .map(|r| crate::assess::wording::narrative(self.ds, r, self.opts.lang, &self.rule))
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
