//! The `reason` columns: of an `assess` row of the literacy rate (what is needed, observed and
//! projected), of a sub-indicator's pace (`indicators`), and of a row without a usable
//! baseline.

use super::verdict::{measured_verdict, prior_source_text, sampling_text};
use crate::assess::pace::Pace;
use crate::assess::{AssessRow, Status};
use crate::model::format::{signed_2dp, whole_or_2dp};
use crate::model::{Dataset, Kind, Lang, PlanIndicator};
use crate::trend::TrendFit;

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

/// The `reason` of an `assess` row of the literacy rate: the measured verdict, the pace
/// needed and observed, and (before the target year is measured) the borrowed slope, the
/// projection and P(reach), led by the early achievement or a significant decline.
pub fn assess_reason(ds: &Dataset, row: &AssessRow, fit: Option<&TrendFit>, lang: Lang) -> String {
    let en = lang == Lang::En;
    let sep = if en { "; " } else { "；" };
    let mut parts = Vec::new();
    if row.detail.measured {
        parts.push(measured_verdict(row, lang));
    }
    let (Some(b), Some(req)) = (row.baseline_year, row.required_per_year) else {
        return parts.join(sep);
    };
    parts.extend(pace_parts(row, b, req, en));
    if row.detail.measured {
        return parts.join(sep);
    }
    parts.extend(outlook_parts(ds, row, fit, lang));
    if row.status == Status::Achieved {
        parts.insert(0, achieved_early(row, lang));
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
    parts.join(sep)
}

/// The pace needed from baseline year `b` (`req` pp/yr), and the observed or trend pace.
fn pace_parts(row: &AssessRow, b: i32, req: f64, en: bool) -> Vec<String> {
    let mut parts = Vec::new();
    if en {
        parts.push(format!(
            "needs {} pp/yr {b}→{}",
            signed_2dp(req),
            row.target_year
        ));
    } else {
        parts.push(format!(
            "{b}→{}年需年均{}个百分点",
            row.target_year,
            signed_2dp(req)
        ));
    }
    if let Some(obs) = row.observed_per_year {
        parts.push(if en {
            format!("observed {} pp/yr", signed_2dp(obs))
        } else {
            format!("实际年均{}个百分点", signed_2dp(obs))
        });
    } else if let Some(pace) = row.detail.model_pace_pp {
        parts.push(if en {
            format!("trend pace {} pp/yr", signed_2dp(pace))
        } else {
            format!("趋势年均{}个百分点", signed_2dp(pace))
        });
    }
    parts
}

/// Before the target year is measured: the borrowed share of the slope, the projection
/// with its 80 % interval, P(reach), and whether the target year's figure is awaited.
fn outlook_parts(ds: &Dataset, row: &AssessRow, fit: Option<&TrendFit>, lang: Lang) -> Vec<String> {
    let en = lang == Lang::En;
    let mut parts = Vec::new();
    if let Some(f) = fit {
        if let (Some(g), Some(src)) = (f.shrink_weight, &f.prior_source) {
            let from = prior_source_text(ds, src, lang);
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
    parts
}

/// The lead of an early achievement: the latest value beyond its sampling error.
fn achieved_early(row: &AssessRow, lang: Lang) -> String {
    let en = lang == Lang::En;
    if en {
        format!(
            "latest {:.2} meets the target {:.2} beyond its sampling error{}",
            row.latest.unwrap_or(f64::NAN),
            row.target,
            sampling_clause(row, lang)
        )
    } else {
        format!(
            "最新值{:.2}已达到目标{:.2}且超出抽样误差{}",
            row.latest.unwrap_or(f64::NAN),
            row.target,
            sampling_clause(row, lang)
        )
    }
}

/// The sampling error behind the early-achievement test, as a parenthesis (empty without one).
fn sampling_clause(row: &AssessRow, lang: Lang) -> String {
    match (row.detail.sampling, lang) {
        (Some((se, src)), Lang::Zh) => format!("（{}）", sampling_text(se, src, lang)),
        (Some((se, src)), Lang::En) => format!(" ({})", sampling_text(se, src, lang)),
        (None, _) => String::new(),
    }
}

/// The `reason` of a sub-indicator's pace (`indicators`, and `assess` of a count): done so
/// far against the time elapsed; while the period runs, the pace needed for the rest and
/// the end value at the current pace; once it has ended, the final verdict only.
pub fn pace_reason(p: &Pace, ind: &PlanIndicator, period: [i32; 2], lang: Lang) -> String {
    let en = lang == Lang::En;
    let Some(done) = p.done else {
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
        (Kind::Level, true) => format!("latest level {}", whole_or_2dp(done)),
        (Kind::Level, false) => format!("最新水平{}", whole_or_2dp(done)),
        (_, true) => format!("done {}", whole_or_2dp(done)),
        (_, false) => format!("已完成{}", whole_or_2dp(done)),
    };
    // A target of 0 has no share: say what was done against it.
    let of_target = match (p.share_done, en) {
        (Some(share), true) => format!(" = {:.0}% of target", 100.0 * share),
        (Some(share), false) => format!("，完成目标的{:.0}%", 100.0 * share),
        (None, true) => " against a target of 0".to_string(),
        (None, false) => "（目标为0）".to_string(),
    };
    let mut s = if en {
        format!(
            "{what}{of_target} with {elapsed:.0}% of {}–{} elapsed",
            period[0], period[1]
        )
    } else {
        format!(
            "{what}{of_target}，{}—{}年时间进度{elapsed:.0}%",
            period[0], period[1]
        )
    };
    if p.share_elapsed >= 1.0 {
        s.push_str(&if en {
            format!(
                "; the period has ended: {}",
                p.status.as_str().replace('_', " ")
            )
        } else {
            let word = crate::assess::style::pace_style(p.status).zh;
            format!("；规划期已结束：{word}")
        });
        return s;
    }
    if let Some(r) = p.required_per_year {
        s.push_str(&if en {
            format!("; needs {} a year", whole_or_2dp(r))
        } else {
            format!("；此后每年需{}", whole_or_2dp(r))
        });
    }
    if let Some(e) = p.projected_end {
        s.push_str(&if en {
            format!("; at the current pace {}", whole_or_2dp(e))
        } else {
            format!("；按当前进度期末约{}", whole_or_2dp(e))
        });
    }
    s
}

#[cfg(test)]
mod tests {
    use super::pace_reason;
    use crate::assess::pace::{pace, PaceTarget};
    use crate::model::{Direction, Kind, Lang, PlanIndicator};

    /// A cumulative target of 0 met by 3 (2021–2023 of 2021–2025): achieved, and the reason
    /// says what was done, not that there is no data.
    #[test]
    fn a_zero_target_is_reasoned_with_its_figures() {
        let t = PaceTarget {
            kind: Kind::Cumulative,
            direction: Direction::Increase,
            period: [2021, 2025],
            target: 0.0,
            baseline: None,
        };
        let p = pace(&t, &[(2021, 1.0), (2022, 2.0)], 2023);
        let ind: PlanIndicator = toml::from_str(
            "id = \"x\"\nname_zh = \"某指标\"\nunit = \"个\"\nkind = \"cumulative\"\ndirection = \"increase\"\ntarget = { year = 2025, value = 0 }\n",
        )
        .expect("indicator");
        let en = pace_reason(&p, &ind, [2021, 2025], Lang::En);
        assert!(
            en.starts_with("done 3 against a target of 0 with 60% of 2021–2025 elapsed"),
            "{en}"
        );
        let zh = pace_reason(&p, &ind, [2021, 2025], Lang::Zh);
        assert!(
            zh.starts_with("已完成3（目标为0），2021—2025年时间进度60%"),
            "{zh}"
        );
    }
}
