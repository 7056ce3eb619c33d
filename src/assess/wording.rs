//! Every sentence litmon writes about an evaluation, in Chinese and English: the `reason`
//! columns of `assess` and `indicators`, the report's narrative paragraphs, chart subtitles
//! and the verdict phrases the charts and the report reuse. The numbers come from the
//! evaluation ([`crate::assess::AssessRow`], [`crate::assess::pace::Pace`]); this module only words
//! them. Officials read these sentences, so they speak of plans, surveys and targets —
//! never of flags, files or internal ids.

use crate::assess::pace::Pace;
use crate::assess::style::status_style;
use crate::assess::{prior_source_text, AssessRow, OfficialCategory, Status, StatusRule};
use crate::model::format::{signed_2dp, whole_or_2dp};
use crate::model::{Dataset, Kind, Lang, Level, PlanIndicator, Qualifier, SeSource};
use crate::trend::dist::std_quantile;
use crate::trend::TrendFit;

/// The status in words (e.g. 已达标 / achieved, 未达标 / not achieved).
pub fn status_label(s: Status, lang: Lang) -> &'static str {
    let st = crate::assess::style::status_style(s);
    match lang {
        Lang::Zh => st.zh,
        Lang::En => st.en,
    }
}

/// A target as the plan words it, e.g. 「2025年超过15%」 / "above 15% by 2025".
pub fn target_text(year: i32, value: f64, unit: &str, q: Option<Qualifier>, lang: Lang) -> String {
    let v = format!("{}{unit}", whole_or_2dp(value));
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
        &format!("{}{unit}", whole_or_2dp(row.target)),
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
        let se = row
            .detail
            .sampling
            .map(|(se, src)| sampling_text(se, src, lang))
            .unwrap_or_default();
        s.push_str(&match lang {
            Lang::Zh => format!(
                "（{side_zh}目标{:.2}个标准误，真实值达标的概率为{p:.2}；{se}）",
                z.abs()
            ),
            Lang::En => format!(
                " ({:.2} standard errors {side_en} the target; probability that the true value met it {p:.2}; {se})",
                z.abs()
            ),
        });
    }
    s
}

/// Where a standard error comes from, in words: stated, from the 95 % interval, from the
/// sample size (binomial × design effect), or the level's typical sample in the national survey.
pub fn sampling_text(se: f64, source: SeSource, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match source {
        SeSource::Stated if zh => format!("标准误{se:.2}"),
        SeSource::Stated => format!("se {se:.2}"),
        SeSource::Interval if zh => format!("标准误{se:.2}由95%置信区间推算"),
        SeSource::Interval => format!("se {se:.2} from the 95% interval"),
        SeSource::SampleSize { n, deff } if zh => format!(
            "标准误{se:.2}由样本量{}、设计效应{}按二项分布推算",
            crate::model::format::shortest(n),
            crate::model::format::shortest(deff)
        ),
        SeSource::SampleSize { n, deff } => format!(
            "se {se:.2} from n = {}, design effect {} (binomial)",
            crate::model::format::shortest(n),
            crate::model::format::shortest(deff)
        ),
        SeSource::LevelDefault {
            level: Level::National,
            n,
        } if zh => format!("未给出标准误，按全国调查的通常样本量约{n:.0}人推算为{se:.2}"),
        SeSource::LevelDefault {
            level: Level::National,
            n,
        } => format!("no se given: {se:.2} from the national survey's typical sample (≈{n:.0} respondents)"),
        SeSource::LevelDefault { level, n } if zh => format!(
            "未给出标准误，按全国调查中一个{}单位的通常样本量约{n:.0}人推算为{se:.2}",
            level_zh(level)
        ),
        SeSource::LevelDefault { level, n } => format!(
            "no se given: {se:.2} from the national survey's typical sample of a {} unit (≈{n:.0} respondents)",
            level.as_str()
        ),
    }
}

/// The Chinese name of a level (全国, 省级, 地市级, 县级).
pub fn level_zh(level: Level) -> &'static str {
    match level {
        Level::National => "全国",
        Level::Province => "省级",
        Level::Prefecture => "地市级",
        Level::County => "县级",
    }
}

/// The subtitle of a trajectory chart: status, then the final verdict of a measured target
/// year, or P(reach) and the target as the plan words it.
pub fn trajectory_subtitle(row: &AssessRow, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let st = status_style(row.status);
    let target_words = target_text(row.target_year, row.target, "%", row.detail.qualifier, lang);
    match (row.detail.measured, row.p_reach, zh) {
        (true, _, _) => {
            let verdict = measured_verdict(row, lang);
            if zh {
                format!("状态：{} {}　{verdict}", st.symbol, st.zh)
            } else {
                format!("Status: {} {} · {verdict}", st.symbol, st.en)
            }
        }
        (false, Some(p), true) => format!(
            "状态：{} {}　达标概率 P = {p:.2}　目标：{target_words}",
            st.symbol, st.zh,
        ),
        (false, Some(p), false) => format!(
            "Status: {} {} · P(reach target) = {p:.2} · target: {target_words}",
            st.symbol, st.en,
        ),
        (false, None, true) => format!("状态：{} {}　目标：{target_words}", st.symbol, st.zh),
        (false, None, false) => {
            format!("Status: {} {} · target: {target_words}", st.symbol, st.en)
        }
    }
}

/// The `reason` of an `assess` row of the literacy rate.
pub fn assess_reason(ds: &Dataset, row: &AssessRow, fit: Option<&TrendFit>, lang: Lang) -> String {
    let en = lang == Lang::En;
    let mut parts = Vec::new();
    if row.detail.measured {
        parts.push(measured_verdict(row, lang));
    }
    let (Some(b), Some(req)) = (row.baseline_year, row.required_per_year) else {
        return parts.join(if en { "; " } else { "；" });
    };
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

/// Removes the web hosts a citation may name as the carrying site (「转引自 example.com
/// 转载的…」, 「（转引自 example.com）」) and any web address: the report (and every chart
/// footer that credits a figure) credits publishers, not the sites a figure was read from
/// (those stay in the report's tables/sources.csv).
pub fn without_hosts(cite: &str) -> String {
    let is_host = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        w.starts_with("http")
            || (w.contains('.')
                && w.rsplit('.').next().is_some_and(|tld| {
                    tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
                }))
    };
    // Split into runs of ASCII host characters and the rest.
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !is_host(word) {
            out.push_str(word);
        }
        word.clear();
    };
    for c in cite.chars() {
        if c.is_ascii_alphanumeric() || "./:-_?=&%~#".contains(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    let mut s = out;
    for (from, to) in [
        ("转引自  转载的", ""),
        ("转引自 转载的", ""),
        ("转引自转载的", ""),
        ("（转引自 ）", ""),
        ("（转引自）", ""),
        ("，转引自 ）", "）"),
        ("，转引自）", "）"),
        ("  ", " "),
    ] {
        s = s.replace(from, to);
    }
    s.trim().to_string()
}

// ---- The verdict rule, stated once -------------------------------------------------

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
    match lang {
        Lang::Zh => vec![
            format!(
                "目标年份已有调查值（终期评估）：以实测值y判定——按规划措辞与目标y*比较（“超过”要求y>y*；“达到”“以上”“不低于”“不少于”“力争”“左右”及未写措辞要求y≥y*），达到为“{}”，否则为“{}”，官方分类与之相同；同时给出真实值达标的概率P=Φ((y−y*)/se)，se取公布的标准误，未公布时由95%置信区间（区间宽度/3.92）或样本量（二项方差×设计效应）推算，再无则取该级地区在全国调查中的通常样本量推算的抽样误差，原因栏说明所用来源；实测达标概率（p_reach_measured）为1或0。",
                l(Status::Achieved),
                l(Status::NotAchieved)
            ),
            format!(
                "目标年份尚无调查值：最新值扣除抽样误差（单侧{ach}%）后仍达到目标，提前判为“{}”；本地趋势显著不利（单侧{reg}%）为“{}”；否则按预测的达标概率P判定：P≥{on:.2}为“{}”，{off:.2}≤P<{on:.2}为“{}”，P<{off:.2}为“{}”；没有可用数据为“{}”。",
                l(Status::Achieved),
                l(Status::Regressing),
                l(Status::OnTrack),
                l(Status::AtRisk),
                l(Status::OffTrack),
                l(Status::InsufficientData)
            ),
        ],
        Lang::En => vec![
            format!(
                "Target year measured (final evaluation): the measured value y decides, compared with the target y* under the plan's wording (\"above\" needs y > y*; \"at least\", \"strive for\", \"about\" and no wording need y ≥ y*): {} if it meets the target, else {}; the official category is the same. Beside it, P = Φ((y − y*)/se), the probability that the true value met the target given the survey error, with se the published standard error, else derived from a 95% interval (width/3.92) or the sample size (binomial × design effect), else from the typical sample of the place's level in the national survey (the reason says which); p_reach_measured is 1 or 0.",
                l(Status::Achieved),
                l(Status::NotAchieved)
            ),
            format!(
                "Target year not yet measured: {} early only when the latest value meets the target beyond its sampling error (one-sided {ach}%); {} when the place's own trend is significantly adverse (one-sided {reg}%); otherwise by the projected probability P of reaching the target: {} if P ≥ {on:.2}, {} if {off:.2} ≤ P < {on:.2}, {} if P < {off:.2}; {} without usable data.",
                l(Status::Achieved),
                l(Status::Regressing),
                l(Status::OnTrack),
                l(Status::AtRisk),
                l(Status::OffTrack),
                l(Status::InsufficientData)
            ),
        ],
    }
}

// ---- Narrative paragraphs of the report -------------------------------------------
//
// Every number in a paragraph is a field of the row (or computed from the row's fitted
// predictive distribution, for the value that would put the jurisdiction on track),
// formatted with two decimals.

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

/// Chinese name of an official category (e.g. 需加快进度).
pub fn category_zh(c: OfficialCategory) -> &'static str {
    match c {
        OfficialCategory::Achieved => "已达标",
        OfficialCategory::NotAchieved => "未达标",
        OfficialCategory::OnTrack => "进度正常",
        OfficialCategory::AccelerationNeeded => "需加快进度",
        OfficialCategory::LimitedProgress => "进展有限",
        OfficialCategory::Deterioration => "出现倒退",
    }
}

/// English name of an official category (e.g. acceleration needed).
pub fn category_en(c: OfficialCategory) -> &'static str {
    match c {
        OfficialCategory::Achieved => "achieved",
        OfficialCategory::NotAchieved => "not achieved",
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
                measured_verdict(row, lang),
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
                measured_verdict(row, lang),
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

#[cfg(test)]
mod tests {
    use super::{pace_reason, status_rule, status_rule_with};
    use crate::assess::StatusRule;

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
