//! `litmon assess`: the status table of every jurisdiction with a target, and the hint for
//! a place asked for that has no plan.

use crate::cli::console::say;
use crate::cli::context::Context;
use crate::error::{Diagnostic, DiagnosticKind, Result};
use crate::model::Dataset;
use crate::output::{tables, Table};

/// The status table of the jurisdictions `keep` passes; a hint on standard error for each
/// `--jurisdiction` without a plan target ([`no_plan_hints`]).
pub fn table(ctx: &Context, ds: &Dataset, keep: &dyn Fn(&str) -> bool) -> Result<Table> {
    let percent = ds
        .indicator_spec(&ctx.indicator)
        .is_some_and(|s| s.is_percent());
    let rows: Vec<_> = crate::assess::assess(ds, &ctx.assess_config())
        .into_iter()
        .filter(|r| keep(&r.jurisdiction))
        .collect();
    for hint in no_plan_hints(ds, &ctx.filter.jurisdictions, &ctx.indicator) {
        say(&hint.render(ctx.lang));
    }
    Ok(tables::assess_table(&rows, percent)?)
}

/// For `assess --jurisdiction X`: a note for each X that the registry knows but no plan
/// gives a target of `indicator` (its table would be empty), saying how to add the plan.
pub fn no_plan_hints(ds: &Dataset, keys: &[String], indicator: &str) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    keys.iter()
        .filter_map(|k| ds.resolve(k))
        .filter(|j| seen.insert(j.id.clone()))
        .filter(|j| {
            !ds.plans
                .iter()
                .any(|p| p.plan.jurisdiction == j.id && p.indicator(indicator).is_some())
        })
        .map(|j| {
            let (id, name) = (&j.id, &j.name_zh);
            Diagnostic::note(DiagnosticKind::NoPlanTarget, text!(
                "{id} {name} 没有 {indicator} 的规划目标，因此没有可评估的行；请用 --plans 文件.toml 给出其规划（格式见 seeds/SCHEMA.md；`litmon data export -o 目录` 会写出内置规划作为示例）",
                "{id} {name} has no plan target for {indicator}, so it has no row to assess; give its plan with --plans FILE.toml (the layout is in seeds/SCHEMA.md; `litmon data export -o DIR` writes the embedded plans as examples)"
            ))
        })
        .collect()
}
