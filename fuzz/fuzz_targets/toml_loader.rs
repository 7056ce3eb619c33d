//! Any bytes as a plan TOML file: decode, parse, validate against a small registry, assess.
#![no_main]

use libfuzzer_sys::fuzz_target;
use litmon::data::{build, Input, ReadOptions, Sources};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(plan) = Input::from_bytes("fuzz.toml", data, &ReadOptions::default()) else {
        return;
    };
    let _ = litmon::data::parse_plan(&plan);
    let sources = Sources {
        jurisdictions: vec![Input::new("registry.csv", common::REGISTRY)],
        observations: vec![Input::new(
            "obs.csv",
            "jurisdiction,year,value\n150300,2020,9.0\n乌海,2022,9.8\n",
        )],
        plans: vec![plan],
        notes: Vec::new(),
    };
    if let Ok(ds) = build(&sources) {
        let rows = litmon::assess::assess(&ds, &litmon::assess::AssessConfig::new("literacy_rate"));
        if let Ok(table) = litmon::output::tables::assess_table(&rows, true) {
            let _ = table.render(litmon::output::Format::Csv);
        }
    }
});
