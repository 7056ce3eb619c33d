//! `litmon estimate` reads its inputs as every other table is read (#13 item 6): the same
//! survey in UTF-8, GBK (detected or `--encoding gbk`) and XLSX gives byte-identical output;
//! so do population margins, rscales and `sae` covariates in those forms. Errors name the
//! line (GBK) or the sheet row and column (XLSX). `--jurisdiction`/`--level` keep the `--by`
//! domains that are those jurisdictions.
//!
//! Fixtures: tests/fixtures/microdata/, written by make_encodings.py from
//! tests/fixtures/survey/microdata.csv (headers 省份 and 地区, Chinese province names).

use std::collections::BTreeSet;

use crate::common::tempdir;
use crate::litmon;

const DIR: &str = "tests/fixtures/microdata";

/// The design flags of the fixture survey, with three domain tables.
const DESIGN: [&str; 16] = [
    "--strata",
    "stratum",
    "--psu",
    "psu",
    "--weight",
    "weight",
    "--fpc",
    "fpc",
    "--lonely-psu",
    "adjust",
    "--by",
    "省份",
    "--by",
    "地区",
    "--by",
    "county,urban",
];

/// Runs `litmon estimate --format csv` on a fixture file with the design flags and `extra`;
/// returns (success, stdout, stderr).
fn estimate(microdata: &str, extra: &[&str]) -> (bool, Vec<u8>, String) {
    let out = litmon()
        .args(["estimate", "--lang", "en", "--format", "csv", "--microdata"])
        .arg(microdata)
        .args(DESIGN)
        .args(extra)
        .output()
        .expect("run litmon");
    (
        out.status.success(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// stdout of a run that must succeed.
fn estimate_ok(microdata: &str, extra: &[&str]) -> String {
    let (ok, stdout, stderr) = estimate(microdata, extra);
    assert!(ok, "estimate {microdata} {extra:?} failed: {stderr}");
    assert!(!stdout.is_empty());
    String::from_utf8(stdout).expect("UTF-8 output")
}

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

#[test]
fn the_same_survey_in_utf8_gbk_and_xlsx_gives_identical_output() {
    let utf8 = estimate_ok(&fixture("microdata.csv"), &[]);
    // The Chinese headers and names made it through: 省份=内蒙古自治区 is a domain.
    let text = &utf8;
    assert!(text.contains("\n省份=内蒙古自治区,"), "{text}");
    assert!(text.contains("\n地区=150000,"), "{text}");
    assert_eq!(
        estimate_ok(&fixture("microdata_gbk.csv"), &[]),
        utf8,
        "GBK, detected"
    );
    assert_eq!(
        estimate_ok(&fixture("microdata_gbk.csv"), &["--encoding", "gbk"]),
        utf8,
        "GBK, --encoding gbk"
    );
    assert_eq!(
        estimate_ok(&fixture("microdata_gbk.csv"), &["--encoding", "gb18030"]),
        utf8,
        "GBK, --encoding gb18030"
    );
    assert_eq!(estimate_ok(&fixture("microdata.xlsx"), &[]), utf8, "XLSX");
    assert_eq!(
        estimate_ok(&fixture("microdata.xlsx"), &["--sheet", "调查数据"]),
        utf8,
        "XLSX, --sheet"
    );
    // A UTF-8 byte-order mark (Excel's "CSV UTF-8") changes nothing, even with --encoding gbk.
    let dir = tempdir();
    let bom = dir.path().join("bom.csv");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(std::fs::read(fixture("microdata.csv")).expect("fixture"));
    std::fs::write(&bom, bytes).expect("write");
    let bom = bom.to_str().expect("path");
    assert_eq!(estimate_ok(bom, &[]), utf8, "UTF-8 with BOM");
    assert_eq!(estimate_ok(bom, &["--encoding", "gbk"]), utf8, "BOM wins");
    // UTF-16 with a byte-order mark (Excel's "Unicode text" saved as .csv).
    let utf16 = dir.path().join("utf16.csv");
    let text = std::fs::read_to_string(fixture("microdata.csv")).expect("fixture");
    let bytes: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(&utf16, bytes).expect("write");
    assert_eq!(
        estimate_ok(utf16.to_str().expect("path"), &[]),
        utf8,
        "UTF-16LE with BOM"
    );
}

#[test]
fn observations_rows_are_identical_too() {
    // The source column names the file; everything before it must agree.
    // Observations rows are written for single-column domains of jurisdictions only: the
    // crossed county,urban table of DESIGN is left out (it is refused, see safety.rs).
    let rows = |f: &str| -> Vec<String> {
        let out = litmon()
            .args(["estimate", "--format", "csv", "--microdata", &fixture(f)])
            .args(&DESIGN[..DESIGN.len() - 2])
            .args(["--to-observations", "2022"])
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.rsplit_once(',').expect("source column").0.to_string())
            .collect()
    };
    let utf8 = rows("microdata.csv");
    assert!(
        utf8.contains(
            &"内蒙古自治区,literacy_rate,2022,20.2485524335855,3.6703077800016,110".to_string()
        ),
        "{utf8:?}"
    );
    assert_eq!(rows("microdata_gbk.csv"), utf8);
    assert_eq!(rows("microdata.xlsx"), utf8);
}

#[test]
fn population_margins_in_gbk_and_xlsx_post_stratify_identically() {
    let post = |microdata: &str, population: &str| {
        estimate_ok(
            &fixture(microdata),
            &[
                "--poststrata",
                "省份,urban",
                "--population",
                &fixture(population),
            ],
        )
    };
    let reference = post("microdata.csv", "population.csv");
    // Post-stratified: the total's weights sum to the population (348,000).
    assert!(reference.contains("\ntotal,403,348000"), "{reference}");
    assert_eq!(post("microdata.csv", "population_gbk.csv"), reference);
    assert_eq!(post("microdata.csv", "population.xlsx"), reference);
    assert_eq!(post("microdata_gbk.csv", "population_gbk.csv"), reference);
    assert_eq!(post("microdata.xlsx", "population.xlsx"), reference);
}

#[test]
fn gbk_population_margins_errors_name_the_line_and_column() {
    let dir = tempdir();
    let pop = dir.path().join("pop_gbk.csv");
    // GBK with a count that is not a number on line 3.
    let mut bytes = std::fs::read(fixture("population_gbk.csv")).expect("fixture");
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let mut bad = lines[2].to_vec();
    let comma = bad.iter().rposition(|&b| b == b',').expect("comma");
    bad.truncate(comma + 1);
    bad.extend_from_slice(b"many");
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(if i == 2 { &bad } else { l });
    }
    bytes = out;
    std::fs::write(&pop, bytes).expect("write");
    let (ok, _, err) = estimate(
        &fixture("microdata.csv"),
        &[
            "--poststrata",
            "省份,urban",
            "--population",
            pop.to_str().expect("path"),
        ],
    );
    assert!(!ok);
    assert!(
        err.contains("pop_gbk.csv:3, column 3 (Freq): expected a population count"),
        "{err}"
    );
}

#[test]
fn rscales_in_a_workbook_equal_the_text_file() {
    let run = |rscales: &str| {
        let out = litmon()
            .args([
                "estimate",
                "--format",
                "csv",
                "--microdata",
                "tests/fixtures/survey/rep_jkn.csv",
                "--weight",
                "weight",
                "--indicator-column",
                "literate",
                "--by",
                "county",
                "--repweights",
                "repw",
                "--reptype",
                "jkn",
                "--rscales",
                rscales,
            ])
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let text = run("tests/fixtures/survey/rep_jkn_rscales.csv");
    assert_eq!(run(&fixture("rscales.xlsx")), text);
}

#[test]
fn sae_covariates_in_gbk_and_xlsx_give_identical_estimates() {
    let sae = |covariates: &str| {
        let out = litmon()
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
                "--covariates",
                covariates,
            ])
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    // The original (codes, English headers) and the Chinese copies (names, 地区, 城镇化率).
    let reference = sae("tests/fixtures/sae/covariates.csv");
    assert_eq!(sae(&fixture("covariates.csv")), reference);
    assert_eq!(sae(&fixture("covariates_gbk.csv")), reference);
    assert_eq!(sae(&fixture("covariates.xlsx")), reference);
}

#[test]
fn a_broken_xlsx_microdata_names_the_sheet_row_and_column_without_binary() {
    // The table starts in column B under a title row; sheet row 7 has weight "abc".
    let (ok, stdout, err) = estimate(&fixture("microdata_broken.xlsx"), &[]);
    assert!(!ok);
    assert!(stdout.is_empty());
    assert!(
        err.contains("microdata_broken.xlsx:7, column 4 (weight): expected a weight"),
        "{err}"
    );
    assert!(err.contains("\"abc\""), "{err}");
    assert!(!err.contains("PK"), "{err}");
    assert!(!err.contains('\u{FFFD}'), "{err}");
    assert!(
        err.chars()
            .all(|c| !c.is_control() || c == '\n' || c == '\t'),
        "{err:?}"
    );
    // A truncated workbook: named as a damaged .xlsx, without its bytes.
    let dir = tempdir();
    let cut = dir.path().join("cut.xlsx");
    let bytes = std::fs::read(fixture("microdata.xlsx")).expect("fixture");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    let (ok, _, err) = estimate(cut.to_str().expect("path"), &[]);
    assert!(!ok);
    assert!(
        err.contains("cut.xlsx: expected an .xlsx workbook"),
        "{err}"
    );
    // The random temporary directory's name may itself hold "PK": look past it.
    let shown = err.replace(dir.path().to_str().expect("path"), "");
    assert!(
        !shown.contains("PK") && !shown.contains('\u{FFFD}'),
        "{err}"
    );
    assert!(err.lines().count() <= 2 && err.len() < 600, "{err}");
    // A sheet that does not exist lists the sheets.
    let (ok, _, err) = estimate(&fixture("microdata.xlsx"), &["--sheet", "数据"]);
    assert!(!ok);
    assert!(
        err.contains("no sheet named \"数据\"") && err.contains("调查数据"),
        "{err}"
    );
}

/// A copy of the GBK fixture with line `line` (1-based) changed by `edit`.
fn gbk_copy(dir: &std::path::Path, line: usize, edit: impl Fn(&[u8]) -> Vec<u8>) -> String {
    let bytes = std::fs::read(fixture("microdata_gbk.csv")).expect("fixture");
    let lines: Vec<Vec<u8>> = bytes
        .split(|&b| b == b'\n')
        .enumerate()
        .map(|(i, l)| if i + 1 == line { edit(l) } else { l.to_vec() })
        .collect();
    let path = dir.join("gbk_edit.csv");
    std::fs::write(&path, lines.join(&b'\n')).expect("write");
    path.to_str().expect("path").to_string()
}

#[test]
fn gbk_microdata_errors_keep_their_lines() {
    let dir = tempdir();
    // Weight (third field; GBK trail bytes are never commas) on line 120 made "abc".
    let bad_weight = gbk_copy(dir.path(), 120, |l| {
        let fields: Vec<&[u8]> = l.split(|&b| b == b',').collect();
        let mut f: Vec<Vec<u8>> = fields.iter().map(|x| x.to_vec()).collect();
        f[2] = b"abc".to_vec();
        f.join(&b',')
    });
    for extra in [&[][..], &["--encoding", "gbk"][..]] {
        let (ok, _, err) = estimate(&bad_weight, extra);
        assert!(!ok);
        assert!(
            err.contains("gbk_edit.csv:120, column 3 (weight): expected a weight"),
            "{extra:?}: {err}"
        );
    }
    // Bytes that are neither UTF-8 nor GBK on line 200: the line, not the bytes.
    let garbage = gbk_copy(dir.path(), 200, |l| [l, b"\xFF\xFF"].concat());
    let (ok, _, err) = estimate(&garbage, &[]);
    assert!(!ok);
    assert!(
        err.contains("gbk_edit.csv:200: expected text in UTF-8 or GBK"),
        "{err}"
    );
    // --encoding utf-8 on a GBK file: refused on the header line, with the way out.
    let (ok, _, err) = estimate(&fixture("microdata_gbk.csv"), &["--encoding", "utf-8"]);
    assert!(!ok);
    assert!(
        err.contains("microdata_gbk.csv:1: expected UTF-8 text"),
        "{err}"
    );
    assert!(err.contains("--encoding gbk"), "{err}");
}

/// (domain, rest of the row) of a CSV estimate table, in order.
fn rows(csv: impl AsRef<[u8]>) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(csv.as_ref()).into_owned();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("domain,n,sum_weights,est,se,lo,hi,deff,n_eff,df,reliability")
    );
    lines
        .map(|l| {
            let (d, rest) = l.split_once(',').expect("row");
            (d.to_string(), rest.to_string())
        })
        .collect()
}

#[test]
fn jurisdiction_keeps_the_domains_that_are_that_jurisdiction() {
    let all = rows(estimate_ok(&fixture("microdata.csv"), &[]));
    // Expected, from the fixture's own columns: 内蒙古 is 省份 内蒙古自治区 and 地区 150000,
    // 宁夏 is 宁夏回族自治区 and 640000 (GB/T 2260). Counties (C11…) are no jurisdiction.
    let want: BTreeSet<&str> = [
        "省份=内蒙古自治区",
        "地区=150000",
        "省份=宁夏回族自治区",
        "地区=640000",
    ]
    .into_iter()
    .collect();
    let expected: Vec<(String, String)> = all
        .iter()
        .filter(|(d, _)| want.contains(d.as_str()))
        .cloned()
        .collect();
    assert_eq!(expected.len(), 4);
    // By name without its suffix, by code, by full name, by English name.
    for keys in [
        ["内蒙古", "640000"],
        ["150000", "宁夏回族自治区"],
        ["Inner Mongolia", "宁夏"],
    ] {
        let got = rows(estimate_ok(
            &fixture("microdata.csv"),
            &["--jurisdiction", keys[0], "--jurisdiction", keys[1]],
        ));
        assert_eq!(got, expected, "{keys:?}");
    }
    // The GBK and XLSX copies filter the same way.
    for f in ["microdata_gbk.csv", "microdata.xlsx"] {
        let got = rows(estimate_ok(
            &fixture(f),
            &["--jurisdiction", "内蒙古", "--jurisdiction", "宁夏"],
        ));
        assert_eq!(got, expected, "{f}");
    }
    // --level province: every province domain (the total and counties are no province).
    let provinces: Vec<(String, String)> = all
        .iter()
        .filter(|(d, _)| d.starts_with("省份=") || d.starts_with("地区="))
        .cloned()
        .collect();
    assert_eq!(provinces.len(), 6);
    let got = rows(estimate_ok(
        &fixture("microdata.csv"),
        &["--level", "province"],
    ));
    assert_eq!(got, provinces);
}

#[test]
fn jurisdiction_on_crossed_domains_and_its_errors() {
    let by = |extra: &[&str]| {
        let out = crate::common::litmon_en()
            .args(["estimate", "--format", "csv", "--microdata"])
            .arg(fixture("microdata.csv"))
            .args(&DESIGN[..10])
            .args(extra)
            .output()
            .expect("run");
        let table = if out.status.success() {
            rows(&out.stdout)
        } else {
            Vec::new()
        };
        (
            out.status,
            table,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // Crossed: 地区,urban — a row stays when its 地区 is the jurisdiction.
    let (status, all, _) = by(&["--by", "地区,urban"]);
    assert!(status.success());
    let (status, got, _) = by(&["--by", "地区,urban", "--jurisdiction", "山西"]);
    assert!(status.success());
    let expected: Vec<_> = all
        .iter()
        .filter(|(d, _)| d.starts_with("地区=140000;urban="))
        .cloned()
        .collect();
    assert_eq!(expected.len(), 2);
    assert_eq!(got, expected);
    // Without --by there is no domain to keep: a usage error (exit 2).
    let out = crate::common::litmon_en()
        .args(["estimate", "--format", "csv", "--microdata"])
        .arg(fixture("microdata.csv"))
        .args(&DESIGN[..10])
        .args(["--jurisdiction", "山西", "--lang", "en"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --by"));
    // An unknown jurisdiction is named (exit 2).
    let (status, _, err) = by(&["--by", "地区", "--jurisdiction", "火星"]);
    assert_eq!(status.code(), Some(2));
    assert!(
        err.contains("--jurisdiction") && err.contains("火星"),
        "{err}"
    );
    // A jurisdiction with no domain in the file: an empty table and a warning.
    let (status, got, err) = by(&["--by", "地区", "--jurisdiction", "青海"]);
    assert!(status.success());
    assert!(got.is_empty());
    assert!(err.contains("the table is empty"), "{err}");
}

/// `estimate --to-observations` without `--by` (issue 22): `--jurisdiction X` names the place
/// the whole file samples and its total row is written under X's code; without it, exit 2 and
/// no file. The total of the survey fixture under `--lonely-psu adjust` is R `survey`'s
/// (tests/fixtures/survey/expected.csv, scenario adjust, table total: est 0.2494691078564634,
/// se 0.020862056142511375, n 403), written in percent to 15 significant digits.
#[test]
fn to_observations_without_by_writes_the_named_place_or_refuses() {
    let dir = tempdir();
    let args = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = [
            "estimate",
            "--microdata",
            "tests/fixtures/survey/microdata.csv",
            "--strata",
            "stratum",
            "--psu",
            "psu",
            "--weight",
            "weight",
            "--lonely-psu",
            "adjust",
            "--score",
            "knowledge+method+spirit+application",
            "--to-observations",
            "2025",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let one = dir.path().join("one.csv");
    let out = litmon()
        .args(args(&["--jurisdiction", "乌海", "-o"]))
        .arg(&one)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&one).expect("written");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    let cells: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(&cells[..3], &["150300", "literacy_rate", "2025"]);
    let value: f64 = cells[3].parse().expect("value");
    let se: f64 = cells[4].parse().expect("se");
    assert!((value - 24.946_910_785_646_34).abs() < 1e-10);
    assert!((se - 2.086_205_614_251_137_5).abs() < 1e-10);
    assert_eq!(cells[5], "403");

    let none = dir.path().join("none.csv");
    let out = litmon()
        .args(args(&["-o"]))
        .arg(&none)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--jurisdiction"));
    assert!(!none.exists(), "never a header-only file");

    // With --by, the file format follows -o's extension: XLSX is a zip (PK\x03\x04).
    let xlsx = dir.path().join("obs.xlsx");
    let out = litmon()
        .args(args(&["--by", "prov_code", "-o"]))
        .arg(&xlsx)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&xlsx).expect("written");
    assert_eq!(&bytes[..4], b"PK\x03\x04");
}

/// `--level` keeps the domains that are jurisdictions of that level; domains the registry does
/// not know at all (the fixture's county codes C11, C12, …) are named in a warning, counted
/// from the file itself, never dropped in silence.
#[test]
fn level_names_the_domains_the_registry_does_not_know() {
    let text = std::fs::read_to_string(fixture("microdata.csv")).expect("fixture");
    let mut counties: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(5))
        .collect();
    counties.sort_unstable();
    counties.dedup();
    let out = crate::common::litmon_en()
        .args(["estimate", "--format", "csv", "--microdata"])
        .arg(fixture("microdata.csv"))
        .args(&DESIGN[..10])
        .args(["--by", "county", "--level", "prefecture"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let said = format!(
        "{} --by domain values are not in the registry and are left out by --jurisdiction/--level: {}",
        counties.len(),
        counties
            .iter()
            .take(10)
            .map(|c| format!("{c:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert!(err.contains(&said), "expected {said:?} in: {err}");
}
