//! One evaluation everywhere (issue 11): final evaluations of measured target years,
//! milestones, candidate targets for the next plans, `indicators` on the same footing as
//! `assess`, a 2026–2030 plan end to end, and a report for officials.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use litmon::assess::{assess, headline_rows, AssessConfig, Status};
use litmon::chart::TrajectoryChart;
use litmon::data::{load, LoadOptions};
use litmon::model::Lang;
use litmon::report::{build, ReportOptions};
use litmon::trend::TrendConfig;

use crate::common::{csv_rows, num, tempdir, Row};
use crate::litmon;

/// Writes an observations file with one extra row per `(jurisdiction, year, value, se)`.
fn observations(dir: &Path, name: &str, rows: &[(&str, &str, i32, f64, Option<f64>)]) -> PathBuf {
    let mut text = String::from("jurisdiction,indicator,year,value,se,n,source\n");
    for (j, ind, y, v, se) in rows {
        text.push_str(&format!(
            "{j},{ind},{y},{v},{},,test row\n",
            se.map(|s| s.to_string()).unwrap_or_default()
        ));
    }
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write observations");
    p
}

fn wuhai_2025(value: f64) -> (tempfile::TempDir, PathBuf) {
    let dir = tempdir();
    let p = observations(
        dir.path(),
        "wuhai2025.csv",
        &[("150300", "literacy_rate", 2025, value, Some(0.6))],
    );
    (dir, p)
}

/// Φ(0.5) and Φ(−0.4/0.6) (R: pnorm(0.5), pnorm(-0.4/0.6)).
const PHI_HALF: f64 = 0.691_462_461_274_013_1;
const PHI_MINUS_TWO_THIRDS: f64 = 0.252_492_537_546_922_9;
/// qnorm(0.9)
const Z90: f64 = 1.281_551_565_544_600_4;

/// The acceptance case: 乌海 measures 12.3 (se 0.6) in 2025 against its 12 % target.
/// Final evaluation by hand: achieved (12.3 ≥ 12, target worded 达到); model `measured`;
/// projected 12.3; 80 % interval 12.3 ∓ 1.2816 × 0.6 = 11.5311 – 13.0689;
/// P(true value ≥ 12) = Φ((12.3 − 12)/0.6) = Φ(0.5) = 0.6915.
#[test]
fn wuhai_measured_above_target_is_achieved_everywhere() {
    let (_dir, obs) = wuhai_2025(12.3);
    let obs_s = obs.to_str().expect("utf-8 path");
    let rows = csv_rows(&["assess", "--observations", obs_s]);
    let r = rows
        .iter()
        .find(|r| r["jurisdiction"] == "150300" && r["target_year"] == "2025")
        .expect("乌海 2025 row");
    assert_eq!(r["status"], "achieved");
    assert_eq!(r["official_category"], "achieved");
    assert_eq!(r["model"], "measured");
    assert!((num(r, "projected") - 12.3).abs() < 1e-9);
    assert!((num(r, "lo80") - (12.3 - Z90 * 0.6)).abs() < 1e-9, "{r:?}");
    assert!((num(r, "hi80") - (12.3 + Z90 * 0.6)).abs() < 1e-9);
    assert!(
        (num(r, "p_reach") - PHI_HALF).abs() < 1e-9,
        "{}",
        r["p_reach"]
    );
    assert!(r["reason"].contains("0.50"), "z = 0.50 in {}", r["reason"]);

    // `project` has no row for the measured year.
    let proj = csv_rows(&["project", "--observations", obs_s]);
    assert!(!proj
        .iter()
        .any(|p| p["jurisdiction"] == "150300" && p["year"] == "2025"));

    // `indicators` reads the same evaluation.
    let ind = csv_rows(&["indicators", "--observations", obs_s]);
    let lit = ind
        .iter()
        .find(|p| p["jurisdiction"] == "150300" && p["indicator"] == "literacy_rate")
        .expect("乌海 literacy row");
    assert_eq!(lit["status"], "achieved");
    assert!((num(lit, "share_done") - num(r, "progress_share")).abs() < 1e-9);

    // The report narrative and the trajectory chart's subtitle.
    let (narr, subtitle) = narrative_and_subtitle(&obs);
    assert!(
        narr.contains("已达标") && !narr.contains("存在风险"),
        "{narr}"
    );
    assert!(
        subtitle.contains("已达标") && !subtitle.contains("存在风险"),
        "{subtitle}"
    );
}

/// 11.6 (se 0.6) against 12: not achieved; P = Φ(−0.4/0.6) = 0.2525.
#[test]
fn wuhai_measured_below_target_is_not_achieved_everywhere() {
    let (_dir, obs) = wuhai_2025(11.6);
    let obs_s = obs.to_str().expect("utf-8 path");
    let rows = csv_rows(&["assess", "--observations", obs_s]);
    let r = rows
        .iter()
        .find(|r| r["jurisdiction"] == "150300")
        .expect("乌海 row");
    assert_eq!(r["status"], "not_achieved");
    assert_ne!(r["official_category"], "achieved");
    assert_eq!(r["model"], "measured");
    assert!((num(r, "p_reach") - PHI_MINUS_TWO_THIRDS).abs() < 1e-9);
    let ind = csv_rows(&["indicators", "--observations", obs_s]);
    let lit = ind
        .iter()
        .find(|p| p["jurisdiction"] == "150300" && p["indicator"] == "literacy_rate")
        .expect("乌海 literacy row");
    assert_eq!(lit["status"], "not_achieved");
    assert_eq!(lit["required_per_year"], "", "no pace for an ended period");
    let (narr, subtitle) = narrative_and_subtitle(&obs);
    assert!(
        narr.contains("未达标") && !narr.contains("存在风险"),
        "{narr}"
    );
    assert!(subtitle.contains("未达标"), "{subtitle}");
}

/// 超过 "above" is strict: the nation measuring exactly 15.0 in 2025 misses "over 15 %",
/// with P = Φ(0) = 0.5; a 达到 target met exactly (乌海 12.0) is achieved.
#[test]
fn qualifier_above_is_strict_and_at_least_is_not() {
    let dir = tempdir();
    let obs = observations(
        dir.path(),
        "exact.csv",
        &[
            ("100000", "literacy_rate", 2025, 15.0, Some(0.5)),
            ("150300", "literacy_rate", 2025, 12.0, None),
        ],
    );
    let rows = csv_rows(&["assess", "--observations", obs.to_str().expect("utf-8")]);
    let nation = rows
        .iter()
        .find(|r| r["jurisdiction"] == "100000" && r["target_year"] == "2025")
        .expect("nation 2025");
    assert_eq!(nation["status"], "not_achieved");
    assert!((num(nation, "p_reach") - 0.5).abs() < 1e-12);
    let wuhai = rows
        .iter()
        .find(|r| r["jurisdiction"] == "150300")
        .expect("乌海");
    assert_eq!(wuhai["status"], "achieved");
    // No se: the prefecture's typical sample gives one; the value sits on the target, so
    // P(true value ≥ 12) = Φ(0) = 0.5 whatever the se (issue 19: every value has an error).
    assert!((num(wuhai, "p_reach") - 0.5).abs() < 1e-12);
    assert_eq!(num(wuhai, "p_reach_measured"), 1.0);
}

/// The national outline: 15 % ("above") by 2025 and 25 % by 2035, one row each, each with a
/// probability; with 2025 measured the charts and report move on to 2035.
#[test]
fn nation_has_one_row_per_milestone() {
    let rows = csv_rows(&["assess"]);
    let nation: Vec<&Row> = rows
        .iter()
        .filter(|r| r["jurisdiction"] == "100000")
        .collect();
    assert_eq!(nation.len(), 2);
    assert_eq!(
        (nation[0]["target_year"].as_str(), num(nation[0], "target")),
        ("2025", 15.0)
    );
    assert_eq!(
        (nation[1]["target_year"].as_str(), num(nation[1], "target")),
        ("2035", 25.0)
    );
    for r in &nation {
        let p = num(r, "p_reach");
        assert!((0.0..=1.0).contains(&p), "{p}");
    }
    // `project --to 2035` reaches the second milestone.
    let proj = csv_rows(&["project", "--to", "2035"]);
    assert!(proj
        .iter()
        .any(|p| p["jurisdiction"] == "100000" && p["year"] == "2035"));

    let ds = load(&LoadOptions::default()).expect("dataset");
    let all = assess(&ds, &AssessConfig::new("literacy_rate"));
    let head = headline_rows(&all);
    let n = head
        .iter()
        .find(|r| r.jurisdiction == "100000")
        .expect("nation");
    assert_eq!(
        n.target_year, 2035,
        "2025 measured (16.74): next milestone 2035"
    );
    // As of 2024 the 2025 target is still open: it is the headline.
    let mut ds = ds;
    ds.restrict_to(2024);
    let mut cfg = AssessConfig::new("literacy_rate");
    cfg.as_of = Some(2024);
    let head = headline_rows(&assess(&ds, &cfg));
    let n = head
        .iter()
        .find(|r| r.jurisdiction == "100000")
        .expect("nation");
    assert_eq!(n.target_year, 2025, "as of 2024, 2025 not yet measured");
}

/// P = 0.9, 0.5, 0.1 equal `project --to 2030`'s lo80, median and hi80 in 2030, for every
/// jurisdiction (one predictive distribution).
#[test]
fn targets_equal_project_quantiles() {
    let t = csv_rows(&[
        "targets",
        "--year",
        "2030",
        "--probability",
        "0.9",
        "--probability",
        "0.5",
        "--probability",
        "0.1",
    ]);
    let p = csv_rows(&["project", "--to", "2030"]);
    let p2030: HashMap<&str, &Row> = p
        .iter()
        .filter(|r| r["year"] == "2030")
        .map(|r| (r["jurisdiction"].as_str(), r))
        .collect();
    assert!(p2030.len() > 50, "{} jurisdictions", p2030.len());
    let mut checked = 0;
    for r in &t {
        let proj = p2030[r["jurisdiction"].as_str()];
        let col = match r["probability"].as_str() {
            "0.9" => "lo80",
            "0.5" => "median",
            "0.1" => "hi80",
            other => panic!("probability {other}"),
        };
        let (a, b) = (num(r, "target"), num(proj, col));
        assert!(
            (a - b).abs() <= 1e-9 * b.abs(),
            "{} P={}: {a} vs {col} {b}",
            r["jurisdiction"],
            r["probability"]
        );
        // required_per_year = (target − latest)/(2030 − latest_year)
        let req = (a - num(r, "latest")) / (2030.0 - num(r, "latest_year"));
        assert!((num(r, "required_per_year") - req).abs() < 1e-9);
        checked += 1;
    }
    assert_eq!(checked, 3 * p2030.len(), "every jurisdiction, three rows");
    let header = "jurisdiction,name_zh,indicator,latest_year,latest,target_year,probability,target,required_per_year";
    let out = litmon()
        .args([
            "targets", "--year", "2030", "--format", "csv", "--level", "national",
        ])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with(header), "{text}");
    assert_eq!(
        text.lines().count(),
        1 + 3,
        "nation only, default 0.8/0.5/0.2"
    );
}

/// `indicators`: the nation's literacy share done is `assess`'s progress share, and progress
/// rows of one jurisdiction leave every other plan's time elapsed unchanged.
#[test]
fn indicators_on_the_footing_of_assess() {
    let a = csv_rows(&["assess"]);
    let i = csv_rows(&["indicators"]);
    let nation_a = a
        .iter()
        .find(|r| r["jurisdiction"] == "100000" && r["target_year"] == "2025")
        .expect("nation");
    let nation_i = i
        .iter()
        .find(|r| {
            r["jurisdiction"] == "100000"
                && r["indicator"] == "literacy_rate"
                && r["target"] == "15"
        })
        .expect("nation indicators row");
    assert!((num(nation_i, "share_done") - num(nation_a, "progress_share")).abs() < 1e-12);
    // (16.74 − 10.56)/(15 − 10.56) = 1.3919…: the measured 2025 value from the 2020
    // baseline, not 1996's 0.2.
    assert!((num(nation_i, "share_done") - (16.74 - 10.56) / (15.0 - 10.56)).abs() < 1e-9);

    let dir = tempdir();
    let obs = observations(
        dir.path(),
        "ordos.csv",
        &[("150600", "science_demo_schools_named", 2025, 3.0, None)],
    );
    let with = csv_rows(&["indicators", "--observations", obs.to_str().expect("utf-8")]);
    assert_eq!(with.len(), i.len());
    for (x, y) in i.iter().zip(&with) {
        if x["jurisdiction"] != "150600" {
            assert_eq!(x["share_elapsed"], y["share_elapsed"], "{x:?}");
        }
    }
}

fn narrative_and_subtitle(obs: &Path) -> (String, String) {
    let ds = load(&LoadOptions {
        observations: vec![obs.to_path_buf()],
        ..LoadOptions::default()
    })
    .expect("dataset");
    let rep = build(
        &ds,
        &ReportOptions {
            as_of: None,
            lang: Lang::Zh,
            jurisdictions: vec!["150300".into()],
            level: None,
            trend: TrendConfig::default(),
            embed_font: false,
        },
    )
    .expect("report");
    let sec = rep
        .sections
        .iter()
        .find(|s| s.jurisdiction == "150300")
        .expect("乌海 section");
    let row = sec.row.as_ref().expect("row");
    assert!(row.detail.measured);
    assert!(matches!(row.status, Status::Achieved | Status::NotAchieved));
    let chart = TrajectoryChart::from_assessment(&ds, row, Lang::Zh, None);
    (sec.narrative.clone(), chart.subtitle)
}

/// A prefecture's 2026–2030 plan (baseline 2025, target 2030) through assess, project,
/// indicators, targets, chart and report.
#[test]
fn plan_2026_2030_end_to_end() {
    let dir = tempdir();
    let plan = dir.path().join("hefei_2030.toml");
    std::fs::write(
        &plan,
        r#"[plan]
jurisdiction = "340100"
title_zh = "合肥市全民科学素质行动实施方案（2026—2030年）"
period = [2026, 2030]

[[indicator]]
id = "literacy_rate"
name_zh = "公民具备科学素质的比例"
unit = "pct"
kind = "level"
direction = "increase"
baseline = { year = 2025, value = 19.0 }
target = { year = 2030, value = 24.0 }
milestones = [{ year = 2028, value = 21.0 }]
qualifier = "above"

[[indicator]]
id = "science_volunteers_trained"
name_zh = "培训科技志愿者"
unit = "persons"
kind = "cumulative"
direction = "increase"
target = { year = 2030, value = 5000 }
lead_zh = "市科协"
"#,
    )
    .expect("plan");
    let obs = observations(
        dir.path(),
        "hefei.csv",
        &[
            ("340100", "literacy_rate", 2025, 19.0, Some(0.7)),
            ("340100", "science_volunteers_trained", 2026, 1200.0, None),
        ],
    );
    let (plan_s, obs_s) = (plan.to_str().expect("utf-8"), obs.to_str().expect("utf-8"));
    let inputs = ["--plans", plan_s, "--observations", obs_s];
    let with = |cmd: &[&str]| -> Vec<String> {
        cmd.iter()
            .chain(inputs.iter())
            .map(|s| s.to_string())
            .collect()
    };
    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }

    let a = csv_rows(&strs(&with(&["assess"])));
    let hefei: Vec<&Row> = a.iter().filter(|r| r["jurisdiction"] == "340100").collect();
    assert_eq!(hefei.len(), 2, "2028 and 2030 milestones");
    let r2030 = hefei
        .iter()
        .find(|r| r["target_year"] == "2030")
        .expect("2030 row");
    assert_eq!(r2030["baseline_year"], "2025");
    // (24 − 19)/(2030 − 2025) = 1.0 pp a year.
    assert!((num(r2030, "required_per_year") - 1.0).abs() < 1e-12);
    assert!(num(r2030, "p_reach") > 0.0);

    let p = csv_rows(&strs(&with(&["project"])));
    let years: Vec<i32> = p
        .iter()
        .filter(|r| r["jurisdiction"] == "340100")
        .map(|r| num(r, "year") as i32)
        .collect();
    assert_eq!(years, vec![2026, 2027, 2028], "up to the next milestone");

    let i = csv_rows(&strs(&with(&["indicators", "--as-of", "2027"])));
    let vol = i
        .iter()
        .find(|r| r["indicator"] == "science_volunteers_trained")
        .expect("volunteers");
    // 2 of 5 years of 2026–2030 elapsed at the end of 2027; 1200 of 5000 done;
    // (5000 − 1200)/3 a year for the rest.
    assert!((num(vol, "share_elapsed") - 0.4).abs() < 1e-12);
    assert!((num(vol, "share_done") - 0.24).abs() < 1e-12);
    assert!((num(vol, "required_per_year") - 3800.0 / 3.0).abs() < 1e-9);

    let t = csv_rows(&strs(&with(&[
        "targets",
        "--year",
        "2030",
        "--jurisdiction",
        "合肥",
    ])));
    assert_eq!(t.len(), 3);
    assert!(t.iter().all(|r| r["latest_year"] == "2025"));

    let png = dir.path().join("hefei.png");
    litmon()
        .args(strs(&with(&[
            "chart",
            "--kind",
            "trajectory",
            "--jurisdiction",
            "340100",
            "-o",
            png.to_str().expect("utf-8"),
        ])))
        .assert()
        .success();
    assert!(std::fs::metadata(&png).expect("png").len() > 1000);
    let tpng = dir.path().join("hefei-targets.png");
    litmon()
        .args(strs(&with(&[
            "chart",
            "--kind",
            "targets",
            "--year",
            "2030",
            "--jurisdiction",
            "340100",
            "-o",
            tpng.to_str().expect("utf-8"),
        ])))
        .assert()
        .success();
    assert!(std::fs::metadata(&tpng).expect("png").len() > 1000);

    let out = dir.path().join("report");
    let run = litmon()
        .args(strs(&with(&[
            "report",
            "--jurisdiction",
            "340100",
            "-o",
            out.to_str().expect("utf-8"),
        ])))
        .output()
        .expect("report");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(out.join("report.html")).expect("html");
    assert!(html.contains("合肥市全民科学素质行动实施方案（2026—2030年）"));
    assert!(html.contains("2028"));
}

/// `html` without its `<tag …>…</tag>` blocks.
fn strip_block(html: &str, tag: &str) -> String {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut out = String::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        out.push_str(&rest[..i]);
        rest = match rest[i..].find(&close) {
            Some(j) => &rest[i + j + close.len()..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// Visible text of an HTML document: styles, scripts and tags removed (SVG text kept, so
/// chart titles and footers count).
fn visible_text(html: &str) -> String {
    let html = strip_block(&strip_block(html, "style"), "script");
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The printed report speaks to officials: no command-line flag, no `data/` or `seeds/`
/// path and no seed file name, in report.html's text (chart footers included) or
/// report.md; and `report` says where it wrote.
#[test]
fn report_has_no_flags_paths_or_seed_names() {
    let dir = tempdir();
    let out = dir.path().join("rep");
    let run = litmon()
        .args(["report", "-o", out.to_str().expect("utf-8")])
        .output()
        .expect("report");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(said.contains("report.html"), "{said}");
    let html = std::fs::read_to_string(out.join("report.html")).expect("html");
    let md = std::fs::read_to_string(out.join("report.md")).expect("md");
    let text = visible_text(&html);
    assert!(text.contains("乌海"), "the text was extracted");
    let seed_names = [
        "000_b416b33da45813a4",
        "001_780e62dc7a264e90",
        "002_c4e0c199e2955afd",
        "003_25bd2fbcdfa348e5",
        "004_3d1b4c4ae8fc006b",
        "ningxia_640000",
        "ordos_150600",
        "qinghai_630000",
        "wuhai_150300",
        "wutai_140922",
        ".toml",
        "seed plan",
        "seed document",
    ];
    for (what, t) in [("report.html", text.as_str()), ("report.md", md.as_str())] {
        let flag = t
            .match_indices("--")
            .find(|(i, _)| t[i + 2..].starts_with(|c: char| c.is_ascii_lowercase()));
        assert!(
            flag.is_none(),
            "{what} names a flag near {:?}",
            flag.map(|(i, _)| &t[i..(i + 30).min(t.len())])
        );
        for bad in ["data/", "seeds/", "observations.csv", "jurisdictions.csv"] {
            assert!(!t.contains(bad), "{what} contains {bad}");
        }
        for s in seed_names {
            assert!(!t.contains(s), "{what} contains {s}");
        }
    }
    // Every figure credited by its publisher: the national 2023 citation is in the sources.
    assert!(
        text.contains("中国科协"),
        "citations carried into the report"
    );
}

/// With the nation's 2025 figure in (15.6, se 0.3 against "above 15 %": achieved,
/// P = Φ(0.6/0.3) = Φ(2) = 0.977250), the report keeps the final evaluation of 2025 in the
/// status table and the nation's section, and moves its chart and outlook to 2035.
#[test]
fn report_keeps_the_final_evaluation_beside_the_next_milestone() {
    let dir = tempdir();
    let obs = observations(
        dir.path(),
        "nation2025.csv",
        &[("100000", "literacy_rate", 2025, 15.6, Some(0.3))],
    );
    let ds = load(&LoadOptions {
        observations: vec![obs],
        ..LoadOptions::default()
    })
    .expect("dataset");
    let rep = build(
        &ds,
        &ReportOptions {
            as_of: None,
            lang: Lang::Zh,
            jurisdictions: vec!["100000".into()],
            level: None,
            trend: TrendConfig::default(),
            embed_font: false,
        },
    )
    .expect("report");
    let years: Vec<(i32, Status)> = rep
        .milestone_rows
        .iter()
        .map(|r| (r.target_year, r.status))
        .collect();
    assert_eq!(years.len(), 2);
    assert_eq!(years[0], (2025, Status::Achieved));
    assert_eq!(years[1].0, 2035);
    assert!((rep.milestone_rows[0].p_reach.expect("p") - 0.977_249_868_051_820_8).abs() < 1e-9);
    assert_eq!(rep.rows.len(), 1);
    assert_eq!(
        rep.rows[0].target_year, 2035,
        "headline: the next open milestone"
    );
    let sec = rep
        .sections
        .iter()
        .find(|s| s.jurisdiction == "100000")
        .expect("nation section");
    assert!(sec.narrative.contains("终期评估"), "{}", sec.narrative);
    assert!(sec.narrative.contains("2035"), "{}", sec.narrative);
    let out = dir.path().join("rep");
    litmon::report::write(&rep, &out).expect("write");
    let html = std::fs::read_to_string(out.join("report.html")).expect("html");
    assert!(html.contains("2025年超过15") && html.contains("2035年达到25"));
}

/// The optional citation column (`cite`, or the shared data's `cite_zh`) is read into each
/// observation; files without it load as before; the embedded national 2023 value carries
/// its publisher.
#[test]
fn observations_carry_their_citation() {
    let dir = tempdir();
    let p = dir.path().join("cited.csv");
    std::fs::write(
        &p,
        "jurisdiction,indicator,year,value,se,n,source,cite_zh\n\
         150300,literacy_rate,2024,11.0,,,https://example.org/a,乌海市科协（2025-01）\n\
         150300,literacy_rate,2023,10.5,,,https://example.org/b,\n",
    )
    .expect("write");
    let ds = load(&LoadOptions {
        observations: vec![p],
        ..LoadOptions::default()
    })
    .expect("dataset");
    let s = ds.series("150300", "literacy_rate");
    let cite = |y: i32| s.iter().find(|o| o.year == y).and_then(|o| o.cite.clone());
    assert_eq!(cite(2024).as_deref(), Some("乌海市科协（2025-01）"));
    assert_eq!(cite(2023), None, "an empty cell is no citation");
    let nation = ds.series("100000", "literacy_rate");
    let n2023 = nation.iter().find(|o| o.year == 2023).expect("2023");
    assert!(
        n2023
            .cite
            .as_deref()
            .is_some_and(|c| c.contains("中国科协")),
        "{:?}",
        n2023.cite
    );
    assert!(
        n2023.source.starts_with("http"),
        "the URL stays for traceability"
    );
}

/// A target year that has passed without a measurement keeps the probabilistic status, and
/// the reason says the target-year figure is awaited (江苏, as of 2026, data to 2022).
#[test]
fn passed_target_year_without_measurement_awaits_the_figure() {
    let rows = csv_rows(&["assess", "--as-of", "2026", "--lang", "en"]);
    let r = rows
        .iter()
        .find(|r| r["jurisdiction"] == "320000" && r["target_year"] == "2025")
        .expect("江苏 2025");
    assert_ne!(r["model"], "measured");
    assert!(
        ["on_track", "at_risk", "off_track", "regressing"].contains(&r["status"].as_str()),
        "{}",
        r["status"]
    );
    assert!(
        r["reason"].contains("the 2025 survey figure is awaited"),
        "{}",
        r["reason"]
    );
    let later = rows
        .iter()
        .find(|r| r["jurisdiction"] == "100000" && r["target_year"] == "2035")
        .expect("nation 2035");
    assert!(!later["reason"].contains("awaited"));
    let measured = rows
        .iter()
        .find(|r| r["jurisdiction"] == "100000" && r["target_year"] == "2025")
        .expect("nation 2025");
    assert_eq!(measured["model"], "measured", "16.74 published for 2025");
}

/// A bad milestone is bad input: exit 2, naming the file and the field.
#[test]
fn bad_milestones_are_rejected_with_their_location() {
    let dir = tempdir();
    for (name, milestone, expect) in [
        (
            "early.toml",
            "{ year = 2019, value = 20.0 }",
            "after the baseline",
        ),
        (
            "over.toml",
            "{ year = 2035, value = 120.0 }",
            "outside 0–100",
        ),
    ] {
        let p = dir.path().join(name);
        std::fs::write(
            &p,
            format!(
                r#"[plan]
jurisdiction = "150300"
title_zh = "测试方案"
period = [2021, 2025]

[[indicator]]
id = "literacy_rate"
name_zh = "公民具备科学素质的比例"
unit = "pct"
kind = "level"
baseline = {{ year = 2020, value = 9.0 }}
target = {{ year = 2025, value = 12.0 }}
milestones = [{milestone}]
"#
            ),
        )
        .expect("write");
        let out = litmon()
            .args([
                "assess",
                "--lang",
                "en",
                "--plans",
                p.to_str().expect("utf-8"),
            ])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(name) && err.contains("milestones"), "{err}");
        assert!(err.contains(expect), "{err}");
    }
}
