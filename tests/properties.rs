//! Property tests of the trend core: interval ordering and range, probabilities in [0, 1]
//! and monotone in the target, for any short series the models may meet.

use litmon::trend::{
    fit_benchmark, fit_logit, ModelKind, ResidualPrior, SlopePrior, TrendConfig, TrendPoint,
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
        let cfg = TrendConfig { half_life: half, ..TrendConfig::default() };
        let resid = ResidualPrior { var: 0.005, df: 20.0 };
        let fit = fit_logit(&pts, &cfg, pr.as_ref(), &resid).expect("fit");
        let f = fit.predictive(year).forecast(year);
        prop_assert!(f.lo95 <= f.lo80 && f.lo80 <= f.median && f.median <= f.hi80 && f.hi80 <= f.hi95, "{f:?}");
        prop_assert!(f.lo95 > 0.0 && f.hi95 < 100.0, "{f:?}");
    }

    #[test]
    fn p_reach_is_a_probability_non_increasing_in_the_target(pts in series(), pr in prior(), t1 in 1.0f64..50.0, dt in 0.0f64..30.0) {
        let resid = ResidualPrior { var: 0.005, df: 20.0 };
        let fit = fit_logit(&pts, &TrendConfig::default(), pr.as_ref(), &resid).expect("fit");
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
