//! Shared by the fuzz targets: a small registry and the full load path.

use litmon::data::{build, Input, Sources};

pub const REGISTRY: &str = "id,name_zh,name_en,level,parent\n100000,全国,China,national,\n150000,内蒙古,Inner Mongolia,province,100000\n150300,乌海,Wuhai,prefecture,150000\n";

pub const PLAN: &str = "[plan]\njurisdiction = \"150300\"\ntitle_zh = \"方案\"\nperiod = [2021, 2025]\n\n[[indicator]]\nid = \"literacy_rate\"\nname_zh = \"公民具备科学素质的比例\"\nunit = \"pct\"\nkind = \"level\"\nbaseline = { year = 2020, value = 9.0 }\ntarget = { year = 2025, value = 12.0 }\n";

/// Loads `input` as observations, as a registry and as a plan, then assesses: any panic or
/// abort is a bug; errors are expected.
pub fn exercise(input: Input) {
    let _ = litmon::data::parse_observations(&input);
    let _ = litmon::data::parse_jurisdictions(&input);
    let as_obs = Sources {
        jurisdictions: vec![Input::new("registry.csv", REGISTRY)],
        observations: vec![input.clone()],
        plans: vec![Input::new("plan.toml", PLAN)],
        notes: Vec::new(),
    };
    if let Ok(ds) = build(&as_obs) {
        let rows = litmon::assess::assess(&ds, &litmon::assess::AssessConfig::new("literacy_rate"));
        if let Ok(table) = litmon::output::tables::assess_table(&rows, true) {
            let _ = table.render(litmon::output::Format::Csv);
        }
    }
    let as_registry = Sources {
        jurisdictions: vec![input],
        observations: Vec::new(),
        plans: Vec::new(),
        notes: Vec::new(),
    };
    let _ = build(&as_registry);
}
