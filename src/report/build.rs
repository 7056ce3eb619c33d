//! Building a report from a dataset ([`build`]): the assessment of every milestone, the
//! context rows of a restricted report, projections and sub-indicator progress, the charts
//! and plan sections, the credits, the trend model's description and the input checksums.

use std::collections::BTreeSet;

use crate::assess::progress::{all_progress, ProgressRow};
use crate::assess::{assess, project, AssessConfig, AssessRow, ProjectionRow, StatusRule};
use crate::chart::ChartStyle;
use crate::error::Result;
use crate::model::{Dataset, Lang, LITERACY_RATE};
use crate::report::credits::{credits, describe_input};
use crate::report::quality::data_quality;
use crate::report::sections::Sections;
use crate::report::types::{InputChecksum, PlanStage, Report, ReportOptions, SourceRow};

/// The milestone rows of a report: those of the kept jurisdictions, and those of their
/// ancestors shown as context when the report is restricted.
struct Rows {
    /// Every milestone of the kept jurisdictions, in [`assess`] order.
    milestones: Vec<AssessRow>,
    /// Milestones of the ancestors of a restricted report's places.
    context_rows: Vec<AssessRow>,
    /// The ids of those ancestors.
    context: BTreeSet<String>,
}

/// Builds the report (all numbers and charts) from a dataset already restricted to as-of.
pub fn build(ds: &Dataset, opts: &ReportOptions) -> Result<Report> {
    let lang = opts.lang;
    let as_of = opts.as_of.or_else(|| ds.latest_year()).unwrap_or(2025);
    let rule = StatusRule::default();
    let keep = |id: &str| -> bool {
        (opts.jurisdictions.is_empty() || opts.jurisdictions.iter().any(|j| j == id))
            && opts
                .level
                .is_none_or(|l| ds.jurisdiction(id).is_some_and(|j| j.level == l))
    };
    let Rows {
        milestones: milestone_rows,
        context_rows,
        context,
    } = milestone_rows(ds, opts, rule, &keep);
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
    let source_rows = source_rows(ds, &milestone_rows, &context_rows, &context, &keep, lang);
    let mut sources: Vec<String> = source_rows.iter().map(|s| s.credit.clone()).collect();
    sources.sort();
    sources.dedup();
    let (series, fits) = crate::assess::fit_all(ds, LITERACY_RATE, &opts.trend, opts.trend.model);
    let model = crate::trend::describe(
        &opts.trend,
        &series,
        &crate::assess::parent_map(ds),
        &fits,
        lang,
    );
    Ok(Report {
        as_of,
        lang,
        quality: data_quality(ds, &rows, lang),
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
        inputs: input_checksums(ds, lang),
        percent: ds
            .indicator_spec(LITERACY_RATE)
            .is_some_and(|s| s.is_percent()),
        embed_font: opts.embed_font,
        rule,
        trend: opts.trend,
    })
}

/// Every milestone's row ([`assess`]), split into the kept jurisdictions' rows and, for a
/// report restricted by `--jurisdiction`/`--level`, the rows of their ancestors (context:
/// their rows only, not their plan sections).
fn milestone_rows(
    ds: &Dataset,
    opts: &ReportOptions,
    rule: StatusRule,
    keep: &dyn Fn(&str) -> bool,
) -> Rows {
    let acfg = AssessConfig {
        indicator: LITERACY_RATE.to_string(),
        // "Now" is per plan unless the user fixed it (see `assess::plan_as_of`).
        as_of: opts.as_of,
        trend: opts.trend,
        rule,
        lang: opts.lang,
    };
    let restricted = !opts.jurisdictions.is_empty() || opts.level.is_some();
    let all_rows = assess(ds, &acfg);
    let milestones: Vec<AssessRow> = all_rows
        .iter()
        .filter(|r| keep(&r.jurisdiction))
        .cloned()
        .collect();
    let context: BTreeSet<String> = if restricted {
        let kept: BTreeSet<&str> = milestones
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
    Rows {
        milestones,
        context_rows,
        context,
    }
}

/// The credited sources ([`credits`]): the observations of every jurisdiction shown (kept
/// or context), the plans of the kept ones and the literacy plans of the context ones.
fn source_rows(
    ds: &Dataset,
    milestone_rows: &[AssessRow],
    context_rows: &[AssessRow],
    context: &BTreeSet<String>,
    keep: &dyn Fn(&str) -> bool,
    lang: Lang,
) -> Vec<SourceRow> {
    let credited: BTreeSet<&str> = milestone_rows
        .iter()
        .chain(context_rows)
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
    credits(ds, &credited, &credited_plans, lang)
}

/// The checksum of every input read, with what it is in words ([`describe_input`]).
fn input_checksums(ds: &Dataset, lang: Lang) -> Vec<InputChecksum> {
    ds.inputs
        .iter()
        .map(|i| InputChecksum {
            label: i.label.clone(),
            what: describe_input(ds, &i.label, i.role, lang),
            sha256: i.sha256.clone(),
            bytes: i.bytes,
        })
        .collect()
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
