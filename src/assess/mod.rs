//! Assessment of each jurisdiction's progress toward its plan target: required and
//! observed pace, the official deterministic categories, projection, probability of
//! reaching the target and a status with a one-sentence reason.
//!
//! Notation: baseline y_b in year b, latest y_t in year t, target y* in year T.

mod evaluate;
mod judge;
pub mod pace;
mod period;
pub mod progress;
mod projection;
mod rates;
mod row;
mod series;
mod status;
pub mod style;
mod targets;
pub mod wording;

pub use evaluate::{assess, assess_one, assess_pace, headline_rows};
pub use judge::{measurement_distribution, sampling_error};
pub use period::{milestone_period, plan_as_of};
pub use projection::{
    latest_data_year, milestone_years, next_milestone_year, project, ProjectionRow,
};
pub use rates::{cagr, is_stale, logit_slope, required_pace, STALE_YEARS};
pub use row::{AssessConfig, AssessRow, RowDetail, SeriesData};
pub use series::{all_series, all_series_points, fit_all, parent_map};
pub use status::{OfficialCategory, Status, StatusRule};
pub use targets::{candidate_targets, TargetRow};
