//! report.md: the same content as report.html, with charts linked as `charts/*.png`.

use super::Report;
use crate::assess::style::{pace_style, status_style};

use super::{f2, num, share};

/// Text from the inputs (names, titles, document numbers, sources, narratives) escaped
/// for Markdown, as report.html escapes HTML, so that it always reads as the text it is:
/// `\ ` * [ ] < > | ~ &` are backslash-escaped everywhere (links and images need `[`,
/// inline HTML needs `<`, tables split at `|`), `_` where it could start or end emphasis
/// (not inside a word, as in `ningxia_640000`), and `# - + =` or `1.` at the start, where
/// they would make a heading or a list; line breaks become spaces. `<script>`,
/// `![x](javascript:…)`, `|` and newlines stay text.
pub(crate) fn md(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let lead = chars.iter().take_while(|c| c.is_whitespace()).count();
    let digits = chars[lead..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    for (i, &c) in chars.iter().enumerate() {
        let word = |k: Option<usize>| {
            k.and_then(|k| chars.get(k))
                .is_some_and(|c| c.is_alphanumeric())
        };
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => true,
            '_' => !(word(i.checked_sub(1)) && word(Some(i + 1))),
            '#' | '-' | '+' | '=' => i == lead,
            '.' | ')' => digits > 0 && i == lead + digits,
            _ => false,
        };
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_control() && c != '\t' => out.push('\u{FFFD}'),
            c => {
                if escape {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}

/// A source link: an autolink for a plain http(s) address, escaped text otherwise.
fn source_link(s: &str) -> String {
    let plain = (s.starts_with("http://") || s.starts_with("https://"))
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"`\\".contains(c));
    if plain {
        format!("<{s}>")
    } else {
        md(s)
    }
}

/// The methods appendix, one paragraph per item (shared with the HTML report).
pub fn methods(report: &Report) -> Vec<String> {
    let zh = report.zh();
    let h = report
        .trend
        .half_life
        .map(|h| format!("{h}"))
        .unwrap_or_else(|| "∞".into());
    let r = &report.rule;
    if zh {
        vec![
            "记号：基线y_b（b年），最新值y_t（t年），目标y*（T年）；logit(p)=ln(p/(1−p))，p为比例。".into(),
            "所需进度：年均(y*−y_b)/(T−b)个百分点；所需年均增长率CAGR=(y*/y_b)^(1/(T−b))−1；实际值同理由基线到最新值计算。".into(),
            "官方分类（Eurostat/Open SDG）：CAGR比值R=实际CAGR/所需CAGR，R≥0.95进度正常，0.60≤R<0.95需加快进度，0≤R<0.60进展有限，R<0出现倒退；进展比例(y_t−y_b)/(y*−y_b)（ESCAP）；UNSD ρ=(y_t(1+CAGR实际)^(T−t)−y_b)/(y*−y_b)。".into(),
            format!("趋势模型：对logit(p)做加权最小二乘直线拟合。各点有标准误时权重为1/(v+τ²)，v=se²/(p(1−p))²（delta方法），τ²用DerSimonian–Laird矩估计；无标准误时用时间衰减权重0.5^(距最新年份年数/{h})并估计残差方差（t分布，自由度n−2），并向全部序列合并的残差方差收缩（先验自由度{}）。斜率以经验贝叶斯方式向同级地区（至少3个）的随机效应平均斜率或上级地区斜率收缩：b̃=γb̂+(1−γ)β₀，γ=σ_b²/(σ_b²+Var b̂)。两点时用两点直线，一点时借用合并斜率。", report.trend.prior_df),
            format!("达标概率：P=1−F((logit y*−μ_T)/σ_T)，F与预测区间所用分布相同；状态规则：最新值扣除抽样误差（单侧{:.0}%）后仍达到目标为已达标；斜率显著为负为倒退；P≥{:.2}进度正常；{:.2}≤P<{:.2}存在风险；P<{:.2}明显滞后；缺少基线为数据不足。", 100.0 * r.achieved_level, r.on_track_p, r.off_track_p, r.on_track_p, r.off_track_p),
            "终期评估：目标年份已有调查值时不再预测，以实测值y_T与目标比较（“超过”要求y_T>y*，“达到”“以上”“不少于”等要求y_T≥y*），结论为已达标或未达标；有标准误时给出真实值达标的概率Φ((y_T−y*)/se)（按百分点计的正态分布）及80%区间y_T±1.28·se。规划有多个目标年份（如2025年与2035年）时逐一评估，图表与各方案小节显示下一个尚未实测的目标。".into(),
            "分项指标：累计型=期内各年完成量之和/目标；每年型=每年应达到的最低量；水平型=最新水平相对基线的进展。时间进度=已过年数/方案年数；此后每年需=(目标−已完成)/剩余年数；期末预计按当前年均进度外推；状态按预计期末值/目标（≥0.95进度正常，0.60–0.95存在风险，<0.60明显滞后）；规划期结束后为已完成或未完成。".into(),
        ]
    } else {
        vec![
            "Notation: baseline y_b in year b, latest y_t in year t, target y* in year T; logit(p) = ln(p/(1−p)) on proportions.".into(),
            "Required pace: (y*−y_b)/(T−b) percentage points a year; required CAGR (y*/y_b)^(1/(T−b))−1; observed counterparts from baseline to latest.".into(),
            "Official categories (Eurostat / Open SDG): CAGR ratio R = CAGR_obs/CAGR_req; R ≥ 0.95 on track, 0.60–0.95 acceleration needed, 0–0.60 limited progress, < 0 deterioration. Progress share (y_t−y_b)/(y*−y_b) (ESCAP); UNSD ρ = (y_t(1+CAGR_obs)^(T−t)−y_b)/(y*−y_b).".into(),
            format!("Trend model: weighted least squares on logit(p). With standard errors, weights 1/(v+τ²), v = se²/(p(1−p))² (delta method), τ² by DerSimonian–Laird moments; without them, recency weights 0.5^(age/{h}) and an estimated residual variance (Student t, n−2 df) moderated toward the variance pooled over all series (prior df {}). Slopes are shrunk by empirical Bayes toward the random-effects mean slope of at least 3 sibling jurisdictions, else the nearest ancestor's slope: b̃ = γb̂ + (1−γ)β₀, γ = σ_b²/(σ_b² + Var b̂). Two points: the two-point line; one point: the pooled slope.", report.trend.prior_df),
            format!("Probability of reaching the target: P = 1 − F((logit y* − μ_T)/σ_T) with the same F as the intervals. Status: achieved if the latest value meets the target beyond its sampling error (one-sided {:.0}%); regressing if the slope is significantly negative; on track if P ≥ {:.2}; at risk if {:.2} ≤ P < {:.2}; off track if P < {:.2}; insufficient data without a baseline.", 100.0 * r.achieved_level, r.on_track_p, r.off_track_p, r.on_track_p, r.off_track_p),
            "Final evaluation: once the target year has been surveyed there is no projection for it; the measured value y_T is compared with the target (\"above\" needs y_T > y*, \"at least\" y_T ≥ y*): achieved or not achieved. With a standard error, the probability that the true value met the target is Φ((y_T − y*)/se) (Normal in percentage points), with the 80% interval y_T ± 1.28·se. Plans with several target years (e.g. 2025 and 2035) are assessed for each; charts and plan sections show the next target not yet measured.".into(),
            "Sub-indicators: cumulative = sum of yearly amounts over the period / target; annual = a minimum every year; level = progress of the latest level from the baseline. Time elapsed = years elapsed / years of the plan; needed per year = (target − done) / years left; projected end at the current yearly pace; status by projected end / target (≥ 0.95 on track, 0.60–0.95 at risk, < 0.60 off track); once the period has ended, achieved or not achieved.".into(),
        ]
    }
}

/// Renders report.md.
pub fn render(report: &Report) -> String {
    let zh = report.zh();
    let t = |a: &'static str, b: &'static str| if zh { a } else { b };
    let mut m = format!("# {}\n\n", report.title());
    m.push_str(&format!(
        "{} {} · litmon {}\n\n",
        t("评估时点：", "As of"),
        report.as_of,
        env!("CARGO_PKG_VERSION")
    ));
    for (s, n) in report.status_counts() {
        let st = status_style(s);
        m.push_str(&format!("- {} {}：{n}\n", st.symbol, st.label(zh)));
    }
    let risk = report.at_risk();
    if !risk.is_empty() {
        let items: Vec<String> = risk
            .iter()
            .map(|r| format!("{}（P={}）", md(&r.name_zh), f2(r.p_reach)))
            .collect();
        m.push_str(&format!(
            "\n**{}** {}\n",
            t("存在风险或明显滞后：", "At risk or off track:"),
            items.join(if zh { "、" } else { "; " })
        ));
    }
    if report.charts.iter().any(|c| c.stem == "dashboard") {
        m.push_str("\n![dashboard](charts/dashboard.png)\n");
    }
    m.push_str(&format!(
        "\n## {}\n\n",
        t("一、各地达标状态", "1. Status of every jurisdiction")
    ));
    m.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | P | {} |\n|---|---|---|---|---|---|---|---|---|---|\n",
        t("地区", "Jurisdiction"),
        t("基线（年）", "Baseline (year)"),
        t("最新（年）", "Latest (year)"),
        t("目标", "Target"),
        t("需年均", "Needed /yr"),
        t("实际年均", "Observed /yr"),
        t("官方分类", "Official category"),
        t("预测（80%区间）", "Projected (80%)"),
        t("状态", "Status")
    ));
    for r in &report.milestone_rows {
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
        let st = status_style(r.status);
        m.push_str(&format!(
            "| {} {} | {} | {} | {} | {} | {} | {} | {} | {} | {} {} |\n",
            md(&r.name_zh),
            md(&r.jurisdiction),
            yr(r.baseline, r.baseline_year),
            yr(r.latest, r.latest_year),
            crate::assess::wording::target_text(
                r.target_year,
                r.target,
                "",
                r.detail.qualifier,
                if zh {
                    crate::model::Lang::Zh
                } else {
                    crate::model::Lang::En
                },
            ),
            f2(r.required_per_year),
            f2(r.observed_per_year),
            r.official_category
                .map(|c| if zh {
                    super::narrative::category_zh(c)
                } else {
                    super::narrative::category_en(c)
                })
                .unwrap_or("—"),
            proj,
            f2(r.p_reach),
            st.symbol,
            st.label(zh)
        ));
    }
    m.push_str(&format!("\n## {}\n", t("二、各实施方案", "2. Plans")));
    for (i, sec) in report.sections.iter().enumerate() {
        m.push_str(&format!(
            "\n### {}. {} — {}\n\n",
            i + 1,
            md(&sec.name),
            md(&sec.plan_title)
        ));
        if let Some(no) = &sec.document_no {
            m.push_str(&format!(
                "{}{} · {}–{}\n\n",
                t("文号：", "Document: "),
                md(no),
                sec.period[0],
                sec.period[1]
            ));
        }
        if !sec.narrative.is_empty() {
            m.push_str(&format!("{}\n\n", md(&sec.narrative)));
        }
        if let Some(stem) = &sec.trajectory {
            m.push_str(&format!("![{}](charts/{stem}.png)\n\n", md(&sec.name)));
        }
        if !sec.progress.is_empty() {
            m.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|---|---|---|\n",
                t("指标", "Indicator"),
                t("类型", "Kind"),
                t("目标", "Target"),
                t("已完成", "Done"),
                t("完成比例", "Share done"),
                t("时间进度", "Time elapsed"),
                t("此后每年需", "Needed /yr"),
                t("期末预计", "Projected end"),
                t("状态", "Status"),
                t("牵头单位", "Lead")
            ));
            for p in &sec.progress {
                let st = pace_style(p.pace.status);
                let unit = p.unit_zh.clone().unwrap_or_else(|| p.unit.clone());
                let name = if zh || p.name_en.is_empty() {
                    &p.name_zh
                } else {
                    &p.name_en
                };
                m.push_str(&format!(
                    "| {} | {} | {} {} | {} | {} | {} | {} | {} | {} {} | {} |\n",
                    md(name),
                    p.kind.as_str(),
                    md(&crate::model::Qualifier::phrase(
                        p.qualifier,
                        &num(Some(p.target)),
                        if zh {
                            crate::model::Lang::Zh
                        } else {
                            crate::model::Lang::En
                        },
                    )),
                    md(&unit),
                    num(p.pace.done),
                    share(p.pace.share_done),
                    share(Some(p.pace.share_elapsed)),
                    num(p.pace.required_per_year),
                    num(p.pace.projected_end),
                    st.symbol,
                    st.label(zh),
                    md(p.lead_zh.as_deref().unwrap_or("—"))
                ));
            }
            if let Some(stem) = &sec.indicators_chart {
                m.push_str(&format!("\n![{}](charts/{stem}.png)\n", md(&sec.name)));
            }
        }
    }
    m.push_str(&format!(
        "\n## {}\n\n",
        t("三、数据质量", "3. Data quality")
    ));
    for q in &report.quality {
        m.push_str(&format!("- {}\n", md(q)));
    }
    m.push_str(&format!("\n## {}\n\n", t("四、方法说明", "4. Methods")));
    for p in methods(report) {
        m.push_str(&format!("{p}\n\n"));
    }
    m.push_str(&format!("{}\n\n", t("数据来源：", "Data sources:")));
    for s in &report.sources {
        m.push_str(&format!("- {}\n", source_link(s)));
    }
    m.push_str(&format!(
        "\n## {}\n\n",
        t("五、可追溯信息", "5. Traceability")
    ));
    m.push_str(&format!(
        "litmon {} · {} {}\n\n| {} | SHA-256 | {} |\n|---|---|---|\n",
        env!("CARGO_PKG_VERSION"),
        t("评估时点", "as of"),
        report.as_of,
        t("输入数据", "Input"),
        t("字节", "Bytes")
    ));
    for i in &report.inputs {
        m.push_str(&format!(
            "| {} | `{}` | {} |\n",
            md(&i.what),
            i.sha256,
            i.bytes
        ));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::{md, source_link};

    #[test]
    fn input_text_is_escaped_for_markdown() {
        assert_eq!(md("<script>"), "\\<script\\>");
        assert_eq!(md("a|b\nc"), "a\\|b c");
        assert_eq!(
            md("![x](javascript:alert(1))"),
            "!\\[x\\](javascript:alert(1))"
        );
        assert_eq!(md("2025. 目标"), "2025\\. 目标");
        assert_eq!(md("- item"), "\\- item");
        assert_eq!(md("# title"), "\\# title");
        assert_eq!(
            md("乌海市 9.0% --observations a-b"),
            "乌海市 9.0% --observations a-b"
        );
        assert_eq!(
            md("ningxia_640000 _em_ *b*"),
            "ningxia_640000 \\_em\\_ \\*b\\*"
        );
        assert_eq!(
            source_link("https://example.org/a"),
            "<https://example.org/a>"
        );
        assert_eq!(source_link("http://x><script>"), "http://x\\>\\<script\\>");
    }
}
