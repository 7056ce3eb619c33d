//! Plans from a spreadsheet: `plans --template` writes the fill-in sheet, `--plans 方案.xlsx`
//! (or `.csv`) reads it into the plans a TOML gives, every problem of the sheet at once;
//! TOML plans explain full-width punctuation; `data export --plans-as xlsx`.

use std::path::Path;

use calamine::{Data, Reader};

use crate::common::{refused, refused_in, run_ok, tempdir};

/// The header row of the first sheet of a workbook, and the sheet names.
fn template_headers(path: &Path) -> (Vec<String>, Vec<String>) {
    let mut book = calamine::open_workbook_auto(path).expect("open template");
    let names = book.sheet_names().to_vec();
    let range = book.worksheet_range(&names[0]).expect("first sheet");
    let header = range
        .rows()
        .next()
        .expect("a header row")
        .iter()
        .map(|c| match c {
            Data::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    (header, names)
}

/// The filled-in rows, by column header: a 2021–2025 plan of 乌海 (150300) with the
/// literacy rate (9 % in 2020 → above 12 % in 2025, milestone 25 % by 2035) and a
/// cumulative training target (65 000 person-times over 2021–2025).
fn filled_rows() -> Vec<Vec<(&'static str, &'static str)>> {
    let plan = [
        ("地区", "乌海市"),
        ("方案名称", "乌海市全民科学素质行动实施方案（测试）"),
        ("发文机关", "乌海市人民政府"),
        ("起始年", "2021"),
        ("结束年", "2025"),
    ];
    let mut rows = Vec::new();
    let mut lit = plan.to_vec();
    lit.extend([
        ("指标代码", "literacy_rate"),
        ("指标名称", "公民具备科学素质的比例"),
        ("类型", "水平"),
        ("单位", "%"),
        ("方向", "提高"),
        ("基期年", "2020"),
        ("基期值", "9"),
        ("目标年", "2025"),
        ("目标值", "12"),
        ("限定词", "超过"),
        ("牵头部门", "市科协"),
    ]);
    rows.push(lit);
    let mut farmers = plan.to_vec();
    farmers.extend([
        ("指标代码", "farmers_trained"),
        ("指标名称", "培训农牧民"),
        ("类型", "累计"),
        ("单位", "人次"),
        ("目标年", "2025"),
        ("目标值", "65000"),
        ("限定词", "达到"),
    ]);
    rows.push(farmers);
    // The milestone: a further row of the literacy rate with another target year.
    let mut milestone = plan.to_vec();
    milestone.extend([
        ("指标代码", "literacy_rate"),
        ("目标年", "2035"),
        ("目标值", "25"),
    ]);
    rows.push(milestone);
    rows
}

/// The same plan as TOML (seeds/SCHEMA.md).
const EQUIVALENT_TOML: &str = r#"[plan]
jurisdiction = "150300"
title_zh = "乌海市全民科学素质行动实施方案（测试）"
issuer_zh = "乌海市人民政府"
period = [2021, 2025]

[[indicator]]
id = "literacy_rate"
name_zh = "公民具备科学素质的比例"
unit = "pct"
unit_zh = "%"
kind = "level"
direction = "increase"
baseline = { year = 2020, value = 9.0 }
target = { year = 2025, value = 12.0 }
milestones = [{ year = 2035, value = 25.0 }]
qualifier = "above"
lead_zh = "市科协"

[[indicator]]
id = "farmers_trained"
name_zh = "培训农牧民"
unit = "person_times"
unit_zh = "人次"
kind = "cumulative"
target = { year = 2025, value = 65000.0 }
qualifier = "at_least"
"#;

/// Writes `rows` under `headers` (the template's) as a workbook; numbers as numbers.
fn write_sheet(path: &Path, headers: &[String], rows: &[Vec<(&str, &str)>]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("方案").expect("name");
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, h).expect("header");
    }
    for (r, row) in rows.iter().enumerate() {
        for (key, value) in row {
            let c = headers
                .iter()
                .position(|h| h == key)
                .unwrap_or_else(|| panic!("template has no column {key}"));
            let (r, c) = (r as u32 + 1, c as u16);
            match value.parse::<f64>() {
                Ok(v) if *key != "指标代码" => sheet.write_number(r, c, v).map(|_| ()),
                _ => sheet.write_string(r, c, *value).map(|_| ()),
            }
            .expect("cell");
        }
    }
    book.save(path).expect("save");
}

fn stdout_of(args: &[&str]) -> Vec<u8> {
    run_ok(args).0
}

#[test]
fn a_filled_in_template_assesses_as_the_equivalent_toml() {
    let dir = tempdir();
    let template = dir.path().join("方案.xlsx");
    run_ok(&["plans", "--template", "-o", template.to_str().unwrap()]);
    let (headers, sheets) = template_headers(&template);
    assert_eq!(sheets, ["方案", "说明"]);
    for h in [
        "地区",
        "方案名称",
        "起始年",
        "结束年",
        "类型",
        "目标年",
        "目标值",
        "限定词",
    ] {
        assert!(headers.iter().any(|x| x == h), "{h} in {headers:?}");
    }
    // Filled in by "the user": the sheet in a folder of its own, the TOML in another, both
    // named plan.* (a plan's id is its file name, printed by `indicators`).
    std::fs::create_dir(dir.path().join("xlsx")).unwrap();
    std::fs::create_dir(dir.path().join("toml")).unwrap();
    let xlsx = dir.path().join("xlsx/plan.xlsx");
    let toml = dir.path().join("toml/plan.toml");
    write_sheet(&xlsx, &headers, &filled_rows());
    std::fs::write(&toml, EQUIVALENT_TOML).unwrap();
    let (x, t) = (xlsx.to_str().unwrap(), toml.to_str().unwrap());
    for extra in [
        &["assess", "--jurisdiction", "150300"][..],
        &[
            "assess",
            "--jurisdiction",
            "150300",
            "--indicator",
            "farmers_trained",
        ],
        &["indicators", "--jurisdiction", "150300"],
    ] {
        let run = |plans: &str| {
            let mut args = vec!["--plans", plans, "--format", "csv"];
            args.extend_from_slice(extra);
            stdout_of(&args)
        };
        let from_sheet = run(x);
        let from_toml = run(t);
        assert!(!from_sheet.is_empty());
        assert_eq!(
            String::from_utf8_lossy(&from_sheet),
            String::from_utf8_lossy(&from_toml),
            "{extra:?}"
        );
    }
    // The milestone is its own row: 25 (%) by 2035 beside 12 by 2025.
    let rows = crate::common::csv_rows(&["--plans", x, "assess", "--jurisdiction", "150300"]);
    let targets: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["target_year"].clone(), r["target"].clone()))
        .collect();
    assert_eq!(
        targets,
        [
            ("2025".to_string(), "12".to_string()),
            ("2035".to_string(), "25".to_string())
        ]
    );
    // A directory holding the sheet reads as the sheet does.
    let from_dir = stdout_of(&[
        "--plans",
        dir.path().join("xlsx").to_str().unwrap(),
        "assess",
        "--jurisdiction",
        "150300",
        "--format",
        "csv",
    ]);
    let from_file = stdout_of(&[
        "--plans",
        x,
        "assess",
        "--jurisdiction",
        "150300",
        "--format",
        "csv",
    ]);
    assert_eq!(from_dir, from_file);
}

#[test]
fn the_csv_template_reads_back_with_english_headers_too() {
    let dir = tempdir();
    let csv = dir.path().join("方案.csv");
    run_ok(&["plans", "--template", "-o", csv.to_str().unwrap()]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("地区,方案名称,发文机关,文号,起始年,结束年,指标代码,指标名称,类型,单位,方向,基期年,基期值,目标年,目标值,限定词,牵头部门,备注\n"));
    // The example row: 9 % in 2020 → above 12 % in 2025 for 乌海 (150300).
    let rows = crate::common::csv_rows(&[
        "--plans",
        csv.to_str().unwrap(),
        "assess",
        "--jurisdiction",
        "150300",
    ]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["baseline"], "9");
    assert_eq!(rows[0]["target"], "12");
    // required_per_year = (12 − 9) / (2025 − 2020) = 0.6.
    assert_eq!(rows[0]["required_per_year"], "0.6");
    // English headers, a percent cell and 百分比: the same plan.
    let english = dir.path().join("plan_en.csv");
    std::fs::write(
        &english,
        "jurisdiction,title,first_year,last_year,indicator,name,kind,unit,direction,baseline_year,baseline,target_year,target,qualifier\n\
         150300,乌海市全民科学素质行动规划纲要实施方案（2021—2025年）,2021,2025,literacy_rate,公民具备科学素质的比例,level,百分比,increase,2020,9%,2025,12%,above\n",
    )
    .unwrap();
    let en_rows = crate::common::csv_rows(&[
        "--plans",
        english.to_str().unwrap(),
        "assess",
        "--jurisdiction",
        "150300",
    ]);
    assert_eq!(en_rows, rows);
}

#[test]
fn a_sheet_with_three_mistakes_reports_all_three_and_writes_nothing() {
    let dir = tempdir();
    std::fs::write(
        dir.path().join("bad.csv"),
        "地区,方案名称,起始年,结束年,指标代码,指标名称,类型,单位,基期年,基期值,目标年,目标值\n\
         150300,方案,2021,2025,literacy_rate,公民具备科学素质的比例,存量值,%,2020,9,2025,12\n\
         150300,方案,2021,2025,farmers,培训农牧民,累计,人次,,,2025,很多\n\
         150300,方案,2021,2025,teachers,培训教师,年度,人,2022,10,2020,400\n",
    )
    .unwrap();
    let err = refused_in(
        dir.path(),
        &["--plans", "bad.csv", "assess", "-o", "out.csv"],
        &[
            "3 problems",
            // 类型 is column 7, 目标值 column 12, 目标年 column 11; rows are CSV lines.
            "bad.csv:2, column 7 (类型): expected 水平, 累计 or 年度",
            "bad.csv:3, column 12 (目标值): expected a number",
            "bad.csv:4, column 11 (目标年): target year 2020 is not after the baseline year 2022",
        ],
    );
    assert!(!dir.path().join("out.csv").exists(), "{err}");
}

#[test]
fn sheet_problems_found_by_the_plan_validation_name_their_cell() {
    let dir = tempdir();
    let path = dir.path().join("p.csv");
    // An unknown place and a percentage over 100: both reported, each at its cell.
    std::fs::write(
        &path,
        "地区,方案名称,起始年,结束年,指标名称,类型,单位,目标年,目标值\n\
         火星,方案,2021,2025,公民具备科学素质的比例,水平,%,2025,12\n\
         150300,方案二,2021,2025,公民具备科学素质的比例,水平,%,2025,120\n",
    )
    .unwrap();
    refused(
        &["--plans", path.to_str().unwrap(), "assess"],
        &[
            "2 problems",
            "p.csv:2, column 1 (地区)",
            "p.csv:3, column 9 (目标值): target 120 is outside 0–100",
        ],
    );
}

#[test]
fn a_toml_plan_with_full_width_punctuation_is_explained() {
    let dir = tempdir();
    let path = dir.path().join("plan.toml");
    std::fs::write(
        &path,
        "[plan]\njurisdiction ＝ \"150300\"\ntitle_zh = \"方案，乌海\"\nperiod = [2021，2025]\n",
    )
    .unwrap();
    // ＝ at line 2 column 14 ("jurisdiction " is 13 characters); the ， inside the quoted
    // title is text and is not reported; the one in the period is.
    let err = refused(
        &["--plans", path.to_str().unwrap(), "assess"],
        &[
            "2 problems",
            "plan.toml:2, column 14: invalid plan TOML: full-width ＝ at line 2: write an ASCII =",
            "plan.toml:4, column 15: invalid plan TOML: full-width ， at line 4: write an ASCII ,",
        ],
    );
    assert!(!err.contains("line 3"), "{err}");
}

#[test]
fn a_toml_plan_missing_several_keys_reports_them_at_once() {
    let dir = tempdir();
    let path = dir.path().join("plan.toml");
    std::fs::write(
        &path,
        "[plan]\njurisdiction = \"150300\"\ntitle_zh = \"x\"\nperiod = [2021, 2025]\n\n[[indicator]]\nid = \"a\"\nname_zh = \"甲\"\ntarget = { year = 2025, value = 1 }\n",
    )
    .unwrap();
    refused(
        &["--plans", path.to_str().unwrap(), "assess"],
        &[
            "2 problems",
            "plan.toml:6, key indicator.a.unit: invalid plan TOML: missing key unit",
            "plan.toml:6, key indicator.a.kind: invalid plan TOML: missing key kind",
        ],
    );
}

#[test]
fn data_export_writes_the_plans_as_one_sheet_that_reads_back() {
    let dir = tempdir();
    let out = dir.path().join("ds");
    run_ok(&[
        "data",
        "export",
        "--plans-as",
        "xlsx",
        "-o",
        out.to_str().unwrap(),
    ]);
    let plans: Vec<_> = std::fs::read_dir(out.join("plans"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(plans, ["方案.xlsx"]);
    let args = |data: &str| stdout_of(&["--data", data, "assess", "--format", "csv"]);
    // The exported folder assesses as the embedded data do.
    let embedded = stdout_of(&["assess", "--format", "csv"]);
    assert_eq!(
        String::from_utf8_lossy(&args(out.to_str().unwrap())),
        String::from_utf8_lossy(&embedded)
    );
    // Every sub-indicator keeps its kind, unit code and targets (units such as 次/年 of a
    // count are written 次/年（count）); only the plan id differs: the sheet's file name.
    let progress = |data: Option<&str>| {
        let mut args = vec!["indicators", "--format", "csv"];
        if let Some(d) = data {
            args.extend(["--data", d]);
        }
        let (header, rows) = crate::common::parse_csv(&stdout_of(&args));
        let mut lines: Vec<String> = rows
            .iter()
            .map(|r| {
                header
                    .iter()
                    .filter(|h| *h != "plan")
                    .map(|h| r[h].as_str())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect();
        lines.sort();
        lines
    };
    let exported = progress(Some(out.to_str().unwrap()));
    assert!(exported.len() > 10);
    assert_eq!(exported, progress(None));
}
