//! The evaluation report: status of every jurisdiction with a target, one section per plan
//! (trajectory chart, narrative, sub-indicator table and chart), data quality, methods and
//! traceability; written as one self-contained HTML file, Markdown with PNG charts, a Word
//! file (report.docx) with the same tables and charts, the charts (PNG and SVG) and every
//! table as CSV.
//!
//! - [`types`]: what a report shows and is asked for; `build`: building it from a dataset
//!   (with `sections`: its charts and plan sections, `credits`: sources and inputs in
//!   words, `quality`: the data-quality notes); [`narrative`]: the narrative's wording.
//! - [`document`]: the report as one document value, laid out by one writer per format:
//!   `html` (report.html), `markdown` (report.md), [`docx`] (report.docx).
//! - `files`: every file of the report directory, swapped in whole.

mod build;
mod credits;
pub mod document;
pub mod docx;
mod files;
mod html;
mod markdown;
pub mod narrative;
mod quality;
mod sections;
pub mod types;

pub use crate::assess::wording::without_hosts;
pub use build::build;
pub use files::{render_files, report_tables, write};
pub use types::{
    InputChecksum, PlanSection, PlanStage, Report, ReportChart, ReportOptions, SourceRow,
};
