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
