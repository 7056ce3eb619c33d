//! Progress rows as departments write them: an observation's indicator may be a
//! sub-indicator's id or, within its jurisdiction's plans, its Chinese name; anything else
//! that matches no sub-indicator of the jurisdiction's plans is reported with the closest ids.

use crate::model::{Dataset, Observation, Plan, PlanIndicator, LITERACY_RATE};

/// Rewrites each observation's indicator written as a sub-indicator's Chinese name (of a
/// plan of the same jurisdiction, when exactly one indicator bears it) to that indicator's
/// id, and warns about indicators that match no sub-indicator of the jurisdiction's plans,
/// naming the three closest ids. Observations of jurisdictions without a plan, of
/// `literacy_rate`, or of an unknown jurisdiction (refused later) are left as they are.
pub(crate) fn match_plan_indicators(
    ds: &Dataset,
    observations: &mut [Observation],
    warnings: &mut Vec<crate::error::Diagnostic>,
) {
    for o in observations.iter_mut() {
        if o.indicator == LITERACY_RATE {
            continue;
        }
        let Some(j) = ds.resolve(&o.jurisdiction) else {
            continue;
        };
        let plans: Vec<&Plan> = ds
            .plans
            .iter()
            .filter(|p| p.plan.jurisdiction == j.id)
            .collect();
        if plans.is_empty() {
            continue;
        }
        let indicators: Vec<&PlanIndicator> = plans.iter().flat_map(|p| &p.indicators).collect();
        if indicators.iter().any(|i| i.id == o.indicator) {
            continue;
        }
        let written = o.indicator.trim();
        let mut by_name: Vec<&str> = indicators
            .iter()
            .filter(|i| i.name_zh.trim() == written)
            .map(|i| i.id.as_str())
            .collect();
        by_name.dedup();
        if let [id] = by_name.as_slice() {
            o.indicator = (*id).to_string();
            continue;
        }
        let mut scored: Vec<(f64, &PlanIndicator)> = indicators
            .iter()
            .map(|i| {
                let s = strsim::jaro_winkler(&written.to_lowercase(), &i.id.to_lowercase())
                    .max(strsim::normalized_levenshtein(written, &i.name_zh));
                (s, *i)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        let mut closest: Vec<String> = Vec::new();
        for (_, i) in &scored {
            let entry = format!("{} ({})", i.id, i.name_zh);
            if !closest.contains(&entry) {
                closest.push(entry);
            }
            if closest.len() == 3 {
                break;
            }
        }
        let (what_zh, what) = if by_name.len() > 1 {
            (
                format!("对应 {} 的 {} 个分指标", j.name_zh, by_name.len()),
                format!("names {} sub-indicators of {}", by_name.len(), j.name_zh),
            )
        } else {
            (
                format!("不对应 {} 方案中的任何分指标", j.name_zh),
                format!("matches no sub-indicator of the plan of {}", j.name_zh),
            )
        };
        let written = crate::output::safety::echo(written);
        let message = crate::model::Text::new(
            format!(
                "指标 {written} {what_zh}，该行不计入任何目标；最接近的代码：{}",
                closest.join("、")
            ),
            format!(
                "indicator {written} {what}, so the row counts for no target; closest ids: {}",
                closest.join(", ")
            ),
        );
        let kind = crate::error::DiagnosticKind::UnmatchedIndicator {
            indicator: written,
            jurisdiction: j.name_zh.clone(),
        };
        warnings.push(crate::error::Diagnostic::warning(kind, message).at(&o.origin));
    }
}
