//! `litmon estimate` end to end from the CSV: 300,000 SYNTHETIC respondents
//! (examples/synth_survey.rs, seed 1), total + 31 provinces + 419 prefectures + ~2,100
//! counties, Taylor SEs, logit intervals, reliability. Goal: < 0.5 s on 2 cores.
//!
//! ```sh
//! cargo bench --bench survey
//! ```

use std::path::PathBuf;
use std::sync::OnceLock;

use litmon::cli::estimate::{estimate_file, EstimateConfig, WeightingConfig};
use litmon::survey::ci::CiMethod;
use litmon::survey::design::DesignSpec;
use litmon::survey::scoring::ScoringRule;
use litmon::survey::taylor::LonelyPsu;

#[path = "../examples/synth_survey.rs"]
mod synth;

fn main() {
    divan::main();
}

fn file(rows: usize) -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("tempdir"));
    let path = dir.path().join(format!("synthetic_{rows}.csv"));
    if !path.exists() {
        let f = std::fs::File::create(&path).expect("create");
        synth::write_synthetic(f, rows, 1).expect("write");
    }
    path
}

fn config(path: PathBuf) -> EstimateConfig {
    EstimateConfig {
        microdata: path,
        design: DesignSpec {
            strata: Some("prefecture".into()),
            psu: Some("psu".into()),
            weight: "weight".into(),
            fpc: Some("fpc".into()),
        },
        scoring: ScoringRule::default(),
        by: vec![
            vec!["province".into()],
            vec!["prefecture".into()],
            vec!["county".into()],
        ],
        ci: CiMethod::Logit,
        confidence: 0.95,
        lonely_psu: LonelyPsu::Adjust,
        to_observations: None,
        weighting: WeightingConfig::Design,
        read: Default::default(),
    }
}

#[divan::bench(sample_count = 10)]
fn estimate_300k_total_province_prefecture_county(b: divan::Bencher) {
    let cfg = config(file(300_000));
    b.bench(|| {
        let est = estimate_file(&cfg).expect("estimate");
        divan::black_box(est.rows.len())
    });
}

/// 10 million SYNTHETIC respondents (about 740 MB, generated once per run into a temporary
/// directory, not committed): the same tables. Goal (issue 13): at most 0.6 × the time polars
/// takes to read the same CSV, peak memory under 200 MB — `scripts/estimate_vs_polars.py`
/// measures both side by side.
#[divan::bench(sample_count = 3)]
fn estimate_10m_total_province_prefecture_county(b: divan::Bencher) {
    let cfg = config(file(10_000_000));
    b.bench(|| {
        let est = estimate_file(&cfg).expect("estimate");
        divan::black_box(est.rows.len())
    });
}
