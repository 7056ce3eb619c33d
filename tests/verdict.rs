//! One verdict rule (issue 19): a measured target year is evaluated from one value; status,
//! official category, `p_reach` and `p_reach_measured` agree; every value has a sampling error
//! (stated, from a 95 % interval, from n × deff, or the level's typical sample); standard errors
//! no survey can have are refused; the plans' Chinese qualifiers are read.
//!
//! Expected probabilities by hand with Φ the standard Normal cdf (Python:
//! `0.5 * (1 + math.erf(z / math.sqrt(2)))`, the same as R's `pnorm(z)`).

use std::path::{Path, PathBuf};

use crate::common::{csv_rows, num, refused, tempdir, Row};

/// Writes `name` in `dir` with the given text; returns its path as a string.
fn file(dir: &Path, name: &str, text: &str) -> String {
    let p: PathBuf = dir.join(name);
    std::fs::write(&p, text).expect("write fixture");
    p.to_str().expect("utf-8 path").to_string()
}

/// The `assess` row of `jurisdiction` for `year`, with extra observations from `obs_text`.
fn assessed(obs_text: &str, jurisdiction: &str, year: &str) -> Row {
    let dir = tempdir();
    let obs = file(dir.path(), "obs.csv", obs_text);
    let rows = csv_rows(&[
        "assess",
        "--observations",
        &obs,
        "--jurisdiction",
        jurisdiction,
    ]);
    rows.into_iter()
        .find(|r| r["jurisdiction"] == jurisdiction && r["target_year"] == year)
        .unwrap_or_else(|| panic!("{jurisdiction} {year} row"))
}

const HEADER: &str = "jurisdiction,indicator,year,value,se,n,source\n";

/// 宁夏 measures 11.3 (se 0.5) in 2025 against its 11.5 % target, with no other value since
/// 2016: the final evaluation needs no baseline. P = Φ((11.3 − 11.5)/0.5) = Φ(−0.4) = 0.34458;
/// 80 % interval 11.3 ∓ 1.28155 × 0.5 = 10.65922 – 11.94078.
#[test]
fn one_measured_value_is_a_final_evaluation() {
    let r = assessed(
        &format!("{HEADER}640000,literacy_rate,2025,11.3,0.5,,survey\n"),
        "640000",
        "2025",
    );
    assert_eq!(r["status"], "not_achieved");
    assert_eq!(r["official_category"], "not_achieved");
    assert_eq!(r["model"], "measured");
    assert!((num(&r, "p_reach") - 0.344_578_258_389_675_8).abs() < 1e-12);
    assert_eq!(num(&r, "p_reach_measured"), 0.0);
    assert!((num(&r, "lo80") - (11.3 - 1.281_551_565_544_600_4 * 0.5)).abs() < 1e-9);
    assert!((num(&r, "hi80") - (11.3 + 1.281_551_565_544_600_4 * 0.5)).abs() < 1e-9);
    assert!(!r["reason"].contains("没有调查数据"), "{}", r["reason"]);
}

/// The nation measures 14.9 (se 0.2) against 超过15: not achieved in status and official
/// category; P = Φ(−0.1/0.2) = Φ(−0.5) = 0.30854; p_reach_measured 0.
#[test]
fn a_miss_is_not_achieved_in_status_and_official_category() {
    let r = assessed(
        &format!("{HEADER}100000,literacy_rate,2025,14.9,0.2,,survey\n"),
        "100000",
        "2025",
    );
    assert_eq!(r["status"], "not_achieved");
    assert_eq!(r["official_category"], "not_achieved");
    assert!((num(&r, "p_reach") - 0.308_537_538_725_986_9).abs() < 1e-12);
    assert_eq!(num(&r, "p_reach_measured"), 0.0);
}

/// 乌海 measures 12.3 (se 0.6) against 12: achieved, and p_reach_measured is 1 while
/// p_reach = Φ(0.5) = 0.69146 (the measured value met it; the true value does with that P).
#[test]
fn p_reach_measured_is_one_or_zero_on_a_measured_row() {
    let r = assessed(
        &format!("{HEADER}150300,literacy_rate,2025,12.3,0.6,,survey\n"),
        "150300",
        "2025",
    );
    assert_eq!(r["status"], "achieved");
    assert_eq!(r["official_category"], "achieved");
    assert_eq!(num(&r, "p_reach_measured"), 1.0);
    assert!((num(&r, "p_reach") - 0.691_462_461_274_013_1).abs() < 1e-12);
}

/// 五台县 (a county) 12.3 in 2023 against 12.2 for 2025, given without se: the county's typical
/// sample in the national survey of 2023, 289,000/2,844 ≈ 101.62 respondents, gives
/// se = 100·√(0.123·0.877/101.62) = 3.2581 points, so 12.3 − 1.645·3.26 does not meet 12.2:
/// not achieved early. With a stated se of 0.05 it is achieved (12.3 − 1.645·0.05 = 12.218 ≥ 12.2).
#[test]
fn a_value_without_se_is_not_achieved_before_its_year_within_its_sampling_error() {
    let r = assessed(
        &format!("{HEADER}140922,literacy_rate,2023,12.3,,,survey\n"),
        "140922",
        "2025",
    );
    assert_ne!(r["status"], "achieved");
    assert_ne!(r["status"], "not_achieved");
    let r = assessed(
        &format!("{HEADER}140922,literacy_rate,2023,12.3,0.05,,survey\n"),
        "140922",
        "2025",
    );
    assert_eq!(r["status"], "achieved");
    assert!(r["reason"].contains("超出抽样误差"), "{}", r["reason"]);
}

/// A measured value without se takes its level's typical sample in the national survey of
/// that year: 乌海 (a prefecture) in 2025, the 2023 survey's 289,000 respondents over 419
/// units, n ≈ 689.74, se = 100·√(0.123·0.877/689.74) = 1.25058; P = Φ(0.3/1.25058) =
/// 0.594792 (Python, as above); the reason says where the se came from.
#[test]
fn a_measured_value_without_se_uses_the_level_default_and_says_so() {
    let r = assessed(
        &format!("{HEADER}150300,literacy_rate,2025,12.3,,,survey\n"),
        "150300",
        "2025",
    );
    let se = 100.0 * (0.123_f64 * 0.877 / (289_000.0 / 419.0)).sqrt();
    assert!((se - 1.250_58).abs() < 1e-4);
    assert!(
        (num(&r, "p_reach") - 0.594_792).abs() < 1e-5,
        "{}",
        r["p_reach"]
    );
    assert!(r["reason"].contains("通常样本量"), "{}", r["reason"]);
}

/// n and deff give the se: n = 1000 → se = 100·√(0.123·0.877/1000) = 1.038610,
/// P = Φ(0.3/1.038610) = 0.613651; deff 2 → se·√2 = 1.468816, P = 0.580919.
/// A 95 % interval 11.1–13.5 → se = 2.4/(2·1.959964) = 0.612256, P = 0.687930.
/// The columns are read under their Chinese names too.
#[test]
fn sample_size_design_effect_and_interval_give_the_standard_error() {
    let r = assessed(
        &format!("{HEADER}150300,literacy_rate,2025,12.3,,1000,survey\n"),
        "150300",
        "2025",
    );
    assert!((num(&r, "p_reach") - 0.613_651_033_194_206_9).abs() < 1e-9);
    assert!(r["reason"].contains("样本量1000"), "{}", r["reason"]);
    let r = assessed(
        "地区,年份,比例,样本量,设计效应\n150300,2025,12.3,1000,2\n",
        "150300",
        "2025",
    );
    assert!((num(&r, "p_reach") - 0.580_919_430_289_887_5).abs() < 1e-9);
    let r = assessed(
        "地区,年份,比例,置信区间下限,置信区间上限\n150300,2025,12.3,11.1,13.5\n",
        "150300",
        "2025",
    );
    assert!((num(&r, "p_reach") - 0.687_929_864_896_767_6).abs() < 1e-9);
    assert!(r["reason"].contains("置信区间"), "{}", r["reason"]);
}

/// An se written as a fraction beside a percentage (0.007 beside 15.1 implies
/// 0.151·0.849/0.00007² ≈ 26 million respondents) is refused, naming the se column.
#[test]
fn a_fraction_se_beside_a_percentage_is_refused_naming_the_column() {
    let dir = tempdir();
    let obs = file(
        dir.path(),
        "obs.csv",
        &format!("{HEADER}包头市,literacy_rate,2025,15.1,0.007,,survey\n"),
    );
    refused(
        &["assess", "--observations", &obs],
        &["obs.csv:2", "column 5 (se)", "percentage points"],
    );
    // The same through an interval too narrow for any survey.
    let obs = file(
        dir.path(),
        "ci.csv",
        "jurisdiction,year,value,lo,hi\n150300,2025,15.1,15.09,15.11\n",
    );
    refused(&["assess", "--observations", &obs], &["ci.csv:2", "lo"]);
    // One bound alone, and an interval that does not hold the value.
    let obs = file(
        dir.path(),
        "lo.csv",
        "jurisdiction,year,value,lo\n150300,2025,15.1,14\n",
    );
    refused(&["assess", "--observations", &obs], &["lo.csv", "hi"]);
    let obs = file(
        dir.path(),
        "out.csv",
        "jurisdiction,year,value,lo,hi\n150300,2025,15.1,16,17\n",
    );
    refused(&["assess", "--observations", &obs], &["out.csv:2", "lower"]);
    let obs = file(
        dir.path(),
        "deff.csv",
        "jurisdiction,year,value,n,deff\n150300,2025,15.1,500,0\n",
    );
    refused(
        &["assess", "--observations", &obs],
        &["deff.csv:2", "design effect"],
    );
}

/// The plans' own words are read as qualifiers: 达到 and 不低于 compare with ≥, 超过 with >.
/// A 乌海 plan with target 12 and 2025 measured exactly 12: 达到 → achieved, 超过 → not.
#[test]
fn chinese_qualifiers_are_read_from_plans() {
    for (word, status) in [
        ("达到", "achieved"),
        ("不低于", "achieved"),
        ("以上", "achieved"),
        ("力争", "achieved"),
        ("左右", "achieved"),
        ("超过", "not_achieved"),
    ] {
        let dir = tempdir();
        let plan = file(
            dir.path(),
            "wuhai.toml",
            &format!(
                "[plan]\njurisdiction = \"150300\"\ntitle_zh = \"乌海测试方案\"\nperiod = [2021, 2025]\n\n\
                 [[indicator]]\nid = \"literacy_rate\"\nname_zh = \"公民具备科学素质的比例\"\nunit = \"pct\"\n\
                 kind = \"level\"\ndirection = \"increase\"\nbaseline = {{ year = 2020, value = 9.0 }}\n\
                 target = {{ year = 2025, value = 12.0 }}\nqualifier = \"{word}\"\n"
            ),
        );
        let obs = file(
            dir.path(),
            "obs.csv",
            &format!("{HEADER}150300,literacy_rate,2025,12,0.6,,survey\n"),
        );
        let rows = csv_rows(&[
            "assess",
            "--plans",
            &plan,
            "--observations",
            &obs,
            "--jurisdiction",
            "150300",
        ]);
        let r = rows
            .iter()
            .find(|r| r["target_year"] == "2025")
            .expect("2025 row");
        assert_eq!(r["status"], status, "qualifier {word}");
    }
}

/// The new user of issue 19: 包头 (found by 包头市, 包头 or 150200) with a 2020 value of 10.5 and
/// a 2025 survey value of 15.1 (se 0.7) against a 2025 target of 15: achieved, and
/// P(true value ≥ 15) = Φ(0.1/0.7) = 0.5567985 (Python, as above).
#[test]
fn a_city_of_the_full_registry_is_evaluated_from_its_own_files() {
    let dir = tempdir();
    let obs = file(
        dir.path(),
        "baotou.csv",
        "地区,年份,比例,标准误\n包头市,2020,10.5,\n包头市,2025,15.1,0.7\n",
    );
    let plan = file(
        dir.path(),
        "baotou.toml",
        "[plan]\njurisdiction = \"包头\"\ntitle_zh = \"包头市全民科学素质行动规划纲要实施方案（2021—2025年）\"\n\
         period = [2021, 2025]\n\n[[indicator]]\nid = \"literacy_rate\"\nname_zh = \"公民具备科学素质的比例\"\n\
         unit = \"pct\"\nkind = \"level\"\ndirection = \"increase\"\ntarget = { year = 2025, value = 15.0 }\nqualifier = \"达到\"\n",
    );
    for key in ["包头", "包头市", "150200"] {
        let rows = csv_rows(&[
            "assess",
            "--observations",
            &obs,
            "--plans",
            &plan,
            "--jurisdiction",
            key,
        ]);
        assert_eq!(rows.len(), 1, "{key}");
        let r = &rows[0];
        assert_eq!(r["jurisdiction"], "150200");
        assert_eq!(r["status"], "achieved");
        assert_eq!(r["baseline_year"], "2020");
        assert!(
            (num(r, "p_reach") - 0.556_798_496_816_468_2).abs() < 1e-9,
            "{}",
            r["p_reach"]
        );
    }
}
