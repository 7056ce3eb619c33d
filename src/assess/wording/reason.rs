//! The `reason` columns: of an `assess` row of the literacy rate (what is needed, observed and
//! projected), of a sub-indicator's pace (`indicators`), and of a row without a usable
//! baseline.

use super::narrative::{Chinese, English};
use super::verdict::{measured_verdict, prior_source_text, sampling_text};
use crate::assess::pace::{Pace, PaceStatus};
use crate::assess::style::pace_style;
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
    let w = reason_words(lang);
    let mut parts = Vec::new();
    if row.detail.measured {
        parts.push(measured_verdict(row, lang));
    }
    let (Some(b), Some(req)) = (row.baseline_year, row.required_per_year) else {
        return parts.join(w.sep());
    };
    parts.extend(pace_parts(row, b, req, w));
    if row.detail.measured {
        return parts.join(w.sep());
    }
    parts.extend(outlook_parts(ds, row, fit, w));
    if row.status == Status::Achieved {
        parts.insert(0, achieved_early(row, w));
    } else if row.status == Status::Regressing {
        parts.insert(0, w.slope_down().into());
    }
    parts.join(w.sep())
}

/// The pace needed from baseline year `b` (`req` pp/yr), and the observed or trend pace.
fn pace_parts(row: &AssessRow, b: i32, req: f64, w: &dyn ReasonWords) -> Vec<String> {
    let mut parts = vec![w.needs(b, row.target_year, &signed_2dp(req))];
    if let Some(obs) = row.observed_per_year {
        parts.push(w.observed(&signed_2dp(obs)));
    } else if let Some(pace) = row.detail.model_pace_pp {
        parts.push(w.trend_pace(&signed_2dp(pace)));
    }
    parts
}

/// Before the target year is measured: the borrowed share of the slope, the projection
/// with its 80 % interval, P(reach), and whether the target year's figure is awaited.
fn outlook_parts(
    ds: &Dataset,
    row: &AssessRow,
    fit: Option<&TrendFit>,
    w: &dyn ReasonWords,
) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(f) = fit {
        if let (Some(g), Some(src)) = (f.shrink_weight, &f.prior_source) {
            let from = prior_source_text(ds, src, w.lang());
            parts.push(match f.own_slope {
                Some(_) => w.shared_slope(100.0 * g, 100.0 * (1.0 - g), &from),
                None => w.borrowed_slope(&from),
            });
        }
    }
    if let (Some(p), Some(lo), Some(hi)) = (row.projected, row.lo80, row.hi80) {
        parts.push(w.projected(p, (lo, hi), row.target_year));
    }
    if let Some(p) = row.p_reach {
        parts.push(format!("P={p:.2}"));
    }
    if row.detail.as_of.is_some_and(|a| a >= row.target_year) {
        parts.push(w.awaited(row.target_year));
    }
    parts
}

/// The lead of an early achievement: the latest value beyond its sampling error (with that
/// error in a parenthesis when there is one).
fn achieved_early(row: &AssessRow, w: &dyn ReasonWords) -> String {
    let sampling = row.detail.sampling.map_or(String::new(), |(se, src)| {
        w.parenthesis(&sampling_text(se, src, w.lang()))
    });
    w.achieved_early(row.latest.unwrap_or(f64::NAN), row.target, &sampling)
}

/// The `reason` of a sub-indicator's pace (`indicators`, and `assess` of a count): done so
/// far against the time elapsed; while the period runs, the pace needed for the rest and
/// the end value at the current pace; once it has ended, the final verdict only.
pub fn pace_reason(p: &Pace, ind: &PlanIndicator, period: [i32; 2], lang: Lang) -> String {
    let w = reason_words(lang);
    let Some(done) = p.done else {
        return w.no_progress(ind.name(lang));
    };
    let what = w.done(ind.kind == Kind::Level, &whole_or_2dp(done));
    // A target of 0 has no share: say what was done against it.
    let of_target = w.of_target(p.share_done.map(|share| 100.0 * share));
    let mut s = w.elapsed(&what, &of_target, period, 100.0 * p.share_elapsed);
    if p.share_elapsed >= 1.0 {
        s.push_str(&w.ended(p.status));
        return s;
    }
    if let Some(r) = p.required_per_year {
        s.push_str(&w.needs_a_year(&whole_or_2dp(r)));
    }
    if let Some(e) = p.projected_end {
        s.push_str(&w.at_current_pace(&whole_or_2dp(e)));
    }
    s
}

/// The words of the `reason` columns in one language (numbers come formatted where the
/// column shows them in a fixed form: signed paces, whole-or-two-decimal amounts).
trait ReasonWords {
    /// The language of these words.
    fn lang(&self) -> Lang;
    /// Between the parts of a reason.
    fn sep(&self) -> &'static str;
    /// The lead of a regressing row.
    fn slope_down(&self) -> &'static str;
    /// The pace `req` needed from `b` to the target year `ty`.
    fn needs(&self, b: i32, ty: i32, req: &str) -> String;
    /// The observed pace.
    fn observed(&self, pace: &str) -> String;
    /// The trend's pace (no later value observed).
    fn trend_pace(&self, pace: &str) -> String;
    /// A slope `own` % the place's own and `borrowed` % from `from`.
    fn shared_slope(&self, own: f64, borrowed: f64, from: &str) -> String;
    /// One survey value: the whole trend from `from`.
    fn borrowed_slope(&self, from: &str) -> String;
    /// The projection `p` with its 80 % interval in `ty`.
    fn projected(&self, p: f64, interval: (f64, f64), ty: i32) -> String;
    /// The target year's survey figure is not published yet.
    fn awaited(&self, ty: i32) -> String;
    /// `text` in a parenthesis.
    fn parenthesis(&self, text: &str) -> String;
    /// The latest value meets the target beyond its sampling error (`sampling`, may be empty).
    fn achieved_early(&self, latest: f64, target: f64, sampling: &str) -> String;
    /// No progress figures yet for the indicator `name`.
    fn no_progress(&self, name: &str) -> String;
    /// Done so far: the latest level (`level`) or the amount done.
    fn done(&self, level: bool, done: &str) -> String;
    /// The share of the target done (percent), or against a target of 0 (`None`).
    fn of_target(&self, share: Option<f64>) -> String;
    /// What was done, against the target, with `elapsed` % of `period` gone.
    fn elapsed(&self, what: &str, of_target: &str, period: [i32; 2], elapsed: f64) -> String;
    /// The period has ended, with `status`.
    fn ended(&self, status: PaceStatus) -> String;
    /// The amount needed every year from now on.
    fn needs_a_year(&self, r: &str) -> String;
    /// The end value at the current pace.
    fn at_current_pace(&self, e: &str) -> String;
}

/// The reason words of `lang`.
fn reason_words(lang: Lang) -> &'static dyn ReasonWords {
    match lang {
        Lang::Zh => &Chinese,
        Lang::En => &English,
    }
}

impl ReasonWords for Chinese {
    fn lang(&self) -> Lang {
        Lang::Zh
    }
    fn sep(&self) -> &'static str {
        "；"
    }
    fn slope_down(&self) -> &'static str {
        "趋势显著下降"
    }
    fn needs(&self, b: i32, ty: i32, req: &str) -> String {
        format!("{b}→{ty}年需年均{req}个百分点")
    }
    fn observed(&self, pace: &str) -> String {
        format!("实际年均{pace}个百分点")
    }
    fn trend_pace(&self, pace: &str) -> String {
        format!("趋势年均{pace}个百分点")
    }
    fn shared_slope(&self, own: f64, borrowed: f64, from: &str) -> String {
        format!("斜率{own:.0}%取自本地、{borrowed:.0}%借自{from}")
    }
    fn borrowed_slope(&self, from: &str) -> String {
        format!("仅一个调查值：趋势借自{from}")
    }
    fn projected(&self, p: f64, (lo, hi): (f64, f64), ty: i32) -> String {
        format!("{ty}年预计{p:.2}（80%区间{lo:.2}–{hi:.2}）")
    }
    fn awaited(&self, ty: i32) -> String {
        format!("{ty}年调查数据尚待发布")
    }
    fn parenthesis(&self, text: &str) -> String {
        format!("（{text}）")
    }
    fn achieved_early(&self, latest: f64, target: f64, sampling: &str) -> String {
        format!("最新值{latest:.2}已达到目标{target:.2}且超出抽样误差{sampling}")
    }
    fn no_progress(&self, name: &str) -> String {
        format!("尚无“{name}”的进展数据")
    }
    fn done(&self, level: bool, done: &str) -> String {
        if level {
            format!("最新水平{done}")
        } else {
            format!("已完成{done}")
        }
    }
    fn of_target(&self, share: Option<f64>) -> String {
        match share {
            Some(share) => format!("，完成目标的{share:.0}%"),
            None => "（目标为0）".to_string(),
        }
    }
    fn elapsed(&self, what: &str, of_target: &str, [a, b]: [i32; 2], elapsed: f64) -> String {
        format!("{what}{of_target}，{a}—{b}年时间进度{elapsed:.0}%")
    }
    fn ended(&self, status: PaceStatus) -> String {
        format!("；规划期已结束：{}", pace_style(status).label(Lang::Zh))
    }
    fn needs_a_year(&self, r: &str) -> String {
        format!("；此后每年需{r}")
    }
    fn at_current_pace(&self, e: &str) -> String {
        format!("；按当前进度期末约{e}")
    }
}

impl ReasonWords for English {
    fn lang(&self) -> Lang {
        Lang::En
    }
    fn sep(&self) -> &'static str {
        "; "
    }
    fn slope_down(&self) -> &'static str {
        "slope significantly negative"
    }
    fn needs(&self, b: i32, ty: i32, req: &str) -> String {
        format!("needs {req} pp/yr {b}→{ty}")
    }
    fn observed(&self, pace: &str) -> String {
        format!("observed {pace} pp/yr")
    }
    fn trend_pace(&self, pace: &str) -> String {
        format!("trend pace {pace} pp/yr")
    }
    fn shared_slope(&self, own: f64, borrowed: f64, from: &str) -> String {
        format!("slope {own:.0}% own, {borrowed:.0}% from {from}")
    }
    fn borrowed_slope(&self, from: &str) -> String {
        format!("one survey value: trend from {from}")
    }
    fn projected(&self, p: f64, (lo, hi): (f64, f64), ty: i32) -> String {
        format!("projected {p:.2} (80%: {lo:.2}–{hi:.2}) in {ty}")
    }
    fn awaited(&self, ty: i32) -> String {
        format!("the {ty} survey figure is awaited")
    }
    fn parenthesis(&self, text: &str) -> String {
        format!(" ({text})")
    }
    fn achieved_early(&self, latest: f64, target: f64, sampling: &str) -> String {
        format!(
            "latest {latest:.2} meets the target {target:.2} beyond its sampling error{sampling}"
        )
    }
    fn no_progress(&self, name: &str) -> String {
        format!("no progress figures yet for “{name}”")
    }
    fn done(&self, level: bool, done: &str) -> String {
        if level {
            format!("latest level {done}")
        } else {
            format!("done {done}")
        }
    }
    fn of_target(&self, share: Option<f64>) -> String {
        match share {
            Some(share) => format!(" = {share:.0}% of target"),
            None => " against a target of 0".to_string(),
        }
    }
    fn elapsed(&self, what: &str, of_target: &str, [a, b]: [i32; 2], elapsed: f64) -> String {
        format!("{what}{of_target} with {elapsed:.0}% of {a}–{b} elapsed")
    }
    fn ended(&self, status: PaceStatus) -> String {
        format!(
            "; the period has ended: {}",
            status.as_str().replace('_', " ")
        )
    }
    fn needs_a_year(&self, r: &str) -> String {
        format!("; needs {r} a year")
    }
    fn at_current_pace(&self, e: &str) -> String {
        format!("; at the current pace {e}")
    }
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
