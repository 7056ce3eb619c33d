//! The command-line contract on the embedded data (DESIGN.md, issue 2 acceptance).

use crate::common::{csv_output, csv_rows, num, row, tempdir};
use crate::litmon;

#[test]
fn assess_columns_follow_the_contract() {
    let (header, _) = csv_output(&["assess"]);
    let expected = "jurisdiction,name_zh,indicator,baseline_year,baseline,latest_year,latest,target_year,target,required_per_year,observed_per_year,cagr_ratio,progress_share,unsd_rho,official_category,projected,lo80,hi80,p_reach,p_reach_measured,status,model,n_obs,reason";
    assert_eq!(header.join(","), expected);
}

#[test]
fn assess_covers_nation_seeds_and_targeted_provinces() {
    let rows = csv_rows(&["assess"]);
    // The nation, the five seed jurisdictions, and provinces with a published 2025 target.
    for id in [
        "100000", "640000", "150300", "630000", "140922", "150600", "370000", "340000", "360000",
        "610000", "320000",
    ] {
        let r = row(&rows, id);
        assert_eq!(r["indicator"], "literacy_rate");
        assert!(!r["status"].is_empty());
    }
    let statuses = [
        "achieved",
        "on_track",
        "at_risk",
        "off_track",
        "regressing",
        "insufficient_data",
    ];
    assert!(rows
        .iter()
        .all(|r| statuses.contains(&r["status"].as_str())));
}

#[test]
fn required_pace_of_wuhai_and_wutai() {
    let rows = csv_rows(&["assess"]);
    // 乌海: (12 − 9.0)/(2025 − 2020) = 0.6; 五台县: (12.2 − 7.9)/5 = 0.86.
    assert!((num(row(&rows, "150300"), "required_per_year") - 0.6).abs() < 1e-9);
    assert!((num(row(&rows, "140922"), "required_per_year") - 0.86).abs() < 1e-9);
    assert_eq!(row(&rows, "150300")["baseline_year"], "2020");
}

#[test]
fn seeds_without_baseline_are_insufficient_until_given_data() {
    let rows = csv_rows(&["assess", "--lang", "en"]);
    for id in ["640000", "630000", "150600"] {
        let r = row(&rows, id);
        assert_eq!(r["status"], "insufficient_data", "{id}");
        assert!(
            r["reason"].contains("supply a 2016+ value"),
            "{id}: {}",
            r["reason"]
        );
    }
    // 青海's last published value is from 2010: the reason names it.
    assert!(row(&rows, "630000")["reason"].contains("no survey value since 2010"));

    let rows = csv_rows(&[
        "assess",
        "--observations",
        "tests/fixtures/obs/seed_baselines.csv",
    ]);
    for (id, base) in [("640000", 8.6), ("630000", 7.2), ("150600", 11.0)] {
        let r = row(&rows, id);
        assert_ne!(r["status"], "insufficient_data", "{id}");
        assert_eq!(num(r, "baseline"), base);
        let p = num(r, "p_reach");
        assert!((0.0..=1.0).contains(&p));
        assert!(!r["model"].is_empty());
    }
    // 宁夏: (11.5 − 8.6)/5 = 0.58.
    assert!((num(row(&rows, "640000"), "required_per_year") - 0.58).abs() < 1e-9);
}

#[test]
fn a_2022_value_for_wuhai_changes_projection_and_status() {
    let before = csv_rows(&["assess"]);
    let after = csv_rows(&[
        "assess",
        "--observations",
        "tests/fixtures/obs/wuhai_2022.csv",
    ]);
    let (b, a) = (row(&before, "150300"), row(&after, "150300"));
    assert_ne!(b["projected"], a["projected"]);
    // One 2020 value borrows Inner Mongolia's pace (+1.24 pp/yr in the reason before); the
    // 2022 value 10.9 lies below that path (9.0 + 2 × 1.24 = 11.48), so its own slower pace
    // (+0.95 pp/yr) and level pull the 2025 projection down.
    assert!(b["reason"].contains("+1.24"), "{}", b["reason"]);
    assert!(
        num(a, "projected") < num(b, "projected"),
        "before {b:?}\nafter {a:?}"
    );
    assert_eq!(b["model"], "local_angular_1pt");
    assert_eq!(a["model"], "local_angular");
    assert_eq!(a["latest_year"], "2022");
    // observed pace (10.9 − 9.0)/2 = 0.95 pp/yr, above the required 0.6
    assert!((num(a, "observed_per_year") - 0.95).abs() < 1e-9);
    assert_eq!(a["status"], "on_track");
    assert_eq!(a["official_category"], "on_track");
    assert_eq!(a["n_obs"], "2");
}

#[test]
fn as_of_ignores_later_observations() {
    let rows = csv_rows(&["assess", "--as-of", "2020"]);
    let nation = row(&rows, "100000");
    assert_eq!(nation["latest_year"], "2020");
    assert_eq!(num(nation, "latest"), 10.56);
    let proj = csv_rows(&["project", "--as-of", "2020"]);
    let years: Vec<&str> = proj
        .iter()
        .filter(|r| r["jurisdiction"] == "100000")
        .map(|r| r["year"].as_str())
        .collect();
    assert_eq!(years, ["2021", "2022", "2023", "2024", "2025"]);
}

#[test]
fn project_rows_for_every_jurisdiction_with_data() {
    let (header, rows) = csv_output(&["project"]);
    assert_eq!(
        header.join(","),
        "jurisdiction,indicator,year,model,median,lo80,hi80,lo95,hi95"
    );
    // 上海 has data but no target: still projected, to 2025.
    let sh: Vec<_> = rows
        .iter()
        .filter(|r| r["jurisdiction"] == "310000")
        .collect();
    assert!(!sh.is_empty());
    assert_eq!(sh.last().map(|r| r["year"].as_str()), Some("2025"));
    for r in &rows {
        let v: Vec<f64> = ["lo95", "lo80", "median", "hi80", "hi95"]
            .iter()
            .map(|c| num(r, c))
            .collect();
        assert!(v.windows(2).all(|w| w[0] <= w[1]), "{r:?}");
    }
    let to = csv_rows(&["project", "--to", "2030"]);
    assert!(to
        .iter()
        .any(|r| r["jurisdiction"] == "100000" && r["year"] == "2030"));
}

#[test]
fn backtest_lists_default_and_benchmarks() {
    let (header, rows) = csv_output(&["backtest"]);
    assert_eq!(
        header.join(","),
        "model,n,mae_pp,rmse_logit,coverage80,coverage95,winkler80,bias_pp"
    );
    let models: Vec<&str> = rows.iter().map(|r| r["model"].as_str()).collect();
    assert_eq!(
        models,
        [
            "local_angular",
            "logit_wls",
            "linear_pp",
            "cagr",
            "rw_drift_logit",
            "drift_pp"
        ]
    );
    let n: Vec<&str> = rows.iter().map(|r| r["n"].as_str()).collect();
    assert!(
        n.iter().all(|k| *k == n[0] && *k != "0"),
        "every model scores the same forecasts"
    );
}

#[test]
fn json_mirrors_csv_fields_and_outputs_are_reproducible() {
    let a = litmon()
        .args(["assess", "--format", "json"])
        .output()
        .expect("run");
    let b = litmon()
        .args(["assess", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(a.stdout, b.stdout, "identical output on reruns");
    let v: serde_json::Value = serde_json::from_slice(&a.stdout).expect("json");
    let first = &v[0];
    assert_eq!(first.as_object().map(|o| o.len()), Some(24));
    assert!(first["required_per_year"].is_number());
    let t = litmon().args(["assess"]).output().expect("run");
    assert!(String::from_utf8_lossy(&t.stdout).contains("五台县"));
}

#[test]
fn output_file_is_written_atomically() {
    let dir = tempdir();
    let path = dir.path().join("a.csv");
    litmon()
        .args(["assess", "--format", "csv", "-o"])
        .arg(&path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(text.starts_with("jurisdiction,name_zh"));
    assert_eq!(
        std::fs::read_dir(dir.path())
            .map(|d| d.count())
            .unwrap_or(0),
        1
    );
}

#[test]
fn worked_example_through_the_cli() {
    // 9.0 (2020) → 9.8 (2022), target 12 (2025); values by hand in src/assess.rs tests:
    // required 0.6 pp/yr, observed 0.4 pp/yr, CAGR ratio 0.7344743, ρ 0.7117624,
    // progress share 0.8/3, official category acceleration_needed.
    let rows = csv_rows(&["assess", "--data", "tests/fixtures/worked", "--lang", "en"]);
    assert_eq!(rows.len(), 1);
    let r = row(&rows, "150300");
    assert!((num(r, "required_per_year") - 0.6).abs() < 1e-9);
    assert!((num(r, "observed_per_year") - 0.4).abs() < 1e-9);
    assert!((num(r, "cagr_ratio") - 0.7344743).abs() < 1e-6);
    assert!((num(r, "unsd_rho") - 0.7117624).abs() < 1e-6);
    assert!((num(r, "progress_share") - 0.8 / 3.0).abs() < 1e-9);
    assert_eq!(r["official_category"], "acceleration_needed");
    assert!(
        r["reason"].starts_with("needs +0.60 pp/yr 2020→2025; observed +0.40 pp/yr"),
        "{}",
        r["reason"]
    );
    // No parent data in this registry: no pooling, the city's own drift.
    assert_eq!(r["model"], "local_angular");
    assert!(!r["reason"].contains("from parent"), "{}", r["reason"]);
}

#[test]
fn pooling_across_the_hierarchy_on_the_embedded_data() {
    // Counties and cities borrow from their province, provinces from the nation; the weight
    // of the own slope is in `reason` (0 %: on the embedded data slope deviations from the
    // parent do not persist from one interval to the next, so none is kept).
    let rows = csv_rows(&["assess", "--lang", "en"]);
    let reason = |id: &str| row(&rows, id)["reason"].clone();
    assert!(
        reason("140922").contains("one survey value: trend from parent Shanxi"),
        "{}",
        reason("140922")
    );
    assert!(
        reason("150300").contains("trend from parent Inner Mongolia"),
        "{}",
        reason("150300")
    );
    let lanzhou = reason("620100");
    assert!(
        lanzhou.contains("% own, ") && lanzhou.contains("% from parent Gansu"),
        "{lanzhou}"
    );
    let jiangsu = reason("320000");
    assert!(jiangsu.contains("% from parent China"), "{jiangsu}");
    // The weights add up to 100 %.
    let after = jiangsu.split("slope ").nth(1).unwrap_or("");
    let own: u32 = after.split('%').next().unwrap_or("").parse().unwrap_or(0);
    let pooled: u32 = after
        .split("own, ")
        .nth(1)
        .and_then(|s| s.split('%').next())
        .unwrap_or("")
        .parse()
        .unwrap_or(0);
    let pct = [own, pooled];
    assert_eq!(pct.iter().sum::<u32>(), 100, "{jiangsu}");
    assert_eq!(row(&rows, "320000")["model"], "local_angular");
}

/// Numbers as people write them (issue 22): CSV and JSON carry at most 15 significant digits,
/// as R's `write.csv` — `0.888`, not `0.8879999999999999` — so no value of `assess` on the
/// embedded data has more (counted on every number token of the output).
#[test]
fn csv_and_json_numbers_have_at_most_15_significant_digits() {
    for format in ["csv", "json"] {
        let (out, _) = crate::common::run_ok(&["assess", "--format", format]);
        let text = String::from_utf8(out).expect("utf-8");
        let mut longest = 0;
        for token in text.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e' || c == '-'))
        {
            let mantissa = token
                .trim_start_matches('-')
                .split('e')
                .next()
                .unwrap_or("");
            if !mantissa.contains('.') {
                continue;
            }
            let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
            longest = longest.max(digits.trim_start_matches('0').len());
        }
        assert!(longest > 0, "{format}: no decimal numbers found");
        assert!(
            longest <= 15,
            "{format}: a number with {longest} significant digits"
        );
    }
}

/// `--quiet` prints errors only (issue 22): a user observation that overrides an embedded one
/// gives a note, which `--quiet` silences; an error still reaches standard error.
#[test]
fn quiet_prints_errors_only() {
    let dir = tempdir();
    let obs = dir.path().join("o.csv");
    std::fs::write(
        &obs,
        "jurisdiction,indicator,year,value,se,n,source\n100000,literacy_rate,2025,16.8,,,mine\n",
    )
    .expect("write");
    let run = |quiet: bool| {
        let mut c = crate::common::litmon_en();
        c.args(["assess", "--format", "csv", "--observations"])
            .arg(&obs);
        if quiet {
            c.arg("--quiet");
        }
        c.output().expect("run")
    };
    let loud = run(false);
    assert!(loud.status.success());
    assert!(String::from_utf8_lossy(&loud.stderr).contains("note:"));
    let quiet = run(true);
    assert!(quiet.status.success());
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "");
    assert_eq!(quiet.stdout, loud.stdout);
    let err = crate::common::litmon_en()
        .args(["assess", "--quiet", "--observations", "missing.csv"])
        .output()
        .expect("run");
    assert_eq!(err.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&err.stderr).contains("missing.csv"));
}
