//! Narrative paragraphs generated from assessment rows. Every number in a paragraph is a
//! field of the row (or computed from the row's fitted predictive distribution, for the
//! value that would put the jurisdiction on track), formatted with two decimals.

use crate::assess::{prior_source_text, AssessRow, OfficialCategory, Status, StatusRule};
use crate::chart::palette::status_style;
use crate::model::{Dataset, Lang, Qualifier};
use crate::trend::dist::std_quantile;

/// The projected target-year median that gives P(reach) = `rule.on_track_p`, and the pace
/// from the latest value to it: with the predictive μ + σ·Z on the logit scale,
/// P = 1 − F((g(y*) − μ)/σ) = p₀ ⇔ μ₀ = g(y*) + σ·F⁻¹(p₀); value g⁻¹(μ₀),
/// pace (g⁻¹(μ₀) − y_t)/(T − t) pp/yr.
pub fn on_track_requirement(row: &AssessRow, rule: &StatusRule) -> Option<(f64, f64)> {
    let fit = row.detail.fit.as_ref()?;
    let (t, yt) = (row.latest_year?, row.latest?);
    if row.target_year <= t {
        return None;
    }
    let pred = fit.predictive(row.target_year);
    let mu0 = pred.scale.from_pct(row.target) + pred.sd * std_quantile(rule.on_track_p, pred.df);
    let value = pred.scale.to_pct(mu0);
    Some((value, (value - yt) / f64::from(row.target_year - t)))
}

pub fn category_zh(c: OfficialCategory) -> &'static str {
    match c {
        OfficialCategory::Achieved => "已达标",
        OfficialCategory::OnTrack => "进度正常",
        OfficialCategory::AccelerationNeeded => "需加快进度",
        OfficialCategory::LimitedProgress => "进展有限",
        OfficialCategory::Deterioration => "出现倒退",
    }
}

pub fn category_en(c: OfficialCategory) -> &'static str {
    match c {
        OfficialCategory::Achieved => "achieved",
        OfficialCategory::OnTrack => "on track",
        OfficialCategory::AccelerationNeeded => "acceleration needed",
        OfficialCategory::LimitedProgress => "limited progress",
        OfficialCategory::Deterioration => "deterioration",
    }
}

/// The paragraph for one assessment row.
pub fn narrative(ds: &Dataset, row: &AssessRow, lang: Lang, rule: &StatusRule) -> String {
    let zh = lang == Lang::Zh;
    let name = ds
        .jurisdiction(&row.jurisdiction)
        .map(|j| j.name(lang).to_string())
        .unwrap_or_else(|| row.jurisdiction.clone());
    let st = status_style(row.status);
    let (ty, target) = (row.target_year, row.target);
    let (Some(b), Some(yb), Some(t), Some(yt), Some(req)) = (
        row.baseline_year,
        row.baseline,
        row.latest_year,
        row.latest,
        row.required_per_year,
    ) else {
        return if zh {
            format!(
                "{name}尚不能评估：{}。{ty}年目标为{target:.2}%。",
                row.reason
            )
        } else {
            format!(
                "{name} cannot be assessed yet: {}. Its {ty} target is {target:.2}%.",
                row.reason
            )
        };
    };
    let mut s = String::new();
    if zh {
        s.push_str(&format!("{name}{b}年公民具备科学素质的比例为{yb:.2}%"));
        if t > b {
            s.push_str(&format!("，最新调查值为{yt:.2}%（{t}年）"));
        }
        s.push_str(&format!(
            "。要实现{ty}年{}的目标，{b}—{ty}年需年均提高{req:.2}个百分点",
            Qualifier::phrase(row.detail.qualifier, &format!("{target:.2}%"), lang)
        ));
        match (row.observed_per_year, row.cagr_ratio, row.official_category) {
            (Some(obs), Some(r), Some(c)) => s.push_str(&format!(
                "；{b}年以来实际年均提高{obs:.2}个百分点，增速比（CAGR比值）为{r:.2}，按官方口径属于“{}”",
                category_zh(c)
            )),
            (Some(obs), _, _) => s.push_str(&format!("；{b}年以来实际年均提高{obs:.2}个百分点")),
            _ => {
                s.push_str(&format!("；{b}年以后尚无新的调查值"));
                if let (Some(f), Some(pace)) = (&row.detail.fit, row.detail.model_pace_pp) {
                    if f.own_slope.is_some() {
                        s.push_str(&format!(
                            "，按其{}个调查值拟合的趋势约为年均{pace:.2}个百分点",
                            row.n_obs
                        ));
                    } else if let Some(src) = &f.prior_source {
                        s.push_str(&format!(
                            "，趋势借自{}，约为年均{pace:.2}个百分点",
                            prior_source_text(ds, src, false)
                        ));
                    }
                }
            }
        }
        s.push('。');
        if row.detail.measured {
            s.push_str(&format!(
                "终期评估：{}。评估状态为“{}”。",
                crate::wording::measured_verdict(row, lang),
                st.zh
            ));
            return s;
        }
        if let (Some(p), Some(lo), Some(hi), Some(pr)) =
            (row.projected, row.lo80, row.hi80, row.p_reach)
        {
            s.push_str(&format!(
                "按当前趋势，{ty}年预计达到{p:.2}%（80%预测区间{lo:.2}%—{hi:.2}%），达标概率为{pr:.2}，评估状态为“{}”。",
                st.zh
            ));
        } else {
            s.push_str(&format!("评估状态为“{}”。", st.zh));
        }
        match row.status {
            Status::Achieved => s.push_str("最新调查值已达到目标（扣除抽样误差后仍然成立）。"),
            Status::OnTrack => {}
            _ => {
                if let Some((v, pace)) = on_track_requirement(row, rule) {
                    s.push_str(&format!(
                        "若要达到“进度正常”（达标概率不低于{:.2}），{ty}年的预测中位数需达到{v:.2}%，即自{t}年起年均提高{pace:.2}个百分点。",
                        rule.on_track_p
                    ));
                }
            }
        }
    } else {
        s.push_str(&format!(
            "In {b} the share of citizens with scientific literacy in {name} was {yb:.2}%"
        ));
        if t > b {
            s.push_str(&format!("; the latest survey value is {yt:.2}% ({t})"));
        }
        s.push_str(&format!(
            ". Reaching the {ty} target of {} needs {req:.2} percentage points a year from {b}",
            Qualifier::phrase(row.detail.qualifier, &format!("{target:.2}%"), lang)
        ));
        match (row.observed_per_year, row.cagr_ratio, row.official_category) {
            (Some(obs), Some(r), Some(c)) => s.push_str(&format!(
                "; since {b} it has risen {obs:.2} points a year, a CAGR ratio of {r:.2} (official category: {})",
                category_en(c)
            )),
            (Some(obs), _, _) => s.push_str(&format!("; since {b} it has risen {obs:.2} points a year")),
            _ => {
                s.push_str(&format!("; there is no survey value after {b}"));
                if let (Some(f), Some(pace)) = (&row.detail.fit, row.detail.model_pace_pp) {
                    if f.own_slope.is_some() {
                        s.push_str(&format!(
                            ", and the trend fitted to its {} survey values is about {pace:.2} points a year",
                            row.n_obs
                        ));
                    } else if let Some(src) = &f.prior_source {
                        s.push_str(&format!(
                            ", so the trend is borrowed from {} (about {pace:.2} points a year)",
                            prior_source_text(ds, src, true)
                        ));
                    }
                }
            }
        }
        s.push('.');
        if row.detail.measured {
            s.push_str(&format!(
                " Final evaluation: {}. Status: {}.",
                crate::wording::measured_verdict(row, lang),
                st.en
            ));
            return s;
        }
        if let (Some(p), Some(lo), Some(hi), Some(pr)) =
            (row.projected, row.lo80, row.hi80, row.p_reach)
        {
            s.push_str(&format!(
                " On the current trend it is projected at {p:.2}% in {ty} (80% interval {lo:.2}%–{hi:.2}%); the probability of reaching the target is {pr:.2}, status: {}.",
                st.en
            ));
        } else {
            s.push_str(&format!(" Status: {}.", st.en));
        }
        match row.status {
            Status::Achieved => {
                s.push_str(" The latest value already meets the target beyond its sampling error.")
            }
            Status::OnTrack => {}
            _ => {
                if let Some((v, pace)) = on_track_requirement(row, rule) {
                    s.push_str(&format!(
                        " To be on track (probability at least {:.2}) the projected {ty} median would have to reach {v:.2}%, i.e. {pace:.2} points a year from {t}.",
                        rule.on_track_p
                    ));
                }
            }
        }
    }
    s
}
