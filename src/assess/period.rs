//! The time frame a plan is judged in: its "now" (as-of year) and the period of a milestone.

use crate::model::{Dataset, Milestone, Plan, PlanIndicator};

/// The "now" of a plan: `--as-of` when given, else the latest year of the plan's own data
/// (observations of its jurisdiction for any of its indicators, and its stated baselines),
/// but not before the year preceding its period (data older than the plan say nothing of
/// its time elapsed). Rows of other jurisdictions never move it.
pub fn plan_as_of(ds: &Dataset, plan: &Plan, as_of: Option<i32>) -> Option<i32> {
    let before_start = plan.plan.period[0] - 1;
    as_of.or_else(|| {
        let jid = plan.plan.jurisdiction.as_str();
        ds.observations
            .iter()
            .filter(|o| o.jurisdiction == jid && plan.indicator(&o.indicator).is_some())
            .map(|o| o.year)
            .chain(
                plan.indicators
                    .iter()
                    .filter_map(|i| i.baseline.map(|b| b.year)),
            )
            .max()
            .map(|y| y.max(before_start))
    })
}

/// The period a milestone is judged over: the indicator's period, ending at the
/// milestone's year when that differs (e.g. 2021–2035 for the outline's 2035 milestone).
pub fn milestone_period(plan: &Plan, ind: &PlanIndicator, m: &Milestone) -> [i32; 2] {
    let [a, _] = plan.period_of(ind);
    [a.min(m.year), m.year]
}
