//! Small-area estimation: the Fay–Herriot core against Python `samplics` `EblupAreaModel`
//! (golden values in tests/fixtures/sae/, made by scripts/reference/sae_reference.py; Python
//! is not needed here), the adjusted estimator, a seeded simulation, benchmarking and the
//! `litmon sae` command.

use std::collections::HashMap;

use litmon::sae::fay_herriot::{fit, Design, FitOptions, VarianceMethod};
use litmon::sae::{benchmark, small_area_estimates, AreaInput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::common::{run_ok, tempdir};
use crate::litmon;

const DIR: &str = "tests/fixtures/sae";

struct Reference {
    areas: Vec<String>,
    y: Vec<f64>,
    psi: Vec<f64>,
    x: Vec<f64>,
}

fn reference_input() -> Reference {
    let mut rdr = csv::Reader::from_path(format!("{DIR}/reference_input.csv"))
        .unwrap_or_else(|e| panic!("reference input: {e}"));
    let mut r = Reference {
        areas: vec![],
        y: vec![],
        psi: vec![],
        x: vec![],
    };
    for rec in rdr.records() {
        let rec = rec.unwrap_or_else(|e| panic!("{e}"));
        let num = |i: usize| rec[i].parse::<f64>().unwrap_or_else(|e| panic!("{e}"));
        r.areas.push(rec[0].to_string());
        r.y.push(num(1));
        r.psi.push(num(2));
        r.x.push(num(3));
    }
    r
}

/// samplics' values per method: area → (eblup, mse), and (σ_u², β0, β1).
fn reference_expected(method: &str) -> (HashMap<String, (f64, f64)>, [f64; 3]) {
    let mut rdr = csv::Reader::from_path(format!("{DIR}/reference_expected.csv"))
        .unwrap_or_else(|e| panic!("reference expected: {e}"));
    let mut out = HashMap::new();
    let mut pars = [0.0; 3];
    for rec in rdr.records() {
        let rec = rec.unwrap_or_else(|e| panic!("{e}"));
        if &rec[0] != method {
            continue;
        }
        let num = |i: usize| rec[i].parse::<f64>().unwrap_or_else(|e| panic!("{e}"));
        out.insert(rec[1].to_string(), (num(2), num(3)));
        pars = [num(4), num(5), num(6)];
    }
    (out, pars)
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

/// Max relative differences (σ_u², EBLUP, MSE) between litmon and samplics for one method.
fn compare(method: VarianceMethod, name: &str) -> (f64, f64, f64) {
    let r = reference_input();
    let rows: Vec<Vec<f64>> = r.x.iter().map(|&x| vec![x]).collect();
    let x = Design::with_intercept(&rows);
    let f = fit(
        &r.y,
        &r.psi,
        &x,
        &FitOptions {
            method,
            ..FitOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(f.converged, "{name}: not converged");
    let (want, pars) = reference_expected(name);
    assert_eq!(want.len(), 30, "{name}: reference rows");
    let d_sigma = rel(f.sigma2_u, pars[0]);
    assert!(rel(f.beta[0], pars[1]) < 1e-6 && rel(f.beta[1], pars[2]) < 1e-6);
    let (mut d_eblup, mut d_mse) = (0.0f64, 0.0f64);
    for (d, area) in r.areas.iter().enumerate() {
        let e = f.predict(r.y[d], r.psi[d], x.row(d));
        let (we, wm) = want[area];
        d_eblup = d_eblup.max(rel(e.eblup, we));
        d_mse = d_mse.max(rel(e.mse, wm));
    }
    eprintln!(
        "samplics {name}: max rel diff σu² {d_sigma:.2e}, EBLUP {d_eblup:.2e}, MSE {d_mse:.2e}"
    );
    (d_sigma, d_eblup, d_mse)
}

#[test]
fn reml_equals_samplics() {
    let (s, e, m) = compare(VarianceMethod::Reml, "reml");
    assert!(s < 1e-6 && e < 1e-6 && m < 1e-6, "{s} {e} {m}");
}

#[test]
fn fh_moment_equals_samplics() {
    let (s, e, m) = compare(VarianceMethod::Fh, "fh");
    assert!(s < 1e-6 && e < 1e-6 && m < 1e-6, "{s} {e} {m}");
}

/// samplics 0.6 stops its ML Fisher scoring after two steps (it reports convergence with a
/// zero change), 4e-4 relative short of the maximum: litmon's ML is checked instead by the
/// profile log-likelihood being flat at σ̂_u² (its maximum), and against samplics loosely.
#[test]
fn ml_maximises_the_likelihood() {
    let r = reference_input();
    let rows: Vec<Vec<f64>> = r.x.iter().map(|&x| vec![x]).collect();
    let x = Design::with_intercept(&rows);
    let opts = FitOptions {
        method: VarianceMethod::Ml,
        ..FitOptions::default()
    };
    let f = fit(&r.y, &r.psi, &x, &opts).unwrap_or_else(|e| panic!("{e}"));
    // Profile log-likelihood −½[Σ log v + Σ (y − xβ̂(σ²))²/v].
    let loglik = |s2: f64| {
        let (mut a, mut b, mut c, mut d, mut e) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for k in 0..r.y.len() {
            let w = 1.0 / (s2 + r.psi[k]);
            a += w;
            b += w * r.x[k];
            c += w * r.x[k] * r.x[k];
            d += w * r.y[k];
            e += w * r.x[k] * r.y[k];
        }
        let det = a * c - b * b;
        let (b0, b1) = ((c * d - b * e) / det, (a * e - b * d) / det);
        -0.5 * (0..r.y.len())
            .map(|k| {
                let v = s2 + r.psi[k];
                v.ln() + (r.y[k] - b0 - b1 * r.x[k]).powi(2) / v
            })
            .sum::<f64>()
    };
    let h = 1e-6 * f.sigma2_u;
    let here = loglik(f.sigma2_u);
    assert!(here >= loglik(f.sigma2_u - h) && here >= loglik(f.sigma2_u + h));
    let slope = (loglik(f.sigma2_u + h) - loglik(f.sigma2_u - h)) / (2.0 * h);
    assert!(slope.abs() * f.sigma2_u < 1e-6, "{slope}");
    let (_, pars) = reference_expected("ml");
    assert!(
        rel(f.sigma2_u, pars[0]) < 2e-3,
        "{} vs {}",
        f.sigma2_u,
        pars[0]
    );
}

#[test]
fn adjusted_stays_positive_where_reml_is_zero() {
    // Direct estimates much less spread than their sampling error: REML σ_u² = 0.
    let y = [0.30, 0.31, 0.29, 0.305, 0.295, 0.30, 0.31, 0.29];
    let psi = [0.01; 8];
    let x = Design::intercept(8);
    let reml = fit(&y, &psi, &x, &FitOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(reml.at_zero && reml.sigma2_u == 0.0);
    let adj = fit(
        &y,
        &psi,
        &x,
        &FitOptions {
            method: VarianceMethod::Adjusted,
            ..FitOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(adj.converged && adj.sigma2_u > 0.0, "{adj:?}");
    let e = adj.predict(y[0], psi[0], x.row(0));
    assert!(e.gamma > 0.0 && e.gamma < 1.0 && e.mse > 0.0);
    // With a clearly positive REML estimate, the adjusted one is a little larger.
    let r = reference_input();
    let rows: Vec<Vec<f64>> = r.x.iter().map(|&x| vec![x]).collect();
    let xr = Design::with_intercept(&rows);
    let a = fit(
        &r.y,
        &r.psi,
        &xr,
        &FitOptions {
            method: VarianceMethod::Adjusted,
            ..FitOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (_, pars) = reference_expected("reml");
    assert!(
        a.sigma2_u > pars[0] && a.sigma2_u < 1.5 * pars[0],
        "{}",
        a.sigma2_u
    );
}

#[test]
fn fit_rejects_bad_input() {
    let x = Design::intercept(3);
    assert!(fit(&[0.1, 0.2], &[0.01, 0.01, 0.01], &x, &FitOptions::default()).is_err());
    assert!(fit(
        &[0.1, 0.2, 0.3],
        &[0.01, 0.0, 0.01],
        &x,
        &FitOptions::default()
    )
    .is_err());
    // Collinear covariates.
    let xc = Design::with_intercept(&[vec![1.0], vec![1.0], vec![1.0], vec![1.0]]);
    assert!(fit(
        &[0.1, 0.2, 0.3, 0.2],
        &[0.01; 4],
        &xc,
        &FitOptions::default()
    )
    .is_err());
}

/// A binomial draw as a sum of Bernoulli trials (n is small).
fn binomial(rng: &mut ChaCha8Rng, n: u32, p: f64) -> u32 {
    (0..n).filter(|_| rng.gen::<f64>() < p).count() as u32
}

/// Seeded simulation: 400 counties with true rates from a covariate and a county effect,
/// surveys of 60–400 respondents; the EBLUP's mean squared error against the truth is well
/// below the direct estimates'.
#[test]
fn simulation_eblup_beats_direct() {
    let mut rng = ChaCha8Rng::seed_from_u64(2844);
    let m = 400;
    let mut areas = Vec::new();
    let mut truth = Vec::new();
    for d in 0..m {
        let urban: f64 = rng.gen_range(0.1..0.9);
        let effect: f64 = rng.gen_range(-0.08..0.08);
        let theta = (0.06f64 + 0.10 * urban).sqrt().asin() + effect;
        let p = theta.sin().powi(2);
        let n: u32 = rng.gen_range(60..400);
        let k = binomial(&mut rng, n, p).max(1);
        let direct = 100.0 * f64::from(k) / f64::from(n);
        truth.push(100.0 * p);
        areas.push(AreaInput {
            id: format!("c{d}"),
            direct_pct: Some(direct),
            n: Some(f64::from(n)),
            covariates: vec![urban],
            ..AreaInput::default()
        });
    }
    let res =
        small_area_estimates(&areas, &FitOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let mse_direct: f64 = areas
        .iter()
        .zip(&truth)
        .map(|(a, t)| (a.direct_pct.unwrap_or(f64::NAN) - t).powi(2))
        .sum::<f64>()
        / m as f64;
    let mse_eblup: f64 = res
        .rows
        .iter()
        .zip(&truth)
        .map(|(r, t)| (r.eblup - t).powi(2))
        .sum::<f64>()
        / m as f64;
    let ratio = mse_eblup / mse_direct;
    // The estimated MSE is honest on average (within 25 % of the realised one).
    let mean_est: f64 = res.rows.iter().map(|r| r.mse).sum::<f64>() / m as f64;
    eprintln!(
        "simulation: MSE direct {mse_direct:.4}, EBLUP {mse_eblup:.4} (ratio {ratio:.3}); mean estimated MSE {mean_est:.4}; σu² {:.5}",
        res.fit.sigma2_u
    );
    assert!(ratio < 0.8, "ratio {ratio}");
    assert!(
        (mean_est / mse_eblup - 1.0).abs() < 0.25,
        "{mean_est} vs {mse_eblup}"
    );
}

#[test]
fn benchmarking_adds_up_to_the_parent() {
    let areas: Vec<AreaInput> = [(8.0, 200.0), (12.0, 150.0), (10.0, 300.0), (15.0, 100.0)]
        .iter()
        .enumerate()
        .map(|(d, &(p, n))| AreaInput {
            id: format!("a{d}"),
            direct_pct: Some(p),
            n: Some(n),
            ..AreaInput::default()
        })
        .collect();
    let mut res =
        small_area_estimates(&areas, &FitOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let w = [1000.0, 3000.0, 2000.0, 500.0];
    let groups = vec![Some("p".to_string()); 4];
    let targets = HashMap::from([("p".to_string(), 11.0)]);
    benchmark(&mut res.rows, &w, &groups, &targets);
    let sw: f64 = w.iter().sum();
    let mean: f64 = res
        .rows
        .iter()
        .zip(w)
        .map(|(r, w)| w * r.benchmarked.unwrap_or(f64::NAN))
        .sum::<f64>()
        / sw;
    assert!((mean - 11.0).abs() < 1e-12, "{mean}");
}

/// stdout of `litmon sae` on the fixture areas with `extra` flags, which must succeed.
fn sae_cli(extra: &[&str]) -> String {
    let base = [
        "--data",
        "tests/fixtures/sae/data",
        "--observations",
        "tests/fixtures/sae/direct_2022.csv",
        "sae",
        "--year",
        "2022",
        "--covariates",
        "tests/fixtures/sae/covariates.csv",
    ];
    let args = [&base[..], extra].concat();
    String::from_utf8(run_ok(&args).0).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn cli_table_and_benchmark() {
    let text = sae_cli(&["--benchmark", "--format", "csv"]);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().unwrap_or_else(|e| panic!("{e}")).clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>().join(","),
        "jurisdiction,direct,direct_se,eblup,mse,rmse,gamma,synthetic,benchmarked"
    );
    let pops: HashMap<String, f64> = csv::Reader::from_path(format!("{DIR}/covariates.csv"))
        .unwrap_or_else(|e| panic!("{e}"))
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{e}"));
            (r[0].to_string(), r[2].parse().unwrap_or(f64::NAN))
        })
        .collect();
    let (mut sw, mut swb, mut rows, mut unsampled) = (0.0, 0.0, 0, 0);
    for rec in rdr.records() {
        let rec = rec.unwrap_or_else(|e| panic!("{e}"));
        rows += 1;
        let num = |i: usize| rec[i].parse::<f64>().unwrap_or(f64::NAN);
        let w = pops[&rec[0]];
        sw += w;
        swb += w * num(8);
        assert!((num(5) - num(4).sqrt()).abs() < 1e-8);
        if rec[1].is_empty() {
            unsampled += 1;
            assert_eq!(num(6), 0.0);
            assert!(
                (num(3) - num(7)).abs() < 1e-9,
                "synthetic area: eblup = synthetic"
            );
        } else {
            assert!(num(6) > 0.0 && num(6) < 1.0);
        }
    }
    assert_eq!((rows, unsampled), (32, 2));
    // The parent 忻州 has 9.5 % in 2022.
    assert!((swb / sw - 9.5).abs() < 1e-8, "{}", swb / sw);
}

#[test]
fn cli_methods_and_bad_flags() {
    for m in ["reml", "ml", "fh", "adjusted"] {
        let text = sae_cli(&["--method", m, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.as_array().map(Vec::len), Some(32), "{m}");
    }
    let mut cmd = litmon();
    cmd.args([
        "--data",
        "tests/fixtures/sae/data",
        "--observations",
        "tests/fixtures/sae/direct_2022.csv",
        "sae",
        "--year",
        "2022",
        "--method",
        "bayes",
    ]);
    cmd.assert().code(2);
    // No direct estimate with se or n in 2019.
    let mut cmd = litmon();
    cmd.args(["--data", "tests/fixtures/sae/data", "sae", "--year", "2019"]);
    cmd.assert().code(2);
}

#[test]
fn cli_to_observations_feeds_assess() {
    let dir = tempdir();
    let obs = dir.path().join("sae_obs.csv");
    let text = sae_cli(&["--benchmark", "--to-observations"]);
    assert!(text.starts_with("jurisdiction,indicator,year,value,se,n,source\n"));
    std::fs::write(&obs, &text).unwrap_or_else(|e| panic!("{e}"));
    let out = litmon()
        .args(["--data", "tests/fixtures/sae/data", "--observations"])
        .arg(&obs)
        .args(["assess", "--format", "csv"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stdout);
    let row = s
        .lines()
        .find(|l| l.starts_with("140921,"))
        .unwrap_or_else(|| panic!("no 140921 row in {s}"));
    assert!(row.contains(",2022,"), "{row}");
}

#[test]
fn consistency_of_children_and_parent() {
    // Two equal-weight children 10 ± 1 and 12 ± 1: mean 11, se √2/2.
    let c = litmon::sae::consistency(&[(1.0, 10.0, 1.0), (1.0, 12.0, 1.0)], 11.5, Some(0.5))
        .unwrap_or_else(|| panic!("no check"));
    assert!((c.children_mean - 11.0).abs() < 1e-12);
    assert!((c.children_se - 0.5f64.sqrt()).abs() < 1e-12);
    assert!((c.z - (-0.5 / 0.75f64.sqrt())).abs() < 1e-12);
    assert!(litmon::sae::consistency(&[], 10.0, None).is_none());
}

#[test]
fn cli_warns_when_children_and_parent_disagree() {
    let out = crate::common::litmon_en()
        .args([
            "--data",
            "tests/fixtures/sae/data",
            "--observations",
            "tests/fixtures/sae/direct_2022.csv",
            "sae",
            "--year",
            "2022",
            "--format",
            "csv",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    // The 30 counties average 10.92 % against 忻州's 9.5 %.
    assert!(
        err.contains("140900") && err.contains("disagree beyond their errors"),
        "{err}"
    );
}

#[test]
fn cli_rolls_up_to_a_parent_without_a_direct_value() {
    let dir = tempdir();
    std::fs::copy(
        "tests/fixtures/sae/data/jurisdictions.csv",
        dir.path().join("jurisdictions.csv"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = litmon()
        .arg("--data")
        .arg(dir.path())
        .args([
            "--observations",
            "tests/fixtures/sae/direct_2022.csv",
            "sae",
            "--year",
            "2022",
            "--format",
            "csv",
        ])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect();
    assert_eq!(rows.len(), 31);
    let parent = rows
        .iter()
        .find(|r| &r[0] == "140900")
        .unwrap_or_else(|| panic!("no roll-up row in {text}"));
    assert!(parent[1].is_empty() && parent[6].is_empty());
    // Equal weights (no covariates): the mean of the 30 EBLUPs; MSE Σ mse / 30².
    let eblups: Vec<f64> = rows
        .iter()
        .filter(|r| &r[0] != "140900")
        .map(|r| r[3].parse::<f64>().unwrap_or(f64::NAN))
        .collect();
    let mses: f64 = rows
        .iter()
        .filter(|r| &r[0] != "140900")
        .map(|r| r[4].parse::<f64>().unwrap_or(f64::NAN))
        .sum();
    let mean = eblups.iter().sum::<f64>() / 30.0;
    assert!((parent[3].parse::<f64>().unwrap_or(f64::NAN) - mean).abs() < 1e-8);
    assert!((parent[4].parse::<f64>().unwrap_or(f64::NAN) - mses / 900.0).abs() < 1e-8);
}

#[test]
fn cli_covariates_must_cover_every_sampled_area() {
    let dir = tempdir();
    let cov = dir.path().join("cov.csv");
    std::fs::write(&cov, "jurisdiction,urban_share\n140921,0.3\n140922,0.5\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = litmon()
        .args([
            "--lang",
            "en",
            "--data",
            "tests/fixtures/sae/data",
            "--observations",
            "tests/fixtures/sae/direct_2022.csv",
            "sae",
            "--year",
            "2022",
            "--covariates",
        ])
        .arg(&cov)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("direct_2022.csv") && err.contains("no row in the covariates"),
        "{err}"
    );
    // An unknown jurisdiction in the covariates names the file and line.
    std::fs::write(&cov, "jurisdiction,urban_share\nnowhere,0.3\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = litmon()
        .args([
            "--lang",
            "en",
            "--data",
            "tests/fixtures/sae/data",
            "--observations",
            "tests/fixtures/sae/direct_2022.csv",
            "sae",
            "--year",
            "2022",
            "--covariates",
        ])
        .arg(&cov)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cov.csv:2") && err.contains("unknown jurisdiction"),
        "{err}"
    );
}
