//! Language as data: a [`Wording`] per language renders the clauses of a language-neutral
//! [`Narrative`] (Chinese: [`Chinese`], English: [`English`]); [`wording`] picks the one of
//! `--lang`.

use super::clauses::{Clause, Narrative, TrendOrigin};
use super::verdict::{category_en, category_zh, measured_verdict, prior_source_text};
use crate::assess::style::status_style;
use crate::assess::{AssessRow, OfficialCategory, StatusRule};
use crate::model::{Dataset, Lang, Qualifier};

/// The words of one language for the clauses of a narrative: one method per kind of
/// [`Clause`], given the clause's numbers and, where a clause names a status, a verdict or a
/// place, those already in this language. [`Wording::clause`] takes a clause apart once for
/// every language, so a new language is one more implementation of these methods.
pub trait Wording {
    /// The language of these words.
    fn lang(&self) -> Lang;

    /// The place `name` cannot be assessed yet for `reason`; its target in `target_year`.
    fn unassessed(&self, name: &str, reason: &str, target_year: i32, target: f64) -> String;

    /// The place's baseline `value` (percent) in `year`, opening the paragraph.
    fn baseline(&self, name: &str, year: i32, value: f64) -> String;

    /// The latest survey value (percent) and its year.
    fn latest(&self, year: i32, value: f64) -> String;

    /// The pace (points a year) needed from `from` to reach `target` (the plan's words of
    /// the target, [`Qualifier::phrase`]) in `target_year`.
    fn required(&self, from: i32, target_year: i32, target: &str, pace: f64) -> String;

    /// The pace observed since `since`, with the CAGR ratio and official category when known.
    fn observed(&self, since: i32, pace: f64, category: Option<(f64, OfficialCategory)>) -> String;

    /// The trend fitted to the place's own `n_obs` survey values (`pace` points a year).
    fn own_trend(&self, n_obs: usize, pace: f64) -> String;

    /// The trend borrowed from `from` (`pace` points a year).
    fn borrowed_trend(&self, from: &str, pace: f64) -> String;

    /// No survey value after `since`, followed by the `trend` clause (may be empty).
    fn no_later_value(&self, since: i32, trend: &str) -> String;

    /// The end of a sentence.
    fn full_stop(&self) -> &'static str;

    /// The final evaluation: the measured `verdict` and the `status` in words.
    fn final_verdict(&self, verdict: &str, status: &str) -> String;

    /// The projection `median` in `target_year` with its 80 % `interval`, P(reach) and the
    /// `status` in words.
    fn projection(
        &self,
        target_year: i32,
        median: f64,
        interval: (f64, f64),
        p_reach: f64,
        status: &str,
    ) -> String;

    /// The `status` in words alone.
    fn status_only(&self, status: &str) -> String;

    /// The latest value already meets the target beyond its sampling error.
    fn achieved_early(&self) -> &'static str;

    /// What being on track would need: the median `v` in `target_year` for probability `p`,
    /// i.e. `pace` points a year from `from`.
    fn on_track_needs(&self, p: f64, target_year: i32, v: f64, from: i32, pace: f64) -> String;

    /// One clause in this language (`ds` names the places a clause refers to; `name` is the
    /// paragraph's place).
    fn clause(&self, ds: &Dataset, name: &str, c: &Clause<'_>) -> String {
        let lang = self.lang();
        match *c {
            Clause::Unassessed {
                reason,
                target_year,
                target,
            } => self.unassessed(name, reason, target_year, target),
            Clause::Baseline { year, value } => self.baseline(name, year, value),
            Clause::Latest { year, value } => self.latest(year, value),
            Clause::Required {
                from,
                target_year,
                target,
                qualifier,
                pace,
            } => {
                let target = Qualifier::phrase(qualifier, &format!("{target:.2}%"), lang);
                self.required(from, target_year, &target, pace)
            }
            Clause::Observed {
                since,
                pace,
                category,
            } => self.observed(since, pace, category),
            Clause::NoLaterValue { since, trend } => {
                let trend = match trend {
                    Some((pace, TrendOrigin::Own { n_obs })) => self.own_trend(n_obs, pace),
                    Some((pace, TrendOrigin::Borrowed(src))) => {
                        self.borrowed_trend(&prior_source_text(ds, src, lang), pace)
                    }
                    None => String::new(),
                };
                self.no_later_value(since, &trend)
            }
            Clause::FullStop => self.full_stop().into(),
            Clause::Final { row } => self.final_verdict(
                &measured_verdict(row, lang),
                status_style(row.status).label(lang),
            ),
            Clause::Projection {
                target_year,
                median,
                interval,
                p_reach,
                status,
            } => self.projection(
                target_year,
                median,
                interval,
                p_reach,
                status_style(status).label(lang),
            ),
            Clause::StatusOnly(status) => self.status_only(status_style(status).label(lang)),
            Clause::AchievedEarly => self.achieved_early().into(),
            Clause::OnTrackNeeds {
                p,
                target_year,
                median,
                from,
                pace,
            } => self.on_track_needs(p, target_year, median, from, pace),
        }
    }

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

    fn unassessed(&self, name: &str, reason: &str, ty: i32, target: f64) -> String {
        format!("{name}尚不能评估：{reason}。{ty}年目标为{target:.2}%。")
    }

    fn baseline(&self, name: &str, year: i32, value: f64) -> String {
        format!("{name}{year}年公民具备科学素质的比例为{value:.2}%")
    }

    fn latest(&self, year: i32, value: f64) -> String {
        format!("，最新调查值为{value:.2}%（{year}年）")
    }

    fn required(&self, b: i32, ty: i32, target: &str, pace: f64) -> String {
        format!("。要实现{ty}年{target}的目标，{b}—{ty}年需年均提高{pace:.2}个百分点")
    }

    fn observed(&self, b: i32, pace: f64, category: Option<(f64, OfficialCategory)>) -> String {
        match category {
            Some((r, c)) => format!(
                "；{b}年以来实际年均提高{pace:.2}个百分点，增速比（CAGR比值）为{r:.2}，按官方口径属于“{}”",
                category_zh(c)
            ),
            None => format!("；{b}年以来实际年均提高{pace:.2}个百分点"),
        }
    }

    fn own_trend(&self, n_obs: usize, pace: f64) -> String {
        format!("，按其{n_obs}个调查值拟合的趋势约为年均{pace:.2}个百分点")
    }

    fn borrowed_trend(&self, from: &str, pace: f64) -> String {
        format!("，趋势借自{from}，约为年均{pace:.2}个百分点")
    }

    fn no_later_value(&self, b: i32, trend: &str) -> String {
        format!("；{b}年以后尚无新的调查值{trend}")
    }

    fn full_stop(&self) -> &'static str {
        "。"
    }

    fn final_verdict(&self, verdict: &str, status: &str) -> String {
        format!("终期评估：{verdict}。评估状态为“{status}”。")
    }

    fn projection(&self, ty: i32, p: f64, (lo, hi): (f64, f64), pr: f64, status: &str) -> String {
        format!(
            "按当前趋势，{ty}年预计达到{p:.2}%（80%预测区间{lo:.2}%—{hi:.2}%），达标概率为{pr:.2}，评估状态为“{status}”。"
        )
    }

    fn status_only(&self, status: &str) -> String {
        format!("评估状态为“{status}”。")
    }

    fn achieved_early(&self) -> &'static str {
        "最新调查值已达到目标（扣除抽样误差后仍然成立）。"
    }

    fn on_track_needs(&self, p: f64, ty: i32, v: f64, t: i32, pace: f64) -> String {
        format!(
            "若要达到“进度正常”（达标概率不低于{p:.2}），{ty}年的预测中位数需达到{v:.2}%，即自{t}年起年均提高{pace:.2}个百分点。"
        )
    }
}

impl Wording for English {
    fn lang(&self) -> Lang {
        Lang::En
    }

    fn unassessed(&self, name: &str, reason: &str, ty: i32, target: f64) -> String {
        format!("{name} cannot be assessed yet: {reason}. Its {ty} target is {target:.2}%.")
    }

    fn baseline(&self, name: &str, year: i32, value: f64) -> String {
        format!(
            "In {year} the share of citizens with scientific literacy in {name} was {value:.2}%"
        )
    }

    fn latest(&self, year: i32, value: f64) -> String {
        format!("; the latest survey value is {value:.2}% ({year})")
    }

    fn required(&self, b: i32, ty: i32, target: &str, pace: f64) -> String {
        format!(". Reaching the {ty} target of {target} needs {pace:.2} percentage points a year from {b}")
    }

    fn observed(&self, b: i32, pace: f64, category: Option<(f64, OfficialCategory)>) -> String {
        match category {
            Some((r, c)) => format!(
                "; since {b} it has risen {pace:.2} points a year, a CAGR ratio of {r:.2} (official category: {})",
                category_en(c)
            ),
            None => format!("; since {b} it has risen {pace:.2} points a year"),
        }
    }

    fn own_trend(&self, n_obs: usize, pace: f64) -> String {
        format!(
            ", and the trend fitted to its {n_obs} survey values is about {pace:.2} points a year"
        )
    }

    fn borrowed_trend(&self, from: &str, pace: f64) -> String {
        format!(", so the trend is borrowed from {from} (about {pace:.2} points a year)")
    }

    fn no_later_value(&self, b: i32, trend: &str) -> String {
        format!("; there is no survey value after {b}{trend}")
    }

    fn full_stop(&self) -> &'static str {
        "."
    }

    fn final_verdict(&self, verdict: &str, status: &str) -> String {
        format!(" Final evaluation: {verdict}. Status: {status}.")
    }

    fn projection(&self, ty: i32, p: f64, (lo, hi): (f64, f64), pr: f64, status: &str) -> String {
        format!(
            " On the current trend it is projected at {p:.2}% in {ty} (80% interval {lo:.2}%–{hi:.2}%); the probability of reaching the target is {pr:.2}, status: {status}."
        )
    }

    fn status_only(&self, status: &str) -> String {
        format!(" Status: {status}.")
    }

    fn achieved_early(&self) -> &'static str {
        " The latest value already meets the target beyond its sampling error."
    }

    fn on_track_needs(&self, p: f64, ty: i32, v: f64, t: i32, pace: f64) -> String {
        format!(
            " To be on track (probability at least {p:.2}) the projected {ty} median would have to reach {v:.2}%, i.e. {pace:.2} points a year from {t}."
        )
    }
}
