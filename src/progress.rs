//! Progress of every quantitative target of every plan (the `indicators` command and the
//! report's sub-indicator tables): [`crate::pace`] applied to the dataset.

use std::path::Path;

use crate::model::{Dataset, Kind, Lang, Plan, PlanIndicator};
use crate::pace::{pace, Pace, PaceStatus, PaceTarget};

/// One target of one plan with its progress.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressRow {
    pub jurisdiction: String,
    /// Plan id: the plan file's name without extension (e.g. `wuhai_150300`).
    pub plan: String,
    pub indicator: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: Kind,
    pub unit: String,
    pub unit_zh: Option<String>,
    pub target: f64,
    pub period: [i32; 2],
    pub pace: Pace,
    pub reason: String,
}

/// Plan id from its file name.
pub fn plan_id(plan: &Plan) -> String {
    let origin = plan.origin.trim_start_matches("embedded:");
    Path::new(origin)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| plan.plan.jurisdiction.clone())
}

/// Progress of one plan indicator at `as_of`.
pub fn progress_of(
    ds: &Dataset,
    plan: &Plan,
    ind: &PlanIndicator,
    as_of: i32,
    lang: Lang,
) -> ProgressRow {
    let jid = &plan.plan.jurisdiction;
    let period = plan.period_of(ind);
    let values: Vec<(i32, f64)> = ds
        .series(jid, &ind.id)
        .iter()
        .map(|o| (o.year, o.value))
        .collect();
    let mut p = pace(
        &PaceTarget {
            kind: ind.kind,
            direction: ind.direction,
            period,
            target: ind.target.value,
            baseline: ind.baseline,
        },
        &values,
        as_of,
    );
    if ind.unit == "pct" {
        // A percentage cannot be extrapolated past 0–100.
        p.projected_end = p.projected_end.map(|v| v.clamp(0.0, 100.0));
    }
    ProgressRow {
        jurisdiction: jid.clone(),
        plan: plan_id(plan),
        indicator: ind.id.clone(),
        name_zh: ind.name_zh.clone(),
        name_en: ind.name_en.clone(),
        kind: ind.kind,
        unit: ind.unit.clone(),
        unit_zh: ind.unit_zh.clone(),
        target: ind.target.value,
        period,
        reason: reason(&p, ind, period, lang),
        pace: p,
    }
}

fn num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn reason(p: &Pace, ind: &PlanIndicator, period: [i32; 2], lang: Lang) -> String {
    let en = lang == Lang::En;
    let (Some(done), Some(share)) = (p.done, p.share_done) else {
        return if en {
            format!("no progress data for {} in observations.csv", ind.id)
        } else {
            format!("observations.csv 中没有 {} 的进展数据", ind.id)
        };
    };
    let elapsed = 100.0 * p.share_elapsed;
    let what = match (ind.kind, en) {
        (Kind::Level, true) => format!("latest level {}", num(done)),
        (Kind::Level, false) => format!("最新水平{}", num(done)),
        (_, true) => format!("done {}", num(done)),
        (_, false) => format!("已完成{}", num(done)),
    };
    let mut s = if en {
        format!(
            "{what} = {:.0}% of target with {elapsed:.0}% of {}–{} elapsed",
            100.0 * share,
            period[0],
            period[1]
        )
    } else {
        format!(
            "{what}，完成目标的{:.0}%，{}—{}年时间进度{elapsed:.0}%",
            100.0 * share,
            period[0],
            period[1]
        )
    };
    if let Some(r) = p.required_per_year {
        s.push_str(&if en {
            format!("; needs {} a year", num(r))
        } else {
            format!("；此后每年需{}", num(r))
        });
    }
    if let Some(e) = p.projected_end {
        s.push_str(&if en {
            format!("; at the current pace {}", num(e))
        } else {
            format!("；按当前进度期末约{}", num(e))
        });
    }
    s
}

/// Every quantitative target of every plan (sorted by plan, in plan order), at `as_of`.
pub fn all_progress(ds: &Dataset, as_of: i32, lang: Lang) -> Vec<ProgressRow> {
    ds.plans
        .iter()
        .flat_map(|plan| plan.indicators.iter().map(move |ind| (plan, ind)))
        .map(|(plan, ind)| progress_of(ds, plan, ind, as_of, lang))
        .collect()
}

/// The status word of the `indicators` table.
pub fn status_word(s: PaceStatus) -> &'static str {
    s.as_str()
}
