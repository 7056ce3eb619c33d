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
        (
            t.columns_in(litmon::output::Unit::Percent),
            t.columns_in(litmon::output::Unit::Share),
        )
    };
    let (pct, shares) = marks("status");
    for c in ["baseline", "latest", "target", "projected", "lo80", "hi80"] {
        assert!(pct.contains(&c), "status {c}");
    }
    for c in ["p_reach", "p_reach_measured", "progress_share"] {
        assert!(shares.contains(&c), "status {c}");
    }
    // In column order (the contract's `median,lo80,hi80,lo95,hi95`).
    assert_eq!(
        marks("projections").0,
        ["median", "lo80", "hi80", "lo95", "hi95"]
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
    // report.docx: the same text as XML character data, never markup.
    let docx = unzip(&std::fs::read(out.join("report.docx")).expect("docx"));
    let document = String::from_utf8(docx["word/document.xml"].clone()).expect("UTF-8");
    assert!(!document.contains("<script>") && !document.contains("<b>"));
    assert!(document.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;方案&quot;"));
    assert!(w_text(&document).contains("<b>乌政发</b>"));
}

// ---- Issue 19: the report for the end of a plan period -------------------------------

/// The national 2024 and 2025 values (16.74 > 15) and a 2026–2030 national plan
/// (target above 20 % by 2030), as a user would add them before the embedded data has them.
fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/report")
        .join(name)
}

/// Runs `litmon report` with `args` into a fresh directory; returns (dir guard, out dir).
fn report_dir(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempdir();
    let out = dir.path().join("out");
    litmon()
        .arg("report")
        .args(args)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    (dir, out)
}

fn read(out: &std::path::Path, f: &str) -> String {
    std::fs::read_to_string(out.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"))
}

/// The text of report.md between the heading starting with `from` and the next `## `.
fn md_section<'a>(md: &'a str, from: &str) -> &'a str {
    let start = md.find(from).unwrap_or_else(|| panic!("no {from}"));
    let rest = &md[start + from.len()..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

/// report.html's own words as a reader sees them: styles dropped, tags removed; the charts'
/// SVG (their footers are the charts' own credit lines, `src/chart`) dropped too.
fn visible_html(html: &str) -> String {
    let mut s = html.to_string();
    for (open, close) in [("<style", "</style>"), ("<svg", "</svg>")] {
        while let Some(a) = s.find(open) {
            let Some(b) = s[a..].find(close) else { break };
            s.replace_range(a..a + b + close.len(), " ");
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

const OBS_2025: &str = "national_2024_2025.csv";
const PLAN_2030: &str = "national_2026_2030.toml";

/// Headline counts of report.md's cover, by group: the bold group line (which is also the
/// group's subheading in section 一) → (status words → count).
fn cover_counts(md: &str) -> Vec<(String, Vec<(String, usize)>)> {
    let cover = &md[..md.find("\n## ").expect("sections")];
    let mut out: Vec<(String, Vec<(String, usize)>)> = Vec::new();
    for line in cover.lines() {
        if let Some(g) = line.strip_prefix("**").and_then(|l| l.strip_suffix("**")) {
            if !g.ends_with('：') {
                out.push((g.to_string(), Vec::new()));
            }
        } else if let (Some(item), Some(last)) = (line.strip_prefix("- "), out.last_mut()) {
            let (words, n) = item.rsplit_once('：').expect("count");
            last.1.push((words.to_string(), n.parse().expect("number")));
        }
    }
    out
}

/// The table rows (not header or rule) of report.md under the subheading `#### heading`,
/// up to the next `#### ` or section.
fn group_rows<'a>(md: &'a str, heading: &str) -> Vec<&'a str> {
    let from = format!("#### {heading}\n");
    let start = md
        .find(&from)
        .unwrap_or_else(|| panic!("no group {heading}"))
        + from.len();
    let rest = &md[start..];
    let end = [rest.find("\n#### "), rest.find("\n## ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    let lines: Vec<&str> = rest[..end].lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            l.starts_with("| ") && !lines.get(i + 1).is_some_and(|n| n.starts_with("|---"))
        })
        .map(|(_, l)| *l)
        .collect()
}

/// Issue 19 item 6: with the 2025 value measured and a 2026–2030 plan beside the
/// 2021–2025 one, the title says both, the headline counts equal the rows of the tables they
/// head, and each plan period has its own section and text (the 2030 target described).
#[test]
fn end_of_period_report_follows_the_periods_present() {
    let obs = fixture(OBS_2025);
    let plan = fixture(PLAN_2030);
    let (_d, out) = report_dir(&[
        "--observations",
        obs.to_str().expect("path"),
        "--plans",
        plan.to_str().expect("path"),
    ]);
    let md = read(&out, "report.md");
    let title = md.lines().next().expect("title");
    assert_eq!(
        title,
        "# 全民科学素质行动规划纲要实施方案终期评估与2026—2030年监测报告（截至2025年）"
    );

    // Headline counts = the rows of each table, status by status.
    let groups = cover_counts(&md);
    assert_eq!(groups.len(), 2, "{groups:?}");
    assert!(groups[0].0.starts_with("终期评估"), "{groups:?}");
    for (heading, counts) in &groups {
        let rows = group_rows(&md, heading);
        let total: usize = counts.iter().map(|c| c.1).sum();
        assert_eq!(total, rows.len(), "{heading}");
        assert!(
            heading.contains(&format!("（{}项）", rows.len())),
            "{heading}"
        );
        for (words, n) in counts {
            let in_table = rows.iter().filter(|r| r.contains(words.as_str())).count();
            assert_eq!(in_table, *n, "{heading}: {words}");
        }
    }
    // The nation's 2025 target (above 15) measured at 16.74: achieved, in the final table.
    let final_rows = group_rows(&md, &groups[0].0);
    let nation = final_rows
        .iter()
        .find(|r| r.contains("100000"))
        .expect("national final row");
    assert!(
        nation.contains("16.74") && nation.contains("◆ 已达标"),
        "{nation}"
    );
    assert_eq!(groups[0].1[0].0, "◆ 已达标");
    assert!(groups[0].1[0].1 >= 1, "{groups:?}");

    // Two national sections, each with its own text; the 2030 target is described.
    let html = read(&out, "report.html");
    assert!(html.contains("id=\"plan-100000\""));
    assert!(html.contains("id=\"plan-100000-2026\""));
    let plans = md_section(&md, "## 二、各实施方案");
    let national: Vec<&str> = plans
        .split("\n### ")
        .filter(|s| s.contains(" 全国 — "))
        .collect();
    assert_eq!(national.len(), 2, "{plans}");
    let heading = |s: &str| s.lines().next().unwrap_or("").to_string();
    assert!(
        heading(national[0]).ends_with("终期评估）"),
        "{}",
        heading(national[0])
    );
    assert!(national[0].contains("2025年实测16.74%"));
    assert!(
        heading(national[1]).ends_with("（监测）"),
        "{}",
        heading(national[1])
    );
    assert!(national[1].contains("2030年超过20.00%"));
    assert!(!national[1].contains("2025年实测"), "{}", national[1]);
    let body = |s: &str| {
        s.split_once('\n')
            .map(|x| x.1.to_string())
            .unwrap_or_default()
    };
    assert_ne!(body(national[0]), body(national[1]));
    // Ended periods come first.
    assert!(plans.find("终期评估）") < plans.find("（监测）"));
}

/// The title at other as-of years: only ended periods → 终期评估; --as-of 2023 → 中期.
#[test]
fn report_title_follows_the_as_of_year() {
    let obs = fixture(OBS_2025);
    let rep = report(None, Lang::Zh, &[obs.to_str().expect("path")]);
    assert_eq!(
        rep.title(),
        "全民科学素质行动规划纲要实施方案终期评估报告（截至2025年）"
    );
    let rep = report(None, Lang::En, &[obs.to_str().expect("path")]);
    assert!(
        rep.title().starts_with("Final evaluation of"),
        "{}",
        rep.title()
    );
    let plan = fixture(PLAN_2030);
    let (_d, out) = report_dir(&[
        "--as-of",
        "2023",
        "--observations",
        obs.to_str().expect("path"),
        "--plans",
        plan.to_str().expect("path"),
    ]);
    let md = read(&out, "report.md");
    assert!(
        md.starts_with("# 全民科学素质行动规划纲要实施方案中期评估报告（截至2023年）"),
        "{}",
        md.lines().next().unwrap_or("")
    );
}

/// The methods section is produced from the model that made the numbers: it names
/// local_angular by default and logit_wls with `--model logit_wls`, and the two differ.
#[test]
fn methods_name_the_model_that_made_the_numbers() {
    let methods_of = |args: &[&str]| {
        let (_d, out) = report_dir(args);
        let md = read(&out, "report.md");
        let status = read(&out, "tables/status.csv");
        (md_section(&md, "## 四、方法说明").to_string(), status)
    };
    let (default, status) = methods_of(&[]);
    let (logit, logit_status) = methods_of(&["--model", "logit_wls"]);
    assert_ne!(default, logit);
    assert!(default.contains("（local_angular，角度尺度）"), "{default}");
    assert!(!default.contains("logit_wls"));
    assert!(logit.contains("（logit_wls，"), "{logit}");
    assert!(!logit.contains("local_angular"));
    // The tables' model column agrees with the model the methods name.
    assert!(status.contains(",local_angular"));
    assert!(!status.contains(",logit_"));
    assert!(logit_status.contains(",logit_"));
    assert!(!logit_status.contains(",local_angular"));
    // Hyperparameters of the fit are stated (κ and the window for the default).
    // κ as the methods print it: below 0.01 three significant digits (9.11e-3), else 4
    // decimals, trailing zeros dropped (0.146 for 0.14600…).
    let short = |x: f64| {
        if x < 0.01 {
            format!("{x:.2e}")
        } else {
            format!("{x:.4}").trim_end_matches('0').to_string()
        }
    };
    let kappa = short(litmon::trend::local::NOISE_SCALE);
    assert!(
        default.contains(&format!("κ={kappa}（")),
        "{kappa}: {default}"
    );
    // And the top series' own factor κ₀, the same way.
    let k0 = short(litmon::trend::local::ROOT_NOISE_SCALE);
    assert!(default.contains(&format!("κ₀={k0}）")), "{k0}: {default}");
    // The nested acceleration, as the methods print it (3 significant digits below 0.01).
    let accel = format!("{:.2e}", litmon::trend::local::ACCEL);
    assert!(
        default.contains(&format!("加速修正a={accel}")),
        "{accel}: {default}"
    );
    assert!(default.contains("w=5年"), "{default}");
    assert!(logit.contains("h=5年") && logit.contains("d₀=4"), "{logit}");
}

/// Figures are credited by publisher and date; no web address or carrying-site host shows
/// in report.html's visible text or report.md (tables/sources.csv keeps them); the user's
/// own file is credited as the user's data without its file name.
#[test]
fn report_text_credits_publishers_not_carrying_sites() {
    let obs = fixture(OBS_2025);
    let (_d, out) = report_dir(&["--observations", obs.to_str().expect("path")]);
    let html = visible_html(&read(&out, "report.html"));
    let md = read(&out, "report.md");
    let sources = read(&out, "tables/sources.csv");
    let hosts: BTreeSet<String> = sources
        .split("://")
        .skip(1)
        .map(|rest| {
            rest.split(['/', ',', '"', '\n', '?'])
                .next()
                .unwrap_or("")
                .to_string()
        })
        .filter(|h| h.contains('.'))
        .collect();
    assert!(hosts.len() >= 5, "sources.csv keeps the pages: {hosts:?}");
    for text in [&html, &md] {
        assert!(!text.contains("http"), "a web address in the report's text");
        for h in &hosts {
            assert!(!text.contains(h.as_str()), "host {h} in the report's text");
        }
        assert!(
            !text.contains("national_2024_2025"),
            "a file name in the text"
        );
    }
    assert!(md.contains("- 全国2025年数值：用户提供的数据（文件名不写出）"));
    assert!(md.contains("- 中国科协：第十三次中国公民科学素质抽样调查结果（中新社，2024-04-16）"));
}

/// Citations that name a carrying site lose the host, keep the publisher and date.
#[test]
fn citations_lose_carrying_site_hosts() {
    use litmon::report::without_hosts;
    for (cite, credit) in [
        (
            "转引自 dbsqp.com 转载的马亚宁报道（2021-02，述第十一次调查并引上海2010年值）",
            "马亚宁报道（2021-02，述第十一次调查并引上海2010年值）",
        ),
        (
            "湖北省《全民科学素质行动规划纲要实施方案（2021—2025年）》（转引自 haofa2u.com）",
            "湖北省《全民科学素质行动规划纲要实施方案（2021—2025年）》",
        ),
        (
            "江苏广电（2023-08-04），引第十二次中国公民科学素质抽样调查（转引自 67qn.com）",
            "江苏广电（2023-08-04），引第十二次中国公民科学素质抽样调查",
        ),
        (
            "中国科协：第十三次中国公民科学素质抽样调查结果（中新社，2024-04-16）",
            "中国科协：第十三次中国公民科学素质抽样调查结果（中新社，2024-04-16）",
        ),
        ("see https://example.org/x.html", "see"),
    ] {
        assert_eq!(without_hosts(cite), credit);
    }
}

/// A report restricted to one place holds its plan, its ancestors' rows as context and only
/// their sources.
#[test]
fn restricted_report_holds_the_place_its_ancestors_and_their_sources() {
    let (_d, out) = report_dir(&["--jurisdiction", "乌海"]);
    let html = read(&out, "report.html");
    let anchors: Vec<&str> = html
        .match_indices("id=\"plan-")
        .map(|(i, _)| &html[i + 9..i + 9 + html[i + 9..].find('"').expect("quote")])
        .collect();
    assert_eq!(anchors, ["150300"]);
    let md = read(&out, "report.md");
    assert!(md.contains("#### 上级地区（仅供参照，不计入上述统计）"));
    let allowed = ["150300", "150000", "100000"];
    let sources = read(&out, "tables/sources.csv");
    let mut seen = BTreeSet::new();
    for line in sources.lines().skip(1) {
        let id = line.split(',').nth(1).expect("jurisdiction");
        assert!(allowed.contains(&id), "source of {id}: {line}");
        seen.insert(id.to_string());
    }
    assert!(
        seen.contains("150300") && seen.contains("100000"),
        "{seen:?}"
    );
    // The context rows are not counted in the headline.
    let groups = cover_counts(&md);
    let total: usize = groups.iter().flat_map(|g| g.1.iter().map(|c| c.1)).sum();
    assert_eq!(total, 1, "乌海's one 2025 target: {groups:?}");
}

// ---- Issue 22: the report in Word ------------------------------------------------------

/// The parts of a zip archive by name.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, Vec<u8>> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("report.docx is a zip");
    let mut out = std::collections::BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).expect("zip entry");
        let mut b = Vec::new();
        f.read_to_end(&mut b).expect("zip entry read");
        out.insert(f.name().to_string(), b);
    }
    out
}

/// XML text content: `&lt; &gt; &quot; &apos; &amp;` back to characters.
fn xml_text(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of every `<w:t>` inside `xml`, concatenated.
fn w_text(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(a) = rest.find("<w:t") {
        let after = &rest[a + 4..];
        // `<w:t>` or `<w:t xml:space=…>`, not `<w:tbl>`, `<w:tc>`, `<w:tr>`…
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let open = after.find('>').expect("tag end");
        let close = after.find("</w:t>").expect("</w:t>");
        out.push_str(&xml_text(&after[open + 1..close]));
        rest = &after[close..];
    }
    out
}

/// The pieces of `xml` between each `open` (a tag name followed by `>` or a space) and the
/// next `close`.
fn elements<'a>(xml: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(a) = rest.find(open) {
        let after = &rest[a + open.len()..];
        if !(after.starts_with('>') || after.starts_with(' ')) {
            rest = after;
            continue;
        }
        let end = after.find(close).expect("closing tag");
        out.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    out
}

/// Every table row of document.xml as its cells' texts.
fn docx_rows(document: &str) -> Vec<Vec<String>> {
    elements(document, "<w:tr", "</w:tr>")
        .into_iter()
        .map(|tr| {
            elements(tr, "<w:tc", "</w:tc>")
                .into_iter()
                .map(w_text)
                .collect()
        })
        .collect()
}

/// A report.md table row's cells as text: Markdown's backslash escapes and `**` removed.
fn md_cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches("| ").trim_end_matches(" |");
    inner
        .split(" | ")
        .map(|c| {
            let mut s = String::new();
            let mut chars = c.chars().peekable();
            while let Some(ch) = chars.next() {
                if ch == '\\' {
                    if let Some(n) = chars.next() {
                        s.push(n);
                    }
                } else {
                    s.push(ch);
                }
            }
            s.replace("**", "")
        })
        .collect()
}

/// Issue 22, "the report in Word": report.docx is a WordprocessingML package holding the
/// title, every row of the status tables as a Word table row with the same cell texts as
/// report.md, one picture per chart report.md shows (the very bytes of charts/*.png), the
/// fonts 宋体 and 黑体; it is listed in the manifest and a rerun gives the same bytes.
#[test]
fn report_docx_holds_the_title_tables_and_charts() {
    let (_d, out) = report_dir(&[]);
    let docx = std::fs::read(out.join("report.docx")).expect("report.docx");
    let parts = unzip(&docx);
    for p in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/_rels/document.xml.rels",
    ] {
        assert!(parts.contains_key(p), "report.docx lacks {p}");
    }
    let s = |p: &str| String::from_utf8(parts[p].clone()).expect("UTF-8 XML");
    let document = s("word/document.xml");
    let styles = s("word/styles.xml");
    let rels = s("word/_rels/document.xml.rels");
    let md = read(&out, "report.md");

    // The title, as report.md's first line gives it, in the Title paragraph.
    let title = md
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .expect("md title");
    let first_para = elements(&document, "<w:p", "</w:p>")[0];
    assert!(first_para.contains(r#"<w:pStyle w:val="Title"/>"#));
    assert_eq!(w_text(first_para), title);

    // As many Word tables as report.md has (one `|---|` rule per table).
    let md_tables = md.lines().filter(|l| l.starts_with("|---")).count();
    assert!(md_tables >= 3, "{md_tables}");
    assert_eq!(document.matches("<w:tbl>").count(), md_tables);

    // Every row of section 一 (the status tables) is a Word row with the same cells, and
    // every jurisdiction of tables/status.csv appears in a cell.
    let rows = docx_rows(&document);
    let status_md = md_section(&md, "## 一、");
    let mut checked = 0;
    for line in status_md.lines().filter(|l| l.starts_with("| ")) {
        let cells = md_cells(line);
        if cells.iter().any(|c| c.contains("（80%区间）")) {
            continue; // header: HTML's wording "预测或实测" in Word, "预测" in Markdown
        }
        assert!(rows.contains(&cells), "no Word row {cells:?}");
        checked += 1;
    }
    let (_, csv_rows) = crate::common::parse_csv(read(&out, "tables/status.csv").as_bytes());
    assert!(checked >= csv_rows.len(), "{checked} rows checked");
    for r in &csv_rows {
        let name = &r["name_zh"];
        assert!(
            rows.iter().flatten().any(|c| c.contains(name.as_str())),
            "{name} in no table cell"
        );
    }

    // One image relationship and one picture part per chart report.md shows, with the
    // bytes of its charts/*.png.
    let shown: BTreeSet<&str> = md
        .match_indices("](charts/")
        .map(|(i, _)| {
            let rest = &md[i + 2..];
            &rest[..rest.find(')').expect("link end")]
        })
        .collect();
    assert!(shown.len() >= 2, "{shown:?}");
    let image_rels = rels.matches("relationships/image\"").count();
    assert_eq!(image_rels, shown.len());
    let media: Vec<&Vec<u8>> = parts
        .iter()
        .filter(|(k, _)| k.starts_with("word/media/") && k.ends_with(".png"))
        .map(|(_, v)| v)
        .collect();
    assert_eq!(media.len(), shown.len());
    for chart in &shown {
        let png = std::fs::read(out.join(chart)).expect("chart png");
        assert_eq!(
            media.iter().filter(|m| ***m == png).count(),
            1,
            "{chart} is not pictured once"
        );
    }
    // Each relationship's picture is placed in the text.
    for rid in elements(&rels, "<Relationship", "/>")
        .iter()
        .filter(|r| r.contains("relationships/image\""))
        .map(|r| {
            r.split("Id=\"")
                .nth(1)
                .and_then(|x| x.split('"').next())
                .expect("Id")
        })
    {
        assert!(
            document.contains(&format!("r:embed=\"{rid}\"")),
            "{rid} unused"
        );
    }

    // Chinese fonts named: 宋体 for the body, 黑体 for the headings.
    assert!(styles.contains(r#"w:eastAsia="宋体""#));
    assert!(styles.contains(r#"w:eastAsia="黑体""#));
    let h1 = elements(&styles, "<w:style", "</w:style>")
        .into_iter()
        .find(|st| st.contains(r#"w:styleId="Heading1""#))
        .expect("Heading 1 style");
    assert!(h1.contains(r#"w:eastAsia="黑体""#));
    // A4 portrait: 210 × 297 mm = 11906 × 16838 twips (mm × 1440 / 25.4).
    assert!(document.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));

    // Listed in the manifest with its size.
    let manifest = read(&out, ".litmon-report");
    assert!(manifest
        .lines()
        .any(|l| l.ends_with(&format!(" {} report.docx", docx.len()))));

    // Deterministic: a second run gives the same bytes.
    let (_d2, out2) = report_dir(&[]);
    assert_eq!(
        std::fs::read(out2.join("report.docx")).expect("rerun"),
        docx
    );
}
