//! Chinese for people, contract ids for scripts (issue 22): messages and the tables people
//! read follow `--lang` (Chinese by default); CSV and JSON keep the contract's names and ids.

use calamine::Reader;

use crate::common::{parse_csv, tempdir};
use crate::litmon;

/// The CSV columns of `assess`, as DESIGN.md's command-line contract lists them.
const ASSESS_COLUMNS: &str = "jurisdiction,name_zh,indicator,baseline_year,baseline,latest_year,latest,target_year,target,required_per_year,observed_per_year,cagr_ratio,progress_share,unsd_rho,official_category,projected,lo80,hi80,p_reach,p_reach_measured,status,model,n_obs,reason";

fn stderr_of(args: &[&str]) -> (Option<i32>, String) {
    let out = litmon().args(args).output().expect("run");
    assert!(out.stdout.is_empty(), "{args:?}: stdout not empty");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_missing_file_is_reported_in_chinese_by_default_and_in_english_with_lang_en() {
    let (code, zh) = stderr_of(&["assess", "--observations", "missing.csv"]);
    assert_eq!(code, Some(2), "{zh}");
    assert_eq!(
        zh.trim_end(),
        "litmon: 错误：missing.csv：找不到该文件或目录",
        "{zh}"
    );
    let (code, en) = stderr_of(&["assess", "--observations", "missing.csv", "--lang", "en"]);
    assert_eq!(code, Some(2), "{en}");
    assert!(
        en.starts_with("litmon: error: missing.csv: No such file or directory"),
        "{en}"
    );
}

#[test]
fn a_bad_cell_names_its_row_and_column_in_chinese() {
    let dir = tempdir();
    let f = dir.path().join("obs.csv");
    std::fs::write(
        &f,
        "jurisdiction,indicator,year,value\n150300,literacy_rate,2024,abc\n",
    )
    .expect("write");
    let path = f.to_str().expect("path");
    let (code, zh) = stderr_of(&["assess", "--observations", path]);
    assert_eq!(code, Some(2), "{zh}");
    assert!(zh.contains("obs.csv 第2行，第4列（value）："), "{zh}");
    let (_, en) = stderr_of(&["assess", "--observations", path, "--lang", "en"]);
    assert!(en.contains("obs.csv:2, column 4 (value): "), "{en}");
}

#[test]
fn assess_csv_keeps_the_contract_header_and_xlsx_speaks_chinese() {
    let out = litmon()
        .args(["assess", "--format", "csv"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout.clone()).expect("utf-8");
    assert_eq!(text.lines().next(), Some(ASSESS_COLUMNS));
    let (_, rows) = parse_csv(&out.stdout);
    assert!(!rows.is_empty());

    let dir = tempdir();
    let xlsx = dir.path().join("a.xlsx");
    let out = litmon()
        .args(["assess", "-o"])
        .arg(&xlsx)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut book = calamine::open_workbook_auto(&xlsx).expect("xlsx");
    let name = book.sheet_names()[0].clone();
    let sheet = book.worksheet_range(&name).expect("sheet");
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let header = &cells[0];
    // The headers of the terminal view (termtable::header), in the contract's order.
    for (i, zh) in [(0, "代码"), (2, "指标"), (7, "目标年"), (20, "状态")] {
        assert_eq!(header[i], zh, "{header:?}");
    }
    assert!(!header.iter().any(|h| h == "status" || h == "jurisdiction"));
    // Every row's status is the Chinese label of the CSV's status id; the ids never appear.
    assert_eq!(cells.len(), rows.len() + 1);
    for (x, r) in cells[1..].iter().zip(&rows) {
        let status = litmon::Status::ALL
            .into_iter()
            .find(|s| s.as_str() == r["status"])
            .expect("a status id of the contract");
        let zh = litmon::assess::wording::status_label(status, litmon::model::Lang::Zh);
        assert_eq!(x[20], zh);
        assert_ne!(x[20], r["status"]);
        if r["indicator"] == "literacy_rate" {
            assert_eq!(x[2], "公民具备科学素质的比例");
        }
    }
    // With --lang en the workbook keeps the contract's names and ids.
    let en = dir.path().join("en.xlsx");
    let out = litmon()
        .args(["assess", "--lang", "en", "-o"])
        .arg(&en)
        .output()
        .expect("run");
    assert!(out.status.success());
    let mut book = calamine::open_workbook_auto(&en).expect("xlsx");
    let name = book.sheet_names()[0].clone();
    let sheet = book.worksheet_range(&name).expect("sheet");
    let first: Vec<String> = sheet
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(first.join(","), ASSESS_COLUMNS);
}

#[test]
fn assess_markdown_has_chinese_headers() {
    let out = litmon()
        .args(["assess", "--format", "markdown"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let first = text.lines().next().expect("header");
    assert!(first.starts_with("| 代码 | 名称 | 指标 |"), "{first}");
    assert!(first.contains("| 状态 |"), "{first}");
}

/// Errors of the command-line parser itself speak the language of `--lang` too: Chinese by
/// default (the flag, the value given and the values allowed), clap's English under
/// `--lang en`; both exit 2 with nothing on standard output.
#[test]
fn parser_errors_follow_the_language() {
    let zh = crate::litmon()
        .args(["assess", "--format", "xml"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&zh.stderr);
    assert_eq!(zh.status.code(), Some(2), "{err}");
    assert!(zh.stdout.is_empty());
    assert!(
        err.contains("错误：--format <FORMAT> 的取值 \"xml\" 无效，可选的值为：table, csv, json"),
        "{err}"
    );
    let unknown = crate::litmon().args(["asess"]).output().expect("run");
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert_eq!(unknown.status.code(), Some(2), "{err}");
    assert!(err.contains("不认识的命令 asess；是否应为"), "{err}");
    let en = crate::litmon()
        .args(["assess", "--format", "xml", "--lang", "en"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&en.stderr);
    assert_eq!(en.status.code(), Some(2), "{err}");
    assert!(
        err.contains("invalid value 'xml' for '--format <FORMAT>'"),
        "{err}"
    );
    // Help is not an error: printed by clap, exit 0.
    let help = crate::litmon()
        .args(["assess", "--help"])
        .output()
        .expect("run");
    assert_eq!(help.status.code(), Some(0));
}

/// Notes of the command line (a place without a plan, an empty table) are Chinese by default
/// and English under `--lang en`.
#[test]
fn notes_follow_the_language() {
    let zh = crate::litmon()
        .args(["assess", "--jurisdiction", "包头"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&zh.stderr);
    assert!(zh.status.success(), "{err}");
    assert!(
        err.contains("注意：150200 包头 没有 literacy_rate 的规划目标")
            && err.contains("注意：表格没有行：没有哪一行符合筛选条件 --jurisdiction 包头"),
        "{err}"
    );
    assert!(!err.contains("note:"), "{err}");
    let en = crate::litmon()
        .args(["assess", "--jurisdiction", "包头", "--lang", "en"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&en.stderr);
    assert!(
        err.contains("note: 150200 包头 has no plan target for literacy_rate")
            && err.contains(
                "note: the table has no rows: no row passes the filter --jurisdiction 包头"
            ),
        "{err}"
    );
}
