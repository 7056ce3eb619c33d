//! Bench: loading. (1) The embedded dataset (the full 3,343-row registry, every observation
//! and plan) and `assess` on it, the work of `litmon assess` before output (goal < 100 ms
//! median). (2) One plan file of 100, 1,000 and 10,000 indicators through the loader
//! (parse, validation, merge): the time must grow linearly (about ten times per step), not
//! quadratically. Run with `cargo bench --bench loading`.

use litmon::assess::{assess, AssessConfig};
use litmon::data::{build, load, Input, LoadOptions, Sources};

fn main() {
    divan::main();
}

/// The embedded dataset, loaded and validated.
#[divan::bench(sample_count = 10)]
fn load_embedded() -> usize {
    let ds = load(&LoadOptions::default()).unwrap_or_else(|e| panic!("embedded data: {e}"));
    ds.jurisdictions().len()
}

/// The embedded dataset loaded, then assessed (`litmon assess` without the output).
#[divan::bench(sample_count = 10)]
fn load_embedded_and_assess() -> usize {
    let ds = load(&LoadOptions::default()).unwrap_or_else(|e| panic!("embedded data: {e}"));
    assess(&ds, &AssessConfig::new("literacy_rate")).len()
}

/// A plan of `n` annual sub-indicators for 乌海 (150300), each with a note and a lead.
fn plan_text(n: usize) -> String {
    let mut t = String::from(
        "[plan]\njurisdiction = \"150300\"\ntitle_zh = \"乌海市全民科学素质行动规划纲要实施方案（2021—2025年）\"\nperiod = [2021, 2025]\nsource = \"bench\"\n",
    );
    for i in 0..n {
        t.push_str(&format!(
            "\n[[indicator]]\nid = \"sub_{i}\"\nname_zh = \"指标{i}\"\nname_en = \"Indicator {i}\"\nunit = \"count\"\nunit_zh = \"次\"\nkind = \"annual\"\ndirection = \"increase\"\ntarget = {{ year = 2025, value = {} }}\nlead_zh = \"市科协\"\nnote = \"generated\"\n",
            10 + i % 90
        ));
    }
    t
}

/// One plan file of `n` indicators through the loader, with a two-row registry.
#[divan::bench(sample_count = 10, args = [100, 1_000, 10_000])]
fn load_plan_of_n_indicators(bencher: divan::Bencher, n: usize) {
    let registry = "id,name_zh,name_en,level,parent\n100000,全国,China,national,\n150300,乌海,Wuhai,prefecture,100000\n";
    let text = plan_text(n);
    bencher.bench(|| {
        let sources = Sources {
            jurisdictions: vec![Input::new("jurisdictions.csv", registry)],
            observations: Vec::new(),
            plans: vec![Input::new("plan.toml", text.as_str())],
            notes: Vec::new(),
        };
        let ds = build(divan::black_box(&sources)).unwrap_or_else(|e| panic!("plan: {e}"));
        ds.plans[0].indicators.len()
    });
}
