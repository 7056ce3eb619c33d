//! report.html: one self-contained file (inline CSS and SVG, no network fetches) that
//! prints cleanly to A4.

use base64::Engine;

use super::{PlanSection, Report};
use crate::assess::progress::ProgressRow;
use crate::assess::style::{pace_style, status_style};
use crate::assess::AssessRow;
use crate::chart::{FONT_BYTES, SVG_FONT_STACK};

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(c),
        }
    }
    o
}

use super::{f2, num, share};

const CSS: &str = r#"
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: FONTSTACK; color: #222; line-height: 1.55; margin: 0 auto; max-width: 1100px; padding: 24px; font-size: 15px; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 21px; border-bottom: 2px solid #0072B2; padding-bottom: 4px; margin-top: 34px; }
h3 { font-size: 17px; margin: 26px 0 6px; }
.meta { color: #666; font-size: 13px; }
.badges { display: flex; flex-wrap: wrap; gap: 8px; margin: 14px 0; }
.badge { border: 1.5px solid; border-radius: 6px; padding: 4px 10px; font-size: 14px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 12.5px; margin: 8px 0 14px; }
th, td { border: 1px solid #ddd; padding: 3px 5px; text-align: left; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { background: #f2f5f8; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; white-space: nowrap; }
.chart { margin: 10px 0 18px; page-break-inside: avoid; break-inside: avoid; }
.chart svg { width: 100%; height: auto; display: block; }
.narrative { background: #f8f9fb; border-left: 4px solid #0072B2; padding: 8px 12px; }
section.plan { page-break-before: auto; }
ul.quality li { margin-bottom: 3px; }
code, .mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 11px; }
thead { display: table-header-group; }
.mono, a { overflow-wrap: anywhere; word-break: break-all; }
@media print { body { max-width: none; padding: 0; font-size: 11pt; } h2 { page-break-after: avoid; } tr { page-break-inside: avoid; } .chart { width: 100%; } }
"#;

fn status_cell(s: crate::assess::Status, zh: bool) -> String {
    let st = status_style(s);
    format!(
        "<span class=\"status\" style=\"color:{}\">{} {}</span>",
        st.hex,
        st.symbol,
        esc(st.label(zh))
    )
}

fn chart_block(report: &Report, stem: &str) -> String {
    report
        .charts
        .iter()
        .find(|c| c.stem == stem)
        .map(|c| {
            format!(
                "<div class=\"chart\" role=\"img\" aria-label=\"{}\">{}</div>\n",
                esc(&c.title),
                c.svg.text
            )
        })
        .unwrap_or_default()
}

fn status_table(report: &Report, rows: &[AssessRow]) -> String {
    let zh = report.zh();
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
    let mut s = String::from("<table>\n<colgroup><col style=\"width:11%\"><col style=\"width:9%\"><col style=\"width:9%\"><col style=\"width:10%\"><col style=\"width:6%\"><col style=\"width:7%\"><col style=\"width:12%\"><col style=\"width:17%\"><col style=\"width:6%\"><col style=\"width:13%\"></colgroup>\n<thead><tr>");
    for h in [
        t("地区", "Jurisdiction"),
        t("基线（年）", "Baseline (year)"),
        t("最新（年）", "Latest (year)"),
        t("目标", "Target"),
        t("需年均", "Needed /yr"),
        t("实际年均", "Observed /yr"),
        t("官方分类", "Official category"),
        t("预测或实测（80%区间）", "Projected or measured (80%)"),
        "P",
        t("状态", "Status"),
    ] {
        s.push_str(&format!("<th>{h}</th>"));
    }
    s.push_str("</tr></thead>\n");
    for r in rows {
        let yr = |v: Option<f64>, y: Option<i32>| match (v, y) {
            (Some(v), Some(y)) => format!("{v:.2}（{y}）"),
            _ => "—".into(),
        };
        let proj = match (r.projected, r.lo80, r.hi80) {
            (Some(p), Some(lo), Some(hi)) => format!("{p:.2}（{lo:.2}–{hi:.2}）"),
            (Some(p), _, _) if r.detail.measured => format!("{p:.2}"),
            _ => "—".into(),
        };
        let proj = if r.detail.measured {
            format!("{}{proj}", t("实测 ", "measured "))
        } else {
            proj
        };
        s.push_str(&format!(
            "<tr><td>{} <span class=\"meta\">{}</span></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
            esc(&r.name_zh),
            esc(&r.jurisdiction),
            yr(r.baseline, r.baseline_year),
            yr(r.latest, r.latest_year),
            esc(&crate::assess::wording::target_text(
                r.target_year,
                r.target,
                "",
                r.detail.qualifier,
                if zh { crate::model::Lang::Zh } else { crate::model::Lang::En },
            )),
            f2(r.required_per_year),
            f2(r.observed_per_year),
            r.official_category
                .map(|c| if zh { super::narrative::category_zh(c) } else { super::narrative::category_en(c) })
                .unwrap_or("—"),
            proj,
            f2(r.p_reach),
            status_cell(r.status, zh),
        ));
    }
    s.push_str("</table>\n");
    s
}

fn progress_table(report: &Report, rows: &[ProgressRow]) -> String {
    let zh = report.zh();
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
    let kind = |k: crate::model::Kind| match (k, zh) {
        (crate::model::Kind::Level, true) => "水平",
        (crate::model::Kind::Cumulative, true) => "累计",
        (crate::model::Kind::Annual, true) => "每年",
        (k, false) => k.as_str(),
    };
    let mut s = String::from("<table>\n<colgroup><col style=\"width:22%\"><col style=\"width:6%\"><col style=\"width:12%\"><col style=\"width:9%\"><col style=\"width:8%\"><col style=\"width:7%\"><col style=\"width:7%\"><col style=\"width:8%\"><col style=\"width:8%\"><col style=\"width:13%\"></colgroup>\n<thead><tr>");
    for h in [
        t("指标", "Indicator"),
        t("类型", "Kind"),
        t("目标", "Target"),
        t("已完成", "Done"),
        t("完成比例", "Share done"),
        t("时间进度", "Time elapsed"),
        t("此后每年需", "Needed /yr"),
        t("期末预计", "Projected end"),
        t("状态", "Status"),
        t("牵头单位", "Lead"),
    ] {
        s.push_str(&format!("<th>{h}</th>"));
    }
    s.push_str("</tr></thead>\n");
    for r in rows {
        let st = pace_style(r.pace.status);
        let lang = if zh {
            crate::model::Lang::Zh
        } else {
            crate::model::Lang::En
        };
        let unit = r.unit_zh.clone().unwrap_or_else(|| r.unit.clone());
        let name = if zh || r.name_en.is_empty() {
            &r.name_zh
        } else {
            &r.name_en
        };
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{} {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><span class=\"status\" style=\"color:{}\">{} {}</span></td><td>{}</td></tr>\n",
            esc(name),
            kind(r.kind),
            esc(&crate::model::Qualifier::phrase(r.qualifier, &num(Some(r.target)), lang)),
            esc(&unit),
            num(r.pace.done),
            share(r.pace.share_done),
            share(Some(r.pace.share_elapsed)),
            num(r.pace.required_per_year),
            num(r.pace.projected_end),
            st.hex,
            st.symbol,
            esc(st.label(zh)),
            esc(r.lead_zh.as_deref().unwrap_or("—")),
        ));
    }
    s.push_str("</table>\n");
    s
}

fn section(report: &Report, sec: &PlanSection, n: usize) -> String {
    let zh = report.zh();
    let mut s = format!(
        "<section class=\"plan\" id=\"plan-{}\">\n<h3>{n}. {} — {}</h3>\n<p class=\"meta\">{}{} · {}–{}</p>\n",
        esc(&sec.jurisdiction),
        esc(&sec.name),
        esc(&sec.plan_title),
        if zh { "方案：" } else { "Plan: " },
        esc(sec.document_no.as_deref().or(sec.issuer.as_deref()).unwrap_or(&sec.plan_title)),
        sec.period[0],
        sec.period[1]
    );
    if !sec.narrative.is_empty() {
        // One paragraph per milestone (final evaluations first, then the next target).
        for para in sec.narrative.split("\n\n") {
            s.push_str(&format!("<p class=\"narrative\">{}</p>\n", esc(para)));
        }
    }
    if let Some(stem) = &sec.trajectory {
        s.push_str(&chart_block(report, stem));
    }
    if !sec.progress.is_empty() {
        s.push_str(&format!(
            "<h4>{}</h4>\n",
            if zh {
                "分项指标进度"
            } else {
                "Sub-indicator progress"
            }
        ));
        s.push_str(&progress_table(report, &sec.progress));
        if let Some(stem) = &sec.indicators_chart {
            s.push_str(&chart_block(report, stem));
        }
    }
    s.push_str("</section>\n");
    s
}

/// Renders the whole report.
pub fn render(report: &Report) -> String {
    let zh = report.zh();
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
    let mut css = CSS.replace("FONTSTACK", SVG_FONT_STACK);
    if report.embed_font {
        let b64 = base64::engine::general_purpose::STANDARD.encode(FONT_BYTES);
        css = format!(
            "@font-face {{ font-family: 'WenQuanYi Micro Hei'; src: url(data:font/ttf;base64,{b64}) format('truetype'); }}\n{css}"
        );
    }
    let title = report.title();
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{css}</style>\n</head>\n<body>\n",
        if zh { "zh-CN" } else { "en" },
        esc(&title)
    );
    // Cover summary.
    h.push_str(&format!("<h1>{}</h1>\n", esc(&title)));
    h.push_str(&format!(
        "<p class=\"meta\">{} {} · {} {} · litmon {}</p>\n",
        t("评估时点：", "As of"),
        report.as_of,
        t("评估地区数：", "jurisdictions assessed:"),
        report.rows.len(),
        env!("CARGO_PKG_VERSION")
    ));
    h.push_str("<div class=\"badges\">");
    for (s, n) in report.status_counts() {
        let st = status_style(s);
        h.push_str(&format!(
            "<span class=\"badge\" style=\"border-color:{0};color:{0}\">{1} {2}：{3}</span>",
            st.hex,
            st.symbol,
            esc(st.label(zh)),
            n
        ));
    }
    h.push_str("</div>\n");
    let risk = report.at_risk();
    if !risk.is_empty() {
        h.push_str(&format!(
            "<p><strong>{}</strong>",
            t("存在风险或明显滞后的地区：", "At risk or off track:")
        ));
        let items: Vec<String> = risk
            .iter()
            .map(|r| {
                format!(
                    "{}（P={}，{}）",
                    esc(&r.name_zh),
                    f2(r.p_reach),
                    esc(status_style(r.status).label(zh))
                )
            })
            .collect();
        h.push_str(&items.join(if zh { "、" } else { "; " }));
        h.push_str("</p>\n");
    }
    h.push_str(&chart_block(report, "dashboard"));

    h.push_str(&format!(
        "<h2>{}</h2>\n",
        t("一、各地达标状态", "1. Status of every jurisdiction")
    ));
    h.push_str(&format!(
        "<p class=\"meta\">{}</p>\n",
        t(
            "“官方分类”按CAGR比值（Eurostat/Open SDG口径）确定；“状态”按达标概率P确定（P≥0.8进度正常，0.2≤P<0.8存在风险，P<0.2明显滞后）。",
            "Official category: by the CAGR ratio (Eurostat / Open SDG). Status: by the probability P of reaching the target (P ≥ 0.8 on track, 0.2 ≤ P < 0.8 at risk, P < 0.2 off track)."
        )
    ));
    // Every milestone: a final evaluation of 2025 stays beside the 2035 outlook.
    h.push_str(&status_table(report, &report.milestone_rows));

    h.push_str(&format!("<h2>{}</h2>\n", t("二、各实施方案", "2. Plans")));
    for (i, sec) in report.sections.iter().enumerate() {
        h.push_str(&section(report, sec, i + 1));
    }

    h.push_str(&format!(
        "<h2>{}</h2>\n<ul class=\"quality\">\n",
        t("三、数据质量", "3. Data quality")
    ));
    for q in &report.quality {
        h.push_str(&format!("<li>{}</li>\n", esc(q)));
    }
    h.push_str("</ul>\n");

    h.push_str(&format!("<h2>{}</h2>\n", t("四、方法说明", "4. Methods")));
    for p in super::markdown::methods(report) {
        h.push_str(&format!("<p>{}</p>\n", esc(&p)));
    }
    h.push_str(&format!(
        "<h4>{}</h4>\n<ul>\n",
        t("数据来源", "Data sources")
    ));
    for src in &report.sources {
        h.push_str(&format!("<li class=\"mono\">{}</li>\n", esc(src)));
    }
    h.push_str("</ul>\n");

    h.push_str(&format!(
        "<h2>{}</h2>\n",
        t("五、可追溯信息", "5. Traceability")
    ));
    h.push_str(&format!(
        "<p>litmon {} · {} {}</p>\n<table>\n<colgroup><col style=\"width:38%\"><col style=\"width:52%\"><col style=\"width:10%\"></colgroup>\n<thead><tr><th>{}</th><th>SHA-256</th><th>{}</th></tr></thead>\n",
        env!("CARGO_PKG_VERSION"),
        t("评估时点", "as of"),
        report.as_of,
        t("输入数据", "Input"),
        t("字节", "Bytes")
    ));
    for i in &report.inputs {
        h.push_str(&format!(
            "<tr><td class=\"mono\">{}</td><td class=\"mono\">{}</td><td class=\"n\">{}</td></tr>\n",
            esc(&i.what),
            i.sha256,
            i.bytes
        ));
    }
    h.push_str("</table>\n</body>\n</html>\n");
    h
}
