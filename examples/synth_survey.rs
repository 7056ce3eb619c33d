//! SYNTHETIC national-style literacy-survey microdata (not real data), seeded and reproducible:
//! 31 provinces (GB/T 2260 codes) → 419 prefectures (the strata) → ~2,100 counties → PSUs of
//! about 45 respondents, with PSU-level base weights times respondent adjustments, an fpc (PSUs
//! in the stratum's population), demographics (sex, age, urban, education) and the four score
//! parts of the 2022+ test (knowledge 0–40, method 0–20, spirit 0–20, application 0–20;
//! literate at a total of 70, about 14 % nationally). PSU ids start with `SYN` to mark the data
//! as synthetic.
//!
//! ```sh
//! cargo run --release --example synth_survey -- --rows 300000 --seed 1 -o synthetic_survey.csv
//! litmon estimate --microdata synthetic_survey.csv --strata prefecture --psu psu \
//!     --weight weight --fpc fpc --by province --by prefecture --by county
//! ```
//!
//! Benches and tests include this file as a module (`#[path]`) and call [`write_synthetic`].

#![allow(dead_code)]

use std::io::Write;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// GB/T 2260 codes of the 31 provinces.
pub const PROVINCES: [u32; 31] = [
    110000, 120000, 130000, 140000, 150000, 210000, 220000, 230000, 310000, 320000, 330000, 340000,
    350000, 360000, 370000, 410000, 420000, 430000, 440000, 450000, 460000, 500000, 510000, 520000,
    530000, 540000, 610000, 620000, 630000, 640000, 650000,
];

/// The header of the synthetic file.
pub const HEADER: &str = "id,province,prefecture,county,psu,weight,fpc,sex,age,urban,edu,\
                          knowledge,method,spirit,application";

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // Box–Muller.
    let u1: f64 = rng.gen::<f64>().max(1e-300);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Writes about `rows` respondents (the exact count is returned) to `out`.
pub fn write_synthetic<W: Write>(out: W, rows: usize, seed: u64) -> std::io::Result<usize> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
    writeln!(w, "{HEADER}")?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n_pref = 419usize;
    let per_pref = rows.div_ceil(n_pref).max(1);
    // Prefectures spread over provinces: 13 or 14 each (419 = 31 · 13 + 16).
    let mut written = 0usize;
    let mut id = 0u64;
    for pref_no in 0..n_pref {
        if written >= rows {
            break;
        }
        let prov_idx = pref_no % 31;
        let prov = PROVINCES[prov_idx];
        let pref = prov + 100 * (pref_no / 31 + 1) as u32;
        let prov_effect = -0.25 + 0.5 * (prov_idx as f64 / 30.0) + 0.2 * normal(&mut rng);
        let pref_effect = prov_effect + 0.15 * normal(&mut rng);
        let n_county = 4 + (pref_no % 3); // 4–6 counties, ~2,100 in all
        let target = per_pref.min(rows - written);
        let per_county = target.div_ceil(n_county);
        let mut pref_rows = 0usize;
        let n_psu_pref = per_county.div_ceil(45).max(2) * n_county;
        let fpc = (n_psu_pref * (5 + pref_no % 20)) as u32;
        let mut psu_no = 0usize;
        for c in 0..n_county {
            let county = pref + c as u32 + 1;
            let urban_share = 0.3 + 0.5 * rng.gen::<f64>();
            let mut county_rows = per_county.min(target - pref_rows);
            let n_psu = county_rows.div_ceil(45).max(2);
            let county_effect = pref_effect + 0.1 * normal(&mut rng);
            for p in 0..n_psu {
                psu_no += 1;
                let m = if p + 1 == n_psu {
                    county_rows
                } else {
                    county_rows / (n_psu - p)
                };
                county_rows -= m;
                let urban = u8::from(rng.gen::<f64>() < urban_share);
                let psu_effect = county_effect + 0.25 * normal(&mut rng);
                let base_w = 1_000_000.0 / per_pref as f64 * (0.5 + rng.gen::<f64>());
                for _ in 0..m {
                    id += 1;
                    let sex = 1 + u8::from(rng.gen::<bool>());
                    let age = rng.gen_range(18..=69u32);
                    let edu = rng.gen_range(1..=5u32);
                    let theta = -0.55
                        + psu_effect
                        + 0.35 * f64::from(urban)
                        + 0.45 * (f64::from(edu) - 3.0)
                        - 0.012 * (f64::from(age) - 40.0)
                        + 0.55 * normal(&mut rng);
                    let part = |max: f64, rng: &mut ChaCha8Rng| {
                        (max * sigmoid(1.2 * theta + 0.4 * normal(rng))).round()
                    };
                    let k = part(40.0, &mut rng);
                    let me = part(20.0, &mut rng);
                    let s = part(20.0, &mut rng);
                    let a = part(20.0, &mut rng);
                    let wt = base_w * (0.7 + 0.6 * rng.gen::<f64>());
                    writeln!(
                        w,
                        "{id},{prov},{pref},{county},SYN{pref}-{psu_no:03},{wt:.3},{fpc},{sex},{age},{urban},{edu},{k},{me},{s},{a}"
                    )?;
                }
                pref_rows += m;
            }
        }
        written += pref_rows;
    }
    w.flush()?;
    Ok(written)
}

fn main() -> std::io::Result<()> {
    let mut rows = 300_000usize;
    let mut seed = 1u64;
    let mut out: Option<String> = None;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--rows" => rows = v.parse().unwrap_or(rows),
            "--seed" => seed = v.parse().unwrap_or(seed),
            "-o" | "--output" => out = Some(v),
            other => {
                eprintln!(
                    "synth_survey: unknown argument {other:?} (use --rows N --seed S -o FILE)"
                );
                std::process::exit(2);
            }
        }
        i += 2;
    }
    let n = match &out {
        Some(path) => write_synthetic(std::fs::File::create(path)?, rows, seed)?,
        None => write_synthetic(std::io::stdout().lock(), rows, seed)?,
    };
    eprintln!("synth_survey: wrote {n} SYNTHETIC respondents (seed {seed})");
    Ok(())
}
