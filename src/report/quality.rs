//! The report's data-quality notes: missing baselines, derived values, local surveys,
//! undated values, the conflict rule and the change of scoring rule.

use std::collections::BTreeSet;

use crate::assess::{AssessRow, Status};
use crate::model::{Dataset, Lang, LITERACY_RATE};

/// Data-quality notes: missing baselines, derived values, own surveys, undated values,
/// the conflict rule and the change of scoring rule.
pub(super) fn data_quality(ds: &Dataset, rows: &[AssessRow], lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let name = |id: &str| {
        ds.jurisdiction(id)
            .map(|j| j.name(lang).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    for r in rows.iter().filter(|r| r.status == Status::InsufficientData) {
        out.push(match lang {
            Lang::Zh => format!("缺少基线：{}——{}", name(&r.jurisdiction), r.reason),
            Lang::En => format!("Missing baseline: {} — {}", name(&r.jurisdiction), r.reason),
        });
    }
    let assessed: BTreeSet<&str> = rows.iter().map(|r| r.jurisdiction.as_str()).collect();
    for o in ds
        .observations
        .iter()
        .filter(|o| o.indicator == LITERACY_RATE && assessed.contains(o.jurisdiction.as_str()))
    {
        let tag = if o.source.starts_with("DERIVED") {
            Some(match lang {
                Lang::Zh => "推算值（由两个公布数字计算）",
                Lang::En => "derived from two published figures",
            })
        } else if o.source.contains("(city survey)") || o.source.contains("(provincial survey)") {
            Some(match lang {
                Lang::Zh => "地方自行调查，非全国调查",
                Lang::En => "a local survey, not the national one",
            })
        } else if o.source.contains("year not stated") {
            Some(match lang {
                Lang::Zh => "原文未注明年份，按2020年处理",
                Lang::En => "year not stated in the source; stored as 2020",
            })
        } else if o.source.starts_with("seed plan") {
            Some(match lang {
                Lang::Zh => "取自实施方案原文",
                Lang::En => "taken from the plan document",
            })
        } else {
            None
        };
        if let Some(tag) = tag {
            out.push(format!(
                "{} {} = {:.2}%：{tag}",
                name(&o.jurisdiction),
                o.year,
                o.value
            ));
        }
    }
    out.push(match lang {
        Lang::Zh => "来源冲突：同一地区同一年份有两个不同公布值时，保留全国调查的数值；实为目标值的数字不作为观测值（各项取舍随数据一并记录）。".into(),
        Lang::En => "Conflicting sources: where two published values disagree for the same place and year, the national-survey figure is kept and a value that was really a target is dropped (each decision is recorded with the data).".into(),
    });
    out.push(match lang {
        Lang::Zh => "测评标准变化：2018年及以前按米勒三维度标准（科学知识、科学方法、科学与社会均达标），2020—2022年起改为百分制测评（70分及以上为具备科学素质）；官方仍将2015—2023年数据视为可比，早期数据应谨慎解读。".into(),
        Lang::En => "Change of scoring rule: through 2018 a respondent counted as literate by passing all three Miller dimensions; from 2020–2022 a 100-point test with a threshold of 70 is used. The official series still treats 2015–2023 as comparable; earlier values should be read with care.".into(),
    });
    out
}
