//! Real-world inputs and outputs: GBK and BOM CSV, XLSX inputs with Chinese headers, XLSX
//! output, warnings, and byte-identical outputs.
//!
//! The binary fixtures in `tests/fixtures/io/` are made by [`io_fixtures`] (GBK through
//! encoding_rs, workbooks through rust_xlsxwriter with a fixed creation date);
//! `io_fixtures_are_reproducible` checks the committed files against it, and
//! `LITMON_WRITE_FIXTURES=1 cargo test io_fixtures` rewrites them.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use rust_xlsxwriter::Workbook;

use crate::common::{run_ok, tempdir};
use crate::litmon;

const IO: &str = "tests/fixtures/io";

/// The observations of the equivalence fixtures: jurisdictions by code, Chinese and
/// English name; one value with a trailing %.
const ROWS: [[&str; 7]; 5] = [
    [
        "乌海",
        "literacy_rate",
        "2023",
        "10.3",
        "0.45",
        "1500",
        "城市调查",
    ],
    ["150000", "literacy_rate", "2020", "8.73", "", "", "内蒙古"],
    [
        "Inner Mongolia",
        "literacy_rate",
        "2022",
        "11.1%",
        "0.3",
        "3000",
        "调查",
    ],
    [
        "100000",
        "literacy_rate",
        "2022",
        "12.93",
        "",
        "",
        "全国调查",
    ],
    [
        "100000",
        "literacy_rate",
        "2023",
        "14.14",
        "",
        "",
        "全国调查",
    ],
];
const EN_HEADER: &str = "jurisdiction,indicator,year,value,se,n,source";
const ZH_HEADER: [&str; 7] = [
    "地区",
    "指标",
    "年份",
    "比例（%）",
    "标准误",
    "样本量",
    "来源",
];

fn csv_text(header: &str) -> String {
    let mut s = format!("{header}\n");
    for r in ROWS {
        s.push_str(&r.join(","));
        s.push('\n');
    }
    s
}

/// A cell as an Excel user would type it: numbers as numbers (codes too), text as text.
fn write_cell(sheet: &mut rust_xlsxwriter::Worksheet, row: u32, col: u16, text: &str) {
    let number = text.strip_suffix('%').unwrap_or(text).parse::<f64>();
    let result = match number {
        Ok(v) => sheet.write_number(row, col, v).map(|_| ()),
        Err(_) if text.is_empty() => Ok(()),
        Err(_) => sheet.write_string(row, col, text).map(|_| ()),
    };
    result.unwrap_or_else(|e| panic!("xlsx cell: {e}"));
}

fn workbook_bytes(sheets: &[(&str, Vec<Vec<&str>>)], title: Option<&str>) -> Vec<u8> {
    let mut book = Workbook::new();
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2021, 1, 1).expect("date");
    book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).expect("sheet name");
        let offset = u32::from(title.is_some());
        if let Some(t) = title {
            sheet.write_string(0, 0, t).expect("title");
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                write_cell(sheet, r as u32 + offset, c as u16, text);
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

fn obs_rows(header: [&'static str; 7], rows: &[[&'static str; 7]]) -> Vec<Vec<&'static str>> {
    std::iter::once(header.to_vec())
        .chain(rows.iter().map(|r| r.to_vec()))
        .collect()
}

/// A minimal workbook packed by hand (stored, fixed dates), for damaged parts that no
/// spreadsheet writer would produce.
pub(crate) fn packed_workbook(sheet_xml: &str, strings_xml: &str) -> Vec<u8> {
    use std::io::Write;
    const MAIN: &str = "http://schemas.openxmlformats.org";
    let parts = [
        (
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{MAIN}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#
            ),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{MAIN}/package/2006/relationships"><Relationship Id="rId1" Type="{MAIN}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}/spreadsheetml/2006/main" xmlns:r="{MAIN}/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{MAIN}/package/2006/relationships"><Relationship Id="rId1" Type="{MAIN}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{MAIN}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
            ),
        ),
        ("xl/worksheets/sheet1.xml", sheet_xml.to_string()),
        ("xl/sharedStrings.xml", strings_xml.to_string()),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    for (name, body) in parts {
        zip.start_file(name, opts).expect("zip entry");
        zip.write_all(body.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip").into_inner()
}

/// The fuzz crash of calamine's shared-string reservation (fuzz/regressions/xlsx_loader/).
fn shared_string_count_bomb() -> Vec<u8> {
    let sheet = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>"#;
    let strings = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="888888888888883"><si><t>地区</t></si><si><t>比例</t></si></sst>"#;
    packed_workbook(sheet, strings)
}

/// Every generated fixture: (path under tests/fixtures, bytes).
fn io_fixtures() -> Vec<(String, Vec<u8>)> {
    let zh_csv = csv_text(&ZH_HEADER.join(","));
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&zh_csv);
    assert!(!unmappable);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(zh_csv.as_bytes());
    let worked = [
        [
            "150300",
            "literacy_rate",
            "2020",
            "9",
            "",
            "",
            "worked example",
        ],
        [
            "150300",
            "literacy_rate",
            "2022",
            "9.8",
            "",
            "",
            "worked example",
        ],
    ];
    let all: Vec<[&str; 7]> = worked.iter().chain(ROWS.iter()).copied().collect();
    let registry = vec![
        vec!["代码", "名称", "英文名称", "级别", "上级"],
        vec!["100000", "全国", "China", "全国", ""],
        vec!["150000", "内蒙古", "Inner Mongolia", "省", "100000"],
        vec!["150300", "乌海", "Wuhai", "市", "内蒙古"],
    ];
    let bad_value = [
        ["150300", "literacy_rate", "2022", "9.8", "", "", "a"],
        ["150300", "literacy_rate", "2023", "十点三", "", "", "b"],
    ];
    vec![
        (
            format!("{IO}/observations_utf8.csv"),
            csv_text(EN_HEADER).into_bytes(),
        ),
        (format!("{IO}/observations_gbk.csv"), gbk.into_owned()),
        (format!("{IO}/observations_bom.csv"), bom),
        (
            format!("{IO}/observations_zh.xlsx"),
            workbook_bytes(&[("观测", obs_rows(ZH_HEADER, &ROWS))], None),
        ),
        (
            format!("{IO}/observations_two_sheets.xlsx"),
            workbook_bytes(
                &[
                    (
                        "说明",
                        vec![vec!["本工作簿的数据在第二个工作表", "litmon --sheet 数据"]],
                    ),
                    ("数据", obs_rows(ZH_HEADER, &ROWS)),
                ],
                None,
            ),
        ),
        (
            format!("{IO}/observations_title_row.xlsx"),
            workbook_bytes(
                &[("Sheet1", obs_rows(ZH_HEADER, &ROWS))],
                Some("2020—2023年公民具备科学素质的比例"),
            ),
        ),
        (
            format!("{IO}/xlsx_data/jurisdictions.xlsx"),
            workbook_bytes(&[("地区", registry)], None),
        ),
        (
            format!("{IO}/xlsx_data/observations.xlsx"),
            workbook_bytes(&[("观测", obs_rows(ZH_HEADER, &all))], None),
        ),
        (
            "tests/fixtures/bad/xlsx_value_not_a_number.xlsx".to_string(),
            workbook_bytes(&[("观测", obs_rows(ZH_HEADER, &bad_value))], None),
        ),
        (
            "tests/fixtures/bad/xlsx_shared_string_count.xlsx".to_string(),
            shared_string_count_bomb(),
        ),
        (
            "tests/fixtures/bad/xlsx_missing_year.xlsx".to_string(),
            workbook_bytes(
                &[("观测", vec![vec!["地区", "比例"], vec!["乌海", "9.8"]])],
                None,
            ),
        ),
    ]
}

#[test]
fn io_fixtures_are_reproducible() {
    let write = std::env::var_os("LITMON_WRITE_FIXTURES").is_some();
    for (path, bytes) in io_fixtures() {
        if write {
            if let Some(dir) = Path::new(&path).parent() {
                std::fs::create_dir_all(dir).expect("mkdir");
            }
            std::fs::write(&path, &bytes).expect("write fixture");
        }
        let committed = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(committed == bytes, "{path} differs from its generator");
    }
}

/// stdout of `litmon assess --format csv --lang en ARGS`, which must succeed.
fn assess_csv(args: &[&str]) -> String {
    let args = [&["assess", "--format", "csv", "--lang", "en"][..], args].concat();
    String::from_utf8(run_ok(&args).0).expect("utf-8 output")
}

#[test]
fn gbk_bom_and_xlsx_inputs_give_the_same_assessment_as_utf8_csv() {
    let data = ["--data", "tests/fixtures/worked", "--observations"];
    let reference = assess_csv(&[&data[..], &[&format!("{IO}/observations_utf8.csv")]].concat());
    // The extra rows matter: 乌海 gets a 2023 value with its se.
    assert!(
        reference.contains("150300,乌海,literacy_rate,2020,9,2023,10.3,"),
        "{reference}"
    );
    for file in [
        "observations_gbk.csv",
        "observations_bom.csv",
        "observations_zh.xlsx",
        "observations_title_row.xlsx",
    ] {
        let got = assess_csv(&[&data[..], &[&format!("{IO}/{file}")]].concat());
        assert_eq!(got, reference, "{file}");
    }
    let got = assess_csv(
        &[
            &data[..],
            &[
                &format!("{IO}/observations_two_sheets.xlsx"),
                "--sheet",
                "数据",
            ],
        ]
        .concat(),
    );
    assert_eq!(got, reference, "--sheet 数据");
    // --encoding applies to every file read, so force it on the embedded data (not a file).
    let utf8 = assess_csv(&["--observations", &format!("{IO}/observations_utf8.csv")]);
    let gbk = assess_csv(&[
        "--encoding",
        "gbk",
        "--observations",
        &format!("{IO}/observations_gbk.csv"),
    ]);
    assert_eq!(gbk, utf8, "--encoding gbk");
    // A whole data directory in XLSX: registry with Chinese headers and levels, parent by name.
    let got = assess_csv(&["--data", &format!("{IO}/xlsx_data")]);
    assert_eq!(got, reference, "xlsx_data/");
}

#[test]
fn missing_sheet_lists_the_sheets() {
    let out = litmon()
        .args([
            "assess",
            "--data",
            "tests/fixtures/worked",
            "--sheet",
            "Data",
            "--lang",
            "en",
            "--observations",
        ])
        .arg(format!("{IO}/observations_two_sheets.xlsx"))
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("observations_two_sheets.xlsx"), "{err}");
    assert!(err.contains("说明, 数据"), "{err}");
}

/// Regression (fuzz crash, xlsx_loader): a shared-string count of 888888888888883 made
/// calamine reserve petabytes and abort; it is now refused as a damaged workbook.
#[test]
fn shared_string_count_bomb_is_refused_not_an_abort() {
    let f = "tests/fixtures/bad/xlsx_shared_string_count.xlsx";
    let dir = tempdir();
    let out_file = dir.path().join("out.csv");
    let out = litmon()
        .args(["assess", "--lang", "en", "--observations", f, "-o"])
        .arg(&out_file)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("xlsx_shared_string_count.xlsx"), "{err}");
    assert!(err.contains("888888888888883 strings"), "{err}");
    assert!(!out_file.exists());
    // The same bytes through the library and the fuzz target's path.
    let bytes = std::fs::read(f).expect("fixture");
    let e =
        litmon::data::table_from_bytes("w.xlsx", &bytes, &Default::default()).expect_err("damaged");
    assert!(e.to_string().contains("damaged"), "{e}");
}

#[test]
fn damaged_xlsx_is_bad_input() {
    let dir = tempdir();
    let f = dir.path().join("broken.xlsx");
    let mut bytes = std::fs::read(format!("{IO}/observations_zh.xlsx")).expect("fixture");
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&f, bytes).expect("write");
    let out = litmon()
        .args(["assess", "--observations"])
        .arg(&f)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("broken.xlsx") && err.contains(".xlsx"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn warnings_and_notes_go_to_stderr_and_do_not_fail() {
    let dir = tempdir();
    let obs = dir.path().join("o.csv");
    std::fs::write(
        &obs,
        "jurisdiction,year,value,remarks\n150300,2023,10.4,city survey\n",
    )
    .expect("write");
    let err = crate::common::run_ok_en(&[
        "assess",
        "--data",
        "tests/fixtures/worked",
        "--observations",
        obs.to_str().expect("path"),
    ])
    .1;
    assert!(
        err.contains("o.csv:1, column 4 (remarks): unknown column"),
        "{err}"
    );

    let plan = dir.path().join("p.toml");
    std::fs::write(
        &plan,
        "[plan]\njurisdiction = \"150300\"\ntitle_zh = \"t\"\nperiod = [2021, 2025]\n\n[[indicator]]\nid = \"literacy_rate\"\nname_zh = \"x\"\nunit = \"pct\"\nkind = \"level\"\nbaseline = { year = 2020, value = 9.0 }\ntarget = { year = 2025, value = 8.0 }\n",
    )
    .expect("write");
    let err = crate::common::run_ok_en(&[
        "assess",
        "--data",
        "tests/fixtures/worked",
        "--plans",
        plan.to_str().expect("path"),
    ])
    .1;
    assert!(err.contains("p.toml:12"), "{err}");
    assert!(err.contains("target 8 is below the baseline 9"), "{err}");

    let err = crate::common::run_ok_en(&[
        "assess",
        "--data",
        "tests/fixtures/worked",
        "--as-of",
        "2021",
    ])
    .1;
    assert!(
        err.contains("note: --as-of 2021: 1 observation from 2022 ignored"),
        "{err}"
    );

    let fr = dir.path().join("fractions.csv");
    std::fs::write(
        &fr,
        "jurisdiction,year,value\n150300,2021,0.093\n150000,2021,0.095\n",
    )
    .expect("write");
    let out = crate::common::litmon_en()
        .args([
            "assess",
            "--lang",
            "en",
            "--data",
            "tests/fixtures/worked",
            "--observations",
        ])
        .arg(&fr)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    // Beside the worked example's 9.0 (2020) they are refused; alone they only warn.
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("looks like a fraction"), "{err}");

    // The embedded data are clean: no warning at all.
    let err = crate::common::run_ok_en(&["assess"]).1;
    assert!(err.is_empty(), "{err}");
}

#[test]
fn all_fraction_file_warns() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("jurisdictions.csv"),
        "id,name_zh,name_en,level,parent\n100000,全国,China,national,\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("observations.csv"),
        "jurisdiction,year,value\n100000,2020,0.1056\n100000,2022,0.1293\n",
    )
    .expect("write");
    let err = crate::common::run_ok_en(&["assess", "--data", dir.path().to_str().expect("path")]).1;
    assert!(err.contains("every literacy_rate value is ≤ 1"), "{err}");
}

/// Runs a table command with `-o FILE --format xlsx` and reads the sheet back.
fn xlsx_output(args: &[&str]) -> (PathBuf, Vec<Vec<Data>>, tempfile::TempDir) {
    let dir = tempdir();
    let path = dir.path().join("out.xlsx");
    // English: the cells are compared with the CSV's names and ids (languages.rs tests the
    // Chinese workbook).
    let out = litmon()
        .args(args)
        .args(["--lang", "en", "--format", "xlsx", "-o"])
        .arg(&path)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("open xlsx");
    let names = book.sheet_names();
    let range = book.worksheet_range(&names[0]).expect("sheet");
    let rows = range.rows().map(<[Data]>::to_vec).collect();
    (path, rows, dir)
}

#[test]
fn xlsx_output_has_the_csv_numbers_as_numbers() {
    for (cmd, sheet) in [
        (vec!["assess"], "assess"),
        (vec!["project"], "project"),
        (vec!["backtest", "--since", "2010"], "backtest"),
    ] {
        let (path, rows, _dir) = xlsx_output(&cmd);
        let book: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("open");
        assert_eq!(book.sheet_names(), [sheet]);
        let csv_out = litmon()
            .args(&cmd)
            .args(["--lang", "en", "--format", "csv"])
            .output()
            .expect("run");
        let mut rdr = csv::Reader::from_reader(csv_out.stdout.as_slice());
        let header: Vec<String> = rdr.headers().expect("h").iter().map(String::from).collect();
        let got_header: Vec<String> = rows[0].iter().map(|d| d.to_string()).collect();
        assert_eq!(got_header, header, "{cmd:?}");
        let records: Vec<csv::StringRecord> = rdr.records().map(|r| r.expect("rec")).collect();
        assert_eq!(records.len(), rows.len() - 1, "{cmd:?}");
        for (rec, row) in records.iter().zip(&rows[1..]) {
            for (i, (text, cell)) in rec.iter().zip(row).enumerate() {
                match cell {
                    Data::Float(x) => {
                        let want: f64 = text.parse().unwrap_or_else(|_| {
                            panic!("{cmd:?} {}: {text:?} is a number in xlsx", header[i])
                        });
                        assert_eq!(*x, want, "{cmd:?} {}", header[i]);
                    }
                    Data::String(s) => assert_eq!(s, text, "{cmd:?} {}", header[i]),
                    Data::Empty => assert_eq!(text, "", "{cmd:?} {}", header[i]),
                    other => panic!("unexpected cell {other:?}"),
                }
            }
        }
    }
}

#[test]
fn xlsx_percent_columns_are_formatted_and_output_is_byte_identical() {
    let (path, _, _dir) = xlsx_output(&["assess"]);
    let (path2, _, _dir2) = xlsx_output(&["assess"]);
    let a = std::fs::read(&path).expect("read");
    assert_eq!(
        a,
        std::fs::read(&path2).expect("read"),
        "xlsx not byte-identical"
    );
    // The number formats live in styles.xml inside the ZIP (stored deflated); check
    // through calamine that percent columns are still plain numbers, and through the
    // library that the formats are attached.
    let mut t = litmon::output::Table::new(vec!["latest", "p_reach"]);
    t.rows.push(vec![
        litmon::output::Cell::Num(9.8),
        litmon::output::Cell::Num(0.36),
    ]);
    t.mark_percent(&litmon::output::tables::PERCENT_COLUMNS);
    t.mark_share(&litmon::output::tables::SHARE_COLUMNS);
    assert_eq!(t.columns_in(litmon::output::Unit::Percent), ["latest"]);
    assert_eq!(t.columns_in(litmon::output::Unit::Share), ["p_reach"]);
    let bytes = t.to_xlsx().expect("xlsx");
    let raw = litmon::data::table_from_bytes("t.xlsx", &bytes, &Default::default()).expect("read");
    // Read back as Excel shows them (#13 item 1): `latest` carries a literal "%" (0.00"%",
    // no scaling) and reads 9.8; the share 0.36 is formatted 0.0% (Excel shows 36.0%) and
    // reads as that percentage, 36.
    assert_eq!(raw.rows[0].cells, ["9.8", "36"]);
}

#[test]
fn text_outputs_are_byte_identical_across_runs() {
    for fmt in ["csv", "json", "table"] {
        let run = || {
            litmon()
                .args(["assess", "--format", fmt])
                .output()
                .expect("run")
                .stdout
        };
        assert_eq!(run(), run(), "{fmt}");
    }
}

#[test]
fn xlsx_needs_an_output_file() {
    let out = litmon()
        .args(["assess", "--format", "xlsx"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o FILE.xlsx"));
}

#[test]
fn the_generic_table_reader_reads_csv_and_xlsx_alike() {
    let opts = litmon::data::ReadOptions::default();
    let csv = litmon::data::read_table(Path::new(&format!("{IO}/observations_gbk.csv")), &opts)
        .expect("csv");
    let xlsx = litmon::data::read_table(Path::new(&format!("{IO}/observations_zh.xlsx")), &opts)
        .expect("xlsx");
    assert_eq!(csv.headers, xlsx.headers);
    assert_eq!(csv.rows.len(), xlsx.rows.len());
    for (a, b) in csv.rows.iter().zip(&xlsx.rows) {
        assert_eq!(a.line, b.line);
        for i in 0..7 {
            let (x, y) = (a.text(i), b.text(i));
            // "11.1%" in the CSV is the number 11.1 in the workbook.
            assert_eq!(x.trim_end_matches('%'), y, "line {}", a.line);
        }
    }
}

/// Write → read round trips of the table formats (CSV and JSON through their parsers,
/// XLSX through calamine via the generic table reader).
mod round_trip {
    use litmon::data::{table_from_bytes, RawTable, ReadOptions};
    use litmon::model::format::shortest;
    use litmon::output::{Cell, Table};
    use proptest::prelude::*;

    const COLUMNS: [&str; 4] = ["id", "name_zh", "value", "note"];

    fn cell() -> impl Strategy<Value = Cell> {
        prop_oneof![
            "[a-z0-9 ,\"'%.=+@\\-\n乌海全国科学素质（）]{0,12}".prop_map(Cell::text),
            (-1_000_000_000_000i64..1_000_000_000_000).prop_map(Cell::Int),
            prop_oneof![-1e6f64..1e6, -1.0f64..1.0, 0.0f64..100.0].prop_map(Cell::Num),
            Just(Cell::Empty),
        ]
    }

    fn table() -> impl Strategy<Value = Table> {
        proptest::collection::vec(
            (0i64..1_000_000, proptest::collection::vec(cell(), 3)),
            1..15,
        )
        .prop_map(|rows| {
            let mut t = Table::new(COLUMNS.to_vec());
            for (id, rest) in rows {
                let mut row = vec![Cell::Int(id)];
                row.extend(rest);
                t.rows.push(row);
            }
            t.mark_percent(&["value"]);
            // The contract's names in every format (the Chinese headers have their test).
            t.lang = litmon::model::Lang::En;
            t
        })
    }

    /// The number a cell carries in every format (the CSV's rounding).
    fn number(cell: &Cell) -> Option<f64> {
        match cell {
            Cell::Int(i) => Some(*i as f64),
            Cell::Num(x) => shortest(*x).parse().ok(),
            _ => None,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn csv_round_trip(t in table()) {
            let text = String::from_utf8(t.to_csv()).expect("utf-8");
            let raw = RawTable::from_csv("t.csv", &text).expect("read back");
            prop_assert_eq!(&raw.headers, &COLUMNS.map(String::from).to_vec());
            prop_assert_eq!(raw.rows.len(), t.rows.len());
            for (row, cells) in raw.rows.iter().zip(&t.rows) {
                for (i, cell) in cells.iter().enumerate() {
                    // Text reads back exactly as written (litmon's reader drops the
                    // formula guard that the writer adds); numbers as their CSV text.
                    let want = match cell {
                        Cell::Text(s) => s.clone(),
                        other => other.csv_text(),
                    };
                    prop_assert_eq!(row.cells.get(i).map(String::as_str).unwrap_or(""), want);
                }
            }
        }

        #[test]
        fn json_round_trip(t in table()) {
            let v: serde_json::Value = serde_json::from_str(&t.to_json()).expect("json");
            let arr = v.as_array().expect("array");
            prop_assert_eq!(arr.len(), t.rows.len());
            for (obj, cells) in arr.iter().zip(&t.rows) {
                for (c, cell) in COLUMNS.iter().zip(cells) {
                    let got = &obj[*c];
                    match cell {
                        Cell::Text(s) => prop_assert_eq!(got.as_str(), Some(s.as_str())),
                        Cell::Empty => prop_assert!(got.is_null()),
                        // Numbers are written to 15 significant digits (at most 5e-15
                        // relative), and serde_json's default float parser may be 1 ulp off.
                        other => {
                            let (g, w) = (got.as_f64().expect("number"), number(other).expect("number"));
                            prop_assert!((g - w).abs() <= 1e-14 * w.abs(), "{g} vs {w}");
                        }
                    }
                }
            }
        }

        #[test]
        fn xlsx_round_trip(t in table()) {
            let bytes = t.to_xlsx().expect("xlsx");
            let raw = table_from_bytes("t.xlsx", &bytes, &ReadOptions::default()).expect("read back");
            prop_assert_eq!(&raw.headers, &COLUMNS.map(String::from).to_vec());
            prop_assert_eq!(raw.rows.len(), t.rows.len());
            for (row, cells) in raw.rows.iter().zip(&t.rows) {
                for (i, cell) in cells.iter().enumerate() {
                    let got = row.text(i);
                    match cell {
                        Cell::Text(s) => prop_assert_eq!(got, s.trim()),
                        Cell::Empty => prop_assert_eq!(got, ""),
                        // Numbers go out to 15 significant digits (issue 22), as in CSV.
                        other => prop_assert_eq!(
                            got.parse::<f64>().ok(),
                            number(other).map(litmon::model::format::significant_15)
                        ),
                    }
                }
            }
        }
    }
}

#[test]
fn an_input_file_is_never_the_output() {
    let dir = tempdir();
    let obs = dir.path().join("o.csv");
    let text = "jurisdiction,year,value\n150300,2023,10.4\n";
    std::fs::write(&obs, text).expect("write");
    let out = litmon()
        .args([
            "assess",
            "--lang",
            "en",
            "--format",
            "csv",
            "--observations",
        ])
        .arg(&obs)
        .arg("-o")
        .arg(&obs)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("input file"), "{err}");
    assert_eq!(std::fs::read_to_string(&obs).expect("read"), text);
}

#[test]
fn unknown_encoding_is_a_usage_error() {
    let out = crate::common::litmon_en()
        .args(["assess", "--encoding", "latin1"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    // clap's own message (the flag's value parser), with the accepted names.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid value 'latin1' for '--encoding")
            && err.contains("[possible values: utf-8, gbk, gb18030]"),
        "{err}"
    );
}
