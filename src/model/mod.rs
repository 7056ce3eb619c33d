//! The data model shared by every command: jurisdictions, indicators, plans, observations
//! and the validated [`Dataset`] that holds them.
//!
//! Units: values of percent indicators (unit `pct`, e.g. `literacy_rate`) are percentages
//! (9.0 means 9 %) everywhere in this module; the numeric core converts to proportions itself.

mod dataset;
pub mod format;
mod indicator;
mod jurisdiction;
mod observation;
mod plan;
mod suggest;

pub use crate::error::text::{Lang, Text};
pub use dataset::{Dataset, Dropped, InputFile, InputRole, Lookup};
pub use indicator::{
    name_in, Direction, IndicatorSpec, Kind, Milestone, PlanIndicator, Qualifier, YearValue,
    LITERACY_RATE,
};
pub use jurisdiction::{Jurisdiction, Level, NATION_ID};
pub use observation::{
    binomial_se_pct, implied_sample_size, Observation, SeSource, DEFAULT_DEFF, Z_975,
};
pub use plan::{Plan, PlanMeta};
pub use suggest::{name_core, suggestion_rank, SIMILAR, SUGGESTION_KEY_CHARS};
