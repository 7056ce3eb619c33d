//! Issue 13: the files and terminals real users have (output named by its file, tables that
//! fit and speak the language, names as people write them, quiet stderr, help for people).

use std::path::Path;

use crate::common::{refused_in, run_ok, tempdir, PlanToml};
use crate::litmon;

fn csv_records(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rdr = csv::Reader::from_reader(bytes);
    let header = rdr
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = rdr
        .records()
        .map(|r| r.expect("record").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

// ---- item 7: the file name says the format ----

#[test]
fn output_format_follows_the_file_extension() {
    let dir = tempdir();
    let w = dir.path();
    for (file, flag) in [("a.csv", "csv"), ("a.json", "json"), ("a.md", "md")] {
        run_ok(&["assess", "-o", w.join(file).to_str().expect("utf-8")]);
        let by_name = std::fs::read(w.join(file)).expect("written");
        let by_flag = run_ok(&["assess", "--format", flag]).0;
        assert_eq!(by_name, by_flag, "{file}");
    }
    // XLSX: a workbook (a zip), byte-identical to --format xlsx.
    run_ok(&["assess", "-o", w.join("a.xlsx").to_str().expect("utf-8")]);
    run_ok(&[
        "assess",
        "--format",
        "xlsx",
        "-o",
        w.join("b.xlsx").to_str().expect("utf-8"),
    ]);
    let a = std::fs::read(w.join("a.xlsx")).expect("xlsx");
    assert!(a.starts_with(b"PK\x03\x04"), "not a zip workbook");
    assert_eq!(a, std::fs::read(w.join("b.xlsx")).expect("xlsx"));
    // The extension is read without regard to case.
    run_ok(&["assess", "-o", w.join("UP.CSV").to_str().expect("utf-8")]);
    assert!(std::fs::read_to_string(w.join("UP.CSV"))
        .expect("csv")
        .starts_with("jurisdiction,name_zh,indicator,"));
}

#[test]
fn markdown_table_has_every_column_and_row() {
    // English keeps the contract's names (languages.rs tests the Chinese headers).
    let md =
        String::from_utf8(run_ok(&["assess", "--format", "md", "--lang", "en"]).0).expect("utf-8");
    let (header, rows) = csv_records(&run_ok(&["assess", "--format", "csv"]).0);
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines[0], format!("| {} |", header.join(" | ")));
    assert_eq!(lines[1], "|".to_string() + &" --- |".repeat(header.len()));
    assert_eq!(lines.len(), rows.len() + 2);
    // Every row has as many cells as columns (text with | is escaped).
    for (line, row) in lines[2..].iter().zip(&rows) {
        assert!(
            line.starts_with(&format!("| {} | {} |", row[0], row[1])),
            "{line}"
        );
    }
}

#[test]
fn an_unknown_extension_is_refused_and_format_overrides() {
    let dir = tempdir();
    let w = dir.path();
    refused_in(w, &["assess", "-o", "x.txt"], &[".txt", ".csv", "--format"]);
    refused_in(w, &["project", "-o", "x.xls"], &[".xls"]);
    refused_in(w, &["assess", "-o", "noext"], &["no extension"]);
    assert!(entries(w).is_empty(), "nothing written: {:?}", entries(w));
    // --format wins over the extension.
    let out = litmon()
        .current_dir(w)
        .args(["assess", "--format", "csv", "-o", "x.txt"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = std::fs::read(w.join("x.txt")).expect("written");
    assert_eq!(text, run_ok(&["assess", "--format", "csv"]).0);
    refused_in(w, &["assess", "--format", "docx"], &["--format", "md"]);
}

#[test]
fn report_output_must_be_a_directory() {
    let dir = tempdir();
    let w = dir.path();
    refused_in(
        w,
        &["report", "-o", "report.html"],
        &["report.html", "a directory is expected"],
    );
    refused_in(w, &["report", "-o", "r.md"], &["a directory is expected"]);
    assert!(entries(w).is_empty(), "{:?}", entries(w));
}

#[test]
fn charts_name_their_format_and_several_need_a_directory() {
    let dir = tempdir();
    let w = dir.path();
    refused_in(
        w,
        &[
            "chart",
            "--kind",
            "trajectory",
            "--jurisdiction",
            "乌海",
            "--jurisdiction",
            "100000",
            "-o",
            "two.png",
        ],
        &["two.png", "directory"],
    );
    refused_in(
        w,
        &[
            "chart",
            "--kind",
            "trajectory",
            "--jurisdiction",
            "乌海",
            "-o",
            "x.jpg",
        ],
        &[".jpg", ".png", ".svg"],
    );
    refused_in(
        w,
        &[
            "chart",
            "--kind",
            "dashboard",
            "--format",
            "gif",
            "-o",
            "d.png",
        ],
        // No format at all: clap's message, with every --format name.
        &[
            "invalid value 'gif' for '--format <FORMAT>'",
            "[possible values: table, csv, json, xlsx, md, png, svg]",
        ],
    );
    // A table format: the chart's own message.
    refused_in(
        w,
        &[
            "chart",
            "--kind",
            "dashboard",
            "--format",
            "csv",
            "-o",
            "d.png",
        ],
        &["--format", "png or svg"],
    );
    assert!(entries(w).is_empty(), "{:?}", entries(w));
    // An .svg name gives SVG without --format; several charts get code-and-name files.
    let out = litmon()
        .current_dir(w)
        .args([
            "chart",
            "--kind",
            "trajectory",
            "--jurisdiction",
            "乌海",
            "-o",
            "one.svg",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read_to_string(w.join("one.svg"))
        .expect("svg")
        .starts_with("<svg"));
    let out = litmon()
        .current_dir(w)
        .args([
            "chart",
            "--kind",
            "trajectory",
            "--jurisdiction",
            "乌海",
            "--jurisdiction",
            "宁夏",
            "--format",
            "svg",
            "-o",
            "many/",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        entries(&w.join("many")),
        ["150300_乌海.svg", "640000_宁夏.svg"]
    );
}

// ---- item 8: tables that fit and speak the language ----

fn widest(text: &str) -> usize {
    text.lines()
        .map(litmon::output::termtable::display_width)
        .max()
        .unwrap_or(0)
}

#[test]
fn assess_table_fits_120_columns_with_chinese_words() {
    let csv = run_ok(&["assess", "--format", "csv"]).0;
    let (_, rows) = csv_records(&csv);
    for columns in [None, Some("120")] {
        let mut cmd = litmon();
        cmd.env_remove("COLUMNS").args(["assess"]);
        if let Some(c) = columns {
            cmd.env("COLUMNS", c);
        }
        let out = cmd.output().expect("run");
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(widest(&text) <= 120, "{} columns:\n{text}", widest(&text));
        // Chinese headers and status words; no contract tokens.
        for word in ["名称", "目标值", "达标概率", "状态", "进度正常"] {
            assert!(text.contains(word), "{word} missing");
        }
        assert!(!text.contains("on_track") && !text.contains("p_reach"));
        // Every assessed jurisdiction is shown.
        for r in &rows {
            assert!(text.contains(&r[0]), "{} missing", r[0]);
        }
    }
    // English keeps the column names and writes the status in words.
    let en = String::from_utf8(run_ok(&["assess", "--lang", "en"]).0).expect("utf-8");
    assert!(widest(&en) <= 120);
    assert!(en.contains("p_reach") && en.contains("on track"), "{en}");
    // A narrower terminal drops columns but keeps the key ones.
    let out = litmon()
        .env("COLUMNS", "90")
        .args(["assess"])
        .output()
        .expect("run");
    let narrow = String::from_utf8(out.stdout).expect("utf-8");
    assert!(widest(&narrow) <= 90, "{narrow}");
    assert!(narrow.contains("状态") && narrow.contains("达标概率"));
}

#[test]
fn indicators_table_fits_and_shows_ids_and_chinese_status() {
    let text = String::from_utf8(run_ok(&["indicators"]).0).expect("utf-8");
    assert!(widest(&text) <= 120, "{text}");
    // The indicator by its Chinese name (the id in English and in the CSV).
    assert!(text.contains("公民具备科学素质的比例") && text.contains("指标"));
    assert!(!text.contains("literacy_rate") && !text.contains("no_data"));
    let en = String::from_utf8(run_ok(&["indicators", "--lang", "en"]).0).expect("utf-8");
    assert!(en.contains("literacy_rate"), "{en}");
    let (_, rows) = csv_records(&run_ok(&["indicators", "--format", "csv"]).0);
    assert!(rows.iter().any(|r| r[12] == "no_data") == text.contains("无数据"));
}

#[test]
fn jurisdiction_and_level_filter_every_table() {
    let (_, all) = csv_records(&run_ok(&["assess", "--format", "csv"]).0);
    for key in ["乌海", "150300", "Wuhai"] {
        let (h, rows) =
            csv_records(&run_ok(&["assess", "--format", "csv", "--jurisdiction", key]).0);
        assert_eq!(h[0], "jurisdiction");
        let expected: Vec<_> = all.iter().filter(|r| r[0] == "150300").cloned().collect();
        assert!(!expected.is_empty());
        assert_eq!(rows, expected, "{key}");
    }
    // Repeatable.
    let (_, two) = csv_records(
        &run_ok(&[
            "assess",
            "--format",
            "csv",
            "--jurisdiction",
            "乌海",
            "--jurisdiction",
            "640000",
        ])
        .0,
    );
    let expected: Vec<_> = all
        .iter()
        .filter(|r| r[0] == "150300" || r[0] == "640000")
        .cloned()
        .collect();
    assert_eq!(two, expected);
    // --level: the rows of province ids (two digits then 0000) and only those.
    let (_, prov) = csv_records(&run_ok(&["assess", "--format", "csv", "--level", "province"]).0);
    let expected: Vec<_> = all
        .iter()
        .filter(|r| r[0].len() == 6 && r[0].ends_with("0000") && r[0] != "100000")
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(prov, expected);

    // project: the contract's columns in CSV, filtered rows, names only on the terminal.
    let (ph, pall) = csv_records(&run_ok(&["project", "--format", "csv"]).0);
    assert_eq!(
        ph.join(","),
        "jurisdiction,indicator,year,model,median,lo80,hi80,lo95,hi95"
    );
    let (ph2, prows) =
        csv_records(&run_ok(&["project", "--format", "csv", "--jurisdiction", "乌海"]).0);
    assert_eq!(ph2, ph);
    let expected: Vec<_> = pall.iter().filter(|r| r[0] == "150300").cloned().collect();
    assert!(!expected.is_empty());
    assert_eq!(prows, expected);
    let table = String::from_utf8(run_ok(&["project", "--jurisdiction", "乌海"]).0).expect("utf-8");
    assert!(table.contains("乌海") && table.contains("名称"), "{table}");
    assert_eq!(
        table.matches("150300").count(),
        expected.len(),
        "one line per projected year"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&run_ok(&["project", "--format", "json"]).0).expect("json");
    assert_eq!(json[0].as_object().map(|o| o.len()), Some(9));

    // indicators, targets.
    let (_, iall) = csv_records(&run_ok(&["indicators", "--format", "csv"]).0);
    let (_, irows) =
        csv_records(&run_ok(&["indicators", "--format", "csv", "--jurisdiction", "乌海"]).0);
    let expected: Vec<_> = iall.iter().filter(|r| r[0] == "150300").cloned().collect();
    assert!(expected.len() > 1);
    assert_eq!(irows, expected);
    let (_, tall) = csv_records(&run_ok(&["targets", "--year", "2030", "--format", "csv"]).0);
    let (_, trows) = csv_records(
        &run_ok(&[
            "targets", "--year", "2030", "--format", "csv", "--level", "national",
        ])
        .0,
    );
    let expected: Vec<_> = tall.iter().filter(|r| r[0] == "100000").cloned().collect();
    assert_eq!(trows, expected);

    // backtest: the forecasts of one jurisdiction; its summary counts exactly those.
    let (_, dall) = csv_records(&run_ok(&["backtest", "--detail", "--format", "csv"]).0);
    let (_, drows) = csv_records(
        &run_ok(&[
            "backtest",
            "--detail",
            "--format",
            "csv",
            "--jurisdiction",
            "全国",
        ])
        .0,
    );
    let expected: Vec<_> = dall.iter().filter(|r| r[1] == "100000").cloned().collect();
    assert!(!expected.is_empty());
    assert_eq!(drows, expected);
    let (sh, srows) =
        csv_records(&run_ok(&["backtest", "--format", "csv", "--jurisdiction", "全国"]).0);
    assert_eq!(sh[1], "n");
    for r in &srows {
        let n = expected.iter().filter(|d| d[0] == r[0]).count();
        assert_eq!(r[1], n.to_string(), "{}", r[0]);
    }

    // An unknown name is refused.
    let dir = tempdir();
    refused_in(
        dir.path(),
        &["assess", "--jurisdiction", "不存在的地方"],
        &["--jurisdiction", "unknown jurisdiction"],
    );
    refused_in(dir.path(), &["project", "--level", "town"], &["--level"]);
}

#[test]
fn json_objects_keep_the_csv_column_order() {
    for cmd in [
        &["assess"][..],
        &["indicators"][..],
        &["targets", "--year", "2030"][..],
    ] {
        let (header, rows) = csv_records(&run_ok(&[cmd, &["--format", "csv"]].concat()).0);
        let json =
            String::from_utf8(run_ok(&[cmd, &["--format", "json"]].concat()).0).expect("json");
        // Keys of the first object, in the order written.
        let first = json.split("\n  }").next().expect("object");
        let keys: Vec<String> = first
            .lines()
            .filter_map(|l| l.trim().strip_prefix('"'))
            .filter_map(|l| l.split_once("\":").map(|(k, _)| k.to_string()))
            .collect();
        assert_eq!(keys, header, "{cmd:?}");
        let v: serde_json::Value = serde_json::from_str(&json).expect("valid json");
        assert_eq!(v.as_array().map(Vec::len), Some(rows.len()));
    }
}

// ---- item 2: names as people write them ----

#[test]
fn names_match_with_and_without_administrative_suffixes() {
    let ds = litmon::data::load(&litmon::data::LoadOptions::default()).expect("embedded");
    for (written, id) in [
        ("乌海市", "150300"),
        ("乌海", "150300"),
        ("内蒙古自治区", "150000"),
        ("五台", "140922"),
        ("五台县", "140922"),
        ("宁夏回族自治区", "640000"),
        ("广西壮族自治区", "450000"),
        ("鄂尔多斯市", "150600"),
    ] {
        assert_eq!(
            ds.resolve(written).map(|j| j.id.as_str()),
            Some(id),
            "{written}"
        );
    }
    // Through the command line: the same rows as the registered name.
    let by_code = run_ok(&["assess", "--format", "csv", "--jurisdiction", "150300"]).0;
    let by_suffix = run_ok(&["assess", "--format", "csv", "--jurisdiction", "乌海市"]).0;
    assert_eq!(by_code, by_suffix);
}

#[test]
fn a_suffix_match_must_be_unique() {
    let dir = tempdir();
    let d = dir.path().join("d");
    std::fs::create_dir_all(&d).expect("dir");
    std::fs::write(
        d.join("jurisdictions.csv"),
        "id,name_zh,name_en,level,parent\n100000,全国,China,national,\n220000,吉林省,Jilin,province,100000\n220200,吉林市,Jilin City,prefecture,220000\n",
    )
    .expect("registry");
    std::fs::write(
        d.join("observations.csv"),
        "jurisdiction,indicator,year,value,se,n,source\n100000,literacy_rate,2022,12.93,,,s\n220000,literacy_rate,2022,11.0,,,s\n220200,literacy_rate,2022,12.0,,,s\n",
    )
    .expect("observations");
    let err = refused_in(
        dir.path(),
        &["project", "--data", "d", "--jurisdiction", "吉林"],
        &["ambiguous", "220000", "220200"],
    );
    assert!(err.contains("吉林省") && err.contains("吉林市"), "{err}");
    let out = litmon()
        .current_dir(dir.path())
        .args([
            "project",
            "--data",
            "d",
            "--format",
            "csv",
            "--jurisdiction",
            "吉林市",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, rows) = csv_records(&out.stdout);
    assert!(!rows.is_empty() && rows.iter().all(|r| r[0] == "220200"));
}

#[test]
fn unknown_names_suggest_similar_names_only() {
    let dir = tempdir();
    let err = refused_in(
        dir.path(),
        &["assess", "--jurisdiction", "鄂尔多"],
        &["closest: 150600 鄂尔多斯"],
    );
    assert!(!err.contains("100000"), "{err}");
    let err = refused_in(
        dir.path(),
        &["assess", "--jurisdiction", "乌海巿"],
        &["closest: 150300 乌海"],
    );
    assert!(!err.contains("全国"), "{err}");
    // Nothing in the registry resembles 火星基地 (no registered name shares two of its
    // characters): no arbitrary suggestions (全国, 北京, 天津).
    let err = refused_in(
        dir.path(),
        &["assess", "--jurisdiction", "火星基地"],
        &[
            "unknown jurisdiction \"火星基地\"",
            "no registered name resembles it",
            "--jurisdictions F",
        ],
    );
    assert!(!err.contains("全国") && !err.contains("北京"), "{err}");
}

// ---- item 5: progress rows that match nothing ----

/// `indicators --format csv` with one progress file written in `dir`.
fn indicators_with(dir: &Path, name: &str, text: &str) -> (Vec<Vec<String>>, String) {
    std::fs::write(dir.join(name), text).expect("write");
    let out = litmon()
        .current_dir(dir)
        .args([
            "indicators",
            "--lang",
            "en",
            "--format",
            "csv",
            "--jurisdiction",
            "150600",
            "--observations",
            name,
        ])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    (csv_records(&out.stdout).1, err)
}

#[test]
fn progress_rows_accept_chinese_names_and_warn_on_typos() {
    let dir = tempdir();
    let w = dir.path();
    let head = "jurisdiction,indicator,year,value\n";
    let (by_id, quiet) = indicators_with(
        w,
        "id.csv",
        &format!("{head}150600,high_quality_farmers_trained,2021,1100\n150600,high_quality_farmers_trained,2022,1300\n"),
    );
    assert!(!quiet.contains("warning"), "{quiet}");
    let (by_name, err) = indicators_with(
        w,
        "name.csv",
        &format!(
            "{head}鄂尔多斯,培训高素质农牧民,2021,1100\n150600, 培训高素质农牧民 ,2022,1300\n"
        ),
    );
    assert!(!err.contains("warning"), "{err}");
    assert_eq!(by_name, by_id);
    // The rows count: done = 1100 + 1300 for the cumulative target.
    let farmers = by_id
        .iter()
        .find(|r| r[2] == "high_quality_farmers_trained")
        .expect("row");
    assert_eq!(farmers[7], "2400");
    // A typo of the id: exit 0, the row unused, a warning naming the closest id.
    let (typo, err) = indicators_with(
        w,
        "typo.csv",
        &format!("{head}150600,high_quality_farmer_trained,2021,1100\n"),
    );
    assert!(err.contains("typo.csv:2"), "{err}");
    assert!(err.contains("\"high_quality_farmer_trained\""), "{err}");
    assert!(
        err.contains("closest ids: high_quality_farmers_trained (培训高素质农牧民)"),
        "{err}"
    );
    let farmers = typo
        .iter()
        .find(|r| r[2] == "high_quality_farmers_trained")
        .expect("row");
    assert_eq!(farmers[12], "no_data");
}

#[test]
fn indicators_help_says_how_progress_is_supplied() {
    let help = String::from_utf8(run_ok(&["indicators", "--help"]).0).expect("utf-8");
    for needle in [
        "--observations",
        "jurisdiction,indicator,year,value",
        "Chinese name",
    ] {
        assert!(help.contains(needle), "{needle} missing from:\n{help}");
    }
}

#[test]
fn progress_template_round_trips_as_observations() {
    use calamine::Reader;
    let dir = tempdir();
    let w = dir.path();
    let ok = |args: &[&str]| {
        let out = litmon().current_dir(w).args(args).output().expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    ok(&[
        "indicators",
        "--template",
        "--jurisdiction",
        "鄂尔多斯",
        "-o",
        "t.csv",
    ]);
    ok(&[
        "indicators",
        "--template",
        "--jurisdiction",
        "鄂尔多斯",
        "-o",
        "t.xlsx",
    ]);
    let (header, rows) = csv_records(&std::fs::read(w.join("t.csv")).expect("csv"));
    assert_eq!(
        header,
        [
            "jurisdiction",
            "jurisdiction_name",
            "indicator",
            "indicator_name",
            "kind",
            "unit",
            "target_year",
            "target",
            "2021",
            "2022",
            "2023",
            "2024",
            "2025"
        ]
    );
    // One row per sub-indicator of the plan (the literacy rate comes from the survey).
    let (_, progress) = csv_records(&ok(&[
        "indicators",
        "--format",
        "csv",
        "--jurisdiction",
        "150600",
    ]));
    let mut ids: Vec<&str> = progress
        .iter()
        .map(|r| r[2].as_str())
        .filter(|i| *i != "literacy_rate")
        .collect();
    ids.dedup();
    assert_eq!(rows.iter().map(|r| r[2].as_str()).collect::<Vec<_>>(), ids);
    assert!(rows.iter().all(|r| r[0] == "150600" && r[1] == "鄂尔多斯"));
    // The workbook holds the same cells.
    let mut book = calamine::open_workbook_auto(w.join("t.xlsx")).expect("xlsx");
    let sheet = book.worksheet_range("progress").expect("sheet");
    let xrows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    // The workbook is read by people: its headers are Chinese (the CSV keeps the contract's
    // names), and it reads back as the same observations (below).
    assert_eq!(
        xrows[0],
        [
            "代码",
            "地区名",
            "指标",
            "指标名",
            "类型",
            "计量单位",
            "目标年",
            "目标值",
            "2021",
            "2022",
            "2023",
            "2024",
            "2025"
        ]
    );
    let zh_header = xrows[0].clone();
    assert_eq!(xrows.len(), rows.len() + 1);
    assert_eq!(xrows[1][2], rows[0][2]);

    // Fill 2021 and 2022 (different values per row), as a department would; the same
    // values written as long observation rows are the reference.
    let value = |r: usize, y: usize| (r % 40 + 1 + y) as f64 + 0.5;
    let mut long = String::from("jurisdiction,indicator,year,value\n");
    let mut filled = csv::Writer::from_writer(Vec::new());
    filled.write_record(&header).expect("header");
    let mut xbook = rust_xlsxwriter::Workbook::new();
    let xs = xbook.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        xs.write_string(0, c as u16, h).expect("cell");
    }
    let mut zh_book = rust_xlsxwriter::Workbook::new();
    let zs = zh_book.add_worksheet();
    for (c, h) in zh_header.iter().enumerate() {
        zs.write_string(0, c as u16, h).expect("cell");
    }
    for (r, row) in rows.iter().enumerate() {
        let mut row = row.clone();
        for (k, c) in [(0, 8), (1, 9)] {
            row[c] = value(r, k).to_string();
            long.push_str(&format!("150600,{},{},{}\n", row[2], 2021 + k, value(r, k)));
        }
        filled.write_record(&row).expect("row");
        for (c, cell) in row.iter().enumerate() {
            let (xr, xc) = (r as u32 + 1, c as u16);
            zs.write_string(xr, xc, cell).expect("cell");
            if (c >= 8 && !cell.is_empty()) || c == 7 || c == 6 {
                xs.write_number(xr, xc, cell.parse::<f64>().expect("number"))
                    .expect("cell");
            } else {
                xs.write_string(xr, xc, cell).expect("cell");
            }
        }
    }
    std::fs::write(w.join("filled.csv"), filled.into_inner().expect("csv")).expect("write");
    xbook.save(w.join("filled.xlsx")).expect("xlsx");
    zh_book.save(w.join("filled_zh.xlsx")).expect("xlsx");
    std::fs::write(w.join("long.csv"), long).expect("write");
    let with = |f: &str| {
        ok(&[
            "indicators",
            "--format",
            "csv",
            "--jurisdiction",
            "150600",
            "--observations",
            f,
        ])
    };
    let reference = with("long.csv");
    assert_ne!(
        reference,
        ok(&["indicators", "--format", "csv", "--jurisdiction", "150600"])
    );
    assert_eq!(with("filled.csv"), reference);
    assert_eq!(with("filled.xlsx"), reference);
    assert_eq!(with("filled_zh.xlsx"), reference);
}

// ---- item 10: help for people ----

#[test]
fn help_lists_command_options_apart_and_explains_the_report() {
    let help = String::from_utf8(run_ok(&["assess", "--help"]).0).expect("utf-8");
    let own = help.find("--jurisdiction").expect("--jurisdiction listed");
    let global = help.find("Global options:").expect("global heading");
    assert!(own < global, "command options come first:\n{help}");
    assert!(help[global..].contains("--observations"));
    assert!(!help[..global].contains("--observations"));
    let report = String::from_utf8(run_ok(&["report", "--help"]).0).expect("utf-8");
    for needle in [
        "-o DIR is a directory",
        "final evaluation",
        "--as-of",
        "终期评估",
    ] {
        assert!(report.contains(needle), "{needle} missing:\n{report}");
    }
    // Wrapped to the terminal width (clap reads COLUMNS when stdout is not a terminal).
    let out = litmon()
        .env("COLUMNS", "60")
        .args(["assess", "--help"])
        .output()
        .expect("run");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let wide = text
        .lines()
        .map(litmon::output::termtable::display_width)
        .max()
        .unwrap_or(0);
    assert!(wide <= 60, "{wide} columns:\n{text}");
}

// ---- item 9: a quiet stderr ----

/// A national-style survey of `rows` respondents: 31 provinces × 10 prefectures (strata) ×
/// 7 counties, each county one PSU (so every county domain has design df 0), and every
/// tenth county without a literate respondent (p̂ = 0).
fn county_survey(rows: usize) -> String {
    let mut s = String::from("province,prefecture,county,stratum,psu,weight,literate\n");
    let counties = 31 * 10 * 7;
    for i in 0..rows {
        let c = i % counties;
        let (prov, pref) = (c / 70, c / 7);
        let literate = u8::from(c % 10 != 0 && (i / counties) % 7 == 0);
        let weight = 100 + (i % 13);
        s.push_str(&format!(
            "P{prov:02},F{pref:03},C{c:04},F{pref:03},C{c:04},{weight},{literate}\n"
        ));
    }
    s
}

#[test]
fn estimate_by_county_keeps_stderr_short_and_verbose_prints_all() {
    let dir = tempdir();
    std::fs::write(dir.path().join("m.csv"), county_survey(300_000)).expect("write");
    let run = |verbose: bool| {
        let mut cmd = crate::common::litmon_en();
        cmd.current_dir(dir.path()).args([
            "estimate",
            "--microdata",
            "m.csv",
            "--strata",
            "stratum",
            "--psu",
            "psu",
            "--weight",
            "weight",
            "--indicator-column",
            "literate",
            "--threshold",
            "1",
            "--by",
            "province",
            "--by",
            "prefecture",
            "--by",
            "county",
            "--format",
            "csv",
        ]);
        if verbose {
            cmd.arg("--verbose");
        }
        let out = cmd.output().expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stderr).expect("utf-8"),
            csv_records(&out.stdout).1,
        )
    };
    let (quiet, rows) = run(false);
    let (loud, rows_verbose) = run(true);
    assert_eq!(rows, rows_verbose, "--verbose changes only stderr");
    // Independent count: county domains whose df column is 0.
    let df0 = rows
        .iter()
        .filter(|r| r[0].starts_with("county=") && r[9] == "0")
        .count();
    assert_eq!(df0, 2170);
    let loud_df0 = loud.lines().filter(|l| l.contains("design df = 0")).count();
    assert!(loud_df0 >= df0, "{loud_df0}");
    assert!(
        quiet.lines().count() <= 20,
        "{} lines:\n{quiet}",
        quiet.lines().count()
    );
    assert!(
        quiet.contains(&format!("{loud_df0} warnings: design df = 0")),
        "{quiet}"
    );
    assert!(quiet.contains("--verbose prints all"), "{quiet}");
}

// ---- item 4: adding to the embedded data, not replacing it ----

#[test]
fn a_user_plan_overrides_indicator_by_indicator_with_a_note() {
    let dir = tempdir();
    let w = dir.path();
    std::fs::write(
        w.join("wuhai.toml"),
        PlanToml::new("150300", "乌海")
            .literacy(None, (2025, 13.0))
            .text(),
    )
    .expect("plan");
    let base =
        crate::common::run_ok_en(&["indicators", "--format", "csv", "--jurisdiction", "150300"]).0;
    let out = crate::common::litmon_en()
        .current_dir(w)
        .args([
            "indicators",
            "--format",
            "csv",
            "--jurisdiction",
            "150300",
            "--plans",
            "wuhai.toml",
        ])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("note: wuhai.toml overrides literacy_rate of 150300"),
        "{err}"
    );
    let (_, before) = csv_records(&base);
    let (_, after) = csv_records(&out.stdout);
    // The four other sub-indicators stay, unchanged; the literacy target is the user's.
    assert_eq!(before.len(), 5);
    assert_eq!(after.len(), before.len());
    for (a, b) in after.iter().zip(&before) {
        assert_eq!(a[2], b[2]);
        // Column 1 names the plan file: now the user's.
        assert_eq!(a[1], "wuhai");
        if a[2] == "literacy_rate" {
            assert_eq!((a[6].as_str(), b[6].as_str()), ("13", "12"));
        } else {
            assert_eq!(a[2..], b[2..]);
        }
    }
}

#[test]
fn a_user_observation_overrides_the_embedded_value_with_a_note() {
    let dir = tempdir();
    let w = dir.path();
    // The embedded national 2025 value is 16.74; a corrected value replaces it.
    std::fs::write(
        w.join("fix.csv"),
        "jurisdiction,indicator,year,value\n全国,literacy_rate,2025,16.8\n",
    )
    .expect("write");
    let out = crate::common::litmon_en()
        .current_dir(w)
        .args([
            "assess",
            "--format",
            "csv",
            "--jurisdiction",
            "100000",
            "--observations",
            "fix.csv",
        ])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("note: fix.csv:2") && err.contains("16.8 replaces 16.74"),
        "{err}"
    );
    let (h, rows) = csv_records(&out.stdout);
    let latest = h.iter().position(|c| c == "latest").expect("latest");
    assert!(rows.iter().all(|r| r[latest] == "16.8"), "{rows:?}");
}

#[test]
fn jurisdictions_file_adds_a_city_on_top_of_the_embedded_data() {
    let dir = tempdir();
    let w = dir.path();
    std::fs::write(
        w.join("j.csv"),
        "id,name_zh,name_en,level,parent\n150200,包头,Baotou,prefecture,内蒙古\n",
    )
    .expect("write");
    std::fs::write(
        w.join("o.csv"),
        "jurisdiction,indicator,year,value\n包头,literacy_rate,2020,10.5\n包头市,literacy_rate,2022,12.1\n",
    )
    .expect("write");
    std::fs::write(
        w.join("p.toml"),
        PlanToml::new("150200", "包头")
            .literacy(None, (2025, 15.0))
            .text(),
    )
    .expect("write");
    let ok = |args: &[&str]| {
        let out = crate::common::litmon_en()
            .current_dir(w)
            .args(args)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        csv_records(&out.stdout)
    };
    let extra = [
        "--jurisdictions",
        "j.csv",
        "--observations",
        "o.csv",
        "--plans",
        "p.toml",
        "--format",
        "csv",
    ];
    let (h, rows) = ok(&[&["assess", "--jurisdiction", "包头"][..], &extra[..]].concat());
    let col = |name: &str| h.iter().position(|c| c == name).expect("column");
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r[0], "150200");
    assert_eq!(r[col("baseline")], "10.5");
    assert_eq!(r[col("latest")], "12.1");
    // (15 − 10.5)/(2025 − 2020) and (12.1 − 10.5)/(2022 − 2020), computed here.
    let num = |c: &str| r[col(c)].parse::<f64>().expect("number");
    assert!((num("required_per_year") - 0.9).abs() < 1e-12);
    assert!((num("observed_per_year") - 0.8).abs() < 1e-12);
    assert!(!r[col("status")].is_empty() && r[col("status")] != "insufficient_data");
    // The embedded rows are all still there with the same data, paces and categories (the
    // projections may move a little: the pooled variance components now see 包头 too).
    let (_, base) = ok(&["assess", "--format", "csv"]);
    let (_, all) = ok(&[&["assess"][..], &extra[..]].concat());
    let fixed = |r: &Vec<String>| -> Vec<String> {
        let mut v = r[..col("projected")].to_vec();
        v.push(r[col("model")].clone());
        v.push(r[col("n_obs")].clone());
        v
    };
    let without: Vec<_> = all.iter().filter(|r| r[0] != "150200").map(fixed).collect();
    assert_eq!(without, base.iter().map(fixed).collect::<Vec<_>>());
    // The parent is 内蒙古: the level filter and the registry agree.
    let (_, pref) = ok(&[&["assess", "--level", "prefecture"][..], &extra[..]].concat());
    assert!(pref.iter().any(|r| r[0] == "150200"));
    // 包头 150200 is in the embedded registry: the user's row (with an English name) replaces
    // it, with a note, and keeps its full name. An id given twice by the user is refused.
    let out = crate::common::litmon_en()
        .current_dir(w)
        .args(["data", "export", "--jurisdictions", "j.csv", "-o", "ex"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("note: j.csv:2 replaces the registry row of 150200"),
        "{err}"
    );
    let registry = std::fs::read_to_string(w.join("ex/jurisdictions.csv")).expect("csv");
    assert!(registry.contains("\n150200,包头,Baotou,prefecture,150000,包头市,\n"));
    std::fs::write(
        w.join("dup.csv"),
        "id,name_zh,name_en,level,parent\n150300,乌海,Wuhai,prefecture,150000\n150300,乌海市,Wuhai,prefecture,150000\n",
    )
    .expect("write");
    refused_in(
        w,
        &["assess", "--jurisdictions", "dup.csv"],
        &["dup.csv:3", "duplicate jurisdiction id \"150300\""],
    );
}

#[test]
fn data_export_writes_a_data_folder_that_reproduces_every_table() {
    let dir = tempdir();
    let w = dir.path();
    let ok = |args: &[&str]| {
        let out = litmon().current_dir(w).args(args).output().expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    ok(&["data", "export", "-o", "ex"]);
    assert!(w.join("ex/jurisdictions.csv").is_file());
    assert!(w.join("ex/plans/wuhai_150300.toml").is_file());
    for cmd in [
        &["assess"][..],
        &["indicators"][..],
        &["project"][..],
        &["targets", "--year", "2030"][..],
    ] {
        let embedded = ok(&[cmd, &["--format", "csv"]].concat());
        let exported = ok(&[cmd, &["--format", "csv", "--data", "ex"]].concat());
        assert_eq!(embedded, exported, "{cmd:?}");
    }
    // Additions are exported too; an existing non-empty directory or a file name is refused.
    std::fs::write(
        w.join("j.csv"),
        "id,name_zh,name_en,level,parent\n150200,包头,Baotou,prefecture,150000\n",
    )
    .expect("write");
    ok(&["data", "export", "--jurisdictions", "j.csv", "-o", "ex2"]);
    let registry = std::fs::read_to_string(w.join("ex2/jurisdictions.csv")).expect("csv");
    assert!(registry.contains("\n150200,包头,Baotou,prefecture,150000,包头市,\n"));
    refused_in(
        w,
        &["data", "export", "-o", "ex"],
        &["new or empty directory"],
    );
    refused_in(
        w,
        &["data", "export", "-o", "x.csv"],
        &["a directory is expected"],
    );
    assert!(!w.join("x.csv").exists());
}

#[test]
fn sae_rows_filter_by_jurisdiction_and_level_without_changing_estimates() {
    let sae = |extra: &[&str]| {
        let out = litmon()
            .args([
                "--data",
                "tests/fixtures/sae/data",
                "--observations",
                "tests/fixtures/sae/direct_2022.csv",
                "sae",
                "--year",
                "2022",
                "--covariates",
                "tests/fixtures/sae/covariates.csv",
                "--format",
                "csv",
            ])
            .args(extra)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        csv_records(&out.stdout).1
    };
    let all = sae(&[]);
    // Every area still enters the model: the kept row is the full run's row.
    let one = sae(&["--jurisdiction", "忻州县02"]);
    let expected: Vec<_> = all.iter().filter(|r| r[0] == "140922").cloned().collect();
    assert_eq!(expected.len(), 1);
    assert_eq!(one, expected);
    let counties = sae(&["--level", "county"]);
    assert_eq!(
        counties.len(),
        all.iter()
            .filter(|r| r[0].len() == 6 && !r[0].ends_with("00"))
            .count()
    );
    assert!(sae(&["--level", "province"]).is_empty());
}
