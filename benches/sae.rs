//! Bench: Fay–Herriot for 2,844 counties (China's county-level count) with two covariates:
//! σ_u² by each method, β̂, and the EBLUP and MSE of every county (goal < 100 ms).
//! Run with `cargo bench --bench sae`.

use litmon::sae::fay_herriot::VarianceMethod;
use litmon::sae::{small_area_estimates, AreaInput};

fn main() {
    divan::main();
}

const COUNTIES: usize = 2844;

/// Deterministic synthetic counties: rates around 8–14 %, 80–600 respondents, two covariates.
fn counties() -> Vec<AreaInput> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut unif = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..COUNTIES)
        .map(|d| {
            let urban = 0.1 + 0.8 * unif();
            let educ = 0.2 + 0.5 * unif();
            let n = (80.0 + 520.0 * unif()).round();
            let p = (0.05 + 0.06 * urban + 0.04 * educ + 0.03 * (unif() - 0.5)).clamp(0.01, 0.9);
            let se = (p * (1.0 - p) / n).sqrt();
            let direct = (p + se * 2.0 * (unif() - 0.5)).clamp(0.005, 0.95);
            AreaInput {
                id: format!("C{d:04}"),
                direct_pct: Some(100.0 * direct),
                n: Some(n),
                covariates: vec![urban, educ],
                population: Some(200_000.0 + 600_000.0 * unif()),
                ..AreaInput::default()
            }
        })
        .collect()
}

#[divan::bench(args = ["reml", "ml", "fh", "adjusted"])]
fn fay_herriot_2844(bencher: divan::Bencher, method: &str) {
    let areas = counties();
    let opts = litmon::sae::fay_herriot::FitOptions {
        method: method.parse::<VarianceMethod>().unwrap_or_default(),
        ..Default::default()
    };
    bencher.bench(|| small_area_estimates(divan::black_box(&areas), &opts).map(|r| r.rows.len()));
}
