//! Language as data: a [`Wording`] per language renders the clauses of a language-neutral
//! [`Narrative`] (Chinese: [`Chinese`], English: [`English`]); [`wording`] picks the one of
//! `--lang`.

use super::clauses::{Clause, Narrative, TrendOrigin};
use super::verdict::{category_en, category_zh, measured_verdict, prior_source_text};
use crate::assess::style::status_style;
use crate::assess::{AssessRow, StatusRule};
use crate::model::{Dataset, Lang, Qualifier};

/// The words of one language for the clauses of a narrative.
pub trait Wording {
    /// The language of these words.
    fn lang(&self) -> Lang;

    /// One clause in this language (`ds` names the places a clause refers to; `name` is the
    /// paragraph's place).
    fn clause(&self, ds: &Dataset, name: &str, c: &Clause<'_>) -> String;

    /// The whole paragraph: its clauses in order.
    fn paragraph(&self, ds: &Dataset, n: &Narrative<'_>) -> String {
        let name = n.place.map_or(n.id, |j| j.name(self.lang()));
        n.clauses.iter().map(|c| self.clause(ds, name, c)).collect()
    }
}

/// Chinese (`--lang zh`).
#[derive(Debug, Clone, Copy)]
pub struct Chinese;

/// English (`--lang en`).
#[derive(Debug, Clone, Copy)]
pub struct English;

/// The wording of `lang`.
pub fn wording(lang: Lang) -> &'static dyn Wording {
    match lang {
        Lang::Zh => &Chinese,
        Lang::En => &English,
    }
}

/// The paragraph for one assessment row in `lang`.
pub fn narrative(ds: &Dataset, row: &AssessRow, lang: Lang, rule: &StatusRule) -> String {
    let n = Narrative::of(ds.jurisdiction(&row.jurisdiction), row, rule);
    wording(lang).paragraph(ds, &n)
}

impl Wording for Chinese {
    fn lang(&self) -> Lang {
        Lang::Zh
    }

    fn clause(&self, ds: &Dataset, name: &str, c: &Clause<'_>) -> String {
        match *c {
            Clause::Unassessed {
                reason,
                target_year: ty,
                target,
            } => format!("{name}尚不能评估：{reason}。{ty}年目标为{target:.2}%。"),
            Clause::Baseline { year, value } => {
                format!("{name}{year}年公民具备科学素质的比例为{value:.2}%")
            }
            Clause::Latest { year, value } => format!("，最新调查值为{value:.2}%（{year}年）"),
            Clause::Required {
                from: b,
                target_year: ty,
                target,
                qualifier,
                pace,
            } => format!(
                "。要实现{ty}年{}的目标，{b}—{ty}年需年均提高{pace:.2}个百分点",
                Qualifier::phrase(qualifier, &format!("{target:.2}%"), Lang::Zh)
            ),
            Clause::Observed {
                since: b,
                pace,
                category: Some((r, c)),
            } => format!(
                "；{b}年以来实际年均提高{pace:.2}个百分点，增速比（CAGR比值）为{r:.2}，按官方口径属于“{}”",
                category_zh(c)
            ),
            Clause::Observed { since: b, pace, .. } => {
                format!("；{b}年以来实际年均提高{pace:.2}个百分点")
            }
            Clause::NoLaterValue { since: b, trend } => {
                let trend = match trend {
                    Some((pace, TrendOrigin::Own { n_obs })) => {
                        format!("，按其{n_obs}个调查值拟合的趋势约为年均{pace:.2}个百分点")
                    }
                    Some((pace, TrendOrigin::Borrowed(src))) => format!(
                        "，趋势借自{}，约为年均{pace:.2}个百分点",
                        prior_source_text(ds, src, Lang::Zh)
                    ),
                    None => String::new(),
                };
                format!("；{b}年以后尚无新的调查值{trend}")
            }
            Clause::FullStop => "。".into(),
            Clause::Final { row } => format!(
                "终期评估：{}。评估状态为“{}”。",
                measured_verdict(row, Lang::Zh),
                status_style(row.status).zh
            ),
            Clause::Projection {
                target_year: ty,
                median: p,
                interval: (lo, hi),
                p_reach: pr,
                status,
            } => format!(
                "按当前趋势，{ty}年预计达到{p:.2}%（80%预测区间{lo:.2}%—{hi:.2}%），达标概率为{pr:.2}，评估状态为“{}”。",
                status_style(status).zh
            ),
            Clause::StatusOnly(status) => format!("评估状态为“{}”。", status_style(status).zh),
            Clause::AchievedEarly => "最新调查值已达到目标（扣除抽样误差后仍然成立）。".into(),
            Clause::OnTrackNeeds {
                p,
                target_year: ty,
                median: v,
                from: t,
                pace,
            } => format!(
                "若要达到“进度正常”（达标概率不低于{p:.2}），{ty}年的预测中位数需达到{v:.2}%，即自{t}年起年均提高{pace:.2}个百分点。"
            ),
        }
    }
}

impl Wording for English {
    fn lang(&self) -> Lang {
        Lang::En
    }

    fn clause(&self, ds: &Dataset, name: &str, c: &Clause<'_>) -> String {
        match *c {
            Clause::Unassessed {
                reason,
                target_year: ty,
                target,
            } => format!("{name} cannot be assessed yet: {reason}. Its {ty} target is {target:.2}%."),
            Clause::Baseline { year, value } => format!(
                "In {year} the share of citizens with scientific literacy in {name} was {value:.2}%"
            ),
            Clause::Latest { year, value } => {
                format!("; the latest survey value is {value:.2}% ({year})")
            }
            Clause::Required {
                from: b,
                target_year: ty,
                target,
                qualifier,
                pace,
            } => format!(
                ". Reaching the {ty} target of {} needs {pace:.2} percentage points a year from {b}",
                Qualifier::phrase(qualifier, &format!("{target:.2}%"), Lang::En)
            ),
            Clause::Observed {
                since: b,
                pace,
                category: Some((r, c)),
            } => format!(
                "; since {b} it has risen {pace:.2} points a year, a CAGR ratio of {r:.2} (official category: {})",
                category_en(c)
            ),
            Clause::Observed { since: b, pace, .. } => {
                format!("; since {b} it has risen {pace:.2} points a year")
            }
            Clause::NoLaterValue { since: b, trend } => {
                let trend = match trend {
                    Some((pace, TrendOrigin::Own { n_obs })) => format!(
                        ", and the trend fitted to its {n_obs} survey values is about {pace:.2} points a year"
                    ),
                    Some((pace, TrendOrigin::Borrowed(src))) => format!(
                        ", so the trend is borrowed from {} (about {pace:.2} points a year)",
                        prior_source_text(ds, src, Lang::En)
                    ),
                    None => String::new(),
                };
                format!("; there is no survey value after {b}{trend}")
            }
            Clause::FullStop => ".".into(),
            Clause::Final { row } => format!(
                " Final evaluation: {}. Status: {}.",
                measured_verdict(row, Lang::En),
                status_style(row.status).en
            ),
            Clause::Projection {
                target_year: ty,
                median: p,
                interval: (lo, hi),
                p_reach: pr,
                status,
            } => format!(
                " On the current trend it is projected at {p:.2}% in {ty} (80% interval {lo:.2}%–{hi:.2}%); the probability of reaching the target is {pr:.2}, status: {}.",
                status_style(status).en
            ),
            Clause::StatusOnly(status) => format!(" Status: {}.", status_style(status).en),
            Clause::AchievedEarly => {
                " The latest value already meets the target beyond its sampling error.".into()
            }
            Clause::OnTrackNeeds {
                p,
                target_year: ty,
                median: v,
                from: t,
                pace,
            } => format!(
                " To be on track (probability at least {p:.2}) the projected {ty} median would have to reach {v:.2}%, i.e. {pace:.2} points a year from {t}."
            ),
        }
    }
}
