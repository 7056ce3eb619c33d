//! The verdict in words: status labels, a target as the plan words it, the final verdict of a
//! measured target year with its sampling error, the chart subtitle, the names of levels,
//! official categories and the origin of a borrowed slope — in Chinese and English.

use crate::assess::style::status_style;
use crate::assess::{AssessRow, OfficialCategory, Status};
use crate::model::format::whole_or_2dp;
use crate::model::{Dataset, Lang, Level, Qualifier, SeSource};
use crate::trend::PriorSource;

/// The status in words (e.g. 已达标 / achieved, 未达标 / not achieved).
pub fn status_label(s: Status, lang: Lang) -> &'static str {
    status_style(s).label(lang)
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
    match (source, lang) {
        (SeSource::Stated, Lang::Zh) => format!("标准误{se:.2}"),
        (SeSource::Stated, Lang::En) => format!("se {se:.2}"),
        (SeSource::Interval, Lang::Zh) => format!("标准误{se:.2}由95%置信区间推算"),
        (SeSource::Interval, Lang::En) => format!("se {se:.2} from the 95% interval"),
        (SeSource::SampleSize { n, deff }, Lang::Zh) => format!(
            "标准误{se:.2}由样本量{}、设计效应{}按二项分布推算",
            crate::model::format::shortest(n),
            crate::model::format::shortest(deff)
        ),
        (SeSource::SampleSize { n, deff }, Lang::En) => format!(
            "se {se:.2} from n = {}, design effect {} (binomial)",
            crate::model::format::shortest(n),
            crate::model::format::shortest(deff)
        ),
        (
            SeSource::LevelDefault {
                level: Level::National,
                n,
            },
            Lang::Zh,
        ) => format!("未给出标准误，按全国调查的通常样本量约{n:.0}人推算为{se:.2}"),
        (
            SeSource::LevelDefault {
                level: Level::National,
                n,
            },
            Lang::En,
        ) => format!("no se given: {se:.2} from the national survey's typical sample (≈{n:.0} respondents)"),
        (SeSource::LevelDefault { level, n }, Lang::Zh) => format!(
            "未给出标准误，按全国调查中一个{}单位的通常样本量约{n:.0}人推算为{se:.2}",
            level_zh(level)
        ),
        (SeSource::LevelDefault { level, n }, Lang::En) => format!(
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
    let st = status_style(row.status);
    let target_words = target_text(row.target_year, row.target, "%", row.detail.qualifier, lang);
    match (row.detail.measured, row.p_reach, lang) {
        (true, _, Lang::Zh) => format!(
            "状态：{} {}　{}",
            st.symbol,
            st.zh,
            measured_verdict(row, lang)
        ),
        (true, _, Lang::En) => format!(
            "Status: {} {} · {}",
            st.symbol,
            st.en,
            measured_verdict(row, lang)
        ),
        (false, Some(p), Lang::Zh) => format!(
            "状态：{} {}　达标概率 P = {p:.2}　目标：{target_words}",
            st.symbol, st.zh,
        ),
        (false, Some(p), Lang::En) => format!(
            "Status: {} {} · P(reach target) = {p:.2} · target: {target_words}",
            st.symbol, st.en,
        ),
        (false, None, Lang::Zh) => format!("状态：{} {}　目标：{target_words}", st.symbol, st.zh),
        (false, None, Lang::En) => {
            format!("Status: {} {} · target: {target_words}", st.symbol, st.en)
        }
    }
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

/// Names the origin of a pooled slope in `lang` (e.g. 「内蒙古下属11个同级地区」 / "11 peers
/// under Inner Mongolia").
pub fn prior_source_text(ds: &Dataset, src: &PriorSource, lang: Lang) -> String {
    let name = |id: &str| {
        ds.jurisdiction(id)
            .map(|j| j.name(lang).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    match (src, lang) {
        (PriorSource::Peers { parent, k }, Lang::En) => format!("{k} peers under {}", name(parent)),
        (PriorSource::Peers { parent, k }, Lang::Zh) => {
            format!("{}下属{k}个同级地区", name(parent))
        }
        (PriorSource::Ancestor { id }, Lang::En) => format!("parent {}", name(id)),
        (PriorSource::Ancestor { id }, Lang::Zh) => format!("上级{}", name(id)),
        (PriorSource::Other(s), _) => s.clone(),
    }
}
