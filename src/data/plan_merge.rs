//! Merging the plans of one jurisdiction: a `--plans` file overrides a base plan, copies
//! are kept once, and two plans giving different values for one target are an error.

use std::collections::{HashMap, HashSet};

use super::plan_toml::indicator_key_line;
use super::sources::Input;
use crate::error::{Error, Location, Result};
use crate::model::Plan;

/// Plans of the same jurisdiction and period: a `--plans` file replaces a plan of the base
/// dataset (the embedded default or `--data DIR`), with a note. Otherwise two plans that
/// give one jurisdiction's indicator different values for the same target or baseline year
/// are an error naming both files; plans that agree are kept once.
///
/// The kept plans stay in arrival order (a plan kept once moves to the place of its last
/// copy); each jurisdiction's kept plans are indexed, so a plan is compared with the plans of
/// its own jurisdiction only.
pub(super) fn merge_plans(
    plans: Vec<Plan>,
    inputs: &[Input],
    warnings: &mut Vec<crate::error::Diagnostic>,
) -> Result<Vec<Plan>> {
    // Inputs by label: whether any input of that label overrides, and the first one's text.
    let overriding_labels: HashSet<&str> = inputs
        .iter()
        .filter(|i| i.overrides)
        .map(|i| i.label.as_str())
        .collect();
    let mut texts: HashMap<&str, Option<&str>> = HashMap::new();
    for input in inputs {
        texts
            .entry(input.label.as_str())
            .or_insert_with(|| input.text());
    }
    let overriding = |p: &Plan| overriding_labels.contains(p.origin.as_str());
    let text_of = |p: &Plan| {
        texts
            .get(p.origin.as_str())
            .copied()
            .flatten()
            .unwrap_or("")
    };
    // Kept plans in arrival order (`None` once dropped), and each jurisdiction's slots in it.
    let mut kept: Vec<Option<Plan>> = Vec::with_capacity(plans.len());
    let mut slots_of: HashMap<String, Vec<usize>> = HashMap::new();
    for plan in plans {
        let period = plan.plan.period;
        let slots = slots_of.entry(plan.plan.jurisdiction.clone()).or_default();
        let mut plan = plan;
        if overriding(&plan) {
            for &s in slots.iter() {
                let p = kept[s].as_ref().expect("slots name kept plans");
                if p.plan.period == period && !overriding(p) {
                    plan = override_indicators(p, plan, warnings);
                }
            }
            drop_kept(&mut kept, slots, |p| {
                p.plan.period == period && !overriding(p)
            });
        }
        for &s in slots.iter() {
            let p = kept[s].as_ref().expect("slots name kept plans");
            check_plan_conflict(&plan, p, &text_of)?;
        }
        // Identical plans (the same file given twice, or a copy) are kept once.
        drop_kept(&mut kept, slots, |p| {
            p.plan.period == period && p.indicators == plan.indicators
        });
        slots.push(kept.len());
        kept.push(Some(plan));
    }
    Ok(kept.into_iter().flatten().collect())
}

/// Drops the kept plans of `slots` that `drop` selects, from `kept` and from `slots`.
fn drop_kept(kept: &mut [Option<Plan>], slots: &mut Vec<usize>, drop: impl Fn(&Plan) -> bool) {
    slots.retain(|&s| {
        let dropped = kept[s].as_ref().is_some_and(&drop);
        if dropped {
            kept[s] = None;
        }
        !dropped
    });
}

/// The error for the first indicator of `plan` whose target or baseline `other` (a kept plan
/// of the same jurisdiction) gives a different value for the same year, naming both files.
fn check_plan_conflict<'t>(
    plan: &Plan,
    other_plan: &Plan,
    text_of: &dyn Fn(&Plan) -> &'t str,
) -> Result<()> {
    let p = other_plan;
    let other_ids: HashMap<&str, usize> = p
        .indicators
        .iter()
        .enumerate()
        .map(|(i, x)| (x.id.as_str(), i))
        .rev()
        .collect();
    for (index, ind) in plan.indicators.iter().enumerate() {
        let Some(&other_index) = other_ids.get(ind.id.as_str()) else {
            continue;
        };
        let other = &p.indicators[other_index];
        let pairs = [
            ("target", Some(ind.target), Some(other.target)),
            ("baseline", ind.baseline, other.baseline),
        ];
        for (what, a, b) in pairs {
            let (Some(a), Some(b)) = (a, b) else { continue };
            if a.year == b.year && a.value != b.value {
                let line = |q: &Plan, i: usize| {
                    indicator_key_line(text_of(q), i, what)
                        .map(|l| format!(":{l}"))
                        .unwrap_or_default()
                };
                return Err(Error::input(
                    Location {
                        file: plan.origin.clone(),
                        line: indicator_key_line(text_of(plan), index, what),
                        column: Some(format!("indicator.{}.{what}", ind.id)),
                    },
                    {
                        let what_zh = match what {
                            "target" => "目标",
                            "baseline" => "基期",
                            _ => "里程碑",
                        };
                        text!(
"{0}的方案相互冲突：{1} 在 {2} 年的{what_zh}值在此处为 {3}，在 {5}{6} 中为 {4}；请只保留一个方案，或改正错误的值",
"conflicting plans for {}: the {what} of {} for {} is {} here and {} in {}{}; keep one plan, or correct the value that is wrong",
                        plan.plan.jurisdiction,
                        ind.id,
                        a.year,
                        a.value,
                        b.value,
                        p.origin,
                        line(p, other_index)
                    )
                    },
                ));
            }
        }
    }
    Ok(())
}

/// A user's plan (`--plans`) over a plan of the base dataset for the same jurisdiction and
/// period, indicator by indicator: the user's indicators replace the base's of the same id
/// (one note each), the base's other indicators are kept, in the base's order, followed by
/// the user's new ones.
fn override_indicators(
    base: &Plan,
    user: Plan,
    warnings: &mut Vec<crate::error::Diagnostic>,
) -> Plan {
    let mut indicators = Vec::with_capacity(base.indicators.len() + user.indicators.len());
    // Indicators by id (hash lookups keep a plan of thousands of indicators linear).
    let user_ids: HashMap<&str, usize> = user
        .indicators
        .iter()
        .enumerate()
        .map(|(i, u)| (u.id.as_str(), i))
        .collect();
    let base_ids: HashSet<&str> = base.indicators.iter().map(|b| b.id.as_str()).collect();
    for b in &base.indicators {
        match user_ids.get(b.id.as_str()).map(|&i| &user.indicators[i]) {
            Some(u) => {
                let kind = crate::error::DiagnosticKind::PlanIndicatorOverridden;
                warnings.push(crate::error::Diagnostic::note(
                    kind,
                    text!(
                        "{} 覆盖了 {5} 中 {2}（{3}–{4}）的 {1}",
                        "{} overrides {} of {} ({}–{}) in {}",
                        user.origin,
                        b.id,
                        user.plan.jurisdiction,
                        user.plan.period[0],
                        user.plan.period[1],
                        base.origin
                    ),
                ));
                indicators.push(u.clone());
            }
            None => indicators.push(b.clone()),
        }
    }
    for u in &user.indicators {
        if !base_ids.contains(u.id.as_str()) {
            indicators.push(u.clone());
        }
    }
    Plan { indicators, ..user }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PlanIndicator, YearValue};

    fn plan(jid: &str, period: [i32; 2], origin: &str, targets: &[(&str, i32, f64)]) -> Plan {
        let mut p = Plan::new(jid, "规划", period);
        p.origin = origin.to_string();
        for &(id, year, value) in targets {
            let mut ind = PlanIndicator::literacy_rate(None, YearValue { year, value });
            ind.id = id.to_string();
            p = p.with_indicator(ind);
        }
        p
    }

    fn origins(plans: &[Plan]) -> Vec<&str> {
        plans.iter().map(|p| p.origin.as_str()).collect()
    }

    #[test]
    fn merged_plans_keep_arrival_order_copies_once_and_user_overrides() {
        let mut user = Input::new("u.toml", "");
        user.overrides = true;
        let inputs = [
            Input::new("a.toml", ""),
            Input::new("b.toml", ""),
            Input::new("c.toml", ""),
            Input::new("a2.toml", ""),
            user,
        ];
        let plans = vec![
            plan("X", [2021, 2025], "a.toml", &[("rate", 2025, 15.0)]),
            plan(
                "Y",
                [2021, 2025],
                "b.toml",
                &[("rate", 2025, 12.0), ("other", 2025, 3.0)],
            ),
            plan("X", [2026, 2030], "c.toml", &[("rate", 2030, 20.0)]),
            // A copy of a.toml: kept once, in the copy's place.
            plan("X", [2021, 2025], "a2.toml", &[("rate", 2025, 15.0)]),
            // Replaces b.toml's `rate`, keeps its `other`, moves to the end.
            plan("Y", [2021, 2025], "u.toml", &[("rate", 2025, 13.0)]),
        ];
        let mut warnings = Vec::new();
        let kept = merge_plans(plans, &inputs, &mut warnings).unwrap();
        assert_eq!(origins(&kept), ["c.toml", "a2.toml", "u.toml"]);
        let merged: Vec<(&str, f64)> = kept[2]
            .indicators
            .iter()
            .map(|i| (i.id.as_str(), i.target.value))
            .collect();
        assert_eq!(merged, [("rate", 13.0), ("other", 3.0)]);
        assert_eq!(
            warnings
                .iter()
                .map(|w| w.render(crate::model::Lang::En))
                .collect::<Vec<_>>(),
            ["note: u.toml overrides rate of Y (2021–2025) in b.toml"]
        );
    }

    #[test]
    fn conflicting_plans_name_both_files() {
        let inputs = [Input::new("a.toml", ""), Input::new("b.toml", "")];
        let plans = vec![
            plan("X", [2021, 2025], "a.toml", &[("rate", 2025, 15.0)]),
            plan("Y", [2021, 2025], "b.toml", &[("rate", 2025, 16.0)]),
            plan("X", [2021, 2025], "b.toml", &[("rate", 2025, 16.0)]),
        ];
        let err = merge_plans(plans, &inputs, &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "conflicting plans for X: the target of rate for 2025 is 16 here and 15 in a.toml"
            ),
            "{err}"
        );
    }
}
