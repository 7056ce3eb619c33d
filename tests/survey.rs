//! `litmon estimate` against R `survey` 4.1 (golden values in tests/fixtures/survey/, made by
//! scripts/reference/survey_reference.R; R is not needed here), degenerate cells, and the
//! estimate → assess pipeline.

use std::collections::HashMap;
use std::path::PathBuf;

use litmon::cli::estimate::{estimate_file, EstimateConfig, PostStratification, WeightingConfig};
use litmon::survey::ci::{interval, CiMethod, IntervalInput};
use litmon::survey::design::DesignSpec;
use litmon::survey::scoring::ScoringRule;
use litmon::survey::taylor::LonelyPsu;
use litmon::survey::DomainRow;
use litmon::survey::EstimateSpec;

use crate::common::tempdir;
use crate::litmon;

const MICRODATA: &str = "tests/fixtures/survey/microdata.csv";

fn config(fpc: bool, lonely: LonelyPsu) -> EstimateConfig {
    EstimateConfig {
        microdata: PathBuf::from(MICRODATA),
        spec: EstimateSpec {
            design: DesignSpec {
                strata: Some("stratum".into()),
                psu: Some("psu".into()),
                weight: "weight".into(),
                fpc: fpc.then(|| "fpc".into()),
            },
            scoring: ScoringRule::default(),
            by: vec![
                vec!["province".into()],
                vec!["county".into()],
                vec!["county".into(), "urban".into()],
            ],
            ci: CiMethod::Logit,
            confidence: 0.95,
            lonely_psu: lonely,
            weighting: WeightingConfig::Design,
        },
        to_observations: None,
        read: Default::default(),
    }
}

type Expected = Vec<HashMap<String, String>>;

fn expected() -> Expected {
    let bytes = std::fs::read("tests/fixtures/survey/expected.csv").expect("fixture");
    crate::common::parse_csv(&bytes).1
}

fn num(r: &HashMap<String, String>, c: &str) -> Option<f64> {
    let v = r.get(c)?;
    if v.is_empty() || v == "NA" || v == "NaN" {
        None
    } else {
        Some(v.parse().unwrap_or_else(|_| panic!("{c}={v}")))
    }
}

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / b.abs().max(1e-300)
    }
}

/// Compares every domain of one scenario; returns the max relative differences
/// (est/se, deff, interval bounds).
fn compare(scenario: &str, fpc: bool, lonely: LonelyPsu) -> (f64, f64, f64, usize) {
    let mut cfg = config(fpc, lonely);
    let calibrated = scenario == "poststrat";
    if calibrated {
        cfg.spec.weighting = WeightingConfig::PostStratified(PostStratification {
            columns: vec!["province".into(), "urban".into()],
            population: PathBuf::from("tests/fixtures/survey/population.csv"),
        });
    }
    let est = estimate_file(&cfg).expect("estimate");
    let rows: HashMap<&str, &DomainRow> = est.rows.iter().map(|r| (r.domain.as_str(), r)).collect();
    let exp = expected();
    let (mut max_es, mut max_deff, mut max_ci, mut n_ci) = (0.0f64, 0.0f64, 0.0f64, 0usize);
    let mut n = 0;
    for e in exp.iter().filter(|e| e["scenario"] == scenario) {
        n += 1;
        let dom = e["domain"].as_str();
        let r = rows
            .get(dom)
            .unwrap_or_else(|| panic!("{scenario}: no row {dom}"));
        let x = &r.estimate;
        if !calibrated {
            assert_eq!(x.n_rows.to_string(), e["n_rows"], "{scenario} {dom} n_rows");
        }
        assert_eq!(x.n.to_string(), e["n"], "{scenario} {dom} n");
        let sw = num(e, "sum_w").expect("sum_w");
        assert!(rel(x.sum_weights, sw) < 1e-12, "{scenario} {dom} sum_w");
        let Some(p) = num(e, "est") else { continue };
        let se = num(e, "se").expect("se");
        // An SE that is 0 in exact arithmetic comes out of R as ~1e-17: compare it absolutely.
        let d_se = if se < 1e-12 {
            (x.se() - se).abs()
        } else {
            rel(x.se(), se)
        };
        let d_es = rel(x.p, p).max(d_se);
        assert!(
            d_es < 1e-9,
            "{scenario} {dom}: est {} vs {p}, se {} vs {se}",
            x.p,
            x.se()
        );
        max_es = max_es.max(d_es);
        assert_eq!(x.df, num(e, "df").expect("df"), "{scenario} {dom} df");
        // With p̂ = 0 or 1, deff is 0/0: R reports roundoff ratios (e.g. 8e31), litmon NaN.
        let extreme = !(1e-12..=1.0 - 1e-12).contains(&p);
        let deff = num(e, "deff").filter(|_| !extreme);
        match deff {
            Some(d) if d.abs() < 1e-12 => assert!(x.deff.abs() < 1e-12, "{scenario} {dom}"),
            Some(d) => {
                let dd = rel(x.deff, d);
                assert!(dd < 1e-9, "{scenario} {dom}: deff {} vs {d}", x.deff);
                max_deff = max_deff.max(dd);
            }
            None if extreme => {}
            None => assert!(
                !x.deff.is_finite(),
                "{scenario} {dom}: deff {} vs NA",
                x.deff
            ),
        }
        // Intervals: R's are compared where they are defined (0 < p̂ < 1, df > 0); the
        // degenerate rule of DESIGN.md differs from R on purpose and is tested below.
        // V̂ = 0 (a domain inside the self-representing stratum): R's logit gives [p̂, p̂] like
        // litmon, but its beta gives qbeta(·, Inf, Inf) = 0.5; litmon gives [p̂, p̂] throughout.
        if extreme || x.df <= 0.0 {
            continue;
        }
        if se < 1e-12 {
            let input = IntervalInput {
                p: x.p,
                var: x.var,
                df: x.df,
                n_rows: 9.0,
                n: 9.0,
            };
            let lo = interval(CiMethod::Beta, &input, 0.95).lo;
            assert!(
                (lo - x.p).abs() < 1e-12,
                "{scenario} {dom}: {lo} vs {}",
                x.p
            );
            continue;
        }
        let input = IntervalInput {
            p: x.p,
            var: x.var,
            df: x.df,
            n_rows: num(e, "n_rows").expect("n_rows"),
            n: x.n as f64,
        };
        for (m, col, level) in [
            (CiMethod::Logit, "logit", 0.95),
            (CiMethod::Xlogit, "xlogit", 0.95),
            (CiMethod::Beta, "beta", 0.95),
            (CiMethod::Asin, "asin", 0.95),
            (CiMethod::Wilson, "wilson", 0.95),
            (CiMethod::ClopperPearson, "cp", 0.95),
            (CiMethod::Logit, "logit90", 0.90),
        ] {
            let iv = interval(m, &input, level);
            // With df = 1 R's logit interval is [0, NaN] (confint.svyglm's Normal level
            // 1 − 2·pnorm(qt(α/2, 1)) rounds to 1); litmon's is the t interval = xlogit.
            let col = if m == CiMethod::Logit && x.df == 1.0 && level == 0.95 {
                "xlogit"
            } else {
                col
            };
            for (got, side) in [(iv.lo, "lo"), (iv.hi, "hi")] {
                let want = num(e, &format!("{col}_{side}"));
                // The same R artefact at 90 % on a calibrated design (df = 1): [0, NaN].
                let Some(want) = want.filter(|w| *w != 0.0 || x.df != 1.0) else {
                    assert!(
                        m == CiMethod::Logit && x.df == 1.0,
                        "{scenario} {dom} {col}"
                    );
                    continue;
                };
                let d = rel(got, want);
                assert!(
                    d < 1e-7,
                    "{scenario} {dom} {col}_{side}: {got} vs R {want} ({d:e})"
                );
                max_ci = max_ci.max(d);
                n_ci += 1;
            }
        }
    }
    assert!(n > 50, "{scenario}: only {n} expected rows");
    eprintln!(
        "survey vs R [{scenario}]: {n} domains; max rel diff est/se {max_es:.1e}, deff \
         {max_deff:.1e}, CI bounds {max_ci:.1e} ({n_ci} bounds)"
    );
    (max_es, max_deff, max_ci, n_ci)
}

#[test]
fn matches_r_survey_with_fpc_and_adjust() {
    compare("adjust_fpc", true, LonelyPsu::Adjust);
}

#[test]
fn matches_r_survey_lonely_adjust() {
    compare("adjust", false, LonelyPsu::Adjust);
}

#[test]
fn matches_r_survey_lonely_certainty() {
    compare("certainty", false, LonelyPsu::Certainty);
}

#[test]
fn matches_r_survey_lonely_remove() {
    compare("remove", false, LonelyPsu::Remove);
}

#[test]
fn matches_r_survey_post_stratified() {
    compare("poststrat", true, LonelyPsu::Adjust);
}

#[test]
fn post_stratified_weights_sum_to_the_population() {
    let mut cfg = config(true, LonelyPsu::Adjust);
    cfg.spec.weighting = WeightingConfig::PostStratified(PostStratification {
        columns: vec!["province".into(), "urban".into()],
        population: PathBuf::from("tests/fixtures/survey/population.csv"),
    });
    let est = estimate_file(&cfg).expect("estimate");
    assert!((row(&est.rows, "total").estimate.sum_weights - 348_000.0).abs() < 1e-6);
    assert!((row(&est.rows, "province=P1").estimate.sum_weights - 104_000.0).abs() < 1e-6);
}

#[test]
fn population_missing_a_sample_cell_is_an_error() {
    let dir = tempdir();
    let pop = dir.path().join("pop.csv");
    std::fs::write(&pop, "province,urban,Freq\nP1,0,10\nP1,1,10\nP2,0,10\n").expect("write");
    let mut cfg = config(true, LonelyPsu::Adjust);
    cfg.spec.weighting = WeightingConfig::PostStratified(PostStratification {
        columns: vec!["province".into(), "urban".into()],
        population: pop,
    });
    let e = estimate_file(&cfg).unwrap_err();
    assert!(e.to_string().contains("no population count"), "{e}");
}

/// A post-stratum with respondents but a population count of 0 says so (not "no count").
#[test]
fn population_count_of_zero_is_named_as_such() {
    let dir = tempdir();
    let pop = dir.path().join("pop.csv");
    let text = std::fs::read_to_string("tests/fixtures/survey/population.csv").expect("fixture");
    let zeroed = text.replacen("P1,0,61000", "P1,0,0", 1);
    assert_ne!(zeroed, text, "the fixture has the P1,0 cell");
    std::fs::write(&pop, zeroed).expect("write");
    let mut cfg = config(true, LonelyPsu::Adjust);
    cfg.spec.weighting = WeightingConfig::PostStratified(PostStratification {
        columns: vec!["province".into(), "urban".into()],
        population: pop,
    });
    let e = estimate_file(&cfg).unwrap_err();
    assert!(e.to_string().contains("P1,0"), "{e}");
    assert!(e.to_string().contains("population count of 0"), "{e}");
}

#[test]
fn lonely_psu_fail_names_the_stratum() {
    let e = estimate_file(&config(false, LonelyPsu::Fail)).unwrap_err();
    assert!(e.to_string().contains("\"S4\""), "{e}");
    assert!(e.is_bad_input());
}

fn row<'a>(rows: &'a [DomainRow], d: &str) -> &'a DomainRow {
    rows.iter()
        .find(|r| r.domain == d)
        .unwrap_or_else(|| panic!("no {d}"))
}

#[test]
fn one_psu_stratum_adjust_adds_variance_certainty_does_not() {
    let a = estimate_file(&config(false, LonelyPsu::Adjust)).expect("adjust");
    let c = estimate_file(&config(false, LonelyPsu::Certainty)).expect("certainty");
    let (va, vc) = (
        row(&a.rows, "total").estimate.var,
        row(&c.rows, "total").estimate.var,
    );
    assert!(va > vc, "adjust {va} vs certainty {vc}");
    assert_eq!(
        row(&a.rows, "total").estimate.p,
        row(&c.rows, "total").estimate.p
    );
}

#[test]
fn degenerate_df_zero_gives_no_interval() {
    let est = estimate_file(&config(false, LonelyPsu::Adjust)).expect("estimate");
    let r = row(&est.rows, "county=C92");
    assert_eq!(r.estimate.df, 0.0);
    assert!(r.interval.lo.is_nan() && r.interval.hi.is_nan());
    assert!(est.warnings.iter().any(|w| w.starts_with("county=C92")));
    assert_eq!(r.reliability.as_str(), "suppress");
}

#[test]
fn degenerate_p_zero_and_one_use_exact_bound_on_n() {
    let est = estimate_file(&config(false, LonelyPsu::Adjust)).expect("estimate");
    let zero = row(&est.rows, "county=C90");
    assert_eq!(zero.estimate.df, 1.0);
    assert_eq!(zero.estimate.p, 0.0);
    let n = zero.estimate.n as f64;
    assert_eq!(zero.interval.lo, 0.0);
    assert!((zero.interval.hi - (1.0 - 0.025f64.powf(1.0 / n))).abs() < 1e-15);
    assert!(zero.estimate.n_eff.is_nan());
    let one = row(&est.rows, "county=C91");
    assert_eq!(one.estimate.p, 1.0);
    assert_eq!(one.estimate.df, 1.0);
    let n = one.estimate.n as f64;
    assert_eq!(one.interval.hi, 1.0);
    assert!((one.interval.lo - 0.025f64.powf(1.0 / n)).abs() < 1e-15);
    assert!(est.warnings.iter().any(|w| w.starts_with("county=C90")));
    assert!(est.warnings.iter().any(|w| w.starts_with("county=C91")));
    for m in CiMethod::ALL {
        let x = IntervalInput {
            p: 0.0,
            var: 0.0,
            df: 5.0,
            n_rows: 9.0,
            n: 8.0,
        };
        let iv = interval(m, &x, 0.95);
        assert!(iv.degenerate && iv.lo == 0.0 && iv.hi > 0.0, "{m:?}");
    }
}

#[test]
fn zero_weights_count_in_rows_not_in_n() {
    let est = estimate_file(&config(false, LonelyPsu::Adjust)).expect("estimate");
    let t = row(&est.rows, "total");
    assert_eq!(t.estimate.n_rows, 409);
    assert_eq!(t.estimate.n, 403);
}

#[test]
fn empty_domain_has_a_row_without_estimate() {
    let est = estimate_file(&config(false, LonelyPsu::Adjust)).expect("estimate");
    let r = row(&est.rows, "county=C93");
    assert_eq!(r.estimate.n, 0);
    assert_eq!(r.estimate.n_rows, 3);
    assert!(r.estimate.p.is_nan());
    assert_eq!(r.reliability.as_str(), "suppress");
    assert!(est.warnings.iter().any(|w| w.starts_with("county=C93")));
}

#[test]
fn precomputed_indicator_and_score_rule_agree() {
    let a = estimate_file(&config(true, LonelyPsu::Adjust)).expect("scores");
    let mut cfg = config(true, LonelyPsu::Adjust);
    cfg.spec.scoring = ScoringRule::Indicator {
        column: "literate".into(),
    };
    let b = estimate_file(&cfg).expect("indicator");
    assert_eq!(
        litmon::survey::estimate_table(&a.rows)
            .expect("table")
            .to_csv(),
        litmon::survey::estimate_table(&b.rows)
            .expect("table")
            .to_csv()
    );
}

#[test]
fn graded_levels_are_estimated_each() {
    let mut cfg = config(true, LonelyPsu::Adjust);
    cfg.spec.scoring = ScoringRule::Total {
        columns: ["knowledge", "method", "spirit", "application"]
            .map(String::from)
            .to_vec(),
        threshold: 70.0,
        levels: vec![55.0, 85.0],
    };
    let est = estimate_file(&cfg).expect("levels");
    let p = |d: &str| row(&est.rows, d).estimate.p;
    assert!(p("total;score>=55") > p("total") && p("total") > p("total;score>=85"));
    let base = estimate_file(&config(true, LonelyPsu::Adjust)).expect("base");
    assert_eq!(
        row(&base.rows, "total").estimate,
        row(&est.rows, "total").estimate
    );
}

fn estimate_args() -> Vec<&'static str> {
    vec![
        "estimate",
        "--microdata",
        MICRODATA,
        "--strata",
        "stratum",
        "--psu",
        "psu",
        "--weight",
        "weight",
        "--fpc",
        "fpc",
        "--score",
        "knowledge+method+spirit+application",
        "--lonely-psu",
        "adjust",
    ]
}

#[test]
fn cli_estimate_csv_follows_the_contract() {
    let out = crate::common::litmon_en()
        .args(estimate_args())
        .args([
            "--by",
            "province",
            "--by",
            "county,urban",
            "--format",
            "csv",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf8");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("domain,n,sum_weights,est,se,lo,hi,deff,n_eff,df,reliability")
    );
    let total = lines.next().expect("total row");
    assert!(total.starts_with("total,403,"), "{total}");
    let exp = expected();
    let r = exp
        .iter()
        .find(|e| e["scenario"] == "adjust_fpc" && e["domain"] == "total")
        .expect("R total");
    let f: Vec<&str> = total.split(',').collect();
    let pct: f64 = f[3].parse().expect("est");
    assert!((pct - 100.0 * num(r, "est").expect("est")).abs() < 1e-8);
    let lo: f64 = f[5].parse().expect("lo");
    assert!((lo - 100.0 * num(r, "logit_lo").expect("lo")).abs() < 1e-7);
    assert!(text.contains("\ncounty=C11;urban=0,"));
    assert!(text.contains("\nprovince=P2,"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning"));
}

#[test]
fn cli_design_toml_equals_flags() {
    let dir = tempdir();
    let design = dir.path().join("design.toml");
    std::fs::write(
        &design,
        "[design]\nstrata = \"stratum\"\npsu = \"psu\"\nweight = \"weight\"\nfpc = \"fpc\"\n\
         lonely_psu = \"adjust\"\n[scoring]\nindicator = \"literate\"\n[domains]\nby = [\"county\"]\n",
    )
    .expect("write");
    let a = litmon()
        .args(["estimate", "--microdata", MICRODATA, "--design"])
        .arg(&design)
        .args(["--format", "csv"])
        .output()
        .expect("run");
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let b = litmon()
        .args(estimate_args())
        .args(["--by", "county", "--format", "csv"])
        .output()
        .expect("run");
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn cli_bad_weight_names_line_and_column() {
    let dir = tempdir();
    let f = dir.path().join("m.csv");
    std::fs::write(&f, "stratum,psu,weight,literate\nA,1,2.5,1\nA,2,abc,0\n").expect("write");
    let out = litmon()
        .args(["estimate", "--microdata"])
        .arg(&f)
        .args(["--strata", "stratum", "--psu", "psu", "--weight", "weight"])
        .args(["--score", "literate", "--threshold", "1", "--lang", "en"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("m.csv:3, column 3 (weight)"), "{err}");
}

#[test]
fn cli_to_observations_feeds_assess() {
    let dir = tempdir();
    let obs = dir.path().join("obs.csv");
    let out = litmon()
        .args(estimate_args())
        .args(["--by", "prov_code", "--to-observations", "2024", "-o"])
        .arg(&obs)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&obs).expect("obs");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("jurisdiction,indicator,year,value,se,n,source")
    );
    let first = lines.next().expect("row");
    assert!(first.starts_with("140000,literacy_rate,2024,"), "{first}");
    assert_eq!(
        text.lines().count(),
        4,
        "three provinces, no total:\n{text}"
    );
    let assess = litmon()
        .args(["assess", "--observations"])
        .arg(&obs)
        .args(["--format", "csv", "--lang", "en"])
        .output()
        .expect("run");
    assert!(
        assess.status.success(),
        "{}",
        String::from_utf8_lossy(&assess.stderr)
    );
    let a = String::from_utf8_lossy(&assess.stdout);
    let ningxia = a
        .lines()
        .find(|l| l.starts_with("640000,"))
        .expect("640000 row");
    assert!(ningxia.contains(",2024,"), "{ningxia}");
}

// ---- Replicate weights (R svrepdesign; scripts/reference/survey_rep_reference.R) ----

fn rep_config(kind: &str, mse: bool) -> EstimateConfig {
    use litmon::survey::replicate::{RepType, ReplicateSpec};
    let rkind = kind.parse::<RepType>().expect("replicate type");
    EstimateConfig {
        microdata: PathBuf::from(format!("tests/fixtures/survey/rep_{kind}.csv")),
        spec: EstimateSpec {
            design: DesignSpec {
                strata: None,
                psu: None,
                weight: "weight".into(),
                fpc: None,
            },
            scoring: ScoringRule::Indicator {
                column: "literate".into(),
            },
            by: vec![vec!["county".into()]],
            ci: CiMethod::Logit,
            confidence: 0.95,
            lonely_psu: LonelyPsu::Fail,
            weighting: WeightingConfig::Replicate(ReplicateSpec {
                prefix: "repw".into(),
                kind: rkind,
                rho: (kind == "fay").then_some(0.5),
                rscales: (kind == "jkn").then(|| {
                    litmon::cli::estimate::read_rscales(
                        std::path::Path::new("tests/fixtures/survey/rep_jkn_rscales.csv"),
                        &Default::default(),
                    )
                    .expect("rscales")
                }),
                mse,
            }),
        },
        to_observations: None,
        read: Default::default(),
    }
}

/// est, se, deff and df of every replicate type (with and without --mse) equal R svrepdesign +
/// svymean / svyby (deff = TRUE) to 1e-9 relative.
#[test]
fn replicate_weights_equal_svrepdesign() {
    let mut rdr =
        csv::Reader::from_path("tests/fixtures/survey/rep_expected.csv").expect("fixture");
    let mut expected: HashMap<(String, bool), Vec<csv::StringRecord>> = HashMap::new();
    for r in rdr.records() {
        let r = r.expect("record");
        let key = (r[0].to_string(), &r[1] == "TRUE");
        expected.entry(key).or_default().push(r);
    }
    assert_eq!(expected.len(), 10);
    let rel = |a: f64, b: f64| ((a - b) / b).abs();
    for ((kind, mse), rows) in &expected {
        let got = estimate_file(&rep_config(kind, *mse)).expect("estimate");
        assert_eq!(got.rows.len(), rows.len(), "{kind} mse={mse}");
        for r in rows {
            let g = got
                .rows
                .iter()
                .find(|g| g.domain == r[2])
                .unwrap_or_else(|| panic!("{kind}: no domain {}", &r[2]));
            let est: f64 = r[3].parse().expect("est");
            let se: f64 = r[4].parse().expect("se");
            let df: f64 = r[5].parse().expect("df");
            assert!(rel(g.estimate.p, est) < 1e-9, "{kind} {} est", &r[2]);
            assert!(
                rel(g.estimate.se(), se) < 1e-9,
                "{kind} mse={mse} {}: se {} vs R {se}",
                &r[2],
                g.estimate.se()
            );
            assert_eq!(g.estimate.df, df, "{kind} {} df", &r[2]);
            let deff: f64 = r[6].parse().expect("deff");
            assert!(
                rel(g.estimate.deff, deff) < 1e-9,
                "{kind} mse={mse} {}: deff {} vs R {deff}",
                &r[2],
                g.estimate.deff
            );
        }
    }
}

#[test]
fn replicate_weight_errors() {
    // Fay without --rho, JKn without --rscales: usage errors.
    let mut c = rep_config("fay", false);
    if let WeightingConfig::Replicate(r) = &mut c.spec.weighting {
        r.rho = None;
    }
    assert!(estimate_file(&c).is_err());
    let mut c = rep_config("jkn", false);
    if let WeightingConfig::Replicate(r) = &mut c.spec.weighting {
        r.rscales = None;
    }
    assert!(estimate_file(&c).is_err());
    // No matching columns: an error naming the file and line 1.
    let mut c = rep_config("brr", false);
    if let WeightingConfig::Replicate(r) = &mut c.spec.weighting {
        r.prefix = "nosuch".into();
    }
    let e = estimate_file(&c)
        .expect_err("no replicate columns")
        .to_string();
    assert!(e.contains("rep_brr.csv") && e.contains("nosuch"), "{e}");
    // A bad replicate weight names its line and column.
    let dir = std::env::temp_dir().join(format!("litmon_rep_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let f = dir.join("bad.csv");
    std::fs::write(
        &f,
        "weight,county,literate,repw1,repw2\n1,C1,1,1,1\n1,C1,0,x,1\n",
    )
    .expect("write");
    let mut c = rep_config("brr", false);
    c.microdata = f;
    let e = estimate_file(&c).expect_err("bad weight").to_string();
    assert!(e.contains(":3") && e.contains("repw1"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The CLI flags (--repweights, --reptype jkn, --rscales, --mse) reach the estimator: the
/// total's se (percent) equals R's.
#[test]
fn cli_estimate_replicate_weights() {
    let out = litmon()
        .args([
            "estimate",
            "--microdata",
            "tests/fixtures/survey/rep_jkn.csv",
            "--weight",
            "weight",
            "--indicator-column",
            "literate",
            "--repweights",
            "repw",
            "--reptype",
            "jkn",
            "--rscales",
            "tests/fixtures/survey/rep_jkn_rscales.csv",
            "--mse",
            "--format",
            "csv",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf8");
    let total = text.lines().nth(1).expect("total row");
    let f: Vec<&str> = total.split(',').collect();
    assert_eq!(f[0], "total");
    let se: f64 = f[4].parse().expect("se");
    // R: svrepdesign(type = "JKn", mse = TRUE) total se 0.043238366555099023.
    assert!(
        (se / 100.0 / 0.043_238_366_555_099_02 - 1.0).abs() < 1e-9,
        "{se}"
    );
    assert_eq!(f[9], "6", "df");
    // Fay without --rho is a usage error.
    let out = litmon()
        .args([
            "estimate",
            "--microdata",
            "tests/fixtures/survey/rep_fay.csv",
            "--weight",
            "weight",
            "--indicator-column",
            "literate",
            "--repweights",
            "repw",
            "--reptype",
            "fay",
        ])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--rho"));
}

fn rake_config() -> EstimateConfig {
    let mut cfg = config(true, LonelyPsu::Adjust);
    cfg.microdata = PathBuf::from("tests/fixtures/survey/rake_microdata.csv");
    cfg.spec.by = vec![vec!["province".into()], vec!["county".into()]];
    cfg.spec.weighting = WeightingConfig::Raked(litmon::cli::estimate::Raking {
        margins: vec![vec!["province".into()], vec!["urban".into()]],
        populations: vec![
            PathBuf::from("tests/fixtures/survey/rake_province.csv"),
            PathBuf::from("tests/fixtures/survey/rake_urban.csv"),
        ],
    });
    cfg
}

/// Raking on province and urban equals R `rake(des, list(~province, ~urban), …)` + svymean
/// (scripts/reference/survey_rake_reference.R): est and se to 1e-9 relative.
#[test]
fn matches_r_survey_raked() {
    let est = estimate_file(&rake_config()).expect("raked estimate");
    assert!(est.warnings.iter().all(|w| !w.contains("converge")));
    let text = std::fs::read_to_string("tests/fixtures/survey/rake_expected.csv").expect("fixture");
    let mut checked = 0;
    let (mut worst_est, mut worst_se) = (0.0f64, 0.0f64);
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (domain, e, s): (&str, f64, f64) =
            (f[1], f[2].parse().expect("est"), f[3].parse().expect("se"));
        let r = row(&est.rows, domain);
        worst_est = worst_est.max(rel(r.estimate.p, e));
        worst_se = worst_se.max(rel(r.estimate.se(), s));
        checked += 1;
    }
    eprintln!("raked vs R rake: est {worst_est:e}, se {worst_se:e}");
    assert_eq!(checked, 21);
    assert!(worst_est < 1e-9, "est max rel diff {worst_est:e}");
    assert!(worst_se < 1e-9, "se max rel diff {worst_se:e}");
}

#[test]
fn raked_weights_meet_both_margins() {
    let est = estimate_file(&rake_config()).expect("raked estimate");
    let total = row(&est.rows, "total").estimate.sum_weights;
    assert!((total - 369000.0).abs() < 1.0, "{total}");
    let p1 = row(&est.rows, "province=P1").estimate.sum_weights;
    assert!((p1 - 150000.0).abs() < 1e-6 * 150000.0, "{p1}");
}

#[test]
fn rake_population_missing_a_sample_cell_is_an_error() {
    let dir = std::env::temp_dir().join(format!("litmon-rake-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let bad = dir.join("urban.csv");
    std::fs::write(&bad, "urban,Freq\n0,201000\n").expect("write");
    let mut cfg = rake_config();
    if let WeightingConfig::Raked(r) = &mut cfg.spec.weighting {
        r.populations[1] = bad.clone();
    }
    let err = estimate_file(&cfg).expect_err("missing cell").to_string();
    assert!(err.contains("urban.csv") && err.contains("1"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Replicate weights of rank 1 (two identical columns) leave no degrees of freedom: the
/// warning speaks of the replicate weights, not of PSUs per stratum.
#[test]
fn replicate_design_without_df_warns_in_its_own_words() {
    let dir = tempdir();
    let f = dir.path().join("rep.csv");
    std::fs::write(
        &f,
        "id,weight,literate,repw1,repw2\n1,10,1,12,12\n2,10,0,8,8\n3,10,1,10,10\n4,10,0,10,10\n",
    )
    .expect("write");
    let out = crate::litmon()
        .args(["estimate", "--microdata"])
        .arg(&f)
        .args([
            "--weight",
            "weight",
            "--indicator-column",
            "literate",
            "--repweights",
            "repw",
            "--reptype",
            "bootstrap",
            "--format",
            "csv",
            "--lang",
            "en",
        ])
        .output()
        .expect("run");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("design df = 0 (the replicate weights give no degrees of freedom)"),
        "{err}"
    );
    assert!(!err.contains("PSU"), "{err}");
}
