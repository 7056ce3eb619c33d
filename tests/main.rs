//! One integration-test binary (links once): each module is a test area.

mod architecture;
mod charts;
mod cli;
mod common;
mod evaluation;
mod forecast;
mod io;
mod languages;
mod microdata_inputs;
mod plan_sheets;
mod properties;
mod reference;
mod registry;
mod report;
mod sae;
mod safety;
mod serve;
mod sheets;
mod survey;
mod usability;
mod validation;
mod verdict;

/// Path of the built `litmon` binary under test.
pub fn litmon() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("litmon").unwrap_or_else(|e| panic!("binary not built: {e}"))
}
