//! The evaluation report and the `indicators` command.

use std::collections::BTreeSet;

use litmon::assess::StatusRule;
use litmon::data::{load, LoadOptions};
use litmon::model::Lang;
use litmon::report::{build, narrative, ReportOptions};
use litmon::trend::TrendConfig;

use crate::common::tempdir;
use crate::litmon;

fn report(as_of: Option<i32>, lang: Lang, observations: &[&str]) -> litmon::report::Report {
    let mut ds = load(&LoadOptions {
        observations: observations.iter().map(Into::into).collect(),
        ..LoadOptions::default()
    })
    .expect("dataset");
    if let Some(y) = as_of {
        ds.restrict_to(y);
    }
    build(
        &ds,
        &ReportOptions {
            as_of,
            lang,
            jurisdictions: Vec::new(),
            level: None,
            trend: TrendConfig::default(),
            embed_font: false,
        },
    )
    .expect("report")
}

#[test]
fn report_command_writes_html_markdown_charts_and_tables() {
    let dir = tempdir();
    let out = dir.path().join("out");
    litmon().args(["report", "-o"]).arg(&out).assert().success();
    let html = std::fs::read_to_string(out.join("report.html")).expect("html");
    let md = std::fs::read_to_string(out.join("report.md")).expect("md");
    // Self-contained: no scripts, stylesheets or images fetched from elsewhere.
    for bad in ["<script", "<link", "src=\"http", "url(http", "<img"] {
        assert!(!html.contains(bad), "report.html contains {bad}");
    }
    assert!(html.contains("<svg"), "inline SVG charts");
    // A section for each seed plan and every jurisdiction with a literacy target.
    // Sections are anchored by jurisdiction code, not by plan file name.
    for id in [
        "640000", "150300", "630000", "140922", "150600", "100000", "370000", "371000",
    ] {
        assert!(
            html.contains(&format!("id=\"plan-{id}\"")),
            "no section for {id}"
        );
    }
    assert!(md.contains("charts/dashboard.png"));
    assert!(md.contains("charts/trajectory-150300.png"));
    for f in [
        "charts/dashboard.png",
        "charts/dashboard.svg",
        "charts/trajectory-140922.png",
        "charts/trajectory-140922.svg",
        "tables/status.csv",
        "tables/projections.csv",
        "tables/indicators.csv",
        "tables/inputs.csv",
        "tables/report.xlsx",
    ] {
        assert!(out.join(f).exists(), "missing {f}");
    }
    let inputs = std::fs::read_to_string(out.join("tables/inputs.csv")).expect("inputs");
    assert!(inputs.contains("embedded:data/observations.csv"));
}

/// The numbers written in a paragraph (digits with an optional decimal part).
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !cur.is_empty()) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(cur.trim_end_matches('.').to_string());
            cur.clear();
        }
    }
    out
}

#[test]
fn wuhai_and_wutai_narratives_use_their_table_rows() {
    for lang in [Lang::Zh, Lang::En] {
        let rep = report(None, lang, &[]);
        for id in ["150300", "140922"] {
            let sec = rep
                .sections
                .iter()
                .find(|s| s.jurisdiction == id)
                .expect("section");
            let row = sec.row.as_ref().expect("row");
            let text = &sec.narrative;
            let f = |v: Option<f64>| format!("{:.2}", v.expect("value"));
            let (need, pace) =
                narrative::on_track_requirement(row, &StatusRule::default()).expect("requirement");
            let mut allowed: BTreeSet<String> = [
                f(row.baseline),
                f(row.latest),
                f(Some(row.target)),
                f(row.required_per_year),
                f(row.projected),
                f(row.lo80),
                f(row.hi80),
                f(row.p_reach),
                f(row.detail.model_pace_pp),
                format!("{need:.2}"),
                format!("{pace:.2}"),
                format!("{:.2}", StatusRule::default().on_track_p),
            ]
            .into_iter()
            .collect();
            for y in [row.baseline_year, row.latest_year, Some(row.target_year)]
                .into_iter()
                .flatten()
            {
                allowed.insert(y.to_string());
            }
            allowed.insert("80".into()); // "80% interval"
            for n in numbers(text) {
                assert!(
                    allowed.contains(&n),
                    "{id} {lang:?}: {n} is not from the row: {text}"
                );
            }
            // And the key values are all there.
            for v in [
                f(row.required_per_year),
                f(row.projected),
                f(row.p_reach),
                f(row.baseline),
            ] {
                assert!(text.contains(&v), "{id}: {v} missing from {text}");
            }
        }
    }
}

#[test]
fn as_of_gives_the_midterm_view() {
    let rep = report(Some(2022), Lang::Zh, &[]);
    assert_eq!(rep.as_of, 2022);
    let nation = rep
        .rows
        .iter()
        .find(|r| r.jurisdiction == "100000")
        .expect("nation");
    assert_eq!(
        nation.latest_year,
        Some(2022),
        "2023 ignored at --as-of 2022"
    );
    assert!(rep.title().contains("中期评估"));
    // Share of a 2021–2025 period elapsed: 2/5 at the end of 2022, 3/5 at the end of 2023.
    assert!(rep
        .progress
        .iter()
        .all(|p| p.period != [2021, 2025] || p.pace.share_elapsed == 0.4));
    let rep = report(Some(2023), Lang::Zh, &[]);
    let p = rep
        .progress
        .iter()
        .find(|p| p.period == [2021, 2025])
        .expect("a 2021–2025 target");
    assert_eq!(p.pace.share_elapsed, 0.6);
}

#[test]
fn report_markdown_snapshot() {
    let dir = tempdir();
    let out = dir.path().join("out");
    litmon().args(["report", "-o"]).arg(&out).assert().success();
    let md = std::fs::read_to_string(out.join("report.md")).expect("md");
    insta::assert_snapshot!("report_md", md);
}

#[test]
fn indicators_command_on_a_progress_file() {
    let out = litmon()
        .args([
            "indicators",
            "--observations",
            "tests/fixtures/progress/ordos.csv",
            "--as-of",
            "2023",
            "--format",
            "csv",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with(
        "jurisdiction,plan,indicator,name_zh,kind,unit,target,done,share_done,share_elapsed,required_per_year,projected_end,status,reason\n"
    ));
    let row = |id: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.starts_with("150600,") && l.contains(&format!(",{id},")))
            .unwrap_or_else(|| panic!("no row {id}"))
            .split(',')
            .map(String::from)
            .collect()
    };
    // Farmers: 1100 + 1300 + 1200 = 3600 of 6000 → 0.6; (6000 − 3600)/2 = 1200 a year;
    // 3600/3·5 = 6000 at the current pace → on track.
    let r = row("high_quality_farmers_trained");
    assert_eq!(
        &r[7..13],
        ["3600", "0.6", "0.6", "1200", "6000", "on_track"]
    );
    // Demonstration schools: 4 + 6 + 7 = 17 of 25 → 0.68; (25 − 17)/2 = 4; 17/3·5 = 28.33…
    let r = row("science_demo_schools_named");
    assert_eq!(&r[7..11], ["17", "0.68", "0.6", "4"]);
    // Written in full (shortest round-trip form), no longer rounded to 10 decimals.
    let projected: f64 = r[11].parse().expect("projected_end");
    assert!((projected - 85.0 / 3.0).abs() < 1e-12, "{}", r[11]);
    assert!(r[11].len() > 14, "{}", r[11]);
    // Innovation talents: 270 of 1000; 450 projected → 0.45 < 0.6 → off track.
    let r = row("innovation_talents_trained");
    assert_eq!(&r[7..13], ["270", "0.27", "0.6", "365", "450", "off_track"]);
    // Volunteers (level): 60000 (2020) → 78000 (2023): (78000 − 60000)/(100000 − 60000) = 0.45;
    // (100000 − 78000)/2 = 11000 a year; 78000 + 6000·2 = 90000 → (90000 − 60000)/40000 = 0.75 → at risk.
    let r = row("volunteers_registered");
    assert_eq!(
        &r[7..13],
        ["78000", "0.45", "0.6", "11000", "90000", "at_risk"]
    );
    // Student participation: 86 + 8·2 = 102, clipped at 100 %.
    let r = row("student_participation_rate");
    assert_eq!(r[11], "100");
    // Without progress rows: no_data.
    assert!(text
        .lines()
        .any(|l| l.contains(",kepu_china_info_officers_registered,") && l.contains(",no_data,")));
}

/// Issue 14: the report's checksums are those of the files the loader read, spreadsheets
/// included (a `--data` folder holding `jurisdictions.xlsx` and `observations.xlsx`).
#[test]
fn report_checksums_every_file_the_loader_read_including_xlsx() {
    use sha2::{Digest, Sha256};
    let data = std::path::Path::new("tests/fixtures/io/xlsx_data");
    let dir = tempdir();
    let out = dir.path().join("out");
    litmon()
        .args(["report", "--data"])
        .arg(data)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let inputs = std::fs::read_to_string(out.join("tables/inputs.csv")).expect("inputs");
    let rows: Vec<&str> = inputs.lines().skip(1).collect();
    let expected: Vec<String> = [
        "jurisdictions.xlsx",
        "observations.xlsx",
        "plans/150300.toml",
    ]
    .iter()
    .map(|f| {
        let path = data.join(f);
        let bytes = std::fs::read(&path).expect("fixture");
        let sha: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("{},{sha},{}", path.display(), bytes.len())
    })
    .collect();
    assert_eq!(rows, expected);
    // The traceability table names each file by what it is, not by its extension.
    let md = std::fs::read_to_string(out.join("report.md")).expect("md");
    assert!(md.contains("| 用户提供：地区名录 | `"), "{md}");
    assert!(md.contains("| 用户提供：调查观测值 | `"), "{md}");
}

/// Issue 14: tables/report.xlsx carries the number formats of `assess --format xlsx`
/// (values in percent with a % sign, shares in Excel's percent format): its status sheet
/// reads back exactly as the `assess` workbook does.
#[test]
fn report_xlsx_has_the_number_formats_of_assess_xlsx() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let assess = dir.path().join("assess.xlsx");
    litmon().args(["report", "-o"]).arg(&out).assert().success();
    litmon()
        .args(["assess", "-o"])
        .arg(&assess)
        .assert()
        .success();
    let read = |p: &std::path::Path| {
        let bytes = std::fs::read(p).expect("xlsx");
        litmon::data::table_from_bytes("t.xlsx", &bytes, &Default::default())
            .expect("read xlsx")
            .rows
            .into_iter()
            .map(|r| r.cells)
            .collect::<Vec<_>>()
    };
    let status = read(&out.join("tables/report.xlsx"));
    assert_eq!(status, read(&assess));
    // Through the library: the builders attach the formats, whichever writer runs.
    let rep = report(None, Lang::Zh, &[]);
    let tables = litmon::report::report_tables(&rep).expect("tables");
    let marks = |name: &str| {
        let t = &tables.iter().find(|(n, _)| *n == name).expect("table").1;
        (t.percent_columns.clone(), t.share_columns.clone())
    };
    let (pct, shares) = marks("status");
    for c in ["baseline", "latest", "target", "projected", "lo80", "hi80"] {
        assert!(pct.contains(&c), "status {c}");
    }
    for c in ["p_reach", "p_reach_measured", "progress_share"] {
        assert!(shares.contains(&c), "status {c}");
    }
    assert_eq!(
        marks("projections").0,
        ["lo80", "hi80", "median", "lo95", "hi95"]
    );
    assert_eq!(marks("indicators").1, ["share_done", "share_elapsed"]);
}

/// Issue 14: report.html is written by an auto-escaping template engine: text from the
/// inputs (a plan's title and document number) never becomes markup.
#[test]
fn report_html_escapes_text_from_the_inputs() {
    let dir = tempdir();
    let plan = dir.path().join("plan.toml");
    std::fs::write(
        &plan,
        r#"[plan]
jurisdiction = "150300"
title_zh = "<script>alert(1)</script> & \"方案\""
document_no = "<b>乌政发</b>"
period = [2021, 2025]

[[indicator]]
id = "literacy_rate"
name_zh = "公民具备科学素质的比例"
unit = "pct"
kind = "level"
direction = "increase"
baseline = { year = 2020, value = 9.0 }
target = { year = 2025, value = 12.0 }
"#,
    )
    .expect("plan");
    let out = dir.path().join("out");
    litmon()
        .args(["report", "--jurisdiction", "150300", "--plans"])
        .arg(&plan)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).expect("html");
    assert!(!html.contains("<script>"));
    assert!(!html.contains("<b>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;方案&quot;"));
    assert!(html.contains("&lt;b&gt;乌政发&lt;/b&gt;"));
    let md = std::fs::read_to_string(out.join("report.md")).expect("md");
    assert!(
        md.contains("\\<script\\>alert(1)\\</script\\> \\& \"方案\""),
        "{md}"
    );
}
