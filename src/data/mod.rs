//! Loading and validating datasets: the registry (`jurisdictions.csv`), observations
//! (`observations.csv`) and plan documents (`plans/*.toml`, `seeds/*.toml`).
//!
//! Parsing works on text already in memory (`parse_*`), so it is testable without files;
//! [`load`] does the file IO and [`embedded`] serves the built-in default.
//!
//! One concept per file: [`Input`] and [`Sources`] (`sources`), reading the command line's
//! files (`load`), assembling a [`Dataset`](crate::model::Dataset) (`dataset`), the registry
//! (`registry`), plan TOML (`plan_toml`), checking a plan (`plan_check`), merging plans
//! (`plan_merge`), observations (`observations`), the fraction check (`fraction`),
//! unknown-jurisdiction suggestions (`suggest`), and reading tables (`table`, `csvread`).

mod csvread;
mod dataset;
pub mod embedded;
pub mod export;
mod fraction;
mod indicator_names;
mod load;
pub mod microdata;
mod observations;
mod plan_check;
mod plan_merge;
pub mod plan_sheet;
mod plan_toml;
pub mod progress_template;
mod registry;
mod sources;
mod suggest;
mod table;

pub use csvread::{canonical_header, HeaderKind};
pub use dataset::{build, DatasetBuilder};
pub use load::{dir_sources_with, is_plan_file, load, load_sources, LoadOptions};
pub use observations::parse_observations;
pub use plan_toml::parse_plan;
pub use registry::parse_jurisdictions;
pub(crate) use sources::read_small_text;
pub use sources::{Content, Input, Sources};
pub use suggest::unknown_jurisdiction_message;
pub use table::{
    decode_text, is_spreadsheet, parse_number, read_table, table_from_bytes, RawRow, RawTable,
    ReadOptions, TextEncoding,
};
pub(crate) use table::{read_bytes, MAX_INPUT_BYTES};
