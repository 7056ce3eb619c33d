//! Every sentence litmon writes about an evaluation, in Chinese and English: the `reason`
//! columns of `assess` and `indicators`, and the verdict phrases the charts and the report
//! reuse. The numbers come from the evaluation ([`crate::assess::AssessRow`],
//! [`crate::pace::Pace`]); this module only words them. Officials read these sentences, so
//! they speak of plans, surveys and targets — never of flags, files or internal ids.

use crate::assess::{prior_source_text, AssessRow, Status};
use crate::model::{Dataset, Kind, Lang, PlanIndicator, Qualifier};
use crate::pace::Pace;
use crate::trend::TrendFit;

fn fmt_pp(v: f64) -> String {
    format!("{v:+.2}")
}

/// A number without trailing zeros when it is whole (12 → "12", 12.2 → "12.20").
pub fn num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// The status in words (e.g. 已达标 / achieved, 未达标 / not achieved).
pub fn status_label(s: Status, lang: Lang) -> &'static str {
    let st = crate::chart::palette::status_style(s);
    match lang {
        Lang::Zh => st.zh,
        Lang::En => st.en,
    }
}

/// A target as the plan words it, e.g. 「2025年超过15%」 / "above 15% by 2025".
pub fn target_text(year: i32, value: f64, unit: &str, q: Option<Qualifier>, lang: Lang) -> String {
    let v = format!("{}{unit}", num(value));
    let phrase = Qualifier::phrase(q, &v, lang);
    match lang {
        Lang::Zh => format!("{year}年{phrase}"),
        Lang::En => format!("{phrase} by {year}"),
    }
}

/// Reason of a row without a usable baseline: what is missing, in the words of the data
/// (no command-line flags).
pub fn missing_baseline(
    name: &str,
    ind: &PlanIndicator,
    last_year: Option<i32>,
    since: i32,
    lang: Lang,
) -> String {
    match (last_year, lang) {
        (Some(y), Lang::En) => format!("no survey value since {y}; supply a {since}+ value"),
        (Some(y), Lang::Zh) => format!("{y}年以后没有调查数据；请补充{since}年及以后的数值"),
        (None, Lang::En) => format!(
            "no survey value of {} for {name}; supply a {since}+ value",
            if ind.name_en.is_empty() {
                &ind.name_zh
            } else {
                &ind.name_en
            }
        ),
        (None, Lang::Zh) => format!(
            "{name}没有“{}”的调查数据；请补充{since}年及以后的调查值",
            ind.name_zh
        ),
    }
}

/// The verdict of a final evaluation (the target year was measured): the measurement, the
/// target with its wording, the verdict, and — with a standard error — how many standard
/// errors z = (y − y*)/se the measurement lies from the target and P(true value met it).
pub fn measured_verdict(row: &AssessRow, lang: Lang) -> String {
    let y = row.projected.unwrap_or(f64::NAN);
    let unit = if row.indicator == crate::model::LITERACY_RATE {
        "%"
    } else {
        ""
    };
    let target = Qualifier::phrase(
        row.detail.qualifier,
        &format!("{}{unit}", num(row.target)),
        lang,
    );
    let verdict = status_label(row.status, lang);
    let mut s = match lang {
        Lang::Zh => format!(
            "{}年实测{y:.2}{unit}，目标为{target}，{verdict}",
            row.target_year
        ),
        Lang::En => format!(
            "measured {y:.2}{unit} in {} against the target of {target}: {verdict}",
            row.target_year
        ),
    };
    if let (Some(z), Some(p)) = (row.detail.z_measured, row.p_reach) {
        let side_zh = if z >= 0.0 { "高于" } else { "低于" };
        let side_en = if z >= 0.0 { "beyond" } else { "short of" };
        s.push_str(&match lang {
            Lang::Zh => format!(
                "（{side_zh}目标{:.2}个标准误，真实值达标的概率为{p:.2}）",
                z.abs()
            ),
            Lang::En => format!(
                " ({:.2} standard errors {side_en} the target; probability that the true value met it {p:.2})",
                z.abs()
            ),
        });
    }
    s
}

/// The `reason` of an `assess` row of the literacy rate.
pub fn assess_reason(ds: &Dataset, row: &AssessRow, fit: Option<&TrendFit>, lang: Lang) -> String {
    let en = lang == Lang::En;
    let (Some(b), Some(req)) = (row.baseline_year, row.required_per_year) else {
        return String::new();
    };
    let mut parts = Vec::new();
    if row.detail.measured {
        parts.push(measured_verdict(row, lang));
    }
    if en {
        parts.push(format!(
            "needs {} pp/yr {b}→{}",
            fmt_pp(req),
            row.target_year
        ));
    } else {
        parts.push(format!(
            "{b}→{}年需年均{}个百分点",
            row.target_year,
            fmt_pp(req)
        ));
    }
    if let Some(obs) = row.observed_per_year {
        parts.push(if en {
            format!("observed {} pp/yr", fmt_pp(obs))
        } else {
            format!("实际年均{}个百分点", fmt_pp(obs))
        });
    } else if let Some(pace) = row.detail.model_pace_pp {
        parts.push(if en {
            format!("trend pace {} pp/yr", fmt_pp(pace))
        } else {
            format!("趋势年均{}个百分点", fmt_pp(pace))
        });
    }
    if row.detail.measured {
        return parts.join(if en { "; " } else { "；" });
    }
    if let Some(f) = fit {
        if let (Some(g), Some(src)) = (f.shrink_weight, &f.prior_source) {
            let from = prior_source_text(ds, src, en);
            parts.push(match (f.own_slope.is_some(), en) {
                (true, true) => format!(
                    "slope {:.0}% own, {:.0}% from {from}",
                    100.0 * g,
                    100.0 * (1.0 - g)
                ),
                (true, false) => format!(
                    "斜率{:.0}%取自本地、{:.0}%借自{from}",
                    100.0 * g,
                    100.0 * (1.0 - g)
                ),
                (false, true) => format!("one survey value: trend from {from}"),
                (false, false) => format!("仅一个调查值：趋势借自{from}"),
            });
        }
    }
    if let (Some(p), Some(lo), Some(hi)) = (row.projected, row.lo80, row.hi80) {
        parts.push(if en {
            format!(
                "projected {p:.2} (80%: {lo:.2}–{hi:.2}) in {}",
                row.target_year
            )
        } else {
            format!("{}年预计{p:.2}（80%区间{lo:.2}–{hi:.2}）", row.target_year)
        });
    }
    if let Some(p) = row.p_reach {
        parts.push(format!("P={p:.2}"));
    }
    if row.detail.as_of.is_some_and(|a| a >= row.target_year) {
        parts.push(if en {
            format!("the {} survey figure is awaited", row.target_year)
        } else {
            format!("{}年调查数据尚待发布", row.target_year)
        });
    }
    if row.status == Status::Achieved {
        parts.insert(
            0,
            if en {
                format!(
                    "latest {:.2} meets the target {:.2}",
                    row.latest.unwrap_or(f64::NAN),
                    row.target
                )
            } else {
                format!(
                    "最新值{:.2}已达到目标{:.2}",
                    row.latest.unwrap_or(f64::NAN),
                    row.target
                )
            },
        );
    } else if row.status == Status::Regressing {
        parts.insert(
            0,
            if en {
                "slope significantly negative".into()
            } else {
                "趋势显著下降".into()
            },
        );
    }
    parts.join(if en { "; " } else { "；" })
}

/// The `reason` of a sub-indicator's pace (`indicators`, and `assess` of a count): done so
/// far against the time elapsed; while the period runs, the pace needed for the rest and
/// the end value at the current pace; once it has ended, the final verdict only.
pub fn pace_reason(p: &Pace, ind: &PlanIndicator, period: [i32; 2], lang: Lang) -> String {
    let en = lang == Lang::En;
    let (Some(done), Some(share)) = (p.done, p.share_done) else {
        let name = if en && !ind.name_en.is_empty() {
            &ind.name_en
        } else {
            &ind.name_zh
        };
        return if en {
            format!("no progress figures yet for “{name}”")
        } else {
            format!("尚无“{name}”的进展数据")
        };
    };
    let elapsed = 100.0 * p.share_elapsed;
    let what = match (ind.kind, en) {
        (Kind::Level, true) => format!("latest level {}", num(done)),
        (Kind::Level, false) => format!("最新水平{}", num(done)),
        (_, true) => format!("done {}", num(done)),
        (_, false) => format!("已完成{}", num(done)),
    };
    let mut s = if en {
        format!(
            "{what} = {:.0}% of target with {elapsed:.0}% of {}–{} elapsed",
            100.0 * share,
            period[0],
            period[1]
        )
    } else {
        format!(
            "{what}，完成目标的{:.0}%，{}—{}年时间进度{elapsed:.0}%",
            100.0 * share,
            period[0],
            period[1]
        )
    };
    if p.share_elapsed >= 1.0 {
        s.push_str(&if en {
            format!(
                "; the period has ended: {}",
                p.status.as_str().replace('_', " ")
            )
        } else {
            let word = crate::chart::palette::pace_style(p.status).zh;
            format!("；规划期已结束：{word}")
        });
        return s;
    }
    if let Some(r) = p.required_per_year {
        s.push_str(&if en {
            format!("; needs {} a year", num(r))
        } else {
            format!("；此后每年需{}", num(r))
        });
    }
    if let Some(e) = p.projected_end {
        s.push_str(&if en {
            format!("; at the current pace {}", num(e))
        } else {
            format!("；按当前进度期末约{}", num(e))
        });
    }
    s
}
