//! Credits and inputs, in words for officials: the sources credited under the report
//! ([`credits`]) and what each input file is ([`describe_input`]) — never a file path.

use std::collections::BTreeSet;

use crate::assess::wording::without_hosts;
use crate::model::{Dataset, InputRole, Lang, LITERACY_RATE};
use crate::report::types::SourceRow;

/// The sources credited under the report, for the jurisdictions `ids` and the plans
/// `plans` of the report: each survey figure by its publisher and date (the citation, hosts
/// removed by [`without_hosts`]), each plan by its issuer, title and document number; values
/// from the user's own files are credited as the user's data (their file names are not
/// written: words officials read carry no file paths). The page each was read from is kept in
/// [`SourceRow::source`] for tables/sources.csv.
pub(super) fn credits(
    ds: &Dataset,
    ids: &BTreeSet<&str>,
    plans: &[&crate::model::Plan],
    lang: Lang,
) -> Vec<SourceRow> {
    let mut out = BTreeSet::new();
    for id in ids {
        let name = ds
            .jurisdiction(id)
            .map(|j| j.name(lang).to_string())
            .unwrap_or_else(|| id.to_string());
        for o in ds.series(id, LITERACY_RATE) {
            let embedded = o.origin.file.starts_with("embedded:");
            let cite = o
                .cite
                .as_deref()
                .map(without_hosts)
                .filter(|c| !c.is_empty());
            let credit = match (embedded, cite, lang) {
                (true, Some(c), _) => c,
                (true, None, Lang::Zh) => format!("{name}{}年数值（原始发布机构未注明）", o.year),
                (true, None, Lang::En) => {
                    format!("{name} {} value (original publisher not stated)", o.year)
                }
                (false, Some(c), Lang::Zh) => format!("{c}（用户提供的数据）"),
                (false, Some(c), Lang::En) => format!("{c} (data supplied by the user)"),
                (false, None, Lang::Zh) => {
                    format!("{name}{}年数值：用户提供的数据（文件名不写出）", o.year)
                }
                (false, None, Lang::En) => format!(
                    "{name} {} value: data supplied by the user (file not named)",
                    o.year
                ),
            };
            out.insert(SourceRow {
                kind: "observation",
                jurisdiction: id.to_string(),
                year: o.year.to_string(),
                credit,
                source: o.source.clone(),
            });
        }
    }
    for p in plans {
        let mut credit = String::new();
        if let Some(i) = &p.plan.issuer_zh {
            credit.push_str(i);
        }
        credit.push_str(&format!("《{}》", p.plan.title_zh));
        if let Some(no) = &p.plan.document_no {
            credit.push_str(&format!("（{no}）"));
        }
        if !p.origin.starts_with("embedded:") {
            credit.push_str(match lang {
                Lang::Zh => "（用户提供的规划文件）",
                Lang::En => " (plan file supplied by the user)",
            });
        }
        out.insert(SourceRow {
            kind: "plan",
            jurisdiction: p.plan.jurisdiction.clone(),
            year: format!("{}-{}", p.plan.period[0], p.plan.period[1]),
            credit: without_hosts(&credit),
            source: p.plan.source.clone().unwrap_or_default(),
        });
    }
    out.into_iter().collect()
}

/// What an input is, in words for officials: a plan's title, the registry of
/// jurisdictions, or the survey observations (never its file path).
pub(super) fn describe_input(ds: &Dataset, label: &str, role: InputRole, lang: Lang) -> String {
    if let Some(p) = ds.plans.iter().find(|p| p.origin == label) {
        return match (lang, &p.plan.title_en) {
            (Lang::Zh, _) => format!("规划目标：{}", p.plan.title_zh),
            (Lang::En, Some(t)) => format!("Plan targets: {t}"),
            (Lang::En, None) => format!("Plan targets: {}", p.plan.title_zh),
        };
    }
    let embedded = label.starts_with("embedded:");
    let what = match role {
        InputRole::Jurisdictions => ("地区名录", "Registry of jurisdictions"),
        InputRole::Plan => ("规划目标", "Plan targets"),
        InputRole::Observations => ("调查观测值", "Survey observations"),
    };
    match (lang, embedded) {
        (Lang::Zh, true) => format!("内置数据：{}", what.0),
        (Lang::Zh, false) => format!("用户提供：{}", what.0),
        (Lang::En, true) => format!("Built-in data: {}", what.1),
        (Lang::En, false) => format!("Supplied by the user: {}", what.1),
    }
}
