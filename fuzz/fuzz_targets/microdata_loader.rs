//! Any bytes as respondent microdata: the streaming reader of `litmon estimate` (design
//! columns stratum/psu/weight/fpc, four score columns, two domain tables), then the
//! estimates and their tables.
#![no_main]

use libfuzzer_sys::fuzz_target;
use litmon::survey::ci::CiMethod;
use litmon::survey::design::DesignSpec;
use litmon::survey::reader::accumulate;
use litmon::survey::scoring::ScoringRule;
use litmon::survey::taylor::LonelyPsu;

fuzz_target!(|data: &[u8]| {
    let design = DesignSpec {
        strata: Some("stratum".into()),
        psu: Some("psu".into()),
        weight: "weight".into(),
        fpc: (data.first().is_some_and(|b| b & 1 == 1)).then(|| "fpc".into()),
    };
    let scoring = ScoringRule::default();
    let by = vec![vec!["county".to_string()], vec!["county".into(), "urban".into()]];
    let Ok(acc) = accumulate(data, "fuzz.csv", &design, &scoring, &by, &[]) else {
        return;
    };
    for lonely in [LonelyPsu::Adjust, LonelyPsu::Remove] {
        if let Ok(est) = litmon::survey::estimate_accumulated(
            &acc,
            None,
            &scoring,
            CiMethod::Logit,
            0.95,
            lonely,
        ) {
            let _ = litmon::survey::estimate_table(&est.rows).to_csv();
            let _ = litmon::survey::observations_table(&est.rows, 2022, "fuzz").to_csv();
        }
    }
});
