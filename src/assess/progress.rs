//! Progress of every quantitative target of every plan (the `indicators` command and the
//! report's sub-indicator tables): [`crate::assess::pace`] applied to the dataset.

use crate::assess::pace::{pace, Pace, PaceStatus, PaceTarget};
use crate::assess::{assess, milestone_period, plan_as_of, AssessConfig, AssessRow};
use crate::model::{Dataset, Kind, Lang, Milestone, Plan, PlanIndicator, Qualifier, LITERACY_RATE};
use crate::trend::TrendConfig;

/// One target of one plan with its progress.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressRow {
    /// Jurisdiction id of the plan.
    pub jurisdiction: String,
    /// Plan id: the plan file's name without extension (e.g. `wuhai_150300`).
    pub plan: String,
    /// Indicator id within the plan.
    pub indicator: String,
    /// Chinese name of the indicator.
    pub name_zh: String,
    /// English name of the indicator (may be empty).
    pub name_en: String,
    /// How the indicator is counted (level, cumulative, annual).
    pub kind: Kind,
    /// Unit code (`pct`, `persons`, `count`, …).
    pub unit: String,
    /// Display unit in Chinese (%, 人, 个 …), when the plan gives one.
    pub unit_zh: Option<String>,
    /// Target value of this milestone, in the indicator's unit.
    pub target: f64,
    /// Year of this milestone (an indicator with 2025 and 2035 targets has two rows).
    pub target_year: i32,
    /// Wording of the target (超过, 达到, 力争, 左右).
    pub qualifier: Option<Qualifier>,
    /// Lead department(s) named by the plan.
    pub lead_zh: Option<String>,
    /// The plan file's note on this target (how a range or wording was encoded).
    pub note: Option<String>,
    /// Period the milestone is judged over (first and last year, inclusive).
    pub period: [i32; 2],
    /// Done, shares, required pace, projected end and status (see [`crate::assess::pace`]).
    pub pace: Pace,
    /// One-sentence explanation of the status, in the output language.
    pub reason: String,
}

/// Progress of one milestone of a plan indicator at `as_of` (pace arithmetic).
pub fn progress_of(
    ds: &Dataset,
    plan: &Plan,
    ind: &PlanIndicator,
    m: Milestone,
    as_of: i32,
    lang: Lang,
) -> ProgressRow {
    let jid = &plan.plan.jurisdiction;
    let period = milestone_period(plan, ind, &m);
    let values: Vec<(i32, f64)> = ds
        .series(jid, &ind.id)
        .iter()
        .map(|o| (o.year, o.value))
        .collect();
    let mut p = pace(&PaceTarget::of(ind, period, m.value), &values, as_of);
    if ind.unit == "pct" {
        // A percentage cannot be extrapolated past 0–100.
        p.projected_end = p.projected_end.map(|v| v.clamp(0.0, 100.0));
    }
    row(plan, ind, m, period, p, lang)
}

fn row(
    plan: &Plan,
    ind: &PlanIndicator,
    m: Milestone,
    period: [i32; 2],
    p: Pace,
    lang: Lang,
) -> ProgressRow {
    ProgressRow {
        jurisdiction: plan.plan.jurisdiction.clone(),
        plan: plan.id(),
        indicator: ind.id.clone(),
        name_zh: ind.name_zh.clone(),
        name_en: ind.name_en.clone(),
        kind: ind.kind,
        unit: ind.unit.clone(),
        unit_zh: ind.unit_zh.clone(),
        target: m.value,
        target_year: m.year,
        qualifier: m.qualifier,
        lead_zh: ind.lead_zh.clone(),
        note: ind.note.clone(),
        period,
        reason: crate::assess::wording::pace_reason(&p, ind, period, lang),
        pace: p,
    }
}

/// Share of the period [a, b] elapsed at `as_of`: clamp(as_of − a + 1, 0, L) / L with
/// L = b − a + 1 (as [`crate::assess::pace`]).
pub fn share_elapsed(period: [i32; 2], as_of: i32) -> f64 {
    let [a, b] = period;
    f64::from((as_of - a + 1).clamp(0, b - a + 1)) / f64::from(b - a + 1)
}

/// The literacy-rate row of `indicators` read from its assessment row, so that both
/// commands show the same baseline, share and status (time elapsed at the plan's `as_of`): done = the latest value, share done =
/// `progress_share`, required per year for the rest = (y* − y_t)/(T − t) while the target
/// year is ahead, projected end = the projection (or the measurement), status = the
/// assessment's status.
pub fn progress_from_assessment(
    plan: &Plan,
    ind: &PlanIndicator,
    m: Milestone,
    a: &AssessRow,
    as_of: i32,
    lang: Lang,
) -> ProgressRow {
    let period = a.detail.period;
    let status = PaceStatus::from(a.status);
    let open = !a.detail.measured && as_of < a.target_year;
    let p = Pace {
        done: a.latest,
        share_done: a.progress_share,
        share_elapsed: share_elapsed(period, as_of),
        required_per_year: match (a.latest_year, a.latest) {
            (Some(t), Some(yt)) if open && a.target_year > t => {
                Some((a.target - yt) / f64::from(a.target_year - t))
            }
            _ => None,
        },
        projected_end: a.projected,
        status,
    };
    row(plan, ind, m, period, p, lang)
}

/// Every quantitative target of every plan (sorted by plan, in plan order; one row per
/// milestone). "Now" is per plan ([`plan_as_of`]): `as_of` when given, else the latest year
/// of that plan's own data. Literacy-rate rows come from [`assess`] (one evaluation).
pub fn all_progress(
    ds: &Dataset,
    as_of: Option<i32>,
    trend: &TrendConfig,
    lang: Lang,
) -> Vec<ProgressRow> {
    let acfg = AssessConfig {
        indicator: LITERACY_RATE.to_string(),
        as_of,
        trend: *trend,
        lang,
        ..AssessConfig::default()
    };
    let literacy = assess(ds, &acfg);
    let mut out = Vec::new();
    for plan in &ds.plans {
        let now = plan_as_of(ds, plan, as_of);
        for ind in &plan.indicators {
            for m in ind.targets() {
                let from_assess = (ind.id == LITERACY_RATE)
                    .then(|| {
                        literacy.iter().find(|r| {
                            r.jurisdiction == plan.plan.jurisdiction && r.target_year == m.year
                        })
                    })
                    .flatten();
                let now = now.unwrap_or(milestone_period(plan, ind, &m)[0] - 1);
                out.push(match from_assess {
                    Some(a) => progress_from_assessment(plan, ind, m, a, now, lang),
                    None => progress_of(ds, plan, ind, m, now, lang),
                });
            }
        }
    }
    out
}

/// The status word of the `indicators` table.
pub fn status_word(s: PaceStatus) -> &'static str {
    s.as_str()
}
