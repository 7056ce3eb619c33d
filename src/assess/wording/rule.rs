//! The verdict rule in words, stated once: the text the report's legend and methods print and
//! the README and `assess`'s reason restate.

use super::verdict::status_label;
use crate::assess::{Status, StatusRule};
use crate::model::Lang;

/// The verdict rule in words, one item per case, with the thresholds of
/// [`StatusRule::default()`]: the text the report's legend and methods print and the README
/// and `assess`'s reason restate (see [`status_rule_with`]).
pub fn status_rule(lang: Lang) -> Vec<String> {
    status_rule_with(&StatusRule::default(), lang)
}

/// The verdict rule in words with the thresholds of `rule`:
/// 1. target year measured (final evaluation): achieved / not achieved by the measured value
///    under the plan's qualifier (超过: y > y*; every other wording: y ≥ y*), the official
///    category the same, P = Φ((y − y*)/se) beside it, `p_reach_measured` 1 or 0;
/// 2. target year not yet measured: achieved early beyond the one-sided `achieved_level`
///    sampling error, regressing on a significantly adverse own trend (`regress_level`),
///    else on track / at risk / off track by the projected P against `on_track_p` and
///    `off_track_p`; insufficient data without usable data.
pub fn status_rule_with(rule: &StatusRule, lang: Lang) -> Vec<String> {
    let l = |s: Status| status_label(s, lang);
    let (on, off) = (rule.on_track_p, rule.off_track_p);
    let pc = |x: f64| {
        let v = 100.0 * x;
        if (v - v.round()).abs() < 1e-9 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    };
    let (ach, reg) = (pc(rule.achieved_level), pc(rule.regress_level));
    // The statuses in words, named once for both sentences of either language.
    let (achieved, not_achieved, regressing) = (
        l(Status::Achieved),
        l(Status::NotAchieved),
        l(Status::Regressing),
    );
    let (on_track, at_risk, off_track, no_data) = (
        l(Status::OnTrack),
        l(Status::AtRisk),
        l(Status::OffTrack),
        l(Status::InsufficientData),
    );
    match lang {
        Lang::Zh => vec![
            format!(
                "目标年份已有调查值（终期评估）：以实测值y判定——按规划措辞与目标y*比较（“超过”要求y>y*；“达到”“以上”“不低于”“不少于”“力争”“左右”及未写措辞要求y≥y*），达到为“{achieved}”，否则为“{not_achieved}”，官方分类与之相同；同时给出真实值达标的概率P=Φ((y−y*)/se)，se取公布的标准误，未公布时由95%置信区间（区间宽度/3.92）或样本量（二项方差×设计效应）推算，再无则取该级地区在全国调查中的通常样本量推算的抽样误差，原因栏说明所用来源；实测达标概率（p_reach_measured）为1或0。"
            ),
            format!(
                "目标年份尚无调查值：最新值扣除抽样误差（单侧{ach}%）后仍达到目标，提前判为“{achieved}”；本地趋势显著不利（单侧{reg}%）为“{regressing}”；否则按预测的达标概率P判定：P≥{on:.2}为“{on_track}”，{off:.2}≤P<{on:.2}为“{at_risk}”，P<{off:.2}为“{off_track}”；没有可用数据为“{no_data}”。"
            ),
        ],
        Lang::En => vec![
            format!(
                "Target year measured (final evaluation): the measured value y decides, compared with the target y* under the plan's wording (\"above\" needs y > y*; \"at least\", \"strive for\", \"about\" and no wording need y ≥ y*): {achieved} if it meets the target, else {not_achieved}; the official category is the same. Beside it, P = Φ((y − y*)/se), the probability that the true value met the target given the survey error, with se the published standard error, else derived from a 95% interval (width/3.92) or the sample size (binomial × design effect), else from the typical sample of the place's level in the national survey (the reason says which); p_reach_measured is 1 or 0."
            ),
            format!(
                "Target year not yet measured: {achieved} early only when the latest value meets the target beyond its sampling error (one-sided {ach}%); {regressing} when the place's own trend is significantly adverse (one-sided {reg}%); otherwise by the projected probability P of reaching the target: {on_track} if P ≥ {on:.2}, {at_risk} if {off:.2} ≤ P < {on:.2}, {off_track} if P < {off:.2}; {no_data} without usable data."
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::{status_rule, status_rule_with};
    use crate::assess::StatusRule;
    use crate::model::Lang;

    /// The rule's thresholds come from the `StatusRule` it is given (0.8/0.2/0.95 by default).
    #[test]
    fn the_status_rule_states_its_thresholds() {
        let zh = status_rule(Lang::Zh);
        assert_eq!(zh.len(), 2);
        assert!(zh[0].contains("“超过”要求y>y*") && zh[0].contains("为1或0"));
        assert!(zh[1].contains("P≥0.80为“进度正常”"), "{}", zh[1]);
        assert!(zh[1].contains("0.20≤P<0.80为“存在风险”"));
        assert!(zh[1].contains("单侧95%"));
        let custom = StatusRule {
            on_track_p: 0.9,
            off_track_p: 0.1,
            achieved_level: 0.975,
            regress_level: 0.9,
        };
        let en = status_rule_with(&custom, Lang::En);
        assert!(en[1].contains("on track if P ≥ 0.90"), "{}", en[1]);
        assert!(en[1].contains("off track if P < 0.10"));
        assert!(en[1].contains("(one-sided 97.5%)") && en[1].contains("(one-sided 90%)"));
        assert!(en[0].contains("not achieved"));
    }
}
