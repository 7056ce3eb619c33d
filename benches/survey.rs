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
use litmon::survey::replicate::{RepType, ReplicateSpec};
use litmon::survey::scoring::ScoringRule;
use litmon::survey::taylor::LonelyPsu;
use litmon::survey::EstimateSpec;

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
        spec: EstimateSpec {
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
            weighting: WeightingConfig::Design,
        },
        to_observations: None,
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

/// issue 20 item 5 (case 5c of `scripts/resource_cases.py`): JK1 replicate weights, 2,000
/// SYNTHETIC rows, row i in PSU i mod R (which replicate i mod R drops, the others × R/(R−1)),
/// 100 domains of 20 rows, `--by county`. The design df needs the rank of the
/// replicate-weight matrix (2,000 merged rows at 4,000 replicates); the time should grow
/// linearly with R (input size), about 4× from 1,000 to 4,000.
#[divan::bench(args = [1000, 4000], sample_count = 5)]
fn estimate_jk1_replicates(b: divan::Bencher, reps: usize) {
    let base = config(PathBuf::new());
    let cfg = EstimateConfig {
        microdata: jk1_file(reps),
        spec: EstimateSpec {
            design: DesignSpec {
                weight: "weight".into(),
                ..DesignSpec::default()
            },
            scoring: ScoringRule::Indicator {
                column: "literate".into(),
            },
            by: vec![vec!["county".into()]],
            weighting: WeightingConfig::Replicate(ReplicateSpec {
                prefix: "repw".into(),
                kind: RepType::Jk1,
                rho: None,
                rscales: None,
                mse: false,
            }),
            ..base.spec
        },
        ..base
    };
    b.bench(|| {
        let est = estimate_file(&cfg).expect("estimate");
        divan::black_box(est.rows.len())
    });
}

/// The case-5c file for `reps` replicates (generated once per run, not committed).
fn jk1_file(reps: usize) -> PathBuf {
    use std::io::Write;
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("tempdir"));
    let path = dir.path().join(format!("jk1_{reps}.csv"));
    if path.exists() {
        return path;
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let cols: Vec<String> = (1..=reps).map(|r| format!("repw{r}")).collect();
    writeln!(f, "id,weight,county,literate,{}", cols.join(",")).expect("write");
    let factor = reps as f64 / (reps as f64 - 1.0);
    let mut state = 1u64;
    for i in 0..2_000usize {
        // A small linear congruential generator: weights 50–150, outcomes 0/1.
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let w = 50.0 + (state >> 40) as f64 / (1u64 << 24) as f64 * 100.0;
        let w = (w * 100.0).round() / 100.0;
        let rep = format!("{:.6}", w * factor);
        let row: Vec<&str> = (0..reps)
            .map(|r| if r == i % reps { "0" } else { rep.as_str() })
            .collect();
        writeln!(
            f,
            "{i},{w},D{},{},{}",
            (i / 20) % 100,
            (state >> 20) & 1,
            row.join(",")
        )
        .expect("write");
    }
    f.flush().expect("flush");
    drop(f);
    path
}
