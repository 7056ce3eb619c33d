//! The downloads of `litmon serve`: the report as a zip, each chart, the tables as
//! workbooks — each made by the very function the command line calls, with the task the
//! command line would build from the view's flags.

use super::state::State;
use super::view::{View, TARGET_YEAR};
use crate::chart::Svg;
use crate::cli::args::ChartKind;
use crate::cli::chart::ChartTask;
use crate::cli::format::ChartFormat;
use crate::cli::tables::TableTask;
use crate::cli::targets::{check_probabilities, TargetsTask};
use crate::error::{Error, Result};
use crate::model::Dataset;
use crate::output::Format;

/// The report of `view` as a zip archive: every file `litmon report` writes, under
/// `report/`, byte for byte.
pub fn report_zip(state: &State, view: &View) -> Result<Vec<u8>> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let ds = state.dataset_for(view);
    let ctx = view.context(false, Format::Table);
    let opts = crate::report::ReportOptions {
        as_of: view.as_of,
        lang: view.lang,
        jurisdictions: view.place.iter().cloned().collect(),
        level: view.level,
        trend: ctx.trend,
        embed_font: false,
    };
    let report = crate::report::build(&ds, &opts)?;
    let files = crate::report::render_files(&report)?;
    let zip_err =
        |e: zip::result::ZipError| Error::drawing(text!("报告压缩包：{e}", "report zip: {e}"));
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (path, bytes) in &files {
        let name = format!("report/{}", path.to_string_lossy().replace('\\', "/"));
        let opts = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        z.start_file(name, opts).map_err(zip_err)?;
        z.write_all(bytes)
            .map_err(|e| Error::drawing(text!("报告压缩包：{e}", "report zip: {e}")))?;
    }
    Ok(z.finish().map_err(zip_err)?.into_inner())
}

/// The kinds of chart the page offers.
pub const CHART_KINDS: [&str; 4] = ["dashboard", "evaluation", "trajectory", "targets"];

/// One chart of `view` as `litmon chart --kind KIND` draws it (the place of the view for
/// trajectory and targets), with its file name.
pub fn chart(state: &State, view: &View, kind: &str) -> Result<(String, Svg)> {
    let ds = state.dataset_for(view);
    chart_of(&ds, view, kind)
}

/// As [`chart`], on a dataset already restricted to the view's year: the task
/// `litmon chart --kind KIND` builds from the view's flags, built directly.
pub fn chart_of(ds: &Dataset, view: &View, kind: &str) -> Result<(String, Svg)> {
    let kind: ChartKind = kind
        .parse()
        .map_err(|_| Error::usage(text!("{kind}：不是图表", "{kind}: not a chart")))?;
    let filtered = kind != ChartKind::Evaluation || view.place.is_some();
    let ctx = view.context(false, Format::Table);
    let targets = kind == ChartKind::Targets;
    // `--probability` is given to the targets chart only.
    let probability: Vec<f64> = targets.then_some(view.probability).into_iter().collect();
    let task = ChartTask {
        kind,
        jurisdictions: view.place.iter().filter(|_| filtered).cloned().collect(),
        level: view.level.filter(|_| filtered),
        parent: None,
        format: ChartFormat::Png,
        width: 1600,
        height: 1000,
        output: "chart.png".into(),
        year: targets.then_some(TARGET_YEAR),
        probabilities: check_probabilities(&probability)?,
    };
    task.check()?;
    let name = kind.as_str();
    crate::cli::chart::render(&ctx, &task, ds)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::usage(text!("{name}：没有可画的内容", "{name}: nothing to draw")))
}

/// A table of `view` as `litmon assess|targets -o FILE.xlsx` writes it.
pub fn table_xlsx(state: &State, view: &View, name: &str) -> Result<Vec<u8>> {
    let ds = state.dataset_for(view);
    let task = match name {
        "assess" => TableTask::Assess,
        "targets" => TableTask::Targets(TargetsTask::from_args(TARGET_YEAR, &[view.probability])?),
        _ => {
            return Err(Error::usage(text!(
                "没有名为 {name} 的表",
                "no table named {name}"
            )))
        }
    };
    crate::cli::tables::render(&view.context(true, Format::Xlsx), &ds, &task)
}
