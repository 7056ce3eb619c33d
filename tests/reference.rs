//! The trend core against R reference values (`scripts/reference/trend_reference.R`,
//! fixture `tests/fixtures/reference/trend_wls.csv`; R 4.2.2, metafor 3.8-1).

use std::collections::HashMap;

use approx::assert_relative_eq;
use litmon::trend::dist::{std_cdf, std_quantile};
use litmon::trend::{fit_logit, LogitConfig, ResidualPrior, TrendPoint};

fn fixture() -> HashMap<(String, String), f64> {
    include_str!("fixtures/reference/trend_wls.csv")
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut it = l.split(',');
            let case = it.next()?.to_string();
            let q = it.next()?.to_string();
            let v = it.next()?.parse().ok()?;
            Some(((case, q), v))
        })
        .collect()
}

fn r(f: &HashMap<(String, String), f64>, case: &str, q: &str) -> f64 {
    *f.get(&(case.to_string(), q.to_string()))
        .unwrap_or_else(|| panic!("fixture lacks {case}/{q}"))
}

fn points(years: &[i32], values: &[f64], se: Option<&[f64]>) -> Vec<TrendPoint> {
    years
        .iter()
        .zip(values)
        .enumerate()
        .map(|(i, (&year, &value))| TrendPoint {
            year,
            value,
            se: se.map(|s| s[i]),
        })
        .collect()
}

const AB_YEARS: [i32; 5] = [2015, 2018, 2020, 2022, 2023];
const AB_VALUES: [f64; 5] = [6.20, 8.47, 10.56, 12.93, 14.14];

/// Relative-weight case: `lm(qlogis(p) ~ x, weights = w)` + `predict(interval = "prediction")`.
fn check_lm_case(case: &str, pts: &[TrendPoint], half_life: Option<f64>, target: f64) {
    let f = fixture();
    let cfg = LogitConfig {
        half_life,
        prior_df: 0.0,
        shrink: false,
    };
    let fit = fit_logit(pts, &cfg, None, &ResidualPrior::FALLBACK).expect("fit");
    assert_eq!(fit.model, "logit_wls");
    let tol = 1e-10;
    let intercept_2023 = fit.anchor + fit.slope * (2023.0 - fit.anchor_year);
    assert_relative_eq!(intercept_2023, r(&f, case, "intercept"), max_relative = tol);
    assert_relative_eq!(fit.slope, r(&f, case, "slope"), max_relative = tol);
    assert_relative_eq!(
        fit.slope_var.sqrt(),
        r(&f, case, "se_slope"),
        max_relative = tol
    );
    assert_relative_eq!(fit.new_var.sqrt(), r(&f, case, "sigma"), max_relative = tol);
    assert_eq!(fit.df, Some(r(&f, case, "df_resid")));
    for year in [2024, 2025] {
        let pred = fit.predictive(year);
        let h = year as f64 - fit.anchor_year;
        let se_fit = (fit.anchor_var + h * h * fit.slope_var).sqrt();
        assert_relative_eq!(
            pred.mu,
            r(&f, case, &format!("fit_{year}")),
            max_relative = tol
        );
        assert_relative_eq!(
            se_fit,
            r(&f, case, &format!("se_fit_{year}")),
            max_relative = tol
        );
        let fc = pred.forecast(year);
        for (name, v) in [
            ("median", fc.median),
            ("lo80", fc.lo80),
            ("hi80", fc.hi80),
            ("lo95", fc.lo95),
            ("hi95", fc.hi95),
        ] {
            assert_relative_eq!(
                v,
                r(&f, case, &format!("{name}_{year}")),
                max_relative = 1e-9
            );
        }
    }
    let p = fit.predictive(2025).prob_at_least(target);
    assert_relative_eq!(p, r(&f, case, "p_reach_2025"), max_relative = 1e-9);
}

#[test]
fn case_a_equal_weights_matches_r_lm() {
    check_lm_case("A", &points(&AB_YEARS, &AB_VALUES, None), None, 15.0);
}

#[test]
fn case_b_recency_weights_match_r_lm() {
    // R: w = 0.5^((2023 - year)/5), i.e. a five-year half-life.
    check_lm_case("B", &points(&AB_YEARS, &AB_VALUES, None), Some(5.0), 15.0);
}

#[test]
fn case_c_three_points_student_t_1df_matches_r() {
    check_lm_case(
        "C",
        &points(&[2020, 2022, 2023], &[9.0, 9.8, 10.9], None),
        None,
        12.0,
    );
}

/// Known-variance case: metafor `rma(yi, vi, mods = ~x, method = "DL")` + `predict`.
fn check_rma_case(case: &str, pts: &[TrendPoint]) {
    let f = fixture();
    let cfg = LogitConfig {
        half_life: None,
        prior_df: 0.0,
        shrink: false,
    };
    let fit = fit_logit(pts, &cfg, None, &ResidualPrior::FALLBACK).expect("fit");
    let tol = 1e-9;
    let tau2 = r(&f, case, "tau2");
    if tau2 == 0.0 {
        assert_eq!(fit.new_var, 0.0);
    } else {
        assert_relative_eq!(fit.new_var, tau2, max_relative = tol);
    }
    assert_eq!(fit.df, None, "known variances give Normal intervals");
    let intercept_2023 = fit.anchor + fit.slope * (2023.0 - fit.anchor_year);
    assert_relative_eq!(intercept_2023, r(&f, case, "intercept"), max_relative = tol);
    assert_relative_eq!(fit.slope, r(&f, case, "slope"), max_relative = tol);
    assert_relative_eq!(
        fit.slope_var.sqrt(),
        r(&f, case, "se_slope"),
        max_relative = tol
    );
    let pred = fit.predictive(2025);
    let h = 2025.0 - fit.anchor_year;
    assert_relative_eq!(pred.mu, r(&f, case, "pred_2025"), max_relative = tol);
    assert_relative_eq!(
        (fit.anchor_var + h * h * fit.slope_var).sqrt(),
        r(&f, case, "se_2025"),
        max_relative = tol
    );
    let z95 = std_quantile(0.975, None);
    let z80 = std_quantile(0.9, None);
    assert_relative_eq!(
        pred.mu - z95 * pred.sd,
        r(&f, case, "pi_lb_2025"),
        max_relative = tol
    );
    assert_relative_eq!(
        pred.mu + z95 * pred.sd,
        r(&f, case, "pi_ub_2025"),
        max_relative = tol
    );
    assert_relative_eq!(
        pred.mu - z80 * pred.sd,
        r(&f, case, "pi80_lb_2025"),
        max_relative = tol
    );
    assert_relative_eq!(
        pred.mu + z80 * pred.sd,
        r(&f, case, "pi80_ub_2025"),
        max_relative = tol
    );
    assert_relative_eq!(
        pred.prob_at_least(15.0),
        r(&f, case, "p_reach_2025"),
        max_relative = tol
    );
}

#[test]
fn case_d_known_se_tau2_zero_matches_metafor() {
    let pts = points(
        &[2018, 2020, 2022, 2023],
        &[8.47, 10.56, 12.93, 14.14],
        Some(&[0.30, 0.25, 0.20, 0.20]),
    );
    check_rma_case("D", &pts);
}

#[test]
fn case_f_known_se_tau2_positive_matches_metafor() {
    let pts = points(
        &AB_YEARS,
        &[6.20, 8.47, 10.10, 12.93, 13.60],
        Some(&[0.05; 5]),
    );
    check_rma_case("F", &pts);
}

#[test]
fn distribution_functions_match_r() {
    let f = fixture();
    let tol = 1e-9;
    assert_relative_eq!(
        std_quantile(0.9, Some(1.0)),
        r(&f, "E", "qt_0.9_df1"),
        max_relative = tol
    );
    assert_relative_eq!(
        std_quantile(0.975, Some(1.0)),
        r(&f, "E", "qt_0.975_df1"),
        max_relative = tol
    );
    assert_relative_eq!(
        std_quantile(0.9, Some(3.0)),
        r(&f, "E", "qt_0.9_df3"),
        max_relative = tol
    );
    assert_relative_eq!(
        std_quantile(0.975, Some(3.0)),
        r(&f, "E", "qt_0.975_df3"),
        max_relative = tol
    );
    assert_relative_eq!(
        std_quantile(0.9, None),
        r(&f, "E", "qnorm_0.9"),
        max_relative = tol
    );
    assert_relative_eq!(
        std_quantile(0.975, None),
        r(&f, "E", "qnorm_0.975"),
        max_relative = tol
    );
    assert_relative_eq!(
        std_cdf(-0.5, None),
        r(&f, "E", "pnorm_-0.5"),
        max_relative = tol
    );
    assert_relative_eq!(
        std_cdf(-0.5, Some(3.0)),
        r(&f, "E", "pt_-0.5_df3"),
        max_relative = tol
    );
}

/// The `local_angular` level filter against `scripts/reference/local_filter_reference.py`
/// (statsmodels' KalmanFilter for a known drift; for an uncertain drift, the exact error
/// variance of the Schmidt–Kalman estimate by coefficient propagation in numpy).
#[test]
fn local_level_filter_matches_statsmodels_and_exact_error_variance() {
    let text = include_str!("fixtures/reference/local_filter.csv");
    let nums = |s: &str| -> Vec<f64> {
        s.split(';')
            .map(|x| x.parse().unwrap_or_else(|e| panic!("{x}: {e}")))
            .collect()
    };
    let mut n = 0;
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let num = |i: usize| -> f64 { f[i].parse().unwrap_or_else(|e| panic!("{}: {e}", f[i])) };
        let (beta, vb, q) = (num(1), num(2), num(3));
        let (t, y, v) = (nums(f[4]), nums(f[5]), nums(f[6]));
        let got = litmon::trend::local::schmidt_kalman(&t, &y, &v, beta, vb, q);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-8 * b.abs().max(1e-12);
        assert!(
            close(got.mean, num(7)),
            "{}: mean {} vs {}",
            f[0],
            got.mean,
            num(7)
        );
        assert!(
            close(got.var, num(8)) || (got.var - num(8)).abs() < 1e-18,
            "{}: var {} vs {}",
            f[0],
            got.var,
            num(8)
        );
        assert!(
            close(got.cov, num(9)) || (got.cov - num(9)).abs() < 1e-18,
            "{}: cov {} vs {}",
            f[0],
            got.cov,
            num(9)
        );
        n += 1;
    }
    assert_eq!(n, 5);
}
