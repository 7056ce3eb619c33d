//! The four load-time checks of the core issue, through the CLI: exit status 2 and a
//! message naming the file, line and what was expected.

use crate::common::{refused, tempdir, Workspace};
use crate::litmon;

#[test]
fn unknown_jurisdiction_names_closest_entries() {
    refused(
        &[
            "assess",
            "--observations",
            "tests/fixtures/bad/unknown_jurisdiction.csv",
        ],
        &[
            "unknown_jurisdiction.csv:3",
            "乌海巿",
            "closest: 150300 乌海",
        ],
    );
}

#[test]
fn percent_outside_0_100_is_refused() {
    refused(
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
    refused(
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
    refused(
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
    refused(
        &["assess", "--format", "xml"],
        &[
            "invalid value 'xml' for '--format <FORMAT>'",
            "[possible values: table, csv, json, xlsx, md, png, svg]",
        ],
    );
    refused(
        // An unknown language: the message is in the default language, Chinese.
        &["assess", "--lang", "fr"],
        &["--lang <zh|en> 的取值 \"fr\" 无效，可选的值为：zh, en"],
    );
    refused(
        &["assess", "--observations", "no/such/file.csv"],
        &["no/such/file.csv"],
    );
    refused(&["assess", "--indicator", "nonexistent"], &["nonexistent"]);
}

#[test]
fn named_values_and_years_are_checked_by_clap() {
    // A near miss of a possible value: clap's tip names it.
    refused(
        &["assess", "--lang", "zhh"],
        &["的取值 \"zhh\" 无效", "是否应为 zh？"],
    );
    refused(
        &["assess", "--format", "jsno"],
        &["tip: a similar value exists: 'json'"],
    );
    refused(
        &["assess", "--level", "provnce"],
        &[
            "[possible values: national, province, prefecture, county]",
            "tip: a similar value exists: 'province'",
        ],
    );
    refused(
        &["assess", "--model", "cagrr"],
        &["tip: a similar value exists: 'cagr'"],
    );
    // Every year flag has the one range 1900–2100.
    for args in [
        &["assess", "--as-of", "1899"][..],
        &["targets", "--year", "2101"],
        &["project", "--to", "3000"],
        &["backtest", "--since", "1800"],
        &["sae", "--year", "1066"],
        &[
            "chart", "--kind", "targets", "--year", "2200", "-o", "x.png",
        ],
    ] {
        refused(args, &["is not in 1900..=2100"]);
    }
    // Other names of a value still parse (a level in Chinese, a format in capitals).
    litmon()
        .args(["assess", "--level", "省", "--format", "CSV"])
        .assert()
        .success();
}

#[test]
fn identical_value_twice_is_accepted() {
    // Same (jurisdiction, indicator, year) and value as the embedded row: not a conflict.
    let dir = tempdir();
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
    let dir = tempdir();
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

/// How a bad fixture is given to `litmon assess`.
#[derive(Clone, Copy)]
enum As {
    /// `--observations F` on the embedded data.
    Obs,
    /// `--data tests/fixtures/worked --observations F`.
    WorkedObs,
    /// `--plans F` on the embedded data.
    Plan,
    /// `--data F` (a registry directory).
    Data,
}

/// One bad-input case: fixture, line, how it is given, extra flags, expected text.
type Case = (
    &'static str,
    u64,
    As,
    &'static [&'static str],
    &'static [&'static str],
);

/// The bad-input battery: (fixture under tests/fixtures/bad, line, how it is given, extra
/// flags, what stderr must contain besides `FILE:LINE`). Every case must exit 2, name the
/// file and line, not panic, and leave the output directory exactly as it was.
const BATTERY: &[Case] = &[
    (
        "unknown_jurisdiction.csv",
        3,
        As::Obs,
        &[],
        &["closest: 150300 乌海"],
    ),
    (
        "percent_out_of_range.csv",
        2,
        As::Obs,
        &[],
        &["expected a value in 0–100, found 150"],
    ),
    (
        "duplicate_different.csv",
        3,
        As::Obs,
        &[],
        &["duplicate observation", "keep one row"],
    ),
    (
        "target_before_baseline.toml",
        12,
        As::Plan,
        &[],
        &["not after the baseline year"],
    ),
    (
        "empty.csv",
        1,
        As::Obs,
        &[],
        &["the file is empty", "header row"],
    ),
    ("blank_lines.csv", 1, As::Obs, &[], &["the file is empty"]),
    (
        "header_only.csv",
        1,
        As::Obs,
        &[],
        &["header but no data rows"],
    ),
    (
        "missing_value_column.csv",
        1,
        As::Obs,
        &[],
        &["missing required column \"value\"", "比例"],
    ),
    (
        "misspelled_year_column.csv",
        1,
        As::Obs,
        &[],
        &["missing required column \"year\"", "did you mean \"yaer\""],
    ),
    (
        "value_not_a_number.csv",
        3,
        As::Obs,
        &[],
        &["column 4 (value)", "expected a number", "\"abc\""],
    ),
    (
        "year_not_a_year.csv",
        2,
        As::Obs,
        &[],
        &["column 3 (year)", "expected a year such as 2022"],
    ),
    (
        "year_out_of_range.csv",
        2,
        As::Obs,
        &[],
        &["expected a year", "1850"],
    ),
    (
        "value_nan.csv",
        2,
        As::Obs,
        &[],
        &["expected a finite number", "NaN"],
    ),
    (
        "se_infinite.csv",
        2,
        As::Obs,
        &[],
        &["column 5 (se)", "expected a finite number"],
    ),
    (
        "se_negative.csv",
        2,
        As::Obs,
        &[],
        &["column 5 (se)", "standard error ≥ 0"],
    ),
    (
        "n_negative.csv",
        2,
        As::Obs,
        &[],
        &["column 6 (n)", "sample size of at least 1"],
    ),
    (
        "n_zero.csv",
        2,
        As::Obs,
        &[],
        &["column 6 (n)", "sample size of at least 1", "found 0"],
    ),
    (
        "se_fraction_beside_percent.csv",
        2,
        As::Obs,
        &[],
        &["column 5 (se)", "0.007 beside 15.1", "percentage points"],
    ),
    (
        "interval_one_bound.csv",
        2,
        As::Obs,
        &[],
        &["column 4 (lo)", "needs both bounds"],
    ),
    (
        "interval_not_around_value.csv",
        2,
        As::Obs,
        &[],
        &["column 4 (lo)", "lower ≤ 15.1 ≤ upper", "found 16–17"],
    ),
    (
        "deff_zero.csv",
        2,
        As::Obs,
        &[],
        &["column 5 (deff)", "design effect", "found 0"],
    ),
    (
        "se_above_50.csv",
        2,
        As::Obs,
        &[],
        &["column 5 (se)", "≤ 50", "found 60"],
    ),
    (
        "value_empty.csv",
        2,
        As::Obs,
        &[],
        &["column 4 (value)", "empty cell"],
    ),
    (
        "jurisdiction_empty.csv",
        2,
        As::Obs,
        &[],
        &["column 1 (jurisdiction)", "empty cell"],
    ),
    (
        "duplicate_column.csv",
        1,
        As::Obs,
        &[],
        &["appears twice", "年份"],
    ),
    (
        "fraction_beside_percent.csv",
        3,
        As::WorkedObs,
        &[],
        &["looks like a fraction beside 9.9", "write 10.5"],
    ),
    (
        "duplicate_other_se.csv",
        3,
        As::Obs,
        &[],
        &[
            "duplicate observation",
            "se 0.6 here and se 0.4",
            "duplicate_other_se.csv:2",
        ],
    ),
    (
        "percent_negative.csv",
        2,
        As::Obs,
        &[],
        &["expected a value in 0–100, found -3"],
    ),
    (
        "count_negative.csv",
        2,
        As::Obs,
        &[],
        &["is a count: expected a value ≥ 0"],
    ),
    (
        "sub_indicator_percent_out_of_range.csv",
        2,
        As::Obs,
        &[],
        &["students_in_science_activities_rate is a percentage"],
    ),
    ("binary_garbage.csv", 2, As::Obs, &[], &["binary file"]),
    (
        "registry_cycle",
        3,
        As::Data,
        &[],
        &["form a cycle", "150000 → 150300 → 150000"],
    ),
    (
        "registry_missing_parent",
        4,
        As::Data,
        &[],
        &[
            "parent of 150300",
            "unknown jurisdiction \"159999\"",
            "closest",
        ],
    ),
    (
        "registry_duplicate_id",
        4,
        As::Data,
        &[],
        &[
            "duplicate jurisdiction id \"150300\"",
            "registry_duplicate_id/jurisdictions.csv:3",
        ],
    ),
    (
        "registry_bad_level",
        3,
        As::Data,
        &[],
        &["column 4 (level)", "\"town\""],
    ),
    (
        "registry_header_only",
        1,
        As::Data,
        &[],
        &["header but no data rows"],
    ),
    (
        "toml_syntax_error.toml",
        12,
        As::Plan,
        &[],
        &["invalid plan TOML"],
    ),
    (
        "toml_unknown_key.toml",
        12,
        As::Plan,
        &[],
        &["invalid plan TOML", "targett"],
    ),
    (
        "toml_wrong_type.toml",
        11,
        As::Plan,
        &[],
        &["invalid plan TOML"],
    ),
    (
        "plan_target_out_of_range.toml",
        11,
        As::Plan,
        &[],
        &["outside 0–100"],
    ),
    (
        "plan_target_nan.toml",
        11,
        As::Plan,
        &[],
        &["expected a finite target value"],
    ),
    (
        "plan_duplicate_indicator.toml",
        14,
        As::Plan,
        &[],
        &["appears twice"],
    ),
    (
        "plan_unknown_jurisdiction.toml",
        2,
        As::Plan,
        &[],
        &["unknown jurisdiction \"乌海巿\"", "closest: 150300 乌海"],
    ),
    (
        "plan_period_reversed.toml",
        4,
        As::Plan,
        &[],
        &["first ≤ last", "[2025, 2021]"],
    ),
    (
        "plan_literacy_not_pct.toml",
        9,
        As::Plan,
        &[],
        &["expected unit = \"pct\""],
    ),
    (
        "xlsx_value_not_a_number.xlsx",
        3,
        As::Obs,
        &[],
        &["column 4 (比例（%）)", "十点三"],
    ),
    (
        "xlsx_missing_year.xlsx",
        1,
        As::Obs,
        &[],
        &["missing required column \"year\""],
    ),
    // Issue 12: strict CSV, ids that would become paths, control characters, levels.
    (
        "n_not_whole.csv",
        2,
        As::Obs,
        &[],
        &["column 6 (n)", "whole number", "1200.5"],
    ),
    (
        "n_too_large.csv",
        2,
        As::Obs,
        &[],
        &["column 6 (n)", "found 1e30"],
    ),
    (
        "csv_unterminated_quote.csv",
        3,
        As::Obs,
        &[],
        &["never closed"],
    ),
    (
        "csv_row_longer_than_header.csv",
        2,
        As::Obs,
        &[],
        &["column 8", "8 fields but the header has 7"],
    ),
    (
        "csv_cr_line_ends.csv",
        3,
        As::Obs,
        &[],
        &["column 4 (value)", "\"abc\""],
    ),
    (
        "csv_semicolon_delimited.csv",
        1,
        As::Obs,
        &[],
        &["semicolon-separated"],
    ),
    (
        "registry_id_with_separator",
        3,
        As::Data,
        &[],
        &["column 1 (id)", "without path separators"],
    ),
    (
        "registry_county_under_county",
        5,
        As::Data,
        &[],
        &["150301 is a county whose parent 150300 is a county"],
    ),
    (
        "registry_control_character",
        3,
        As::Data,
        &[],
        &["column 2 (name_zh)", "U+001B"],
    ),
    (
        "plan_control_character.toml",
        3,
        As::Plan,
        &[],
        &["plan.title_zh", "U+001B"],
    ),
    (
        "toml_control_in_comment.toml",
        1,
        As::Plan,
        &[],
        &["invalid plan TOML", "U+0007"],
    ),
    (
        "../io/observations_gbk.csv",
        1,
        As::Obs,
        &["--encoding", "utf-8"],
        &["--encoding gbk"],
    ),
    // Issue 20, item 10: a progress row after its plan's period (Ordos' plan is 2021–2025).
    (
        "progress_after_plan_period.csv",
        3,
        As::Obs,
        &[],
        &["dated 2030, after the plan period 2021–2025"],
    ),
    // Issue 20, item 12: a period of three years, two targets for one year, ids outside the
    // schema (a Cyrillic а, capitals, a path).
    (
        "plan_period_three_years.toml",
        4,
        As::Plan,
        &[],
        &["expected period = [first, last], two years, found 3 years"],
    ),
    (
        "plan_two_milestones_same_year.toml",
        15,
        As::Plan,
        &[],
        &["two targets for 2035 (25 and 30)"],
    ),
    (
        "plan_id_cyrillic_letter.toml",
        7,
        As::Plan,
        &[],
        &["U+0430", "did you mean \"literacy_rate\""],
    ),
    (
        "plan_id_upper_case.toml",
        7,
        As::Plan,
        &[],
        &["snake_case", "did you mean \"literacy_rate\""],
    ),
    (
        "plan_id_path.toml",
        7,
        As::Plan,
        &[],
        &["found \"../../x\"", "did you mean \"x\""],
    ),
    // Issue 20, item 14: a fraction ten years from the percent values (乌海 9.0 in 2020).
    (
        "fraction_far_from_percent.csv",
        2,
        As::Obs,
        &[],
        &["0.098 looks like a fraction beside 9 (150300 2020"],
    ),
    // Issue 20, item 15: two cumulative amounts of 1e308 would be done = inf.
    (
        "count_total_overflow.csv",
        3,
        As::Obs,
        &[],
        &[
            "adding 1e308 to the earlier amounts (1e308)",
            "finite total",
        ],
    ),
    // Issue 20, item 17: 1e308 is shown as 1e308, not as 309 digits.
    (
        "percent_huge.csv",
        2,
        As::Obs,
        &[],
        &["expected a value in 0–100, found 1e308 (write"],
    ),
    // Issue 20, item 17: a UTF-8 line (乌海) in a GBK file reads as 涔屾捣: say so.
    (
        "obs_gbk_with_utf8_line.csv",
        5,
        As::Obs,
        &[],
        &[
            "涔屾捣",
            "150300 乌海 in UTF-8 read as GBK",
            "mixes encodings",
        ],
    ),
];

fn battery_args(fixture: &str, how: As, extra: &[&str]) -> Vec<String> {
    let path = format!("tests/fixtures/bad/{fixture}");
    let mut args: Vec<String> = vec!["assess".into(), "--format".into(), "csv".into()];
    let add: Vec<&str> = match how {
        As::Obs => vec!["--observations", &path],
        As::WorkedObs => vec!["--data", "tests/fixtures/worked", "--observations", &path],
        As::Plan => vec!["--plans", &path],
        As::Data => vec!["--data", &path],
    };
    args.extend(add.into_iter().map(String::from));
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn dir_listing(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| {
            let p = e.expect("entry").path();
            (p.display().to_string(), std::fs::read(&p).expect("read"))
        })
        .collect();
    v.sort();
    v
}

#[test]
fn bad_input_battery_exits_2_names_file_and_line_and_writes_nothing() {
    let bad_files = std::fs::read_dir("tests/fixtures/bad")
        .expect("bad/")
        .count();
    assert!(bad_files >= 30, "only {bad_files} bad fixtures");
    assert!(BATTERY.len() >= 30);
    for &(fixture, line, how, extra, needles) in BATTERY {
        let dir = tempdir();
        let out_file = dir.path().join("out.csv");
        std::fs::write(&out_file, "previous result\n").expect("seed");
        let before = dir_listing(dir.path());
        let out = litmon()
            .args(battery_args(fixture, how, extra))
            .args(["--lang", "en"])
            .arg("-o")
            .arg(&out_file)
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{fixture}: {err}");
        assert!(!err.contains("panicked"), "{fixture}: {err}");
        assert!(out.stdout.is_empty(), "{fixture}");
        let name = fixture.rsplit('/').next().unwrap_or(fixture);
        let at = format!("{name}:{line}");
        let at_dir = format!("{name}/jurisdictions.csv:{line}");
        assert!(
            err.contains(&at) || err.contains(&at_dir),
            "{fixture}: expected {at:?} in: {err}"
        );
        for n in needles {
            assert!(err.contains(n), "{fixture}: expected {n:?} in: {err}");
        }
        assert_eq!(
            dir_listing(dir.path()),
            before,
            "{fixture}: output dir changed"
        );
    }
}

/// Issue 20, item 14: the fraction check compares a value with its nearest years: the nation's
/// early small values stay readable (0.2 in 1992 beside 0.2 in 1996; the embedded 0.2 of 1996
/// beside 1.4 in 2001 is a ratio of 7, under 30), while 0.098 ten years before 乌海's 9.0 is
/// refused (battery). A plan directory reads `A.TOML` (the extension in any case).
#[test]
fn early_small_values_are_read_and_upper_case_plan_names_too() {
    let ws = Workspace::new();
    let f = ws.file(
        "o.csv",
        "jurisdiction,indicator,year,value\n100000,literacy_rate,1992,0.2\n",
    );
    litmon()
        .args(["assess", "--observations", &f])
        .assert()
        .success();
    let plan = std::fs::read_to_string("tests/fixtures/worked/plans/150300.toml")
        .expect("plan")
        .replace("value = 12.0", "value = 13.5");
    let plan = ws.file("plans/A.TOML", plan);
    let plans = std::path::Path::new(&plan).parent().expect("plans folder");
    let out = crate::common::litmon_en()
        .args([
            "assess",
            "--format",
            "csv",
            "--jurisdiction",
            "150300",
            "--plans",
        ])
        .arg(plans)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(",2025,13.5,"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("A.TOML overrides"));
}
