//! Assesses 乌海 from typed values — no CSV or TOML text: the registry path to the nation, the
//! plan's 2025 target (12 %, 乌海's 2021–2025 plan) and the published figures (the national
//! survey's 2020 and 2023 values, 乌海's 2020 baseline 9.0 %).
//!
//! ```sh
//! cargo run --example assess_from_rust
//! ```

use litmon::model::{Jurisdiction, Level, Observation, Plan, PlanIndicator, YearValue};
use litmon::{assess, AssessConfig, DatasetBuilder, LITERACY_RATE};

fn main() -> litmon::Result<()> {
    let ds = DatasetBuilder::new()
        .jurisdiction(Jurisdiction::new("100000", "全国", Level::National, None))
        .jurisdiction(Jurisdiction::new(
            "150000",
            "内蒙古自治区",
            Level::Province,
            Some("100000"),
        ))
        .jurisdiction(Jurisdiction::new(
            "150300",
            "乌海市",
            Level::Prefecture,
            Some("150000"),
        ))
        .plan(
            Plan::new(
                "150300",
                "乌海市全民科学素质行动规划纲要实施方案",
                [2021, 2025],
            )
            .with_indicator(PlanIndicator::literacy_rate(
                Some(YearValue {
                    year: 2020,
                    value: 9.0,
                }),
                YearValue {
                    year: 2025,
                    value: 12.0,
                },
            )),
        )
        .observation(Observation::new("100000", LITERACY_RATE, 2020, 10.56))
        .observation(Observation::new("100000", LITERACY_RATE, 2023, 14.14))
        .observation(Observation::new("150300", LITERACY_RATE, 2020, 9.0))
        .build()?;
    for row in assess(&ds, &AssessConfig::new(LITERACY_RATE)) {
        let p = row.p_reach.map_or("—".into(), |p| format!("{:.2}", p));
        println!(
            "{} {}: {} (P(reach 12 % by 2025) = {p})",
            row.jurisdiction,
            row.name_zh,
            row.status.as_str()
        );
    }
    Ok(())
}
