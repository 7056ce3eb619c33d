//! Chart benches: one trajectory PNG (goal < 50 ms median), the trajectory chart end to end
//! as `litmon chart --kind trajectory` does it (load the embedded data, assess, draw, encode;
//! issue gate < 300 ms), the final-evaluation chart, and a 3,000-row dashboard.
//! Run with `cargo bench --bench chart`.

use litmon::assess::{assess, AssessConfig, Status};
use litmon::chart::{
    self, ChartStyle, DashboardChart, DashboardRow, EvaluationChart, TrajectoryChart,
};
use litmon::data::{load, LoadOptions};
use litmon::model::Lang;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 30)]
fn trajectory_png_wutai(bencher: divan::Bencher) {
    let ds = load(&LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let rows = assess(&ds, &AssessConfig::new("literacy_rate"));
    let row = rows
        .iter()
        .find(|r| r.jurisdiction == "140922")
        .unwrap_or_else(|| panic!("no 五台县 row"));
    let c = TrajectoryChart::from_assessment(&ds, row, Lang::Zh, None);
    let style = ChartStyle::default();
    bencher.bench(|| {
        chart::trajectory(divan::black_box(&c), &style)
            .and_then(|svg| svg.to_png())
            .map(|png| png.len())
    });
}

/// The whole trajectory command in process: load the embedded data, assess every plan, pick
/// 五台县's next milestone, draw and encode the PNG (what `litmon chart --kind trajectory
/// --jurisdiction 五台县 -o f.png` does before writing the file).
#[divan::bench(sample_count = 10)]
fn trajectory_command_end_to_end() -> usize {
    let ds = load(&LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let rows = litmon::assess::headline_rows(&assess(&ds, &AssessConfig::new("literacy_rate")));
    let row = rows
        .iter()
        .find(|r| r.jurisdiction == "140922")
        .unwrap_or_else(|| panic!("no 五台县 row"));
    let c = TrajectoryChart::from_assessment(&ds, row, Lang::Zh, None);
    chart::trajectory(&c, &ChartStyle::default())
        .and_then(|svg| svg.to_png())
        .map_or(0, |png| png.len())
}

/// The final-evaluation chart (PNG) of the measured 2025 milestones of the test fixture
/// (全国, 乌海, 贵州), from the assess rows.
#[divan::bench(sample_count = 10)]
fn evaluation_png(bencher: divan::Bencher) {
    let ds = load(&LoadOptions {
        observations: vec!["tests/fixtures/charts/final_2025.csv".into()],
        ..LoadOptions::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let rows = assess(&ds, &AssessConfig::new("literacy_rate"));
    let c = EvaluationChart::from_assessment(&ds, &rows, Lang::Zh, None, "evaluation".into());
    assert_eq!(c.rows.len(), 3, "three measured milestones");
    let style = ChartStyle::default();
    bencher.bench(|| {
        chart::evaluation(divan::black_box(&c), &style)
            .and_then(|svg| svg.to_png())
            .map(|png| png.len())
    });
}

fn synthetic_dashboard(n: usize) -> DashboardChart {
    let statuses = [
        Status::OnTrack,
        Status::AtRisk,
        Status::OffTrack,
        Status::Achieved,
    ];
    let rows = (0..n)
        .map(|i| {
            let latest = 5.0 + (i % 97) as f64 * 0.1;
            DashboardRow {
                label: format!("县{i}"),
                year: 2025,
                measured: false,
                latest: Some(latest),
                projected: Some(latest + 2.0),
                lo80: Some(latest + 0.5),
                hi80: Some(latest + 4.0),
                target: 12.0,
                status: statuses[i % statuses.len()],
                p_reach: Some(1.0 - i as f64 / n as f64),
            }
        })
        .collect();
    DashboardChart {
        title: "3,000 counties".into(),
        subtitle: String::new(),
        rows,
        source: String::new(),
    }
}

#[divan::bench(sample_count = 5)]
fn dashboard_3000_rows_png(bencher: divan::Bencher) {
    let c = synthetic_dashboard(3000);
    let style = ChartStyle::default();
    bencher.bench(|| {
        chart::dashboard(divan::black_box(&c), &style)
            .and_then(|svg| svg.to_png())
            .map(|p| p.len())
    });
}

#[divan::bench(sample_count = 5)]
fn dashboard_3000_rows_svg(bencher: divan::Bencher) {
    let c = synthetic_dashboard(3000);
    let style = ChartStyle::default();
    bencher.bench(|| chart::dashboard(divan::black_box(&c), &style).map(|svg| svg.text.len()));
}
