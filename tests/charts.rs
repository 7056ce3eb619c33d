//! Charts: Chinese glyphs render from the bundled font (no system fonts), SVG snapshots of
//! each kind in Chinese and English, PNG dimensions, and the command's file layout.

use litmon::assess::{assess, AssessConfig};
use litmon::chart::{self, ChartStyle, DashboardChart, IndicatorsChart, Svg, TrajectoryChart};
use litmon::data::{load, LoadOptions};
use litmon::model::{Dataset, Lang};
use resvg::tiny_skia::Pixmap;

use crate::common::tempdir;
use crate::litmon;

fn dataset(data: Option<&str>, observations: &[&str]) -> Dataset {
    load(&LoadOptions {
        data_dir: data.map(Into::into),
        observations: observations.iter().map(Into::into).collect(),
        ..LoadOptions::default()
    })
    .expect("dataset loads")
}

/// Grey levels of an RGBA image region (0 = white … 255 = black).
fn ink(p: &Pixmap, x0: u32, y0: u32, w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity((w * h) as usize);
    for y in y0..y0 + h {
        for x in x0..x0 + w {
            let px = p.pixel(x, y).expect("inside");
            let lum = (u32::from(px.red()) + u32::from(px.green()) + u32::from(px.blue())) / 3;
            out.push(255 - lum as u8);
        }
    }
    out
}

fn glyph(c: char) -> Pixmap {
    let svg = Svg {
        text: format!(
            "<svg width=\"120\" height=\"120\" xmlns=\"http://www.w3.org/2000/svg\"><text x=\"10\" y=\"95\" font-family=\"{}\" font-size=\"96\">{c}</text></svg>",
            chart::FONT_FAMILY
        ),
        width: 120,
        height: 120,
    };
    Pixmap::decode_png(&svg.to_png().expect("png")).expect("decode")
}

#[test]
fn chinese_glyphs_render_distinctly_from_the_bundled_font() {
    // A renderer without the font draws nothing or the same .notdef box for every character.
    let chars = ['五', '台', '县', '科', '学'];
    let bitmaps: Vec<Vec<u8>> = chars
        .iter()
        .map(|&c| ink(&glyph(c), 0, 0, 120, 120))
        .collect();
    for (c, b) in chars.iter().zip(&bitmaps) {
        let dark = b.iter().filter(|&&v| v > 128).count();
        assert!(dark > 300, "{c}: only {dark} dark pixels");
    }
    for i in 0..bitmaps.len() {
        for j in i + 1..bitmaps.len() {
            let differ = bitmaps[i]
                .iter()
                .zip(&bitmaps[j])
                .filter(|(a, b)| a.abs_diff(**b) > 128)
                .count();
            assert!(
                differ > 200,
                "{} and {} look alike ({differ} differing pixels)",
                chars[i],
                chars[j]
            );
        }
    }
}

#[test]
fn wutai_trajectory_png_shows_its_chinese_title() {
    let ds = dataset(None, &[]);
    let rows = assess(&ds, &AssessConfig::new("literacy_rate"));
    let row = rows
        .iter()
        .find(|r| r.jurisdiction == "140922")
        .expect("五台县 row");
    let style = ChartStyle::default();
    let mut c = TrajectoryChart::from_assessment(&ds, row, Lang::Zh, None);
    let a = Pixmap::decode_png(
        &chart::trajectory(&c, &style)
            .and_then(|s| s.to_png())
            .expect("png"),
    )
    .expect("decode");
    assert_eq!((a.width(), a.height()), (1600, 1000));
    c.title = "忻州市".into();
    let b = Pixmap::decode_png(
        &chart::trajectory(&c, &style)
            .and_then(|s| s.to_png())
            .expect("png"),
    )
    .expect("decode");
    // The title band: ink present, and different text gives different pixels.
    let (ta, tb) = (ink(&a, 30, 15, 500, 50), ink(&b, 30, 15, 500, 50));
    assert!(ta.iter().filter(|&&v| v > 128).count() > 500);
    assert!(
        ta.iter()
            .zip(&tb)
            .filter(|(x, y)| x.abs_diff(**y) > 128)
            .count()
            > 300
    );
}

fn snapshot_charts(lang: Lang) -> (String, String, String) {
    let style = ChartStyle {
        lang,
        ..ChartStyle::default()
    };
    let worked = dataset(Some("tests/fixtures/worked"), &[]);
    let rows = assess(
        &worked,
        &AssessConfig {
            lang,
            ..AssessConfig::new("literacy_rate")
        },
    );
    let t = TrajectoryChart::from_assessment(&worked, &rows[0], lang, Some(2023));
    let trajectory = chart::trajectory(&t, &style).expect("trajectory").text;

    let ds = dataset(None, &["tests/fixtures/progress/ordos.csv"]);
    let rows = assess(
        &ds,
        &AssessConfig {
            lang,
            ..AssessConfig::new("literacy_rate")
        },
    );
    // The dashboard shows each jurisdiction's next open milestone, as `chart` and `report` do.
    let rows = litmon::assess::headline_rows(&rows);
    let d = DashboardChart::from_assessment(&ds, &rows, lang, "dashboard".into());
    let dashboard = chart::dashboard(&d, &style).expect("dashboard").text;

    let plan = ds
        .plans
        .iter()
        .find(|p| p.plan.jurisdiction == "150600")
        .expect("鄂尔多斯 plan");
    let progress = litmon::assess::progress::all_progress(
        &ds,
        Some(2023),
        &litmon::trend::TrendConfig::default(),
        lang,
    );
    let i = IndicatorsChart::from_plan(&ds, plan, &progress, 2023, lang);
    let indicators = chart::indicators(&i, &style).expect("indicators").text;
    (trajectory, dashboard, indicators)
}

#[test]
fn svg_snapshots_zh() {
    let (t, d, i) = snapshot_charts(Lang::Zh);
    insta::assert_snapshot!("trajectory_zh", t);
    insta::assert_snapshot!("dashboard_zh", d);
    insta::assert_snapshot!("indicators_zh", i);
}

#[test]
fn svg_snapshots_en() {
    let (t, d, i) = snapshot_charts(Lang::En);
    insta::assert_snapshot!("trajectory_en", t);
    insta::assert_snapshot!("dashboard_en", d);
    insta::assert_snapshot!("indicators_en", i);
}

#[test]
fn svg_text_is_live_with_a_cjk_font_stack() {
    let (t, _, _) = snapshot_charts(Lang::Zh);
    assert!(t.contains("<text"));
    assert!(t.contains("乌海"));
    assert!(t.contains("'WenQuanYi Micro Hei', 'Microsoft YaHei'"));
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[1..4], b"PNG");
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20))
}

#[test]
fn chart_command_writes_files_of_the_requested_size() {
    let dir = tempdir();
    let one = dir.path().join("wutai.png");
    litmon()
        .args([
            "chart",
            "--kind",
            "trajectory",
            "--jurisdiction",
            "五台县",
            "--width",
            "800",
            "--height",
            "600",
            "-o",
        ])
        .arg(&one)
        .assert()
        .success();
    assert_eq!(png_size(&std::fs::read(&one).expect("png")), (800, 600));

    let many = dir.path().join("many");
    litmon()
        .args([
            "chart",
            "--kind",
            "trajectory",
            "--jurisdiction",
            "乌海",
            "--jurisdiction",
            "100000",
            "-o",
        ])
        .arg(&many)
        .assert()
        .success();
    assert_eq!(
        png_size(&std::fs::read(many.join("150300_乌海.png")).expect("png")),
        (1600, 1000)
    );
    assert!(many.join("100000_全国.png").exists());

    let svg = dir.path().join("dash.svg");
    litmon()
        .args(["chart", "--kind", "dashboard", "--level", "province", "-o"])
        .arg(&svg)
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).expect("svg");
    assert!(text.starts_with("<svg") && text.contains("江苏"));
}

#[test]
fn chart_usage_errors_exit_2() {
    let out = litmon()
        .args(["chart", "--kind", "pie", "-o", "x.png"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = litmon()
        .args(["chart", "--kind", "trajectory", "-o", "x.png"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = litmon()
        .args([
            "chart",
            "--kind",
            "trajectory",
            "--jurisdiction",
            "上海",
            "-o",
            "x.png",
        ])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(2),
        "上海 has no target: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!std::path::Path::new("x.png").exists());
}

/// The `y` attribute of every `<text>` element whose content is exactly `content` (plotters
/// writes the content on its own line between the tags).
fn text_ys(svg: &str, content: &str) -> Vec<f64> {
    let mut out = Vec::new();
    for part in svg.split("<text ").skip(1) {
        let Some((attrs, rest)) = part.split_once('>') else {
            continue;
        };
        let text = rest.split("</text>").next().unwrap_or("").trim();
        if text != content {
            continue;
        }
        let y = attrs
            .split(" y=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .and_then(|v| v.parse::<f64>().ok());
        out.extend(y);
    }
    out
}

const FINAL_2025: &str = "tests/fixtures/charts/final_2025.csv";

#[test]
fn evaluation_chart_writes_png_and_svg_with_values_targets_and_verdicts() {
    let dir = tempdir();
    for (lang, file) in [("zh", "ev.svg"), ("en", "ev_en.svg"), ("zh", "ev.png")] {
        let out = dir.path().join(file);
        litmon()
            .args(["--observations", FINAL_2025, "--lang", lang])
            .args(["chart", "--kind", "evaluation", "-o"])
            .arg(&out)
            .assert()
            .success();
        assert!(out.exists(), "{file}");
    }
    let png = std::fs::read(dir.path().join("ev.png")).expect("png");
    // Fixed row pitch: the image is as tall as its three rows need, at the full width.
    let (w, h) = png_size(&png);
    assert_eq!(w, 1600);
    assert!(h < 1000, "three rows stretched to {h} px");

    let zh = std::fs::read_to_string(dir.path().join("ev.svg")).expect("svg");
    // Measured values and targets (fixture; targets from the embedded plans: 全国 超过15,
    // 乌海 达到12, 贵州 12).
    for needle in [
        "16.74%", "12.30%", "11.00%", "15.0%", "12.0%", "全国", "乌海", "贵州",
    ] {
        assert!(zh.contains(needle), "{needle} missing");
    }
    // Verdicts: 16.74 > 15 and 12.3 ≥ 12 achieved, 11.0 < 12 not achieved.
    assert!(zh.contains("已达标") && zh.contains("未达标"));
    // P = Φ((y − y*)/se): 乌海 Φ((12.3 − 12)/0.6) = Φ(0.5) = 0.6915; 贵州 Φ((11 − 12)/0.5)
    // = Φ(−2) = 0.0228; 全国 Φ(1.74/0.2) = Φ(8.7) ≈ 1.
    for p in ["P=0.69", "P=0.02", "P=1.00"] {
        assert!(zh.contains(p), "{p} missing");
    }
    let en = std::fs::read_to_string(dir.path().join("ev_en.svg")).expect("svg");
    for needle in ["16.74%", "not achieved", "achieved", "Wuhai"] {
        assert!(en.contains(needle), "{needle} missing (en)");
    }
}

#[test]
fn evaluation_rows_take_the_assess_rows_and_the_same_distribution_for_95() {
    let ds = dataset(None, &[FINAL_2025]);
    let rows = assess(&ds, &AssessConfig::new("literacy_rate"));
    let c = chart::EvaluationChart::from_assessment(&ds, &rows, Lang::Zh, None, "t".into());
    let wuhai = c.rows.iter().find(|r| r.label == "乌海").expect("乌海 row");
    // Measurement Normal(12.3, 0.6²): 80 % = 12.3 ± 1.281552·0.6 = 11.5311–13.0689,
    // 95 % = 12.3 ± 1.959964·0.6 = 11.1240–13.4760.
    let (lo80, hi80) = wuhai.interval80.expect("80 %");
    let (lo95, hi95) = wuhai.interval95.expect("95 %");
    assert!((lo80 - 11.5311).abs() < 1e-3 && (hi80 - 13.0689).abs() < 1e-3);
    assert!((lo95 - 11.1240).abs() < 1e-3 && (hi95 - 13.4760).abs() < 1e-3);
    assert_eq!(wuhai.status, litmon::assess::Status::Achieved);
    let row = rows
        .iter()
        .find(|r| r.jurisdiction == "150300" && r.target_year == 2025)
        .expect("row");
    assert!((chart::measured_se(row).expect("se") - 0.6).abs() < 1e-9);
    // Only measured milestones are rows (the fixture's three and any measured embedded one);
    // due ones without a measurement (江苏 has no 2025 value) are named in the footer.
    let measured = rows.iter().filter(|r| r.detail.measured).count();
    assert_eq!(c.rows.len(), measured);
    for place in ["全国", "乌海", "贵州"] {
        assert!(
            c.rows.iter().any(|r| r.label == place && r.year == 2025),
            "{place}"
        );
    }
    assert!(c.left_out.iter().any(|l| l.starts_with("江苏")));
    assert!(c.footer.contains("未列出"));
}

#[test]
fn evaluation_chart_without_a_measured_target_year_exits_2() {
    // Before 2025 is observed no 2025 target is measured.
    crate::common::refused(
        &[
            "--as-of",
            "2023",
            "chart",
            "--kind",
            "evaluation",
            "--jurisdiction",
            "五台县",
            "-o",
            "never.png",
        ],
        &["--kind evaluation", "measured value", "--observations"],
    );
    assert!(!std::path::Path::new("never.png").exists());
}

fn synthetic_dashboard(n: usize) -> DashboardChart {
    let rows = (0..n)
        .map(|i| chart::DashboardRow {
            label: format!("县{i}"),
            year: 2025,
            measured: i % 2 == 0,
            latest: Some(9.0),
            projected: Some(12.0 + i as f64 * 0.1),
            lo80: Some(11.0),
            hi80: Some(13.0),
            target: 12.0,
            status: litmon::assess::Status::OnTrack,
            p_reach: Some(0.9),
        })
        .collect();
    DashboardChart {
        title: "t".into(),
        subtitle: "s".into(),
        rows,
        source: "src".into(),
    }
}

#[test]
fn dashboard_rows_have_a_fixed_pitch_whatever_their_number() {
    let style = ChartStyle::default();
    let pitch = |n: usize| {
        let svg = chart::dashboard(&synthetic_dashboard(n), &style).expect("svg");
        let a = text_ys(&svg.text, "县0");
        let b = text_ys(&svg.text, "县1");
        assert_eq!((a.len(), b.len()), (1, 1), "row labels of {n} rows");
        (b[0] - a[0], svg.height)
    };
    let (two, h2) = pitch(2);
    let (twenty, h20) = pitch(20);
    // 32 px per row at the base scale: min(1600, 1000)/1000 = 1 → 32 px.
    assert!((two - 32.0).abs() <= 1.0, "2 rows: pitch {two}");
    assert!((twenty - two).abs() <= 1.0, "pitch {two} vs {twenty}");
    // The image follows the row count: 18 more rows are 18 × 32 px taller.
    assert_eq!(h20 - h2, 18 * 32);
    assert!(h20 <= 1000);
}

#[test]
fn dashboard_states_each_rows_year_and_measured_or_projected() {
    let ds = dataset(None, &[FINAL_2025]);
    let rows = assess(&ds, &AssessConfig::new("literacy_rate"));
    let shown = chart::dashboard_selection(&rows);
    let nation: Vec<_> = shown
        .iter()
        .filter(|r| r.jurisdiction == "100000")
        .collect();
    // The measured 2025 milestone and the next open one (2035 in the outline).
    assert_eq!(nation.len(), 2);
    assert!(nation[0].detail.measured && nation[0].target_year == 2025);
    let next = nation[1].target_year;
    assert!(!nation[1].detail.measured && next > 2025);
    let d = DashboardChart::from_assessment(&ds, &shown, Lang::Zh, "t".into());
    let svg = chart::dashboard(&d, &ChartStyle::default())
        .expect("svg")
        .text;
    assert!(svg.contains("2025年实测"));
    assert!(svg.contains(&format!("{next}年预测")));
    // Measured rows come first.
    assert!(d.rows[0].measured);
    assert_eq!(d.rows[0].year_tag(Lang::En), "2025 measured");
}

#[test]
fn trajectory_dashed_path_has_a_dashed_legend_sample_and_80_percent_bars() {
    let ds = dataset(None, &[FINAL_2025]);
    let rows = assess(&ds, &AssessConfig::new("literacy_rate"));
    let row = rows
        .iter()
        .find(|r| r.jurisdiction == "150300" && r.target_year == 2025)
        .expect("乌海 row");
    let c = TrajectoryChart::from_assessment(&ds, row, Lang::Zh, None);
    // The survey bars are the tables' 80 %: 12.3 ± 1.281552·0.6.
    let p = c.observed.iter().find(|o| o.year == 2025).expect("2025");
    assert!((p.lo80.expect("lo") - 11.5311).abs() < 1e-3);
    assert!((p.hi80.expect("hi") - 13.0689).abs() < 1e-3);
    let svg = chart::trajectory(&c, &ChartStyle::default())
        .expect("svg")
        .text;
    assert!(svg.contains("80%置信区间"));
    // Dashed polylines: the required path, and a horizontal 24 px legend sample.
    let dashed: Vec<Vec<(f64, f64)>> = svg
        .split("<polyline ")
        .skip(1)
        .filter(|p| {
            p.split('>')
                .next()
                .unwrap_or("")
                .contains("stroke-dasharray")
        })
        .map(|p| {
            let pts = p.split("points=\"").nth(1).unwrap_or("");
            pts.split('"')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .filter_map(|xy| {
                    let (x, y) = xy.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect()
        })
        .collect();
    assert!(dashed.len() >= 2, "dashed lines: {dashed:?}");
    assert!(
        dashed
            .iter()
            .any(|l| l.len() == 2 && l[0].1 == l[1].1 && (l[1].0 - l[0].0 - 24.0).abs() < 0.5),
        "no dashed legend sample: {dashed:?}"
    );
    // The measured 2025 point is drawn after (over) the target diamond: without a fan (the
    // year is measured) the first polygon is the target's diamond, and the data dots (r = 8
    // px, the legend's is 6) come after it.
    let diamond = svg.find("<polygon").expect("diamond");
    let dots: Vec<usize> = svg
        .match_indices("<circle")
        .map(|(i, _)| i)
        .filter(|&i| svg[i..].split('>').next().unwrap_or("").contains("r=\"8\""))
        .collect();
    assert!(dots.len() >= 2, "dots of 2020 and 2025");
    assert!(dots.iter().all(|&i| i > diamond));
}

/// Every `<text>` of an SVG as (content, x, y, font-size, text-anchor, dy).
#[allow(clippy::type_complexity)]
fn texts(svg: &str) -> Vec<(String, f64, f64, f64, String, String)> {
    let attr = |attrs: &str, name: &str| -> Option<String> {
        attrs
            .split(&format!(" {name}=\""))
            .nth(1)
            .and_then(|v| v.split('"').next())
            .map(str::to_string)
    };
    svg.split("<text")
        .skip(1)
        .filter_map(|part| {
            let (attrs, rest) = part.split_once('>')?;
            let text = rest.split("</text>").next()?.trim().to_string();
            Some((
                text,
                attr(attrs, "x")?.parse().ok()?,
                attr(attrs, "y")?.parse().ok()?,
                attr(attrs, "font-size")?.parse().ok()?,
                attr(attrs, "text-anchor").unwrap_or_default(),
                attr(attrs, "dy").unwrap_or_default(),
            ))
        })
        .collect()
}

#[test]
fn trajectory_value_labels_overlap_neither_each_other_nor_the_axis_labels() {
    // The nation's series: 1996 (0.20) sits on the y axis, 2001–2007 are a year or two apart.
    let ds = dataset(None, &[]);
    let rows = litmon::assess::headline_rows(&assess(&ds, &AssessConfig::new("literacy_rate")));
    let row = rows
        .iter()
        .find(|r| r.jurisdiction == "100000")
        .expect("全国 row");
    let c = TrajectoryChart::from_assessment(&ds, row, Lang::Zh, None);
    let svg = chart::trajectory(&c, &ChartStyle::default())
        .expect("svg")
        .text;
    let all = texts(&svg);
    // Value labels: "d.dd"; their box from the anchor (start/end) and the vertical
    // alignment (dy = 0.76em: y is the top; 0.5ex: y is the middle).
    let is_value = |t: &str| {
        t.split_once('.').is_some_and(|(a, b)| {
            b.len() == 2 && (a.to_owned() + b).chars().all(|c| c.is_ascii_digit())
        })
    };
    // Box width: at most 0.6 em per digit or dot (the bundled font's figures are ~0.55 em).
    let boxes: Vec<(f64, f64, f64, f64)> = all
        .iter()
        .filter(|t| is_value(&t.0))
        .map(|(t, x, y, size, anchor, dy)| {
            let w = 0.6 * size * t.len() as f64;
            let left = if anchor == "end" { x - w } else { *x };
            let top = if dy == "0.76em" { *y } else { y - size / 2.0 };
            (left, top, left + w, top + size)
        })
        .collect();
    assert!(boxes.len() >= 8, "value labels: {boxes:?}");
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
            assert!(apart, "labels overlap: {a:?} {b:?}");
        }
    }
    // The y-axis labels ("0%", "10%", …) end left of every value label.
    let axis_right = all
        .iter()
        .filter(|t| t.0.ends_with('%') && t.4 == "end" && t.0.len() <= 4)
        .map(|t| t.1)
        .fold(f64::MIN, f64::max);
    assert!(axis_right > 0.0);
    assert!(
        boxes.iter().all(|b| b.0 > axis_right),
        "a label over the axis"
    );
}
