//! Property tests of the trend core: interval ordering and range, probabilities in [0, 1]
//! and monotone in the target, for any short series the models may meet.

use litmon::trend::{
    fit_benchmark, fit_logit, LogitConfig, ModelKind, ResidualPrior, SlopePrior, TrendPoint,
};
use proptest::prelude::*;

fn series() -> impl Strategy<Value = Vec<TrendPoint>> {
    proptest::collection::btree_map(
        2000i32..2024,
        (0.3f64..60.0, proptest::option::of(0.01f64..2.0)),
        1..7,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(year, (value, se))| TrendPoint { year, value, se })
            .collect()
    })
}

fn prior() -> impl Strategy<Value = Option<SlopePrior>> {
    proptest::option::of((-0.2f64..0.4, 1e-6f64..0.01, 0.0f64..0.01).prop_map(
        |(slope, var_mean, var_between)| SlopePrior {
            slope,
            var_mean,
            var_between,
            k: 5,
            source: litmon::trend::PriorSource::Other("test".into()),
        },
    ))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn intervals_are_ordered_and_inside_0_100(pts in series(), pr in prior(), half in proptest::option::of(1.0f64..20.0), year in 2024i32..2031) {
        let cfg = LogitConfig { half_life: half, ..LogitConfig::default() };
        let resid = ResidualPrior { var: 0.005, df: 20.0 };
        let fit = fit_logit(&pts, &cfg, pr.as_ref(), &resid).expect("fit");
        let f = fit.predictive(year).forecast(year);
        prop_assert!(f.lo95 <= f.lo80 && f.lo80 <= f.median && f.median <= f.hi80 && f.hi80 <= f.hi95, "{f:?}");
        prop_assert!(f.lo95 > 0.0 && f.hi95 < 100.0, "{f:?}");
    }

    #[test]
    fn p_reach_is_a_probability_non_increasing_in_the_target(pts in series(), pr in prior(), t1 in 1.0f64..50.0, dt in 0.0f64..30.0) {
        let resid = ResidualPrior { var: 0.005, df: 20.0 };
        let fit = fit_logit(&pts, &LogitConfig::default(), pr.as_ref(), &resid).expect("fit");
        let pred = fit.predictive(2025);
        let (p1, p2) = (pred.prob_at_least(t1), pred.prob_at_least(t1 + dt));
        prop_assert!((0.0..=1.0).contains(&p1) && (0.0..=1.0).contains(&p2));
        prop_assert!(p2 <= p1 + 1e-12, "P({t1}) = {p1} < P({}) = {p2}", t1 + dt);
    }

    #[test]
    fn benchmark_intervals_are_ordered(pts in series(), year in 2024i32..2031) {
        prop_assume!(pts.len() >= 2);
        for kind in [ModelKind::LinearPp, ModelKind::Cagr, ModelKind::RwDriftLogit] {
            let resid = ResidualPrior { var: 0.01, df: 10.0 };
            let fit = fit_benchmark(kind, &pts, &resid).expect("fit");
            let f = fit.predictive(year).forecast(year);
            prop_assert!(f.lo95 <= f.lo80 && f.lo80 <= f.median && f.median <= f.hi80 && f.hi80 <= f.hi95, "{kind:?} {f:?}");
            prop_assert!(f.lo95 >= 0.0 && f.hi95 <= 100.0, "{kind:?} {f:?}");
        }
    }
}

/// A two-level panel (parent `P` and child `C`) for `local_angular`.
fn local_fits(parent: &[TrendPoint], child: &[TrendPoint]) -> Vec<Option<litmon::trend::TrendFit>> {
    use std::collections::HashMap;
    let series = vec![
        litmon::trend::Series {
            id: "P".into(),
            level: None,
            points: parent.to_vec(),
        },
        litmon::trend::Series {
            id: "C".into(),
            level: None,
            points: child.to_vec(),
        },
    ];
    let parents: HashMap<String, String> = [("C".to_string(), "P".to_string())].into();
    litmon::trend::local::fit_local_panel(&series, &parents, &Default::default()).1
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn local_angular_intervals_are_ordered_and_inside_0_100(parent in series(), child in series(), year in 2024i32..2040) {
        for fit in local_fits(&parent, &child).into_iter().flatten() {
            let f = fit.predictive(year).forecast(year);
            prop_assert!(f.lo95 <= f.lo80 && f.lo80 <= f.median && f.median <= f.hi80 && f.hi80 <= f.hi95, "{f:?}");
            prop_assert!(f.lo95 > 0.0 && f.hi95 < 100.0, "{f:?}");
        }
    }

    #[test]
    fn local_angular_p_reach_non_increasing_in_the_target(parent in series(), child in series(), t1 in 1.0f64..50.0, dt in 0.0f64..30.0) {
        for fit in local_fits(&parent, &child).into_iter().flatten() {
            let pred = fit.predictive(2030);
            let (p1, p2) = (pred.prob_at_least(t1), pred.prob_at_least(t1 + dt));
            prop_assert!((0.0..=1.0).contains(&p1) && (0.0..=1.0).contains(&p2));
            prop_assert!(p2 <= p1 + 1e-12, "P({t1}) = {p1} < P({}) = {p2}", t1 + dt);
        }
    }

    /// A new survey value after the latest one moves the filtered level from its prediction
    /// toward the value, never past it (the level filter of `local_angular`).
    #[test]
    fn adding_a_latest_observation_moves_the_anchor_toward_it(
        pts in proptest::collection::btree_map(2000i32..2024, (0.0f64..1.5, 0.0f64..0.01), 1..6),
        beta in -0.02f64..0.05, vb in 0.0f64..1e-4, q in 0.0f64..1e-3,
        gap in 1i32..4, y_new in 0.0f64..1.5, v_new in 1e-6f64..0.02,
    ) {
        let t: Vec<f64> = pts.keys().map(|&y| f64::from(y)).collect();
        let y: Vec<f64> = pts.values().map(|p| p.0).collect();
        let v: Vec<f64> = pts.values().map(|p| p.1).collect();
        let before = litmon::trend::local::schmidt_kalman(&t, &y, &v, beta, vb, q);
        let t_new = t[t.len() - 1] + f64::from(gap);
        let predicted = before.mean + beta * f64::from(gap);
        let (mut t2, mut y2, mut v2) = (t.clone(), y.clone(), v.clone());
        t2.push(t_new);
        y2.push(y_new);
        v2.push(v_new);
        let after = litmon::trend::local::schmidt_kalman(&t2, &y2, &v2, beta, vb, q);
        let (lo, hi) = if predicted <= y_new { (predicted, y_new) } else { (y_new, predicted) };
        prop_assert!(after.mean >= lo - 1e-12 && after.mean <= hi + 1e-12,
            "level {} not between prediction {} and value {}", after.mean, predicted, y_new);
        // The observation never increases the level variance beyond its prediction's.
        let g = f64::from(gap);
        let p_pred = before.var + 2.0 * g * before.cov + g * g * vb + q * g;
        prop_assert!(after.var <= p_pred + 1e-15);
    }
}

/// A report written once (`litmon report --data tests/fixtures/worked -o DIR`), kept for
/// the cases below: (its directory's owner, the report directory).
fn written_report() -> &'static (tempfile::TempDir, std::path::PathBuf) {
    static REPORT: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> =
        std::sync::OnceLock::new();
    REPORT.get_or_init(|| {
        let root = crate::common::tempdir();
        let dir = root.path().join("rep");
        let out = crate::litmon()
            .args([
                "report",
                "--lang",
                "en",
                "--data",
                "tests/fixtures/worked",
                "-o",
            ])
            .arg(&dir)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (root, dir)
    })
}

/// Copies the directory tree `from` to `to` (files and directories only).
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("list") {
        let p = e.expect("entry").path();
        let name = p.file_name().expect("name");
        if p.is_dir() {
            copy_tree(&p, &to.join(name));
        } else {
            std::fs::copy(&p, to.join(name)).expect("copy");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Issue 20, acceptance: `report -o d` never deletes a file it did not write. User files
    /// planted anywhere in a written report — the top level, `charts/`, `tables/`, a new
    /// folder under them, or a report's own name with other bytes — survive a rerun: it is
    /// refused (exit 2) and the directory is byte for byte as it was.
    #[test]
    fn report_rerun_keeps_files_planted_in_every_subfolder(
        planted in proptest::collection::vec(
            (0usize..5, "[a-z]{1,6}\\.(png|svg|csv|xlsx|md|html|docx|txt)", "[ -~]{0,16}"),
            1..5,
        )
    ) {
        let (_, report) = written_report();
        let root = crate::common::tempdir();
        let dir = root.path().join("rep");
        copy_tree(report, &dir);
        let subs = ["", "charts/", "tables/", "charts/mine/", "tables/mine/"];
        for (sub, name, text) in &planted {
            std::fs::create_dir_all(dir.join(subs[*sub])).expect("mkdir");
            std::fs::write(dir.join(format!("{}{name}", subs[*sub])), format!("user: {text}"))
                .expect("plant");
        }
        let before = crate::common::tree(&dir);
        let out = crate::litmon()
            .args(["report", "--lang", "en", "--data", "tests/fixtures/worked", "-o"])
            .arg(&dir)
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        prop_assert_eq!(out.status.code(), Some(2), "{}", err);
        prop_assert!(err.contains("which litmon did not write") || err.contains("changed"), "{}", err);
        prop_assert!(crate::common::tree(&dir) == before, "the report directory changed: {}", err);
    }
}
