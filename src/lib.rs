//! # litmon
//!
//! Monitoring of China's citizen scientific-literacy action plans
//! (全民科学素质行动规划纲要实施方案): a validated data model of jurisdictions, plans and
//! observations ([`model`], [`data`]); trend models with honest uncertainty ([`trend`]);
//! assessment against plan targets and milestones ([`mod@assess`]); survey estimation ([`survey`])
//! and small-area estimation ([`sae`]); charts ([`chart`]) and the evaluation report
//! ([`report`]); output tables and files ([`output`]); the command line ([`cli`]).
//!
//! The numeric modules ([`trend`], [`mod@assess`]) take plain slices and structs and do no IO.
//!
//! ```
//! use litmon::assess::{cagr, required_pace};
//! // 乌海: 9.0 % in 2020, target 12 % in 2025.
//! assert!((required_pace(2020, 9.0, 2025, 12.0) - 0.6).abs() < 1e-12);
//! assert!((cagr(2020, 9.0, 2025, 12.0) - 0.0592).abs() < 1e-4);
//! ```

#![deny(missing_docs)]

/// `text!("中文 {x}", "English {x}")`: a [`Text`](crate::error::Text) from two format strings (each captures
/// the variables it names, as `format!`).
#[macro_export]
macro_rules! text {
    ($zh:literal, $en:literal $(,)?) => {
        $crate::error::Text::new(format!($zh), format!($en))
    };
    ($zh:literal, $en:literal, $($arg:tt)+) => {
        $crate::error::Text::new(format!($zh, $($arg)+), format!($en, $($arg)+))
    };
}

pub mod assess;
pub mod chart;
pub mod cli;
pub mod data;
pub mod error;
pub mod model;
pub mod output;
pub mod report;
pub mod sae;
pub mod survey;
pub mod trend;

pub use assess::{assess, AssessConfig, AssessRow, Status};
pub use data::DatasetBuilder;
pub use error::{Error, Location, Result};
pub use model::{Dataset, LITERACY_RATE};
