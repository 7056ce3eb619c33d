//! The page of `litmon serve`: server-rendered HTML (maud escapes every text), Chinese by
//! default with an English toggle, the bundled font, a few lines of JavaScript for uploads.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::downloads::chart_of;
use super::state::{Role, State};
use super::view::{View, TARGET_YEAR};
use crate::assess::{assess, AssessRow};
use crate::error::Result;
use crate::model::{Dataset, Lang, Level, LITERACY_RATE};
use crate::output::termtable::{header, word, Words};
use crate::trend::ModelKind;

fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn num(v: Option<f64>, digits: usize) -> String {
    v.filter(|x| x.is_finite())
        .map(|x| format!("{x:.digits$}"))
        .unwrap_or_else(|| "–".into())
}

/// A column's heading: the terminal table's Chinese heading, or English words.
fn col(c: &str, lang: Lang) -> &str {
    if lang == Lang::Zh {
        return if c == "name_zh" {
            "地区"
        } else {
            header(c, lang)
        };
    }
    match c {
        "name_zh" => "Place",
        "target_year" => "Target year",
        "target" => "Target",
        "latest_year" => "Latest year",
        "latest" => "Latest",
        "projected" => "Projected (80 % interval)",
        "p_reach" => "P(reach)",
        "status" => "Status",
        "reason" => "Reason",
        "required_per_year" => "Needed per year",
        other => other,
    }
}

fn place_name(ds: &Dataset, id: &str, lang: Lang) -> String {
    ds.jurisdiction(id)
        .map(|j| j.name(lang).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// The evaluation rows of `view`: `assess`'s rows of the place or level, the final
/// evaluations of ended periods (measured target years) first, each group in `assess` order.
pub fn evaluation_rows(ds: &Dataset, view: &View) -> Result<Vec<AssessRow>> {
    let ctx = view.context(true, crate::output::Format::Table);
    let acfg = ctx.assess_config();
    let keep = crate::cli::filter::jurisdiction_filter(ds, &ctx.filter.jurisdictions, view.level)?;
    let (mut measured, open): (Vec<AssessRow>, Vec<AssessRow>) = assess(ds, &acfg)
        .into_iter()
        .filter(|r| keep(&r.jurisdiction))
        .partition(|r| r.detail.measured);
    measured.extend(open);
    Ok(measured)
}

const STYLE: &str = r#"
@font-face { font-family: 'WenQuanYi Micro Hei'; src: url(/font.ttf) format('truetype'); }
body { font-family: 'WenQuanYi Micro Hei', sans-serif; margin: 0; color: #1a1a1a; background: #f6f7f9; }
header { background: #1f4e79; color: #fff; padding: 12px 24px; display: flex; align-items: center; justify-content: space-between; }
header h1 { font-size: 20px; margin: 0; }
header a { color: #fff; }
main { padding: 16px 24px; max-width: 1280px; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 12px 16px; margin-bottom: 16px; }
h2 { font-size: 17px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
#drop { border: 2px dashed #8aa4bf; border-radius: 6px; padding: 18px; text-align: center; color: #3d5a78; }
#drop.over { background: #eaf2fb; }
label.pick { display: inline-block; padding: 3px 12px; border: 1px solid #1f4e79; border-radius: 4px; background: #1f4e79; color: #fff; cursor: pointer; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e6ea; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f0f3f6; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th, td.n, td.status, td.place { white-space: nowrap; }
.problem { color: #a4161a; white-space: pre-wrap; font-family: monospace; font-size: 12px; margin: 2px 0 8px; }
.muted { color: #667; font-size: 13px; }
form.controls label { margin-right: 14px; font-size: 14px; }
svg { max-width: 100%; height: auto; border: 1px solid #eee; }
.chart svg { width: 960px; }
.s-achieved, .s-on_track { color: #006d4f; font-weight: bold; }
.s-not_achieved, .s-off_track, .s-at_risk { color: #a4161a; font-weight: bold; }
.downloads a { margin-right: 14px; }
"#;

const SCRIPT: &str = r#"
const lang = document.body.dataset.lang;
async function post(url, body) {
  const r = await fetch(url, {method: 'POST', body: body});
  return r;
}
async function send(files) {
  const status = document.getElementById('upload-status');
  for (const f of files) {
    status.textContent = f.name + ' …';
    await post('/upload?lang=' + lang + '&name=' + encodeURIComponent(f.name), f);
  }
  location.reload();
}
const drop = document.getElementById('drop');
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', e => { e.preventDefault(); drop.classList.remove('over'); send(e.dataTransfer.files); });
document.getElementById('files').addEventListener('change', e => send(e.target.files));
for (const b of document.querySelectorAll('button.remove')) {
  b.addEventListener('click', async () => { await post('/remove?name=' + encodeURIComponent(b.dataset.name)); location.reload(); });
}
for (const s of document.querySelectorAll('select.role')) {
  s.addEventListener('change', async () => { await post('/role?name=' + encodeURIComponent(s.dataset.name) + '&role=' + s.value); location.reload(); });
}
for (const c of document.querySelectorAll('form.controls select, form.controls input')) {
  c.addEventListener('change', () => c.form.submit());
}
"#;

/// The whole page of `view`.
pub fn render(state: &State, view: &View) -> Result<String> {
    let lang = view.lang;
    let ds = state.dataset_for(view);
    let rows = evaluation_rows(&ds, view)?;
    let q = view.query(lang);
    let other = match lang {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    let markup = html! {
        (DOCTYPE)
        html lang=(t(lang, "zh-CN", "en")) {
            head {
                meta charset="utf-8";
                title { (t(lang, "科学素质监测 · 评估", "litmon · evaluation")) }
                style { (PreEscaped(STYLE)) }
            }
            body data-lang=(lang.as_str()) {
                header {
                    h1 { (t(lang, "公民科学素质监测评估", "Citizen scientific literacy: evaluation")) }
                    a #lang-toggle href={ "/?" (view.query(other)) } { (t(lang, "English", "中文")) }
                }
                main {
                    (files_section(state, lang))
                    (controls(state, view))
                    (evaluation_section(&ds, view, &rows))
                    (charts_section(&ds, view))
                    (targets_section(&ds, view)?)
                    section #downloads .downloads {
                        h2 { (t(lang, "下载", "Downloads")) }
                        a #dl-report href={ "/report.zip?" (q) } { (t(lang, "评估报告（zip）", "Report (zip)")) }
                        a href={ "/table/assess.xlsx?" (q) } { (t(lang, "评估表（xlsx）", "Evaluation table (xlsx)")) }
                        a href={ "/table/targets.xlsx?" (q) } { (t(lang, "2030年候选目标（xlsx）", "2030 candidate targets (xlsx)")) }
                        br;
                        @for kind in super::downloads::CHART_KINDS {
                            @if view.place.is_some() || !matches!(kind, "trajectory" | "targets") {
                                span .muted { (chart_label(kind, lang)) "：" }
                                a href={ "/chart/" (kind) ".png?" (q) } { "PNG" }
                                a href={ "/chart/" (kind) ".svg?" (q) } { "SVG" }
                            }
                        }
                    }
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    Ok(markup.into_string())
}

fn chart_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "dashboard" => t(lang, "达标进展总览", "Dashboard"),
        "evaluation" => t(lang, "终期评估图", "Final evaluation"),
        "trajectory" => t(lang, "趋势图", "Trajectory"),
        _ => t(lang, "2030年目标图", "2030 targets"),
    }
}

fn files_section(state: &State, lang: Lang) -> Markup {
    let refused: Vec<_> = state
        .problems
        .iter()
        .filter(|p| !state.uploads.iter().any(|u| u.name == p.file))
        .collect();
    html! {
        section #files {
            h2 { (t(lang, "数据文件", "Data files")) }
            div #drop {
                (t(lang, "把调查数据、规划或行政区划文件（XLSX、CSV、TOML）拖到这里，或 ", "Drop survey values, plans or registry rows (XLSX, CSV, TOML) here, or "))
                label .pick { (t(lang, "选择文件", "choose files")) input #files type="file" multiple accept=".xlsx,.csv,.toml" hidden; }
                div #upload-status .muted {}
            }
            p .muted { (t(lang, "内置数据始终载入；上传的文件加在其上（同一地区同一年的数值以上传为准）。文件只保存在本机内存中。",
                "The built-in data is always loaded; uploaded files are added on top (an uploaded value replaces the built-in one of the same place and year). Files stay in this computer's memory.")) }
            @if !state.uploads.is_empty() || !refused.is_empty() {
                table #file-list {
                    tr { th { (t(lang, "文件", "File")) } th { (t(lang, "内容", "Holds")) } th { (t(lang, "大小", "Size")) } th {} }
                    @for u in &state.uploads {
                        tr data-file=(u.name) {
                            td { (u.name) }
                            td {
                                select .role data-name=(u.name) {
                                    @for r in Role::ALL {
                                        option value=(r.as_str()) selected[r == u.role] { (r.label(lang)) }
                                    }
                                }
                            }
                            td .n { (format!("{:.1} KB", u.bytes.len() as f64 / 1024.0)) }
                            td { button .remove data-name=(u.name) { (t(lang, "移除", "Remove")) } }
                        }
                        @for p in state.problems.iter().filter(|p| p.file == u.name) {
                            tr { td colspan="4" { div .problem { (t(lang, "未采用的新版本：", "New version not used: ")) (p.message.get(lang)) } } }
                        }
                    }
                    @for p in &refused {
                        tr .refused data-file=(p.file) {
                            td { (p.file) }
                            td colspan="3" { div .problem { (t(lang, "此文件有错误，未载入（原有数据不变）：", "This file has errors and was not loaded (the data is unchanged):")) "\n" (p.message.get(lang)) } }
                        }
                    }
                }
            }
        }
    }
}

fn controls(state: &State, view: &View) -> Markup {
    let lang = view.lang;
    let ds = &state.dataset;
    // Places with a target of the headline indicator, in registry order.
    let with_target: Vec<&crate::model::Jurisdiction> = ds
        .jurisdictions()
        .iter()
        .filter(|j| {
            ds.plans
                .iter()
                .any(|p| p.plan.jurisdiction == j.id && p.indicator(LITERACY_RATE).is_some())
        })
        .collect();
    html! {
        section {
            form .controls method="get" action="/" {
                input type="hidden" name="lang" value=(lang.as_str());
                label { (t(lang, "地区 ", "Place ")) select name="place" {
                    option value="" { (t(lang, "全部", "all")) }
                    @for j in &with_target {
                        option value=(j.id) selected[view.place.as_deref() == Some(j.id.as_str())] { (j.name(lang)) }
                    }
                } }
                label { (t(lang, "级别 ", "Level ")) select name="level" {
                    option value="" { (t(lang, "全部", "all")) }
                    @for l in Level::NAMES {
                        option value=(l) selected[view.level.map(|x| x.as_str()) == Some(*l)] { (word("level", l, Words::Assessment, lang).unwrap_or(l)) }
                    }
                } }
                label { (t(lang, "评估时点（年） ", "As of (year) ")) input name="as_of" type="number" min="1900" max="2100" style="width:6em" value=[view.as_of] placeholder=(t(lang, "最新", "latest")); }
                label { (t(lang, "趋势模型 ", "Trend model ")) select name="model" {
                    @for m in ModelKind::NAMES {
                        option value=(m) selected[view.model.name() == *m] { (m) }
                    }
                } }
                label { (t(lang, "候选目标的达成概率 ", "Probability of the candidate target ")) input name="p" type="number" min="0.05" max="0.95" step="0.05" style="width:5em" value=(view.probability); }
                noscript { button type="submit" { "OK" } }
            }
        }
    }
}

fn evaluation_section(ds: &Dataset, view: &View, rows: &[AssessRow]) -> Markup {
    let lang = view.lang;
    let cols = [
        "name_zh",
        "target_year",
        "target",
        "latest_year",
        "latest",
        "projected",
        "p_reach",
        "status",
        "reason",
    ];
    html! {
        section #evaluation {
            h2 { (t(lang, "评估结果", "Evaluation")) }
            p .muted { (t(lang, "先列已结束规划期的终期评估（目标年已有调查值），再列进行中的目标。", "Final evaluations of ended periods (the target year measured) first, then the open targets.")) }
            @if rows.is_empty() {
                p { (t(lang, "所选范围内没有带目标的地区：请上传规划文件或改变筛选。", "No place with a target in this selection: add a plan or change the filter.")) }
            } @else {
                table #status-table {
                    tr { @for c in cols { th { (col(c, lang)) } } }
                    @for r in rows {
                        tr data-jurisdiction=(r.jurisdiction) data-target-year=(r.target_year) {
                            td .place { (place_name(ds, &r.jurisdiction, lang)) }
                            td .n { (r.target_year) }
                            td .n { (num(Some(r.target), 1)) }
                            td .n { (r.latest_year.map(|y| y.to_string()).unwrap_or_default()) }
                            td .n { (num(r.latest, 1)) }
                            td .n { (num(r.projected, 1)) @if let (Some(lo), Some(hi)) = (r.lo80, r.hi80) { br; span .muted { "(" (num(Some(lo), 1)) "–" (num(Some(hi), 1)) ")" } } }
                            td .n .p-reach { (num(r.p_reach, 2)) }
                            td .status class={ "s-" (r.status.as_str()) } data-status=(r.status.as_str()) {
                                (word("status", r.status.as_str(), Words::Assessment, lang).unwrap_or(r.status.as_str()))
                            }
                            td .muted { (r.reason) }
                        }
                    }
                }
            }
        }
    }
}

fn chart_block(ds: &Dataset, view: &View, kind: &str) -> Markup {
    let lang = view.lang;
    html! {
        div .chart data-kind=(kind) {
            h3 { (chart_label(kind, lang)) }
            @match chart_of(ds, view, kind) {
                Ok((_, svg)) => (PreEscaped(svg.text)),
                Err(e) => p .muted { (e.to_string()) },
            }
        }
    }
}

fn charts_section(ds: &Dataset, view: &View) -> Markup {
    let lang = view.lang;
    html! {
        section #charts {
            h2 { (t(lang, "图表", "Charts")) }
            (chart_block(ds, view, "dashboard"))
            (chart_block(ds, view, "evaluation"))
            @if view.place.is_some() {
                (chart_block(ds, view, "trajectory"))
                (chart_block(ds, view, "targets"))
            } @else {
                p .muted { (t(lang, "选择一个地区，查看它的趋势图和2030年目标图。", "Choose a place to see its trajectory and its 2030 target chart.")) }
            }
        }
    }
}

fn targets_section(ds: &Dataset, view: &View) -> Result<Markup> {
    let lang = view.lang;
    let ctx = view.context(true, crate::output::Format::Table);
    let keep = crate::cli::filter::jurisdiction_filter(ds, &ctx.filter.jurisdictions, view.level)?;
    let rows: Vec<_> = crate::assess::candidate_targets(
        ds,
        LITERACY_RATE,
        &ctx.trend,
        TARGET_YEAR,
        &[view.probability],
    )
    .into_iter()
    .filter(|r| keep(&r.jurisdiction))
    .collect();
    Ok(html! {
        section #targets {
            h2 { (t(lang, "2030年候选目标", "Candidate targets for 2030")) }
            p .muted { (match lang {
                Lang::Zh => format!("按当前趋势，以 {:.0}% 的概率能够达到的2030年数值。", view.probability * 100.0),
                Lang::En => format!("The 2030 value each place reaches with probability {:.0} % on its present trend.", view.probability * 100.0),
            }) }
            table #targets-table {
                tr { @for c in ["name_zh", "latest_year", "latest", "target", "required_per_year"] { th { (col(c, lang)) } } }
                @for r in &rows {
                    tr {
                        td { (place_name(ds, &r.jurisdiction, lang)) }
                        td .n { (r.latest_year) }
                        td .n { (num(Some(r.latest), 1)) }
                        td .n { (num(Some(r.target), 1)) }
                        td .n { (num(Some(r.required_per_year), 2)) }
                    }
                }
            }
        }
    })
}
