//! `litmon chart`: validated chart options ([`ChartTask`]), the charts drawn from one
//! assessment, and the files written (one, or one per place in a directory).

use std::path::{Path, PathBuf};

use crate::assess::{assess, AssessRow};
use crate::chart::{
    self, dashboard_title, ChartStyle, DashboardChart, EvaluationChart, IndicatorsChart, Svg,
    TrajectoryChart,
};
use crate::cli::args::{ChartArgs, ChartKind};
use crate::cli::context::Context;
use crate::cli::filter::resolve_id;
use crate::cli::format::{chart_format, ChartFormat, FormatFlag};
use crate::error::{Error, Result};
use crate::model::{Dataset, Level};
use crate::output::write_atomic;

/// Checked options of `litmon chart`.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartTask {
    /// `--kind`: which chart to draw.
    pub kind: ChartKind,
    /// `--jurisdiction`: codes or names as given (several give one file each).
    pub jurisdictions: Vec<String>,
    /// `--level`: dashboard filter by administrative level.
    pub level: Option<Level>,
    /// `--parent`: dashboard filter, children of this jurisdiction.
    pub parent: Option<String>,
    /// Image format (`--format`, else the extension of `-o`, else PNG).
    pub format: ChartFormat,
    /// Width in pixels (200–8000).
    pub width: u32,
    /// Height in pixels (200–8000).
    pub height: u32,
    /// `-o`: the file, or the directory for several charts.
    pub output: PathBuf,
    /// Target year of `--kind targets`.
    pub year: Option<i32>,
    /// Probabilities of the candidate targets (`--kind targets`).
    pub probabilities: Vec<f64>,
}

impl ChartTask {
    /// Validates the flags (`--format` and `-o` are global options).
    pub fn from_args(
        a: &ChartArgs,
        format: Option<&FormatFlag>,
        output: Option<&Path>,
    ) -> Result<ChartTask> {
        let kind = a.kind;
        let year = match (kind, a.year) {
            (ChartKind::Targets, Some(y)) => Some(y),
            (ChartKind::Targets, None) => {
                return Err(Error::usage(text!(
                    "--kind targets：请用 --year YEAR 给出目标年（如 2030）",
                    "--kind targets: give the target year with --year YEAR (e.g. 2030)"
                )))
            }
            _ => None,
        };
        let probabilities = crate::cli::targets::check_probabilities(&a.probability)?;
        let output = output.map(Path::to_path_buf).ok_or_else(|| {
            Error::usage(text!(
                "chart 需要 -o PATH（一个文件，或存放多张图表的目录）",
                "chart needs -o PATH (a file, or a directory for several charts)"
            ))
        })?;
        let looks_like_dir = output.is_dir() || output.to_string_lossy().ends_with('/');
        let from_ext = output
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .filter(|_| !looks_like_dir);
        // The dashboard and the evaluation chart draw every --jurisdiction in one image.
        let several = a.jurisdiction.len() > 1
            && !matches!(kind, ChartKind::Dashboard | ChartKind::Evaluation);
        if several {
            if let Some(ext) = &from_ext {
                return Err(Error::usage(text!(
"-o {}：{} 张图表（每个 --jurisdiction 一张）需要目录，而不是 .{ext} 文件；请给出 -o DIR/，每张图表都以 CODE_NAME.png 写入其中",
"-o {}: {} charts (one per --jurisdiction) need a directory, not a .{ext} file; give -o DIR/ and each chart is written there as CODE_NAME.png",
                    crate::output::safety::echo(&output.display().to_string()),
                    a.jurisdiction.len()
                )));
            }
        }
        let format = chart_format(format, from_ext.as_deref(), &output)?;
        let task = ChartTask {
            kind,
            jurisdictions: a.jurisdiction.clone(),
            level: a.level,
            parent: a.parent.clone(),
            format,
            width: a.width,
            height: a.height,
            output,
            year,
            probabilities,
        };
        task.check()?;
        Ok(task)
    }

    /// Checks the size (200–8000 pixels) and that a chart of one place has one.
    pub fn check(&self) -> Result<()> {
        if !(200..=8000).contains(&self.width) || !(200..=8000).contains(&self.height) {
            return Err(Error::usage(text!(
                "--width/--height：应为 200–8000 像素，实际为 {}×{}",
                "--width/--height: expected 200–8000 pixels, found {}×{}",
                self.width,
                self.height
            )));
        }
        if matches!(
            self.kind,
            ChartKind::Trajectory | ChartKind::Indicators | ChartKind::Targets
        ) && self.jurisdictions.is_empty()
        {
            return Err(Error::usage(text!(
                "--kind {}：请至少给出一个 --jurisdiction",
                "--kind {}: give at least one --jurisdiction",
                self.kind.as_str()
            )));
        }
        Ok(())
    }
}

/// Renders an SVG in the requested format.
pub fn encode(svg: &Svg, format: ChartFormat) -> Result<Vec<u8>> {
    match format {
        ChartFormat::Svg => Ok(svg.text.clone().into_bytes()),
        ChartFormat::Png => svg.to_png(),
    }
}

/// The assessment behind the charts: every milestone of every jurisdiction, in
/// [`assess`]'s order (one evaluation feeds every chart).
pub fn assessment(ctx: &Context, ds: &Dataset) -> Vec<AssessRow> {
    assess(ds, &ctx.assess_config())
}

/// Rows of a dashboard or evaluation chart filtered by `--jurisdiction`, `--level` and
/// `--parent` (copies, in the order of `rows`).
pub fn dashboard_rows(
    ds: &Dataset,
    rows: &[AssessRow],
    task: &ChartTask,
) -> Result<Vec<AssessRow>> {
    let wanted: Vec<String> = task
        .jurisdictions
        .iter()
        .map(|k| resolve_id(ds, "--jurisdiction", k))
        .collect::<Result<_>>()?;
    let parent = match &task.parent {
        Some(p) => Some(resolve_id(ds, "--parent", p)?),
        None => None,
    };
    Ok(rows
        .iter()
        .filter(|r| wanted.is_empty() || wanted.contains(&r.jurisdiction))
        .filter(|r| {
            let j = ds.jurisdiction(&r.jurisdiction);
            task.level.is_none_or(|l| j.is_some_and(|j| j.level == l))
                && parent
                    .as_ref()
                    .is_none_or(|p| j.is_some_and(|j| j.parent.as_deref() == Some(p.as_str())))
        })
        .cloned()
        .collect())
}

/// Runs `litmon chart`.
pub fn run(ctx: &Context, task: &ChartTask, ds: &Dataset) -> Result<()> {
    let outputs = render(ctx, task, ds)?;
    write_outputs(&task.output, task.format, &outputs, &ctx.protected)
}

/// The places of `--jurisdiction`: one per place, however many ways it is named (乌海,
/// 150300, Wuhai), each with the key first given.
fn places<'a>(ds: &Dataset, task: &'a ChartTask) -> Result<Vec<(&'a String, String)>> {
    let mut ids: Vec<(&String, String)> = Vec::new();
    for key in &task.jurisdictions {
        let id = resolve_id(ds, "--jurisdiction", key)?;
        if !ids.iter().any(|(_, i)| *i == id) {
            ids.push((key, id));
        }
    }
    Ok(ids)
}

/// The charts of `litmon chart`, each with its file name (without extension): `run`
/// writes them, `litmon serve` sends them.
pub fn render(ctx: &Context, task: &ChartTask, ds: &Dataset) -> Result<Vec<(String, Svg)>> {
    let style = ChartStyle {
        width: task.width,
        height: task.height,
        lang: ctx.lang,
    };
    let ids = places(ds, task)?;
    let all = assessment(ctx, ds);
    match task.kind {
        ChartKind::Trajectory => trajectories(ctx, ds, &ids, &all, &style),
        ChartKind::Dashboard => dashboard(ctx, ds, task, &all, &style),
        ChartKind::Evaluation => evaluation(ctx, ds, task, &all, &style),
        ChartKind::Targets => targets(ctx, ds, task, &ids, &style),
        ChartKind::Indicators => indicators(ctx, ds, &ids, &style),
    }
}

/// `--kind trajectory`: one fan chart per place, to its next open milestone.
fn trajectories(
    ctx: &Context,
    ds: &Dataset,
    ids: &[(&String, String)],
    all: &[AssessRow],
    style: &ChartStyle,
) -> Result<Vec<(String, Svg)>> {
    let rows = crate::assess::headline_rows(all);
    let mut outputs = Vec::new();
    for (key, id) in ids {
        let row = rows.iter().find(|r| r.jurisdiction == *id).ok_or_else(|| {
            Error::usage(text!(
"--jurisdiction {key}：{} 没有方案目标——轨迹图需要目标（请用 --plans 添加方案）",
"--jurisdiction {key}: no plan target for {} — a trajectory needs a target (add a plan with --plans)",
                ctx.indicator
            ))
        })?;
        let c = TrajectoryChart::from_assessment(ds, row, ctx.lang, ctx.as_of);
        outputs.push((file_name(ds, id), chart::trajectory(&c, style)?));
    }
    Ok(outputs)
}

/// `--kind dashboard`: measured milestones of ended periods and each place's next open one.
fn dashboard(
    ctx: &Context,
    ds: &Dataset,
    task: &ChartTask,
    all: &[AssessRow],
    style: &ChartStyle,
) -> Result<Vec<(String, Svg)>> {
    let shown = chart::dashboard_selection(all);
    let picked = dashboard_rows(ds, &shown, task)?;
    if picked.is_empty() {
        return Err(Error::usage(text!(
            "dashboard：没有符合筛选条件且有目标的地区",
            "dashboard: no jurisdiction with a target matches the filters"
        )));
    }
    let title = dashboard_title(ctx.lang, ctx.as_of, ds.latest_year());
    let c = DashboardChart::from_assessment(ds, &picked, ctx.lang, title);
    Ok(vec![("dashboard".into(), chart::dashboard(&c, style)?)])
}

/// `--kind evaluation`: the measured target-year values of the selected places.
fn evaluation(
    ctx: &Context,
    ds: &Dataset,
    task: &ChartTask,
    all: &[AssessRow],
    style: &ChartStyle,
) -> Result<Vec<(String, Svg)>> {
    let picked = dashboard_rows(ds, all, task)?;
    let title = chart::evaluation_title(ds, &ctx.indicator, ctx.lang);
    let c = EvaluationChart::from_assessment(ds, &picked, ctx.lang, ctx.as_of, title);
    if c.rows.is_empty() {
        let (due_zh, due) = if c.left_out.is_empty() {
            (String::new(), String::new())
        } else {
            (
                format!("（到期而无实测值：{}）", c.left_out.join("、")),
                format!(" (due without one: {})", c.left_out.join(", ")),
            )
        };
        return Err(Error::usage(text!(
            "--kind evaluation：所选地区中，{} 没有哪个目标年有实测值{due_zh}；请用 --observations FILE 添加目标年的调查值（列为 jurisdiction,indicator,year,value,se）",
            "--kind evaluation: no target year of {} has a measured value among the selected places{due}; add the target year's survey value with --observations FILE (columns jurisdiction,indicator,year,value,se)",
            ctx.indicator
        )));
    }
    Ok(vec![("evaluation".into(), chart::evaluation(&c, style)?)])
}

/// `--kind targets`: one fan chart per place to `--year`, its candidate targets marked. The
/// panel is fitted once for every place.
fn targets(
    ctx: &Context,
    ds: &Dataset,
    task: &ChartTask,
    ids: &[(&String, String)],
    style: &ChartStyle,
) -> Result<Vec<(String, Svg)>> {
    let year = task.year.unwrap_or_default();
    let candidates =
        crate::assess::candidate_targets(ds, &ctx.indicator, &ctx.trend, year, &task.probabilities);
    let mut panel = None;
    let mut outputs = Vec::new();
    for (key, id) in ids {
        let mine: Vec<(f64, f64)> = candidates
            .iter()
            .filter(|r| r.jurisdiction == *id)
            .map(|r| (r.probability, r.target))
            .collect();
        if mine.is_empty() {
            return Err(Error::usage(text!(
"--jurisdiction {key}：{year} 年以前没有可用于预测的近期调查值（比最新数据早 {} 年以上的值不做预测）",
"--jurisdiction {key}: no recent survey value before {year} to project from (a value more than {} years older than the latest data is not projected)", crate::assess::STALE_YEARS
            )));
        }
        let (series, fits) = panel.get_or_insert_with(|| {
            crate::assess::fit_all(ds, &ctx.indicator, &ctx.trend, ctx.trend.model)
        });
        let Some(fit) = series
            .iter()
            .zip(fits.iter())
            .find(|(s, _)| s.id == *id)
            .and_then(|(_, f)| f.as_ref())
        else {
            continue;
        };
        let c = TrajectoryChart::targets(ds, id, &ctx.indicator, year, mine, fit, ctx.lang);
        outputs.push((file_name(ds, id), chart::trajectory(&c, style)?));
    }
    Ok(outputs)
}

/// `--kind indicators`: the sub-indicators of each place's largest plan. Progress is
/// computed once for every place.
fn indicators(
    ctx: &Context,
    ds: &Dataset,
    ids: &[(&String, String)],
    style: &ChartStyle,
) -> Result<Vec<(String, Svg)>> {
    let mut progress = None;
    let mut outputs = Vec::new();
    for (key, id) in ids {
        let plan = ds
            .plans
            .iter()
            .filter(|p| p.plan.jurisdiction == *id)
            .max_by_key(|p| p.indicators.len())
            .ok_or_else(|| {
                Error::usage(text!(
                    "--jurisdiction {key}：没有加载 {id} 的方案",
                    "--jurisdiction {key}: no plan is loaded for {id}"
                ))
            })?;
        let as_of =
            crate::assess::plan_as_of(ds, plan, ctx.as_of).unwrap_or(plan.plan.period[0] - 1);
        let progress = progress.get_or_insert_with(|| {
            crate::assess::progress::all_progress(ds, ctx.as_of, &ctx.trend, ctx.lang)
        });
        let c = IndicatorsChart::from_plan(ds, plan, progress, as_of, ctx.lang);
        outputs.push((file_name(ds, id), chart::indicators(&c, style)?));
    }
    Ok(outputs)
}

/// The readable name of a jurisdiction's chart file: its code and Chinese name
/// (`150300_乌海`), made safe by [`crate::output::safety::StemSet`] when written.
fn file_name(ds: &Dataset, id: &str) -> String {
    match ds.jurisdiction(id) {
        Some(j) if !j.name_zh.is_empty() => format!("{id}_{}", j.name_zh),
        _ => id.to_string(),
    }
}

/// One chart: `-o` is the file (or a directory to put `<name>.<ext>` in); several: `-o` is
/// a directory with one file each. File names are safe stems of the jurisdiction codes and names
/// ([`crate::output::safety::StemSet`]): they never leave `-o` and never replace an input.
fn write_outputs(
    out: &Path,
    format: ChartFormat,
    charts: &[(String, Svg)],
    protected: &crate::output::safety::Protected,
) -> Result<()> {
    let as_dir = charts.len() > 1 || out.is_dir() || out.to_string_lossy().ends_with('/');
    let mut stems = crate::output::safety::StemSet::default();
    let mut files = Vec::new();
    for (name, svg) in charts {
        let path = if as_dir {
            out.join(format!("{}.{}", stems.unique(name), format.ext()))
        } else {
            out.to_path_buf()
        };
        protected.check_file(&path)?;
        if as_dir {
            crate::output::safety::check_new_name(&path)?;
        }
        files.push((path, encode(svg, format)?));
    }
    // Everything is rendered before anything is written.
    for (path, bytes) in files {
        if as_dir {
            crate::output::safety::write_new_name(&path, &bytes)?;
        } else {
            write_atomic(&path, &bytes)?;
        }
    }
    Ok(())
}
