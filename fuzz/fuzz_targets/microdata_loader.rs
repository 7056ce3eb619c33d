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
            // A row type that cannot be written as cells is a bug: let the fuzzer see it.
            let table = litmon::survey::estimate_table(&est.rows).expect("estimate rows are records");
            let _ = table.to_csv();
            let obs = litmon::survey::observations_table(&est.rows, 2022, "fuzz", None)
                .expect("observation rows are records");
            let _ = obs.to_csv();
        }
    }
});
