//! Issue 13, items 1 and 3: user tables as Excel produces them — percent-formatted cells,
//! title rows, merged cells, note rows under the table — and every bad cell of a file
//! reported in one run.
//!
//! Expected values are written by hand from the fixtures (tests/fixtures/excel/, made by
//! make_wuhai_sheet.py), never copied from litmon's output.

use std::path::Path;

use crate::common::{refused, run_ok, tempdir};

const EXCEL: &str = "tests/fixtures/excel";

fn assess_csv(observations: &str) -> (Vec<u8>, String) {
    // English: the tests read the English warnings.
    run_ok(&[
        "assess",
        "--lang",
        "en",
        "--observations",
        observations,
        "--format",
        "csv",
    ])
}

/// The assess row of `id` as column name → value.
fn row_of(csv_bytes: &[u8], id: &str) -> Vec<(String, String)> {
    let mut rdr = csv::Reader::from_reader(csv_bytes);
    let header: Vec<String> = rdr
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rec = rdr
        .records()
        .map(|r| r.expect("record"))
        .find(|r| r.get(0) == Some(id))
        .unwrap_or_else(|| panic!("no row for {id}"));
    header
        .into_iter()
        .zip(rec.iter().map(String::from))
        .collect()
}

fn field<'a>(row: &'a [(String, String)], name: &str) -> &'a str {
    row.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p.to_str().expect("utf-8").to_string()
}

/// The clean CSV of the fixture (English headers, code, percent values).
const CLEAN: &str = "jurisdiction,year,value,se,n,source
150300,2021,9.8,0.61,1520,乌海市科协抽样调查
150300,2022,10.52,0.58,1604,乌海市科协抽样调查
150300,2023,11.23,0.57,1588,乌海市科协抽样调查
150300,2024,11.87,0.55,1650,乌海市科协抽样调查
";

#[test]
fn an_excel_sheet_with_furniture_assesses_like_the_clean_csv() {
    let xlsx = format!("{EXCEL}/wuhai_observations.xlsx");
    let csv = format!("{EXCEL}/wuhai_observations.csv");
    let (from_xlsx, err) = assess_csv(&xlsx);
    let (from_csv, _) = assess_csv(&csv);
    assert_eq!(
        String::from_utf8_lossy(&from_xlsx),
        String::from_utf8_lossy(&from_csv)
    );
    // The sheet: title in row 1, header in row 2, 乌海市 merged over rows 3–6 (so rows
    // 4–6 are filled), notes in rows 8 and 9.
    assert!(
        err.contains("wuhai_observations.xlsx: rows 4–6: blank 地区 filled from the row above (merged cells)"),
        "{err}"
    );
    assert!(
        err.contains("wuhai_observations.xlsx: rows 8–9: note rows under the table ignored"),
        "{err}"
    );
    // 乌海 gains the fixture's 2021–2024 values: the latest is 2024's 0.1187 shown as
    // 11.87 %; the embedded 2020 value (9.0) plus four new years make 5 observations.
    let wuhai = row_of(&from_xlsx, "150300");
    assert_eq!(field(&wuhai, "latest_year"), "2024");
    assert_eq!(field(&wuhai, "latest"), "11.87");
    assert_eq!(field(&wuhai, "n_obs"), "5");
    assert_eq!(field(&wuhai, "target"), "12");
}

#[test]
fn a_percent_formatted_cell_reads_as_the_percentage_shown() {
    // The fixture's C3 holds 0.098 formatted 0.0% (Excel shows 9.8%); D3 holds 0.0061
    // formatted 0.00% (0.61%). The exported dataset carries 9.8 and 0.61, exactly; D5's
    // 0.0057 is 0.57 (0.0057 × 100 in floats would be 0.5700000000000001).
    let dir = tempdir();
    let out = dir.path().join("export");
    run_ok(&[
        "data",
        "export",
        "--observations",
        &format!("{EXCEL}/wuhai_observations.xlsx"),
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    let text = std::fs::read_to_string(out.join("observations.csv")).expect("exported");
    for row in [
        "150300,literacy_rate,2021,9.8,0.61,1520,",
        "150300,literacy_rate,2022,10.52,0.58,1604,",
        "150300,literacy_rate,2023,11.23,0.57,1588,",
        "150300,literacy_rate,2024,11.87,0.55,1650,",
    ] {
        assert!(text.contains(row), "{row} in\n{text}");
    }
}

#[test]
fn percent_formats_are_told_from_a_percent_sign_in_quotes() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempdir();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["jurisdiction", "year", "value", "se"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    let pct1 = Format::new().set_num_format("0.0%");
    let literal = Format::new().set_num_format("0.00\"%\"");
    // Row 2: 0.098 as 0.0% → 9.8; se 0.45 with a quoted "%" (no scaling) → 0.45.
    sheet.write_string(1, 0, "150300").expect("cell");
    sheet.write_number(1, 1, 2021.0).expect("cell");
    sheet
        .write_number_with_format(1, 2, 0.098, &pct1)
        .expect("cell");
    sheet
        .write_number_with_format(1, 3, 0.45, &literal)
        .expect("cell");
    // Row 3: 0.29 as 0.0% → 29 (0.29 × 100 in floats is 28.999999999999996).
    sheet.write_string(2, 0, "150300").expect("cell");
    sheet.write_number(2, 1, 2022.0).expect("cell");
    sheet
        .write_number_with_format(2, 2, 0.29, &pct1)
        .expect("cell");
    let path = dir.path().join("p.xlsx");
    book.save(&path).expect("save");
    let out = dir.path().join("export");
    run_ok(&[
        "data",
        "export",
        "--observations",
        path.to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    let text = std::fs::read_to_string(out.join("observations.csv")).expect("exported");
    assert!(
        text.contains("150300,literacy_rate,2021,9.8,0.45,,"),
        "{text}"
    );
    assert!(text.contains("150300,literacy_rate,2022,29,,,"), "{text}");
}

#[test]
fn a_csv_title_row_is_skipped() {
    let dir = tempdir();
    // As Excel saves a sheet with a title in A1: one filled cell, then empty ones.
    let titled = write(
        dir.path(),
        "titled.csv",
        &format!("乌海市全民科学素质监测数据,,,,,\n{CLEAN}"),
    );
    let lone = write(
        dir.path(),
        "lone.csv",
        &format!("乌海市全民科学素质监测数据\n\n{CLEAN}"),
    );
    let clean = write(dir.path(), "clean.csv", CLEAN);
    let (want, _) = assess_csv(&clean);
    for f in [&titled, &lone] {
        let (got, err) = assess_csv(f);
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want),
            "{f}: {err}"
        );
    }
}

#[test]
fn blank_merged_key_cells_are_filled_with_one_warning() {
    let dir = tempdir();
    // Lines 3–5 leave the jurisdiction blank under line 2's 150300 (a merged cell saved
    // as CSV).
    let merged = write(
        dir.path(),
        "merged.csv",
        "jurisdiction,year,value,se,n,source
150300,2021,9.8,0.61,1520,乌海市科协抽样调查
,2022,10.52,0.58,1604,乌海市科协抽样调查
,2023,11.23,0.57,1588,乌海市科协抽样调查
,2024,11.87,0.55,1650,乌海市科协抽样调查
",
    );
    let clean = write(dir.path(), "clean.csv", CLEAN);
    let (want, _) = assess_csv(&clean);
    let (got, err) = assess_csv(&merged);
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(&want)
    );
    let line = "merged.csv: rows 3–5: blank jurisdiction filled from the row above (merged cells)";
    assert_eq!(err.matches(line).count(), 1, "{err}");
    assert_eq!(err.matches("merged cells").count(), 1, "{err}");
}

#[test]
fn a_blank_key_on_the_first_row_is_still_an_error() {
    let dir = tempdir();
    let f = write(
        dir.path(),
        "first.csv",
        "jurisdiction,year,value\n,2021,9.8\n150300,2022,10.5\n",
    );
    let err = refused(&["assess", "--observations", &f], &[]);
    assert!(
        err.contains("first.csv:2, column 1 (jurisdiction)") && err.contains("empty cell"),
        "{err}"
    );
}

#[test]
fn trailing_note_rows_are_ignored_with_a_warning() {
    let dir = tempdir();
    let noted = write(
        dir.path(),
        "noted.csv",
        &format!(
            "{CLEAN}\n注：比例为加权估计。,,,,,\n数据来源：乌海市科学技术协会\nSource: Wuhai survey\n"
        ),
    );
    let clean = write(dir.path(), "clean.csv", CLEAN);
    let (want, _) = assess_csv(&clean);
    let (got, err) = assess_csv(&noted);
    assert_eq!(
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(&want)
    );
    // CLEAN is lines 1–5, line 6 is blank, the notes are lines 7–9.
    assert!(
        err.contains("noted.csv: lines 7–9: note rows under the table ignored"),
        "{err}"
    );
    assert_eq!(err.matches("note rows").count(), 1, "{err}");
}

#[test]
fn a_note_row_between_data_rows_is_an_error() {
    let dir = tempdir();
    let f = write(
        dir.path(),
        "middle.csv",
        "jurisdiction,year,value\n150300,2021,9.8\n注：以下为修订值,,\n150300,2022,10.5\n",
    );
    let err = refused(&["assess", "--observations", &f], &[]);
    assert!(err.contains("middle.csv:3, column 2 (year)"), "{err}");
    assert!(!err.contains("note rows"), "{err}");
}

#[test]
fn every_bad_cell_of_a_file_is_reported_in_one_run() {
    let dir = tempdir();
    // Three bad cells: line 3 value "abc", line 4 year "20x3", line 5 se "-1".
    let f = write(
        dir.path(),
        "three.csv",
        "jurisdiction,year,value,se
150300,2021,9.8,0.6
150300,2022,abc,0.6
150300,20x3,11.2,0.6
150300,2024,11.9,-1
",
    );
    let err = refused(&["assess", "--observations", &f], &[]);
    assert!(err.contains("three.csv: 3 problems"), "{err}");
    for needle in [
        "three.csv:3, column 3 (value): expected a number such as 9.8 or 9.8%, found \"abc\"",
        "three.csv:4, column 2 (year): expected a year such as 2022, found \"20x3\"",
        "three.csv:5, column 4 (se): expected a standard error ≥ 0, found -1",
    ] {
        assert!(err.contains(needle), "{needle} in {err}");
    }
    assert!(!err.contains("more"), "{err}");
}

#[test]
fn twenty_problems_are_listed_and_the_rest_counted() {
    let dir = tempdir();
    // 25 rows whose value is "x": lines 2–26.
    let mut text = String::from("jurisdiction,year,value\n");
    for year in 2000..2025 {
        text.push_str(&format!("150300,{year},x\n"));
    }
    let f = write(dir.path(), "many.csv", &text);
    let err = refused(&["assess", "--observations", &f], &[]);
    assert!(err.contains("many.csv: 25 problems"), "{err}");
    assert_eq!(
        err.matches("column 3 (value): expected a number").count(),
        20,
        "{err}"
    );
    assert!(err.contains("many.csv:21, column 3 (value)"), "{err}");
    assert!(!err.contains("many.csv:22,"), "{err}");
    assert!(err.contains("… and 5 more"), "{err}");
}
