//! Assembling one [`Dataset`] from parsed inputs: [`build`] parses and validates all
//! sources in order (registry, plans, observations); [`DatasetBuilder`] does the same from
//! Rust values.

use std::collections::HashMap;

use super::indicator_names;
use super::observations::{parse_observation_rows, validate_observations};
use super::plan_check::{validate_plan, PlanPlaces};
use super::plan_merge::merge_plans;
use super::plan_sheet;
use super::plan_toml::parse_plan;
use super::registry::{parse_registry, replace_registry_row, validate_registry};
use super::sources::Sources;
use crate::error::{Location, Problems, Result};
use crate::model::{Dataset, Jurisdiction, Observation, Plan};

/// A [`Dataset`] built from Rust values, validated as the files are (registry links and
/// levels, plan targets, observation ranges and duplicates).
///
/// ```
/// use litmon::data::DatasetBuilder;
/// use litmon::model::{Jurisdiction, Level, Observation, Plan, PlanIndicator, YearValue};
///
/// let ds = DatasetBuilder::new()
///     .jurisdiction(Jurisdiction::new("100000", "全国", Level::National, None))
///     .jurisdiction(Jurisdiction::new("150000", "内蒙古自治区", Level::Province, Some("100000")))
///     .plan(Plan::new("150000", "规划", [2021, 2025]).with_indicator(
///         PlanIndicator::literacy_rate(None, YearValue { year: 2025, value: 12.0 }),
///     ))
///     .observation(Observation::new("150000", "literacy_rate", 2020, 8.73))
///     .build()?;
/// assert_eq!(ds.jurisdictions().len(), 2);
/// // A parent that is not in the registry is refused.
/// let orphan = DatasetBuilder::new()
///     .jurisdiction(Jurisdiction::new("150300", "乌海市", Level::Prefecture, Some("150000")))
///     .build();
/// assert!(orphan.is_err());
/// # Ok::<(), litmon::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct DatasetBuilder {
    jurisdictions: Vec<Jurisdiction>,
    plans: Vec<Plan>,
    observations: Vec<Observation>,
}

impl DatasetBuilder {
    /// An empty dataset.
    pub fn new() -> Self {
        DatasetBuilder::default()
    }

    /// Adds a registry row.
    pub fn jurisdiction(mut self, j: Jurisdiction) -> Self {
        self.jurisdictions.push(j);
        self
    }

    /// Adds a plan.
    pub fn plan(mut self, p: Plan) -> Self {
        self.plans.push(p);
        self
    }

    /// Adds an observation.
    pub fn observation(mut self, o: Observation) -> Self {
        self.observations.push(o);
        self
    }

    /// Validates the parts and builds the dataset (warnings in [`Dataset::warnings`]).
    pub fn build(self) -> Result<Dataset> {
        let mut warnings = Vec::new();
        let mut jurisdictions = self.jurisdictions;
        let origins: Vec<[Location; 2]> = jurisdictions
            .iter()
            .map(|j| {
                let at = |column: &str| {
                    Location::at(format!("jurisdiction {}", j.id), 1).with_column(column)
                };
                [at("id"), at("parent")]
            })
            .collect();
        validate_registry(&mut jurisdictions, &origins)?;
        let mut ds = Dataset::from_parts(jurisdictions, Vec::new(), Vec::new());
        let mut plans = self.plans;
        let mut problems = Problems::default();
        for plan in &mut plans {
            validate_plan(
                &ds,
                plan,
                PlanPlaces::Text(""),
                &mut warnings,
                &mut problems,
            );
        }
        problems.into_result()?;
        ds.plans = plans;
        let mut problems = Problems::default();
        ds.observations =
            validate_observations(&ds, self.observations, &[], &mut warnings, &mut problems);
        problems.into_result()?;
        ds.warnings = warnings;
        Ok(ds)
    }
}

/// Warnings kept by [`build`]; the rest are counted in one line.
const MAX_WARNINGS: usize = 50;

/// Parses and validates all sources into a [`Dataset`].
pub fn build(sources: &Sources) -> Result<Dataset> {
    let mut warnings = sources.notes.clone();
    let mut jurisdictions = Vec::new();
    let mut origins = Vec::new();
    // Base rows by id, for the user's rows (`--jurisdictions`) that replace one.
    let mut base: HashMap<String, usize> = HashMap::new();
    for input in &sources.jurisdictions {
        let (js, locs) = parse_registry(input, &mut warnings)?;
        for (j, loc) in js.into_iter().zip(locs) {
            match base.remove(&j.id).filter(|_| input.overrides) {
                Some(k) => {
                    let replaced = replace_registry_row(&mut jurisdictions[k], j);
                    if let Some(was) = replaced {
                        let at = &loc[0];
                        let id = &jurisdictions[k].id;
                        let (file, line) = (&at.file, at.line);
                        let (line_zh, line_en) = match line {
                            Some(l) => (format!(" 第{l}行"), format!(":{l}")),
                            None => (String::new(), String::new()),
                        };
                        let kind = crate::error::DiagnosticKind::RegistryRowReplaced;
                        warnings.push(crate::error::Diagnostic::note(
                            kind,
                            text!(
                                "{file}{line_zh} 替换了地区名录中 {id} 的行（{was}）",
                                "{file}{line_en} replaces the registry row of {id} ({was})"
                            ),
                        ));
                    }
                    origins[k] = loc;
                }
                None => {
                    if !input.overrides {
                        base.insert(j.id.clone(), jurisdictions.len());
                    }
                    jurisdictions.push(j);
                    origins.push(loc);
                }
            }
        }
    }
    validate_registry(&mut jurisdictions, &origins)?;
    // Each plan with the input it came from (by index) and, for a sheet, its cells.
    let mut plans: Vec<(Plan, usize, Option<plan_sheet::SheetPlaces>)> = Vec::new();
    for (k, input) in sources.plans.iter().enumerate() {
        if plan_sheet::is_plan_sheet(input) {
            for (plan, places) in plan_sheet::parse_plan_sheet(input)? {
                plans.push((plan, k, Some(places)));
            }
        } else {
            plans.push((parse_plan(input)?, k, None));
        }
    }
    let mut observations = Vec::new();
    let mut problems = Problems::default();
    for input in &sources.observations {
        observations.extend(parse_observation_rows(input, &mut warnings, &mut problems)?);
    }
    let mut ds = Dataset::from_parts(jurisdictions, Vec::new(), Vec::new());
    let mut plan_problems = Problems::default();
    for (plan, k, sheet) in &mut plans {
        let places = match sheet {
            Some(s) => PlanPlaces::Sheet(s),
            None => PlanPlaces::Text(sources.plans[*k].text().unwrap_or("")),
        };
        validate_plan(&ds, plan, places, &mut warnings, &mut plan_problems);
    }
    plan_problems.into_result()?;
    let plans = plans.into_iter().map(|(p, _, _)| p).collect();
    ds.plans = merge_plans(plans, &sources.plans, &mut warnings)?;
    indicator_names::match_plan_indicators(&ds, &mut observations, &mut warnings);
    let overriding: Vec<&str> = sources
        .observations
        .iter()
        .filter(|i| i.overrides)
        .map(|i| i.label.as_str())
        .collect();
    ds.observations =
        validate_observations(&ds, observations, &overriding, &mut warnings, &mut problems);
    problems.into_result()?;
    if warnings.len() > MAX_WARNINGS {
        let more = warnings.len() - MAX_WARNINGS;
        warnings.truncate(MAX_WARNINGS);
        let kind = crate::error::DiagnosticKind::Omitted;
        let message = text!("… 另有 {more} 条警告", "… and {more} more warnings");
        warnings.push(crate::error::Diagnostic::warning(kind, message));
    }
    ds.warnings = warnings;
    ds.inputs = sources.files();
    Ok(ds)
}
