//! Any bytes as respondent microdata: the streaming reader of `litmon estimate` (design
//! columns stratum/psu/weight/fpc, four score columns, two domain tables), then the
//! estimates and their tables.
#![no_main]

use libfuzzer_sys::fuzz_target;
use litmon::survey::ci::CiMethod;
use litmon::survey::design::DesignSpec;
use litmon::survey::scoring::ScoringRule;
use litmon::survey::taylor::LonelyPsu;
use litmon::survey::{accumulate, estimate_accumulated, EstimateSpec, WeightingSpec};

fuzz_target!(|data: &[u8]| {
    let mut spec = EstimateSpec {
        design: DesignSpec {
            strata: Some("stratum".into()),
            psu: Some("psu".into()),
            weight: "weight".into(),
            fpc: (data.first().is_some_and(|b| b & 1 == 1)).then(|| "fpc".into()),
        },
        scoring: ScoringRule::default(),
        by: vec![vec!["county".to_string()], vec!["county".into(), "urban".into()]],
        ci: CiMethod::Logit,
        confidence: 0.95,
        lonely_psu: LonelyPsu::Adjust,
        weighting: WeightingSpec::Design,
    };
    let Ok(acc) = accumulate(data, "fuzz.csv", &spec) else {
        return;
    };
    for lonely in [LonelyPsu::Adjust, LonelyPsu::Remove] {
        spec.lonely_psu = lonely;
        if let Ok(est) = estimate_accumulated(&acc, &spec, &[]) {
            let _ = litmon::survey::estimate_table(&est.rows).to_csv();
            let _ = litmon::survey::observations_table(&est.rows, 2022, "fuzz").to_csv();
        }
    }
});
