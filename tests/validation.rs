//! The four load-time checks of the core issue, through the CLI: exit status 2 and a
//! message naming the file, line and what was expected.

use crate::litmon;

fn fails_with(args: &[&str], needles: &[&str]) {
    let out = litmon().args(args).output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert!(out.stdout.is_empty());
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "expected {n:?} in: {err}");
    }
}

#[test]
fn unknown_jurisdiction_names_closest_entries() {
    fails_with(
        &[
            "assess",
            "--observations",
            "tests/fixtures/bad/unknown_jurisdiction.csv",
        ],
        &[
            "unknown_jurisdiction.csv:3",
            "乌海市",
            "closest: 150300 乌海",
        ],
    );
}

#[test]
fn percent_outside_0_100_is_refused() {
    fails_with(
        &[
            "assess",
            "--observations",
            "tests/fixtures/bad/percent_out_of_range.csv",
        ],
        &[
            "percent_out_of_range.csv:2",
            "column 4 (value)",
            "expected a value in 0–100, found 150",
        ],
    );
}

#[test]
fn duplicate_with_different_values_names_both_rows() {
    fails_with(
        &[
            "assess",
            "--observations",
            "tests/fixtures/bad/duplicate_different.csv",
        ],
        &[
            "duplicate_different.csv:3",
            "10.4",
            "10.1",
            "duplicate_different.csv:2",
        ],
    );
}

#[test]
fn target_year_not_after_baseline_is_refused() {
    fails_with(
        &[
            "assess",
            "--plans",
            "tests/fixtures/bad/target_before_baseline.toml",
        ],
        &[
            "target_before_baseline.toml",
            "target year 2020 is not after the baseline year 2025",
        ],
    );
}

#[test]
fn usage_errors_exit_2() {
    fails_with(&["assess", "--format", "xml"], &["--format"]);
    fails_with(&["assess", "--lang", "fr"], &["--lang"]);
    fails_with(
        &["assess", "--observations", "no/such/file.csv"],
        &["no/such/file.csv"],
    );
    fails_with(&["assess", "--indicator", "nonexistent"], &["nonexistent"]);
}

#[test]
fn identical_value_twice_is_accepted() {
    // Same (jurisdiction, indicator, year) and value as the embedded row: not a conflict.
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("o.csv");
    std::fs::write(
        &f,
        "jurisdiction,indicator,year,value\n150300,literacy_rate,2020,9.0\n",
    )
    .expect("write");
    litmon()
        .args(["assess", "--observations"])
        .arg(&f)
        .assert()
        .success();
}

#[test]
fn chinese_headers_and_names_are_accepted() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = dir.path().join("o.csv");
    std::fs::write(
        &f,
        "\u{feff}地区,指标,年份,比例,标准误,样本量,来源\n乌海,literacy_rate,2022,10.9%,,,测试\n",
    )
    .expect("write");
    let out = litmon()
        .args(["assess", "--format", "csv", "--observations"])
        .arg(&f)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("150300,"))
        .expect("乌海 row");
    assert!(line.contains(",2022,10.9,"), "{line}");
}
